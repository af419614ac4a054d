"""Revisions between releases, computed from the tidy tables' vintages and checked against the Parquet files."""
from __future__ import annotations

import pandas as pd

from csc import paths, revisions

TABLES = ["cin", "cla", "workforce", "spending", "markets", "context"]


def test_workforce_leavers_revised_down_between_the_2022_and_2025_releases():
    found = revisions.revisions(TABLES, ["E92000001"])
    row = found[(found["measure"] == "wf.leavers_headcount") & (found["period"] == "2017")].iloc[0]
    raw = pd.read_parquet(paths.TIDY / "workforce.parquet", filters=[("measure", "==", "wf.leavers_headcount"),
                                                                     ("period", "==", "2017")])
    raw = raw[(raw["area_code"] == "E92000001") & (raw["breakdown"] == "")].sort_values("release")
    assert (row["first_release"], row["first_value"]) == (raw["release"].iloc[0], raw["value"].iloc[0])
    assert (row["latest_release"], row["latest_value"]) == (raw["release"].iloc[-1], raw["value"].iloc[-1])
    assert row["latest_value"] < row["first_value"]


def test_rounding_of_old_releases_is_not_a_revision():
    found = revisions.revisions(TABLES, ["E92000001"])
    # 112,600 (2013 release, rounded to the nearest 100) against 112,590: rounding, not a revision
    assert found[(found["measure"] == "cin.assessed_not_in_need") & (found["period"] == "2013")].empty
    assert (found["change_percent"].abs() >= revisions.MATERIAL * 100).all()
    assert found["change_percent"].abs().is_monotonic_decreasing


def test_only_dfe_figures_and_a_sentence_for_none():
    found = revisions.revisions(TABLES, ["E92000001"])
    assert not found["measure"].str.startswith(("mk.", "pop.", "deflator.")).any()
    assert revisions.summary(found.iloc[0:0], "Isles of Scilly").startswith("No headline figure for Isles of Scilly")
    assert "DfE revised" in revisions.summary(found, "England")
