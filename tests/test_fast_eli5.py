"""helpers.fast_eli5 imports eli5 without Keras/TensorFlow and leaves Keras importable (in a fresh
interpreter, because this test session may have imported either already)."""

import subprocess
import sys

from helpers.paths import ROOT

SCRIPT = """
import sys
from helpers.fast_eli5 import eli5
from eli5.sklearn import PermutationImportance
assert "tensorflow" not in sys.modules, "eli5 pulled in TensorFlow"
assert callable(eli5.show_weights) and PermutationImportance.__name__ == "PermutationImportance"
import keras
print("ok", keras.__version__)
"""


def test_eli5_is_imported_without_tensorflow_and_keras_still_imports_afterwards():
    done = subprocess.run([sys.executable, "-c", SCRIPT], check=False, cwd=ROOT, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.startswith("ok ")
