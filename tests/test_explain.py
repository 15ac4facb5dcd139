import numpy as np
import pandas as pd
import pytest
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.inspection import permutation_importance as sk_permutation_importance
from sklearn.metrics import roc_auc_score

from helpers import data, explain, models


@pytest.fixture(scope="module")
def bundle():
    return models.heart_forest()


def test_add_noise_column(bundle):
    X = explain.add_noise_column(bundle.X_test, random_state=3)
    assert list(X.columns) == [*bundle.feature_names, "noise"] and "noise" not in bundle.X_test
    assert np.array_equal(X["noise"], explain.add_noise_column(bundle.X_test, random_state=3)["noise"])
    with pytest.raises(ValueError, match="already exists"):
        explain.add_noise_column(X)


def test_proba_of_frame_accepts_arrays(bundle):
    f = explain.proba_of_frame(bundle.forest, bundle.feature_names)
    assert np.allclose(f(bundle.X_test.to_numpy()), bundle.forest.predict_proba(bundle.X_test))


def test_top_k_and_rank_agreement():
    a = pd.Series({"x": 3.0, "y": 2.0, "z": 1.0, "w": 1.0})
    assert explain.top_k(a, 2) == ["x", "y"] and explain.top_k(a, 4)[-2:] == ["w", "z"]
    with pytest.raises(ValueError, match="k must be between"):
        explain.top_k(a, 0)
    same = explain.rank_agreement(a, a * 10, k=2)
    assert np.isclose(same["spearman"], 1.0) and same["top2_overlap"] == 1.0
    with pytest.raises(KeyError, match="valid names"):
        explain.rank_agreement(a, pd.Series({"x": 1.0, "y": 2.0, "z": 3.0, "q": 4.0}))


def test_lime_explainer_and_weights(bundle):
    explainer = explain.lime_explainer(bundle.X_train, random_state=0)
    assert explainer.class_names == ["no disease", "disease"]
    predict = explain.proba_of_frame(bundle.forest, bundle.feature_names)
    exp = explainer.explain_instance(bundle.X_test.to_numpy()[0], predict, num_features=4, num_samples=500)
    weights = explain.lime_weights(exp, bundle.feature_names)
    assert list(weights.index) == bundle.feature_names and (weights != 0).sum() == 4
    # categorical features are explained as "feature=code"; a categorical feature must never appear binned
    # ("ca <= 0.00"), so look for every categorical name in every rule, whatever its form
    rules = [name for name, _ in exp.as_list()]
    categorical_rules = [r for r in rules if any(r.startswith(c + "=") or r.split(" ")[0] == c or
                                                 f" {c} " in f" {r} " for c in data.CATEGORICAL)]
    assert categorical_rules, f"this explanation should mention a categorical feature: {rules}"
    assert all(r.split("=")[0] in data.CATEGORICAL and "<" not in r and ">" not in r
               for r in categorical_rules), categorical_rules
    again = explain.lime_explainer(bundle.X_train, random_state=0).explain_instance(
        bundle.X_test.to_numpy()[0], predict, num_features=4, num_samples=500)
    assert again.as_list() == exp.as_list()


def test_lime_explainer_passes_the_feature_selection_on(bundle):
    predict = explain.proba_of_frame(bundle.forest, bundle.feature_names)
    fast = explain.lime_explainer(bundle.X_train, random_state=0, feature_selection="highest_weights")
    assert fast.feature_selection == "highest_weights"
    exp = fast.explain_instance(bundle.X_test.to_numpy()[0], predict, num_features=4, num_samples=500)
    assert (explain.lime_weights(exp, bundle.feature_names) != 0).sum() == 4


def test_lime_weights_match_features_by_name_not_position(bundle):
    explainer = explain.lime_explainer(bundle.X_train, random_state=0)
    predict = explain.proba_of_frame(bundle.forest, bundle.feature_names)
    exp = explainer.explain_instance(bundle.X_test.to_numpy()[0], predict, num_features=4, num_samples=500)
    in_order = explain.lime_weights(exp, bundle.feature_names)
    shuffled_names = list(reversed(bundle.feature_names))
    reordered = explain.lime_weights(exp, shuffled_names)
    assert list(reordered.index) == shuffled_names
    assert reordered.reindex(bundle.feature_names).equals(in_order), "each weight stays on its own feature"
    by_lime = {name.split(" ")[0].split("=")[0]: w for name, w in exp.as_list()}
    for name in in_order[in_order != 0].index:
        assert any(name in key for key in by_lime), name
    with pytest.raises(KeyError, match=r"unknown feature name\(s\) \['cholesterol'\]"):
        explain.lime_weights(exp, ["cholesterol"])
    with pytest.raises(KeyError, match="no weights for label 0"):
        explain.lime_weights(exp, bundle.feature_names, label=0)


