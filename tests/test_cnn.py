import re

import numpy as np
import pytest

from helpers import attribution, cache, cnn, images

keras = pytest.importorskip("keras")


@pytest.fixture(scope="module")
def squeezenet():
    return cnn.build_squeezenet()


@pytest.fixture(scope="module")
def any_size_squeezenet():
    return cnn.build_squeezenet(size=None)


@pytest.fixture(scope="module")
def cat():
    return images.load_image(images.course_image("chelsea_cat.png"), size=(227, 227))


def test_squeezenet_recognises_the_cat(squeezenet, cat):
    probs = squeezenet.predict_on_batch(cnn.preprocess_caffe(cat[None]))[0]
    names = images.imagenet_classes()
    top = cnn.top_predictions(probs, names, k=5)
    assert (top[0].index, top[0].label) == (285, "Egyptian cat")
    assert abs(probs.sum() - 1) < 1e-4 and len(top) == 5


def test_weights_are_hash_checked(monkeypatch, tmp_path):
    fake = tmp_path / "squeezenet_v1.1.h5"
    fake.write_bytes(b"not weights")
    monkeypatch.setattr(cnn.paths, "DATA_DIR", tmp_path)
    with pytest.raises(ValueError, match="squeezenet_v1.1.h5: sha256 is"):
        cnn.build_squeezenet()


def test_preprocess_bgr_mean_and_channel_error(cat):
    x = cnn.preprocess_caffe(cat)
    assert x.dtype == np.float32
    assert np.allclose(x[..., 0], cat[..., 2] - cnn.CAFFE_MEAN_BGR[0])  # blue first
    assert np.allclose(x[..., 2], cat[..., 0] - cnn.CAFFE_MEAN_BGR[2])
    with pytest.raises(ValueError, match="3 channels"):
        cnn.preprocess_caffe(np.zeros((5, 5, 4)))


def test_preprocess_accepts_a_photo_scaled_to_0_1_instead_of_calling_the_cat_a_nematode(squeezenet, cat):
    scaled = cat.astype(np.float32) / 255.0
    assert np.allclose(cnn.preprocess_caffe(scaled), cnn.preprocess_caffe(cat), atol=1e-3)
    probs = squeezenet.predict_on_batch(cnn.preprocess_caffe(scaled[None]))[0]
    assert probs.argmax() == 285


def test_preprocess_refuses_an_already_preprocessed_image(cat):
    with pytest.raises(ValueError, match="already preprocessed"):
        cnn.preprocess_caffe(cnn.preprocess_caffe(cat))
    with pytest.raises(ValueError, match=r"expected RGB in \[0, 255\]"):
        cnn.preprocess_caffe(np.full((4, 4, 3), 300.0))


def test_images_too_small_for_squeezenet_are_refused_before_they_crash_the_kernel(any_size_squeezenet):
    # 20x20 killed the kernel (floating point exception), 28x28 raised TensorFlow's AbortedError
    assert cnn.min_input_size(any_size_squeezenet) == 31
    for size in (20, 28):
        with pytest.raises(ValueError, match=f"{size}x{size} pixels are too small.*at least 31x31"):
            cnn.check_images(any_size_squeezenet, np.zeros((1, size, size, 3), np.float32))
        with pytest.raises(ValueError, match="too small"):
            attribution.grad_cam(any_size_squeezenet, np.zeros((1, size, size, 3), np.float32),
                                 "fire9_concat")
    assert cnn.check_images(any_size_squeezenet, np.zeros((1, 31, 31, 3))).dtype == np.float32


def test_an_image_without_batch_axis_says_the_expected_shape(squeezenet, cat):
    x = cnn.preprocess_caffe(cat)
    with pytest.raises(ValueError, match=r"without a batch axis; expected \(N, 227, 227, 3\).*image\[None\]"):
        attribution.grad_cam(squeezenet, x, "fire9_concat")
    with pytest.raises(ValueError, match=r"does not fit the model .* expects \(N, 227, 227, 3\)"):
        cnn.check_images(squeezenet, np.zeros((1, 100, 100, 3)))


