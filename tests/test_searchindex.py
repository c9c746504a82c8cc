"""Static site search index: Python reference lookup, the files it writes, and the real client in
headless Chromium from file:// (JS parity: tests/test_search_spec.py and tests/js/)."""

import pytest

from weiquan.search import index as S
from weiquan.zh import terms as T

from conftest import FIXTURE_CONTENT
from search_docs import render_test_site, small_docs

AJ = "art:fan-jiating-baoli-fa:"
EXPECT = {   # query → doc expected in the top 5
    "暴力": "law:fan-jiating-baoli-fa",
    "家庭暴力": "law:fan-jiating-baoli-fa",
    "jiatingbaoli": "law:fan-jiating-baoli-fa",
    "jia ting bao li": "law:fan-jiating-baoli-fa",
    "jiātíng bàolì": "law:fan-jiating-baoli-fa",
    "jtbl": "law:fan-jiating-baoli-fa",
    "jiat": "law:fan-jiating-baoli-fa",
    "funv": "law:funv-quanyi-baozhang-fa",
    "fùnǚ": "law:funv-quanyi-baozhang-fa",
    "婦女權益": "law:funv-quanyi-baozhang-fa",
    "妇女法": "law:funv-quanyi-baozhang-fa",
    "反家暴法": "law:fan-jiating-baoli-fa",
    "rsaqbhl": "guide:baohuling",
    "rsaq": "guide:baohuling",
    "人身aqbhl": "guide:baohuling",
    "保護令": "guide:baohuling",
    "jiating暴力": "law:fan-jiating-baoli-fa",
    "反家暴法 23条": AJ + "a23",
    "反家暴法 第二十三条": AJ + "a23",
    "反家暴法第23条": AJ + "a23",
    "民法典 1043条": "art:minfadian:a1043",
    "惠水县": "station:522731100",
    "长顺镇": "station:522731100",
    "东华门街道": "station:110101001",
    "donghuamen": "station:110101001",
    "dhmjd": "station:110101001",
}
FIRST = {   # query → doc expected first
    "反家暴法 23条": AJ + "a23",
    "民法典 1043条": "art:minfadian:a1043",
    "反家暴法": "law:fan-jiating-baoli-fa",
    "妇女法": "law:funv-quanyi-baozhang-fa",
    "如何申请人身安全保护令": "guide:baohuling",
}


def shipped_rules() -> T.Rules:
    """The query rules with the thesaurus of the test content's synonyms.yaml (as the site build uses)."""
    from weiquan.content.synonyms import load_thesaurus
    words = load_thesaurus(FIXTURE_CONTENT, lambda *a: None).words
    for d in small_docs():      # law names are kept whole (content.synonyms.check_meanings)
        if d["kind"] == "law":
            words.update({n: [] for n in d["keywords"] + [d["title"]] if n not in words})
    return T.Rules(words)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    site = tmp_path_factory.mktemp("site")
    stats = S.build_search_index(small_docs(), site / "search", rules=shipped_rules())
    assert stats["docs"] == len(small_docs())
    return site


@pytest.mark.parametrize("q,doc", sorted(EXPECT.items()))
def test_query_forms_top5(site, q, doc):
    ids = [r["id"] for r in S.query(site / "search", q, 5)]
    assert doc in ids, (q, ids)


@pytest.mark.parametrize("q,doc", sorted(FIRST.items()))
def test_exact_hits_rank_first(site, q, doc):
    assert S.query(site / "search", q, 3)[0]["id"] == doc


def test_article_of_named_law_first(site):
    res = S.query(site / "search", "23条", 5)
    assert {r["id"] for r in res[:2]} == {AJ + "a23", "art:funv-quanyi-baozhang-fa:a23"}


def test_exact_title_above_mention(site):
    ids = [r["id"] for r in S.query(site / "search", "第二十三条", 10)]
    assert ids.index(AJ + "a23") < ids.index("case:0")


