"""Statistical neighbours: DfE's April 2021 groupings in the geography layer, reorganised councils, and the
comparison of an LA with its region, England and its neighbours (csc.analysis.places), against the real files."""
from __future__ import annotations

import csv
import shutil
import statistics

import pandas as pd
import pytest

from csc import manifest as manifest_mod
from csc import paths, query
from csc.analysis import places
from csc.errors import CscError, UsageError
from csc.tidy import geography

SN_FILE = "context/geography/New_Statistical_Neighbour_Groupings_April_2021.csv"
LEEDS, DERBYSHIRE, CUMBRIA = "E08000035", "E10000007", "E10000006"
CUMBERLAND, WESTMORLAND = "E06000063", "E06000064"


def file_rows(mirror) -> dict[str, list[str]]:
    """The file read plainly: DfE code -> its ten neighbours' DfE codes, as published."""
    with open(mirror / SN_FILE, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    return {r[2]: [r[5 + 2 * i] for i in range(10)] for r in rows[1:] if r and r[2].strip()}


def names(codes):
    return [query.areas().name(c) for c in codes]


def test_leeds_has_the_ten_neighbours_the_file_lists(mirror):
    assert file_rows(mirror)["383"] == ["373", "841", "381", "351", "808", "350", "831", "392", "382", "344"]
    assert names(places.neighbours("Leeds")) == ["Sheffield", "Darlington", "Calderdale", "Bury", "Stockton-on-Tees",
                                                 "Bolton", "Derby", "North Tyneside", "Kirklees", "Wirral"]
    assert places.neighbours("383") == places.neighbours(LEEDS)


def test_every_current_la_has_ten_distinct_neighbours_as_the_file_lists_them(mirror):
    areas, listed = query.areas(), file_rows(mirror)
    by_dfe = {r["la_code"]: code for code, r in areas.by_code.items() if r["la_code"]}
    current = [c for c, r in areas.by_code.items() if r["geographic_level"] == "local_authority"
               and r["last_year"] == 9999 and "+" not in c]
    assert len(current) == 153
    for code in current:
        found = places.neighbours(code)
        assert len(set(found)) == 10 and code not in found, code
        dfe = areas.by_code[code]["la_code"]
        if dfe in listed:
            assert found == [by_dfe[c] for c in listed[dfe]], code


def test_recoded_unitaries_keep_their_groupings(mirror):
    """North Yorkshire and Somerset (unitary in 2023, same boundary and DfE code) keep the 815 and 933 rows."""
    listed = file_rows(mirror)
    for code, dfe in (("E06000065", "815"), ("E06000066", "933")):
        assert [query.areas().by_code[c]["la_code"] for c in places.neighbours(code)] == listed[dfe]
    assert places.neighbours("North Yorkshire") == places.neighbours("E10000023")  # the old code folds


def test_cumbria_successors_take_cumbria_neighbours_and_predecessors_keep_theirs():
    assert places.neighbours(CUMBERLAND) == places.neighbours(WESTMORLAND) == places.neighbours(CUMBRIA)
    assert "Lincolnshire" == names(places.neighbours(CUMBERLAND))[0]
    # The file's "Old SNs" rows: Northamptonshire's own grouping, for the years it reported.
    assert names(places.neighbours("E10000021"))[:3] == ["Kent", "Nottinghamshire", "Swindon"]
    with pytest.raises(UsageError, match="England has no statistical neighbours"):
        places.neighbours("E92000001")


def test_abolished_neighbour_is_compared_as_its_successors_and_a_later_one_as_its_predecessor():
    """Derbyshire's grouping names Cumbria (split 2023) and North Northamptonshire (formed 2021)."""
    named = places.neighbours(DERBYSHIRE)
    assert {CUMBRIA, "E06000061"} <= set(named)
    now = places.benchmark("cla.children_looked_after", DERBYSHIRE, "2024")
    stand = now.compared[now.compared["named"] == CUMBRIA]
    assert sorted(stand["area_code"]) == [CUMBERLAND, WESTMORLAND] and len(now.compared) == 11
    then = places.benchmark("cla.children_looked_after", DERBYSHIRE, "2020", "first")
    assert then.compared.set_index("named").loc["E06000061", "area_code"] == "E10000021"  # Northamptonshire
    assert CUMBRIA in set(then.compared["area_code"]) and len(then.compared) == 10
    sentence = places.beside_neighbours(now)
    assert "Cumberland and Westmorland and Furness standing in for Cumbria, which had no figures for 2024" in sentence


def test_benchmark_median_range_and_rank_match_the_tidy_tables():
    """Leeds's section 47 rate in 2024 among its neighbours, recomputed from the Parquet files with pandas."""
    cin = pd.read_parquet(paths.TIDY / "cin.parquet", filters=[("measure", "=", "cp.section47_enquiries")])
    pop = pd.read_parquet(paths.TIDY / "context.parquet", filters=[("measure", "=", "pop.children_0_17")])
    counts = (cin[(cin.period == "2024") & (cin.breakdown == "")].sort_values("release")
              .drop_duplicates("area_code", keep="last").set_index("area_code")["value"])
    children = (pop[(pop.period == "2023") & (pop.breakdown == "")].sort_values("release")
                .drop_duplicates("area_code", keep="last").set_index("area_code")["value"])
    rates = counts / children * 10_000
    group = [LEEDS] + places.neighbours(LEEDS)
    b = places.benchmark("cp.section47_enquiries", LEEDS, "2024")
    theirs = rates[group[1:]]
    assert b.value == pytest.approx(rates[LEEDS])
    assert b.median == pytest.approx(statistics.median(theirs))
    assert (b.low, b.high) == (pytest.approx(theirs.min()), pytest.approx(theirs.max()))
    assert b.rank == 1 + int((theirs > rates[LEEDS]).sum()) and b.of == 11
    assert b.england == pytest.approx(rates["E92000001"]) and b.region == pytest.approx(rates["E12000003"])


def test_small_counts_are_not_ranked():
    b = places.benchmark("cp.section47_enquiries", "Isles of Scilly", "2024")
    assert b.rank is None and b.value is None
    assert "too few to rank" in places.beside_neighbours(b) or "not published" in places.beside_neighbours(b)


def test_a_published_percentage_is_compared_as_published():
    b = places.benchmark("wf.agency_rate", LEEDS, "2020", per_10000=False)
    assert b.unit == "percent" and b.value == query.value("wf.agency_rate", LEEDS, "2020")
    assert b.england == query.value("wf.agency_rate", "E92000001", "2020")
    assert places.beside_neighbours(b).count("%") >= 3


def test_place_comparison_sets_the_la_beside_its_neighbours():
    from csc import chapter

    for area, expect in (("Leeds", ["Leeds ranked"]),
                         ("North Northamptonshire", ["North Northamptonshire ranked", "West Northamptonshire ranked"])):
        ctx = chapter.validate(area)
        c = places.compare("cp.section47_enquiries", places.latest_year("cp.section47_enquiries", ctx), "latest")
        text = places.describe(ctx, c, "enquiries")
        assert all(e in text for e in expect) and "statistical neighbours" in text
    ctx = chapter.validate("E12000003")
    assert "statistical neighbours" not in places.describe(ctx, c, "enquiries")


# ---- malformed files ---------------------------------------------------------------------------------------------

def _build_with(tmp_path, monkeypatch, mirror, edit):
    for name in (geography.LAS, geography.REGIONS, SN_FILE):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(mirror / name, tmp_path / name)
    path = tmp_path / SN_FILE
    path.write_text(edit(path.read_text(encoding="utf-8-sig")), encoding="utf-8-sig")
    monkeypatch.setattr(paths, "RAW", tmp_path)
    return geography.build(manifest_mod.load())


@pytest.mark.parametrize("edit, message", [
    (lambda t: t.replace("383,Leeds,383,9,Yorkshire and the Humber,373", "383,Leeds,383,9,Yorkshire and the Humber,999"),
     r"New_Statistical_Neighbour_Groupings_April_2021\.csv: line \d+ \(LA 383\): column 'SN1' has '999', not another"),
    (lambda t: t.replace(",SN10,", ",SN_10,", 1), r"column 'SN10' not found"),
    (lambda t: t.replace("941,West Northamptonshire,941,", "941,West Northamptonshire,940,"),
     r"LA number '940' is listed twice"),
    (lambda t: t.replace("909,Cumbria,909,", "909,Cumbria,,"),
     r"no statistical neighbours for Cumberland \(942\); state its predecessor"),
])
def test_malformed_file_is_one_clear_line(tmp_path, monkeypatch, mirror, edit, message):
    with pytest.raises(CscError, match=message) as err:
        _build_with(tmp_path, monkeypatch, mirror, edit)
    assert "\n" not in str(err.value)


def test_real_file_builds(tmp_path, monkeypatch, mirror):
    lookup = _build_with(tmp_path, monkeypatch, mirror, lambda t: t)
    assert lookup.set_index("area_code").loc[LEEDS, "neighbours"].split()[0] == "E08000039"  # Sheffield
