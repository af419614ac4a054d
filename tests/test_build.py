"""Chapters execute for England, regions and awkward LAs under both vintages; the build re-runs only what changed."""
from __future__ import annotations

import json
import re
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
import chapter_runs

from csc import build, executor, paths
from csc.errors import CscError

ROOT = Path(__file__).resolve().parent.parent


AREAS = [
    "E92000001",
    "North West",              # a region, by name
    "North Northamptonshire",  # reorganised in 2021: reported on its consistent boundary
    "Isles of Scilly",         # tiny: mostly suppressed
    "373",                     # Sheffield by DfE code (recoded in 2025)
    "E08000035",               # Leeds, ordinary
]


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    return chapter_runs.run_all("family_help", AREAS, tmp_path_factory.mktemp("family_help"))


@pytest.mark.slow
def test_the_chapter_command_runs_one_chapter_for_an_area(tmp_path):
    done = subprocess.run([sys.executable, "-m", "csc", "chapter", "family_help", "--area", "Leeds", "--out",
                           str(tmp_path)], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "chapter family_help for {'area': 'Leeds'" in done.stdout
    assert chapter_runs.glued(tmp_path / "family_help.ipynb")["area_name"] == "Leeds"
    assert (tmp_path / "data" / "s47_icpc_cpp.csv").is_file()


@pytest.mark.slow
@pytest.mark.parametrize("vintage", ["latest", "first"])
@pytest.mark.parametrize("area", AREAS)
def test_family_help_executes_for_areas_and_vintages(runs, area, vintage):
    tmp_path = chapter_runs.folder(runs, area, vintage)
    values = chapter_runs.glued(tmp_path / "family_help.ipynb")
    assert values["funnel_answer"]
    assert values["area_name"] and values["area_name"] != "E92000001"
    boxes = chapter_runs.claim_boxes(tmp_path / "family_help.ipynb")
    assert len(boxes) == 14  # every FH claim, with a computed verdict, for every area
    if area == "North Northamptonshire":
        assert "Northamptonshire (North plus West Northamptonshire)" in values["area_name"]
    assert "nan" not in " ".join(values.values()) and "{glue" not in " ".join(values.values())
    assert all("**Verdict" in b for b in boxes)
    assert any("With the data the review had" in b for b in boxes)   # claims with figures are judged twice
    if area in ("E92000001", "E08000035", "North West"):
        assert (tmp_path / "data" / "s47_icpc_cpp.csv").is_file()
        assert "section 47 enquiries" in values["funnel_answer"]


@pytest.mark.parametrize("args, message", [
    (["--area", "Narnia"], "unknown area 'Narnia'"),
    (["--vintage", "newest"], "unknown vintage 'newest'; use one of latest, first"),
    (["-p", "baseline_year=2005"], "unknown baseline_year 2005; use one of 2010, 2011"),
    (["-p", "colour=red"], "chapter family_help has no parameter 'colour'"),
    (["-p", "end_year=abc"], "unknown end_year 'abc'; use a year from 2011 to 2025"),
    (["-p", "end_year=2100"], "unknown end_year 2100; use a year from 2011 to 2025"),
    (["-p", "baseline_year=abc"], "parameter baseline_year='abc' should be a whole number"),
    (["-p", "spending_baseline=2015-16"], "unknown spending_baseline '2015-16'"),
])
def test_unknown_parameter_value_is_one_clear_line(args, message):
    done = subprocess.run([sys.executable, "-m", "csc", "chapter", "family_help", *args], capture_output=True,
                          text=True, cwd=ROOT)
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and message in done.stderr


def test_unknown_chapter_is_a_clear_error():
    with pytest.raises(CscError, match="unknown chapter 'markets_v2'; chapters are care_system, claims_ledger, data_appendix, family_help, "):
        build.run_for_area("markets_v2", {})


def test_staleness_follows_declared_inputs(tmp_path, monkeypatch):
    """A change to one tidy table marks stale exactly the chapters that declare it."""
    monkeypatch.setattr(build, "STAMPS", tmp_path / "stamps")
    registry = build.chapters()
    for name, spec in registry.items():
        parts = build.signature(name, spec, spec["parameters"])
        (tmp_path / "stamps").mkdir(exist_ok=True)
        (tmp_path / "stamps" / f"{name}.json").write_text(json.dumps(parts))
    monkeypatch.setattr(build.paths, "CHAPTERS", paths.CHAPTERS)
    for name, spec in registry.items():
        assert build.why_stale(name, build.signature(name, spec, spec["parameters"])) == "" or \
            not (paths.CHAPTERS / f"{name}.ipynb").is_file()

    state = json.loads((paths.TIDY / "tidy.json").read_text())
    state["workforce"]["sha256"] = "changed"
    tidy_dir = tmp_path / "tidy"
    tidy_dir.mkdir()
    (tidy_dir / "tidy.json").write_text(json.dumps(state))
    monkeypatch.setattr(build.paths, "TIDY", tidy_dir)
    reasons = {n: build.why_stale(n, build.signature(n, s, s["parameters"])) for n, s in registry.items()}
    for name, spec in registry.items():
        if not (paths.CHAPTERS / f"{name}.ipynb").is_file():
            assert reasons[name] == "never built"
        elif "workforce" in spec["inputs"]:
            assert "tidy table workforce changed" in reasons[name]
        else:
            assert reasons[name] == "", f"{name} re-runs although it does not read workforce"


def test_parameter_change_marks_a_chapter_stale(tmp_path, monkeypatch):
    monkeypatch.setattr(build, "STAMPS", tmp_path)
    spec = build.chapters()["family_help"]
    (tmp_path / "family_help.json").write_text(json.dumps(build.signature("family_help", spec, spec["parameters"])))
    other = {**spec["parameters"], "vintage": "first"}
    reason = build.why_stale("family_help", build.signature("family_help", spec, other))
    assert reason in ("parameters changed", "never built")


def scratch_chapter(tmp_path: Path, monkeypatch, name: str, source: str) -> Path:
    """A one-off chapter source in a chapters folder of its own, with the build's work folder beside it."""
    chapters = tmp_path / "chapters"
    chapters.mkdir()
    (chapters / f"{name}.py").write_text(source)
    monkeypatch.setattr(build.paths, "CHAPTERS", chapters)
    monkeypatch.setattr(build, "WORK", tmp_path / "work")
    return chapters


def test_a_failing_chapter_names_the_cell_and_publishes_nothing(tmp_path, monkeypatch):
    chapters = scratch_chapter(tmp_path, monkeypatch, "broken",
                               '# %% tags=["parameters"]\narea = "E92000001"\n\n# %%\nimport csc\n'
                               'csc.value("cp.no_such_measure", period="2020")\n')
    output = chapters / "broken.ipynb"
    with pytest.raises(CscError) as err:
        build.execute("broken", {"inputs": ["cin"]}, {"area": "E92000001"}, output, tmp_path / "files")
    message = str(err.value)
    assert re.search(r"chapter broken failed \(.*broken.failed.ipynb\): cell \d+ failed with UsageError", message)
    assert 'csc.value("cp.no_such_measure"' in message  # the failing cell's source is shown
    assert "unknown measure 'cp.no_such_measure'" in message
    assert not output.exists()
    assert (tmp_path / "work" / "broken.failed.ipynb").is_file()


def test_notebooks_run_side_by_side_talk_to_their_kernels_over_unix_sockets(tmp_path, monkeypatch):
    """Kernels started at once on TCP race for the same free port and one dies at start (CI, papermill#511); over
    IPC each kernel has its own socket directory, removed afterwards."""
    scratch_chapter(tmp_path, monkeypatch, "transport",
                    '# %% tags=["parameters"]\nrun = 0\n\n# %%\nfrom ipykernel.kernelapp import IPKernelApp\n'
                    'app = IPKernelApp.instance()\nprint(app.transport, app.ip)\n')
    jobs = [("transport", {"inputs": []}, {"run": run}, tmp_path / f"run{run}.ipynb", tmp_path / f"files{run}")
            for run in range(4)]
    executor.run(build.execute, jobs, workers=2)
    printed = [nbformat.read(tmp_path / f"run{run}.ipynb", as_version=4).cells[-1].outputs[0]["text"].split()
               for run in range(4)]
    assert {transport for transport, _ in printed} == {"ipc"}
    assert len({ip for _, ip in printed}) == 4
    assert not any(Path(ip).parent.exists() for _, ip in printed)


def test_undeclared_table_is_an_error(monkeypatch):
    import csc

    monkeypatch.setenv("CSC_DECLARED_INPUTS", "geography,cin")
    with pytest.raises(CscError, match="reads 'workforce' but does not declare it"):
        csc.value("wf.fte", period="2020")


@pytest.mark.book
def test_no_change_rebuild_executes_nothing():
    done = subprocess.run([sys.executable, "-m", "csc", "build"], capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ})
    assert done.returncode == 0, done.stderr[-2000:]
    assert "executed" not in done.stdout
    for name in build.chapters():
        assert f"chapter {name}: up to date (skipped)" in done.stdout
    assert "HTML and PDF up to date" in done.stdout


