"""Rules you can check: anchors and a global surrogate, with every number measured on patients the
explainer never saw.

Taught in notebooks/09_counterfactuals_anchors_and_surrogates.ipynb:

- ``forest_risk``: a random forest's risk as one vectorised function (the anchor search calls the model
  a few hundred times; scikit-learn's per-call overhead made that the search's main cost);
- ``anchor_explainer``, ``find_anchor``: anchors (Ribeiro, Singh & Guestrin, AAAI 2018) with the authors'
  ``anchor-exp`` 0.0.2.0, seeded, keeping the anchor's conditions so that ``Anchor.holds`` can test them
  on other patients;
- ``proportion_interval``: a proportion with its exact (Clopper-Pearson) binomial interval, for an
  anchor's precision and coverage and a surrogate's fidelity on held-out patients.

anchor-exp is installed without its dependencies (requirements-nodeps.txt): it declares spacy, which only
its text explainer uses (it is handed a spacy model; one of its functions also imports transformers and
torch). In 0.0.2.0 ``anchor/__init__.py`` imports nothing and ``anchor.anchor_tabular`` imports only lime,
scikit-learn and NumPy at import time, so the tabular module alone is imported here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from unittest import mock

import numpy as np
import pandas as pd

from .data import require_frame

OPS = {"leq": "<=", "geq": ">", "eq": "=="}


def forest_risk(forest) -> Callable[[np.ndarray], np.ndarray]:
    """A function of a 2-D array (columns in the forest's feature order) returning the fitted scikit-learn
    random forest's ``predict_proba(...)[:, 1]``: every tree walked at once, level by level, in NumPy.
    Inputs are cast to float32 first, as scikit-learn's trees do before comparing with their thresholds,
    so the result equals ``predict_proba`` (a test checks it).
    Used in notebooks/09_counterfactuals_anchors_and_surrogates.ipynb."""
    trees = [getattr(t, "tree_", None) for t in getattr(forest, "estimators_", [])]
    if not trees or any(t is None for t in trees) or getattr(forest, "n_classes_", 0) != 2:
        raise TypeError(f"forest must be a fitted two-class scikit-learn random forest, got "
                        f"{type(forest).__name__}")
    size = max(t.node_count for t in trees)

    def pad(arrays, fill):
        out = np.full((len(trees), size), fill, dtype=np.asarray(arrays[0]).dtype)
        for i, a in enumerate(arrays):
            out[i, :len(a)] = a
        return out

    left = pad([t.children_left for t in trees], -1)
    right = pad([t.children_right for t in trees], -1)
    feature = pad([t.feature for t in trees], -2)
    threshold = pad([t.threshold for t in trees], 0.0)
    value = pad([t.value[:, 0, 1] / t.value[:, 0, :].sum(axis=1) for t in trees], 0.0)
    depth = max(t.max_depth for t in trees)
    which = np.arange(len(trees))[:, None]
    n_features = forest.n_features_in_

    def risk(X) -> np.ndarray:
        X = np.asarray(X, dtype=np.float32)
        if X.ndim != 2 or X.shape[1] != n_features:
            raise ValueError(f"X must be a 2-D array with the forest's {n_features} feature columns, got "
                             f"shape {X.shape}")
        rows = np.arange(len(X))[None, :]
        node = np.zeros((len(trees), len(X)), dtype=np.intp)
        for _ in range(depth):
            f = feature[which, node]
            leaf = f < 0
            go_left = X[rows, np.where(leaf, 0, f)] <= threshold[which, node]
            node = np.where(leaf, node, np.where(go_left, left[which, node], right[which, node]))
        return value[which, node].mean(axis=0)

    return risk


@dataclass
class Anchor:
    """An anchor found by anchor-exp: ``conditions`` as (feature, op, bin) on the explainer's quartile
    bins, their readable ``names``, the predicted class the anchor vouches for, and the ``precision`` and
    ``coverage`` the library reports (estimated on its own samples).
    Used in notebooks/09_counterfactuals_anchors_and_surrogates.ipynb."""

    names: list[str]
    conditions: list[tuple[str, str, int]]
    prediction: int
    precision: float
    coverage: float
    discretize: Callable = field(repr=False)
    feature_names: list[str] = field(repr=False)

    @property
    def features(self) -> list[str]:
        """The features the anchor's conditions name, in the order it added them."""
        return list(dict.fromkeys(f for f, _, _ in self.conditions))

    def holds(self, X: pd.DataFrame) -> np.ndarray:
        """Which rows of ``X`` satisfy every condition of the anchor (the library's own bins decide)."""
        require_frame(X)
        missing = [f for f in self.feature_names if f not in X.columns]
        if missing:
            raise KeyError(f"X lacks the anchor's feature column(s) {missing}")
        binned = self.discretize(X[self.feature_names].to_numpy(dtype=float))
        ok = np.ones(len(X), dtype=bool)
        for name, op, v in self.conditions:
            b = binned[:, self.feature_names.index(name)]
            ok &= {"leq": b <= v, "geq": b > v, "eq": b == v}[op]
        return ok


def anchor_explainer(X_train: pd.DataFrame, class_names=("no disease", "disease")):
    """anchor-exp's ``AnchorTabularExplainer`` on the training patients: it samples perturbations from
    them and bins every feature at its training quartiles (the coded features too: ``thal > 3`` then
    means thal 6 or 7).
    Used in notebooks/09_counterfactuals_anchors_and_surrogates.ipynb."""
    from anchor import anchor_tabular  # the tabular module only (lime, scikit-learn, NumPy); not anchor_text

    require_frame(X_train, "X_train")
    return anchor_tabular.AnchorTabularExplainer(list(class_names), list(X_train.columns),
                                                 X_train.to_numpy(dtype=float))


def find_anchor(explainer, row: pd.Series, predict: Callable[[np.ndarray], np.ndarray],
                threshold: float = 0.95, random_state: int = 0) -> Anchor:
    """The anchor of one patient (``row``, a Series in the explainer's feature order) for the class
    ``predict`` (2-D array -> class labels) gives it, by anchor-exp's own ``explain_instance`` (beam
    search, precision target ``threshold``). The library samples from NumPy's global generator, so it is
    seeded here with ``random_state``; the conditions are kept as the library found them.
    Used in notebooks/09_counterfactuals_anchors_and_surrogates.ipynb."""
    names = list(explainer.feature_names)
    if not isinstance(row, pd.Series) or list(row.index) != names:
        raise TypeError(f"row must be one patient as a pandas Series with the features {names} (X.iloc[i])")
    kept = {}
    original = explainer.add_names_to_exp

    def keep_conditions(data_row, exp, mapping):
        kept["conditions"] = [(names[f], op, int(v)) for f, op, v in (mapping[i] for i in exp["feature"])]
        return original(data_row, exp, mapping)

    np.random.seed(random_state)
    with mock.patch.object(explainer, "add_names_to_exp", keep_conditions):
        found = explainer.explain_instance(row.to_numpy(dtype=float), predict, threshold=threshold)
    return Anchor(names=found.names(), conditions=kept["conditions"],
                  prediction=int(found.exp_map["prediction"]), precision=float(found.precision()),
                  coverage=float(found.coverage()),
                  discretize=explainer.disc.discretize, feature_names=names)


def proportion_interval(k: int, n: int, level: float = 0.95) -> tuple[float, float, float]:
    """``k`` successes of ``n``: the proportion and its exact (Clopper-Pearson) binomial interval; all
    three NaN when ``n`` is 0 (a rule no held-out patient satisfies says nothing about its precision).
    Used in notebooks/09_counterfactuals_anchors_and_surrogates.ipynb."""
    from scipy.stats import binomtest

    if not 0 <= k <= n:
        raise ValueError(f"need 0 <= k <= n, got k={k}, n={n}")
    if n == 0:
        return (np.nan, np.nan, np.nan)
    ci = binomtest(int(k), int(n)).proportion_ci(confidence_level=level, method="exact")
    return (k / n, float(ci.low), float(ci.high))
