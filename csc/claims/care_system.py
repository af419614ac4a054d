"""Claims CS-1 to CS-16: the care system.

Snapshot claims ('80,080 at 31 March 2020') are judged on the review's year in both views — as first published,
then as DfE later revised it — and the latest year held is shown beside them, so a verdict never changes only
because time has passed. Claims about a trend ('adoptions are falling') are judged to the latest year held.
"""
from __future__ import annotations

from .. import query
from ..analysis import SMALL_NUMBER, count, too_small
from ..analysis.care_system import AGE_KEYS, CARE_ORDERS, COMPOSITE, FOSTER, KINSHIP, S20, foster_spread, published
from ..geography import ENGLAND
from . import Data, Figure, Judgement, about, check, register_untestable, too_few, verdict_by_conclusion
from .family_help import figure, growth

CLA = "cla.children_looked_after"
REVIEW_YEAR = "2020"
SMALL = f"fewer than {SMALL_NUMBER}"
FIRST_HELD = ("the 2020 release is not among the files held, so 2020 'as first published' is the hand-collected "
              "headline figure where one was copied, and otherwise the 2021 release's revision")


def national(area: str) -> bool:
    return area == ENGLAND


def latest_year(data: Data, measure: str, area: str, breakdown: str = "") -> str | None:
    try:
        return data.last(measure, area, breakdown)
    except Exception:  # noqa: BLE001 - a breakdown not held at all for this measure
        return None


def held_year(data: Data, measure: str, area: str, breakdown: str = "", wanted: str = REVIEW_YEAR) -> str | None:
    """The review's year when it is published for the area, else the latest year held before it (LA placement and
    legal-status figures stop in 2019 in the files held)."""
    _, rows = query.series_records(measure, area=area, vintage=data.vintage, breakdown=breakdown)
    held = [p for p in data.upto([r["period"] for r in rows if r["value"] == r["value"]]) if p <= wanted]
    return held[-1] if held else None


def share_of(part: float | None, whole: float | None, label: str, arithmetic: str = "") -> Figure:
    if part is None or whole is None or too_small(whole):
        return Figure(label, None, "not published" if part is None or whole is None else "too few to share",
                      "", tuple(x for x in (part, whole) if x is not None))
    pct = part / whole * 100
    return Figure(label, pct, f"{pct:.1f}%", arithmetic or f"{count(part)} / {count(whole)}", (whole,))


def breakdown_sum(measure: str, area: str, period: str | None, vintage: str, keys) -> float | None:
    values = [figure(measure, area, period, vintage, breakdown=k) for k in keys]
    values = [v for v in values if v is not None]
    return sum(values) if values else None


# --- how many -------------------------------------------------------------------------------------------------------

@check("CS-1")
def children_in_care_2020(claim, area, data, **_):
    n = figure(CLA, area, REVIEW_YEAR, data.vintage)
    rate = figure("cla.rate_per_10000", area, REVIEW_YEAR, data.vintage)
    review = Figure(f"Children looked after at 31 March 2020, {'as first published' if data.vintage == 'first' else 'latest revision'}",
                    n, count(n) if n is not None else "not published", "", (n,) if n is not None else ())
    alternatives = [Figure("Rate per 10,000 children, 2020", rate, f"{rate:.0f}" if rate is not None else "not published")]
    last = latest_year(data, CLA, area)
    if data.key == "latest" and last and last != REVIEW_YEAR:
        now = figure(CLA, area, last, data.vintage)
        alternatives.append(Figure(f"The latest year held, {last}", now, count(now)))
    if n is None:
        return too_few(data, "the 2020 figure is suppressed or not published for this area", review, alternatives)
    if not national(area):
        if too_small(n):
            return too_few(data, f"the area's count is {SMALL}", review, alternatives, REVIEW_YEAR)
        # A national count cannot hold for an area; what can is the national rate it stands for.
        england = figure("cla.rate_per_10000", ENGLAND, REVIEW_YEAR, data.vintage)
        if rate is None or england is None:
            return Judgement(data, review, alternatives, "not checkable with public data",
                             f"80,080 is England's count; here {count(n)} children were looked after, but the rate "
                             "per 10,000 that would compare them is not published for this area", last or REVIEW_YEAR)
        near = abs(rate / england - 1) <= 0.1
        return Judgement(data, review, alternatives, "reproduced with caveats" if near else "not supported",
                         f"80,080 is England's count; here {count(n)} children were looked after, {rate:.0f} per "
                         f"10,000 against England's {england:.0f}: "
                         + ("within a tenth of the national rate" if near else
                            f"{'above' if rate > england else 'below'} the national rate by more than a tenth"),
                         last or REVIEW_YEAR)
    if abs(n - 80080) <= 5 and rate is not None and round(rate) == 67:
        return Judgement(data, review, alternatives, "reproduced",
                         "80,080 and 67 per 10,000 are the 2020 release's own figures", REVIEW_YEAR)
    return Judgement(data, review, alternatives, "reproduced with caveats",
                     f"DfE has since revised 31 March 2020 to {count(n)}"
                     + (f" and re-based the rate on new population estimates ({rate:.0f} per 10,000)" if rate else "")
                     + "; the review quoted the figures as first published", last or REVIEW_YEAR)


