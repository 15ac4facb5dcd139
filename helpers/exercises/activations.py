"""Exercises of notebooks/10_intermediate_activations.ipynb: whether a sparsity pattern seen on one image
is general, and which filters could be pruned (counted from conv3's pre-activations computed by hand, then
verified by pruning them)."""

from __future__ import annotations

import numpy as np

from .framework import Number, Topic

NEEDS = ("model", "animals")
CONV = ("conv1", "conv2", "conv3")


def _summaries(ctx, images) -> dict:
    """Per image, the share of active units of each conv layer; per layer, each filter's largest
    activation over all images and positions. Computed by batches (the full maps are ~350 MB)."""
    import keras

    model = ctx["model"]
    extractor = keras.Model(model.input, [model.get_layer(n).output for n in CONV])
    active, peaks = [], None
    for start in range(0, len(images), 500):
        maps = extractor(images[start: start + 500], training=False)
        maps = [np.asarray(m) for m in maps]
        active.append(np.stack([(m > 0).mean(axis=(1, 2, 3)) for m in maps], axis=1))
        batch_peaks = [m.max(axis=(0, 1, 2)) for m in maps]
        peaks = batch_peaks if peaks is None else [np.maximum(a, b) for a, b in zip(peaks, batch_peaks)]
    return {"active": np.concatenate(active), "peaks": peaks}


def _test_summaries(ctx) -> dict:
    memo = ctx.setdefault("_summaries", {})
    if "test" not in memo:
        memo["test"] = _summaries(ctx, ctx["animals"].x_test)
    return memo["test"]


def _ordering_share(ctx, images=None, strict=True) -> float:
    active = (_test_summaries(ctx) if images is None else _summaries(ctx, images))["active"]
    steps = np.diff(active, axis=1)
    return float(((steps < 0) if strict else (steps <= 0)).all(axis=1).mean())


def _silent(ctx, layer: int = 2, images: str = "all") -> int:
    if images == "first elephant":
        elephant = ctx["animals"].class_names.index("elephant")
        first = int(np.flatnonzero(ctx["animals"].y_test == elephant)[0])
        peaks = _summaries(ctx, ctx["animals"].x_test[first: first + 1])["peaks"][layer]
    else:
        peaks = _test_summaries(ctx)["peaks"][layer]
    return int((peaks <= 0).sum())


def _conv3_preactivation_peaks(ctx) -> np.ndarray:
    """Each conv3 filter's largest pre-activation over the test set, computed by hand from pool2's output
    and conv3's kernel and bias (``tf.nn.conv2d`` + bias), not read from conv3's own output: a filter whose
    pre-activation is <= 0 at every position of every test image is zeroed everywhere by the ReLU."""
    import keras
    import tensorflow as tf

    memo = ctx.setdefault("_summaries", {})
    if "conv3 by hand" not in memo:
        model, x = ctx["model"], ctx["animals"].x_test
        to_pool2 = keras.Model(model.input, model.get_layer("pool2").output)
        kernel, bias = model.get_layer("conv3").get_weights()
        peaks = np.full(kernel.shape[-1], -np.inf, dtype=np.float32)
        for start in range(0, len(x), 500):
            below = to_pool2(x[start: start + 500], training=False)
            z = tf.nn.conv2d(below, kernel, strides=1, padding="SAME") + bias
            peaks = np.maximum(peaks, np.asarray(z).max(axis=(0, 1, 2)))
        memo["conv3 by hand"] = peaks
    return memo["conv3 by hand"]


def _silent_verified(ctx) -> int:
    """The number of conv3 filters that never fire on the test set, counted from the pre-activations
    computed by hand (not from the layer's output, as the notebook's solution does), then checked by
    pruning them: with their kernels and biases set to zero the model's test predictions must not change."""
    import keras

    dead = np.flatnonzero(_conv3_preactivation_peaks(ctx) <= 0)
    pruned = keras.models.clone_model(ctx["model"])
    pruned.set_weights(ctx["model"].get_weights())
    kernel, bias = pruned.get_layer("conv3").get_weights()
    kernel[..., dead], bias[dead] = 0.0, 0.0
    pruned.get_layer("conv3").set_weights([kernel, bias])
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
            reference=_ordering_share,
            tolerance=0.0005,
            hint="cnn.activation_model(model, conv_layers) on animals.x_test (predict with batch_size=500); "
                 "per image and layer, the share of values above zero; then check np.diff < 0 on each row.",
            explanation=lambda ctx: (
                f"The ordering holds on {_ordering_share(ctx):.1%} of the test silhouettes: not a property "
                "of one elephant, but of this network on this data."),
            mistakes=[
                (lambda ctx: _ordering_share(ctx, strict=False),
                 "that allows equal shares (<=); the question asks for strictly falling"),
                (lambda ctx: _ordering_share(ctx, images=ctx["animals"].x_train[:2000]),
                 "that is on training images; the question asks for the 2,000 test silhouettes"),
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
