"""Context: ONS child population, IMD 2019 aggregated to upper-tier LAs, HMT GDP deflator (data-notes §7).

The IMD upper-tier values are derived, not published here (File 11 is not held), by the method of data-notes §7.3:
LAD File 10 scores weighted by File 6 mid-2015 populations, and LSOA ranks/deciles from File 1.
"""
from __future__ import annotations

import gzip
import io

import pandas as pd

from ..errors import CscError
from ..geography import ENGLAND
from ..readers import parse_cells, read_csv, require_columns
from . import ees_geography, ees_period, fy_label, long_rows, source

POPULATION = "context/population/ons_mid-year_population_estimates_2012_to_2024.csv"
CHILDREN_0_17 = "Children aged 0 to 17 years"
DEFLATORS = "context/deflators/uk_cost_indices.csv"
LAD_SUMMARIES = "context/imd/IoD2019_lad19_summaries_long.csv"
IMD_LSOA = "context/imd/File_1_-_IMD2019_Index_of_Multiple_Deprivation.csv.gz"
DENOMINATORS = "context/imd/File_6_-_IoD2019_Population_Denominators.csv.gz"
LAD_TO_UTLA = "context/geography/dfe_la_lad_hierarchy.csv"
LA_CHANGES = "context/geography/ons_uk_topojson_changes.csv"

LSOA, LAD = "LSOA code (2011)", "Local Authority District code (2019)"
LSOA_NAME = "LSOA name (2011)"
IMD_RANK, IMD_DECILE = "Index of Multiple Deprivation (IMD) Rank", "Index of Multiple Deprivation (IMD) Decile"
TOTAL_POP = "Total population: mid 2015 (excluding prisoners)"
CHILD_POP = "Dependent Children aged 0-15: mid 2015 (excluding prisoners)"
IMD_DOMAIN, IDACI_DOMAIN = "Index of Multiple Deprivation", "Income Deprivation Affecting Children"
BCP = "E06000058"
# Authorities abolished on 1 April 2019, rebuilt from 2011 LSOAs by name prefix (data-notes §7.3). Dorset county =
# the later Dorset UA plus Christchurch, which moved to BCP.
PRE_2019 = {
    "E06000028": ("Bournemouth", "837", ["Bournemouth"], []),
    "E06000029": ("Poole", "836", ["Poole"], []),
    "E10000009": ("Dorset", "835", ["Christchurch"], ["E06000059"]),
}
IMD_RELEASE = "2019"


def build(manifest, lookup: pd.DataFrame) -> pd.DataFrame:
    return pd.concat([population(manifest), deprivation(manifest), deflator(manifest)], ignore_index=True)


def population(manifest, path: str = POPULATION) -> pd.DataFrame:
    """ONS mid-year children aged 0-17 as DfE publishes them; period is the mid-year, not the reporting year."""
    src = source(manifest, path)
    frame = read_csv(src, required=["time_period", "geographic_level", "age_group", "population_estimate"])
    other = frame.loc[frame["age_group"].str.strip() != CHILDREN_0_17, "age_group"]
    if len(other):
        raise CscError(f"{src.raw_path}: column 'age_group' has unexpected value {other.iloc[0]!r} "
                       f"(only {CHILDREN_0_17!r} is expected)")
    return long_rows(frame, src, {"population_estimate": ("pop.children_0_17", "count")},
                     period=ees_period(frame["time_period"], "mid_year"), period_type="mid_year",
                     geography=ees_geography(frame, src.raw_path), allowed={"x", ""})