def stock_growth(area: str, data: Data, end: str | None, base: str = "2010") -> Figure:
    return growth(CLA, area, end, base, data.vintage, f"{end} on {base}, "
                  + ("as first published" if data.vintage == "first" else "latest revisions"))


def without_uasc(area: str, data: Data, end: str | None, base: str = "2010") -> Figure:
    """Growth with unaccompanied asylum-seeking children taken out of both years (UASC held to 2024, LAs to 2019)."""
    label = "Excluding unaccompanied asylum-seeking children"
    if end is None:
        return Figure(label, None, "not published")
    uasc_end = held_year(data, "cla.uasc", area, wanted=end)
    if uasc_end is None:
        return Figure(label, None, "not published")
    vals = [figure(CLA, area, uasc_end, data.vintage), figure("cla.uasc", area, uasc_end, data.vintage),
            figure(CLA, area, base, data.vintage), figure("cla.uasc", area, base, data.vintage)]
    if any(v is None for v in vals) or too_small(vals[2] - vals[3], vals[0] - vals[1]):
        return Figure(label, None, "not published or too few")
    a, b = vals[0] - vals[1], vals[2] - vals[3]
    pct = (a / b - 1) * 100
    return Figure(f"{label} ({uasc_end} on {base})", pct, f"{pct:+.0f}%",
                  f"({count(vals[0])} − {count(vals[1])}) / ({count(vals[2])} − {count(vals[3])}) − 1", (a, b))


def decade_figures(area: str, data: Data):
    end = data.period(CLA, area) or data.period(CLA, ENGLAND)
    review = stock_growth(area, data, end)
    alternatives = [stock_growth(area, data, end, "2011"), without_uasc(area, data, end)]
    return end, review, alternatives


def unavailable(data: Data, review: Figure, alternatives, end) -> Judgement:
    if review.counts:
        return too_few(data, f"the figures for this area are too small to compare ({SMALL} in a year compared)",
                       review, alternatives, end or "")
    return too_few(data, "the 2010 or end-year figure is suppressed or not published for this area (councils "
                   "created in 2019 to 2023 are compared on their predecessors' boundary)", review, alternatives,
                   end or "")


@check("CS-2")
def decade_growth(claim, area, data, **_):
    end, review, alternatives = decade_figures(area, data)
    alternatives.append(Figure("Rate per 10,000 (the review's 58 for 2010)", None,
                               "not checked with the data held: DfE's published rates held start in 2014"))
    if review.value is None:
        return unavailable(data, review, alternatives, end)
    verdict, why = verdict_by_conclusion(review, alternatives, about(24, 0.25), size="about +24%",
                                         claimed=24 if national(area) and data.key == "review" else None,
                                         caveat=("the 2010 rate of 58 per 10,000 is not in the files held"
                                                 if national(area) else "rates for 2010 are not in the files held")
                                         + ", so only the count is checked")
    return Judgement(data, review, alternatives, verdict, why, end or "")


