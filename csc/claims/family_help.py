"""Claims FH-1 to FH-14: family help and child protection."""
from __future__ import annotations

import pandas as pd

from .. import derived, query
from ..analysis import SMALL_NUMBER, CATCH_ALL, count, leaders, too_small
from ..errors import UsageError
from ..geography import ENGLAND
from . import (Data, Figure, Judgement, about, check, more_than, register_untestable, too_few,
               verdict_by_conclusion)

SMALL = f"fewer than {SMALL_NUMBER} in a year compared"


SUPPRESSED = {"c", "x", "u"}   # published symbols meaning "withheld", as against not returned or not applicable


def figure(measure: str, area: str, period: str | None, vintage: str, breakdown: str = "") -> float | None:
    """A number, or None when it is not published (a symbol, or the period is not held)."""
    if period is None:
        return None
    try:
        got = query.value(measure, area=area, period=period, vintage=vintage, breakdown=breakdown)
    except UsageError:
        return None
    return got if isinstance(got, float) else None


def withheld(measure: str, area: str, periods, vintage: str, breakdown: str = "") -> bool:
    """True when any of these figures is published as suppressed (c, x, u) rather than not returned."""
    for period in periods:
        try:
            got = query.value(measure, area=area, period=period, vintage=vintage, breakdown=breakdown)
        except UsageError:
            continue
        if isinstance(got, str) and got in SUPPRESSED:
            return True
    return False


def growth(measure: str, area: str, new: str | None, base: str, vintage: str, label: str) -> Figure:
    a, b = figure(measure, area, new, vintage), figure(measure, area, base, vintage)
    if a is None or b is None or b == 0:
        return Figure(label, None, "not published")
    if area != ENGLAND and too_small(a, b):
        return Figure(label, None, f"too few to compare ({count(a)} in {new}, {count(b)} in {base})", "", (a, b))
    pct = (a / b - 1) * 100
    return Figure(label, pct, f"{pct:+.0f}%", f"{count(a)} in {new} / {count(b)} in {base} − 1", (a, b))


def unavailable(data: Data, area: str, review: Figure, alternatives: list[Figure], end: str | None,
                measure: str, periods=("2010",)) -> Judgement:
    """Why an area's figure could not be judged: regions before 2013 are not in the files held; an LA's figures are
    too small, suppressed (too few to judge) or were never returned (not checkable with public data)."""
    periods = [p for p in (*periods, end) if p]
    if query.areas().level(area) == "regional" and not review.counts:
        return Judgement(data, review, alternatives, "not checked with the data held",
                         "regional figures before 2013 are published in DfE's statistical first release tables, but "
                         "the underlying-data files this book holds have only England and local authorities", end or "")
    if review.counts:
        return too_few(data, f"the figures for this area are too small to compare ({SMALL})", review, alternatives,
                       end or "")
    if withheld(measure, area, periods, data.vintage):
        return too_few(data, f"the {' or '.join(periods)} figure is suppressed for this area (small numbers)",
                       review, alternatives, end or "")
    return Judgement(data, review, alternatives, "not checkable with public data",
                     f"the {' or '.join(periods)} figure for this area is not in the files held (not published, "
                     "and not marked as suppressed)",
                     end or "")


def since_review(measure: str, area: str, data: Data, base: str = "2010") -> list[Figure]:
    """With the latest data, the same comparison carried to the latest year: shown, not judged (the claim is dated)."""
    if data.key != "latest":
        return []
    latest = data.last(measure, area)
    if latest is None or latest <= "2020":
        return []
    return [growth(measure, area, latest, base, "latest", f"Since the review, {latest} on {base}")]


def growth_claim(claim, area: str, data: Data, measure: str, holds, size: str, *, claimed: float,
                 claimed_count: float | None = None, caveat: str = "", baseline_year: int = 2010) -> Judgement:
    """Claims of the form 'X grew by N% from 2009-10 to 2019-20': the dated comparison judged with the figures as
    first published and with the latest revisions; how it has moved since is shown beside it."""
    end = "2020"
    review = growth(measure, area, end, "2010", data.vintage, "2020 on 2010 (the review's years), "
                    + ("as first published" if data.vintage == "first" else "latest revisions"))
    alternatives = [growth(measure, area, end, "2011", data.vintage, "Base year 2010-11 instead of 2009-10")]
    if baseline_year != 2010:
        alternatives.append(growth(measure, area, end, str(baseline_year), data.vintage, f"Base year {baseline_year}"))
    context = since_review(measure, area, data)
    if area != ENGLAND and review.value is None:
        judgement = unavailable(data, area, review, alternatives, end, measure)
        judgement.context = context
        return judgement
    national = area == ENGLAND and data.key == "review"
    if national and claimed_count is not None:
        now = figure(measure, area, end, data.vintage)
        if now is not None and abs(now - claimed_count) > 0.5:
            caveat = (f"the review's {claimed_count:,.0f} is not the published {count(now)}"
                      + (f"; {caveat}" if caveat else ""))
    verdict, why = verdict_by_conclusion(review, alternatives, holds, caveat,
                                         claimed=claimed if national else None, size=size)
    return Judgement(data, review, alternatives, verdict, why, data.last(measure, area) or end, context=context)


