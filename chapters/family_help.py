# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Family help and child protection
#
# The review's central and most contested argument is that England investigates families too readily and helps
# them too little: that the number of child protection enquiries has risen far faster than the number of children
# found to need a plan, while spending on early help has fallen. Ofsted publicly rejected that reading in October
# 2021. This chapter sets out the review's arithmetic, the reasonable alternatives, and where the public evidence
# runs out.
#
# Figures are for **{glue:md}`area_name`**, using the {glue:md}`vintage_phrase`.{glue:md}`comparison_phrase`

# %% tags=["parameters"]
area = "E92000001"          # England; any region or LA by GSS code, DfE 3-digit code or exact name
vintage = "latest"          # "latest" (newest release of each year) or "first" (as first published)
baseline_year = 2010        # year to 31 March the decade comparisons start from: 2010 (the review's) or 2011
spending_baseline = "2012-13"  # financial year the spending comparison starts from: "2012-13" (review) or "2010-11"
end_year = None             # last year to show; None for the latest held

# %%
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns

import csc
from csc import chapter, charts, claims, derived
from csc.chapter import count, counted, say

ctx = chapter.validate(area=area, vintage=vintage, baseline_year=baseline_year, end_year=end_year,
                       spending_baseline=spending_baseline)
charts.style()
say("area_name", ctx.area_name)
say("vintage_phrase", "newest release of each year" if vintage == "latest"
    else "figures as first published (what the review saw in 2021)")
comparators = [csc.areas().name(c) for c in ctx.comparators[1:]]
say("comparison_phrase", (f" Charts set it beside {' and '.join(comparators)}." if comparators else "")
    + (f" {ctx.boundary_note}" if ctx.boundary_note else ""))


def stage_series(measures: dict[str, str], area_code: str) -> pd.DataFrame:
    """Several measures for one area, long, published values only, cut at end_year."""
    frames = [csc.series(m, area=area_code, vintage=vintage, boundary=ctx.boundary).assign(stage=label, measure=m)
              for m, label in measures.items()]
    out = ctx.upto(pd.concat(frames, ignore_index=True))
    return out.assign(year=out["period"].astype(int))


def sources_of(frame: pd.DataFrame) -> str:
    return csc.cite(frame["source"].str.split(", ").explode())


# %% [markdown]
# ## How many children come through the front door, and how has that changed?
#
# {glue:md}`front_door_answer`
#
# {glue:md}`front_door_rates`

# %%
FRONT_DOOR = {"cin.referrals": "Referrals", "cin.children_in_need": "Children in need at 31 March"}
front = stage_series(FRONT_DOOR, ctx.area)
shown = front.dropna(subset=["value"])
if shown.empty:
    say("front_door_answer", f"Referrals and children in need are not published for {ctx.area_name}.")
    say("front_door_rates", "")
