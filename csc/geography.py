"""Areas: England, regions and upper-tier LAs with their codes over time, recodes and reorganisations.

The lookup is built from DfE's own LA list (context/geography/dfe_las.csv) plus the changes stated in geography.yml.
Same-area recodes (Gateshead 2013, Buckinghamshire 2020, ...) are folded onto the current code, so one area keeps one
series; merged and split authorities keep their own codes and can be summed into a consistent-boundary group.
"""
from __future__ import annotations

import difflib
from functools import lru_cache
from pathlib import Path

from . import yamlfile
from .errors import CscError, UsageError

ENGLAND = "E92000001"
CHANGES = Path(__file__).with_name("geography.yml")
LEVELS = ("national", "regional", "local_authority", "consistent_boundary")


@lru_cache(maxsize=1)
def changes() -> dict:
    return yamlfile.read(CHANGES)


def recode_map() -> dict[str, str]:
    return {r["from"]: r["to"] for r in changes()["recodes"]}


NEIGHBOURS = [f"SN{i}" for i in range(1, 11)]


def neighbour_groups(frame, path, la_codes: set[str]) -> dict[str, list[str]]:
    """DfE's statistical neighbour file -> {DfE code: its ten neighbours' DfE codes, closest first}, checked.

    Rows without an LA number (blank lines, the "Old SNs:" heading) are layout, not data."""
    groups: dict[str, list[str]] = {}
    for line, row in enumerate(frame.to_dict("records"), start=2):
        la = row["LA number"].strip()
        if not la:
            continue
        if la not in la_codes:
            raise CscError(f"{path}: line {line}: column 'LA number' has {la!r}, not a DfE LA code")
        if la in groups:
            raise CscError(f"{path}: line {line}: LA number {la!r} is listed twice")
        cells = [row[c].strip() for c in NEIGHBOURS]
        for column, cell in zip(NEIGHBOURS, cells):
            if cell not in la_codes or cell == la:
                raise CscError(f"{path}: line {line} (LA {la}): column {column!r} has {cell!r}, not another "
                               f"LA's DfE code")
        if len(set(cells)) != len(cells):
            raise CscError(f"{path}: line {line} (LA {la}): a neighbour is listed twice")
        groups[la] = cells
    return groups


def with_neighbours(lookup, groups: dict[str, list[str]], path):
    """The lookup with each LA's ten statistical neighbours (GSS codes, closest first; geography.yml's inherit
    for councils formed after the groupings). Every current LA must have them."""
    las = lookup[(lookup["geographic_level"] == "local_authority") & (lookup["la_code"] != "")]
    gss = dict(zip(las["la_code"], las["area_code"]))
    inherit = changes()["statistical_neighbours"]["inherit"]
    lists = []
    for row in lookup.itertuples(index=False):
        dfe = inherit[row.area_code]["from"] if row.area_code in inherit else row.la_code
        lists.append(" ".join(gss[c] for c in groups.get(dfe, [])) if row.geographic_level == "local_authority"
                     else "")
    lookup = lookup.assign(neighbours=lists)
    current = (lookup["geographic_level"] == "local_authority") & (lookup["last_year"] == 9999)
    missing = lookup[current & (lookup["neighbours"] == "") & ~lookup["area_code"].str.contains("+", regex=False)]
    if len(missing):
        row = missing.iloc[0]
        raise CscError(f"{path}: no statistical neighbours for {row['area_name']} ({row['la_code']}); state its "
                       f"predecessor under statistical_neighbours.inherit in csc/geography.yml")
    return lookup


