"""eli5 without its Keras explainers: ``from helpers.fast_eli5 import eli5``.

eli5 0.16 imports Keras when it is installed, and with it TensorFlow (about 5 s and several hundred MB),
only to offer explainers for Keras models. This course explains its Keras models with its own code
(notebooks 10-13), so notebooks 01 and 05 import eli5 through this module: Keras is hidden for the
duration of the import, eli5 catches the ImportError itself and skips that part, and everything else
(``eli5.show_weights``, ``eli5.sklearn.PermutationImportance``) is unchanged. Keras is importable again
afterwards; if it was imported before, nothing is hidden. The workaround itself, and the eli5 version it
was written for, are in helpers.compat.
"""

from __future__ import annotations

from .compat import eli5_without_keras

eli5 = eli5_without_keras()

__all__ = ["eli5"]