else:
    ref = shown[shown["measure"] == "cin.referrals"].set_index("year")["value"]
    cin = shown[shown["measure"] == "cin.children_in_need"].set_index("year")["value"]
    last, base = int(ref.index.max()), int(ref.index.min())
    ref_change = chapter.change(ref[last], ref[base])
    cin_change = chapter.change(cin.get(last, np.nan), cin.get(base, np.nan))
    # Percentages from the counts, as DfE computes them, so reorganised councils can be summed first.
    rereferral = ctx.upto(derived.ratio("cin.rereferrals", "cin.referrals", ctx.area, vintage))
    nfa = ctx.upto(derived.ratio("cin.referrals_nfa", "cin.referrals", ctx.area, vintage))
    say("front_door_answer",
        f"In the year to 31 March {last}, {ctx.area_name} received {counted(ref[last], 'referrals')} to children's "
        f"social care, and {counted(cin.get(last, np.nan), 'children')} were in need at 31 March: since {base} "
        f"referrals {chapter.movement(ref_change)} and children in need {chapter.movement(cin_change)}. "
        + (f"In {rereferral['period'].iloc[-1]}, {rereferral['ratio'].iloc[-1]:.1f}% of referrals were re-referrals "
           f"within twelve months" if len(rereferral) else "")
        + (f", and {nfa['ratio'].iloc[-1]:.1f}% led to no further action." if len(nfa) else "."))
    rates = derived.per_10000("cin.referrals", ctx.area, vintage, boundary=ctx.boundary)
    rates = ctx.upto(rates)
    if len(rates):
        say("front_door_rates",
            f"Per 10,000 children, referrals were {rates['rate'].iloc[0]:.0f} in {rates['period'].iloc[0]} and "
            f"{rates['rate'].iloc[-1]:.0f} in {rates['period'].iloc[-1]} (rates from 2013, the first year for which "
            f"the book holds the ONS child population estimate DfE pairs with it).")
    else:
        say("front_door_rates", "")

    fig, ax = charts.lines(shown, "year", "value", "stage", columns=2)
    source = sources_of(front)
    charts.finish(fig, ax, title=f"Referrals in {ctx.area_name} {chapter.movement(ref_change)} between {base} and "
                  f"{last}; children in need {chapter.movement(cin_change)}",
                  ylabel="Number", source=source)
    charts.publish(fig, "front_door", data=front[["year", "stage", "value", "status", "release", "source"]],
                   source=source,
                   alt=(f"Line chart of referrals to children's social care and children in need at 31 March in "
                        f"{ctx.area_name}, {base} to {last}. Referrals went from {count(ref[base])} to "
                        f"{count(ref[last])}; children in need from {count(cin.get(base, np.nan))} to "
                        f"{count(cin.get(last, np.nan))}."))

# %%
for claim_id in ("FH-1", "FH-2"):
    claims.show(claim_id, ctx.area, vintage=vintage, baseline_year=baseline_year)

# %% [markdown]
# ## How many investigations, conferences and plans are there, and how fast have they grown?
#
# {glue:md}`funnel_answer`
#
# {glue:md}`conversion_answer`

# %%
FUNNEL = {
    "cp.section47_enquiries": "Section 47 enquiries",
    "cp.icpcs": "Initial child protection conferences",
    "cp.cpp_starts": "Child protection plans started",
}
funnel = stage_series(FUNNEL, ctx.area)
published = funnel.dropna(subset=["value"])

if published.empty:
    say("funnel_answer", f"These figures are not published for {ctx.area_name}: every year is suppressed or "
        "not applicable in the files held.")
    say("conversion_answer", "")
