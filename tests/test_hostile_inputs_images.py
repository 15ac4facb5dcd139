"""Inputs a learner may plausibly pass to the image helpers (issue 22): each gives the right result, or an
error that names what was wrong and what is valid, never a plausible-looking wrong map or a dead kernel."""

import subprocess
import sys
import textwrap

import numpy as np
import pytest
from PIL import Image

from helpers import attribution, cnn, images


@pytest.fixture(scope="module")
def small():
    """The silhouette CNN's architecture (untrained: only shapes and scales matter here)."""
    import keras

    keras.utils.set_random_seed(0)
    return cnn.build_small_cnn()


@pytest.fixture(scope="module")
def silhouette():
    return np.pad(np.ones((14, 14, 1), np.float32), ((7, 7), (7, 7), (0, 0)))


@pytest.fixture(scope="module")
def squeezenet():
    return cnn.build_squeezenet(weights=False, size=None)


def test_a_too_small_image_raises_in_every_call_path_instead_of_killing_the_process():
    """Run in a child process: if the guard failed, the SIGFPE would kill the child, not pytest."""
    code = textwrap.dedent("""
        import numpy as np, keras
        from helpers import cnn
        model = cnn.build_squeezenet(weights=False, size=None)
        x = np.zeros((1, 20, 20, 3), "float32")
        calls = {"call": lambda: model(x), "predict": lambda: model.predict(x, verbose=0),
                 "sub-model": lambda: keras.Model(model.input, model.get_layer("pool1").output)(x),
                 "clone": lambda: keras.models.clone_model(model)(x)}
        for name, call in calls.items():
            try:
                call()
                print(name, "no error")
            except Exception as exc:
                print(name, type(exc).__name__, "31x31" in str(exc))
        print("alive", model(np.zeros((1, 31, 31, 3), "float32")).shape)
    """)
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=600,
                         check=False)
    assert run.returncode == 0, f"the child died (return code {run.returncode}): {run.stderr[-2000:]}"
    lines = dict(line.split(" ", 1) for line in run.stdout.splitlines())
    for name in ("call", "predict", "sub-model", "clone"):
        assert lines[name] == "ValueError True", (name, lines[name])
    assert lines["alive"] == "(1, 1000)"


def test_squeezenet_size_is_checked_when_built():
    with pytest.raises(ValueError, match="at least 31 pixels"):
        cnn.build_squeezenet(weights=False, size=20)


def test_the_minimum_size_constant_is_the_networks(squeezenet):
    assert cnn.min_input_size(squeezenet) == cnn.SQUEEZENET_MIN_SIZE


def test_a_raw_photo_is_refused_with_the_preprocessing_to_use(squeezenet):
    photo = np.random.default_rng(0).integers(0, 256, size=(1, 64, 64, 3)).astype(np.uint8)
    for call in (lambda x: attribution.class_scores(squeezenet, x, 0),
                 lambda x: attribution.grad_cam(squeezenet, x, "fire9_concat", 0)):
        with pytest.raises(ValueError, match=r"preprocess_caffe"):
            call(photo)
        with pytest.raises(ValueError, match=r"wrong scale for 'squeezenet_v1_1'.*preprocess_caffe"):
            call(photo.astype(np.float32))
    assert attribution.class_scores(squeezenet, cnn.preprocess_caffe(photo), 0).shape == (1,)


def test_silhouettes_times_255_are_refused(small, silhouette):
    with pytest.raises(ValueError, match=r"values span \[0, 255\].*expects values in \[0, 1\]"):
        attribution.class_scores(small, silhouette[None] * 255, 0)
    assert attribution.class_scores(small, silhouette[None], 0).shape == (1,)


def test_smoothgrad_noise_is_not_mistaken_for_a_wrong_scale(small, silhouette):
    assert np.isfinite(attribution.smoothgrad(small, silhouette, 0, n=4, noise=2.0)).all()


def test_a_nan_image_is_refused(small, silhouette):
    bad = silhouette.copy()
    bad[3, 3] = np.nan
    with pytest.raises(ValueError, match="1 NaN or infinite"):
        attribution.grad_cam(small, bad[None], "conv3", 0)


