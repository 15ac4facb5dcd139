"""Exercises of notebooks/09_counterfactuals_anchors_and_surrogates.ipynb: a patient's counterfactual
question, and what a global surrogate's numbers qualify it to explain.

The references are computed here by other routes than the notebook's solution cells: the patient's
question from each model's risk for the changed patient; the surrogate question from the forest's and
the two trees' predictions on copies of the held-out patients taken when the question is answered, with
scipy's exact binomial test (McNemar's test on the patients where the trees disagree).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .framework import Choice, Topic


# ---------------------------------------------------------------- 1. the patient's question
def _risks_at_200(ctx) -> pd.Series:
    changed = ctx["query"].assign(chol=200.0)
    return pd.Series({name: float(m.predict_proba(changed)[0, 1]) for name, m in ctx["good_models"].items()})


def _cholesterol_reference(ctx):
    risks = _risks_at_200(ctx)
    forest = next(name for name in risks.index if name.startswith("forest"))
    if risks[forest] >= 0.5:
        raise RuntimeError("the forest keeps this patient above 0.5 at chol 200: the question's options no "
                           "longer fit the run")
    return "b" if (risks >= 0.5).any() else "d"


def _cholesterol_why(ctx):
    risks = _risks_at_200(ctx)
    above = sorted(risks.index[risks >= 0.5])
    base = pd.Series({n: float(m.predict_proba(ctx["query"])[0, 1]) for n, m in ctx["good_models"].items()})
    return {
        "a": "the forest's answer is a statement about one model and about other patients; it says "
             "nothing about what a treatment would do to this patient's arteries",
        "c": f"lowering cholesterol to 200 lowers the risk in {int((risks < base).sum())} of {len(risks)} "
             "models",
        "d": f"not every model agrees: {', '.join(above) or 'none'} stay at or above 0.5; and even if "
             "all agreed, a model's counterfactual is not a treatment effect",
    }


CHOLESTEROL_200 = Choice(
    name="cholesterol_200",
    needs=("good_models", "query"),
    reference=_cholesterol_reference,
    options=("a", "b", "c", "d"),
    why=_cholesterol_why,
    decision=True,
    hint="query.assign(chol=200.0) is the changed patient; predict it with every model in other_models. "
         "Then remember section 1.3: what would a model's prediction need to be a treatment effect?",
    explanation="The forest crosses 0.5 but not every model does, and no model learned what "
                "lowering one patient's cholesterol does: that takes a trial, not a counterfactual.",
)


# ---------------------------------------------------------------- 2. what the surrogate explains
def _fidelity(ctx) -> dict:
    """Held-out agreement of each tree with the forest, and McNemar's exact test of the difference."""
    from scipy.stats import binomtest

    X = ctx["X_test"].copy()
    forest = np.asarray(ctx["forest"].predict(X))
    sur = np.asarray(ctx["surrogate"].predict(X)) == forest
    glass = np.asarray(ctx["glass_tree"].predict(X)) == forest
    b, c = int((sur & ~glass).sum()), int((~sur & glass).sum())
    p = binomtest(b, b + c, alternative="greater").pvalue if b + c else 1.0
    return {"surrogate": float(sur.mean()), "glass": float(glass.mean()), "b": b, "c": c, "p": float(p)}


def _surrogate_reference(ctx):
    f = _fidelity(ctx)
    if f["p"] < 0.05:
        raise RuntimeError("the surrogate is measurably more faithful than the label-trained tree on this "
                           "run: the question's options no longer fit")
    return "d"


def _surrogate_why(ctx):
    f = _fidelity(ctx)
    return {
        "a": "the surrogate was fitted to the forest's predictions, not to the disease: its accuracy on the "
             "labels is the forest's accuracy blurred by the surrogate's own errors, and says nothing about "
             "causes",
        "b": "agreement on the patients it was fitted to is no test: judge fidelity on held-out patients",
        "c": f"on the held-out patients the surrogate agrees with the forest on {f['surrogate']:.3f} of "
             f"them, the label-trained tree on {f['glass']:.3f}; the trees' agreement differs on only "
             f"{f['b'] + f['c']} patients, which shows no difference",
    }


SURROGATE_CLAIM = Choice(
    name="surrogate_claim",
    needs=("forest", "surrogate", "glass_tree", "X_test"),
    reference=_surrogate_reference,
    options=("a", "b", "c", "d"),
    why=_surrogate_why,
    decision=True,
    hint="What was the surrogate fitted to, and on which patients is its fidelity a fair measure? Compare "
         "the two trees' held-out fidelity, not their training fidelity.",
    explanation="A surrogate explains the model: its qualification is its fidelity to the model on patients "
                "it was not fitted to, with an interval; on 61 patients it is not shown more faithful than "
                "the tree trained on the labels.",
)


TOPIC = Topic(title="Counterfactuals, anchors and surrogates",
              notebook="09_counterfactuals_anchors_and_surrogates",
              questions=[CHOLESTEROL_200, SURROGATE_CLAIM])
