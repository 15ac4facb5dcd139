"""Helpers for the "Explaining ML models" course.

Import the modules explicitly, e.g. ``from helpers import data, models``. Each function's docstring
names the notebook where its idea is taught in full.

- ``paths``: where files live, the shared settings, the model cache directories
- ``course``: the setup call of every notebook (seeds, plot style, quiet logs)
- ``cache``: atomic, hash-verified cache files
- ``data``: the UCI Cleveland heart table, validated; the Kaggle re-coding
- ``models``: the course's RandomForest and its train/test split
- ``fast_eli5``: eli5 imported without its Keras explainers (which would load TensorFlow)
- ``explain``: utilities for the tabular explanation notebooks (LIME set-up, rankings, planted columns)
- ``interactions``: correlated features and interactions (clusters, grouped permutation and drop-column
  importance, Friedman's H)
- ``glassbox``: bootstrap AUC, the logistic glass box, additive contributions, counterfactuals
- ``images``: photos, silhouettes and ImageNet class names, loaded with clear errors
- ``cnn``: SqueezeNet and the silhouette CNN, input checks, layer look-up
- ``attribution``: Grad-CAM, gradients, Integrated Gradients, Guided Backprop, occlusion, LIME on superpixels,
  deletion and insertion curves, map similarity, randomized copies for the sanity checks
- ``sanity``: the sanity checks of saliency maps (cascading randomization, floors, the course's verdict rule)
- ``plots``: tree drawing, feature-map grids, heatmap overlays, attribution maps (JPEG for photo-like figures)
- ``exercises``: the exercises' checkers, one module per notebook topic
"""

__all__ = ["attribution", "cache", "cnn", "course", "data", "exercises", "explain", "fast_eli5", "glassbox",
           "images", "interactions", "models", "paths", "plots", "sanity"]
