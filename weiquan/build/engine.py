"""The build as the site engine sees it: load + validate content, then generate pages.
Engine adapters (weiquan_mkdocs/plugin.py for MkDocs) call only this package."""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field
from pathlib import Path

from weiquan.build.pagecache import Cached, PageCache, plan
from weiquan.build.rawlines import SetAside, set_aside

from weiquan.content.digest import cache_folder
from weiquan.content.library import Content
from weiquan.content.phones import tel_uri
from weiquan.content.versions import ALIGNMENTS
from weiquan.content.loader import load_content
from weiquan.search.related import related_content
from weiquan.site.assets import Used, page_usage
from weiquan.site.searchdocs import search_docs
from weiquan.site import Page, SiteContext, generate_files, generate_pages
from weiquan.site.render import RENDERS


@dataclass
class BuildOptions:
    content_dir: Path
    site_url: str = ""
    use_directory_urls: bool = True
    leaflets_dir: Path | None = None   # rendered leaflets (…/leaflets/<campaign>/…pdf) to link and copy
    cache_dir: Path | None = None      # Whoosh index for related content (default: <project>/.weiquan-cache)
    checked_content: Path | None = None   # pickled Content that `weiquan build` has just checked
    site_dir: Path | None = None          # start the search index for <site_dir>/search/ right away
    preview: bool = False                 # `mkdocs serve`: reuse what the last build of this process made
    calendars: bool = True                # False: `weiquan build` writes the calendars (publish.py)


