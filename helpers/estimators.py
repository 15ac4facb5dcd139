"""What SHAP's estimators compute and what they cost: exact Shapley values against a background (the known
answer the estimators are checked against), a wall-clock timer, and noise columns to grow a data set's
width.

Taught in notebooks/07_interactions_and_shap_estimators.ipynb.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

import numpy as np
import pandas as pd

from .data import require_frame
from .explain import prediction_function

#: above this many features, 2**M coalitions times the background no longer fit in memory or time
MAX_EXACT_FEATURES = 16


def exact_shapley(model, X: pd.DataFrame, background: pd.DataFrame, weights=None,
                  output: str = "probability") -> np.ndarray:
    """Interventional Shapley values of every row of ``X``, computed exactly by enumerating all 2**M
    coalitions S of the M features:

        v(S) = sum_b w_b f(x_S, b_not S)
        phi_j = sum over S without j of |S|! (M - |S| - 1)! / M! [v(S + j) - v(S)]

    where the rows b of ``background`` carry weights w (equal if ``weights`` is None; normalised to sum to
    1). This is the value function of shap's KernelExplainer and of interventional TreeSHAP with the same
    background, so both must reproduce it. Cost per row: 2**M x len(background) predictions, in one call.
    Returns an array (rows, features). ``model``: a fitted classifier or a function of a 2-D array;
    ``output`` as in ``explain.prediction_function``.
    Used in notebooks/07_interactions_and_shap_estimators.ipynb."""
    require_frame(X)
    require_frame(background, "background")
    if list(X.columns) != list(background.columns):
        raise ValueError("X and background must have the same columns in the same order")
    m = X.shape[1]
    if m > MAX_EXACT_FEATURES:
        raise ValueError(f"exact Shapley values enumerate 2**M coalitions; M = {m} features is more than "
                         f"{MAX_EXACT_FEATURES}, use an estimator (TreeSHAP, KernelSHAP) instead")
    b = background.to_numpy(dtype=float)
    w = np.full(len(b), 1 / len(b)) if weights is None else np.asarray(weights, dtype=float)
    if w.shape != (len(b),) or (w < 0).any() or w.sum() <= 0:
        raise ValueError(f"weights must be {len(b)} non-negative numbers, one per background row")
    w = w / w.sum()
    predict = prediction_function(model, output)
    masks = (np.arange(2 ** m)[:, None] >> np.arange(m)) & 1  # (2**M, M): 1 = the feature is known
    size = masks.sum(axis=1)
    coef = np.array([math.factorial(s) * math.factorial(m - s - 1) / math.factorial(m) for s in range(m)])
    out = np.empty((len(X), m))
    for i, x in enumerate(X.to_numpy(dtype=float)):
        rows = np.where(masks[:, None, :].astype(bool), x, b[None])  # (2**M, len(b), M)
        v = np.asarray(predict(rows.reshape(-1, m))).reshape(2 ** m, len(b)) @ w
        for j in range(m):
            without = np.flatnonzero(masks[:, j] == 0)
            out[i, j] = np.sum(coef[size[without]] * (v[without | (1 << j)] - v[without]))
    return out


def seconds(function: Callable[[], object], repeat: int = 1):
    """``(result, seconds)``: the result of ``function()`` and the best wall-clock time of ``repeat``
    calls (the least disturbed by other work on the machine), measured with ``time.perf_counter``.
    Used in notebooks/07_interactions_and_shap_estimators.ipynb."""
    if repeat < 1:
        raise ValueError(f"repeat must be at least 1, got {repeat}")
    best, result = math.inf, None
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        best = min(best, time.perf_counter() - start)
    return result, best


def add_noise_columns(X: pd.DataFrame, n: int, random_state: int) -> pd.DataFrame:
    """``X`` with ``n`` extra columns ``noise_1``... of standard normal noise, independent of everything
    (a model can only fit them by chance). Rows keep their index; the same seed gives the same columns.
    Used in notebooks/07_interactions_and_shap_estimators.ipynb."""
    require_frame(X)
    if n < 0:
        raise ValueError(f"n must be a non-negative number of columns, got {n}")
    noise = np.random.default_rng(random_state).normal(size=(len(X), n))
    return X.assign(**{f"noise_{k + 1}": noise[:, k] for k in range(n)})


def widened(X_train: pd.DataFrame, X_test: pd.DataFrame, y_train, extra: int, random_state: int):
    """The course's forest retrained with ``extra`` columns of pure noise added to its features
    (``add_noise_columns``, seeded with ``random_state`` for the training rows and ``random_state + 1``
    for the test rows). Returns ``(forest, X_train_wide, X_test_wide)``, the first three arguments of
    ``cost_per_row``. Used in notebooks/07_interactions_and_shap_estimators.ipynb (section 5)."""
    from .models import train_forest

    if list(X_test.columns) != list(X_train.columns):
        raise ValueError(f"X_test must have X_train's columns in its order {list(X_train.columns)}, got "
                         f"{list(X_test.columns)}")
    X_train_wide = add_noise_columns(X_train, extra, random_state=random_state)
    X_test_wide = add_noise_columns(X_test, extra, random_state=random_state + 1)
    return train_forest(X_train_wide, y_train, random_state=random_state), X_train_wide, X_test_wide


def cost_per_row(model, X_train: pd.DataFrame, X_test: pd.DataFrame, y_test, random_state: int):
    """Seconds per explained row of five ways of explaining ``model`` (a fitted binary classifier), each
    timed with ``seconds``: path-dependent TreeSHAP (every row of ``X_test``, best of 5), interventional
    TreeSHAP against 100 training rows (``shap.utils.sample``'s, 20 rows), KernelSHAP against 10 k-means
    centres of ``X_train`` (2 rows), the course's batched permutation importance (all rows, 2 repeats, best
    of 3; its cost divided by the rows) and LIME with its default 5,000 samples (1 row).

    Returns ``(costs, kernel_values)``: a dict of seconds per row by estimator name, and KernelSHAP's
    values (probability of class 1) for the first 2 rows of ``X_test``. Taught in
    notebooks/07_interactions_and_shap_estimators.ipynb.
    """
    import shap
    from lime.lime_tabular import LimeTabularExplainer

    from .explain import permutation_importance

    require_frame(X_train, "X_train")
    require_frame(X_test, "X_test")
    predict = prediction_function(model)
    kernel = shap.KernelExplainer(predict, shap.kmeans(X_train, 10))
    lime = LimeTabularExplainer(X_train.to_numpy(), feature_names=list(X_train.columns),
                                random_state=random_state)
    hundred = shap.maskers.Independent(X_train, max_samples=100)

    def lime_one_row():
        return lime.explain_instance(X_test.iloc[0].to_numpy(), lambda rows: model.predict_proba(
            pd.DataFrame(rows, columns=X_test.columns)))

    runs = {
        "TreeSHAP, path-dependent": (lambda: shap.TreeExplainer(model).shap_values(X_test), len(X_test), 5),
        "TreeSHAP, interventional (100 rows)": (lambda: shap.TreeExplainer(
            model, data=hundred, feature_perturbation="interventional", model_output="probability"
        ).shap_values(X_test.iloc[:20]), 20, 1),
        "KernelSHAP (10 centres)": (lambda: kernel.shap_values(X_test.iloc[:2], silent=True), 2, 1),
        "permutation importance (2 repeats)": (lambda: permutation_importance(
            model, X_test, y_test, n_repeats=2, random_state=random_state), len(X_test), 3),
        "LIME (5,000 samples)": (lime_one_row, 1, 1),
    }
    costs, kernel_values = {}, None
    for name, (run, rows, repeat) in runs.items():
        result, took = seconds(run, repeat=repeat)
        costs[name] = took / rows
        kernel_values = result if name.startswith("KernelSHAP") else kernel_values
    return costs, kernel_values
