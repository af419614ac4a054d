"""The cin tidy table: real raw files (national figures and LA spot checks read by hand) and hand-made fixtures."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from csc import manifest, paths
from csc.errors import CscError
from csc.manifest import Source
from csc.readers import read_csv
from csc.tidy import cin

FIXTURES = Path(__file__).parent / "fixtures" / "cin"


@pytest.fixture(scope="module")
def table(fresh_table) -> pd.DataFrame:
    return fresh_table("cin")


def pick(table, measure, period, release, area="E92000001", breakdown=""):
    rows = table[(table.measure == measure) & (table.period == period) & (table.release == release)
                 & (table.area_code == area) & (table.breakdown == breakdown)]
    assert len(rows) == 1, (measure, period, release, area, breakdown, len(rows))
    return rows.iloc[0]


def value(table, *args, **kwargs) -> float:
    return float(pick(table, *args, **kwargs)["value"])


# --- real data -----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("measure, period, release, expected", [
    # EES 2020 release, the one the Case for Change cited (data-notes §2.6)
    ("cin.referrals", "2020", "2020", 642980),
    ("cin.children_in_need", "2020", "2020", 389260),
    ("cp.section47_enquiries", "2020", "2020", 201000),
    ("cp.section47_rate", "2020", "2020", 167.2),
    ("cp.section47_children", "2020", "2020", 177840),
    ("cp.icpcs", "2020", "2020", 77470),
    ("cp.icpc_children", "2020", "2020", 76340),
    ("cp.cpp_at_31_march", "2020", "2020", 51510),
    ("cp.cpp_at_31_march_rate", "2020", "2020", 42.8),
    ("cin.assessments", "2020", "2020", 665660),
    # SFR/OSR underlying data, as first published (rounded national estimates)
    ("cin.referrals", "2010", "2010", 603700),
    ("cp.section47_enquiries", "2010", "2010", 87700),
    ("cin.initial_assessments", "2010", "2010", 395300),
    ("cin.core_assessments", "2012", "2012", 220670),
    ("cp.cpp_at_31_march", "2010", "2010", 39100),
    ("cin.referrals_nfa", "2012", "2012", 94400),          # column spelt ReferralsNFA112
    ("cin.children_in_need", "2017", "2017", 389430),      # column labelled CINAt310316
    ("cin.children_in_need_rate", "2015", "2015", 337.3),  # column labelled CINAt310314RatePer10K
    ("cp.cpp_starts", "2017", "2017", 66410),              # plans (CPPEpisodesStart1617), not children (66,180)
    ("cin.assessments", "2015", "2015", 550810),
    # EES 2025 release: D1 not held, starts from D3 and plans at 31 March from D5
    ("cp.cpp_starts", "2025", "2025", 61840),
    ("cp.cpp_at_31_march", "2025", "2025", 49420),
    ("cp.cpp_at_31_march", "2013", "2025", 43140),
    ("cp.cpp_at_31_march", "2013", "2022", 43190),
    ("cin.referrals", "2025", "2025", 632830),
    ("cin.rereferrals_percent", "2025", "2025", 22.6),
    ("cin.referrals_nfa", "2025", "2025", 41340),
    ("cp.section47_enquiries", "2023", "2025", 225400),
])
def test_national_figures(table, measure, period, release, expected):
    assert value(table, measure, period, release) == pytest.approx(expected)


@pytest.mark.parametrize("measure, period, release, area, expected", [
    ("cin.children_in_need", "2020", "2020", "E09000012", 3094),   # Hackney, ees_2020 B1
    ("cp.section47_enquiries", "2025", "2025", "E08000025", 6162),  # Birmingham, ees_2025 C4
    ("cin.referrals", "2024", "2024", "E08000003", 6525),           # Manchester, ees_2024 C1
    ("cp.cpp_at_31_march", "2022", "2022", "E10000016", 1256),      # Kent, ees_2022 D1
    ("cin.children_in_need", "2013", "2013", "E08000035", 6474),    # Leeds, SFR 45/2013 ("6,474")
    ("cin.children_in_need", "2010", "2010", "E09000001", 48),      # City of London, OSR 28/2010 (DfE code only)
    ("cin.children_in_need", "2011", "2011", "E08000037", 1246),    # Gateshead: DfE 390 -> current GSS code
    ("cin.children_in_need", "2011", "2011", "E10000021", 6281),    # Northamptonshire before the 2021 split
])
def test_la_spot_checks(table, measure, period, release, area, expected):
    assert value(table, measure, period, release, area=area) == expected


def test_every_release_kept_as_its_own_vintage(table):
    releases = set(table[(table.measure == "cin.children_in_need") & (table.period == "2014")
                         & (table.area_code == "E92000001")]["release"])
    assert releases == {"2014", "2020", "2022", "2024", "2025"}
    assert value(table, "cin.children_in_need", "2014", "2014") == 397600
    assert value(table, "cin.children_in_need", "2014", "2025") == 395480
    s47 = table[(table.measure == "cp.section47_enquiries") & (table.period == "2014")
                & (table.area_code == "E92000001")]
    assert set(s47["release"]) == {"2014", "2020", "2022", "2025"}


def test_sfr_files_have_national_and_all_las_with_gss_codes(table):
    sfr = table[table.source.str.startswith("cin-sfr") & (table.measure == "cin.referrals")]
    per_release = sfr.groupby("release")["geographic_level"].value_counts().unstack()
    assert list(per_release.index) == [str(y) for y in range(2010, 2018)]
    assert (per_release["national"] == 1).all() and (per_release["local_authority"] == 152).all()
    assert sfr["area_code"].str.match(r"^E\d{8}$").all()
    national = sfr[sfr.geographic_level == "national"]
    assert set(national["area_code"]) == {"E92000001"}  # the files' own new_la_code there is E06000046
    early = sfr[(sfr.release == "2010") & (sfr.geographic_level == "local_authority")]
    assert (early["la_code"] != "").all()


def test_ees_files_have_regions(table):
    rows = table[(table.measure == "cp.icpcs") & (table.release == "2025") & (table.period == "2025")]
    assert set(rows["geographic_level"]) == {"national", "regional", "local_authority"}
    assert {"E12000001", "E13000001", "E13000002"} <= set(rows["area_code"])


def test_hackney_2021_2022_kept_as_x(table):
    rows = table[(table.area_code == "E09000012") & table.period.isin(["2021", "2022"])
                 & (table.measure == "cin.children_in_need")]
    assert len(rows) == 6  # 2 years x releases 2022, 2024, 2025
    assert (rows["status"] == "x").all() and rows["value"].isna().all()


def test_symbols_kept(table):
    assert pick(table, "cp.cpp_by_category", "2010", "2010", breakdown="category=Not recorded")["status"] == "x"
    assert {"c", "x", "z", "u", ":", "..", "."} <= set(table["status"])
    assert table.loc[table.status.isin(["c", "x", "z", ":", "..", "."]), "value"].isna().all()


def test_domestic_violence_harmonised_with_domestic_abuse(table):
    label = "factor=Domestic abuse: parent is victim"
    assert value(table, "cin.factors_at_assessment", "2020", "2020", breakdown=label) == 169860
    assert value(table, "cin.factors_at_assessment", "2020", "2022", breakdown=label) == 169860
    assert value(table, "cin.factors_at_assessment", "2025", "2025", breakdown=label) == 162890
    assert not table["breakdown"].str.contains("violence", case=False).any()


def test_category_and_ethnicity_breakdowns(table):
    assert value(table, "cp.cpp_by_category", "2020", "2020", breakdown="category=Neglect") == 26010
    assert value(table, "cp.cpp_by_category", "2010", "2010", breakdown="category=Neglect") == 17300
    assert value(table, "cp.cpp_starts_by_category", "2022", "2022", breakdown="category=Emotional abuse") == 24650
    # Chinese moved into the Asian group in the 2022 release: the two totals are different breakdowns
    assert value(table, "cin.children_in_need_by_ethnicity", "2020", "2020",
                 breakdown="ethnicity=Asian or Asian British (excluding Chinese)") == 27650
    assert value(table, "cin.children_in_need_by_ethnicity", "2020", "2022",
                 breakdown="ethnicity=Asian or Asian British (including Chinese)") == 28300
    assert value(table, "cin.children_in_need_by_ethnicity_percent", "2020", "2020",
                 breakdown="ethnicity=White") == 71.7


def test_rates_not_invented_for_2025(table):
    rates = table[table.measure.str.endswith("_rate")]
    assert "2025" not in set(rates["release"])
    assert "2024" in set(rates[rates.measure == "cin.children_in_need_rate"]["release"])


def test_assessment_break(table):
    assessments = table[(table.measure == "cin.assessments") & (table.area_code == "E92000001")]
    assert assessments["period"].min() == "2014"
    assert value(table, "cin.assessments", "2014", "2020") == 175290  # partial first year
    initial = table[(table.measure == "cin.initial_assessments") & (table.area_code == "E92000001")]
    assert initial["period"].max() == "2014"


@pytest.mark.parametrize("release", ["2020", "2022"])
def test_a2_national_table_agrees_with_c4_and_d1(table, release):
    """A2 is not read: its national rows must equal the C4/D1 national rows the table holds."""
    src = next(s for s in manifest.load().values()
               if s.file.startswith(f"cin/ees_{release}/a2_section47_icpc_cpp"))
    a2 = read_csv(src, required=["time_period", "category_type", "number"])
    checks = {"Section 47s in the year": "cp.section47_enquiries", "ICPCs in the year": "cp.icpcs",
              "Children subject to a Section 47 in the year": "cp.section47_children",
              "CPPs starting in the year": "cp.cpp_starts", "CPPs ending in the year": "cp.cpp_ends",
              "CPP at 31 March": "cp.cpp_at_31_march"}
    compared = 0
    for row in a2.itertuples():
        measure = checks.get(row.category_type.strip())
        if measure:
            assert value(table, measure, row.time_period, release) == float(row.number), (measure, row.time_period)
            compared += 1
    assert compared == len(checks) * (8 if release == "2020" else 10)


# --- fixtures: edge cases ------------------------------------------------------------------------------------------

def fixture_source(monkeypatch, name: str, release: str = "2010", encoding: str = "utf-8") -> Source:
    monkeypatch.setattr(paths, "RAW", FIXTURES)
    return Source(id=f"fixture-{name}", topic="cin", publisher="test", publication="test", release=release,
                  periods="test", page_url="test", licence="test", sha256="0" * 64, file=name, mirror_path=name,
                  encoding=encoding)


SMALL_YEAR = cin.SfrYear("unused", "2010", {"Referrals0910": "cin.referrals",
                                            "CPPat310310InitialAbuseNeglect": ("cp.cpp_by_category",
                                                                               "category=Neglect")})


def test_sfr_fixture_parses_separators_symbols_and_geography(monkeypatch):
    rows = cin.sfr_rows(fixture_source(monkeypatch, "sfr_small.csv"), SMALL_YEAR)
    referrals = rows[rows.measure == "cin.referrals"].set_index("area_name")
    assert referrals.loc["England", "value"] == 603700
    assert referrals.loc["England", "area_code"] == "E92000001"
    assert referrals.loc["Northamptonshire", "value"] == 1229
    assert referrals.loc["Northamptonshire", "la_code"] == "928"
    assert referrals.loc["Northamptonshire", "area_code"] == ""  # filled from the DfE code by the framework
    assert referrals.loc["City of London", "status"] == "x"
    neglect = rows[rows.measure == "cp.cpp_by_category"].set_index("area_name")
    assert list(neglect["status"]) == ["", "..", "."]
    assert set(neglect["breakdown"]) == {"category=Neglect"}
    assert set(rows["period"]) == {"2010"} and set(rows["release"]) == {"2010"}


@pytest.mark.parametrize("name, message", [
    ("sfr_renamed_column.csv", "column 'Referrals0910' not found"),
    ("sfr_unknown_symbol.csv", "column 'Referrals0910' has unknown symbol 'n/a'"),
    ("sfr_unknown_level.csv", "column 'geog_l' has unknown value 'Region'"),
    ("sfr_truncated.csv", "has a header but no rows"),
    ("sfr_not_utf8.csv", "not valid utf-8"),
])
def test_sfr_bad_input_stops_with_one_line(monkeypatch, name, message):
    with pytest.raises(CscError) as err:
        cin.sfr_rows(fixture_source(monkeypatch, name), SMALL_YEAR)
    text = str(err.value)
    assert message in text and name in text and "\n" not in text


def test_ees_fixture_and_unknown_symbol(monkeypatch):
    spec = {**cin.C4_COUNTS, "Duration_median": "cp.section47_to_icpc_median_days"}
    rows = cin.ees_rows(fixture_source(monkeypatch, "ees_c4.csv", release="2025"), spec)
    assert set(rows["geographic_level"]) == {"national", "regional", "local_authority"}
    hackney = rows[(rows.area_code == "E09000012") & (rows.measure == "cp.section47_children")].set_index("period")
    assert hackney.loc["2025", "value"] == 900 and hackney.loc["2021", "status"] == "x"
    assert rows[rows.measure == "cp.section47_to_icpc_median_days"]["unit"].eq("days").all()
    with pytest.raises(CscError, match=r"column 'Section47_child' has unknown symbol '~'"):
        cin.ees_rows(fixture_source(monkeypatch, "ees_c4_unknown_symbol.csv", release="2025"), spec)


def test_ees_symbols_are_per_release(monkeypatch):
    """':' was the 2020 release's 'not available'; in a 2025 file it is an error."""
    src = fixture_source(monkeypatch, "ees_c3_2020_layout.csv", release="2025")
    with pytest.raises(CscError, match="unknown symbol ':'"):
        cin.factor_rows(src)


