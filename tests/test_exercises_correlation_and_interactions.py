"""Notebook 06's exercises: each reference, computed by its own route, equals what the notebook's helpers
and shap compute; each listed mistake is recognised and answered with its reason."""

import numpy as np
import pandas as pd
import pytest
import shap

from helpers import exercises, explain, interactions, models
from helpers.exercises import Incorrect

SEED = 0


@pytest.fixture(scope="module")
def bundle():
    return models.heart_forest(random_state=SEED)


def drop_table(thalach, cluster):
    """A stand-in for the notebook's drop-column table (the real one retrains 15 forests)."""
    rows = {"thalach": [thalach] * 3, "cp": [0.04] * 3, "the exercise test": [0.01] * 3,
            "thalach's cluster": [cluster] * 3}
    return pd.DataFrame.from_dict(rows, orient="index", columns=[0, 1, 2])


@pytest.fixture(scope="module")
def ex(bundle):
    return exercises.load("correlation_and_interactions", forest=bundle.forest, X_train=bundle.X_train,
                          y_train=bundle.y_train, X_test=bundle.X_test, y_test=bundle.y_test,
                          drop=drop_table(0.0007, 0.045), cluster_name="thalach's cluster",
                          row=models.example_patient(bundle), SEED=SEED)


def test_unanswered_only_reminds(ex, capsys):
    ex.grouped_importance.check(None)
    assert capsys.readouterr().out.startswith("Not answered yet")


def test_grouped_importance_reference_matches_the_batched_helper(ex, bundle, capsys):
    result = explain.permutation_importance(bundle.forest, bundle.X_test, bundle.y_test,
                                            groups={"cp+exang": ["cp", "exang"], "age+ca": ["age", "ca"]},
                                            n_repeats=100, random_state=SEED)
    assert ex.grouped_importance.reference == pytest.approx(result.mean["cp+exang"], abs=1e-12)
    ex.grouped_importance.check(result.mean["cp+exang"])
    singles = explain.permutation_importance(bundle.forest, bundle.X_test, bundle.y_test,
                                             groups=["cp", "exang"], n_repeats=100, random_state=SEED)
    # the feedback quotes the run's numbers: the joint drop, each single one and their sum
    out = capsys.readouterr().out
    assert out.startswith("Correct.")
    for value in (result.mean["cp+exang"], *singles.mean, singles.mean.sum()):
        assert f"{value:.4f}" in out
    with pytest.raises(Incorrect, match="sum of the two single-feature"):
        ex.grouped_importance.check(singles.mean.sum())
    with pytest.raises(Incorrect, match="cp alone"):
        ex.grouped_importance.check(singles.mean["cp"])
    with pytest.raises(Incorrect, match="exang alone"):
        ex.grouped_importance.check(singles.mean["exang"])
    # the group the notebook prints before the exercises is recognised as a look-up of the wrong group
    with pytest.raises(Incorrect, match="printed in section 3"):
        ex.grouped_importance.check(result.mean["age+ca"])


def test_h_reference_matches_the_helper(ex, bundle):
    table = interactions.h_statistic(bundle.forest, bundle.X_test, [("cp", "exang")]).iloc[0]
    assert ex.h_cp_exang.reference == pytest.approx(table["H"], abs=1e-10)
    with pytest.raises(Incorrect, match="H², the share of variance"):
        ex.h_cp_exang.check(table["H2"])
    with pytest.raises(Incorrect, match="un-normalised"):
        ex.h_cp_exang.check(table["interaction_sd"])


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


@pytest.mark.parametrize("thalach,cluster,expected", [(0.0007, 0.045, "b"), (0.03, 0.05, "c"),
                                                      (0.0, 0.005, "d")])
def test_the_drop_thalach_answer_follows_the_numbers(bundle, thalach, cluster, expected):
    ex = exercises.load("correlation_and_interactions", forest=None, X_train=None, y_train=None, X_test=None,
                        y_test=None, drop=drop_table(thalach, cluster), cluster_name="thalach's cluster",
                        row=0, SEED=SEED)
    assert ex.drop_thalach.reference == expected


def test_drop_thalach_wrong_options_say_why(ex, capsys):
    ex.drop_thalach.check("(b)")
    assert capsys.readouterr().out.startswith("Correct.")
    for option, why in [("a", "does use thalach"), ("c", "how much the prediction moves"),
                        ("d", "clearly positive")]:
        with pytest.raises(Incorrect, match=why):
            ex.drop_thalach.check(option)


def test_a_number_typed_to_four_places_is_accepted(ex, capsys):
    value = round(float(ex.h_cp_exang.reference), 4)
    ex.h_cp_exang.check(value)
    assert capsys.readouterr().out.startswith("Correct.")
    assert not np.isclose(value, ex.h_cp_exang.reference, atol=1e-12)  # the test is not trivial
