"""Every workaround for a particular version of a library, in one place.

Each workaround names the version it was written for (``WRITTEN_FOR``, the versions pinned in
requirements.txt). Importing this module checks the installed versions against them, from the packages'
metadata (nothing heavy is imported): a different version gets a warning that names the workaround to
re-check, because a workaround may stop being needed, or stop working, when a library changes.

- **pdpbox 0.3** prints a fixed line on every call and draws a ``tqdm.auto`` progress bar that a saved
  notebook keeps as "0%| | 0/10": ``quiet_pdpbox()``.
- **dice-ml 0.12** draws a one-step progress bar for every query: ``quiet_dice()``.
- **eli5 0.16** imports Keras, and with it TensorFlow (about 5 s and several hundred MB), only to offer its
  Keras explainers: ``eli5_without_keras()`` (used by ``helpers.fast_eli5``).
- **matplotlib 3.10** has no hook that sees every saved figure, so the course wraps
  ``FigureCanvasBase.print_figure`` to stamp each PNG or JPEG figure with its text layout:
  ``stamp_figures(stamp)``.

Used by helpers.course (pdpbox, matplotlib), helpers.glassbox (DiCE) and helpers.fast_eli5 (eli5).
"""

from __future__ import annotations

import contextlib
import io
import sys
import warnings
from collections.abc import Callable, Iterator
from importlib import metadata

#: distribution -> (version prefix the workarounds were written for, the workarounds concerned)
WRITTEN_FOR: dict[str, tuple[str, str]] = {
    "PDPbox": ("0.3.", "compat.quiet_pdpbox (pdpbox's printed line and progress bar)"),
    "dice-ml": ("0.12", "compat.quiet_dice (DiCE's progress bar)"),
    "eli5": ("0.16.", "compat.eli5_without_keras (eli5 importing Keras)"),
    "matplotlib": ("3.10.", "compat.stamp_figures (the wrapped FigureCanvasBase.print_figure)"),
}


def version_mismatches() -> dict[str, str]:
    """The installed libraries whose version differs from the one their workaround was written for:
    {distribution: message}. A library that is not installed is not a mismatch (its workaround is unused).
    Infrastructure (not taught in a notebook):
    a library-version workaround (helpers.compat), used by the notebooks' setup."""
    found = {}
    for dist, (prefix, workaround) in WRITTEN_FOR.items():
        try:
            installed = metadata.version(dist)
        except metadata.PackageNotFoundError:
            continue
        if not installed.startswith(prefix):
            found[dist] = (f"{dist} {installed} is installed, but {workaround} was written for {dist} "
                           f"{prefix}x (requirements.txt): check that the workaround is still needed and "
                           "works")
    return found


def check_versions() -> None:
    """Warn once per library whose installed version is not the one its workaround was written for.
    Infrastructure (not taught in a notebook):
    a library-version workaround (helpers.compat), used by the notebooks' setup."""
    for message in version_mismatches().values():
        warnings.warn(message, stacklevel=3)


check_versions()


# ---------------------------------------------------------------- printed lines
@contextlib.contextmanager
def without_lines(*known: str) -> Iterator[None]:
    """Run a block with its printed output passed through, except the exact lines given.

    For libraries that ``print`` a fixed line on every call (pdpbox: "obtain pred_func from the provided
    model."); any other output of the block, and any exception, still reaches the notebook.
    Infrastructure (not taught in a notebook):
    a library-version workaround (helpers.compat), used by the notebooks' setup."""
    buffer = io.StringIO()
    try:
        with contextlib.redirect_stdout(buffer):
            yield
    finally:
        for line in buffer.getvalue().splitlines(keepends=True):
            if line.strip() not in known:
                sys.stdout.write(line)


# ---------------------------------------------------------------- pdpbox 0.3
PDPBOX_LINE = "obtain pred_func from the provided model."


