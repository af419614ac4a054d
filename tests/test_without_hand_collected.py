"""A machine with no data mirror downloads every published file but not the four hand-collected ones (figures
transcribed from web pages: no public copy exists). Tidy must build without them, and every chapter section and claim
box must still read right, saying where a hand-collected figure would have been."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from csc import manifest, paths, tidy

ROOT = Path(__file__).resolve().parent.parent
AREAS = ["E92000001", "E12000003", "E08000035", "E06000053"]   # England, Yorkshire and the Humber, Leeds, Scilly

CHECK = """
import json, sys
sys.path.insert(0, sys.argv[1])
from sentences import problems
from csc import chapter, claims
from csc.analysis import NOT_IN_BUILD, care_system, family_help, markets, workforce
found, said = [], set()
for code in json.loads(sys.argv[2]):
    for vintage in ("latest", "first"):
        ctx = chapter.validate(area=code, vintage=vintage)
        for module in (family_help, care_system, workforce, markets):
            for name, section in module.sections(ctx).items():
                for text in section.texts():
                    found += problems(text, f"{ctx.area_name} / {vintage} / {module.__name__} / {name}")
                    said |= {module.__name__.rsplit('.', 1)[1]} if NOT_IN_BUILD in text else set()
    for chapter_name in ("family_help", "care_system", "workforce", "markets"):
        for result in claims.evaluate_chapter(chapter_name, code):
            found += problems(claims.box(result), f"{result.area_name} / claim {result.claim.id}")
print(json.dumps({"problems": found, "said": sorted(said)}))
"""


def _link_or_copy(origin: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(origin, target)
    except OSError:
        shutil.copy2(origin, target)


@pytest.fixture(scope="module")
def without(tmp_path_factory):
    """data/raw as a fetch with no mirror leaves it (every published file, none hand-collected), tidied."""
    root = tmp_path_factory.mktemp("no-mirror")
    sources = manifest.load()
    for entry in sources.values():
        if not entry.hand_collected:
            _link_or_copy(paths.RAW / entry.file, root / "raw" / entry.file)
    env = {**os.environ, "CSC_RAW_DIR": str(root / "raw"), "CSC_TIDY_DIR": str(root / "tidy"),
           "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-m", "csc", "tidy"], env=env, capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-2000:]
    return env, sources


@pytest.mark.slow
def test_tidy_builds_without_the_hand_collected_files_and_rebuilds_when_they_arrive(without):
    env, sources = without
    state = json.loads((Path(env["CSC_TIDY_DIR"]) / tidy.STATE).read_text())
    hand = {e.id for e in sources.values() if e.hand_collected}
    assert hand and not hand & {s for table in state.values() for s in table["sources"]}
    with_them = {t: tidy.input_key(t, sources) for t in ("cla", "markets")}   # this project's data/raw holds them
    assert all(state[t]["key"] != key for t, key in with_them.items())


@pytest.mark.slow
def test_every_chapter_reads_right_without_them_and_says_what_is_missing(without):
    env, _ = without
    done = subprocess.run([sys.executable, "-c", CHECK, str(ROOT / "tests"), json.dumps(AREAS)], env=env,
                          capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert not result["problems"], "\n".join(result["problems"][:10])
    assert result["said"] == ["markets"]   # the chapter that quotes the CMA's and Ofsted's figures says they are absent
