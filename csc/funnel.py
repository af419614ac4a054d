"""Funnel plots of local-authority rates with control limits that allow for over-dispersion.

Plain Poisson limits assume every authority shares one underlying rate, so with big populations almost every
authority falls "outside" them; real differences in need, thresholds and recording (over-dispersion) make that
reading wrong. Following Spiegelhalter, "Handling over-dispersion of performance indicators", Qual Saf Health Care
2005;14:347-351, and "Funnel plots for comparing institutional performance", Stat Med 2005;24:1185-1202, the
limits are widened by a factor phi estimated from 10% winsorised z-scores, either multiplicatively
(theta0 +/- z sqrt(phi) s) or by an additive random effect tau^2 (theta0 +/- z sqrt(s^2 + tau^2), DerSimonian-Laird).
The R package FunnelPlotR implements the same; no maintained Python library does, so the formula is written here.
"""
from __future__ import annotations

from dataclasses import dataclass
from statistics import NormalDist

import numpy as np
import pandas as pd

from .charts import PALETTE
from .errors import UsageError
from .readers import SYMBOLS

METHODS = ("additive", "multiplicative")
LEVELS = {"95%": NormalDist().inv_cdf(0.975), "99.8%": NormalDist().inv_cdf(0.999)}
POSITIONS = ("above 99.8% limit", "above 95% limit", "within 95% limits", "below 95% limit", "below 99.8% limit")


@dataclass(frozen=True)
class Funnel:
    """Control limits around a target rate, and where each authority sits against them.

    `target` and the rates are per `per` (e.g. per 10,000 children); `tau2` is the between-area variance of the
    rate on that scale (0 unless the additive adjustment was used). `areas` has the input columns plus `rate`,
    `z_poisson` (against plain Poisson limits), `z` (allowing for over-dispersion) and `position`; `excluded`
    has area_code, area_name and the reason each left-out area was left out.
    """

    target: float
    per: float
    method: str
    label: str
    phi: float
    tau2: float
    winsor: float
    areas: pd.DataFrame
    excluded: pd.DataFrame

    def sd(self, populations) -> np.ndarray:
        """Standard deviation of a rate (per `per`) at each population under the target, over-dispersion included."""
        poisson = self.target * self.per / np.asarray(populations, dtype=float)
        scale = max(self.phi, 1.0) if self.method == "multiplicative" else 1.0
        return np.sqrt(poisson * scale + self.tau2)

    def bands(self, populations=None, points: int = 200) -> pd.DataFrame:
        """The 95% and 99.8% limits (per `per`, lower ones clipped at zero) over a log-spaced population grid."""
        if populations is None:
            populations = self.areas["population"]
        grid = np.geomspace(np.min(populations), np.max(populations), points)
        sd = self.sd(grid)
        frame = pd.DataFrame({"population": grid})
        for level, z in LEVELS.items():
            frame[f"lower_{level}"] = np.clip(self.target - z * sd, 0, None)
            frame[f"upper_{level}"] = self.target + z * sd
        return frame

    def outside(self, level: str = "99.8%", adjusted: bool = True) -> int:
        """How many authorities lie outside the limits: allowing for over-dispersion, or plain Poisson ones."""
        z = self.areas["z" if adjusted else "z_poisson"]
        return int((z.abs() > LEVELS[level]).sum())

    def note(self) -> str:
        """One sentence for a chart's caption: the method and the areas left out."""
        left_out = "; ".join(f"{r.area_name} ({r.reason})" for r in self.excluded.itertuples())
        spread = f", between-area SD tau = {np.sqrt(self.tau2):.0f} per {self.per:,.0f}" if self.tau2 else ""
        return (f"Control limits: {self.label}; phi = {self.phi:.1f}{spread}, over {len(self.areas)} authorities."
                + (f" Left out: {left_out}." if left_out else ""))


