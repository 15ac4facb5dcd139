"""Feature visualization by gradient ascent on the input, and the two remedies of Olah, Mordvintsev &
Schubert, "Feature Visualization" (Distill, 2017): transformation robustness and a decorrelated (Fourier,
colour-decorrelated) image parameterisation. Notebook 11 writes each method out in full once and checks it
equal to the functions here.

The reference implementation, lucid (TensorFlow 1), cannot run on the course's Keras 3; the Fourier
scaling and the colour matrix follow lucid's ``lucid.optvis.param`` (``fft_image``, ``color``).

Images live in the network's input space (SqueezeNet's caffe preprocessing: BGR, ImageNet mean
subtracted, 0-255 scale) unless a function says otherwise. TensorFlow is imported inside the functions that
need it, so the measures (``high_frequency_share``, ``dominant_orientation``) and the JPEG helper work
without it.
"""

from __future__ import annotations

import io

import numpy as np

from . import layout

#: lucid's ``color_correlation_svd_sqrt`` (lucid/optvis/param/color.py): the square root of ImageNet's
#: colour correlation matrix, rows R, G, B
COLOR_CORRELATION_SVD_SQRT = np.array([[0.26, 0.09, 0.02],
                                       [0.27, 0.00, -0.05],
                                       [0.27, -0.09, 0.03]], dtype="float32")
#: the same, normalised by its largest column norm, as lucid does
COLOR_MATRIX = COLOR_CORRELATION_SVD_SQRT / np.max(np.linalg.norm(COLOR_CORRELATION_SVD_SQRT, axis=0))
CAFFE_MEAN_BGR = np.array([103.939, 116.779, 123.68], dtype="float32")
#: the random transformations applied at every step of the robust ascent: shifts of up to JITTER pixels,
#: a scale factor from SCALES and a rotation of up to DEGREES either way
JITTER, SCALES, DEGREES = 4, (0.95, 0.975, 1.0, 1.025, 1.05), 5.0


def _check_targets(model, targets) -> list[tuple[str, int]]:
    if not targets:
        raise ValueError("targets is empty: give one (layer name, channel) pair per image")
    checked = []
    for target in targets:
        if not (isinstance(target, (tuple, list)) and len(target) == 2):
            raise ValueError(f"each target is a (layer name, channel) pair, got {target!r}")
        name, channel = target
        n = model.get_layer(name).output.shape[-1]  # raises ValueError for an unknown layer
        if not 0 <= int(channel) < n:
            raise ValueError(f"channel {channel} of {name!r} does not exist (valid: 0 to {n - 1})")
        checked.append((name, int(channel)))
    return checked


def unit_objective(model, targets, crop: int = 1):
    """A function of a batch of network inputs returning one score per image: image i's score is the
    mean of channel ``targets[i][1]`` of layer ``targets[i][0]`` over its map with ``crop`` positions
    dropped at each side (or the channel's value, for a layer without a map, such as ``logits``). All the
    layers come from one forward pass.
    Used in notebooks/11_filter_visualization.ipynb."""
    import keras
    import tensorflow as tf

    targets = _check_targets(model, targets)
    layers = sorted({name for name, _ in targets})
    extractor = keras.Model(model.input, [model.get_layer(name).output for name in layers])
    masks = {name: tf.constant(np.stack([np.eye(model.get_layer(name).output.shape[-1], dtype="float32")[c]
                                         * (n == name) for n, c in targets])) for name in layers}

    def objective(x):
        outputs = extractor(x)
        outputs = outputs if isinstance(outputs, (list, tuple)) else [outputs]
        score = 0.0
        for name, out in zip(layers, outputs):
            if out.shape.rank == 4:
                h, w = out.shape[1], out.shape[2]
                out = tf.reduce_mean(out[:, crop:h - crop, crop:w - crop, :], axis=(1, 2))
            score += tf.reduce_sum(out * masks[name], axis=1)
        return score

    return objective


def noise_start(n: int, size: int, seed: int) -> np.ndarray:
    """The plain ascent's start: noise around the ImageNet mean colour, uniform within +-10 levels.
    Used in notebooks/11_filter_visualization.ipynb."""
    return np.random.default_rng(seed).uniform(-10, 10, (n, size, size, 3)).astype("float32")


