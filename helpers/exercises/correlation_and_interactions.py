"""Exercises of notebooks/06_correlated_features_and_interactions.ipynb.

The references are computed by other routes than the notebook's solution cells: permutation importance
row order by row order with scikit-learn's ROC AUC (not the batched helper's rank formula), Friedman's H
from partial dependence on every pair of rows (not one computation per distinct value), and the
contrastive total from the forest's predicted probabilities (not from shap). The notebook prints neither
answer before the exercises: the group (cp, exang) and the background (healthy men) are the learner's
own computations."""

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
    """Mean drop in held-out AUC when ``columns`` are shuffled with the same row order, scored one repeat at
    a time with scikit-learn (the row orders are scikit-learn's, as in the notebook; the shuffled copies
    are predicted in one call). Remembered in ``ctx``: the reference and the feedback need the same ones."""
    cache = ctx.setdefault("_joint_drops", {})
    key = (tuple(columns), n_repeats)
    if key not in cache:
        cache[key] = _joint_drop_uncached(ctx, columns, n_repeats)
    return cache[key]


def _joint_drop_uncached(ctx, columns, n_repeats):
    X, y = ctx["X_test"], ctx["y_test"]
    base = _auc(ctx, X)
    copies = pd.concat([X] * n_repeats, ignore_index=True)
    for c in columns:  # repeat r holds column c in the r-th row order
        copies[c] = np.concatenate([X[c].to_numpy()[order]
                                    for order in explain.shuffles(len(X), n_repeats, ctx["SEED"])])
    risk = ctx["forest"].predict_proba(copies)[:, 1].reshape(n_repeats, len(X))
    return float(np.mean([base - roc_auc_score(y, r) for r in risk]))


PAIR = ["cp", "exang"]


def _pair_explanation(ctx):
    joint = _joint_drop(ctx, PAIR)
    alone = {c: _joint_drop(ctx, [c]) for c in PAIR}
    total = sum(alone.values())
    return (f"Shuffled together, cp and exang cost {joint:.4f} AUC; one at a time they cost "
            f"{alone['cp']:.4f} and {alone['exang']:.4f}, which add up to {total:.4f}. The "
            f"{joint - total:.4f} that appears only when both are scrambled is how much more each costs once "
            "the other is scrambled than it costs alone: as far as the score can tell, part of what they "
            "carry either can supply. Single importances do not add up to a group's.")


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


def _healthy(ctx, sex=None):
    """The healthy training patients; with ``sex`` (1 = men, 0 = women) only those."""
    X = ctx["X_train"]
    keep = np.asarray(ctx["y_train"]) == 0
    if sex is not None:
        keep &= X["sex"].to_numpy() == sex
    return X[keep]


def _patient_sex(ctx):
    return int(ctx["X_test"].iloc[ctx["row"]]["sex"])


def _healthy_like_him(ctx):
    if _patient_sex(ctx) != 1:
        raise RuntimeError("the exercise asks about a man, but patient `row` is a woman: its wording no "
                           "longer fits the notebook's example patient")
    return _healthy(ctx, sex=1)


def _shap_sample_of_healthy(ctx):
    """The 100 healthy patients shap keeps when it is handed all of them (shap.utils.sample, seed 0)."""
    from sklearn.utils import shuffle

    healthy = _healthy(ctx)
    return shuffle(healthy, n_samples=min(100, len(healthy)), random_state=0)


def _contrastive_explanation(ctx):
    background = _healthy_like_him(ctx)
    risk, base = _risk(ctx), _mean_risk(ctx, background)
    return (f"Against the {len(background)} healthy men the SHAP values distribute his risk {risk:.3f} minus "
            f"their mean risk {base:.3f}: {risk - base:.4f} (additivity, checked here from predict_proba "
            f"alone). Against all {len(_healthy(ctx))} healthy patients the same sum is "
            f"{risk - _mean_risk(ctx, _healthy(ctx)):.4f}: a different question, a different answer. And sex "
            "gets exactly 0: every patient in this background shares his value, so putting theirs in its "
            "place changes nothing.")


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
            reference=lambda ctx: _joint_drop(ctx, PAIR),
            tolerance=1e-9,
            hint=("explain.permutation_importance(forest, X_test, y_test, "
                  "groups={'cp+exang': ['cp', 'exang']}, n_repeats=100, random_state=SEED), then .mean"),
            explanation=_pair_explanation,
            mistakes=[
                (lambda ctx: _joint_drop(ctx, ["cp"]) + _joint_drop(ctx, ["exang"]),
                 ("that is the sum of the two single-feature importances; the question shuffles both "
                  "columns with the same row order at once, and for correlated features the two differ")),
                (lambda ctx: _joint_drop(ctx, ["cp"]), "that is cp alone; shuffle cp and exang together"),
                (lambda ctx: _joint_drop(ctx, ["exang"]),
                 "that is exang alone; shuffle cp and exang together"),
                (lambda ctx: _joint_drop(ctx, PAIR, n_repeats=10),
                 "that is with 10 repeats; the question asks for 100"),
                (lambda ctx: _joint_drop(ctx, ["age", "ca"]),
                 ("that is age and ca shuffled jointly (printed in section 3); the question asks for cp "
                  "and exang")),
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
            reference=lambda ctx: _risk(ctx) - _mean_risk(ctx, _healthy_like_him(ctx)),
            tolerance=2e-4,
            decision=True,
            hint=("the background is the training patients without heart disease (y_train == 0) who are men "
                  "(X_train['sex'] == 1); pass them all through "
                  "shap.maskers.Independent(..., max_samples=len(...))"),
            explanation=_contrastive_explanation,
            mistakes=[
                (lambda ctx: _risk(ctx) - _mean_risk(ctx, _healthy(ctx)),
                 ("that explains him against all healthy patients, women included (section 10's "
                  "comparison); the question compares him with healthy men")),
                (lambda ctx: _risk(ctx) - _mean_risk(ctx, _healthy(ctx, sex=1 - _patient_sex(ctx))),
                 "that compares him with healthy women; the question asks about healthy men (sex == 1)"),
                (lambda ctx: _risk(ctx) - _mean_risk(ctx, ctx["X_train"]),
                 ("that explains him against all training patients, sick and healthy; the question "
                  "compares with healthy men only")),
                (lambda ctx: _risk(ctx) - _mean_risk(ctx, _shap_sample_of_healthy(ctx)),
                 ("that is against the 100 healthy patients, men and women, that shap keeps when handed all "
                  "of them; the question compares with healthy men only")),
                (lambda ctx: _risk(ctx),
                 ("that is the patient's predicted risk itself, not the part the SHAP values distribute "
                  "(the risk minus the base value)")),
                (lambda ctx: _mean_risk(ctx, _healthy_like_him(ctx)),
                 "that is the base value (the healthy men's mean risk), not the sum of the SHAP values"),
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
