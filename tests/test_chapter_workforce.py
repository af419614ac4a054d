"""The workforce chapter executes (papermill, through `python -m csc chapter`) for England, a region, a reorganised
council, a tiny authority, a joint return and an ordinary authority, under both vintages."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import chapter_runs
import pytest

ROOT = Path(__file__).resolve().parent.parent
AREAS = [
    "E92000001",
    "North West",               # a region, by name
    "North Northamptonshire",   # reorganised in 2021, one joint return since: its consistent boundary
    "Isles of Scilly",          # tiny: no social workers some years, too few to compare
    "Richmond upon Thames",     # published only in a joint return with Kingston
    "E08000035",                # Leeds, ordinary
]


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    return chapter_runs.run_all("workforce", AREAS, tmp_path_factory.mktemp("workforce"))


@pytest.mark.slow
@pytest.mark.parametrize("vintage", ["latest", "first"])
@pytest.mark.parametrize("area", AREAS)
def test_workforce_executes_for_areas_and_vintages(runs, area, vintage):
    tmp_path = chapter_runs.folder(runs, area, vintage)
    values = chapter_runs.glued(tmp_path / "workforce.ipynb")
    assert values["size_answer"] and values["area_name"] != "E92000001"
    assert "nan" not in " ".join(values.values()) and "{glue" not in " ".join(values.values())
    boxes = chapter_runs.claim_boxes(tmp_path / "workforce.ipynb")
    assert len(boxes) == 6 and all("**Verdict" in b for b in boxes)   # every WF claim, judged for this area
    charts = {p.name for p in (tmp_path / "data").glob("*.csv")}
    assert "agency_scatter.csv" in charts                               # the comparison across authorities
    if area == "Isles of Scilly":
        assert "too few to compare" in values["size_answer"] and "workforce_size.csv" not in charts
    else:
        assert {"workforce_size.csv", "agency_turnover_vacancy.csv", "caseload.csv"} <= charts
    if area == "Richmond upon Thames":
        assert "joint workforce return" in values["size_answer"]
    if area == "North Northamptonshire":
        assert "Northamptonshire (North plus West Northamptonshire)" in values["area_name"]


def test_the_chapter_rejects_an_unknown_parameter_in_one_line():
    done = subprocess.run([sys.executable, "-m", "csc", "chapter", "workforce", "-p", "baseline_year=2010"],
                          capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "chapter workforce has no parameter 'baseline_year'" in done.stderr
