"""How far the claims that hinge on an analyst's choice move across the choices: the registry run over a grid.

Each `Choice` names the claims it affects and the registry choices (the checks' `**choices`) to run them under,
beside the book's own; every run is judged with the review's data and with the latest data, as the registry always
does. Every figure a run computes (the review's choice and each declared alternative) becomes one row, with whether
the review's stated size holds under it (recorded by the verdict rule, `Judgement.holds`), so a reader sees which
choices change the verdict.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from .. import derived
from ..geography import ENGLAND
from . import evaluate
from .ledger import GROUPS

DATA = {"review": "the review's data", "latest": "the latest data"}


@dataclass(frozen=True)
class Choice:
    name: str                        # as a heading reads it
    question: str                    # what the analyst chooses, as a sentence ends
    claims: tuple[str, ...]
    grid: tuple[dict, ...] = ()      # registry choices to run beside the book's own ({} is always run first)
    axis: str = ""                   # what the chart's values are
    review_only: bool = False        # compare the review's own figure across the data views (vintage) only


def latest_prices() -> str:
    """The newest year of the GDP deflator held: the other price base the spending claim is run at."""
    return max(derived.deflators())


def choices() -> list[Choice]:
    return [
        Choice("Base year", "which year a decade's comparison starts from (2009-10, 2010-11 or 2012-13)",
               ("FH-1", "FH-2", "FH-3", "FH-4", "FH-6", "CS-2"), ({"baseline_year": 2013},),
               "change over the decade (%; FH-6 as a multiple)"),
        Choice("Vintage", "whether a year's figure is taken as first published or as latest revised",
               ("FH-1", "FH-2", "FH-3", "FH-4", "FH-5", "FH-6", "CS-1", "CS-15"), (), "the review's figure",
               review_only=True),
        Choice("Episodes or children", "whether enquiries (episodes) or the children subject to them are counted",
               ("FH-5",), (), "enquiries or children not followed by a plan"),
        Choice("Real terms or cash, and the price base", "whether spending is deflated, and to which year's prices",
               ("FH-10",), ({"prices": "cash"}, {"prices": latest_prices()}), "change in spending (%)"),
        Choice("Which spending counts as preventive", "which section 251 lines count as early or preventive help",
               ("FH-10",), ({"spending_baseline": "2010-11"},), "change in spending (%)"),
        Choice("First-line managers", "whether first-line managers count as frontline (working with families)",
               ("WF-2",), (), "share of social workers not working directly with families (%)"),
    ]


def run_label(run: dict) -> str:
    if not run:
        return "the book's choices"
    words = {"baseline_year": lambda v: f"base year {int(v) - 1}-{int(v) % 100:02d}",
             "spending_baseline": lambda v: f"early help from {v}",
             "prices": lambda v: "cash" if v == "cash" else f"{v} prices"}
    return ", ".join(words[k](v) for k, v in run.items())


VINTAGE_WORDS = re.compile(r",? \(?(?:as first published|latest revisions?|earliest release held|latest release)\)?")


def choice_line(label: str, run: str) -> str:
    """A figure's choice without the words naming its vintage, so both data views of one choice share a line."""
    line = VINTAGE_WORDS.sub("", label)
    return line if run == run_label({}) or run in line else f"{line} ({run})"


def rows(choice: Choice, area: str = ENGLAND) -> pd.DataFrame:
    """One row per figure the registry computes for the choice's claims, over the grid and both data views."""
    out, seen = [], set()
    for claim_id in choice.claims:
        for run in ({}, *choice.grid):
            result = evaluate(claim_id, area, **run)
            for judgement in (result.then, result.now):
                figures = [judgement.review] if choice.review_only else [judgement.review, *judgement.alternatives]
                for figure in figures:
                    if figure is None or figure.value is None:
                        continue
                    key = (claim_id, judgement.data.key, figure.label, figure.shown)
                    if key in seen:
                        continue
                    seen.add(key)
                    holds = judgement.holds.get(figure.label)
                    out.append({"claim": claim_id, "data": DATA[judgement.data.key], "run with": run_label(run),
                                "choice": figure.label, "value": figure.value, "shown": figure.shown,
                                "is the review's choice": figure is judgement.review and not run,
                                "stated size holds": "–" if holds is None else "yes" if holds else "no",
                                "verdict": judgement.verdict})
    return pd.DataFrame(out, columns=["claim", "data", "run with", "choice", "value", "shown",
                                      "is the review's choice", "stated size holds", "verdict"])


