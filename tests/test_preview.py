"""Previews under `mkdocs serve`: a rebuild renders only changed pages, yet its output is the
same as a full build's; a broken edit is reported and the preview recovers once it is mended."""

from __future__ import annotations

import filecmp
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from conftest import BIN, as_in_a_terminal, run

COUNTY_PAGE = "stations/99/9901/990101/"   # the 示例 county; holds the 城关镇 station
NAME, EDITED = "城关镇妇女维权服务站", "城关镇妇女维权服务站预览"

# Builds the project's site as `mkdocs serve` does (same process, command "serve"):
# argv: site dir, "serve" | "build", then "edit" to change one station before a second build.
DRIVER = r'''
import os, sys
from pathlib import Path
from mkdocs.config import load_config
from mkdocs.commands.build import build
site, command, *rest = sys.argv[1:]
REMOVED = "content/cases/chexiao-jianhu.yaml"

def once(site_dir):
    cfg = load_config("mkdocs.yml", site_dir=site_dir)
    cfg.plugins.on_startup(command=command, dirty=False)
    # (the site_url of mkdocs.yml, as the example site's build: that build's pages are in the cache)
    build(cfg, serve_url=cfg.site_url if command == "serve" else None)

def settle():  # let detached preview work finish before comparing files
    from weiquan.build import background, preview
    background.shutdown()
    preview.stop()   # (and the removal of the old site folders set aside)

if rest == ["edit"]:   # a first build, then one after an edit in the same folder, as serve does
    once(site)
    settle()
    with open("entries-before-edit.txt", "w") as out:   # the page cache as the first build left it
        out.write("\n".join(str(p.resolve()) for p in Path(".weiquan-cache/pages").rglob("*.json")))
    with open("files-before-edit.txt", "w") as out:    # the first build's files
        out.write("\n".join(p.relative_to(site).as_posix() for p in Path(site).rglob("*") if p.is_file()))
    f = Path("content/stations/chengguan.yaml")
    f.write_text(f.read_text(encoding="utf-8").replace("城关镇妇女维权服务站", "城关镇妇女维权服务站预览", 1),
                 encoding="utf-8")
    Path(REMOVED).unlink()   # its page goes
once(site)
settle()
from weiquan.build.pagecache import REUSE
print("reused", REUSE.reused)
'''


