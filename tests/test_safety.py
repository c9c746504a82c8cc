"""Safety and privacy: quick exit, no third parties (CSP, no other hosts, no cookies), hotlines.

Browser tests drive Debian's Chromium; the exit URL is answered locally (no real network)."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

from conftest import ROOT
from weiquan.site.csp import inline_scripts, script_hash

HOTLINES = ("12338", "110", "12348", "12355")
EXIT_URL = "https://www.weather.com.cn/"
NEUTRAL = "<!doctype html><html><head><title>天气</title></head><body><h1>天气预报</h1></body></html>"
LAW_PAGE = "laws/fan-jiating-baoli-fa/"
CSP_WATCH = ("window.__wqCsp = []; document.addEventListener('securitypolicyviolation',"
             " e => window.__wqCsp.push(e.violatedDirective + ' ' + e.blockedURI));")


def site_pages(site: Path) -> list[str]:
    """Every built page as a URL path relative to the site root (not go.html, the neutral page
    一键离开 leaves in history: it only forwards to the exit site)."""
    out = []
    for p in sorted(site.rglob("*.html")):
        rel = p.relative_to(site).as_posix()
        if rel == "go.html":
            continue
        out.append(rel[: -len("index.html")] if rel.endswith("index.html") else rel)
    return out


def mkdocs_extra() -> dict:
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    return yaml.load(text, Loader=yaml.BaseLoader)["extra"]["weiquan"]


def route_exit(page) -> None:
    page.route(EXIT_URL + "**", lambda route: route.fulfill(status=200, content_type="text/html; charset=utf-8",
                                                            body=NEUTRAL))


# --- static checks on the built example site -------------------------------------------------

def test_csp_meta_on_every_page_and_covers_inline_scripts(example_site):
    meta = re.compile(r'<head[^>]*><meta http-equiv="Content-Security-Policy" content="([^"]+)">')
    for rel in site_pages(example_site):
        html = (example_site / (rel + "index.html" if rel.endswith("/") or rel == "" else rel)).read_text("utf-8")
        m = meta.search(html)
        assert m, f"{rel}: no CSP meta first in <head>"
        csp = m.group(1)
        assert "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp, rel
        assert "http" not in csp and "default-src 'self'" in csp, "the policy must name no host"
        assert all(script_hash(b) in csp for b in inline_scripts(html)), f"{rel}: inline script not allowed"


def test_exit_link_and_hotlines_in_html_of_every_page(example_site):
    for rel in site_pages(example_site):
        path = example_site / (rel + "index.html" if rel.endswith("/") or rel == "" else rel)
        html = path.read_text("utf-8")
        assert f'id="wq-exit" href="{EXIT_URL}"' in html, rel
        for n in HOTLINES:
            assert f'href="tel:{n}"' in html, (rel, n)


def test_no_external_urls_loaded_by_markup(example_site):
    """src= / <link href> / CSS url() never point at another host (links to read are fine)."""
    loads = re.compile(r"""(?:\bsrc=|<link\b[^>]*\bhref=)["'](?:https?:)?//""", re.I)
    for p in example_site.rglob("*.html"):
        text = p.read_text("utf-8")
        bad = [m.group(0) for m in loads.finditer(text) if "rel=\"canonical\"" not in text[m.start() - 80:m.end()]]
        assert not bad, (p, bad)
    for p in example_site.rglob("*.css"):
        assert not re.search(r"url\(\s*[\"']?(?:https?:)?//", p.read_text("utf-8")), p


# --- real Chromium ----------------------------------------------------------------------------

@pytest.mark.browser
def test_crawl_every_page_no_other_host_no_csp_error_no_cookies(page, site_server, example_site):
    """Every built page: zero requests to another host, no CSP violation, no JS error,
    all four hotlines as tel: links, no cookies."""
    requests: list[str] = []
    problems: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}")
            if "Content Security Policy" in m.text else None)
    page.on("pageerror", lambda e: problems.append(f"pageerror: {e}"))
    page.add_init_script(CSP_WATCH)
    pages = [p for p in site_pages(example_site) if p != "404.html"]
    assert len(pages) > 100
    for rel in pages:
        before = len(problems)
        page.goto(site_server + rel, wait_until="load")
        violations = page.evaluate("window.__wqCsp")
        assert not violations, (rel, violations)
        tels = page.eval_on_selector_all('a[href^="tel:"]', "els => els.map(e => e.getAttribute('href'))")
        for n in HOTLINES:
            assert f"tel:{n}" in tels, (rel, n)
        assert page.evaluate("document.cookie") == "", rel
        assert len(problems) == before, (rel, problems[before:])
    others = [u for u in requests if urlsplit(u).scheme in ("http", "https", "ws", "wss")
              and urlsplit(u).hostname != "127.0.0.1"]
    assert not others, others[:20]
    assert not [u for u in requests if urlsplit(u).scheme not in ("http", "https", "data", "blob")]
    assert page.context.cookies() == []


