"""Figures computed from published ones, the same way DfE computes them, so every year and area is on one basis."""
from __future__ import annotations

import pandas as pd

from . import query
from .geography import ENGLAND

POPULATION = "pop.children_0_17"


def per_10000(measure: str, area: str = ENGLAND, vintage: str = "latest",
              boundary: str = "as_published") -> pd.DataFrame:
    """Count per 10,000 children aged 0-17, pairing reporting year T with the ONS mid-year T-1 estimate (DfE's rule)."""
    _, counts = query.series_records(measure, area=area, vintage=vintage, boundary=boundary)
    _, pop = query.series_records(POPULATION, area=area, vintage="latest", boundary=boundary)
    children = {str(int(r["period"]) + 1): r["value"] for r in pop if r["value"] == r["value"]}
    rows = [(r["period"], r["value"], children[r["period"]], r["value"] / children[r["period"]] * 10_000)
            for r in counts if r["value"] == r["value"] and r["period"] in children]
    return pd.DataFrame(rows, columns=["period", "value", "value_population", "rate"]).astype(
        {"value": "float64", "value_population": "float64", "rate": "float64"})


def ratio(numerator: str, denominator: str, area: str = ENGLAND, vintage: str = "latest",
          per: float = 100, boundary: str = "as_published") -> pd.DataFrame:
    """numerator per `per` of denominator, by period, where both are published and the denominator is not zero."""
    top = query.series(numerator, area=area, vintage=vintage, boundary=boundary).dropna(subset=["value"])
    bottom = query.series(denominator, area=area, vintage=vintage, boundary=boundary).dropna(subset=["value"])
    merged = top[["period", "value"]].merge(bottom[["period", "value"]], on="period", suffixes=("", "_base"))
    merged = merged[merged["value_base"] > 0]
    merged["ratio"] = merged["value"] / merged["value_base"] * per
    return merged.reset_index(drop=True)


def la_rates(measure: str, period: str, vintage: str = "latest") -> pd.DataFrame:
    """Every LA's count and rate per 10,000 in one year, for comparisons across authorities."""
    counts = query.measure_rows(measure, vintage=vintage, level="local_authority")
    counts = counts[(counts["period"] == period)].dropna(subset=["value"])
    pop = query.measure_rows(POPULATION, vintage="latest", level="local_authority")
    pop = pop[pop["period"] == str(int(period) - 1)][["area_code", "value"]]
    merged = counts[["area_code", "area_name", "value"]].merge(pop, on="area_code", suffixes=("", "_population"))
    merged["rate"] = merged["value"] / merged["value_population"] * 10_000
    return merged.reset_index(drop=True)


def deflators() -> dict[str, float]:
    """HM Treasury GDP deflator by financial year (outturn years only)."""
    return {r["period"]: r["value"] for r in query.series_records("deflator.gdp")[1] if r["value"] == r["value"]}


def at_prices(cash: float, period: str, prices: str) -> float | None:
    """Cash in one financial year expressed at another year's prices; None where a deflator is not held."""
    index = deflators()
    if period not in index or prices not in index:
        return None
    return cash * index[prices] / index[period]
