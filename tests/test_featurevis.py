"""helpers.featurevis (notebook 11): the Fourier and colour-decorrelated parameterisation, the random
transformations, the ascents and the measures, each against a known answer."""

import numpy as np
import pytest

from helpers import featurevis

keras = pytest.importorskip("keras")
tf = pytest.importorskip("tensorflow")


def grating(degrees, cycles=8, size=64):
    """A sinusoid whose wave vector points at `degrees` (x right, y down), `cycles` per image side."""
    y, x = np.mgrid[:size, :size]
    t = np.deg2rad(degrees)
    wave = np.cos(2 * np.pi * cycles / size * (x * np.cos(t) + y * np.sin(t)))
    return np.repeat(wave[:, :, None], 3, axis=2)


def conv_model(kernel=None, strides=1):
    inputs = keras.Input((None, None, 3))
    conv = keras.layers.Conv2D(2, 3, strides=strides, name="conv")
    out = keras.layers.ReLU(name="relu")(conv(inputs))
    model = keras.Model(inputs, out)
    w = np.random.default_rng(0).normal(size=(3, 3, 3, 2)).astype("float32")
    if kernel is not None:
        w[:, :, :, 0] = kernel[:, :, None]
    conv.set_weights([w, np.zeros(2, "float32")])
    return model


def test_colour_matrix_is_lucids_constant_normalised_by_its_largest_column_norm():
    lucid = np.array([[0.26, 0.09, 0.02], [0.27, 0.00, -0.05], [0.27, -0.09, 0.03]])
    assert np.allclose(featurevis.COLOR_MATRIX, lucid / np.linalg.norm(lucid, axis=0).max())
    assert np.isclose(np.linalg.norm(featurevis.COLOR_MATRIX, axis=0).max(), 1.0)


def test_fourier_scale_is_one_over_frequency_floored_at_one_over_size():
    scale = featurevis.fourier_scale(16)
    assert scale.shape == (16, 9)
    assert scale[0, 0] == pytest.approx(16 * 16)  # DC: frequency floored at 1/16
    assert scale[0, 8] == pytest.approx(16 / 0.5)  # Nyquist along x
    assert scale[0, 4] == pytest.approx(16 / 0.25)


def test_fourier_image_of_one_coefficient_is_a_grating_at_that_frequency():
    spectrum = np.zeros((1, 3, 32, 17, 2), "float32")
    spectrum[0, :, 0, 5, 0] = 0.01  # 5 cycles along x, in every decorrelated channel
    rgb = featurevis.fourier_image(tf.constant(spectrum)).numpy()
    assert rgb.shape == (1, 32, 32, 3) and (rgb > 0).all() and (rgb < 1).all()
    power = np.abs(np.fft.fft2(rgb[0] - rgb[0].mean(axis=(0, 1)), axes=(0, 1))).sum(axis=2)
    assert np.unravel_index(power.argmax(), power.shape) in {(0, 5), (0, 27)}
    assert featurevis.dominant_orientation(rgb[0]) == pytest.approx(0.0, abs=1e-6)


def test_to_network_input_is_the_courses_caffe_preprocessing():
    from helpers import cnn

    rgb = np.random.default_rng(0).uniform(0, 1, (2, 8, 8, 3)).astype("float32")
    assert np.allclose(featurevis.to_network_input(rgb), cnn.preprocess_caffe(rgb * 255), atol=1e-3)


def test_high_frequency_share_known_answers():
    checker = (np.indices((32, 32)).sum(axis=0) % 2)[None, :, :, None] * np.ones(3)
    assert featurevis.high_frequency_share(checker)[0] == pytest.approx(1.0)
    slow = grating(0, cycles=2, size=32)[None]
    assert featurevis.high_frequency_share(slow)[0] == pytest.approx(0.0, abs=1e-12)
    with pytest.raises(ValueError, match="batch of images"):
        featurevis.high_frequency_share(slow[0])


