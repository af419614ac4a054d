"""Raw official files -> validated long tables in data/tidy/, one Parquet file per topic.

A table is rebuilt only when its raw files (by manifest hash) or the code that parses them change; new tables are
written beside the old, validated, and only then swapped in, all together, so a failure leaves the last good set.
A table whose bytes no longer match the hash recorded when it was written (a corrupt or edited file) is rebuilt.
One tidy step runs at a time per folder; what a killed one left (its staging folder) is removed by the next.
"""
from __future__ import annotations

import hashlib
import importlib
import json
import os
import shutil
import time
from pathlib import Path

import pandas as pd

from .. import manifest as manifest_mod
from .. import paths
from ..errors import CscError
from ..geography import canonical_codes
from ..manifest import Source
from ..readers import parse_cells, read_csv
from . import consistency
from .schema import COLUMNS, validate

# table name -> the manifest topics it reads. Order matters: geography first, it normalises the others.
TABLES = {
    "geography": ["context"],
    "context": ["context"],
    "cin": ["cin"],
    "cla": ["cla"],
    "workforce": ["workforce"],
    "spending": ["spending"],
    "markets": ["markets"],
}
STATE = "tidy.json"
LEVELS = {"national": "national", "regional": "regional", "local authority": "local_authority"}
SHARED_CODE = ["readers.py", "geography.py", "geography.yml", "tidy/__init__.py", "tidy/schema.py",
               "tidy/consistency.py"]


def source(manifest: dict[str, Source], path: str) -> Source:
    """The manifest entry for a raw file path, so parsers name files the way people see them."""
    for entry in manifest.values():
        if entry.file == path:
            return entry
    raise CscError(f"data/sources.yml: no entry for {path}; add it to the manifest")


def held(entry: Source) -> bool:
    """Every published file must be fetched; a hand-collected one (no public copy) may be absent."""
    return not entry.hand_collected or entry.raw_path.is_file()


def hand_collected_rows(manifest: dict[str, Source], path: str, figures: dict[str, tuple], skipped: set[str],
                        units: dict[str, tuple[str, str]]) -> pd.DataFrame:
    """A file of figures collected by hand from web pages (national, one per row, id -> measure, period, breakdown,
    release[, scale]). Every id must be mapped or knowingly skipped; units maps measure -> (unit, period type).
    Without the file (no public copy; it comes only from a mirror) there are no rows, and chapters say so."""
    from ..readers import parse_cells, read_csv

    src = source(manifest, path)
    frame = (read_csv(src, required=["figure_id", "value", "geography"]) if held(src)
             else pd.DataFrame({c: pd.Series(dtype=str) for c in ("figure_id", "value", "geography")}))
    ids = frame["figure_id"].str.strip()
    unknown = set(ids) - set(figures) - skipped
    if unknown:
        raise CscError(f"{src.raw_path}: column 'figure_id' has unmapped value {sorted(unknown)[0]!r}")
    frame = frame[ids.isin(list(figures))].reset_index(drop=True)
    spec = pd.DataFrame([(*figures[i], 1)[:5] for i in frame["figure_id"].str.strip()],
                        columns=["measure", "period", "breakdown", "release", "scale"])
    values, status = parse_cells(frame["value"], src.raw_path, "value", {""})
    rows = pd.DataFrame({
        "measure": spec["measure"], "period": spec["period"],
        "period_type": spec["measure"].map(lambda m: units[m][1]), "geographic_level": "national",
        "area_code": "E92000001", "la_code": "", "area_name": "England", "breakdown": spec["breakdown"],
        "value": values * spec["scale"], "status": status, "unit": spec["measure"].map(lambda m: units[m][0]),
        "release": spec["release"], "source": src.id})
    return rows.astype({c: "float64" if c == "value" else "str" for c in rows.columns})


def fy_label(start_year: int) -> str:
    return f"{start_year}-{(start_year + 1) % 100:02d}"


def ees_period(time_period: pd.Series, period_type: str) -> pd.Series:
    """EES writes '2020' for reporting years and '201920' for financial years."""
    text = time_period.astype(str).str.strip()
    if period_type == "financial_year":
        return text.str.slice(0, 4) + "-" + text.str.slice(4, 6)
    return text


def ees_geography(frame: pd.DataFrame, path: Path) -> pd.DataFrame:
    """Level, GSS code, DfE code and name from the standard EES location columns."""
    level = frame["geographic_level"].str.strip().str.lower().map(LEVELS)
    if level.isna().any():
        bad = frame.loc[level.isna(), "geographic_level"].iloc[0]
        raise CscError(f"{path}: column 'geographic_level' has unknown value {bad!r}")
    get = lambda col: frame[col].str.strip() if col in frame.columns else pd.Series("", index=frame.index)  # noqa: E731
    code = get("country_code").where(level == "national", get("region_code").where(level == "regional",
                                                                                    get("new_la_code")))
    name = get("country_name").where(level == "national", get("region_name").where(level == "regional",
                                                                                  get("la_name")))
    return pd.DataFrame({"geographic_level": level, "area_code": code,
                         "la_code": get("old_la_code").where(level == "local_authority", ""), "area_name": name})


