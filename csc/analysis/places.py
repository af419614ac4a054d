"""Every LA on one rate per 10,000 children: the over-dispersed funnel around England, the link with deprivation,
where an area sits, and how it compares with its statistical neighbours (DfE's groupings of similar LAs). Shared by
the chapters that compare places (family help, the care system) and the atlas's area profiles."""
from __future__ import annotations

import statistics
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from .. import derived, funnel, query, sources
from ..catalogue import catalogue
from ..chapter import Context
from ..errors import UsageError
from ..geography import ENGLAND
from . import Chart, count, is_number, listing, rank_of, small_count, too_small


@dataclass(frozen=True)
class Comparison:
    measure: str
    year: str
    la: pd.DataFrame          # one row per LA kept: count, population, rate, z, position, idaci
    limits: funnel.Funnel
    corr: float               # rate against the IDACI score, across LAs
    england: float            # England's rate per 10,000
    source: str


def rate(measure: str, area: str, period: str, vintage: str) -> float | None:
    """An area's count per 10,000 children in one year, as DfE computes it (None where not published)."""
    rates = derived.per_10000(measure, area, vintage).set_index("period")["rate"]
    return float(rates[period]) if period in rates.index else None


def latest_year(measure: str, ctx: Context) -> str:
    held = query.measure_rows(measure, vintage=ctx.vintage, level="local_authority")["period"]
    return str(min(int(held.max()), ctx.end_year or 9999))


@lru_cache(maxsize=16)
def compare(measure: str, period: str, vintage: str) -> Comparison:
    england = rate(measure, ENGLAND, period, vintage)
    limits = funnel.la_funnel(measure, period, vintage, target=england)
    idaci = query.measure_rows("imd.idaci_average_score", vintage="latest", level="local_authority")
    la = limits.areas.merge(idaci[["area_code", "value"]].rename(columns={"value": "idaci"}), on="area_code",
                            how="left").sort_values("rate").reset_index(drop=True)
    corr = la.dropna(subset=["idaci"])[["rate", "idaci"]].corr().iloc[0, 1]
    rows = query.measure_rows(measure, vintage=vintage, level="local_authority")
    files = list(rows[rows["period"] == period]["source"].unique())
    for other in ("pop.children_0_17", "imd.idaci_average_score"):
        files += list(query.measure_rows(other, level="local_authority")["source"].unique())
    return Comparison(measure, period, la, limits, corr, england, sources.cite(files))


def neighbours(la_code: str) -> list[str]:
    """An LA's ten statistical neighbours (DfE's April 2021 groupings), GSS codes, closest first; councils formed
    since take their predecessor's (csc/geography.yml)."""
    areas = query.areas()
    code = areas.resolve(la_code)
    found = areas.neighbours(code)
    if not found:
        raise UsageError(f"{areas.name(code)} has no statistical neighbours: DfE groups single local authorities only")
    return found


@dataclass(frozen=True)
class Benchmark:
    """One LA's figure beside its region, England and its statistical neighbours, in one period."""
    measure: str
    period: str
    vintage: str
    area: str
    area_name: str
    unit: str                 # 'rate_per_10000' or the measure's own unit
    value: float | None       # the LA's figure (None: not published or too few to compare)
    region: float | None
    england: float | None
    compared: pd.DataFrame    # the neighbours compared: area_code, area_name, value, named (the neighbour DfE names)
    left_out: tuple[tuple[str, str], ...]   # (name, why) of neighbours with no comparable figure that year
    rank: int | None          # 1 = highest among the LA and the neighbours compared
    count: float | None = None  # the LA's count behind a rate

    @property
    def median(self) -> float | None:
        return statistics.median(self.compared["value"]) if len(self.compared) else None

    @property
    def low(self) -> float | None:
        return float(self.compared["value"].min()) if len(self.compared) else None

    @property
    def high(self) -> float | None:
        return float(self.compared["value"].max()) if len(self.compared) else None

    @property
    def of(self) -> int:
        return len(self.compared) + 1

    def shown(self, value: float | None) -> str:
        """A figure as the sentences print it: rates whole, percentages to one place."""
        if not is_number(value):
            return "not published"
        return shown(value, self.unit)


