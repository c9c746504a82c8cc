"""Unit tests for weiquan.reading (the pinyin reading aid)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from weiquan.zh.reading import Annotator, load_overrides, page_payload, parse_overrides

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def ann() -> Annotator:
    return Annotator(load_overrides(ROOT / "content" / "pinyin.yaml"))


@pytest.mark.parametrize("text, word, reading", [
    ("有配偶者与他人重婚的，应当依法处理。", "重婚", "chóng hūn"),
    ("借款人应当按照约定的期限还款。", "还款", "huán kuǎn"),
    ("当事人可以约定一方向对方给付定金作为债权的担保。", "给付", "jǐ fù"),
    ("对违反本法的人员依法给予处分。", "处分", "chǔ fèn"),
    ("人民调解委员会可以进行调解。", "调解", "tiáo jiě"),
    ("用人单位不得以结婚为由辞退女职工。", "单位", "dān wèi"),
    ("成年子女对父母负有赡养、扶助和保护的义务。", "赡养", "shàn yǎng"),
    ("父母对未成年子女负有抚养、教育和保护的义务。", "抚养", "fǔ yǎng"),
    ("不满八周岁的未成年人为无民事行为能力人。", "行为", "xíng wéi"),
    ("不能确定的，视为份额相同。", "视为", "shì wéi"),
    ("没有正当理由不得拒绝。", "正当", "zhèng dàng"),
    ("由公安机关处五日以下拘留。", "处", "chǔ"),
    ("并处一万元以上五万元以下罚款。", "并处", "bìng chǔ"),
    ("租赁期限最长不得超过二十年。", "最长", "zuì cháng"),
    ("在离婚诉讼中将财产隐藏。", "中将", "zhōng jiāng"),
    ("法律援助机构为老年人、残疾人提供法律援助。", "为", "wèi"),
    ("以人民为中心。", "为", "wéi"),
])
def test_words_read_right_in_context(ann, text, word, reading):
    i = text.index(word)
    got = [r for _, r in ann.readings(text)][i:i + len(word)]
    assert " ".join(got) == reading, ann.segments(text)


def test_non_han_untouched(ann):
    text = "第1040条 ABC，2020年。"
    pairs = ann.readings(text)
    assert "".join(c for c, _ in pairs) == text
    assert [c for c, r in pairs if r is None] == list("1040 ABC，2020。")
    html = ann.ruby_html(text)
    assert "<ruby>第<rt" in html and "1040" in html and "ABC，2020" in html
    assert html.count("<ruby>") == 3  # 第, 条, 年
    assert ann.ruby_html("a<b>&c") == "a&lt;b&gt;&amp;c"


def test_one_and_bu_keep_dictionary_tones(ann):
    assert ann.pinyin("一个人不是") == "yī gè rén bù shì"


def test_ruby_markup(ann):
    html = ann.ruby_html("还款")
    # one <ruby> per character, so each syllable sits centred over its own character
    assert html == ('<ruby>还<rt aria-hidden="true">huán</rt></ruby>'
                    '<ruby>款<rt aria-hidden="true">kuǎn</rt></ruby>')
    assert "<rp>" not in html
    assert re.sub(r"<rt[^>]*>.*?</rt>|<[^>]+>", "", html) == "还款"


def test_annotate_html_skips_code_keeps_attributes_entities_ids(ann):
    src = ('<h2 id="a23" title="重婚">第二十三条<a class="headerlink" href="#a23">¶</a></h2>'
           '<p class="x">依法<strong>重婚</strong>的&amp;&nbsp;&#20013;<code>还款</code>'
           '<script>var s = "还款";</script><!-- 还款 --></p>'
           '<pre><span>处分</span></pre><svg><text>处分</text></svg>'
           '<ruby>漢<rt>kan</rt></ruby><p class="wq-no-pinyin">处分</p><br/><img alt="处分">')
    out = ann.annotate_html(src)
    assert out.count("<ruby>") == out.count("</ruby>")
    # tags, attributes, entities and skipped content verbatim
    for keep in ('<h2 id="a23" title="重婚">', '<a class="headerlink" href="#a23">¶</a>',
                 '&amp;&nbsp;&#20013;', "<code>还款</code>", '<script>var s = "还款";</script>',
                 "<!-- 还款 -->", "<pre><span>处分</span></pre>", "<svg><text>处分</text></svg>",
                 "<ruby>漢<rt>kan</rt></ruby>", '<p class="wq-no-pinyin">处分</p>', "<br/>",
                 '<img alt="处分">'):
        assert keep in out, keep
    # inline markup does not break the phrase: 重婚 inside <strong> read in context
    assert ('<strong><ruby>重<rt aria-hidden="true">chóng</rt></ruby>'
            '<ruby>婚<rt aria-hidden="true">hūn</rt></ruby></strong>') in out
    # removing the annotations gives back the source
    def strip(s):
        return re.sub(r"<rt[^>]*>[^<]*</rt>|</?ruby>", "", s)
    assert strip(out) == strip(src)


def test_extra_names_reading():
    base = Annotator(load_overrides(ROOT / "content" / "pinyin.yaml"))
    assert base.pinyin("单县") == "dān xiàn"
    ann = base.with_extra({"单县": "shàn xiàn"})
    assert ann.pinyin("山东省单县妇联") == "shān dōng shěng shàn xiàn fù lián"
    assert Annotator({}, extra={"单县": "shan4 xian4"}).pinyin("单县") == "shàn xiàn"


def test_page_payload_is_a_script():
    js = page_payload('<h1 id="t">还款</h1><p>1</p>', load_overrides(ROOT / "content" / "pinyin.yaml"))
    assert js.startswith("window.wqPinyin&&wqPinyin.load(") and js.rstrip().endswith(");")
    body = json.loads(js[js.index("(") + 1:js.rindex(")")].replace("<\\/", "</"))
    assert body.startswith('<h1 id="t"><ruby>还<rt>huán</rt>')
    assert "</" not in js  # safe even if inlined in a <script>


@pytest.mark.parametrize("data, phrase", [
    ({"还款": "huán"}, "还款"),                   # too few syllables
    ({"重婚": "chóng hūn zuì"}, "重婚"),           # too many
    ({"调解": "tiáo jie3x"}, "调解"),              # not a syllable
    ({"处分": "chù fèn", "给付": "gěi fù x"}, "给付"),
    ({"还款": "hé kuǎn"}, "还款"),                 # not a reading of 还
    ({"ABC": "a b c"}, "ABC"),
])
def test_bad_overrides_name_the_phrase(data, phrase):
    with pytest.raises(ValueError, match=f"^{phrase}"):
        parse_overrides(data)


def test_bad_override_file(tmp_path):
    f = tmp_path / "pinyin.yaml"
    f.write_text('还款: "huán kuǎn"\n抚养: "fǔ"\n', encoding="utf-8")
    with pytest.raises(ValueError, match="^抚养"):
        load_overrides(f)
    f.write_text('还款: "huán kuǎn"\n还款: "huan2 kuan3"\n', encoding="utf-8")
    with pytest.raises(ValueError, match="^还款: duplicate"):
        load_overrides(f)
    f.write_text('还款: "huan2 kuan3"\n绿地: "lv4 di4"\n', encoding="utf-8")
    assert load_overrides(f) == {"还款": ["huán", "kuǎn"], "绿地": ["lǜ", "dì"]}
    assert load_overrides(tmp_path / "missing.yaml") == {}


def test_project_overrides_valid():
    ov = load_overrides(ROOT / "content" / "pinyin.yaml")
    assert len(ov) >= 60
    assert ov["重婚"] == ["chóng", "hūn"]
    assert load_overrides(ROOT / "content" / "pinyin.yaml") is ov  # cached
