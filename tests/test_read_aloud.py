"""朗读 (read aloud, issue 28) in real Chromium at phone size (360×740, touch).

`speechSynthesis` is replaced by a recording stub (STUB below) before any page script runs: it has
the voices a test gives it (a zh-CN voice unless told otherwise), plays each utterance for a few
milliseconds, fires start and end like a browser, and records what was spoken, in which language
and voice, and what the page highlighted while it was being spoken."""

from __future__ import annotations

import json
import re
from difflib import SequenceMatcher
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

GUIDE = "guides/jiabao-zenmeban/"
LAW = "laws/fan-jiating-baoli-fa/"
EXIT_URL = "https://www.weather.com.cn/"
ZH_CN = {"name": "普通话（测试）", "lang": "zh-CN", "localService": True, "default": True, "voiceURI": "stub-zh"}

# The recording stub. window.__ttsConfig (set just before it) chooses the voices, whether they
# arrive late (after voiceschanged, as on many phones) and how long each utterance lasts.
STUB = r"""
(() => {
  const cfg = Object.assign({voices: [], late: 0, duration: 20, missing: false}, window.__ttsConfig || {});
  if (cfg.missing) {   // an in-app browser without speech
    Object.defineProperty(window, "speechSynthesis", {value: undefined, configurable: true});
    Object.defineProperty(window, "SpeechSynthesisUtterance", {value: undefined, configurable: true});
    return;
  }
  const log = {spoken: [], cancels: [], pauses: 0, done: false};
  window.__tts = log;
  const record = (kind, detail) => { try { window.wqRecord && window.wqRecord(kind, detail); } catch (e) {} };
  const withoutRuby = range => { const f = range.cloneContents(); f.querySelectorAll("rt,rp").forEach(e => e.remove()); return f.textContent; };
  class Utterance {
    constructor(text) { this.text = text; this.lang = ""; this.voice = null; this.rate = 1; this.pitch = 1; this.volume = 1; this._on = {}; }
    addEventListener(type, f) { (this._on[type] = this._on[type] || []).push(f); }
    removeEventListener() {}
    _fire(type, extra) {
      const e = Object.assign({type: type, utterance: this, charIndex: 0, elapsedTime: 0}, extra || {});
      if (this["on" + type]) this["on" + type](e);
      (this._on[type] || []).forEach(f => f(e));
    }
  }
  let voices = cfg.late ? [] : cfg.voices.slice();
  const listeners = [];
  const synth = {
    speaking: false, pending: false, paused: false, onvoiceschanged: null, _queue: [], _current: null,
    getVoices() { return voices.slice(); },
    addEventListener(type, f) { if (type === "voiceschanged") listeners.push(f); },
    removeEventListener(type, f) { const i = listeners.indexOf(f); if (i >= 0) listeners.splice(i, 1); },
    speak(u) {
      log.spoken.push({text: u.text, lang: u.lang, voice: u.voice && u.voice.lang, voiceName: u.voice && u.voice.name});
      record("speak", u.text);
      this._queue.push(u);
      this._next();
    },
    cancel() {
      const hidden = document.documentElement.style.visibility === "hidden";
      log.cancels.push({spoken: log.spoken.length, hidden: hidden});
      record("cancel", hidden ? "hidden" : "shown");
      const u = this._current;
      this._queue = []; this._current = null; this.speaking = false;
      if (u) u._fire("error", {error: "interrupted"});
    },
    pause() { log.pauses++; },
    resume() {},
    _next() {
      if (this._current || !this._queue.length) return;
      const u = this._current = this._queue.shift();
      this.speaking = true;
      log.done = false;
      setTimeout(() => {
        if (this._current !== u) return;
        u._fire("start");
        setTimeout(() => {
          if (this._current !== u) return;
          // what the page shows as being read, just before this utterance ends
          const entry = log.spoken[log.spoken.length - 1];
          const hl = window.CSS && CSS.highlights && CSS.highlights.get("wq-read");
          entry.highlight = ""; entry.visible = false;
          if (hl) for (const r of hl) {
            entry.highlight += withoutRuby(r);
            const b = r.getBoundingClientRect();
            entry.visible = b.height > 0 && b.top >= 0 && b.bottom <= innerHeight;
          }
          this._current = null; this.speaking = false;
          u._fire("end");
          this._next();
          if (!this._current) setTimeout(() => { if (!this._current) log.done = true; }, 60);
        }, cfg.duration);
      }, 5);
    },
  };
  if (cfg.late) setTimeout(() => {
    voices = cfg.voices.slice();
    listeners.forEach(f => f({type: "voiceschanged"}));
    if (synth.onvoiceschanged) synth.onvoiceschanged({type: "voiceschanged"});
  }, cfg.late);
  Object.defineProperty(window, "speechSynthesis", {value: synth, configurable: true});
  Object.defineProperty(window, "SpeechSynthesisUtterance", {value: Utterance, configurable: true});
})();
"""

