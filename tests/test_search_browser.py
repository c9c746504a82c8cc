"""The header search box on the built example site, in real Chromium: every query form finds
the expected entry in the top 5, and nothing is downloaded before the box is used."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

CASES = [
    # (query, expected result URL fragment, what the result is)
    ("暴力", "laws/fan-jiating-baoli-fa/", "word inside a longer one (家庭暴力)"),
    ("jiatingbaoli", "fan-jiating-baoli-fa", "full pinyin"),
    ("jia ting bao li", "fan-jiating-baoli-fa", "full pinyin with spaces"),
    ("jiātíng bàolì", "fan-jiating-baoli-fa", "pinyin with tone marks"),
    ("funv quanyi", "laws/funv-quanyi-baozhang-fa/", "v for ü"),
    ("funüquanyi", "laws/funv-quanyi-baozhang-fa/", "ü"),
    ("jtbl", "fan-jiating-baoli-fa", "initials"),
    ("rsaqbhl", "renshen-anquan-baohuling-guiding", "initials of 人身安全保护令"),
    ("人身aqbhl", "baohuling", "mixed hanzi + initials"),
    ("jiating暴力", "fan-jiating-baoli-fa", "mixed pinyin + hanzi"),
    ("婦女權益", "laws/funv-quanyi-baozhang-fa/", "traditional characters"),
    ("保護令", "baohuling", "traditional characters"),
    ("反家暴法", "laws/fan-jiating-baoli-fa/", "law alias"),
    ("妇女法", "laws/funv-quanyi-baozhang-fa/", "law alias"),
    ("反家暴法 第23条", "laws/fan-jiating-baoli-fa/#a23", "article number"),
    ("反家暴法 23条", "laws/fan-jiating-baoli-fa/#a23", "article number"),
    ("东河镇", "stations/99/9901/990101/#donghe", "station by township"),
    ("庇护中心", "#bihu-zhongxin", "station by name"),
    ("三八维权周", "campaigns/sanba-2027/", "campaign"),
    ("告诫书", "cases/gaojieshu/", "case"),
]


def search(page, query: str) -> list[str]:
    box = page.locator("input[type=search]")
    box.fill("")
    box.type(query, delay=20)
    # the results shown are this query's once the client says its last finished run was for it
    # (the links of the previous query stay on screen until then: on a busy machine, long enough
    # to be read as this query's)
    page.wait_for_function(
        "q => window.wqSearch && window.wqSearch.stats && window.wqSearch.stats.q === q"
        " && document.querySelectorAll('a.wq-result__link').length"
        " && document.querySelector('input[type=search]').value === q", arg=query, timeout=15000)
    return page.eval_on_selector_all("a.wq-result__link", "els => els.slice(0, 5).map(e => e.getAttribute('href'))")


@pytest.fixture(scope="module")
def search_page(browser, site_server):
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto(site_server + "laws/")
    yield page
    context.close()


@pytest.mark.parametrize("query,expected,form", CASES, ids=[c[0] for c in CASES])
def test_query_form_finds_entry_in_top5(search_page, query, expected, form):
    hrefs = search(search_page, query)
    assert any(expected in h for h in hrefs), f"{form}: {query!r} → {hrefs}"


def test_exact_article_ranks_first(search_page):
    assert search(search_page, "反家暴法 23条")[0].endswith("laws/fan-jiating-baoli-fa/#a23")


def test_no_search_bytes_before_typing(browser, site_server):
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    seen = []
    page.on("request", lambda r: seen.append(r.url) if "/search/" in r.url else None)
    page.goto(site_server)
    page.wait_for_load_state("load")
    assert seen == []
    page.locator("input[type=search]").focus()
    page.wait_for_timeout(500)
    assert any(u.endswith("/search/manifest.js") for u in seen)
    context.close()
