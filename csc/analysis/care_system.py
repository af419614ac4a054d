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
from . import (SMALL_NUMBER, Chart, Section, base_year, change, count, coverage, gaps, leaders, listing, movement,
               places, too_small)

FLOWS = {"cla.children_looked_after": "Looked after at 31 March", "cla.starts": "Started during the year",
         "cla.ceased": "Ceased during the year"}
WITHOUT_UASC = "Looked after, excluding UASC"
TEENS = ("age=10 to 15 years", "age=16 years and over")
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
                 "16 to 24 year olds) cover different ages, so the gap with peers is not computed here.")
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


BY_BREAKDOWN = {"cla.by_age", "cla.by_placement", "cla.care_leavers_activity"}   # held only with a breakdown


def sources_of(ctx: Context, *measures: str) -> str:
    """The files behind a chart: every source of the rows it shows (a summed group names each member's file)."""
    files: set[str] = set()
    for m in measures:
        frame = published(m, ctx.area, ctx.vintage, ctx.boundary, None if m in BY_BREAKDOWN else "")
        for text in ctx.upto(frame).dropna(subset=["value"])["source"].unique():
            files.update(text.split(", "))
    return sources.cite(files) if files else ""


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


@lru_cache(maxsize=1)
def every_release() -> dict[str, tuple[pd.DataFrame, pd.DataFrame]]:
    """2019 and 2020 counts and rates in every release held, by area (read once per run)."""
    def rows(measure):
        frame = query.table("cla", measure)
        return frame[(frame["breakdown"] == "") & frame["period"].isin(["2019", "2020"])]
    counts, rates = rows("cla.children_looked_after"), rows("cla.rate_per_10000")
    by_area = dict(tuple(rates.groupby("area_code")))
    return {code: (part, by_area.get(code, rates.iloc[:0])) for code, part in counts.groupby("area_code")}


def revisions(ctx: Context) -> pd.DataFrame | None:
    """The same years in every release held: DfE revises back years and re-bases rates on new populations."""
    if ctx.boundary != "as_published":
        return None
    if ctx.area not in every_release():
        return None
    table, rate = every_release()[ctx.area]
    pick = lambda t, y: t[t["period"] == y]  # noqa: E731
    out = []
    for release in sorted(set(pick(table, "2020")["release"]) | set(pick(table, "2019")["release"])):
        row = {"Release": release}
        for y in ("2019", "2020"):
            hit = pick(table, y)
            hit = hit[hit["release"] == release]["value"]
            row[f"Looked after at 31 March {y}"] = hit.iloc[0] if len(hit) else None
        hit = pick(rate, "2020")
        hit = hit[hit["release"] == release]["value"]
        row["Rate per 10,000, 2020"] = hit.iloc[0] if len(hit) else None
        out.append(row)
    frame = pd.DataFrame(out)
    return frame if len(frame) > 1 else None


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
               and ctx.level != "regional" and last < 2020 else "")
            + " Age on entering care is published in DfE's tables of children starting to be looked after, which are "
              "not among the files parsed here, so the growth in teenagers is shown at 31 March.")
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


# --- 3. where children live -----------------------------------------------------------------------------------------

def where(ctx: Context) -> Section:
    places = breakdowns(ctx, "cla.by_placement")
    stock = series(ctx, "cla.children_looked_after")
    sentences = {"where_answer": "", "where_distance": "", "where_stability": ""}
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


# --- 4. how children leave care -------------------------------------------------------------------------------------

def leaving(ctx: Context) -> Section:
    adopted, sgo = series(ctx, "cla.adopted"), series(ctx, "cla.ceased_sgo")
    if adopted.empty and sgo.empty:
        return Section({"leaving_answer": f"Adoptions and special guardianship orders from care are not published for "
                                          f"{ctx.area_name} in the files held.", "leaving_reasons": ""})
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
        return Section({"leaving_answer": answer, "leaving_reasons": reason_text}, latest=str(int(max(
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
    return Section({"leaving_answer": answer, "leaving_reasons": reason_text}, data, chart,
                   {"adopted": adopted.get(last)}, str(last))


# --- 5. after care --------------------------------------------------------------------------------------------------

def after_care(ctx: Context) -> Section:
    table = breakdowns(ctx, "cla.care_leavers_activity")
    key = lambda activity, age="19 to 21": LEAVER.format(activity=activity, age=age)  # noqa: E731
    if table.empty or key(TOTAL) not in table:
        return Section({"after_answer": f"Care leavers' activity is not published for {ctx.area_name} in the files "
                                        "held.", "after_comparator": NO_COMPARATOR})
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
                                        "every year held.", "after_comparator": NO_COMPARATOR})
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
              + " " + suitable_sentence(ctx)
              + " Staying put and care leavers aged 22 to 25 are published in files not parsed here.")
    chart = Chart("care_leavers_activity", f"{neet[y1]:.0f}% of care leavers aged 19 to 21 in {ctx.area_name} were NEET "
                  f"in {y1}" if neet is not None else f"Care leavers aged 19 to 21 in {ctx.area_name} by activity", (
                      f"Line chart of the percentage of care leavers aged 19 to 21 in {ctx.area_name} who were in "
                      f"education, employment or training, not in education, employment or training, and in higher "
                      f"education, {y0} to {y1}. " + answer.replace("**", "")),
                  sources_of(ctx, "cla.care_leavers_activity"), "Per cent of care leavers aged 19 to 21")
    return Section({"after_answer": answer, "after_comparator": NO_COMPARATOR}, data, chart,
                   {"neet": None if neet is None else neet[y1]}, str(y1))


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
           "where children live": where(ctx), "leaving care": leaving(ctx), "after care": after_care(ctx),
           "variation between places": variation(ctx)}
    out["coverage"] = Section({"coverage_note": coverage(ctx, out)})
    return out
