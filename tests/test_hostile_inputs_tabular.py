"""Inputs a learner may plausibly pass to the tabular helpers (issue 22): each gives the right result, or
an error that names what was wrong and what is valid, never a silent wrong number or a bare library error."""

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import roc_auc_score

from helpers import data, explain, glassbox, interactions, models


@pytest.fixture(scope="module")
def heart():
    return models.heart_forest()


@pytest.fixture(scope="module")
def reversed_columns(heart):
    return heart.X_test[heart.X_test.columns[::-1]]


# ---------------------------------------------------------------- columns in another order, or wrong ones
def test_h_statistic_selects_the_models_columns_by_name(heart, reversed_columns):
    pair = [("ca", "thalach")]
    right = interactions.h_statistic(heart.forest, heart.X_test, pair)
    reordered = interactions.h_statistic(heart.forest, reversed_columns, pair)
    assert right["H2"].iloc[0] > 1e-3
    np.testing.assert_allclose(reordered.to_numpy(), right.to_numpy())


def test_permutation_importance_selects_the_models_columns_by_name(heart, reversed_columns):
    right = explain.permutation_importance(heart.forest, heart.X_test, heart.y_test, n_repeats=3)
    reordered = explain.permutation_importance(heart.forest, reversed_columns, heart.y_test, n_repeats=3)
    expected = roc_auc_score(heart.y_test, heart.forest.predict_proba(heart.X_test)[:, 1])
    assert reordered.baseline == pytest.approx(expected) == right.baseline
    pd.testing.assert_series_equal(reordered.mean.sort_index(), right.mean.sort_index())


def test_a_missing_or_extra_column_is_named(heart):
    noisy = explain.add_noise_column(heart.X_test)
    with pytest.raises(ValueError, match=r"missing \[\], extra \['noise'\]; the model expects \['age'"):
        explain.permutation_importance(heart.forest, noisy, heart.y_test)
    with pytest.raises(ValueError, match=r"missing \['chol'\], extra \[\]"):
        interactions.h_statistic(heart.forest, heart.X_test.drop(columns="chol"), [("ca", "thal")])
    with pytest.raises(ValueError, match=r"expected rows of shape \(n, 13\)"):
        explain.prediction_function(heart.forest)(noisy.to_numpy())


# ---------------------------------------------------------------- labels in another row order
def test_labels_in_another_row_order_are_aligned_by_index(heart):
    shuffled = heart.y_test.sample(frac=1, random_state=0)
    right = explain.permutation_importance(heart.forest, heart.X_test, heart.y_test, n_repeats=2)
    again = explain.permutation_importance(heart.forest, heart.X_test, shuffled, n_repeats=2)
    assert again.baseline == right.baseline
    risk = pd.DataFrame({"forest": heart.forest.predict_proba(heart.X_test)[:, 1]}, index=heart.X_test.index)
    pd.testing.assert_frame_equal(glassbox.bootstrap_auc(shuffled, risk, n_boot=50),
                                  glassbox.bootstrap_auc(heart.y_test, risk, n_boot=50))
    pd.testing.assert_frame_equal(data.label_direction(heart.X_test, shuffled),
                                  data.label_direction(heart.X_test, heart.y_test))


def test_labels_of_other_patients_are_refused(heart):
    other = heart.y_test.reset_index(drop=True)
    with pytest.raises(ValueError, match=r"y's index does not match X's.*y\.loc\[X\.index\]"):
        explain.permutation_importance(heart.forest, heart.X_test, other)
    with pytest.raises(ValueError, match="index does not match predictions'"):
        glassbox.bootstrap_auc(other, pd.DataFrame({"m": np.linspace(0, 1, len(other))},
                                                   index=heart.X_test.index))
    with pytest.raises(ValueError, match="index does not match"):
        data.label_direction(heart.X_test, other)
    # predictions built from arrays (index 0..n-1) carry no patients to align on: taken in y's order
    unnamed = pd.DataFrame({"m": heart.forest.predict_proba(heart.X_test)[:, 1]})
    pd.testing.assert_frame_equal(glassbox.bootstrap_auc(heart.y_test, unnamed, n_boot=20),
                                  glassbox.bootstrap_auc(heart.y_test.to_numpy(), unnamed, n_boot=20))
    # an array is taken in the order given
    assert explain.permutation_importance(heart.forest, heart.X_test, heart.y_test.to_numpy(),
                                          n_repeats=1).baseline > 0.9


# ---------------------------------------------------------------- NaN predictions, one class
def test_nan_predictions_are_refused(heart):
    risk = pd.DataFrame({"forest": heart.forest.predict_proba(heart.X_test)[:, 1]}, index=heart.X_test.index)
    risk.iloc[3, 0] = np.nan
    with pytest.raises(ValueError, match=r"predictions of \['forest'\] contain NaN"):
        glassbox.bootstrap_auc(heart.y_test, risk)
    with pytest.raises(ValueError, match="NaN or infinite"):
        explain.auc_rows(heart.y_test.to_numpy(), risk["forest"].to_numpy())


