"""Station prints: a wall poster (服务站公示牌) and a visit register (来访登记表) for every station.

    leaflets/stations/<county code>/<slug>-gongshipai-a3.pdf          A3 portrait poster
    leaflets/stations/<county code>/<slug>-gongshipai-a3-pinyin.pdf   its pinyin edition
    leaflets/stations/<county code>/<slug>-laifang-dengjibiao.pdf     A4 landscape register

The poster (templates/poster.typ) follows the print-shop rules of the leaflets' 印刷厂版: 3 mm
bleed with the coloured bands run out into it, TrimBox at A3, CMYK colours, text at least 15 mm
inside the trim. It serves the copy shop as well (printed on A3 the bleed falls off the sheet),
so there is one edition, not two. It shows the station's name, kind, services, hours, address,
phones and team roles (``Station.team``), the national hotlines 110 and 12338, a QR code to the
station's section on its county page, and 来访须知 (templates/station.yaml ``poster``: what to bring, her wishes
and privacy, the reporting duty as 反家庭暴力法 第十四条 and 未成年人保护法 第十一条 state it).

The register (templates/register.typ) is a blank form for the office printer; its columns,
rows and note are in templates/station.yaml ``register``.

Files are grouped by county (a national site has 41,352 stations). Rendering shares the
leaflets' workers (render.run_jobs); all posters are laid out from one template, the registers
differ only in the station's name.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path
from typing import Collection, Optional

from weiquan.content.digest import cache_folder
from weiquan.leaflets.fonts import LeafletError, find_cjk_font
from weiquan.leaflets.render import (QR, LeafletFile, LeafletResult, PdfCache, T, _emergency, _hotlines, _Job,
                                     _station_data, _texts, join_url, run_jobs, station_page_path)

STATIONS_DIR = "leaflets/stations"
POSTER, POSTER_PINYIN, REGISTER = "gongshipai-a3", "gongshipai-a3-pinyin", "laifang-dengjibiao"
LABELS = {
    POSTER: ("服务站公示牌（A3，四边各含 3 毫米出血，印刷厂和打印店都能用）", "公示牌 A3"),
    POSTER_PINYIN: ("服务站公示牌 · 拼音版（A3，四边各含 3 毫米出血）", "公示牌·拼音"),
    REGISTER: ("来访登记表（A4 横向，空白表格，打印后手写）", "来访登记表"),
}
NATIONAL = ("110", "12338")

__all__ = ["STATIONS_DIR", "station_print_paths", "station_prints_for", "render_station_prints", "cache_dir_for"]


def _county(station) -> str:
    return str(station.region.code)[:6]


def station_print_paths(station) -> dict[str, str]:
    """{POSTER | POSTER_PINYIN | REGISTER: site-relative path} of a station's prints."""
    base = f"{STATIONS_DIR}/{_county(station)}/{station.slug}"
    return {key: f"{base}-{key}.pdf" for key in (POSTER, POSTER_PINYIN, REGISTER)}


def station_prints_for(station, *, pinyin: bool = True) -> list[LeafletFile]:
    """The station's poster(s) and register, for its section on the county page."""
    paths = station_print_paths(station)
    return [LeafletFile(LABELS[k][0], LABELS[k][1], paths[k])
            for k in (POSTER, *((POSTER_PINYIN,) if pinyin else ()), REGISTER)]


def _national_hotlines(settings, texts) -> list[dict]:
    """110 and 12338 with the site's labels (the fixed ones when the site does not list them)."""
    by_number = {h["number"]: h for h in _hotlines(settings)}
    fallback = {"110": texts["labels"]["police"], "12338": texts["labels"]["women"]}
    return [{"number": n, "label": by_number[n]["label"] if n in by_number else fallback[n]} for n in NATIONAL]


def _team(st) -> list[dict]:
    return [{"role": T(m.role), "held_by": T(m.held_by)} for m in (getattr(st, "team", None) or [])]


