"""helpers.sanity against known answers: the cascade re-draws the layers it should and leaves the network
alone, the floor pairs networks without sharing one, and the verdict rule on tables built by hand."""

import numpy as np
import pandas as pd
import pytest

from helpers import attribution, sanity

keras = pytest.importorskip("keras")


@pytest.fixture(scope="module")
def tiny():
    keras.utils.set_random_seed(0)
    inputs = keras.Input((28, 28, 1))
    x = keras.layers.Conv2D(4, 3, padding="same", activation="relu", name="conv1")(inputs)
    x = keras.layers.MaxPooling2D(2)(x)
    x = keras.layers.Conv2D(4, 3, padding="same", activation="relu", name="conv3")(x)
    x = keras.layers.GlobalMaxPooling2D()(x)
    x = keras.layers.Dense(8, activation="relu", name="dense")(x)
    logits = keras.layers.Dense(3, name="logits")(x)
    return keras.Model(inputs, keras.layers.Activation("softmax", name="predictions")(logits))


@pytest.fixture(scope="module")
def images():
    rng = np.random.default_rng(0)
    out = np.zeros((2, 28, 28, 1), np.float32)
    out[:, 8:20, 6:22] = rng.uniform(0.5, 1, size=(2, 12, 16, 1))
    return out


STAGES = {"logits": ["logits"], "dense": ["dense"], "conv3": ["conv3"], "conv1": ["conv1"]}


def gradient_maps(net, inputs, labels):
    return [{"Gradient": g} for g in attribution.gradients(net, inputs, labels)]


def test_cascade_matches_randomized_copy_and_leaves_the_network_alone(tiny, images):
    before = [w.copy() for w in tiny.get_weights()]
    maps = sanity.cascade(tiny, STAGES, images, [0, 1], gradient_maps, only=["dense", "conv1"], seed=3)
    assert list(maps) == ["dense", "conv1"]
    rebuilt = attribution.randomized_copy(tiny, ["logits", "dense"], random_state=3)
    assert np.allclose([m["Gradient"] for m in maps["dense"]], attribution.gradients(rebuilt, images, [0, 1]),
                       atol=1e-6)
    assert all(np.array_equal(a, b) for a, b in zip(before, tiny.get_weights()))
    with pytest.raises(ValueError, match="unknown stages"):
        sanity.cascade(tiny, STAGES, images, [0, 1], gradient_maps, only=["fire9"])


def test_random_networks_differ_by_seed_and_the_floor_pairs_them_apart(tiny, images):
    nets = sanity.random_networks(tiny, STAGES, images, [0, 1], gradient_maps, seeds=[1, 2, 3, 4])
    assert not np.allclose(nets[0][0]["Gradient"], nets[1][0]["Gradient"])
    floor = sanity.random_vs_random(nets, sanity.RANK_MEASURES, images)
    assert sorted(floor.pair.unique()) == [0, 1] and len(floor) == 2 * 2 * len(sanity.RANK_MEASURES)
    same = sanity.compare(nets[0], nets[0], sanity.RANK_MEASURES, images)
    assert np.allclose(same.similarity, 1.0) and not same.blank.any()
    with pytest.raises(ValueError, match="even number"):
        sanity.random_vs_random(nets[:3], sanity.RANK_MEASURES, images)


def table(values, stage="s", by="draw"):
    """Similarities of one method and measure: values[unit][input]."""
    return pd.DataFrame([{"method": "M", "measure": "rank |map|", "input": i, by: u, "similarity": v,
                          "stage": stage} for u, row in enumerate(values) for i, v in enumerate(row)])


