"""Reusable drawing: trees, feature-map grids, heatmap overlays and attribution maps (notebooks 13 and
14). Figures are drawn on a fresh figure and returned (or a graphviz object / an RGB array), so a
notebook cell ends with the picture and nothing else is printed."""

from __future__ import annotations

import shutil
import textwrap

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

    fig, ax = plt.subplots(figsize=(8, 6.5))  # 17 rows: room for projector-size labels
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
    ax.set_xlabel("odds ratio of disease (log scale);\nper SD for standardized features")
    ax.set_title("Logistic regression: odds ratios with 95% intervals\n(red: interval excludes 1)")
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
    fig, ax = plt.subplots(figsize=(8, 3.6), layout="constrained")
    y = range(len(shown))
    ax.hlines(y, shown["forest − model, 95% low"], shown["forest − model, 95% high"], color="black", lw=1,
              label="95% interval (a difference?)")
    ax.hlines(y, shown["90% low"], shown["90% high"], color="black", lw=5, label="90% interval (TOST)")
    ax.plot(reference - shown["AUC"], y, "o", color="tab:red", zorder=3, label="observed difference")
    ax.axvspan(-margin, margin, color="tab:green", alpha=0.2, label=f"±ε = ±{margin}")
    ax.axvline(0, color="black", lw=0.8)
    ax.set_yticks(list(y), shown.index)
    ax.set_xlabel("forest's AUC − model's AUC\n(on the same resamples)")
    fig.legend(loc="outside lower center", ncols=2)  # below: the course's legend size, also in projector mode
    return fig


def rank_heatmaps(ranks, order):
    """One heatmap of feature ranks (1 = most important) per method, features in ``order``, models as
    columns, each cell labelled with its rank. Drawn in
    notebooks/08_glass_boxes_and_equally_good_models.ipynb."""
    fig, axes = plt.subplots(1, len(ranks), figsize=(9, 5.5), sharey=True, squeeze=False)
    for ax, (method, table) in zip(axes[0], ranks.items()):
        shown = table.loc[order]
        image = ax.imshow(shown.to_numpy(), cmap="viridis_r", vmin=1, vmax=len(order))
        ax.set_xticks(range(shown.shape[1]), shown.columns, rotation=60, ha="right", rotation_mode="anchor")
        ax.set_yticks(range(len(order)), order)
        for i in range(shown.shape[0]):
            for j in range(shown.shape[1]):
                ax.text(j, i, f"{shown.iloc[i, j]:.0f}", ha="center", va="center", fontsize="small",
                        color="white" if shown.iloc[i, j] > len(order) / 2 else "black")
        ax.set_title("rank by\n" + textwrap.fill(method, 22), fontsize="medium")
    fig.colorbar(image, ax=axes, shrink=0.7).set_label("rank (1 = most important)")


# ---------------------------------------------------------------- notebook 09's chart
def risk_map(surface, norm, patient, points, title: str, points_label: str = "DiCE counterfactuals",
             risk_label: str = "forest's risk of disease"):
    """A model's risk over two features: ``surface`` is a table of risks with one feature's values as its
    index (y axis) and the other's as its columns (x axis), each axis named after its feature; coloured
    with ``norm`` (e.g. a ``TwoSlopeNorm`` white at 0.5) on a red-blue scale, with the 0.5 contour in
    black, ``patient`` (a row with both features) as a black star and ``points`` (rows with both
    features) as gold dots. The axes are labelled with the features' units (from ``data.FEATURES``) and
    padded by 5% of each range, so markers at the edge of the box show whole. Returns the figure.
    Used in notebooks/09_counterfactuals_anchors_and_surrogates.ipynb."""
    import re

    from .data import FEATURES

    surface, patient = _risk_map_inputs(surface, patient, points)
    x, y = surface.columns.name, surface.index.name

    def label(feature):
        unit = re.search(r"\(([^()]*)\)$", FEATURES.get(feature, ""))
        return f"{feature} ({unit.group(1)})" if unit else feature

    def padded(values):
        low, high = min(values), max(values)
        return low - 0.05 * (high - low), high + 0.05 * (high - low)

    fig, ax = plt.subplots(figsize=(7, 4.8), layout="constrained")
    values = surface.to_numpy()
    image = ax.pcolormesh(surface.columns, surface.index, values, shading="nearest", cmap="RdBu_r",
                          norm=norm)
    ax.contour(surface.columns, surface.index, values, levels=[0.5], colors="black", linewidths=1)
    ax.plot(patient[x], patient[y], "k*", ms=16, clip_on=False, label="the patient")
    ax.plot(points[x], points[y], "o", color="gold", mec="black", ms=9, clip_on=False, label=points_label)
    ax.set(xlabel=label(x), ylabel=label(y), facecolor="0.85", title=title,
           xlim=padded([*surface.columns, patient[x], *points[x]]),
           ylim=padded([*surface.index, patient[y], *points[y]]))
    fig.legend(loc="outside lower center", ncols=2)
    fig.colorbar(image, ax=ax).set_label(risk_label)
    return fig


