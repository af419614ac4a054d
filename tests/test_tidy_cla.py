"""CLA tidy table: published figures read from the raw SSDA903 files, vintages, and hand-made edge cases."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

from csc import manifest as manifest_mod
from csc import paths
from csc.errors import CscError
from csc.tidy import cla

FIXTURES = Path(__file__).parent / "fixtures" / "cla"
ENGLAND = "E92000001"


@pytest.fixture(scope="module")
def table(fresh_table) -> pd.DataFrame:
    return fresh_table("cla")


def rows(table, measure, period, area=ENGLAND, breakdown=""):
    return table[(table.measure == measure) & (table.period == period) & (table.area_code == area)
                 & (table.breakdown == breakdown)].sort_values("release")


def value(table, measure, period, release, area=ENGLAND, breakdown=""):
    hit = rows(table, measure, period, area, breakdown)
    hit = hit[hit.release == release]
    assert len(hit) == 1, (measure, period, release, area, breakdown, len(hit))
    return hit.iloc[0].value


def test_2018_release_first_publishes_75420_and_revises_2017(table):
    """Data-notes §4.5: DfE 2018 release 75,420 at 31 March 2018 and 72,590 for 2017 (CLA2018.csv)."""
    first = rows(table, "cla.children_looked_after", "2018").iloc[0]
    assert (first.release, first.value) == ("2018", 75420)
    assert value(table, "cla.children_looked_after", "2017", "2018") == 72590


@pytest.mark.hand_collected
def test_2020_first_published_vs_latest(table):
    """80,080 as first published (hand-collected, release 2020) vs 80,000 in the 2024 time series."""
    series = rows(table, "cla.children_looked_after", "2020")
    assert (series.iloc[0].release, series.iloc[0].value, series.iloc[0].source) == (
        "2020", 80080, "cla-hand-collected-headline-figures")
    assert (series.iloc[-1].release, series.iloc[-1].value) == ("2024", 80000)
    assert value(table, "cla.children_looked_after", "2021", "2021") == 80850
    assert value(table, "cla.starts", "2020", "2020") == 30970
    assert value(table, "cla.starts", "2020", "2024") == 31010
    assert value(table, "cla.rate_per_10000", "2020", "2022") == 67
    assert value(table, "cla.rate_per_10000", "2020", "2024") == 68


def test_hand_collected_figure_already_in_a_file_is_not_duplicated(table):
    first_2018 = rows(table, "cla.children_looked_after", "2018")
    assert list(first_2018.release).count("2018") == 1
    assert first_2018.iloc[0].source == "cla-sfr-underlying-2018-cla2018"


def test_long_national_series(table):
    series = rows(table, "cla.children_looked_after", "2010")
    assert value(table, "cla.children_looked_after", "2010", "2024") == 64460
    assert value(table, "cla.children_looked_after", "2010", "2010") == 64400  # SFR 2010, rounded to 100
    latest = table[(table.measure == "cla.children_looked_after") & (table.release == "2024")
                   & (table.area_code == ENGLAND)]
    assert latest.period.min() == "1994" and latest.period.max() == "2024"
    assert value(table, "cla.children_looked_after", "2025", "2025") == 81770
    assert list(series.release) == ["2010", "2021", "2022", "2023", "2024"]


def test_mislabelled_2015_starts_column_is_read_as_2015(table):
    """Data-notes §4.3 item 4: SFR34_ADM2015 heads 2015 starts 'CLA_started2014' (England 31,070)."""
    assert value(table, "cla.starts", "2015", "2015") == 31070
    assert value(table, "cla.starts", "2014", "2014") == 30430
    assert rows(table, "cla.starts", "2014").release.tolist() == ["2014", "2021", "2022", "2023", "2024"]


def test_placement_composite_kept_before_2020(table):
    composite = "placement=Secure units, children's homes and semi-independent living"
    assert value(table, "cla.by_placement", "2019", "2019", breakdown=composite) == 9500
    assert value(table, "cla.by_placement", "2020", "2022", breakdown=composite) == 11120
    assert rows(table, "cla.by_placement", "2020", breakdown=composite).release.tolist() == ["2021", "2022", "2023"]
    assert value(table, "cla.by_placement", "2020", "2024",
                 breakdown="placement=Secure homes and children's homes") == 7100
    assert value(table, "cla.by_placement", "2010", "2010",
                 breakdown="placement=Foster placements with relative or friend") == 7300


def test_la_spot_checks(table):
    """Camden (202) CLA 2019 = 191 in CLA2019.csv; Greenwich 2010 total 589 and kinship 48 (SFR27_2010_March)."""
    assert value(table, "cla.children_looked_after", "2019", "2019", area="E09000007") == 191
    assert value(table, "cla.children_looked_after", "2010", "2010", area="E09000011") == 589
    assert value(table, "cla.by_placement", "2010", "2010", area="E09000011",
                 breakdown="placement=Foster placements with relative or friend") == 48
    warwick = rows(table, "cla.children_looked_after", "2019", area="E10000031")
    assert warwick[warwick.release == "2019"].iloc[0].value == 722


@pytest.mark.hand_collected
def test_ceased_adopted_sgo_and_care_leavers(table):
    assert value(table, "cla.ceased", "2020", "2020") == 29590
    assert value(table, "cla.adopted", "2020", "2022") == 3480
    assert value(table, "cla.ceased_sgo", "2020", "2024") == 3720
    assert value(table, "cla.care_leavers_activity", "2022", "2022",
                 breakdown="activity=Education other than higher education; age=17 to 18") == 5970
    neet = rows(table, "cla.care_leavers_activity_percent", "2022",
                breakdown="activity=Total not in education, employment or training; age=19 to 21")
    assert neet.release.tolist() == ["2022", "2023", "2024", "2025"] and ((neet.value > 0) & (neet.value < 100)).all()


def test_symbols_and_levels(table):
    assert set(table.status) <= cla.EES_SYMBOLS | cla.SFR_SYMBOLS
    assert set(table.geographic_level) == {"national", "regional", "local_authority"}
    assert (table.area_code != "").all()


# ---- hand-made fixtures ------------------------------------------------------------------------------------------

def fixture_source(monkeypatch, real_id: str, path: str, release: str):
    monkeypatch.setattr(paths, "RAW", FIXTURES.parent)
    real = manifest_mod.load()[real_id]
    return {"fixture": replace(real, id="fixture", file=f"cla/{path}", release=release)}


def test_fixture_mislabelled_column_override(monkeypatch):
    manifest = fixture_source(monkeypatch, "cla-sfr-underlying-2015-sfr34-adm2015",
                              "sfr_underlying/2015/SFR34_ADM2015.csv", "2015")
    out = cla.sfr_file(manifest, "2015/SFR34_ADM2015.csv", {})
    starts = out[out.measure == "cla.starts"]
    assert set(starts.period) == {"2015"}
    assert starts.set_index("area_code").loc["E12000001", "value"] == 1890


def test_fixture_unknown_geographic_level(monkeypatch):
    manifest = fixture_source(monkeypatch, "cla-sfr-underlying-2015-sfr34-adm2015",
                              "sfr_underlying/2015/unknown_level.csv", "2015")
    with pytest.raises(CscError, match=r"unknown_level\.csv: column 'geog_l' has unknown value 'COUNTY'"):
        cla.sfr_file(manifest, "2015/unknown_level.csv", {})


def test_fixture_renamed_count_column(monkeypatch):
    manifest = fixture_source(monkeypatch, "cla-ees-2025-release-cla-number-and-rate-per-10k-children",
                              "ees/rates_renamed.csv", "2025")
    with pytest.raises(CscError, match=r"rates_renamed\.csv: none of the columns 'number', 'children_count'"):
        cla.rates(manifest, "cla/ees/rates_renamed.csv")


def test_fixture_unknown_symbol(monkeypatch):
    manifest = fixture_source(monkeypatch, "cla-ees-2025-release-cla-number-and-rate-per-10k-children",
                              "ees/rates_unknown_symbol.csv", "2025")
    with pytest.raises(CscError, match=r"rates_unknown_symbol\.csv: column 'rate_per_10000' has unknown symbol "
                                       r"'\[z\]'"):
        cla.rates(manifest, "cla/ees/rates_unknown_symbol.csv")


def test_fixture_2025_column_names(monkeypatch):
    """2025 renames population_count -> population_type and number -> children_count (data-notes §4.3 item 3)."""
    manifest = fixture_source(monkeypatch, "cla-ees-2025-release-cla-number-and-rate-per-10k-children",
                              "ees/rates_2025.csv", "2025")
    out = cla.rates(manifest, "cla/ees/rates_2025.csv").set_index("measure")
    assert out.loc["cla.children_looked_after", "value"] == 81770
    assert out.loc["cla.rate_per_10000", "value"] == 67
    assert out.loc["cla.ceased", "value"] == 34450


def test_2021_and_2023_releases_first_publish_their_own_years(table):
    """The 2021 release's headline figures file: 80,850; 28,440 starts; 28,010 ceased; 4,070 UASC (its ':' marks
    UASC before 2004 as not available). The 2023 release: 83,840 and 71 per 10,000."""
    assert value(table, "cla.children_looked_after", "2021", "2021") == 80850
    assert value(table, "cla.starts", "2021", "2021") == 28440
    assert value(table, "cla.ceased", "2021", "2021") == 28010
    assert value(table, "cla.uasc", "2021", "2021") == 4070
    assert value(table, "cla.children_looked_after", "2023", "2023") == 83840
    assert value(table, "cla.rate_per_10000", "2023", "2023") == 71
    early = rows(table, "cla.uasc", "1994")
    assert early[early.release == "2021"].iloc[0].status == ":"


def test_care_leaver_ages_and_2025_columns_harmonised(table):
    """2021 says '17 to 18 years', 2023 'Aged 17 to 18', 2025 renames its columns (care_leaver_count ...)."""
    neet = "activity=Total not in education, employment or training; age=19 to 21"
    releases = rows(table, "cla.care_leavers_activity", "2021", breakdown=neet).release.tolist()
    assert releases == ["2021", "2022", "2023", "2024", "2025"]
    assert value(table, "cla.care_leavers_activity_percent", "2025", "2025", breakdown=neet) > 0
    assert not table[table.measure == "cla.care_leavers_activity"].breakdown.str.endswith("years").any()


def test_placement_stability_and_need_from_characteristics(table):
    three = "placements=With 3 or more placements during the year"
    assert value(table, "cla.by_placements_in_year", "2021", "2021", breakdown=three) == 7230
    assert value(table, "cla.by_need", "2021", "2021", breakdown="need=N1. Abuse or neglect") > 50000


def test_placement_stability_files(table):
    """2021 release (7,230 with 3+ placements, as its characteristics file), 2023 and 2025 renamed columns."""
    three = "stability=3 or more placements during the year"
    assert value(table, "cla.placement_stability", "2021", "2021", breakdown=three) == 7230
    assert value(table, "cla.placement_stability", "2023", "2023", breakdown=three) == 8630
    assert value(table, "cla.placement_stability", "2025", "2025", breakdown=three) == 8500
    same = "stability=Under 16 in care 2.5 years: same placement or carer for 2 years"
    assert value(table, "cla.placement_stability", "2023", "2023", breakdown=same) == 20350
    assert (table[table.measure == "cla.placement_stability"].geographic_level == "local_authority").any()


def test_care_leaver_accommodation_labels_harmonised(table):
    """'Suitability total' (2023 on) is the 2021 'Total'; the 2025 file's 'unsuitable' is 'not suitable'."""
    rows_ = table[table.measure == "cla.care_leavers_accommodation"]
    assert not rows_.breakdown.str.contains("unsuitable|Suitability total|years").any()
    total = "suitability=Total; age=17 to 18"
    assert value(table, "cla.care_leavers_accommodation", "2021", "2021",
                 breakdown="suitability=Accommodation considered suitable; age=17 to 18") == 10920
    assert rows(table, "cla.care_leavers_accommodation", "2021", breakdown=total).release.tolist() == [
        "2021", "2023", "2024", "2025"]
    assert value(table, "cla.care_leavers_accommodation", "2025", "2025",
                 breakdown="suitability=Accommodation considered not suitable; age=17 to 18") == 500