def test_class_indices_are_validated_not_wrapped(squeezenet, cat):
    x = cnn.preprocess_caffe(cat[None])
    with pytest.raises(ValueError, match="class index -1 is outside the model's 1000 classes"):
        attribution.grad_cam(squeezenet, x, "fire9_concat", class_index=-1)
    with pytest.raises(ValueError, match="class index 1000 is outside"):
        attribution.grad_cam(squeezenet, x, "fire9_concat", class_index=1000)
    with pytest.raises(ValueError, match="class index -1"):
        attribution.class_scores(squeezenet, x, -1)
    with pytest.raises(ValueError, match="class index 1000"):
        attribution.vanilla_gradient(squeezenet, x[0], 1000)
    with pytest.raises(ValueError, match="class index -1"):
        attribution.random_deletion_curve(squeezenet, x[0], -1, random_state=0)
    with pytest.raises(TypeError, match="must be an integer"):
        attribution.class_scores(squeezenet, x, "cat")
    with pytest.raises(ValueError, match="one per image"):
        attribution.grad_cam(squeezenet, x, "fire9_concat", class_index=[1, 2])


def test_top_predictions_refuses_a_batch_instead_of_answering_for_image_0():
    names = [f"class {i}" for i in range(4)]
    probs = np.array([[0.1, 0.2, 0.3, 0.4], [0.4, 0.3, 0.2, 0.1]])
    for k in (1, 2):
        with pytest.raises(ValueError, match=r"explains one image.*probs\[i\]"):
            cnn.top_predictions(probs, names, k=k)
    top = cnn.top_predictions(probs[:1], names, k=2)  # a batch of one is one image
    assert [p.label for p in top] == ["class 3", "class 2"] and top[0].probability == 0.4
    with pytest.raises(ValueError, match="4 probabilities but 3 class names"):
        cnn.top_predictions(probs[0], names[:3])


def test_layer_lookup_lists_valid_names(squeezenet):
    convs = cnn.layer_names(squeezenet, kind="conv")
    assert convs[0] == "conv1" and convs[-1] == "conv10" and "fire9_expand3x3" in convs
    assert "fire9_concat" in cnn.layer_names(squeezenet, kind="feature")
    with pytest.raises(KeyError, match=r"no conv layer named 'fire9'; valid names: \['conv1'"):
        cnn.get_layer(squeezenet, "fire9", kind="conv")
    with pytest.raises(ValueError, match="unknown layer kind"):
        cnn.layer_names(squeezenet, kind="dense")


def test_activation_model_checks_names_and_takes_one_name_as_a_string(squeezenet):
    with pytest.raises(KeyError, match="valid names"):
        cnn.activation_model(squeezenet, ["conv1", "conv99"])
    model = cnn.activation_model(squeezenet, ["conv1", "pool1"])
    a, b = model.predict_on_batch(np.zeros((1, 227, 227, 3), np.float32))
    assert a.shape == (1, 113, 113, 64) and b.shape == (1, 56, 56, 64)
    # a bare string is one layer, not the layers 'c', 'o', 'n', 'v', '1'
    single = cnn.activation_model(squeezenet, "conv1")
    assert single.predict_on_batch(np.zeros((1, 227, 227, 3), np.float32)).shape == (1, 113, 113, 64)
    with pytest.raises(TypeError, match="layer name must be a string"):
        cnn.get_layer(squeezenet, 3)


@pytest.fixture
def tiny_animals():
    full = images.load_animals()
    keep = np.concatenate([np.flatnonzero(full.y_train == c)[:20] for c in range(10)])
    return images.Animals(full.x_train[keep], full.y_train[keep], full.x_test[:50], full.y_test[:50],
                          full.class_names)


TINY = {"filters": [4, 4, 4], "dense": 8, "epochs": 1, "batch_size": 50, "learning_rate": 1e-3}


