"""An area edition: the whole book run for one area, readable as HTML and PDF, never touching the main book."""
from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from csc import build, edition

ROOT = Path(__file__).resolve().parent.parent
AREA, CODE = "Isles of Scilly", "E06000053"   # the smallest LA: a quick edition, mostly suppressed figures


def main_book_state() -> dict[str, str]:
    """Hash of every file of the main book an edition must not write: executed notebooks and everything in _build
    except the editions and single-chapter runs."""
    files = list((ROOT / "chapters").glob("*.ipynb"))
    files += [f for f in (ROOT / "_build").rglob("*") if f.is_file()
              and f.relative_to(ROOT / "_build").parts[0] not in ("editions", "areas")]
    return {str(f.relative_to(ROOT)): hashlib.sha256(f.read_bytes()).hexdigest() for f in files}


def csc(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "csc", *args], capture_output=True, text=True, cwd=ROOT)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """One edition, HTML and PDF, built into a scratch folder, with the main book's state before and after."""
    out = tmp_path_factory.mktemp("edition") / CODE
    before = main_book_state()
    done = csc("edition", "--area", AREA, "--out", str(out))
    assert done.returncode == 0, done.stderr[-3000:]
    return out, done.stdout, before, main_book_state()


def pages(html: Path) -> list[Path]:
    """The edition's HTML pages (not the theme's template snippets, not the redirect at index.html)."""
    return [p for p in html.rglob("*.html") if "_static" not in p.parts
            and 'http-equiv="Refresh"' not in p.read_text(encoding="utf-8")]


@pytest.mark.slow
def test_every_html_page_names_the_area_and_no_glue_is_left(built):
    out, _, _, _ = built
    found = pages(out / "html")
    toc_pages = {"intro.html"} | {f"{n}.html" for n in build.chapters()}
    assert toc_pages <= {p.name for p in found}
    for page in found:
        text = page.read_text(encoding="utf-8")
        assert f"{AREA} edition" in text, f"{page.name} does not say which area it is about"
        assert "{glue" not in text, f"{page.name} has an unrendered glue placeholder"


@pytest.mark.slow
def test_every_chapter_ran_with_the_area_where_it_takes_one(built):
    out, stdout, _, _ = built
    assert f"edition {CODE}: {AREA}" in stdout  # asked for by name, folder and parameters by GSS code
    for name, spec in build.chapters().items():
        nb = nbformat.read(out / "src" / "chapters" / f"{name}.ipynb", as_version=4)
        injected = "".join(c.source for c in nb.cells if "injected-parameters" in c.metadata.get("tags", []))
        if "area" in spec["parameters"]:
            assert f"area = \"{CODE}\"" in injected or f"area = '{CODE}'" in injected, name
        charts = sorted(p.name for p in (out / "src" / "_build" / "downloads" / "chart-data" / name).glob("*.csv"))
        assert charts == sorted(p.name for p in (out / "html" / "chart-data" / name).glob("*.csv"))


@pytest.mark.slow
def test_the_pdf_names_the_area_on_its_title_page(built):
    out, _, _, _ = built
    pdf = out / "pdf" / "book.pdf"
    first = subprocess.run(["pdftotext", "-l", "1", str(pdf), "-"], capture_output=True, text=True,
                           check=True).stdout
    assert f"{AREA} edition" in " ".join(first.split())
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "{glue" not in text


@pytest.mark.slow
def test_the_main_book_is_untouched_and_a_second_run_executes_nothing(built):
    out, _, before, after = built
    assert after == before
    again = csc("edition", "--area", CODE, "--out", str(out))
    assert again.returncode == 0, again.stderr[-2000:]
    assert "executed" not in again.stdout and "up to date (skipped)" in again.stdout


@pytest.mark.parametrize("args, message", [
    (["--area", "Narnia"], "unknown area 'Narnia'"),
    (["--area", AREA, "--vintage", "newest"], "unknown vintage 'newest'; use one of latest, first"),
    (["--area", AREA, "-p", "colour=red"], "no chapter has a parameter 'colour'"),
])
def test_a_bad_parameter_is_one_line_and_creates_nothing(tmp_path, args, message):
    editions = sorted((ROOT / "_build" / "editions").glob("*"))
    done = csc("edition", *args, "--out", str(tmp_path / "edition"))
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and message in done.stderr
    assert not (tmp_path / "edition").exists()
    assert sorted((ROOT / "_build" / "editions").glob("*")) == editions


def test_the_folder_is_the_area_code_and_names_parameters_other_than_the_book_s():
    registry = build.chapters()

    def folder(area: str, **given: str) -> str:
        return edition.slug(registry, edition.parameters(registry, {"area": area, **given}))

    assert folder(CODE) == CODE
    assert folder("E09000012", vintage="first") == "E09000012__vintage-first"
    assert folder("E09000012", vintage="latest", baseline_year="2011") == "E09000012__baseline_year-2011"