def shown(value: float | None, unit: str) -> str:
    """A figure as sentences print it: rates whole, percentages and ratios to one place."""
    if not is_number(value):
        return "not published"
    return f"{value:.1f}%" if unit == "percent" else f"{value:.1f}" if unit == "ratio" else f"{value:,.0f}"


@lru_cache(maxsize=32)
def la_rows(measure: str, vintage: str = "latest") -> pd.DataFrame:
    """Every LA's rows of a measure (no breakdown), read once per run."""
    return query.measure_rows(measure, vintage=vintage, level="local_authority")


@lru_cache(maxsize=32)
def _la_periods(measure: str, vintage: str, per_10000: bool, base: str | None) -> dict[str, tuple[dict, set]]:
    """Every LA's figure in every period at once: {period: ({code: (figure, count)}, codes with any row)}. Rates pair
    year T with the mid-year T-1 population, as derived.per_10000 does; `count` is what the small-number rule reads
    (the count itself, or the base a published percentage is taken of)."""
    rows = la_rows(measure, vintage)
    rows = rows[rows["status"] != "z"][["area_code", "period", "value"]]
    counted = rows if per_10000 else None
    if base:
        counted = la_rows(base, vintage)[["area_code", "period", "value"]]
    if per_10000:
        pop = la_rows(derived.POPULATION)
        pop = pop.assign(period=(pop["period"].astype(int) + 1).astype(str))[["area_code", "period", "value"]]
        figures = rows.merge(pop, on=["area_code", "period"], suffixes=("", "_population"))
        figures = figures.assign(figure=figures["value"] / figures["value_population"] * 10_000)
    else:
        figures = rows.assign(figure=rows["value"])
    if counted is not None:
        figures = figures[["area_code", "period", "figure"]].merge(counted.rename(columns={"value": "count"}),
                                                                   on=["area_code", "period"], how="left")
    else:
        figures = figures.assign(count=None)
    figures = figures.dropna(subset=["figure"])
    out: dict[str, tuple[dict, set]] = {p: ({}, set(part["area_code"])) for p, part in rows.groupby("period")}
    for period, part in figures.groupby("period"):
        out[period][0].update(zip(part["area_code"], zip(part["figure"].astype(float), part["count"])))
    return out


def la_figures(measure: str, period: str, vintage: str = "latest", per_10000: bool = True,
               base: str | None = None) -> tuple[dict, set]:
    """Every LA's figure in a period ({code: (figure, count)}) and the codes with any row (suppressed included)."""
    return _la_periods(measure, vintage, per_10000, base).get(period, ({}, set()))


@lru_cache(maxsize=256)
def _area_series(measure: str, area: str, vintage: str, per_10000: bool) -> dict[str, float]:
    if per_10000:
        return dict(derived.per_10000(measure, area, vintage)[["period", "rate"]].itertuples(index=False))
    return {r["period"]: r["value"] for r in query.series_records(measure, area, vintage)[1] if is_number(r["value"])}


def area_figure(measure: str, area: str, period: str, vintage: str = "latest", per_10000: bool = True) -> float | None:
    """One area's figure in a period: a count per 10,000 children, or the measure as published (None if not)."""
    return _area_series(measure, area, vintage, per_10000).get(period)


def area_series(measure: str, area: str, vintage: str = "latest", per_10000: bool = True) -> dict[str, float]:
    """An area's figures by period, on the same basis as area_figure."""
    return dict(_area_series(measure, area, vintage, per_10000))


def joint(code: str, reported: set[str]) -> list[str]:
    """The joint return (e.g. North and West Northamptonshire's workforce) an LA's figures are published in."""
    return [j for j in sorted(reported) if "+" in j and code in j.split("+")]


