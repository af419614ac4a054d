"""Bad input stops the tidy step with one line naming file, column and value; good tables survive a failure."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from csc import paths, readers, tidy
from csc.errors import CscError
from csc.manifest import Source
from csc.tidy import schema

FIXTURES = Path(__file__).parent / "fixtures" / "framework"
GOOD = (FIXTURES / "good.csv").read_text()
MEASURES = {"Section47": ("cp.section47_enquiries", "count")}


def fixture_source(tmp_path, monkeypatch, text: str | bytes, encoding: str = "utf-8") -> Source:
    monkeypatch.setattr(paths, "RAW", tmp_path)
    path = tmp_path / "cin" / "c4.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return Source(id="cin-fixture-c4", topic="cin", publisher="DfE", publication="CIN", release="2020",
                  periods="2020", page_url="https://example.invalid", licence="OGL-3.0", sha256="0" * 64,
                  file="cin/c4.csv", mirror_path="cin/c4.csv", encoding=encoding)


def rows(src: Source) -> pd.DataFrame:
    return tidy.ees_table(src, MEASURES, period_type="year_to_31_march", allowed={"c", "x", "z", ""})


def test_good_file_gives_long_rows_with_values_and_symbols(tmp_path, monkeypatch):
    out = rows(fixture_source(tmp_path, monkeypatch, GOOD))
    assert list(out.columns) == schema.COLUMNS
    england = out[out["geographic_level"] == "national"].iloc[0]
    assert england["value"] == 201000 and england["status"] == "" and england["area_code"] == "E92000001"
    mk = out[out["geographic_level"] == "local_authority"].iloc[0]
    assert pd.isna(mk["value"]) and mk["status"] == "c" and mk["la_code"] == "826"


def test_thousands_separators_are_numbers_not_symbols():
    values, status = readers.parse_cells(pd.Series(["603,700", "1,234.5", "12", "x"]), Path("f.csv"), "col",
                                         {"x", ""})
    assert values.tolist()[:3] == [603700.0, 1234.5, 12.0] and status.tolist() == ["", "", "", "x"]


@pytest.mark.parametrize("text, message", [
    (GOOD.replace("Section47", "section_47s"), r"c4.csv: column 'Section47' not found \(renamed"),
    (GOOD.replace(",c\n", ",n/a\n"), r"c4.csv: column 'Section47' has unknown symbol 'n/a'"),
    ("", r"c4.csv: file is empty"),
    (GOOD.splitlines()[0] + "\n", r"c4.csv: has a header but no rows \(truncated\?\)"),
    (GOOD.replace("National", "Ward"), r"c4.csv: column 'geographic_level' has unknown value 'Ward'"),
])
def test_bad_input_is_one_line_naming_file_column_and_value(tmp_path, monkeypatch, text, message):
    src = fixture_source(tmp_path, monkeypatch, text)
    with pytest.raises(CscError, match=message) as err:
        rows(src)
    assert "\n" not in str(err.value)


def test_non_utf8_file_names_the_byte_and_the_declared_encoding(tmp_path, monkeypatch):
    src = fixture_source(tmp_path, monkeypatch, GOOD.replace("Milton Keynes", "Milton K\xe9ynes").encode("cp1252"))
    with pytest.raises(CscError, match=r"c4.csv: not valid utf-8 at byte \d+ .*cin-fixture-c4"):
        rows(src)


def test_duplicate_keys_and_impossible_values_fail_validation(tmp_path, monkeypatch):
    out = rows(fixture_source(tmp_path, monkeypatch, GOOD))
    with pytest.raises(CscError, match=r"cin-fixture-c4: duplicate key cp.section47_enquiries 2020 England"):
        schema.validate(pd.concat([out, out.assign(value=out["value"] + 1)], ignore_index=True), "cin")
    negative = out.assign(value=-out["value"])
    with pytest.raises(CscError, match=r"negative count"):
        schema.validate(negative, "cin")
    pct = out.assign(unit="percent", value=150.0, status="")
    with pytest.raises(CscError, match=r"percentage 150.0 outside 0-100"):
        schema.validate(pct, "cin")


def test_schema_rejects_an_unknown_symbol_in_a_finished_table(tmp_path, monkeypatch):
    out = rows(fixture_source(tmp_path, monkeypatch, GOOD)).assign(status="?")
    with pytest.raises(CscError, match=r"column 'status' value '\?' fails the schema"):
        schema.validate(out, "cin")


def test_a_failing_table_leaves_the_previous_tables_intact(tmp_path, monkeypatch):
    """Copy the real geography table, then make a rebuild fail: files and state must be untouched."""
    tidy_dir = tmp_path / "tidy"
    tidy_dir.mkdir()
    shutil.copy(paths.TIDY / "geography.parquet", tidy_dir)
    (tidy_dir / "tidy.json").write_text(json.dumps({"geography": {"key": "old", "sha256": "old"}}))
    before = (tidy_dir / "geography.parquet").read_bytes()

    from csc.tidy import geography

    def broken(manifest):
        raise CscError("context/geography/dfe_las.csv: column 'la_name' not found")

    monkeypatch.setattr(geography, "build", broken)
    with pytest.raises(CscError, match="la_name"):
        tidy.build(["geography"], tidy_dir=tidy_dir, log=lambda *_: None)
    assert (tidy_dir / "geography.parquet").read_bytes() == before
    assert json.loads((tidy_dir / "tidy.json").read_text())["geography"]["key"] == "old"
    assert not list(tidy_dir.glob(".staging*"))


def test_la_figures_add_up_to_england_in_every_complete_release():
    from csc.tidy import consistency

    for table in consistency.ADDS_UP:
        frame = pd.read_parquet(paths.TIDY / f"{table}.parquet")
        assert consistency.check(frame, table) > 0, f"{table}: no complete release was checked"


def test_a_misread_authority_breaks_the_england_sum():
    from csc.tidy import consistency

    frame = pd.read_parquet(paths.TIDY / "cin.parquet", filters=[("measure", "==", "cp.section47_enquiries")])
    frame = frame[frame["breakdown"] == ""]
    complete = [(p, r) for (p, r), g in frame.groupby(["period", "release"])
                if g.loc[g["geographic_level"] == "local_authority", "value"].notna().all()]
    period, release = complete[-1]
    one = frame[(frame["period"] == period) & (frame["release"] == release)].copy()
    assert consistency.check(one, "cin") == 1
    leeds = one["area_code"] == "E08000035"
    one.loc[leeds, "value"] = one.loc[leeds, "value"] * 10  # a column shifted by one digit
    england = one.loc[one["geographic_level"] == "national", "value"].iloc[0]
    with pytest.raises(CscError, match=rf"cp.section47_enquiries {period} \(release {release}\): the \d+ local "
                                       rf"authorities add up to [\d,]+ but England is {england:,.0f}"):
        consistency.check(one, "cin")


def test_a_raw_file_that_differs_from_the_manifest_is_not_parsed(tmp_path, monkeypatch):
    raw = tmp_path / "raw"
    shutil.copytree(paths.RAW / "context", raw / "context", copy_function=shutil.copy)
    deflators = raw / "context" / "deflators" / "uk_cost_indices.csv"
    deflators.chmod(0o644)
    deflators.write_text(deflators.read_text().replace("80.8738", "81.0000"))  # an edited raw file
    monkeypatch.setattr(paths, "RAW", raw)
    with pytest.raises(CscError, match=r"uk_cost_indices.csv: contents differ from the manifest's sha256"):
        tidy.build(["context"], tidy_dir=tmp_path / "tidy", log=lambda *_: None)
    assert not (tmp_path / "tidy" / "context.parquet").exists()
