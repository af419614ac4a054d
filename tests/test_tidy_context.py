"""Context tidy table: population, IMD 2019 upper-tier derivation and deflators, from the real raw files, plus
hand-made edge cases."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

from csc import manifest as manifest_mod
from csc import paths
from csc.errors import CscError
from csc.tidy import context

FIXTURES = Path(__file__).parent / "fixtures"
ENGLAND = "E92000001"


@pytest.fixture(scope="module")
def table(fresh_table) -> pd.DataFrame:
    return fresh_table("context")


def value(table, measure, period, area=ENGLAND):
    hit = table[(table.measure == measure) & (table.period == period) & (table.area_code == area)]
    assert len(hit) == 1, (measure, period, area, len(hit))
    return hit.iloc[0]


def test_population_national_figures(table):
    """Data-notes §7.2: mid-2024 12,183,016; mid-2020 11,787,794; mid-2021 11,762,878 (period = ONS mid-year)."""
    assert value(table, "pop.children_0_17", "2024").value == 12183016
    assert value(table, "pop.children_0_17", "2020").value == 11787794
    assert value(table, "pop.children_0_17", "2021").value == 11762878
    row = value(table, "pop.children_0_17", "2024")
    assert (row.period_type, row.release) == ("mid_year", "2025")


def test_population_regions_sum_and_dorset_x(table):
    """Regions (9, not Inner/Outer London) sum to England; Bournemouth, Poole, Dorset county `x` 2012-2018 (21)."""
    pop = table[table.measure == "pop.children_0_17"]
    regions = pop[(pop.geographic_level == "regional") & pop.area_code.str.startswith("E12") & (pop.period == "2019")]
    assert len(regions) == 9 and regions.value.sum() == value(table, "pop.children_0_17", "2019").value
    suppressed = pop[pop.status == "x"]
    assert len(suppressed) == 21 and suppressed.value.isna().all()
    assert set(suppressed.area_code) == {"E06000028", "E06000029", "E10000009"}
    assert sorted(pop[pop.geographic_level == "national"].period) == [str(y) for y in range(2012, 2025)]


def test_population_la_spot_check(table):
    """Sutton (E09000029) mid-2012 44,006 and Waltham Forest 62,744, read from the raw file's last lines."""
    assert value(table, "pop.children_0_17", "2012", area="E09000029").value == 44006
    assert value(table, "pop.children_0_17", "2012", area="E09000031").value == 62744


def test_deflator_outturn_only(table):
    """Data-notes §7.5: 2008-09 66.8397, 2019-20 80.8738, 2024-25 100; forecasts 2025-26 on excluded."""
    assert value(table, "deflator.gdp", "2008-09").value == 66.8397
    assert value(table, "deflator.gdp", "2019-20").value == 80.8738
    assert value(table, "deflator.gdp", "2024-25").value == 100
    periods = sorted(table.loc[table.measure == "deflator.gdp", "period"])
    assert periods[0] == "2000-01" and periods[-1] == "2024-25" and len(periods) == 25
    assert set(table.loc[table.measure == "deflator.gdp", "release"]) == {"2026-03"}


@pytest.mark.parametrize("area, score", [("E06000009", 45.04), ("E08000011", 43.01), ("E08000012", 42.41),
                                         ("E06000010", 40.56), ("E06000002", 40.46)])
def test_imd_single_lad_authorities_equal_official_values(table, area, score):
    """Data-notes §7.3: Blackpool 45.04, Knowsley 43.01, Liverpool 42.41, Hull 40.56, Middlesbrough 40.46."""
    assert value(table, "imd.average_score", "2019", area).value == pytest.approx(score, abs=0.005)


def test_idaci_and_national_rows(table):
    """IDACI Middlesbrough 0.327, Blackpool 0.307; England child-weighted mean about 0.1709."""
    assert value(table, "imd.idaci_average_score", "2019", "E06000002").value == pytest.approx(0.327)
    assert value(table, "imd.idaci_average_score", "2019", "E06000009").value == pytest.approx(0.307)
    assert value(table, "imd.idaci_average_score", "2019").value == pytest.approx(0.1709, abs=1e-4)
    assert 20 < value(table, "imd.average_score", "2019").value < 23


def test_imd_multi_lad_county_is_population_weighted(table):
    """Lancashire's score lies between its least and most deprived districts (File 10: Ribble Valley 10.594,
    Burnley 37.793)."""
    lancs = value(table, "imd.average_score", "2019", "E10000017").value
    assert 10.594 < lancs < 37.793


def test_imd_share_and_rank_reproduce_file_10_for_lads(table):
    """Middlesbrough: 48.84% of LSOAs in decile 1 (File 10 0.4884) and average rank 23,729.1 (File 10)."""
    assert value(table, "imd.share_lsoas_most_deprived_10pct", "2019", "E06000002").value == pytest.approx(48.84,
                                                                                                           abs=0.01)
    assert value(table, "imd.average_rank", "2019", "E06000002").value == pytest.approx(23729.1, abs=0.1)


