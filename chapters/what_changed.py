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
# # What has changed since the review
#
# The review wrote in 2021 with the figures then published, to 2019-20. Since then DfE has published further years
# and revised earlier ones. This page sets, for **{glue:md}`changed_area`**, each claim's figure as the review could
# see it beside the latest data held, and lists the published figures that were later revised.
#
# {glue:md}`changed_summary`

# %% tags=["parameters"]
area = "E92000001"   # England by default; any region or LA
vintage = "latest"

# %%
from csc import chapter, charts, revisions
from csc.chapter import say
from csc.charts import table
from csc.claims import ledger

TABLES = ["cin", "cla", "workforce", "spending", "markets", "context"]

ctx = chapter.validate(area=area, vintage=vintage)
found = ledger.results(ctx.area)
changes = ledger.changes(found)
say("changed_area", ctx.area_name)
say("changed_summary", ledger.changes_summary(changes))
revised = revisions.revisions(TABLES, list(ctx.members) or [ctx.area])
say("revisions_summary", revisions.summary(revised, ctx.area_name))

# %% [markdown]
# ## Each claim, then and now
#
# *The figure the review could see* is the book's figure under the review's own choices with the data as first
# published, to 2019-20; *the latest figure* is the same computation with the latest release of each year — carried
# to the latest year held where the claim is about a dated comparison — and says what it is. A dash means the claim
# gives no figure to compare (it cannot be checked with public data, or the counts here are too few).

# %%
table(changes, f"Each claim's figure then and now, {ctx.area_name}")
charts.download(changes, "claims-then-and-now", "this table")

# %% [markdown]
# ## Figures DfE later revised
#
# {glue:md}`revisions_summary`

# %%
if len(revised):
    table(revisions.table(revised, rows=25), f"The largest revisions of headline figures, {ctx.area_name}")
    charts.download(revised, "revisions", "every revision found, with the value in each release")