def _plan(content, *, site_url: str, pinyin: bool, font, stations: Optional[Collection[str]]) -> list[_Job]:
    texts, own = _texts(), _texts("station.yaml")
    settings = content.settings
    if any(c.slug == "stations" for c in content.campaigns):
        raise LeafletError(f"campaign slug “stations” clashes with the folder of the station prints {STATIONS_DIR}/")
    by_slug = {s.slug: s for s in content.stations}
    chosen = [by_slug[s] for s in stations if s in by_slug] if stations is not None else list(content.stations)
    common = {
        "font": font.family, "site": {"name": T(settings.name), "name_plain": settings.name},
        "hotlines": _national_hotlines(settings, texts), "emergency": _emergency(settings, texts),
        "labels": {**texts["labels"], "sample": T("示例")},
    }
    jobs = []
    for st in chosen:
        paths = station_print_paths(st)
        readings = dict(getattr(st, "readings", None) or {})
        station = {**_station_data(st), "team": _team(st)}
        sample = own["poster"]["sample_notice"] if getattr(st, "example", False) else None
        url = join_url(site_url, station_page_path(st))
        # no build date and no site-wide version on a station's prints: the same station gives
        # the same PDFs (a build reuses them, see PdfCache); "版本" is that of its own facts
        version = hashlib.sha256(json.dumps([common, station, sample, url, own], ensure_ascii=False,
                                            sort_keys=True).encode()).hexdigest()[:10]
        verified = getattr(st, "last_verified", None) or dt.date(2000, 1, 1)
        ts = dt.datetime(verified.year, verified.month, verified.day, tzinfo=dt.timezone.utc)
        for py in ((False, True) if pinyin else (False,)):
            data = {**common, "kind": "poster", "pinyin": py, "shop": True, "version": version,
                    "title": f"{st.name} · 服务站公示牌" + (" · 拼音版" if py else ""),
                    "station": station, "poster": own["poster"], "sample": sample,
                    "qr": QR(url, True), "url": url}
            jobs.append(_Job(paths[POSTER_PINYIN if py else POSTER], "poster", None, st.slug, py, data,
                             readings, ts, True))
        data = {**common, "kind": "register", "pinyin": False, "shop": False, "version": version,
                "title": f"{st.name} · 来访登记表", "station": station, "register": own["register"],
                "sample": sample}
        jobs.append(_Job(paths[REGISTER], "register", None, st.slug, False, data, readings, ts, False))
    return jobs


def cache_dir_for(content_root: Path | str) -> Path:
    """Where a project keeps its compiled station prints: <project>/.weiquan-cache/station-prints."""
    return cache_folder(content_root) / "station-prints"


def render_station_prints(content, out_dir: Path, *, site_url: str, pinyin: bool = True,
                          jobs: int = 2, font_dir: Path | str | None = None, annotator=None,
                          stations: Optional[Collection[str]] = None,
                          cache_dir: Path | str | None = None) -> list[LeafletResult]:
    """Write the poster(s) and register of every station (``stations``: of those slugs only)
    under out_dir; results have kind "poster" or "register". Raises LeafletError like
    render_leaflets (``leaflet leaflets/stations/…: panel 2 (服务站信息): 内容过长 …``).

    ``cache_dir`` (e.g. .weiquan-cache/station-prints): PDFs whose inputs did not change since
    the last run are taken from there instead of compiled — at national scale (41,352 stations,
    about an hour of compiling) a build then compiles only the stations that changed. A run
    over every station drops the cached PDFs it did not use."""
    font = find_cjk_font(font_dir)
    plan = _plan(content, site_url=site_url, pinyin=pinyin, font=font, stations=stations)
    if not plan:
        return []
    cache = PdfCache(Path(cache_dir)) if cache_dir is not None else None
    # registers together, then posters, then pinyin posters: each group shares its layout
    results = run_jobs(content, Path(out_dir), plan, font=font, jobs=jobs, annotator=annotator,
                       group=lambda j: (j.kind != "register", j.pinyin), cache=cache)
    if cache is not None and stations is None:
        cache.prune()
    return results
