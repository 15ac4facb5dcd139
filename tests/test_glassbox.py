"""helpers.glassbox: the paired bootstrap of held-out AUCs, equivalence (TOST) within a margin, repeated
cross-validation with its corrected interval, the logistic glass box, additive contributions, actionable
ranges, DiCE counterfactuals, the reachable-risk grid and the exhaustive search over a tree model's steps.
(The vectorised AUC and the batched permutation importance are explain's, tested in test_explain.py.)"""

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import roc_auc_score

from helpers import glassbox, models


@pytest.fixture(scope="module")
def bundle():
    return models.heart_forest()


class Risk:
    """A stand-in classifier: predict_proba from a function of the DataFrame."""

    def __init__(self, fn):
        self.fn = fn

    def predict_proba(self, X):
        p = np.clip(np.asarray(self.fn(X), dtype=float), 0, 1)
        return np.column_stack([1 - p, p])


# ---------------------------------------------------------------- bootstrap
def test_bootstrap_indices_are_reproducible_resamples():
    idx = glassbox.bootstrap_indices(61, 500, random_state=3)
    assert idx.shape == (500, 61) and idx.min() >= 0 and idx.max() <= 60
    assert np.array_equal(idx, glassbox.bootstrap_indices(61, 500, random_state=3))
    assert not np.array_equal(idx, glassbox.bootstrap_indices(61, 500, random_state=4))
    # with replacement: a resample of 61 repeats some patients
    assert all(len(np.unique(row)) < 61 for row in idx[:20])
    with pytest.raises(ValueError, match="at least 2 patients"):
        glassbox.bootstrap_indices(1, 10)


def test_bootstrap_auc_pairs_models_on_the_same_resamples():
    rng = np.random.default_rng(1)
    y = np.r_[np.zeros(30), np.ones(30)].astype(int)
    good = y + rng.normal(0, 0.7, size=60)
    preds = pd.DataFrame({"good": good, "copy": good, "noise": rng.normal(size=60)})
    boot = glassbox.bootstrap_auc(y, preds, n_boot=300, random_state=0)
    assert list(boot.columns) == ["good", "copy", "noise"] and len(boot) == 300
    assert np.array_equal(boot["good"], boot["copy"])  # same resamples: a paired difference of exactly 0
    idx = glassbox.bootstrap_indices(60, 300, random_state=0)
    assert np.isclose(boot["noise"].iloc[7], roc_auc_score(y[idx[7]], preds["noise"].to_numpy()[idx[7]]))
    assert boot["good"].mean() > boot["noise"].mean() + 0.2


def test_bootstrap_auc_wants_a_frame_and_matching_labels():
    with pytest.raises(TypeError, match="DataFrame"):
        glassbox.bootstrap_auc([0, 1, 1], np.array([0.1, 0.5, 0.9]))
    with pytest.raises(ValueError, match="one label per patient"):
        glassbox.bootstrap_auc([0, 1], pd.DataFrame({"m": [0.1, 0.5, 0.9]}))


# ---------------------------------------------------------------- equivalence and cross-validation
def test_tost_known_intervals():
    # 101 resamples 0.00 .. 0.01 .. 1.00 scaled: quantiles 5% and 95% are known exactly
    gaps = pd.DataFrame({"near": np.linspace(-0.01, 0.01, 101), "wide": np.linspace(-0.05, 0.05, 101),
                         "shifted": np.linspace(0.005, 0.015, 101)})
    out = glassbox.tost(gaps, margin=0.02)
    assert np.allclose(out["90% low"], [-0.009, -0.045, 0.0055])
    assert np.allclose(out["90% high"], [0.009, 0.045, 0.0145])
    assert out["equivalent"].tolist() == [True, False, True]  # shifted: different from 0 AND equivalent
    assert not glassbox.tost(gaps, margin=0.009)["equivalent"]["near"]  # bound on the margin: not inside
    with pytest.raises(ValueError, match="margin must be a positive"):
        glassbox.tost(gaps, margin=0)
    with pytest.raises(TypeError, match="DataFrame"):
        glassbox.tost(np.zeros((5, 2)), margin=0.02)


