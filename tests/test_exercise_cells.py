"""A notebook's exercise cells and its topic module agree: every question is asked, in order, with a
learner cell wired to it and a tagged solution cell; learner copies keep no solution."""

import json
import re

import pytest
from make_exercises import SOLUTION_TAG, learner_copy

from helpers import exercises, paths
from helpers.exercises import framework

LOAD = re.compile(r"""exercises\.load\(\s*["']([a-z0-9_]+)["']""")
NOTEBOOKS = [p for p in paths.course_notebooks() if not p.name.startswith("00_")]


def cells(path):
    return json.loads(path.read_text())["cells"]


def text(cell):
    return "".join(cell["source"])


def topic_of(path):
    found = {m for c in cells(path) if c["cell_type"] == "code" for m in LOAD.findall(text(c))}
    assert len(found) == 1, f"{path.name}: expected one exercises.load(...) call, found {sorted(found)}"
    return found.pop()


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name[:2])
def test_notebook_asks_its_topic_questions_in_order_with_wired_cells(path):
    name = topic_of(path)
    topic = exercises.topics()[name]
    assert topic.notebook == path.stem, f"{name}.TOPIC.notebook is {topic.notebook!r}, not {path.stem!r}"
    assert 2 <= len(topic.questions) <= 4, "each notebook ends with 2-4 exercises"
    assert any(q.decision for q in topic.questions), "at least one asks for a practitioner's decision"
    nb = cells(path)
    starts = [i for i, c in enumerate(nb)
              if c["cell_type"] == "markdown" and text(c).startswith("**Exercise ")]
    assert len(starts) == len(topic.questions), \
        f"{len(starts)} exercise cells in the notebook, {len(topic.questions)} questions in {name}.py"
    for k, (start, question) in enumerate(zip(starts, topic.questions), start=1):
        assert text(nb[start]).startswith(f"**Exercise {k} · "), f"exercise {k}'s heading"
        end = starts[k] if k < len(starts) else len(nb)
        block = nb[start + 1: end]
        call = f"ex.{question.name}.check("
        learner = [c for c in block
                   if c["cell_type"] == "code" and SOLUTION_TAG not in c["metadata"].get("tags", [])]
        solution = [c for c in block if SOLUTION_TAG in c["metadata"].get("tags", [])]
        assert learner and call in text(learner[0]) and "= None" in text(learner[0]), \
            f"exercise {k}: the cell under the question must start unanswered and call {call}...)"
        assert len(solution) == 1 and call in text(solution[0]), \
            f"exercise {k}: one tagged solution calling {call}"
        if isinstance(question, framework.Choice):
            missing = [o for o in question.options if f"({o})" not in text(nb[start])]
            assert not missing, f"exercise {k}: options {missing} are not listed in the question cell"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name[:2])
def test_learner_copy_has_no_solutions(path):
    nb = json.loads(path.read_text())
    copy = learner_copy(nb)
    solutions = sum(SOLUTION_TAG in c["metadata"].get("tags", []) for c in nb["cells"])
    assert solutions >= 2
    assert not any(SOLUTION_TAG in c.metadata.get("tags", []) for c in copy.cells)
    assert len(copy.cells) == len(nb["cells"]) - solutions


def test_every_topic_module_belongs_to_a_notebook():
    stems = {p.stem for p in paths.course_notebooks()}
    for name, topic in exercises.topics().items():
        assert topic.notebook in stems, f"{name}.py points to {topic.notebook}, which does not exist"
