"""MkDocs adapter: hands weiquan's generated pages to MkDocs. No logic lives here."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

from weiquan.build import BuildOptions, prepare
from weiquan.pageoutput import finish_page
from weiquan.problems import ContentError

_state: dict = {}


def _content_dir(config) -> Path:
    rel = config.extra.get("weiquan", {}).get("content", "content")
    return (Path(config.config_file_path).parent / rel).resolve()


def on_config(config):
    leaflets = os.environ.get("WEIQUAN_LEAFLETS_DIR")  # set by `weiquan build` after rendering them
    options = BuildOptions(content_dir=_content_dir(config), site_url=config.site_url or "",
                           use_directory_urls=config.use_directory_urls,
                           leaflets_dir=Path(leaflets) if leaflets else None)
    try:
        build = prepare(options)
    except ContentError as exc:
        raise PluginError("内容有错误，未生成网站 (content errors; site left untouched):\n" + str(exc)) from None
    _state["build"] = build
    config.extra["wq"] = build.template_data()
    return config


def on_files(files, config):
    _state["build"].start_search_index(Path(config.site_dir))  # site_dir is clean by now
    for page in _state["build"].pages:
        existing = files.get_file_from_path(page.src)
        if existing is not None:
            files.remove(existing)
        files.append(File.generated(config, page.src, content=page.markdown))
    return files


def on_page_context(context, page, config, nav):
    page.meta["wq_pinyin"] = _state["build"].write_pinyin(
        Path(config.site_dir), page.file.src_uri, page.file.dest_uri, page.content or "")
    return context


def on_post_page(output, page, config):
    return finish_page(output)


def on_post_template(output_content, template_name, config):
    return finish_page(output_content)  # 404.html


def on_post_build(config):
    _state["build"].finish()
    leaflets = _state["build"].options.leaflets_dir
    if leaflets and (leaflets / "leaflets").is_dir():
        shutil.copytree(leaflets / "leaflets", Path(config.site_dir) / "leaflets", dirs_exist_ok=True)


def on_build_error(error):
    if "build" in _state:
        _state["build"].background.close()


def on_serve(server, config, builder):
    server.watch(str(_content_dir(config)))
    return server