def test_equivalence_needs_matching_bounds():
    low, high = pd.Series({"a": -0.01}), pd.Series({"b": 0.01})
    with pytest.raises(ValueError, match="same intervals"):
        glassbox.equivalence(low, high, 0.02)
    with pytest.raises(ValueError, match="same intervals"):
        glassbox.equivalence(pd.Series({"a": 0.02}), pd.Series({"a": 0.01}), 0.05)


def test_cv_auc_uses_the_same_folds_for_every_model(bundle):
    from sklearn.dummy import DummyClassifier
    from sklearn.model_selection import RepeatedStratifiedKFold
    from sklearn.tree import DecisionTreeClassifier

    X, y = bundle.X_train, bundle.y_train
    tree = glassbox.cv_auc(lambda: DecisionTreeClassifier(max_depth=2, random_state=0), X, y, 3, 2, 5)
    assert tree.shape == (6,) and np.array_equal(
        tree, glassbox.cv_auc(lambda: DecisionTreeClassifier(max_depth=2, random_state=0), X, y, 3, 2, 5))
    # the folds are scikit-learn's RepeatedStratifiedKFold: the first fold's AUC by hand
    train, test = next(RepeatedStratifiedKFold(n_splits=3, n_repeats=2, random_state=5).split(X, y))
    m = DecisionTreeClassifier(max_depth=2, random_state=0).fit(X.iloc[train], y.iloc[train])
    assert np.isclose(tree[0], roc_auc_score(y.iloc[test], m.predict_proba(X.iloc[test])[:, 1]))
    assert np.allclose(glassbox.cv_auc(DummyClassifier, X, y, 3, 1), 0.5)  # a constant score
    with pytest.raises(ValueError, match="one label per patient"):
        glassbox.cv_auc(DummyClassifier, X, y[:-1])


def test_corrected_interval_formula():
    from scipy.stats import t

    d = pd.DataFrame({"m": [0.01, 0.03, -0.01, 0.02, 0.00, 0.01]})
    out = glassbox.corrected_interval(d, test_fraction=0.2, level=0.90)
    se = np.sqrt((1 / 6 + 0.25) * d["m"].var(ddof=1))  # Nadeau & Bengio: 1/J + n_test/n_train
    assert np.isclose(out.loc["m", "mean"], 0.01)
    assert np.isclose(out.loc["m", "high"] - out.loc["m", "mean"], t.ppf(0.95, 5) * se)
    # wider than the naive t interval, which ignores the overlap of training sets
    assert out.loc["m", "high"] - out.loc["m", "mean"] > t.ppf(0.95, 5) * np.sqrt(d["m"].var(ddof=1) / 6)
    with pytest.raises(ValueError, match="at least 2 folds"):
        glassbox.corrected_interval(d.iloc[:1], 0.2)
    with pytest.raises(ValueError, match="lie in"):
        glassbox.corrected_interval(d, 1.5)


# ---------------------------------------------------------------- logistic glass box
def test_logistic_glassbox_is_the_maximum_likelihood_fit(bundle):
    import statsmodels.api as sm

    model = glassbox.logistic_glassbox().fit(bundle.X_train, bundle.y_train)
    design = model[0]
    names = list(design.get_feature_names_out())
    assert names[:10] == [*glassbox.LOGISTIC_COLUMNS["standardized"], *glassbox.LOGISTIC_COLUMNS["yes/no"],
                          "restecg"]
    assert {"cp_2", "cp_3", "cp_4", "slope_2", "slope_3", "thal_6", "thal_7"} == set(names[10:])
    Z = pd.DataFrame(design.transform(bundle.X_train), columns=names, index=bundle.X_train.index)
    assert set(np.unique(Z["restecg"])) == {0, 1}  # "any abnormality": codes 1 and 2 become 1
    assert np.allclose(Z[glassbox.LOGISTIC_COLUMNS["standardized"]].mean(), 0, atol=1e-12)
    fit = sm.Logit(bundle.y_train, sm.add_constant(Z)).fit(disp=0)
    ours = np.r_[model[-1].intercept_, model[-1].coef_[0]]
    assert np.allclose(ours, fit.params, atol=1e-4)


