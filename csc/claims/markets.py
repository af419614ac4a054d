"""Claims MK-1 to MK-7: the placement market.

Figures quoted from the CMA, Ofsted's transparency data or LGA-commissioned research are not official statistics;
a judgement shows them beside the official figures, labelled so, and marks those published after the review (June
2021) as later: they appear only in the judgement with the latest data held.
"""
from __future__ import annotations

from ..analysis import SMALL_NUMBER, count, hand_collected, too_small
from ..analysis import markets as mk
from ..geography import ENGLAND
from . import Data, Figure, Judgement, about, check, too_few, verdict_by_conclusion
from .. import derived, query

NOT_OFFICIAL = mk.NOT_OFFICIAL
NATIONAL_ONLY = ("the national claim is about the market in England, and the files held split placements by provider "
                 "and placement type for England only")


def level(area: str) -> str:
    return query.areas().level(area)


def hand(data: Data, measure: str, breakdown: str, label: str, shown) -> Figure | None:
    """A hand-collected figure, only where this view may have seen it (published before the review, or the latest
    view), labelled as not official statistics."""
    rows = hand_collected(measure, breakdown)
    if rows.empty:
        return None
    row = rows.iloc[-1]
    later = row["release"] > mk.REVIEW_MONTH
    if later and data.key == "review":
        return None
    return Figure(f"{label} ({NOT_OFFICIAL}{'; published ' + row['release'] + ', after the review' if later else ''})",
                  float(row["value"]), shown(float(row["value"])))


def risen(data: Data, value: float | None, upper: float) -> str:
    """With the latest data, a level claim made about 2020 can fail by having been overtaken: say so."""
    if data.key == "latest" and value is not None and value > upper:
        return "; the figure has risen past the review's since 2020"
    return ""


def boundary(area: str) -> str:
    return "consistent" if level(area) == "consistent_boundary" else "as_published"


# --- MK-1: private providers run about three-quarters of children's homes -----------------------------------------

def private_share(area: str, period: str | None, vintage: str, measure: str, what: str) -> Figure:
    total = mk.number(measure, area, period, vintage, mk.HOMES, boundary(area))
    private = mk.number(measure, area, period, vintage, f"{mk.HOMES}; sector=Private", boundary(area)) or 0.0
    label = f"Private share of children's {'homes' if what == 'homes' else 'home places'}, 31 March {period}"
    if total is None:
        return Figure(label, None, "not published")
    if too_small(total):
        return Figure(label, None, f"too few to share ({count(total)} {what.rstrip('s') if total == 1 else what})",
                      "", (total,))
    share = private / total * 100
    return Figure(label, share, f"{share:.0f}%", f"{count(private)} private / {count(total)} {what}", (total,))


@check("MK-1")
def private_homes(claim, area, data: Data, **_):
    period = data.period("mk.providers_by_sector", ENGLAND)
    review = private_share(area, period, data.vintage, "mk.providers_by_sector", "homes")
    places = private_share(area, period, data.vintage, "mk.places_by_sector", "places")
    start = private_share(area, "2015", data.vintage, "mk.providers_by_sector", "homes")
    alternatives = [places, start]
    if review.value is None:
        why = review.shown if review.counts else "no children's homes are listed here"
        return too_few(data, f"{why} at 31 March {period}", review, alternatives, period or "")
    holds = about(75, band=5 / 75)   # 'about three-quarters': 70% to 80%
    caveat = ("the 2015 to 2020 lists hold inspected providers only, so the share is of listed homes"
              if period in mk.LISTS_SHORT else "")
    verdict, why = verdict_by_conclusion(review, [places], holds, caveat, size="about three-quarters (70% to 80%)")
    why += risen(data, review.value, 80)
    if start.value is not None and review.value is not None and verdict.startswith("reproduced"):
        if review.value <= start.value:
            verdict, why = "contested", (f"about three-quarters holds ({review.shown}), but the private share did not "
                                         f"grow: it was {start.shown} in 2015")
        else:
            why += f"; the private share grew from {start.shown} of homes in 2015"
    return Judgement(data, review, alternatives, verdict, why, period or "")


# --- MK-2: independent providers supply about 2 in 5 foster and 3 in 4 children's-home placements -----------------

RESIDENTIAL_PLACEMENTS = {"Secure homes and children's homes": "secure homes and children's homes",
                          "Secure units, children's homes and semi-independent living":
                              "secure units, children's homes and semi-independent living"}


