"""Faults, as a hostile user or a bad day would bring them: each ends in one line naming what failed, exits non-zero,
leaves everything already good as it was, and the next run recovers by itself."""
from __future__ import annotations

import errno
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import asdict, replace
from pathlib import Path

import pandas as pd
import pytest
import yaml

from csc import build, cli, fetch, manifest, paths, tidy
from csc.errors import CscError

ROOT = Path(__file__).resolve().parent.parent


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def sources():
    return manifest.load(ROOT / "data" / "sources.yml")


def small(sources, n=3, *, csv_only=True):
    chosen = sorted((e for e in sources.values() if (e.bytes or 0) < 60_000 and (e.rows or not csv_only)),
                    key=lambda e: e.id)[:n]
    return {e.id: e for e in chosen}


def write_manifest(path: Path, entries) -> Path:
    rows = [{k: v for k, v in asdict(e).items() if v is not None} for e in entries]
    path.write_text(yaml.safe_dump({"sources": rows}, sort_keys=False), encoding="utf-8")
    return path


def run_cli(capsys, *args) -> tuple[int, list[str]]:
    code = cli.main(list(args))
    return code, [line for line in capsys.readouterr().err.splitlines() if line.strip()]


@pytest.fixture
def project(tmp_path, monkeypatch, mirror):
    """A throwaway manifest, raw and tidy folder; the CLI runs in-process against them."""
    monkeypatch.setattr(paths, "MANIFEST", tmp_path / "sources.yml")
    monkeypatch.setattr(paths, "RAW", tmp_path / "raw")
    monkeypatch.setattr(paths, "TIDY", tmp_path / "tidy")
    monkeypatch.setenv("CSC_DATA_MIRROR", str(mirror))
    return tmp_path


def listing(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): sha(p) for p in sorted(folder.rglob("*")) if p.is_file()
            and not p.name.startswith(".")}


# --- A raw file whose hash matches the manifest but whose content is cut short ------------------------------------

