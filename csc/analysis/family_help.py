"""Family help and child protection: each section's numbers, chart words and sentences, for any area and vintage."""
from __future__ import annotations

from functools import lru_cache

import pandas as pd

from .. import derived, query, sources
from ..chapter import Context
from ..geography import ENGLAND
from . import (SMALL_NUMBER, Chart, Section, base_year, change, count, coverage, direction, first_lower, gaps, is_number,
               leaders, listing, movement, places, too_small, two_movements)

FRONT_DOOR = {"cin.referrals": "Referrals", "cin.children_in_need": "Children in need at 31 March"}
FUNNEL = {"cp.section47_enquiries": "Section 47 enquiries", "cp.icpcs": "Initial child protection conferences",
          "cp.cpp_starts": "Child protection plans started"}
ETHNIC_GROUPS = ("White", "Mixed", "Asian or Asian British", "Black or Black British", "Other ethnic group",
                 "Any other ethnic group")


def major_group(label: str) -> bool:
    """A major ethnic group ('White', 'Asian or Asian British (including Chinese)'), not a subgroup ('White Irish')."""
    return any(label == g or label.startswith(g + " (") for g in ETHNIC_GROUPS)
SPENDING_BREAKS = ("2011-12", "2016-17")
TOO_FEW = "too few to compare (fewer than {n} in a year)".format(n=SMALL_NUMBER)


def cite(frame: pd.DataFrame) -> str:
    return sources.cite(frame["source"].str.split(", ").explode())


def stage_series(ctx: Context, measures: dict[str, str]) -> pd.DataFrame:
    """Several measures for one area, long, cut at end_year; suppressed years keep their symbol."""
    frames = [query.series(m, area=ctx.area, vintage=ctx.vintage, boundary=ctx.boundary).assign(stage=label, measure=m)
              for m, label in measures.items()]
    out = ctx.upto(pd.concat(frames, ignore_index=True))
    return out.assign(year=out["period"].astype(int))


def by_year(frame: pd.DataFrame, measure: str) -> pd.Series:
    return frame[frame["measure"] == measure].dropna(subset=["value"]).set_index("year")["value"]


def why_not(values: pd.Series, base: int | None, last: int) -> str:
    """Why a change from `base` cannot be given: not published that year, or too small."""
    if base is None or base not in values.index or last not in values.index:
        return f"cannot be compared with {base} (not published for that year)" if base else "cannot be compared"
    return f"cannot be compared (fewer than {SMALL_NUMBER})"


# --- the front door ------------------------------------------------------------------------------------------------

