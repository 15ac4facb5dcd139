"""Notebook 06's exercises: each reference equals what an independent route computes (scikit-learn's ROC
AUC repeat by repeat on scikit-learn's row orders), each listed mistake is recognised and answered with its
reason, the Choice follows the drop-column numbers, and the references use copies taken at load."""

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import roc_auc_score

from helpers import exercises, explain, models
from helpers.exercises import Incorrect

SEED = 0


@pytest.fixture(scope="module")
def bundle():
    return models.heart_forest(random_state=SEED)


def drop_table(thalach, cluster):
    """A stand-in for the notebook's drop-column table (the real one retrains 15 forests): three seeds."""
    rows = {"thalach": thalach, "cp": [0.03, 0.04, 0.05], "the exercise test": [0.005, 0.007, 0.017],
            "thalach's cluster": cluster}
    return pd.DataFrame.from_dict(rows, orient="index", columns=[0, 1, 2])


MEASURED = ([-0.0108, 0.0065, 0.0065], [0.0390, 0.0519, 0.0444])  # the notebook's run


def load(bundle, drop):
    return exercises.load("correlated_features", forest=bundle.forest, X_test=bundle.X_test,
                          y_test=bundle.y_test, drop=drop, cluster_name="thalach's cluster", SEED=SEED)


@pytest.fixture(scope="module")
def ex(bundle):
    return load(bundle, drop_table(*MEASURED))


def joint_drop_by_hand(bundle, columns, n_repeats=100):
    """Grouped permutation importance scored one repeat at a time with scikit-learn's roc_auc_score."""
    X, y, forest = bundle.X_test, bundle.y_test, bundle.forest
    base = roc_auc_score(y, forest.predict_proba(X)[:, 1])
    drops = []
    for order in explain.shuffles(len(X), n_repeats, SEED):
        shuffled = X.copy()
        for c in columns:
            shuffled[c] = X[c].to_numpy()[order]
        drops.append(base - roc_auc_score(y, forest.predict_proba(shuffled)[:, 1]))
    return float(np.mean(drops))


def test_unanswered_only_reminds(ex, capsys):
    ex.grouped_importance.check(None)
    assert capsys.readouterr().out.startswith("Not answered yet")


def test_grouped_importance_reference_matches_scikit_learn_repeat_by_repeat(ex, bundle, capsys):
    expected = joint_drop_by_hand(bundle, ["cp", "exang"])
    assert ex.grouped_importance.reference == pytest.approx(expected, abs=1e-12)
    ex.grouped_importance.check(expected)
    out = capsys.readouterr().out
    assert out.startswith("Correct.") and f"{expected:.4f}" in out
    cp, exang = joint_drop_by_hand(bundle, ["cp"]), joint_drop_by_hand(bundle, ["exang"])
    with pytest.raises(Incorrect, match="sum of the two single-feature"):
        ex.grouped_importance.check(cp + exang)
    with pytest.raises(Incorrect, match="cp alone"):
        ex.grouped_importance.check(cp)
    with pytest.raises(Incorrect, match="exang alone"):
        ex.grouped_importance.check(exang)
    with pytest.raises(Incorrect, match="printed in section 3"):
        ex.grouped_importance.check(joint_drop_by_hand(bundle, ["age", "ca"]))


def test_references_use_copies_taken_at_load(bundle):
    X_test = bundle.X_test.copy()
    ex = exercises.load("correlated_features", forest=bundle.forest, X_test=X_test, y_test=bundle.y_test,
                        drop=drop_table(*MEASURED), cluster_name="thalach's cluster", SEED=SEED)
    X_test["cp"] = 1  # the learner changes the data after loading the exercises
    assert ex.grouped_importance.reference == pytest.approx(joint_drop_by_hand(bundle, ["cp", "exang"]),
                                                            abs=1e-12)


@pytest.mark.parametrize("thalach,cluster,expected", [
    (MEASURED[0], MEASURED[1], "c"),                               # 0 inside thalach's interval
    ([0.03, 0.031, 0.032], [0.05, 0.051, 0.052], "b"),           # thalach's loss clearly above 0
    ([0.0, 0.001, -0.001], [0.0, 0.01, -0.01], "d")])            # even the cluster's is not
def test_the_drop_thalach_answer_follows_the_numbers(bundle, thalach, cluster, expected):
    ex = exercises.load("correlated_features", forest=None, X_test=None, y_test=None,
                        drop=drop_table(thalach, cluster), cluster_name="thalach's cluster", SEED=SEED)
    assert ex.drop_thalach.reference == expected


def test_drop_thalach_feedback_quotes_the_interval_and_wrong_options_say_why(ex, capsys):
    ex.drop_thalach.check("(c)")
    out = capsys.readouterr().out
    assert out.startswith("Correct.") and "not distinguishable" in out and "95% interval [-0.024" in out
    for option, why in [("a", "does use thalach"), ("b", "how much the prediction moves"),
                        ("d", "clearly positive")]:
        with pytest.raises(Incorrect, match=why):
            ex.drop_thalach.check(option)
