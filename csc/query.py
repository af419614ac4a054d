"""Read numbers out of the tidy tables: the only way chapters and the CLI touch data.

Vintages: `latest` takes, for each period, the newest release holding it; `first` the earliest (as first
published, which is what the review saw in 2021). A chapter run by the build may read only the tables it declares
in chapters/chapters.yml (CSC_DECLARED_INPUTS), so the build's dependency tracking cannot be wrong.
"""
from __future__ import annotations

import difflib
import os
from functools import lru_cache

import pandas as pd
import pyarrow.dataset as ds

from . import paths
from .catalogue import catalogue, table_of
from .errors import CscError, UsageError
from .geography import ENGLAND, Areas

VINTAGES = ("latest", "first")
ADDITIVE_UNITS = {"count", "fte", "gbp"}


def _check_declared(table: str) -> None:
    declared = os.environ.get("CSC_DECLARED_INPUTS")
    if declared is not None and table not in declared.split(","):
        raise CscError(f"this chapter reads {table!r} but does not declare it in chapters/chapters.yml "
                       f"(declared: {declared or 'none'})")


def _path(table: str):
    path = paths.TIDY / f"{table}.parquet"
    if not path.is_file():
        raise CscError(f"{path}: tidy table missing; run `make tidy`")
    return path


@lru_cache(maxsize=32)
def _load(table: str, mtime: float, measure: str | None) -> pd.DataFrame:
    dataset = ds.dataset(_path(table), format="parquet")
    filt = ds.field("measure") == measure if measure else None
    return dataset.to_table(filter=filt).to_pandas()


def table(name: str, measure: str | None = None) -> pd.DataFrame:
    """A whole tidy table (or one measure of it), read once per process."""
    _check_declared(name)
    return _load(name, _path(name).stat().st_mtime, measure)


@lru_cache(maxsize=1)
def _areas(mtime: float) -> Areas:
    return Areas(pd.read_parquet(_path("geography")))


def areas() -> Areas:
    return _areas(_path("geography").stat().st_mtime)


def _measure(measure: str) -> str:
    if measure not in catalogue():
        close = difflib.get_close_matches(measure, list(catalogue()), n=4, cutoff=0.5)
        hint = f"; did you mean {', '.join(close)}?" if close else "; `python -m csc measures` lists them"
        raise UsageError(f"unknown measure {measure!r}{hint}")
    return measure


def _vintage(vintage: str) -> str:
    if vintage not in VINTAGES:
        raise UsageError(f"unknown vintage {vintage!r}; use one of {', '.join(VINTAGES)}")
    return vintage


def pick_vintage(rows: pd.DataFrame, vintage: str) -> pd.DataFrame:
    """One row per (period, area, breakdown): the newest or the earliest release that published it."""
    ordered = rows.sort_values("release", kind="stable")
    keep = "last" if _vintage(vintage) == "latest" else "first"
    return ordered.drop_duplicates(["period", "area_code", "breakdown"], keep=keep)


def measure_rows(measure: str, vintage: str = "latest", level: str | None = None,
                 breakdown: str | None = "") -> pd.DataFrame:
    """Every area's rows of a measure under one vintage; `breakdown=None` keeps all breakdowns."""
    rows = table(table_of(_measure(measure)), measure)
    if level:
        rows = rows[rows["geographic_level"] == level]
    if breakdown is not None:
        rows = rows[rows["breakdown"] == breakdown]
    return pick_vintage(rows, vintage).sort_values(["period", "area_code"], ignore_index=True)


def _check_breakdown(measure: str, breakdown: str, rows: pd.DataFrame) -> None:
    held = sorted(rows["breakdown"].unique())
    if breakdown not in held:
        close = difflib.get_close_matches(breakdown, held, n=4, cutoff=0.4) or held[:6]
        raise UsageError(f"{measure} has no breakdown {breakdown!r}; held: {', '.join(repr(b) for b in close)}")


def series(measure: str, area: str = ENGLAND, vintage: str = "latest", breakdown: str = "",
           boundary: str = "as_published") -> pd.DataFrame:
    """A time series for one area: period, value, status, release, source (and which areas were summed).

    boundary='consistent' sums an LA's whole reorganisation group (e.g. Northamptonshire with North and West
    Northamptonshire) in every period, for additive measures only; the default gives the area as published.
    """
    _measure(measure)
    code = areas().resolve(area)
    rows = table(table_of(measure), measure)
    _check_breakdown(measure, breakdown, rows)
    rows = rows[rows["breakdown"] == breakdown]
    members = [code]
    if areas().level(code) == "consistent_boundary":  # a group code can only mean its members summed
        boundary = "consistent"
    if boundary == "consistent":
        members = areas().group_members(code)
        if len(members) > 1 and catalogue()[measure].unit not in ADDITIVE_UNITS:
            raise UsageError(f"{measure} is a {catalogue()[measure].unit}: consistent-boundary series are summed, "
                             f"so they exist for counts, FTE and money only")
    elif boundary != "as_published":
        raise UsageError(f"unknown boundary {boundary!r}; use 'as_published' or 'consistent'")
    picked = pick_vintage(rows[rows["area_code"].isin(members)], vintage)
    if len(members) > 1:
        picked = (picked.groupby("period", as_index=False)
                  .agg(value=("value", lambda v: v.sum(min_count=len(v))),
                       status=("status", lambda s: next((x for x in s if x), "")),
                       release=("release", "max"), source=("source", lambda s: ", ".join(sorted(set(s)))),
                       areas_summed=("area_code", lambda a: "+".join(sorted(a)))))
        picked["area_code"] = areas().group_of(code)
    else:
        picked = picked.assign(areas_summed=code)
    out = picked.sort_values("period", ignore_index=True)
    out.attrs.update(measure=measure, area=code, area_name=areas().name(code), vintage=vintage, boundary=boundary,
                     unit=catalogue()[measure].unit)
    return out[["period", "value", "status", "release", "source", "areas_summed"]]


def value(measure: str, area: str = ENGLAND, period: str | int = "", vintage: str = "latest",
          breakdown: str = "") -> float | str:
    """One published figure: the number, or the published symbol when there is none (e.g. 'c' suppressed)."""
    rows = series(measure, area=area, vintage=vintage, breakdown=breakdown)
    period = str(period)
    hit = rows[rows["period"] == period]
    if hit.empty:
        held = list(rows["period"])
        if not held:
            raise UsageError(f"{measure} is not published for {areas().name(areas().resolve(area))}")
        close = difflib.get_close_matches(period, held, n=3, cutoff=0.5) or [held[0], held[-1]]
        raise UsageError(f"{measure} has no period {period!r} for {areas().name(areas().resolve(area))}; "
                         f"held: {held[0]} to {held[-1]} (close: {', '.join(close)})")
    row = hit.iloc[0]
    return float(row["value"]) if pd.notna(row["value"]) else str(row["status"])


def format_plain(result: float | str) -> str:
    """Print a figure without float noise: 201000.0 -> 201000, 15.4 -> 15.4."""
    if isinstance(result, str):
        return result
    return f"{result:.0f}" if float(result).is_integer() else f"{result:.10g}"