else:
    s47 = published[published["measure"] == "cp.section47_enquiries"].set_index("year")["value"]
    plans = published[published["measure"] == "cp.cpp_starts"].set_index("year")["value"]
    last, first_year = int(s47.index.max()), int(s47.index.min())
    base = baseline_year if baseline_year in s47.index else first_year
    growth = chapter.change(s47[last], s47[base])
    plan_growth = chapter.change(plans.get(last, np.nan), plans.get(base, np.nan))
    say("s47_latest", count(s47[last]))
    say("funnel_answer",
        f"In the year to 31 March {last}, {ctx.area_name} recorded {counted(s47[last], 'section 47 enquiries')} "
        f"and {counted(plans.get(last, np.nan), 'child protection plans started')}. Since {base}, when there were "
        f"{count(s47[base])} enquiries, enquiries {chapter.movement(growth)} and plans started "
        f"{chapter.movement(plan_growth)}"
        + (": enquiries grew far faster than the plans that follow them." if growth > plan_growth + 25 else "."))

    conversion = derived.ratio("cp.icpcs", "cp.section47_enquiries", ctx.area, vintage, boundary=ctx.boundary)
    to_plan = derived.ratio("cp.cpp_starts", "cp.section47_enquiries", ctx.area, vintage, boundary=ctx.boundary)
    per_child = derived.ratio("cp.section47_enquiries", "cp.section47_children", ctx.area, vintage, per=1,
                              boundary=ctx.boundary)
    conversion, to_plan, per_child = ctx.upto(conversion), ctx.upto(to_plan), ctx.upto(per_child)
    def span(frame: pd.DataFrame, what: str) -> str:
        """'x in 2010 and y in 2025', or nothing when the figures are not published."""
        if frame.empty:
            return ""
        last_part = f"{frame['ratio'].iloc[-1]:.0f} in {frame['period'].iloc[-1]}"
        if len(frame) == 1:
            return f"{what} {last_part}"
        return f"{what} {frame['ratio'].iloc[0]:.0f} in {frame['period'].iloc[0]} and {last_part}"

    parts = [span(conversion, "initial child protection conferences per 100 enquiries were"),
             span(to_plan, "plans started per 100 enquiries were")]
    say("conversion_answer",
        ("; ".join(p for p in parts if p).capitalize() + ". " if any(parts) else "")
        + (f"Enquiries count episodes, not children: in {per_child['period'].iloc[-1]} there were "
           f"{per_child['ratio'].iloc[-1]:.2f} enquiries for every child who was the subject of one."
           if len(per_child) else ""))

    fig, ax = charts.lines(published, "year", "value", "stage", size=(8, 4.8))
    source = sources_of(funnel)
    charts.finish(fig, ax, title=f"Section 47 enquiries {chapter.movement(growth)} between {base} and {last}; "
                  f"plans started {chapter.movement(plan_growth)}",
                  ylabel="Number in the year to 31 March", source=source)
    charts.publish(fig, "s47_icpc_cpp", data=funnel[["year", "stage", "value", "status", "release", "source"]],
                   source=source,
                   alt=(f"Line chart of section 47 enquiries, initial child protection conferences and child "
                        f"protection plans started in {ctx.area_name}, years to 31 March {first_year} to {last}. "
                        f"Enquiries went from {count(s47[first_year])} to {count(s47[last])}; plans started from "
                        f"{count(plans.get(first_year, np.nan))} to {count(plans.get(last, np.nan))}."))

# %% [markdown]
# ```{admonition} Breaks in these series
# :class: caution
# Figures to 2012 come from the statistical first releases' underlying data, which for England include DfE
# estimates for authorities that did not return data and are rounded to the nearest 100; from 2013 they are the
# series DfE re-derived for Explore Education Statistics. 2009-10 was the first year of the children in need census
# and DfE advises against comparing child protection plans across that break. Conferences and plans are not strictly
# a subset of the same year's enquiries: plans also start after transfer-in conferences, and an enquiry begun in
# March may lead to a conference in April. No published table follows individual enquiries to their outcome.
# ```

# %%
for claim_id in ("FH-3", "FH-4"):
    claims.show(claim_id, ctx.area, vintage=vintage, baseline_year=baseline_year)

# %% [markdown]
# ## Are 135,000 investigations a year really "without a plan", and did they treble?
#
# The review subtracted the plans started in a year from the enquiries made in it: 201,000 minus about 66,000 in
# 2019-20 gives its 135,000, and the same difference in 2009-10 gives the base for "threefold". Both steps are
# arithmetic on published totals, so they can be redone exactly; the question is what the difference means and how
# much the base year matters. {glue:md}`without_plan_answer`

