import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest
from sklearn.tree import DecisionTreeClassifier

from helpers import plots


@pytest.fixture(scope="module")
def tree():
    X, y = [[0, 1], [1, 0], [1, 1], [0, 0]], [0, 1, 1, 0]
    return DecisionTreeClassifier(max_depth=2, random_state=0).fit(X, y)


def test_draw_tree_with_graphviz(tree):
    if not plots.has_dot():
        pytest.fail("Graphviz's dot is missing: `make` installs it (apt) when run as root")
    src = plots.draw_tree(tree, ["a", "b"], ["no", "yes"])
    assert "digraph" in src.source and "a <= 0.5" in src.source
    assert src.pipe(format="svg").startswith(b"<?xml")


def test_draw_tree_rotated_runs_left_to_right(tree):
    if not plots.has_dot():
        pytest.fail("Graphviz's dot is missing: `make` installs it (apt) when run as root")
    assert "rankdir=LR" in plots.draw_tree(tree, ["a", "b"], ["no", "yes"], rotate=True).source
    assert "rankdir=LR" not in plots.draw_tree(tree, ["a", "b"], ["no", "yes"]).source


def test_draw_tree_keeps_the_true_branch_first(tree):
    if not plots.has_dot():
        pytest.fail("Graphviz's dot is missing: `make` installs it (apt) when run as root")
    import re

    for rotate, axis in ((False, "x"), (True, "y")):  # True branch on the left, or on top when rotated
        svg = plots.draw_tree(tree, ["a", "b"], ["no", "yes"], rotate=rotate).pipe(format="svg").decode()
        assert "ordering=out" in plots.draw_tree(tree, ["a", "b"], ["no", "yes"], rotate=rotate).source
        # node 1 (the root's True child) is drawn before node 2 (its False child) along the axis
        position = {node: float(re.search(rf'<title>{node}</title>\s*<path[^>]*d="M(-?[\d.]+),(-?[\d.]+)',
                                          svg).group(1 if axis == "x" else 2)) for node in (1, 2)}
        assert position[1] < position[2]


def test_draw_tree_falls_back_without_dot(tree, monkeypatch, capsys):
    monkeypatch.setattr(plots.shutil, "which", lambda name: None)
    fig = plots.draw_tree(tree, ["a", "b"], ["no", "yes"])
    assert isinstance(fig, matplotlib.figure.Figure)
    assert capsys.readouterr().out.count("\n") == 1, "one clear line, not a traceback"


def test_tile_maps():
    maps = np.random.default_rng(0).random((5, 4, 10)).astype(np.float32)
    maps[..., 3] = 0
    maps[..., 5] *= 100  # a strong map: scaled on its own, it still spans [0, 1]
    grid = plots.tile_maps(maps, cols=4, pad=1)
    assert grid.shape == (3 * 6 - 1, 4 * 5 - 1)
    tiles = [grid[r * 6: r * 6 + 5, c * 5: c * 5 + 4] for r in range(3) for c in range(4)][:10]
    assert all(np.isfinite(t).all() for t in tiles)
    assert tiles[3].max() == 0  # the all-zero map stays at 0
    assert tiles[5].min() == 0 and tiles[5].max() == 1 and tiles[0].max() == 1  # each tile on its own scale
    # padding rows/columns and the two empty slots of the last row are NaN, not 0 ("no activation")
    assert np.isnan(grid[5]).all() and np.isnan(grid[:, 4]).all()
    assert np.isnan(grid[12:, 10:]).all()
    assert np.isfinite(grid).sum() == 10 * 5 * 4
    with pytest.raises(ValueError, match=r"height, width, channels.*maps\[0\]"):
        plots.tile_maps(np.zeros((1, 3, 3, 2)))


def test_overlay_heatmap_converts_opencv_bgr_to_rgb():
    photo = np.zeros((20, 30, 3), np.uint8)
    hot = plots.overlay_heatmap(photo, np.ones((5, 5)), alpha=1.0)
    assert hot.shape == (20, 30, 3) and hot.dtype == np.uint8
    r, _, b = hot[10, 15]
    assert r > 100 and b < 50, "a hot spot must be red in RGB"


