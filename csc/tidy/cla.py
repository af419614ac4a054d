"""Children looked after (SSDA903): national series from 1994, LA figures 2010-2025, every release kept.

Sources: SFR underlying LA files 2010-2019 (wide, one column per measure; release = the SFR year), EES releases
2021 to 2025 (long files), and the hand-collected first-published headline figures (data-notes §4).
A figure that two files of the same release both hold (e.g. the England total in the time series and in the
rates file) is kept once, from the first file listed below.
"""
from __future__ import annotations

import re

import pandas as pd

from ..errors import CscError
from ..readers import first_present, read_csv, require_columns
from . import ees_geography, hand_collected_rows, long_rows, source

EES_SYMBOLS = {"", "c", "z", "x", "k", ":", "low"}  # 2021 release: ":" not available, "~" (read as "low") negligible
SFR_SYMBOLS = {"", "x", "..", "c", ".", "-"}  # "" also marks a blank cell (2013, 2014 files)
STOCK, FLOW = "at_31_march", "year_to_31_march"

# measure -> (unit, period type)
MEASURES = {
    "cla.children_looked_after": ("count", STOCK),
    "cla.rate_per_10000": ("rate_per_10000", STOCK),
    "cla.starts": ("count", FLOW),
    "cla.starts_rate_per_10000": ("rate_per_10000", FLOW),
    "cla.ceased": ("count", FLOW),
    "cla.ceased_rate_per_10000": ("rate_per_10000", FLOW),
    "cla.adopted": ("count", FLOW),
    "cla.ceased_sgo": ("count", FLOW),
    "cla.ceased_by_reason": ("count", FLOW),
    "cla.uasc": ("count", STOCK),
    "cla.by_placement": ("count", STOCK),
    "cla.by_placement_percent": ("percent", STOCK),
    "cla.by_legal_status": ("count", STOCK),
    "cla.by_legal_status_percent": ("percent", STOCK),
    "cla.by_age": ("count", STOCK),
    "cla.by_age_percent": ("percent", STOCK),
    "cla.by_need": ("count", STOCK),
    "cla.by_need_percent": ("percent", STOCK),
    "cla.by_placements_in_year": ("count", STOCK),
    "cla.by_placements_in_year_percent": ("percent", STOCK),
    "cla.placement_stability": ("count", STOCK),
    "cla.care_leavers_accommodation": ("count", FLOW),
    "cla.by_placement_provider": ("count", STOCK),
    "cla.placed_outside_la": ("count", STOCK),
    "cla.by_placement_distance": ("count", STOCK),
    "cla.care_leavers_activity": ("count", FLOW),
    "cla.care_leavers_activity_percent": ("percent", FLOW),
    "cla.starts_by_age": ("count", FLOW),
    "cla.new_placements": ("count", FLOW),
    "cla.staying_put": ("count", FLOW),
    "cla.missing": ("count", FLOW),
    "cla.care_leavers_activity_22_25": ("count", FLOW),
    "cla.adoption_time": ("months", FLOW),
    "cla.school_moves": ("count", STOCK),
    "cla.social_worker_changes": ("count", STOCK),
}

# ---- harmonised category labels (catalogue caveats explain each) -------------------------------------------------
COMPOSITE = "Secure units, children's homes and semi-independent living"
PLACEMENT = {  # EES top-level categories and SFR columns -> one label across releases
    "1. Total foster placements": "Foster placements",
    "2. Total placed for adoption": "Placed for adoption",
    "3. Total placed with parents or other person with parental responsibility": "Placed with parents",
    "4. Total other placements in the community": "Other placements in the community",
    "5. Total secure units, children's homes and semi-independent living accommodation": COMPOSITE,
    "4. Total secure homes and children's homes": "Secure homes and children's homes",
    "5. Total independent and semi-independent living arrangements/ supported accommodation":
        "Independent and semi-independent living or supported accommodation",
    "6. Total other residential settings": "Other residential settings",
    "7. Total residential schools": "Residential schools",
    "8. Total other placements": "Other placements",
}
LEGAL_STATUS = {"Voluntary agreements under S20 CA 1989": "Voluntary agreements under S20"}
PROVIDER = {"Other public provision (eg by PCT)": "Other public provision",
            "Other public provision (e.g., PCT)": "Other public provision"}
PROVIDER_PLACEMENT = {  # provider file placement types -> the PLACEMENT labels
    "Secure units, childrens homes and semi-independent living accommodation": COMPOSITE,
    "Other placement in the community": "Other placements in the community",
    "Placement with parents": "Placed with parents",
    "Placed with parents or other person with parental responsibility": "Placed with parents",
    "Independent and semi-independent living arrangements/supported accommodation":
        "Independent and semi-independent living or supported accommodation",
}
DISTANCE_GROUP = {"All new placements": "All children",  # 2022 file's label for the same at-31-March total
                  "All placements": "All children",      # the 2021 file's
                  "Secure units, childrens homes and semi-independent living accommodation": COMPOSITE,
                  "Placed with parents or other person with parental responsibility": "Placed with parents",
                  "Independent and semi-independent living arrangements/ supported accommodation":
                      "Independent and semi-independent living or supported accommodation",
                  "Other": "Other placements"}

# ---- EES files -----------------------------------------------------------------------------------------------------
TIME_SERIES = ["cla/ees_2021_release/children_looked_after_time_series_1994_2021.csv",
               "cla/ees_2022_release/cla_time_series_1994_2022.csv",
               "cla/ees_2023_release/cla_time_series_1994_2023.csv",
               "cla/ees_2024_release/cla_time_series_1994_2024.csv"]
TIME_SERIES_ROWS = {
    "Children looked after at 31 March": "cla.children_looked_after",
    "Children starting to be looked after during the year": "cla.starts",
    "Children ceasing to be looked after during the year": "cla.ceased",
    "Children looked after who were adopted during the year": "cla.adopted",
    "Children looked after at 31 March who were unaccompanied asylum-seeking children": "cla.uasc",
}
RATES = ["cla/ees_2021_release/cla_number_and_rate_per_10k_children.csv",
         "cla/ees_2022_release/cla_number_and_rate_per_10k_children.csv",
         "cla/ees_2023_release/cla_number_and_rate_per_10k_children.csv",
         "cla/ees_2024_release/cla_number_and_rate_per_10k_children.csv",
         "cla/ees_2025_release/cla_number_and_rate_per_10k_children.csv"]
