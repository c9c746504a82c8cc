"""Campaign pages, the home page's upcoming events and a station's campaign links, as they stand
on the day a page is read.

The page carries the build-time answer (which events are upcoming, today or past; the next dates
of a yearly campaign) so it reads right without JavaScript, plus the dates in data- attributes
(weiquan/content/campaigns.py decides both); overrides/assets/javascripts/wq-campaigns.js decides
again from the reader's own date (Asia/Shanghai) and updates the same elements. The functions here
build the data of templates/campaign.html, campaign.md and campaign_index.md.
"""

from __future__ import annotations

import datetime as dt
import itertools

from weiquan.content.campaigns import (Span, client_occurrences, next_occurrence, shown_dates, when,
                                       written_schedule)
from weiquan.content.model import Campaign, Station
from weiquan.content.urls import campaign_src, case_src
from weiquan.site.calendars import campaign_ics_path, event_calendar, event_keys, station_ics_path
from weiquan.site.context import Page, PrintLink, SiteContext
from weiquan.site.html import front_matter
from weiquan.site.render import render

SCRIPT = "assets/javascripts/wq-campaigns.js"
WEEKDAYS = "一二三四五六日"
# which edition when: shown once beside the print-shop links of a campaign
SHOP_NOTE = ("用哪一种：自己打印或到打印店打印、复印，用普通版；交给印刷厂批量印刷，用印刷厂版"
             "（文件名以 -yinshua 结尾：四边各多 3 毫米出血，颜色为 CMYK，裁切后和普通版一样大）。")


def status_text(camp: Campaign, today: dt.date) -> str:
    sched = written_schedule(camp)
    if sched is None:
        return ""
    return "活动即将开始" if today < sched.start else "活动正在进行" if today <= sched.end else "活动已结束"


def next_text(span: Span, today: dt.date) -> str:
    label = "本届" if span.start <= today else "下一届"
    return f"{label}：{span.text()}。具体安排公布后在本页更新。"


def camp_title(camp: Campaign) -> str:
    return f"{camp.year}年{camp.name}" if camp.year and str(camp.year) not in camp.name else camp.name


def _rel(site: SiteContext, src: str, path: str) -> str:
    return site.urls.relative(site.urls.url(src), path)


def _rule(camp: Campaign, today: dt.date) -> dict:
    """The written schedule's dates and the rule's next occurrences (data- attributes for the script)."""
    sched = written_schedule(camp)
    return {"start": sched and sched.start.isoformat(), "end": sched and sched.end.isoformat(),
            "next": " ".join(s.iso() for s in client_occurrences(camp, today))}


def print_links(site: SiteContext, src: str, links: list[PrintLink]) -> list[dict]:
    """PDFs for printing as the page links them: {href, label, short, kb}."""
    return [{"href": _rel(site, src, link.path), "label": link.label, "short": link.short, "kb": link.kb}
            for link in links]


# ---- campaign pages ---------------------------------------------------------------------------

def campaign_index(site: SiteContext) -> Page:
    src = "campaigns/index.md"
    campaigns = [{"campaign": camp, "href": site.urls.href(src, campaign_src(camp.slug)), "title": camp_title(camp),
                  "dates": shown_dates(camp, site.today).text()}
                 for camp in sorted(site.content.campaigns, key=lambda c: shown_dates(c, site.today), reverse=True)]
    return Page(src, front_matter("宣传活动", description="三八维权周等普法宣传活动安排")
                + render("campaign_index.md", campaigns=campaigns), "宣传活动")


def campaign_page(site: SiteContext, camp: Campaign) -> Page:
    src = campaign_src(camp.slug)
    title = camp_title(camp)
    shop = site.leaflets_for(camp, None, shop=True)   # the general edition's 印刷厂版
    body = render(
        "campaign.md", settings=site.content.settings, camp=camp, title=title,
        dates=shown_dates(camp, site.today).text(), when=when_view(site, camp, src),
        leaflets=print_links(site, src, site.leaflets_for(camp, None)),
        shop=print_links(site, src, shop), shop_note=SHOP_NOTE,
        days=schedule_days(site, camp, src),
        highlights=[site.quote(src, c) for c in camp.leaflet.highlights],
        cases=[(site.urls.href(src, case_src(s)), site.content.case_by_slug[s]) for s in camp.leaflet.cases],
        stations=picker_view(site, camp, src), script=site.urls.root(src) + SCRIPT)
    return Page(src, front_matter(title, description=camp.theme or camp.name) + body, title)


