import json

import pytest

from helpers import cache


def write_text(text):
    return lambda tmp: tmp.write_text(text)


def test_roundtrip_and_verification(tmp_path):
    path = tmp_path / "m.bin"
    cache.write_atomic(path, "k1", write_text("payload"))
    assert cache.is_valid(path, "k1")
    assert not cache.is_valid(path, "other-key")


def test_tampered_payload_is_invalid(tmp_path):
    path = cache.write_atomic(tmp_path / "m.bin", "k", write_text("payload"))
    path.write_text("half-writ")
    assert not cache.is_valid(path, "k")


def test_missing_sidecar_is_invalid(tmp_path):
    path = cache.write_atomic(tmp_path / "m.bin", "k", write_text("payload"))
    path.with_name(path.name + ".json").unlink()
    assert not cache.is_valid(path, "k")


def test_failed_writer_leaves_nothing_and_keeps_old_entry(tmp_path):
    path = cache.write_atomic(tmp_path / "m.bin", "k", write_text("old"))

    def boom(tmp):
        tmp.write_text("partial")
        raise RuntimeError("training interrupted")

    with pytest.raises(RuntimeError):
        cache.write_atomic(path, "k2", boom)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.bin", "m.bin.json"]
    assert cache.is_valid(path, "k") and path.read_text() == "old"


def test_sidecar_records_key_and_hash(tmp_path):
    path = cache.write_atomic(tmp_path / "m.bin", "k", write_text("x"))
    meta = json.loads(path.with_name("m.bin.json").read_text())
    assert meta == {"key": "k", "sha256": cache.sha256_file(path)}


def test_verify_sha256_errors_name_the_file(tmp_path):
    with pytest.raises(FileNotFoundError, match="absent.h5: file not found"):
        cache.verify_sha256(tmp_path / "absent.h5", "0" * 64)
    f = tmp_path / "w.h5"
    f.write_bytes(b"abc")
    with pytest.raises(ValueError, match=r"w.h5: sha256 is .* expected 0{64}"):
        cache.verify_sha256(f, "0" * 64)
    assert cache.verify_sha256(f, cache.sha256_file(f)) == f


@pytest.mark.parametrize("sidecar", ["[]", "null", "42", '"k"', "{not json"])
def test_a_sidecar_that_is_not_a_json_object_is_invalid_not_a_crash(tmp_path, sidecar):
    path = cache.write_atomic(tmp_path / "m.bin", "k", write_text("payload"))
    path.with_name("m.bin.json").write_text(sidecar)
    assert not cache.is_valid(path, "k")


def test_crlf_copy_of_a_shipped_file_explains_line_endings(tmp_path):
    import hashlib

    f = tmp_path / "classes.json"
    f.write_bytes(b'["a",\r\n"b"]\r\n')
    with pytest.raises(ValueError, match="only difference is line endings"):
        cache.verify_sha256(f, hashlib.sha256(b'["a",\n"b"]\n').hexdigest())
    with pytest.raises(ValueError, match="corrupt or was replaced"):
        cache.verify_sha256(f, "0" * 64)