@contextlib.contextmanager
def quiet_pdpbox() -> Iterator[None]:
    """Run pdpbox calls without their two kinds of routine output, passing everything else through.

    pdpbox 0.3 prints ``PDPBOX_LINE`` on every call and draws a ``tqdm.auto`` progress bar, which a saved
    notebook keeps as a line of "0%|          | 0/10" that says nothing. tqdm's notebook bar ignores
    ``TQDM_DISABLE``, so for the duration of the block pdpbox's own ``tqdm`` name points at a disabled
    bar; it is restored afterwards, also when the block raises.
    Infrastructure (not taught in a notebook):
    a library-version workaround (helpers.compat), used by the notebooks' setup."""
    from functools import partial

    from pdpbox import pdp
    from tqdm import std

    original = pdp.tqdm
    pdp.tqdm = partial(std.tqdm, disable=True)
    try:
        with without_lines(PDPBOX_LINE):
            yield
    finally:
        pdp.tqdm = original


# ---------------------------------------------------------------- dice-ml 0.12
@contextlib.contextmanager
def quiet_dice() -> Iterator[None]:
    """DiCE calls without the one-step progress bar dice-ml 0.12 draws for every query (its
    ``explainer_base.tqdm`` is replaced by a pass-through for the block, and restored afterwards).
    Infrastructure (not taught in a notebook):
    a library-version workaround (helpers.compat), used by the notebooks' setup."""
    from unittest import mock

    from dice_ml.explainer_interfaces import explainer_base

    with mock.patch.object(explainer_base, "tqdm", lambda iterable, *a, **k: iterable):
        yield


# ---------------------------------------------------------------- eli5 0.16
def eli5_without_keras():
    """eli5, imported with Keras hidden (eli5 0.16 catches the ImportError and skips its Keras
    explainers), so that importing it does not load TensorFlow. Keras is importable again afterwards; if
    Keras or eli5 was imported before, nothing is hidden.
    Infrastructure (not taught in a notebook):
    a library-version workaround (helpers.compat), used by the notebooks' setup."""
    if "eli5" not in sys.modules and "keras" not in sys.modules:
        sys.modules["keras"] = None  # `import keras` now raises ImportError, which eli5 expects and catches
        try:
            import eli5
        finally:
            if sys.modules.get("keras", 0) is None:
                del sys.modules["keras"]
    import eli5

    return eli5


# ---------------------------------------------------------------- matplotlib 3.10
def stamp_figures(stamp: Callable[[object, dict], dict]) -> None:
    """Wrap matplotlib's ``FigureCanvasBase.print_figure`` (once per process) so that every PNG or JPEG it
    saves carries the entries ``stamp(figure, savefig_kwargs)`` returns: as PNG text chunks, or as the JPEG
    comment ``key=value`` (matplotlib 3.10 offers no hook that sees every saved figure: the inline backend
    of a notebook saves through this method).
    Infrastructure (not taught in a notebook):
    a library-version workaround (helpers.compat), used by the notebooks' setup."""
    from matplotlib.backend_bases import FigureCanvasBase

    if getattr(FigureCanvasBase.print_figure, "_course_stamped", False):
        return
    original = FigureCanvasBase.print_figure

    def print_figure(self, filename, *args, **kwargs):
        named = str(filename).rsplit(".", 1)[-1] if isinstance(filename, str) else "png"
        fmt = str(kwargs.get("format") or named).lower()
        if fmt in ("png", "jpg", "jpeg"):
            chunks = stamp(self.figure, kwargs)
            if chunks and fmt == "png":
                kwargs["metadata"] = {**(kwargs.get("metadata") or {}), **chunks}
            elif chunks:
                comment = ";".join(f"{k}={v}" for k, v in chunks.items()).encode()
                kwargs["pil_kwargs"] = {**(kwargs.get("pil_kwargs") or {}), "comment": comment}
        return original(self, filename, *args, **kwargs)

    print_figure._course_stamped = True
    FigureCanvasBase.print_figure = print_figure
