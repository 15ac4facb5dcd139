"""Convolutional networks for the CNN part: the pretrained SqueezeNet, the small silhouette CNN,
layer look-up with clear errors, Grad-CAM and heatmap overlays.

Taught in notebooks/10_intermediate_activations.ipynb (small CNN, activations),
notebooks/11_filter_visualization.ipynb (SqueezeNet) and notebooks/12_grad_cam.ipynb (Grad-CAM).
"""

from __future__ import annotations

import hashlib
import json

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


# ---------------------------------------------------------------- SqueezeNet
def preprocess_caffe(rgb: np.ndarray) -> np.ndarray:
    """uint8/float RGB image(s) -> float32 BGR with the ImageNet mean subtracted (SqueezeNet's input)."""
    x = np.asarray(rgb, dtype=np.float32)
    if x.shape[-1] != 3:
        raise ValueError(f"expected RGB images with 3 channels in the last axis, got shape {x.shape}")
    return x[..., ::-1] - CAFFE_MEAN_BGR


def build_squeezenet(weights: bool = True, size: int | None = SQUEEZENET_SIZE):
    """SqueezeNet v1.1 (Iandola et al., 2016) in Keras 3, with the keras-squeezenet ImageNet weights
    shipped in data/ (hash-checked, loaded layer by layer with h5py).

    Layer names follow the original with "/" replaced by "_" (Keras 3 forbids "/"): linear convolutions
    ``conv1``, ``fire2_squeeze1x1``, ``fire2_expand3x3``, ..., ``conv10``, each followed by its ReLU
    ``relu_<name>``; ``fireN_concat`` joins a fire module's two expand branches. ``logits`` is the class score before
    the softmax (the global average of ``relu_conv10``'s maps), ``predictions`` the softmax output.
    ``size=None`` accepts images of any size (the network is convolutional up to the global pooling);
    the pretrained weights were trained at 227x227.
    """
    keras = _keras()
    layers = keras.layers
    inputs = keras.Input((size, size, 3), name="image")
    def conv(tensor, filters, kernel, name, **kwargs):
        # linear convolution + separate ReLU, as in the original: filter visualization (notebook 11)
        # ascends the pre-activation, whose gradient is never cut to zero by the ReLU
        tensor = layers.Conv2D(filters, kernel, name=name, **kwargs)(tensor)
        return layers.Activation("relu", name=f"relu_{name}")(tensor)

    x = conv(inputs, 64, 3, "conv1", strides=2, padding="valid")
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
            values = [np.asarray(group[n]) for n in names]
            layer.set_weights(values)


def top_predictions(probs: np.ndarray, class_names: list[str], k: int = 3) -> list[tuple[int, str, float]]:
    """The ``k`` most probable classes of one prediction as (index, short name, probability)."""
    probs = np.asarray(probs).reshape(-1)
    order = np.argsort(probs)[::-1][:k]
    return [(int(i), class_names[i].split(",")[0], float(probs[i])) for i in order]


# ---------------------------------------------------------------- layers
def layer_names(model, kind: str | None = None) -> list[str]:
    """Names of the model's layers; ``kind="conv"`` keeps convolutions, ``"pool"`` poolings,
    ``"feature"`` both (the layers with spatial feature maps)."""
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
    """``model.get_layer(name)`` with an error that lists the valid names (of ``kind``, if given)."""
    valid = layer_names(model, kind)
    if name not in valid:
        what = f"{kind} layer" if kind else "layer"
        raise KeyError(f"model {model.name!r} has no {what} named {name!r}; valid names: {valid}")
    return model.get_layer(name)


def activation_model(model, names: list[str], kind: str | None = "feature"):
    """A model from ``model``'s input to the outputs of the named layers (checked by name)."""
    keras = _keras()
    outputs = [get_layer(model, n, kind).output for n in names]
    return keras.Model(model.input, outputs)


