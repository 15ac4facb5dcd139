"""Exercises of notebooks/06_correlated_features.ipynb.

The references call the course's helper (``explain.permutation_importance``, tested against scikit-learn
in tests/test_explain.py) on copies of the notebook's objects taken when the exercises load, and read the
notebook's drop-column table. The notebook prints neither answer before the exercises: the group (cp,
exang) is the learner's own computation."""

from __future__ import annotations

import numpy as np
from scipy import stats

from .. import explain
from .framework import Choice, CopyingTopic, Number, memoised

PAIR = ["cp", "exang"]


@memoised
def _drops(ctx, columns, n_repeats=100) -> np.ndarray:
    """Drop in held-out AUC, repeat by repeat, when ``columns`` are shuffled jointly (one group), by the
    course's helper. Remembered in ``ctx`` (a copy taken at load): the reference and the feedback need the
    same ones. Every call uses the same seed, so the same row orders: differences are paired by repeat."""
    result = explain.permutation_importance(ctx["forest"], ctx["X_test"], ctx["y_test"],
                                            groups={"group": list(columns)}, n_repeats=n_repeats,
                                            random_state=ctx["SEED"])
    return result.importances.loc["group"].to_numpy(dtype=float)


def _drop(ctx, columns, n_repeats=100) -> float:
    """Mean drop in held-out AUC when ``columns`` are shuffled jointly (one group)."""
    return float(_drops(ctx, tuple(columns), n_repeats).mean())


def _pair_explanation(ctx):
    joint = _drop(ctx, PAIR)
    alone = {c: _drop(ctx, [c]) for c in PAIR}
    total = sum(alone.values())
    excess = _drops(ctx, tuple(PAIR)) - sum(_drops(ctx, (c,)) for c in PAIR)  # paired, repeat by repeat
    se = excess.std(ddof=1) / np.sqrt(len(excess))
    return (f"Shuffled together, cp and exang cost {joint:.4f} AUC; one at a time they cost "
            f"{alone['cp']:.4f} and {alone['exang']:.4f}, which add up to {total:.4f}. The difference, "
            f"{joint - total:+.4f} ± {2 * se:.4f} (2 standard errors, paired over the same 100 shuffles), is "
            "what appears only when both are scrambled: single importances do not add up to a group's.")


def drop_interval(drop_row, level: float = 0.95) -> tuple[float, float, float]:
    """Mean and t interval over the seeds of one row of a drop-column table (one value per seed)."""
    values = np.asarray(drop_row, dtype=float)
    mean, se = values.mean(), values.std(ddof=1) / np.sqrt(len(values))
    half = stats.t.ppf(0.5 + level / 2, len(values) - 1) * se
    return float(mean), float(mean - half), float(mean + half)


def _thalach_statement(ctx):
    """Which statement the drop-column table supports. (c) when thalach's interval over the seeds contains
    0 (not distinguishable from no loss, which is not evidence of no loss) and the whole cluster clearly
    costs AUC; (b) when thalach's loss is clearly above 0; (d) when even the cluster's is not."""
    drop = ctx["drop"]
    _, low, high = drop_interval(drop.loc["thalach"])
    _, cluster_low, _ = drop_interval(drop.loc[ctx["cluster_name"]])
    if low > 0:
        return "b"
    return "c" if low <= 0 <= high and cluster_low > 0 else "d"


def _thalach_explanation(ctx):
    mean, low, high = drop_interval(ctx["drop"].loc["thalach"])
    return (f"Retrained without thalach the forest loses {mean:+.4f} AUC on average over "
            f"{ctx['drop'].shape[1]} seeds, 95% interval [{low:+.4f}, {high:+.4f}]: not distinguishable from "
            f"no loss, and not shown to be harmless either, since a loss of up to {high:.3f} is still "
            "allowed. Its information is shared, not absent: more patients, seeds or an equivalence test "
            "with a margin fixed in advance would be needed to call dropping it safe.")


# ---------------------------------------------------------------- questions
TOPIC = CopyingTopic(
    title="Correlated features",
    notebook="06_correlated_features",
    questions=[
        Number(
            name="grouped_importance",
            needs=("forest", "X_test", "y_test", "SEED"),
            reference=lambda ctx: _drop(ctx, PAIR),
            tolerance=1e-9,
            hint=("explain.permutation_importance(forest, X_test, y_test, "
                  "groups={'cp+exang': ['cp', 'exang']}, n_repeats=100, random_state=SEED), then .mean"),
            explanation=_pair_explanation,
            mistakes=[
                (lambda ctx: _drop(ctx, ["cp"]) + _drop(ctx, ["exang"]),
                 ("that is the sum of the two single-feature importances; the question shuffles both "
                  "columns with the same row order at once, and for correlated features the two differ")),
                (lambda ctx: _drop(ctx, ["cp"]), "that is cp alone; shuffle cp and exang together"),
                (lambda ctx: _drop(ctx, ["exang"]), "that is exang alone; shuffle cp and exang together"),
                (lambda ctx: _drop(ctx, PAIR, n_repeats=10),
                 "that is with 10 repeats; the question asks for 100"),
                (lambda ctx: _drop(ctx, ["age", "ca"]),
                 ("that is age and ca shuffled jointly (printed in section 3); the question asks for cp "
                  "and exang")),
            ],
        ),
        Choice(
            name="drop_thalach",
            needs=("drop", "cluster_name"),
            options=("a", "b", "c", "d"),
            reference=_thalach_statement,
            decision=True,
            hint=("look at the interval of thalach's drop-column importance over the seeds (section 5), and "
                  "recall what mean |SHAP| measures"),
            explanation=_thalach_explanation,
            why={
                "a": ("the forest does use thalach: its mean |SHAP| is among the five largest and shuffling "
                      "it moves the predictions"),
                "b": ("mean |SHAP| measures how much the prediction moves, not how much the score would "
                      "suffer; the forest retrained without thalach is not distinguishable from the full "
                      "one"),
                "d": ("the cluster's drop-column importance is clearly positive: the information is needed, "
                      "it is just available from more than one feature"),
            },
        ),
    ],
)
