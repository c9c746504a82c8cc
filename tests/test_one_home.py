"""One home per concept (issue 26): a rule spelt out once, in the module that owns it. These
grep the code (Python, the browser scripts and the page templates) for a second spelling."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CODE = [p for d in ("weiquan", "weiquan_mkdocs", "overrides", "scripts") for p in (ROOT / d).rglob("*")
        if p.suffix in (".py", ".js", ".html", ".typ") or p.parent.name == "scripts"]


def spelt(pattern: str, home: str) -> list[str]:
    rx = re.compile(pattern, re.I)
    return [f"{p.relative_to(ROOT)}:{n}" for p in CODE if p.is_file() and p.relative_to(ROOT).as_posix() != home
            for n, line in enumerate(p.read_text(encoding="utf-8", errors="replace").splitlines(), 1)
            if rx.search(line)]


def test_the_han_class_is_defined_once():
    # the URO's bounds, written as escapes or as the characters themselves
    assert spelt(r"u4e00|u9fff|\\u3400|[\u4e00]-[\u9fff]|x4e00|0x9fff", "weiquan/zh/han.py") == []


def test_today_is_decided_once():
    assert spelt(r"environ.*SOURCE_DATE_EPOCH|date\.today\(\)|datetime\.now\(", "weiquan/content/dates.py") == []