def test_c3_harmonises_2020_layout(monkeypatch):
    rows = cin.factor_rows(fixture_source(monkeypatch, "ees_c3_2020_layout.csv", release="2020"))
    national = rows[rows.area_code == "E92000001"].set_index("breakdown")["value"]
    assert national["factor=Domestic abuse: parent is victim"] == 169860
    assert national["factor=Physical abuse (not split by perpetrator)"] == 70740
    assert national[""] == 522990  # cin.episodes_with_assessment_factors
    hackney = rows[rows.area_code == "E09000012"].set_index("breakdown")["status"]
    assert hackney["factor=Domestic abuse: child is victim"] == "c"
    assert hackney["factor=Domestic abuse: other person is victim"] == ":"


def test_c3_unknown_factor_column_stops(monkeypatch):
    with pytest.raises(CscError, match=r"column 'Domestic_Abuse_sibling' is not a known assessment factor"):
        cin.factor_rows(fixture_source(monkeypatch, "ees_c3_unknown_factor.csv", release="2025"))


def test_every_mapped_measure_is_catalogued():
    from csc.catalogue import catalogue
    for measure, (unit, period_type) in cin.MEASURES.items():
        entry = catalogue()[measure]
        assert (entry.table, entry.unit, entry.period_type) == ("cin", unit, period_type)


def test_parse_error_names_the_offending_column_not_the_first(monkeypatch):
    """The one-pass parser re-parses per column on error, so the message names the bad column."""
    frame = pd.DataFrame({"a": ["1"], "b": ["?"]})
    with pytest.raises(CscError, match="column 'b'"):
        cin._melt(frame, fixture_source(monkeypatch, "sfr_small.csv"), {"a": "cin.referrals", "b": "cp.icpcs"},
                  period=pd.Series(["2010"]),
                  geography=pd.DataFrame({"geographic_level": ["national"], "area_code": ["E92000001"],
                                          "la_code": [""], "area_name": ["England"]}),
                  allowed={""})
