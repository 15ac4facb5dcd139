"""A clone made the way Git for Windows makes it (core.autocrlf=true) still gets byte-exact data: the
repository's .gitattributes keeps data/ and images/ out of line-ending conversion."""

import shutil
import subprocess

import pytest

from helpers import cache, data, images, paths


@pytest.fixture(scope="module")
def windows_style_clone(tmp_path_factory):
    if shutil.which("git") is None or not (paths.ROOT / ".git").exists():
        pytest.fail("this test needs git and a git checkout of the course")
    target = tmp_path_factory.mktemp("crlf") / "clone"
    subprocess.run(["git", "clone", "--quiet", "-c", "core.autocrlf=true", str(paths.ROOT), str(target)],
                   check=True)
    return target


def test_text_files_do_get_crlf_in_such_a_clone(windows_style_clone):
    """The clone really converts: a Python file comes out with CRLF (so the next test means something)."""
    assert b"\r\n" in (windows_style_clone / "helpers" / "__init__.py").read_bytes() or \
        b"\r\n" in (windows_style_clone / "README.md").read_bytes()


@pytest.mark.parametrize("relative,expected", [
    (f"data/{data.HEART_FILE}", data.HEART_SHA256),
    (f"data/{images.IMAGENET_FILE}", images.IMAGENET_SHA256),
    (f"data/{images.ANIMALS_FILE}", images.ANIMALS_SHA256),
])
def test_shipped_data_keeps_its_hash_with_core_autocrlf(windows_style_clone, relative, expected):
    assert cache.sha256_file(windows_style_clone / relative) == expected
