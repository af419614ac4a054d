"""The sensitivity grid: the registry run over the analyst's choices, with figures checked against the tidy Parquet
files directly, and the verdict rule's record of which figures pass the stated size."""
from __future__ import annotations

import pandas as pd
import pytest

from csc import claims, paths
from csc.claims import Data, Figure, Judgement, sensitivity, verdict_by_conclusion
from sentences import problems


def published(table: str, measure: str, period: str, release: str, breakdown: str = "") -> float:
    frame = pd.read_parquet(paths.TIDY / f"{table}.parquet",
                            filters=[("measure", "==", measure), ("period", "==", period)])
    hit = frame[(frame["release"] == release) & (frame["area_code"] == "E92000001") & (frame["breakdown"] == breakdown)]
    assert len(hit) == 1, (measure, period, release, len(hit))
    return float(hit["value"].iloc[0])


def choice(name: str) -> sensitivity.Choice:
    return next(c for c in sensitivity.choices() if c.name == name)


def test_the_rule_records_which_figures_hold():
    """A check's verdict rule notes, per figure, whether the stated size holds under it."""
    def fake(claim, area, data, **_):
        review, other = Figure("review", 30.0, "30"), Figure("other", 10.0, "10")
        verdict, why = verdict_by_conclusion(review, [other, Figure("none", None, "not published")],
                                             lambda v: v > 20)
        return Judgement(data, review, [other], verdict, why)
    claims.CHECKS["TEST-1"] = fake
    try:
        claim = next(iter(claims.claims().values()))
        judgement = claims.judge(claim.__class__(**{**claim.__dict__, "id": "TEST-1"}), "E92000001",
                                 Data("review", "first", 2020, "test"))
    finally:
        del claims.CHECKS["TEST-1"]
    assert judgement.verdict == "contested" and judgement.holds == {"review": True, "other": False}


def test_base_year_grid_adds_2012_13_and_it_turns_fh3():
    frame = sensitivity.rows(choice("Base year"))
    fh3 = frame[(frame["claim"] == "FH-3") & (frame["data"] == "the review's data")].set_index("choice")
    s47_2020 = published("cin", "cp.section47_enquiries", "2020", "2020")
    s47_2013 = published("cin", "cp.section47_enquiries", "2013", "2013")
    assert fh3.loc["Base year 2013", "value"] == pytest.approx((s47_2020 / s47_2013 - 1) * 100)
    assert fh3.loc["Base year 2013", "run with"] == "base year 2012-13"
    assert fh3.loc["Base year 2013", "stated size holds"] == "no"      # +58% is not "more than doubled"
    assert fh3["is the review's choice"].sum() == 1
    review = fh3[fh3["is the review's choice"]].iloc[0]
    assert review["stated size holds"] == "yes" and round(review["value"]) == 129
    sentence = sensitivity.verdict_sentence(choice("Base year"), "FH-3", frame)
    assert "but not with the review's data, base year 2010-11" in sentence and "contested" in sentence


def test_cash_terms_are_the_published_cash_figures():
    frame = sensitivity.rows(choice("Real terms or cash, and the price base"))
    cash = frame[(frame["run with"] == "cash") & (frame["data"] == "the review's data")
                 & frame["choice"].str.startswith("Non-statutory")].iloc[0]
    spend = {y: published("spending", "spend.cyps_by_class", y, r, "class=non_statutory")
             for y, r in (("2012-13", "2012-13"), ("2019-20", "2021-22"))}   # 2019-20 first appears in 2021-22
    assert cash["value"] == pytest.approx((spend["2019-20"] / spend["2012-13"] - 1) * 100)
    real = frame[frame["is the review's choice"] & (frame["data"] == "the review's data")].iloc[0]
    later = frame[(frame["run with"] == sensitivity.run_label({"prices": sensitivity.latest_prices()}))
                  & (frame["data"] == "the review's data") & frame["choice"].str.startswith("Non-statutory")].iloc[0]
    # another price base changes the pounds, not the percentage change
    assert later["value"] == pytest.approx(real["value"]) and later["shown"] != real["shown"]
    assert cash["value"] > real["value"]


def test_first_line_managers_turn_wf2():
    frame = sensitivity.rows(choice("First-line managers"))
    flm = frame[frame["choice"] == "First-line managers counted as frontline"]
    assert len(flm) == 2 and set(flm["stated size holds"]) == {"no"}


@pytest.mark.parametrize("area", ["E92000001", "North West", "Leeds", "Isles of Scilly", "North Northamptonshire"])
def test_sentences_read_right_for_every_kind_of_area(area):
    for c in sensitivity.choices():
        frame = sensitivity.rows(c, area)
        for claim_id in c.claims:
            text = sensitivity.verdict_sentence(c, claim_id, frame, area)
            assert text.startswith(f"{claim_id}: ") and problems(text, f"{area} {claim_id}") == []
