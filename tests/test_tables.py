"""charts.table(): one number format per column, and column widths that hold every unbreakable piece."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from csc import charts


def rows(source: str) -> list[list[str]]:
    """The cells of a list-table, header first."""
    body = source[source.index("{list-table}"):]
    table, row = [], None
    for line in body.splitlines():
        if line.startswith("* - "):
            row = [line[4:]]
            table.append(row)
        elif line.startswith("  - ") and row is not None:
            row.append(line[4:])
    return table


def column(source: str, name: str) -> list[str]:
    header, *cells = rows(source)
    return [r[header.index(name)] for r in cells]


def test_a_column_of_decimals_has_one_number_of_places():
    frame = pd.DataFrame({"group": ["a", "b", "c", "d"], "share": [8.0, 8.7, 12.34, np.nan]})
    assert column(charts.list_table(frame, "Shares"), "share") == ["8.0", "8.7", "12.3", "–"]
    assert column(charts.list_table(frame, "Shares", decimals=2), "share") == ["8.00", "8.70", "12.34", "–"]
    assert column(charts.list_table(frame, "Shares", decimals={"share": 0}), "share") == ["8", "9", "12", "–"]


def test_whole_numbers_are_integers_with_separators_except_years():
    frame = pd.DataFrame({"year": [2019, 2020], "children": [389260.0, 5.0], "plans": [51510, 7],
                          "share": [1.5, 2.34]})
    source = charts.list_table(frame, "Counts", decimals=1)
    assert column(source, "year") == ["2019", "2020"]
    assert column(source, "children") == ["389,260", "5"]
    assert column(source, "plans") == ["51,510", "7"]
    assert column(source, "share") == ["1.5", "2.3"]


def test_text_and_numbers_in_one_column_keep_the_column_format():
    frame = pd.DataFrame({"claim": ["FH-1", "FH-2", "FH-3"], "recomputed": ["+7%", 8.0, 8.7]})
    assert column(charts.list_table(frame, "Mixed"), "recomputed") == ["+7%", "8.0", "8.7"]


def test_every_column_holds_its_widest_unbreakable_piece_and_the_table_fills_the_line():
    frame = pd.DataFrame({
        "Claim": ["FH-1", "FH-14"],
        "measure": ["`cin.children_in_need_by_ethnicity`", "`wf.agency_rate`"],
        "unit": ["rate_per_10000", "count"],
        "Why": ["a long explanation " * 12, "short"],
    })
    header = list(frame.columns)
    cells = [list(r) for r in frame.itertuples(index=False)]
    widths = charts.column_widths(header, cells)
    assert sum(widths) == pytest.approx(charts.LINE_WIDTH)
    pieces = {"Claim": 5 * charts.CHAR_WIDTH["text"], "measure": len("ethnicity") * charts.CHAR_WIDTH["code"],
              "unit": len("rate_per_10000") * charts.CHAR_WIDTH["text"]}
    for name, piece in pieces.items():
        assert widths[header.index(name)] >= piece + charts.CELL_PADDING, name
    assert widths[header.index("Why")] == max(widths)


def test_a_table_of_short_cells_is_only_as_wide_as_they_are():
    header, cells = ["Ethnic group", "Share (%)"], [["Mixed", "9.1"], ["White British", "64.6"]]
    widths = charts.column_widths(header, cells)
    assert sum(widths) < charts.LINE_WIDTH / 2
    assert widths[0] >= len("White British") * charts.CHAR_WIDTH["text"] + charts.CELL_PADDING
    assert widths[1] >= len("Share (%)") * charts.CHAR_WIDTH["head"] + charts.CELL_PADDING


def test_the_latex_columns_match_the_html_widths():
    frame = pd.DataFrame({"Verdict": ["contested"] * 8, "Claims": [3] * 8})
    source = charts.list_table(frame, "Verdicts")
    spec = source.splitlines()[0]
    widths = source.split(":widths: ")[1].splitlines()[0].split()
    assert spec == (r"~~~{tabularcolumns} >{\small\raggedright\arraybackslash}\X{%s}{1000}"
                    r">{\small\raggedleft\arraybackslash}\X{%s}{1000}" % tuple(widths))
    assert ":class: longtable" in source   # more than six rows may break across pages


def test_widths_must_match_the_columns():
    with pytest.raises(ValueError, match="2 widths for 3 columns"):
        charts.list_table(pd.DataFrame({"a": [1], "b": [2], "c": [3]}), "Bad", widths=[1, 2])
