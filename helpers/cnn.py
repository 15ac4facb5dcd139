"""Convolutional networks for the CNN part: the pretrained SqueezeNet, the small silhouette CNN (trained
once and cached), layer look-up with clear errors, and the input checks every network call goes through.

Attribution methods that explain these networks (Grad-CAM included) live in ``helpers.attribution``;
drawing (feature-map grids, heatmap overlays) in ``helpers.plots``.

Taught in notebooks/10_intermediate_activations.ipynb (small CNN, activations) and
notebooks/11_filter_visualization.ipynb (SqueezeNet).
"""

from __future__ import annotations

import hashlib
import json
from typing import NamedTuple

import numpy as np

from . import cache, paths

SQUEEZENET_FILE = "squeezenet_v1.1.h5"
SQUEEZENET_SHA256 = "308d1afdb450bd2836240f6cb6fe952cb2e33492fc3564b0c134391614c3dcb5"
SQUEEZENET_SIZE = 227
#: Caffe-style preprocessing of the original weights: BGR channel order, ImageNet mean subtracted.
CAFFE_MEAN_BGR = np.array([103.939, 116.779, 123.68], dtype=np.float32)

# (fire module id, squeeze filters, expand filters) of SqueezeNet v1.1
_FIRE = [(2, 16, 64), (3, 16, 64), (4, 32, 128), (5, 32, 128), (6, 48, 192), (7, 48, 192), (8, 64, 256),
         (9, 64, 256)]


def _keras():
    import keras

    return keras


# ---------------------------------------------------------------- inputs
def as_pixels_255(rgb, what: str = "image") -> np.ndarray:
    """RGB pixels as float32 in [0, 255], accepting both conventions: ``uint8`` or floats in [0, 255],
    and floats in [0, 1] (scaled by 255). Anything else (negative values, e.g. an image that is already
    preprocessed, or values above 255) raises ``ValueError`` saying what was found.

    Infrastructure (not taught in a notebook): input checks of ``plots`` and ``cnn``.
    """
    x = np.asarray(rgb)
    if x.dtype == np.uint8:
        return x.astype(np.float32)
    if not np.issubdtype(x.dtype, np.number) or x.dtype == np.bool_:
        raise TypeError(f"{what}: expected numeric pixels, got dtype {x.dtype}")
    x = x.astype(np.float32)
    if x.size == 0:
        raise ValueError(f"{what}: the array is empty (shape {x.shape})")
    lo, hi = float(np.nanmin(x)), float(np.nanmax(x))
    if not np.isfinite(x).all():
        raise ValueError(f"{what}: contains NaN or infinite values")
    if lo < 0 or hi > 255:
        raise ValueError(f"{what}: pixel values span [{lo:.3g}, {hi:.3g}]; expected RGB in [0, 255] (uint8) "
                         "or [0, 1] (float). Negative values suggest the image is already preprocessed.")
    return x * 255.0 if hi <= 1.0 else x


#: The input each of the course's networks expects, by model name (clones and randomized copies keep
#: the name): the range of values a correctly prepared input stays in, with some room for perturbed
#: copies, and how to prepare it. ``check_images`` refuses an input far outside it, which is the mark of
#: a skipped (or doubled) preprocessing step; models of other names are not checked.
INPUT_SCALES: dict[str, tuple[float, float, str]] = {
    # caffe preprocessing: each channel in [0 - mean, 255 - mean] = [-123.7, 151.1]
    "squeezenet_v1_1": (-150.0, 180.0, ("SqueezeNet expects cnn.preprocess_caffe(rgb): BGR with the ImageNet "
                                        "mean subtracted, values in about [-124, 151]")),
    "silhouette_cnn": (-0.5, 1.5, ("the silhouette CNN expects values in [0, 1], as images.load_animals "
                                   "gives them (divide 0-255 pixels by 255)")),
}


#: A SqueezeNet batch whose values span at most this (max - min) is a [0, 1] or [-1, 1] image, not a
#: caffe-preprocessed photo (whose span is in the tens or hundreds).
MIN_CAFFE_SPAN = 2.0

