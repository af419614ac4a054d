"""Figures a publisher later revised: every release is kept as a vintage in the tidy tables, so the first-published
value of a year can be set beside its latest. A difference below `MATERIAL` of the first value is the rounding of
the older releases (the statistical first releases rounded counts to the nearest 100), not a revision.
"""
from __future__ import annotations

import pandas as pd

from . import manifest, query
from .analysis import SMALL_NUMBER
from .catalogue import catalogue

MATERIAL = 0.001   # a change of 0.1% or more of the first-published value
COLUMNS = ["measure", "label", "unit", "area_code", "area_name", "period", "first_release", "first_value",
           "latest_release", "latest_value", "change_percent"]


def revisions(tables: list[str], area_codes: list[str], publisher: str = "Department for Education") -> pd.DataFrame:
    """Headline figures (no breakdown) of the areas published in more than one release whose value moved by
    MATERIAL or more, largest relative change first."""
    publishers = {s.id: s.publisher for s in manifest.load().values()}
    pieces = []
    for name in tables:
        frame = query.table(name)
        frame = frame[frame["area_code"].isin(area_codes) & (frame["breakdown"] == "")
                      & (frame["source"].map(publishers) == publisher)].dropna(subset=["value"])
        if frame.empty:
            continue
        ordered = frame.sort_values("release").groupby(["measure", "area_code", "period"], sort=False)
        first, latest = ordered.first(), ordered.last()
        both = first[["area_name", "release", "value"]].join(latest[["release", "value"]].add_suffix("_latest"))
        pieces.append(both[both["release"] != both["release_latest"]].reset_index())
    if not pieces:
        return pd.DataFrame(columns=COLUMNS)
    out = pd.concat(pieces, ignore_index=True).rename(columns={
        "release": "first_release", "value": "first_value", "release_latest": "latest_release",
        "value_latest": "latest_value"})
    base = out["first_value"].abs().where(out["first_value"] != 0)
    moved = (out["latest_value"] - out["first_value"]).abs() >= MATERIAL * base
    out = out[moved.fillna(out["latest_value"] != out["first_value"])].copy()
    out["unit"] = out["measure"].map(lambda m: catalogue()[m].unit)
    # a count below SMALL_NUMBER is too small to compare: its revision is listed without a percentage
    small = (out["unit"] == "count") & (out[["first_value", "latest_value"]].min(axis=1) < SMALL_NUMBER)
    out["change_percent"] = ((out["latest_value"] / out["first_value"] - 1) * 100).where(~small & base.notna())
    out["area_name"] = out["area_code"].map(query.areas().name)
    out["label"] = out["measure"].map(lambda m: catalogue()[m].label)
    order = out["change_percent"].abs().fillna(-1.0)   # those too small to compare last
    return out.assign(order=order).sort_values(["order", "measure", "period"], ascending=[False, True, True])[COLUMNS] \
        .reset_index(drop=True)


def shown(value: float, unit: str) -> str:
    """A figure as the releases print it."""
    if unit == "percent":
        return f"{value:.1f}%"
    if unit == "gbp":
        return f"£{value / 1e6:,.1f}m"
    return f"{value:,.0f}" if unit == "count" else f"{value:,.1f}"


def table(found: pd.DataFrame, rows: int | None = None) -> pd.DataFrame:
    """The revisions as a page shows them (the largest first)."""
    found = found.head(rows) if rows else found
    areas = {"Area": found["area_name"]} if found["area_name"].nunique() > 1 else {}
    return pd.DataFrame({
        **areas, "Figure": found["label"], "Year": found["period"],
        "First published": [f"{shown(v, u)} ({r} release)" for v, u, r in
                            zip(found["first_value"], found["unit"], found["first_release"])],
        "Latest": [f"{shown(v, u)} ({r} release)" for v, u, r in
                   zip(found["latest_value"], found["unit"], found["latest_release"])],
        "Change": [f"{c:+.1f}%" if c == c else "too few to compare" for c in found["change_percent"]]})


def summary(found: pd.DataFrame, area_name: str) -> str:
    """What the revisions come to, in a sentence or two."""
    if found.empty:
        return (f"No headline figure for {area_name} that DfE published in more than one release was revised by "
                f"{MATERIAL * 100:.1f}% or more.")
    compared = found.dropna(subset=["change_percent"])
    n, measures = len(found), found["measure"].nunique()
    counted = (f"DfE revised {n:,} headline figure{'s' if n > 1 else ''} for {area_name}, in {measures} "
               f"measure{'s' if measures > 1 else ''}, by {MATERIAL * 100:.1f}% or more after first publishing "
               f"{'them' if n > 1 else 'it'}.")
    if compared.empty:
        return counted + f" {'All of them are counts' if n > 1 else 'It is a count'} below {SMALL_NUMBER}, too small to compare."
    top = compared.iloc[0]
    return (counted + " The largest revision is to "
            f"{top['label'] if top['label'][1:2].isupper() else top['label'][:1].lower() + top['label'][1:]} in {top['period']}: {shown(top['first_value'], top['unit'])} "
            f"in the {top['first_release']} release, {shown(top['latest_value'], top['unit'])} in the "
            f"{top['latest_release']} release. The table shows the largest; the CSV has them all.")
