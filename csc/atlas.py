"""The atlas (`make atlas`): one static page per area — every current LA and the nine regions — each a papermill run of
the area-profile notebook (chapters/area_profile.py) on the shared executor, rendered to lean HTML that loads nothing
from outside itself, with an index of areas by region and a search box that works offline.

Incremental like the book: an area's notebook re-runs only when its source, the csc package or a tidy table it reads
changed (stamps in _build/atlas-work/stamps, via csc.build.signature / why_stale); a change to the page template alone
re-renders the pages from the executed notebooks. Markdown is rendered with markdown-it-py; a Sphinx build of 162
pages would take minutes where this takes well under a second a page.
"""
from __future__ import annotations

import hashlib
import html
import os
import shutil
import time
from pathlib import Path

from . import build, executor, paths, tidy
from .errors import UsageError

NAME = "area_profile"
# Built here, not registered in chapters/chapters.yml, so the book build never runs it.
SPEC = {"title": "Area profile", "inputs": ["geography", "cin", "cla", "workforce", "markets", "spending", "context",
                                           "manifest"],
        "parameters": {"area": "E08000035"}}
OUT = paths.BUILD / "atlas"
PAGES = OUT / "areas"
CSV = OUT / "chart-data" / NAME          # charts.publish links ../chart-data/<chapter>/<chart>.csv from a page
WORK = paths.BUILD / "atlas-work"
NOTEBOOKS, STAMPS, SCRATCH = WORK / "notebooks", WORK / "stamps", WORK / "scratch"
TITLE = "The Case for Change, re-examined"

STYLE = """
body{font-family:"DejaVu Sans",Arial,sans-serif;color:#0b0c0c;line-height:1.5;margin:0;background:#fff}
header,main,footer{max-width:60rem;margin:0 auto;padding:0 1rem}
header{border-bottom:4px solid #12436d;padding-top:.5rem;padding-bottom:.5rem}
header a,footer a,main a{color:#12436d}
a:focus{outline:3px solid #f46a25;outline-offset:1px}
h1{font-size:2rem;margin:.5rem 0}h2{margin-top:2rem;border-bottom:1px solid #b1b4b6}h3{margin-bottom:.25rem}
figure.csc-chart{margin:1rem 0}figure.csc-chart img{max-width:100%;height:auto}
figcaption{font-size:.875rem;color:#505a5f}
table.claims{border-collapse:collapse;font-size:.875rem;width:100%}
table.claims caption{text-align:left;font-weight:bold;padding:.25rem 0}
table.claims th,table.claims td{border:1px solid #b1b4b6;padding:.3rem;vertical-align:top;text-align:left}
table.claims thead th{background:#f3f2f1}
code{background:#f3f2f1;padding:0 .2rem}
footer{font-size:.875rem;color:#505a5f;border-top:1px solid #b1b4b6;margin-top:2rem;padding-top:.5rem}
#areas ul{columns:16rem;padding-left:1.2rem}
label{font-weight:bold;display:block}input[type=search]{font-size:1rem;padding:.3rem;width:100%;max-width:25rem}
"""
SEARCH = """
const box = document.getElementById('q'), status = document.getElementById('matches');
box.addEventListener('input', () => {
  const words = box.value.toLowerCase().split(/\\s+/).filter(Boolean);
  let shown = 0;
  for (const region of document.querySelectorAll('#areas section')) {
    let any = false;
    for (const item of region.querySelectorAll('[data-search]')) {
      const hit = words.every(w => item.dataset.search.includes(w));
      item.hidden = !hit; any = any || hit; shown += hit;
    }
    region.hidden = !any;
  }
  status.textContent = words.length ? `${shown} ${shown === 1 ? 'area matches' : 'areas match'}` : '';
});
"""


def page_template_hash() -> str:
    """What the pages' HTML depends on beyond the executed notebook: this module."""
    return hashlib.sha256(Path(__file__).read_bytes()).hexdigest()


def shell(title: str, body: str, home: str, script: str = "") -> str:
    """A whole page: inline style (and script), no outside fonts, scripts or styles."""
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{html.escape(title)}</title><style>{STYLE}</style></head><body>"
            f'<header><a href="{home}">{TITLE}: the atlas</a></header><main id="content">{body}</main>'
            f"<footer>Figures computed from official statistics (DfE, ONS, Ofsted) when the atlas was built. Contains "
            f"public sector information licensed under the Open Government Licence v3.0.</footer>"
            + (f"<script>{script}</script>" if script else "") + "</body></html>\n")


def render(notebook: Path) -> str:
    """An executed profile notebook's Markdown cells and outputs as HTML (no code, no prompts)."""
    import nbformat
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": True}).enable("table")
    parts = []
    for cell in nbformat.read(notebook, as_version=4).cells:
        if "remove-cell" in cell.get("metadata", {}).get("tags", []):
            continue
        if cell.cell_type == "markdown":
            parts.append(md.render(cell.source))
        for output in cell.get("outputs", []) if cell.cell_type == "code" else []:
            data = output.get("data", {})
            if "text/html" in data:
                parts.append("".join(data["text/html"]))
            elif "text/markdown" in data:
                parts.append(md.render("".join(data["text/markdown"])))
    return "\n".join(parts)


