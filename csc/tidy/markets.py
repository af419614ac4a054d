"""Markets: Ofsted children's social care providers and places, and fostering capacity by sector (data-notes §6).

Totals come from Ofsted's national time series (2023 ODS, tables 6a/6b). The provider-level lists give sector,
LA and owner splits, but several years' CSV extracts list fewer providers than Ofsted's published totals (§6.2), so
they are kept as separate measures meant for shares. For 31 March 2022 and 2023 the lists are read from Ofsted's
workbooks themselves (their full providers-and-places sheets), not from the CSV extracts (2023's is short), and a
list read from a workbook must reconcile with Ofsted's published totals (Tables 6a/6b). The hand-collected market figures (CMA, Ofsted transparency data, LGA
research quoted on web pages) are not official statistics; each is kept under the date it was published.
"""
from __future__ import annotations

import io
import re
import zipfile
import xml.etree.ElementTree as ET
from datetime import datetime

import pandas as pd

from ..errors import CscError
from ..geography import ENGLAND
from ..readers import parse_cells, read_text
from . import hand_collected_rows, source
from .schema import COLUMNS

ODS = "markets/Childrens_social_care_in_England_2023_underlying_data.ods"
TIME_SERIES_SHEET = "Providers+places_Time_series"
TIME_SERIES_TABLES = {"Table 6a": ("mk.providers", "mk.childrens_homes"),
                      "Table 6b": ("mk.places", "mk.childrens_homes_places")}
# Ofsted's column headings -> provision labels shared with the provider lists; "All" is the total ("").
ODS_PROVISION = {
    "All Children's Homes": "All children's homes",
    "Children's Homes": "Children's home",
    "Secure Children's Homes": "Secure children's home",
    "Residential special school (registered as a children's home)":
        "Residential special school (registered as a children's home)",
    "Residential Special Schools": "Residential special school",
    "Residential Family Centres": "Residential family centre",
    "Boarding Schools": "Boarding school",
    "Further Education Colleges with Residential Accommodation":
        "Further education college with residential accommodation",
    "Secure Training Centres": "Secure training centre",
    "Adoption Support Agencies": "Adoption support agency",
    "Voluntary Adoption Agency Branches": "Voluntary adoption agency",
    "Independent Fostering Agencies": "Independent fostering agency",
    "Residential Holiday Schemes for Disabled Children": "Residential holiday scheme for disabled children",
    "All": "",
}
CHILDRENS_HOME = "Children's home"
ODS_DATE = re.compile(r"^31-Mar-(\d{2})\b")

# Provider lists: one per snapshot. Column names as each file has them (None = not in that file). 2018 has two
# files; only part 2 (the full providers-and-places list) is read: part 1 is the inspected-provider subset.
LISTS = "markets/ofsted_providers_at_31_march/"
STANDARD = {"provision": "Provision type", "la": "Local authority", "sector": "Sector", "places": "Places",
            "owner": "Organisation which owns the provider"}
PROVIDER_LISTS = {
    "providers_at_sept_14.csv": ("2014", {"provision": "Provision Type", "la": "LA",
                                          "places": "Max/Estimated Places", "owner": None}),
    "provider_at_march_2015.csv": ("2015", {"places": None, "owner": None}),
    "provider_at_march_2016.csv": ("2016", {"owner": None}),
    "provider_at_march_2017.csv": ("2017", {"owner": None}),
    "provider_at_march_2018_part2.csv": ("2018", {"owner": "Organisation name"}),
    **{f"provider_at_march_{year}.csv": (str(year), {}) for year in (2019, 2020, 2021, 2024, 2025)},
}
# 31 March 2022 and 2023 are read from Ofsted's workbooks, each's full providers-and-places sheet: the 2023 CSV
# extract is the inspected-provider sheet (2,821 children's homes against 3,050 published); the 2022 extract
# happens to be complete (2,798), and the workbook it came from is the publication itself.
ODS_2022 = "markets/ofsted_csc_data_2022/Childrens_social_care_in_England_2022_underlying_data.ods"
WORKBOOK_LISTS = {ODS_2022: ("2022", "Providers+places_at_31_Mar_2022", {"owner": "Organisation name"}),
                  ODS: ("2023", "Providers+places_at_31_Mar_2023", {"owner": "Organisation name"})}
