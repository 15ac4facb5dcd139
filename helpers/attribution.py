"""Attribution methods for image classifiers and the tools that test them: Grad-CAM, gradients,
SmoothGrad, Integrated Gradients, Guided Backpropagation, occlusion, LIME on superpixels, deletion and
insertion curves, map similarity (rank correlation, SSIM, HOG) and layer randomization.

Every method explains a class **score** at ``score_layer`` (before the softmax) of a Keras model for a
preprocessed image. Pixel methods return signed per-channel attributions of the image's shape
(H, W, C); ``abs_map`` and ``signed_map`` turn them into the (H, W) maps that are displayed and compared,
so the choice between absolute and signed maps is always made, and visible, at the call site.
Perturbations (noise samples, interpolation steps, occluded copies, deletion steps) are evaluated in
batches, not one forward pass at a time.

Taught in notebooks/12_grad_cam.ipynb (Grad-CAM, written out in full there) and
notebooks/13_faithful_image_explanations.ipynb and notebooks/14_sanity_checks.ipynb (everything else).
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


def _whole(name: str, value, minimum: int = 1) -> int:
    """``value`` as an int, if it is a whole number of at least ``minimum``; else a ValueError naming it."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < minimum:
        raise ValueError(f"{name} must be a whole number of at least {minimum}, got {value!r}")
    return int(value)


def _cam(maps, map_grads) -> np.ndarray:
    """The tail of Grad-CAM: each feature map weighted by its space-averaged gradient, summed, passed
    through a ReLU and scaled to [0, 1] per image (all zero where nothing is positive)."""
    import tensorflow as tf

    weights = tf.reduce_mean(map_grads, axis=(1, 2), keepdims=True)
    cam = tf.nn.relu(tf.reduce_sum(weights * maps, axis=-1)).numpy()
    peak = cam.max(axis=(1, 2), keepdims=True)
    return np.divide(cam, peak, out=np.zeros_like(cam), where=peak > 0)


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
    return _cam(maps, tape.gradient(chosen, maps))


def gradients_and_grad_cam(model, images, layer_name: str, class_index, *,
                           score_layer: str = "logits") -> tuple[np.ndarray, np.ndarray]:
    """``gradients(model, images, class_index)`` and ``grad_cam(model, images, layer_name, class_index)``
    from one forward and one backward pass: the same two results for about the cost of one, for code
    that needs both for many networks (the randomization tests of
    notebooks/13_faithful_image_explanations.ipynb). ``class_index`` is one class, or one per image."""
    import keras
    import tensorflow as tf

    x = check_images(model, images)
    conv = get_layer(model, layer_name, kind="feature")
    score = get_layer(model, score_layer)
    class_index = check_class_index(model, class_index, score_layer, n_images=len(x))
    both = keras.Model(model.input, [conv.output, score.output])
    x = tf.convert_to_tensor(np.asarray(x, dtype=np.float32))
    with tf.GradientTape() as tape:
        tape.watch(x)
        maps, scores = both(x, training=False)
        idx = tf.broadcast_to(tf.constant(class_index, dtype=tf.int32), tf.shape(scores)[:1])
        chosen = tf.reduce_sum(tf.gather(scores, idx, axis=1, batch_dims=1))
    input_grads, map_grads = tape.gradient(chosen, [x, maps])
    return input_grads.numpy(), _cam(maps, map_grads)


# ---------------------------------------------------------------- scores and gradients
def class_scores(model, images, class_index: int, *, score_layer: str = "logits",
                 batch_size: int = 32) -> np.ndarray:
    """The class score of every image in the batch ``images``, computed in batches.

    Used from notebooks/13_faithful_image_explanations.ipynb on.
    """
    images = check_images(model, images)
    class_index = check_class_index(model, class_index, score_layer)
    scorer = _score_model(model, score_layer)
    # a direct call, not predict_on_batch: a new scorer per call would retrace a tf.function each time
    out = [np.asarray(scorer(images[i: i + batch_size], training=False))[:, class_index]
           for i in range(0, len(images), batch_size)]
    return np.concatenate(out)


def _gradients(scorer, images: np.ndarray, class_index) -> np.ndarray:
    import tensorflow as tf

    x = tf.convert_to_tensor(np.asarray(images, dtype=np.float32))
    with tf.GradientTape() as tape:
        tape.watch(x)
        scores = scorer(x, training=False)
        if np.ndim(class_index) == 0:
            chosen = scores[:, class_index]
        else:  # one class per image
            chosen = tf.gather(scores, tf.constant(class_index, dtype=tf.int32), axis=1, batch_dims=1)
        score = tf.reduce_sum(chosen)
    return tape.gradient(score, x).numpy()


