"""One call for every notebook's setup cell: seeds, plot style, and quiet logs.

``setup()`` seeds Python, NumPy and (when imported) Keras/TensorFlow, applies the course's plot style
and lowers the log level of the libraries whose INFO lines would otherwise fill the notebooks. It does
not touch Python's warning filters: every warning still shows.

**Projector mode** (the environment variable ``COURSE_PROJECTOR=1``, set by ``make course PROJECTOR=1``
and ``make lab PROJECTOR=1``) raises every figure and table font size for a room. In both modes each
figure is stamped with the layout of its text (``helpers.layout``: smallest size in pixels, overlapping
text, text outside the image), which the site's browser test turns into what a viewer sees at 1024 px.
Taught in notebooks/00_data_and_model.ipynb.
"""

from __future__ import annotations

import logging
import os
import random
import sys

import numpy as np

from . import compat, layout

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
    # room between axes, their labels and legends placed outside them (constrained layout): at 17-pt
    # text the default 3 pt left legend frames touching x labels and titles
    "figure.constrained_layout.h_pad": 0.1,
    "figure.constrained_layout.w_pad": 0.1,
}
PROJECTOR_ENV = "COURSE_PROJECTOR"
TEXT_KEY = layout.TEXT_KEY


def projector_mode() -> bool:
    """True when the notebooks run for a projector (``COURSE_PROJECTOR=1``).

    Infrastructure (not taught in a notebook): read by ``setup`` in every notebook.
    """
    return os.environ.get(PROJECTOR_ENV, "") == "1"


def _stamp_figures_with_their_text_layout() -> None:
    """Make every saved PNG or JPEG figure record its text layout (once per process; the matplotlib hook
    is a version workaround, in helpers.compat)."""

    def stamp(figure, kwargs) -> dict:
        found = layout.text_layout(figure, kwargs.get("bbox_inches"), kwargs.get("pad_inches"),
                                   kwargs.get("dpi"))
        return {TEXT_KEY: found.to_json()}

    compat.stamp_figures(stamp)


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
        _larger_tables()
    _stamp_figures_with_their_text_layout()
    seed_everything(seed)
    return seed


# pdpbox's printed line and progress bar are a version workaround: helpers.compat, re-exported here for
# the notebooks (``course.quiet_pdpbox()``)
without_lines = compat.without_lines
PDPBOX_LINE = compat.PDPBOX_LINE
quiet_pdpbox = compat.quiet_pdpbox