@check("CS-3")
def nearly_doubled(claim, area, data, **_):
    end = REVIEW_YEAR if data.key == "review" else data.period(CLA, area) or data.period(CLA, ENGLAND)

    def ratio(new: str | None, base: str, label: str) -> Figure:
        a, b = figure(CLA, area, new, data.vintage), figure(CLA, area, base, data.vintage)
        if a is None or b is None or too_small(a, b):
            return Figure(label, None, "not published or too few", "", tuple(x for x in (a, b) if x is not None))
        return Figure(label, a / b, f"×{a / b:.2f}", f"{count(a)} in {new} / {count(b)} in {base}", (a, b))

    review = ratio(end, "2010", f"31 March {end} on 31 March 2010 (the commenter's years)")
    alternatives = [ratio(end, "1994", f"{end} on 1994, the first year of the national series")]
    nearly_double = lambda r: 1.8 <= r < 2.2  # noqa: E731 - "nearly doubled", generously read
    if review.value is None:
        return unavailable(data, review, alternatives, end)
    verdict, why = verdict_by_conclusion(review, [], nearly_double, size="nearly double")
    if verdict == "not supported":
        long_run = alternatives[0]
        why += (f"; even over the whole national series since 1994 it is {long_run.shown}" if long_run.value else "")
    return Judgement(data, review, alternatives, verdict, why, end or "")


@check("CS-4")
def entries_falling(claim, area, data, **_):
    starts = query.series("cla.starts", area=area, vintage=data.vintage).dropna(subset=["value"])
    starts = starts[starts["period"].isin(data.upto(list(starts["period"]))) & (starts["period"] >= "2010")]
    if starts.empty:
        return too_few(data, "starts are not published for this area")
    end = starts["period"].iloc[-1]
    peak = starts.loc[starts["value"].idxmax(), "period"]
    review = growth("cla.starts", area, end, peak, data.vintage, f"Starts, {end} on their {peak} peak")
    stock = growth(CLA, area, end, peak, data.vintage, f"Children looked after, {end} on {peak}")
    decade = growth("cla.starts", area, end, "2010", data.vintage, f"Starts, {end} on 2010")
    alternatives = [stock, decade]
    if not national(area) and (too_small(*review.counts) if review.counts else True):
        return too_few(data, f"starts for this area are {SMALL} or not published", review, alternatives, end)
    if peak == end or review.value is None or review.value > -2:
        return Judgement(data, review, alternatives, "not supported",
                         f"entries were at their peak in {end}" if peak == end or review.value is None else
                         f"entries were near their peak in {end} ({review.shown} on their {peak} peak)", end)
    if stock.value is None or stock.value <= 0:
        return Judgement(data, review, alternatives, "not supported",
                         f"entries fell {abs(review.value):.0f}% from their {peak} peak, but the number in care did not "
                         f"rise over the same years ({stock.shown})", end)
    if decade.value is not None and decade.value > 0:
        return Judgement(data, review, alternatives, "contested",
                         f"entries fell {abs(review.value):.0f}% from their {peak} peak while the number in care rose "
                         f"{stock.value:.0f}%; but from 2010 entries rose {decade.value:.0f}%, so the decade's rise comes "
                         "from more admissions as well as longer stays", end)
    return Judgement(data, review, alternatives, "reproduced with caveats",
                     f"entries fell {abs(review.value):.0f}% from {peak} while the number in care rose "
                     f"{stock.value:.0f}%; stock and flows are counted differently (children at 31 March, children "
                     "in the year)", end)


# --- who ------------------------------------------------------------------------------------------------------------



def teen_share(area: str, period: str | None, vintage: str, minus_uasc: bool = False) -> Figure:
    label = f"Aged 10 or over at 31 March {period}" + (", excluding UASC" if minus_uasc else "")
    ages = [figure("cla.by_age", area, period, vintage, breakdown=k) for k in AGE_KEYS]
    if period is None or any(a is None for a in ages):
        return Figure(label, None, "not published")
    teens, total = ages[3] + ages[4], sum(ages)
    if minus_uasc:
        uasc = figure("cla.uasc", area, period, vintage)
        if uasc is None:
            return Figure(label, None, "not published")
        teens, total = teens - uasc, total - uasc
    return share_of(teens, total, label)


def starting_year(area: str, wanted: str, vintage: str) -> str | None:
    """The latest year up to `wanted` with children starting care aged 16 and over published for the area."""
    _, rows = query.series_records("cla.starts_by_age", area=area, vintage=vintage, breakdown=AGE_KEYS[4])
    held = [r["period"] for r in rows if r["value"] == r["value"] and r["period"] <= wanted]
    return held[-1] if held else None


