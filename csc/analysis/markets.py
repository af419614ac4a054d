"""Markets: who provides and owns children's homes, where they are, fostering, what councils pay, and what public
data can say about risk — each section's numbers, chart words and sentences, for any area and vintage.

Ofsted's provider lists count homes where they are, not where the children placed in them come from. Figures
quoted from the CMA, Ofsted's transparency data or LGA-commissioned research are hand-collected from web pages and
are not official statistics: every sentence, source line and caption that uses one says so.
"""
from __future__ import annotations

from functools import lru_cache

import pandas as pd

from .. import derived, query, sources
from ..catalogue import catalogue
from ..chapter import Context
from ..errors import UsageError
from ..geography import ENGLAND
from . import (NOT_IN_BUILD, SMALL_NUMBER, Chart, Section, change, count, hand_collected, is_number, listing, movement,
               too_small)

HOMES = "provision=Children's home"
SECTORS = ("Private", "Local authority", "Voluntary", "Health authority")
NOT_OFFICIAL = "not official statistics"
LISTS_SHORT = ("2015", "2016", "2017", "2019", "2020")   # inspected-provider lists, short of Ofsted's totals
HOMES_PLACEMENT = ("placement=4c Total children's homes subject to children's homes regulations",
                   "placement=5c Total children's homes subject to children's homes regulations")
RESIDENTIAL_GROUP = "placement=Secure units, children's homes and semi-independent living"
FOSTER = "placement=Foster placements"
INDEPENDENT = ("Private provision", "Voluntary/third sector provision")
REVIEW_MONTH = "2021-06"   # the review's publication: hand-collected figures published later are marked as later


def cite(frame: pd.DataFrame) -> str:
    return sources.cite(frame["source"].str.split(", ").explode()) if len(frame) else ""


def number(measure: str, area: str, period: str | None, vintage: str = "latest", breakdown: str = "",
           boundary: str = "as_published") -> float | None:
    """One figure, or None when it is not published for the area and period (a symbol, or not held)."""
    if period is None:
        return None
    try:
        _, rows = query.series_records(measure, area=area, vintage=vintage, breakdown=breakdown, boundary=boundary)
    except UsageError:
        return None
    hit = [r["value"] for r in rows if r["period"] == str(period)]
    return float(hit[0]) if hit and is_number(hit[0]) else None


def pct(part: float | None, whole: float | None) -> float | None:
    """A share in per cent, only of a whole large enough to share (SMALL_NUMBER)."""
    if part is None or too_small(whole):
        return None
    return part / whole * 100


def hand_figure(measure: str, breakdown: str = "") -> tuple[float | None, str, str]:
    """A hand-collected figure, its period and its source line, labelled as not official statistics."""
    rows = hand_collected(measure, breakdown)
    if rows.empty:
        return None, "", ""
    row = rows.iloc[-1]
    later = " (published after the review)" if row["release"] > REVIEW_MONTH else ""
    return float(row["value"]), str(row["period"]), catalogue()[measure].sources[0] + later


def hand_source(measure: str) -> str:
    return catalogue()[measure].sources[0]


# --- 1. who provides children's homes -------------------------------------------------------------------------------

@lru_cache(maxsize=2048)
def _sector_frame(area: str, vintage: str, boundary: str) -> pd.DataFrame:
    records = []
    for kind, measure in (("homes", "mk.providers_by_sector"), ("places", "mk.places_by_sector")):
        for sector in ("All",) + SECTORS:
            breakdown = HOMES if sector == "All" else f"{HOMES}; sector={sector}"
            _, rows = query.series_records(measure, area=area, vintage=vintage, breakdown=breakdown, boundary=boundary)
            records += [{"period": r["period"], "value": r["value"], "source": r["source"], "kind": kind,
                         "sector": sector} for r in rows]
    return pd.DataFrame(records, columns=["period", "value", "source", "kind", "sector"])


def sector_frame(ctx: Context) -> pd.DataFrame:
    """Homes and places by sector per list year; a sector absent from a list has none (zero), not a gap."""
    rows = ctx.upto(_sector_frame(ctx.area, ctx.vintage, ctx.boundary))
    wide = rows.pivot_table(index=["period", "kind"], columns="sector", values="value", aggfunc="sum")
    wide = wide[wide.get("All").notna()] if "All" in wide else wide.iloc[0:0]
    for sector in SECTORS:
        wide[sector] = wide[sector].fillna(0) if sector in wide else 0.0
    out = wide.reset_index()
    out.attrs["source"] = cite(rows)
    return out


