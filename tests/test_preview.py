"""Previews under `mkdocs serve`: a rebuild renders only changed pages, yet its output is the
same as a full build's; a broken edit is reported and the preview recovers once it is mended."""

from __future__ import annotations

import filecmp
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from conftest import BIN, run

COUNTY_PAGE = "stations/99/9901/990101/"   # the 示例 county; holds the 城关镇 station
NAME, EDITED = "城关镇妇女维权服务站", "城关镇妇女维权服务站预览"

# Builds the project's site as `mkdocs serve` does (same process, command "serve"):
# argv: site dir, "serve" | "build", then "edit" to change one station before a second build.
DRIVER = r'''
import os, sys, tempfile
from pathlib import Path
from mkdocs.config import load_config
from mkdocs.commands.build import build
site, command, *rest = sys.argv[1:]

def once(site_dir):
    cfg = load_config("mkdocs.yml", site_dir=site_dir)
    cfg.plugins.on_startup(command=command, dirty=False)
    cfg.site_url = "http://127.0.0.1:8000/"
    build(cfg, serve_url=cfg.site_url if command == "serve" else None)

def settle():  # let detached preview work finish before comparing files
    from weiquan.build import background
    background.shutdown()

if rest == ["edit"]:
    once(tempfile.mkdtemp())
    settle()
    f = Path("content/stations/chengguan.yaml")
    f.write_text(f.read_text(encoding="utf-8").replace("城关镇妇女维权服务站", "城关镇妇女维权服务站预览", 1),
                 encoding="utf-8")
once(site)
settle()
from weiquan.build.preview import REUSE
print("reused", REUSE.reused)
'''


def build_like_serve(project: Path, site: Path, command: str, *extra: str) -> int:
    result = run(sys.executable, "-c", DRIVER, site, command, *extra, cwd=project, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    return int(re.search(r"reused (\d+)", result.stdout).group(1))


def differing_files(a: Path, b: Path) -> list[str]:
    out = []
    names = {p.relative_to(a).as_posix() for p in a.rglob("*") if p.is_file()} | \
            {p.relative_to(b).as_posix() for p in b.rglob("*") if p.is_file()}
    for name in sorted(names):
        if name.startswith("sitemap.xml"):   # a preview's sitemap lists the re-rendered pages only
            continue
        if not ((a / name).is_file() and (b / name).is_file() and filecmp.cmp(a / name, b / name, shallow=False)):
            out.append(name)
    return out


def test_preview_rebuild_renders_changed_pages_only_and_matches_a_full_build(project, tmp_path):
    assert "城关镇妇女维权服务站" in (project / "content/stations/chengguan.yaml").read_text(encoding="utf-8")
    preview, full = tmp_path / "preview", tmp_path / "full"
    reused = build_like_serve(project, preview, "serve", "edit")
    pages = sum(1 for _ in preview.rglob("index.html"))
    assert 0.8 * pages < reused < pages     # most pages came from the last build, the edited one did not
    assert build_like_serve(project, full, "build") == 0
    county = (preview / COUNTY_PAGE / "index.html").read_text(encoding="utf-8")
    assert "城关镇妇女维权服务站预览" in county
    assert differing_files(preview, full) == []


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as r:
            return r.read().decode("utf-8")
    except Exception:
        return None


def _wait_for(predicate, timeout: float, what: str, log: Path):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}; serve log:\n{log.read_text(encoding='utf-8')}")


def test_mkdocs_serve_updates_the_page_and_recovers_from_a_broken_edit(project, report):
    port = _free_port()
    log = project / "serve.log"
    station = project / "content/stations/chengguan.yaml"
    with open(log, "w") as out:
        proc = subprocess.Popen([BIN / "mkdocs", "serve", "-a", f"127.0.0.1:{port}"], cwd=project,
                                stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
                                env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    try:
        url = f"http://127.0.0.1:{port}/{COUNTY_PAGE}"
        _wait_for(lambda: NAME in (_get(url) or ""), 180, "the first build", log)
        time.sleep(1.5)

        text = station.read_text(encoding="utf-8")
        started = time.monotonic()
        station.write_text(text.replace(NAME, EDITED, 1), encoding="utf-8")
        _wait_for(lambda: EDITED in (_get(url) or ""), 120, "the edited station", log)
        report(f"preview (example content): edit 1 station YAML → page shows it in {time.monotonic() - started:.1f} s")
        _wait_for(lambda: "unchanged pages reused" in log.read_text(encoding="utf-8"), 10, "reuse message", log)

        # A mistake is reported with file and line; once mended, the preview carries on.
        station.write_text(text.replace("phones:", "phones: [", 1), encoding="utf-8")
        _wait_for(lambda: "content/stations/chengguan.yaml:15:" in log.read_text(encoding="utf-8"),
                  60, "the error report", log)
        station.write_text(text.replace(NAME, NAME + "二", 1), encoding="utf-8")
        _wait_for(lambda: NAME + "二" in (_get(url) or ""), 120, "the mended station", log)
        proc.send_signal(signal.SIGINT)
        assert proc.wait(30) == 0
        assert "Traceback" not in log.read_text(encoding="utf-8")
        assert "search index failed" not in log.read_text(encoding="utf-8")
    finally:
        proc.send_signal(signal.SIGINT)   # like Ctrl-C: mkdocs removes its temporary site folder
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