def limits(areas: pd.DataFrame, target: float | None = None, per: float = 10_000, method: str = "additive",
           winsor: float = 0.1, count: str = "value", population: str = "value_population") -> Funnel:
    """Funnel limits for authorities' rates, count/population per `per`, allowing for over-dispersion.

    `areas` has area_code, area_name, a `count` and a `population` column (and optionally the published `status`
    symbol); rows with no count or no positive population are left out and reported. `target` defaults to the
    pooled rate of the areas kept. The variance of a rate y = count/population under the target theta0 is
    theta0/population (Poisson, normal approximation); if I phi <= I - 1 there is no over-dispersion and the
    plain limits stand.
    """
    if method not in METHODS:
        raise UsageError(f"funnel method {method!r} is not one of: {', '.join(METHODS)}")
    if not 0 <= winsor < 0.5:
        raise UsageError(f"funnel winsor={winsor!r} must be a share from 0 to below 0.5 (0.1 trims 10% each end)")
    for column in ("area_code", "area_name", count, population):
        if column not in areas.columns:
            raise UsageError(f"funnel input has no {column!r} column; it has {', '.join(map(str, areas.columns))}")
    counts = pd.to_numeric(areas[count], errors="coerce")
    pops = pd.to_numeric(areas[population], errors="coerce")
    no_count, no_pop = counts.isna(), ~(pops > 0)
    status = areas["status"] if "status" in areas.columns else pd.Series("", index=areas.index)
    reasons = np.where(no_count, [f"count {SYMBOLS.get(s, 'not published')} ({s})" if s else "count not published"
                                  for s in status.fillna("")], "no population estimate")
    excluded = areas.loc[no_count | no_pop, ["area_code", "area_name"]].assign(reason=reasons[no_count | no_pop])
    kept = areas.loc[~(no_count | no_pop)].copy()
    kept["count"], kept["population"] = counts[kept.index], pops[kept.index]
    if len(kept) < 2:
        raise UsageError(f"a funnel needs at least two areas with a count and a population; {len(kept)} given")

    theta0 = kept["count"].sum() / kept["population"].sum() if target is None else target / per
    y = kept["count"] / kept["population"]
    s2 = theta0 / kept["population"]
    z = (y - theta0) / np.sqrt(s2)
    low, high = np.quantile(z, [winsor, 1 - winsor])
    phi = float(np.mean(np.clip(z, low, high) ** 2))
    n = len(kept)
    trimmed = f"{winsor:.0%} winsorised z-scores"
    tau2 = 0.0
    if n * phi <= n - 1:
        used, label = "poisson", f"plain Poisson limits, as no over-dispersion was found ({trimmed})"
        z_adjusted = z
    elif method == "multiplicative":
        used = method
        label = f"multiplicative over-dispersion adjustment (Spiegelhalter 2005), {trimmed}"
        z_adjusted = z / np.sqrt(max(phi, 1.0))
    else:
        used = method
        label = f"additive random-effects over-dispersion adjustment (Spiegelhalter 2005), {trimmed}"
        w = 1 / s2
        tau2_per_child = (n * phi - (n - 1)) / (w.sum() - (w ** 2).sum() / w.sum())
        z_adjusted = (y - theta0) / np.sqrt(s2 + tau2_per_child)
        tau2 = float(tau2_per_child * per ** 2)
    kept["rate"] = y * per
    kept["z_poisson"], kept["z"] = z, z_adjusted
    kept["position"] = pd.Categorical(np.select(
        [z_adjusted > LEVELS["99.8%"], z_adjusted > LEVELS["95%"], z_adjusted >= -LEVELS["95%"],
         z_adjusted >= -LEVELS["99.8%"]], POSITIONS[:4], POSITIONS[4]), categories=POSITIONS)
    return Funnel(target=float(theta0 * per), per=per, method=used, label=label, phi=phi, tau2=tau2, winsor=winsor,
                  areas=kept.reset_index(drop=True), excluded=excluded.reset_index(drop=True))


def la_funnel(measure: str, period: str, vintage: str = "latest", target: float | None = None,
              method: str = "additive") -> Funnel:
    """Funnel limits for every local authority's rate per 10,000 children in one year, naming those left out."""
    from . import derived, query

    rates = derived.la_rates(measure, period, vintage)
    published = query.measure_rows(measure, vintage=vintage, level="local_authority")
    published = published[published["period"] == period][["area_code", "area_name", "value", "status"]]
    areas = published.merge(rates[["area_code", "value_population"]], on="area_code", how="left")
    return limits(areas, target=target, method=method)


def draw(ax, funnel: Funnel, xlabel: str, ylabel: str, target_label: str = "England rate",
         highlight=(), highlight_label: str = "Selected area", points_label: str = "Local authority") -> None:
    """Points, the target line and both bands on a log population axis, with a legend entry for each under the plot."""
    bands = funnel.bands()
    for level, style in (("95%", "--"), ("99.8%", ":")):
        ax.plot(bands["population"], bands[f"upper_{level}"], color=PALETTE[4], linestyle=style, linewidth=1,
                label=f"{level} limits")
        ax.plot(bands["population"], bands[f"lower_{level}"], color=PALETTE[4], linestyle=style, linewidth=1)
    ax.axhline(funnel.target, color=PALETTE[3], linewidth=1.2, label=target_label)
    areas = funnel.areas
    mine = areas["area_code"].isin(set(highlight))
    ax.scatter(areas.loc[~mine, "population"], areas.loc[~mine, "rate"], s=14, color=PALETTE[0], alpha=0.8,
               label=points_label)
    if mine.any():
        ax.scatter(areas.loc[mine, "population"], areas.loc[mine, "rate"], s=40, color=PALETTE[2],
                   edgecolor="black", label=highlight_label, zorder=3)
    ax.set_xscale("log")
    ax.xaxis.set_major_formatter(lambda v, _: f"{v:,.0f}")
    ax.xaxis.set_minor_formatter(lambda v, _: "")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=3, fontsize=8)
