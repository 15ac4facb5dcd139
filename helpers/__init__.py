"""Helpers for the "Explaining ML models" course.

Import the modules explicitly, e.g. ``from helpers import data, models``. The docstring of each public
function and class of these modules names the notebook where it is taught or used ("Taught in
notebooks/NN_name.ipynb", "Used in ..."), or says "Infrastructure (not taught in a notebook)" for code
no notebook teaches; tests/test_docstrings.py enforces it (the exercise checkers are not covered).

- ``paths``: where files live, the shared settings, the model cache directories
- ``course``: the setup call of every notebook (seeds, plot style, quiet logs)
- ``cache``: atomic, hash-verified cache files
- ``data``: the UCI Cleveland heart table, validated; the Kaggle re-coding
- ``models``: the course's RandomForest and its train/test split
- ``compat``: every workaround for a library version (pdpbox, DiCE, eli5, matplotlib), version-checked
- ``fast_eli5``: eli5 imported without its Keras explainers (which would load TensorFlow)
- ``explain``: utilities for the tabular explanation notebooks (LIME set-up, rankings, planted columns)
- ``interactions``: correlated features and interactions (clusters of associated features, drop-column
  importance, Friedman's H)
- ``estimators``: exact Shapley values, and what each explanation method costs per row
- ``glassbox``: bootstrap AUC, the logistic glass box, additive contributions, counterfactuals
- ``images``: photos, silhouettes and ImageNet class names, loaded with clear errors
- ``cnn``: SqueezeNet and the silhouette CNN, input checks, layer look-up
- ``attribution``: Grad-CAM, gradients, Integrated Gradients, Guided Backprop, occlusion, LIME on superpixels,
  deletion and insertion curves, map similarity, randomized copies for the sanity checks
- ``featurevis``: feature visualization (notebook 11): plain ascent, transformation robustness, the Fourier
  and colour-decorrelated parameterisation, and the measures that check them
- ``adversarial``: FGSM, the top-k attack on gradient maps (through a softplus copy), the random-sign control,
  top-k overlap, and fine-tuning a network so its gradient map moves to the border (cached)
- ``sanity``: the sanity checks of saliency maps (cascading randomization, floors, the course's verdict rule)
- ``plots``: tree drawing, feature-map grids, heatmap overlays, attribution maps (JPEG for photo-like figures)
- ``fooling``: the attack of notebook 20 on LIME and KernelSHAP (perturbation generators, the
  out-of-distribution detector's data, the scaffold, a recorder of what an explainer asks)
- ``exercises``: the exercises' checkers, one module per notebook topic
"""

__all__ = ["adversarial", "attribution", "cache", "cnn", "compat", "course", "data", "estimators",
           "exercises", "explain", "fast_eli5", "featurevis", "fooling", "glassbox", "images", "interactions",
           "models", "paths", "plots", "sanity"]
