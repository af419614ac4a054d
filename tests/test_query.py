"""The query interface: vintages, areas, symbols, consistent boundaries and clear errors."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import csc
from csc import paths, query
from csc.errors import UsageError
from csc.tidy.schema import COLUMNS

ROOT = Path(__file__).resolve().parent.parent


def cli(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "csc", *args], capture_output=True, text=True, cwd=ROOT)


# --- real data --------------------------------------------------------------------------------------------------

def test_england_s47_2020_is_201000_under_both_vintages():
    assert csc.value("cp.section47_enquiries", period="2020") == 201000
    assert csc.value("cp.section47_enquiries", period=2020, vintage="first") == 201000


def test_vintages_differ_where_dfe_revised_the_back_series():
    # CIN at 31 March 2014: SFR 43/2014 said 397,600; the EES series re-derived it as 395,480 (data-notes §2.3).
    assert csc.value("cin.children_in_need", period="2014", vintage="first") == 397600
    assert csc.value("cin.children_in_need", period="2014", vintage="latest") == 395480


def test_area_by_code_dfe_code_name_and_former_code_agree():
    by_gss = csc.value("cp.section47_enquiries", area="E08000035", period="2020")
    assert by_gss == csc.value("cp.section47_enquiries", area="383", period="2020")
    assert by_gss == csc.value("cp.section47_enquiries", area="leeds", period="2020")
    # Barnsley was recoded in 2025 (E08000016 -> E08000038): one series under both codes.
    assert csc.value("cp.section47_enquiries", area="E08000016", period="2015") == \
        csc.value("cp.section47_enquiries", area="E08000038", period="2015")


def test_consistent_boundary_sums_predecessors_and_successors():
    north = csc.value("cp.section47_enquiries", area="North Northamptonshire", period="2023")
    west = csc.value("cp.section47_enquiries", area="West Northamptonshire", period="2023")
    county = csc.value("cp.section47_enquiries", area="Northamptonshire", period="2019")
    joined = csc.series("cp.section47_enquiries", area="North Northamptonshire", boundary="consistent")
    by_period = joined.set_index("period")
    assert by_period.loc["2023", "value"] == north + west
    assert by_period.loc["2019", "value"] == county
    assert by_period.loc["2023", "areas_summed"] == "E06000061+E06000062"
    assert by_period.loc["2019", "areas_summed"] == "E10000021"


def test_a_joint_return_and_its_predecessor_make_one_workforce_series():
    # Northamptonshire's children's trust returns one workforce row for North and West (940 / 941) from 2021.
    joined = csc.series("wf.agency_rate", area="940 / 941").set_index("period")
    assert joined.loc["2019", "areas_summed"] == "E10000021"
    assert joined.loc["2022", "areas_summed"] == "E06000061+E06000062"
    assert joined.loc["2022", "value"] == csc.value("wf.agency_rate", area="E06000061+E06000062", period="2022")
    published = csc.series("cp.section47_enquiries", area="North Northamptonshire")
    assert published["period"].min() >= "2021"  # as published, the new council has no history


def test_consistent_boundary_refuses_to_sum_rates():
    with pytest.raises(UsageError, match="published separately for North Northamptonshire, West Northamptonshire"):
        csc.series("cp.section47_rate", area="North Northamptonshire", boundary="consistent")


@pytest.mark.parametrize("kwargs, message", [
    (dict(measure="cp.section47_enquirys", period="2020"), r"unknown measure 'cp.section47_enquirys'; did you mean cp.section47_enquiries"),
    (dict(measure="cp.section47_enquiries", area="Leedz", period="2020"), r"unknown area 'Leedz'; did you mean Leeds"),
    (dict(measure="cp.section47_enquiries", period="2035"), r"has no period '2035' for England; held: 2010 to 2025"),
    (dict(measure="cp.section47_enquiries", period="2020", vintage="final"), r"unknown vintage 'final'"),
    (dict(measure="cp.section47_enquiries", period="2020", breakdown="x=y"), r"has no breakdown 'x=y'"),
])
def test_unknown_input_lists_close_matches(kwargs, message):
    with pytest.raises(UsageError, match=message):
        csc.value(**kwargs)


def test_cli_prints_the_number_alone():
    done = cli("value", "cp.section47_enquiries", "--area", "E92000001", "--period", "2020")
    assert (done.returncode, done.stdout) == (0, "201000\n")


def test_cli_unknown_measure_exits_2_with_one_line():
    done = cli("value", "cp.s47", "--period", "2020")
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.startswith("csc value: error: unknown measure 'cp.s47'") and done.stderr.count("\n") == 1


def test_cli_lists_the_catalogue():
    done = cli("measures")
    names = {line.split()[0] for line in done.stdout.splitlines()}
    required = {"cin.referrals", "cin.children_in_need", "cin.assessments", "cp.section47_enquiries",
                "cp.section47_children", "cp.icpcs", "cp.cpp_starts", "cp.cpp_at_31_march", "cp.cpp_ends",
                "cla.children_looked_after", "cla.rate_per_10000", "cla.starts", "cla.ceased", "cla.adopted",
                "wf.fte", "wf.agency_rate", "wf.turnover_rate", "wf.vacancy_rate", "wf.caseload",
                "mk.childrens_homes", "mk.childrens_homes_places", "pop.children_0_17", "spend.cyps_total"}
    assert required - names == set()


# --- hand-made tidy table: symbols and vintage picking ------------------------------------------------------------

@pytest.fixture
def tiny_tidy(tmp_path, monkeypatch):
    """A cin table of four rows: a revision across releases and a suppressed LA figure."""
    def row(period, area, name, level, value, status, release):
        return dict(measure="cp.section47_enquiries", period=period, period_type="year_to_31_march",
                    geographic_level=level, area_code=area, la_code="" if level != "local_authority" else "202",
                    area_name=name, breakdown="", value=value, status=status, unit="count", release=release,
                    source=f"fixture-{release}")
    frame = pd.DataFrame([row("2019", "E92000001", "England", "national", 100.0, "", "2019"),
                          row("2019", "E92000001", "England", "national", 104.0, "", "2021"),
                          row("2019", "E09000007", "Camden", "local_authority", None, "c", "2019"),
                          row("2019", "E09000007", "Camden", "local_authority", 7.0, "", "2021")])[COLUMNS]
    frame.to_parquet(tmp_path / "cin.parquet")
    (tmp_path / "geography.parquet").write_bytes((paths.TIDY / "geography.parquet").read_bytes())
    monkeypatch.setattr(paths, "TIDY", tmp_path)
    return tmp_path


def test_first_and_latest_pick_the_earliest_and_newest_release(tiny_tidy):
    assert csc.value("cp.section47_enquiries", period="2019", vintage="first") == 100
    assert csc.value("cp.section47_enquiries", period="2019", vintage="latest") == 104


def test_a_suppressed_figure_returns_its_symbol(tiny_tidy):
    assert csc.value("cp.section47_enquiries", area="Camden", period="2019", vintage="first") == "c"
    assert csc.value("cp.section47_enquiries", area="Camden", period="2019", vintage="latest") == 7


def test_format_plain_drops_float_noise():
    assert query.format_plain(201000.0) == "201000"
    assert query.format_plain(15.4) == "15.4"
    assert query.format_plain("c") == "c"


def test_breakdowns_of_a_merged_council_are_summed_over_its_group():
    group = csc.by_breakdown("cp.cpp_by_category", area="E06000058+E06000059").set_index(["period", "breakdown"])
    bcp = csc.by_breakdown("cp.cpp_by_category", area="E06000058").set_index(["period", "breakdown"])
    dorset = csc.by_breakdown("cp.cpp_by_category", area="E06000059").set_index(["period", "breakdown"])
    key = ("2022", "category=Neglect")
    assert group.loc[key, "value"] == bcp.loc[key, "value"] + dorset.loc[key, "value"]
    before = ("2018", "category=Neglect")   # Bournemouth, Poole and Dorset county before April 2019
    assert group.loc[before, "areas_summed"] == "E06000028+E06000029+E10000009"


def test_end_year_compares_financial_years_by_the_year_they_end():
    import pandas as pd

    from csc import chapter

    ctx = chapter.validate(end_year=2020)
    kept = ctx.upto(pd.DataFrame({"period": ["2019-20", "2020-21", "2020", "2021"]}))
    assert list(kept["period"]) == ["2019-20", "2020"]


def test_a_corrupt_tidy_table_is_one_line_not_a_traceback(tmp_path):
    import os
    import shutil

    shutil.copytree(paths.TIDY, tmp_path / "tidy")
    (tmp_path / "tidy" / "cin.parquet").write_bytes((paths.TIDY / "cin.parquet").read_bytes()[:5000])
    done = subprocess.run([sys.executable, "-m", "csc", "value", "cp.section47_enquiries", "--period", "2020"],
                          capture_output=True, text=True, env={**os.environ, "CSC_TIDY_DIR": str(tmp_path / "tidy")})
    assert done.returncode == 1 and done.stderr.count("\n") == 1
    assert "cin.parquet: tidy table cannot be read" in done.stderr and "make tidy" in done.stderr
