"""The trusting_images exercises accept the right answers, name the likely mistakes and refuse to pick an
answer when the notebook's results no longer single one out."""

import numpy as np
import pandas as pd
import pytest

from helpers import attribution, exercises
from helpers.exercises import Incorrect
from helpers.exercises.trusting_images import METHODS

keras = pytest.importorskip("keras")


@pytest.fixture(scope="module")
def tiny():
    keras.utils.set_random_seed(0)
    inputs = keras.Input((64, 64, 3))  # 16 squares of 16 pixels, as the exercise deletes them
    x = keras.layers.Conv2D(4, 3, padding="same", activation="relu", name="conv")(inputs)
    x = keras.layers.GlobalAveragePooling2D()(x)
    logits = keras.layers.Dense(3, name="logits")(x)
    return keras.Model(inputs, keras.layers.Activation("softmax", name="predictions")(logits))


def data_verdict(verdicts):
    rows = {(m, measure): {"verdict": v, "similarity": 0.5} for m, pair in verdicts.items()
            for measure, v in zip(("rank signed", "rank |map|"), pair)}
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.index = pd.MultiIndex.from_tuples(table.index, names=["method", "measure"])
    return table


PASS, FAIL = ("passes", "passes"), ("fails", "passes")
AS_IN_THE_NOTEBOOK = {m: PASS for m in METHODS} | {"Integrated Gradients": ("passes", "fails"),
                                                   "Guided Backprop": FAIL}


def load(tiny, **extra):
    image = np.random.default_rng(1).normal(size=(64, 64, 3)).astype(np.float32)
    integrated = attribution.integrated_gradients(tiny, image, 1)
    ctx = {"model": tiny, "x": image, "target": 1, "integrated": integrated, "small": tiny,
           "silhouettes": image[None], "labels": np.array([1]), "original": None, "explain": None, "seed": 0,
           "data_verdict": data_verdict(AS_IN_THE_NOTEBOOK)}
    ctx.update(extra)
    return exercises.load("trusting_images", **ctx), ctx


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


def test_least_changed_is_the_map_that_survives_the_output_layer(tiny, capsys):
    rng = np.random.default_rng(2)
    original = {m: rng.normal(size=(8, 8, 1)) for m in METHODS}

    def explain(net, images, labels):  # every map redrawn except Guided Backprop's
        return [{m: original[m] if m == "Guided Backprop" else rng.normal(size=(8, 8, 1)) for m in METHODS}]

    ex, _ = load(tiny, original=[original, original], explain=explain, labels=np.array([0, 1]))
    ex.least_changed.check("  guided backprop ")
    assert "Correct" in capsys.readouterr().out
    with pytest.raises(Incorrect, match="magnitude maps"):
        ex.least_changed.check("Integrated Gradients")
    with pytest.raises(Incorrect, match="not one of the names"):
        ex.least_changed.check("Saliency")


def test_data_test_reads_the_verdicts(tiny, capsys):
    ex, _ = load(tiny)
    ex.data_test.check("(b)")
    assert "Correct" in capsys.readouterr().out
    with pytest.raises(Incorrect, match="cannot tell the two apart"):
        ex.data_test.check("c")
    with pytest.raises(Incorrect, match="only the randomization tests|Only the randomization tests"):
        ex.data_test.check("d")


def test_data_test_refuses_when_the_results_no_longer_single_out_one_statement(tiny):
    everything_passes = {m: PASS for m in METHODS}
    ex, _ = load(tiny, data_verdict=data_verdict(everything_passes))
    with pytest.raises(RuntimeError, match="no longer single out"):
        ex.data_test.check("b")
