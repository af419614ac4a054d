"""Materialise every manifest entry into data/raw/: copy from a mirror or download, verify, then rename into place.

A file is only ever replaced by a verified copy, so an interrupted or corrupted fetch never loses a good file.
Downloads go through pooch, which streams to a temporary file beside the target, checks the SHA-256, moves the
file into place only when it matches, retries failed transfers (with a growing pause) and draws a progress bar.
"""
from __future__ import annotations

import csv
import errno
import functools
import hashlib
import logging
import os
import re
import shutil
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from . import paths
from .errors import CscError
from .manifest import Source

CHUNK = 1 << 20
RAW_GITHUB = "https://raw.githubusercontent.com"
RETRIES = 3               # further attempts after a failed transfer or a hash mismatch (pauses 1, 2, 3 s)
TIMEOUT = 60              # seconds without a byte before a transfer counts as failed
PROGRESS_BYTES = 1 << 20  # draw a progress bar for downloads at least this large
# Errors that will fail every other file too: stop at the first, in one line.
FATAL = {errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM}
# What an interrupted fetch leaves: our own partial copies and pooch's temporary files.
LEFTOVER = re.compile(r"^(\..+\.[a-z0-9_]{8}\.part|tmp[a-z0-9_]{8})$")


class Mismatch(ValueError):
    """The bytes are not the manifest's file (a hash or row-count mismatch)."""


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


def data_rows(path: Path, encoding: str) -> int:
    """Records after the header, as a CSV reader sees them (the count the manifest records)."""
    with open(path, encoding=encoding, errors="replace", newline="") as fh:
        return sum(1 for record in csv.reader(fh) if record) - 1


def check_content(source: Source, path: Path) -> None:
    """Beyond the hash: a file seeded from a cut-short download matches its own hash but not the rows recorded."""
    if source.rows is not None and source.encoding != "binary":
        found = data_rows(path, source.encoding)
        if found != source.rows:
            raise Mismatch(f"{found} data rows but the manifest records {source.rows} (a truncated copy?)")


@dataclass
class Outcome:
    source: Source
    action: str  # "present", "copied", "downloaded" or "failed"
    message: str = ""


def url_of(source: Source) -> str:
    """The entry's download URL; CSC_URL_BASE stands in for https://raw.githubusercontent.com (tests serve the
    mirror under the same paths on 127.0.0.1). Hand-collected figure files have none: they come from a mirror or
    not at all."""
    url = source.file_url
    base = os.environ.get("CSC_URL_BASE")
    if base and url.startswith(RAW_GITHUB + "/"):
        url = base.rstrip("/") + url[len(RAW_GITHUB):]
    return url


def _copy(origin: Path, source: Source, target: Path, where: str) -> None:
    """Copy a local file under a unique temporary name, verify, then rename into place."""
    if not origin.is_file():
        raise FileNotFoundError(f"not in {where}: {origin}")
    handle, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    partial = Path(name)
    try:
        with os.fdopen(handle, "wb") as out, open(origin, "rb") as src:
            shutil.copyfileobj(src, out, CHUNK)
        actual = sha256_of(partial)
        if actual != source.sha256:
            raise Mismatch(f"sha256 mismatch: expected {source.sha256}, got {actual}")
        check_content(source, partial)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)


def _download(url: str, source: Source, target: Path) -> None:
    import pooch
    import requests

    name = target.name
    store = pooch.Pooch(path=target.parent, base_url="", registry={name: f"sha256:{source.sha256}"},
                        urls={name: url}, retry_if_failed=RETRIES)
    progress = (source.bytes or 0) >= PROGRESS_BYTES
    tries = f"{RETRIES + 1} attempt{'s' if RETRIES else ''}"
    try:
        store.fetch(name, downloader=_downloader_class()(progressbar=progress, chunk_size=1 << 16, timeout=TIMEOUT))
    except ValueError as exc:  # pooch's hash mismatch, after its retries
        got = re.search(r"but got ([0-9a-f]{64})", str(exc))
        raise Mismatch(f"sha256 mismatch: expected {source.sha256}, got {got.group(1) if got else '?'}") from None
    except requests.Timeout:
        raise TransferError(f"no data for {TIMEOUT} s from {url} (timed out), {tries}") from None
    except requests.ConnectionError:
        raise TransferError(f"cannot connect to {urlsplit(url).netloc}, {tries}") from None
    except requests.HTTPError as exc:
        raise TransferError(f"HTTP {exc.response.status_code} from {url}, {tries}") from None
    except requests.RequestException as exc:  # a transfer broken off part-way, a garbled encoding
        raise TransferError(f"transfer from {url} failed ({type(exc).__name__}), {tries}") from None
    try:
        check_content(source, target)
    except Mismatch:
        target.unlink()
        raise