def starting_teen_share(area: str, period: str | None, vintage: str) -> Figure:
    """The share of children starting care in the year to 31 March `period` who were aged 10 or over."""
    label = ("Aged 10 or over among children starting care" + (f", year to 31 March {period}" if period else ""))
    ages = [figure("cla.starts_by_age", area, period, vintage, breakdown=k) for k in AGE_KEYS] if period else [None]
    if any(a is None for a in ages):
        return Figure(label, None, "not published")
    return share_of(ages[3] + ages[4], sum(ages), label)


@check("CS-5")
def teenagers(claim, area, data, **_):
    end = held_year(data, "cla.by_age", area, "age=10 to 15 years",
                    wanted=REVIEW_YEAR if data.key == "review" else "9999")
    if end is None:
        return too_few(data, "ages are not published for this area")
    review = teen_share(area, end, data.vintage)
    base = teen_share(area, "2011", data.vintage)
    parts = [share_of(figure("cla.by_age", area, end, data.vintage, breakdown=k),
                      breakdown_sum("cla.by_age", area, end, data.vintage, AGE_KEYS), f"{k[4:]} ({end})")
             for k in AGE_KEYS[3:]]
    entry_year = starting_year(area, end, data.vintage)
    starting = [starting_teen_share(area, entry_year, data.vintage), starting_teen_share(area, "2011", data.vintage)]
    alternatives = parts + starting + [base, teen_share(area, end, data.vintage, minus_uasc=True),
                                       teen_share(area, "2011", data.vintage, minus_uasc=True)]
    if review.value is None or base.value is None:
        return too_few(data, f"ages for this area are {SMALL} to share or not published", review, alternatives,
                       end or "")
    rise = review.value - base.value
    net = alternatives[-2].value - alternatives[-1].value if None not in (alternatives[-2].value,
                                                                          alternatives[-1].value) else None
    if review.value < 50 or rise < 2:
        return Judgement(data, review, alternatives, "not supported",
                         f"children aged 10 or over were {review.shown} in {end} against {base.shown} in 2011: "
                         + ("not a majority" if review.value < 50 else "not a growing share"), end)
    if net is not None and net < 2:
        return Judgement(data, review, alternatives, "contested",
                         f"the share aged 10 or over rose {rise:.0f} points from 2011 to {end}, but excluding UASC "
                         + (f"it rose only {net:.0f}" if round(net) > 0 else "it did not rise" if round(net) == 0
                            else f"it fell {abs(net):.0f}"), end)
    entry = (f"; among children starting care, {starting[0].shown} were aged 10 or over in {entry_year} "
             f"against {starting[1].shown} in 2011" if None not in (starting[0].value, starting[1].value) else "")
    return Judgement(data, review, alternatives, "reproduced with caveats",
                     f"{review.shown} were aged 10 or over in {end}, {rise:.0f} points more than in 2011"
                     + (f" ({net:.0f} excluding UASC)" if net is not None else "") + " (the stock at 31 March)"
                     + entry + "; the review's exact wording is unconfirmed", end)


