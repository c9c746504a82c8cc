"""`plugins: {weiquan: …}` in mkdocs.yml: hands weiquan's generated pages to MkDocs (and Material
for MkDocs, its theme). Events are wired to weiquan.build and nothing else happens here.

State of one build lives on the plugin. MkDocs keeps a plugin that has ``on_startup`` for the
whole of `mkdocs serve` while it loads mkdocs.yml again for every rebuild; what previews keep
across rebuilds (rendered pages, preview leaflets, the last good template data) lives in
weiquan.build.preview."""

from __future__ import annotations

import os
from pathlib import Path

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from weiquan.build import (Build, BuildOptions, ContentError, background, finish_page, foreign_scripts, prepare,
                           template_script_hashes, wait_for_handoff)
from weiquan.build import preview as previews
from weiquan.build.pagecache import Cached, nav_sources, site_key

CACHED_TEMPLATE = "weiquan-cached.html"   # in templates/ beside this file: the page's HTML as it is

log = get_plugin_logger("weiquan")


class WeiquanConfig(base.Config):
    content = c.Dir(default="content")   # the content folder, relative to mkdocs.yml
    # Set by `weiquan build` in the config it generates for one build (weiquan/build/publish.py):
    leaflets = c.Optional(c.Dir(exists=True))          # rendered leaflets (<dir>/leaflets/…pdf) to link and copy
    checked_content = c.Optional(c.Type(str))    # the content it has just checked (pickle)
    handoff_fd = c.Optional(c.Type(int))          # a pipe: wait on it for the check's outcome


class CachedPage(Page):
    """A page written from weiquan's page cache: MkDocs reads and renders nothing of it; it stays a
    page of the site (sitemap, links to its anchors)."""

    def __init__(self, file: File, config, cached: Cached):
        super().__init__(None, file, config)
        self.cached = cached

    def read_source(self, config) -> None:
        self.markdown, self.meta = "", {"template": CACHED_TEMPLATE}

    def render(self, config, files) -> None:
        self.content = self.cached.html
        self.present_anchor_ids = set(self.cached.anchors)
        self._title_from_render = self.cached.title or None   # the menus of other pages show it


