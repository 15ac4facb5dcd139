"""Fooling LIME and SHAP (Slack, Hilgard, Jia, Singh & Lakkaraju, AIES 2020): a model that hides its bias
from perturbation-based explainers. Taught in notebooks/20_fooling_lime_and_shap.ipynb.

The pieces, as scikit-learn-style objects and functions:

- ``RuleModel``: a classifier that predicts class 1 exactly when one feature is above a threshold (the
  biased model on ``sex``, the harmless one on a planted unrelated column);
- ``lime_style`` and ``kernel_shap_style``: rows like those the two explainers send to a model. LIME (as
  the course sets it up: quartile bins, notebook 04) draws every feature independently of the others from
  the training data; KernelSHAP keeps a random subset of a real row's features and fills the rest from one
  background row;
- ``detector_data``: real rows (label 1) stacked with perturbed rows (label 0), to train the
  out-of-distribution detector;
- ``Scaffold``: the attack. It fits a detector; on rows the detector calls real it answers with the
  biased model, elsewhere with the harmless one.

The paper's code (github.com/dylan-slack/Fooling-LIME-SHAP) perturbs standardised data with Gaussian noise
for LIME and substitutes k-means centroids feature by feature for SHAP; the generators here follow the
explainers as this course runs them instead (see the notebook for which parts are whose).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.ensemble import RandomForestClassifier

from .data import check_features, require_frame

REAL, PERTURBED = 1, 0


def _rng(random_state) -> np.random.Generator:
    if isinstance(random_state, np.random.Generator):
        return random_state
    if random_state is None or isinstance(random_state, (int, np.integer)):
        return np.random.default_rng(random_state)
    raise TypeError("random_state must be an int, None or a numpy Generator, "
                    f"got {type(random_state).__name__}")


def _frame(X, names, what="X") -> pd.DataFrame:
    """``X`` as a DataFrame with exactly the columns ``names`` (in that order): a DataFrame with other
    columns, or an array of the wrong width, is an error that says what was expected."""
    if isinstance(X, pd.DataFrame):
        missing = [n for n in names if n not in X.columns]
        extra = [c for c in X.columns if c not in names]
        if missing or extra:
            raise KeyError(f"{what} has columns {list(X.columns)}; expected exactly {list(names)} "
                           f"(missing {missing}, unexpected {extra})")
        return X[list(names)]
    array = np.asarray(X, dtype=float)
    if array.ndim != 2 or array.shape[1] != len(names):
        raise ValueError(f"{what} must be a DataFrame with columns {list(names)}, or a 2-D array with "
                         f"{len(names)} columns in that order; got shape {array.shape}")
    return pd.DataFrame(array, columns=list(names))


class RuleModel(ClassifierMixin, BaseEstimator):
    """Predicts class 1 with probability 1 where ``feature > threshold``, class 0 elsewhere. ``fit`` only
    records the column names (there is nothing to learn: the rule is the known answer).
    Used in notebooks/20_fooling_lime_and_shap.ipynb."""

    def __init__(self, feature: str = "sex", threshold: float = 0.5):
        self.feature = feature
        self.threshold = threshold

    def fit(self, X, y=None):
        X = require_frame(X)
        check_features(self.feature, valid=list(X.columns))
        self.feature_names_in_ = np.array(X.columns, dtype=object)
        self.n_features_in_ = len(X.columns)
        self.classes_ = np.array([0, 1])
        return self

    def predict_proba(self, X) -> np.ndarray:
        X = _frame(X, self.feature_names_in_)
        positive = (X[self.feature].to_numpy(dtype=float) > self.threshold).astype(float)
        return np.column_stack([1 - positive, positive])

    def predict(self, X) -> np.ndarray:
        return self.predict_proba(X)[:, 1].astype(int)


def lime_style(X: pd.DataFrame, n_rows: int, random_state=0) -> pd.DataFrame:
    """``n_rows`` rows drawn as tabular LIME with discretized features draws its samples: every column
    independently from its own values in ``X`` (LIME samples each feature's bin with its training
    frequency, independently of the others), so each column looks real and the combinations do not.
    Used in notebooks/20_fooling_lime_and_shap.ipynb."""
    X = require_frame(X)
    if n_rows < 1:
        raise ValueError(f"n_rows must be at least 1, got {n_rows}")
    rng = _rng(random_state)
    picks = rng.integers(0, len(X), size=(n_rows, X.shape[1]))
    values = X.to_numpy(dtype=float)
    return pd.DataFrame(values[picks, np.arange(X.shape[1])], columns=X.columns)


def kernel_shap_style(X: pd.DataFrame, background, n_rows: int, random_state=0) -> pd.DataFrame:
    """``n_rows`` rows as KernelSHAP builds them: a random real row of ``X`` keeps a random coalition of
    its features (each kept with probability 1/2, at least one kept and one replaced) and takes the
    others from one random row of ``background`` (a k-means summary, or a sample of real rows).
    Used in notebooks/20_fooling_lime_and_shap.ipynb."""
    X = require_frame(X)
    if n_rows < 1:
        raise ValueError(f"n_rows must be at least 1, got {n_rows}")
    background = _frame(getattr(background, "data", background), list(X.columns), "background")
    rng = _rng(random_state)
    p = X.shape[1]
    rows = X.to_numpy(dtype=float)[rng.integers(0, len(X), n_rows)]
    fill = background.to_numpy(dtype=float)[rng.integers(0, len(background), n_rows)]
    keep = rng.random((n_rows, p)) < 0.5
    degenerate = keep.all(axis=1) | ~keep.any(axis=1)
    while degenerate.any():
        keep[degenerate] = rng.random((int(degenerate.sum()), p)) < 0.5
        degenerate = keep.all(axis=1) | ~keep.any(axis=1)
    return pd.DataFrame(np.where(keep, rows, fill), columns=X.columns)


def detector_data(real: pd.DataFrame, *perturbed: pd.DataFrame, repeats: int = 1):
    """Training data for the out-of-distribution detector: ``real`` repeated ``repeats`` times (label
    ``REAL`` = 1) stacked with every frame in ``perturbed`` (label ``PERTURBED`` = 0).
    Returns (X, is_real).
    Used in notebooks/20_fooling_lime_and_shap.ipynb."""
    real = require_frame(real, "real")
    if not perturbed:
        raise ValueError("give at least one frame of perturbed rows")
    if repeats < 1:
        raise ValueError(f"repeats must be at least 1, got {repeats}")
    frames = [_frame(p, list(real.columns), "perturbed rows") for p in perturbed]
    X = pd.concat([real] * repeats + frames, ignore_index=True)
    is_real = np.r_[np.full(len(real) * repeats, REAL), np.full(sum(len(f) for f in frames), PERTURBED)]
    return X, is_real


class Scaffold(ClassifierMixin, BaseEstimator):
    """The adversarial scaffold of Slack et al. (2020): ``biased`` where the detector says a row is real,
    ``innocuous`` everywhere else. ``fit(X, is_real)`` trains a copy of ``detector`` (default: a random
    forest of 50 trees, 6 levels deep, classes balanced) to tell real rows (1) from perturbed ones (0);
    ``biased`` and ``innocuous`` must be fitted classifiers on the same columns. ``predict_proba`` takes a
    DataFrame with exactly those columns, or an array with them in order (as LIME and KernelSHAP pass).
    Used in notebooks/20_fooling_lime_and_shap.ipynb."""

    def __init__(self, biased, innocuous, detector=None, threshold: float = 0.5, random_state: int = 0):
        self.biased = biased
        self.innocuous = innocuous
        self.detector = detector
        self.threshold = threshold
        self.random_state = random_state

    def fit(self, X, is_real):
        X = require_frame(X)
        labels = np.asarray(is_real)
        if labels.shape != (len(X),) or not np.isin(labels, [REAL, PERTURBED]).all():
            raise ValueError(f"is_real must hold one 0/1 label per row of X ({len(X)} rows), "
                             f"1 = real, 0 = perturbed")
        for name, model in (("biased", self.biased), ("innocuous", self.innocuous)):
            names = getattr(model, "feature_names_in_", None)
            if names is None or list(names) != list(X.columns):
                raise ValueError(f"the {name} model must be fitted on the columns {list(X.columns)}, "
                                 f"got {None if names is None else list(names)}")
        detector = self.detector if self.detector is not None else RandomForestClassifier(
            n_estimators=50, max_depth=6, class_weight="balanced")
        detector = clone(detector)
        if "random_state" in detector.get_params():
            detector.set_params(random_state=self.random_state)
        self.detector_ = detector.fit(X, labels)
        self.feature_names_in_ = np.array(X.columns, dtype=object)
        self.n_features_in_ = len(X.columns)
        self.classes_ = np.array([0, 1])
        return self

    def _check_fitted(self):
        if not hasattr(self, "detector_"):
            raise AttributeError("this Scaffold is not fitted yet: call fit(X, is_real) first")

    def real_proba(self, X) -> np.ndarray:
        """The detector's probability that each row is a real one."""
        self._check_fitted()
        X = _frame(X, self.feature_names_in_)
        return self.detector_.predict_proba(X)[:, list(self.detector_.classes_).index(REAL)]

    def looks_real(self, X) -> np.ndarray:
        """True for the rows the detector calls real (probability of 'real' at least ``threshold``)."""
        return self.real_proba(X) >= self.threshold

    def predict_proba(self, X) -> np.ndarray:
        self._check_fitted()
        X = _frame(X, self.feature_names_in_)
        real = self.looks_real(X)
        return np.where(real[:, None], self.biased.predict_proba(X), self.innocuous.predict_proba(X))

    def predict(self, X) -> np.ndarray:
        return self.classes_[self.predict_proba(X).argmax(axis=1)]


