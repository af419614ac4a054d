"""Markets tidy table: Ofsted figures read from the real raw files, plus hand-made edge cases."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

from csc import manifest as manifest_mod
from csc import paths
from csc.errors import CscError
from csc.tidy import geography, markets

FIXTURES = Path(__file__).parent / "fixtures"
ENGLAND = "E92000001"
HOMES = "provision=Children's home"


@pytest.fixture(scope="module")
def table(fresh_table) -> pd.DataFrame:
    return fresh_table("markets")


@pytest.fixture(scope="module")
def areas() -> markets.AreaNames:
    return markets.AreaNames(geography.build(manifest_mod.load()))


def value(table, measure, period, area=ENGLAND, breakdown="", release=None):
    hit = table[(table.measure == measure) & (table.period == period) & (table.area_code == area)
                & (table.breakdown == breakdown)]
    if release is not None:
        hit = hit[hit.release == release]
    assert len(hit) == 1, (measure, period, area, breakdown, release, len(hit))
    return hit.iloc[0]


def test_ofsted_time_series_cross_checks(table):
    """Data-notes §6.3: 2,798 homes / 11,095 places at 31 March 2022; 2,624 / 10,708 in 2021 (2023 ODS)."""
    assert value(table, "mk.childrens_homes", "2022").value == 2798
    assert value(table, "mk.childrens_homes_places", "2022").value == 11095
    assert value(table, "mk.childrens_homes", "2021").value == 2624
    assert value(table, "mk.childrens_homes_places", "2021").value == 10708
    assert value(table, "mk.childrens_homes", "2022").release == "2023"


def test_time_series_by_provision_text_dates_and_dash(table):
    """Table 6a/6b read by hand: 2012 (a '31-Mar-12 [Note 1]' text date) 2,090 children's homes of all kinds;
    IFAs 326 in 2022; all providers 3,812 in 2023; holiday schemes '-' before 2015; RSS places 2,483 in 2012."""
    assert value(table, "mk.providers", "2012", breakdown="provision=All children's homes").value == 2090
    assert value(table, "mk.providers", "2022", breakdown="provision=Independent fostering agency").value == 326
    assert value(table, "mk.providers", "2023").value == 3812
    dash = value(table, "mk.providers", "2014", breakdown="provision=Residential holiday scheme for disabled children")
    assert dash.status == "-" and pd.isna(dash.value)
    assert value(table, "mk.providers", "2015",
                 breakdown="provision=Residential holiday scheme for disabled children").value == 6
    assert value(table, "mk.places", "2012",
                 breakdown="provision=Residential special school (registered as a children's home)").value == 2483
    ts = table[table.measure == "mk.childrens_homes"]
    assert sorted(ts.period) == [str(y) for y in range(2012, 2024)]


def test_provider_lists_match_published_totals_where_complete(table):
    """2022 and 2021 lists equal Ofsted's totals; the 2022 private split 53 + 2,088 + 8,093 + 861 (§6.3)."""
    assert value(table, "mk.providers_by_sector", "2022", breakdown=HOMES).value == 2798
    assert value(table, "mk.places_by_sector", "2022", breakdown=HOMES).value == 11095
    assert value(table, "mk.providers_by_sector", "2021", breakdown=HOMES).value == 2624
    assert value(table, "mk.places_by_sector", "2021", breakdown=HOMES).value == 10708
    assert value(table, "mk.providers_by_sector", "2022", breakdown=f"{HOMES}; sector=Private").value == 2221
    places = {sector: value(table, "mk.places_by_sector", "2022", breakdown=f"{HOMES}; sector={sector}").value
              for sector in ("Health authority", "Local authority", "Private", "Voluntary")}
    assert places == {"Health authority": 53, "Local authority": 2088, "Private": 8093, "Voluntary": 861}


def test_undercounting_lists_and_2018_part_two(table):
    """§6.2: the 2020 list has 2,230 homes against 2,378 published; 2018 uses part 2 (2,124, = published)."""
    assert value(table, "mk.providers_by_sector", "2020", breakdown=HOMES).value == 2230
    assert value(table, "mk.childrens_homes", "2020").value == 2378
    assert value(table, "mk.providers_by_sector", "2018", breakdown=HOMES).value == 2124
    assert value(table, "mk.places_by_sector", "2018", breakdown=HOMES).value == 9430
    sources = set(table.loc[table.period == "2018", "source"])
    assert "markets-ofsted-providers-at-31-march-provider-at-march-2018" not in sources
    assert "markets-ofsted-providers-at-31-march-provider-at-march-2018-part2" in sources


