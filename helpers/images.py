"""Images, the animal silhouettes and the ImageNet class names, loaded with clear errors.

Taught in notebooks/10_intermediate_activations.ipynb (silhouettes) and
notebooks/12_grad_cam.ipynb (photos).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from . import cache, paths

ANIMALS_FILE = "animal_shapes.npz"
ANIMALS_SHA256 = "64a157f3cb44a3bdbc958666255561c38a6bd869aadadb1518197aed79d383e6"
IMAGENET_FILE = "imagenet_classes.json"
IMAGENET_SHA256 = "bba02308898c30b403f8bddd841f84549ba5467b9eb15a4cea2b9f6a92542d16"
ANIMAL_CLASSES = ["bear", "bird", "cat", "cow", "dog", "elephant", "giraffe", "horse", "sheep", "zebra"]


#: File types ``course_image`` and ``load_image`` are meant for (compared case-insensitively).
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg"}


def course_image(name: str) -> Path:
    """Path of a photo shipped in images/ (``.png``, ``.jpg`` or ``.jpeg``, any case), with an error listing
    the photos when ``name`` is unknown. The name is matched exactly, then ignoring case.

    Used in notebooks/11_filter_visualization.ipynb, notebooks/12_grad_cam.ipynb and
    notebooks/13_faithful_image_explanations.ipynb.
    """
    available = sorted(p.name for p in paths.IMAGES_DIR.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES)
    if name in available:
        return paths.IMAGES_DIR / name
    folded = [n for n in available if n.lower() == str(name).strip().lower()]
    if len(folded) == 1:
        return paths.IMAGES_DIR / folded[0]
    raise FileNotFoundError(f"no photo {name!r} in {paths.IMAGES_DIR}; available: {available}")


def _size(size) -> tuple[int, int] | None:
    if size is None:
        return None
    if isinstance(size, (int, np.integer)) and not isinstance(size, bool):
        size = (size, size)
    try:
        width, height = (int(v) for v in size)
    except (TypeError, ValueError):
        raise ValueError(f"size must be (width, height) or one int for a square, got {size!r}") from None
    if min(width, height) < 1:
        raise ValueError(f"size must be (width, height) with positive values, got {size!r}")
    return width, height


def _to_rgb(img: Image.Image) -> Image.Image:
    """Convert any PIL mode to 8-bit RGB without losing the picture: 16-bit and 32-bit grey images are
    scaled down (PIL's own conversion would clip them to white), alpha is composited onto white."""
    if img.mode in ("I;16", "I;16L", "I;16B", "I;16N", "I"):
        arr = np.asarray(img, dtype=np.float64)
        if arr.size and (arr.min() < 0 or arr.max() > 65535):
            raise ValueError(f"integer pixel values span [{arr.min():g}, {arr.max():g}]; expected [0, 255] "
                             "or [0, 65535]: rescale the image before loading it")
        top = 65535.0 if img.mode.startswith("I;16") or arr.max() > 255 else 255.0
        return Image.fromarray(np.uint8(np.clip(np.round(arr / top * 255), 0, 255))).convert("RGB")
    if img.mode == "F":
        arr = np.asarray(img, dtype=np.float64)
        if arr.size and (not np.isfinite(arr).all() or arr.min() < 0 or arr.max() > 255):
            raise ValueError(f"floating-point pixel values span [{np.nanmin(arr):g}, {np.nanmax(arr):g}]; "
                             "expected [0, 1] or [0, 255] (finite): rescale the image before loading it, "
                             "rather than have it clipped")
        top = 1.0 if arr.max() <= 1.0 else 255.0
        return Image.fromarray(np.uint8(np.round(arr / top * 255))).convert("RGB")
    if img.mode in ("RGBA", "LA", "PA") or (img.mode == "P" and "transparency" in img.info):
        rgba = img.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(background, rgba).convert("RGB")
    return img.convert("RGB")


def load_image(path: str | Path, size=None) -> np.ndarray:
    """Read an image file as an RGB ``uint8`` array of shape (height, width, 3), the right way up.

    The EXIF orientation tag of camera photos is applied (a portrait photo is not loaded on its side);
    grey-scale, 16-bit and palette images are converted to RGB; an alpha channel is composited onto white.
    ``size`` = (width, height), or one int for a square, resizes with bilinear filtering. A missing file
    raises ``FileNotFoundError``; a file that is not an image, or is damaged or truncated, raises
    ``ValueError``; both name the path.

    Used in notebooks/11_filter_visualization.ipynb, notebooks/12_grad_cam.ipynb and
    notebooks/13_faithful_image_explanations.ipynb.
    """
    path = Path(path)
    target = _size(size)
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no such image file")
    try:
        with Image.open(path) as img:
            img.load()
            oriented = ImageOps.exif_transpose(img)
        try:
            img = _to_rgb(oriented)
        except ValueError as exc:  # pixel values out of any range we could read without clipping
            raise ValueError(f"{path}: {exc}") from None
    except UnidentifiedImageError as exc:
        raise ValueError(f"{path}: not an image file PIL can read (PNG, JPEG, ...)") from exc
    except (OSError, SyntaxError) as exc:  # truncated or corrupt (OSError; some PIL plugins: SyntaxError)
        raise ValueError(f"{path}: the image file is damaged or truncated ({exc})") from exc
    if target is not None:
        img = img.resize(target, Image.Resampling.BILINEAR)
    return np.asarray(img, dtype=np.uint8).copy()


@dataclass(frozen=True)
class Animals:
    """The 28x28 silhouettes as float32 in [0, 1] with a channel axis, split 80/20 by class.

    Returned by ``load_animals``; used in notebooks/10_intermediate_activations.ipynb.
    """

    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    class_names: list[str]


def load_animals(path: str | Path | None = None, *, random_state: int = 0) -> Animals:
    """Load and hash-check ``data/animal_shapes.npz``; return a stratified 80/20 split chosen by
    ``random_state`` (keyword-only).

    Used from notebooks/10_intermediate_activations.ipynb on.
    """
    if path is not None and not isinstance(path, (str, Path)):
        raise TypeError(f"path must be a file path, got {path!r}; to choose the split, pass random_state=...")
    path = Path(path) if path is not None else paths.DATA_DIR / ANIMALS_FILE
    cache.verify_sha256(path, ANIMALS_SHA256)
    with np.load(path, allow_pickle=False) as npz:
        images, labels = npz["images"], npz["labels"].astype(np.int64)
        names = [str(n) for n in npz["class_names"]]
    if names != ANIMAL_CLASSES or images.shape != (10000, 28, 28):
        raise ValueError(f"{path}: unexpected content {images.shape}, classes {names}")
    rng = np.random.default_rng(random_state)
    test = np.zeros(len(labels), dtype=bool)
    for c in range(len(names)):
        idx = np.flatnonzero(labels == c)
        test[rng.choice(idx, size=len(idx) // 5, replace=False)] = True
    x = (images.astype(np.float32) / 255.0)[..., None]
    return Animals(x[~test], labels[~test], x[test], labels[test], names)


def imagenet_classes() -> list[str]:
    """The 1000 ImageNet class names in model-output order (WordNet synonyms, e.g. 'tabby, tabby cat').

    Used in notebooks/12_grad_cam.ipynb and notebooks/13_faithful_image_explanations.ipynb.
    """
    path = cache.verify_sha256(paths.DATA_DIR / IMAGENET_FILE, IMAGENET_SHA256)
    names = json.loads(path.read_text())
    if len(names) != 1000:
        raise ValueError(f"{path}: expected 1000 class names, found {len(names)}")
    return names


# ---------------------------------------------------------------- notebook 12: pasting a silhouette
def paste(silhouette, top: int, left: int, size: int = 56) -> np.ndarray:
    """A blank ``size`` x ``size`` canvas (float32, the silhouette's channels) with ``silhouette``
    (H, W, C) pasted with its top-left corner at (``top``, ``left``); a ValueError if it does not fit.
    Used in notebooks/12_grad_cam.ipynb."""
    s = np.asarray(silhouette, dtype=np.float32)
    if s.ndim != 3:
        raise ValueError(f"expected one silhouette of shape (H, W, C), got shape {s.shape}")
    if s.size == 0 or not np.isfinite(s).all():
        raise ValueError(f"the silhouette must be a non-empty image of finite values, got shape {s.shape}")
    if not all(isinstance(v, int | np.integer) for v in (top, left, size)):
        raise ValueError(f"top, left and size are whole numbers of pixels, got {top!r}, {left!r}, {size!r}")
    h, w = s.shape[:2]
    if not (0 <= top <= size - h and 0 <= left <= size - w):
        raise ValueError(f"a {h} x {w} silhouette at ({top}, {left}) does not fit a {size} x {size} canvas")
    canvas = np.zeros((size, size, s.shape[-1]), np.float32)
    canvas[top: top + h, left: left + w] = s
    return canvas
