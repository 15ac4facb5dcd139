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


# ---------------------------------------------------------------- added with notebook 13's rebuild
@pytest.fixture(scope="module")
def dense_relu():
    """input (2, 2, 1) -> flatten -> 3 ReLU units -> 2 logits, with weights chosen so that one active unit
    sends a negative signal back: Guided Backprop and the gradient differ there."""
    inputs = keras.Input((2, 2, 1))
    x = keras.layers.Flatten()(inputs)
    x = keras.layers.Dense(3, activation="relu", name="hidden")(x)
    model = keras.Model(inputs, keras.layers.Dense(2, name="logits")(x))
    w1 = np.array([[1.0, -1.0, 0.5], [2.0, 0.5, -1.0], [-1.0, 1.0, 1.0], [0.5, 2.0, 0.0]], np.float32)
    model.get_layer("hidden").set_weights([w1, np.array([0.1, 0.1, -5.0], np.float32)])
    w2 = np.array([[1.0, 0.0], [-2.0, 1.0], [3.0, 1.0]], np.float32)
    model.get_layer("logits").set_weights([w2, np.zeros(2, np.float32)])
    return model, w1, w2


def test_guided_backprop_matches_the_guided_rule_by_hand(dense_relu):
    model, w1, w2 = dense_relu
    x = np.array([1.0, 2.0, 0.5, 1.0], np.float32)
    active = (x @ w1 + np.array([0.1, 0.1, -5.0])) > 0   # units 0 and 1 active, unit 2 dead
    assert active.tolist() == [True, True, False]
    by_hand = w1 @ (active * np.maximum(w2[:, 0], 0))    # the negative signal to unit 1 is dropped
    plain = w1 @ (active * w2[:, 0])
    gbp = attribution.guided_backprop(model, x.reshape(2, 2, 1), 0)
    assert np.allclose(gbp.ravel(), by_hand, atol=1e-6)
    assert np.allclose(attribution.vanilla_gradient(model, x.reshape(2, 2, 1), 0).ravel(), plain, atol=1e-6)
    assert not np.allclose(by_hand, plain)


def test_guided_gradients_take_a_batch_and_leave_the_model_as_it_was(dense_relu, monkeypatch):
    model, _, _ = dense_relu
    batch = np.random.default_rng(0).normal(size=(3, 2, 2, 1)).astype(np.float32)
    together = attribution.guided_gradients(model, batch, [0, 1, 0])
    one_by_one = np.stack([attribution.guided_backprop(model, b, c) for b, c in zip(batch, [0, 1, 0])])
    assert np.allclose(together, one_by_one, atol=1e-6)
    before = attribution.gradients(model, batch, 1)
    assert model.get_layer("hidden").activation is keras.activations.relu
    assert np.allclose(attribution.gradients(model, batch, 1), before)

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(attribution, "gradients", broken)
    with pytest.raises(RuntimeError, match="boom"):
        attribution.guided_gradients(model, batch, 0)
    assert model.get_layer("hidden").activation is keras.activations.relu, "restored after an error too"


def test_guided_backprop_needs_relus():
    inputs = keras.Input((4, 4, 1))
    x = keras.layers.Flatten()(inputs)
    model = keras.Model(inputs, keras.layers.Dense(2, activation="tanh", name="logits")(x))
    with pytest.raises(ValueError, match="no ReLU"):
        attribution.guided_backprop(model, np.zeros((4, 4, 1), np.float32), 0)


def test_gradients_accept_one_class_per_image(tiny, image):
    batch = np.stack([image, image[::-1], image[:, ::-1]])
    together = attribution.gradients(tiny, batch, [0, 2, 1])
    one_by_one = np.stack([attribution.gradients(tiny, b[None], c)[0] for b, c in zip(batch, [0, 2, 1])])
    assert np.allclose(together, one_by_one, atol=1e-6)
    with pytest.raises(ValueError, match="one per image"):
        attribution.gradients(tiny, batch, [0, 1])


