"""Source lines for charts and tables, written from the manifest entries the numbers came from."""
from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from . import manifest, paths

SHORT = {"Department for Education": "DfE", "Office for National Statistics": "ONS", "HM Treasury": "HM Treasury",
         "Ministry of Housing, Communities and Local Government": "MHCLG", "Ofsted": "Ofsted"}


def table_label(file: str) -> str:
    """EES file names start with their table code ('c4_...'); SFR files are 'underlying data'."""
    m = re.match(r"([a-d]\d{1,2})_", file.rsplit("/", 1)[-1])
    return f"table {m.group(1).upper()}" if m else "underlying data"


@lru_cache(maxsize=2)
def _entries(path: str, mtime_ns: int, size: int) -> dict:
    """The manifest, read once per version of the file (a chapter cites it for every chart)."""
    return manifest.load()


def cite(source_ids: Iterable[str]) -> str:
    """'DfE, Children in need 2025 (table C4); DfE, Characteristics of children in need ... 2010-2012 (underlying data)'."""
    from .query import _check_declared

    _check_declared("manifest")
    stat = paths.MANIFEST.stat()
    entries = _entries(str(paths.MANIFEST), stat.st_mtime_ns, stat.st_size)
    groups: dict[tuple[str, str], dict[str, set[str]]] = {}
    for sid in sorted(set(source_ids)):
        entry = entries[sid]
        key = (SHORT.get(entry.publisher, entry.publisher), entry.publication)
        groups.setdefault(key, {}).setdefault(table_label(entry.file), set()).add(entry.release)
    parts = []
    for (publisher, publication), tables in groups.items():
        releases = sorted(set().union(*tables.values()))
        span = releases[0] if len(releases) == 1 else f"{releases[0]} to {releases[-1]} releases"
        parts.append(f"{publisher}, {publication}, {span} ({', '.join(sorted(tables))})")
    return "; ".join(parts)