class Recorder:
    """Wraps a model's ``predict_proba`` as the function of bare arrays that LIME and KernelSHAP call, and
    keeps every row they send (``rows``), so one can ask afterwards what the model was shown.
    ``output="proba"`` returns both columns (LIME), ``"positive"`` the probability of class 1 (KernelSHAP).
    Used in notebooks/20_fooling_lime_and_shap.ipynb."""

    def __init__(self, model, feature_names, output: str = "proba"):
        if output not in ("proba", "positive"):
            raise ValueError(f"output must be 'proba' or 'positive', got {output!r}")
        self.model, self.feature_names, self.output = model, list(feature_names), output
        self._sent: list[np.ndarray] = []

    def __call__(self, rows) -> np.ndarray:
        rows = np.asarray(rows, dtype=float)
        self._sent.append(rows)
        proba = self.model.predict_proba(_frame(rows, self.feature_names, "the explainer's rows"))
        return proba if self.output == "proba" else proba[:, 1]

    @property
    def rows(self) -> pd.DataFrame:
        if not self._sent:
            raise ValueError("no rows recorded yet: the explainer has not called the model")
        return pd.DataFrame(np.vstack(self._sent), columns=self.feature_names)


def detector_histogram(scaffold, rows: dict):
    """What the scaffold's detector sees: one step histogram (density) per kind of rows (a dict name ->
    DataFrame) of the detector's probability that a row is real, each labelled with the share the
    scaffold calls real, and a dashed line at its threshold (right of it the biased model answers).
    Legend below the axes in two columns. Returns the figure (left open: a notebook shows it at the end
    of the cell). Used in notebooks/20_fooling_lime_and_shap.ipynb."""
    import matplotlib.pyplot as plt

    if not isinstance(rows, dict) or not rows:
        raise TypeError(f"rows must be a non-empty dict name -> DataFrame, e.g. {{'real': X_test}}, got "
                        f"{type(rows).__name__}{' (empty)' if isinstance(rows, dict) else ''}")
    for name, X in rows.items():
        if len(X) == 0:
            raise ValueError(f"rows[{name!r}] is empty: no probability to draw")
    fig, ax = plt.subplots(figsize=(8.8, 5.5), layout="constrained")
    for name, X in rows.items():
        p_real = scaffold.real_proba(X)
        called = np.mean(p_real >= scaffold.threshold)
        ax.hist(p_real, bins=np.linspace(0, 1, 26), density=True, histtype="step", lw=2.2,
                label=f"{name}\n({called:.0%} called real)")
    ax.axvline(scaffold.threshold, color="grey", ls="--")
    ax.set(xlabel="detector's probability that the row is real", ylabel="density",
           title="What the detector sees:\nright of the dashed line the biased model answers")
    fig.legend(loc="outside lower center", ncol=2)
    return fig