def test_label_direction_with_one_class_says_so(heart):
    sick = heart.y_test == 1
    with pytest.raises(ValueError, match=r"only the class \[1\].*both classes"):
        data.label_direction(heart.X_test[sick], heart.y_test[sick])


# ---------------------------------------------------------------- parameters that used to crash
def test_drop_column_importance_seeds_must_be_a_list(heart):
    for bad, match in ((0, "list of integer seeds"), ([], "at least one seed"), ([0.5], "integers")):
        with pytest.raises((TypeError, ValueError), match=match):
            interactions.drop_column_importance(models.train_forest, heart.X_train, heart.y_train,
                                                heart.X_test, heart.y_test, groups=["chol"], seeds=bad)


def test_reachable_risks_checks_ranges_and_steps(heart):
    patient = heart.X_test.iloc[[0]]
    with pytest.raises(ValueError, match=r"ranges\['chol'\] must be \[low, high\]"):
        glassbox.reachable_risks(heart.forest, patient, {"chol": 200})
    with pytest.raises(ValueError, match=r"ranges\['chol'\] must be \[low, high\] with low <= high"):
        glassbox.reachable_risks(heart.forest, patient, {"chol": [250, 150]})
    for steps in (0, 1, 2.5):
        with pytest.raises(ValueError, match="steps must be a whole number of at least 2"):
            glassbox.reachable_risks(heart.forest, patient, {"chol": [150, 250]}, steps=steps)
    assert len(glassbox.reachable_risks(heart.forest, patient, {"chol": [150, 250]}, steps=3)) == 3


def test_additive_contributions_wants_one_log_odds_per_row(heart):
    logistic = glassbox.logistic_glassbox().fit(heart.X_train, heart.y_train)
    with pytest.raises(ValueError, match=r"returned shape \(5, 2\).*not predict_proba"):
        glassbox.additive_contributions(logistic.predict_proba, heart.X_test[:5], heart.X_train[:4])


def test_fill_missing_refuses_an_empty_row_or_column():
    loaded = data.load_heart()
    empty_row = loaded.X.copy()
    empty_row.iloc[7] = np.nan
    with pytest.raises(ValueError, match=r"rows \[7\] have no value at all"):
        data.fill_missing(empty_row)
    with pytest.raises(ValueError, match="column 'ca' has no value at all"):
        data.fill_missing(loaded.X[["ca"]].iloc[[166, 192]])  # two rows whose ca is missing


def test_to_kaggle_coding_twice_is_refused():
    loaded = data.load_heart()
    X_k, y_k = data.to_kaggle_coding(loaded.X, loaded.y)
    with pytest.raises(ValueError, match="already in Kaggle's coding"):
        data.to_kaggle_coding(X_k, y_k)


# ---------------------------------------------------------------- exercises: the learner's live objects
def test_changing_the_notebooks_objects_after_loading_does_not_change_the_answers(heart, capsys):
    """Notebook 01: `X_train.drop(columns="thalach", inplace=True)`, then the right answer, used to raise
    scikit-learn's ValueError inside the checker; the checker now works on copies taken at load."""
    import exercise_contexts

    from helpers import exercises

    objects = exercise_contexts.permutation_importance_context(heart)
    right = exercises.load("permutation_importance", **objects).auc_without.reference
    objects["X_train"] = objects["X_train"].copy()  # the learner's own frames, changed after loading
    objects["X_test"] = objects["X_test"].copy()
    ex = exercises.load("permutation_importance", **objects)
    objects["X_train"].drop(columns="thalach", inplace=True)
    objects["X_test"].loc[:, "ca"] = 0.0
    ex.auc_without.check(right)
    assert capsys.readouterr().out.startswith("Correct.")


# ---------------------------------------------------------------- hostile-fix: B2, B3, B4, D
@pytest.mark.parametrize("labels", [lambda y: y.map({0: "no", 1: "yes"}), lambda y: y * 2])
def test_a_model_whose_classes_are_not_0_1_is_refused(heart, labels):
    """B2: column 1 of predict_proba was read as "disease" whatever classes_ were."""
    from sklearn.tree import DecisionTreeClassifier

    other = DecisionTreeClassifier(max_depth=2, random_state=0).fit(heart.X_train, labels(heart.y_train))
    with pytest.raises(ValueError, match=r"classes_ are \[.*\].*\[0, 1\]"):
        explain.prediction_function(other)
    with pytest.raises(ValueError, match=r"classes_ are"):
        explain.permutation_importance(other, heart.X_test, labels(heart.y_test), n_repeats=1)
    boolean = DecisionTreeClassifier(max_depth=2, random_state=0).fit(heart.X_train, heart.y_train == 1)
    assert explain.prediction_function(boolean)(heart.X_test.to_numpy()).shape == (len(heart.X_test),)


