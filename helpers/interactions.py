"""Correlated features and interactions: clusters of correlated features, permutation importance of
single features or groups (batched), drop-column importance, and Friedman's H-statistic.

Taught in notebooks/06_correlated_features_and_interactions.ipynb. Every function scores with ROC AUC of
the probability of class 1, the course's scorer since notebook 01.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.cluster import hierarchy
from scipy.spatial.distance import squareform
from scipy.stats import rankdata

from .data import check_features, require_frame

#: Rows predicted in one call when many perturbed copies of a data set are stacked (about 20 MB).
CHUNK_ROWS = 200_000


# ---------------------------------------------------------------- correlated features
def correlation_clusters(X: pd.DataFrame, threshold: float = 0.75, method: str = "average"):
    """Group the columns of ``X`` by hierarchical clustering on the distance 1 - |Spearman rho|.

    With ``method="average"`` the height at which two clusters merge is the average of 1 - |rho| over the
    pairs of features across them, so cutting at ``threshold`` keeps together features whose average
    |rho| exceeds ``1 - threshold``. Returns ``(clusters, linkage, rho)``: the clusters as lists of names
    (each in the column order of ``X``, clusters ordered by their first column), scipy's linkage matrix
    for ``hierarchy.dendrogram`` and the Spearman correlation matrix.

    Taught in notebooks/06_correlated_features_and_interactions.ipynb (after scikit-learn's example
    "Permutation importance with multicollinear or correlated features").
    """
    require_frame(X)
    if not 0 < threshold <= 2:
        raise ValueError(f"threshold is a distance 1 - |rho| between 0 and 2, got {threshold}")
    rho = X.corr(method="spearman")
    if rho.isna().to_numpy().any():
        constant = [c for c in X.columns if X[c].nunique() < 2]
        raise ValueError(f"Spearman correlation is undefined for constant column(s) {constant}")
    distance = 1 - rho.abs().to_numpy()
    np.fill_diagonal(distance, 0)
    linkage = hierarchy.linkage(squareform(distance, checks=False), method=method)
    labels = hierarchy.fcluster(linkage, threshold, criterion="distance")
    clusters: dict[int, list[str]] = {}
    for name, label in zip(X.columns, labels):
        clusters.setdefault(label, []).append(name)
    return list(clusters.values()), linkage, rho


# ---------------------------------------------------------------- scoring
def roc_auc_rows(y_true, scores) -> np.ndarray:
    """ROC AUC of every row of ``scores`` (shape ``(k, n)``) against the same labels ``y_true`` (n,):
    the Mann-Whitney statistic with tied scores counted as one half, as ``sklearn.metrics.roc_auc_score``
    computes it, but for many score vectors at once."""
    y = np.asarray(y_true)
    scores = np.atleast_2d(np.asarray(scores, dtype=float))
    if scores.shape[1] != len(y):
        raise ValueError(f"scores have {scores.shape[1]} columns but there are {len(y)} labels")
    positive = y == 1
    n_pos, n_neg = int(positive.sum()), int((~positive).sum())
    if n_pos == 0 or n_neg == 0 or not np.isin(y, [0, 1]).all():
        raise ValueError("y_true must hold labels 0 and 1, both present")
    ranks = rankdata(scores, axis=1)  # ties get their average rank
    return (ranks[:, positive].sum(axis=1) - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg)


def prediction_function(model, output: str = "probability") -> Callable[[np.ndarray], np.ndarray]:
    """A function from a 2-D array of rows to one number per row: the probability of class 1
    (``output="probability"``), or the model's raw output (``"raw"``: ``decision_function`` where it
    has one, e.g. log-odds for gradient boosting, else ``predict``). The rows are passed to the model as a
    DataFrame with the names it was fitted with, so scikit-learn does not warn about missing names.
    A callable ``model`` is returned unchanged (it must take the 2-D array itself)."""
    if callable(model) and not hasattr(model, "predict"):
        return model
    names = getattr(model, "feature_names_in_", None)

    def frame(rows):
        return pd.DataFrame(rows, columns=names) if names is not None else rows

    if output == "probability":
        return lambda rows: model.predict_proba(frame(rows))[:, 1]
    if output == "raw":
        method = getattr(model, "decision_function", None) or model.predict
        return lambda rows: np.asarray(method(frame(rows))).reshape(len(rows))
    raise ValueError(f"output must be 'probability' or 'raw', got {output!r}")


def _predict_stacked(predict, blocks: np.ndarray) -> np.ndarray:
    """Predict ``blocks`` of shape (k, n, p) in calls of at most CHUNK_ROWS rows; returns (k, n)."""
    k, n, p = blocks.shape
    rows = blocks.reshape(k * n, p)
    out = np.concatenate([np.asarray(predict(rows[i:i + CHUNK_ROWS]), dtype=float)
                          for i in range(0, len(rows), CHUNK_ROWS)])
    return out.reshape(k, n)


def _groups(groups, columns) -> dict[str, list[str]]:
    """Normalise ``groups`` (None, a list of names or of lists, or a dict name -> names) to a dict."""
    if groups is None:
        groups = list(columns)
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


# ---------------------------------------------------------------- permutation importance
@dataclass(frozen=True)
class PermutationResult:
    """Permutation importance of single features or groups on one data set.

    ``importances``: one row per group, one column per repeat, the drop in ROC AUC;
    ``prediction_change``: mean |change of the predicted probability| per group, over rows and repeats
    (how much shuffling moves the model's output, whether or not the score suffers)."""

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
    shuffle per repeat), so a batched computation can reproduce scikit-learn's numbers exactly."""
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
    the same shuffles are used (see ``shuffles``). Taught in
    notebooks/06_correlated_features_and_interactions.ipynb.
    """
    require_frame(X)
    if n_repeats < 1:
        raise ValueError(f"n_repeats must be at least 1, got {n_repeats}")
    named = _groups(groups, X.columns)
    predict = prediction_function(model)
    values = X.to_numpy(dtype=float)
    y = np.asarray(y)
    reference = predict(values)
    baseline = float(roc_auc_rows(y, reference)[0])
    orders = shuffles(len(X), n_repeats, random_state)
    drops, moves = {}, {}
    for name, members in named.items():
        cols = [X.columns.get_loc(m) for m in members]
        blocks = np.repeat(values[None], n_repeats, axis=0)
        blocks[:, :, cols] = values[orders][:, :, cols]
        predicted = _predict_stacked(predict, blocks)
        drops[name] = baseline - roc_auc_rows(y, predicted)
        moves[name] = float(np.abs(predicted - reference).mean())
    importances = pd.DataFrame.from_dict(drops, orient="index")
    importances.columns.name = "repeat"
    return PermutationResult(baseline, importances, pd.Series(moves))


# ---------------------------------------------------------------- drop-column importance
def drop_column_importance(fit, X_train: pd.DataFrame, y_train, X_test: pd.DataFrame, y_test, groups=None,
                           seeds: Iterable[int] = (0,)) -> pd.DataFrame:
    """Drop in held-out ROC AUC when the model is **retrained** without a feature or a group.

    ``fit(X, y, random_state=seed)`` returns a fitted classifier (e.g. ``models.train_forest``). Each
    reduced model is compared with the full model trained with the *same* seed, so the seed-to-seed
    noise of retraining partly cancels; the spread over ``seeds`` shows what remains. Returns a DataFrame
    with one row per group and one column per seed. Retraining cannot be batched like prediction: the
    cost is (1 + number of groups) x number of seeds fits. Taught in
    notebooks/06_correlated_features_and_interactions.ipynb.
    """
    require_frame(X_train, "X_train")
    require_frame(X_test, "X_test")
    if list(X_train.columns) != list(X_test.columns):
        raise ValueError("X_train and X_test must have the same columns in the same order")
    named = _groups(groups, X_train.columns)
    seeds = list(seeds)
    if not seeds:
        raise ValueError("give at least one seed")
    y_test = np.asarray(y_test)

    def auc(columns, seed):
        model = fit(X_train[columns], y_train, random_state=seed)
        return roc_auc_rows(y_test, model.predict_proba(X_test[columns])[:, 1])[0]

    out = {}
    for seed in seeds:
        full = auc(list(X_train.columns), seed)
        out[seed] = {name: full - auc([c for c in X_train.columns if c not in members], seed)
                     for name, members in named.items()}
    frame = pd.DataFrame(out)
    frame.columns.name = "seed"
    return frame


# ---------------------------------------------------------------- Friedman's H
def centred_partial_dependence(predict, X: pd.DataFrame, features) -> dict[tuple[str, ...], np.ndarray]:
    """Partial dependence of each feature set in ``features`` evaluated **at the data points** and
    centred to mean zero over them, as Friedman & Popescu (2008) define it for the H-statistic:
    PD_S(x_iS) = mean over k of f(x_iS, x_kC) - (its mean over i).

    ``features``: feature sets (a name or a tuple of names). Rows that share their values on S share
    their PD, so it is computed once per distinct value (or pair of values) and all the modified copies
    of ``X`` are predicted in large batches. Cost: (distinct values of S) x len(X) predictions per set.
    """
    require_frame(X)
    values = X.to_numpy(dtype=float)
    out = {}
    for s in features:
        s = (s,) if isinstance(s, str) else tuple(s)
        cols = [X.columns.get_loc(c) for c in check_features(list(s), valid=list(X.columns))]
        distinct, inverse = np.unique(values[:, cols], axis=0, return_inverse=True)
        blocks = np.repeat(values[None], len(distinct), axis=0)
        blocks[:, :, cols] = distinct[:, None, :]
        at_points = _predict_stacked(predict, blocks).mean(axis=1)[inverse.reshape(-1)]
        out[s] = at_points - at_points.mean()
    return out


def h_statistic(model, X: pd.DataFrame, pairs, output: str = "probability") -> pd.DataFrame:
    """Friedman & Popescu's (2008, eq. 44) pairwise interaction statistic for each pair in ``pairs``,
    from centred partial dependence evaluated at the rows of ``X`` (which also serve as the background
    that PD averages over):

        H2_jk = sum_i [PD_jk(x_ij, x_ik) - PD_j(x_ij) - PD_k(x_ik)]^2 / sum_i PD_jk(x_ij, x_ik)^2

    Columns returned: ``H2`` (the share of the joint effect's variance that is interaction), ``H`` (its
    square root, what most software reports), ``interaction_sd`` (the un-normalised version,
    sqrt(mean of the squared interaction part), in the model's output units) and ``joint_sd``
    (sqrt(mean PD_jk^2)). For an additive f, H2 = 0; for f = x_j * x_k with independent, zero-mean x,
    H2 = 1.

    Weaknesses: H2 can exceed 1 (and is noisy) where the joint effect is small, since it divides by its
    variance; read it next to ``interaction_sd``. PD sets x_j, x_k to values combined with other patients'
    features, so with correlated features it averages over rows that do not occur. Cost per pair:
    (distinct pairs of values) x len(X) predictions. ``model``: a fitted classifier or regressor, or a
    function of a 2-D array; ``output`` as in ``prediction_function``.
    Taught in notebooks/06_correlated_features_and_interactions.ipynb.
    """
    require_frame(X)
    pairs = [tuple(p) for p in pairs]
    for pair in pairs:
        if len(pair) != 2 or pair[0] == pair[1]:
            raise ValueError(f"each pair must name two different features, got {pair}")
        check_features(list(pair), valid=list(X.columns))
    predict = prediction_function(model, output)
    singles = sorted({f for pair in pairs for f in pair})
    pd_ = centred_partial_dependence(predict, X, [*singles, *pairs])
    rows = {}
    for j, k in pairs:
        joint = pd_[(j, k)]
        interaction = joint - pd_[(j,)] - pd_[(k,)]
        num, den = float(np.sum(interaction ** 2)), float(np.sum(joint ** 2))
        h2 = num / den if den > 0 else np.nan
        rows[(j, k)] = {"H2": h2, "H": np.sqrt(h2), "interaction_sd": np.sqrt(num / len(X)),
                        "joint_sd": np.sqrt(den / len(X))}
    frame = pd.DataFrame.from_dict(rows, orient="index")
    frame.index = pd.MultiIndex.from_tuples(frame.index, names=["feature_1", "feature_2"])
    return frame
