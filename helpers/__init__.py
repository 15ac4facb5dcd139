"""Helpers for the "Explaining ML models" course.

Import the modules explicitly, e.g. ``from helpers import data, models``. Each function's docstring
names the notebook where its idea is taught in full.

Importing this package sets TensorFlow's log level to warnings-and-errors for any TensorFlow imported
after it; ``course.setup()`` quiets TensorFlow's Python logger in any case.
"""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

__all__ = ["cache", "course", "data", "models", "paths"]
