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


def test_compressing_a_figure_keeps_its_pixels_and_text_chunks():
    import base64
    import io

    import numpy as np
    from build_site import compress_png
    from PIL import Image
    from PIL.PngImagePlugin import PngInfo

    pixels = np.zeros((40, 60, 3), np.uint8)
    pixels[10:20, 10:50] = (200, 30, 30)
    info = PngInfo()
    info.add_text("course:min_font_px", "16.67")
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, format="PNG", pnginfo=info, compress_level=0)
    original = base64.b64encode(buffer.getvalue()).decode()
    smaller = compress_png(original)
    assert len(smaller) < len(original)
    with Image.open(io.BytesIO(base64.b64decode(smaller))) as img:
        assert np.array_equal(np.asarray(img.convert("RGB")), pixels)
        assert img.text["course:min_font_px"] == "16.67"
