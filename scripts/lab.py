"""Start JupyterLab in projector mode: ``make lab PROJECTOR=1`` and ``make lab-learner PROJECTOR=1`` run

    python scripts/lab.py --projector -- .venv/bin/jupyter lab --notebook-dir=notebooks --ip=... --port=...

which copies the course's shipped JupyterLab settings and workspace (``classroom/projector/``) into a fresh,
git-ignored folder (``build/jupyterlab-projector/``, refreshed at every launch: JupyterLab writes to it),
points ``JUPYTERLAB_SETTINGS_DIR`` and ``JUPYTERLAB_WORKSPACES_DIR`` at it, and then becomes the given
command. The settings: 16-px code, 18-px prose and a 15-px interface, no padding around the notebook area,
the activity bars above the side areas, the file browser (the left area) collapsed, and no news pop-up or
update check. At 1024 px a code cell then shows the notebooks' 90-character lines without scrolling
(tests/test_jupyterlab.py measures it in a browser, starting JupyterLab through this script).

Without ``--projector`` the command runs unchanged, with the user's own JupyterLab settings (the Makefile
does not call this script then). Only the ``settings/`` and ``workspaces/`` of the folder given by ``--state``
are replaced; it refuses a folder that is, or is inside, the learner's ``my_notebooks/`` or the shipped
``classroom/projector/`` (or holds it), or the repository.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from pathlib import Path

#: This repository (found from this file, so a clone run with another clone's environment uses its own files).
ROOT = Path(__file__).resolve().parents[1]
#: The shipped projector settings (``*.jupyterlab-settings`` by plugin) and workspace (left area collapsed).
SHIPPED = ROOT / "classroom" / "projector"
#: The git-ignored copy JupyterLab is pointed at (build/ is ignored; `make clean` deletes it, no loss).
STATE = ROOT / "build" / "jupyterlab-projector"
PARTS = {"settings": "JUPYTERLAB_SETTINGS_DIR", "workspaces": "JUPYTERLAB_WORKSPACES_DIR"}


def projector_environment(state: Path = STATE, environ: dict | None = None) -> dict:
    """Copy the shipped settings and workspace into ``state`` (replacing what an earlier launch left there)
    and return the environment that makes JupyterLab use them."""
    state = Path(state).resolve()
    learner, shipped = (ROOT / "my_notebooks").resolve(), SHIPPED.resolve()
    if (state == learner or learner in state.parents or state in (ROOT, *ROOT.parents)
            or state == shipped or shipped in state.parents or state in shipped.parents):
        # the shipped folder itself: its settings/ would be deleted before being copied onto themselves
        raise SystemExit(f"refusing to write JupyterLab's projector settings into {state}")
    env = dict(os.environ if environ is None else environ)
    for part, variable in PARTS.items():
        target = state / part
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(SHIPPED / part, target)
        env[variable] = str(target)
    return env


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--projector", action="store_true",
                        help="use the shipped projector settings (classroom/projector/)")
    parser.add_argument("--state", type=Path, default=STATE,
                        help=f"where to put the copy JupyterLab uses (default {STATE.relative_to(ROOT)})")
    parser.add_argument("command", nargs=argparse.REMAINDER, help="the JupyterLab command, after --")
    args = parser.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("give the command to run after --, e.g. -- .venv/bin/jupyter lab")
    env = projector_environment(args.state) if args.projector else dict(os.environ)
    if args.projector:
        print(f"projector mode: JupyterLab settings from {SHIPPED.relative_to(ROOT)}/ "
              f"(a fresh copy in {args.state})", flush=True)
    sys.stdout.flush()
    os.execvpe(command[0], command, env)


if __name__ == "__main__":
    main()
