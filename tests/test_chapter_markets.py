"""The markets chapter executes (papermill) for England, a region and the LAs the chapter standard names, under both
vintages: every MK claim box with both verdicts, charts with their CSVs, and hand-collected figures labelled."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import chapter_runs
import pytest
from test_build import ROOT

from csc import query
from csc.analysis import NOT_IN_BUILD

AREAS = ["E92000001", "North West", "North Northamptonshire", "Isles of Scilly", "E08000035"]


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    return chapter_runs.run_all("markets", AREAS, tmp_path_factory.mktemp("markets"))


@pytest.mark.slow
@pytest.mark.parametrize("vintage", ["latest", "first"])
@pytest.mark.parametrize("area", AREAS)
def test_markets_executes_for_areas_and_vintages(runs, area, vintage):
    tmp_path = chapter_runs.folder(runs, area, vintage)
    values = chapter_runs.glued(tmp_path / "markets.ipynb")
    assert values["providers_answer"] and values["where_answer"] and values["risk_answer"]
    text = " ".join(values.values())
    assert not re.search(r"\bnan\b", text) and "{glue" not in text
    outputs = chapter_runs.markdown_outputs(tmp_path / "markets.ipynb")
    boxes = [o for o in outputs if "claim-box" in o]
    assert [b.split("·")[0].split()[-1] for b in boxes] == ["MK-1", "MK-6", "MK-2", "MK-5", "MK-3", "MK-4", "MK-7"]
    assert all("**Verdict" in b for b in boxes)
    if query.held("mk.cma_average_weekly_price"):
        assert "not official statistics" in values["money_answer"]          # the CMA's prices beside the spending
        table = next(o for o in outputs if "list-table" in o)
        assert "not official statistics" in table.split("\n")[3]            # the hand-collected table's caption
    else:                                                                   # a build without the mirror says so
        assert NOT_IN_BUILD in values["money_answer"] and NOT_IN_BUILD in values["published_figures"]
    assert (tmp_path / "data" / "homes_by_region.csv").is_file()            # the regional picture, for every area
    if area in ("E92000001", "North West", "E08000035"):
        assert (tmp_path / "data" / "private_share.csv").is_file()
    if area == "E92000001":
        assert {p.name for p in (tmp_path / "data").iterdir()} >= {"owner_concentration.csv", "independent_fostering.csv",
                                                                    "placement_spending.csv"}
        assert sum("With the data the review had" in b for b in boxes) >= 5


def test_markets_rejects_an_unknown_parameter(tmp_path: Path):
    done = subprocess.run([sys.executable, "-m", "csc", "chapter", "markets", "-p", "baseline_year=2011",
                           "--out", str(tmp_path)], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode != 0 and "chapter markets has no parameter 'baseline_year'" in done.stderr