def deflator(manifest, path: str = DEFLATORS) -> pd.DataFrame:
    """HMT GDP deflator outturn (UK-wide), 2024-25 = 100; the compiled forecast rows are not HMT's and are dropped."""
    src = source(manifest, path)
    frame = read_csv(src, required=["fiscal_year_start", "fiscal_year", "gdp_deflator", "is_forecast"])
    flag = frame["is_forecast"].str.strip().str.lower()
    if not flag.isin(["true", "false"]).all():
        bad = frame.loc[~flag.isin(["true", "false"]), "is_forecast"].iloc[0]
        raise CscError(f"{src.raw_path}: column 'is_forecast' has value {bad!r} (expected true/false)")
    frame = frame[flag == "false"].reset_index(drop=True)
    expected = frame["fiscal_year_start"].astype(int).map(fy_label)
    if (expected != frame["fiscal_year"].str.strip()).any():
        bad = frame.loc[expected != frame["fiscal_year"].str.strip(), "fiscal_year"].iloc[0]
        raise CscError(f"{src.raw_path}: column 'fiscal_year' value {bad!r} does not match fiscal_year_start")
    _numbers(frame.copy(), ["gdp_deflator"], src.raw_path)  # an outturn year without a value is an error
    return long_rows(frame, src, {"gdp_deflator": ("deflator.gdp", "index")}, period=expected,
                     period_type="financial_year", geography=_england(len(frame)), allowed={""})


def _england(n: int) -> pd.DataFrame:
    return pd.DataFrame({"geographic_level": ["national"] * n, "area_code": ENGLAND, "la_code": "",
                         "area_name": "England"})


def read_gz_csv(src, required: list[str]) -> pd.DataFrame:
    """A gzipped raw CSV (manifest encoding 'binary') as text columns; numbers keep their thousands separators."""
    path = src.raw_path
    if not path.is_file():
        raise CscError(f"{path}: missing; run `make data` (manifest entry {src.id})")
    try:
        text = gzip.decompress(path.read_bytes()).decode("utf-8-sig")
    except (OSError, EOFError) as exc:
        raise CscError(f"{path}: not a complete gzip file ({exc})") from None
    except UnicodeDecodeError as exc:
        raise CscError(f"{path}: not valid UTF-8 at byte {exc.start} after decompressing") from None
    frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    frame.columns = [c.strip() for c in frame.columns]
    require_columns(frame, required, path)
    if frame.empty:
        raise CscError(f"{path}: has a header but no rows (truncated?)")
    return frame


def _numbers(frame: pd.DataFrame, columns: list[str], path) -> pd.DataFrame:
    """Columns that must be numbers in every row: a blank or a symbol is an error."""
    for column in columns:
        values = parse_cells(frame[column], path, column, {""})[0]
        if values.isna().any():
            raise CscError(f"{path}: column {column!r} has a blank cell (row {int(values.isna().argmax()) + 2})")
        frame[column] = values
    return frame


def lsoas(manifest) -> pd.DataFrame:
    """One row per 2011 LSOA: LAD19, name, IMD rank (1 = most deprived) and decile, mid-2015 population weights."""
    ranks_src, pop_src = source(manifest, IMD_LSOA), source(manifest, DENOMINATORS)
    ranks = _numbers(read_gz_csv(ranks_src, [LSOA, LSOA_NAME, LAD, IMD_RANK, IMD_DECILE]), [IMD_RANK, IMD_DECILE],
                     ranks_src.raw_path)
    pops = _numbers(read_gz_csv(pop_src, [LSOA, TOTAL_POP, CHILD_POP]), [TOTAL_POP, CHILD_POP], pop_src.raw_path)
    merged = ranks[[LSOA, LSOA_NAME, LAD, IMD_RANK, IMD_DECILE]].merge(pops[[LSOA, TOTAL_POP, CHILD_POP]], on=LSOA,
                                                                        how="left", validate="one_to_one")
    if merged[TOTAL_POP].isna().any() or len(pops) != len(ranks):
        raise CscError(f"{pop_src.raw_path}: LSOAs do not match {ranks_src.raw_path} "
                       f"({len(pops)} vs {len(ranks)} rows)")
    # File 10 averages ranks with the most deprived LSOA ranked highest; File 1 ranks it 1, so reverse.
    merged["rank_high_deprived"] = len(merged) + 1 - merged[IMD_RANK]
    return merged