def _lower(text: str) -> str:
    """A label inside a sentence: 'Base year 2010-11' -> 'base year 2010-11', but 'FTE holding' stays."""
    return text if text[1:2].isupper() else text[:1].lower() + text[1:]


def _listing(rows: pd.DataFrame) -> str:
    """'with the review's data, a (x) and b (y); with the latest data, c (z)'."""
    parts = []
    for data in DATA.values():
        mine = rows[rows["data"] == data]
        if len(mine):
            items = [f"{_lower(c)} ({v})" for c, v in zip(mine["choice"], mine["shown"])]
            parts.append(f"with {data}, " + (", ".join(items[:-1]) + " and " if len(items) > 1 else "") + items[-1])
    return "; ".join(parts)


def verdict_sentence(choice: Choice, claim_id: str, frame: pd.DataFrame, area: str = ENGLAND) -> str:
    """Which choices change the verdict of one claim, from the rows of its grid."""
    result = evaluate(claim_id, area)
    mine = frame[frame["claim"] == claim_id]
    verdicts = list(dict.fromkeys(mine["verdict"]))
    across = (f" Across the runs the verdict is {', '.join(verdicts[:-1])} or {verdicts[-1]}." if len(verdicts) > 1
              else f" The verdict is {verdicts[0]} in every run." if verdicts else "")
    review = result.then.review
    if review is None or review.value is None:
        return f"{claim_id}: no figure could be computed for this area under the review's choices ({result.then.why})."
    if choice.review_only:
        now = result.now.review
        later = f"{now.shown} with the latest revisions" if now is not None and now.value is not None else \
            "not published with the latest data"
        same = now is not None and now.shown == review.shown
        return (f"{claim_id}: {review.shown} as first published, {later}"
                + (": the revisions do not move it." if same else ".")
                + (f" The verdict is {result.then.verdict} both times." if result.then.verdict == result.now.verdict
                   else f" The verdict moves from {result.then.verdict} to {result.now.verdict}."))
    holds = result.then.holds.get(review.label)
    if GROUPS[result.then.verdict] == "not judged":
        return f"{claim_id}: {result.then.verdict} here, as {result.then.why}; the figures held are in the table."
    if holds is None:
        others = mine[~mine["is the review's choice"]]
        return (f"{claim_id}: the verdict ({result.then.verdict}) rests on the review's own figure ({review.shown}), "
                "not on a stated size each alternative could pass or fail"
                + (f"; the alternatives give, {_listing(others)}" if len(others) else "") + "." + across)
    turning = mine[(mine["stated size holds"] == ("no" if holds else "yes")) & ~mine["is the review's choice"]]
    if holds and not len(turning):
        return f"{claim_id}: the stated size holds under the review's choices ({review.shown}) and under every other." + across
    if holds:
        return (f"{claim_id}: the stated size holds under the review's choices ({review.shown}) but not {_listing(turning)}."
                + across)
    if not len(turning):
        return (f"{claim_id}: the stated size does not hold under the review's choices ({review.shown}) nor under any "
                "other." + across)
    return (f"{claim_id}: the stated size does not hold under the review's choices ({review.shown}); it would "
            f"{_listing(turning)}." + across)


def table(frame: pd.DataFrame) -> pd.DataFrame:
    """The rows as the appendix shows them."""
    return pd.DataFrame({"Claim": frame["claim"], "Data": frame["data"], "Run with": frame["run with"],
                         "Choice": frame["choice"], "Figure": frame["shown"],
                         "Stated size holds": frame["stated size holds"]})