def test_files_are_scripts_and_small(site):
    out = site / "search"
    man = (out / "manifest.js").read_text(encoding="utf-8")
    assert man.startswith('wqSearch.add("manifest",')
    for f in out.rglob("*.js"):
        assert f.read_text(encoding="utf-8").startswith("wqSearch.add(")
    res, info = S.query(out, "jtbl", 8, detail=True)
    assert info["files"][0] == "manifest" and info["bytes_gzip"] < 120_000


def test_postings_roundtrip():
    by_cls = {0: [5, 40, 50000], 11: [3], 4: [1000]}   # class -> ascending doc ids
    plist = [(d, c) for c, ids in by_cls.items() for d in ids]
    enc = S._encode_postings(by_cls, 10)
    dec, capped = S.decode_postings(enc)
    assert sorted(dec) == sorted(plist) and not capped
    enc = S._encode_postings(by_cls, 2)
    dec, capped = S.decode_postings(enc)
    assert capped and dec == [(3, 11), (1000, 4)]    # best classes first: title, then keywords


def test_index_reuses_law_postings_and_matches_a_fresh_build(tmp_path):
    """A second build in the same process (a preview) merges the kept postings of the long
    docs with the changed short ones; the files equal those of a build from scratch."""
    cache = tmp_path / "terms.pickle"
    docs = small_docs()
    S.build_search_index(docs, tmp_path / "first", terms_cache=cache)
    assert S._LONG_MEMO["key"][0] is not None
    station = next(d for d in docs if d["kind"] == "station")
    station["title"] += "北宫镇"
    S.build_search_index(docs, tmp_path / "again", terms_cache=cache)
    S._LONG_MEMO.clear()
    S.build_search_index(docs, tmp_path / "fresh")
    for f in (tmp_path / "fresh").rglob("*.js"):
        assert f.read_bytes() == (tmp_path / "again" / f.relative_to(tmp_path / "fresh")).read_bytes(), f
    assert S.query(tmp_path / "again", "北宫镇")[0]["id"] == station["id"]


def test_short_docs_are_analysed_again_by_chunk_only(tmp_path, monkeypatch):
    """Stations and campaigns are analysed in chunks kept beside the terms cache (a national
    rebuild after one station changed redoes that station's chunk): a build analyses no short
    doc when nothing changed, one chunk when a station changed, a new
    doc's chunk when one is added; the files equal a build without any cache."""
    monkeypatch.setattr(S, "CHUNK_EVERY", 2)   # many small chunks
    cache = tmp_path / "terms.pickle"
    docs = small_docs() + [{"id": f"station:x{n}", "kind": "station", "url": f"s/{n}/", "title": f"测试{n}号服务站",
                            "parent": "示例县", "text": "值班电话", "phone": ""} for n in range(40)]
    S.build_search_index(docs, tmp_path / "first", terms_cache=cache)
    analysed = []
    real = S._doc_terms
    monkeypatch.setattr(S, "_doc_terms", lambda d, rules=None: analysed.append(d["id"]) or real(d, rules))

    def again(name):
        analysed.clear()
        S._LONG_MEMO.clear()
        S.build_search_index(docs, tmp_path / name, terms_cache=cache)
        return list(analysed)

    assert again("same") == []
    short = [d for d in S.order_docs(docs) if d["kind"] not in S.CACHED_KINDS]
    chunk = next(short[a:b] for a, b in S._chunks(short) if b - a >= 2)
    chunk[0]["title"] += "北宫镇"
    redone = again("one")
    assert chunk[0]["id"] in redone and set(redone) == {d["id"] for d in chunk} and len(redone) < len(short) / 4
    docs.append({"id": "station:y1", "kind": "station", "url": "s/y1/", "title": "新来的服务站", "parent": "示例县",
                 "text": "", "phone": ""})
    redone = again("added")
    assert "station:y1" in redone and len(redone) < len(short) / 4
    short = [d for d in S.order_docs(docs) if d["kind"] not in S.CACHED_KINDS]
    [folder] = (tmp_path / "terms-chunks").iterdir()   # one file per chunk: replaced ones are gone
    assert len(list(folder.glob("*.pickle"))) == len(S._chunks(short))
    S.build_search_index(docs, tmp_path / "fresh")
    for f in (tmp_path / "fresh").rglob("*.js"):
        assert f.read_bytes() == (tmp_path / "added" / f.relative_to(tmp_path / "fresh")).read_bytes(), f
    assert S.query(tmp_path / "added", "北宫镇")[0]["id"] == chunk[0]["id"]


