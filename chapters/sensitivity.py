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
# # Appendix: how far the choices matter
#
# Several of the review's claims rest on a choice an analyst could reasonably make another way: the year a decade's
# comparison starts from, whether a year's figure is taken as first published or as revised since, whether
# enquiries or children are counted, whether spending is compared in cash or in real terms, which spending counts
# as preventive, and whether first-line managers count as working with families. This appendix runs the claims
# register over those choices for **{glue:md}`sensitivity_area`** — each claim judged with the data the review had
# and with the latest data held, as in the chapters — and shows each claim's figure under every choice, whether the
# review's stated size ("more than doubled", "about 1 in 3") holds under it, and so which choices change the verdict.
#
# A dot is filled where the stated size holds under that choice and hollow where it does not; a grey dot is a figure
# shown beside the verdict but not tested against the stated size.

# %% tags=["parameters"]
area = "E92000001"   # England by default; any region or LA
vintage = "latest"

# %%
import textwrap

import matplotlib.pyplot as plt
from IPython.display import Markdown, display

from csc import chapter, charts
from csc.chapter import say
from csc.charts import table
from csc.claims import sensitivity

ctx = chapter.validate(area=area, vintage=vintage)
charts.style()
say("sensitivity_area", ctx.area_name)
COLOURS = {"the review's data": charts.PALETTE[0], "the latest data": charts.PALETTE[3]}


def draw(choice, frame, name):
    """One panel per claim, one line per choice, a dot for each data view."""
    frame = frame.assign(line=[sensitivity.choice_line(c, r) for c, r in zip(frame["choice"], frame["run with"])])
    ids = list(dict.fromkeys(frame["claim"]))
    heights = [frame[frame["claim"] == i]["line"].nunique() for i in ids]
    fig, axes = plt.subplots(len(ids), 1, figsize=(8, 1.2 + 0.3 * sum(heights) + 0.45 * len(ids)), squeeze=False,
                             gridspec_kw={"height_ratios": heights})
    for ax, claim_id in zip(axes[:, 0], ids):
        mine = frame[frame["claim"] == claim_id]
        lines = list(dict.fromkeys(mine["line"]))
        for _, row in mine.iterrows():
            colour = COLOURS[row["data"]] if row["stated size holds"] != "–" else "#8C8C8C"
            filled = row["stated size holds"] != "no"
            nudge = 0.14 if row["data"] == "the latest data" else -0.14   # both dots show where they coincide
            ax.scatter(row["value"], lines.index(row["line"]) + nudge, s=45, color=colour if filled else "white",
                       edgecolor=colour, linewidth=1.5, zorder=3)
        ax.set_yticks(range(len(lines)), [textwrap.fill(t, 60) for t in lines], fontsize=7.5)
        ax.set_ylim(len(lines) - 0.4, -0.6)
        ax.set_title(claim_id, loc="left", fontsize=10)
        ax.grid(axis="x", color="#D9D9D9", linewidth=0.8)
        ax.margins(x=0.15)
    failing = [i for i in ids if (frame[frame["claim"] == i]["stated size holds"] == "no").any()]
    title = (f"{choice.name}: the stated size fails under some choice for {', '.join(failing)}" if failing
             else f"{choice.name}: the stated size holds under every choice tried")
    fig.suptitle(textwrap.fill(title, 80), x=0.01, ha="left", fontsize=11, fontweight="bold")
    axes[-1, 0].set_xlabel(choice.axis)
    key = [plt.Line2D([], [], marker="o", linestyle="", color=c, label=f"With {d}") for d, c in COLOURS.items()]
    key += [plt.Line2D([], [], marker="o", linestyle="", color="#505A5F", markerfacecolor="white",
                       label="Stated size does not hold"),
            plt.Line2D([], [], marker="o", linestyle="", color="#8C8C8C", label="Not tested")]
    fig.legend(handles=key, loc="lower center", ncol=4, fontsize=8, bbox_to_anchor=(0.5, 0.02))
    source = "DfE releases as first published and as latest revised; book's calculations (claims register)"
    fig.text(0.01, 0.005, f"Source: {source}", fontsize=8, color="#505A5F", ha="left", va="bottom")
    fig.tight_layout(rect=(0, 0.03 + 0.5 / fig.get_figheight(), 1, 1))
    alt = (f"Dot chart, one panel per claim ({', '.join(ids)}), of each claim's figure under each {choice.name.lower()}"
           f" choice, with the review's data and with the latest data; " + (
               f"the stated size fails under at least one choice for {', '.join(failing)}." if failing
               else "the stated size holds under every choice."))
    charts.publish(fig, name, alt=alt, data=frame.drop(columns=["is the review's choice", "line"]), source=source)


def section(choice, name):
    frame = sensitivity.rows(choice, ctx.area)
    display(Markdown("\n\n".join(sensitivity.verdict_sentence(choice, i, frame, ctx.area) for i in choice.claims)))
    if frame.empty:
        return
    draw(choice, frame, name)
    table(sensitivity.table(frame), f"{choice.name}: each figure under each choice, {ctx.area_name}")


CHOICES = {c.name: c for c in sensitivity.choices()}

# %% [markdown]
# ## The base year
#
# The review compared 2019-20 with 2009-10, the first year of the children in need census; 2010-11 is the first
# year after it, and 2012-13 the first of the series DfE re-derived for Explore Education Statistics.

# %%
section(CHOICES["Base year"], "base_year")

# %% [markdown]
# ## The vintage
#
# Each release revises earlier years. The review's figures are recomputed here as first published and as latest
# revised, on the review's own years.

# %%
section(CHOICES["Vintage"], "vintage")

# %% [markdown]
# ## Episodes or children
#
# Section 47 enquiries are counted as episodes: a child can have more than one in a year. Plans are counted as
# children.

# %%
section(CHOICES["Episodes or children"], "episodes_children")

# %% [markdown]
# ## Real terms or cash, and the price base
#
# The review compared spending at 2019-20 prices, deflated with HM Treasury's GDP deflator. In cash the fall is
# smaller; at another year's prices the pounds differ but the percentage changes do not.

# %%
section(CHOICES["Real terms or cash, and the price base"], "prices")

# %% [markdown]
# ## Which spending counts as preventive
#
# The review's "non-statutory" services are Sure Start and early years, young people's services, family support
# and other lines of section 251; "early help only" keeps Sure Start and family support.

# %%
section(CHOICES["Which spending counts as preventive"], "preventive_lines")

# %% [markdown]
# ## First-line managers
#
# The review's "1 in 3 do not work directly with families" counts every manager, first-line managers included, and
# qualified social workers holding no cases.

# %%
section(CHOICES["First-line managers"], "first_line_managers")