RATE_ROWS = {  # population_count / population_type -> (count measure, rate measure)
    "Children looked after at 31 March each year": ("cla.children_looked_after", "cla.rate_per_10000"),
    "Children looked after on 31 March each year": ("cla.children_looked_after", "cla.rate_per_10000"),
    "Children starting to be looked after each year": ("cla.starts", "cla.starts_rate_per_10000"),
    "Children ceasing to be looked after each year": ("cla.ceased", "cla.ceased_rate_per_10000"),
}
CHARACTERISTICS = ["cla/ees_2021_release/national_children_looked_after_at_31_march_by_characteristics.csv",
                   "cla/ees_2022_release/national_cla_on_31_march_by_characteristics.csv",
                   "cla/ees_2023_release/national_cla_on_31_march_by_characteristics.csv",
                   "cla/ees_2024_release/national_cla_on_31_march_by_characteristics.csv"]
CHARACTERISTIC_GROUPS = {  # cla_group -> (count measure, percent measure, breakdown dimension, label map)
    "Placement": ("cla.by_placement", "cla.by_placement_percent", "placement", PLACEMENT),
    "Legal status": ("cla.by_legal_status", "cla.by_legal_status_percent", "legal_status", LEGAL_STATUS),
    "Age group": ("cla.by_age", "cla.by_age_percent", "age", {}),
    "Category of need": ("cla.by_need", "cla.by_need_percent", "need", {}),
    # 2021 and 2022 releases only; later releases publish stability in la_cla_placement_stability.
    "Placement stability": ("cla.by_placements_in_year", "cla.by_placements_in_year_percent", "placements", {}),
}
PROVIDERS = ["cla/ees_2021_release/national-children_looked_after_at_31_march_by_placement_provider_and_locality.csv",
             "cla/ees_2022_release/national_cla_on_31_march_by_placement_provider_and_locality_.csv",
             "cla/ees_2023_release/national_cla_on_31_march_by_placement_provider_placement_type_and_locality.csv",
             "cla/ees_2024_release/national_cla_on_31_march_by_placement_provider_placement_type_and_locality.csv"]
DISTANCES = ["cla/ees_2021_release/children_looked_after_at_31march_by_placement_distance_and_locality_of_placement.csv",
             "cla/ees_2022_release/national_cla_on_31_march_by_placement_distance_and_locality_of_placement.csv",
             "cla/ees_2023_release/national_cla_on_31_march_by_placement_distance_and_placement_locality.csv",
             "cla/ees_2024_release/national_cla_on_31_march_by_placement_distance_and_placement_locality.csv"]
# The 2021 release's file (all children only) names its columns and rows its own way: -> the 2022 names.
DISTANCE_COLUMNS = {DISTANCES[0]: {"CLA_group": "cla_group", "Number": "number", "Percentage": "percentage"}}
DISTANCE_2021 = {
    "1.i Placed inside the LA boundary, 20 miles or less from home": "1.i 20 miles or less inside LA boundary",
    "1.ii Placed outside the LA boundary, 20 miles or less from home": "1.ii 20 miles or less outside LA boundary",
    "2.i Placed inside the LA boundary, more than 20 miles from home": "2.i Over 20 miles inside LA boundary",
    "2.ii Placed outside the LA boundary, more than 20 miles from home": "2.ii Over 20 miles outside LA boundary",
    "1. Placed 20 miles or less from home": "1. 20 miles or less",
    "2. Placed more than 20 miles from home": "2. Over 20 miles",
}
CEASED = ["cla/ees_2021_release/la_children_who_ceased_during_the_year.csv",
          "cla/ees_2022_release/la_children_who_ceased_during_year.csv",
          "cla/ees_2023_release/la_children_who_ceased_during_the_year.csv",
          "cla/ees_2024_release/la_children_who_ceased_during_the_year.csv"]
SGO_ADOPTIONS = "cla/ees_2022_release/la_children_who_ceased_during_the_year_sgo_adoptions.csv"
CARE_LEAVERS = ["cla/ees_2021_release/la_care_leavers_activity.csv",
                "cla/ees_2022_release/la_care_leavers_activity.csv",
                "cla/ees_2023_release/la_care_leavers_activity.csv",
                "cla/ees_2024_release/la_care_leavers_activity.csv",
                "cla/ees_2025_release/la_care_leavers_activity.csv"]
# The 2025 file renames the care-leaver columns: its name -> the 2021-2024 name.
CARE_LEAVER_COLUMNS = {"care_leaver_age": "age", "breakdown": "activity", "care_leaver_count": "number",
                       "care_leaver_percent": "percentage"}
ACCOMMODATION = ["cla/ees_2021_release/la_care_leavers_accommodation_suitability.csv",
                 "cla/ees_2023_release/la_care_leavers_accommodation_suitability.csv",
                 "cla/ees_2024_release/la_care_leavers_accommodation_suitability.csv",
                 "cla/ees_2025_release/la_care_leavers_accommodation_suitability.csv"]
ACCOMMODATION_COLUMNS = {"care_leaver_age": "age", "breakdown": "accommodation_suitability",
                         "care_leaver_count": "number"}   # 2025 names
SUITABILITY = {"Suitability total": "Total", "Accommodation considered unsuitable": "Accommodation considered not suitable"}
STARTS = ["cla/ees_2021_release/la_children_who_started_to_be_looked_after_during_the_year.csv",
          "cla/ees_2022_release/la_cla_who_started_to_be_looked_after.csv",
          "cla/ees_2023_release/national_cla_started_to_be_looked_after.csv",
          "cla/ees_2024_release/national_cla_started_to_be_looked_after.csv"]
STARTS_AGE_GROUPS = {"Age group", "Age on starting"}   # LA files (2021, 2022 releases); national files (2023, 2024)
NEW_PLACEMENTS = ["cla/ees_2021_release/la_cla_during_year_new_placements.csv",
                  "cla/ees_2022_release/la_cla_during_year_new_placements.csv",
                  "cla/ees_2023_release/la_cla_during_year_new_placements.csv",
                  "cla/ees_2024_release/la_cla_during_year_new_placements.csv",
                  "cla/ees_2025_release/la_cla_during_year_new_placements.csv"]
# The 2025 file shifts the names: its "characteristic" is the older "cla_group", its "breakdown" the older
# "characteristic" (file -> its names -> the 2021-2024 names).
NEW_PLACEMENT_COLUMNS = {"cla/ees_2025_release/la_cla_during_year_new_placements.csv": {
    "characteristic": "cla_group", "breakdown": "characteristic", "children_count": "number",
    "children_percent": "percentage"}}
NEW_PLACEMENT_LOCATION = {
    "Total new placements": "Total",
    "Placed inside LA boundary less than 20 miles from home": "Inside LA boundary, 20 miles or less from home",
    "Placed inside LA boundary more than 20 miles from home": "Inside LA boundary, more than 20 miles from home",
    "Placed outside LA boundary less than 20 miles from home": "Outside LA boundary, 20 miles or less from home",
    "Placed outside LA boundary more than 20 miles from home": "Outside LA boundary, more than 20 miles from home",
    "Distance not known or not recorded": "Distance not known or not recorded",
}
STAYING_PUT = ["cla/ees_2021_release/la_care_leavers_stayput.csv",
               "cla/ees_2023_release/la_care_leavers_stayput.csv",
               "cla/ees_2024_release/la_care_leavers_stayput.csv"]
