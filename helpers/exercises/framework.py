"""The exercise framework: question types, how answers are read, tolerances and feedback.

A topic module (one per notebook, e.g. ``permutation_importance``) declares ``TOPIC``, its questions with
keyword arguments; the notebook holds the question text and calls ``check``. The framework knows nothing
about any topic. In the notebook, after ``ex = exercises.load("<topic>", ...)``, each question is three
cells (tests/test_exercise_cells.py keeps notebook and module in step):

1. markdown ``**Exercise k · short title.**`` and the question (for a ``Choice``, its options as
   ``(a)``, ``(b)``, ...), in the order of ``TOPIC.questions``;
2. code ``answer = None  # your answer here`` then ``ex.<name>.check(answer)`` (hint and solution
   commented out below it);
3. code tagged ``solution`` (removed from the learner copies) that computes the answer and checks it.

Three rules shape the checking:

- **Read answers as a person types them.** Numbers count as right to the precision they were written
  with (0.431 for 0.43127), names ignore case and surrounding spaces, a list is as good as a set.
- **Say why an answer is wrong.** Each question lists the mistakes a learner is likely to make (the
  other class, the other sign, the training set instead of the held-out one) with the reason; an
  answer that matches one gets that reason back, not only "incorrect".
- **Compute the reference independently.** A question's ``reference`` is computed by the topic module,
  where possible by another route than the notebook's solution cell.

``check(None)`` only says "not answered yet", so a learner's copy runs top to bottom untouched. In the
course's notebooks a wrong answer raises ``Incorrect`` (shown as one short message in Jupyter), so a
solution cell that stops being right fails under nbval. In a learner copy (scripts/make_exercises.py puts
``exercises.learner_mode()`` above its ``exercises.load``) the same message is printed instead, so *Run
All* goes on past a wrong answer.

The objects a notebook passes to ``load`` are copied when the exercises load (``snapshot``): a learner who
later changes ``X_train`` in place does not change the references. A topic module computes anything
expensive once per loaded notebook with ``@memoised``.
"""

from __future__ import annotations

import copy
import dataclasses
import functools
import math
import re
import sys
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

NOT_ANSWERED = "Not answered yet: replace None with your answer, then run the cell again."


class Incorrect(AssertionError):
    """An answer given to ``check()`` is not right; the message says why."""

    def _render_traceback_(self):  # IPython shows this instead of a traceback
        return [f"\033[31mIncorrect.\033[0m {self}"]


class MissingObjects(TypeError):
    """``load()`` was not given the notebook objects the exercises need."""


def _value(spec, ctx):
    return spec(ctx) if callable(spec) else spec


# ---------------------------------------------------------------- how wrong answers are reported
_MODE = {"learner": False}


def learner_mode(on: bool = True) -> None:
    """In a learner copy: exercises loaded after this call print a wrong answer's reason instead of
    raising ``Incorrect``, so *Run All* does not stop at the first wrong exercise. The course's own
    notebooks never call it, so their solution cells still fail under nbval when wrong."""
    _MODE["learner"] = bool(on)


# ---------------------------------------------------------------- the notebook's objects, copied
_NOT_COPIED = ("keras", "tensorflow")


