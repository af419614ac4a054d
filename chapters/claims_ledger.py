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
ledger.save_snapshot(found)

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
# The review said what the first column quotes, citing the source named; *recomputed* gives the book's figure with
# the review's data, under the review's own choices and then under each alternative; *why* gives the reason for
# the verdict and, where it moves with the latest data, the reason for that too.

# %%
titles = ledger.titles()
HEADER = ["Claim", "The review said", "Recomputed: the review's choices", "Recomputed: alternatives",
          "Verdict, the review's data", "Verdict, the latest data", "Why"]
for name in dict.fromkeys(r.claim.chapter for r in found):
    rows = [ledger.row(r, titles) for r in found if r.claim.chapter == name]
    cells = [[r["id"], f"{r['claim']} *Source:* {r['source']}. *The review's figure:* {r['review_figure']}.",
              r["ours_review_choices"], r["ours_alternatives"], r["verdict_then"], r["verdict_now"], r["why"]]
             for r in rows]
    widths = column_widths(HEADER, cells)
    for row in cells:
        row[0] = f"{{ref}}`{row[0]} <{claims.anchor(row[0])}>`"
    frame = pd.DataFrame(cells, columns=HEADER)
    display(Markdown(list_table(frame, f"Claims of the chapter {titles.get(name, name)}", widths=widths)))

# %% [markdown]
# ## The review's own figures
#
# Two claims are about the review itself — how many people it heard, and how many responses its summary of
# feedback received. No chapter tests them, so their boxes are here.

# %%
for result in found:
    if result.claim.chapter == ledger.GENERAL_CHAPTER:
        display(Markdown(claims.box(result)))
