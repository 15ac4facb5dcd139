import numpy as np
import pandas as pd
import pytest
from sklearn.dummy import DummyClassifier
from sklearn.neighbors import KNeighborsClassifier

from helpers import fooling


@pytest.fixture(scope="module")
def frame():
    rng = np.random.default_rng(0)
    n = 200
    x = rng.normal(size=n)
    return pd.DataFrame({"sex": rng.integers(0, 2, n).astype(float), "x": x,
                         "y": x + 0.05 * rng.normal(size=n), "coin": rng.integers(0, 2, n).astype(float)})


def test_rule_model_is_the_known_answer(frame):
    model = fooling.RuleModel("sex").fit(frame)
    proba = model.predict_proba(frame)
    assert np.array_equal(proba[:, 1], frame["sex"].to_numpy()) and np.allclose(proba.sum(axis=1), 1)
    assert np.array_equal(model.predict(frame.to_numpy()), frame["sex"].to_numpy().astype(int))
    with pytest.raises(KeyError, match="valid names"):
        fooling.RuleModel("age").fit(frame)
    with pytest.raises(ValueError, match="4 columns"):
        model.predict_proba(frame.to_numpy()[:, :3])
    with pytest.raises(KeyError, match="missing"):
        model.predict_proba(frame.drop(columns="coin"))


def test_lime_style_keeps_each_column_and_breaks_the_combinations(frame):
    rows = fooling.lime_style(frame, 5000, random_state=1)
    assert list(rows.columns) == list(frame.columns) and len(rows) == 5000
    for c in frame.columns:  # every value comes from the same column of the data
        assert set(rows[c]) <= set(frame[c])
    assert frame["x"].corr(frame["y"]) > 0.99 and abs(rows["x"].corr(rows["y"])) < 0.1
    assert rows.equals(fooling.lime_style(frame, 5000, random_state=1))
    with pytest.raises(ValueError, match="at least 1"):
        fooling.lime_style(frame, 0)


def test_kernel_shap_style_mixes_a_real_row_with_one_background_row(frame):
    background = pd.DataFrame([[0.5, 9.0, 9.0, 0.5]], columns=frame.columns)
    rows = fooling.kernel_shap_style(frame, background, 2000, random_state=2)
    from_background = rows.to_numpy() == background.to_numpy()
    kept = ~from_background
    assert from_background.any(axis=1).all() and kept.any(axis=1).all()  # never all or none replaced
    assert 0.4 < from_background.mean() < 0.6
    with pytest.raises(KeyError, match="expected exactly"):
        fooling.kernel_shap_style(frame, background.rename(columns={"x": "z"}), 10)


def test_detector_data_labels(frame):
    X, is_real = fooling.detector_data(frame, frame.iloc[:30], repeats=2)
    assert len(X) == 2 * len(frame) + 30 and is_real.sum() == 2 * len(frame) and (is_real[-30:] == 0).all()
    with pytest.raises(ValueError, match="perturbed"):
        fooling.detector_data(frame)


@pytest.fixture(scope="module")
def scaffold(frame):
    biased, harmless = fooling.RuleModel("sex").fit(frame), fooling.RuleModel("coin").fit(frame)
    X, is_real = fooling.detector_data(frame, fooling.lime_style(frame, 2000, random_state=3))
    return fooling.Scaffold(biased, harmless, random_state=0).fit(X, is_real)


def test_scaffold_switches_on_the_detector(frame, scaffold):
    fake = fooling.lime_style(frame, 500, random_state=4)
    # the detector learns that x and y move together in real rows only
    assert scaffold.looks_real(frame).mean() > 0.8 and scaffold.looks_real(fake).mean() < 0.3
    for rows in (frame, fake):
        expected = np.where(scaffold.looks_real(rows)[:, None], scaffold.biased.predict_proba(rows),
                            scaffold.innocuous.predict_proba(rows))
        assert np.array_equal(scaffold.predict_proba(rows), expected)
        assert np.array_equal(scaffold.predict_proba(rows.to_numpy()), expected)  # arrays, as LIME passes
    assert np.array_equal(scaffold.predict(frame), scaffold.predict_proba(frame).argmax(axis=1))


