"""Spending on children's services: DfE S251 outturn (line by line) and MHCLG RO3/RSX revenue outturn (data-notes §5).

S251 lines are renumbered almost every year; `s251_lines.csv` maps each file's line reference to one harmonised line
and group (its header documents the rules). Group totals and the review's statutory / non-statutory split are summed
from the mapped lines, so they follow one definition in every year the lines allow.
"""
from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import CscError
from ..readers import parse_cells, read_csv
from . import COLUMNS, ees_geography, ees_period, long_rows, source

S251_LINES = Path(__file__).with_name("s251_lines.csv")
ENGLAND = {"geographic_level": "national", "area_code": "E92000001", "la_code": "", "area_name": "England"}
NO_SYMBOLS = {""}

# The S251 LA files: period -> (file, line-reference column or None to read it off the description, columns).
S251_LA = {
    "2008-09": ("s251_outturn_la/outturn_0809.csv", None,
                {"la": "LEA Number:", "name": "LA Name:", "desc": "S52 Line Reference:",
                 "gross": "TOTAL EXPENDITURE (k)", "net": "NET Current Expenditure (m)"}),
    "2009-10": ("s251_outturn_la/outturn_0910.csv", "Line",
                {"la": "LEA", "name": "LEA Name", "desc": "S52 Line Reference",
                 "gross": "Total Expenditure (k)", "net": "NET Current Expenditure (m)"}),
    "2010-11": ("s251_outturn_la/outturn_1011.csv", "Line",
                {"la": "LA", "name": "LA Name", "desc": "S52 Line Reference",
                 "gross": "Total Expenditure (k)", "net": "NET Current Expenditure (m)"}),
    **{period: (f"s251_outturn_la/outturn_{code}.csv", "LineNumber",
                {"la": "LA", "name": "LA Name", "desc": "CYPServiceDescription",
                 "gross": "TotalExpenditure", "net": "NetCurrentExpenditure"})
       for period, code in [("2011-12", "1112"), ("2012-13", "1213"), ("2013-14", "1314")]},
    # xlsx: the `s251line` column is wrong in places (2014-15 line 21 is coded 16); the description's prefix is not.
    **{period: (f"s251_outturn_la_2015_2019/{name}", None,
                {"la": "LA", "name": "LA Name", "desc": "Description",
                 "gross": "TotalExpenditure", "net": "NetCurrentExpenditure"})
       for period, name in [("2014-15", "s251ye2015.xlsx"), ("2015-16", "s251ye2016.xlsx"),
                            ("2016-17", "s251ye2017.xlsx"), ("2017-18", "S251ye2018.xlsx"),
                            ("2018-19", "S251ye2019.xlsx")]},
}
S251_NATIONAL = "s251_ees_summaries/2021-22/s251_childrens_young_peoples_services_national3.csv"
HIGHLIGHTS = "s251_ees_summaries/2019-20/cfr-s251_highlightssummary_v1.2.csv"
OVERALL = "s251_ees_summaries/2020-21/overall_summary_data.csv"
LINE_REF = re.compile(r"^\s*(\d+[a-z]?(?:\.\d+[a-z]?)*)")

# Groups summed into each class (catalogue: spend.cyps_by_class). The review's split is non_statutory / statutory;
# early_help and early_intervention (Turning the Tide 2017) are narrower alternatives for the preventive side.
CLASSES = {
    "non_statutory": ["sure_start_under_5", "family_support", "young_people", "other_children_family_services"],
    "statutory": ["children_looked_after", "safeguarding", "youth_justice"],
    "early_help": ["sure_start_under_5", "family_support"],
    "early_intervention": ["sure_start_under_5", "family_support", "young_people"],
}
AMOUNTS = {"gross": ("spend.s251_line", "spend.cyps_by_class"), "net": ("spend.s251_line_net", "spend.cyps_by_class_net")}

