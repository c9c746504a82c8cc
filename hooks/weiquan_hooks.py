"""MkDocs adapter: hands weiquan's generated pages to MkDocs. No logic lives here."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.files import File, Files

from weiquan.build import preview as preview_state
from weiquan.build import (CHECKED_CONTENT_ENV, REUSE, BuildOptions, ContentError, background, finish_page,
                           foreign_scripts, template_script_hashes, plan,
                           prepare)

_state: dict = {}
log = get_plugin_logger("weiquan")
PREVIEW = "WEIQUAN_PREVIEW"  # MkDocs reloads this module for every rebuild; the flag must outlive it


def on_startup(command, dirty):
    os.environ[PREVIEW] = "1" if command == "serve" else ""
    if command == "serve":
        preview_state.stop_on_sigterm()


def _content_dir(config) -> Path:
    rel = config.extra.get("weiquan", {}).get("content", "content")
    return (Path(config.config_file_path).parent / rel).resolve()


def on_config(config):
    _state.pop("error", None)
    leaflets = os.environ.get("WEIQUAN_LEAFLETS_DIR")  # set by `weiquan build` after rendering them
    checked = os.environ.get(CHECKED_CONTENT_ENV)      # likewise, the content it has checked
    if not leaflets and _preview() and preview_state.LEAFLETS.current():   # mkdocs serve: see on_serve
        leaflets = str(preview_state.LEAFLETS.current())
    options = BuildOptions(content_dir=_content_dir(config), site_url=config.site_url or "",
                           use_directory_urls=config.use_directory_urls,
                           leaflets_dir=Path(leaflets) if leaflets else None,
                           checked_content=Path(checked) if checked else None,
                           site_dir=Path(config.site_dir))
    try:
        build = prepare(options)
    except Exception as exc:   # noqa: BLE001 — a preview shows any failure instead of hanging
        if not isinstance(exc, ContentError):
            if not _preview():
                raise
            exc = preview_state.unexpected(exc)
        if not _preview():
            raise PluginError("内容有错误，未生成网站 (content errors; site left untouched):\n" + str(exc)) from None
        # A preview shows the problems in the browser and waits for the fix (a failed build would
        # leave every request hanging).
        log.error("内容有错误，预览显示错误页，改正后自动恢复 (content errors):\n%s", exc)
        _state["error"] = exc
        config.extra["wq"] = preview_state.template_data_for_errors()
        return config
    _state["build"] = build
    if _preview():
        build.background.warm()
        preview_state.LEAFLETS.update(build.content, config.config_file_path, options.content_dir, build.cache_dir,
                                      done=lambda error, path=config.config_file_path: _leaflets_ready(path, error))
    config.extra["wq"] = build.template_data()
    preview_state.LAST_TEMPLATE_DATA = config.extra["wq"]
    config["nav"] = build.menu(config["nav"])   # 我该怎么办: guides by topic
    config.theme.static_templates.add("go.html")   # the neutral page 一键离开 leaves in history
    return config


def _preview() -> bool:
    return bool(os.environ.get(PREVIEW))


def on_files(files, config):
    if "error" in _state:   # only the theme's assets; on_post_build writes the error page
        return Files([f for f in files if not f.is_documentation_page()])
    build = _state["build"]
    render, kept = plan(build.pages, REUSE if _preview() else None, nav=config.nav, key_inputs=dict(
        config_text=Path(config.config_file_path).read_bytes(), site_url=config.site_url or "",
        theme_dirs=[config.theme.custom_dir] if config.theme.custom_dir else [],
        shared=config.extra["wq"], code=Path(__file__).read_bytes()))
    for page in build.pages:
        existing = files.get_file_from_path(page.src)
        if existing is not None:
            files.remove(existing)
    for page in render:
        files.append(File.generated(config, page.src, content=page.markdown))
    for page, done in kept:   # preview: unchanged pages are written as last rendered
        files.append(File.generated(config, build.site.urls.dest(page.src), content=done.html))
        for path, source in done.extras.items():
            files.append(File.generated(config, path, abs_src_path=source))
    for path, data in build.files.items():   # calendars
        files.append(File.generated(config, path, content=data))
    if kept:
        log.info("预览：%d 页未变，沿用上次结果 (%d unchanged pages reused)", len(kept), len(kept))
    return files


def on_page_markdown(markdown, page, config, files):
    if page.file.src_uri in _state["build"].page_by_src:
        return markdown
    return _state["build"].link_phones(markdown)


def on_page_context(context, page, config, nav):
    page.meta["wq_pinyin"] = _state["build"].write_pinyin(
        Path(config.site_dir), page.file.src_uri, page.file.dest_uri, page.content or "")
    page.meta["wq_pinyin_kb"] = _state["build"].pinyin_kb.get(page.file.src_uri)
    return context


def on_env(env, config, files):
    # The inline scripts the CSP allows: the theme's own, from its templates, once per build.
    _state["script_hashes"] = template_script_hashes(env, {"config": config})
    return env


def on_post_page(output, page, config):
    html = finish_page(output, _state["script_hashes"])
    for body in foreign_scripts(html, _state["script_hashes"]):
        log.warning("%s：页面中有模板以外的内联脚本，内容安全策略已阻止它 (inline script not from the "
                    "templates, blocked by the CSP): %.60s", page.file.src_uri, body)
    if _preview() and page.file.src_uri in _state["build"].page_by_src:
        REUSE.remember(page.file.src_uri, _state["build"].page_by_src[page.file.src_uri].markdown, html,
                       _state["build"].page_files.get(page.file.src_uri))
    return html


def on_template_context(context, template_name, config):
    if template_name == "404.html":   # links from the root, made absolute by overrides/404.html
        context["base_url"] = "."
    return context


def on_post_template(output_content, template_name, config):
    if "error" in _state:   # replaced by the error page
        return output_content
    return finish_page(output_content, _state["script_hashes"])  # 404.html


def on_post_build(config):
    if "error" in _state:
        page = preview_state.error_page(_state["error"].problems)
        for name in ("index.html", "404.html"):   # the server answers every missing page with 404.html
            (Path(config.site_dir) / name).write_text(page, encoding="utf-8")
        return
    # Previews don't wait for the search index: the page reloads first, search follows.
    _state["build"].finish(detach_search=_report_search if _preview() else None)
    leaflets = _state["build"].options.leaflets_dir
    if leaflets and (leaflets / "leaflets").is_dir():
        shutil.copytree(leaflets / "leaflets", Path(config.site_dir) / "leaflets", dirs_exist_ok=True)
    _state["build"].finish_site(Path(config.site_dir))   # theme CSS cut to what the pages use


def _report_search(error):
    if error is not None:
        log.error("搜索索引生成失败 (search index failed): %s", error)


def on_build_error(error):
    if "build" in _state:
        _state["build"].background.close()


def on_shutdown():
    preview_state.LEAFLETS.stop()
    background.shutdown()


def _leaflets_ready(config_file, error):
    """Preview leaflets are ready: touch the config so `mkdocs serve` rebuilds and pages link them."""
    if error:
        log.error("预览宣传单生成失败 (preview leaflets failed): %s", error)
        return
    log.info("预览宣传单已生成，重新生成页面 (preview leaflets ready)")
    os.utime(config_file)


def on_serve(server, config, builder):
    preview_state.LEAFLETS.enabled = True   # only a real `mkdocs serve`, after its first build
    if "build" in _state:
        b = _state["build"]
        preview_state.LEAFLETS.update(b.content, config.config_file_path, b.options.content_dir, b.cache_dir,
                                      done=lambda error, path=config.config_file_path: _leaflets_ready(path, error))
    server.watch(str(_content_dir(config)))
    return server
