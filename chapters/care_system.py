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
# # The care system: who comes into care, where they live, and how they leave
#
# The review calls the care system "a 30-year-old tower of Jenga held together with Sellotape" (its words): more
# children in care for longer, too few stable homes, kinship care under-used, teenagers placed far from home, and a
# cliff edge at 18. Even the basic trend is argued about. This chapter counts who is in care and why the number
# rose, where children live, how they leave, and how care leavers fare, from DfE's children looked after
# statistics (the SSDA903 return).
#
# Figures are for **{glue:md}`area_name`**, using the {glue:md}`vintage_phrase`.{glue:md}`comparison_phrase`
# Every claim box judges the review's claim twice: with the data the review had (figures as first published, to
# 2019-20) and with the latest data held.
#
# {glue:md}`coverage_note`

# %% tags=["parameters"]
area = "E92000001"          # England; any region or LA by GSS code, DfE 3-digit code or exact name
vintage = "latest"          # "latest" (newest release of each year) or "first" (as first published)
baseline_year = 2010        # year (31 March) the comparisons start from: 2010 (the review's) or 2011
end_year = None             # last year to show; None for the latest held

# %%
import matplotlib.pyplot as plt

from csc import chapter, charts, claims, funnel
from csc.analysis import care_system as cs

ctx = chapter.validate(area=area, vintage=vintage, baseline_year=baseline_year, end_year=end_year)
charts.style()
chapter.introduce(ctx)
sections = cs.sections(ctx, baseline_year=int(baseline_year))
for section in sections.values():
    chapter.say_all(section)


def claim_boxes(*ids):
    for claim_id in ids:
        claims.show(claim_id, ctx.area)


# %% [markdown]
# ## How many children are in care, and why did the number rise?
#
# {glue:md}`numbers_answer`
#
# {glue:md}`numbers_flows`
#
# {glue:md}`numbers_doubled`
#
# {glue:md}`numbers_uasc`

# %%
numbers = sections["children in care"]
if numbers.chart:
    charts.trend(numbers, "year", "children", "stage", columns=2)
if numbers.figures.get("revisions") is not None:
    charts.table(numbers.figures["revisions"], f"The same years in each release held, {ctx.area_name}")
claim_boxes("CS-1", "CS-2", "CS-3", "CS-4", "CS-15")

# %% [markdown]
# ```{admonition} Revisions, vintages and the 2020 release
# :class: caution
# DfE revises each year's figures in later releases as local authorities correct their returns, and re-bases rates
# per 10,000 on new ONS population estimates, so the same year can carry different numbers in different releases
# (the table above shows them). The 2020 release itself is not among the files held: 2020 "as first published" comes
# from headline figures collected by hand from DfE's 2020 release page where the build holds that file (it has no
# public copy, so a build made without the project's data mirror lacks it), and otherwise from the 2021 release, the
# earliest file holding 2020. National figures are rounded to the nearest 10 (2010 to the nearest 100).
# The number in care divided by the number leaving is a steady-state guide to the average stay, not a measured
# duration.
# ```
#
# ## Who comes into care?
#
# {glue:md}`who_answer`
#
# {glue:md}`who_need`
#
# {glue:md}`who_legal`
#
# {glue:md}`who_entry`

# %%
who = sections["who comes into care"]
if who.chart:
    charts.trend(who, "year", "percent_of_children_looked_after", "group", columns=2)
entry = sections["age on starting"]
if entry.chart:
    charts.trend(entry, "year", "percent_of_children_starting_care", "group", columns=2)
claim_boxes("CS-5", "CS-16")

# %% [markdown]
# ## Where do children in care live?
#
# {glue:md}`where_answer`
#
# {glue:md}`where_distance`
#
# {glue:md}`where_stability`
#
# {glue:md}`where_moves`
#
# {glue:md}`where_new`
#
# {glue:md}`where_missing`

# %%
where = sections["where children live"]
if where.chart:
    charts.trend(where, "year", "percent_of_children_looked_after", "placement", columns=2, size=(8, 5.2),
                 marks=where.figures["marks"])