def test_numpy_arrays_where_a_dataframe_is_expected_say_so(bundle):
    array = bundle.X_train.to_numpy()
    with pytest.raises(TypeError, match=r"X_train must be a pandas DataFrame.*pd.DataFrame\(array, columns="):
        explain.lime_explainer(array)
    with pytest.raises(TypeError, match="must be a pandas DataFrame"):
        explain.add_noise_column(array)
    with pytest.raises(TypeError, match="must be a pandas DataFrame"):
        data.fill_missing(array)
    with pytest.raises(TypeError, match="a must be a pandas Series"):
        explain.rank_agreement(np.arange(3.0), pd.Series([1.0, 2.0, 3.0]))


# ---------------------------------------------------------------- batched scoring and permutation importance
def test_prediction_function_outputs(bundle):
    gbm = GradientBoostingClassifier(n_estimators=20, random_state=0).fit(bundle.X_train, bundle.y_train)
    rows = bundle.X_test.to_numpy()
    raw = explain.prediction_function(gbm, "raw")(rows)
    proba = explain.prediction_function(gbm)(rows)
    assert np.allclose(raw, gbm.decision_function(bundle.X_test))
    assert np.allclose(proba, 1 / (1 + np.exp(-raw)))


def test_single_features_reproduce_scikit_learn_exactly(bundle):
    ours = explain.permutation_importance(bundle.forest, bundle.X_test, bundle.y_test, n_repeats=5,
                                               random_state=3)
    sk = sk_permutation_importance(bundle.forest, bundle.X_test, bundle.y_test, scoring="roc_auc",
                                   n_repeats=5, random_state=3)
    assert list(ours.importances.index) == bundle.feature_names
    assert np.allclose(ours.importances.to_numpy(), sk.importances, atol=1e-12)
    assert np.allclose(ours.std, sk.importances_std, atol=1e-12)


def test_a_group_is_shuffled_jointly():
    # x2 is a copy of x1 and the model uses their difference: shuffling both with the same row order
    # leaves every prediction unchanged; shuffling one of them alone does not
    rng = np.random.default_rng(0)
    x1, x3 = rng.normal(size=50), rng.normal(size=50)
    X = pd.DataFrame({"x1": x1, "x2": x1.copy(), "x3": x3})
    y = (x3 > 0).astype(int)

    def predict(rows):
        return 1 / (1 + np.exp(-(rows[:, 0] - rows[:, 1] + rows[:, 2])))

    result = explain.permutation_importance(predict, X, y, groups={"pair": ["x1", "x2"], "x1": "x1"},
                                                 n_repeats=4)
    assert result.prediction_change["pair"] == pytest.approx(0, abs=1e-15)
    assert (result.importances.loc["pair"] == 0).all()
    assert result.prediction_change["x1"] > 0.1


def test_group_names_and_bad_groups(bundle):
    X, y = bundle.X_test, bundle.y_test
    result = explain.permutation_importance(bundle.forest, X, y, groups=[["oldpeak", "slope"], "ca"],
                                                 n_repeats=2)
    assert list(result.mean.index) == ["oldpeak+slope", "ca"]
    with pytest.raises(KeyError, match="valid names"):
        explain.permutation_importance(bundle.forest, X, y, groups=["pulse"])
    with pytest.raises(ValueError, match="empty"):
        explain.permutation_importance(bundle.forest, X, y, groups={"none": []})
    with pytest.raises(TypeError, match="DataFrame"):
        explain.permutation_importance(bundle.forest, X.to_numpy(), y)


def test_auc_rows_equals_sklearn_with_ties():
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, size=(50, 40))
    scores = rng.integers(0, 5, size=(50, 40)) / 4  # many ties
    expected = [roc_auc_score(y[i], scores[i]) for i in range(50)]
    assert np.allclose(explain.auc_rows(y, scores), expected, atol=1e-12)