def snapshot(value):
    """A copy of a notebook object, taken when the exercises load, so that what the learner does to the
    original later (``X_train.drop(columns=..., inplace=True)``, a refit) cannot change a reference.

    Tables, arrays and scikit-learn-style models are copied deeply; dicts, lists, tuples and dataclasses
    are rebuilt around copies of their items. Keras/TensorFlow models are not copied (a network is large,
    and its weights are not changed by any exercise); nor are functions, classes and other objects,
    which are returned as they are."""
    import pandas as pd

    root = type(value).__module__.split(".")[0]
    if root in _NOT_COPIED or callable(value) and not hasattr(value, "fit"):
        return value
    if isinstance(value, (pd.DataFrame, pd.Series, pd.Index)):
        return value.copy(deep=True)
    if isinstance(value, np.ndarray):
        return value.copy()
    if isinstance(value, dict):
        return type(value)((k, snapshot(v)) for k, v in value.items())
    if isinstance(value, list):
        return [snapshot(v) for v in value]
    if isinstance(value, tuple):
        items = [snapshot(v) for v in value]
        return type(value)(*items) if hasattr(value, "_fields") else tuple(items)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.replace(value, **{f.name: snapshot(getattr(value, f.name))
                                             for f in dataclasses.fields(value) if f.init})
    if hasattr(value, "fit") and hasattr(value, "get_params"):  # a scikit-learn-style model
        return copy.deepcopy(value)
    return value


def memoised(function):
    """Decorate a topic module's ``function(ctx, *args)`` so that it is computed once per loaded notebook
    and arguments (which must be hashable): the result is kept in ``ctx`` under the key ``"_memo"``."""

    @functools.wraps(function)
    def remembered(ctx, *args, **kwargs):
        memo = ctx.setdefault("_memo", {})
        key = (function.__module__, function.__qualname__, args, tuple(sorted(kwargs.items())))
        if key not in memo:
            memo[key] = function(ctx, *args, **kwargs)
        return memo[key]

    return remembered


# ---------------------------------------------------------------- reading answers
def as_number(answer) -> float:
    """A number from what a person may pass: int, float, NumPy scalar, one-element array, numeric text."""
    if isinstance(answer, bool):
        raise TypeError("expected a number, got True/False")
    if isinstance(answer, str):
        text = _commas(answer.strip().replace(" ", ""), answer)
        if text.endswith("%"):
            raise ValueError(f"write {answer!r} as a fraction (e.g. 0.25 for 25%)")
        try:
            return float(text)
        except ValueError:
            raise ValueError(f"expected a number, got the text {answer!r}") from None
    array = np.asarray(answer)
    if array.dtype == object or not np.issubdtype(array.dtype, np.number):
        raise ValueError(f"expected a number, got {type(answer).__name__} {answer!r}")
    if array.size != 1:
        raise ValueError(f"expected one number, got an array of shape {array.shape}")
    return float(array.reshape(-1)[0])


_THOUSANDS = re.compile(r"[-+]?[1-9]\d{0,2}(,\d{3})+(\.\d*)?")
_DECIMAL_COMMA = re.compile(r"[-+]?\d*,\d+")


def _commas(text: str, answer: str) -> str:
    """Text with its commas read as a person means them: "0,079" (a decimal comma) is 0.079, "1,250.5"
    (thousands) is 1250.5; "1,250" could be either and is refused with the two readings."""
    if "," not in text:
        return text
    thousands, decimal = _THOUSANDS.fullmatch(text), _DECIMAL_COMMA.fullmatch(text)
    if thousands and decimal:
        raise ValueError(f"{answer!r} could be {text.replace(',', '')} or {text.replace(',', '.')}: write it "
                         "with a decimal point and no thousands separator")
    if thousands:
        return text.replace(",", "")
    if decimal:
        return text.replace(",", ".")
    raise ValueError(f"expected a number, got the text {answer!r} (write decimals with a point, e.g. 0.079)")


def typed_precision(value: float) -> tuple[int, float]:
    """(significant digits, half a unit in the last place) of a number as Python writes it shortest:
    0.431 -> (3, 0.0005); 12.0 -> (2, 0.5); a value computed to full precision -> (~16, tiny)."""
    if value == 0 or not math.isfinite(value):
        return 1, 0.5
    text = repr(abs(value))
    if "e" in text or "E" in text:
        mantissa, exponent = text.lower().split("e")
        digits = len(mantissa.replace(".", "").lstrip("0"))
        decimals = max(len(mantissa.split(".")[1]) if "." in mantissa else 0, 0) - int(exponent)
    else:
        whole, _, frac = text.partition(".")
        frac = "" if frac == "0" else frac
        digits = len((whole + frac).lstrip("0"))
        decimals = len(frac)
    return max(digits, 1), 0.5 * 10.0 ** (-decimals)


