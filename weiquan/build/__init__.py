"""Orchestration only: one build, previews, background workers, atomic swaps, the offline edition.
May import the outputs (site, search, leaflets), weiquan.content and weiquan.zh. The MkDocs hook imports only this package."""

from weiquan.build import background
from weiquan.build.engine import CHECKED_CONTENT_ENV, BuildOptions, prepare
from weiquan.build.preview import REUSE, plan
from weiquan.content.problems import ContentError
from weiquan.site.csp import foreign_scripts, template_script_hashes
from weiquan.site.pageoutput import finish_page

__all__ = ["CHECKED_CONTENT_ENV", "BuildOptions", "ContentError", "REUSE", "background", "finish_page",
           "foreign_scripts", "plan", "prepare", "template_script_hashes"]