# RO3 workbooks (£ thousand): period -> (file, sheet). RSX repeats RO3's children's social care total exactly.
RO3 = {
    "2014-15": ("ro3_2014_2021/RO3_2014-15_Revision.xlsx", "RO3 LA Data 2014-15 (1)"),
    "2015-16": ("ro3_2014_2021/RO3_2015-16_data_by_LA_-_Revision.xlsx", "RO3 LA Data 2015-16"),
    "2016-17": ("ro3_2014_2021/RO3_2016-17_data_by_LA.xlsx", "RO3 LA Data 2016-17"),
    "2017-18": ("ro3_2014_2021/RO3_2017-18_data_by_LA_-_revised.xlsx", "RO3 LA Data 2017-18"),
    "2018-19": ("ro3_2014_2021/RO3_2018-19_data_by_LA.xlsx", "RO3 LA Data 2018-19"),
    "2019-20": ("ro3_2014_2021/RO3_2019-20_data_by_LA.ods", "RO3_LA_Data_2019-20"),
    "2020-21": ("ro3_2014_2021/RO3_2020-21_data_by_LA.ods", "RO3_LA_Data_2020-21"),
    "2022-23": ("mhclg_revenue_outturn/RO3_2022-23_data_by_LA.ods", "RO3_LA_Data_2022-23"),
    "2023-24": ("mhclg_revenue_outturn/RO3_2023-24_data_by_LA.ods", "RO3_LA_Data_2023-24"),
    "2024-25": ("mhclg_revenue_outturn/RO3_LA_Data_2024-25_data_by_LA.ods", "RO3_LA_Data_202425"),
}
# (measure, service block as headed in the workbook, column header) ; service matched case-insensitively.
RO3_COLUMNS = [
    ("spend.ro3_csc_gross", "total children social care", "total expenditure"),
    ("spend.ro3_csc_net", "total children social care", "net current expenditure"),
    ("spend.ro3_cla_gross", "children's social care - children looked after", "total expenditure"),
]
RO3_UPPER_TIER = {"L", "LB", "MD", "UA", "SC"}  # London boroughs, metropolitan districts, unitaries, shire counties
RO3_SYMBOLS = {"[x]": "x", "...": "..", "…": ".."}  # [x] from 2022-23; "..." = return not received (2020-21)
CODE_CELL = re.compile(r"^(C\d+R\d+|\d+|Row_no|Col_no|RO3-.*)$")


def build(manifest, lookup) -> pd.DataFrame:
    mapping = line_mapping()
    frames = [s251_la(source(manifest, f"spending/{file}"), period, ref_col, cols, mapping)
              for period, (file, ref_col, cols) in S251_LA.items()]
    frames.append(s251_national(source(manifest, f"spending/{S251_NATIONAL}"), mapping))
    frames.append(highlights(source(manifest, f"spending/{HIGHLIGHTS}")))
    frames.append(overall_summary(source(manifest, f"spending/{OVERALL}")))
    frames += [ro3(source(manifest, f"spending/{file}"), sheet) for file, sheet in RO3.values()]
    return pd.concat(frames, ignore_index=True)[COLUMNS]


def line_mapping(path: Path = S251_LINES) -> pd.DataFrame:
    """One row per (file scheme, line reference, harmonised line); a blank line means not carried (subtotal, memo)."""
    mapping = pd.read_csv(path, dtype=str, keep_default_na=False)
    mapping["scheme"] = mapping["periods"].str.split()
    return mapping.explode("scheme")[["scheme", "ref", "line", "group"]].reset_index(drop=True)


def line_refs(frame: pd.DataFrame, ref_col: str | None, desc_col: str, path: Path) -> pd.Series:
    if ref_col is not None:
        return frame[ref_col].astype(str).str.strip()
    refs = frame[desc_col].astype(str).str.extract(LINE_REF)[0]
    if refs.isna().any():
        raise CscError(f"{path}: column {desc_col!r} has a line without a line number: "
                       f"{frame.loc[refs.isna(), desc_col].iloc[0]!r}")
    return refs


def read_s251(src, cols: dict) -> pd.DataFrame:
    """A S251 LA file as text cells: CSV via the manifest encoding, xlsx (first sheet) via calamine."""
    if src.file.endswith(".csv"):
        return read_csv(src, required=list(cols.values())).replace("NULL", "")  # 2011-12: cells not collected
    frame = pd.read_excel(src.raw_path, engine="calamine", sheet_name=0, dtype=object)
    frame.columns = [str(c).strip() for c in frame.columns]
    missing = [c for c in cols.values() if c not in frame.columns]
    if missing:
        raise CscError(f"{src.raw_path}: column {missing[0]!r} not found (renamed in this release?)")
    return frame.map(lambda v: "" if pd.isna(v) else str(v))


