"""The claims ledger: its rows are the chapters' claim results (the same registry, the chapters' own parameters),
every claim of the register is in it, and its sentences read right for every kind of area."""
from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

from csc import build, claims
from csc.claims import ledger
from sentences import problems

ROOT = Path(__file__).resolve().parent.parent
AREAS = ["E92000001", "North West", "Leeds", "Isles of Scilly", "North Northamptonshire"]


@pytest.fixture(scope="module")
def england():
    return ledger.results()


def chapter_results(area: str = "E92000001") -> dict[str, claims.Result]:
    """Each chapter's claims as the chapter evaluates them, with the parameters the book runs it with."""
    out = {}
    for name, spec in build.chapters().items():
        params = {k: v for k, v in spec["parameters"].items() if k not in ("area", "vintage", "end_year")}
        out.update({r.claim.id: r for r in claims.evaluate_chapter(name, area, **params)})
    return out


def test_every_claim_of_the_register_is_a_row(england):
    with open(ROOT / "csc" / "claims" / "claims.csv", encoding="utf-8") as fh:
        register = [row["id"] for row in csv.DictReader(fh)]
    assert len(register) == 45 and [r.claim.id for r in england] == register
    frame = ledger.frame(england)
    assert list(frame["claim"]) == register and frame.notna().all().all()
    untestable = frame[frame["verdict with the review's data"].str.startswith("not check")]
    assert {"GEN-1", "GEN-2", "FH-7", "FH-9", "MK-4", "MK-7", "WF-1"} <= set(untestable["claim"])
    # the reason says what data would settle it
    assert all(len(w) > 60 for w in untestable["why"])
    assert "engagement records" in frame.set_index("claim").loc["GEN-1", "why"]


def test_the_ledger_rows_equal_the_chapters_claim_results(england):
    chapters = chapter_results()
    rows = {r["claim"]: r for r in ledger.frame(england).to_dict("records")}
    assert set(rows) - set(chapters) == {"GEN-1", "GEN-2"}   # the only claims no chapter shows
    for claim_id, r in chapters.items():
        row = rows[claim_id]
        assert row["verdict with the review's data"] == r.then.verdict, claim_id
        assert row["verdict with the latest data"] == r.now.verdict, claim_id
        assert row["recomputed under the review's choices (review's data)"] == (r.then.review.shown if r.then.review
                                                                                 else "–"), claim_id
        for alternative in r.then.alternatives:
            assert f"{alternative.label}: {alternative.shown}" in row["recomputed under the alternatives (review's data)"]
        assert row["why"].lower().startswith(r.then.why[:40].lower()), claim_id


def test_the_tally_counts_every_claim_once(england):
    tally = ledger.tally(england)
    assert tally["With the review's data"].sum() == tally["With the latest data"].sum() == 45
    reproduced = sum(r.then.verdict == "reproduced" for r in england)
    assert tally.set_index("Verdict").loc["reproduced", "With the review's data"] == reproduced
    by = ledger.by_chapter(england, "now")
    assert by["Claims"].sum() == 45 and by.iloc[:, 2:].sum(axis=1).tolist() == by["Claims"].tolist()
    assert list(by["Chapter"])[-1] == "The review itself"


def test_every_box_has_the_anchor_the_ledger_links_to(england):
    for r in england:
        assert f":name: {claims.anchor(r.claim.id)}\n" in claims.box(r)
    assert claims.anchor("GEN-1") == "claim-gen-1"


def test_the_snapshot_holds_both_verdicts_and_figures(england):
    snap = ledger.snapshot(england)
    assert len(snap) == 45
    fh3 = next(r for r in england if r.claim.id == "FH-3")
    assert snap["FH-3"] == {"chapter": "family_help", "verdict_then": fh3.then.verdict,
                            "verdict_now": fh3.now.verdict, "figure_then": fh3.then.review.shown,
                            "figure_now": fh3.now.review.shown, "period_now": fh3.now.period}


def test_then_and_now_compares_like_with_like(england):
    changes = ledger.changes(england).set_index("Claim")
    # a dated claim's latest figure is the same comparison carried to the latest year held
    assert "(Since the review, " in changes.loc["FH-3", "Latest figure"]
    assert changes.loc["FH-3", "Latest figure"].endswith(" on 2010)")
    assert changes.loc["FH-7", "Direction"] == "–"
    moved = {r.claim.id for r in england if r.then.verdict != r.now.verdict}
    assert set(changes.index[changes["Verdict moved"] == "yes"]) == moved
    assert all(c in ledger.changes_summary(ledger.changes(england)) for c in moved)


@pytest.mark.parametrize("area", AREAS)
def test_ledger_sentences_read_right_for_every_kind_of_area(area):
    found = ledger.results(area)
    name = found[0].area_name
    texts = [ledger.summary(found, name, found[0].area == "E92000001"),
             ledger.changes_summary(ledger.changes(found))]
    texts += list(ledger.frame(found)["why"])
    assert [p for t in texts for p in problems(t, area)] == []
    assert len(found) == 45


@pytest.mark.slow
@pytest.mark.parametrize("area", ["E92000001", "Isles of Scilly", "North Northamptonshire"])
def test_ledger_and_what_changed_execute_for_areas(tmp_path, area):
    for name in ("claims_ledger", "what_changed"):
        done = subprocess.run([sys.executable, "-m", "csc", "chapter", name, "--area", area, "--out",
                               str(tmp_path / name)], capture_output=True, text=True, cwd=ROOT)
        assert done.returncode == 0, done.stderr[-2000:]
    with open(tmp_path / "claims_ledger" / "data" / "claims-ledger.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    snapshot = json.loads((tmp_path / "claims_ledger" / "data" / "claims.json").read_text())
    found = {r.claim.id: r for r in ledger.results(area)}
    assert [r["claim"] for r in rows] == list(found) == list(snapshot)
    assert all(r["verdict with the latest data"] == found[r["claim"]].now.verdict for r in rows)
    assert (tmp_path / "what_changed" / "data" / "claims-then-and-now.csv").is_file()