def test_rebuild_is_deterministic(tmp_path, site):
    a = S.build_search_index(small_docs(), tmp_path / "a")
    b = S.build_search_index(small_docs(), tmp_path / "b")
    assert a["version"] == b["version"]


def test_js_payloads_escape_line_separators(tmp_path):
    """U+2028/U+2029 inside a JS string are a SyntaxError before ES2019 (issue 23): every
    payload the index writes has them escaped, and reads back the same."""
    docs = small_docs()[:3] + [{"id": "page:ls", "kind": "page", "url": "ls/", "title": "安全\u2028浏览\u2029",
                                "parent": "本站\u2028", "text": "一键离开\u2028", "keywords": ["隐私\u2029"],
                                "questions": ["他翻我手机\u2028怎么办"]}]
    S.build_search_index(docs, tmp_path / "search")
    files = list((tmp_path / "search").rglob("*.js"))
    assert files
    for f in files:
        text = f.read_text(encoding="utf-8")
        assert "\u2028" not in text and "\u2029" not in text, f
    res = S.query(tmp_path / "search", "他翻我手机怎么办", 3)
    hit = next(r for r in res if r["id"] == "page:ls")
    assert hit["title"] == "安全\u2028浏览\u2029" and hit["questions"] == ["他翻我手机\u2028怎么办"]
    assert S._js("x", "a\u2028b") == 'wqSearch.add("x","a\\u2028b");\n'


def test_client_in_chromium_from_file_url(site, browser):
    page_path = render_test_site(site)
    page = browser.new_page(viewport={"width": 360, "height": 640})
    requested = []
    page.on("request", lambda r: requested.append(r.url))
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(page_path.as_uri())
    page.wait_for_load_state("load")
    assert not [u for u in requested if "/search/" in u], "search data loaded before focus"
    box = page.locator("form[role=search] input[type=search]")
    assert box.get_attribute("autocomplete") == "off"
    assert page.locator("label[for=wq-search-input]").count() == 1
    assert page.locator("[aria-live]").count() == 1
    # from file:// (the offline edition): a query that finds nothing still offers help
    box.focus()
    box.type("qqxxzz", delay=20)
    page.wait_for_function("window.wqSearch.stats && window.wqSearch.stats.q === 'qqxxzz'", timeout=10_000)
    assert page.locator(".wq-search__help").count() == 1
    assert "试试说得简单些" in page.locator(".wq-search__status").inner_text()
    for q, doc in [("被家暴了怎么办", "guide:jiabao"), ("jtbl", "law:fan-jiating-baoli-fa"), ("反家暴法 23条", AJ + "a23"),
                   ("婦女權益", "law:funv-quanyi-baozhang-fa"), ("rsaqbhl", "guide:baohuling")]:
        box.fill("")
        box.focus()
        box.type(q, delay=20)
        page.wait_for_function("q => window.wqSearch.stats && window.wqSearch.stats.q === q", arg=q, timeout=10_000)
        ids = page.evaluate("window.wqSearch.stats.ids")
        assert doc in ids[:5], (q, ids)
    # last query rsaqbhl: highlighted 汉字 from the initials, link relative to the site root
    assert "人身安全保护令" in "".join(page.locator(".wq-result mark").all_inner_texts())
    href = page.locator("a.wq-result__link").first.get_attribute("href")
    assert href == "../../guides/baohuling/"
    assert [u for u in requested if u.endswith("/search/manifest.js")]
    assert not [u for u in requested if not u.startswith("file://")]
    assert not errors, errors
    page.close()