def test_overlay_on_a_photo_scaled_to_0_1_is_not_black():
    photo = np.full((20, 30, 3), 200, np.uint8)
    cold = np.zeros((5, 5))
    as_uint8 = plots.overlay_heatmap(photo, cold, alpha=0.3)
    as_float = plots.overlay_heatmap(photo / 255.0, cold, alpha=0.3)
    assert np.abs(as_uint8.astype(int) - as_float.astype(int)).max() <= 1
    assert as_float.mean() > 100, "the photo shows through, it is not blended as black"


def test_overlay_refuses_what_it_cannot_draw():
    with pytest.raises(ValueError, match=r"one RGB photo of shape \(H, W, 3\)"):
        plots.overlay_heatmap(np.zeros((2, 20, 30, 3)), np.zeros((5, 5)))
    with pytest.raises(ValueError, match="one 2-D heatmap"):
        plots.overlay_heatmap(np.zeros((20, 30, 3)), np.zeros((1, 5, 5)))
    with pytest.raises(ValueError, match="already preprocessed"):
        plots.overlay_heatmap(np.full((20, 30, 3), -50.0), np.zeros((5, 5)))


def test_opencv_jet_matches_the_overlay_colours():
    black = np.zeros((4, 4, 3), np.uint8)
    jet = plots.opencv_jet()
    for value in (0.0, 0.5, 1.0):
        painted = plots.overlay_heatmap(black, np.full((2, 2), value), alpha=1.0)[0, 0]
        expected = np.round(np.array(jet(int(np.uint8(255 * value)))[:3]) * 255)  # the entry OpenCV picks
        assert np.abs(painted.astype(int) - expected).max() <= 1, (value, painted, expected)
    assert jet(1.0)[0] > 0.4 and jet(1.0)[2] < 0.1, "1 is red"
    assert jet(0.0)[2] > 0.4 and jet(0.0)[0] < 0.1, "0 is blue"


def test_heatmap_colorbar_labels_the_overlay_scale():
    fig, axes = plt.subplots(1, 2)
    bar = plots.heatmap_colorbar(fig, list(axes), label="Grad-CAM")
    assert bar.ax.get_ylabel() == "Grad-CAM" and list(bar.get_ticks()) == [0, 0.5, 1]
    assert bar.mappable.get_cmap().name == "opencv_jet"
    plt.close(fig)


def test_as_jpeg_saves_a_jpeg_at_the_stated_quality_and_closes_the_figure():
    rng = np.random.default_rng(0)
    sizes = {}
    for quality in (30, 90):
        fig, ax = plt.subplots()
        ax.imshow(rng.normal(size=(64, 64)), cmap="bwr")
        image = plots.as_jpeg(fig, quality=quality)
        assert image.data[:2] == b"\xff\xd8", "JPEG's start-of-image marker"
        assert not plt.fignum_exists(fig.number)
        sizes[quality] = len(image.data)
    assert sizes[30] < sizes[90]
    with pytest.raises(ValueError, match="quality"):
        plots.as_jpeg(plt.figure(), quality=100)


def test_show_maps_labels_an_all_zero_map_and_keys_both_halves():
    rng = np.random.default_rng(0)
    maps = {"noise": rng.normal(size=(8, 8, 3)), "zero": np.zeros((8, 8))}
    fig = plots.show_maps(maps, np.ones((8, 8)), "t")
    texts = [t.get_text() for ax in fig.axes for t in ax.texts]
    assert texts.count("all\nzero") == 2, "once in the magnitude half, once in the signed half"
    keys = [ax.get_xlabel() for ax in fig.axes if ax.get_xlabel()]  # horizontal keys, one line each
    assert keys == [plots.MAP_KEYS[False].replace("\n", " "), plots.MAP_KEYS[True].replace("\n", " ")]
    plt.close(fig)