class TransferError(Exception):
    """A download that failed for a reason of the network or the server, after pooch's retries."""


@functools.cache
def _downloader_class():
    import pooch
    import requests

    class Downloader(pooch.HTTPDownloader):
        """pooch's HTTP downloader, except that a 4xx answer (the file is not there) is not worth retrying."""

        def __call__(self, url, output_file, store, check_only=False):
            try:
                return super().__call__(url, output_file, store, check_only)
            except requests.HTTPError as exc:
                code = exc.response.status_code if exc.response is not None else 0
                if 400 <= code < 500 and code not in (408, 429):
                    raise FileNotFoundError(f"HTTP {code} from {url}") from None
                raise

    return Downloader


def _quiet_pooch() -> None:
    """pooch logs every download; keep only its notes about retries."""
    logger = logging.getLogger("pooch")
    if not any(isinstance(f, _RetryNotes) for f in logger.filters):
        logger.addFilter(_RetryNotes())


class _RetryNotes(logging.Filter):
    def filter(self, record):
        return str(record.msg).startswith("Failed to download")


def _reason(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return f"{exc.strerror}: {exc.filename}" if exc.filename else exc.strerror
    return " ".join(str(exc).split()) or type(exc).__name__


def fetch_one(source: Source, mirror: Path | None, raw_dir: Path) -> Outcome:
    target = raw_dir / source.file
    link = _symlink_in(target, raw_dir)
    if link is None and target.is_file() and sha256_of(target) == source.sha256:
        return Outcome(source, "present")
    if mirror is None and not source.file_url and source.hand_collected:
        return Outcome(source, "skipped", f"{source.id} ({source.file}): hand-collected, no public copy")
    try:
        if link is not None:
            link.unlink()  # the link only, never what it points to
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.exists():
            target.chmod(stat.S_IWUSR | stat.S_IRUSR)
        if mirror is not None:
            _copy(mirror / source.mirror_path, source, target, "mirror")
            action = "copied"
        else:
            _download(url_of(source), source, target)
            action = "downloaded"
        target.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)  # raw files are read-only inputs
    except Exception as exc:  # noqa: BLE001 - every failure of one file becomes one line naming it
        if isinstance(exc, OSError) and exc.errno in FATAL:
            raise CscError(f"{source.id} ({source.file}): {_reason(exc)}; stopped, files already in place "
                           f"are intact") from None
        if target.is_file():
            target.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
        return Outcome(source, "failed", f"{source.id} ({source.file}): {_reason(exc)}")
    if link is not None:
        return Outcome(source, "failed", f"{source.id}: {link} was a symbolic link; replaced by a verified copy")
    return Outcome(source, action)


def _symlink_in(target: Path, raw_dir: Path) -> Path | None:
    """The first symbolic link on the way from data/raw to the target: raw files must be real files we checked."""
    here = raw_dir
    for part in target.relative_to(raw_dir).parts:
        here = here / part
        if here.is_symlink():
            return here
    return None


def clean_leftovers(raw_dir: Path) -> list[Path]:
    """Partial files an interrupted fetch left behind (only called while holding the fetch lock)."""
    found = [p for p in raw_dir.rglob("*") if LEFTOVER.match(p.name) and p.is_file() and not p.is_symlink()]
    for path in found:
        path.unlink()
    return found


def fetch_all(sources: dict[str, Source], mirror: Path | None = None, raw_dir: Path | None = None) -> list[Outcome]:
    raw_dir = raw_dir or paths.RAW
    raw_dir.mkdir(parents=True, exist_ok=True)
    _quiet_pooch()
    with paths.lock(raw_dir / ".fetch.lock", "fetch"):
        clean_leftovers(raw_dir)
        return [fetch_one(s, mirror, raw_dir) for s in sources.values()]


def remove_strays(sources: dict[str, Source], raw_dir: Path) -> list[Path]:
    """Files in data/raw/ no manifest entry names (left by an edited manifest); reported, never deleted silently."""
    wanted = {raw_dir / s.file for s in sources.values()}
    return sorted(p for p in raw_dir.rglob("*") if p.is_file() and p not in wanted and not p.name.startswith("."))