def providers(ctx: Context) -> Section:
    wide = sector_frame(ctx)
    homes = wide[wide["kind"] == "homes"].set_index("period")
    places = wide[wide["kind"] == "places"].set_index("period")
    if homes.empty or homes["All"].max() == 0:
        return Section({"providers_answer": f"Ofsted's provider lists show no children's homes located in "
                                            f"{ctx.area_name} in any year held (2015 to 2025).",
                        "providers_totals": ""})
    last = homes.index.max()
    h, p = homes.loc[last], places.loc[last] if last in places.index else None
    answer = (f"At 31 March {last}, Ofsted's list shows **{count(h['All'])}** children's homes located in "
              f"{ctx.area_name}" + (f" with **{count(p['All'])}** places" if p is not None else "") + ".")
    share_homes, share_places = pct(h["Private"], h["All"]), pct(p["Private"], p["All"]) if p is not None else None
    series = []
    for year in homes.index:
        for kind, frame in (("homes", homes), ("places", places)):
            if year in frame.index and not too_small(frame.loc[year, "All"]):
                series.append({"year": int(year), "measure": f"Private share of {kind}",
                               "private_share_percent": frame.loc[year, "Private"] / frame.loc[year, "All"] * 100,
                               "private": int(frame.loc[year, "Private"]), "all_sectors": int(frame.loc[year, "All"])})
    data = pd.DataFrame(series)
    figures = {"homes": h["All"], "private_share_homes": share_homes, "private_share_places": share_places}
    if share_homes is None:
        answer += (f" With fewer than {SMALL_NUMBER} homes, no share by sector is computed: "
                   f"{count(h['Private'])} of them are run by private providers.")
        return Section({"providers_answer": (answer + " " + flows_sentence(ctx)).strip(),
                        "providers_totals": totals_sentence(ctx)}, latest=last, figures=figures)
    answer += f" Private providers ran **{share_homes:.0f}%** of the homes"
    if share_places is not None:
        size = {s: p[s] / h[s] for s in ("Private", "Local authority") if h[s] >= SMALL_NUMBER}
        answer += f" but **{share_places:.0f}%** of the places"
        answer += (f": a private home had {size['Private']:.1f} places on average, a local-authority home "
                   f"{size['Local authority']:.1f}." if len(size) == 2 else
                   f": a private home had {size['Private']:.1f} places on average." if "Private" in size else ".")
    else:
        answer += "."
    first = data[data["measure"] == "Private share of homes"].iloc[0] if len(data) else None
    if first is not None and str(first["year"]) != last:
        which = ("the first list held" if str(first["year"]) == homes.index.min() else
                 f"the first list with at least {SMALL_NUMBER} homes")
        answer += (f" In {first['year']} ({which}) private providers ran {first['private_share_percent']:.0f}% "
                   f"of the homes.")
    shares = data.pivot_table(index="year", columns="measure", values="private_share_percent")
    chart = Chart("private_share", f"Private providers ran {share_homes:.0f}% of children's homes in {ctx.area_name} "
                  f"in {last}" + (f", and {share_places:.0f}% of their places" if share_places is not None else ""), (
                      f"Line chart of the private sector's share of children's homes and of their places in "
                      f"{ctx.area_name}, at 31 March {years_span(shares.index)}, from Ofsted's provider lists. "
                      + "; ".join(f"{m.lower()} {shares[m].dropna().iloc[0]:.0f}% in {int(shares[m].dropna().index[0])} "
                                  f"and {shares[m].dropna().iloc[-1]:.0f}% in {int(shares[m].dropna().index[-1])}"
                                  for m in shares.columns) + "."),
                  wide.attrs["source"], "Private share (%)")
    answer += " " + flows_sentence(ctx)
    return Section({"providers_answer": answer.strip(), "providers_totals": totals_sentence(ctx)}, data, chart,
                   figures, last)


def years_span(index) -> str:
    return f"{int(min(index))} to {int(max(index))}" if len(index) > 1 else str(int(min(index)))


def totals_sentence(ctx: Context) -> str:
    """Ofsted's national totals, and what the lists can and cannot be used for."""
    homes = ctx.upto(query.series("mk.childrens_homes")).dropna(subset=["value"])
    places = ctx.upto(query.series("mk.childrens_homes_places")).dropna(subset=["value"])
    first, last = homes.iloc[0], homes.iloc[-1]
    text = (("Ofsted's national totals" if ctx.is_england else "For England as a whole, Ofsted's national totals")
            + f" show children's homes {movement(change(last['value'], first['value']))} from {count(first['value'])} "
            f"at 31 March {first['period']} to {count(last['value'])} in {last['period']}, and their places from "
            f"{count(places['value'].iloc[0])} to {count(places['value'].iloc[-1])}. ")
    return text + ("The provider lists for 2015 to 2020 (except 2018) hold only inspected providers and fall short "
                   "of those totals, so they are used here for shares and local counts, not national totals; the "
                   "2022 and 2023 lists are read from Ofsted's workbooks and match its totals, and no published total "
                   "is held to check the 2024 and 2025 lists against.")


@lru_cache(maxsize=1024)
def home_flows(area: str, vintage: str, boundary: str) -> pd.DataFrame:
    """Children's homes joining and leaving Ofsted's register each year to 31 March, all sectors and private; a year
    held for England with no row for the area had none."""
    held = [r["period"] for r in query.series_records("mk.joiners", ENGLAND, vintage, HOMES)[1]]
    rows = []
    for period in held:
        row = {"period": period}
        for measure, name in (("mk.joiners", "joined"), ("mk.leavers", "left")):
            row[name] = number(measure, area, period, vintage, HOMES, boundary) or 0.0
            row[f"private_{name}"] = number(measure, area, period, vintage, f"{HOMES}; sector=Private", boundary) or 0.0
        rows.append(row)
    return pd.DataFrame(rows, columns=["period", "joined", "private_joined", "left", "private_left"])


