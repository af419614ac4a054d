"""The claims ledger: every claim of the register with both its verdicts, as the rows the ledger page shows, the CSV
it publishes, the snapshot each build keeps (so the data change report can say which verdicts moved) and the
comparison of then and now.

Everything here is read from the registry (`csc.claims.evaluate`), so the ledger cannot disagree with the chapters'
claim boxes.
"""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from ..geography import ENGLAND
from . import VERDICTS, Figure, Result, claims, evaluate

# What a reader does with a verdict: the claim holds, is in doubt, fails, or the data cannot say.
GROUPS = {"reproduced": "holds", "reproduced with caveats": "holds", "contested": "contested",
          "not supported": "not supported", "too few to judge": "not judged",
          "not checkable with public data": "not judged", "not checked with the data held": "not judged"}
GENERAL_CHAPTER, GENERAL = "general", "The review itself"   # claims about the review's own process (GEN-1, GEN-2)
SNAPSHOT = "claims.json"   # the ledger's results, kept beside its CSV for the data change report

# The ledger's CSV: one row a claim, column names as a reader reads them.
COLUMNS = {
    "id": "claim",
    "chapter": "chapter",
    "claim": "the review said",
    "source": "source the review cited",
    "review_figure": "the review's figure",
    "ours_review_choices": "recomputed under the review's choices (review's data)",
    "ours_alternatives": "recomputed under the alternatives (review's data)",
    "verdict_then": "verdict with the review's data",
    "verdict_now": "verdict with the latest data",
    "why": "why",
    "figure_now": "recomputed with the latest data",
    "period_now": "latest period read",
}


def titles() -> dict[str, str]:
    """Chapter name -> its title in the book ('general' is the review's own process)."""
    from ..build import chapters

    return {**{name: spec["title"] for name, spec in chapters().items()}, GENERAL_CHAPTER: GENERAL}


def results(area: str = ENGLAND, **choices) -> list[Result]:
    """Every claim of the register, in the register's order, judged for an area with the book's choices (the
    claims about the review's own process for England: no area has a figure of its own for them)."""
    return [evaluate(claim_id, ENGLAND if c.chapter == GENERAL_CHAPTER else area, **choices)
            for claim_id, c in claims().items()]


def shown(figure: Figure | None) -> str:
    return figure.shown if figure is not None else "–"


def alternatives(figures: list[Figure]) -> str:
    return "; ".join(f"{f.label}: {f.shown}" for f in figures) or "–"


def why(result: Result) -> str:
    """One line: the review-time reason, and the latest data's where the verdict moved."""
    line = result.then.why
    if result.differs:
        line += f"; with the latest data, {result.now.verdict}: {result.now.why}"
    return line[:1].upper() + line[1:] + "."


def row(result: Result, chapter_titles: dict[str, str]) -> dict[str, str]:
    c = result.claim
    return {"id": c.id, "chapter": chapter_titles.get(c.chapter, c.chapter), "claim": c.claim, "source": c.source,
            "review_figure": c.value, "ours_review_choices": shown(result.then.review),
            "ours_alternatives": alternatives(result.then.alternatives), "verdict_then": result.then.verdict,
            "verdict_now": result.now.verdict, "why": why(result), "figure_now": shown(result.now.review),
            "period_now": result.now.period or "–"}


def frame(found: list[Result]) -> pd.DataFrame:
    """The ledger as a frame with the CSV's column names."""
    chapter_titles = titles()
    return pd.DataFrame([row(r, chapter_titles) for r in found])[list(COLUMNS)].rename(columns=COLUMNS)


def tally(found: list[Result]) -> pd.DataFrame:
    """How many claims reach each verdict, with the review's data and with the latest data."""
    then = pd.Series([r.then.verdict for r in found]).value_counts()
    now = pd.Series([r.now.verdict for r in found]).value_counts()
    return pd.DataFrame({"Verdict": list(VERDICTS), "Meaning": list(VERDICTS.values()),
                         "With the review's data": [int(then.get(v, 0)) for v in VERDICTS],
                         "With the latest data": [int(now.get(v, 0)) for v in VERDICTS]})


def by_chapter(found: list[Result], when: str) -> pd.DataFrame:
    """Claims per chapter by what the verdict means for the claim; when is 'then' or 'now'."""
    chapter_titles = titles()
    groups = list(dict.fromkeys(GROUPS.values()))
    rows = []
    for chapter in dict.fromkeys(r.claim.chapter for r in found):
        verdicts = [getattr(r, when).verdict for r in found if r.claim.chapter == chapter]
        rows.append({"Chapter": chapter_titles.get(chapter, chapter), "Claims": len(verdicts),
                     **{g[:1].upper() + g[1:]: sum(GROUPS[v] == g for v in verdicts) for g in groups}})
    return pd.DataFrame(rows)


