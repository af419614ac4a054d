"""The manifest matches the official files, and fetching only ever puts verified files in place."""
from __future__ import annotations

import csv
import hashlib
import os
import re
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import yaml

from csc import fetch, manifest
from csc.errors import CscError

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import seed_manifest  # noqa: E402


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


def december_2026_additions(mirror: Path) -> list[dict]:
    """The rows of every folder's PROVENANCE_2026-12.csv: the files the mirror added in December 2026."""
    rows = []
    for provenance in sorted(mirror.glob("*/PROVENANCE_2026-12.csv")):
        with open(provenance, encoding="utf-8", newline="") as fh:
            rows += list(csv.DictReader(fh))
    return rows


def test_every_mirror_data_file_is_in_the_manifest(sources, mirror):
    listed = {e.mirror_path for e in sources.values()}
    on_disk = {p.relative_to(mirror).as_posix() for p in mirror.rglob("*")
               if p.is_file() and not p.name.startswith("PROVENANCE")}
    assert on_disk - listed == set()


def test_every_file_added_in_december_2026_is_in_the_manifest_with_its_recorded_hash(sources, mirror):
    by_path = {e.mirror_path: e for e in sources.values()}
    added = december_2026_additions(mirror)
    assert {row["mirror_path"].split("/")[0] for row in added} >= {"cla", "cin", "workforce", "markets", "context"}
    missing = sorted(row["mirror_path"] for row in added if row["mirror_path"] not in by_path)
    assert missing == []
    for row in added:
        entry = by_path[row["mirror_path"]]
        assert entry.sha256 == row["sha256"] and entry.bytes == int(row["bytes"]), row["mirror_path"]
        assert entry.file_url == seed_manifest.file_url(row), row["mirror_path"]


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


@pytest.mark.parametrize("change, error", [
    ({"file_url": None}, "lacks file_url (only a hand_collected file may have none)"),
    ({"hand_collected": "yes"}, "hand_collected must be true or false, not 'yes'"),
])
def test_every_published_file_must_have_a_download(sources, tmp_path, change, error):
    entry = next(e for e in sources.values() if not e.hand_collected)
    doc = {"sources": [{**{k: v for k, v in vars(entry).items() if v is not None}, **change}]}
    (tmp_path / "sources.yml").write_text(yaml.safe_dump(doc))
    with pytest.raises(CscError, match=rf"sources.yml: {entry.id} {re.escape(error)}$"):
        manifest.load(tmp_path / "sources.yml")


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


def test_http_bad_hash_keeps_the_good_copy(http_server, tmp_path, monkeypatch):
    monkeypatch.setattr(fetch, "RETRIES", 0)
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


def test_http_interrupted_download_leaves_no_partial_file(http_server, tmp_path, monkeypatch):
    monkeypatch.setattr(fetch, "RETRIES", 0)
    www, url = http_server
    entry = _http_entry(www, url, b"0123456789" * 1000, path="truncated/f.csv")
    [outcome] = fetch.fetch_all({entry.id: entry}, None, tmp_path / "raw")
    assert outcome.action == "failed"
    assert not (tmp_path / "raw" / "cin/f.csv").exists()
    assert not list((tmp_path / "raw" / "cin").iterdir())


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


# --- Downloads by URL, from a server on 127.0.0.1 that serves the mirror under the real URLs' paths ---------------

HAND_COLLECTED = {"cla/hand_collected_headline_figures.csv", "markets/hand_collected_market_figures.csv",
                  "spending/hand_collected_s251_national.csv", "spending/hand_collected_spending_figures.csv"}


def test_every_entry_has_a_download_pinned_to_a_commit_but_the_hand_collected_figures(sources):
    """Figures collected by hand from web pages are not published as a file anywhere: they come from a mirror."""
    pinned = re.compile(rf"^{re.escape(fetch.RAW_GITHUB)}/[\w.-]+/[\w.-]+/[0-9a-f]{{40}}/\S+$")
    without = {e.file for e in sources.values() if not e.file_url}
    assert without == HAND_COLLECTED == {e.file for e in sources.values() if e.hand_collected}
    assert all(pinned.match(e.file_url) for e in sources.values() if e.file_url)


