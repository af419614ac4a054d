"""A watch on new releases: asks the Explore Education Statistics (EES) public API whether a publication the book uses
has a release newer than the newest the manifest holds, and says where to get it.

API: https://api.education.gov.uk/statistics/v1 (publications, their data sets, and each data set's versions, each
version naming the release it came with). CSC_EES_API points elsewhere (the tests' fake API on 127.0.0.1).
"""
from __future__ import annotations

import json
import os
import re
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field

from .errors import CscError
from .manifest import Source

API = "https://api.education.gov.uk/statistics/v1"
FIND_STATISTICS = "https://explore-education-statistics.service.gov.uk/find-statistics/"
DATA_SET_PAGE = "https://explore-education-statistics.service.gov.uk/data-catalogue/data-set/"
PAGE_SIZE = 40
MAX_PAGES = 25   # a bound on any one listing, so a misbehaving server cannot keep the watch going
TIMEOUT = 30


class ApiError(CscError):
    """The API could not be asked (exit 2, like diff's 'trouble'): nothing can be said about new releases."""

    exit_code = 2


@dataclass
class Watched:
    slug: str
    title: str
    newest: str               # the manifest's newest release label
    new: dict[str, list[str]] = field(default_factory=dict)   # release slug -> what the API lists under it


def release_key(label: str) -> tuple[int, str]:
    """Order releases by the year they end: '2025' is 2025, '2023-24' is 2024, '2024-25-spring-term' is 2025."""
    m = re.match(r"(\d{4})(?:[-/](\d{2}))?", label)
    if not m:
        return (0, label)
    year = int(m.group(1))
    return (year + 1 if m.group(2) else year, label)


def watched(sources: dict[str, Source]) -> dict[str, Watched]:
    """The DfE publications on EES the book reads, each with the newest release the manifest holds."""
    found: dict[str, Watched] = {}
    for entry in sources.values():
        if entry.publisher != "Department for Education" or not entry.page_url.startswith(FIND_STATISTICS):
            continue
        slug = entry.page_url[len(FIND_STATISTICS):].strip("/").split("/")[0]
        known = found.get(slug)
        if known is None or release_key(entry.release) > release_key(known.newest):
            found[slug] = Watched(slug, entry.publication, entry.release)
    return found


def _get(base: str, path: str, **params) -> dict:
    url = f"{base.rstrip('/')}{path}" + (f"?{urllib.parse.urlencode(params)}" if params else "")
    request = urllib.request.Request(url, headers={"Accept": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            return json.load(response)
    except urllib.error.HTTPError as exc:
        raise ApiError(f"{url}: HTTP {exc.code} {exc.reason}") from None
    except (urllib.error.URLError, OSError) as exc:
        raise ApiError(f"{url}: {getattr(exc, 'reason', exc)}") from None
    except ValueError as exc:
        raise ApiError(f"{url}: not JSON ({exc})") from None


def _results(base: str, path: str, **params) -> list[dict]:
    """Every result of a paged listing ({results: [...], paging: {page, totalPages}})."""
    results: list[dict] = []
    for page in range(1, MAX_PAGES + 1):
        doc = _get(base, path, page=page, pageSize=PAGE_SIZE, **params)
        if not isinstance(doc, dict) or not isinstance(doc.get("results"), list):
            raise ApiError(f"{base}{path}: answer has no 'results' list")
        results += doc["results"]
        if page >= int((doc.get("paging") or {}).get("totalPages") or 1):
            return results
    raise ApiError(f"{base}{path}: more than {MAX_PAGES} pages")


def check(sources: dict[str, Source], base: str | None = None) -> tuple[list[Watched], list[str]]:
    """Ask the API about each watched publication; returns them (with anything newer filled in) and notes."""
    base = base or os.environ.get("CSC_EES_API") or API
    pubs, notes = list(watched(sources).values()), []
    for pub in pubs:
        match = [p for p in _results(base, "/publications", search=pub.title) if p.get("slug") == pub.slug]
        if not match:
            notes.append(f"{pub.title} ({pub.slug}): not in the EES API; check {FIND_STATISTICS}{pub.slug} by hand")
            continue
        for data_set in _results(base, f"/publications/{match[0]['id']}/data-sets"):
            if data_set.get("status") == "Withdrawn":
                continue
            for version in _results(base, f"/data-sets/{data_set['id']}/versions"):
                release = version.get("release") or {}
                slug = release.get("slug") or ""
                if version.get("status") != "Withdrawn" and release_key(slug) > release_key(pub.newest):
                    published = str(version.get("published") or "")[:10]
                    pub.new.setdefault(slug, []).append(
                        f"data set '{data_set.get('title')}' version {version.get('version')}, published {published}"
                        f" ({DATA_SET_PAGE}{(version.get('file') or {}).get('id', data_set['id'])})")
    return pubs, notes


def report(pubs: list[Watched], notes: list[str]) -> list[str]:
    lines = []
    for pub in pubs:
        for slug in sorted(pub.new, key=release_key):
            lines.append(f"NEW {pub.title}: release {slug} (the manifest's newest is {pub.newest}); "
                         f"get it from {FIND_STATISTICS}{pub.slug}/{slug}")
            lines += [f"    {item}" for item in sorted(set(pub.new[slug]))]
    fresh = [p for p in pubs if p.new]
    lines.append(f"csc releases: {len(fresh)} of {len(pubs)} publications have a newer release"
                 + ("" if fresh else " (the manifest is up to date)"))
    return lines
