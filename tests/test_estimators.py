"""helpers.estimators: exact Shapley values against interventional TreeSHAP and closed forms, the timer,
and the noise columns."""

import numpy as np
import pandas as pd
import pytest
import shap
from sklearn.ensemble import RandomForestClassifier

from helpers import estimators, models


def test_exact_shapley_of_a_linear_function_is_its_closed_form():
    # f = w . x against a background: phi_j = w_j (x_j - weighted mean of the background's column j)
    rng = np.random.default_rng(0)
    background = pd.DataFrame(rng.normal(size=(6, 4)), columns=list("abcd"))
    weights = np.array([1, 2, 3, 1, 1, 2])
    X = pd.DataFrame(rng.normal(size=(3, 4)), columns=list("abcd"))
    w = np.array([1.0, -2.0, 0.5, 3.0])
    phi = estimators.exact_shapley(lambda rows: rows @ w, X, background, weights)
    mean = (weights / weights.sum()) @ background.to_numpy()
    assert np.allclose(phi, w * (X.to_numpy() - mean), atol=1e-12)


def test_exact_shapley_of_a_product_splits_the_interaction_equally():
    background = pd.DataFrame({"a": [0.0], "b": [0.0]})
    x = pd.DataFrame({"a": [2.0], "b": [3.0]})
    phi = estimators.exact_shapley(lambda rows: rows[:, 0] * rows[:, 1], x, background)
    assert np.allclose(phi, [[3.0, 3.0]], atol=1e-12)


def test_exact_shapley_matches_interventional_treeshap_on_a_forest():
    rng = np.random.default_rng(1)
    X = pd.DataFrame(rng.integers(0, 4, size=(200, 9)).astype(float), columns=[f"x{i}" for i in range(9)])
    y = (X.x0 * X.x1 + X.x2 > 3).astype(int)
    forest = RandomForestClassifier(30, max_depth=5, random_state=0).fit(X, y)
    background = X.iloc[:6]
    exact = estimators.exact_shapley(forest, X.iloc[10:13], background)
    tree = shap.TreeExplainer(forest, data=shap.maskers.Independent(background, max_samples=6),
                              feature_perturbation="interventional",
                              model_output="probability").shap_values(X.iloc[10:13])[:, :, 1]
    assert np.abs(exact - tree).max() < 1e-7
    base = forest.predict_proba(background)[:, 1].mean()
    assert np.allclose(exact.sum(axis=1), forest.predict_proba(X.iloc[10:13])[:, 1] - base, atol=1e-12)


def test_exact_shapley_bad_input():
    X = pd.DataFrame({"a": [1.0], "b": [2.0]})
    with pytest.raises(ValueError, match="same columns"):
        estimators.exact_shapley(lambda r: r[:, 0], X, X[["b", "a"]])
    with pytest.raises(ValueError, match="one per background row"):
        estimators.exact_shapley(lambda r: r[:, 0], X, X, weights=[1, 2])
    wide = pd.DataFrame(np.zeros((1, 17)), columns=[f"x{i}" for i in range(17)])
    with pytest.raises(ValueError, match="2\\*\\*M coalitions"):
        estimators.exact_shapley(lambda r: r[:, 0], wide, wide)


def test_seconds_returns_the_result_and_the_best_time():
    calls = []
    result, took = estimators.seconds(lambda: calls.append(1) or 42, repeat=3)
    assert result == 42 and len(calls) == 3 and 0 <= took < 1
    with pytest.raises(ValueError, match="at least 1"):
        estimators.seconds(lambda: None, repeat=0)


def test_noise_columns_are_reproducible_and_keep_the_index():
    X = pd.DataFrame({"a": [1.0, 2.0, 3.0]}, index=[5, 7, 9])
    wide = estimators.add_noise_columns(X, 2, random_state=0)
    assert list(wide.columns) == ["a", "noise_1", "noise_2"] and list(wide.index) == [5, 7, 9]
    assert wide.equals(estimators.add_noise_columns(X, 2, random_state=0))
    assert list(X.columns) == ["a"]  # the input is not changed
    with pytest.raises(ValueError, match="non-negative"):
        estimators.add_noise_columns(X, -1, random_state=0)


def test_cost_per_row_times_every_estimator_and_returns_kernelshap_values():
    from helpers import models

    bundle = models.heart_forest(random_state=0)
    costs, kernel = estimators.cost_per_row(bundle.forest, bundle.X_train, bundle.X_test, bundle.y_test, 0)
    assert set(costs) == {"TreeSHAP, path-dependent", "TreeSHAP, interventional (100 rows)",
                          "KernelSHAP (10 centres)", "permutation importance (2 repeats)",
                          "LIME (5,000 samples)"}
    assert all(0 < c < 60 for c in costs.values())
    assert kernel.shape == (2, 13)
    # KernelSHAP's values add up to each prediction minus the mean over the k-means centres (additivity)
    background = shap.kmeans(bundle.X_train, 10)
    weights = background.weights / background.weights.sum()
    centres = pd.DataFrame(background.data, columns=bundle.X_train.columns)
    base = bundle.forest.predict_proba(centres)[:, 1] @ weights
    assert np.allclose(kernel.sum(axis=1), bundle.forest.predict_proba(bundle.X_test.iloc[:2])[:, 1] - base,
                       atol=1e-6)


def test_on_the_heart_forest_treeshap_differs_only_where_values_tie_with_thresholds():
    # Notebook 07 finds interventional TreeSHAP ~5e-4 from the exact values on the course's forest. The
    # bootstrap puts split thresholds on values other patients have (midpoints of a resample's values);
    # shifted off every threshold by 1e-4, the same rows and background agree to rounding error.
    from helpers import models

    bundle = models.heart_forest(random_state=0)
    background, rows = bundle.X_train.iloc[:10].astype(float), bundle.X_test.iloc[:2].astype(float)

    def gap(shift):
        exact = estimators.exact_shapley(bundle.forest, rows + shift, background + shift)
        masker = shap.maskers.Independent(background + shift, max_samples=10)
        tree = shap.TreeExplainer(bundle.forest, data=masker, feature_perturbation="interventional",
                                  model_output="probability").shap_values(rows + shift)[:, :, 1]
        return np.abs(exact - tree).max()

    assert gap(0.0) > 1e-4 and gap(1e-4) < 1e-7


def test_widened_adds_the_seeded_noise_columns_and_retrains_the_course_forest():
    bundle = models.heart_forest()
    forest, X_train_wide, X_test_wide = estimators.widened(bundle.X_train, bundle.X_test, bundle.y_train,
                                                           3, random_state=5)
    assert list(X_train_wide.columns) == [*bundle.X_train.columns, "noise_1", "noise_2", "noise_3"]
    assert X_train_wide.equals(estimators.add_noise_columns(bundle.X_train, 3, random_state=5))
    assert X_test_wide.equals(estimators.add_noise_columns(bundle.X_test, 3, random_state=6))
    again = models.train_forest(X_train_wide, bundle.y_train, random_state=5)
    assert np.array_equal(forest.predict_proba(X_test_wide), again.predict_proba(X_test_wide))


def test_widened_refuses_a_test_set_with_other_columns():
    bundle = models.heart_forest()
    with pytest.raises(ValueError, match="X_test must have X_train's columns"):  # a 13-column test set
        estimators.widened(bundle.X_train, bundle.X_test.drop(columns="age"), bundle.y_train, 1, 0)
