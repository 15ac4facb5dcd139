"""The faithful_images exercises (notebook 13) accept the right answers and name the likely mistakes, on a
tiny network standing in for SqueezeNet."""

import numpy as np
import pytest

from helpers import attribution, exercises
from helpers.exercises import Incorrect


def load(tiny):
    image = np.random.default_rng(1).normal(size=(64, 64, 3)).astype(np.float32)
    integrated = attribution.integrated_gradients(tiny, image, 1)
    ctx = {"model": tiny, "x": image, "target": 1, "integrated": integrated}
    return exercises.load("faithful_images", **ctx), ctx


def test_insertion_by_deletion_accepts_the_mirror_and_names_the_mistakes(tiny, capsys):
    ex, ctx = load(tiny)
    importance = attribution.signed_map(ctx["integrated"])
    mirror = attribution.deletion_curve(tiny, ctx["x"], 1, -importance, steps=10, block=16)
    ex.insertion_by_deletion.check(attribution.area_under(*mirror))
    assert "Correct" in capsys.readouterr().out
    forwards = attribution.area_under(*attribution.deletion_curve(tiny, ctx["x"], 1, importance, steps=10,
                                                                  block=16))
    assert not np.isclose(forwards, attribution.area_under(*mirror), rtol=1e-3), "the test needs them apart"
    with pytest.raises(Incorrect, match="deletion AUC of the map itself"):
        ex.insertion_by_deletion.check(forwards)


def test_occlusion_is_not_deletion_says_why_each_wrong_option_is_wrong(tiny, capsys):
    ex, _ = load(tiny)
    ex.occlusion_is_not_deletion.check("(c)")
    assert "Correct" in capsys.readouterr().out
    for option, reason in (("a", "one 32-pixel square at a time"), ("b", "32 pixels wide"),
                           ("d", "the other way round")):
        with pytest.raises(Incorrect, match=reason):
            ex.occlusion_is_not_deletion.check(option)