def plain_ascent(objective, start, steps: int = 40, step_size: float = 2.0, transform=None, seed: int = 0):
    """Gradient ascent on the pixels: each step adds ``step_size`` times each image's gradient normalised
    to unit root-mean-square. With ``transform`` (e.g. ``random_transform``), the score is taken on the
    randomly transformed image at every step (transformation robustness); its randomness comes from
    ``np.random.default_rng(seed)``.
    Used in notebooks/11_filter_visualization.ipynb."""
    import tensorflow as tf

    rng = np.random.default_rng(seed)
    x = tf.Variable(np.asarray(start, dtype="float32"))

    @tf.function
    def gradient(x, params):
        with tf.GradientTape() as tape:
            tape.watch(x)
            score = tf.reduce_sum(objective(x if transform is None else transform(x, params)))
        return tape.gradient(score, x)

    for _ in range(steps):
        params = transform_params(rng) if transform is not None else tf.zeros(4)
        g = gradient(x, params)
        rms = tf.sqrt(tf.reduce_mean(tf.square(g), axis=(1, 2, 3), keepdims=True))  # one per image
        x.assign_add(step_size * g / (rms + 1e-8))
    return x.numpy()


def transform_params(rng) -> np.ndarray:
    """One draw of the robust ascent's random transformation: (shift x, shift y, scale, angle in
    radians), shifts whole pixels within +-JITTER, a scale from SCALES, an angle within +-DEGREES.
    Used in notebooks/11_filter_visualization.ipynb."""
    dx, dy = rng.integers(-JITTER, JITTER + 1, size=2)
    return np.array([dx, dy, rng.choice(SCALES), np.deg2rad(rng.uniform(-DEGREES, DEGREES))], dtype="float32")


def affine(x, params, fill: float = 0.0):
    """Shift by (params[0], params[1]) pixels, scale by params[2] and rotate by params[3] radians about
    the centre, with bilinear interpolation; uncovered pixels get ``fill`` (0 = the mean colour in the
    network's input space). Differentiable with respect to ``x``.
    Used in notebooks/11_filter_visualization.ipynb."""
    import tensorflow as tf

    params = tf.cast(params, tf.float32)
    dx, dy, scale, angle = params[0], params[1], params[2], params[3]
    h, w = x.shape[1], x.shape[2]
    cx, cy = (w - 1) / 2, (h - 1) / 2
    c, s = tf.cos(angle) / scale, tf.sin(angle) / scale
    # output pixel (u, v) reads the input at the inverse map: rotate/scale about the centre, then shift
    row = tf.stack([c, -s, cx - c * (cx + dx) + s * (cy + dy),
                    s, c, cy - s * (cx + dx) - c * (cy + dy), 0.0, 0.0])
    transforms = tf.tile(row[None], [tf.shape(x)[0], 1])
    return tf.raw_ops.ImageProjectiveTransformV3(images=x, transforms=transforms, output_shape=[h, w],
                                                 fill_value=fill, interpolation="BILINEAR",
                                                 fill_mode="CONSTANT")


def random_transform(x, params):
    """The robust ascent's transformation: ``affine`` with one draw of ``transform_params``.
    Used in notebooks/11_filter_visualization.ipynb."""
    return affine(x, params)


# ---------------------------------------------------------------- the decorrelated parameterisation
def fourier_scale(size: int) -> np.ndarray:
    """Each rfft2 coefficient's scale: 1 / frequency (cycles per pixel, floored at 1 / size), times size,
    as lucid's ``fft_image`` (decay_power = 1).
    Used in notebooks/11_filter_visualization.ipynb."""
    fy = np.fft.fftfreq(size)[:, None]
    fx = np.fft.rfftfreq(size)[None, :]
    return (1.0 / np.maximum(np.sqrt(fx ** 2 + fy ** 2), 1.0 / size) * size).astype("float32")