@check("FH-1")
def referrals_growth(claim, area, data, baseline_year=2010, **_):
    return growth_claim(claim, area, data, "cin.referrals", about(7), "about +7%", claimed=7, claimed_count=642980,
                        baseline_year=baseline_year,
                        caveat="a referral is a contact accepted as a referral: local thresholds and recording "
                               "differ, and 2009-10 was the first year of the children in need census")


@check("FH-2")
def children_in_need_growth(claim, area, data, baseline_year=2010, **_):
    return growth_claim(claim, area, data, "cin.children_in_need", about(4), "about +4%", claimed=4,
                        claimed_count=389260, baseline_year=baseline_year,
                        caveat="the child population grew over the same years, so the rate per 10,000 rose less "
                               "than the count")


@check("FH-3")
def section47_doubling(claim, area, data, baseline_year=2010, **_):
    return growth_claim(claim, area, data, "cp.section47_enquiries", more_than(100), "more than doubled",
                        claimed=129, claimed_count=201000, baseline_year=baseline_year,
                        caveat="enquiries count episodes, not children")


@check("FH-4")
def cpp_growth(claim, area, data, baseline_year=2010, **_):
    return growth_claim(claim, area, data, "cp.cpp_at_31_march", about(32), "about +32%", claimed=32,
                        claimed_count=51510, baseline_year=baseline_year,
                        caveat="DfE advises against comparing plans across the 2009-10 change of collection")


def without_plan(area: str, period: str | None, vintage: str, enquiries: str = "cp.section47_enquiries"):
    s47, plans = figure(enquiries, area, period, vintage), figure("cp.cpp_starts", area, period, vintage)
    if s47 is None or plans is None:
        return None, "", s47
    return s47 - plans, f"{count(s47)} − {count(plans)}", s47


TWO_THIRDS = 134_620 / 201_000 * 100   # the review's national share of enquiries not followed by a plan


@check("FH-5")
def enquiries_without_plan(claim, area, data, **_):
    """The review's subtraction for 2019-20; for an area, whether about two-thirds of enquiries had no plan there."""
    end = "2020"
    value, sums, s47 = without_plan(area, end, data.vintage)
    review = Figure(f"Enquiries minus plans started, 2019-20 ({'as first published' if data.key == 'review' else 'latest revisions'})",
                    value, count(value) if value is not None else "not published", sums,
                    (s47,) if s47 is not None else ())
    kids, kid_sums, _ = without_plan(area, end, data.vintage, "cp.section47_children")
    icpc = figure("cp.icpcs", area, end, data.vintage)
    alternatives = [
        Figure("Children, not enquiries (children subject to an enquiry minus plans started)", kids,
               count(kids) if kids is not None else "not published", kid_sums),
        Figure("Enquiries not followed by an initial conference", None if icpc is None or s47 is None else s47 - icpc,
               count(s47 - icpc) if icpc is not None and s47 is not None else "not published",
               f"{count(s47)} − {count(icpc)}" if icpc is not None and s47 is not None else ""),
    ]
    context = []
    shown_to = (data.last("cp.section47_enquiries", area) if data.key == "latest" else None) or end
    if data.key == "latest":
        latest = data.last("cp.section47_enquiries", area)
        later, later_sums, _ = without_plan(area, latest, "latest")
        if later is not None and latest > end:
            context.append(Figure(f"Since the review, the same subtraction for {latest}", later, count(later),
                                  later_sums))
    if area != ENGLAND and (value is None or too_small(s47)):
        return unavailable(data, area, review, alternatives, end, "cp.section47_enquiries", ())
    if value is None:
        return Judgement(data, review, alternatives, "not checkable with public data",
                         "enquiries or plans are not published", end)
    meaning = ("it compares two flows, not linked outcomes: plans also start after transfer-in conferences and "
               "enquiries begun the year before, and an enquiry that ends without a plan may still lead to "
               "child-in-need help")
    share = value / s47 * 100
    if area == ENGLAND:
        within = abs(value - 135_000) <= 500
        why = (f"the subtraction gives {count(value)}, the review's 135,000 to its rounding; but " if within else
               f"the subtraction gives {count(value)}, not the review's 135,000; and ") + meaning
        return Judgement(data, review, alternatives, "reproduced with caveats", why, shown_to, context=context)
    holds = about(TWO_THIRDS, band=0.25)(share)
    why = (f"{share:.0f}% of enquiries here were not matched by a plan started, against {TWO_THIRDS:.0f}% "
           f"nationally" + ("; " + meaning if holds else ""))
    return Judgement(data, review, alternatives, "reproduced with caveats" if holds else "not supported", why,
                     shown_to, context=context)


