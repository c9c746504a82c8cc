"""Every deadline, amount, age, multiple or number of days a guide or case states must appear in
one of the articles it cites (issue 14, legal accuracy).

Numbers are compared by value and unit, Chinese and Arabic numerals alike: “98天” in a guide
matches “九十八日” in an article, “五万元” matches “5万元”, “一周岁” matches “1岁”. Article numbers
(第二十三条), dates (2026年1月1日), phone numbers (12338) and counts without a unit are not
legal quantities and are ignored. Checked text: a guide's title, summary, questions and body; a
case's title, summary, outcome, explanation and questions — not its facts, which tell an invented
story (“在公司工作三年”).
"""

from __future__ import annotations

import re
from fractions import Fraction
from pathlib import Path

import pytest

from weiquan.content.citations import SHORTCODE_RE
from weiquan.content.library import Content, Guide
from weiquan.content.loader import check_content
from weiquan.content.model import Citation, GuideMeta
from weiquan.zh.numerals import cn_to_int

ROOT = Path(__file__).resolve().parents[1]

_CN = "〇零一二两三四五六七八九十百千万"
_NUM = rf"(?:\d+(?:\.\d+)?万?|[{_CN}]+)"

# Units, longest first; each maps to a canonical unit so that 日 == 天, 周岁 == 岁, 个月 == 月.
_UNITS = [
    ("个工作日", "工作日"), ("工作日", "工作日"), ("个小时", "小时"), ("小时", "小时"),
    ("个星期", "周"), ("星期", "周"), ("周岁", "岁"), ("周年", "年"), ("个月", "月"),
    ("万元", "万元"), ("元", "元"), ("日", "日"), ("天", "日"), ("周", "周"),
    ("年", "年"), ("岁", "岁"), ("倍", "倍"),
]
_UNIT_RE = "|".join(re.escape(u) for u, _ in _UNITS)
_CANON = dict(_UNITS)

# A number is not counted when it continues a numeral or an ordinal (第二十三条), or follows a
# demonstrative (同一天, 这一年).
_LEFT = rf"(?<![第\d.{_CN}同这那某哪])"
_QUANTITY_RE = re.compile(
    rf"{_LEFT}(?P<num>{_NUM}|半)[ \u00a0]?(?:(?P<unit>{_UNIT_RE})(?!级|代|底|初)"
    rf"|分之(?P<part>{_NUM}))")
_PERCENT_RE = re.compile(rf"{_LEFT}(?P<num>\d+(?:\.\d+)?)\s*[%％]")

# Dates and years are not quantities: 2026年1月1日, 1月1日, 二〇二三年, 2023年.
_DATE_RES = [
    re.compile(rf"(?:\d{{4}}|[〇零一二三四五六七八九]{{4}})年(?:{_NUM}月(?:{_NUM}[日号])?)?"),
    re.compile(rf"(?<![\d{_CN}]){_NUM}月{_NUM}[日号]"),
    re.compile(rf"(?<![\d{_CN}个]){_NUM}月(?:份)?"),
]
_LINK_URL_RE = re.compile(r"\]\([^)]*\)")
_COMMENT_RE = re.compile(r"<!--.*?-->", re.S)


def cn_number(text: str) -> Fraction:
    """'九十八' -> 98, '二十四' -> 24, '一万' -> 10000, '5万' -> 50000, '1.5' -> 3/2, '一〇五' -> 105."""
    if text.endswith("万") and len(text) > 1:
        return cn_number(text[:-1]) * 10000
    if re.fullmatch(r"\d+(?:\.\d+)?", text):
        return Fraction(text)
    if "万" in text:
        high, low = text.split("万", 1)
        return cn_number(high) * 10000 + (cn_number(low) if low else 0)
    return Fraction(cn_to_int(text))


def _plain(text: str) -> str:
    """Text as a reader sees it: shortcodes become their label, link targets and comments go."""
    text = SHORTCODE_RE.sub(lambda m: m.group(3) or "", text)
    text = _COMMENT_RE.sub("", text).replace("**", "")
    text = _LINK_URL_RE.sub("]", text)
    for date_re in _DATE_RES:
        text = date_re.sub(" ", text)
    return text


def quantities(text: str) -> dict[tuple[Fraction, str], str]:
    """Legal quantities stated in text: (value, canonical unit) -> first spelling found."""
    text = _plain(text)
    found: dict[tuple[Fraction, str], str] = {}
    for m in _QUANTITY_RE.finditer(text):
        num = m.group("num")
        try:
            value = Fraction(1, 2) if num == "半" else cn_number(num)
        except (KeyError, ValueError):
            continue
        if m.group("unit"):
            unit = _CANON[m.group("unit")]
            if unit == "万元":
                value, unit = value * 10000, "元"
        else:  # 三分之二, 百分之十
            try:
                part = cn_number(m.group("part"))
            except (KeyError, ValueError):
                continue
            if not value:
                continue
            value, unit = part / value, "比例"
        found.setdefault((value, unit), m.group(0))
    for m in _PERCENT_RE.finditer(text):
        found.setdefault((Fraction(m.group("num")) / 100, "比例"), m.group(0))
    return found


def checked_text(entry) -> str:
    if isinstance(entry, Guide):
        meta = entry.meta
        return "\n".join([meta.title, meta.summary or "", *meta.questions, entry.body])
    return "\n".join([entry.title, entry.summary or "", entry.outcome, entry.explanation,
                      *entry.questions])


