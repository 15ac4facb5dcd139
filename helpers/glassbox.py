"""Glass-box models, equally good models that disagree, and counterfactuals, for the heart data.

Taught in notebooks/08_glass_boxes_and_equally_good_models.ipynb:

- ``bootstrap_indices``, ``bootstrap_auc``: held-out ROC AUC with bootstrap intervals, vectorised with
  ``explain.auc_rows`` (the patients are resampled once; no model is refitted);
- ``tost``, ``equivalence``: equivalence within a margin fixed in advance (two one-sided tests: both
  bounds of the 90% interval of a paired difference inside the margin); ``cv_auc`` and
  ``corrected_interval``: repeated stratified cross-validation and its interval for a paired difference
  (Nadeau & Bengio's correction for overlapping training sets);
- ``logistic_glassbox``: the course's logistic regression on standardized measurements and indicator
  columns, and ``LOGISTIC_COLUMNS``, how each feature enters it;
- ``additive_contributions``: the exact per-feature contributions of an additive model (logistic
  regression, EBM) on its log-odds scale;
- ``hanley_mcneil_se``, ``additive_attribution``, ``term_direction``, ``ebm_glassbox``: the AUC's
  standard error by formula, each model's attribution (TreeSHAP or its own terms), the direction of an
  additive model's term, and the notebook's EBM (reused in notebook 09).

Taught in notebooks/09_counterfactuals_anchors_and_surrogates.ipynb:

- ``actionable_ranges``, ``find_counterfactuals``, ``reachable_risks``: which features a patient or
  doctor could change and how far, DiCE's counterfactuals without its progress bar, and a grid search
  that says what risk is reachable at all;
- ``tree_thresholds``, ``cell_points``: the steps of a tree model (or of an EBM's bins) inside a range,
  one point per step, which makes that grid search exhaustive;
- ``random_points``, ``neighbour_counts``: random patients in the box (the search's independent check) and
  how many training patients lie near a patient.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping

import numpy as np
import pandas as pd

from . import compat
from .data import RANGES, aligned_labels, check_features, model_columns, require_columns, require_frame
from .explain import auc_rows


# ---------------------------------------------------------------- held-out AUC and its uncertainty
def bootstrap_indices(n: int, n_boot: int = 2000, random_state: int = 0) -> np.ndarray:
    """``n_boot`` resamples with replacement of ``n`` patients, as an ``(n_boot, n)`` array of positions
    (NumPy's ``default_rng(random_state)``).

    Used in notebooks/08_glass_boxes_and_equally_good_models.ipynb.
    """
    if n < 2 or n_boot < 1:
        raise ValueError(f"need at least 2 patients and 1 resample, got n={n}, n_boot={n_boot}")
    return np.random.default_rng(random_state).integers(0, n, size=(n_boot, n))


def bootstrap_auc(y, predictions: pd.DataFrame, n_boot: int = 2000, random_state: int = 0) -> pd.DataFrame:
    """AUC of every model (a column of ``predictions``: one predicted risk per held-out patient) on the
    same ``n_boot`` resamples of the patients (``bootstrap_indices``): an ``(n_boot, models)`` table.
    Because every model sees the same resamples, differences between columns are paired. Taught in
    notebooks/09_counterfactuals_anchors_and_surrogates.ipynb."""
    require_frame(predictions, "predictions")
    labels = aligned_labels(y, predictions.index, rows="predictions")
    bad = [name for name in predictions.columns if not np.isfinite(predictions[name].to_numpy(float)).all()]
    if bad:
        raise ValueError(f"predictions of {bad} contain NaN or infinite values: every patient needs a "
                         "finite predicted risk (a NaN would make many resamples' AUC NaN)")
    idx = bootstrap_indices(len(labels), n_boot, random_state)
    return pd.DataFrame({name: auc_rows(labels[idx], predictions[name].to_numpy()[idx])
                         for name in predictions.columns})


# ---------------------------------------------------------------- equivalence within a margin
def equivalence(low, high, margin: float) -> pd.Series:
    """Equivalence by two one-sided tests (TOST) at 5% each: True for a paired difference (reference -
    model) whose 90% interval ``[low, high]`` lies wholly inside ``(-margin, margin)``. ``margin`` must be
    fixed before looking at the data. An interval that contains 0 but reaches past the margin shows
    neither a difference nor equivalence. Taught in notebooks/08_glass_boxes_and_equally_good_models.ipynb."""
    if not margin > 0:
        raise ValueError(f"margin must be a positive difference fixed in advance (e.g. 0.02 AUC), got "
                         f"{margin}")
    low, high = pd.Series(low, dtype=float), pd.Series(high, dtype=float)
    if not low.index.equals(high.index) or (low > high).any():
        raise ValueError("low and high must be the bounds of the same intervals (low <= high), one per model")
    return (low > -margin) & (high < margin)


def tost(gaps: pd.DataFrame, margin: float) -> pd.DataFrame:
    """TOST from bootstrap resamples of paired differences: ``gaps`` has one column per model and one row
    per resample of (reference - model); the 90% interval is their 5% and 95% quantiles, and the model
    is equivalent to the reference when both bounds lie inside ``(-margin, margin)`` (``equivalence``).
    Taught (written out) in notebooks/08_glass_boxes_and_equally_good_models.ipynb."""
    require_frame(gaps, "gaps")
    low, high = gaps.quantile(0.05), gaps.quantile(0.95)
    return pd.DataFrame({"90% low": low, "90% high": high, "equivalent": equivalence(low, high, margin)})


def cv_auc(make_model: Callable[[], object], X: pd.DataFrame, y, n_splits: int = 5, n_repeats: int = 5,
           random_state: int = 0) -> np.ndarray:
    """Held-out ROC AUC of ``make_model()`` (an unfitted classifier) on every fold of a repeated
    stratified ``n_splits``-fold cross-validation (``n_splits * n_repeats`` fits). The folds depend only on
    ``y`` and ``random_state``, so two models given the same arguments are compared fold by fold.
    Taught in notebooks/08_glass_boxes_and_equally_good_models.ipynb."""
    from sklearn.metrics import roc_auc_score
    from sklearn.model_selection import RepeatedStratifiedKFold

    require_frame(X)
    labels = np.asarray(y)
    if labels.shape != (len(X),):
        raise ValueError(f"{labels.size} labels for {len(X)} rows of X: give one label per patient")
    labels = pd.Series(labels, index=X.index)
    folds = RepeatedStratifiedKFold(n_splits=n_splits, n_repeats=n_repeats, random_state=random_state)
    out = []
    for train, test in folds.split(X, labels):
        model = make_model().fit(X.iloc[train], labels.iloc[train])
        out.append(roc_auc_score(labels.iloc[test], np.asarray(model.predict_proba(X.iloc[test]))[:, 1]))
    return np.array(out)


def corrected_interval(differences: pd.DataFrame, test_fraction: float, level: float = 0.90) -> pd.DataFrame:
    """Interval for the mean of paired per-fold differences (one column per model, one row per fold of a
    repeated cross-validation) with Nadeau & Bengio's (2003) corrected variance: the folds' training sets
    overlap, so the plain t interval is too narrow; the variance is multiplied by ``1/J + n_test/n_train``
    instead of ``1/J``. ``J`` is the number of train/test splits, i.e. rows (folds x repeats), as Nadeau &
    Bengio derived it for J random splits and Bouckaert & Frank (2004) applied it to repeated k-fold;
    ``test_fraction`` = n_test / n. Returns the mean, low and high.
    Taught in notebooks/08_glass_boxes_and_equally_good_models.ipynb."""
    from scipy.stats import t

    require_frame(differences, "differences")
    if not 0 < test_fraction < 1 or not 0 < level < 1:
        raise ValueError(f"test_fraction and level must lie in (0, 1), got {test_fraction}, {level}")
    J = len(differences)
    if J < 2:
        raise ValueError(f"need the differences of at least 2 folds, got {J}")
    se = np.sqrt((1 / J + test_fraction / (1 - test_fraction)) * differences.var(ddof=1))
    half = t.ppf(0.5 + level / 2, J - 1) * se
    mean = differences.mean()
    return pd.DataFrame({"mean": mean, "low": mean - half, "high": mean + half})


# ---------------------------------------------------------------- the logistic regression glass box
#: How each feature enters the logistic regression: measurements standardized (odds ratio per standard
#: deviation), yes/no findings as 0/1, restecg as "any abnormality" (its ST-T level has 4 of the 303
#: patients; the 3 in the course's training split all have disease, so alone it has no finite odds
#: ratio), the other codes as indicators against their first code.
LOGISTIC_COLUMNS: dict[str, list[str]] = {
    "standardized": ["age", "trestbps", "chol", "thalach", "oldpeak", "ca"],
    "yes/no": ["sex", "fbs", "exang"],
    "abnormal vs normal": ["restecg"],
    "indicators vs first code": ["cp", "slope", "thal"],
}


def logistic_glassbox():
    """An unfitted scikit-learn pipeline: the columns of ``LOGISTIC_COLUMNS``, then an unpenalized
    logistic regression (``C=inf``), so its coefficients are the maximum-likelihood ones statsmodels
    reports. Taught in notebooks/08_glass_boxes_and_equally_good_models.ipynb."""
    from sklearn.compose import ColumnTransformer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import FunctionTransformer, OneHotEncoder, StandardScaler

    cols = LOGISTIC_COLUMNS
    design = ColumnTransformer([
        ("standardized", StandardScaler(), cols["standardized"]),
        ("yes/no", "passthrough", cols["yes/no"]),
        ("abnormal", FunctionTransformer(np.sign, feature_names_out="one-to-one"),
         cols["abnormal vs normal"]),
        ("indicators", OneHotEncoder(drop="first", sparse_output=False), cols["indicators vs first code"]),
    ], verbose_feature_names_out=False)
    # Newton's method (newton-cholesky) reaches the same maximum in a few steps; lbfgs took about 1 s a fit
    # here, too slow for the 25 fits of a repeated cross-validation
    return make_pipeline(design, LogisticRegression(C=np.inf, solver="newton-cholesky", tol=1e-10,
                                                    max_iter=100))


# ---------------------------------------------------------------- explanations of any model
def _risk(model, X: pd.DataFrame) -> np.ndarray:
    return np.asarray(model.predict_proba(X))[:, 1]


def additive_contributions(log_odds: Callable[[pd.DataFrame], np.ndarray], X: pd.DataFrame,
                           background: pd.DataFrame) -> pd.DataFrame:
    """Each feature's contribution to each row's log-odds: ``f(x) - mean over b of f(x with feature j
    set to b_j)``, ``b`` running over the ``background`` rows. For an additive model (logistic
    regression, an EBM without interactions) this is exactly its own term for feature j, centred on the
    background (and equals interventional SHAP); for a model with interactions it is not an
    attribution at all. Costs ``features * len(X) * len(background)`` predictions in one call.
    Taught in notebooks/08_glass_boxes_and_equally_good_models.ipynb."""
    require_frame(X)
    require_columns(background, list(X.columns), "background")
    background = background[list(X.columns)]
    n, m = len(X), len(background)
    rows = np.repeat(X.to_numpy(), m, axis=0)  # every row of X, m times
    copies = []
    for j, _ in enumerate(X.columns):
        block = rows.copy()
        block[:, j] = np.tile(background.iloc[:, j].to_numpy(), n)
        copies.append(block)
    own = np.asarray(log_odds(X), dtype=float)
    if own.shape != (n,):
        raise ValueError(f"log_odds returned shape {own.shape} for {n} rows: it must give one log-odds per "
                         "row (e.g. model.decision_function, not predict_proba, which gives one column per "
                         "class)")
    frame = pd.DataFrame(np.concatenate(copies), columns=X.columns).astype(X.dtypes.to_dict())
    swapped = np.asarray(log_odds(frame), dtype=float).reshape(len(X.columns), n, m).mean(axis=2)
    return pd.DataFrame((own[None, :] - swapped).T, index=X.index, columns=X.columns)


# ---------------------------------------------------------------- notebooks 08 and 09: set-up and reading
def hanley_mcneil_se(auc: float, n_pos: int, n_neg: int) -> float:
    """Hanley & McNeil's (1982, Radiology 143:29) standard error of an ROC AUC measured on ``n_pos``
    patients with and ``n_neg`` without disease: ``sqrt((A(1-A) + (n_pos-1)(Q1-A^2) + (n_neg-1)(Q2-A^2))
    / (n_pos n_neg))`` with ``Q1 = A/(2-A)``, ``Q2 = 2A^2/(1+A)``. A check of the bootstrap's spread.
    Used in notebooks/08_glass_boxes_and_equally_good_models.ipynb."""
    if not all(np.ndim(v) == 0 for v in (auc, n_pos, n_neg)) or not all(
            float(n).is_integer() for n in (n_pos, n_neg)):
        raise ValueError(f"need one AUC and two whole numbers of patients, got {auc!r}, {n_pos!r}, {n_neg!r}")
    if not 0 <= auc <= 1 or n_pos < 1 or n_neg < 1:
        raise ValueError(f"need an AUC in [0, 1] and at least one patient per class, got {auc}, {n_pos}, "
                         f"{n_neg}")
    q1, q2 = auc / (2 - auc), 2 * auc**2 / (1 + auc)
    var = auc * (1 - auc) + (n_pos - 1) * (q1 - auc**2) + (n_neg - 1) * (q2 - auc**2)
    return float(np.sqrt(var / (n_pos * n_neg)))


def additive_attribution(model, X: pd.DataFrame, background: pd.DataFrame) -> pd.DataFrame:
    """Each row's per-feature attribution by the explanation that suits ``model``: TreeSHAP, after the fact,
    for a random forest (probability scale, class 1) or a ``HistGradientBoostingClassifier`` (log-odds
    scale); an EBM's own terms (``eval_terms``, log-odds); for any other model with a
    ``decision_function`` (the logistic glass box) its exact ``additive_contributions`` on the log-odds
    scale, centred on ``background``. A frame with the rows and columns of ``X``.
    Used in notebooks/08_glass_boxes_and_equally_good_models.ipynb."""
    from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier

    columns = list(require_frame(X).columns)
    X = model_columns(model, X)  # TreeSHAP and eval_terms read columns by position: the model's order
    if isinstance(model, RandomForestClassifier):
        import shap

        values = shap.TreeExplainer(model).shap_values(X)[:, :, 1]
    elif isinstance(model, HistGradientBoostingClassifier):
        import shap

        values = shap.TreeExplainer(model).shap_values(X)
    elif hasattr(model, "eval_terms"):
        values = model.eval_terms(X)
    elif hasattr(model, "decision_function"):
        return additive_contributions(model.decision_function, X, background=background)[columns]
    else:
        raise TypeError(f"no attribution for a {type(model).__name__}: expected a fitted random forest, "
                        "HistGradientBoostingClassifier, EBM or a model with a decision_function")
    return pd.DataFrame(np.asarray(values), index=X.index, columns=X.columns)[columns]


def term_direction(terms: pd.DataFrame, X: pd.DataFrame, column: str) -> float:
    """The direction (+1, 0 or -1) in which an additive model's term moves the log-odds, read for one
    column of the logistic glass box's design: for an indicator such as ``"cp_4"`` the sign of its mean
    term at that code minus at the feature's lowest code; for a measurement such as ``"chol"`` the sign
    of the Spearman correlation between the feature and its term. ``terms`` holds the model's
    per-feature terms for the rows of ``X`` (an EBM's ``eval_terms``).
    Used in notebooks/08_glass_boxes_and_equally_good_models.ipynb (the EBM's shapes against the
    logistic regression's signs)."""
    from scipy.stats import spearmanr

    name, _, level = column.partition("_")
    require_columns(X, [name], "X")
    require_columns(terms, [name], "terms")
    if not terms.index.equals(X.index):  # the same patients in another order are matched by index
        if not (terms.index.is_unique and len(terms) == len(X) and set(terms.index) == set(X.index)):
            raise ValueError(f"terms must hold the model's terms for the rows of X (the same index): got "
                             f"{len(terms)} rows for {len(X)}")
        terms = terms.reindex(X.index)
    codes = sorted(X[name].unique().tolist())
    if len(codes) < 2:
        raise ValueError(f"{name} takes one value in X ({codes}): no direction can be read from it")
    if level:  # an indicator: the level against the feature's first code
        try:
            code = float(level)
        except ValueError:
            code = None
        if code not in codes:
            raise KeyError(f"{column!r}: {name} has no code {level!r} in X; its codes are {codes}")
        by_code = terms.groupby(X[name])[name].mean()
        return float(np.sign(by_code[code] - by_code.iloc[0]))
    if terms[name].nunique() == 1:
        return 0.0  # a flat term does not move the log-odds
    return float(np.sign(spearmanr(X[name], terms[name]).statistic))


def ebm_glassbox(random_state: int = 0):
    """An unfitted Explainable Boosting Machine for the heart data's features (in ``data.FEATURES``
    order), as notebook 08 builds it: no pairwise interaction terms (a pure sum of shape functions),
    the coded features nominal except ``ca``, a count of vessels whose order matters.
    Taught in notebooks/08_glass_boxes_and_equally_good_models.ipynb; used in
    notebooks/09_counterfactuals_anchors_and_surrogates.ipynb."""
    from interpret.glassbox import ExplainableBoostingClassifier

    from .data import CATEGORICAL, FEATURES

    nominal = [f for f in CATEGORICAL if f != "ca"]
    return ExplainableBoostingClassifier(
        feature_types=["nominal" if f in nominal else "continuous" for f in FEATURES],
        interactions=0, random_state=random_state)


def random_points(patient: pd.DataFrame, box: Mapping[str, list[float]], n: int = 20_000,
                  random_state: int = 0) -> pd.DataFrame:
    """``n`` copies of the one-row frame ``patient`` with each feature of ``box`` drawn uniformly inside
    its ``[low, high]`` (NumPy's ``default_rng(random_state)``, features in the order of ``box``); the
    other features keep the patient's values. An independent check of an exhaustive search.
    Used in notebooks/09_counterfactuals_anchors_and_surrogates.ipynb."""
    require_frame(patient, "patient")
    if len(patient) != 1:
        raise ValueError(f"patient must be one row, got {len(patient)}")
    require_columns(patient, list(box), "patient")
    if not isinstance(n, int | np.integer) or n < 1:
        raise ValueError(f"n is a number of points, a whole number of at least 1, got {n!r}")
    for f, bounds in box.items():
        if np.shape(bounds) != (2,) or not np.isfinite(np.asarray(bounds, dtype=float)).all() \
                or bounds[0] > bounds[1]:
            raise ValueError(f"box[{f!r}] must be [low, high], two finite numbers with low <= high, got "
                             f"{bounds!r}")
    rng = np.random.default_rng(random_state)
    out = pd.concat([patient] * n, ignore_index=True)
    for f, (low, high) in box.items():
        out[f] = rng.uniform(low, high, n)
    return out


def neighbour_counts(rows: pd.DataFrame, X: pd.DataFrame, radius: float = 2.0) -> np.ndarray:
    """How many rows of ``X`` lie within ``radius`` of each row of ``rows``, by Euclidean distance with
    every feature divided by its standard deviation in ``X`` (pandas' sample SD).
    Used in notebooks/09_counterfactuals_anchors_and_surrogates.ipynb."""
    require_frame(rows, "rows")
    require_columns(X, list(rows.columns), "X")
    X = X[list(rows.columns)]
    if not (np.ndim(radius) == 0 and np.isfinite(radius) and radius > 0):
        raise ValueError(f"radius is a distance in standard deviations, a positive number, got {radius!r}")
    for what, frame in (("rows", rows), ("X", X)):
        if not all(pd.api.types.is_numeric_dtype(t) for t in frame.dtypes):
            raise TypeError(f"{what} must hold numbers only, got dtypes {dict(frame.dtypes.astype(str))}")
        if not np.isfinite(frame.to_numpy(dtype=float)).all():
            raise ValueError(f"{what} has missing or infinite values: their distances are undefined")
    scale = X.std().to_numpy() if len(X) > 1 else np.zeros(len(X.columns))
    if not (scale > 0).all():
        constant = [c for c, sd in zip(X.columns, scale) if not sd > 0]
        raise ValueError(f"X needs at least 2 rows and no constant column to scale by its standard "
                         f"deviation: {len(X)} rows, constant {constant}")
    d = np.sqrt((((rows.to_numpy()[:, None, :] - X.to_numpy()[None]) / scale) ** 2).sum(-1))
    return (d <= radius).sum(axis=1)


# ---------------------------------------------------------------- counterfactuals
#: Features a patient or doctor could act on, and the direction a treatment would move them: total
#: cholesterol, resting blood pressure and fasting blood sugar (``fbs``: 1 when above 120 mg/dl) down,
#: by diet and drugs; the exercise test's peak heart rate up (with fitness; it is a test result, see the
#: notebook's caveat). Every other feature is fixed.
ACTIONABLE: dict[str, str] = {"chol": "down", "trestbps": "down", "fbs": "down", "thalach": "up"}
#: How far down a treatment could plausibly bring them (mg/dl, mm Hg; fbs from 1 to 0).
CLINICAL_FLOOR: dict[str, float] = {"chol": 150.0, "trestbps": 100.0, "fbs": 0.0}


def max_heart_rate(age: float) -> float:
    """The age-predicted maximum heart rate, 220 - age (beats/min): the ceiling for ``thalach``.

    Used in notebooks/09_counterfactuals_anchors_and_surrogates.ipynb.
    """
    return 220.0 - float(age)


def actionable_ranges(patient: pd.Series) -> dict[str, list[float]]:
    """For one patient (a row of the feature table), the range each actionable feature may move in:
    from the clinical floor up to the current value for ``chol``, ``trestbps`` and ``fbs``, from the
    current value up to ``220 - age`` for ``thalach``. Features with no room to move (already at or beyond
    the limit, e.g. ``fbs`` 0) are left out. Taught in
    notebooks/09_counterfactuals_anchors_and_surrogates.ipynb."""
    if not isinstance(patient, pd.Series):
        raise TypeError(f"patient must be one row of the feature table as a pandas Series (X.iloc[i]), got "
                        f"{type(patient).__name__}")
    check_features(["age", *ACTIONABLE], valid=patient.index)
    ranges = {}
    for name, direction in ACTIONABLE.items():
        now = float(patient[name])
        if direction == "down":
            lo, hi = max(CLINICAL_FLOOR[name], RANGES.get(name, (-np.inf, np.inf))[0]), now
        else:
            lo, hi = now, min(max_heart_rate(patient["age"]), RANGES[name][1])
        if hi > lo:
            ranges[name] = [lo, hi]
    return ranges


def find_counterfactuals(dice_explainer, query: pd.DataFrame, permitted_range: Mapping[str, list[float]],
                         total: int = 4, random_state: int = 0, **kwargs) -> pd.DataFrame:
    """Ask a ``dice_ml.Dice`` explainer for ``total`` counterfactuals of the one-row ``query`` that change
    only the features in ``permitted_range``, within their ranges. Returns the counterfactuals' feature
    columns (an empty frame when DiCE finds none, instead of DiCE's exception), without DiCE's one-step
    progress bar. ``random_state`` seeds DiCE's sampling (it reseeds NumPy's global generator).
    Taught in notebooks/09_counterfactuals_anchors_and_surrogates.ipynb."""
    from raiutils.exceptions import UserConfigValidationException

    require_frame(query, "query")
    if len(query) != 1:
        raise ValueError(f"query must be one patient (a one-row DataFrame, X.iloc[[i]]), got {len(query)} "
                         "rows")
    check_features(list(permitted_range), valid=query.columns)
    try:
        with compat.quiet_dice():
            result = dice_explainer.generate_counterfactuals(
                query, total_CFs=total, desired_class="opposite", features_to_vary=list(permitted_range),
                permitted_range={k: list(v) for k, v in permitted_range.items()}, random_seed=random_state,
                **kwargs)
    except UserConfigValidationException as exc:
        if "No counterfactuals found" not in str(exc):
            raise
        return query.iloc[:0].copy()
    found = result.cf_examples_list[0].final_cfs_df
    if found is None:
        return query.iloc[:0].copy()
    return found[list(query.columns)].astype(query.dtypes.to_dict()).reset_index(drop=True)


def reachable_risks(model, patient: pd.DataFrame, ranges: Mapping[str, list[float]],
                    steps: int = 25, values: Mapping[str, np.ndarray] | None = None) -> pd.DataFrame:
    """The model's risk on a full grid over the features of ``ranges`` (every combination; the other
    features as the one-row ``patient`` has them), predicted in one call: ``steps`` evenly spaced values
    per feature, or the values given in ``values`` (e.g. ``cell_points``, one per step of a tree model,
    which makes the grid exhaustive). Its minimum is the lowest risk any change inside the ranges can
    reach (to the grid's resolution, or exactly with ``cell_points``). Taught in
    notebooks/09_counterfactuals_anchors_and_surrogates.ipynb."""
    require_frame(patient, "patient")
    if len(patient) != 1:
        raise ValueError(f"patient must be a one-row DataFrame (X.iloc[[i]]), got {len(patient)} rows")
    names = check_features(list(ranges), valid=patient.columns)
    if not names:
        raise ValueError("ranges is empty: nothing may change, so nothing can be reached")
    values = dict(values or {})
    check_features(list(values), valid=names)
    if isinstance(steps, bool) or not isinstance(steps, (int, np.integer)) or steps < 2:
        raise ValueError(f"steps must be a whole number of at least 2 (values per feature, ends included), "
                         f"got {steps!r}")
    axes = []
    for name in names:
        bounds = np.asarray(ranges[name], dtype=float) if np.ndim(ranges[name]) == 1 else None
        if bounds is None or bounds.shape != (2,) or not bounds[0] <= bounds[1]:
            raise ValueError(f"ranges[{name!r}] must be [low, high] with low <= high, got {ranges[name]!r}")
        lo, hi = bounds
        if name not in values:
            axes.append(np.linspace(lo, hi, steps))
            continue
        axis = np.asarray(values[name], dtype=float)
        if axis.ndim != 1 or not len(axis) or axis.min() < lo or axis.max() > hi:
            raise ValueError(f"values[{name!r}] must be a non-empty list of values inside its range "
                             f"[{lo:g}, {hi:g}]")
        axes.append(axis)
    points = np.array(list(itertools.product(*axes)))
    grid = pd.DataFrame(np.repeat(patient.to_numpy(), len(points), axis=0), columns=patient.columns)
    grid = grid.astype(patient.dtypes.to_dict())
    grid[names] = points
    return grid.assign(risk=_risk(model, grid))


def tree_thresholds(model, feature: str) -> np.ndarray:
    """Every threshold at which a fitted scikit-learn decision tree, or any of the trees of a fitted
    ensemble (random forest, gradient boosting), splits on ``feature``: sorted, without repeats. Between
    two consecutive thresholds every tree sends a patient the same way, so the model's prediction, all
    other features fixed, cannot change there. Taught in
    notebooks/09_counterfactuals_anchors_and_surrogates.ipynb."""
    names = list(getattr(model, "feature_names_in_", []))
    if not names:
        raise TypeError("model must be a scikit-learn tree or tree ensemble fitted on a DataFrame (it names "
                        f"its features in feature_names_in_), got {type(model).__name__}")
    check_features([feature], valid=names)
    trees = np.ravel(getattr(model, "estimators_", [model]))  # gradient boosting keeps a 2-D array
    if not all(hasattr(tree, "tree_") for tree in trees):
        raise TypeError(f"{type(model).__name__} is not made of scikit-learn decision trees (no tree_)")
    j = names.index(feature)
    return np.unique(np.concatenate([tree.tree_.threshold[tree.tree_.feature == j] for tree in trees]))


def cell_points(cuts, lo: float, hi: float) -> np.ndarray:
    """One point in each interval into which ``cuts`` (a tree model's thresholds, an EBM's bin edges)
    divide ``[lo, hi]``: both ends and the midpoint between each two consecutive cuts inside. A model that
    is constant between consecutive cuts takes on these points every value it takes anywhere in
    ``[lo, hi]``, whichever side of a cut the cut itself belongs to. Taught in
    notebooks/09_counterfactuals_anchors_and_surrogates.ipynb."""
    if not lo <= hi:
        raise ValueError(f"need lo <= hi, got [{lo}, {hi}]")
    cuts = np.asarray(cuts, dtype=float).ravel()
    edges = np.unique(np.r_[lo, cuts[(cuts > lo) & (cuts < hi)], hi])
    return np.unique(np.r_[edges[0], (edges[1:] + edges[:-1]) / 2, edges[-1]])
