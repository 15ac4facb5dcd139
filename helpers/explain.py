"""Explanation utilities for the tabular notebooks: the planted noise column, LIME's set-up and weights,
rankings and their agreement, ROC AUC of many rows at once, and the batched permutation-importance engine
(``permutation_importance``: scikit-learn's shuffles, single features or groups) used from
notebooks/05_trusting_tabular_explanations.ipynb on.

Each function's docstring names the notebook where it is taught or used.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.stats import rankdata, spearmanr

from .data import aligned_labels, check_features, model_columns, require_frame


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
        rows = np.asarray(rows)
        if rows.ndim != 2:
            raise ValueError(f"expected a 2-D array of rows (n, {len(feature_names)}), got shape "
                             f"{rows.shape}; for one row: use X.iloc[[i]] or row[None]")
        return model.predict_proba(pd.DataFrame(rows, columns=feature_names))

    return predict_proba


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
    """The ``k`` names with the largest scores (ties broken by name, so the result is deterministic).

    Used in notebooks/01_permutation_importance.ipynb, notebooks/04_lime.ipynb and
    notebooks/05_trusting_tabular_explanations.ipynb.
    """
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)):
        raise TypeError(f"k must be a whole number of features from 1 to {len(scores)}, got {k!r}")
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


def lime_explainer(X_train: pd.DataFrame, random_state: int = 0, class_names=CLASS_NAMES,
                   feature_selection: str = "auto"):
    """A ``LimeTabularExplainer`` for the heart data, set up as taught in notebooks/04_lime.ipynb:
    training statistics from ``X_train``, the UCI categorical columns declared, class names in the
    order of the model's ``classes_``, continuous features discretized into quartiles.

    ``feature_selection`` is LIME's: "auto" (its default) runs forward selection, one ridge fit per
    candidate feature per step, when 6 or fewer features are asked for; "highest_weights" fits once on
    all features and keeps the largest weights, which is what notebook 04 uses for SP-LIME's 61
    explanations."""
    import lime.lime_tabular

    from .data import CATEGORICAL

    names = list(require_frame(X_train, "X_train").columns)
    return lime.lime_tabular.LimeTabularExplainer(
        X_train.to_numpy(), feature_names=names, class_names=list(class_names),
        categorical_features=[names.index(c) for c in CATEGORICAL if c in names],
        discretize_continuous=True, feature_selection=feature_selection, random_state=random_state)


# ---------------------------------------------------------------- scoring many predictions at once
#: Rows predicted in one call when many perturbed copies of a data set are stacked (about 20 MB).
CHUNK_ROWS = 200_000


def auc_rows(y, scores) -> np.ndarray:
    """ROC AUC of each row of ``scores`` (shape ``(..., n)``) against the 0/1 labels ``y`` (the same
    shape, or ``(n,)`` for every row), by the rank-sum (Mann-Whitney) formula with tied scores counted
    half, as ``sklearn.metrics.roc_auc_score`` does, for many rows at once (a bootstrap's resamples, the
    shuffled copies of permutation importance). Used from notebooks/00_data_and_model.ipynb on (the
    bootstrap interval of the forest's AUC); written out in
    notebooks/08_glass_boxes_and_equally_good_models.ipynb, and checked against
    ``sklearn.metrics.roc_auc_score`` in tests/test_explain.py."""
    scores = np.asarray(scores, dtype=float)
    labels = np.asarray(y)
    if scores.ndim == 0:
        raise ValueError("scores must have at least one axis of patients, got a single number")
    try:
        labels = np.broadcast_to(labels, scores.shape)
    except ValueError:
        raise ValueError(f"labels of shape {np.shape(y)} do not match scores of shape {scores.shape}; "
                         "give one label per score, or one row of labels for every row") from None
    if not np.isfinite(scores).all():
        raise ValueError(f"scores contain {int((~np.isfinite(scores)).sum())} NaN or infinite value(s): "
                         "an AUC needs a finite score for every patient (did the model get missing values?)")
    if not np.isin(labels, (0, 1)).all():
        raise ValueError(f"labels must be 0/1, got values {sorted(set(np.unique(labels)) - {0, 1})[:5]}")
    labels = labels.astype(int)
    n_pos = labels.sum(axis=-1)
    n_neg = labels.shape[-1] - n_pos
    if (n_pos == 0).any() or (n_neg == 0).any():
        raise ValueError("every row needs both classes (an AUC is undefined otherwise)")
    ranks = rankdata(scores, axis=-1)
    return ((ranks * labels).sum(axis=-1) - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg)


def check_binary_classes(model) -> None:
    """Refuse a classifier whose ``classes_`` are not [0, 1] (or [False, True]): the course reads column 1
    of ``predict_proba`` as "disease", which is only true for those labels.
    Infrastructure (not taught in a notebook): an input check of ``prediction_function``."""
    classes = getattr(model, "classes_", None)
    if classes is None:
        return
    found = list(np.asarray(classes).tolist())
    if found not in ([0, 1], [False, True]):
        raise ValueError(f"the model's classes_ are {found}; the course's helpers take column 1 of "
                         "predict_proba as the probability of disease, which needs classes_ [0, 1] (or "
                         "[False, True]): fit the model on the 0/1 target (e.g. data.load_heart().y)")


def prediction_function(model, output: str = "probability") -> Callable[[np.ndarray], np.ndarray]:
    """A function from a 2-D array of rows to one number per row: the probability of class 1
    (``output="probability"``), or the model's raw output (``"raw"``: ``decision_function`` where it
    has one, e.g. log-odds for gradient boosting, else ``predict``). The rows are passed to the model as a
    DataFrame with the names it was fitted with, so scikit-learn does not warn about missing names: the
    columns of a 2-D array must therefore come in the model's order (``data.model_columns(model, X)``
    puts a frame's columns in that order, by name, as this module's functions do before calling it);
    a DataFrame is matched by its column names.
    A callable ``model`` is returned unchanged (it must take the 2-D array itself).

    Used by ``permutation_importance`` and ``interactions``; in notebooks/06_correlated_features.ipynb.
    """
    if callable(model) and not hasattr(model, "predict"):
        return model
    names = getattr(model, "feature_names_in_", None)

    def frame(rows):
        if names is None:
            return rows
        if isinstance(rows, pd.DataFrame):
            return model_columns(model, rows, "rows")
        if np.ndim(rows) != 2 or np.shape(rows)[1] != len(names):
            raise ValueError(f"expected rows of shape (n, {len(names)}) with the columns {list(names)} "
                             f"in this order, got shape {np.shape(rows)}")
        return pd.DataFrame(rows, columns=names)

    if output == "probability":
        check_binary_classes(model)
        return lambda rows: model.predict_proba(frame(rows))[:, 1]
    if output == "raw":
        method = getattr(model, "decision_function", None) or model.predict
        return lambda rows: np.asarray(method(frame(rows))).reshape(len(rows))
    raise ValueError(f"output must be 'probability' or 'raw', got {output!r}")


def predict_stacked(predict, blocks: np.ndarray) -> np.ndarray:
    """Predict ``blocks`` of shape (k, n, p) in calls of at most CHUNK_ROWS rows; returns (k, n).

    Infrastructure (not taught in a notebook): the batched computations of ``explain`` and ``interactions``.
    """
    k, n, p = blocks.shape
    rows = blocks.reshape(k * n, p)
    out = np.concatenate([np.asarray(predict(rows[i:i + CHUNK_ROWS]), dtype=float)
                          for i in range(0, len(rows), CHUNK_ROWS)])
    return out.reshape(k, n)


def feature_groups(groups, columns) -> dict[str, list[str]]:
    """Normalise ``groups`` (None, a list of names or of lists, or a dict name -> names) to a dict.

    Used by ``permutation_importance``; grouped importance is taught in
    notebooks/06_correlated_features.ipynb.
    """
    if groups is None:
        groups = list(columns)
    if isinstance(groups, (str, bytes)):
        raise TypeError(f"groups must be a list of feature names or of lists of names (or a dict), got the "
                        f"single string {groups!r}: use [{groups!r}]")
    if isinstance(groups, Mapping):
        named = {str(k): [v] if isinstance(v, str) else list(v) for k, v in groups.items()}
    else:
        named = {}
        for g in groups:
            members = [g] if isinstance(g, str) else list(g)
            named["+".join(members)] = members
    for name, members in named.items():
        if not members:
            raise ValueError(f"group {name!r} is empty")
        check_features(members, valid=list(columns))
    return named


# ---------------------------------------------------------------- permutation importance, batched
@dataclass(frozen=True)
class PermutationResult:
    """Permutation importance of single features or groups on one data set.

    ``importances``: one row per group, one column per repeat, the drop in ROC AUC;
    ``prediction_change``: mean |change of the predicted probability| per group, over rows and repeats
    (how much shuffling moves the model's output, whether or not the score suffers).

    Returned by ``permutation_importance``; used from notebooks/05_trusting_tabular_explanations.ipynb on.
    """

    baseline: float
    importances: pd.DataFrame
    prediction_change: pd.Series

    @property
    def mean(self) -> pd.Series:
        return self.importances.mean(axis=1)

    @property
    def std(self) -> pd.Series:
        return self.importances.std(axis=1, ddof=0)


def shuffles(n_rows: int, n_repeats: int, random_state: int = 0) -> np.ndarray:
    """The row orders, shape (n_repeats, n_rows), that ``sklearn.inspection.permutation_importance`` uses
    for every column with this ``random_state`` (one seed drawn from it, then one cumulative in-place
    shuffle per repeat), so a batched computation can reproduce scikit-learn's numbers exactly.

    Used in notebooks/01_permutation_importance.ipynb and notebooks/06_correlated_features.ipynb.
    """
    seed = np.random.RandomState(random_state).randint(np.iinfo(np.int32).max + 1)
    rng = np.random.RandomState(seed)
    index, current, orders = np.arange(n_rows), np.arange(n_rows), []
    for _ in range(n_repeats):
        rng.shuffle(index)
        current = current[index]  # scikit-learn re-shuffles the column it already shuffled
        orders.append(current)
    return np.array(orders)


def permutation_importance(model, X: pd.DataFrame, y, groups=None, n_repeats: int = 10,
                           random_state: int = 0) -> PermutationResult:
    """Drop in ROC AUC when a feature, or a group of features **jointly** (the same row order for every
    column of the group, so their relations inside the group survive), is shuffled.

    Batched: for each group all ``n_repeats`` shuffled copies of ``X`` are stacked and predicted in one
    call. ``groups``: None (every feature alone), a list of names or of lists of names, or a dict
    ``{name: [features]}``. For single features the result equals scikit-learn's
    ``permutation_importance(model, X, y, scoring="roc_auc", n_repeats=..., random_state=...)`` exactly:
    the same shuffles are used (see ``shuffles``), which tests/test_explain.py checks. Taught with the
    libraries in notebooks/01_permutation_importance.ipynb; this batched version is used from
    notebooks/05_trusting_tabular_explanations.ipynb on; notebooks/06_correlated_features.ipynb teaches the
    grouped form.
    """
    X = model_columns(model, X)  # the model's column order, by name
    if not isinstance(n_repeats, (int, np.integer)) or isinstance(n_repeats, bool):
        raise TypeError(f"n_repeats must be a whole number of repeats (an int >= 1), got {n_repeats!r}")
    if n_repeats < 1:
        raise ValueError(f"n_repeats must be at least 1, got {n_repeats}")
    named = feature_groups(groups, X.columns)
    predict = prediction_function(model)
    values = X.to_numpy(dtype=float)
    y = aligned_labels(y, X.index)
    reference = predict(values)
    baseline = float(auc_rows(y, reference))
    orders = shuffles(len(X), n_repeats, random_state)
    drops, moves = {}, {}
    for name, members in named.items():
        cols = [X.columns.get_loc(m) for m in members]
        blocks = np.repeat(values[None], n_repeats, axis=0)
        blocks[:, :, cols] = values[orders][:, :, cols]
        predicted = predict_stacked(predict, blocks)
        drops[name] = baseline - auc_rows(y, predicted)
        moves[name] = float(np.abs(predicted - reference).mean())
    importances = pd.DataFrame.from_dict(drops, orient="index")
    importances.columns.name = "repeat"
    return PermutationResult(baseline, importances, pd.Series(moves))


# ---------------------------------------------------------------- notebook 05: four global importances
def mean_abs_lime(model, X_train: pd.DataFrame, rows: pd.DataFrame, random_state: int = 0,
                  num_samples: int = 1000) -> pd.Series:
    """Mean |LIME weight| of every feature over ``rows``, each row explained with all features by one
    explainer, ``lime_explainer(X_train, random_state)``, in the order of ``rows``: LIME aggregated into
    a global importance. Per feature, SP-LIME's importance I_j = sqrt(sum_i |W_ij|) (notebooks/04_lime.ipynb)
    ranks the features in the same order. Used in notebooks/05_trusting_tabular_explanations.ipynb."""
    order = list(require_frame(rows, "rows").columns)
    if rows.empty:
        raise ValueError("rows is empty: no row to explain")
    if not isinstance(num_samples, int | np.integer) or num_samples < 2:
        raise ValueError(f"num_samples is LIME's number of perturbed samples per row, at least 2, got "
                         f"{num_samples!r}")
    rows = model_columns(model, rows, "rows")  # the model's column order, selected by name
    names = list(rows.columns)
    missing = [c for c in names if c not in require_frame(X_train, "X_train").columns]
    if missing:
        raise KeyError(f"X_train is missing column(s) {missing}; it has {list(X_train.columns)}")
    explainer = lime_explainer(X_train[names], random_state=random_state)  # its statistics by name
    predict = proba_of_frame(model, names)
    weights = [lime_weights(explainer.explain_instance(row, predict, num_features=len(names),
                                                       num_samples=num_samples), names).abs()
               for row in rows.to_numpy()]
    return pd.DataFrame(weights, columns=names).mean()[order]


def mean_abs_shap(model, X: pd.DataFrame) -> pd.Series:
    """Mean |SHAP value| of every feature of a tree ensemble over the rows of ``X`` (TreeSHAP, the
    probability of class 1: "disease"), a Series indexed by the columns of ``X``; the global SHAP
    importance of notebooks/03_shap.ipynb. Used in notebooks/05_trusting_tabular_explanations.ipynb."""
    import shap

    order = list(require_frame(X).columns)
    if X.empty:
        raise ValueError("X is empty: no row to explain")
    X = model_columns(model, X)  # TreeSHAP reads columns by position: the model's order, by name
    values = np.asarray(shap.TreeExplainer(model).shap_values(X))
    if values.ndim != 3:
        raise TypeError(f"expected a tree ensemble with one SHAP column per class (a random forest), got a "
                        f"{type(model).__name__}, whose TreeSHAP values have shape {values.shape}")
    return pd.Series(np.abs(values[:, :, 1]).mean(axis=0), index=X.columns)[order]


def global_importances(model, X_train: pd.DataFrame, X_test: pd.DataFrame, y_test, random_state: int = 0,
                       lime_samples: int = 1000) -> pd.DataFrame:
    """Global importance of every feature of a tree ensemble by four methods, on held-out patients: one
    row per feature, the columns "eli5 permutation" (eli5's ``PermutationImportance``, ROC AUC, 5
    shuffles), "batched permutation" (``permutation_importance``, 10 shuffles: scikit-learn's numbers),
    "mean |SHAP|" (``mean_abs_shap``) and "mean |LIME|" (``mean_abs_lime`` over ``X_test``). The
    shuffles behind the two permutation columns, one row per feature, are kept in
    ``table.attrs["shuffles"]`` (keys "eli5" and "sklearn").

    The methods are taught in notebooks 01, 03 and 04; this computes them the same way for every model of
    notebooks/05_trusting_tabular_explanations.ipynb."""
    from .fast_eli5 import eli5  # eli5 without Keras (see helpers.fast_eli5)

    names = list(require_frame(X_test, "X_test").columns)
    eli5_pi = eli5.sklearn.PermutationImportance(model, scoring="roc_auc", n_iter=5,
                                                 random_state=random_state).fit(X_test, y_test)
    batched = permutation_importance(model, X_test, y_test, n_repeats=10, random_state=random_state)
    table = pd.DataFrame({"eli5 permutation": eli5_pi.feature_importances_,
                          "batched permutation": batched.mean.reindex(names).to_numpy(),
                          "mean |SHAP|": mean_abs_shap(model, X_test).to_numpy(),
                          "mean |LIME|": mean_abs_lime(model, X_train, X_test, random_state,
                                                       lime_samples).to_numpy()}, index=names)
    table.attrs["shuffles"] = {"eli5": np.asarray(eli5_pi.results_).T,
                               "sklearn": batched.importances.reindex(names).to_numpy()}
    return table


def partial_dependence_at(model, X: pd.DataFrame, grid: Mapping, categorical=()) -> dict[str, np.ndarray]:
    """Partial dependence of the probability of class 1 on each feature of ``grid`` ({feature: values}),
    at exactly those values, averaged over the rows of ``X`` (scikit-learn's ``partial_dependence`` with
    ``custom_values``, ``kind="average"``; the features in ``categorical`` are declared categorical).
    Returns {feature: one average prediction per grid value}. Partial dependence is taught in
    notebooks/02_partial_dependence.ipynb; used in notebooks/05_trusting_tabular_explanations.ipynb."""
    from sklearn.inspection import partial_dependence

    require_frame(X)
    if X.empty or not grid:
        raise ValueError(f"need rows to average over and a grid, got {len(X)} rows and {len(grid)} features")
    check_features(list(grid), valid=list(X.columns))
    categorical = check_features(categorical, valid=list(X.columns))  # a bare string is one name
    for name, values in grid.items():
        v = np.asarray(values)
        if v.ndim != 1 or v.size == 0 or v.dtype.kind not in "biuf" or not np.isfinite(v).all():
            raise ValueError(f"grid[{name!r}] must be a non-empty 1-D list of finite numbers, got "
                             f"{values!r:.80}")
    X = model_columns(model, X)  # the model's column order, selected by name
    return {name: partial_dependence(model, X, [name], custom_values={name: np.asarray(values)},
                                     kind="average",
                                     categorical_features=[name] if name in categorical else None
                                     )["average"][0]
            for name, values in grid.items()}


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