def front_door(ctx: Context, baseline_year: int = 2010) -> Section:
    front = stage_series(ctx, FRONT_DOOR)
    ref, cin = by_year(front, "cin.referrals"), by_year(front, "cin.children_in_need")
    if ref.empty:
        return Section({"front_door_answer": f"Referrals and children in need are not published for {ctx.area_name} "
                                             "in the files held.", "front_door_rates": ""})
    last, base = int(ref.index.max()), base_year(ref, baseline_year)
    ref_change = change(ref[last], ref.get(base))
    cin_change = change(cin.get(last), cin.get(base))
    rereferral = ctx.upto(derived.ratio("cin.rereferrals", "cin.referrals", ctx.area, ctx.vintage, boundary=ctx.boundary))
    nfa = ctx.upto(derived.ratio("cin.referrals_nfa", "cin.referrals", ctx.area, ctx.vintage, boundary=ctx.boundary))
    rereferral = rereferral[rereferral["value_base"] >= SMALL_NUMBER]
    nfa = nfa[nfa["value_base"] >= SMALL_NUMBER]
    since = ""
    if base is not None and base != last:
        since = (f" Since {base}, " + (two_movements('referrals', ref_change, 'children in need', cin_change)
                                      if cin_change is not None else
                                      f"referrals {movement(ref_change)}; children in need "
                                      f"{why_not(cin, base, last)}") + ".")
    extra = []
    def share(frame: pd.DataFrame, what: str) -> str:
        ratio = frame["ratio"].iloc[-1]
        return (f"none of the {count(frame['value_base'].iloc[-1])} referrals were recorded as {what}" if ratio == 0
                else f"{ratio:.1f}% of referrals were {what}")
    if len(rereferral):
        extra.append(f"in {rereferral['period'].iloc[-1]}, {share(rereferral, 're-referrals within twelve months')}")
    if len(nfa):
        same_year = len(rereferral) and nfa["period"].iloc[-1] == rereferral["period"].iloc[-1]
        nfa_text = share(nfa, "closed with no further action")
        extra.append(nfa_text if not same_year else nfa_text.replace(" of referrals were", ""))
    in_need = (f", and **{count(cin[last])}** children were in need at 31 March" if last in cin.index
               else ", and the number of children in need at 31 March is not published")
    answer = (f"In the year to 31 March {last}, {ctx.area_name} received **{count(ref[last])}** referrals to "
              f"children's social care{in_need}.{since}"
              + (" " + " and ".join(extra)[:1].upper() + " and ".join(extra)[1:] + "." if extra else "")
              + gaps(front, ctx))
    rates = referral_rates(ctx)
    rate_text = ""
    if len(rates) >= 2:
        period = rates["period"].iloc[-1]
        note = ((" (DfE's published rates" + (f"; its files for {last} no longer carry them)" if int(period) < last
                                              else ")")) if rates.attrs["published"] else
                " (computed from the ONS child population, held from mid-2012, so rates start in 2013)")
        others = [(name, referral_rate(code, ctx.vintage, period)) for name, code in
                  ((query.areas().name(ctx.region), ctx.region), ("England", ENGLAND)) if code and code != ctx.area]
        others = [f"{rate:.0f} for {name}" for name, rate in others if rate is not None]
        rate_text = (f"Per 10,000 children aged under 18, referrals were {rates['rate'].iloc[0]:.0f} in "
                     f"{rates['period'].iloc[0]} and {rates['rate'].iloc[-1]:.0f} in {period}{note}"
                     + (f", against {listing(others)} in {period}." if others else "."))
    shown = front.dropna(subset=["value"])
    span = f"{base} and {last}" if base is not None else f"{int(shown['year'].min())} and {last}"
    source = cite(front)
    chart = Chart("front_door", f"Referrals in {ctx.area_name} {movement(ref_change)} between {span}; children in need "
                  f"{movement(cin_change)}", (
                      f"Line chart of referrals to children's social care and children in need at 31 March in "
                      f"{ctx.area_name}, {int(shown['year'].min())} to {last}. Referrals went from "
                      f"{count(ref.iloc[0])} in {int(ref.index[0])} to {count(ref[last])} in {last}"
                      + (f"; children in need from {count(cin.iloc[0])} in {int(cin.index[0])} to "
                         f"{count(cin.iloc[-1])} in {int(cin.index[-1])}." if len(cin) else ".")),
                  source, "Number")
    return Section({"front_door_answer": answer, "front_door_rates": rate_text},
                   front[["year", "stage", "value", "status", "release", "source"]].rename(columns={"value": "count"}),
                   chart,
                   {"referrals": ref[last], "referrals_change": ref_change}, str(last))


def referral_rates(ctx: Context) -> pd.DataFrame:
    """DfE's published rates where the area is as published (from 2010); computed ones for a merged council."""
    if ctx.boundary == "as_published":
        rates = query.series("cin.referrals_rate", area=ctx.area, vintage=ctx.vintage).dropna(subset=["value"])
        rates = ctx.upto(rates).rename(columns={"value": "rate"})
        rates.attrs["published"] = True
        return rates.reset_index(drop=True)
    rates = ctx.upto(derived.per_10000("cin.referrals", ctx.area, ctx.vintage, boundary=ctx.boundary))
    rates.attrs["published"] = False
    return rates.reset_index(drop=True)


@lru_cache(maxsize=64)
def referral_rate(area: str, vintage: str, period: str) -> float | None:
    """A region's or England's published referral rate in one year (for comparison sentences)."""
    rates = query.series("cin.referrals_rate", area=area, vintage=vintage).set_index("period")["value"]
    got = rates.get(period)
    return float(got) if is_number(got) else None


# --- the investigation funnel ---------------------------------------------------------------------------------------