#: The largest image (height x width, in pixels) the attribution methods take: a 4000x4000 photo on a
#: ``size=None`` network grows Grad-CAM past 3 GB. The course's photos are at most about 600x600.
MAX_IMAGE_PIXELS = 1024 * 1024


def check_scale(model, x, what: str = "images") -> None:
    """Refuse an input on the wrong scale for one of the course's networks (``INPUT_SCALES``): a raw photo
    given to SqueezeNet without ``preprocess_caffe``, silhouettes multiplied by 255. Such inputs give a
    plausible-looking map or a lower accuracy, not an error, unless they are caught here.
    Infrastructure (not taught in a notebook):
    the input-scale check of the course's two networks, used by cnn.check_images."""
    known = INPUT_SCALES.get(getattr(model, "name", None))
    x = np.asarray(x)
    if known is None or x.size == 0:
        return
    lo, hi, expected = known
    if x.dtype == np.uint8 and model.name == "squeezenet_v1_1":
        raise ValueError(f"{what}: got uint8 pixels; {expected}")
    got_lo, got_hi = float(np.min(x)), float(np.max(x))
    if got_lo < lo or got_hi > hi:
        raise ValueError(f"{what}: values span [{got_lo:.4g}, {got_hi:.4g}], on the wrong scale for "
                         f"{model.name!r}: {expected}")
    # a [0, 1] or [-1, 1] photo lies inside the caffe range too, but gives a near-uniform grey input;
    # a constant image (an all-zeros baseline: the mean colour) is a legitimate input and is let through
    if model.name == "squeezenet_v1_1" and 0.0 < got_hi - got_lo <= MIN_CAFFE_SPAN:
        raise ValueError(f"{what}: values span only [{got_lo:.4g}, {got_hi:.4g}] (a [0, 1] or [-1, 1] "
                         f"image?); {expected}: prepare 0-255 RGB photos with cnn.preprocess_caffe(rgb)")


def check_images(model, images, what: str = "images", *, scale: bool = True) -> np.ndarray:
    """Return ``images`` as a float32 batch the model can take, or raise ``ValueError`` that says what
    is expected: (N, H, W, C) with the model's channel count, a fixed size where the model has one, at
    least the smallest size the network's poolings and strided convolutions allow, finite values and,
    with ``scale`` (the default; ``False`` only for copies perturbed on purpose, such as SmoothGrad's
    noisy ones), the value range of the course's networks (``check_scale``).

    Infrastructure (not taught in a notebook): the input check of every ``attribution`` method.
    """
    x = np.asarray(images)
    expected = tuple(model.input_shape[1:])
    spec = "(N, " + ", ".join("any" if d is None else str(d) for d in expected) + ")"
    if x.ndim == len(expected):
        if expected[-1] == 1 and x.shape[-1] != 1:
            raise ValueError(f"{what}: got shape {x.shape}, which looks like a batch of grey images without "
                             f"the channel axis; expected {spec}. Add the channel axis with "
                             "images[..., None].")
        raise ValueError(f"{what}: got one image of shape {x.shape} without a batch axis; expected {spec}. "
                         "Add the batch axis with image[None] (or np.stack for several images).")
    if x.ndim != len(expected) + 1:
        raise ValueError(f"{what}: got an array of shape {x.shape}; expected a batch {spec}")
    if len(x) == 0:
        raise ValueError(f"{what}: the batch is empty; expected {spec}")
    for axis, (got, want) in enumerate(zip(x.shape[1:], expected), start=1):
        if want is not None and got != want:
            raise ValueError(f"{what}: shape {x.shape} does not fit the model {model.name!r}, "
                             f"which expects {spec}")
    smallest = min_input_size(model)
    if min(x.shape[1:3]) < smallest:
        raise ValueError(f"{what}: images of {x.shape[1]}x{x.shape[2]} pixels are too small for "
                         f"{model.name!r}, whose poolings need at least {smallest}x{smallest} "
                         "(resize them, e.g. images.load_image(path, size=227))")
    if x.shape[1] * x.shape[2] > MAX_IMAGE_PIXELS:
        raise ValueError(f"{what}: images of {x.shape[1]}x{x.shape[2]} pixels are too large (at most "
                         f"{MAX_IMAGE_PIXELS} pixels, e.g. 1024x1024, to keep memory in bounds); resize them "
                         "when loading, e.g. images.load_image(path, size=227)")
    if not np.issubdtype(x.dtype, np.number) or x.dtype == np.bool_:
        raise TypeError(f"{what}: expected numeric pixel values, got dtype {x.dtype}")
    if not np.isfinite(x).all():
        raise ValueError(f"{what}: contains {int((~np.isfinite(x)).sum())} NaN or infinite value(s); every "
                         "pixel must be a finite number")
    if scale:
        check_scale(model, x, what)
    return x.astype(np.float32, copy=False)


