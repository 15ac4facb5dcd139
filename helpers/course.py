"""One call for every notebook's setup cell: seeds, plot style, and quiet logs.

``setup()`` seeds Python, NumPy and (when imported) Keras/TensorFlow, applies the course's plot style
(larger in projector mode) and lowers the log level of the libraries whose INFO lines would otherwise
fill the notebooks. It does not touch Python's warning filters: every warning still shows.
Taught in notebooks/00_data_and_model.ipynb.
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


def quiet_logs() -> None:
    """Lower the log level of the libraries that print routine INFO lines; warnings and errors still show.

    TensorFlow's C++ start-up lines ("oneDNN custom operations are on", "failed call to cuInit") are
    written straight to the process's stderr before any of this applies; the course's Jupyter kernel
    ("Python (explaining-ml)", installed by ``make``) keeps them on the terminal, out of the notebook.
    """
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # TensorFlow's C++ INFO/WARNING lines, where honoured
    logging.getLogger("tensorflow").setLevel(logging.ERROR)
    logging.getLogger("absl").setLevel(logging.ERROR)
    for name in ("PyALE", "PyALE._ALE_generic"):  # "Continuous feature detected." on every call
        logging.getLogger(name).setLevel(logging.WARNING)
    # pdpbox asks for Arial, which Linux machines rarely have; matplotlib falls back to DejaVu Sans
    logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)


def seed_everything(seed: int = SEED) -> None:
    """Seed Python, NumPy and (when it is imported) Keras/TensorFlow, with deterministic TF ops."""
    random.seed(seed)
    np.random.seed(seed)
    if "keras" in sys.modules or "tensorflow" in sys.modules:
        import keras
        import tensorflow as tf

        keras.utils.set_random_seed(seed)
        tf.config.experimental.enable_op_determinism()


def setup(seed: int = SEED) -> int:
    """Seed everything, apply the course style and quiet routine logs; return the seed to pass on."""
    import matplotlib as mpl

    quiet_logs()
    mpl.rcParams.update(STYLE)
    seed_everything(seed)
    return seed


@contextlib.contextmanager
def without_lines(*known: str) -> Iterator[None]:
    """Run a block with its printed output passed through, except the exact lines given.

    For libraries that ``print`` a fixed line on every call (pdpbox: "obtain pred_func from the provided
    model."); any other output of the block, and any exception, still reaches the notebook.
    """
    buffer = io.StringIO()
    try:
        with contextlib.redirect_stdout(buffer):
            yield
    finally:
        for line in buffer.getvalue().splitlines(keepends=True):
            if line.strip() not in known:
                sys.stdout.write(line)
