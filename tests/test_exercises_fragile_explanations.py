"""The fragile_explanations exercises on stand-in measurements (the notebook's own values, copied as plain
numbers): the right answers pass, every wrong option says why, and a run that no longer singles out one
option raises instead of naming a wrong one. The module must not load TensorFlow or Keras."""

import subprocess
import sys

import pytest

from helpers import exercises
from helpers.exercises import Incorrect

OVERLAPS = {"Gradient": 0.013, "SmoothGrad": 0.597, "Integrated Gradients": 0.043, "Grad-CAM": 0.866}
RANDOM = {"Gradient": 0.158, "SmoothGrad": 0.476, "Integrated Gradients": 0.156, "Grad-CAM": 0.724}
SHARES = {"original": {"test accuracy": 0.963, "gradient share in the frame": 0.25,
                       "occlusion share in the frame": 0.13},
          "control (weight 0)": {"test accuracy": 0.970, "gradient share in the frame": 0.26,
                                 "occlusion share in the frame": 0.13},
          "fooled (weight 3)": {"test accuracy": 0.960, "gradient share in the frame": 0.66,
                                "occlusion share in the frame": 0.16}}


def load(**changes):
    ctx = {"overlaps": OVERLAPS, "random_overlaps": RANDOM, "fgsm_label_moved": True,
           "attack_label_kept": True, "shares": SHARES} | changes
    return exercises.load("fragile_explanations", **ctx)


@pytest.mark.parametrize("name,right", [("publish", "d"), ("label_check", "a"), ("fine_tuned", "b")])
def test_right_answers_pass_and_every_wrong_option_says_why(name, right, capsys):
    q = getattr(load(), name)
    assert q.reference == right
    for written in (right, right.upper(), f"({right})"):
        q.check(written)
        assert capsys.readouterr().out.startswith("Correct.")
    for wrong in set("abcd") - {right}:
        with pytest.raises(Incorrect, match="is not the best answer: ."):
            q.check(wrong)


def test_the_reference_follows_the_run():
    assert load(overlaps=OVERLAPS | {"SmoothGrad": 0.9}).publish.reference == "c"
    assert load(overlaps=OVERLAPS | {"Gradient": 0.95}).publish.reference == "a"


@pytest.mark.parametrize("changes", [{"fgsm_label_moved": False}, {"attack_label_kept": False},
                                     {"random_overlaps": RANDOM | {"Gradient": 0.01}}])
def test_label_check_refuses_a_run_that_no_longer_supports_it(changes):
    with pytest.raises(RuntimeError, match="needs rewriting"):
        load(**changes).label_check.check("a")


def test_fine_tuned_refuses_when_occlusion_follows_the_gradient():
    fooled = SHARES["fooled (weight 3)"] | {"occlusion share in the frame": 0.5}
    followed = {**SHARES, "fooled (weight 3)": fooled}
    with pytest.raises(RuntimeError, match="needs rewriting"):
        load(shares=followed).fine_tuned.check("b")


def test_the_module_does_not_import_tensorflow_or_keras():
    code = ("import sys, helpers.exercises.fragile_explanations; "
            "print(any(m in sys.modules for m in ('tensorflow', 'keras')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
