"""Learner copies of the notebooks, in a folder the learner owns: ``my_notebooks/`` at the repository root
(git-ignored, outside build/, which ``make clean`` deletes).

A learner copy is a notebook without its cells tagged ``solution`` (nbconvert's TagRemovePreprocessor), in
which ``check()`` prints why an answer is wrong instead of stopping *Run All* (see
``helpers.exercises.learner_mode``). **A learner copy is written only where none exists**: running this
script (``make exercises``, ``make lab-learner``, ``make course``) never changes or deletes a copy the
learner may have answered. Starting one notebook over is explicit, and keeps a backup of the old copy::

    python scripts/make_exercises.py --restart 03     # make restart-exercise NB=03
    # -> my_notebooks/backups/03_shap.<date-time>.ipynb, then a fresh my_notebooks/03_shap.ipynb

Copies made by earlier versions of the course in ``build/exercises/`` are copied to the learner's folder
the first time (only where the learner's folder has no copy of that notebook yet).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from pathlib import Path

import nbformat
from nbconvert.preprocessors import TagRemovePreprocessor

from helpers.paths import BUILD_DIR, ROOT, course_notebooks

SOLUTION_TAG = "solution"
#: The learner's folder (git-ignored): never written into except where a notebook has no copy yet.
LEARNER_DIR = ROOT / "my_notebooks"
#: Where copies lived before (build/ is deleted by `make clean`); moved to LEARNER_DIR once.
OLD_DIR = BUILD_DIR / "exercises"
BACKUPS = "backups"
#: The line put above ``exercises.load(...)`` in a learner copy.
LEARNER_LINE = ("exercises.learner_mode()  # learner copy: a wrong answer prints why, without stopping "
                "Run All\n")


def learner_copy(nb):
    """A copy of ``nb`` without its solution cells, whose exercises print a wrong answer's reason
    instead of raising (the line ``LEARNER_LINE`` above the cell's ``exercises.load(...)``)."""
    remover = TagRemovePreprocessor(remove_cell_tags={SOLUTION_TAG}, enabled=True)
    out, _ = remover.preprocess(nbformat.from_dict(nb), {})
    for cell in out.cells:
        if cell.cell_type == "code" and "exercises.load(" in cell.source and LEARNER_LINE not in cell.source:
            cell.source = LEARNER_LINE + cell.source
            break
    return out


def _notebook(number: str) -> Path:
    found = [p for p in course_notebooks() if p.name[:2] == number or p.stem == number or p.name == number]
    if len(found) != 1:
        valid = ", ".join(p.name[:2] for p in course_notebooks())
        raise SystemExit(f"error: no notebook {number!r}; give its number, one of: {valid}")
    return found[0]


def write_missing(out: Path, old: Path | None = OLD_DIR) -> dict[str, str]:
    """Make a learner copy of every course notebook that has none in ``out``; leave every existing copy
    as it is. Returns what happened to each notebook: "kept", "moved" (from ``old``) or "created"."""
    out.mkdir(parents=True, exist_ok=True)
    done = {}
    for path in course_notebooks():
        target = out / path.name
        if target.exists():
            done[path.name] = "kept"
        elif old is not None and (old / path.name).is_file():
            shutil.copy2(old / path.name, target)  # a copy, not a move: build/ is the course's, not ours
            done[path.name] = "copied"
        else:
            nbformat.write(learner_copy(nbformat.read(path, as_version=4)), target)
            done[path.name] = "created"
    return done


def restart(number: str, out: Path) -> tuple[Path, Path | None]:
    """Start one exercise notebook over: the learner's copy goes to ``out/backups/`` (with the date and
    time in its name), then a fresh copy is written. Returns (fresh copy, backup or None)."""
    path = _notebook(number)
    target, backup = out / path.name, None
    if target.exists():
        folder = out / BACKUPS
        folder.mkdir(parents=True, exist_ok=True)
        stamp = time.strftime("%Y%m%d-%H%M%S")
        backup = folder / f"{path.stem}.{stamp}{path.suffix}"
        n = 1
        while backup.exists():
            backup, n = folder / f"{path.stem}.{stamp}-{n}{path.suffix}", n + 1
        shutil.copy2(target, backup)
    out.mkdir(parents=True, exist_ok=True)
    nbformat.write(learner_copy(nbformat.read(path, as_version=4)), target)
    return target, backup


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=LEARNER_DIR, help=f"the learner's folder ({LEARNER_DIR})")
    parser.add_argument("--restart", metavar="NB",
                        help="start notebook NB (its number, e.g. 03) over; the old copy is kept in backups/")
    args = parser.parse_args(argv)
    if args.restart:
        fresh, backup = restart(args.restart, args.out)
        print(f"{fresh.name}: started over" + (f"; your previous copy is in {backup}" if backup else ""))
        return
    done = write_missing(args.out, OLD_DIR if args.out.resolve() == LEARNER_DIR.resolve() else None)
    for name, what in done.items():
        if what != "kept":
            print(f"{name}: {what}" + (f" from {OLD_DIR}" if what == "copied" else ""))
    kept = sum(what == "kept" for what in done.values())
    print(f"learner copies in {args.out} ({kept} of yours kept unchanged; start one over with "
          "`make restart-exercise NB=03`)")


if __name__ == "__main__":
    sys.exit(main())