@check("FH-6")
def threefold_without_plan(claim, area, data, baseline_year=2010, **_):
    """'Increased threefold in the decade to 2019-20': at least about three times (×2.5 or more) on 2009-10."""
    end = "2020"

    def ratio(new: str, base: str, label: str, vintage: str = data.vintage) -> Figure:
        a, a_sums, _ = without_plan(area, new, vintage)
        b, b_sums, _ = without_plan(area, base, vintage)
        if a is None or b is None:
            return Figure(label, None, "not published")
        if b <= 0:
            return Figure(label, None, f"no base: more plans started than enquiries in {base} ({b_sums})")
        if area != ENGLAND and too_small(b):
            return Figure(label, None, f"too few to compare (a difference of {count(b)} in {base})", "", (b,))
        return Figure(label, a / b, f"×{a / b:.1f}", f"({a_sums}) in {new} / ({b_sums}) in {base}", (a, b))

    review = ratio(end, "2010", "2019-20 on 2009-10 (the review's years), "
                   + ("as first published" if data.key == "review" else "latest revisions"))
    alternatives = [ratio(end, "2011", "Base year 2010-11"),
                    ratio(end, "2013", "Base year 2012-13, the first year of the re-derived series")]
    context = []
    if data.key == "latest":
        latest = data.last("cp.section47_enquiries", area)
        if latest and latest > end:
            context.append(ratio(latest, str(baseline_year), f"Since the review, {latest} on {baseline_year}"))
    if review.shown.startswith("no base"):
        return Judgement(data, review, alternatives, "not checkable with public data",
                         "the 2009-10 figures for this area give no base (more plans started than enquiries), a sign "
                         "of the incomplete returns of the census's first year", end, context=context)
    if area != ENGLAND and review.value is None:
        judgement = unavailable(data, area, review, alternatives, end, "cp.section47_enquiries")
        judgement.context = context
        return judgement
    caveat = (f"the multiple is {review.shown}, more than threefold" if review.value >= 3.5 else "")
    verdict, why = verdict_by_conclusion(review, alternatives, lambda r: r >= 2.5, caveat, size="about threefold",
                                         claimed=3 if area == ENGLAND and data.key == "review" else None)
    shown_to = (data.last("cp.section47_enquiries", area) if data.key == "latest" else None) or end
    return Judgement(data, review, alternatives, verdict, why, shown_to, context=context)


@check("FH-8")
def icpc_surge(claim, area, data, **_):
    """'A continual surge': conferences rose over the decade and were still at their peak at the end of the data."""
    series = query.series("cp.icpcs", area=area, vintage=data.vintage).dropna(subset=["value"])
    series = series[series["period"].isin(data.upto(list(series["period"])))]
    end = series["period"].iloc[-1] if len(series) else data.period("cp.icpcs", ENGLAND)
    review = growth("cp.icpcs", area, end, "2010", data.vintage, f"Conferences, {end} on 2009-10")
    alternatives = []
    if len(series) and (area == ENGLAND or not too_small(series["value"].max())):
        peak = series.loc[series["value"].idxmax()]
        last = series.iloc[-1]
        since = (last["value"] / peak["value"] - 1) * 100
        alternatives.append(Figure(f"Since the peak year ({peak['period']})", since, f"{since:+.1f}%",
                                   f"{count(last['value'])} in {last['period']} / {count(peak['value'])} − 1"))
        icpc, plans = figure("cp.icpcs", area, end, data.vintage), figure("cp.cpp_starts", area, end, data.vintage)
        if icpc is not None and plans is not None and (area == ENGLAND or not too_small(icpc)):
            alternatives.append(Figure(f"Conferences minus plans started, {end}", icpc - plans, count(icpc - plans),
                                       f"{count(icpc)} − {count(plans)}"))
    if review.value is None:
        return unavailable(data, area, review, alternatives, end, "cp.icpcs")
    rise = f"{review.value:.0f}%"
    since, peak_year = alternatives[0].value, alternatives[0].label[-5:-1]
    if review.value < 10:
        verdict, why = "not supported", f"conferences changed by {review.shown} over the decade: no surge"
    elif since >= -1:
        verdict, why = ("reproduced with caveats", f"conferences rose {rise} and {end} was their peak; how many led "
                        "to no further action is not published (a plan is not the only outcome)")
    elif since >= -5:
        verdict, why = ("contested", f"conferences rose {rise} over the decade, but {end} was {abs(since):.1f}% below "
                        f"their {peak_year} peak: a surge that had stopped, not a continual one")
    else:
        verdict, why = ("not supported", f"conferences rose {rise} from 2009-10 but have fallen {abs(since):.0f}% "
                        f"since their {peak_year} peak: not a continual surge")
    return Judgement(data, review, alternatives, verdict, why, end)


