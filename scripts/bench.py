"""Benchmark the build against Jupyter Book's own executor, and the atlas, editions, tests and queries; prints figures
beside their targets (targets are read here, not asserted by timed tests).

Everything runs in throwaway copies of the project that share this .venv and data/raw, so your own build is untouched:
- the same notebooks built by Jupyter Book's cache executor (`execute_notebooks: cache`, one after another) and by
  `csc build`: cold, with nothing changed, and after one tidy value changes (and whether each served the new number);
- one area edition (cold and warm), the whole atlas, the every-area sentence tests, tidy from raw, one `csc value`.
Peak memory is the largest total resident memory of the command and every process it started, sampled.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil
import yaml

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
JB = str(Path(PY).with_name("jupyter-book"))
# The revised value: England's children looked after at 31 March 2025, shown in the care-system chapter's first line.
REVISED = ("cla", "cla.children_looked_after", "2025", 1000)
EVERY_AREA = ["tests/test_every_area.py", "tests/test_every_area_care_system.py", "tests/test_every_area_workforce.py",
              "tests/test_every_area_markets.py"]


def tree_rss(process: psutil.Process) -> int:
    total = 0
    for p in [process, *process.children(recursive=True)]:
        try:
            total += p.memory_info().rss
        except psutil.Error:
            pass
    return total


def run(cmd: list[str], cwd: Path, check: bool = True) -> tuple[float, float, str]:
    """Wall seconds, peak MB of the command's whole process tree, and its output."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env={**os.environ, "CSC_ROOT": str(cwd), "PYTHONPATH": str(cwd)})
    peak = [0]
    watched = psutil.Process(proc.pid)

    def sample():
        while proc.poll() is None:
            try:
                peak[0] = max(peak[0], tree_rss(watched))
            except psutil.Error:
                return
            time.sleep(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    output, _ = proc.communicate()
    seconds = time.perf_counter() - started
    sampler.join()
    if check and proc.returncode != 0:
        sys.exit(f"bench: {' '.join(cmd)} failed:\n{output[-3000:]}")
    return seconds, peak[0] / 2**20, output


def copy_project(dest: Path) -> None:
    tracked = subprocess.run(["git", "ls-files", "-co", "--exclude-standard"], cwd=ROOT, capture_output=True,
                             text=True, check=True).stdout.split()
    for rel in tracked:
        if (ROOT / rel).is_file():
            target = dest / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / rel, target)
    for shared in ("data/raw", "_vendor", ".venv"):
        (dest / shared).symlink_to(ROOT / shared)


def jupyter_book_copy(dest: Path, tidy: Path) -> None:
    """The same book for Jupyter Book's own executor: it reads the jupytext chapters and executes them itself, with
    their default parameters (the book's), caching by notebook content."""
    copy_project(dest)
    (dest / "data" / "tidy").symlink_to(tidy)
    for executed in (dest / "chapters").glob("*.ipynb"):
        executed.unlink()
    config = (dest / "_config.yml").read_text()
    config = config.replace('execute_notebooks: "off"', 'execute_notebooks: cache\n  timeout: 600')
    config = config.replace("  config:\n", "  config:\n    nb_custom_formats:\n      .py: [jupytext.reads, {fmt: py:percent}]\n",
                            1)
    (dest / "_config.yml").write_text(config)


def revise(tidy: Path) -> str:
    """A revised release, simulated: one published value changes in a tidy table, and its recorded hash with it.
    Returns the number as the chapter prints it."""
    import hashlib

    import pandas as pd

    table, measure, period, step = REVISED
    frame = pd.read_parquet(tidy / f"{table}.parquet")
    rows = frame[(frame["measure"] == measure) & (frame["period"] == period) & (frame["area_code"] == "E92000001")
                 & (frame["breakdown"] == "")]
    row = rows["release"].idxmax()
    frame.loc[row, "value"] += step
    frame.to_parquet(tidy / f"{table}.parquet", index=False, compression="zstd", row_group_size=20_000)
    state = json.loads((tidy / "tidy.json").read_text())
    state[table]["sha256"] = hashlib.sha256((tidy / f"{table}.parquet").read_bytes()).hexdigest()
    (tidy / "tidy.json").write_text(json.dumps(state))
    return f"{frame.loc[row, 'value']:,.0f}"


def serves(html_root: Path, number: str) -> str:
    page = html_root / "chapters" / "care_system.html"
    return "served the new number" if page.is_file() and number in page.read_text() else "served the OLD number"


