"""The care system: who comes into care, where they live and how they leave — each section's numbers, chart words
and sentences, for any area and vintage.

Counts are read as published (or summed over a consistent-boundary group); shares are computed from counts, so a
merged council gets them too. Where the files held stop at a level or a year (LA placement types after 2019, age
on entry, care leavers' accommodation), the section says so instead of guessing.
"""
from __future__ import annotations

from functools import lru_cache

import pandas as pd

from .. import derived, query, sources
from ..chapter import Context
from ..geography import ENGLAND
from . import (SMALL_NUMBER, Chart, Section, base_year, change, count, coverage, gaps, is_number, leaders, listing,
               movement, places, too_small)

FLOWS = {"cla.children_looked_after": "Looked after at 31 March", "cla.starts": "Started during the year",
         "cla.ceased": "Ceased during the year"}
WITHOUT_UASC = "Looked after, excluding UASC"
AGE_KEYS = ("age=Under 1 year", "age=1 to 4 years", "age=5 to 9 years", "age=10 to 15 years", "age=16 years and over")
TEENS = AGE_KEYS[3:]
AGES = {"age=10 to 15 years": "Aged 10 to 15", "age=16 years and over": "Aged 16 and over"}
FOSTER = "placement=Foster placements"
KINSHIP = ("placement=1a.1 Total foster placements inside council boundary with relative or friend",
           "placement=1b.1 Total foster placements outside council boundary with relative or friend",
           "placement=Foster placements with relative or friend")   # EES 2018 on; SFR 2010 March file
COMPOSITE = "placement=Secure units, children's homes and semi-independent living"
HOMES = "placement=Secure homes and children's homes"
SEMI = "placement=Independent and semi-independent living or supported accommodation"
PLACEMENTS = {FOSTER: "Foster care (all)", "kinship": "Foster care, relative or friend",
              "placement=Placed with parents": "Placed with parents",
              COMPOSITE: "Homes and semi-independent (old)",
              HOMES: "Secure and children's homes (new)",
              SEMI: "Independent or supported (new)"}
IN_WORDS = {PLACEMENTS[COMPOSITE]: "secure units, children's homes and semi-independent living",
            PLACEMENTS[HOMES]: "secure and children's homes",
            PLACEMENTS[SEMI]: "independent, semi-independent or supported accommodation"}
PROVIDER_PREFIX = "provider="
S20 = "legal_status=Voluntary agreements under S20"
CARE_ORDERS = ("legal_status=Care orders", "legal_status=Full care orders", "legal_status=Interim care orders")
LEAVER = "activity={activity}; age={age}"
NEET, EET, HE, TOTAL, UNKNOWN = ("Total not in education, employment or training", "Total in education, employment "
                                 "or training", "Higher education i.e. studies beyond A level", "Total",
                                 "Total information not known")
NO_COMPARATOR = ("No figure for all young people of the same age is among the files held: the nearest published "
                 "comparators (ONS Labour Force Survey NEET rates for 16 to 24 year olds; DfE's NEET statistics for "
                 "16 to 24 year olds) cover different ages, so the gap with peers is not computed here, for 17 to 21 "
                 "year olds or for 22 to 25 year olds. Staying put applies only to young people leaving foster care, "
                 "so it has no counterpart among all young people.")
TOO_FEW = f"too few to compare (fewer than {SMALL_NUMBER})"
TOO_FEW_TO_SHARE = f"too few to share (fewer than {SMALL_NUMBER})"


@lru_cache(maxsize=4096)
def published(measure: str, area: str, vintage: str, boundary: str, breakdown: str | None = "") -> pd.DataFrame:
    """One area's rows of a measure (breakdown=None: every breakdown), kept for the run: a chapter reads the same
    series in several sections, and the every-area test reads them for every area (callers never modify them)."""
    if breakdown is None:
        frame = query.by_breakdown(measure, area, vintage, boundary=boundary)
    else:
        frame = query.series(measure, area=area, vintage=vintage, breakdown=breakdown, boundary=boundary)
    # Plain object columns and no attrs: each later step on a small frame is then several times cheaper.
    frame = frame.astype({c: object for c in frame.columns if c != "value"})
    frame.attrs = {}
    return frame


def series(ctx: Context, measure: str, breakdown: str = "") -> pd.Series:
    """One measure for the area by year (int), published numbers only, cut at end_year."""
    rows = ctx.upto(published(measure, ctx.area, ctx.vintage, ctx.boundary, breakdown)).dropna(subset=["value"])
    return pd.Series(rows["value"].values, index=rows["period"].astype(int), dtype="float64")


def breakdowns(ctx: Context, measure: str) -> pd.DataFrame:
    """Every breakdown of a count measure for the area: year x breakdown, published numbers only."""
    rows = ctx.upto(published(measure, ctx.area, ctx.vintage, ctx.boundary, None)).dropna(subset=["value"])
    wide = rows.set_index([rows["period"].astype(int).rename("year"), "breakdown"])["value"].unstack()
    return wide.sort_index()


def share(part: float | None, whole: float | None) -> float | None:
    """Per cent, or None when the whole is too small to share (SMALL_NUMBER) or either is missing."""
    if part is None or whole is None or part != part or too_small(whole):
        return None
    return part / whole * 100


def pct(x: float | None) -> str:
    return "not published" if x is None else f"{x:.0f}%"


def revised(ctx: Context, measure: str, breakdown: str, year: int, what: str) -> str:
    """A sentence when the figure for a year shown differs between its first and its latest release (never hidden)."""
    if ctx.boundary != "as_published":
        return ""
    found = first_and_latest(measure, ctx.area, breakdown, str(year))
    if None in found or found[0][0] == found[1][0]:
        return ""
    (old, r0), (new, r1) = found
    return (f" DfE revised {what} for {year} from {count(old)} as first published ({r0} release) to {count(new)} "
            f"({r1} release).")


@lru_cache(maxsize=4096)
def first_and_latest(measure: str, area: str, breakdown: str, period: str) -> tuple:
    """(value, release) of one figure as first published and as last revised; the same under both vintages."""
    found = []
    for vintage in ("first", "latest"):
        rows = published(measure, area, vintage, "as_published", breakdown)
        rows = rows[rows["period"] == period].dropna(subset=["value"])
        found.append((rows["value"].iloc[0], rows["release"].iloc[0]) if len(rows) else None)
    return tuple(found)


def duration(months: float) -> str:
    """'2 years 3 months', '1 year', '9 months'."""
    y, m = divmod(int(round(months)), 12)
    parts = ([f"{y} year{'s' if y != 1 else ''}"] if y else []) + ([f"{m} month{'s' if m != 1 else ''}"] if m else [])
    return " ".join(parts) or "less than a month"


BY_BREAKDOWN = {"cla.by_age", "cla.by_placement", "cla.care_leavers_activity", "cla.starts_by_age",
                "cla.new_placements", "cla.staying_put"}   # held only with a breakdown