def test_drop_column_importance_aligns_labels_by_index(heart):
    """B3: shuffled label order gave a different answer."""
    args = {"groups": ["ca"], "seeds": (0,)}
    right = interactions.drop_column_importance(models.train_forest, heart.X_train, heart.y_train,
                                                heart.X_test, heart.y_test, **args)
    shuffled = interactions.drop_column_importance(
        models.train_forest, heart.X_train, heart.y_train.sample(frac=1, random_state=1),
        heart.X_test, heart.y_test.sample(frac=1, random_state=2), **args)
    pd.testing.assert_frame_equal(right, shuffled)


def test_a_model_fitted_on_arrays_warns_that_column_order_cannot_be_checked(heart, reversed_columns):
    """B4: a model without feature_names_in_ was fed a reordered frame by position, silently."""
    from sklearn.tree import DecisionTreeClassifier

    bare = DecisionTreeClassifier(max_depth=2, random_state=0).fit(heart.X_train.to_numpy(), heart.y_train)
    with pytest.warns(UserWarning, match="cannot be checked"):
        explain.permutation_importance(bare, reversed_columns, heart.y_test, n_repeats=1)


def test_bare_inputs_get_clear_errors(heart):
    """D: 1-D rows, single strings for lists, float counts, one-column label frames."""
    f, X, y = heart.forest, heart.X_test, heart.y_test
    with pytest.raises(ValueError, match=r"one row: use X\.iloc\[\[i\]\] or row\[None\]"):
        explain.proba_of_frame(f, X.columns)(X.to_numpy()[0])
    with pytest.raises(TypeError, match=r"single string 'age'"):
        explain.permutation_importance(f, X, y, groups="age", n_repeats=1)
    with pytest.raises(TypeError, match=r"single string 'ca'"):
        interactions.drop_column_importance(models.train_forest, heart.X_train, heart.y_train, X, y,
                                            groups="ca")
    with pytest.raises(TypeError, match=r"list of pairs.*wrap a single pair"):
        interactions.h_statistic(f, X, ("ca", "thalach"))
    for bad in (2.0, "3"):
        with pytest.raises(TypeError, match=r"n_repeats must be a whole number"):
            explain.permutation_importance(f, X, y, n_repeats=bad)
    one = explain.permutation_importance(f, X, y.to_frame(), groups=["ca"], n_repeats=2)
    assert one.baseline == explain.permutation_importance(f, X, y, groups=["ca"], n_repeats=2).baseline


def test_a_failing_reference_prints_in_learner_copies_and_raises_in_ci(capsys):
    """C1: in a learner copy, a reference that cannot be computed from the objects given must not stop
    Run All; in the course's notebooks (CI) it is a bug and still raises."""
    from helpers.exercises import framework as fw

    def broken(ctx):
        return ctx["X_test"]["no such column"].mean()

    question = fw.Number(name="q", needs=("X_test",), reference=broken, hint="", explanation="")
    topic = fw.Topic(title="t", notebook="99", questions=[question])
    frame = pd.DataFrame({"age": [1.0, 2.0]})
    ci = topic.bind("t", X_test=frame)
    with pytest.raises(KeyError):
        ci.q.check(1.0)
    fw.learner_mode(True)
    try:
        learner = topic.bind("t", X_test=frame)
    finally:
        fw.learner_mode(False)
    learner.q.check(1.0)
    learner.q.solution()
    out = capsys.readouterr().out
    assert out.count("Could not check ex.q") == 2 and "KeyError" in out and "from the top" in out


def test_shap_values_exercise_validates_row_and_puts_columns_in_the_models_order(heart, reversed_columns):
    """B6: row=-1, "5", 2.0 or X_test with its columns reversed marked a right answer wrong."""
    import shap
    from exercise_contexts import shap_values_context

    from helpers import exercises

    ctx = shap_values_context(heart)
    row = ctx["row"]
    right = float(shap.TreeExplainer(heart.forest).shap_values(heart.X_test.iloc[[row]])[
        0, list(heart.X_test.columns).index("ca"), 1])
    ex = exercises.load("shap_values", **{**ctx, "X_test": reversed_columns})
    ex.ca_for_patient.check(right)  # raises Incorrect if the reversed columns were read by position
    for bad in (-1, "5", 2.0):
        ex = exercises.load("shap_values", **{**ctx, "row": bad})
        with pytest.raises(ValueError, match=r"row must be a row position in X_test, a whole number from 0"):
            ex.ca_for_patient.check(right)


def test_top_k_counts_must_be_whole_numbers():
    """D: top-k counts given as floats or strings got a bare slicing/comparison error."""
    scores = pd.Series([0.3, 0.1, 0.2], index=["a", "b", "c"])
    for bad in (2.0, "2"):
        with pytest.raises(TypeError, match=r"k must be a whole number of features from 1 to 3"):
            explain.top_k(scores, bad)
        with pytest.raises(TypeError, match=r"k must be a whole number"):
            explain.rank_agreement(scores, scores, k=bad)
    assert explain.top_k(scores, np.int64(2)) == ["a", "c"]
