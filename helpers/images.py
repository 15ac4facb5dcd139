"""Images, the animal silhouettes and the ImageNet class names, loaded with clear errors.

Taught in notebooks/10_intermediate_activations.ipynb (silhouettes) and
notebooks/12_grad_cam.ipynb (photos).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, UnidentifiedImageError

from . import cache, paths

ANIMALS_FILE = "animal_shapes.npz"
ANIMALS_SHA256 = "64a157f3cb44a3bdbc958666255561c38a6bd869aadadb1518197aed79d383e6"
IMAGENET_FILE = "imagenet_classes.json"
IMAGENET_SHA256 = "bba02308898c30b403f8bddd841f84549ba5467b9eb15a4cea2b9f6a92542d16"
ANIMAL_CLASSES = ["bear", "bird", "cat", "cow", "dog", "elephant", "giraffe", "horse", "sheep", "zebra"]


def course_image(name: str) -> Path:
    """Path of a photo shipped in images/, with an error listing the photos when ``name`` is unknown."""
    available = sorted(p.name for p in paths.IMAGES_DIR.iterdir() if p.suffix in {".png", ".jpg"})
    if name not in available:
        raise FileNotFoundError(f"no photo {name!r} in {paths.IMAGES_DIR}; available: {available}")
    return paths.IMAGES_DIR / name


def load_image(path: str | Path, size: tuple[int, int] | None = None) -> np.ndarray:
    """Read an image file as an RGB ``uint8`` array of shape (height, width, 3).

    Grayscale and palette images are converted to RGB; an alpha channel is composited onto white.
    ``size`` = (width, height) resizes with bilinear filtering. A missing file raises
    ``FileNotFoundError``; a file that is not an image raises ``ValueError``; both name the path.
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no such image file")
    try:
        with Image.open(path) as img:
            img.load()
            if img.mode in ("RGBA", "LA") or (img.mode == "P" and "transparency" in img.info):
                rgba = img.convert("RGBA")
                background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
                img = Image.alpha_composite(background, rgba)
            img = img.convert("RGB")
            if size is not None:
                if len(size) != 2 or min(size) < 1:
                    raise ValueError(f"size must be (width, height) with positive values, got {size}")
                img = img.resize(tuple(int(s) for s in size), Image.Resampling.BILINEAR)
            return np.asarray(img, dtype=np.uint8).copy()
    except UnidentifiedImageError as exc:
        raise ValueError(f"{path}: not an image file PIL can read (PNG, JPEG, ...)") from exc


@dataclass(frozen=True)
class Animals:
    """The 28x28 silhouettes as float32 in [0, 1] with a channel axis, split 80/20 by class."""

    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    class_names: list[str]


def load_animals(path: str | Path | None = None, random_state: int = 0) -> Animals:
    """Load and hash-check ``data/animal_shapes.npz``; return a stratified 80/20 split."""
    path = Path(path) if path is not None else paths.DATA_DIR / ANIMALS_FILE
    cache.verify_sha256(path, ANIMALS_SHA256)
    with np.load(path, allow_pickle=False) as npz:
        images, labels, names = npz["images"], npz["labels"].astype(np.int64), [str(n) for n in npz["class_names"]]
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
    """The 1000 ImageNet class names in model-output order (WordNet synonyms, e.g. 'tabby, tabby cat')."""
    path = cache.verify_sha256(paths.DATA_DIR / IMAGENET_FILE, IMAGENET_SHA256)
    names = json.loads(path.read_text())
    if len(names) != 1000:
        raise ValueError(f"{path}: expected 1000 class names, found {len(names)}")
    return names
