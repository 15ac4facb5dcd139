import numpy as np
import pytest

from helpers import attribution

keras = pytest.importorskip("keras")


@pytest.fixture(scope="module")
def tiny():
    """A small random conv net with a 'logits' layer, on 16x16x3 images."""
    keras.utils.set_random_seed(0)
    inputs = keras.Input((16, 16, 3))
    x = keras.layers.Conv2D(4, 3, padding="same", activation="relu", name="conv")(inputs)
    x = keras.layers.GlobalAveragePooling2D()(x)
    logits = keras.layers.Dense(3, name="logits")(x)
    return keras.Model(inputs, keras.layers.Activation("softmax", name="predictions")(logits))


@pytest.fixture(scope="module")
def image():
    return np.random.default_rng(1).normal(size=(16, 16, 3)).astype(np.float32)


def test_integrated_gradients_completeness(tiny, image):
    attr = attribution.integrated_gradients(tiny, image, 1, steps=256)
    scores = attribution.class_scores(tiny, np.stack([image, np.zeros_like(image)]), 1)
    assert attr.shape == image.shape
    assert np.isclose(attr.sum(), scores[0] - scores[1], rtol=0.02, atol=1e-3)


def test_integrated_gradients_baseline_shape(tiny, image):
    with pytest.raises(ValueError, match="baseline shape"):
        attribution.integrated_gradients(tiny, image, 0, baseline=np.zeros((8, 8, 3)))


def test_pixel_methods_return_signed_attributions_and_maps_reduce_them(tiny, image):
    grad = attribution.vanilla_gradient(tiny, image, 0)
    smooth = attribution.smoothgrad(tiny, image, 0, n=4)
    for a in (grad, smooth, attribution.integrated_gradients(tiny, image, 0)):
        assert a.shape == image.shape and (a < 0).any() and (a > 0).any()
    assert np.array_equal(attribution.abs_map(grad), np.abs(grad).max(axis=-1))
    assert np.allclose(attribution.signed_map(grad), grad.sum(axis=-1))
    assert (attribution.abs_map(grad) >= 0).all() and attribution.abs_map(grad).shape == (16, 16)


def test_vanilla_gradient_matches_a_finite_difference(tiny, image):
    grad = attribution.vanilla_gradient(tiny, image, 2)
    eps, (r, c, ch) = 1e-2, (5, 7, 1)
    up, down = image.copy(), image.copy()
    up[r, c, ch] += eps
    down[r, c, ch] -= eps
    s = attribution.class_scores(tiny, np.stack([up, down]), 2)
    assert np.isclose((s[0] - s[1]) / (2 * eps), grad[r, c, ch], rtol=0.05, atol=1e-4)


def test_smoothgrad_is_seeded(tiny, image):
    a = attribution.smoothgrad(tiny, image, 0, n=4, random_state=3)
    assert np.array_equal(a, attribution.smoothgrad(tiny, image, 0, n=4, random_state=3))
    assert not np.array_equal(a, attribution.smoothgrad(tiny, image, 0, n=4, random_state=4))


def test_occlusion_matches_a_manual_loop(tiny, image):
    occ = attribution.occlusion(tiny, image, 2, patch=8, stride=8)
    base = attribution.class_scores(tiny, image[None], 2)[0]
    covered = image.copy()
    covered[:8, 8:] = 0
    drop = base - attribution.class_scores(tiny, covered[None], 2)[0]
    assert np.isclose(occ[0, 15], drop, atol=1e-5) and occ.shape == (16, 16)


def test_deletion_curve_starts_at_the_prediction_and_ends_blank(tiny, image):
    fractions, probs = attribution.deletion_curve(tiny, image, 1, np.ones((16, 16)), steps=4, block=4)
    full = tiny.predict_on_batch(image[None])[0, 1]
    blank = tiny.predict_on_batch(np.zeros((1, 16, 16, 3), np.float32))[0, 1]
    assert fractions[0] == 0 and fractions[-1] == 1 and len(probs) == 5
    assert np.isclose(probs[0], full, atol=1e-6) and np.isclose(probs[-1], blank, atol=1e-6)
    with pytest.raises(ValueError, match="does not match the image"):
        attribution.deletion_curve(tiny, image, 1, np.ones((8, 8)))


def test_deletion_order_follows_importance(tiny, image):
    importance = np.zeros((16, 16))
    importance[:4, :4] = 1  # the top-left block must go first
    curve = attribution.deletion_curve(tiny, image, 0, importance, steps=16, block=4)
    manual = image.copy()
    manual[:4, :4] = 0
    assert np.isclose(curve.probabilities[1], tiny.predict_on_batch(manual[None])[0, 0], atol=1e-6)


def test_random_deletion_is_its_own_seeded_entry_point(tiny, image):
    a = attribution.random_deletion_curve(tiny, image, 0, random_state=1, steps=8, block=4)
    b = attribution.random_deletion_curve(tiny, image, 0, random_state=1, steps=8, block=4)
    c = attribution.random_deletion_curve(tiny, image, 0, random_state=2, steps=8, block=4)
    assert np.array_equal(a.probabilities, b.probabilities)
    assert not np.array_equal(a.probabilities, c.probabilities)
    assert a.probabilities[0] == pytest.approx(c.probabilities[0]) and a.probabilities[-1] == pytest.approx(
        c.probabilities[-1])


def test_area_and_rank_similarity():
    assert np.isclose(attribution.area_under(np.array([0, 0.5, 1]), np.array([1, 1, 1])), 1.0)
    a = np.arange(16.0).reshape(4, 4)
    assert np.isclose(attribution.rank_similarity(a, a * 3 + 1), 1.0)
    assert np.isclose(attribution.rank_similarity(a, -a), -1.0)
    with pytest.raises(ValueError, match="differ in shape"):
        attribution.rank_similarity(a, a[:2])
    with pytest.raises(ValueError, match="same length"):
        attribution.area_under([0, 1], [1, 2, 3])


def test_a_whole_batch_where_one_image_is_expected_is_refused(tiny, image):
    with pytest.raises(ValueError, match=r"one preprocessed image of shape \(H, W, C\).*images\[i\]"):
        attribution.vanilla_gradient(tiny, np.stack([image, image]), 0)


def test_randomize_layers_changes_only_named_layers(image):
    keras.utils.set_random_seed(0)
    inputs = keras.Input((16, 16, 3))
    x = keras.layers.Conv2D(4, 3, name="conv")(inputs)
    x = keras.layers.GlobalAveragePooling2D()(x)
    model = keras.Model(inputs, keras.layers.Dense(3, name="logits")(x))
    conv_before = [w.copy() for w in model.get_layer("conv").get_weights()]
    dense_before = model.get_layer("logits").get_weights()[0].copy()
    attribution.randomize_layers(model, "logits", random_state=0)  # one name as a plain string
    assert all(np.array_equal(a, b) for a, b in zip(conv_before, model.get_layer("conv").get_weights()))
    assert not np.array_equal(dense_before, model.get_layer("logits").get_weights()[0])
    logits_now = model.get_layer("logits").get_weights()[0].copy()
    with pytest.raises(KeyError, match="valid names"):
        attribution.randomize_layers(model, ["conv", "dense_99"])
    assert all(np.array_equal(a, b) for a, b in zip(conv_before, model.get_layer("conv").get_weights())), \
        "a bad name anywhere in the list changes nothing"
    assert np.array_equal(logits_now, model.get_layer("logits").get_weights()[0])