STAYING_PUT_ROWS = {
    "Total living with former foster carers in the current year": "Living with former foster carers",
    "Young people who ceased to be looked after in a foster placement on their 18th birthday and were eligible for "
    "care leavers support": "Left foster care at 18",
}
MISSING = ["cla/ees_2021_release/la_children_who_were_missing_or_away_from_placement_during_the_year.csv",
           "cla/ees_2023_release/la_children_who_were_missing_or_away_from_placement_without_authorisation.csv",
           "cla/ees_2024_release/la_children_who_were_missing_or_away_from_placement_without_authorisation.csv"]
MISSING_COUNTS = {  # count rows, labels as published; percentages and averages are recomputed from these
    "Children looked after during the year", "Children who had a missing incident during the year",
    "Number of missing incidents during the year", "Children who went missing more than once during the year",
    "Children missing at 31 March", "Children who were away from placement without authorisation during the year",
    "Number of away from placement without authorisation incidents during the year",
    "Children who were away from placement without authorisation more than once during the year",
    "Children away from placement without authorisation at 31 March"}
MISSING_DERIVED = {"Percentage of children who had a missing incident during the year",
                   "Percentage of Children who were away from placement without authorisation during the year",
                   "Percentage of children who were away from placement without authorisation during the year",
                   "Average number of missing incidents per looked after child who went missing",
                   "Average number of away from placement without authorisation incidents per looked after child"}
LEAVERS_22_25 = "cla/ees_2024_release/la_care_leavers_activity_22to25.csv"
LEAVERS_22_25_NATIONAL = "cla/ees_2023_release/national_activity_of_care_leaver_22_25.csv"
LEAVER_22_25_ACTIVITY = {"Total": "Total", "Education, training or employment": "In education, employment or training",
                         "Not in education, training or employment": "Not in education, employment or training",
                         "Care leaver not in touch with the LA during the year": "Not in touch"}
# The 2023 national file's "Activity of care leaver" rows that match the 2024 LA file's four (EET has no total row).
LEAVER_22_25_NATIONAL = {"Total activity of care leavers": "Total",
                         "Total not in education, training or employment": "Not in education, employment or training",
                         "Care leaver not in touch": "Not in touch"}
SCHOOL_MOVES = "cla/ees_2024_release/la_cla_school_moves.csv"
# (cla_group, move_measure, school_stability) -> breakdown; the mid-year rows repeat the totals, which are skipped.
SCHOOL_ROWS = {
    ("CLA on 31 March", "Any moves", "Total children"): "school=At 31 March: all counted",
    ("CLA on 31 March", "Any moves", "With one or more moves during the year"):
        "school=At 31 March: moved school during the year",
    ("CLA on 31 March", "Mid-year moves", "With one or more mid-year moves during the year"):
        "school=At 31 March: moved school mid-year",
    ("CLA 2 years on 31 March", "Any moves", "Total children"): "school=In care 2 years: all counted",
    ("CLA 2 years on 31 March", "Any moves", "With one or more moves during the previous 2 years"):
        "school=In care 2 years: moved school in the 2 years",
    ("CLA 2 years on 31 March", "Mid-year moves", "With one or more mid-year moves during the previous 2 years"):
        "school=In care 2 years: moved school mid-year in the 2 years",
}
SCHOOL_REPEATS = {("CLA on 31 March", "Mid-year moves", "Total children"),
                  ("CLA 2 years on 31 March", "Mid-year moves", "Total children")}
SOCIAL_WORKERS = "cla/ees_2024_release/la_cla_swcount.csv"
SOCIAL_WORKER_ROWS = {"Total children": "social_workers=All children looked after at 31 March",
                      "3 or more social workers during the year": "social_workers=3 or more during the year"}
ADOPTION_TIMES = ["cla/ees_2021_release/national_children_adopted_average_time_between_different_stages_of_the_"
                  "adoption_process.csv",
                  "cla/ees_2023_release/national_cla_adopted_average_time_between_adoption_process_stages.csv",
                  "cla/ees_2024_release/national_cla_adopted_average_time_between_adoption_process_stages.csv",
                  "cla/ees_2025_release/national_cla_adopted_average_time_between_adoption_process_stages.csv"]
ADOPTION_STAGES = {  # numbered stage -> label; published as years:months ("1:4", "01:07")
    "1": "Entry into care to decision to place for adoption",
    "2": "Decision to matching with adopters", "3": "Matching to placement for adoption",
    "4": "Entry into care to placement for adoption", "5": "Placement to adoption order",
    "6": "Entry into care to adoption",
}
STABILITY = ["cla/ees_2021_release/la_cla_at_31_march_placement_stability_indicator.csv",
             "cla/ees_2023_release/la_cla_placement_stability.csv",
             "cla/ees_2025_release/la_cla_placement_stability.csv"]
STABILITY_COLUMNS = {"placement_stability": "characteristic", "children_count": "number"}  # 2023, 2025 names
# (cla_group starts with, characteristic starts with) -> breakdown. The long-term measure counted the same
# *placement* in the 2021 release and the same *carer* from 2023 (the catalogue records the break).
STABILITY_ROWS = {
    ("CLA on 31 March", "With 3 or more"): "stability=3 or more placements during the year",
    ("Children looked after at 31 March", "With 3 or more"): "stability=3 or more placements during the year",
    ("CLA on 31 March", "Total"): "stability=All children looked after at 31 March",
    ("Children looked after at 31 March", "Total"): "stability=All children looked after at 31 March",
    ("Children looked after continuously", "Living"): "stability=Under 16 in care 2.5 years: same placement or carer "
                                                      "for 2 years",
    ("Children looked after continuously", "Total"): "stability=Under 16 in care 2.5 years: all",
    ("CLA 2 years on 31 March", "With 3 or more"): "stability=In care 2 years: 3 or more placements in 2 years",
    ("CLA 2 years on 31 March", "Total"): "stability=In care 2 years: all",
}
HAND_COLLECTED = "cla/hand_collected_headline_figures.csv"
# figure_id -> (measure, period, breakdown, release of the original publication). The Case for Change citation of
# 80,080 repeats cla_31mar_2020_first_published; s47 and CPP figures belong to the CIN table.
HAND_FIGURES = {
    "cla_31mar_2018_first_published": ("cla.children_looked_after", "2018", "", "2018"),
    "cla_31mar_2020_first_published": ("cla.children_looked_after", "2020", "", "2020"),
    "cla_rate_2020_first_published": ("cla.rate_per_10000", "2020", "", "2020"),
    "cla_legal_status_care_order_2020": ("cla.by_legal_status_percent", "2020", "legal_status=Care orders", "2020"),
    "cla_legal_status_s20_2020": ("cla.by_legal_status_percent", "2020",
                                  "legal_status=Voluntary agreements under S20", "2020"),
    "cla_legal_status_placement_order_2020": ("cla.by_legal_status_percent", "2020",
                                              "legal_status=Placement order granted", "2020"),
    "cla_starts_2019_20_first_published": ("cla.starts", "2020", "", "2020"),
    "cla_ceased_2019_20_first_published": ("cla.ceased", "2020", "", "2020"),
    "cla_adopted_2019_20_first_published": ("cla.adopted", "2020", "", "2020"),
    "cla_31mar_2021_first_published": ("cla.children_looked_after", "2021", "", "2021"),
}
HAND_SKIPPED = {"case_for_change_cla_2019_20", "case_for_change_s47_2019_20", "case_for_change_cpp_2019_20"}