def sources_of(ctx: Context, *measures: str) -> str:
    """The files behind a chart: every source of the rows it shows (a summed group names each member's file)."""
    files: set[str] = set()
    for m in measures:
        frame = published(m, ctx.area, ctx.vintage, ctx.boundary, None if m in BY_BREAKDOWN else "")
        for text in ctx.upto(frame).dropna(subset=["value"])["source"].unique():
            files.update(text.split(", "))
    return sources.cite(files) if files else ""


def complete_years(table: pd.DataFrame, columns, total: pd.Series | None = None) -> pd.Series:
    """Years (index of `table`) holding every column, with a total of at least SMALL_NUMBER: only these are shared.
    The others stay in charts as gaps, so a line never joins across a suppressed year."""
    if table.empty:
        return pd.Series(dtype=bool)
    held = table.reindex(columns=list(columns)).notna().all(axis=1)
    whole = table.reindex(columns=list(columns)).sum(axis=1) if total is None else total
    return held & (whole >= SMALL_NUMBER)


# --- 1. how many, and why the number rose -------------------------------------------------------------------------

def rates(ctx: Context) -> pd.Series:
    """DfE's published rates per 10,000 where the area is as published; computed ones for a merged council."""
    if ctx.boundary == "as_published":
        return series(ctx, "cla.rate_per_10000")
    rows = ctx.upto(derived.per_10000("cla.children_looked_after", ctx.area, ctx.vintage, boundary=ctx.boundary))
    return pd.Series(rows["rate"].values, index=rows["period"].astype(int))


def numbers(ctx: Context, baseline_year: int = 2010) -> Section:
    frames = [ctx.upto(published(m, ctx.area, ctx.vintage, ctx.boundary)).assign(stage=label, measure=m)
              for m, label in FLOWS.items()]
    flows = pd.concat(frames, ignore_index=True)
    flows["year"] = flows["period"].astype(int)
    held = flows.dropna(subset=["value"])
    stock = series(ctx, "cla.children_looked_after")
    usable = stock[stock >= SMALL_NUMBER]
    empty = {"numbers_flows": "", "numbers_doubled": "", "numbers_uasc": ""}
    if stock.empty:
        return Section({"numbers_answer": f"Children looked after are not published for {ctx.area_name} in the files "
                                          "held (every year is suppressed or not returned).", **empty})
    last = int(stock.index.max())
    rate = rates(ctx)
    rate_text = f" ({rate[last]:.0f} per 10,000 children aged under 18)" if last in rate.index else ""
    answer = f"At 31 March {last}, **{count(stock[last])}** children were looked after in {ctx.area_name}{rate_text}."
    if usable.empty:
        answer += f" The numbers are {TOO_FEW} in every year, so no change is computed."
        return Section({"numbers_answer": answer + gaps(flows, ctx), **empty}, latest=str(last))
    base = base_year(stock, baseline_year)
    growth = change(stock[last], stock.get(base))
    if base != last:
        answer += (f" Since {base}, when there were {count(stock[base])}, the number {movement(growth)}."
                   if growth is not None else f" The {last} figure is {TOO_FEW}, so no change is computed.")
    first = int(stock.index.min())
    if first < base and not too_small(stock[first]):
        answer += (f" The national series starts in {first}, at {count(stock[first])}; {last} is "
                   f"{stock[last] / stock[first]:.2f} times that.")
    answer += gaps(flows, ctx)
    starts, ceased = series(ctx, "cla.starts"), series(ctx, "cla.ceased")
    flow_text = ""
    if last in starts.index and last in ceased.index and base in starts.index and base in ceased.index:
        entries = change(starts[last], starts[base])
        stays = {y: stock[y] / ceased[y] for y in (base, last) if not too_small(ceased[y])}
        flow_text = (f"In the year to 31 March {last}, {count(starts[last])} children started to be looked after and "
                     f"{count(ceased[last])} ceased. ")
        if entries is not None and growth is not None:
            gap = growth - entries
            verdict = ("the number in care grew faster than entries, which points to children staying longer rather "
                       "than more coming in" if gap > 5 else
                       "entries grew faster than the number in care, so more children also left" if gap < -5 else
                       "entries and the number in care moved together, so the change follows admissions")
            flow_text += (f"Since {base}, starts {movement(entries)} while the number in care {movement(growth)}: "
                          f"{verdict}.")
        if len(stays) == 2:
            flow_text += (f" The number in care divided by the number leaving each year — a rough guide to the "
                          f"average time in care — was {stays[base]:.1f} years in {base} and {stays[last]:.1f} in "
                          f"{last}.")
    doubled = ""
    if {2010, 2020} <= set(stock.index) and not too_small(stock[2010], stock[2020]):
        ratio = stock[2020] / stock[2010]
        size = ("it nearly doubled" if 1.8 <= ratio < 2.1 else "it more than doubled" if ratio >= 2.1
                else f"a rise of {(ratio - 1) * 100:.0f}%, not nearly double" if ratio >= 1
                else f"a fall of {(1 - ratio) * 100:.0f}%")
        doubled = (f"Did the number nearly double between 2010 and 2020? At 31 March 2010 it was "
                   f"{count(stock[2010])} and at 31 March 2020 {count(stock[2020])}: {ratio:.2f} times, {size}.")
    uasc = series(ctx, "cla.uasc")
    uasc_text, without = "", pd.DataFrame()
    common = sorted(set(uasc.index) & set(stock.index))
    if common:
        u_last = common[-1]
        u_base = base if base in common else common[0]
        net = {y: stock[y] - uasc[y] for y in (u_base, u_last)}
        net_change = change(net[u_last], net[u_base])
        uasc_text = (f"At 31 March {u_last}, {count(uasc[u_last])} of the children looked after were unaccompanied "
                     f"asylum-seeking children (UASC)"
                     + (f", {share(uasc[u_last], stock[u_last]):.0f}% of the total" if share(uasc[u_last], stock[u_last])
                        is not None else "") + ".")
        if u_base != u_last:
            uasc_text += (f" Excluding them, the number looked after went from {count(net[u_base])} in {u_base} to "
                          f"{count(net[u_last])} in {u_last}: it {movement(net_change)}, against "
                          f"{change(stock[u_last], stock[u_base]):+.0f}% with them." if net_change is not None
                          and change(stock[u_last], stock[u_base]) is not None else
                          f" Excluding them, the numbers are {TOO_FEW}.")
        if u_last < last:
            uasc_text += f" UASC counts for {ctx.area_name} are held only to {u_last}."
        without = pd.DataFrame({"year": common, "stage": WITHOUT_UASC, "value": [stock[y] - uasc[y] for y in common],
                                "status": "", "release": "", "source": ""})
    data = pd.concat([held[["year", "stage", "value", "status", "release", "source"]], without], ignore_index=True)
    data = data.rename(columns={"value": "children"})
    data["children"] = data["children"].round().astype("int64")
    entries_change = change(starts.get(last), starts.get(base))
    chart = Chart("children_in_care", f"Children looked after in {ctx.area_name} {movement(growth)} between {base} and "
                  f"{last}; starts {movement(entries_change)}", (
                      "Line chart of children looked after at 31 March, children starting and ceasing to be looked "
                      "after during the year" + (" and children looked after excluding unaccompanied asylum-seeking "
                                                  "children" if len(without) else "")
                      + f", {ctx.area_name}, {int(data['year'].min())} to {last}. Children looked after went from "
                      f"{count(stock[first])} in {first} to {count(stock[last])} in {last}."),
                  sources_of(ctx, *FLOWS, "cla.uasc"), "Children")
    section = Section({"numbers_answer": answer, "numbers_flows": flow_text, "numbers_doubled": doubled,
                       "numbers_uasc": uasc_text}, data, chart, {"children": stock[last], "growth": growth}, str(last))
    section.figures["revisions"] = revisions(ctx)
    return section