def test_show_columns_draws_one_row_per_method():
    maps = {"a": np.ones((6, 6)), "b": -np.ones((6, 6))}
    fig = plots.show_columns([("x", maps, False), ("y", maps, True)], ["a", "b"], "t")
    panels = [ax for ax in fig.axes if ax.get_title() in ("x", "y") or ax.get_ylabel() in ("a", "b")]
    assert {ax.get_ylabel() for ax in panels} >= {"a", "b"}
    keys = {ax.get_xlabel(): list(ax.get_xticks()) for ax in fig.axes if ax.get_xlabel()}
    assert keys == {plots.MAP_KEYS[False]: [0, 0.5, 1], plots.MAP_KEYS[True]: [-1, 0, 1]}
    plt.close(fig)


def test_sanity_curves_marks_the_midpoint_of_each_floor():
    import pandas as pd

    rows = [{"method": "M", "measure": m, "input": 0, "draw": d, "stage": s, "similarity": v}
            for m in ("rank |map|", "rank signed") for s, d, v in (("top", 0, 0.9), ("top", 1, 0.8),
                                                                   ("bottom", 0, 0.1))]
    floor = pd.DataFrame([{"method": "M", "measure": m, "input": 0, "pair": p, "similarity": 0.2}
                          for m in ("rank |map|", "rank signed") for p in (0, 1)])
    fig = plots.sanity_curves(pd.DataFrame(rows), floor, ["top", "bottom"], ["M"], "t")
    bars = [line for line in fig.axes[0].lines if line.get_linewidth() == 3]
    assert len(bars) == 2 and all(np.allclose(line.get_ydata(), 0.6) for line in bars)  # (0.2 + 1) / 2
    plt.close(fig)


def test_draw_map_averages_a_fine_signed_pattern_before_the_colour_map():
    # a 2-pixel red/blue checkerboard shown at about half its size must look white (its mean, 0), not purple
    board = np.where((np.arange(228)[:, None] + np.arange(228)[None, :]) % 2 == 0, 1.0, -1.0)
    fig = plt.figure(figsize=(1.2, 1.2), dpi=100)
    ax = fig.add_axes([0, 0, 1, 1])
    plots.draw_map(ax, board, signed=True)
    fig.canvas.draw()
    rgb = np.asarray(fig.canvas.buffer_rgba())[20:-20, 20:-20, :3] / 255
    plt.close(fig)
    assert rgb[..., 1].mean() > 0.8  # green is near 0 in both red and blue, and in their purple mix


# ---------------------------------------------------------------- notebook 05's charts
def test_annotated_heatmaps_label_every_cell_with_its_value():
    import pandas as pd

    names = ["a b", "c"]
    tables = {"first": pd.DataFrame([[1.0, 0.25], [0.25, 1.0]], index=names, columns=names),
              "second": pd.DataFrame([[1.0, 0.75], [0.5, 1.0]], index=names, columns=names)}
    fig = plots.annotated_heatmaps(tables)
    heatmaps = [ax for ax in fig.axes if ax.get_title()]
    assert [ax.get_title() for ax in heatmaps] == ["first", "second"] and len(fig.axes) == 3  # + colour bar
    for ax, table in zip(heatmaps, tables.values()):
        labels = {(round(t.get_position()[1]), round(t.get_position()[0])): t for t in ax.texts}
        assert {k: t.get_text() for k, t in labels.items()} == {
            (i, j): f"{table.iloc[i, j]:.2f}" for i in range(2) for j in range(2)}
        assert labels[0, 0].get_text() == "1.00"
        # white on the dark cells (below 0.6), black on the light ones
        assert labels[0, 1].get_color() == ("white" if table.iloc[0, 1] < 0.6 else "black")
        assert labels[0, 0].get_color() == "black"
        assert [t.get_text() for t in ax.get_xticklabels()] == names
    assert [t.get_text() for t in heatmaps[0].get_yticklabels()] == ["a\nb", "c"]
    plt.close(fig)


