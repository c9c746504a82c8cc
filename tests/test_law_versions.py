"""Versions of one law side by side: resolution, pinned citations, old/new pages, article marks."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import yaml

from weiquan.content import versions as lawversions
from weiquan.content.library import current_version
from weiquan.content.loader import check_content, load_content
from weiquan.content.model import Citation

from conftest import copy_content, example_content

OLD, NEW = "zhian-guanli-chufa-fa-2012", "zhian-guanli-chufa-fa"


@pytest.fixture(scope="module")
def content():
    return load_content(example_content())


def test_names_resolve_to_the_version_in_force(content):
    for name in ("治安管理处罚法", "中华人民共和国治安管理处罚法", "治安处罚法"):
        assert content.find_law(name).slug == NEW
    assert content.find_law(OLD).slug == OLD          # a slug names one version
    assert [v.slug for v in content.versions_of(content.find_law(OLD))] == [OLD, NEW]
    assert content.find_law("治安管理处罚法@2012-10-26").slug == OLD
    assert content.find_law("治安管理处罚法", version="2012-10-26").slug == OLD
    with pytest.raises(LookupError, match="没有 2013-01-02 版本"):
        content.lookup_law("治安管理处罚法@2013-01-02")


def test_in_force_means_status_and_effective_date(content):
    old, new = content.find_law(OLD), content.find_law(NEW)
    assert current_version([old, new], dt.date(2026, 1, 1)) is new
    # before 2026-01-01 the 2025 text is not in force yet; the 2012 one is 已修改 → the newest
    assert current_version([old, new], dt.date(2025, 7, 1)) is new
    in_force_old = old.model_copy(update={"status": "有效"})
    assert current_version([in_force_old, new], dt.date(2025, 7, 1)) is in_force_old
    assert current_version([in_force_old, new], dt.date(2026, 1, 2)) is new


def test_pinned_citation_in_yaml_and_shortcode(content):
    law, art = content.resolve(Citation(law="治安管理处罚法", version="2012-10-26", article="7"))
    assert law.slug == OLD and art.number == "第七条"
    law, art = content.resolve(Citation(law="治安管理处罚法", article="7"))
    assert law.slug == NEW
    law, art = content.resolve_ref("治安管理处罚法@2012-10-26", "119")
    assert law.slug == OLD and art.number == "第一百一十九条"  # 2025 has 144, 2012 ends at 119
    from weiquan.site.context import SiteContext
    site = SiteContext(content)
    html = site.replace_shortcodes("见[[治安管理处罚法@2012-10-26#7]]和[[治安管理处罚法#7]]。",
                                   "guides/x.md")
    old_href, new_href = re.findall(r'href="([^"]+)"', html)
    assert f"laws/{OLD}/" in old_href and old_href.endswith("#a7")
    assert f"laws/{NEW}/" in new_href and old_href != new_href


def _project(tmp_path: Path) -> Path:
    dest = tmp_path / "content"
    return copy_content(dest)


def _mine(problems, *names):
    """Problems in the files this test touches (other content may be mid-edit elsewhere)."""
    return [p for p in problems if any(n in str(p.path) for n in names)]


def test_check_accepts_versions_and_pinned_references(tmp_path):
    root = _project(tmp_path)
    (root / "guides" / "v.md").write_text(
        "---\ntitle: 版本测试\n---\n\n旧法[[治安管理处罚法@2012-10-26#7]]，新法[[治安管理处罚法#7]]，"
        "[[治安管理处罚法@2012-10-26]]。\n", encoding="utf-8")
    _, problems = check_content(root)
    assert _mine(problems, "guides/v.md", "laws/") == [], [str(p) for p in problems]
    (root / "guides" / "v.md").write_text(
        "---\ntitle: 版本测试\n---\n\n第一行\n[[治安管理处罚法@2013-01-02#7]]\n", encoding="utf-8")
    _, problems = check_content(root)
    problems = _mine(problems, "guides/v.md", "laws/")
    assert len(problems) == 1 and problems[0].line == 6 and "没有 2013-01-02 版本" in str(problems[0])


def test_a_name_shared_by_two_different_laws_is_still_an_error(tmp_path):
    root = _project(tmp_path)
    path = root / "laws" / "laodong-hetong-fa.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["aliases"] = [*data["aliases"], "劳动法"]
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    _, problems = check_content(root)
    msgs = [str(p) for p in _mine(problems, "laws/")]
    assert len(msgs) == 1 and "“劳动法”同时指向多部法律" in msgs[0]
    assert "laodong-hetong-fa.yaml" in msgs[0] and "laodong-fa.yaml" in msgs[0]  # both files named


def test_alignment_is_general_text_similarity(content):
    old, new = content.find_law(OLD), content.find_law(NEW)
    cmp = lawversions.compare(old, new)
    counts = cmp.counts()
    assert counts[lawversions.NEW] + counts[lawversions.CHANGED] + counts[lawversions.UNCHANGED] == 144
    assert counts[lawversions.CHANGED] + counts[lawversions.UNCHANGED] + counts["删除"] == 119
    key = lambda n: (n, 0)  # noqa: E731
    assert cmp.by_new[key(3)].status == lawversions.UNCHANGED and cmp.by_new[key(3)].old.number == "第二条"
    assert cmp.by_new[key(1)].status == lawversions.CHANGED and cmp.by_new[key(1)].old.number == "第一条"
    assert cmp.by_new[key(2)].old.number == "第六条"  # 综合治理 moved up from 第六条
    for new_key, m in cmp.by_new.items():      # the two directions agree
        if m.old is not None:
            assert cmp.by_old[m.old.key][0].key == new_key
    # any two texts: identical versions are all 未改, a text against nothing is all 新增
    same = lawversions.compare(old, old)
    assert {m.status for m in same.by_new.values()} == {lawversions.UNCHANGED}


def test_alignments_are_kept_between_builds_by_the_texts(content, tmp_path, monkeypatch):
    """The build keeps each alignment in .weiquan-cache (law-versions.pickle) by the two
    versions' article texts: the next build aligns nothing, gets the same result, and a changed
    article text is aligned again."""
    import copy
    old, new = content.find_law(OLD), content.find_law(NEW)
    fresh = lawversions.compare(old, new)
    store = tmp_path / "law-versions.pickle"
    monkeypatch.setattr(lawversions, "ALIGNMENTS", lawversions._Alignments())

    def compare(a, b):
        lawversions._CACHE.clear()
        lawversions.ALIGNMENTS.keep_in(store)
        cmp = lawversions.compare(a, b)
        lawversions.ALIGNMENTS.save()
        return cmp

    shape = lambda cmp: {k: (m.status, m.old and m.old.key, m.ratio) for k, m in cmp.by_new.items()}  # noqa: E731
    assert shape(compare(old, new)) == shape(fresh)
    aligned = []
    real = lawversions._align
    monkeypatch.setattr(lawversions, "_align", lambda *a: aligned.append(1) or real(*a))
    assert shape(compare(old, new)) == shape(fresh) and aligned == []
    edited = copy.deepcopy(new)
    first = next(lawversions.iter_articles(edited))
    first.paragraphs = [first.paragraphs[0] + "（测试）", *first.paragraphs[1:]]
    compare(old, edited)
    assert aligned == [1]


# ----------------------------------------------------------------------------- built site

def _read(site: Path, rel: str) -> str:
    return (site / rel / "index.html").read_text(encoding="utf-8")


def test_old_version_page_says_it_was_replaced(example_site):
    html = _read(example_site, f"laws/{OLD}")
    banner = re.search(r'<div class="admonition warning">.*?</div>', html, re.S).group(0)
    assert "本文本已修改" in banner and "2012年10月26日版" in banner
    assert "自2026年1月1日起" in banner and f'href="../{NEW}/"' in banner
    assert "各版本：" in html and f'href="../{NEW}/"' in html
    # every split page of the old version says so, and points each article to today's
    page = _read(example_site, f"laws/{OLD}/z2")
    assert 'class="wq-oldver"' in page and "已修改" in page
    assert re.search(rf'2025年版：<a href="\.\./\.\./{NEW}/[^"]*#a\d+">第', page)


def test_new_version_page_marks_articles(example_site):
    landing = _read(example_site, f"laws/{NEW}")
    assert "各版本：" in landing and f'href="../{OLD}/"' in landing and "（现行）" in landing
    assert "本文本已修改" not in landing
    pages = [p for p in (example_site / "laws" / NEW).glob("*/index.html")]
    html = "".join(p.read_text(encoding="utf-8") for p in pages)
    articles = re.findall(r'<section class="wq-article" id="(a[\d-]+)">(.*?)</section>', html, re.S)
    assert len(articles) == 144
    marks = {a: re.search(r'class="wq-ver[^"]*"', body) is not None for a, body in articles}
    assert all(marks.values())
    bodies = dict(articles)
    assert "2012年版第二条，未改" in bodies["a3"]
    assert "<details" in bodies["a1"] and "2012年版第一条，有修改" in bodies["a1"]
    assert "为维护社会治安秩序" in bodies["a1"]                      # old wording, one tap away
    assert f"../../{OLD}/z1/#a1" in bodies["a1"]
    assert any("新增" in b for b in bodies.values())
    # a law with one version has no marks
    assert 'class="wq-ver' not in _read(example_site, "laws/fan-jiating-baoli-fa")


def test_law_index_lists_current_versions_once(example_site):
    html = _read(example_site, "laws")
    assert html.count(f'href="{NEW}/"') == 1 and f'href="{OLD}/"' in html
    assert "其他版本：" in html


def test_xingfa_appendices_follow_the_articles(example_site):
    landing = _read(example_site, "laws/xingfa")
    assert re.search(r'<a href="fz3/#appendix-1">附件一</a>', landing)
    last = _read(example_site, "laws/xingfa/fz3")
    assert last.index('id="a452"') < last.index('id="appendix-1"') < last.index('id="appendix-2"')
    appendix = last[last.index('id="appendix-1"'):]
    assert "惩治军人违反职责罪暂行条例" in appendix and 'class="wq-article"' not in appendix
    pages = (example_site / "laws" / "xingfa").glob("*/index.html")
    assert sum(p.read_text(encoding="utf-8").count('<section class="wq-article"') for p in pages) == 505


def test_law_page_labels_this_version_and_first_in_force(content):
    from weiquan.site.laws import version_line
    assert version_line(content.find_law("劳动法")) == (
        "1994年7月5日通过，2018年12月29日修正/修订，2018年12月29日本版本施行，1995年1月1日首次施行")
    assert version_line(content.find_law("人身安全保护令规定")) == (
        "2022年6月7日通过，2022年7月14日公布，2022年8月1日施行")
    old = content.find_law("治安管理处罚法@2012-10-26")
    assert "2013年1月1日本版本施行，2006年3月1日首次施行" in version_line(old)