def test_truncated_download_seeded_into_the_manifest_is_caught_by_its_row_count(sources, project, capsys, mirror):
    good, cut = list(small(sources, 2).values())
    short_mirror = project / "mirror"
    for entry in (good, cut):
        (short_mirror / entry.mirror_path).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(mirror / entry.mirror_path, short_mirror / entry.mirror_path)
    lines = (mirror / cut.mirror_path).read_bytes().splitlines(keepends=True)
    (short_mirror / cut.mirror_path).write_bytes(b"".join(lines[: len(lines) // 2]))
    seeded = replace(cut, sha256=sha(short_mirror / cut.mirror_path))  # hash taken from the short download
    write_manifest(paths.MANIFEST, [good, seeded])
    os.environ["CSC_DATA_MIRROR"] = str(short_mirror)
    code, errors = run_cli(capsys, "fetch")
    assert code == 1 and len(errors) == 1
    assert f"{cut.id} ({cut.file}): {len(lines) // 2 - 1} data rows but the manifest records {cut.rows}" in errors[0]
    assert listing(paths.RAW) == {good.file: good.sha256}  # the good file is in place, the short one is not


def test_tidy_refuses_a_cut_short_raw_file_with_a_matching_hash(sources, project, mirror):
    [entry] = small(sources, 1).values()
    target = paths.RAW / entry.file
    target.parent.mkdir(parents=True)
    target.write_bytes(b"".join((mirror / entry.mirror_path).read_bytes().splitlines(keepends=True)[:3]))
    seeded = replace(entry, sha256=sha(target))
    with pytest.raises(CscError, match=rf"{entry.file} \({entry.id}\): 2 data rows but the manifest records "
                                       rf"{entry.rows} \(a truncated copy\?\)"):
        tidy.verify_raw([t for t, topics in tidy.TABLES.items() if entry.topic in topics], {entry.id: seeded})


# --- Operating-system errors: disk full and permission denied, in fetch, tidy and build -------------------------

def test_disk_full_during_fetch_stops_in_one_line_and_keeps_what_was_fetched(sources, project, capsys, monkeypatch):
    chosen = small(sources, 3)
    write_manifest(paths.MANIFEST, chosen.values())
    real_copy, calls = shutil.copyfileobj, []

    def fills_the_disk(src, dst, length=0):
        calls.append(1)
        if len(calls) == 2:
            dst.write(src.read(100))
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_copy(src, dst, length)

    with monkeypatch.context() as patch:
        patch.setattr(shutil, "copyfileobj", fills_the_disk)
        code, errors = run_cli(capsys, "fetch")
    first, second = list(chosen.values())[:2]
    assert code == 1 and len(errors) == 1
    assert f"{second.id} ({second.file}): No space left on device; stopped" in errors[0]
    assert listing(paths.RAW) == {first.file: first.sha256}
    assert not [p for p in paths.RAW.rglob("*.part")]
    code, _ = run_cli(capsys, "fetch")
    assert code == 0 and listing(paths.RAW) == {e.file: e.sha256 for e in chosen.values()}


def test_permission_denied_during_fetch_names_the_file(sources, project, capsys, monkeypatch):
    chosen = small(sources, 2)
    write_manifest(paths.MANIFEST, chosen.values())
    assert run_cli(capsys, "fetch")[0] == 0
    before = listing(paths.RAW)
    first = next(iter(chosen.values()))
    (paths.RAW / first.file).chmod(0o644)
    (paths.RAW / first.file).write_bytes(b"damaged")  # needs re-fetching; the folder then refuses the rename

    def denied(src, dst):
        raise PermissionError(errno.EACCES, "Permission denied", str(dst))

    with monkeypatch.context() as patch:
        patch.setattr(os, "replace", denied)
        code, errors = run_cli(capsys, "fetch")
    assert code == 1 and len(errors) == 1
    assert f"{first.id} ({first.file}): Permission denied: {paths.RAW / first.file}" in errors[0]
    assert run_cli(capsys, "fetch")[0] == 0 and listing(paths.RAW) == before


@pytest.fixture
def built_geography(project):
    """The real manifest and raw files, a scratch tidy folder holding a good geography table."""
    paths.MANIFEST = ROOT / "data" / "sources.yml"
    paths.RAW = ROOT / "data" / "raw"
    tidy.build(["geography"], log=lambda *_: None)
    return {p.name: sha(p) for p in paths.TIDY.iterdir() if p.is_file() and p.name != ".lock"}


def test_disk_full_while_writing_a_tidy_table_keeps_the_last_good_tables(built_geography, capsys, monkeypatch):
    def fills_the_disk(frame, path, **kwargs):
        Path(path).write_bytes(b"PAR1 half a table")
        raise OSError(errno.ENOSPC, "No space left on device", str(path))

    with monkeypatch.context() as patch:
        patch.setattr(pd.DataFrame, "to_parquet", fills_the_disk)
        code, errors = run_cli(capsys, "tidy", "geography", "--force")
    assert code == 1 and len(errors) == 1
    assert errors[0].startswith("csc tidy: error: No space left on device: ") and "geography.parquet" in errors[0]
    after = {p.name: sha(p) for p in paths.TIDY.iterdir() if p.is_file() and p.name != ".lock"}
    assert after == built_geography and not list(paths.TIDY.glob(".staging-*"))
    assert tidy.build(["geography"], log=lambda *_: None) == {"geography": "up to date"}


def test_permission_denied_swapping_in_a_tidy_table_keeps_the_last_good_tables(built_geography, capsys,
                                                                               monkeypatch):
    (paths.TIDY / "geography.parquet").write_bytes(b"not parquet")  # corrupt: must be rebuilt

    def denied(src, dst):
        raise PermissionError(errno.EACCES, "Permission denied", str(dst))

    with monkeypatch.context() as patch:
        patch.setattr(os, "replace", denied)
        code, errors = run_cli(capsys, "tidy", "geography")
    assert code == 1 and errors == [f"csc tidy: error: Permission denied: {paths.TIDY / 'geography.parquet'}"]
    assert json.loads((paths.TIDY / "tidy.json").read_text())["geography"]["sha256"] == built_geography["geography.parquet"]


def test_stamp_writes_are_all_or_nothing(tmp_path, monkeypatch):
    stamp = tmp_path / "stamps" / "chapter.json"
    build._write_json(stamp, {"source": "old"})

    def disk_full(src, dst):
        raise OSError(errno.ENOSPC, "No space left on device", str(dst))

    with monkeypatch.context() as patch, pytest.raises(OSError):
        patch.setattr(os, "replace", disk_full)
        build._write_json(stamp, {"source": "new"})
    assert json.loads(stamp.read_text()) == {"source": "old"}
    assert [p.name for p in stamp.parent.iterdir()] == ["chapter.json"]


def test_an_os_error_anywhere_in_the_build_is_one_line(monkeypatch, capsys):
    def fails(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device", "_build/staging-html/_build/html/index.html")

    monkeypatch.setattr(build, "main", fails)
    code, errors = run_cli(capsys, "build")
    assert code == 1
    assert errors == ["csc build: error: No space left on device: _build/staging-html/_build/html/index.html"]


# --- A chapter whose kernel dies ------------------------------------------------------------------------------------

def test_a_chapter_whose_kernel_dies_is_one_line_and_the_published_chapter_stays(tmp_path, monkeypatch):
    chapters = tmp_path / "chapters"
    chapters.mkdir()
    (chapters / "dies.py").write_text("# %%\nimport os, signal\nos.kill(os.getpid(), signal.SIGKILL)\n")
    monkeypatch.setattr(paths, "CHAPTERS", chapters)
    monkeypatch.setattr(build, "WORK", tmp_path / "work")
    published = tmp_path / "dies.ipynb"
    published.write_text("the good notebook")
    with pytest.raises(CscError) as failure:
        build.execute("dies", {"inputs": []}, {}, published, tmp_path / "files")
    message = str(failure.value)
    assert message.startswith("chapter dies failed: its kernel died") and "\n" not in message
    assert published.read_text() == "the good notebook"
    assert not list((tmp_path / "work").glob("dies.[0-9]*.ipynb"))


# --- Manifests that are not what they should be ---------------------------------------------------------------------

@pytest.mark.parametrize("content, message", [
    (b"- just\n- a list\n", "not a mapping with a 'sources:' list (found list)"),
    (b"sources:\n- id: caf\xe9\n", "not UTF-8 text (byte 0xe9 at offset 18)"),
    (b"sources: [unclosed\n", "not valid YAML"),
])
def test_a_manifest_that_is_not_a_manifest_is_one_line(project, capsys, content, message):
    paths.MANIFEST.write_bytes(content)
    code, errors = run_cli(capsys, "fetch")
    assert code == 1 and len(errors) == 1 and message in errors[0] and str(paths.MANIFEST) in errors[0]


def test_two_entries_naming_the_same_local_file_are_refused(sources, project, capsys):
    one, other = small(sources, 2).values()
    write_manifest(paths.MANIFEST, [one, replace(other, file=one.file)])
    code, errors = run_cli(capsys, "fetch")
    assert code == 1 and errors == [f"csc fetch: error: {paths.MANIFEST}: {one.id} and {other.id} both name the "
                                    f"local file {one.file}"]
    assert not paths.RAW.exists()


# --- Symbolic links inside data/raw ---------------------------------------------------------------------------------

def test_symlinks_in_data_raw_are_replaced_by_verified_copies_and_their_targets_left_alone(sources, project, capsys,
                                                                                          mirror):
    chosen = small(sources, 3)
    write_manifest(paths.MANIFEST, chosen.values())
    assert run_cli(capsys, "fetch")[0] == 0
    linked_file, in_linked_folder = list(chosen.values())[:2]
    elsewhere = project / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "other.csv").write_text("someone else's file\n")
    (paths.RAW / linked_file.file).unlink()
    (paths.RAW / linked_file.file).symlink_to(elsewhere / "other.csv")
    code, errors = run_cli(capsys, "fetch")
    assert code == 1 and len(errors) == 1
    assert f"{linked_file.id}: {paths.RAW / linked_file.file} was a symbolic link; replaced by a verified copy" \
        in errors[0]
    assert not (paths.RAW / linked_file.file).is_symlink() and sha(paths.RAW / linked_file.file) == linked_file.sha256
    assert (elsewhere / "other.csv").read_text() == "someone else's file\n"
    # a linked folder: the link goes, the folder it pointed at keeps its files
    folder = (paths.RAW / in_linked_folder.file).parent
    shutil.move(folder, elsewhere / "moved")
    folder.symlink_to(elsewhere / "moved")
    code, errors = run_cli(capsys, "fetch")
    assert code == 1 and any("was a symbolic link" in e for e in errors)
    assert not folder.is_symlink() and (elsewhere / "moved").is_dir()
    assert run_cli(capsys, "fetch")[0] == 0
    assert listing(paths.RAW) == {e.file: e.sha256 for e in chosen.values()}


def test_tidy_refuses_a_symlinked_raw_file(sources, project, mirror):
    [entry] = small(sources, 1).values()
    (paths.RAW / entry.file).parent.mkdir(parents=True)
    (paths.RAW / entry.file).symlink_to(mirror / entry.mirror_path)
    with pytest.raises(CscError, match="a symbolic link, not the fetched file"):
        tidy.verify_raw([t for t, topics in tidy.TABLES.items() if entry.topic in topics], {entry.id: entry})


# --- Corrupt tidy tables and stamps ---------------------------------------------------------------------------------

def test_a_corrupt_tidy_table_is_detected_and_rebuilt(built_geography):
    (paths.TIDY / "geography.parquet").write_bytes(b"PAR1 garbage")
    notes = []
    assert tidy.build(["geography"], log=notes.append) == {"geography": "built"}
    assert any("does not match the hash it was written with; rebuilding" in n for n in notes)
    assert sha(paths.TIDY / "geography.parquet") == built_geography["geography.parquet"]


def test_a_corrupt_tidy_record_rebuilds_rather_than_failing(built_geography):
    (paths.TIDY / "tidy.json").write_bytes(b"\xff{not json")
    assert tidy.build(["geography"], log=lambda *_: None) == {"geography": "built"}
    assert json.loads((paths.TIDY / "tidy.json").read_text())["geography"]["sha256"] == \
        built_geography["geography.parquet"]


@pytest.mark.parametrize("content", [b"{half a stamp", b"[1, 2]", b"\xff\xfe"])
def test_a_corrupt_build_stamp_reads_as_never_built(tmp_path, monkeypatch, content):
    monkeypatch.setattr(build, "STAMPS", tmp_path)
    (tmp_path / "family_help.json").write_bytes(content)
    assert build._stamp("family_help") == {}
    assert build.why_stale("family_help", {"source": "x"}) == "never built"


# --- Two runs at once -----------------------------------------------------------------------------------------------

def test_a_second_tidy_waits_for_the_first_and_loses_nothing(tmp_path):
    tidy_dir = tmp_path / "tidy"
    env = {**os.environ, "CSC_TIDY_DIR": str(tidy_dir), "PYTHONPATH": str(ROOT)}
    with paths.lock(tidy_dir / ".lock", "tidy step"):
        (tidy_dir / "first.txt").write_text("the first run's work")
        second = subprocess.Popen([sys.executable, "-m", "csc", "tidy", "geography"], env=env, cwd=ROOT,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        waiting = second.stderr.readline()
        assert "waiting for another tidy step" in waiting and str(os.getpid()) in waiting
        time.sleep(0.5)
        assert second.poll() is None  # still waiting while the first holds the lock
        assert not (tidy_dir / "geography.parquet").exists()
    out, err = second.communicate(timeout=120)
    assert second.returncode == 0, err
    assert "geography built" in out
    assert (tidy_dir / "first.txt").read_text() == "the first run's work"


def test_a_second_build_waits_for_the_first(tmp_path):
    build_dir = tmp_path / "_build"
    script = ("import sys; from pathlib import Path; from csc import paths\n"
              "with paths.lock(Path(sys.argv[1]) / '.lock', 'book build'): print('got it', flush=True)\n")
    with paths.lock(build_dir / ".lock", "book build"):
        second = subprocess.Popen([sys.executable, "-c", script, str(build_dir)], cwd=ROOT, text=True,
                                  env={**os.environ, "PYTHONPATH": str(ROOT)},
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        assert "waiting for another book build" in second.stderr.readline()
        assert second.poll() is None
    out, _ = second.communicate(timeout=60)
    assert second.returncode == 0 and out == "got it\n"


# --- What a kill leaves behind --------------------------------------------------------------------------------------

def test_a_killed_download_leaves_a_partial_file_the_next_fetch_removes(mirror_server, sources, tmp_path):
    entry = min((e for e in sources.values() if (e.bytes or 0) > 1_000_000 and (e.file_url or "").startswith("https")),
                key=lambda e: e.bytes)
    write_manifest(tmp_path / "sources.yml", [entry])
    env = {**os.environ, "CSC_DATA_MIRROR": "", "CSC_URL_BASE": mirror_server.url, "PYTHONPATH": str(ROOT),
           "CSC_MANIFEST": str(tmp_path / "sources.yml"), "CSC_RAW_DIR": str(tmp_path / "raw")}
    mirror_server.slow = 0.2
    first = subprocess.Popen([sys.executable, "-m", "csc", "fetch"], env=env, cwd=ROOT,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    folder = (tmp_path / "raw" / entry.file).parent
    for _ in range(100):
        if folder.is_dir() and any(p.name.startswith("tmp") for p in folder.iterdir()):
            break
        time.sleep(0.1)
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=10)
    assert [p.name for p in folder.iterdir() if p.name.startswith("tmp")], "no partial file to clean up"
    mirror_server.slow = 0
    done = subprocess.run([sys.executable, "-m", "csc", "fetch"], env=env, cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in folder.iterdir()) == [Path(entry.file).name]
    assert sha(tmp_path / "raw" / entry.file) == entry.sha256


def test_leftovers_of_killed_tidy_and_build_runs_are_cleaned(built_geography, tmp_path, monkeypatch):
    (paths.TIDY / ".staging-999999").mkdir()
    (paths.TIDY / ".staging-999999" / "cin.parquet").write_bytes(b"half")
    (paths.TIDY / ".tidy.json.tmp").write_text("{")
    assert tidy.build(["geography"], log=lambda *_: None) == {"geography": "up to date"}
    assert not list(paths.TIDY.glob(".staging-*")) and not (paths.TIDY / ".tidy.json.tmp").exists()
    build_dir = tmp_path / "_build"
    monkeypatch.setattr(paths, "BUILD", build_dir)
    monkeypatch.setattr(build, "WORK", build_dir / "work")
    monkeypatch.setattr(build, "STAMPS", build_dir / "stamps")
    for leftover in ("staging-html/_build/html/index.html", "html.old/index.html", "work/family_help.4242.ipynb",
                     "work/family_help.files/chart.csv", "stamps/.book.json.4242.tmp"):
        (build_dir / leftover).parent.mkdir(parents=True, exist_ok=True)
        (build_dir / leftover).write_text("left by a kill")
    for kept in ("html/index.html", "stamps/book.json", "work/family_help.failed.ipynb"):
        (build_dir / kept).parent.mkdir(parents=True, exist_ok=True)
        (build_dir / kept).write_text("good")
    build.clean_leftovers()
    assert sorted(p.relative_to(build_dir).as_posix() for p in build_dir.rglob("*") if p.is_file()) == \
        ["html/index.html", "stamps/book.json", "work/family_help.failed.ipynb"]


def test_leftovers_of_a_killed_fetch_are_cleaned(sources, project, capsys):
    chosen = small(sources, 1)
    write_manifest(paths.MANIFEST, chosen.values())
    [entry] = chosen.values()
    folder = (paths.RAW / entry.file).parent
    folder.mkdir(parents=True)
    (folder / f".{Path(entry.file).name}.ab12cd34.part").write_text("half")
    (folder / "tmpx1y2z3w4").write_text("half")
    assert run_cli(capsys, "fetch")[0] == 0
    assert sorted(p.name for p in folder.iterdir()) == [Path(entry.file).name]
    assert fetch.LEFTOVER.match("tmpx1y2z3w4") and not fetch.LEFTOVER.match("tmp_notes.csv")


def test_the_lock_is_re_entrant_within_one_process(tmp_path):
    def waited_for_itself(*_):
        raise AssertionError("the inner lock waited for the outer one")

    previous = signal.signal(signal.SIGALRM, waited_for_itself)
    signal.alarm(10)
    try:
        with paths.lock(tmp_path / ".lock", "book build"):
            with paths.lock(tmp_path / ".lock", "book build"):
                (tmp_path / "inner").write_text("ran")
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    assert (tmp_path / "inner").read_text() == "ran"


def test_an_interrupted_fetch_is_one_line_and_leaves_no_partial_file(sources, project, capsys, monkeypatch):
    chosen = small(sources, 2)
    write_manifest(paths.MANIFEST, chosen.values())
    real_copy, calls = shutil.copyfileobj, []

    def interrupted(src, dst, length=0):
        calls.append(1)
        if len(calls) == 2:
            dst.write(src.read(100))
            raise KeyboardInterrupt
        return real_copy(src, dst, length)

    with monkeypatch.context() as patch:
        patch.setattr(shutil, "copyfileobj", interrupted)
        code, errors = run_cli(capsys, "fetch")
    first = next(iter(chosen.values()))
    assert code == 130 and errors == ["csc fetch: interrupted; what was already in place is intact"]
    assert listing(paths.RAW) == {first.file: first.sha256}
    assert not [p for p in paths.RAW.rglob("*.part")]