def fourier_start(n: int, size: int, seed: int) -> np.ndarray:
    """Random spectra: real and imaginary parts, shape (n, 3, size, size // 2 + 1, 2), sd 0.01 (lucid's).
    Used in notebooks/11_filter_visualization.ipynb."""
    shape = (n, 3, size, size // 2 + 1, 2)
    return (0.01 * np.random.default_rng(seed).standard_normal(shape)).astype("float32")


def fourier_image(spectrum):
    """RGB images in [0, 1], shape (n, size, size, 3), from spectra as ``fourier_start`` makes them:
    scale each coefficient by ``fourier_scale``, inverse real FFT per channel (divided by 4, as lucid),
    mix the channels with ``COLOR_MATRIX`` (decorrelated -> RGB), then a sigmoid.
    Used in notebooks/11_filter_visualization.ipynb."""
    import tensorflow as tf

    size = spectrum.shape[2]
    coeffs = tf.complex(spectrum[..., 0], spectrum[..., 1]) * tf.cast(fourier_scale(size), tf.complex64)
    channels = tf.signal.irfft2d(coeffs, fft_length=[size, size]) / 4.0  # (n, 3, size, size)
    decorrelated = tf.transpose(channels, [0, 2, 3, 1])
    return tf.sigmoid(tf.einsum("nhwc,rc->nhwr", decorrelated, COLOR_MATRIX))


def to_network_input(rgb01):
    """RGB in [0, 1] -> SqueezeNet's input (caffe preprocessing: 0-255, BGR, ImageNet mean subtracted),
    in TensorFlow so that gradients flow through it.
    Used in notebooks/11_filter_visualization.ipynb."""
    return rgb01[..., ::-1] * 255.0 - CAFFE_MEAN_BGR


def fourier_ascent(objective, spectrum, steps: int = 64, learning_rate: float = 0.05,
                   transform=random_transform, seed: int = 0) -> np.ndarray:
    """Ascent on the spectra of ``fourier_image`` with Adam (lucid's optimiser), the score taken on the
    randomly transformed image at every step; returns the images in the network's input space.
    Used in notebooks/11_filter_visualization.ipynb."""
    import keras
    import tensorflow as tf

    rng = np.random.default_rng(seed)
    spectrum = tf.Variable(np.asarray(spectrum, dtype="float32"))
    adam = keras.optimizers.Adam(learning_rate)

    @tf.function
    def gradient(spectrum, params):
        with tf.GradientTape() as tape:
            x = to_network_input(fourier_image(spectrum))
            score = tf.reduce_sum(objective(x if transform is None else transform(x, params)))
        return tape.gradient(score, spectrum)

    for _ in range(steps):
        params = transform_params(rng) if transform is not None else tf.zeros(4)
        adam.apply_gradients([(-gradient(spectrum, params), spectrum)])  # minus: Adam descends
    return to_network_input(fourier_image(spectrum)).numpy()


# ---------------------------------------------------------------- measures
def score_under(objective, images, params_list) -> np.ndarray:
    """Each image's score under each transformation in ``params_list`` (see ``affine``): shape
    (len(params_list), n).
    Used in notebooks/11_filter_visualization.ipynb."""
    return np.stack([np.asarray(objective(affine(np.asarray(images, "float32"), p))) for p in params_list])


def high_frequency_share(images) -> np.ndarray:
    """Per image, the share of its spectral energy (mean colour removed, channels summed) at spatial
    frequencies above half the Nyquist frequency (radial frequency > 0.25 cycles per pixel).
    Used in notebooks/11_filter_visualization.ipynb."""
    x = np.asarray(images, dtype="float64")
    if x.ndim != 4:
        raise ValueError(f"expected a batch of images (n, height, width, channels), got shape {x.shape}")
    x = x - x.mean(axis=(1, 2), keepdims=True)
    power = (np.abs(np.fft.fft2(x, axes=(1, 2))) ** 2).sum(axis=3)
    fy = np.fft.fftfreq(x.shape[1])[:, None]
    fx = np.fft.fftfreq(x.shape[2])[None, :]
    high = np.sqrt(fx ** 2 + fy ** 2) > 0.25
    return power[:, high].sum(axis=1) / np.maximum(power.sum(axis=(1, 2)), 1e-12)


def dominant_orientation(image) -> float:
    """The dominant direction (degrees in [0, 180), x to the right, y downwards) of the wave vectors of
    one image, read from its 2-D FFT: the principal axis of sum(power(f) f f^T) over all frequencies f
    (mean colour removed, channels summed); weighting by |f|^2 keeps the largest, slowest components
    (which carry most of the power of any natural-looking image) from deciding alone.
    Used in notebooks/11_filter_visualization.ipynb."""
    x = np.asarray(image, dtype="float64")
    if x.ndim != 3:
        raise ValueError(f"expected one image (height, width, channels), got shape {x.shape}")
    x = x - x.mean(axis=(0, 1))
    power = (np.abs(np.fft.fft2(x, axes=(0, 1))) ** 2).sum(axis=2)
    fy = np.fft.fftfreq(x.shape[0])[:, None]
    fx = np.fft.fftfreq(x.shape[1])[None, :]
    jxx, jyy, jxy = (power * fx ** 2).sum(), (power * fy ** 2).sum(), (power * fx * fy).sum()
    return float(np.rad2deg(0.5 * np.arctan2(2 * jxy, jxx - jyy)) % 180.0)


def gabor_kernel(degrees: float, frequency: float = 0.25, sigma: float = 1.0, size: int = 3) -> np.ndarray:
    """A zero-mean Gabor kernel (size x size) whose wave vector points at ``degrees`` (x to the right, y
    downwards), ``frequency`` in cycles per pixel.
    Used in notebooks/11_filter_visualization.ipynb."""
    r = np.arange(size) - (size - 1) / 2
    y, x = np.meshgrid(r, r, indexing="ij")
    theta = np.deg2rad(degrees)
    g = np.exp(-(x ** 2 + y ** 2) / (2 * sigma ** 2)) * np.cos(2 * np.pi * frequency * (x * np.cos(theta)
                                                                                        + y * np.sin(theta)))
    return (g - g.mean()).astype("float32")


def angle_difference(a: float, b: float) -> float:
    """The smallest difference between two orientations in degrees (modulo 180).
    Used in notebooks/11_filter_visualization.ipynb."""
    d = abs(a - b) % 180.0
    return min(d, 180.0 - d)


# ---------------------------------------------------------------- display
def to_picture(x) -> np.ndarray:
    """A network-input image -> uint8 RGB for display: standardised, mapped to mid-grey with a fixed
    spread (64 levels per standard deviation, as Chollet), clipped, channels reversed.
    Used in notebooks/11_filter_visualization.ipynb."""
    x = np.asarray(x, dtype="float64")
    x = (x - x.mean()) / (x.std() + 1e-5)
    return np.clip(x * 64 + 128, 0, 255).astype("uint8")[..., ::-1]


def jpeg(fig, quality: int = 85, dpi: int = 100):
    """A matplotlib figure rendered to JPEG at ``quality`` and closed, as an IPython Image (photo-like
    figures stay small on the page).
    Used in notebooks/11_filter_visualization.ipynb."""
    import matplotlib.pyplot as plt
    from IPython.display import Image
    from PIL import Image as PILImage

    if not 1 <= quality <= 95:
        raise ValueError(f"quality must be between 1 and 95, got {quality}")
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, bbox_inches="tight", pad_inches=0.05)
    plt.close(fig)
    out = io.BytesIO()
    with PILImage.open(buffer) as png:  # keep the figure's text-layout stamp (helpers.layout), if any
        stamp = png.text.get(layout.TEXT_KEY)
        comment = f"{layout.TEXT_KEY}={stamp}".encode() if stamp else b""
        png.convert("RGB").save(out, format="JPEG", quality=quality, comment=comment)
    return Image(data=out.getvalue(), format="jpeg")


