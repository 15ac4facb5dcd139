"""What a matplotlib figure's text looks like once drawn: its smallest size, text boxes that overlap, and
text that leaves the saved image or is cut by its clip box.

Every figure a notebook shows is stamped with this (PNG text chunk ``course:text``, JSON), in normal and
projector mode; the site's browser test reads the stamp of every figure on every page and turns the
smallest size into the size a viewer sees at 1024 x 768 (``scripts/legibility.py``).

Only text that is actually drawn counts (the tick labels of ticks outside the view are not, nor a text in
a fully transparent colour), and each text is taken as its rotated rectangle, so two 45-degree tick
labels side by side do not count as overlapping because their upright bounding boxes do. Overlaps of text
with lines, markers or images are not measured, except that a legend's box (with a 2-px margin: touching
reads as crowded), and a text's own box (``bbox=...``), must not cover any text but its own. A text
printed over another on purpose (shap's waterfall prints "chol" again, in black, over the end of the grey
"184 = chol"; an identical string on the same spot), and two single symbols that are not letters or
digits drawn over each other (shap's force plot composes its "⇄" from a left and a right arrow), are not
overlaps: the viewer reads one text; one-digit labels that run together are. Blank first or last lines of
a text ("\n$ = 0.456$") take no room.
Infrastructure (not taught in a notebook): installed by ``course.setup`` in every notebook.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

import numpy as np

TEXT_KEY = "course:text"
TOLERANCE_PX = 1.0  # boxes touching within a pixel do not count as overlapping, nor as crossing an edge
LEGEND_MARGIN_PX = 2.0  # a legend's frame keeps this clear of any text but its own


@dataclass
class TextLayout:
    """The drawn text of one figure, in pixels of the saved image.

    Infrastructure (not taught in a notebook): what ``text_layout`` returns."""

    min_px: float | None
    overlaps: list[tuple[str, str]] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)

    def to_json(self) -> str:
        return json.dumps({"min_px": None if self.min_px is None else round(self.min_px, 2),
                           "overlaps": self.overlaps[:10], "n_overlaps": len(self.overlaps),
                           "outside": self.outside[:10], "n_outside": len(self.outside)})


def _drawn_texts(fig):
    """Every visible, non-empty Text the figure draws, with its rotated corners and upright bbox (pixels,
    the text alone: an annotation's arrow is not text), and every drawn legend with its box and its own
    texts."""
    from matplotlib.legend import Legend
    from matplotlib.text import Text

    drawn, legends = [], []
    original, original_legend = Text.draw, Legend.draw

    def draw(self, renderer):
        original(self, renderer)
        if not (self.get_visible() and self.get_text().strip()) or _transparent(self):
            return
        patch = self.get_bbox_patch()
        if patch is not None and patch.get_visible() and not _transparent_patch(patch):
            box = patch.get_window_extent(renderer)  # a text's box hides what it covers, as a legend's
            legends.append((_corners(box, box.width, box.height, 0.0), {self}, f"box of {_label(self)}"))
        box = _without_blank_lines(self, Text.get_window_extent(self, renderer))
        angle = self.get_rotation() % 180
        if angle in (0, 90):
            w, h = (box.width, box.height) if angle == 0 else (box.height, box.width)
        else:  # the upright size, from the same text drawn without rotation
            self.set_rotation(0)
            upright = Text.get_window_extent(self, renderer)
            self.set_rotation(angle)
            w, h = upright.width, upright.height
        drawn.append((self, _corners(box, w, h, np.deg2rad(angle)), box))

    def draw_legend(self, renderer):
        original_legend(self, renderer)
        if self.get_visible():  # with a margin: a frame touching a label reads as crowded
            box = self.get_window_extent(renderer).padded(LEGEND_MARGIN_PX + 2 * TOLERANCE_PX)
            legends.append((_corners(box, box.width, box.height, 0.0), {*self.get_texts(), self.get_title()},
                            "legend"))

    Text.draw, Legend.draw = draw, draw_legend
    try:
        fig.draw_without_rendering()
    finally:
        Text.draw, Legend.draw = original, original_legend
    return drawn, legends


def _transparent(text) -> bool:
    """A text drawn in a fully transparent colour (alpha 0): nothing to see, nothing to overlap."""
    from matplotlib.colors import to_rgba

    return text.get_alpha() == 0 or to_rgba(text.get_color())[3] == 0


def _transparent_patch(patch) -> bool:
    """A text's bbox patch with neither a visible face nor a visible edge."""
    face = patch.get_facecolor()[3] if patch.get_fill() else 0.0
    edge = patch.get_edgecolor()[3] if patch.get_linewidth() > 0 else 0.0
    return patch.get_alpha() == 0 or (face == 0 and edge == 0)


def _without_blank_lines(text, box):
    """An upright text's box without its blank first and last lines (each line takes an equal share)."""
    from matplotlib.transforms import Bbox

    lines = text.get_text().split("\n")
    lead = next(i for i, line in enumerate(lines) if line.strip())
    trail = next(i for i, line in enumerate(reversed(lines)) if line.strip())
    if not (lead or trail) or text.get_rotation() % 180:
        return box
    share = box.height / len(lines)
    return Bbox([[box.x0, box.y0 + trail * share], [box.x1, box.y1 - lead * share]])


def _corners(box, w: float, h: float, theta: float) -> np.ndarray:
    """The four corners of a w x h rectangle turned by theta about the centre of its bounding box, each side
    pulled in by the tolerance."""
    w, h = max(w - 2 * TOLERANCE_PX, 0.0), max(h - 2 * TOLERANCE_PX, 0.0)
    turn = np.array([[np.cos(theta), -np.sin(theta)], [np.sin(theta), np.cos(theta)]])
    half = np.array([[-w, -h], [w, -h], [w, h], [-w, h]]) / 2
    return np.array([box.x0 + box.width / 2, box.y0 + box.height / 2]) + half @ turn.T


def _separated(a: np.ndarray, b: np.ndarray) -> bool:
    """Separating-axis test for two convex quadrilaterals given by their corners."""
    for poly in (a, b):
        for i in range(4):
            edge = poly[(i + 1) % 4] - poly[i]
            axis = np.array([-edge[1], edge[0]])
            pa, pb = a @ axis, b @ axis
            if pa.max() <= pb.min() or pb.max() <= pa.min():
                return True
    return False


def _symbol(text: str) -> bool:
    """A single character that is not a letter or digit (an arrow, a sign), or a single mathtext symbol
    such as ``$\\leftarrow$``. Single letters and digits are read as text: crowded one-digit tick labels
    or heatmap values that run together are overlaps."""
    return (len(text) == 1 and not text.isalnum()) or re.fullmatch(r"\$\\[A-Za-z]+\$", text) is not None


def _overprinted(s, p, t, q) -> bool:
    """Two single symbols drawn together, or one upright text printed over the start or the end of
    another, the same characters on the same spot."""
    a, b = s.get_text().strip(), t.get_text().strip()
    if _symbol(a) and _symbol(b):
        return True
    if s.get_rotation() % 180 or t.get_rotation() % 180 or abs((p.y0 + p.y1) - (q.y0 + q.y1)) > 2:
        return False
    same_end = (a.endswith(b) or b.endswith(a)) and abs(p.x1 - q.x1) <= TOLERANCE_PX
    same_start = (a.startswith(b) or b.startswith(a)) and abs(p.x0 - q.x0) <= TOLERANCE_PX
    return same_end or same_start


def _label(text) -> str:
    return " ".join(text.get_text().split())[:40]


def text_layout(fig, bbox_inches=None, pad_inches=None, dpi=None) -> TextLayout:
    """Measure ``fig`` as it would be saved (``bbox_inches="tight"`` as Jupyter's inline backend saves):
    smallest text height in pixels at the saving ``dpi`` (default: the figure's), overlapping text pairs,
    and text outside the image or cut by its clip box.

    Infrastructure (not taught in a notebook): the stamp ``course.setup`` puts on every figure.
    """
    from matplotlib import rcParams
    from matplotlib.transforms import Bbox

    drawn, legends = _drawn_texts(fig)
    if not drawn:
        return TextLayout(None)
    scale = (fig.dpi if dpi in (None, "figure") else float(dpi)) / 72
    min_px = min(t.get_fontsize() for t, _, _ in drawn) * scale
    overlaps = [(_label(s), _label(t)) for i, (s, a, p) in enumerate(drawn) for t, b, q in drawn[i + 1:]
                if not _separated(a, b) and not _overprinted(s, p, t, q)]
    overlaps += [(name, _label(t)) for box, own, name in legends for t, corners, _ in drawn
                 if t not in own and not _separated(box, corners)]
    renderer = fig.canvas.get_renderer()
    if bbox_inches == "tight":
        pad = rcParams["savefig.pad_inches"] if pad_inches in (None, "layout") else pad_inches
        area = Bbox(fig.get_tightbbox(renderer).padded(pad).get_points() * fig.dpi)
    else:
        area = fig.bbox
    outside = []
    for text, _, box in drawn:
        inner = box.padded(-TOLERANCE_PX)
        limits = [area]
        clip = text.get_clip_box() if text.get_clip_on() else None
        if clip is not None:
            limits.append(clip)
        path = text.get_clip_path() if text.get_clip_on() else None
        if path is not None:
            limits.append(path.get_fully_transformed_path().get_extents())
        if any(not (lim.x0 <= inner.x0 and inner.x1 <= lim.x1 and lim.y0 <= inner.y0 and inner.y1 <= lim.y1)
               for lim in limits):
            outside.append(_label(text))
    return TextLayout(min_px, overlaps, outside)
