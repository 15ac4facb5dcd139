"""Small utilities shared by the tabular explanation notebooks (01-05).

Each function names the notebook where its idea is taught in full.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.stats import spearmanr
from tqdm.auto import tqdm

from .data import check_features, require_frame


def add_noise_column(X: pd.DataFrame, name: str = "noise", random_state: int = 0) -> pd.DataFrame:
    """Return a copy of ``X`` with a column of pure Gaussian noise: a feature that cannot matter.

    Taught in notebooks/01_permutation_importance.ipynb (a planted control for importance methods).
    """
    require_frame(X)
    if name in X.columns:
        raise ValueError(f"column {name!r} already exists; pick another name")
    rng = np.random.default_rng(random_state)
    return X.assign(**{name: rng.normal(size=len(X))})


def proba_of_frame(model, feature_names):
    """Wrap ``model.predict_proba`` to accept a bare NumPy array (as LIME and SHAP's KernelExplainer
    pass) and rebuild the DataFrame the model was fitted on, so scikit-learn sees the feature names.

    Taught in notebooks/04_lime.ipynb.
    """
    feature_names = list(feature_names)

    def predict_proba(rows: np.ndarray) -> np.ndarray:
        return model.predict_proba(pd.DataFrame(np.asarray(rows), columns=feature_names))

    return predict_proba


def with_progress(fn, total: int, desc: str):
    """Wrap ``fn`` so every call advances a tqdm progress bar of ``total`` steps.

    For library loops that call a prediction function once per step but show no progress themselves
    (SP-LIME explains one row per call). Taught in notebooks/04_lime.ipynb.
    """
    bar = tqdm(total=total, desc=desc, leave=True)

    def wrapped(*args, **kwargs):
        out = fn(*args, **kwargs)
        if bar.n < total:
            bar.update(1)
        if bar.n >= total:
            bar.close()
        return out

    return wrapped


def lime_weights(explanation, feature_names, label: int = 1) -> pd.Series:
    """LIME's local-surrogate weights for ``label`` as a Series indexed by ``feature_names`` (0 where LIME
    did not select the feature). Taught in notebooks/04_lime.ipynb.

    Weights are matched to features **by name**, using the names the explainer was built with, so
    ``feature_names`` may come in any order; a name the explainer does not know raises ``KeyError``."""
    feature_names = [feature_names] if isinstance(feature_names, str) else list(feature_names)
    mapper = explanation.domain_mapper
    own = list(getattr(mapper, "feature_names", None) or [])
    if not own:
        raise TypeError("expected a tabular LIME explanation (from LimeTabularExplainer.explain_instance)")
    for i in getattr(mapper, "categorical_features", None) or []:  # LIME renames them "name=value"
        own[i] = own[i].rsplit("=", 1)[0]
    check_features(feature_names, valid=own)
    by_index = explanation.as_map()
    if label not in by_index:
        raise KeyError(f"the explanation has no weights for label {label}; "
                       f"it explains labels {sorted(by_index)}")
    weights = pd.Series(0.0, index=own)
    for index, weight in by_index[label]:
        weights.iloc[index] = weight
    return weights.reindex(feature_names)


def top_k(scores: pd.Series, k: int) -> list[str]:
    """The ``k`` names with the largest scores (ties broken by name, so the result is deterministic)."""
    if not 1 <= k <= len(scores):
        raise ValueError(f"k must be between 1 and {len(scores)}, got {k}")
    frame = pd.DataFrame({"score": scores.to_numpy(), "name": scores.index})
    return list(frame.sort_values(["score", "name"], ascending=[False, True])["name"][:k])


def rank_agreement(a: pd.Series, b: pd.Series, k: int = 5) -> dict[str, float]:
    """Spearman rank correlation of two importance rankings over the same features, and the share of
    their top-``k`` features they have in common.
    Taught in notebooks/05_trusting_tabular_explanations.ipynb."""
    for what, s in (("a", a), ("b", b)):
        if not isinstance(s, pd.Series):
            raise TypeError(f"{what} must be a pandas Series indexed by feature name, got {type(s).__name__}")
    if set(a.index) != set(b.index):
        check_features(b.index, valid=a.index)
        check_features(a.index, valid=b.index)
    b = b.reindex(a.index)
    rho = spearmanr(a.to_numpy(), b.to_numpy()).statistic
    overlap = len(set(top_k(a, k)) & set(top_k(b, k))) / k
    return {"spearman": float(rho), f"top{k}_overlap": overlap}


CLASS_NAMES = ["no disease", "disease"]  # in the order of the forest's classes_ (0, 1)


def lime_explainer(X_train: pd.DataFrame, random_state: int = 0, class_names=CLASS_NAMES):
    """A ``LimeTabularExplainer`` for the heart data, set up as taught in notebooks/04_lime.ipynb:
    training statistics from ``X_train``, the UCI categorical columns declared, class names in the
    order of the model's ``classes_``, continuous features discretized into quartiles."""
    import lime.lime_tabular

    from .data import CATEGORICAL

    names = list(require_frame(X_train, "X_train").columns)
    return lime.lime_tabular.LimeTabularExplainer(
        X_train.to_numpy(), feature_names=names, class_names=list(class_names),
        categorical_features=[names.index(c) for c in CATEGORICAL if c in names],
        discretize_continuous=True, random_state=random_state)