def flows_sentence(ctx: Context) -> str:
    flows = ctx.upto(home_flows(ctx.area, ctx.vintage, ctx.boundary))
    if flows.empty:
        return ""
    first, last = flows.iloc[0], flows.iloc[-1]
    text = (f"Ofsted's joiners-and-leavers lists show {count(last['joined'])} children's "
            f"home{'' if last['joined'] == 1 else 's'} in {ctx.area_name} "
            f"joining the register in the year to 31 March {last['period']} and {count(last['left'])} leaving it, "
            f"against {count(first['joined'])} and {count(first['left'])} in the year to 31 March {first['period']}")
    if too_small(last["joined"]):
        return text + f" (too few to share by sector: fewer than {SMALL_NUMBER} joined)."
    return text + (f"; private providers opened {last['private_joined'] / last['joined'] * 100:.0f}% of the homes that "
                   f"joined in {last['period']}.")


# --- 2. who owns them -----------------------------------------------------------------------------------------------

def owners(ctx: Context) -> Section:
    rows = ctx.upto(query.by_breakdown("mk.childrens_homes_largest_owners_share", ENGLAND, ctx.vintage))
    rows = rows.dropna(subset=["value"])
    ten = rows[rows["breakdown"] == "owners=largest 10"].set_index("period")["value"]
    fifteen = rows[rows["breakdown"] == "owners=largest 15"].set_index("period")["value"]
    if ten.empty:
        return Section({"owners_answer": "Ownership is not held for the years shown (the lists name owners from "
                                         "2018)."})
    first, last = ten.index.min(), ten.index.max()
    ofsted, ofsted_year, ofsted_source = hand_figure("mk.ofsted_largest_owners_share", "owners=largest 10; of=all homes")
    where = "" if ctx.is_england else ("Ownership is measured for England only (owners run homes across many "
                                       "authorities), so these figures are England's. ")
    answer = (where + f"Grouping private children's homes by the owner named in Ofsted's lists, the 10 largest owners "
              f"held **{ten[last]:.0f}%** of private places at 31 March {last} and the 15 largest "
              f"{fifteen[last]:.0f}%; in {first} the 10 largest held {ten[first]:.0f}%. ")
    if ofsted is not None:
        answer += (f"Ofsted's own transparency data, which groups homes by ultimate owning company, put the 10 largest "
                   f"private owners' share of all homes and places at {ofsted:.0f}% at 31 March {ofsted_year} "
                   f"({NOT_OFFICIAL}: a figure quoted from Ofsted's web page): subsidiaries registered under "
                   f"different names count as separate owners in the lists, so the lists understate concentration.")
    data = rows.assign(year=rows["period"].astype(int), owners=rows["breakdown"].str.replace("owners=", "").str.capitalize()
                       )[["year", "owners", "value"]].rename(columns={"value": "share_of_private_places_percent"})
    figures = {"largest_10": ten[last], "largest_10_first": ten[first]}
    if not ctx.is_england:
        return Section({"owners_answer": answer}, figures=figures, latest=last)
    chart = Chart("owner_concentration", f"The 10 largest named owners held {ten[last]:.0f}% of private children's "
                  f"home places in {last}, against {ten[first]:.0f}% in {first}", (
                      f"Line chart of the share of private children's home places in England held by the 10 and 15 "
                      f"largest owners as named in Ofsted's provider lists, 31 March {first} to {last}: the 10 largest "
                      f"from {ten[first]:.0f}% to {ten[last]:.0f}%, the 15 largest from {fifteen[first]:.0f}% to "
                      f"{fifteen[last]:.0f}%."), cite(rows), "Share of private places (%)")
    return Section({"owners_answer": answer}, data, chart, figures, last)


# --- 3. where the homes are vs where the children are ------------------------------------------------------------

@lru_cache(maxsize=8)
def regional_table(vintage: str, end_year: int | None) -> pd.DataFrame:
    """Each region's share of England's children's homes and places, and of its children looked after, one year."""
    homes = query.measure_rows("mk.providers_by_sector", vintage, "regional", HOMES)
    years = [p for p in homes["period"].unique() if end_year is None or int(p) <= end_year]
    cla = query.measure_rows("cla.children_looked_after", vintage, "regional")
    year = max(p for p in years if p in set(cla["period"]))
    places = query.measure_rows("mk.places_by_sector", vintage, "regional", HOMES)
    pick = lambda frame, name: frame[frame["period"] == year].set_index("area_code")["value"].rename(name)  # noqa: E731
    table = pd.concat([pick(homes, "homes"), pick(places, "places"), pick(cla, "children_looked_after")], axis=1,
                      join="inner")
    table.insert(0, "region", [query.areas().name(c) for c in table.index])
    for column in ("homes", "places", "children_looked_after"):
        table[f"{column}_share_percent"] = table[column] / table[column].sum() * 100
    table["places_per_100_children_looked_after"] = table["places"] / table["children_looked_after"] * 100
    table.attrs.update(year=year, sources=tuple(homes["source"].unique()) + tuple(places["source"].unique())
                       + tuple(cla[cla["period"] == year]["source"].unique()))   # cited by the section, not here
    return table.sort_values("homes_share_percent", ascending=False)


