"""Checks every generated sentence must pass, and the areas every chapter is read for (the every-area tests)."""
from __future__ import annotations

import re

from csc import query

BAD = [
    (re.compile(r"\b(nan|NaN|None|inf)\b"), "a missing number printed"),
    (re.compile(r"nan%|\(\s*\)|\(\s*;|;\s*\)|:\s*\.|,\s*\.|\band\s*\.|\s\.$"), "an empty list or clause"),
    (re.compile(r"when there were 0\b|\bfrom 0 to\b|\bwas \*?\*?0\*?\*? in\b|\bon 0\b|×inf"), "a zero base"),
    (re.compile(r"(most common|most often|initial category of abuse for)[^.]*\*\*(other|not recorded|missing)\b",
                re.I), "a catch-all named most common"),
    (re.compile(r"\{glue|\{(?!admonition\})[a-z_]+\}"), "an unfilled placeholder"),
    (re.compile(r"\b(rose|fell|grew) [+-]\d"), "a signed change after rose or fell"),
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
