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
# # The claims ledger
#
# Every claim of the register, with the verdict its chapter reaches: the review's figure, the figure recomputed under
# the review's own choices and under the reasonable alternatives, and the verdict twice — with the data the review had
# (figures as first published, to 2019-20) and with the latest data held. The rows are read from the same registry
# the chapters' claim boxes are, when the book was built, for **{glue:md}`ledger_area`**; each claim's id links to its
# box.
#
# {glue:md}`ledger_summary`

# %% tags=["parameters"]
area = "E92000001"   # England by default; any region or LA
vintage = "latest"

# %%
import pandas as pd
from IPython.display import Markdown, display

from csc import chapter, charts, claims
from csc.chapter import say
from csc.charts import column_widths, list_table, table
from csc.claims import ledger

ctx = chapter.validate(area=area, vintage=vintage)
found = ledger.results(ctx.area)
say("ledger_area", ctx.area_name)
say("ledger_summary", ledger.summary(found, ctx.area_name, ctx.is_england))
charts.download(ledger.frame(found), "claims-ledger", "the whole ledger, one row a claim")
snapshot = ledger.save_snapshot(found)

# %% [markdown]
# ## The verdicts, then and now
#
# A claim *holds* when it is reproduced, with or without caveats; it is *not judged* when the area's counts are too
# few, when no public table can test it, or when the files that could are not among those the book holds.

# %%
table(ledger.tally(found), f"Claims by verdict, {ctx.area_name}")
table(ledger.by_chapter(found, "then"), "Claims by chapter, with the data the review had")
table(ledger.by_chapter(found, "now"), "Claims by chapter, with the latest data held")

# %% [markdown]
# ## Every claim
#
# For each chapter, two tables: what the review said, citing the source named, with its figure; and what the book
# finds — the figure *recomputed* with the review's data, under the review's own choices and then under each
# alternative, both verdicts, and *why*: the reason for the verdict and, where it moves with the latest data, the
# reason for that too.

# %%
titles = ledger.titles()
SAID = ["Claim", "The review said", "Its source", "The review's figure"]
FOUND = ["Claim", "Recomputed: the review's choices", "Recomputed: alternatives", "Verdict, the review's data",
         "Verdict, the latest data", "Why"]


def linked_table(cells, header, caption):
    """A ledger table whose ids link to the claim boxes; widths are those of the plain text."""
    widths = column_widths(header, cells)
    linked = [[f"{{ref}}`{row[0]} <{claims.anchor(row[0])}>`", *row[1:]] for row in cells]
    display(Markdown(list_table(pd.DataFrame(linked, columns=header), caption, widths=widths)))


for name in dict.fromkeys(r.claim.chapter for r in found):
    rows = [ledger.row(r, titles) for r in found if r.claim.chapter == name]
    title = titles.get(name, name)
    linked_table([[r["id"], r["claim"], r["source"], r["review_figure"]] for r in rows], SAID,
                 f"{title}: what the review said")
    linked_table([[r["id"], r["ours_review_choices"], r["ours_alternatives"], r["verdict_then"], r["verdict_now"],
                   r["why"]] for r in rows], FOUND, f"{title}: what the book finds, {ctx.area_name}")


# %% [markdown]
# ## The review's own figures
#
# Two claims are about the review itself — how many people it heard, and how many responses its summary of
# feedback received. No chapter tests them, so their boxes are here.

# %%
for result in found:
    if result.claim.chapter == ledger.GENERAL_CHAPTER:
        display(Markdown(claims.box(result)))