def _risk_map_inputs(surface, patient, points):
    """``risk_map``'s inputs checked: the surface (sorted along both axes) and the patient as a Series."""
    import numpy as np
    import pandas as pd

    if not isinstance(surface, pd.DataFrame):
        raise TypeError(f"surface must be a DataFrame of risks (index: one feature's values, columns: the "
                        f"other's, e.g. grid.pivot_table(index=..., columns=..., values='risk')), got "
                        f"{type(surface).__name__}")
    x, y = surface.columns.name, surface.index.name
    if x is None or y is None:
        raise ValueError(f"name the surface's axes after their features (surface.index.name = "
                         f"{y!r}, surface.columns.name = {x!r}): they say which columns of the patient "
                         "and the points to draw")
    if surface.shape[0] < 2 or surface.shape[1] < 2:
        raise ValueError(f"surface has shape {surface.shape}: a map needs at least 2 values of each feature")
    if not (surface.index.is_unique and surface.columns.is_unique):
        raise ValueError("surface's index and columns must each hold every feature value once")
    surface = surface.sort_index(axis=0).sort_index(axis=1)  # pcolormesh needs increasing coordinates
    values = surface.to_numpy(dtype=float)
    if not np.isfinite(values).all() or values.min() < 0 or values.max() > 1:
        raise ValueError(f"surface must hold risks (probabilities in [0, 1]) everywhere, got values from "
                         f"{np.nanmin(values):.4g} to {np.nanmax(values):.4g} and "
                         f"{int((~np.isfinite(values)).sum())} missing; a percentage? divide it by 100")
    if isinstance(patient, pd.DataFrame):
        if len(patient) != 1:
            raise ValueError(f"patient must be one row (a Series, or a one-row DataFrame), got "
                             f"{len(patient)}")
        patient = patient.iloc[0]
    for what, frame in (("patient", patient), ("points", points)):
        if not isinstance(frame, (pd.Series, pd.DataFrame)):
            raise TypeError(f"{what} must be a pandas Series/DataFrame with the columns {x!r} and {y!r}")
        names = frame.index if isinstance(frame, pd.Series) else frame.columns
        missing = [f for f in (x, y) if f not in names]
        if missing:
            raise KeyError(f"{what} has no {missing} (the surface's axes are {x!r} and {y!r}); it has "
                           f"{list(names)}")
        if not np.isfinite(np.asarray(frame[[x, y]], dtype=float)).all():
            raise ValueError(f"{what} has a missing or infinite {x!r} or {y!r}: it would not be drawn")
    return surface, patient


# ---------------------------------------------------------------- attribution maps (notebooks 13 and 14)
#: JPEG quality of the photo-like figures of notebooks 13 and 14 (maps and photos): 80 keeps the maps'
#: structure visible at about a fifth of the size of a PNG.
JPEG_QUALITY = 80


def as_jpeg(fig, quality: int = JPEG_QUALITY):
    """The figure as a JPEG image for the notebook (an ``IPython.display.Image``), saved at ``quality``
    (1-95); the figure is closed, so it is shown once, as the JPEG (the figure helpers below return closed
    figures: shown once, as PNG, when a cell ends with one). For figures of photos and colour-mapped
    maps, which PNG compresses badly.
    Used in notebooks/13_faithful_image_explanations.ipynb and notebooks/14_sanity_checks.ipynb (and
    notebooks/21_adversarial_examples_and_fragile_explanations.ipynb)."""
    import io

    from IPython.display import Image

    if not 1 <= quality <= 95:
        raise ValueError(f"JPEG quality must be between 1 and 95, got {quality}")
    buffer = io.BytesIO()
    fig.savefig(buffer, format="jpeg", pil_kwargs={"quality": quality}, bbox_inches="tight")
    plt.close(fig)
    return Image(data=buffer.getvalue(), format="jpeg")


def frame(ax) -> None:
    """A thin grey frame and no ticks, so a map that is white at its edges does not melt into the page.
    Used in notebooks/13_faithful_image_explanations.ipynb and notebooks/14_sanity_checks.ipynb."""
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_visible(True)
        spine.set_color("0.6")


MAP_KEYS = {False: "|map| ÷\nits 99th percentile", True: "signed map ÷\n99th percentile of |map|"}


