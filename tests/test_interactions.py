"""helpers.interactions against known answers: functions whose H-statistic is known in closed form,
scikit-learn's permutation importance and ROC AUC, planted correlated and duplicated columns."""

import itertools

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LogisticRegression

from helpers import interactions, models


@pytest.fixture(scope="module")
def bundle():
    return models.heart_forest()


def grid(*axes):
    """Every combination of the given values: features independent in the data, exactly."""
    names = [f"x{i + 1}" for i in range(len(axes))]
    return pd.DataFrame(list(itertools.product(*axes)), columns=names, dtype=float)


LEVELS = np.linspace(-1, 1, 5)  # mean 0, variance s2 = 0.5


def h_of(f, X, pair=("x1", "x2")):
    return interactions.h_statistic(lambda rows: f(rows), X, [pair]).loc[pair]


# ---------------------------------------------------------------- Friedman's H: known answers
def test_additive_function_has_no_interaction():
    X = grid(LEVELS, LEVELS, LEVELS)
    h = h_of(lambda r: r[:, 0] + r[:, 1] + r[:, 2], X)
    assert h["H2"] == pytest.approx(0, abs=1e-12) and h["joint_sd"] > 0


def test_asymmetric_additive_function_has_no_interaction():
    # catches PD_j and PD_k added along the wrong axes (a symmetric f would hide that mistake)
    X = grid(LEVELS, np.linspace(0, 2, 4), LEVELS)
    h = h_of(lambda r: r[:, 0] + 3 * r[:, 1] ** 2 + np.sin(r[:, 2]), X)
    assert h["H2"] == pytest.approx(0, abs=1e-12)


def test_additive_function_has_no_interaction_on_correlated_data_too():
    rng = np.random.default_rng(0)
    x1 = rng.normal(size=80)
    X = pd.DataFrame({"x1": x1, "x2": x1 + 0.3 * rng.normal(size=80), "x3": rng.normal(size=80)})
    h = h_of(lambda r: np.sin(r[:, 0]) + r[:, 1] ** 3 + r[:, 0] * r[:, 2], X)
    assert h["H2"] == pytest.approx(0, abs=1e-12)


def test_pure_product_of_centred_symmetric_inputs_is_all_interaction():
    X = grid(LEVELS, LEVELS, LEVELS)
    h = h_of(lambda r: r[:, 0] * r[:, 1] + 0 * r[:, 2], X)
    assert h["H2"] == pytest.approx(1, abs=1e-12) and h["H"] == pytest.approx(1, abs=1e-12)


@pytest.mark.parametrize("c", [0.5, 2.0, 5.0])
def test_partial_interaction_matches_its_analytic_value(c):
    # f = x1 + x2 + c x1 x2 + x3 with independent zero-mean x1, x2 of variance s2:
    # PD_12 = x1 + x2 + c x1 x2, PD_1 = x1, PD_2 = x2, so H2 = c^2 s2^2 / (2 s2 + c^2 s2^2)
    X = grid(LEVELS, LEVELS, LEVELS)
    s2 = LEVELS.var()
    table = interactions.h_statistic(lambda r: r[:, 0] + r[:, 1] + c * r[:, 0] * r[:, 1] + r[:, 2], X,
                                     [("x1", "x2"), ("x1", "x3"), ("x2", "x3")])
    expected = c ** 2 * s2 ** 2 / (2 * s2 + c ** 2 * s2 ** 2)
    assert table.loc[("x1", "x2"), "H2"] == pytest.approx(expected, rel=1e-12)
    assert table.loc[("x1", "x2"), "interaction_sd"] == pytest.approx(c * s2, rel=1e-12)
    assert table.loc[("x1", "x3"), "H2"] == pytest.approx(0, abs=1e-12)
    assert table.loc[("x2", "x3"), "H2"] == pytest.approx(0, abs=1e-12)
    if c == 2.0:  # s2 = 0.5: exactly half of the joint effect's variance is interaction
        assert table.loc[("x1", "x2"), "H2"] == pytest.approx(0.5, rel=1e-12)