def test_shap_and_partial_dependence_draws_the_given_values():
    import pandas as pd

    X = pd.DataFrame({"u": [1.0, 2.0, 3.0], "v": [0.0, 1.0, 0.0]})
    shap_values = pd.DataFrame({"u": [0.1, 0.2, 0.3], "v": [-0.1, 0.0, 0.1]})
    grid = {"u": np.array([1.0, 3.0]), "v": np.array([0.0, 1.0])}
    curves = {"first": {"u": [0.2, 0.4], "v": [0.5, 0.6]}, "second": {"u": [0.8, 0.6], "v": [0.5, 0.4]}}
    fig = plots.shap_and_partial_dependence(X, shap_values, grid, curves, shap_title="S of {}")
    axes = np.array(fig.axes).reshape(2, 2)
    for (left, right), name in zip(axes, ["u", "v"]):
        assert left.get_title() == f"S of {name}" and left.get_xlabel() == name
        assert np.allclose(left.collections[0].get_offsets(), np.c_[X[name], shap_values[name]])
        lines = right.get_lines()
        assert [line.get_label() for line in lines] == ["first", "second"]
        assert [line.get_linestyle() for line in lines] == ["-", "--"]
        for line, curve in zip(lines, curves.values()):
            assert np.allclose(line.get_xdata(), grid[name]) and np.allclose(line.get_ydata(), curve[name])
        assert right.get_title() == f"partial dependence of {name}"
    assert [t.get_text() for t in fig.legends[0].get_texts()] == ["first", "second"]  # one, for all
    plt.close(fig)


def test_image_grid_draws_grey_on_a_fixed_scale_and_labels_rows_and_panels():
    grey = np.full((4, 4), 0.25)
    rgb = np.zeros((4, 4, 3), dtype=np.uint8)
    fig = plots.image_grid([[grey, rgb], [grey]], titles=[["a", "b"]], row_labels=["top", "bottom"],
                           figsize=(4, 4))
    axes = np.array(fig.axes).reshape(2, 2)
    shown = axes[0, 0].get_images()[0]
    assert shown.get_clim() == (0, 1) and shown.get_cmap().name == "gray"  # 0.25 stays dark grey
    assert axes[0, 1].get_images()[0].get_array().shape == (4, 4, 3)
    assert [ax.get_title() for ax in axes[0]] == ["a", "b"] and axes[1, 0].get_title() == ""
    assert [axes[r, 0].get_ylabel() for r in (0, 1)] == ["top", "bottom"]
    assert not axes[1, 1].axison and not axes[1, 1].get_images()  # the missing panel is blank
    assert all(list(ax.get_xticks()) == [] and list(ax.get_yticks()) == [] for ax in axes[:, 0])
    assert not plt.fignum_exists(fig.number)


# ---------------------------------------------------------------- notebook 12's figures
def test_picture_grid_fills_rows_first_greys_2d_pictures_and_keys_the_heatmap():
    pictures = [np.zeros((4, 4)), np.zeros((4, 4, 3), np.uint8), np.ones((4, 4))]
    fig = plots.picture_grid(pictures, ["a", "b", "c"], (2, 2), figsize=(4, 4), colorbar="Grad-CAM",
                             title="top")
    grid, bar = fig.axes[:4], fig.axes[4:]
    assert [ax.get_title() for ax in grid] == ["a", "b", "c", ""]
    assert [len(ax.images) for ax in grid] == [1, 1, 1, 0]
    assert grid[0].images[0].get_cmap().name == "gray" and grid[2].images[0].get_cmap().name == "gray"
    assert not any(ax.axison for ax in grid)
    assert len(bar) == 1 and bar[0].get_ylabel() == "Grad-CAM"
    assert fig._suptitle.get_text() == "top"
    assert not plt.fignum_exists(fig.number)
    untitled = plots.picture_grid(pictures, ["a"], (1, 3), figsize=(4, 2))
    assert [len(ax.images) for ax in untitled.axes] == [1, 1, 1]  # no picture dropped
    assert [ax.get_title() for ax in untitled.axes] == ["a", "", ""]
    with pytest.raises(ValueError, match="at most one picture per cell"):
        plots.picture_grid(pictures, [], (1, 2), figsize=(4, 2))