def real_terms(cls: str, area: str, period: str, prices: str, vintage: str) -> float | None:
    """Spending of one class in £ at `prices` (HM Treasury GDP deflator; "cash" leaves it as spent), or None when
    not published."""
    cash = figure("spend.cyps_by_class", area, period, vintage, breakdown=f"class={cls}")
    if cash is None or prices == "cash":
        return cash
    return derived.at_prices(cash, period, prices)


def spending_change(cls: str, area: str, base: str, end: str | None, vintage: str, label: str,
                    prices: str = "2019-20") -> Figure:
    a = real_terms(cls, area, end, prices, vintage) if end else None
    b = real_terms(cls, area, base, prices, vintage)
    if a is None or b is None or b <= 0:
        return Figure(label, None, "not published")
    pct = (a / b - 1) * 100
    scale, unit = (1e9, "bn") if b >= 1e9 else (1e6, "m")
    return Figure(label, pct, f"£{b / scale:.1f}{unit} → £{a / scale:.1f}{unit} ({pct:+.0f}%)")


@check("FH-10")
def prevention_to_crisis(claim, area, data, spending_baseline="2012-13", prices="2019-20", **_):
    """prices: the review's 2019-20 prices, another year's, or "cash" (the sensitivity appendix varies it)."""
    priced = "in cash" if prices == "cash" else f"at {prices} prices" + (" (the review's)" if prices == "2019-20" else "")
    held = data.upto(list(query.by_breakdown("spend.cyps_by_class", area, data.vintage)
                          .dropna(subset=["value"])["period"].unique()))
    end = held[-1] if held else None
    review_end = "2019-20" if data.key == "review" or (end or "") < "2019-20" else end
    review = spending_change("non_statutory", area, "2012-13", review_end, data.vintage,
                             f"Non-statutory services, 2012-13 to {review_end}, {priced}", prices)
    statutory = spending_change("statutory", area, "2012-13", review_end, data.vintage,
                                "Statutory services, same years", prices)
    alternatives = [statutory,
                    spending_change("non_statutory", area, "2010-11", review_end, data.vintage,
                                    "Base year 2010-11 (the austerity critics' choice)", prices),
                    spending_change("early_help", area, spending_baseline, review_end, data.vintage,
                                    f"Early help only (Sure Start and family support), {spending_baseline} base",
                                    prices)]
    if review.value is None and end is not None and end != review_end:
        # An LA's lines are held only to 2018-19: show what they do say, and say what would settle the claim.
        held_figure = spending_change("non_statutory", area, "2012-13", end, data.vintage,
                                      f"Non-statutory services, 2012-13 to {end} (the latest year held here), at "
                                      "2019-20 prices")
        held_statutory = spending_change("statutory", area, "2012-13", end, data.vintage,
                                         f"Statutory services, 2012-13 to {end}, at 2019-20 prices")
        return Judgement(data, held_figure, [held_statutory], "not checked with the data held",
                         f"the section 251 lines for this area are held only to {end}; the {review_end} returns are "
                         "public (DfE, LA and school expenditure) but not among the files this book holds", end)
    if review.value is None:
        return Judgement(data, review, alternatives, "not checkable with public data",
                         "spending by line is not published for this area", end or "")
    national = area == ENGLAND and data.key == "review"
    verdict, why = verdict_by_conclusion(review, alternatives[1:], about(-35), size="about −35%",
                                         claimed=-35 if national else None, tolerance=2)
    if statutory.value is not None and statutory.value <= 0 and verdict != "not supported":
        verdict, why = "not supported", f"statutory spending did not rise ({statutory.shown})"
    if verdict in ("reproduced", "reproduced with caveats"):
        verdict, why = ("reproduced with caveats",
                        f"{review.shown} non-statutory against {statutory.shown} statutory; but the split depends on "
                        "which S251 lines count as preventive ('family support services' includes statutory "
                        "section 17 work), and the lines were redefined in 2011-12 and renumbered in 2016-17")
    return Judgement(data, review, alternatives, verdict, why, review_end or "")


