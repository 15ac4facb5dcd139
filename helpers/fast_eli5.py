"""eli5 without its Keras explainers: ``from helpers.fast_eli5 import eli5``.

eli5 0.16 imports Keras when it is installed, and with it TensorFlow (about 5 s and several hundred MB),
only to offer explainers for Keras models. This course explains its Keras models with its own code
(notebooks 10-13), so notebooks 01 and 05 import eli5 through this module: Keras is hidden for the
duration of the import, eli5 catches the ImportError itself and skips that part, and everything else
(``eli5.show_weights``, ``eli5.sklearn.PermutationImportance``) is unchanged. Keras is importable again
afterwards; if it was imported before, nothing is hidden.
"""

from __future__ import annotations

import sys

if "eli5" not in sys.modules and "keras" not in sys.modules:
    sys.modules["keras"] = None  # `import keras` now raises ImportError, which eli5 expects and catches
    try:
        import eli5
    finally:
        if sys.modules.get("keras", 0) is None:
            del sys.modules["keras"]

import eli5  # already imported above; this binds the name (also when Keras was loaded first)

__all__ = ["eli5"]
