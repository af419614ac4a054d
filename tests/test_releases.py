"""`csc releases` against a fake EES public API on 127.0.0.1, built from the API's documented response shapes
(paged lists of publications, a publication's data sets, a data set's versions each naming its release)."""
from __future__ import annotations

import json
import uuid
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from conftest import _Quiet, serve
from csc import cli, manifest, releases

ROOT = Path(__file__).resolve().parent.parent
PUBLISHED = "2025-11-20T09:30:00+00:00"


def _id(name: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, name))


def _version(number: str, release_slug: str, release_title: str, status: str = "Published") -> dict:
    return {"version": number, "type": "Major" if number.endswith(".0") else "Minor", "status": status,
            "published": PUBLISHED, "notes": "", "totalResults": 2132, "file": {"id": _id(release_slug + number)},
            "release": {"title": release_title, "slug": release_slug},
            "timePeriods": {"start": "2013", "end": release_slug[:4]},
            "geographicLevels": ["National", "Regional", "Local authority"], "filters": ["Characteristic"],
            "indicators": ["Number of referrals"]}


def fake_catalogue() -> dict:
    """Every publication the book watches, each with one data set whose versions reach the manifest's newest
    release and no further; plus an unrelated publication that a title search also finds."""
    pubs = [("children-in-need", "Children in need", "2025"),
            ("children-looked-after-in-england-including-adoptions",
             "Children looked after in England including adoptions", "2025"),
            ("children-s-social-work-workforce", "Children's social work workforce", "2025"),
            ("la-and-school-expenditure", "LA and school expenditure", "2021-22"),
            ("children-in-need-the-other-one", "Children in need: another publication", "2030")]
    catalogue = {"publications": [], "data_sets": {}, "versions": {}}
    for slug, title, newest in pubs:
        catalogue["publications"].append({"id": _id(slug), "title": title, "slug": slug,
                                          "summary": f"About {title}", "lastPublished": PUBLISHED})
        data_set = {"id": _id(slug + "/ds"), "title": f"{title}: national and LA figures", "summary": "",
                    "status": "Published", "supersedingDataSetId": None}
        versions = [_version("1.0", "2023" if len(newest) == 4 else "2019-20", "Earlier release"),
                    _version("1.1", newest, f"Reporting year {newest}")]
        data_set["latestVersion"] = {k: versions[-1][k] for k in
                                     ("version", "published", "totalResults", "file", "timePeriods",
                                      "geographicLevels", "filters", "indicators")}
        catalogue["data_sets"][_id(slug)] = [data_set]
        catalogue["versions"][data_set["id"]] = list(reversed(versions))  # the API lists the latest first
    return catalogue


