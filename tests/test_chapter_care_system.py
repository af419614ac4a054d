"""The care-system chapter executes (papermill, through `python -m csc chapter`) for England, a region, a
reorganised council, a tiny one and an ordinary LA, under both vintages."""
from __future__ import annotations

import chapter_runs
import pytest

AREAS = ["E92000001", "North West", "North Northamptonshire", "Isles of Scilly", "E08000035"]


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    return chapter_runs.run_all("care_system", AREAS, tmp_path_factory.mktemp("care_system"))


@pytest.mark.slow
@pytest.mark.parametrize("vintage", ["latest", "first"])
@pytest.mark.parametrize("area", AREAS)
def test_care_system_executes_for_areas_and_vintages(runs, area, vintage):
    tmp_path = chapter_runs.folder(runs, area, vintage)
    values = chapter_runs.glued(tmp_path / "care_system.ipynb")
    assert values["numbers_answer"] and values["variation_answer"]
    boxes = chapter_runs.claim_boxes(tmp_path / "care_system.ipynb")
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
