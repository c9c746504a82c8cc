"""scripts/bench at county scale: a smoke test that the benchmark runs and prints its table
(times are not asserted; budgets are checked by hand, see README)."""

from __future__ import annotations

import sys

import pytest

from conftest import ROOT, run, tiny_content


@pytest.mark.slow
def test_bench_county_prints_table(tmp_path):
    # generated county content (52 stations, 50 cases) on the tiny content's law, guide and pages
    source = tiny_content(tmp_path / "source")
    result = run(sys.executable, ROOT / "scripts" / "bench", "--scale", "county", "--quick", "--no-leaflets",
                 "--content", source, "--out", tmp_path / "bench", check=False, timeout=600)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    table = [line for line in result.stdout.splitlines() if line.startswith("|")]
    assert table[0] == "| measure | value | budget |"
    measures = {line.split(" | ")[0].lstrip("| ") for line in table[2:]}
    for expected in ("`weiquan check`", "`weiquan build`", "`weiquan build` again, nothing changed",
                     "`weiquan check` again, one station changed", "`weiquan build` again, one station changed",
                     "pages (index.html)", "site on disk", "search bytes before typing", "first view: home"):
        assert any(m.startswith(expected) for m in measures), (expected, measures)
    assert "FAILED" not in result.stdout
