"""Leaflet overflow as content problems: which content file and line made a panel too long.

`weiquan check` lays out each campaign's general editions (4 PDFs, a few seconds; the layout is
the build's own, so the check finds exactly what the build would) and reports an overflowing
panel against the campaign, site or station field that fills it. `weiquan build` reports its
overflows (every station's edition) the same way.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from typing import Optional

from weiquan.content.problems import Problem
from weiquan.content.yamlload import line_of

_ERROR_RE = re.compile(r"leaflet leaflets/(?P<camp>[^/]+)/(?P<edition>[^:]+?)\.pdf: panel (?P<pid>\S+) "
                       r"\((?P<panel>[^)]*)\): 内容过长 \(content too long: (?P<need>[0-9.]+) mm > (?P<have>[0-9.]+) mm\)")

# panel name (a5.typ, trifold.typ) -> (which entry, key path, what to shorten)
_PANEL_FIELDS = {
    "页眉": ("campaign", ("name",), "活动名称 name 或主题 theme"),
    "封面": ("campaign", ("name",), "活动名称 name 或主题 theme"),
    "右栏·热线与法条": ("campaign", ("leaflet", "highlights"), "重点法条 leaflet.highlights（少列几条）或热线说明"),
    "内页右·重点法条": ("campaign", ("leaflet", "highlights"), "重点法条 leaflet.highlights（少列几条）"),
    "折页·求助热线": ("site", ("hotlines",), "求助热线 hotlines 的名称和说明"),
    "封底·服务站": ("station", ("name",), "服务站的名称、地址、电话或活动安排 events"),
    "页脚·服务站": ("station", ("name",), "服务站的名称、地址、电话或活动安排 events"),
}


# station posters (templates/poster.typ): panel name -> (key path in the station file, what to shorten)
_POSTER_RE = re.compile(r"leaflet leaflets/stations/\d+/(?P<slug>[a-z0-9-]+?)-gongshipai-a3(?:-pinyin)?\.pdf: "
                        r"panel (?P<pid>\S+) \((?P<panel>[^)]*)\): 内容过长 \(content too long: "
                        r"(?P<need>[0-9.]+) mm > (?P<have>[0-9.]+) mm\)")
_POSTER_FIELDS = {
    "页眉·站名": (("name",), "服务站名称 name"),
    "服务站信息": (("services",), "服务内容 services、地址、办公时间或本站人员 team"),
}


def _poster_problem(content, m) -> Optional[Problem]:
    st = content.station_by_slug.get(m.group("slug"))
    source = content.source(st) if st is not None else None
    if source is None or m.group("panel") not in _POSTER_FIELDS:
        return None
    key, what = _POSTER_FIELDS[m.group("panel")]
    over = float(m.group("need")) - float(m.group("have"))
    name = m.group(0).split(":", 1)[0].removeprefix("leaflet ")
    return Problem(source.display, line_of(source.data, key),
                   f"公示牌 {name} 的“{m.group('panel')}”放不下，超出 {over:.1f} 毫米：请把{what}写短一些",
                   "poster panel overflows")


def overflow_problems(content, errors: list[str]) -> tuple[list[Problem], list[str]]:
    """(problems for the overflow lines, the other error lines unchanged)."""
    problems, other = [], []
    for err in errors:
        poster = _POSTER_RE.search(err)
        if poster:
            problem = _poster_problem(content, poster)
            if problem:
                problems.append(problem)
            else:
                other.append(err)
            continue
        m = _ERROR_RE.search(err)
        camp = content.campaign_by_slug.get(m.group("camp")) if m else None
        if camp is None:
            other.append(err)
            continue
        who, key, what = _PANEL_FIELDS.get(m.group("panel"), ("campaign", ("description",), "活动的文字"))
        entry = camp
        # <station slug>-<kind>: slugs have hyphens too, the longest match wins
        edition = m.group("edition")
        slug = max((s for s in content.station_by_slug if edition.startswith(s + "-")), key=len, default=None)
        if who == "campaign" and slug and key == ("name",):
            # a station's edition carries the station's name in its header; the general edition
            # (checked too) shows whether the campaign's own name fits
            who, what = "station", "服务站名称 name"
        if who == "site":
            entry = content.settings
        elif who == "station":
            entry = content.station_by_slug[slug] if slug else camp
            if entry is camp:
                key = ("events",)
        source = content.source(entry)
        if key == ("name",) and who == "campaign" and camp.theme and len(camp.theme) > len(camp.name):
            key = ("theme",)
        over = float(m.group("need")) - float(m.group("have"))
        zh = (f"宣传单 {m.group('camp')}/{m.group('edition')}.pdf 的“{m.group('panel')}”放不下，"
              f"超出 {over:.1f} 毫米：请把{what}写短一些")
        if source is None:
            other.append(err)
            continue
        problems.append(Problem(source.display, line_of(source.data, key), zh, "leaflet panel overflows"))
    return problems, other


def _fullest_station(content, camp):
    """The campaign's station whose block on a leaflet is longest (name, address, phones, hours
    and its events): if its edition fits, the others' do too, as far as a check can tell."""
    def size(st):
        events = sum(1 for e in camp.events if e.station == st.slug)
        return (len(st.name) + len(st.address) + len(st.hours) + 16 * (len(st.phones) + events), st.slug)
    return max(content.campaign_stations(camp), key=size, default=None)


def check_leaflets(content) -> list[Problem]:
    """Lay out every campaign's general editions and the edition of its fullest station;
    overflowing panels as content problems (against the station's own file and line)."""
    if not content.campaigns:
        return []
    from weiquan.leaflets.fonts import LeafletError
    from weiquan.leaflets.render import render_leaflets
    fullest = {camp.slug: getattr(_fullest_station(content, camp), "slug", None) for camp in content.campaigns}

    def only(campaign, station, kind, pinyin):
        cslug = getattr(campaign, "slug", campaign)
        sslug = getattr(station, "slug", station)
        return station is None or (sslug == fullest.get(cslug) and not pinyin)
    with tempfile.TemporaryDirectory(prefix="weiquan-leaflet-check-") as tmp:
        try:
            render_leaflets(content, Path(tmp), site_url="", version="check", jobs=1, only=only)
        except LeafletError as exc:
            return overflow_problems(content, list(exc.errors))[0]   # other failures: the build reports them
    return []
