"""Law index, law pages (split for large laws) with a stable anchor per article."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from markupsafe import Markup

from weiquan.content import versions as lawversions
from weiquan.content.model import Article, Law, Part
from weiquan.content.urls import law_src
from weiquan.site.context import LawPart, Page, SiteContext, articles_of, part_slug
from weiquan.site.html import front_matter, json_script
from weiquan.zh.dates import cn_date
from weiquan.site.render import render

STATUS_KIND = {"有效": "ok", "已修改": "warn", "已废止": "bad", "尚未生效": "warn"}


def law_pages(site: SiteContext) -> list[Page]:
    pages = [law_index(site)]
    for law in site.content.laws:
        parts = site.law_pages[law.slug]
        if len(parts) == 1:
            pages.append(law_page(site, law, parts[0], law_src(law.slug), whole=True))
        else:
            pages.append(law_landing(site, law, parts))
            for lp in parts:
                pages.append(law_page(site, law, lp, law_src(law.slug, lp.slug), whole=False))
    return pages


def law_index(site: SiteContext) -> Page:
    src = "laws/index.md"
    current = [law for law in site.content.laws if site.content.current_of(law) is law]
    rows = [{"law": law, "href": site.law_href(src, law), "status_kind": STATUS_KIND[law.status],
             "version_line": version_line(law),
             "others": [(site.law_href(src, v), version_label(v)) for v in site.content.versions_of(law) if v is not law]}
            for law in sorted(current, key=lambda l: (l.kind != "法律", l.short_name))]
    return Page(src, front_matter("法律法规", description="与妇女儿童权益有关的法律原文") + render("law_index.md", rows=rows),
                "法律法规")


def version_line(law: Law) -> str:
    """通过 / 公布 / last 修正 or 修订 / 本版本施行 / 首次施行 (``effective`` is always this
    version's date in force; ``first_effective`` the law's first, when different)."""
    bits = [f"{cn_date(law.adopted)}通过"]
    if law.published and law.published != law.adopted:
        bits.append(f"{cn_date(law.published)}公布")
    if law.amended:
        bits.append(f"{cn_date(law.amended[-1])}修正/修订")
    if law.effective:
        label = "本版本施行" if law.first_effective and law.first_effective != law.effective else "施行"
        bits.append(f"{cn_date(law.effective)}{label}")
    if law.first_effective and law.first_effective != law.effective:
        bits.append(f"{cn_date(law.first_effective)}首次施行")
    return "，".join(bits)


def version_label(law: Law) -> str:
    """'2012年10月26日版' — a version by its date."""
    return f"{cn_date(law.version or law.adopted)}版"


def _year_label(law: Law) -> str:
    return f"{(law.version or law.adopted).year}年版"


def head_view(site: SiteContext, law: Law, src: str) -> dict:
    """What a law's header and a split page's crumb say about the law and its versions."""
    current = site.content.find_law(law.replaced_by) if law.replaced_by else None
    versions = site.content.versions_of(law)
    in_force = site.content.current_of(law)
    return {
        "law": law, "status_kind": STATUS_KIND[law.status], "version_line": version_line(law),
        "label": version_label(law),
        "current": current and {"href": site.law_href(src, current), "short_name": current.short_name,
                                "label": version_label(current), "effective": current.effective},
        "versions": [{"href": None if v is law else site.law_href(src, v),
                      "label": version_label(v) + ("（现行）" if v is in_force else f"（{v.status}）")}
                     for v in versions] if len(versions) > 1 else [],
    }


@dataclass(slots=True)
class ArticleView:
    """One article as its law page shows it (attributes, not a dict: a law page reads thousands)."""
    anchor: str
    number: str
    paragraphs: list[str]
    note: Optional[str]
    prev: Optional[dict]     # where it was in the previous version (version_marks)
    next: Optional[dict]     # where it is in the next version
    cited: list[dict]        # pages citing it: {href, kind, title, provenance}
    first: bool = False      # the page's first block


@dataclass(slots=True)
class Heading:
    heading: str
    level: int               # Markdown heading level, 2–5
    id: str                  # stable anchor: z3, b2-z1 …


def article_view(site: SiteContext, law: Law, article: Article, src: str, first: bool = False) -> ArticleView:
    marks = version_marks(site, law, article, src)
    return ArticleView(article.anchor, article.number, article.paragraphs, article.note, marks["prev"], marks["next"],
                       [{"href": site.urls.href(src, c.src), "kind": c.kind, "title": c.title, "provenance": c.provenance}
                        for c in site.cited_by.get((law.slug, article.key), [])], first)


def version_marks(site: SiteContext, law: Law, article: Article, src: str) -> dict:
    """Where the article was in the previous version (new / changed + old wording / unchanged), and
    on an older version, where it is in the next one. None for a law with one version."""
    versions = site.content.versions_of(law)
    out: dict = {"prev": None, "next": None}
    if len(versions) < 2:
        return out
    prev = lawversions.previous_version(versions, law)
    if prev is not None:
        m = lawversions.compare(prev, law).by_new[article.key]
        status = {lawversions.NEW: "new", lawversions.UNCHANGED: "unchanged"}.get(m.status, "changed")
        out["prev"] = {"status": status, "was": _year_label(prev), "number": m.old and m.old.number,
                       "paragraphs": m.old and m.old.paragraphs,
                       "href": site.article_href(src, prev, m.old) if status == "changed" else None}
    nxt = lawversions.next_version(versions, law)
    if nxt is not None:
        new_article, status = lawversions.compare(law, nxt).by_old[article.key]
        out["next"] = {"now": _year_label(nxt), "number": new_article and new_article.number,
                       "href": new_article and site.article_href(src, nxt, new_article),
                       "unchanged": status == lawversions.UNCHANGED}
    return out


def blocks(site: SiteContext, law: Law, lp: LawPart, src: str) -> list[ArticleView | Heading]:
    """The page's articles and part headings in order, flat (stable heading ids; headings go into
    the page's table of contents)."""
    out: list = [article_view(site, law, a, src, first=i == 0) for i, a in enumerate(lp.articles)]

    def visit(parts: list[Part], depth: int, prefix: str) -> None:
        for i, part in enumerate(parts):
            pid = (prefix + "-" if prefix else "") + part_slug(part, i)
            out.append(Heading(part.heading, min(2 + depth, 5), pid))
            out.extend(article_view(site, law, a, src) for a in part.articles)
            visit(part.parts, depth + 1, pid)
    visit(lp.parts, 0, lp.slug.rsplit("-", 1)[0] if "-" in lp.slug else "")
    return out