DOMESTIC = ("domestic abuse", "domestic violence")


@check("FH-13")
def domestic_abuse_first(claim, area, data, **_):
    """'Domestic abuse is the most common factor': the single factor recorded most often, and the domestic-abuse
    factors together (an assessment may record several of them, so their sum over-counts assessments)."""
    rows = query.by_breakdown("cin.factors_at_assessment", area, data.vintage)
    periods = data.upto(list(rows.dropna(subset=["value"])["period"].unique()))
    if not periods:
        return Judgement(data, None, [], "not checkable with public data",
                         "factors at assessment are not published for this area")
    year = periods[-1]
    now = rows[rows["period"] == year]
    labels = now["breakdown"].str.split("=", n=1).str[1]
    if area != ENGLAND and (now.loc[labels.str.casefold().str.startswith(DOMESTIC), "status"].isin(SUPPRESSED)).any():
        return too_few(data, f"the domestic-abuse factors are suppressed for this area in {year}", period=year)
    counts = pd.Series(now["value"].values, index=labels).dropna()
    top, problem = leaders(counts)
    if problem:
        return too_few(data, "the factors for this area are too few to rank, or tied at the top", period=year)
    ranked = counts[[not k.casefold().startswith(CATCH_ALL) for k in counts.index]].sort_values(ascending=False)
    domestic = [k for k in ranked.index if k.casefold().startswith(DOMESTIC)]
    together = ranked[domestic].sum()
    review = Figure(f"Most common factor, year to March {year}", ranked.iloc[0], f"{top[0]} ({count(ranked.iloc[0])})")
    alternatives = [Figure("Second most common", ranked.iloc[1], f"{top[1]} ({count(ranked.iloc[1])})"),
                    Figure("All domestic-abuse factors together (an assessment may record several)", together,
                           count(together))]
    close = ranked.iloc[1] >= 0.99 * ranked.iloc[0]
    if top[0] in domestic and not close:
        return Judgement(data, review, alternatives, "reproduced with caveats",
                         f"{top[0].lower()} was recorded at {count(ranked.iloc[0])} assessments, more than any other "
                         "factor; factors are recorded per assessment and several can be recorded at once", year)
    if close and (top[0] in domestic or top[1] in domestic):
        return Judgement(data, review, alternatives, "contested",
                         f"{top[0].lower()} ({count(ranked.iloc[0])}) and {top[1].lower()} ({count(ranked.iloc[1])}) "
                         "are within 1% of each other: too close to call a most common factor", year)
    if domestic and together > ranked.iloc[0]:
        return Judgement(data, review, alternatives, "contested",
                         f"the single factor recorded most often in {year} is {top[0].lower()} "
                         f"({count(ranked.iloc[0])}), but the domestic-abuse factors together ({count(together)}) "
                         "exceed it; whether they count as one factor decides the claim", year)
    return Judgement(data, review, alternatives, "not supported",
                     f"the most common factor in {year} is {top[0].lower()} ({count(ranked.iloc[0])}), ahead of "
                     + (f"{domestic[0].lower()} ({count(ranked[domestic[0]])}) and of all domestic-abuse factors "
                        f"together ({count(together)})" if domestic else "any domestic-abuse factor"), year)


# Claims no published table can test, with what would settle them: (verdict, why).
UNTESTABLE = {
    "FH-7": ("not checkable with public data",
             "no published table links a section 47 enquiry to the child's later child-in-need plan; it needs the "
             "child-level children in need census (start dates of enquiries and of plan episodes), available to "
             "accredited researchers through the ONS Secure Research Service"),
    "FH-9": ("not checkable with public data",
             "the tenfold gap is between neighbourhoods (LSOAs); public child protection tables stop at local "
             "authority level. Child-level data with home postcodes (children in need census) would settle it; an "
             "authority-level gradient is shown instead, which cannot be read as a neighbourhood one"),
    "FH-11": ("not checkable with public data",
              "it counts distinct children across six census years, which needs the child-level children in need "
              "census; published tables count episodes within each year"),
    "FH-12": ("not checkable with public data",
              "cumulative incidence by birth cohort needs linked child-level records (the National Pupil Database "
              "linked to the children in need census)"),
    "FH-14": ("not checked with the data held",
              "the comparison needs the child population by ethnicity (Census 2021), which is public but not among "
              "the files this book holds; the published children-in-need shares by ethnicity are shown instead"),
}


register_untestable(UNTESTABLE)