def test_starts_by_age_from_sfr_and_ees_files(table):
    """Age on starting: SFR ADM files (2011-2019), the 2021 and 2022 releases' LA files, the 2023 and 2024 releases'
    national files. Each year's ages add up to its starts; 2019 as first published (SFR) and as revised."""
    ages = ["Under 1 year", "1 to 4 years", "5 to 9 years", "10 to 15 years", "16 years and over"]
    for period, release, starts in (("2011", "2011", 27310), ("2019", "2019", 31680), ("2021", "2021", 28440),
                                    ("2023", "2023", 33000)):
        total = sum(value(table, "cla.starts_by_age", period, release, breakdown=f"age={a}") for a in ages)
        assert abs(total - starts) <= 10, (period, total)
    assert value(table, "cla.starts_by_age", "2019", "2019", breakdown="age=16 years and over") == 6370
    assert value(table, "cla.starts_by_age", "2019", "2021", breakdown="age=16 years and over") == 6380
    assert value(table, "cla.starts_by_age", "2023", "2023", breakdown="age=16 years and over") == 9070
    la = table[(table.measure == "cla.starts_by_age") & (table.geographic_level == "local_authority")]
    assert set(la.period) >= {"2011", "2019", "2022"} and "2023" not in set(la.period)


def test_new_placements_staying_put_missing_22_25_and_adoption_times(table):
    """National figures of the added files, each as its own file prints them (checked against the release's rows)."""
    assert value(table, "cla.new_placements", "2021", "2021", breakdown="location=Total") == 79920
    assert value(table, "cla.new_placements", "2025", "2025",
                 breakdown="location=Inside LA boundary, 20 miles or less from home") == 41990
    put = "stay_put=Living with former foster carers; age=18"
    assert value(table, "cla.staying_put", "2019", "2019", breakdown=put) == 1970   # SFR 2019 CL_Stayput_FFC_18
    assert value(table, "cla.staying_put", "2023", "2023", breakdown=put) == 2230
    assert value(table, "cla.staying_put", "2024", "2024", breakdown="stay_put=Left foster care at 18; age=18") == 3650
    went = "missing=Children who had a missing incident during the year"
    assert value(table, "cla.missing", "2019", "2019", breakdown=went) == 11830      # SFR Missing2019, first
    assert value(table, "cla.missing", "2019", "2021", breakdown=went) == 11880      # as revised
    assert not table[table.measure == "cla.missing"].breakdown.str.contains("Percentage|Average").any()
    neet = "activity=Not in education, employment or training; age=22"
    assert value(table, "cla.care_leavers_activity_22_25", "2023", "2023", breakdown=neet) > 0
    assert value(table, "cla.care_leavers_activity_22_25", "2024", "2024", breakdown="activity=Total; age=22") == 11300
    assert value(table, "cla.adoption_time", "2021", "2021", breakdown="stage=Entry into care to adoption") == 26
    assert value(table, "cla.adoption_time", "2025", "2025", breakdown="stage=Entry into care to adoption") == 27
    assert value(table, "cla.care_leavers_activity", "2019", "2019", breakdown="activity=Total; age=17 to 18") == 11270
    moved = "school=In care 2 years: moved school in the 2 years"
    assert value(table, "cla.school_moves", "2024", "2024", breakdown=moved) == 9340
    assert value(table, "cla.social_worker_changes", "2024", "2024",
                 breakdown="social_workers=3 or more during the year") == 22140
    # The 2021 release's distance file, its own column and row names read as the 2022 file's.
    assert value(table, "cla.by_placement_distance", "2021", "2021", breakdown="distance=Over 20 miles") == 16720
    assert value(table, "cla.by_placement_distance", "2021", "2021",
                 breakdown="distance=20 miles or less; locality=Inside LA boundary") == 40990


