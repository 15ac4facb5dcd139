"""How large the smallest text of every figure on a built page is, as a viewer sees it.

In projector mode every PNG figure records the pixel height of its smallest text in the image
(``course:min_font_px``, see helpers.course). A browser scales each image to the page; the text a viewer
sees is that height times (displayed width / image width). Run against a site built with
``make course PROJECTOR=1`` (or ``build_site.py --projector``):

    .venv/bin/python scripts/legibility.py build 1024 768

prints, per page, the figures whose smallest text falls below the threshold. tests/test_site_browser.py
uses the same measurement on the pages it builds.
"""

from __future__ import annotations

import argparse
import base64
import io
import shutil
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from helpers.course import MIN_FONT_KEY

LEGIBLE_PX = 12.0  # the smallest text height accepted at 1024 x 768 (about 9 pt on a 96-dpi screen)
BROWSER_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@dataclass(frozen=True)
class FigureText:
    index: int
    image_px: float | None  # smallest text in the image's own pixels (None: figure not stamped)
    scale: float  # displayed width / natural width
    displayed_px: float | None


def chromium_path() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def stamp_of(figure) -> str | None:
    """Projector mode's smallest-text stamp: a PNG text chunk, or the comment of a figure the site
    re-encoded as JPEG (build_site.lossy_if_photo writes it as ``key=value``)."""
    if getattr(figure, "text", None) and MIN_FONT_KEY in figure.text:
        return figure.text[MIN_FONT_KEY]
    comment = figure.info.get("comment", b"")
    comment = comment.decode(errors="replace") if isinstance(comment, bytes) else str(comment)
    key, _, value = comment.partition("=")
    return value if key == MIN_FONT_KEY and value else None


def measure(page) -> list[FigureText]:
    """The figures of a loaded Playwright page: their smallest text as displayed."""
    images = page.eval_on_selector_all(
        "img[src^='data:image/png'], img[src^='data:image/jpeg']",
        "els => els.map(e => ({src: e.src, natural: e.naturalWidth,"
        " shown: e.getBoundingClientRect().width}))")
    found = []
    for i, img in enumerate(images):
        raw = base64.b64decode(img["src"].split(",", 1)[1])
        with Image.open(io.BytesIO(raw)) as figure:
            stamped = stamp_of(figure)
        scale = img["shown"] / img["natural"] if img["natural"] else 1.0
        px = float(stamped) if stamped else None
        found.append(FigureText(i, px, scale, px * scale if px is not None else None))
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
            stamped = [f for f in figures if f.displayed_px is not None]
            small = [f for f in stamped if f.displayed_px < LEGIBLE_PX]
            low = min((f.displayed_px for f in stamped), default=float("nan"))
            listed = [(f.index, round(f.displayed_px, 1)) for f in small]
            print(f"{html.name:45} {len(figures):3} figures, {len(stamped):3} stamped, smallest text "
                  f"{low:5.1f} px; below {LEGIBLE_PX:.0f} px: {listed}")
            worst += [(html.name, f) for f in small]
        browser.close()
    print(f"{len(worst)} figures below {LEGIBLE_PX:.0f} px")


if __name__ == "__main__":
    main()
