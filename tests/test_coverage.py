"""Every measure the issue lists answers for England, every region and every LA, for every period held."""
from __future__ import annotations

import pytest

import csc
from csc import query
from csc.readers import SYMBOLS

REQUIRED = ["cin.referrals", "cin.children_in_need", "cin.assessments", "cp.section47_enquiries",
            "cp.section47_children", "cp.icpcs", "cp.cpp_starts", "cp.cpp_at_31_march", "cp.cpp_ends",
            "cla.children_looked_after", "cla.rate_per_10000", "cla.starts", "cla.ceased", "cla.adopted",
            "wf.fte", "wf.agency_rate", "wf.turnover_rate", "wf.vacancy_rate", "wf.caseload",
            "mk.childrens_homes", "mk.childrens_homes_places", "pop.children_0_17", "spend.cyps_total"]
REGIONS = [f"E1200000{i}" for i in range(1, 10)]


@pytest.mark.parametrize("measure", REQUIRED)
def test_measure_answers_for_every_area_and_period_it_holds(measure):
    for vintage in ("latest", "first"):
        rows = query.measure_rows(measure, vintage=vintage)
        assert len(rows), f"{measure}: no rows"
        held = rows.groupby("area_code")["period"].apply(set)
        assert "E92000001" in held.index, f"{measure}: no England rows"
        for area, periods in held.items():
            got = csc.series(measure, area=area, vintage=vintage)
            if query.areas().level(area) == "consistent_boundary":  # a joint return's code means the whole group
                assert set(got["period"]) >= periods, (measure, area)
            else:
                assert set(got["period"]) == periods, (measure, area)
            for value, status in zip(got["value"], got["status"]):
                assert value == value or status in SYMBOLS, (measure, area, status)


@pytest.mark.parametrize("measure", ["cin.referrals", "cp.section47_enquiries", "cla.children_looked_after",
                                     "wf.fte", "pop.children_0_17"])
def test_every_region_and_current_la_is_published(measure):
    rows = query.measure_rows(measure)
    latest = rows[rows["period"] == rows["period"].max()]
    assert set(REGIONS) <= set(latest["area_code"]), measure
    las = latest[latest["geographic_level"] == "local_authority"]
    assert len(las) >= 150, f"{measure}: only {len(las)} LAs in {latest['period'].iloc[0]}"