HAN = re.compile(r"[\u3400-\u9fff]")
TONE_MARKS = re.compile(r"[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüĀÁǍÀĒÉĚÈŌÓǑÒ]")


def han(text: str) -> str:
    return "".join(HAN.findall(text))


@pytest.fixture()
def phone(browser):
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True,
                                  service_workers="block")
    pg = context.new_page()
    pg.route(EXIT_URL + "**", lambda route: route.fulfill(status=200, content_type="text/html; charset=utf-8",
                                                          body="<p>天气</p>"))
    yield pg
    context.close()


def with_stub(page, voices=(ZH_CN,), **cfg) -> None:
    """Install the stub on every page the tab opens from now on."""
    cfg["voices"] = list(voices)
    page.add_init_script(f"window.__ttsConfig = {json.dumps(cfg, ensure_ascii=False)};" + STUB)


def read_to_the_end(page, timeout: float = 30000) -> list[dict]:
    page.click("#wq-read-main")
    page.wait_for_function("() => window.__tts.spoken.length > 0 && window.__tts.done", timeout=timeout)
    return page.evaluate("window.__tts.spoken")


def article_text(page) -> str:
    return page.evaluate("document.querySelector('article.md-content__inner').innerText")


def coverage(article: str, spoken: list[dict]) -> float:
    """Share of the article's Chinese characters spoken, aligned in page order (the matching blocks
    of SequenceMatcher are in the same order in both texts)."""
    a, u = han(article), han("".join(s["text"] for s in spoken))
    matched = sum(b.size for b in SequenceMatcher(None, a, u, autojunk=False).get_matching_blocks())
    return matched / len(a)


def highlighted(s: dict) -> bool:
    """The sentence being spoken is the one highlighted (numbers in it are spoken as words)."""
    shown, said = han(s.get("highlight") or ""), han(s["text"])
    if not shown:
        return False
    matched = sum(b.size for b in SequenceMatcher(None, shown, said, autojunk=False).get_matching_blocks())
    return matched >= 0.9 * len(shown)


def test_guide_is_read_sentence_by_sentence_in_mandarin_in_page_order_with_highlight(phone, site_server, report):
    with_stub(phone)
    phone.goto(site_server + GUIDE, wait_until="networkidle")   # the browser's own favicon request too
    requests = []
    phone.on("request", lambda r: requests.append(r.url))
    text = article_text(phone)
    spoken = read_to_the_end(phone)

    assert len(spoken) >= 5
    assert all(re.match(r"(zh|cmn)-CN$", s["lang"]) and s["voice"] == "zh-CN" for s in spoken), spoken[:3]
    share = coverage(text, spoken)
    assert share >= 0.8, f"{share:.0%} of the article read"
    # page order, sentence by sentence: each highlighted sentence comes after the one before
    article, cursor, out_of_order = han(text), 0, []
    for s in spoken:
        at = article.find(han(s.get("highlight") or ""), cursor)
        if at < 0:
            out_of_order.append(s["text"])
        else:
            cursor = at + len(han(s["highlight"]))
    assert not out_of_order, out_of_order[:3]
    assert max(len(s["text"]) for s in spoken) <= 110, "one sentence or clause per utterance"
    lit = sum(highlighted(s) for s in spoken) / len(spoken)
    in_view = sum(bool(s.get("visible")) for s in spoken) / len(spoken)
    assert lit >= 0.8, [s for s in spoken if not highlighted(s)][:3]
    assert in_view >= 0.8
    # nothing sent anywhere: the only request is the reader itself, from the site, once
    assert [u for u in requests if not u.endswith("/assets/javascripts/wq-read.js")] == []
    assert len(requests) == 1 and requests[0].startswith(site_server)
    assert "读完了" in phone.inner_text("#wq-read-msg")
    report(f"朗读 {GUIDE}: {len(spoken)} utterances, {share:.0%} of {len(han(text))} characters, "
           f"highlighted {lit:.0%}, in view {in_view:.0%}")