def line(label: str, seconds: float, peak: float, note: str) -> None:
    print(f"{label:<34}{seconds:7.1f} s  peak {peak:6.0f} MB  {note}", flush=True)


def book(args, base: Path) -> None:
    csc_dir, jb_dir = base / "csc", base / "jb"
    copy_project(csc_dir)
    seconds, peak, _ = run([PY, "-m", "csc", "tidy", "--force"], csc_dir)
    line("tidy from raw (all tables)", seconds, peak, "[target < 60 s, < 2048 MB]")
    jupyter_book_copy(jb_dir, csc_dir / "data" / "tidy")
    names = list(yaml.safe_load((csc_dir / "chapters" / "chapters.yml").read_text()))   # the book's, not the atlas's
    print(f"\nthe same {len(names)} notebooks ({', '.join(names)}) built to HTML and PDF, tidy tables already built:")

    def jupyter_book() -> tuple[float, float, str]:
        html = run([JB, "build", str(jb_dir), "--builder", "html", "--quiet"], jb_dir)
        pdf = run([JB, "build", str(jb_dir), "--builder", "pdflatex", "--quiet"], jb_dir)
        return html[0] + pdf[0], max(html[1], pdf[1]), html[2] + pdf[2]

    def csc_build() -> tuple[float, float, str]:
        return run([PY, "-m", "csc", "build"], csc_dir)

    jb_cold, jb_peak, _ = jupyter_book()
    line("Jupyter Book cache executor, cold", jb_cold, jb_peak, "[serial]")
    cold, peak, out = csc_build()
    line("csc build, cold", cold, peak, f"[{timings(out)}; {cold / jb_cold:.2f}x Jupyter Book; target <= 0.6x and "
                                        f"<= 90 s]")
    seconds, peak, _ = jupyter_book()
    line("Jupyter Book, nothing changed", seconds, peak, "")
    seconds, peak, out = csc_build()
    line("csc build, nothing changed", seconds, peak, f"[{out.count('executed in')} executions; target < 2 s, 0]")
    number = revise(csc_dir / "data" / "tidy")
    seconds, peak, _ = jupyter_book()
    line("Jupyter Book, one tidy value revised", seconds, peak, f"[{serves(jb_dir / '_build' / 'html', number)}]")
    seconds, peak, out = csc_build()
    reran = re.findall(r"chapter (\w+): executed in", out)
    line("csc build, one tidy value revised", seconds, peak,
         f"[{serves(csc_dir / '_build' / 'html', number)}; re-ran {', '.join(reran)}]")
    print()
    for state in ("cold", "warm"):
        seconds, peak, out = run([PY, "-m", "csc", "edition", "--area", args.area], csc_dir)
        done = re.search(r"done in [\d.]+ s \[(.*)\]", out)
        line(f"edition {args.area}, {state}", seconds, peak,
             f"[{done.group(1) if done else '?'}]" + ("; target < 40 s" if state == "cold" else ""))
    if args.atlas:
        seconds, peak, out = run([PY, "-m", "csc", "atlas"], csc_dir)
        pages = len(list((csc_dir / "_build" / "atlas").glob("**/*.html")))
        line("atlas, every area", seconds, peak, f"[{pages} HTML files; target < 600 s, < 4096 MB]")
    seconds, peak, out = run([PY, "-m", "pytest", "-q", "-m", "slow", *EVERY_AREA], csc_dir, check=False)
    line("every-area sentence tests", seconds, peak, f"[{out.strip().splitlines()[-1]}; four chapters, every area "
                                                     f"x both vintages]")
    seconds, peak, out = run([PY, "-m", "csc", "value", "cp.section47_enquiries", "--period", "2020"], csc_dir)
    line("one `csc value` call", seconds, peak, f"[printed {out.split()[0]}; target < 0.5 s]")


def timings(output: str) -> str:
    m = re.search(r"timings: (.*)", output)
    return m.group(1) if m else "?"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--area", default="Isles of Scilly", help="the area edition to time")
    parser.add_argument("--no-atlas", dest="atlas", action="store_false", help="skip the whole atlas (minutes)")
    args = parser.parse_args()
    print(f"machine: {len(os.sched_getaffinity(0))} cores, {psutil.virtual_memory().total / 2**30:.0f} GB; "
          f"python {sys.version.split()[0]}", flush=True)
    with tempfile.TemporaryDirectory(prefix="csc-bench-") as tmp:
        book(args, Path(tmp))


if __name__ == "__main__":
    main()