def test_a_batch_without_its_channel_axis_gets_the_right_advice(small, silhouette):
    with pytest.raises(ValueError, match=r"without the channel axis.*images\[\.\.\., None\]"):
        attribution.class_scores(small, np.repeat(silhouette[None, ..., 0], 3, axis=0), 0)


LIME_CLASSES = [(-1, ValueError, "outside the classifier's 10 classes"), (5000, ValueError, "valid: 0 to 9"),
                (2.7, TypeError, "one integer"), (True, TypeError, "one integer")]


@pytest.mark.parametrize("bad,error,match", LIME_CLASSES)
def test_lime_class_index_is_validated(small, silhouette, bad, error, match):
    segments = np.repeat(np.arange(4), 196).reshape(28, 28)

    def classify(rgb):
        return small.predict(rgb[..., :1].astype(np.float32), verbose=0)

    with pytest.raises(error, match=match):
        attribution.lime_image_map(classify, silhouette[..., 0], bad, segments, num_samples=10)


@pytest.mark.parametrize("call,match", [
    (lambda m, x: attribution.integrated_gradients(m, x, 0, steps=0), "steps must be a whole number"),
    (lambda m, x: attribution.integrated_gradients_batch(m, x[None], 0, steps=2.5), "steps must be"),
    (lambda m, x: attribution.occlusion(m, x, 0, patch=0), "patch must be a whole number of at least 1"),
    (lambda m, x: attribution.occlusion(m, x, 0, stride=0), "stride must be a whole number of at least 1"),
    (lambda m, x: attribution.deletion_curve(m, x, 0, np.ones((28, 28)), block=0), "block must be"),
    (lambda m, x: attribution.insertion_curve(m, x, 0, np.ones((28, 28)), steps=0), "steps must be"),
    (lambda m, x: attribution.smoothgrad(m, x, 0, noise=-0.1), "noise is a standard deviation.*>= 0"),
    (lambda m, x: attribution.smoothgrad(m, x, 0, n=0), "n \\(the number of noisy copies\\) must be"),
])
def test_method_parameters_are_validated(small, silhouette, call, match):
    with pytest.raises(ValueError, match=match):
        call(small, silhouette)


def test_maps_of_a_batch_are_refused():
    batch = np.ones((2, 8, 8, 3))
    for reduce in (attribution.abs_map, attribution.signed_map):
        with pytest.raises(ValueError, match=r"one image, shape \(H, W, C\).*got shape \(2, 8, 8, 3\)"):
            reduce(batch)
    with pytest.raises(ValueError, match="reduce \\(H, W, C\\) attributions with abs_map"):
        attribution.rank_similarity(batch[0], batch[0])
    with pytest.raises(ValueError, match="compare a batch one image at a time"):
        attribution.rank_similarity(batch, batch)
    rng = np.random.default_rng(0)
    a = rng.normal(size=(8, 8))
    assert attribution.rank_similarity(a, a) == pytest.approx(1.0)
    assert attribution.rank_similarity(a[a > 0], a[a > 0]) == pytest.approx(1.0)  # pixel selections


def test_logits_are_not_reported_as_probabilities():
    logits = np.array([2.06, -1.0, 0.5])
    with pytest.raises(ValueError, match="not probabilities.*not the logits"):
        cnn.top_predictions(logits, ["a", "b", "c"], k=1)
    probs = np.exp(logits) / np.exp(logits).sum()
    assert cnn.top_predictions(probs, ["a", "b", "c"], k=1)[0].label == "a"


def test_a_fraction_given_as_a_percentile_is_refused():
    m = np.arange(100.0).reshape(10, 10)
    with pytest.raises(ValueError, match="0-100 scale.*pass 99, not 0.99"):
        attribution.display_scale(m, percentile=0.99)
    assert attribution.display_scale(m, percentile=99).max() == 1.0


@pytest.mark.parametrize("values,ok", [((0.0, 1.0), True), ((0.0, 200.0), True), ((-0.5, 1.0), False),
                                       ((0.0, 300.0), False), ((0.0, np.nan), False)])
