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


def test_projector_mode_raises_fonts_and_stamps_pngs_with_their_smallest_text(monkeypatch, tmp_path):
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
    assert float(Image.open(tmp_path / "f.png").text[course.MIN_FONT_KEY]) == pytest.approx(9 * 100 / 72)


def test_normal_mode_keeps_the_laptop_style(monkeypatch):
    import matplotlib

    monkeypatch.delenv(course.PROJECTOR_ENV, raising=False)
    with matplotlib.rc_context():
        course.setup()
        assert matplotlib.rcParams["font.size"] == course.STYLE["font.size"]
