"""A book people can cite: CITATION.cff is valid Citation File Format and names the book as _config.yml does."""
from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
CFFCONVERT = ROOT / ".venv" / "cff" / "bin" / "cffconvert"   # its own venv (make setup), not the book's


def test_citation_file_validates():
    if not CFFCONVERT.is_file():
        pytest.skip(f"cffconvert is not installed at {CFFCONVERT} (make setup creates it)")
    done = subprocess.run([str(CFFCONVERT), "--validate", "-i", str(ROOT / "CITATION.cff")], capture_output=True,
                          text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_citation_names_the_book_as_its_config_does():
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    assert cff["title"] == config["title"]
    assert [a["name"] for a in cff["authors"]] == [config["author"]]
