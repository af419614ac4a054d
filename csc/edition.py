"""An area edition: the whole book (every chapter and the claims ledger) run for one area, as HTML and PDF.

An analyst who re-runs one chapter gets a notebook; an edition is the readable answer. It is built from its own
source tree under _build/editions/<slug>/src/ (copies of the book's pages, the executed notebooks and their chart
CSVs), so the main book's notebooks, HTML and PDF are never touched, and its HTML and PDF are swapped in only when
the build succeeds. Chapters re-run only when their inputs changed, as in the main build.
"""
from __future__ import annotations

import html
import os
import re
import shutil
import time
from pathlib import Path

import yaml

from . import build, paths, query, report, tidy, yamlfile
from .chapter import Context, in_text, validate
from .errors import UsageError

EDITIONS = paths.BUILD / "editions"
LEVELS = {"local_authority": "a local authority", "regional": "a region",
          "consistent_boundary": "a reorganised council reported on one boundary"}


def defaults(registry: dict[str, dict]) -> dict:
    """Every chapter parameter with the book's value (the first chapter declaring it)."""
    out: dict = {}
    for spec in registry.values():
        for key, value in spec["parameters"].items():
            out.setdefault(key, value)
    return out


def parameters(registry: dict[str, dict], given: dict[str, str]) -> dict:
    """The edition's parameters, typed like each one's default in chapters.yml; one that no chapter takes is an error."""
    book = defaults(registry)
    unknown = sorted(set(given) - set(book))
    if unknown:
        raise UsageError(f"no chapter has a parameter {unknown[0]!r}; parameters are {', '.join(book)}")
    return {k: build._coerce(k, book[k], v) for k, v in given.items()}


def chapter_parameters(spec: dict, edition: dict) -> dict:
    """A chapter's parameters in the edition: its defaults, with the edition's values for those it takes."""
    return {**spec["parameters"], **{k: v for k, v in edition.items() if k in spec["parameters"]}}


def slug(registry: dict[str, dict], edition: dict) -> str:
    """The folder name: the area's GSS code, then any parameter that differs from the book's
    (e.g. E06000053, E09000012__vintage-first)."""
    book = defaults(registry)
    extra = [f"{k}-{v}" for k, v in sorted(edition.items()) if k != "area" and v != book[k]]
    return "__".join(re.sub(r"[^A-Za-z0-9_]+", "-", str(part)).strip("-") for part in [edition["area"], *extra])


def describe(ctx: Context, edition: dict) -> str:
    """One paragraph on what this edition is, from the parameters (no typed numbers)."""
    level = LEVELS.get(ctx.level)
    beside = " and ".join(in_text(query.areas().name(c), query.areas().level(c)) for c in ctx.comparators[1:])
    vintage = ("the newest release of each year" if ctx.vintage == "latest"
               else "figures as first published (what the review saw in 2021)")
    others = ", ".join(f"`{k}` = `{v}`" for k, v in sorted(edition.items()) if k not in ("area", "vintage"))
    return (f"This is the **{ctx.area_name} edition**. The main book is built for England; this edition re-runs "
            f"every chapter and the claims ledger for {ctx.area_name} ({ctx.area.replace('+', ' + ')})"
            + (f", {level}" if level else "") + (f", with {beside} beside it" if beside else "")
            + f", using {vintage}" + (f", with {others}" if others else "") + ". "
            + (f"{ctx.boundary_note} " if ctx.boundary_note else "")
            + "The appendices on methods and data are the same for every area.")


def banner(ctx: Context) -> str:
    """The line at the top of every HTML page naming the edition's area."""
    vintage = "newest release of each year" if ctx.vintage == "latest" else "figures as first published"
    name = html.escape(ctx.area_name)
    return (f"<strong>{name} edition</strong>: the chapters and the claims ledger are run for {name} "
            f"({ctx.area.replace('+', ' + ')}; {vintage}).")


def stage_sources(src: Path, ctx: Context, edition: dict) -> None:
    """The edition's book source tree: the project's pages, with its title, a banner on every page and a note on
    the home page naming the area. Executed notebooks and chart CSVs are added by run_chapters."""
    (src / "chapters").mkdir(parents=True, exist_ok=True)
    config = yamlfile.read(paths.ROOT / "_config.yml")
    config["title"] = f"{config['title']} — {ctx.area_name} edition"
    config.setdefault("html", {})["announcement"] = banner(ctx)
    _write(src / "_config.yml", yaml.safe_dump(config, sort_keys=False, allow_unicode=True, width=120))
    toc = paths.ROOT / "_toc.yml"
    _write(src / "_toc.yml", toc.read_text(encoding="utf-8"))
    root_page = yamlfile.read(toc)["root"]
    for page in paths.ROOT.glob("*.md"):
        if page.name == "README.md":
            continue
        text = page.read_text(encoding="utf-8")
        if page.stem == root_page:
            text = _with_note(text, ctx, edition)
        _write(src / page.name, text)
    for page in paths.CHAPTERS.glob("*.md"):
        _write(src / "chapters" / page.name, page.read_text(encoding="utf-8"))
    report.stage(src / "chapters")   # the front matter's pages, where the main book has not written them
    shutil.copytree(paths.ROOT / "assets", src / "assets", dirs_exist_ok=True)
    vendor = src / "_vendor"
    if not vendor.exists():
        vendor.symlink_to((paths.ROOT / "_vendor").resolve())