def where(ctx: Context) -> Section:
    table = regional_table(ctx.vintage, ctx.end_year)
    year = table.attrs["year"]
    top, bottom = table.iloc[0], table.sort_values("places_per_100_children_looked_after").iloc[0]
    answer = (f"At 31 March {year}, {top['region']} held **{top['homes_share_percent']:.0f}%** of England's "
              f"children's homes ({top['places_share_percent']:.0f}% of places) but "
              f"{top['children_looked_after_share_percent']:.0f}% of its children looked after; {bottom['region']} had "
              f"the fewest places for its children: {bottom['places_per_100_children_looked_after']:.0f} per 100 "
              f"children looked after, against {table['places'].sum() / table['children_looked_after'].sum() * 100:.0f} "
              f"for England.")
    region = ctx.area if ctx.level == "regional" else ctx.region
    if region in table.index and region != top.name:
        r = table.loc[region]
        answer += (f" {r['region']} held {r['homes_share_percent']:.0f}% of the homes and "
                   f"{r['children_looked_after_share_percent']:.0f}% of the children looked after "
                   f"({r['places_per_100_children_looked_after']:.0f} places per 100 children).")
    if ctx.level in ("local_authority", "consistent_boundary") or ctx.boundary == "consistent":
        answer += " " + local_places(ctx, year)
    answer += " " + distance(ctx)
    long = table.melt(id_vars="region", value_vars=["homes_share_percent", "children_looked_after_share_percent"],
                      var_name="measure", value_name="share_of_england_percent")
    long["measure"] = long["measure"].map({"homes_share_percent": "Share of England's children's homes",
                                           "children_looked_after_share_percent":
                                               "Share of England's children looked after"})
    chart = Chart("homes_by_region", f"{top['region']} has {top['homes_share_percent']:.0f}% of England's children's "
                  f"homes but {top['children_looked_after_share_percent']:.0f}% of its children looked after ({year})", (
                      f"Bar chart of each English region's share of children's homes and of children looked after at "
                      f"31 March {year}: " + "; ".join(
                          f"{r.region} {r.homes_share_percent:.0f}% of homes, {r.children_looked_after_share_percent:.0f}% "
                          f"of children" for r in table.itertuples()) + "."),
                  sources.cite(table.attrs["sources"]), "", f"Share of England's total at 31 March {year} (%)")
    data = table.reset_index(drop=True)
    for column in ("homes", "places", "children_looked_after"):
        data[column] = data[column].astype("int64")
    return Section({"where_answer": answer}, long.merge(data, on="region"), chart,
                   {"top_region": top["region"], "top_share": top["homes_share_percent"]}, year)


def local_places(ctx: Context, year: str) -> str:
    homes = number("mk.providers_by_sector", ctx.area, year, ctx.vintage, HOMES, ctx.boundary) or 0.0
    places = number("mk.places_by_sector", ctx.area, year, ctx.vintage, HOMES, ctx.boundary) or 0.0
    children = number("cla.children_looked_after", ctx.area, year, ctx.vintage, boundary=ctx.boundary)
    text = ((f"{ctx.area_name} had {count(homes)} children's homes located in it, with {count(places)} places"
             if homes else f"{ctx.area_name} had no children's homes located in it")
            + (f", and {count(children)} children looked after" if children is not None else "")
            + f" at 31 March {year}")
    if too_small(places, children):
        return text + f": too few to compare (fewer than {SMALL_NUMBER} places or children)."
    england = regional_table(ctx.vintage, ctx.end_year)
    rate = england["places"].sum() / england["children_looked_after"].sum() * 100
    return (text + f": {places / children * 100:.0f} places per 100 of its children looked after, against {rate:.0f} "
            f"for England (the homes take children from anywhere, so this measures local supply, not use).")


def distance(ctx: Context) -> str:
    """Placements outside the authority and far from home, where published for the area."""
    outside = ctx.upto(query.series("cla.placed_outside_la", ctx.area, ctx.vintage, boundary=ctx.boundary))
    outside = outside.dropna(subset=["value"])
    if outside.empty:
        return f"Placements outside the authority are not published for {ctx.area_name} in the files held."
    year = outside["period"].iloc[-1]
    total = number("cla.children_looked_after", ctx.area, year, ctx.vintage, boundary=ctx.boundary)
    share = pct(outside["value"].iloc[-1], total)
    if too_small(total):
        return (f"Placements outside the authority are too few to compare for {ctx.area_name} (fewer than "
                f"{SMALL_NUMBER} children looked after at 31 March {year}).")
    text = (f"At 31 March {year}, {count(outside['value'].iloc[-1])} of the {count(total)} children looked after by "
            f"{ctx.area_name} lived outside its boundary" + (f" ({share:.0f}%)" if share is not None else "")
            + (" (the files hold local-authority figures only for 2018 and 2019)" if not ctx.is_england
               and ctx.level != "regional" else "") + ".")
    if ctx.is_england:
        far = number("cla.by_placement_distance", ENGLAND, year, ctx.vintage, "distance=Over 20 miles")
        known = number("cla.by_placement_distance", ENGLAND, year, ctx.vintage, "distance=20 miles or less")
        if far is not None and known is not None:
            text += (f" {far / (far + known) * 100:.0f}% of those whose distance was recorded were placed more than "
                     f"20 miles from home.")
        inside, outside_homes = homes_by_boundary(year, ctx.vintage)
        if inside is not None and outside_homes is not None:
            text += (f" Of children in children's homes, {outside_homes / (inside + outside_homes) * 100:.0f}% were "
                     f"placed outside their own authority.")
    return text


