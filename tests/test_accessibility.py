"""Accessibility: axe-core on every page type, 大字 toggle, no sideways scrolling at 360 px.

axe-core comes from the PyPI package axe-playwright-python (it bundles axe.min.js); nothing is
downloaded at run time. The script is evaluated through the DevTools protocol, so the page's own
Content-Security-Policy stays in force."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser


def axe_source() -> str:
    try:
        import axe_playwright_python as axe
    except ImportError:
        message = "axe-core missing: pip install -e '.[test]' (axe-playwright-python)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return (Path(axe.__file__).parent / "axe.min.js").read_text(encoding="utf-8")


def first_page(site: Path, section: str) -> str:
    """URL path of the first generated page in a section (cases/<slug>/ …)."""
    for d in sorted((site / section).iterdir()):
        if (d / "index.html").exists():
            return f"{section}/{d.name}/"
    raise AssertionError(f"no page under {section}/")


def page_types(site: Path) -> dict[str, str]:
    county = next(p for p in sorted((site / "stations").rglob("index.html"))
                  if len(p.relative_to(site / "stations").parts) == 4)
    levels = county.relative_to(site).parts[:-1]
    article_page = next(p for p in sorted((site / "laws").rglob("index.html"))
                        if 'id="a23"' in p.read_text("utf-8") and p.parent.parent != site / "laws")
    return {
        "home": "",
        "laws": "laws/",
        "law": "laws/fan-jiating-baoli-fa/",
        "article": article_page.parent.relative_to(site).as_posix() + "/#a23",
        "cases": "cases/",
        "case": first_page(site, "cases"),
        "guide": first_page(site, "guides"),
        "stations": "stations/",
        "province": "/".join(levels[:2]) + "/",
        "city": "/".join(levels[:3]) + "/",
        "county": "/".join(levels) + "/",
        "campaign": first_page(site, "campaigns"),
        "safety": "safety/",
    }


SERIOUS = ("serious", "critical")


def run_axe(page, source: str) -> list[dict]:
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(source)
    result = page.evaluate("""() => axe.run(document, {resultTypes: ['violations']})
        .then(r => r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ' :: ' + n.failureSummary)})))""")
    return [v for v in result if v["impact"] in SERIOUS]


def test_axe_no_serious_or_critical_violation(page, site_server, example_site):
    source = axe_source()
    report = {}
    for name, path in page_types(example_site).items():
        for large in (False, True):
            page.goto(site_server + path, wait_until="load")
            if large:
                page.click("#wq-textsize")
            bad = run_axe(page, source)
            if bad:
                report[f"{name}{' 大字' if large else ''} ({path})"] = bad
            if large:
                page.click("#wq-textsize")
    assert not report, "\n".join(f"{k}: {v}" for k, v in report.items())


def test_no_sideways_scroll_at_360px_with_and_without_large_text(page, site_server, example_site):
    too_wide = {}
    for large in (False, True):
        page.goto(site_server, wait_until="load")
        page.evaluate(f"localStorage.{'setItem' if large else 'removeItem'}('wq-textsize', 'large')")
        for name, path in page_types(example_site).items():
            page.goto(site_server + path, wait_until="load")
            assert page.evaluate("document.documentElement.classList.contains('wq-large')") is large
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > 360:
                too_wide[f"{name}{' 大字' if large else ''}"] = width
    assert not too_wide, too_wide


def test_large_text_toggle_is_remembered_without_cookies(page, site_server):
    page.goto(site_server + "safety/", wait_until="load")
    button = page.locator("#wq-textsize")
    assert button.is_visible() and button.inner_text().strip() == "大字"
    assert button.get_attribute("aria-pressed") == "false"
    size = lambda: page.evaluate("parseFloat(getComputedStyle(document.querySelector('.md-content .md-typeset')).fontSize)")
    normal = size()
    button.click()
    assert button.get_attribute("aria-pressed") == "true"
    assert size() >= normal * 1.2
    page.goto(site_server + "laws/", wait_until="load")   # remembered on the next page
    assert page.locator("#wq-textsize").get_attribute("aria-pressed") == "true"
    assert page.evaluate("document.documentElement.classList.contains('wq-large')")
    page.locator("#wq-textsize").press("Enter")          # keyboard works too
    assert page.locator("#wq-textsize").get_attribute("aria-pressed") == "false"
    assert page.evaluate("localStorage.getItem('wq-textsize')") is None
    assert page.evaluate("document.cookie") == "" and page.context.cookies() == []


def test_exit_button_has_accessible_name_and_does_not_hide_page_end(page, site_server):
    page.goto(site_server + "laws/fan-jiating-baoli-fa/", wait_until="load")
    exit_link = page.get_by_role("link", name="一键离开")
    assert exit_link.count() == 1
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    page.wait_for_timeout(200)
    button = exit_link.bounding_box()
    last = page.evaluate("""() => { const els = document.querySelectorAll('.md-content .md-typeset > *');
        const r = els[els.length - 1].getBoundingClientRect(); return {bottom: r.bottom}; }""")
    assert last["bottom"] <= button["y"], "the end of the page is hidden under 一键离开"
