"""The area lookup table (not long format): every area a tidy row may name, with dates and boundary groups."""
from __future__ import annotations

import pandas as pd

from ..geography import build_lookup
from ..readers import read_csv
from . import source

LAS = "context/geography/dfe_las.csv"
REGIONS = "context/geography/dfe_region_la_hierarchy.csv"


def build(manifest) -> pd.DataFrame:
    las = read_csv(source(manifest, LAS), required=["new_la_code", "la_name", "date_of_operation",
                                                     "date_of_termination", "parent_geography_code", "old_la_code"])
    regions = read_csv(source(manifest, REGIONS), required=["region_code", "region_name"])
    return build_lookup(las, regions)
