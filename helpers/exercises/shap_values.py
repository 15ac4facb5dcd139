"""Exercises of notebooks/03_shap.ipynb: the class axis, which chest-pain type raises the risk (a code that
Kaggle's re-coded file numbers differently), and whether to trust an explanation someone else computed."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .framework import Choice, Name, Number, Topic, memoised

CP_NAMES = {1: "typical angina", 2: "atypical angina", 3: "non-anginal pain", 4: "asymptomatic"}


def _frame(ctx, key: str = "X_test") -> pd.DataFrame:
    """The notebook's table in the forest's column order (SHAP reads columns by position)."""
    from ..data import model_columns

    return model_columns(ctx["forest"], ctx[key], key)


def _row(ctx, row, what: str = "row") -> int:
    """A position in X_test: a whole number from 0 to len(X_test) - 1 (not a label, not negative)."""
    n = len(ctx["X_test"])
    if isinstance(row, bool) or not isinstance(row, (int, np.integer)) or not 0 <= row < n:
        raise ValueError(f"{what} must be a row position in X_test, a whole number from 0 to {n - 1}, "
                         f"got {row!r}")
    return int(row)


def _explanation(ctx, X):
    """Class-1 SHAP values through shap's Explanation API (the notebook's solution uses the array API)."""
    import shap

    return shap.TreeExplainer(ctx["forest"])(X)[:, :, 1]


def _ca_value(ctx, cls: int = 1, row: int | None = None) -> float:
    import shap

    X = _frame(ctx)
    row = _row(ctx, ctx["row"] if row is None else row)
    values = shap.TreeExplainer(ctx["forest"])(X.iloc[[row]])
    return float(values.values[0, list(X.columns).index("ca"), cls])


def _patient_one_trap(ctx) -> float:
    """Old tutorials' `shap_values[1][..., ca]`: patient 1's value of ca for class 0."""
    import shap

    X = _frame(ctx)
    sv = shap.TreeExplainer(ctx["forest"]).shap_values(X)
    return float(sv[1][list(X.columns).index("ca"), 0])


@memoised
def _mean_cp_shap(ctx) -> pd.Series:
    X = _frame(ctx, "X_all" if "X_all" in ctx else "X_test")
    values = pd.Series(_explanation(ctx, X)[:, "cp"].values, index=X.index)
    return values.groupby(X["cp"]).mean().rename(index=CP_NAMES)


def _colleague_prediction(ctx) -> float:
    """The forest's prediction for the colleague's patient (``colleague_row``; the example patient ``row``
    when the notebook does not name another)."""
    key = "colleague_row" if "colleague_row" in ctx else "row"
    row = _row(ctx, ctx[key], key)
    return ctx["forest"].predict_proba(_frame(ctx).iloc[[row]])[0, 1]


def _colleague_verdict(ctx) -> str:
    prediction = _colleague_prediction(ctx)
    total = ctx["colleague_base"] + float(np.sum(ctx["colleague_values"]))
    return "b" if abs(total - prediction) < 1e-6 else "a"


def _colleague_reasons(ctx) -> dict[str, str]:
    prediction = _colleague_prediction(ctx)
    total = ctx["colleague_base"] + float(np.sum(ctx["colleague_values"]))
    return {"b": f"exact is what TreeSHAP is when used right; this explanation adds up to {total:.3f} while "
                 f"the forest predicts {prediction:.3f}: check that it adds up before trusting it",
            "a": f"its base value plus contributions is {total:.3f}, the forest predicts {prediction:.3f}",
            "c": f"plausible signs are not evidence: it adds up to {total:.3f}, the forest predicts "
                 f"{prediction:.3f}, so it explains something else (here: the wrong class's base value)"}


TOPIC = Topic(
    title="SHAP",
    notebook="03_shap",
    questions=[
        Number(
            name="ca_for_patient",
            needs=("forest", "X_test", "row"),
            reference=_ca_value,
            relative=1e-6,
            hint="shap_values has shape (patients, features, classes): index [row, column of 'ca', 1].",
            explanation="The class is the last axis: shap_values[row, feature, 1], with expected_value[1] as "
                        "the base value.",
            mistakes=[
                (lambda ctx: _ca_value(ctx, cls=0),
                 ("that is the value for class 0, 'no disease' (the same size, the other sign): the class "
                  "is the last axis")),
                (_patient_one_trap,
                 ("that is shap_values[1][...]: patient number 1, class 0 - the class-index trap of old "
                  "tutorials")),
                (lambda ctx: _ca_value(ctx, row=0),
                 "that is the first test patient (row 0), not the example patient (row `row`)"),
            ],
        ),
        Name(
            name="riskiest_chest_pain",
            needs=("forest", "X_test", "X_all"),
            valid=list(CP_NAMES.values()),
            reference=lambda ctx: _mean_cp_shap(ctx).idxmax(),
            hint="Group the SHAP values of cp over X_all by the cp code and average: the notebook's `by_cp` "
                 "table has them.",
            explanation=lambda ctx: (
                "Asymptomatic chest pain (UCI code 4) has the largest mean SHAP value of cp "
                f"({_mean_cp_shap(ctx)['asymptomatic']:+.3f}; "
                f"types above zero: {int((_mean_cp_shap(ctx) > 0).sum())} of 4); the "
                "notebook's table shows it is also the type with the highest disease rate in the data. "
                "On Kaggle's re-coded file the same type is code 0: read a file with its own code book."),
            mistakes=[(name, f"{name} has a negative mean SHAP value: on average it lowers the risk")
                      for name in ("typical angina", "atypical angina", "non-anginal pain")],
        ),
        Choice(
            name="colleague",
            needs=("forest", "X_test", "row", "colleague_base", "colleague_values"),
            decision=True,
            options=("a", "b", "c"),
            reference=_colleague_verdict,
            hint="Add the colleague's base value and contributions and compare with "
                 "forest.predict_proba for that patient.",
            explanation="Adding up (local accuracy) is the cheap test every SHAP explanation must "
                        "pass: base value plus contributions equals the prediction. This one fails "
                        "because its base value is class 0's (expected_value[0]) while its "
                        "contributions are class 1's.",
            why=_colleague_reasons,
        ),
    ],
)