def homes_by_boundary(year: str, vintage: str) -> tuple[float | None, float | None]:
    """Children in children's homes inside and outside their council's boundary (the code changed 5c -> 4c)."""
    for code in ("4c", "5c"):
        inside = number("cla.by_placement", ENGLAND, year, vintage,
                        f"placement={code}.1 Children's home placement inside the council boundary")
        outside = number("cla.by_placement", ENGLAND, year, vintage,
                         f"placement={code}.2 Children's home placement outside the council boundary")
        if inside is not None and outside is not None:
            return inside, outside
    return None, None


# --- 4. fostering ---------------------------------------------------------------------------------------------------

@lru_cache(maxsize=4)
def independent_placements(vintage: str) -> pd.DataFrame:
    """England: children looked after at 31 March by placement type, all providers and private or voluntary ones,
    summed over inside and outside the council's boundary (DfE splits provider by type only with locality)."""
    rows = query.by_breakdown("cla.by_placement_provider", ENGLAND, vintage).dropna(subset=["value"])
    parts = rows["breakdown"].str.extract(r"placement=(?P<placement>[^;]+)").join(
        rows["breakdown"].str.extract(r"provider=(?P<provider>[^;]+)"))
    rows = rows.join(parts)
    rows = rows[rows["breakdown"].str.contains("locality=") & rows["provider"].notna() & rows["placement"].notna()]
    total = rows.groupby(["period", "placement"])["value"].sum().rename("all_providers")
    independent = rows[rows["provider"].isin(INDEPENDENT)].groupby(["period", "placement"])["value"].sum()
    out = pd.concat([independent.rename("independent"), total], axis=1).fillna({"independent": 0}).reset_index()
    out["share"] = out["independent"] / out["all_providers"] * 100
    out.attrs["sources"] = tuple(rows["source"].str.split(", ").explode().unique())   # cited by the section
    return out


def independent_foster_share(vintage: str) -> pd.DataFrame:
    shares = independent_placements(vintage)
    out = shares[shares["placement"] == FOSTER.split("=")[1]].reset_index(drop=True)
    out.attrs["sources"] = shares.attrs["sources"]
    return out


def fostering(ctx: Context) -> Section:
    if not ctx.is_england:
        return local_fostering(ctx)
    children = ctx.upto(query.series("mk.fostered_children", ENGLAND, ctx.vintage)).dropna(subset=["value"])
    ifa = ctx.upto(query.series("mk.fostered_children", ENGLAND, ctx.vintage,
                                "sector=Independent fostering agency")).dropna(subset=["value"])
    shares = ifa.merge(children, on="period", suffixes=("_ifa", ""))
    shares["share"] = shares["value_ifa"] / shares["value"] * 100
    dfe = ctx.upto(independent_foster_share(ctx.vintage))
    year = children["period"].iloc[-1]
    households = number("mk.fostering_households", ENGLAND, year, ctx.vintage)
    places = number("mk.fostering_places", ENGLAND, year, ctx.vintage)
    vacant = number("mk.fostering_places_vacant", ENGLAND, year, ctx.vintage)
    answer = (f"At 31 March {year}, Ofsted's fostering data count **{count(households)}** approved fostering "
              f"households in England offering {count(places)} places, {count(vacant)} of them vacant "
              f"({pct(vacant, places):.0f}%), with **{count(children['value'].iloc[-1])}** children placed. ")
    if len(shares):
        answer += (f"Independent fostering agencies cared for {shares['share'].iloc[0]:.0f}% of fostered children in "
                   f"{shares['period'].iloc[0]} and {shares['share'].iloc[-1]:.0f}% in {shares['period'].iloc[-1]} "
                   f"(Ofsted splits England by sector only to 2018). ")
    if len(dfe):
        answer += (f"DfE's placement records put **{dfe['share'].iloc[-1]:.0f}%** of foster placements with private "
                   f"or voluntary providers at 31 March {dfe['period'].iloc[-1]}"
                   + (f" ({dfe['share'].iloc[0]:.0f}% in {dfe['period'].iloc[0]})" if len(dfe) > 1 else "") + ". ")
    answer += "Ofsted's fostering data after 2018-19 are public but not among the files held."
    data = pd.concat([
        shares.assign(year=shares["period"].astype(int), measure="Independent fostering agencies' share of fostered "
                      "children (Ofsted)")[["year", "measure", "share"]],
        dfe.assign(year=dfe["period"].astype(int), measure="Private or voluntary share of foster placements (DfE)")[
            ["year", "measure", "share"]]], ignore_index=True).rename(columns={"share": "share_percent"})
    last = dfe["share"].iloc[-1] if len(dfe) else shares["share"].iloc[-1]
    chart = Chart("independent_fostering", f"About {last:.0f}% of foster placements in England are with independent "
                  f"providers", (
                      "Line chart of the independent sector's share of fostering in England: independent fostering "
                      f"agencies' share of fostered children (Ofsted, {years_span(shares['period'].astype(int))}) and "
                      f"the private or voluntary share of foster placements (DfE, "
                      f"{years_span(dfe['period'].astype(int))}), ending at {last:.0f}%."),
                  cite(children) + "; " + sources.cite(dfe.attrs["sources"]), "Share (%)")
    return Section({"fostering_answer": answer}, data, chart, {"independent_share": last}, str(dfe["period"].iloc[-1]))


