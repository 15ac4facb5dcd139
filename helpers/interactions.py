"""Correlated features and interactions: clusters of associated features, drop-column importance, and
Friedman's H-statistic (grouped permutation importance is ``explain.permutation_importance``).

Taught in notebooks/06_correlated_features.ipynb (``association_matrix``, ``correlation_clusters``,
``drop_column_importance``) and notebooks/07_interactions_and_shap_estimators.ipynb
(``centred_partial_dependence``, ``h_statistic``). Only ``drop_column_importance`` scores a model: with ROC
AUC of the probability of class 1, the course's scorer since notebook 01. The clusters use no model, and
the H-statistic works on a model's output (probability by default), not on a score.
"""

from __future__ import annotations

import numbers
from collections.abc import Iterable

import numpy as np
import pandas as pd
from scipy.cluster import hierarchy
from scipy.spatial.distance import squareform

from .data import aligned_labels, check_features, model_columns, require_frame
from .explain import auc_rows, feature_groups, predict_stacked, prediction_function


# ---------------------------------------------------------------- correlated features
def _correlation_ratio(codes: np.ndarray, y: np.ndarray) -> float:
    """eta: the square root of the share of the variance of ``y`` between the groups of ``codes``."""
    _, group = np.unique(codes, return_inverse=True)
    counts = np.bincount(group)
    means = np.bincount(group, weights=y) / counts
    total = np.sum((y - y.mean()) ** 2)
    return float(np.sqrt(np.sum(counts * (means - y.mean()) ** 2) / total)) if total > 0 else np.nan


def _cramers_v(a: np.ndarray, b: np.ndarray) -> float:
    """Cramer's V of two nominal columns (no bias correction): sqrt(chi2 / (n (min(r, c) - 1)))."""
    _, ia = np.unique(a, return_inverse=True)
    _, ib = np.unique(b, return_inverse=True)
    table = np.zeros((ia.max() + 1, ib.max() + 1))
    np.add.at(table, (ia.reshape(-1), ib.reshape(-1)), 1)
    n = table.sum()
    expected = table.sum(axis=1, keepdims=True) * table.sum(axis=0, keepdims=True) / n
    chi2 = np.sum((table - expected) ** 2 / expected)
    k = min(table.shape) - 1
    return float(np.sqrt(chi2 / (n * k))) if k > 0 else np.nan


def association_matrix(X: pd.DataFrame, nominal=()) -> pd.DataFrame:
    """Pairwise association of the columns of ``X``: Spearman's rho between two numeric (or ordinal, or
    binary) columns; between a ``nominal`` column and a numeric one the correlation ratio eta (how much
    of the numeric column's variance lies between the nominal groups); between two nominal columns
    Cramer's V. eta and V are in [0, 1] and do not change when a nominal column's codes are renamed,
    which Spearman's rho on arbitrary codes does. For a binary column against a nominal one, eta and V
    coincide (phi). Taught in notebooks/06_correlated_features.ipynb.
    """
    require_frame(X)
    nominal = check_features(list(nominal), valid=list(X.columns)) if len(nominal) else []
    constant = [c for c in X.columns if X[c].nunique() < 2]
    if constant:
        raise ValueError(f"association is undefined for constant column(s) {constant}")
    out = X.corr(method="spearman")
    values = {c: X[c].to_numpy(dtype=float) for c in X.columns}
    for a in nominal:
        for b in X.columns:
            if a == b or (b in nominal and list(X.columns).index(b) < list(X.columns).index(a)):
                continue
            value = (_cramers_v(values[a], values[b]) if b in nominal
                     else _correlation_ratio(values[a], values[b]))
            out.loc[a, b] = out.loc[b, a] = value
    return out


def correlation_clusters(X: pd.DataFrame, threshold: float = 0.75, method: str = "average", nominal=()):
    """Group the columns of ``X`` by hierarchical clustering on the distance 1 - |association|, where the
    association is Spearman's rho, or for ``nominal`` columns eta / Cramer's V (``association_matrix``).

    With ``method="average"`` the height at which two clusters merge is the average of 1 - |association|
    over the pairs of features across them, so cutting at ``threshold`` keeps together features whose
    average association exceeds ``1 - threshold``. Returns ``(clusters, linkage, association)``: the
    clusters as lists of names (each in the column order of ``X``, clusters ordered by their first
    column), scipy's linkage matrix for ``hierarchy.dendrogram`` and the association matrix.

    Taught in notebooks/06_correlated_features.ipynb (after scikit-learn's example "Permutation
    importance with multicollinear or correlated features", which uses Spearman only).
    """
    require_frame(X)
    if not 0 < threshold <= 2:
        raise ValueError(f"threshold is a distance 1 - |rho| between 0 and 2, got {threshold}")
    rho = association_matrix(X, nominal)
    distance = 1 - rho.abs().to_numpy()
    np.fill_diagonal(distance, 0)
    linkage = hierarchy.linkage(squareform(distance, checks=False), method=method)
    labels = hierarchy.fcluster(linkage, threshold, criterion="distance")
    clusters: dict[int, list[str]] = {}
    for name, label in zip(X.columns, labels):
        clusters.setdefault(label, []).append(name)
    return list(clusters.values()), linkage, rho


