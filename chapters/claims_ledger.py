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
# Every measurable claim the book tests, with the verdict its chapter reaches. The verdicts come from the same
# registry the chapters use (`csc/claims.py`), computed when the book was built, for England. {glue:md}`ledger_summary`
#

# %% tags=["parameters"]
area = "E92000001"   # the ledger is built for England; any area works
vintage = "latest"

# %%
import pandas as pd


from csc import build, chapter, claims
from csc.chapter import say
from csc.charts import table

ctx = chapter.validate(area=area, vintage=vintage)
titles = build.chapters()
results = [r for ch in dict.fromkeys(c.chapter for c in claims.claims().values())
           for r in claims.evaluate_chapter(ch, ctx.area, vintage=vintage)]
checked_chapters = sorted({r.claim.chapter for r in results})
say("ledger_summary",
    f"{len(results)} of the {len(claims.claims())} claims in the register have been checked so far, in "
    f"{len(checked_chapters)} chapter{'s' if len(checked_chapters) != 1 else ''}: "
    + ", ".join(titles[c]["title"].lower() for c in checked_chapters) + ".")

# %%
counts = pd.Series([r.verdict for r in results]).value_counts().reindex(list(claims.VERDICTS), fill_value=0)
key = pd.DataFrame({"Verdict": list(claims.VERDICTS), "Meaning": list(claims.VERDICTS.values()),
                    "Claims": counts.values})
table(key, f"Verdicts for {ctx.area_name}")

# %%
for chapter_name in checked_chapters:
    rows = [{
        "Claim": r.claim.id,
        "The review said": r.claim.claim,
        "Recomputed (review's choices)": r.review.shown if r.review else "–",
        "Verdict": r.verdict,
        "Why": r.why,
    } for r in results if r.claim.chapter == chapter_name]
    table(pd.DataFrame(rows), f"Claims checked in the chapter {titles[chapter_name]['title']}")
