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


COMMAS = [("0,079", 0.079), ("12,5", 12.5), ("-0,25", -0.25), ("1,250.5", 1250.5), ("0.079", 0.079),
          (" 0,079 ", 0.079)]


@pytest.mark.parametrize("typed,value", COMMAS)
def test_a_decimal_comma_is_read_as_a_person_means_it(typed, value):
    assert fw.as_number(typed) == value


def test_an_ambiguous_comma_is_refused_with_both_readings():
    with pytest.raises(ValueError, match=r"'1,250' could be 1250 or 1.250"):
        fw.as_number("1,250")
    with pytest.raises(ValueError, match="write decimals with a point"):
        fw.as_number("1,2,3")


def test_a_decimal_comma_answer_is_checked(capsys):
    bind(number(reference=lambda c: 0.079)).q.check("0,079")
    assert capsys.readouterr().out.startswith("Correct.")


def test_objects_are_copied_when_the_exercises_load(capsys):
    """A learner who changes X_train in place after loading does not change the reference."""
    X = pd.DataFrame({"a": [1.0, 2.0], "b": [3.0, 4.0]})
    q = number(needs=("X",), reference=lambda c: float(c["X"]["a"].sum()))
    ex = bind(q, X=X)
    X.drop(columns="a", inplace=True)
    X.loc[0, "b"] = 99
    ex.q.check(3.0)
    assert capsys.readouterr().out.startswith("Correct.")


def test_snapshot_copies_tables_arrays_models_and_containers():
    from dataclasses import dataclass

    from sklearn.linear_model import LinearRegression

    @dataclass(frozen=True)
    class Split:
        x: np.ndarray

    model = LinearRegression().fit([[0.0], [1.0]], [0.0, 1.0])
    original = {"frame": pd.DataFrame({"a": [1]}), "array": np.zeros(2), "split": Split(np.ones(2)),
                "model": model, "list": [np.zeros(1)], "function": len}
    copied = fw.snapshot(original)
    assert copied["frame"] is not original["frame"] and copied["array"] is not original["array"]
    assert copied["split"].x is not original["split"].x and copied["model"] is not model
    assert copied["list"][0] is not original["list"][0] and copied["function"] is len
    np.testing.assert_array_equal(copied["model"].coef_, model.coef_)


def test_memoised_computes_once_per_loaded_notebook_and_arguments():
    calls = []

    @fw.memoised
    def slow(ctx, k=1):
        calls.append(k)
        return k * 2

    ctx = {}
    assert slow(ctx) == slow(ctx) == 2 and slow(ctx, 3) == slow(ctx, 3) == 6
    assert calls == [1, 3]
    slow({})
    assert calls == [1, 3, 1]
