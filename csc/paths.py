"""Where things live. Environment variables let tests and CI point the pipeline elsewhere."""
import os
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