def paged(results: list, query: dict) -> dict:
    page, size = int(query.get("page", ["1"])[0]), int(query.get("pageSize", ["20"])[0])
    pages = max(1, -(-len(results) // size))
    return {"results": results[(page - 1) * size: page * size],
            "paging": {"page": page, "pageSize": size, "totalResults": len(results), "totalPages": pages}}


@pytest.fixture
def fake_api(monkeypatch):
    state = {"catalogue": fake_catalogue(), "requests": [], "broken": False}

    class Handler(_Quiet):
        def do_GET(self):
            url = urlsplit(self.path)
            query = parse_qs(url.query)
            state["requests"].append(url.path)
            catalogue = state["catalogue"]
            parts = url.path.strip("/").split("/")
            if state["broken"]:
                return self._send(500, {"title": "Internal Server Error", "status": 500})
            if parts == ["v1", "publications"]:
                words = query.get("search", [""])[0].lower()
                found = [p for p in catalogue["publications"] if words in p["title"].lower()]
                return self._send(200, paged(found, query))
            if len(parts) == 4 and parts[:2] == ["v1", "publications"] and parts[3] == "data-sets":
                if parts[2] not in catalogue["data_sets"]:
                    return self._send(404, {"title": "Not Found", "status": 404})
                return self._send(200, paged(catalogue["data_sets"][parts[2]], query))
            if len(parts) == 4 and parts[:2] == ["v1", "data-sets"] and parts[3] == "versions":
                return self._send(200, paged(catalogue["versions"][parts[2]], query))
            self._send(404, {"title": "Not Found", "status": 404})

        def _send(self, code, body):
            data = json.dumps(body).encode()
            self.send_response(code)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    server, url = serve(ROOT, Handler)
    monkeypatch.setenv("CSC_EES_API", url + "/v1")
    yield state
    server.shutdown()


def add_release(state, slug: str, release: str, status="Published"):
    versions = state["catalogue"]["versions"][_id(slug + "/ds")]
    versions.insert(0, _version("2.0", release, f"Reporting year {release}", status))


def run(capsys):
    code = cli.main(["releases"])
    out = capsys.readouterr()
    return code, out.out.splitlines(), out.err.splitlines()


def test_nothing_new_exits_zero_and_says_so(fake_api, capsys):
    code, out, err = run(capsys)
    assert code == 0, out + err
    assert out == ["csc releases: 0 of 5 publications have a newer release (the manifest is up to date)"]
    # the 2020 release under the publication's former name is not on the API: a note, not a new release
    assert err == ["csc releases: note: Characteristics of children in need (characteristics-of-children-in-need): "
                   "not in the EES API; check https://explore-education-statistics.service.gov.uk/find-statistics/"
                   "characteristics-of-children-in-need by hand"]


def test_a_newer_release_is_reported_with_the_page_to_get_it_and_exits_one(fake_api, capsys):
    add_release(fake_api, "children-in-need", "2026")
    add_release(fake_api, "la-and-school-expenditure", "2022-23")
    code, out, _ = run(capsys)
    assert code == 1
    assert out[0] == ("NEW Children in need: release 2026 (the manifest's newest is 2025); get it from "
                      "https://explore-education-statistics.service.gov.uk/find-statistics/children-in-need/2026")
    assert out[1].startswith("    data set 'Children in need: national and LA figures' version 2.0, published "
                             "2025-11-20 (https://explore-education-statistics.service.gov.uk/data-catalogue/")
    assert ("NEW LA and school expenditure: release 2022-23 (the manifest's newest is 2021-22); get it from "
            "https://explore-education-statistics.service.gov.uk/find-statistics/la-and-school-expenditure/2022-23"
            ) in out
    assert out[-1] == "csc releases: 2 of 5 publications have a newer release"
    assert not any("another publication" in line for line in out)  # same search, other slug: not ours


def test_a_withdrawn_newer_version_is_not_news(fake_api, capsys):
    add_release(fake_api, "children-in-need", "2026", status="Withdrawn")
    assert run(capsys)[0] == 0


def test_every_page_of_a_listing_is_read(fake_api, capsys, monkeypatch):
    monkeypatch.setattr(releases, "PAGE_SIZE", 1)
    versions = fake_api["catalogue"]["versions"][_id("children-in-need/ds")]
    versions.append(_version("0.9", "2026", "listed last"))  # only on the last page
    code, out, _ = run(capsys)
    assert code == 1 and out[0].startswith("NEW Children in need: release 2026")


def test_an_api_that_fails_is_one_line_and_exit_two(fake_api, capsys):
    fake_api["broken"] = True
    code, out, err = run(capsys)
    assert code == 2 and out == [] and len(err) == 1
    assert err[0].startswith("csc releases: error: http://127.0.0.1:") and "HTTP 500" in err[0]


def test_the_watch_covers_every_dfe_publication_on_ees_the_manifest_uses():
    watched = releases.watched(manifest.load(ROOT / "data" / "sources.yml"))
    assert {w.slug: w.newest for w in watched.values()} == {
        "characteristics-of-children-in-need": "2020", "children-in-need": "2025",
        "children-looked-after-in-england-including-adoptions": "2025", "children-s-social-work-workforce": "2025",
        "la-and-school-expenditure": "2021-22"}


@pytest.mark.parametrize("older, newer", [("2025", "2026"), ("2023-24", "2025"), ("2024", "2024-25"),
                                          ("2021-22", "2022-23-autumn-term")])
def test_release_order(older, newer):
    assert releases.release_key(older) < releases.release_key(newer)

