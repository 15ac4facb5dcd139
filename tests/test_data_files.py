"""Every shipped data and image file matches the sha256 recorded in its folder's README."""

import re

import pytest

from helpers import cache, data, paths

ROW = re.compile(r"^\|\s*`([^`]+)`\s*\|\s*`([0-9a-f]{64})`\s*\|", re.MULTILINE)


def recorded(folder):
    return dict(ROW.findall((folder / "README.md").read_text()))


def shipped_files(folder):
    return sorted(p.name for p in folder.iterdir() if p.is_file() and p.name != "README.md")


@pytest.mark.parametrize("folder", [paths.DATA_DIR, paths.IMAGES_DIR], ids=["data", "images"])
def test_every_shipped_file_is_recorded_with_its_hash(folder):
    if not folder.exists():
        pytest.fail(f"{folder} is missing")
    table = recorded(folder)
    assert shipped_files(folder) == sorted(table), "README table and folder contents differ"
    for name, digest in table.items():
        assert cache.sha256_file(folder / name) == digest, \
            f"{folder.name}/{name} does not match its README hash"


def test_loader_pins_the_same_hash_as_the_readme():
    assert recorded(paths.DATA_DIR)[data.HEART_FILE] == data.HEART_SHA256
