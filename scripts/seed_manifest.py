"""Seed data/sources.yml from a mirror of the official files (run once; afterwards people edit the manifest).

    python scripts/seed_manifest.py ../shared/data/raw > data/sources.yml
    python scripts/seed_manifest.py --fill data/sources.yml ../shared/data/raw   # file_url, rows for new entries

Publisher, publication, release and official page come from the folder rules below (checked against each folder's
PROVENANCE.md); the hash, size and encoding are read off the files. The download URL and the row count come from the
PROVENANCE notes: each names the public repository, full commit and path a file was copied from byte for byte, so
a URL pinned to that commit serves exactly these bytes, and the row count it records (taken when the file was copied)
catches a copy that was cut short before it was hashed.
"""
import csv
import hashlib
import re
import sys
from pathlib import Path
from urllib.parse import quote

import yaml

from csc.fetch import data_rows

DFE, OFSTED, ONS, MHCLG = ("Department for Education", "Ofsted", "Office for National Statistics",
                           "Ministry of Housing, Communities and Local Government")
EES = "https://explore-education-statistics.service.gov.uk/find-statistics/"
CIN_SFR = "https://www.gov.uk/government/collections/statistics-children-in-need"
CLA_SFR = "https://www.gov.uk/government/collections/statistics-looked-after-children"
S251 = "https://www.gov.uk/government/collections/section-251-materials"
RO = "https://www.gov.uk/government/collections/local-authority-revenue-expenditure-and-financing"
OFSTED_CSC = "https://www.gov.uk/government/collections/childrens-social-care-statistics"

