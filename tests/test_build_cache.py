"""The build cache (.weiquan-cache/, issue 27): a rebuild with nothing changed writes a
byte-identical site without rendering any page again; a changed station renders again only what
shows it; a changed template, setting or code version renders again every page it shapes — and
the cached site always equals one built without the cache."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from conftest import BIN, ROOT, copy_project, run, tiny_content

ENV = {**os.environ, "SOURCE_DATE_EPOCH": "1796083200", "NO_MKDOCS_2_WARNING": "1"}   # 2026-12-01


@pytest.fixture()
def small(tmp_path) -> Path:
    """A project with the tiny content: one law, station, case, campaign and guide."""
    project = copy_project(tmp_path / "project", content=False)
    tiny_content(project / "content")
    return project


def build(project: Path) -> dict[str, bytes]:
    result = run(BIN / "weiquan", "build", "--no-leaflets", "--config", project / "mkdocs.yml",
                 cwd=project, check=False, env=ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    return {p.relative_to(project / "site").as_posix(): p.read_bytes()
            for p in sorted((project / "site").rglob("*")) if p.is_file()}


def entries(project: Path) -> dict[Path, int]:
    """The page cache's entries and when each was written."""
    return {p: p.stat().st_mtime_ns for p in (project / ".weiquan-cache" / "pages").rglob("*.json")}


def pages(site: dict[str, bytes]) -> list[str]:
    return [name for name in site if name.endswith("index.html")]


@pytest.mark.slow   # full builds
def test_rebuild_renders_nothing_unchanged_and_only_the_pages_showing_a_changed_station(small):
    first = build(small)
    cached = entries(small)
    assert len(cached) >= len(pages(first)) - 10   # every page but the few in the navigation
    second = build(small)
    assert second == first                       # pages, sitemap, pinyin, search index, .gz/.br
    assert entries(small) == cached              # no page was rendered (and stored) again
    compressed = small / "site" / "index.html.gz"
    assert compressed.stat().st_nlink > 1, "compressed copies come from the cache (hard links)"

    station = small / "content" / "stations" / "chengguan.yaml"
    station.write_text(station.read_text(encoding="utf-8").replace("城关镇妇女维权服务站", "城关镇妇女维权服务站甲", 1),
                       encoding="utf-8")
    edited = build(small)
    new = set(entries(small)) - set(cached)
    assert 0 < len(new) < len(pages(edited)) / 2, (len(new), len(pages(edited)))
    assert any("城关镇妇女维权服务站甲".encode() in edited[name] for name in pages(edited))
    shutil.rmtree(small / ".weiquan-cache")
    assert build(small) == edited                # a site made partly from the cache = one made without


@pytest.mark.slow   # full builds
def test_a_changed_template_or_setting_renders_every_page_again(small):
    first = build(small)
    site, per_build = first, len(entries(small))   # (entries a full build writes)
    main, config = small / "overrides" / "main.html", small / "mkdocs.yml"
    for change, path, old, new, marker in (
            ("template", main, "{% block extrahead %}", "{% block extrahead %}<!-- wq-cache-test -->",
             b"<!-- wq-cache-test -->"),
            ("setting", config, "site_name: ", "site_name: 缓存测试 ", "缓存测试".encode())):
        before = entries(small)
        text = path.read_text(encoding="utf-8")
        assert old in text, change
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
        again = build(small)
        html = pages(again)
        assert all(marker in again[name] for name in html), (change, [n for n in html if marker not in again[n]][:5])
        assert len(set(entries(small)) - set(before)) >= per_build, change   # every page rendered (and stored) again
        assert again != site, change
        site = again
    assert site != first


