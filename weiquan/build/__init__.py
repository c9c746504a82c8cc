"""Orchestration only: one build, previews, background workers, atomic swaps, the offline edition.
May import the outputs (site, search, leaflets), weiquan.content and weiquan.zh. The MkDocs
adapter (weiquan_mkdocs) imports only this package."""

from weiquan.build import background, preview
from weiquan.build.engine import Build, BuildOptions, prepare
from weiquan.content.problems import ContentError
from weiquan.site.csp import foreign_scripts, template_script_hashes
from weiquan.site.pageoutput import finish_page

__all__ = ["Build", "BuildOptions", "ContentError", "background", "finish_page", "foreign_scripts", "prepare",
           "preview", "template_script_hashes"]