REVISED_YEARS = ("2019", "2020", "2023")   # 2020 as the review saw it; 2023 re-based on new population estimates


@lru_cache(maxsize=1)
def every_release() -> dict[str, tuple[pd.DataFrame, pd.DataFrame]]:
    """Counts and rates of the revised years in every release held, by area (read once per run)."""
    def rows(measure):
        frame = query.table("cla", measure)
        return frame[(frame["breakdown"] == "") & frame["period"].isin(list(REVISED_YEARS))]
    counts, rates = rows("cla.children_looked_after"), rows("cla.rate_per_10000")
    by_area = dict(tuple(rates.groupby("area_code")))
    return {code: (part, by_area.get(code, rates.iloc[:0])) for code, part in counts.groupby("area_code")}


def revisions(ctx: Context) -> pd.DataFrame | None:
    """The same years in every release held: DfE revises back years and re-bases rates on new populations."""
    if ctx.boundary != "as_published" or ctx.area not in every_release():
        return None
    table, rate = every_release()[ctx.area]
    wide = lambda t: t.pivot_table(index="release", columns="period", values="value", aggfunc="first")  # noqa: E731
    counts = wide(table).reindex(columns=list(REVISED_YEARS)).rename(columns=lambda y: f"Looked after at 31 March {y}")
    rebased = wide(rate).reindex(columns=list(REVISED_YEARS[1:])).rename(columns=lambda y: f"Rate per 10,000, {y}")
    frame = counts.join(rebased, how="left").dropna(axis=1, how="all")
    frame = frame.reset_index().rename(columns={"release": "Release"}).rename_axis(columns=None)
    frame = frame.astype(object).where(frame.notna(), None)
    return frame if len(frame) > 1 and frame.shape[1] > 1 else None


# --- 2. who comes into care -----------------------------------------------------------------------------------------

def who(ctx: Context) -> Section:
    ages = breakdowns(ctx, "cla.by_age")
    complete = ages.dropna() if not ages.empty else ages
    complete = complete[complete.sum(axis=1) >= SMALL_NUMBER] if len(complete) else complete
    sentences = {"who_answer": "", "who_need": "", "who_legal": ""}
    data, chart = None, None
    if complete.empty:
        sentences["who_answer"] = (f"Children looked after by age are not published for {ctx.area_name} in the files "
                                   "held, or are too few to share.")
    else:
        total = complete.sum(axis=1)
        teen_share = complete[list(TEENS)].sum(axis=1) / total * 100
        first, last = int(complete.index.min()), int(complete.index.max())
        older = complete[TEENS[1]] / total * 100
        sentences["who_answer"] = (
            f"At 31 March {last}, {teen_share[last]:.0f}% of the children looked after in {ctx.area_name} were aged 10 "
            f"or over ({complete.loc[last, TEENS[0]] / total[last] * 100:.0f}% aged 10 to 15 and {older[last]:.0f}% "
            f"aged 16 and over)"
            + (f", against {teen_share[first]:.0f}% in {first}: a change of {teen_share[last] - teen_share[first]:+.0f} "
               f"percentage points." if first != last else ".")
            + (f" Age groups are held for {ctx.area_name} only to {last}." if not ctx.is_england
               and ctx.level != "regional" and last < 2020 else ""))
        long = (complete[list(TEENS)].div(total, axis=0) * 100).reset_index().melt(
            id_vars="year", var_name="group", value_name="percent_of_children_looked_after")
        long["group"] = long["group"].map(AGES)
        data = long
        chart = Chart("age_at_31_march", f"The share of children in care aged 16 and over went from "
                      f"{older[first]:.0f}% in {first} to {older[last]:.0f}% in {last}", (
                          f"Line chart of the percentage of children looked after at 31 March aged 10 to 15 and aged "
                          f"16 and over in {ctx.area_name}, {first} to {last}. Aged 16 and over: {older[first]:.0f}% "
                          f"in {first}, {older[last]:.0f}% in {last}."),
                      sources_of(ctx, "cla.by_age"), "Per cent of children looked after")
    need = breakdowns(ctx, "cla.by_need")
    if need.empty:
        sentences["who_need"] = (f"Category of need is published nationally only in the files held, so it is not "
                                 f"shown for {ctx.area_name}.")
    else:
        year = int(need.index.max())
        top, problem = leaders(need.loc[year].rename(lambda k: k.split(". ", 1)[-1]))
        total = need.loc[year].sum()
        sentences["who_need"] = (
            f"The most common category of need recorded for children looked after at 31 March {year} was "
            f"{top[0].lower()} ({share(need.loc[year].rename(lambda k: k.split('. ', 1)[-1])[top[0]], total):.0f}%), "
            f"then {top[1].lower()}." if not problem else
            f"Categories of need in {year} are too few or tied at the top to name the most common.")
    legal = breakdowns(ctx, "cla.by_legal_status")
    if legal.empty:
        sentences["who_legal"] = f"Legal status is not published for {ctx.area_name} in the files held."
    else:
        orders = legal.reindex(columns=list(CARE_ORDERS)).sum(axis=1, min_count=1)
        s20 = legal.get(S20)
        total = legal.sum(axis=1)
        years = [y for y in legal.index if s20 is not None and s20.get(y) == s20.get(y) and not too_small(total[y])]
        if len(years) >= 1:
            y0, y1 = years[0], years[-1]
            sentences["who_legal"] = (
                f"At 31 March {y1}, {share(orders[y1], total[y1]):.0f}% of children looked after in {ctx.area_name} "
                f"were on care orders and {share(s20[y1], total[y1]):.0f}% accommodated voluntarily under section 20"
                + (f", against {share(orders[y0], total[y0]):.0f}% and {share(s20[y0], total[y0]):.0f}% in {y0}."
                   if y0 != y1 else "."))
        else:
            sentences["who_legal"] = f"Legal status figures for {ctx.area_name} are {TOO_FEW_TO_SHARE}."
    latest = str(int(complete.index.max())) if len(complete) else ""
    return Section(sentences, data, chart, {}, latest)


