"""JupyterLab in projector mode (`make lab PROJECTOR=1`), measured in headless Chromium at 1024 x 768, the
width of a classroom projector.

JupyterLab is started with the command `make lab PROJECTOR=1` runs (read from the Makefile with `make -n`:
scripts/lab.py and the shipped settings in classroom/projector/), on a free port, with its own copy of the
settings, serving a temporary folder that holds copies of the course's notebooks (never the repository's
folder). Test-only additions: no browser, a token, notebooks start no kernel (none is needed to show a
notebook; nothing is executed), and the application is exposed to the page so the test can open notebooks.
Measured: code and prose are at the projector sizes, the file browser is collapsed, no news or update
notification appears, a code line of the notebooks' limit (notebooks/ruff.toml) fits without horizontal
scrolling while a longer one scrolls, and no code cell of any notebook scrolls horizontally. Also: every
launch starts from the shipped settings, and the Makefile uses them only with PROJECTOR=1."""

import json
import os
import shlex
import shutil
import socket
import subprocess
import time
import tomllib
import urllib.request

import lab as lab_script
import pytest
from legibility import BROWSER_ARGS

from helpers import paths

WIDTH, HEIGHT = 1024, 768
CODE_PX, PROSE_PX = 16, 18  # classroom/projector/: JupyterLab's own defaults are 13 px and 14 px
LIMIT = tomllib.loads((paths.NOTEBOOKS_DIR / "ruff.toml").read_text())["line-length"]  # 90
TOO_LONG = 100  # a line the test must see scroll: proves the measure can fail
PROBE = "probe.ipynb"  # lines of LIMIT - 10 to TOO_LONG + 10 characters, one per code cell, and some prose
PROBE_LENGTHS = range(LIMIT - 10, TOO_LONG + 11)
NOTEBOOKS = [nb.name for nb in paths.course_notebooks()]
START_SECONDS = 60


def probe_notebook() -> dict:
    lines = [f"x = '{'a' * (n - 6)}'" for n in PROBE_LENGTHS]
    assert all(len(line) == n for line, n in zip(lines, PROBE_LENGTHS))
    cells = [{"cell_type": "markdown", "id": "prose", "metadata": {},
              "source": "Some **prose**, as the notebooks' markdown cells render it."}]
    cells += [{"cell_type": "code", "id": f"line{len(line)}", "metadata": {}, "source": line, "outputs": [],
               "execution_count": None} for line in lines]
    kernel = json.loads(paths.course_notebooks()[0].read_text())["metadata"]
    return {"cells": cells, "metadata": kernel, "nbformat": 4, "nbformat_minor": 5}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def make_lab(*variables: str) -> list[str]:
    """The JupyterLab command `make lab <variables>` runs (`make -n`: printed, not run)."""
    venv = paths.ROOT / ".venv"
    run = subprocess.run(["make", "-s", "-n", "-C", str(paths.ROOT), f"VENV={venv}", "-o",
                          str(venv / ".installed"), "lab", *variables],
                         capture_output=True, text=True, check=True)
    (line,) = [line for line in run.stdout.splitlines() if "jupyter lab" in line and "echo" not in line]
    return shlex.split(line)


def test_make_lab_uses_the_projector_settings_only_when_asked():
    command = make_lab("PROJECTOR=1")
    assert command[1:4] == ["scripts/lab.py", "--projector", "--"], command
    assert "--notebook-dir=notebooks" in command
    normal = make_lab()
    assert normal[0].endswith("/jupyter") and "lab.py" not in " ".join(normal), \
        "normal mode keeps the user's own JupyterLab settings"


def test_each_launch_starts_from_the_shipped_settings(tmp_path):
    state = tmp_path / "state"
    env = lab_script.projector_environment(state, environ={})
    assert env == {"JUPYTERLAB_SETTINGS_DIR": str(state / "settings"),
                   "JUPYTERLAB_WORKSPACES_DIR": str(state / "workspaces")}
    changed = state / "settings" / "@jupyterlab" / "apputils-extension" / "themes.jupyterlab-settings"
    changed.write_text("{}")  # what JupyterLab writes when the presenter changes a setting
    (state / "workspaces" / "other.jupyterlab-workspace").write_text("{}")
    lab_script.projector_environment(state, environ={})
    shipped = sorted(p.relative_to(lab_script.SHIPPED) for p in lab_script.SHIPPED.rglob("*") if p.is_file())
    assert sorted(p.relative_to(state) for p in state.rglob("*") if p.is_file()) == shipped
    assert changed.read_text() == (lab_script.SHIPPED / changed.relative_to(state)).read_text()
    root = lab_script.ROOT
    # classroom/projector/ itself: its settings/ were deleted, then copied from where they no longer were
    for folder in (root / "my_notebooks", root / "my_notebooks" / "x", root, lab_script.SHIPPED,
                   lab_script.SHIPPED / "settings", lab_script.SHIPPED.parent):
        with pytest.raises(SystemExit, match="refusing"):
            lab_script.projector_environment(folder, environ={})


