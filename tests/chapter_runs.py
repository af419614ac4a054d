"""Chapter runs for the chapter tests: every (area, vintage) of a chapter executed once a module, side by side on the
book's own executor (one per core), exactly as `python -m csc chapter` runs one (csc.build.execute)."""
from __future__ import annotations

from pathlib import Path

import nbformat

from csc import build, executor
from csc.errors import CscError

VINTAGES = ("latest", "first")


def run_all(name: str, areas: list[str], folder: Path) -> dict[tuple[str, str], Path | str]:
    """(area, vintage) -> the folder holding <name>.ipynb and data/, or the one-line error of a run that failed."""
    spec = build.chapters()[name]
    combos = [(area, vintage) for area in areas for vintage in VINTAGES]
    jobs = []
    for i, (area, vintage) in enumerate(combos):
        where = folder / str(i)
        where.mkdir(parents=True)
        jobs.append((name, spec, {**spec["parameters"], "area": area, "vintage": vintage}, where / f"{name}.ipynb",
                     where / "data", where / "work"))
    finished: set[int] = set()
    failure = ""
    try:
        executor.run(build.execute, jobs, done=lambda index, seconds: finished.add(index))
    except CscError as exc:
        failure = str(exc)
    return {combo: (jobs[i][3].parent if i in finished else failure) for i, combo in enumerate(combos)}


def folder(runs: dict, area: str, vintage: str) -> Path:
    where = runs[(area, vintage)]
    assert isinstance(where, Path), where
    return where


def glued(notebook: Path) -> dict[str, str]:
    """Values a notebook glued for the prose, by name."""
    nb = nbformat.read(notebook, as_version=4)
    out = {}
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            meta = output.get("metadata", {}).get("scrapbook", {})
            if meta.get("name"):
                prefix = meta.get("mime_prefix", "")
                out[meta["name"]] = output["data"].get(f"{prefix}text/markdown", output["data"].get(f"{prefix}text/plain"))
    return out


def markdown_outputs(notebook: Path) -> list[str]:
    nb = nbformat.read(notebook, as_version=4)
    return [o.get("data", {}).get("text/markdown", "") for c in nb.cells for o in c.get("outputs", [])]


def claim_boxes(notebook: Path) -> list[str]:
    return [o for o in markdown_outputs(notebook) if "claim-box" in o]