def draw_map(ax, a, signed: bool):
    """One attribution map (H, W) or (H, W, C) on ``ax``, clipped at its 99th percentile: grey for the
    magnitude, red (positive) and blue (negative) for the signed map; a map that is zero everywhere is
    labelled "all zero". Returns the image, for a colour key.
    Used in notebooks/13_faithful_image_explanations.ipynb and notebooks/14_sanity_checks.ipynb."""
    import numpy as np

    from . import attribution

    m = attribution.signed_map(a) if signed else attribution.abs_map(a)
    scaled = attribution.display_scale(m, signed=signed)
    k = max(1, min(scaled.shape) // 100) if signed else 1
    if k > 1:  # a signed map larger than its panel: mean of k x k blocks BEFORE the colour map, so a fine
        # red/blue pattern shows as its mean and not as purple, a colour not on the key
        h, w = scaled.shape[0] // k * k, scaled.shape[1] // k * k
        scaled = scaled[:h, :w].reshape(h // k, k, w // k, k).mean(axis=(1, 3))
    shown = ax.imshow(scaled, cmap="bwr" if signed else "gray", vmin=-1 if signed else 0, vmax=1,
                      interpolation="antialiased", interpolation_stage="data")
    if not np.any(m):
        ax.text(0.5, 0.5, "all\nzero", transform=ax.transAxes, ha="center", va="center",
                bbox={"facecolor": "white", "edgecolor": "0.6"})  # two lines: narrow panels, projector
    frame(ax)
    return shown


def _short(name: str) -> str:
    return name.replace(" ", "\n", 1) if len(name) > 12 else name


def show_maps(maps: dict, background, title: str, signed_too: bool = True):
    """The maps of one input (a dict name -> map): magnitude in the top rows and, with ``signed_too``,
    signed in the rows below, the input first in each half, with a colour key per half. Returns the
    figure.
    Used in notebooks/13_faithful_image_explanations.ipynb and notebooks/14_sanity_checks.ipynb."""
    if not isinstance(maps, dict) or not maps:
        raise ValueError(f"maps must be a non-empty dict name -> map, got {type(maps).__name__} "
                         f"{'(empty)' if isinstance(maps, dict) else ''}")
    halves = (False, True) if signed_too else (False,)
    per_half = -(-(len(maps) + 1) // 5)
    # the colour keys go under their halves, so the five columns get the figure's full width: on the right,
    # they left titles such as "Gradient" and "SmoothGrad" touching in projector mode
    height = (2.3 * per_half + 0.9) * len(halves) + 0.5  # 0.9 in per key
    fig, axes = plt.subplots(per_half * len(halves), 5, figsize=(9, height), layout="constrained",
                             squeeze=False)
    for half, signed in enumerate(halves):
        panels = axes[per_half * half: per_half * (half + 1)].ravel()
        panels[0].imshow(background, cmap="gray")
        panels[0].set_title("input")
        panels[0].set_ylabel("signed" if signed else "magnitude")
        frame(panels[0])
        for ax, (name, a) in zip(panels[1:], maps.items()):
            shown = draw_map(ax, a, signed)
            ax.set_title(_short(name))
        for ax in panels[len(maps) + 1:]:
            ax.axis("off")
        fig.colorbar(shown, ax=list(panels), location="bottom", shrink=0.6, aspect=40,
                     label=MAP_KEYS[signed].replace("\n", " "))
    fig.suptitle(title)
    plt.close(fig)
    return fig


def show_columns(columns, methods, title: str):
    """One row per method and one column per ``(heading, maps of one input, signed)``, each map clipped at
    its 99th percentile, with a colour key under the columns of each kind. Returns the figure.
    Used in notebooks/14_sanity_checks.ipynb."""
    if isinstance(methods, str):
        raise TypeError(f"methods must be a list of method names, got the string {methods!r}: "
                        f"write [{methods!r}]")
    columns, methods = list(columns), list(methods)
    if not columns or not methods:
        raise ValueError(f"got {len(columns)} columns and {len(methods)} methods: need at least one of each")
    for column in columns:
        if not (isinstance(column, tuple) and len(column) == 3):
            raise ValueError(f"each column is a tuple (heading, maps of one input, signed), got "
                             f"{column!r:.80}")
        missing = [m for m in methods if m not in column[1]]
        if missing:
            raise KeyError(f"column {column[0]!r} has no map for {missing}; it has {list(column[1])}")
    fig, axes = plt.subplots(len(methods), len(columns), squeeze=False, layout="constrained",
                             figsize=(min(9.0, 1.2 * len(columns) + 2.0), 1.15 * len(methods) + 1.6))
    kinds = {}
    for c, (heading, maps_c, signed) in enumerate(columns):
        axes[0, c].set_title(heading)
        for r, method in enumerate(methods):
            shown = draw_map(axes[r, c], maps_c[method], signed)
        kinds.setdefault(signed, [[], shown])[0].append(c)
    for r, method in enumerate(methods):
        axes[r, 0].set_ylabel(_short(method), rotation=0, ha="right", va="center")
    for signed, (cols, shown) in kinds.items():  # three ticks: keys side by side stay apart in projector mode
        key = fig.colorbar(shown, ax=axes[:, cols].ravel().tolist(), location="bottom", shrink=0.8,
                           aspect=6 * len(cols), label=MAP_KEYS[signed])
        key.set_ticks([-1, 0, 1] if signed else [0, 0.5, 1])
    fig.suptitle(title)
    plt.close(fig)
    return fig


def bottom_legend(fig, handles, ncols: int):
    """A legend under the axes of a constrained-layout figure in ``ncols`` columns, or fewer when that is
    wider than the figure (projector mode's larger text), down to one; the figure grows by the height the
    extra rows add, so its axes keep their size. Returns the legend.
    Used in notebooks/13_faithful_image_explanations.ipynb and notebooks/14_sanity_checks.ipynb."""
    renderer = fig.canvas.get_renderer()
    first_height = None
    for n in range(ncols, 0, -1):
        legend = fig.legend(handles=handles, loc="outside lower center", ncols=n, frameon=False)
        box = legend.get_window_extent(renderer)
        first_height = box.height if first_height is None else first_height
        if box.width <= fig.bbox.width or n == 1:
            break
        legend.remove()
    fig.set_figheight(fig.get_figheight() + (box.height - first_height) / fig.dpi)
    return legend


def perturbation_curves(deletion: dict, insertion: dict, random_deletion, random_insertion, class_name: str):
    """Deletion (left) and insertion (right) curves of each map, with the random orders dotted. Returns the
    figure.
    Used in notebooks/13_faithful_image_explanations.ipynb."""
    fig, axes = plt.subplots(1, 2, figsize=(9, 4.8), sharey=True, layout="constrained")
    for ax, curves, randoms, what in ((axes[0], deletion, random_deletion, "deleted"),
                                      (axes[1], insertion, random_insertion, "inserted")):
        for name, (f, p) in curves.items():
            ax.plot(f, p, marker=".", label=name)
        for k, (f, p) in enumerate(randoms):
            ax.plot(f, p, color="black", lw=1, ls=":", label="random orders" if k == 0 else None)
        ax.set_xlabel(f"fraction of the 16-px\nsquares {what}")  # two lines: fit in projector mode
    axes[0].set_title("deletion: lower is better")
    axes[1].set_title("insertion: higher is better")
    axes[0].set_ylabel(f"P({class_name})")
    bottom_legend(fig, axes[0].get_legend_handles_labels()[0], ncols=4)
    plt.close(fig)
    return fig


def sanity_curves(similarity, floor, stages, methods, title: str, measures=("rank |map|", "rank signed"),
                  non_negative=("Grad-CAM",)):
    """Per method: the mean similarity to the original per stage for each rank measure, the draws and the
    midpoint (the course's verdict threshold) at the first stage, the floor's mean and the range of its
    pairs. ``similarity`` and ``floor`` are the tables of ``helpers.sanity``. Returns the figure.
    Used in notebooks/14_sanity_checks.ipynb."""
    import numpy as np
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    from .sanity import floor_stats

    colours = dict(zip(measures, ("tab:blue", "tab:orange")))
    stages = list(stages)
    mean = similarity.groupby(["method", "measure", "stage"]).similarity.mean()
    draws = similarity[similarity.stage == stages[0]].groupby(["method", "measure", "draw"]).similarity.mean()
    band = floor_stats(floor)
    rows = -(-len(methods) // 3)
    grow = max(1.0, plt.rcParams["font.size"] / 12)  # projector mode's larger text: taller, not flatter
    fig, axes = plt.subplots(rows, 3, figsize=(9, (2.9 * rows + 1.6) * grow), sharey=True, squeeze=False,
                             layout="constrained")
    xs = np.arange(len(stages) + 1)
    for ax, method in zip(axes.ravel(), methods):
        for measure in ([measures[0]] if method in non_negative else measures):
            colour, side = colours[measure], -1 if measure == measures[0] else 1
            ax.plot(xs, [1.0] + [mean[method, measure, s] for s in stages], marker="o", color=colour)
            ax.plot(np.full(len(draws[method, measure]), 1 + 0.2 * side), draws[method, measure], ls="none",
                    marker="o", color=colour, markeredgecolor="black", markeredgewidth=0.8, ms=6, zorder=3)
            ax.axhspan(*band.loc[(method, measure), ["low", "high"]], color=colour, alpha=0.2)
            ax.axhline(band.loc[(method, measure), "mean"], color=colour, lw=1, ls="--")
            midpoint = (band.loc[(method, measure), "mean"] + 1) / 2
            # above the draws' markers: a draw at the midpoint must not hide the threshold it is read by
            ax.plot([1.0, 1.0 + 0.3 * side], [midpoint, midpoint], color=colour, lw=3, zorder=4)
        ax.axvline(1, color="grey", lw=1, ls=":")
        ax.axhline(0, color="black", lw=0.5)
        ax.set_title(f"{method}\n(signed = |map|)" if method in non_negative else method)
        ax.set_xticks(xs, ["original", *stages], rotation=90)
        ax.set_ylim(-1.05, 1.05)
    for ax in axes[:, 0]:
        ax.set_ylabel("similarity to\nthe original")
    for ax in axes.ravel()[len(methods):]:
        ax.axis("off")
    handles = [Line2D([], [], color=colours[m], marker="o", label=m) for m in measures] + [
        Line2D([], [], color="0.3", lw=1, ls="--", label="floor: mean of the random-vs-random pairs"),
        Patch(color="0.3", alpha=0.2, label="range of the floor's pairs"),
        Line2D([], [], color="grey", lw=1, ls=":", label="first stage: the verdict is read here"),
        Line2D([], [], color="0.3", lw=3, label="midpoint between floor and 1: above it, fails"),
        Line2D([], [], color="0.5", marker="o", markeredgecolor="black", markeredgewidth=0.8, ls="none",
               label="the draws at the first stage")]
    bottom_legend(fig, handles, ncols=2)
    fig.suptitle(title)
    plt.close(fig)
    return fig


# ---------------------------------------------------------------- notebook 05's charts
def annotated_heatmaps(tables: dict, vmin: float = 0.0, vmax: float = 1.0, dark_below: float = 0.6):
    """Square tables (rows and columns the same names, e.g. methods x methods) as heatmaps side by side,
    one per ``{title: table}``, sharing their rows and one colour bar; each cell is labelled with its
    value (2 decimals), in white on the dark cells (below ``dark_below``), and a row name's spaces become
    line breaks. Returns the figure (left open: shown when the cell ends). Drawn in
    notebooks/05_trusting_tabular_explanations.ipynb (agreement between importance methods)."""
    _check_square_tables(tables, vmin, vmax)
    fig, axes = plt.subplots(1, len(tables), figsize=(9, 4.6), sharey=True, squeeze=False,
                             gridspec_kw={"wspace": 0.08})
    for ax, (title, table) in zip(axes[0], tables.items()):
        image = ax.imshow(table.to_numpy(), vmin=vmin, vmax=vmax, cmap="viridis")
        ax.set_xticks(range(table.shape[1]), table.columns, rotation=35, ha="right")
        ax.set_yticks(range(table.shape[0]), [str(name).replace(" ", "\n") for name in table.index])
        for i in range(table.shape[0]):
            for j in range(table.shape[1]):
                value = table.iloc[i, j]
                ax.text(j, i, f"{value:.2f}", ha="center", va="center",
                        color="white" if value < dark_below else "black")
        ax.set_title(title)
    fig.colorbar(image, ax=axes, shrink=0.8)
    return fig


def _check_square_tables(tables, vmin, vmax):
    """``annotated_heatmaps``' tables: square, the same rows in all (they share them), finite numbers."""
    import numpy as np
    import pandas as pd

    if not isinstance(tables, dict) or not tables:
        raise ValueError(f"tables must be a non-empty dict {{title: square DataFrame}}, got "
                         f"{type(tables).__name__}{' (empty)' if isinstance(tables, dict) else ''}")
    if not vmin < vmax:
        raise ValueError(f"vmin must be below vmax, got vmin={vmin}, vmax={vmax}")
    rows = None
    for title, table in tables.items():
        if not isinstance(table, pd.DataFrame):
            raise TypeError(f"table {title!r} must be a DataFrame with names on its rows and columns, got "
                            f"{type(table).__name__}")
        if list(table.index) != list(table.columns):
            raise ValueError(f"table {title!r} must be square with the same names on its rows and columns, "
                             f"in the same order; got rows {list(table.index)} and columns "
                             f"{list(table.columns)} (reorder it with table.loc[names, names])")
        if rows is None:
            rows = list(table.index)
        elif list(table.index) != rows:
            raise ValueError(f"the heatmaps share their rows, so every table needs the first one's rows "
                             f"{rows}; table {title!r} has {list(table.index)} (reorder it with "
                             "table.loc[names, names])")
        try:
            values = table.to_numpy(dtype=float)
        except (TypeError, ValueError):
            raise TypeError(f"table {title!r} must hold numbers, got dtypes "
                            f"{set(map(str, table.dtypes))}") from None
        if not np.isfinite(values).all():
            bad = [(table.index[i], table.columns[j]) for i, j in zip(*np.nonzero(~np.isfinite(values)))]
            raise ValueError(f"table {title!r} has missing or infinite values at {bad[:5]}: every cell is "
                             "labelled with its value")


def shap_and_partial_dependence(X, shap_values, grid: dict, curves: dict,
                                shap_title: str = "SHAP of {}", shap_label: str = "SHAP value"):
    """One row per feature of ``grid`` ({feature: grid values}): on the left each patient's SHAP value
    (``shap_values[feature]``, one per row of ``X``) against the feature's value ``X[feature]``, titled
    ``shap_title.format(feature)``; on the right the partial dependence curves ``curves`` ({label:
    {feature: one value per grid value}}) on the grid, the first drawn "o-", the others "s--", with one
    legend for all of them above the panels (a legend inside a panel would cover its curves). Returns
    the figure (left open). Drawn in notebooks/05_trusting_tabular_explanations.ipynb (the label flip)."""
    shap_values = _check_shap_and_curves(X, shap_values, grid, curves, shap_title)
    fig, axes = plt.subplots(len(grid), 2, figsize=(8.8, 3.75 * len(grid) + 0.5), squeeze=False,
                             layout="constrained")
    for (left, right), name in zip(axes, grid):
        left.scatter(X[name], shap_values[name], alpha=0.6)
        left.set_xlabel(name)
        left.set_ylabel(shap_label)
        left.set_title(shap_title.format(name))
        for k, (label, curve) in enumerate(curves.items()):
            right.plot(grid[name], curve[name], "o-" if k == 0 else "s--", label=label)
        right.set_xlabel(name)
        right.set_ylabel("average prediction")
        right.set_title(f"partial dependence of {name}")
    fig.legend(*axes[0, 1].get_legend_handles_labels(), loc="outside upper center", ncols=len(curves))
    return fig


def _check_shap_and_curves(X, shap_values, grid, curves, shap_title):
    """``shap_and_partial_dependence``'s inputs checked; returns ``shap_values`` in the row order of ``X``."""
    import numpy as np
    import pandas as pd

    for what, frame in (("X", X), ("shap_values", shap_values)):
        if not isinstance(frame, pd.DataFrame):
            raise TypeError(f"{what} must be a DataFrame with the feature names as columns, got "
                            f"{type(frame).__name__}")
    if not isinstance(grid, dict) or not grid or not isinstance(curves, dict) or not curves:
        raise ValueError("grid ({feature: grid values}) and curves ({label: {feature: values}}) must be "
                         "non-empty dicts")
    try:
        shap_title.format("feature")
    except (IndexError, KeyError):
        raise ValueError(f"shap_title must hold one '{{}}' for the feature's name, got "
                         f"{shap_title!r}") from None
    if len(shap_values) != len(X):
        raise ValueError(f"shap_values has {len(shap_values)} rows for the {len(X)} rows of X: one per row")
    if not shap_values.index.equals(X.index):
        def unnamed(index):  # 0, 1, ..., n-1: no patient identity, the rows are taken in their order
            return isinstance(index, pd.RangeIndex) and index.start == 0 and index.step == 1

        if shap_values.index.is_unique and set(shap_values.index) == set(X.index):
            shap_values = shap_values.reindex(X.index)  # the same patients in another order
        elif not (unnamed(shap_values.index) or unnamed(X.index)):
            raise ValueError("shap_values' index names other rows than X's: pass the SHAP values of X's rows")
    for name, values in grid.items():
        for what, frame in (("X", X), ("shap_values", shap_values)):
            if name not in frame.columns:
                raise KeyError(f"grid's feature {name!r} is not a column of {what}; it has "
                               f"{list(frame.columns)}")
        n = np.ndim(values) == 1 and len(values)
        if not n:
            raise ValueError(f"grid[{name!r}] must be a non-empty 1-D list of values, got {values!r:.60}")
        for label, curve in curves.items():
            if name not in curve:
                raise KeyError(f"curve {label!r} has no values for {name!r}; it has {list(curve)}")
            if np.shape(curve[name]) != (n,):
                raise ValueError(f"curve {label!r} has shape {np.shape(curve[name])} for {name!r}: one value "
                                 f"per grid value ({n})")
    return shap_values


def _check_picture(picture, what: str, unit_grey: bool):
    """One picture as ``image_grid`` and ``picture_grid`` draw it: (H, W) grey (on the fixed scale 0 to 1
    when ``unit_grey``), (H, W, 1), or RGB(A) as uint8 (0-255) or floats in [0, 1]; finite, not empty."""
    import numpy as np

    a = np.asarray(picture)
    if a.ndim not in (2, 3) or (a.ndim == 3 and a.shape[-1] not in (1, 3, 4)) or a.size == 0:
        raise ValueError(f"{what} has shape {a.shape}: expected an (H, W) grey image or an (H, W, 3) RGB one")
    if a.dtype.kind not in "biuf":
        raise TypeError(f"{what} must hold numbers, got dtype {a.dtype}")
    if not np.isfinite(a).all():
        raise ValueError(f"{what} has {int((~np.isfinite(a)).sum())} missing or infinite pixels")
    colour = a.ndim == 3 and a.shape[-1] != 1
    if (colour and a.dtype.kind == "f") or (not colour and unit_grey):
        if a.min() < -1e-6 or a.max() > 1 + 1e-6:
            raise ValueError(f"{what}: values from {a.min():.4g} to {a.max():.4g}, expected values in [0, 1] "
                             "(black to white); for 0-255 pixels divide by 255"
                             + (" or pass them as uint8" if colour else ""))
    elif colour and (a.min() < 0 or a.max() > 255):
        raise ValueError(f"{what}: integer pixels from {a.min()} to {a.max()}, expected 0-255")


# ---------------------------------------------------------------- image grids (notebook 21)
def image_grid(rows, titles=None, row_labels=None, figsize=(8.8, 5.6)):
    """A grid of images without ticks: ``rows`` is a list of rows, each a list of images; an (H, W) image
    is drawn in grey on the fixed scale 0 (black) to 1 (white), an (H, W, 3) one as RGB. ``titles``: a
    list per row of panel titles (``None`` or a shorter list: no title on the rest); ``row_labels``: one
    label per row, left of its first panel. Returns the figure, closed (shown once when a cell ends with
    it, or passed to ``as_jpeg``).
    Used in notebooks/21_adversarial_examples_and_fragile_explanations.ipynb."""
    if len(rows) == 0 or any(len(row) == 0 for row in rows):
        raise ValueError("rows must be a non-empty list of rows, each a non-empty list of images")
    for r, row in enumerate(rows):
        for c, image in enumerate(row):
            _check_picture(image, f"image [{r}][{c}] (rows is a list of rows, each a list of images)", True)
    if titles is not None and (isinstance(titles, str) or len(titles) > len(rows) or any(
            isinstance(row, str) or (row is not None and len(row) > len(rows[r]))
            for r, row in enumerate(titles))):
        raise ValueError(f"titles must be a list of rows of titles, each at most as long as its row of "
                         f"images ({[len(row) for row in rows]}), e.g. [['a', 'b']]; got {titles!r:.80}")
    if row_labels is not None and (isinstance(row_labels, str) or len(row_labels) != len(rows)):
        raise ValueError(f"row_labels must be a list of one label per row ({len(rows)}), got "
                         f"{row_labels!r:.80}")
    n_cols = max(len(row) for row in rows)
    fig, axes = plt.subplots(len(rows), n_cols, figsize=figsize, layout="constrained", squeeze=False)
    for r, row in enumerate(rows):
        for c, image in enumerate(row):
            axes[r, c].imshow(image, cmap="gray", vmin=0, vmax=1)  # cmap and range: grey images only
        for ax, title in zip(axes[r], (titles[r] if titles and r < len(titles) else None) or []):
            ax.set_title(title)
        if row_labels is not None:
            axes[r, 0].set_ylabel(row_labels[r])
        for ax in axes[r, len(row):]:
            ax.axis("off")
    plt.setp(axes, xticks=[], yticks=[])
    plt.close(fig)
    return fig


# ---------------------------------------------------------------- notebook 12's figures
def picture_grid(pictures, titles, shape, figsize, colorbar: str | None = None, shrink: float = 0.8,
                 title: str | None = None):
    """``pictures`` in a grid of ``shape`` (rows, columns), filled row by row, axes off, each with its
    title from ``titles`` (pictures after the last title get none; 2-D pictures in grey, RGB as they
    are); with ``colorbar`` (its label), the colour legend of ``overlay_heatmap`` beside the grid,
    ``shrink`` long; ``title`` above it all. Returns the closed figure.
    Used in notebooks/12_grad_cam.ipynb."""
    import numpy as np

    if not (isinstance(shape, tuple | list) and len(shape) == 2
            and all(isinstance(n, int | np.integer) and n > 0 for n in shape)):
        raise ValueError(f"shape must be (rows, columns), two positive whole numbers, got {shape!r}")
    if isinstance(titles, str):
        raise TypeError(f"titles must be a list of titles, one per picture, got the string {titles!r}")
    if len(pictures) == 0:
        raise ValueError("no pictures to draw: pictures is empty")
    for k, picture in enumerate(pictures):
        _check_picture(picture, f"picture {k}", False)
    if len(pictures) > shape[0] * shape[1] or len(titles) > len(pictures):
        raise ValueError(f"{len(pictures)} pictures and {len(titles)} titles for a grid of {shape[0]} x "
                         f"{shape[1]}: at most one picture per cell and one title per picture")
    titles = list(titles) + [""] * (len(pictures) - len(titles))
    fig, axes = plt.subplots(*shape, figsize=figsize, layout="constrained", squeeze=False)
    for ax, picture, text in zip(axes.ravel(), pictures, titles):
        ax.imshow(picture, cmap="gray" if np.ndim(picture) == 2 else None)
        ax.set_title(text)
    for ax in axes.ravel():
        ax.axis("off")
    if colorbar is not None:
        heatmap_colorbar(fig, list(axes.ravel()), label=colorbar, shrink=shrink)
    if title is not None:
        fig.suptitle(title)
    plt.close(fig)
    return fig


def occlusion_test(photo, size: int, peak, best, strong, drops_apart, drop_peak, class_name: str):
    """The occlusion test of a heatmap's peak: left, ``photo`` with ``size`` x ``size`` squares drawn
    at their (top, left) corners: ``peak``, the square at the heatmap's peak (red), ``best``, the grid
    square whose covering lowers the class probability most (cyan, thick), and ``strong``, the grid
    squares apart from the peak square that lower it at least half as much (yellow); right, the
    histogram of ``drops_apart``, the drops of all the grid squares apart from the peak square, with
    ``drop_peak`` marked. The key to the squares is in the legend's size of the course style (larger in
    projector mode). Returns the closed figure. Used in notebooks/12_grad_cam.ipynb."""
    import numpy as np

    _check_picture(photo, "photo", False)
    height, width = np.shape(photo)[:2]
    if not (isinstance(size, int | np.integer) and 0 < size <= min(height, width)):
        raise ValueError(f"size must be a whole number of pixels from 1 to {min(height, width)}, got "
                         f"{size!r}")
    if isinstance(strong, np.ndarray) and strong.ndim == 1 or len(strong) == 2 and np.ndim(strong[0]) == 0:
        raise ValueError(f"strong must be a list of (top, left) corners, got {strong!r}: for one square "
                         "write [(top, left)]")
    for what, box in [("peak", peak), ("best", best), *[(f"strong[{k}]", b) for k, b in enumerate(strong)]]:
        corner = np.asarray(box)
        if corner.shape != (2,) or not (0 <= corner[0] <= height - size and 0 <= corner[1] <= width - size):
            raise ValueError(f"{what} must be the (top, left) corner of a {size} x {size} square inside the "
                             f"{height} x {width} photo, got {box!r}")
    drops = np.asarray(drops_apart, dtype=float)
    if drops.ndim != 1 or drops.size == 0 or not np.isfinite(drops).all() or not np.isfinite(drop_peak):
        raise ValueError(f"drops_apart must be a non-empty list of finite drops and drop_peak a finite drop, "
                         f"got {drops.size} drops ({int((~np.isfinite(drops)).sum())} not finite) and "
                         f"{drop_peak!r}")
    fig, axes = plt.subplots(1, 2, figsize=(8.8, 4.6), width_ratios=[1, 1.2])
    axes[0].imshow(photo)
    for (top, left), colour, lw in ([(box, "yellow", 2) for box in strong]
                                    + [(peak, "red", 3), (best, "cyan", 5)]):
        axes[0].add_patch(plt.Rectangle((left, top), size, size, fill=False, color=colour, lw=lw,
                                        zorder=5 if colour == "cyan" else 1))
    axes[0].set_title("red: peak square\ncyan (thick): largest drop\nyellow: apart, half as much",
                      fontsize=plt.rcParams["legend.fontsize"])
    axes[0].axis("off")
    axes[1].hist(drops_apart, bins=15, color="grey", label="grid squares apart")
    axes[1].axvline(drop_peak, color="red", lw=3, label="peak square")
    axes[1].set(xlabel=f"drop in P({class_name}) when covered\n(negative: covering raises it)",
                ylabel="grid squares")
    axes[1].legend(loc="lower left", bbox_to_anchor=(0, 1.02), ncols=2, frameon=False)  # above the bars
    fig.tight_layout()
    plt.close(fig)
    return fig


# ---------------------------------------- library figures at the course's sizes (notebooks 02 and 03)
def at_least_course_size(fig) -> int:
    """Raise every text of ``fig`` that is smaller than the course style's smallest text (the tick-label
    and legend sizes of the current rcParams: 11 pt normally, 16 pt in projector mode) to that size;
    return how many of the raised texts show something (empty ones, such as an unset axis label, are
    raised too). For a library's figure that sets its own small sizes (pdpbox draws 9-pt ticks and
    10-pt labels whatever the style; shap's beeswarm and bar plots 11 to 13 pt), so that it is as legible
    as the course's own figures, and larger in projector mode; call it on the returned figure before it
    is shown. Used in notebooks/02_partial_dependence.ipynb and notebooks/03_shap.ipynb."""
    from matplotlib.figure import FigureBase
    from matplotlib.font_manager import FontProperties
    from matplotlib.text import Text

    if not isinstance(fig, FigureBase):
        raise TypeError(f"expected a matplotlib Figure, got {type(fig).__name__}; shap's plots with "
                        "show=False return None or an Axes: pass plt.gcf() or ax.figure")
    sizes = [plt.rcParams[key] for key in ("xtick.labelsize", "ytick.labelsize", "legend.fontsize")]
    smallest = min(FontProperties(size=size).get_size_in_points() for size in sizes)
    raised = [text for text in fig.findobj(Text) if text.get_fontsize() < smallest]
    for text in raised:
        text.set_fontsize(smallest)
    return sum(1 for text in raised if text.get_text().strip())
