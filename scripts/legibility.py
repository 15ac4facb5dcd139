"""How every figure's text on a built page looks to a viewer: its smallest size as displayed, text boxes
that overlap, text outside the image.

Every matplotlib figure records the layout of its text in the image (``course:text``, see
helpers.layout), in normal and projector mode. A browser scales each image to the page; the text a
viewer sees is the smallest height times (displayed width / image width). Run against a built site
(``make course``, or ``make course PROJECTOR=1``):

    .venv/bin/python scripts/legibility.py build 1024 768

prints, per page, the figures whose smallest text falls below the threshold, whose text overlaps or
leaves the image, and those with no stamp. tests/test_site_browser.py uses the same measurement on
every page of both modes.
"""

from __future__ import annotations

import argparse
import base64
import io
import json
import shutil
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from helpers.layout import TEXT_KEY

LEGIBLE_PX = 12.0  # the smallest text height accepted at 1024 x 768 (about 9 pt on a 96-dpi screen)
BROWSER_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@dataclass(frozen=True)
class FigureText:
    index: int
    image_px: float | None  # smallest text in the image's own pixels (None: no text, or not stamped)
    scale: float  # displayed width / natural width
    displayed_px: float | None
    stamped: bool = True  # False: a matplotlib figure, or a JPEG, without a stamp
    overlaps: tuple = ()  # pairs of overlapping texts (the first ten)
    outside: tuple = ()  # texts outside the image or cut by their clip box (the first ten)

    @property
    def problems(self) -> list[str]:
        found = [] if self.stamped else ["no text-layout stamp"]
        if self.displayed_px is not None and self.displayed_px < LEGIBLE_PX:
            found.append(f"smallest text {self.displayed_px:.1f} px")
        found += [f"overlap: {a!r} / {b!r}" for a, b in self.overlaps]
        found += [f"outside: {t!r}" for t in self.outside]
        return found


def chromium_path() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def stamp_of(figure) -> dict | None:
    """A figure's text-layout stamp: a PNG text chunk, or the comment of a JPEG (written as
    ``key=value`` by helpers.compat.stamp_figures and build_site.lossy_if_photo)."""
    if getattr(figure, "text", None) and TEXT_KEY in figure.text:
        return json.loads(figure.text[TEXT_KEY])
    comment = figure.info.get("comment", b"")
    comment = comment.decode(errors="replace") if isinstance(comment, bytes) else str(comment)
    key, _, value = comment.partition("=")
    return json.loads(value) if key == TEXT_KEY and value else None


def measure(page) -> list[FigureText]:
    """The figures of a loaded Playwright page: their text as displayed."""
    images = page.eval_on_selector_all(
        "img[src^='data:image/png'], img[src^='data:image/jpeg']",
        "els => els.map(e => ({src: e.src, natural: e.naturalWidth,"
        " shown: e.getBoundingClientRect().width}))")
    found = []
    for i, img in enumerate(images):
        raw = base64.b64decode(img["src"].split(",", 1)[1])
        with Image.open(io.BytesIO(raw)) as figure:
            stamp = stamp_of(figure)
            # a PNG that matplotlib did not write (shap's logo) is not a figure; a JPEG may be one
            if stamp is None and figure.format == "PNG" and \
                    not str(figure.info.get("Software", "")).startswith("Matplotlib"):
                continue
        scale = img["shown"] / img["natural"] if img["natural"] else 1.0
        px = stamp.get("min_px") if stamp else None
        found.append(FigureText(i, px, scale, px * scale if px is not None else None, stamp is not None,
                                tuple(map(tuple, stamp["overlaps"])) if stamp else (),
                                tuple(stamp["outside"]) if stamp else ()))
    return found


def main() -> None:
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("width", type=int, nargs="?", default=1024)
    parser.add_argument("height", type=int, nargs="?", default=768)
    args = parser.parse_args()
    worst = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path(), headless=True, args=BROWSER_ARGS)
        view = browser.new_page(viewport={"width": args.width, "height": args.height})
        for html in sorted(args.site.glob("[0-9][0-9]_*.html")):
            view.goto(html.resolve().as_uri())
            figures = measure(view)
            sized = [f.displayed_px for f in figures if f.displayed_px is not None]
            print(f"{html.name:45} {len(figures):3} figures, smallest text "
                  f"{min(sized, default=float('nan')):5.1f} px")
            for f in figures:
                for problem in f.problems:
                    print(f"    figure {f.index}: {problem}")
                    worst.append((html.name, f.index, problem))
        browser.close()
    print(f"{len(worst)} problems (text under {LEGIBLE_PX:.0f} px as displayed, overlaps, text outside, "
          "figures without a stamp)")


if __name__ == "__main__":
    main()
