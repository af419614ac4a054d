"""Read numbers out of the tidy tables: the only way chapters and the CLI touch data.

Vintages: `latest` takes, for each period, the newest release holding it; `first` the earliest (as first
published, which is what the review saw in 2021). A chapter run by the build may read only the tables it declares
in chapters/chapters.yml (CSC_DECLARED_INPUTS), so the build's dependency tracking cannot be wrong.

Rows are selected with pyarrow.parquet alone (row groups by their statistics, then the measure's slice of the
sorted rows) and picked in plain Python; pandas (which pyarrow's dataset and compute modules import) is imported only
when a caller asks for a frame, so one `python -m csc value` stays quick.
"""
from __future__ import annotations

import difflib
import itertools
import os
from functools import lru_cache

import pyarrow as pa
import pyarrow.parquet as pq

from . import paths
from .catalogue import catalogue, table_of
from .errors import CscError, UsageError
from .geography import ENGLAND, Areas

VINTAGES = ("latest", "first")
ADDITIVE_UNITS = {"count", "fte", "gbp"}
SERIES_COLUMNS = ["period", "value", "status", "release", "source", "areas_summed"]


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


def _stamp(table: str) -> tuple[int, int]:
    """Identifies one written version of a table file for the caches (nanosecond mtime and size)."""
    stat = _path(table).stat()
    return stat.st_mtime_ns, stat.st_size


def _unreadable(table: str, exc: Exception) -> CscError:
    return CscError(f"{_path(table)}: tidy table cannot be read ({type(exc).__name__}); run `make tidy` to rebuild it")


@lru_cache(maxsize=64)
def _arrow(table: str, stamp: tuple[int, int], measure: str) -> pa.Table:
    """One measure's rows as an Arrow table. Tidy tables are sorted by measure in small row groups (csc.tidy), so
    only the groups whose statistics can hold it are read, and its rows are one slice of them. Text columns are
    read as the dictionaries they are stored as (a few distinct names, releases, sources a column): an order of
    magnitude faster than building every string, and the rows read the same."""
    try:
        parquet = pq.ParquetFile(_path(table))
        text = [f.name for f in parquet.schema_arrow if pa.types.is_string(f.type) or pa.types.is_large_string(f.type)]
        parquet = pq.ParquetFile(_path(table), metadata=parquet.metadata, read_dictionary=text)
        column = parquet.schema_arrow.get_field_index("measure")
        groups = [i for i in range(parquet.num_row_groups)
                  if _may_hold(parquet.metadata.row_group(i).column(column).statistics, measure)]
        if not groups:
            return parquet.schema_arrow.empty_table()
        rows = parquet.read_row_groups(groups, use_pandas_metadata=False)
        start, length = next(((start, length) for value, start, length in _runs(rows.column("measure"))
                              if value == measure), (0, 0))
        return rows.slice(start, length)
    except (pa.ArrowException, OSError) as exc:
        raise _unreadable(table, exc) from None


def _values(column: pa.ChunkedArray) -> list:
    """A column as Python values; a dictionary column by way of its dictionary, as pyarrow's to_pylist makes each
    string of a dictionary array anew (over ten times slower than the indices and the few distinct words)."""
    out: list = []
    for chunk in column.chunks:
        if pa.types.is_dictionary(chunk.type):
            words = chunk.dictionary.to_pylist()
            out.extend(None if i is None else words[i] for i in chunk.indices.to_pylist())
        else:
            out.extend(chunk.to_pylist())
    return out


def _runs(column: pa.ChunkedArray) -> list[tuple[object, int, int]]:
    """(value, start, length) of each run of equal values, read off a dictionary column's indices."""
    runs: list[list] = []
    offset = 0
    for chunk in column.chunks:
        if pa.types.is_dictionary(chunk.type):
            words, keys = chunk.dictionary.to_pylist(), chunk.indices.to_pylist()
        else:
            words, keys = None, chunk.to_pylist()
        for key, group in itertools.groupby(keys):
            value = words[key] if words is not None and key is not None else key
            length = len(list(group))
            if runs and runs[-1][0] == value and runs[-1][1] + runs[-1][2] == offset:
                runs[-1][2] += length   # a run carried over from the previous chunk
            else:
                runs.append([value, offset, length])
            offset += length
    return [tuple(run) for run in runs]


def _records(rows: pa.Table) -> list[dict]:
    """Rows as dicts, column by column through _values."""
    names = rows.column_names
    return [dict(zip(names, values)) for values in zip(*(_values(rows.column(n)) for n in names))]


def _may_hold(statistics, measure: str) -> bool:
    return statistics is None or not statistics.has_min_max or statistics.min <= measure <= statistics.max


def _measure_table(measure: str) -> pa.Table:
    table = table_of(_measure(measure))
    _check_declared(table)
    return _arrow(table, _stamp(table), measure)


