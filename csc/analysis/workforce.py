"""The workforce: each section's numbers, chart words and sentences, for any area and vintage.

The census (DfE's children's social work workforce collection) is a snapshot at 30 September, so "2020" here is
30 September 2020, six months after the children in need "2020" (31 March). The only role split held is headcount of
social workers whose ethnicity is known, by role, 2019-2022; the FTE-by-role table is public but not held.
"""
from __future__ import annotations

import math
from dataclasses import replace
from functools import lru_cache
from statistics import NormalDist

import numpy as np
import pandas as pd

from .. import query, sources
from ..chapter import Context
from ..geography import ENGLAND
from . import SMALL_NUMBER, Chart, Section, change, count, is_number, listing, movement, ordinal, too_small, years

RATES = {"wf.agency_rate": "Agency rate", "wf.turnover_rate": "Turnover rate", "wf.vacancy_rate": "Vacancy rate",
         "wf.absence_rate": "Sickness absence rate"}
# How DfE computes each rate from counts (numerator, denominator parts, per), for areas summed over a boundary.
FROM_COUNTS = {"wf.agency_rate": ("wf.agency_fte", ("wf.agency_fte", "wf.fte"), 100),
               "wf.vacancy_rate": ("wf.vacancy_fte", ("wf.vacancy_fte", "wf.fte"), 100),
               "wf.turnover_rate": ("wf.leavers_fte", ("wf.fte",), 100),
               "wf.turnover_rate_headcount": ("wf.leavers_headcount", ("wf.headcount",), 100),
               "wf.agency_rate_headcount": ("wf.agency_headcount", ("wf.agency_headcount", "wf.headcount"), 100),
               "wf.caseload": ("wf.cases", ("wf.case_holders_fte",), 1)}
ROLES = {"Senior manager": "Senior managers", "Middle manager": "Middle managers",
         "First line manager": "First-line managers", "Senior practitioner": "Senior practitioners",
         "Case holder": "Case holders (the role)", "Qualified without cases": "Qualified, holding no cases"}
MANAGERS = ("Senior manager", "Middle manager", "First line manager")
ALL_ROLES = "All children and family social workers"
ROLE_FILE = "workforce-csww-workforce-role-by-ethnicity-2019-to-2022"
TOO_FEW = f"fewer than {SMALL_NUMBER} FTE social workers"
FIRST_END_YEAR = 2018   # the census starts at 30 September 2017: an earlier end leaves nothing to compare
GLUE = {"size": ("size_answer", "size_per_child"), "who holds cases": ("roles_answer", "roles_fte_way"),
        "stability": ("stability_answer", "stability_spread"), "associations": ("associations_answer",),
        "caseloads": ("caseload_answer",), "revisions": ("revisions_answer",)}


# --- where the census publishes an area ------------------------------------------------------------------------------

@lru_cache(maxsize=512)
def joint_code(code: str) -> str:
    """The code an LA's workforce is published under: its own, or its joint return's (Kingston with Richmond)."""
    if "+" in code or query.areas().level(code) != "local_authority":
        return code
    if any(r["value"] == r["value"] for r in query.series_records("wf.fte", code)[1]):
        return code
    joint = [c for c in held_codes() if "+" in c and code in c.split("+")]
    return joint[0] if joint else code


@lru_cache(maxsize=1)
def held_codes() -> tuple[str, ...]:
    return tuple(sorted(set(query.measure_rows("wf.fte", level="local_authority")["area_code"])))


def workforce_context(ctx: Context) -> tuple[Context, str]:
    """The chapter's context on the code the census uses, and a sentence when that is a joint return."""
    code = joint_code(ctx.area) if ctx.boundary == "as_published" else ctx.area
    if code == ctx.area:
        return ctx, ""
    name = query.areas().name(code)
    return replace(ctx, area=code, area_name=name), (
        f" {ctx.area_name} and its partner authority send one joint workforce return, so the workforce figures here "
        f"are for {name}.")


def parts(code: str) -> list[str]:
    """The areas a joint-return code is made of (itself otherwise), for tables published per authority."""
    return code.split("+") if "+" in code and query.areas().level(code) != "consistent_boundary" else [code]


# --- series ----------------------------------------------------------------------------------------------------------

@lru_cache(maxsize=4096)
def published(measure: str, code: str, vintage: str, boundary: str = "as_published") -> pd.Series:
    """One area's figures by year (int), as published or summed over a consistent boundary; symbols dropped."""
    _, records = query.series_records(measure, area=code, vintage=vintage, boundary=boundary)
    held = [(int(r["period"]), r["value"]) for r in records if r["value"] == r["value"]]
    return pd.Series([v for _, v in held], index=[y for y, _ in held], dtype="float64")