def unsupported(content: Content, entry) -> list[tuple[str, list[str]]]:
    """Quantities the entry states that none of its cited articles contains, with the citations."""
    cited = content.cited_articles(entry)
    allowed: set[tuple[Fraction, str]] = set()
    for _law, article in cited:
        allowed |= set(quantities("\n".join(article.paragraphs)))
    names = [f"《{law.short_name}》{article.number}" for law, article in cited]
    return [(spelling, names) for key, spelling in quantities(checked_text(entry)).items()
            if key not in allowed]


def _where(content: Content, entry, spelling: str) -> str:
    source = content.source(entry)
    if source is None:
        return getattr(entry, "slug", "?")
    for i, line in enumerate(source.path.read_text(encoding="utf-8").splitlines(), 1):
        if spelling in _plain(line):
            return f"{source.display}:{i}"
    return source.display


@pytest.fixture(scope="module")
def content() -> Content:
    loaded, problems = check_content(ROOT / "content")
    assert not problems, "\n".join(map(str, problems))
    return loaded


# ---- the bundled content -------------------------------------------------------------------

def test_every_number_in_guides_and_cases_is_in_a_cited_article(content):
    failures = []
    for entry in [*content.guides, *content.cases]:
        for spelling, names in unsupported(content, entry):
            failures.append(f"{_where(content, entry, spelling)}: “{spelling}”不在所引条文中"
                            f"（所引：{'、'.join(names) or '无'}）(number not in any cited article)")
    assert not failures, "\n".join(failures)


def test_the_check_sees_numbers_in_the_bundled_guides(content):
    """Guard against a check that passes because it finds nothing."""
    stated = {key for g in content.guides for key in quantities(checked_text(g))}
    assert (Fraction(72), "小时") in stated or (Fraction(98), "日") in stated


# ---- the rules, on made-up text --------------------------------------------------------------

def _guide(body: str, **meta) -> Guide:
    return Guide(meta=GuideMeta(title=meta.pop("title", "测试指南"), **meta), slug="t", body=body,
                 body_line=1)


def test_a_made_up_deadline_fails(content):
    guide = _guide("申请后九十九日内，法院作出决定（[[反家庭暴力法#28]]）。")
    [(spelling, names)] = unsupported(content, guide)
    assert spelling == "九十九日" and names == ["《反家庭暴力法》第二十八条"]


def test_the_article_s_own_numbers_pass_in_either_numeral(content):
    # 反家庭暴力法 第二十八条: 七十二小时内 … 二十四小时内
    assert unsupported(content, _guide("72小时内作出；紧急的，二十四个小时内（[[反家庭暴力法#28]]）。")) == []


def test_a_number_from_another_article_of_the_same_law_fails(content):
    # 六个月 is in 第三十条 (protection order lasts up to six months), not in 第二十八条.
    guide = _guide("保护令有效期不超过六个月（[[反家庭暴力法#28]]）。")
    assert [s for s, _ in unsupported(content, guide)] == ["六个月"]
    assert unsupported(content, _guide("有效期不超过6个月（[[反家庭暴力法#30]]）。")) == []


def test_summary_and_title_are_checked_against_the_body_s_citations(content):
    guide = _guide("见[[反家庭暴力法#28]]。", title="三天内能拿到保护令吗", summary="法院七十二小时内作出决定。")
    assert [s for s, _ in unsupported(content, guide)] == ["三天"]


def test_a_case_is_checked_against_its_citations_but_not_its_story(content):
    base = content.cases[0].model_copy(update={
        "citations": [Citation(law="反家庭暴力法", article="28")],
        "title": "测试", "summary": None, "questions": [],
        "outcome": "法院在七十二小时内作出保护令。", "explanation": "法院应当在72小时内作出。"})
    assert unsupported(content, base) == []
    bad = base.model_copy(update={"explanation": "法院应当在九十九日内作出。"})
    assert [s for s, _ in unsupported(content, bad)] == ["九十九日"]
    story = base.model_copy(update={"facts": "她在厂里干了九十九天。"})
    assert unsupported(content, story) == []


@pytest.mark.parametrize("text", [
    "依照第二十三条、第一百二十条之一的规定",
    "本法自2026年1月1日起施行，2012年的文本同时废止",
    "自二〇二三年六月一日起施行",
    "三八妇女节是3月8日",
    "拨打 12338、110、120，或者 0000-1234567",
    "第一步，先报警；第三级体力劳动",
    "同一天去；这一年里",
    "[[反家庭暴力法#23|第二十三条]]，[链接](../laws/fan-jiating-baoli-fa/#a23)",
])
def test_not_quantities(text):
    assert quantities(text) == {}


@pytest.mark.parametrize("a, b", [
    ("98天", "九十八日"), ("72小时", "七十二小时"), ("一年", "1年"), ("六个月", "6个月"),
    ("二倍", "2倍"), ("两倍", "二倍"), ("五万元", "50000元"), ("5万元", "五万元"), ("一千元", "1000元"),
    ("一周岁", "1岁"), ("十五日", "15天"), ("半年", "半年"), ("三分之二", "三分之二"),
    ("百分之十", "10%"), ("一万元以上", "10000元"), ("98 天", "九十八日"), ("**72** 小时", "七十二小时"),
])
def test_numerals_normalise(a, b):
    assert set(quantities(a)) == set(quantities(b)) != set()


def test_different_values_and_units_differ():
    assert set(quantities("五日")) != set(quantities("五个月"))
    assert set(quantities("十五日")) != set(quantities("五日"))
    assert set(quantities("三年")) != set(quantities("三倍"))
