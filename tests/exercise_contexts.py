"""How the notebooks' objects are rebuilt for the exercise tests: one builder per topic module, taking
the course's forest and split (helpers.models.heart_forest) and returning what the notebook passes to
exercises.load()."""

from helpers import explain, models


def permutation_importance_context(heart):
    X_train_noise = explain.add_noise_column(heart.X_train, random_state=0)
    X_test_noise = explain.add_noise_column(heart.X_test, random_state=1)
    return {"forest": heart.forest, "X_train": heart.X_train, "X_test": heart.X_test,
            "y_train": heart.y_train, "y_test": heart.y_test, "X_test_noise": X_test_noise,
            "forest_noise": models.train_forest(X_train_noise, heart.y_train, random_state=0)}


def partial_dependence_context(heart):
    return {"forest": heart.forest, "X_train": heart.X_train}


def shap_values_context(heart):
    import pandas as pd
    import shap

    row = models.example_patient(heart)
    explainer = shap.TreeExplainer(heart.forest)
    values = explainer.shap_values(heart.X_test)
    return {"forest": heart.forest, "X_test": heart.X_test, "row": row, "colleague_row": 0,
            "X_all": pd.concat([heart.X_train, heart.X_test]).sort_index(),
            "colleague_base": explainer.expected_value[0],  # the wrong class's base value, as in the notebook
            "colleague_values": pd.Series(values[0, :, 1], index=heart.X_test.columns)}


def lime_explanations_context(heart):
    return {"forest": heart.forest, "X_train": heart.X_train, "X_test": heart.X_test,
            "row": models.example_patient(heart), "seed": 0}


def trusting_tabular_context(heart):
    from helpers import data

    loaded = data.load_heart()
    X_k, y_k = data.to_kaggle_coding(loaded.X, loaded.y)
    Xk_train = X_k.loc[heart.X_train.index]
    return {"forest": heart.forest, "X_train": heart.X_train, "X_test": heart.X_test,
            "y_train": heart.y_train, "y_test": heart.y_test, "seed": 0, "Xk_train": Xk_train,
            "forest_k": models.train_forest(Xk_train, y_k.loc[heart.y_train.index], random_state=0)}


def activations_context(heart):
    from helpers import cnn, images

    animals = images.load_animals(random_state=0)
    return {"model": cnn.get_or_train_small_cnn(animals, seed=0)[0], "animals": animals}


def filter_visualization_context(heart):
    """Notebook 11's `measures` (its checks' numbers; the optimisations take the notebook ~20 s): a stand-in
    with the notebook's structure and values close to its run's (kept share under unseen transformations
    and share of spectral energy above half-Nyquist, per unit and method)."""
    import pandas as pd

    labels = [f"{layer} #{unit}" for layer in ("fire2", "fire4", "fire6", "fire9") for unit in (0, 40)]
    kept = {"plain": [0.12, 0.34, 0.14, 0.14, 0.21, 0.24, -0.02, 0.05],
            "robust": [0.66, 0.68, 0.48, 0.49, 0.68, 0.71, 0.53, 0.53],
            "robust + Fourier": [0.72, 0.68, 0.58, 0.56, 0.72, 0.74, 0.66, 0.63]}
    high = {"plain": [0.63, 0.80, 0.59, 0.54, 0.59, 0.59, 0.60, 0.64],
            "robust": [0.36, 0.62, 0.40, 0.32, 0.35, 0.34, 0.41, 0.49],
            "robust + Fourier": [0.05, 0.28, 0.10, 0.08, 0.05, 0.05, 0.07, 0.07]}
    measures = pd.concat({"kept": pd.DataFrame(kept, index=labels), "high": pd.DataFrame(high, index=labels)},
                         axis=1)
    return {"measures": measures}


def grad_cam_context(heart):
    import numpy as np

    from helpers import cnn, images

    pair = np.concatenate([images.load_image(images.course_image("chelsea_cat.png"), size=227),
                           images.load_image(images.course_image("coffee.png"), size=227)], axis=1)
    return {"model": cnn.build_squeezenet(size=None), "class_names": images.imagenet_classes(), "pair": pair}


def glass_boxes_context(heart):
    """Notebook 08's objects: the glass boxes beside the forest, their held-out predictions and the margin
    fixed in the setup cell."""
    import pandas as pd
    from interpret.glassbox import ExplainableBoostingClassifier
    from sklearn.tree import DecisionTreeClassifier

    from helpers import data, glassbox

    logistic = glassbox.logistic_glassbox().fit(heart.X_train, heart.y_train)
    nominal = [f for f in data.CATEGORICAL if f != "ca"]
    ebm = ExplainableBoostingClassifier(
        feature_types=["nominal" if f in nominal else "continuous" for f in heart.feature_names],
        interactions=0, random_state=0).fit(heart.X_train, heart.y_train)
    tree = DecisionTreeClassifier(max_depth=3, random_state=0).fit(heart.X_train, heart.y_train)
    fitted = {"forest": heart.forest, "logistic regression": logistic, "tree (depth 3)": tree, "EBM": ebm}
    predictions = pd.DataFrame({name: m.predict_proba(heart.X_test)[:, 1] for name, m in fitted.items()})
    return {"logistic": logistic, "X_train": heart.X_train, "predictions": predictions,
            "y_test": heart.y_test, "margin": 0.02}


