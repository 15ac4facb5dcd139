"""helpers.layout against figures with known text layouts: overlapping and separate labels, turned tick
labels, text past the edge, clipped text, hidden ticks, and the stamps a saved PNG or JPEG carries."""

import io
import json

import matplotlib
import matplotlib.pyplot as plt
import pytest
from matplotlib.transforms import IdentityTransform
from PIL import Image

from helpers import course, layout

matplotlib.use("Agg")


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def labelled(labels, rotation=0, width=4.0, **text):
    fig, ax = plt.subplots(figsize=(width, 3), dpi=100)
    ax.set_xticks(range(len(labels)), labels, rotation=rotation, **text)
    return fig


def test_crowded_tick_labels_overlap_and_spaced_ones_do_not():
    crowded = layout.text_layout(labelled([f"label number {i}" for i in range(8)]), "tight")
    spaced = layout.text_layout(labelled(["a", "b", "c"]), "tight")
    assert len(crowded.overlaps) >= 7 and spaced.overlaps == []


def test_turned_labels_count_as_rotated_rectangles_not_as_their_upright_boxes():
    labels = [f"label number {i}" for i in range(8)]
    turned = layout.text_layout(labelled(labels, rotation=45, ha="right"), "tight")
    assert turned.overlaps == []
    # the same labels at 45 degrees on a figure too narrow for them do overlap
    assert layout.text_layout(labelled(labels * 3, rotation=45, ha="right"), "tight").overlaps


def test_two_texts_on_top_of_each_other_overlap():
    fig, ax = plt.subplots()
    ax.text(0.5, 0.5, "first words", transform=ax.transAxes)
    ax.text(0.52, 0.51, "second words", transform=ax.transAxes)
    assert layout.text_layout(fig).overlaps == [("first words", "second words")]


def test_a_text_printed_over_the_end_of_another_is_one_text_to_the_viewer():
    fig, ax = plt.subplots()
    ax.text(0.5, 0.5, "184 = chol", ha="right", transform=ax.transAxes, color="grey")
    ax.text(0.5, 0.5, "chol", ha="right", transform=ax.transAxes)  # shap's waterfall does this
    ax.text(0.2, 0.2, "thal", transform=ax.transAxes)
    ax.text(0.2, 0.2, "thal", transform=ax.transAxes)
    ax.text(0.5, 0.8, "chol", ha="left", transform=ax.transAxes)  # same words, shifted: an overlap
    ax.text(0.5, 0.8, "184 = chol", ha="right", transform=ax.transAxes)
    assert layout.text_layout(fig).overlaps == []
    ax.text(0.51, 0.8, "chol", ha="left", transform=ax.transAxes)
    assert layout.text_layout(fig).overlaps == [("chol", "chol")]


def test_two_symbols_drawn_as_one_and_a_blank_first_line_are_not_overlaps():
    fig, ax = plt.subplots()
    ax.set_axis_off()
    ax.text(0.5, 0.5, r"$\leftarrow$", transform=ax.transAxes)  # shap's force plot: one "⇄"
    ax.text(0.5, 0.52, r"$\rightarrow$", transform=ax.transAxes)
    ax.text(0.2, 0.3, "\n\n$ = 0.456$", va="top", transform=ax.transAxes)  # shap's waterfall
    ax.text(0.2, 0.3, "0.5", va="bottom", transform=ax.transAxes)  # just above the label's glyphs
    assert layout.text_layout(fig).overlaps == []
    ax.text(0.5, 0.51, "=>", transform=ax.transAxes)  # two characters are words, not a symbol
    assert len(layout.text_layout(fig).overlaps) == 2


def test_text_past_the_edge_is_outside_unless_the_image_is_cut_around_all_text():
    fig, ax = plt.subplots(figsize=(3, 2))
    ax.set_axis_off()
    ax.set_title("a title far too long for a figure only three inches wide")
    assert layout.text_layout(fig).outside == ["a title far too long for a figure only t"]
    assert layout.text_layout(fig, "tight").outside == []


def test_text_cut_by_its_clip_box_is_outside():
    fig, ax = plt.subplots()
    ax.text(0.95, 0.5, "half cut off", transform=ax.transAxes, clip_on=True)
    ax.text(0.1, 0.5, "whole", transform=ax.transAxes, clip_on=True)
    assert layout.text_layout(fig, "tight").outside == ["half cut off"]


