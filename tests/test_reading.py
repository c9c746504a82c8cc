"""Unit tests for weiquan.reading (the pinyin reading aid)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import FIXTURE_CONTENT
from weiquan.zh.han import HAN_CLASS, is_han
from weiquan.zh.reading import Annotator, js_han_pattern, load_overrides, page_payload, parse_overrides

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def ann() -> Annotator:
    return Annotator(load_overrides(FIXTURE_CONTENT / "pinyin.yaml"))


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


def test_text_runs_group_nodes_as_they_are_read():
    """Inline tags and comments end a node but not its run; blocks, <br> and skipped elements end
    the run; entities are decoded; a stray < is text; skipped and raw-text content gives no node."""
    from weiquan.zh.reading import text_runs
    runs = text_runs('<p>依法<strong>重婚</strong>的<!-- c -->后</p><P CLASS="wq-no-pinyin">跳过</P>'
                     '<p title="a>b">甲&amp;乙 a < b</p><script>var s="<p>丙</p>";</script><p>丁<br>戊<wbr>己</p>'
                     '<div translate="NO">庚<b>辛</b></div><p>壬<code>码</code>癸')
    runs = [r for r in runs if any(t.strip() for t in r)]
    assert runs == [["依法", "重婚", "的", "后"], ["甲&乙 a < b"], ["丁"], ["戊", "己"], ["壬"], ["癸"]]


def test_extra_names_reading():
    base = Annotator(load_overrides(FIXTURE_CONTENT / "pinyin.yaml"))
    assert base.pinyin("单县") == "dān xiàn"
    ann = base.with_extra({"单县": "shàn xiàn"})
    assert ann.pinyin("山东省单县妇联") == "shān dōng shěng shàn xiàn fù lián"
    assert Annotator({}, extra={"单县": "shan4 xian4"}).pinyin("单县") == "shàn xiàn"


def test_a_run_read_again_is_read_the_same_and_its_clause_still_decides_wei():
    """Runs are remembered per annotator (pages repeat them): the remembered words are the
    ones a fresh annotator reads, and 为 is still read by the rest of its clause."""
    texts = ["本站为 12338 提供服务", "本站为 12338 号", "维权服务站电话", "本站为 12338 提供服务",
             "本站为 12338 号", "维权服务站电话"]
    ann = Annotator()
    read = [ann.readings(t) for t in texts]
    assert read == [Annotator().readings(t) for t in texts]
    assert [r for _, r in read[0]][2] == "wèi" and [r for _, r in read[1]][2] == "wéi"
    read[2][0] = ("x", "x")   # what a caller does with its result stays its own
    assert ann.readings(texts[2]) == read[5] != read[2]


SYLLABLE = re.compile(r"[a-z\u00e0-\u024f\u0300-\u036f\u1e00-\u1eff-]*")


def payload_data(js: str) -> dict:
    assert js.startswith("window.wqPinyin&&wqPinyin.load({") and js.endswith(");\n")
    return json.loads(js[js.index("(") + 1:js.rindex(")")])


def tokens(s: str) -> list[tuple[str, str]]:
    """'重chóng婚' -> [('重', 'chóng'), ('婚', '')], as wq-pinyin.js reads an entry."""
    out, i = [], 0
    while i < len(s):
        m = SYLLABLE.match(s, i + 1)
        out.append((s[i], m.group()))
        i = m.end()
    return out


def client(js: str, live: list[str]) -> list[list[str | None] | None]:
    """What wq-pinyin.js does with a payload for the text nodes ``live`` (their texts): the
    readings of each node's 汉字, or None (left plain)."""
    data = payload_data(js)
    usual = {c: None if r == "-" else r for c, r in tokens(data["d"])}
    table: dict[str, list[list[str | None]]] = {}
    for e in data["e"]:
        toks = tokens(e)
        key = "".join(c for c, _ in toks)
        rds = [None if r == "-" else (r or usual.get(c) or None) for c, r in toks]
        table.setdefault(key, []).append(rds)
    keys = ["".join(re.findall(f"[{HAN_CLASS}]", t)) for t in live]
    count = {k: keys.count(k) for k in keys}
    seen: dict[str, int] = {}
    out = []
    for k in keys:
        seen[k] = seen.get(k, 0) + 1
        lst = table.get(k) if k else None
        out.append(None if not lst else lst[0] if len(lst) == 1
                   else lst[seen[k] - 1] if count[k] == len(lst) else None)
    return out