@pytest.mark.parametrize("degrees", [0.0, 30.0, 45.0, 120.0, 160.0])
def test_dominant_orientation_of_a_grating(degrees):
    found = featurevis.dominant_orientation(grating(degrees))
    assert featurevis.angle_difference(found, degrees) < 2.0
    with pytest.raises(ValueError, match="one image"):
        featurevis.dominant_orientation(grating(degrees)[None])


def test_angle_difference_wraps_at_180():
    assert featurevis.angle_difference(179.0, 1.0) == pytest.approx(2.0)
    assert featurevis.angle_difference(45.0, 135.0) == pytest.approx(90.0)


def test_gabor_kernel_is_zero_mean_and_mirrors_to_the_other_diagonal():
    k = featurevis.gabor_kernel(45.0)
    assert k.shape == (3, 3) and abs(k.mean()) < 1e-7
    assert np.allclose(k[:, ::-1], featurevis.gabor_kernel(135.0), atol=1e-6)


def test_affine_integer_shift_is_exact_and_identity_is_identity():
    x = np.random.default_rng(0).normal(size=(2, 16, 16, 3)).astype("float32")
    assert np.allclose(featurevis.affine(x, np.array([0, 0, 1, 0], "float32")), x, atol=1e-5)
    shifted = featurevis.affine(x, np.array([3, 2, 1, 0], "float32")).numpy()
    assert np.allclose(shifted[:, 2:, 3:], x[:, :-2, :-3], atol=1e-5)
    assert (shifted[:, :2] == 0).all() and (shifted[:, :, :3] == 0).all()


def test_affine_is_differentiable():
    x = tf.constant(np.ones((1, 8, 8, 3), "float32"))
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.reduce_sum(featurevis.affine(x, np.array([1, 0, 1.05, 0.1], "float32")))
    assert float(tf.reduce_sum(tape.gradient(y, x))) > 0


def test_transform_params_stay_in_their_ranges_and_follow_the_seed():
    draws = np.array([featurevis.transform_params(np.random.default_rng(s)) for s in range(200)])
    assert np.abs(draws[:, :2]).max() <= featurevis.JITTER
    assert np.isclose(draws[:, 2][:, None], np.array(featurevis.SCALES)[None]).any(axis=1).all()
    assert np.abs(np.rad2deg(draws[:, 3])).max() <= featurevis.DEGREES
    assert np.array_equal(featurevis.transform_params(np.random.default_rng(7)),
                          featurevis.transform_params(np.random.default_rng(7)))


def test_unit_objective_is_each_images_own_channel_over_the_interior():
    model = conv_model()
    x = np.random.default_rng(1).normal(size=(2, 10, 10, 3)).astype("float32")
    objective = featurevis.unit_objective(model, [("conv", 1), ("relu", 0)], crop=1)
    conv = np.asarray(keras.Model(model.input, model.get_layer("conv").output)(x))
    expected = [conv[0, 1:-1, 1:-1, 1].mean(), np.maximum(conv[1, 1:-1, 1:-1, 0], 0).mean()]
    assert np.allclose(objective(x), expected, rtol=1e-5)


def test_unit_objective_refuses_bad_targets():
    model = conv_model()
    with pytest.raises(ValueError, match="does not exist"):
        featurevis.unit_objective(model, [("conv", 2)])
    with pytest.raises(ValueError, match="pair"):
        featurevis.unit_objective(model, ["conv"])
    with pytest.raises(ValueError, match="empty"):
        featurevis.unit_objective(model, [])
    with pytest.raises(ValueError):
        featurevis.unit_objective(model, [("no_such_layer", 0)])


