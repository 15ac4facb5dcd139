"""The course map, generated from the notebooks: number, title and the one-line summary under each
notebook's title (its first italic line), grouped into the course's parts by the tens digit of the
number (``PARTS``). `python scripts/course_map.py --write` refreshes README.md between the course-map
markers; tests/test_course_map.py fails when README and notebooks disagree. The site's index
(scripts/build_site.py) uses the same parts."""

from __future__ import annotations

import argparse
import json
import re
from dataclasses import dataclass
from pathlib import Path

from helpers.paths import README, course_notebooks

START, END = "<!-- course-map:start -->", "<!-- course-map:end -->"
#: The course's parts, keyed by the tens digit of a notebook's number, in reading order.
PARTS = {"0": "00–09 · Explaining tabular models",
         "1": "10–19 · Explaining image models",
         "2": "20–29 · Explanations under attack"}


def part(number: str) -> str:
    """The part a notebook number such as "20" belongs to; a number in no part is an error."""
    if len(number) != 2 or not number.isdigit():
        raise ValueError(f"a notebook number is two digits, got {number!r}")
    if number[0] not in PARTS:
        raise ValueError(f"notebook {number} is in no part of the course: add its tens digit to PARTS in "
                         f"scripts/course_map.py (the parts are {list(PARTS.values())})")
    return PARTS[number[0]]


def by_part(items, number=lambda item: item.number) -> list[tuple[str, list]]:
    """``items`` (in reading order) grouped into consecutive runs of the same part: [(part, items), ...]."""
    groups: list[tuple[str, list]] = []
    for item in items:
        name = part(number(item))
        if not groups or groups[-1][0] != name:
            groups.append((name, []))
        groups[-1][1].append(item)
    return groups


@dataclass(frozen=True)
class Entry:
    number: str
    title: str
    summary: str
    path: Path


def entries() -> list[Entry]:
    out = []
    for path in course_notebooks():
        first = "".join(json.loads(path.read_text())["cells"][0]["source"])
        title = re.search(r"^# (.+)$", first, re.MULTILINE)
        summary = re.search(r"^\*(.+)\*$", first, re.MULTILINE)
        if not title or not summary:
            raise ValueError(f"{path.name}: the first cell needs an H1 title and an italic one-line summary")
        number, _, name = title.group(1).partition(" · ")
        out.append(Entry(number.strip(), name.strip(), summary.group(1).strip(), path))
    return out


def markdown_table() -> str:
    rows = []
    for name, members in by_part(entries()):
        rows.append(f"| | **{name}** | |")
        rows += [f"| {e.number} | [{e.title}](notebooks/{e.path.name}) | {e.summary} |" for e in members]
    return "\n".join(["| # | notebook | what it teaches |", "|---|---|---|", *rows])


def readme_block(text: str) -> str:
    if START not in text or END not in text:
        raise ValueError(f"README.md lacks the markers {START} ... {END}")
    return text.split(START, 1)[1].split(END, 1)[0].strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="rewrite the course map in README.md")
    args = parser.parse_args()
    table = markdown_table()
    if not args.write:
        print(table)
        return
    text = README.read_text()
    readme_block(text)  # checks the markers are there
    before, rest = text.split(START, 1)
    after = rest.split(END, 1)[1]
    new = f"{before}{START}\n{table}\n{END}{after}"
    README.write_text(new)
    print("README.md course map", "updated" if new != text else "already up to date")


if __name__ == "__main__":
    main()
