"""Exercises of notebooks/13_trusting_image_explanations.ipynb: insertion as deletion run backwards, which
map to distrust after randomizing the output layer, and what the data-randomization test allows.

Each reference is computed here, from the notebook's objects, by another route than the notebook's solution
cell where there is one (the insertion curve itself instead of a reversed deletion curve)."""

from __future__ import annotations

from helpers import attribution

from .framework import Choice, Name, Number, Topic

STEPS, BLOCK = 10, 16
METHODS = ["Gradient", "SmoothGrad", "Gradient ⊙ Input", "Integrated Gradients", "Guided Backprop",
           "Guided Grad-CAM", "Grad-CAM", "Occlusion", "LIME"]


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


# ---------------------------------------------------------------- 2. which map survives the output layer
def _signed_similarity_after_output_layer(ctx) -> dict[str, float]:
    randomized = attribution.randomized_copy(ctx["small"], ["logits"], random_state=ctx["seed"] + 5)
    after = ctx["explain"](randomized, ctx["silhouettes"][1:2], ctx["labels"][1:2])[0]
    before = ctx["original"][1]
    return {m: attribution.rank_similarity(attribution.signed_map(before[m]),
                                           attribution.signed_map(after[m])) for m in METHODS}


def _least_changed(ctx) -> str:
    sims = _signed_similarity_after_output_layer(ctx)
    return max(sims, key=sims.get)


# ---------------------------------------------------------------- 3. reading the data test
def _data_claims(ctx) -> dict[str, bool]:
    verdict = ctx["data_verdict"]["verdict"].unstack("measure")[["rank signed", "rank |map|"]]
    both = (verdict == "passes").all(axis=1)  # with signed and with magnitude maps
    return {
        "a": bool(both["Integrated Gradients"]),
        "b": bool(both["Gradient"] and both["Grad-CAM"]),
        "c": bool(both["Guided Backprop"]),
        "d": False,  # deletion curves: faithfulness to one model, not whether the model learned anything
    }


def _data_answer(ctx) -> str:
    true = [key for key, holds in _data_claims(ctx).items() if holds]
    if len(true) != 1:
        raise RuntimeError(f"the data-randomization results no longer single out one statement: {true}")
    return true[0]


def _data_why(ctx) -> dict[str, str]:
    table = ctx["data_verdict"]
    ig = table.loc[("Integrated Gradients", "rank |map|"), "similarity"]
    gbp = table.loc[("Guided Backprop", "rank signed"), "similarity"]
    return {
        "a": (f"Integrated Gradients' magnitude maps are alike for both networks ({ig:.2f}) because both are "
              "multiplied by the same silhouette: stable, but blind to what the network learned"),
        "c": (f"Guided Backprop's signed maps stay alike ({gbp:.2f}) whether the network learned the classes "
              "or memorised noise: it cannot tell the two apart"),
        "d": ("a deletion curve checks that a map is faithful to one network; a memorising network has "
              "faithful maps too. Only the randomization tests compare two networks"),
    }


_SIGNED_CHANGED = ("with magnitude maps it would look unchanged, because it multiplies by the silhouette; "
                   "the question compares signed maps, which changed")

TOPIC = Topic(
    title="When to trust an image explanation",
    notebook="13_trusting_image_explanations",
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
                         "each step so that the two mirror each other (the solution prints the difference)."),
            mistakes=[
                (_deletion_auc, ("that is the deletion AUC of the map itself: the most important squares "
                                 "went first. Insertion corresponds to deleting the least important first "
                                 "(minus the map)")),
                (_abs_deletion_auc, ("that ranks the squares by the magnitude of IG; the question uses the "
                                     "signed map, whose sign says for or against espresso")),
            ],
        ),
        Name(
            name="least_changed",
            needs=("small", "silhouettes", "labels", "original", "explain", "seed"),
            reference=_least_changed,
            valid=METHODS,
            decision=True,
            hint="Build attribution.randomized_copy(small, ['logits'], random_state=SEED + 5), run "
                 "silhouette_maps on silhouettes[1:2] and labels[1:2], and compare each signed map with "
                 "original[1] using attribution.rank_similarity.",
            explanation=("Guided Backpropagation's map barely moves when the output layer, the last of "
                         "the two layers that make the class decision, is random: it shows the silhouette's "
                         "edges as the lower layers see them, not the class decision, so it should not be "
                         "used to say why the network said 'elephant'."),
            mistakes=[
                ("Integrated Gradients", _SIGNED_CHANGED),
                ("Gradient ⊙ Input", _SIGNED_CHANGED),
                ("Guided Grad-CAM", ("it keeps much of Guided Backprop's picture, but less of it: the "
                                     "Grad-CAM factor it is multiplied by changes with the output layer")),
            ],
        ),
        Choice(
            name="data_test",
            needs=("data_verdict",),
            reference=_data_answer,
            options=("a", "b", "c", "d"),
            why=_data_why,
            decision=True,
            hint="Look at which methods pass the data-randomization test with both signed and magnitude "
                 "maps.",
            explanation=("Gradient and Grad-CAM changed when the labels were shuffled, with both measures: "
                         "their maps depend on what the network learned from its labels, which is what you "
                         "need to catch a network that learned the wrong thing."),
        ),
    ],
)