# %%
gap = published.pivot_table(index="year", columns="measure", values="value")
if {"cp.section47_enquiries", "cp.cpp_starts"} <= set(gap.columns):
    gap = gap.dropna(subset=["cp.section47_enquiries", "cp.cpp_starts"])
    gap["without_plan"] = gap["cp.section47_enquiries"] - gap["cp.cpp_starts"]
    kids = ctx.upto(csc.series("cp.section47_children", area=ctx.area, vintage=vintage, boundary=ctx.boundary))
    kids = kids.dropna(subset=["value"])
    kids = kids.assign(year=kids["period"].astype(int)).set_index("year")["value"]
    gap["children_without_plan"] = (kids - gap["cp.cpp_starts"]).reindex(gap.index)
    last = int(gap.index.max())
    bases = [y for y in (2010, 2011) if y in gap.index]
    multiples = ", ".join(f"×{gap.loc[last, 'without_plan'] / gap.loc[y, 'without_plan']:.1f} on {y}"
                          for y in bases if gap.loc[y, "without_plan"] > 0)
    child_gap = gap["children_without_plan"].dropna()
    say("without_plan_answer",
        f"For {ctx.area_name} the difference was **{count(gap.loc[last, 'without_plan'])}** in {last}"
        + (f" ({multiples})" if multiples else "") + ". "
        + (f"Counting children subject to an enquiry rather than enquiries gives {count(child_gap.iloc[-1])} in "
           f"{child_gap.index[-1]}. " if len(child_gap) else "")
        + "The claim boxes below set out how the multiple depends on the base year: 2009-10 was the census's first "
        "year, when returns were least complete.")

    long = gap.reset_index().melt(id_vars="year", value_vars=["without_plan", "children_without_plan"],
                                  var_name="basis", value_name="value").dropna()
    long["basis"] = long["basis"].map({"without_plan": "Enquiries minus plans started (the review's measure)",
                                       "children_without_plan": "Children subject to an enquiry minus plans started"})
    fig, ax = charts.lines(long, "year", "value", "basis", columns=1)
    for y in bases:
        ax.axvline(y, color="#B1B4B6", linewidth=1, linestyle=":")
    source = sources_of(funnel)
    charts.finish(fig, ax, title=f"Enquiries not matched by a new plan: {count(gap.loc[last, 'without_plan'])} in "
                  f"{last}; how fast they grew depends on the base year",
                  ylabel="Number in the year to 31 March", source=source)
    charts.publish(fig, "without_plan", data=long, source=source,
                   alt=(f"Line chart of section 47 enquiries minus child protection plans started in "
                        f"{ctx.area_name}, {int(gap.index.min())} to {last}, with dotted lines at the possible base "
                        f"years. The difference was {count(gap['without_plan'].iloc[0])} in {int(gap.index.min())} "
                        f"and {count(gap.loc[last, 'without_plan'])} in {last}."))
else:
    say("without_plan_answer", f"Enquiries or plans started are not published for {ctx.area_name}, so the "
        "difference cannot be formed.")

# %%
for claim_id in ("FH-5", "FH-6", "FH-8", "FH-7"):
    claims.show(claim_id, ctx.area, vintage=vintage, baseline_year=baseline_year)

# %% [markdown]
# Ofsted's counter-figure — 84,000 children with a child-in-need plan 45 days after an enquiry began — and the
# review's own reading both rest on what happens to children *after* an enquiry, which no published table records.
# The child-level children in need census holds the dates needed (enquiry start, conference, plan and child-in-need
# episodes); an analysis of it, published as a table of enquiry outcomes by local authority and year, would settle
# the dispute.
#
# ## What are children protected from?
#
# {glue:md}`category_answer`

# %%
cats = ctx.upto(csc.by_breakdown("cp.cpp_by_category", ctx.area, vintage)).dropna(subset=["value"])
if cats.empty:
    say("category_answer", f"Plans by category of abuse are not published for {ctx.area_name} in the files held.")
else:
    cats = cats.assign(category=cats["breakdown"].str.split("=", n=1).str[1], year=cats["period"].astype(int))
    cats = cats[cats["category"] != "Not recorded"]
    latest_year = cats["year"].max()
    now = cats[cats["year"] == latest_year].sort_values("value", ascending=False)
if not cats.empty and len(now) < 2:
    say("category_answer", f"Plans by category of abuse are suppressed for {ctx.area_name} in {latest_year}.")