SEPTEMBER_LIST = "providers_at_sept_14.csv"
# Provider-list provision types (case-folded) -> the labels used in the ODS time series above.
PROVISION = {
    "children's home": "Children's home",
    "secure children's home": "Secure children's home",
    "residential special school (>295 days/year)": "Residential special school (registered as a children's home)",
    "residential special school (registered as a children's home)":
        "Residential special school (registered as a children's home)",
    "residential special school": "Residential special school",
    "residential family centre": "Residential family centre",
    "boarding school": "Boarding school",
    "further education college": "Further education college with residential accommodation",
    "further education college with residential accommodation":
        "Further education college with residential accommodation",
    "secure training centre": "Secure training centre",
    "adoption support agency": "Adoption support agency",
    "voluntary adoption agency": "Voluntary adoption agency",
    "independent fostering agency": "Independent fostering agency",
    "residential holiday scheme for disabled children": "Residential holiday scheme for disabled children",
    "supported accommodation": "Supported accommodation",
}
SECTOR = {"local authority": "Local authority", "private": "Private", "voluntary": "Voluntary",
          "health authority": "Health authority", "academy": "Academy"}
PRIVATE = "Private"
# LA names in Ofsted and fostering files -> names in the DfE LA list (after "&" -> "and", compared case-folded).
LA_ALIASES = {
    "st helens": "St. Helens", "herefordshire": "Herefordshire, County of", "bristol": "Bristol, City of",
    "bristol city": "Bristol, City of", "kingston upon hull": "Kingston upon Hull, City of",
    "southend on sea": "Southend-on-Sea", "bournemouth, christchurch and poole": "Bournemouth, Christchurch and Poole",
    "stoke on trent": "Stoke-on-Trent", "nottingham city": "Nottingham", "newcastle": "Newcastle upon Tyne",
    "derby, city of": "Derby", "bedford borough": "Bedford", "leicester city": "Leicester",
    "west berkshire (newbury)": "West Berkshire", "stockton on tees": "Stockton-on-Tees",
    "blackburn": "Blackburn with Darwen", "medway towns": "Medway",
    "bath and ne somerset": "Bath and North East Somerset", "durham": "County Durham",
}
WALES = {"cardiff", "conwy", "newport", "wrexham"}
LARGEST_OWNERS = (10, 15)

# Joiners and leavers: providers registered, and providers that resigned, closed or were cancelled, in the year to
# 31 March of the file's year ('joiners_leavers_22.csv' = April 2021 to March 2022). One row per provider.
JOINERS_LEAVERS = {f"markets/ofsted_joiners_leavers/joiners_leavers_{yy}.csv": str(2000 + yy) for yy in range(17, 24)}
JOINERS_COLUMNS = {"provision": "Provision type", "la": "Local authority", "sector": "Sector",
                   "joiner": "Joiner status", "leaver": "Leaver status"}
FLOWS = {"joiner": ("Joiner", "mk.joiners"), "leaver": ("Leaver", "mk.leavers")}

