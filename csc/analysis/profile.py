"""The atlas's area profile: for one LA or region, the chapters' headline figures beside its region, England and (for
an LA) its statistical neighbours, and every claim of the review judged for the area, both ways. The notebook
(chapters/area_profile.py) only draws and shows these, so every sentence is tested for every area without a kernel."""
from __future__ import annotations

import html
from dataclasses import dataclass, field
from functools import lru_cache

import pandas as pd

from .. import claims, derived, query, sources
from ..catalogue import catalogue
from ..chapter import in_text, validate
from ..errors import UsageError
from ..geography import ENGLAND
from . import SMALL_NUMBER, Chart, Section, is_number, listing, rank_of, small_count, too_small
from . import places


@dataclass(frozen=True)
class Headline:
    key: str
    chapter: str
    measure: str
    per_10000: bool    # a count shown per 10,000 children (DfE's rule), or the measure as published
    short: str         # how a title names it
    noun: str          # what the count (or base) counts, for the small-number sentence
    noun_one: str      # the same for one
    base: str | None = None   # for a published percentage or ratio, the count it is taken of (small-number rule)


HEADLINES = (
    Headline("children_in_need", "Family help", "cin.children_in_need", True, "Children in need rate",
             "children in need", "child in need"),
    Headline("section47", "Family help", "cp.section47_enquiries", True, "Section 47 enquiry rate", "enquiries",
             "enquiry"),
    Headline("protection_plans", "Family help", "cp.cpp_at_31_march", True, "Child protection plan rate",
             "children on plans", "child on a plan"),
    Headline("looked_after", "The care system", "cla.children_looked_after", True, "Rate of children in care",
             "children looked after", "child looked after"),
    Headline("agency", "The workforce", "wf.agency_rate", False, "Agency worker rate",
             "social workers employed directly (FTE; agency staff not counted)",
             "social worker employed directly (FTE; agency staff not counted)", "wf.fte"),
    Headline("caseload", "The workforce", "wf.caseload", False, "Average caseload",
             "case-holding social workers (FTE)", "case-holding social worker (FTE)", "wf.case_holders_fte"),
)
WHEN = {"year_to_31_march": "In the year to 31 March {}", "at_31_march": "At 31 March {}",
        "at_30_september": "At 30 September {}"}
UNIT_WORDS = {"rate_per_10000": "per 10,000 children", "percent": "per cent of social workers (FTE)",
              "ratio": "cases per case-holding social worker (FTE)"}
AXIS = {"rate_per_10000": "Per 10,000 children", "percent": "Per cent of FTE", "ratio": "Cases per worker (FTE)"}
SENTENCE_WORDS = {**UNIT_WORDS, "percent": "of social workers (FTE)"}
COLUMN = {"rate_per_10000": "per_10000_children", "percent": "percent", "ratio": "cases_per_worker"}
NEIGHBOURS_LINE = "Median of statistical neighbours"


@dataclass
class Profile:
    area: str
    name: str               # as a sentence names it ('the North West')
    level: str
    intro: str
    sections: list[Section] = field(default_factory=list)
    claims_summary: str = ""
    claims_html: str = ""
    claim_texts: list[str] = field(default_factory=list)
    links: str = ""
    chart: Chart | None = None          # the headline figures as small multiples
    data: pd.DataFrame | None = None    # its CSV: every panel's lines
    comparison: str = ""                # what each figure is set beside, for this kind of area

    def texts(self) -> list[str]:
        """Every sentence a reader sees (for the every-area test)."""
        out = [self.intro, self.comparison, self.claims_summary, *self.claim_texts, self.links]
        for s in self.sections:
            out += s.texts()
        return out + ([self.chart.title, self.chart.alt] if self.chart else [])


def atlas_areas() -> list[str]:
    """The atlas's areas: every current LA (not joint returns) and the nine regions, by region then name."""
    areas = query.areas()
    regions = sorted((c for c, r in areas.by_code.items() if r["geographic_level"] == "regional"
                      and c.startswith("E12")), key=areas.name)
    las = [c for c, r in areas.by_code.items() if r["geographic_level"] == "local_authority"
           and r["last_year"] == 9999 and "+" not in c and c.startswith("E")]
    return regions + sorted(las, key=lambda c: (areas.name(areas.region_of(c)), areas.name(c)))


def latest_period(measure: str) -> str:
    """The latest period held for local authorities (latest releases)."""
    return max(places.la_rows(measure)["period"], key=lambda p: int(p[:4]))


@lru_cache(maxsize=16)
def source_line(measure: str, per_10000: bool) -> str:
    files = set(places.la_rows(measure)["source"]) | set(query.series(measure)["source"].str.split(", ").sum())
    if per_10000:
        files |= set(places.la_rows(derived.POPULATION)["source"])
    return sources.cite(files)


