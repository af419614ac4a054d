"""Benchmark the build and the query interface; prints figures (targets are checked by reading them, not by tests).

Runs in a throwaway copy of the project (sharing this .venv and data/raw), so your own build is untouched:
  cold build (tidy / chapters / HTML / PDF), no-change rebuild, rebuild after one tidy table changes,
  whole tidy build from raw, one area edition (cold and warm), the every-area sentence test, and one `python -m csc value` call, each with peak
  memory.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
MEASURE = ("import resource, subprocess, sys; r = subprocess.run(sys.argv[1:], capture_output=True, text=True); "
           "sys.stdout.write(r.stdout); sys.stderr.write(r.stderr); "
           "print('PEAK_KB', resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); sys.exit(r.returncode)")


def run(cmd: list[str], cwd: Path) -> tuple[float, float, str]:
    """Wall seconds, peak RSS in MB of the command and everything it started, and its output."""
    started = time.perf_counter()
    done = subprocess.run([PY, "-c", MEASURE, *cmd], cwd=cwd, capture_output=True, text=True,
                          env={**os.environ, "CSC_ROOT": str(cwd)})
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"bench: {' '.join(cmd)} failed:\n{done.stderr[-3000:]}")
    peak = int(re.search(r"PEAK_KB (\d+)", done.stdout).group(1)) / 1024
    return seconds, peak, done.stdout


def copy_project(dest: Path) -> None:
    tracked = subprocess.run(["git", "ls-files", "-co", "--exclude-standard"], cwd=ROOT, capture_output=True,
                             text=True, check=True).stdout.split()
    for rel in tracked:
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / rel, target)
    (dest / "data" / "raw").symlink_to(ROOT / "data" / "raw")
    (dest / "_vendor").symlink_to(ROOT / "_vendor")
    (dest / ".venv").symlink_to(ROOT / ".venv")


def timings(output: str) -> str:
    m = re.search(r"timings: (.*)", output)
    return m.group(1) if m else "?"


def change_one_tidy_table(project: Path, table: str) -> None:
    """A revised release, simulated: one value of one tidy table changes, and its recorded hash with it."""
    import pandas as pd

    tidy_dir = project / "data" / "tidy"
    frame = pd.read_parquet(tidy_dir / f"{table}.parquet")
    row = frame["value"].first_valid_index()
    frame.loc[row, "value"] = frame.loc[row, "value"] + 1
    frame.to_parquet(tidy_dir / f"{table}.parquet", index=False, compression="zstd")
    state = json.loads((tidy_dir / "tidy.json").read_text())
    state[table]["sha256"] = hashlib.sha256((tidy_dir / f"{table}.parquet").read_bytes()).hexdigest()
    (tidy_dir / "tidy.json").write_text(json.dumps(state))


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="csc-bench-") as tmp:
        project = Path(tmp)
        copy_project(project)
        build = [PY, "-m", "csc", "build"]
        print(f"machine: {os.cpu_count()} cores; python {sys.version.split()[0]}")

        seconds, peak, out = run(build, project)
        print(f"cold build:            {seconds:6.1f} s, peak {peak:6.0f} MB  [{timings(out)}]")
        seconds, peak, out = run(build, project)
        executed = out.count("executed in")
        print(f"no-change rebuild:     {seconds:6.1f} s, peak {peak:6.0f} MB  [{executed} notebooks executed; "
              f"target < 5 s, 0 executions]")
        for table in ("workforce", "cin"):  # read by the data appendix only; read by every chapter
            change_one_tidy_table(project, table)
            seconds, peak, out = run(build, project)
            reran = re.findall(r"chapter (\w+): executed in [\d.]+ s \((.*)\)", out)
            print(f"{'after ' + table + ' changed:':<23}{seconds:6.1f} s, peak {peak:6.0f} MB  [re-ran: "
                  f"{', '.join(f'{n} ({why})' for n, why in reran)}]")
        edition = [PY, "-m", "csc", "edition", "--area", "Isles of Scilly"]
        for state in ("cold", "warm"):
            seconds, peak, out = run(edition, project)
            done = re.search(r"done in [\d.]+ s \[(.*)\]", out)
            print(f"{'edition, ' + state + ':':<23}{seconds:6.1f} s, peak {peak:6.0f} MB  "
                  f"[Isles of Scilly; {done.group(1) if done else '?'}]")
        seconds, peak, out = run([PY, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                                  "tests/test_every_area.py::test_every_sentence_reads_right_for_every_area_and_vintage"],
                                 project)
        print(f"every-area sentences:  {seconds:6.1f} s, peak {peak:6.0f} MB  [{out.strip().splitlines()[-1]}; "
              f"every section and claim box, all areas x both vintages; target < 120 s]")
        seconds, peak, _ = run([PY, "-m", "csc", "tidy", "--force"], project)
        print(f"tidy from raw (all):   {seconds:6.1f} s, peak {peak:6.0f} MB  [target < 60 s, < 2048 MB]")
        seconds, peak, out = run([PY, "-m", "csc", "value", "cp.section47_enquiries", "--period", "2020"], project)
        print(f"one `csc value` call:  {seconds:6.2f} s, peak {peak:6.0f} MB  [printed {out.split()[0]}; "
              f"target < 1 s]")


if __name__ == "__main__":
    main()
