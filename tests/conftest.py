"""Shared fixtures: the official-file mirror beside the project, and a throwaway HTTP server on 127.0.0.1."""
from __future__ import annotations

import os
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parent.parent
MIRROR = Path(os.environ.get("CSC_DATA_MIRROR") or ROOT.parent / "shared" / "data" / "raw")
if not MIRROR.is_absolute():
    MIRROR = (ROOT / MIRROR).resolve()


@pytest.fixture(scope="session")
def mirror() -> Path:
    if not MIRROR.is_dir() and os.environ.get("CSC_TESTS_WITHOUT_MIRROR"):
        pytest.skip("no mirror of the official files here (GitHub Actions, which downloads them by URL instead)")
    assert MIRROR.is_dir(), f"the official-file mirror is missing at {MIRROR}; set CSC_DATA_MIRROR"
    return MIRROR


def pytest_collection_modifyitems(config, items):
    """Hand-collected figure files have no public copy: a build without a mirror (GitHub Actions) lacks them, and
    the tests of their figures skip there, saying why."""
    from csc import manifest

    absent = [e.file for e in manifest.load().values() if e.hand_collected and not e.raw_path.is_file()]
    if absent:
        skip = pytest.mark.skip(reason=f"no hand-collected figure files in data/raw ({absent[0]}, ...): no mirror")
        for item in items:
            if "hand_collected" in item.keywords:
                item.add_marker(skip)


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve(directory: Path, handler=_Quiet):
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(handler, directory=str(directory)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


@pytest.fixture
def http_server(tmp_path):
    """Serves tmp_path/www; '/truncated/<name>' promises more bytes than it sends, then hangs up."""
    www = tmp_path / "www"
    www.mkdir()

    class Handler(_Quiet):
        def do_GET(self):
            if self.path.startswith("/truncated/"):
                body = (www / self.path.split("/")[-1]).read_bytes()
                self.send_response(200)
                self.send_header("Content-Length", str(len(body) * 2))
                self.end_headers()
                self.wfile.write(body[: len(body) // 2])
                self.wfile.flush()
                self.close_connection = True
                return
            super().do_GET()

    server, url = serve(www, Handler)
    yield www, url
    server.shutdown()


@pytest.fixture(scope="session")
def fresh_table(tmp_path_factory):
    """A tidy table built from the raw files in a scratch folder (parsed, codes folded, catalogue-checked,
    validated), once per test session: tests see exactly what the pipeline writes, never a stale copy."""
    from csc import tidy

    built: dict[str, pd.DataFrame] = {}

    def get(name: str) -> pd.DataFrame:
        if name not in built:
            out = tmp_path_factory.mktemp(f"tidy-{name}")
            tidy.build([name], force=True, tidy_dir=out, log=lambda *_: None)
            built[name] = pd.read_parquet(out / f"{name}.parquet")
        return built[name]

    return get


class MirrorServer:
    """The mirror served on 127.0.0.1 under the same URL paths as each entry's file_url, so that CSC_URL_BASE is the
    only difference from the real downloads. Faults on demand: `fail` answers 503 that many times, `lie` serves other
    bytes, `slow` pauses that many seconds between 64 KiB chunks, `stall` before the first byte."""

    def __init__(self, mirror: Path, sources):
        from urllib.parse import unquote, urlsplit

        from csc.fetch import RAW_GITHUB

        self.files = {unquote(urlsplit(s.file_url).path): mirror / s.mirror_path for s in sources.values()
                      if (s.file_url or "").startswith(RAW_GITHUB + "/")}
        self.requests: list[str] = []
        self.fail = 0
        self.lie = False
        self.slow = 0.0
        self.stall = 0.0
        self.url = ""


@pytest.fixture
def mirror_server(mirror):
    import time
    from urllib.parse import unquote

    from csc import manifest

    state = MirrorServer(mirror, manifest.load(ROOT / "data" / "sources.yml"))

    class Handler(_Quiet):
        def do_GET(self):
            path = unquote(self.path)
            state.requests.append(path)
            if path not in state.files:
                self.send_error(404)
                return
            if state.fail > 0:
                state.fail -= 1
                self.send_error(503)
                return
            body = state.files[path].read_bytes()
            if state.lie:
                body = body.replace(b"1", b"7")
            time.sleep(state.stall)
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            for start in range(0, len(body), 1 << 16):
                self.wfile.write(body[start:start + (1 << 16)])
                time.sleep(state.slow)

    server, state.url = serve(mirror, Handler)
    yield state
    server.shutdown()


CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium through Playwright (it never downloads a browser), for the book's and the atlas's pages."""
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).is_file(), "Debian chromium is not installed (make setup)"
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        yield b
        b.close()