def lad_scores(manifest) -> pd.DataFrame:
    """File 10 LAD average scores for the IMD and IDACI, one row per LAD19."""
    src = source(manifest, LAD_SUMMARIES)
    frame = read_csv(src, required=["lad19cd", "index_domain", "average_score"])
    frame = frame[frame["index_domain"].isin([IMD_DOMAIN, IDACI_DOMAIN])].copy()
    _numbers(frame, ["average_score"], src.raw_path)
    wide = frame.pivot(index="lad19cd", columns="index_domain", values="average_score")
    missing = [d for d in (IMD_DOMAIN, IDACI_DOMAIN) if d not in wide.columns]
    if missing:
        raise CscError(f"{src.raw_path}: column 'index_domain' lacks {missing[0]!r}")
    return wide.rename(columns={IMD_DOMAIN: "imd_score", IDACI_DOMAIN: "idaci_score"})


def utla_members(manifest, lad_codes: pd.Index) -> pd.DataFrame:
    """LAD19 -> upper-tier LA: the 2019 authorities, plus later unitaries that are exact unions of LAD19s."""
    src = source(manifest, LAD_TO_UTLA)
    hierarchy = read_csv(src, required=["lad_code", "new_la_code", "la_name", "old_la_code"])
    hierarchy = hierarchy.drop_duplicates("lad_code", keep="last")  # E07000112 listed as Shepway and Folkestone
    names = hierarchy.drop_duplicates("new_la_code").set_index("new_la_code")[["la_name", "old_la_code"]]
    members = hierarchy[hierarchy["lad_code"].isin(lad_codes)][["lad_code", "new_la_code"]]
    unmapped = sorted(set(lad_codes) - set(members["lad_code"]))
    if unmapped:
        raise CscError(f"{src.raw_path}: column 'lad_code' lacks LAD19 {unmapped[0]} (from {LAD_SUMMARIES})")
    members = members.rename(columns={"lad_code": "lad", "new_la_code": "area_code"})
    changes_src = source(manifest, LA_CHANGES)
    changes = read_csv(changes_src, required=["oldcd", "newcd", "type", "start"])
    later = changes[(changes["type"] == "merger") & changes["newcd"].str.startswith("E06")
                    & (changes["start"].astype(int) > 2019)]
    county_of = members.set_index("lad")["area_code"]
    successors = []
    for code, part in later.groupby("newcd"):
        lads = set(part["oldcd"])
        counties = set(county_of.reindex(list(lads)))
        whole = set(county_of[county_of.isin(counties)].index)
        if not lads <= set(county_of.index) or len(counties) != 1:
            raise CscError(f"{changes_src.raw_path}: {code} is not a union of LAD19s within one county")
        if lads != whole:  # a split county; a whole-county successor is a recode (csc/geography.yml)
            successors.append(pd.DataFrame({"lad": sorted(lads), "area_code": code}))
    members = pd.concat([members, *successors], ignore_index=True)
    members["area_name"] = members["area_code"].map(names["la_name"])
    members["la_code"] = members["area_code"].map(names["old_la_code"])
    if members["area_name"].isna().any():
        bad = members.loc[members["area_name"].isna(), "area_code"].iloc[0]
        raise CscError(f"{src.raw_path}: no row names upper-tier LA {bad}")
    return members


