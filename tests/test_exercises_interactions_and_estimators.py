"""Notebook 07's exercises: each reference equals what an independent route computes (Friedman's H from
partial dependence on every pair of rows; shap against the healthy men), each listed mistake is recognised
and answered with its reason, and the references use copies taken at load."""

import numpy as np
import pandas as pd
import pytest
import shap

from helpers import exercises, models
from helpers.exercises import Incorrect

SEED = 0


@pytest.fixture(scope="module")
def bundle():
    return models.heart_forest(random_state=SEED)


def load(bundle, X_test=None):
    return exercises.load("interactions_and_estimators", forest=bundle.forest, X_train=bundle.X_train,
                          y_train=bundle.y_train, X_test=bundle.X_test if X_test is None else X_test,
                          row=models.example_patient(bundle))


@pytest.fixture(scope="module")
def ex(bundle):
    return load(bundle)


def h_by_hand(forest, X, j, k):
    """Friedman's H from PD on every pair of rows (n x n predictions per PD, no sharing of equal values)."""
    n = len(X)

    def centred(columns):
        rows = pd.concat([X.assign(**{c: X[c].iloc[i] for c in columns}) for i in range(n)])
        values = forest.predict_proba(rows)[:, 1].reshape(n, n).mean(axis=1)
        return values - values.mean()

    joint = centred([j, k])
    part = joint - centred([j]) - centred([k])
    h2 = np.sum(part ** 2) / np.sum(joint ** 2)
    return {"H": np.sqrt(h2), "H2": h2, "interaction_sd": np.sqrt(np.mean(part ** 2))}


def test_h_reference_matches_pd_on_every_pair_of_rows(ex, bundle):
    by_hand = h_by_hand(bundle.forest, bundle.X_test, "cp", "exang")
    assert ex.h_cp_exang.reference == pytest.approx(by_hand["H"], abs=1e-10)
    with pytest.raises(Incorrect, match="H², the share of variance"):
        ex.h_cp_exang.check(by_hand["H2"])
    with pytest.raises(Incorrect, match="un-normalised"):
        ex.h_cp_exang.check(by_hand["interaction_sd"])


def test_references_use_copies_taken_at_load(bundle):
    X_test = bundle.X_test.copy()
    ex = load(bundle, X_test)
    X_test["exang"] = 0  # the learner changes the data after loading the exercises
    expected = h_by_hand(bundle.forest, bundle.X_test, "cp", "exang")["H"]
    assert ex.h_cp_exang.reference == pytest.approx(expected, abs=1e-10)


def interventional_values(forest, background, patient):
    masker = shap.maskers.Independent(background, max_samples=len(background))
    explainer = shap.TreeExplainer(forest, data=masker, feature_perturbation="interventional",
                                   model_output="probability")
    return explainer.shap_values(patient)[0, :, 1]


def test_contrastive_total_matches_shap_against_healthy_men(ex, bundle, capsys):
    X, y = bundle.X_train, bundle.y_train
    patient = bundle.X_test.iloc[[models.example_patient(bundle)]]
    assert patient.iloc[0]["sex"] == 1  # the question calls him a man
    men = interventional_values(bundle.forest, X[(y == 0) & (X["sex"] == 1)], patient)
    assert ex.contrastive_total.reference == pytest.approx(men.sum(), abs=1e-4)
    assert men[list(X.columns).index("sex")] == 0  # what the feedback says: sex gets exactly 0
    ex.contrastive_total.check(men.sum())
    assert "sex gets exactly 0" in capsys.readouterr().out
    healthy = X[y == 0]
    with pytest.raises(Incorrect, match="women included"):
        ex.contrastive_total.check(interventional_values(bundle.forest, healthy, patient).sum())
    with pytest.raises(Incorrect, match="healthy women"):
        ex.contrastive_total.check(interventional_values(bundle.forest, X[(y == 0) & (X["sex"] == 0)],
                                                         patient).sum())
    naive = shap.TreeExplainer(bundle.forest, data=healthy, feature_perturbation="interventional",
                               model_output="probability")  # shap keeps 100 of the healthy patients
    with pytest.raises(Incorrect, match="100 healthy patients, men and women"):
        ex.contrastive_total.check(naive.shap_values(patient)[0, :, 1].sum())
    risk = bundle.forest.predict_proba(patient)[0, 1]
    with pytest.raises(Incorrect, match="all training patients"):
        ex.contrastive_total.check(risk - bundle.forest.predict_proba(X)[:, 1].mean())
    with pytest.raises(Incorrect, match="predicted risk itself"):
        ex.contrastive_total.check(risk)


def test_a_number_typed_to_four_places_is_accepted(ex, capsys):
    value = round(float(ex.h_cp_exang.reference), 4)
    ex.h_cp_exang.check(value)
    assert capsys.readouterr().out.startswith("Correct.")
    assert not np.isclose(value, ex.h_cp_exang.reference, atol=1e-12)  # the test is not trivial