def test_provider_list_la_spot_checks_and_boundaries(table):
    """Counted by hand from the raw lists: Kent 2022 84 homes (69 private), 383 places; Dorset county 2017 9 homes;
    Dorset UA 2025 14 homes; 2025 adds 893 supported accommodation providers; no places in the 2015 list."""
    assert value(table, "mk.providers_by_sector", "2022", area="E10000016", breakdown=HOMES).value == 84
    assert value(table, "mk.providers_by_sector", "2022", area="E10000016",
                 breakdown=f"{HOMES}; sector=Private").value == 69
    assert value(table, "mk.places_by_sector", "2022", area="E10000016", breakdown=HOMES).value == 383
    assert value(table, "mk.providers_by_sector", "2017", area="E10000009", breakdown=HOMES).value == 9
    assert value(table, "mk.providers_by_sector", "2025", area="E06000059", breakdown=HOMES).value == 14
    assert value(table, "mk.providers_by_sector", "2025", breakdown="provision=Supported accommodation").value == 893
    assert not ((table.measure == "mk.places_by_sector") & (table.period == "2015")).any()
    regional = table[(table.measure == "mk.providers_by_sector") & (table.period == "2022")
                     & (table.breakdown == "") & (table.geographic_level == "regional")]
    assert regional.value.sum() == 3576 and "E12000007" in set(regional.area_code)


def test_welsh_providers_count_nationally_only(table):
    """2025: four supported accommodation providers sit in Welsh LAs; England counts all 5,600, LAs 5,596."""
    national = value(table, "mk.providers_by_sector", "2025").value
    la_total = table[(table.measure == "mk.providers_by_sector") & (table.period == "2025")
                     & (table.breakdown == "") & (table.geographic_level == "local_authority")].value.sum()
    assert (national, la_total) == (5600, 5596)


def test_september_2014_is_its_own_measure(table):
    """providers_at_sept_14.csv: 1,965 children's homes, 9,076 places, period type at_30_september."""
    row = value(table, "mk.providers_by_sector_at_september", "2014", breakdown=HOMES)
    assert row.value == 1965 and row.period_type == "at_30_september" and row.release == "2014-09"
    assert value(table, "mk.places_by_sector_at_september", "2014", breakdown=HOMES).value == 9076


def test_owner_concentration_is_a_bounded_share(table):
    shares = table[table.measure == "mk.childrens_homes_largest_owners_share"]
    assert sorted(shares.period.unique()) == [str(y) for y in range(2018, 2026)]
    wide = shares.pivot(index="period", columns="breakdown", values="value")
    assert ((wide["owners=largest 10"] > 10) & (wide["owners=largest 10"] < wide["owners=largest 15"])
            & (wide["owners=largest 15"] < 50)).all()


def test_fostering_trend_by_sector(table):
    """Trend sheet (read by hand): households at 31 March 2018 43,475 = LA 28,710 + IFA 14,765; approved places
    2013 76,565; households 2012-13 '..'."""
    assert value(table, "mk.fostering_households", "2018").value == 43475
    assert value(table, "mk.fostering_households", "2018", breakdown="sector=Local authority").value == 28710
    assert value(table, "mk.fostering_households", "2018",
                 breakdown="sector=Independent fostering agency").value == 14765
    assert value(table, "mk.fostering_places", "2013").value == 76565
    missing = value(table, "mk.fostering_households", "2013")
    assert missing.status == ".." and pd.isna(missing.value)


def test_fostering_2018_19_england_all_agencies_las_own_services(table):
    """2018-19 export: England 44,450 households (all agencies); North East LA services 2,330; Darlington 85."""
    assert value(table, "mk.fostering_households", "2019").value == 44450
    assert value(table, "mk.fostering_households", "2019", area="E12000001",
                 breakdown="sector=Local authority").value == 2330
    assert value(table, "mk.fostering_households", "2019", area="E06000005",
                 breakdown="sector=Local authority").value == 85
    assert value(table, "mk.fostering_places", "2019").value == 88370


# ---- hand-made fixtures ------------------------------------------------------------------------------------------

def fixture_source(monkeypatch, name: str, release: str = "2018", encoding: str = "utf-8"):
    monkeypatch.setattr(paths, "RAW", FIXTURES)
    real = manifest_mod.load()["markets-ofsted-providers-at-31-march-provider-at-march-2019"]
    return replace(real, id="fixture", file=f"markets/{name}", release=release, encoding=encoding)


