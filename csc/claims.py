"""The claims registry: each claim of the review, recomputed under its own choices and the honest alternatives,
with a verdict from a stated rule. The chapters, the claims ledger and the tests all read these same results.

A check returns a Result: the review's figure, our figure under the review's choices (base year, vintage,
definitions), the same under alternatives, a verdict and one line of why. Checks work for any area; for an area
other than England they test whether the review's national pattern holds there.
"""
from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from . import derived, query
from .chapter import count
from .errors import UsageError
from .geography import ENGLAND

CLAIMS_FILE = Path(__file__).with_name("claims.csv")
VERDICTS = {
    "reproduced": "the review's figure follows from the official data under its own choices",
    "reproduced with caveats": "the figure follows, but the definitions or the data behind it limit what it shows",
    "contested": "the figure holds under the review's choices but a reasonable alternative changes the conclusion",
    "not supported": "the official data do not bear the claim out",
    "not checkable with public data": "no published table can reproduce it; the text says what data would",
    "not checked with the data held": "public data could settle it, but the files are not yet in this book",
}


@dataclass(frozen=True)
class Claim:
    id: str
    chapter: str
    claim: str
    value: str
    year: str
    official_table: str
    formula: str
    notes: str


@dataclass(frozen=True)
class Figure:
    """One computation: what was chosen, the number, and the arithmetic, so a reader can redo it."""
    label: str
    value: float | None
    shown: str
    arithmetic: str = ""


@dataclass
class Result:
    claim: Claim
    area: str
    area_name: str
    review: Figure | None
    alternatives: list[Figure] = field(default_factory=list)
    verdict: str = ""
    why: str = ""

    def __post_init__(self):
        if self.verdict not in VERDICTS:
            raise ValueError(f"{self.claim.id}: unknown verdict {self.verdict!r}")


@lru_cache(maxsize=1)
def claims() -> dict[str, Claim]:
    with open(CLAIMS_FILE, encoding="utf-8") as fh:
        return {r["id"]: Claim(id=r["id"], chapter=r["chapter"], claim=r["claim"], value=r["value"],
                               year=r["year"], official_table=r["official_table"], formula=r["formula"],
                               notes=r["notes"]) for r in csv.DictReader(fh)}


CHECKS: dict[str, Callable[..., Result]] = {}


def check(claim_id: str):
    def register(fn):
        CHECKS[claim_id] = fn
        return fn
    return register


def evaluate(claim_id: str, area: str = ENGLAND, **choices) -> Result:
    if claim_id not in CHECKS:
        raise UsageError(f"no check registered for claim {claim_id!r}; registered: {', '.join(sorted(CHECKS))}")
    areas = query.areas()
    code = areas.resolve(area)
    if len(areas.group_members(code)) > 1:  # a reorganised council is checked on its consistent boundary
        code = areas.group_of(code)
    return CHECKS[claim_id](claims()[claim_id], code, **choices)


def evaluate_chapter(chapter: str, area: str = ENGLAND, **choices) -> list[Result]:
    ids = [c.id for c in claims().values() if c.chapter == chapter and c.id in CHECKS]
    return [evaluate(i, area, **choices) for i in ids]


# --- rules ---------------------------------------------------------------------------------------------------------

def verdict_by_conclusion(review: Figure, alternatives: list[Figure], holds: Callable[[float], bool],
                          caveat: str = "", claimed: float | None = None, tolerance: float = 1.0) -> tuple[str, str]:
    """The stated conclusion (e.g. 'more than doubled') under the review's choices, then under each alternative.

    With `claimed`, the review's own number must also come out within `tolerance` (its rounding), or the verdict
    carries that caveat.
    """
    if review.value is None:
        return "not checkable with public data", "the figures needed are not published for this area"
    if not holds(review.value):
        return "not supported", f"under the review's own choices the figure is {review.shown}"
    if claimed is not None and abs(review.value - claimed) > tolerance:
        caveat = (f"the conclusion holds, but the review's own choices give {review.shown}, not {claimed:g}"
                  + (f"; {caveat}" if caveat else ""))
    failing = [a for a in alternatives if a.value is not None and not holds(a.value)]
    if failing:
        return "contested", f"holds under the review's choices ({review.shown}) but not with {failing[0].label.lower()} ({failing[0].shown})"
    if caveat:
        return "reproduced with caveats", caveat
    return "reproduced", f"{review.shown} under the review's choices, and the conclusion survives every alternative tried"


# --- helpers -------------------------------------------------------------------------------------------------------