def _series(h: Headline, area: str) -> pd.Series:
    """Figure by year for one area (periods as ints)."""
    values = places.area_series(h.measure, area, per_10000=h.per_10000)
    return pd.Series({int(p): v for p, v in values.items()}, dtype=float).sort_index()


def _neighbours_median(h: Headline, area: str, periods) -> pd.Series:
    medians = {}
    for period in periods:
        b = places.benchmark(h.measure, area, str(period), per_10000=h.per_10000, base=h.base)
        if len(b.compared) >= 2:
            medians[period] = b.median
    return pd.Series(medians, dtype=float)


def _versus_england(value, england) -> str:
    if not is_number(value) or not is_number(england):
        return ""
    ratio = value / england
    return "close to England's" if 0.95 <= ratio <= 1.05 else "above England's" if ratio > 1 else "below England's"


def counted_noun(n: float, h: Headline) -> str:
    """'1 child in need', '12 enquiries', 'no social workers employed directly', '0.4 ...' (a fraction is not 0)."""
    if n == 0:
        return f"no {h.noun}"
    number = small_count(n)
    return f"{number} {h.noun_one if number == '1' else h.noun}"


def _own_figure(h: Headline, code: str, name: str, period: str, unit: str, label: str, words: str,
                when: str) -> tuple[float | None, str]:
    """The area's figure and the clause stating it (a small count is stated, not compared)."""
    areas = query.areas()
    if areas.level(code) == "regional":
        value = places.area_figure(h.measure, code, period, per_10000=h.per_10000)
        return value, f"{when}, the {label} for {name} was **{places.shown(value, unit)}** {words}"
    figures, reported = places.la_figures(h.measure, period, "latest", h.per_10000, h.base)
    value, counted = figures.get(code, (None, None))
    if not is_number(value):
        jointly = places.joint(code, reported)
        why = (f"published only jointly, for {areas.name(jointly[0])}" if jointly
               else "suppressed" if code in reported else "not published")
        return None, f"{when}, the {label} for {name} is {why}"
    if (h.per_10000 or h.base) and too_small(counted):
        return None, (f"{when}, the {label} for {name} was **{places.shown(value, unit)}** {words}, with "
                      + ("" if counted == 0 else "only ") + f"{counted_noun(counted, h)}, too few to compare")
    return value, f"{when}, the {label} for {name} was **{places.shown(value, unit)}** {words}"


def _region_rank(h: Headline, region: str, period: str, unit: str) -> str:
    """Where a region sits among the nine, and the range across its authorities."""
    areas = query.areas()
    figures = {c: places.area_figure(h.measure, c, period, per_10000=h.per_10000)
               for c, r in areas.by_code.items() if r["geographic_level"] == "regional" and c.startswith("E12")}
    figures = {c: v for c, v in figures.items() if is_number(v)}
    la, _ = places.la_figures(h.measure, period, "latest", h.per_10000, h.base)
    mine = {c: v for c, (v, n) in la.items() if areas.region_of(c) == region and is_number(v)
            and not ((h.per_10000 or h.base) and too_small(n))}
    parts = []
    if region in figures:   # ranked as the figures are shown, so equal figures are joint
        shown = {c: places.shown(v, unit) for c, v in figures.items()}
        equal = sum(shown[c] == shown[region] for c in figures if c != region)
        higher = sum(v > figures[region] and shown[c] != shown[region] for c, v in figures.items())
        place = rank_of(higher + 1, len(figures) - equal)   # joint last is lowest
        parts.append(f"the {'joint ' if equal else ''}{place} of {len(figures)} regions")
    if len(mine) >= 2:
        low, high = min(mine, key=mine.get), max(mine, key=mine.get)
        parts.append(f"its {len(mine)} authorities with comparable figures ranged from {places.shown(mine[low], unit)} "
                     f"({areas.name(low)}) to {places.shown(mine[high], unit)} ({areas.name(high)})")
    return (" It was " + listing(parts) + ".") if parts else ""