def test_stop_cancels_and_continue_restarts_the_current_sentence(phone, site_server):
    with_stub(phone, duration=250)
    phone.goto(site_server + GUIDE, wait_until="load")
    phone.click("#wq-read-main")
    phone.wait_for_function("() => window.__tts.spoken.length >= 4")
    assert phone.inner_text("#wq-read-toggle") == "停止"
    assert phone.evaluate("getComputedStyle(document.getElementById('wq-readbar')).position") == "sticky"
    cancels = len(phone.evaluate("window.__tts.cancels"))
    phone.click("#wq-read-toggle")                       # the header control stops
    log = phone.evaluate("window.__tts")
    current = log["spoken"][-1]["text"]
    assert len(log["cancels"]) == cancels + 1 and log["pauses"] == 0   # cancel, never pause()
    assert phone.inner_text("#wq-read-main") == "接着读" and phone.is_visible("#wq-read-again")
    assert phone.evaluate("CSS.highlights.has('wq-read')") is False
    phone.wait_for_timeout(600)
    assert len(phone.evaluate("window.__tts.spoken")) == len(log["spoken"]), "still speaking after stop"
    phone.click("#wq-read-main")                         # 接着读: the same sentence again
    phone.wait_for_function(f"() => window.__tts.spoken.length > {len(log['spoken'])}")
    assert phone.evaluate("window.__tts.spoken")[len(log["spoken"])]["text"] == current
    phone.keyboard.press("Escape")                       # Escape stops too
    assert phone.inner_text("#wq-read-main") == "接着读"
    n = len(phone.evaluate("window.__tts.spoken"))
    phone.click("#wq-read-again")                        # 从头读
    phone.wait_for_function(f"() => window.__tts.spoken.length > {n}")
    assert phone.evaluate("window.__tts.spoken")[n]["text"] == phone.inner_text("article h1") + "。"


def test_tap_on_a_paragraph_reads_from_there(phone, site_server):
    # (each sentence lasts 2 s: on a busy machine 250 ms were over, and the next heading marked,
    # before the marked element was read)
    with_stub(phone, duration=2000)
    phone.goto(site_server + GUIDE, wait_until="load")
    phone.click("#wq-read-main")
    phone.wait_for_function("() => window.__tts.spoken.length >= 2")
    target = phone.locator("article p", has_text="把证据的照片另外存一份")
    n = len(phone.evaluate("window.__tts.spoken"))
    target.click()
    phone.wait_for_function(f"() => window.__tts.spoken.length > {n}")
    assert phone.evaluate("window.__tts.spoken")[n]["text"].startswith("把证据的照片另外存一份")
    assert phone.evaluate("document.querySelector('.wq-reading') && document.querySelector('.wq-reading').innerText") \
        .startswith("把证据的照片")
    # a tap on a link is a link, not a place to read from
    phone.click("#wq-read-toggle")
    n = len(phone.evaluate("window.__tts.spoken"))
    phone.evaluate("document.querySelector('article a.wq-cite').setAttribute('href', '#here')")
    phone.locator("article a.wq-cite").first.click()
    assert phone.url.endswith("#here")
    phone.wait_for_timeout(300)
    assert len(phone.evaluate("window.__tts.spoken")) == n


def test_headings_lists_and_numbers_read_naturally(phone, site_server):
    with_stub(phone, duration=5)
    phone.goto(site_server + LAW, wait_until="load")
    texts = [s["text"] for s in read_to_the_end(phone, timeout=90000)]
    assert "第二十三条" in [t.rstrip("。") for t in texts]   # each article number on its own, in words
    assert not [t for t in texts if "复制链接" in t or "引用本条" in t], "controls and cross-references are not read"
    assert texts[0] == phone.inner_text("article h1") + "。"
    # numbers in running text: an injected paragraph and an ordered list
    phone.evaluate("""() => {
      const art = document.querySelector('article.md-content__inner');
      art.insertAdjacentHTML('afterbegin', '<p id="t-num">依照第23条和1079条，拨打12338或0999-1234567，'
        + '72小时内，2016年3月1日，5000元。</p><ol><li>报警</li><li>验伤</li></ol>');
    }""")
    phone.evaluate("window.__tts.spoken = []")
    phone.locator("#t-num").click()
    phone.wait_for_function("() => window.__tts.spoken.some(s => s.text === '第二，验伤')")
    said = [s["text"] for s in phone.evaluate("window.__tts.spoken")]
    said = said[:said.index("第二，验伤") + 1]
    assert "".join(said[:-2]) == ("依照第二十三条和一千零七十九条，拨打幺二三三八或零九九九，幺二三四五六七，"
                                  "72小时内，2016年3月1日，5000元。")
    assert said[-2:] == ["第一，报警", "第二，验伤"]