@check("CS-16")
def legal_status(claim, area, data, **_):
    end = held_year(data, "cla.by_legal_status", area, S20, wanted=REVIEW_YEAR if data.key == "review" else "9999")
    if end is None:
        return too_few(data, "legal status is not published for this area")
    statuses = published("cla.by_legal_status", area, data.vintage, "as_published", None)

    def shares(period: str) -> tuple[Figure, Figure]:
        rows = statuses[statuses["period"] == period].dropna(subset=["value"])
        total = rows["value"].sum()
        orders = rows[rows["breakdown"].isin(CARE_ORDERS)]["value"].sum()
        s20 = rows[rows["breakdown"] == S20]["value"].sum()
        return (share_of(orders, total, f"Care orders, 31 March {period}"),
                share_of(s20, total, f"Voluntary (section 20), 31 March {period}"))

    orders_now, s20_now = shares(end)
    orders_then, s20_then = shares("2011")
    low = statuses[(statuses["breakdown"] == S20) & statuses["period"].isin(data.upto(list(statuses["period"])))]
    alternatives = [orders_now, orders_then, s20_then]
    if s20_now.value is None or s20_then.value is None:
        return too_few(data, f"legal status figures for this area are {SMALL} to share", s20_now, alternatives, end)
    fell = s20_then.value - s20_now.value
    if fell < 3:
        return Judgement(data, s20_now, alternatives, "not supported",
                         f"the section 20 share went from {s20_then.shown} in 2011 to {s20_now.shown} in {end}", end)
    since = ""
    if data.key == "latest" and national(area) and len(low):
        floor = low.loc[low["value"].idxmin()]
        floor_share = shares(floor["period"])[1]
        if floor["period"] < end and floor_share.value is not None and s20_now.value - floor_share.value >= 2:
            since = (f"; but the section 20 share has risen again since {floor['period']} "
                     f"({floor_share.shown} to {s20_now.shown})")
    verdict = "contested" if since else "reproduced with caveats"
    return Judgement(data, s20_now, alternatives, verdict,
                     f"the section 20 share fell from {s20_then.shown} in 2011 to {s20_now.shown} in {end} and care "
                     f"orders rose from {orders_then.shown} to {orders_now.shown}{since}; a context figure — the 2015 "
                     "Munby judgment tightened the use of section 20", end)


@check("CS-15")
def uasc(claim, area, data, **_):
    end = held_year(data, "cla.uasc", area)
    if end is None:
        return too_few(data, "UASC counts are not published for this area")
    n = figure("cla.uasc", area, end, data.vintage)
    review = Figure(f"UASC looked after at 31 March {end}", n, count(n) if n is not None else "not published")
    alternatives = [share_of(n, figure(CLA, area, end, data.vintage), f"Share of all children looked after, {end}")]
    last = latest_year(data, "cla.uasc", area)
    if data.key == "latest" and last and last != end:
        now = figure("cla.uasc", area, last, data.vintage)
        alternatives.append(Figure(f"The latest year held, {last}", now, count(now)))
        alternatives.append(share_of(now, figure(CLA, area, last, data.vintage), f"Share, {last}"))
    if n is None:
        return too_few(data, "UASC counts are not published for this area", review, alternatives)
    if end != REVIEW_YEAR:
        return Judgement(data, review, alternatives, "not checked with the data held",
                         f"UASC counts for this area are held only to {end}; later ones are in DfE's UASC tables, "
                         "public but not among the files held", end)
    if not national(area):
        return Judgement(data, review, alternatives, "reproduced with caveats",
                         f"about 5,000 is England's figure; the same table gives {count(n)} here", end)
    share = alternatives[0].value
    if not 4500 <= n <= 5500 or share is None or not 5.5 <= share < 6.5 + 0.5:
        return Judgement(data, review, alternatives, "not supported",
                         f"the files give {count(n)} ({alternatives[0].shown}), not about 5,000 (6%)", end)
    caveat = (f"{count(n)} in the earliest release held, not 5,080 ({FIRST_HELD})" if n != 5080 else
              f"{count(n)}, {alternatives[0].shown} of children looked after")
    later = (f"; by {last} it was {alternatives[1].shown} ({alternatives[2].shown})"
             if len(alternatives) > 2 else "")
    return Judgement(data, review, alternatives, "reproduced" if n == 5080 and not later else "reproduced with caveats",
                     caveat + later, end)


# --- where ----------------------------------------------------------------------------------------------------------