def test_h2_exceeds_one_where_the_joint_effect_is_small():
    # x2 is x1 plus a little noise and f = x1 x2 - x1^2 is tiny on the data (x1 (x2 - x1)), while each
    # feature's own PD is not: the normalised statistic blows up, the un-normalised one stays readable
    rng = np.random.default_rng(1)
    x1 = rng.normal(size=60)
    X = pd.DataFrame({"x1": x1, "x2": x1 + 0.05 * rng.normal(size=60)})
    h = h_of(lambda r: r[:, 0] * r[:, 1] - r[:, 0] ** 2, X)
    assert h["H2"] > 1 and h["interaction_sd"] > h["joint_sd"]


def test_no_joint_effect_gives_nan_not_an_error():
    X = grid(LEVELS, LEVELS, LEVELS)
    h = h_of(lambda r: r[:, 2], X)
    assert np.isnan(h["H2"]) and h["interaction_sd"] == pytest.approx(0, abs=1e-12)


def test_centred_pd_matches_a_brute_force_loop_on_the_forest(bundle):
    X = bundle.X_test.iloc[:25]
    predict = interactions.prediction_function(bundle.forest)
    fast = interactions.centred_partial_dependence(predict, X, ["ca", ("ca", "thalach")])
    for features in [("ca",), ("ca", "thalach")]:
        slow = []
        for i in range(len(X)):  # every data point, every background row, no sharing of equal values
            modified = X.copy()
            for f in features:
                modified[f] = X[f].iloc[i]
            slow.append(bundle.forest.predict_proba(modified)[:, 1].mean())
        slow = np.array(slow) - np.mean(slow)
        assert np.allclose(fast[features], slow, atol=1e-12)


def test_h_statistic_bad_input(bundle):
    with pytest.raises(ValueError, match="two different features"):
        interactions.h_statistic(bundle.forest, bundle.X_test, [("ca", "ca")])
    with pytest.raises(KeyError, match="valid names"):
        interactions.h_statistic(bundle.forest, bundle.X_test, [("ca", "heart_rate")])
    with pytest.raises(TypeError, match="DataFrame"):
        interactions.h_statistic(bundle.forest, bundle.X_test.to_numpy(), [("ca", "thalach")])
    with pytest.raises(ValueError, match="'probability' or 'raw'"):
        interactions.h_statistic(bundle.forest, bundle.X_test, [("ca", "thalach")], output="log-odds")



# ---------------------------------------------------------------- permutation importance




# ---------------------------------------------------------------- drop-column importance
def planted(n=300, seed=0):
    rng = np.random.default_rng(seed)
    signal = rng.normal(size=n)
    X = pd.DataFrame({"signal": signal, "copy": signal + 0.01 * rng.normal(size=n),
                      "noise": rng.normal(size=n)})
    y = pd.Series((signal + 0.5 * rng.normal(size=n) > 0).astype(int))
    return X.iloc[:200], y.iloc[:200], X.iloc[200:], y.iloc[200:]


def logistic(X, y, random_state=0):
    return LogisticRegression(random_state=random_state).fit(X, y)


def test_drop_column_finds_signal_only_when_its_copy_goes_too():
    X_tr, y_tr, X_te, y_te = planted()
    table = interactions.drop_column_importance(logistic, X_tr, y_tr, X_te, y_te,
                                                groups=["signal", "copy", "noise", ["signal", "copy"]],
                                                seeds=[0, 1])
    mean = table.mean(axis=1)
    assert list(table.columns) == [0, 1]
    assert abs(mean["signal"]) < 0.01 and abs(mean["copy"]) < 0.01 and abs(mean["noise"]) < 0.02
    assert mean["signal+copy"] > 0.3


def test_drop_column_bad_input():
    X_tr, y_tr, X_te, y_te = planted()
    with pytest.raises(ValueError, match="same columns"):
        interactions.drop_column_importance(logistic, X_tr, y_tr, X_te[["noise", "signal", "copy"]], y_te)
    with pytest.raises(ValueError, match="at least one seed"):
        interactions.drop_column_importance(logistic, X_tr, y_tr, X_te, y_te, seeds=[])