def build_like_serve(project: Path, site: Path, command: str, *extra: str) -> int:
    result = run(sys.executable, "-c", DRIVER, site, command, *extra, cwd=project, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    return int(re.search(r"reused (\d+)", result.stdout).group(1))


def page_cache_entries(project: Path) -> set[Path]:
    return set((project / ".weiquan-cache" / "pages").rglob("*.json"))


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


def test_preview_rebuild_renders_changed_pages_only_and_matches_a_full_build(built_project, tmp_path):
    project = built_project   # the test content with the caches of a first build (no build of its own)
    assert "城关镇妇女维权服务站" in (project / "content/stations/chengguan.yaml").read_text(encoding="utf-8")
    preview, full = tmp_path / "preview", tmp_path / "full"
    reused = build_like_serve(project, preview, "serve", "edit")
    pages = sum(1 for _ in preview.rglob("index.html"))
    assert 0.8 * pages < reused < pages     # most pages came from the last build, the edited one did not
    # The full build renders again every page the rebuild after the edit rendered (their cache
    # entries go); the others it takes from the first build's entries, as that rebuild did.
    first = {Path(line) for line in (project / "entries-before-edit.txt").read_text().splitlines()}
    rendered = {p.resolve() for p in page_cache_entries(project)} - first
    assert 0 < len(rendered) <= pages - reused, (len(rendered), pages, reused)   # (menu pages: not cached)
    for entry in rendered:
        entry.unlink()
    assert build_like_serve(project, full, "build") == reused
    county = (preview / COUNTY_PAGE / "index.html").read_text(encoding="utf-8")
    assert "城关镇妇女维权服务站预览" in county
    # The rebuild in the folder of the first build left none of its files behind (the removed
    # case's page and folder are gone), and nothing set aside is left beside or in the folder.
    before = set((project / "files-before-edit.txt").read_text().splitlines())
    assert "cases/chexiao-jianhu/index.html" in before and not (preview / "cases/chexiao-jianhu").exists()
    assert not [p.name for p in preview.iterdir() if p.name.startswith(".")]
    assert not list(preview.parent.glob(f".{preview.name}-old-*"))   # (removed once the preview stopped)
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


def test_mkdocs_serve_updates_the_page_and_recovers_from_a_broken_edit(built_project, report):
    project = built_project   # the test content with the caches of a first build, as an editor has them
    port = _free_port()
    log = project / "serve.log"
    station = project / "content/stations/chengguan.yaml"
    with open(log, "w") as out:
        proc = subprocess.Popen([BIN / "mkdocs", "serve", "-a", f"127.0.0.1:{port}"], cwd=project,
                                stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
                                preexec_fn=as_in_a_terminal, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    try:
        url = f"http://127.0.0.1:{port}/{COUNTY_PAGE}"
        _wait_for(lambda: NAME in (_get(url) or ""), 180, "the first build", log)
        time.sleep(1.5)

        text = station.read_text(encoding="utf-8")
        started = time.monotonic()
        station.write_text(text.replace(NAME, EDITED, 1), encoding="utf-8")
        _wait_for(lambda: EDITED in (_get(url) or ""), 120, "the edited station", log)
        report(f"preview (example content): edit 1 station YAML → page shows it in {time.monotonic() - started:.1f} s")
        _wait_for(lambda: "unchanged pages from the page cache" in log.read_text(encoding="utf-8"), 10, "reuse message", log)

        # A mistake is reported with file and line; once mended, the preview carries on.
        station.write_text(text.replace("phones:", "phones: [", 1), encoding="utf-8")
        _wait_for(lambda: "content/stations/chengguan.yaml:15:" in log.read_text(encoding="utf-8"),
                  60, "the error report", log)
        station.write_text(text.replace(NAME, NAME + "二", 1), encoding="utf-8")
        _wait_for(lambda: NAME + "二" in (_get(url) or ""), 120, "the mended station", log)
        proc.send_signal(signal.SIGINT)
        assert proc.wait(120) == 0   # (it finishes the build under way and stops the workers)
        assert "Traceback" not in log.read_text(encoding="utf-8")
        assert "search index failed" not in log.read_text(encoding="utf-8")
    finally:
        proc.send_signal(signal.SIGINT)   # like Ctrl-C: mkdocs removes its temporary site folder
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


def test_search_index_swap_stays_out_of_the_site_folder_being_walked(tmp_path, monkeypatch):
    """B4: a preview's search index, built in the background, is swapped in whenever it is done,
    also while the engine walks the site folder (purge_theme_css reads every page). Its staging
    and old folders lie beside the site folder, never in it. Here the index is installed as soon
    as the walk, having listed the site folder, goes into one of its folders: with the staging
    folder inside, the walk then failed on it (FileNotFoundError), whatever order the folder lists
    its entries in."""
    from concurrent.futures import Future
    from types import SimpleNamespace

    from weiquan.build import background
    from weiquan.build.engine import Build, BuildOptions
    from weiquan.site.assets import purge_theme_css

    site = tmp_path / "site"
    css = site / "assets" / "stylesheets" / "main.0123abcd.min.css"
    css.parent.mkdir(parents=True)
    css.write_text(".md-typeset{color:red}.unused{color:blue}", encoding="utf-8")
    for page in ("", "laws", "cases", "guides"):
        (site / page).mkdir(exist_ok=True)
        (site / page / "index.html").write_text('<div class="md-typeset">页</div>', encoding="utf-8")
    (site / "search").mkdir()
    (site / "search" / "manifest.js").write_text("last build", encoding="utf-8")

    job = Future()   # the search worker's job; done when the test says so

    class Worker:
        def submit(self, fn, docs, stage, *args):
            Path(stage, "manifest.js").write_text("this build", encoding="utf-8")
            return job
    monkeypatch.setattr(background.BackgroundWork, "search_pool", property(lambda self: Worker()))
    monkeypatch.setattr("weiquan.search.index.rules_for", lambda content: None)
    build = Build(BuildOptions(content_dir=tmp_path / "content", cache_dir=tmp_path / "cache"),
                  SimpleNamespace(pinyin={}), None)
    build.start_search_index(site)           # as prepare() does, before the pages are written
    reports: list = []
    build.finish(detach_search=reports.append)   # a preview: installed once the job is done

    real_scandir, listed = os.scandir, []

    class Entries(list):   # what os.scandir returns, read at once
        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def close(self):
            pass

    def scandir(path="."):
        with real_scandir(path) as it:
            entries = Entries(it)
        if isinstance(path, (str, os.PathLike)) and site in Path(path).parents and not listed:
            listed.append(path)
            job.set_result({})   # the index is done now, while the walk goes on
        return entries
    monkeypatch.setattr(os, "scandir", scandir)
    purge_theme_css(site)
    monkeypatch.undo()

    assert listed, "the walk did not list folders through os.scandir: nothing interleaved"
    assert reports == [None]
    assert (site / "search" / "manifest.js").read_text(encoding="utf-8") == "this build"
    assert ".unused" not in css.read_text(encoding="utf-8")
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []   # removed after the swap
    assert [p.name for p in site.rglob(".*")] == []


def test_a_dead_previews_search_staging_is_removed_by_the_next_build(tmp_path, monkeypatch):
    from weiquan.build import atomic
    site = tmp_path / "site"
    site.mkdir()
    monkeypatch.setattr(atomic.os, "getpid", lambda: 4194302)   # above pid_max: no such process
    stage = atomic.new_folder_for(site / "search", site)
    monkeypatch.undo()
    assert stage.parent == tmp_path and stage.name.startswith(".site.new-4194302-search-")
    assert atomic.remove_stale(site) == [stage] and not stage.exists()