def counterfactuals_and_rules_context(heart):
    """Notebook 09's objects: the forest and two glass boxes that re-predict the counterfactuals, the
    borderline patient, the surrogate tree (fitted to the forest's classes) and the label-trained tree."""
    import numpy as np
    from interpret.glassbox import ExplainableBoostingClassifier
    from sklearn.tree import DecisionTreeClassifier

    from helpers import data, glassbox

    nominal = [f for f in data.CATEGORICAL if f != "ca"]
    ebm = ExplainableBoostingClassifier(
        feature_types=["nominal" if f in nominal else "continuous" for f in heart.feature_names],
        interactions=0, random_state=0).fit(heart.X_train, heart.y_train)
    others = {"forest": heart.forest, "logistic regression": glassbox.logistic_glassbox().fit(heart.X_train,
                                                                                              heart.y_train),
              "EBM": ebm}
    risk = heart.forest.predict_proba(heart.X_test)[:, 1]
    flagged = np.flatnonzero((heart.y_test.to_numpy() == 1) & (risk >= 0.5))
    query = heart.X_test.iloc[[flagged[risk[flagged].argmin()]]]
    surrogate = DecisionTreeClassifier(max_depth=3, random_state=0).fit(heart.X_train,
                                                                        heart.forest.predict(heart.X_train))
    glass_tree = DecisionTreeClassifier(max_depth=3, random_state=0).fit(heart.X_train, heart.y_train)
    return {"good_models": others, "query": query, "forest": heart.forest, "surrogate": surrogate,
            "glass_tree": glass_tree, "X_test": heart.X_test}


def correlated_features_context(heart):
    """Notebook 06's objects; its drop-column table (15 retrained forests in the notebook) is a stand-in
    with the notebook's measured values, one column per seed."""
    import pandas as pd

    rows = {"thalach": [-0.0108, 0.0065, 0.0065], "cp": [0.0303, 0.0422, 0.0487],
            "the exercise test": [0.0054, 0.0065, 0.0173], "thalach's cluster": [0.0390, 0.0519, 0.0444]}
    drop = pd.DataFrame.from_dict(rows, orient="index", columns=[0, 1, 2])
    return {"forest": heart.forest, "X_test": heart.X_test, "y_test": heart.y_test, "drop": drop,
            "cluster_name": "thalach's cluster", "SEED": 0}


def interactions_and_estimators_context(heart):
    """Notebook 07's objects."""
    return {"forest": heart.forest, "X_train": heart.X_train, "y_train": heart.y_train,
            "X_test": heart.X_test, "row": models.example_patient(heart)}


def fooling_explainers_context(heart):
    """Notebook 20's objects: the course's split with the planted coin, and the scaffold trained as there."""
    import numpy as np
    import pandas as pd
    import shap

    from helpers import fooling

    coin = np.random.default_rng(0)
    X_train = heart.X_train.assign(unrelated=coin.integers(0, 2, len(heart.X_train)).astype(float))
    X_test = heart.X_test.assign(unrelated=coin.integers(0, 2, len(heart.X_test)).astype(float))
    biased, harmless = fooling.RuleModel("sex").fit(X_train), fooling.RuleModel("unrelated").fit(X_train)
    centres = pd.DataFrame(shap.kmeans(X_train.to_numpy(), 10).data, columns=X_train.columns)
    n_fake = 20 * len(X_train)
    X_detect, is_real = fooling.detector_data(
        X_train, fooling.lime_style(X_train, n_fake, random_state=1),
        fooling.kernel_shap_style(X_train, centres, n_fake, random_state=2))
    scaffold = fooling.Scaffold(biased, harmless, random_state=0).fit(X_detect, is_real)
    return {"scaffold": scaffold, "X_train": X_train, "X_test": X_test, "seed": 0}


CONTEXTS = {"activations": activations_context,
            "correlated_features": correlated_features_context,
            "counterfactuals_and_rules": counterfactuals_and_rules_context,
            "glass_boxes": glass_boxes_context,
            "grad_cam": grad_cam_context,
            "interactions_and_estimators": interactions_and_estimators_context,
            "filter_visualization": filter_visualization_context,
            "fooling_explainers": fooling_explainers_context,
            "lime_explanations": lime_explanations_context,
            "trusting_tabular": trusting_tabular_context,
            "permutation_importance": permutation_importance_context,
            "partial_dependence": partial_dependence_context,
            "shap_values": shap_values_context}
