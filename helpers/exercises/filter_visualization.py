"""Exercises of notebooks/11_filter_visualization.ipynb: telling an artefact from a pattern, how much more a
regularised image keeps, and what a planted filter licenses.

The notebook passes ``measures``, a copy (taken when the exercises load) of its checks' numbers: a DataFrame
indexed by unit label ("fire9 #40", ...) with columns ("kept", method) and ("high", method) for the methods
"plain", "robust" and "robust + Fourier". Nothing here runs the network (no TensorFlow or Keras): the
references are read from that copy.
"""

from __future__ import annotations

from .framework import Choice, Number, Topic

ARTEFACT_UNIT = "fire9 #40"
METHODS = ("plain", "robust", "robust + Fourier")


def _unit(ctx, label: str):
    measures = ctx["measures"]
    if label not in measures.index:
        raise KeyError(f"measures has no row {label!r}; its rows are {list(measures.index)}")
    return measures.loc[label]


def _artefact(ctx) -> str:
    """(c) when the plain image both keeps the smallest share and has the largest high-frequency share,
    the two checks that flag an artefact; (d) otherwise."""
    unit = _unit(ctx, ARTEFACT_UNIT)
    return "c" if unit["kept"].idxmin() == unit["high"].idxmax() == "plain" else "d"


def _facts(ctx) -> str:
    unit = _unit(ctx, ARTEFACT_UNIT)
    kept = ", ".join(f"{m} {unit['kept'][m]:.2f}" for m in METHODS)
    high = ", ".join(f"{m} {unit['high'][m]:.2f}" for m in METHODS)
    return f"kept share under unseen transformations: {kept}; share above half-Nyquist: {high}"


def _medians(ctx):
    return ctx["measures"]["kept"].median()


def _factor(ctx, method: str = "robust + Fourier", inverse: bool = False) -> float:
    median = _medians(ctx)
    ratio = float(median[method] / median["plain"])
    return 1 / ratio if inverse else ratio


TOPIC = Topic(
    title="filter visualization",
    notebook="11_filter_visualization",
    questions=[
        Choice(
            name="artefact",
            needs=("measures",),
            decision=True,
            options=("a", "b", "c", "d"),
            reference=_artefact,
            hint="An artefact exploits one exact alignment of the pixels with the network: look at what "
                 "happens when the image moves (check 1) and where its energy sits in frequency (check 2).",
            explanation=lambda ctx: (
                f"For {ARTEFACT_UNIT}: {_facts(ctx)}. The plain image keeps only "
                f"{_unit(ctx, ARTEFACT_UNIT)['kept']['plain']:.0%} of its score when it is shifted, scaled "
                f"or rotated, and {_unit(ctx, ARTEFACT_UNIT)['high']['plain']:.0%} of its energy sits above "
                "half-Nyquist: both checks that flag an artefact point at it. Its high score on itself does "
                "not count in its favour: it was optimised for exactly that image."),
            why=lambda ctx: {
                "a": "a high score on its own image is what an artefact achieves too: it says the optimiser "
                     "succeeded, not what it exploited",
                "b": "a lower score on its own image is the price of the priors; it keeps more of it "
                     f"when the image moves ({_facts(ctx)})",
                "c": f"check again: {_facts(ctx)}",
                "d": "check 3 says each image excites its unit more than the layer's other filters; an "
                     "artefact can do that too. Checks 1 and 2 separate them here",
            },
        ),
        Number(
            name="kept_factor",
            needs=("measures",),
            reference=_factor,
            relative=0.01,
            hint="measures['kept'].median() gives each method's median kept share over the eight units.",
            explanation=lambda ctx: (
                f"The median unit keeps {_medians(ctx)['robust + Fourier']:.2f} of its score with the "
                f"robust + Fourier image and {_medians(ctx)['plain']:.2f} with the plain one: "
                f"{_factor(ctx):.1f} times as much. The median, not the mean: plain ascent's kept shares "
                "can come near zero, which would swing a mean or a single unit's ratio."),
            mistakes=[(lambda ctx: _factor(ctx, inverse=True),
                       "that is plain divided by robust + Fourier: the question asks the other way round"),
                      (lambda ctx: _factor(ctx, method="robust"),
                       ("that is the robust image (without the Fourier parameterisation), not "
                        "robust + Fourier"))],
        ),
        Choice(
            name="planted_scope",
            needs=(),
            decision=True,
            options=("a", "b", "c", "d"),
            reference=lambda ctx: "d",
            hint="What was known in advance, and in which layer?",
            explanation="A known answer tests the method where the answer is known: a linear 3x3 filter "
                        "in the first layer. It does not show that a deep unit's picture is what the unit "
                        "detects in photos; that needs other evidence, such as the photos that excite the "
                        "unit most.",
            why={"a": "the known answer exists only for the planted conv1 filters; fire9's units are "
                      "nonlinear functions of a field wider than the image, with no known answer",
                 "b": "the check ran the robust + Fourier method only; it says nothing about plain ascent",
                 "c": "planting is what makes the answer known: the check can fail (plant the filters the "
                      "other way round and the angles swap), so passing it is evidence that the method "
                      "recovers orientation"},
        ),
    ],
)
