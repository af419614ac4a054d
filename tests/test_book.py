"""The built book: every page of the table of contents, glued numbers equal to the data, a PDF with vector charts."""
from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
import yaml

import csc
from csc.chapter import count

ROOT = Path(__file__).resolve().parent.parent
HTML = ROOT / "_build" / "html"
PDF = ROOT / "_build" / "pdf" / "book.pdf"

pytestmark = pytest.mark.book


def toc_files() -> list[str]:
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    return [toc["root"]] + [c["file"] for part in toc.get("parts", []) for c in part["chapters"]]


def chapter_titles() -> list[str]:
    registry = yaml.safe_load((ROOT / "chapters" / "chapters.yml").read_text())
    return [spec["title"] for spec in registry.values()]


@pytest.fixture(scope="module")
def pdf_text() -> str:
    assert PDF.is_file(), "build the book first: make book"
    return subprocess.run(["pdftotext", "-layout", str(PDF), "-"], capture_output=True, text=True,
                          check=True).stdout


def latest_s47() -> tuple[str, str]:
    rows = csc.series("cp.section47_enquiries").dropna(subset=["value"])
    last = rows.iloc[-1]
    return last["period"], count(last["value"])


def test_every_toc_page_is_in_the_html():
    for page in toc_files():
        assert (HTML / f"{page}.html").is_file(), f"{page} missing from _build/html"


def test_html_loads_nothing_from_outside():
    for page in HTML.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        external = re.findall(r'<(?:script|link|img)[^>]+(?:src|href)="(https?://[^"]+)"', text)
        assert external == [], f"{page.relative_to(HTML)} loads {external[:3]}"
    assert (HTML / "_static" / "mathjax" / "tex-chtml.js").is_file()


def test_glued_number_in_the_html_is_the_data():
    period, number = latest_s47()
    page = (HTML / "chapters" / "family_help.html").read_text(encoding="utf-8")
    assert f"In the year to 31 March {period}, England recorded <strong>{number}</strong> section 47" in page


def test_chart_csv_is_published_beside_the_page():
    csv = HTML / "chart-data" / "family_help" / "s47_icpc_cpp.csv"
    assert csv.is_file()
    header = csv.read_text().splitlines()[0]
    assert header == "year,stage,value,status,release,source"


def test_pdf_has_every_chapter_title_and_the_glued_number(pdf_text):
    flat = " ".join(pdf_text.split())
    for title in chapter_titles():
        assert title.lower() in flat.lower(), f"chapter {title!r} not in the PDF"
    _, number = latest_s47()
    assert f"England recorded {number} section 47" in flat


def test_pdf_charts_are_vector():
    assert PDF.is_file()
    listing = subprocess.run(["pdfimages", "-list", str(PDF)], capture_output=True, text=True, check=True).stdout
    rasters = [line for line in listing.splitlines()[2:] if line.strip()]
    assert rasters == [], f"raster images in the PDF: {rasters[:3]}"
