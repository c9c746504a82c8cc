"""One search spec (issue 26): the query rules and ranking are data (weiquan/zh/terms.py SPEC,
the Rules, the tables) shipped with the index; the golden file (tests/data/search_golden/) holds
queries → parsed terms → ranked ids with scores, generated from Python; pytest checks Python
still gives it, `node --test tests/js/` checks the client script gives it too."""

from __future__ import annotations

import filecmp
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

import search_golden as G
from conftest import example_content
from weiquan.search import index as S
from weiquan.zh import terms as T

ROOT = Path(__file__).resolve().parents[1]
CORE = ROOT / "overrides" / "assets" / "javascripts" / "wq-search-core.js"
REWRITE = "the search spec changed: rewrite the golden files with `.venv/bin/python tests/search_golden.py` and check the diff"


@pytest.fixture(scope="module")
def fresh(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("golden") / "index"
    G.build(out)
    return out


def test_golden_index_is_what_python_writes(fresh):
    names = sorted(p.relative_to(fresh).as_posix() for p in fresh.rglob("*.js"))
    assert names == sorted(p.relative_to(G.INDEX).as_posix() for p in G.INDEX.rglob("*.js")), REWRITE
    for name in names:
        assert filecmp.cmp(fresh / name, G.INDEX / name, shallow=False), (name, REWRITE)


def test_golden_results_are_what_python_computes(fresh):
    golden = json.loads(G.GOLDEN.read_text(encoding="utf-8"))
    assert list(golden) == G.QUERIES, REWRITE
    now = json.loads(json.dumps(G.results(fresh), ensure_ascii=False))
    for q in G.QUERIES:
        assert now[q] == golden[q], (q, REWRITE)


def test_client_script_gives_the_golden_results():
    """The client's core in node, against the same files. Fails (never skips) without node:
    CI installs Debian's nodejs."""
    node = shutil.which("node")
    if not node:
        pytest.fail("node is not installed (apt-get install nodejs): the JS/Python parity of the search cannot be checked")
    r = subprocess.run([node, "--test", str(ROOT / "tests" / "js")], capture_output=True, text=True, timeout=300,
                       cwd=ROOT)
    assert r.returncode == 0, r.stdout[-4000:] + r.stderr[-2000:]
    assert re.search(r"^# pass [1-9]", r.stdout, re.M) and re.search(r"^# fail 0", r.stdout, re.M), r.stdout[-2000:]


def test_the_golden_set_covers_what_a_query_can_be():
    golden = json.loads(G.GOLDEN.read_text(encoding="utf-8"))
    runs = [json.dumps(v["qt"]["runs"], ensure_ascii=False) for v in golden.values()]
    assert any('"~"' in r and "告诫" in r for r in runs)                  # a wrong character, respelt
    assert any('"~"' in r and "保护令" in r for r in runs) or any('"~", "保护"' in r for r in runs)   # pinyin near miss
    assert any(v["qt"]["long"] for v in golden.values())                  # a spoken question
    assert any(v["qt"]["everyday"] for v in golden.values())
    assert any(not v["ranked"] for v in golden.values())                   # nothing found
    assert sum(1 for v in golden.values() if v["ranked"]) >= 50


def test_client_holds_no_copy_of_the_data():
    """Weights, regular expressions, the Han class, numerals and stop words come with the index;
    the client script spells out none of them."""
    js = CORE.read_text(encoding="utf-8")
    for literal in ("\\u4e00", "\u4e00-", "一二三", "〇零", "怎么办", "第?(", "zh|ch|sh", "[zcs]h"):
        assert literal not in js, literal
    for key in ("fieldWeight", "bonus", "kindsEveryday", "minCov", "optWeight", "maxParses", "sound"):
        assert key in T.SPEC, key
    manifest = S._Files(G.INDEX).get("manifest")
    assert manifest["spec"] == json.loads(json.dumps(T.SPEC, ensure_ascii=False))
    for name, src in T.SPEC["re"].items():       # each expression compiles the same way in both languages
        re.compile(src)
        assert "(?<" not in src and "(?P" not in src, name     # no lookbehind or named groups (ES5)


def test_han_class_is_defined_once():
    """The Han class is spelt out in weiquan/zh/han.py only; the search code imports it."""
    files = [ROOT / "weiquan" / "zh" / "terms.py", ROOT / "weiquan" / "zh" / "reading.py",
             ROOT / "weiquan" / "site" / "searchdocs.py", ROOT / "weiquan" / "content" / "synonyms.py",
             *(ROOT / "weiquan" / "search").glob("*.py"), *ROOT.glob("overrides/assets/javascripts/wq-search*.js")]
    for f in files:
        text = f.read_text(encoding="utf-8")
        assert not re.search(r"9fff|u4e00|u3400|\u4e00-\u9fff|\u3400-", text, re.I), f


def test_index_reads_words_like_the_reading_aid():
    """B3: the index reads texts with content/pinyin.yaml (one engine: weiquan.zh.reading):
    还款 is indexed as huán kuǎn, not hái kuǎn."""
    golden = json.loads(G.GOLDEN.read_text(encoding="utf-8"))
    assert [r[0] for r in golden["huankuan"]["ranked"]] == ["guide:lihun"]
    assert golden["haikuan"]["ranked"] == []
    plain, read = T.Rules(), T.Rules(readings={"还款": ["huán", "kuǎn"], "最长": ["zuì", "cháng"]})
    assert "hai kuan" in T.index_terms("依法还款", rules=plain)
    assert "huan kuan" in T.index_terms("依法还款", rules=read) and "hai kuan" not in T.index_terms("依法还款", rules=read)
    assert "zui chang" in T.index_terms("期限最长为六个月", rules=read)
    from weiquan.zh.reading import Annotator
    assert Annotator({"还款": ["huán", "kuǎn"]}).pinyin("还款") == "huán kuǎn"


def test_shipped_content_is_read_with_its_overrides():
    from weiquan.content.loader import load_content
    content = load_content(example_content())
    rules = S.rules_for(content)
    assert rules.readings.get("还款") == ["huán", "kuǎn"]
    assert "huan kuan" in T.index_terms("还款", rules=rules)
