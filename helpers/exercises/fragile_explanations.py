"""Exercises of notebooks/21_adversarial_examples_and_fragile_explanations.ipynb: which map kept most of its
top pixels under the attack, whether a label check catches the attacks, and what the fine-tuned network's
maps support.

The notebook passes plain copies of its measurements (floats and booleans, taken when the exercises load);
each reference is a choice computed from them, so it follows the run and refuses to answer when the run no
longer singles out one option. No TensorFlow or Keras here."""

from __future__ import annotations

from .framework import Choice, Topic

LETTERS = {"Gradient": "a", "Integrated Gradients": "b", "SmoothGrad": "c", "Grad-CAM": "d"}
FOOLED, CONTROL, ORIGINAL = "fooled (weight 3)", "control (weight 0)", "original"


# ---------------------------------------------------------------- 1. the map that kept most
def _publish(ctx) -> str:
    overlaps = ctx["overlaps"]
    missing = sorted(set(LETTERS) - set(overlaps))
    if missing:
        raise KeyError(f"overlaps lacks {missing}")
    return LETTERS[max(LETTERS, key=lambda m: overlaps[m])]


def _publish_why(ctx) -> dict[str, str]:
    o = {m: f"{ctx['overlaps'][m]:.2f}" for m in LETTERS}
    return {
        "a": f"the attack was aimed at the plain gradient, which kept {o['Gradient']} of its top-1000",
        "b": (f"Integrated Gradients kept {o['Integrated Gradients']} of its top-1000; compare it with the "
              "other three in the table"),
        "c": f"SmoothGrad kept {o['SmoothGrad']}; compare it with the other three in the table",
        "d": f"Grad-CAM kept {o['Grad-CAM']}; compare it with the other three in the table",
    }


# ---------------------------------------------------------------- 2. a label check
def _label_check(ctx) -> str:
    fragile = ctx["overlaps"]["Gradient"] < ctx["random_overlaps"]["Gradient"]
    if ctx["fgsm_label_moved"] and ctx["attack_label_kept"] and fragile:
        return "a"
    raise RuntimeError("the run no longer shows FGSM moving the label and the top-k attack keeping it "
                       "while moving the map more than noise: the question needs rewriting")


def _label_why(ctx) -> dict[str, str]:
    attack, noise = ctx["overlaps"]["Gradient"], ctx["random_overlaps"]["Gradient"]
    return {
        "c": "the top-k attack kept the label (it only counts steps that do) and still moved the map",
        "b": "it is the other way round: FGSM changed the label, the top-k attack kept it",
        "d": (f"random noise of the same size left {noise:.2f} of the gradient's top-1000 in place, the "
              f"attack {attack:.2f}: the attack moved it much further"),
    }


# ---------------------------------------------------------------- 3. the fine-tuned network
def _shares(ctx):
    s = ctx["shares"]
    return {name: s[name] for name in (ORIGINAL, CONTROL, FOOLED)}


def _fine_tuned(ctx) -> str:
    s = _shares(ctx)
    gradient = s[FOOLED]["gradient share in the frame"] - s[CONTROL]["gradient share in the frame"]
    occlusion = s[FOOLED]["occlusion share in the frame"] - s[CONTROL]["occlusion share in the frame"]
    accuracy = s[FOOLED]["test accuracy"] - s[CONTROL]["test accuracy"]
    if gradient > 0.2 and occlusion < gradient / 2 and abs(accuracy) < 0.03:
        return "b"
    raise RuntimeError("the run no longer shows the gradient map moving to the frame with the accuracy "
                       "kept and occlusion moving much less: the question needs rewriting")


def _fine_tuned_why(ctx) -> dict[str, str]:
    s = _shares(ctx)
    g = {n: f"{v['gradient share in the frame']:.2f}" for n, v in s.items()}
    o = {n: f"{v['occlusion share in the frame']:.2f}" for n, v in s.items()}
    return {
        "a": (f"occlusion, which measures what covering a place costs, put {o[FOOLED]} of its map in the "
              f"frame (control {o[CONTROL]}), while the gradient put {g[FOOLED]} there (control "
              f"{g[CONTROL]})"),
        "c": ("the accuracy stayed, but the gradient maps moved: equal accuracy says nothing about "
              "the explanations"),
        "d": f"the control's gradient share in the frame is {g[CONTROL]}, the fooled network's {g[FOOLED]}",
    }


TOPIC = Topic(
    title="Adversarial examples and fragile image explanations",
    notebook="21_adversarial_examples_and_fragile_explanations",
    questions=[
        Choice(
            name="publish",
            needs=("overlaps",),
            reference=_publish,
            options=("a", "b", "c", "d"),
            why=_publish_why,
            decision=True,
            hint="Read the 'top-k overlap, attack' column of the table: the largest value kept the most.",
            explanation=lambda ctx: (
                f"{next(m for m, k in LETTERS.items() if k == _publish(ctx))} kept the largest share of its "
                "top-1000 pixels under this attack, which was aimed at the plain gradient. It is one photo "
                "and one attack, not a recommendation: Grad-CAM's top pixels are a few of 13 x 13 cells, "
                "random noise left it much of them too, and an attacker aiming at a map could do better."),
        ),
        Choice(
            name="label_check",
            needs=("overlaps", "random_overlaps", "fgsm_label_moved", "attack_label_kept"),
            reference=_label_check,
            options=("a", "b", "c", "d"),
            why=_label_why,
            hint="Which attack changed SqueezeNet's label, and which one only counted steps that kept it?",
            explanation=("FGSM changes the label, so a label check catches it; the top-k attack is built to "
                         "keep the label, so the check passes while the gradient map has moved."),
        ),
        Choice(
            name="fine_tuned",
            needs=("shares",),
            reference=_fine_tuned,
            options=("a", "b", "c", "d"),
            why=_fine_tuned_why,
            decision=True,
            hint="Compare the fooled network with the control: how far did the gradient's share in the frame "
                 "move, and how far did occlusion's?",
            explanation=("The penalty moved the gradient map, which it was computed from; occlusion, which "
                         "it never saw, moved much less, so the network still decides mostly from the "
                         "silhouette. Checking a map against a method of another kind is what exposed it."),
        ),
    ],
)
