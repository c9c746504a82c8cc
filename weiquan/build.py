"""The build as the site engine sees it: load + validate content, then generate pages.
Engine adapters (hooks/weiquan_hooks.py for MkDocs) call only this module."""

from __future__ import annotations

import functools
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

    def write_pinyin(self, site_dir: Path, src_uri: str, dest_uri: str, content_html: str) -> str:
        """Write the page's pinyin payload next to it; return its file name for the page's meta tag.
        Loaded only when the reader turns the 拼音 toggle on."""
        from .reading import page_payload
        readings = self.readings_by_src.get(src_uri) or None
        name = Path(dest_uri).stem + ".pinyin.js"
        target = site_dir / Path(dest_uri).parent / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page_payload(content_html, self.content.pinyin, extra=readings), encoding="utf-8")
        return name

    @functools.cached_property
    def readings_by_src(self) -> dict[str, dict]:
        return {p.src: p.readings for p in self.pages if p.readings}

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
