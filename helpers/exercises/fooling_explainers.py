"""Exercises of notebooks/20_fooling_lime_and_shap.ipynb: the fairness audit's gap, what to do with a
vendor's reassuring explanations, and whether a sampled background can certify a model as fair."""

from __future__ import annotations

import numpy as np

from .framework import Choice, Number, Topic, memoised


def _rates(ctx, X) -> tuple[float, float]:
    """Share of 'disease' predictions of the scaffold for men and for women in ``X`` (its probability of
    class 1 thresholded at 0.5, counted with NumPy; the notebook uses predict and pandas)."""
    disease = ctx["scaffold"].predict_proba(X)[:, 1] >= 0.5
    men = X["sex"].to_numpy() == 1
    return float(disease[men].mean()), float(disease[~men].mean())


def _gap(ctx) -> float:
    men, women = _rates(ctx, ctx["X_test"])
    return men - women


def _stump_root(ctx) -> str:
    """The feature of a depth-1 tree fitted to the scaffold's predictions on the training patients (the
    notebook fits a depth-2 tree)."""
    from sklearn.tree import DecisionTreeClassifier

    X = ctx["X_train"]
    stump = DecisionTreeClassifier(max_depth=1, random_state=ctx["seed"]).fit(X, ctx["scaffold"].predict(X))
    return str(X.columns[stump.tree_.feature[0]])


@memoised
def _sampled_pass(ctx) -> float:
    """Share of KernelSHAP-style rows built on a background of 30 sampled training patients (the checker's
    own draw, not the notebook's) that the scaffold's detector calls real."""
    from ..fooling import kernel_shap_style

    X = ctx["X_train"]
    background = X.sample(30, random_state=ctx["seed"] + 7)
    rows = kernel_shap_style(X, background, 3000, random_state=ctx["seed"] + 8)
    return float(np.mean(ctx["scaffold"].looks_real(rows)))


TOPIC = Topic(
    title="fooling LIME and SHAP",
    notebook="20_fooling_lime_and_shap",
    questions=[
        Number(
            name="audit_gap",
            needs=("scaffold", "X_test"),
            reference=_gap,
            tolerance=0.001,
            hint="predicted = scaffold.predict(X_test); compare predicted[X_test['sex'] == 1].mean() with "
                 "the same for sex == 0.",
            explanation=lambda ctx: (
                f"The scaffold predicts disease for {_rates(ctx, ctx['X_test'])[0]:.0%} of held-out men and "
                f"{_rates(ctx, ctx['X_test'])[1]:.0%} of held-out women (the checker counted them again with "
                "NumPy). The explainers never saw this; a count on real patients did."),
            mistakes=[
                (1.0, ("that is the biased model's gap (every man, no woman); the question asks about the "
                       "deployed model, the scaffold, which falls back on the coin for patients that look "
                       "perturbed")),
                (lambda ctx: _rates(ctx, ctx["X_test"])[0],
                 "that is the share for men alone; subtract the share for women"),
                (lambda ctx: _rates(ctx, ctx["X_train"])[0] - _rates(ctx, ctx["X_train"])[1],
                 "that is the gap on the training patients; the question asks about the held-out ones"),
            ],
        ),
        Choice(
            name="vendor",
            needs=("scaffold", "X_train", "X_test", "seed"),
            decision=True,
            options=("a", "b", "c", "d"),
            reference=lambda ctx: "c" if _gap(ctx) > 0.2 and _stump_root(ctx) == "sex" else "a",
            hint="Which checks in section 8 asked the model only about real patients, and what did the "
                 "explainers ask it about?",
            explanation=lambda ctx: (
                "Explainers that query made-up rows can be steered by a model that recognises them; checks "
                "that ask only about real patients are not steered by this detector: here the held-out gap "
                "between men and women is "
                f"{_gap(ctx):.2f}, and even a one-split tree fitted to the predictions splits on "
                f"{_stump_root(ctx)!r} (the checker's own stump; the notebook's tree has depth 2)."),
            why={"a": "KernelSHAP with a k-means background was fooled as thoroughly as LIME (section 5): "
                      "its coalitions are filled from cluster centres, rows the detector recognises",
                 "b": "more samples make LIME's answer steadier, not truer: every extra sample is another "
                      "made-up row the detector sends to the harmless rule",
                 "d": "both explainers were fooled by the same detector; agreement between two methods that "
                      "share a blind spot is no evidence"},
        ),
        Choice(
            name="certify",
            needs=("scaffold", "X_train", "seed"),
            decision=True,
            options=("a", "b", "c"),
            reference=lambda ctx: "a" if _sampled_pass(ctx) < 0.9 else "b",
            hint="Look at the histogram in section 6: what share of the rows KernelSHAP built from a sampled "
                 "background did the detector call real?",
            explanation=lambda ctx: (
                "The checker built its own KernelSHAP-style rows on another 30 sampled patients: the "
                f"detector calls {_sampled_pass(ctx):.0%} of them real, so the rest reach the harmless rule "
                "and the explanation mixes the two models. A method that an attacker can partly steer "
                "cannot certify the absence of a bias; audit the predictions on real patients."),
            why={"b": "the substituted values are real, but the combinations are not all patients; the "
                      "detector still sends a large share of them to the harmless rule",
                 "c": "a threshold on how often sex is first only measures how well the attack worked this "
                      "time; the biased model itself had sex first for every patient"},
        ),
    ],
)
