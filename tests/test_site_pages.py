"""How executed notebooks are turned into static site pages (no notebook is executed here)."""

import nbformat
from build_site import static_outputs


def test_static_pages_drop_widgets_and_collapse_carriage_returns():
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("loop()")])
    nb.cells[0].outputs = [
        nbformat.v4.new_output("display_data",
                               data={"application/vnd.jupyter.widget-view+json": {"model_id": "x"},
                                     "text/plain": "  0%|  | 0/61"}),
        nbformat.v4.new_output("stream", name="stdout", text="\rbar 0%\rbar 50%\rbar 100%\ndone\n"),
    ]
    out = static_outputs(nb).cells[0].outputs
    assert len(out) == 1 and out[0].text == "bar 100%\ndone\n"
    assert len(nb.cells[0].outputs) == 2, "the executed notebook itself is left untouched"