moves = sections["new placements"]
if moves.chart:
    charts.trend(moves, "year", "percent_of_new_placements", "location", columns=2)
claim_boxes("CS-6", "CS-7", "CS-8", "CS-9", "CS-10")

# %% [markdown]
# ```{admonition} Breaks in the placement categories
# :class: caution
# Until the 2023 release DfE grouped secure units, children's homes and semi-independent living in one category.
# The 2024 release split it, for 2020 onwards, into secure and children's homes and independent, semi-independent or
# supported accommodation; from October 2023 supported accommodation for 16 and 17 year olds is regulated by Ofsted,
# and "semi-independent" is no longer used. The old and new categories are drawn as separate lines and the dotted
# line marks the first year of the new ones. Foster care with a relative or friend is the sum of placements inside
# and outside the council boundary (national from 2018; for authorities only 2010 is held).
# ```
#
# ## How do children leave care?
#
# {glue:md}`leaving_answer`
#
# {glue:md}`leaving_reasons`
#
# {glue:md}`leaving_timing`

# %%
leaving = sections["leaving care"]
if leaving.chart:
    charts.trend(leaving, "year", "children", "route", columns=2)
claim_boxes("CS-11")

# %% [markdown]
# ## What happens after care?
#
# {glue:md}`after_answer`
#
# {glue:md}`after_staying_put`
#
# {glue:md}`after_older`
#
# {glue:md}`after_comparator`

# %%
after = sections["after care"]
if after.chart:
    charts.trend(after, "year", "percent_of_care_leavers_19_21", "activity", columns=2)
staying = sections["staying put"]
if staying.chart:
    charts.trend(staying, "year", "percent_staying_with_former_foster_carers", "age", columns=2)
claim_boxes("CS-12", "CS-13", "CS-14")

# %% [markdown]
# ```{admonition} What care-leaver activity measures
# :class: caution
# Activity and accommodation are recorded around the young person's birthday, only for care leavers the authority is
# in touch with; "information not known" is shown separately and is not counted as NEET. The age bands (17 to 18,
# 19 to 21, 22 to 25) match no published figure for all young people, so no peer gap is computed. Care leavers aged
# 22 to 25 are counted from the year to 31 March 2023; many are no longer in touch with their authority, and they are
# counted apart. Staying put counts young people who turned 18 in foster care and were eligible for care leavers'
# support; it has no counterpart among young people who were never in care.
# ```
#
# ## How much do places differ?
#
# {glue:md}`variation_answer`
#
# {glue:md}`variation_spread`

# %%
place = sections["variation between places"]
fig, (left, right) = plt.subplots(1, 2, figsize=(9.5, 5.2), gridspec_kw={"width_ratios": [1.1, 1]})
funnel.draw(left, place.figures["limits"], xlabel=place.chart.xlabel, ylabel=place.chart.ylabel,
            highlight=place.figures["highlight"] if not ctx.is_england else (), highlight_label=ctx.area_name)
right.scatter(place.data["idaci_2019_average_score"], place.data["looked_after_per_10000"], s=14,
              color=charts.PALETTE[0], alpha=0.8)
right.set_xlabel("IDACI 2019 average score (higher = more deprived)")
right.set_ylabel(place.chart.ylabel)
right.grid(axis="y", color="#D9D9D9", linewidth=0.8)
charts.finish(fig, left, title=place.chart.title, ylabel=place.chart.ylabel, xlabel=place.chart.xlabel,
              source=place.chart.source)
charts.publish(fig, place.chart.name, alt=place.chart.alt, data=place.data, source=place.chart.source)

# %% [markdown]
# ```{admonition} Reading the comparison between authorities
# :class: caution
# This compares local authorities, not families: an authority-level correlation with deprivation says nothing
# directly about an individual child's chances (the ecological fallacy). Rates are children looked after at 31 March
# per 10,000 children aged 0 to 17 (ONS mid-year estimate of the year before), computed the way DfE computes them.
# The funnel's limits widen for over-dispersion: authorities differ in need, thresholds and practice far more than
# chance would make them, and plain Poisson limits would put most authorities "outside".
# ```
