"""Shared fixtures: the test content, a built example site, a local HTTP server, Chromium.

Tests read the content under tests/fixtures/content (editorial content: a snapshot of the shipped
guides, cases, stations, campaigns … plus cases tests need), never the shipped content/ — only
tests/test_shipped_content.py checks and builds that. Law texts are official texts, not editorial
content: example_content() takes the laws listed in tests/fixtures/laws.txt from content/laws.

Markers (pyproject.toml): a test that uses the browser gets `browser`, one that uses a built site or
the whole test content as a project (SLOW_FIXTURES) gets `slow` — here, so no test can forget it.
`make test-fast` runs the rest.
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import http.server
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
BIN = Path(sys.executable).parent
FIXTURES = ROOT / "tests" / "fixtures"
FIXTURE_CONTENT = FIXTURES / "content"   # editorial test content, without laws/
LAWS = ROOT / "content" / "laws"         # official law texts (imported from the corpus)
CHROMIUM = os.environ.get("WEIQUAN_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-quic", "--disable-sync"]
# CI=1 (set by .ci/run; CI=true on GitHub/Gitee runners): what a test needs must be there.
IN_CI = os.environ.get("CI", "").lower() not in ("", "0", "false", "no")

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")


def require(ok: object, why: str) -> None:
    """Stop a test that cannot run here: it fails in CI and is skipped (reported by -ra) elsewhere."""
    if not ok:
        if IN_CI:
            pytest.fail(f"{why} (CI: every test must run)", pytrace=False)
        pytest.skip(why)


def as_in_a_terminal() -> None:
    """preexec_fn for a process a test stops with Ctrl-C (SIGINT): a shell running commands in
    the background without job control (nohup, `cmd &` in a script) starts them with SIGINT
    ignored, and Python then leaves it ignored; in a terminal Ctrl-C works."""
    import signal
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def run(*args, cwd=ROOT, check=True, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([str(a) for a in args], cwd=cwd, capture_output=True, text=True,
                          check=check, **kw)


def fixture_laws() -> list[str]:
    """Slugs of the laws the test content takes from content/laws."""
    lines = (FIXTURES / "laws.txt").read_text(encoding="utf-8").splitlines()
    return [s for s in (line.split("#")[0].strip() for line in lines) if s]


def copy_content(dest: Path) -> Path:
    """The test content with its laws, copied to dest (a folder that does not exist yet)."""
    shutil.copytree(FIXTURE_CONTENT, dest)
    (dest / "laws").mkdir()
    for slug in fixture_laws():
        src = LAWS / f"{slug}.yaml"
        assert src.is_file(), f"tests/fixtures/laws.txt: {src} is missing"
        shutil.copy2(src, dest / "laws" / src.name)
    return dest


def copy_project(dest: Path, content: bool = True) -> Path:
    """A throwaway project: the config and theme of ROOT with the test content."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in ("mkdocs.yml", "overrides", "hooks"):
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, dest / name)
        elif src.exists():
            shutil.copy2(src, dest / name)
    if content:
        copy_content(dest / "content")
    return dest


# ---- tiny content: one law, one station, one case, campaign and guide -------------------------

CASE = """\
# 测试案例
slug: test-case
title: 测试案例
provenance:
  type: 示例
facts: 事实。
outcome: 结果。
explanation: 解释。
citations:
  - {law: 反家庭暴力法, article: 23}
"""
CAMPAIGN = """\
slug: c
name: 三八维权周
start: 2027-03-01
end: 2027-03-08
events:
  - date: 2027-03-02
    time: 14:30
    place: 广场
    station: chengguan
    activity: 宣传
    organiser: 妇联
"""
GUIDE = "---\ntitle: 指南\n---\n\n正文 [[反家暴法#23]]，见[服务站](../stations/index.md)和[安全](../safety.md)。\n"