def summed(measure: str, code: str, vintage: str, boundary: str) -> pd.Series:
    """A count for an area made of several published areas (a joint return's partners), years where all are held."""
    pieces = [published(measure, p, vintage, boundary) for p in parts(code)]
    return pd.concat(pieces, axis=1).dropna().sum(axis=1) if all(len(p) for p in pieces) else pd.Series(dtype=float)


@lru_cache(maxsize=4096)
def rate(measure: str, code: str, vintage: str, boundary: str = "as_published") -> pd.Series:
    """DfE's published rate; for an area summed over a boundary, the same rate computed from the summed counts."""
    if boundary == "as_published":
        return published(measure, code, vintage)
    if measure not in FROM_COUNTS:
        return pd.Series(dtype="float64")
    top, bottom, per = FROM_COUNTS[measure]
    base = sum(published(m, code, vintage, boundary) for m in bottom)
    out = (published(top, code, vintage, boundary) / base[base > 0] * per).dropna()
    return out.round(1)


def upto(ctx: Context, values: pd.Series) -> pd.Series:
    return values[values.index <= ctx.end_year] if ctx.end_year else values


@lru_cache(maxsize=1024)
def roles(code: str, vintage: str, boundary: str = "as_published") -> pd.DataFrame:
    """Headcount with known ethnicity by role (columns), by year (index); NaN where a role is suppressed."""
    columns = {}
    for role in (ALL_ROLES, *ROLES):
        _, records = query.series_records("wf.headcount_by_role_ethnicity", code, vintage,
                                          f"role={role}; ethnicity=All known", boundary)
        columns[role] = pd.Series({int(r["period"]): r["value"] for r in records}, dtype="float64")
    return pd.DataFrame(columns)


def role_shares(table: pd.DataFrame, year: int) -> dict[str, float] | None:
    """The shares the '1 in 3' and 'managers' claims rest on, for one year; None when too few or suppressed."""
    if year not in table.index:
        return None
    row = table.loc[year]
    if any(not is_number(row.get(r)) for r in [ALL_ROLES, *ROLES]) or too_small(row[ALL_ROLES]):
        return None
    total = row[ALL_ROLES]
    managers = sum(row[r] for r in MANAGERS)
    if managers == 0:   # no council runs children's services without managers: the roles were not returned
        return None
    return {"total": total, "managers": managers / total * 100,
            "not_direct": (managers + row["Qualified without cases"]) / total * 100,
            "first_line_frontline": (row["Senior manager"] + row["Middle manager"] + row["Qualified without cases"])
            / total * 100,
            **{r: row[r] / total * 100 for r in ROLES}}


def without_cases(code: str, vintage: str, boundary: str) -> pd.Series:
    """The other 'not holding cases' measure: FTE holding no case as a % of FTE (any role can hold cases)."""
    fte, holders = published("wf.fte", code, vintage, boundary), published("wf.case_holders_fte", code, vintage, boundary)
    both = pd.concat([fte, holders], axis=1, keys=["fte", "holders"]).dropna()
    # Where more FTE hold cases than are in post (agency staff hold cases but are not in post), the difference is
    # no share of anything: that year is not shown.
    both = both[(both["fte"] >= SMALL_NUMBER) & (both["holders"] <= both["fte"])]
    return (1 - both["holders"] / both["fte"]) * 100


def one_in(share: float) -> str:
    """The review's way of saying a share ('1 in 3'); half or more is said in words."""
    return "none" if share <= 0 else "half or more" if share >= 50 else f"1 in {100 / share:.1f}"


def cite_measures(measures, code: str, vintage: str, boundary: str = "as_published") -> str:
    files = [f for m in measures for r in query.series_records(m, area=code, vintage=vintage, boundary=boundary)[1]
             for f in r["source"].split(", ") if f]
    return sources.cite(files)


# --- how big is the workforce ---------------------------------------------------------------------------------------

def employer(ctx: Context) -> str:
    return ctx.area_name if ctx.level == "local_authority" or ctx.boundary == "consistent" \
        else f"local authorities in {ctx.area_name}"


def per_child(ctx: Context, fte: pd.Series) -> str:
    """FTE per 10,000 children (ONS mid-year estimate of the same year) and children in need per FTE."""
    pop = summed("pop.children_0_17", ctx.area, "latest", ctx.boundary)
    cin = summed("cin.children_in_need", ctx.area, ctx.vintage, ctx.boundary)
    out = []
    both = [y for y in fte.index if y in pop.index and fte[y] >= SMALL_NUMBER]
    if both:
        first, last = both[0], both[-1]
        rates = {y: fte[y] / pop[y] * 10_000 for y in (first, last)}
        out.append(f"Per 10,000 children aged 0 to 17 (ONS mid-year estimates, held to mid-{int(pop.index.max())}), "
                   f"that is {rates[first]:.1f} FTE in {first} and {rates[last]:.1f} in {last}")
    need = [y for y in fte.index if y in cin.index and fte[y] >= SMALL_NUMBER and cin[y] >= SMALL_NUMBER]
    if need:
        y = need[-1]
        out.append(f"at 30 September {y} there was one FTE social worker for every {cin[y] / fte[y]:.1f} children in "
                   f"need counted six months earlier (31 March {y})")
    return (("; ".join(out)) + ".") if out else ""