def entry(ctx: Context) -> Section:
    """Age on starting to be looked after: the growth in teenagers at entry, not only in the stock."""
    ages = breakdowns(ctx, "cla.starts_by_age").reindex(columns=list(AGE_KEYS))
    ok = complete_years(ages, AGE_KEYS)
    complete = ages[ok]
    if complete.empty:
        return Section({"who_entry": f"Age on starting to be looked after is not published for {ctx.area_name} in the "
                                     f"files held, or the numbers are {TOO_FEW_TO_SHARE}."})
    total = complete.sum(axis=1)
    teens = complete[list(TEENS)].sum(axis=1) / total * 100
    older = complete[TEENS[1]] / total * 100
    first, last = int(complete.index.min()), int(complete.index.max())
    england = ctx.upto(published("cla.starts_by_age", ENGLAND, ctx.vintage, "as_published", TEENS[1])).dropna(
        subset=["value"])
    england_last = int(england["period"].astype(int).max()) if len(england) else last
    text = (f"In the year to 31 March {last}, {teens[last]:.0f}% of the {count(total[last])} children who started to "
            f"be looked after in {ctx.area_name} were aged 10 or over ({teens[last] - older[last]:.0f}% aged 10 to 15 "
            f"and {older[last]:.0f}% aged 16 and over)"
            + (f", against {teens[first]:.0f}% in {first} ({older[first]:.0f}% aged 16 and over)." if first != last
               else ".")
            + (f" Age on starting is held for {ctx.area_name} only to {last}: the later files held publish it for "
               "England only." if last < england_last else "")
            + revised(ctx, "cla.starts_by_age", TEENS[1], first, "the number starting aged 16 and over"))
    shown = ages.loc[first:last]
    data = (shown[list(TEENS)].div(shown.sum(axis=1), axis=0) * 100).where(ok.loc[first:last], axis=0)
    data = data.rename_axis(index="year").reset_index().melt(
        id_vars="year", var_name="group", value_name="percent_of_children_starting_care")
    data["group"] = data["group"].map(AGES)
    chart = Chart("age_on_starting", f"Children starting care aged 16 and over in {ctx.area_name}: {older[first]:.0f}% "
                  f"in {first}, {older[last]:.0f}% in {last}", (
                      f"Line chart of the percentage of children starting to be looked after who were aged 10 to 15 "
                      f"and aged 16 and over, {ctx.area_name}, years to 31 March {first} to {last}. " + text),
                  sources_of(ctx, "cla.starts_by_age"), "Per cent of children starting care")
    return Section({"who_entry": text}, data, chart, {"starting_aged_10_plus": teens[last]}, str(last))


# --- 3. where children live -----------------------------------------------------------------------------------------

def where(ctx: Context) -> Section:
    places = breakdowns(ctx, "cla.by_placement")
    stock = series(ctx, "cla.children_looked_after")
    sentences = {"where_answer": "", "where_distance": "", "where_stability": "", "where_moves": "",
                 "where_missing": ""}
    data, chart, marks = None, None, []
    years = [y for y in places.index if y in stock.index and not too_small(stock[y])] if len(places) else []
    if not years:
        sentences["where_answer"] = (f"Placement types are not published for {ctx.area_name} in the files held, or "
                                     "the numbers are too few to share.")
    else:
        kinship = places.reindex(columns=list(KINSHIP)).sum(axis=1, min_count=1).dropna()
        if (kinship.index >= 2018).any():  # the SFR 2010 point sits eight years before the EES series: not joined
            kinship = kinship[kinship.index >= 2018]
        shares = {}
        for key, label in PLACEMENTS.items():
            values = kinship if key == "kinship" else places.get(key)
            if values is None:
                continue
            shares[label] = {y: values[y] / stock[y] * 100 for y in years if y in values.index and values[y] == values[y]}
        long = pd.DataFrame([(y, label, v) for label, by in shares.items() for y, v in by.items()],
                            columns=["year", "placement", "percent_of_children_looked_after"])
        last = max(years)
        foster = shares.get(PLACEMENTS[FOSTER], {})
        first_foster = min(foster) if foster else None
        residential = [label for label in (PLACEMENTS[COMPOSITE], PLACEMENTS[HOMES], PLACEMENTS[SEMI])
                       if last in shares.get(label, {})]
        parts = [f"{shares[label][last]:.0f}% in {IN_WORDS[label]}" for label in residential]
        kin = shares.get(PLACEMENTS["kinship"], {})
        sentences["where_answer"] = (
            (f"At 31 March {last}, {foster[last]:.0f}% of children looked after in {ctx.area_name} were in foster care"
             if last in foster else f"At 31 March {last}, foster care for {ctx.area_name} is not published")
            + (f" ({kin[last]:.0f}% with a relative or friend)" if last in kin else "")
            + (f", {listing(parts)}" if len(parts) > 1 else f" and {parts[0]}" if parts else "")
            + (f". In {first_foster}, {foster[first_foster]:.0f}% were fostered." if first_foster not in (None, last)
               else ".")
            + (f" Placement types for {ctx.area_name} are held only to {last}: later local-authority figures are in "
               "DfE's large local-authority characteristics file, which is not among the files held."
               if last < 2020 else ""))
        new = [y for y in shares.get(PLACEMENTS[HOMES], {})]
        if new and shares.get(PLACEMENTS[COMPOSITE]):
            marks = [min(new)]
        data = long
        chart = Chart("placement_types", f"Foster care was {foster.get(last, float('nan')):.0f}% of placements in "
                      f"{ctx.area_name} at 31 March {last}" if last in foster else
                      f"Placements of children looked after in {ctx.area_name}", (
                          f"Line chart of the percentage of children looked after at 31 March in each placement type, "
                          f"{ctx.area_name}, {min(years)} to {last}. "
                          + "; ".join(f"{label}: {by[max(by)]:.0f}% in {max(by)}" for label, by in shares.items() if by)
                          + (f". The residential categories changed in the 2024 release for {marks[0]} on; old and new "
                             "categories are drawn as separate lines." if marks else ".")),
                      sources_of(ctx, "cla.by_placement", "cla.children_looked_after"),
                      "Per cent of children looked after")
    outside = series(ctx, "cla.placed_outside_la")
    distance = breakdowns(ctx, "cla.by_placement_distance")
    providers = breakdowns(ctx, "cla.by_placement_provider")
    bits = []
    if len(outside):
        y = int(outside.index.max())
        if y in stock.index and share(outside[y], stock[y]) is not None:
            bits.append(f"{share(outside[y], stock[y]):.0f}% were placed outside "
                        + (f"{ctx.area_name}'s boundary" if ctx.level == "local_authority" else "their council's boundary")
                        + f" at 31 March {y}")
    if len(distance) and "distance=Over 20 miles" in distance:
        y = int(distance["distance=Over 20 miles"].dropna().index.max())
        if y in stock.index:
            bits.append(f"{share(distance.loc[y, 'distance=Over 20 miles'], stock[y]):.0f}% lived more than 20 miles "
                        f"from home ({y})")
    provider_cols = [c for c in providers.columns if c.startswith(PROVIDER_PREFIX)] if len(providers) else []
    if provider_cols:
        by = providers[provider_cols].dropna(how="all")
        y = int(by.index.max())
        total = by.loc[y].sum()
        private = by.loc[y].get("provider=Private provision")
        if share(private, total) is not None:
            bits.append(f"{share(private, total):.0f}% of placements were provided privately ({y})")
    sentences["where_distance"] = (("Of children looked after, " + listing(bits) + ".") if bits else
                                   f"Placement distance, locality and provider are not published for {ctx.area_name} "
                                   "in the files held.") + (
        " Placement outside the boundary is not always far: for a small authority it can be a few miles, so distance "
        "is the better guide." if bits else "")
    sentences["where_stability"] = stability_sentence(ctx)
    sentences["where_moves"] = moves_sentence(ctx)
    sentences["where_missing"] = missing_sentence(ctx)
    latest = str(max(years)) if years else ""
    section = Section(sentences, data, chart, {}, latest)
    section.figures["marks"] = marks
    return section