def tiny_content(root: Path, laws: tuple[str, ...] = ("fan-jiating-baoli-fa",)) -> Path:
    """Content with a few pages, for tests that don't need the whole test content: site.yaml,
    the laws named (反家庭暴力法), the 城关镇 station, the safety page, a case, a campaign, a guide."""
    for sub in ("laws", "stations", "cases", "campaigns", "guides", "pages"):
        (root / sub).mkdir(parents=True)
    shutil.copy(FIXTURE_CONTENT / "site.yaml", root / "site.yaml")
    for slug in laws:
        shutil.copy(LAWS / f"{slug}.yaml", root / "laws")
    shutil.copy(FIXTURE_CONTENT / "stations" / "chengguan.yaml", root / "stations")
    shutil.copy(FIXTURE_CONTENT / "pages" / "safety.md", root / "pages")
    (root / "cases" / "test-case.yaml").write_text(CASE, encoding="utf-8")
    (root / "campaigns" / "c.yaml").write_text(CAMPAIGN, encoding="utf-8")
    (root / "guides" / "g.md").write_text(GUIDE, encoding="utf-8")
    return root


# ---- the test content, whole --------------------------------------------------------------------

# With pytest-xdist (`make test` runs 2 workers), the workers of one run share one example project:
# its folder is named by the run's id, and what is built in it (the site, the offline edition,
# the staff search index) is built by the first worker that needs it, under a file lock, and
# reused by the others. The controller removes the folder at the end of the run.
RUN_ID = os.environ.get("PYTEST_XDIST_TESTRUNUID")


def _shared_root() -> Path | None:
    return Path(tempfile.gettempdir()) / f"weiquan-test-{RUN_ID}" if RUN_ID else None