def gradients(model, images, class_index, *, score_layer: str = "logits", batch_size: int = 32):
    """d score / d pixel for every image of a batch: signed, one value per pixel and channel.
    ``class_index`` is one class for every image, or a sequence with one class per image.

    Used from notebooks/13_faithful_image_explanations.ipynb on.
    """
    return _batched_gradients(model, check_images(model, images), class_index, score_layer, batch_size)


def _batched_gradients(model, images: np.ndarray, class_index, score_layer: str, batch_size: int):
    """``gradients`` of a batch already checked (or perturbed on purpose from checked images)."""
    batch_size = _whole("batch_size", batch_size)
    class_index = check_class_index(model, class_index, score_layer, n_images=len(images))
    scorer = _score_model(model, score_layer)
    return np.concatenate([_gradients(scorer, images[i: i + batch_size],
                                      class_index if np.ndim(class_index) == 0
                                      else class_index[i: i + batch_size])
                           for i in range(0, len(images), batch_size)])


def vanilla_gradient(model, x, class_index: int, *, score_layer: str = "logits") -> np.ndarray:
    """The gradient of the class score with respect to one image (Simonyan et al., 2014), signed,
    shape (H, W, C).

    Used from notebooks/13_faithful_image_explanations.ipynb on.
    """
    return gradients(model, _one_image(model, x)[None], class_index, score_layer=score_layer)[0]


def smoothgrad(model, x, class_index: int, *, n: int = 16, noise: float = 0.15, score_layer: str = "logits",
               random_state: int = 0) -> np.ndarray:
    """The signed gradient averaged over ``n`` noisy copies of the image, noise sd = ``noise`` x the
    image's value range (Smilkov et al., 2017); shape (H, W, C). ``smoothgrad_batch`` of the one image.

    Used from notebooks/13_faithful_image_explanations.ipynb on.
    """
    x = _one_image(model, x)
    return smoothgrad_batch(model, x[None], class_index, n=n, noise=noise, score_layer=score_layer,
                            random_state=random_state, batch_size=32)[0]


def integrated_gradients(model, x, class_index: int, *, baseline=None, steps: int = 32,
                         score_layer: str = "logits", batch_size: int = 32) -> np.ndarray:
    """Integrated Gradients (Sundararajan et al., 2017) along the straight path from ``baseline``
    (default: all zeros, which in caffe preprocessing is the ImageNet mean colour) to ``x``, with the
    trapezoid rule over ``steps`` intervals. Signed attributions of shape (H, W, C).

    By completeness they sum to score(x) - score(baseline), up to the integration error.
    ``integrated_gradients_batch`` of the one image.

    Used from notebooks/13_faithful_image_explanations.ipynb on.
    """
    x = _one_image(model, x)
    if baseline is not None:
        baseline = np.asarray(baseline, dtype=np.float32)
        if baseline.shape != x.shape:
            raise ValueError(f"baseline shape {baseline.shape} does not match image shape {x.shape}")
        baseline = baseline[None]
    return integrated_gradients_batch(model, x[None], class_index, baseline=baseline, steps=steps,
                                      score_layer=score_layer, batch_size=batch_size)[0]


def _per_image_classes(model, class_index, n_images: int, score_layer: str) -> np.ndarray:
    index = check_class_index(model, class_index, score_layer, n_images=n_images)
    return np.broadcast_to(np.asarray(index), (n_images,))


def smoothgrad_batch(model, images, class_index, *, n: int = 16, noise: float = 0.15,
                     score_layer: str = "logits", random_state: int = 0, batch_size: int = 64) -> np.ndarray:
    """``smoothgrad`` of every image of a batch (N, H, W, C): the same maps as one call per image with the
    same ``random_state`` (each image draws its noise from its own generator seeded with it), with the noisy
    copies of all the images scored together in batches. ``class_index`` is one class, or one per image.
    Used in notebooks/14_sanity_checks.ipynb, where many networks explain the same images."""
    images = check_images(model, images)
    n = _whole("n (the number of noisy copies)", n)
    if not np.isfinite(noise) or noise < 0:
        raise ValueError(f"noise is a standard deviation, a fraction of the image's value range (0.15 in "
                         f"Smilkov et al.): it must be >= 0, got {noise!r}")
    classes = _per_image_classes(model, class_index, len(images), score_layer)
    noisy = [x[None] + np.random.default_rng(random_state).normal(
                 0, noise * float(x.max() - x.min()), size=(n, *x.shape)).astype(np.float32)
             for x in images]
    # the noisy copies leave the model's usual value range on purpose: not checked for scale again
    grads = _batched_gradients(model, np.concatenate(noisy), np.repeat(classes, n), score_layer, batch_size)
    return grads.reshape(len(images), n, *images.shape[1:]).mean(axis=1)