def benchmark(measure: str, la_code: str, period: str, vintage: str = "latest", per_10000: bool = True,
              base: str | None = None) -> Benchmark:
    """The LA's figure (a count per 10,000 children, or the measure as published) beside its region's, England's and
    its statistical neighbours': their median and range, and where the LA ranks among them. A neighbour with no row
    that year (abolished, or not yet formed) is replaced by the councils of its reorganisation group that have one;
    a count (or, for a published percentage, its `base` measure) below SMALL_NUMBER is not compared."""
    areas = query.areas()
    code = areas.resolve(la_code)
    named = neighbours(code)
    figures, reported = la_figures(measure, period, vintage, per_10000, base)
    small = per_10000 or base is not None
    rows, left_out, seen = [], [], {code}
    for neighbour in named:
        stand_ins = [neighbour] if neighbour in reported else [
            m for m in areas.group_members(neighbour) if m in reported and m != neighbour] or joint(neighbour, reported)
        if not stand_ins:
            left_out.append((areas.name(neighbour), f"not published for {period}"))
        for council in stand_ins:
            if council in seen:
                continue
            if code in council.split("+"):   # a joint return that includes the LA itself is no neighbour of it
                left_out.append((areas.name(neighbour), f"published only jointly with {areas.name(code)}"))
                continue
            seen.add(council)
            value, counted = figures.get(council, (None, None))
            if not is_number(value):
                left_out.append((areas.name(council), f"not published for {period}"))
            elif small and too_small(counted):
                left_out.append((areas.name(council), "too few to compare"))
            else:
                rows.append({"area_code": council, "area_name": areas.name(council), "value": float(value),
                             "named": neighbour})
    compared = pd.DataFrame(rows, columns=["area_code", "area_name", "value", "named"])
    own, counted = figures.get(code, (None, None))
    if small and too_small(counted):
        own = None
    rank = 1 + int((compared["value"] > own).sum()) if is_number(own) else None
    region = areas.region_of(code)
    return Benchmark(measure, period, vintage, code, areas.name(code), "rate_per_10000" if per_10000
                     else catalogue()[measure].unit, float(own) if is_number(own) else None,
                     area_figure(measure, region, period, vintage, per_10000) if region else None,
                     area_figure(measure, ENGLAND, period, vintage, per_10000), compared, tuple(left_out), rank,
                     counted)


def beside_neighbours(b: Benchmark) -> str:
    """One sentence: where the LA ranks among its statistical neighbours, their median and range."""
    names = query.areas().name
    stood_in = [f"{listing([names(c) for c in part['area_code']])} standing in for {names(named)}"
                for named, part in b.compared.groupby("named", sort=False) if named not in set(b.compared["area_code"])]
    basis = (f", with {stood_in[0]}, which had no figures for {b.period}" if len(stood_in) == 1
             else f", with stand-ins for councils that had no figures for {b.period} ({'; '.join(stood_in)})"
             if stood_in else "")
    reasons: dict[str, list[str]] = {}
    for name, reason in b.left_out:
        reasons.setdefault(reason, []).append(name)
    left = "".join(f"; {listing(n)} {'is' if len(n) == 1 else 'are'} left out ({r})" for r, n in reasons.items())
    what = "rate" if b.unit == "rate_per_10000" else "figure"
    if len(b.compared) < 2:
        return (f"Fewer than two of the statistical neighbours of {b.area_name} have a comparable {what} for "
                f"{b.period}, so it is not set beside them{left}.")
    spread = f"median of {b.shown(b.median)} (range {b.shown(b.low)} to {b.shown(b.high)}){basis}"
    if b.rank is None:
        if is_number(b.count):
            why = f"is based on {'a count of 0' if b.count == 0 else 'only ' + small_count(b.count)}, too few to rank"
        else:
            why = f"is not published for {b.period}"
        return (f"The {len(b.compared)} statistical neighbours of {b.area_name} (DfE's groupings of similar "
                f"authorities) with comparable figures had a {spread}{left}; the {what} for {b.area_name} {why}.")
    place = rank_of(b.rank, b.of)
    return (f"Beside its {len(b.compared)} statistical neighbours with comparable figures (DfE's groupings of similar "
            f"authorities), {b.area_name} ranked {place} of {b.of} on this {what}, at {b.shown(b.value)}; the "
            f"neighbours had a {spread}{left}.")


def members(ctx: Context, c: Comparison) -> set[str]:
    """The LAs to highlight: the area (or its merged group), or a region's authorities."""
    out = set(ctx.members) | {ctx.area}
    if ctx.level == "regional":
        out |= {a for a in c.la["area_code"] if query.areas().region_of(a) == ctx.area}
    return out


