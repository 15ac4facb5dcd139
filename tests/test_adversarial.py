"""helpers.adversarial on tiny networks with known answers: FGSM's size and direction, the random control,
the top-k measures, the softplus copy and the zero second derivative of a ReLU network, the top-k attack's
guarantees (size, label, best step), the border measures and the cached fine-tuning."""

import numpy as np
import pytest

from helpers import adversarial, cache, images

keras = pytest.importorskip("keras")
LOW, HIGH = -255.0, 255.0  # a wide valid range, so that clipping does not interfere unless a test wants it


@pytest.fixture(scope="module")
def tiny():
    """A small ReLU CNN on 16x16 RGB images with a 'logits' layer, as the course's networks have."""
    keras.utils.set_random_seed(0)
    inputs = keras.Input((16, 16, 3))
    x = keras.layers.Conv2D(4, 3, padding="same", name="conv")(inputs)
    x = keras.layers.Activation("relu", name="relu_conv")(x)
    x = keras.layers.Conv2D(4, 3, padding="same", activation="relu", name="conv2")(x)
    x = keras.layers.GlobalAveragePooling2D()(x)
    logits = keras.layers.Dense(3, name="logits")(x)
    return keras.Model(inputs, keras.layers.Activation("softmax", name="predictions")(logits))


@pytest.fixture(scope="module")
def image():
    return np.random.default_rng(1).normal(0, 20, (16, 16, 3)).astype(np.float32)


def loss(model, x, c):
    return -np.log(model.predict_on_batch(x[None])[0, c])


def label(model, x):
    return int(model.predict_on_batch(x[None])[0].argmax())


def test_fgsm_moves_every_pixel_by_epsilon_and_raises_the_loss(tiny, image):
    c = label(tiny, image)
    moved = adversarial.fgsm(tiny, image, c, epsilon=0.5, low=LOW, high=HIGH)
    changes = np.abs(moved - image)
    assert adversarial.linf(image, moved) == pytest.approx(0.5, abs=1e-5)
    assert np.mean(np.isclose(changes, 0.5, atol=1e-5)) > 0.9  # sign(0) = 0 may leave a few in place
    assert loss(tiny, moved, c) > loss(tiny, image, c)
    backwards = image - (moved - image)  # the opposite step lowers the loss: the direction is not arbitrary
    assert loss(tiny, backwards, c) < loss(tiny, image, c)


def test_fgsm_clips_to_valid_pixels_and_refuses_bad_input(tiny, image):
    moved = adversarial.fgsm(tiny, image, 0, epsilon=100.0, low=-10.0, high=10.0)
    assert moved.min() >= -10 and moved.max() <= 10
    with pytest.raises(ValueError, match="epsilon must be a positive number"):
        adversarial.fgsm(tiny, image, 0, epsilon=0)
    with pytest.raises(ValueError, match="one preprocessed image"):
        adversarial.fgsm(tiny, image[None], 0, epsilon=1.0)
    with pytest.raises(ValueError, match="outside the model's 3 classes"):
        adversarial.fgsm(tiny, image, 3, epsilon=1.0)


def test_random_sign_has_the_same_size_and_is_reproducible(image):
    a = adversarial.random_sign(image, epsilon=2.0, random_state=0, low=LOW, high=HIGH)
    assert np.allclose(np.abs(a - image), 2.0, atol=1e-5)
    assert np.array_equal(a, adversarial.random_sign(image, epsilon=2.0, random_state=0, low=LOW, high=HIGH))
    assert not np.array_equal(a, adversarial.random_sign(image, epsilon=2.0, random_state=1, low=LOW,
                                                         high=HIGH))
    assert 0.4 < np.mean(a > image) < 0.6


def test_caffe_clipping_keeps_pixels_between_0_and_255():
    x = np.full((2, 2, 3), 500.0, np.float32)
    assert np.allclose(adversarial.clip_to_pixels(x) + adversarial.CAFFE_MEAN_BGR, 255.0)
    assert np.allclose(adversarial.clip_to_pixels(-x) + adversarial.CAFFE_MEAN_BGR, 0.0)


def test_saliency_sums_absolute_values_over_channels():
    a = np.zeros((2, 2, 3))
    a[0, 0] = [1, -2, 3]
    assert adversarial.saliency(a)[0, 0] == 6 and adversarial.saliency(a).shape == (2, 2)
    assert adversarial.saliency(-np.ones((4, 2, 2, 3))).shape == (4, 2, 2)
    assert np.array_equal(adversarial.saliency(np.array([[-1.0, 2.0]])), [[1.0, 2.0]])
    with pytest.raises(ValueError, match="attributions"):
        adversarial.saliency(np.ones(5))


def test_top_k_overlap_known_answers():
    a = np.arange(16.0).reshape(4, 4)
    assert adversarial.top_k_overlap(a, a, k=4) == 1.0
    assert adversarial.top_k_overlap(a, -a, k=4) == 0.0
    b = a.copy()
    b[3, 3] = -1  # the largest pixel of a drops out of b's top 4
    assert adversarial.top_k_overlap(a, b, k=4) == 0.75
    both = adversarial.compare_maps(a, b, k=4)
    assert set(both) == {"top-k overlap", "rank correlation"} and both["rank correlation"] < 1
    with pytest.raises(ValueError, match="between 1 and"):
        adversarial.top_k_overlap(a, a, k=17)
    with pytest.raises(ValueError, match="differ in shape"):
        adversarial.top_k_overlap(a, a[:2], k=2)