@check("CS-6")
def placement_types(claim, area, data, **_):
    end = held_year(data, "cla.by_placement", area, FOSTER)
    if end is None:
        return too_few(data, "placement types are not published for this area")
    total = figure(CLA, area, end, data.vintage)
    foster = share_of(figure("cla.by_placement", area, end, data.vintage, breakdown=FOSTER), total,
                      f"Foster care, 31 March {end}")
    composite = figure("cla.by_placement", area, end, data.vintage, breakdown=COMPOSITE)
    label = f"Secure units, children's homes and semi-independent living, {end}"
    if composite is None:  # the 2024 release re-categorised 2020 on: the two new categories together
        composite = breakdown_sum("cla.by_placement", area, end, data.vintage,
                                  ("placement=Secure homes and children's homes",
                                   "placement=Independent and semi-independent living or supported accommodation"))
        label += " (the 2024 release's two new categories added)"
    homes = share_of(composite, total, label)
    alternatives = [homes]
    last = latest_year(data, "cla.by_placement", area, FOSTER)
    if data.key == "latest" and last and last != end:
        alternatives.append(share_of(figure("cla.by_placement", area, last, data.vintage, breakdown=FOSTER),
                                     figure(CLA, area, last, data.vintage), f"Foster care, the latest year held ({last})"))
    if foster.value is None:
        return too_few(data, f"placements for this area are {SMALL} to share or not published", foster, alternatives,
                       end or "")
    if end != REVIEW_YEAR:
        return Judgement(data, foster, alternatives, "not checked with the data held",
                         f"placement types for this area are held only to {end}; 2020 is in DfE's large LA "
                         "characteristics file, public but not among the files held", end)
    if not national(area):
        return Judgement(data, foster, alternatives, "reproduced with caveats",
                         f"72% and 13% are England's shares; here foster care is {foster.shown}", end)
    near = abs(foster.value - 72) <= 1 and homes.value is not None and abs(homes.value - 13) <= 1
    if not near:
        return Judgement(data, foster, alternatives, "not supported",
                         f"the files give {foster.shown} fostered and {homes.shown} in the residential group", end)
    return Judgement(data, foster, alternatives, "reproduced with caveats",
                     f"{foster.shown} fostered and {homes.shown} in secure units, children's homes and "
                     f"semi-independent living, within a point of the review's 72% and 13%; {FIRST_HELD}, and the "
                     "2024 release re-categorised residential placements from 2020 on", end)


@check("CS-7")
def far_from_home(claim, area, data, **_):
    end = held_year(data, "cla.placed_outside_la", area)
    if end is None:
        return too_few(data, "placement locality is not published for this area")
    total = figure(CLA, area, end, data.vintage)
    outside = share_of(figure("cla.placed_outside_la", area, end, data.vintage), total,
                       f"Placed outside the LA boundary, 31 March {end}")
    far = share_of(figure("cla.by_placement_distance", area, end, data.vintage, breakdown="distance=Over 20 miles"),
                   total, f"Placed more than 20 miles from home, {end}")
    alternatives = [far]
    last = latest_year(data, "cla.placed_outside_la", area)
    if data.key == "latest" and last and last != end:
        alternatives.append(share_of(figure("cla.placed_outside_la", area, last, data.vintage),
                                     figure(CLA, area, last, data.vintage), f"Outside the boundary, {last}"))
    if outside.value is None:
        return too_few(data, f"placement locality for this area is {SMALL} to share or not published", outside,
                       alternatives, end or "")
    if end != REVIEW_YEAR:
        return Judgement(data, outside, alternatives, "not checked with the data held",
                         f"placement locality for this area is held only to {end}; later years are in DfE's LA "
                         "characteristics file, public but not among the files held", end)
    if not national(area):
        return Judgement(data, outside, alternatives, "reproduced with caveats",
                         f"42% is England's share; here {outside.shown} were placed outside the boundary, which for a "
                         "small authority may be only a few miles", end)
    verdict, why = verdict_by_conclusion(outside, [], about(42, 0.1), size="about 42%", claimed=42, tolerance=1.5)
    if verdict != "not supported":
        verdict, why = "reproduced with caveats", (
            f"{outside.shown} outside the boundary and {far.shown} more than 20 miles from home; the review's exact "
            "figure is unconfirmed, and outside the boundary is not always far, so distance is the better measure")
    return Judgement(data, outside, alternatives, verdict, why, end)


SEMI_2019 = ("placement=4a Living independently",
             "placement=5d Semi-independent living accommodation not subject to children's homes regulations")


