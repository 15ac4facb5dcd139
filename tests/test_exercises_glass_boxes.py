"""The glass_boxes exercises (notebook 08) accept the right answers and say why the likely wrong ones are
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
    assert q.question.decision and q.reference == "c"
    assert correct(q, "(c)", capsys)
    with pytest.raises(Incorrect, match="not measurably better than every model"):
        q.check("a")
    with pytest.raises(Incorrect, match="not equivalence"):
        q.check("b")
    with pytest.raises(Incorrect, match="paired difference"):
        q.check("d")
    with pytest.raises(Incorrect, match="not an option"):
        q.check("e")


def test_deploy_reference_uses_the_helpers_bootstrap(ex):
    from helpers import glassbox
    from helpers.exercises.glass_boxes import _gaps

    ex, _ = ex
    ctx = ex.deploy.ctx
    boot = glassbox.bootstrap_auc(ctx["y_test"], ctx["predictions"][["forest", "logistic regression"]],
                                  n_boot=5000, random_state=20240607)
    diff = boot["forest"] - boot["logistic regression"]
    g = _gaps(ctx)
    assert np.isclose(g.loc["logistic regression", "low"], diff.quantile(0.025))
    assert np.isclose(g.loc["logistic regression", "90% high"], diff.quantile(0.95))
    # a wide enough margin makes the glass boxes equivalent, and the question then says so
    wide = exercises.load("glass_boxes", **{**ctx, "margin": 0.2})
    assert wide.deploy.reference == "b"


def test_deploy_names_missing_prediction_columns(ex):
    ex, _ = ex
    without_ebm = ex.deploy.ctx["predictions"].drop(columns="EBM")
    broken = exercises.load("glass_boxes", **{**ex.deploy.ctx, "predictions": without_ebm})
    with pytest.raises(KeyError, match="missing \\['EBM'\\]"):
        broken.deploy.reference  # noqa: B018 - the property computes the reference