def test_pinyin_is_not_read(phone, site_server):
    with_stub(phone)
    phone.goto(site_server + GUIDE, wait_until="load")
    phone.click("button.wq-pinyin-toggle")
    phone.wait_for_selector("article ruby rt")
    spoken = read_to_the_end(phone)
    assert not [s["text"] for s in spoken if TONE_MARKS.search(s["text"]) or re.search(r"[a-z]{2}", s["text"])]
    assert coverage(article_text(phone), spoken) >= 0.8
    assert sum(highlighted(s) for s in spoken) >= 0.8 * len(spoken)


def test_no_chinese_voice_says_so_and_speaks_nothing(phone, site_server):
    english = {"name": "English", "lang": "en-US", "localService": True, "default": True}
    cantonese = {"name": "粤语", "lang": "zh-HK", "localService": True, "default": False}
    with_stub(phone, voices=[english, cantonese])
    phone.goto(site_server + GUIDE, wait_until="load")
    phone.click("#wq-read-toggle")
    phone.wait_for_function("() => document.getElementById('wq-read-msg').textContent.includes('没有中文语音')")
    assert phone.is_visible("#wq-read-msg")
    assert "文字转语音" in phone.inner_text("#wq-read-msg")
    assert phone.evaluate("window.__tts.spoken") == []
    assert phone.inner_text("#wq-read-toggle") == "朗读"


def test_without_speech_synthesis_says_so(phone, site_server):
    with_stub(phone, missing=True)
    phone.goto(site_server + GUIDE, wait_until="load")
    phone.click("#wq-read-main")
    phone.wait_for_function("() => document.getElementById('wq-read-msg').textContent.includes('不能朗读')")
    assert phone.is_visible("#wq-read-msg")


def test_voices_that_arrive_late_and_a_local_mandarin_voice_first(phone, site_server):
    """As on Android Chrome: an empty voice list until voiceschanged; a network zh-CN voice, a local
    one written cmn_CN, Cantonese and English. The local Mandarin voice reads, with its language."""
    voices = [{"name": "English", "lang": "en-US", "localService": True, "default": True},
              {"name": "Google 普通话（中国大陆）", "lang": "zh-CN", "localService": False, "default": False},
              {"name": "粤語", "lang": "zh-HK", "localService": True, "default": False},
              {"name": "Chinese China", "lang": "cmn_CN", "localService": True, "default": False}]
    with_stub(phone, voices=voices, late=600)
    phone.goto(site_server + GUIDE, wait_until="load")
    phone.click("#wq-read-main")
    phone.wait_for_function("() => window.__tts.spoken.length >= 3")
    first = phone.evaluate("window.__tts.spoken")[0]
    assert first["voiceName"] == "Chinese China" and first["lang"] == "cmn-CN"


def test_quick_exit_stops_the_reading_at_once(phone, site_server):
    calls = []
    phone.expose_binding("wqRecord", lambda source, kind, detail: calls.append((kind, detail)))
    with_stub(phone, duration=400)
    phone.goto(site_server + GUIDE, wait_until="load")
    phone.click("#wq-read-main")
    phone.wait_for_function("() => window.__tts.spoken.length >= 2")
    before = len(calls)
    phone.click("#wq-exit")
    phone.wait_for_url(EXIT_URL)
    after = calls[before:]
    # the voice is cancelled first thing, while the page is still shown, and nothing more is said
    assert ("cancel", "shown") in after, after
    assert "speak" not in [k for k, _ in after[after.index(("cancel", "shown")):]]


@pytest.fixture(scope="module")
def offline_site(offline_dir) -> Path:
    """The offline edition (`weiquan offline`, use_directory_urls: false), unzipped: conftest's
    offline_dir, built once per test run."""
    from weiquan.build.offline import SITE_FOLDER
    return offline_dir / SITE_FOLDER


def test_reads_in_the_offline_edition_from_file_url(phone, offline_site):
    with_stub(phone)
    requests, problems = [], []
    phone.on("request", lambda r: requests.append(r.url))
    phone.on("console", lambda m: problems.append(m.text) if "Content Security Policy" in m.text else None)
    phone.on("pageerror", lambda e: problems.append(str(e)))
    phone.goto((offline_site / "guides" / "jiabao-zenmeban.html").as_uri(), wait_until="load")
    spoken = read_to_the_end(phone)
    assert len(spoken) >= 5 and coverage(article_text(phone), spoken) >= 0.8
    assert not problems, problems
    assert [u for u in requests if not u.startswith("file://")] == []
    assert any(u.endswith("/assets/javascripts/wq-read.js") for u in requests)