def independent_share(period: str | None, vintage: str, placements: tuple[str, ...]) -> Figure:
    """The private or voluntary share of the first of `placements` DfE publishes for the period."""
    shares = mk.independent_placements(vintage)
    shares = shares[shares["period"] == period].set_index("placement")
    for placement in placements:
        if placement in shares.index:
            row = shares.loc[placement]
            what = RESIDENTIAL_PLACEMENTS.get(placement, placement.lower())
            return Figure(f"Private or voluntary share of {what}, 31 March {period}", float(row["share"]),
                          f"{row['share']:.0f}%", f"{count(row['independent'])} / {count(row['all_providers'])}")
    return Figure(f"Private or voluntary share of {placements[0].lower()}, 31 March {period}", None, "not published")


@check("MK-2")
def independent_placements(claim, area, data: Data, **_):
    period = data.period("cla.children_looked_after", ENGLAND, "2020") if data.key == "review" else \
        str(max(int(p) for p in mk.independent_foster_share(data.vintage)["period"]))
    foster = independent_share(period, data.vintage, ("Foster placements",))
    order = tuple(RESIDENTIAL_PLACEMENTS)
    homes = independent_share(period, data.vintage, order[1:] + order[:1] if data.key == "review" else order)
    alternatives = [homes]
    if data.key == "review":
        alternatives.append(independent_share(period, "latest", order))   # the same year, as DfE now splits it
    lga = hand(data, "mk.lga_independent_share_placements", "placement=Foster placements",
               "LGA-commissioned research: independent share of foster placements", lambda v: f"{v:.0f}%")
    alternatives += [lga] if lga else []
    if area != ENGLAND:
        return Judgement(data, None, [], "not checked with the data held", NATIONAL_ONLY, period)
    if foster.value is None or homes.value is None:
        return Judgement(data, foster, alternatives, "not checked with the data held",
                         "placements by provider and type are not in the files held for this year", period)
    fails = [(f, size) for f, size, rule in ((foster, "about 2 in 5 (35% to 45%)", about(40, 5 / 40)),
                                             (homes, "about 3 in 4 (70% to 80%)", about(75, 5 / 75)))
             if not rule(f.value)]
    if fails:
        figure, size = fails[0]
        verdict, why = "not supported", (f"{figure.label[:1].lower() + figure.label[1:]} is {figure.shown}, not {size}"
                                         + ("; the independent share of children's home placements is larger than "
                                            "stated" if figure is homes and homes.value > 80 else ""))
    else:
        verdict, why = "reproduced with caveats", (f"{foster.shown} of foster and {homes.shown} of residential "
                                                   f"placements are with private or voluntary providers")
    if data.key == "review":
        why += "; the split by provider and placement type was first published in 2022, after the review"
    return Judgement(data, foster, alternatives, verdict, why, period)


# --- MK-3: about £4,000 a week, up about 40% since 2013 ---------------------------------------------------------

@check("MK-3")
def weekly_cost(claim, area, data: Data, **_):
    costs = mk.weekly_costs(area, data.vintage, boundary(area))
    costs = costs[costs["period"].map(lambda p: data.end is None or int(mk.march_of(p)) <= data.end).astype(bool)]
    england = area == ENGLAND
    column = "per_home_child" if england else "per_residential_child"
    held = costs.dropna(subset=[column])
    what = "child in a children's home" if england else "child in secure units, children's homes or semi-independent living"
    if held.empty:
        small = costs.dropna(subset=["spend"])
        why = (f"the children the spending would be divided by are fewer than {SMALL_NUMBER} or not published"
               if len(small) else "section 251 spending by line is not published for this area in the files held")
        verdict = "too few to judge" if len(small) else "not checked with the data held"
        return Judgement(data, None, [], verdict, why, "")
    last = held.iloc[-1]
    fy = last["period"]
    children = last["children_in_homes"] if england else last["children_in_residential"]
    review = Figure(f"Residential spending per {what} at 31 March, {fy}", last[column], f"£{last[column]:,.0f} a week",
                    f"£{last['spend'] / 1e6:,.1f}m / ({count(children)} children × 52)", (children,))
    alternatives = []
    broad = costs.dropna(subset=["per_residential_child"])
    if england and len(broad):
        b = broad[broad["period"] == fy].iloc[0] if fy in set(broad["period"]) else broad.iloc[-1]
        alternatives.append(Figure(f"Per child in secure units, children's homes and semi-independent living, "
                                   f"{b['period']}", b["per_residential_child"],
                                   f"£{b['per_residential_child']:,.0f} a week",
                                   f"£{b['spend'] / 1e6:,.1f}m / ({count(b['children_in_residential'])} × 52)"))
    growth = None
    base = broad[broad["period"] == "2012-13"]
    if len(base) and fy in set(broad["period"]):
        now = broad[broad["period"] == fy].iloc[0]["per_residential_child"]
        pct = (now / base.iloc[0]["per_residential_child"] - 1) * 100
        growth = Figure("Change since 2012-13 in spending per child in all residential settings (cash; the only "
                        "series from 2013)", pct, f"{pct:+.0f}%")
        alternatives.append(growth)
    cma = hand(data, "mk.cma_average_weekly_price", mk.HOMES, "CMA: average weekly price of the largest providers",
               lambda v: f"£{v:,.0f} a week")
    alternatives += [cma] if cma else []
    if not england and too_small(children):
        return too_few(data, f"fewer than {SMALL_NUMBER} children in residential settings", review, alternatives, fy)
    holds = about(4000, band=500 / 4000)   # 'about £4,000': £3,500 to £4,500
    tested = [a for a in alternatives if a is not growth and "CMA" not in a.label]
    caveat = ("the residential line also pays for secure units and semi-independent living, and the children are "
              "counted at 31 March, not over the year" if england else
              "children in children's homes alone are published for England only in the files held, so this divides "
              "by all children in residential settings")
    verdict, why = verdict_by_conclusion(review, tested, holds, caveat, size="about £4,000 a week (£3,500 to £4,500)")
    if not england and verdict == "not supported":   # one council's spending over a count at 31 March is rough
        why += f"; {caveat}: one council's figure is a rough guide"
    why += risen(data, review.value, 4500)
    if growth is not None and not about(40)(growth.value) and verdict.startswith("reproduced"):
        moved = f"{'rose' if growth.value > 0 else 'fell'} {abs(growth.value):.0f}%"
        verdict, why = "contested", (f"the weekly figure holds ({review.shown}), but the only official series from "
                                     f"2013, spending per child in all residential settings, {moved} "
                                     f"in cash, not about +40%: children's homes alone are counted only from 2018")
    return Judgement(data, review, alternatives, verdict, why, fy)


