"""Every sentence of every section and claim box, for England, every region, every current LA and every
consistent-boundary group, under both vintages: no `nan`, no empty list, no zero base, no catch-all or tied
"most common", no share of a suppressed total. Runs the package's analysis in one process (no kernel)."""
from __future__ import annotations

import pytest
from sentences import across_areas, claim_problems, current_areas, problems, section_problems

from csc import query
from csc.analysis import family_help


def test_the_area_list_is_complete():
    areas = query.areas()
    levels = [areas.level(c) for c in current_areas()]
    assert levels.count("regional") >= 9 and levels.count("national") == 1
    assert levels.count("local_authority") >= 153
    assert levels.count("consistent_boundary") >= 3


def check_area(code: str) -> list[str]:
    return section_problems(family_help, code) + claim_problems("family_help", code)


@pytest.mark.slow
def test_every_sentence_reads_right_for_every_area_and_vintage():
    found = across_areas(check_area)
    assert not found, f"{len(found)} problems, first ones:\n" + "\n".join(found[:25])


def test_the_checks_catch_what_the_reviewers_saw():
    """The patterns this test relies on find the defects reported by hand (a test that cannot fail is a defect)."""
    seen = ["emotional abuse was the initial category of abuse for nan% of children",
            "For Isles of Scilly the difference was **0** in 2012",
            "since 2012, when there were 0 enquiries",
            "the factor recorded most often was **other** (20 assessments)",
            "followed by ().", "Figures are for {glue:md}`area_name`",
            "non-statutory spending changed little (-10%)", "conferences rose +212%", "the the North West",
            "the verdicts differ because holds under", "Domestic abuse: child is victim: 2,643"]
    assert all(problems(text, "seen") for text in seen)
    assert not problems("In the year to 31 March 2025, England recorded **230,590** section 47 enquiries.", "fine")
