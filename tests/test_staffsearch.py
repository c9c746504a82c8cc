"""Staff search tool (Whoosh) — same query forms as the site, rebuild on content change."""

import json
import warnings

import pytest

from search_docs import small_docs


def test_whoosh_imports_cleanly():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        import whoosh.index, whoosh.qparser, whoosh.query  # noqa: F401  (imports only)


@pytest.fixture(scope="module")
def ix(tmp_path_factory):
    from weiquan.search import staff as SS
    return SS.ensure_index(small_docs(), tmp_path_factory.mktemp("ix") / "index")


@pytest.mark.parametrize("q,doc", [
    ("反家暴法 23条", "art:fan-jiating-baoli-fa:a23"),
    ("jtbl", "law:fan-jiating-baoli-fa"),
    ("jiātíng bàolì", "law:fan-jiating-baoli-fa"),
    ("rsaqbhl", "guide:baohuling"),
    ("人身aqbhl", "guide:baohuling"),
    ("婦女權益", "law:funv-quanyi-baozhang-fa"),
    ("funv", "law:funv-quanyi-baozhang-fa"),
    ("惠水县", "station:522731100"),
    ("jiat", "law:fan-jiating-baoli-fa"),
])
def test_query_forms(ix, q, doc):
    from weiquan.search import staff as SS
    assert doc in [r["id"] for r in SS.search(ix, q, 5)]


def test_exact_article_first(ix):
    from weiquan.search import staff as SS
    assert SS.search(ix, "反家暴法 第二十三条", 3)[0]["id"] == "art:fan-jiating-baoli-fa:a23"


def test_format_results_labels_and_phone(ix):
    from weiquan.search import staff as SS
    out = SS.format_results(SS.search(ix, "惠水县", 5))
    assert "[服务站]" in out and "电话 " in out and "[活动]" in out
    out = SS.format_results(SS.search(ix, "反家暴法 23条", 3))
    assert "[法律条文] 反家庭暴力法 第二十三条" in out and "laws/fan-jiating-baoli-fa/#a23" in out
    assert SS.format_results([]) == "没有找到结果。"
    json.dumps(SS.search(ix, "jtbl", 3), ensure_ascii=False)   # --json output is serialisable


def test_rebuild_when_content_changes(tmp_path):
    from weiquan.search import staff as SS
    docs = small_docs()
    d = tmp_path / "ix"
    SS.ensure_index(docs, d)
    stamp = (d / SS.HASH_FILE).stat().st_mtime_ns
    SS.ensure_index(docs, d)
    assert (d / SS.HASH_FILE).stat().st_mtime_ns == stamp          # unchanged: reused
    docs = docs + [{"id": "guide:new", "kind": "guide", "url": "guides/new/", "title": "彩礼纠纷怎么办",
                    "parent": "", "text": "婚约解除后可以请求返还彩礼。", "keywords": []}]
    ix = SS.ensure_index(docs, d)
    assert SS.search(ix, "cailijiufen", 3)[0]["id"] == "guide:new"


def test_more_like_this():
    """Related content (weiquan.search.related): the docs most like one, of the kinds asked for,
    never the doc itself; an unknown doc has none."""
    from weiquan.search.related import similar_docs
    docs = small_docs()
    ids = [d["id"] for d in docs]
    rel = similar_docs(docs, ["guide:baohuling", "case:0", "nope"], kinds=("case", "article"), limit=3)
    assert len(rel["guide:baohuling"]) == 3 and all(r["kind"] in ("case", "article") for r in rel["guide:baohuling"])
    assert "art:fan-jiating-baoli-fa:a23" in [r["id"] for r in similar_docs(docs, ["guide:baohuling"], limit=5)["guide:baohuling"]]
    assert rel["nope"] == [] and "case:0" not in [r["id"] for r in rel["case:0"]]
    assert all(r["id"] in ids for r in rel["case:0"])


