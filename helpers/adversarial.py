"""Attacks on image classifiers and on their explanations, and the measures that compare two maps.

- ``fgsm``: the fast gradient sign method (Goodfellow, Shlens & Szegedy, 2015), which moves the label;
- ``softplus_copy`` and ``topk_attack``: the top-k attack on the gradient map (Ghorbani, Abid & Zou, 2019),
  which keeps the label and moves the map; its direction is a second derivative, taken through a copy of
  the network whose ReLUs are replaced by softplus (a ReLU network's second derivative is zero almost
  everywhere);
- ``random_sign``: the control, a random perturbation of the same L-infinity size;
- ``border_mask``, ``border_share`` and ``get_or_finetune_border_cnn``: fine-tuning the silhouette CNN with a
  penalty that moves its gradient map to the image's border (model manipulation, after Heo, Joo & Moon,
  2019), cached like the course's other networks;
- ``saliency``, ``top_k_overlap`` and ``compare_maps``: how much of a map's top-k survives an attack.

Images are SqueezeNet's caffe-preprocessed inputs, whose values are pixel intensities on the 0-255 scale
minus the mean colour: an L-infinity distance between two of them is a distance in intensity levels.
Taught in notebooks/21_adversarial_examples_and_fragile_explanations.ipynb.
"""

from __future__ import annotations

import hashlib
import json
from typing import NamedTuple

import numpy as np

from . import cache
from .attribution import rank_similarity
from .cnn import CAFFE_MEAN_BGR, check_class_index, check_images, get_layer

#: Valid values of a caffe-preprocessed image (BGR, mean subtracted): pixels 0 to 255 minus the mean.
CAFFE_LOW, CAFFE_HIGH = -CAFFE_MEAN_BGR, 255.0 - CAFFE_MEAN_BGR


def _one(model, x, what: str = "x") -> np.ndarray:
    x = np.asarray(x)
    if x.ndim != len(model.input_shape) - 1:
        raise ValueError(f"{what}: expected one preprocessed image of shape (H, W, C), got shape {x.shape}")
    return check_images(model, x[None], what)[0]


def _positive(value, name: str) -> float:
    if isinstance(value, bool) or not np.isscalar(value) or not np.isfinite(value) or value <= 0:
        raise ValueError(f"{name} must be a positive number, got {value!r}")
    return float(value)


def clip_to_pixels(x, low=CAFFE_LOW, high=CAFFE_HIGH) -> np.ndarray:
    """Clip a preprocessed image to values a real photo can have (by default caffe's: 0-255 minus the mean
    colour, channel by channel).
    Used in notebooks/21_adversarial_examples_and_fragile_explanations.ipynb."""
    return np.clip(np.asarray(x, dtype=np.float32), low, high).astype(np.float32)


