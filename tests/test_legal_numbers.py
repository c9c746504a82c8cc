"""The number rule (weiquan/content/numbers.py): every deadline, amount, age, multiple or number
of days a guide, case or form states must appear in one of the articles it cites (issue 14, legal
accuracy); `weiquan check` reports one that does not as an error with file:line (issue 24).

Numbers are compared by value and unit, Chinese and Arabic numerals alike: “98天” in a guide
matches “九十八日” in an article, “五万元” matches “5万元”, “一周岁” matches “1岁”. Article numbers
(第二十三条), dates (2026年1月1日), phone numbers (12338) and counts without a unit are not legal
quantities and are ignored. Checked text: a guide's title, summary, questions and body; a case's
title, summary, outcome, explanation and questions — not its facts, which tell an invented story
(“在公司工作三年”); a form's texts, each against its own citation.
"""

from __future__ import annotations

import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import pytest

from weiquan.content.library import Content, Guide
from weiquan.content.loader import check_content
from weiquan.content.model import Citation, CitedText, GuideMeta
from weiquan.content.numbers import pieces, quantities, unsupported

from conftest import copy_content, example_content

BIN = Path(sys.executable).parent


def checked_text(entry) -> str:
    return "\n".join(p.text for p in pieces(entry))


@pytest.fixture(scope="module")
def content() -> Content:
    loaded, problems = check_content(example_content())
    assert not problems, "\n".join(map(str, problems))
    return loaded


# ---- the bundled content -------------------------------------------------------------------

def test_every_number_in_guides_cases_and_forms_is_in_a_cited_article(content):
    failures = [f"{content.source(entry).display}: “{spelling}”不在所引条文中（所引：{'、'.join(names) or '无'}）"
                for entry in [*content.guides, *content.cases, *content.forms]
                for spelling, names in unsupported(content, entry)]
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
    "只愿意给几百元私了；数十日后",
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


# ---- forms: each text against its own citation ------------------------------------------------

def test_a_form_fact_is_checked_against_its_own_citation(content):
    form = next(f for f in content.forms if f.slug == "baohuling")
    assert unsupported(content, form) == []
    # 六个月 is 第三十条's; stated under 第二十八条 it fails, though the form cites 第三十条 elsewhere
    moved = form.model_copy(update={"facts": [CitedText(text="保护令的有效期不超过六个月。",
                                                        cite=Citation(law="反家庭暴力法", article="28"))]})
    assert [s for s, _ in unsupported(content, moved)] == ["六个月"]


# ---- `weiquan check` reports it, with file and line ----------------------------------------------

def _copy_with(tmp_path: Path, rel: str, old: str, new: str) -> tuple[Path, int]:
    """The bundled content copied, one phrase of one file changed: (copy, line of the change)."""
    copy = tmp_path / "content"
    copy_content(copy)
    path = copy / rel
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{rel} should hold “{old}” once"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return copy, text[: text.index(old)].count("\n") + 1


@pytest.mark.slow   # `weiquan check` on the whole test content
def test_weiquan_check_fails_on_a_number_no_cited_article_states(tmp_path):
    copy, line = _copy_with(tmp_path, "guides/baohuling.md", "保护令有效期不超过六个月", "保护令有效期不超过八个月")
    r = subprocess.run([str(BIN / "weiquan"), "check", str(copy), "--no-leaflets"],
                       cwd=tmp_path, capture_output=True, text=True)
    assert r.returncode == 1, r.stdout + r.stderr
    assert "Traceback" not in r.stderr
    [problem] = [ln for ln in r.stderr.splitlines() if "八个月" in ln]
    assert problem.startswith(f"content/guides/baohuling.md:{line}: “八个月”"), problem
    assert "《反家庭暴力法》" in problem
    assert "内容无误" not in r.stdout


def test_a_changed_amount_in_a_case_is_reported_on_its_line(tmp_path):
    copy, line = _copy_with(tmp_path, "cases/zhaopin-xianzhi-nanxing.yaml", "一万元以上五万元以下", "一万元以上六万元以下")
    _, problems = check_content(copy)
    assert [(p.path.split("/", 1)[1], p.line) for p in problems if "六万元" in p.zh] == \
        [("cases/zhaopin-xianzhi-nanxing.yaml", line)]
