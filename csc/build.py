"""The book build: tidy -> chapters (papermill, only those whose inputs changed) -> HTML -> PDF.

Each step writes beside the published output and swaps in only on success, so a failing chapter or build never
replaces a good book with a half-built one. One build runs at a time (a second waits); what a killed one left behind
is removed by the next, and stamps are written whole or not at all.
"""
from __future__ import annotations

import concurrent.futures as cf
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path


from . import executor, paths, report, tidy, yamlfile
from .errors import CscError, UsageError

REGISTRY = paths.CHAPTERS / "chapters.yml"
STAMPS = paths.BUILD / "stamps"
WORK = paths.BUILD / "work"
DOWNLOADS = paths.BUILD / "downloads"   # copied into the HTML root (html_extra_path): chart-data/<chapter>/
AREAS = paths.BUILD / "areas"
# Package code a chapter's results can depend on (tidy code reaches chapters through the tidy tables' hashes).
CODE_EXCLUDE = ("tidy/", "build.py", "cli.py", "edition.py", "fetch.py", "manifest.py", "releases.py",
                "report.py", "__main__.py", "atlas.py")


def chapters() -> dict[str, dict]:
    registry = yamlfile.read(REGISTRY)
    for name, spec in registry.items():
        missing = {"title", "inputs", "parameters"} - set(spec)
        if missing:
            raise CscError(f"{REGISTRY}: chapter {name!r} lacks {', '.join(sorted(missing))}")
        unknown = set(spec["inputs"]) - set(tidy.TABLES) - {"manifest"}
        if unknown:
            raise CscError(f"{REGISTRY}: chapter {name!r} reads unknown tidy table(s) {', '.join(sorted(unknown))}")
    return registry


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def code_hash() -> str:
    root = Path(__file__).resolve().parent
    files = sorted(p for p in root.rglob("*") if p.suffix in (".py", ".yml", ".csv")
                   and not any(p.relative_to(root).as_posix().startswith(x) for x in CODE_EXCLUDE))
    return _sha(b"".join(p.relative_to(root).as_posix().encode() + p.read_bytes() for p in files))


def signature(name: str, spec: dict, params: dict) -> dict[str, str]:
    """Everything a chapter's output depends on, component by component, so the build can say why it re-ran."""
    state = tidy.read_state(paths.TIDY)
    parts = {"source": _sha((paths.CHAPTERS / f"{name}.py").read_bytes()),
             "parameters": _sha(json.dumps(params, sort_keys=True).encode()),
             "csc package": code_hash()}
    for table in spec["inputs"]:
        if table == "manifest":
            parts["manifest"] = _sha(paths.MANIFEST.read_bytes())
        else:
            parts[f"tidy table {table}"] = state.get(table, {}).get("sha256", "missing")
    return parts


def _read_json(path: Path) -> dict:
    """A stamp; a missing, corrupt or foreign one reads as empty, so whatever it stood for is rebuilt."""
    try:
        data = json.loads(path.read_text())
    except (FileNotFoundError, UnicodeDecodeError, json.JSONDecodeError):
        return {}
    return data if isinstance(data, dict) else {}


def _write_json(path: Path, data: dict) -> None:
    """Written beside and renamed into place: a kill or a full disk leaves the old stamp or the new, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_text(json.dumps(data, indent=1))
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def _stamp(name: str, stamps: Path | None = None) -> dict:
    return _read_json((stamps or STAMPS) / f"{name}.json")


def clean_leftovers() -> None:
    """What a killed build left: staging folders, half-swapped HTML, scratch notebooks, stamp temporaries."""
    for stale in [paths.BUILD / "staging-html", paths.BUILD / "staging-pdf", paths.BUILD / "html.old"]:
        shutil.rmtree(stale, ignore_errors=True)
    for pattern, folder in (("*.[0-9]*.ipynb", WORK), (".*.tmp", STAMPS), ("*.files", WORK)):
        for stale in folder.glob(pattern) if folder.is_dir() else []:
            shutil.rmtree(stale) if stale.is_dir() else stale.unlink()


def why_stale(name: str, parts: dict[str, str], stamps: Path | None = None, notebooks: Path | None = None) -> str:
    """Why a chapter must re-run ('' if not); stamps and notebooks default to the main book's (an edition has its own)."""
    old = _stamp(name, stamps)
    if not old or not ((notebooks or paths.CHAPTERS) / f"{name}.ipynb").is_file():
        return "never built"
    changed = [k for k in parts if old.get(k) != parts[k]]
    return (", ".join(changed) + " changed") if changed else ""


def _failure(notebook: Path) -> str:
    """The failing cell and its error, from the executed notebook papermill left behind."""
    import nbformat

    nb = nbformat.read(notebook, as_version=4)
    for index, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                source = "\n    ".join(cell.source.splitlines()[:8])
                return (f"cell {index} failed with {output['ename']}: {output['evalue']}\n    {source}")
    return "no error cell found (kernel died?)"