@check("CS-8")
def unregulated(claim, area, data, **_):
    n = breakdown_sum("cla.by_placement", area, "2019", data.vintage, SEMI_2019)
    review = Figure("Living independently or in semi-independent accommodation, 31 March 2019", n,
                    count(n) if n is not None else "not published", "categories 4a + 5d")
    alternatives = [Figure("Under-16s placed there during 2018-19 (the review's 660)", None,
                           "not checked with the data held: DfE's ad hoc release of February 2020 is public but not "
                           "among the files held"),
                    Figure("Growth from 3,430 (2009)", None, "not checked with the data held: the 2009 sub-category "
                           "is not in the files held")]
    last = latest_year(data, "cla.by_placement", area,
                       "placement=Independent and semi-independent living or supported accommodation")
    if data.key == "latest" and last:
        now = figure("cla.by_placement", area, last, data.vintage,
                     breakdown="placement=Independent and semi-independent living or supported accommodation")
        alternatives.insert(0, Figure(f"Independent, semi-independent or supported accommodation, {last} (new "
                                      "category)", now, count(now)))
    if n is None:
        return Judgement(data, review, alternatives, "not checked with the data held",
                         "placement sub-types for local authorities are in DfE's LA characteristics file, public but "
                         "not among the files held" if not national(area) else "the 2019 sub-categories are not held")
    if abs(n - 6180) / 6180 > 0.03:
        return Judgement(data, review, alternatives, "not supported",
                         f"categories 4a and 5d give {count(n)} at 31 March 2019, not 6,180", "2019")
    return Judgement(data, review, alternatives, "reproduced with caveats",
                     f"categories 4a and 5d give {count(n)} at 31 March 2019, within 3% of the review's 6,180; the "
                     "under-16s figure and the growth since 2009 are not checked with the data held, and from October "
                     "2023 supported accommodation is regulated, which breaks the series", "2019")


@check("CS-10")
def kinship_range(claim, area, data, **_):
    year, shares, spread = foster_spread(data.vintage)
    review = Figure(f"Range across authorities of the share fostered by a relative or friend, {year}", None, spread)
    alternatives = []
    if not national(area):
        mine = breakdown_sum("cla.by_placement", area, str(year), data.vintage, KINSHIP)
        alternatives.append(share_of(mine, figure(CLA, area, str(year), data.vintage), f"This area, {year}"))
    return Judgement(data, review, alternatives, "not checked with the data held",
                     "the 2019-20 range needs local authorities' placements by carer (placement codes U1 to U3), "
                     "published in DfE's LA characteristics file, which is not among the files held; the files do "
                     f"hold {year}, shown here; the kinship special guardianship range needs SSDA903 microdata")


# --- leaving and after care -----------------------------------------------------------------------------------------

@check("CS-11")
def adoptions(claim, area, data, **_):
    rows = query.series("cla.adopted", area=area, vintage=data.vintage).dropna(subset=["value"])
    periods = data.upto(list(rows["period"]))
    if not periods:
        return too_few(data, "adoptions are not published for this area")
    end = REVIEW_YEAR if data.key == "review" and REVIEW_YEAR in periods else periods[-1]
    before = periods[periods.index(end) - 1] if periods.index(end) else None
    if before is None:
        return too_few(data, "only one year of adoptions is published for this area", period=end)
    review = growth("cla.adopted", area, end, before, data.vintage, f"Adoptions, {end} on {before}")
    held = rows[rows["period"].isin([p for p in periods if p <= end])]
    peak = held.loc[held["value"].idxmax(), "period"]
    alternatives = [growth("cla.adopted", area, end, peak, data.vintage, f"On the {peak} peak"),
                    growth("cla.ceased_sgo", area, end, before, data.vintage, f"Special guardianship orders, {end} on "
                                                                             f"{before}")]
    if review.value is None:
        return too_few(data, f"adoptions for this area are {SMALL} in a year compared or not published", review,
                       alternatives, end)
    if national(area) and data.key == "review":
        verdict, why = verdict_by_conclusion(review, [alternatives[0]], lambda g: g < -1, size="falling",
                                             claimed=-4, tolerance=1)
        if verdict == "reproduced":
            why = (f"adoptions fell {abs(review.value):.0f}% to {count(figure('cla.adopted', area, end, data.vintage))}, "
                   f"{alternatives[0].shown} on the {peak} peak")
        return Judgement(data, review, alternatives, verdict, why, end)
    if review.value < -1:
        return Judgement(data, review, alternatives, "reproduced with caveats",
                         f"adoptions fell {abs(review.value):.0f}% in {end}, {alternatives[0].shown} on the {peak} peak", end)
    moved = round(review.value)
    change = (f"adoptions were unchanged in {end} on {before}" if moved == 0
              else f"adoptions rose {moved}% in {end} on {before}" if moved > 0
              else f"adoptions were about level in {end} on {before} ({-moved}% fewer)")
    on_peak = alternatives[0].value
    peak_said = ("" if on_peak is None else ", the most in any year held" if peak == end
                 else f", level with the {peak} peak" if round(on_peak) == 0
                 else f", though {abs(on_peak):.0f}% below the {peak} peak")
    return Judgement(data, review, alternatives, "not supported", f"{change}: not falling{peak_said}", end)