@pytest.mark.browser
def test_site_works_under_csp(page, site_server):
    """Material's own scripts and ours still run under the policy: drawer, TOC, search box, 大字."""
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if "Content Security Policy" in m.text else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.add_init_script(CSP_WATCH)
    page.goto(site_server + LAW_PAGE, wait_until="load")
    page.click("label.md-header__button[for=__drawer]")   # plain HTML/CSS: no theme script needed
    page.wait_for_function("document.getElementById('__drawer').checked")
    page.keyboard.press("Escape")
    page.goto(site_server + LAW_PAGE + "#a23", wait_until="load")
    page.locator("#wq-textsize").click()
    assert page.locator("html.wq-large").count() == 1
    search = page.locator("input[type=search]")
    if search.count():
        search.first.fill("家庭暴力")
        page.wait_for_timeout(500)
    assert page.evaluate("window.__wqCsp") == []
    assert not problems, problems


@pytest.mark.browser
def test_exit_button_blanks_page_and_back_does_not_return(page, site_server):
    route_exit(page)
    page.goto(site_server, wait_until="load")
    page.goto(site_server + LAW_PAGE, wait_until="load")
    button = page.locator("#wq-exit")
    assert button.is_visible() and button.inner_text().strip() == "一键离开"
    box = button.bounding_box()
    assert box["width"] >= 44 and box["height"] >= 44
    # Right after the click, before the neutral page arrives, nothing of this site is visible.
    state = page.evaluate("""() => { document.getElementById('wq-exit').click();
        return [getComputedStyle(document.body).display, getComputedStyle(document.documentElement).visibility,
                document.title]; }""")
    assert state == ["none", "hidden", ""]
    page.wait_for_url(EXIT_URL)
    assert "天气预报" in page.content()
    page.go_back(wait_until="load")
    page.wait_for_url(EXIT_URL)   # Back meets a neutral entry (go.html), which forwards again
    assert page.url != site_server + LAW_PAGE, "Back must not return to the page that was left"


@pytest.mark.browser
def test_shift_three_times_leaves(page, site_server):
    route_exit(page)
    page.goto(site_server + "stations/", wait_until="load")
    page.keyboard.press("Shift")
    page.keyboard.press("Shift")
    page.wait_for_timeout(300)
    assert page.url == site_server + "stations/", "two presses must not leave"
    page.keyboard.press("Shift")
    page.wait_for_url(EXIT_URL)
    page.go_back(wait_until="load")
    assert page.url != site_server + "stations/"


@pytest.mark.browser
def test_exit_reached_early_with_tab_and_enter_leaves(page, site_server):
    route_exit(page)
    page.goto(site_server + "cases/", wait_until="load")
    for presses in range(1, 4):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement && document.activeElement.id") == "wq-exit":
            break
    else:
        pytest.fail("一键离开 is not among the first three focusable elements")
    page.keyboard.press("Enter")
    page.wait_for_url(EXIT_URL)


def render_exit(extra: dict) -> str:
    import jinja2
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(ROOT / "overrides")))
    return env.get_template("partials/wq-exit.html").render(config={"extra": extra})


def test_exit_url_is_configurable():
    """extra.weiquan.exit_url in mkdocs.yml decides where 一键离开 goes; default weather.com.cn."""
    assert 'href="https://www.baidu.com/"' in render_exit({"weiquan": {"exit_url": "https://www.baidu.com/"}})
    assert f'href="{EXIT_URL}"' in render_exit({"weiquan": {}})
    assert f'href="{EXIT_URL}"' in render_exit({})
    assert mkdocs_extra()["exit_url"] == EXIT_URL


SAVED = """async () => {   // what this site keeps in the browser, read from a page that runs no script of ours
    const out = {caches: {}, local: {}, workers: 0};
    for (const name of await caches.keys()) {
        out.caches[name] = (await (await caches.open(name)).keys()).map(r => r.url);
    }
    for (let i = 0; i < localStorage.length; i++) out.local[localStorage.key(i)] = localStorage.getItem(localStorage.key(i));
    out.workers = (await navigator.serviceWorker.getRegistrations()).length;
    return out;
}"""


@pytest.mark.browser
def test_exit_leaves_no_saved_pages_or_preferences(browser, site_server):
    """After 一键离开 the site's CacheStorage, service worker and 大字/拼音 preferences are gone;
    only the browser's history remains (the 安全浏览 page says so)."""
    context = browser.new_context(viewport={"width": 360, "height": 740})
    try:
        page = context.new_page()
        route_exit(page)
        page.goto(site_server, wait_until="load")
        page.evaluate("navigator.serviceWorker.ready")
        page.reload(wait_until="load")                        # controlled by the worker from now on
        page.goto(site_server + "guides/jiabao-zenmeban/", wait_until="load")
        page.goto(site_server + "forms/baohuling/", wait_until="load")
        page.click("#wq-textsize")                            # 大字 on: remembered
        before = page.evaluate(SAVED)
        saved = [u for urls in before["caches"].values() for u in urls]
        assert any("guides/jiabao-zenmeban" in u for u in saved) and any("forms/baohuling" in u for u in saved)
        assert any(k.startswith("wq") for k in before["local"]) and before["workers"] == 1
        page.click("#wq-exit")
        page.wait_for_url(EXIT_URL)
        probe = context.new_page()                            # same origin, none of our scripts
        probe.goto(site_server + "manifest.webmanifest", wait_until="load")
        after = None
        for _ in range(50):                                   # the worker finishes after the page left
            after = probe.evaluate(SAVED)
            if not after["caches"] and after["workers"] == 0:
                break
            probe.wait_for_timeout(100)
        assert after["caches"] == {} and after["workers"] == 0, after
        assert not [k for k in after["local"] if k.startswith("wq")], after
    finally:
        context.close()