HAND_COLLECTED = "markets/hand_collected_market_figures.csv"
# figure_id -> (measure, period, breakdown, published, scale). Not official statistics: each row is a figure quoted
# on a public web page, kept under the month it was published ('2021-10'), so a check can tell what the review (June
# 2021) could have seen. Shares given as fractions (0.4) are scaled to per cent.
HAND_FIGURES = {
    "cma_interim_ch_avg_weekly_price_largest": ("mk.cma_average_weekly_price", "2020", f"provision={CHILDRENS_HOME}",
                                                "2021-10", 1),
    "cma_interim_ifa_avg_weekly_price": ("mk.cma_average_weekly_price", "2020", "provision=Independent fostering agency",
                                         "2021-10", 1),
    "cma_interim_ch_operating_margin_largest": ("mk.cma_operating_margin", "2020", f"provision={CHILDRENS_HOME}",
                                                "2021-10", 1),
    "cma_interim_ifa_operating_margin": ("mk.cma_operating_margin", "2020", "provision=Independent fostering agency",
                                         "2021-10", 1),
    "cma_interim_largest15_revenue_fy2020": ("mk.cma_largest_providers_revenue", "2020", "owners=largest 15",
                                             "2021-10", 1e6),
    "cma_interim_unregulated_under16_2018_19": ("mk.unregulated_under16", "2019", "", "2021-10", 1),
    "cma_interim_pe_owned_top10_ch_providers": ("mk.private_equity_owned_largest", "2021", "owners=largest 10",
                                                "2021-10", 1),
    "ofsted_top10_private_owners_share_homes_places_2022": ("mk.ofsted_largest_owners_share", "2022",
                                                            "owners=largest 10; of=all homes", "2022-03", 1),
    "ofsted_21_largest_share_private_homes_2022": ("mk.ofsted_largest_owners_share", "2022",
                                                   "owners=largest 21; of=private homes", "2022-03", 1),
    "ofsted_21_largest_share_all_homes_2022": ("mk.ofsted_largest_owners_share", "2022",
                                               "owners=largest 21; of=all homes", "2022-03", 1),
    "lga_independent_share_foster_placements": ("mk.lga_independent_share_placements", "2020",
                                                "placement=Foster placements", "2020-12", 100),
    "lga_independent_share_ch_placements": ("mk.lga_independent_share_placements", "2020",
                                            "placement=Children's homes", "2020-12", 100),
    "lga_la_spend_independent_placements": ("mk.lga_spend_independent_placements", "2019-20", "", "2020-12", 1e9),
}
# Figures in the file the book does not use (approximate coverage notes, single-company counts, press summaries).
HAND_SKIPPED = {"cma_interim_largest15_share_ch_placements", "cma_interim_largest15_share_ifa_placements",
                "cma_interim_home_level_dataset_homes", "cma_final_market_size_uk",
                "ofsted_21_largest_companies_homes_2022", "ofsted_caretech_share_private_homes_2022",
                "ofsted_single_private_homes_2022", "ofsted_single_private_ifas_2022", "ofsted_7_largest_ifa_places_2022",
                "ofsted_private_ifa_places_2022", "ofsted_outcomes_first_ifa_places_2022"}
HAND_UNITS = {"mk.cma_average_weekly_price": ("gbp", "fixed"), "mk.cma_operating_margin": ("percent", "fixed"),
              "mk.cma_largest_providers_revenue": ("gbp", "fixed"), "mk.unregulated_under16": ("count", "year_to_31_march"),
              "mk.private_equity_owned_largest": ("count", "fixed"),
              "mk.ofsted_largest_owners_share": ("percent", "at_31_march"),
              "mk.lga_independent_share_placements": ("percent", "fixed"),
              "mk.lga_spend_independent_placements": ("gbp", "financial_year")}

FOSTERING_WORKBOOK = "markets/fostering/Fostering_in_England_2017-18_dataset.xlsx"
FOSTERING_TREND_SHEET = "Trend Data 2012-18"
FOSTERING_LA_2019 = "markets/fostering/Local_authority_level_fostering_data_2018_to_2019.csv"
# Row label (column C of the trend sheet, row 3 of the 2018-19 export) -> measure.
FOSTERING_ROWS = {
    "Number of children/young people in placements (at 31 March)": "mk.fostered_children",
    "Total approved carers": "mk.foster_carers",
    "Total approved households": "mk.fostering_households",
    "Number of approved foster places": "mk.fostering_places",
    "Number of filled places": "mk.fostering_places_filled",
    "Number of vacant places": "mk.fostering_places_vacant",
}
# Trend sheet column blocks, headed in row 1.
FOSTERING_SECTORS = {"England": "", "Local Authority Fostering Agencies": "sector=Local authority",
                     "Independent Fostering Agencies": "sector=Independent fostering agency"}
FOSTERING_SYMBOLS = {"", ".."}
# A joint fostering service of Hammersmith and Fulham, Kensington and Chelsea and Westminster: no area code exists.
TRI_BOROUGH = "London Tri-borough"


def build(manifest, lookup: pd.DataFrame) -> pd.DataFrame:
    areas = AreaNames(lookup)
    totals = time_series(manifest)
    lists = provider_lists(manifest, areas)
    reconcile(lists, totals, {source(manifest, path).id for path in WORKBOOK_LISTS})
    return pd.concat([totals, lists, joiners_leavers(manifest, areas), fostering_trend(manifest),
                      fostering_la_2019(manifest, areas), hand_collected(manifest)], ignore_index=True)[COLUMNS]


