"""scripts/bench at county scale: a smoke test that the benchmark runs and prints its table
(times are not asserted; budgets are checked by hand, see README)."""

from __future__ import annotations

import sys

import pytest

from conftest import ROOT, example_content, run


@pytest.mark.slow
def test_bench_county_prints_table(tmp_path):
    result = run(sys.executable, ROOT / "scripts" / "bench", "--scale", "county", "--quick", "--no-leaflets",
                 "--content", example_content(), "--out", tmp_path / "bench", check=False, timeout=600)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    table = [line for line in result.stdout.splitlines() if line.startswith("|")]
    assert table[0] == "| measure | value | budget |"
    measures = {line.split(" | ")[0].lstrip("| ") for line in table[2:]}
    for expected in ("`weiquan check`", "`weiquan build`", "pages (index.html)", "site on disk",
                     "search bytes before typing", "first view: home"):
        assert any(m.startswith(expected) for m in measures), (expected, measures)
    assert "FAILED" not in result.stdout
