"""Attribution methods for image classifiers and the tools that test them: Grad-CAM, gradients,
SmoothGrad, Integrated Gradients, occlusion, deletion curves, map similarity and layer randomization.

Every method explains a class **score** at ``score_layer`` (before the softmax) of a Keras model for a
preprocessed image. Pixel methods return signed per-channel attributions of the image's shape
(H, W, C); ``abs_map`` and ``signed_map`` turn them into the (H, W) maps that are displayed and compared,
so the choice between absolute and signed maps is always made, and visible, at the call site.
Perturbations (noise samples, interpolation steps, occluded copies, deletion steps) are evaluated in
batches, not one forward pass at a time.

Taught in notebooks/12_grad_cam.ipynb (Grad-CAM, written out in full there) and
notebooks/13_trusting_image_explanations.ipynb (everything else).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .cnn import as_name_list, check_class_index, check_images, get_layer


def _score_model(model, score_layer: str):
    import keras

    return keras.Model(model.input, get_layer(model, score_layer).output)


def _one_image(model, x, what: str = "x") -> np.ndarray:
    x = np.asarray(x)
    if x.ndim != len(model.input_shape) - 1:
        batch = x.ndim == len(model.input_shape)
        raise ValueError(f"{what}: expected one preprocessed image of shape (H, W, C), got shape {x.shape}"
                         + ("; pass images[i], not the whole batch" if batch else ""))
    return check_images(model, x[None], what)[0]


# ---------------------------------------------------------------- Grad-CAM
def grad_cam(model, images, layer_name: str, class_index=None, *, score_layer: str = "logits") -> np.ndarray:
    """Grad-CAM heatmaps (Selvaraju et al., 2017) for a batch of preprocessed images (N, H, W, C).

    The gradient of the class score (``score_layer``'s output, before the softmax) with respect to the
    feature maps of ``layer_name`` is averaged over space to weight each map; the weighted sum, passed
    through a ReLU and scaled to [0, 1] per image, is the heatmap at that layer's resolution.
    ``class_index`` is one class for every image, a sequence with one class per image, or None for
    each image's top class. Taught in full in notebooks/12_grad_cam.ipynb.
    """
    import keras
    import tensorflow as tf

    x = check_images(model, images)
    conv = get_layer(model, layer_name, kind="feature")
    score = get_layer(model, score_layer)
    if class_index is not None:
        class_index = check_class_index(model, class_index, score_layer, n_images=len(x))
    grad_model = keras.Model(model.input, [conv.output, score.output])
    x = tf.convert_to_tensor(x)
    with tf.GradientTape() as tape:
        maps, scores = grad_model(x, training=False)
        if class_index is None:
            idx = tf.argmax(scores, axis=-1, output_type=tf.int32)
        else:
            idx = tf.broadcast_to(tf.constant(class_index, dtype=tf.int32), tf.shape(scores)[:1])
        chosen = tf.gather(scores, idx, axis=1, batch_dims=1)
    grads = tape.gradient(chosen, maps)
    weights = tf.reduce_mean(grads, axis=(1, 2), keepdims=True)
    cam = tf.nn.relu(tf.reduce_sum(weights * maps, axis=-1)).numpy()
    peak = cam.max(axis=(1, 2), keepdims=True)
    return np.divide(cam, peak, out=np.zeros_like(cam), where=peak > 0)


# ---------------------------------------------------------------- scores and gradients
def class_scores(model, images, class_index: int, *, score_layer: str = "logits",
                 batch_size: int = 32) -> np.ndarray:
    """The class score of every image in the batch ``images``, computed in batches."""
    images = check_images(model, images)
    class_index = check_class_index(model, class_index, score_layer)
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


def gradients(model, images, class_index: int, *, score_layer: str = "logits", batch_size: int = 32):
    """d score / d pixel for every image of a batch: signed, one value per pixel and channel."""
    images = check_images(model, images)
    class_index = check_class_index(model, class_index, score_layer)
    scorer = _score_model(model, score_layer)
    return np.concatenate([_gradients(scorer, images[i: i + batch_size], class_index)
                           for i in range(0, len(images), batch_size)])


def vanilla_gradient(model, x, class_index: int, *, score_layer: str = "logits") -> np.ndarray:
    """The gradient of the class score with respect to one image (Simonyan et al., 2014), signed,
    shape (H, W, C)."""
    return gradients(model, _one_image(model, x)[None], class_index, score_layer=score_layer)[0]


def smoothgrad(model, x, class_index: int, *, n: int = 16, noise: float = 0.15, score_layer: str = "logits",
               random_state: int = 0) -> np.ndarray:
    """The signed gradient averaged over ``n`` noisy copies of the image, noise sd = ``noise`` x the
    image's value range (Smilkov et al., 2017); shape (H, W, C). One batch of ``n`` images."""
    x = _one_image(model, x)
    rng = np.random.default_rng(random_state)
    sd = noise * float(x.max() - x.min())
    noisy = x[None] + rng.normal(0, sd, size=(n, *x.shape)).astype(np.float32)
    return gradients(model, noisy, class_index, score_layer=score_layer).mean(axis=0)


def integrated_gradients(model, x, class_index: int, *, baseline=None, steps: int = 32,
                         score_layer: str = "logits", batch_size: int = 32) -> np.ndarray:
    """Integrated Gradients (Sundararajan et al., 2017) along the straight path from ``baseline``
    (default: all zeros, which in caffe preprocessing is the ImageNet mean colour) to ``x``, with the
    trapezoid rule over ``steps`` intervals. Signed attributions of shape (H, W, C).

    By completeness they sum to score(x) - score(baseline), up to the integration error.
    """
    x = _one_image(model, x)
    baseline = np.zeros_like(x) if baseline is None else np.asarray(baseline, dtype=np.float32)
    if baseline.shape != x.shape:
        raise ValueError(f"baseline shape {baseline.shape} does not match image shape {x.shape}")
    alphas = np.linspace(0.0, 1.0, steps + 1, dtype=np.float32)
    path = baseline[None] + alphas[:, None, None, None] * (x - baseline)[None]
    grads = gradients(model, path, class_index, score_layer=score_layer, batch_size=batch_size)
    avg = (grads[:-1] + grads[1:]).mean(axis=0) / 2.0
    return (x - baseline) * avg


def occlusion(model, x, class_index: int, *, patch: int = 32, stride: int = 16, fill: float = 0.0,
              score_layer: str = "logits", batch_size: int = 32) -> np.ndarray:
    """Occlusion sensitivity (Zeiler & Fergus, 2014): slide a ``patch`` square filled with ``fill``
    over the image and record how much the class score drops; every pixel gets the mean drop of the
    patches that covered it, shape (H, W). All occluded copies are scored in batches."""
    x = _one_image(model, x)
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
    base = class_scores(model, x[None], class_index, score_layer=score_layer)[0]
    drops = base - class_scores(model, copies, class_index, score_layer=score_layer, batch_size=batch_size)
    total, count = np.zeros((h, w), np.float32), np.zeros((h, w), np.float32)
    for (t, left), drop in zip(boxes, drops):
        total[t: t + patch, left: left + patch] += drop
        count[t: t + patch, left: left + patch] += 1
    return total / np.maximum(count, 1)


# ---------------------------------------------------------------- from attributions to maps
def abs_map(attributions) -> np.ndarray:
    """(H, W, C) attributions -> (H, W) map of the largest absolute value over the channels: how much
    a pixel matters, whatever the direction (the usual way gradient maps are shown)."""
    a = np.asarray(attributions)
    return np.abs(a).max(axis=-1) if a.ndim == 3 else np.abs(a)


def signed_map(attributions) -> np.ndarray:
    """(H, W, C) attributions -> (H, W) map of their sum over the channels: positive pixels raise the
    class score, negative ones lower it."""
    a = np.asarray(attributions)
    return a.sum(axis=-1) if a.ndim == 3 else a


# ---------------------------------------------------------------- faithfulness: deletion curves
class Curve(NamedTuple):
    """A perturbation curve: the fraction of the image changed, and the class probability after it."""

    fractions: np.ndarray
    probabilities: np.ndarray


def _block_order_by_importance(importance, h: int, w: int, block: int) -> np.ndarray:
    importance = np.asarray(importance, dtype=np.float64)
    if importance.shape != (h, w):
        raise ValueError(f"importance map shape {importance.shape} does not match the image {(h, w)}")
    rows, cols = -(-h // block), -(-w // block)
    padded = np.zeros((rows * block, cols * block))
    padded[:h, :w] = importance
    per_block = padded.reshape(rows, block, cols, block).sum(axis=(1, 3)).ravel()
    return np.argsort(-per_block, kind="stable")


def _deletion(model, x, class_index, order, steps, block, fill, batch_size) -> Curve:
    import keras

    x = _one_image(model, x)
    class_index = check_class_index(model, class_index)
    cols = -(-x.shape[1] // block)
    fractions = np.linspace(0, 1, steps + 1)
    copies = np.repeat(x[None], steps + 1, axis=0)
    for k, frac in enumerate(fractions):
        for b in order[: round(frac * len(order))]:
            r, c = divmod(int(b), cols)
            copies[k, r * block: (r + 1) * block, c * block: (c + 1) * block] = fill
    probs = np.concatenate([keras.ops.convert_to_numpy(model(copies[i: i + batch_size], training=False))
                            for i in range(0, len(copies), batch_size)])
    return Curve(fractions, probs[:, class_index])


def deletion_curve(model, x, class_index: int, importance, *, steps: int = 20, block: int = 16,
                   fill: float = 0.0, batch_size: int = 32) -> Curve:
    """Delete the image in ``block`` x ``block`` squares, most important first (by the summed
    ``importance`` inside each square), replacing them with ``fill`` (0 = the ImageNet mean colour in
    caffe preprocessing) in ``steps`` equal chunks; return the class probability after each step.

    A faithful map makes the probability fall fast: the area under the curve is small (Petsiuk et al.,
    2018). Squares rather than single pixels, because scattering deleted pixels everywhere destroys any
    image whatever the order. All ``steps + 1`` images are scored in batches.
    """
    x = _one_image(model, x)
    order = _block_order_by_importance(importance, *x.shape[:2], block)
    return _deletion(model, x, class_index, order, steps, block, fill, batch_size)


def random_deletion_curve(model, x, class_index: int, *, random_state: int, steps: int = 20, block: int = 16,
                          fill: float = 0.0, batch_size: int = 32) -> Curve:
    """``deletion_curve`` with the squares deleted in a random order: the baseline a map must beat."""
    x = _one_image(model, x)
    rows, cols = -(-x.shape[0] // block), -(-x.shape[1] // block)
    order = np.random.default_rng(random_state).permutation(rows * cols)
    return _deletion(model, x, class_index, order, steps, block, fill, batch_size)


def area_under(fractions, values) -> float:
    """Trapezoid area under a curve whose x runs from 0 to 1 (e.g. a deletion curve)."""
    fractions, values = np.asarray(fractions, float), np.asarray(values, float)
    if fractions.shape != values.shape or fractions.ndim != 1:
        raise ValueError(f"fractions and values must be 1-D of the same length, got {fractions.shape} "
                         f"and {values.shape}")
    return float(np.sum((values[1:] + values[:-1]) / 2 * np.diff(fractions)))


# ---------------------------------------------------------------- sanity checks
def rank_similarity(a, b) -> float:
    """Spearman rank correlation between two maps of the same shape (Adebayo et al. compare maps this
    way in the model-randomization test)."""
    from scipy.stats import spearmanr

    a, b = np.asarray(a), np.asarray(b)
    if a.shape != b.shape:
        raise ValueError(f"maps differ in shape: {a.shape} vs {b.shape}")
    return float(spearmanr(a.ravel(), b.ravel()).statistic)


def randomize_layers(model, layer_names, *, random_state: int = 0) -> None:
    """Re-initialise the weights of the named layers **in place** with Gaussian noise of the same mean
    and standard deviation as the trained weights (the cascading randomization of Adebayo et al., 2018).
    Every name is checked before any layer is changed."""
    names = as_name_list(layer_names)
    layers = [get_layer(model, name) for name in names]
    rng = np.random.default_rng(random_state)
    for layer in layers:
        layer.set_weights([rng.normal(w.mean(), w.std() + 1e-12, size=w.shape).astype(w.dtype)
                           for w in layer.get_weights()])
