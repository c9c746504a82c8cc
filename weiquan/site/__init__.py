"""Site output: pages (Markdown with HTML blocks), HTML helpers, CSP, page output, web-app icons, search documents.
Imports weiquan.content and weiquan.zh; engine-independent (the MkDocs adapter only hands these pages to MkDocs)."""

from __future__ import annotations

from pathlib import Path

from weiquan.content.library import Content
from weiquan.site.context import Page, SiteContext
from weiquan.site.forms import form_index, form_page
from weiquan.site.laws import law_pages
from weiquan.site.campaigns import campaign_index, campaign_page
from weiquan.site.pages import case_index, case_page, guide_index, guide_page, home_page
from weiquan.site.stations import station_pages

__all__ = ["Page", "SiteContext", "calendar_files", "generate_files", "generate_pages"]


def generate_pages(site: SiteContext) -> list[Page]:
    content: Content = site.content
    pages = [home_page(site)]
    pages += law_pages(site)
    pages.append(case_index(site))
    pages += [case_page(site, c) for c in content.cases]
    pages.append(guide_index(site))
    pages += [guide_page(site, g) for g in content.guides]
    pages.append(campaign_index(site))
    pages += [campaign_page(site, c) for c in content.campaigns]
    if content.forms:
        pages.append(form_index(site))
        pages += [form_page(site, f) for f in content.forms]
    pages += station_pages(site, content.divisions())
    return pages


def generate_files(site: SiteContext, cache_dir: Path | None = None, *, calendars: bool = True) -> dict[str, bytes]:
    """Files the site has besides its pages: {site path: bytes} (the calendars, the station
    finder's place names). ``cache_dir``: the build cache (calendars kept between builds);
    ``calendars=False``: without the calendars (`weiquan build` writes them in another process)."""
    from weiquan.site.finder import place_files
    return {**(calendar_files(site, cache_dir) if calendars else {}), **place_files(site)}


def calendar_files(site: SiteContext, cache_dir: Path | None = None) -> dict[str, bytes]:
    """The calendars (.ics): {site path: bytes}, kept in ``cache_dir`` between builds."""
    from weiquan.site.calendars import site_calendars
    return site_calendars(site).files(cache_dir / "calendars.pickle" if cache_dir else None)
