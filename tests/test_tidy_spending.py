"""Spending table: real S251 / RO3 files against published figures, and fixtures for malformed input."""
from __future__ import annotations

import pandas as pd
import pytest

from csc import paths
from csc.errors import CscError
from csc.manifest import Source
from csc.tidy import spending

FIXTURES = paths.ROOT / "tests" / "fixtures" / "spending"
M = 1e6


@pytest.fixture(scope="module")
def table(fresh_table) -> pd.DataFrame:
    return fresh_table("spending")


def value(table, measure, period, release, breakdown="", area="E92000001"):
    hit = table[(table["measure"] == measure) & (table["period"] == period) & (table["release"] == release)
                & (table["breakdown"] == breakdown) & (table["area_code"] == area)]
    assert len(hit) == 1, (measure, period, release, breakdown, area, len(hit))
    return float(hit["value"].iloc[0])


@pytest.mark.parametrize("period, release, expected_m", [
    ("2014-15", "2014-15", 8933.02), ("2015-16", "2015-16", 9012.32), ("2016-17", "2016-17", 9158.40),
    ("2017-18", "2017-18", 9359.86), ("2017-18", "2021-22", 9419.01), ("2018-19", "2018-19", 9854.91),
    ("2019-20", "2019-20", 10530.80), ("2020-21", "2020-21", 11061.26)])
def test_cyps_total_matches_dfe_national(table, period, release, expected_m):
    assert value(table, "spend.cyps_total", period, release) / M == pytest.approx(expected_m, abs=0.006)


def test_newcastle_revision_kept_as_two_releases(table):
    original = value(table, "spend.cyps_total", "2017-18", "2017-18", area="E08000021")
    revised = value(table, "spend.cyps_total", "2017-18", "2019-20", area="E08000021")
    assert (revised - original) / M == pytest.approx(60.0, abs=0.05)


def test_la_line_read_by_hand(table):
    # outturn_1213.csv, Newcastle upon Tyne (391), line 33 total excl. CERA: TotalExpenditure 58204420, net 52616641
    assert value(table, "spend.cyps_total", "2012-13", "2012-13", area="E08000021") == 58204420
    assert value(table, "spend.s251_line_net", "2012-13", "2012-13", "line=cyps_total_excl_cera",
                 area="E08000021") == 52616641


@pytest.mark.parametrize("group, expected_bn", [
    ("sure_start_under_5", 1.193), ("family_support", 0.973), ("young_people", 0.816),
    ("children_looked_after", 3.496), ("safeguarding", 1.966), ("youth_justice", 0.321),
    ("other_children_family_services", 0.111)])
def test_2012_13_groups(table, group, expected_bn):
    got = value(table, "spend.s251_line", "2012-13", "2012-13", f"line={group}_total") / 1e9
    assert got == pytest.approx(expected_bn, abs=0.0006)


@pytest.mark.parametrize("release", ["2008-09", "2009-10", "2010-11", "2011-12", "2012-13", "2013-14", "2014-15",
                                     "2015-16", "2016-17", "2017-18", "2018-19"])
def test_groups_add_up_to_published_total(table, release):
    """Every mapped line lands in exactly one group: the groups sum to the published total excl. CERA."""
    rows = table[(table["measure"] == "spend.s251_line") & (table["release"] == release)
                 & (table["area_code"] == "E92000001") & (table["period"] == release)]
    groups = rows[rows["breakdown"].str.endswith("_total") & ~rows["breakdown"].str.startswith("line=cyps")]
    total = rows.loc[rows["breakdown"] == "line=cyps_total_excl_cera", "value"].iloc[0]
    assert groups["value"].sum() == pytest.approx(total, abs=2000)


def test_case_for_change_split(table):
    """FH-10: 2019-20 £2.3bn non-statutory / £8.2bn statutory (gross); 2012-13 cash 3.09 / 5.78."""
    assert value(table, "spend.cyps_by_class", "2019-20", "2021-22", "class=non_statutory") / M == \
        pytest.approx(2286.79, abs=0.05)
    assert value(table, "spend.cyps_by_class", "2019-20", "2021-22", "class=statutory") / M == \
        pytest.approx(8244.0, abs=0.05)
    assert value(table, "spend.cyps_by_class", "2012-13", "2012-13", "class=non_statutory") / M == \
        pytest.approx(3092.9, abs=0.1)
    assert value(table, "spend.cyps_by_class", "2012-13", "2012-13", "class=statutory") / M == \
        pytest.approx(5782.4, abs=0.1)