PAGE = ('<h1 id="t">离婚<a class="headerlink" href="#t">¶</a></h1>'
        '<p>有配偶者与他人<strong>重</strong>婚的，应当依法处理。借款人按期还款。</p>'
        '<p><b>为</b>妇女提供帮助。</p><p>以人民<b>为</b>中心。</p>'
        '<ul><li>还款</li><li>还款</li><li>还有</li></ul>'
        '<p>A&amp;B &#37325;&#23130;<!-- x -->还款</p>'
        '<code>还款</code><script>var s = "还款";</script><pre>处分</pre><select><option>处分</option></select>'
        '<p class="wq-no-pinyin">处分</p><p translate="no">处分</p><p>𠮷野家</p>')


def test_page_payload_is_readings_not_html(ann):
    js = page_payload(PAGE, ann.table)
    data = payload_data(js)
    assert data["v"] == 2 and set(data) == {"v", "h", "d", "e"}
    assert "</" not in js and "<" not in js and "ruby" not in js   # no markup at all
    # one entry per text node with 汉字, keyed by its 汉字 (an equal node once), in document order
    keys = ["".join(c for c, _ in tokens(e)) for e in data["e"]]
    assert keys == ["离婚", "有配偶者与他人", "重", "婚的应当依法处理借款人按期还款", "为", "妇女提供帮助",
                    "以人民", "为", "中心", "还款", "还有", "重婚", "𠮷野家"]
    # skipped: code, script, pre, option, wq-no-pinyin, translate=no
    assert "处分" not in keys
    # the page's usual reading of each character, once; entries spell out only the others
    usual = dict(tokens(data["d"]))
    assert usual["还"] == "huán" and usual["重"] == "chóng" and usual["为"] in ("wèi", "wéi")
    assert "还hái有" in data["e"]
    assert usual["𠮷"] == "-"       # a character without a reading


def test_payload_round_trip_equals_annotate_html(ann):
    """The client's result from the payload is the old aid's: the same ruby, character by character."""
    js = page_payload(PAGE, ann.table)
    live = [t for run in _nodes(PAGE) for t in run]
    got = []
    for text, rds in zip(live, client(js, live)):
        hans = re.findall(f"[{HAN_CLASS}]", text)
        if rds is None:
            assert not hans, text
            continue
        got.extend((c, r) for c, r in zip(hans, rds) if r)
    old = re.findall(r"<ruby>(.)<rt[^>]*>([^<]*)</rt></ruby>",
                     ann.annotate_html(PAGE.replace("&#37325;&#23130;", "重婚")))
    assert got == [tuple(x) for x in old if x[1]]   # (the old aid wrote an empty <rt> for 𠮷)
    assert ("重", "chóng") in got and ("还", "hái") in got


def _nodes(html: str) -> list[list[str]]:
    from weiquan.zh.reading import text_runs
    return text_runs(html)


