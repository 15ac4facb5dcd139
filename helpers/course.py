"""One call for every notebook's setup cell: seeds, plot style, and quiet, targeted warning filters.

Taught in notebooks/00_data_and_model.ipynb.
"""

from __future__ import annotations

import logging
import os
import random
import sys

import numpy as np

SEED = 0

#: One shared style, readable on a projector.
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


def quiet_known_noise() -> None:
    """Silence the known, harmless messages of the pinned libraries, each by category and module.

    Anything else still shows: a blanket ``filterwarnings("ignore")`` would hide real problems.
    TensorFlow's C++ start-up lines bypass Python; the kernel config in .ipython/ keeps them on the
    terminal instead of in the notebook.
    """
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
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
    """Seed everything, apply the course style and quiet known noise; return the seed to pass on."""
    import matplotlib as mpl

    quiet_known_noise()
    mpl.rcParams.update(STYLE)
    seed_everything(seed)
    return seed
