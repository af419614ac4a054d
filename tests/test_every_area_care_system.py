"""Every sentence of every care-system section and claim box, for England, every region, every current LA and
every consistent-boundary group, under both vintages (tests/sentences.py's checks), in one process."""
from __future__ import annotations

import pytest
from sentences import across_areas, claim_problems, section_problems

from csc import chapter
from csc.analysis import care_system


@pytest.mark.parametrize("area", ["E92000001", "E12000002", "Leeds", "North Northamptonshire", "Isles of Scilly",
                                  "City of London"])
def test_named_areas_read_right(area):
    code = chapter.validate(area=area).area
    found = section_problems(care_system, code) + claim_problems("care_system", code)
    assert not found, "\n".join(found[:25])


def check_area(code: str) -> list[str]:
    return section_problems(care_system, code) + claim_problems("care_system", code)


@pytest.mark.slow
def test_every_sentence_reads_right_for_every_area_and_vintage():
    found = across_areas(check_area)
    assert not found, f"{len(found)} problems, first ones:\n" + "\n".join(found[:25])


def test_small_and_unpublished_areas_say_so():
    scilly = care_system.sections(chapter.validate(area="Isles of Scilly"))
    assert "too few to compare" in scilly["children in care"].sentences["numbers_answer"]
    assert scilly["leaving care"].chart is None           # no chart drawn from counts below 20
    leeds = care_system.sections(chapter.validate(area="Leeds"))
    assert "held only to 2019" in leeds["where children live"].sentences["where_answer"]
    assert "nationally only" in leeds["who comes into care"].sentences["who_need"]
