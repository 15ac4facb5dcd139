"""One call for every notebook's setup cell: seeds, plot style, and quiet logs.

``setup()`` seeds Python, NumPy and (when imported) Keras/TensorFlow, applies the course's plot style
and lowers the log level of the libraries whose INFO lines would otherwise fill the notebooks. It does
not touch Python's warning filters: every warning still shows.

**Projector mode** (the environment variable ``COURSE_PROJECTOR=1``, set by ``make course PROJECTOR=1``
and ``make lab PROJECTOR=1``) raises every figure and table font size for a room, and stamps each PNG
figure with the size of its smallest text in pixels (PNG text chunk ``course:min_font_px``), which the
site's browser test turns into the size a viewer sees. Taught in notebooks/00_data_and_model.ipynb.
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import random
import sys
from collections.abc import Iterator

import numpy as np

SEED = 0

#: One shared style, readable on a laptop screen.
STYLE = {
    "figure.figsize": (8, 4.5),
    "figure.dpi": 100,
    "savefig.dpi": 100,
    "font.size": 12,
    "axes.titlesize": 13,
    "axes.labelsize": 12,
    "legend.fontsize": 11,
    "xtick.labelsize": 11,
    "ytick.labelsize": 11,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "image.cmap": "viridis",
}


#: Projector mode: text sizes in points (at 100 dpi, 1 pt = 1.39 px in the figure image).
PROJECTOR_STYLE = {
    "font.size": 17,
    "axes.titlesize": 18,
    "axes.labelsize": 17,
    "legend.fontsize": 16,
    "xtick.labelsize": 16,
    "ytick.labelsize": 16,
    "figure.titlesize": 19,
}
PROJECTOR_ENV = "COURSE_PROJECTOR"
MIN_FONT_KEY = "course:min_font_px"


def projector_mode() -> bool:
    """True when the notebooks run for a projector (``COURSE_PROJECTOR=1``).

    Infrastructure (not taught in a notebook): read by ``setup`` in every notebook.
    """
    return os.environ.get(PROJECTOR_ENV, "") == "1"


def smallest_text_px(fig, dpi: float | None = None) -> float | None:
    """The height in pixels, in the saved image, of the smallest visible, non-empty text of ``fig``.

    Infrastructure (not taught in a notebook): the legibility guard that ``setup`` installs in every notebook.
    """
    from matplotlib.text import Text

    dpi = fig.dpi if dpi in (None, "figure") else float(dpi)
    sizes = [t.get_fontsize() for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]
    return min(sizes) * dpi / 72 if sizes else None


def _stamp_figures_with_their_smallest_text() -> None:
    """Wrap matplotlib's ``print_figure`` so every PNG records its smallest text size (once per process)."""
    from matplotlib.backend_bases import FigureCanvasBase

    if getattr(FigureCanvasBase.print_figure, "_course_stamped", False):
        return
    original = FigureCanvasBase.print_figure

    def print_figure(self, filename, *args, **kwargs):
        named = str(filename).rsplit(".", 1)[-1] if isinstance(filename, str) else "png"
        fmt = kwargs.get("format") or named
        if str(fmt).lower() == "png":
            px = smallest_text_px(self.figure, kwargs.get("dpi"))
            if px is not None:
                kwargs["metadata"] = {**(kwargs.get("metadata") or {}), MIN_FONT_KEY: f"{px:.2f}"}
        return original(self, filename, *args, **kwargs)

    print_figure._course_stamped = True
    FigureCanvasBase.print_figure = print_figure


def _larger_tables() -> None:
    """In a notebook, make pandas tables as large as the projector's figure text."""
    try:
        from IPython import get_ipython
        from IPython.display import HTML, display
    except ImportError:
        return
    if get_ipython() is not None:
        display(HTML("<style>.jp-RenderedHTMLCommon table, .rendered_html table "
                     "{font-size: 17px !important;}</style>"))


def quiet_logs() -> None:
    """Lower the log level of the libraries that print routine INFO lines; warnings and errors still show.

    TensorFlow's C++ start-up lines ("oneDNN custom operations are on", "failed call to cuInit") are
    written straight to the process's stderr before any of this applies; the course's Jupyter kernel
    ("Python (explaining-ml)", installed by ``make``) keeps them on the terminal, out of the notebook.

    Infrastructure (not taught in a notebook): called by ``setup`` in every notebook.
    """
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # TensorFlow's C++ INFO/WARNING lines, where honoured
    logging.getLogger("tensorflow").setLevel(logging.ERROR)
    logging.getLogger("absl").setLevel(logging.ERROR)
    for name in ("PyALE", "PyALE._ALE_generic"):  # "Continuous feature detected." on every call
        logging.getLogger(name).setLevel(logging.WARNING)
    # pdpbox asks for Arial, which Linux machines rarely have; matplotlib falls back to DejaVu Sans
    logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)


def seed_everything(seed: int = SEED) -> None:
    """Seed Python, NumPy and (when it is imported) Keras/TensorFlow, with deterministic TF ops.

    Infrastructure (not taught in a notebook): called by ``setup`` in every notebook and by ``cnn``'s
    training.
    """
    random.seed(seed)
    np.random.seed(seed)
    if "keras" in sys.modules or "tensorflow" in sys.modules:
        import keras
        import tensorflow as tf

        keras.utils.set_random_seed(seed)
        tf.config.experimental.enable_op_determinism()


def setup(seed: int = SEED) -> int:
    """Seed everything, apply the course style (projector style when ``COURSE_PROJECTOR=1``) and quiet
    routine logs; return the seed to pass on.

    The setup cell of every notebook; its conventions are explained in notebooks/00_data_and_model.ipynb.
    """
    import matplotlib as mpl

    quiet_logs()
    mpl.rcParams.update(STYLE)
    if projector_mode():
        mpl.rcParams.update(PROJECTOR_STYLE)
        _stamp_figures_with_their_smallest_text()
        _larger_tables()
    seed_everything(seed)
    return seed


@contextlib.contextmanager
def without_lines(*known: str) -> Iterator[None]:
    """Run a block with its printed output passed through, except the exact lines given.

    For libraries that ``print`` a fixed line on every call (pdpbox: "obtain pred_func from the provided
    model."); any other output of the block, and any exception, still reaches the notebook.

    Infrastructure (not taught in a notebook): used by ``quiet_pdpbox``.
    """
    buffer = io.StringIO()
    try:
        with contextlib.redirect_stdout(buffer):
            yield
    finally:
        for line in buffer.getvalue().splitlines(keepends=True):
            if line.strip() not in known:
                sys.stdout.write(line)


PDPBOX_LINE = "obtain pred_func from the provided model."


@contextlib.contextmanager
def quiet_pdpbox() -> Iterator[None]:
    """Run pdpbox calls without their two kinds of routine output, passing everything else through.

    pdpbox 0.3 prints ``PDPBOX_LINE`` on every call and draws a ``tqdm.auto`` progress bar, which a saved
    notebook keeps as a line of "0%|          | 0/10" that says nothing. tqdm's notebook bar ignores
    ``TQDM_DISABLE``, so for the duration of the block pdpbox's own ``tqdm`` name points at a disabled
    bar; it is restored afterwards, also when the block raises.

    Used in notebooks/02_partial_dependence.ipynb (explained in its setup section).
    """
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
