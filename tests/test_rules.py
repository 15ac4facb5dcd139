"""helpers.rules: the vectorised forest, anchors found by anchor-exp (seeded, conditions kept and tested on
other rows), and exact binomial intervals."""

import numpy as np
import pandas as pd
import pytest
from sklearn.ensemble import RandomForestClassifier

from helpers import models, rules


@pytest.fixture(scope="module")
def bundle():
    return models.heart_forest()


@pytest.fixture(scope="module")
def explainer(bundle):
    return rules.anchor_explainer(bundle.X_train)


def test_forest_risk_equals_predict_proba(bundle):
    fast = rules.forest_risk(bundle.forest)
    X = pd.concat([bundle.X_train, bundle.X_test])
    assert np.array_equal(fast(X.to_numpy()), bundle.forest.predict_proba(X)[:, 1])
    # a forest of another shape, values between thresholds and exactly on them
    rng = np.random.default_rng(0)
    Xs = rng.normal(size=(200, 4))
    small = RandomForestClassifier(n_estimators=7, max_depth=None, random_state=1).fit(Xs, Xs[:, 0] > 0.3)
    probe = np.r_[rng.normal(size=(50, 4)), np.tile(small.estimators_[0].tree_.threshold[:1], (1, 4))]
    assert np.array_equal(rules.forest_risk(small)(probe), small.predict_proba(probe)[:, 1])


def test_forest_risk_wants_a_fitted_two_class_forest(bundle):
    with pytest.raises(TypeError, match="random forest"):
        rules.forest_risk(object())
    with pytest.raises(ValueError, match="13 feature columns"):
        rules.forest_risk(bundle.forest)(np.zeros((3, 5)))


def test_planted_one_feature_model_gives_an_anchor_on_that_feature(bundle, explainer):
    j = bundle.feature_names.index("thal")
    row = bundle.X_test.iloc[0]
    anchor = rules.find_anchor(explainer, row, lambda x: (x[:, j] > 4.5).astype(int), random_state=0)
    assert anchor.features == ["thal"] and anchor.precision == 1.0
    # the condition, tested on other rows, is the library's quartile bin: here "thal > 3" or "thal <= 3"
    expected = bundle.X_test["thal"] > 3 if row["thal"] > 3 else bundle.X_test["thal"] <= 3
    assert np.array_equal(anchor.holds(bundle.X_test), expected.to_numpy())


def test_anchor_covers_its_patient_and_is_reproducible(bundle, explainer):
    fast = rules.forest_risk(bundle.forest)

    def predict(x):
        return (fast(x) >= 0.5).astype(int)

    i = models.example_patient(bundle)
    a = rules.find_anchor(explainer, bundle.X_test.iloc[i], predict, random_state=0)
    b = rules.find_anchor(explainer, bundle.X_test.iloc[i], predict, random_state=0)
    assert a.names == b.names and a.conditions == b.conditions and a.precision == b.precision
    row = bundle.X_test.iloc[[i]]
    assert a.holds(row)[0] and a.prediction == predict(row.to_numpy())[0]
    assert 0 < a.coverage <= 1 and len(a.names) == len(a.features) >= 1
    # holds() reads columns by name, in any order
    shuffled = bundle.X_test[bundle.X_test.columns[::-1]]
    assert np.array_equal(a.holds(shuffled), a.holds(bundle.X_test))
    with pytest.raises(KeyError, match="lacks"):
        a.holds(bundle.X_test.drop(columns=a.features[0]))


def test_find_anchor_wants_one_patient_as_a_series(bundle, explainer):
    with pytest.raises(TypeError, match="Series"):
        rules.find_anchor(explainer, bundle.X_test.iloc[[0]], lambda x: np.zeros(len(x), int))


def test_proportion_interval_known_answers():
    p, low, high = rules.proportion_interval(4, 4)
    assert p == 1 and high == 1 and np.isclose(low, 0.025 ** (1 / 4))  # Clopper-Pearson, k = n
    p, low, high = rules.proportion_interval(0, 10)
    assert p == 0 and low == 0 and np.isclose(high, 1 - 0.025 ** (1 / 10))
    assert all(np.isnan(rules.proportion_interval(0, 0)))
    with pytest.raises(ValueError, match="0 <= k <= n"):
        rules.proportion_interval(5, 4)
