"""Children's social work workforce census (CSWW), 30 September snapshots and flows to 30 September, 2017-2025.

Four vintages of the headline indicators are kept (2022 headline-measures file, 2023, 2024 and 2025 indicators files):
leavers and turnover were revised downwards between them (data-notes §3.4), so each release keeps its own rows.
"""
from __future__ import annotations

import pandas as pd

from ..readers import read_csv
from . import ees_geography, ees_period, long_rows, source

SYMBOLS = {"", "x", "z", "c", "u", "low"}  # "" is the status of a numeric cell
STOCK, FLOW = "at_30_september", "year_to_30_september"

# measure -> (unit, period type)
MEASURES = {
    "wf.fte": ("fte", STOCK),
    "wf.headcount": ("count", STOCK),
    "wf.starters_fte": ("fte", FLOW),
    "wf.starters_headcount": ("count", FLOW),
    "wf.leavers_fte": ("fte", FLOW),
    "wf.leavers_headcount": ("count", FLOW),
    "wf.turnover_rate": ("percent", FLOW),
    "wf.turnover_rate_headcount": ("percent", FLOW),
    "wf.agency_fte": ("fte", STOCK),
    "wf.agency_headcount": ("count", STOCK),
    "wf.agency_rate": ("percent", STOCK),
    "wf.agency_rate_headcount": ("percent", STOCK),
    "wf.agency_cover_fte": ("fte", STOCK),
    "wf.agency_cover_rate": ("percent", STOCK),
    "wf.vacancy_fte": ("fte", STOCK),
    "wf.vacancy_rate": ("percent", STOCK),
    "wf.case_holders_fte": ("fte", STOCK),
    "wf.cases": ("count", STOCK),
    "wf.caseload": ("ratio", STOCK),
    "wf.working_days_lost": ("days", FLOW),
    "wf.absence_rate": ("percent", FLOW),
}

# Column names per file layout, explicitly (data-notes §3.4 item 3).
INDICATORS = {
    "inpost_fte": "wf.fte", "inpost_headcount": "wf.headcount",
    "starters_fte": "wf.starters_fte", "starters_headcount": "wf.starters_headcount",
    "leavers_fte": "wf.leavers_fte", "leavers_headcount": "wf.leavers_headcount",
    "turnover_rate_fte": "wf.turnover_rate", "turnover_rate_headcount": "wf.turnover_rate_headcount",
    "agency_fte": "wf.agency_fte", "agency_headcount": "wf.agency_headcount",
    "agency_rate_fte": "wf.agency_rate", "agency_rate_headcount": "wf.agency_rate_headcount",
    "agency_cover_fte": "wf.agency_cover_fte", "agency_cover_rate_fte": "wf.agency_cover_rate",
    "vacancy_fte": "wf.vacancy_fte", "vacancy_rate_fte": "wf.vacancy_rate",
    "case_holders_fte": "wf.case_holders_fte", "cases": "wf.cases", "caseload_fte": "wf.caseload",
    "working_days_lost_fte": "wf.working_days_lost", "absence_rate_fte": "wf.absence_rate",
}
HEADLINE_2022 = {
    "social_worker_fte": "wf.fte", "social_worker_headcount": "wf.headcount",
    "leaver_fte": "wf.leavers_fte", "leaver_headcount": "wf.leavers_headcount",
    "turnover_rate_fte_%": "wf.turnover_rate", "turnover_rate_headcount_%": "wf.turnover_rate_headcount",
    "agency_fte": "wf.agency_fte", "agency_headcount": "wf.agency_headcount",
    "agency_worker_rate_fte_%": "wf.agency_rate", "agency_worker_rate_headcount_%": "wf.agency_rate_headcount",
    "agency_cover_fte": "wf.agency_cover_fte", "agency_cover_rate_fte_%": "wf.agency_cover_rate",
    "vacancy_fte": "wf.vacancy_fte", "vacancy_rate_fte_%": "wf.vacancy_rate",
    "case_holders_fte": "wf.case_holders_fte", "cases": "wf.cases", "caseload_fte": "wf.caseload",
    "working_days_lost_fte": "wf.working_days_lost", "absence_rate_fte_%": "wf.absence_rate",
}
# The 2023 release has the indicators layout, but its agency-cover share is left out: it publishes Suffolk's Sept 2020
# share as 111.8% (more agency FTE covering vacancies than agency FTE), a figure the 2024 and 2025 releases withdrew
# as `u` (low reliability). The cover FTE itself is kept, so the share can be derived.
INDICATORS_2023 = {column: m for column, m in INDICATORS.items() if column != "agency_cover_rate_fte"}
HEADLINE_FILES = {
    "workforce/csww_indicators_2017_to_2025.csv": INDICATORS,
    "workforce/csww_2023/csww_indicators_2017_to_2023.csv": INDICATORS_2023,
    "workforce/csww_indicators_2017_to_2024.csv": INDICATORS,
    "workforce/csww_headline_measures_2017_to_2022.csv": HEADLINE_2022,
}
ROLE_ETHNICITY = "workforce/csww_workforce_role_by_ethnicity_2019_to_2022.csv"
ETHNICITY_COLUMNS = {"known_headcount": "All known", "white": "White", "mixed": "Mixed", "asian": "Asian",
                     "black": "Black", "other": "Other"}
