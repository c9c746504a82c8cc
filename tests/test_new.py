"""`weiquan new` writes commented starting files that pass `weiquan check` as they are."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from test_editor_errors import problems, tiny_content
from test_schemas import schema_errors
from weiquan.cli.main import main


@dataclass
class Result:
    returncode: int
    stdout: str
    stderr: str


def new(cwd: Path, *args: str) -> Result:
    """`weiquan new …` run in cwd (in this process: fast)."""
    old = os.getcwd()
    os.chdir(cwd)
    try:
        r = CliRunner().invoke(main, ["new", *args], catch_exceptions=False)
    finally:
        os.chdir(old)
    return Result(r.exit_code, r.stdout, r.stderr)


def test_every_kind_passes_check(tmp_path):
    content = tiny_content(tmp_path / "content")
    made = []
    for args in (["station", "dongqian", "--region", "330503001"], ["station", "nanxun", "--region", "330503"],
                 ["station", "shili", "--region", "990101003"], ["case", "anli"], ["campaign", "sanba-2028"],
                 ["guide", "zhinan", "--title", "被家暴了怎么办"], ["law", "xin-tiaoli", "--title", "某某条例"]):
        r = new(tmp_path, *args)
        assert r.returncode == 0, r.stderr
        assert r.stdout.startswith("已新建 content/")
        made.append(Path(re.match(r"已新建 (\S+?)：", r.stdout).group(1)))
    assert problems(content) == []
    for rel in made:
        path = tmp_path / rel
        assert schema_errors(path) == [], rel
        text = path.read_text(encoding="utf-8")
        assert "#" in text and "\r" not in text


def test_station_names_come_from_the_division_data(tmp_path):
    tiny_content(tmp_path / "content")
    assert new(tmp_path, "station", "dongqian", "--region", "330503001").returncode == 0
    text = (tmp_path / "content/stations/dongqian.yaml").read_text(encoding="utf-8")
    for line in ('province: "浙江省"', 'city: "湖州市"', 'county: "南浔区"', 'township: "东迁街道"', 'code: "330503001"'):
        assert line in text
    assert "example" not in text.split("region:")[0] and "0000-" not in text   # real region: no example number
    assert new(tmp_path, "station", "shili", "--region", "990101003").returncode == 0
    example = (tmp_path / "content/stations/shili.yaml").read_text(encoding="utf-8")
    assert "example: true" in example and '"0000-0000100"' in example and 'township: "西山乡"' in example


@pytest.mark.parametrize("args,message", [
    (["station", "x", "--region", "123"], "错误：区划代码“123”不对：应为县级 6 位或乡级 9 位统计用区划代码"),
    (["station", "x"], "错误：新建服务站要给出区划代码"),
    (["case", "Bad_Slug"], "错误：英文标识“Bad_Slug”不对"),
    (["station", "x\n", "--region", "990101003"], "错误：英文标识“x\\n”不对"),   # no file name with a newline
    (["case", "x" * 81], "错误：英文标识太长"),                                   # what check refuses, new refuses
    (["guide", "index"], "目录页"),
    (["guide", "g2", "--title", "标题\r第二行"], "看不见的回车符"),
    (["case", "test-case"], "已经存在；换一个英文标识，或加 --force 覆盖"),
])
def test_mistakes_are_explained(tmp_path, args, message):
    tiny_content(tmp_path / "content")
    before = sorted(p.name for p in (tmp_path / "content").rglob("*"))
    r = new(tmp_path, *args)
    assert r.returncode == 1 and message in r.stderr and "Traceback" not in r.stderr, r.stderr
    assert sorted(p.name for p in (tmp_path / "content").rglob("*")) == before


def test_guide_title_is_text_in_the_heading(tmp_path):
    content = tiny_content(tmp_path / "content")
    title = '被打了怎么办 *强调* [点我](javascript:alert(1)) <b>粗</b> {: onclick="x"}'
    assert new(tmp_path, "guide", "biaoti", "--title", title).returncode == 0
    text = (content / "guides/biaoti.md").read_text(encoding="utf-8")
    heading = next(line for line in text.splitlines() if line.startswith("# "))
    assert "<b>" not in heading and "](" not in heading and "*强调*" not in heading
    assert problems(content) == []   # the heading passes the guide rules (no HTML, no link, no attributes)
    from weiquan.content.loader import load_content
    guide = next(g for g in load_content(content).guides if g.slug == "biaoti")
    assert guide.title == title


def test_check_refuses_what_new_refuses(tmp_path):
    content = tiny_content(tmp_path / "content")
    (content / "guides/g.md").rename(content / "guides/index.md")
    assert any("content/guides/index.md:1" in p and "目录页" in p for p in problems(content))