def _with_note(text: str, ctx: Context, edition: dict) -> str:
    """The root page with the edition note just under its first heading."""
    note = f":::{{note}}\n{describe(ctx, edition)}\n:::\n"
    lines = text.splitlines(keepends=True)
    at = next((i + 1 for i, line in enumerate(lines) if line.startswith("# ")), 0)
    return "".join(lines[:at]) + "\n" + note + "".join(lines[at:])


def _write(path: Path, text: str) -> None:
    """Rewrite only when the text changed, so an unchanged edition's sources keep their hash and mtimes."""
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")


def run_chapters(registry: dict[str, dict], edition: dict, folder: Path, force: bool = False, log=print,
                 workers: int | None = None, scheduler: str | None = None) -> list[str]:
    """Execute each chapter for the edition into its source tree, unless its inputs are unchanged; a chapter run
    exactly as the main book runs it is copied from the book."""
    src = folder / "src"
    layout = build.Layout(src / "chapters", src / "_build" / "downloads", folder / "stamps", folder / "work")

    def reuse(name: str, params: dict, parts: dict) -> bool:
        if params != registry[name]["parameters"] or build.why_stale(name, parts):
            return False
        _copy_from_book(name, layout.work / f"{name}.files", layout.notebooks / f"{name}.ipynb", layout.work)
        return True

    return build.run_chapters(force=force, log=log, workers=workers, scheduler=scheduler, layout=layout,
                              params_for=lambda name, spec: chapter_parameters(spec, edition), reuse=reuse)


def _copy_from_book(name: str, files_dir: Path, notebook: Path, work: Path) -> None:
    """A chapter the edition runs exactly as the (current) main book does, e.g. the data appendix: no need to run it
    again. Copied through work so the edition's notebook is replaced in one step."""
    shutil.rmtree(files_dir, ignore_errors=True)
    charts = build.DOWNLOADS / "chart-data" / name
    if charts.is_dir():
        shutil.copytree(charts, files_dir)
    else:
        files_dir.mkdir(parents=True)
    shutil.copy2(paths.CHAPTERS / f"{name}.ipynb", work / f"{name}.ipynb")
    os.replace(work / f"{name}.ipynb", notebook)


def main(area: str, vintage: str | None = None, params: dict[str, str] | None = None, pdf: bool = True,
         force: bool = False, out: str | None = None, log=print, workers: int | None = None,
         scheduler: str | None = None) -> int:
    """Build the edition for area; parameters are checked before anything is created."""
    started = time.perf_counter()
    registry = build.chapters()
    given = {"area": area, **({"vintage": vintage} if vintage else {}), **(params or {})}
    edition = parameters(registry, given)
    tidy.build(sorted({t for s in registry.values() for t in s["inputs"] if t in tidy.TABLES}), log=lambda *_: None)
    edition["area"] = query.areas().resolve(edition["area"])  # however it was spelled, one edition per area
    for spec in registry.values():
        if spec["parameters"]:
            validate(**chapter_parameters(spec, edition))
    ctx = validate(area=edition["area"], vintage=edition.get("vintage", defaults(registry)["vintage"]))
    name = slug(registry, edition)
    folder = Path(out).resolve() if out else EDITIONS / name
    shown = folder.relative_to(paths.ROOT) if folder.is_relative_to(paths.ROOT) else folder
    log(f"edition {name}: {ctx.area_name} -> {shown}/")
    src = folder / "src"
    stage_sources(src, ctx, edition)
    timings = {"checks": time.perf_counter() - started}
    executed = run_chapters(registry, edition, folder, force=force, log=log, workers=workers, scheduler=scheduler)
    timings["chapters"] = time.perf_counter() - started - timings["checks"]
    build.render(folder / "stamps" / "book.json", src, folder, pdf, bool(executed), timings, log, "edition")
    log(f"edition {name}: done in {time.perf_counter() - started:.1f} s ["
        + ", ".join(f"{k} {v:.1f} s" for k, v in timings.items()) + "]")
    return 0