def where_it_sits(ctx: Context, c: Comparison, counted: str) -> str:
    """'; Leeds had 176, the 94th highest of 152, within the limits' (or the region's rate and its LAs' range)."""
    mine = c.la[c.la["area_code"].isin(members(ctx, c))]
    if ctx.level == "local_authority" or ctx.boundary == "consistent":
        if mine.empty:
            return f"; {ctx.area_name}'s rate is not published for {c.year} (suppressed or not returned)"
        return "; " + listing([
            f"{r.area_name} had **{r.rate:.0f}**" + (
                f" from only {count(r.count)} {counted}, too few for its rate to be compared" if too_small(r.count)
                else f", the {rank_of(1 + int((c.la['rate'] > r.rate).sum()), len(c.la))} of {len(c.la)}, "
                     + ("within the limits" if r.position == "within 95% limits" else str(r.position)))
            for r in mine.itertuples()])
    if ctx.level == "regional" and len(mine):
        own = rate(c.measure, ctx.area, c.year, ctx.vintage)
        return ((f" and {own:.0f} for {ctx.area_name}" if own else "")
                + f"; its {len(mine)} authorities ranged from {mine['rate'].min():.0f} to {mine['rate'].max():.0f}")
    return ""


def among_neighbours(ctx: Context, c: Comparison) -> str:
    """' Among its 10 statistical neighbours ...' for each LA the area is (a merged council: each one that reported)."""
    if ctx.level != "local_authority" and ctx.boundary != "consistent":
        return ""
    mine = c.la[c.la["area_code"].isin(members(ctx, c))]
    return "".join(" " + beside_neighbours(benchmark(c.measure, code, c.year, ctx.vintage))
                   for code in mine["area_code"] if query.areas().neighbours(code))


def describe(ctx: Context, c: Comparison, counted: str) -> str:
    """The range across LAs, where the area sits, the link with deprivation and the funnel's verdict."""
    low, high = c.la.iloc[0], c.la.iloc[-1]
    strength = (f"deprivation goes with more {counted}, but explains only part of the variation"
                if 0.2 <= c.corr < 0.7 else "a strong association" if c.corr >= 0.7 else "no clear association")
    left_out = [f"{r.area_name}, whose {'count is suppressed' if 'suppressed' in r.reason else r.reason}"
                for r in c.limits.excluded.itertuples()]
    return (f"ranged from {low['rate']:.0f} per 10,000 children ({low['area_name']}) to {high['rate']:.0f} "
            f"({high['area_name']}), against {c.england:.0f} for England{where_it_sits(ctx, c, counted)}."
            f"{among_neighbours(ctx, c)} Across "
            f"authorities the correlation between the rate and the IDACI child-poverty score is {c.corr:.2f}: "
            f"{strength}. Rates vary far more than chance alone would produce, so the funnel's limits allow for that "
            f"({c.limits.label}); {c.limits.outside('99.8%')} of {len(c.la)} authorities lie outside the adjusted "
            "99.8% limits." + (f" Left out: {listing(left_out)}." if left_out else ""))


def chart(ctx: Context, c: Comparison, name: str, what: str, when: str, ylabel: str) -> Chart:
    """The two-panel funnel and deprivation chart's words."""
    low, high = c.la.iloc[0], c.la.iloc[-1]
    outside = c.limits.outside("99.8%")
    shown = not ctx.is_england and c.la["area_code"].isin(members(ctx, c)).any()
    return Chart(name, f"{what[:1].upper() + what[1:]} vary {high['rate'] / low['rate']:.0f}-fold between "
                 f"authorities; {outside} of {len(c.la)} lie outside over-dispersion-adjusted 99.8% limits", (
                     f"Two scatter plots of {what} per 10,000 children for {len(c.la)} local authorities, {when}. "
                     f"Left: a funnel plot against child population with 95% and 99.8% limits around England's rate "
                     f"of {c.england:.0f}, adjusted for over-dispersion; {outside} authorities lie outside the 99.8% "
                     f"limits. Right: rates against IDACI deprivation scores, correlation {c.corr:.2f}."
                     + (f" {ctx.area_name} is highlighted." if shown else "")),
                 c.source, ylabel, "Children aged 0 to 17 (log scale)")


def frame(c: Comparison, counted: str, rate_name: str) -> pd.DataFrame:
    """The chart's CSV: one row per LA, with units in the column names."""
    data = c.la[["area_code", "area_name", "count", "population", "rate", "z", "position", "idaci"]].rename(
        columns={"count": counted, "population": "children_0_17", "rate": rate_name,
                 "z": "z_score_allowing_for_overdispersion", "position": "against_limits",
                 "idaci": "idaci_2019_average_score"})
    return data.astype({counted: "int64", "children_0_17": "int64"})
