"""Read raw official files exactly as published, and turn their cells into (value, status) pairs.

Every cell is read as text. A number becomes `value`; anything else must be one of the publication's declared
symbols and becomes `status`. Problems raise CscError naming the file, the column and the offending value.
"""
from __future__ import annotations

import io
import re
from pathlib import Path

import pandas as pd

from .errors import CscError
from .manifest import Source

# Every symbol any source uses, with its meaning (data-notes §1.2). A source family may allow a subset.
SYMBOLS = {
    "c": "suppressed to protect confidentiality",
    "x": "not available (older files: suppressed small number)",
    "z": "not applicable",
    ":": "not available",
    "..": "not available or not supplied",
    ".": "not applicable",
    "-": "not available",
    "low": "rounds to zero but is not zero",
    "k": "rounds to zero but is not zero",
    "u": "low reliability",
    "": "blank in the published file",
}
NUMBER = re.compile(r"^[-+]?(?=\.?\d)(\d{1,3}(,\d{3})+|\d+)?(\.\d+)?([eE][-+]?\d+)?$")  # a digit is required


def read_text(source: Source) -> str:
    """Decode a raw file with the encoding the manifest declares; a wrong or damaged file stops here."""
    path = source.raw_path
    if not path.is_file():
        raise CscError(f"{path}: missing; run `make data` (manifest entry {source.id})")
    data = path.read_bytes()
    if not data.strip():
        raise CscError(f"{path}: file is empty")
    encoding = source.encoding
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise CscError(f"{path}: not valid {encoding} at byte {exc.start} (encoding declared in the manifest, "
                       f"entry {source.id})") from None
    return text.lstrip("\ufeff")


def read_csv(source: Source, required: list[str] | tuple[str, ...] = (), skiprows: int = 0) -> pd.DataFrame:
    """A raw CSV as text columns, headers stripped; the columns a parser relies on must be present."""
    text = read_text(source)
    try:
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, skiprows=skiprows)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise CscError(f"{source.raw_path}: cannot be parsed as CSV ({str(exc).splitlines()[0]})") from None
    frame.columns = [str(c).strip() for c in frame.columns]
    require_columns(frame, required, source.raw_path)
    if frame.empty:
        raise CscError(f"{source.raw_path}: has a header but no rows (truncated?)")
    return frame


def require_columns(frame: pd.DataFrame, required, path: Path) -> None:
    missing = [c for c in required if c not in frame.columns]
    if missing:
        close = ", ".join(frame.columns[:12])
        raise CscError(f"{path}: column {missing[0]!r} not found (renamed in this release?); columns are: {close}")


def parse_cells(cells: pd.Series, path: Path, column: str, allowed: set[str]) -> tuple[pd.Series, pd.Series]:
    """Split published cells into float values and status symbols; an undeclared symbol is an error."""
    text = cells.astype(str).str.strip()
    numeric = text.str.match(NUMBER)
    values = pd.to_numeric(text.where(numeric).str.replace(",", "", regex=False), errors="coerce")
    status = text.where(~numeric, "")
    bad = status[~status.isin(allowed)]
    if len(bad):
        raise CscError(f"{path}: column {column!r} has unknown symbol {bad.iloc[0]!r} "
                       f"(allowed here: {', '.join(repr(s) for s in sorted(allowed))})")
    return values.astype("float64"), status.astype(str)


def first_present(frame: pd.DataFrame, names: list[str], path: Path) -> str:
    """The first of several names a column has had across releases."""
    for name in names:
        if name in frame.columns:
            return name
    raise CscError(f"{path}: none of the columns {', '.join(repr(n) for n in names)} found "
                   f"(renamed in this release?)")