# --- MK-5: residential spending high and rising fast --------------------------------------------------------------

def real_growth(area: str, line: str, start: str, end: str, vintage: str) -> float | None:
    prices = max(derived.deflators())
    values = [mk.number("spend.s251_line", area, p, vintage, line, boundary(area)) for p in (start, end)]
    if any(v is None or v < mk.SMALL_SPEND for v in values):
        return None
    real = [derived.at_prices(v, p, prices) for v, p in zip(values, (start, end))]
    return (real[1] / real[0] - 1) * 100


def faster(area: str, start: str, end: str, vintage: str, label: str) -> Figure:
    """Residential real growth minus all children's services' real growth, in points ('rising fast')."""
    res = real_growth(area, "line=cla_residential", start, end, vintage)
    total = real_growth(area, "line=cyps_total_excl_cera", start, end, vintage)
    if res is None or total is None:
        return Figure(label, None, "not published or too small to compare")
    return Figure(label, res - total, f"{res:+.0f}% against {total:+.0f}% for all children's services (real terms)",
                  f"{res - total:+.0f} points")


@check("MK-5")
def residential_spending(claim, area, data: Data, **_):
    if level(area) == "regional":
        return Judgement(data, None, [], "not checked with the data held",
                         "section 251 lines are held for England and local authorities, not regions")
    rows = query.series("spend.s251_line", area, data.vintage, "line=cla_residential", boundary(area))
    held = data.upto(list(rows.dropna(subset=["value"])["period"]))
    end = "2019-20" if area == ENGLAND and data.key == "review" else held[-1] if held else None
    if end is None:
        return Judgement(data, None, [], "not checked with the data held",
                         "section 251 spending is not published for this area in the files held")
    review = faster(area, "2012-13", end, data.vintage, f"Residential care spending growth, 2012-13 to {end}, "
                    f"against all children's services")
    alternatives = [faster(area, "2010-11", end, data.vintage, "Counting from 2010-11 instead of 2012-13")]
    spend = mk.number("spend.s251_line", area, end, data.vintage, "line=cla_residential", boundary(area))
    level_figure = Figure(f"Residential care spending, {end} (cash)", spend,
                          mk.pounds(spend) if spend is not None else "not published")
    if review.value is None:
        return too_few(data, f"spending on residential care is below {mk.pounds(mk.SMALL_SPEND)} a year or not "
                             f"published here", review, alternatives + [level_figure], end)
    caveat = ""
    if area == ENGLAND and data.key == "review" and spend is not None and abs(spend - 1.6e9) > 0.05e9:
        caveat = f"the review's £1.6bn is not the published {mk.pounds(spend)}"
    verdict, why = verdict_by_conclusion(review, alternatives, lambda g: g > 10, caveat,
                                         size="rising faster than all children's services spending (by more than 10 "
                                              "points)")
    return Judgement(data, review, [level_figure] + alternatives, verdict, why, end)


# --- MK-6: not enough homes in the right places -------------------------------------------------------------------