def figure(measure: str, area: str, period: str, vintage: str, breakdown: str = "") -> float | None:
    """A number, or None when it is not published (a symbol, or the period is not held)."""
    try:
        got = query.value(measure, area=area, period=period, vintage=vintage, breakdown=breakdown)
    except UsageError:
        return None
    return got if isinstance(got, float) else None


def growth(measure: str, area: str, new: str, base: str, vintage: str, label: str) -> Figure:
    a, b = figure(measure, area, new, vintage), figure(measure, area, base, vintage)
    if a is None or b is None or b == 0:
        return Figure(label, None, "not published")
    pct = (a / b - 1) * 100
    return Figure(label, pct, f"{pct:+.0f}%", f"{count(a)} / {count(b)} − 1")


def _area_name(area: str) -> str:
    return query.areas().name(area)


def _growth_claim(claim: Claim, area: str, measure: str, holds, caveat: str = "", *, claimed: float,
                  vintage: str = "latest", baseline_year: int = 2010) -> Result:
    """Claims of the form 'X grew by N% from 2009-10 to 2019-20'."""
    review = growth(measure, area, "2020", "2010", "first", "The review's choices: 2019-20 on 2009-10, as first published")
    alternatives = [
        growth(measure, area, "2020", "2010", "latest", "Latest revisions of both years"),
        growth(measure, area, "2020", "2011", "first", "Base year 2010-11 instead of 2009-10"),
        growth(measure, area, "2025", str(baseline_year), vintage, f"Latest year held (2025) on {baseline_year}"),
    ]
    verdict, why = verdict_by_conclusion(review, alternatives, holds, caveat,
                                         claimed=claimed if area == ENGLAND else None)
    return Result(claim, area, _area_name(area), review, alternatives, verdict, why)


# --- family help ---------------------------------------------------------------------------------------------------

@check("FH-1")
def referrals_growth(claim, area, **choices):
    return _growth_claim(claim, area, "cin.referrals", lambda g: g > 0, claimed=7, **choices,
                         caveat="referrals counts contacts accepted as referrals; local thresholds and recording differ "
                                "and 2009-10 was the census's first year")


@check("FH-2")
def children_in_need_growth(claim, area, **choices):
    return _growth_claim(claim, area, "cin.children_in_need", lambda g: g > 0, claimed=4, **choices,
                         caveat="the count is of episodes open at 31 March, not of children, and the child population "
                                "grew over the same years")


@check("FH-3")
def section47_doubling(claim, area, **choices):
    return _growth_claim(claim, area, "cp.section47_enquiries", lambda g: g > 100, claimed=129, **choices)


@check("FH-4")
def cpp_growth(claim, area, **choices):
    return _growth_claim(claim, area, "cp.cpp_at_31_march", lambda g: g > 0, claimed=32, **choices,
                         caveat="DfE advises against comparing plans across the 2009-10 change of collection")


def _without_plan(area: str, period: str, vintage: str, enquiries: str = "cp.section47_enquiries") -> tuple:
    s47, plans = figure(enquiries, area, period, vintage), figure("cp.cpp_starts", area, period, vintage)
    if s47 is None or plans is None:
        return None, ""
    return s47 - plans, f"{count(s47)} − {count(plans)}"


@check("FH-5")
def enquiries_without_plan(claim, area, vintage="latest", **_):
    value, sums = _without_plan(area, "2020", "first")
    review = Figure("The review's arithmetic: enquiries minus plans started, 2019-20", value,
                    count(value) if value is not None else "not published", sums)
    kids, kid_sums = _without_plan(area, "2020", "first", "cp.section47_children")
    icpc = figure("cp.icpcs", area, "2020", "first")
    s47 = figure("cp.section47_enquiries", area, "2020", "first")
    latest, latest_sums = _without_plan(area, "2025", vintage)
    alternatives = [
        Figure("Children, not enquiries: children subject to an enquiry minus plans started", kids,
               count(kids) if kids is not None else "not published", kid_sums),
        Figure("Enquiries not followed by an initial conference", None if icpc is None or s47 is None else s47 - icpc,
               count(s47 - icpc) if icpc is not None and s47 is not None else "not published",
               f"{count(s47)} − {count(icpc)}" if icpc is not None and s47 is not None else ""),
        Figure("The same arithmetic for 2024-25", latest, count(latest) if latest is not None else "not published",
               latest_sums),
    ]
    if value is None:
        verdict, why = "not checkable with public data", "enquiries or plans are not published for this area"
    else:
        verdict, why = ("reproduced with caveats",
                        "the subtraction is right, but it compares two flows, not linked outcomes: plans also start "
                        "after conferences on transfer-in cases and enquiries begun the year before, and an enquiry "
                        "that ends without a plan may still lead to child-in-need help")
    return Result(claim, area, _area_name(area), review, alternatives, verdict, why)