def test_occlusion_test_draws_every_square_and_the_histogram_of_the_drops():
    drops = np.array([0.1, 0.2, 0.2, 0.5])
    fig = plots.occlusion_test(np.zeros((100, 100, 3)), 20, peak=(10, 30), best=(40, 50),
                               strong=[(0, 0), (60, 60)], drops_apart=drops, drop_peak=0.4,
                               class_name="barbell")
    photo, hist = fig.axes
    squares = {(p.get_xy(), p.get_edgecolor()[:3]) for p in photo.patches}
    assert squares == {((0, 0), (1, 1, 0)), ((60, 60), (1, 1, 0)), ((30, 10), (1, 0, 0)),
                       ((50, 40), (0, 1, 1))}  # (left, top) corners, yellow, red, cyan
    assert sum(bar.get_height() for bar in hist.patches) == len(drops)
    assert hist.lines[0].get_xdata()[0] == 0.4 and "P(barbell)" in hist.get_xlabel()


# ---------------------------------------------------------------- notebook 09's chart
def test_risk_map_draws_the_surface_the_patient_and_the_points():
    import pandas as pd
    from matplotlib.colors import TwoSlopeNorm

    chol, bp = np.linspace(150, 300, 7), np.linspace(100, 140, 5)
    surface = pd.DataFrame(np.add.outer(bp / 400, chol / 600), index=pd.Index(bp, name="trestbps"),
                           columns=pd.Index(chol, name="chol"))  # 0.5 to 0.85: the 0.5 line at a corner
    surface.iloc[0, 0] = 0.3
    norm = TwoSlopeNorm(vcenter=0.5, vmin=0.3, vmax=surface.to_numpy().max())
    patient = pd.Series({"chol": 300.0, "trestbps": 140.0, "age": 50.0})
    points = pd.DataFrame({"chol": [160.0, 170.0], "trestbps": [100.0, 110.0]})
    fig = plots.risk_map(surface, norm, patient, points, title="a map")
    ax = fig.axes[0]
    mesh = ax.collections[0]
    assert mesh.norm is norm and np.allclose(np.asarray(mesh.get_array()).ravel(), surface.to_numpy().ravel())
    assert ax.get_xlabel() == "chol (mg/dl)" and ax.get_ylabel() == "trestbps (mm Hg)"
    assert ax.get_title() == "a map"
    star, dots = ax.lines
    assert star.get_xydata().tolist() == [[300.0, 140.0]]
    assert dots.get_xydata().tolist() == [[160.0, 100.0], [170.0, 110.0]]
    # 5% padding beyond the box, so the star at its corner shows whole
    assert ax.get_xlim() == pytest.approx((142.5, 307.5)) and ax.get_ylim() == pytest.approx((98, 142))
    labels = [t.get_text() for t in fig.legends[0].get_texts()]
    assert labels == ["the patient", "DiCE counterfactuals"]
    assert fig.axes[1].get_ylabel() == "forest's risk of disease"  # the colour bar
    plt.close(fig)


def test_at_least_course_size_raises_only_the_texts_below_the_styles_smallest():
    with matplotlib.rc_context({"xtick.labelsize": 16, "ytick.labelsize": 17, "legend.fontsize": 18}):
        fig, ax = plt.subplots()
        small = ax.text(0, 0, "small", fontsize=9)
        large = ax.set_title("large", fontsize=20)
        at_style = ax.text(0, 1, "at the style", fontsize=16)
        ax.set_xticks([0, 1])
        raised = plots.at_least_course_size(fig)
    ticks = ax.get_xticklabels() + ax.get_yticklabels()
    # the 9-pt text goes up to 16 pt (the smallest of the three sizes), 20 and 16 pt stay as they are
    assert (small.get_fontsize(), large.get_fontsize(), at_style.get_fontsize()) == (16, 20, 16)
    assert all(t.get_fontsize() == 16 for t in ax.get_xticklabels())  # drawn at 16 already
    assert {t.get_fontsize() for t in ax.get_yticklabels()} == {17}  # y ticks at their own 17 pt
    assert raised == 1 and ticks
    plt.close(fig)


