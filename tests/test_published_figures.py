"""Figures as the releases' own headline text states them, checked against the tidy data under the right vintage.

Each tests/published/<table>.csv row: measure, area, period, vintage (first | latest), breakdown, expected,
tolerance (absolute), source_note.
"""
from __future__ import annotations

import csv
from pathlib import Path

import pytest

import csc
from csc.catalogue import catalogue
from csc.tidy import cla, markets

HERE = Path(__file__).parent / "published"
# First-published figures only the hand-collected files hold (the release itself is not among the files).
HAND_HELD = {(measure, period) for measure, period, *_ in [*cla.HAND_FIGURES.values(), *markets.HAND_FIGURES.values()]}


def rows():
    for path in sorted(HERE.glob("*.csv")):
        with open(path, encoding="utf-8") as fh:
            for i, row in enumerate(csv.DictReader(fh), start=2):
                hand = row["vintage"] == "first" and (row["measure"], row["period"]) in HAND_HELD
                yield pytest.param(row, id=f"{path.stem}:{i}:{row['measure']}:{row['area']}:{row['period']}:"
                                          f"{row['vintage']}", marks=[pytest.mark.hand_collected] if hand else [])


@pytest.mark.parametrize("row", list(rows()))
def test_published_figure(row):
    got = csc.value(row["measure"], area=row["area"], period=row["period"], vintage=row["vintage"],
                    breakdown=row.get("breakdown") or "")
    expected = row["expected"]
    if expected.replace(".", "", 1).replace("-", "", 1).isdigit():
        assert isinstance(got, float), f"published as a symbol {got!r}, expected {expected}"
        assert abs(got - float(expected)) <= float(row["tolerance"] or 0), row["source_note"]
    else:
        assert got == expected, row["source_note"]


def test_every_table_has_published_checks_under_both_vintages():
    seen: dict[str, set[str]] = {}
    for param in rows():
        row = param.values[0]
        seen.setdefault(catalogue()[row["measure"]].table, set()).add(row["vintage"])
    for table in ("cin", "cla", "workforce"):
        assert seen.get(table) == {"first", "latest"}, f"{table}: published checks under {seen.get(table)}"
