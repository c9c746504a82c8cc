"""The offline edition (zip opened from file://) and the installable web app."""

from __future__ import annotations

import json
import re
import zipfile
from urllib.parse import unquote, urlsplit

import pytest

from weiquan.build.offline import OPEN_ME, SITE_FOLDER

HOTLINES = ("12338", "110", "12348", "12355")
CSP_WATCH = ("window.__wqCsp = []; document.addEventListener('securitypolicyviolation',"
             " e => window.__wqCsp.push(e.violatedDirective + ' ' + e.blockedURI));")


# offline_zip, offline_dir: tests/conftest.py (shared with tests/test_read_aloud.py)


def test_zip_layout(offline_zip):
    with zipfile.ZipFile(offline_zip) as zf:
        names = set(zf.namelist())
        readme = zf.read("README.txt").decode("utf-8")
    assert {OPEN_ME, "README.txt", f"{SITE_FOLDER}/index.html", f"{SITE_FOLDER}/safety.html"} <= names
    assert f"{SITE_FOLDER}/laws/index.html" in names
    assert not [n for n in names if n.endswith((".map", "sw.js", ".webmanifest"))]
    assert not [n for n in names if n.endswith("/index.html") and n.count("/") > 1
                and n[:-len("/index.html")] + ".html" in names], "mixed directory URLs"
    assert OPEN_ME in readme and "110" in readme


def _local_links(html: str) -> list[str]:
    return [h for h in re.findall(r"""\b(?:href|src)="([^"]+)\"""", html)
            if not re.match(r"^(?:[a-z][a-z0-9+.-]*:|#|//)", h)]


def test_every_link_resolves_to_a_file_and_hotlines_everywhere(offline_dir):
    """From file:// a link to a folder shows a directory listing (or nothing): every local
    href/src of every page must name an existing file. Covers leaflets (PDF links) too."""
    site = offline_dir / SITE_FOLDER
    broken, pages = [], 0
    for page in site.rglob("*.html"):
        if page.name == "404.html":
            continue
        pages += 1
        html = page.read_text("utf-8")
        for n in HOTLINES:
            assert f'href="tel:{n}"' in html, (page, n)
        for link in _local_links(html):
            target = (page.parent / unquote(urlsplit(link).path)).resolve()
            if not target.is_file():
                broken.append(f"{page.relative_to(site)} -> {link}")
    assert pages > 100
    assert not broken, broken[:20]
    assert "fetch(" not in (site / "assets/javascripts/wq-safety.js").read_text("utf-8")


@pytest.mark.browser
def test_offline_site_from_file_url(page, offline_dir):
    """Open 打开我.html from file://, then go to the station directory, a county page with its
    stations and a law article by clicking links, as a person would."""
    requests, problems = [], []
    page.on("request", lambda r: requests.append(r.url))
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("console", lambda m: problems.append(m.text) if "Content Security Policy" in m.text else None)
    page.add_init_script(CSP_WATCH)

    page.goto((offline_dir / OPEN_ME).as_uri(), wait_until="load")
    page.wait_for_url("**/site/index.html")
    assert page.locator("h1").first.inner_text()
    tels = page.eval_on_selector_all('a[href^="tel:"]', "els => els.map(e => e.getAttribute('href'))")
    assert all(f"tel:{n}" in tels for n in HOTLINES)

    # Station directory: nav → (province → city, skipped when each has one choice) → county,
    # then a station on the county page.
    page.locator(".md-content a[href$='stations/index.html'], .md-nav a[href$='stations/index.html']").first \
        .evaluate("a => a.click()")
    page.wait_for_url("**/stations/index.html")
    for _ in range(3):
        if page.locator(".wq-station").count():
            break
        before = page.url
        page.locator(".md-content a[href$='.html']:not([href*='..'])").first.click()
        page.wait_for_load_state("load")
        assert page.url != before and page.url.startswith("file://")
    assert page.locator(".wq-station").count() > 0, "county page lists its stations"
    assert page.locator(".wq-station a[href^='tel:']").count() > 0

    # A law article.
    page.goto((offline_dir / SITE_FOLDER / "index.html").as_uri(), wait_until="load")
    page.locator(".md-content a[href='laws/index.html']").first.click()
    page.wait_for_url("**/laws/index.html")
    page.locator(".md-content a[href*='fan-jiating-baoli-fa']").first.click()
    page.wait_for_load_state("load")
    assert "fan-jiating-baoli-fa" in page.url and page.url.endswith(".html")
    assert page.locator("#a23").count() == 1
    assert page.evaluate("window.__wqCsp") == []

    # 一键离开 and 大字 work from file:// too.
    page.route("https://www.weather.com.cn/**", lambda route: route.fulfill(body="<p>天气</p>",
                                                                           content_type="text/html"))
    page.locator("#wq-textsize").click()
    assert page.evaluate("document.documentElement.classList.contains('wq-large')")
    page.locator("#wq-exit").click()
    page.wait_for_url("https://www.weather.com.cn/")

    assert not problems, problems
    local = [u for u in requests if not u.startswith(("file://", "data:", "https://www.weather.com.cn/"))]
    assert not local, local[:10]
    assert not [u for u in requests if "manifest.webmanifest" in u or u.endswith("sw.js")]