def reconcile(lists: pd.DataFrame, totals: pd.DataFrame, workbook: set[str]) -> None:
    """A provider list read from a workbook must hold exactly the children's homes and places of Ofsted's published
    national table (CSV extracts may be subsets: the catalogue says which years)."""
    pairs = {"mk.providers_by_sector": "mk.childrens_homes", "mk.places_by_sector": "mk.childrens_homes_places"}
    for listed, published in pairs.items():
        rows = lists[(lists["measure"] == listed) & (lists["geographic_level"] == "national")
                     & (lists["breakdown"] == f"provision={CHILDRENS_HOME}") & lists["source"].isin(workbook)]
        for row in rows.itertuples():
            total = totals[(totals["measure"] == published) & (totals["period"] == row.period)]["value"]
            if len(total) != 1 or total.iloc[0] != row.value:
                raise CscError(f"{row.source}: the {row.period} provider list has {row.value:,.0f} for {published}, "
                               f"but the workbook's national table has "
                               f"{', '.join(f'{v:,.0f}' for v in total) or 'none'}")


# --- Ofsted national time series (2023 ODS) -------------------------------------------------------------------

def time_series(manifest) -> pd.DataFrame:
    """Tables 6a (providers) and 6b (places) by provision type at 31 March 2012-2023, located by their titles."""
    src = source(manifest, ODS)
    if not src.raw_path.is_file():
        raise CscError(f"{src.raw_path}: missing; run `make data` (manifest entry {src.id})")
    try:
        sheet = pd.read_excel(src.raw_path, sheet_name=TIME_SERIES_SHEET, engine="calamine", header=None)
    except ValueError as exc:
        raise CscError(f"{src.raw_path}: cannot read sheet {TIME_SERIES_SHEET!r} ({exc})") from None
    first = sheet[0].map(lambda v: "" if pd.isna(v) else str(v).strip())
    pieces = []
    for title, (measure, homes_measure) in TIME_SERIES_TABLES.items():
        starts = first.index[first.str.startswith(title)]
        if len(starts) != 1 or first.get(starts[0] + 1) != "Date":
            raise CscError(f"{src.raw_path}: sheet {TIME_SERIES_SHEET!r} has no {title!r} followed by a 'Date' "
                           f"header row (layout changed?)")
        header = starts[0] + 1
        end = header + 1
        while end < len(sheet) and first[end]:
            end += 1
        table = sheet.iloc[header + 1:end]
        periods = table[0].map(lambda cell: _ods_year(cell, src.raw_path))
        for col in sheet.columns[2:]:
            heading = sheet.at[header, col]
            if pd.isna(heading):
                continue
            heading = str(heading).strip()
            if heading not in ODS_PROVISION:
                raise CscError(f"{src.raw_path}: table {title} has unknown column {heading!r}")
            cells = table[col].map(lambda v: "" if pd.isna(v) else str(v).strip())
            values, status = parse_cells(cells, src.raw_path, f"{title} {heading}", {"", "-"})
            label = ODS_PROVISION[heading]
            breakdown = f"provision={label}" if label else ""
            pieces.append(_national(measure, periods, "at_31_march", breakdown, values, status, src))
            if label == CHILDRENS_HOME:
                pieces.append(_national(homes_measure, periods, "at_31_march", "", values, status, src))
    return pd.concat(pieces, ignore_index=True)


def _ods_year(cell, path) -> str:
    """Dates are real dates except three typed as text ('31-Mar-15 [Note 3]')."""
    if isinstance(cell, (datetime, pd.Timestamp)) and (cell.month, cell.day) == (3, 31):
        return str(cell.year)
    match = ODS_DATE.match(str(cell).strip())
    if not match:
        raise CscError(f"{path}: column 'Date' has value {cell!r}, expected 31 March of a year")
    return str(2000 + int(match.group(1)))


def _national(measure, periods, period_type, breakdown, values, status, src, unit="count") -> pd.DataFrame:
    return pd.DataFrame({"measure": measure, "period": list(periods), "period_type": period_type,
                         "geographic_level": "national", "area_code": ENGLAND, "la_code": "", "area_name": "England",
                         "breakdown": breakdown, "value": list(values), "status": list(status), "unit": unit,
                         "release": src.release, "source": src.id})