def test_payload_never_misreads_a_changed_page(ann):
    js = page_payload(PAGE, ann.table)
    live = [t for run in _nodes(PAGE) for t in run]
    assert all(r is not None for t, r in zip(live, client(js, live)) if re.search(f"[{HAN_CLASS}]", t))
    # a node a script changed: plain, not read as the old text
    changed = [t.replace("还款", "还钱") for t in live]
    out = client(js, changed)
    assert out[live.index("有配偶者与他人")] is not None
    assert out[changed.index("婚的，应当依法处理。借款人按期还钱。")] is None
    # a key read differently in two places (为 wèi / wéi) is used only if both places are there, in order
    i, j = live.index("为"), len(live) - 1 - live[::-1].index("为")
    rd = client(js, live)
    assert rd[i] == ["wèi"] and rd[j] == ["wéi"]
    assert client(js, live[:i + 1] + ["为"] + live[i + 1:])[i] is None      # a third 为: none of them
    assert client(js, ["为"]) == [None]
    # a node a script wrote with a text of the page gets that text's readings
    assert client(js, ["还有"]) == [["hái", "yǒu"]]


def test_payload_extra_names_and_entities():
    ann = Annotator(load_overrides(FIXTURE_CONTENT / "pinyin.yaml"))
    js = page_payload("<p>山东省单县妇联</p><p>&#21333;&#21439;</p>", ann.table, extra={"单县": "shàn xiàn"})
    assert client(js, ["山东省单县妇联", "单县"]) == [
        ["shān", "dōng", "shěng", "shàn", "xiàn", "fù", "lián"], ["shàn", "xiàn"]]


def test_js_han_pattern_is_han_class():
    """wq-pinyin.js gets the 汉字 class from the payload (weiquan.zh.han): the same characters in
    ES5 JavaScript (no u flag) as in Python, on every plane."""
    node = shutil.which("node")
    assert node, "node is needed for this test"
    src = json.dumps(js_han_pattern())
    script = (f"const re = new RegExp('^' + {src} + '$'); const out = []; let start = -1;"
              "for (let cp = 0; cp <= 0x110000; cp++) {"
              "  const hit = cp < 0x110000 && !(cp >= 0xd800 && cp < 0xe000) && re.test(String.fromCodePoint(cp));"
              "  if (hit && start < 0) start = cp; if (!hit && start >= 0) { out.push([start, cp - 1]); start = -1; } }"
              "console.log(JSON.stringify(out));")
    got = json.loads(subprocess.run([node, "-e", script], capture_output=True, text=True, check=True).stdout)
    want, start = [], -1
    for cp in range(0x110001):
        hit = cp < 0x110000 and not 0xD800 <= cp < 0xE000 and is_han(chr(cp))
        if hit and start < 0:
            start = cp
        if not hit and start >= 0:
            want.append([start, cp - 1])
            start = -1
    assert got == want and len(want) >= 5


def test_client_skips_what_the_payload_skips():
    from weiquan.zh.reading import _SKIP_TAGS
    js = (ROOT / "overrides" / "assets" / "javascripts" / "wq-pinyin.js").read_text(encoding="utf-8")
    m = re.search(r"var SKIP = /\^\(([a-z|]+)\)\$/;", js)
    assert m and set(m.group(1).split("|")) == set(_SKIP_TAGS)
    assert "wq-no-pinyin" in js and '"translate"' in js


@pytest.mark.parametrize("html", [
    PAGE,
    "<p>还款</p>",
    "".join(f"<p>第{i}条 有配偶者与他人重婚的，应当依法处理。</p><p><a href='#'>《民法典》第一千零七十九条</a></p>"
            for i in range(200)),
])
def test_page_size_estimate_is_honest(ann, html):
    """The size the page shows while the payload loads (engine.pinyin_kb) is about the payload's."""
    from weiquan.build.engine import pinyin_kb
    size = len(page_payload(html, ann.table).encode("utf-8")) / 1024
    assert abs(pinyin_kb(html) - size) <= max(1, 0.2 * size), (pinyin_kb(html), size)


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
    ov = load_overrides(FIXTURE_CONTENT / "pinyin.yaml")
    assert len(ov) >= 60
    assert ov["重婚"] == ["chóng", "hūn"]
    assert load_overrides(FIXTURE_CONTENT / "pinyin.yaml") is ov  # cached