def test_gradients_and_grad_cam_in_one_pass_match_the_two_calls(tiny, image):
    batch = np.stack([image, image[::-1], image[:, ::-1]])
    grads, cams = attribution.gradients_and_grad_cam(tiny, batch, "conv", [0, 2, 1])
    assert np.allclose(grads, attribution.gradients(tiny, batch, [0, 2, 1]), atol=1e-6)
    assert np.allclose(cams, attribution.grad_cam(tiny, batch, "conv", [0, 2, 1]), atol=1e-6)
    one_class, _ = attribution.gradients_and_grad_cam(tiny, batch, "conv", 2)
    assert np.allclose(one_class, attribution.gradients(tiny, batch, 2), atol=1e-6)
    with pytest.raises(ValueError, match="one per image"):
        attribution.gradients_and_grad_cam(tiny, batch, "conv", [0, 1])


def test_batch_versions_give_the_maps_of_one_call_per_image(tiny, image):
    batch = np.stack([image, image[::-1] * 2, image[:, ::-1]])
    smooth = attribution.smoothgrad_batch(tiny, batch, [0, 2, 1], n=4, random_state=3)
    integrated = attribution.integrated_gradients_batch(tiny, batch, 2, steps=8, batch_size=5)
    for k, (x, c) in enumerate(zip(batch, [0, 2, 1])):
        assert np.allclose(smooth[k], attribution.smoothgrad(tiny, x, c, n=4, random_state=3), atol=1e-6)
        assert np.allclose(integrated[k], attribution.integrated_gradients(tiny, x, 2, steps=8), atol=1e-6)
    assert not np.allclose(smooth[0], attribution.smoothgrad(tiny, image, 0, n=4, random_state=4), atol=1e-6)
    with pytest.raises(ValueError, match="one per image"):
        attribution.smoothgrad_batch(tiny, batch, [0, 1])


def test_insertion_and_deletion_are_mirror_images(tiny, image):
    importance = np.random.default_rng(2).permutation(256).reshape(16, 16).astype(float)  # no ties
    for block, steps in ((4, 4), (6, 6)):  # 16 squares in 4 steps; 9 squares in 6 steps (1.5 per step)
        inserted = attribution.insertion_curve(tiny, image, 1, importance, steps=steps, block=block)
        deleted_backwards = attribution.deletion_curve(tiny, image, 1, -importance, steps=steps, block=block)
        assert np.allclose(inserted.probabilities, deleted_backwards.probabilities[::-1], atol=1e-6)
    blank = tiny.predict_on_batch(np.zeros((1, 16, 16, 3), np.float32))[0, 1]
    full = tiny.predict_on_batch(image[None])[0, 1]
    assert np.isclose(inserted.probabilities[0], blank, atol=1e-6)
    assert np.isclose(inserted.probabilities[-1], full, atol=1e-6)
    rand_ins = attribution.random_insertion_curve(tiny, image, 1, random_state=3, steps=4, block=4)
    rand_del = attribution.random_deletion_curve(tiny, image, 1, random_state=3, steps=4, block=4)
    assert np.isclose(rand_ins.probabilities[0], rand_del.probabilities[-1], atol=1e-6)


def test_insertion_puts_the_most_important_block_back_first(tiny, image):
    importance = np.zeros((16, 16))
    importance[4:8, 8:12] = 1
    curve = attribution.insertion_curve(tiny, image, 2, importance, steps=16, block=4)
    manual = np.zeros_like(image)
    manual[4:8, 8:12] = image[4:8, 8:12]
    assert np.isclose(curve.probabilities[1], tiny.predict_on_batch(manual[None])[0, 2], atol=1e-6)


def test_rank_similarity_is_scipy_s_spearman_with_ties():
    from scipy.stats import spearmanr

    rng = np.random.default_rng(3)
    tied = np.round(rng.normal(size=(30, 30)), 1)  # many ties, like the exact zeros of a gradient map
    tied[:10] = 0.0
    other = rng.normal(size=(30, 30)) + tied
    for a, b in ((tied, other), (other, rng.normal(size=(30, 30))), (tied, np.round(other))):
        assert np.isclose(attribution.rank_similarity(a, b), spearmanr(a.ravel(), b.ravel()).statistic,
                          atol=1e-12)


def test_rank_similarity_of_a_constant_map_is_zero_without_a_warning(recwarn):
    a = np.arange(16.0).reshape(4, 4)
    assert attribution.rank_similarity(a, np.zeros((4, 4))) == 0.0
    assert not [w for w in recwarn.list if "constant" in str(w.message).lower()]


