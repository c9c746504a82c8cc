"""Orchestration only: one build, previews, background workers, atomic swaps, the offline edition.
May import the outputs (site, search, leaflets), weiquan.content and weiquan.zh. The MkDocs
adapter (weiquan_mkdocs) imports only this package.

The names below load on first use: worker processes and `weiquan build`'s own process import a
module of this package (background, publish) without the site engine's (about 1 s each)."""

import importlib

_HOMES = {"Build": "weiquan.build.engine", "BuildOptions": "weiquan.build.engine", "prepare": "weiquan.build.engine",
          "wait_for_handoff": "weiquan.build.engine", "ContentError": "weiquan.content.problems",
          "foreign_scripts": "weiquan.site.csp", "template_script_hashes": "weiquan.site.csp",
          "finish_page": "weiquan.site.pageoutput"}

__all__ = ["Build", "BuildOptions", "ContentError", "background", "finish_page", "foreign_scripts", "prepare",
           "preview", "template_script_hashes", "wait_for_handoff"]


def __getattr__(name: str):
    if name in ("background", "preview"):
        return importlib.import_module(f"{__name__}.{name}")
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = globals()[name] = getattr(importlib.import_module(home), name)
    return value
