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
    info.add_text("course:text", '{"min_px": 16.67}')
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, format="PNG", pnginfo=info, compress_level=0)
    original = base64.b64encode(buffer.getvalue()).decode()
    smaller = compress_png(original)
    assert len(smaller) < len(original)
    with Image.open(io.BytesIO(base64.b64decode(smaller))) as img:
        assert np.array_equal(np.asarray(img.convert("RGB")), pixels)
        assert img.text["course:text"] == '{"min_px": 16.67}'


def _png(pixels, stamp=None):
    import base64
    import io

    from PIL import Image
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    if stamp:
        info.add_text("course:text", stamp)
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, format="PNG", pnginfo=info)
    return base64.b64encode(buffer.getvalue()).decode()


def test_photo_like_figures_become_jpeg_keeping_the_text_stamp_and_plots_stay_png():
    import base64
    import io

    import numpy as np
    from build_site import JPEG_QUALITY, lossy_if_photo
    from legibility import stamp_of
    from PIL import Image

    rng = np.random.default_rng(0)
    smooth = np.linspace(0, 255, 300)
    photo = np.stack([*np.meshgrid(smooth, smooth), np.full((300, 300), 90.0)], -1)
    photo = np.clip(photo + rng.normal(0, 6, photo.shape), 0, 255).astype(np.uint8)
    mime, data = lossy_if_photo(_png(photo, stamp='{"min_px": 13.5}'))
    assert mime == "image/jpeg" and len(data) < len(_png(photo)) * 2 / 3
    with Image.open(io.BytesIO(base64.b64decode(data))) as img:
        assert img.format == "JPEG" and stamp_of(img) == {"min_px": 13.5}
        error = np.abs(np.asarray(img, float) - photo).mean()
    assert error < 8, f"JPEG at quality {JPEG_QUALITY} keeps the picture (mean error {error:.1f} levels)"

    plot = np.full((300, 400, 3), 255, np.uint8)
    plot[100:105, 20:380] = (31, 119, 180)
    plot[150:250, 200:205] = (255, 127, 14)
    assert lossy_if_photo(_png(plot, stamp="12.00"))[0] == "image/png", "a plot keeps its sharp lines"


def test_mathjax_is_needed_only_by_pages_with_a_formula():
    import nbformat
    from build_site import has_formula

    def nb(text):
        return nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(text)])

    assert has_formula(nb("the sum $\\sum_i \\phi_i = f(x)$ holds"))
    assert has_formula(nb("$$\\hat f(x) = \\frac{1}{n}$$"))
    assert not has_formula(nb("no formula here, not even a price of 5 dollars"))


def test_search_entries_split_a_page_at_its_headings():
    from site_chrome import search_entries, search_script, sections

    body = ('<h1 id="Title">Title<a class="anchor-link" href="#Title">¶</a></h1><p>intro</p>'
            '<h2 id="Partial-dependence">Partial dependence</h2><p>averages &amp; ICE lines</p>'
            '<script>var hidden = "secret";</script><h3 id="ALE">ALE</h3><p>local effects</p>')
    assert [(s.level, s.anchor, s.title) for s in sections(body)] == [
        (1, "Title", "Title"), (2, "Partial-dependence", "Partial dependence"), (3, "ALE", "ALE")]
    entries = search_entries(body, "02_x.html", "02 · PD")
    assert [e["anchor"] for e in entries] == ["Title", "Partial-dependence", "ALE"]
    assert entries[1]["text"] == "averages & ICE lines" and "secret" not in search_script(entries)
    assert search_script(entries).startswith("window.COURSE_SEARCH = [")


def test_pages_over_the_budget_are_named(tmp_path):
    from build_site import oversized

    (tmp_path / "01_small.html").write_bytes(b"x" * 10)
    (tmp_path / "02_large.html").write_bytes(b"x" * 2_000_001)
    (tmp_path / "index.html").write_bytes(b"x" * 3_000_000)
    assert oversized(tmp_path) == [("02_large.html", 2_000_001)]