def strip_number(label: pd.Series) -> pd.Series:
    """'2a. Foster placements' -> 'Foster placements' (the numbering changes between releases)."""
    return label.str.strip().str.replace(r"^\d+[a-z]?\.\s*", "", regex=True)


def ees_rows(manifest, path: str, columns: dict[str, str], breakdown, keep=None, renamed=None) -> pd.DataFrame:
    """Rows of an EES long file: `columns` maps value column -> measure; `breakdown(frame)` labels each row;
    `renamed` maps a release's own column names to the ones the parser uses."""
    src = source(manifest, path)
    frame = read_csv(src, required=["time_period", "geographic_level"]).rename(columns=renamed or {})
    require_columns(frame, list(columns), src.raw_path)
    frame[list(columns)] = frame[list(columns)].replace("~", "low")
    if keep is not None:
        frame = frame[keep(frame)].reset_index(drop=True)
    label = breakdown(frame)
    pieces = []
    for column, measure in columns.items():
        unit, period_type = MEASURES[measure]
        pieces.append(long_rows(frame, src, {column: (measure, unit)}, period=frame["time_period"].str.strip(),
                                period_type=period_type, geography=ees_geography(frame, src.raw_path),
                                allowed=EES_SYMBOLS, breakdown=label))
    return pd.concat(pieces, ignore_index=True)


def by_measure(manifest, path: str, selector: str, measures: dict[str, str], value_column: str) -> pd.DataFrame:
    """Files with one row per (area, year, measure), the measure named in column `selector`."""
    src = source(manifest, path)
    frame = read_csv(src, required=["time_period", "geographic_level", selector, value_column])
    unknown = set(frame[selector].str.strip()) - set(measures)
    if unknown:
        raise CscError(f"{src.raw_path}: column {selector!r} has unexpected value {sorted(unknown)[0]!r}")
    pieces = []
    for name, part in frame.groupby(frame[selector].str.strip(), sort=False):
        measure = measures[name]
        unit, period_type = MEASURES[measure]
        part = part.reset_index(drop=True)
        pieces.append(long_rows(part, src, {value_column: (measure, unit)}, period=part["time_period"].str.strip(),
                                period_type=period_type, geography=ees_geography(part, src.raw_path),
                                allowed=EES_SYMBOLS))
    return pd.concat(pieces, ignore_index=True)


def rates(manifest, path: str) -> pd.DataFrame:
    src = source(manifest, path)
    frame = read_csv(src, required=["time_period", "geographic_level", "rate_per_10000"])
    selector = first_present(frame, ["population_count", "population_type"], src.raw_path)
    number = first_present(frame, ["number", "children_count"], src.raw_path)
    counts = {k: v[0] for k, v in RATE_ROWS.items()}
    per_10k = {k: v[1] for k, v in RATE_ROWS.items()}
    return pd.concat([by_measure(manifest, path, selector, counts, number),
                      by_measure(manifest, path, selector, per_10k, "rate_per_10000")], ignore_index=True)


def characteristics(manifest, path: str) -> pd.DataFrame:
    pieces = []
    held = set(read_csv(source(manifest, path), required=["cla_group"])["cla_group"].str.strip())
    for group, (count, percent, dimension, labels) in CHARACTERISTIC_GROUPS.items():
        if group == "Placement stability" and group not in held:  # not in the 2023 and 2024 files
            continue
        def label(frame, dimension=dimension, labels=labels):
            text = frame["characteristic"].str.strip()
            return dimension + "=" + text.replace(labels)
        keep = lambda f, group=group: (f["cla_group"].str.strip() == group) & (  # noqa: E731
            f["characteristic"].str.strip() != "Total children")
        pieces.append(ees_rows(manifest, path, {"number": count, "percentage": percent}, label, keep))
    return pd.concat(pieces, ignore_index=True)


def providers(manifest, path: str) -> pd.DataFrame:
    """Provider by locality and placement type; the all-children rows also give cla.placed_outside_la."""
    def label(frame):
        kind = frame["placement_type"].str.strip()
        locality = kind.str.extract(r"^(\d)")[0].map({"1": "", "2": "locality=Inside LA boundary; ",
                                                     "3": "locality=Outside LA boundary; ", "4": ""})
        placement = strip_number(kind)
        placement = placement.map(PROVIDER_PLACEMENT).fillna(placement)
        placement = placement.where(~placement.str.startswith("All children"), "")
        placement = placement.where(placement == "", "placement=" + placement + "; ")
        provider = frame["placement_provider"].str.strip()
        provider = provider.map(PROVIDER).fillna(provider)
        provider = provider.where(provider == "All children", "provider=" + provider)
        text = (locality + placement + provider.replace("All children", "")).str.rstrip("; ")
        return text
    rows = ees_rows(manifest, path, {"number": "cla.by_placement_provider"}, label)
    rows = rows[rows["breakdown"] != ""]  # the all-children total repeats cla.children_looked_after
    outside = rows[rows["breakdown"] == "locality=Outside LA boundary"].assign(
        measure="cla.placed_outside_la", breakdown="")
    return pd.concat([rows, outside], ignore_index=True)


def distances(manifest, path: str) -> pd.DataFrame:
    def label(frame):
        group = frame["cla_group"].str.strip()
        group = group.map(DISTANCE_GROUP).fillna(group)
        text = frame["characteristic"].str.strip().replace(DISTANCE_2021)
        distance = strip_number(text.str.replace(r"^\d\.[iv]+\s*", "", regex=True))
        distance = distance.str.replace("Distance not Known", "Distance not known", regex=False)
        distance = distance.str.replace("over 20 miles", "Over 20 miles", regex=False)
        detail = text.str.extract(r"^\d\.([iv]+)")[0]
        distance = distance.where(detail.isna(), distance.str.replace(r"\s*(inside|outside) LA boundary$", "",
                                                                      regex=True))
        locality = text.str.extract(r"(inside|outside) LA boundary$")[0]
        locality = ("; locality=" + locality.str.capitalize() + " LA boundary").fillna("")
        placement = ("placement=" + group + "; ").where(group != "All children", "")
        return placement + "distance=" + distance + locality
    return ees_rows(manifest, path, {"number": "cla.by_placement_distance"}, label,
                    lambda f: f["characteristic"].str.strip() != "Total", renamed=DISTANCE_COLUMNS.get(path))