def test_only_drawn_text_counts_and_the_smallest_size_is_in_image_pixels():
    fig, ax = plt.subplots(dpi=100)
    ax.set_xticks([0, 1, 2], ["a", "b", "c"], fontsize=14)
    ax.set_xlim(-0.5, 0.5)  # ticks 1 and 2 fall outside the view and are not drawn
    ax.set_yticks([])
    ax.text(0.5, 0.5, "", fontsize=5)  # empty: not drawn
    found = layout.text_layout(fig, "tight")
    assert found.min_px == pytest.approx(14 * 100 / 72)
    assert layout.text_layout(fig, "tight", dpi=200).min_px == pytest.approx(14 * 200 / 72)
    empty, _ = plt.subplots()
    empty.axes[0].set_axis_off()
    assert layout.text_layout(empty).min_px is None


@pytest.mark.parametrize("fmt", ["png", "jpeg"])
def test_setup_stamps_saved_figures_in_normal_mode(monkeypatch, fmt):
    from legibility import stamp_of

    monkeypatch.delenv(course.PROJECTOR_ENV, raising=False)
    with matplotlib.rc_context():
        course.setup()
        fig = labelled([f"label number {i}" for i in range(8)])
        buffer = io.BytesIO()
        fig.savefig(buffer, format=fmt, bbox_inches="tight")
    with Image.open(buffer) as img:
        stamp = stamp_of(img)
    assert stamp["n_overlaps"] >= 7 and stamp["n_outside"] == 0
    assert stamp["min_px"] == pytest.approx(11 * 100 / 72, abs=0.01)  # the course's tick label size
    assert json.loads(layout.TextLayout(1.0, [("a", "b")] * 12).to_json())["n_overlaps"] == 12


def test_a_legend_covering_other_text_overlaps_and_an_annotation_arrow_is_not_text():
    fig, ax = plt.subplots(figsize=(4, 3))
    ax.plot([0, 1], [0, 1], label="a line with a long label")
    ax.set_xlabel("x label")
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, -0.2))  # over the x label
    assert ("legend", "x label") in layout.text_layout(fig, "tight").overlaps
    fig, ax = plt.subplots(figsize=(4, 3), dpi=100)
    ax.set_axis_off()
    ax.plot([0, 1], [0, 1], label="line")
    ax.text(200, 150, "x label", transform=None, ha="center", va="bottom")
    legend = ax.legend(loc="upper center", bbox_to_anchor=(200, 149), bbox_transform=IdentityTransform(),
                       borderaxespad=0)  # its frame stops 1 px under the text: touching
    assert ("legend", "x label") in layout.text_layout(fig).overlaps
    legend.set_bbox_to_anchor((200, 144), transform=IdentityTransform())  # 6 px under it: clear
    assert ("legend", "x label") not in layout.text_layout(fig).overlaps
    fig, ax = plt.subplots()
    ax.plot([0, 1], [0, 1], label="line")
    ax.legend(loc="upper left")
    for text, xy in [("first", (0.3, 0.8)), ("second", (0.7, 0.8))]:  # arrows meeting at one point
        ax.annotate(text, (0.5, 0.2), xytext=xy, arrowprops={"arrowstyle": "-"})
    assert layout.text_layout(fig, "tight").overlaps == []


def test_one_digit_labels_that_run_together_overlap_but_composed_arrows_do_not():
    crowded = layout.text_layout(labelled([str(i) for i in range(10)], width=1.0, fontsize=14), "tight")
    assert ("0", "1") in crowded.overlaps  # '0123456789' was read as symbols drawn on purpose
    fig, ax = plt.subplots()
    ax.text(0.5, 0.5, "←", transform=ax.transAxes)
    ax.text(0.505, 0.5, "→", transform=ax.transAxes)
    assert layout.text_layout(fig).overlaps == []


def test_a_texts_box_that_covers_another_text_overlaps_it():
    fig, ax = plt.subplots(figsize=(4, 3), dpi=100)
    ax.set_xlabel("the x label of the axes")
    ax.text(0.5, -0.1, "note", transform=ax.transAxes, ha="center", va="center",
            bbox={"facecolor": "yellow", "pad": 20})  # hides the middle of the x label
    assert ("box of note", "the x label of the axes") in layout.text_layout(fig, "tight").overlaps
    fig, ax = plt.subplots(figsize=(4, 3), dpi=100)
    ax.set_xlabel("the x label of the axes")
    ax.text(0.5, 0.5, "note", transform=ax.transAxes, bbox={"facecolor": "yellow", "pad": 20})
    assert layout.text_layout(fig, "tight").overlaps == []  # a box clear of other text


def test_a_fully_transparent_text_is_not_seen():
    fig, ax = plt.subplots()
    ax.set_title("the title")
    ax.text(0.5, 1.02, "hidden", alpha=0, transform=ax.transAxes, ha="center")
    assert layout.text_layout(fig).overlaps == []
