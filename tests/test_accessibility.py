"""Accessibility: axe-core on every page type, 大字 toggle, no sideways scrolling at 360 px, and the
适老化 checklist of docs/dev/shilaohua.md (issue 28): 高对比 ≥ 7:1 for text, controls and focus,
forced colours, 60 px main controls in 大字, keyboard, line spacing, zoom, no pop-ups or motion.

axe-core comes from the PyPI package axe-playwright-python (it bundles axe.min.js); nothing is
downloaded at run time. The script is evaluated through the DevTools protocol, so the page's own
Content-Security-Policy stays in force."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from conftest import require

pytestmark = pytest.mark.browser


def axe_source() -> str:
    try:
        import axe_playwright_python as axe
    except ImportError:
        require(False, "axe-core missing: pip install -e '.[test]' (axe-playwright-python)")
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


# ---- 适老化 (issue 28): 高对比, 大字 controls, keyboard, axe with every reading aid on ----------

# Contrast from computed styles: each element's colour over the backgrounds of it and its
# ancestors (alpha and opacity composited), WCAG 2.x relative luminance.
CONTRAST_JS = """() => {
  const parse = c => { const m = /rgba?\\(([^)]+)\\)/.exec(c || ''); if (!m) return null;
    const p = m[1].split(/[\\s,\\/]+/).filter(Boolean).map(parseFloat); return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1]; };
  const over = (fg, bg) => [0, 1, 2].map(i => fg[i] * fg[3] + bg[i] * (1 - fg[3])).concat([1]);
  const lum = c => { const f = v => (v /= 255) <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]); };
  const ratio = (a, b) => { const x = lum(a), y = lum(b); return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05); };
  const behind = el => {
    const chain = []; for (let e = el; e; e = e.parentElement) chain.unshift(e);
    let bg = [255, 255, 255, 1], opacity = 1, image = null;
    for (const e of chain) { const cs = getComputedStyle(e), c = parse(cs.backgroundColor);
      opacity *= parseFloat(cs.opacity);
      if (c && c[3] > 0) bg = over(c, bg);
      if (cs.backgroundImage !== 'none') image = e.tagName; }
    return {bg, opacity, image};
  };
  const name = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
    (typeof el.className === 'string' && el.className.trim() ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
  const bad = [], seen = new Set();
  let checked = 0;
  const check = (el, color, text) => {
    const {bg, opacity, image} = behind(el), fg = parse(color);
    fg[3] *= opacity;
    const r = ratio(over(fg, bg), bg);
    checked++;
    if (r < 7 || image) bad.push(`${name(el)} "${text.slice(0, 16)}" ${color} on rgb(${bg.slice(0, 3).map(Math.round)}) = ${r.toFixed(2)}${image ? ' (image)' : ''}`);
  };
  const visible = el => !el.checkVisibility || el.checkVisibility({checkOpacity: true, checkVisibilityCSS: true});
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n; (n = walker.nextNode());) {
    const el = n.parentElement;
    if (!n.nodeValue.trim() || !el || seen.has(el) || el.closest('script,style,template,noscript')) continue;
    const range = document.createRange(); range.selectNodeContents(n);
    const r = range.getBoundingClientRect();
    if (r.width <= 1 || r.height <= 1 || r.right <= 0 || r.left >= document.documentElement.scrollWidth || !visible(el)) continue;
    seen.add(el);
    check(el, getComputedStyle(el).color, n.nodeValue.trim());
  }
  for (const el of document.querySelectorAll('input:not([type=hidden]), textarea, select')) {
    const r = el.getBoundingClientRect();
    if (!r.width || !r.height || r.right <= 0 || !visible(el)) continue;
    check(el, getComputedStyle(el).color, 'input ' + el.value);
    if (el.placeholder) check(el, getComputedStyle(el, '::placeholder').color, el.placeholder);
  }
  return {checked, bad};
}"""

# The focused element's outline against what is around it (its parent's background).
FOCUS_JS = """() => {
  const parse = c => { const m = /rgba?\\(([^)]+)\\)/.exec(c || ''); if (!m) return null;
    const p = m[1].split(/[\\s,\\/]+/).filter(Boolean).map(parseFloat); return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1]; };
  const over = (fg, bg) => [0, 1, 2].map(i => fg[i] * fg[3] + bg[i] * (1 - fg[3])).concat([1]);
  const lum = c => { const f = v => (v /= 255) <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]); };
  const ratio = (a, b) => { const x = lum(a), y = lum(b); return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05); };
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  let bg = [255, 255, 255, 1];
  const chain = []; for (let e = el.parentElement; e; e = e.parentElement) chain.unshift(e);
  for (const e of chain) { const c = parse(getComputedStyle(e).backgroundColor); if (c && c[3] > 0) bg = over(c, bg); }
  const cs = getComputedStyle(el), oc = parse(cs.outlineColor), r = el.getBoundingClientRect();
  return {el: el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + ' ' + (el.innerText || el.value || el.getAttribute('aria-label') || '').trim().slice(0, 12),
          style: cs.outlineStyle, width: parseFloat(cs.outlineWidth), ratio: oc ? ratio(over(oc, bg), bg) : 0,
          onScreen: r.width > 0 && r.height > 0 && r.bottom > 0 && r.top < innerHeight && r.right > 0 && r.left < innerWidth};
}"""


def contrast_problems(page) -> tuple[int, list[str]]:
    result = page.evaluate(CONTRAST_JS)
    return result["checked"], result["bad"]


def test_high_contrast_every_visible_text_and_control_is_at_least_7_to_1(page, site_server, example_site, report):
    page.goto(site_server + "safety/", wait_until="load")
    toggle = page.locator("#wq-contrast")
    assert toggle.is_visible() and toggle.get_attribute("aria-pressed") == "false"
    before = contrast_problems(page)[1]
    assert before, "the check finds the ordinary colours below 7:1 (it can fail)"
    toggle.click()
    assert toggle.get_attribute("aria-pressed") == "true"
    problems, total = {}, 0
    for name, path in page_types(example_site).items():
        page.goto(site_server + path, wait_until="load")
        assert page.evaluate("document.documentElement.classList.contains('wq-contrast')"), "remembered"
        checked, bad = contrast_problems(page)
        total += checked
        if bad:
            problems[name] = bad[:8]
    # the menu open, the pinyin reading aid on and the search panel open
    page.goto(site_server + "guides/jiabao-zenmeban/", wait_until="load")
    page.click("label.md-header__button[for=__drawer]")
    page.wait_for_timeout(400)
    problems["menu"] = contrast_problems(page)[1][:8]
    page.keyboard.press("Escape")
    page.click("button.wq-pinyin-toggle")
    page.wait_for_selector("article ruby rt")
    problems["pinyin"] = contrast_problems(page)[1][:8]
    page.click("button.wq-pinyin-toggle")
    page.fill("#wq-search-input", "qqxxzz")
    page.wait_for_timeout(800)
    problems["search"] = contrast_problems(page)[1][:8]
    problems = {k: v for k, v in problems.items() if v}
    assert not problems, "\n".join(f"{k}: {v}" for k, v in problems.items())
    report(f"高对比: {total} text elements on {len(page_types(example_site))} page types, all ≥ 7:1")


def test_high_contrast_focus_outline_at_least_7_to_1_and_every_control_reachable_by_keyboard(page, site_server):
    page.goto(site_server, wait_until="load")
    page.evaluate("localStorage.setItem('wq-contrast', 'on')")
    page.goto(site_server + "guides/jiabao-zenmeban/", wait_until="load")
    seen, bad = [], []
    for _ in range(45):
        page.keyboard.press("Tab")
        f = page.evaluate(FOCUS_JS)
        if f is None:
            continue
        seen.append(f["el"])
        if f["style"] == "none" or f["width"] < 2 or f["ratio"] < 7 or not f["onScreen"]:
            bad.append(f)
    assert not bad, bad[:5]
    assert seen[0].startswith("a ") and seen[1].startswith("a#wq-exit"), "skip link, then 一键离开 first"
    for control in ("一键离开", "拼音", "大字", "高对比", "朗读", "朗读这一页"):
        assert any(control in s for s in seen), (control, seen)
    # the menu by keyboard: Enter opens it on its first link, Escape closes it
    page.focus("label.md-header__button[for=__drawer]")
    page.keyboard.press("Enter")
    page.wait_for_timeout(300)
    assert page.evaluate("document.getElementById('__drawer').checked")
    f = page.evaluate(FOCUS_JS)
    assert f["onScreen"] and f["ratio"] >= 7, f
    page.keyboard.press("Escape")
    assert not page.evaluate("document.getElementById('__drawer').checked")
    assert page.evaluate("document.activeElement.getAttribute('for')") == "__drawer"


def test_high_contrast_follows_the_system_setting_and_can_be_turned_off(browser, site_server):
    context = browser.new_context(viewport={"width": 360, "height": 740}, contrast="more", service_workers="block")
    try:
        page = context.new_page()
        page.goto(site_server + "guides/jiabao-zenmeban/", wait_until="load")
        assert page.evaluate("document.documentElement.classList.contains('wq-contrast')")
        assert page.get_attribute("#wq-contrast", "aria-pressed") == "true"
        page.click("#wq-contrast")
        page.goto(site_server + "laws/", wait_until="load")
        assert not page.evaluate("document.documentElement.classList.contains('wq-contrast')")
        assert page.evaluate("document.cookie") == ""
    finally:
        context.close()


def test_forced_colours_keep_call_buttons_exit_and_toggles_recognisable(page, site_server):
    page.emulate_media(forced_colors="active")
    page.goto(site_server + "guides/jiabao-zenmeban/", wait_until="load")
    page.click("#wq-textsize")
    border = """s => [...document.querySelectorAll(s)].filter(e => e.offsetParent !== null).map(e => {
        const cs = getComputedStyle(e); return [e.textContent.trim(), cs.borderTopStyle, parseFloat(cs.borderTopWidth)]; })"""
    for selector in (".wq-float a.wq-dock__call", "#wq-exit", "#wq-read-main", ".wq-header-tools button"):
        shapes = page.evaluate(border, selector)
        assert shapes and all(style != "none" and width >= 2 for _, style, width in shapes), (selector, shapes)
    exit_border = page.evaluate("getComputedStyle(document.getElementById('wq-exit')).borderTopStyle")
    assert exit_border == "double", "一键离开 looks different from the call buttons"
    pressed = page.evaluate("getComputedStyle(document.getElementById('wq-textsize')).backgroundColor")
    normal = page.evaluate("getComputedStyle(document.getElementById('wq-contrast')).backgroundColor")
    assert pressed != normal, "a pressed toggle is told apart from one that is not"


@pytest.mark.parametrize("path", ["guides/jiabao-zenmeban/", ""])
def test_large_text_main_controls_at_least_60px(page, site_server, path):
    page.goto(site_server + path, wait_until="load")
    page.click("#wq-textsize")
    sizes = page.evaluate("""() => [...document.querySelectorAll('.wq-float a.wq-dock__call, #wq-exit, #wq-read-main, .md-typeset a.wq-bigcall')]
        .map(e => { const r = e.getBoundingClientRect(); return [e.textContent.trim(), r.width, r.height]; })""")
    assert len(sizes) >= 4
    small = [s for s in sizes if s[1] < 60 or s[2] < 60]
    assert not small, small
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    # every other control is at least 44 px high and wide
    tiny = page.evaluate("""() => [...document.querySelectorAll('.wq-header-tools button, label.md-header__button, .wq-read-again')]
        .filter(e => e.offsetParent !== null).map(e => { const r = e.getBoundingClientRect(); return [e.textContent.trim(), r.width, r.height]; })
        .filter(s => s[1] < 44 || s[2] < 44)""")
    assert not tiny, tiny


def test_axe_with_read_aloud_high_contrast_and_large_text_on(page, site_server, example_site):
    """axe-core while a page is being read aloud (speechSynthesis stubbed, so the highlight and the
    reading bar are on screen), with 高对比 and 大字 on."""
    from test_read_aloud import STUB, ZH_CN
    source = axe_source()
    page.add_init_script(f"window.__ttsConfig = {json.dumps({'voices': [ZH_CN], 'duration': 60000})};" + STUB)
    page.goto(site_server, wait_until="load")
    page.evaluate("localStorage.setItem('wq-contrast', 'on'); localStorage.setItem('wq-textsize', 'large')")
    types = page_types(example_site)
    report = {}
    for name in ("home", "guide", "law", "case", "county", "campaign", "safety"):
        page.goto(site_server + types[name], wait_until="load")
        page.click("#wq-read-main")
        page.wait_for_function("() => window.CSS.highlights.has('wq-read')")
        bad = run_axe(page, source)
        if bad:
            report[name] = bad
    assert not report, "\n".join(f"{k}: {v}" for k, v in report.items())


def test_pages_let_the_browser_zoom_too(example_site):
    """大字 is the site's own zoom; the browser's (pinch, system font size) must keep working."""
    blocked = []
    for p in [example_site / "index.html", *sorted(example_site.glob("*/*/index.html"))[:40]]:
        head = p.read_text("utf-8").split("</head>")[0]
        viewport = re.search(r'<meta name="viewport" content="([^"]*)"', head)
        if not viewport or re.search(r"user-scalable\s*=\s*(no|0)|maximum-scale\s*=\s*1(\.0)?\b", viewport.group(1)):
            blocked.append(p.relative_to(example_site).as_posix())
    assert not blocked, blocked


@pytest.mark.parametrize("large", [False, True])
def test_line_spacing_at_least_1_3_and_paragraphs_set_apart(page, site_server, large):
    page.goto(site_server + "guides/jiabao-zenmeban/", wait_until="load")
    if large:
        page.click("#wq-textsize")
    spacing = page.evaluate("""() => [...document.querySelectorAll('article.md-content__inner > p, article.md-content__inner li')]
      .map(p => { const cs = getComputedStyle(p), next = p.nextElementSibling;
        return {line: parseFloat(cs.lineHeight) / parseFloat(cs.fontSize), lh: parseFloat(cs.lineHeight),
                gap: p.tagName === 'P' && next && next.tagName === 'P' ? next.getBoundingClientRect().top - p.getBoundingClientRect().bottom : null}; })""")
    assert len(spacing) > 10
    assert min(s["line"] for s in spacing) >= 1.3
    gaps = [s for s in spacing if s["gap"] is not None and s["gap"] >= 0]
    # between paragraphs: at least 1.3 × the distance between lines (gap ≥ 0.3 × line height)
    paragraphs = [s for s in gaps if s["lh"] and s["gap"] >= 0.3 * s["lh"]]
    assert gaps and len(paragraphs) >= 0.9 * len(gaps), gaps


def test_no_pop_ups_and_nothing_moves_by_itself(page, site_server, example_site):
    """MIIT 适老化: no pop-up windows or dialogs, no carousel or animation that starts by itself."""
    dialogs, popups = [], []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.context.on("page", lambda p: popups.append(p.url))
    types = page_types(example_site)
    moving = []
    for name in ("home", "guide", "law", "county", "campaign"):
        page.goto(site_server + types[name], wait_until="load")
        page.wait_for_timeout(500)
        first = page.screenshot()
        page.wait_for_timeout(1500)
        if page.screenshot() != first:
            moving.append(name)
    assert not dialogs and not popups and not moving, (dialogs, popups, moving)