def s251_la(src, period: str, ref_col: str | None, cols: dict, mapping: pd.DataFrame) -> pd.DataFrame:
    """Every LA's lines, plus an England row summed over LAs (the LA files have none)."""
    frame = read_s251(src, cols)
    if ref_col is not None and ref_col not in frame.columns:
        raise CscError(f"{src.raw_path}: column {ref_col!r} not found (renamed in this release?)")
    cells = pd.DataFrame({"la_code": frame[cols["la"]].str.strip(), "area_name": frame[cols["name"]].str.strip(),
                          "ref": line_refs(frame, ref_col, cols["desc"], src.raw_path)})
    for amount in AMOUNTS:
        cells[amount], cells[f"{amount}_status"] = parse_cells(frame[cols[amount]], src.raw_path, cols[amount],
                                                               NO_SYMBOLS)
    la = lines(cells, mapping[mapping["scheme"] == period], src, period)
    la["geographic_level"], la["area_code"] = "local_authority", ""
    england = (la.groupby(["measure", "breakdown"], as_index=False)["value"].sum(min_count=1)
               .assign(status="", **ENGLAND))
    return finish(pd.concat([la, england], ignore_index=True), src, period, period)


def lines(cells: pd.DataFrame, mapping: pd.DataFrame, src, period: str) -> pd.DataFrame:
    """Harmonised lines, group totals and classes for gross and net, one row per area and breakdown."""
    unknown = ~cells["ref"].isin(mapping["ref"])
    if unknown.any():
        raise CscError(f"{src.raw_path}: line {cells.loc[unknown, 'ref'].iloc[0]!r} is not in "
                       f"csc/tidy/s251_lines.csv for {period}")
    keys = ["la_code", "area_name"]
    merged = cells.merge(mapping[mapping["line"] != ""], on="ref")
    pieces = []
    for amount, (line_measure, class_measure) in AMOUNTS.items():
        by_line = merged.groupby(keys + ["line", "group"], as_index=False)[amount].sum(min_count=1)
        by_group = (by_line[by_line["group"] != ""].groupby(keys + ["group"], as_index=False)[amount]
                    .sum(min_count=1))
        groups = by_group.assign(line=by_group["group"] + "_total")
        wide = by_group.pivot_table(index=keys, columns="group", values=amount, aggfunc="first", dropna=False)
        classes = [pd.DataFrame({"value": wide[members].sum(axis=1, min_count=len(members)), "line": name})
                   .reset_index() for name, members in CLASSES.items() if set(members) <= set(wide.columns)]
        for part, measure, dimension in ((pd.concat([by_line, groups]), line_measure, "line"),
                                         (pd.concat(classes) if classes else None, class_measure, "class")):
            if part is None:
                continue
            part = part.rename(columns={amount: "value"})
            pieces.append(pd.DataFrame({"measure": measure, "la_code": part["la_code"],
                                        "area_name": part["area_name"], "breakdown": dimension + "=" + part["line"],
                                        "value": part["value"].astype(float)}))
    out = pd.concat(pieces, ignore_index=True)
    totals = out[(out["measure"] == "spend.s251_line") & (out["breakdown"] == "line=cyps_total_excl_cera")]
    out = pd.concat([out, totals.assign(measure="spend.cyps_total", breakdown="")], ignore_index=True)
    return out.dropna(subset=["value"]).assign(status="")


def finish(frame: pd.DataFrame, src, period: str, release: str) -> pd.DataFrame:
    return frame.assign(period=period, period_type="financial_year", unit="gbp", release=release,
                        source=src.id)[COLUMNS]


def s251_national(src, mapping: pd.DataFrame) -> pd.DataFrame:
    """The 2021-22 EES national file (£ million) for 2015-16 to 2021-22, in the 3.x.x numbering."""
    allowed = {"x", "low"}
    frame = read_csv(src, required=["time_period", "description_of_expenditure", "total_expenditure",
                                    "net_current_expenditure"])
    cells = pd.DataFrame({"la_code": "", "area_name": "England",
                          "ref": line_refs(frame, None, "description_of_expenditure", src.raw_path)})
    for amount, column in (("gross", "total_expenditure"), ("net", "net_current_expenditure")):
        values, _ = parse_cells(frame[column], src.raw_path, column, allowed | {""})
        cells[amount] = values * 1e6
    pieces = []
    for period, part in cells.groupby(ees_period(frame["time_period"], "financial_year")):
        rows = lines(part, mapping[mapping["scheme"] == "ees"], src, period)
        pieces.append(finish(rows.assign(**ENGLAND), src, period, src.release))
    return pd.concat(pieces, ignore_index=True)


def scaled(frame: pd.DataFrame, factor: float) -> pd.DataFrame:
    return frame.assign(value=frame["value"] * factor)


def highlights(src) -> pd.DataFrame:
    """2019-20 EES highlights: total CYPS gross excl. CERA (`cyps_spend`, £ million) by LA, region, England."""
    frame = read_csv(src, required=["time_period", "geographic_level", "cyps_spend"])
    rows = long_rows(frame, src, {"cyps_spend": ("spend.cyps_total", "gbp")},
                     period=ees_period(frame["time_period"], "financial_year"), period_type="financial_year",
                     geography=ees_geography(frame, src.raw_path), allowed={"", "x", "z", ":", "c"})
    return scaled(rows, 1e6)


