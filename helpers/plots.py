"""Reusable drawing: trees, feature-map grids and heatmap overlays. Figures are drawn on a fresh figure
and returned (or a graphviz object / an RGB array), so a notebook cell ends with the picture and nothing
else is printed."""

from __future__ import annotations

import shutil

import matplotlib.pyplot as plt


def has_dot() -> bool:
    """True when Graphviz's ``dot`` program is on the PATH.

    Used by ``draw_tree`` (notebooks/00_data_and_model.ipynb).
    """
    return shutil.which("dot") is not None


def draw_tree(tree, feature_names, class_names, max_depth: int | None = None, rotate: bool = False):
    """Draw one decision tree with graphviz, or with ``sklearn.tree.plot_tree`` when ``dot`` is missing.

    ``rotate=True`` lays the tree out from left to right, root on the left (graphviz only): a tree with
    eight leaves is then about 1,000 px wide instead of about 1,800, and fits a page at a legible size.
    At every node the branch where the rule holds comes first: on the left, or on top when rotated.
    Taught in notebooks/00_data_and_model.ipynb. Returns a ``graphviz.Source`` (rendered by Jupyter)
    or a matplotlib figure.
    """
    from sklearn.tree import export_graphviz, plot_tree

    feature_names, class_names = list(feature_names), list(class_names)
    if has_dot():
        import graphviz

        dot = export_graphviz(tree, out_file=None, feature_names=feature_names, class_names=class_names,
                              filled=True, rounded=True, proportion=True, precision=2, max_depth=max_depth,
                              impurity=False, rotate=rotate)
        # keep each node's children in scikit-learn's order, "True" (the rule holds) first: left, or on top
        # when rotated (graphviz may otherwise swap them)
        dot = dot.replace("digraph Tree {", "digraph Tree {\ngraph [ordering=out] ;", 1)
        return graphviz.Source(dot)
    print("Graphviz's `dot` program is not installed (Debian: apt-get install graphviz; conda: graphviz); "
          "drawing with sklearn.tree.plot_tree instead.")
    fig, ax = plt.subplots(figsize=(16, 7))
    plot_tree(tree, feature_names=feature_names, class_names=class_names, filled=True, rounded=True,
              proportion=True, precision=2, max_depth=max_depth, impurity=False, fontsize=8, ax=ax)
    plt.close(fig)
    return fig


