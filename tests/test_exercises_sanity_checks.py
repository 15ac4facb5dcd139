"""The sanity_checks exercises (notebook 14) accept the right answers, name the likely mistakes and refuse
to pick an answer when the notebook's results no longer single one out."""

import numpy as np
import pandas as pd
import pytest

from helpers import exercises, sanity
from helpers.exercises import Incorrect
from helpers.exercises.sanity_checks import METHODS


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
    ctx = {"small": tiny, "silhouettes": image[None], "labels": np.array([1]), "original": None, "seed": 0,
           "data_verdict": data_verdict(AS_IN_THE_NOTEBOOK)}
    ctx.update(extra)
    return exercises.load("sanity_checks", **ctx), ctx


def test_least_changed_is_the_map_that_survives_the_output_layer(tiny, capsys, monkeypatch):
    rng = np.random.default_rng(2)
    original = {m: rng.normal(size=(8, 8, 1)) for m in METHODS}
    calls = []

    def silhouette_maps(net, images, labels, *, seed):  # every map redrawn except Guided Backprop's
        calls.append((len(images), list(labels), seed))
        return [{m: original[m] if m == "Guided Backprop" else rng.normal(size=(8, 8, 1)) for m in METHODS}]

    monkeypatch.setattr(sanity, "silhouette_maps", silhouette_maps)
    ex, _ = load(tiny, original=[original, original], labels=np.array([0, 1]),
                 silhouettes=np.zeros((2, 8, 8, 1)))
    ex.least_changed.check("  guided backprop ")
    assert "Correct" in capsys.readouterr().out
    assert calls == [(1, [1], 0)], "the helper explains the elephant (index 1) with the notebook's seed"
    with pytest.raises(Incorrect, match="magnitude maps"):
        ex.least_changed.check("Integrated Gradients")
    with pytest.raises(Incorrect, match="not one of the names"):
        ex.least_changed.check("Saliency")


def test_data_test_reads_the_verdicts(tiny, capsys):
    ex, _ = load(tiny)
    ex.data_test.check("(d)")
    assert "Correct" in capsys.readouterr().out
    with pytest.raises(Incorrect, match="cannot tell the two apart"):
        ex.data_test.check("b")
    with pytest.raises(Incorrect, match="only the randomization tests|Only the randomization tests"):
        ex.data_test.check("c")


def test_data_test_refuses_when_the_results_no_longer_single_out_one_statement(tiny):
    everything_passes = {m: PASS for m in METHODS}
    ex, _ = load(tiny, data_verdict=data_verdict(everything_passes))
    with pytest.raises(RuntimeError, match="no longer single out"):
        ex.data_test.check("d")