def test_at_least_course_size_reads_named_sizes():
    with matplotlib.rc_context({"font.size": 10, "xtick.labelsize": "large", "ytick.labelsize": 14,
                                "legend.fontsize": 14}):
        fig, ax = plt.subplots()
        text = ax.text(0, 0, "x", fontsize=5)
        plots.at_least_course_size(fig)
    assert text.get_fontsize() == 12  # "large" is 1.2 x font.size
    plt.close(fig)


def test_bottom_legend_keeps_its_columns_when_they_fit_and_grows_the_figure_when_not():
    from matplotlib.lines import Line2D

    def legend_of(labels):  # (columns, figure height in inches, legend box in pixels)
        fig = plt.figure(figsize=(4, 3), dpi=100, layout="constrained")
        fig.add_subplot()
        legend = plots.bottom_legend(fig, [Line2D([], [], label=label) for label in labels], ncols=3)
        found = legend._ncols, fig.get_figheight(), legend.get_window_extent(fig.canvas.get_renderer())
        plt.close(fig)
        return found

    ncols, height, _ = legend_of(["a", "b", "c"])
    assert ncols == 3 and height == 3, "three short labels: one row, the figure unchanged"
    # labels each wider than half the 400-px figure: no two fit side by side, so one column of three rows,
    # and the figure grows by exactly what those rows add to a one-row legend
    wide = ["a label long enough to fill the figure " + k for k in "xyz"]
    ncols, height, box = legend_of(wide)
    _, one_row_height, one_row = legend_of(wide[:1])
    assert one_row.width > 200 and one_row_height == 3
    assert ncols == 1 and box.width <= 400
    assert np.isclose((height - 3) * 100, box.height - one_row.height)


# ------------------------------------------------------------- hostile inputs: errors that say what is valid
def _square(names="abc", values=None):
    import pandas as pd

    values = np.eye(len(names)) if values is None else values
    return pd.DataFrame(values, index=list(names), columns=list(names))


@pytest.mark.parametrize("tables, kwargs, error, match", [
    ({}, {}, ValueError, "non-empty dict"),  # was matplotlib's "Number of columns must be a positive integer"
    ({"t": np.eye(2)}, {}, TypeError, "must be a DataFrame"),  # was AttributeError: no to_numpy
    ({"t": _square().iloc[:2]}, {}, ValueError, "must be square"),  # was drawn
    ({"t": _square(), "u": _square("cba")}, {}, ValueError, "share their rows"),  # was mislabelled (sharey)
    ({"t": _square(values=[[1, np.nan, 0], [0, 1, 0], [0, 0, 1]])}, {}, ValueError, "missing or infinite"),
    ({"t": _square().astype(object).where(_square() > 0, "n/a")}, {}, TypeError, "must hold numbers"),
    ({"t": _square()}, {"vmin": 1, "vmax": 0}, ValueError, "vmin must be below vmax"),
])
def test_annotated_heatmaps_refuses_tables_it_would_draw_wrong(tables, kwargs, error, match):
    with pytest.raises(error, match=match):
        plots.annotated_heatmaps(tables, **kwargs)


def test_shap_and_partial_dependence_refuses_mismatched_inputs_and_aligns_rows_by_index():
    import pandas as pd

    X = pd.DataFrame({"a": [1.0, 2.0, 3.0]}, index=[10, 11, 12])
    shap_values = pd.DataFrame({"a": [0.1, 0.2, 0.3]}, index=[10, 11, 12])
    grid, curves = {"a": [1.0, 3.0]}, {"m": {"a": [0.2, 0.4]}}
    cases = [((X, shap_values, {}, curves), ValueError, "non-empty dicts"),
             ((X, shap_values, grid, {}), ValueError, "non-empty dicts"),  # was an empty panel
             ((X, shap_values, {"zz": [1]}, {"m": {"zz": [1]}}), KeyError, "not a column of X; it has"),
             ((X, shap_values, grid, {"m": {"b": [1, 2]}}), KeyError, "curve 'm' has no values for 'a'"),
             ((X, shap_values, grid, {"m": {"a": [0.2]}}), ValueError, "one value per grid value"),
             ((X, shap_values.iloc[:2], grid, curves), ValueError, "2 rows for the 3 rows of X"),
             ((X, shap_values.to_numpy(), grid, curves), TypeError, "shap_values must be a DataFrame"),
             ((X, shap_values.set_axis([1, 2, 3]), grid, curves), ValueError, "other rows than X's")]
    for args, error, match in cases:
        with pytest.raises(error, match=match):
            plots.shap_and_partial_dependence(*args)
    with pytest.raises(ValueError, match="one '{}'"):
        plots.shap_and_partial_dependence(X, shap_values, grid, curves, shap_title="SHAP of {name}")
    # the same patients in another order are paired by index, not by position (they were mispaired)
    fig = plots.shap_and_partial_dependence(X, shap_values.iloc[::-1], grid, curves)
    assert np.allclose(fig.axes[0].collections[0].get_offsets(), [[1, 0.1], [2, 0.2], [3, 0.3]])
    plt.close(fig)