STABLE = {"three": "stability=3 or more placements during the year", "all": "stability=All children looked after at 31 March",
          "same": "stability=Under 16 in care 2.5 years: same placement or carer for 2 years",
          "long": "stability=Under 16 in care 2.5 years: all"}


def stability_sentence(ctx: Context) -> str:
    """Short-term and long-term placement stability, each as a share of its own published total."""
    table = breakdowns(ctx, "cla.placement_stability")
    parts = []
    for part, whole, words in (("three", "all", "had three or more placements during the year"),
                               ("same", "long", "of children under 16 in care for two and a half years or more had "
                                                "lived in the same placement or with the same carer for two years")):
        if STABLE[part] not in table or STABLE[whole] not in table:
            continue
        both = table[[STABLE[part], STABLE[whole]]].dropna()
        both = both[both[STABLE[whole]] >= SMALL_NUMBER]
        if both.empty:
            continue
        y0, y1 = int(both.index.min()), int(both.index.max())
        now = both.loc[y1, STABLE[part]] / both.loc[y1, STABLE[whole]] * 100
        then = both.loc[y0, STABLE[part]] / both.loc[y0, STABLE[whole]] * 100
        parts.append(f"in {y1}, {now:.0f}% {'of children looked after at 31 March ' if part == 'three' else ''}{words}"
                     + (f" ({then:.0f}% in {y0})" if y0 != y1 else ""))
    if not parts:
        return f"Placement stability for {ctx.area_name} is not published or is {TOO_FEW_TO_SHARE}."
    text = f"Stability in {ctx.area_name}: " + "; ".join(parts) + "."
    if len(parts) == 2 or "same placement" in text:
        text += (" The long-term measure counted the same placement in the 2021 release and the same carer from the "
                 "2023 release, so its years before and after that change are not strictly comparable.")
    return text


NEW = {"total": "location=Total", "in_near": "location=Inside LA boundary, 20 miles or less from home",
       "in_far": "location=Inside LA boundary, more than 20 miles from home",
       "out_near": "location=Outside LA boundary, 20 miles or less from home",
       "out_far": "location=Outside LA boundary, more than 20 miles from home",
       "unknown": "location=Distance not known or not recorded"}
NEW_LINES = {"outside": "Outside the council's boundary", "far": "More than 20 miles from home",
             "unknown": "Distance not known or not recorded"}


def new_placements(ctx: Context) -> Section:
    """Where the placements made during the year were: a flow, so it moves before the stock at 31 March does."""
    full = breakdowns(ctx, "cla.new_placements").reindex(columns=list(NEW.values()))
    ok = complete_years(full, NEW.values(), full[NEW["total"]])
    table = full[ok]
    if table.empty:
        return Section({"where_new": f"Placements made during the year are not published for {ctx.area_name} in the "
                                    f"files held, or are {TOO_FEW_TO_SHARE}."})
    first, last = int(table.index.min()), int(table.index.max())
    full = full.loc[first:last].where(ok.loc[first:last], axis=0)   # incomplete years stay as gaps in the chart
    total = full[NEW["total"]]
    shares = pd.DataFrame({
        "outside": (full[NEW["out_near"]] + full[NEW["out_far"]]) / total * 100,
        "far": (full[NEW["in_far"]] + full[NEW["out_far"]]) / total * 100,
        "unknown": full[NEW["unknown"]] / total * 100})
    boundary = "their council's boundary" if ctx.level != "local_authority" else f"{ctx.area_name}'s boundary"
    now, then = shares.loc[last], shares.loc[first]
    whose = f"children looked after {'by' if ctx.level == 'local_authority' else 'in'} {ctx.area_name}"
    if now["unknown"] >= 50:
        return Section({"where_new": f"Of the {count(total[last])} placements that started in the year to 31 March "
                                    f"{last} for {whose}, the distance from home was "
                                    f"not known or not recorded for {now['unknown']:.0f}%, so where they were is not "
                                    "shared."}, latest=str(last))
    text = (f"Of the {count(total[last])} placements that started in the year to 31 March {last} for {whose}, {now['outside']:.0f}% were outside {boundary} and {now['far']:.0f}% more than "
            f"20 miles from home; for {now['unknown']:.0f}% the distance was not known or not recorded"
            + (f" (in {first}: {then['outside']:.0f}%, {then['far']:.0f}% and {then['unknown']:.0f}%)." if first != last
               else ".")
            + " These count placements, not children: a child who moved twice in the year counts twice."
            + (" The councils are summed on one boundary, so after they split a placement in another of them counts "
               "as outside the boundary." if ctx.boundary != "as_published" else "")
            + revised(ctx, "cla.new_placements", NEW["total"], first, "the number of new placements"))
    data = shares.rename_axis(index="year").reset_index().melt(id_vars="year", var_name="location",
                                                               value_name="percent_of_new_placements")
    data["location"] = data["location"].map(NEW_LINES)
    data = data.merge(total.rename("new_placements").round().astype("Int64").rename_axis(index="year").reset_index(),
                      on="year")
    chart = Chart("new_placements_location", f"New placements more than 20 miles from home, {ctx.area_name}: "
                  f"{then['far']:.0f}% in {first}, {now['far']:.0f}% in {last}", (
                      f"Line chart of the percentage of placements starting during the year that were outside the "
                      f"council's boundary, more than 20 miles from home, or at a distance not recorded, "
                      f"{ctx.area_name}, years to 31 March {first} to {last}. " + text),
                  sources_of(ctx, "cla.new_placements"), "Per cent of new placements")
    return Section({"where_new": text}, data, chart, {"new_far": now["far"]}, str(last))


SCHOOL = {"all": "school=At 31 March: all counted", "moved": "school=At 31 March: moved school during the year",
          "two": "school=In care 2 years: all counted", "moved_two": "school=In care 2 years: moved school in the 2 years"}
WORKERS = ("social_workers=3 or more during the year", "social_workers=All children looked after at 31 March")


