"""Write learner copies of the notebooks to build/exercises/: the cells tagged `solution` removed,
everything else as committed (no outputs). Uses nbconvert's TagRemovePreprocessor."""

from __future__ import annotations

import argparse
from pathlib import Path

import nbformat
from nbconvert.preprocessors import TagRemovePreprocessor

from helpers.paths import BUILD_DIR, course_notebooks

SOLUTION_TAG = "solution"


def learner_copy(nb):
    """A copy of ``nb`` without its solution cells."""
    remover = TagRemovePreprocessor(remove_cell_tags={SOLUTION_TAG}, enabled=True)
    out, _ = remover.preprocess(nbformat.from_dict(nb), {})
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=BUILD_DIR / "exercises")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for path in course_notebooks():
        nb = nbformat.read(path, as_version=4)
        copy = learner_copy(nb)
        nbformat.write(copy, args.out / path.name)
        removed = len(nb.cells) - len(copy.cells)
        print(f"{path.name}: {removed} solution cell(s) removed")
    print(f"learner copies in {args.out}")


if __name__ == "__main__":
    main()
