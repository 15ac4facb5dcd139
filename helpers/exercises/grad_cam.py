"""Exercises of notebooks/12_grad_cam.ipynb: choosing the layer for Grad-CAM by a test with a known
answer, and whether a prediction rests on the right evidence."""

from __future__ import annotations

from functools import partial

import numpy as np

from .framework import Choice, Name, Topic, memoised

LAYERS = ("fire3_concat", "fire5_concat", "fire7_concat", "fire9_concat")
TARGETS = {"Egyptian cat": 285, "espresso": 967}


@memoised
def _separation(ctx) -> dict[str, float]:
    """For each layer, the share of the cat's heatmap on the left half minus the espresso's, computed from
    the heatmaps at their own resolution (the notebook resizes them to the photo first)."""
    from .. import attribution, cnn

    separation = {}
    batch = np.repeat(cnn.preprocess_caffe(ctx["pair"][None]), 2, axis=0)  # one copy per class
    for layer in LAYERS:
        shares = {}
        heats = attribution.grad_cam(ctx["model"], batch, layer, list(TARGETS.values()))
        for label, heat in zip(TARGETS, heats):
            half = heat.shape[1] / 2
            weights = np.clip(half - np.arange(heat.shape[1]), 0, 1)  # columns left of the middle
            shares[label] = float((heat * weights).sum() / heat.sum())
        separation[layer] = shares["Egyptian cat"] - shares["espresso"]
    return separation


def _weak_layer(ctx, layer: str) -> str:
    """Why ``layer`` is not the answer, without naming the layer that is (nor its separation)."""
    sep = _separation(ctx)
    better = sum(value > sep[layer] for value in sep.values())
    return (f"{layer} separates the two classes by {sep[layer]:.2f}, and {better} of the other layers "
            f"separate{'s' if better == 1 else ''} them more: its heatmaps for cat and espresso overlap more")


def _layer_explanation(ctx) -> str:
    sep = _separation(ctx)
    values = list(sep.values())
    trend = ("grows at every step from fire3_concat to fire9_concat" if all(np.diff(values) > 0)
             else f"is largest at {max(sep, key=sep.get)}")
    rounded = {k: round(v, 2) for k, v in sep.items()}
    return (f"Separation (cat's left share minus espresso's) by layer: {rounded}. It {trend}; "
            "fire9_concat is the last fire module before the classifier, the layer this notebook uses for "
            "Grad-CAM.")


@memoised
def _occlusion(ctx) -> dict:
    """P(barbell) for the astronaut, with the 56 x 56 square around the Grad-CAM peak covered (it covers
    the chin, the collar and part of the space suit's neck ring)."""
    import cv2

    from .. import attribution, cnn, images

    photo = images.load_image(images.course_image("astronaut.png"), size=227)
    x = cnn.preprocess_caffe(photo[None])
    probs = np.asarray(ctx["model"](x, training=False))[0]
    barbell = ctx["class_names"].index("barbell")
    cam = cv2.resize(attribution.grad_cam(ctx["model"], x, "fire9_concat", barbell)[0], (227, 227))
    row, col = np.unravel_index(cam.argmax(), cam.shape)
    top, left = (int(np.clip(v - 28, 0, 227 - 56)) for v in (row, col))
    covered = x.copy()
    covered[0, top: top + 56, left: left + 56] = 0.0
    return {"before": float(probs[barbell]),
            "after": float(np.asarray(ctx["model"](covered, training=False))[0, barbell])}


TOPIC = Topic(
    title="Grad-CAM",
    notebook="12_grad_cam",
    questions=[
        Name(
            name="layer_choice",
            needs=("model", "pair"),
            decision=True,
            valid=LAYERS,
            reference=lambda ctx: max(_separation(ctx), key=_separation(ctx).get),
            hint="For each layer compute both heatmaps with attribution.grad_cam(model, pair_batch, layer, "
                 "index), resize them to (454, 227), and subtract the two left-half shares.",
            explanation=_layer_explanation,
            mistakes=[(layer, partial(_weak_layer, layer=layer)) for layer in LAYERS],
        ),
        Choice(
            name="barbell",
            needs=("model", "class_names"),
            decision=True,
            options=("a", "b", "c"),
            reference=lambda ctx: "a" if _occlusion(ctx)["after"] < 0.5 * _occlusion(ctx)["before"]
            else "c",
            hint="Look at the occlusion test of the astronaut section: how much does P(barbell) fall when "
                 "the heatmap's peak is covered, and what is under it?",
            explanation=lambda ctx: (
                "A wrong answer with a visible reason: covering the square at the heatmap's peak (chin, "
                "collar and part of the suit's neck ring) takes P(barbell) from "
                f"{_occlusion(ctx)['before']:.2f} to {_occlusion(ctx)['after']:.2f}: much of the evidence is "
                "there, and it is not a barbell. "
                "ImageNet has no astronaut class, so the network had to answer with some other class."),
            why=lambda ctx: {
                "b": "the heatmap sits on a real part of the photo, but that part (chin, collar and the "
                     "suit's neck ring) is not a barbell; covering it drops P(barbell) to "
                     f"{_occlusion(ctx)['after']:.2f}",
                "c": f"covering the heatmap's peak drops P(barbell) from {_occlusion(ctx)['before']:.2f} to "
                     f"{_occlusion(ctx)['after']:.2f}: more than half of it, not less"},
        ),
    ],
)
