"""Every sentence of every workforce section and claim box, for England, every region, every current LA and every
consistent-boundary group, under both vintages: no `nan`, no empty list, no zero base, no unfilled placeholder, no
verdict from a count below 20. Runs the package's analysis in one process (no kernel)."""
from __future__ import annotations

import pytest
from sentences import across_areas, claim_problems, problems, section_problems

from csc import chapter, claims
from csc.analysis import workforce


def check_area(code: str) -> list[str]:
    return section_problems(workforce, code) + claim_problems("workforce", code)


@pytest.mark.slow
def test_every_workforce_sentence_reads_right_for_every_area_and_vintage():
    found = across_areas(check_area)
    assert not found, f"{len(found)} problems, first ones:\n" + "\n".join(found[:25])


@pytest.mark.parametrize("area", ["E92000001", "North West", "North Northamptonshire", "Isles of Scilly",
                                  "City of London", "Kingston upon Thames", "Leeds"])
@pytest.mark.parametrize("vintage", ["latest", "first"])
def test_awkward_areas_read_right(area, vintage):
    """The quick version of the loop above, for the areas the chapter standard names and the joint returns."""
    ctx = chapter.validate(area=area, vintage=vintage)
    found = [p for name, s in workforce.sections(ctx).items() for t in s.texts() for p in problems(t, name)]
    assert not found, found


def test_tiny_authorities_are_too_few_not_compared():
    ctx = chapter.validate(area="Isles of Scilly")
    out = workforce.sections(ctx)
    assert "too few to compare" in out["size"].sentences["size_answer"]
    assert out["size"].chart is None and out["stability"].chart is None and out["caseloads"].chart is None
    assert "Isles of Scilly (fewer than 20 FTE social workers)" in out["associations"].sentences["associations_answer"]
    assert all(claims.evaluate(i, "Isles of Scilly").then.verdict == "too few to judge"
               for i in ("WF-2", "WF-3", "WF-4", "WF-5", "WF-6"))


def test_joint_return_is_read_for_both_partners():
    """Kingston's workforce is published only jointly with Richmond (Achieving for Children)."""
    ctx = chapter.validate(area="Kingston upon Thames")
    answer = workforce.sections(ctx)["size"].sentences["size_answer"]
    assert "Achieving for Children" in answer and "joint workforce return" in answer
    assert workforce.joint_code("E09000027") == "E09000021+E09000027"
    assert claims.evaluate("WF-3", "Richmond upon Thames").then.review.value is not None


def test_merged_council_rates_are_computed_from_its_summed_counts():
    """Dorset area: BCP and Dorset are published separately from 2019, so a rate cannot be summed; the chapter
    computes it from the summed counts, as DfE computes rates (agency FTE / (agency FTE + FTE))."""
    ctx = chapter.validate(area="Dorset")
    assert ctx.boundary == "consistent"
    rates = workforce.rate("wf.agency_rate", ctx.area, "latest", "consistent")
    agency = workforce.published("wf.agency_fte", ctx.area, "latest", "consistent")
    fte = workforce.published("wf.fte", ctx.area, "latest", "consistent")
    assert rates[2025] == round(agency[2025] / (agency[2025] + fte[2025]) * 100, 1)
    assert 2017 in rates.index   # Bournemouth + Poole + Dorset county before the 2019 reorganisation


def test_end_year_before_the_census_says_so_in_every_section():
    early = workforce.sections(chapter.validate(end_year=2015))
    assert set(early) == set(workforce.sections(chapter.validate())) and all(not s.chart for s in early.values())
    assert "starts at 30 September 2017" in early["size"].sentences["size_answer"]
    assert workforce.sections(chapter.validate(end_year=2020))["size"].latest == "2020"