# ---------------------------------------------------------------- additive contributions
def test_additive_contributions_of_a_linear_model():
    rng = np.random.default_rng(0)
    X = pd.DataFrame({"a": rng.normal(size=15), "b": rng.normal(size=15)})
    background = pd.DataFrame({"b": rng.normal(size=30), "a": rng.normal(2, 1, size=30)})  # column order
    contrib = glassbox.additive_contributions(lambda d: 2 * d["a"] - 3 * d["b"], X, background)
    assert np.allclose(contrib["a"], 2 * (X["a"] - background["a"].mean()))
    assert np.allclose(contrib["b"], -3 * (X["b"] - background["b"].mean()))
    assert list(contrib.index) == list(X.index)
    # additivity: contributions sum to the prediction minus the background's mean prediction
    f = 2 * X["a"] - 3 * X["b"]
    assert np.allclose(contrib.sum(axis=1), f - (2 * background["a"] - 3 * background["b"]).mean())


def test_additive_contributions_do_not_add_up_for_an_interaction():
    rng = np.random.default_rng(1)
    X = pd.DataFrame({"a": rng.normal(1, 1, size=10), "b": rng.normal(1, 1, size=10)})
    background = pd.DataFrame({"a": rng.normal(1, 1, size=20), "b": rng.normal(1, 1, size=20)})
    contrib = glassbox.additive_contributions(lambda d: d["a"] * d["b"], X, background)
    gap = contrib.sum(axis=1) - (X["a"] * X["b"] - (background["a"] * background["b"]).mean())
    assert np.abs(gap).max() > 0.1  # the docstring's warning: not an attribution for such a model


def test_additive_contributions_need_the_columns():
    X = pd.DataFrame({"a": [1.0], "b": [2.0]})
    with pytest.raises(KeyError, match=r"missing column\(s\) \['b'\]"):
        glassbox.additive_contributions(lambda d: d["a"], X, pd.DataFrame({"a": [0.0]}))


# ---------------------------------------------------------------- counterfactual set-up
def patient(**values):
    base = {"age": 60.0, "sex": 1, "cp": 4, "trestbps": 140.0, "chol": 250.0, "fbs": 0, "restecg": 0,
            "thalach": 120.0, "exang": 1, "oldpeak": 1.0, "slope": 2, "ca": 1, "thal": 7}
    return pd.Series({**base, **values})


def test_actionable_ranges_follow_the_clinical_rules():
    assert glassbox.actionable_ranges(patient()) == {"chol": [150.0, 250.0], "trestbps": [100.0, 140.0],
                                                     "thalach": [120.0, 160.0]}
    # nothing to lower below the floor, no room above 220 - age: those features are left out
    ranges = glassbox.actionable_ranges(patient(chol=140.0, trestbps=100.0, thalach=175.0, age=50.0))
    assert ranges == {}
    assert glassbox.max_heart_rate(56) == 164.0
    # fasting blood sugar above 120 mg/dl (fbs 1) may be brought down to 0; fbs 0 has nowhere to go
    assert glassbox.actionable_ranges(patient(fbs=1))["fbs"] == [0.0, 1.0]
    assert "fbs" not in glassbox.actionable_ranges(patient(fbs=0))


def test_actionable_ranges_wants_one_row():
    with pytest.raises(TypeError, match="Series"):
        glassbox.actionable_ranges(patient().to_frame().T)
    with pytest.raises(KeyError, match="valid names"):
        glassbox.actionable_ranges(patient().drop("thalach"))


