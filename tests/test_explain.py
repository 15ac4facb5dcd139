import numpy as np
import pandas as pd
import pytest

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


def test_with_progress_counts_calls(capsys):
    calls = []
    wrapped = explain.with_progress(lambda v: calls.append(v) or v * 2, total=3, desc="t")
    assert [wrapped(i) for i in range(3)] == [0, 2, 4] and calls == [0, 1, 2]


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
    # categorical features are explained as "equal to the patient's code", never binned into quartiles
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


@pytest.mark.parametrize("scoring", ["roc_auc", "accuracy"])
def test_batched_permutation_importance_reproduces_scikit_learn_exactly(bundle, scoring):
    from sklearn.inspection import permutation_importance

    for seed in (0, 7):
        ours = explain.permutation_importance_batched(bundle.forest, bundle.X_test, bundle.y_test,
                                                      scoring=scoring, n_repeats=3, random_state=seed,
                                                      batch_rows=500)  # several batches
        theirs = permutation_importance(bundle.forest, bundle.X_test, bundle.y_test, scoring=scoring,
                                        n_repeats=3, random_state=seed)
        np.testing.assert_allclose(ours.importances, theirs.importances, atol=1e-12)
        np.testing.assert_allclose(ours.importances_std, theirs.importances_std, atol=1e-12)
    with pytest.raises(ValueError, match="scoring must be"):
        explain.permutation_importance_batched(bundle.forest, bundle.X_test, bundle.y_test, scoring="f1")
