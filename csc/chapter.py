"""What every chapter notebook shares: parameter checks, glued prose, number formatting.

Notebooks stay thin: they call these, the query layer and the charts module, and say what the numbers show.
"""
from __future__ import annotations

from dataclasses import dataclass

from . import query
from .errors import UsageError
from .geography import ENGLAND

BASELINE_YEARS = (2010, 2011)
FIRST_YEAR = 2011   # the earliest end_year that leaves a comparison (the series start in 2010)
SPENDING_BASELINES = ("2010-11", "2012-13")


@dataclass(frozen=True)
class Context:
    area: str          # resolved GSS code (or a consistent-boundary group code)
    area_name: str
    level: str         # national, regional, local_authority
    region: str        # the LA's region code ('' for England and regions)
    vintage: str
    end_year: int | None = None
    boundary: str = "as_published"   # 'consistent' where the area merged or split: predecessors are summed
    boundary_note: str = ""
    members: tuple[str, ...] = ()    # the LAs summed when boundary is 'consistent'

    def upto(self, frame, column: str = "period"):
        """Rows up to end_year (all when it is None): reproduces the book as of an earlier release."""
        if self.end_year is None:
            return frame
        label = frame[column].astype(str)
        # '2019-20' is the year to March 2020: compare financial years by the year they end in.
        year = label.str.slice(0, 4).astype(int) + label.str.contains("-").astype(int)
        return frame[year <= self.end_year]

    @property
    def is_england(self) -> bool:
        return self.area == ENGLAND

    @property
    def comparators(self) -> list[str]:
        """England and, for an LA, its region: the areas every chart sets it beside."""
        out = [self.area]
        if self.region:
            out.append(self.region)
        if not self.is_england:
            out.append(ENGLAND)
        return out


def validate(area: str = ENGLAND, vintage: str = "latest", baseline_year: int | None = None,
             end_year: int | None = None, spending_baseline: str | None = None) -> Context:
    """Check chapter parameters; an unknown value is one clear error listing valid options."""
    areas = query.areas()
    code = areas.resolve(area)
    query._vintage(vintage)
    if baseline_year is not None and str(baseline_year).strip() not in map(str, BASELINE_YEARS):
        raise UsageError(f"unknown baseline_year {baseline_year!r}; use one of "
                         f"{', '.join(map(str, BASELINE_YEARS))} (year to 31 March)")
    if spending_baseline is not None and spending_baseline not in SPENDING_BASELINES:
        raise UsageError(f"unknown spending_baseline {spending_baseline!r}; use one of {', '.join(SPENDING_BASELINES)}")
    if end_year is not None:
        latest = int(max(query.series("cin.referrals", ENGLAND, "latest")["period"]))
        if not str(end_year).strip().isdigit() or not FIRST_YEAR <= int(end_year) <= latest:
            raise UsageError(f"unknown end_year {end_year!r}; use a year from {FIRST_YEAR} to {latest} (the latest "
                             "held), or leave it unset")
    region = areas.region_of(code)
    members = areas.group_members(code)
    note = ""
    if len(members) > 1:  # a reorganised council: report its whole group on one boundary, in every year
        group = areas.group_of(code)
        names = [areas.name(m) for m in members]
        note = (f"{areas.name(code)} was formed in a local government reorganisation, so counts here add together "
                f"{', '.join(names[:-1])} and {names[-1]} in every year: one series on one boundary.")
        code = group
    return Context(area=code, area_name=in_text(areas.name(code), areas.level(code)), level=areas.level(code),
                   region=region,
                   vintage=vintage, end_year=None if end_year is None else int(end_year),
                   boundary="consistent" if len(members) > 1 else "as_published", boundary_note=note,
                   members=tuple(members))


def in_text(name: str, level: str) -> str:
    """A place as a sentence names it: 'the North West', but 'London' and 'Leeds'."""
    compass = ("North ", "South ", "East ", "West ")
    return f"the {name}" if level == "regional" and name.startswith(compass) else name


def say(name: str, text: str) -> None:
    """Glue a computed phrase into the prose ({glue:md}`name`), so no number is ever typed."""
    from IPython.display import Markdown
    from myst_nb import glue

    glue(name, Markdown(text), display=False)


def count(x: float) -> str:
    return "not published" if x is None or x != x else f"{x:,.0f}"


def counted(x: float, noun: str) -> str:
    """'17 section 47 enquiries', or a plain statement that the number is not published."""
    return f"**{count(x)}** {noun}" if x == x and x is not None else f"an unpublished (suppressed) number of {noun}"


def rounded(x: float, to: int = 1000) -> str:
    """Headline rounding, as DfE's own text does: 201,170 -> 'about 201,000'."""
    return f"{round(x / to) * to:,.0f}"


def pct(x: float, dp: int = 0) -> str:
    return f"{x:.{dp}f}%"


def change(new: float, old: float) -> float:
    """Percentage change from old to new; NaN when either is missing (suppressed) or the base is zero."""
    if new is None or old is None or new != new or old != old or old == 0:
        return float("nan")
    return (new / old - 1) * 100


def direction(new: float, old: float, up: str = "rose", down: str = "fell", same: str = "was unchanged") -> str:
    return up if new > old else down if new < old else same


def movement(pct: float, steady: float = 10) -> str:
    """Words for a percentage change, so a chart title states what the numbers show and nothing else."""
    if pct is None or pct != pct:
        return "cannot be compared (figures suppressed or not published)"
    if abs(pct) < steady:
        return "changed little"
    size = "more than doubled" if pct > 100 else f"rose {pct:.0f}%" if pct > 0 else f"fell {abs(pct):.0f}%"
    return size


def pretty(label: str) -> str:
    """'non_statutory' -> 'Non-statutory'; labels as people read them."""
    text = label.replace("_", "-" if label.startswith("non_") else " ")
    return text[:1].upper() + text[1:]


def say_all(section) -> None:
    """Glue every sentence of a section (csc.analysis.Section)."""
    for name, text in section.sentences.items():
        say(name, text)


def introduce(ctx: Context) -> None:
    """The opening glue every chapter shares: which area, which vintage, what it is compared with."""
    areas = query.areas()
    say("area_name", ctx.area_name)
    say("vintage_phrase", "newest release of each year" if ctx.vintage == "latest"
        else "figures as first published (what the review saw in 2021)")
    others = [in_text(areas.name(c), areas.level(c)) for c in ctx.comparators[1:]]
    say("comparison_phrase", (f" Its rates are set beside those of {' and '.join(others)}." if others else "")
        + (f" {ctx.boundary_note}" if ctx.boundary_note else ""))