elif not cats.empty:
    share = now["value"] / now["value"].sum() * 100
    say("category_answer",
        f"At 31 March {latest_year}, **{now['category'].iloc[0].lower()}** was the initial category of abuse for "
        f"{share.iloc[0]:.0f}% of children on a plan in {ctx.area_name}, followed by "
        f"{now['category'].iloc[1].lower()} ({share.iloc[1]:.0f}%); physical and sexual abuse together accounted "
        f"for {share[now['category'].isin(['Physical abuse', 'Sexual abuse'])].sum():.0f}%.")
    fig, ax = charts.lines(cats, "year", "value", "category")
    source = sources_of(cats)
    charts.finish(fig, ax, title=f"{now['category'].iloc[0]} and {now['category'].iloc[1].lower()} were the initial "
                  f"category for {share.iloc[:2].sum():.0f}% of plans at 31 March {latest_year}",
                  ylabel="Children on a plan at 31 March", source=source)
    charts.publish(fig, "plans_by_category", data=cats[["year", "category", "value", "status", "release", "source"]],
                   source=source,
                   alt=(f"Line chart of children on a child protection plan at 31 March in {ctx.area_name} by "
                        f"initial category of abuse, {cats['year'].min()} to {latest_year}. In {latest_year}: "
                        + "; ".join(f"{c.lower()} {count(v)}" for c, v in zip(now["category"], now["value"])) + "."))

# %% [markdown]
# {glue:md}`factors_answer`

# %%
factors = ctx.upto(csc.by_breakdown("cin.factors_at_assessment", ctx.area, vintage)).dropna(subset=["value"])
if factors.empty:
    say("factors_answer", f"Factors identified at the end of assessment are not published for {ctx.area_name}.")
else:
    year = factors["period"].max()
    top = factors[factors["period"] == year].assign(factor=lambda f: f["breakdown"].str.split("=", n=1).str[1])
    top = top.sort_values("value", ascending=False).head(10)
if not factors.empty and len(top) < 2:
    say("factors_answer", f"Factors identified at assessment are suppressed for {ctx.area_name} in {year}.")
elif not factors.empty:
    say("factors_answer",
        f"Looking at the assessments behind those decisions, the factor social workers recorded most often in the "
        f"year to 31 March {year} was **{top['factor'].iloc[0].lower()}** ({count(top['value'].iloc[0])} "
        f"assessments), then {top['factor'].iloc[1].lower()} ({count(top['value'].iloc[1])}). An assessment can "
        f"record several factors.")
    fig, ax = plt.subplots(figsize=(8, 5.2))
    sns.barplot(data=top, y="factor", x="value", color=charts.PALETTE[0], ax=ax)
    ax.xaxis.set_major_formatter(lambda v, _: f"{v:,.0f}")
    ax.set_ylabel("")
    source = sources_of(top)
    charts.finish(fig, ax, title=f"{top['factor'].iloc[0]} and {top['factor'].iloc[1].lower()} were the factors "
                  f"most often recorded in {year}",
                  ylabel="", xlabel=f"Assessments recording the factor, year to 31 March {year}", source=source)
    ax.grid(axis="x", color="#D9D9D9", linewidth=0.8)
    ax.grid(axis="y", visible=False)
    charts.publish(fig, "factors_at_assessment", data=top[["period", "factor", "value", "release", "source"]],
                   source=source,
                   alt=(f"Bar chart of the ten factors most often identified at the end of assessment in "
                        f"{ctx.area_name}, year to 31 March {year}: "
                        + "; ".join(f"{f.lower()} {count(v)}" for f, v in zip(top["factor"], top["value"])) + "."))

# %%
claims.show("FH-13", ctx.area, vintage=vintage)

# %% [markdown]
# ## How much do enquiry and plan rates differ between places, and with deprivation?
#
# {glue:md}`place_answer`