def ceased(manifest, path: str) -> pd.DataFrame:
    is_reason = lambda f: f["cla_group"].str.strip() == "Reason episode ceased"  # noqa: E731
    reasons = ees_rows(manifest, path, {"number": "cla.ceased_by_reason"},
                       lambda f: "reason=" + f["characteristic"].str.strip(),
                       lambda f: is_reason(f) & (f["characteristic"].str.strip() != "Total"))
    totals = {"reason=Adopted": "cla.adopted", "reason=Special guardianship orders": "cla.ceased_sgo"}
    picked = reasons[reasons["breakdown"].isin(list(totals))]
    picked = picked.assign(measure=picked["breakdown"].map(totals), breakdown="")
    return pd.concat([reasons, picked], ignore_index=True)


def sgo_adoptions(manifest) -> pd.DataFrame:
    return ees_rows(manifest, SGO_ADOPTIONS, {"number": "cla.ceased_by_reason"},
                    lambda f: "reason=" + f["characteristic"].str.strip(),
                    lambda f: f["characteristic"].str.strip() != "Total")


def care_leavers(manifest, path: str) -> pd.DataFrame:
    def label(frame):
        age = frame["age"].str.strip().str.replace(r"^Aged ", "", regex=True).str.replace(r" years$", "", regex=True)
        return "activity=" + frame["activity"].str.strip() + "; age=" + age
    return ees_rows(manifest, path,
                    {"number": "cla.care_leavers_activity", "percentage": "cla.care_leavers_activity_percent"}, label,
                    renamed=CARE_LEAVER_COLUMNS)


def accommodation(manifest, path: str) -> pd.DataFrame:
    """Care leavers aged 17-18 and 19-21 by whether their accommodation is suitable (labels as in 2021-2024)."""
    def label(frame):
        suitability = frame["accommodation_suitability"].str.strip()
        age = frame["age"].str.strip().str.replace(r" years$", "", regex=True)
        return "suitability=" + suitability.replace(SUITABILITY) + "; age=" + age
    return ees_rows(manifest, path, {"number": "cla.care_leavers_accommodation"}, label,
                    renamed=ACCOMMODATION_COLUMNS)


def stability(manifest, path: str) -> pd.DataFrame:
    """Short-term (3 or more placements in the year) and long-term placement stability, national to LA."""
    def label(frame):
        group, kind = frame["cla_group"].str.strip(), frame["characteristic"].str.strip()
        out = pd.Series("", index=frame.index)
        for (g, k), name in STABILITY_ROWS.items():
            out = out.where(~(group.str.startswith(g) & kind.str.startswith(k)), name)
        if (out == "").any():
            bad = frame[out == ""].iloc[0]
            raise CscError(f"{path}: unmapped placement stability row {bad['cla_group']!r} / {bad['characteristic']!r}")
        return out
    return ees_rows(manifest, path, {"number": "cla.placement_stability"}, label, renamed=STABILITY_COLUMNS)


def starts_by_age(manifest, path: str) -> pd.DataFrame:
    """Children starting to be looked after by age on starting (national to LA 2018-2022, national 2019-2024)."""
    def keep(frame):
        return frame["cla_group"].str.strip().isin(STARTS_AGE_GROUPS) & ~frame["characteristic"].str.strip().isin(
            ["Total", "Total children"])
    return ees_rows(manifest, path, {"number": "cla.starts_by_age"},
                    lambda f: "age=" + f["characteristic"].str.strip(), keep)


def mapped(frame: pd.DataFrame, column: str, labels: dict[str, str], path: str) -> pd.Series:
    """A column's published labels in the book's words; a label not in the map is an error naming the file."""
    text = frame[column].str.strip()
    unknown = sorted(set(text) - set(labels))
    if unknown:
        raise CscError(f"{path}: column {column!r} has unmapped value {unknown[0]!r}")
    return text.map(labels)


def new_placements(manifest, path: str) -> pd.DataFrame:
    """New placements in the year by inside/outside the LA boundary and distance from home (counts)."""
    is_location = lambda f: f["cla_group"].str.strip() == "Location of new placements during the year"  # noqa: E731
    return ees_rows(manifest, path, {"number": "cla.new_placements"},
                    lambda f: "location=" + mapped(f, "characteristic", NEW_PLACEMENT_LOCATION, path),
                    is_location, renamed=NEW_PLACEMENT_COLUMNS.get(path))


def age_label(ages: pd.Series) -> pd.Series:
    """'Aged 18', '18 years', '19 to 20 years' -> '18', '19 to 20' (the wording changed in the 2023 release)."""
    return ages.str.strip().str.replace(r"^Aged ", "", regex=True).str.replace(r" years$", "", regex=True)


def staying_put(manifest, path: str) -> pd.DataFrame:
    """Young people who left foster care at 18 and those of them still living with their former foster carers."""
    return ees_rows(manifest, path, {"number": "cla.staying_put"},
                    lambda f: ("stay_put=" + mapped(f, "stay_put", STAYING_PUT_ROWS, path)
                               + "; age=" + age_label(f["age"])))


def missing(manifest, path: str) -> pd.DataFrame:
    """Children who went missing or were away without authorisation, and the incidents (counts only)."""
    def keep(frame):
        group = frame["cla_group"].str.strip()
        unknown = sorted(set(group) - MISSING_COUNTS - MISSING_DERIVED)
        if unknown:
            raise CscError(f"{path}: column 'cla_group' has unmapped value {unknown[0]!r}")
        return group.isin(MISSING_COUNTS)
    return ees_rows(manifest, path, {"number": "cla.missing"}, lambda f: "missing=" + f["cla_group"].str.strip(),
                    keep, renamed={"CLA_group": "cla_group"})


def leavers_22_25(manifest) -> pd.DataFrame:
    """Care leavers aged 22 to 25 by activity: the 2024 LA file (2023, 2024) and the 2023 release's national file."""
    la = ees_rows(manifest, LEAVERS_22_25, {"number": "cla.care_leavers_activity_22_25"},
                  lambda f: "activity=" + mapped(f, "activity", LEAVER_22_25_ACTIVITY, LEAVERS_22_25)
                  + "; age=" + age_label(f["age"]))
    def keep(frame):
        return (frame["measure"].str.strip() == "Activity of care leaver") & frame["characteristic"].str.strip().isin(
            list(LEAVER_22_25_NATIONAL))
    national = ees_rows(manifest, LEAVERS_22_25_NATIONAL, {"number": "cla.care_leavers_activity_22_25"},
                        lambda f: "activity=" + f["characteristic"].str.strip().map(LEAVER_22_25_NATIONAL)
                        + "; age=" + age_label(f["age_group"]), keep)
    return pd.concat([la, national], ignore_index=True)


