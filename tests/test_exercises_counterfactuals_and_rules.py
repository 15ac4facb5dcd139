"""The counterfactuals_and_rules exercises (notebook 09) accept the right answers and say why the likely
wrong ones are wrong, computed from the same objects the notebook passes."""

import exercise_contexts
import pytest

from helpers import exercises, models
from helpers.exercises import Incorrect


@pytest.fixture(scope="module")
def ex():
    b = models.heart_forest()
    context = exercise_contexts.counterfactuals_and_rules_context(b)
    return exercises.load("counterfactuals_and_rules", **context)


def correct(question, answer, capsys):
    question.check(answer)
    return capsys.readouterr().out.startswith("Correct.")


def test_cholesterol_200(ex, capsys):
    q = ex.cholesterol_200
    assert q.question.decision and q.reference == "b"
    assert correct(q, "B", capsys)
    with pytest.raises(Incorrect, match="not every model agrees"):
        q.check("d")
    with pytest.raises(Incorrect, match="lowers the risk in"):
        q.check("c")
    with pytest.raises(Incorrect, match="treatment"):
        q.check("a")


def test_surrogate_claim(ex, capsys):
    q = ex.surrogate_claim
    assert q.question.decision and q.reference == "d"
    assert correct(q, "(d)", capsys)
    with pytest.raises(Incorrect, match="not to the disease"):
        q.check("a")
    with pytest.raises(Incorrect, match="held-out patients"):
        q.check("b")
    with pytest.raises(Incorrect, match="shows no difference"):
        q.check("c")


def test_surrogate_claim_is_computed_from_the_trees(ex):
    # with the label-trained tree standing in for the surrogate the two trees agree everywhere: still (d)
    same = exercises.load("counterfactuals_and_rules", **{**ex.surrogate_claim.ctx,
                                                          "surrogate": ex.surrogate_claim.ctx["glass_tree"]})
    assert same.surrogate_claim.reference == "d"