# %%
la = derived.la_rates("cp.section47_enquiries", str(min(2025, ctx.end_year or 2025)), vintage)
idaci = csc.measure_rows("imd.idaci_average_score", vintage="latest", level="local_authority")[["area_code", "value"]]
la = la.merge(idaci.rename(columns={"value": "idaci"}), on="area_code", how="left")
england_rate = derived.per_10000("cp.section47_enquiries", "E92000001", vintage)
england_rate = ctx.upto(england_rate)["rate"].iloc[-1]
year = str(min(2025, ctx.end_year or 2025))
highlight = {ctx.area, *ctx.members} | ({c for c in la["area_code"] if csc.areas().region_of(c) == ctx.area}
                                       if ctx.level == "regional" else set())
corr = la.dropna(subset=["idaci"])[["rate", "idaci"]].corr().iloc[0, 1]
low, high = la.nsmallest(1, "rate").iloc[0], la.nlargest(1, "rate").iloc[0]
mine = la[la["area_code"].isin(highlight)] if ctx.level != "regional" else la.iloc[0:0]
say("place_answer",
    f"In the year to 31 March {year}, section 47 enquiry rates ranged from {low['rate']:.0f} per 10,000 children "
    f"({low['area_name']}) to {high['rate']:.0f} ({high['area_name']}), against {england_rate:.0f} for England"
    + ("; " + ", ".join(f"{r.area_name} had **{r.rate:.0f}**" for r in mine.itertuples()) if len(mine) else "")
    + f". Across authorities the correlation between the rate and the IDACI child-poverty score is {corr:.2f}: "
    + ("deprivation goes with more enquiries, but explains only part of the variation."
       if 0.2 <= corr < 0.7 else "a strong association." if corr >= 0.7 else "no clear association."))

la = la.sort_values("rate").reset_index(drop=True)
# Funnel-plot control limits around England's rate: Poisson 95% and 99.8% bands by child population.
pops = np.linspace(la["value_population"].min(), la["value_population"].max(), 200)
p = england_rate / 10_000
fig, axes = plt.subplots(1, 2, figsize=(9.5, 4.8), gridspec_kw={"width_ratios": [1.1, 1]})
ax = axes[0]
for z, style in ((1.96, "--"), (3.09, ":")):
    ax.plot(pops, (p + z * np.sqrt(p / pops)) * 10_000, color="#505A5F", linestyle=style, linewidth=1)
    ax.plot(pops, np.clip(p - z * np.sqrt(p / pops), 0, None) * 10_000, color="#505A5F", linestyle=style,
            linewidth=1, label=f"{'95' if z < 2 else '99.8'}% control limits")
ax.axhline(england_rate, color=charts.PALETTE[3], linewidth=1.2, label="England")
colours = np.where(la["area_code"].isin(highlight), charts.PALETTE[2], charts.PALETTE[0])
ax.scatter(la["value_population"], la["rate"], s=14, c=colours, alpha=0.8)
ax.set_xscale("log")
ax.xaxis.set_major_formatter(lambda v, _: f"{v:,.0f}")
ax.set_xlabel("Children aged 0 to 17 (log scale)")
ax.set_ylabel("Enquiries per 10,000 children")
handles, labels = ax.get_legend_handles_labels()
ax.legend(handles[1::2] + handles[-1:], labels[1::2] + labels[-1:], loc="upper right", fontsize=8)
ax2 = axes[1]
with_idaci = la.dropna(subset=["idaci"])
ax2.scatter(with_idaci["idaci"], with_idaci["rate"], s=14,
            c=np.where(with_idaci["area_code"].isin(highlight), charts.PALETTE[2], charts.PALETTE[0]), alpha=0.8)
