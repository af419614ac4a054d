"""Every sentence of every care-system section and claim box, for England, every region, every current LA and
every consistent-boundary group, under both vintages (tests/sentences.py's checks), in one process."""
from __future__ import annotations

import pytest
from sentences import current_areas, problems

from csc import chapter, claims
from csc.analysis import Section, care_system


def section_problems(ctx) -> list[str]:
    found = []
    for name, section in care_system.sections(ctx).items():
        assert isinstance(section, Section)
        for text in section.texts():
            found += problems(text, f"{ctx.area_name} / {ctx.vintage} / {name}")
    return found


def claim_problems(code: str) -> list[str]:
    found = []
    for result in claims.evaluate_chapter("care_system", code):
        found += problems(claims.box(result), f"{result.area_name} / claim {result.claim.id}")
        for judgement in (result.then, result.now):
            if judgement.verdict not in ("too few to judge", "not checkable with public data",
                                         "not checked with the data held") and code != "E92000001":
                counts = judgement.review.counts if judgement.review else ()
                if any(c < 20 for c in counts):
                    found.append(f"{result.area_name} / {result.claim.id}: a verdict from a count below 20 "
                                 f"({judgement.verdict}, {counts})")
    return found


@pytest.mark.parametrize("area", ["E92000001", "E12000002", "Leeds", "North Northamptonshire", "Isles of Scilly",
                                  "City of London"])
def test_named_areas_read_right(area):
    found = []
    for vintage in ("latest", "first"):
        found += section_problems(chapter.validate(area=area, vintage=vintage))
    found += claim_problems(chapter.validate(area=area).area)
    assert not found, "\n".join(found[:25])


@pytest.mark.slow
def test_every_sentence_reads_right_for_every_area_and_vintage():
    found: list[str] = []
    for code in current_areas():
        for vintage in ("latest", "first"):
            found += section_problems(chapter.validate(area=code, vintage=vintage))
        found += claim_problems(code)
    assert not found, f"{len(found)} problems, first ones:\n" + "\n".join(found[:25])


def test_small_and_unpublished_areas_say_so():
    scilly = care_system.sections(chapter.validate(area="Isles of Scilly"))
    assert "too few to compare" in scilly["children in care"].sentences["numbers_answer"]
    assert scilly["leaving care"].chart is None           # no chart drawn from counts below 20
    leeds = care_system.sections(chapter.validate(area="Leeds"))
    assert "held only to 2019" in leeds["where children live"].sentences["where_answer"]
    assert "nationally only" in leeds["who comes into care"].sentences["who_need"]