def long_rows(frame: pd.DataFrame, src: Source, measures: dict[str, tuple[str, str]], *, period: pd.Series,
              period_type: str, geography: pd.DataFrame, allowed: set[str],
              breakdown: pd.Series | str = "", release: str | None = None) -> pd.DataFrame:
    """Melt wide indicator columns {column: (measure, unit)} into the long format, parsing every cell."""
    pieces = []
    breakdown = breakdown if isinstance(breakdown, pd.Series) else pd.Series(breakdown, index=frame.index)
    for column, (measure, unit) in measures.items():
        values, status = parse_cells(frame[column], src.raw_path, column, allowed)
        piece = geography.copy()
        piece.insert(0, "measure", measure)
        piece.insert(1, "period", period.values)
        piece.insert(2, "period_type", period_type)
        piece["breakdown"] = breakdown.values
        piece["value"] = values.values
        piece["status"] = status.values
        piece["unit"] = unit
        piece["release"] = release or src.release
        piece["source"] = src.id
        pieces.append(piece)
    return pd.concat(pieces, ignore_index=True)[COLUMNS]


def ees_table(src: Source, measures: dict[str, tuple[str, str]], *, period_type: str, allowed: set[str],
              breakdown=None, where=None, release: str | None = None) -> pd.DataFrame:
    """A standard EES CSV to long rows. `breakdown(frame)` labels rows; `where(frame)` selects them."""
    frame = read_csv(src, required=["time_period", "geographic_level", *measures])
    if where is not None:
        frame = frame[where(frame)].reset_index(drop=True)
    label = breakdown(frame) if breakdown is not None else ""
    return long_rows(frame, src, measures, period=ees_period(frame["time_period"], period_type),
                     period_type=period_type, geography=ees_geography(frame, src.raw_path), allowed=allowed,
                     breakdown=label, release=release)


def _code_key(table: str) -> str:
    digest = hashlib.sha256()
    root = Path(__file__).resolve().parent.parent
    data_files = sorted(p.relative_to(root).as_posix() for p in (root / "tidy").glob("*.csv"))
    for rel in SHARED_CODE + ["tidy/geography.py", f"tidy/{table}.py"] + data_files:
        digest.update(rel.encode() + (root / rel).read_bytes())
    return digest.hexdigest()


def input_key(table: str, manifest: dict[str, Source]) -> str:
    """What a table depends on: its manifest entries (hash, release label, encoding...), whether each hand-collected
    file is there (a build without them is rebuilt when they arrive) and the parsing code."""
    digest = hashlib.sha256(_code_key(table).encode())
    for entry in sorted(manifest.values(), key=lambda s: s.id):
        if entry.topic in TABLES[table]:
            digest.update(repr(entry).encode() + (b"held" if held(entry) else b"absent"))
    return digest.hexdigest()


def verify_raw(tables: list[str], manifest: dict[str, Source]) -> None:
    """Parse only files that are exactly the manifest's: a stale, edited, linked or cut-short raw file stops the step."""
    from ..fetch import Mismatch, check_content, sha256_of

    topics = {topic for t in tables for topic in TABLES[t]}
    for entry in manifest.values():
        if entry.topic not in topics:
            continue
        if entry.raw_path.is_symlink():
            raise CscError(f"{entry.raw_path}: a symbolic link, not the fetched file for {entry.id}; "
                           f"run `make data` to put the verified file in its place")
        if entry.raw_path.is_file():
            if sha256_of(entry.raw_path) != entry.sha256:
                raise CscError(f"{entry.raw_path}: contents differ from the manifest's sha256 for {entry.id}; "
                               f"run `make data` to restore the published file")
            try:
                check_content(entry, entry.raw_path)
            except Mismatch as exc:
                raise CscError(f"{entry.raw_path} ({entry.id}): {exc}") from None


def read_state(tidy_dir: Path) -> dict:
    """What each table was built from and its hash; an unreadable record means every table is rebuilt."""
    try:
        state = json.loads((tidy_dir / STATE).read_text())
    except (FileNotFoundError, UnicodeDecodeError, json.JSONDecodeError):
        return {}
    return state if isinstance(state, dict) and all(isinstance(v, dict) for v in state.values()) else {}