def deprivation(manifest) -> pd.DataFrame:
    """IMD 2019 upper-tier measures by the data-notes §7.3 method (exact by construction)."""
    areas = lsoas(manifest)
    scores = lad_scores(manifest)
    lad_pop = areas.groupby(LAD)[[TOTAL_POP, CHILD_POP]].sum()
    unknown = sorted(set(scores.index) ^ set(lad_pop.index))
    if unknown:
        raise CscError(f"{source(manifest, LAD_SUMMARIES).raw_path}: LAD {unknown[0]} is not in both File 10 and "
                       f"File 1")
    lads = scores.join(lad_pop)
    members = utla_members(manifest, lads.index)
    areas = areas.merge(members, left_on=LAD, right_on="lad")
    lsoa_source, score_source = source(manifest, IMD_LSOA).id, source(manifest, LAD_SUMMARIES).id
    pieces = [_lsoa_measures(areas, lsoa_source)]
    weighted = members.merge(lads, left_on="lad", right_index=True)
    weighted["imd_x"] = weighted["imd_score"] * weighted[TOTAL_POP]
    weighted["idaci_x"] = weighted["idaci_score"] * weighted[CHILD_POP]
    national = weighted.drop_duplicates("lad").assign(area_code=ENGLAND, area_name="England", la_code="")
    for frame, level in ((weighted, "local_authority"), (national, "national")):
        sums = frame.groupby(["area_code", "area_name", "la_code"])[["imd_x", "idaci_x", TOTAL_POP, CHILD_POP]].sum()
        sums = sums.reset_index()
        pieces.append(_rows(sums, level, score_source,
                            {"imd.average_score": sums["imd_x"] / sums[TOTAL_POP],
                             "imd.idaci_average_score": sums["idaci_x"] / sums[CHILD_POP]}))
    pieces.append(_pre_2019(areas, lsoa_source))
    return pd.concat(pieces, ignore_index=True)


def _lsoa_measures(areas: pd.DataFrame, source_id: str) -> pd.DataFrame:
    """Share of LSOAs in IMD decile 1 and population-weighted mean rank, per upper-tier area."""
    frame = areas.assign(decile_1=(areas[IMD_DECILE] == 1) * 100.0,
                         rank_x=areas["rank_high_deprived"] * areas[TOTAL_POP])
    sums = frame.groupby(["area_code", "area_name", "la_code"]).agg(
        share=("decile_1", "mean"), rank_x=("rank_x", "sum"), pop=(TOTAL_POP, "sum")).reset_index()
    return _rows(sums, "local_authority", source_id, {"imd.share_lsoas_most_deprived_10pct": sums["share"],
                                                      "imd.average_rank": sums["rank_x"] / sums["pop"]})


def _pre_2019(areas: pd.DataFrame, source_id: str) -> pd.DataFrame:
    """Bournemouth, Poole and Dorset county before April 2019, from LSOA names (scores need LSOA scores: not held)."""
    first_word = areas[LSOA_NAME].str.rsplit(" ", n=1).str[0]
    bcp = areas[areas["lad"] == BCP]
    known = {p for _, _, prefixes, _ in PRE_2019.values() for p in prefixes}
    stray = first_word[bcp.index][~first_word[bcp.index].isin(known)]
    if len(stray):
        raise CscError(f"{IMD_LSOA}: BCP LSOA name {bcp.loc[stray.index[0], LSOA_NAME]!r} has no pre-2019 authority")
    parts = []
    for code, (name, la_code, prefixes, whole_lads) in PRE_2019.items():
        chosen = areas[((areas["lad"] == BCP) & first_word.isin(prefixes)) | areas["lad"].isin(whole_lads)]
        parts.append(chosen.drop_duplicates(LSOA).assign(area_code=code, area_name=name, la_code=la_code))
    return _lsoa_measures(pd.concat(parts, ignore_index=True), source_id)


def _rows(keys: pd.DataFrame, level: str, source_id: str, measures: dict[str, pd.Series]) -> pd.DataFrame:
    pieces = []
    for measure, values in measures.items():
        unit = "percent" if measure.endswith("pct") else "score"
        pieces.append(pd.DataFrame({
            "measure": measure, "period": "2019", "period_type": "fixed", "geographic_level": level,
            "area_code": keys["area_code"].values, "la_code": keys["la_code"].values,
            "area_name": keys["area_name"].values, "breakdown": "", "value": values.astype("float64").values,
            "status": "", "unit": unit, "release": IMD_RELEASE, "source": source_id}))
    return pd.concat(pieces, ignore_index=True)
