"""Exercises of notebooks/04_lime.ipynb: the surrogate's fit, what a single LIME run can support, and
what fewer samples cost in stability."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .framework import Choice, Number, Topic, memoised

NEEDS = ("forest", "X_train", "X_test", "row", "seed")


def _explain(ctx, random_state: int, num_features: int, num_samples: int):
    from ..explain import lime_explainer, proba_of_frame

    patient = ctx["X_test"].iloc[ctx["row"]].to_numpy()
    predict = proba_of_frame(ctx["forest"], ctx["X_train"].columns)
    return lime_explainer(ctx["X_train"], random_state=random_state).explain_instance(
        patient, predict, num_features=num_features, num_samples=num_samples)


def _weights(ctx, seeds, num_features: int, num_samples: int) -> pd.DataFrame:
    from ..explain import lime_weights

    names = list(ctx["X_train"].columns)
    rows = {s: lime_weights(_explain(ctx, s, num_features, num_samples), names) for s in seeds}
    return pd.DataFrame(rows).T


@memoised
def _leaders_other_seeds(ctx) -> pd.Series:
    """Leading feature of LIME runs with seeds the notebook did not use (seed + 100 ... seed + 109)."""
    seeds = range(ctx["seed"] + 100, ctx["seed"] + 110)
    return _weights(ctx, seeds, num_features=6, num_samples=5000).idxmax(axis=1)


def _shap_first(ctx) -> str:
    import shap

    values = shap.TreeExplainer(ctx["forest"]).shap_values(ctx["X_test"].iloc[[ctx["row"]]])[0, :, 1]
    return str(ctx["X_test"].columns[int(np.argmax(np.abs(values)))])


@memoised
def _spread(ctx, num_samples: int) -> float:
    w = _weights(ctx, range(ctx["seed"], ctx["seed"] + 10), num_features=5, num_samples=num_samples)
    return float(w["cp"].std() / abs(w["cp"].mean()))


TOPIC = Topic(
    title="LIME",
    notebook="04_lime",
    questions=[
        Number(
            name="r2_all_features",
            needs=NEEDS,
            reference=lambda ctx: float(_explain(ctx, ctx["seed"], 13, 5000).score),
            tolerance=0.0005,
            hint="explain.lime_explainer(X_train, random_state=SEED).explain_instance(patient.to_numpy(), "
                 "predict_proba, num_features=13, num_samples=5000).score",
            explanation=lambda ctx: (
                "With all 13 features the surrogate's R² is "
                f"{_explain(ctx, ctx['seed'], 13, 5000).score:.2f}, against "
                f"{_explain(ctx, ctx['seed'], 6, 5000).score:.2f} with 6: a linear model on LIME's "
                "binary rules cannot follow the forest around this patient much better however many "
                "features it gets, so read its weights as directions, not as exact contributions."),
            mistakes=[(lambda ctx: float(_explain(ctx, ctx["seed"], 6, 5000).score),
                       "that is the R² with 6 features, the notebook's first explanation")],
        ),
        Choice(
            name="main_reason",
            needs=NEEDS,
            decision=True,
            options=("a", "b", "c"),
            reference=lambda ctx: "c" if _leaders_other_seeds(ctx).nunique() > 1 else "a",
            hint="Look at `top1`, the leading feature of each of the 10 seeded runs, and at SHAP's first "
                 "feature for the same patient.",
            explanation=lambda ctx: (
                "The checker re-ran LIME on this patient with ten seeds the notebook did not use "
                f"(seed + 100 to seed + 109): the leading feature was "
                f"{_leaders_other_seeds(ctx).value_counts().to_dict()}. As in the notebook's own ten runs, "
                "the first place changes with the seed. Report the features that lead across runs, and "
                "their common direction."),
            why=lambda ctx: {
                "a": "LIME's first place changes with the seed: "
                     f"{_leaders_other_seeds(ctx).value_counts().to_dict()} over ten other seeds",
                "b": f"SHAP ranks {_shap_first(ctx)} first for this patient, not chest-pain type; and two "
                     "methods agreeing would not make one seed's ranking stable"},
        ),
        Number(
            name="spread_with_500",
            needs=NEEDS,
            decision=True,
            reference=lambda ctx: _spread(ctx, 500),
            tolerance=0.002,
            hint="Loop over range(SEED, SEED + 10), explain with num_samples=500 and num_features=5, "
                 "collect explain.lime_weights(...) and compute std / |mean| of the 'cp' column.",
            explanation=lambda ctx: (
                f"With 500 samples cp's weight varies by {_spread(ctx, 500):.0%} of its size across seeds, "
                f"against {_spread(ctx, 5000):.0%} with 5000: ten times fewer samples gave "
                f"{_spread(ctx, 500) / _spread(ctx, 5000):.1f} times the spread (sampling noise alone would "
                "predict the square root of ten, about 3.2; but a spread estimated from 10 seeds is itself "
                "uncertain by roughly a quarter, so this is a rough comparison). Buy precision with samples, "
                "and measure it."),
            mistakes=[(lambda ctx: _spread(ctx, 5000),
                       "that is the spread with 5000 samples, the notebook's")],
        ),
    ],
)
