"""Exercises with checkers, in the manner of Kaggle Learn's learntools: ``check()``, ``hint()`` and
``solution()``, with feedback that says why an answer is wrong.

The framework (question types, reading answers, tolerances) is in ``framework``; each notebook's
exercises are a module named by topic that declares its questions. The notebook holds the question text
and loads its exercises with the objects they need::

    from helpers import exercises
    ex = exercises.load("permutation_importance", forest=forest, X_test=X_test, y_test=y_test)
    ex.drop_first.check(answer)   # "Correct. ..." or Incorrect: why
    ex.drop_first.hint()
    ex.drop_first.solution()

In a learner copy (scripts/make_exercises.py), ``exercises.learner_mode()`` comes first: a wrong answer is
then printed, not raised, so *Run All* runs past it.
"""

from __future__ import annotations

import importlib
import pkgutil

from .framework import (
    Choice,
    Exercises,
    Incorrect,
    MissingObjects,
    Name,
    NameSet,
    Number,
    Question,
    Topic,
    learner_mode,
    memoised,
)

__all__ = ["Choice", "Exercises", "Incorrect", "MissingObjects", "Name", "NameSet", "Number", "Question",
           "Topic", "learner_mode", "load", "memoised", "topics"]

_NOT_TOPICS = {"framework"}


def topics() -> dict[str, Topic]:
    """Every topic module of the package and its ``TOPIC``, by module name."""
    found = {}
    for info in pkgutil.iter_modules(__path__):
        if info.name in _NOT_TOPICS:
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        found[info.name] = module.TOPIC
    return found


def load(topic: str, **objects) -> Exercises:
    """The exercises of one notebook, bound to the notebook's objects (passed by name)."""
    available = topics()
    if topic not in available:
        raise KeyError(f"no exercises named {topic!r}; available: {sorted(available)}")
    return available[topic].bind(topic, **objects)