def test_float_images_outside_0_1_or_0_255_are_refused_not_clipped(tmp_path, values, ok):
    arr = np.linspace(*[v if np.isfinite(v) else 1.0 for v in values], 64, dtype=np.float32).reshape(8, 8)
    if not np.isfinite(values[1]):
        arr[0, 0] = np.nan
    path = tmp_path / "float.tif"
    Image.fromarray(arr, mode="F").save(path)
    if ok:
        loaded = images.load_image(path)
        assert loaded.shape == (8, 8, 3) and loaded.min() == 0
        assert loaded.max() == (255 if values[1] == 1.0 else 200)  # [0, 1] scaled up, [0, 255] kept
    else:
        expected = r"float.tif: floating-point pixel values span .*expected \[0, 1\] or \[0, 255\]"
        with pytest.raises(ValueError, match=expected):
            images.load_image(path)


def test_single_image_methods_are_their_batch_methods(small, silhouette):
    twins = [(attribution.smoothgrad(small, silhouette, 3, n=4),
              attribution.smoothgrad_batch(small, silhouette[None], 3, n=4)[0]),
             (attribution.integrated_gradients(small, silhouette, 3, steps=4),
              attribution.integrated_gradients_batch(small, silhouette[None], 3, steps=4)[0])]
    for single, batch in twins:
        np.testing.assert_allclose(single, batch, rtol=1e-5, atol=1e-7)
    baseline = np.full_like(silhouette, 0.5)
    ig = attribution.integrated_gradients(small, silhouette, 3, baseline=baseline, steps=64)
    scores = attribution.class_scores(small, np.stack([silhouette, baseline]), 3)
    assert ig.sum() == pytest.approx(scores[0] - scores[1], rel=0.05, abs=1e-3)  # completeness


def test_an_image_above_the_pixel_budget_is_refused_before_it_reaches_the_network(squeezenet):
    """A1: a 4000x4000 photo on the size=None network grew Grad-CAM past 3 GB; refused with the fix."""
    big = np.zeros((1, 1100, 1000, 3), np.float32)  # just above 1024 * 1024 pixels
    for call in (lambda x: attribution.class_scores(squeezenet, x, 0),
                 lambda x: attribution.grad_cam(squeezenet, x, "fire9_concat", 0)):
        with pytest.raises(ValueError, match=r"too large.*images\.load_image\(path, size=227\)"):
            call(big)
    # the course's largest inputs (two 227x227 photos side by side, photos of about 600x600) pass
    assert cnn.check_images(squeezenet, np.zeros((1, 600, 600, 3), np.float32)).shape == (1, 600, 600, 3)


def test_a_0_1_or_minus_1_1_photo_is_refused_for_squeezenet(squeezenet):
    """B1: a [0, 1] float photo lies inside the caffe range, so the range check let it through."""
    photo = np.random.default_rng(0).integers(0, 256, size=(1, 64, 64, 3)).astype(np.float32)
    for bad in (photo / 255.0, photo / 127.5 - 1.0):
        with pytest.raises(ValueError, match=r"span only.*cnn\.preprocess_caffe"):
            attribution.class_scores(squeezenet, bad, 3)
    ok = cnn.preprocess_caffe(photo)
    assert attribution.class_scores(squeezenet, ok, 3).shape == (1,)
    # an all-zeros (mean colour) baseline and SmoothGrad's noisy copies still pass
    assert attribution.integrated_gradients_batch(squeezenet, ok, 3, steps=2).shape == ok.shape
    assert attribution.smoothgrad(squeezenet, ok[0], 3, n=2, random_state=0).shape == ok.shape[1:]


def test_maps_with_nan_are_refused_by_display_and_similarity():
    """B5: display_scale returned zeros, rank_similarity nan, ssim/hog numbers for a map with a NaN."""
    rng = np.random.default_rng(0)
    good, bad = rng.random((64, 64)), rng.random((64, 64))
    bad[3, 5] = np.nan
    calls = [lambda m: attribution.display_scale(m), lambda m: attribution.display_scale(m, signed=True),
             lambda m: attribution.rank_similarity(good, m), lambda m: attribution.ssim_similarity(m, good),
             lambda m: attribution.hog_similarity(good, m)]
    for call in calls:
        with pytest.raises(ValueError, match=r"1 NaN or infinite value.*finite"):
            call(bad)
        call(good)  # still works on a finite map
