"""Exercises of notebooks/07_interactions_and_shap_estimators.ipynb.

The references are computed from copies of the notebook's objects taken when the exercises load: Friedman's
H by the course's helper ``interactions.h_statistic`` (tested against closed-form answers in
tests/test_interactions.py), and the contrastive total from the forest's predicted probabilities alone,
by additivity (not from shap, which the learner's solution uses)."""

from __future__ import annotations

import numpy as np

from .. import interactions
from .framework import CopyingTopic, Number


def _h(ctx, column="H", X=None):
    X = ctx["X_test"] if X is None else X
    return float(interactions.h_statistic(ctx["forest"], X, [("cp", "exang")])[column].iloc[0])


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
    import shap

    return shap.utils.sample(_healthy(ctx), 100)


def _contrastive_explanation(ctx):
    background = _healthy_like_him(ctx)
    risk, base = _risk(ctx), _mean_risk(ctx, background)
    return (f"Against the {len(background)} healthy men the SHAP values distribute his risk {risk:.3f} minus "
            f"their mean risk {base:.3f}: {risk - base:.4f} (additivity, checked here from predict_proba "
            f"alone). Against all {len(_healthy(ctx))} healthy patients the same sum is "
            f"{risk - _mean_risk(ctx, _healthy(ctx)):.4f}: a different question, a different answer. And sex "
            "gets exactly 0: every patient in this background shares his value, so putting theirs in its "
            "place changes nothing.")


# ---------------------------------------------------------------- questions
TOPIC = CopyingTopic(
    title="Interactions and SHAP's estimators",
    notebook="07_interactions_and_shap_estimators",
    questions=[
        Number(
            name="h_cp_exang",
            needs=("forest", "X_test", "X_train"),
            reference=_h,
            tolerance=1e-9,
            hint=("interactions.h_statistic(forest, X_test, [('cp', 'exang')]) returns a table; "
                  "take its 'H' column"),
            explanation=("H is the square root of the share of the pair's joint partial dependence that is "
                         "not the sum of the two single ones."),
            mistakes=[
                (lambda ctx: _h(ctx, "H2"),
                 "that is H², the share of variance; the question asks for H, its square root"),
                (lambda ctx: _h(ctx, "interaction_sd"),
                 ("that is the un-normalised statistic (the sd of the interaction part); the question "
                  "asks for the normalised H")),
                (lambda ctx: _h(ctx, X=ctx["X_train"]),
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
                 ("that explains him against all healthy patients, women included (section 4's "
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
    ],
)