def integrated_gradients_batch(model, images, class_index, *, steps: int = 32, score_layer: str = "logits",
                               batch_size: int = 64, baseline=None) -> np.ndarray:
    """Integrated Gradients of every image of a batch (N, H, W, C), the paths of all the images scored
    together in batches, with the trapezoid rule over ``steps`` intervals. ``baseline``: None (all zeros,
    the ImageNet mean colour in caffe preprocessing), or a batch of the images' shape, one per image.
    ``class_index`` is one class, or one per image. Used in notebooks/13_faithful_image_explanations.ipynb."""
    images = check_images(model, images)
    steps = _whole("steps", steps)
    if baseline is None:
        baseline = np.zeros_like(images)
    else:
        baseline = check_images(model, baseline, "baseline")
        if baseline.shape != images.shape:
            raise ValueError(f"baseline shape {baseline.shape} does not match the images' {images.shape}")
    classes = _per_image_classes(model, class_index, len(images), score_layer)
    alphas = np.linspace(0.0, 1.0, steps + 1, dtype=np.float32)[None, :, None, None, None]
    paths = baseline[:, None] + alphas * (images - baseline)[:, None]  # (N, steps + 1, H, W, C)
    grads = _batched_gradients(model, paths.reshape(-1, *images.shape[1:]), np.repeat(classes, steps + 1),
                               score_layer, batch_size).reshape(paths.shape)
    return (images - baseline) * (grads[:, :-1] + grads[:, 1:]).mean(axis=1) / 2.0


def _guided_relu():
    import tensorflow as tf

    @tf.custom_gradient
    def guided_relu(z):
        def grad(upstream):
            # pass back only positive signals through units that were active (Springenberg et al., 2015)
            return upstream * tf.cast(upstream > 0, upstream.dtype) * tf.cast(z > 0, upstream.dtype)

        return tf.nn.relu(z), grad

    return guided_relu


class _GuidedReLUs:
    """Swap every ReLU of ``model`` (``Activation("relu")`` layers and layers built with
    ``activation="relu"``) for a guided ReLU while inside the ``with`` block, and put the originals back
    on the way out, also when an error is raised: the model is the same object, unchanged, afterwards."""

    def __init__(self, model):
        import keras

        self.layers = [layer for layer in model.layers
                       if getattr(layer, "activation", None) is keras.activations.relu]
        if not self.layers:
            raise ValueError(f"model {model.name!r} has no ReLU activations: guided backpropagation is "
                             "defined for ReLU networks")

    def __enter__(self):
        guided = _guided_relu()
        for layer in self.layers:
            layer.activation = guided
        return self

    def __exit__(self, *exc):
        import keras

        for layer in self.layers:
            layer.activation = keras.activations.relu
        return False


def guided_gradients(model, images, class_index, *, score_layer: str = "logits", batch_size: int = 32):
    """Guided Backpropagation (Springenberg et al., 2015) for a batch of images: the gradient of the class
    score, except that every ReLU passes back only positive signals, and only where it was active in the
    forward pass. Signed, one value per pixel and channel; ``class_index`` is one class, or one per image.

    Adebayo et al. (2018) found these maps nearly unchanged when the top layers of the network are
    randomized: the positive control of the model-randomization test in
    notebooks/13_faithful_image_explanations.ipynb. The model's ReLUs are swapped for guided ones only
    for the duration of the call.
    """
    images = check_images(model, images)
    with _GuidedReLUs(model):
        return gradients(model, images, class_index, score_layer=score_layer, batch_size=batch_size)


def guided_backprop(model, x, class_index: int, *, score_layer: str = "logits") -> np.ndarray:
    """``guided_gradients`` of one image, shape (H, W, C).

    Used from notebooks/13_faithful_image_explanations.ipynb on.
    """
    x = _one_image(model, x)
    return guided_gradients(model, x[None], class_index, score_layer=score_layer)[0]


def occlusion(model, x, class_index: int, *, patch: int = 32, stride: int = 16, fill: float = 0.0,
              score_layer: str = "logits", batch_size: int = 32) -> np.ndarray:
    """Occlusion sensitivity (Zeiler & Fergus, 2014): slide a ``patch`` square filled with ``fill``
    over the image and record how much the class score drops; every pixel gets the mean drop of the
    patches that covered it, shape (H, W). All occluded copies are scored in batches.

    Used from notebooks/13_faithful_image_explanations.ipynb on.
    """
    x = _one_image(model, x)
    patch, stride = _whole("patch", patch), _whole("stride", stride)
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


