"""Exercises of notebooks/06_correlated_features_and_interactions.ipynb.

The references are computed by other routes than the notebook's solution cells: permutation importance
row order by row order with scikit-learn's ROC AUC (not the batched helper), Friedman's H from partial
dependence on every pair of rows (not one computation per distinct value), and the contrastive total from
the forest's predicted probabilities (not from shap)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.metrics import roc_auc_score

from .. import explain
from .framework import Choice, Number, Topic


# ---------------------------------------------------------------- references
def _auc(ctx, X):
    return roc_auc_score(ctx["y_test"], ctx["forest"].predict_proba(X)[:, 1])


def _joint_drop(ctx, columns, n_repeats=100):
    """Mean drop in held-out AUC when ``columns`` are shuffled with the same row order, one repeat at a
    time (the row orders are scikit-learn's, as in the notebook)."""
    X = ctx["X_test"]
    base = _auc(ctx, X)
    drops = []
    for order in explain.shuffles(len(X), n_repeats, random_state=ctx["SEED"]):
        shuffled = X.copy()
        for c in columns:
            shuffled[c] = X[c].to_numpy()[order]
        drops.append(base - _auc(ctx, shuffled))
    return float(np.mean(drops))


def _h_statistic(ctx, j, k, X=None, squared=False, unnormalised=False):
    """Friedman's H for (j, k) from PD evaluated on every pair of rows (n x n predictions per PD)."""
    X = ctx["X_test"] if X is None else X
    n = len(X)

    def centred(columns):
        rows = pd.concat([X.assign(**{c: X[c].iloc[i] for c in columns}) for i in range(n)])
        values = ctx["forest"].predict_proba(rows)[:, 1].reshape(n, n).mean(axis=1)
        return values - values.mean()

    joint = centred([j, k])
    part = joint - centred([j]) - centred([k])
    if unnormalised:
        return float(np.sqrt(np.mean(part ** 2)))
    h2 = float(np.sum(part ** 2) / np.sum(joint ** 2))
    return h2 if squared else float(np.sqrt(h2))


def _risk(ctx):
    return ctx["forest"].predict_proba(ctx["X_test"].iloc[[ctx["row"]]])[0, 1]


def _mean_risk(ctx, X):
    return float(ctx["forest"].predict_proba(X)[:, 1].mean())


def _healthy(ctx):
    return ctx["X_train"][np.asarray(ctx["y_train"]) == 0]


def _shap_sample_of_healthy(ctx):
    """The 100 healthy patients shap keeps when it is handed all of them (shap.utils.sample, seed 0)."""
    from sklearn.utils import shuffle

    healthy = _healthy(ctx)
    return shuffle(healthy, n_samples=min(100, len(healthy)), random_state=0)


def _thalach_statement(ctx):
    """Which statement the notebook's drop-column table supports: thalach alone costs nothing (within 0.01
    AUC) while its whole cluster costs clearly more (over 0.02) -> (b)."""
    drop = ctx["drop"].mean(axis=1)
    thalach, whole = drop["thalach"], drop[ctx["cluster_name"]]
    if abs(thalach) < 0.01 and whole > 0.02:
        return "b"
    return "c" if thalach >= 0.01 else "d"


# ---------------------------------------------------------------- questions
TOPIC = Topic(
    title="Correlated features, interactions and backgrounds",
    notebook="06_correlated_features_and_interactions",
    questions=[
        Number(
            name="grouped_importance",
            needs=("forest", "X_test", "y_test", "SEED"),
            reference=lambda ctx: _joint_drop(ctx, ["age", "ca"]),
            tolerance=1e-9,
            hint=("explain.permutation_importance(forest, X_test, y_test, "
                  "groups={'age+ca': ['age', 'ca']}, n_repeats=100, random_state=SEED), then .mean"),
            explanation=("Shuffled together, age and ca cost more AUC than the two shuffled one at a time "
                         "added up: much of what they carry, each can stand in for the other."),
            mistakes=[
                (lambda ctx: _joint_drop(ctx, ["age"]) + _joint_drop(ctx, ["ca"]),
                 ("that is the sum of the two single-feature importances; the question shuffles both "
                  "columns with the same row order at once, and for correlated features the two differ")),
                (lambda ctx: _joint_drop(ctx, ["ca"]), "that is ca alone; shuffle age and ca together"),
                (lambda ctx: _joint_drop(ctx, ["age", "ca"], n_repeats=10),
                 "that is with 10 repeats; the question asks for 100"),
            ],
        ),
        Number(
            name="h_cp_exang",
            needs=("forest", "X_test", "X_train"),
            reference=lambda ctx: _h_statistic(ctx, "cp", "exang"),
            tolerance=1e-9,
            hint=("interactions.h_statistic(forest, X_test, [('cp', 'exang')]) returns a table; "
                  "take its 'H' column"),
            explanation=("H is the square root of the share of the pair's joint partial dependence that is "
                         "not the sum of the two single ones."),
            mistakes=[
                (lambda ctx: _h_statistic(ctx, "cp", "exang", squared=True),
                 "that is H², the share of variance; the question asks for H, its square root"),
                (lambda ctx: _h_statistic(ctx, "cp", "exang", unnormalised=True),
                 ("that is the un-normalised statistic (the sd of the interaction part); the question "
                  "asks for the normalised H")),
                (lambda ctx: _h_statistic(ctx, "cp", "exang", X=ctx["X_train"]),
                 "that is computed on the training patients; the question asks for the 61 test patients"),
            ],
        ),
        Number(
            name="contrastive_total",
            needs=("forest", "X_train", "y_train", "X_test", "row"),
            reference=lambda ctx: _risk(ctx) - _mean_risk(ctx, _healthy(ctx)),
            tolerance=2e-4,
            decision=True,
            hint=("the background is the training patients without heart disease (y_train == 0); pass "
                  "them all through shap.maskers.Independent(..., max_samples=len(...))"),
            explanation=("Against healthy patients the SHAP values distribute the patient's risk minus the "
                         "healthy patients' mean risk: additivity, checked here from predict_proba alone."),
            mistakes=[
                (lambda ctx: _risk(ctx) - _mean_risk(ctx, ctx["X_train"]),
                 ("that explains the patient against all training patients, sick and healthy; the "
                  "question compares with healthy patients only")),
                (lambda ctx: _risk(ctx) - _mean_risk(ctx, _shap_sample_of_healthy(ctx)),
                 ("that is against the 100 healthy patients shap keeps when handed all of them; pass the "
                  "background through shap.maskers.Independent(data, max_samples=len(data))")),
                (lambda ctx: _risk(ctx),
                 ("that is the patient's predicted risk itself, not the part the SHAP values distribute "
                  "(the risk minus the base value)")),
                (lambda ctx: _mean_risk(ctx, _healthy(ctx)),
                 "that is the base value (the healthy patients' mean risk), not the sum of the SHAP values"),
            ],
        ),
        Choice(
            name="drop_thalach",
            needs=("drop", "cluster_name"),
            options=("a", "b", "c", "d"),
            reference=_thalach_statement,
            decision=True,
            hint=("compare the drop-column importance of thalach with that of its whole cluster, and "
                  "recall what mean |SHAP| measures"),
            explanation=("Retrained without thalach the forest scores as well (drop-column ≈ 0, within the "
                         "seed noise): what thalach carries, other features carry too. Its information is "
                         "shared, not absent, and dropping whole groups of features is another matter."),
            why={
                "a": ("the forest does use thalach: its mean |SHAP| is among the five largest and shuffling "
                      "it moves the predictions; it just adds nothing other features do not already give"),
                "c": ("mean |SHAP| measures how much the prediction moves, not how much the score would "
                      "suffer; the forest retrained without thalach scores as well on held-out patients"),
                "d": ("the cluster's drop-column importance is clearly positive: the information is needed, "
                      "it is just available from more than one feature"),
            },
        ),
    ],
)