ax2.set_xlabel("IDACI 2019 average score (higher = more deprived)")
ax2.set_ylabel("")
ax2.grid(axis="y", color="#D9D9D9", linewidth=0.8)
source = csc.cite(list(la.get("source", pd.Series(dtype=str))) or
                  csc.measure_rows("cp.section47_enquiries", vintage=vintage, level="local_authority")
                  .query("period == @year")["source"].unique().tolist()
                  + csc.measure_rows("pop.children_0_17", level="local_authority")["source"].unique().tolist()
                  + csc.measure_rows("imd.idaci_average_score", level="local_authority")["source"].unique().tolist())
outside = (np.abs(la["rate"] / 10_000 - p) > 3.09 * np.sqrt(p / la["value_population"])).sum()
charts.finish(fig, ax, title=f"Enquiry rates vary {high['rate'] / low['rate']:.0f}-fold between authorities; {outside} "
              f"of {len(la)} lie outside the 99.8% limits around England", ylabel="Enquiries per 10,000 children",
              xlabel="Children aged 0 to 17 (log scale)", source=source)
charts.publish(fig, "s47_rates_by_la",
               data=la[["area_code", "area_name", "value", "value_population", "rate", "idaci"]]
               .rename(columns={"value": "section47_enquiries", "value_population": "children_0_17",
                                "rate": "enquiries_per_10000"}),
               source=source,
               alt=(f"Two scatter plots of section 47 enquiry rates per 10,000 children for {len(la)} local "
                    f"authorities, year to 31 March {year}. Left: a funnel plot against child population with "
                    f"control limits around England's rate of {england_rate:.0f}; {outside} authorities lie outside the "
                    f"99.8% limits. "
                    f"Right: rates against IDACI deprivation scores, correlation {corr:.2f}."
                    + (f" {ctx.area_name} is highlighted." if ctx.level != "national" else "")))

# %% [markdown]
# ```{admonition} Reading the deprivation comparison
# :class: caution
# This compares local authorities, not families. An authority-level correlation says nothing directly about whether
# a child in a poorer neighbourhood is more likely to be on a plan (the ecological fallacy); the review's "ten times"
# figure compares neighbourhoods, which needs child-level data with home postcodes. IDACI here is the 2019 index,
# aggregated from districts to upper-tier authorities weighted by the number of children (see the data appendix).
# ```

# %%
for claim_id in ("FH-9", "FH-14"):
    claims.show(claim_id, ctx.area)

# %% [markdown]
# {glue:md}`ethnicity_answer`

# %%
try:
    eth = ctx.upto(csc.by_breakdown("cin.children_in_need_by_ethnicity_percent", ctx.area, vintage))
    eth = eth.dropna(subset=["value"])
except csc.query.UsageError:  # percentages published separately for merged councils cannot be combined
    eth = pd.DataFrame(columns=["breakdown", "period", "value"])
MAJOR = ["White", "Mixed", "Asian or Asian British", "Black or Black British", "Other ethnic group"]
if eth.empty:
    say("ethnicity_answer", f"Children in need by ethnicity are not published for {ctx.area_name} in the files held.")
else:
    eth = eth.assign(group=eth["breakdown"].str.split("=", n=1).str[1])
    year = eth["period"].max()
    now = eth[(eth["period"] == year) & eth["group"].apply(lambda g: any(g.startswith(m) for m in MAJOR))]
    table = now[["group", "value"]].rename(columns={"group": "Ethnic group", "value": "Share of children in need (%)"})
    say("ethnicity_answer",
        f"What the files do show is the ethnic make-up of children in need at 31 March {year}, among those whose "
        f"ethnicity is known; without the child population by ethnicity it cannot be turned into rates.")
    charts.table(table, f"Children in need at 31 March {year} by ethnic group, {ctx.area_name} (% of known)")

# %% [markdown]
# ## Is money moving from prevention to crisis?
#
# {glue:md}`money_answer`

