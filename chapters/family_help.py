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
# The review's central argument is that England investigates families too readily and helps them too little.
# This chapter starts where that argument starts: how many child protection enquiries, conferences and plans
# there are, and how that has changed since the children in need census began in 2009-10.
#
# Figures are for {glue:md}`area_name`, from the {glue:md}`vintage_phrase`.

# %% tags=["parameters"]
area = "E92000001"        # England; any region or LA by GSS code, DfE 3-digit code or exact name
vintage = "latest"        # "latest" (newest release of each year) or "first" (as first published)
baseline_year = 2010      # year to 31 March the review's decade comparisons start from

# %%
import pandas as pd
import seaborn as sns
import matplotlib.pyplot as plt

import csc
from csc import chapter, charts
from csc.chapter import say, count

ctx = chapter.validate(area=area, vintage=vintage, baseline_year=baseline_year)
charts.style()
say("area_name", ctx.area_name)
say("vintage_phrase", "newest release of each year" if vintage == "latest"
    else "figures as first published (what the review saw in 2021)")

# %% [markdown]
# ## How many investigations, conferences and plans are there, and how fast have they grown?
#
# {glue:md}`funnel_answer`

# %%
FUNNEL = {
    "cp.section47_enquiries": "Section 47 enquiries",
    "cp.icpcs": "Initial child protection conferences",
    "cp.cpp_starts": "Child protection plans started",
}
frames = []
for measure, label in FUNNEL.items():
    s = csc.series(measure, area=ctx.area, vintage=vintage)
    frames.append(s.assign(stage=label, measure=measure))
funnel = pd.concat(frames, ignore_index=True)
funnel["year"] = funnel["period"].astype(int)
published = funnel.dropna(subset=["value"])

if published.empty:
    say("funnel_answer", f"These figures are not published for {ctx.area_name}: every year is suppressed or "
        "not applicable in the files held.")
else:
    s47 = published[published["measure"] == "cp.section47_enquiries"].set_index("year")["value"]
    plans = published[published["measure"] == "cp.cpp_starts"].set_index("year")["value"]
    last, first_year = int(s47.index.max()), int(s47.index.min())
    base = baseline_year if baseline_year in s47.index else first_year
    growth = chapter.change(s47[last], s47[base])
    say("s47_latest", count(s47[last]))
    say("funnel_answer",
        f"In the year to 31 March {last}, {ctx.area_name} recorded **{count(s47[last])}** section 47 enquiries "
        f"and **{count(plans.get(last, float('nan')))}** child protection plans started. Enquiries "
        f"{chapter.direction(s47[last], s47[base])} by **{abs(growth):.0f}%** from {count(s47[base])} in the "
        f"year to 31 March {base}, while plans started changed by {chapter.change(plans[last], plans[base]):+.0f}% "
        f"over the same years: enquiries grew far faster than the plans that follow them.")

    fig, ax = plt.subplots(figsize=(8, 4.8))
    sns.lineplot(data=published, x="year", y="value", hue="stage", marker="o", ax=ax)
    ax.yaxis.set_major_formatter(lambda v, _: f"{v:,.0f}")
    ax.set_ylim(bottom=0)
    ax.legend(title=None, loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=3, fontsize=9)
    source = csc.cite(funnel["source"].str.split(", ").explode())
    charts.finish(fig, ax, title=f"Section 47 enquiries {chapter.direction(s47[last], s47[base], 'rose', 'fell')} "
                  f"{abs(growth):.0f}% between {base} and {last}; plans started far less",
                  ylabel="Number in the year to 31 March", source=source)
    charts.publish(fig, "s47_icpc_cpp", data=funnel[["year", "stage", "value", "status", "release", "source"]],
                   source=source,
                   alt=(f"Line chart of section 47 enquiries, initial child protection conferences and child "
                        f"protection plans started in {ctx.area_name}, years to 31 March {first_year} to {last}. "
                        f"Enquiries went from {count(s47[first_year])} to {count(s47[last])}; plans started from "
                        f"{count(plans.get(first_year, float('nan')))} to {count(plans[last])}."))

# %% [markdown]
# ```{admonition} Breaks in these series
# :class: caution
# Figures to 2012 come from the statistical first releases' underlying data, which for England include DfE
# estimates for authorities that did not return data and are rounded to the nearest 100; from 2013 they are the
# series DfE re-derived for Explore Education Statistics. 2009-10 was the first year of the children in need census
# and DfE advises against comparing child protection plans across that break. Enquiries count episodes, not children:
# a child can be the subject of more than one enquiry in a year.
# ```