def size(ctx: Context) -> Section:
    fte = upto(ctx, published("wf.fte", ctx.area, ctx.vintage, ctx.boundary))
    head = upto(ctx, published("wf.headcount", ctx.area, ctx.vintage, ctx.boundary))
    if fte.empty:
        return Section({"size_answer": f"The social work workforce is not published for {ctx.area_name} in the files "
                                       "held.", "size_per_child": ""})
    first, last = int(fte.index.min()), int(fte.index.max())
    if too_small(fte[last]):
        return Section({"size_answer": f"At 30 September {last}, {ctx.area_name} employed {fte[last]:,.1f} FTE "
                        f"children and family social workers: {TOO_FEW}, too few to compare over time or per child.",
                        "size_per_child": ""}, latest=str(last))
    growth = change(fte[last], fte[first])
    people = f" ({count(head[last])} people)" if last in head.index else ""
    answer = (f"At 30 September {last}, {employer(ctx)} employed **{count(fte[last])}** full-time-equivalent (FTE) "
              f"children and family social workers{people}. Since {first}, when there were {count(fte[first])}, the "
              f"workforce {movement(growth)}.")
    frame = pd.concat([pd.DataFrame({"year": fte.index, "series": "FTE in post", "social_workers": fte.values}),
                       pd.DataFrame({"year": head.index, "series": "Headcount in post", "social_workers": head.values})])
    chart = Chart("workforce_size", f"Children and family social workers in {ctx.area_name} {movement(growth)} "
                  f"from {first} to {last} (FTE)", (
                      f"Line chart of children and family social workers employed by {employer(ctx)} at 30 September "
                      f"each year, {first} to {last}: {count(fte[first])} FTE in {first} and {count(fte[last])} in "
                      f"{last}" + (f"; headcount {count(head[last])} in {last}." if last in head.index else ".")),
                  cite_measures(["wf.fte", "wf.headcount"], ctx.area, ctx.vintage, ctx.boundary),
                  "Social workers at 30 September (FTE or headcount)")
    return Section({"size_answer": answer, "size_per_child": per_child(ctx, fte)}, frame, chart,
                   {"fte": fte[last], "fte_change": growth}, str(last))


# --- who holds cases ------------------------------------------------------------------------------------------------

def who_holds_cases(ctx: Context) -> Section:
    table = roles(ctx.area, ctx.vintage, ctx.boundary)
    held = [y for y in table.index if role_shares(table, y) and (ctx.end_year is None or y <= ctx.end_year)]
    none_held = without_cases(ctx.area, ctx.vintage, ctx.boundary)
    none_held = upto(ctx, none_held)
    fte_way = ""
    if len(none_held):
        y = int(none_held.index.max())
        fte_way = (f" Counted the other way, by whether a social worker holds any case at all (whatever the role), "
                   f"**{none_held[y]:.1f}%** of FTE in {ctx.area_name} held no case at 30 September {y} "
                   f"({one_in(none_held[y])})"
                   + (f", against {none_held[2020]:.1f}% in 2020" if 2020 in none_held.index and y != 2020 else "")
                   + ". The two 'case holder' measures differ: the role 'case holder' is narrower than 'holding any "
                   "case'.")
    if not held:
        return Section({"roles_answer": f"The split of social workers by role is suppressed, not published or too "
                        f"few to compare for {ctx.area_name} in the files held (headcount with known ethnicity, "
                        f"2019 to 2022).", "roles_fte_way": fte_way.strip()})
    y = held[-1]
    s = role_shares(table, y)
    answer = (f"At 30 September {y}, of the {count(s['total'])} social workers in {ctx.area_name} whose ethnicity is "
              f"known (the only role split held, by headcount), **{s['managers']:.1f}%** were managers (senior, "
              f"middle or first-line), {s['Senior practitioner']:.1f}% senior practitioners, "
              f"{s['Case holder']:.1f}% in the role 'case holder' and {s['Qualified without cases']:.1f}% qualified "
              f"social workers holding no cases. Counting managers and those without cases as not working directly "
              f"with families gives **{s['not_direct']:.1f}%** ({one_in(s['not_direct'])}); counting first-line "
              f"managers, who supervise cases and often meet families, as frontline gives "
              f"**{s['first_line_frontline']:.1f}%** ({one_in(s['first_line_frontline'])}).")
    frame = pd.DataFrame([{"year": yr, "role": label, "share_of_known_headcount_percent": round(share[r], 1)}
                          for yr in held for share in [role_shares(table, yr)]
                          for r, label in [("managers", "Managers (senior, middle, first-line)"),
                                           ("Senior practitioner", ROLES["Senior practitioner"]),
                                           ("Case holder", ROLES["Case holder"]),
                                           ("Qualified without cases", ROLES["Qualified without cases"])]])
    m0, m1 = role_shares(table, held[0])["managers"], s["managers"]
    trend = ("rose" if m1 - m0 >= 0.5 else "fell" if m0 - m1 >= 0.5 else "changed little")
    chart = Chart("roles", f"Managers' share of social workers in {ctx.area_name} {trend} from {m0:.0f}% in "
                  f"{held[0]} to {m1:.0f}% in {y}" if len(held) > 1 else
                  f"Managers were {m1:.0f}% of social workers in {ctx.area_name} in {y}", (
                      f"Line chart of the share of social workers with known ethnicity in each role in "
                      f"{ctx.area_name}, {years(held)}: in {y} managers {m1:.1f}%, senior practitioners "
                      f"{s['Senior practitioner']:.1f}%, case holders {s['Case holder']:.1f}%, qualified without "
                      f"cases {s['Qualified without cases']:.1f}%."),
                  sources.cite([ROLE_FILE]),
                  "% of headcount with known ethnicity, 30 September")
    return Section({"roles_answer": answer, "roles_fte_way": fte_way.strip()}, frame, chart,
                   {"not_direct": s["not_direct"], "managers": s["managers"]}, str(y))


