"""Checks every generated sentence must pass, and the areas every chapter is read for (the every-area tests)."""
from __future__ import annotations

import re
from collections.abc import Callable

from csc import chapter, claims, executor, query
from csc.analysis import Section

UNJUDGED = ("too few to judge", "not checkable with public data", "not checked with the data held")

BAD = [
    (re.compile(r"\b(nan|NaN|None|inf)\b"), "a missing number printed"),
    (re.compile(r"nan%|\(\s*\)|\(\s*;|;\s*\)|:\s*\.|,\s*\.|\band\s*\.|\s\.$"), "an empty list or clause"),
    (re.compile(r"when there were 0\b|\bfrom 0 to\b|\bwas \*?\*?0\*?\*? in\b|\bon 0\b|×inf"), "a zero base"),
    (re.compile(r"(most common|most often|initial category of abuse for)[^.]*\*\*(other|not recorded|missing)\b",
                re.I), "a catch-all named most common"),
    (re.compile(r"\{glue|\{(?!admonition\})[a-z_]+\}"), "an unfilled placeholder"),
    (re.compile(r"\b(rose|fell|grew) (only )?[+-]\d"), "a signed change after rose or fell"),
    (re.compile(r"\bonly 0\b|\bonly 0\.0\b"), "a zero called 'only'"),
    (re.compile(r"(?<![\d.,])1 (homes|children(?!'s)|social workers|case-holding social workers|places|enquiries|plans|authorities)\b"),
     "a plural after one"),
    (re.compile(r"\b(\d+)(st|nd|rd|th) highest of \1\b"), "the last called highest"),
    (re.compile(r"\bnot with (from|to|in)\b|\bfTE\b"), "broken generated grammar"),
    (re.compile(r"changed little \([+-]?([1-9]\d|\d{3,})%"), "a change of 10% or more called little"),
    (re.compile(r"\b(the|a|and|of|in|to|for|is) \1\b", re.I), "a doubled word"),
    (re.compile(r"\bbecause holds\b|\bvictim: \d"), "broken generated grammar"),
]


def current_areas() -> list[str]:
    areas = query.areas()
    out = []
    for code, row in areas.by_code.items():
        level = row["geographic_level"]
        if not code.startswith("E"):  # DfE's "outside England" pseudo-region is not an area of the book
            continue
        if level in ("national", "regional", "consistent_boundary") or (level == "local_authority"
                                                                        and row["last_year"] >= 2025):
            out.append(code)
    return out


def problems(text: str, where: str) -> list[str]:
    return [f"{where}: {why}: {text[:300]!r}" for pattern, why in BAD if pattern.search(text)]


def sections_read(module, code: str):
    """(where, section) for every section of a chapter's analysis module (csc.analysis.<chapter>) for one area,
    both vintages."""
    for vintage in ("latest", "first"):
        ctx = chapter.validate(area=code, vintage=vintage)
        for name, section in module.sections(ctx).items():
            assert isinstance(section, Section)
            yield f"{ctx.area_name} / {vintage} / {name}", section


def section_problems(module, code: str) -> list[str]:
    """Every section sentence of a chapter's analysis module for one area, both vintages."""
    return [p for where, section in sections_read(module, code) for text in section.texts()
            for p in problems(text, where)]


def claim_problems(chapter_name: str, code: str) -> list[str]:
    """Every claim box of a chapter for one area: its sentences, and no verdict drawn from a count below 20."""
    found = []
    for result in claims.evaluate_chapter(chapter_name, code):
        found += problems(claims.box(result), f"{result.area_name} / claim {result.claim.id}")
        for judgement in (result.then, result.now):
            counts = judgement.review.counts if judgement.review else ()
            if judgement.verdict not in UNJUDGED and code != "E92000001" and any(c < 20 for c in counts):
                found.append(f"{result.area_name} / {result.claim.id}: a verdict from a count below 20 "
                             f"({judgement.verdict}, {counts})")
    return found


def _check_each(check: Callable[[str], list[str]], codes: list[str]) -> list[str]:
    return [p for code in codes for p in check(code)]


def across_areas(check: Callable[[str], list[str]], codes: list[str] | None = None) -> list[str]:
    """check(code) for every area (default: every current one), split over the machine's cores by the book's own
    executor: each loop reads every area under both vintages, and one core would take twice as long."""
    codes = codes or current_areas()
    parts = executor.default_workers()
    return [p for found in executor.run(_check_each, [(check, codes[i::parts]) for i in range(parts)]) for p in found]