def test_softplus_copy_replaces_every_relu_and_leaves_the_model_alone(tiny, image):
    smooth = adversarial.softplus_copy(tiny, beta=50.0)
    assert not any(getattr(layer, "activation", None) is keras.activations.relu for layer in smooth.layers)
    assert sum(getattr(layer, "activation", None) is keras.activations.relu for layer in tiny.layers) == 2
    # a large beta is close to the ReLU: the same probabilities, nearly
    assert np.allclose(smooth.predict_on_batch(image[None]), tiny.predict_on_batch(image[None]), atol=0.05)
    linear = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2, name="logits")])
    with pytest.raises(ValueError, match="no ReLU"):
        adversarial.softplus_copy(linear)
    with pytest.raises(ValueError, match="beta must be a positive number"):
        adversarial.softplus_copy(tiny, beta=-1)


def test_second_derivative_is_zero_through_relus_and_not_through_softplus(tiny, image):
    c = label(tiny, image)
    top = np.zeros((16, 16), bool)
    top[:4] = True
    scorer = keras.Model(tiny.input, tiny.get_layer("logits").output)
    smooth = adversarial.softplus_copy(tiny, beta=1.0)
    smooth_scorer = keras.Model(smooth.input, smooth.get_layer("logits").output)
    assert not adversarial.topk_direction(scorer, image, c, top).any()
    assert np.mean(adversarial.topk_direction(smooth_scorer, image, c, top) != 0) > 0.5


def test_topk_attack_stays_in_the_ball_keeps_the_label_and_returns_its_best_step(tiny, image):
    c = label(tiny, image)
    smooth = adversarial.softplus_copy(tiny, beta=1.0)
    result = adversarial.topk_attack(tiny, smooth, image, c, epsilon=3.0, step=1.0, steps=5, k=20, low=LOW,
                                     high=HIGH)
    assert adversarial.linf(image, result.image) <= 3.0 + 1e-5
    assert label(tiny, result.image) == c
    assert len(result.overlaps) == len(result.probabilities) == 5
    kept = ~np.isnan(result.overlaps)
    if result.best_step:
        assert result.overlap == np.nanmin(result.overlaps) == result.overlaps[result.best_step - 1]
    else:
        assert np.array_equal(result.image, image) and not (result.overlaps[kept] < 1).any()
    with pytest.raises(ValueError, match="not class"):
        adversarial.topk_attack(tiny, smooth, image, (c + 1) % 3, epsilon=3.0, step=1.0, steps=1)
    with pytest.raises(ValueError, match="steps must be a positive integer"):
        adversarial.topk_attack(tiny, smooth, image, c, epsilon=3.0, step=1.0, steps=0)


def test_border_mask_and_share_known_answers():
    mask = adversarial.border_mask(6, 6, 1)
    assert mask.sum() == 36 - 16
    maps = np.zeros((2, 6, 6))
    maps[0, 0, 0] = 1.0  # all in the frame
    maps[0, 3, 3] = 1.0  # and as much inside
    shares = adversarial.border_share(maps, mask)
    assert shares[0] == 0.5 and np.isnan(shares[1])  # a map that is zero everywhere has no share
    with pytest.raises(ValueError, match="negative"):
        adversarial.border_share(-maps, mask)
    with pytest.raises(ValueError, match="border must be"):
        adversarial.border_mask(6, 6, 3)


TINY_BORDER = {"width": 3, "weight": 10.0, "epochs": 4, "batch_size": 50, "learning_rate": 1e-2}


@pytest.fixture(scope="module")
def small_and_data():
    full = images.load_animals()
    keep = np.concatenate([np.flatnonzero(full.y_train == c)[:20] for c in range(10)])
    animals = images.Animals(full.x_train[keep], full.y_train[keep], full.x_test[:50], full.y_test[:50],
                             full.class_names)
    keras.utils.set_random_seed(0)
    from helpers import cnn

    small = cnn.build_small_cnn(config={"filters": [4, 4, 4], "dense": 8})
    return small, animals


def gradient_share(model, animals):
    from helpers import attribution

    maps = adversarial.saliency(attribution.gradients(model, animals.x_train, animals.y_train))
    return np.nanmean(adversarial.border_share(maps, adversarial.border_mask(28, 28, 3)))


def test_border_penalty_moves_the_gradient_map_and_is_cached(cache_dir, small_and_data, capsys):
    small, animals = small_and_data
    fooled, trained = adversarial.get_or_finetune_border_cnn(small, animals, seed=0, config=TINY_BORDER)
    assert trained and "epoch 4/4" in capsys.readouterr().out
    control, _ = adversarial.get_or_finetune_border_cnn(small, animals, seed=0,
                                                        config={**TINY_BORDER, "weight": 0.0})
    assert gradient_share(fooled, animals) > gradient_share(control, animals) + 0.05
    again, trained_again = adversarial.get_or_finetune_border_cnn(small, animals, seed=0, config=TINY_BORDER)
    assert not trained_again
    x = animals.x_test[:5]
    assert np.allclose(fooled.predict_on_batch(x), again.predict_on_batch(x), atol=1e-6)
    path = cache_dir / "silhouette_cnn_border_weight10.keras"
    path.write_bytes(path.read_bytes()[:100])  # a damaged payload is never read back
    _, rebuilt = adversarial.get_or_finetune_border_cnn(small, animals, seed=0, config=TINY_BORDER, verbose=0)
    key = adversarial._key(small, animals.x_train, animals.y_train, 0, TINY_BORDER)
    assert rebuilt and cache.is_valid(path, key)