# --- Provider-level lists ---------------------------------------------------------------------------------------

class AreaNames:
    """Resolves LA names as Ofsted writes them to the DfE LA list, choosing the authority in force at the date."""

    def __init__(self, lookup: pd.DataFrame):
        las = lookup[(lookup["geographic_level"] == "local_authority") & lookup["area_code"].str.match(r"^E\d{8}$")]
        regions = lookup[lookup["geographic_level"] == "regional"]
        self.region_names = regions.set_index("area_code")["area_name"].to_dict()
        self.by_name: dict[str, list[tuple]] = {}
        for la in las.itertuples(index=False):
            self.by_name.setdefault(la.area_name.casefold(), []).append(
                (la.area_code, la.la_code, la.area_name, la.region_code, self.region_names.get(la.region_code, ""),
                 la.first_year, la.last_year))

    def resolve(self, names: pd.Series, year: int, path, column: str) -> pd.DataFrame:
        """area_code, la_code, area_name, region_code, region_name per name; Welsh LAs get an empty code."""
        rows = {}
        for name in names.unique():
            key = " ".join(name.replace(" & ", " and ").split()).casefold()
            if key in WALES:
                rows[name] = ("", "", name, "", "")
                continue
            matches = self.by_name.get(LA_ALIASES.get(key, key).casefold(), [])
            if len(matches) > 1:  # Dorset county to March 2019, Dorset UA after: the one in force at 31 March
                matches = [m for m in matches if m[5] < year <= m[6]]
            if len(matches) != 1:
                raise CscError(f"{path}: column {column!r} has unknown local authority {name!r}")
            rows[name] = matches[0][:5]
        table = pd.DataFrame.from_dict(rows, orient="index",
                                       columns=["area_code", "la_code", "area_name", "region_code", "region_name"])
        return table.loc[names.values].reset_index(drop=True)


def read_provider_list(src, columns: dict[str, str | None], sheet: str | None = None) -> pd.DataFrame:
    """A provider list (a CSV, or a workbook sheet) with its 0-4 preamble rows skipped; one row per provider,
    labels harmonised."""
    raw = (pd.read_csv(io.StringIO(read_text(src)), header=None, dtype=str, keep_default_na=False) if sheet is None
           else workbook_sheet(src, sheet))
    first = raw[0].str.strip()
    starts = first.index[first.isin(["Web link", "URN"])]
    if not len(starts) or starts[0] > 6:
        raise CscError(f"{src.raw_path}: no header row starting 'Web link' or 'URN' in the first rows")
    frame = raw.iloc[starts[0] + 1:].copy()
    frame.columns = [str(c).strip() for c in raw.iloc[starts[0]]]
    frame = frame[(frame != "").any(axis=1)].reset_index(drop=True)
    wanted = {role: name for role, name in columns.items() if name}
    missing = [name for name in wanted.values() if name not in frame.columns]
    if missing:
        raise CscError(f"{src.raw_path}: column {missing[0]!r} not found (renamed in this release?)")
    out = pd.DataFrame({role: frame[name].str.strip() for role, name in wanted.items()})
    for role, labels in (("provision", PROVISION), ("sector", SECTOR)):
        harmonised = out[role].str.casefold().map(labels)
        if harmonised.isna().any():
            raise CscError(f"{src.raw_path}: column {wanted[role]!r} has unknown value "
                           f"{out.loc[harmonised.isna(), role].iloc[0]!r}")
        out[role] = harmonised
    if "places" in out:
        out["places"] = parse_cells(out["places"], src.raw_path, wanted["places"], {""})[0]
    return out


def workbook_sheet(src, sheet: str) -> pd.DataFrame:
    """One ODS sheet as text cells (numbers without a trailing '.0'), like a CSV read with dtype=str."""
    if not src.raw_path.is_file():
        raise CscError(f"{src.raw_path}: missing; run `make data` (manifest entry {src.id})")
    try:
        cells = pd.read_excel(src.raw_path, sheet_name=sheet, engine="calamine", header=None, dtype=object)
    except ValueError as exc:
        raise CscError(f"{src.raw_path}: cannot read sheet {sheet!r} ({exc})") from None

    def text(cell) -> str:
        if cell is None or (isinstance(cell, float) and pd.isna(cell)):
            return ""
        if isinstance(cell, float) and cell.is_integer():
            return str(int(cell))
        return str(cell)
    return cells.map(text)


