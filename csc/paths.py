"""Where things live. Environment variables let tests and CI point the pipeline elsewhere."""
import fcntl
import os
import sys
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(os.environ.get("CSC_ROOT", Path(__file__).resolve().parent.parent))
DATA = ROOT / "data"
MANIFEST = Path(os.environ.get("CSC_MANIFEST", DATA / "sources.yml"))
RAW = Path(os.environ.get("CSC_RAW_DIR", DATA / "raw"))
TIDY = Path(os.environ.get("CSC_TIDY_DIR", DATA / "tidy"))
BUILD = ROOT / "_build"
CHAPTERS = ROOT / "chapters"


def mirror() -> Path | None:
    """The local mirror of official files named by CSC_DATA_MIRROR, relative paths taken from the project root."""
    value = os.environ.get("CSC_DATA_MIRROR")
    if not value:
        return None
    path = Path(value)
    return path if path.is_absolute() else (Path.cwd() / path).resolve()


_HELD: set[str] = set()


@contextmanager
def lock(path: Path, what: str):
    """One fetch, tidy or build at a time per folder: a second one waits, and says so, instead of writing into the
    first one's files. The lock is the kernel's (flock), so a killed holder releases it. Re-entrant within a process:
    a step that already holds it (the book build running a chapter, say) goes straight on."""
    key = str(Path(path).resolve())
    if key in _HELD:
        yield
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            fh.seek(0)
            holder = fh.read().strip() or "?"
            print(f"csc: waiting for another {what} (pid {holder}) to finish ({path})", file=sys.stderr, flush=True)
            fcntl.flock(fh, fcntl.LOCK_EX)
        fh.seek(0)
        fh.truncate()
        fh.write(str(os.getpid()))
        fh.flush()
        _HELD.add(key)
        try:
            yield
        finally:
            _HELD.discard(key)
            fh.seek(0)
            fh.truncate()
            fh.flush()
            fcntl.flock(fh, fcntl.LOCK_UN)