def test_imd_areas_successors_recodes_and_pre_2019(table):
    """151 UTLAs of 2019 + North/West Northamptonshire + Cumberland/Westmorland; recodes folded; Bournemouth,
    Poole and Dorset county rebuilt (share and rank only)."""
    scores = table[(table.measure == "imd.average_score") & (table.geographic_level == "local_authority")]
    assert len(scores) == 155
    assert {"E06000061", "E06000062", "E06000063", "E06000064", "E10000021", "E10000006"} <= set(scores.area_code)
    assert {"E06000060", "E06000065", "E06000066"} <= set(scores.area_code)
    assert not {"E10000002", "E10000023", "E10000027"} & set(table.area_code)
    shares = table[table.measure == "imd.share_lsoas_most_deprived_10pct"]
    assert {"E06000028", "E06000029", "E10000009"} <= set(shares.area_code)
    assert not {"E06000028", "E06000029", "E10000009"} & set(scores.area_code)
    # Bournemouth 110 LSOAs, Poole 93: share = count in decile 1 / LSOAs, so a multiple of 1/110 and 1/93
    assert round(value(table, "imd.share_lsoas_most_deprived_10pct", "2019", "E06000028").value * 110 / 100, 6) % 1 == 0
    assert round(value(table, "imd.share_lsoas_most_deprived_10pct", "2019", "E06000029").value * 93 / 100, 6) % 1 == 0


def test_split_successors_sum_back_to_the_county(table):
    """North and West Northamptonshire lie either side of the 2019 county they were carved from."""
    north = value(table, "imd.average_rank", "2019", "E06000061").value
    west = value(table, "imd.average_rank", "2019", "E06000062").value
    county = value(table, "imd.average_rank", "2019", "E10000021").value
    assert min(north, west) < county < max(north, west)


# ---- hand-made fixtures ------------------------------------------------------------------------------------------

def fixture_manifest(monkeypatch, name: str) -> dict:
    monkeypatch.setattr(paths, "RAW", FIXTURES)
    real = manifest_mod.load()["context-population-ons-mid-year-population-estimates-2012-to-2024"]
    return {"fixture": replace(real, id="fixture", file=f"context/{name}", encoding="utf-8")}


def test_fixture_population_x_is_kept_as_status(monkeypatch):
    rows = context.population(fixture_manifest(monkeypatch, "population.csv"), path="context/population.csv")
    bournemouth = rows[rows.area_code == "E06000028"].iloc[0]
    assert bournemouth.status == "x" and pd.isna(bournemouth.value) and bournemouth.la_code == "837"
    assert rows.set_index("area_code").loc["E12000009", "value"] == 1100000


@pytest.mark.parametrize("name, message", [
    ("population_unknown_symbol.csv", r"population_unknown_symbol\.csv: column 'population_estimate' has unknown "
                                      r"symbol 'z'"),
    ("population_other_age_group.csv", r"population_other_age_group\.csv: column 'age_group' has unexpected value "
                                       r"'Children aged 0 to 15 years'"),
    ("population_renamed_column.csv", r"population_renamed_column\.csv: column 'population_estimate' not found"),
])
def test_fixture_bad_population_files(monkeypatch, name, message):
    with pytest.raises(CscError, match=message) as err:
        context.population(fixture_manifest(monkeypatch, name), path=f"context/{name}")
    assert "\n" not in str(err.value)


def test_fixture_deflator_drops_forecasts(monkeypatch):
    rows = context.deflator(fixture_manifest(monkeypatch, "deflators.csv"), path="context/deflators.csv")
    assert rows.period.tolist() == ["2023-24", "2024-25"] and rows.value.tolist() == [96.1117, 100.0]
    assert set(rows.area_code) == {ENGLAND} and set(rows.unit) == {"index"}


@pytest.mark.parametrize("name, message", [
    ("deflators_bad_flag.csv", r"deflators_bad_flag\.csv: column 'is_forecast' has value 'maybe'"),
    ("deflators_blank_value.csv", r"deflators_blank_value\.csv: column 'gdp_deflator' has a blank cell"),
])
def test_fixture_bad_deflator_files(monkeypatch, name, message):
    with pytest.raises(CscError, match=message):
        context.deflator(fixture_manifest(monkeypatch, name), path=f"context/{name}")


def test_fixture_truncated_gzip(monkeypatch):
    src = fixture_manifest(monkeypatch, "truncated.csv.gz")["fixture"]
    with pytest.raises(CscError, match=r"truncated\.csv\.gz: not a complete gzip file"):
        context.read_gz_csv(src, [context.LSOA])


def test_unknown_bcp_lsoa_prefix_stops():
    areas = pd.DataFrame({context.LSOA: ["E1", "E2"], context.LSOA_NAME: ["Bournemouth 001A", "Wimborne 001A"],
                          "lad": [context.BCP, context.BCP]})
    with pytest.raises(CscError, match="BCP LSOA name 'Wimborne 001A' has no pre-2019 authority"):
        context._pre_2019(areas, "fixture")
