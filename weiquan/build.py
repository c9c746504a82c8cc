"""The build as the site engine sees it: load + validate content, then generate pages.
Engine adapters (hooks/weiquan_hooks.py for MkDocs) call only this module."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .content import Content
from .loader import load_content
from .site import Page, SiteContext, generate_pages


@dataclass
class BuildOptions:
    content_dir: Path
    site_url: str = ""
    use_directory_urls: bool = True


@dataclass
class Build:
    options: BuildOptions
    content: Content
    site: SiteContext
    pages: list[Page] = field(default_factory=list)

    def template_data(self) -> dict:
        """Plain data the page templates show on every page (hotline bar)."""
        s = self.content.settings
        return {"name": s.name, "region": s.region,
                "hotlines": [{"number": h.number, "label": h.label, "tel": "tel:" + h.number}
                             for h in s.hotlines]}


def prepare(options: BuildOptions) -> Build:
    """Load and validate content (raises ContentError) and generate every page."""
    content = load_content(options.content_dir)
    site = SiteContext(content, use_directory_urls=options.use_directory_urls, site_url=options.site_url)
    build = Build(options, content, site)
    build.pages = generate_pages(site)
    return build
