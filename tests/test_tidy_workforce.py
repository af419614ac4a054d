"""Workforce tidy table: real published figures from the raw CSWW files, plus hand-made edge cases."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

from csc import manifest as manifest_mod
from csc import paths
from csc.errors import CscError
from csc.tidy import workforce

FIXTURES = Path(__file__).parent / "fixtures"
ENGLAND = "E92000001"


@pytest.fixture(scope="module")
def table(fresh_table) -> pd.DataFrame:
    return fresh_table("workforce")


def value(table, measure, period, release, area=ENGLAND, breakdown=""):
    hit = table[(table.measure == measure) & (table.period == period) & (table.release == release)
                & (table.area_code == area) & (table.breakdown == breakdown)]
    assert len(hit) == 1, (measure, period, release, area, breakdown, len(hit))
    return hit.iloc[0]


@pytest.mark.parametrize("measure, expected", [
    ("wf.fte", 31852.3), ("wf.headcount", 33928), ("wf.agency_fte", 5800.9), ("wf.agency_rate", 15.4),
    ("wf.turnover_rate", 13.5), ("wf.vacancy_fte", 6112.6), ("wf.vacancy_rate", 16.1),
    ("wf.case_holders_fte", 20530.8), ("wf.caseload", 16.3), ("wf.absence_rate", 2.9),
])
def test_national_sept_2020_latest_release(table, measure, expected):
    """Data-notes §3.3 (2025 indicators file) and the EES 2020 release page: 31,852 FTE, 15.4%, 16.3, 16.1%."""
    assert value(table, measure, "2020", "2025").value == expected


def test_leavers_revision_is_kept_per_release(table):
    """Sept 2019 leavers: 5,289 headcount / 16.1% in the 2022 file, 4,963 / 15.1% later (data-notes §3.4)."""
    assert value(table, "wf.leavers_headcount", "2019", "2022").value == 5289
    assert value(table, "wf.leavers_headcount", "2019", "2024").value == 4963
    assert value(table, "wf.leavers_headcount", "2019", "2025").value == 4963
    assert value(table, "wf.turnover_rate_headcount", "2019", "2022").value == 16.1
    assert value(table, "wf.turnover_rate_headcount", "2019", "2025").value == 15.1
    assert value(table, "wf.leavers_headcount", "2017", "2022").value == 4497
    assert value(table, "wf.leavers_headcount", "2017", "2025").value == 4204


def test_old_column_names_map_onto_the_same_measures(table):
    """2022 headline file: social_worker_fte, agency_worker_rate_fte_% ... for Sept 2022 (its own first row)."""
    assert value(table, "wf.fte", "2022", "2022").value == 31634.1
    assert value(table, "wf.agency_rate", "2022", "2022").value == 17.6
    assert value(table, "wf.turnover_rate", "2022", "2022").value == 17.1
    assert value(table, "wf.absence_rate", "2022", "2022").value == 3.5
    assert value(table, "wf.leavers_fte", "2022", "2022").value == 5422


def test_period_types_split_stocks_and_flows(table):
    types = table.groupby("measure")["period_type"].first()
    assert types["wf.fte"] == types["wf.caseload"] == types["wf.vacancy_rate"] == "at_30_september"
    assert types["wf.starters_fte"] == types["wf.turnover_rate"] == types["wf.absence_rate"] == "year_to_30_september"


def test_joint_returns_share_one_combined_code(table):
    kr = value(table, "wf.fte", "2024", "2025", area="E09000021+E09000027")
    assert (kr.value, kr.la_code) == (148.8, "314 / 318")
    nn = value(table, "wf.fte", "2025", "2025", area="E06000061+E06000062")
    assert (nn.value, nn.la_code) == (421.5, "940 / 941")
    # 2022 file: the same joint figure under the lead LA's code, the partner row `z`
    lead = value(table, "wf.fte", "2022", "2022", area="E09000021+E09000027")
    assert (lead.value, lead.la_code) == (125.4, "314")
    partner = value(table, "wf.fte", "2022", "2022", area="E09000027")
    assert partner.status == "z" and pd.isna(partner.value)


def test_la_spot_checks_and_symbols(table):
    """Sunderland 2025: agency FTE published as `low`; Isles of Scilly turnover `z`; Barnsley on its 2025 code."""
    sunderland = value(table, "wf.agency_fte", "2025", "2025", area="E08000024")
    assert pd.isna(sunderland.value) and sunderland.status == "low"
    assert value(table, "wf.fte", "2025", "2025", area="E08000024").value == 229.5
    assert value(table, "wf.turnover_rate", "2025", "2025", area="E06000053").status == "z"
    assert set(table.status) <= {"", "x", "z", "c", "u", "low"}
    assert "E08000038" in set(table.area_code) and "E08000016" not in set(table.area_code)


def test_role_by_ethnicity_known_ethnicity_only(table):
    """2020: 27,511 social workers with known ethnicity; case holders 13,518 of whom Black 2,024 (15.0%)."""
    role = "role=All children and family social workers; ethnicity=All known"
    assert value(table, "wf.headcount_by_role_ethnicity", "2020", "2022", breakdown=role).value == 27511
    assert value(table, "wf.headcount_by_role_ethnicity", "2020", "2022",
                 breakdown="role=Case holder; ethnicity=All known").value == 13518
    assert value(table, "wf.headcount_by_role_ethnicity", "2020", "2022",
                 breakdown="role=Case holder; ethnicity=Black").value == 2024
    assert value(table, "wf.share_by_role_ethnicity", "2020", "2022",
                 breakdown="role=Case holder; ethnicity=Black").value == 15.0
    known = value(table, "wf.headcount_by_role_ethnicity", "2020", "2022", breakdown=role).value
    assert known < value(table, "wf.headcount", "2020", "2022").value


def test_every_release_of_every_vintage_is_present(table):
    national = table[(table.area_code == ENGLAND) & (table.measure == "wf.fte")]
    assert sorted(national.groupby("release")["period"].apply(lambda p: f"{p.min()}-{p.max()}")) == [
        "2017-2022", "2017-2023", "2017-2024", "2017-2025"]


def test_2023_release_already_carries_the_revised_leavers(table):
    """The 2023 indicators file: England Sept 2019 turnover 15.1% (not 2022's 16.1%), Sept 2022 17.2% (2024: 17.3%)."""
    assert value(table, "wf.turnover_rate_headcount", "2019", "2023").value == 15.1
    assert value(table, "wf.leavers_headcount", "2019", "2023").value == 4963
    assert value(table, "wf.turnover_rate_headcount", "2022", "2023").value == 17.2
    assert value(table, "wf.turnover_rate_headcount", "2022", "2024").value == 17.3
    assert value(table, "wf.fte", "2023", "2023").value == 33119.1
    assert value(table, "wf.caseload", "2023", "2023").value == 16.0


def test_2023_release_values_later_withdrawn(table):
    """Published in the 2023 file, `u` (low reliability) in 2024 and 2025: Cambridgeshire's Sept 2023 absence rate."""
    assert value(table, "wf.absence_rate", "2023", "2023", area="E10000003").value == 0.6
    for release in ("2024", "2025"):
        later = value(table, "wf.absence_rate", "2023", release, area="E10000003")
        assert later.status == "u" and pd.isna(later.value)


def test_2023_release_leaves_out_its_agency_cover_share(table):
    """Its Suffolk 2020 share is 111.8% (withdrawn later as `u`); the cover FTE is kept, the share is not."""
    from_2023 = table[table.source == "workforce-csww-2023-csww-indicators-2017-to-2023"]
    assert "wf.agency_cover_rate" not in set(from_2023.measure)
    assert value(table, "wf.agency_cover_fte", "2020", "2023", area="E10000029").value == 19
    assert value(table, "wf.agency_cover_rate", "2020", "2025", area="E10000029").status == "u"


# ---- hand-made fixtures ------------------------------------------------------------------------------------------

def fixture_manifest(monkeypatch, name: str, release: str = "2025") -> dict:
    monkeypatch.setattr(paths, "RAW", FIXTURES)
    real = manifest_mod.load()["workforce-csww-indicators-2017-to-2025"]
    path = f"workforce/{name}"
    return {"fixture": replace(real, id="fixture", file=path, release=release, encoding="utf-8-sig")}


def test_fixture_joint_returns_and_low(monkeypatch):
    manifest = fixture_manifest(monkeypatch, "indicators_joint_returns.csv")
    rows = workforce.headline(manifest, "workforce/indicators_joint_returns.csv", workforce.INDICATORS)
    fte = rows[rows.measure == "wf.fte"].set_index("area_code")
    assert fte.loc["E06000061+E06000062", "value"] == 421.5
    assert fte.loc["E06000061+E06000062", "la_code"] == "940 / 941"
    assert fte.loc["E92000001", "la_code"] == ""
    agency = rows[(rows.measure == "wf.agency_fte") & (rows.la_code == "394")]
    assert list(agency.status) == ["low"] and agency.value.isna().all()
    leavers = rows[(rows.measure == "wf.leavers_fte") & (rows.la_code == "394")]
    assert list(leavers.status) == ["u"]


def test_fixture_2022_lead_rows_become_joint(monkeypatch):
    manifest = fixture_manifest(monkeypatch, "headline_2022_joint_leads.csv", release="2022")
    rows = workforce.headline(manifest, "workforce/headline_2022_joint_leads.csv", workforce.HEADLINE_2022)
    fte = rows[rows.measure == "wf.fte"].set_index("la_code")
    assert fte.loc["314", "area_code"] == "E09000021+E09000027"
    assert fte.loc["940", "area_code"] == "E06000061+E06000062"
    assert fte.loc["318", "area_code"] == "E09000027" and fte.loc["318", "status"] == "z"
    assert set(rows.release) == {"2022"}


def test_fixture_renamed_column_stops_with_one_line(monkeypatch):
    manifest = fixture_manifest(monkeypatch, "headline_2022_renamed_column.csv", release="2022")
    with pytest.raises(CscError, match=r"headline_2022_renamed_column\.csv: column 'social_worker_fte' not found"):
        workforce.headline(manifest, "workforce/headline_2022_renamed_column.csv", workforce.HEADLINE_2022)


def test_fixture_unknown_symbol_names_file_column_value(monkeypatch):
    manifest = fixture_manifest(monkeypatch, "indicators_unknown_symbol.csv")
    with pytest.raises(CscError, match=r"indicators_unknown_symbol\.csv: column 'inpost_fte' has unknown symbol "
                                       r"'\[c\]'") as err:
        workforce.headline(manifest, "workforce/indicators_unknown_symbol.csv", workforce.INDICATORS)
    assert "\n" not in str(err.value)