def test_the_site_key_follows_settings_templates_libraries_and_code(tmp_path, monkeypatch):
    from weiquan.build import pagecache
    project = copy_project(tmp_path / "p", content=False)
    config = project / "mkdocs.yml"

    def key(**kw):
        args = dict(config_path=config, site_url="https://a.example/", theme_dirs=[project / "overrides"],
                    shared={"hotlines": ["110"]}, nav_titles=["首页"], code=b"plugin")
        return pagecache.site_key(**{**args, **kw})

    base = key()
    assert key() == base
    # the options `weiquan build` sets for one build (temporary paths) are not settings of the site
    one_build = project / ".mkdocs.yml.new-1-x.yml"
    one_build.write_text("INHERIT: mkdocs.yml\nplugins:\n  weiquan: {checked_content: /tmp/a.pickle, leaflets: /tmp/l}\n",
                         encoding="utf-8")
    assert key(config_path=one_build) == base
    one_build.write_text("INHERIT: mkdocs.yml\nuse_directory_urls: false\n", encoding="utf-8")
    assert key(config_path=one_build) != base
    for changed in (dict(site_url="https://b.example/"), dict(shared={"hotlines": ["12338"]}),
                    dict(nav_titles=["主页"]), dict(code=b"plugin 2")):
        assert key(**changed) != base, changed
    (project / "overrides" / "partials" / "wq-exit.html").write_text("changed", encoding="utf-8")
    assert key() != base
    base = key()
    monkeypatch.setattr(pagecache, "library_versions", lambda: {"mkdocs-material": "99.0"})
    assert key() != base
    monkeypatch.undo()
    pagecache.code_version.cache_clear()
    monkeypatch.setattr(pagecache, "code_version", lambda: "another weiquan")
    assert key() != base
    # the markdown extension's options (a tagged YAML value) are part of the settings
    text = config.read_text(encoding="utf-8")
    assert "case: lower" in text
    monkeypatch.undo()
    config.write_text(text.replace("case: lower", "case: upper"), encoding="utf-8")
    assert key() != base


def test_page_cache_entries_need_their_pinyin_payload(tmp_path):
    from weiquan.build.pagecache import Cached, PageCache
    cache = PageCache(tmp_path, "k" * 64)
    payload = tmp_path / "pinyin" / "ab" / "cd.js"
    cache.put("a" * 64, Cached("<p>x</p>", "pinyin/ab/cd.js", ["a1"], {"classes": ["x"]}))
    assert cache.get("a" * 64) is None          # its payload was never written (a failed build)
    payload.parent.mkdir(parents=True)
    payload.write_text("p", encoding="utf-8")
    assert cache.get("a" * 64) == Cached("<p>x</p>", "pinyin/ab/cd.js", ["a1"], {"classes": ["x"]})
    cache.put("b" * 64, Cached("<p>y</p>"))
    fresh = PageCache(tmp_path, "k" * 64)       # the next full build used only a
    assert fresh.get("a" * 64) is not None
    assert fresh.prune() == 1 and fresh.get("b" * 64) is None


def test_workflow_keeps_the_build_cache():
    text = (ROOT / ".github" / "workflows" / "pr.yml").read_text(encoding="utf-8")
    assert "actions/cache@" in text and ".weiquan-cache" in text and "restore-keys" in text


def test_pinyin_payloads_are_keyed_by_what_decides_them(tmp_path, monkeypatch):
    """A payload holds the readings of a page's text nodes: pages that differ only in link
    targets (the offline edition's …/index.html links) share one; a class that turns pinyin off
    or other text does not."""
    from concurrent.futures import Future

    from weiquan.build.background import BackgroundWork

    jobs = []

    class Pool:
        def submit(self, *args):
            jobs.append(args)
            return Future()

    monkeypatch.setattr(BackgroundWork, "pool", property(lambda self: Pool()))
    work = BackgroundWork({}, tmp_path)
    site = work.pinyin(tmp_path / "a.js", '<p><a href="../x/">法律</a><img src="a.png" alt="图"></p>', None)
    offline = work.pinyin(tmp_path / "b.js", '<p><a href="../x/index.html">法律</a><img src="../a.png" alt="图"></p>',
                          None)
    assert offline == site
    others = [work.pinyin(tmp_path / "c.js", html, None) for html in (
        '<p><a href="../x/" class="wq-no-pinyin">法律</a><img src="a.png" alt="图"></p>',
        '<p><a href="../x/">法条</a><img src="a.png" alt="图"></p>')]
    assert len({site, *others}) == 3
    assert work.pinyin(tmp_path / "d.js", "<p>法律</p>", {"法律": ["fǎ", "lǜ"]}) != work.pinyin(
        tmp_path / "e.js", "<p>法律</p>", None)


def test_kept_compressed_copies_follow_the_compression_setting(tmp_path, monkeypatch):
    """A copy kept at one gzip level or brotli quality is not used at another: the site's copies
    are always what this version makes, whatever the cache holds."""
    import gzip

    from weiquan.build.pagecache import CompressCache
    from weiquan.site import assets
    site, cache = tmp_path / "site", CompressCache(tmp_path / "compressed")
    site.mkdir()
    page = site / "index.html"
    page.write_bytes(("<p>" + "维权服务站电话 12338，" * 400 + "</p>").encode())
    assets.precompress(site, cache=cache)
    assert (site / "index.html.gz").read_bytes() == gzip.compress(page.read_bytes(), assets.GZIP_LEVEL, mtime=0)
    assert (site / "index.html.gz").stat().st_nlink > 1          # kept in the cache
    for copy in site.glob("*.*z*"):
        copy.unlink()
    monkeypatch.setattr(assets, "GZIP_LEVEL", 1)
    assets.precompress(site, cache=cache)
    assert (site / "index.html.gz").read_bytes() == gzip.compress(page.read_bytes(), 1, mtime=0)
    for copy in site.glob("*.*z*"):
        copy.unlink()
    monkeypatch.setattr(assets, "GZIP_LEVEL", 6)
    assets.precompress(site, cache=cache)                        # the level-6 copy is taken again
    assert (site / "index.html.gz").read_bytes() == gzip.compress(page.read_bytes(), 6, mtime=0)


