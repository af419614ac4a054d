"""The atlas: its areas, its profile sentences, a sample built through the CLI (incremental, self-contained pages,
CSVs), and the sample pages in a real browser (no outside requests, images with alt text, axe, offline search)."""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from conftest import serve
from sentences import across_areas, problems
from test_browser import check_page

from csc import atlas
from csc.analysis import profile
from csc.errors import UsageError

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ["E08000035", "E06000053", "E06000061", "E12000003"]   # Leeds, Isles of Scilly, North Northants, a region


def test_the_atlas_covers_every_current_la_and_the_nine_regions():
    areas = profile.atlas_areas()
    assert len(areas) == 162 and len(set(areas)) == 162
    assert sum(a.startswith("E12") for a in areas) == 9
    assert {"E06000063", "E06000064", "E06000065", "E06000066", "E08000038"} <= set(areas)   # 2023 and 2025 councils
    assert not {"E10000006", "E10000021", "E92000001"} & set(areas)   # abolished councils, England
    assert atlas.wanted(["Leeds", "383", "E08000035", "North West"]) == ["E08000035", "E12000002"]
    with pytest.raises(UsageError, match=r"--areas: 'Cumbria' \(Cumbria\) has no atlas page"):
        atlas.wanted(["Cumbria"])


@pytest.mark.parametrize("area", ["Leeds", "Isles of Scilly", "City of London", "North Northamptonshire", "Cumberland",
                                  "Kingston upon Thames", "North West", "Barnsley"])
def test_awkward_areas_read_right(area):
    page = profile.profile(area)
    found = [p for text in page.texts() for p in problems(text, area)]
    assert not found, found
    assert len(page.sections) == len(profile.HEADLINES) and all(s.chart.alt for s in page.sections)
    if page.level == "local_authority":
        assert all("statistical neighbours" in next(iter(s.sentences.values())) for s in page.sections)
    assert page.claims_html.count("<tr>") == 1 + len(page.claim_texts) // 2  # header + one row per claim


def test_small_counts_are_stated_not_compared():
    scilly = profile.profile("Isles of Scilly")
    text = scilly.sections[1].sentences["section47"]
    assert "too few to compare" in text and "ranked" not in text
    leeds = profile.profile("Leeds").sections[1]
    assert re.search(r"Leeds ranked \d+\w\w highest of 11|Leeds ranked (highest|lowest) of 11",
                     leeds.sentences["section47"])
    assert set(leeds.data["area"]) == {"Leeds", "Yorkshire and The Humber", "England",
                                       profile.NEIGHBOURS_LINE}


def test_render_shows_markdown_and_outputs_not_code(tmp_path):
    nb = nbformat.v4.new_notebook()
    hidden = nbformat.v4.new_markdown_cell("# Not shown")
    hidden.metadata["tags"] = ["remove-cell"]
    code = nbformat.v4.new_code_cell("secret_code()")
    code.outputs = [nbformat.v4.new_output("display_data", {"text/markdown": "A *computed* sentence.",
                                                            "text/plain": "x"}),
                    nbformat.v4.new_output("display_data", {"text/html": "<figure>chart</figure>"}),
                    nbformat.v4.new_output("stream", name="stderr", text="a warning")]
    nb.cells = [hidden, nbformat.v4.new_markdown_cell("## Heading\n\n| a | b |\n|---|---|\n| 1 | 2 |"), code]
    path = tmp_path / "nb.ipynb"
    nbformat.write(nb, path)
    out = atlas.render(path)
    assert "<h2>Heading</h2>" in out and "<table>" in out and "<em>computed</em>" in out
    assert "<figure>chart</figure>" in out
    assert "Not shown" not in out and "secret_code" not in out and "warning" not in out


def profile_problems(code: str) -> list[str]:
    page = profile.profile(code)
    return [p for text in page.texts() for p in problems(text, f"{page.name}")]


