"""Station directory: province → city → county pages; townships and stations are sections of
their county page, so a national directory (41,352 townships) needs only ~3,000 pages."""

from __future__ import annotations

from collections import defaultdict

from weiquan.content.divisions import Divisions
from weiquan.content.model import Station
from weiquan.site.campaigns import pdf_links, station_campaign_links
from weiquan.site.context import Page, SiteContext
from weiquan.site.finder import finder_html
from weiquan.site.html import badge, esc, leaflet_link, fmt_date, front_matter, md_text, tel
from weiquan.content.urls import station_dir_src, station_region_codes, station_src  # noqa: F401


def station_codes(divs: Divisions, st: Station) -> list[str]:
    """[province, city, county] codes of a station."""
    return list(station_region_codes(st.region.code))


def station_pages(site: SiteContext, divs: Divisions) -> list[Page]:
    tree: dict = defaultdict(lambda: defaultdict(lambda: defaultdict(list)))
    for st in site.content.stations:
        p, c, k = station_codes(divs, st)
        tree[p][c][k].append(st)
    pages = [level_page(site, divs, (), {p: _count(v) for p, v in tree.items()}, "维权服务站", tree)]
    for p, cities in tree.items():
        pages.append(level_page(site, divs, (p,), {c: _count(v) for c, v in cities.items()}, tree=cities))
        for c, counties in cities.items():
            pages.append(level_page(site, divs, (p, c), {k: len(v) for k, v in counties.items()}, tree=counties))
            for k, stations in counties.items():
                pages.append(county_page(site, divs, (p, c, k), stations))
    return pages


def _count(node) -> int:
    return sum(_count(v) for v in node.values()) if isinstance(node, dict) else len(node)


def _trail(site: SiteContext, divs: Divisions, codes: tuple, src: str) -> str:
    links = [f'<a href="{site.urls.href(src, station_dir_src())}">全部地区</a>']
    for i in range(len(codes) - 1):
        links.append(f'<a href="{site.urls.href(src, station_dir_src(*codes[: i + 1]))}">'
                     f'{esc(divs.get(codes[i]).name)}</a>')
    return '<p class="wq-crumb">' + " › ".join(links) + "</p>\n" if codes else ""


def _single_path(codes: tuple, node) -> tuple:
    """Skip levels with a single choice: 示例省 → 示例市 → 示例县 when each has one child."""
    while isinstance(node, dict) and len(node) == 1 and len(codes) < 3:
        (code, node), = node.items()
        codes = codes + (code,)
    return codes


def level_page(site: SiteContext, divs: Divisions, codes: tuple, children: dict, title: str = "",
               tree: dict | None = None) -> Page:
    src = station_dir_src(*codes)
    name = title or "".join(divs.get(c).name for c in codes[-1:])
    heading = title or f"{name} 维权服务站"
    items = sorted(children.items())
    lis = []
    for code, n in items:
        path = _single_path(codes + (code,), (tree or {}).get(code))
        label = " › ".join(esc(divs.get(c).name) for c in path[len(codes):])
        lis.append(f'<li><a href="{site.urls.href(src, station_dir_src(*path))}">{label}</a> <small>{n} 个</small></li>')
    lis = "\n".join(lis)
    intro = ("在这里找到离你最近的妇女维权服务站、家庭暴力投诉站、庇护中心和法律援助工作站。"
             "点电话号码可以直接拨打。紧急情况请拨打 110。\n\n" if not codes else "")
    md = (front_matter(heading, description=f"{name}的维权服务站、庇护中心和法律援助")
          + f"# {md_text(heading)}\n\n" + _trail(site, divs, codes, src) + finder_html(site, src) + intro
          + f'<ul class="wq-list wq-regions">\n{lis}\n</ul>\n')
    return Page(src, md, heading)


def station_card(site: SiteContext, st: Station, src: str) -> str:
    phones = " ".join(tel(p.number, p.label) for p in st.phones)
    services = "、".join(esc(s) for s in st.services)
    leaflets = station_campaign_links(site, st, src)   # 加入日历, leaflets per campaign
    example = badge("示例", "warn") + " " if st.example else ""
    return "\n".join([
        f'<section class="wq-station" id="{st.slug}">',
        f'<h3>{esc(st.name)}</h3>',
        f'<p>{example}{badge(st.kind)}</p>',
        f'<p class="wq-phones">{phones}</p>',
        f'<dl class="wq-facts"><dt>地址</dt><dd>{esc(st.address)}</dd>'
        f'<dt>时间</dt><dd>{esc(st.hours)}</dd>'
        + (f'<dt>服务</dt><dd>{services}</dd>' if services else "")
        + (f'<dt>说明</dt><dd>{esc(st.note)}</dd>' if st.note else "")
        # a fictional (example) station was never verified: no "信息核实于" date
        + (f'<dt>核实</dt><dd>信息核实于 {fmt_date(st.last_verified)}</dd>' if not st.example else "")
        + '</dl>',
        leaflets,
        station_prints_html(site, st, src),
        "</section>"])


def station_prints_html(site: SiteContext, st: Station, src: str) -> str:
    """The station's wall poster (服务站公示牌, A3) and visit register (来访登记表), when rendered."""
    links = site.station_prints(st)
    if not links:
        return ""
    return f'<p class="wq-leaflets wq-prints">本站公示牌和登记表（打印用 PDF）：{pdf_links(site, src, links)}</p>'



def county_page(site: SiteContext, divs: Divisions, codes: tuple, stations: list[Station]) -> Page:
    src = station_dir_src(*codes)
    county = divs.get(codes[-1])
    heading = f"{county.name} 维权服务站"
    by_township: dict = defaultdict(list)
    for st in stations:
        by_township[st.region.code if divs.get(st.region.code).level == "乡" else ""].append(st)
    sections = []
    jumps = []
    for code in sorted(by_township):
        name = divs.get(code).name if code else f"{county.name}（县级）"
        jumps.append(f'<li><a href="#{f"t{code}" if code else "county"}">{esc(name)}</a>'
                     f' <small>{len(by_township[code])} 个</small></li>')
    townships = ('<nav class="wq-townships" aria-label="乡镇（点名字跳到那里的服务站）">'
                 f'<p><strong>按乡镇找</strong>（共 {len(stations)} 个服务站）</p>'
                 f'<ul>{"".join(jumps)}</ul></nav>\n\n') if len(by_township) > 1 else ""
    for code in sorted(by_township):
        name = divs.get(code).name if code else f"{county.name}（县级）"
        anchor = f"t{code}" if code else "county"
        cards = "\n".join(station_card(site, st, src) for st in by_township[code])
        sections.append(f"\n## {md_text(name)} {{#{anchor}}}\n\n{cards}\n")
    md = (front_matter(heading, description=f"{county.name}的维权服务站、庇护中心和法律援助")
          + f"# {md_text(heading)}\n\n" + _trail(site, divs, codes, src)
          + "点电话号码可以直接拨打。紧急情况请拨打 110。\n\n" + townships + "".join(sections))
    readings = {name: r for st in stations for name, r in st.readings.items()}
    return Page(src, md, heading, readings=readings)