def overall_summary(src) -> pd.DataFrame:
    """2020-21 EES overall summary: `la_cyps` (£ billion) is total CYPS gross excl. CERA, national."""
    frame = read_csv(src, required=["time_period", "geographic_level", "Indicator", "la_cyps"])
    frame = frame[frame["Indicator"].str.strip() == "Local authorities"].reset_index(drop=True)
    rows = long_rows(frame, src, {"la_cyps": ("spend.cyps_total", "gbp")},
                     period=ees_period(frame["time_period"], "financial_year"), period_type="financial_year",
                     geography=ees_geography(frame, src.raw_path), allowed={"", ":"})
    return scaled(rows, 1e9)


def ro3_grid(src, sheet: str) -> pd.DataFrame:
    try:
        return pd.read_excel(src.raw_path, engine="calamine", sheet_name=sheet, header=None, dtype=object)
    except ValueError as exc:
        raise CscError(f"{src.raw_path}: sheet {sheet!r} not found ({exc})") from None


def text(cells: pd.DataFrame) -> pd.DataFrame:
    """Cells as text with whitespace (including line breaks inside headers) collapsed; blanks as ''."""
    return cells.map(lambda v: "" if pd.isna(v) else re.sub(r"\s+", " ", str(v)).strip())


def ro3_headers(grid: pd.DataFrame, header: int) -> list[tuple[str, str]]:
    """(service, measure) per column: the service sits above the measure header (older layouts) or before ' - '."""
    service, out = "", []
    for col in range(grid.shape[1]):
        above = [grid.iat[r, col] for r in range(max(header - 3, 0), header)
                 if grid.iat[r, col] and not CODE_CELL.match(grid.iat[r, col])]
        if above:
            service = above[-1]
        measure = re.sub(r"\d+$", "", grid.iat[header, col])
        split = re.match(r"^(.*?) - ((?:Employees|Running|Total|Sales|Other|Net).*)$", measure)
        if split:
            service, measure = split.groups()
        out.append((re.sub(r"\s*\[note \d+\]", "", service).lower(), measure.lower()))
    return out


def ro3(src, sheet: str) -> pd.DataFrame:
    """Children's social care gross/net and CLA gross (£ thousand) for upper-tier LAs and England."""
    grid = ro3_grid(src, sheet)
    top = text(grid.iloc[:40])
    first = top.apply(lambda col: col.str.lower() == "class")
    header = next((r for r in range(len(first)) if first.iloc[r].any()), None)
    if header is None:
        raise CscError(f"{src.raw_path}: no header row with a 'Class' column in sheet {sheet!r}")
    class_col = int(np.flatnonzero(first.iloc[header])[0])
    names = ro3_headers(top, header)
    body = text(grid.iloc[header + 1:, :class_col + 1])
    england_at = body.index[body[2].str.upper() == "ENGLAND"]
    if not len(england_at):
        raise CscError(f"{src.raw_path}: no ENGLAND row in sheet {sheet!r}")
    body = body.loc[:england_at[0]]
    body = body[body[class_col].isin(RO3_UPPER_TIER) | (body.index == england_at[0])]
    rows = body.index
    body = body.reset_index(drop=True)
    is_england = body[2].str.upper() == "ENGLAND"
    geography = pd.DataFrame({"geographic_level": np.where(is_england, "national", "local_authority"),
                              "area_code": np.where(is_england, "E92000001", body[1]), "la_code": "",
                              "area_name": np.where(is_england, "England", body[2])})
    measures = {}
    for measure, service, column in RO3_COLUMNS:
        hits = [i for i, (svc, head) in enumerate(names) if svc == service and head.startswith(column)]
        if len(hits) != 1:
            raise CscError(f"{src.raw_path}: sheet {sheet!r} has {len(hits)} columns headed {column!r} under "
                           f"{service!r} (layout changed?)")
        measures[hits[0]] = (measure, "gbp")
    cells = text(grid.loc[rows, list(measures)]).reset_index(drop=True).replace(RO3_SYMBOLS)
    cells.columns = [f"{names[c][0]}: {names[c][1]}" for c in measures]
    rows = long_rows(cells, src, dict(zip(cells.columns, measures.values())),
                     period=pd.Series(src.release, index=cells.index), period_type="financial_year",
                     geography=geography, allowed={"", "x", ".."})
    return scaled(rows, 1e3)