def _mini_book(root: Path, paragraphs: int) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "_config.yml").write_text(
        'title: "Seeds"\nexecute:\n  execute_notebooks: "off"\nlatex:\n  use_jupyterbook_latex: false\n  latex_engine: xelatex\n'
        '  latex_documents:\n    targetname: book.tex\nsphinx:\n  config:\n    latex_elements:\n'
        '      makeindex: ""\n      printindex: ""\n')
    (root / "_toc.yml").write_text("format: jb-book\nroot: intro\nchapters:\n- file: later\n")
    filler = "Some words about children's social care, repeated to fill a page. " * 12
    (root / "intro.md").write_text("# Introduction\n\n" + "\n\n".join([filler] * paragraphs) + "\n")
    (root / "later.md").write_text("# A later chapter\n\nIts page number moves when the introduction grows.\n")
    return root


@pytest.mark.slow
def test_a_pdf_started_from_the_last_ones_cross_references_comes_out_as_from_scratch(tmp_path):
    """The last PDF's .aux, .toc, .out and latexmk database seed the next LaTeX run (one pass where they still hold);
    when the book has changed, the contents and cross-references must be those of a build from nothing."""
    book = _mini_book(tmp_path / "book", paragraphs=2)
    build.build_pdf(source=book, into=tmp_path / "seeded")
    assert all((tmp_path / "seeded" / "pdf" / name).is_file() for name in build.LATEX_SEEDS)
    before = (tmp_path / "seeded" / "pdf" / "book.toc").read_text()
    _mini_book(book, paragraphs=60)   # the later chapter moves several pages on
    build.build_pdf(source=book, into=tmp_path / "seeded")
    build.build_pdf(source=book, into=tmp_path / "fresh")
    toc = [(tmp_path / where / "pdf" / "book.toc").read_text() for where in ("seeded", "fresh")]
    assert "A later chapter" in toc[1] and toc[0] == toc[1] != before
    pages = [subprocess.run(["pdfinfo", tmp_path / where / "pdf" / "book.pdf"], capture_output=True, text=True,
                            check=True).stdout for where in ("seeded", "fresh")]
    assert re.search(r"Pages:\s+(\d+)", pages[0]).group(1) == re.search(r"Pages:\s+(\d+)", pages[1]).group(1)


def test_chapters_start_longest_first_by_their_last_run(tmp_path, monkeypatch):
    """Two workers finish soonest when the long chapters start first: by the time each took last (in its stamp),
    and chapters never run first, in chapters.yml's order."""
    layout = build.Layout(tmp_path / "notebooks", tmp_path / "downloads", tmp_path / "stamps", tmp_path / "work")
    layout.stamps.mkdir()
    names = list(build.chapters())
    timed = {names[0]: 2.0, names[1]: 9.5, names[2]: 4.0}
    for name, seconds in timed.items():
        (layout.stamps / f"{name}.json").write_text(json.dumps({"seconds": seconds}))
    started = []
    monkeypatch.setattr(build.executor, "run", lambda fn, jobs, **kw: started.extend(job[0] for job in jobs))
    build.run_chapters(log=lambda *_: None, layout=layout)
    never_run = [n for n in names if n not in timed]
    assert started == never_run + [names[1], names[2], names[0]]
