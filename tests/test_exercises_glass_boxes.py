"""The glass_boxes exercises (notebook 07) accept the right answers and say why the likely wrong ones are
wrong, computed from the same objects the notebook passes."""

import exercise_contexts
import numpy as np
import pytest

from helpers import exercises, models
from helpers.exercises import Incorrect
from helpers.exercises.glass_boxes import _ca_coefficient


@pytest.fixture(scope="module")
def ex():
    b = models.heart_forest()
    return exercises.load("glass_boxes", **exercise_contexts.glass_boxes_context(b)), b


def correct(question, answer, capsys):
    question.check(answer)
    return capsys.readouterr().out.startswith("Correct.")


def test_odds_per_vessel(ex, capsys):
    ex, b = ex
    q = ex.odds_per_vessel
    coef, scale = _ca_coefficient(q.ctx)
    assert np.isclose(q.reference, np.exp(coef / scale)) and q.reference > 1
    assert np.isclose(scale, b.X_train["ca"].std(ddof=0))  # StandardScaler's SD is the population one
    assert correct(q, q.reference, capsys)
    assert correct(q, round(q.reference, 3), capsys)
    assert correct(q, round(q.reference, 2), capsys)  # 3 significant digits
    q.check(q.reference)
    assert f"{q.reference:.4f}" in capsys.readouterr().out  # the feedback quotes the factor
    # the sample SD (pandas' default) instead of StandardScaler's population SD is a named mistake, at
    # full precision and rounded to 3 significant digits
    sample = float(np.exp(np.log(q.reference) * scale / b.X_train["ca"].std(ddof=1)))
    for typed in (sample, round(sample, 2)):
        with pytest.raises(Incorrect, match="sample SD"):
            q.check(typed)
    for wrong, why in [(np.exp(coef), "per standard deviation"), (coef, "the coefficient"),
                       (1 / q.reference, "reciprocal"), (np.exp(coef * scale), "multiplied by the SD")]:
        with pytest.raises(Incorrect, match=why):
            q.check(round(float(wrong), 4))


def test_deploy_is_a_decision_checked_against_a_fresh_bootstrap(ex, capsys):
    ex, _ = ex
    q = ex.deploy
    assert q.question.decision and q.reference == "b"
    assert correct(q, "(b)", capsys)
    with pytest.raises(Incorrect, match="not measurably better than every model"):
        q.check("a")
    with pytest.raises(Incorrect, match="the tree is measurably worse"):
        q.check("c")
    with pytest.raises(Incorrect, match="paired difference"):
        q.check("d")
    with pytest.raises(Incorrect, match="not an option"):
        q.check("e")


def test_deploy_names_missing_prediction_columns(ex):
    ex, _ = ex
    without_ebm = ex.deploy.ctx["predictions"].drop(columns="EBM")
    broken = exercises.load("glass_boxes", **{**ex.deploy.ctx, "predictions": without_ebm})
    with pytest.raises(KeyError, match="missing \\['EBM'\\]"):
        broken.deploy.reference  # noqa: B018 - the property computes the reference


def test_cholesterol_200(ex, capsys):
    ex, _ = ex
    q = ex.cholesterol_200
    assert q.question.decision and q.reference == "b"
    assert correct(q, "B", capsys)
    with pytest.raises(Incorrect, match="not every good model agrees"):
        q.check("d")
    with pytest.raises(Incorrect, match="lowers the risk in"):
        q.check("c")
    with pytest.raises(Incorrect, match="treatment"):
        q.check("a")
