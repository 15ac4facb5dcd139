"""Exercises of notebooks/11_filter_visualization.ipynb: what an optimised pattern says about real photos,
and why the gradient is normalised."""

from __future__ import annotations

import numpy as np

from .framework import Choice, Number, Topic

PHOTOS = ("chelsea_cat.png", "coffee.png", "grace_hopper.jpg", "astronaut.png")
CROP = 1  # positions dropped at each side of a map, as in the notebook's visualize_filters
SIZE = 96  # the optimised images' and the resized photos' width and height


def _photo_activations(ctx) -> np.ndarray:
    import keras

    from .. import cnn, images

    photos = np.stack([images.load_image(images.course_image(name), size=SIZE) for name in PHOTOS])
    extractor = keras.Model(ctx["model"].input, ctx["model"].get_layer("fire8_expand3x3").output)
    maps = np.asarray(extractor(cnn.preprocess_caffe(photos), training=False))
    return maps[:, CROP:-CROP, CROP:-CROP, 0].mean(axis=(1, 2))


def _pattern_activation(ctx) -> float:
    """Filter 0's activation on the notebook's optimised image, recomputed from the image itself."""
    import keras

    extractor = keras.Model(ctx["model"].input, ctx["model"].get_layer("fire8_expand3x3").output)
    image = ctx["patterns"]["fire8_expand3x3"].images[:1]
    return float(np.asarray(extractor(image, training=False))[0, CROP:-CROP, CROP:-CROP, 0].mean())


def _verdict(ctx) -> str:
    """The question's rule: p = the pattern's activation, m = the best photo's; (b) m > p, (a) m < p / 2,
    (c) otherwise."""
    p, m = _pattern_activation(ctx), float(_photo_activations(ctx).max())
    return "b" if m > p else "a" if m < p / 2 else "c"


def _why(ctx) -> dict[str, str]:
    p, m = _pattern_activation(ctx), float(_photo_activations(ctx).max())
    facts = f"here p = {p:.0f}, p / 2 = {p / 2:.0f} and the best photo m = {m:.0f}"
    return {"a": f"(a) needs m < p / 2; {facts}", "b": f"(b) needs m > p; {facts}",
            "c": f"(c) needs p / 2 <= m <= p; {facts}"}


def _ascent(ctx, normalise: bool) -> dict:
    """40 steps of size 2 from the notebook's starting noise for filter 0 of fire8_expand3x3, with the
    raw or the normalised gradient: the final activation and the first gradient's root-mean-square."""
    import keras
    import tensorflow as tf

    memo = ctx.setdefault("_ascent", {})
    if normalise not in memo:
        extractor = keras.Model(ctx["model"].input, ctx["model"].get_layer("fire8_expand3x3").output)
        start = np.random.default_rng(ctx["seed"]).uniform(-10, 10, (1, SIZE, SIZE, 3)).astype("float32")
        x = tf.Variable(start)

        @tf.function
        def gradient(x):
            with tf.GradientTape() as tape:
                tape.watch(x)
                score = tf.reduce_mean(extractor(x)[:, CROP:-CROP, CROP:-CROP, 0])
            return tape.gradient(score, x)

        first_rms = float(tf.sqrt(tf.reduce_mean(tf.square(gradient(x)))))
        for _ in range(40):
            grad = gradient(x)
            if normalise:
                grad = grad / (tf.sqrt(tf.reduce_mean(tf.square(grad))) + 1e-8)
            x.assign_add(2.0 * grad)
        memo[normalise] = {"activation": float(tf.reduce_mean(extractor(x)[:, CROP:-CROP, CROP:-CROP, 0])),
                           "first_rms": first_rms}
    return memo[normalise]


def _raw_ascent(ctx) -> float:
    return _ascent(ctx, normalise=False)["activation"]


TOPIC = Topic(
    title="filter visualization",
    notebook="11_filter_visualization",
    questions=[
        Choice(
            name="pattern_vs_photos",
            needs=("model", "patterns"),
            decision=True,
            options=("a", "b", "c"),
            reference=_verdict,
            hint="p = results['fire8_expand3x3'].after[0]; for m, run keras.Model(model.input, layer.output) "
                 "on cnn.preprocess_caffe(photos) and average map[:, CROP:-CROP, CROP:-CROP, 0] per photo.",
            explanation=lambda ctx: (
                f"The pattern drives filter 0 to p = {_pattern_activation(ctx):.0f}; on the four photos its "
                f"mean activation is {np.round(_photo_activations(ctx), 0).tolist()}, so m = "
                f"{_photo_activations(ctx).max():.0f} and the rule gives ({_verdict(ctx)})."
                + (" A filter's favourite input can be absent from real photos: a visualization is a "
                   "hypothesis about the filter, not a description of what it does on your data."
                   if _verdict(ctx) == "a" else "")),
            why=_why,
        ),
        Number(
            name="raw_gradient",
            needs=("model", "patterns", "seed"),
            reference=_raw_ascent,
            relative=1e-3,
            hint="Start from np.random.default_rng(SEED).uniform(-10, 10, (1, 96, 96, 3)); each step adds "
                 "2.0 * d(mean activation)/d(image), without dividing by its root-mean-square.",
            explanation=lambda ctx: (
                f"With the raw gradient the activation only reaches {_raw_ascent(ctx):.1f}; the notebook's "
                f"normalised ascent reached {_pattern_activation(ctx):.0f}. The raw gradient "
                f"starts with a root-mean-square of {_ascent(ctx, normalise=False)['first_rms']:.1e} per "
                "pixel, so a step of 2 x gradient barely moves the image. Normalising makes one step size "
                "work at every depth."),
            mistakes=[(lambda ctx: _ascent(ctx, normalise=True)["activation"],
                       "that is the normalised ascent's result; drop the division by the root-mean-square")],
        ),
    ],
)
