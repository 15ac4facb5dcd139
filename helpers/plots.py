"""Reusable plots. Each function draws on a fresh figure and returns it (or a graphviz object), so a
notebook cell ends with the figure and nothing else is printed."""

from __future__ import annotations

import shutil

import matplotlib.pyplot as plt


def has_dot() -> bool:
    """True when Graphviz's ``dot`` program is on the PATH."""
    return shutil.which("dot") is not None


def draw_tree(tree, feature_names, class_names, max_depth: int | None = None):
    """Draw one decision tree with graphviz, or with ``sklearn.tree.plot_tree`` when ``dot`` is missing.

    Taught in notebooks/00_data_and_model.ipynb. Returns a ``graphviz.Source`` (rendered by Jupyter)
    or a matplotlib figure.
    """
    from sklearn.tree import export_graphviz, plot_tree

    feature_names, class_names = list(feature_names), list(class_names)
    if has_dot():
        import graphviz

        dot = export_graphviz(tree, out_file=None, feature_names=feature_names, class_names=class_names,
                              filled=True, rounded=True, proportion=True, precision=2, max_depth=max_depth,
                              impurity=False)
        return graphviz.Source(dot)
    print("Graphviz's `dot` program is not installed (Debian: apt-get install graphviz; conda: graphviz); "
          "drawing with sklearn.tree.plot_tree instead.")
    fig, ax = plt.subplots(figsize=(16, 7))
    plot_tree(tree, feature_names=feature_names, class_names=class_names, filled=True, rounded=True,
              proportion=True, precision=2, max_depth=max_depth, impurity=False, fontsize=8, ax=ax)
    plt.close(fig)
    return fig