def local_fostering(ctx: Context) -> Section:
    """Regions and LAs: Ofsted's 2018-19 figures cover the council's own fostering service only."""
    local = "sector=Local authority"
    year = "2019" if ctx.end_year is None or ctx.end_year >= 2019 else None
    values = {m: number(m, ctx.area, year, ctx.vintage, local, ctx.boundary) for m in
              ("mk.fostering_households", "mk.fostering_places", "mk.fostering_places_vacant", "mk.fostered_children")}
    sector_note = (" The share of foster placements with independent providers is published for England only in "
                   "the files held.")
    if values["mk.fostering_households"] is None:
        return Section({"fostering_answer": f"Ofsted's fostering figures for {ctx.area_name}'s own fostering service "
                        f"are not published in the files held (they hold local figures for 2018-19 only)."
                        + sector_note})
    households, places = values["mk.fostering_households"], values["mk.fostering_places"]
    vacant, children = values["mk.fostering_places_vacant"], values["mk.fostered_children"]
    vacancy = pct(vacant, places)
    answer = (f"At 31 March 2019, the council fostering service{'s' if ctx.level == 'regional' else ''} of "
              f"{ctx.area_name} had **{count(households)}** approved households offering {count(places)} places"
              + (f", {count(vacant)} vacant ({vacancy:.0f}%)" if vacancy is not None and vacant is not None else "")
              + (f", with {count(children)} children placed" if children is not None else "")
              + ". Ofsted's files do not split independent agencies' carers by area, and its fostering data after "
                "2018-19 are not among the files held." + sector_note)
    return Section({"fostering_answer": answer}, figures={"households": households}, latest="2019")


# --- 5. what councils pay -------------------------------------------------------------------------------------------

SPEND_LINES = {"line=cla_residential": "Residential care", "line=cla_fostering": "Fostering"}


def march_of(financial_year: str) -> str:
    """'2019-20' -> '2020': the 31 March a financial year ends on."""
    return str(int(financial_year[:4]) + 1)


def children_in_homes(year: str, vintage: str) -> float | None:
    """England's children in children's homes at 31 March (DfE renumbered the line from 5c to 4c in 2024): the
    newest numbering for the latest vintage, the first for figures as first published."""
    for breakdown in HOMES_PLACEMENT if vintage == "latest" else HOMES_PLACEMENT[::-1]:
        got = number("cla.by_placement", ENGLAND, year, vintage, breakdown)
        if got is not None:
            return got
    return None


@lru_cache(maxsize=1024)
def weekly_costs(area: str, vintage: str, boundary: str = "as_published") -> pd.DataFrame:
    """Residential spend per child per week, by financial year: per child in a children's home (England) and per child
    in secure units, children's homes and semi-independent living (any area), each at 31 March."""
    spend = query.series("spend.s251_line", area, vintage, "line=cla_residential", boundary).dropna(subset=["value"])
    rows = []
    for fy, cash in zip(spend["period"], spend["value"]):
        group = number("cla.by_placement", area, march_of(fy), vintage, RESIDENTIAL_GROUP, boundary)
        homes = children_in_homes(march_of(fy), vintage) if area == ENGLAND else None
        rows.append({"period": fy, "spend": cash, "children_in_homes": homes, "children_in_residential": group})
    out = pd.DataFrame(rows, columns=["period", "spend", "children_in_homes", "children_in_residential"])
    for column, name in (("children_in_homes", "per_home_child"), ("children_in_residential", "per_residential_child")):
        children = out[column].astype(float)
        out[name] = (out["spend"] / (children * 52)).where(children >= SMALL_NUMBER)
    return out