def normalise_name(text) -> str:
    return re.sub(r"\s+", " ", str(text)).strip().lower()


# ---------------------------------------------------------------- question types
@dataclass(kw_only=True)
class Question:
    """What every question has. ``reference(ctx)`` computes the right answer from the notebook's objects
    (``needs`` names them); ``mistakes`` pairs plausible wrong answers (values or functions of ctx) with
    why they are wrong; ``explanation`` says why the right answer is right."""

    name: str
    needs: tuple[str, ...]
    reference: Callable[[dict], Any]
    hint: str
    #: why the right answer is right: text, or a function of ctx for text that quotes the run's numbers
    explanation: str | Callable[[dict], str]
    mistakes: list[tuple[Any, str]] = field(default_factory=list)
    #: True for a question that asks for a decision a practitioner makes (drop a feature, trust a map,
    #: pick a layer), not a look-up; every topic has at least one (tests/test_exercise_cells.py)
    decision: bool = False
    kind: str = "question"

    def compare(self, answer, expected, ctx) -> str | None:  # pragma: no cover - every type overrides it
        raise NotImplementedError

    def format(self, value) -> str:
        return repr(value)

    def matches(self, answer, value, ctx) -> bool:
        """Does ``answer`` match ``value`` under this question's reading of answers?"""
        try:
            return self.compare(answer, value, ctx) is None
        except (ValueError, TypeError):
            return False

    def diagnose(self, answer, ctx) -> str | None:
        for wrong, why in self.mistakes:
            try:
                value = _value(wrong, ctx)
            except Exception:  # noqa: BLE001, S112 - a mistake that cannot be computed here is not offered
                continue
            if self.matches(answer, value, ctx):
                return _value(why, ctx) if callable(why) else why
        return None


@dataclass(kw_only=True)
class Number(Question):
    """A numeric answer. Right when within ``tolerance`` (absolute) or ``relative`` (of the reference), or
    when it equals the reference to the precision it was typed with, given at least ``digits``
    significant digits."""

    tolerance: float = 0.0
    relative: float = 1e-6
    digits: int = 2
    kind: str = "number"

    def compare(self, answer, expected, ctx):
        value = as_number(answer)
        expected = float(expected)
        allowed = max(self.tolerance, self.relative * abs(expected), 1e-12)
        if abs(value - expected) <= allowed:
            return None
        n_digits, half_unit = typed_precision(value)
        if n_digits < self.digits and abs(value - expected) <= half_unit:
            return f"{value:g} is too rough to check: give at least {self.digits} significant digits"
        if abs(value - expected) <= half_unit:
            return None
        return f"{value:g} is not the value asked for"

    def format(self, value):
        return f"{float(value):.4g}"

    def diagnose(self, answer, ctx):
        found = super().diagnose(answer, ctx)
        if found:
            return found
        try:
            value, expected = as_number(answer), float(self.reference(ctx))
        except (ValueError, TypeError):
            return None
        if expected != 0 and self.matches(-value, expected, ctx):
            return "the sign is the other way round: check which way the difference is taken"
        if expected != 0 and 0 < abs(expected) <= 1 and self.matches(value / 100, expected, ctx):
            return "that looks like a percentage: give a fraction (0.25, not 25)"
        return None