def held(measure: str) -> bool:
    """Whether the tidy tables hold any row of a catalogued measure (a hand-collected figure may be absent)."""
    return _measure_table(measure).num_rows > 0


@lru_cache(maxsize=64)
def _positions(table: str, stamp: tuple[int, int], measure: str) -> dict[str, tuple[tuple[int, int], ...]]:
    """Where each area's rows are in the measure's table, as runs (start, length), so a run for one area turns only
    its own rows into Python objects (a chapter or atlas page for one LA reads a few hundred rows of measures with
    100,000). Within a measure rows are sorted by release, period, level and area, so an area's rows come in a few
    runs, sliced without pyarrow's compute functions (which import pandas)."""
    runs: dict[str, list[tuple[int, int]]] = {}
    for code, start, length in _runs(_arrow(table, stamp, measure).column("area_code")):
        runs.setdefault(code, []).append((start, length))
    return {code: tuple(found) for code, found in runs.items()}


@lru_cache(maxsize=4096)
def _area_records(table: str, stamp: tuple[int, int], measure: str, code: str) -> tuple[dict, ...]:
    arrow = _arrow(table, stamp, measure)
    return tuple(row for start, length in _positions(table, stamp, measure).get(code, ())
                 for row in _records(arrow.slice(start, length)))


def _area_rows(measure: str, codes: set[str]) -> list[dict]:
    table = table_of(_measure(measure))
    _check_declared(table)
    stamp = _stamp(table)
    return [row for code in sorted(codes) for row in _area_records(table, stamp, measure, code)]


def table(name: str, measure: str | None = None):
    """A whole tidy table (or one measure of it) as a pandas DataFrame."""
    import pandas as pd

    _check_declared(name)
    if measure:
        return pd.DataFrame(_records(_arrow(name, _stamp(name), measure)))
    return pd.read_parquet(_path(name))


@lru_cache(maxsize=1)
def _areas(stamp: tuple[int, int]) -> Areas:
    try:
        return Areas(pq.ParquetFile(_path("geography")).read(use_pandas_metadata=False).to_pylist())
    except (pa.ArrowException, OSError) as exc:
        raise _unreadable("geography", exc) from None


def areas() -> Areas:
    _check_declared("geography")
    return _areas(_stamp("geography"))


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


def pick(rows, vintage: str) -> list[dict]:
    """One row per (period, area, breakdown): the newest or the earliest release that published it."""
    chosen: dict[tuple, dict] = {}
    newest = _vintage(vintage) == "latest"
    for row in rows:
        key = (row["period"], row["area_code"], row["breakdown"])
        held = chosen.get(key)
        if held is None or (row["release"] > held["release"] if newest else row["release"] < held["release"]):
            chosen[key] = row
    return sorted(chosen.values(), key=lambda r: (r["period"], r["area_code"], r["breakdown"]))


def measure_rows(measure: str, vintage: str = "latest", level: str | None = None, breakdown: str | None = ""):
    """Every area's rows of a measure under one vintage, as a frame; `breakdown=None` keeps all breakdowns."""
    import pandas as pd

    import pyarrow.compute as pc

    arrow = _measure_table(measure)
    keep = pa.array([True] * arrow.num_rows, type=pa.bool_())
    if level is not None:
        keep = pc.and_(keep, pc.equal(arrow.column("geographic_level"), level))
    if breakdown is not None:
        keep = pc.and_(keep, pc.equal(arrow.column("breakdown"), breakdown))
    columns = arrow.column_names if arrow.num_rows else None
    return pd.DataFrame(pick(_records(arrow.filter(keep)), vintage), columns=columns)


def _check_breakdown(measure: str, breakdown: str) -> None:
    held = sorted(set(_values(_measure_table(measure).column("breakdown"))))
    if breakdown not in held:
        close = difflib.get_close_matches(breakdown, held, n=4, cutoff=0.4) or held[:6]
        raise UsageError(f"{measure} has no breakdown {breakdown!r}; held: {', '.join(repr(b) for b in close)}")


def _members(measure: str, area: str, boundary: str) -> tuple[str, set[str]]:
    """The resolved area and the codes whose rows make it up (several for a consistent-boundary group)."""
    code = areas().resolve(area)
    if areas().level(code) == "consistent_boundary":  # a group code can only mean its members summed
        boundary = "consistent"
    if boundary == "consistent":
        # Predecessors, successors, and any joint return published under the group's own code.
        return code, set(areas().group_members(code) + [areas().group_of(code)])
    if boundary != "as_published":
        raise UsageError(f"unknown boundary {boundary!r}; use 'as_published' or 'consistent'")
    return code, {code}


