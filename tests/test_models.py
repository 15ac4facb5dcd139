import numpy as np
import pytest
from sklearn.metrics import roc_auc_score

from helpers import models


@pytest.fixture(scope="module")
def bundle():
    return models.heart_forest()


def test_split_is_stratified_80_20(bundle):
    assert (len(bundle.X_train), len(bundle.X_test)) == (242, 61)
    assert abs(bundle.y_train.mean() - bundle.y_test.mean()) < 0.02
    assert not set(bundle.X_train.index) & set(bundle.X_test.index)


def test_forest_uses_the_kernel_settings(bundle):
    params = bundle.forest.get_params()
    assert (params["max_depth"], params["min_samples_split"], params["random_state"]) == (5, 5, 0)
    assert bundle.feature_names == list(bundle.X_train.columns)


def test_forest_is_deterministic_and_useful(bundle):
    again = models.heart_forest()
    np.testing.assert_array_equal(bundle.forest.predict_proba(bundle.X_test),
                                  again.forest.predict_proba(again.X_test))
    assert roc_auc_score(bundle.y_test, bundle.forest.predict_proba(bundle.X_test)[:, 1]) > 0.85


def test_train_forest_overrides(bundle):
    small = models.train_forest(bundle.X_train, bundle.y_train, n_estimators=3)
    assert len(small.estimators_) == 3