def kernel_config(sockets: Path):
    """The kernel talks to papermill over Unix sockets in a directory of its own (sockets), not TCP ports: notebooks
    run side by side otherwise race for the same free port and a kernel dies at start (papermill#511), and nothing
    listens on the network. Once the last cell's outputs are in, the kernel is stopped at once rather than asked to
    shut down (a tenth of a second a run, 162 runs an atlas)."""
    from traitlets.config import Config

    return Config({"KernelManager": {"transport": "ipc", "ip": str(sockets / "kernel")},
                   "NotebookClient": {"shutdown_kernel": "immediate"}})


def execute(name: str, spec: dict, params: dict, output: Path, files_dir: Path, work: Path | None = None) -> float:
    """jupytext -> papermill into a temporary notebook (in work, default _build/work); returns seconds.
    Raises CscError naming the failing cell."""
    import jupytext
    import papermill
    from nbclient.exceptions import CellTimeoutError, DeadKernelError

    work = work or WORK
    work.mkdir(parents=True, exist_ok=True)
    source = work / f"{name}.{os.getpid()}.src.ipynb"
    jupytext.write(jupytext.read(paths.CHAPTERS / f"{name}.py"), source)
    scratch = work / f"{name}.{os.getpid()}.ipynb"
    shutil.rmtree(files_dir, ignore_errors=True)
    files_dir.mkdir(parents=True)
    # The kernel imports this checkout's csc, whatever checkout the venv's editable install points at.
    env = {"CSC_DECLARED_INPUTS": ",".join(spec["inputs"]), "CSC_OUTPUT_DIR": str(files_dir),
           "CSC_CHAPTER": name, "PYTHONPATH": os.pathsep.join(
               p for p in (str(Path(__file__).resolve().parent.parent), os.environ.get("PYTHONPATH")) if p)}
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    sockets = Path(tempfile.mkdtemp(prefix="csc-kernel-"))
    started = time.perf_counter()
    try:
        papermill.execute_notebook(str(source), str(scratch), parameters=params, cwd=str(paths.CHAPTERS),
                                   progress_bar=False, log_output=False, kernel_name="python3", language="python",
                                   config=kernel_config(sockets))
    except papermill.PapermillExecutionError:
        detail = _failure(scratch)
        kept = work / f"{name}.failed.ipynb"
        os.replace(scratch, kept)
        shown = kept.relative_to(paths.ROOT) if kept.is_relative_to(paths.ROOT) else kept
        raise CscError(f"chapter {name} failed ({shown}): {detail}") from None
    except (DeadKernelError, CellTimeoutError, RuntimeError) as exc:
        Path(scratch).unlink(missing_ok=True)
        what = {DeadKernelError: "its kernel died", CellTimeoutError: "a cell timed out"}.get(
            type(exc), "its kernel did not start")
        raise CscError(f"chapter {name} failed: {what} ({' '.join(str(exc).split())[:200]}); "
                       f"the published chapter is unchanged") from None
    finally:
        source.unlink(missing_ok=True)
        shutil.rmtree(sockets, ignore_errors=True)
        for k, v in saved.items():
            os.environ.pop(k, None) if v is None else os.environ.__setitem__(k, v)
    os.replace(scratch, output)
    return time.perf_counter() - started


@dataclass(frozen=True)
class Layout:
    """Where a book keeps its executed notebooks, chart CSVs, stamps and scratch: the main book's, or an edition's."""
    notebooks: Path
    downloads: Path
    stamps: Path
    work: Path


BOOK = Layout(paths.CHAPTERS, DOWNLOADS, STAMPS, WORK)


