"""Mistakes editors make (encodings, YAML traps, syntax, misspelt keys, bad dates, broken links):
each gives a non-zero exit, one Chinese `file:line[:col]` message and no traceback, through
`weiquan check` and `weiquan build` (which leaves the site untouched)."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import BIN, CAMPAIGN, CASE, GUIDE, copy_project, tiny_content  # noqa: F401 (imported from here too)
from weiquan.content.loader import check_content, load_content


@pytest.fixture()
def content(tmp_path) -> Path:
    return tiny_content(tmp_path / "content")


def problems(root: Path) -> list[str]:
    loaded, found = check_content(root)
    assert (loaded is None) == bool(found)
    return [str(p) for p in found]


def write(path: Path, text: str, encoding: str = "utf-8") -> None:
    path.write_text(text, encoding=encoding)


def test_tiny_content_is_valid(content):
    assert problems(content) == []


# ---- encodings ------------------------------------------------------------------------------

@pytest.mark.parametrize("encoding,looks_like,line", [
    ("gbk", "GBK/GB18030", 1), ("gb18030", "GBK/GB18030", 1), ("utf-16", "UTF-16", 1),
    ("utf-16-le", "UTF-16 LE", 1), ("utf-16-be", "UTF-16 BE", 1)])
def test_non_utf8_file_names_file_and_encoding(content, encoding, looks_like, line):
    write(content / "cases" / "test-case.yaml", CASE, encoding)
    [msg] = problems(content)
    assert msg.startswith(f"content/cases/test-case.yaml:{line}: 文件不是 UTF-8 编码，看起来是 {looks_like}")
    assert "通过编码保存" in msg and "记事本" in msg and "UTF-8" in msg


def test_gbk_first_bad_line(content):
    write(content / "cases" / "test-case.yaml", CASE.replace("# 测试案例\n", ""), "gbk")
    [msg] = problems(content)
    assert msg.startswith("content/cases/test-case.yaml:2: 文件不是 UTF-8 编码")   # title: 测试案例


def test_gbk_guide_and_page(content):
    write(content / "guides" / "g.md", GUIDE, "gbk")
    write(content / "pages" / "safety.md", "# 安全浏览\n", "gbk")
    msgs = problems(content)
    assert [m.split(":")[0] for m in msgs] == ["content/guides/g.md", "content/pages/safety.md"]
    assert all("看起来是 GBK/GB18030" in m for m in msgs)


def test_utf8_bom_is_fine(content):
    write(content / "cases" / "test-case.yaml", CASE, "utf-8-sig")
    write(content / "guides" / "g.md", GUIDE, "utf-8-sig")
    assert problems(content) == []


def test_windows_line_endings_are_fine(content):
    (content / "cases" / "test-case.yaml").write_bytes(CASE.replace("\n", "\r\n").encode())
    assert problems(content) == []


# ---- YAML values stay what the editor wrote -------------------------------------------------

def test_time_stays_as_written(content):
    camp = load_content(content).campaigns[0]
    assert camp.events[0].time == "14:30"


def test_leading_zero_and_exponent_stay_text(content):
    path = content / "stations" / "chengguan.yaml"
    text = path.read_text(encoding="utf-8")
    write(path, text.replace('hours: ', 'hours: 0123 ', 1))
    assert problems(content) == []
    from weiquan.content.yamlload import load_yaml
    data = load_yaml("a: 0123\nb: 1e3\nc: 14:30\nd: no\ne: on\nf: 0x10\ng: 1_000\nh: 23\n")
    assert data == {"a": "0123", "b": "1e3", "c": "14:30", "d": "no", "e": "on", "f": "0x10", "g": "1_000", "h": 23}


def test_yes_no_in_a_true_false_field(content):
    path = content / "stations" / "chengguan.yaml"
    write(path, path.read_text(encoding="utf-8").replace("example: true", "example: yes"))
    line = next(i for i, l in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if "example:" in l)
    assert problems(content) == [f"content/stations/chengguan.yaml:{line}: “example”只能写 true（是）或 false（否），"
                                 "写成了“yes” (expected true or false)"]


def test_year_with_leading_zero(content):
    write(content / "campaigns" / "c.yaml", CAMPAIGN.replace("name: 三八维权周\n", "name: 三八维权周\nyear: 02027\n"))
    assert problems(content) == ["content/campaigns/c.yaml:3: “year”应为整数（如 2027），写成了“02027” "
                                 "(expected a whole number)"]


def test_decimal_in_a_text_field_must_be_quoted(content):
    write(content / "campaigns" / "c.yaml", CAMPAIGN.replace("time: 14:30", "time: 9.30"))
    assert problems(content) == ['content/campaigns/c.yaml:7: “time”：9.30 被读成了小数，请加英文引号写成 "9.30" '
                                 '(invalid value)']


def test_number_in_a_text_field(content):
    write(content / "cases" / "test-case.yaml", CASE.replace("title: 测试案例", "title: 110"))
    assert problems(content) == ['content/cases/test-case.yaml:3: “title”应为文字：110 被读成了数字，请加英文引号写成 "110" '
                                 '(expected text, got a number)']


def test_article_as_integer_is_fine(content):
    assert load_content(content).cases[0].citations[0].article == "23"


def test_aliases_refused(content):
    write(content / "cases" / "test-case.yaml", CASE + "topics: &t [家庭暴力]\nquestions: *t\n")
    assert problems(content) == ["content/cases/test-case.yaml:12:12: 不支持 YAML 锚点和别名（& 和 *）：请把内容直接写出来；"
                                 "若是文字，请加引号 (YAML aliases are not allowed)"]


def test_billion_laughs_is_refused_fast(content):
    lol = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{n}: &{n} [{', '.join(['*' + p] * 9)}]\n" for p, n in zip("abcdefgh", "bcdefghi"))
    write(content / "cases" / "test-case.yaml", lol)
    [msg] = problems(content)
    assert "不支持 YAML 锚点和别名" in msg


def test_python_tags_refused(content):
    write(content / "cases" / "test-case.yaml", CASE.replace("title: 测试案例", "title: !!python/object/apply:os.system [ls]"))
    [msg] = problems(content)
    assert msg.startswith("content/cases/test-case.yaml:3:8: 不支持 YAML 标签“!!python/object/apply:os.system”")


def test_file_size_limit(content):
    write(content / "cases" / "test-case.yaml", CASE + "# " + "x" * (2 * 1024 * 1024) + "\n")
    assert problems(content) == ["content/cases/test-case.yaml:1: 文件太大（2.0 MB），一个文件最多 2 MB；请拆成几个文件 "
                                 "(file too large)"]


def test_field_size_limit(content):
    write(content / "cases" / "test-case.yaml", CASE.replace("facts: 事实。", "facts: " + "事" * 20_001))
    assert problems(content) == ["content/cases/test-case.yaml:6:8: 这一项太长（20001 字），一项最多 20000 字 "
                                 "(value too long)"]


# ---- YAML syntax: line, column and the likely cause ----------------------------------------

@pytest.mark.parametrize("old,new,where,cause", [
    ("facts: 事实。", "facts:事实。", "6:7", "冒号后缺空格：“facts:”后面要有一个空格"),
    ("facts: 事实。", "facts： 事实。", "6:6", "使用了中文冒号"),
    ("  type: 示例", "\ttype: 示例", "5:1", "使用了 Tab 键"),
    ("facts: 事实。", 'facts: "事实。', "6:8", "引号不配对"),
    ("  type: 示例", "  type: 示例\n   note: 说明", "6:8", "缩进不一致"),
    ("outcome: 结果。", "outcome: 结果: 好", "7:12", "一行里有两个“: ”"),
    ("  - {law: 反家庭暴力法, article: 23}", "  - {law: 反家庭暴力法, article: 23", "11:1", "花括号 { } 不配对"),
])
def test_yaml_syntax_errors_in_chinese(content, old, new, where, cause):
    write(content / "cases" / "test-case.yaml", CASE.replace(old, new))
    [msg] = problems(content)
    assert msg.startswith(f"content/cases/test-case.yaml:{where}: YAML 语法错误：{cause}"), msg
    assert msg.endswith("(YAML syntax error)")


def test_duplicate_key(content):
    write(content / "cases" / "test-case.yaml", CASE + "title: 又一个\n")
    assert problems(content) == ["content/cases/test-case.yaml:11:1: 键“title”重复（第 3 行已经写过），同一层里每个键只能写一次 "
                                 "(duplicate key 'title')"]


# ---- one message per mistake, "did you mean" ----------------------------------------------

def test_misspelt_key_is_one_message(content):
    write(content / "cases" / "test-case.yaml", CASE.replace("outcome:", "outcom:"))
    assert problems(content) == ["content/cases/test-case.yaml:7: 未知字段“outcom”，是不是“outcome”？ (unknown key)"]


def test_misspelt_nested_key(content):
    write(content / "cases" / "test-case.yaml", CASE.replace("  type: 示例", "  type: 示例\n  notes: 说明"))
    assert problems(content) == ["content/cases/test-case.yaml:6: 未知字段“notes”，是不是“note”？ (unknown key)"]


def test_bad_choice_did_you_mean(content):
    path = content / "stations" / "chengguan.yaml"
    write(path, path.read_text(encoding="utf-8").replace("kind: 维权服务站", "kind: 维权服务点"))
    [msg] = problems(content)
    assert "“kind”取值“维权服务点”无效，是不是“维权服务站”？可选：" in msg


def test_bad_date_explained(content):
    write(content / "campaigns" / "c.yaml", CAMPAIGN.replace("end: 2027-03-08", "end: 2027-02-30"))
    assert problems(content) == ["content/campaigns/c.yaml:4: “end”日期无效：2027-02-30 不存在：2月没有30日"
                                 "（2027年2月只有28天） (bad date)"]


def test_bad_month_and_format(content):
    write(content / "campaigns" / "c.yaml", CAMPAIGN.replace("end: 2027-03-08", "end: 2027-13-01")
          .replace("start: 2027-03-01", "start: 2027/3/1"))
    assert problems(content) == [
        "content/campaigns/c.yaml:3: “start”日期无效：“2027/3/1”应写成 2027-03-01（用英文短横线，月和日都写两位） (bad date)",
        "content/campaigns/c.yaml:4: “end”日期无效：2027-13-01 不存在：没有13月 (bad date)"]


# ---- links and images ------------------------------------------------------------------------

def test_broken_links_and_images(content):
    write(content / "guides" / "g.md", GUIDE + "\n见[这里](../stations/nowhere.md)、[保护令](baohulin.md)、"
          "![图](img/x.png)、`[代码](x.md)`、[网址](https://example.org/)、[本页](#top)。\n\n"
          "```\n[代码块](nowhere.md)\n```\n")
    assert problems(content) == [
        "content/guides/g.md:7:7: 链接“../stations/nowhere.md”指向的页面不存在（stations/ 下没有这个页面；目录页是“../stations/index.md”） (broken link)",
        "content/guides/g.md:7:37: 链接“baohulin.md”指向的页面不存在（guides/ 下没有这个页面；目录页是“index.md”） (broken link)",
        "content/guides/g.md:7:55: 图片“img/x.png”指向的文件不存在 (broken image)"]


def test_links_to_generated_pages_resolve(content):
    write(content / "guides" / "g.md", GUIDE + "\n[案例](../cases/test-case.md) [法](../laws/fan-jiating-baoli-fa/index.md)"
          " [活动](../campaigns/c.md) [站](../stations/99/9901/990101.md) [目录](../stations/) [首页](../index.md)\n")
    (content / "guides" / "h.md").write_text("---\ntitle: 另一篇\n---\n[回去](g.md)\n", encoding="utf-8")
    assert problems(content) == []


def test_broken_link_in_a_page(content):
    write(content / "pages" / "safety.md", "# 安全\n\n[指南](guides/nope.md)\n")
    assert problems(content) == ["content/pages/safety.md:3:6: 链接“guides/nope.md”指向的页面不存在（guides/ 下没有这个页面；"
                                 "目录页是“guides/index.md”） (broken link)"]


# ---- through the commands ------------------------------------------------------------------------

def _project(tmp_path: Path) -> Path:
    copy_project(tmp_path, content=False)
    tiny_content(tmp_path / "content")
    return tmp_path


MISTAKES = {
    "gbk": lambda c: write(c / "cases" / "test-case.yaml", CASE, "gbk"),
    "syntax": lambda c: write(c / "cases" / "test-case.yaml", CASE.replace("facts: ", "facts:")),
    "misspelt": lambda c: write(c / "cases" / "test-case.yaml", CASE.replace("outcome:", "outcom:")),
    "link": lambda c: write(c / "guides" / "g.md", GUIDE.replace("../stations/index.md", "../stations/nowhere.md")),
    "date": lambda c: write(c / "campaigns" / "c.yaml", CAMPAIGN.replace("end: 2027-03-08", "end: 2027-02-30")),
}


@pytest.mark.slow   # `weiquan check` and `weiquan build`, each a process of its own
@pytest.mark.parametrize("mistake", sorted(MISTAKES))
def test_check_and_build_report_without_traceback(tmp_path, mistake):
    import subprocess
    project = _project(tmp_path)
    MISTAKES[mistake](project / "content")
    site = project / "site"
    site.mkdir()
    (site / "index.html").write_text("old site", encoding="utf-8")
    for cmd in (["check", "content"], ["build", "--no-leaflets"]):
        r = subprocess.run([str(BIN / "weiquan"), *cmd], cwd=project, capture_output=True, text=True)
        assert r.returncode == 1, r.stdout + r.stderr
        assert "Traceback" not in r.stderr and "Error" not in r.stderr.replace("(", "")
        first = r.stderr.splitlines()[0]
        assert first.startswith("content/") and any("\u4e00" <= ch <= "\u9fff" for ch in first), first
        assert first.split(":")[1].isdigit()
    assert (site / "index.html").read_text(encoding="utf-8") == "old site"
    assert sorted(p.name for p in site.iterdir()) == ["index.html"]


# ---- phone numbers and the example rules ---------------------------------------------------

def _station(content: Path, **changes) -> Path:
    path = content / "stations" / "chengguan.yaml"
    text = path.read_text(encoding="utf-8")
    for old, new in changes.values():
        assert old in text, old
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")
    return path


REAL = ('province: 示例省\n  city: 示例市\n  county: 示例县\n  township: 城关镇\n  code: "990101001"',
        'province: 北京市\n  city: 市辖区\n  county: 东城区\n  township: 东华门街道\n  code: "110101001"')


def _line(path: Path, needle: str) -> int:
    return next(i for i, l in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in l)


def test_landline_with_a_missing_digit(content):
    path = _station(content, n=('"0000-0000101"', '"0572-512345"'))
    assert problems(content) == [f"content/stations/chengguan.yaml:{_line(path, '0572-512345')}: 电话号码“0572-512345”不对："
                                 "区号 0572（浙江省湖州市）后面的号码应为 7 位，这里是 6 位 (malformed phone number)"]


@pytest.mark.parametrize("number,why", [
    ("0000-000002", "示例号码应写成 0000- 加 7 或 8 位数字（如 0000-0000101），这里 0000 后面是 6 位"),
    ("1380013800", "手机号应为 11 位，这里是 10 位"),
    ("12999", "没有“12999”这个服务号码（如 110、120、12338、12348）"),
    ("010-1234567", "区号 010（北京市）后面的号码应为 8 位，这里是 7 位"),
    ("0123-4567890", "没有“0123”这个区号"),
    ("12338转1", "只能写数字，中间可以用空格或短横线分开（如 0571-87654321、138 0013 8000）"),
])
def test_impossible_numbers(content, number, why):
    path = _station(content, n=('"0000-0000101"', f'"{number}"'))
    assert problems(content) == [f"content/stations/chengguan.yaml:{_line(path, number)}: 电话号码“{number}”不对：{why} "
                                 "(malformed phone number)"]


@pytest.mark.parametrize("number", ["110", "120", "12338", "12348", "12345", "12355", "12356", "13800138000",
                                    "0871-65123456", "400-123-4567"])
def test_possible_numbers_in_a_real_region(content, number):
    _station(content, region=REAL, flag=("example: true\n", ""), n=('"0000-0000101"', f'"{number}"'))
    assert problems(content) == []


def test_real_region_with_an_example_number(content):
    path = _station(content, region=REAL, flag=("example: true\n", ""))
    assert problems(content) == [f"content/stations/chengguan.yaml:{_line(path, '0000-0000101')}: “0000-0000101”是示例号码"
                                 "（不存在，打不通）：只有示例地区里标了 example: true 的条目可以用；真实的服务站请写真实的电话 "
                                 "(example number on a real entry)"]


def test_example_entry_in_a_real_region(content):
    path = _station(content, region=REAL)
    [msg] = problems(content)
    assert msg.startswith(f"content/stations/chengguan.yaml:{_line(path, 'example:')}: example: true 的示例条目只能放在示例地区")


def test_example_region_without_example_flag(content):
    path = _station(content, flag=("example: true\n", ""))
    assert problems(content) == [f"content/stations/chengguan.yaml:{_line(path, 'region:')}: 示例地区的服务站须标注 example: true "
                                 "(stations in example regions must be marked example)"]


def test_example_entry_with_a_real_looking_number(content):
    path = _station(content, n=('"0000-0000101"', '"13800138000"'))
    [msg] = problems(content)
    assert msg.startswith(f"content/stations/chengguan.yaml:{_line(path, '13800138000')}: 示例条目不能写看起来真实的号码")


def test_hotlines_are_checked(content):
    path = content / "site.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('number: "12348"', 'number: "1234"').replace('number: "110"', 'number: "0000-0000110"'),
                    encoding="utf-8")
    assert problems(content) == [
        f"content/site.yaml:{_line(path, '0000-0000110')}: 求助热线“0000-0000110”是示例号码（打不通）：热线每页都显示，请写真实的号码 "
        "(example number as a hotline)",
        f"content/site.yaml:{_line(path, '1234')}: 电话号码“1234”不对：没有“1234”这个服务号码（如 110、120、12338、12348） "
        "(malformed phone number)"]


# ---- did you mean: law names, station and case slugs, topics ------------------------------

def test_unknown_law_did_you_mean(content):
    write(content / "cases" / "test-case.yaml", CASE.replace("{law: 反家庭暴力法,", "{law: 反家庭暴力,"))
    assert problems(content) == ["content/cases/test-case.yaml:10: 引用无法解析：找不到法律“反家庭暴力”，是不是“反家庭暴力法”？ "
                                 "(unresolved citation: unknown law)"]


def test_unknown_law_in_a_guide_did_you_mean(content):
    write(content / "guides" / "g.md", GUIDE.replace("[[反家暴法#23]]", "[[反家庭暴力发#23]]"))
    [msg] = problems(content)
    assert msg.startswith("content/guides/g.md:5: 引用 [[反家庭暴力发#23]] 无法解析：找不到法律“反家庭暴力发”，是不是“反家庭暴力法”？")


def test_unknown_station_did_you_mean(content):
    write(content / "campaigns" / "c.yaml", CAMPAIGN.replace("station: chengguan", "station: chenguan"))
    assert problems(content) == ["content/campaigns/c.yaml:9: 找不到服务站“chenguan”，是不是“chengguan”？ "
                                 "(unknown station reference)"]


def test_misspelt_topic(content):
    write(content / "cases" / "test-case.yaml", CASE + "topics: [家庭暴立]\n")
    assert problems(content) == ["content/cases/test-case.yaml:11: 主题“家庭暴立”没有别的内容用过，是不是“家庭暴力”？"
                                 "（同一主题要写得一样，才能归到一起） (unknown topic)"]


def test_new_topic_far_from_known_ones_is_fine(content):
    write(content / "cases" / "test-case.yaml", CASE + "topics: [报警]\n")
    assert problems(content) == []