def moves_sentence(ctx: Context) -> str:
    """School moves and changes of social worker: the other two stabilities DfE publishes (official statistics)."""
    parts = []
    school = breakdowns(ctx, "cla.school_moves")
    for part, whole, words in (("moved", "all", "of the children looked after whom DfE counts for school stability "
                                                "had moved school during the year"),
                               ("moved_two", "two", "of those looked after for two years had moved school in those "
                                                    "two years")):
        if SCHOOL[part] in school and SCHOOL[whole] in school:
            both = school[[SCHOOL[part], SCHOOL[whole]]].dropna()
            both = both[both[SCHOOL[whole]] >= SMALL_NUMBER]
            if len(both):
                y0, y1 = int(both.index.min()), int(both.index.max())
                rate = both[SCHOOL[part]] / both[SCHOOL[whole]] * 100
                parts.append(f"{rate[y1]:.0f}% {words}" + (f" ({rate[y0]:.0f}% in {y0})" if y0 != y1 else ""))
    year = None
    workers = breakdowns(ctx, "cla.social_worker_changes")
    if all(w in workers for w in WORKERS):
        both = workers[list(WORKERS)].dropna()
        both = both[both[WORKERS[1]] >= SMALL_NUMBER]
        if len(both):
            year = int(both.index.max())
            parts.append(f"{both.loc[year, WORKERS[0]] / both.loc[year, WORKERS[1]] * 100:.0f}% of all children looked "
                         f"after had had three or more social workers during the year"
                         + (f" (at 31 March {year})" if len(school) and year != int(school.index.max()) else ""))
    if not parts:
        return (f"School moves and changes of social worker are not published for {ctx.area_name} in the files held, "
                f"or are {TOO_FEW_TO_SHARE}.")
    latest = int(school.index.max()) if len(school) else year
    return (f"At 31 March {latest}, in {ctx.area_name}, " + listing(parts) + ". DfE publishes school and social worker "
            "stability as official statistics, not national statistics"
            + (f"; the count of social workers is held for {year} only." if year else "."))


MISSING = {"all": "missing=Children looked after during the year",
           "went": "missing=Children who had a missing incident during the year",
           "incidents": "missing=Number of missing incidents during the year",
           "away": "missing=Children who were away from placement without authorisation during the year"}


def missing_sentence(ctx: Context) -> str:
    """Children who went missing from care during the year, as a share of all looked after at any point in it."""
    table = breakdowns(ctx, "cla.missing")
    if table.empty or MISSING["all"] not in table or MISSING["went"] not in table:
        return f"Children going missing from care are not published for {ctx.area_name} in the files held."
    both = table[[MISSING["went"], MISSING["all"]]].dropna()
    both = both[both[MISSING["all"]] >= SMALL_NUMBER]
    if both.empty:
        return f"Children going missing from care in {ctx.area_name} are {TOO_FEW_TO_SHARE} or suppressed."
    y0, y1 = int(both.index.min()), int(both.index.max())
    went, everyone = both.loc[y1, MISSING["went"]], both.loc[y1, MISSING["all"]]
    incidents = table.loc[y1].get(MISSING["incidents"])
    away = table.loc[y1].get(MISSING["away"])
    return (f"In the year to 31 March {y1}, {count(went)} of the {count(everyone)} children looked after at some point "
            f"in the year in {ctx.area_name} went missing at least once ({went / everyone * 100:.0f}%)"
            + (f", with {count(incidents)} missing incidents between them ({incidents / went:.1f} each)"
               if is_number(incidents) and not too_small(went) else "")
            + (f"; {count(away) if away else 'none'} were away from their placement without authorisation"
               if is_number(away) else "")
            + (f". In {y0}, {both.loc[y0, MISSING['went']] / both.loc[y0, MISSING['all']] * 100:.0f}% went missing."
               if y0 != y1 else ".")
            + " DfE publishes these as official statistics, not national statistics: authorities record missing "
              "incidents differently."
            + revised(ctx, "cla.missing", MISSING["went"], 2019, "the number of children who went missing"))


# --- 4. how children leave care -------------------------------------------------------------------------------------

def leaving(ctx: Context) -> Section:
    adopted, sgo = series(ctx, "cla.adopted"), series(ctx, "cla.ceased_sgo")
    if adopted.empty and sgo.empty:
        return Section({"leaving_answer": f"Adoptions and special guardianship orders from care are not published for "
                                          f"{ctx.area_name} in the files held.", "leaving_reasons": "",
                        "leaving_timing": adoption_timing(ctx)})
    parts = []
    if len(adopted):
        last = int(adopted.index.max())
        peak = int(adopted.idxmax())
        if too_small(adopted[peak]):
            parts.append(f"adoptions from care in {ctx.area_name} are {TOO_FEW} in every year held")
        else:
            parts.append(f"**{count(adopted[last])}** children were adopted from care in {ctx.area_name} in the year to "
                         f"31 March {last}"
                         + (f", against a peak of {count(adopted[peak])} in {peak} ("
                            f"{(adopted[last] / adopted[peak] - 1) * 100:+.0f}%)" if peak != last else
                            ", the most in any year held"))
    if len(sgo):
        y = int(sgo.index.max())
        parts.append(f"special guardianship orders are {TOO_FEW} in every year held" if too_small(sgo.max()) else
                     f"{count(sgo[y])} left on a special guardianship order in {y}"
                     + (f" ({count(sgo[int(sgo.index.min())])} in {int(sgo.index.min())})" if len(sgo) > 1 else ""))
    answer = "; ".join(parts)
    answer = answer[:1].upper() + answer[1:] + "."
    reasons = breakdowns(ctx, "cla.ceased_by_reason")
    ceased = series(ctx, "cla.ceased")
    reason_text = ""
    home = [c for c in reasons.columns if c.startswith("reason=Returned home")] if len(reasons) else []
    eighteen = [c for c in reasons.columns if c.startswith("reason=Aged 18")] if len(reasons) else []
    if home:
        y = int(reasons[home].dropna(how="all").index.max())
        if y in ceased.index and not too_small(ceased[y]) and reasons.loc[y, home].notna().any():
            back = reasons.loc[y, home].sum(min_count=1)
            left = reasons.loc[y, eighteen].sum(min_count=1) if eighteen else None
            reason_text = (f"Of the {count(ceased[y])} children who ceased to be looked after in {y}, "
                           f"{share(back, ceased[y]):.0f}% returned home to parents or relatives"
                           + (f" and {share(left, ceased[y]):.0f}% left at 18 or over while remaining with their "
                              "carers or moving on" if share(left, ceased[y]) is not None else "")
                           + "; reasons are by episode ceased, so a child counts once per reason recorded.")
    if too_small(max(adopted.max() if len(adopted) else 0, sgo.max() if len(sgo) else 0)):
        return Section({"leaving_answer": answer, "leaving_reasons": reason_text,
                        "leaving_timing": adoption_timing(ctx)}, latest=str(int(max(
            adopted.index.max() if len(adopted) else 0, sgo.index.max() if len(sgo) else 0))))
    frames = [pd.DataFrame({"year": s.index, "route": label, "children": s.values.round().astype("int64")})
              for s, label in ((adopted, "Adopted"), (sgo, "Special guardianship order")) if len(s)]
    data = pd.concat(frames, ignore_index=True)
    last = int(data["year"].max())
    peak_year = int(adopted.idxmax()) if len(adopted) else last
    chart = Chart("adoptions_and_sgos", f"Adoptions from care in {ctx.area_name} peaked in {peak_year}" if len(adopted)
                  else f"Special guardianship orders from care in {ctx.area_name}", (
                      f"Line chart of children leaving care through adoption and through a special guardianship order, "
                      f"{ctx.area_name}, {int(data['year'].min())} to {last}. " + answer.replace("**", "")),
                  sources_of(ctx, "cla.adopted", "cla.ceased_sgo"), "Children in the year to 31 March")
    return Section({"leaving_answer": answer, "leaving_reasons": reason_text, "leaving_timing": adoption_timing(ctx)},
                   data, chart, {"adopted": adopted.get(last)}, str(last))


