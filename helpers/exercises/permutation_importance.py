"""Exercises of notebooks/01_permutation_importance.ipynb: reading a planted control, choosing which
examination to drop, and what dropping it costs."""

from __future__ import annotations

from functools import partial

import numpy as np
from sklearn.metrics import roc_auc_score

from .framework import Choice, Name, Number, Topic, memoised

CANDIDATES = ("ca", "thal", "thalach")
NEEDS = ("forest", "X_train", "X_test", "y_train", "y_test")


def _held_out_auc(model, X, y) -> float:
    return float(roc_auc_score(y, model.predict_proba(X)[:, 1]))


@memoised
def _auc_without(ctx, feature: str) -> float:
    """Drop-column importance's second half: retrain without ``feature``, score on held-out patients.
    The three retrainings are done once per loaded set of exercises."""
    from ..models import train_forest

    model = train_forest(ctx["X_train"].drop(columns=feature), ctx["y_train"], random_state=0)
    return _held_out_auc(model, ctx["X_test"].drop(columns=feature), ctx["y_test"])


def _cheapest_to_drop(ctx) -> str:
    """The reference by another method than the notebook's: retrain without each candidate (drop-column
    importance) and keep the one whose absence costs the least held-out ROC AUC."""
    costs = {f: _held_out_auc(ctx["forest"], ctx["X_test"], ctx["y_test"]) - _auc_without(ctx, f)
             for f in CANDIDATES}
    return min(costs, key=costs.get)


def _drop_reason(ctx, feature: str) -> str:
    full = _held_out_auc(ctx["forest"], ctx["X_test"], ctx["y_test"])
    return (f"without {feature} the retrained forest's held-out ROC AUC is {_auc_without(ctx, feature):.3f} "
            f"against {full:.3f} with it; of the three, pick the one with the smallest held-out permutation "
            "importance")


def _noise_verdict(ctx) -> str:
    """Recomputed with eli5's own permutation loop (a second library, other shuffles), for the noise
    column only, on the notebook's noise forest."""
    import pandas as pd
    from eli5.permutation_importance import get_score_importances

    X = ctx["X_test_noise"]
    names = list(X.columns)

    def score(rows, y):
        return roc_auc_score(y, ctx["forest_noise"].predict_proba(pd.DataFrame(rows, columns=names))[:, 1])

    _, drops = get_score_importances(score, X.to_numpy(), ctx["y_test"].to_numpy(), n_iter=10,
                                     columns_to_shuffle=[names.index("noise")], random_state=1)
    shuffles = np.asarray(drops)[:, 0]
    mean, sd = shuffles.mean(), shuffles.std()
    return "c" if mean - 2 * sd <= 0 <= mean + 2 * sd else "a"


TOPIC = Topic(
    title="permutation importance",
    notebook="01_permutation_importance",
    questions=[
        Choice(
            name="noise_verdict",
            needs=("forest_noise", "X_test_noise", "y_test"),
            decision=True,
            options=("a", "b", "c", "d"),
            reference=_noise_verdict,
            hint="Ask whether the model needs the column on patients it has not seen: compare the noise "
                 "column's held-out permutation importance with 2 standard deviations of its shuffles.",
            explanation="A held-out permutation importance whose interval includes zero is "
                        "indistinguishable from 'not used'; impurity and training-set importance measure "
                        "what the trees memorised, not what helps on new patients.",
            why={"a": "impurity importance is computed on the training data while the trees grow and "
                      "rewards columns with many split points; pure noise offers many",
                 "b": "they answer different questions: impurity importance sums the Gini gain of the "
                      "training-set splits, permutation importance asks what the model loses on patients "
                      "when the column is scrambled; they disagree exactly on columns like this one",
                 "d": "on the training set the forest memorised the noise; what matters for new patients "
                      "is measured on held-out data, where it is indistinguishable from zero"},
        ),
        Name(
            name="drop_first",
            needs=NEEDS,
            decision=True,
            valid=CANDIDATES,
            reference=_cheapest_to_drop,
            hint="Look up the three features in the scikit-learn permutation table (sk_mean) and take the "
                 "smallest held-out importance.",
            explanation=lambda ctx: (
                "thalach has a held-out permutation importance of about zero: the forest can do without it "
                "on these patients (notebook 05 shows why: its information is shared with correlated "
                "features). The checker confirmed it another way, by retraining without each candidate: "
                "held-out ROC AUC " + ", ".join(f"without {f} {_auc_without(ctx, f):.3f}" for f in CANDIDATES)
                + f", with all {_held_out_auc(ctx['forest'], ctx['X_test'], ctx['y_test']):.3f}."),
            mistakes=[(f, partial(_drop_reason, feature=f)) for f in CANDIDATES],
        ),
        Number(
            name="auc_without",
            needs=NEEDS,
            decision=True,
            reference=lambda ctx: _auc_without(ctx, _cheapest_to_drop(ctx)),
            tolerance=0.0005,
            hint="models.train_forest(X_train.drop(columns=name), y_train, random_state=SEED), then "
                 "roc_auc_score(y_test, proba) with the same column dropped from X_test.",
            explanation=lambda ctx: (
                f"Without {_cheapest_to_drop(ctx)} the forest's held-out ROC AUC is "
                f"{_auc_without(ctx, _cheapest_to_drop(ctx)):.3f}, against "
                f"{_held_out_auc(ctx['forest'], ctx['X_test'], ctx['y_test']):.3f} with it: nothing is lost "
                "on these patients. That does not make the measurement useless, only redundant here: its "
                "information is shared with correlated features (notebook 05)."),
            mistakes=[
                (lambda ctx: _held_out_auc(ctx["forest"], ctx["X_test"], ctx["y_test"]),
                 "that is the full forest's AUC: retrain without the feature first"),
                (lambda ctx: _auc_without(ctx, "ca"), "that is the AUC without ca"),
                (lambda ctx: _auc_without(ctx, "thal"), "that is the AUC without thal"),
                (lambda ctx: _held_out_auc(ctx["forest"], ctx["X_train"], ctx["y_train"]),
                 "that is the full forest's AUC on its own training patients: score held-out patients"),
            ],
        ),
    ],
)