@dataclass(kw_only=True)
class Name(Question):
    """One name out of ``valid(ctx)`` (feature, class, layer, method), matched ignoring case and spaces."""

    valid: Callable[[dict], Iterable[str]] | Iterable[str] = ()
    kind: str = "name"

    def _lookup(self, answer, ctx) -> str:
        if not isinstance(answer, str):
            raise TypeError(f"expected a name as a string, got {type(answer).__name__} {answer!r}")
        names = list(_value(self.valid, ctx))
        found = [n for n in names if normalise_name(n) == normalise_name(answer)]
        if not found:
            raise ValueError(f"{answer!r} is not one of the names here: {names}")
        return found[0]

    def compare(self, answer, expected, ctx):
        got = self._lookup(answer, ctx)
        return None if got == expected else f"{got!r} is not the right one"

    def format(self, value):
        return repr(value)


@dataclass(kw_only=True)
class NameSet(Question):
    """Several names out of ``valid(ctx)``, in any order and container (list, tuple, set, or one string
    separated by commas), matched ignoring case and spaces."""

    valid: Callable[[dict], Iterable[str]] | Iterable[str] = ()
    kind: str = "names"

    def _lookup(self, answer, ctx) -> set[str]:
        if isinstance(answer, str):
            answer = [part for part in re.split(r"[,;]", answer) if part.strip()]
        if isinstance(answer, Mapping) or not isinstance(answer, Iterable):
            raise TypeError(f"expected several names (a list or set of strings), got {type(answer).__name__}")
        items = list(answer)
        if not all(isinstance(item, str) for item in items):
            raise TypeError("expected names as strings")
        name = Name(name=self.name, needs=self.needs, reference=self.reference, hint="", explanation="",
                    valid=self.valid)
        return {name._lookup(item, ctx) for item in items}

    def compare(self, answer, expected, ctx):
        got, expected = self._lookup(answer, ctx), set(expected)
        if got == expected:
            return None
        missing, extra = len(expected - got), sorted(got - expected)
        parts = []
        if extra:
            parts.append(f"{extra} should not be in it")
        if missing:
            parts.append(f"{missing} name(s) are missing")
        return "; ".join(parts)

    def format(self, value):
        return repr(sorted(value))


@dataclass(kw_only=True)
class Choice(Question):
    """Multiple choice: the notebook lists the options as (a), (b), ...; ``options`` holds their keys and
    ``why`` (dict, or function of ctx returning a dict) the reason each wrong option is wrong.
    ``reference(ctx)`` returns the right key, computed from the run where the truth depends on it."""

    options: tuple[str, ...] = ()
    why: Callable[[dict], Mapping[str, str]] | Mapping[str, str] = field(default_factory=dict)
    kind: str = "choice"

    def _key(self, answer) -> str:
        if not isinstance(answer, str):
            raise TypeError(f"answer with the letter of an option, one of {list(self.options)}")
        key = re.sub(r"[\s().\[\]]", "", answer).lower()
        if key not in self.options:
            raise ValueError(f"{answer!r} is not an option: answer with one of {list(self.options)}")
        return key

    def compare(self, answer, expected, ctx):
        key = self._key(answer)
        return None if key == expected else f"({key}) is not the best answer"

    def diagnose(self, answer, ctx):
        try:
            key = self._key(answer)
        except ValueError:
            return None
        return dict(_value(self.why, ctx)).get(key)

    def format(self, value):
        return f"({value})"


# ---------------------------------------------------------------- binding to a notebook
_UNAVAILABLE = object()  # a reference that could not be computed in a learner copy (the message is printed)