def test_reachable_risks_grid():
    row = patient().to_frame().T.astype({"sex": int, "cp": int})
    model = Risk(lambda d: (d["chol"] / 500 + d["trestbps"] / 500).to_numpy())
    grid = glassbox.reachable_risks(model, row, {"chol": [150.0, 250.0], "trestbps": [100.0, 140.0]}, steps=5)
    assert len(grid) == 25 and set(grid["chol"]) == {150.0, 175.0, 200.0, 225.0, 250.0}
    assert (grid["age"] == 60.0).all() and (grid["thal"] == 7).all()  # everything else as the patient has it
    best = grid.loc[grid["risk"].idxmin()]
    assert (best["chol"], best["trestbps"]) == (150.0, 100.0) and np.isclose(best["risk"], 0.5)
    assert grid["sex"].dtype == row["sex"].dtype
    with pytest.raises(ValueError, match="one-row"):
        glassbox.reachable_risks(model, pd.concat([row, row]), {"chol": [150.0, 250.0]})
    with pytest.raises(ValueError, match="ranges is empty"):
        glassbox.reachable_risks(model, row, {})
    with pytest.raises(KeyError, match="unknown feature"):
        glassbox.reachable_risks(model, row, {"cholesterol": [150.0, 250.0]})


def test_reachable_risks_on_given_values():
    row = patient().to_frame().T.astype({"sex": int, "cp": int})
    model = Risk(lambda d: (d["chol"] / 500 + d["trestbps"] / 500).to_numpy())
    ranges = {"chol": [150.0, 250.0], "trestbps": [100.0, 140.0]}
    grid = glassbox.reachable_risks(model, row, ranges, steps=3, values={"chol": [160.0, 240.0]})
    assert len(grid) == 6 and set(grid["chol"]) == {160.0, 240.0} and set(grid["trestbps"]) == {100, 120, 140}
    with pytest.raises(ValueError, match="inside its range"):
        glassbox.reachable_risks(model, row, ranges, values={"chol": [100.0, 200.0]})
    with pytest.raises(ValueError, match="inside its range"):
        glassbox.reachable_risks(model, row, ranges, values={"chol": []})
    with pytest.raises(KeyError, match="unknown feature"):
        glassbox.reachable_risks(model, row, ranges, values={"thalach": [130.0]})


def test_cell_points_known_answers():
    # cuts 1.5 and 3.5 inside [0, 5] make three intervals; 10 is outside and ignored
    assert glassbox.cell_points([3.5, 1.5, 10.0], 0.0, 5.0).tolist() == [0.0, 0.75, 2.5, 4.25, 5.0]
    assert glassbox.cell_points([], 2.0, 4.0).tolist() == [2.0, 3.0, 4.0]
    assert glassbox.cell_points([0.0, 5.0], 0.0, 5.0).tolist() == [0.0, 2.5, 5.0]  # cuts at the ends
    assert glassbox.cell_points([1.0], 3.0, 3.0).tolist() == [3.0]
    with pytest.raises(ValueError, match="lo <= hi"):
        glassbox.cell_points([], 5.0, 1.0)


def test_tree_thresholds_of_a_tree_and_of_a_forest(bundle):
    from sklearn.tree import DecisionTreeClassifier

    X = pd.DataFrame({"a": [1.0, 2.0, 3.0, 4.0], "b": [0.0, 0.0, 1.0, 1.0]})
    stump = DecisionTreeClassifier(max_depth=1).fit(X, [0, 0, 1, 1])
    thresholds = {f: glassbox.tree_thresholds(stump, f).tolist() for f in X}
    assert thresholds in ({"a": [2.5], "b": []}, {"a": [], "b": [0.5]})  # one split, on either column
    forest = bundle.forest
    j = bundle.feature_names.index("chol")
    by_hand = sorted({t.tree_.threshold[n] for t in forest.estimators_ for n in range(t.tree_.node_count)
                      if t.tree_.feature[n] == j})
    assert glassbox.tree_thresholds(forest, "chol").tolist() == by_hand
    with pytest.raises(KeyError, match="unknown feature"):
        glassbox.tree_thresholds(forest, "cholesterol")
    with pytest.raises(TypeError, match="fitted on a DataFrame"):
        glassbox.tree_thresholds(Risk(lambda d: d["chol"]), "chol")


