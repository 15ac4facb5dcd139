"""Exercises of notebooks/13_faithful_image_explanations.ipynb: insertion as deletion run backwards, and why
occlusion is not deletion.

The references call the helpers (the insertion curve itself, where the notebook's solution reverses a deletion
curve) on copies of the notebook's objects taken when the exercises are loaded. No TensorFlow/Keras import
here: the model is only passed on to ``helpers.attribution``."""

from __future__ import annotations

from helpers import attribution

from .framework import Choice, Number, Topic

STEPS, BLOCK = 10, 16


# ---------------------------------------------------------------- 1. insertion is deletion backwards
def _ig_importance(ctx):
    return attribution.signed_map(ctx["integrated"])


def _auc(ctx, curve, importance) -> float:
    return attribution.area_under(*curve(ctx["model"], ctx["x"], ctx["target"], importance, steps=STEPS,
                                         block=BLOCK))


def _insertion_auc(ctx):
    return _auc(ctx, attribution.insertion_curve, _ig_importance(ctx))


def _deletion_auc(ctx):
    return _auc(ctx, attribution.deletion_curve, _ig_importance(ctx))


def _abs_deletion_auc(ctx):
    return _auc(ctx, attribution.deletion_curve, -attribution.abs_map(ctx["integrated"]))


# ---------------------------------------------------------------- 2. occlusion is not deletion
def _occlusion_answer(ctx) -> str:
    return "c"  # a statement about the two procedures, true whatever the run's numbers


_OCCLUSION_WHY = {
    "a": ("they do not measure the same thing; they differ in what is covered and how: occlusion covers "
          "one 32-pixel square at a time and keeps each drop on its own, deletion removes 16-pixel squares "
          "one after another for good"),
    "b": "occlusion's squares here are 32 pixels wide (stride 32), the deletion curve's 16",
    "d": ("it is the other way round: occlusion records the drop of the class score (the logit), deletion "
          "the probability; and that is not the main difference: one square at a time against cumulative "
          "removal is"),
}

TOPIC = Topic(
    title="Is an image explanation faithful?",
    notebook="13_faithful_image_explanations",
    questions=[
        Number(
            name="insertion_by_deletion",
            needs=("model", "x", "target", "integrated"),
            reference=_insertion_auc,
            relative=1e-4,
            hint=("Putting squares back most important first gives the same images as deleting them least "
                  "important first, read from the other end: rank by minus the map. The trapezoid area does "
                  "not care which end you start from."),
            explanation=("Insertion and deletion are mirror images: the insertion curve in order o is the "
                         "deletion curve in the reverse of o, read backwards, and its area is the same "
                         "number, exactly up to floating point: the helpers round the number of squares at "
                         "each step so that the two mirror each other (the solution prints the difference). "
                         "That holds because insertion starts here from the same mean colour deletion fills "
                         "with; Petsiuk et al.'s insertion starts from a blurred photo, and would not."),
            mistakes=[
                (_deletion_auc, ("that is the deletion AUC of the map itself: the most important squares "
                                 "went first. Insertion corresponds to deleting the least important first "
                                 "(minus the map)")),
                (_abs_deletion_auc, ("that ranks the squares by the magnitude of IG; the question uses the "
                                     "signed map, whose sign says for or against espresso")),
            ],
        ),
        Choice(
            name="occlusion_is_not_deletion",
            needs=(),
            reference=_occlusion_answer,
            options=("a", "b", "c", "d"),
            why=_OCCLUSION_WHY,
            decision=True,
            hint="Compare the size of the squares and whether they stay covered: occlusion(patch=32, "
                 "stride=32) against deletion_curve(block=16).",
            explanation=("Occlusion asks what each 32-pixel square does on its own; deletion asks how fast "
                         "the score falls as 16-pixel squares are removed one after another. Occlusion's map "
                         "need not give the best deletion order; whether it did is an empirical question, "
                         "which the faithfulness table answers for this photo."),
        ),
    ],
)