def pager_view(site: SiteContext, law: Law, lp: LawPart) -> dict:
    pages = site.law_pages[law.slug]
    i = pages.index(lp)
    src = law_src(law.slug, lp.slug)

    def link(other: LawPart) -> dict:
        return {"href": site.urls.href(src, law_src(law.slug, other.slug)), "title": other.title}
    return {"prev": link(pages[i - 1]) if i > 0 else None, "next": link(pages[i + 1]) if i + 1 < len(pages) else None}


def law_page(site: SiteContext, law: Law, lp: LawPart, src: str, whole: bool) -> Page:
    title = law.short_name if whole else f"{law.short_name} · {lp.title}"
    last = whole or lp is site.law_pages[law.slug][-1]
    body = render("law.md", law=law, whole=whole, head=head_view(site, law, src),
                  toc_href=site.law_href(src, law), pages=None if whole else pager_view(site, law, lp),
                  blocks=blocks(site, law, lp, src),
                  appendices=law.appendices if last else [])   # 附件/附表/附录: verbatim, not articles
    return Page(src, front_matter(title, description=law.title) + body, title)


def law_landing(site: SiteContext, law: Law, pages: list[LawPart]) -> Page:
    """Table of contents of a split law; forwards #a123 permalinks to the page holding the article."""
    src = law_src(law.slug)
    toc = []
    for lp in pages:
        arts = list(articles_of(lp))
        toc.append((site.urls.href(src, law_src(law.slug, lp.slug)), lp.title,
                    f"{arts[0].number}—{arts[-1].number}" if arts else ""))
    last = law_src(law.slug, pages[-1].slug)
    for i, appendix in enumerate(law.appendices, 1):   # shown after the articles, on the last page
        toc.append((site.urls.href(src, last, f"appendix-{i}"), appendix.heading, None))
    # Article ranges per page, keyed n*100+sub, so #a1043 can be forwarded to its page.
    ranges = []
    for lp in pages:
        keys = [a.key[0] * 100 + a.key[1] for a in articles_of(lp)]
        if keys:
            ranges.append([site.urls.href(src, law_src(law.slug, lp.slug)), min(keys), max(keys)])
    body = render("law_landing.md", law=law, head=head_view(site, law, src), toc=toc,
                  article_map=Markup(json_script(ranges)))
    return Page(src, front_matter(law.short_name, description=law.title) + body, law.short_name)
