"""The 拼音 toggle in real Chromium: readings, persistence, no pinyin bytes when off, and the
live page annotated in place (the 保护令 helper works with pinyin on)."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import FIXTURE_CONTENT
from weiquan.zh.reading import get_annotator, load_overrides, page_payload

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[1]
LAW_PAGE = "laws/minfadian/b5-z4/"  # 婚姻家庭编 第四章 离婚: 调解, 重婚, 抚养 …
FORM = "forms/baohuling/"
GUIDE = "guides/lihun-caichan/"     # 重婚, 还有, 调解 …
PINYIN_ON = "localStorage.setItem('wq.pinyin', '1')"
# the article's text as the reader sees it: characters without their pinyin
PLAIN = """(sel) => { const c = document.querySelector(sel).cloneNode(true);
  c.querySelectorAll('rt').forEach(rt => rt.remove()); return c.textContent; }"""


def pinyin_requests(page) -> list[str]:
    seen = []
    page.on("request", lambda r: seen.append(r.url) if "pinyin.js" in r.url and "wq-pinyin.js" not in r.url else None)
    return seen


def reading_of(page, word: str) -> str:
    """Readings shown above `word` (the <rt> texts of its characters), space separated."""
    return page.evaluate("""(word) => {
      // one <ruby> per character: read runs of adjacent <ruby> elements
      const rubies = [...document.querySelectorAll('article ruby')];
      const base = r => [...r.childNodes].filter(n => n.nodeType === 3).map(n => n.textContent).join('');
      for (let i = 0; i < rubies.length; i++) {
        let j = i, text = '';
        const rts = [];
        while (j < rubies.length && text.length < word.length) {
          if (j > i && rubies[j - 1].nextSibling !== rubies[j]) break;
          text += base(rubies[j]);
          rts.push(rubies[j].querySelector('rt').textContent);
          j++;
        }
        if (text === word) return rts.join(' ');
      }
      return null;
    }""", word)


def test_toggle_shows_correct_readings_and_persists(page, site_server):
    seen = pinyin_requests(page)
    page.goto(site_server + LAW_PAGE)
    assert seen == []
    toggle = page.locator("button.wq-pinyin-toggle")
    toggle.click()
    page.wait_for_selector("article ruby rt")
    assert toggle.get_attribute("aria-pressed") == "true"
    assert len(seen) == 1 and seen[0].endswith("/laws/minfadian/b5-z4/index.pinyin.js")
    assert reading_of(page, "调解") == "tiáo jiě"
    assert reading_of(page, "重婚") == "chóng hūn"
    assert reading_of(page, "抚养") == "fǔ yǎng"
    assert page.locator("article rt[aria-hidden=true]").count() > 100
    # anchors survive the swap
    assert page.locator("article section#a1079").count() == 1
    page.reload()
    page.wait_for_selector("article ruby rt")
    assert page.locator("button.wq-pinyin-toggle").get_attribute("aria-pressed") == "true"
    # another page opens with pinyin on too
    page.goto(site_server + "laws/fan-jiating-baoli-fa/")
    page.wait_for_selector("article ruby rt")
    # switching off restores the plain text without a reload
    page.locator("button.wq-pinyin-toggle").click()
    assert page.locator("article ruby").count() == 0


def test_no_pinyin_request_when_off(page, site_server):
    seen = pinyin_requests(page)
    for path in ("", LAW_PAGE, "cases/baohuling-shenqing/", "stations/99/9901/990101/"):
        page.goto(site_server + path)
        page.wait_for_load_state("load")
    assert page.locator("button.wq-pinyin-toggle").is_visible()
    assert seen == []


def test_form_helper_works_with_pinyin_on(page, site_server):
    """Issue 23.4: with the 拼音 preference set, the 保护令 helper shows its first question, 下一步
    and 上一步 move between steps, and 生成申请书 fills in the application."""
    page.add_init_script(PINYIN_ON)
    page.goto(site_server + FORM)
    page.wait_for_selector("article .wq-step ruby rt")
    assert page.locator("button.wq-pinyin-toggle").get_attribute("aria-pressed") == "true"
    current = page.locator(".wq-step.is-current")
    assert current.count() == 1 and current.get_attribute("data-step") == "0"
    assert page.is_visible("#wq-f-name")
    assert page.evaluate(PLAIN, ".wq-step.is-current label[for=wq-f-name]") == "你的名字"
    assert reading_of(page, "名字") == "míng zì"          # the question itself has pinyin
    page.fill("#wq-f-name", "王小花")
    page.click("[data-go=next]")
    assert page.locator(".wq-step.is-current").get_attribute("data-step") == "1"
    assert page.is_visible("#wq-f-other-name") and not page.is_visible("#wq-f-name")
    page.click("[data-go=back]")
    assert page.locator(".wq-step.is-current").get_attribute("data-step") == "0"
    assert page.input_value("#wq-f-name") == "王小花"
    for step in ("1", "2", "3", "4"):
        page.click("[data-go=next]")
        assert page.locator(".wq-step.is-current").get_attribute("data-step") == step
        if step == "3":
            page.check("#wq-measure-move-out")
    page.click("[data-go=done]")               # 生成申请书
    page.wait_for_selector(".wq-form-result.is-ready")
    assert page.inner_text("[data-slot=name]") == "王小花"     # her text: no pinyin, not changed
    assert page.is_visible("[data-measure-item=move-out]")
    assert not page.is_visible("[data-measure-item=no-violence]")
    assert page.is_visible("button[data-go=print]")
    # text the helper writes: the payload's own text gets its readings, other text stays plain
    assert page.locator(".wq-form-progress ruby").count() == 0
    page.click("[data-go=clear]")
    page.wait_for_selector(".wq-form-cleared ruby rt")
    assert page.evaluate(PLAIN, ".wq-form-cleared") == "已清空，你填写的内容已经删除。"
    assert page.evaluate("""() => [...document.querySelectorAll('.wq-form-cleared ruby')]
        .map(r => r.firstChild.data + r.querySelector('rt').textContent).slice(0, 3).join(' ')""") == \
        "已yǐ 清qīng 空kōng"
    assert page.input_value("#wq-f-name") == ""


def test_turning_pinyin_on_while_typing_keeps_answer_and_focus(page, site_server):
    page.goto(site_server + FORM)
    page.click("#wq-f-name")
    page.keyboard.type("李")
    page.click("button.wq-pinyin-toggle")
    page.wait_for_selector("article .wq-step ruby rt")
    assert page.evaluate("document.activeElement.id") == "wq-f-name"
    assert page.is_visible("#wq-f-name") and page.input_value("#wq-f-name") == "李"
    page.keyboard.type("四")                    # the cursor is still in the field
    assert page.input_value("#wq-f-name") == "李四"
    # and off again, in the middle of a longer answer
    page.click("[data-go=next]")
    page.click("[data-go=next]")
    page.click("#wq-f-what")
    page.keyboard.type("他打我")
    page.click("button.wq-pinyin-toggle")
    assert page.locator("article ruby").count() == 0
    assert page.evaluate("document.activeElement.id") == "wq-f-what"
    page.keyboard.type("了")
    assert page.input_value("#wq-f-what") == "他打我了"
    assert page.locator(".wq-step.is-current").get_attribute("data-step") == "2"


def test_toggling_off_restores_the_original_article(page, site_server):
    page.goto(site_server + GUIDE, wait_until="load")
    before = page.evaluate("""() => { const a = document.querySelector('article');
        const w = document.createTreeWalker(a, NodeFilter.SHOW_TEXT); window.__texts = [];
        while (w.nextNode()) window.__texts.push(w.currentNode); return a.innerHTML; }""")
    toggle = page.locator("button.wq-pinyin-toggle")
    for _ in range(2):
        toggle.click()
        page.wait_for_selector("article ruby rt")
        assert page.evaluate(PLAIN, "article") == page.evaluate("""() => { const a = document.createElement('div');
            window.__texts.forEach(t => a.append(t.data)); return a.textContent; }""")
        toggle.click()
        assert page.locator("article ruby").count() == 0
        assert page.evaluate("document.querySelector('article').innerHTML") == before
        # the very same text nodes are back (nothing re-created)
        assert page.evaluate("window.__texts.every(t => t.isConnected)")


def test_ruby_per_character_on_a_guide_and_a_law(page, site_server):
    page.goto(site_server + GUIDE, wait_until="load")
    page.click("button.wq-pinyin-toggle")
    page.wait_for_selector("article ruby rt")
    assert reading_of(page, "重婚") == "chóng hūn"
    assert reading_of(page, "还有") == "hái yǒu"
    assert reading_of(page, "调解") == "tiáo jiě"
    shape = page.evaluate("""() => { const rs = [...document.querySelectorAll('article ruby')];
        return {n: rs.length, bad: rs.filter(r => r.childNodes.length !== 2 || r.firstChild.data.length !== 1
            || r.lastChild.localName !== 'rt' || r.lastChild.getAttribute('aria-hidden') !== 'true'
            || !r.lastChild.textContent).length,
            font: Math.min(...rs.slice(0, 200).map(r => parseFloat(getComputedStyle(r.lastChild).fontSize)))}; }""")
    assert shape["n"] > 300 and shape["bad"] == 0 and shape["font"] >= 12
    page.goto(site_server + "laws/minfadian/b3-fb2-z12/", wait_until="load")   # pinyin stays on
    page.wait_for_selector("article ruby rt")
    assert reading_of(page, "还款") == "huán kuǎn"


def test_a_changed_text_is_left_plain_never_misread(page, site_server):
    page.goto(site_server + GUIDE, wait_until="load")
    # a script changes one paragraph's text and copies another's before pinyin is turned on
    texts = page.evaluate("""() => { const ps = [...document.querySelectorAll('article p, article li')]
          .filter(p => p.childNodes.length === 1 && p.firstChild.nodeType === 3 && /[\u4e00-\u9fff]{6}/.test(p.textContent));
        const [a, b, c] = ps; a.id = 'wq-t-changed'; b.id = 'wq-t-copy'; c.id = 'wq-t-same';
        a.firstChild.data = a.firstChild.data.replace(/[\u4e00-\u9fff]/, m => m === '重' ? '轻' : '重');
        b.firstChild.data = c.firstChild.data;
        return [a.textContent, b.textContent]; }""")
    page.click("button.wq-pinyin-toggle")
    page.wait_for_selector("article ruby rt")
    assert page.locator("#wq-t-changed ruby").count() == 0
    assert page.text_content("#wq-t-changed") == texts[0]
    # the same text as another paragraph of the page: that paragraph's readings
    rt = "el => [...el.querySelectorAll('rt')].map(r => r.textContent).join(' ')"
    assert page.locator("#wq-t-copy ruby").count() > 0
    assert page.eval_on_selector("#wq-t-copy", rt) == page.eval_on_selector("#wq-t-same", rt)
    page.click("button.wq-pinyin-toggle")
    assert page.text_content("#wq-t-changed") == texts[0] and page.text_content("#wq-t-copy") == texts[1]


HANDMADE = ('<h1 id="t">离婚</h1><p>有配偶者与他人<strong>重</strong>婚的，应当依法处理。借款人按期还款。</p>'
            '<p id="a"><b>为</b>妇女提供帮助。</p><p id="b">以人民<b>为</b>中心。</p>'
            '<ul><li>还款</li><li id="c">还款</li><li>还有</li></ul><p>𠮷野家，A&amp;B</p>'
            '<code>还款</code><p class="wq-no-pinyin">处分</p><p translate="no">处分</p>'
            '<p><label for="f">你的名字</label><input id="f"></p>')


def handmade(page, fragment: str):
    """A page with only the aid: its script, the toggle, the article and a payload for ``fragment``."""
    js = page_payload(fragment, None, annotator=get_annotator(load_overrides(FIXTURE_CONTENT / "pinyin.yaml")))
    files = {"p.pinyin.js": js, "wq-pinyin.js": (ROOT / "overrides/assets/javascripts/wq-pinyin.js").read_text("utf-8"),
             "index.html": ('<!doctype html><html lang="zh"><head><meta charset="utf-8">'
                            '<meta name="wq-pinyin" content="p.pinyin.js" data-kb="1"><script src="wq-pinyin.js" defer>'
                            '</script></head><body><button class="wq-pinyin-toggle" aria-pressed="false" hidden>拼音'
                            f'</button><article class="md-content__inner">{fragment}</article></body></html>')}
    def serve(route):
        name = route.request.url.rsplit("/", 1)[1]
        route.fulfill(body=files[name], content_type=("text/html" if name.endswith(".html") else
                                                      "text/javascript") + "; charset=utf-8")
    page.route("http://wq.test/**", serve)
    page.goto("http://wq.test/index.html")


def test_payload_applied_exactly_as_the_annotator_reads(page):
    """The client's ruby is the Annotator's: the page equals annotate_html of the fragment."""
    handmade(page, HANDMADE)
    before = page.evaluate("document.querySelector('article').innerHTML")
    page.click("button.wq-pinyin-toggle")
    page.wait_for_selector("article ruby rt")
    ann = get_annotator(load_overrides(FIXTURE_CONTENT / "pinyin.yaml"))
    want = ann.annotate_html(HANDMADE).replace('<ruby>𠮷<rt aria-hidden="true"></rt></ruby>', "𠮷")   # no reading: plain
    assert page.evaluate("document.querySelector('article').innerHTML") == want
    page.click("button.wq-pinyin-toggle")
    assert page.evaluate("document.querySelector('article').innerHTML") == before


def test_an_ambiguous_text_is_read_only_where_it_was(page):
    """为 is wèi in one paragraph and wéi in the other; a third 为 written by a script makes the
    places uncertain: all three stay plain rather than one being misread."""
    handmade(page, HANDMADE)
    page.evaluate("document.getElementById('c').insertAdjacentHTML('beforebegin', '<li><b>为</b></li>')")
    page.click("button.wq-pinyin-toggle")
    page.wait_for_selector("article ruby rt")
    assert page.locator("article b ruby").count() == 0
    assert page.locator("#c ruby").count() == 2       # an unambiguous text is still read
    page.click("button.wq-pinyin-toggle")
    page.evaluate("document.querySelector('article li b').parentNode.remove()")
    page.click("button.wq-pinyin-toggle")
    assert page.eval_on_selector("#a b rt", "rt => rt.textContent") == "wèi"
    assert page.eval_on_selector("#b b rt", "rt => rt.textContent") == "wéi"


def test_toggling_keeps_the_readers_place(page, site_server):
    page.goto(site_server + LAW_PAGE + "#a1079", wait_until="load")
    page.evaluate("window.scrollBy(0, 30)")
    top = "document.getElementById('a1079').getBoundingClientRect().top"
    start = page.evaluate(top)
    page.click("button.wq-pinyin-toggle")
    page.wait_for_selector("article ruby rt")
    page.wait_for_function("!document.getElementById('wq-pinyin-status')")
    assert abs(page.evaluate(top) - start) < 40      # the block in view stays in view, where it was
    page.click("button.wq-pinyin-toggle")
    assert abs(page.evaluate(top) - start) < 40


def test_works_from_file_and_says_when_a_payload_is_unreadable(page, example_site):
    """The offline edition opens pages from file://: the payload is a <script>, not a fetch."""
    page.goto((example_site / "guides" / "chonghun-tongju" / "index.html").as_uri(), wait_until="load")
    page.click("button.wq-pinyin-toggle")
    page.wait_for_selector("article ruby rt")
    assert reading_of(page, "重婚") == "chóng hūn"


