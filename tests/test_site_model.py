"""The site model (site/context.SiteContext) is built in one place and read only; related content
reaches pages as typed items (content/ids.py), not as (label, URL) pairs pages map back."""

from __future__ import annotations

import pytest

from weiquan.content.ids import DocId, Related
from weiquan.content.urls import case_src, guide_src
from weiquan.site import SiteContext
from weiquan.site.pages import related_items


def test_ids_read_back():
    for text in ("case:gaojieshu", "guide:baohuling", "article:fan-jiating-baoli-fa:a120-1"):
        assert str(DocId.parse(text)) == text
    assert DocId.parse("article:x:a23") == DocId("article", "x", "a23")


def test_site_model_is_read_only_and_related_items_are_typed(project):
    from weiquan.content.loader import load_content
    content = load_content(project / "content")
    site = SiteContext(content)
    for name in ("related", "_case_by_url", "today"):
        with pytest.raises(AttributeError):
            setattr(site, name, None)
    guide, case = content.guides[0], content.cases[0]
    law, art = content.cited_articles(case)[0]
    items = [Related(DocId("case", case.slug), "标题一"), Related(DocId("article", law.slug, art.anchor), "标题二")]
    other = site.with_related(lambda kind, slug: items if (kind, slug) == ("guide", guide.slug) else [])
    assert site.related("guide", guide.slug) == [] and other.related("guide", guide.slug) == items
    assert other.law_pages is site.law_pages   # a copy shares what was built
    src = guide_src(guide.slug)
    assert related_items(other, "guide", guide.slug, src) == [
        {"href": site.urls.href(src, case_src(case.slug)), "label": "案例：标题一", "badge": case.provenance.type},
        {"href": site.article_href(src, law, art), "label": "法律条文：标题二", "badge": ""}]