@pytest.mark.parametrize("rows, kwargs, match", [
    ([], {}, "non-empty list of rows"),  # was "max() arg is an empty sequence"
    ([[]], {}, "non-empty list of rows"),
    ([[np.full((4, 4), 255.0)]], {}, r"values from 255 to 255, expected values in \[0, 1\]"),  # was all white
    ([[np.full((4, 4), -0.5)]], {}, r"expected values in \[0, 1\]"),  # was all black
    ([[np.full((4, 4, 3), 200.0)]], {}, "or pass them as uint8"),  # was clipped with a warning
    ([[np.full((4, 4), np.nan)]], {}, "16 missing or infinite pixels"),  # was blank
    ([np.zeros((4, 4))], {}, r"each a list of images\) has shape \(4,\)"),  # a flat list of images
    ([[np.zeros((4, 4))]], {"row_labels": ["a", "b"]}, "one label per row"),  # the extra one was dropped
    ([[np.zeros((4, 4))], [np.zeros((4, 4))]], {"row_labels": ["a"]}, "one label per row"),  # IndexError
    ([[np.zeros((4, 4))] * 2, [np.zeros((4, 4))]], {"row_labels": "ab"}, "one label per row"),
    ([[np.zeros((4, 4))] * 2], {"titles": ["ab", "cd"]}, "list of rows of titles"),  # was 'a', 'b'
    ([[np.zeros((4, 4))]], {"titles": [["a", "b"]]}, "list of rows of titles"),  # 'b' was dropped
])
def test_image_grid_refuses_what_it_would_draw_wrong_or_drop(rows, kwargs, match):
    with pytest.raises(ValueError, match=match):
        plots.image_grid(rows, **kwargs)


@pytest.mark.parametrize("pictures, titles, shape, error, match", [
    ([np.zeros((4, 4))], [], (0, 2), ValueError, "two positive whole numbers"),  # matplotlib's error
    ([np.zeros((4, 4))], [], (-1, 2), ValueError, "two positive whole numbers"),  # misleading message
    ([np.zeros((4, 4))], [], 2, ValueError, "two positive whole numbers"),  # 'int' not subscriptable
    ([], [], (1, 2), ValueError, "pictures is empty"),  # was a blank figure
    ([np.zeros((4, 4))] * 2, "ab", (1, 2), TypeError, "got the string 'ab'"),  # was titled 'a', 'b'
    ([np.full((4, 4, 3), 200.0)], [], (1, 1), ValueError, "divide by 255"),  # was clipped to white
    ([np.zeros(4)], [], (1, 1), ValueError, r"shape \(4,\)"),
])
def test_picture_grid_refuses_what_it_would_draw_wrong(pictures, titles, shape, error, match):
    with pytest.raises(error, match=match):
        plots.picture_grid(pictures, titles, shape, figsize=(4, 2))


def test_picture_grid_takes_opencv_jet_colours_as_rgba():
    heat = plots.opencv_jet()(np.linspace(0, 1, 16).reshape(4, 4))  # (4, 4, 4) floats, notebook 12
    assert plots.picture_grid([heat], ["jet"], (1, 1), figsize=(2, 2)).axes[0].images