def school_moves(manifest) -> pd.DataFrame:
    """Children looked after at 31 March who moved school during the year, or in two years (official statistics)."""
    def key(frame):
        return list(zip(*(frame[c].str.strip() for c in ("cla_group", "move_measure", "school_stability"))))

    def keep(frame):
        keys = key(frame)
        unknown = sorted(set(keys) - set(SCHOOL_ROWS) - SCHOOL_REPEATS)
        if unknown:
            raise CscError(f"{SCHOOL_MOVES}: unmapped school stability row {' / '.join(unknown[0])!r}")
        return pd.Series([k in SCHOOL_ROWS for k in keys], index=frame.index)
    return ees_rows(manifest, SCHOOL_MOVES, {"number": "cla.school_moves"},
                    lambda f: pd.Series([SCHOOL_ROWS[k] for k in key(f)], index=f.index), keep)


def social_worker_changes(manifest) -> pd.DataFrame:
    """Children looked after at 31 March who had three or more social workers in the year (2024 release only)."""
    return ees_rows(manifest, SOCIAL_WORKERS, {"number": "cla.social_worker_changes"},
                    lambda f: mapped(f, "sw_stability", SOCIAL_WORKER_ROWS, SOCIAL_WORKERS))


def adoption_times(manifest, path: str) -> pd.DataFrame:
    """Average time between the stages of adoption, all ages, in months (published as years:months)."""
    src = source(manifest, path)
    frame = read_csv(src, required=["time_period", "geographic_level", "stage_of_adoption_process", "age_start_poc",
                                    "number"])
    stage = frame["stage_of_adoption_process"].str.strip().str.extract(r"^(\d)\.")[0]
    frame = frame[stage.notna() & (frame["age_start_poc"].str.strip() == "Total")].reset_index(drop=True)
    stage = frame["stage_of_adoption_process"].str.strip().str.extract(r"^(\d)\.")[0]
    unknown = sorted(set(stage) - set(ADOPTION_STAGES))
    if unknown:
        raise CscError(f"{src.raw_path}: column 'stage_of_adoption_process' has unmapped stage {unknown[0]!r}")
    parts = frame["number"].str.strip().str.extract(r"^(\d+):(\d{1,2})$")
    if parts.isna().any().any():
        bad = frame.loc[parts.isna().any(axis=1), "number"].iloc[0]
        raise CscError(f"{src.raw_path}: column 'number' has {bad!r}, not years:months")
    months = (parts[0].astype(int) * 12 + parts[1].astype(int)).astype(str)
    unit, period_type = MEASURES["cla.adoption_time"]
    return long_rows(frame.assign(months=months), src, {"months": ("cla.adoption_time", unit)},
                     period=frame["time_period"].str.strip(), period_type=period_type,
                     geography=ees_geography(frame, src.raw_path), allowed={""},
                     breakdown="stage=" + stage.map(ADOPTION_STAGES))


def hand_collected(manifest) -> pd.DataFrame:
    """First-published headline figures, each under the release that first published it."""
    return hand_collected_rows(manifest, HAND_COLLECTED, HAND_FIGURES, HAND_SKIPPED, MEASURES)


# ---- SFR underlying data 2010-2019 (wide) -------------------------------------------------------------------------
SFR_LEVELS = {"national": "national", "gor": "regional", "region": "regional", "la": "local_authority",
              "": "local_authority"}  # 2017 CLA file leaves geog_l blank on the Isles of Scilly row
REGION_LETTERS = {"A": "E12000001", "B": "E12000002", "D": "E12000003", "E": "E12000004", "F": "E12000005",
                  "G": "E12000006", "H": "E12000007", "J": "E12000008", "K": "E12000009"}
