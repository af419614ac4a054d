"""The claims registry: each claim of the review, recomputed under its own choices and the honest alternatives,
judged twice — with the data the review had (as first published, to 2019-20) and with the latest data held — by a
rule that tests what the review said: its number within its rounding and its stated size, not only the direction.

A check is registered per claim in its chapter's module (`csc/claims/family_help.py`, ...) and returns a
`Judgement` for one `Data` view; `evaluate` runs it for both and returns a `Result`. The chapters' claim boxes,
the claims ledger and the tests all read these same results. For a region or LA a judgement says whether the
national claim holds there; counts below `csc.analysis.SMALL_NUMBER` give "too few to judge".
"""
from __future__ import annotations

import csv
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .. import query
from ..analysis import SMALL_NUMBER
from ..errors import UsageError
from ..geography import ENGLAND

CLAIMS_FILE = Path(__file__).with_name("claims.csv")
VERDICTS = {
    "reproduced": "the review's figure follows from the official data under its own choices",
    "reproduced with caveats": "the figure follows, but the definitions or the data behind it limit what it shows",
    "contested": "the figure holds under the review's choices but a reasonable alternative changes the conclusion",
    "not supported": "the official data do not bear the claim out",
    "too few to judge": f"for this area the counts are suppressed or below {SMALL_NUMBER}, so no verdict is drawn",
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
    source: str
    official_table: str
    formula: str
    notes: str


@dataclass(frozen=True)
class Data:
    """Which data a judgement uses: a vintage and the last year it may read (None: the latest held)."""
    key: str
    vintage: str
    end: int | None
    label: str

    def upto(self, periods) -> list[str]:
        """The periods this view may read, oldest first ('2019-20' counts as the year 2020)."""
        def year(p: str) -> int:
            return int(p[:4]) + ("-" in p)
        return sorted((p for p in periods if self.end is None or year(p) <= self.end), key=year)

    def period(self, measure: str, area: str, review_period: str = "2020") -> str | None:
        """The year a judgement reads: the review's own year with its data, else the latest year published."""
        return review_period if self.key == "review" else self.last(measure, area)

    def last(self, measure: str, area: str, breakdown: str = "") -> str | None:
        """The latest period with a published number for the area, within this view."""
        _, rows = query.series_records(measure, area=area, vintage=self.vintage, breakdown=breakdown)
        held = self.upto([r["period"] for r in rows if r["value"] == r["value"]])
        return held[-1] if held else None


REVIEW_DATA = Data("review", "first", 2020, "With the data the review had (as first published, to 2019-20)")
LATEST_DATA = Data("latest", "latest", None, "With the latest data held")


@dataclass(frozen=True)
class Figure:
    """One computation: what was chosen, the number, and the arithmetic, so a reader can redo it."""
    label: str
    value: float | None
    shown: str
    arithmetic: str = ""
    counts: tuple[float, ...] = ()   # the published counts it is made from, for the small-number rule


@dataclass
class Judgement:
    data: Data
    review: Figure | None
    alternatives: list[Figure] = field(default_factory=list)
    verdict: str = ""
    why: str = ""
    period: str = ""          # the latest period the judgement read, e.g. '2025'
    context: list[Figure] = field(default_factory=list)   # shown beside the verdict, not judged
    holds: dict[str, bool] = field(default_factory=dict)  # figure label -> whether the stated size holds under it

    def __post_init__(self):
        if self.verdict not in VERDICTS:
            raise ValueError(f"unknown verdict {self.verdict!r}")


@dataclass
class Result:
    claim: Claim
    area: str
    area_name: str
    then: Judgement          # with the data the review had
    now: Judgement           # with the latest data held

    # The review-time judgement is the claim's verdict proper; these keep the ledger and tests short.
    @property
    def verdict(self) -> str:
        return self.then.verdict

    @property
    def why(self) -> str:
        return self.then.why

    @property
    def review(self) -> Figure | None:
        return self.then.review

    @property
    def alternatives(self) -> list[Figure]:
        return self.then.alternatives

    @property
    def differs(self) -> str:
        """One line on why the two verdicts differ ('' when they agree)."""
        if self.then.verdict == self.now.verdict:
            return ""
        def state(j: Judgement, when: str) -> str:
            figure = f" ({j.review.shown})" if j.review is not None and j.review.value is not None else ""
            return f"with {when} it is {j.verdict}{figure}"
        return (f"{state(self.then, 'the data the review had')}; {state(self.now, 'the latest data held')}, as "
                f"{self.now.why}")


@lru_cache(maxsize=1)
def claims() -> dict[str, Claim]:
    with open(CLAIMS_FILE, encoding="utf-8") as fh:
        return {r["id"]: Claim(id=r["id"], chapter=r["chapter"], claim=r["claim"], value=r["value"],
                               year=r["year"], source=r["source_cited"], official_table=r["official_table"],
                               formula=r["formula"],
                               notes=r["notes"]) for r in csv.DictReader(fh)}


CHECKS: dict[str, Callable[..., Judgement]] = {}


def check(claim_id: str):
    def register(fn):
        CHECKS[claim_id] = fn
        return fn
    return register


def evaluate(claim_id: str, area: str = ENGLAND, **choices) -> Result:
    """Judge one claim for an area twice: with the review's data and with the latest data held."""
    if claim_id not in CHECKS:
        raise UsageError(f"no check registered for claim {claim_id!r}; registered: {', '.join(sorted(CHECKS))}")
    areas = query.areas()
    code = areas.resolve(area)
    if len(areas.group_members(code)) > 1:  # a reorganised council is checked on its consistent boundary
        code = areas.group_of(code)
    choices.pop("vintage", None)  # each judgement fixes its own vintage
    claim = claims()[claim_id]
    return Result(claim, code, areas.name(code), judge(claim, code, REVIEW_DATA, **choices),
                  judge(claim, code, LATEST_DATA, **choices))


# The figures a check's rule tested, and whether the stated size held under each: recorded by
# verdict_by_conclusion while `judge` runs a check, so the sensitivity appendix can say which choices change a
# verdict without every check repeating its rule.
_TESTED: ContextVar[dict[str, bool] | None] = ContextVar("tested", default=None)


def judge(claim: Claim, area: str, data: Data, **choices) -> Judgement:
    """One judgement of a claim (for a resolved area code), with the figures its rule tested."""
    tested: dict[str, bool] = {}
    token = _TESTED.set(tested)
    try:
        judgement = CHECKS[claim.id](claim, area, data, **choices)
    finally:
        _TESTED.reset(token)
    judgement.holds = tested
    return judgement


def evaluate_chapter(chapter: str, area: str = ENGLAND, **choices) -> list[Result]:
    ids = [c.id for c in claims().values() if c.chapter == chapter and c.id in CHECKS]
    return [evaluate(i, area, **choices) for i in ids]


# --- rules ---------------------------------------------------------------------------------------------------------

def about(claimed: float, band: float = 0.5) -> Callable[[float], bool]:
    """'About +32%': the stated size, as a reader sees it rounded, within half of it either way (so +3% does not
    'hold' a claimed +32%)."""
    low, high = sorted((claimed * (1 - band), claimed * (1 + band)))
    return lambda g: low <= round(g) <= high


def more_than(threshold: float) -> Callable[[float], bool]:
    return lambda g: g > threshold


def verdict_by_conclusion(review: Figure | None, alternatives: list[Figure], holds: Callable[[float], bool],
                          caveat: str = "", claimed: float | None = None, tolerance: float = 0.5,
                          size: str = "") -> tuple[str, str]:
    """The stated conclusion under the review's choices, then under each alternative.

    `holds` tests the stated size ('more than doubled', 'about +32%'); with `claimed`, the review's own number
    must also come out within `tolerance` (its rounding), or the verdict carries that caveat.
    """
    tested = _TESTED.get()
    if tested is not None:
        tested.update({f.label: bool(holds(f.value)) for f in [review, *alternatives]
                       if f is not None and f.value is not None})
    if review is None or review.value is None:
        return "not checkable with public data", "the figures needed are not published for this area"
    if not holds(review.value):
        return "not supported", (f"under the review's own choices the figure is {review.shown}"
                                 + (f", not {size}" if size else ""))
    if claimed is not None and abs(review.value - claimed) > tolerance:
        caveat = (f"the stated size holds, but the review's own choices give {review.shown}, not {claimed:g}"
                  + (f"; {caveat}" if caveat else ""))
    elif caveat:   # the figure the verdict rests on comes first, then what qualifies it
        caveat = f"{review.shown} under the review's choices, and every alternative tried agrees; {caveat}"
    failing = [a for a in alternatives if a.value is not None and not holds(a.value)]
    if failing:
        return "contested", (f"holds under the review's choices ({review.shown}) but not with "
                             f"{_lower_first(failing[0].label)} ({failing[0].shown})")
    if caveat:
        return "reproduced with caveats", caveat
    return "reproduced", f"{review.shown} under the review's choices, and the conclusion survives every alternative tried"


def _lower_first(label: str) -> str:
    """A label inside a sentence: its first letter lower-cased, unless the first word is an acronym (FTE, UASC)."""
    first = label.split(" ", 1)[0]
    return label if first.isupper() and len(first) > 1 else label[:1].lower() + label[1:]


def too_few(data: Data, why: str, review: Figure | None = None, alternatives=(), period: str = "") -> Judgement:
    return Judgement(data, review, list(alternatives), "too few to judge", why, period)


def register_untestable(table: dict[str, tuple[str, str]]) -> None:
    """Claims no published table can test: {claim id: (verdict, why, saying what data would settle it)}."""
    for claim_id, (verdict, why) in table.items():
        CHECKS[claim_id] = lambda claim, area, data, _v=verdict, _w=why, **_: Judgement(data, None, [], _v, _w)


# The chapters' checks register themselves on import.
from . import family_help  # noqa: E402,F401
from . import workforce  # noqa: E402,F401
from . import markets  # noqa: E402,F401
from . import care_system  # noqa: E402,F401
from . import general  # noqa: E402,F401


# --- presentation --------------------------------------------------------------------------------------------------

def _same(a: Judgement, b: Judgement) -> bool:
    shown = lambda j: (j.review.shown if j.review else "", [f.shown for f in j.alternatives])  # noqa: E731
    return a.verdict == b.verdict and a.why == b.why and shown(a) == shown(b) and not b.context


def _judgement_lines(j: Judgement, national: bool, area_name: str, heading: bool) -> list[str]:
    lines = []
    if heading or j.review is not None or j.alternatives:
        lines += [f"**{j.data.label}" + (f", to {j.period}" if j.period and j.data.key == "latest" else "") + ":**", ""]
    if j.review is not None:
        arithmetic = f" ({j.review.arithmetic})" if j.review.arithmetic else ""
        lines.append(f"- {j.review.label}: {j.review.shown}{arithmetic}")
    for alt in j.alternatives:
        arithmetic = f" ({alt.arithmetic})" if alt.arithmetic else ""
        lines.append(f"- {alt.label}: {alt.shown}{arithmetic}")
    for later in j.context:
        arithmetic = f" ({later.arithmetic})" if later.arithmetic else ""
        lines.append(f"- {later.label}: {later.shown}{arithmetic} (shown, not part of the verdict: the claim is dated)")
    where = "" if national else f" for {area_name}"
    holds = {"reproduced": " — the national claim holds here", "reproduced with caveats":
             " — the national claim holds here, with caveats", "not supported": " — the national claim does not hold here",
             "contested": " — whether the national claim holds here depends on the choices"}.get(j.verdict, "")
    lines += ["", f"**Verdict{where}: {j.verdict}**{'' if national else holds} — {j.why}.", ""]
    return lines


def anchor(claim_id: str) -> str:
    """The label of a claim's box, so the ledger can link to it in the HTML and the PDF."""
    return f"claim-{claim_id.lower()}"


def box(result: Result) -> str:
    """A claim box (MyST admonition): the claim, both judgements with their figures, and why they differ."""
    c = result.claim
    national = result.area == ENGLAND
    title = (f"{c.id} · {result.then.verdict}" if not result.differs
             else f"{c.id} · {result.then.verdict} (review's data) · {result.now.verdict} (latest)")
    where = "" if national else f" Recomputed for {result.area_name}: does the national claim hold here?"
    lines = [f"```{{admonition}} {title}", ":class: claim-box", f":name: {anchor(c.id)}",
             f"**The review:** {c.claim}{where}", ""]
    differs = bool(result.differs)
    lines += _judgement_lines(result.then, national, result.area_name, differs)
    if _same(result.then, result.now):
        if result.then.review is not None or result.then.alternatives:
            lines.append("The latest data held do not change this.")
    else:
        lines += _judgement_lines(result.now, national, result.area_name, differs)
    if differs:
        lines += [f"**Why the verdicts differ:** {result.differs}.", ""]
    lines.append("```")
    return "\n".join(lines)


def show(claim_id: str, area: str = ENGLAND, **choices) -> None:
    """Evaluate a claim and display its box in the notebook."""
    from IPython.display import Markdown, display

    display(Markdown(box(evaluate(claim_id, area, **choices))))