def test_ssim_and_hog_similarity_have_known_answers():
    rng = np.random.default_rng(0)
    a = rng.random((48, 48))
    assert np.isclose(attribution.ssim_similarity(a, a * 5 + 2), 1.0)  # each map is scaled to [0, 1] first
    assert attribution.ssim_similarity(a, rng.random((48, 48))) < 0.2
    stripes = np.tile(np.arange(48) % 8 < 4, (48, 1)).astype(float)
    assert np.isclose(attribution.hog_similarity(stripes, stripes * 3), 1.0)
    assert attribution.hog_similarity(stripes, stripes.T) < 0.5  # the same edges, turned by 90 degrees
    with pytest.raises(ValueError, match="differ in shape"):
        attribution.ssim_similarity(a, a[:20])
    with pytest.raises(ValueError, match="abs_map or signed_map"):
        attribution.ssim_similarity(np.stack([a] * 3, -1), np.stack([a] * 3, -1))
    with pytest.raises(ValueError, match="too small for HOG"):
        attribution.hog_similarity(a[:20, :20], a[:20, :20], cell=16)


def test_randomized_copy_leaves_the_trained_model_alone_and_cascades(tiny):
    before = [w.copy() for w in tiny.get_weights()]
    top = attribution.randomized_copy(tiny, "logits", random_state=5)
    deeper = attribution.randomized_copy(tiny, ["logits", "conv"], random_state=5)
    assert all(np.array_equal(a, b) for a, b in zip(before, tiny.get_weights())), "the original is untouched"
    def kernel(model, name):
        return model.get_layer(name).get_weights()[0]

    assert np.array_equal(kernel(top, "conv"), kernel(tiny, "conv"))
    assert not np.array_equal(kernel(top, "logits"), kernel(tiny, "logits"))
    assert np.array_equal(kernel(top, "logits"), kernel(deeper, "logits")), \
        "a deeper stage keeps the random values of the stages above it"
    assert not np.array_equal(kernel(deeper, "conv"), kernel(tiny, "conv"))
    with pytest.raises(KeyError, match="valid names"):
        attribution.randomized_copy(tiny, ["logits", "nope"])


def test_display_scale_clips_at_the_percentile():
    m = np.linspace(0, 1, 10000).reshape(100, 100)
    m[0, 0] = 1000.0  # one hot pixel
    shown = attribution.display_scale(m, percentile=99)
    assert shown.max() == 1.0 and np.isclose(np.median(shown), 0.5, atol=0.01)
    signed = attribution.display_scale(m - 0.5, percentile=99, signed=True)
    assert signed.min() >= -1 and signed.max() == 1.0 and (signed < 0).any()
    with pytest.raises(ValueError, match="no negative values"):
        attribution.display_scale(m - 0.5)
    with pytest.raises(ValueError, match=r"\(H, W\) map"):
        attribution.display_scale(np.zeros((4, 4, 3)))
    assert not attribution.display_scale(np.zeros((4, 4))).any()


def _bright_left_half(rgb_batch):
    """A toy classifier: P(class 1) is the mean brightness of the left half of the image."""
    p = rgb_batch[:, :, :4].mean(axis=(1, 2, 3)) / 255.0
    return np.stack([1 - p, p], axis=1)


def test_lime_image_map_finds_the_region_the_classifier_reads():
    image = np.full((8, 8, 3), 200, np.uint8)
    segments = np.repeat(np.arange(4), 2)[None, :].repeat(8, axis=0)  # four vertical strips
    result = attribution.lime_image_map(_bright_left_half, image, 1, segments, num_samples=300, hide_color=0,
                                        random_state=0)
    per_strip = [result.weights[0, 2 * k] for k in range(4)]
    assert min(per_strip[:2]) > 0.1 and max(abs(w) for w in per_strip[2:]) < 0.02
    assert result.score > 0.9 and result.weights.shape == (8, 8)