def test_small_cnn_is_cached_verified_and_rebuilt(cache_dir, tiny_animals, capsys):
    model, trained = cnn.get_or_train_small_cnn(tiny_animals, seed=0, config=TINY)
    assert trained
    shown = capsys.readouterr().out  # the first run says it trains, then one line per epoch
    assert shown.startswith("No valid cached silhouette_cnn.keras: training it once (1 epoch on 200 images")
    assert re.search(r"^4/4 - .* - loss: \d", shown, re.MULTILINE), shown  # the epoch's line: 4 batches of 50
    path = cache_dir / "silhouette_cnn.keras"
    assert sorted(p.name for p in cache_dir.iterdir()) == ["silhouette_cnn.keras",
                                                           "silhouette_cnn.keras.json"]
    again, trained_again = cnn.get_or_train_small_cnn(tiny_animals, seed=0, config=TINY)
    assert not trained_again and capsys.readouterr().out == ""  # a cached network loads silently
    x = tiny_animals.x_test[:5]
    assert np.allclose(model.predict_on_batch(x), again.predict_on_batch(x), atol=1e-6)
    # another configuration is a different key: retrain rather than trust the old entry
    _, retrained = cnn.get_or_train_small_cnn(tiny_animals, seed=0, config={**TINY, "dense": 9})
    assert retrained
    # a corrupted (half-written) payload is never read back
    path.write_bytes(path.read_bytes()[:100])
    _, rebuilt = cnn.get_or_train_small_cnn(tiny_animals, seed=0, config={**TINY, "dense": 9})
    key = cnn._cache_key(tiny_animals.x_train, tiny_animals.y_train, {**TINY, "dense": 9}, 0, "true")
    assert rebuilt and cache.is_valid(path, key)


@pytest.mark.parametrize("sidecar", ["[]", "null", "42", '"text"'])
def test_a_sidecar_that_is_not_a_json_object_means_rebuild(cache_dir, tiny_animals, sidecar):
    cnn.get_or_train_small_cnn(tiny_animals, seed=0, config=TINY)
    (cache_dir / "silhouette_cnn.keras.json").write_text(sidecar)
    _, trained = cnn.get_or_train_small_cnn(tiny_animals, seed=0, config=TINY)
    assert trained


def test_read_only_cache_falls_back_to_the_user_cache(cache_dir, tiny_animals, monkeypatch, tmp_path):
    """Training used to finish and then be thrown away with OSError: Read-only file system."""
    monkeypatch.setattr(cnn.paths, "_writable", lambda path: path != cache_dir)
    with pytest.warns(UserWarning, match="cannot write the model cache"):
        model, trained = cnn.get_or_train_small_cnn(tiny_animals, seed=0, config=TINY)
    assert trained and model is not None
    user = tmp_path / "user-cache" / "explaining-ml"
    assert (user / "silhouette_cnn.keras").is_file()
    _, trained_again = cnn.get_or_train_small_cnn(tiny_animals, seed=0, config=TINY)
    assert not trained_again, "the next run loads the model from the fallback"


def test_no_writable_cache_keeps_the_model_in_memory(cache_dir, tiny_animals, monkeypatch):
    monkeypatch.setattr(cnn.paths, "_writable", lambda path: False)
    with pytest.warns(UserWarning, match="stay in memory"):
        model, trained = cnn.get_or_train_small_cnn(tiny_animals, seed=0, config=TINY)
    assert trained and model.predict_on_batch(tiny_animals.x_test[:2]).shape == (2, 10)


def test_a_failing_save_warns_and_returns_the_model(cache_dir, tiny_animals, monkeypatch):
    def refuse(*args, **kwargs):
        raise OSError("[Errno 30] Read-only file system")

    monkeypatch.setattr(cnn.cache, "write_atomic", refuse)
    with pytest.warns(UserWarning, match="could not save the trained model"):
        model, trained = cnn.get_or_train_small_cnn(tiny_animals, seed=0, config=TINY)
    assert trained and model is not None


def test_shuffled_label_cnn_is_cached_apart_from_the_real_one(cache_dir, tiny_animals):
    cnn.get_or_train_small_cnn(tiny_animals, seed=0, config=TINY)
    _, trained = cnn.get_or_train_shuffled_label_cnn(tiny_animals, seed=0, config=TINY)
    assert trained
    assert (cache_dir / "silhouette_cnn_shuffled_labels.keras").is_file()
    _, trained_again = cnn.get_or_train_shuffled_label_cnn(tiny_animals, seed=0, config=TINY)
    assert not trained_again


def test_small_cnn_accepts_larger_canvas(tiny_animals):
    model = cnn.build_small_cnn(10, TINY)
    assert model.predict_on_batch(np.zeros((1, 56, 56, 1), np.float32)).shape == (1, 10)
    cams = attribution.grad_cam(model, tiny_animals.x_test[:3], "conv3")
    assert cams.shape == (3, 7, 7)