class WeiquanPlugin(BasePlugin[WeiquanConfig]):
    def __init__(self):
        self.preview = False          # `mkdocs serve`
        self.build: Build | None = None
        self.error: ContentError | None = None   # a preview with content errors shows them
        self.script_hashes: list[str] = []

    def on_startup(self, *, command, dirty):
        self.preview = command == "serve"
        if self.preview:
            previews.stop_on_sigterm()

    def on_config(self, config):
        self.build, self.error = None, None
        if self.preview:
            previews.building(True)
        leaflets = self.config.leaflets or (previews.LEAFLETS.current() if self.preview else None)
        calendars = True
        if self.config.handoff_fd is not None:   # started by `weiquan build` while it checks the content
            background.start_search_worker(Path(self.config.content))
            checked = wait_for_handoff(self.config.handoff_fd)
            if checked is None:
                raise PluginError("内容检查未通过，未生成网站 (the content check did not pass)")
            leaflets = checked.leaflets
            calendars = checked.engine_makes_calendars(config.site_url or "", config.use_directory_urls)
        options = BuildOptions(content_dir=Path(self.config.content), site_url=config.site_url or "",
                               use_directory_urls=config.use_directory_urls,
                               leaflets_dir=Path(leaflets) if leaflets else None,
                               checked_content=Path(self.config.checked_content) if self.config.checked_content else None,
                               # a preview starts the search index after its pages (on_post_build)
                               site_dir=None if self.preview else Path(config.site_dir), preview=self.preview,
                               calendars=calendars)
        try:
            self.build = prepare(options)
        except Exception as exc:   # noqa: BLE001 — a preview shows any failure instead of hanging
            if not self.preview:
                if isinstance(exc, ContentError):
                    raise PluginError("内容有错误，未生成网站 (content errors; site left untouched):\n" + str(exc)) from None
                raise
            # A preview shows the problems in the browser and waits for the fix (a failed build
            # would leave every request hanging).
            self.error = previews.as_problems(exc)
            log.error("内容有错误，预览显示错误页，改正后自动恢复 (content errors):\n%s", self.error)
            config.extra["wq"] = previews.template_data_for_errors()
            return config
        if self.preview:
            previews.warm(self.build)
            self._preview_leaflets(config)
        config.extra["wq"] = previews.LAST_TEMPLATE_DATA = self.build.template_data()
        config["nav"] = self.build.menu(config["nav"])   # 我该怎么办: guides by topic
        config.theme.static_templates.add("go.html")   # the neutral page 一键离开 leaves in history
        config.theme.dirs.append(str(Path(__file__).parent / "templates"))   # CACHED_TEMPLATE, last
        return config

    def on_pre_build(self, config):
        if self.preview:   # (before the engine cleans the site folder)
            previews.clear_site(Path(config.site_dir))

    def on_files(self, files, config):
        if self.error:   # only the theme's assets; on_post_build writes the error page
            return Files([f for f in files if not f.is_documentation_page()])
        build = self.build
        # Pages unchanged since an earlier build (or preview) are written from the page cache —
        # unless another plugin might want to see their Markdown.
        cacheable = [name for name in config.plugins if name != "weiquan"] == []
        if cacheable:
            in_nav = nav_sources(config.nav)
            build.use_page_cache(site_key(
                config_path=Path(config.config_file_path), site_url=config.site_url or "",
                theme_dirs=[config.theme.custom_dir] if config.theme.custom_dir else [],
                shared=config.extra["wq"], code=Path(__file__).read_bytes(),
                nav_titles=_nav_titles(config.nav) + [p.title for p in build.pages if p.src in in_nav]),
                memo=self.preview)
        _render, kept = build.plan_pages(cacheable)
        for page in build.pages:
            existing = files.get_file_from_path(page.src)
            if existing is not None:
                files.remove(existing)
        kept_by_src = {page.src: cached for page, cached in kept}
        for page in build.pages:   # in their order, whether rendered or not (the sitemap lists them so)
            cached = kept_by_src.get(page.src)
            if cached is None:
                files.append(File.generated(config, page.src, content=page.markdown))
            else:
                CachedPage(file := File.generated(config, page.src, content=""), config, cached)
                files.append(file)
        for path, data in build.files.items():   # calendars
            files.append(File.generated(config, path, content=data))
        if kept:
            log.info("%d 页未变，沿用上次结果 (%d unchanged pages from the page cache)", len(kept), len(kept))
        return files

    def on_page_markdown(self, markdown, page, config, files):
        if page.file.src_uri in self.build.page_by_src:
            return self.build.markdown_for_engine(page.file.src_uri, markdown)
        return self.build.link_phones(markdown)

    def on_page_content(self, html, page, config, files):
        aside = self.build.take_aside(page.file.src_uri)
        if aside is None:
            return html
        restored = aside.restore(html)
        if restored is None:   # a line did not come back: convert the page's Markdown as it was
            page.markdown = aside.markdown
            page.render(config, files)
            return page.content
        page.present_anchor_ids = (page.present_anchor_ids or set()) | aside.anchor_ids()
        return restored

    def on_page_context(self, context, page, config, nav):
        if isinstance(page, CachedPage):
            self.build.page_reused(Path(config.site_dir), page.file.src_uri, page.file.dest_uri, page.cached)
            return context
        page.meta["wq_pinyin"] = self.build.write_pinyin(
            Path(config.site_dir), page.file.src_uri, page.file.dest_uri, page.content or "")
        page.meta["wq_pinyin_kb"] = self.build.pinyin_kb.get(page.file.src_uri)
        return context

    def on_env(self, env, config, files):
        key = self.build.page_cache.site_key if self.build and self.build.page_cache else None
        if self.preview:   # templates compiled once per preview, not once per rebuild
            env.bytecode_cache = previews.template_code_cache()
        # The inline scripts the CSP allows: the theme's own, from its templates, once per build
        # (once per preview while the site key, which covers templates and settings, holds).
        hashes = previews.SCRIPT_HASHES.get(key) if self.preview and key else None
        if hashes is None:
            hashes = template_script_hashes(env, {"config": config})
            if self.preview and key:
                previews.SCRIPT_HASHES.clear()
                previews.SCRIPT_HASHES[key] = hashes
        self.script_hashes = hashes
        return env

    def on_post_page(self, output, page, config):
        if isinstance(page, CachedPage):   # finished when it was cached
            return output
        html = finish_page(output, self.script_hashes)
        for body in foreign_scripts(html, self.script_hashes):
            log.warning("%s：页面中有模板以外的内联脚本，内容安全策略已阻止它 (inline script not from the "
                        "templates, blocked by the CSP): %.60s", page.file.src_uri, body)
        self.build.page_written(page.file.src_uri, page.file.dest_uri, html, page.present_anchor_ids, page.title)
        return html

    def on_template_context(self, context, template_name, config):
        if template_name == "404.html":   # links from the root, made absolute by overrides/404.html
            context["base_url"] = "."
        return context

    def on_post_template(self, output_content, template_name, config):
        if self.error:   # replaced by the error page
            return output_content
        html = finish_page(output_content, self.script_hashes)   # 404.html
        if template_name.endswith(".html"):
            self.build.template_written(template_name, html)
        return html

    def on_post_build(self, config):
        if self.preview:
            previews.building(False)
            previews.collect_garbage_later()
        if self.error:
            previews.write_error_site(Path(config.site_dir), self.error.problems)
            return
        # Previews don't wait for the search index, nor start it before the pages are written: the
        # page reloads first, search follows.
        if self.preview:
            self.build.start_search_index(Path(config.site_dir))
        self.build.finish(detach_search=self._search_done if self.preview else None)
        # leaflets copied, theme CSS cut to what pages use; a full build prunes the caches
        self.build.finish_site(Path(config.site_dir), prune=not self.preview)

    def on_build_error(self, error):
        if self.preview:
            previews.building(False)
        if self.build is not None:
            self.build.background.close()

    def on_shutdown(self):
        previews.stop()
        background.shutdown()

    def on_serve(self, server, config, builder):
        previews.LEAFLETS.enabled = True   # only a real `mkdocs serve`, after its first build
        if self.build is not None:
            self._preview_leaflets(config)
        server.watch(self.config.content)
        return server

    # ---- callbacks from weiquan.build

    def _preview_leaflets(self, config):
        b = self.build
        previews.LEAFLETS.update(b.content, config.config_file_path, b.options.content_dir, b.cache_dir,
                                 done=lambda error, path=config.config_file_path: self._leaflets_done(path, error))

    @staticmethod
    def _leaflets_done(config_file, error):
        """Preview leaflets are ready: touch the config so `mkdocs serve` rebuilds and pages link them."""
        if error:
            log.error("预览宣传单生成失败 (preview leaflets failed): %s", error)
            return
        log.info("预览宣传单已生成，重新生成页面 (preview leaflets ready)")
        os.utime(config_file)

    @staticmethod
    def _search_done(error):
        if error is not None:
            log.error("搜索索引生成失败 (search index failed): %s", error)


def _nav_titles(nav) -> list[str]:
    """Every title in an engine's nav setting, in order (each page's menu shows them)."""
    out: list[str] = []
    if isinstance(nav, dict):
        for title, value in nav.items():
            out.append(str(title))
            out += _nav_titles(value)
    elif isinstance(nav, list):
        for value in nav:
            out += _nav_titles(value)
    return out
