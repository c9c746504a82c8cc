"""Station finder: type a township, county or city name at the top of the station directory and
jump to its stations. Works offline and from file://: the place names are in small script files
(stations/places/{n}.js, loaded with script elements on first use). Only places that have stations
are listed. Large directories are split by the first character of the name (a national
directory, 41,352 townships, loads one file of about 10 KB compressed per search), small ones
load a single file.
"""

from __future__ import annotations

import json

from markupsafe import Markup

from weiquan.content.urls import station_dir_src, station_region_codes
from weiquan.site.context import SiteContext
from weiquan.site.render import render

PLACES_DIR = "stations/places"
SCRIPT = "assets/javascripts/wq-finder.js"
SINGLE_FILE_LIMIT = 3000   # places; above this the names are split into SHARDS files
SHARDS = 64


def shard_count(n_places: int) -> int:
    return 1 if n_places <= SINGLE_FILE_LIMIT else SHARDS


def shard_of(name: str, shards: int) -> int:
    """Same rule as wq-finder.js: code point of the first character modulo the shard count."""
    return ord(name[0]) % shards if name and shards > 1 else 0


def places(site: SiteContext) -> list[list]:
    """[name, where (the levels above), href from the directory root, stations] per place."""
    content, urls = site.content, site.urls
    divs = content.divisions()
    root = station_dir_src()
    counts: dict[tuple, int] = {}
    towns: dict[tuple[str, tuple], int] = {}
    for st in content.stations:
        p, c, k = station_region_codes(st.region.code)
        for codes in ((p,), (p, c), (p, c, k)):
            counts[codes] = counts.get(codes, 0) + 1
        d = divs.get(st.region.code)
        if d is not None and d.level == "乡":
            key = (st.region.code, (p, c, k))
            towns[key] = towns.get(key, 0) + 1
    out = []
    for codes, n in sorted(counts.items()):
        names = [divs.get(c).name for c in codes]
        out.append([names[-1], "".join(names[:-1]), urls.href(root, station_dir_src(*codes)), n])
    for (code, codes), n in sorted(towns.items()):
        where = "".join(divs.get(c).name for c in codes)
        out.append([divs.get(code).name, where, urls.href(root, station_dir_src(*codes), f"t{code}"), n])
    return out


def place_files(site: SiteContext) -> dict[str, bytes]:
    """{site path: script}: ``wqPlaces(shard, [[name, where, href, stations], …])``."""
    entries = places(site)
    if not entries:
        return {}
    shards = shard_count(len(entries))
    parts: list[list] = [[] for _ in range(shards)]
    for e in entries:
        parts[shard_of(e[0], shards)].append(e)
    files = {}
    for i, part in enumerate(parts):
        data = json.dumps(part, ensure_ascii=False, separators=(",", ":"))
        data = data.replace("<", "\\u003c").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
        files[f"{PLACES_DIR}/{i}.js"] = f"window.wqPlaces&&wqPlaces({i},{data});\n".encode("utf-8")
    return files


def finder_html(site: SiteContext, src: str, n_places: int) -> Markup:
    """The search box at the top of a directory page (province and city pages too); n_places:
    len(places(site)), computed once for all of them."""
    if not n_places:
        return Markup()
    base = site.urls.href(src, station_dir_src())
    base = base[: -len("index.html")] if base.endswith("index.html") else base
    return Markup(render("finder.html", base=base, shards=shard_count(n_places),   # same split as place_files
                  script=site.urls.root(src) + SCRIPT))
