"""The data change report: a replaced manifest file, the tidy table it feeds, the chapters that read it and the
claims that moved are named; a build with nothing new rewrites nothing; the front matter states the newest release
of each publication and the commit."""
from __future__ import annotations

import copy
import os

import pytest
import yaml

from csc import build, paths, report
from csc.claims import ledger

CHANGED = "cin-ees-2025-c4-children-in-need-section-47s-and-icpcs-2013-to-2025"


@pytest.fixture(scope="module")
def before():
    """The state of the real project now, with the ledger's real snapshot."""
    now = report.state(snapshot=os.devnull)
    now["claims"] = ledger.snapshot(ledger.results())
    return now


@pytest.fixture
def after(before, tmp_path):
    """The same project after one manifest file is replaced by a modified copy: a new hash, the tidy table it feeds
    rebuilt, and one claim's latest verdict and figure moved."""
    doc = yaml.safe_load(paths.MANIFEST.read_text(encoding="utf-8"))
    entry = next(e for e in doc["sources"] if e["id"] == CHANGED)
    entry["sha256"] = "0" * 64
    changed = tmp_path / "sources.yml"
    changed.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    state = report.state(manifest_path=changed, snapshot=os.devnull)
    state["claims"] = copy.deepcopy(before["claims"])
    feeds = [t for t, v in state["tables"].items() if CHANGED in v["sources"]]
    assert feeds == ["cin"]
    state["tables"]["cin"]["sha256"] = "f" * 64
    state["claims"]["FH-3"].update(verdict_now="not supported", figure_now="+99%")
    return state


def test_a_replaced_file_names_the_tables_chapters_and_claims(before, after):
    chapters = build.chapters()
    changes = report.compare(before, after, ["family_help", "claims_ledger"], chapters)
    assert changes.replaced == [CHANGED] and changes.added == changes.removed == []
    assert changes.tables == ["cin"]
    readers = {name for name, spec in chapters.items() if "cin" in spec["inputs"] or "manifest" in spec["inputs"]}
    assert set(changes.reading) == readers and {"family_help", "workforce", "markets", "claims_ledger"} <= readers
    assert list(changes.claims) == ["FH-3"]
    text = report.markdown(changes, after, before, {n: s["title"] for n, s in chapters.items()}, "1 January 2027")
    assert "Children in need, 2025 release (`c4_children_in_need_section_47s_and_icpcs_2013_to_2025.csv`)" in text
    assert "`cin`" in text and "Family help and child protection" in text and "The claims ledger" in text
    assert "FH-3 (verdict with the latest data: contested → not supported; figure with the latest data:" in text
    assert "1 with a new verdict" in text


def test_write_keeps_what_did_not_change(before, after, tmp_path):
    where = dict(stamp=tmp_path / "stamps" / "report.json", report=tmp_path / "report" / "data-change.md",
                 page=tmp_path / "data_change.md", front=tmp_path / "built_from.md")
    first = report.write(["family_help"], log=lambda *_: None, now=before, head="abc123", **where)
    assert first.first and "first build kept" in where["page"].read_text()
    front = where["front"].read_text()
    assert "commit `abc123`" in front and "- Children in need (Department for Education): 2025" in front
    stamps = {p: p.stat().st_mtime_ns for p in (where["page"], where["front"])}
    again = report.write([], log=lambda *_: None, now=before, head="abc123", **where)
    assert again.empty and {p: p.stat().st_mtime_ns for p in stamps} == stamps   # nothing rewritten
    moved = report.write(["family_help"], log=lambda *_: None, now=after, head="abc123", **where)
    assert moved.tables == ["cin"] and "FH-3" in where["report"].read_text()
    assert where["page"].read_text() == where["report"].read_text()
    assert where["front"].stat().st_mtime_ns == stamps[where["front"]]   # same commit, same releases


def test_newest_release_per_publication(before):
    newest = {pub: rel for _, pub, rel in report.newest_releases(before["files"])}
    assert newest["Children looked after in England including adoptions"] == "2025"
    assert newest["Characteristics of children in need (SFR/OSR underlying data)"] == "2017"


def test_the_pdf_is_shipped_in_the_html_root(tmp_path):
    html, pdf = tmp_path / "html", tmp_path / "pdf" / "book.pdf"
    report.ship_pdf(html, pdf)                       # nothing built yet: nothing to do
    assert not html.exists()
    html.mkdir()
    pdf.parent.mkdir()
    pdf.write_bytes(b"%PDF-1.5 test")
    report.ship_pdf(html, pdf)
    assert (html / "book.pdf").read_bytes() == b"%PDF-1.5 test"


def test_a_source_tree_without_front_matter_gets_it(tmp_path):
    """An edition staged before the main book was built still has the pages intro.md includes."""
    report.stage(tmp_path)
    assert "no earlier build to compare with" in (tmp_path / "data_change.md").read_text()
    assert "The newest release of each publication it holds" in (tmp_path / "built_from.md").read_text()
    (tmp_path / "data_change.md").write_text("kept\n")
    report.stage(tmp_path)
    assert (tmp_path / "data_change.md").read_text() == "kept\n"   # the main book's copy is never replaced
