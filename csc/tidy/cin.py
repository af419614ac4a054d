"""Children in need (CIN census) and child protection, 2009-10 to 2024-25, every release held kept as its own vintage.

Two families of files (data-notes §2.1): the SFR/OSR LA underlying data for 2009-10 to 2016-17 (one wide file per
year, column names embedding the year and changing every year, so each year is mapped explicitly from its metadata
.txt), and the EES releases 2020, 2022, 2024 and 2025 (B, C and D tables with national, regional and LA rows; the A7
table for national CIN by ethnicity). The EES A1/A2/A6 national tables repeat the national rows of C2/C4/D1/D4 and
are not read (tests check they agree).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import CscError
from ..geography import ENGLAND
from ..manifest import Source
from ..readers import parse_cells, read_csv
from . import ees_geography, ees_period, long_rows, source
from .schema import COLUMNS

YEAR, AT31 = "year_to_31_march", "at_31_march"

# measure -> (unit, period type)
MEASURES = {
    "cin.referrals": ("count", YEAR),
    "cin.referrals_rate": ("rate_per_10000", YEAR),
    "cin.rereferrals": ("count", YEAR),
    "cin.rereferrals_percent": ("percent", YEAR),
    "cin.referrals_nfa": ("count", YEAR),
    "cin.referrals_nfa_percent": ("percent", YEAR),
    "cin.assessed_not_in_need": ("count", YEAR),
    "cin.assessed_not_in_need_percent": ("percent", YEAR),
    "cin.children_in_need": ("count", AT31),
    "cin.children_in_need_rate": ("rate_per_10000", AT31),
    "cin.children_in_need_by_ethnicity": ("count", AT31),
    "cin.children_in_need_by_ethnicity_percent": ("percent", AT31),
    "cin.initial_assessments": ("count", YEAR),
    "cin.initial_assessments_rate": ("rate_per_10000", YEAR),
    "cin.core_assessments": ("count", YEAR),
    "cin.core_assessments_rate": ("rate_per_10000", YEAR),
    "cin.assessments": ("count", YEAR),
    "cin.assessments_rate": ("rate_per_10000", YEAR),
    "cin.episodes_with_assessment_factors": ("count", YEAR),
    "cin.factors_at_assessment": ("count", YEAR),
    "cp.section47_enquiries": ("count", YEAR),
    "cp.section47_rate": ("rate_per_10000", YEAR),
    "cp.section47_children": ("count", YEAR),
    "cp.section47_children_rate": ("rate_per_10000", YEAR),
    "cp.icpcs": ("count", YEAR),
    "cp.icpc_rate": ("rate_per_10000", YEAR),
    "cp.icpc_children": ("count", YEAR),
    "cp.icpc_children_rate": ("rate_per_10000", YEAR),
    "cp.section47_to_icpc_median_days": ("days", YEAR),
    "cp.cpp_starts": ("count", YEAR),
    "cp.cpp_starts_rate": ("rate_per_10000", YEAR),
    "cp.cpp_starts_by_category": ("count", YEAR),
    "cp.cpp_second_or_subsequent": ("count", YEAR),
    "cp.cpp_second_or_subsequent_percent": ("percent", YEAR),
    "cp.cpp_ends": ("count", YEAR),
    "cp.cpp_ends_rate": ("rate_per_10000", YEAR),
    "cp.cpp_at_31_march": ("count", AT31),
    "cp.cpp_at_31_march_rate": ("rate_per_10000", AT31),
    "cp.cpp_by_category": ("count", AT31),
}

# Symbols each family declares (data-notes §1.2); "" is the status of a numeric (or, in 2009-10, blank) cell.
SFR_SYMBOLS = {"", "x", "..", "."}
EES_SYMBOLS = {
    "2020": {"", "c", ":", "z", ".."},
    "2022": {"", "c", "x", "z", ".."},
    "2024": {"", "c", "x", "z", "u"},
    "2025": {"", "c", "x", "z", "u"},
}

# Initial category of abuse: SFR column suffix / EES column prefix -> harmonised label.
CATEGORIES = {"Neglect": "Neglect", "Physical": "Physical abuse", "Sexual": "Sexual abuse",
              "Emotional": "Emotional abuse", "Multiple": "Multiple"}
SFR_CATEGORIES = {**CATEGORIES, "Missing": "Not recorded"}  # 2009-10 to 2011-12 files only
SFR_ETHNICITY = {"White": "White", "Mixed": "Mixed",
                 "AsianOrAsianBritish": "Asian or Asian British (excluding Chinese)",
                 "BlackorBlackBritish": "Black or Black British", "Other": "Other ethnic group (including Chinese)",
                 "Refused/NotObtained": "Refused or not obtained", "EthnicityMissing": "Missing"}


def _by(prefix: str, measure: str, dimension: str, labels: dict[str, str], suffixes=None) -> dict:
    """Breakdown columns `prefix + code` -> (measure, 'dimension=label'), for the codes a file has."""
    return {f"{prefix}{code}": (measure, f"{dimension}={labels[code]}") for code in (suffixes or labels)}


@dataclass(frozen=True)
class SfrYear:
    """One SFR/OSR underlying-data file: {column: measure or (measure, breakdown)} read off its metadata .txt."""
    file: str
    period: str
    columns: dict


SFR = [
    SfrYear("cin/sfr_underlying/2009-10/osr28-2010ud.csv", "2010", {
        "CINAt310310": "cin.children_in_need", "CINRatePer10K": "cin.children_in_need_rate",
        "Referrals0910": "cin.referrals", "Referrals0910Rate": "cin.referrals_rate",
        "IAs0910": "cin.initial_assessments", "IAs0910Rate": "cin.initial_assessments_rate",
        "CAs0910": "cin.core_assessments",
        "S47in0910": "cp.section47_enquiries", "ICPCin0910": "cp.icpcs",
        "CPPIn0910": "cp.cpp_starts", "CPPin0910SecondTime": "cp.cpp_second_or_subsequent",
        "CPPCeased0910": "cp.cpp_ends",
        "CPPAt310310": "cp.cpp_at_31_march", "CPPAt310310RatePer10k": "cp.cpp_at_31_march_rate",
        **_by("CPPin0910InitialAbuse", "cp.cpp_starts_by_category", "category", SFR_CATEGORIES),
        **_by("CPPat310310InitialAbuse", "cp.cpp_by_category", "category", SFR_CATEGORIES),
        **_by("CINAt310310", "cin.children_in_need_by_ethnicity", "ethnicity", SFR_ETHNICITY),
    }),
    SfrYear("cin/sfr_underlying/2010-11/osr26-2011ud.csv", "2011", {
        "CINAt310311": "cin.children_in_need", "CINRatePer10K": "cin.children_in_need_rate",
        "Referrals1011": "cin.referrals", "Referrals1011Rate": "cin.referrals_rate",
        "ReferralsWithin12mths1011": "cin.rereferrals", "%ReferralsWithin12mths1011": "cin.rereferrals_percent",
        "IAs1011": "cin.initial_assessments", "IAs1011Rate": "cin.initial_assessments_rate",
        "CAs1011": "cin.core_assessments",
        "S47in1011": "cp.section47_enquiries", "ICPCin1011": "cp.icpcs",
        "CPPIn1011": "cp.cpp_starts", "CPPin1011SecondTime": "cp.cpp_second_or_subsequent",
        "CPPCeased1011": "cp.cpp_ends",
        "CPPAt310311": "cp.cpp_at_31_march", "CPPAt310311RatePer10k": "cp.cpp_at_31_march_rate",
        **_by("CPPin1011InitialAbuse", "cp.cpp_starts_by_category", "category", SFR_CATEGORIES),
        **_by("CPPat310311InitialAbuse", "cp.cpp_by_category", "category", SFR_CATEGORIES),
        **_by("CINAt310311", "cin.children_in_need_by_ethnicity", "ethnicity", SFR_ETHNICITY),
    }),
    SfrYear("cin/sfr_underlying/2011-12/SFR27-2012ud.csv", "2012", {
        "CINAt310312": "cin.children_in_need", "CINAt310312RatePer10k": "cin.children_in_need_rate",
        "Referrals1112": "cin.referrals", "Referrals1112Rate": "cin.referrals_rate",
        "ReferralsWithin12mths1112": "cin.rereferrals", "%ReferralsWithin12mths1112": "cin.rereferrals_percent",
        "ReferralsNFA112": "cin.referrals_nfa", "%ReferralsNFA1112": "cin.referrals_nfa_percent",
        "ReferralsIANotInNeed1112": "cin.assessed_not_in_need",
        "%ReferralsIANotInNeed1112": "cin.assessed_not_in_need_percent",
        "IAs1112": "cin.initial_assessments", "IAs1112Rate": "cin.initial_assessments_rate",
        "CAs1112": "cin.core_assessments", "CAsRate1112": "cin.core_assessments_rate",
        "S471112": "cp.section47_enquiries", "S47Rate1112": "cp.section47_rate",
        "ICPC1112": "cp.icpcs", "ICPCRate1112": "cp.icpc_rate",
        "CPPStart1112": "cp.cpp_starts", "CPPStartRate1112": "cp.cpp_starts_rate",
        "CPPStart1112SecondTime": "cp.cpp_second_or_subsequent",
        "CPPCeased1112": "cp.cpp_ends", "CPPCeasedRate1112": "cp.cpp_ends_rate",
        "CPPAt310312": "cp.cpp_at_31_march", "CPPAt310312Rate": "cp.cpp_at_31_march_rate",
        **_by("CPPStart1112InitialAbuse", "cp.cpp_starts_by_category", "category", SFR_CATEGORIES),
        **_by("CPPat310312InitialAbuse", "cp.cpp_by_category", "category", SFR_CATEGORIES),
        **_by("CINAt310312", "cin.children_in_need_by_ethnicity", "ethnicity", SFR_ETHNICITY,
              [code for code in SFR_ETHNICITY if code != "EthnicityMissing"]),
    }),
    SfrYear("cin/sfr_underlying/2012-13/SFR45-2013ud.csv", "2013", {
        "CINAt310313": "cin.children_in_need", "CINAt310313RatePer10k": "cin.children_in_need_rate",
        "Referrals1213": "cin.referrals", "Referrals1213Rate": "cin.referrals_rate",
        "ReferralsWithin12mths1213": "cin.rereferrals", "%ReferralsWithin12mths1213": "cin.rereferrals_percent",
        "ReferralsNFA1213": "cin.referrals_nfa", "%ReferralsNFA1213": "cin.referrals_nfa_percent",
        "ReferralsIANotInNeed1213": "cin.assessed_not_in_need",
        "%ReferralsIANotInNeed1213": "cin.assessed_not_in_need_percent",
        "IAs1213": "cin.initial_assessments", "IAs1213Rate": "cin.initial_assessments_rate",
        "CAs1213": "cin.core_assessments", "CAsRate1213": "cin.core_assessments_rate",
        "S471213": "cp.section47_enquiries", "S47Rate1213": "cp.section47_rate",
        "ICPC1213": "cp.icpcs", "ICPCRate1213": "cp.icpc_rate",
        "CPPStart1213": "cp.cpp_starts", "CPPStartRate1213": "cp.cpp_starts_rate",
        "CPPStart1213SecondTime": "cp.cpp_second_or_subsequent",
        "CPPCeased1213": "cp.cpp_ends", "CPPCeasedRate1213": "cp.cpp_ends_rate",
        "CPPAt310313": "cp.cpp_at_31_march", "CPPAt310313Rate": "cp.cpp_at_31_march_rate",
        **_by("CPPStart1213InitialAbuse", "cp.cpp_starts_by_category", "category", CATEGORIES),
        **_by("CPPat310313InitialAbuse", "cp.cpp_by_category", "category", CATEGORIES),
    }),
    SfrYear("cin/sfr_underlying/2013-14/SFR43-2014.csv", "2014", {
        "CINAt310314": "cin.children_in_need", "CINAt310314RatePer10K": "cin.children_in_need_rate",
        "Referrals1314": "cin.referrals", "Referrals1314Rate": "cin.referrals_rate",
        "ReferralsWithin12mths1314": "cin.rereferrals", "%ReferralsWithin12mths1314": "cin.rereferrals_percent",
        "ReferralsNFA1314": "cin.referrals_nfa", "%ReferralsNFA1314": "cin.referrals_nfa_percent",
        "ReferralsIANotInNeed1314": "cin.assessed_not_in_need",
        "%ReferralsIANotInNeed1314": "cin.assessed_not_in_need_percent",
        "IAs1314": "cin.initial_assessments", "CAs1314": "cin.core_assessments",
        "S471314": "cp.section47_enquiries", "S47Rate1314": "cp.section47_rate",
        "ICPCin1314": "cp.icpcs", "ICPCRate1314": "cp.icpc_rate",
        "CPPStart1314": "cp.cpp_starts", "CPPStartRate1314": "cp.cpp_starts_rate",
        "CPPStart1314SecondTime": "cp.cpp_second_or_subsequent",
        "CPPCeased1314": "cp.cpp_ends", "CPPCeasedRate1314": "cp.cpp_ends_rate",
        "CPPAt310314": "cp.cpp_at_31_march", "CPPAt310314Rate": "cp.cpp_at_31_march_rate",
        **_by("CPPStart1314InitialAbuse", "cp.cpp_starts_by_category", "category", CATEGORIES),
        **_by("CPPat310314InitialAbuse", "cp.cpp_by_category", "category", CATEGORIES),
    }),
    # The 2014-15 file labels its 31 March 2015 CIN rate `CINAt310314RatePer10K` (data-notes §2.3 item 4).
    SfrYear("cin/sfr_underlying/2014-15/SFR41-2015_Underlying_data.csv", "2015", {
        "CINAt310315": "cin.children_in_need", "CINAt310314RatePer10K": "cin.children_in_need_rate",
        "Referrals1415": "cin.referrals", "Referrals1415Rate": "cin.referrals_rate",
        "ReferralsWithin12mths1415": "cin.rereferrals", "%ReferralsWithin12mths1415": "cin.rereferrals_percent",
        "ReferralsNFA1415": "cin.referrals_nfa", "%ReferralsNFA1415": "cin.referrals_nfa_percent",
        "ReferralsANotInNeed1415": "cin.assessed_not_in_need",
        "%ReferralsANotInNeed1415": "cin.assessed_not_in_need_percent",
        "Assessments1415": "cin.assessments", "AssessmentRatePer10k1415": "cin.assessments_rate",
        "S471415": "cp.section47_enquiries", "S47Rate1415": "cp.section47_rate",
        "ICPCin1415": "cp.icpcs", "ICPCRate1415": "cp.icpc_rate",
        "CPPStart1415": "cp.cpp_starts", "CPPStartRate1415": "cp.cpp_starts_rate",
        "CPPStart1415SecondTime": "cp.cpp_second_or_subsequent",
        "CPPCeased1415": "cp.cpp_ends", "CPPCeasedRate1415": "cp.cpp_ends_rate",
        "CPPAt310315": "cp.cpp_at_31_march", "CPPAt310315Rate": "cp.cpp_at_31_march_rate",
        **_by("CPPStart1415InitialAbuse", "cp.cpp_starts_by_category", "category", CATEGORIES),
        **_by("CPPat310315InitialAbuse", "cp.cpp_by_category", "category", CATEGORIES),
    }),
    SfrYear("cin/sfr_underlying/2015-16/SFR52_2016_UD.csv", "2016", {
        "CINAt310316": "cin.children_in_need", "CINAt310316RatePer10K": "cin.children_in_need_rate",
        "Referrals1516": "cin.referrals", "Referrals1516Rate": "cin.referrals_rate",
        "ReferralsWithin12mths1516": "cin.rereferrals", "%ReferralsWithin12mths1516": "cin.rereferrals_percent",
        "ReferralsNFA1516": "cin.referrals_nfa", "%ReferralsNFA1516": "cin.referrals_nfa_percent",
        "ReferralsANotInNeed1516": "cin.assessed_not_in_need",
        "%ReferralsANotInNeed1516": "cin.assessed_not_in_need_percent",
        "Assessments1516": "cin.assessments", "AssessmentRatePer10k1516": "cin.assessments_rate",
        "S471516": "cp.section47_enquiries", "S47Rate1516": "cp.section47_rate",
        "ICPCin1516": "cp.icpcs", "ICPCRate1516": "cp.icpc_rate",
        "CPPStart1516": "cp.cpp_starts", "CPPStartRate1516": "cp.cpp_starts_rate",
        "CPPStart1516SecondTime": "cp.cpp_second_or_subsequent",
        "CPPCeased1516": "cp.cpp_ends", "CPPCeasedRate1516": "cp.cpp_ends_rate",
        "CPPAt310316": "cp.cpp_at_31_march", "CPPAt310316Rate": "cp.cpp_at_31_march_rate",
        **_by("CPPStart1516InitialAbuse", "cp.cpp_starts_by_category", "category", CATEGORIES),
        **_by("CPPat310316InitialAbuse", "cp.cpp_by_category", "category", CATEGORIES),
    }),
    # The 2016-17 file labels its 31 March 2017 CIN columns `CINAt310316*` (its metadata says CINAt310317), and
    # splits plans starting/ending into plans (episodes) and children; plans are used, as in EES D1.
    SfrYear("cin/sfr_underlying/2016-17/SFR61-2017_UD.CSV", "2017", {
        "CINAt310316": "cin.children_in_need", "CINAt310316RatePer10K": "cin.children_in_need_rate",
        "Referrals1617": "cin.referrals", "Referrals1617Rate": "cin.referrals_rate",
        "ReferralsWithin12mths1617": "cin.rereferrals", "%ReferralsWithin12mths1617": "cin.rereferrals_percent",
        "ReferralsNFA1617": "cin.referrals_nfa", "%ReferralsNFA1617": "cin.referrals_nfa_percent",
        "ReferralsANotInNeed1617": "cin.assessed_not_in_need",
        "%ReferralsANotInNeed1617": "cin.assessed_not_in_need_percent",
        "Assessments1617": "cin.assessments", "AssessmentRatePer10k1617": "cin.assessments_rate",
        "S471617": "cp.section47_enquiries", "S47Rate1617": "cp.section47_rate",
        "S47Children1617": "cp.section47_children", "S47ChildrenRate1617": "cp.section47_children_rate",
        "ICPCin1617": "cp.icpcs", "ICPCRate1617": "cp.icpc_rate",
        "ICPCChildrenin1617": "cp.icpc_children", "ICPCChildrenRate1617": "cp.icpc_children_rate",
        "CPPEpisodesStart1617": "cp.cpp_starts", "CPPEpisodesStartRate1617": "cp.cpp_starts_rate",
        "CPPStart1617SecondTime": "cp.cpp_second_or_subsequent",
        "CPPEpisodesCeased1617": "cp.cpp_ends", "CPPEpisodesCeasedRate1617": "cp.cpp_ends_rate",
        "CPPAt310317": "cp.cpp_at_31_march", "CPPAt310317Rate": "cp.cpp_at_31_march_rate",
        **_by("CPPStart1617InitialAbuse", "cp.cpp_starts_by_category", "category", CATEGORIES),
        **_by("CPPat310317InitialAbuse", "cp.cpp_by_category", "category", CATEGORIES),
    }),
]

# EES column maps, per table layout (data-notes §2.3 item 4 lists the renames).
B1 = {"At31_episodes": "cin.children_in_need"}
B1_RATES = {**B1, "At31_episodes_rate": "cin.children_in_need_rate"}
C1 = {"Referrals": "cin.referrals", "Referrals_rate": "cin.referrals_rate",
      "Re_referrals": "cin.rereferrals", "Re_referrals_percent": "cin.rereferrals_percent",
      "No_Further_Action": "cin.referrals_nfa", "No_Further_Action_percent": "cin.referrals_nfa_percent",
      "Not_in_Need": "cin.assessed_not_in_need", "Not_in_Need_percent": "cin.assessed_not_in_need_percent"}
C1_2025 = {"referral_count": "cin.referrals",
           "rereferral_count": "cin.rereferrals", "rereferral_percent": "cin.rereferrals_percent",
           "no_further_action_count": "cin.referrals_nfa", "no_further_action_percent": "cin.referrals_nfa_percent",
           "not_in_need_count": "cin.assessed_not_in_need", "not_in_need_percent": "cin.assessed_not_in_need_percent"}
C2 = {"Assessments_completed": "cin.assessments", "Assessments_completed_rate": "cin.assessments_rate"}
C4_COUNTS = {"Section47": "cp.section47_enquiries", "Section47_child": "cp.section47_children",
             "ICPC": "cp.icpcs", "ICPC_child": "cp.icpc_children"}
C4_RATES = {**C4_COUNTS, "Section47_rate": "cp.section47_rate", "Section47_child_rate": "cp.section47_children_rate",
            "ICPC_rate": "cp.icpc_rate", "ICPC_child_rate": "cp.icpc_children_rate"}
D1 = {"CPP_start": "cp.cpp_starts", "CPP_start_rate": "cp.cpp_starts_rate",
      "CPP_end": "cp.cpp_ends", "CPP_end_rate": "cp.cpp_ends_rate",
      "CPP_At31": "cp.cpp_at_31_march", "CPP_At31_rate": "cp.cpp_at_31_march_rate"}
D2 = _by("", "cp.cpp_starts_by_category", "category", {f"{c}_Initial": label for c, label in CATEGORIES.items()})
D3 = {"CPP_subsequent": "cp.cpp_second_or_subsequent", "CPP_subsequent_percent": "cp.cpp_second_or_subsequent_percent"}
D4 = _by("", "cp.cpp_by_category", "category", {f"{c}_Initial": label for c, label in CATEGORIES.items()})

EES = {
    "cin/ees_2020/b1_children_in_need_2013_to_2020.csv": B1_RATES,
    "cin/ees_2020/c1_children_in_need_referrals_and_rereferrals_2013_to_2020.csv": C1,
    "cin/ees_2020/c2_children_in_need_assessments_duration_2014_to_2020.csv": C2,
    "cin/ees_2020/c4_children_in_need_section_47s_and_icpcs_2013_to_2020.csv":
        {**C4_RATES, "Duration_Median": "cp.section47_to_icpc_median_days"},
    "cin/ees_2020/d1_child_protection_plans_2013_to_2020.csv": D1,
    "cin/ees_2020/d2_cpps_starting_by_category_of_abuse_2013_to_2020.csv": D2,
    "cin/ees_2020/d3_cpps_subsequent_plan_2013_to_2020.csv": D3,
    "cin/ees_2020/d4_cpps_at31march_by_category_of_abuse_2013_to_2020.csv": D4,
    "cin/ees_2022/b1_children_in_need_2013_to_2022.csv": B1_RATES,
    "cin/ees_2022/c1_children_in_need_referrals_and_rereferrals_2013_to_2022.csv": C1,
    "cin/ees_2022/c2_children_in_need_assessments_duration_2014_to_2022.csv": C2,
    "cin/ees_2022/c4_children_in_need_section_47s_and_icpcs_2013_to_2022.csv":
        {**C4_RATES, "Duration_median": "cp.section47_to_icpc_median_days"},
    "cin/ees_2022/d1_child_protection_plans_2013_to_2022.csv": D1,
    "cin/ees_2022/d2_cpps_starting_by_category_of_abuse_2013_to_2022.csv": D2,
    "cin/ees_2022/d3_cpps_subsequent_plan_2013_to_2022.csv": D3,
    "cin/ees_2022/d4_cpps_at31march_by_category_of_abuse_2013_to_2022.csv": D4,
    "cin/ees_2024/b1_children_in_need_2013_to_2024.csv": B1_RATES,
    "cin/ees_2024/c1_children_in_need_referrals_and_rereferrals_2013_to_2024.csv": C1,
    # 2025: rate columns dropped; D1 not held, so plan starts come from D3 and plans at 31 March from D5.
    "cin/ees_2025/b1_children_in_need_2013_to_2025.csv": B1,
    "cin/ees_2025/c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv": C1_2025,
    "cin/ees_2025/c4_children_in_need_section_47s_and_icpcs_2013_to_2025.csv":
        {**C4_COUNTS, "Duration_median": "cp.section47_to_icpc_median_days"},
    "cin/ees_2025/d3_cpps_subsequent_plan_2013_to_2025.csv": {**D3, "CPP_start": "cp.cpp_starts"},
    "cin/ees_2025/d5_cpps_at31march_by_duration_2013_to_2025.csv": {"CPP_At31": "cp.cpp_at_31_march"},
}

# C3 factors at the end of assessment: every column after the location columns must be known here, so a new or
# renamed factor stops the build. Domestic violence (2020 release) = Domestic abuse (2022 on): a renamed description,
# not a change in what is collected (2022 data guidance, C3 footnote 1).
WHOSE = {"child": "concerns about child", "parent": "concerns about parent", "person": "concerns about other person"}
PERSON_FACTORS = {"Alcohol_Misuse": "Alcohol misuse", "Drug_Misuse": "Drug misuse",
                  "Domestic_Violence": "Domestic abuse", "Domestic_Abuse": "Domestic abuse",
                  "Mental_Health": "Mental health",
                  "Learning_Disability": "Learning disability", "Physical_Disability": "Physical disability or illness"}
DOMESTIC = {"child": "child is victim", "parent": "parent is victim", "person": "other person is victim"}
FACTORS = {
    **{f"{base}_{who}": f"{label}: {(DOMESTIC if base.startswith('Domestic') else WHOSE)[who]}"
       for base, label in PERSON_FACTORS.items() for who in WHOSE},
    "Young_Carer": "Young carer", "Privately_fostered": "Privately fostered",
    "Unaccompanied_asylum_seeker": "Unaccompanied asylum seeker", "Going_missing": "Going or being missing",
    "Child_sexual_exploitation": "Child sexual exploitation",
    "Child_criminal_exploitation": "Child criminal exploitation", "Trafficking": "Trafficking", "Gangs": "Gangs",
    "Socially_unacceptable_behaviour": "Socially unacceptable behaviour",
    "Self_harm": "Self-harm", "Neglect": "Neglect", "Emotional_Abuse": "Emotional abuse",
    "Physical_Abuse": "Physical abuse (not split by perpetrator)",
    "Physical_Abuse_unknown": "Physical abuse (not split by perpetrator)",
    "Physical_Abuse_child_on_child": "Physical abuse: child on child",
    "Physical_Abuse_adult_on_child": "Physical abuse: adult on child",
    "Sexual_Abuse": "Sexual abuse (not split by perpetrator)",
    "Sexual_Abuse_unknown": "Sexual abuse (not split by perpetrator)",
    "Sexual_Abuse_child_on_child": "Sexual abuse: child on child",
    "Sexual_Abuse_adult_on_child": "Sexual abuse: adult on child",
    "Female_Genital_Mutilation": "Female genital mutilation", "Faith_linked_abuse": "Abuse linked to faith or belief",
    "Other": "Other",
}
C3_TOTAL = "Episodes_with_assessment_factor"
C3_FILES = [
    "cin/ees_2020/c3_children_in_need_factors_identified_at_end_of_assessment_2018_to_2020.csv",
    "cin/ees_2022/c3_factors_identified_at_end_of_assessment_2018_to_2022.csv",
    "cin/ees_2025/c3_factors_identified_at_end_of_assessment_2018_to_2025.csv",
]
EES_LOCATION = {"time_period", "time_identifier", "geographic_level", "country_code", "country_name", "region_code",
                "region_name", "old_la_code", "new_la_code", "la_name", "category", "Category"}

# A7 national CIN at 31 March by ethnicity. The 2022 release moved Chinese from "other" into Asian and merged the two
# Traveller groups, so group totals whose content changed carry that in their label.
A7_FILES = {
    "cin/ees_2020/a7_cin_by_age_gender_ethnicity_2015_to_2020.csv": {
        "Total Asian or Asian British": "Asian or Asian British (excluding Chinese)",
        "Total other ethnic group": "Other ethnic group (including Chinese)"},
    "cin/ees_2022/a7_cin_by_age_gender_ethnicity_2015_to_2022.csv": {
        "Total Asian or Asian British": "Asian or Asian British (including Chinese)"},
}
A7_TOTALS = {"Total White": "White", "Total mixed": "Mixed", "Total Black or Black British": "Black or Black British"}


def _columns(spec: dict) -> list[tuple[str, str, str]]:
    """{column: measure | (measure, breakdown)} -> [(column, measure, breakdown)]."""
    return [(col, *(target if isinstance(target, tuple) else (target, ""))) for col, target in spec.items()]


def _melt(frame: pd.DataFrame, src: Source, spec: dict, *, period: pd.Series, geography: pd.DataFrame,
          allowed: set[str]) -> pd.DataFrame:
    """Long rows for every mapped column. All cells are parsed in one pass (a per-column long_rows call costs more
    than the whole file); when a cell is bad, the columns are re-parsed one by one so the error names its column."""
    columns = _columns(spec)
    names = [column for column, _, _ in columns]
    cells = pd.concat([frame[name] for name in names], ignore_index=True)
    try:
        values, status = parse_cells(cells, src.raw_path, names[0], allowed)
    except CscError:
        for name in names:
            parse_cells(frame[name], src.raw_path, name, allowed)
        raise
    rows, repeat = len(frame), len(columns)
    measures = [measure for _, measure, _ in columns]
    out = geography.iloc[np.tile(np.arange(rows), repeat)].reset_index(drop=True)
    out["measure"] = np.repeat(measures, rows)
    out["period"] = np.tile(period.to_numpy(), repeat)
    out["period_type"] = np.repeat([MEASURES[m][1] for m in measures], rows)
    out["breakdown"] = np.repeat([breakdown for _, _, breakdown in columns], rows)
    out["value"] = values.to_numpy()
    out["status"] = status.to_numpy()
    out["unit"] = np.repeat([MEASURES[m][0] for m in measures], rows)
    out["release"] = src.release
    out["source"] = src.id
    return out[COLUMNS]


def sfr_geography(frame: pd.DataFrame, src: Source) -> pd.DataFrame:
    """SFR rows are LA or National; the National row's `new_la_code` is wrong in several files (E06000046), so
    England is coded here, and LA rows without a GSS code (to 2011-12) get it from the DfE code downstream."""
    level = frame["geog_l"].str.strip().map({"National": "national", "LA": "local_authority"})
    if level.isna().any():
        bad = frame.loc[level.isna(), "geog_l"].iloc[0]
        raise CscError(f"{src.raw_path}: column 'geog_l' has unknown value {bad!r}")
    national = level == "national"
    gss = frame["new_la_code"].str.strip() if "new_la_code" in frame.columns else pd.Series("", index=frame.index)
    return pd.DataFrame({"geographic_level": level, "area_code": gss.where(~national, ENGLAND),
                         "la_code": frame["geog_c"].str.strip().where(~national, ""),
                         "area_name": frame["geog_n"].str.strip().where(~national, "England")})


def confidence_column(columns: list[str], column: str) -> str | None:
    """The data-confidence (`…DCI`) column covering a value column: the one whose stem is the longest prefix of its
    name (S471112 -> S471112DCI), else the first after it in the header (blocks end with their DCI)."""
    stems = [c[:-3] for c in columns if c.endswith("DCI") and column.startswith(c[:-3])]
    if stems:
        return max(stems, key=len) + "DCI"
    after = [c for c in columns[columns.index(column):] if c.endswith("DCI")]
    return after[0] if after else None


def sfr_rows(src: Source, year: SfrYear) -> pd.DataFrame:
    """An SFR year's rows. A zero whose data-confidence column says `..` is not a zero but a block the LA never
    supplied (Isles of Scilly's child protection figures for 2011-12): it becomes `..`, no data."""
    frame = read_csv(src, required=["geog_l", "geog_c", "geog_n", *year.columns])
    period = pd.Series(year.period, index=frame.index)
    out = _melt(frame, src, year.columns, period=period, geography=sfr_geography(frame, src), allowed=SFR_SYMBOLS)
    header = list(frame.columns)
    no_data = np.concatenate([
        (frame[dci].astype(str).str.strip() == "..").to_numpy() if (dci := confidence_column(header, column))
        else np.zeros(len(frame), bool) for column, _, _ in _columns(year.columns)])
    unsupplied = no_data & (out["value"] == 0).to_numpy()
    out.loc[unsupplied, "value"] = np.nan
    out.loc[unsupplied, "status"] = ".."
    return out


def ees_rows(src: Source, spec: dict) -> pd.DataFrame:
    frame = read_csv(src, required=["time_period", "geographic_level", *spec])
    return _melt(frame, src, spec, period=ees_period(frame["time_period"], YEAR),
                 geography=ees_geography(frame, src.raw_path), allowed=EES_SYMBOLS[src.release])


def factor_rows(src: Source) -> pd.DataFrame:
    """C3 factors, every factor column mapped to its harmonised label; an unmapped column is an error."""
    frame = read_csv(src, required=["time_period", "geographic_level", C3_TOTAL])
    factors = [c for c in frame.columns if c not in EES_LOCATION and c != C3_TOTAL]
    unknown = [c for c in factors if c not in FACTORS]
    if unknown:
        raise CscError(f"{src.raw_path}: column {unknown[0]!r} is not a known assessment factor (new or renamed?)")
    spec = {C3_TOTAL: "cin.episodes_with_assessment_factors",
            **{c: ("cin.factors_at_assessment", f"factor={FACTORS[c]}") for c in factors}}
    return _melt(frame, src, spec, period=ees_period(frame["time_period"], YEAR),
                 geography=ees_geography(frame, src.raw_path), allowed=EES_SYMBOLS[src.release])


def ethnicity_rows(src: Source, relabel: dict[str, str]) -> list[pd.DataFrame]:
    """A7 national CIN at 31 March by ethnicity (number and percent of known ethnicity)."""
    frame = read_csv(src, required=["time_period", "geographic_level", "characteristic", "characteristic_type",
                                    "number", "percent"])
    frame = frame[frame["characteristic"].str.strip() == "Ethnicity"].reset_index(drop=True)
    if frame.empty:
        raise CscError(f"{src.raw_path}: no rows with characteristic 'Ethnicity'")
    label = frame["characteristic_type"].str.strip().replace({**A7_TOTALS, **relabel})
    return [long_rows(frame, src, {column: (measure, MEASURES[measure][0])},
                      period=ees_period(frame["time_period"], AT31), period_type=AT31,
                      geography=ees_geography(frame, src.raw_path), allowed=EES_SYMBOLS[src.release],
                      breakdown="ethnicity=" + label)
            for column, measure in (("number", "cin.children_in_need_by_ethnicity"),
                                    ("percent", "cin.children_in_need_by_ethnicity_percent"))]


def build(manifest: dict[str, Source], lookup: pd.DataFrame) -> pd.DataFrame:
    pieces: list[pd.DataFrame] = []
    for year in SFR:
        pieces.append(sfr_rows(source(manifest, year.file), year))
    for path, spec in EES.items():
        pieces.append(ees_rows(source(manifest, path), spec))
    for path in C3_FILES:
        pieces.append(factor_rows(source(manifest, path)))
    for path, relabel in A7_FILES.items():
        pieces += ethnicity_rows(source(manifest, path), relabel)
    return pd.concat(pieces, ignore_index=True)[COLUMNS]
