"""Workforce claim results for England against figures computed independently: straight from the tidy Parquet
file with pandas (not through csc.query or csc.analysis) and from the releases' published headline numbers."""
from __future__ import annotations

import pandas as pd
import pytest

from csc import claims, paths

ENGLAND = "E92000001"


def published(measure: str, period: str, release: str, breakdown: str = "") -> float:
    frame = pd.read_parquet(paths.TIDY / "workforce.parquet",
                            filters=[("measure", "==", measure), ("period", "==", period)])
    hit = frame[(frame["release"] == release) & (frame["area_code"] == ENGLAND) & (frame["breakdown"] == breakdown)]
    assert len(hit) == 1, (measure, period, release, breakdown, len(hit))
    return float(hit["value"].iloc[0])


def role(name: str, period: str) -> float:
    return published("wf.headcount_by_role_ethnicity", period, "2022", f"role={name}; ethnicity=All known")


@pytest.fixture(scope="module")
def england():
    return {r.claim.id: r for r in claims.evaluate_chapter("workforce")}


def test_every_workforce_claim_has_a_check_and_two_verdicts(england):
    ledger = {c.id for c in claims.claims().values() if c.chapter == "workforce"}
    assert set(england) == ledger == {f"WF-{i}" for i in range(1, 7)}
    assert all(r.then.verdict in claims.VERDICTS and r.now.verdict in claims.VERDICTS and r.then.why
               for r in england.values())


def test_wf1_time_with_families_is_not_an_official_statistic(england):
    assert england["WF-1"].then.verdict == england["WF-1"].now.verdict == "not checkable with public data"
    assert "does not collect time use" in england["WF-1"].why


def test_wf2_one_in_three_both_ways_and_the_first_line_manager_sensitivity(england):
    total = role("All children and family social workers", "2020")
    managers = sum(role(r, "2020") for r in ("Senior manager", "Middle manager", "First line manager"))
    without = role("Qualified without cases", "2020")
    assert total == 27511
    r = england["WF-2"]
    assert r.review.value == pytest.approx((managers + without) / total * 100)         # 34.4%: "1 in 3"
    flm_frontline = (managers - role("First line manager", "2020") + without) / total * 100
    assert r.alternatives[0].value == pytest.approx(flm_frontline) and round(flm_frontline) == 20
    no_case = 1 - published("wf.case_holders_fte", "2020", "2022") / published("wf.fte", "2020", "2022")
    assert r.alternatives[1].value == pytest.approx(no_case * 100)
    assert r.alternatives[1].value == pytest.approx(35.5, abs=0.1)                   # data-notes §3.3: 35.5%
    assert r.then.verdict == "contested"                                   # 1 in 5 when first-line managers count


def test_wf3_agency_rate_is_the_published_15_4_then_13_0_now(england):
    r = england["WF-3"]
    assert r.review.value == published("wf.agency_rate", "2020", "2022") == 15.4
    assert r.then.verdict == "reproduced with caveats"
    assert r.now.review.value == published("wf.agency_rate", "2025", "2025") == 13.0
    assert r.now.verdict == "not supported"


def test_wf4_turnover_depends_on_the_year_and_the_release(england):
    r = england["WF-4"]
    assert r.review.value == published("wf.turnover_rate_headcount", "2019", "2022") == 16.1   # 2019 text: 16%
    by_label = {a.label: a.value for a in r.alternatives}
    assert by_label["Year to 30 September 2020, the newest the review could read"] == 14.3
    assert by_label["The same 2019 figure as revised in later releases"] == \
        published("wf.turnover_rate_headcount", "2019", "2025") == 15.1
    vacancy = next(a for a in r.alternatives if a.label.startswith("Vacancy rate"))
    assert vacancy.value == published("wf.vacancy_rate", "2020", "2022") == 16.1
    assert r.then.verdict == "contested"
    assert r.now.review.value == published("wf.turnover_rate_headcount", "2025", "2025") == 12.0
    assert r.now.verdict == "not supported"


def test_wf5_headline_fte_and_caseload_as_published_in_2020(england):
    """The EES 2020 release page: 31,900 FTE (rounded) and an average caseload of 16.3."""
    r = england["WF-5"]
    fte = published("wf.fte", "2020", "2022")
    assert round(fte, -2) == 31_900 and r.alternatives[0].value == fte
    cases, holders = published("wf.cases", "2020", "2022"), published("wf.case_holders_fte", "2020", "2022")
    assert r.review.value == published("wf.caseload", "2020", "2022") == 16.3 == round(cases / holders, 1)
    assert r.alternatives[1].value == pytest.approx(cases / fte)
    assert r.then.verdict == "reproduced with caveats"
    assert r.now.review.value == published("wf.caseload", "2025", "2025") == 15.2


def test_wf6_managers_one_in_five_then_nearly_one_in_four(england):
    def managers(period):
        return sum(role(r, period) for r in ("Senior manager", "Middle manager", "First line manager")) \
            / role("All children and family social workers", period) * 100
    r = england["WF-6"]
    assert r.review.value == pytest.approx(managers("2020")) and round(managers("2020"), 1) == 20.6
    assert r.now.review.value == pytest.approx(managers("2022")) and round(managers("2022"), 1) == 22.9
    assert r.then.verdict == r.now.verdict == "reproduced with caveats"
    assert "FTE-by-role table" in r.why


def test_a_region_and_an_authority_say_whether_the_national_claim_holds_there():
    leeds = claims.evaluate("WF-3", "Leeds")                    # Leeds uses almost no agency social workers
    assert leeds.then.verdict == "not supported" and leeds.review.value < 5
    assert "does not hold here" in claims.box(leeds)
    north_west = claims.evaluate("WF-6", "North West")
    assert north_west.then.review.value == pytest.approx(19.2, abs=0.05)
