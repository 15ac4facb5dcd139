"""Exercises of notebooks/05_trusting_tabular_explanations.ipynb: whether a feature's rank is a finding,
whether a shuffled-label model's SHAP values condemn SHAP, and reading a plot made on a flipped label."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .framework import Choice, Number, Topic, memoised


@memoised
def _oldpeak_ranks(ctx) -> pd.Series:
    """oldpeak's rank in 20 permutation-importance runs of 3 shuffles each (60 shuffles with the notebook's
    seed, cut into consecutive blocks of 3), recomputed here from the forest and the held-out patients."""
    from ..explain import permutation_importance

    sixty = permutation_importance(ctx["forest"], ctx["X_test"], ctx["y_test"], n_repeats=60,
                                   random_state=ctx["seed"]).importances
    runs = sixty.T.groupby(np.arange(60) // 3).mean()
    return runs.rank(axis=1, ascending=False)["oldpeak"]


def _share_fourth(ctx) -> float:
    return float((_oldpeak_ranks(ctx) == 4).mean())


@memoised
def _shuffled_model(ctx):
    """Another shuffled-label forest than the notebook's (another permutation of the labels)."""
    import shap
    from sklearn.metrics import roc_auc_score

    from ..models import train_forest

    rng = np.random.default_rng(ctx["seed"] + 1000)
    shuffled = pd.Series(rng.permutation(ctx["y_train"].to_numpy()), index=ctx["y_train"].index)
    model = train_forest(ctx["X_train"], shuffled, random_state=ctx["seed"])
    values = shap.TreeExplainer(model).shap_values(ctx["X_test"])[:, :, 1]
    return {"auc": float(roc_auc_score(ctx["y_test"], model.predict_proba(ctx["X_test"])[:, 1])),
            "shap": float(np.abs(values).mean(axis=0).sum())}


def _thalach_rises_on_kaggle_label(ctx) -> bool:
    """The Kaggle-coded forest's partial dependence of thalach, with pdpbox (the notebook: scikit-learn)."""
    from pdpbox import pdp

    from ..compat import quiet_pdpbox

    with quiet_pdpbox():
        result = pdp.PDPIsolate(model=ctx["forest_k"], df=ctx["Xk_train"].copy(),
                                model_features=list(ctx["Xk_train"].columns), feature="thalach",
                                feature_name="thalach", n_classes=2, num_grid_points=10)
    curve = result.results[0].pdp
    return bool(curve[-1] > curve[0])


TOPIC = Topic(
    title="trusting tabular explanations",
    notebook="05_trusting_tabular_explanations",
    questions=[
        Number(
            name="fourth_place",
            needs=("forest", "X_test", "y_test", "seed"),
            decision=True,
            reference=_share_fourth,
            tolerance=0.001,
            hint="ranks = pi_runs.rank(axis=1, ascending=False); then (ranks['oldpeak'] == 4).mean().",
            explanation=lambda ctx: (
                f"oldpeak is exactly 4th in {_share_fourth(ctx):.0%} of the 20 runs; its rank goes from "
                f"{_oldpeak_ranks(ctx).min():g} to {_oldpeak_ranks(ctx).max():g}, and it is in the top five "
                f"in {(_oldpeak_ranks(ctx) <= 5).mean():.0%} of them. A rank that the shuffles change "
                "is not a finding: report 'among the leading features', with the spread."),
            mistakes=[
                (lambda ctx: float((_oldpeak_ranks(ctx) <= 4).mean()),
                 "that is the share of runs with oldpeak 4th *or better*; the question asks for exactly 4th"),
                (lambda ctx: float((_oldpeak_ranks(ctx) == 4).sum()),
                 "that is the number of runs; give the share (a fraction of the 20)"),
            ],
        ),
        Choice(
            name="shuffled_labels",
            needs=("X_train", "X_test", "y_train", "y_test", "seed"),
            decision=True,
            options=("a", "b", "c"),
            reference=lambda ctx: "a" if abs(_shuffled_model(ctx)["auc"] - 0.5) < 0.15 else "b",
            hint="Compare the shuffled-label forest's held-out ROC AUC with 0.5, and ask what SHAP "
                 "explains: the data, or the model it is given?",
            explanation=lambda ctx: (
                "The checker shuffled the training labels again, with another seed than the notebook's, "
                "and trained a second shuffled-label forest: held-out ROC AUC "
                f"{_shuffled_model(ctx)['auc']:.3f}, summed mean |SHAP| {_shuffled_model(ctx)['shap']:.3f}. "
                "The model memorised noise and SHAP explains that memorising model exactly; the AUC, not "
                "SHAP, tells you there is nothing real to explain."),
            why={"b": "SHAP values add up to the model's prediction minus the base value; a model that "
                      "memorised noise still makes varied predictions, so its SHAP values cannot all be zero",
                 "c": "a model trained on shuffled labels learned nothing real, so there is no reason its "
                      "explanation should resemble the real model's: that it does not is the expected "
                      "result"},
        ),
        Choice(
            name="kaggle_reading",
            needs=("forest_k", "Xk_train"),
            decision=True,
            options=("a", "b", "c"),
            reference=lambda ctx: "c" if _thalach_rises_on_kaggle_label(ctx) else "a",
            hint="What does target = 1 mean in Kaggle's file? Notebook 00 and the table in section 6.",
            explanation="On Kaggle's file target = 1 means no disease, so a rising P(target = 1) is a rising "
                        "probability of being healthy: the risk of disease falls with the heart rate, as on "
                        "the UCI label (the checker recomputed it with pdpbox on the Kaggle-coded forest; "
                        "the notebook used scikit-learn).",
            why={"a": "that reads P(target = 1) as the risk of disease; on Kaggle's file target = 1 means no "
                      "disease, so the plot shows the probability of being healthy rising",
                 "b": "re-coding changes which number stands for which category, not the information: the "
                      "Kaggle-coded forest is as accurate as the UCI one and its curve is the mirror image"},
        ),
    ],
)
