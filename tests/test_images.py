import json

import numpy as np
import pytest
from PIL import Image

from helpers import images, paths


def test_load_image_rgb_and_resize():
    img = images.load_image(images.course_image("chelsea_cat.png"))
    assert img.dtype == np.uint8 and img.ndim == 3 and img.shape[2] == 3
    small = images.load_image(images.course_image("chelsea_cat.png"), size=(50, 40))
    assert small.shape == (40, 50, 3)


def test_grayscale_is_converted(tmp_path):
    path = tmp_path / "gray.png"
    Image.fromarray(np.full((10, 12), 77, dtype=np.uint8), mode="L").save(path)
    img = images.load_image(path)
    assert img.shape == (10, 12, 3) and (img == 77).all()


def test_rgba_is_composited_on_white(tmp_path):
    path = tmp_path / "rgba.png"
    rgba = np.zeros((4, 4, 4), dtype=np.uint8)
    rgba[..., 0] = 255  # red, fully transparent except one pixel
    rgba[0, 0, 3] = 255
    Image.fromarray(rgba, mode="RGBA").save(path)
    img = images.load_image(path)
    assert img.shape == (4, 4, 3)
    assert tuple(img[0, 0]) == (255, 0, 0) and tuple(img[1, 1]) == (255, 255, 255)


def test_missing_file_names_the_path(tmp_path):
    with pytest.raises(FileNotFoundError, match="nope.png: no such image file"):
        images.load_image(tmp_path / "nope.png")


def test_not_an_image_names_the_path(tmp_path):
    path = tmp_path / "notes.png"
    path.write_text("this is text, not pixels")
    with pytest.raises(ValueError, match="notes.png: not an image file"):
        images.load_image(path)


def test_bad_size(tmp_path):
    with pytest.raises(ValueError, match="size must be"):
        images.load_image(images.course_image("coffee.png"), size=(0, 10))


def test_unknown_course_image_lists_available():
    with pytest.raises(FileNotFoundError, match=r"available: \['astronaut.png'"):
        images.course_image("elephant.jpg")


def test_load_animals_split_is_stratified_and_deterministic():
    a = images.load_animals(random_state=0)
    assert a.x_train.shape == (8000, 28, 28, 1) and a.x_test.shape == (2000, 28, 28, 1)
    assert a.x_train.dtype == np.float32 and 0 <= a.x_train.min() and a.x_train.max() <= 1
    assert np.bincount(a.y_test).tolist() == [200] * 10
    assert a.class_names == images.ANIMAL_CLASSES
    b = images.load_animals(random_state=0)
    assert np.array_equal(a.y_test, b.y_test) and np.array_equal(a.x_test, b.x_test)


def test_load_animals_refuses_a_wrong_file(tmp_path):
    path = tmp_path / "animals.npz"
    np.savez(path, images=np.zeros((1, 28, 28), np.uint8))
    with pytest.raises(ValueError, match="animals.npz: sha256 is"):
        images.load_animals(path)


def test_imagenet_classes():
    names = images.imagenet_classes()
    assert len(names) == 1000 and names[285] == "Egyptian cat" and names[967] == "espresso"
    assert json.loads((paths.DATA_DIR / images.IMAGENET_FILE).read_text()) == names
