"""Where a publication says its local authority figures add up to England, check that they do in the tidy table.

A mis-mapped column or a dropped authority shows up here as a gap far beyond rounding. Checked only for releases
where every authority has a number: suppressed cells and missing returns (Hackney 2021-22) make a sum incomplete,
and England figures for 2010-2012 include DfE's estimates for authorities that sent no data.
"""
from __future__ import annotations

import pandas as pd

from ..errors import CscError

# Counts that add: {table: [measures]}; England must equal the sum of LAs within rounding.
ADDS_UP = {
    "cin": ["cin.referrals", "cin.children_in_need", "cp.section47_enquiries", "cp.icpcs", "cp.cpp_starts",
            "cp.cpp_at_31_march"],
    "cla": ["cla.children_looked_after", "cla.starts", "cla.ceased"],
    "workforce": ["wf.fte", "wf.headcount"],
    "spending": ["spend.cyps_total"],
    "context": ["pop.children_0_17"],
}


def tolerance(england: float, authorities: int) -> float:
    """Each published LA figure may be rounded (to the nearest 5 or 10); allow three standard deviations of the
    summed rounding error, plus 0.1% for national figures DfE rounds or adjusts separately."""
    return 15 * authorities ** 0.5 + 0.001 * abs(england)


def check(frame: pd.DataFrame, table: str) -> int:
    """Raise on the first release whose complete LA sum misses England; returns how many sums were checked."""
    measures = ADDS_UP.get(table, [])
    rows = frame[frame["measure"].isin(measures) & (frame["breakdown"] == "")
                 & frame["geographic_level"].isin(["national", "local_authority"])]
    checked = 0
    for (measure, period, release), group in rows.groupby(["measure", "period", "release"], sort=False):
        england = group.loc[group["geographic_level"] == "national", "value"]
        las = group.loc[group["geographic_level"] == "local_authority", "value"]
        if england.empty or las.empty or las.isna().any() or pd.isna(england.iloc[0]):
            continue
        total, national = las.sum(), england.iloc[0]
        if abs(total - national) > tolerance(national, len(las)):
            source = group["source"].iloc[0]
            raise CscError(f"{source}: {measure} {period} (release {release}): the {len(las)} local authorities add "
                           f"up to {total:,.0f} but England is {national:,.0f}")
        checked += 1
    return checked
