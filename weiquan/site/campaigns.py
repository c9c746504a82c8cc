"""Campaign schedules as they stand on the day a page is read.

The page carries the build-time answer (which events are upcoming, today or past; the next
year's dates of a yearly campaign) so it reads right without JavaScript, plus the dates in
data- attributes; overrides/assets/javascripts/wq-campaigns.js decides again from the
reader's own date (Asia/Shanghai) and updates the same elements. Both follow the rules below.
"""

from __future__ import annotations

import datetime as dt
from weiquan.content.campaigns import Span, client_occurrences, next_occurrence, when, written_schedule
from weiquan.content.model import Campaign
from weiquan.content.urls import campaign_src
from weiquan.site.calendars import campaign_ics_path, event_ics_path, event_keys, station_ics_path
from weiquan.site.context import SiteContext
from weiquan.site.html import esc, fmt_date

WHEN_LABELS = {"upcoming": "即将举行", "today": "今天", "past": "已结束"}
SCRIPT = "assets/javascripts/wq-campaigns.js"
# Calendar icon (Material Design Icons "calendar-plus", Apache-2.0), inline: no request.
CAL_ICON = ('<svg class="wq-icon" viewBox="0 0 24 24" width="16" height="16" aria-hidden="true">'
            '<path d="M19 19V8H5v11h14M16 1h2v2h1a2 2 0 0 1 2 2v14a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2V5'
            'a2 2 0 0 1 2-2h1V1h2v2h8V1m-5 8.5h2v3h3v2h-3v3h-2v-3H8v-2h3v-3z" fill="currentColor"/></svg>')


def status_text(camp: Campaign, today: dt.date) -> str:
    sched = written_schedule(camp)
    if sched is None:
        return ""
    return "活动即将开始" if today < sched.start else "活动正在进行" if today <= sched.end else "活动已结束"


def next_text(span: Span, today: dt.date) -> str:
    label = "本届" if span.start <= today else "下一届"
    return f"{label}：{span.text()}。具体安排公布后在本页更新。"


def script_tag(site: SiteContext, src: str) -> str:
    return f'<script src="{site.urls.root(src)}{SCRIPT}" defer></script>\n'


def ics_link(href: str, label: str = "加入日历") -> str:
    return f'<a class="wq-ics" href="{href}" type="text/calendar">{CAL_ICON}{esc(label)}</a>'


def _rel(site: SiteContext, src: str, path: str) -> str:
    return site.urls.relative(site.urls.url(src), path)


def _rule_attrs(camp: Campaign, today: dt.date, start: bool = True) -> str:
    """The written schedule's dates and the rule's next occurrences, for wq-campaigns.js."""
    sched = written_schedule(camp)
    attrs = ""
    if sched:
        attrs += (f' data-start="{sched.start.isoformat()}"' if start else "") + f' data-end="{sched.end.isoformat()}"'
    if camp.yearly:
        attrs += f' data-next="{" ".join(s.iso() for s in client_occurrences(camp, today))}"'
    return attrs


# ---- campaign page ------------------------------------------------------------------------------

def campaign_when(site: SiteContext, camp: Campaign, src: str) -> str:
    """Status line, next year's dates (yearly campaigns) and the campaign's 加入日历 link."""
    today = site.today
    nxt = next_occurrence(camp, today)
    n = len(camp.events)
    cal = ics_link(_rel(site, src, campaign_ics_path(camp.slug))) + (
        f" <small>（{n} 项活动" + ("，以及每年的活动日期" if camp.yearly else "") + "，可导入手机日历）</small>"
        if n else "")
    return (f'<div class="wq-campaign-when" data-wq-campaign{_rule_attrs(camp, today)}>\n'
            f'<p class="wq-campaign-status" data-wq-status>{esc(status_text(camp, today))}</p>\n'
            f'<p class="wq-next" data-wq-next{"" if nxt else " hidden"}>'
            f'{esc(next_text(nxt, today)) if nxt else ""}</p>\n'
            f'<p class="wq-cal">{cal}</p>\n</div>\n')


def schedule_html(site: SiteContext, camp: Campaign, src: str, weekdays: str) -> str:
    out, day = [], None
    keys = dict(zip(map(id, camp.events), event_keys(camp)))
    for ev in sorted(camp.events, key=lambda e: (e.date, str(e.time or ""))):
        if ev.date != day:
            day = ev.date
            out.append(f"\n### {fmt_date(day)}（星期{weekdays[day.weekday()]}） {{#d{day.isoformat()}}}\n")
        where = esc(ev.place)
        if ev.station and ev.station in site.content.station_by_slug:
            st = site.content.station_by_slug[ev.station]
            where += f'（<a href="{site.urls.href(src, site.station_src(st), st.slug)}">{esc(st.name)}</a>）'
        state = when(ev.date, site.today)
        ics = ics_link(_rel(site, src, event_ics_path(camp.slug, keys[id(ev)])))
        out.append(f'<div class="wq-event" data-date="{ev.date.isoformat()}" data-wq-when="{state}">'
                   f'<p><span class="wq-when">{WHEN_LABELS[state]}</span> <strong>{esc(ev.time or "")}</strong> '
                   f'{esc(ev.activity)}</p>'
                   f"<p><small>地点：{where}　主办：{esc(ev.organiser)}</small> {ics}</p></div>\n")
    return "\n".join(out)


def pdf_links(site: SiteContext, src: str, links: list) -> str:
    """Short links (三折页 · A5 · …) with the size; the full label and size as title.
    links: [PrintLink] (site.leaflets_for, site.station_prints)."""
    return " · ".join(f'<a href="{_rel(site, src, link.path)}" download title="{esc(link.label)}，{link.kb}">'
                      f"{esc(link.short)}</a> <small>{link.kb}</small>" for link in links)


