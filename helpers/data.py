"""Load and validate the UCI Heart Disease (Cleveland) table.

Taught in notebooks/00_data_and_model.ipynb: what each column means, how it is coded, and why the
course checks the direction of the label before explaining anything.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from . import cache, paths

HEART_FILE = "heart_cleveland.csv"
HEART_SHA256 = "bfa2754d6e2ac59a6db76f13ee9327782120a0ccf3b613c05465755cd82a1ffb"
N_PATIENTS = 303

#: The 13 UCI features in file order, with meaning, unit and codes.
FEATURES: dict[str, str] = {
    "age": "age in years",
    "sex": "sex (1 = male, 0 = female)",
    "cp": "chest pain type (1 typical angina, 2 atypical angina, 3 non-anginal pain, 4 asymptomatic)",
    "trestbps": "resting blood pressure on admission (mm Hg)",
    "chol": "serum cholesterol (mg/dl)",
    "fbs": "fasting blood sugar > 120 mg/dl (1 = true, 0 = false)",
    "restecg": "resting ECG (0 normal, 1 ST-T wave abnormality, 2 left ventricular hypertrophy)",
    "thalach": "maximum heart rate achieved in the exercise test (beats/min)",
    "exang": "exercise-induced angina (1 = yes, 0 = no)",
    "oldpeak": "ST depression induced by exercise relative to rest (mm)",
    "slope": "slope of the peak exercise ST segment (1 upsloping, 2 flat, 3 downsloping)",
    "ca": "number of major vessels (0-3) coloured by fluoroscopy",
    "thal": "thallium stress test (3 normal, 6 fixed defect, 7 reversible defect)",
}
TARGETS: dict[str, str] = {
    "num": ("angiographic diagnosis: UCI documents 0 = < 50% diameter narrowing and 1 = > 50% narrowing; "
            "the data also hold codes 2-4, which its documentation does not define"),
    "target": "heart disease (1 = num > 0, i.e. > 50% narrowing in at least one vessel; 0 = none)",
}
COLUMNS = [*FEATURES, *TARGETS]

#: Allowed codes of the categorical columns (UCI coding).
CODES: dict[str, set[int]] = {
    "sex": {0, 1}, "cp": {1, 2, 3, 4}, "fbs": {0, 1}, "restecg": {0, 1, 2}, "exang": {0, 1},
    "slope": {1, 2, 3}, "ca": {0, 1, 2, 3}, "thal": {3, 6, 7}, "num": {0, 1, 2, 3, 4}, "target": {0, 1},
}
CATEGORICAL = ["sex", "cp", "fbs", "restecg", "exang", "slope", "ca", "thal"]
#: Plausible physical ranges of the continuous columns (inclusive).
RANGES: dict[str, tuple[float, float]] = {
    "age": (18, 100), "trestbps": (60, 250), "chol": (80, 700), "thalach": (50, 230),
    "oldpeak": (0.0, 10.0),
}
#: Columns where the UCI file has missing values (ca: 4 patients, thal: 2).
MAY_BE_MISSING = {"ca", "thal"}


class DataError(ValueError):
    """The heart data file is missing, malformed or not the file the course expects.

    Shown in notebooks/00_data_and_model.ipynb (a changed copy of the data is refused).
    """


@dataclass(frozen=True)
class HeartData:
    """The Cleveland table split into features ``X`` (13 UCI columns), ``y`` (0/1) and ``num`` (0-4).

    Returned by ``load_heart``; used from notebooks/00_data_and_model.ipynb on.
    """

    X: pd.DataFrame
    y: pd.Series
    num: pd.Series
    descriptions: dict[str, str]

    @property
    def frame(self) -> pd.DataFrame:
        """Features, ``num`` and ``target`` side by side (a copy)."""
        return pd.concat([self.X, self.num, self.y], axis=1)


def check_features(names, valid=FEATURES) -> list[str]:
    """Return the feature name(s) a caller asked for as a list, raising ``KeyError`` that lists the valid
    names for any unknown one (a bare string is one name).

    Infrastructure (not taught in a notebook): the input checks of ``explain``, ``interactions`` and
    ``glassbox``.
    """
    names = [names] if isinstance(names, str) else list(names)
    unknown = [n for n in names if n not in valid]
    if unknown:
        raise KeyError(f"unknown feature name(s) {unknown}; valid names are {list(valid)}")
    return names


def require_frame(X, what: str = "X") -> pd.DataFrame:
    """Return ``X`` if it is a pandas DataFrame, else raise a ``TypeError`` that says how to make one.

    Infrastructure (not taught in a notebook): the input checks of ``explain``, ``interactions`` and
    ``glassbox``.
    """
    if not isinstance(X, pd.DataFrame):
        raise TypeError(f"{what} must be a pandas DataFrame with the feature names as columns, got "
                        f"{type(X).__name__}; wrap an array as pd.DataFrame(array, columns=feature_names)")
    return X


def require_columns(X, columns, what: str = "X") -> pd.DataFrame:
    """Check that the DataFrame ``X`` has every one of ``columns``; the error names the missing ones and
    the columns ``X`` does have (the data is incomplete, not the request unknown).

    Infrastructure (not taught in a notebook): the input checks of ``data`` and ``glassbox``.
    """
    require_frame(X, what)
    missing = [c for c in columns if c not in X.columns]
    if missing:
        raise KeyError(f"{what} is missing column(s) {missing}; it has {list(X.columns)}")
    return X


def model_columns(model, X: pd.DataFrame, what: str = "X") -> pd.DataFrame:
    """``X`` with its columns in the order ``model`` was fitted with (its ``feature_names_in_``), selected
    by name, so a frame whose columns come in another order gives the model's own predictions. A missing
    or extra column raises ``ValueError`` naming it. A model without feature names gets ``X`` unchanged.
    Infrastructure (not taught in a notebook):
    an input check used by helpers.explain, helpers.interactions and helpers.glassbox."""
    require_frame(X, what)
    names = getattr(model, "feature_names_in_", None)
    if names is None:
        if hasattr(model, "n_features_in_") and not isinstance(X.columns, pd.RangeIndex):
            warnings.warn(f"the model was fitted on an array without feature names, so the column order of "
                          f"{what} ({list(X.columns)}) cannot be checked: its columns are used by position. "
                          "Fit the model on a DataFrame to have them matched by name.", UserWarning,
                          stacklevel=3)
        return X
    names = list(names)
    missing, extra = [c for c in names if c not in X.columns], [c for c in X.columns if c not in names]
    if missing or extra:
        raise ValueError(f"{what} does not have the columns the model was fitted with: missing {missing}, "
                         f"extra {extra}; the model expects {names} (was it trained on another table?)")
    return X if list(X.columns) == names else X[names]


def aligned_labels(y, index: pd.Index, what: str = "y", rows: str = "X") -> np.ndarray:
    """The labels ``y`` as an array in the row order of ``index`` (the rows of ``rows``). A Series is
    aligned **by its index**, as pandas aligns it elsewhere (e.g. in ``label_direction``): the same
    patients in another order are put in ``rows``' order; an index that names other patients raises
    ``ValueError``. An array or list, or a Series given for rows that carry no patient index of their own
    (the default 0, 1, ..., n-1 of a frame built from arrays, e.g. a table of predictions), is taken in
    the order given and must have one label per row.
    Infrastructure (not taught in a notebook):
    an input check used by helpers.explain, helpers.interactions and helpers.glassbox."""
    if isinstance(y, pd.DataFrame):
        if y.shape[1] != 1:
            raise ValueError(f"{what}: got a DataFrame with {y.shape[1]} columns {list(y.columns)}; give the "
                             "labels as one column (a Series, e.g. df['target']) or a 1-D array")
        y = y.iloc[:, 0]  # a one-column frame of labels: its only column
    unnamed = isinstance(index, pd.RangeIndex) and index.start == 0 and index.step == 1
    if isinstance(y, pd.Series) and unnamed and not y.index.equals(index):
        y = y.to_numpy()  # the rows have no patient identity to align on: their order is y's
    if isinstance(y, pd.Series):
        if y.index.equals(index):
            return y.to_numpy()
        if y.index.is_unique and index.is_unique and len(y) == len(index) and set(y.index) == set(index):
            return y.reindex(index).to_numpy()
        other = [i for i in index if i not in y.index][:5]
        raise ValueError(f"{what}'s index does not match {rows}'s: {len(y)} labels for {len(index)} rows, "
                         f"rows {other} have no label; pass the labels of the same patients "
                         f"({what}.loc[{rows}.index]), or an array in {rows}'s row order")
    labels = np.asarray(y)
    if labels.ndim != 1 or len(labels) != len(index):
        raise ValueError(f"{labels.shape[0] if labels.ndim else 1} labels for {len(index)} rows of {rows}: "
                         "give one label per patient")
    return labels


def validate_heart(df: pd.DataFrame, source: str = "heart data") -> pd.DataFrame:
    """Check columns, row count, dtypes, codes and ranges; return the frame with integer codes
    (nullable ``Int64`` where values may be missing) and float64 measurements.

    Every problem found raises ``DataError`` naming ``source``, the column and what was expected.

    Called by ``load_heart``; its checks are described in notebooks/00_data_and_model.ipynb.
    """
    missing = [c for c in COLUMNS if c not in df.columns]
    extra = [c for c in df.columns if c not in COLUMNS]
    if missing or extra:
        raise DataError(f"{source}: missing columns {missing}, unexpected columns {extra}; "
                        f"expected exactly {COLUMNS}")
    if len(df) != N_PATIENTS:
        raise DataError(f"{source}: {len(df)} rows, expected the {N_PATIENTS} Cleveland patients")
    df = df[COLUMNS].copy()
    for col in COLUMNS:
        if not pd.api.types.is_numeric_dtype(df[col]):
            bad = df[col][pd.to_numeric(df[col], errors="coerce").isna() & df[col].notna()]
            raise DataError(f"{source}: column {col!r} must be numeric, found {bad.iloc[0]!r} "
                            f"(row {bad.index[0]})")
        n_missing = int(df[col].isna().sum())
        if n_missing and col not in MAY_BE_MISSING:
            raise DataError(f"{source}: column {col!r} has {n_missing} missing values; only "
                            f"{sorted(MAY_BE_MISSING)} may be missing")
    for col, allowed in CODES.items():
        values = df[col].dropna()
        if (values != values.round()).any():
            raise DataError(f"{source}: column {col!r} must hold whole-number codes {sorted(allowed)}")
        bad = sorted(set(values.astype(int)) - allowed)
        if bad:
            raise DataError(f"{source}: column {col!r} has codes {bad} outside the UCI codes "
                            f"{sorted(allowed)}")
        df[col] = df[col].astype("Int64" if col in MAY_BE_MISSING else "int64")
    for col, (lo, hi) in RANGES.items():
        # measurements are floats: scikit-learn's partial dependence refuses integer columns
        df[col] = df[col].astype("float64")
        out = df[col][(df[col] < lo) | (df[col] > hi)]
        if len(out):
            raise DataError(f"{source}: column {col!r} has {out.iloc[0]} at row {out.index[0]}, outside "
                            f"the plausible range [{lo}, {hi}]")
    if not (df["target"] == (df["num"] > 0).astype(int)).all():
        raise DataError(f"{source}: 'target' must equal num > 0 (1 = disease); is the label flipped?")
    return df


def load_heart(path: str | Path | None = None, *, expected_sha256: str | None = HEART_SHA256) -> HeartData:
    """Load, hash-check and validate the Cleveland table; return ``HeartData``.

    ``path`` defaults to ``data/heart_cleveland.csv``. Pass ``expected_sha256=None`` to validate a file
    of your own (the structural checks still apply).

    Taught in notebooks/00_data_and_model.ipynb.
    """
    path = Path(path) if path is not None else paths.DATA_DIR / HEART_FILE
    if not path.is_file():
        raise DataError(f"{path}: file not found; the course ships it in data/ (rebuild it with "
                        "`python scripts/build_data.py heart`)")
    if expected_sha256 is not None:
        got = cache.sha256_file(path)
        if got != expected_sha256:
            raise DataError(cache.hash_mismatch_message(path, got, expected_sha256)
                            + " (to load a copy of your own, pass expected_sha256=None)")
    try:
        raw = pd.read_csv(path)
    except (pd.errors.ParserError, UnicodeDecodeError, pd.errors.EmptyDataError) as exc:
        raise DataError(f"{path}: not a readable CSV ({exc})") from exc
    df = validate_heart(raw, source=str(path))
    return HeartData(X=df[list(FEATURES)], y=df["target"].rename("target"), num=df["num"],
                     descriptions=dict(FEATURES))


def fill_missing(X: pd.DataFrame) -> pd.DataFrame:
    """Return a copy of ``X`` with the 6 missing ``ca``/``thal`` codes set to each column's most
    frequent code (ca 0, thal 3 = normal), as plain int64 columns.

    The course's one choice for missing values, made in notebooks/00_data_and_model.ipynb: 6 of 3,939
    cells, too few to move any explanation, and a tree model needs a value in every cell.
    """
    out = require_frame(X).copy()
    empty = out.index[out.isna().all(axis=1)].tolist() if len(out.columns) > 1 else []
    if empty:
        raise ValueError(f"rows {empty[:5]} have no value at all: fill_missing fills the few missing ca/thal "
                         "codes of a patient, not a whole row; drop such rows (X.dropna(how='all'))")
    for col in out.columns:
        if out[col].isna().all():
            raise ValueError(f"column {col!r} has no value at all: there is no most frequent code to fill in")
        if out[col].isna().any():
            out[col] = out[col].fillna(out[col].mode().iloc[0])
        if col in CODES:
            out[col] = out[col].astype("int64")
    return out


#: What cardiology expects: disease becomes more likely (+1) or less likely (-1) as the feature grows.
EXPECTED_DIRECTION: dict[str, int] = {"ca": +1, "oldpeak": +1, "exang": +1, "thalach": -1}


def label_direction(X: pd.DataFrame, y: pd.Series,
                    expected: dict[str, int] = EXPECTED_DIRECTION) -> pd.DataFrame:
    """Spearman correlation of each feature in ``expected`` with the label, beside the expected sign.

    A table whose ``agrees`` column is all True says the label means what we think it means; a
    flipped label (1 = healthy) makes every row disagree. Taught in notebooks/00_data_and_model.ipynb.
    """
    require_columns(X, list(expected))
    if len(y) != len(X):
        raise ValueError(f"X has {len(X)} rows but y has {len(y)}")
    y = pd.Series(aligned_labels(y, X.index), index=X.index)
    classes = sorted(pd.unique(y.dropna()).tolist())
    if len(classes) < 2:
        raise ValueError(f"y has only the class {classes} here: a direction needs patients of both classes "
                         "(0 and 1)")
    rho = {f: X[f].astype(float).corr(y.astype(float), method="spearman") for f in expected}
    out = pd.DataFrame({"spearman_rho": rho, "expected_sign": expected})
    out["agrees"] = (out["spearman_rho"] * out["expected_sign"]) > 0
    return out


#: How the popular Kaggle "heart-disease-uci" file (heart.csv) re-codes the UCI Cleveland columns, as
#: documented by community analyses of that file (the file itself is not shipped): chest pain, resting
#: ECG, slope and thallium are renumbered from 0, missing ca/thal become 4/0, and the target is flipped
#: (1 = *no* disease).
KAGGLE_CODES: dict[str, dict[int, int]] = {
    "cp": {4: 0, 2: 1, 3: 2, 1: 3},          # 0 asymptomatic, 1 atypical, 2 non-anginal, 3 typical angina
    "restecg": {2: 0, 0: 1, 1: 2},           # 0 LV hypertrophy, 1 normal, 2 ST-T abnormality
    "slope": {3: 0, 2: 1, 1: 2},             # 0 downsloping, 1 flat, 2 upsloping
    "thal": {6: 1, 3: 2, 7: 3},              # 1 fixed defect, 2 normal, 3 reversible defect (0 = missing)
}
KAGGLE_MISSING = {"ca": 4, "thal": 0}


def to_kaggle_coding(X: pd.DataFrame, y: pd.Series) -> tuple[pd.DataFrame, pd.Series]:
    """Re-code UCI features and label the way Kaggle's heart.csv does (see ``KAGGLE_CODES``).

    Returns new objects; the label becomes 1 for *no* disease. Used in
    notebooks/05_trusting_tabular_explanations.ipynb to show how explanations turn around.
    """
    require_columns(X, list(KAGGLE_CODES) + list(KAGGLE_MISSING))
    for col, mapping in KAGGLE_CODES.items():
        found = set(X[col].dropna().astype(int)) - set(mapping)
        if found:
            raise ValueError(f"column {col!r} has codes {sorted(found)} that are not UCI codes "
                             f"{sorted(mapping)}: "
                             "is X already in Kaggle's coding? to_kaggle_coding takes the UCI coding "
                             "(data.load_heart()), once")
    out = X.copy()
    for col, missing_code in KAGGLE_MISSING.items():
        mapped = out[col].map(KAGGLE_CODES[col]) if col in KAGGLE_CODES else out[col]
        out[col] = mapped.fillna(missing_code).astype("int64")
    for col, mapping in KAGGLE_CODES.items():
        if col not in KAGGLE_MISSING:
            out[col] = out[col].map(mapping).astype("int64")
    return out, (1 - y).rename("target")