def provider_lists(manifest, areas: AreaNames) -> pd.DataFrame:
    csvs = [provider_counts(source(manifest, LISTS + name), period, {**STANDARD, **overrides}, areas,
                            september=name == SEPTEMBER_LIST)
            for name, (period, overrides) in PROVIDER_LISTS.items()]
    sheets = [provider_counts(source(manifest, path), period, {**STANDARD, **overrides}, areas, sheet=sheet)
              for path, (period, sheet, overrides) in WORKBOOK_LISTS.items()]
    return pd.concat(csvs + sheets, ignore_index=True)


def provider_counts(src, period: str, columns: dict[str, str | None], areas: AreaNames,
                    september: bool = False, sheet: str | None = None) -> pd.DataFrame:
    """One provider list -> providers and places by provision and sector, and owner concentration."""
    providers = read_provider_list(src, columns, sheet)
    year = int(period) + 1 if september else int(period)  # 30 Sept 2014: authorities of 2014-15
    where = areas.resolve(providers["la"], year, src.raw_path, columns["la"])
    providers = pd.concat([providers.reset_index(drop=True), where], axis=1)
    suffix, period_type = ("_at_september", "at_30_september") if september else ("", "at_31_march")
    pieces = [_aggregate(providers, f"mk.providers_by_sector{suffix}", None, period, period_type, src)]
    if "places" in providers:
        pieces.append(_aggregate(providers, f"mk.places_by_sector{suffix}", "places", period, period_type, src))
    if "owner" in providers:
        pieces.append(_owner_shares(providers, period, src))
    return pd.concat(pieces, ignore_index=True)


def _aggregate(providers: pd.DataFrame, measure: str, places: str | None, period: str, period_type: str,
               src) -> pd.DataFrame:
    """Counts (or summed places) by provision and sector, by provision, and in total, at three levels.

    Places are summed only for provision types that report them; rows absent from a level mean zero providers.
    """
    frame = providers.copy()
    if places:
        frame = frame[frame["provision"].isin(frame.loc[frame[places].notna(), "provision"].unique())]
    frame["value"] = frame[places] if places else 1.0
    keys = ["area_code", "la_code", "area_name", "region_code", "region_name", "provision", "sector"]
    frame = frame.groupby(keys)["value"].sum(min_count=1).reset_index()  # small: later sums roll this up
    english = frame[frame["area_code"] != ""]
    levels = {
        "national": frame.assign(area_code=ENGLAND, la_code="", area_name="England"),
        "regional": english.assign(area_code=english["region_code"], la_code="", area_name=english["region_name"]),
        "local_authority": english,
    }
    groupings = [["provision", "sector"], ["provision"]] + ([] if places else [[]])
    pieces = []
    for level, part in levels.items():
        for dims in groupings:
            sums = part.groupby(["area_code", "la_code", "area_name", *dims])["value"].sum(min_count=1).reset_index()
            sums["breakdown"] = ""
            for dim in dims:
                label = f"{dim}=" + sums[dim]
                sums["breakdown"] = label.where(sums["breakdown"] == "", sums["breakdown"] + "; " + label)
            sums["geographic_level"] = level
            pieces.append(sums)
    out = pd.concat(pieces, ignore_index=True)
    return out.assign(measure=measure, period=period, period_type=period_type, status="", unit="count",
                      release=src.release, source=src.id)[COLUMNS]


def _owner_shares(providers: pd.DataFrame, period: str, src) -> pd.DataFrame:
    """Share of private children's home places held by the largest owning organisations, as named in the list."""
    homes = providers[(providers["provision"] == CHILDRENS_HOME) & (providers["sector"] == PRIVATE)]
    owner = homes["owner"].str.split().str.join(" ").str.casefold()
    by_owner = homes["places"].groupby(owner[owner != ""]).sum().sort_values(ascending=False)
    total = homes["places"].sum()
    shares = [100.0 * by_owner.iloc[:n].sum() / total for n in LARGEST_OWNERS]
    return _national("mk.childrens_homes_largest_owners_share", [period] * len(shares), "at_31_march",
                     [f"owners=largest {n}" for n in LARGEST_OWNERS], shares, [""] * len(shares), src,
                     unit="percent")