def test_lime_image_map_gives_lime_s_own_answer():
    from lime import lime_image

    image = np.random.default_rng(1).integers(0, 255, (8, 8, 3)).astype(np.uint8)
    segments = np.arange(16).reshape(4, 4).repeat(2, axis=0).repeat(2, axis=1)
    ours = attribution.lime_image_map(_bright_left_half, image, 1, segments, num_samples=50, random_state=4,
                                      batch_size=7)
    theirs = lime_image.LimeImageExplainer(random_state=4).explain_instance(
        image, _bright_left_half, labels=(1,), top_labels=None, num_samples=50, batch_size=7,
        segmentation_fn=lambda _: segments)
    expected = np.zeros(16)
    for feature, weight in theirs.local_exp[1]:
        expected[feature] = weight
    assert np.allclose(ours.weights, expected[segments]) and np.isclose(ours.score, theirs.score)


def test_lime_image_map_checks_the_segments():
    image = np.zeros((4, 4, 3), np.uint8)
    with pytest.raises(ValueError, match="numbered 0 to n-1"):
        attribution.lime_image_map(_bright_left_half, image, 1, np.full((4, 4), 3))
    with pytest.raises(ValueError, match="integer labels of shape"):
        attribution.lime_image_map(_bright_left_half, image, 1, np.zeros((2, 2), int))


# ---------------------------------------------------------------- notebook 12: where a heatmap lies
def test_region_concentration_of_a_heatmap_on_the_outline_only():
    silhouette = np.zeros((28, 28, 1), np.float32)
    silhouette[9:19, 9:19] = 1.0  # a 10 x 10 square: dilated 12 x 12, eroded 8 x 8
    cam = np.zeros((28, 28), np.float32)
    cam[8:20, 8:20] = 1.0
    cam[10:18, 10:18] = 0.0  # all the heat on the 144 - 64 = 80 outline pixels
    ratios = attribution.region_concentration(cam, silhouette)
    assert ratios["outline"] == pytest.approx(28 * 28 / 80)
    assert ratios["inside"] == 0 and ratios["background"] == 0
    even = attribution.region_concentration(np.ones((7, 7)), silhouette[..., 0])  # resized, even
    assert all(v == pytest.approx(1) for v in even.values())


def test_heat_shares_in_the_box_and_on_the_silhouette():
    canvas = np.zeros((56, 56, 1), np.float32)
    canvas[30:40, 2:12] = 1.0  # 100 silhouette pixels inside the box at (28, 0)
    cam = np.zeros((56, 56), np.float32)
    cam[30:40, 2:12] = 1.0
    cam[0:10, 40:50] = 3.0  # three times as much heat outside the box
    in_box, on_silhouette, area = attribution.heat_shares(cam, canvas, 28, 0)
    assert in_box == pytest.approx(0.25) and on_silhouette == pytest.approx(0.25)
    assert area == pytest.approx(100 / 56 ** 2)


@pytest.mark.parametrize("cam, match", [
    (np.full((7, 7), np.nan), "finite and not negative"),  # was nan, nan, nan
    (np.random.default_rng(0).random((7, 7)) - 0.5, "finite and not negative"),  # shares beyond 1
    (np.ones(7), r"shape \(H, W\), got \(7,\)"),  # was resized as a 1 x 7 map
    (np.ones((1, 7, 7)), r"pass one of its maps"),  # was read as a 1 x 7 map of 7 channels
])
def test_region_concentration_and_heat_shares_refuse_what_is_not_one_heatmap(cam, match):
    canvas = np.zeros((56, 56, 1), np.float32)
    canvas[28:, :28] = 1
    with pytest.raises(ValueError, match=match):
        attribution.region_concentration(cam, canvas[28:, :28])
    with pytest.raises(ValueError, match=match):
        attribution.heat_shares(cam, canvas, 28, 0)


def test_heat_shares_refuses_a_box_off_the_canvas_and_takes_a_2d_canvas():
    canvas = np.zeros((56, 56, 1), np.float32)
    canvas[28:, :28] = 1
    cam = np.ones((7, 7))
    for top, left, box in [(-10, 0, 28), (40, 0, 28), (28, 0, 0), (28.5, 0, 28)]:  # were shares of 0
        with pytest.raises(ValueError, match="must lie inside the 56 x 56 canvas"):
            attribution.heat_shares(cam, canvas, top, left, box)
    # a 2-D canvas: its first column was read as the silhouette (shares 0 and 0)
    assert attribution.heat_shares(cam, canvas[..., 0], 28, 0) == attribution.heat_shares(cam, canvas, 28, 0)