def test_scaffold_validates_its_input(frame, scaffold):
    with pytest.raises(AttributeError, match="not fitted"):
        fooling.Scaffold(scaffold.biased, scaffold.innocuous).predict_proba(frame)
    with pytest.raises(ValueError, match="4 columns"):
        scaffold.predict_proba(np.zeros((3, 5)))
    with pytest.raises(ValueError, match="0/1 label"):
        fooling.Scaffold(scaffold.biased, scaffold.innocuous).fit(frame, np.full(len(frame), 2))
    unfitted = fooling.RuleModel("sex")
    with pytest.raises(ValueError, match="biased model must be fitted"):
        fooling.Scaffold(unfitted, scaffold.innocuous).fit(frame, np.ones(len(frame), dtype=int))


def test_scaffold_takes_any_detector_and_a_threshold(frame, scaffold):
    X, is_real = fooling.detector_data(frame, fooling.lime_style(frame, 200, random_state=5))
    always = fooling.Scaffold(scaffold.biased, scaffold.innocuous,
                              detector=DummyClassifier(strategy="prior"), threshold=0.0).fit(X, is_real)
    assert always.looks_real(frame).all()
    # a detector without a random_state
    knn = fooling.Scaffold(scaffold.biased, scaffold.innocuous, detector=KNeighborsClassifier())
    knn.fit(X, is_real)
    assert knn.looks_real(frame).mean() > 0.5
    assert np.array_equal(always.predict(frame), scaffold.biased.predict(frame))


def test_recorder_keeps_what_the_explainer_sent(frame, scaffold):
    recorder = fooling.Recorder(scaffold, frame.columns, output="positive")
    out = recorder(frame.to_numpy()[:7])
    recorder(frame.to_numpy()[7:10])
    assert out.shape == (7,) and np.allclose(out, scaffold.predict_proba(frame.iloc[:7])[:, 1])
    assert recorder.rows.equals(frame.iloc[:10].reset_index(drop=True))
    with pytest.raises(ValueError, match="no rows recorded"):
        _ = fooling.Recorder(scaffold, frame.columns).rows
    with pytest.raises(ValueError, match="output must be"):
        fooling.Recorder(scaffold, frame.columns, output="log-odds")


def test_detector_histogram_labels_each_kind_with_its_share_called_real():
    import matplotlib.pyplot as plt

    class Known:  # a scaffold whose detector's probabilities are the column p
        threshold = 0.5

        def real_proba(self, X):
            return X["p"].to_numpy()

    rows = {"real": pd.DataFrame({"p": [0.1, 0.6, 0.7, 0.9]}),
            "made up": pd.DataFrame({"p": [0.05, 0.2, 0.3, 0.55, 0.1]})}
    fig = fooling.detector_histogram(Known(), rows)
    ax = fig.axes[0]
    labels = [t.get_text() for t in fig.legends[0].get_texts()]
    assert labels == ["real\n(75% called real)", "made up\n(20% called real)"]
    assert [line.get_xdata()[0] for line in ax.get_lines()] == [0.5]  # the threshold, dashed
    assert ax.get_lines()[0].get_linestyle() == "--"
    heights = [np.asarray(p.get_xy())[:, 1] for p in ax.patches]  # step outlines, density scale
    assert len(heights) == 2 and np.isclose(max(heights[0]), 1 / 4 / 0.04)  # 1 of 4 rows per bin
    plt.close(fig)


def test_detector_histogram_needs_a_dict_of_non_empty_frames():
    X = pd.DataFrame({"p": [0.1, 0.9]})
    for rows in ({}, [X], X):  # an empty figure; no attribute 'items'; columns taken as kinds of rows
        with pytest.raises(TypeError, match=r"non-empty dict name -> DataFrame"):
            fooling.detector_histogram(None, rows)
    with pytest.raises(ValueError, match=r"rows\['real'\] is empty"):  # scikit-learn's "0 sample(s)"
        fooling.detector_histogram(None, {"real": X.iloc[:0]})
