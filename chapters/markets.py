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
# # Markets: is the placement market broken?
#
# The review says the market for children's placements is broken: private providers run most children's homes,
# prices and profits are high, homes are in the wrong places, and councils are weak buyers. The Competition and
# Markets Authority's market study (interim report October 2021, final report March 2022) asked the same question.
# This chapter sets out what Ofsted's registers, DfE's placement tables and councils' spending returns show, and
# where the evidence rests on figures that are not official statistics.
#
# Figures are for **{glue:md}`area_name`**, using the {glue:md}`vintage_phrase`.{glue:md}`comparison_phrase`
# Every claim box judges the review's claim twice: with the data the review had (Ofsted's lists to 31 March 2020,
# spending to 2019-20) and with the latest data held.
#
# {glue:md}`coverage_note`

# %% tags=["parameters"]
area = "E92000001"          # England; any region or LA by GSS code, DfE 3-digit code or exact name
vintage = "latest"          # "latest" (newest release of each year) or "first" (as first published)
end_year = None             # last year to show; None for the latest held

# %%
import matplotlib.pyplot as plt
import seaborn as sns

from csc import chapter, charts, claims
from csc.analysis import markets as mk

ctx = chapter.validate(area=area, vintage=vintage, end_year=end_year)
charts.style()
chapter.introduce(ctx)
sections = mk.sections(ctx)
for section in sections.values():
    chapter.say_all(section)


def claim_boxes(*ids):
    for claim_id in ids:
        claims.show(claim_id, ctx.area)


# %% [markdown]
# ## Who provides children's homes?
#
# {glue:md}`providers_answer`
#
# {glue:md}`providers_totals`

# %%
if sections["who provides"].chart:
    charts.trend(sections["who provides"], "year", "private_share_percent", "measure")

# %% [markdown]
# ```{admonition} Where a home is, not whose children it cares for
# :class: caution
# Ofsted registers each home in the local authority where it stands. A council's homes may care for children from
# anywhere, and its own children may live in homes far away, so an area's count measures local supply, not use.
# Private providers include companies owned by private equity; "voluntary" homes are run by charities.
# ```

# %%
claim_boxes("MK-1")

# %% [markdown]
# ## Who owns them?
#
# {glue:md}`owners_answer`

# %%
if sections["who owns"].chart:
    charts.trend(sections["who owns"], "year", "share_of_private_places_percent", "owners")

# %% [markdown]
# ## Are the homes where the children are?
#
# {glue:md}`where_answer`

# %%
where = sections["where"]
shown = where.data.sort_values(["homes_share_percent", "measure"], ascending=[False, True])
fig, ax = plt.subplots(figsize=(8, 5.2))
sns.barplot(data=shown, y="region", x="share_of_england_percent", hue="measure", palette=charts.PALETTE[:2], ax=ax)
ax.legend(title=None, loc="upper center", bbox_to_anchor=(0.4, -0.14), ncol=1, fontsize=9)
charts.finish(fig, ax, title=where.chart.title, ylabel="", xlabel=where.chart.xlabel, source=where.chart.source)
ax.grid(axis="x", color="#D9D9D9", linewidth=0.8)
ax.grid(axis="y", visible=False)
charts.publish(fig, where.chart.name, alt=where.chart.alt, data=where.data, source=where.chart.source)
claim_boxes("MK-6")

# %% [markdown]
# ## Who fosters?
#
# {glue:md}`fostering_answer`

# %%
if sections["fostering"].chart:
    charts.trend(sections["fostering"], "year", "share_percent", "measure", columns=1)
claim_boxes("MK-2")

# %% [markdown]
# ```{admonition} Two measures of the independent share
# :class: caution
# Ofsted counts children placed with independent fostering agencies (to 2018 by sector); DfE counts children looked
# after whose placement provider is private or voluntary. An agency's carers can look after children placed by
# several councils, and DfE's "other placements" line grew in 2023 and 2024 as more records lacked a provider, so the
# two measures are not the same quantity.
# ```
#
# ## What do councils pay?
#
# {glue:md}`money_answer`

# %%
money = sections["what councils pay"]
if money.chart:
    charts.trend(money, "period", money.data.columns[3], "line",
                 marks=[b for b in ("2011-12", "2016-17") if b in set(money.data["period"])])
claim_boxes("MK-5", "MK-3")

# %% [markdown]
# ```{admonition} Figures that are not official statistics
# :class: caution
# The CMA's prices and margins come from its own analysis of the largest providers' data in England, Scotland and
# Wales, and were published in October 2021, after the review. Ofsted's grouping of homes by ultimate owner and the
# LGA-commissioned shares are quoted from web pages. None of these is an official statistic; the table lists them
# with who published each and when, where this build holds them.
# ```
#
# {glue:md}`published_figures`

# %%
published = sections["published figures"]
if len(published.data):
    charts.table(published.data, published.figures["caption"])
claim_boxes("MK-4")

# %% [markdown]
# ## What can public data say about risk?
#
# {glue:md}`risk_answer`

# %%
claim_boxes("MK-7")
