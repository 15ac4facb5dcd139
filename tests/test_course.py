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