# --- agency work, turnover, vacancies and absence ---------------------------------------------------------------------

@lru_cache(maxsize=16)
def la_frame(period: str, vintage: str) -> tuple[pd.DataFrame, tuple[str, ...]]:
    """Every authority's rates and caseload in one year, and the authorities left out (too few FTE to compare)."""
    columns = {}
    for measure in ("wf.fte", *RATES, "wf.caseload"):
        rows = query.measure_rows(measure, vintage=vintage, level="local_authority")
        rows = rows[rows["period"] == period]
        columns[measure] = rows.set_index("area_code")["value"]
        names = rows.set_index("area_code")["area_name"]
    frame = pd.DataFrame(columns).assign(area_name=names).reset_index(names="area_code")
    small = frame[~(frame["wf.fte"] >= SMALL_NUMBER)]
    left_out = tuple(f"{name} ({TOO_FEW if is_number(fte) else 'not published'})"
                     for name, fte in zip(small["area_name"], small["wf.fte"]))
    return frame[frame["wf.fte"] >= SMALL_NUMBER].reset_index(drop=True), left_out


def la_year(ctx: Context) -> str:
    return str(min(int(latest_la_period(ctx.vintage)), ctx.end_year or 9999))


@lru_cache(maxsize=4)
def latest_la_period(vintage: str) -> str:
    return query.measure_rows("wf.agency_rate", vintage=vintage, level="local_authority")["period"].max()


def own_codes(ctx: Context, frame: pd.DataFrame) -> list[str]:
    """The authorities of the LA frame that make up the area: itself, its group's members, a region's LAs."""
    areas = query.areas()
    if ctx.is_england:
        return []
    if ctx.level == "regional":
        return [c for c in frame["area_code"] if areas.region_of(parts(c)[0]) == ctx.area
                or areas.region_of(areas.group_of(parts(c)[0])) == ctx.area]
    codes = set(ctx.members) | {ctx.area}
    return [c for c in frame["area_code"] if c in codes]


def spread(frame: pd.DataFrame, measure: str) -> str:
    values = frame.dropna(subset=[measure]).sort_values(measure)
    if len(values) < 4:
        return ""
    low, high = values.iloc[0], values.iloc[-1]
    q1, q3 = values[measure].quantile([0.25, 0.75])
    return (f"{low[measure]:.1f}% ({low['area_name']}) to {high[measure]:.1f}% ({high['area_name']}), the middle half "
            f"of authorities between {q1:.1f}% and {q3:.1f}%")