def test_file_urls_are_the_ones_the_provenance_notes_name(sources, mirror):
    origins = seed_manifest.origins(mirror)
    for entry in sources.values():
        origin = origins.get(entry.mirror_path, {})
        if origin.get("repo"):
            assert entry.file_url == seed_manifest.file_url(origin), entry.id
            assert origin["sha256"] == entry.sha256, entry.id
            if origin.get("rows") and entry.encoding != "binary":
                assert entry.rows == int(origin["rows"].replace(",", "")), entry.id


def test_seeding_refuses_a_mirror_copy_shorter_than_its_provenance_records(mirror, tmp_path):
    entry = "cin/ees_2020/a6_cpp_initial_category_of_abuse_2013_to_2020.csv"
    copy = tmp_path / "mirror"
    (copy / "cin" / "ees_2020").mkdir(parents=True)
    shutil.copy(mirror / "cin" / "PROVENANCE.md", copy / "cin")
    lines = (mirror / entry).read_bytes().splitlines(keepends=True)
    (copy / entry).write_bytes(b"".join(lines[:5]))
    notes = seed_manifest.origins(copy)
    notes[entry]["sha256"] = sha(copy / entry)  # as if the notes had been written from the short copy's hash
    with pytest.raises(SystemExit, match=r"has 4 rows but its PROVENANCE records 8: a truncated copy"):
        seed_manifest.check_rows(entry, copy / entry, "utf-8", notes[entry])


def test_make_data_without_a_mirror_downloads_every_entry_and_verifies_it(mirror_server, sources, tmp_path):
    raw = tmp_path / "raw"
    env = {**os.environ, "CSC_DATA_MIRROR": "", "CSC_URL_BASE": mirror_server.url, "CSC_RAW_DIR": str(raw)}
    done = subprocess.run([sys.executable, "-m", "csc", "fetch"], env=env, capture_output=True, text=True, cwd=ROOT)
    # Every published file downloads; the four hand-collected ones (no public file) are one note, nothing else.
    assert done.returncode == 0, done.stderr
    [note] = [ln for ln in done.stderr.splitlines() if ln.startswith("csc fetch:")]
    assert note.startswith("csc fetch: note: 4 hand-collected figure files have no public copy and come only from a "
                           "mirror (cla/hand_collected_headline_figures.csv, ")
    assert f"{len(sources)} files from official URLs: {len(sources) - 4} downloaded, 4 skipped" in done.stdout
    assert set(mirror_server.requests) == {unquote(urlsplit(e.file_url).path) for e in sources.values() if e.file_url}
    for entry in sources.values():
        if entry.file_url:
            assert sha(raw / entry.file) == entry.sha256, entry.id
    asked = len(mirror_server.requests)
    again = subprocess.run([sys.executable, "-m", "csc", "fetch"], env=env, capture_output=True, text=True, cwd=ROOT)
    assert f"{len(sources) - 4} present" in again.stdout
    assert len(mirror_server.requests) == asked  # nothing downloaded twice


def _one(sources, at_least=0):
    entry = min((e for e in sources.values() if (e.bytes or 0) >= at_least and (e.file_url or "").startswith("https://")),
                key=lambda e: e.bytes)
    return {entry.id: entry}


