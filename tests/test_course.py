import json

import pytest

from helpers import course


def test_without_lines_drops_only_the_known_lines(capsys):
    with course.without_lines("obtain pred_func from the provided model."):
        print("obtain pred_func from the provided model.")
        print("something else")
    assert capsys.readouterr().out == "something else\n"


def test_without_lines_keeps_output_and_exceptions_of_a_failing_block(capsys):
    with pytest.raises(ZeroDivisionError), course.without_lines("known"):
        print("before the error")
        1 / 0  # noqa: B018
    assert capsys.readouterr().out == "before the error\n"


def test_setup_returns_the_seed_and_seeds_numpy():
    import numpy as np

    assert course.setup(7) == 7
    a = np.random.rand()
    course.setup(7)
    assert np.random.rand() == a


def test_projector_mode_raises_fonts_and_figures_are_stamped_with_their_smallest_text(monkeypatch, tmp_path):
    import matplotlib
    import matplotlib.pyplot as plt
    from PIL import Image

    monkeypatch.setenv(course.PROJECTOR_ENV, "1")
    with matplotlib.rc_context():
        course.setup()
        assert matplotlib.rcParams["font.size"] == course.PROJECTOR_STYLE["font.size"]
        fig, ax = plt.subplots(dpi=100)
        ax.set_title("big", fontsize=20)
        ax.text(0.5, 0.5, "small", fontsize=9)
        fig.savefig(tmp_path / "f.png", dpi=100)
        plt.close(fig)
    stamp = json.loads(Image.open(tmp_path / "f.png").text[course.TEXT_KEY])
    assert stamp["min_px"] == pytest.approx(9 * 100 / 72, abs=0.01)


def test_normal_mode_keeps_the_laptop_style(monkeypatch):
    import matplotlib

    monkeypatch.delenv(course.PROJECTOR_ENV, raising=False)
    with matplotlib.rc_context():
        course.setup()
        assert matplotlib.rcParams["font.size"] == course.STYLE["font.size"]


def test_quiet_pdpbox_hides_its_line_and_progress_bar_and_restores_them(capsys):
    from pdpbox import pdp

    original = pdp.tqdm
    with course.quiet_pdpbox():
        print(course.PDPBOX_LINE)
        print("kept")
        bar = pdp.tqdm(total=3)
        assert bar.disable, "inside the block pdpbox's progress bar must be disabled"
    assert pdp.tqdm is original
    assert capsys.readouterr().out == "kept\n"


def test_quiet_pdpbox_restores_the_progress_bar_when_the_block_raises():
    from pdpbox import pdp

    original = pdp.tqdm
    with pytest.raises(ValueError), course.quiet_pdpbox():
        raise ValueError("a failing pdpbox call")
    assert pdp.tqdm is original