@pytest.mark.browser
def test_offline_station_finder_jumps_to_a_township(page, offline_dir):
    """The finder at the top of the directory, from file://: type a township, open its stations."""
    page.goto((offline_dir / SITE_FOLDER / "stations" / "index.html").as_uri(), wait_until="load")
    page.fill("#wq-finder-input", "石桥")
    result = page.locator("#wq-finder-results a").first
    result.wait_for(timeout=5000)
    assert result.inner_text() == "石桥镇"
    result.click()
    page.wait_for_load_state("load")
    assert page.url.startswith("file://") and page.url.endswith(".html#t990101006")
    assert page.locator("#t990101006").count() == 1
    assert page.locator(".wq-station a[href^='tel:']").count() > 0


@pytest.mark.browser
def test_offline_search_finds_station_and_law_article(page, offline_dir):
    """Search from file:// (header search box, loaded with <script src>)."""
    page.goto((offline_dir / SITE_FOLDER / "index.html").as_uri(), wait_until="load")
    box = page.locator("input[type=search]")
    assert box.count() > 0, "the header search box (wq-search) is missing"
    box.first.fill("12338")
    page.wait_for_timeout(300)
    box.first.fill("人身安全保护令")
    page.locator(".wq-result a[href*='laws/']").first.wait_for(timeout=5000)
    box.first.fill("城关镇")
    page.locator(".wq-result a[href*='stations/']").first.wait_for(timeout=5000)


# --- installable web app (over http) ----------------------------------------------------------

def test_manifest_and_icons(example_site):
    manifest = json.loads((example_site / "manifest.webmanifest").read_text("utf-8"))
    assert manifest["start_url"] == "./" and manifest["display"] == "standalone"
    sizes = {i["sizes"] for i in manifest["icons"]}
    assert {"192x192", "512x512"} <= sizes
    for icon in manifest["icons"]:
        data = (example_site / icon["src"]).read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n"
        w, h = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
        assert f"{w}x{h}" == icon["sizes"]
    sw = (example_site / "sw.js").read_text("utf-8")
    assert "self.location.origin" in sw


@pytest.mark.browser
def test_service_worker_keeps_visited_pages_offline(browser, site_server):
    context = browser.new_context(viewport={"width": 360, "height": 740})
    try:
        page = context.new_page()
        page.goto(site_server, wait_until="load")
        assert page.locator("link[rel=manifest]").count() == 1
        assert page.evaluate("navigator.serviceWorker.ready.then(r => !!r.active)")
        page.reload(wait_until="load")                       # now controlled by the worker
        assert page.evaluate("!!navigator.serviceWorker.controller")
        # the reader loaded only on demand (朗读) is saved at install, so it works offline later
        assert page.evaluate("caches.match(new URL('assets/javascripts/wq-read.js', location.href).href)"
                             ".then(r => !!r)")
        page.goto(site_server + "safety/", wait_until="load")
        page.goto(site_server, wait_until="load")
        context.set_offline(True)
        page.goto(site_server + "safety/", wait_until="load")  # visited: from the cache
        assert "安全浏览" in page.locator("h1").first.inner_text()
        page.goto(site_server + "cases/", wait_until="load")   # never visited: offline notice
        assert "没有网络" in page.content() and "tel:110" in page.content()
        context.set_offline(False)
    finally:
        context.close()
