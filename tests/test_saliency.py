import numpy as np
import pytest

from helpers import saliency

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
    attr = saliency.integrated_gradients(tiny, image, 1, steps=256, return_attributions=True)
    scores = saliency.class_scores(tiny, np.stack([image, np.zeros_like(image)]), 1)
    assert attr.shape == image.shape
    assert np.isclose(attr.sum(), scores[0] - scores[1], rtol=0.02, atol=1e-3)


def test_integrated_gradients_baseline_shape(tiny, image):
    with pytest.raises(ValueError, match="baseline shape"):
        saliency.integrated_gradients(tiny, image, 0, baseline=np.zeros((8, 8, 3)))


def test_maps_have_image_shape_and_are_nonnegative(tiny, image):
    for m in (saliency.vanilla_gradient(tiny, image, 0), saliency.smoothgrad(tiny, image, 0, n=4),
              saliency.integrated_gradients(tiny, image, 0, steps=8)):
        assert m.shape == (16, 16) and (m >= 0).all() and m.max() > 0


def test_smoothgrad_is_seeded(tiny, image):
    a = saliency.smoothgrad(tiny, image, 0, n=4, random_state=3)
    assert np.array_equal(a, saliency.smoothgrad(tiny, image, 0, n=4, random_state=3))
    assert not np.array_equal(a, saliency.smoothgrad(tiny, image, 0, n=4, random_state=4))


def test_occlusion_matches_a_manual_loop(tiny, image):
    occ = saliency.occlusion(tiny, image, 2, patch=8, stride=8)
    base = saliency.class_scores(tiny, image[None], 2)[0]
    covered = image.copy()
    covered[:8, 8:] = 0
    drop = base - saliency.class_scores(tiny, covered[None], 2)[0]
    assert np.isclose(occ[0, 15], drop, atol=1e-5) and occ.shape == (16, 16)


def test_deletion_curve_starts_at_the_prediction_and_ends_blank(tiny, image):
    fractions, probs = saliency.deletion_curve(tiny, image, 1, np.ones((16, 16)), steps=4, block=4)
    full = tiny.predict_on_batch(image[None])[0, 1]
    blank = tiny.predict_on_batch(np.zeros((1, 16, 16, 3), np.float32))[0, 1]
    assert fractions[0] == 0 and fractions[-1] == 1 and len(probs) == 5
    assert np.isclose(probs[0], full, atol=1e-6) and np.isclose(probs[-1], blank, atol=1e-6)
    with pytest.raises(ValueError, match="does not match the image"):
        saliency.deletion_curve(tiny, image, 1, np.ones((8, 8)))


def test_deletion_order_follows_importance(tiny, image):
    importance = np.zeros((16, 16))
    importance[:4, :4] = 1  # the top-left block must go first
    _, first = saliency.deletion_curve(tiny, image, 0, importance, steps=16, block=4)
    manual = image.copy()
    manual[:4, :4] = 0
    assert np.isclose(first[1], tiny.predict_on_batch(manual[None])[0, 0], atol=1e-6)


def test_area_and_rank_similarity():
    assert np.isclose(saliency.area_under(np.array([0, 0.5, 1]), np.array([1, 1, 1])), 1.0)
    a = np.arange(16.0).reshape(4, 4)
    assert np.isclose(saliency.rank_similarity(a, a * 3 + 1), 1.0)
    assert np.isclose(saliency.rank_similarity(a, -a), -1.0)
    with pytest.raises(ValueError, match="differ in shape"):
        saliency.rank_similarity(a, a[:2])


def test_randomize_layers_changes_only_named_layers(image):
    keras.utils.set_random_seed(0)
    inputs = keras.Input((16, 16, 3))
    x = keras.layers.Conv2D(4, 3, name="conv")(inputs)
    x = keras.layers.GlobalAveragePooling2D()(x)
    model = keras.Model(inputs, keras.layers.Dense(3, name="logits")(x))
    conv_before = [w.copy() for w in model.get_layer("conv").get_weights()]
    dense_before = model.get_layer("logits").get_weights()[0].copy()
    saliency.randomize_layers(model, ["logits"], random_state=0)
    assert all(np.array_equal(a, b) for a, b in zip(conv_before, model.get_layer("conv").get_weights()))
    assert not np.array_equal(dense_before, model.get_layer("logits").get_weights()[0])
    with pytest.raises(KeyError, match="valid names"):
        saliency.randomize_layers(model, ["dense_99"])