def run_chapters(force: bool = False, log=print, workers: int | None = None, scheduler: str | None = None,
                 layout: Layout = BOOK, params_for=lambda name, spec: spec["parameters"], reuse=None) -> list[str]:
    """Execute the chapters whose inputs changed, side by side on the executor's workers; returns the names executed.
    Each is published and stamped as soon as it finishes, so one failing loses none of the others. reuse(name,
    params, parts) may fill a chapter's staged files and notebook instead of running it (an edition takes the main
    book's when they would be the same)."""
    stale = []
    for name, spec in chapters().items():
        params = params_for(name, spec)
        parts = signature(name, spec, params)
        reason = "forced" if force else why_stale(name, parts, layout.stamps, layout.notebooks)
        if reason:
            stale.append((name, spec, params, parts, reason))
        else:
            log(f"chapter {name}: up to date (skipped)")

    def publish(name: str, parts: dict, how: str, seconds: float | None = None) -> None:
        published = layout.downloads / "chart-data" / name
        shutil.rmtree(published, ignore_errors=True)
        published.parent.mkdir(parents=True, exist_ok=True)
        os.replace(layout.work / f"{name}.files", published)
        _write_json(layout.stamps / f"{name}.json", {**parts, **({"seconds": round(seconds, 1)} if seconds else {})})
        log(f"chapter {name}: {how}")

    # Longest first, so no worker is left running a long chapter alone at the end: by each chapter's last run,
    # and those never run first, in chapters.yml's order (which lists the longest first).
    stale.sort(key=lambda job: -_stamp(job[0], layout.stamps).get("seconds", float("inf")))
    jobs, waiting = [], []
    for name, spec, params, parts, reason in stale:
        if not force and reuse and reuse(name, params, parts):
            publish(name, parts, f"copied from the main book, built from the same inputs ({reason})")
        else:
            jobs.append((name, spec, params, layout.notebooks / f"{name}.ipynb", layout.work / f"{name}.files",
                         layout.work))
            waiting.append((name, parts, reason))

    def done(index: int, seconds: float) -> None:
        name, parts, reason = waiting[index]
        publish(name, parts, f"executed in {seconds:.1f} s ({reason})", seconds)

    executor.run(execute, jobs, workers=workers, scheduler=scheduler, done=done)
    return [name for name, *_ in stale]


def book_sources(root: Path | None = None) -> str:
    """A hash of everything the HTML and PDF are made from (the book at root, default the project), to skip Sphinx
    when nothing changed."""
    root = root or paths.ROOT
    files = [root / f for f in ("_config.yml", "_toc.yml")] + sorted((root / "assets").glob("*"))
    files += sorted(root.glob("*.md"))
    files += sorted((root / "chapters").glob("*.ipynb")) + sorted((root / "chapters").glob("*.md"))
    files += sorted((root / "_build" / "downloads").rglob("*.csv"))
    files = [f for f in files if f.is_file() and f.name != "README.md"]
    return _sha(b"".join(f.name.encode() + f.read_bytes() for f in files))


def _jupyter_book(builder: str, out: Path, source: Path | None = None, seeds: list[Path] = ()) -> None:
    shutil.rmtree(out, ignore_errors=True)
    if seeds:
        (out / "_build" / "latex").mkdir(parents=True)
        for seed in seeds:
            shutil.copy2(seed, out / "_build" / "latex" / seed.name)
    cmd = [str(Path(sys.executable).with_name("jupyter-book")), "build", str(source or paths.ROOT), "--builder", builder,
           "--path-output", str(out), "--warningiserror", "--keep-going", "--quiet"]
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode != 0:
        lines = [ln for ln in (done.stdout + done.stderr).splitlines()
                 if re.search(r"(WARNING|ERROR|Error|error:|!)", ln)]
        for line in lines[:20]:
            print(f"    {line}", file=sys.stderr)
        raise CscError(f"jupyter-book {builder} build failed (exit {done.returncode}); the published book is unchanged")