def stability(ctx: Context) -> Section:
    series = {m: upto(ctx, rate(m, ctx.area, ctx.vintage, ctx.boundary)) for m in RATES}
    fte = published("wf.fte", ctx.area, ctx.vintage, ctx.boundary)
    if series["wf.agency_rate"].empty or too_small(fte.iloc[-1] if len(fte) else None):
        return Section({"stability_answer": f"Agency, turnover and vacancy rates are not published for "
                        f"{ctx.area_name}, or it has {TOO_FEW}, too few for rates to be compared.",
                        "stability_spread": ""})
    last = int(series["wf.agency_rate"].index.max())
    now = {m: s.get(last) for m, s in series.items()}
    then = {m: s.get(2020) for m, s in series.items()}
    said = [f"{RATES[m].lower()} of {now[m]:.1f}%" + (f" (2020: {then[m]:.1f}%)" if is_number(then[m]) and last != 2020
                                                    else "")
            for m in RATES if is_number(now[m])]
    missing = [RATES[m].lower() for m in RATES if not is_number(now[m])]
    answer = (f"At 30 September {last} (flows over the year to that date), {ctx.area_name} had an "
              + listing(said) + "."
              + (f" The {listing(missing)} {'are' if len(missing) > 1 else 'is'} not published (or not computable on "
                 f"this boundary) for {last}."
                 if missing else ""))
    if not ctx.is_england:
        england = {m: rate(m, ENGLAND, ctx.vintage).get(last) for m in RATES}
        answer += " England: " + listing([f"{RATES[m].lower()} {england[m]:.1f}%" for m in RATES
                                          if is_number(england[m])]) + "."
    year = la_year(ctx)
    la, left_out = la_frame(year, ctx.vintage)
    spreads = [f"agency rates ranged from {spread(la, 'wf.agency_rate')}",
               f"turnover from {spread(la, 'wf.turnover_rate')}", f"vacancy rates from {spread(la, 'wf.vacancy_rate')}"]
    spread_text = (f"Across {len(la)} authorities at 30 September {year}, " + "; ".join(spreads) + "."
                   + (f" Left out: {listing(list(left_out))}." if left_out else ""))
    frame = pd.concat([pd.DataFrame({"year": s.index, "rate": RATES[m], "percent": s.values})
                       for m, s in series.items() if len(s)])
    first = int(frame["year"].min())
    agency = series["wf.agency_rate"]
    chart = Chart("agency_turnover_vacancy", f"In {ctx.area_name} the agency rate was {agency[last]:.0f}% in {last}"
                  + (f", against {agency[first]:.0f}% in {first}" if first in agency.index and first != last else ""),
                  (f"Line chart of agency, turnover, vacancy and sickness absence rates for children and family social "
                   f"workers in {ctx.area_name}, {first} to {last}, per cent: in {last} " + listing(said) + "."),
                  cite_measures(["wf.fte"], ctx.area, ctx.vintage, ctx.boundary), "Per cent (at or in the year to 30 September)")
    return Section({"stability_answer": answer, "stability_spread": spread_text}, frame, chart,
                   {m: now[m] for m in RATES}, str(last))


def correlation(x: pd.Series, y: pd.Series) -> tuple[float, float, float, int]:
    """Pearson's r with a 95% interval from Fisher's z transformation."""
    both = pd.concat([x, y], axis=1).dropna()
    n = len(both)
    r = float(np.corrcoef(both.iloc[:, 0], both.iloc[:, 1])[0, 1])
    half = NormalDist().inv_cdf(0.975) / math.sqrt(n - 3)
    return r, math.tanh(math.atanh(r) - half), math.tanh(math.atanh(r) + half), n


def strength(r: float, low: float, high: float) -> str:
    size = abs(r)
    words = ("no clear" if size < 0.1 else "a weak" if size < 0.3 else "a moderate" if size < 0.5 else "a strong")
    sign = "" if size < 0.1 else (" positive" if r > 0 else " negative")
    chance = ", which includes zero: it could be chance" if low < 0 < high else ""
    return f"{words}{sign} association (r = {r:.2f}, 95% interval {low:.2f} to {high:.2f}{chance})"


PAIRS = {"wf.turnover_rate": "turnover rate (%)", "wf.vacancy_rate": "vacancy rate (%)",
         "wf.caseload": "average caseload (cases per case-holding FTE)"}


