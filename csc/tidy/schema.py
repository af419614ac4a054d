"""The one long format every tidy table shares, and the checks that guard it (pandera)."""
from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

from ..errors import CscError
from ..readers import SYMBOLS
from ..units import PERIOD_TYPES, UNITS

COLUMNS = ["measure", "period", "period_type", "geographic_level", "area_code", "la_code", "area_name",
           "breakdown", "value", "status", "unit", "release", "source"]
KEY = ["measure", "period", "area_code", "breakdown", "release"]
# Money may be negative (net expenditure where income exceeds spending, published adjustments); counts may not.
NON_NEGATIVE = {"count", "fte", "days", "months", "rate_per_10000", "ratio"}

SCHEMA = pa.DataFrameSchema(
    {
        "measure": pa.Column(str, pa.Check.str_matches(r"^[a-z]+\.[a-z0-9_]+$")),
        "period": pa.Column(str, pa.Check.str_matches(r"^\d{4}(-\d{2})?$")),
        "period_type": pa.Column(str, pa.Check.isin(list(PERIOD_TYPES))),
        "geographic_level": pa.Column(str, pa.Check.isin(["national", "regional", "local_authority"])),
        "area_code": pa.Column(str, pa.Check.str_matches(r"^E\d{8}(\+E\d{8})*$")),
        "la_code": pa.Column(str),
        "area_name": pa.Column(str),
        "breakdown": pa.Column(str),
        "value": pa.Column(float, nullable=True),
        "status": pa.Column(str, pa.Check.isin(list(SYMBOLS))),
        "unit": pa.Column(str, pa.Check.isin(list(UNITS))),
        "release": pa.Column(str, pa.Check.str_length(min_value=4)),
        "source": pa.Column(str, pa.Check.str_length(min_value=3)),
    },
    strict=True,
    ordered=True,
    coerce=False,
)


def validate(frame: pd.DataFrame, table: str) -> pd.DataFrame:
    """Schema, unit ranges and unique keys; the first failure becomes one line naming file, column and value."""
    try:
        SCHEMA.validate(frame, lazy=False)
    except pa.errors.SchemaError as exc:
        column = getattr(exc, "column_name", None) or "?"
        cases = getattr(exc, "failure_cases", None)
        value = (cases["failure_case"].iloc[0] if isinstance(cases, pd.DataFrame) and len(cases)
                 else None if cases is None else str(cases))
        source = ""
        if value is not None and column in frame.columns:
            hit = frame[frame[column].astype(str) == str(value)]
            source = hit["source"].iloc[0] if len(hit) else ""
        raise CscError(f"tidy table {table!r}: column {column!r} value {value!r} fails the schema "
                       f"({str(exc).splitlines()[0][:120]}){' in source ' + source if source else ''}") from None
    has_value = frame["value"].notna()
    if (has_value & (frame["status"] != "") & ~frame["status"].isin(["u", "low", "k"])).any():
        row = frame[has_value & (frame["status"] != "") & ~frame["status"].isin(["u", "low", "k"])].iloc[0]
        raise CscError(f"{row['source']}: {row['measure']} {row['period']} {row['area_name']} has both a value and "
                       f"the symbol {row['status']!r}")
    negative = has_value & frame["unit"].isin(NON_NEGATIVE) & (frame["value"] < 0)
    if negative.any():
        row = frame[negative].iloc[0]
        raise CscError(f"{row['source']}: negative {row['unit']} {row['value']} for {row['measure']} "
                       f"{row['period']} {row['area_name']}")
    pct = has_value & (frame["unit"] == "percent") & ((frame["value"] < 0) | (frame["value"] > 100))
    if pct.any():
        row = frame[pct].iloc[0]
        raise CscError(f"{row['source']}: percentage {row['value']} outside 0-100 for {row['measure']} "
                       f"{row['period']} {row['area_name']}")
    dupes = frame.duplicated(KEY, keep=False)
    if dupes.any():
        row = frame[dupes].iloc[0]
        raise CscError(f"{row['source']}: duplicate key {row['measure']} {row['period']} {row['area_name']} "
                       f"[{row['breakdown']}] in release {row['release']} ({int(dupes.sum())} rows)")
    return frame