# ---------------------------------------------------------------- correlation clusters
def test_planted_correlated_blocks_are_recovered():
    rng = np.random.default_rng(0)
    a, b = rng.normal(size=(2, 200))
    X = pd.DataFrame({"a": a, "b": b, "a2": a + 0.3 * rng.normal(size=200), "c": rng.normal(size=200),
                      "b2": -b + 0.3 * rng.normal(size=200)})  # a negative correlation clusters too
    clusters, linkage, rho = interactions.correlation_clusters(X, threshold=0.5)
    assert clusters == [["a", "a2"], ["b", "b2"], ["c"]]
    assert linkage.shape == (4, 4) and rho.loc["b", "b2"] < -0.8
    with pytest.raises(ValueError, match="threshold"):
        interactions.correlation_clusters(X, threshold=0)
    with pytest.raises(ValueError, match="constant"):
        interactions.correlation_clusters(X.assign(k=1.0))


# ---------------------------------------------------------------- association of nominal features
def test_correlation_ratio_and_cramers_v_match_their_definitions():
    rng = np.random.default_rng(2)
    group = rng.integers(0, 3, 300)
    X = pd.DataFrame({"g": group, "y": group * 1.0 + rng.normal(size=300),
                      "h": (group + rng.integers(0, 2, 300)) % 3})
    assoc = interactions.association_matrix(X, nominal=["g", "h"])
    # eta^2: between-group sum of squares over the total, computed with pandas' groupby
    y = X["y"]
    between = X.groupby("g")["y"].apply(lambda v: len(v) * (v.mean() - y.mean()) ** 2).sum()
    assert assoc.loc["g", "y"] == pytest.approx(np.sqrt(between / ((y - y.mean()) ** 2).sum()), rel=1e-12)
    # Cramer's V from scipy's chi-squared test of the contingency table (no continuity correction)
    from scipy.stats import chi2_contingency
    chi2 = chi2_contingency(pd.crosstab(X["g"], X["h"]), correction=False)[0]
    assert assoc.loc["g", "h"] == pytest.approx(np.sqrt(chi2 / (300 * 2)), rel=1e-12)
    assert assoc.loc["h", "g"] == assoc.loc["g", "h"]


def test_nominal_association_does_not_depend_on_the_codes(bundle):
    from helpers import data

    X = bundle.X_train
    X_kaggle = data.to_kaggle_coding(X, bundle.y_train)[0]
    nominal = ["cp", "restecg", "thal"]
    clusters, _, assoc = interactions.correlation_clusters(X, 0.75, nominal=nominal)
    clusters_k, _, assoc_k = interactions.correlation_clusters(X_kaggle, 0.75, nominal=nominal)
    assert clusters == clusters_k and np.allclose(assoc.abs(), assoc_k.abs(), atol=1e-12)
    # Spearman on the codes is not invariant: the sex + thal cluster depends on the numbering
    assert ["sex", "thal"] in interactions.correlation_clusters(X, 0.75)[0]
    assert ["sex", "thal"] not in interactions.correlation_clusters(X_kaggle, 0.75)[0]


def test_a_binary_against_a_nominal_feature_gets_phi_either_way():
    rng = np.random.default_rng(3)
    g = rng.integers(0, 4, 200)
    X = pd.DataFrame({"g": g, "b": (g + rng.integers(0, 3, 200) > 3).astype(int)})
    as_eta = interactions.association_matrix(X, nominal=["g"]).loc["g", "b"]
    as_v = interactions.association_matrix(X, nominal=["g", "b"]).loc["g", "b"]
    assert as_eta == pytest.approx(as_v, rel=1e-12)


def test_association_bad_input():
    X = pd.DataFrame({"a": [1, 2, 3, 4], "b": [1, 1, 2, 2]})
    with pytest.raises(KeyError, match="valid names"):
        interactions.association_matrix(X, nominal=["c"])
    with pytest.raises(ValueError, match="constant"):
        interactions.association_matrix(X.assign(k=1), nominal=["b"])


