"""Every kind of content mistake gives `path:line: 中文 (English)` — never a traceback."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from weiquan.content.loader import check_content, load_content
from weiquan.content.phones import classify

from conftest import FIXTURE_CONTENT, LAWS, example_content

CASE = """\
slug: test-case
title: 测试案例
provenance:
  type: 示例
facts: 事实。
outcome: 结果。
explanation: 解释。
citations:
  - law: 反家庭暴力法
    article: 23
"""


@pytest.fixture()
def content(tmp_path) -> Path:
    """A small valid content folder: site settings, one law, one station, one case, one campaign, one guide."""
    root = tmp_path / "content"
    for sub in ("laws", "stations", "cases", "campaigns", "guides"):
        (root / sub).mkdir(parents=True)
    shutil.copy(FIXTURE_CONTENT / "site.yaml", root / "site.yaml")
    shutil.copy(LAWS / "fan-jiating-baoli-fa.yaml", root / "laws")
    shutil.copy(FIXTURE_CONTENT / "stations" / "chengguan.yaml", root / "stations")
    (root / "cases" / "test-case.yaml").write_text(CASE, encoding="utf-8")
    (root / "campaigns" / "c.yaml").write_text(
        "slug: c\nname: 三八维权周\nstart: 2027-03-01\nend: 2027-03-08\nevents:\n"
        "  - {date: 2027-03-02, place: 广场, station: chengguan, activity: 宣传, organiser: 妇联}\n",
        encoding="utf-8")
    (root / "guides" / "g.md").write_text("---\ntitle: 指南\n---\n\n正文 [[反家暴法#23]]。\n", encoding="utf-8")
    return root


def line_of(path: Path, needle: str) -> int:
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in line)


def problems_of(root: Path) -> list[str]:
    content, problems = check_content(root)
    assert (content is None) == bool(problems)
    return [str(p) for p in problems]


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_valid_content_loads(content):
    loaded = load_content(content)
    assert loaded.counts() == {"laws": 1, "articles": 38, "cases": 1, "stations": 1, "campaigns": 1, "guides": 1,
                               "forms": 0}
    law, article = loaded.resolve_ref("反家暴法", "第二十三条")
    assert article.anchor == "a23" and law.slug == "fan-jiating-baoli-fa"


def test_yaml_syntax_error(content):
    (content / "cases" / "test-case.yaml").write_text(CASE.replace("outcome: 结果。", "outcome: [结果"), encoding="utf-8")
    [msg] = problems_of(content)
    assert msg.startswith("content/cases/test-case.yaml:") and "YAML 语法错误" in msg and "(YAML syntax error)" in msg


def test_yaml_syntax_error_in_a_referenced_station_is_reported_once(content):
    """The campaign names the station, but only the broken file is reported (no cascade)."""
    edit(content / "stations" / "chengguan.yaml", "phones:", "phones: [")
    [msg] = problems_of(content)
    assert msg.startswith("content/stations/chengguan.yaml:") and "YAML 语法错误" in msg


def test_unknown_key(content):
    (content / "cases" / "test-case.yaml").write_text(CASE + "colour: red\n", encoding="utf-8")
    [msg] = problems_of(content)
    assert msg.startswith("content/cases/test-case.yaml:11: 未知字段“colour”；这里可以写的字段：slug、title、")
    assert msg.endswith(" (unknown key)")


def test_wrong_type(content):
    (content / "cases" / "test-case.yaml").write_text(CASE.replace("facts: 事实。", "facts: [一, 二]"), encoding="utf-8")
    assert problems_of(content) == ["content/cases/test-case.yaml:5: “facts”应为一段文字，不是列表 (wrong type: expected text)"]


def test_bad_date(content):
    edit(content / "stations" / "chengguan.yaml", "last_verified: 2026-10-11", "last_verified: 2026-02-30")
    [msg] = problems_of(content)
    line = line_of(content / "stations" / "chengguan.yaml", "last_verified")
    assert msg.startswith(f"content/stations/chengguan.yaml:{line}: “last_verified”日期无效")
    assert msg.endswith("(bad date)")


def test_duplicate_slug(content):
    (content / "cases" / "again.yaml").write_text(CASE, encoding="utf-8")
    assert problems_of(content) == [
        "content/cases/test-case.yaml:1: slug “test-case” 重复，已用于 content/cases/again.yaml:1 (duplicate slug)"]


def test_unresolved_citation(content):
    (content / "cases" / "test-case.yaml").write_text(CASE.replace("article: 23", "article: 99"), encoding="utf-8")
    assert problems_of(content) == [
        "content/cases/test-case.yaml:9: 引用无法解析：《反家庭暴力法》没有“99” (unresolved citation: no such article)"]


def test_unknown_law(content):
    (content / "cases" / "test-case.yaml").write_text(CASE.replace("law: 反家庭暴力法", "law: 反家暴条例"), encoding="utf-8")
    [msg] = problems_of(content)
    assert msg.startswith("content/cases/test-case.yaml:9: 引用无法解析：找不到法律“反家暴条例”")


def test_unresolved_station_reference(content):
    edit(content / "campaigns" / "c.yaml", "station: chengguan", "station: nowhere")
    [msg] = problems_of(content)
    assert msg == "content/campaigns/c.yaml:6: 找不到服务站“nowhere” (unknown station reference)"


def test_region_not_found(content):
    edit(content / "stations" / "chengguan.yaml", 'code: "990101001"', 'code: "990101999"')
    [msg] = problems_of(content)
    line = line_of(content / "stations" / "chengguan.yaml", "code:")
    assert msg.startswith(f"content/stations/chengguan.yaml:{line}: 区划代码“990101999”不存在")
    assert msg.endswith("(region not found)")


def test_region_name_mismatch(content):
    edit(content / "stations" / "chengguan.yaml", "township: 城关镇", "township: 东河镇")
    line = line_of(content / "stations" / "chengguan.yaml", "township:")
    assert problems_of(content) == [
        f"content/stations/chengguan.yaml:{line}: 区划名称“东河镇”与代码 990101001 不符，应为“城关镇” (region name does not match its code)"]


def test_real_region_validates(content):
    path = content / "stations" / "chengguan.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("example: true\n", "").replace("province: 示例省", "province: 北京市").replace(
        "city: 示例市", "city: 市辖区").replace("county: 示例县", "county: 东城区").replace(
        "township: 城关镇", "township: 东华门街道").replace('code: "990101001"', 'code: "110101001"')
    path.write_text(text.replace('"0000-0000101"', '"12338"'), encoding="utf-8")
    assert problems_of(content) == []


def test_malformed_phone(content):
    edit(content / "stations" / "chengguan.yaml", 'number: "0000-0000101"', 'number: "12345-67"')
    line = line_of(content / "stations" / "chengguan.yaml", "12345-67")
    assert problems_of(content) == [
        f"content/stations/chengguan.yaml:{line}: 电话号码“12345-67”不对：手机号应为 11 位，这里是 7 位 (malformed phone number)"]


@pytest.mark.parametrize("number,kind", [
    ("13800138000", "mobile"), ("138 0013 8000", "mobile"), ("010-12345678", "landline"),
    ("0871-65123456", "landline"), ("0871-6512345", None), ("0000-0000101", "example"), ("12338", "service"), ("110", "service"), ("400-123-4567", "toll_free"),
    ("1380013800", None), ("10-1234567", None), ("12338a", None), ("023", None)])
def test_phone_kinds(number, kind):
    assert classify(number) == kind


def test_empty_required_text(content):
    (content / "cases" / "test-case.yaml").write_text(CASE.replace("title: 测试案例", 'title: "  "'), encoding="utf-8")
    assert problems_of(content) == ["content/cases/test-case.yaml:2: “title”不能为空 (empty required text)"]


def test_missing_required_key(content):
    (content / "cases" / "test-case.yaml").write_text(CASE.replace("outcome: 结果。\n", ""), encoding="utf-8")
    assert problems_of(content) == ["content/cases/test-case.yaml:1: 缺少必填字段“outcome” (missing required key)"]


def test_guide_unknown_article(content):
    (content / "guides" / "g.md").write_text("---\ntitle: 指南\n---\n\n第一段。\n\n见 [[反家暴法#300]]。\n", encoding="utf-8")
    [msg] = problems_of(content)
    assert msg.startswith("content/guides/g.md:7: 引用 [[反家暴法#300]] 无法解析")


def test_guide_front_matter_error(content):
    (content / "guides" / "g.md").write_text("---\ntitle: 指南\nordre: 1\n---\n正文\n", encoding="utf-8")
    assert problems_of(content) == ["content/guides/g.md:3: 未知字段“ordre”，是不是“order”？ (unknown key)"]


def test_bad_article_number_in_law(content):
    edit(content / "laws" / "fan-jiating-baoli-fa.yaml", "number: 第二十三条", "number: 第二十三")
    [msg] = problems_of(content)
    line = line_of(content / "laws" / "fan-jiating-baoli-fa.yaml", "number: 第二十三")
    assert msg.startswith(f"content/laws/fan-jiating-baoli-fa.yaml:{line}: 条文序号格式不对")


def test_duplicate_article_number(content):
    edit(content / "laws" / "fan-jiating-baoli-fa.yaml", "number: 第二十四条", "number: 第二十三条")
    [msg] = problems_of(content)
    assert "“第二十三条”重复" in msg and "(duplicate article number)" in msg


def test_all_problems_reported_together(content):
    edit(content / "stations" / "chengguan.yaml", 'number: "0000-0000101"', 'number: "abc"')
    (content / "cases" / "test-case.yaml").write_text(CASE.replace("article: 23", "article: 99"), encoding="utf-8")
    assert len(problems_of(content)) == 2


def test_example_content_is_valid():
    loaded = load_content(example_content())
    counts = loaded.counts()
    assert counts["laws"] >= 24 and counts["cases"] >= 5 and counts["guides"] >= 3
    assert sum(s.kind == "维权服务站" for s in loaded.stations) >= 11
    assert {"妇联", "庇护中心"} <= {s.kind for s in loaded.stations}
    assert all(s.example for s in loaded.stations)
    assert all(c.provenance.type in ("示例", "改编") for c in loaded.cases)
    [camp] = [c for c in loaded.campaigns if c.name == "三八维权周" and c.year == 2027]
    assert len(camp.events) >= 8