@pytest.mark.parametrize("change, match", [
    ({"size": 0}, "from 1 to 100"),  # was drawn: no squares
    ({"size": -20}, "from 1 to 100"),
    ({"peak": (90, 90)}, "peak must be .* inside the 100 x 100 photo"),  # was drawn off the photo
    ({"peak": 0}, "peak must be the .top, left. corner"),  # was "cannot unpack non-iterable int"
    ({"strong": (60, 60)}, r"for one square write \[\(top, left\)\]"),
    ({"drops_apart": []}, "non-empty list of finite drops"),  # was an empty histogram
    ({"drops_apart": [np.nan, 0.1]}, "1 not finite"),  # numpy's "autodetected range of [nan, nan]"
    ({"drop_peak": np.nan}, "drop_peak a finite drop"),  # the peak's line was missing
    ({"photo": np.full((100, 100, 3), 255.0)}, "divide by 255"),  # was clipped to white
])
def test_occlusion_test_refuses_squares_and_drops_it_cannot_draw(change, match):
    args = {"photo": np.zeros((100, 100, 3)), "size": 20, "peak": (10, 30), "best": (40, 50),
            "strong": [(0, 0)], "drops_apart": [0.1, 0.2], "drop_peak": 0.4, "class_name": "barbell"}
    with pytest.raises(ValueError, match=match):
        plots.occlusion_test(**{**args, **change})


def test_risk_map_refuses_surfaces_and_rows_it_would_draw_wrong_and_sorts_its_axes():
    import pandas as pd

    chol, bp = [150.0, 200.0, 250.0], [100.0, 120.0]
    surface = pd.DataFrame([[0.2, 0.5, 0.8], [0.3, 0.6, 0.9]], index=pd.Index(bp, name="trestbps"),
                           columns=pd.Index(chol, name="chol"))
    patient = pd.Series({"chol": 200.0, "trestbps": 110.0})
    points = pd.DataFrame({"chol": [160.0], "trestbps": [100.0]})
    cases = [((surface.rename_axis(index=None), patient, points), ValueError, "name the surface's axes"),
             ((surface * 100, patient, points), ValueError, "a percentage"),  # was all one colour
             ((surface.where(surface > 0.3), patient, points), ValueError, "2 missing"),  # was grey cells
             ((surface.iloc[:1], patient, points), ValueError, "at least 2 values"),
             ((surface, patient.drop("chol"), points), KeyError, r"patient has no \['chol'\]"),
             ((surface, patient.replace(200.0, np.nan), points), ValueError, "missing or infinite"),
             ((surface, patient, points[["chol"]]), KeyError, r"points has no \['trestbps'\]")]
    for (s, p, q), error, match in cases:
        with pytest.raises(error, match=match):
            plots.risk_map(s, None, p, q, title="t")
    # columns out of order were drawn as crossed cells; a one-row frame is the patient
    fig = plots.risk_map(surface[chol[::-1]], None, patient.to_frame().T, points, title="t")
    assert np.allclose(np.asarray(fig.axes[0].collections[0].get_array()).ravel(), surface.to_numpy().ravel())
    plt.close(fig)


def test_show_maps_and_show_columns_name_what_is_missing():
    m = np.random.default_rng(0).random((8, 8))
    with pytest.raises(ValueError, match="non-empty dict"):
        plots.show_maps({}, m, "t")  # was UnboundLocalError
    with pytest.raises(ValueError, match="need at least one of each"):
        plots.show_columns([], ["A"], "t")
    with pytest.raises(KeyError, match=r"column 'h' has no map for \['B'\]; it has \['A'\]"):
        plots.show_columns([("h", {"A": m}, False)], ["B"], "t")  # was KeyError: 'B'
    with pytest.raises(TypeError, match=r"write \['Gradient'\]"):
        plots.show_columns([("h", {"Gradient": m}, False)], "Gradient", "t")  # was KeyError: 'G'
    with pytest.raises(ValueError, match="each column is a tuple"):
        plots.show_columns([("h", {"A": m})], ["A"], "t")


def test_at_least_course_size_says_it_needs_a_figure():
    with pytest.raises(TypeError, match=r"pass plt.gcf\(\)"):
        plots.at_least_course_size(None)  # shap's bar plot returns None with show=False
