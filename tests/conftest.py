"""Shared fixtures: the example content, a built example site, a local HTTP server, Chromium."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
BIN = Path(sys.executable).parent
CHROMIUM = os.environ.get("WEIQUAN_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-quic", "--disable-sync"]

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")


def run(*args, cwd=ROOT, check=True, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([str(a) for a in args], cwd=cwd, capture_output=True, text=True,
                          check=check, **kw)


def copy_project(dest: Path) -> Path:
    """A throwaway copy of the project's config and content, for builds that must not touch ROOT."""
    for name in ("mkdocs.yml", "content", "hooks", "overrides"):
        src = ROOT / name
        (shutil.copytree if src.is_dir() else shutil.copy2)(src, dest / name)
    return dest


@pytest.fixture(scope="session")
def example_site(tmp_path_factory) -> Path:
    """The example content built once with `weiquan build` into a temporary folder.
    WEIQUAN_TEST_SITE=<built site> reuses a site built before (for quick local iterations only)."""
    if os.environ.get("WEIQUAN_TEST_SITE") and not os.environ.get("CI"):
        return Path(os.environ["WEIQUAN_TEST_SITE"])
    project = copy_project(tmp_path_factory.mktemp("project"))
    result = run(BIN / "weiquan", "build", "--config", project / "mkdocs.yml", cwd=project, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    return project / "site"


@pytest.fixture()
def project(tmp_path) -> Path:
    return copy_project(tmp_path)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def site_server(example_site):
    """Serves the example site on 127.0.0.1; yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(example_site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright (no browser download)."""
    if not Path(CHROMIUM).exists():
        message = f"Chromium not installed at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture()
def page(browser):
    context = browser.new_context(viewport={"width": 360, "height": 740}, service_workers="block")
    pg = context.new_page()
    yield pg
    context.close()


_FIGURES: list[str] = []


@pytest.fixture()
def report():
    """Record a measured figure; it is printed in the test summary (no -s needed)."""
    return _FIGURES.append


def pytest_terminal_summary(terminalreporter):
    if _FIGURES:
        terminalreporter.section("measured figures")
        for line in _FIGURES:
            terminalreporter.write_line(line)