def test_an_old_or_broken_payload_is_refused_with_a_message(page):
    handmade(page, HANDMADE)
    page.unroute("http://wq.test/**")
    page.route("**/p.pinyin.js", lambda route: route.fulfill(
        body='window.wqPinyin&&wqPinyin.load("<p><ruby>离<rt>lí</rt></ruby></p>");',
        content_type="text/javascript; charset=utf-8"))
    page.click("button.wq-pinyin-toggle")
    page.wait_for_selector(".wq-pinyin-status--failed")
    assert "没有加载成功" in page.inner_text("#wq-pinyin-status")
    assert page.locator("button.wq-pinyin-toggle").get_attribute("aria-pressed") == "false"
    assert page.locator("article ruby").count() == 0


TRICKY = ('<p>还款&amp;还钱 &lt;b&gt; &#37325;&#x5a5a;，a < b 还<3有</p><P CLASS="x">大写的标签</P>'
          '<p title="a>b 还款">引号里的大于号</p><div translate="NO">不读<b>这些</b></div><p>依法<strong>重婚</strong>的</p>'
          '<script>var a = "<b>脚本</b>";</script><style>p::after{content:"样式"}</style><p>还<br/>款<wbr>了</p>'
          '<!-- 注释 -->前<!-- 注释 -->后<p>x</ p>坏的结束标签</>还是文字</p><span class=wq-no-pinyin>跳过<b>粗</b></span>'
          '<textarea>文本框<b>里</b></textarea><p>没有闭合的<b>粗体<!-- 没有闭合的注释')


def test_the_payload_reads_the_text_nodes_chromium_makes(page):
    """reading.text_runs (which text nodes get readings) finds the nodes Chromium's parser makes,
    on markup a browser reads in its own way: entities, a stray <, quoted >, comments, raw text."""
    from weiquan.zh.han import HAN_RE
    from weiquan.zh.reading import text_runs
    page.set_content(f'<!doctype html><html lang="zh"><body><article>{TRICKY}</article></body></html>')
    live = page.evaluate("""() => {
      const skip = el => el.closest('script,style,code,pre,kbd,samp,rt,rp,ruby,svg,math,textarea,'
        + 'template,noscript,select,option,.wq-no-pinyin,[translate="no" i]');
      const w = document.createTreeWalker(document.querySelector('article'), NodeFilter.SHOW_TEXT);
      const out = [];
      for (let n; (n = w.nextNode());) if (!skip(n.parentElement)) out.push(n.data);
      return out; }""")
    want = [t for t in live if HAN_RE.search(t)]
    got = [t for run in text_runs(TRICKY) for t in run if HAN_RE.search(t)]
    assert got == want and "a < b 还<3有" in "".join(got) and "脚本" not in "".join(got)