# (path regex, publisher, publication, release, page URL); release may use groups from the regex.
RULES = [
    (r"cin/ees_2020/", DFE, "Characteristics of children in need", "2020", EES + "characteristics-of-children-in-need/2020"),
    (r"cin/ees_(\d{4})/", DFE, "Children in need", r"\1", EES + r"children-in-need/\1"),
    (r"cin/sfr_underlying/(\d{4})-(\d{2})/", DFE, "Characteristics of children in need (SFR/OSR underlying data)", r"20\2", CIN_SFR),
    (r"cla/ees_(\d{4})_release/", DFE, "Children looked after in England including adoptions", r"\1",
     EES + r"children-looked-after-in-england-including-adoptions/\1"),
    (r"cla/sfr_underlying/(\d{4})/", DFE, "Children looked after in England including adoptions (SFR underlying data)", r"\1", CLA_SFR),
    (r"cla/hand_collected", DFE, "First-published headline figures (hand-collected from web pages)", "2021", CLA_SFR),
    (r"workforce/csww_indicators_2017_to_(\d{4})", DFE, "Children's social work workforce", r"\1", EES + r"children-s-social-work-workforce/\1"),
    (r"workforce/csww_.*_to_(\d{4})", DFE, "Children's social work workforce", r"\1", EES + r"children-s-social-work-workforce/\1"),
    (r"spending/s251_outturn_la/outturn_(\d{2})(\d{2})", DFE, "Section 251 outturn, children's and young people's services (LA Table A1)",
     r"20\1-\2", S251),
    (r"spending/s251_outturn_la_2015_2019/[sS]251ye(\d{4})", DFE, "Section 251 outturn, children's and young people's services (LA Table A1)",
     r"ye\1", S251),
    (r"spending/s251_ees_summaries/(\d{4}-\d{2})/", DFE, "LA and school expenditure", r"\1",
     EES + "la-and-school-expenditure"),
    (r"spending/(?:ro3_2014_2021|mhclg_revenue_outturn)/R(?:O3|SX)_(?:LA_Data_)?(\d{4}-\d{2})", MHCLG,
     "Local authority revenue expenditure and financing: individual LA data, outturn (RO3/RSX)", r"\1", RO),
    (r"spending/hand_collected", DFE, "Spending figures quoted on public web pages (hand-collected)", "2021", S251),
    (r"markets/(?:ofsted_csc_data_\d{4}/)?Childrens_social_care_in_England_(\d{4})", OFSTED, "Children's social care data in England", r"\1", OFSTED_CSC),
    (r"markets/ofsted_providers_at_31_march/provider_at_march_(\d{4})", OFSTED, "Children's social care providers and places", r"\1", OFSTED_CSC),
    (r"markets/ofsted_providers_at_31_march/providers_at_sept_(\d{2})", OFSTED, "Children's social care providers and places", r"20\1-09", OFSTED_CSC),
    (r"markets/ofsted_joiners_leavers/joiners_leavers_(\d{2})", OFSTED, "Children's social care providers: joiners and leavers", r"20\1", OFSTED_CSC),
    (r"markets/fostering/Fostering_in_England_(\d{4}-\d{2})", OFSTED, "Fostering in England", r"\1",
     "https://www.gov.uk/government/collections/fostering-in-england"),
    (r"markets/fostering/.*_(\d{4})_to_(\d{4})", OFSTED, "Fostering in England", r"\1-\2",
     "https://www.gov.uk/government/collections/fostering-in-england"),
    (r"markets/hand_collected", OFSTED, "Market figures quoted on public web pages (CMA, Ofsted, LGA; hand-collected)", "2022", OFSTED_CSC),
    (r"context/population/cla_number", DFE, "Children looked after in England including adoptions", "2025",
     EES + "children-looked-after-in-england-including-adoptions/2025"),
    (r"context/population_ethnicity_census2021/", ONS, "Census 2021: ethnic group (20 categories), usual residents of all ages", "2021",
     "https://www.ons.gov.uk/datasets/create"),
    (r"context/population/", ONS, "Mid-year population estimates, children aged 0 to 17 (as published by DfE in EES)", "2025",
     EES + "children-in-need/2025"),
    (r"context/imd/IoD2025", "Ministry of Housing, Communities and Local Government", "English Indices of Deprivation 2025", "2025",
     "https://www.gov.uk/government/collections/english-indices-of-deprivation"),
    (r"context/imd/", "Ministry of Housing, Communities and Local Government", "English Indices of Deprivation 2019", "2019",
     "https://www.gov.uk/government/statistics/english-indices-of-deprivation-2019"),
    (r"context/deflators/", "HM Treasury", "GDP deflators at market prices, and money GDP (March 2026 QNA)", "2026-03",
     "https://www.gov.uk/government/statistics/gdp-deflators-at-market-prices-and-money-gdp-march-2026-quarterly-national-accounts"),
    (r"context/geography/New_Statistical", DFE, "Children's services statistical neighbour benchmarking tool", "2021-04",
     "https://www.gov.uk/government/publications/local-authority-interactive-tool-lait"),
    (r"context/geography/dfe_", DFE, "DfE local authority and region lookups (as used by EES)", "2025",
     "https://explore-education-statistics.service.gov.uk/"),
    (r"context/geography/", ONS, "ONS geography lookups and boundaries", "2023", "https://geoportal.statistics.gov.uk/"),
]


RAW_GITHUB = "https://raw.githubusercontent.com"
# Figures the project collected by hand from public web pages have no public file: the repository ships them.


def _notes_blocks(folder: Path):
    """(file named, text about it) from a PROVENANCE.md: inventory table rows, '### file' and '- **`file`**' blocks."""
    block_start = re.compile(r"^(?:#{2,4} `?([^`\s]+\.\w+)`?|- \*\*`([^`]+)`\*\*)")
    name, lines = None, []
    for line in (folder / "PROVENANCE.md").read_text(encoding="utf-8").splitlines():
        row = re.match(r"^\| `([^`]+\.\w+)` \|", line)
        start = block_start.match(line)
        if row or start or line.startswith("#"):
            if name:
                yield name, "\n".join(lines)
            name, lines = None, []
        if row:
            yield row.group(1), line
        elif start:
            name, lines = start.group(1) or start.group(2), [line]
        elif name:
            lines.append(line)
    if name:
        yield name, "\n".join(lines)


def _first(patterns, text):
    for pattern in patterns:
        m = re.search(pattern, text)
        if m:
            return m.group(1)
    return None


