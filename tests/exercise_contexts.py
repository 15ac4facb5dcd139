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
    import keras
    import numpy as np
    import tensorflow as tf

    from helpers import cnn

    model = cnn.build_squeezenet(size=None)
    extractor = keras.Model(model.input, model.get_layer("fire8_expand3x3").output)
    x = tf.Variable(np.random.default_rng(0).uniform(-10, 10, (1, 96, 96, 3)).astype("float32"))
    for _ in range(40):  # notebook 11's normalised ascent for filter 0
        with tf.GradientTape() as tape:
            score = tf.reduce_mean(extractor(x)[:, 1:-1, 1:-1, 0])  # CROP = 1
        grad = tape.gradient(score, x)
        x.assign_add(2.0 * grad / (tf.sqrt(tf.reduce_mean(tf.square(grad))) + 1e-8))

    class Patterns:
        images = x.numpy()

    return {"model": model, "patterns": {"fire8_expand3x3": Patterns}, "seed": 0}


def grad_cam_context(heart):
    import numpy as np

    from helpers import cnn, images

    pair = np.concatenate([images.load_image(images.course_image("chelsea_cat.png"), size=227),
                           images.load_image(images.course_image("coffee.png"), size=227)], axis=1)
    return {"model": cnn.build_squeezenet(size=None), "class_names": images.imagenet_classes(), "pair": pair}


def glass_boxes_context(heart):
    """Notebook 07's objects: the glass boxes beside the forest, their held-out predictions, three of the
    equally good models and the borderline patient the counterfactual exercise asks about."""
    import numpy as np
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
    good = {"forest, seed 0": heart.forest, "logistic regression": logistic, "EBM": ebm}
    risk = predictions["forest"].to_numpy()
    flagged = np.flatnonzero((heart.y_test.to_numpy() == 1) & (risk >= 0.5))
    query = heart.X_test.iloc[[flagged[risk[flagged].argmin()]]]
    return {"logistic": logistic, "X_train": heart.X_train, "predictions": predictions,
            "y_test": heart.y_test, "good_models": good, "query": query}


def correlation_and_interactions_context(heart):
    """Notebook 06's objects; its drop-column table (15 retrained forests in the notebook) is a stand-in
    with the notebook's measured values."""
    import pandas as pd

    rows = {"thalach": [0.0007] * 3, "cp": [0.04] * 3, "the exercise test": [0.01] * 3,
            "thalach's cluster": [0.045] * 3}
    drop = pd.DataFrame.from_dict(rows, orient="index", columns=[0, 1, 2])
    return {"forest": heart.forest, "X_train": heart.X_train, "y_train": heart.y_train,
            "X_test": heart.X_test, "y_test": heart.y_test, "drop": drop, "cluster_name": "thalach's cluster",
            "row": models.example_patient(heart), "SEED": 0}


CONTEXTS = {"activations": activations_context,
            "correlation_and_interactions": correlation_and_interactions_context,
            "glass_boxes": glass_boxes_context,
            "grad_cam": grad_cam_context,
            "filter_visualization": filter_visualization_context,
            "lime_explanations": lime_explanations_context,
            "trusting_tabular": trusting_tabular_context,
            "permutation_importance": permutation_importance_context,
            "partial_dependence": partial_dependence_context,
            "shap_values": shap_values_context}
