"""The area lookup table (not long format): every area a tidy row may name, with dates, boundary groups and DfE's
statistical neighbours."""
from __future__ import annotations

import pandas as pd

from ..geography import NEIGHBOURS, build_lookup, neighbour_groups, with_neighbours
from ..readers import read_csv
from . import source

LAS = "context/geography/dfe_las.csv"
REGIONS = "context/geography/dfe_region_la_hierarchy.csv"
STATISTICAL_NEIGHBOURS = "context/geography/New_Statistical_Neighbour_Groupings_April_2021.csv"


def build(manifest) -> pd.DataFrame:
    las = read_csv(source(manifest, LAS), required=["new_la_code", "la_name", "date_of_operation",
                                                     "date_of_termination", "parent_geography_code", "old_la_code"])
    regions = read_csv(source(manifest, REGIONS), required=["region_code", "region_name"])
    lookup = build_lookup(las, regions)
    sn = source(manifest, STATISTICAL_NEIGHBOURS)
    groups = neighbour_groups(read_csv(sn, required=["LA number", *NEIGHBOURS]), sn.raw_path,
                              set(lookup.loc[lookup["geographic_level"] == "local_authority", "la_code"]) - {""})
    return with_neighbours(lookup, groups, sn.raw_path)
