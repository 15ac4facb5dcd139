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


def test_16bit_png_keeps_its_picture_instead_of_loading_all_white(tmp_path):
    path = tmp_path / "gray16.png"
    ramp = np.linspace(0, 65535, 32 * 32).reshape(32, 32).astype(np.uint16)
    Image.fromarray(ramp).save(path)
    img = images.load_image(path)
    assert img.min() == 0 and img.max() == 255 and 100 < img.mean() < 155, "the ramp must survive"
    assert np.all(np.diff(img[:, :, 0].ravel().astype(int)) >= 0), "and stay a ramp"


def test_jpeg_with_exif_orientation_loads_upright(tmp_path):
    """A camera stores a portrait photo sideways plus an EXIF tag saying how to turn it."""
    upright = images.load_image(images.course_image("grace_hopper.jpg"))
    stored_sideways = Image.fromarray(upright).transpose(Image.Transpose.ROTATE_90)  # as the camera wrote it
    exif = stored_sideways.getexif()
    exif[0x0112] = 6  # orientation 6: rotate 90 degrees clockwise to display
    path = tmp_path / "portrait.jpg"
    stored_sideways.save(path, exif=exif, quality=95)
    loaded = images.load_image(path)
    assert loaded.shape == upright.shape
    assert np.abs(loaded.astype(int) - upright.astype(int)).mean() < 8, "turned back upright"


def test_truncated_png_names_the_path(tmp_path):
    raw = images.course_image("coffee.png").read_bytes()
    path = tmp_path / "cut.png"
    path.write_bytes(raw[: len(raw) // 2])
    with pytest.raises(ValueError, match=r"cut\.png: the image file is damaged or truncated"):
        images.load_image(path)


def test_size_as_one_int_means_a_square():
    assert images.load_image(images.course_image("coffee.png"), size=227).shape == (227, 227, 3)
    with pytest.raises(ValueError, match="size must be"):
        images.load_image(images.course_image("coffee.png"), size="big")


def test_course_image_finds_jpeg_and_upper_case_suffixes(tmp_path, monkeypatch):
    for name in ("a.jpeg", "B.PNG", "c.JPG", "notes.txt"):
        (tmp_path / name).write_bytes(b"")
    monkeypatch.setattr(images.paths, "IMAGES_DIR", tmp_path)
    assert images.course_image("a.jpeg").name == "a.jpeg"
    assert images.course_image("B.PNG").name == "B.PNG"
    assert images.course_image("b.png").name == "B.PNG", "case-insensitive when unambiguous"
    with pytest.raises(FileNotFoundError, match=r"available: \['B.PNG', 'a.jpeg', 'c.JPG'\]"):
        images.course_image("notes.txt")


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


def test_paste_puts_the_silhouette_at_its_corner_on_a_blank_canvas():
    silhouette = np.arange(28 * 28, dtype=np.float32).reshape(28, 28, 1) + 1
    canvas = images.paste(silhouette, top=28, left=0)
    assert canvas.shape == (56, 56, 1) and canvas.dtype == np.float32
    assert np.array_equal(canvas[28:, :28], silhouette)
    assert canvas.sum() == silhouette.sum()  # nothing anywhere else
    with pytest.raises(ValueError, match="does not fit"):
        images.paste(silhouette, top=29, left=0)


@pytest.mark.parametrize("silhouette, top, match", [
    (np.zeros((0, 0, 1)), 0, "non-empty image of finite values"),  # was a blank canvas
    (np.full((4, 4, 1), np.nan), 0, "non-empty image of finite values"),
    (np.ones((4, 4, 1)), 2.5, "whole numbers of pixels"),  # "slice indices must be integers"
])
def test_paste_refuses_an_empty_or_nan_silhouette_and_a_fractional_corner(silhouette, top, match):
    with pytest.raises(ValueError, match=match):
        images.paste(silhouette, top, 0)
