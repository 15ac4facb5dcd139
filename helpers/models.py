"""The course's RandomForest on the Cleveland heart data.

Taught in full in notebooks/00_data_and_model.ipynb; notebooks 01-05 get the same model on the same
held-out split from ``heart_forest()``. The forest trains in well under a second and is deterministic
for a fixed ``random_state``, so it is retrained rather than cached.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import train_test_split

from . import data

#: The course's forest: 100 trees (scikit-learn's default), at most 5 levels deep as in the original Kaggle
#: kernel, splitting only nodes with at least 5 training patients.
FOREST_PARAMS = {"n_estimators": 100, "max_depth": 5, "min_samples_split": 5}
TEST_SIZE = 0.2


@dataclass(frozen=True)
class HeartForest:
    """The fitted forest with the split it was trained and evaluated on.

    Returned by ``heart_forest``; the model is built in full in notebooks/00_data_and_model.ipynb.
    """

    forest: RandomForestClassifier
    X_train: pd.DataFrame
    X_test: pd.DataFrame
    y_train: pd.Series
    y_test: pd.Series

    @property
    def feature_names(self) -> list[str]:
        return list(self.X_train.columns)


def split_heart(X: pd.DataFrame, y: pd.Series, random_state: int = 0):
    """80/20 train/test split, stratified on the label so both parts keep the 54/46 class balance.

    The split written out in notebooks/00_data_and_model.ipynb.
    """
    return train_test_split(X, y, test_size=TEST_SIZE, stratify=y, random_state=random_state)


def train_forest(X_train: pd.DataFrame, y_train: pd.Series, random_state: int = 0,
                 **overrides) -> RandomForestClassifier:
    """Fit a ``RandomForestClassifier`` with ``FOREST_PARAMS`` (any of them can be overridden).

    The forest written out in notebooks/00_data_and_model.ipynb; used in
    notebooks/01_permutation_importance.ipynb, notebooks/05_trusting_tabular_explanations.ipynb and later.
    """
    params = {**FOREST_PARAMS, **overrides, "random_state": random_state}
    return RandomForestClassifier(**params).fit(X_train, y_train)


def heart_forest(random_state: int = 0) -> HeartForest:
    """Load the validated data, fill the 6 missing codes, split 80/20 and fit the forest.

    Checked against the code written out in notebooks/00_data_and_model.ipynb; used in every tabular notebook.
    """
    heart = data.load_heart()
    X = data.fill_missing(heart.X)
    X_train, X_test, y_train, y_test = split_heart(X, heart.y, random_state=random_state)
    forest = train_forest(X_train, y_train, random_state=random_state)
    return HeartForest(forest, X_train, X_test, y_train, y_test)


def example_patient(bundle: HeartForest) -> int:
    """Position in ``bundle.X_test`` of the course's example patient: the held-out patient with heart
    disease to whom the forest gives the highest risk. Chosen in notebooks/03_shap.ipynb and explained
    again by LIME (04) and in the trust checks (05)."""
    sick = (bundle.y_test.to_numpy() == 1).nonzero()[0]
    proba = bundle.forest.predict_proba(bundle.X_test)[:, 1]
    return int(sick[proba[sick].argmax()])
