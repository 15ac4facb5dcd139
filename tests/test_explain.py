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
    f = explain.proba_of_frame(bundle.model, bundle.feature_names)
    assert np.allclose(f(bundle.X_test.to_numpy()), bundle.model.predict_proba(bundle.X_test))


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
    predict = explain.proba_of_frame(bundle.model, bundle.feature_names)
    exp = explainer.explain_instance(bundle.X_test.to_numpy()[0], predict, num_features=4, num_samples=500)
    weights = explain.lime_weights(exp, bundle.feature_names)
    assert list(weights.index) == bundle.feature_names and (weights != 0).sum() == 4
    # categorical features are explained as "equal to the patient's code", never binned into quartiles
    cats = [name for name, _ in exp.as_list() if name.split("=")[0] in data.CATEGORICAL]
    assert all("<" not in name and ">" not in name for name in cats)
    again = explain.lime_explainer(bundle.X_train, random_state=0).explain_instance(
        bundle.X_test.to_numpy()[0], predict, num_features=4, num_samples=500)
    assert again.as_list() == exp.as_list()