def test_turning_the_tide_net_split(table):
    assert value(table, "spend.cyps_by_class_net", "2015-16", "2021-22", "class=early_intervention") / M == \
        pytest.approx(2133.07, abs=0.05)
    assert value(table, "spend.cyps_by_class_net", "2015-16", "2021-22", "class=statutory") / M == \
        pytest.approx(6068.86, abs=0.05)


def test_fostering_2018_19_sums_split_lines(table):
    parts = sum(value(table, "spend.s251_line", "2018-19", "2018-19", f"line={line}")
                for line in ("cla_fostering_excl_la_carer_fees", "cla_fostering_la_carer_fees"))
    assert value(table, "spend.s251_line", "2018-19", "2018-19", "line=cla_fostering") == pytest.approx(parts)


@pytest.mark.parametrize("period, gross_m, net_m", [
    ("2014-15", 8773, 8091), ("2015-16", 9015, 8303), ("2016-17", 9155, 8476), ("2017-18", 9553, 8834),
    ("2018-19", 10141, 9375), ("2019-20", 10754, 9920), ("2020-21", 11389, 10513)])
def test_ro3_england(table, period, gross_m, net_m):
    assert value(table, "spend.ro3_csc_gross", period, period) / M == pytest.approx(gross_m, abs=0.5)
    assert value(table, "spend.ro3_csc_net", period, period) / M == pytest.approx(net_m, abs=0.5)


@pytest.mark.parametrize("period, csc_bn, cla_bn", [("2022-23", 13.9, 6.94), ("2023-24", 15.8, 8.13),
                                                    ("2024-25", 16.9, 8.92)])
def test_ro3_recent(table, period, csc_bn, cla_bn):
    assert value(table, "spend.ro3_csc_gross", period, period) / 1e9 == pytest.approx(csc_bn, abs=0.05)
    assert value(table, "spend.ro3_cla_gross", period, period) / 1e9 == pytest.approx(cla_bn, abs=0.005)


def test_ro3_la_rows_and_not_received(table):
    ro3 = table[(table["measure"] == "spend.ro3_csc_gross") & (table["period"] == "2020-21")]
    assert 150 <= (ro3["geographic_level"] == "local_authority").sum() <= 153
    reading = ro3[ro3["area_code"] == "E06000038"].iloc[0]  # Reading: return not received ('...')
    assert pd.isna(reading["value"]) and reading["status"] == ".."


def fixture_source(monkeypatch, name: str) -> Source:
    monkeypatch.setattr(paths, "RAW", FIXTURES)
    return Source(id=f"fixture-{name}", topic="spending", publisher="DfE", publication="fixture", release="2012-13",
                  periods="2012-13", page_url="-", licence="OGL", sha256="0" * 64,
                  file=f"s251_outturn_la/{name}.csv", mirror_path="-", encoding="utf-8")


@pytest.mark.parametrize("name, message", [
    ("unknown_line", "line '99' is not in csc/tidy/s251_lines.csv for 2012-13"),
    ("renamed_column", "column 'TotalExpenditure' not found"),
    ("unknown_symbol", "column 'TotalExpenditure' has unknown symbol 'n/a'")])
def test_bad_s251_input_stops_with_one_line(monkeypatch, name, message):
    _, ref_col, cols = spending.S251_LA["2012-13"]
    with pytest.raises(CscError, match=message.replace("(", r"\(").replace(")", r"\)")) as err:
        spending.s251_la(fixture_source(monkeypatch, name), "2012-13", ref_col, cols, spending.line_mapping())
    assert "\n" not in str(err.value) and name in str(err.value)


def test_mapping_covers_each_reference_once_per_line():
    mapping = spending.line_mapping()
    assert not mapping.duplicated(["scheme", "ref", "line"]).any()
    assert set(mapping.loc[mapping["group"] != "", "group"]) == {g for members in spending.CLASSES.values()
                                                                 for g in members}