def test_slow_server_download_succeeds_with_a_progress_bar(mirror_server, sources, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("CSC_URL_BASE", mirror_server.url)
    mirror_server.slow = 0.03
    chosen = _one(sources, at_least=fetch.PROGRESS_BYTES)
    [outcome] = fetch.fetch_all(chosen, None, tmp_path)
    assert outcome.action == "downloaded", outcome.message
    assert "100%" in capsys.readouterr().err
    [entry] = chosen.values()
    assert sha(tmp_path / entry.file) == entry.sha256


def test_transient_failures_are_retried_a_bounded_number_of_times(mirror_server, sources, tmp_path, monkeypatch):
    monkeypatch.setenv("CSC_URL_BASE", mirror_server.url)
    monkeypatch.setattr(fetch, "RETRIES", 1)
    chosen = _one(sources)
    mirror_server.fail = 1
    [outcome] = fetch.fetch_all(chosen, None, tmp_path / "a")
    assert outcome.action == "downloaded" and len(mirror_server.requests) == 2
    mirror_server.requests.clear()
    mirror_server.fail = 99
    [outcome] = fetch.fetch_all(chosen, None, tmp_path / "b")
    assert outcome.action == "failed" and "503" in outcome.message
    assert len(mirror_server.requests) == 2  # one try and one retry, then it gives up
    assert not [p for p in (tmp_path / "b").rglob("*") if p.is_file() and p.name != ".fetch.lock"]


def test_lying_server_is_caught_by_the_hash_and_nothing_is_kept(mirror_server, sources, tmp_path, monkeypatch):
    monkeypatch.setenv("CSC_URL_BASE", mirror_server.url)
    monkeypatch.setattr(fetch, "RETRIES", 1)
    mirror_server.lie = True
    [entry] = _one(sources).values()
    [outcome] = fetch.fetch_all({entry.id: entry}, None, tmp_path)
    assert outcome.action == "failed"
    assert f"{entry.id} ({entry.file}): sha256 mismatch: expected {entry.sha256}, got " in outcome.message
    assert len(mirror_server.requests) == 2
    assert not [p for p in tmp_path.rglob("*") if p.is_file() and p.name != ".fetch.lock"]


def test_stalled_server_times_out_in_one_line(mirror_server, sources, tmp_path, monkeypatch):
    monkeypatch.setenv("CSC_URL_BASE", mirror_server.url)
    monkeypatch.setattr(fetch, "RETRIES", 0)
    monkeypatch.setattr(fetch, "TIMEOUT", 0.3)
    mirror_server.stall = 1.5
    [entry] = _one(sources).values()
    [outcome] = fetch.fetch_all({entry.id: entry}, None, tmp_path)
    assert outcome.action == "failed" and "timed out" in outcome.message and "\n" not in outcome.message


def test_unknown_url_is_not_retried(mirror_server, sources, tmp_path, monkeypatch):
    monkeypatch.setenv("CSC_URL_BASE", mirror_server.url)
    [entry] = _one(sources).values()
    moved = replace(entry, file_url=entry.file_url + ".gone")
    [outcome] = fetch.fetch_all({moved.id: moved}, None, tmp_path)
    assert outcome.action == "failed" and "HTTP 404" in outcome.message
    assert len(mirror_server.requests) == 1


def test_a_server_that_is_not_there_is_one_line(sources, tmp_path, monkeypatch):
    monkeypatch.setenv("CSC_URL_BASE", "http://127.0.0.1:9")  # the discard port: nothing listens
    monkeypatch.setattr(fetch, "RETRIES", 0)
    [entry] = _one(sources).values()
    [outcome] = fetch.fetch_all({entry.id: entry}, None, tmp_path)
    assert outcome.action == "failed"
    assert outcome.message == f"{entry.id} ({entry.file}): cannot connect to 127.0.0.1:9, 1 attempt"


def test_fill_gives_hand_added_entries_their_url_and_row_count(sources, mirror, tmp_path):
    text = (ROOT / "data" / "sources.yml").read_text()
    bare = re.sub(r"(?m)^  file_url: .*$", "  file_url: null", re.sub(r"(?m)^  rows: \d+\n", "", text))
    (tmp_path / "sources.yml").write_text(bare)
    seed_manifest.fill(tmp_path / "sources.yml", str(mirror))
    assert (tmp_path / "sources.yml").read_text() == text