def test_one_point_per_step_finds_every_risk_the_forest_can_reach(bundle):
    # the exhaustive search of notebook 09: every risk seen at random points of the box is one of the
    # risks on the cell points, so none is lower than their minimum
    query = bundle.X_test.iloc[[models.example_patient(bundle)]]
    ranges = glassbox.actionable_ranges(query.iloc[0])
    steps = {f: glassbox.cell_points(glassbox.tree_thresholds(bundle.forest, f), *r)
             for f, r in ranges.items()}
    exact = glassbox.reachable_risks(bundle.forest, query, ranges, values=steps)["risk"].to_numpy()
    rng = np.random.default_rng(0)
    random_points = pd.concat([query] * 5000, ignore_index=True)
    for f, (lo, hi) in ranges.items():
        random_points[f] = rng.uniform(lo, hi, len(random_points))
    seen = bundle.forest.predict_proba(random_points)[:, 1]
    assert np.isin(seen.round(12), exact.round(12)).all() and exact.min() <= seen.min()
    # a coarse even grid cannot go below the exhaustive minimum either
    assert glassbox.reachable_risks(bundle.forest, query, ranges, steps=6)["risk"].min() >= exact.min()


# ---------------------------------------------------------------- DiCE
# dice-ml 0.12 on pandas 3.1 (upstream): "The inplace keyword ... is deprecated", harmless
DICE_INPLACE = pytest.mark.filterwarnings("ignore:The inplace keyword:DeprecationWarning")


@pytest.fixture(scope="module")
def dice(bundle):
    import dice_ml

    d = dice_ml.Data(dataframe=bundle.X_train.assign(target=bundle.y_train),
                     continuous_features=bundle.feature_names, outcome_name="target",
                     continuous_features_precision={f: 0 for f in glassbox.ACTIONABLE})
    return dice_ml.Dice(d, dice_ml.Model(model=bundle.forest, backend="sklearn"), method="random")


@DICE_INPLACE
def test_find_counterfactuals_flips_the_forest_within_the_rules(bundle, dice, capsys):
    from dice_ml.explainer_interfaces import explainer_base

    original_bar = explainer_base.tqdm
    risk = bundle.forest.predict_proba(bundle.X_test)[:, 1]
    sick = np.flatnonzero((bundle.y_test.to_numpy() == 1) & (risk >= 0.5))
    query = bundle.X_test.iloc[[sick[risk[sick].argmin()]]]
    ranges = glassbox.actionable_ranges(query.iloc[0])
    cfs = glassbox.find_counterfactuals(dice, query, ranges, total=3, random_state=0)
    assert len(cfs) == 3 and list(cfs.columns) == list(query.columns)
    assert (bundle.forest.predict_proba(cfs)[:, 1] < 0.5).all()
    frozen = [f for f in query.columns if f not in ranges]
    assert (cfs[frozen] == query.iloc[0][frozen]).all().all()
    assert all(cfs[f].between(lo, hi).all() for f, (lo, hi) in ranges.items())
    assert "it/s" not in capsys.readouterr().err  # no progress bar
    assert explainer_base.tqdm is original_bar  # and DiCE is left as it was
    again = glassbox.find_counterfactuals(dice, query, ranges, total=3, random_state=0)
    assert cfs.equals(again)