# ---------------------------------------------------------------- LIME on superpixels
class LimeMap(NamedTuple):
    """A LIME image explanation as a map: each superpixel's weight in the local linear model painted on
    its pixels (signed, shape (H, W)), the weighted R^2 of that local fit, and the superpixels.

    Returned by ``lime_map``; used in notebooks/13_faithful_image_explanations.ipynb.
    """

    weights: np.ndarray
    score: float
    segments: np.ndarray


def _batched_lime_explainer(random_state: int):
    from lime import lime_image

    class BatchedLimeImageExplainer(lime_image.LimeImageExplainer):
        """lime's image explainer with its sampling step vectorised: the same random on/off rows, drawn
        from the same generator, but every perturbed image built at once and scored in batches, with no
        progress bar in the notebook. ``data_labels`` is lime's own (public) step, replaced whole."""

        def data_labels(self, image, fudged_image, segments, classifier_fn, num_samples, batch_size=10):
            n_features = np.unique(segments).shape[0]
            data = self.random_state.randint(0, 2, num_samples * n_features)
            data = data.reshape((num_samples, n_features))
            data[0, :] = 1
            labels = []
            for i in range(0, num_samples, batch_size):
                hidden = data[i: i + batch_size][:, segments] == 0  # (batch, H, W): superpixel switched off
                imgs = np.where(hidden[..., None], fudged_image[None], image[None])
                labels.extend(classifier_fn(imgs))
            return data, np.array(labels)

    return BatchedLimeImageExplainer(random_state=random_state)


def _lime_class(classifier_fn, image, class_index) -> int:
    """``class_index`` checked against the classes ``classifier_fn`` scores (it is called once on the
    image, as lime will pass it: RGB)."""
    if isinstance(class_index, bool) or not isinstance(class_index, (int, np.integer)):
        raise TypeError(f"class index must be one integer, got {class_index!r}")
    rgb = np.repeat(image[..., None], 3, axis=-1) if image.ndim == 2 else image
    n = np.asarray(classifier_fn(rgb[None])).shape[-1]
    if not 0 <= class_index < n:
        raise ValueError(f"class index {class_index} is outside the classifier's {n} classes (valid: 0 to "
                         f"{n - 1})")
    return int(class_index)


def lime_image_map(classifier_fn, image, class_index: int, segments, *, num_samples: int = 200,
                   hide_color=None, random_state: int = 0, batch_size: int = 64) -> LimeMap:
    """LIME for images (Ribeiro et al., 2016) with the ``lime`` package: switch random subsets of the
    ``segments`` (superpixels, e.g. from ``skimage.segmentation.slic``; an int label per pixel) off,
    replacing them with ``hide_color`` (None: each superpixel's mean colour), score the ``num_samples``
    perturbed images with ``classifier_fn`` (images as lime passes them, RGB -> class probabilities, in
    batches of ``batch_size``), and fit a weighted linear model of the probability of ``class_index`` on
    which superpixels were on. Returns the weights as a map, the fit's R^2 and the segments.

    A grey-scale ``image`` of shape (H, W) is turned into RGB by lime before ``classifier_fn`` sees it.
    Seeded by ``random_state``. Taught in notebooks/13_faithful_image_explanations.ipynb (tabular LIME:
    notebooks/04_lime.ipynb).
    """
    image, segments = np.asarray(image), np.asarray(segments)
    if segments.shape != image.shape[:2] or not np.issubdtype(segments.dtype, np.integer):
        raise ValueError(f"segments must be integer labels of shape {image.shape[:2]} (one per pixel), got "
                         f"{segments.dtype} {segments.shape}")
    class_index = _lime_class(classifier_fn, image, class_index)
    labels = np.unique(segments)
    if not np.array_equal(labels, np.arange(len(labels))):
        raise ValueError(f"segments must be numbered 0 to n-1 (lime indexes superpixels by label), got "
                         f"{labels[:5]}...; renumber them: np.unique(segments, return_inverse=True)[1]")
    explainer = _batched_lime_explainer(random_state)
    explanation = explainer.explain_instance(image, classifier_fn, labels=(int(class_index),),
                                             top_labels=None, hide_color=hide_color, num_samples=num_samples,
                                             batch_size=batch_size, segmentation_fn=lambda _: segments)
    weights = np.zeros(len(labels))
    for feature, weight in explanation.local_exp[int(class_index)]:
        weights[feature] = weight
    return LimeMap(weights[segments], float(explanation.score), segments)


# ---------------------------------------------------------------- from attributions to maps
def _attributions_of_one_image(attributions) -> np.ndarray:
    a = np.asarray(attributions)
    if a.ndim not in (2, 3):
        raise ValueError(f"expected the attributions of one image, shape (H, W, C) (or an (H, W) map), got "
                         f"shape {a.shape}; for a batch, reduce each image: [abs_map(a) for a in batch]")
    return a