def investigations(ctx: Context, baseline_year: int = 2010) -> Section:
    funnel_rows = stage_series(ctx, FUNNEL)
    s47, plans = by_year(funnel_rows, "cp.section47_enquiries"), by_year(funnel_rows, "cp.cpp_starts")
    if s47.empty:
        return Section({"funnel_answer": f"Section 47 enquiries are not published for {ctx.area_name}: every year is "
                                         "suppressed or not returned in the files held.", "conversion_answer": ""})
    last, base = int(s47.index.max()), base_year(s47, baseline_year)
    growth = change(s47[last], s47.get(base))
    plan_growth = change(plans.get(last), plans.get(base))
    plans_now = (f" and **{count(plans[last])}** child protection plans started" if last in plans.index else "")
    answer = f"In the year to 31 March {last}, {ctx.area_name} recorded **{count(s47[last])}** section 47 enquiries{plans_now}."
    if base is not None and base != last and growth is not None:
        comparison = ""
        if plan_growth is not None:
            gap = growth - plan_growth
            comparison = (": enquiries grew far faster than the plans that follow them" if gap > 25 else
                          ": plans grew faster than enquiries" if gap < -25 else ", at a similar pace")
        answer += (f" Since {base}, when there were {count(s47[base])} enquiries, "
                   f"{two_movements('enquiries', growth, 'plans started', plan_growth)}{comparison}.")
    elif base is None or growth is None:
        answer += f" The numbers are {TOO_FEW}, so no change is computed."
    answer += doubtful_base(s47, plans, ctx) + gaps(funnel_rows, ctx)

    def ratio(top: str, bottom: str, per: float = 100) -> pd.DataFrame:
        r = ctx.upto(derived.ratio(top, bottom, ctx.area, ctx.vintage, per=per, boundary=ctx.boundary))
        return r[r["value_base"] >= SMALL_NUMBER].reset_index(drop=True)

    def span(frame: pd.DataFrame, what: str) -> str:
        if frame.empty:
            return ""
        last_part = f"{frame['ratio'].iloc[-1]:.0f} in {frame['period'].iloc[-1]}"
        if len(frame) == 1:
            return f"{what} {last_part}"
        return f"{what} {frame['ratio'].iloc[0]:.0f} in {frame['period'].iloc[0]} and {last_part}"

    parts = [span(ratio("cp.icpcs", "cp.section47_enquiries"), "initial child protection conferences per 100 enquiries were"),
             span(ratio("cp.cpp_starts", "cp.section47_enquiries"), "plans started per 100 enquiries were")]
    per_child = ratio("cp.section47_enquiries", "cp.section47_children", per=1)
    conversion = ("; ".join(p for p in parts if p).capitalize() + ". " if any(parts) else "") + (
        f"Enquiries count episodes, not children: in {per_child['period'].iloc[-1]} there were "
        f"{per_child['ratio'].iloc[-1]:.2f} enquiries for every child who was the subject of one."
        if len(per_child) else "")
    shown = funnel_rows.dropna(subset=["value"])
    first = int(shown["year"].min())
    source = cite(funnel_rows)
    title = (f"Section 47 enquiries {movement(growth)} between {base} and {last}; plans started "
             f"{movement(plan_growth)}" if growth is not None else
             f"Section 47 enquiries, conferences and plans in {ctx.area_name}, {first} to {last}: {TOO_FEW}")
    chart = Chart("s47_icpc_cpp", title, (
                      f"Line chart of section 47 enquiries, initial child protection conferences and child protection "
                      f"plans started in {ctx.area_name}, years to 31 March {first} to {last}. Enquiries went from "
                      f"{count(s47.iloc[0])} in {int(s47.index[0])} to {count(s47[last])} in {last}"
                      + (f"; plans started from {count(plans.iloc[0])} in {int(plans.index[0])} to "
                         f"{count(plans.iloc[-1])} in {int(plans.index[-1])}." if len(plans) else ".")),
                  source, "Number in the year to 31 March")
    return Section({"funnel_answer": answer, "conversion_answer": conversion},
                   funnel_rows[["year", "stage", "value", "status", "release", "source"]].rename(
                       columns={"value": "count"}), chart,
                   {"section47_enquiries": s47[last], "section47_growth": growth}, str(last))


def doubtful_base(s47: pd.Series, plans: pd.Series, ctx: Context) -> str:
    """The census's first year was incomplete in some authorities: say so where 2009-10 looks implausible."""
    if 2010 not in s47.index or ctx.is_england:
        return ""
    low = 2011 in s47.index and s47[2010] < 0.5 * s47[2011]
    more_plans = 2010 in plans.index and plans[2010] > s47[2010]
    if not (low or more_plans):
        return ""
    reason = (f"fewer than half of 2010-11's {count(s47[2011])}" if low
              else f"fewer than the {count(plans[2010])} plans started that year")
    return (f" {ctx.area_name}'s 2009-10 figure ({count(s47[2010])} enquiries, {reason}) looks incomplete, as "
            "returns often were in the census's first year; comparisons from 2010-11 are safer here.")