@pytest.fixture(scope="module")
def browser(chromium, server):  # launched while JupyterLab starts
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, headless=True, args=BROWSER_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def server(chromium, tmp_path_factory):
    """JupyterLab as `make lab PROJECTOR=1` starts it, on copies of the notebooks: yields a function that
    waits until it answers and returns its URL."""
    tmp = tmp_path_factory.mktemp("jupyterlab")
    folder = tmp / "notebooks"
    folder.mkdir()
    for name in NOTEBOOKS:
        shutil.copy(paths.NOTEBOOKS_DIR / name, folder / name)
    (folder / PROBE).write_text(json.dumps(probe_notebook()))
    port, token = free_port(), os.urandom(16).hex()
    command = make_lab("PROJECTOR=1", "IP=127.0.0.1", f"PORT={port}")
    command.insert(command.index("--projector") + 1, f"--state={tmp / 'state'}")
    command = [f"--notebook-dir={folder}" if arg.startswith("--notebook-dir=") else arg for arg in command]
    command += ["--no-browser", f"--ServerApp.token={token}", "--LabApp.notebook_starts_kernel=False",
                "--LabApp.expose_app_in_browser=True"]
    log = (tmp / "server.log").open("w")
    env = {**os.environ, "JUPYTER_RUNTIME_DIR": str(tmp / "runtime")}
    process = subprocess.Popen(command, cwd=paths.ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    direct = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # no proxy for this machine

    def started() -> str:
        deadline = time.monotonic() + START_SECONDS
        while True:
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"JupyterLab did not start: {shlex.join(command)}\n"
                            f"{(tmp / 'server.log').read_text()[-3000:]}")
            try:
                with direct.open(f"{url}/api/status?token={token}", timeout=2):
                    return f"{url}/lab?token={token}"
            except OSError:
                time.sleep(0.3)

    try:
        yield started
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


NOTIFICATIONS = """() => ({
    toasts: [...document.querySelectorAll('.Toastify__toast')].map(t => t.textContent.slice(0, 100)),
    count: document.querySelector('.jp-Notification-Status')?.textContent.trim()})"""


@pytest.fixture(scope="module")
def lab(browser, server):
    """The JupyterLab page at 1024 x 768, and what it showed on starting: the left area (the file browser)
    and the notifications, 1.5 s after the layout was restored (without the shipped settings, the news
    question comes within a second)."""
    page = browser.new_page(viewport={"width": WIDTH, "height": HEIGHT})
    page.goto(server())
    page.wait_for_function("() => window.jupyterapp && window.jupyterapp.shell", timeout=START_SECONDS * 1000)
    page.evaluate("() => window.jupyterapp.restored")
    page.wait_for_timeout(1500)
    start = page.evaluate("""() => {
        const visible = sel => { const e = document.querySelector(sel);
            return !!e && e.offsetParent !== null && e.getBoundingClientRect().width > 0; };
        return {leftCollapsed: window.jupyterapp.shell.leftCollapsed,
                fileBrowserShown: visible('#filebrowser'),
                dockLeft: document.querySelector('#jp-main-dock-panel').getBoundingClientRect().left}; }""")
    start.update(page.evaluate(NOTIFICATIONS))
    yield page, start
    page.close()