# %%
spend_rows = ctx.upto(csc.by_breakdown("spend.cyps_by_class", ctx.area, vintage)).dropna(subset=["value"])
if spend_rows.empty:
    say("money_answer", f"Spending by service line is not published for {ctx.area_name} in the files held.")
else:
    spend = spend_rows.assign(group=spend_rows["breakdown"].str.split("=", n=1).str[1])
    base_price = max(derived.deflators())
    spend = spend.assign(real=[derived.at_prices(v, p, base_price) for v, p in zip(spend["value"], spend["period"])])
    spend = spend.dropna(subset=["real"]).assign(real=lambda f: f["real"] / 1e9)
    wide = spend.pivot_table(index="period", columns="group", values="real")
    groups = list(wide.columns)
    years = list(wide.index)
    start = spending_baseline if spending_baseline in years else years[0]
    end = "2019-20" if "2019-20" in years else years[-1]
    changes = {g: chapter.change(wide.loc[end, g], wide.loc[start, g]) for g in groups
               if pd.notna(wide.loc[start, g]) and pd.notna(wide.loc[end, g])}
    spend["group"] = spend["group"].map(chapter.pretty)
    changes = {chapter.pretty(g): v for g, v in changes.items()}
    prevent, statutory = changes.get("Non-statutory"), changes.get("Statutory")
    headline = (f"In real terms (HM Treasury GDP deflator, {base_price} prices), spending on non-statutory services "
                f"in {ctx.area_name} {chapter.movement(prevent)} between {start} and {end}, while statutory "
                f"spending {chapter.movement(statutory)}. " if prevent is not None and statutory is not None else "")
    say("money_answer", headline
        + "The other splits tell the same story to different degrees: "
        + "; ".join(f"{g.lower()} {v:+.0f}%" for g, v in changes.items() if g not in ("Non-statutory", "Statutory"))
        + ". Spending by class comes from the section 251 return, whose lines were redefined in 2011-12 and "
        "renumbered in 2016-17; those breaks are marked on the chart.")
    fig, ax = charts.lines(spend.sort_values("period"), "period", "real", "group", columns=2)
    for brk in ("2011-12", "2016-17"):
        if brk in years:
            ax.axvline(years.index(brk), color="#B1B4B6", linewidth=1, linestyle=":")
    ax.axvspan(years.index(start) - 0.2, years.index(start) + 0.2, color="#F3F2F1")
    ax.tick_params(axis="x", rotation=45)
    ax.set_ylim(bottom=0)
    ax.legend(title=None, loc="upper center", bbox_to_anchor=(0.5, -0.22), ncol=2, fontsize=9)
    source = sources_of(spend_rows) + "; HM Treasury, GDP deflators (March 2026)"
    charts.finish(fig, ax, title=(f"Non-statutory spending {chapter.movement(prevent)} from {start} to {end}; "
                                  f"statutory spending {chapter.movement(statutory)}")
                  if prevent is not None and statutory is not None else "Real-terms spending by class of service",
                  ylabel=f"£ billion, {base_price} prices", source=source)
    charts.publish(fig, "spending_by_class", data=spend[["period", "group", "value", "real", "release", "source"]],
                   source=source,
                   alt=(f"Line chart of children's and young people's services spending in {ctx.area_name} by class "
                        f"of service, {years[0]} to {years[-1]}, in £ billion at {base_price} prices. From {start} to "
                        f"{end}: " + "; ".join(f"{g.lower()} {v:+.0f}%" for g, v in changes.items()) + "."))

# %%
claims.show("FH-10", ctx.area, vintage=vintage, spending_baseline=spending_baseline)

# %% [markdown]
# ## How many children ever need a social worker?
#
# The review's two reach figures — one child in ten needing a social worker over six years, and a quarter of
# children before their sixteenth birthday — count distinct children across years. Published tables count children
# or episodes within each year, so neither can be rebuilt from them.

# %%
for claim_id in ("FH-11", "FH-12"):
    claims.show(claim_id, ctx.area)