def headline(h: Headline, code: str) -> Section:
    """One headline figure: the sentence, the chart's words and the frame behind it (area, region, England and the
    neighbours' median over the years)."""
    areas = query.areas()
    unit = "rate_per_10000" if h.per_10000 else catalogue()[h.measure].unit
    level = areas.level(code)
    name = in_text(areas.name(code), level)
    period = latest_period(h.measure)
    when = WHEN[catalogue()[h.measure].period_type].format(period)
    region = areas.region_of(code)
    words = UNIT_WORDS[unit]
    label = h.short[:1].lower() + h.short[1:]
    value, own = _own_figure(h, code, name, period, unit, label, SENTENCE_WORDS[unit], when)
    england = places.area_figure(h.measure, ENGLAND, period, per_10000=h.per_10000)
    if level == "regional":
        sentence = f"{own}, against {places.shown(england, unit)} for England." + _region_rank(h, code, period, unit)
    else:
        region_value = places.area_figure(h.measure, region, period, per_10000=h.per_10000)
        sentence = (f"{own}; it was {places.shown(region_value, unit)} for {in_text(areas.name(region), 'regional')} "
                    f"and {places.shown(england, unit)} for England. " + places.beside_neighbours(
                        places.benchmark(h.measure, code, period, per_10000=h.per_10000, base=h.base)))
    lines = {areas.name(code): _series(h, code)}
    if level != "regional":
        lines[areas.name(region)] = _series(h, region)
    lines["England"] = _series(h, ENGLAND)
    if level != "regional":
        lines[NEIGHBOURS_LINE] = _neighbours_median(h, code, lines[areas.name(code)].index)
    column = f"{h.key}_{COLUMN[unit]}"
    data = pd.concat([s.rename(column).rename_axis("year").reset_index().assign(area=k) for k, s in lines.items()
                      if len(s)], ignore_index=True)[["year", "area", column]]
    held = data[data["area"] == areas.name(code)]["year"]
    span = f"{held.min()} to {held.max()}" if len(held) > 1 else f"{held.min()}" if len(held) else "none published"
    versus = _versus_england(value, england)
    title = f"{h.short}: {versus} in {period}" if versus else f"{h.short}: not compared in {period}"
    others = [k for k in lines if k != areas.name(code) and len(lines[k])]
    beside = [("the median of its statistical neighbours" if k == NEIGHBOURS_LINE else in_text(k, "regional"))
              for k in others]
    read_out = [f"{areas.name(code)} {places.shown(value, unit) if value is not None else 'not compared'}"]
    for k in others:   # every line's value in the year the sentence is about, as the sentence shows it
        if int(period) in lines[k].index:
            named = "the median of its statistical neighbours" if k == NEIGHBOURS_LINE else in_text(k, "regional")
            read_out.append(f"{named} {places.shown(lines[k].get(int(period)), unit)}")
    alt = (f"Line chart of the {label} ({words}) for {areas.name(code)} ({span}) beside {listing(beside)}. In "
           f"{period}: {listing(read_out)}.")
    chart = Chart(f"{code}_{h.key}", title, alt, source_line(h.measure, h.per_10000), AXIS[unit])
    return Section({h.key: sentence}, data, chart, {"value": value, "england": england}, period)


def first_upper(text: str) -> str:
    return text[:1].upper() + text[1:]


def small_multiples(code: str, sections: list[Section]) -> tuple[Chart, pd.DataFrame]:
    """One figure of the headline charts: its words and the frame behind it (one row per panel, line and year)."""
    areas = query.areas()
    name = areas.name(code)
    versus = [_versus_england(s.figures["value"], s.figures["england"]) for s in sections]
    above, below, close = (versus.count(f"{w} England's") for w in ("above", "below", "close to"))
    left = len(sections) - above - below - close
    parts = [f"{what} {n}" for what, n in (("above England on", above), ("below it on", below),
                                          ("close to it on", close)) if n]
    title = (f"{name}: {listing(parts)} of {len(sections)} headline figures"
             + (f"; {left} not compared" if left else "") if parts
             else f"{name}: none of its {len(sections)} headline figures can be compared (too few or not published)")
    panels = " ".join(first_upper(s.chart.alt.removeprefix("Line chart of the ")) for s in sections)
    alt = (f"{len(sections)} small line charts, one per headline figure, each over the years held for {name} beside "
           f"{'England' if areas.level(code) == 'regional' else 'its region, England and the median of its statistical neighbours'}"
           f". {panels}")
    data = pd.concat([s.data.rename(columns={s.data.columns[-1]: "value"}).assign(
        figure=h.short, unit=UNIT_WORDS["rate_per_10000" if h.per_10000 else catalogue()[h.measure].unit])
        for s, h in zip(sections, HEADLINES)], ignore_index=True)[["figure", "unit", "year", "area", "value"]]
    source = "; ".join(dict.fromkeys(part for s in sections for part in s.chart.source.split("; ")))
    return Chart(f"{code}_headlines", title, alt, source, ""), data


def claim_rows(code: str) -> list[claims.Result]:
    return [claims.evaluate(c, code) for c in claims.claims() if c in claims.CHECKS]