@dataclass
class Build:
    options: BuildOptions
    content: Content
    site: SiteContext
    pages: list[Page] = field(default_factory=list)
    docs: list[dict] = field(default_factory=list)   # search documents (site index, staff tool)
    # src -> {site path: file with its bytes}: what a page writes besides its HTML (pinyin payload)
    page_files: dict[str, dict[str, str]] = field(default_factory=dict)
    pinyin_kb: dict[str, int] = field(default_factory=dict)   # src -> about how many KB its payload is
    files: dict[str, bytes] = field(default_factory=dict)   # site path -> bytes: calendars (.ics)
    page_cache: PageCache | None = None   # rendered pages of earlier builds (use_page_cache)
    page_keys: dict[str, str] = field(default_factory=dict)   # src -> its page cache key (pages rendered now)
    css_used: Used = field(default_factory=Used)   # what the built pages use of the theme CSS
    html_seen: set[str] = field(default_factory=set)   # site paths of the HTML counted in css_used
    asides: dict[str, SetAside] = field(default_factory=dict)   # src -> its HTML lines, while converted

    @functools.cached_property
    def background(self):
        from weiquan.build.background import BackgroundWork
        return BackgroundWork(self.content.pinyin, self.cache_dir)

    @functools.cached_property
    def cache_dir(self) -> Path:
        return _cache_dir(self.options)

    def start_search_index(self, site_dir: Path) -> None:
        """The static pinyin-aware search index under <site>/search/ (loaded only when used);
        built in a worker while pages render, swapped in by finish()."""
        from weiquan.search.index import rules_for
        self.background.search_index(self.docs, Path(site_dir) / "search", rules_for(self.content),
                                     walked=Path(site_dir))

    def write_pinyin(self, site_dir: Path, src_uri: str, dest_uri: str, content_html: str) -> str:
        """Queue the page's pinyin payload (written next to it); return its file name for the
        page's meta tag. Loaded only when the reader turns the 拼音 toggle on."""
        name, rel = _pinyin_name(dest_uri)
        cached = self.background.pinyin(site_dir / rel, content_html, self.readings_by_src.get(src_uri) or None)
        self.page_files[src_uri] = {rel: str(cached)}
        self.pinyin_kb[src_uri] = pinyin_kb(content_html)
        return name

    # ---- the page cache (weiquan.build.pagecache): previews and `weiquan build` alike

    def use_page_cache(self, key: str, memo: bool = False) -> PageCache:
        """The cache of rendered pages for this site key (see pagecache.site_key); ``memo``: keep
        them in this process too (previews)."""
        self.page_cache = PageCache(self.cache_dir, key, memo=memo)
        return self.page_cache

    def page_extra(self, page: Page) -> str:
        """What decides a page's output besides its Markdown and the site: its pinyin inputs."""
        return self.background.salt + "\0" + json.dumps(page.readings or {}, ensure_ascii=False, sort_keys=True)

    def plan_pages(self, use_cache: bool):
        """([(page, cache key or None)] to render, [(page, Cached)] to write as they were)."""
        render, kept = plan(self.pages, self.page_cache if use_cache else None, extra=self.page_extra)
        self.page_keys = {p.src: key for p, key in render if key}
        return render, kept

    def page_written(self, src_uri: str, dest_uri: str, html: str, anchors=(), title: str | None = None) -> None:
        """A page the engine has rendered: count what it uses of the theme CSS, keep it in the cache."""
        used = page_usage(html)
        self.css_used.update(used)
        self.html_seen.add(dest_uri)
        key = self.page_keys.get(src_uri)
        if key and self.page_cache is not None:
            pinyin = next(iter(self.page_files.get(src_uri, {}).values()), None)
            self.page_cache.put(key, Cached(html, self.page_cache.pinyin_ref(pinyin), sorted(anchors or ()), used,
                                            title or ""))

    def page_reused(self, site_dir: Path, src_uri: str, dest_uri: str, cached: Cached) -> None:
        """A page written from the cache: its pinyin payload linked beside it, its CSS use counted."""
        if cached.pinyin:
            _name, rel = _pinyin_name(dest_uri)
            self.background.link(self.cache_dir / cached.pinyin, Path(site_dir) / rel)
        self.css_used.update(cached.used)
        self.html_seen.add(dest_uri)

    def template_written(self, path: str, html: str) -> None:
        """A theme template the engine has rendered (404.html …): count its CSS use."""
        self.css_used.update(page_usage(html))
        self.html_seen.add(path)

    def finish_site(self, site_dir: Path, prune: bool = False) -> None:
        """After every page is written: the rendered leaflets copied in, the theme's CSS cut to
        what the pages use. ``prune`` (a full build): drop cached pages and pinyin payloads
        this build did not use."""
        import shutil

        from weiquan.site.assets import purge_theme_css, used_in
        leaflets = self.options.leaflets_dir
        if leaflets and (leaflets / "leaflets").is_dir():
            shutil.copytree(leaflets / "leaflets", Path(site_dir) / "leaflets", dirs_exist_ok=True)
        purge_theme_css(Path(site_dir), used_in(Path(site_dir), seen=self.html_seen, used=self.css_used))
        if prune:
            if self.page_cache is not None:
                self.page_cache.prune()
            self.background.prune()

    def menu(self, nav: list) -> list:
        """The site menu with the guides grouped by topic (weiquan/site/topics.py)."""
        from weiquan.site.topics import menu
        return menu(self.content.guides, nav)

    def markdown_for_engine(self, src: str, markdown: str) -> str:
        """A generated page's Markdown as the engine converts it: its HTML lines set aside
        (rawlines), to be put back by :meth:`take_aside`'s restore."""
        aside = set_aside(markdown)
        if aside is None:
            return markdown
        self.asides[src] = aside
        return aside.marked

    def take_aside(self, src: str) -> SetAside | None:
        """The lines markdown_for_engine set aside for the page ``src`` (once)."""
        return self.asides.pop(src, None)

    def link_phones(self, markdown: str) -> str:
        """A page's Markdown with its hotline and phone numbers as tel: links (pages that weiquan
        does not generate, e.g. content/pages/safety.md; generated pages are linked already)."""
        from weiquan.site.phonelinks import linker_for
        return linker_for(self.content.settings).markup(markdown)

    @functools.cached_property
    def page_by_src(self) -> dict[str, Page]:
        return {p.src: p for p in self.pages}

    def finish(self, detach_search=None) -> None:
        """Wait for the background work (pinyin payloads, search index); see
        BackgroundWork.finish for ``detach_search`` (preview builds)."""
        self.background.finish(detach_search)

    @functools.cached_property
    def readings_by_src(self) -> dict[str, dict]:
        return {p.src: p.readings for p in self.pages if p.readings}

    def template_data(self) -> dict:
        """Plain data the page templates show on every page (hotline bar)."""
        s = self.content.settings
        from weiquan.zh.han import js_han_pattern
        return {"name": s.name, "region": s.region, "han": js_han_pattern(),   # 朗读: what is a 汉字
                "hotlines": [{"number": h.number, "label": h.label, "tel": tel_uri(h.number),
                              "primary": h.primary} for h in s.hotlines]}


def _pinyin_name(dest_uri: str) -> tuple[str, str]:
    """(file name, site path) of a page's pinyin payload."""
    name = Path(dest_uri).stem + ".pinyin.js"
    return name, (Path(dest_uri).parent / name).as_posix()


def pinyin_kb(content_html: str) -> int:
    """About the size of a page's pinyin payload, shown while it loads (the payload is written in a
    worker, so its exact size is not known when the page is). The payload (weiquan/zh/reading.py
    page_payload) holds the 汉字 of each text node (equal ones once) with a few bytes per node,
    each character once with its usual reading (≈ 7 bytes), and ≈ 350 bytes besides."""
    import re
    from weiquan.zh.han import HAN_RE
    keys = {"".join(HAN_RE.findall(text)) for text in re.split(r"<[^>]*>", content_html)}
    keys.discard("")
    chars = set().union(*keys) if keys else set()
    size = sum(len(k.encode("utf-8")) + 3 for k in keys) + 7 * len(chars) + 350
    return max(1, round(size / 1024))