# ---------------------------------------------------------------- figures of notebook 06
def test_plot_clusters_orders_the_matrix_as_the_dendrogram_and_greys_what_is_above_the_cut():
    import matplotlib
    import matplotlib.pyplot as plt
    from scipy.cluster import hierarchy
    from scipy.spatial.distance import squareform

    matplotlib.use("Agg")
    names = ["a", "c", "b", "d"]  # pairs a-b (0.9) and c-d (0.8); across the pairs 0.1
    assoc = pd.DataFrame(0.1, index=names, columns=names)
    for x, y, value in [("a", "b", 0.9), ("c", "d", -0.8), *((n, n, 1.0) for n in names)]:
        assoc.loc[x, y] = assoc.loc[y, x] = value
    distance = 1 - assoc.abs().to_numpy()
    np.fill_diagonal(distance, 0)
    linkage = hierarchy.linkage(squareform(distance), method="average")
    fig, order = interactions.plot_clusters(linkage, assoc, threshold=0.5)
    dendrogram_ax, matrix_ax = fig.axes[:2]
    assert {frozenset(order[:2]), frozenset(order[2:])} == {frozenset("ab"), frozenset("cd")}
    shown = matrix_ax.images[0].get_array()
    assert np.allclose(shown, assoc.abs().loc[order, order].to_numpy())  # |.|: -0.8 shows as 0.8
    assert matrix_ax.images[0].origin == "lower"  # row k of the matrix beside leaf k, counted from below
    assert [t.get_text() for t in matrix_ax.get_xticklabels()] == order
    assert [t.get_text() for t in dendrogram_ax.get_yticklabels()] == order
    cut = [line for line in dendrogram_ax.lines if line.get_linestyle() == "--"]
    assert len(cut) == 1 and np.allclose(cut[0].get_xdata(), 0.5)
    # the two merges below the cut (heights 0.1 and 0.2) are coloured, the merge at 0.9 is grey
    colours = {round(max(path.vertices[:, 0]), 6): tuple(colour)
               for links in dendrogram_ax.collections
               for path, colour in zip(links.get_paths(), links.get_colors())}
    grey = matplotlib.colors.to_rgba("lightgrey")
    assert colours[0.9] == grey and grey not in (colours[0.1], colours[0.2])
    plt.close(fig)


def test_plot_score_and_movement_draws_the_values_top_down_with_their_error_bars():
    import matplotlib
    import matplotlib.pyplot as plt

    matplotlib.use("Agg")
    score = pd.DataFrame({"permutation": [0.01, 0.05], "drop-column": [0.02, -0.01]}, index=["f", "group"])
    error = pd.DataFrame({"permutation": [0.003, 0.004], "drop-column": [0.03, 0.02]}, index=score.index)
    moves = pd.DataFrame({"mean |SHAP|": [0.04, 0.02, 0.01]}, index=["f", "g", "h"])
    fig = interactions.plot_score_and_movement(score, error, moves)
    left, right = fig.axes
    legends = [subfigure.legends[0] for subfigure in fig.subfigs]
    for ax, legend, frame in [(left, legends[0], score), (right, legends[1], moves)]:
        widths = [round(p.get_width(), 6) for p in ax.patches]
        assert widths == [round(v, 6) for column in frame for v in frame[column]]  # column by column
        # inverted y axis: the first row on top
        assert ax.yaxis_inverted() and [t.get_text() for t in ax.get_yticklabels()] == list(frame.index)
        assert [lab.get_text() for lab in legend.get_texts()] == list(frame.columns)
    # each error bar spans value +- half-width
    segments = [seg for coll in left.collections if hasattr(coll, "get_segments")
                for seg in coll.get_segments()]
    spans = sorted(round(abs(seg[1][0] - seg[0][0]) / 2, 6) for seg in segments if seg[0][1] == seg[1][1])
    assert spans == sorted(round(v, 6) for v in error.to_numpy().ravel())
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    for ax, legend in zip(fig.axes, legends):  # each legend under its chart's x label, inside the figure
        below = legend.get_window_extent(renderer)
        assert below.y1 < ax.xaxis.label.get_window_extent(renderer).y0 and below.y0 >= 0
        assert ax.get_window_extent().x0 < below.x1 and below.x0 < ax.get_window_extent().x1
    plt.close(fig)


# ---------------------------------------------------------------- data and figures of notebook 07
def test_planted_interaction_has_its_interaction_its_correlated_copy_and_its_seed():
    X, y = interactions.planted_interaction(200_000, random_state=3)
    again, y_again = interactions.planted_interaction(200_000, random_state=3)
    assert list(X.columns) == ["x1", "x2", "x3", "x4"] and X.equals(again) and y.equals(y_again)
    assert np.isclose(X["x3"].corr(X["x4"]), 1 / np.sqrt(1.25), atol=0.01)  # sd(x4 - x3) = 0.5
    assert np.isclose(X["x1"].corr(X["x3"]), 0, atol=0.03)
    # logit = 2 x1 x2 + x3: where x1 x2 > 1 and x3 is near 0, P(y = 1) > logistic(2) = 0.88 on average;
    # where x1 x2 < -1, below 0.12; and x3 alone moves it as logistic(x3) does
    calm = X["x3"].abs() < 0.2
    product = X["x1"] * X["x2"]
    assert y[calm & (product > 1)].mean() > 0.88 and y[calm & (product < -1)].mean() < 0.12
    flat = product.abs() < 0.05
    assert np.isclose(y[flat & X["x3"].between(0.9, 1.1)].mean(), 1 / (1 + np.exp(-1)), atol=0.04)


