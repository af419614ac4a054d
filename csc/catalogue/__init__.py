"""The measure catalogue: what each measure means, where it comes from, and where its series breaks.

One YAML file per tidy table (csc/catalogue/<table>.yml). Periods, levels and breakdowns held are read off the
data, not typed here, so the catalogue cannot drift from the tables.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path


from .. import yamlfile
from ..errors import CscError
from ..units import PERIOD_TYPES, UNITS

HERE = Path(__file__).resolve().parent
FIELDS = {"label", "definition", "unit", "period_type", "sources", "caveats", "breaks"}


@dataclass(frozen=True)
class Measure:
    name: str
    table: str
    label: str
    definition: str
    unit: str
    period_type: str
    sources: tuple[str, ...]
    caveats: tuple[str, ...] = field(default_factory=tuple)
    breaks: tuple[dict, ...] = field(default_factory=tuple)


@lru_cache(maxsize=1)
def catalogue() -> dict[str, Measure]:
    measures: dict[str, Measure] = {}
    for path in sorted(HERE.glob("*.yml")):
        doc = yamlfile.read(path) or {}
        for name, spec in (doc.get("measures") or {}).items():
            where = f"{path.name}: {name}"
            missing = {"label", "definition", "unit", "period_type", "sources"} - set(spec)
            if missing or set(spec) - FIELDS:
                raise CscError(f"{where}: fields missing {sorted(missing)} or unknown {sorted(set(spec) - FIELDS)}")
            if spec["unit"] not in UNITS or spec["period_type"] not in PERIOD_TYPES:
                raise CscError(f"{where}: unit {spec['unit']!r} or period_type {spec['period_type']!r} unknown")
            if name in measures:
                raise CscError(f"{where}: defined twice")
            measures[name] = Measure(name=name, table=path.stem, label=spec["label"],
                                     definition=" ".join(spec["definition"].split()), unit=spec["unit"],
                                     period_type=spec["period_type"], sources=tuple(spec["sources"]),
                                     caveats=tuple(spec.get("caveats") or ()), breaks=tuple(spec.get("breaks") or ()))
    return measures


def table_of(measure: str) -> str:
    try:
        return catalogue()[measure].table
    except KeyError:
        raise CscError(f"measure {measure!r} is not in the catalogue") from None
