"""A learner's answers are never lost: learner copies live in the learner's folder, are written only where
missing, are started over only by the explicit `make restart-exercise NB=..` (with a backup), and no make
target deletes or overwrites them.

The make targets are run for real, from a scratch folder (`make -C <tmp> -f <repo>/Makefile`), with the
learner's folder in it; `make -n` lists each target's commands, and every command is run except
`build_site.py` (the full course, which writes only to build/: checked separately) and `jupyter lab`."""

import re
import shlex
import subprocess

import make_exercises
import nbformat
import pytest

from helpers import paths
from helpers.exercises import framework

ANSWER = "answer = 0.079  # my answer, typed in the learner copy"
MAKEFILE = paths.ROOT / "Makefile"
VENV = paths.ROOT / ".venv"
NOT_RUN = ("build_site.py", "jupyter lab", "pip install")
REMOVES = re.compile(r"(^|[\s;&|])rm\s")


def answer_in(path) -> bool:
    return any(ANSWER in cell.source for cell in nbformat.read(path, as_version=4).cells)


def type_answer(path) -> None:
    nb = nbformat.read(path, as_version=4)
    cell = next((c for c in nb.cells if c.cell_type == "code" and "answer = None" in c.source), None)
    if cell is None:  # a notebook without exercises: the learner's own cell
        nb.cells.append(nbformat.v4.new_code_cell(ANSWER))
    else:
        cell.source = cell.source.replace("answer = None", ANSWER, 1)
    nbformat.write(nb, path)


@pytest.fixture
def scratch(tmp_path):
    """A folder to run make in, with the learner's folder holding one answered copy and a build/ folder."""
    for name in ("scripts", "requirements.txt", "pyproject.toml"):
        (tmp_path / name).symlink_to(paths.ROOT / name)
    learner = tmp_path / "my_notebooks"
    make_exercises.write_missing(learner, old=None)
    first = sorted(learner.glob("*.ipynb"))[1]
    type_answer(first)
    (tmp_path / "build" / "exercises").mkdir(parents=True)
    return tmp_path, first


def touches_learner_copies(line: str) -> bool:
    return "make_exercises" in line or "my_notebooks" in line or bool(REMOVES.search(line))


def targets() -> list[str]:
    phony = next(line for line in MAKEFILE.read_text().replace("\\\n", " ").splitlines()
                 if line.startswith(".PHONY:"))
    return phony.split(":", 1)[1].split()


def commands(folder, target: str, *variables: str) -> list[str]:
    run = subprocess.run(["make", "-s", "-n", "-C", str(folder), "-f", str(MAKEFILE), f"VENV={VENV}",
                          "-o", str(VENV / ".installed"), "-o", str(VENV / ".installed-test"), target,
                          *variables],
                         capture_output=True, text=True, check=True)
    return [line for line in run.stdout.replace("\\\n", " ").splitlines() if line.strip()]


def test_copies_are_written_only_where_missing(tmp_path):
    done = make_exercises.write_missing(tmp_path, old=None)
    assert set(done.values()) == {"created"}
    first = min(tmp_path.glob("*.ipynb"))
    type_answer(first)
    again = make_exercises.write_missing(tmp_path, old=None)
    assert set(again.values()) == {"kept"} and answer_in(first)


def test_old_copies_in_build_are_carried_over_not_replaced(tmp_path):
    old, new = tmp_path / "build_exercises", tmp_path / "mine"
    make_exercises.write_missing(old, old=None)
    answered = min(old.glob("*.ipynb"))
    type_answer(answered)
    done = make_exercises.write_missing(new, old=old)
    assert done[answered.name] == "copied" and answer_in(new / answered.name)


def test_restart_keeps_a_backup_and_touches_no_other_notebook(tmp_path):
    make_exercises.write_missing(tmp_path, old=None)
    first, second = sorted(tmp_path.glob("*.ipynb"))[:2]
    type_answer(first)
    type_answer(second)
    fresh, backup = make_exercises.restart(first.name[:2], tmp_path)
    assert fresh == first and not answer_in(first) and answer_in(backup)
    assert backup.parent == tmp_path / make_exercises.BACKUPS and answer_in(second)
    _, second_backup = make_exercises.restart(first.name[:2], tmp_path)  # a second restart: a new backup
    assert second_backup != backup and answer_in(backup)
    with pytest.raises(SystemExit, match="no notebook '99'; give its number"):
        make_exercises.restart("99", tmp_path)


