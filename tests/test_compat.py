"""helpers.compat: each library-version workaround names its version, and importing the module checks it."""

import importlib
import warnings

import pytest

from helpers import compat, course, fast_eli5, paths


def test_every_workaround_names_a_pinned_version():
    lines = [line for name in ("requirements.txt", "requirements-nodeps.txt")
             for line in (paths.ROOT / name).read_text().splitlines()]
    pins = {line.split("==")[0].lower(): line.split("==")[1].split(";")[0].strip()
            for line in lines if "==" in line and not line.startswith("#")}
    for dist, (prefix, workaround) in compat.WRITTEN_FOR.items():
        assert pins[dist.lower()].startswith(prefix), (dist, pins[dist.lower()], prefix)
        assert workaround.startswith("compat.")
    assert compat.version_mismatches() == {}


def test_another_version_is_warned_about_at_import(monkeypatch):
    real = compat.metadata.version
    monkeypatch.setattr(compat.metadata, "version", lambda d: "0.4.0" if d == "PDPbox" else real(d))
    with pytest.warns(UserWarning, match=r"PDPbox 0.4.0 is installed, but compat.quiet_pdpbox .* written for "
                                         r"PDPbox 0.3.x"):
        importlib.reload(compat)
    monkeypatch.undo()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        importlib.reload(compat)


def test_the_old_names_still_work():
    assert course.quiet_pdpbox.__module__ == "helpers.compat" and course.PDPBOX_LINE == compat.PDPBOX_LINE
    assert fast_eli5.eli5.__name__ == "eli5"


def test_quiet_dice_restores_the_progress_bar():
    from dice_ml.explainer_interfaces import explainer_base

    original = explainer_base.tqdm
    with pytest.raises(ValueError), compat.quiet_dice():
        assert explainer_base.tqdm([1, 2]) == [1, 2]
        raise ValueError
    assert explainer_base.tqdm is original