def test_keyboard_navigation(site, browser):
    page_path = render_test_site(site)
    page = browser.new_page(viewport={"width": 360, "height": 640})
    page.goto(page_path.as_uri())
    box = page.locator("#wq-search-input")
    box.focus()
    box.type("jtbl")
    page.wait_for_function("window.wqSearch.stats && window.wqSearch.stats.q === 'jtbl'")
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.className") == "wq-result__link"
    page.keyboard.press("ArrowUp")
    assert page.evaluate("document.activeElement.id") == "wq-search-input"
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360
    page.close()



def test_the_laws_part_read_ahead_is_the_one_used(tmp_path, monkeypatch):
    """`weiquan build`'s search worker reads the long docs' part kept from the last build while
    the content is checked (preload_long_part): the index then takes it from memory, reads no
    file for it and analyses nothing again, and equals the index made before."""
    cache = tmp_path / "terms.pickle"
    docs = small_docs()
    S.build_search_index(docs, tmp_path / "first", terms_cache=cache)
    S._LONG_MEMO.clear()
    S.preload_long_part(cache)
    cache.with_name("terms-long.pickle").unlink()
    cache.with_suffix(".marshal").unlink()   # (each long doc's analysis)
    monkeypatch.setattr(S, "_doc_terms", lambda d, rules=None: pytest.fail(f"{d['id']} analysed again"))
    S.build_search_index(docs, tmp_path / "again", terms_cache=cache)
    first = sorted(p.relative_to(tmp_path / "first") for p in (tmp_path / "first").rglob("*.js"))
    assert first == sorted(p.relative_to(tmp_path / "again") for p in (tmp_path / "again").rglob("*.js"))
    for rel in first:
        assert (tmp_path / "first" / rel).read_bytes() == (tmp_path / "again" / rel).read_bytes(), rel


def test_a_changed_guide_is_the_only_long_doc_analysed_again(tmp_path, monkeypatch):
    """Each long doc's terms are kept (search-terms.marshal beside the terms cache; the pickle
    earlier versions kept there is removed): a build after one guide changed analyses that
    guide alone, and its files equal a build without any cache."""
    cache = tmp_path / "terms.pickle"
    cache.write_bytes(b"an earlier version's pickle")
    docs = small_docs()
    S._LONG_MEMO.clear()   # (an earlier test's build of the same docs in this process)
    S.build_search_index(docs, tmp_path / "first", terms_cache=cache)
    assert cache.with_suffix(".marshal").is_file() and not cache.exists()
    guide = next(d for d in docs if d["kind"] == "guide")
    guide["text"] += " 北宫镇调解室"
    analysed = []
    real = S._doc_terms
    monkeypatch.setattr(S, "_doc_terms", lambda d, rules=None: analysed.append(d["id"]) or real(d, rules))
    S._LONG_MEMO.clear()
    S.build_search_index(docs, tmp_path / "again", terms_cache=cache)
    assert [d for d in analysed if not d.startswith(("station:", "campaign:", "hotline:", "page:"))] == [guide["id"]]
    monkeypatch.setattr(S, "_doc_terms", real)
    S._LONG_MEMO.clear()
    S.build_search_index(docs, tmp_path / "fresh")
    for f in (tmp_path / "fresh").rglob("*.js"):
        assert f.read_bytes() == (tmp_path / "again" / f.relative_to(tmp_path / "fresh")).read_bytes(), f
    assert S.query(tmp_path / "again", "北宫镇调解室")[0]["id"] == guide["id"]
