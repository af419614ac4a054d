"""The care-system chapter executes (papermill, through `python -m csc chapter`) for England, a region, a
reorganised council, a tiny one and an ordinary LA, under both vintages."""
from __future__ import annotations

import subprocess
import sys

import nbformat
import pytest
from test_build import ROOT, glued

AREAS = ["E92000001", "North West", "North Northamptonshire", "Isles of Scilly", "E08000035"]


@pytest.mark.slow
@pytest.mark.parametrize("vintage", ["latest", "first"])
@pytest.mark.parametrize("area", AREAS)
def test_care_system_executes_for_areas_and_vintages(tmp_path, area, vintage):
    done = subprocess.run([sys.executable, "-m", "csc", "chapter", "care_system", "--area", area,
                           "--vintage", vintage, "--out", str(tmp_path)], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-2000:]
    values = glued(tmp_path / "care_system.ipynb")
    assert values["numbers_answer"] and values["variation_answer"]
    nb = nbformat.read(tmp_path / "care_system.ipynb", as_version=4)
    boxes = [o["data"]["text/markdown"] for c in nb.cells for o in c.get("outputs", [])
             if "claim-box" in o.get("data", {}).get("text/markdown", "")]
    assert len(boxes) == 16  # every CS claim, with a computed verdict, for every area
    assert all("**Verdict" in b for b in boxes)
    assert "nan" not in " ".join(values.values()) and "{glue" not in " ".join(values.values())
    assert (tmp_path / "data" / "cla_rates_by_la.csv").is_file()
    for name in ("who_entry", "where_moves", "where_new", "where_missing", "leaving_timing", "after_staying_put", "after_older"):
        assert values[name], name   # the sections of the files added in December 2026, said for every area
    if area in ("E92000001", "E08000035"):
        assert (tmp_path / "data" / "children_in_care.csv").is_file()
        for chart in ("age_on_starting", "new_placements_location", "staying_put"):
            assert (tmp_path / "data" / f"{chart}.csv").is_file(), chart
    if area == "Isles of Scilly":
        assert "too few" in values["where_new"] and not (tmp_path / "data" / "staying_put.csv").exists()
    if area == "North Northamptonshire":
        assert "Northamptonshire (North plus West Northamptonshire)" in values["area_name"]