def _combine(measure: str, picked: list[dict]) -> list[dict]:
    """One record per (breakdown, period): a lone row as published, several rows (a group) summed."""
    groups: dict[tuple[str, str], list[dict]] = {}
    for row in picked:
        groups.setdefault((row["breakdown"], row["period"]), []).append(row)
    out = []
    for (breakdown, period), group in sorted(groups.items()):
        # 'z' (not applicable): an authority that did not exist yet, or a partner in a joint return.
        group = [r for r in group if r["status"] != "z"] or group[:1]
        if len(group) > 1 and catalogue()[measure].unit not in ADDITIVE_UNITS:
            raise UsageError(f"{measure} is a {catalogue()[measure].unit}: in {period} it is published separately for "
                             f"{', '.join(r['area_name'] for r in group)}, and a {catalogue()[measure].unit} cannot "
                             f"be summed; use the counts it is made from")
        values = [r["value"] for r in group]
        complete = all(v is not None and v == v for v in values)
        out.append({"period": period, "breakdown": breakdown,
                    "value": sum(values) if complete else float("nan"),
                    "status": "" if complete else next((r["status"] for r in group if r["status"]), ""),
                    "release": max(r["release"] for r in group),
                    "source": ", ".join(sorted({r["source"] for r in group})),
                    "areas_summed": "+".join(sorted(r["area_code"] for r in group))})
    return out


def series_records(measure: str, area: str = ENGLAND, vintage: str = "latest", breakdown: str = "",
                   boundary: str = "as_published") -> tuple[str, list[dict]]:
    """The resolved area code and its rows, one per period (summed over a group for consistent boundaries)."""
    table = table_of(_measure(measure))
    _check_declared(table)
    code, records = _series_records(measure, area, vintage, breakdown, boundary, _stamp(table), _stamp("geography"))
    return code, [dict(r) for r in records]


@lru_cache(maxsize=4096)
def _series_records(measure: str, area: str, vintage: str, breakdown: str, boundary: str, stamp, geo_stamp):
    """Cached per version of the table: a chapter run for every area asks for the same series many times."""
    code, members = _members(measure, area, boundary)
    rows = _area_rows(measure, members)
    if not any(r["breakdown"] == breakdown for r in rows):
        _check_breakdown(measure, breakdown)
    picked = pick((r for r in rows if r["breakdown"] == breakdown), vintage)
    return code, tuple(_combine(measure, picked))


def by_breakdown(measure: str, area: str = ENGLAND, vintage: str = "latest", boundary: str = "as_published"):
    """Every breakdown of a measure for one area (e.g. plans by category), as a frame; groups are summed."""
    import pandas as pd

    code, members = _members(_measure(measure), area, boundary)
    picked = pick((r for r in _area_rows(measure, members) if r["breakdown"]), vintage)
    out = pd.DataFrame(_combine(measure, picked), columns=["breakdown"] + SERIES_COLUMNS)
    out["value"] = out["value"].astype("float64")
    out.attrs.update(measure=measure, area=code, area_name=areas().name(code), vintage=vintage)
    return out


def series(measure: str, area: str = ENGLAND, vintage: str = "latest", breakdown: str = "",
           boundary: str = "as_published"):
    """A time series for one area: period, value, status, release, source, and which areas were summed.

    boundary='consistent' sums an LA's whole reorganisation group (e.g. Northamptonshire with North and West
    Northamptonshire) in every period, for additive measures only; the default gives the area as published.
    """
    import pandas as pd

    code, records = series_records(_measure(measure), area, vintage, breakdown, boundary)
    out = pd.DataFrame(records, columns=["breakdown"] + SERIES_COLUMNS)[SERIES_COLUMNS]
    out["value"] = out["value"].astype("float64")
    out.attrs.update(measure=measure, area=code, area_name=areas().name(code), vintage=vintage, boundary=boundary,
                     unit=catalogue()[measure].unit)
    return out


def value(measure: str, area: str = ENGLAND, period: str | int = "", vintage: str = "latest",
          breakdown: str = "") -> float | str:
    """One published figure: the number, or the published symbol when there is none (e.g. 'c' suppressed)."""
    code, records = series_records(_measure(measure), area, vintage, breakdown)
    period = str(period)
    hit = [r for r in records if r["period"] == period]
    if not hit:
        held = [r["period"] for r in records]
        if not held:
            raise UsageError(f"{measure} is not published for {areas().name(code)}")
        close = difflib.get_close_matches(period, held, n=3, cutoff=0.5) or [held[0], held[-1]]
        raise UsageError(f"{measure} has no period {period!r} for {areas().name(code)}; "
                         f"held: {held[0]} to {held[-1]} (close: {', '.join(close)})")
    row = hit[0]
    return float(row["value"]) if row["value"] == row["value"] else str(row["status"])


def format_plain(result: float | str) -> str:
    """Print a figure without float noise: 201000.0 -> 201000, 15.4 -> 15.4."""
    if isinstance(result, str):
        return result
    return f"{result:.0f}" if float(result).is_integer() else f"{result:.10g}"
