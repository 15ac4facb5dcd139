import numpy as np
import pytest

from helpers import cache, cnn, images

keras = pytest.importorskip("keras")


@pytest.fixture(scope="module")
def squeezenet():
    return cnn.build_squeezenet()


@pytest.fixture(scope="module")
def cat():
    return images.load_image(images.course_image("chelsea_cat.png"), size=(227, 227))


def test_squeezenet_recognises_the_cat(squeezenet, cat):
    probs = squeezenet.predict_on_batch(cnn.preprocess_caffe(cat[None]))[0]
    names = images.imagenet_classes()
    top = cnn.top_predictions(probs, names, k=5)
    assert top[0][:2] == (285, "Egyptian cat")
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


def test_layer_lookup_lists_valid_names(squeezenet):
    convs = cnn.layer_names(squeezenet, kind="conv")
    assert convs[0] == "conv1" and convs[-1] == "conv10" and "fire9_expand3x3" in convs
    assert "fire9_concat" in cnn.layer_names(squeezenet, kind="feature")
    with pytest.raises(KeyError, match=r"no conv layer named 'fire9'; valid names: \['conv1'"):
        cnn.get_layer(squeezenet, "fire9", kind="conv")
    with pytest.raises(ValueError, match="unknown layer kind"):
        cnn.layer_names(squeezenet, kind="dense")


def test_activation_model_checks_names(squeezenet):
    with pytest.raises(KeyError, match="valid names"):
        cnn.activation_model(squeezenet, ["conv1", "conv99"])
    model = cnn.activation_model(squeezenet, ["conv1", "pool1"])
    a, b = model.predict_on_batch(np.zeros((1, 227, 227, 3), np.float32))
    assert a.shape == (1, 113, 113, 64) and b.shape == (1, 56, 56, 64)


def test_tile_maps():
    maps = np.random.default_rng(0).random((5, 4, 10)).astype(np.float32)
    maps[..., 3] = 0
    grid = cnn.tile_maps(maps, cols=4, pad=1)
    assert grid.shape == (3 * 6 - 1, 4 * 5 - 1)
    assert grid.max() <= 1 and grid[0:5, 3 * 5: 3 * 5 + 4].max() == 0  # the all-zero map stays black
    with pytest.raises(ValueError, match="height, width, channels"):
        cnn.tile_maps(np.zeros((3, 3)))


def test_grad_cam_shape_range_and_class(squeezenet, cat):
    x = cnn.preprocess_caffe(np.stack([cat, cat[:, ::-1]]))
    cams = cnn.grad_cam(squeezenet, x, "fire9_concat")
    assert cams.shape == (2, 13, 13) and cams.min() >= 0 and np.isclose(cams.max(axis=(1, 2)), 1).all()
    espresso = cnn.grad_cam(squeezenet, x[:1], "fire9_concat", class_index=967)
    assert not np.allclose(espresso[0], cams[0])
    with pytest.raises(KeyError, match="valid names"):
        cnn.grad_cam(squeezenet, x, "no_such_layer")


def test_overlay_heatmap_converts_opencv_bgr_to_rgb():
    photo = np.zeros((20, 30, 3), np.uint8)
    hot = cnn.overlay_heatmap(photo, np.ones((5, 5)), alpha=1.0)
    assert hot.shape == (20, 30, 3) and hot.dtype == np.uint8
    r, _, b = hot[10, 15]
    assert r > 100 and b < 50, "a hot spot must be red in RGB"


@pytest.fixture
def tiny_animals():
    full = images.load_animals()
    keep = np.concatenate([np.flatnonzero(full.y_train == c)[:20] for c in range(10)])
    return images.Animals(full.x_train[keep], full.y_train[keep], full.x_test[:50], full.y_test[:50],
                          full.class_names)


TINY = {"filters": [4, 4, 4], "dense": 8, "epochs": 1, "batch_size": 50, "learning_rate": 1e-3}


def test_small_cnn_is_cached_verified_and_rebuilt(cache_dir, tiny_animals):
    model, trained = cnn.get_or_train_small_cnn(tiny_animals, seed=0, config=TINY)
    assert trained
    path = cache_dir / "silhouette_cnn.keras"
    assert sorted(p.name for p in cache_dir.iterdir()) == ["silhouette_cnn.keras", "silhouette_cnn.keras.json"]
    again, trained_again = cnn.get_or_train_small_cnn(tiny_animals, seed=0, config=TINY)
    assert not trained_again
    x = tiny_animals.x_test[:5]
    assert np.allclose(model.predict_on_batch(x), again.predict_on_batch(x), atol=1e-6)
    # another configuration is a different key: retrain rather than trust the old entry
    _, retrained = cnn.get_or_train_small_cnn(tiny_animals, seed=0, config={**TINY, "dense": 9})
    assert retrained
    # a corrupted (half-written) payload is never read back
    path.write_bytes(path.read_bytes()[:100])
    _, rebuilt = cnn.get_or_train_small_cnn(tiny_animals, seed=0, config={**TINY, "dense": 9})
    assert rebuilt and cache.is_valid(path, cnn._cache_key(tiny_animals, {**TINY, "dense": 9}, 0))


def test_small_cnn_accepts_larger_canvas(tiny_animals):
    model = cnn.build_small_cnn(10, TINY)
    assert model.predict_on_batch(np.zeros((1, 56, 56, 1), np.float32)).shape == (1, 10)
    cams = cnn.grad_cam(model, tiny_animals.x_test[:3], "conv3")
    assert cams.shape == (3, 7, 7)