@check("FH-6")
def threefold_without_plan(claim, area, vintage="latest", baseline_year=2010, **_):
    def ratio(new: str, base: str, v: str, label: str) -> Figure:
        a, a_sums = _without_plan(area, new, v)
        b, b_sums = _without_plan(area, base, v)
        if a is None or b is None or b <= 0:
            return Figure(label, None, "not published")
        return Figure(label, a / b, f"×{a / b:.1f}", f"({a_sums}) / ({b_sums})")

    review = ratio("2020", "2010", "first", "The review's choices: 2019-20 on 2009-10")
    alternatives = [ratio("2020", "2011", "first", "Base year 2010-11"),
                    ratio("2020", "2013", "latest", "Base year 2012-13, the first year of the re-derived series"),
                    ratio("2025", str(baseline_year), vintage, f"2024-25 on {baseline_year}")]
    verdict, why = verdict_by_conclusion(review, alternatives, lambda r: r >= 2.5)
    return Result(claim, area, _area_name(area), review, alternatives, verdict, why)


@check("FH-8")
def icpc_surge(claim, area, vintage="latest", **_):
    review = growth("cp.icpcs", area, "2020", "2010", "first", "ICPCs, 2019-20 on 2009-10")
    series = query.series("cp.icpcs", area=area, vintage=vintage).dropna(subset=["value"])
    alternatives = []
    if len(series):
        peak = series.loc[series["value"].idxmax()]
        last = series.iloc[-1]
        change = (last["value"] / peak["value"] - 1) * 100
        alternatives.append(Figure(f"Since the peak year ({peak['period']})", change, f"{change:+.0f}%",
                                   f"{count(last['value'])} ({last['period']}) / {count(peak['value'])} − 1"))
    icpc, plans = figure("cp.icpcs", area, "2020", "first"), figure("cp.cpp_starts", area, "2020", "first")
    if icpc is not None and plans is not None:
        alternatives.append(Figure("Conferences minus plans started, 2019-20", icpc - plans, count(icpc - plans),
                                   f"{count(icpc)} − {count(plans)}"))
    verdict, why = verdict_by_conclusion(review, alternatives[:1], lambda g: g > -5)
    if verdict == "contested":
        why = (f"conferences rose {review.value:.0f}% between 2009-10 and 2019-20, but they have not risen since "
               f"{series.loc[series['value'].idxmax(), 'period']}: not a continual surge")
    return Result(claim, area, _area_name(area), review, alternatives, verdict, why)


def real_terms(cls: str, area: str, period: str, prices: str, vintage: str) -> float | None:
    """Spending of one class in £ at `prices` (HM Treasury GDP deflator), or None when not published."""
    cash = figure("spend.cyps_by_class", area, period, vintage, breakdown=f"class={cls}")
    return None if cash is None else derived.at_prices(cash, period, prices)


def spending_change(cls: str, area: str, base: str, end: str, vintage: str, label: str, prices: str = "2019-20") -> Figure:
    a, b = real_terms(cls, area, end, prices, vintage), real_terms(cls, area, base, prices, vintage)
    if a is None or b is None:
        return Figure(label, None, "not published")
    pct = (a / b - 1) * 100
    return Figure(label, pct, f"£{b / 1e9:.1f}bn → £{a / 1e9:.1f}bn ({pct:+.0f}%)",
                  f"{prices} prices, {base} to {end}")


@check("FH-10")
def prevention_to_crisis(claim, area, vintage="latest", spending_baseline="2012-13", **_):
    review = spending_change("non_statutory", area, "2012-13", "2019-20", vintage,
                             "The review's choices: non-statutory services, 2012-13 to 2019-20, 2019-20 prices")
    statutory = spending_change("statutory", area, "2012-13", "2019-20", vintage, "Statutory services, same years")
    alternatives = [
        statutory,
        spending_change("non_statutory", area, "2010-11", "2019-20", vintage,
                        "Base year 2010-11 (the austerity critics' choice)"),
        spending_change("early_help", area, spending_baseline, "2019-20", vintage,
                        f"Early help only (Sure Start and family support), {spending_baseline} base"),
        spending_change("non_statutory", area, spending_baseline, "2021-22", vintage,
                        f"Non-statutory, {spending_baseline} to 2021-22 (latest national year held)"),
    ]
    verdict, why = verdict_by_conclusion(review, alternatives[1:], lambda g: g < 0,
                                         claimed=-35 if area == ENGLAND else None, tolerance=2)
    if statutory.value is not None and statutory.value <= 0 and verdict != "not supported":
        verdict, why = "not supported", f"statutory spending did not rise ({statutory.shown})"
    if verdict in ("reproduced", "reproduced with caveats"):
        verdict, why = ("reproduced with caveats",
                        "the split depends on which S251 lines count as preventive (with 'other children's and family "
                        "services' included, as the review's totals imply), and the lines were redefined in 2011-12 "
                        "and renumbered in 2016-17")
    return Result(claim, area, _area_name(area), review, alternatives, verdict, why)


