"""Home, case and guide pages (templates/home.md, case*.md, guide*.md)."""

from __future__ import annotations

from markupsafe import Markup

from weiquan.content.library import Guide
from weiquan.content.model import Case
from weiquan.content.urls import case_src, guide_src, station_dir_src
from weiquan.site.campaigns import upcoming_view
from weiquan.site.context import Page, SiteContext
from weiquan.content.markup import md_text
from weiquan.site.html import front_matter
from weiquan.site.render import render
from weiquan.site.topics import STATIONS, group_target, guide_groups


# ---- home -------------------------------------------------------------------------------------

def home_page(site: SiteContext) -> Page:
    s = site.content.settings
    src = "index.md"
    stations = site.content.stations
    page = render(
        "home.md", settings=s,
        urgent=s.hotlines[:2],   # danger first: the first two hotlines as big call buttons (as in the call bar)
        tiles=[(_group_href(site, src, group), group.label) for group in guide_groups(site.content.guides)],
        guides=[(site.urls.href(src, guide_src(g.slug)), g.title)
                for g in sorted(site.content.guides, key=lambda g: (g.meta.order, g.title))],
        stations_href=site.urls.href(src, station_dir_src()), station_count=len(stations),
        nearby=[(site.urls.href(src, site.station_src(st), st.slug), st) for st in stations[:30]]
        if len(stations) <= 30 else [],
        events=upcoming_view(site, src, limit=6),
        laws_href=site.urls.href(src, "laws/index.md"), cases_href=site.urls.href(src, "cases/index.md"),
        campaigns_href=site.urls.href(src, "campaigns/index.md"))
    description = s.description or f"{s.region}妇女儿童维权：法律、求助电话、服务站"
    return Page(src, front_matter(s.name, description=description, hide=["navigation", "toc"]) + "\n" + page, s.name)


def _group_href(site: SiteContext, src: str, group) -> str:
    """Where a topic tile leads (weiquan/site/topics.py)."""
    target = group_target(group)
    return site.urls.href(src, *target) if isinstance(target, tuple) else site.urls.href(src, target)


# ---- cases ------------------------------------------------------------------------------------

def case_index(site: SiteContext) -> Page:
    src = "cases/index.md"
    cases = [(site.urls.href(src, case_src(c.slug)), c) for c in site.content.cases]
    return Page(src, front_matter("以案释法", description="用案例讲清楚法律怎么保护你") + render("case_index.md", cases=cases),
                "以案释法")


def case_page(site: SiteContext, case: Case) -> Page:
    src = case_src(case.slug)
    body = render("case.md", settings=site.content.settings, case=case, cites=[site.quote(src, c) for c in case.citations],
                  related=related_items(site, "case", case.slug, src))
    return Page(src, front_matter(case.title, description=case.summary or case.title) + body, case.title,
                readings=dict(case.readings))


RELATED_KIND = {"case": "案例", "article": "法律条文", "guide": "指南"}


def related_items(site: SiteContext, kind: str, slug: str, src: str) -> list[dict]:
    """Related content of a case or guide page (site.related): {href, label, badge (a case's
    示例/改编/已发布)}."""
    out = []
    for item in site.related(kind, slug):
        ref, badge = item.id, ""
        if ref.kind == "article":
            law, art = site.content.resolve_ref(ref.slug, ref.anchor.removeprefix("a"))
            href = site.article_href(src, law, art)
        elif ref.kind == "case":
            href, badge = site.urls.href(src, case_src(ref.slug)), site.content.case_by_slug[ref.slug].provenance.type
        else:
            href = site.urls.href(src, guide_src(ref.slug))
        out.append({"href": href, "label": f"{RELATED_KIND[ref.kind]}：{item.title}", "badge": badge})
    return out


# ---- guides -----------------------------------------------------------------------------------

def guide_index(site: SiteContext) -> Page:
    """All guides, grouped by need (the first of each guide's topics)."""
    src = "guides/index.md"
    groups = [{"key": group.key, "label": group.label,
               "guides": [(site.urls.href(src, guide_src(g.slug)), g) for g in group.guides],
               "stations_href": site.urls.href(src, station_dir_src()) if group.key == STATIONS else ""}
              for group in guide_groups(site.content.guides)]
    return Page(src, front_matter("维权指南", description="遇到问题怎么办：一步一步的指南")
                + render("guide_index.md", groups=groups), "维权指南")


def guide_page(site: SiteContext, guide: Guide) -> Page:
    """The guide's Markdown (checked at load: content/markup.py) with its citations linked, its
    questions under the title and its related content."""
    src = guide_src(guide.slug)
    body = site.resolve_links(site.replace_shortcodes(guide.body, src), src)
    if not body.lstrip().startswith("# "):
        body = f"# {md_text(guide.title)}\n\n" + body
    head, rest = body, ""
    if guide.meta.questions:     # "这篇回答：…" right under the title
        head, _, rest = body.lstrip().partition("\n")
    page = render("guide.md", settings=site.content.settings, guide=guide, head=Markup(head), rest=Markup(rest),
                  related=related_items(site, "guide", guide.slug, src))
    return Page(src, front_matter(guide.title, description=guide.meta.summary or guide.title) + page,
                guide.title, readings=dict(guide.meta.readings))