# Columns whose name carries the year they describe (several years per file from 2018).
SFR_YEAR_COLUMNS = {
    r"CLA_Mar(\d{4})": "cla.children_looked_after", r"MarTotal_(\d{4})": "cla.children_looked_after",
    r"CLA_Rate(\d{4})": "cla.rate_per_10000", r"CLA_UASC(\d{4})": "cla.uasc",
    r"CLA_started(\d{4})": "cla.starts", r"StartTotal_(\d{4})": "cla.starts",
    r"Started_CLA_Rate(\d{4})": "cla.starts_rate_per_10000",
    r"CLA_cease(\d{4})": "cla.ceased", r"CeasedTotal_(\d{4})": "cla.ceased",
    r"Ceased_CLA_Rate(\d{4})": "cla.ceased_rate_per_10000",
}
# data-notes §4.3 item 4: the 2015 starts column is headed 2014 but holds 2015 (England 31,070).
SFR_MISLABELLED = {("cla/sfr_underlying/2015/SFR34_ADM2015.csv", "CLA_started2014"): "2015"}
# Columns describing the file's own year: column -> (measure, breakdown)
SFR_AT_MARCH = {
    "CLA_UASC": ("cla.uasc", ""),
    "CLA_Fost": ("cla.by_placement", "placement=Foster placements"),
    # 2010: the placement values sit in alphabetical code order under headers in another order (Q1 relative or
    # friend foster care is the 14th value, under "R2"; Q2 other foster carer the 15th, under "R3"). Checked:
    # England 7,300 + 39,900 = 47,200 foster placements, 73% of 64,400, and no LA exceeds its total.
    "MarPlace_R2_2010": ("cla.by_placement", "placement=Foster placements with relative or friend"),
    "MarPlace_R3_2010": ("cla.by_placement", "placement=Foster placements with other foster carer"),
    "CLA_Adopt": ("cla.by_placement", "placement=Placed for adoption"),
    "CLA_Parent": ("cla.by_placement", "placement=Placed with parents"),
    "CLA_Ocom": ("cla.by_placement", "placement=Other placements in the community"),
    "CLA_Secure": ("cla.by_placement", f"placement={COMPOSITE}"),
    "CLA_Ores": ("cla.by_placement", "placement=Other residential settings"),
    "CLA_RSch": ("cla.by_placement", "placement=Residential schools"),
    "CLA_OthPl": ("cla.by_placement", "placement=Other placements"),
    "CLA_Miss": ("cla.by_placement", "placement=Missing"),
    "CLA_ICO": ("cla.by_legal_status", "legal_status=Interim care orders"),
    "CLA_FCO": ("cla.by_legal_status", "legal_status=Full care orders"),
    "CLA_FrAd": ("cla.by_legal_status", "legal_status=Freed for adoption"),
    "CLA_PlaceO": ("cla.by_legal_status", "legal_status=Placement order granted"),
    "CLA_S20": ("cla.by_legal_status", "legal_status=Voluntary agreements under S20"),
    "CLA_YJLS": ("cla.by_legal_status", "legal_status=Youth justice legal statuses"),
    "CLA_CPG": ("cla.by_legal_status", "legal_status=Detained for child protection"),
    "CLA_U1": ("cla.by_age", "age=Under 1 year"),
    "CLA_1to4": ("cla.by_age", "age=1 to 4 years"),
    "CLA_5to9": ("cla.by_age", "age=5 to 9 years"),
    "CLA_10to15": ("cla.by_age", "age=10 to 15 years"),
    "CLA_16over": ("cla.by_age", "age=16 years and over"),
    "CLA_OwnP": ("cla.by_placement_provider", "provider=Own provision (by the LA)"),
    "CLA_OthLA": ("cla.by_placement_provider", "provider=Other LA provision"),
    "CLA_OthPP": ("cla.by_placement_provider", "provider=Other public provision"),
    "CLA_Priv": ("cla.by_placement_provider", "provider=Private provision"),
    "CLA_Vol": ("cla.by_placement_provider", "provider=Voluntary/third sector provision"),
    "CLA_Par": ("cla.by_placement_provider", "provider=Parents or other person with parental responsibility"),
    "CLA_Nrep": ("cla.by_placement_provider", "provider=Placement provider not reported"),
    "CLA_OutLA": ("cla.placed_outside_la", ""),
}
_SGO = "Special guardianship order made to "
SFR_CEASED = {
    "CLA_cease": ("cla.ceased", ""),
    "CLA_ceaAdop": ("cla.ceased_by_reason", "reason=Adopted - application unopposed"),
    "CLA_ceaAdop1": ("cla.ceased_by_reason", "reason=Adopted - application unopposed"),
    "CEA_Adop1": ("cla.ceased_by_reason", "reason=Adopted - application unopposed"),
    "CLA_ceaAdop2": ("cla.ceased_by_reason", "reason=Adopted - consent dispensed with"),
    "CEA_Adop2": ("cla.ceased_by_reason", "reason=Adopted - consent dispensed with"),
    "CLA_ceaSpecG": ("cla.ceased_by_reason", f"reason={_SGO}former foster carers"),
    "CLA_ceaSpecG1": ("cla.ceased_by_reason", f"reason={_SGO}former foster carers"),
    "CEA_SGO1": ("cla.ceased_by_reason", f"reason={_SGO}former foster carers"),
    "CLA_ceaSpecG2": ("cla.ceased_by_reason", f"reason={_SGO}carers other than former foster carers"),
    "CEA_SGO2": ("cla.ceased_by_reason", f"reason={_SGO}carers other than former foster carers"),
    "CEA_SGO_FFC_Rel": ("cla.ceased_by_reason", f"reason={_SGO}former foster carer, who was/are a relative or friend"),
    "CEA_SGO_FFC_Oth": ("cla.ceased_by_reason", f"reason={_SGO}former foster carer, other than relative or friend"),
    "CEA_SGO_Car_Rel": ("cla.ceased_by_reason",
                        f"reason={_SGO}carer, other than former foster carer, who was/are a relative or friend"),
    "CEA_SGO_Car_Oth": ("cla.ceased_by_reason",
                        f"reason={_SGO}carer, other than former foster carer, other than relative or friend"),
}
SFR_ADOPTED = {"CLA_cease": ("cla.ceased", ""), "CLA_ceaAdop": ("cla.adopted", "")}  # ADP files: total adopted
SFR_STARTED = {"SCLA_U1": ("cla.starts_by_age", "age=Under 1 year"),
               "SCLA_1to4": ("cla.starts_by_age", "age=1 to 4 years"),
               "SCLA_5to9": ("cla.starts_by_age", "age=5 to 9 years"),
               "SCLA_10to15": ("cla.starts_by_age", "age=10 to 15 years"),
               "SCLA_16over": ("cla.starts_by_age", "age=16 years and over")}
# 2019 files of care leavers and missing children, checked against the 2021 release's 2019 rows (England: 17-18 year
# olds 11,270 total, 3,370 NEET, against 11,190 and 3,350 revised; staying put 1,970 of 3,450 at 18; missing 11,830
# children and 73,470 incidents, against 11,880 and 73,670 revised): each column holds what its header says.
_ACT = "cla.care_leavers_activity"
SFR_LEAVERS_17_18 = {
    "CL_All_17&18": (_ACT, "activity=Total; age=17 to 18"),
    "CL_Act_EET17&18": (_ACT, "activity=Total in education, employment or training; age=17 to 18"),
    "CL_Act_HE17&18": (_ACT, "activity=Higher education i.e. studies beyond A level; age=17 to 18"),
    "CL_Act_NEET17&18": (_ACT, "activity=Total not in education, employment or training; age=17 to 18"),
    "CL_Act_NoInf17&18": (_ACT, "activity=Total information not known; age=17 to 18"),
    "CL_Stayput_18": ("cla.staying_put", "stay_put=Left foster care at 18; age=18"),
    "CL_Stayput_FFC_18": ("cla.staying_put", "stay_put=Living with former foster carers; age=18"),
}
SFR_STAYING_PUT_19_20 = {
    "CL_Stayput_19&20": ("cla.staying_put", "stay_put=Left foster care at 18; age=19 to 20"),
    "CL_Stayput_FFC_19&20": ("cla.staying_put", "stay_put=Living with former foster carers; age=19 to 20"),
}
SFR_MISSING = {
    "Miss_Miss_DuringYear": ("cla.missing", "missing=Children who had a missing incident during the year"),
    "Miss_Miss_Incs": ("cla.missing", "missing=Number of missing incidents during the year"),
    "Miss_Miss_MoreOnce": ("cla.missing", "missing=Children who went missing more than once during the year"),
    "Miss_Miss_31Mar": ("cla.missing", "missing=Children missing at 31 March"),
    "Miss_Away_DuringYear": ("cla.missing",
                             "missing=Children who were away from placement without authorisation during the year"),
    "Miss_Away_Incs": ("cla.missing",
                       "missing=Number of away from placement without authorisation incidents during the year"),
    "Miss_Away_MoreOnce": ("cla.missing", "missing=Children who were away from placement without authorisation more "
                                          "than once during the year"),
    "Miss_Away_31Mar": ("cla.missing", "missing=Children away from placement without authorisation at 31 March"),
}
# file -> which own-year column map applies; the 2010 starts file needs only the year columns.
SFR_FILES = {
    "2010/SFR27_2010_March.csv": SFR_AT_MARCH, "2010/SFR27_2010_Started.csv": {},
    "2010/SFR27_2010_Ceased.csv": {},
    "2011/SFR21_CLA.csv": SFR_AT_MARCH, "2011/SFE21_ADM.csv": SFR_STARTED, "2011/SFR21_CEA.csv": SFR_CEASED,
    "2011/SFR21_ADP.csv": SFR_ADOPTED,
    "2012/SFR20_CLA2012.csv": SFR_AT_MARCH, "2012/SFR20_ADM2012.csv": SFR_STARTED, "2012/SFR_CEA2012.csv": SFR_CEASED,
    "2012/SFR20_ADP2012.csv": SFR_ADOPTED,
    "2013/SFR36_CLA2013.csv": SFR_AT_MARCH, "2013/SFR36_ADM2013.csv": SFR_STARTED, "2013/SFR36_CEA2013.csv": SFR_CEASED,
    "2013/SFR36_ADP2013.csv": SFR_ADOPTED,
    "2014/SFR36_CLA2014.csv": SFR_AT_MARCH, "2014/SFR36_ADM2014.csv": SFR_STARTED, "2014/SFR36_CEA2014.csv": SFR_CEASED,
    "2014/SFR36_ADP2014.csv": SFR_ADOPTED,
    "2015/SFR34_CLA2015.csv": SFR_AT_MARCH, "2015/SFR34_ADM2015.csv": SFR_STARTED, "2015/SFR34_CEA2015.csv": SFR_CEASED,
    "2015/SFR34_ADP2015.csv": SFR_ADOPTED,
    "2016/SFR41_CLA2016.csv": SFR_AT_MARCH, "2016/SFR41_ADM2016.csv": SFR_STARTED, "2016/SFR41_CEA2016.csv": SFR_CEASED,
    "2017/SFR50_CLA2017.csv": SFR_AT_MARCH, "2017/SFR50_ADM2017.csv": SFR_STARTED, "2017/SFR50_CEA2017.csv": SFR_CEASED,
    "2018/CLA2018.csv": SFR_AT_MARCH, "2018/CEA2018.csv": SFR_CEASED,
    "2019/CLA2019.csv": SFR_AT_MARCH, "2019/ADM2019.csv": SFR_STARTED, "2019/CEA2019.csv": SFR_CEASED,
    "2019/Care Leavers_17182019.csv": SFR_LEAVERS_17_18,
    "2019/CareLeavers_Acc_StayPut19to212019.csv": SFR_STAYING_PUT_19_20, "2019/Missing2019.csv": SFR_MISSING,
}


