"""A leaflet panel that overflows is reported against the content line that fills it (issue 23):
a long station name fails `weiquan check` at the station's own file and line — also for a
station slug with hyphens — instead of passing check and failing the build at the campaign."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import BIN, run
from test_editor_errors import tiny_content
from weiquan.content.loader import load_content
from weiquan.leaflets.fit import overflow_problems


def hyphenated_station(root: Path) -> Path:
    """tiny content whose station is 'cheng-guan' (a slug with a hyphen), with a very long name."""
    content = tiny_content(root)
    old = content / "stations" / "chengguan.yaml"
    text = old.read_text(encoding="utf-8").replace("slug: chengguan", "slug: cheng-guan")
    text = re.sub(r"\nname: (.*)", lambda m: "\nname: " + m.group(1) + "（名称很长的服务站）" * 12, text, count=1)
    old.unlink()
    (content / "stations" / "cheng-guan.yaml").write_text(text, encoding="utf-8")
    camp = content / "campaigns" / "c.yaml"
    camp.write_text(camp.read_text(encoding="utf-8").replace("station: chengguan", "station: cheng-guan"),
                    encoding="utf-8")
    return content


def name_line(path: Path) -> int:
    return next(i for i, l in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if l.startswith("name:"))


def test_long_station_name_fails_check_at_the_station(tmp_path):
    content = hyphenated_station(tmp_path / "content")
    result = run(BIN / "weiquan", "check", "content", cwd=tmp_path, check=False)
    out = result.stdout + result.stderr
    where = f"content/stations/cheng-guan.yaml:{name_line(content / 'stations' / 'cheng-guan.yaml')}:"
    assert result.returncode == 1 and "Traceback" not in out, out
    assert any(line.startswith(where) and "放不下" in line for line in out.splitlines()), out
    assert "content/campaigns/c.yaml" not in out, out


def test_overflow_of_a_station_block_names_the_station_with_a_hyphenated_slug(tmp_path):
    content = load_content(hyphenated_station(tmp_path / "content"))
    err = ("leaflet leaflets/c/cheng-guan-trifold.pdf: panel p6 (封底·服务站): 内容过长 "
           "(content too long: 120.5 mm > 100.0 mm)")
    problems, other = overflow_problems(content, [err])
    assert not other and len(problems) == 1
    assert problems[0].path.endswith("content/stations/cheng-guan.yaml"), problems[0]