def test_scatter_interaction_puts_each_group_in_its_colour_with_its_count():
    import matplotlib
    import matplotlib.pyplot as plt

    matplotlib.use("Agg")
    x = pd.Series([100.0, 120.0, 140.0, 160.0, 180.0], name="thalach")
    by = pd.Series([0, 1, 0, 3, 0], name="ca")
    values = pd.Series([0.01, -0.02, 0.03, -0.04, 0.05])
    fig = interactions.scatter_interaction(values, x, by, "heart rate", "vessels")
    ax = fig.axes[0]
    points = [c.get_offsets() for c in ax.collections]
    assert np.allclose(points[0], [[100, 0.01], [140, 0.03], [180, 0.05]])
    assert np.allclose(points[1], [[120, -0.02]]) and np.allclose(points[2], [[160, -0.04]])
    assert len({tuple(c.get_facecolor()[0]) for c in ax.collections}) == 3
    legend = ax.get_legend()
    assert [t.get_text() for t in legend.get_texts()] == ["ca = 0 (3 patients)", "ca = 1 (1 patients)",
                                                          "ca = 3 (1 patients)"]
    assert legend.get_title().get_text() == "vessels" and ax.get_xlabel() == "heart rate"
    assert "j = ca, k = thalach" in ax.get_ylabel() and "ca x thalach" in ax.get_title()
    plt.close(fig)


def test_plot_h_against_shap_names_the_chosen_pairs_in_order_and_labels_the_annotated():
    import matplotlib
    import matplotlib.pyplot as plt

    matplotlib.use("Agg")
    index = pd.MultiIndex.from_tuples([("a", "b"), ("a", "c"), ("b", "c"), ("c", "d")])
    h = pd.DataFrame({"H2": [0.04, 0.01, 0.0, 0.09], "H": [0.2, 0.1, 0.0, 0.3],
                      "interaction_sd": [0.02, 0.01, 0.0, 0.005], "joint_sd": [0.1, 0.1, 0.1, 0.02],
                      "mean |SHAP interaction|": [0.03, 0.02, 0.001, 0.004]}, index=index)
    named = [("a", "b"), ("c", "d")]
    fig = interactions.plot_h_against_shap(h, named, annotated=[("c", "d")])
    left, right = fig.axes
    assert left.get_legend_handles_labels()[1] == ["other pairs", "a x b", "c x d"]
    for ax, column in [(left, "interaction_sd"), (right, "H")]:
        grey, *pairs = ax.collections
        unnamed = h.loc[[("a", "c"), ("b", "c")], ["mean |SHAP interaction|", column]]
        assert np.allclose(grey.get_offsets(), unnamed)
        assert [tuple(c.get_offsets()[0]) for c in pairs] == \
            [tuple(h.loc[p, ["mean |SHAP interaction|", column]]) for p in named]
    (note,) = left.texts
    assert note.get_text() == "c x d" and np.allclose(note.xy, (0.004, 0.005)) and not right.texts
    assert fig.get_suptitle().startswith("4 pairs:")
    plt.close(fig)
    with pytest.raises(ValueError, match="at most 9"):
        interactions.plot_h_against_shap(h, [("a", "b")] * 10)


# ---------------------------------------------------------------- hostile inputs of the figure helpers
def test_plot_clusters_refuses_an_association_in_another_order_than_its_linkage(bundle):
    _, linkage, association = interactions.correlation_clusters(bundle.X_test)
    reordered = association.loc[association.columns[::-1], association.columns[::-1]]
    with pytest.raises(ValueError, match="does not fit the association"):  # leaves were silently misnamed
        interactions.plot_clusters(linkage, reordered)
    with pytest.raises(ValueError, match="pass the second and third outputs"):
        interactions.plot_clusters(linkage, association.iloc[:5, :5])  # scipy's "Dimensions of Z and labels"
    with pytest.raises(ValueError, match="threshold is a distance"):
        interactions.plot_clusters(linkage, association, threshold=-1)  # was a cut off the chart


