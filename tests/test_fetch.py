"""The manifest matches the official files, and fetching only ever puts verified files in place."""
from __future__ import annotations

import csv
import hashlib
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from csc import fetch, manifest
from csc.errors import CscError

ROOT = Path(__file__).resolve().parent.parent


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def sources():
    return manifest.load(ROOT / "data" / "sources.yml")


def test_manifest_hashes_match_the_mirror(sources, mirror):
    for entry in sources.values():
        path = mirror / entry.mirror_path
        assert path.is_file(), f"{entry.id}: {path} not in the mirror"
        assert sha(path) == entry.sha256, f"{entry.id}: hash differs from the mirror's file"
        assert path.stat().st_size == entry.bytes


def test_every_mirror_data_file_is_in_the_manifest(sources, mirror):
    listed = {e.mirror_path for e in sources.values()}
    on_disk = {p.relative_to(mirror).as_posix() for p in mirror.rglob("*")
               if p.is_file() and not p.name.startswith("PROVENANCE")}
    assert on_disk - listed == set()


def test_manifest_agrees_with_the_mirrors_own_provenance_hashes(sources, mirror):
    by_path = {e.mirror_path: e.sha256 for e in sources.values()}
    checked = 0
    for provenance in mirror.glob("*/PROVENANCE_manifest.csv"):
        with open(provenance, encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                if row["file"] in by_path:
                    assert by_path[row["file"]] == row["sha256"], row["file"]
                    checked += 1
    assert checked > 100


def test_manifest_entries_carry_licence_and_publication(sources):
    for entry in sources.values():
        assert entry.licence == "OGL-3.0"
        assert entry.page_url.startswith("https://")
        assert entry.release and entry.publisher and entry.encoding


def test_malformed_manifest_is_one_clear_error(tmp_path):
    bad = tmp_path / "sources.yml"
    bad.write_text("sources:\n  - id: x\n    topic: cin\n")
    with pytest.raises(CscError, match=r"sources.yml: x lacks publisher"):
        manifest.load(bad)


def _entries(sources, n=3):
    small = sorted((e for e in sources.values() if (e.bytes or 0) < 50_000), key=lambda e: e.id)[:n]
    return {e.id: e for e in small}


def test_fetch_from_mirror_copies_verifies_and_is_idempotent(sources, mirror, tmp_path):
    chosen = _entries(sources)
    first = fetch.fetch_all(chosen, mirror, tmp_path)
    assert [o.action for o in first] == ["copied"] * 3
    for entry in chosen.values():
        target = tmp_path / entry.file
        assert sha(target) == entry.sha256
        assert not os.access(target, os.W_OK) or os.geteuid() == 0  # read-only (root ignores modes)
        assert not (target.stat().st_mode & 0o222)
    again = fetch.fetch_all(chosen, mirror, tmp_path)
    assert [o.action for o in again] == ["present"] * 3


def test_fetch_replaces_a_corrupted_local_copy(sources, mirror, tmp_path):
    entry = next(iter(_entries(sources, 1).values()))
    target = tmp_path / entry.file
    target.parent.mkdir(parents=True)
    target.write_bytes(b"edited by hand")
    [outcome] = fetch.fetch_all({entry.id: entry}, mirror, tmp_path)
    assert outcome.action == "copied" and sha(target) == entry.sha256


def test_missing_mirror_file_fails_and_keeps_nothing(sources, tmp_path):
    entry = next(iter(_entries(sources, 1).values()))
    empty_mirror = tmp_path / "mirror"
    empty_mirror.mkdir()
    [outcome] = fetch.fetch_all({entry.id: entry}, empty_mirror, tmp_path / "raw")
    assert outcome.action == "failed" and entry.id in outcome.message and "not in mirror" in outcome.message
    assert not (tmp_path / "raw" / entry.file).exists()


def _http_entry(www: Path, url: str, content: bytes, *, path: str = "f.csv", declared: bytes | None = None):
    (www / "f.csv").write_bytes(content)
    digest = hashlib.sha256(declared if declared is not None else content).hexdigest()
    return manifest.Source(id="test-entry", topic="cin", publisher="DfE", publication="Test", release="2020",
                           periods="2020", page_url="https://example.invalid", licence="OGL-3.0", sha256=digest,
                           file="cin/f.csv", mirror_path="cin/f.csv", encoding="utf-8",
                           file_url=f"{url}/{path}", bytes=len(content))


def test_http_download_verifies_hash(http_server, tmp_path):
    www, url = http_server
    entry = _http_entry(www, url, b"a,b\n1,2\n")
    [outcome] = fetch.fetch_all({entry.id: entry}, None, tmp_path / "raw")
    assert outcome.action == "downloaded"
    assert (tmp_path / "raw" / "cin/f.csv").read_bytes() == b"a,b\n1,2\n"


def test_http_bad_hash_keeps_the_good_copy(http_server, tmp_path):
    www, url = http_server
    good = _http_entry(www, url, b"good\n")
    fetch.fetch_all({good.id: good}, None, tmp_path / "raw")
    tampered = _http_entry(www, url, b"tampered\n", declared=b"good\n")
    (tmp_path / "raw" / "cin/f.csv").chmod(0o644)
    (tmp_path / "raw" / "cin/f.csv").write_bytes(b"good\n")  # still the good copy
    newer = replace(tampered, sha256=hashlib.sha256(b"newer release\n").hexdigest())
    [outcome] = fetch.fetch_all({newer.id: newer}, None, tmp_path / "raw")
    assert outcome.action == "failed"
    assert f"expected {newer.sha256}, got {sha(www / 'f.csv')}" in outcome.message
    assert (tmp_path / "raw" / "cin/f.csv").read_bytes() == b"good\n"
    assert not list((tmp_path / "raw" / "cin").glob(".*.part"))


def test_http_missing_file_fails(http_server, tmp_path):
    www, url = http_server
    entry = _http_entry(www, url, b"x\n", path="nope.csv")
    [outcome] = fetch.fetch_all({entry.id: entry}, None, tmp_path / "raw")
    assert outcome.action == "failed" and "test-entry" in outcome.message
    assert not (tmp_path / "raw" / "cin/f.csv").exists()


def test_http_interrupted_download_leaves_no_partial_file(http_server, tmp_path):
    www, url = http_server
    entry = _http_entry(www, url, b"0123456789" * 1000, path="truncated/f.csv")
    [outcome] = fetch.fetch_all({entry.id: entry}, None, tmp_path / "raw")
    assert outcome.action == "failed"
    assert not (tmp_path / "raw" / "cin/f.csv").exists()
    assert not list((tmp_path / "raw" / "cin").glob(".*"))


def test_cli_reports_a_hash_mismatch_in_one_line_and_exits_nonzero(tmp_path, mirror, sources):
    entry = next(iter(_entries(sources, 1).values()))
    text = (ROOT / "data" / "sources.yml").read_text()
    bad = text.replace(entry.sha256, "f" * 64, 1)
    (tmp_path / "sources.yml").write_text(bad)
    env = {**os.environ, "CSC_MANIFEST": str(tmp_path / "sources.yml"), "CSC_RAW_DIR": str(tmp_path / "raw"),
           "CSC_DATA_MIRROR": str(mirror)}
    done = subprocess.run([sys.executable, "-m", "csc", "fetch"], env=env, capture_output=True, text=True,
                          cwd=ROOT)
    assert done.returncode == 1
    errors = done.stderr.strip().splitlines()
    assert len(errors) == 1 and entry.id in errors[0]
    assert f"expected {'f' * 64}, got {entry.sha256}" in errors[0]


@pytest.mark.parametrize("bad", ["../outside.csv", "/etc/passwd"])
def test_manifest_paths_must_stay_inside_the_data_folder(tmp_path, bad):
    text = (ROOT / "data" / "sources.yml").read_text()
    first = manifest.load(ROOT / "data" / "sources.yml")
    entry = next(iter(first.values()))
    (tmp_path / "sources.yml").write_text(text.replace(f"file: {entry.file}", f"file: {bad}", 1))
    with pytest.raises(CscError, match=rf"{entry.id} file '{bad}' must be a relative path inside the data folder"):
        manifest.load(tmp_path / "sources.yml")