class Bound:
    """A question bound to a notebook's objects: ``check(answer)``, ``hint()``, ``solution()``."""

    def __init__(self, question: Question, ctx: dict, learner: bool = False):
        self.question, self.ctx, self.learner = question, ctx, learner
        self._reference, self._known = None, False

    @property
    def reference(self):
        if not self._known:
            self._reference, self._known = self.question.reference(self.ctx), True
        return self._reference

    def check(self, answer) -> None:
        q = self.question
        if answer is None:
            print(NOT_ANSWERED)
            return
        expected = self._reference_or_message()  # outside the try: not a wrong answer
        if expected is _UNAVAILABLE:
            return
        try:
            problem = q.compare(answer, expected, self.ctx)
        except (ValueError, TypeError) as exc:  # the answer could not be read: say how to write it
            return self._wrong(f"{exc}.")
        if problem is None:
            print(f"Correct. {_value(q.explanation, self.ctx)}")
            return
        reason = q.diagnose(answer, self.ctx)
        self._wrong(f"{problem}: {reason}" if reason else f"{problem}. Try ex.{q.name}.hint().")

    def _reference_or_message(self):
        """The reference; in a learner copy, if computing it raises (the learner changed or passed other
        objects), print what went wrong and what to do, and return ``_UNAVAILABLE``, so *Run All* goes on.
        The course's notebooks (CI) still raise: there a failing reference is a bug."""
        try:
            return self.reference
        except Exception as exc:
            if not self.learner:
                raise
            names = ", ".join(self.question.needs)
            print(f"Could not check ex.{self.question.name}: computing the right answer from the objects "
                  f"given to exercises.load ({names}) failed with {type(exc).__name__}: {exc}. Run the "
                  "notebook's cells from the top (so those objects are the notebook's own, unchanged), "
                  "then load the exercises and run this cell again.", file=sys.stdout)
            return _UNAVAILABLE

    def _wrong(self, message: str) -> None:
        """Raise ``Incorrect`` (the course's notebooks, CI), or print it in a learner copy."""
        if not self.learner:
            raise Incorrect(message)
        print("".join(Incorrect(message)._render_traceback_()), file=sys.stdout)

    def hint(self) -> None:
        print(f"Hint: {self.question.hint}")

    def solution(self) -> None:
        q = self.question
        expected = self._reference_or_message()
        if expected is not _UNAVAILABLE:
            print(f"Solution: {q.format(expected)}. {_value(q.explanation, self.ctx)}")

    def __repr__(self):
        return f"<exercise {self.question.name!r}: .check(answer), .hint(), .solution()>"


@dataclass
class Topic:
    """The exercises of one notebook, in the order the notebook asks them."""

    title: str
    notebook: str
    questions: list[Question]

    def __post_init__(self):
        names = [q.name for q in self.questions]
        if len(set(names)) != len(names):
            raise ValueError(f"{self.title}: question names must be unique, got {names}")

    @property
    def needs(self) -> list[str]:
        return sorted({n for q in self.questions for n in q.needs})

    def bind(self, module_name: str, **objects) -> Exercises:
        missing = [n for n in self.needs if n not in objects]
        if missing:
            given = ", ".join(f"{n}=..." for n in self.needs)
            raise MissingObjects(f"the {self.title} exercises need {missing} from the notebook; "
                                 f"pass them by name: exercises.load({module_name!r}, {given})")
        ctx = {name: snapshot(value) for name, value in objects.items()}  # copies taken now, once
        return Exercises(self, {q.name: Bound(q, ctx, learner=_MODE["learner"]) for q in self.questions})


class Exercises:
    """A notebook's bound exercises: ``ex.<question name>.check(answer)``."""

    def __init__(self, topic: Topic, bound: dict[str, Bound]):
        self._topic, self._bound = topic, bound

    def __getattr__(self, name):
        try:
            return self.__dict__["_bound"][name]
        except KeyError:
            raise AttributeError(f"no exercise {name!r} in {self._topic.title}; "
                                 f"the exercises are {list(self._bound)}") from None

    def __dir__(self):
        return [*super().__dir__(), *self._bound]

    def __repr__(self):
        return f"<{self._topic.title} exercises: {', '.join(self._bound)}>"


class CopyingTopic(Topic):
    """A ``Topic`` whose questions see deep copies of the notebook's objects, taken when the exercises are
    loaded: a learner who later changes ``X_test`` or refits ``forest`` does not change the references."""

    def bind(self, module_name: str, **objects) -> Exercises:
        import copy

        return super().bind(module_name, **{name: copy.deepcopy(value) for name, value in objects.items()})