def test_plain_and_robust_ascent_raise_the_objective():
    model = conv_model()
    objective = featurevis.unit_objective(model, [("conv", 0), ("conv", 1)])
    start = featurevis.noise_start(2, 24, seed=0)
    before = np.asarray(objective(start))
    plain = featurevis.plain_ascent(objective, start, steps=5)
    robust = featurevis.plain_ascent(objective, start, steps=5, transform=featurevis.random_transform, seed=0)
    assert (np.asarray(objective(plain)) > before).all() and (np.asarray(objective(robust)) > before).all()
    again = featurevis.plain_ascent(objective, start, steps=5, transform=featurevis.random_transform, seed=0)
    assert np.array_equal(robust, again)  # the seed fixes the transformations


def test_fourier_ascent_recovers_a_planted_orientation():
    for degrees in (45.0, 135.0):
        model = conv_model(featurevis.gabor_kernel(degrees), strides=2)
        objective = featurevis.unit_objective(model, [("relu", 0)])
        start = featurevis.fourier_start(1, 48, seed=0)
        image = featurevis.fourier_ascent(objective, start, steps=40, seed=0)
        assert featurevis.angle_difference(featurevis.dominant_orientation(image[0]), degrees) <= 5


def test_score_under_has_one_row_per_transformation():
    model = conv_model()
    objective = featurevis.unit_objective(model, [("conv", 0)] * 3)
    x = featurevis.noise_start(3, 16, seed=0)
    params = [np.array([0, 0, 1, 0], "float32"), np.array([2, 0, 1, 0], "float32")]
    scores = featurevis.score_under(objective, x, params)
    assert scores.shape == (2, 3) and np.allclose(scores[0], objective(x), rtol=1e-5)


def test_jpeg_and_grid():
    import matplotlib

    matplotlib.use("Agg")
    images = featurevis.noise_start(2, 16, seed=0)
    fig = featurevis.grid({"a": images, "b": images}, ["x", "y"], title="t")
    shown = featurevis.jpeg(fig, quality=70)
    assert shown.data[:2] == b"\xff\xd8"  # a JPEG
    with pytest.raises(ValueError, match="one image per label"):
        featurevis.grid({"a": images}, ["x", "y", "z"])
    with pytest.raises(ValueError, match="quality"):
        featurevis.jpeg(featurevis.grid({"a": images}, ["x", "y"]), quality=0)


def test_grid_labels_follow_the_style_and_wrap_when_a_column_is_too_narrow():
    import matplotlib
    import matplotlib.pyplot as plt

    images = featurevis.noise_start(8, 16, seed=0)
    labels = [f"fire{k} #40" for k in range(8)]
    with matplotlib.rc_context({"xtick.labelsize": 11}):  # the course style: 9 characters fit
        fig = featurevis.grid({"plain": images}, labels, title="t")
    assert fig.axes[0].get_title() == "fire0 #40" and fig.axes[0].title.get_fontsize() == 11
    assert fig.axes[0].yaxis.label.get_fontsize() == 11
    with matplotlib.rc_context({"xtick.labelsize": 16}):  # projector mode: 7 characters fit
        fig = featurevis.grid({"robust + Fourier": images}, labels, title="t")
    assert fig.axes[0].get_title() == "fire0\n#40" and fig.axes[0].title.get_fontsize() == 16
    assert fig.axes[0].get_ylabel() == "robust\n+\nFourier"  # no taller than its row
    plt.close("all")


def test_to_picture_is_uint8_rgb():
    x = np.zeros((4, 4, 3), "float32")
    x[..., 0] = 1.0  # blue in BGR
    picture = featurevis.to_picture(x)
    assert picture.dtype == np.uint8 and picture[0, 0, 2] > picture[0, 0, 0]


def test_measures_and_the_exercise_module_import_without_tensorflow():
    """The measures and the JPEG helper need no TensorFlow, and notebook 11's exercise module (whose
    references are read from the notebook's numbers) imports neither TensorFlow nor Keras."""
    import subprocess
    import sys

    code = ("import sys; import helpers.featurevis, helpers.exercises.filter_visualization; "
            "bad = [m for m in ('tensorflow', 'keras') if m in sys.modules]; assert not bad, bad")
    subprocess.run([sys.executable, "-c", code], check=True)
