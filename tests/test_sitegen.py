"""The page generator on its own (no MkDocs): law versions, splitting, URL schemes."""

from __future__ import annotations


import pytest

from weiquan.build.engine import BuildOptions, prepare
from weiquan.site.context import articles_of, split_law
from weiquan.content.urls import Urls

from conftest import tiny_content


@pytest.fixture(scope="module")
def example_build(tmp_path_factory):
    content = tiny_content(tmp_path_factory.mktemp("sitegen") / "content", laws=("fan-jiating-baoli-fa", "minfadian"))
    return prepare(BuildOptions(content_dir=content))


def page(build, src):
    return next(p for p in build.pages if p.src == src)


def test_superseded_law_says_so_and_points_to_current(tmp_path):
    content = tiny_content(tmp_path / "content")   # one law: fan-jiating-baoli-fa
    old = (content / "laws" / "fan-jiating-baoli-fa.yaml").read_text(encoding="utf-8")
    old = old.replace("slug: fan-jiating-baoli-fa", "slug: fan-jiating-baoli-fa-2015").replace(
        "status: 有效", "status: 已修改").replace("replaced_by: null", "replaced_by: fan-jiating-baoli-fa").replace(
        "  - 反家暴法\n", "  - 反家暴法（2015年文本）\n").replace("short_name: 反家庭暴力法", "short_name: 反家庭暴力法（2015）").replace(
        "title: 中华人民共和国反家庭暴力法", "title: 中华人民共和国反家庭暴力法（2015年文本）").replace(
        "version: 2015-12-27", "version: 2015-12-26")   # versions of one law need their own dates
    (content / "laws" / "fan-jiating-baoli-fa-2015.yaml").write_text(old, encoding="utf-8")
    build = prepare(BuildOptions(content_dir=content))
    md = page(build, "laws/fan-jiating-baoli-fa-2015/index.md").markdown
    assert "本文本已修改" in md and "取代" in md
    assert 'href="../fan-jiating-baoli-fa/"' in md


def test_small_law_is_one_page(example_build):
    [only] = example_build.site.law_pages["fan-jiating-baoli-fa"]
    assert only.slug == ""


def test_minfadian_split_keeps_every_article_once(example_build):
    law = example_build.content.find_law("民法典")
    pages = split_law(law)
    seen = [a.key for p in pages for a in articles_of(p)]
    assert len(seen) == len(set(seen)) == 1260
    assert seen == sorted(seen)
    assert max(len(list(articles_of(p))) for p in pages) <= 60


def test_article_links_follow_split(example_build):
    site = example_build.site
    law, art = example_build.content.resolve_ref("民法典", "1079")
    assert site.article_href("cases/x.md", law, art) == "../../laws/minfadian/b5-z4/#a1079"


@pytest.mark.parametrize("dir_urls,expected", [(True, "../../laws/minfadian/"), (False, "../laws/minfadian/index.html")])
def test_urls_for_both_schemes(dir_urls, expected):
    assert Urls(dir_urls).href("cases/x.md", "laws/minfadian/index.md") == expected


def test_non_directory_urls_for_offline_edition():
    u = Urls(False)
    assert u.url("index.md") == "index.html" and u.url("cases/x.md") == "cases/x.html"
    assert u.href("index.md", "stations/index.md") == "stations/index.html"
    assert u.href("stations/99/9901/990101.md", "stations/index.md", "x") == "../../index.html#x"
    assert u.root("cases/x.md") == "../"


def test_relpath_matches_posixpath_for_site_paths():
    import posixpath
    import random

    from weiquan.content.urls import relpath
    segs = ["laws", "fan", "stations", "11", "1101", "cases", "x.html", "index.html", "a"]
    rnd = random.Random(7)
    for _ in range(20_000):
        a = "/".join(rnd.choice(segs) for _ in range(rnd.randint(0, 5))) + rnd.choice(["", "/"]) or "."
        b = "/".join(rnd.choice(segs) for _ in range(rnd.randint(0, 5))) or "."
        assert relpath(a, b) == posixpath.relpath(a, b), (a, b)
    assert relpath("../x", "a") == posixpath.relpath("../x", "a")