def sfr_geography(frame: pd.DataFrame, path) -> pd.DataFrame:
    """`geog_l` is National/GOR/LA in 2010 and NATIONAL/REGION/LA from 2011; GSS codes from 2011 only."""
    level = frame["geog_l"].str.strip().str.lower().map(SFR_LEVELS)
    if level.isna().any():
        bad = frame.loc[level.isna(), "geog_l"].iloc[0]
        raise CscError(f"{path}: column 'geog_l' has unknown value {bad!r}")
    dfe = frame["geog_c"].str.strip()
    gss = frame["New_geog_code"].str.strip() if "New_geog_code" in frame.columns else pd.Series("", index=frame.index)
    gss = gss.where(gss != "", dfe.map(REGION_LETTERS).fillna(""))
    gss = gss.where(level != "national", "E92000001")
    return pd.DataFrame({"geographic_level": level, "area_code": gss,
                         "la_code": dfe.where(level == "local_authority", ""),
                         "area_name": frame["geog_n"].str.strip()})


def sfr_file(manifest, name: str, own_year: dict[str, tuple[str, str]]) -> pd.DataFrame:
    path = f"cla/sfr_underlying/{name}"
    src = source(manifest, path)
    frame = read_csv(src, required=["geog_l", "geog_c", "geog_n"])
    frame = frame[(frame["geog_n"].str.strip() != "") | (frame.get("New_geog_code", "") != "")].reset_index(drop=True)
    geography = sfr_geography(frame, src.raw_path)
    pieces = []
    for column in frame.columns:
        period = None
        for pattern, measure in SFR_YEAR_COLUMNS.items():
            hit = re.fullmatch(pattern, column)
            if hit:
                period, breakdown = SFR_MISLABELLED.get((path, column), hit.group(1)), ""
                break
        if period is None and column in own_year:
            measure, breakdown = own_year[column]
            period = src.release
        if period is None:
            continue
        unit, period_type = MEASURES[measure]
        pieces.append(long_rows(frame, src, {column: (measure, unit)}, period=pd.Series(period, index=frame.index),
                                period_type=period_type, geography=geography, allowed=SFR_SYMBOLS,
                                breakdown=breakdown))
    if not pieces:
        raise CscError(f"{src.raw_path}: none of the expected columns found (renamed in this release?)")
    return pd.concat(pieces, ignore_index=True)


def first_of_each_key(frame: pd.DataFrame) -> pd.DataFrame:
    """Two files of one release can hold the same figure (England totals, adoption counts): keep the first."""
    return frame.drop_duplicates(["measure", "period", "area_code", "la_code", "breakdown", "release"],
                                 keep="first", ignore_index=True)


def build(manifest, lookup) -> pd.DataFrame:
    pieces = [by_measure(manifest, path, "population_count", TIME_SERIES_ROWS, "number") for path in TIME_SERIES]
    pieces += [rates(manifest, path) for path in RATES]
    pieces += [characteristics(manifest, path) for path in CHARACTERISTICS]
    pieces += [providers(manifest, path) for path in PROVIDERS]
    pieces += [distances(manifest, path) for path in DISTANCES]
    pieces += [ceased(manifest, path) for path in CEASED]
    pieces.append(sgo_adoptions(manifest))
    pieces += [care_leavers(manifest, path) for path in CARE_LEAVERS]
    pieces += [stability(manifest, path) for path in STABILITY]
    pieces += [accommodation(manifest, path) for path in ACCOMMODATION]
    pieces += [starts_by_age(manifest, path) for path in STARTS]
    pieces += [new_placements(manifest, path) for path in NEW_PLACEMENTS]
    pieces += [staying_put(manifest, path) for path in STAYING_PUT]
    pieces += [missing(manifest, path) for path in MISSING]
    pieces.append(leavers_22_25(manifest))
    pieces += [adoption_times(manifest, path) for path in ADOPTION_TIMES]
    pieces += [school_moves(manifest), social_worker_changes(manifest)]
    pieces += [sfr_file(manifest, name, own_year) for name, own_year in SFR_FILES.items()]
    frame = first_of_each_key(pd.concat(pieces, ignore_index=True))
    hand = hand_collected(manifest)
    held = pd.MultiIndex.from_frame(frame[["measure", "period", "area_code", "breakdown", "release"]])
    new = ~pd.MultiIndex.from_frame(hand[["measure", "period", "area_code", "breakdown", "release"]]).isin(held)
    return pd.concat([frame, hand[new]], ignore_index=True)