def summary(found: list[Result], area_name: str, national: bool) -> str:
    """The sentence on top of the ledger: how many claims hold, then and now."""
    def counts(when: str) -> str:
        groups = pd.Series([GROUPS[getattr(r, when).verdict] for r in found]).value_counts()
        parts = [f"{groups.get(g, 0) or 'none'} {'hold' if g == 'holds' else 'are ' + g}" for g in
                 ("holds", "contested", "not supported", "not judged")]
        return ", ".join(parts[:-1]) + f" and {parts[-1]}"
    moved = sum(r.then.verdict != r.now.verdict for r in found)
    where = "" if national else f", each recomputed for {area_name} to ask whether the national claim holds there"
    return (f"The register holds {len(found)} claims{where}. With the data the review had, {counts('then')}; with the "
            f"latest data held, {counts('now')}. "
            + (f"{moved} verdict{'s' if moved != 1 else ''} differ{'s' if moved == 1 else ''} between the two."
               if moved else "No verdict differs between the two."))


def snapshot(found: list[Result]) -> dict[str, dict[str, str]]:
    """What a build keeps of the ledger, so the next build's data change report can say what moved."""
    return {r.claim.id: {"chapter": r.claim.chapter, "verdict_then": r.then.verdict, "verdict_now": r.now.verdict,
                         "figure_then": shown(r.then.review), "figure_now": shown(r.now.review),
                         "period_now": r.now.period or ""} for r in found}


def save_snapshot(found: list[Result]) -> Path:
    """Write the snapshot beside the ledger's CSV, where the build publishes it."""
    from ..charts import output_dir

    folder = output_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / SNAPSHOT
    path.write_text(json.dumps(snapshot(found), indent=1, ensure_ascii=False), encoding="utf-8")
    return path


def direction(then: Figure | None, now: Figure | None) -> str:
    """Whether the claim's figure went up or down between what the review could see and the latest data (as shown:
    a change hidden by the rounding is no change)."""
    if then is None or now is None or then.value is None or now.value is None:
        return "–"
    if now.shown == then.shown or abs(now.value - then.value) <= 1e-9 * max(1.0, abs(then.value)):
        return "unchanged"
    return "up" if now.value > then.value else "down"


def latest(result: Result) -> Figure | None:
    """The latest figure for a claim: a dated comparison carried to the latest year held where the check shows one
    (beside the verdict, not judged), else the latest judgement's own figure."""
    return result.now.context[0] if result.now.context else result.now.review


def changes(found: list[Result]) -> pd.DataFrame:
    """For each claim: the figure the review could see beside the latest, the direction, and whether the verdict
    moved."""
    def described(figure: Figure | None) -> str:
        if figure is None or figure.value is None:
            return "–"
        return f"{figure.shown} ({figure.label})"
    return pd.DataFrame([{
        "Claim": r.claim.id,
        "Figure the review could see": described(r.then.review),
        "Latest figure": described(latest(r)),
        "Direction": direction(r.then.review, latest(r)),
        "Verdict then": r.then.verdict,
        "Verdict now": r.now.verdict,
        "Verdict moved": "yes" if r.then.verdict != r.now.verdict else "no",
    } for r in found])


def changes_summary(changes: pd.DataFrame) -> str:
    """How the claims' figures and verdicts moved since the review, in one or two sentences."""
    compared = changes[changes["Direction"] != "–"]
    ways = compared["Direction"].value_counts()
    moved = list(changes.loc[changes["Verdict moved"] == "yes", "Claim"])
    if len(compared):
        parts = [f"{ways.get(w, 0)} {w}" for w in ("up", "down", "unchanged") if ways.get(w, 0)]
        figures = (f"Of the {len(changes)} claims, {len(compared)} have a figure both with the data the review had and "
                   f"with the latest data: " + (", ".join(parts[:-1]) + " and " if len(parts) > 1 else "") + parts[-1]
                   + ".")
    else:
        figures = f"None of the {len(changes)} claims has a figure both with the data the review had and now."
    if not moved:
        return figures + " No verdict has moved."
    listed = ", ".join(moved[:-1]) + " and " + moved[-1] if len(moved) > 1 else moved[0]
    return figures + f" The verdict has moved for {len(moved)} claim{'s' if len(moved) > 1 else ''}: {listed}."
