"""Materialise every manifest entry into data/raw/: copy from a mirror or download, verify, then rename into place.

A file is only ever replaced by a verified copy, so an interrupted or corrupted fetch never loses a good file.
"""
from __future__ import annotations

import hashlib
import os
import stat
import tempfile
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from . import paths
from .manifest import Source

CHUNK = 1 << 20
NO_URL = "no file_url in the manifest and CSC_DATA_MIRROR is not set"


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


@dataclass
class Outcome:
    source: Source
    action: str  # "present", "copied", "downloaded" or "failed"
    message: str = ""


def _stream(reader, target: Path, expected_bytes: int | None) -> str:
    digest = hashlib.sha256()
    written = 0
    with open(target, "wb") as out:
        for block in iter(lambda: reader.read(CHUNK), b""):
            digest.update(block)
            out.write(block)
            written += len(block)
    if expected_bytes is not None and written < expected_bytes:
        raise OSError(f"transfer ended after {written} of {expected_bytes} bytes")
    return digest.hexdigest()


def _open_source(source: Source, mirror: Path | None):
    if mirror is not None:
        origin = mirror / source.mirror_path
        if not origin.is_file():
            raise FileNotFoundError(f"not in mirror: {origin}")
        return open(origin, "rb"), None, "copied"
    if not source.file_url:
        raise FileNotFoundError(NO_URL)
    response = urllib.request.urlopen(source.file_url, timeout=60)
    length = response.headers.get("Content-Length")
    return response, int(length) if length else None, "downloaded"


def fetch_one(source: Source, mirror: Path | None, raw_dir: Path) -> Outcome:
    target = raw_dir / source.file
    if target.is_file() and sha256_of(target) == source.sha256:
        return Outcome(source, "present")
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    os.close(handle)
    partial = Path(name)  # unique per fetch, so two fetches never write into one another's file
    try:
        reader, length, action = _open_source(source, mirror)
        with reader:
            actual = _stream(reader, partial, length)
        if actual != source.sha256:
            raise ValueError(f"sha256 mismatch: expected {source.sha256}, got {actual}")
        if target.exists():
            target.chmod(stat.S_IWUSR | stat.S_IRUSR)
        os.replace(partial, target)
        target.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)  # raw files are read-only inputs
        return Outcome(source, action)
    except (OSError, ValueError, urllib.error.URLError) as exc:
        partial.unlink(missing_ok=True)
        reason = getattr(exc, "reason", None) or exc
        return Outcome(source, "failed", f"{source.id} ({source.file}): {reason}")


def fetch_all(sources: dict[str, Source], mirror: Path | None = None, raw_dir: Path | None = None) -> list[Outcome]:
    raw_dir = raw_dir or paths.RAW
    return [fetch_one(s, mirror, raw_dir) for s in sources.values()]


def remove_strays(sources: dict[str, Source], raw_dir: Path) -> list[Path]:
    """Files in data/raw/ no manifest entry names (left by an edited manifest); reported, never deleted silently."""
    wanted = {raw_dir / s.file for s in sources.values()}
    return sorted(p for p in raw_dir.rglob("*") if p.is_file() and p not in wanted and not p.name.startswith("."))