def associations(ctx: Context) -> Section:
    year = la_year(ctx)
    la, left_out = la_frame(year, ctx.vintage)
    found = {m: correlation(la["wf.agency_rate"], la[m]) for m in PAIRS}
    answer = (f"Across {found['wf.turnover_rate'][3]} authorities at 30 September {year}, authorities' agency rates "
              f"show, with their " + "; with their ".join(f"{PAIRS[m].split(' (')[0]}, {strength(*found[m][:3])}"
                                                          for m in PAIRS)
              + ". These are associations between authorities in one year, not evidence that agency use causes "
              "turnover, vacancies or caseloads, or the other way round.")
    mine = own_codes(ctx, la)
    if mine and ctx.level != "regional":
        ranked = la.dropna(subset=["wf.agency_rate"])
        said = []
        for _, r in la[la["area_code"].isin(mine)].iterrows():
            value = r["wf.agency_rate"]
            rank = 1 + int((ranked["wf.agency_rate"] > value).sum())
            said.append(f"{r['area_name']}'s agency rate, {value:.1f}%, was the {ordinal(rank)} highest of "
                        f"{len(ranked)}" if is_number(value) else
                        f"{r['area_name']}'s agency rate is not published for {year}")
        answer += " " + listing(said) + "."
    data = la[["area_code", "area_name", "wf.fte", "wf.agency_rate", *PAIRS]].rename(columns={
        "wf.fte": "social_workers_fte", "wf.agency_rate": "agency_rate_percent",
        "wf.turnover_rate": "turnover_rate_fte_percent", "wf.vacancy_rate": "vacancy_rate_percent",
        "wf.caseload": "cases_per_case_holding_fte"})
    chart = Chart("agency_scatter", f"Authorities with more agency workers tend to have higher vacancy rates "
                  f"(r = {found['wf.vacancy_rate'][0]:.2f})" if found["wf.vacancy_rate"][1] > 0 else
                  f"Agency rates and vacancy rates across authorities, {year}", (
                      f"Three scatter plots of {len(la)} local authorities at 30 September {year}, agency rate (per "
                      f"cent) on the horizontal axis against turnover rate, vacancy rate and average caseload: "
                      + "; ".join(f"{PAIRS[m].split(' (')[0]} r = {found[m][0]:.2f}" for m in PAIRS) + "."
                      + (f" {ctx.area_name} is highlighted." if mine else "")),
                  la_sources(year, ctx.vintage), "", "Agency rate (% of FTE, including agency)")
    section = Section({"associations_answer": answer
                       + (f" Left out: {listing(list(left_out))}." if left_out else "")}, data, chart,
                      {m: found[m][0] for m in PAIRS}, year)
    section.figures.update(highlight=mine, pairs=PAIRS)
    return section


@lru_cache(maxsize=8)
def la_sources(year: str, vintage: str) -> str:
    rows = query.measure_rows("wf.agency_rate", vintage=vintage, level="local_authority")
    return sources.cite(rows[rows["period"] == year]["source"].unique())


# --- caseloads ------------------------------------------------------------------------------------------------------

def caseloads(ctx: Context) -> Section:
    areas = query.areas()
    shown = {code: upto(ctx, rate("wf.caseload", code, ctx.vintage, ctx.boundary if code == ctx.area
                                  else "as_published")) for code in ctx.comparators}
    mine = shown[ctx.area]
    fte = published("wf.case_holders_fte", ctx.area, ctx.vintage, ctx.boundary)
    if mine.empty or too_small(fte.iloc[-1] if len(fte) else None):
        return Section({"caseload_answer": f"Average caseloads are not published for {ctx.area_name}, or it has "
                        f"fewer than {SMALL_NUMBER} FTE holding cases, too few to compare."})
    first, last = int(mine.index.min()), int(mine.index.max())
    answer = (f"At 30 September {last}, a case-holding FTE social worker in {ctx.area_name} held **{mine[last]:.1f}** "
              f"cases on average" + (f", against {mine[first]:.1f} in {first}" if first != last else "") + ".")
    if not ctx.is_england and is_number(shown[ENGLAND].get(last)):
        answer += f" England's average was {shown[ENGLAND][last]:.1f}."
    year = la_year(ctx)
    la, left_out = la_frame(year, ctx.vintage)
    values = la.dropna(subset=["wf.caseload"]).sort_values("wf.caseload")
    if len(values) >= 4:
        q1, q3 = values["wf.caseload"].quantile([0.25, 0.75])
        answer += (f" Across {len(values)} authorities in {year}, averages ranged from {values['wf.caseload'].iloc[0]:.1f}"
                   f" ({values['area_name'].iloc[0]}) to {values['wf.caseload'].iloc[-1]:.1f} "
                   f"({values['area_name'].iloc[-1]}), the middle half between {q1:.1f} and {q3:.1f}. An average per "
                   "case holder says nothing about how complex the cases are or how they are shared out.")
    frame = pd.concat([pd.DataFrame({"year": s.index, "area": areas.name(c), "cases_per_case_holding_fte": s.values})
                       for c, s in shown.items() if len(s)])
    chart = Chart("caseload", f"Average caseload in {ctx.area_name} {movement((mine[last] / mine[first] - 1) * 100, 5)} "
                  f"from {first} to {last}", (
                      f"Line chart of the average number of cases per case-holding FTE social worker at 30 September, "
                      f"{first} to {last}, for " + listing([areas.name(c) for c in shown if len(shown[c])])
                      + f": {ctx.area_name} {mine[first]:.1f} in {first} and {mine[last]:.1f} in {last}."),
                  cite_measures(["wf.cases"], ctx.area, ctx.vintage, ctx.boundary), "Cases per case-holding FTE, 30 September")
    return Section({"caseload_answer": answer}, frame, chart, {"caseload": mine[last]}, str(last))


# --- revisions ------------------------------------------------------------------------------------------------------

@lru_cache(maxsize=8)
def releases_of(measure: str) -> pd.DataFrame:
    return query.table("workforce", measure)