# --- Joiners and leavers ----------------------------------------------------------------------------------------

def joiners_leavers(manifest, areas: AreaNames) -> pd.DataFrame:
    return pd.concat([flows(source(manifest, path), period, areas) for path, period in JOINERS_LEAVERS.items()],
                     ignore_index=True)


def flows(src, period: str, areas: AreaNames) -> pd.DataFrame:
    """Providers that joined or left Ofsted's register in the year, by provision and sector, at three levels."""
    providers = read_provider_list(src, JOINERS_COLUMNS)
    for role, (flag, _) in FLOWS.items():
        bad = providers.loc[~providers[role].isin(["", flag]), role]
        if len(bad):
            raise CscError(f"{src.raw_path}: column {JOINERS_COLUMNS[role]!r} has unknown value {bad.iloc[0]!r}")
    # A few agencies in the 2018 list have no local authority: they count for England only, as Welsh ones do.
    providers = providers.reset_index(drop=True)
    located = providers["la"] != ""
    where = pd.DataFrame("", index=providers.index,
                         columns=["area_code", "la_code", "area_name", "region_code", "region_name"])
    where.loc[located] = areas.resolve(providers.loc[located, "la"], int(period), src.raw_path,
                                       JOINERS_COLUMNS["la"]).set_index(providers.index[located])
    providers = pd.concat([providers, where], axis=1)
    return pd.concat([_aggregate(providers[providers[role] == flag], measure, None, period, "year_to_31_march", src)
                      for role, (flag, measure) in FLOWS.items()], ignore_index=True)


# --- Hand-collected market figures (not official statistics) ---------------------------------------------------

def hand_collected(manifest) -> pd.DataFrame:
    """The CMA's, Ofsted's transparency and the LGA's published figures, each under the month it was published."""
    return hand_collected_rows(manifest, HAND_COLLECTED, HAND_FIGURES, HAND_SKIPPED, HAND_UNITS)


# --- Fostering ------------------------------------------------------------------------------------------------

def fostering_trend(manifest) -> pd.DataFrame:
    """National fostering capacity 2012-13 to 2017-18, all agencies and LA vs IFA, from the trend sheet."""
    src = source(manifest, FOSTERING_WORKBOOK)
    cells = xlsx_sheet(src, FOSTERING_TREND_SHEET)
    blocks = {col: FOSTERING_SECTORS[text.strip()] for col, text in cells.get(1, {}).items()
              if text.strip() in FOSTERING_SECTORS}
    if set(blocks.values()) != set(FOSTERING_SECTORS.values()):
        raise CscError(f"{src.raw_path}: sheet {FOSTERING_TREND_SHEET!r} row 1 lacks the England / LA / IFA "
                       f"headings (layout changed?)")
    years = {col: text.strip() for col, text in cells.get(2, {}).items() if re.match(r"^\d{4}-\d{2}$", text.strip())}
    found = {}
    for row, values in cells.items():
        label = " ".join(values.get("C", "").split())
        if label in FOSTERING_ROWS:
            found.setdefault(label, row)
    missing = [label for label in FOSTERING_ROWS if label not in found]
    if missing:
        raise CscError(f"{src.raw_path}: sheet {FOSTERING_TREND_SHEET!r} column C has no row {missing[0]!r}")
    starts = sorted(blocks, key=_col_index)
    rows = []
    for label, row in found.items():
        for col, year in years.items():
            block = [s for s in starts if _col_index(s) <= _col_index(col)][-1]
            period = str(int(year[:4]) + 1)  # 2012-13 counts are at 31 March 2013
            rows.append((FOSTERING_ROWS[label], period, blocks[block], cells[row].get(col, "")))
    measures, periods, breakdowns, text = zip(*rows)
    values, status = parse_cells(pd.Series(text), src.raw_path, FOSTERING_TREND_SHEET, FOSTERING_SYMBOLS)
    return _national(list(measures), periods, "at_31_march", list(breakdowns), values, status, src)