def test_fixture_adoption_time_not_in_years_and_months(monkeypatch):
    manifest = fixture_source(monkeypatch, "cla-ees-2025-release-national-cla-adopted-average-time-between-adoption-"
                              "process-stages", "ees/adoption_times_bad.csv", "2025")
    with pytest.raises(CscError, match=r"adoption_times_bad\.csv: column 'number' has '2 years 3 months', not "
                                       r"years:months"):
        cla.adoption_times(manifest, "cla/ees/adoption_times_bad.csv")


def test_fixture_new_placement_label_not_in_the_map(monkeypatch):
    manifest = fixture_source(monkeypatch, "cla-ees-2024-release-la-cla-during-year-new-placements",
                              "ees/new_placements_relabelled.csv", "2024")
    with pytest.raises(CscError, match=r"new_placements_relabelled\.csv: column 'characteristic' has unmapped value "
                                       r"'Placed inside LA boundary up to 20 miles from home'"):
        cla.new_placements(manifest, "cla/ees/new_placements_relabelled.csv")


def test_added_files_national_figures_hold_together_in_every_release(table):
    """The issue's warning (an older file whose values do not follow its header order): in every release and year,
    England's parts add up to their published total, and a subset never exceeds its whole."""
    england = table[table.area_code == ENGLAND].set_index(["measure", "release", "period", "breakdown"])["value"]

    def get(measure, breakdown):
        return england.xs((measure, breakdown), level=("measure", "breakdown"))

    ages = sum(get("cla.starts_by_age", f"age={a}") for a in
               ["Under 1 year", "1 to 4 years", "5 to 9 years", "10 to 15 years", "16 years and over"])
    starts = get("cla.starts", "").reindex(ages.index)
    assert ages.notna().sum() >= 15 and ((ages - starts).abs() <= 20).all(), (ages - starts).abs().max()
    places = [f"location={p}" for p in ("Inside LA boundary, 20 miles or less from home",
                                        "Inside LA boundary, more than 20 miles from home",
                                        "Outside LA boundary, 20 miles or less from home",
                                        "Outside LA boundary, more than 20 miles from home",
                                        "Distance not known or not recorded")]
    gap = sum(get("cla.new_placements", p) for p in places) - get("cla.new_placements", "location=Total")
    assert len(gap) >= 20 and (gap.abs() <= 30).all()
    for age in ("18", "19 to 20"):
        stayed = get("cla.staying_put", f"stay_put=Living with former foster carers; age={age}")
        left = get("cla.staying_put", f"stay_put=Left foster care at 18; age={age}")
        assert (stayed < left).all() and len(stayed) >= 10
    went = get("cla.missing", "missing=Children who had a missing incident during the year")
    incidents = get("cla.missing", "missing=Number of missing incidents during the year")
    assert ((incidents / went).between(4, 9)).all()
    key = "activity={}; age={}"
    for age in ("22", "23", "24", "25"):
        parts = sum(get("cla.care_leavers_activity_22_25", key.format(a, age)) for a in (
            "In education, employment or training", "Not in education, employment or training", "Not in touch"))
        total = get("cla.care_leavers_activity_22_25", key.format("Total", age))
        assert ((parts.dropna() - total.reindex(parts.dropna().index)).abs() <= 30).all(), age
        out = sum(get("cla.care_leavers_activity_22_25", key.format(a, age)) for a in (
            "Not in education, employment or training", "Not in touch"))   # the 2023 file has no EET total
        assert (out < total.reindex(out.index)).all() and len(out) == 3, age
    whole = get("cla.adoption_time", "stage=Entry into care to adoption")
    placed = get("cla.adoption_time", "stage=Entry into care to placement for adoption").reindex(whole.index)
    assert (placed < whole).all() and whole.between(18, 36).all()