MEASURE = """async () => {
    const panel = window.jupyterapp.shell.currentWidget;
    await panel.context.ready;
    await panel.revealed;
    const cells = panel.content.widgets.filter(cell => cell.model.type === 'code');
    await Promise.all(cells.map(cell => cell.ready));
    const frame = () => new Promise(resolve => requestAnimationFrame(() => resolve()));
    const measured = cells.map(cell => {
        const view = cell.editor.editor;  // CodeMirror's EditorView
        return {cell, view, seen: new Set(), widest: 0};
    });
    const look = m => {  // the lines CodeMirror has drawn (its viewport), and the width of its content
        const doc = m.view.state.doc;
        const from = doc.lineAt(m.view.viewport.from).number, to = doc.lineAt(m.view.viewport.to).number;
        for (let n = from; n <= to; n++) m.seen.add(n);
        m.widest = Math.max(m.widest, m.view.scrollDOM.scrollWidth);
    };
    measured.forEach(look);
    // CodeMirror draws only the lines near the window: reveal each undrawn part of a long cell in turn,
    // and keep the widest content seen
    for (const m of measured) {
        for (let tries = 0; m.seen.size < m.view.state.doc.lines && tries < 50; tries++) {
            let next = 1;
            while (m.seen.has(next)) next++;
            m.cell.editor.revealPosition({line: next - 1, column: 0});
            await frame();
            await frame();
            look(m);
        }
    }
    const index = panel.content.widgets;
    const out = measured.map(m => {
        const lengths = m.cell.model.sharedModel.getSource().split('\\n').map(line => line.length);
        const longest = Math.max(...lengths);
        return {cell: index.indexOf(m.cell) + 1, lines: m.view.state.doc.lines, seen: m.seen.size, longest,
                line: lengths.indexOf(longest) + 1, scrollWidth: m.widest,
                clientWidth: m.view.scrollDOM.clientWidth,
                codePx: getComputedStyle(m.view.contentDOM).fontSize};
    });
    const prose = panel.content.node.querySelector('.jp-RenderedMarkdown p');
    return {cells: out, prosePx: prose ? getComputedStyle(prose).fontSize : null};
}"""


def measure_notebook(page, name: str, prose: bool = False) -> dict:
    """Open a notebook in JupyterLab, measure every code cell once it is rendered (and, with ``prose``, once
    its first markdown cell is rendered: markdown renders asynchronously), and close it."""
    page.evaluate("async path => { await window.jupyterapp.commands.execute('docmanager:open', "
                  "{path, factory: 'Notebook'}); }", name)
    try:
        if prose:
            page.wait_for_selector(".jp-MarkdownCell .jp-RenderedMarkdown p", state="attached",
                                   timeout=20_000)
        return page.evaluate(MEASURE)
    finally:
        page.evaluate("() => window.jupyterapp.shell.currentWidget.dispose()")


@pytest.fixture(scope="module")
def probe(lab):
    page, _ = lab
    return measure_notebook(page, PROBE, prose=True)


def test_code_and_prose_are_at_projector_size(probe):
    assert {c["codePx"] for c in probe["cells"]} == {f"{CODE_PX}px"}, "the code cells' font (.cm-content)"
    assert probe["prosePx"] == f"{PROSE_PX}px", "rendered markdown's font"


def test_file_browser_starts_collapsed(lab):
    _, start = lab
    assert start["leftCollapsed"] and not start["fileBrowserShown"], start
    assert start["dockLeft"] < 5, f"the notebook area does not start at the left edge: {start}"


def test_line_limit_fits_and_a_longer_line_scrolls(probe):
    scrolls = {c["longest"]: c["scrollWidth"] > c["clientWidth"] for c in probe["cells"]}
    assert not scrolls[LIMIT], f"a {LIMIT}-character line scrolls at {WIDTH} px: {probe['cells']}"
    assert scrolls[TOO_LONG], f"a {TOO_LONG}-character line does not scroll: the measure cannot fail"
    fits = max(n for n, scrolled in scrolls.items() if not scrolled)
    assert not any(scrolls[n] for n in PROBE_LENGTHS if n <= fits), scrolls
    print(f"at {WIDTH} px a code cell shows {fits} characters (the limit is {LIMIT})")


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_no_code_cell_scrolls_horizontally(lab, name):
    page, _ = lab
    cells = measure_notebook(page, name)["cells"]
    assert cells, f"{name}: no code cell was rendered"
    unrendered = [c for c in cells if c["seen"] < c["lines"]]
    assert not unrendered, f"{name}: cells not rendered, so not measured: {unrendered}"
    wide = [f"cell {c['cell']} (line {c['line']} of {c['longest']} characters: {c['scrollWidth']} px of "
            f"content in {c['clientWidth']} px)" for c in cells if c["scrollWidth"] > c["clientWidth"]]
    assert not wide, (f"{name}: {len(wide)} code cells scroll horizontally at {WIDTH} px in projector mode "
                      f"(cells counted as JupyterLab's status bar does, markdown included; the limit is "
                      f"{LIMIT} characters, notebooks/ruff.toml):\n  " + "\n  ".join(wide))


def test_no_news_or_update_notification_and_no_kernel(lab):
    """On starting and after every notebook was opened (the test runs last in this module); and opening
    the notebooks started no kernel."""
    page, start = lab
    now = page.evaluate(NOTIFICATIONS)
    assert not start["toasts"] and start["count"] == "0", start
    assert not now["toasts"] and now["count"] == "0", now
    kernels = page.evaluate("""async () => { const kernels = window.jupyterapp.serviceManager.kernels;
        await kernels.refreshRunning(); return [...kernels.running()].length; }""")
    assert kernels == 0, "opening a notebook started a kernel"
