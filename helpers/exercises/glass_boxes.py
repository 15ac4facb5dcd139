"""Exercises of notebooks/07_glass_boxes_and_counterfactuals.ipynb: reading an odds ratio, choosing a
model to deploy from paired bootstrap intervals, and answering a patient's counterfactual question.

The references are computed here by other routes than the notebook's solution cells: the odds ratio
from scikit-learn's coefficient and scaler (the solution uses statsmodels' table), the deployment
verdicts from a fresh bootstrap with another seed and more resamples, the patient's question from the
good models' risks with the changed cholesterol.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..explain import auc_rows
from ..glassbox import bootstrap_indices
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
    """95% intervals of forest - model AUC from a bootstrap independent of the notebook's."""
    predictions, y = ctx["predictions"], np.asarray(ctx["y_test"])
    missing = [m for m in MODELS if m not in predictions.columns]
    if missing:
        raise KeyError(f"predictions needs the columns {list(MODELS)}; missing {missing}")
    idx = bootstrap_indices(len(y), 5000, random_state=20240607)
    auc = {m: auc_rows(y[idx], predictions[m].to_numpy()[idx]) for m in MODELS}
    rows = {m: np.quantile(auc["forest"] - auc[m], [0.025, 0.975]) for m in MODELS[1:]}
    out = pd.DataFrame(rows, index=["low", "high"]).T
    out["auc"] = [auc_rows(y, predictions[m].to_numpy()) for m in out.index]
    out.loc["forest", "auc"] = auc_rows(y, predictions["forest"].to_numpy())
    return out


def _deploy_truth(ctx) -> dict[str, bool]:
    g = _gaps(ctx)
    worse = {m: g.loc[m, "low"] > 0 for m in MODELS[1:]}
    better = {m: g.loc[m, "high"] < 0 for m in MODELS[1:]}
    return {"a": all(worse.values()),
            "b": not worse["logistic regression"] and not worse["EBM"],
            "c": not worse["tree (depth 3)"],
            "d": not any(worse.values()) and not any(better.values())}


def _deploy_reference(ctx):
    true = [k for k, v in _deploy_truth(ctx).items() if v]
    if len(true) != 1:
        raise RuntimeError(f"the deployment question has {len(true)} true options on this run ({true}); "
                           "its wording no longer fits the numbers")
    return true[0]


def _deploy_why(ctx):
    g = _gaps(ctx)

    def gap(m):
        return f"[{g.loc[m, 'low']:.3f}, {g.loc[m, 'high']:.3f}]"

    return {
        "a": f"the forest is not measurably better than every model: forest − logistic regression is "
             f"{gap('logistic regression')} and forest − EBM is {gap('EBM')}, both containing 0 "
             f"(and the EBM's AUC, {g.loc['EBM', 'auc']:.3f}, is not below the forest's, "
             f"{g.loc['forest', 'auc']:.3f})",
        "b": "this is the supported recommendation",
        "c": f"the tree is measurably worse: forest − tree is {gap('tree (depth 3)')}, above 0",
        "d": f"overlapping intervals of each AUC are not the test; the paired difference is, and "
             f"forest − tree, {gap('tree (depth 3)')}, excludes 0",
    }


DEPLOY = Choice(
    name="deploy",
    needs=("predictions", "y_test"),
    reference=_deploy_reference,
    options=("a", "b", "c", "d"),
    why=_deploy_why,
    decision=True,
    hint="Look at the paired intervals of forest − model in section 2.4, not at the AUCs alone: an "
         "interval above 0 means measurably worse than the forest.",
    explanation="On 61 patients the glass boxes that matter (logistic regression, EBM) are not "
                "measurably worse than the forest, so nothing is gained by a black box that must be "
                "explained after the fact; the depth-3 tree is too simple.",
)


# ---------------------------------------------------------------- 3. the patient's question
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
             "good models",
        "d": f"not every good model agrees: {', '.join(above) or 'none'} stay at or above 0.5; and even if "
             "all agreed, a model's counterfactual is not a treatment effect",
    }


CHOLESTEROL_200 = Choice(
    name="cholesterol_200",
    needs=("good_models", "query"),
    reference=_cholesterol_reference,
    options=("a", "b", "c", "d"),
    why=_cholesterol_why,
    decision=True,
    hint="query.assign(chol=200.0) is the changed patient; predict it with every model in good_models. "
         "Then remember section 4.3: what would a model's prediction need to be a treatment effect?",
    explanation="The forest crosses 0.5 but not every equally good model does, and no model learned what "
                "lowering one patient's cholesterol does: that takes a trial, not a counterfactual.",
)


TOPIC = Topic(title="Glass boxes and counterfactuals", notebook="07_glass_boxes_and_counterfactuals",
              questions=[ODDS_PER_VESSEL, DEPLOY, CHOLESTEROL_200])