def linf(a, b) -> float:
    """The L-infinity distance between two images: the largest change of any pixel in any channel. For
    caffe-preprocessed images it is in intensity levels on the 0-255 scale.
    Used in notebooks/21_adversarial_examples_and_fragile_explanations.ipynb."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        raise ValueError(f"images differ in shape: {a.shape} vs {b.shape}")
    return float(np.abs(a - b).max())


# ---------------------------------------------------------------- FGSM and the random control
def fgsm(model, x, class_index: int, *, epsilon: float, score_layer: str = "logits", low=CAFFE_LOW,
         high=CAFFE_HIGH) -> np.ndarray:
    """The fast gradient sign method (Goodfellow et al., 2015): one step of size ``epsilon`` in every
    pixel and channel, in the direction that increases the cross-entropy loss of ``class_index`` (the
    softmax of ``score_layer``'s scores), clipped to valid pixel values. Untargeted: it pushes the image
    away from the class, towards whichever class is nearest.
    Used in notebooks/21_adversarial_examples_and_fragile_explanations.ipynb."""
    import keras
    import tensorflow as tf

    x = _one(model, x)
    epsilon = _positive(epsilon, "epsilon")
    class_index = check_class_index(model, class_index, score_layer)
    scorer = keras.Model(model.input, get_layer(model, score_layer).output)
    batch = tf.convert_to_tensor(x[None])
    with tf.GradientTape() as tape:
        tape.watch(batch)
        scores = scorer(batch, training=False)
        loss = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=[class_index], logits=scores)
    direction = np.sign(tape.gradient(loss, batch).numpy()[0])
    return clip_to_pixels(x + epsilon * direction, low, high)


def random_sign(x, *, epsilon: float, random_state: int, low=CAFFE_LOW, high=CAFFE_HIGH) -> np.ndarray:
    """The control for an attack of L-infinity size ``epsilon``: every pixel and channel moved by
    +``epsilon`` or -``epsilon`` at random, clipped to valid pixel values.
    Used in notebooks/21_adversarial_examples_and_fragile_explanations.ipynb."""
    x = np.asarray(x, dtype=np.float32)
    epsilon = _positive(epsilon, "epsilon")
    signs = np.random.default_rng(random_state).choice(np.array([-1.0, 1.0], np.float32), size=x.shape)
    return clip_to_pixels(x + epsilon * signs, low, high)


# ---------------------------------------------------------------- maps and their comparison
def saliency(attributions) -> np.ndarray:
    """An (H, W) map from attributions: the absolute values summed over the channels of (H, W, C)
    attributions, the absolute value of an (H, W) map (e.g. Grad-CAM's, which is non-negative already).
    Batches (N, H, W, C) give (N, H, W).
    Used in notebooks/21_adversarial_examples_and_fragile_explanations.ipynb."""
    a = np.abs(np.asarray(attributions, dtype=np.float64))
    if a.ndim == 2:
        return a
    if a.ndim in (3, 4):
        return a.sum(axis=-1)
    raise ValueError(f"expected (H, W), (H, W, C) or (N, H, W, C) attributions, got shape {a.shape}")


def _top_k_indices(m: np.ndarray, k: int) -> np.ndarray:
    return np.argsort(m.ravel(), kind="stable")[::-1][:k]


def top_k_overlap(a, b, k: int = 1000) -> float:
    """The share of map ``a``'s ``k`` largest pixels that are also among map ``b``'s ``k`` largest (the
    top-k intersection of Ghorbani et al., 2019): 1 when the two maps agree on their top-k, about
    k / pixels for two unrelated maps.
    Used in notebooks/21_adversarial_examples_and_fragile_explanations.ipynb."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        raise ValueError(f"maps differ in shape: {a.shape} vs {b.shape}")
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or not 1 <= k <= a.size:
        raise ValueError(f"k must be an integer between 1 and the map's {a.size} pixels, got {k!r}")
    shared = np.intersect1d(_top_k_indices(a, k), _top_k_indices(b, k))
    return len(shared) / k


def compare_maps(original, attacked, k: int = 1000) -> dict[str, float]:
    """``top_k_overlap`` and the Spearman rank correlation (``attribution.rank_similarity``) of two maps.
    Used in notebooks/21_adversarial_examples_and_fragile_explanations.ipynb."""
    return {"top-k overlap": top_k_overlap(original, attacked, k),
            "rank correlation": rank_similarity(original, attacked)}


# ---------------------------------------------------------------- the top-k attack
def softplus_copy(model, beta: float = 1.0):
    """A copy of ``model`` with its trained weights in which every ReLU (``Activation("relu")`` layers and
    layers built with ``activation="relu"``) is replaced by softplus(beta z) / beta, a smooth function
    that tends to the ReLU as beta grows. A ReLU network is piecewise linear in its input: its gradient
    map is piecewise constant, its second derivative zero almost everywhere, so a gradient step on a
    property of the gradient map has nothing to follow. The smooth copy has one. ``model`` is not changed.
    Used in notebooks/21_adversarial_examples_and_fragile_explanations.ipynb."""
    import keras
    import tensorflow as tf

    beta = _positive(beta, "beta")
    copy = keras.models.clone_model(model)
    copy.set_weights(model.get_weights())
    relus = [layer for layer in copy.layers if getattr(layer, "activation", None) is keras.activations.relu]
    if not relus:
        raise ValueError(f"model {model.name!r} has no ReLU activations to replace")

    def smooth_relu(z):
        return tf.nn.softplus(beta * z) / beta

    for layer in relus:
        layer.activation = smooth_relu
    return copy


def _score_and_gradient(scorer, x, class_index):
    """The scores of one image and the gradient of ``class_index``'s score, from one forward and one
    backward pass."""
    import tensorflow as tf

    batch = tf.convert_to_tensor(x[None])
    with tf.GradientTape() as tape:
        tape.watch(batch)
        scores = scorer(batch, training=False)
        chosen = scores[0, class_index]
    return scores.numpy()[0], tape.gradient(chosen, batch).numpy()[0]


def topk_direction(smooth_scorer, x, class_index: int, top) -> np.ndarray:
    """The gradient, with respect to the image, of the share of the smooth network's gradient map
    (``saliency``) that falls in the ``top`` pixels (a boolean (H, W) mask): a second derivative.
    Used in notebooks/21_adversarial_examples_and_fragile_explanations.ipynb."""
    import tensorflow as tf

    batch = tf.convert_to_tensor(np.asarray(x, dtype=np.float32)[None])
    mask = tf.constant(np.asarray(top, dtype=np.float32))
    with tf.GradientTape() as outer:
        outer.watch(batch)
        with tf.GradientTape() as inner:
            inner.watch(batch)
            score = smooth_scorer(batch, training=False)[0, class_index]
        saliency_map = tf.reduce_sum(tf.abs(inner.gradient(score, batch)[0]), axis=-1)
        share = tf.reduce_sum(saliency_map * mask) / tf.reduce_sum(saliency_map)
    return outer.gradient(share, batch).numpy()[0]


class TopKAttack(NamedTuple):
    """The result of ``topk_attack``: the attacked image with the lowest top-k overlap among the steps that
    kept the label (the original image if none did), that overlap, the step it came from (0 = none), and
    for every step the overlap (NaN where the label was lost) and the class probability.
    Used in notebooks/21_adversarial_examples_and_fragile_explanations.ipynb."""

    image: np.ndarray
    overlap: float
    best_step: int
    overlaps: np.ndarray
    probabilities: np.ndarray


def topk_attack(model, smooth, x, class_index: int, *, epsilon: float, step: float, steps: int,
                k: int = 1000, score_layer: str = "logits", low=CAFFE_LOW, high=CAFFE_HIGH) -> TopKAttack:
    """The top-k attack of Ghorbani, Abid & Zou (2019) on the gradient map of ``model`` for one image.

    The ``k`` pixels with the largest gradient map (``saliency`` of the gradient of ``class_index``'s score)
    are the target. Each of ``steps`` steps moves every pixel and channel by ``step`` against
    ``topk_direction`` taken through ``smooth`` (``softplus_copy(model)``), so that the map's share in
    those pixels falls; the image is kept within ``epsilon`` of ``x`` (L-infinity) and within valid pixel
    values. After each step the original ``model`` is asked for its label and its gradient map: steps that
    change the label are not eligible, and the eligible step with the lowest top-k overlap is returned.
    Used in notebooks/21_adversarial_examples_and_fragile_explanations.ipynb."""
    import keras

    x = _one(model, x)
    epsilon, step = _positive(epsilon, "epsilon"), _positive(step, "step")
    if isinstance(steps, bool) or not isinstance(steps, (int, np.integer)) or steps < 1:
        raise ValueError(f"steps must be a positive integer, got {steps!r}")
    class_index = check_class_index(model, class_index, score_layer)
    scorer = keras.Model(model.input, get_layer(model, score_layer).output)
    smooth_scorer = keras.Model(smooth.input, get_layer(smooth, score_layer).output)
    scores, gradient = _score_and_gradient(scorer, x, class_index)
    if int(scores.argmax()) != class_index:
        raise ValueError(f"the model's label for x is {int(scores.argmax())}, not class {class_index}: the "
                         "attack keeps the label, so it starts from a correctly labelled image")
    original = saliency(gradient)
    top = np.zeros(original.size, dtype=bool)
    top[_top_k_indices(original, k)] = True
    top = top.reshape(original.shape)
    current, best = x.copy(), (1.0, 0, x.copy())
    overlaps, probabilities = [], []
    for t in range(1, steps + 1):
        moved = current - step * np.sign(topk_direction(smooth_scorer, current, class_index, top))
        current = clip_to_pixels(np.clip(moved, x - epsilon, x + epsilon), low, high)
        scores, gradient = _score_and_gradient(scorer, current, class_index)
        probs = np.exp(scores - scores.max())
        probabilities.append(float(probs[class_index] / probs.sum()))
        if int(scores.argmax()) != class_index:
            overlaps.append(np.nan)
            continue
        overlaps.append(top_k_overlap(original, saliency(gradient), k))
        if overlaps[-1] < best[0]:
            best = (overlaps[-1], t, current.copy())
    return TopKAttack(best[2], float(best[0]), best[1], np.array(overlaps), np.array(probabilities))


# ---------------------------------------------------------------- moving the map by fine-tuning
BORDER = {"width": 3, "weight": 3.0, "epochs": 2, "batch_size": 64, "learning_rate": 1e-3}


def border_mask(height: int, width: int, border: int) -> np.ndarray:
    """A float32 (height, width) mask: 1 on the frame ``border`` pixels wide, 0 inside.
    Used in notebooks/21_adversarial_examples_and_fragile_explanations.ipynb."""
    if not 1 <= border < min(height, width) / 2:
        raise ValueError(f"the border must be between 1 and less than half of {min(height, width)} pixels, "
                         f"got {border!r}")
    mask = np.ones((height, width), np.float32)
    mask[border:-border, border:-border] = 0
    return mask


def border_share(maps, mask) -> np.ndarray:
    """For each (H, W) map of a batch (N, H, W), the share of its total that lies where ``mask`` is 1
    (NaN for a map that is zero everywhere). Maps must be non-negative (use ``saliency``).
    Used in notebooks/21_adversarial_examples_and_fragile_explanations.ipynb."""
    maps, mask = np.asarray(maps, dtype=np.float64), np.asarray(mask, dtype=np.float64)
    if maps.ndim != 3 or maps.shape[1:] != mask.shape:
        raise ValueError(f"expected maps (N, H, W) with (H, W) = the mask's {mask.shape}, got {maps.shape}")
    if (maps < 0).any():
        raise ValueError("the maps have negative values: pass saliency(...) or non-negative maps")
    total = maps.sum(axis=(1, 2))
    inside = (maps * mask).sum(axis=(1, 2))
    return np.divide(inside, total, out=np.full(len(maps), np.nan), where=total > 0)


def finetune_with_border_penalty(model, x, y, *, seed: int, config: dict = BORDER, verbose: int = 1):
    """A copy of ``model`` fine-tuned on (``x``, ``y``) with the loss cross-entropy + weight x (1 - the
    share of the gradient map in the border), averaged over each batch: the network is asked to keep its
    answers and to move its gradient map (``saliency`` of the gradient of the true class's logit) to the
    frame ``config["width"]`` pixels wide. ``weight`` = 0 gives the control: the same fine-tuning without
    the penalty. The penalty differentiates the gradient map with respect to the **weights**, which is
    not zero for a ReLU network, so no smooth copy is needed. Prints one line per epoch when ``verbose``.
    Used in notebooks/21_adversarial_examples_and_fragile_explanations.ipynb."""
    import keras
    import tensorflow as tf

    from .course import seed_everything

    x, y = check_images(model, x, "x"), np.asarray(y, dtype=np.int32)
    if len(x) != len(y):
        raise ValueError(f"{len(x)} images but {len(y)} labels")
    seed_everything(seed)
    tuned = keras.models.clone_model(model)
    tuned.set_weights(model.get_weights())
    logits = keras.Model(tuned.input, get_layer(tuned, "logits").output)
    mask = tf.constant(border_mask(*x.shape[1:3], config["width"])[None])
    optimizer = keras.optimizers.Adam(config["learning_rate"])
    weight = float(config["weight"])

    @tf.function
    def train_step(images, labels):
        with tf.GradientTape() as tape:
            with tf.GradientTape() as inner:
                inner.watch(images)
                scores = logits(images, training=True)
                chosen = tf.reduce_sum(tf.gather(scores, labels, axis=1, batch_dims=1))
            maps = tf.reduce_sum(tf.abs(inner.gradient(chosen, images)), axis=-1)
            share = tf.reduce_sum(maps * mask, axis=(1, 2)) / (tf.reduce_sum(maps, axis=(1, 2)) + 1e-12)
            loss = tf.reduce_mean(keras.losses.sparse_categorical_crossentropy(labels, scores,
                                                                              from_logits=True))
            total = loss + weight * tf.reduce_mean(1.0 - share)
        optimizer.apply_gradients(zip(tape.gradient(total, tuned.trainable_variables),
                                      tuned.trainable_variables))
        return loss, tf.reduce_mean(share)

    rng = np.random.default_rng(seed)
    for epoch in range(1, config["epochs"] + 1):
        order, losses, shares = rng.permutation(len(y)), [], []
        for start in range(0, len(y), config["batch_size"]):
            idx = order[start: start + config["batch_size"]]
            loss, share = train_step(tf.constant(x[idx]), tf.constant(y[idx]))
            losses.append(float(loss))
            shares.append(float(share))
        if verbose:
            print(f"  weight {weight:g}, epoch {epoch}/{config['epochs']}: cross-entropy "
                  f"{np.mean(losses):.3f}, gradient map's share in the border {np.mean(shares):.2f}")
    return tuned


def _key(model, x, y, seed: int, config: dict) -> str:
    import keras

    digest = hashlib.sha256()
    for array in [*model.get_weights(), x, y]:
        digest.update(np.ascontiguousarray(array).tobytes())
    return json.dumps({"config": config, "seed": seed, "keras": keras.__version__,
                       "model and data": digest.hexdigest()}, sort_keys=True)


def get_or_finetune_border_cnn(model, animals, *, seed: int, config: dict = BORDER, verbose: int = 1):
    """``finetune_with_border_penalty(model, animals.x_train, animals.y_train)``, loaded from the verified
    cache when an entry exists for the same starting weights, data, configuration, seed and Keras version,
    else fine-tuned and cached atomically (helpers/cache.py), like ``cnn.get_or_train_small_cnn``.
    Returns ``(model, trained)``.
    Used in notebooks/21_adversarial_examples_and_fragile_explanations.ipynb."""
    import keras

    return cache.load_or_make(
        f"silhouette_cnn_border_weight{config['weight']:g}.keras",
        _key(model, animals.x_train, animals.y_train, seed, config),
        lambda: finetune_with_border_penalty(model, animals.x_train, animals.y_train, seed=seed,
                                             config=config, verbose=verbose),
        lambda path: keras.models.load_model(path, compile=False, safe_mode=True), what="fine-tuned model")
