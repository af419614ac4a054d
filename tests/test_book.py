"""The built book: every page of the table of contents, glued numbers equal to the data, a PDF with vector charts."""
from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
import yaml

import csc
from csc import catalogue
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
    assert header == "year,stage,count,status,release,source"


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


# The reader's PDF: tables that fit the page, identifiers whole, no blank page, no developer-document references.
TEX = PDF.with_name("book.tex")
LOG = PDF.with_name("book.log")
IDENTIFIER_BREAKS = "._/"   # where the preamble and Sphinx let inline code break (see _config.yml latex_elements)
OVERFULL_LIMIT_PT = 1.0


def rejoin(layout: str) -> str:
    """Identifiers broken deliberately at a line end (after . _ /) joined with the piece below at the same column,
    as they stand in a table cell of `pdftotext -layout` text."""
    lines = [[(m.start(), m.group()) for m in re.finditer(r"\S+", line)] for line in layout.splitlines()]
    for i, line in enumerate(lines):
        for j, (column, word) in enumerate(line):
            below = i + 1
            while word[-1] in IDENTIFIER_BREAKS and below < len(lines):
                piece = next((t for t in lines[below] if abs(t[0] - column) <= 1), None)
                if piece is None:
                    break
                lines[below].remove(piece)
                word += piece[1]
                below += 1
            line[j] = (column, word)
    return "\n".join(" ".join(word for _, word in line) for line in lines)


def section(layout: str, title: str, next_title: str) -> str:
    """The text of a numbered section of the PDF, from its heading to the next one (not the running footers)."""
    heading = r"^\s*\d+\.\d+\s+{}\s*$"
    start = re.search(heading.format(re.escape(title)), layout, re.M)
    end = re.search(heading.format(re.escape(next_title)), layout, re.M)
    assert start and end, f"section {title!r} not found in the PDF"
    return layout[start.end():end.start()]


def test_no_developer_document_is_cited(pdf_text):
    cited = re.compile(r"data[- ]notes", re.I)
    for page in HTML.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert not cited.search(text), f"{page.relative_to(HTML)} cites the developers' data notes"
    assert not cited.search(pdf_text), "the PDF cites the developers' data notes"


def test_every_measure_name_is_whole_in_the_pdf_measure_tables(pdf_text):
    measures = rejoin(section(pdf_text, "Measures", "Caveats and breaks in series"))
    missing = [name for name in catalogue.catalogue()
               if not re.search(rf"(?<![\w.]){re.escape(name)}(?!\w)", measures)]
    assert missing == [], f"measure names not whole in the PDF's measure tables: {missing[:5]}"


def test_claim_ids_are_never_split_in_the_pdf(pdf_text):
    ledger = (HTML / "chapters" / "claims_ledger.html").read_text(encoding="utf-8")
    # each id in the ledger's tables is a link to its claim box
    ids = set(re.findall(r'<p><a class="reference internal" href="[^"]*#claim-[a-z]+-\d+"><span class="std std-ref">'
                         r"([A-Z]{2,3}-\d+)</span></a></p>", ledger))
    assert ids, "no claim ids found in the ledger's HTML tables"
    prefixes = "|".join(sorted({i.split("-")[0] for i in ids}))
    split = re.findall(rf"\b(?:{prefixes})-(?=\s)", pdf_text)
    assert split == [], f"claim ids broken after the hyphen in the PDF: {split[:5]}"
    missing = sorted(i for i in ids if not re.search(rf"\b{i}\b", pdf_text))
    assert missing == [], f"claim ids of the ledger not whole in the PDF: {missing[:5]}"


def test_every_pdf_page_has_text_besides_its_running_head():
    pages = int(re.search(r"^Pages:\s+(\d+)", subprocess.run(["pdfinfo", str(PDF)], capture_output=True, text=True,
                                                             check=True).stdout, re.M)[1])
    blank = []
    for page in range(1, pages + 1):   # the body of an A4 page, without the header (y < 60 pt) and footer (> 780 pt)
        body = subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), "-x", "0", "-y", "60", "-W", "600",
                               "-H", "720", str(PDF), "-"], capture_output=True, text=True, check=True).stdout
        if not body.strip():
            blank.append(page)
    assert blank == [], f"blank pages in the PDF: {blank}"


def test_no_table_is_wider_than_its_columns():
    """LaTeX reports text that sticks out of a table cell (it overprints the next column) as an overfull hbox;
    those whose source lines fall inside a table environment of book.tex, above 1 pt, are failures."""
    assert LOG.is_file() and TEX.is_file(), "build the book first: make book (keeps book.tex and book.log)"
    tables, start = [], None
    for number, line in enumerate(TEX.read_text(encoding="utf-8").splitlines(), 1):
        if re.match(r"\\begin\{(longtable|tabular|tabulary)\}", line):
            start = number
        elif re.match(r"\\end\{(longtable|tabular|tabulary)\}", line) and start:
            tables.append((start, number))
            start = None
    assert tables, "no tables found in book.tex"
    log = LOG.read_text(encoding="utf-8", errors="replace")
    overfull = [(float(m[1]), int(m[2])) for m in re.finditer(
        r"Overfull \\hbox \(([\d.]+)pt too wide\) in (?:paragraph|alignment) at lines (\d+)--\d+", log)]
    inside = [(pt, line) for pt, line in overfull
              if pt > OVERFULL_LIMIT_PT and any(a <= line <= b for a, b in tables)]
    assert inside == [], f"{len(inside)} table cells overflow (pt, book.tex line): {sorted(inside, reverse=True)[:5]}"


def test_every_methods_section_a_caveat_points_to_is_in_the_book():
    page = (HTML / "chapters" / "methods.html").read_text(encoding="utf-8")
    headings = set(re.findall(r"<h2>(.*?)<a class=\"headerlink\"", page))
    texts = [note for m in catalogue.catalogue().values()
             for note in list(m.caveats) + [b["note"] for b in m.breaks] + [m.definition]]
    pointed = {title for text in texts for title in re.findall(r"see '([^']+)' in the methods appendix", text)}
    assert pointed, "no caveat points to the methods appendix"
    assert pointed <= headings, f"caveats point to methods sections that do not exist: {sorted(pointed - headings)}"