def origins(root: Path) -> dict[str, dict]:
    """{mirror path: {repo, commit, path, sha256, rows}} from every folder's PROVENANCE notes and CSVs."""
    found: dict[str, dict] = {}
    for folder in sorted(p for p in root.iterdir() if (p / "PROVENANCE.md").is_file()):
        previous: dict = {}
        for name, text in _notes_blocks(folder):
            rel = name if name.startswith(folder.name + "/") else f"{folder.name}/{name}"
            cells = [c.strip(" `") for c in text.split("|")] if text.startswith("|") else []
            same = re.search(r"Same repo", text)
            origin = {
                "repo": _first([r"source: `([\w.-]+/[\w.-]+)`", r"github\.com/([\w.-]+/[\w.-]+)",
                                r"\| ([\w.-]+/[\w.-]+)(?: @ `[0-9a-f]{40}`)? \|"], text)
                        or (previous.get("repo") if same else None),
                "commit": _first([r"taken from commit ([0-9a-f]{40})", r"@ `([0-9a-f]{40})`",
                                  r"[Ss]napshot(?:/last change)?:? ([0-9a-f]{40})", r"\| `([0-9a-f]{40})` \|"], text)
                          or (previous.get("commit") if same and "snapshot" in text else None),
                "path": _first([r"[Pp]ath in repo: `([^`]+)`", r"path `([^`]+)`", r"^- \*\*`[^`]+`\*\*: (?:source path )?`([^`]+)`"],
                               text),
                "sha256": _first([r"sha256:? `([0-9a-f]{64})`", r"`([0-9a-f]{64})`"], text),
                "rows": _first([r"([\d,]+) rows"], text),
            }
            if cells and not origin["path"]:  # inventory table: | file | repo | `commit` | `path` | bytes | sha | ...
                commit_at = next((i for i, c in enumerate(cells) if re.fullmatch(r"[0-9a-f]{40}", c)), None)
                if commit_at is not None and commit_at + 1 < len(cells):
                    origin["path"] = cells[commit_at + 1]
                elif origin["commit"]:  # | file | what | years | levels | repo @ `commit` | `path` | ...
                    at = next(i for i, c in enumerate(cells) if origin["commit"] in c)
                    origin["path"] = cells[at + 1]
            if origin["repo"]:
                previous = origin
            if not found.get(rel, {}).get("repo"):  # a file's description row comes before its inventory row
                found[rel] = origin
        for table in sorted(folder.glob("PROVENANCE_*.csv")):
            with open(table, encoding="utf-8", newline="") as fh:
                for row in csv.DictReader(fh):
                    rel = row.get("file") or row["mirror_path"]
                    known = found.setdefault(rel, {})
                    for key, columns in (("repo", ("source_repo", "repo")), ("commit", ("source_commit", "commit")),
                                         ("path", ("source_path", "path")), ("sha256", ("sha256",)),
                                         ("rows", ("rows",))):
                        value = next((row[c] for c in columns if row.get(c)), None)
                        if value:  # the machine-readable table wins over the prose
                            known[key] = value
    return found


def file_url(origin: dict | None) -> str | None:
    """The raw-file URL at the recorded commit: permanent, so the manifest hash keeps matching it."""
    if not origin or not all(origin.get(k) for k in ("repo", "commit", "path")):
        return None
    return f"{RAW_GITHUB}/{origin['repo']}/{origin['commit']}/{quote(origin['path'])}"


def check_rows(rel: str, path: Path, encoding: str, origin: dict) -> int | None:
    """The row count the PROVENANCE recorded, after checking the mirror's copy has it (a copy cut short does not)."""
    if not origin.get("rows") or encoding == "binary":
        return None
    rows = int(origin["rows"].replace(",", ""))
    found = data_rows(path, encoding)
    if found != rows:
        raise SystemExit(f"seed_manifest: {rel} has {found} rows but its PROVENANCE records {rows}: a truncated copy?")
    return rows


def rule_for(rel: str):
    for pattern, publisher, publication, release, page in RULES:
        m = re.search(pattern, rel)
        if m:
            return publisher, publication, m.expand(release), m.expand(page)
    raise SystemExit(f"seed_manifest: no folder rule for {rel}; add one to RULES")