def test_auc_rows_known_answers_and_broadcast():
    y = np.array([0, 0, 1, 1])
    assert explain.auc_rows(y, [0.1, 0.2, 0.8, 0.9]) == 1.0
    assert explain.auc_rows(y, [0.9, 0.8, 0.2, 0.1]) == 0.0
    assert explain.auc_rows(y, [0.5, 0.5, 0.5, 0.5]) == 0.5
    rows = explain.auc_rows(y, np.array([[0.1, 0.2, 0.8, 0.9], [0.9, 0.8, 0.2, 0.1]]))
    assert rows.tolist() == [1.0, 0.0]


@pytest.mark.parametrize("y,scores,message", [
    ([1, 1, 1], [0.1, 0.2, 0.3], "both classes"),
    ([0, 2, 1], [0.1, 0.2, 0.3], "0/1"),
    ([0, 1], [0.1, 0.2, 0.3], "do not match"),
    ([0, 1], 0.3, "single number"),
])
def test_auc_rows_says_what_is_wrong(y, scores, message):
    with pytest.raises(ValueError, match=message):
        explain.auc_rows(y, scores)


def test_permutation_importance_known_answers():
    rng = np.random.default_rng(0)
    X = pd.DataFrame({"a": rng.normal(size=200), "b": rng.normal(size=200)})
    y = (X["a"] > 0).astype(int)

    def only_a(rows):  # a perfect ranker that never reads b
        return 1 / (1 + np.exp(-5 * rows[:, 0]))

    result = explain.permutation_importance(only_a, X, y, n_repeats=20, random_state=0)
    assert result.importances.shape == (2, 20) and list(result.importances.index) == ["a", "b"]
    assert (result.importances.loc["b"] == 0).all() and result.prediction_change["b"] == 0
    # a perfect ranker loses everything: the shuffled AUC scatters around 0.5
    assert abs(result.mean["a"] - 0.5) < 0.05
    again = explain.permutation_importance(only_a, X, y, n_repeats=20, random_state=0)
    assert result.importances.equals(again.importances)


def test_permutation_importance_errors(bundle):
    with pytest.raises(TypeError, match="DataFrame"):
        explain.permutation_importance(bundle.forest, bundle.X_test.to_numpy(), bundle.y_test)
    with pytest.raises(ValueError, match="10 labels for 61 rows"):
        explain.permutation_importance(bundle.forest, bundle.X_test, bundle.y_test[:10])
    with pytest.raises(ValueError, match="n_repeats"):
        explain.permutation_importance(bundle.forest, bundle.X_test, bundle.y_test, n_repeats=0)


# ---------------------------------------------------------------- notebook 05: four global importances
@pytest.fixture(scope="module")
def planted():
    """A label that is column "signal" > 0, two pure-noise columns, and a stump and a forest fitted on it."""
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.tree import DecisionTreeClassifier

    rng = np.random.default_rng(0)
    X = pd.DataFrame(rng.normal(size=(120, 3)), columns=["signal", "noise_a", "noise_b"])
    y = pd.Series((X["signal"] > 0).astype(int))
    stump = DecisionTreeClassifier(max_depth=1, random_state=0).fit(X, y)
    forest = RandomForestClassifier(n_estimators=20, max_depth=3, random_state=0).fit(X[:90], y[:90])
    return X, y, stump, forest


def test_mean_abs_shap_of_a_stump_is_known(planted):
    X, _, stump, _ = planted
    result = explain.mean_abs_shap(stump, X)
    # one split on "signal": every other feature gets exactly 0, and "signal" gets each row's distance
    # from the average prediction (the stump's whole output)
    p = stump.predict_proba(X)[:, 1]
    assert list(result.index) == ["signal", "noise_a", "noise_b"]
    assert result["noise_a"] == 0 and result["noise_b"] == 0
    assert np.isclose(result["signal"], np.abs(p - p.mean()).mean())


def test_mean_abs_lime_averages_lime_weights_in_row_order(planted):
    X, _, _, forest = planted
    rows = X[90:96]
    result = explain.mean_abs_lime(forest, X[:90], rows, random_state=3, num_samples=300)
    explainer = explain.lime_explainer(X[:90], random_state=3)  # the same draws, row after row
    predict = explain.proba_of_frame(forest, list(X.columns))
    by_hand = np.mean([explain.lime_weights(explainer.explain_instance(
        row, predict, num_features=3, num_samples=300), list(X.columns)).abs() for row in rows.to_numpy()],
        axis=0)
    assert np.allclose(result.to_numpy(), by_hand) and list(result.index) == list(X.columns)
    assert result.idxmax() == "signal"