@DICE_INPLACE
def test_find_counterfactuals_returns_nothing_when_nothing_flips(bundle, dice):
    query = bundle.X_test.iloc[[models.example_patient(bundle)]]
    ranges = glassbox.actionable_ranges(query.iloc[0])
    cfs = glassbox.find_counterfactuals(dice, query, ranges, total=2, random_state=0)
    assert cfs.empty and list(cfs.columns) == list(query.columns)
    assert glassbox.reachable_risks(bundle.forest, query, ranges, steps=8)["risk"].min() > 0.5


def test_find_counterfactuals_wants_one_patient_and_known_features(bundle, dice):
    with pytest.raises(ValueError, match="one patient"):
        glassbox.find_counterfactuals(dice, bundle.X_test.iloc[:2], {"chol": [150.0, 200.0]})
    with pytest.raises(KeyError, match="unknown feature"):
        glassbox.find_counterfactuals(dice, bundle.X_test.iloc[[0]], {"cholesterol": [150.0, 200.0]})


# ---------------------------------------------------------------- notebooks 08 and 09: set-up and reading
def test_hanley_mcneil_se_known_values():
    # A = 0.5, one patient per class: Q1 = Q2 = 1/3, var = 0.25, se = 0.5 (worked by hand)
    assert glassbox.hanley_mcneil_se(0.5, 1, 1) == pytest.approx(0.5)
    # A = 0.8, 10 and 20 patients: Q1 = 0.8/1.2, Q2 = 1.28/1.8,
    # var = (0.16 + 9 * (2/3 - 0.64) + 19 * (0.71111 - 0.64)) / 200 = 0.0087556
    assert glassbox.hanley_mcneil_se(0.8, 10, 20) == pytest.approx(0.093571, abs=1e-6)
    # a perfect AUC has no spread by the formula
    assert glassbox.hanley_mcneil_se(1.0, 30, 31) == 0
    with pytest.raises(ValueError, match="at least one patient per class"):
        glassbox.hanley_mcneil_se(0.7, 0, 5)


def test_hanley_mcneil_se_is_the_spread_of_a_bootstrapped_auc():
    rng = np.random.default_rng(0)
    y = np.r_[np.ones(40), np.zeros(60)].astype(int)
    risk = y + rng.normal(0, 1.2, size=100)
    auc = roc_auc_score(y, risk)
    boot = glassbox.bootstrap_auc(y, pd.DataFrame({"m": risk}), n_boot=2000, random_state=1)["m"]
    assert abs(boot.std() / glassbox.hanley_mcneil_se(auc, 40, 60) - 1) < 0.15


def test_additive_attribution_picks_the_explanation_of_each_model():
    from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
    from sklearn.linear_model import LogisticRegression

    rng = np.random.default_rng(0)
    X = pd.DataFrame({"a": rng.normal(size=200), "b": rng.normal(size=200), "c": np.ones(200)})
    y = (X["a"] + 0.5 * X["b"] + rng.normal(0, 0.5, size=200) > 0).astype(int)
    # a linear model: coefficient x (value - background mean), exactly
    linear = LogisticRegression().fit(X, y)
    got = glassbox.additive_attribution(linear, X.iloc[:5], background=X)
    assert np.allclose(got, linear.coef_[0] * (X.iloc[:5] - X.mean()))
    # a forest: TreeSHAP on the probability of class 1; the constant column gets nothing and each
    # row's values add up to its probability minus the explainer's expected value
    forest = RandomForestClassifier(n_estimators=20, max_depth=3, random_state=0).fit(X, y)
    got = glassbox.additive_attribution(forest, X.iloc[:5], background=X)
    assert list(got.columns) == ["a", "b", "c"] and list(got.index) == list(X.index[:5])
    assert (got["c"] == 0).all()
    import shap

    base = shap.TreeExplainer(forest).expected_value[1]
    assert np.allclose(got.sum(axis=1) + base, forest.predict_proba(X.iloc[:5])[:, 1])
    # gradient boosting: on the log-odds scale, adding up to decision_function
    boosting = HistGradientBoostingClassifier(max_depth=2, max_iter=30, random_state=0).fit(X, y)
    got = glassbox.additive_attribution(boosting, X.iloc[:5], background=X)
    base = shap.TreeExplainer(boosting).expected_value
    assert np.allclose(got.sum(axis=1) + base, boosting.decision_function(X.iloc[:5]))