def test_mean_and_se_add_the_two_sources_of_variation():
    t = table([[0.2, 0.4], [0.6, 0.8]])
    mean, se = sanity.mean_and_se(t, "draw")
    draws, inputs = np.array([0.3, 0.7]), np.array([0.4, 0.6])
    expected = np.sqrt(draws.var(ddof=1) / 2 + inputs.var(ddof=1) / 2)
    assert np.isclose(mean.iloc[0], 0.5) and np.isclose(se.iloc[0], expected)
    _, single = sanity.mean_and_se(table([[0.2, 0.2]]), "draw")
    assert single.iloc[0] == 0, "one draw and identical inputs: nothing measured, nothing added"


def test_verdict_fails_above_the_midpoint_and_marks_close_calls_borderline():
    floor = table([[0.0, 0.0], [0.2, 0.2]], stage="floor", by="pair")  # mean 0.1: midpoint 0.55
    far_above = sanity.verdicts(table([[0.9, 0.9], [0.9, 0.9]]), floor, "s", ["rank |map|"])
    assert far_above["verdict"].iloc[0] == "fails" and np.isclose(far_above["midpoint"].iloc[0], 0.55)
    close = sanity.verdicts(table([[0.5, 0.6], [0.5, 0.6]]), floor, "s", ["rank |map|"])
    assert close["verdict"].iloc[0] == "passes" and close["borderline"].iloc[0]
    assert sanity.with_borderline(close, "M", "rank |map|") == "passes (borderline)"
    with pytest.raises(ValueError, match="no similarities at stage"):
        sanity.verdicts(table([[0.5]]), floor, "elsewhere", ["rank |map|"])


def test_verdict_summary_puts_the_papers_reading_before_ours():
    verdict = pd.DataFrame(
        {"verdict": ["fails", "passes", "passes"], "borderline": [False, True, False]},
        index=pd.MultiIndex.from_tuples([("A", "rank signed"), ("A", "rank |map|"),
                                         ("Grad-CAM", "rank |map|")], names=["method", "measure"]))
    ours = sanity.verdict_summary(verdict, ["A", "Grad-CAM"])
    assert ours.to_dict("index") == {"A": {"signed": "fails", "|map|": "passes (borderline)"},
                                     "Grad-CAM": {"signed": "= |map|", "|map|": "passes"}}
    paper = {"A": "fails", "Grad-CAM": "passes", "B": "x"}
    both = sanity.verdict_summary(verdict, ["Grad-CAM", "A"], paper=paper)
    assert list(both.columns) == ["paper (qualitative)", "ours (course's rule), signed",
                                  "ours (course's rule), |map|"]
    assert list(both.index) == ["Grad-CAM", "A"], "the methods asked for, in their order: not the paper's B"
    assert both.loc["A"].tolist() == ["fails", "fails", "passes (borderline)"]


def test_silhouette_maps_gives_the_nine_methods(tiny, images):
    maps = sanity.silhouette_maps(tiny, images, [0, 2], seed=0, smooth_n=4, ig_steps=8)
    assert len(maps) == 2 and list(maps[0]) == sanity.METHODS
    assert all(np.shape(m)[:2] == (28, 28) for m in maps[0].values())
    assert not maps[0]["Gradient ⊙ Input"][0, 0].any(), "zero wherever the input is zero"
    with pytest.raises(ValueError, match="one label per image"):
        sanity.silhouette_maps(tiny, images, [0], seed=0)


def test_verdict_summary_names_a_method_the_verdict_does_not_have():
    index = pd.MultiIndex.from_tuples([("Gradient", "rank signed"), ("Gradient", "rank |map|")])
    verdict = pd.DataFrame({"verdict": ["passes", "fails"], "borderline": [False, True]}, index=index)
    with pytest.raises(KeyError, match=r"no row \('SmoothGrad', 'rank signed'\); its methods are \['Gradi"):
        sanity.verdict_summary(verdict, ["SmoothGrad"])  # was KeyError: 'rank signed'
    with pytest.raises(ValueError, match="methods is empty"):  # was an empty table
        sanity.verdict_summary(verdict, [])
    assert sanity.verdict_summary(verdict, "Gradient").loc["Gradient", "|map|"] == "fails (borderline)"
