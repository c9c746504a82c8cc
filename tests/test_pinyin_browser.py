"""The 拼音 toggle in real Chromium: readings, persistence, and no pinyin bytes when off."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser
LAW_PAGE = "laws/minfadian/b5-z4/"  # 婚姻家庭编 第四章 离婚: 调解, 重婚, 抚养 …


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
