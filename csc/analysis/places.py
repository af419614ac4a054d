"""Every LA on one rate per 10,000 children: the over-dispersed funnel around England, the link with deprivation,
and where an area sits. Shared by the chapters that compare places (family help, the care system)."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from .. import derived, funnel, query, sources
from ..chapter import Context
from ..geography import ENGLAND
from . import Chart, count, listing, ordinal, too_small


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
                else f", the {ordinal(1 + int((c.la['rate'] > r.rate).sum()))} highest of {len(c.la)}, "
                     + ("within the limits" if r.position == "within 95% limits" else str(r.position)))
            for r in mine.itertuples()])
    if ctx.level == "regional" and len(mine):
        own = rate(c.measure, ctx.area, c.year, ctx.vintage)
        return ((f" and {own:.0f} for {ctx.area_name}" if own else "")
                + f"; its {len(mine)} authorities ranged from {mine['rate'].min():.0f} to {mine['rate'].max():.0f}")
    return ""


def describe(ctx: Context, c: Comparison, counted: str) -> str:
    """The range across LAs, where the area sits, the link with deprivation and the funnel's verdict."""
    low, high = c.la.iloc[0], c.la.iloc[-1]
    strength = (f"deprivation goes with more {counted}, but explains only part of the variation"
                if 0.2 <= c.corr < 0.7 else "a strong association" if c.corr >= 0.7 else "no clear association")
    left_out = [f"{r.area_name}, whose {'count is suppressed' if 'suppressed' in r.reason else r.reason}"
                for r in c.limits.excluded.itertuples()]
    return (f"ranged from {low['rate']:.0f} per 10,000 children ({low['area_name']}) to {high['rate']:.0f} "
            f"({high['area_name']}), against {c.england:.0f} for England{where_it_sits(ctx, c, counted)}. Across "
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