LEAVERS = "activity={}; age=19 to 21"


def leaver_share(area: str, period: str | None, vintage: str, activity: str) -> Figure:
    part = figure("cla.care_leavers_activity", area, period, vintage, breakdown=LEAVERS.format(activity))
    whole = figure("cla.care_leavers_activity", area, period, vintage, breakdown=LEAVERS.format("Total"))
    return share_of(part, whole, f"Care leavers aged 19 to 21, {period}: {activity[0].lower() + activity[1:]}")


def leaver_period(data: Data, area: str) -> str | None:
    return held_year(data, "cla.care_leavers_activity", area, LEAVERS.format("Total"),
                     wanted=REVIEW_YEAR if data.key == "review" else "9999")


@check("CS-12")
def care_leavers_neet(claim, area, data, **_):
    end = leaver_period(data, area)
    if end is None:
        return too_few(data, "care leavers' activity is not published for this area")
    review = leaver_share(area, end, data.vintage, "Total not in education, employment or training")
    alternatives = [leaver_share(area, end, data.vintage, "Total information not known"),
                    Figure("All young people aged 19 to 21 (the review's 1 in 8)", None,
                           "not checked with the data held: ONS Labour Force Survey NEET rates (ages 16 to 24) are "
                           "public but not among the files held, and no 19-to-21 comparator is published")]
    if review.value is None:
        return too_few(data, f"care leavers aged 19 to 21 are {SMALL} or not published here", review, alternatives,
                       end or "")
    if not 35 <= review.value < 45:
        return Judgement(data, review, alternatives, "not supported",
                         f"{review.shown} of care leavers aged 19 to 21 were NEET in {end}, not about 4 in 10", end)
    return Judgement(data, review, alternatives, "reproduced with caveats",
                     f"{review.shown} of care leavers aged 19 to 21 were NEET in {end}, about 4 in 10; the peer "
                     "comparison is not checked with the data held, activity is recorded only for leavers the "
                     "authority is in touch with, and the review's exact wording is unconfirmed", end)


@check("CS-13")
def university(claim, area, data, **_):
    end = leaver_period(data, area)
    if end is None:
        return too_few(data, "care leavers' activity is not published for this area")
    review = leaver_share(area, end, data.vintage, "Higher education i.e. studies beyond A level")
    alternatives = [Figure("Entry to higher education by age 23 (cumulative)", None,
                           "not checked with the data held: DfE's widening participation statistics (linked pupil "
                           "and HESA data) are public but not among the files held")]
    if review.value is None:
        return too_few(data, f"care leavers aged 19 to 21 are {SMALL} or not published here", review, alternatives,
                       end or "")
    verdict, why = verdict_by_conclusion(review, [], about(6, 0.25), size="about 6%")
    if verdict == "reproduced":
        verdict, why = "reproduced with caveats", (
            f"{review.shown} of care leavers aged 19 to 21 were in higher education in {end}; a snapshot at 19 to 21 "
            "misses later entry, so it is a different measure from going to university at all")
    return Judgement(data, review, alternatives, verdict, why, end or "")


# Claims no published table held here can test, with what would settle them: (verdict, why).
UNTESTABLE = {
    "CS-9": ("not checked with the data held",
             "the 180,000 comes from Census 2011 household tables (children living with relatives without a parent); "
             "the Census 2021 equivalent (ONS, 2023) is public but not among the files held, and neither is a "
             "kinship-care measure as such. Formal kinship foster care is shown in the chapter instead"),
    "CS-14": ("not checkable with public data",
              "the figure is from a one-off 2012 Ministry of Justice survey of prisoners (self-reported care "
              "experience) with no current official series; linked Ministry of Justice and DfE records would settle "
              "it"),
}


register_untestable(UNTESTABLE)