def money(ctx: Context) -> Section:
    frames = [ctx.upto(query.series("spend.s251_line", ctx.area, ctx.vintage, line, ctx.boundary)).assign(line=label)
              for line, label in SPEND_LINES.items()]
    spend = pd.concat(frames, ignore_index=True).dropna(subset=["value"])
    cma = cma_sentence()
    if spend.empty:
        return Section({"money_answer": f"Section 251 spending is not published for {ctx.area_name} in the files held "
                                        f"(they hold England and local authorities, not regions). " + cma})
    prices = max(derived.deflators())
    spend["real"] = [derived.at_prices(v, p, prices) for v, p in zip(spend["value"], spend["period"])]
    spend = spend.dropna(subset=["real"])
    wide = spend.pivot_table(index="period", columns="line", values="real")
    start, end = wide.index[0], wide.index[-1]
    scale, unit = 1e6, "£ million"   # one unit for every area, so axis ticks stay whole numbers
    residential = wide["Residential care"]
    growth = spend_change(residential[end], residential[start])
    cash = spend[spend["period"] == end].set_index("line")["value"]
    answer = (f"In {end}, {ctx.area_name} spent **{pounds(cash['Residential care'])}** (cash) on residential care for "
              f"children looked after and {pounds(cash['Fostering'])} on fostering (section 251 outturn, whose lines "
              f"were redefined in 2011-12 and renumbered in 2016-17). In real terms (HM Treasury GDP deflator, {prices} "
              f"prices) residential spending {movement(growth)} between {start} and {end}, and fostering "
              f"{movement(spend_change(wide['Fostering'][end], wide['Fostering'][start]))}"
              + (f" (spending under {pounds(SMALL_SPEND)} a year is too small to compare as a percentage)"
                 if growth is None else "") + ".")
    if not ctx.is_england:
        answer += (f" The files hold local-authority spending by line only to {end}; later returns are public but not "
                   f"among the files held.")
    costs = weekly_costs(ctx.area, ctx.vintage, ctx.boundary)
    costs = ctx.upto(costs)
    home = costs.dropna(subset=["per_home_child"])
    broad = costs.dropna(subset=["per_residential_child"])
    if len(home):
        answer += (f" Dividing residential spending by the children in children's homes at the year's end gives about "
                   f"**£{home['per_home_child'].iloc[-1]:,.0f} a week** per child in {home['period'].iloc[-1]}; the "
                   f"line also pays for secure units and semi-independent living, so per child in all of those "
                   f"({count(broad['children_in_residential'].iloc[-1])} children) it is "
                   f"£{broad['per_residential_child'].iloc[-1]:,.0f}.")
    elif len(broad):
        answer += (f" Per child in secure units, children's homes and semi-independent living at the year's end, "
                   f"residential spending was about £{broad['per_residential_child'].iloc[-1]:,.0f} a week in "
                   f"{broad['period'].iloc[-1]} (children in children's homes alone are published for England only in "
                   f"the files held).")
    else:
        answer += (f" Spending per child in residential care is not computed for {ctx.area_name}: the children it "
                   f"would divide by are fewer than {SMALL_NUMBER} or not published.")
    answer += " " + cma
    data = spend.assign(real=spend["real"] / scale)[["period", "line", "value", "real", "release", "source"]].rename(
        columns={"value": "cash_gbp", "real": f"real_{unit.split()[1]}_gbp_{prices}_prices"})
    chart = Chart("placement_spending", f"Real-terms spending on residential care {movement(growth)} from {start} "
                  f"to {end}", (
                      f"Line chart of section 251 spending on residential care and on fostering for children looked "
                      f"after in {ctx.area_name}, {start} to {end}, in {unit} at {prices} prices: residential care "
                      f"from {pounds(residential[start])} to {pounds(residential[end])}."),
                  cite(spend) + "; HM Treasury, GDP deflators", f"{unit}, {prices} prices")
    figures = {"residential_real_growth": growth, "weekly": home["per_home_child"].iloc[-1] if len(home) else None}
    return Section({"money_answer": answer}, data, chart, figures, end)


SMALL_SPEND = 1e6   # a year's spending below this is not compared as a percentage (a tiny authority's few placements)


def spend_change(new: float, old: float) -> float | None:
    if not (is_number(new) and is_number(old)) or min(new, old) < SMALL_SPEND:
        return None
    return (new / old - 1) * 100


def pounds(x: float) -> str:
    """£2.08 billion, £31.2 million, £120,000."""
    if abs(x) >= 1e9:
        return f"£{x / 1e9:,.2f} billion"
    if abs(x) >= 1e6:
        return f"£{x / 1e6:,.1f} million"
    return f"£{round(x, -3):,.0f}"


def cma_sentence() -> str:
    price, year, source = hand_figure("mk.cma_average_weekly_price", HOMES)
    margin, _, _ = hand_figure("mk.cma_operating_margin", HOMES)
    ifa_price, _, _ = hand_figure("mk.cma_average_weekly_price", "provision=Independent fostering agency")
    ifa_margin, _, _ = hand_figure("mk.cma_operating_margin", "provision=Independent fostering agency")
    if None in (price, margin, ifa_price, ifa_margin):
        return f"The Competition and Markets Authority's figures on providers' prices and margins were {NOT_IN_BUILD}."
    return (f"The Competition and Markets Authority found the largest private providers charging on average "
            f"£{price:,.0f} a week for a children's home place and about £{ifa_price:,.0f} for fostering in their "
            f"{year} financial years, with operating margins of {margin:.0f}% and {ifa_margin:.0f}% (Great Britain; "
            f"{NOT_OFFICIAL}: the CMA's interim report of October 2021, after the review, as reported on a web page).")


# --- 6. risk --------------------------------------------------------------------------------------------------------