def min_input_size(model) -> int:
    """The smallest square input the model's convolutions and poolings accept: the spatial size is
    followed through every Conv2D/pooling layer in order (branches of a fire module keep the same size).

    Used in notebooks/11_filter_visualization.ipynb.
    """
    keras = _keras()
    sized = (keras.layers.Conv2D, keras.layers.MaxPooling2D, keras.layers.AveragePooling2D)
    layers = [layer for layer in model.layers if isinstance(layer, sized)]

    def fits(size: int) -> bool:
        for layer in layers:
            kernel = layer.kernel_size[0] if hasattr(layer, "kernel_size") else layer.pool_size[0]
            stride = layer.strides[0]
            if layer.padding == "same":
                size = -(-size // stride)
            elif size < kernel:
                return False
            else:
                size = (size - kernel) // stride + 1
        return size >= 1

    return next(s for s in range(1, 4097) if fits(s))


def n_outputs(model, score_layer: str | None = None) -> int:
    """Number of classes a model scores (at ``score_layer``, default the model's output).

    Infrastructure (not taught in a notebook): the input check of ``check_class_index``.
    """
    tensor = model.output if score_layer is None else get_layer(model, score_layer).output
    return int(tensor.shape[-1])


def check_class_index(model, class_index, score_layer: str | None = None, n_images: int | None = None):
    """Validate one class index, or one per image, against the model's number of classes.

    Python's negative indexing does not apply: ``-1`` is refused rather than silently meaning the last
    class. Returns an int, or an int array of length ``n_images``.

    Infrastructure (not taught in a notebook): the input check of every ``attribution`` method.
    """
    n = n_outputs(model, score_layer)
    values = np.asarray(class_index)
    if values.dtype == np.bool_ or not np.issubdtype(values.dtype, np.integer):
        if np.issubdtype(values.dtype, np.floating) and np.all(values == np.round(values)):
            values = values.astype(np.int64)
        else:
            raise TypeError(f"class index must be an integer (or one per image), got {class_index!r}")
    bad = values[(values < 0) | (values >= n)]
    if bad.size:
        raise ValueError(f"class index {bad.ravel()[0]} is outside the model's {n} classes "
                         f"(valid: 0 to {n - 1})")
    if values.ndim == 0:
        return int(values)
    if values.ndim != 1 or (n_images is not None and len(values) != n_images):
        raise ValueError(f"expected one class index, or one per image ({n_images}), got shape {values.shape}")
    return values.astype(np.int64)


# ---------------------------------------------------------------- SqueezeNet
def preprocess_caffe(rgb) -> np.ndarray:
    """RGB image(s) -> float32 BGR with the ImageNet mean subtracted (SqueezeNet's input).

    Accepts ``uint8`` pixels or floats in [0, 255] or in [0, 1] (see ``as_pixels_255``).

    Used in notebooks/11_filter_visualization.ipynb, notebooks/12_grad_cam.ipynb and
    notebooks/13_faithful_image_explanations.ipynb.
    """
    x = np.asarray(rgb)
    if x.ndim < 3 or x.shape[-1] != 3:
        raise ValueError(f"expected RGB images with 3 channels in the last axis, got shape {x.shape}")
    return as_pixels_255(x, "preprocess_caffe")[..., ::-1] - CAFFE_MEAN_BGR


#: The smallest square input SqueezeNet v1.1 takes (``min_input_size``; tests/test_cnn.py checks it):
#: smaller ones make a pooling's output empty, which crashes TensorFlow's CPU kernel (SIGFPE).
SQUEEZENET_MIN_SIZE = 31
_SIZE_GUARD = {}


def _size_guard_layer():
    """A Keras layer that passes its input through unchanged after checking that it is at least
    ``smallest`` pixels high and wide: a ``ValueError`` when the shape is known as the model is called
    (eagerly, or traced with a fixed shape), a TensorFlow assertion inside a traced graph otherwise. It
    sits right after the input, so every call of the network and of any model built from its layers
    (``keras.Model(model.input, ...)``, ``predict``, GradientTape) meets it before the first pooling."""
    if "layer" in _SIZE_GUARD:
        return _SIZE_GUARD["layer"]
    keras = _keras()

    class MinimumSize(keras.layers.Layer):
        def __init__(self, smallest: int, **kwargs):
            super().__init__(**kwargs)
            self.smallest = int(smallest)

        def _message(self, shape=None) -> str:
            got = f"images of {shape} pixels are" if shape else "an image is"
            return (f"{got} too small for this network, which needs at least {self.smallest}x{self.smallest} "
                    "(resize them, e.g. images.load_image(path, size=227))")

        def call(self, x):
            import tensorflow as tf

            static = tuple(x.shape[1:3])
            if all(d is not None for d in static):
                if min(static) < self.smallest:
                    raise ValueError(self._message(f"{static[0]}x{static[1]}"))
                return x
            shape = tf.shape(x)
            check = tf.debugging.assert_greater_equal(tf.minimum(shape[1], shape[2]), self.smallest,
                                                      message=self._message())
            with tf.control_dependencies([check]):
                return tf.identity(x)

        def compute_output_shape(self, input_shape):
            return input_shape

        def get_config(self):
            return {**super().get_config(), "smallest": self.smallest}

    _SIZE_GUARD["layer"] = MinimumSize
    return MinimumSize


def build_squeezenet(weights: bool = True, size: int | None = SQUEEZENET_SIZE):
    """SqueezeNet v1.1 (Iandola et al., 2016) in Keras 3, with the keras-squeezenet ImageNet weights
    shipped in data/ (hash-checked, loaded layer by layer with h5py).

    Layer names follow the original with "/" replaced by "_" (Keras 3 forbids "/"): linear convolutions
    ``conv1``, ``fire2_squeeze1x1``, ``fire2_expand3x3``, ..., ``conv10``, each followed by its ReLU
    ``relu_<name>``; ``fireN_concat`` joins a fire module's two expand branches. ``logits`` is the class
    score before the softmax (the global average of ``relu_conv10``'s maps), ``predictions`` the softmax
    output. ``size=None`` accepts images of any size from 31x31 up (the network is convolutional up to
    the global pooling); the pretrained weights were trained at 227x227. A smaller image raises an error
    in every way the network can be called (layer ``check_size`` after the input), instead of crashing
    the Python process.

    Used in notebooks/11_filter_visualization.ipynb, notebooks/12_grad_cam.ipynb and
    notebooks/13_faithful_image_explanations.ipynb.
    """
    keras = _keras()
    layers = keras.layers
    if size is not None and (isinstance(size, bool) or not isinstance(size, (int, np.integer))
                             or size < SQUEEZENET_MIN_SIZE):
        raise ValueError(f"size must be None (any size) or a whole number of at least {SQUEEZENET_MIN_SIZE} "
                         f"pixels, got {size!r}")
    inputs = keras.Input((size, size, 3), name="image")
    guarded = _size_guard_layer()(SQUEEZENET_MIN_SIZE, name="check_size")(inputs)

    def conv(tensor, filters, kernel, name, **kwargs):
        # linear convolution + separate ReLU, as in the original: filter visualization (notebook 11)
        # ascends the pre-activation, whose gradient is never cut to zero by the ReLU
        tensor = layers.Conv2D(filters, kernel, name=name, **kwargs)(tensor)
        return layers.Activation("relu", name=f"relu_{name}")(tensor)

    x = conv(guarded, 64, 3, "conv1", strides=2, padding="valid")
    x = layers.MaxPooling2D(3, strides=2, name="pool1")(x)
    for fire_id, squeeze, expand in _FIRE:
        s = conv(x, squeeze, 1, f"fire{fire_id}_squeeze1x1")
        left = conv(s, expand, 1, f"fire{fire_id}_expand1x1")
        right = conv(s, expand, 3, f"fire{fire_id}_expand3x3", padding="same")
        x = layers.Concatenate(name=f"fire{fire_id}_concat")([left, right])
        if fire_id in (3, 5):
            x = layers.MaxPooling2D(3, strides=2, name=f"pool{fire_id}")(x)
    x = layers.Dropout(0.5, name="drop9")(x)
    x = conv(x, 1000, 1, "conv10")
    logits = layers.GlobalAveragePooling2D(name="logits")(x)
    outputs = layers.Activation("softmax", name="predictions")(logits)
    model = keras.Model(inputs, outputs, name="squeezenet_v1_1")
    if weights:
        _load_squeezenet_weights(model)
    return model


def _load_squeezenet_weights(model) -> None:
    import h5py

    path = cache.verify_sha256(paths.DATA_DIR / SQUEEZENET_FILE, SQUEEZENET_SHA256)
    with h5py.File(path, "r") as h5:
        for layer in model.layers:
            if not layer.weights:
                continue
            original = layer.name.replace("_", "/", 1) if layer.name.startswith("fire") else layer.name
            group = h5[original]
            names = [n.decode() for n in group.attrs["weight_names"]]
            layer.set_weights([np.asarray(group[n]) for n in names])


class Prediction(NamedTuple):
    """One of a model's top classes: its index, its short name (before the first comma) and probability.

    Returned by ``top_predictions``; used in notebooks/12_grad_cam.ipynb.
    """

    index: int
    label: str
    probability: float


def top_predictions(probs, class_names: list[str], k: int = 3) -> list[Prediction]:
    """The ``k`` most probable classes of **one** image's prediction, most probable first.

    ``probs`` is one row of probabilities (shape (classes,) or (1, classes)); for a batch, call it once
    per row.

    Used in notebooks/12_grad_cam.ipynb.
    """
    probs = np.asarray(probs, dtype=np.float64)
    if probs.ndim == 2 and len(probs) == 1:
        probs = probs[0]
    if probs.ndim != 1:
        raise ValueError(f"top_predictions explains one image: expected shape (classes,), got {probs.shape}; "
                         "for a batch, call it on each row (probs[i])")
    if len(probs) != len(class_names):
        raise ValueError(f"{len(probs)} probabilities but {len(class_names)} class names")
    if not np.isfinite(probs).all() or probs.min() < 0 or probs.max() > 1 or abs(probs.sum() - 1) > 1e-3:
        raise ValueError(f"these are not probabilities (values in [{probs.min():.3g}, {probs.max():.3g}], "
                         f"sum {probs.sum():.4g}): pass the softmax output (model.predict, the 'predictions' "
                         "layer), not the logits; probabilities lie in [0, 1] and sum to 1")
    if not 1 <= k <= len(probs):
        raise ValueError(f"k must be between 1 and {len(probs)}, got {k}")
    order = np.argsort(probs)[::-1][:k]
    return [Prediction(int(i), class_names[i].split(",")[0], float(probs[i])) for i in order]


# ---------------------------------------------------------------- layers
def layer_names(model, kind: str | None = None) -> list[str]:
    """Names of the model's layers; ``kind="conv"`` keeps convolutions, ``"pool"`` poolings,
    ``"feature"`` the layers with spatial feature maps (convolutions, poolings, concatenations).

    Used in notebooks/10_intermediate_activations.ipynb and notebooks/11_filter_visualization.ipynb.
    """
    keras = _keras()
    kinds = {
        "conv": (keras.layers.Conv2D,),
        "pool": (keras.layers.MaxPooling2D, keras.layers.AveragePooling2D),
        "feature": (keras.layers.Conv2D, keras.layers.MaxPooling2D, keras.layers.AveragePooling2D,
                    keras.layers.Concatenate),
    }
    if kind is not None and kind not in kinds:
        raise ValueError(f"unknown layer kind {kind!r}; use one of {sorted(kinds)} or None")
    return [layer.name for layer in model.layers if kind is None or isinstance(layer, kinds[kind])]


def get_layer(model, name: str, kind: str | None = None):
    """``model.get_layer(name)`` with an error that lists the valid names (of ``kind``, if given).

    Used in notebooks/11_filter_visualization.ipynb and by ``attribution``.
    """
    if not isinstance(name, str):
        raise TypeError(f"a layer name must be a string, got {type(name).__name__} {name!r}")
    valid = layer_names(model, kind)
    if name not in valid:
        what = f"{kind} layer" if kind else "layer"
        raise KeyError(f"model {model.name!r} has no {what} named {name!r}; valid names: {valid}")
    return model.get_layer(name)


def as_name_list(names) -> list[str]:
    """A single layer name or a list of them, as a list (a bare string is one name, not its letters).

    Infrastructure (not taught in a notebook): name checks of ``activation_model`` and ``attribution``.
    """
    return [names] if isinstance(names, str) else list(names)


def activation_model(model, names, kind: str | None = "feature"):
    """A model from ``model``'s input to the outputs of the named layers (checked by name), as written
    out by hand in notebooks/10_intermediate_activations.ipynb."""
    keras = _keras()
    outputs = [get_layer(model, n, kind).output for n in as_name_list(names)]
    return keras.Model(model.input, outputs)


def preactivation_peaks(model, layer_name: str, x, batch_size: int = 500) -> np.ndarray:
    """Each filter's largest **pre-activation** (the convolution plus its bias, before the ReLU) of the
    convolution layer ``layer_name`` over the images ``x``, computed from the layer below's output with
    the layer's own kernel and bias (``tf.nn.conv2d``, stride 1, 'same' padding), not read from the layer's
    output: a filter whose peak is <= 0 is zeroed by the ReLU at every position of every image.

    Used in notebooks/10_intermediate_activations.ipynb (the exercise checker's count of silent filters).
    """
    import tensorflow as tf

    layer = get_layer(model, layer_name, "conv")
    below = model.layers[model.layers.index(layer) - 1]
    if getattr(layer, "strides", (1, 1)) != (1, 1) or getattr(layer, "padding", "same") != "same":
        raise ValueError(f"{layer_name} must be a stride-1 'same' convolution, got strides {layer.strides} "
                         f"and padding {layer.padding!r}")
    to_below = activation_model(model, below.name, kind=None)
    kernel, bias = layer.get_weights()
    peaks = np.full(kernel.shape[-1], -np.inf, dtype=np.float32)
    for start in range(0, len(x), batch_size):
        z = tf.nn.conv2d(to_below(x[start: start + batch_size], training=False), kernel, strides=1,
                         padding="SAME") + bias
        peaks = np.maximum(peaks, np.asarray(z).max(axis=(0, 1, 2)))
    return peaks


def without_filters(model, layer_name: str, filters):
    """A copy of ``model`` whose convolution ``layer_name`` has the given filters' kernels and biases set to
    zero (the model itself is unchanged).

    Used in notebooks/10_intermediate_activations.ipynb (the exercise checker verifies a pruning with it).
    """
    copy = _keras().models.clone_model(model)
    copy.set_weights(model.get_weights())
    layer = get_layer(copy, layer_name, "conv")
    kernel, bias = layer.get_weights()
    kernel[..., filters], bias[filters] = 0.0, 0.0
    layer.set_weights([kernel, bias])
    return copy


# ---------------------------------------------------------------- the small silhouette CNN
SMALL_CNN = {"filters": [32, 64, 128], "dense": 64, "epochs": 10, "batch_size": 64, "learning_rate": 2e-3}


def build_small_cnn(n_classes: int = 10, config: dict = SMALL_CNN):
    """A small CNN for silhouettes: three conv blocks (``conv1..3``, 'same' padding, so ``conv3`` keeps
    a 7x7 map of a 28x28 input for Grad-CAM), global max pooling and a small dense classifier (so it is
    not fully convolutional). The global pooling turns maps of any size into one value per conv3 map,
    so the network, trained on 28x28 images, accepts any input size and a silhouette can be pasted
    anywhere on a larger canvas (notebook 12).

    Shown in full in notebooks/10_intermediate_activations.ipynb.
    """
    keras = _keras()
    layers = keras.layers
    inputs = keras.Input((None, None, 1), name="silhouette")
    x = inputs
    for i, filters in enumerate(config["filters"], start=1):
        x = layers.Conv2D(filters, 3, padding="same", activation="relu", name=f"conv{i}")(x)
        if i < len(config["filters"]):
            x = layers.MaxPooling2D(2, name=f"pool{i}")(x)
    x = layers.GlobalMaxPooling2D(name="global_max")(x)
    x = layers.Dense(config["dense"], activation="relu", name="dense")(x)
    logits = layers.Dense(n_classes, name="logits")(x)
    outputs = layers.Activation("softmax", name="predictions")(logits)
    return keras.Model(inputs, outputs, name="silhouette_cnn")


def _cache_key(x, y, config, seed, labels: str) -> str:
    keras = _keras()
    digest = hashlib.sha256()
    for array in (x, y):
        digest.update(np.ascontiguousarray(array).tobytes())
    return json.dumps({"config": config, "seed": seed, "keras": keras.__version__, "data": digest.hexdigest(),
                       "labels": labels}, sort_keys=True)


def _cached_or_trained(name: str, x, y, n_classes: int, seed: int, config: dict, labels: str, verbose: int):
    """Load ``name`` from the first cache directory holding a valid entry, or train and cache it."""
    keras = _keras()

    def train():
        from .course import seed_everything

        if verbose:  # the first run's only long wait: say what it is, then one line per epoch
            epochs = f"{config['epochs']} epoch{'s' * (config['epochs'] != 1)}"
            print(f"No valid cached {name}: training it once ({epochs} on {len(y):,} images, saved to "
                  "the cache for the next runs)", flush=True)
        seed_everything(seed)  # Python, NumPy, Keras/TensorFlow, deterministic TF ops
        model = build_small_cnn(n_classes, config)
        model.compile(optimizer=keras.optimizers.Adam(config["learning_rate"]),
                      loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x, y, epochs=config["epochs"], batch_size=config["batch_size"], shuffle=True,
                  verbose=2 if verbose else 0)
        return model

    return cache.load_or_make(name, _cache_key(x, y, config, seed, labels), train, keras.models.load_model,
                              what="trained model", stacklevel=4)  # the warning points at the notebook


def get_or_train_small_cnn(animals, seed: int = 0, config: dict = SMALL_CNN, verbose: int = 1):
    """Load the silhouette CNN from the verified cache, or train it deterministically and cache it
    atomically. Returns ``(model, trained)``, where ``trained`` says whether this call trained it.
    When it trains, it says so and prints one line per epoch (``verbose=0``: silent).

    The cache entry is keyed on the data, the configuration, the seed and the Keras version; an entry
    that is incomplete, tampered with or built for another key is ignored and rebuilt. When no cache
    directory can be written the model is returned all the same (with a warning).

    Used from notebooks/10_intermediate_activations.ipynb on.
    """
    return _cached_or_trained("silhouette_cnn.keras", animals.x_train, animals.y_train,
                              len(animals.class_names), seed, config, "true", verbose)


#: The data-randomization model: the same network, trained on a 1,000-silhouette subset with permuted
#: labels for long enough to memorise them (a few epochs on all 8,000 would leave it near its random
#: start, and the test would then only repeat the model-randomization test).
SHUFFLED_CNN = {**SMALL_CNN, "epochs": 40, "batch_size": 32, "train_size": 1000}


def _training_subset(animals, seed: int, config: dict):
    """The training images the data-randomization networks of notebooks/14_sanity_checks.ipynb use."""
    rng = np.random.default_rng(seed)
    n = len(animals.y_train)
    size = config.get("train_size", n)
    if not 1 <= size <= n:
        raise ValueError(f"train_size must be between 1 and the {n} training images, got {size}")
    idx = np.sort(rng.choice(n, size=size, replace=False)) if size < n else np.arange(n)
    return idx, rng


def shuffled_label_training_set(animals, seed: int = 0, config: dict = SHUFFLED_CNN):
    """The silhouettes and the **permuted** labels the shuffled-label CNN is trained on: a random subset of
    ``config["train_size"]`` training images (all of them when the key is absent) whose labels are
    shuffled among themselves (a random permutation, not a derangement), so every class keeps its share and
    a label equals its image's true class only by chance, about one time in ten with ten balanced classes
    (notebooks/14_sanity_checks.ipynb prints the count)."""
    idx, rng = _training_subset(animals, seed, config)
    return animals.x_train[idx], rng.permutation(animals.y_train[idx])


def same_images_training_set(animals, seed: int = 0, config: dict = SHUFFLED_CNN):
    """The silhouettes of ``shuffled_label_training_set`` with their **true** labels.
    Used in notebooks/14_sanity_checks.ipynb."""
    idx, _ = _training_subset(animals, seed, config)
    return animals.x_train[idx], animals.y_train[idx]


def get_or_train_shuffled_label_cnn(animals, seed: int = 0, config: dict = SHUFFLED_CNN, verbose: int = 1):
    """The same network trained on **shuffled** labels (the data-randomization test of Adebayo et al.,
    2018), on ``shuffled_label_training_set``: it can only memorise, so it fits its training labels
    but is at chance on held-out silhouettes. Its weights start from a different draw (``seed + 1``) than
    ``get_or_train_small_cnn(animals, seed)``'s, as two separate training runs would: the two networks
    differ in what they learned, not in a shared starting point. Cached like ``get_or_train_small_cnn``;
    returns ``(model, trained)``. Taught in notebooks/14_sanity_checks.ipynb, beside its equal-data control
    ``get_or_train_same_images_cnn``."""
    x, shuffled = shuffled_label_training_set(animals, seed, config)
    return _cached_or_trained("silhouette_cnn_shuffled_labels.keras", x, shuffled,
                              len(animals.class_names), seed + 1, config, "shuffled", verbose)


def get_or_train_same_images_cnn(animals, seed: int = 0, config: dict = SHUFFLED_CNN, verbose: int = 1):
    """The data-randomization test's control: the network of ``get_or_train_shuffled_label_cnn`` trained on
    the **same** silhouettes with their **true** labels, with the same configuration (epochs, batch size)
    and the same starting weights (``seed + 1``), so that the labels are the only difference between the
    two. Cached like ``get_or_train_small_cnn``; returns ``(model, trained)``. Taught in
    notebooks/14_sanity_checks.ipynb."""
    x, y = same_images_training_set(animals, seed, config)
    return _cached_or_trained("silhouette_cnn_same_images.keras", x, y, len(animals.class_names), seed + 1,
                              config, "true, same images as the shuffled-label network", verbose)


# ---------------------------------------------------------------- notebook 14's bookkeeping
def accuracy(model, x, y) -> float:
    """The share of the images ``x`` whose top class under ``model`` (called on the whole batch) is ``y``.
    Used in notebooks/14_sanity_checks.ipynb."""
    return float((np.asarray(model(x)).argmax(axis=1) == np.asarray(y)).mean())
