"""Pixel attribution methods for image classifiers, batched for CPU speed, plus the faithfulness and
sanity-check tools of notebooks/13_trusting_image_explanations.ipynb (where each is taught).

Every method takes one preprocessed image ``x`` (H, W, C), a Keras model and a class index, explains the
class score at ``score_layer`` (before the softmax) and returns an (H, W) map of importance (larger =
more important). Perturbations (noise samples, interpolation steps, occluded copies, deletion steps) are
evaluated in batches, not one forward pass at a time.
"""

from __future__ import annotations

import numpy as np

from .cnn import get_layer


def _score_model(model, score_layer: str):
    import keras

    return keras.Model(model.input, get_layer(model, score_layer).output)


def class_scores(model, images: np.ndarray, class_index: int, score_layer: str = "logits",
                 batch_size: int = 32) -> np.ndarray:
    """The class score of every image in ``images``, computed in batches."""
    scorer = _score_model(model, score_layer)
    # a direct call, not predict_on_batch: a new scorer per call would retrace a tf.function each time
    out = [np.asarray(scorer(images[i: i + batch_size], training=False))[:, class_index]
           for i in range(0, len(images), batch_size)]
    return np.concatenate(out)


def _gradients(scorer, images: np.ndarray, class_index: int) -> np.ndarray:
    import tensorflow as tf

    x = tf.convert_to_tensor(np.asarray(images, dtype=np.float32))
    with tf.GradientTape() as tape:
        tape.watch(x)
        score = tf.reduce_sum(scorer(x, training=False)[:, class_index])
    return tape.gradient(score, x).numpy()


def vanilla_gradient(model, x: np.ndarray, class_index: int, score_layer: str = "logits") -> np.ndarray:
    """|d score / d pixel|, maximum over colour channels (Simonyan et al., 2014)."""
    grads = _gradients(_score_model(model, score_layer), x[None], class_index)[0]
    return np.abs(grads).max(axis=-1)


def smoothgrad(model, x: np.ndarray, class_index: int, n: int = 16, noise: float = 0.15,
               score_layer: str = "logits", random_state: int = 0) -> np.ndarray:
    """Average |gradient| over ``n`` noisy copies, noise sd = ``noise`` x the image's value range
    (Smilkov et al., 2017). One batch of ``n`` images."""
    rng = np.random.default_rng(random_state)
    sd = noise * float(x.max() - x.min())
    noisy = x[None] + rng.normal(0, sd, size=(n, *x.shape)).astype(np.float32)
    grads = _gradients(_score_model(model, score_layer), noisy, class_index)
    return np.abs(grads).max(axis=-1).mean(axis=0)


def integrated_gradients(model, x: np.ndarray, class_index: int, baseline: np.ndarray | None = None,
                         steps: int = 32, score_layer: str = "logits", batch_size: int = 32,
                         return_attributions: bool = False):
    """Integrated Gradients (Sundararajan et al., 2017) along the straight path from ``baseline``
    (default: all zeros) to ``x``, with the trapezoid rule over ``steps`` intervals.

    By completeness the signed attributions sum to score(x) - score(baseline), up to the integration
    error. Returns the (H, W) map of |attribution| summed over channels, or the signed (H, W, C)
    attributions with ``return_attributions=True``.
    """
    baseline = np.zeros_like(x) if baseline is None else np.asarray(baseline, dtype=np.float32)
    if baseline.shape != x.shape:
        raise ValueError(f"baseline shape {baseline.shape} does not match image shape {x.shape}")
    alphas = np.linspace(0.0, 1.0, steps + 1, dtype=np.float32)
    path = baseline[None] + alphas[:, None, None, None] * (x - baseline)[None]
    scorer = _score_model(model, score_layer)
    grads = np.concatenate([_gradients(scorer, path[i: i + batch_size], class_index)
                            for i in range(0, len(path), batch_size)])
    avg = (grads[:-1] + grads[1:]).mean(axis=0) / 2.0
    attributions = (x - baseline) * avg
    return attributions if return_attributions else np.abs(attributions).sum(axis=-1)


