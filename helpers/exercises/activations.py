"""Exercises of notebooks/10_intermediate_activations.ipynb: whether a sparsity pattern seen on one image
is general, and which filters could be pruned (counted from conv3's pre-activations computed by hand, then
verified by pruning them)."""

from __future__ import annotations

import numpy as np

from .. import cnn
from .framework import Number, Topic, memoised

NEEDS = ("model", "animals")
CONV = ("conv1", "conv2", "conv3")


def _summaries(ctx, images, strict: bool = True) -> dict:
    """Per image, the share of active units of each conv layer (above zero; at or above zero with
    ``strict=False``); per layer, each filter's largest activation over all images and positions.
    Computed by batches (the full maps are ~350 MB)."""
    extractor = cnn.activation_model(ctx["model"], CONV)
    active, peaks = [], None
    for start in range(0, len(images), 500):
        maps = extractor(images[start: start + 500], training=False)
        maps = [np.asarray(m) for m in maps]
        fired = [(m > 0) if strict else (m >= 0) for m in maps]
        active.append(np.stack([f.mean(axis=(1, 2, 3)) for f in fired], axis=1))
        batch_peaks = [m.max(axis=(0, 1, 2)) for m in maps]
        peaks = batch_peaks if peaks is None else [np.maximum(a, b) for a, b in zip(peaks, batch_peaks)]
    return {"active": np.concatenate(active), "peaks": peaks}


def _first_elephant(ctx) -> int:
    elephant = ctx["animals"].class_names.index("elephant")
    return int(np.flatnonzero(ctx["animals"].y_test == elephant)[0])


@memoised
def _images_summaries(ctx, which: str = "test", strict: bool = True) -> dict:
    """``_summaries`` of the 2,000 test silhouettes, the first 2,000 training ones, or the first test
    elephant (the notebook's example), computed once per loaded notebook."""
    animals = ctx["animals"]
    images = {"test": animals.x_test, "train": animals.x_train[:2000],
              "first elephant": animals.x_test[_first_elephant(ctx): _first_elephant(ctx) + 1]}[which]
    return _summaries(ctx, images, strict)


def _smallest_step(ctx, which: str = "test", strict: bool = True, reduce: str = "min",
                   skip_conv2: bool = False) -> float:
    """The smallest fall of the share of active units from one conv layer to the next, over the images
    and both steps (conv1 -> conv2, conv2 -> conv3): positive when the sparsity ordering holds for every
    image. ``reduce="mean"``: the mean over images of each image's smallest step; ``skip_conv2``: the fall
    from conv1 straight to conv3."""
    active = _images_summaries(ctx, which, strict)["active"]
    steps = active[:, [0]] - active[:, [2]] if skip_conv2 else -np.diff(active, axis=1)
    per_image = steps.min(axis=1)
    return float(per_image.min() if reduce == "min" else per_image.mean())


def _silent(ctx, layer: int = 2, images: str = "test") -> int:
    return int((_images_summaries(ctx, images)["peaks"][layer] <= 0).sum())


@memoised
def _conv3_preactivation_peaks(ctx) -> np.ndarray:
    """Each conv3 filter's largest pre-activation over the test set, computed by hand from pool2's output
    and conv3's kernel and bias (``cnn.preactivation_peaks``), not read from conv3's own output: a filter
    whose pre-activation is <= 0 at every position of every test image is zeroed everywhere by the ReLU."""
    return cnn.preactivation_peaks(ctx["model"], "conv3", ctx["animals"].x_test)


@memoised
def _silent_verified(ctx) -> int:
    """The number of conv3 filters that never fire on the test set, counted from the pre-activations
    computed by hand (not from the layer's output, as the notebook's solution does), then checked by
    pruning them: with their kernels and biases set to zero the model's test predictions must not change."""
    dead = np.flatnonzero(_conv3_preactivation_peaks(ctx) <= 0)
    pruned = cnn.without_filters(ctx["model"], "conv3", dead)
    x = ctx["animals"].x_test
    before = ctx["model"].predict(x, batch_size=500, verbose=0)
    after = pruned.predict(x, batch_size=500, verbose=0)
    if not np.allclose(before, after, atol=1e-6):
        raise AssertionError("pruning the silent filters changed the predictions: the count is wrong")
    return len(dead)


TOPIC = Topic(
    title="intermediate activations",
    notebook="10_intermediate_activations",
    questions=[
        Number(
            name="ordering_share",
            needs=NEEDS,
            reference=_smallest_step,
            tolerance=0.0001,
            digits=3,
            hint="cnn.activation_model(model, conv_layers) on animals.x_test (predict_on_batch in batches of "
                 "500); per image and layer, the share of values above zero; then -np.diff along the layers "
                 "gives each image's two steps down, and you want the smallest of them all.",
            explanation=lambda ctx: (
                f"The smallest step down over the 2,000 test silhouettes is {_smallest_step(ctx):.4f}, above "
                "zero: every conv layer is sparser than the one before it on every test silhouette, not only "
                f"on the elephant (whose smallest step is {_smallest_step(ctx, 'first elephant'):.3f}). A "
                "property of this network on this data, measured on all of it."),
            mistakes=[
                (lambda ctx: _smallest_step(ctx, strict=False),
                 ("that counts values at or above zero as active: after a ReLU every value is, so nothing "
                  "falls; active means above zero")),
                (lambda ctx: _smallest_step(ctx, "first elephant"),
                 ("that is the elephant's smallest step; the question asks for the smallest over all 2,000 "
                  "test silhouettes")),
                (lambda ctx: _smallest_step(ctx, "train"),
                 "that is on training images; the question asks for the 2,000 test silhouettes"),
                (lambda ctx: _smallest_step(ctx, reduce="mean"),
                 ("that is the mean over the silhouettes of each one's smallest step; the question asks for "
                  "the smallest over all of them (one silhouette where the ordering failed would show)")),
                (lambda ctx: _smallest_step(ctx, skip_conv2=True),
                 ("that is the fall from conv1 straight to conv3; the question asks for the two steps, "
                  "conv1 to conv2 and conv2 to conv3")),
            ],
        ),
        Number(
            name="silent_filters",
            needs=NEEDS,
            decision=True,
            reference=_silent_verified,
            hint="Take conv3's maps for all test silhouettes (shape images x 7 x 7 x 128), the maximum over "
                 "images and positions per filter, and count the filters whose maximum is 0.",
            explanation=lambda ctx: (
                f"{_silent_verified(ctx)} of the 128 conv3 filters never fire on the test silhouettes: the "
                "checker counted them from conv3's pre-activations computed by hand (tf.nn.conv2d on pool2's "
                "output, plus the bias), zeroed them, and every test prediction stayed the same. They could "
                "be pruned for this data (a new kind of input might still use them: check on the data you "
                "will serve)."),
            mistakes=[
                (lambda ctx: _silent(ctx, images="first elephant"),
                 ("that counts the maps silent for one elephant; a filter is useless only if it is silent "
                  "for every test silhouette")),
                (lambda ctx: _silent(ctx, layer=1), "that is conv2's count; the question asks about conv3"),
            ],
        ),
    ],
)