def _verdict_counts(results: list[claims.Result], which: str) -> str:
    tally: dict[str, int] = {}
    for r in results:
        verdict = getattr(r, which).verdict
        tally[verdict] = tally.get(verdict, 0) + 1
    return listing([f"{n} {v}" for v, n in sorted(tally.items(), key=lambda kv: (-kv[1], kv[0]))])


def claims_part(code: str, name: str) -> tuple[str, str, list[str]]:
    """The summary sentence, the table of every claim's two verdicts (HTML) and its texts."""
    results = claim_rows(code)
    judged = results[0].area_name if results else name
    where = "England" if code == ENGLAND else in_text(judged, query.areas().level(code))
    summary = (f"Each of the review's {len(results)} claims checked in this book, judged for {where}: with the data "
               f"the review had, {_verdict_counts(results, 'then')}; with the latest data held, "
               f"{_verdict_counts(results, 'now')}. For an area, a verdict says whether the national claim holds there; "
               "\"too few to judge\" means the area's counts are suppressed or too small.")
    rows, texts = [], []
    for r in results:
        cells = []
        for j in (r.then, r.now):
            why = j.why[:1].upper() + j.why[1:]
            texts.append(why)
            cells.append(f"<td><strong>{html.escape(j.verdict)}</strong><br><small>{html.escape(why)}.</small></td>")
        rows.append(f'<tr><th scope="row">{r.claim.id}</th><td>{html.escape(r.claim.claim)}</td>{"".join(cells)}</tr>')
    table = ('<table class="claims"><caption>The review\'s claims, judged for ' + html.escape(where)
             + '</caption><thead><tr><th scope="col">Claim</th><th scope="col">What the review said</th>'
             '<th scope="col">With the data the review had</th><th scope="col">With the latest data held</th></tr>'
             "</thead><tbody>" + "".join(rows) + "</tbody></table>")
    return summary, table, texts


def _page(code: str, pages: set[str]) -> str:
    """A link to an area's atlas page; an abolished council links to the councils that replaced it."""
    areas = query.areas()
    if code in pages:
        return f"[{areas.name(code)}]({code}.html)"
    now = [m for m in areas.group_members(code) if m in pages]
    return f"{areas.name(code)} (now " + listing([f"[{areas.name(m)}]({m}.html)" for m in now]) + ")" if now \
        else areas.name(code)


def links(code: str) -> str:
    areas = query.areas()
    pages = set(atlas_areas())
    lines = [f"The whole book run for {in_text(areas.name(code), areas.level(code))} — every chapter, its charts and "
             f"claim boxes — is built with `make edition AREA={code}` (or `python -m csc edition --area {code}`)."]
    if areas.level(code) == "regional":
        members = sorted((c for c in pages if areas.region_of(c) == code), key=areas.name)
        lines.append(f"Its {len(members)} local authorities: " + listing([_page(c, pages) for c in members]) + ".")
    else:
        lines.append("Its region: " + _page(areas.region_of(code), pages) + ". Its statistical neighbours, closest "
                     "first: " + listing([_page(c, pages) for c in places.neighbours(code)]) + ".")
    lines.append("[All areas](../index.html).")
    return "\n\n".join(lines)


def profile(area: str) -> Profile:
    """Everything an area's atlas page says, computed."""
    ctx = validate(area)
    areas = query.areas()
    code = areas.resolve(area)
    level = areas.level(code)
    name = in_text(areas.name(code), level)
    if level not in ("local_authority", "regional"):
        raise UsageError(f"the atlas profiles local authorities and regions, not {areas.name(code)}")
    kind = "region" if level == "regional" else "local authority"
    intro = (f"{name[:1].upper() + name[1:]} ({kind}, {code}): the headline figures of the book's chapters, set beside "
             + ("England and the other regions" if level == "regional"
                else f"{in_text(areas.name(areas.region_of(code)), 'regional')}, England and its ten statistical "
                     "neighbours (DfE's groupings of similar authorities)")
             + ", with the latest data held; then every claim of the review judged for it."
             + (f" As it was formed in a local government reorganisation, the claims are judged for "
                f"{areas.name(ctx.area)} on one boundary in every year, as the book does; the headline figures are "
                f"{areas.name(code)}'s own." if ctx.boundary == "consistent" else ""))
    sections = [headline(h, code) for h in HEADLINES]
    summary, table, texts = claims_part(code, name)
    chart, data = small_multiples(code, sections)
    comparison = ("Each figure is for the latest year held, set beside "
                  + ("England and the other regions" if level == "regional"
                     else "the region, England and the authority's statistical neighbours")
                  + f"; a count below {SMALL_NUMBER} is stated but not compared. The charts under them show the years held.")
    return Profile(code, name, level, intro, sections, summary, table, texts, links(code), chart, data, comparison)
