"""Home, case, guide and campaign pages."""

from __future__ import annotations

from markupsafe import Markup

from weiquan.content.campaigns import shown_dates
from weiquan.content.library import Guide
from weiquan.content.model import Campaign, Case
from weiquan.site.campaigns import (campaign_when, leaflet_picker, schedule_html, script_tag,
                                    shop_links_html, upcoming_html)
from weiquan.site.context import Page, SiteContext
from weiquan.site.render import render
from weiquan.site.phonelinks import linker_for
from weiquan.site.topics import STATIONS, group_target, guide_groups
from weiquan.content.phones import tel_uri
from weiquan.site.html import badge, esc, leaflet_link, fmt_date, front_matter, md_text, paragraphs, tel, text_block
from weiquan.content.urls import campaign_src, case_src, guide_src, station_dir_src

WEEKDAYS = "一二三四五六日"


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
        events=Markup(upcoming_events(site, src, limit=6)),
        laws_href=site.urls.href(src, "laws/index.md"), cases_href=site.urls.href(src, "cases/index.md"),
        campaigns_href=site.urls.href(src, "campaigns/index.md"))
    description = s.description or f"{s.region}妇女儿童维权：法律、求助电话、服务站"
    return Page(src, front_matter(s.name, description=description, hide=["navigation", "toc"]) + "\n" + page, s.name)


def _group_href(site: SiteContext, src: str, group) -> str:
    """Where a topic tile leads (weiquan/site/topics.py)."""
    target = group_target(group)
    return site.urls.href(src, *target) if isinstance(target, tuple) else site.urls.href(src, target)


def upcoming_events(site: SiteContext, src: str, limit: int) -> str:
    """Upcoming events, decided again on the reader's date in the browser (site/campaigns.py)."""
    return upcoming_html(site, src, limit)


# ---- cases ------------------------------------------------------------------------------------

def case_index(site: SiteContext) -> Page:
    src = "cases/index.md"
    cases = [(site.urls.href(src, case_src(c.slug)), c) for c in site.content.cases]
    return Page(src, front_matter("以案释法", description="用案例讲清楚法律怎么保护你") + render("case_index.md", cases=cases),
                "以案释法")


def quotes(site: SiteContext, src: str, citations) -> list[dict]:
    """Cited articles quoted in full, each with its link: {href, label, paragraphs}."""
    out = []
    for c in citations:
        law, art = site.content.resolve(c)
        out.append({"href": site.article_href(src, law, art), "label": site.cite_label(law, art),
                    "paragraphs": art.paragraphs})
    return out


def case_page(site: SiteContext, case: Case) -> Page:
    src = case_src(case.slug)
    body = render("case.md", settings=site.content.settings, case=case, cites=quotes(site, src, case.citations),
                  related=related_items(site, "case", case.slug, src))
    return Page(src, front_matter(case.title, description=case.summary or case.title) + body, case.title,
                readings=dict(case.readings))


def _tel(site: SiteContext, html: str) -> str:
    """Hotline and phone numbers in the page's text as tel: links (weiquan/site/phonelinks.py)."""
    return linker_for(site.content.settings).markup(html)


def related_items(site: SiteContext, kind: str, slug: str, src: str) -> list[dict]:
    """Related content of a case or guide page: {href, label, badge (a case's 示例/改编/已发布)}."""
    out = []
    for label, path in site.related(kind, slug):   # [(label, site path#anchor)]
        page, _, anchor = path.partition("#")
        href = site.urls.relative(site.urls.url(src), page) + (f"#{anchor}" if anchor else "")
        out.append({"href": href, "label": label, "badge": _case_badge_at(site, page)})
    return out


def _case_badge_at(site: SiteContext, path: str) -> str:
    """The case's 示例/改编/已发布 mark when the site path is a case page, else ''."""
    by_url = getattr(site, "_case_by_url", None)
    if by_url is None:
        by_url = site._case_by_url = {site.urls.url(case_src(c.slug)): c for c in site.content.cases}
    case = by_url.get(path)
    return case.provenance.type if case else ""


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


# ---- campaigns --------------------------------------------------------------------------------

def campaign_index(site: SiteContext) -> Page:
    src = "campaigns/index.md"
    items = []
    for camp in sorted(site.content.campaigns, key=lambda c: shown_dates(c, site.today), reverse=True):
        items.append(f'<li><a href="{site.urls.href(src, campaign_src(camp.slug))}">{esc(camp_title(camp))}</a>'
                     f"<br><small>{shown_dates(camp, site.today).text()}" + (f" · {esc(camp.theme)}" if camp.theme else "")
                     + "</small></li>")
    md = (front_matter("宣传活动", description="三八维权周等普法宣传活动安排") + "# 宣传活动\n\n"
          f'<ul class="wq-list">\n{chr(10).join(items)}\n</ul>\n')
    return Page(src, md, "宣传活动")


def camp_title(camp: Campaign) -> str:
    return f"{camp.year}年{camp.name}" if camp.year and str(camp.year) not in camp.name else camp.name


def campaign_page(site: SiteContext, camp: Campaign) -> Page:
    src = campaign_src(camp.slug)
    title = camp_title(camp)
    md = [front_matter(title, description=camp.theme or camp.name), f"# {md_text(title)}\n",
          f'<p class="wq-campaign-meta"><strong>{shown_dates(camp, site.today).text()}</strong>'
          + (f"<br>主题：{esc(camp.theme)}" if camp.theme else "") + "</p>\n"]
    md.append(campaign_when(site, camp, src))
    if camp.description:
        md.append(_tel(site, text_block(camp.description)) + "\n")
    leaflets = site.leaflets_for(camp, None)
    if leaflets:
        md.append('<p class="wq-leaflets">宣传单（通用版）：' + " ".join(
            leaflet_link(site.urls.relative(site.urls.url(src), link.path), f"{link.label}，{link.kb}")
            for link in leaflets) + "</p>\n")
    md.append(shop_links_html(site, camp, src))   # 印刷厂版 and which edition to use when
    if camp.events:
        md.append("## 活动安排 {#schedule}\n")
        md.append(schedule_html(site, camp, src, WEEKDAYS))
    if camp.leaflet.highlights:
        md.append("## 重点条文 {#highlights}\n")
        for c in camp.leaflet.highlights:
            law, art = site.content.resolve(c)
            md.append(f'<blockquote class="wq-quote"><p><a href="{site.article_href(src, law, art)}">'
                      f"{esc(site.cite_label(law, art))}</a></p>\n{paragraphs(art.paragraphs)}</blockquote>\n")
    if camp.leaflet.cases:
        md.append("## 案例 {#cases}\n")
        md.append('<ul class="wq-list">' + "".join(
            f'<li><a href="{site.urls.href(src, case_src(s))}">{esc(site.content.case_by_slug[s].title)}</a> '
            f'{badge(site.content.case_by_slug[s].provenance.type)}</li>'
            for s in camp.leaflet.cases) + "</ul>\n")
    picker = leaflet_picker(site, camp, src)
    if picker:
        md.append("## 参与的服务站 {#stations}\n")
        md.append(picker)
    md.append(script_tag(site, src))
    return Page(src, "\n".join(md), title)