ETHNICITY_SHARES = {"white_perc": "White", "mixed_perc": "Mixed", "asian_perc": "Asian", "black_perc": "Black",
                    "other_perc": "Other"}

# Joint returns (data-notes §1.6). The indicators files publish them as "314 / 318" with both GSS codes; the 2022
# files publish the same figures under the lead LA's code and mark the partner `z` (checked: identical values).
JOINT_LEADS = {"314": "E09000021+E09000027", "940": "E06000061+E06000062"}


def geography(frame: pd.DataFrame, path) -> pd.DataFrame:
    """EES geography with joint returns under one combined GSS code, DfE code as published."""
    geo = ees_geography(frame, path)
    is_la = geo["geographic_level"] == "local_authority"
    geo["area_code"] = geo["area_code"].where(~is_la, geo["area_code"].str.replace(" / ", "+", regex=False))
    lead = is_la & geo["la_code"].isin(list(JOINT_LEADS))
    geo.loc[lead, "area_code"] = geo.loc[lead, "la_code"].map(JOINT_LEADS)
    return geo


def headline(manifest, path: str, columns: dict[str, str]) -> pd.DataFrame:
    src = source(manifest, path)
    frame = read_csv(src, required=["time_period", "geographic_level", *columns])
    geo = geography(frame, src.raw_path)
    pieces = []
    for period_type in (STOCK, FLOW):
        wanted = {col: (m, MEASURES[m][0]) for col, m in columns.items() if MEASURES[m][1] == period_type}
        pieces.append(long_rows(frame, src, wanted, period=ees_period(frame["time_period"], period_type),
                                period_type=period_type, geography=geo, allowed=SYMBOLS))
    return pd.concat(pieces, ignore_index=True)


def role_by_ethnicity(manifest) -> pd.DataFrame:
    """Headcount with known ethnicity by organisational role; unknown ethnicity is excluded from every cell."""
    src = source(manifest, ROLE_ETHNICITY)
    frame = read_csv(src, required=["time_period", "geographic_level", "OrgRole", *ETHNICITY_COLUMNS,
                                    *ETHNICITY_SHARES])
    geo = geography(frame, src.raw_path)
    period = ees_period(frame["time_period"], STOCK)
    role = "role=" + frame["OrgRole"].str.strip() + "; ethnicity="
    pieces = []
    for measures, unit, name in ((ETHNICITY_COLUMNS, "count", "wf.headcount_by_role_ethnicity"),
                                 (ETHNICITY_SHARES, "percent", "wf.share_by_role_ethnicity")):
        for column, ethnicity in measures.items():
            pieces.append(long_rows(frame, src, {column: (name, unit)}, period=period, period_type=STOCK,
                                    geography=geo, allowed=SYMBOLS, breakdown=role + ethnicity))
    return pd.concat(pieces, ignore_index=True)


def build(manifest, lookup) -> pd.DataFrame:
    pieces = [headline(manifest, path, columns) for path, columns in HEADLINE_FILES.items()]
    pieces.append(role_by_ethnicity(manifest))
    return pd.concat(pieces, ignore_index=True)