def fostering_la_2019(manifest, areas: AreaNames, path: str = FOSTERING_LA_2019) -> pd.DataFrame:
    """2018-19 export (transposed): England for all agencies (LA and IFA); regions and LAs for LA services only.

    The England column matches the all-agency totals of the trend sheet (e.g. 44,450 households against 43,475 a
    year earlier), while the regional columns sum their LAs' own services.
    """
    src = source(manifest, path)
    raw = pd.read_csv(io.StringIO(read_text(src)), header=None, dtype=str, keep_default_na=False)
    names = raw.iloc[0].str.strip()
    labels = raw[2].map(lambda s: " ".join(s.split()))
    missing = [label for label in FOSTERING_ROWS if label not in set(labels)]
    if missing:
        raise CscError(f"{src.raw_path}: column 3 has no row {missing[0]!r}")
    regions = set(areas.region_names.values())
    columns = [c for c in raw.columns[3:] if names[c] and names[c] != TRI_BOROUGH]
    level = {c: "national" if names[c] == "England" else "regional" if names[c] in regions else "local_authority"
             for c in columns}
    la_cols = [c for c in columns if level[c] == "local_authority"]
    where = areas.resolve(names[la_cols], 2019, src.raw_path, "row 1").set_index(pd.Index(la_cols))
    region_code = {name: code for code, name in areas.region_names.items()}
    geography = pd.DataFrame({
        "geographic_level": [level[c] for c in columns],
        "area_code": [ENGLAND if level[c] == "national" else region_code[names[c]] if level[c] == "regional"
                      else where.at[c, "area_code"] for c in columns],
        "la_code": [where.at[c, "la_code"] if level[c] == "local_authority" else "" for c in columns],
        "area_name": [where.at[c, "area_name"] if level[c] == "local_authority" else names[c] for c in columns],
        "breakdown": ["" if level[c] == "national" else "sector=Local authority" for c in columns],
    })
    pieces = []
    for label, measure in FOSTERING_ROWS.items():
        row = labels.index[labels == label][0]
        values, status = parse_cells(raw.loc[row, columns], src.raw_path, label, FOSTERING_SYMBOLS)
        pieces.append(geography.assign(measure=measure, period="2019", period_type="at_31_march",
                                       value=values.values, status=status.values, unit="count",
                                       release=src.release, source=src.id))
    return pd.concat(pieces, ignore_index=True)[COLUMNS]


def _col_index(col: str) -> int:
    index = 0
    for char in col:
        index = index * 26 + ord(char) - 64
    return index


SHEET_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


def xlsx_sheet(src, sheet: str) -> dict[int, dict[str, str]]:
    """{row: {column letter: text}} for one worksheet. calamine rejects this workbook (its sheets declare row-only
    dimensions such as '1:174'), and openpyxl is not a dependency, so the OOXML is read directly."""
    path = src.raw_path
    if not path.is_file():
        raise CscError(f"{path}: missing; run `make data` (manifest entry {src.id})")
    try:
        with zipfile.ZipFile(path) as book:
            workbook = ET.fromstring(book.read("xl/workbook.xml"))
            rel_id = next((s.get(f"{REL_NS}id") for s in workbook.iter(f"{SHEET_NS}sheet") if s.get("name") == sheet),
                          None)
            if rel_id is None:
                raise CscError(f"{path}: no sheet {sheet!r}")
            rels = ET.fromstring(book.read("xl/_rels/workbook.xml.rels"))
            target = next(r.get("Target") for r in rels if r.get("Id") == rel_id)
            strings = ["".join(t.text or "" for t in item.iter(f"{SHEET_NS}t"))
                       for item in ET.fromstring(book.read("xl/sharedStrings.xml"))]
            xml = book.read("xl/" + target.lstrip("/").removeprefix("xl/"))
    except (zipfile.BadZipFile, KeyError, ET.ParseError) as exc:
        raise CscError(f"{path}: not a readable xlsx workbook ({exc})") from None
    cells: dict[int, dict[str, str]] = {}
    for cell in ET.fromstring(xml).iter(f"{SHEET_NS}c"):
        value = cell.find(f"{SHEET_NS}v")
        if value is None or value.text is None:
            continue
        text = strings[int(value.text)] if cell.get("t") == "s" else value.text
        ref = cell.get("r")
        letters = ref.rstrip("0123456789")
        cells.setdefault(int(ref[len(letters):]), {})[letters] = text
    return cells