def abs_map(attributions) -> np.ndarray:
    """(H, W, C) attributions -> (H, W) map of the largest absolute value over the channels: how much
    a pixel matters, whatever the direction (the usual way gradient maps are shown).

    Used in notebooks/13_faithful_image_explanations.ipynb and notebooks/14_sanity_checks.ipynb.
    """
    a = _attributions_of_one_image(attributions)
    return np.abs(a).max(axis=-1) if a.ndim == 3 else np.abs(a)


def signed_map(attributions) -> np.ndarray:
    """(H, W, C) attributions -> (H, W) map of their sum over the channels: positive pixels raise the
    class score, negative ones lower it.

    Used in notebooks/13_faithful_image_explanations.ipynb and notebooks/14_sanity_checks.ipynb.
    """
    a = _attributions_of_one_image(attributions)
    return a.sum(axis=-1) if a.ndim == 3 else a


# ---------------------------------------------------------------- faithfulness: deletion curves
class Curve(NamedTuple):
    """A perturbation curve: the fraction of the image changed, and the class probability after it.

    Returned by the deletion and insertion curves of notebooks/13_faithful_image_explanations.ipynb.
    """

    fractions: np.ndarray
    probabilities: np.ndarray


def _block_order_by_importance(importance, h: int, w: int, block: int) -> np.ndarray:
    block = _whole("block", block)
    importance = np.asarray(importance, dtype=np.float64)
    if importance.shape != (h, w):
        raise ValueError(f"importance map shape {importance.shape} does not match the image {(h, w)}")
    rows, cols = -(-h // block), -(-w // block)
    padded = np.zeros((rows * block, cols * block))
    padded[:h, :w] = importance
    per_block = padded.reshape(rows, block, cols, block).sum(axis=(1, 3)).ravel()
    return np.argsort(-per_block, kind="stable")


#: The squares of an (h, w) importance map in the order the deletion and insertion curves take them, most
#: important (largest sum) first: ``block_order_by_importance(importance, h, w, block)``. Used in
#: notebooks/13_faithful_image_explanations.ipynb.
block_order_by_importance = _block_order_by_importance


def _perturbation_curve(model, x, class_index, order, steps, block, fill, batch_size, insert: bool) -> Curve:
    import keras

    x = _one_image(model, x)
    class_index = check_class_index(model, class_index)
    steps, batch_size = _whole("steps", steps), _whole("batch_size", batch_size)
    cols = -(-x.shape[1] // block)
    fractions = np.linspace(0, 1, steps + 1)
    start, source = (np.full_like(x, fill), x) if insert else (x, np.full_like(x, fill))
    copies = np.repeat(start[None], steps + 1, axis=0)
    deleted = [round(frac * len(order)) for frac in fractions]
    # insertion at step k shows exactly what deletion in the reverse order leaves at step (steps - k), also
    # when a fraction of the squares falls half-way between two counts
    counts = [len(order) - deleted[steps - k] for k in range(steps + 1)] if insert else deleted
    for k, count in enumerate(counts):
        for b in order[:count]:
            r, c = divmod(int(b), cols)
            rows, columns = slice(r * block, (r + 1) * block), slice(c * block, (c + 1) * block)
            copies[k, rows, columns] = source[rows, columns]
    probs = np.concatenate([keras.ops.convert_to_numpy(model(copies[i: i + batch_size], training=False))
                            for i in range(0, len(copies), batch_size)])
    return Curve(fractions, probs[:, class_index])


def _random_order(x, block: int, random_state: int) -> np.ndarray:
    block = _whole("block", block)
    rows, cols = -(-x.shape[0] // block), -(-x.shape[1] // block)
    return np.random.default_rng(random_state).permutation(rows * cols)


def deletion_curve(model, x, class_index: int, importance, *, steps: int = 20, block: int = 16,
                   fill: float = 0.0, batch_size: int = 32) -> Curve:
    """Delete the image in ``block`` x ``block`` squares, most important first (by the summed
    ``importance`` inside each square), replacing them with ``fill`` (0 = the ImageNet mean colour in
    caffe preprocessing) in ``steps`` equal chunks; return the class probability after each step.

    A faithful map makes the probability fall fast: the area under the curve is small (Petsiuk et al.,
    2018). Squares rather than single pixels, because scattering deleted pixels everywhere destroys any
    image whatever the order. All ``steps + 1`` images are scored in batches. Written out in full in
    notebooks/13_faithful_image_explanations.ipynb.
    """
    x = _one_image(model, x)
    order = _block_order_by_importance(importance, *x.shape[:2], block)
    return _perturbation_curve(model, x, class_index, order, steps, block, fill, batch_size, insert=False)


def random_deletion_curve(model, x, class_index: int, *, random_state: int, steps: int = 20, block: int = 16,
                          fill: float = 0.0, batch_size: int = 32) -> Curve:
    """``deletion_curve`` with the squares deleted in a random order: the baseline a map must beat.

    Used in notebooks/13_faithful_image_explanations.ipynb (the baseline of random order).
    """
    x = _one_image(model, x)
    order = _random_order(x, block, random_state)
    return _perturbation_curve(model, x, class_index, order, steps, block, fill, batch_size, insert=False)


def insertion_curve(model, x, class_index: int, importance, *, steps: int = 20, block: int = 16,
                    fill: float = 0.0, batch_size: int = 32) -> Curve:
    """The mirror image of ``deletion_curve`` (Petsiuk et al., 2018): start from an image filled with
    ``fill`` and put the photo's ``block`` x ``block`` squares back, most important first; the class
    probability after each of the ``steps`` chunks. A faithful map makes it rise fast: the area under
    the curve is large. Inserting in order ``o`` gives the same images as deleting in the reverse of
    ``o``, read backwards (exactly, also when a step's share of the squares is not a whole number).
    Taught in notebooks/13_faithful_image_explanations.ipynb."""
    x = _one_image(model, x)
    order = _block_order_by_importance(importance, *x.shape[:2], block)
    return _perturbation_curve(model, x, class_index, order, steps, block, fill, batch_size, insert=True)


def random_insertion_curve(model, x, class_index: int, *, random_state: int, steps: int = 20,
                           block: int = 16, fill: float = 0.0, batch_size: int = 32) -> Curve:
    """``insertion_curve`` with the squares put back in a random order: the baseline a map must beat.

    Used in notebooks/13_faithful_image_explanations.ipynb (the baseline of random order).
    """
    x = _one_image(model, x)
    order = _random_order(x, block, random_state)
    return _perturbation_curve(model, x, class_index, order, steps, block, fill, batch_size, insert=True)


def area_under(fractions, values) -> float:
    """Trapezoid area under a curve whose x runs from 0 to 1 (e.g. a deletion curve).

    Used in notebooks/13_faithful_image_explanations.ipynb.
    """
    fractions, values = np.asarray(fractions, float), np.asarray(values, float)
    if fractions.shape != values.shape or fractions.ndim != 1:
        raise ValueError(f"fractions and values must be 1-D of the same length, got {fractions.shape} "
                         f"and {values.shape}")
    return float(np.sum((values[1:] + values[:-1]) / 2 * np.diff(fractions)))


# ---------------------------------------------------------------- sanity checks: similarity of two maps
def _finite_map(m: np.ndarray, what: str = "map") -> np.ndarray:
    bad = int((~np.isfinite(m)).sum())
    if bad:
        raise ValueError(f"{what} contains {bad} NaN or infinite value(s); every value of an attribution "
                         "map must be a finite number (recompute the map: a NaN usually comes from a NaN "
                         "input or a division by zero)")
    return m


def _two_maps(a, b) -> tuple[np.ndarray, np.ndarray]:
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        raise ValueError(f"maps differ in shape: {a.shape} vs {b.shape}")
    if a.ndim != 2:
        raise ValueError(f"expected two (H, W) maps, got shape {a.shape}; reduce (H, W, C) attributions "
                         "with abs_map or signed_map first")
    return _finite_map(a, "the first map"), _finite_map(b, "the second map")


def _spearman(a: np.ndarray, b: np.ndarray) -> float:
    from scipy.stats import spearmanr

    if np.ptp(a) == 0 or np.ptp(b) == 0:  # a constant map ranks nothing: it shares no ranking
        return 0.0
    return float(spearmanr(a.ravel(), b.ravel()).statistic)


def rank_similarity(a, b) -> float:
    """Spearman rank correlation between two maps of the same shape (Adebayo et al. compare maps this
    way in the model-randomization test, with and without absolute values). A constant map (e.g. a
    Grad-CAM that the ReLU cut to zero everywhere) ranks no pixel above another: its similarity with any
    map is 0, where SciPy would return NaN.

    Used in notebooks/14_sanity_checks.ipynb.
    """
    a, b = np.asarray(a), np.asarray(b)
    if a.shape != b.shape:
        raise ValueError(f"maps differ in shape: {a.shape} vs {b.shape}")
    if a.ndim not in (1, 2):
        raise ValueError(f"expected two (H, W) maps (or two 1-D selections of their pixels), got shape "
                         f"{a.shape}; reduce (H, W, C) attributions with abs_map or signed_map first, and "
                         "compare a batch one image at a time")
    return _spearman(_finite_map(a.astype(np.float64), "the first map"),
                     _finite_map(b.astype(np.float64), "the second map"))


def _unit_range(m: np.ndarray) -> np.ndarray:
    span = np.ptp(m)
    return (m - m.min()) / span if span > 0 else np.zeros_like(m)


def ssim_similarity(a, b) -> float:
    """Structural similarity (SSIM, Wang et al., 2004) of two (H, W) maps, each scaled to [0, 1] first,
    with Gaussian weighting as in Adebayo et al.'s code. 1 for identical maps; compares local means,
    contrasts and structure rather than the ranking of pixels. Maps must be at least 7 x 7. Used in
    notebooks/14_sanity_checks.ipynb."""
    from skimage.metrics import structural_similarity

    a, b = _two_maps(a, b)
    if min(a.shape) < 7:
        raise ValueError(f"SSIM needs maps of at least 7 x 7 pixels, got {a.shape}")
    return float(structural_similarity(_unit_range(a), _unit_range(b), data_range=1.0, gaussian_weights=True,
                                       win_size=7 if min(a.shape) < 11 else None))


def hog_similarity(a, b, *, cell: int = 16) -> float:
    """Spearman rank correlation of the histograms of oriented gradients (HOG, ``cell`` x ``cell`` pixel
    cells) of two (H, W) maps scaled to [0, 1], as in Adebayo et al.'s code: do the maps have edges of
    the same orientations in the same places? Used in notebooks/14_sanity_checks.ipynb."""
    from skimage.feature import hog

    a, b = _two_maps(a, b)
    if min(a.shape) < 3 * cell:
        raise ValueError(f"maps of {a.shape} are too small for HOG cells of {cell} pixels (3 x 3 cells "
                         f"per block need at least {3 * cell} pixels a side)")
    return _spearman(hog(_unit_range(a), pixels_per_cell=(cell, cell)),
                     hog(_unit_range(b), pixels_per_cell=(cell, cell)))


# ---------------------------------------------------------------- sanity checks: randomized models
def randomize_layers(model, layer_names, *, random_state: int = 0) -> None:
    """Re-initialise the weights of the named layers **in place** with Gaussian noise of the same mean
    and standard deviation as the trained weights (the cascading randomization of Adebayo et al., 2018).
    Every name is checked before any layer is changed; the layers are drawn in the order given, so a
    list that extends another (a deeper stage of the cascade) gets the same values for the shared
    layers. To leave the trained model untouched, use ``randomized_copy``.

    Used in notebooks/14_sanity_checks.ipynb (the model randomization test).
    """
    names = as_name_list(layer_names)
    layers = [get_layer(model, name) for name in names]
    rng = np.random.default_rng(random_state)
    for layer in layers:
        layer.set_weights([rng.normal(w.mean(), w.std() + 1e-12, size=w.shape).astype(w.dtype)
                           for w in layer.get_weights()])


def randomized_copy(model, layer_names, *, random_state: int = 0):
    """A new model with ``model``'s architecture and trained weights, except the named layers, which are
    randomized as by ``randomize_layers``. ``model`` itself is never changed, so every stage of a
    cascade starts from the trained weights and cells can be run again in any order. Taught in
    notebooks/14_sanity_checks.ipynb."""
    import keras

    names = as_name_list(layer_names)
    for name in names:  # check every name before building anything
        get_layer(model, name)
    copy = keras.models.clone_model(model)
    copy.set_weights(model.get_weights())
    randomize_layers(copy, names, random_state=random_state)
    return copy


# ---------------------------------------------------------------- showing maps
def display_scale(attribution_map, *, percentile: float = 99.0, signed: bool = False) -> np.ndarray:
    """Scale an (H, W) map for display so that a few extreme pixels do not turn the rest black: divide by
    the map's ``percentile`` (of the absolute values) and clip, to [0, 1] for a magnitude map or to
    [-1, 1] with ``signed=True`` (show with a diverging colour map centred on 0). The clipping of the
    saliency package Adebayo et al. used (VisualizeImageGrayscale / VisualizeImageDiverging), which however
    sums |attributions| over the channels and subtracts the minimum (grayscale), and takes the percentile of
    the signed values (diverging). Taught in notebooks/13_faithful_image_explanations.ipynb."""
    m = np.asarray(attribution_map, dtype=np.float64)
    if m.ndim != 2:
        raise ValueError(f"expected one (H, W) map, got shape {m.shape}; reduce (H, W, C) attributions with "
                         "abs_map or signed_map first")
    _finite_map(m)
    if not 0 < percentile <= 100:
        raise ValueError(f"percentile must be in (0, 100], got {percentile}")
    if percentile < 1:
        raise ValueError(f"percentile is on a 0-100 scale: {percentile} would scale by the "
                         f"{percentile}th percentile and saturate the map; for the 99th, pass 99, not 0.99")
    if signed:
        top = np.percentile(np.abs(m), percentile)
        return np.clip(m / top, -1, 1) if top > 0 else np.zeros_like(m)
    if (m < 0).any():
        raise ValueError("a magnitude map has no negative values: pass abs_map(...) or use signed=True")
    top = np.percentile(m, percentile)
    return np.clip(m / top, 0, 1) if top > 0 else np.zeros_like(m)


# ---------------------------------------------------------------- notebook 12: where a heatmap lies
def region_concentration(cam, silhouette) -> dict:
    """Where one heatmap lies on one silhouette (H, W, or H, W, 1; pixels > 0.5 are the shape): for its
    ``inside``, its ``outline`` (the pixels within one pixel of its edge: a 3x3 dilation minus a 3x3
    erosion) and the ``background``, the region's share of the heatmap (resized to the silhouette)
    divided by its share of the image. Above 1 the heatmap is concentrated there, below 1 it avoids it;
    nan for an empty region or an all-zero heatmap.
    Used in notebooks/12_grad_cam.ipynb."""
    import cv2

    shape = np.asarray(silhouette, dtype=np.float32)
    shape = shape[..., 0] if shape.ndim == 3 and shape.shape[-1] == 1 else shape
    if shape.ndim != 2:
        raise ValueError(f"expected one silhouette of shape (H, W) or (H, W, 1), got {shape.shape}")
    heat = cv2.resize(_heatmap(cam), shape.shape[::-1])
    mask = (shape > 0.5).astype(np.uint8)
    square = np.ones((3, 3), np.uint8)
    outline = (cv2.dilate(mask, square) - cv2.erode(mask, square)).astype(bool)
    regions = {"inside": mask.astype(bool) & ~outline, "outline": outline,
               "background": ~mask.astype(bool) & ~outline}
    total = heat.sum()
    return {name: float(heat[region].sum() / total / region.mean())
            if region.any() and total > 0 else float("nan") for name, region in regions.items()}


def _heatmap(cam) -> np.ndarray:
    """One heatmap such as Grad-CAM's: (H, W), finite and not negative (its shares are shares of heat)."""
    heat = np.asarray(cam, dtype=np.float32)
    if heat.ndim != 2 or heat.size == 0:
        raise ValueError(f"expected one heatmap of shape (H, W), got {heat.shape}; for a batch, pass one "
                         "of its maps (cams[i])")
    if not np.isfinite(heat).all() or heat.min() < 0:
        finite = heat[np.isfinite(heat)]
        lowest = f"values from {finite.min():.4g}" if finite.size else "no finite value"
        raise ValueError(f"the heatmap must be finite and not negative (Grad-CAM's is, after its ReLU), got "
                         f"{lowest} and {heat.size - finite.size} not finite; for a signed map pass its "
                         "magnitude, np.abs(map)")
    return heat


def heat_shares(cam, canvas, top: int, left: int, box: int = 28) -> tuple[float, float, float]:
    """For a heatmap of a silhouette pasted on ``canvas`` (H, W, 1) with its ``box`` x ``box`` corner at
    (``top``, ``left``): the heatmap's share (resized to the canvas) inside that box, its share on the
    silhouette's pixels (> 0.5), and the share of the canvas those pixels cover.
    Used in notebooks/12_grad_cam.ipynb."""
    import cv2

    canvas = np.asarray(canvas)
    canvas = canvas[..., None] if canvas.ndim == 2 else canvas
    if canvas.ndim != 3 or canvas.shape[-1] != 1:
        raise ValueError(f"expected one canvas of shape (H, W, 1) or (H, W), got {canvas.shape}")
    if not all(isinstance(v, int | np.integer) for v in (top, left, box)) or box < 1 or not (
            0 <= top <= canvas.shape[0] - box and 0 <= left <= canvas.shape[1] - box):
        raise ValueError(f"the {box!r} x {box!r} box at ({top!r}, {left!r}) must lie inside the "
                         f"{canvas.shape[0]} x {canvas.shape[1]} canvas (whole numbers, box at least 1)")
    full = cv2.resize(_heatmap(cam), canvas.shape[:2][::-1])
    mask = canvas[..., 0] > 0.5
    return (float(full[top: top + box, left: left + box].sum() / full.sum()),
            float(full[mask].sum() / full.sum()), float(mask.mean()))