def tile_maps(maps: np.ndarray, cols: int = 16, pad: int = 1) -> np.ndarray:
    """Tile feature maps of shape (h, w, channels) into one 2-D grid image, each map scaled to [0, 1]
    on its own (as in Chollet's notebook); all-zero maps stay black."""
    maps = np.asarray(maps, dtype=np.float32)
    if maps.ndim != 3:
        raise ValueError(f"expected (height, width, channels), got shape {maps.shape}")
    h, w, n = maps.shape
    rows = -(-n // cols)
    grid = np.zeros((rows * (h + pad) - pad, cols * (w + pad) - pad), dtype=np.float32)
    for i in range(n):
        m = maps[..., i]
        span = m.max() - m.min()
        m = (m - m.min()) / span if span > 0 else np.zeros_like(m)
        r, c = divmod(i, cols)
        grid[r * (h + pad): r * (h + pad) + h, c * (w + pad): c * (w + pad) + w] = m
    return grid


# ---------------------------------------------------------------- the small silhouette CNN
SMALL_CNN = {"filters": [32, 64, 128], "dense": 64, "epochs": 10, "batch_size": 64, "learning_rate": 2e-3}


def build_small_cnn(n_classes: int = 10, config: dict = SMALL_CNN):
    """A small, fully convolutional CNN for silhouettes: three conv blocks (``conv1..3``, 'same'
    padding, so ``conv3`` keeps a 7x7 map of a 28x28 input for Grad-CAM), global max pooling and
    a small dense classifier. Trained on 28x28 images, it accepts any input size, so a silhouette can
    be pasted anywhere on a larger canvas (notebook 12)."""
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


def _cache_key(animals, config, seed) -> str:
    keras = _keras()
    digest = hashlib.sha256()
    for array in (animals.x_train, animals.y_train):
        digest.update(np.ascontiguousarray(array).tobytes())
    return json.dumps({"config": config, "seed": seed, "keras": keras.__version__, "data": digest.hexdigest()},
                      sort_keys=True)


def get_or_train_small_cnn(animals, seed: int = 0, config: dict = SMALL_CNN, verbose: int = 0):
    """Load the silhouette CNN from the verified cache, or train it deterministically and cache it
    atomically. Returns ``(model, trained)``, where ``trained`` says whether this call trained it.

    The cache entry is keyed on the data, the configuration, the seed and the Keras version; an entry
    that is incomplete, tampered with or built for another key is ignored and rebuilt.
    """
    keras = _keras()
    path = paths.cache_dir() / "silhouette_cnn.keras"
    key = _cache_key(animals, config, seed)
    if cache.is_valid(path, key):
        return keras.models.load_model(path), False
    from .course import seed_everything

    seed_everything(seed)  # Python, NumPy, Keras/TensorFlow, deterministic TF ops
    model = build_small_cnn(len(animals.class_names), config)
    model.compile(optimizer=keras.optimizers.Adam(config["learning_rate"]),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(animals.x_train, animals.y_train, epochs=config["epochs"], batch_size=config["batch_size"],
              shuffle=True, verbose=verbose)
    cache.write_atomic(path, key, lambda tmp: model.save(tmp))
    return model, True


# ---------------------------------------------------------------- Grad-CAM
def grad_cam(model, images: np.ndarray, layer_name: str, class_index=None,
             score_layer: str = "logits") -> np.ndarray:
    """Grad-CAM heatmaps (Selvaraju et al., 2017) for a batch of preprocessed images.

    The gradient of the class score (``score_layer``'s output, before the softmax) with respect to the
    feature maps of ``layer_name`` is averaged over space to weight each map; the weighted sum, passed
    through a ReLU and scaled to [0, 1] per image, is the heatmap at that layer's resolution.
    ``class_index`` is one class for every image, a sequence with one class per image, or None for
    each image's top class. Taught in full in notebooks/12_grad_cam.ipynb.
    """
    keras = _keras()
    import tensorflow as tf

    conv = get_layer(model, layer_name, kind="feature")
    score = get_layer(model, score_layer)
    grad_model = keras.Model(model.input, [conv.output, score.output])
    x = tf.convert_to_tensor(np.asarray(images, dtype=np.float32))
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


def overlay_heatmap(rgb: np.ndarray, heatmap: np.ndarray, alpha: float = 0.45) -> np.ndarray:
    """Resize a [0, 1] heatmap to the photo, colour it with OpenCV's JET map and blend it over the
    photo. OpenCV colour maps come out in BGR order: converted to RGB before blending."""
    import cv2

    rgb = np.asarray(rgb, dtype=np.uint8)
    h, w = rgb.shape[:2]
    resized = cv2.resize(np.asarray(heatmap, dtype=np.float32), (w, h), interpolation=cv2.INTER_LINEAR)
    colored_bgr = cv2.applyColorMap(np.uint8(255 * np.clip(resized, 0, 1)), cv2.COLORMAP_JET)
    colored = cv2.cvtColor(colored_bgr, cv2.COLOR_BGR2RGB)
    return cv2.addWeighted(colored, alpha, rgb, 1 - alpha, 0)
