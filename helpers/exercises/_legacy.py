"""Exercises with checkers, in the manner of Kaggle Learn: ``check()``, ``hint()`` and ``solution()``.

Each notebook after 00 ends with a few exercises. Load them with the notebook's objects::

    from helpers import exercises
    ex = exercises.load("01", model=forest, X_test=X_test, y_test=y_test)
    ex.q1.check(answer)   # prints "Correct" or raises Incorrect with what is wrong
    ex.q1.hint()
    ex.q1.solution()

``check(None)`` only reminds you to answer, so a learner's untouched exercise cell runs cleanly; the
notebooks' solution cells (tagged ``solution``, removed by ``make exercises``) call ``check`` with a real
answer, so CI fails if a solution stops being correct.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

import numpy as np
import pandas as pd


class Incorrect(AssertionError):
    """The answer given to ``check()`` is not correct; the message says why."""


@dataclass
class Exercise:
    question: str
    hint_text: str
    solution_text: str
    reference: Callable[[dict], Any]  # computes the expected answer from the notebook's objects
    compare: Callable[[Any, Any], str | None]  # returns None when correct, else what is wrong
    context: dict = field(default_factory=dict)

    def check(self, answer) -> None:
        if answer is None:
            print("Not answered yet: replace None with your answer, then run the cell again.")
            return
        problem = self.compare(answer, self.reference(self.context))
        if problem:
            raise Incorrect(f"Incorrect: {problem}  (ex.qN.hint() gives a hint)")
        print("Correct")

    def hint(self) -> None:
        print("Hint:", self.hint_text)

    def solution(self) -> None:
        print("Solution:\n" + self.solution_text)


# ---------------------------------------------------------------- comparisons
def same_value(tol: float):
    def compare(answer, expected):
        try:
            value = float(answer)
        except (TypeError, ValueError):
            return f"expected a number, got {type(answer).__name__} {answer!r}"
        if not math.isclose(value, float(expected), abs_tol=tol):
            return f"{value:.4g} is not the expected value (tolerance {tol:g}); check the settings asked for"
        return None

    return compare


def same_name(answer, expected):
    if not isinstance(answer, str):
        return f"expected a feature or class name as a string, got {type(answer).__name__}"
    if answer != expected:
        return f"{answer!r} is not the right name"
    return None


def same_set(answer, expected):
    try:
        got = set(answer)
    except TypeError:
        return f"expected a collection of names, got {type(answer).__name__}"
    if got != set(expected):
        missing, extra = sorted(set(expected) - got), sorted(got - set(expected))
        return f"missing {len(missing)} expected item(s), {len(extra)} unexpected: {extra}"
    return None


def same_exact(answer, expected):
    if isinstance(expected, tuple):
        answer = tuple(answer) if isinstance(answer, (list, tuple)) else answer
    if answer != expected:
        return f"{answer!r} is not right"
    return None


def same_series(tol: float):
    def compare(answer, expected):
        if not isinstance(answer, pd.Series):
            return f"expected a pandas Series indexed by feature name, got {type(answer).__name__}"
        if set(answer.index) != set(expected.index):
            return "the index must be the model's feature names"
        if not np.allclose(answer.reindex(expected.index).to_numpy(float), expected.to_numpy(float), atol=tol):
            return "the values differ from the expected ones"
        return None

    return compare


def cell_within(tol: int):
    def compare(answer, expected):
        try:
            r, c = (int(v) for v in answer)
        except (TypeError, ValueError):
            return "expected a (row, column) pair"
        if abs(r - expected[0]) > tol or abs(c - expected[1]) > tol:
            return f"({r}, {c}) is not where the heatmap peaks"
        return None

    return compare


# ---------------------------------------------------------------- the exercises, by notebook
def _nb01(ctx):
    from sklearn.inspection import permutation_importance

    def top_by_accuracy(c):
        r = permutation_importance(c["model"], c["X_test"], c["y_test"], scoring="accuracy", n_repeats=10,
                                   random_state=0)
        return c["X_test"].columns[int(np.argmax(r.importances_mean))]

    return {
        "q1": Exercise(
            "Which feature has the largest held-out permutation importance when the score is accuracy instead "
            "of ROC AUC (scikit-learn, n_repeats=10, random_state=0)? Answer with its name.",
            "permutation_importance(forest, X_test, y_test, scoring='accuracy', ...); take the argmax of "
            "importances_mean.",
            "r = permutation_importance(forest, X_test, y_test, scoring='accuracy', n_repeats=10, random_state=0)\n"
            "answer_1 = X_test.columns[r.importances_mean.argmax()]",
            top_by_accuracy, same_name, ctx),
        "q2": Exercise(
            "Return the forest's impurity importance as a pandas Series indexed by feature name.",
            "The fitted forest has an attribute ending in an underscore.",
            "answer_2 = pd.Series(forest.feature_importances_, index=X_test.columns)",
            lambda c: pd.Series(c["model"].feature_importances_, index=c["X_test"].columns),
            same_series(1e-9), ctx),
    }


def _nb02(ctx):
    from sklearn.inspection import partial_dependence

    def pd_at_150(c):
        return partial_dependence(c["model"], c["X_train"], ["thalach"], custom_values={"thalach": [150.0]},
                                  kind="average")["average"][0][0]

    def share_rising(c):
        ice = partial_dependence(c["model"], c["X_train"], ["oldpeak"], kind="individual")["individual"][0]
        return float((ice[:, -1] > ice[:, 0]).mean())

    return {
        "q1": Exercise(
            "What is the forest's partial dependence (average predicted probability of disease over the "
            "training patients) at thalach = 150?",
            "scikit-learn's partial_dependence accepts custom_values={'thalach': [150.0]}.",
            "answer_1 = partial_dependence(forest, X_train, ['thalach'], custom_values={'thalach': [150.0]},\n"
            "                              kind='average')['average'][0][0]",
            pd_at_150, same_value(1e-6), ctx),
        "q2": Exercise(
            "With scikit-learn's default grid, what share of the training patients' ICE lines for oldpeak end "
            "higher than they start?",
            "kind='individual' returns one line per patient; compare the last grid value with the first.",
            "ice = partial_dependence(forest, X_train, ['oldpeak'], kind='individual')['individual'][0]\n"
            "answer_2 = (ice[:, -1] > ice[:, 0]).mean()",
            share_rising, same_value(0.005), ctx),
    }


def _nb03(ctx):
    import shap

    def values(c):
        return shap.TreeExplainer(c["model"]).shap_values(c["X_test"])[:, :, 1]

    return {
        "q1": Exercise(
            "What is the SHAP value of `ca` for the disease class, for the first patient of the test set (row 0)?",
            "shap_values has shape (rows, features, classes): index row 0, the column of 'ca', class 1.",
            "sv = shap.TreeExplainer(forest).shap_values(X_test)\n"
            "answer_1 = sv[0, X_test.columns.get_loc('ca'), 1]",
            lambda c: values(c)[0, c["X_test"].columns.get_loc("ca")], same_value(1e-6), ctx),
        "q2": Exercise(
            "Which feature has the largest mean |SHAP| (disease class) over the test patients?",
            "Take np.abs of the class-1 values, average over rows, then the argmax.",
            "sv = shap.TreeExplainer(forest).shap_values(X_test)[:, :, 1]\n"
            "answer_2 = X_test.columns[np.abs(sv).mean(axis=0).argmax()]",
            lambda c: c["X_test"].columns[int(np.abs(values(c)).mean(axis=0).argmax())], same_name, ctx),
    }


def _nb04(ctx):
    def explanation(c):
        from ..explain import lime_explainer, proba_of_frame

        explainer = lime_explainer(c["X_train"], random_state=0)
        return explainer.explain_instance(c["X_test"].to_numpy()[0], proba_of_frame(c["model"], c["X_train"].columns),
                                          num_features=5, num_samples=5000)

    return {
        "q1": Exercise(
            "Explain test row 0 with a LimeTabularExplainer built like the notebook's but with random_state=0 "
            "(num_features=5, num_samples=5000). What is the local surrogate's R² (its score)?",
            "Build the explainer with random_state=0, call explain_instance, read .score.",
            "explainer0 = explain.lime_explainer(X_train, random_state=0)\n"
            "exp0 = explainer0.explain_instance(X_test.to_numpy()[0], predict_proba, num_features=5, num_samples=5000)\n"
            "answer_1 = exp0.score",
            lambda c: explanation(c).score, same_value(0.02), ctx),
        "q2": Exercise(
            "Which five features does that explanation use? Answer with their names (any order).",
            "explanation.as_map()[1] holds (feature index, weight) pairs for the disease class.",
            "answer_2 = {features[i] for i, _ in exp0.as_map()[1]}",
            lambda c: {c["X_train"].columns[i] for i, _ in explanation(c).as_map()[1]}, same_set, ctx),
    }


def _nb05(ctx):
    from ..data import KAGGLE_CODES

    return {
        "q1": Exercise(
            "Using the notebook's `scores` table, what is the Spearman rank correlation between the "
            "scikit-learn permutation importance and the mean |SHAP| columns?",
            "explain.rank_agreement(a, b)['spearman'], or scores.corr(method='spearman').",
            "answer_1 = scores['sklearn permutation'].corr(scores['mean |SHAP|'], method='spearman')",
            lambda c: c["scores"]["sklearn permutation"].corr(c["scores"]["mean |SHAP|"], method="spearman"),
            same_value(1e-6), ctx),
        "q2": Exercise(
            "In the Kaggle coding, which code does a UCI 'reversible defect' thallium result (thal = 7) get?",
            "Look at data.KAGGLE_CODES['thal'].",
            "answer_2 = data.KAGGLE_CODES['thal'][7]",
            lambda c: KAGGLE_CODES["thal"][7], same_exact, ctx),
    }


def _nb10(ctx):
    return {
        "q1": Exercise(
            "How many feature maps (channels) does the layer `conv2` of the small CNN produce?",
            "model.get_layer('conv2').output.shape, last axis.",
            "answer_1 = model.get_layer('conv2').output.shape[-1]",
            lambda c: int(c["model"].get_layer("conv2").output.shape[-1]), same_exact, ctx),
        "q2": Exercise(
            "What is the shape of `pool2`'s output for one 28x28 silhouette? Answer with a tuple.",
            "Use the activation model on one image, or reason: two 2x2 poolings of a 28x28 map.",
            "answer_2 = maps['pool2'].shape",
            lambda c: (1, 7, 7, int(c["model"].get_layer("pool2").output.shape[-1])), same_exact, ctx),
    }


def _nb11(ctx):
    def shape(c):
        import keras

        extractor = keras.Model(c["model"].input, c["model"].get_layer("fire4_expand3x3").output)
        return tuple(extractor.predict_on_batch(np.zeros((1, 96, 96, 3), np.float32)).shape)

    return {
        "q1": Exercise(
            "How many convolution layers does SqueezeNet v1.1 have?",
            "cnn.layer_names(model, kind='conv').",
            "answer_1 = len(cnn.layer_names(model, kind='conv'))",
            lambda c: len([layer for layer in c["model"].layers if layer.__class__.__name__ == "Conv2D"]),
            same_exact, ctx),
        "q2": Exercise(
            "What is the shape of `fire4_expand3x3`'s output for one 96x96 image (the size the notebook "
            "optimises)? Answer with a tuple.",
            "Build keras.Model(model.input, layer.output) and run it on np.zeros((1, 96, 96, 3)).",
            "extractor = keras.Model(model.input, model.get_layer('fire4_expand3x3').output)\n"
            "answer_2 = tuple(extractor.predict_on_batch(np.zeros((1, 96, 96, 3), 'float32')).shape)",
            shape, same_exact, ctx),
    }


def _nb12(ctx):
    from .. import attribution, cnn, images

    def coffee_peak(c):
        photo = images.load_image(images.course_image("coffee.png"), size=(227, 227))
        cam = attribution.grad_cam(c["model"], cnn.preprocess_caffe(photo[None]), "fire9_concat")[0]
        return np.unravel_index(int(cam.argmax()), cam.shape)

    def hopper_top(c):
        photo = images.load_image(images.course_image("grace_hopper.jpg"), size=(227, 227))
        probs = c["model"].predict_on_batch(cnn.preprocess_caffe(photo[None]))[0]
        return c["class_names"][int(probs.argmax())].split(",")[0]

    return {
        "q1": Exercise(
            "Compute Grad-CAM at `fire9_concat` for the coffee photo's top class. At which (row, column) of "
            "the 13x13 map is it largest?",
            "attribution.grad_cam(model, batch, 'fire9_concat') explains the top class; np.unravel_index(argmax).",
            "photo = images.load_image(images.course_image('coffee.png'), size=(227, 227))\n"
            "cam = attribution.grad_cam(model, cnn.preprocess_caffe(photo[None]), 'fire9_concat')[0]\n"
            "answer_1 = np.unravel_index(cam.argmax(), cam.shape)",
            coffee_peak, cell_within(1), ctx),
        "q2": Exercise(
            "What is SqueezeNet's top class for grace_hopper.jpg (the short name, before the first comma)?",
            "cnn.top_predictions(probs, class_names, k=1).",
            "photo = images.load_image(images.course_image('grace_hopper.jpg'), size=(227, 227))\n"
            "answer_2 = cnn.top_predictions(model.predict_on_batch(cnn.preprocess_caffe(photo[None]))[0],\n"
            "                               class_names, k=1)[0][1]",
            hopper_top, same_name, ctx),
    }


def _nb13(ctx):
    from .. import attribution as saliency

    def random_auc(c):
        f, p = saliency.random_deletion_curve(c["model"], c["x"], c["target"], steps=20, block=16, random_state=123)
        return saliency.area_under(f, p)

    def ig_error(c):
        total = saliency.integrated_gradients(c["model"], c["x"], c["target"], steps=64).sum()
        scores = saliency.class_scores(c["model"], np.stack([c["x"], np.zeros_like(c["x"])]), c["target"])
        return abs(total - (scores[0] - scores[1])) / abs(scores[0] - scores[1])

    return {
        "q1": Exercise(
            "What is the deletion AUC of a random order with random_state=123 (20 steps, 16x16 squares)?",
            "saliency.deletion_curve(model, x, target, None, ..., random_state=123), then saliency.area_under.",
            "f, p = saliency.deletion_curve(model, x, target, None, steps=20, block=16, random_state=123)\n"
            "answer_1 = saliency.area_under(f, p)",
            random_auc, same_value(1e-4), ctx),
        "q2": Exercise(
            "With 64 integration steps, what is Integrated Gradients' relative completeness error "
            "|sum of attributions - (score(photo) - score(baseline))| / |score(photo) - score(baseline)|?",
            "integrated_gradients(..., steps=64, return_attributions=True).sum(); compare with `gap`.",
            "total = saliency.integrated_gradients(model, x, target, steps=64, return_attributions=True).sum()\n"
            "answer_2 = abs(total - gap) / abs(gap)",
            ig_error, same_value(0.002), ctx),
    }


_NOTEBOOKS = {"01": _nb01, "02": _nb02, "03": _nb03, "04": _nb04, "05": _nb05, "10": _nb10, "11": _nb11,
              "12": _nb12, "13": _nb13}


def load(notebook: str, **context) -> SimpleNamespace:
    """The exercises of ``notebook`` ("01", "02", ...), bound to the notebook's objects."""
    if notebook not in _NOTEBOOKS:
        raise KeyError(f"no exercises for notebook {notebook!r}; notebooks with exercises: {sorted(_NOTEBOOKS)}")
    return SimpleNamespace(**_NOTEBOOKS[notebook](context))