def risk(ctx: Context) -> Section:
    owned, _, _ = hand_figure("mk.private_equity_owned_largest", "owners=largest 10")
    answer = ("No official statistics describe providers' finances. Debt, leverage and the risk that a large group "
              "fails are in company accounts at Companies House, which the CMA and the LGA's consultants analysed; "
              "the book holds none of them. "
              + (f"A press report of the CMA's interim findings said {owned:.0f} of the 10 largest children's home "
                 f"providers were owned by private equity ({NOT_OFFICIAL}). " if owned is not None else
                 f"A press report of the CMA's interim findings on private equity ownership was {NOT_IN_BUILD}. ")
              + "What public data can show is the exit of homes, not of owners" + exits(ctx)
              + " Which homes belong to which group is not published consistently (owners are named as registered, "
                "not by ultimate parent), so a group's failure would show only as many homes leaving at once.")
    return Section({"risk_answer": answer})


def exits(ctx: Context) -> str:
    flows = ctx.upto(home_flows(ENGLAND, ctx.vintage, "as_published"))
    if flows.empty:
        return "."
    peak = flows.loc[flows["left"].idxmax()]
    return (f": in England, between {count(flows['left'].min())} and {count(flows['left'].max())} children's homes "
            f"left Ofsted's register each year from {flows['period'].iloc[0]} to {flows['period'].iloc[-1]} (most in "
            f"the year to 31 March {peak['period']}, {count(peak['private_left'])} of them private), always fewer "
            f"than joined.") if (flows["left"] < flows["joined"]).all() else (
        f": in England, between {count(flows['left'].min())} and {count(flows['left'].max())} children's homes left "
        f"Ofsted's register each year from {flows['period'].iloc[0]} to {flows['period'].iloc[-1]}.")


# --- the chapter ----------------------------------------------------------------------------------------------------

SECTION_WORDS = {"who provides": "the providers", "who owns": "ownership", "where": "location",
                 "fostering": "fostering", "what councils pay": "spending"}


def coverage(ctx: Context, sections: dict[str, Section]) -> str:
    """Why sections end in different years: Ofsted's lists, its fostering files and DfE's tables end apart."""
    ends = {name: s.latest for name, s in sections.items() if s.latest}
    if len({march_of(v) if "-" in v else v for v in ends.values()}) <= 1:
        return ""
    by_end: dict[str, list[str]] = {}
    for name, latest in ends.items():
        by_end.setdefault(latest, []).append(SECTION_WORDS.get(name, name))
    return ("Sections end in different years because the files held do: " + listing(
        [f"{listing(names)} end{'s' if len(names) == 1 else ''} in {latest}" for latest, names in by_end.items()])
            + ". Ofsted's provider lists run to 31 March "
            "2025, its fostering files to 2018-19, and section 251 spending to 2021-22 for England (2018-19 for "
            "local authorities); later releases are public but not among the files held.")


def sections(ctx: Context) -> dict[str, Section]:
    """Every section of the chapter, in order: what the notebook shows and the every-area test reads."""
    out = {"who provides": providers(ctx), "who owns": owners(ctx), "where": where(ctx),
           "fostering": fostering(ctx), "what councils pay": money(ctx), "risk": risk(ctx),
           "published figures": published_figures()}
    out["coverage"] = Section({"coverage_note": coverage(ctx, out)})
    return out


HAND_TABLE = [("mk.cma_average_weekly_price", HOMES, "Average weekly price, largest children's home providers",
               lambda v: f"£{v:,.0f}"),
              ("mk.cma_average_weekly_price", "provision=Independent fostering agency",
               "Average weekly price, largest independent fostering agencies (about)", lambda v: f"£{v:,.0f}"),
              ("mk.cma_operating_margin", HOMES, "Operating margin, largest children's home providers",
               lambda v: f"{v:.0f}%"),
              ("mk.cma_operating_margin", "provision=Independent fostering agency",
               "Operating margin, largest independent fostering agencies", lambda v: f"{v:.0f}%"),
              ("mk.ofsted_largest_owners_share", "owners=largest 10; of=all homes",
               "Homes and places of the 10 largest private owners (Ofsted, by ultimate owner)", lambda v: f"{v:.0f}%"),
              ("mk.lga_independent_share_placements", "placement=Foster placements",
               "Foster placements with independent providers (LGA research)", lambda v: f"{v:.0f}%"),
              ("mk.lga_independent_share_placements", "placement=Children's homes",
               "Children's home placements with independent providers (LGA research)", lambda v: f"{v:.0f}%")]


def published_figures() -> Section:
    """The hand-collected figures the chapter sets beside the official ones, each with who published it and when."""
    rows = []
    for measure, breakdown, label, shown in HAND_TABLE:
        held = hand_collected(measure, breakdown)
        if held.empty:
            continue
        data = held.iloc[-1]
        rows.append({"Figure": label, "Value": shown(float(data["value"])),
                     "Published": str(data["release"]) + (" (after the review)" if data["release"] > REVIEW_MONTH
                                                          else " (before the review)"),
                     "Source": hand_source(measure).split(":")[0]})
    section = Section({"published_figures": "" if rows else f"The market figures the CMA, Ofsted and "
                       f"LGA-commissioned research published were {NOT_IN_BUILD}."}, data=pd.DataFrame(rows))
    section.figures["caption"] = ("Market figures published by the CMA, Ofsted and LGA-commissioned research, "
                                  "collected by hand from web pages: not official statistics")
    return section
