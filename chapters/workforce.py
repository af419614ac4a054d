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
# # The workforce
#
# The review calls social workers the system's "greatest asset", and then says they are misused: that one in three
# in children's services does not work directly with children and families, that frontline staff spend less than a
# third of their time with families, that about 15% are agency workers, and that turnover means children keep
# changing social worker. The sector answered that the review was "overly critical of local authorities and social
# workers". Each of those statements rests on a different kind of number; this chapter says which can be recomputed
# from DfE's children's social work workforce census, what each can and cannot show, and how the figures were
# revised between releases.
#
# Figures are for **{glue:md}`area_name`**, using the {glue:md}`vintage_phrase`.{glue:md}`comparison_phrase`
# The census is a snapshot at 30 September (flows such as leavers are over the year to that date), so "2020" here
# is 30 September 2020, six months after the children in need "2020". Every claim box judges the review's claim
# twice: with the data the review had (the census to September 2020, in the earliest release held) and with the
# latest data held.
#
# {glue:md}`coverage_note`

# %% tags=["parameters"]
area = "E92000001"          # England; any region or LA by GSS code, DfE 3-digit code or exact name
vintage = "latest"          # "latest" (newest release of each year) or "first" (earliest release held)
end_year = None             # last 30 September to show (the census starts in 2017); None for the latest held

# %%
import matplotlib.pyplot as plt

from csc import chapter, charts, claims
from csc.analysis import workforce as wf

ctx = chapter.validate(area=area, vintage=vintage, end_year=end_year)
charts.style()
chapter.introduce(ctx)
sections = wf.sections(ctx)
for section in sections.values():
    chapter.say_all(section)


def claim_boxes(*ids):
    for claim_id in ids:
        claims.show(claim_id, ctx.area)


# %% [markdown]
# ## How big is the workforce, and is it growing?
#
# {glue:md}`size_answer` {glue:md}`size_per_child`

# %%
if sections["size"].chart:
    charts.trend(sections["size"], "year", "social_workers", "series")

# %% [markdown]
# ## Who holds cases, and do one in three not work directly with families?
#
# {glue:md}`roles_answer`
#
# {glue:md}`roles_fte_way`

# %%
if sections["who holds cases"].chart:
    charts.trend(sections["who holds cases"], "year", "share_of_known_headcount_percent", "role")

# %% [markdown]
# ```{admonition} What the role table is, and what the FTE table would change
# :class: caution
# The only split by role among the files held is DfE's table of social workers **with known ethnicity** by role, a
# headcount at 30 September 2019 to 2022. Workers whose ethnicity is not recorded are left out of every cell, and
# a part-time worker counts as one. The review's shares come from DfE's table of full-time equivalents by role, which
# is public but not among the files held. That table would put the shares on the review's own basis (every social
# worker, weighted by hours), extend them past 2022, and move them wherever part-time work is more common in some
# roles than others; it would not settle what the role says about time with families. The two "case holder"
# measures are never mixed here: the *role* "case holder" is one job title among six; *FTE holding cases* counts
# anyone, in any role, with at least one case. DfE notes that cases can be held in any role, and first-line managers
# often chair meetings with families.
# ```

# %%
claim_boxes("WF-2", "WF-6")

# %% [markdown]
# ## How much agency work, turnover, vacancy and absence is there?
#
# {glue:md}`stability_answer`
#
# {glue:md}`stability_spread`

# %%
if sections["stability"].chart:
    charts.trend(sections["stability"], "year", "percent", "rate")

# %% [markdown]
# {glue:md}`associations_answer`

# %%
pairs = sections["associations"]
fig, axes = plt.subplots(1, 3, figsize=(9.5, 4.4), sharex=True)
for ax, (column, label) in zip(axes, [("turnover_rate_fte_percent", "Turnover rate (% of FTE)"),
                                      ("vacancy_rate_percent", "Vacancy rate (% of posts)"),
                                      ("cases_per_case_holding_fte", "Cases per case-holding FTE")]):
    ax.scatter(pairs.data["agency_rate_percent"], pairs.data[column], s=12, color=charts.PALETTE[0], alpha=0.7,
               label="Local authority")
    mine = pairs.data[pairs.data["area_code"].isin(pairs.figures["highlight"])]
    if len(mine):
        ax.scatter(mine["agency_rate_percent"], mine[column], s=40, color=charts.PALETTE[3], label=ctx.area_name)
    ax.set_ylabel(label)
    ax.set_ylim(bottom=0)
    ax.grid(axis="y", color="#D9D9D9", linewidth=0.8)
charts.finish(fig, axes[1], title="", ylabel="Vacancy rate (% of posts)", xlabel=pairs.chart.xlabel,
              source=pairs.chart.source)
fig.suptitle(pairs.chart.title, x=0.01, ha="left", fontsize=12, fontweight="bold")
if len(mine):
    axes[0].legend(loc="best", fontsize=8)
fig.tight_layout(rect=(0, 0.05, 1, 1))
charts.publish(fig, pairs.chart.name, alt=pairs.chart.alt, data=pairs.data, source=pairs.chart.source)

# %% [markdown]
# ```{admonition} Reading these rates
# :class: caution
# The agency rate is agency FTE over agency plus employed FTE at 30 September; each authority counts the agency
# workers it uses, without de-duplication across authorities. Turnover counts every leaver from an authority in the
# year, including moves to another authority or into agency work, so it is not the rate at which people leave social
# work. No published table follows a child's changes of social worker. The scatter plots compare authorities in one
# year: an association between authorities is not evidence that one thing causes another.
# ```

# %%
claim_boxes("WF-3", "WF-4")

# %% [markdown]
# ## How many cases does each social worker hold?
#
# {glue:md}`caseload_answer`

# %%
if sections["caseloads"].chart:
    charts.trend(sections["caseloads"], "year", "cases_per_case_holding_fte", "area")
claim_boxes("WF-5")

# %% [markdown]
# ## How much time do social workers spend with families?
#
# No official statistic measures it. The census counts posts, people, cases, leavers and days lost to sickness, but
# not how working hours are spent. The review's "less than a third" comes from survey research in which social
# workers reported their own hours, and on time-logging studies; these are evidence, but not official statistics,
# and self-reported time use is sensitive to how "direct work" is defined (whether travel, recording and meetings
# about a family count). An official measure would need a representative sample of
# frontline social workers keeping time-use diaries on a fixed definition of direct work, repeated so change can be
# seen, or a time-use question added to the census.

# %%
claim_boxes("WF-1")

# %% [markdown]
# ## Why do two reports quote different turnover for the same year?
#
# {glue:md}`revisions_answer`

# %%
revisions = sections["revisions"]
if revisions.chart:
    charts.trend(revisions, "year", "turnover_headcount_percent", "release")
if len(revisions.figures["withdrawn"]):
    charts.table(revisions.figures["withdrawn"], f"Figures published and later withdrawn, {ctx.area_name}")

# %% [markdown]
# ```{admonition} Which release this book uses
# :class: note
# Each release of the census re-publishes every year from 2017 and can revise it. With the latest data, each year
# is read from the newest release holding it; with the data the review had, from the earliest release held (the 2022
# release for years to 2022, whose figures match those first published where checked). The charts above name the
# releases they draw on.
# ```