def test_term_direction_reads_indicators_against_the_first_code_and_measurements_by_rank():
    X = pd.DataFrame({"cp": [1.0, 2.0, 3.0, 4.0, 4.0, 1.0], "chol": [180.0, 200, 220, 240, 260, 280]})
    cp_term = {1.0: 0.0, 2.0: -0.5, 3.0: 0.3, 4.0: 1.0}
    terms = pd.DataFrame({"cp": X["cp"].map(cp_term), "chol": -0.01 * X["chol"]})
    assert glassbox.term_direction(terms, X, "cp_4") == 1
    assert glassbox.term_direction(terms, X, "cp_2") == -1
    assert glassbox.term_direction(terms, X, "cp_3") == 1
    assert glassbox.term_direction(terms, X, "chol") == -1
    assert glassbox.term_direction(terms.assign(chol=0.02 * X["chol"] ** 2), X, "chol") == 1
    with pytest.raises(KeyError, match="thal"):
        glassbox.term_direction(terms, X, "thal_7")


def test_ebm_glassbox_is_notebook_08s_model():
    from helpers import data

    ebm = glassbox.ebm_glassbox(random_state=3)
    types = dict(zip(data.FEATURES, ebm.feature_types))
    assert types["cp"] == types["thal"] == types["sex"] == "nominal"
    assert types["ca"] == types["chol"] == types["age"] == "continuous"
    assert sorted(f for f, t in types.items() if t == "nominal") == sorted(
        ["sex", "cp", "fbs", "restecg", "exang", "slope", "thal"])
    assert ebm.interactions == 0 and ebm.random_state == 3
    assert not hasattr(ebm, "term_names_")  # unfitted


def test_random_points_fill_the_box_and_keep_the_rest():
    who = pd.DataFrame({"chol": [250.0], "trestbps": [140.0], "age": [60.0]})
    box = {"chol": [150.0, 250.0], "trestbps": [100.0, 140.0]}
    out = glassbox.random_points(who, box, n=4000, random_state=7)
    assert out.shape == (4000, 3) and list(out.columns) == ["chol", "trestbps", "age"]
    assert (out["age"] == 60).all()
    assert out["chol"].between(150, 250).all() and out["trestbps"].between(100, 140).all()
    assert abs(out["chol"].mean() - 200) < 2 and abs(out["trestbps"].mean() - 120) < 1
    assert out.equals(glassbox.random_points(who, box, n=4000, random_state=7))
    rng = np.random.default_rng(7)  # the draws are the generator's, feature by feature
    assert np.array_equal(out["chol"], rng.uniform(150, 250, 4000))
    with pytest.raises(ValueError, match="one row"):
        glassbox.random_points(pd.concat([who, who]), box)


def test_neighbour_counts_on_a_known_layout():
    X = pd.DataFrame({"a": [0.0, 1.0, 2.0, 3.0, 10.0], "b": [0.0, 1.0, 0.0, 1.0, 0.0]})
    rows = pd.DataFrame({"b": [0.0, 0.0], "a": [0.0, 10.0]})  # columns in another order
    # sample SDs: a 3.9623, b 0.5477. From (0, 0) the distances are 0, 1.843, 0.505, 1.977 and 2.524:
    # four within 2; from (10, 0) only the point itself
    assert glassbox.neighbour_counts(rows, X, radius=2.0).tolist() == [4, 1]
    assert glassbox.neighbour_counts(rows, X, radius=1.9).tolist() == [3, 1]
    assert glassbox.neighbour_counts(rows, X, radius=0.1).tolist() == [1, 1]
    with pytest.raises(KeyError, match="c"):
        glassbox.neighbour_counts(rows.assign(c=1.0), X)


