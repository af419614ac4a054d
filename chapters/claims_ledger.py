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
# registry the chapters use, computed when the book was built, for **{glue:md}`ledger_area`**. Each claim is judged
# twice: with the data the review had (figures as first published, to 2019-20) and with the latest data held.
# {glue:md}`ledger_summary`
#

# %% tags=["parameters"]
area = "E92000001"   # England by default; any region or LA
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
say("ledger_area", ctx.area_name)
say("ledger_summary",
    f"{len(results)} of the {len(claims.claims())} claims in the register have been checked so far, in "
    f"{len(checked_chapters)} chapter{'s' if len(checked_chapters) != 1 else ''}: "
    + ", ".join(titles[c]["title"].lower() for c in checked_chapters) + ".")

# %%
def tally(verdicts) -> list[int]:
    return list(pd.Series(verdicts).value_counts().reindex(list(claims.VERDICTS), fill_value=0))


key = pd.DataFrame({"Verdict": list(claims.VERDICTS), "Meaning": list(claims.VERDICTS.values()),
                    "With the review's data": tally([r.then.verdict for r in results]),
                    "With the latest data": tally([r.now.verdict for r in results])})
table(key, f"Verdicts for {ctx.area_name}")

# %%
for chapter_name in checked_chapters:
    rows = [{
        "Claim": r.claim.id,
        "The review said": r.claim.claim,
        "Recomputed (review's data and choices)": r.review.shown if r.review else "–",
        "Verdict with the review's data": r.then.verdict,
        "Verdict with the latest data": r.now.verdict,
        "Why": r.why + (f". Now: {r.now.why}" if r.differs else ""),
    } for r in results if r.claim.chapter == chapter_name]
    table(pd.DataFrame(rows), f"Claims checked in the chapter {titles[chapter_name]['title']}")
