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
# Every claim box judges the review's claim twice: with the data the review had (figures as first published, to
# 2019-20) and with the latest data held.
#
# {glue:md}`coverage_note`

# %% tags=["parameters"]
area = "E92000001"          # England; any region or LA by GSS code, DfE 3-digit code or exact name
vintage = "latest"          # "latest" (newest release of each year) or "first" (as first published)
baseline_year = 2010        # year to 31 March the decade comparisons start from: 2010 (the review's) or 2011
spending_baseline = "2012-13"  # financial year the spending comparison starts from: "2012-13" (review) or "2010-11"
end_year = None             # last year to show; None for the latest held

# %%
import matplotlib.pyplot as plt
import seaborn as sns

from csc import chapter, charts, claims, funnel
from csc.analysis import family_help as fh

ctx = chapter.validate(area=area, vintage=vintage, baseline_year=baseline_year, end_year=end_year,
                       spending_baseline=spending_baseline)
charts.style()
chapter.introduce(ctx)
sections = fh.sections(ctx, baseline_year=int(baseline_year), spending_baseline=spending_baseline)
for section in sections.values():
    chapter.say_all(section)


def claim_boxes(*ids, **choices):
    for claim_id in ids:
        claims.show(claim_id, ctx.area, baseline_year=int(baseline_year), **choices)


# %% [markdown]
# ## How many children come through the front door, and how has that changed?
#
# {glue:md}`front_door_answer`
#
# {glue:md}`front_door_rates`

# %%
if sections["the front door"].chart:
    charts.trend(sections["the front door"], "year", "count", "stage")
claim_boxes("FH-1", "FH-2")

# %% [markdown]
# ## How many investigations, conferences and plans are there, and how fast have they grown?
#
# {glue:md}`funnel_answer`
#
# {glue:md}`conversion_answer`

# %%
if sections["investigations"].chart:
    charts.trend(sections["investigations"], "year", "count", "stage", columns=3, size=(8, 4.8))

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
claim_boxes("FH-3", "FH-4")

# %% [markdown]
# ## Are 135,000 investigations a year really "without a plan", and did they treble?
#
# {glue:md}`without_plan_method` Both steps are arithmetic on published totals, so they can be redone exactly; the
# question is what the difference means and how much the base year matters. {glue:md}`without_plan_answer`

# %%
gap = sections["without a plan"]
if gap.chart:
    charts.trend(gap, "year", "count", "basis", columns=1, marks=gap.figures["bases"],
                 marks_label="Possible base years of the review's comparison")
claim_boxes("FH-5", "FH-6", "FH-8", "FH-7")

# %% [markdown]
# Ofsted's counter-figure (its own analysis: 84,000 children with a child-in-need plan 45 days after an enquiry
# began) and the review's reading both rest on what happens to children *after* an enquiry, which no published table
# records. The child-level children in need census holds the dates needed (enquiry start, conference, plan and
# child-in-need episodes); a table of enquiry outcomes by local authority and year, published from it, would settle
# the dispute.
#
# ## What are children protected from?
#
# {glue:md}`category_answer`

# %%
if sections["categories of abuse"].chart:
    charts.trend(sections["categories of abuse"], "year", "children", "category", columns=3)

# %% [markdown]
# {glue:md}`factors_answer`

# %%
factors = sections["factors at assessment"]
if factors.chart:
    fig, ax = plt.subplots(figsize=(8, 5.2))
    sns.barplot(data=factors.data, y="factor", x="assessments", color=charts.PALETTE[0], ax=ax)
    ax.xaxis.set_major_locator(plt.MaxNLocator(5))
    ax.xaxis.set_major_formatter(lambda v, _: f"{v:,.0f}")
    charts.finish(fig, ax, title=factors.chart.title, ylabel="", xlabel=factors.chart.xlabel,
                  source=factors.chart.source)
    ax.grid(axis="x", color="#D9D9D9", linewidth=0.8)
    ax.grid(axis="y", visible=False)
    charts.publish(fig, factors.chart.name, alt=factors.chart.alt, data=factors.data, source=factors.chart.source)
claim_boxes("FH-13")

# %% [markdown]
# ## How much do enquiry rates differ between places, and with deprivation?
#
# {glue:md}`place_answer`

# %%
place = sections["place"]
fig, (left, right) = plt.subplots(1, 2, figsize=(9.5, 5.2), gridspec_kw={"width_ratios": [1.1, 1]})
funnel.draw(left, place.figures["limits"], xlabel=place.chart.xlabel, ylabel=place.chart.ylabel,
            highlight=place.figures["highlight"] if not ctx.is_england else (), highlight_label=ctx.area_name)
mine = place.data["area_code"].isin(place.figures["highlight"]) & (not ctx.is_england)
right.scatter(place.data.loc[~mine, "idaci_2019_average_score"], place.data.loc[~mine, "enquiries_per_10000"], s=14,
              color=charts.PALETTE[0], alpha=0.8)
right.scatter(place.data.loc[mine, "idaci_2019_average_score"], place.data.loc[mine, "enquiries_per_10000"], s=40,
              color=charts.PALETTE[2], edgecolor="black", zorder=3)
right.set_xlabel("IDACI 2019 average score (higher = more deprived)")
right.set_ylabel(place.chart.ylabel)
right.grid(axis="y", color="#D9D9D9", linewidth=0.8)
charts.finish(fig, left, title=place.chart.title, ylabel=place.chart.ylabel, xlabel=place.chart.xlabel,
              source=place.chart.source)
charts.publish(fig, place.chart.name, alt=place.chart.alt, data=place.data, source=place.chart.source)

# %% [markdown]
# ```{admonition} Reading the deprivation comparison
# :class: caution
# This compares local authorities, not families. An authority-level correlation says nothing directly about whether
# a child in a poorer neighbourhood is more likely to be on a plan (the ecological fallacy); the review's "ten times"
# figure compares neighbourhoods, which needs child-level data with home postcodes. IDACI here is the 2019 index,
# aggregated from districts to upper-tier authorities weighted by the number of children (see the data appendix).
# The funnel's limits widen for over-dispersion: authorities differ in need, thresholds and recording far more than
# chance would make them, and plain Poisson limits would put almost every authority "outside".
# ```

# %%
claim_boxes("FH-9", "FH-14")

# %% [markdown]
# {glue:md}`ethnicity_answer`

# %%
ethnicity = sections["ethnicity"]
if ethnicity.data is not None:
    charts.table(ethnicity.data, ethnicity.figures["caption"])

# %% [markdown]
# ## Is money moving from prevention to crisis?
#
# {glue:md}`money_answer`

# %%
money = sections["spending"]
if money.chart:
    charts.trend(money, "period", money.data.columns[3], "group", marks=money.figures["breaks"],
                 marks_label="Section 251 lines redefined (2011-12) and renumbered (2016-17)")
claim_boxes("FH-10", spending_baseline=spending_baseline)

# %% [markdown]
# ## How many children ever need a social worker?
#
# The review's two reach figures — one child in ten needing a social worker over six years, and a quarter of
# children before their sixteenth birthday — count distinct children across years. Published tables count children
# or episodes within each year, so neither can be rebuilt from them.

# %%
claim_boxes("FH-11", "FH-12")