@check("FH-13")
def domestic_abuse_first(claim, area, vintage="latest", **_):
    rows = query.by_breakdown("cin.factors_at_assessment", area, "first")
    rows = rows[rows["period"] == "2020"].dropna(subset=["value"]).sort_values("value", ascending=False)
    if len(rows) < 2:
        return Result(claim, area, _area_name(area), None, [], "not checkable with public data",
                      "factors at assessment are not published for this area")
    top, second = rows.iloc[0], rows.iloc[1]
    top_name = top["breakdown"].split("=", 1)[1]
    review = Figure("Most common factor, 2019-20, as first published", top["value"], f"{top_name}: {count(top['value'])}")
    alternatives = [Figure("Second most common", second["value"],
                           f"{second['breakdown'].split('=', 1)[1]}: {count(second['value'])}")]
    domestic = top_name.lower().startswith(("domestic abuse", "domestic violence"))
    verdict = "reproduced with caveats" if domestic else "not supported"
    why = ("factors are recorded per assessment and several can be recorded at once; 'domestic abuse: parent is "
           "victim' is one of several domestic-abuse factors" if domestic else f"the most common factor is {top_name}")
    return Result(claim, area, _area_name(area), review, alternatives, verdict, why)


# Claims no published table can test, with what would settle them: (verdict, why).
UNTESTABLE = {
    "FH-7": ("not checkable with public data",
              "no published table links a section 47 enquiry to the child's later child-in-need plan; it needs the "
              "child-level CIN census (start dates of enquiries and of plan episodes), available to accredited "
              "researchers through the ONS Secure Research Service"),
    "FH-9": ("not checkable with public data",
              "the tenfold gap is between neighbourhoods (LSOAs); public child protection tables stop at local "
              "authority level. Child-level data with home postcodes (CIN census) would settle it; an LA-level "
              "gradient is shown instead, which cannot be read as a neighbourhood one"),
    "FH-11": ("not checkable with public data",
              "it counts distinct children across six census years, which needs the child-level CIN census; "
              "published tables count episodes within each year"),
    "FH-12": ("not checkable with public data",
              "cumulative incidence by birth cohort needs linked child-level records (the NPD-CIN linkage)"),
    "FH-14": ("not checked with the data held",
              "the comparison needs the child population by ethnicity (Census 2021), which is public but not among "
              "the files this book holds; the published children-in-need shares by ethnicity are shown instead"),
}


def untestable(claim_id: str):
    verdict, why = UNTESTABLE[claim_id]
    return lambda claim, area, **_: Result(claim, area, _area_name(area), None, [], verdict, why)


for _claim_id in UNTESTABLE:
    CHECKS[_claim_id] = untestable(_claim_id)


# --- presentation --------------------------------------------------------------------------------------------------

def box(result: Result) -> str:
    """A claim box (MyST admonition): the claim, our recomputation, the alternatives, the verdict and why."""
    c = result.claim
    where = "" if result.area == ENGLAND else f" The review's national claim, recomputed for {result.area_name}."
    lines = [f"```{{admonition}} {c.id} · {result.verdict}", ":class: claim-box",
             f"**The review:** {c.claim}{where}", ""]
    if result.review is not None:
        arithmetic = f" ({result.review.arithmetic})" if result.review.arithmetic else ""
        lines += [f"**Recomputed — {result.review.label.lower()}:** {result.review.shown}{arithmetic}", ""]
    if result.alternatives:
        lines.append("**Alternatives:**")
        lines.append("")
        for alt in result.alternatives:
            arithmetic = f" ({alt.arithmetic})" if alt.arithmetic else ""
            lines.append(f"- {alt.label}: {alt.shown}{arithmetic}")
        lines.append("")
    lines += [f"**Verdict: {result.verdict}** — {result.why}.", "```"]
    return "\n".join(lines)


def show(claim_id: str, area: str = ENGLAND, **choices) -> None:
    """Evaluate a claim and display its box in the notebook."""
    from IPython.display import Markdown, display

    display(Markdown(box(evaluate(claim_id, area, **choices))))