@pytest.mark.slow
def test_every_profile_sentence_reads_right_for_every_area():
    found = across_areas(profile_problems, profile.atlas_areas())
    assert not found, f"{len(found)} problems, first ones:\n" + "\n".join(found[:25])


# ---- a sample built through the CLI ----------------------------------------------------------------------------

def run_atlas(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "csc", "atlas", *args], capture_output=True, text=True, cwd=ROOT)


@pytest.fixture(scope="module")
def sample():
    done = run_atlas("--areas", ",".join(SAMPLE), "--workers", "2")
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


@pytest.mark.slow
def test_sample_pages_are_built_self_contained_with_their_csvs(sample):
    assert re.search(r"atlas: \d+ executed, \d+ re-rendered, \d+ up to date; \d+ pages", sample)
    for code in SAMPLE:
        page = (atlas.PAGES / f"{code}.html").read_text()
        outside = re.findall(r'<(?:script|link|img|iframe)[^>]*(?:src|href)="(https?:[^"]*)"', page)
        assert outside == [] and "<link" not in page and "@import" not in page and "url(" not in page, code
        images = re.findall(r"<img [^>]*>", page)
        assert len(images) == 1 and re.search(r'alt="6 small line charts[^"]{200,}"', images[0]), code
        csvs = re.findall(r'href="(\.\./chart-data/[^"]+\.csv)"', page)
        assert len(csvs) == 1 and (atlas.PAGES / csvs[0]).resolve().read_text().startswith(
            "figure,unit,year,area,value\n"), code
        assert "With the data the review had" in page and "With the latest data held" in page
        assert f"make edition AREA={code}" in page
        if not code.startswith("E12"):
            assert page.count("statistical neighbours") >= len(profile.HEADLINES), code
    index = (atlas.OUT / "index.html").read_text()
    assert all(f'href="areas/{code}.html"' in index for code in SAMPLE)


@pytest.mark.slow
def test_second_run_with_nothing_changed_executes_nothing(sample):
    stamps = {code: (atlas.STAMPS / f"{code}.json").read_text() for code in SAMPLE}
    again = run_atlas("--areas", ",".join(SAMPLE))
    assert again.returncode == 0, again.stderr[-2000:]
    assert f"atlas: 0 executed, 0 re-rendered, {len(SAMPLE)} up to date" in again.stdout
    assert {code: (atlas.STAMPS / f"{code}.json").read_text() for code in SAMPLE} == stamps
    assert set(json.loads(stamps["E08000035"])) >= {"source", "csc package", "tidy table cla", "page"}


@pytest.mark.slow
def test_unknown_area_is_one_line(sample):
    done = run_atlas("--areas", "Atlantis")
    assert done.returncode == 2 and done.stderr.count("\n") == 1 and "unknown area 'Atlantis'" in done.stderr


# ---- the sample in a real browser ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def site(sample):
    server, url = serve(atlas.OUT)
    yield url
    server.shutdown()


@pytest.mark.slow
@pytest.mark.parametrize("page_path", ["index.html"] + [f"areas/{code}.html" for code in SAMPLE])
def test_sample_page_is_self_contained_and_accessible(site, browser, page_path):
    check_page(browser, site, page_path)


@pytest.mark.slow
def test_index_search_works_offline(site, browser):
    page = browser.new_page()
    page.goto(f"{site}/index.html", wait_until="networkidle")
    page.fill("#q", "scilly")
    visible = page.eval_on_selector_all("#areas li", "els => els.filter(e => !e.hidden).map(e => e.textContent)")
    assert visible == ["Isles of Scilly"]
    assert page.locator("#matches").text_content() == "1 area matches"
    page.fill("#q", "E08000035")
    assert page.eval_on_selector_all("#areas li:not([hidden])", "els => els.map(e => e.textContent)") == ["Leeds"]
    page.fill("#q", "")
    built = [p for p in atlas.PAGES.glob("*.html") if not p.name.startswith("E12")]   # the sample and any before it
    assert page.locator("#areas li:not([hidden])").count() == len(built)
    page.close()