def leaflet_links(content: Content, leaflets_dir: Path | None):
    """leaflets_for(campaign, station, pack=False, shop=False) -> [PrintLink] of the leaflets that
    exist (pack=True: the campaign's print pack; shop=True: the print-shop editions)."""
    if leaflets_dir is None:
        return None
    from weiquan.leaflets.render import leaflets_for, pack_for

    def links(campaign, station=None, pack=False, shop=False):
        files = pack_for(campaign, shop) if pack else leaflets_for(content, campaign, station, shop=shop)
        return _existing(leaflets_dir, files)
    return links


def station_print_links(leaflets_dir: Path | None):
    """station_prints(station) -> [PrintLink] of its poster(s) and visit register that exist."""
    if leaflets_dir is None:
        return None
    from weiquan.leaflets.stationprint import station_prints_for
    return lambda station: _existing(leaflets_dir, station_prints_for(station))


def _existing(leaflets_dir: Path, files) -> list:
    from weiquan.site.context import PrintLink
    out = []
    for f in files:
        file = leaflets_dir / f.path
        if file.exists():
            out.append(PrintLink(f.label, f.short, f.path, file.stat().st_size))
    return out


def _cache_dir(options: BuildOptions) -> Path:
    return options.cache_dir or cache_folder(options.content_dir)


@dataclass(frozen=True)
class Checked:
    """What `weiquan build` hands an engine it started before checking the content, once the
    check has passed: the leaflets it rendered (None: none); the (site URL, use_directory_urls)
    it writes the calendars for meanwhile (None: the engine makes them)."""
    leaflets: Path | None
    calendars_for: tuple[str, bool] | None = None

    def engine_makes_calendars(self, site_url: str, use_directory_urls: bool) -> bool:
        """Unless `weiquan build` writes them for these very settings (it reads mkdocs.yml
        plainly: a site_url from !ENV it cannot know, so then the engine makes them, and
        `weiquan build` keeps the engine's)."""
        if self.calendars_for is None:
            return True
        url, directory_urls = self.calendars_for
        return (url or "").rstrip("/") != (site_url or "").rstrip("/") or directory_urls != use_directory_urls


def wait_for_handoff(fd: int) -> Checked | None:
    """Wait on the pipe `weiquan build` gave this engine (weiquan/build/publish.py _Handoff):
    one JSON line once the content is checked, or end of file (None) if the check failed."""
    import os
    with os.fdopen(fd, "rb") as pipe:
        line = pipe.readline()
    if not line:
        return None
    message = json.loads(line)
    leaflets, calendars = message.get("leaflets"), message.get("calendars")
    return Checked(Path(leaflets) if leaflets else None,
                   (calendars["site_url"], calendars["use_directory_urls"]) if calendars else None)


def _checked_content(options: BuildOptions) -> Content | None:
    if options.checked_content is None:
        return None
    import gc
    import pickle
    gc.disable()   # millions of small objects: the collector would walk them again and again
    try:
        content = pickle.loads(Path(options.checked_content).read_bytes())
    finally:
        gc.enable()
    return content if Path(content.root).resolve() == Path(options.content_dir).resolve() else None


def prepare(options: BuildOptions) -> Build:
    """Load and validate content (raises ContentError) and generate every page."""
    import gc
    if not options.preview:   # (a preview collects between rebuilds: preview.collect_garbage_later)
        gc.unfreeze()   # what an earlier build of this process froze may be garbage now
    content = _checked_content(options) or load_content(options.content_dir)
    site = SiteContext(content, use_directory_urls=options.use_directory_urls, site_url=options.site_url,
                       leaflets_for=leaflet_links(content, options.leaflets_dir),
                       station_prints=station_print_links(options.leaflets_dir))
    build = Build(options, content, site, docs=search_docs(site))
    if options.site_dir is not None:   # in a worker while related content and pages are made
        build.start_search_index(options.site_dir)
    build.site = site = site.with_related(related_content(content, build.docs, _cache_dir(options) / "related"))
    if options.preview:   # page templates rendered with the same values as last time are not rendered again
        RENDERS.begin()
    ALIGNMENTS.keep_in(_cache_dir(options) / "law-versions.pickle")   # (law pages: 新增/修改 marks)
    try:
        build.pages = generate_pages(site)
        build.files = generate_files(site, _cache_dir(options), calendars=options.calendars)
    except BaseException:
        RENDERS.end(keep=False)
        raise
    RENDERS.end()
    ALIGNMENTS.save()
    gc.freeze()   # the content and pages live as long as the build: no collection needs to walk them
    return build
