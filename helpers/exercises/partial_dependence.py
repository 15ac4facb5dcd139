"""Exercises of notebooks/02_partial_dependence.ipynb: whether a published reading of a 2-D partial
dependence plot holds, whether an average curve describes every patient, and ALE's effect size."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .framework import Choice, Number, Topic, memoised

NEEDS = ("forest", "X_train")
REGIONS = {"a": "ca = 0 and thalach above 150", "b": "ca of 1 or more and thalach above 150",
           "c": "ca = 0 and thalach of 150 or below", "d": "ca of 1 or more and thalach of 150 or below"}


@memoised
def _surface(ctx) -> pd.DataFrame:
    """The 2-D partial dependence of ca x thalach with scikit-learn (the notebook uses pdpbox), on the
    deciles of thalach, as a table: rows ca = 0..3, columns thalach."""
    from sklearn.inspection import partial_dependence

    X = ctx["X_train"]
    deciles = np.percentile(X["thalach"], np.linspace(0, 100, 10))
    grid = {"ca": np.array([0, 1, 2, 3]), "thalach": deciles}
    result = partial_dependence(ctx["forest"], X, ["ca", "thalach"], kind="average",
                                categorical_features=["ca"], custom_values=grid)
    return pd.DataFrame(result["average"][0], index=[0, 1, 2, 3], columns=deciles)


def _region(ca: int, thalach: float) -> str:
    quadrants = {(True, True): "a", (False, True): "b", (True, False): "c", (False, False): "d"}
    return quadrants[(ca == 0, thalach > 150)]


def _riskiest(ctx) -> str:
    table = _surface(ctx)
    ca, thalach = np.unravel_index(table.to_numpy().argmax(), table.shape)
    return _region(table.index[ca], table.columns[thalach])


def _region_reasons(ctx) -> dict[str, str]:
    table = _surface(ctx)
    best = {}
    for ca in table.index:
        for thalach in table.columns:
            key = _region(ca, thalach)
            best[key] = max(best.get(key, 0.0), float(table.loc[ca, thalach]))
    top = max(best.values())
    reasons = {key: f"the highest predicted risk in {REGIONS[key]} is {risk:.2f}, below the surface's "
                    f"maximum of {top:.2f}" for key, risk in best.items()}
    low = float(table.loc[0, [t for t in table.columns if t > 150]].min())
    reasons["a"] = (f"that is the flipped file's reading, where the colours showed the "
                    f"probability of being healthy; on the UCI label this corner holds predicted risks as "
                    f"low as {low:.2f}, against the surface's maximum of {top:.2f}")
    return reasons


def _ice_endpoints(ctx, X) -> tuple[np.ndarray, np.ndarray]:
    """Each patient's predicted risk at the first and last value of scikit-learn's default thalach grid,
    predicted directly (the notebook reads them off partial_dependence(kind='individual'))."""
    from sklearn.inspection import partial_dependence

    grid = partial_dependence(ctx["forest"], ctx["X_train"], ["thalach"], kind="average")["grid_values"][0]
    low = ctx["forest"].predict_proba(X.assign(thalach=grid[0]))[:, 1]
    high = ctx["forest"].predict_proba(X.assign(thalach=grid[-1]))[:, 1]
    return low, high


def _share_rising(ctx) -> float:
    low, high = _ice_endpoints(ctx, ctx["X_train"])
    return float((high > low).mean())


@memoised
def _ale_curve(ctx, grid_size: int = 10) -> pd.DataFrame:
    from PyALE import ale

    class DiseaseProbability:
        def predict(self, X):
            return ctx["forest"].predict_proba(X)[:, 1]

    return ale(X=ctx["X_train"], model=DiseaseProbability(), feature=["oldpeak"], grid_size=grid_size,
               include_CI=False, plot=False)


def _ale_range(ctx, grid_size: int = 10) -> float:
    return float(np.ptp(_ale_curve(ctx, grid_size)["eff"]))


def _pd_range(ctx) -> float:
    """Partial dependence of oldpeak on the same grid as the ALE curve (PyALE's, grid_size=10)."""
    from sklearn.inspection import partial_dependence

    grid = _ale_curve(ctx).index.to_numpy(float)
    result = partial_dependence(ctx["forest"], ctx["X_train"], ["oldpeak"], kind="average",
                                custom_values={"oldpeak": grid})
    return float(np.ptp(result["average"][0]))


TOPIC = Topic(
    title="partial dependence",
    notebook="02_partial_dependence",
    questions=[
        Choice(
            name="riskiest_region",
            needs=NEEDS,
            decision=True,
            options=tuple(REGIONS),
            reference=_riskiest,
            hint="Use the surface computed from pdpbox in the notebook (`surface`, `hi`, `pair_grids`): "
                 "find where its maximum lies, and compare the thalach value there with 150.",
            explanation="Checked with scikit-learn's 2-D partial dependence on the same grid: on the UCI "
                        "label the highest predicted risk is at one or more coloured vessels and a lower "
                        "heart rate. A published reading is only as good as the label it was made on.",
            why=_region_reasons,
        ),
        Number(
            name="against_the_average",
            needs=NEEDS,
            decision=True,
            reference=_share_rising,
            tolerance=0.002,
            hint="partial_dependence(forest, X_train, ['thalach'], kind='individual')['individual'][0] gives "
                 "one row per patient; compare the last column with the first.",
            explanation=lambda ctx: (
                f"{_share_rising(ctx):.1%} of the training patients' lines rise against the average. "
                + ("The average's direction holds for almost everyone, so the sentence is fair for this "
                   "model, though the size of the change differs from patient to patient (the spread of the "
                   "lines)."
                   if _share_rising(ctx) < 0.1 else
                   "That is too many for one sentence about every patient: show the ICE lines.")),
            mistakes=[
                (lambda ctx: 1 - _share_rising(ctx),
                 "that is the share whose line falls, with the average; the question asks against it"),
            ],
        ),
        Number(
            name="oldpeak_ale_range",
            needs=NEEDS,
            reference=_ale_range,
            tolerance=0.0005,
            hint="Use the notebook's `pieces['oldpeak']` with `ale_from`, or PyALE's `ale(...)` on the "
                 "training patients with grid_size=10, and take np.ptp of the effect.",
            explanation=lambda ctx: (
                f"ALE attributes a change of {_ale_range(ctx):.3f} in predicted risk to oldpeak across the "
                f"data, against {_pd_range(ctx):.3f} by partial dependence on the same grid: the "
                "notebook's bootstrap says whether that difference is more than resampling noise."),
            mistakes=[
                (_pd_range, "that is the partial dependence's range; the question asks for ALE's"),
                (lambda ctx: _ale_range(ctx, grid_size=20),
                 "that is ALE with grid_size=20; the question asks for grid_size=10"),
            ],
        ),
    ],
)
