"""What a book build was made from, and what changed since the build before it.

After the chapters run, `write` compares what the book is built from now — the manifest's files, the tidy tables
(`csc.tidy.read_state`) and the claims ledger's snapshot (`claims.json`, written by the ledger chapter) — with what
the previous build kept in `_build/stamps/report.json`, and writes the data change report: which official files
were added, replaced or removed, which tidy tables changed, which chapters re-executed (and which read what
changed), which claim verdicts and headline figures moved. It goes to `_build/report/data-change.md` and, for the
front matter, to `chapters/data_change.md`; `chapters/built_from.md` states the newest release of each publication,
the build date and the commit. Both pages are rewritten only when what they say changed, so a build with nothing
new leaves the book's sources, and so the HTML and PDF, as they were.
"""
from __future__ import annotations

import datetime
import json
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from . import manifest, paths, tidy

STAMP = paths.BUILD / "stamps" / "report.json"
REPORT = paths.BUILD / "report" / "data-change.md"
PAGE = paths.CHAPTERS / "data_change.md"
BUILT_FROM = paths.CHAPTERS / "built_from.md"
SNAPSHOT = paths.BUILD / "downloads" / "chart-data" / "claims_ledger" / "claims.json"
CLAIM_FIELDS = {"verdict_then": "verdict with the review's data", "verdict_now": "verdict with the latest data",
                "figure_then": "figure with the review's data", "figure_now": "figure with the latest data"}