def _sha256(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except FileNotFoundError:
        return None


def _clean_leftovers(tidy_dir: Path) -> None:
    """Staging folders and state files a killed tidy step left (only called while holding the tidy lock)."""
    for stale in tidy_dir.glob(".staging-*"):
        shutil.rmtree(stale, ignore_errors=True)
    (tidy_dir / f".{STATE}.tmp").unlink(missing_ok=True)


def _finish(frame: pd.DataFrame, table: str, lookup: pd.DataFrame) -> pd.DataFrame:
    frame = frame.drop_duplicates(ignore_index=True)
    for src_id, part in frame.groupby("source", sort=False):
        frame.loc[part.index, "area_code"] = canonical_codes(part, lookup, src_id)
    frame = frame.sort_values(["measure", "release", "period", "geographic_level", "area_code", "breakdown"],
                              ignore_index=True)
    check_catalogue(frame, table)
    validate(frame, table)
    consistency.check(frame, table)
    return frame


def build(tables: list[str] | None = None, force: bool = False, tidy_dir: Path | None = None,
          log=print) -> dict[str, str]:
    """Rebuild the tables whose inputs changed; returns {table: 'built' | 'unchanged' | 'up to date'}."""
    tidy_dir = Path(tidy_dir or paths.TIDY)
    manifest = manifest_mod.load()
    wanted = tables or list(TABLES)
    unknown = [t for t in wanted if t not in TABLES]
    if unknown:
        raise CscError(f"unknown tidy table {unknown[0]!r}; tables are {', '.join(TABLES)}")
    tidy_dir.mkdir(parents=True, exist_ok=True)
    with paths.lock(tidy_dir / ".lock", "tidy step"):
        _clean_leftovers(tidy_dir)
        return _build(wanted, force, tidy_dir, manifest, log)


def _build(wanted: list[str], force: bool, tidy_dir: Path, manifest: dict[str, Source], log) -> dict[str, str]:
    state = read_state(tidy_dir)
    keys = {t: input_key(t, manifest) for t in wanted}
    corrupt = [t for t in wanted if state.get(t, {}).get("key") == keys[t]
               and _sha256(tidy_dir / f"{t}.parquet") not in (None, state[t].get("sha256"))]
    for table in corrupt:
        log(f"tidy {table}: {tidy_dir / f'{table}.parquet'} does not match the hash it was written with; rebuilding")
    todo = [t for t in wanted if force or t in corrupt or state.get(t, {}).get("key") != keys[t]
            or not (tidy_dir / f"{t}.parquet").is_file()]
    result = {t: "up to date" for t in wanted if t not in todo}
    if not todo:
        return result
    verify_raw(todo, manifest)
    staging = tidy_dir / f".staging-{os.getpid()}"
    staging.mkdir()
    try:
        geography = importlib.import_module(".geography", __name__)
        lookup = geography.build(manifest)
        new_state = dict(state)
        for table in todo:
            started = time.perf_counter()
            module = importlib.import_module(f".{table}", __name__)
            frame = lookup if table == "geography" else _finish(module.build(manifest, lookup), table, lookup)
            out = staging / f"{table}.parquet"
            # Small row groups over rows sorted by measure: a query for one measure reads only its groups.
            frame.to_parquet(out, index=False, compression="zstd", row_group_size=20_000)
            digest = _sha256(out)
            unchanged = (state.get(table, {}).get("sha256") == digest and table not in corrupt
                         and (tidy_dir / f"{table}.parquet").is_file())
            result[table] = "unchanged" if unchanged else "built"
            new_state[table] = {"key": keys[table], "sha256": digest, "rows": len(frame),
                                "sources": sorted(frame["source"].unique().tolist()) if "source" in frame else []}
            log(f"tidy {table}: {len(frame):,} rows, {time.perf_counter() - started:.1f} s"
                f"{' (content unchanged)' if unchanged else ''}")
        for table in todo:  # everything validated: swap in, keeping the old file (and its mtime) when identical
            if result[table] == "built":
                os.replace(staging / f"{table}.parquet", tidy_dir / f"{table}.parquet")
        tmp = tidy_dir / f".{STATE}.tmp"
        tmp.write_text(json.dumps(new_state, indent=1, sort_keys=True))
        os.replace(tmp, tidy_dir / STATE)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return result


def check_catalogue(frame: pd.DataFrame, table: str) -> None:
    """Every measure a table holds is defined in csc/catalogue/<table>.yml with the same unit and period type."""
    from ..catalogue import catalogue

    known = catalogue()
    for measure, part in frame.groupby("measure", sort=True):
        entry = known.get(measure)
        if entry is None or entry.table != table:
            raise CscError(f"tidy table {table!r}: measure {measure!r} (from {part['source'].iloc[0]}) is not "
                           f"defined in csc/catalogue/{table}.yml")
        units = set(part["unit"])
        types = set(part["period_type"])
        if units != {entry.unit} or types != {entry.period_type}:
            raise CscError(f"tidy table {table!r}: measure {measure!r} has unit {sorted(units)} / period type "
                           f"{sorted(types)} but the catalogue says {entry.unit} / {entry.period_type}")
