"""Issue 16, the phone experience of someone in danger, in real Chromium on the phone profile
(360×740, touch, CPU slowed 4× through the DevTools protocol): a call control at every scroll
position, tel: links in text, a home page led by need, the station finder, the quick exit and
Back, the pinyin aid (ruby per character), and what the built site ships (theme CSS subset,
precompressed copies)."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import pytest

from conftest import FIXTURE_CONTENT, example_content

EXIT_URL = "https://www.weather.com.cn/"
NEUTRAL = "<!doctype html><html><head><title>天气</title></head><body><h1>天气预报</h1></body></html>"
DOCK = "nav.wq-dock"
TOPIC_LABELS = ("家暴", "保护令", "离婚和孩子", "工作和怀孕", "孩子受到伤害", "找服务站")


@pytest.fixture()
def phone(browser):
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True,
                                  service_workers="block")
    pg = context.new_page()
    context.new_cdp_session(pg).send("Emulation.setCPUThrottlingRate", {"rate": 4})
    pg.route(EXIT_URL + "**", lambda route: route.fulfill(status=200, content_type="text/html; charset=utf-8",
                                                          body=NEUTRAL))
    yield pg
    context.close()


@pytest.fixture()
def phone_unthrottled(browser):
    """The phone's screen without the CPU slow-down: for axe-core (slow itself) and for history
    (a DevTools session does not survive the cross-site navigation to the exit site)."""
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True,
                                  service_workers="block")
    pg = context.new_page()
    pg.route(EXIT_URL + "**", lambda route: route.fulfill(status=200, content_type="text/html; charset=utf-8",
                                                          body=NEUTRAL))
    yield pg
    context.close()


def hotline_numbers() -> list[str]:
    import yaml
    data = yaml.safe_load((FIXTURE_CONTENT / "site.yaml").read_text(encoding="utf-8"))
    return [str(h["number"]) for h in data["hotlines"]]


def longest_law_page(site: Path) -> str:
    page = max((site / "laws").rglob("index.html"), key=lambda p: p.stat().st_size)
    return page.parent.relative_to(site).as_posix() + "/"


def box(page, selector: str) -> dict:
    return page.eval_on_selector(selector, "e => { const r = e.getBoundingClientRect();"
                                           " return {left: r.left, top: r.top, right: r.right, bottom: r.bottom}; }")


def overlaps(a: dict, b: dict) -> bool:
    return a["left"] < b["right"] and b["left"] < a["right"] and a["top"] < b["bottom"] and b["top"] < a["bottom"]


# ---- 1. help one tap away --------------------------------------------------------------------

@pytest.mark.browser
def test_call_control_visible_at_the_bottom_of_the_longest_law_page(phone, site_server, example_site):
    path = longest_law_page(example_site)
    phone.goto(site_server + path, wait_until="load")
    for y in (800, 5000, "document.documentElement.scrollHeight"):
        phone.evaluate(f"window.scrollTo(0, {y})")
        phone.wait_for_timeout(150)
        for number in ("110", "12338"):
            sel = f'{DOCK} a[href="tel:{number}"]'
            b = box(phone, sel)
            assert 0 <= b["top"] and b["bottom"] <= 740 and b["right"] <= 360, (path, y, number, b)
            assert b["bottom"] - b["top"] >= 44 and b["right"] - b["left"] >= 44, "tap target too small"
            # really on top: nothing covers the call button, and it does not cover 一键离开
            hit = phone.evaluate(f"""() => {{ const r = document.querySelector('{sel}').getBoundingClientRect();
                const e = document.elementFromPoint((r.left + r.right) / 2, (r.top + r.bottom) / 2);
                return !!(e && e.closest('{sel}')); }}""")
            assert hit, (path, number, "covered")
            assert not overlaps(b, box(phone, "#wq-exit")), "the call control covers 一键离开"
        assert phone.evaluate("""() => { const r = document.getElementById('wq-exit').getBoundingClientRect();
            const e = document.elementFromPoint((r.left + r.right) / 2, (r.top + r.bottom) / 2);
            return !!(e && e.closest('#wq-exit')); }"""), "一键离开 is covered"
    # at the very end the last text of the page is above the bar, not under it
    last = phone.evaluate("""() => { const els = document.querySelectorAll('.md-content .md-typeset > *');
        return els[els.length - 1].getBoundingClientRect().bottom; }""")
    assert last <= box(phone, ".wq-float")["top"] + 1


@pytest.mark.browser
def test_every_hotline_number_in_guide_text_is_a_tel_link(phone, site_server, example_site):
    numbers = hotline_numbers()
    guides = sorted(p.parent.name for p in (example_site / "guides").glob("*/index.html"))
    assert len(guides) >= 10
    linked_total = 0
    for slug in guides:
        phone.goto(site_server + f"guides/{slug}/", wait_until="domcontentloaded")
        result = phone.evaluate("""(numbers) => {
            const article = document.querySelector('article.md-content__inner');
            const walker = document.createTreeWalker(article, NodeFilter.SHOW_TEXT);
            const plain = [];
            const re = new RegExp('(^|[^0-9])(' + numbers.join('|') + ')(?![0-9])');
            for (let n = walker.nextNode(); n; n = walker.nextNode()) {
              if (n.parentElement.closest('a[href^="tel:"], script, code')) continue;
              const m = re.exec(n.textContent);
              if (m) plain.push(n.textContent.trim().slice(0, 60));
            }
            const links = [...article.querySelectorAll('a[href^="tel:"]')]
              .filter(a => a.getAttribute('href') === 'tel:' + a.textContent.replace(/[^0-9]/g, ''));
            return {plain, links: links.length};
        }""", numbers)
        assert result["plain"] == [], (slug, result["plain"])
        linked_total += result["links"]
    assert linked_total >= 10, "the guides mention hotlines; they must be links"


def test_phone_linker_keeps_urls_attributes_and_amounts():
    from weiquan.site.phonelinks import PhoneLinker
    link = PhoneLinker(["110", "12338"]).markup
    assert link("马上拨打110报警") == '马上拨打<a class="wq-tel-inline" href="tel:110">110</a>报警'
    for kept in ("罚款110元", "第110条", "[110](tel:110)", "<a href=\"tel:110\">110</a>", "https://x.cn/110/",
                 "`110`", "{#s110}", "21103", "1100", '<p title="110">'):
        assert link(kept) == kept, kept
    assert 'href="tel:09991234567">0999-1234567<' in link("电话 0999-1234567")
    assert link("<b>12338</b>") == '<b><a class="wq-tel-inline" href="tel:12338">12338</a></b>'


# ---- 2. home page led by need -----------------------------------------------------------------

@pytest.mark.browser
def test_home_first_screen_has_danger_help_hotline_and_topics(phone, site_server, example_site):
    phone.goto(site_server, wait_until="load")
    first_screen = 740 - (box(phone, ".wq-float")["bottom"] - box(phone, ".wq-float")["top"])
    for sel in ('.wq-urgent a[href="tel:110"]', '.wq-urgent a[href="tel:12338"]'):
        b = box(phone, sel)
        assert b["bottom"] <= first_screen and b["bottom"] - b["top"] >= 44, (sel, b)
    tiles = phone.eval_on_selector_all("a.wq-tile", """els => els.map(e => { const r = e.getBoundingClientRect();
        return {label: e.textContent.trim(), href: e.href, top: r.top, bottom: r.bottom, h: r.height, w: r.width}; })""")
    labels = [t["label"] for t in tiles]
    for label in TOPIC_LABELS:
        assert label in labels, (label, labels)
    for t in tiles:
        assert t["bottom"] <= first_screen, f"topic {t['label']} is below the first screen ({t['bottom']:.0f} px)"
        assert t["h"] >= 44 and t["w"] >= 88, t
    # each tile leads to a guide, the guide list of its topic, or the station directory
    for t in tiles:
        assert re.search(r"/(guides/[a-z0-9-]+/|guides/#[\w-]+|stations/)$", t["href"]), t


def test_topics_grouped_by_first_topic_and_in_the_menu(example_site):
    from weiquan.content.loader import load_content
    from weiquan.site.topics import guide_groups
    content = load_content(example_content())
    from weiquan.content.topics import GROUPS
    groups = guide_groups(content.guides)
    by_topic = {t: label for _, label, topics in GROUPS for t in topics}
    for g in content.guides:   # each guide in exactly one group: the one of its first topic
        owners = [gr for gr in groups if g in gr.guides]
        assert len(owners) == 1 and owners[0].label == by_topic.get(g.meta.topics[0], g.meta.topics[0]), g.slug
    assert sum(len(gr.guides) for gr in groups) == len(content.guides)
    # the menu is pruned (mkdocs.yml navigation.prune): elsewhere 我该怎么办 is one link to the
    # guide index, which lists every guide; a guide's own menu shows the groups
    home = (example_site / "index.html").read_text(encoding="utf-8")
    nav = home[home.index('class="md-nav md-nav--primary"'):]
    assert re.search(r'<a href="guides/" class="md-nav__link">\s*<span class="md-ellipsis">\s*我该怎么办', nav)
    guide = (example_site / "guides" / "jiabao-zenmeban" / "index.html").read_text(encoding="utf-8")
    nav = guide[guide.index('class="md-nav md-nav--primary"'):]
    for label in ("我该怎么办", "全部指南", "家暴", "保护令", "离婚和孩子", "工作和怀孕", "孩子受到伤害"):
        assert f">{label}<" in re.sub(r"\s+", "", nav) or label in nav, label
    index = (example_site / "guides" / "index.html").read_text(encoding="utf-8")
    assert 'id="jiabao"' in index and 'id="lihun"' in index
    article = index[index.index("<article"):index.index("</article>")]
    for g in content.guides:
        assert f'href="{g.slug}/"' in article, g.slug


# ---- 3. station finder ------------------------------------------------------------------------

def test_directory_skips_single_choice_levels_and_county_lists_townships(example_site):
    index = (example_site / "stations" / "index.html").read_text(encoding="utf-8")
    assert 'href="99/9901/990101/"' in index, "示例省 → 示例市 → 示例县 should be one link"
    assert 'class="wq-finder"' in index
    county = (example_site / "stations" / "99" / "9901" / "990101" / "index.html").read_text(encoding="utf-8")
    jumps = re.findall(r'<nav class="wq-townships".*?</nav>', county, re.S)
    assert jumps and jumps[0].count('href="#t') >= 10
    for anchor in re.findall(r'href="#(t\d+)"', jumps[0]):
        assert f'id="{anchor}"' in county
    # every station card shows its call button and address without expanding anything
    for card in re.findall(r'<section class="wq-station".*?</section>', county, re.S):
        assert 'href="tel:' in card and "<dt>地址</dt>" in card and "<details" not in card


@pytest.mark.browser
def test_station_finder_finds_a_township_from_file_url(phone, example_site):
    phone.goto((example_site / "stations" / "index.html").as_uri(), wait_until="load")
    phone.fill("#wq-finder-input", "石桥")
    phone.wait_for_selector("#wq-finder-results a")
    first = phone.locator("#wq-finder-results a").first
    assert first.inner_text() == "石桥镇"
    assert first.get_attribute("href").endswith("#t990101006")
    phone.fill("#wq-finder-input", "不存在的地方")
    phone.wait_for_function("document.getElementById('wq-finder-status').textContent.includes('没有找到')")


# ---- 4. quick exit and Back -------------------------------------------------------------------

@pytest.mark.browser
def test_back_after_exit_lands_on_the_neutral_page(phone_unthrottled, site_server, report):
    """home → guide → guide → 一键离开 → Back: what Chromium shows (printed in the summary)."""
    phone = phone_unthrottled
    phone.goto(site_server, wait_until="load")
    phone.goto(site_server + "guides/jiabao-zenmeban/", wait_until="load")
    phone.goto(site_server + "guides/baohuling/", wait_until="load")
    phone.locator("#wq-exit").click()
    phone.wait_for_url(EXIT_URL)
    shown = []
    for _ in range(6):
        phone.go_back(wait_until="load")
        phone.wait_for_timeout(300)
        shown.append(phone.url.replace(site_server, "/"))
        if phone.url.startswith(site_server) and "go.html" not in phone.url:
            break
    report("Back after home → guide → guide → 一键离开 (Chromium): " + " → ".join(shown))
    site_pages = [u for u in shown[:4] if u.startswith("/") and "go.html" not in u]
    assert not site_pages, f"the first Backs show a site page: {shown}"


# ---- 5. pinyin aid ----------------------------------------------------------------------------

RUBY_CHECK = """() => {
  const out = {n: 0, bad: [], minFont: 99};
  for (const ruby of [...document.querySelectorAll('article ruby')].slice(0, 400)) {
    const rt = ruby.querySelector('rt');
    const text = [...ruby.childNodes].find(n => n.nodeType === 3);
    if (!rt || !text) continue;
    const range = document.createRange();
    range.selectNodeContents(text);
    const base = range.getBoundingClientRect(), r = rt.getBoundingClientRect();
    if (!base.width || !r.width) continue;
    out.n++;
    out.minFont = Math.min(out.minFont, parseFloat(getComputedStyle(rt).fontSize));
    const centre = (r.left + r.right) / 2, baseCentre = (base.left + base.right) / 2;
    if (centre < base.left || centre > base.right || Math.abs(centre - baseCentre) > 1.5
        || r.left < base.left - 0.5 || r.right > base.right + 0.5
        // above the character: no lower than the top of its em box (the line box adds ascent)
        || r.bottom > base.top + 0.4 * parseFloat(getComputedStyle(ruby).fontSize))
      out.bad.push([text.textContent, rt.textContent, base.left, base.right, r.left, r.right]);
  }
  return out;
}"""


@pytest.mark.browser
@pytest.mark.parametrize("large", [False, True])
def test_ruby_per_character_centred_and_at_least_12px(phone, site_server, large):
    phone.goto(site_server + "guides/jiabao-zenmeban/", wait_until="load")
    if large:
        phone.click("#wq-textsize")
    phone.click("button.wq-pinyin-toggle")
    phone.wait_for_selector("article ruby rt")
    result = phone.evaluate(RUBY_CHECK)
    assert result["n"] > 100
    assert result["bad"] == [], result["bad"][:10]
    assert result["minFont"] >= (14 if large else 12)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    # lines stay apart: no annotation overlaps the characters of the line above
    overlap = phone.evaluate("""() => { const rts = [...document.querySelectorAll('article p ruby rt')].slice(0, 300);
        // each character's em box (its range rect is the taller line box: ascent + descent)
        const ems = rts.map(rt => { const r = document.createRange(); r.selectNodeContents(rt.parentNode.firstChild);
          const b = r.getBoundingClientRect(), fs = parseFloat(getComputedStyle(rt.parentNode).fontSize);
          const top = b.top + (b.height - fs) / 2; return {left: b.left, right: b.right, top, bottom: top + fs}; });
        let bad = []; rts.forEach((rt, i) => { const a = rt.getBoundingClientRect();
          ems.forEach((b, j) => { if (i !== j && b.bottom > a.top + 1 && b.top < a.bottom - 1
                                       && b.left < a.right - 1 && a.left < b.right - 1) bad.push([i, j]); }); });
        return bad.length; }""")
    assert overlap == 0


@pytest.mark.browser
def test_remembered_pinyin_says_it_is_loading_and_its_size_and_offline_says_so(phone, site_server):
    phone.goto(site_server + "guides/jiabao-zenmeban/", wait_until="load")
    phone.evaluate("localStorage.setItem('wq.pinyin', '1')")
    release = []
    phone.route("**/*.pinyin.js", lambda route: release.append(route))
    phone.goto(site_server + "guides/baohuling/", wait_until="domcontentloaded")
    status = phone.locator("#wq-pinyin-status")
    status.wait_for()
    assert re.search(r"正在加载拼音（约 \d+ KB）", status.inner_text())
    while not release:
        phone.wait_for_timeout(50)
    release[0].continue_()
    phone.wait_for_selector("article ruby rt")
    assert phone.locator("#wq-pinyin-status").count() == 0
    # offline: the payload cannot load; the page says so and the button is not left pressed
    phone.unroute("**/*.pinyin.js")
    phone.route("**/*.pinyin.js", lambda route: route.abort("internetdisconnected"))
    phone.goto(site_server + "guides/caili/", wait_until="load")
    phone.context.set_offline(True)
    try:
        phone.wait_for_function("document.getElementById('wq-pinyin-status') &&"
                                " /没有/.test(document.getElementById('wq-pinyin-status').textContent)")
        assert phone.locator("button.wq-pinyin-toggle").get_attribute("aria-pressed") == "false"
    finally:
        phone.context.set_offline(False)


@pytest.mark.browser
def test_axe_with_pinyin_on_and_with_large_text(phone_unthrottled, site_server):
    phone = phone_unthrottled
    from test_accessibility import axe_source, run_axe
    source = axe_source()
    report = {}
    # 大字 alone on every page type: test_accessibility.py; 拼音 with 大字 here (the ruby at its largest)
    for path in ("", "guides/jiabao-zenmeban/", "stations/99/9901/990101/"):
        for mode in ("both",):
            phone.goto(site_server + path, wait_until="load")
            phone.evaluate("localStorage.clear()")
            phone.goto(site_server + path, wait_until="load")
            if mode in ("large", "both"):
                phone.click("#wq-textsize")
            if mode in ("pinyin", "both") and phone.locator("button.wq-pinyin-toggle").is_visible():
                phone.click("button.wq-pinyin-toggle")
                phone.wait_for_selector("article ruby rt")
            bad = run_axe(phone, source)
            if bad:
                report[f"{path or 'home'} {mode}"] = bad
    assert not report, "\n".join(f"{k}: {v}" for k, v in report.items())


# ---- 6. what the site ships -------------------------------------------------------------------

def test_theme_css_cut_to_what_pages_use_and_no_theme_bundle(example_site):
    css = next((example_site / "assets" / "stylesheets").glob("main.*.min.css"))
    text = css.read_text(encoding="utf-8")
    assert len(text.encode()) < 60_000, "Material's CSS (137 KB) should be cut to the rules the site uses"
    for needed in (".md-header", ".md-sidebar--primary", ".md-typeset h2", ".md-nav__link", "[data-md-toggle=drawer]:checked"):
        assert needed in text, needed
    assert ".md-search__form" not in text and ".tabbed-set" not in text
    for page in ("index.html", "laws/fan-jiating-baoli-fa/index.html"):
        assert "bundle." not in (example_site / page).read_text(encoding="utf-8")


def test_text_files_have_precompressed_copies(example_site):
    for rel in ("index.html", "guides/jiabao-zenmeban/index.html", "assets/stylesheets/weiquan.css",
                "assets/javascripts/wq-safety.js", "stations/places/0.js"):
        f = example_site / rel
        gz = f.with_name(f.name + ".gz")
        assert gz.exists() and gzip.decompress(gz.read_bytes()) == f.read_bytes(), rel
        br = f.with_name(f.name + ".br")
        try:
            import brotli
        except ImportError:
            continue
        assert br.exists() and brotli.decompress(br.read_bytes()) == f.read_bytes(), rel
    calendars = list((example_site / "calendars").rglob("*.ics"))   # fetched by calendar apps now and then
    assert calendars and not list((example_site / "calendars").rglob("*.ics.gz"))


@pytest.mark.browser
def test_menu_opens_without_the_theme_script(phone, site_server):
    phone.goto(site_server + "guides/jiabao-zenmeban/", wait_until="load")
    phone.click("label.md-header__button[for=__drawer]")
    phone.wait_for_timeout(400)
    link = phone.locator(".md-sidebar--primary .md-nav__link", has_text="我该怎么办").first
    assert link.is_visible()
    b = link.bounding_box()
    assert b["x"] >= 0 and b["x"] < 360


@pytest.mark.browser
def test_offline_fallback_page_has_quick_exit_and_call_buttons(browser, site_server):
    """A page never visited, opened without signal: the service worker's fallback page has
    一键离开 (to the configured exit site, blanking and leaving like everywhere else) and 110/12338."""
    context = browser.new_context(viewport={"width": 360, "height": 740})
    try:
        page = context.new_page()
        page.goto(site_server, wait_until="load")
        assert page.evaluate("navigator.serviceWorker.ready.then(r => !!r.active)")
        page.reload(wait_until="load")
        page.goto(site_server + "safety/", wait_until="load")   # wq-safety.js now in the cache
        context.set_offline(True)
        page.goto(site_server + "cases/", wait_until="load")
        assert "没有网络" in page.content()
        exit_link = page.locator("#wq-exit")
        assert exit_link.is_visible() and exit_link.get_attribute("href") == EXIT_URL
        for n in ("110", "12338"):
            assert page.locator(f'a[href="tel:{n}"]').first.is_visible()
        context.set_offline(False)
        page.route(EXIT_URL + "**", lambda route: route.fulfill(status=200, content_type="text/html", body=NEUTRAL))
        state = page.evaluate("""() => { document.getElementById('wq-exit').click();
            return getComputedStyle(document.documentElement).visibility; }""")
        assert state == "hidden"
        page.wait_for_url(EXIT_URL)
    finally:
        context.close()
