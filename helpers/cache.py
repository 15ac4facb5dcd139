"""Atomic, verified file caches.

A cache entry is a payload file plus a small JSON sidecar holding the payload's sha256 and the key it
was built for. Both are written to temporary files and moved into place with ``os.replace`` (atomic on
one file system), payload first, sidecar last: a reader that finds a sidecar finds the complete payload
it describes. Before use the payload is re-hashed; an entry with a missing or mismatched sidecar, a
different key or a wrong hash counts as absent and is rebuilt.
Taught in notebooks/10_intermediate_activations.ipynb.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path


def sha256_file(path: str | os.PathLike) -> str:
    """Hex sha256 of a file, read in chunks.

    Infrastructure (not taught in a notebook): the hash checks of ``data.load_heart`` and the caches.
    """
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _shown(path: Path) -> str:
    from .paths import ROOT

    try:
        return path.resolve().relative_to(ROOT).as_posix()
    except ValueError:
        return str(path)


def hash_mismatch_message(path: str | os.PathLike, got: str, expected: str) -> str:
    """Why ``path`` does not have the expected sha256, and what to do about it.

    The commonest cause on Windows is git converting line endings (``core.autocrlf=true``): when the
    file with CRLF turned back into LF has the expected hash, the message says so and how to fix it.

    Infrastructure (not taught in a notebook): the error message of every hash check.
    """
    path = Path(path)
    message = f"{path}: sha256 is {got}, expected {expected}"
    try:
        raw = path.read_bytes()
    except OSError:
        raw = b""
    if b"\r\n" in raw and hashlib.sha256(raw.replace(b"\r\n", b"\n")).hexdigest() == expected:
        return (f"{message}. The only difference is line endings: the file has Windows CRLF line endings, "
                "which git writes when core.autocrlf is true. The repository's .gitattributes keeps data "
                f"files byte-exact: delete the file and run `git checkout -- {_shown(path)}` (or clone again "
                "with `git clone -c core.autocrlf=false ...`).")
    return f"{message}; the file is corrupt or was replaced (rebuild it with `make data`)"


def verify_sha256(path: str | os.PathLike, expected: str) -> Path:
    """Raise a clear error unless ``path`` exists and has the expected sha256; return it as a Path.

    Infrastructure (not taught in a notebook): the hash checks of ``images`` and ``cnn``.
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"{path}: file not found (expected a file with sha256 {expected})")
    got = sha256_file(path)
    if got != expected:
        raise ValueError(hash_mismatch_message(path, got, expected))
    return path


def _sidecar(path: Path) -> Path:
    return path.with_name(path.name + ".json")


def is_valid(path: str | os.PathLike, key: str) -> bool:
    """True when ``path`` has a sidecar for ``key`` and its bytes match the recorded hash.

    Infrastructure (not taught in a notebook): the model caches of ``cnn``.
    """
    path = Path(path)
    try:
        meta = json.loads(_sidecar(path).read_text())
    except (OSError, ValueError):
        return False
    if not isinstance(meta, dict):  # e.g. a sidecar holding [], null or 42: not ours, rebuild
        return False
    return meta.get("key") == key and path.is_file() and sha256_file(path) == meta.get("sha256")


def write_atomic(path: str | os.PathLike, key: str, writer: Callable[[Path], None]) -> Path:
    """Call ``writer(tmp_path)`` to produce the payload, then move payload and sidecar into place.

    If ``writer`` raises, nothing is left behind and any previous entry is untouched.

    Infrastructure (not taught in a notebook): the model caches of ``cnn``.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}-", suffix=path.suffix)
    os.close(fd)
    tmp, tmp_meta = Path(tmp_name), None
    try:
        writer(tmp)
        meta = json.dumps({"key": key, "sha256": sha256_file(tmp)}, indent=1)
        fd, tmp_meta_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}-", suffix=".json")
        tmp_meta = Path(tmp_meta_name)
        with os.fdopen(fd, "w") as fh:
            fh.write(meta)
        _sidecar(path).unlink(missing_ok=True)  # an old sidecar must never describe the new payload
        os.replace(tmp, path)
        os.replace(tmp_meta, _sidecar(path))
    finally:
        tmp.unlink(missing_ok=True)
        if tmp_meta is not None:
            tmp_meta.unlink(missing_ok=True)
    return path


def load_or_make(name: str, key: str, make: Callable[[], object], load: Callable[[Path], object],
                 what: str = "model", stacklevel: int = 3):
    """``(thing, made)``: ``load(path)`` of the entry ``name`` in the first cache folder holding a valid one
    for ``key`` (``made`` False), or ``make()``, then written atomically to the writable cache folder
    with the thing's own ``save(path)`` (``made`` True). When the folder cannot be written the thing
    stays in memory, with a warning naming ``what`` could not be saved (``stacklevel`` as for
    ``warnings.warn``, counted from this function: 3 points at the caller's caller).

    Infrastructure (not taught in a notebook): the trained networks of ``cnn`` and ``adversarial``.
    """
    import warnings

    from . import paths

    for folder in paths.cache_dirs():
        if is_valid(folder / name, key):
            return load(folder / name), False
    thing = make()
    folder = paths.cache_dir()
    if folder is not None:
        try:
            write_atomic(folder / name, key, lambda tmp: thing.save(tmp))
        except OSError as exc:
            warnings.warn(f"could not save the {what} to {folder / name} ({exc}); it stays in memory for "
                          "this session and is made again next time", stacklevel=stacklevel)
    return thing, True