# ---------------------------------------------------------------- hostile inputs of notebooks 08-09's helpers
def test_additive_attribution_reads_columns_by_name_not_position(bundle):
    from sklearn.ensemble import HistGradientBoostingClassifier

    X = bundle.X_test.iloc[:5]
    reordered = X[X.columns[::-1]]
    boosted = HistGradientBoostingClassifier(max_iter=10, random_state=0).fit(bundle.X_train, bundle.y_train)
    for model in (bundle.forest, boosted):  # TreeSHAP took the reversed columns as the model's own
        right = glassbox.additive_attribution(model, X, bundle.X_train)
        again = glassbox.additive_attribution(model, reordered, bundle.X_train)
        assert list(again.columns) == list(reordered.columns)
        pd.testing.assert_frame_equal(again[X.columns], right)
    with pytest.raises(ValueError, match=r"missing \['age'\]"):  # was shap's "Additivity check failed"
        glassbox.additive_attribution(bundle.forest, X.drop(columns="age"), bundle.X_train)
    with pytest.raises(TypeError, match="no attribution for a object"):
        glassbox.additive_attribution(object(), X, bundle.X_train)


def test_term_direction_matches_terms_to_rows_by_index_and_names_unknown_codes(bundle):
    X = bundle.X_train
    terms = pd.DataFrame({"chol": X["chol"] * 0.01, "cp": (X["cp"] == 4) * 1.0}, index=X.index)
    shuffled = terms.sample(frac=1, random_state=0)  # Spearman paired them by position
    assert glassbox.term_direction(shuffled, X, "chol") == glassbox.term_direction(terms, X, "chol") == 1
    with pytest.raises(KeyError, match=r"cp has no code '9' in X; its codes are \[1, 2, 3, 4\]"):
        glassbox.term_direction(terms, X, "cp_9")  # was KeyError: 9.0
    with pytest.raises(ValueError, match="got 10 rows for"):
        glassbox.term_direction(terms.iloc[:10], X, "chol")
    assert glassbox.term_direction(terms.assign(chol=0.5), X, "chol") == 0  # was nan


@pytest.mark.parametrize("box, n, match", [
    ({"chol": [250, 150]}, 3, "low <= high"),  # numpy's "high - low < 0"
    ({"chol": [np.nan, 250]}, 3, "two finite numbers"),  # "range exceeds valid bounds"
    ({"chol": [1, 2, 3]}, 3, r"must be \[low, high\]"),  # "too many values to unpack"
    ({"chol": [150, 250]}, 0, "at least 1"),  # pandas' "No objects to concatenate"
])
def test_random_points_refuses_a_box_or_count_it_cannot_draw_from(bundle, box, n, match):
    with pytest.raises(ValueError, match=match):
        glassbox.random_points(bundle.X_test.iloc[[0]], box, n=n)


def test_neighbour_counts_refuses_what_made_every_count_zero(bundle):
    rows, X = bundle.X_test.iloc[:3], bundle.X_train
    cases = [((rows, X, -1), "positive number"),
             ((rows, X.assign(fbs=0), 2.0), r"constant \['fbs'\]"),  # a division by a zero SD
             ((rows, X.iloc[:1], 2.0), "at least 2 rows"),  # the SD of one row is NaN
             ((rows.assign(chol=np.nan), X, 2.0), "missing or infinite")]
    for args, match in cases:
        with pytest.raises(ValueError, match=match):
            glassbox.neighbour_counts(*args)


@pytest.mark.parametrize("args", [(0.8, 2.5, 31), (0.8, np.inf, 31), (np.array([0.8, 0.9]), 30, 31)])
def test_hanley_mcneil_se_needs_whole_counts_and_one_auc(args):
    with pytest.raises(ValueError, match="one AUC and two whole numbers"):  # 2.5 patients gave a number
        glassbox.hanley_mcneil_se(*args)