def without_plan(ctx: Context, review_figures: dict[str, float]) -> Section:
    """Enquiries minus plans started: the review's '135,000 without a plan' for any area and year."""
    rows = stage_series(ctx, {"cp.section47_enquiries": "", "cp.cpp_starts": "", "cp.section47_children": ""})
    gap = rows.dropna(subset=["value"]).pivot_table(index="year", columns="measure", values="value")
    method = (f"The review subtracted the plans started in a year from the enquiries made in it. For England in "
              f"2019-20, as first published, {count(review_figures['enquiries'])} enquiries minus "
              f"{count(review_figures['plans'])} plans started gives {count(review_figures['without_plan'])} (the "
              f"review's own figure: 135,000); the same difference in 2009-10 is the base of its \"threefold\".")
    if not {"cp.section47_enquiries", "cp.cpp_starts"} <= set(gap.columns):
        return Section({"without_plan_method": method, "without_plan_answer":
                        f"Enquiries or plans started are not published for {ctx.area_name}, so the difference "
                        "cannot be formed."})
    gap = gap.dropna(subset=["cp.section47_enquiries", "cp.cpp_starts"])
    gap = gap[gap["cp.section47_enquiries"] >= SMALL_NUMBER]
    if gap.empty:
        return Section({"without_plan_method": method, "without_plan_answer":
                        f"Enquiries in {ctx.area_name} are {TOO_FEW}, so the difference is not formed."})
    gap["without_plan"] = gap["cp.section47_enquiries"] - gap["cp.cpp_starts"]
    if "cp.section47_children" in gap:
        gap["children_without_plan"] = gap["cp.section47_children"] - gap["cp.cpp_starts"]
    last = int(gap.index.max())
    bases = [y for y in (2010, 2011) if y in gap.index and gap.loc[y, "without_plan"] >= SMALL_NUMBER]
    multiples = listing([f"×{gap.loc[last, 'without_plan'] / gap.loc[y, 'without_plan']:.1f} on {y}" for y in bases])
    child_gap = gap["children_without_plan"].dropna() if "children_without_plan" in gap else pd.Series(dtype=float)
    answer = (f"For {ctx.area_name} the difference was **{count(gap.loc[last, 'without_plan'])}** in {last}"
              + (f" ({multiples})" if multiples else "") + ". "
              + (f"Counting children subject to an enquiry rather than enquiries gives {count(child_gap.iloc[-1])} in "
                 f"{int(child_gap.index[-1])}. " if len(child_gap) else "")
              + ("How much it grew depends on the base year, as the claim boxes below show"
                 + (": 2009-10 was the first year of the children in need census, when returns were least complete."
                    if 2010 in bases else ".") if bases else
                 "No multiple is computed: the early years are not published or too small for this area."))
    value_vars = [c for c in ("without_plan", "children_without_plan") if c in gap]
    every_year = gap.reindex(range(int(gap.index.min()), last + 1)).rename_axis("year")  # a missing year is a gap
    long = every_year.reset_index().melt(id_vars="year", value_vars=value_vars, var_name="basis", value_name="value")
    long = long[long["value"].notna() | (long["basis"] == "without_plan")]
    long["basis"] = long["basis"].map({"without_plan": "Enquiries minus plans started (the review's measure)",
                                       "children_without_plan": "Children subject to an enquiry minus plans started"})
    first = int(gap.index.min())
    if len(gap) < 3:
        return Section({"without_plan_method": method, "without_plan_answer": answer}, latest=str(last))
    chart = Chart("without_plan", f"Enquiries not matched by a new plan: {count(gap.loc[last, 'without_plan'])} in "
                  f"{last}; how fast they grew depends on the base year", (
                      f"Line chart of section 47 enquiries minus child protection plans started in {ctx.area_name}, "
                      f"{first} to {last}, with dotted lines at the possible base years. The difference was "
                      f"{count(gap['without_plan'].iloc[0])} in {first} and {count(gap.loc[last, 'without_plan'])} "
                      f"in {last}."), cite(rows), "Number in the year to 31 March")
    section = Section({"without_plan_method": method, "without_plan_answer": answer},
                      long.rename(columns={"value": "count"}), chart,
                      {"without_plan": gap.loc[last, "without_plan"]}, str(last))
    section.figures["bases"] = bases
    return section