WHOLE_WAIT, MATCHING = "stage=Entry into care to adoption", "stage=Decision to matching with adopters"


def adoption_timing(ctx: Context) -> str:
    """How long children adopted in the year had waited: published for England only among the files held."""
    text = england_adoption_timing(ctx.vintage, ctx.end_year)
    if ctx.is_england or text.startswith("Adoption timings"):
        return text
    return f"Adoption timings are published for England only in the files held. {text}"


@lru_cache(maxsize=16)
def england_adoption_timing(vintage: str, end_year: int | None) -> str:
    """The sentence on England's adoption timings: the same for every area of a run, so made once."""
    rows = published("cla.adoption_time", ENGLAND, vintage, "as_published", None)
    rows = rows[rows["period"].astype(int) <= end_year] if end_year else rows
    rows = rows.dropna(subset=["value"])
    wide = rows.set_index([rows["period"].astype(int), "breakdown"])["value"].unstack() if len(rows) else rows
    if len(wide) == 0 or WHOLE_WAIT not in wide:
        return "Adoption timings are not among the files held for these years."
    whole = wide[WHOLE_WAIT].dropna()
    y0, y1 = int(whole.index.min()), int(whole.index.max())
    matching = wide.loc[y1].get(MATCHING)
    text = (f"Children adopted from care in England in the year to 31 March {y1} had waited on average "
            f"{duration(whole[y1])} from entering care to their adoption"
            + (f", {duration(matching)} of it between the decision that they should be adopted and being matched with "
               "adopters" if is_number(matching) else "")
            + (f" ({duration(whole[y0])} in {y0})." if y0 != y1 else "."))
    return text


# --- 5. after care --------------------------------------------------------------------------------------------------

def after_care(ctx: Context) -> Section:
    table = breakdowns(ctx, "cla.care_leavers_activity")
    key = lambda activity, age="19 to 21": LEAVER.format(activity=activity, age=age)  # noqa: E731
    more = {"after_older": older_leavers(ctx), "after_comparator": NO_COMPARATOR}
    if table.empty or key(TOTAL) not in table:
        return Section({"after_answer": f"Care leavers' activity is not published for {ctx.area_name} in the files "
                                        "held.", **more})
    total = table[key(TOTAL)].dropna()
    rows = []
    for y in total.index:
        if too_small(total[y]):
            continue
        for activity, label in ((NEET, "Not in education, employment or training"),
                                (EET, "In education, employment or training"), (HE, "In higher education")):
            v = table.loc[y].get(key(activity))
            if v == v and v is not None:
                rows.append((int(y), label, v / total[y] * 100, int(v), int(total[y])))
    if not rows:
        return Section({"after_answer": f"Care leavers aged 19 to 21 in {ctx.area_name} are {TOO_FEW_TO_SHARE} in "
                                        "every year held.", **more})
    data = pd.DataFrame(rows, columns=["year", "activity", "percent_of_care_leavers_19_21", "care_leavers",
                                       "care_leavers_19_21_total"])
    wide = data.pivot_table(index="year", columns="activity", values="percent_of_care_leavers_19_21")
    y0, y1 = int(wide.index.min()), int(wide.index.max())
    neet = wide.get("Not in education, employment or training")
    he = wide.get("In higher education")
    if neet is not None and (y1 not in neet.dropna().index or y0 not in neet.dropna().index):
        neet = None
    unknown = table.loc[y1].get(key(UNKNOWN))
    young = table.loc[y1].get(key(NEET, "17 to 18")), table.loc[y1].get(key(TOTAL, "17 to 18"))
    parts = ([f"{neet[y1]:.0f}% were not in education, employment or training"
              + (f" (against {neet[y0]:.0f}% in {y0})" if y0 != y1 else "")] if neet is not None else [])
    parts += [f"{he[y1]:.0f}% were in higher education"] if he is not None and he.get(y1) == he.get(y1) else []
    parts += ([f"for {share(unknown, total[y1]):.0f}% the authority did not know their activity"]
              if share(unknown, total[y1]) is not None else [])
    answer = (f"Of {count(total[y1])} care leavers aged 19 to 21 in {ctx.area_name} in {y1}, "
              + (listing(parts) if parts else "the figures by activity are suppressed") + "."
              + (f" Among 17 and 18 year olds, {share(*young):.0f}% were NEET." if share(*young) is not None else "")
              + " " + suitable_sentence(ctx))
    chart = Chart("care_leavers_activity", f"{neet[y1]:.0f}% of care leavers aged 19 to 21 in {ctx.area_name} were NEET "
                  f"in {y1}" if neet is not None else f"Care leavers aged 19 to 21 in {ctx.area_name} by activity", (
                      f"Line chart of the percentage of care leavers aged 19 to 21 in {ctx.area_name} who were in "
                      f"education, employment or training, not in education, employment or training, and in higher "
                      f"education, {y0} to {y1}. " + answer.replace("**", "")),
                  sources_of(ctx, "cla.care_leavers_activity"), "Per cent of care leavers aged 19 to 21")
    return Section({"after_answer": answer, **more}, data, chart, {"neet": None if neet is None else neet[y1]}, str(y1))


OLDER = ("22", "23", "24", "25")
OLDER_KEY = "activity={activity}; age={age}"


def older_leavers(ctx: Context) -> str:
    """Care leavers aged 22 to 25 (counted from 2023): in education, employment or training, not, or out of touch."""
    table = breakdowns(ctx, "cla.care_leavers_activity_22_25")
    def summed(activity, year):
        values = [table.loc[year].get(OLDER_KEY.format(activity=activity, age=a)) for a in OLDER]
        return sum(values) if all(is_number(v) for v in values) else None
    held = [int(y) for y in table.index if summed("Total", y) is not None] if len(table) else []
    if not held:
        return f"Care leavers aged 22 to 25 are not published for {ctx.area_name} in the files held, or are suppressed."
    y = max(held)
    total = summed("Total", y)
    if too_small(total):
        return f"Care leavers aged 22 to 25 in {ctx.area_name} are {TOO_FEW_TO_SHARE} in {y}."
    parts = [f"{summed(activity, y) / total * 100:.0f}% {words}" for activity, words in (
        ("In education, employment or training", "were in education, employment or training"),
        ("Not in education, employment or training", "were not in education, employment or training"),
        ("Not in touch", "were not in touch with the authority during the year")) if summed(activity, y) is not None]
    return (f"The files held count care leavers aged 22 to 25 from the year to 31 March 2023. In {y}, of the "
            f"{count(total)} aged 22 to 25 in {ctx.area_name}, " + (listing(parts) if parts else
                                                                     "the figures by activity are suppressed") + "."
            + (" Those out of touch are not counted as NEET." if len(parts) == 3 else ""))