@contextlib.contextmanager
def example_lock():
    """Held while something is built in example_project() (one worker at a time)."""
    root = _shared_root()
    if root is None:
        yield
        return
    import fcntl
    root.mkdir(exist_ok=True)
    with open(root / "build.lock", "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def built_once(name: str, make) -> None:
    """Run make() unless it has run in example_project() in this test run (marker .built-<name>)."""
    marker = example_project() / f".built-{name}"
    with example_lock():
        if not marker.exists():
            make()
            marker.touch()


@functools.cache
def example_project() -> Path:
    """One project with the test content for the whole test run, in a temporary folder:
    example_site is built in it, and tests that only read content share it (and its caches,
    .weiquan-cache). Read it, don't change it: a test that edits copies first (project, copy_content)."""
    shared = _shared_root()
    if shared is not None:
        with example_lock():
            if not (shared / "project" / "content").is_dir():
                copy_project(shared / "project")
        return shared / "project"
    tmp = Path(tempfile.mkdtemp(prefix="weiquan-test-"))
    atexit.register(shutil.rmtree, tmp, True)
    return copy_project(tmp / "project")


def pytest_sessionfinish(session):
    if _shared_root() is not None and not hasattr(session.config, "workerinput"):   # the controller
        shutil.rmtree(_shared_root(), ignore_errors=True)


def example_content() -> Path:
    """The test content with its laws (example_project()/content). Read it, don't change it."""
    return example_project() / "content"


@pytest.fixture(scope="session")
def example_site() -> Path:
    """The test content built once with `weiquan build` (leaflets too) in example_project();
    example_site.parent is that project. Don't change it: copy what you need to change.
    WEIQUAN_TEST_SITE=<built site> reuses a site built before (for quick local iterations only)."""
    if os.environ.get("WEIQUAN_TEST_SITE") and not IN_CI:
        return Path(os.environ["WEIQUAN_TEST_SITE"])
    project = example_project()

    def make():
        result = run(BIN / "weiquan", "build", "--config", project / "mkdocs.yml", cwd=project, check=False)
        assert result.returncode == 0, result.stdout + result.stderr
    built_once("site", make)
    return project / "site"


@pytest.fixture(scope="session")
def offline_zip() -> Path:
    """The offline edition of the test content (`weiquan offline`: pages and leaflets,
    use_directory_urls: false), built once in example_project() (its caches are shared)."""
    from weiquan.build.offline import build_offline
    project = example_project()
    out = project / "dist" / "weiquan-offline.zip"

    def make():
        assert build_offline(project / "mkdocs.yml", out) == out
        assert not list(project.glob(".weiquan-offline-*.yml")), "temporary config left behind"
    built_once("offline", make)
    return out


@pytest.fixture(scope="session")
def offline_dir(offline_zip, tmp_path_factory) -> Path:
    """offline_zip unzipped: 打开我.html, README.txt and site/."""
    import zipfile
    dest = tmp_path_factory.mktemp("offline-unzipped")
    with zipfile.ZipFile(offline_zip) as zf:
        zf.extractall(dest)
    return dest


@pytest.fixture()
def project(tmp_path) -> Path:
    """A throwaway project with the test content (nothing built)."""
    return copy_project(tmp_path)


@pytest.fixture()
def built_project(tmp_path, example_site) -> Path:
    """A throwaway project with the test content as after `weiquan build`, without building once
    more: site/ is a copy of example_site (the previous site), .weiquan-cache/ of its caches."""
    project = copy_project(tmp_path)
    shutil.copytree(example_site, project / "site", symlinks=True)
    if (example_site.parent / ".weiquan-cache").is_dir():
        shutil.copytree(example_site.parent / ".weiquan-cache", project / ".weiquan-cache", symlinks=True)
    return project


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
def corpus() -> Path:
    """The law corpus (official texts, ../shared/corpus next to the project): tests of the importer
    and of the readings use it. `@pytest.mark.usefixtures("corpus")`: fails in CI without it."""
    require((CORPUS / "laws").is_dir(), f"law corpus not found at {CORPUS / 'laws'}")
    return CORPUS


@pytest.fixture(scope="session")
def poppler() -> None:
    """poppler-utils (pdffonts, pdfinfo, pdftotext, pdftoppm) for the PDF checks:
    `pytestmark = pytest.mark.usefixtures("poppler")`; fails in CI without them."""
    require(all(shutil.which(t) for t in ("pdffonts", "pdfinfo", "pdftotext", "pdftoppm")),
            "poppler-utils not installed (apt-get install poppler-utils)")


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright (no browser download)."""
    require(Path(CHROMIUM).exists(), f"Chromium not installed at {CHROMIUM} (apt-get install chromium)")
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


# ---- markers ----------------------------------------------------------------------------------

# `slow`: a test that builds a site (weiquan build, mkdocs build/serve, every page of the test
# content), runs a command on all the test content, or works through all of it or the law corpus
# (seconds each). A test using one of these fixtures is marked here (a new fixture like them goes
# here); a test that does such work by itself carries @pytest.mark.slow. `browser`: uses Chromium.
SLOW_FIXTURES = {"example_site", "project", "built_project", "hostile_site", "offline_zip", "offline_dir"}


def pytest_collection_modifyitems(config, items):
    for item in items:
        names = set(getattr(item, "fixturenames", ()))
        if "browser" in names:
            item.add_marker(pytest.mark.browser)
        if names & SLOW_FIXTURES:
            item.add_marker(pytest.mark.slow)


# ---- measured figures -------------------------------------------------------------------------

_FIGURES: list[str] = []


@pytest.fixture()
def report(request):
    """Record a measured figure; it is printed in the test summary (no -s needed). It travels
    with the test's report (user_properties), so it reaches the summary from xdist workers too."""
    return lambda line: request.node.user_properties.append(("wq-figure", line))


def pytest_runtest_logreport(report):
    if report.when == "teardown":
        _FIGURES.extend(v for k, v in report.user_properties if k == "wq-figure")


def pytest_terminal_summary(terminalreporter):
    if _FIGURES:
        terminalreporter.section("measured figures")
        for line in _FIGURES:
            terminalreporter.write_line(line)
