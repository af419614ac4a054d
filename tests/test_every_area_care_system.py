"""Every sentence of every care-system section and claim box, for England, every region, every current LA and
every consistent-boundary group, under both vintages (tests/sentences.py's checks), in one process."""
from __future__ import annotations

import pytest
from sentences import across_areas, claim_problems, problems

from csc import chapter
from csc.analysis import Section, care_system


def section_problems(ctx) -> list[str]:
    found = []
    for name, section in care_system.sections(ctx).items():
        assert isinstance(section, Section)
        for text in section.texts():
            found += problems(text, f"{ctx.area_name} / {ctx.vintage} / {name}")
    return found


@pytest.mark.parametrize("area", ["E92000001", "E12000002", "Leeds", "North Northamptonshire", "Isles of Scilly",
                                  "City of London"])
def test_named_areas_read_right(area):
    found = []
    for vintage in ("latest", "first"):
        found += section_problems(chapter.validate(area=area, vintage=vintage))
    found += claim_problems("care_system", chapter.validate(area=area).area)
    assert not found, "\n".join(found[:25])


def check_area(code: str) -> list[str]:
    found = [p for vintage in ("latest", "first") for p in section_problems(chapter.validate(area=code, vintage=vintage))]
    return found + claim_problems("care_system", code)


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
