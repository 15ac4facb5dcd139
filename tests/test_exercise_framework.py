"""The exercise framework reads answers as a person types them and says why a wrong one is wrong."""

import numpy as np
import pandas as pd
import pytest

from helpers.exercises import framework as fw


def bind(question, **ctx):
    return fw.Topic(title="test", notebook="99_test", questions=[question]).bind("test", **ctx)


def number(**kw):
    base = {"name": "q", "needs": (), "reference": lambda c: 0.43127, "hint": "h", "explanation": "because"}
    return fw.Number(**{**base, **kw})


def test_unanswered_only_reminds(capsys):
    bind(number()).q.check(None)
    assert capsys.readouterr().out.strip() == fw.NOT_ANSWERED


@pytest.mark.parametrize("typed", [0.43127, 0.4313, 0.431, 0.43, "0.431", np.float32(0.43127),
                                   np.array([0.4313])])
def test_a_number_is_right_to_the_precision_it_was_typed_with(typed, capsys):
    bind(number()).q.check(typed)
    assert capsys.readouterr().out.startswith("Correct.")


@pytest.mark.parametrize("typed,why", [(0.44, "not the value"), (0.4, "at least 2 significant digits"),
                                        (-0.43127, "sign"), (43.127, "percentage"), ("25%", "fraction"),
                                        ("about half", "expected a number"),
                                        (np.array([0.4, 0.5]), "one number, got an array of shape")])
def test_a_wrong_number_says_why(typed, why):
    with pytest.raises(fw.Incorrect, match=why):
        bind(number()).q.check(typed)


def test_incorrect_is_said_once():
    with pytest.raises(fw.Incorrect) as info:
        bind(number()).q.check(0.9)
    rendered = "\n".join(info.value._render_traceback_())
    assert rendered.count("Incorrect") == 1 and "hint()" in rendered


def test_listed_mistakes_come_back_with_their_reason():
    q = number(mistakes=[(lambda c: c["other"], "that is class 0, the question asks for class 1")])
    with pytest.raises(fw.Incorrect, match="class 0, the question asks for class 1"):
        bind(q, other=0.2).q.check(0.2)


def name_question(**kw):
    base = {"name": "q", "needs": (), "reference": lambda c: "thal", "hint": "h", "explanation": "e",
            "valid": ["age", "thal", "thalach"]}
    return fw.Name(**{**base, **kw})


@pytest.mark.parametrize("typed", ["thal", "Thal", "thal ", " THAL"])
def test_names_ignore_case_and_spaces(typed, capsys):
    bind(name_question()).q.check(typed)
    assert "Correct" in capsys.readouterr().out


def test_a_name_that_does_not_exist_lists_the_valid_ones():
    with pytest.raises(fw.Incorrect, match=r"'thalium' is not one of the names here: \['age', 'thal'"):
        bind(name_question()).q.check("thalium")


def test_a_wrong_name_gets_its_reason():
    q = name_question(mistakes=[("thalach", "thalach leads by SHAP, not by permutation importance")])
    with pytest.raises(fw.Incorrect, match="leads by SHAP"):
        bind(q).q.check("Thalach")


@pytest.mark.parametrize("typed", [{"age", "thal"}, ["Thal", "age"], ("age", "thal"), "age, thal",
                                   pd.Index(["thal", "age"])])
def test_name_sets_accept_any_container(typed, capsys):
    q = fw.NameSet(name="q", needs=(), reference=lambda c: {"age", "thal"}, hint="h", explanation="e",
                   valid=["age", "thal", "thalach"])
    bind(q).q.check(typed)
    assert "Correct" in capsys.readouterr().out


def test_name_set_feedback_names_the_extra_ones():
    q = fw.NameSet(name="q", needs=(), reference=lambda c: {"age", "thal"}, hint="h", explanation="e",
                   valid=["age", "thal", "thalach"])
    with pytest.raises(fw.Incorrect, match=r"\['thalach'\] should not be in it; 1 name\(s\) are missing"):
        bind(q).q.check(["thal", "thalach"])


def choice(**kw):
    base = {"name": "q", "needs": (), "reference": lambda c: "b", "hint": "h", "explanation": "e",
            "options": ("a", "b", "c"),
            "why": {"a": "a is about the training set", "c": "c confuses the sign"}}
    return fw.Choice(**{**base, **kw})


@pytest.mark.parametrize("typed", ["b", "B", "(b)", " b ", "b."])
def test_choices_accept_the_letter_however_written(typed, capsys):
    bind(choice()).q.check(typed)
    assert "Correct" in capsys.readouterr().out


def test_a_wrong_choice_says_why_and_an_unknown_one_lists_the_options():
    with pytest.raises(fw.Incorrect, match="confuses the sign"):
        bind(choice()).q.check("c")
    with pytest.raises(fw.Incorrect, match=r"answer with one of \['a', 'b', 'c'\]"):
        bind(choice()).q.check("d")


def test_missing_notebook_objects_are_named():
    q = number(needs=("forest", "X_test"))
    with pytest.raises(fw.MissingObjects,
                       match=r"need \['forest'\] from the notebook.*X_test=\.\.\., forest=\.\.\."):
        fw.Topic(title="t", notebook="99", questions=[q]).bind("t", X_test=1)


def test_unknown_exercise_name_lists_the_exercises():
    with pytest.raises(AttributeError, match=r"no exercise 'q9' in test; the exercises are \['q'\]"):
        _ = bind(number()).q9


def test_solution_shows_the_answer_and_why(capsys):
    bind(number()).q.solution()
    assert capsys.readouterr().out.strip() == "Solution: 0.4313. because"


def test_typed_precision():
    assert fw.typed_precision(0.431) == (3, 0.0005)
    assert fw.typed_precision(12.0) == (2, 0.5)
    assert fw.typed_precision(1e-5)[0] == 1
