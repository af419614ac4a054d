"""Claim results for England against figures computed independently: straight from the tidy Parquet files with
pandas (not through csc.query) and from the releases' published headline numbers."""
from __future__ import annotations

import pandas as pd
import pytest

from csc import claims, paths
from csc.claims import Figure, verdict_by_conclusion


def published(table: str, measure: str, period: str, release: str, breakdown: str = "",
              area: str = "E92000001") -> float:
    frame = pd.read_parquet(paths.TIDY / f"{table}.parquet",
                            filters=[("measure", "==", measure), ("period", "==", period)])
    hit = frame[(frame["release"] == release) & (frame["area_code"] == area) & (frame["breakdown"] == breakdown)]
    assert len(hit) == 1, (measure, period, release, len(hit))
    return float(hit["value"].iloc[0])


@pytest.fixture(scope="module")
def england():
    return {r.claim.id: r for r in claims.evaluate_chapter("family_help")}


def test_every_family_help_claim_has_a_check_and_a_verdict(england):
    ledger = {c.id for c in claims.claims().values() if c.chapter == "family_help"}
    assert set(england) == ledger and len(ledger) == 14
    assert all(r.verdict in claims.VERDICTS and r.why for r in england.values())


def test_fh3_section47_growth_on_the_review_base_and_the_alternative(england):
    s47_2020 = published("cin", "cp.section47_enquiries", "2020", "2020")   # the release the review cited
    s47_2010 = published("cin", "cp.section47_enquiries", "2010", "2010")   # OSR 28/2010
    s47_2011 = published("cin", "cp.section47_enquiries", "2011", "2011")
    assert (s47_2020, s47_2010, s47_2011) == (201000, 87700, 111700)
    r = england["FH-3"]
    assert r.review.value == pytest.approx((s47_2020 / s47_2010 - 1) * 100)
    assert round(r.review.value) == 129                                       # the review's +129%
    base_2011 = next(a for a in r.alternatives if "2010-11" in a.label)
    assert base_2011.value == pytest.approx((s47_2020 / s47_2011 - 1) * 100)
    assert r.verdict == "contested"                                          # +80% is not "more than doubled"


def test_fh5_enquiries_without_a_plan_is_the_reviews_134620(england):
    plans = published("cin", "cp.cpp_starts", "2020", "2020")
    assert england["FH-5"].review.value == 201000 - plans == 134620           # Sunday Times: 134,620
    children = published("cin", "cp.section47_children", "2020", "2020")
    kids = next(a for a in england["FH-5"].alternatives if a.label.startswith("Children"))
    assert kids.value == children - plans == 177840 - 66380


def test_fh6_threefold_holds_only_from_2009_10(england):
    without = {y: published("cin", "cp.section47_enquiries", y, y) - published("cin", "cp.cpp_starts", y, y)
               for y in ("2010", "2011")}
    now = 201000 - published("cin", "cp.cpp_starts", "2020", "2020")
    r = england["FH-6"]
    assert r.review.value == pytest.approx(now / without["2010"]) and r.review.value >= 2.5
    assert r.alternatives[0].value == pytest.approx(now / without["2011"]) and r.alternatives[0].value < 2.5
    assert r.verdict == "contested"


def test_fh8_conferences_had_stalled_by_2020_and_have_fallen_since(england):
    frame = pd.read_parquet(paths.TIDY / "cin.parquet", filters=[("measure", "==", "cp.icpcs")])
    england_rows = frame[frame["area_code"] == "E92000001"]
    first = (england_rows.sort_values("release").drop_duplicates("period", keep="first").set_index("period")["value"])
    then = first[first.index <= "2020"]
    latest = (england_rows.sort_values("release").drop_duplicates("period", keep="last").set_index("period")["value"])
    r = england["FH-8"]
    since_then = next(a for a in r.then.alternatives if a.label.startswith("Since the peak"))
    since_now = next(a for a in r.now.alternatives if a.label.startswith("Since the peak"))
    assert since_then.value == pytest.approx((then.iloc[-1] / then.max() - 1) * 100)
    assert round(since_then.value, 1) == -2.5                                 # with the data the review had
    assert since_now.value == pytest.approx((latest.iloc[-1] / latest.max() - 1) * 100)
    assert round(since_now.value) == -9
    assert (r.then.verdict, r.now.verdict) == ("contested", "not supported") and r.differs