def tile_maps(maps, cols: int = 16, pad: int = 1):
    """Tile feature maps of shape (h, w, channels) into one 2-D grid image, each map scaled to [0, 1]
    on its own (as in Chollet's notebook: its minimum -> 0, its maximum -> 1), so brightness is not
    comparable between tiles; a constant map (e.g. all zero) becomes 0. The ``pad`` pixels between tiles
    and the empty slots of the last row are NaN, so that ``imshow`` draws them in the colour map's "bad"
    colour (e.g. ``cmap.with_extremes(bad="white")``) and they do not read as zero activation.
    Taught in notebooks/10_intermediate_activations.ipynb."""
    import numpy as np

    maps = np.asarray(maps, dtype=np.float32)
    if maps.ndim != 3:
        raise ValueError(f"expected one image's maps as (height, width, channels), got shape {maps.shape}"
                         + ("; take one image of the batch, maps[0]" if maps.ndim == 4 else ""))
    h, w, n = maps.shape
    rows = -(-n // cols)
    grid = np.full((rows * (h + pad) - pad, cols * (w + pad) - pad), np.nan, dtype=np.float32)
    for i in range(n):
        m = maps[..., i]
        span = m.max() - m.min()
        m = (m - m.min()) / span if span > 0 else np.zeros_like(m)
        r, c = divmod(i, cols)
        grid[r * (h + pad): r * (h + pad) + h, c * (w + pad): c * (w + pad) + w] = m
    return grid


def overlay_heatmap(rgb, heatmap, alpha: float = 0.45):
    """Resize a [0, 1] heatmap to the photo, colour it with OpenCV's JET map and blend it over the
    photo; returns a ``uint8`` RGB image. The photo may be ``uint8``, or floats in [0, 255] or [0, 1].
    OpenCV colour maps come out in BGR order: converted to RGB before blending. Taught in
    notebooks/12_grad_cam.ipynb."""
    import cv2
    import numpy as np

    from .cnn import as_pixels_255

    photo = np.asarray(rgb)
    if photo.ndim != 3 or photo.shape[-1] != 3:
        raise ValueError(f"expected one RGB photo of shape (H, W, 3), got shape {photo.shape}")
    photo = np.round(as_pixels_255(photo, "overlay_heatmap photo")).astype(np.uint8)
    heat = np.asarray(heatmap, dtype=np.float32)
    if heat.ndim != 2:
        raise ValueError(f"expected one 2-D heatmap, got shape {heat.shape}")
    if not 0 <= alpha <= 1:
        raise ValueError(f"alpha must be between 0 and 1, got {alpha}")
    h, w = photo.shape[:2]
    resized = cv2.resize(heat, (w, h), interpolation=cv2.INTER_LINEAR)
    colored_bgr = cv2.applyColorMap(np.uint8(255 * np.clip(resized, 0, 1)), cv2.COLORMAP_JET)
    colored = cv2.cvtColor(colored_bgr, cv2.COLOR_BGR2RGB)
    return cv2.addWeighted(colored, alpha, photo, 1 - alpha, 0)


def opencv_jet():
    """OpenCV's ``COLORMAP_JET`` as a matplotlib colormap (RGB), the colours ``overlay_heatmap`` paints:
    0 = dark blue, 1 = dark red. Taught in notebooks/12_grad_cam.ipynb."""
    import cv2
    import numpy as np
    from matplotlib.colors import ListedColormap

    bgr = cv2.applyColorMap(np.arange(256, dtype=np.uint8)[:, None], cv2.COLORMAP_JET)[:, 0]
    return ListedColormap(bgr[:, ::-1] / 255.0, name="opencv_jet")


def heatmap_colorbar(fig, axes, label: str = "heatmap value (1 = its maximum)", **kwargs):
    """Add to ``fig`` the colour legend of ``overlay_heatmap``'s colours (``opencv_jet``, 0 to 1) beside
    ``axes`` (one axes or a list); extra keyword arguments go to ``fig.colorbar``. Returns the colorbar.
    Taught in notebooks/12_grad_cam.ipynb."""
    from matplotlib.cm import ScalarMappable
    from matplotlib.colors import Normalize

    bar = fig.colorbar(ScalarMappable(norm=Normalize(0, 1), cmap=opencv_jet()), ax=axes, **kwargs)
    bar.set_label(label)
    bar.set_ticks([0, 0.5, 1])
    return bar


# ---------------------------------------------------------------- notebook 08's charts
def odds_ratio_chart(odds):
    """Odds ratios with their 95% intervals on a log scale (``odds``: a table with the columns "odds ratio",
    "95% low", "95% high", one row per term), red where the interval excludes 1. Drawn in
    notebooks/08_glass_boxes_and_equally_good_models.ipynb."""
    import numpy as np

    fig, ax = plt.subplots(figsize=(8, 5.5))
    shown = odds.sort_values("odds ratio")
    clear = (shown["95% low"] > 1) | (shown["95% high"] < 1)
    ax.errorbar(shown["odds ratio"], range(len(shown)), fmt="none", ecolor="grey",
                xerr=[shown["odds ratio"] - shown["95% low"], shown["95% high"] - shown["odds ratio"]])
    ax.scatter(shown["odds ratio"], range(len(shown)), c=np.where(clear, "tab:red", "tab:grey"), zorder=3)
    ax.axvline(1, color="black", lw=1)
    ax.set_xscale("log")
    ticks = [0.1, 0.2, 0.5, 1, 2, 5, 10, 20]
    ax.set_xticks(ticks, [f"{v:g}" for v in ticks])
    ax.minorticks_off()
    ax.grid(axis="x", color="lightgrey", linewidth=0.6)
    ax.set_yticks(range(len(shown)), shown.index)
    ax.set_xlabel("odds ratio of disease (log scale); per SD for standardized features")
    ax.set_title("Logistic regression: odds ratios with 95% intervals (red: interval excludes 1)")
    fig.tight_layout()
    return fig


def ebm_shapes(ebm, names, nominal):
    """The shape functions of an Explainable Boosting Machine's terms ``names`` (six at most), bars with
    ± 1 sd for the ``nominal`` features, steps with a band for the others. Drawn in
    notebooks/08_glass_boxes_and_equally_good_models.ipynb."""
    import numpy as np

    explained = ebm.explain_global()
    fig, axes = plt.subplots(2, 3, figsize=(9, 6))
    for ax, name in zip(axes.ravel(), names):
        shape = explained.data(list(ebm.term_names_).index(name))
        scores, low, high = shape["scores"], shape["lower_bounds"], shape["upper_bounds"]
        if name in nominal:
            ax.bar(shape["names"], scores, yerr=[scores - low, high - scores], color="tab:blue", capsize=3)
        else:
            edges = np.asarray(shape["names"], dtype=float)
            ax.stairs(scores, edges, baseline=None, color="tab:blue", lw=2)
            ax.stairs(high, edges, baseline=low, fill=True, alpha=0.25, color="tab:blue")
        ax.axhline(0, color="black", lw=0.8)
        ax.set_title(name)
        ax.set_ylabel("term (log-odds)")
    fig.suptitle(f"EBM shape functions (± 1 sd over its {ebm.outer_bags} bags)")
    fig.tight_layout()
    return fig


def paired_differences(comparison, margin: float):
    """Each model's paired difference from a reference (columns "AUC", "forest − model, 95% low/high",
    "90% low", "90% high"; the reference's row has no 90% bounds): thin lines the 95% intervals (is there
    a difference?), thick lines the 90% intervals (TOST), the band ±margin. Drawn in
    notebooks/08_glass_boxes_and_equally_good_models.ipynb."""
    shown = comparison.dropna(subset=["90% low"]).sort_values("AUC")
    reference = comparison.drop(index=shown.index)["AUC"].iloc[0]
    fig, ax = plt.subplots(figsize=(8, 2.8))
    y = range(len(shown))
    ax.hlines(y, shown["forest − model, 95% low"], shown["forest − model, 95% high"], color="black", lw=1,
              label="95% interval (a difference?)")
    ax.hlines(y, shown["90% low"], shown["90% high"], color="black", lw=5, label="90% interval (TOST)")
    ax.plot(reference - shown["AUC"], y, "o", color="tab:red", zorder=3, label="observed difference")
    ax.axvspan(-margin, margin, color="tab:green", alpha=0.2, label=f"±ε = ±{margin}")
    ax.axvline(0, color="black", lw=0.8)
    ax.set_yticks(list(y), shown.index)
    ax.set_xlabel("forest's AUC − model's AUC on the same resamples")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=10)
    fig.tight_layout()
    return fig


def rank_heatmaps(ranks, order):
    """One heatmap of feature ranks (1 = most important) per method, features in ``order``, models as
    columns, each cell labelled with its rank. Drawn in
    notebooks/08_glass_boxes_and_equally_good_models.ipynb."""
    fig, axes = plt.subplots(1, len(ranks), figsize=(9, 5.5), sharey=True, squeeze=False)
    for ax, (method, table) in zip(axes[0], ranks.items()):
        shown = table.loc[order]
        image = ax.imshow(shown.to_numpy(), cmap="viridis_r", vmin=1, vmax=len(order))
        ax.set_xticks(range(shown.shape[1]), shown.columns, rotation=40, ha="right")
        ax.set_yticks(range(len(order)), order)
        for i in range(shown.shape[0]):
            for j in range(shown.shape[1]):
                ax.text(j, i, f"{shown.iloc[i, j]:.0f}", ha="center", va="center", fontsize=10,
                        color="white" if shown.iloc[i, j] > len(order) / 2 else "black")
        ax.set_title(f"rank by\n{method}", fontsize=11)
    fig.colorbar(image, ax=axes, shrink=0.7).set_label("rank (1 = most important)")
    return fig