def _swap(new: Path, published: Path) -> None:
    old = published.with_name(published.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if published.exists():
        os.replace(published, old)
    os.replace(new, published)
    shutil.rmtree(old, ignore_errors=True)


def build_html(log=print, source: Path | None = None, into: Path | None = None) -> float:
    """The book at source (default the project) to into/html (default _build/html), swapped in on success."""
    started = time.perf_counter()
    into = into or paths.BUILD
    staging = into / "staging-html"
    _jupyter_book("html", staging, source)
    _swap(staging / "_build" / "html", into / "html")
    shutil.rmtree(staging, ignore_errors=True)
    return time.perf_counter() - started


LATEX_SEEDS = ("book.aux", "book.toc", "book.out", "book.fdb_latexmk")


def build_pdf(log=print, source: Path | None = None, into: Path | None = None) -> float:
    """The book at source (default the project) to into/pdf/book.pdf (default _build/pdf), replaced on success."""
    started = time.perf_counter()
    into = into or paths.BUILD
    staging = into / "staging-pdf"
    # The last PDF's cross-references and contents start LaTeX off: where they still hold, latexmk stops after one
    # pass instead of three (it reruns until they are stable, so a changed book comes out the same as from scratch).
    seeds = [into / "pdf" / name for name in LATEX_SEEDS if (into / "pdf" / name).is_file()]
    _jupyter_book("pdflatex", staging, source, seeds)
    pdf = staging / "_build" / "latex" / "book.pdf"
    if not pdf.is_file():
        raise CscError(f"{pdf}: LaTeX produced no PDF; see {staging / '_build' / 'latex' / 'book.log'}")
    (into / "pdf").mkdir(parents=True, exist_ok=True)
    for kept in ("book.tex", "book.log", *LATEX_SEEDS):   # the book tests look for overfull tables in .tex and .log
        os.replace(pdf.with_name(kept), into / "pdf" / kept)
    os.replace(pdf, into / "pdf" / "book.pdf")
    shutil.rmtree(staging, ignore_errors=True)
    return time.perf_counter() - started


def render(stamp: Path, source: Path, into: Path, pdf: bool, executed: bool, timings: dict, log, what: str) -> None:
    """HTML and PDF of the book at source into into/html and into/pdf, both at once (two Sphinx builds on two
    cores), unless nothing they are made from changed since the stamp."""
    sources = book_sources(source)
    previous = _read_json(stamp)
    html_ok = (into / "html" / "index.html").is_file() and previous.get("html") == sources
    pdf_ok = (into / "pdf" / "book.pdf").is_file() and previous.get("pdf") == sources
    if html_ok and (pdf_ok or not pdf) and not executed:
        log(f"{what}: sources unchanged, HTML{' and PDF' if pdf else ''} up to date (skipped)")
        return
    shown = into.relative_to(paths.ROOT) if into.is_relative_to(paths.ROOT) else into
    with cf.ThreadPoolExecutor(max_workers=2) as pool:
        jobs = {"html": pool.submit(build_html, log, source, into)}
        if pdf:
            jobs["pdf"] = pool.submit(build_pdf, log, source, into)
        for kind, job in jobs.items():
            try:
                timings[kind] = job.result()
            except CscError:
                for other in jobs.values():   # the other build's good output is still kept
                    other.exception()
                _write_json(stamp, previous)
                raise
            previous[kind] = sources
    _write_json(stamp, previous)
    report.ship_pdf(into / "html", into / "pdf" / "book.pdf")   # the front page links to book.pdf in the HTML root
    log(f"{what}: HTML built in {timings['html']:.1f} s -> {shown}/html/index.html")
    if pdf:
        log(f"{what}: PDF built in {timings['pdf']:.1f} s -> {shown}/pdf/book.pdf")


def main(pdf: bool = True, force: bool = False, log=print, workers: int | None = None,
         scheduler: str | None = None) -> int:
    with paths.lock(paths.BUILD / ".lock", "book build"):
        clean_leftovers()
        return _main(pdf, force, log, workers, scheduler)


def _main(pdf: bool, force: bool, log, workers: int | None, scheduler: str | None) -> int:
    timings = {}
    started = time.perf_counter()
    result = tidy.build(log=log)
    timings["tidy"] = time.perf_counter() - started
    log("tidy: " + ", ".join(f"{t} {r}" for t, r in result.items()))
    started = time.perf_counter()
    executed = run_chapters(force=force, log=log, workers=workers, scheduler=scheduler)
    timings["chapters"] = time.perf_counter() - started
    report.write(executed, log)   # the data change report and the front matter's "built from" (csc/report.py)
    render(STAMPS / "book.json", paths.ROOT, paths.BUILD, pdf, bool(executed), timings, log, "book")
    log("timings: " + ", ".join(f"{k} {v:.1f} s" for k, v in timings.items()))
    return 0


def _coerce(name: str, default, text: str):
    """Command-line text to the parameter's type (an int where the default is an int or None and it looks like one)."""
    if isinstance(default, int) or (default is None and str(text).lstrip("-").isdigit()):
        try:
            return int(text)
        except ValueError:
            raise UsageError(f"parameter {name}={text!r} should be a whole number") from None
    return str(text)


def run_for_area(name: str, params: dict, out: str | None = None) -> int:
    """Execute one chapter with other parameters, outside the book: notebook and CSVs under _build/areas/."""
    from .chapter import validate

    registry = chapters()
    if name not in registry:
        raise UsageError(f"unknown chapter {name!r}; chapters are {', '.join(sorted(registry))}")
    spec = registry[name]
    unknown = set(params) - set(spec["parameters"])
    if unknown:
        raise UsageError(f"chapter {name} has no parameter {sorted(unknown)[0]!r}; "
                         f"parameters are {', '.join(spec['parameters'])}")
    merged = {**spec["parameters"], **{k: _coerce(k, spec["parameters"][k], v) for k, v in params.items()}}
    tidy.build([t for t in spec["inputs"] if t in tidy.TABLES], log=lambda *_: None)
    validate(**merged)
    slug = re.sub(r"[^A-Za-z0-9]+", "-", "-".join(str(params[k]) for k in sorted(params))).strip("-") or "default"
    folder = Path(out) if out else AREAS / f"{name}__{slug}"
    folder.mkdir(parents=True, exist_ok=True)
    with paths.lock(paths.BUILD / ".lock", "book build"):  # execute shares the work folder with the book build
        seconds = execute(name, spec, merged, folder / f"{name}.ipynb", folder / "data")
    print(f"chapter {name} for {merged}: executed in {seconds:.1f} s -> {folder}/{name}.ipynb (CSVs in {folder}/data)")
    return 0