def test_fixture_preamble_variants_and_dorset_by_date(monkeypatch, areas):
    """Three preamble rows; 'Children's Home' and 'PRIVATE' harmonised; Dorset is the county at March 2018 and the
    new unitary at March 2020; the Cardiff provider counts nationally only; IFAs have no places rows."""
    src = fixture_source(monkeypatch, "provider_list_preamble.csv")
    rows = markets.provider_counts(src, "2018", dict(markets.STANDARD), areas)
    homes = rows[(rows.measure == "mk.providers_by_sector") & (rows.breakdown == HOMES)].set_index("area_code")
    assert homes.loc["E10000009", "value"] == 3 and homes.loc["E06000020", "value"] == 2
    assert homes.loc[ENGLAND, "value"] == 5
    private = rows[(rows.measure == "mk.places_by_sector") & (rows.breakdown == f"{HOMES}; sector=Private")]
    assert private.set_index("area_code").loc["E10000009", "value"] == 7
    total = rows[(rows.measure == "mk.providers_by_sector") & (rows.breakdown == "")].set_index("area_code")
    assert total.loc[ENGLAND, "value"] == 7 and total.loc["E12000009", "value"] == 3
    ifa = rows.breakdown == "provision=Independent fostering agency"
    assert ((rows.measure == "mk.providers_by_sector") & ifa).any()
    assert not ((rows.measure == "mk.places_by_sector") & ifa).any()
    shares = rows[rows.measure == "mk.childrens_homes_largest_owners_share"].set_index("breakdown")["value"]
    # 14 private home places: Alpha Care Ltd (4 + 3, name variants merged) and Beta Homes (2); 5 unnamed
    assert shares["owners=largest 10"] == pytest.approx(100 * 9 / 14)
    later = markets.provider_counts(replace(src, release="2020"), "2020", dict(markets.STANDARD), areas)
    assert "E06000059" in set(later.area_code) and "E10000009" not in set(later.area_code)


@pytest.mark.parametrize("name, message", [
    ("provider_list_renamed_column.csv", r"provider_list_renamed_column\.csv: column 'Sector' not found"),
    ("provider_list_unknown_provision.csv",
     r"provider_list_unknown_provision\.csv: column 'Provision type' has unknown value \"Children's hostel\""),
    ("provider_list_unknown_la.csv",
     r"provider_list_unknown_la\.csv: column 'Local authority' has unknown local authority 'Atlantis'"),
])
def test_fixture_bad_provider_lists_stop_with_one_line(monkeypatch, areas, name, message):
    src = fixture_source(monkeypatch, name)
    with pytest.raises(CscError, match=message) as err:
        markets.provider_counts(src, "2018", dict(markets.STANDARD), areas)
    assert "\n" not in str(err.value)


def fostering_manifest(monkeypatch, name: str) -> dict:
    src = fixture_source(monkeypatch, name, release="2018-2019")
    return {"fixture": src}


def test_fixture_fostering_transposed_levels(monkeypatch, areas):
    """England = all agencies (""), regions and LAs = LA services; '..' kept; the Tri-borough column dropped."""
    rows = markets.fostering_la_2019(fostering_manifest(monkeypatch, "fostering_2019.csv"), areas,
                                     path="markets/fostering_2019.csv")
    households = rows[rows.measure == "mk.fostering_households"].set_index("area_code")
    assert households.loc[ENGLAND, ["value", "breakdown"]].tolist() == [44450, ""]
    assert households.loc["E12000001", "breakdown"] == "sector=Local authority"
    assert households.loc["E06000047", "value"] == 385  # "Durham" is County Durham
    carers = rows[(rows.measure == "mk.foster_carers") & (rows.area_code == "E06000047")].iloc[0]
    assert carers.status == ".." and pd.isna(carers.value)
    assert "London Tri-borough" not in set(rows.area_name)
    assert set(rows.period) == {"2019"} and set(rows.release) == {"2018-2019"}


def test_fixture_fostering_unknown_symbol(monkeypatch, areas):
    with pytest.raises(CscError, match=r"fostering_2019_unknown_symbol\.csv: column 'Total approved households' "
                                       r"has unknown symbol '#'"):
        markets.fostering_la_2019(fostering_manifest(monkeypatch, "fostering_2019_unknown_symbol.csv"), areas,
                                  path="markets/fostering_2019_unknown_symbol.csv")


def test_fixture_not_a_workbook(monkeypatch):
    src = fixture_source(monkeypatch, "not_a_workbook.xlsx")
    with pytest.raises(CscError, match=r"not_a_workbook\.xlsx: not a readable xlsx workbook"):
        markets.xlsx_sheet(src, markets.FOSTERING_TREND_SHEET)