def test_no_make_target_loses_an_answer(scratch):
    folder, answered = scratch
    ran = []
    for target in targets():
        if target == "restart-exercise":  # the one explicit command that starts a notebook over
            continue
        if target == "clean-env":  # deletes the environment: read, never run (it would delete this test's)
            removed = [line for line in commands(folder, target) if REMOVES.search(line)]
            assert removed and all(line.split()[-1] == str(VENV) for line in removed), removed
            continue
        lines = commands(folder, target)
        if not any(touches_learner_copies(line) for line in lines):
            continue
        for line in lines:
            if any(skip in line for skip in NOT_RUN):
                continue
            subprocess.run(line, shell=True, cwd=folder, check=True, capture_output=True)
        ran.append(target)
        assert answer_in(answered), f"`make {target}` lost the learner's answer in {answered.name}"
    assert {"exercises", "lab-learner", "course", "clean"} <= set(ran), ran
    assert not (folder / "build").exists(), "make clean ran"
    assert answer_in(answered)


def test_restart_target_needs_a_notebook_and_keeps_a_backup(scratch):
    folder, answered = scratch
    (line,) = [c for c in commands(folder, "restart-exercise", f"NB={answered.name[:2]}")
               if "make_exercises" in c]
    subprocess.run(line, shell=True, cwd=folder, check=True, capture_output=True)
    backups = list((folder / "my_notebooks" / make_exercises.BACKUPS).glob("*.ipynb"))
    assert len(backups) == 1 and answer_in(backups[0]) and not answer_in(answered)
    refused = subprocess.run(["make", "-s", "-C", str(folder), "-f", str(MAKEFILE), f"VENV={VENV}",
                              "-o", str(VENV / ".installed"), "restart-exercise"],
                             check=False, capture_output=True, text=True)
    assert refused.returncode != 0 and "make restart-exercise NB=03" in refused.stdout + refused.stderr


def test_the_site_build_writes_only_to_build():
    """`make course` also runs build_site.py, which is not run here: its code (docstring aside) never names
    the learner's folder or the functions that write into it."""
    import ast

    tree = ast.parse((paths.ROOT / "scripts" / "build_site.py").read_text())
    tree.body = tree.body[1:]  # the module docstring
    code = ast.unparse(tree)
    assert not any(name in code for name in ("LEARNER_DIR", "write_missing", "restart", "my_notebooks"))


def test_learner_folder_is_ignored_by_git_and_outside_build():
    assert "my_notebooks/" in (paths.ROOT / ".gitignore").read_text().splitlines()
    assert paths.BUILD_DIR not in make_exercises.LEARNER_DIR.parents


def test_lab_address_can_be_chosen_and_is_printed(tmp_path):
    for target in ("lab", "lab-learner"):
        lines = commands(tmp_path, target, "IP=0.0.0.0", "PORT=9999")
        lab = next(line for line in lines if "jupyter lab" in line)
        assert "--ip=0.0.0.0" in shlex.split(lab) and "--port=9999" in shlex.split(lab)
        assert any("open http://" in line and ":9999/lab" in line for line in lines)


def test_learner_copy_prints_a_wrong_answer_instead_of_stopping(capsys):
    nb = nbformat.read(next(p for p in paths.course_notebooks() if p.name.startswith("01_")), as_version=4)
    copy = make_exercises.learner_copy(nb)
    assert sum(make_exercises.LEARNER_LINE in c.source for c in copy.cells) == 1
    question = framework.Number(name="q", needs=(), reference=lambda c: 0.5, hint="h", explanation="e")
    topic = framework.Topic(title="t", notebook="99", questions=[question])
    try:
        framework.learner_mode()
        topic.bind("t").q.check(0.7)  # no exception: the verdict is printed
        assert "Incorrect." in capsys.readouterr().out
    finally:
        framework.learner_mode(False)
    with pytest.raises(framework.Incorrect):  # the course's notebooks (and CI): a wrong answer still raises
        topic.bind("t").q.check(0.7)


def test_run_all_on_a_learner_copy_goes_past_wrong_answers(tmp_path):
    """Notebook 03's learner copy with a wrong answer in every exercise runs to its last cell, each
    exercise printing why its answer is wrong (the course's own notebook would stop at the first)."""
    from notebook_runner import execute

    source = next(p for p in paths.course_notebooks() if p.name.startswith("03_"))
    nb = make_exercises.learner_copy(nbformat.read(source, as_version=4))
    wrong = iter(["0.5", "'typical angina'", "'c'"])
    for cell in nb.cells:
        if cell.cell_type == "code" and "answer = None" in cell.source:
            cell.source = cell.source.replace("answer = None", f"answer = {next(wrong)}", 1)
    path = tmp_path / source.name
    nbformat.write(nb, path)
    ran = execute(path).nb
    printed = "".join(out.get("text", "") for cell in ran.cells if cell.cell_type == "code"
                      for out in cell.get("outputs", []))
    assert printed.count("Incorrect.") == 3, printed[-2000:]
    last = next(c for c in reversed(ran.cells) if c.cell_type == "code")
    assert last.get("execution_count"), "the last code cell did not run"
