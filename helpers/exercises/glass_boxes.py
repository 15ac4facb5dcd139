"""Exercises of notebooks/08_glass_boxes_and_equally_good_models.ipynb: reading an odds ratio, and
choosing a model to deploy from paired bootstrap intervals and an equivalence test.

The references are computed here by other routes than the notebook's solution cells: the odds ratio
from scikit-learn's coefficient and scaler (the solution uses statsmodels' table), the deployment
verdicts from a fresh bootstrap with another seed and more resamples, by the helpers
(``glassbox.bootstrap_auc``, ``glassbox.tost``), not by a re-typed bootstrap.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..glassbox import bootstrap_auc, tost
from .framework import Choice, Number, Topic

MODELS = ("forest", "logistic regression", "tree (depth 3)", "EBM")


# ---------------------------------------------------------------- 1. odds per vessel
def _ca_coefficient(ctx) -> tuple[float, float]:
    """The logistic regression's log-odds per SD of ca and the SD the scaler divided by."""
    design, regression = ctx["logistic"][0], ctx["logistic"][-1]
    columns = list(design.get_feature_names_out())
    scaler = design.named_transformers_["standardized"]
    scale = float(scaler.scale_[list(scaler.feature_names_in_).index("ca")])
    return float(regression.coef_[0][columns.index("ca")]), scale


def _odds_per_vessel(ctx, ddof=0):
    """exp(coefficient / SD): with ddof=0 the scaler's own SD (the answer); ddof=1 the sample SD."""
    coef, scale = _ca_coefficient(ctx)
    if ddof:
        scale = float(ctx["X_train"]["ca"].std(ddof=ddof))
    return float(np.exp(coef / scale))


def _odds_explanation(ctx):
    coef, scale = _ca_coefficient(ctx)
    return (f"The odds ratio per SD, {np.exp(coef):.4f}, raised to the power 1 / SD (SD = {scale:.4f} "
            "vessels, the population SD StandardScaler divides by): each extra vessel multiplies the odds "
            f"by {_odds_per_vessel(ctx):.4f}, the other features held fixed (with an interval as wide as the "
            "per-SD one suggests).")


ODDS_PER_VESSEL = Number(
    name="odds_per_vessel",
    needs=("logistic", "X_train"),
    reference=_odds_per_vessel,
    relative=0.001,  # 3 significant digits; the sample SD (ddof=1) gives a value about 0.3% lower
    digits=3,
    hint="ca was standardized: one SD of ca is X_train['ca'].std(ddof=0) vessels (StandardScaler's "
         "population SD; the fitted scaler keeps it in scale_). The odds ratio per SD is "
         "exp(coefficient); per vessel the coefficient is divided by the SD.",
    explanation=_odds_explanation,
    mistakes=[
        (lambda c: _odds_per_vessel(c, ddof=1),
         ("that uses the sample SD (ddof=1, pandas' default); StandardScaler divided ca by the population "
          "SD (ddof=0)")),
        (lambda c: float(np.exp(_ca_coefficient(c)[0])),
         "that is the odds ratio per standard deviation of ca, not per vessel: convert with the SD"),
        (lambda c: _ca_coefficient(c)[0],
         "that is the coefficient, a change in log-odds; the odds are multiplied by exp of it"),
        (lambda c: _ca_coefficient(c)[0] / _ca_coefficient(c)[1],
         "that is the change in log-odds per vessel; the odds are multiplied by exp of it"),
        (lambda c: float(np.exp(_ca_coefficient(c)[0] * _ca_coefficient(c)[1])),
         "you multiplied by the SD: one vessel is 1 / SD standard deviations, so divide"),
        (lambda c: 1 / _odds_per_vessel(c),
         "that is the reciprocal: more vessels raise the odds, so the factor is above 1"),
    ],
)


# ---------------------------------------------------------------- 2. which model to deploy
def _gaps(ctx) -> pd.DataFrame:
    """Per model: 95% interval of forest - model AUC (a difference) and the TOST verdict at the notebook's
    margin, from a bootstrap independent of the notebook's (another seed, more resamples)."""
    predictions = ctx["predictions"]
    missing = [m for m in MODELS if m not in predictions.columns]
    if missing:
        raise KeyError(f"predictions needs the columns {list(MODELS)}; missing {missing}")
    boot = bootstrap_auc(ctx["y_test"], predictions[list(MODELS)], n_boot=5000, random_state=20240607)
    gaps = boot.rsub(boot["forest"], axis=0).drop(columns="forest")
    out = tost(gaps, ctx["margin"])
    out["low"], out["high"] = gaps.quantile(0.025), gaps.quantile(0.975)
    return out


def _deploy_truth(ctx) -> dict[str, bool]:
    g = _gaps(ctx)
    worse, better = g["low"] > 0, g["high"] < 0
    boxes = ["logistic regression", "EBM"]
    return {"a": bool(worse.all()),
            "b": bool(g.loc[boxes, "equivalent"].all()),
            "c": bool(not worse[boxes].any() and not g.loc[boxes, "equivalent"].any()),
            "d": bool(not worse.any() and not better.any())}


def _deploy_reference(ctx):
    true = [k for k, v in _deploy_truth(ctx).items() if v]
    if len(true) != 1:
        raise RuntimeError(f"the deployment question has {len(true)} true options on this run ({true}); "
                           "its wording no longer fits the numbers")
    return true[0]


def _deploy_why(ctx):
    g = _gaps(ctx)

    def gap(m, level="95%"):
        low, high = ("low", "high") if level == "95%" else ("90% low", "90% high")
        return f"[{g.loc[m, low]:.3f}, {g.loc[m, high]:.3f}]"

    return {
        "a": f"the forest is not measurably better than every model: the 95% interval of forest − "
             f"logistic regression is {gap('logistic regression')} and of forest − EBM {gap('EBM')}, both "
             "containing 0",
        "b": f"an interval containing 0 is not equivalence: the 90% intervals, "
             f"{gap('logistic regression', '90%')} (logistic regression) and {gap('EBM', '90%')} (EBM), "
             f"reach past ±{ctx['margin']}",
        "c": "this is the supported statement",
        "d": f"overlapping intervals of each AUC are not the test; the paired difference is, and "
             f"forest − tree, {gap('tree (depth 3)')}, excludes 0",
    }


DEPLOY = Choice(
    name="deploy",
    needs=("predictions", "y_test", "margin"),
    reference=_deploy_reference,
    options=("a", "b", "c", "d"),
    why=_deploy_why,
    decision=True,
    hint="Two questions, two intervals: a difference needs the paired 95% interval to exclude 0; "
         "equivalence needs the 90% interval of the paired difference inside ±margin (section 2.4).",
    explanation="On 61 patients the logistic regression and the EBM are neither shown worse than the "
                "forest nor shown "
                "equivalent to it within the margin: 'not significantly different' is absence of evidence. "
                "The depth-3 tree is measurably worse.",
)


TOPIC = Topic(title="Glass boxes and equally good models", notebook="08_glass_boxes_and_equally_good_models",
              questions=[ODDS_PER_VESSEL, DEPLOY])