def grid(rows: dict, labels, title: str | None = None, width: float = 9.0):
    """A figure of images (network input space, shown with ``to_picture``): one row per entry of ``rows``
    (row label -> images), one column per label in ``labels``. The labels take the course style's tick
    label size and the title its figure title size (larger in projector mode); a column label too wide
    for its column at that size is broken at its spaces.
    Used in notebooks/11_filter_visualization.ipynb."""
    import textwrap

    import matplotlib as mpl
    import matplotlib.pyplot as plt
    from matplotlib.font_manager import FontProperties

    n_cols = len(labels)
    if any(len(images) != n_cols for images in rows.values()):
        raise ValueError(f"every row needs one image per label ({n_cols}), got "
                         f"{ {name: len(images) for name, images in rows.items()} }")
    side = width / (n_cols + 0.6)
    size = FontProperties(size=mpl.rcParams["xtick.labelsize"]).get_size_in_points()
    fits = max(int(side * 72 / (0.6 * size)), 1)  # characters of about 0.6 em in one column
    fig, axes = plt.subplots(len(rows), n_cols, squeeze=False,
                             figsize=(width, side * len(rows) + 0.5 + (0.35 if title else 0)))
    for r, (name, images) in enumerate(rows.items()):
        for c, image in enumerate(images):
            ax = axes[r, c]
            ax.imshow(to_picture(image))
            ax.set_xticks([])
            ax.set_yticks([])
            if r == 0:
                ax.set_title(textwrap.fill(labels[c], fits), fontsize=size)
        # long row labels on more lines, so a vertical label is no taller than its row of images
        axes[r, 0].set_ylabel(textwrap.fill(name, min(10, fits)), fontsize=size)
    if title:
        fig.suptitle(title)
    fig.tight_layout(pad=0.3)
    return fig