# --- what children are protected from -------------------------------------------------------------------------------

def labelled(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    return frame.assign(**{name: frame["breakdown"].str.split("=", n=1).str[1]})


def categories(ctx: Context) -> Section:
    cats = ctx.upto(query.by_breakdown("cp.cpp_by_category", ctx.area, ctx.vintage, boundary=ctx.boundary))
    cats = labelled(cats, "category")
    cats = cats[cats["category"] != "Not recorded"].assign(year=lambda f: f["period"].astype(int))
    held = cats.dropna(subset=["value"])
    if held.empty:
        return Section({"category_answer": f"Plans by category of abuse are not published for {ctx.area_name} in the "
                                           "files held."})
    latest = held["year"].max()
    now = cats[cats["year"] == latest].set_index("category")["value"]
    source = cite(cats)
    if now.isna().any():
        suppressed = listing([first_lower(c) for c in now.index[now.isna()]])
        return Section({"category_answer": f"At 31 March {latest}, the numbers of children on a plan for "
                        f"{suppressed} are suppressed for {ctx.area_name} (small numbers), so shares of the total "
                        "cannot be computed."}, latest=str(latest))
    top, problem = leaders(now)
    if problem:
        reason = (f"too few to compare (fewer than {SMALL_NUMBER} children on a plan)" if problem == "small"
                  else "tied at the top, so none is the most common")
        return Section({"category_answer": f"At 31 March {latest}, {ctx.area_name} had {count(now.sum())} children "
                        f"on a child protection plan; the categories of abuse are {reason}."}, latest=str(latest))
    share = now / now.sum() * 100
    physical_sexual = share.reindex(["Physical abuse", "Sexual abuse"]).sum()
    answer = (f"At 31 March {latest}, **{first_lower(top[0])}** was the initial category of abuse for "
              f"{share[top[0]]:.0f}% of children on a plan in {ctx.area_name}, followed by {first_lower(top[1])} "
              f"({share[top[1]]:.0f}%); physical and sexual abuse together accounted for {physical_sexual:.0f}%.")
    chart = Chart("plans_by_category", f"{top[0]} and {first_lower(top[1])} were the initial category for "
                  f"{share[top[0]] + share[top[1]]:.0f}% of plans at 31 March {latest}", (
                      f"Line chart of children on a child protection plan at 31 March in {ctx.area_name} by initial "
                      f"category of abuse, {cats['year'].min()} to {latest}. In {latest}: "
                      + "; ".join(f"{first_lower(c)} {count(v)}" for c, v in now.sort_values(ascending=False).items())
                      + "."), source, "Children on a plan at 31 March")
    data = cats.dropna(subset=["value"])[["year", "category", "value", "status", "release", "source"]]
    return Section({"category_answer": answer}, data.rename(columns={"value": "children"}), chart,
                   {"top_category": top[0]}, str(latest))


def factors(ctx: Context) -> Section:
    rows = ctx.upto(query.by_breakdown("cin.factors_at_assessment", ctx.area, ctx.vintage, boundary=ctx.boundary))
    rows = labelled(rows.dropna(subset=["value"]), "factor")
    if rows.empty:
        return Section({"factors_answer": f"Factors identified at the end of assessment are not published for "
                                          f"{ctx.area_name} in the files held."})
    year = rows["period"].max()
    now = rows[rows["period"] == year].set_index("factor")["value"]
    top, problem = leaders(now)
    if problem:
        reason = ("too few to compare" if problem == "small" else "led by a tie, so none is the most common")
        return Section({"factors_answer": f"The factors recorded at the end of assessment in {ctx.area_name} in the "
                        f"year to 31 March {year} are {reason}."}, latest=year)
    ranked = now[[not f.casefold().startswith("other") for f in now.index]].sort_values(ascending=False).head(10)
    answer = (f"Looking at the assessments behind those decisions, the factor social workers recorded most often in "
              f"the year to 31 March {year} was **{first_lower(top[0])}** ({count(now[top[0]])} assessments), then "
              f"{first_lower(top[1])} ({count(now[top[1]])}). An assessment can record several factors; the catch-all "
              "\"other\" is left out of the ranking.")
    data = ranked.rename("assessments").reset_index().assign(period=year)
    source = cite(rows[rows["period"] == year])
    chart = Chart("factors_at_assessment", f"{top[0]} and {first_lower(top[1])} were the factors most often "
                  f"recorded in {year}", (
                      f"Bar chart of the ten factors most often identified at the end of assessment in "
                      f"{ctx.area_name}, year to 31 March {year}: "
                      + "; ".join(f"{first_lower(f)} {count(v)}" for f, v in ranked.items()) + "."),
                  source, "", f"Assessments recording the factor, year to 31 March {year}")
    return Section({"factors_answer": answer}, data[["period", "factor", "assessments"]], chart,
                   {"top_factor": top[0]}, year)


# --- place and deprivation ------------------------------------------------------------------------------------------

def place(ctx: Context) -> Section:
    c = places.compare("cp.section47_enquiries", places.latest_year("cp.section47_enquiries", ctx), ctx.vintage)
    answer = (f"In the year to 31 March {c.year}, section 47 enquiry rates " + places.describe(ctx, c, "enquiries"))
    chart = places.chart(ctx, c, "s47_rates_by_la", "enquiry rates", f"year to 31 March {c.year}",
                         "Enquiries per 10,000 children")
    section = Section({"place_answer": answer}, places.frame(c, "section47_enquiries", "enquiries_per_10000"), chart,
                      {"correlation": c.corr, "outside": c.limits.outside("99.8%")}, c.year)
    section.figures.update(highlight=sorted(places.members(ctx, c)), limits=c.limits, england_rate=c.england)
    return section


def ethnicity(ctx: Context) -> Section:
    """Shares of children in need by major ethnic group, among those whose ethnicity is known."""
    if ctx.boundary == "as_published":
        shares = ctx.upto(query.by_breakdown("cin.children_in_need_by_ethnicity_percent", ctx.area, ctx.vintage))
    else:
        shares = pd.DataFrame(columns=["breakdown", "period", "value", "source"])
    shares = labelled(shares.dropna(subset=["value"]), "group")
    if shares.empty:  # LAs: published as counts (to 2012 in the files held); shares of the known total
        counts = ctx.upto(query.by_breakdown("cin.children_in_need_by_ethnicity", ctx.area, ctx.vintage,
                                             boundary=ctx.boundary))
        counts = labelled(counts, "group")
        if counts.dropna(subset=["value"]).empty:
            return Section({"ethnicity_answer": f"Children in need by ethnicity are not published for "
                                                f"{ctx.area_name} in the files held."})
        year = counts.dropna(subset=["value"])["period"].max()
        now = counts[(counts["period"] == year) & counts["group"].map(major_group)]
        if now["value"].isna().any() or too_small(now["value"].sum()):
            return Section({"ethnicity_answer": f"Children in need by ethnicity in {ctx.area_name} are suppressed or "
                            f"too few to compare in {year}, the latest year the files hold for this area."},
                           latest=year)
        shares = now.assign(value=now["value"] / now["value"].sum() * 100)
    year = shares["period"].max()
    now = shares[(shares["period"] == year) & shares["group"].map(major_group)]
    if now["group"].str.startswith("Other ethnic group").any():
        now = now[~now["group"].str.startswith("Any other ethnic group")]
    table = now[["group", "value"]].rename(columns={"group": "Ethnic group", "value": "Share of children in need (%)"})
    answer = (f"What the files do show is the ethnic make-up of children in need at 31 March {year} in "
              f"{ctx.area_name}, by major ethnic group among children whose ethnicity is known"
              + (" (the latest year the files hold by ethnicity for a local authority)" if not ctx.is_england
                 and ctx.level != "regional" else "")
              + "; without the child population by ethnicity it cannot be turned into rates.")
    section = Section({"ethnicity_answer": answer}, table.reset_index(drop=True), latest=year)
    section.figures["caption"] = f"Children in need at 31 March {year} by major ethnic group, {ctx.area_name} (% of known)"
    return section


# --- money ----------------------------------------------------------------------------------------------------------

SPEND_LABELS = {"non_statutory": "Non-statutory", "statutory": "Statutory", "early_help": "Early help",
                "early_intervention": "Early intervention"}


def spending(ctx: Context, spending_baseline: str = "2012-13") -> Section:
    rows = ctx.upto(query.by_breakdown("spend.cyps_by_class", ctx.area, ctx.vintage, boundary=ctx.boundary))
    rows = rows.dropna(subset=["value"])
    if rows.empty:
        return Section({"money_answer": f"Spending by service line is not published for {ctx.area_name} in the "
                                        "files held."})
    prices = max(derived.deflators())
    spend = labelled(rows, "group").assign(
        real=[derived.at_prices(v, p, prices) for v, p in zip(rows["value"], rows["period"])])
    spend = spend.dropna(subset=["real"])
    spend["group"] = spend["group"].map(SPEND_LABELS)
    wide = spend.pivot_table(index="period", columns="group", values="real")
    periods = list(wide.index)
    start = spending_baseline if spending_baseline in periods else periods[0]
    end = "2019-20" if "2019-20" in periods else periods[-1]
    changes = {g: (wide.loc[end, g] / wide.loc[start, g] - 1) * 100 for g in wide.columns
               if wide.loc[start, g] > 0 and is_number(wide.loc[end, g])}
    prevent, statutory = changes.get("Non-statutory"), changes.get("Statutory")
    scale, unit = (1e9, "£ billion") if wide.max().max() >= 1e9 else (1e6, "£ million")
    headline = ""
    if prevent is not None and statutory is not None:
        joint = "and" if direction(prevent) == direction(statutory) else "while"
        headline = (f"In real terms (HM Treasury GDP deflator, {prices} prices), spending on non-statutory services in "
                    f"{ctx.area_name} {movement(prevent)} between {start} and {end}, {joint} statutory spending "
                    f"{movement(statutory)}. ")
    others = {g: v for g, v in changes.items() if g not in ("Non-statutory", "Statutory")}
    agree = prevent is not None and all(direction(v) == direction(prevent) for v in others.values())
    narrower = ("The narrower definitions of prevention point the same way: " if agree else
                "The narrower definitions of prevention do not all agree: ")
    if others:
        headline += narrower + "; ".join(f"{first_lower(g)} {movement(v)}" for g, v in others.items()) + "."
    held_to = (f" Spending by line is held for {ctx.area_name} only to {periods[-1]}, so the comparison ends there "
               "(the later local-authority returns are public but not among the files this book holds)."
               if end != "2019-20" else "")
    answer = (headline + held_to + " Spending by class comes from the section 251 return, whose lines were redefined "
              "in 2011-12 and renumbered in 2016-17; those breaks are marked on the chart.")
    data = spend.assign(real=spend["real"] / scale)
    title = (f"Non-statutory spending {movement(prevent)} from {start} to {end}; statutory spending "
             f"{movement(statutory)}" if prevent is not None and statutory is not None
             else f"Real-terms spending by class of service, {periods[0]} to {periods[-1]}")
    chart = Chart("spending_by_class", title, (
        f"Line chart of children's and young people's services spending in {ctx.area_name} by class of service, "
        f"{periods[0]} to {periods[-1]}, in {unit} at {prices} prices. From {start} to {end}: "
        + "; ".join(f"{first_lower(g)} {v:+.0f}%" for g, v in changes.items()) + "."),
        cite(rows) + "; HM Treasury, GDP deflators", f"{unit}, {prices} prices")
    out = data[["period", "group", "value", "real", "release", "source"]].rename(
        columns={"value": "cash_gbp", "real": f"real_{unit.split()[1]}_gbp_{prices}_prices"})
    section = Section({"money_answer": answer}, out, chart, {"non_statutory_change": prevent}, periods[-1])
    section.figures.update(start=start, periods=periods, breaks=[b for b in SPENDING_BREAKS if b in periods])
    return section


# --- the chapter ----------------------------------------------------------------------------------------------------

def review_figures() -> dict[str, float]:
    """The review's own arithmetic for England, 2019-20 as first published (for the method sentence)."""
    s47 = query.value("cp.section47_enquiries", ENGLAND, "2020", "first")
    plans = query.value("cp.cpp_starts", ENGLAND, "2020", "first")
    return {"enquiries": s47, "plans": plans, "without_plan": s47 - plans}


def sections(ctx: Context, baseline_year: int = 2010, spending_baseline: str = "2012-13") -> dict[str, Section]:
    """Every section of the chapter, in order: what the notebook shows and the every-area test reads."""
    out = {"the front door": front_door(ctx, baseline_year),
           "investigations": investigations(ctx, baseline_year),
           "without a plan": without_plan(ctx, review_figures()),
           "categories of abuse": categories(ctx),
           "factors at assessment": factors(ctx),
           "place": place(ctx),
           "ethnicity": ethnicity(ctx),
           "spending": spending(ctx, spending_baseline)}
    out["coverage"] = Section({"coverage_note": coverage(ctx, out)})
    return out