# which edition when: shown once beside the print-shop links of a campaign
SHOP_NOTE = ("用哪一种：自己打印或到打印店打印、复印，用普通版；交给印刷厂批量印刷，用印刷厂版"
             "（文件名以 -yinshua 结尾：四边各多 3 毫米出血，颜色为 CMYK，裁切后和普通版一样大）。")


def shop_links_html(site: SiteContext, camp: Campaign, src: str) -> str:
    """The general edition's print-shop leaflets (印刷厂版) and the sentence on which to use when."""
    links = site.leaflets_for(camp, None, shop=True)
    if not links:
        return ""
    return (f'<p class="wq-leaflets wq-yinshua"><strong>印刷厂版</strong>（通用版）：{pdf_links(site, src, links)}</p>\n'
            f'<p class="wq-yinshua-note"><small>{esc(SHOP_NOTE)}</small></p>\n')


def leaflet_picker(site: SiteContext, camp: Campaign, src: str) -> str:
    """Every station's leaflets in one <details> list (one line per station), and the print pack."""
    stations = site.content.campaign_stations(camp)
    rows = []
    for st in stations:
        links = site.leaflets_for(camp, st)
        shop = site.leaflets_for(camp, st, shop=True)
        href = site.urls.href(src, site.station_src(st), st.slug)
        rows.append(f'<li><a href="{href}">{esc(st.name)}</a>'
                    + (f"<br>{pdf_links(site, src, links)}" if links else "")
                    + (f"<br>印刷厂版：{pdf_links(site, src, shop)}" if shop else "") + "</li>")
    if not rows:
        return ""
    have = any(site.leaflets_for(camp, st) for st in stations[:1])
    summary = (f"各服务站的宣传单：选择你的服务站（{len(rows)} 个）" if have
               else f"参与的服务站（{len(rows)} 个）")
    out = (f'<details class="wq-picker">\n<summary>{summary}</summary>\n'
           f'<ul class="wq-list wq-picker__list">\n' + "\n".join(rows) + "\n</ul>\n</details>\n")
    for where, shop in (("打印店用", False), ("印刷厂用", True)):
        for pack in site.leaflets_for(camp, None, pack=True, shop=shop):
            out += (f'<p class="wq-pack">{where}：<a href="{_rel(site, src, pack.path)}" download>'
                    f'{esc(pack.label)}</a> <small>{pack.kb}</small></p>\n')
    return out


# ---- station section -----------------------------------------------------------------------------

def station_campaign_links(site: SiteContext, st, src: str) -> str:
    """On a station's section: 加入日历 (its events, when it has any) and its leaflets, one line
    per campaign."""
    out = []
    n = site.station_events.get(st.slug, 0)
    if n:
        out.append(f'<p class="wq-cal">{ics_link(_rel(site, src, station_ics_path(st.slug)))}'
                   f" <small>（本站 {n} 项宣传活动）</small></p>")
    rows = []
    for camp in site.station_campaigns.get(st.slug, []):
        links = site.leaflets_for(camp, st)
        if links:
            rows.append(f"<li>{esc(camp.name)}：{pdf_links(site, src, links)}</li>")
    if rows:
        out.append('<div class="wq-leaflets"><p>宣传单（打印用 PDF）：</p>'
                   f'<ul class="wq-leaflet-rows">{"".join(rows)}</ul></div>')
    return "\n".join(out)


# ---- home page: upcoming events ----------------------------------------------------------------

def upcoming_html(site: SiteContext, src: str, limit: int, keep: int = 30) -> str:
    """Events from the build date on (the first ``limit`` shown; up to ``keep`` more kept hidden
    for the script, which drops the ones past on the reader's date), then one line per yearly
    campaign with its next dates, shown once its written schedule is over."""
    today = site.today
    rows = []
    for camp in site.content.campaigns:
        for ev in camp.events:
            if ev.date >= today:
                rows.append((ev.date, str(ev.time or ""), camp, ev))
    rows.sort(key=lambda r: (r[0], r[1], r[2].slug))
    items = []
    for i, (d, time, camp, ev) in enumerate(rows[: limit + keep]):
        state = when(d, today)
        items.append(f'<li data-date="{d.isoformat()}" data-wq-when="{state}"{" hidden" if i >= limit else ""}>'
                     f'<strong>{fmt_date(d)} {esc(time)}</strong>'
                     + (f' <span class="wq-when">今天</span>' if state == "today" else "")
                     + f" {esc(ev.activity)}<br>"
                     f'<small>{esc(ev.place)} · <a href="{site.urls.href(src, campaign_src(camp.slug))}">'
                     f'{esc(camp.name)}</a></small></li>')
    for camp in site.content.campaigns:
        if not camp.yearly:
            continue
        nxt = next_occurrence(camp, today)
        items.append(f'<li class="wq-yearly" data-wq-yearly{_rule_attrs(camp, today, start=False)}{"" if nxt else " hidden"}>'
                     f'<strong data-wq-range>{nxt.text() if nxt else ""}</strong> '
                     f'<a href="{site.urls.href(src, campaign_src(camp.slug))}">{esc(camp.name)}</a>'
                     f"<br><small>每年举行，具体安排公布后更新</small></li>")
    if not items:
        return ""
    visible = any(' hidden' not in i.split(">", 1)[0] for i in items)
    items.append(f'<li class="wq-empty" data-wq-empty{" hidden" if visible else ""}>近期没有安排的活动。</li>')
    return (f'<ul class="wq-list wq-upcoming" data-wq-upcoming data-limit="{limit}">\n'
            + "\n".join(items) + "\n</ul>\n" + script_tag(site, src))
