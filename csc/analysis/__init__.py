"""Each chapter's computation and the sentences it glues, one module per chapter, so every sentence can be tested
for every area without a kernel. A section returns a `Section`: the frame behind its chart, its figures and its
sentences; the notebook only calls, plots and says.

Rules stated once here and used by every chapter:
- `SMALL_NUMBER`: a count below it is too small to compare. A change from it, a share of it or a ranking within it
  is not computed; the sentence says the figures are too small and no verdict is drawn.
- A "most common" label is never a catch-all ("Other", "Not recorded") and never one of a tie.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd

from .. import query
from ..chapter import Context

SMALL_NUMBER = 20
# A figure collected by hand from a web page comes from a file with no public copy: a build made without the
# project's data mirror lacks it, and the sentence says so instead of the number.
NOT_IN_BUILD = ("collected by hand from web pages into a file that has no public copy; this build was made without "
                "the project's data mirror, so it lacks that file")
CATCH_ALL = ("other", "not recorded", "missing", "refused or not obtained", "unknown", "not stated")


@dataclass
class Chart:
    """What a chart says: the notebook draws it from `data` with these words."""
    name: str
    title: str
    alt: str
    source: str
    ylabel: str
    xlabel: str = ""


@dataclass
class Section:
    sentences: dict[str, str] = field(default_factory=dict)   # glue name -> Markdown
    data: pd.DataFrame | None = None                          # the frame behind the chart (its CSV)
    chart: Chart | None = None
    figures: dict[str, float] = field(default_factory=dict)   # headline numbers, for tests and the ledger
    latest: str = ""                                          # the latest period the section shows

    def texts(self) -> list[str]:
        """Every sentence a reader sees, chart words included (for the every-area test)."""
        out = list(self.sentences.values())
        if self.chart is not None:
            out += [self.chart.title, self.chart.alt]
        return out


def is_number(x) -> bool:
    return x is not None and not (isinstance(x, float) and (math.isnan(x) or math.isinf(x)))


def too_small(*counts) -> bool:
    """True when any count is missing or below SMALL_NUMBER."""
    return any(not is_number(c) or c < SMALL_NUMBER for c in counts)


def change(new, old) -> float | None:
    """Percentage change, or None when either count is missing or too small to compare."""
    if too_small(new, old):
        return None
    return (new / old - 1) * 100


def count(x) -> str:
    return f"{x:,.0f}" if is_number(x) else "not published"


def small_count(n: float) -> str:
    """A count as a small-number sentence states it: a fraction of one (FTE) is shown as such, not rounded to 0."""
    return f"{n:.1f}" if n < 10 and round(n) != n else count(n)


def rank_of(position: int, of: int) -> str:
    """'highest', 'lowest' or '94th highest' (position 1 is the highest of `of`)."""
    return "highest" if position == 1 else "lowest" if position == of else f"{ordinal(position)} highest"


def listing(items: list[str], conjunction: str = "and") -> str:
    """'a', 'a and b', 'a, b and c'."""
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {conjunction} {items[-1]}"


def years(labels) -> str:
    """'2021', '2021 and 2022', '2014 to 2016' for a run of consecutive years."""
    ys = sorted({int(str(y)[:4]) for y in labels})
    if not ys:
        return ""
    if len(ys) > 2 and ys[-1] - ys[0] == len(ys) - 1:
        return f"{ys[0]} to {ys[-1]}"
    return listing([str(y) for y in ys])


STEADY = 10   # a change that rounds to less than this many per cent is "little"


def direction(pct: float | None) -> str:
    """'up', 'down' or 'steady' (on the rounded figure a reader sees), '' when it cannot be compared."""
    if pct is None:
        return ""
    return "steady" if abs(round(pct)) < STEADY else "up" if pct > 0 else "down"


def movement(pct: float | None, why_not: str = "cannot be compared (too few, suppressed or not published)") -> str:
    """Words for a change, so a title states what the numbers show and nothing else."""
    if pct is None:
        return why_not
    if direction(pct) == "steady":
        return f"changed little ({pct:+.0f}%)"
    if pct >= 200:
        return f"grew {1 + pct / 100:.1f}-fold ({pct:+.0f}%)"
    if pct > 100:
        return f"more than doubled ({pct:+.0f}%)"
    return f"rose {pct:.0f}%" if pct > 0 else f"fell {abs(pct):.0f}%"


def two_movements(first: str, pct1: float | None, second: str, pct2: float | None, why_not: str = "") -> str:
    """'referrals rose 12% and children in need fell 3%', or 'both changed little (+3% and +5%)'."""
    if direction(pct1) == direction(pct2) == "steady":
        return f"{first} and {second} both changed little ({pct1:+.0f}% and {pct2:+.0f}%)"
    words = {"why_not": why_not} if why_not else {}
    return f"{first} {movement(pct1, **words)} and {second} {movement(pct2, **words)}"


def leaders(values: pd.Series, n: int = 2) -> tuple[list[str], str]:
    """The n largest labelled values, skipping catch-all labels; and a problem ('tie', 'small') if there is one.

    A tie at the top, or a total below SMALL_NUMBER, means no label may be called "most common".
    """
    values = values.dropna()
    values = values[[not str(k).strip().casefold().startswith(CATCH_ALL) for k in values.index]]
    values = values.sort_values(ascending=False, kind="stable")
    if len(values) < 2 or too_small(values.sum(), values.iloc[0]):
        return [], "small"
    if values.iloc[0] == values.iloc[1]:
        return [], "tie"
    return list(values.index[:n]), ""


def ordinal(n: int) -> str:
    return f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


def first_lower(text: str) -> str:
    """Lower-case the first letter of a label used mid-sentence, leaving acronyms (ICPC) alone."""
    return text if text[:2].isupper() else text[:1].lower() + text[1:]


# --- series shared by the chapters ---------------------------------------------------------------------------------

def base_year(values: pd.Series, preferred: int) -> int | None:
    """The comparison's base: the preferred year when it holds a countable figure, else the first year that does."""
    usable = values[values >= SMALL_NUMBER]
    if usable.empty:
        return None
    return preferred if preferred in usable.index else int(usable.index.min())


