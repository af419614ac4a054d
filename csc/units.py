"""The period types and units a tidy row may carry: light enough for the query path to import."""

PERIOD_TYPES = {
    "year_to_31_march": "financial or reporting year ending 31 March; '2020' is April 2019 to March 2020",
    "at_31_march": "snapshot at 31 March of the year; '2020' is 31 March 2020",
    "financial_year": "April to March, labelled '2019-20'",
    "at_30_september": "snapshot at 30 September; '2020' is 30 September 2020",
    "year_to_30_september": "flows over the year to 30 September",
    "mid_year": "ONS mid-year estimate at 30 June",
    "fixed": "a fixed reference (index or classification year)",
}
UNITS = {
    "count": "number (children, episodes, enquiries, providers, places)",
    "percent": "per cent, 0 to 100",
    "rate_per_10000": "per 10,000 children aged 0 to 17",
    "fte": "full-time equivalent posts",
    "ratio": "a ratio of two counts",
    "days": "days",
    "months": "months",
    "gbp": "pounds sterling, cash (nominal) prices",
    "index": "index number (base stated in the measure catalogue)",
    "score": "index score or rank (higher = more deprived)",
}