def test_ods_dates_must_be_31_march():
    assert markets._ods_year("31-Mar-15 [Note 3]", "f.ods") == "2015"
    assert markets._ods_year(pd.Timestamp("2022-03-31"), "f.ods") == "2022"
    with pytest.raises(CscError, match=r"f\.ods: column 'Date' has value '30-Sep-14'"):
        markets._ods_year("30-Sep-14", "f.ods")


WORKBOOK = "markets-childrens-social-care-in-england-2023-underlying-data"


def test_2023_list_read_from_the_workbook_reconciles_with_its_totals(table):
    """The 2023 CSV extract lists 2,821 homes (the inspected subset); the workbook's providers-and-places sheet holds
    all 3,050 homes and 11,857 places of Tables 6a/6b, with 2,466 private homes (8,885 places), counted by hand."""
    homes = value(table, "mk.providers_by_sector", "2023", breakdown=HOMES)
    assert homes.value == 3050 and homes.source == WORKBOOK
    assert value(table, "mk.places_by_sector", "2023", breakdown=HOMES).value == 11857
    assert value(table, "mk.providers_by_sector", "2023", breakdown=f"{HOMES}; sector=Private").value == 2466
    assert value(table, "mk.places_by_sector", "2023", breakdown=f"{HOMES}; sector=Private").value == 8885
    assert "markets-ofsted-providers-at-31-march-provider-at-march-2023" not in set(table.source)
    assert value(table, "mk.providers_by_sector", "2022", breakdown=HOMES).source == \
        "markets-childrens-social-care-in-england-2022-underlying-data"


def test_reconcile_stops_when_a_workbook_list_disagrees_with_its_totals():
    lists = pd.DataFrame({"measure": ["mk.providers_by_sector"], "geographic_level": ["national"],
                          "breakdown": [HOMES], "period": ["2023"], "value": [3049.0], "source": ["wb"]})
    totals = pd.DataFrame({"measure": ["mk.childrens_homes"], "period": ["2023"], "value": [3050.0]})
    with pytest.raises(CscError, match=r"^wb: the 2023 provider list has 3,049 for mk.childrens_homes, but the "
                                       r"workbook's national table has 3,050$"):
        markets.reconcile(lists, totals, {"wb"})
    markets.reconcile(lists.assign(source="a csv extract"), totals, {"wb"})  # CSV subsets are allowed


@pytest.mark.hand_collected
def test_hand_collected_figures_kept_under_their_publication_month(table):
    """CMA interim (Oct 2021): £3,830 a week and 23% margin for children's homes; LGA (Dec 2020): 40% of foster
    placements independent; Ofsted (2022): the 10 largest owners hold 33%."""
    price = value(table, "mk.cma_average_weekly_price", "2020", breakdown=HOMES)
    assert price.value == 3830 and price.release == "2021-10" and price.unit == "gbp"
    assert value(table, "mk.cma_operating_margin", "2020", breakdown=HOMES).value == 23
    assert value(table, "mk.lga_independent_share_placements", "2020",
                 breakdown="placement=Foster placements").value == pytest.approx(40)
    assert value(table, "mk.ofsted_largest_owners_share", "2022",
                 breakdown="owners=largest 10; of=all homes").release == "2022-03"
    assert value(table, "mk.lga_spend_independent_placements", "2019-20").value == 2e9


def test_joiners_and_leavers_add_up_to_the_change_in_published_homes(table):
    """Counted by hand from the raw lists: children's homes joining / leaving 2016-17 224 / 146, 2022-23 370 / 119;
    joiners minus leavers is within one of the change in Ofsted's totals (3,050 - 2,798 = 252)."""
    assert value(table, "mk.joiners", "2017", breakdown=HOMES).value == 224
    assert value(table, "mk.leavers", "2017", breakdown=HOMES).value == 146
    joined, left = (value(table, m, "2023", breakdown=HOMES).value for m in ("mk.joiners", "mk.leavers"))
    change = value(table, "mk.childrens_homes", "2023").value - value(table, "mk.childrens_homes", "2022").value
    assert (joined, left) == (370, 119) and abs(joined - left - change) <= 1
    assert value(table, "mk.joiners", "2023", breakdown=HOMES).period_type == "year_to_31_march"
    # an agency with no local authority in the 2018 list counts for England only
    national = value(table, "mk.joiners", "2018").value
    regions = table[(table.measure == "mk.joiners") & (table.period == "2018") & (table.breakdown == "")
                    & (table.geographic_level == "regional")].value.sum()
    assert national > regions