def test_plot_score_and_movement_refuses_errors_that_do_not_match_the_scores():
    score = pd.DataFrame({"a": [0.1, 0.2], "b": [0.05, 0.0]}, index=["x", "y"])
    cases = [(score / 10).iloc[:1],  # the bar of y had no error bar
             (score / 10).set_axis(["p", "q"], axis=1),  # no error bars at all
             -score,  # matplotlib's "'xerr' must not contain negative values"
             (score / 10).where(score > 0.1)]  # missing bars
    for error in cases:
        with pytest.raises(ValueError, match="score_error"):
            interactions.plot_score_and_movement(score, error, score)
    with pytest.raises(ValueError, match="score is empty"):  # pandas' IndexError
        interactions.plot_score_and_movement(score.iloc[:0], score.iloc[:0], score.iloc[:0])


@pytest.mark.parametrize("n", [0, -5, 2.5])
def test_planted_interaction_needs_a_whole_number_of_rows(n):
    with pytest.raises(ValueError, match="a whole number of at least 1"):  # 0 gave an empty frame
        interactions.planted_interaction(n, random_state=0)


def test_scatter_interaction_pairs_values_with_rows_by_index_and_refuses_missing_ones():
    x = pd.Series([1.0, 2.0, 3.0], index=[10, 11, 12], name="thalach")
    by = pd.Series([0, 1, 0], index=[10, 11, 12], name="ca")
    values = pd.Series([0.1, 0.2, 0.3], index=[10, 11, 12])
    fig = interactions.scatter_interaction(values.iloc[::-1], x, by, "x", "t")  # was paired by position
    points = np.vstack([c.get_offsets() for c in fig.axes[0].collections])
    assert sorted(map(tuple, points)) == [(1.0, 0.1), (2.0, 0.2), (3.0, 0.3)]
    with pytest.raises(ValueError, match="2 labels for 3 rows"):  # pandas' "Boolean index has wrong length"
        interactions.scatter_interaction(values.iloc[:2], x, by, "x", "t")
    with pytest.raises(ValueError, match="by has missing values"):  # those rows were dropped
        interactions.scatter_interaction(values, x, by.where(by > 0), "x", "t")
    with pytest.raises(TypeError, match="by must be a named Series"):  # no attribute 'unique'
        interactions.scatter_interaction(values, x, by.to_numpy(), "x", "t")
    with pytest.raises(ValueError, match="no rows to draw"):
        interactions.scatter_interaction(values.iloc[:0], x.iloc[:0], by.iloc[:0], "x", "t")
    named = interactions.scatter_interaction(values, x, by.map({0: "none", 1: "one"}), "x", "t")
    labels = named.axes[0].get_legend_handles_labels()[1]
    assert "ca = none (2 patients)" in labels  # was "Unknown format code 'g' for object of type 'str'"


def test_plot_h_against_shap_names_a_pair_it_does_not_have():
    index = pd.MultiIndex.from_tuples([("age", "sex"), ("age", "cp"), ("sex", "cp")])
    h = pd.DataFrame({"H2": [0.01, 0.04, 0.09], "H": [0.1, 0.2, 0.3],
                      "interaction_sd": [0.01, 0.02, 0.03], "mean |SHAP|": [0.1, 0.2, 0.3]}, index=index)
    with pytest.raises(KeyError, match=r"did you mean \('age', 'sex'\)"):
        interactions.plot_h_against_shap(h, [("sex", "age")])  # pandas' KeyError: ('sex', 'age')
    with pytest.raises(KeyError, match="'age' is not a pair"):  # one tuple, not a list: drew 'a x g x e'
        interactions.plot_h_against_shap(h, ("age", "sex"))
    with pytest.raises(ValueError, match="3 pairs to annotate and 2 offsets"):  # one was not labelled
        interactions.plot_h_against_shap(h, [], annotated=list(index))
    with pytest.raises(ValueError, match="last column must be the mean"):  # drew H2 as the SHAP axis
        interactions.plot_h_against_shap(h[["mean |SHAP|", "H", "interaction_sd", "H2"]], [])