def test_shuffled_label_training_set_is_a_seeded_subset_with_its_own_labels_permuted(tiny_animals):
    config = {**TINY, "train_size": 20}
    x, y = cnn.shuffled_label_training_set(tiny_animals, seed=3, config=config)
    x2, y2 = cnn.shuffled_label_training_set(tiny_animals, seed=3, config=config)
    assert x.shape[0] == 20 and np.array_equal(x, x2) and np.array_equal(y, y2)
    rows = [int(np.flatnonzero((tiny_animals.x_train == img).all(axis=(1, 2, 3)))[0]) for img in x]
    counts = np.bincount(tiny_animals.y_train[rows], minlength=10)
    assert np.array_equal(np.bincount(y, minlength=10), counts), "every class keeps its share"
    assert not np.array_equal(y, tiny_animals.y_train[rows]), "the labels are shuffled among the subset"
    everything, _ = cnn.shuffled_label_training_set(tiny_animals, seed=3, config=TINY)  # no train_size: all
    assert len(everything) == len(tiny_animals.y_train)
    with pytest.raises(ValueError, match="train_size"):
        cnn.shuffled_label_training_set(tiny_animals, seed=3, config={**TINY, "train_size": 0})


def test_same_images_training_set_has_the_shuffled_sets_images_with_their_true_labels(tiny_animals):
    config = {**TINY, "train_size": 20}
    x, shuffled = cnn.shuffled_label_training_set(tiny_animals, seed=3, config=config)
    same_x, true = cnn.same_images_training_set(tiny_animals, seed=3, config=config)
    assert np.array_equal(x, same_x), "the control sees exactly the shuffled-label network's images"
    rows = [int(np.flatnonzero((tiny_animals.x_train == img).all(axis=(1, 2, 3)))[0]) for img in x]
    assert np.array_equal(true, tiny_animals.y_train[rows]), "with their true labels"
    assert np.array_equal(np.sort(true), np.sort(shuffled)) and not np.array_equal(true, shuffled)


def test_same_images_cnn_is_cached_apart_and_starts_like_the_shuffled_label_one(cache_dir, tiny_animals,
                                                                               monkeypatch):
    seeds = []
    real_seed = cnn._cached_or_trained

    def spy(name, x, y, n_classes, seed, config, labels, verbose):
        seeds.append((name, seed, len(y)))
        return real_seed(name, x, y, n_classes, seed, config, labels, verbose)

    monkeypatch.setattr(cnn, "_cached_or_trained", spy)
    cnn.get_or_train_shuffled_label_cnn(tiny_animals, seed=0, config=TINY)
    _, trained = cnn.get_or_train_same_images_cnn(tiny_animals, seed=0, config=TINY)
    assert trained and (cache_dir / "silhouette_cnn_same_images.keras").is_file()
    _, trained_again = cnn.get_or_train_same_images_cnn(tiny_animals, seed=0, config=TINY)
    assert not trained_again
    assert seeds[0][1:] == seeds[1][1:], "same starting seed and as many images as the shuffled-label network"


def test_preactivation_peaks_and_pruned_copies_agree_with_the_relu_outputs():
    model = cnn.build_small_cnn()  # untrained: random weights are enough to test the arithmetic
    x = images.load_animals().x_test[:64]
    peaks = cnn.preactivation_peaks(model, "conv3", x, batch_size=25)
    after_relu = np.asarray(cnn.activation_model(model, "conv3")(x)).max(axis=(0, 1, 2))
    assert np.allclose(np.maximum(peaks, 0), after_relu, atol=1e-5), "ReLU of the peak is the output's peak"
    dropped = [0, 3]
    pruned = cnn.without_filters(model, "conv3", dropped)
    out = np.asarray(cnn.activation_model(pruned, "conv3")(x))
    assert np.allclose(out[..., dropped], 0) and np.abs(out[..., 1]).max() > 0
    assert not np.allclose(model.get_layer("conv3").get_weights()[0][..., 0], 0), "the model is unchanged"
    with pytest.raises(KeyError, match="valid names"):
        cnn.preactivation_peaks(model, "pool2", x)


def test_accuracy_is_the_share_of_top_classes_equal_to_the_labels():
    scores = np.array([[0.9, 0.1, 0.0], [0.2, 0.5, 0.3], [0.1, 0.1, 0.8], [0.6, 0.3, 0.1]])
    assert cnn.accuracy(lambda x: x, scores, [0, 1, 1, 0]) == 0.75  # the third is class 2, not 1