@pytest.mark.slow   # full builds
def test_a_build_parses_only_the_content_files_changed_since_the_last_check_or_build(small):
    """`weiquan build` keeps the parsed content in the store `weiquan check` uses too: a rebuild
    with nothing changed writes no store again, one with a changed station rewrites the
    stations' store, and the site shows the change."""
    build(small)
    store = small / ".weiquan-cache" / "content"

    def stamps():   # (`weiquan build` returns after the store is written)
        return {p.name: p.stat().st_mtime_ns for p in store.glob("*.pickle")}
    first = stamps()
    assert {"stations.pickle", "laws.pickle", "campaigns.pickle"} <= set(first), first
    build(small)
    assert stamps() == first
    station = small / "content" / "stations" / "chengguan.yaml"
    station.write_text(station.read_text(encoding="utf-8").replace("城关镇妇女维权服务站", "城关镇妇女维权服务站乙", 1),
                       encoding="utf-8")
    site = build(small)
    changed = {name for name, ns in stamps().items() if first.get(name) != ns}
    assert changed == {"stations.pickle"}, changed
    assert any("城关镇妇女维权服务站乙".encode() in site[name] for name in pages(site))


@pytest.mark.parametrize("leaves_at_once", [True, False])
def test_build_workers_end_without_tearing_their_objects_down(tmp_path, leaves_at_once):
    """The build's worker processes leave at once when they end (the search worker holds
    millions of objects: freeing them one by one took ~2 s at national scale, while the build
    waited). The job's result still arrives; without it (False) the worker frees its objects."""
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor

    import workerjobs
    from weiquan.build.background import _leave_at_once

    freed = tmp_path / "freed"
    pool = ProcessPoolExecutor(1, mp_context=mp.get_context("spawn"),
                               initializer=_leave_at_once if leaves_at_once else None)
    assert pool.submit(workerjobs.keep_until_exit, str(freed)).result(timeout=60) == 1
    pool.shutdown(wait=True)
    assert freed.exists() is not leaves_at_once


@pytest.mark.skipif("forkserver" not in __import__("multiprocessing").get_all_start_methods(),
                    reason="no fork server on this system (Windows): workers are spawned and load it themselves")
@pytest.mark.parametrize("context", ["build's", "spawn"])
def test_build_workers_start_with_the_reading_engine_loaded(context):
    """The pinyin and search workers are forked from a fork server that has loaded jieba's
    dictionary, its word tags and pypinyin once (~0.8 s a worker, three workers a build); a
    spawned worker (the other case) starts without them."""
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor

    import workerjobs
    from weiquan.build.background import worker_context

    ctx = worker_context() if context == "build's" else mp.get_context("spawn")
    with ProcessPoolExecutor(1, mp_context=ctx) as pool:
        loaded = pool.submit(workerjobs.reading_loaded).result(timeout=120)
    warm = context == "build's"
    assert loaded == {"jieba": int(warm), "tags": warm, "pypinyin": int(warm)}, loaded


@pytest.mark.skipif("forkserver" not in __import__("multiprocessing").get_all_start_methods(),
                    reason="no fork server on this system (Windows): workers are this process's children")
def test_the_workers_cpu_time_counts_in_the_builds_once_it_ends():
    """background.shutdown() (the engine's last step) stops the workers' fork server and waits
    for it: the workers' CPU time then counts in the engine's, as scripts/bench measures a build."""
    import resource
    from multiprocessing import forkserver

    import workerjobs
    from weiquan.build import background

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    background._search_pool().submit(workerjobs.burn, 0.5).result(timeout=120)
    server = forkserver._forkserver._forkserver_pid
    assert server is not None
    background.shutdown()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    assert forkserver._forkserver._forkserver_pid is None
    with pytest.raises(ChildProcessError):
        os.waitpid(server, os.WNOHANG)   # waited for: gone
    assert (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime) >= 0.5