def gaps(frame: pd.DataFrame, ctx: Context) -> str:
    """Sentences naming, measure by measure, the years in the span shown that are not published for the area."""
    if ctx.is_england or frame.empty:
        return ""
    parts = []
    for stage, rows in frame.groupby("stage", sort=False):
        held = rows.dropna(subset=["value"])
        if held.empty:
            parts.append(f"{first_lower(stage)} are not published for {ctx.area_name} in any year held")
            continue
        inside = rows[(rows["year"] >= held["year"].min()) & (rows["year"] <= held["year"].max())]
        missing = sorted(set(inside["year"]) - set(held["year"]))
        if missing:
            parts.append(f"{first_lower(stage)} are not published for {ctx.area_name} in {years(missing)} "
                         "(suppressed or not returned)")
    if not parts:
        return ""
    text = "; ".join(parts)
    return " " + text[:1].upper() + text[1:] + "."


def coverage(ctx: Context, sections: dict[str, Section]) -> str:
    """A sentence when sections end in different years, saying which and why."""
    ends = {name: s.latest for name, s in sections.items() if s.latest}
    if len({int(str(v)[:4]) + ("-" in str(v)) for v in ends.values()}) <= 1:
        return ""
    newest = max(ends.values(), key=lambda v: int(str(v)[:4]) + ("-" in str(v)))
    early = {n: v for n, v in ends.items() if v != newest}
    return (f"Sections end in different years because the files held end in different years: the newest figures are "
            f"for {newest}, but " + listing([f"{n} ends in {v}" for n, v in early.items()])
            + ". DfE published later tables for some of these; they are not among the files this book holds, and where "
            f"a year is suppressed or not returned for {ctx.area_name} the section says so.")


def hand_collected(measure: str, breakdown: str = "") -> pd.DataFrame:
    """A hand-collected figure's rows (national), or none where this build lacks the file (see NOT_IN_BUILD)."""
    return query.series(measure, breakdown=breakdown) if query.held(measure) else pd.DataFrame()
