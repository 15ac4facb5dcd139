import matplotlib
import pytest
from sklearn.tree import DecisionTreeClassifier

from helpers import plots


@pytest.fixture(scope="module")
def tree():
    return DecisionTreeClassifier(max_depth=2, random_state=0).fit([[0, 1], [1, 0], [1, 1], [0, 0]], [0, 1, 1, 0])


def test_draw_tree_with_graphviz(tree):
    if not plots.has_dot():
        pytest.fail("Graphviz's dot is missing: `make` installs it (apt) when run as root")
    src = plots.draw_tree(tree, ["a", "b"], ["no", "yes"])
    assert "digraph" in src.source and "a <= 0.5" in src.source
    assert src.pipe(format="svg").startswith(b"<?xml")


def test_draw_tree_falls_back_without_dot(tree, monkeypatch, capsys):
    monkeypatch.setattr(plots.shutil, "which", lambda name: None)
    fig = plots.draw_tree(tree, ["a", "b"], ["no", "yes"])
    assert isinstance(fig, matplotlib.figure.Figure)
    assert capsys.readouterr().out.count("\n") == 1, "one clear line, not a traceback"