def occlusion(model, x: np.ndarray, class_index: int, patch: int = 32, stride: int = 16,
              fill: float = 0.0, score_layer: str = "logits", batch_size: int = 32) -> np.ndarray:
    """Occlusion sensitivity (Zeiler & Fergus, 2014): slide a ``patch`` square filled with ``fill``
    over the image and record how much the class score drops; every pixel gets the mean drop of the
    patches that covered it. All occluded copies are scored in batches."""
    h, w = x.shape[:2]
    tops = list(range(0, max(h - patch, 0) + 1, stride))
    lefts = list(range(0, max(w - patch, 0) + 1, stride))
    if tops[-1] + patch < h:
        tops.append(h - patch)
    if lefts[-1] + patch < w:
        lefts.append(w - patch)
    boxes = [(t, left) for t in tops for left in lefts]
    copies = np.repeat(x[None], len(boxes), axis=0)
    for k, (t, left) in enumerate(boxes):
        copies[k, t: t + patch, left: left + patch] = fill
    base = class_scores(model, x[None], class_index, score_layer)[0]
    drops = base - class_scores(model, copies, class_index, score_layer, batch_size)
    total, count = np.zeros((h, w), np.float32), np.zeros((h, w), np.float32)
    for (t, left), drop in zip(boxes, drops):
        total[t: t + patch, left: left + patch] += drop
        count[t: t + patch, left: left + patch] += 1
    return total / np.maximum(count, 1)


def deletion_curve(model, x: np.ndarray, class_index: int, importance: np.ndarray | None, steps: int = 20,
                   block: int = 16, fill: float = 0.0, batch_size: int = 32, random_state: int = 0):
    """Delete the image in ``block`` x ``block`` squares, most important first (by the summed
    ``importance`` inside each square), or in a random order when ``importance`` is None; replace them
    with ``fill`` (0 = the ImageNet mean colour in caffe preprocessing) in ``steps`` equal chunks.

    Returns (fraction of squares deleted, class probability after each step). A faithful map makes the
    probability fall fast: the area under the curve is small (Petsiuk et al., 2018). Squares rather than
    single pixels, because scattering deleted pixels everywhere destroys any image whatever the order.
    All ``steps + 1`` images are scored in batches.
    """
    import keras

    h, w = x.shape[:2]
    rows, cols = -(-h // block), -(-w // block)
    if importance is None:
        order = np.random.default_rng(random_state).permutation(rows * cols)
    else:
        importance = np.asarray(importance, dtype=np.float64)
        if importance.shape != (h, w):
            raise ValueError(f"importance map shape {importance.shape} does not match the image {(h, w)}")
        padded = np.zeros((rows * block, cols * block))
        padded[:h, :w] = importance
        per_block = padded.reshape(rows, block, cols, block).sum(axis=(1, 3)).ravel()
        order = np.argsort(-per_block, kind="stable")
    fractions = np.linspace(0, 1, steps + 1)
    copies = np.repeat(np.asarray(x, dtype=np.float32)[None], steps + 1, axis=0)
    for k, frac in enumerate(fractions):
        for b in order[: round(frac * rows * cols)]:
            r, c = divmod(int(b), cols)
            copies[k, r * block: (r + 1) * block, c * block: (c + 1) * block] = fill
    probs = np.concatenate([keras.ops.convert_to_numpy(model.predict_on_batch(copies[i: i + batch_size]))
                            for i in range(0, len(copies), batch_size)])
    return fractions, probs[:, class_index]


def area_under(fractions: np.ndarray, values: np.ndarray) -> float:
    """Trapezoid area under a deletion curve (fractions from 0 to 1)."""
    fractions, values = np.asarray(fractions, float), np.asarray(values, float)
    return float(np.sum((values[1:] + values[:-1]) / 2 * np.diff(fractions)))


def rank_similarity(a: np.ndarray, b: np.ndarray) -> float:
    """Spearman rank correlation between two attribution maps of the same shape (Adebayo et al.
    compare maps this way in the model-randomization test)."""
    from scipy.stats import spearmanr

    a, b = np.asarray(a), np.asarray(b)
    if a.shape != b.shape:
        raise ValueError(f"maps differ in shape: {a.shape} vs {b.shape}")
    return float(spearmanr(a.ravel(), b.ravel()).statistic)


def randomize_layers(model, layer_names: list[str], random_state: int = 0) -> None:
    """Re-initialise the weights of the named layers in place with Gaussian noise of the same mean and
    standard deviation as the trained weights (the cascading randomization of Adebayo et al., 2018)."""
    rng = np.random.default_rng(random_state)
    for name in layer_names:
        layer = get_layer(model, name)
        layer.set_weights([rng.normal(w.mean(), w.std() + 1e-12, size=w.shape).astype(w.dtype)
                           for w in layer.get_weights()])