def write_page(code: str) -> None:
    from . import query

    name = query.areas().name(code)
    page = shell(f"{name}: area profile — {TITLE}", render(NOTEBOOKS / f"{code}.ipynb"), "../index.html")
    _write(PAGES / f"{code}.html", page)


def write_index() -> int:
    """The index: every built page, by region, with an offline search (names, GSS and DfE codes)."""
    from . import query
    from .analysis.profile import atlas_areas

    areas = query.areas()
    built = [c for c in atlas_areas() if (PAGES / f"{c}.html").is_file()]
    sections = []
    regions = {c for c in built if areas.level(c) == "regional"} | {areas.region_of(c) for c in built}
    for region in sorted(regions - {""}, key=areas.name):
        members = sorted((c for c in built if areas.region_of(c) == region and c != region), key=areas.name)
        heading = (f'<a href="areas/{region}.html">{html.escape(areas.name(region))}</a>' if region in built
                   else html.escape(areas.name(region)))
        search = " ".join([areas.name(region), region]).lower()
        items = [f'<li data-search="{html.escape(" ".join([areas.name(c), c, areas.by_code[c]["la_code"], search]).lower())}">'
                 f'<a href="areas/{c}.html">{html.escape(areas.name(c))}</a></li>' for c in members]
        sections.append(f'<section aria-label="{html.escape(areas.name(region))}"><h2>'
                        f'{heading}</h2><ul>{"".join(items)}</ul></section>')
    body = (f"<h1>The atlas: every area</h1><p>One page per local authority and region: the headline figures of "
            f"the book's chapters beside the region, England and the authority's statistical neighbours, and every "
            f"claim of the review judged for the area. {len(built)} pages.</p>"
            f'<label for="q">Find an area by name or code</label><input id="q" type="search" autocomplete="off">'
            f'<p id="matches" role="status" aria-live="polite"></p><div id="areas">{"".join(sections)}</div>')
    _write(OUT / "index.html", shell(f"The atlas — {TITLE}", body, "index.html", SEARCH))
    return len(built)


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def wanted(codes: list[str] | None) -> list[str]:
    """The areas asked for (GSS codes, DfE codes or names), checked against the atlas's; all by default."""
    from . import query
    from .analysis.profile import atlas_areas

    every = atlas_areas()
    if not codes:
        return every
    out = []
    for text in codes:
        code = query.areas().resolve(text)
        if code not in every:
            raise UsageError(f"--areas: {text!r} ({query.areas().name(code)}) has no atlas page; the atlas covers "
                             "current local authorities and the nine regions")
        out.append(code)
    return list(dict.fromkeys(out))


def main(codes: list[str] | None = None, workers: int | None = None, scheduler: str | None = None,
         force: bool = False, log=print) -> int:
    with paths.lock(WORK / ".lock", "atlas build"):
        return _main(codes, workers, scheduler, force, log)


def _main(codes, workers, scheduler, force, log) -> int:
    started = time.perf_counter()
    tidy.build(log=lambda *_: None)
    areas = wanted(codes)
    template = page_template_hash()
    for stale in SCRATCH.glob("*") if SCRATCH.is_dir() else []:  # what a killed run left
        shutil.rmtree(stale) if stale.is_dir() else stale.unlink()
    jobs, waiting, rendered = [], [], 0
    for code in areas:
        params = {"area": code}
        parts = build.signature(NAME, SPEC, params)
        reason = "forced" if force else build.why_stale(code, parts, STAMPS, NOTEBOOKS)
        if reason:
            jobs.append((NAME, SPEC, params, NOTEBOOKS / f"{code}.ipynb", SCRATCH / f"{code}.files", SCRATCH))
            waiting.append((code, parts, reason))
        elif build._stamp(code, STAMPS).get("page") != template or not (PAGES / f"{code}.html").is_file():
            write_page(code)
            build._write_json(STAMPS / f"{code}.json", {**parts, "page": template})
            rendered += 1
    NOTEBOOKS.mkdir(parents=True, exist_ok=True)

    def done(index: int, seconds: float) -> None:
        code, parts, reason = waiting[index]
        CSV.mkdir(parents=True, exist_ok=True)
        for old in CSV.glob(f"{code}_*.csv"):
            old.unlink()
        for new in (SCRATCH / f"{code}.files").glob("*.csv"):
            os.replace(new, CSV / new.name)
        shutil.rmtree(SCRATCH / f"{code}.files", ignore_errors=True)
        write_page(code)
        build._write_json(STAMPS / f"{code}.json", {**parts, "page": template})
        log(f"atlas {code}: executed in {seconds:.1f} s ({reason})")

    try:
        executor.run(build.execute, jobs, workers=workers, scheduler=scheduler, done=done)
    finally:
        pages = write_index()
        log(f"atlas: {len(jobs)} executed, {rendered} re-rendered, {len(areas) - len(jobs) - rendered} up to date; "
            f"{pages} pages -> {(OUT / 'index.html').relative_to(paths.ROOT)} in {time.perf_counter() - started:.1f} s")
    return 0
