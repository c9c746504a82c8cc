"""Station directory: province → city → county pages; townships and stations are sections of
their county page, so a national directory (41,352 townships) needs only ~3,000 pages
(templates/station_level.md, station_county.md, stations.html)."""

from __future__ import annotations

from collections import defaultdict

from weiquan.content.divisions import Divisions
from weiquan.content.model import Station
from weiquan.content.urls import station_dir_src, station_region_codes
from weiquan.site.campaigns import print_links, station_campaigns_view
from weiquan.site.context import Page, SiteContext
from weiquan.site.finder import finder_html, places
from weiquan.site.html import front_matter
from weiquan.site.render import render


def station_pages(site: SiteContext, divs: Divisions) -> list[Page]:
    tree: dict = defaultdict(lambda: defaultdict(lambda: defaultdict(list)))
    for st in site.content.stations:
        p, c, k = station_region_codes(st.region.code)
        tree[p][c][k].append(st)
    n_places = len(places(site))   # the station finder's (same split as its place files)
    pages = [level_page(site, divs, n_places, (), {p: _count(v) for p, v in tree.items()}, "维权服务站", tree)]
    for p, cities in tree.items():
        pages.append(level_page(site, divs, n_places, (p,), {c: _count(v) for c, v in cities.items()}, tree=cities))
        for c, counties in cities.items():
            pages.append(level_page(site, divs, n_places, (p, c), {k: len(v) for k, v in counties.items()},
                                    tree=counties))
            for k, stations in counties.items():
                pages.append(county_page(site, divs, (p, c, k), stations))
    return pages


def _count(node) -> int:
    return sum(_count(v) for v in node.values()) if isinstance(node, dict) else len(node)


def _crumbs(site: SiteContext, divs: Divisions, codes: tuple, src: str) -> list[tuple[str, str]]:
    """(href, name) of the levels above: 全部地区 › 示例省 › 示例市 (none on the directory's own page)."""
    if not codes:
        return []
    return [(site.urls.href(src, station_dir_src()), "全部地区")] + [
        (site.urls.href(src, station_dir_src(*codes[: i + 1])), divs.get(codes[i]).name) for i in range(len(codes) - 1)]


def _single_path(codes: tuple, node) -> tuple:
    """Skip levels with a single choice: 示例省 → 示例市 → 示例县 when each has one child."""
    while isinstance(node, dict) and len(node) == 1 and len(codes) < 3:
        (code, node), = node.items()
        codes = codes + (code,)
    return codes


def level_page(site: SiteContext, divs: Divisions, n_places: int, codes: tuple, children: dict, title: str = "",
               tree: dict | None = None) -> Page:
    src = station_dir_src(*codes)
    name = title or "".join(divs.get(c).name for c in codes[-1:])
    heading = title or f"{name} 维权服务站"
    rows = []
    for code, n in sorted(children.items()):
        path = _single_path(codes + (code,), (tree or {}).get(code))
        rows.append((site.urls.href(src, station_dir_src(*path)), [divs.get(c).name for c in path[len(codes):]], n))
    body = render("station_level.md", heading=heading, crumbs=_crumbs(site, divs, codes, src),
                  finder=finder_html(site, src, n_places), intro=not codes, children=rows)
    return Page(src, front_matter(heading, description=f"{name}的维权服务站、庇护中心和法律援助") + body, heading)


def station_card(site: SiteContext, st: Station, src: str) -> dict:
    """A station's section: its facts, 加入日历 and leaflets per campaign, its poster and register."""
    return {"station": st, **station_campaigns_view(site, st, src),
            "prints": print_links(site, src, site.station_prints(st))}


def county_page(site: SiteContext, divs: Divisions, codes: tuple, stations: list[Station]) -> Page:
    src = station_dir_src(*codes)
    county = divs.get(codes[-1])
    heading = f"{county.name} 维权服务站"
    by_township: dict = defaultdict(list)
    for st in stations:
        by_township[st.region.code if divs.get(st.region.code).level == "乡" else ""].append(st)
    townships = [{"name": divs.get(code).name if code else f"{county.name}（县级）",
                  "anchor": f"t{code}" if code else "county",
                  "cards": [station_card(site, st, src) for st in by_township[code]]}
                 for code in sorted(by_township)]
    body = render("station_county.md", settings=site.content.settings, heading=heading,
                  crumbs=_crumbs(site, divs, codes, src), townships=townships, total=len(stations))
    readings = {name: r for st in stations for name, r in st.readings.items()}
    return Page(src, front_matter(heading, description=f"{county.name}的维权服务站、庇护中心和法律援助") + body,
                heading, readings=readings)