def encoding_of(path: Path) -> str:
    if path.suffix.lower() not in (".csv", ".txt"):
        return "binary"
    data = path.read_bytes()
    if data.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        return "cp1252"


def periods_of(rel: str) -> str:
    m = re.search(r"(\d{4})_(?:to_)?(\d{4})", Path(rel).name)
    return f"{m.group(1)}-{m.group(2)}" if m else "see publication"


def entry_id(rel: str) -> str:
    stem = re.sub(r"\.(csv|txt|xlsx|ods|json|gz)$", "", rel, flags=re.I)
    stem = re.sub(r"\.(csv|topojson)$", "", stem, flags=re.I)
    return re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-")


def main(mirror: str) -> None:
    root = Path(mirror)
    notes = origins(root)
    entries = []
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        rel = path.relative_to(root).as_posix()
        if path.name.startswith("PROVENANCE"):
            continue
        publisher, publication, release, page = rule_for(rel)
        if release.startswith("ye"):  # "year ending March 2015" is financial year 2014-15
            year = int(release[2:])
            release = f"{year - 1}-{year % 100:02d}"
        sha = hashlib.sha256(path.read_bytes()).hexdigest()
        origin = notes.get(rel, {})
        if origin.get("sha256") not in (None, sha):
            raise SystemExit(f"seed_manifest: {rel} has sha256 {sha} but its PROVENANCE records {origin['sha256']}")
        encoding = encoding_of(path)
        rows = check_rows(rel, path, encoding, origin)
        url = file_url(origin)
        entries.append({
            "id": entry_id(rel), "topic": rel.split("/")[0], "publisher": publisher, "publication": publication,
            "release": release, "periods": periods_of(rel), "page_url": page, "file_url": url,
            "licence": "OGL-3.0", "sha256": sha, "bytes": path.stat().st_size,
            **({"rows": rows} if rows is not None else {}),
            "encoding": encoding, "file": rel, "mirror_path": rel,
            **({"hand_collected": True} if "/hand_collected_" in rel else {}),
        })
        twin = next((e["id"] for e in entries[:-1] if e["sha256"] == sha), None)
        if twin:
            entries[-1]["note"] = f"byte-identical to {twin}; kept so that each topic names its own input"
    header = ("# Official files the book uses: one entry per file, as published, under the Open Government Licence v3.0.\n"
              "# `make data` materialises each into data/raw/<file> from $CSC_DATA_MIRROR/<mirror_path> or file_url and\n"
              "# checks sha256. To add a release: add entries (scripts/seed_manifest.py prints them for a new mirror).\n")
    sys.stdout.write(header + yaml.safe_dump({"sources": entries}, sort_keys=False, width=200, allow_unicode=True))


def fill(manifest: Path, mirror: str) -> None:
    """Give entries of an existing manifest without one a file_url and row count, leaving the rest of the text as is."""
    notes = origins(Path(mirror))
    blocks = re.split(r"(?m)^(?=- id: )", manifest.read_text(encoding="utf-8"))
    for i, block in enumerate(blocks):
        rel = re.search(r"(?m)^  mirror_path: (.+)$", block)
        if not rel:
            continue
        origin = notes.get(rel.group(1).strip(), {})
        url = file_url(origin)
        if url:
            block = re.sub(r"(?m)^  file_url: null$", f"  file_url: {url}", block)
        if origin.get("rows") and "\n  rows: " not in block and "encoding: binary" not in block:
            block = re.sub(r"(?m)^(  bytes: \d+)$", rf"\1\n  rows: {int(origin['rows'].replace(',', ''))}", block)
        blocks[i] = block
    manifest.write_text("".join(blocks), encoding="utf-8")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--fill"]:  # python scripts/seed_manifest.py --fill data/sources.yml ../shared/data/raw
        fill(Path(sys.argv[2]), sys.argv[3] if len(sys.argv) > 3 else "../shared/data/raw")
    else:
        main(sys.argv[1] if len(sys.argv) > 1 else "../shared/data/raw")