@lru_cache(maxsize=8)
def releases_by_area(measure: str) -> dict[str, pd.DataFrame]:
    rows = releases_of(measure)
    rows = rows[(rows["breakdown"] == "") & (rows["status"] != "z")]
    return {code: frame for code, frame in rows.groupby("area_code")}


def codes_of(ctx: Context) -> set[str]:
    if ctx.boundary == "consistent":
        areas = query.areas()
        return set(areas.group_members(ctx.area)) | {ctx.area}
    return {ctx.area}


def by_release(ctx: Context, measure: str) -> pd.DataFrame:
    """The area's figure for each year under each release (summed over a boundary where it has several parts)."""
    index = releases_by_area(measure)
    pieces = [index[c] for c in sorted(codes_of(ctx)) if c in index]
    if not pieces:
        return pd.DataFrame(columns=["period", "release", measure])
    rows = pd.concat(pieces)
    grouped = rows.groupby(["period", "release"])["value"]
    out = grouped.sum(min_count=1).where(grouped.count() == grouped.size()).rename(measure)
    return out.reset_index()


def revisions(ctx: Context) -> Section:
    both = by_release(ctx, "wf.leavers_headcount").merge(by_release(ctx, "wf.headcount"), on=["period", "release"])
    both = both.dropna()
    both = both[both["wf.headcount"] >= SMALL_NUMBER]
    both = both[both["period"].astype(int) <= (ctx.end_year or 9999)]
    both["turnover_headcount_percent"] = (both["wf.leavers_headcount"] / both["wf.headcount"] * 100).round(1)
    spans = both.groupby("period")["release"].agg(["min", "max", "count"])
    revised = spans[spans["count"] > 1]
    gone = withdrawals(ctx)
    withdrawn = withdrawn_sentence(gone)
    if revised.empty:
        return Section({"revisions_answer": f"Turnover for {ctx.area_name} is not published in more than one release "
                        f"of the files held, or it has {TOO_FEW}; nothing to compare." + withdrawn},
                       figures={"withdrawn": gone})
    table = both.pivot_table(index="period", columns="release", values="turnover_headcount_percent")
    diff = (table.max(axis=1) - table.min(axis=1)).dropna().round(1)
    year = "2019" if diff.get("2019", 0) >= 0.1 else diff.idxmax()
    first_release, last_release = revised.loc[year, "min"], revised.loc[year, "max"]
    one = both[(both["period"] == year) & (both["release"] == first_release)].iloc[0]
    two = both[(both["period"] == year) & (both["release"] == last_release)].iloc[0]
    if diff.max() < 0.1:
        answer = (f"Every release held gives the same turnover for {ctx.area_name} in each year (to 0.1 percentage "
                  f"points): in the year to 30 September {year}, **{two['turnover_headcount_percent']:.1f}%** "
                  f"({count(two['wf.leavers_headcount'])} leavers of {count(two['wf.headcount'])}), so reports quoting "
                  "different releases agree." + withdrawn)
    else:
        answer = (f"The {first_release} release put social worker turnover in {ctx.area_name} in the year to 30 "
                  f"September {year} at **{one['turnover_headcount_percent']:.1f}%** "
                  f"({count(one['wf.leavers_headcount'])} leavers of {count(one['wf.headcount'])}); the {last_release} "
                  f"release puts it at **{two['turnover_headcount_percent']:.1f}%** "
                  f"({count(two['wf.leavers_headcount'])} leavers). Across the years held the largest revision is "
                  f"{diff.max():.1f} percentage points ({diff.idxmax()}). A report quoting the earlier release and "
                  "one quoting the later will differ for the same year; this book names the release behind every "
                  "figure." + withdrawn)
    data = both.rename(columns={"period": "year_to_30_september", "wf.leavers_headcount": "leavers_headcount",
                                "wf.headcount": "headcount_at_30_september"})
    data["leavers_headcount"] = data["leavers_headcount"].astype("int64")
    data["headcount_at_30_september"] = data["headcount_at_30_september"].astype("int64")
    data["release"] = data["release"].map(lambda r: f"{r} release")
    title = (f"Turnover in {ctx.area_name} for {year} was {one['turnover_headcount_percent']:.1f}% in the "
             f"{first_release} release and {two['turnover_headcount_percent']:.1f}% in the {last_release} release"
             if diff.max() >= 0.1 else f"Every release held gives the same turnover for {ctx.area_name}")
    chart = Chart("turnover_revisions", title, (
                      f"Line chart of social worker turnover (headcount leavers as a percentage of headcount) in "
                      f"{ctx.area_name} by year, one line per release of the workforce census held "
                      f"({listing(sorted(both['release'].unique()))}); for {year}: "
                      f"{one['turnover_headcount_percent']:.1f}% in the {first_release} release and "
                      f"{two['turnover_headcount_percent']:.1f}% in the {last_release} release."),
                  sources.cite(releases_of("wf.leavers_headcount")["source"].unique()),
                  "Turnover in the year to 30 September (% of headcount)")
    return Section({"revisions_answer": answer}, data.assign(year=data["year_to_30_september"].astype(int)), chart,
                   {"first": one["turnover_headcount_percent"], "latest": two["turnover_headcount_percent"],
                    "withdrawn": gone}, str(year))


