"""Every checker accepts the right answer and rejects typical wrong ones; the notebooks' solution cells
(executed by nbval) check that the written solutions produce the right answers."""

import numpy as np
import pandas as pd
import pytest

from helpers import cnn, images, models
from helpers.exercises import _legacy as exercises


@pytest.fixture(scope="module")
def bundle():
    return models.heart_forest()


@pytest.fixture(scope="module")
def squeezenet():
    return cnn.build_squeezenet()


def contexts(name, bundle, squeezenet=None):
    tab = {"model": bundle.forest, "X_train": bundle.X_train, "X_test": bundle.X_test,
           "y_test": bundle.y_test}
    if name in {"01", "02", "03", "04"}:
        return tab
    if name == "05":
        scores = pd.DataFrame({"sklearn permutation": np.arange(13.0),
                               "mean |SHAP|": np.arange(13.0)[::-1] ** 2},
                              index=bundle.feature_names)
        return {"scores": scores}
    if name == "10":
        return {"model": cnn.build_small_cnn()}
    if name == "11":  # notebook 11 builds the network for any input size
        return {"model": cnn.build_squeezenet(size=None)}
    if name == "12":
        return {"model": squeezenet, "class_names": images.imagenet_classes()}
    photo = images.load_image(images.course_image("coffee.png"), size=(227, 227))
    return {"model": squeezenet, "x": cnn.preprocess_caffe(photo), "target": 967}


def wrong_answers(name, key, right, ctx):
    """Typical mistakes for each exercise."""
    if isinstance(right, str):
        return [right.upper() + "_x", "age" if right != "age" else "sex", 3]
    if name == "03" and key == "q1":  # the class-index trap: class 0 instead of class 1
        import shap

        sv = shap.TreeExplainer(ctx["model"]).shap_values(ctx["X_test"])
        return [sv[0, ctx["X_test"].columns.get_loc("ca"), 0], "ca"]
    if isinstance(right, pd.Series):
        return [right.to_numpy(), right * 2, right.rename(lambda s: s.upper())]
    if isinstance(right, set):
        return [set(list(right)[:-1]), right | {"noise"}, 5]
    if isinstance(right, tuple) and name == "12":
        return [((right[0] + 5) % 13, (right[1] + 5) % 13), "center"]
    if isinstance(right, tuple):
        return [right[1:], tuple(d * 2 for d in right)]
    if name == "13" and key == "q2":
        return [right * 100, right + 0.05]
    return [right + 0.1 + abs(right), "a number", right * -3 - 1]


CASES = [(nb, key) for nb in ["01", "02", "03", "04", "05", "10", "11", "12", "13"] for key in ("q1", "q2")]


@pytest.mark.parametrize("nb,key", CASES, ids=[f"{nb}-{key}" for nb, key in CASES])
def test_checker_accepts_right_and_rejects_wrong(nb, key, bundle, squeezenet, capsys):
    ctx = contexts(nb, bundle, squeezenet)
    ex = getattr(exercises.load(nb, **ctx), key)
    right = ex.reference(ctx)
    ex.check(right)
    assert capsys.readouterr().out.strip() == "Correct"
    for wrong in wrong_answers(nb, key, right, ctx):
        with pytest.raises(exercises.Incorrect, match="Incorrect"):
            ex.check(wrong)


def test_unanswered_reminds_and_helpers_print(bundle, capsys):
    ex = exercises.load("01", model=bundle.forest, X_test=bundle.X_test, y_test=bundle.y_test)
    ex.q1.check(None)
    ex.q1.hint()
    ex.q1.solution()
    out = capsys.readouterr().out
    assert "Not answered yet" in out and "Hint:" in out and "permutation_importance" in out


def test_unknown_notebook_lists_valid_ones():
    with pytest.raises(KeyError, match=r"notebooks with exercises: \['01'"):
        exercises.load("99")