@check("MK-6")
def wrong_places(claim, area, data: Data, **_):
    table = mk.regional_table(data.vintage, data.end)
    year = table.attrs["year"]
    if area == ENGLAND:
        nw = table.loc["E12000002"]
        review = Figure(f"North West share of England's children's homes, 31 March {year}", nw["homes_share_percent"],
                        f"{nw['homes_share_percent']:.0f}%", f"{count(nw['homes'])} of {count(table['homes'].sum())}")
        alternatives = [Figure(f"North West share of children looked after, 31 March {year}",
                               nw["children_looked_after_share_percent"],
                               f"{nw['children_looked_after_share_percent']:.0f}%")]
        verdict, why = verdict_by_conclusion(review, [], about(25, band=5 / 25), size="about a quarter (20% to 30%)")
        ratio = nw["homes_share_percent"] / nw["children_looked_after_share_percent"]
        if verdict.startswith("reproduced"):
            verdict = "reproduced with caveats"
            why = (f"the North West holds {review.shown} of the homes but {alternatives[0].shown} of the children "
                   f"looked after ({ratio:.1f} times its share); the 660 under-16s in unregulated placements come from "
                   f"a DfE table not among the files held, and price and buying power are not in any official table")
        return Judgement(data, review, alternatives, verdict, why, year)
    if level(area) == "regional":
        if area not in table.index:
            return Judgement(data, None, [], "not checked with the data held", "this region is not in the tables held")
        r = table.loc[area]
        ratio = r["homes_share_percent"] / r["children_looked_after_share_percent"]
        review = Figure(f"Share of England's homes against share of its children looked after, 31 March {year}", ratio,
                        f"{ratio:.2f} times", f"{r['homes_share_percent']:.0f}% of homes / "
                                              f"{r['children_looked_after_share_percent']:.0f}% of children")
    else:
        places = mk.number("mk.places_by_sector", area, year, data.vintage, mk.HOMES, boundary(area)) or 0.0
        children = mk.number("cla.children_looked_after", area, year, data.vintage, boundary=boundary(area))
        england = table["places"].sum() / table["children_looked_after"].sum()
        # Few or no places is the finding itself (the claim is that homes are not where children are); only the
        # children looked after, the base, must be enough to judge by.
        if children is None or too_small(children):
            return too_few(data, f"fewer than {SMALL_NUMBER} children looked after here "
                                 f"({count(children)}), too few to set places against", period=year)
        ratio = places / children / england
        review = Figure(f"Places per child looked after against England's, 31 March {year}", ratio, f"{ratio:.2f} times",
                        f"{count(places)} places / {count(children)} children, England "
                        f"{england * 100:.0f} per 100", (children,))
    mismatch = ratio > 1.25 or ratio < 0.8
    verdict = "reproduced with caveats" if mismatch else "not supported"
    why = (f"supply here is {review.shown} England's relative to its children looked after, a mismatch of more than a "
           f"quarter; the homes take children from anywhere" if mismatch else
           f"supply here is {review.shown} England's relative to its children looked after, within a quarter of it")
    return Judgement(data, review, [], verdict, why, year)


# --- claims no public data can settle ------------------------------------------------------------------------------

@check("MK-4")
def profits(claim, area, data: Data, **_):
    alternatives = [f for f in (
        hand(data, "mk.cma_operating_margin", mk.HOMES, "CMA: operating margin of the largest children's home "
             "providers", lambda v: f"{v:.0f}%"),
        hand(data, "mk.cma_operating_margin", "provision=Independent fostering agency",
             "CMA: operating margin of the largest independent fostering agencies", lambda v: f"{v:.0f}%"),
        hand(data, "mk.cma_largest_providers_revenue", "owners=largest 15", "CMA: revenue of the 15 largest providers",
             lambda v: mk.pounds(v))) if f]
    return Judgement(data, None, alternatives, "not checkable with public data",
                     "providers' profits are in company accounts (Companies House), not in any official statistics; "
                     "the £250m is the LGA consultants' sum over the 20 largest providers in England, Scotland and "
                     "Wales, homes and fostering together, and the CMA's margins are its own analysis of providers' "
                     "data")


@check("MK-7")
def debt(claim, area, data: Data, **_):
    owned = hand(data, "mk.private_equity_owned_largest", "owners=largest 10",
                 "Press report of CMA findings: the 10 largest children's home providers owned by private equity",
                 lambda v: f"{v:.0f} of 10")
    return Judgement(data, None, [owned] if owned else [], "not checkable with public data",
                     "debts, liabilities and tangible assets are in the groups' consolidated accounts at Companies "
                     "House, which no official statistics summarise; Ofsted's lists name each home's registered "
                     "owner, not its ultimate parent")