STAY = "stay_put={what}; age={age}"
STAY_AGES = {"18": "At 18", "19 to 20": "At 19 to 20"}


def staying_put(ctx: Context) -> Section:
    """Young people who turned 18 in foster care and stayed on with their former foster carers."""
    table = breakdowns(ctx, "cla.staying_put")
    shares = {}
    for age, label in STAY_AGES.items():
        living, left = (STAY.format(what=w, age=age) for w in ("Living with former foster carers",
                                                                "Left foster care at 18"))
        if living in table and left in table:
            both = table[[living, left]].dropna()
            both = both[both[left] >= SMALL_NUMBER]
            shares[label] = (both[living] / both[left] * 100, both[left])
    at18 = shares.get(STAY_AGES["18"])
    if at18 is None or at18[0].empty:
        return Section({"after_staying_put": f"Staying put is not published for {ctx.area_name} in the files held, "
                                             f"or the numbers are {TOO_FEW_TO_SHARE}."})
    s18, left18 = at18
    y0, y1 = int(s18.index.min()), int(s18.index.max())
    later = shares.get(STAY_AGES["19 to 20"], (pd.Series(dtype=float), None))[0]
    text = (f"Of the {count(left18[y1])} young people in {ctx.area_name} who turned 18 in foster care in the year to "
            f"31 March {y1} and were eligible for care leavers' support, {s18[y1]:.0f}% were still living with their "
            f"former foster carers ('staying put')" + (f", against {s18[y0]:.0f}% in {y0}" if y0 != y1 else "")
            + (f". Of those aged 19 to 20 who had left foster care at 18, {later[y1]:.0f}% still lived with their "
               f"former foster carers." if y1 in later.index else ".")
            + revised(ctx, "cla.staying_put", STAY.format(what="Left foster care at 18", age="18"), y0,
                      "the number leaving foster care at 18"))
    shown = [int(y) for y in table.index if y0 <= y <= y1]   # a year missing for an age is a gap in its line
    data = pd.DataFrame([(y, label, series_.get(y)) for label, (series_, _) in shares.items() for y in shown],
                        columns=["year", "age", "percent_staying_with_former_foster_carers"])
    chart = Chart("staying_put", f"{s18[y1]:.0f}% of young people leaving foster care at 18 in {ctx.area_name} stayed "
                  f"with their foster carers in {y1}", (
                      f"Line chart of the percentage of young people who left foster care at 18 and were living with "
                      f"their former foster carers at 18 and at 19 to 20, {ctx.area_name}, years to 31 March {y0} to "
                      f"{y1}. " + text),
                  sources_of(ctx, "cla.staying_put"), "Per cent staying put")
    return Section({"after_staying_put": text}, data, chart, {"staying_put_18": s18[y1]}, str(y1))


def suitable_sentence(ctx: Context) -> str:
    """The share of care leavers aged 19 to 21 whose accommodation was considered suitable."""
    table = breakdowns(ctx, "cla.care_leavers_accommodation")
    suitable, total = (f"suitability={s}; age=19 to 21" for s in ("Accommodation considered suitable", "Total"))
    if suitable not in table or total not in table:
        return f"Suitability of accommodation is not published for {ctx.area_name} in the files held."
    both = table[[suitable, total]].dropna()
    both = both[both[total] >= SMALL_NUMBER]
    if both.empty:
        return f"Suitability of accommodation for {ctx.area_name} is {TOO_FEW_TO_SHARE}."
    y0, y1 = int(both.index.min()), int(both.index.max())
    share_now = both.loc[y1, suitable] / both.loc[y1, total] * 100
    return (f"The accommodation of {share_now:.0f}% of care leavers aged 19 to 21 was considered suitable in {y1}"
            + (f" ({both.loc[y0, suitable] / both.loc[y0, total] * 100:.0f}% in {y0})" if y0 != y1 else "") + ".")


# --- 6. variation between places ------------------------------------------------------------------------------------

@lru_cache(maxsize=8)
def foster_spread(vintage: str) -> tuple[int, pd.Series, str]:
    """Across LAs, the share of children looked after in foster care with a relative or friend (the last LA year
    the files hold by placement type for that split: 2010), and the latest share in foster care overall."""
    stock = query.measure_rows("cla.children_looked_after", vintage=vintage, level="local_authority")
    kin = query.measure_rows("cla.by_placement", vintage=vintage, level="local_authority", breakdown=KINSHIP[2])
    merged = kin.merge(stock, on=["area_code", "period"], suffixes=("", "_all")).dropna(subset=["value", "value_all"])
    merged = merged[merged["value_all"] >= SMALL_NUMBER]
    year = int(merged["period"].max())
    shares = (merged["value"] / merged["value_all"] * 100).set_axis(merged["area_name"])
    return year, shares, f"{shares.min():.0f}% to {shares.max():.0f}% (middle half {shares.quantile(.25):.0f}% to " \
                         f"{shares.quantile(.75):.0f}%)"


def variation(ctx: Context) -> Section:
    c = places.compare("cla.children_looked_after", places.latest_year("cla.children_looked_after", ctx), ctx.vintage)
    answer = f"At 31 March {c.year}, rates of children looked after " + places.describe(ctx, c, "children in care")
    kin_year, kin, kin_range = foster_spread(ctx.vintage)
    spread = (f"Placement patterns differ too: in {kin_year}, the last year the files hold local authorities' foster "
              f"care by carer, the share of children looked after fostered by a relative or friend ranged across "
              f"{len(kin)} authorities from {kin_range}.")
    chart = places.chart(ctx, c, "cla_rates_by_la", "rates of children in care", f"31 March {c.year}",
                         "Children looked after per 10,000 children")
    data = places.frame(c, "children_looked_after", "looked_after_per_10000")
    section = Section({"variation_answer": answer, "variation_spread": spread}, data, chart,
                      {"correlation": c.corr, "outside": c.limits.outside("99.8%")}, c.year)
    section.figures.update(highlight=sorted(places.members(ctx, c)), limits=c.limits, england_rate=c.england)
    return section


def sections(ctx: Context, baseline_year: int = 2010) -> dict[str, Section]:
    """Every section of the chapter, in order: what the notebook shows and the every-area test reads."""
    out = {"children in care": numbers(ctx, baseline_year), "who comes into care": who(ctx),
           "age on starting": entry(ctx), "where children live": where(ctx), "new placements": new_placements(ctx),
           "leaving care": leaving(ctx), "after care": after_care(ctx), "staying put": staying_put(ctx),
           "variation between places": variation(ctx)}
    out["coverage"] = Section({"coverage_note": coverage(ctx, out)})
    return out
