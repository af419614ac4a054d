"""Every sentence of the markets chapter's sections and claim boxes, for England, every region, every current LA and
every consistent-boundary group, under both vintages (tests/sentences.py); and every figure that is not an official
statistic is labelled so wherever it appears."""
from __future__ import annotations

import pytest
from sentences import across_areas, claim_problems, problems, sections_read

from csc import chapter, claims
from csc.analysis import NOT_IN_BUILD
from csc.analysis import markets as mk

# Phrases only the hand-collected figures use: wherever one appears, "not official statistics" must too.
HAND_MARKERS = ("CMA", "Competition and Markets Authority", "transparency data", "LGA", "press report")


def unlabelled(text: str, where: str) -> list[str]:
    """A sentence, line or box item quoting a hand-collected figure without saying it is not official statistics."""
    pieces = [p for p in text.replace("\n- ", "\n\n").split("\n\n") if p.strip()]
    return [f"{where}: unlabelled figure: {p[:200]!r}" for p in pieces
            if any(m in p for m in HAND_MARKERS) and any(c.isdigit() for c in p) and mk.NOT_OFFICIAL not in p
            and "not checkable" not in p and NOT_IN_BUILD not in p]


def check_area(code: str) -> list[str]:
    found: list[str] = []
    for where, section in sections_read(mk, code):
        for text in section.texts():
            found += problems(text, where) + unlabelled(text, where)
        if section.chart is not None:
            assert section.data is not None and len(section.data), where
    for result in claims.evaluate_chapter("markets", code):
        found += unlabelled(claims.box(result), f"{result.area_name} / claim {result.claim.id}")
    return found + claim_problems("markets", code)


@pytest.mark.parametrize("area", ["E92000001", "E12000002", "E08000035", "E06000053", "E09000001",
                                  "North Northamptonshire"])
def test_named_areas_read_right(area):
    found = check_area(chapter.validate(area=area).area)
    assert not found, "\n".join(found[:10])


@pytest.mark.slow
def test_every_sentence_reads_right_for_every_area_and_vintage():
    found = across_areas(check_area)
    assert not found, f"{len(found)} problems, first ones:\n" + "\n".join(found[:25])


def test_every_markets_claim_appears_for_every_kind_of_area():
    for area in ("E92000001", "E12000002", "E06000053"):
        ids = [r.claim.id for r in claims.evaluate_chapter("markets", area)]
        assert ids == [f"MK-{i}" for i in range(1, 8)]


def test_the_label_check_catches_an_unlabelled_figure():
    assert unlabelled("The CMA found prices of £3,830 a week.", "seen")
    assert not unlabelled(f"The CMA found prices of £3,830 a week ({mk.NOT_OFFICIAL}).", "fine")