def build_lookup(las, regions):
    """One row per area: code, DfE code, name, level, region, years in operation, consistent-boundary group."""
    import pandas as pd

    recodes = recode_map()
    rows = [{"area_code": ENGLAND, "la_code": "", "area_name": "England", "geographic_level": "national",
             "region_code": "", "region_name": "", "first_year": 1900, "last_year": 9999, "boundary_group": "",
             "former_codes": ""}]
    region_names = regions.drop_duplicates("region_code").set_index("region_code")["region_name"]
    region_names["E13000001"], region_names["E13000002"] = "Inner London", "Outer London"
    for code, name in region_names.items():
        rows.append({"area_code": code, "la_code": "", "area_name": name, "geographic_level": "regional",
                     "region_code": "", "region_name": "", "first_year": 1900, "last_year": 9999,
                     "boundary_group": "", "former_codes": ""})
    group_of = {}
    for reorg in changes()["reorganisations"]:
        for code in reorg["before"] + reorg["after"]:
            group_of[code] = reorg["group"]
    former: dict[str, list[str]] = {}
    for old, new in recodes.items():
        former.setdefault(new, []).append(old)
    for la in las.itertuples(index=False):
        # Skip 'Z' (forces overseas), old codes of recoded areas, and DfE's joint "A / B" rows (geography.yml).
        if not str(la.new_la_code).startswith("E") or la.new_la_code in recodes or " / " in la.new_la_code:  # the old code of a recoded area: folded into its successor's row
            continue
        start = int(str(la.date_of_operation)[-4:])
        end = int(str(la.date_of_termination)[-4:]) if la.date_of_termination else 9999
        rows.append({"area_code": la.new_la_code, "la_code": str(la.old_la_code).replace("x", ""), "area_name": la.la_name,
                     "geographic_level": "local_authority", "region_code": la.parent_geography_code,
                     "region_name": region_names.get(la.parent_geography_code, ""), "first_year": start,
                     "last_year": end, "boundary_group": group_of.get(la.new_la_code, ""),
                     "former_codes": " ".join(former.get(la.new_la_code, []))})
    for reorg in changes()["reorganisations"]:
        rows.append({"area_code": reorg["group"], "la_code": "", "area_name": reorg["name"],
                     "geographic_level": "consistent_boundary", "region_code": "", "region_name": "",
                     "first_year": 1900, "last_year": 9999, "boundary_group": reorg["group"],
                     "former_codes": ""})
    for la_code, joint in changes()["joint_returns"].items():
        code = "+".join(joint["members"])
        if code not in {r["area_code"] for r in rows}:
            rows.append({"area_code": code, "la_code": la_code, "area_name": joint["name"],
                         "geographic_level": "local_authority", "region_code": "", "region_name": "",
                         "first_year": 1900, "last_year": 9999, "boundary_group": "", "former_codes": ""})
    frame = pd.DataFrame(rows)
    frame["first_year"] = frame["first_year"].astype("int64")
    frame["last_year"] = frame["last_year"].astype("int64")
    return frame


class Areas:
    """Resolves what a user types (GSS code, DfE code, name) to one area of the lookup.

    Works on plain records (one dict per area), so the query path need not import pandas.
    """

    def __init__(self, records: list[dict]):
        self.by_code = {r["area_code"]: r for r in records}
        self._by_key: dict[str, str] = {}
        for r in records:
            for key in (r["area_code"], r["la_code"], r["area_name"], *r["former_codes"].split()):
                if key:
                    self._by_key.setdefault(key.casefold(), r["area_code"])
        for la_code, entry in changes()["joint_returns"].items():
            self._by_key[la_code.replace(" ", "").casefold()] = "+".join(entry["members"])
        self._by_key["england"] = ENGLAND

    def resolve(self, area: str) -> str:
        key = str(area).strip().casefold()
        for candidate in (key, key.replace(" ", "")):  # "940 / 941" as DfE writes joint returns
            if candidate in self._by_key:
                return self._by_key[candidate]
        names = sorted({r["area_name"] for r in self.by_code.values()} | set(self.by_code))
        close = difflib.get_close_matches(str(area), names, n=4, cutoff=0.6)
        hint = f"; did you mean {', '.join(close)}?" if close else "; use a GSS code, DfE 3-digit code or exact name"
        raise UsageError(f"unknown area {area!r}{hint}")

    def _field(self, code: str, field: str, default: str = "") -> str:
        return str(self.by_code[code][field]) if code in self.by_code else default

    def name(self, code: str) -> str:
        return self._field(code, "area_name", code)

    def level(self, code: str) -> str:
        return self._field(code, "geographic_level", "local_authority")

    def region_of(self, code: str) -> str:
        return self._field(code, "region_code")

    def group_members(self, code: str) -> list[str]:
        """The areas summed for a consistent-boundary series (the area alone when it never changed)."""
        group = self._field(code, "boundary_group")
        if not group:
            return [code]
        return sorted(r["area_code"] for r in self.by_code.values()
                      if r["boundary_group"] == group and r["geographic_level"] == "local_authority")

    def group_of(self, code: str) -> str:
        return self._field(code, "boundary_group") or code

    def neighbours(self, code: str) -> list[str]:
        """DfE's ten statistical neighbours of an LA, closest first (none for other areas)."""
        return self._field(code, "neighbours").split()


def canonical_codes(frame, lookup, path: str):
    """Fill and fold LA codes: recoded GSS codes become the current code; a missing GSS code comes from the DfE code."""
    recodes = recode_map()
    codes = frame["area_code"].replace(recodes)
    by_la = lookup[lookup["la_code"] != ""].drop_duplicates("la_code").set_index("la_code")["area_code"]
    is_la = frame["geographic_level"] == "local_authority"
    missing = is_la & (codes == "")
    codes = codes.where(~missing, frame["la_code"].map(by_la).fillna(""))
    unknown = is_la & ~codes.isin(set(lookup["area_code"]))
    if unknown.any():
        row = frame[unknown].iloc[0]
        raise CscError(f"{path}: unknown local authority {row['la_code']!r} / {row['area_code']!r} "
                       f"({row['area_name']}); add it to csc/geography.yml")
    return codes