# ---------------------------------------------------------------- drop-column importance
def drop_column_importance(fit, X_train: pd.DataFrame, y_train, X_test: pd.DataFrame, y_test, groups=None,
                           seeds: Iterable[int] = (0,)) -> pd.DataFrame:
    """Drop in held-out ROC AUC when the model is **retrained** without a feature or a group.

    ``fit(X, y, random_state=seed)`` returns a fitted classifier (e.g. ``models.train_forest``). Each
    reduced model is compared with the full model trained with the *same* seed, so the seed-to-seed
    noise of retraining partly cancels; the spread over ``seeds`` shows what remains. Returns a DataFrame
    with one row per group and one column per seed. Retraining cannot be batched like prediction: the
    cost is (1 + number of groups) x number of seeds fits. Taught in notebooks/06_correlated_features.ipynb.
    """
    require_frame(X_train, "X_train")
    require_frame(X_test, "X_test")
    if list(X_train.columns) != list(X_test.columns):
        raise ValueError("X_train and X_test must have the same columns in the same order")
    named = feature_groups(groups, X_train.columns)
    if isinstance(seeds, (str, bytes)) or not isinstance(seeds, Iterable):
        raise TypeError(f"seeds must be a list of integer seeds, e.g. (0,) or range(3), got {seeds!r}")
    seeds = list(seeds)
    if not seeds:
        raise ValueError("give at least one seed, e.g. seeds=(0,) or seeds=range(3)")
    if not all(isinstance(s, (int, np.integer)) and not isinstance(s, bool) for s in seeds):
        raise ValueError(f"seeds must be integers, e.g. (0,) or range(3), got {seeds}")
    y_train = aligned_labels(y_train, X_train.index, "y_train", "X_train")  # by patient, not by position
    y_test = aligned_labels(y_test, X_test.index, "y_test", "X_test")

    def auc(columns, seed):
        model = fit(X_train[columns], y_train, random_state=seed)
        return auc_rows(y_test, model.predict_proba(X_test[columns])[:, 1])

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

    Used in notebooks/07_interactions_and_shap_estimators.ipynb (Friedman's H).
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
        at_points = predict_stacked(predict, blocks).mean(axis=1)[inverse.reshape(-1)]
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
    variance (the R package hstats documents H2 > 1 from extrapolation); read it next to
    ``interaction_sd``. PD sets x_j, x_k to values combined with other patients' features, so with
    correlated features it averages over rows that do not occur. Cost per pair: (distinct pairs of
    values) x len(X) predictions. ``model``: a fitted classifier or regressor, or a function of a 2-D
    array; ``output`` as in ``prediction_function``. Taught in
    notebooks/07_interactions_and_shap_estimators.ipynb.
    """
    X = model_columns(model, X)  # the model's column order, by name
    if isinstance(pairs, (str, bytes)) or any(isinstance(p, (str, bytes)) for p in pairs):
        raise TypeError(f"pairs must be a list of pairs of feature names, e.g. [('ca', 'thalach')], got "
                        f"{pairs!r}: wrap a single pair in a list")
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


# ---------------------------------------------------------------- figures of notebook 06
def plot_clusters(linkage, association: pd.DataFrame, threshold: float = 0.75):
    """A clustering of features drawn two ways, row by row: its dendrogram (root on the left, cut at
    ``threshold``, dashed, merges above it grey) with the feature names at its leaves, and beside them the
    |association| matrix, rows and columns in the leaves' order (bottom to top, left to right).

    ``linkage`` and ``association`` are what ``correlation_clusters`` returns (the association's columns
    name the leaves). Returns ``(figure, leaf order)``. Used in notebooks/06_correlated_features.ipynb.
    """
    import matplotlib.pyplot as plt

    _check_linkage(linkage, association, threshold)
    fig, axes = plt.subplots(1, 2, figsize=(8.8, 5.2), width_ratios=(1, 1.45), layout="constrained")
    tree = hierarchy.dendrogram(linkage, labels=list(association.columns), ax=axes[0], orientation="left",
                                color_threshold=threshold, above_threshold_color="lightgrey",
                                leaf_font_size=plt.rcParams["ytick.labelsize"])
    axes[0].axvline(threshold, color="black", linestyle="--", linewidth=1)
    axes[0].set_xlabel("average\n1 - |association|")  # two lines: a long one left the image
    axes[0].set_title("Clusters (grey: above the cut)", loc="left")  # wider than the tree at large sizes
    order = list(tree["ivl"])  # bottom to top
    image = axes[1].imshow(association.abs().loc[order, order].to_numpy(), cmap="Blues", vmin=0, vmax=1,
                           origin="lower", aspect="auto")
    axes[1].set_xticks(range(len(order)), order, rotation=90)
    axes[1].set_yticks(range(len(order)), [])  # the rows are named by the dendrogram's leaves
    axes[1].set_title("|association|")
    fig.colorbar(image, ax=axes[1], shrink=0.8)
    return fig, order


def _check_linkage(linkage, association, threshold):
    """``plot_clusters``' inputs: the linkage of the association's features, in the association's column
    order (a merge of two single features sits at their distance 1 - |association|)."""
    require_frame(association, "association")
    names = list(association.columns)
    if list(association.index) != names:
        raise ValueError(f"association must be square with the same names on its rows and columns, in the "
                         f"same order; got rows {list(association.index)} and columns {names}")
    try:
        Z = np.asarray(linkage, dtype=float)
    except (TypeError, ValueError):
        Z = np.empty(0)
    if Z.shape != (len(names) - 1, 4):
        raise ValueError(f"linkage must be scipy's linkage matrix of the association's {len(names)} "
                         f"features, shape ({len(names) - 1}, 4), got shape {Z.shape}: pass the second and "
                         "third outputs of correlation_clusters (clusters, linkage, association)")
    pairs = (Z[:, 0] < len(names)) & (Z[:, 1] < len(names))  # merges of two single features
    i, j = Z[pairs, 0].astype(int), Z[pairs, 1].astype(int)
    if not np.allclose(Z[pairs, 2], 1 - association.abs().to_numpy()[i, j], atol=1e-6):
        raise ValueError("the linkage does not fit the association: its leaves are numbered in the column "
                         "order the clustering saw, so the association's columns must come in that order "
                         "(reorder it with association.loc[order, order], order = that frame's columns)")
    if not 0 < threshold <= 2:
        raise ValueError(f"threshold is a distance 1 - |association| between 0 and 2, got {threshold}")


def plot_score_and_movement(score: pd.DataFrame, score_error: pd.DataFrame, movement: pd.DataFrame):
    """Two horizontal bar charts side by side: how much the held-out ROC AUC suffers (``score``, one
    column per measure, with error bars of half-width ``score_error``, same shape) and how much the
    predicted probability moves (``movement``, one column per measure). Rows are drawn top to bottom in
    the frames' order; each chart's legend sits under it, below its axis labels at any font size.

    Used in notebooks/06_correlated_features.ipynb (section 5). Returns the figure.
    """
    import matplotlib.pyplot as plt

    score_error = _check_bars(score, score_error, movement)
    fig = plt.figure(figsize=(8.8, 5), layout="constrained")
    charts = [(score, score_error, "held-out ROC AUC lost\n(bars: 95% t intervals)",
               "How much the score suffers"),
              (movement, None, "change in P(disease)", "How much the prediction moves")]
    # the left chart's legend entries are the longer ones; each title is centred over its whole half, which
    # is wider than the chart itself (projector mode's titles are wider than the charts)
    for subfigure, (frame, error, xlabel, title) in zip(fig.subfigures(1, 2, width_ratios=(1.1, 1)), charts):
        ax = subfigure.subplots()
        frame.plot.barh(ax=ax, xerr=error, capsize=2 if error is not None else 0, legend=False)
        ax.set_xlabel(xlabel)
        subfigure.suptitle(title, fontsize=plt.rcParams["axes.titlesize"])
        ax.axvline(0, color="grey", linewidth=0.8)
        ax.invert_yaxis()
        subfigure.legend(*ax.get_legend_handles_labels(), loc="outside lower center")
    return fig


def _check_bars(score, score_error, movement):
    """``plot_score_and_movement``'s frames: finite, not empty, the errors non-negative and labelled as the
    scores (returned in the scores' order)."""
    for what, frame in (("score", score), ("score_error", score_error), ("movement", movement)):
        require_frame(frame, what)
        if frame.empty:
            raise ValueError(f"{what} is empty: one row per feature and one column per measure")
        if not np.isfinite(frame.to_numpy(dtype=float)).all():
            raise ValueError(f"{what} has missing or infinite values: their bars would be missing")
    if set(score_error.index) != set(score.index) or set(score_error.columns) != set(score.columns):
        raise ValueError(f"score_error must label its half-widths as score: rows {list(score.index)} and "
                         f"columns {list(score.columns)}; got rows {list(score_error.index)} and columns "
                         f"{list(score_error.columns)}")
    if (score_error.to_numpy(dtype=float) < 0).any():
        raise ValueError("score_error holds half-widths of intervals: none can be negative")
    return score_error.loc[score.index, score.columns]


# ---------------------------------------------------------------- data and figures of notebook 07
def planted_interaction(n: int, random_state: int):
    """A synthetic data set whose one interaction is known: x1, x2, x3 independent standard normal,
    x4 = x3 + 0.5 * (standard normal noise), correlated with x3 but in no interaction, and a label drawn
    with P(y = 1) = logistic(2 * x1 * x2 + x3). Returns ``(X, y)``.

    Used in notebooks/07_interactions_and_shap_estimators.ipynb (section 2), where both interaction
    measures must single out (x1, x2).
    """
    if not isinstance(n, int | np.integer) or n < 1:
        raise ValueError(f"n is a number of rows, a whole number of at least 1, got {n!r}")
    rng = np.random.default_rng(random_state)
    z = rng.normal(size=(n, 3))
    X = pd.DataFrame({"x1": z[:, 0], "x2": z[:, 1], "x3": z[:, 2], "x4": z[:, 2] + 0.5 * rng.normal(size=n)})
    logit = 2 * z[:, 0] * z[:, 1] + z[:, 2]
    y = pd.Series((rng.random(n) < 1 / (1 + np.exp(-logit))).astype(int))
    return X, y


def scatter_interaction(values: pd.Series, x: pd.Series, by: pd.Series, xlabel: str, legend_title: str):
    """Each row's SHAP interaction value of the pair (``by``, ``x``), Phi_jk + Phi_kj with j = ``by.name``
    and k = ``x.name``, against ``x``, one colour per value of ``by`` (its number of rows in the legend,
    right of the plot).

    Used in notebooks/07_interactions_and_shap_estimators.ipynb (ca x thalach). Returns the figure.
    """
    import matplotlib.pyplot as plt

    values = _check_scatter(values, x, by)
    levels = sorted(by.unique())
    if len(levels) > 10:
        raise ValueError(f"{by.name} has {len(levels)} values: one colour each needs at most 10")
    fig, ax = plt.subplots(figsize=(8.8, 4.4), layout="constrained")  # the legend inside the 8.8 inches
    for level, colour in zip(levels, plt.cm.tab10.colors):
        has = (by == level).to_numpy()
        ax.scatter(x[has], values[has], color=colour, s=25,
                   label=f"{by.name} = {level:g} ({has.sum()} patients)" if isinstance(level, numbers.Real)
                   else f"{by.name} = {level} ({has.sum()} patients)")
    ax.axhline(0, color="grey", linewidth=0.8)
    ax.set(xlabel=xlabel, ylabel=rf"$\Phi_{{jk}} + \Phi_{{kj}}$ (j = {by.name}, k = {x.name})",
           title=f"SHAP interaction value of {by.name} x {x.name}, per patient")
    ax.legend(title=legend_title, loc="center left", bbox_to_anchor=(1, 0.5))
    return fig


def _check_scatter(values, x, by):
    """``scatter_interaction``'s inputs: named Series of one row each, finite; ``values`` as an array in the
    rows' order (a Series aligned by its index)."""
    for what, series in (("x", x), ("by", by)):
        if not isinstance(series, pd.Series) or series.name is None:
            raise TypeError(f"{what} must be a named Series (a column of X, e.g. X['ca']): its name labels "
                            f"the chart; got {type(series).__name__}")
    if len(x) == 0 or not x.index.equals(by.index):
        raise ValueError(f"x and by must be columns of the same rows; got {len(x)} and {len(by)} rows with "
                         "different indexes" if len(x) else "x and by are empty: no rows to draw")
    shown = aligned_labels(values, x.index, "values", "x")  # the same rows in another order: by index
    for what, v in (("values", shown), ("x", x.to_numpy()), ("by", by.to_numpy())):
        if pd.isna(v).any():
            raise ValueError(f"{what} has missing values: those rows would not be drawn")
    return pd.Series(shown, index=x.index)


def plot_h_against_shap(h: pd.DataFrame, named, annotated=(), offsets=((-110, 25), (18, -4))):
    """Every pair's Friedman's H against its mean |SHAP interaction|: un-normalised H (``interaction_sd``)
    in the left panel, H in the right one.

    ``h``: ``h_statistic``'s frame with one more column, last, of mean |SHAP interaction| values. The
    pairs in ``named`` (at most 9) get a colour and marker each and are listed in that order, after
    "other pairs" (grey), in one legend under both panels; the pairs in ``annotated`` are labelled in the
    left panel, each at the next of ``offsets`` (points). Used in
    notebooks/07_interactions_and_shap_estimators.ipynb (section 3). Returns the figure.
    """
    import matplotlib.pyplot as plt

    markers = "osD^vP*Xh"
    if len(named) > len(markers):
        raise ValueError(f"{len(named)} pairs to name: at most {len(markers)} get a colour and marker each")
    _check_h_pairs(h, named, annotated, offsets)
    shap_column = h.columns[-1]
    others = h.drop(index=named)
    colours = [c for i, c in enumerate(plt.cm.tab10.colors) if i != 7]  # tab10's grey looks like "other"
    fig, axes = plt.subplots(1, 2, figsize=(8.8, 5.6), layout="constrained")
    panels = [(axes[0], "interaction_sd", "un-normalised H"), (axes[1], "H", "H (normalised)")]
    for ax, column, label in panels:
        ax.scatter(others[shap_column], others[column], s=14, color="lightgrey", label="other pairs")
        for p, colour, marker in zip(named, colours, markers):
            ax.scatter(h.loc[p, shap_column], h.loc[p, column], s=60, color=colour, marker=marker,
                       edgecolor="black", linewidth=0.6, label=" x ".join(p), zorder=3)
        ax.set(xlabel="mean |SHAP interaction|", ylabel=label)
    for p, offset in zip(annotated, offsets):
        axes[0].annotate(" x ".join(p), (h.loc[p, shap_column], h.loc[p, "interaction_sd"]), xytext=offset,
                         textcoords="offset points", arrowprops={"arrowstyle": "-"})
    from matplotlib.font_manager import FontProperties

    size = FontProperties(size=plt.rcParams["legend.fontsize"]).get_size_in_points()
    columns = 4 if size <= 12 else 3  # 3 in projector mode's larger text
    fig.legend(*axes[0].get_legend_handles_labels(), loc="outside lower center", ncol=columns, frameon=False)
    fig.suptitle(f"{len(h)} pairs: SHAP interaction values against Friedman's H")
    return fig


def _check_h_pairs(h, named, annotated, offsets):
    """``plot_h_against_shap``'s inputs: h_statistic's frame with one more column, last; every pair named or
    annotated is a (feature_1, feature_2) tuple of its index, once; an offset per annotated pair."""
    require_frame(h, "h")
    own = ["H", "interaction_sd"]
    missing = [c for c in own if c not in h.columns]
    if h.empty or missing:
        raise ValueError(f"h must be h_statistic's frame (columns {own}, ...) with the mean |SHAP "
                         f"interaction| added last; got {len(h)} rows and columns {list(h.columns)}")
    if h.columns[-1] in ("H2", "H", "interaction_sd", "joint_sd"):
        raise ValueError(f"h's last column must be the mean |SHAP interaction|, got h_statistic's own "
                         f"{h.columns[-1]!r}: add it last, h[name] = values")
    for what, pairs in (("named", named), ("annotated", annotated)):
        pairs = list(pairs)
        for p in pairs:
            if not (isinstance(p, tuple) and len(p) == 2) or p not in h.index:
                swapped = isinstance(p, tuple) and p[::-1] in h.index
                raise KeyError(f"{what}: {p!r} is not a pair of h's index, a list of (feature_1, feature_2) "
                               f"tuples such as {h.index[0]!r}"
                               + (f"; did you mean {p[::-1]!r}?" if swapped else ""))
        if len(set(pairs)) != len(pairs):
            raise ValueError(f"{what} lists a pair twice: {pairs}")
    if len(list(annotated)) > len(offsets):
        raise ValueError(f"{len(list(annotated))} pairs to annotate and {len(offsets)} offsets: one offset "
                         "each")