def permutation_importance_batched(model, X: pd.DataFrame, y, *, scoring: str = "roc_auc", n_repeats: int = 5,
                                   random_state: int = 0, batch_rows: int = 50_000):
    """scikit-learn's ``permutation_importance`` with the same shuffles, computed in a few batched
    predictions instead of one per feature and repeat (13 features x 10 repeats = 130 calls otherwise).

    Reproduces ``sklearn.inspection.permutation_importance(model, X, y, scoring=..., n_repeats=...,
    random_state=...)`` exactly (tests/test_explain.py checks it): one seed drawn from ``random_state``
    drives the same in-place shuffles for every column, each repeat shuffling the previous repeat's
    column. ``scoring`` is "roc_auc" (probability of class 1) or "accuracy". Returns a Bunch with
    ``importances`` (features x repeats), ``importances_mean`` and ``importances_std``.
    Used in notebooks/05_trusting_tabular_explanations.ipynb, where permutation importance is repeated
    for 20 seeds; taught with the libraries in notebooks/01_permutation_importance.ipynb.
    """
    from sklearn.metrics import accuracy_score, roc_auc_score
    from sklearn.utils import Bunch

    X = require_frame(X)
    y = np.asarray(y)
    if scoring == "roc_auc":
        def score(proba):
            return roc_auc_score(y, proba[:, 1])
    elif scoring == "accuracy":
        def score(proba):
            return accuracy_score(y, model.classes_[proba.argmax(axis=1)])
    else:
        raise ValueError(f"scoring must be 'roc_auc' or 'accuracy', got {scoring!r}")
    n, columns = len(X), list(X.columns)
    seed = np.random.RandomState(random_state).randint(np.iinfo(np.int32).max + 1)
    copies = []
    for j, name in enumerate(columns):
        rng, order, column = np.random.RandomState(seed), np.arange(n), X[name].to_numpy()
        for _ in range(n_repeats):
            rng.shuffle(order)
            column = column[order]
            copies.append((j, column))
    per_batch = max(1, batch_rows // n)
    scores = []
    for start in range(0, len(copies), per_batch):
        chunk = copies[start: start + per_batch]
        stacked = pd.concat([X.assign(**{columns[j]: values}) for j, values in chunk], ignore_index=True)
        proba = model.predict_proba(stacked)
        scores += [score(proba[k * n: (k + 1) * n]) for k in range(len(chunk))]
    baseline = score(model.predict_proba(X))
    importances = baseline - np.array(scores).reshape(len(columns), n_repeats)
    return Bunch(importances=importances, importances_mean=importances.mean(axis=1),
                 importances_std=importances.std(axis=1))


#: LIME's own HTML draws 9-10 px serif labels; this raises them to a readable sans-serif size.
LIME_STYLE = ("<style>.lime, .lime text, .lime td, .lime th { font-family: sans-serif !important; } "
              ".lime text { font-size: 14px !important; } "
              ".lime td, .lime th { font-size: 15px !important; padding: 2px 8px !important; }</style>")


def lime_html(explanation):
    """LIME's interactive explanation, as ``explanation.as_html()`` draws it, with readable text.

    lime's ``show_in_notebook()`` imports ``display`` from a module path IPython 9 removed; this renders
    the same HTML with IPython's ``HTML``. Taught in notebooks/04_lime.ipynb."""
    from IPython.display import HTML

    return HTML(LIME_STYLE + explanation.as_html(show_table=True))
