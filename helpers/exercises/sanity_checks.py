"""Exercises of notebooks/14_sanity_checks.ipynb: which map to distrust after randomizing the output layer,
and what the data-randomization test allows when it is read at equal data.

The references call the helpers (``attribution.randomized_copy``, ``sanity.silhouette_maps``) on copies of the
notebook's objects taken when the exercises are loaded, or read the notebook's verdict table (a copy). No
TensorFlow/Keras import here: the network is only passed on to the helpers."""

from __future__ import annotations

from helpers import attribution, sanity

from .framework import Choice, Name, Topic

METHODS = sanity.METHODS


# ---------------------------------------------------------------- 1. which map survives the output layer
def _signed_similarity_after_output_layer(ctx) -> dict[str, float]:
    randomized = attribution.randomized_copy(ctx["small"], ["logits"], random_state=ctx["seed"] + 5)
    after = sanity.silhouette_maps(randomized, ctx["silhouettes"][1:2], ctx["labels"][1:2],
                                   seed=ctx["seed"])[0]
    before = ctx["original"][1]
    return {m: attribution.rank_similarity(attribution.signed_map(before[m]),
                                           attribution.signed_map(after[m])) for m in METHODS}


def _least_changed(ctx) -> str:
    sims = _signed_similarity_after_output_layer(ctx)
    return max(sims, key=sims.get)


# ---------------------------------------------------------------- 2. reading the data test at equal data
def _data_claims(ctx) -> dict[str, bool]:
    verdict = ctx["data_verdict"]["verdict"].unstack("measure")[["rank signed", "rank |map|"]]
    both = (verdict == "passes").all(axis=1)  # with signed and with magnitude maps
    return {
        "a": bool(both["Integrated Gradients"]),
        "b": bool(both["Guided Backprop"]),
        "c": False,  # deletion curves: faithfulness to one model, not whether the model learned anything
        "d": bool(both["Gradient"] and both["Grad-CAM"]),
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
        "b": (f"Guided Backprop's signed maps stay alike ({gbp:.2f}) whether the network learned the classes "
              "or memorised noise from the same images: it cannot tell the two apart"),
        "c": ("a deletion curve checks that a map is faithful to one network; a memorising network has "
              "faithful maps too. Only the randomization tests compare two networks"),
    }


def _data_explanation(ctx) -> str:
    table = ctx["data_verdict"]
    close = [m for m in ("Gradient", "Grad-CAM") if "borderline" in table
             and table.loc[(m, ["rank signed", "rank |map|"]), "borderline"].any()]
    note = f"; borderline for {' and '.join(close)}" if close else ""
    return ("Gradient and Grad-CAM passed with both measures when only the labels changed (same 1,000 "
            "silhouettes, same epochs, same start)" + note + ": their maps depend on what the network "
            "learned from its labels, which is what you need to catch a network that learned the wrong "
            "thing.")


_SIGNED_CHANGED = ("with magnitude maps it would look unchanged, because it multiplies by the silhouette; "
                   "the question compares signed maps, which changed")

TOPIC = Topic(
    title="Sanity checks: model and data randomization",
    notebook="14_sanity_checks",
    questions=[
        Name(
            name="least_changed",
            needs=("small", "silhouettes", "labels", "original", "seed"),
            reference=_least_changed,
            valid=METHODS,
            decision=True,
            hint="Build attribution.randomized_copy(small, ['logits'], random_state=SEED + 5), run "
                 "sanity.silhouette_maps(randomized, silhouettes[1:2], labels[1:2], seed=SEED), and compare "
                 "each signed map with original[1] using attribution.rank_similarity.",
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
                 "maps, when the shuffled-label network is compared with the control trained on the same "
                 "images.",
            explanation=_data_explanation,
        ),
    ],
)
