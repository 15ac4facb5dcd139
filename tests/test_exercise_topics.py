"""Every topic module's questions, bound to objects rebuilt here the way the notebooks build them: the
reference answer passes, every listed mistake fails with its own reason, and plausible ways of writing
the right answer are accepted."""

from pathlib import Path

import exercise_contexts
import pytest

from helpers import exercises, models
from helpers.exercises import framework


@pytest.fixture(scope="module")
def heart():
    return models.heart_forest(random_state=0)


CONTEXTS = exercise_contexts.CONTEXTS


@pytest.fixture(scope="module")
def bound(heart):
    """Each topic bound once (references are computed once per binding)."""
    return {name: exercises.load(name, **build(heart)) for name, build in CONTEXTS.items()}


def test_every_topic_is_tested():
    """Each topic module is bound here to rebuilt notebook objects (tests/exercise_contexts.py), or, where
    those objects are too costly to rebuild (notebook 13's randomized networks), tested on stand-ins in a
    dedicated tests/test_exercises_<topic>.py."""
    tests_dir = Path(__file__).parent
    untested = [t for t in exercises.topics()
                if t not in CONTEXTS and not (tests_dir / f"test_exercises_{t}.py").is_file()]
    assert not untested, f"add a context builder or a dedicated test for {untested}"


CASES = [(topic, q.name) for topic in CONTEXTS for q in exercises.topics()[topic].questions]


@pytest.mark.parametrize("topic,name", CASES, ids=[f"{t}.{n}" for t, n in CASES])
def test_reference_passes_and_mistakes_fail_with_their_reason(topic, name, bound, capsys):
    q = getattr(bound[topic], name)
    q.check(q.reference)
    assert capsys.readouterr().out.startswith("Correct.")
    for wrong, why in q.question.mistakes:
        value = wrong(q.ctx) if callable(wrong) else wrong
        if q.question.matches(value, q.reference, q.ctx):
            continue  # a listed mistake that happens to equal the right answer in this run
        reason = why(q.ctx) if callable(why) else why
        with pytest.raises(framework.Incorrect) as info:
            q.check(value)
        assert reason in str(info.value)


@pytest.mark.parametrize("topic,name", CASES, ids=[f"{t}.{n}" for t, n in CASES])
def test_plausible_ways_of_writing_the_answer_are_accepted(topic, name, bound, capsys):
    q = getattr(bound[topic], name)
    right = q.reference
    kind = q.question
    if isinstance(kind, framework.Number):
        variants = [round(float(right), 3), f"{float(right):.4f}", round(float(right), 6)]
    elif isinstance(kind, framework.Choice):
        variants = [right.upper(), f"({right})", f" {right} "]
    elif isinstance(kind, framework.Name):
        variants = [right.upper(), f" {right} ", right.title()]
    else:
        variants = [list(right), tuple(right), ", ".join(right), {r.upper() for r in right}]
    for variant in variants:
        q.check(variant)
        assert capsys.readouterr().out.startswith("Correct."), variant


@pytest.mark.parametrize("topic,name", CASES, ids=[f"{t}.{n}" for t, n in CASES])
def test_unanswered_hint_and_solution_print(topic, name, bound, capsys):
    q = getattr(bound[topic], name)
    q.check(None)
    q.hint()
    q.solution()
    out = capsys.readouterr().out
    assert "Not answered yet" in out and "Hint: " in out and "Solution: " in out


@pytest.mark.parametrize("topic", list(CONTEXTS))
def test_loading_without_the_notebook_objects_names_them(topic):
    with pytest.raises(framework.MissingObjects, match="from the notebook"):
        exercises.load(topic)