def state(manifest_path: Path | None = None, tidy_dir: Path | None = None, snapshot: Path | None = None) -> dict:
    """What the book is built from now: files by manifest id, tidy tables, and the ledger's results."""
    files = {s.id: {"publisher": s.publisher, "publication": s.publication, "release": s.release,
                    "file": s.file, "sha256": s.sha256, "topic": s.topic}
             for s in manifest.load(manifest_path).values()}
    tables = {name: {"sha256": t.get("sha256", ""), "sources": t.get("sources", [])}
              for name, t in tidy.read_state(tidy_dir or paths.TIDY).items()}
    try:
        found = json.loads(Path(snapshot or SNAPSHOT).read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        found = {}
    return {"files": files, "tables": tables, "claims": found}


@dataclass
class Changes:
    added: list[str] = field(default_factory=list)       # manifest ids
    replaced: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    tables: list[str] = field(default_factory=list)      # tidy tables whose contents changed
    reading: list[str] = field(default_factory=list)     # chapters that read a changed table or the manifest
    executed: list[str] = field(default_factory=list)    # chapters this build re-executed
    claims: dict[str, list[tuple[str, str, str]]] = field(default_factory=dict)   # id -> [(field, old, new)]
    first: bool = False                                  # no earlier build to compare with

    @property
    def empty(self) -> bool:
        return not (self.added or self.replaced or self.removed or self.tables or self.executed or self.claims)


def compare(before: dict, after: dict, executed: list[str], chapters: dict[str, dict]) -> Changes:
    """What differs between two states, and which chapters read what changed."""
    if not before:
        return Changes(executed=list(executed), first=True)
    old, new = before.get("files", {}), after["files"]
    changes = Changes(added=sorted(set(new) - set(old)), removed=sorted(set(old) - set(new)),
                      replaced=sorted(i for i in set(new) & set(old) if new[i]["sha256"] != old[i]["sha256"]
                                      or new[i]["release"] != old[i]["release"]),
                      executed=list(executed))
    old_tables = before.get("tables", {})
    changes.tables = sorted(t for t, v in after["tables"].items() if old_tables.get(t, {}).get("sha256") != v["sha256"])
    touched = set(changes.tables) | ({"manifest"} if changes.added or changes.replaced or changes.removed else set())
    changes.reading = [name for name, spec in chapters.items() if touched & set(spec["inputs"])]
    old_claims, new_claims = before.get("claims", {}), after["claims"]
    for claim_id in dict.fromkeys([*new_claims, *old_claims]):
        a, b = old_claims.get(claim_id, {}), new_claims.get(claim_id, {})
        moved = [(f, a.get(f, "–"), b.get(f, "–")) for f in CLAIM_FIELDS if a.get(f) != b.get(f)]
        if moved:
            changes.claims[claim_id] = moved
    return changes


def _file(entry: dict) -> str:
    return f"{entry['publication']}, {entry['release']} release (`{Path(entry['file']).name}`)"


def markdown(changes: Changes, after: dict, before: dict, titles: dict[str, str], built: str) -> str:
    """The report as Markdown paragraphs and lists (no headings, so it can be included anywhere)."""
    if changes.first:
        ran = ", ".join(titles.get(c, c) for c in changes.executed) or "none"
        return (f"Built on {built}. This is the first build kept, so there is no earlier build to compare with. "
                f"Chapters executed: {ran}.\n")
    if changes.empty:
        return f"Built on {built}. Nothing changed since the build before: no file, table, chapter or claim.\n"
    lines = [f"Built on {built}. Since the build before:", ""]
    files = after["files"]
    for what, ids, source in (("added", changes.added, files), ("replaced", changes.replaced, files),
                              ("removed", changes.removed, before.get("files", {}))):
        if ids:
            lines.append(f"- **Official files {what}** ({len(ids)}): " + "; ".join(_file(source[i]) for i in ids) + ".")
    if changes.tables:
        lines.append("- **Tidy tables changed:** " + ", ".join(f"`{t}`" for t in changes.tables) + ".")
    if changes.reading:
        lines.append("- **Chapters that read what changed:** " + ", ".join(titles.get(c, c) for c in changes.reading)
                     + ".")
    lines.append("- **Chapters re-executed:** " + (", ".join(titles.get(c, c) for c in changes.executed) or "none")
                 + ("." if changes.tables or changes.added or changes.replaced or changes.removed else
                    "; no official file or tidy table changed, so they re-ran for a change of code or parameters."))
    if changes.claims:
        moved = [f"{claim_id} ({'; '.join(f'{CLAIM_FIELDS[f]}: {a} → {b}' for f, a, b in fields)})"
                 for claim_id, fields in changes.claims.items()]
        verdicts = [c for c, fields in changes.claims.items() if any(f.startswith("verdict") for f, *_ in fields)]
        lines.append(f"- **Claims that moved** ({len(moved)}; {len(verdicts)} with a new verdict): " + "; ".join(moved)
                     + ".")
    else:
        lines.append("- **Claims that moved:** none; every verdict and headline figure of the ledger is as before.")
    return "\n".join(lines) + "\n"


def commit() -> str:
    """The commit the book is built from ('' outside a git checkout), marked where the sources differ from it."""
    def git(*args: str) -> str:
        try:
            done = subprocess.run(["git", *args], cwd=paths.ROOT, capture_output=True, text=True, timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            return ""
        return done.stdout.strip() if done.returncode == 0 else ""
    head = git("rev-parse", "--short=12", "HEAD")
    if head and git("status", "--porcelain", "--untracked-files=no"):
        head += " (with uncommitted changes)"
    return head


def newest_releases(files: dict[str, dict]) -> list[tuple[str, str, str]]:
    """(publisher, publication, newest release) for every publication the manifest holds."""
    newest: dict[tuple[str, str], str] = {}
    for entry in files.values():
        key = (entry["publisher"], entry["publication"])
        newest[key] = max(newest.get(key, ""), str(entry["release"]))
    return [(publisher, publication, release) for (publisher, publication), release in sorted(newest.items())]


def built_from(files: dict[str, dict], head: str, built: str) -> str:
    """The front matter's statement of what the book was built from, with a citation to copy."""
    from . import yamlfile

    config = yamlfile.read(paths.ROOT / "_config.yml")
    where = f"commit `{head}` of its repository" if head else "a copy of its sources outside version control"
    lines = [f"This book was built on {built} from {where}, with the official files listed in the data appendix. "
             "The newest release of each publication it holds:", ""]
    lines += [f"- {publication} ({publisher}): {release}" for publisher, publication, release in newest_releases(files)]
    lines += ["", f"To cite it: {config['author']}, *{config['title']}*, built on {built}"
              + (f" from commit `{head.split(' ')[0]}`." if head else ".")]
    return "\n".join(lines) + "\n"


DATED = re.compile(r"[Bb]uilt on \d{1,2} \w+ \d{4}")


def _write_unless_same(path: Path, text: str) -> bool:
    """Write text unless the file says the same but for its build date; True when written."""
    try:
        held = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        held = None
    if held is not None and DATED.sub("", held) == DATED.sub("", text):
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
    return True


def write(executed: list[str], log=print, chapters: dict[str, dict] | None = None, stamp: Path = STAMP,
          report: Path = REPORT, page: Path = PAGE, front: Path = BUILT_FROM, now: dict | None = None,
          head: str | None = None) -> Changes:
    """Compare with the previous build, write the report and the front matter, and keep this build's state."""
    from .build import _read_json, _write_json, chapters as registry

    chapters = chapters if chapters is not None else registry()
    titles = {name: spec["title"] for name, spec in chapters.items()}
    after = now if now is not None else state()
    before = _read_json(stamp)
    changes = compare(before, after, executed, chapters)
    built = datetime.date.today().strftime("%-d %B %Y")
    head = commit() if head is None else head
    if not changes.empty or changes.first or not page.is_file():
        text = markdown(changes, after, before, titles, built)
        _write_unless_same(report, text)
        _write_unless_same(page, text)
        shown = report.relative_to(paths.ROOT) if report.is_relative_to(paths.ROOT) else report
        log(f"report: data change report -> {shown}")
    _write_unless_same(front, built_from(after["files"], head, built))
    _write_json(stamp, after)
    return changes


def stage(chapters_dir: Path) -> None:
    """The front matter pages for a book source tree that has none (an edition staged before the main book was
    built): what it is built from, and that no earlier build is kept to compare with."""
    built = datetime.date.today().strftime("%-d %B %Y")
    if not (chapters_dir / PAGE.name).is_file():
        _write_unless_same(chapters_dir / PAGE.name, f"Built on {built}. The main book has not been built here, so "
                                                     "there is no earlier build to compare with.\n")
    if not (chapters_dir / BUILT_FROM.name).is_file():
        _write_unless_same(chapters_dir / BUILT_FROM.name, built_from(state()["files"], commit(), built))


def ship_pdf(html: Path | None = None, pdf: Path | None = None) -> None:
    """Put the PDF in the HTML root, where the front page's download link points."""
    html, pdf = html or paths.BUILD / "html", pdf or paths.BUILD / "pdf" / "book.pdf"
    if html.is_dir() and pdf.is_file():
        shutil.copy2(pdf, html / "book.pdf")