def when_view(site: SiteContext, camp: Campaign, src: str) -> dict:
    """Status line, next dates (yearly campaigns) and the campaign's 加入日历 link."""
    nxt = next_occurrence(camp, site.today)
    return {"rule": _rule(camp, site.today), "status": status_text(camp, site.today),
            "next": next_text(nxt, site.today) if nxt else "", "ics": _rel(site, src, campaign_ics_path(camp.slug)),
            "events": len(camp.events), "yearly": bool(camp.yearly)}


def schedule_days(site: SiteContext, camp: Campaign, src: str) -> list[dict]:
    """The events by day, each with its state on the build date and its calendar file."""
    keys = dict(zip(map(id, camp.events), event_keys(camp)))
    days = []
    events = sorted(camp.events, key=lambda e: (e.date, str(e.time or "")))
    for day, group in itertools.groupby(events, key=lambda e: e.date):
        rows = []
        for ev in group:
            st = site.content.station_by_slug.get(ev.station) if ev.station else None
            rows.append({"event": ev, "state": when(ev.date, site.today), "station": st,
                         "station_href": st and site.urls.href(src, site.station_src(st), st.slug),
                         "ics": _rel(site, src, event_calendar(camp.slug, keys[id(ev)], ev.station,
                                                               site.station_events))})
        days.append({"date": day, "weekday": WEEKDAYS[day.weekday()], "events": rows})
    return days


def picker_view(site: SiteContext, camp: Campaign, src: str) -> dict | None:
    """Every station's leaflets (one line per station), and the print packs."""
    stations = site.content.campaign_stations(camp)
    if not stations:
        return None
    rows = [{"station": st, "href": site.urls.href(src, site.station_src(st), st.slug),
             "links": print_links(site, src, site.leaflets_for(camp, st)),
             "shop": print_links(site, src, site.leaflets_for(camp, st, shop=True))} for st in stations]
    packs = [(where, link) for where, shop in (("打印店用", False), ("印刷厂用", True))
             for link in print_links(site, src, site.leaflets_for(camp, None, pack=True, shop=shop))]
    return {"rows": rows, "have": bool(rows[0]["links"]), "packs": packs}


# ---- station section ----------------------------------------------------------------------------

def station_campaigns_view(site: SiteContext, st: Station, src: str) -> dict:
    """On a station's section: 加入日历 (its events, when it has any) and its leaflets, one line
    per campaign."""
    leaflets = [(camp.name, print_links(site, src, links)) for camp in site.station_campaigns.get(st.slug, [])
                for links in [site.leaflets_for(camp, st)] if links]
    return {"events": site.station_events.get(st.slug, 0), "ics": _rel(site, src, station_ics_path(st.slug)),
            "leaflets": leaflets}


# ---- home page: upcoming events ----------------------------------------------------------------

def upcoming_view(site: SiteContext, src: str, limit: int, keep: int = 30) -> dict | None:
    """Events from the build date on (the first ``limit`` shown; up to ``keep`` more kept hidden
    for the script, which drops the ones past on the reader's date), then one line per yearly
    campaign with its next dates, shown once its written schedule is over."""
    today = site.today
    found = sorted(((ev, camp) for camp in site.content.campaigns for ev in camp.events if ev.date >= today),
                   key=lambda r: (r[0].date, str(r[0].time or ""), r[1].slug))
    events = [{"date": ev.date, "time": str(ev.time or ""), "state": when(ev.date, today), "hidden": i >= limit,
               "event": ev, "campaign": camp, "href": site.urls.href(src, campaign_src(camp.slug))}
              for i, (ev, camp) in enumerate(found[: limit + keep])]
    yearly = []
    for camp in site.content.campaigns:
        if camp.yearly:
            nxt = next_occurrence(camp, today)
            yearly.append({"campaign": camp, "rule": _rule(camp, today), "next": nxt.text() if nxt else "",
                           "href": site.urls.href(src, campaign_src(camp.slug))})
    if not events and not yearly:
        return None
    visible = any(not e["hidden"] for e in events) or any(y["next"] for y in yearly)
    return {"limit": limit, "events": events, "yearly": yearly, "visible": visible,
            "script": site.urls.root(src) + SCRIPT}
