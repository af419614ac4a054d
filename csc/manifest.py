"""The data manifest (data/sources.yml): one entry per official file, with the hash that proves it is the file."""
from __future__ import annotations

import re
from dataclasses import dataclass, fields
from pathlib import Path


from . import paths, yamlfile
from .errors import CscError

REQUIRED = ("id", "topic", "publisher", "publication", "release", "periods", "page_url", "licence",
            "sha256", "file", "mirror_path", "encoding")
SHA256 = re.compile(r"^[0-9a-f]{64}$")
COUNTS = ("bytes", "rows")


@dataclass(frozen=True)
class Source:
    id: str
    topic: str
    publisher: str
    publication: str
    release: str
    periods: str
    page_url: str
    licence: str
    sha256: str
    file: str
    mirror_path: str
    encoding: str
    file_url: str | None = None
    dataset_id: str | None = None   # the publisher's own id for the data set (EES data catalogue), where known
    bytes: int | None = None
    rows: int | None = None         # data rows after the header, as recorded when the file was copied
    note: str | None = None
    # Figures transcribed by hand from web pages: no public copy of the file exists, so it can have no file_url and
    # comes only from a mirror; the book is built without it when it is absent (and says so where it would be used).
    hand_collected: bool = False

    @property
    def raw_path(self) -> Path:
        return paths.RAW / self.file


def _read(path: Path):
    try:
        return yamlfile.read(path)
    except FileNotFoundError:
        raise CscError(f"{path}: manifest not found") from None
    except UnicodeDecodeError as exc:
        raise CscError(f"{path}: not UTF-8 text (byte {exc.object[exc.start]:#04x} at offset {exc.start})") from None
    except yamlfile.YAMLError as exc:
        where = f" at line {exc.problem_mark.line + 1}" if getattr(exc, "problem_mark", None) else ""
        raise CscError(f"{path}: not valid YAML ({getattr(exc, 'problem', None) or exc}{where})") from None


def load(path: Path | None = None) -> dict[str, Source]:
    """Read and check the manifest; a malformed entry is an error naming the entry and field."""
    path = Path(path or paths.MANIFEST)
    doc = _read(path)
    if not isinstance(doc, dict):
        raise CscError(f"{path}: not a mapping with a 'sources:' list (found {type(doc).__name__})")
    entries = doc.get("sources")
    if not isinstance(entries, list) or not entries:
        raise CscError(f"{path}: no 'sources:' list")
    known = {f.name for f in fields(Source)}
    sources: dict[str, Source] = {}
    owners: dict[str, str] = {}
    for i, entry in enumerate(entries):
        label = entry.get("id", f"entry #{i + 1}") if isinstance(entry, dict) else f"entry #{i + 1}"
        if not isinstance(entry, dict):
            raise CscError(f"{path}: {label} is not a mapping")
        missing = [k for k in REQUIRED if not entry.get(k)]
        if missing:
            raise CscError(f"{path}: {label} lacks {', '.join(missing)}")
        unknown = set(entry) - known
        if unknown:
            raise CscError(f"{path}: {label} has unknown field(s) {', '.join(sorted(unknown))}")
        if not SHA256.match(str(entry["sha256"])):
            raise CscError(f"{path}: {label} sha256 is not 64 lower-case hex digits")
        for key in ("file", "mirror_path"):
            rel = str(entry[key])
            if rel.startswith("/") or ".." in Path(rel).parts:
                raise CscError(f"{path}: {label} {key} {rel!r} must be a relative path inside the data folder")
        for key in COUNTS:
            if entry.get(key) is not None and (not isinstance(entry[key], int) or entry[key] < 0):
                raise CscError(f"{path}: {label} {key} must be a whole number, not {entry[key]!r}")
        if not isinstance(entry.get("hand_collected", False), bool):
            raise CscError(f"{path}: {label} hand_collected must be true or false, not {entry['hand_collected']!r}")
        if not entry.get("file_url") and not entry.get("hand_collected"):
            raise CscError(f"{path}: {label} lacks file_url (only a hand_collected file may have none)")
        if label in sources:
            raise CscError(f"{path}: id {label} appears twice")
        local = Path(str(entry["file"])).as_posix()
        if local in owners:
            raise CscError(f"{path}: {owners[local]} and {label} both name the local file {local}")
        owners[local] = label
        entry = {k: (str(v) if k not in COUNTS + ("hand_collected",) and v is not None else v)
                 for k, v in entry.items()}
        sources[label] = Source(**entry)
    return sources


def by_topic(topic: str, manifest: dict[str, Source] | None = None) -> list[Source]:
    return [s for s in (manifest or load()).values() if s.topic == topic]