def test_fh10_spending_split_reproduces_the_reviews_billions(england):
    deflator = pd.read_parquet(paths.TIDY / "context.parquet", filters=[("measure", "==", "deflator.gdp")])
    d = deflator.set_index("period")["value"]
    to_2019_20 = d["2019-20"] / d["2012-13"]
    base = published("spending", "spend.cyps_by_class", "2012-13", "2012-13", "class=non_statutory") * to_2019_20
    end = published("spending", "spend.cyps_by_class", "2019-20", "2021-22", "class=non_statutory")
    assert round(base / 1e9, 1) == 3.5 and round(end / 1e9, 1) == 2.3            # the review's £3.5bn -> £2.3bn
    r = england["FH-10"]
    assert r.review.value == pytest.approx((end / base - 1) * 100)
    assert round(r.review.value) == -35
    statutory = published("spending", "spend.cyps_by_class", "2019-20", "2021-22", "class=statutory")
    assert round(statutory / 1e9, 1) == 8.2
    assert r.verdict == "reproduced with caveats"


def test_fh13_domestic_abuse_is_the_most_common_factor_in_2020(england):
    assert england["FH-13"].review.value == published(
        "cin", "cin.factors_at_assessment", "2020", "2020", "factor=Domestic abuse: parent is victim") == 169860


def test_fh13_mental_health_overtook_domestic_abuse_after_the_review(england):
    r = england["FH-13"]
    assert r.then.verdict == "reproduced with caveats" and r.then.period == "2020"
    latest = published("cin", "cin.factors_at_assessment", "2025", "2025", "factor=Mental health: concerns about parent")
    assert r.now.review.value == latest and r.now.review.shown.startswith("Mental health: concerns about parent")
    together = next(a for a in r.now.alternatives if a.label.startswith("All domestic-abuse"))
    domestic = [published("cin", "cin.factors_at_assessment", "2025", "2025", f"factor=Domestic abuse: {who} is victim")
                for who in ("parent", "child", "other person")]
    assert together.value == sum(domestic) > latest          # the split factors together still lead
    assert r.now.verdict == "contested" and "mental health" in r.differs


def test_a_rule_tests_the_stated_size_not_just_the_direction():
    leeds = claims.evaluate("FH-4", area="Leeds")                 # plans +3% against the review's +32%
    assert 0 < leeds.then.review.value < 16 and leeds.then.verdict == "not supported"
    assert "not about +32%" in leeds.then.why


def test_small_and_unpublished_figures_give_too_few_to_judge():
    scilly = {r.claim.id: r for r in claims.evaluate_chapter("family_help", "Isles of Scilly")}
    assert scilly["FH-3"].then.verdict == "too few to judge"
    assert scilly["FH-13"].then.verdict == "too few to judge"       # a tie at zero never wins


def test_la_spending_is_not_checked_with_the_data_held_but_shown_to_2018_19():
    r = claims.evaluate("FH-10", area="Leeds")
    assert r.then.verdict == r.now.verdict == "not checked with the data held"
    assert r.then.review.value is not None and "2018-19" in r.then.review.label


def test_claims_that_need_child_level_data_say_so(england):
    for claim_id in ("FH-7", "FH-9", "FH-11", "FH-12"):
        assert england[claim_id].verdict == england[claim_id].now.verdict == "not checkable with public data"
        assert england[claim_id].review is None


def test_a_reorganised_council_is_checked_on_its_consistent_boundary():
    r = claims.evaluate("FH-3", area="North Northamptonshire")
    assert r.area == "E06000061+E06000062"
    county_2010 = published("cin", "cp.section47_enquiries", "2010", "2010", area="E10000021")
    county_2020 = published("cin", "cp.section47_enquiries", "2020", "2020", area="E10000021")  # before the split
    assert r.review.value == pytest.approx((county_2020 / county_2010 - 1) * 100)


@pytest.mark.parametrize("review, alternatives, caveat, claimed, verdict", [
    (Figure("r", 129.0, "+129%"), [Figure("a", 150.0, "+150%")], "", 129, "reproduced"),
    (Figure("r", 129.0, "+129%"), [Figure("a", 80.0, "+80%")], "", 129, "contested"),
    (Figure("r", 90.0, "+90%"), [], "", 129, "not supported"),
    (Figure("r", 120.0, "+120%"), [], "", 129, "reproduced with caveats"),   # size holds, number differs
    (Figure("r", 129.0, "+129%"), [], "definitions differ", None, "reproduced with caveats"),
    (Figure("r", None, "not published"), [], "", None, "not checkable with public data"),
])
def test_verdict_rule(review, alternatives, caveat, claimed, verdict):
    got, why = verdict_by_conclusion(review, alternatives, lambda g: g > 100, caveat, claimed=claimed)
    assert got == verdict and why