def test_global_importances_match_their_libraries_and_find_the_signal(planted):
    X, y, _, forest = planted
    X_te, y_te = X[90:], y[90:]
    table = explain.global_importances(forest, X[:90], X_te, y_te, random_state=0, lime_samples=200)
    assert list(table.columns) == ["eli5 permutation", "batched permutation", "mean |SHAP|", "mean |LIME|"]
    assert (table.idxmax() == "signal").all()
    reference = sk_permutation_importance(forest, X_te, y_te, scoring="roc_auc", n_repeats=10, random_state=0)
    assert np.allclose(table["batched permutation"], reference.importances_mean)
    shuffles = table.attrs["shuffles"]
    assert shuffles["eli5"].shape == (3, 5) and shuffles["sklearn"].shape == (3, 10)
    assert np.allclose(shuffles["eli5"].mean(axis=1), table["eli5 permutation"])
    assert np.allclose(shuffles["sklearn"], reference.importances)
    assert np.allclose(table["mean |SHAP|"], explain.mean_abs_shap(forest, X_te))


def test_partial_dependence_at_is_the_average_prediction_with_the_column_set(planted):
    from sklearn.linear_model import LogisticRegression

    X, y, _, _ = planted
    X = X.assign(level=np.arange(len(X)) % 3)
    model = LogisticRegression().fit(X, y)
    grid = {"signal": np.array([-1.0, 0.0, 2.0]), "level": np.array([0, 1, 2])}
    result = explain.partial_dependence_at(model, X, grid, categorical=["level"])
    for name, values in grid.items():
        by_hand = [model.predict_proba(X.assign(**{name: v}))[:, 1].mean() for v in values]
        assert np.allclose(result[name], by_hand)
    assert result["signal"][0] < result["signal"][1] < result["signal"][2]  # the label rises with signal
    with pytest.raises(KeyError):
        explain.partial_dependence_at(model, X, {"nope": [0.0]})


# ---------------------------------------------------------------- hostile inputs of notebook 05's helpers
def test_mean_abs_shap_and_lime_read_columns_by_name_not_position(bundle):
    X, X_train = bundle.X_test.iloc[:3], bundle.X_train
    shap_right = explain.mean_abs_shap(bundle.forest, X)
    shap_again = explain.mean_abs_shap(bundle.forest, X[X.columns[::-1]])  # TreeSHAP took them by position
    assert list(shap_again.index) == list(X.columns[::-1])
    pd.testing.assert_series_equal(shap_again[X.columns], shap_right)
    lime_right = explain.mean_abs_lime(bundle.forest, X_train, X.iloc[:1], num_samples=200)
    # the explainer's training statistics were taken by position from a reordered X_train
    lime_again = explain.mean_abs_lime(bundle.forest, X_train[X_train.columns[::-1]], X.iloc[:1],
                                       num_samples=200)
    pd.testing.assert_series_equal(lime_again, lime_right)
    with pytest.raises(ValueError, match="rows is empty"):  # was a Series of NaN
        explain.mean_abs_lime(bundle.forest, X_train, X.iloc[:0])
    with pytest.raises(ValueError, match="X is empty"):
        explain.mean_abs_shap(bundle.forest, X.iloc[:0])
    with pytest.raises(ValueError, match=r"missing \['age'\]"):  # shap's "Additivity check failed"
        explain.mean_abs_shap(bundle.forest, X.drop(columns="age"))


def test_partial_dependence_at_refuses_grids_it_cannot_evaluate(bundle):
    X = bundle.X_train
    with pytest.raises(ValueError, match="finite numbers"):  # NaN was evaluated as a missing value
        explain.partial_dependence_at(bundle.forest, X, {"chol": [200, np.nan]})
    with pytest.raises(ValueError, match="non-empty 1-D"):  # scikit-learn's "integer data" message
        explain.partial_dependence_at(bundle.forest, X, {"ca": []})
    with pytest.raises(KeyError, match=r"unknown feature name\(s\) \['cq'\]"):  # silently ignored
        explain.partial_dependence_at(bundle.forest, X, {"ca": [0, 1]}, categorical=["cq"])
    reordered = explain.partial_dependence_at(bundle.forest, X[X.columns[::-1]], {"ca": [0, 1]},
                                              categorical="ca")
    np.testing.assert_allclose(reordered["ca"], explain.partial_dependence_at(
        bundle.forest, X, {"ca": [0, 1]}, categorical=["ca"])["ca"])  # scikit-learn refused the order