@lru_cache(maxsize=1)
def withdrawn() -> pd.DataFrame:
    """Every LA figure published in one release and withdrawn (a symbol) in a later one."""
    found = []
    for measure in ("wf.fte", "wf.leavers_headcount", "wf.turnover_rate", "wf.agency_fte", "wf.absence_rate"):
        rows = releases_of(measure)
        rows = rows[(rows["breakdown"] == "") & (rows["geographic_level"] == "local_authority")]
        was = rows[rows["value"].notna()].sort_values("release").groupby(["area_code", "period"]).first()
        later = rows[rows["status"].isin(["u", "c", "x"])].sort_values("release").groupby(["area_code", "period"]).last()
        both = was.merge(later[["status", "release"]], left_index=True, right_index=True,
                         suffixes=("", "_later"))
        both = both[both["release_later"] > both["release"]]
        found.append(both.reset_index().assign(measure=measure))
    out = pd.concat(found, ignore_index=True)
    regions = query.areas()
    return out.assign(region=[regions.region_of(parts(c)[0]) for c in out["area_code"]])


def withdrawals(ctx: Context) -> pd.DataFrame:
    """The area's authorities' figures that were published and later withdrawn, as a small table."""
    found = withdrawn()
    if ctx.level == "regional":
        found = found[found["region"] == ctx.area]
    elif not ctx.is_england:
        found = found[found["area_code"].isin(codes_of(ctx))]
    return pd.DataFrame({"Authority": found["area_name"], "Figure": found["measure"].map(measure_words),
                         "Year to 30 September": found["period"], "As published": found["value"],
                         "Release": found["release"], "Later": "`" + found["status_later"] + "`",
                         "By the release": found["release_later"]}).reset_index(drop=True)


def withdrawn_sentence(table: pd.DataFrame) -> str:
    if table.empty:
        return ""
    first = table.iloc[0]
    return (f" {len(table)} published figure{'s were' if len(table) > 1 else ' was'} later withdrawn (`u` marks low "
            f"reliability), for example {first['Authority']}'s {first['Figure']} for {first['Year to 30 September']}, "
            f"{first['As published']:g} in the {first['Release']} release and {first['Later']} by the "
            f"{first['By the release']} release" + ("; the table lists them all." if len(table) > 1 else "."))


def measure_words(measure: str) -> str:
    return {"wf.fte": "FTE", "wf.leavers_headcount": "leavers", "wf.turnover_rate": "turnover (%)",
            "wf.agency_fte": "agency FTE", "wf.absence_rate": "absence rate (%)"}[measure]


# --- the chapter ----------------------------------------------------------------------------------------------------

def coverage(ctx: Context, out: dict[str, Section]) -> str:
    ends = {name: s.latest for name, s in out.items() if s.latest}
    if len(set(ends.values())) <= 1:
        return ""
    newest = max(ends.values())
    early = {n: v for n, v in ends.items() if v != newest}
    return (f"Sections end in different years: the newest workforce figures are for 30 September {newest}, but "
            + listing([f"{n} ends in {v}" for n, v in early.items()])
            + ". The role split is held only from the 2022 release (to 2022); DfE's later role tables, by FTE, are "
              "public but not among the files this book holds. Revisions are shown for the year the releases differ "
              "most in, or 2019.")


def sections(ctx: Context) -> dict[str, Section]:
    """Every section of the chapter, in order: what the notebook shows and the every-area test reads."""
    ctx, joint = workforce_context(ctx)
    if ctx.end_year is not None and ctx.end_year < FIRST_END_YEAR:
        said = (f"The workforce census starts at 30 September 2017, so up to {ctx.end_year} there is nothing to "
                "compare; choose an end year from 2018.")
        return {name: Section({glue: (said if i == 0 else "") for i, glue in enumerate(names)})
                for name, names in GLUE.items()} | {"coverage": Section({"coverage_note": ""})}
    out = {"size": size(ctx), "who holds cases": who_holds_cases(ctx), "stability": stability(ctx),
           "associations": associations(ctx), "caseloads": caseloads(ctx), "revisions": revisions(ctx)}
    out["size"].sentences["size_answer"] = out["size"].sentences["size_answer"] + joint
    out["coverage"] = Section({"coverage_note": coverage(ctx, {k: v for k, v in out.items()
                                                                if k not in ("revisions",)})})
    return out
