"""Print-ready PDF leaflets (typst): an A4 landscape tri-fold and an A5 flyer per campaign and station.

For each campaign: one set per station taking part (``campaign.leaflet.stations`` plus the
stations named by events) and one general set without a station. A set is four PDFs::

    leaflets/<campaign>/<station-slug|general>-trifold.pdf         A4 landscape, 2 pages (duplex)
    leaflets/<campaign>/<station-slug|general>-a5.pdf              A5 portrait, 1 page
    leaflets/<campaign>/<station-slug|general>-trifold-pinyin.pdf  pinyin editions
    leaflets/<campaign>/<station-slug|general>-a5-pinyin.pdf

and, for a printing house (印刷厂), the same four as print-shop editions ``…-yinshua.pdf`` (``shop``):
3 mm bleed on every side with the coloured backgrounds drawn out into it, a TrimBox at the
finished size (typst ``page(bleed:)``), every colour in CMYK, nothing within 5 mm of the trim
(margins are 10 mm). The office editions (``…-trifold.pdf`` …) stay trim-size and sRGB, for
office printers and copy shops (打印店). Each campaign's print pack has both editions too.
Station posters and visit registers: weiquan/leaflets/stationprint.py.

Tri-fold panel order (see leaflets/templates/trifold.typ): page 1 = [3 flap | 2 back | 1 cover],
page 2 = [4 | 5 | 6]; print duplex flipping on the short edge; fold panel 6 in, then panel 4.

Highlights (the campaign's ``leaflet.highlights``, quoted verbatim): the normal tri-fold
carries all of them (if they do not fit, the build fails naming the panel); the A5 flyer and
the pinyin editions carry as many as fit, in the order listed (possibly none), and then say
"更多法条请扫码查看网站". The pinyin editions and the A5 use the short wording of
leaflets/templates/text.yaml.

Each PDF is compiled by typst with the data as JSON in a file data.json (see _init_worker);
typst compilers are created once per process and leaflets are spread over ``jobs`` processes,
those of one campaign × kind × edition together (they share most of their layout).
"""

from __future__ import annotations

import datetime as dt
import functools
import gc
import io
import itertools
import json
import os
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Collection, Optional

from weiquan.content import dates
from weiquan.content.campaigns import Span, rule_text
from weiquan.leaflets.fonts import CJKFont, LeafletError, find_cjk_font
from weiquan.zh.dates import cn_date
from weiquan.zh.han import HAN_CLASS

TEMPLATE_DIR = Path(__file__).parent / "templates"
KINDS = ("trifold", "a5")
GENERAL = "general"
PACK = "print-pack-a5"     # leaflets/<campaign>/print-pack-a5.pdf: every station's A5, one page each
SHOP = "yinshua"           # print-shop (印刷厂) editions: …-yinshua.pdf
BLEED_MM = 3

LABELS = {
    ("trifold", False): "三折页（A4 横向，双面打印）",
    ("a5", False): "单页（A5）",
    ("trifold", True): "三折页 · 拼音版",
    ("a5", True): "单页（A5）· 拼音版",
}
SHOP_LABELS = {
    ("trifold", False): "三折页 · 印刷厂版（A4 横向，四边各加 3 毫米出血，CMYK）",
    ("a5", False): "单页（A5）· 印刷厂版（四边各加 3 毫米出血，CMYK）",
    ("trifold", True): "三折页 · 拼音版 · 印刷厂版（四边各加 3 毫米出血，CMYK）",
    ("a5", True): "单页（A5）· 拼音版 · 印刷厂版（四边各加 3 毫米出血，CMYK）",
}
SHORT = {("trifold", False): "三折页", ("a5", False): "A5",
         ("trifold", True): "三折页·拼音", ("a5", True): "A5·拼音"}

__all__ = ["LeafletError", "LeafletResult", "LeafletFile", "render_leaflets", "render_packs", "leaflet_paths",
           "leaflets_for", "pack_for", "pack_path",
           "station_page_path", "campaign_page_path", "content_version", "TEMPLATE_DIR"]


@dataclass(frozen=True)
class LeafletResult:
    path: Path
    kind: str                 # "trifold" | "a5" | "pack" | "poster" | "register"
    campaign: Optional[str]   # campaign slug (None: a station's poster or register)
    station: Optional[str]    # station slug, None for the general edition
    pinyin: bool
    bytes: int
    seconds: float
    shop: bool = False        # print-shop edition (…-yinshua.pdf: bleed, TrimBox, CMYK)
    reused: bool = False      # taken from the cache (inputs unchanged), not compiled


@dataclass(frozen=True)
class LeafletFile:
    """A PDF the site links: full label (title), short link text, site-relative path."""
    label: str
    short: str
    path: str


# ------------------------------------------------------------------ names and URLs

def _suffix(kind: str, pinyin: bool, shop: bool = False) -> str:
    return kind + ("-pinyin" if pinyin else "") + (f"-{SHOP}" if shop else "")


def leaflet_paths(campaign, station=None, shop: bool = False) -> dict[tuple[str, bool], str]:
    """{(kind, pinyin): site-relative path}, e.g. ('a5', False): 'leaflets/c/s-a5.pdf';
    shop: the print-shop editions ('leaflets/c/s-a5-yinshua.pdf')."""
    cslug = campaign if isinstance(campaign, str) else campaign.slug
    sslug = GENERAL if station is None else (station if isinstance(station, str) else station.slug)
    return {(k, p): f"leaflets/{cslug}/{sslug}-{_suffix(k, p, shop)}.pdf"
            for p in (False, True) for k in KINDS}


def leaflets_for(content, campaign, station=None, *, pinyin: bool = True,
                 shop: bool = False) -> list[LeafletFile]:
    """The leaflets of campaign (and station) for site pages; shop: the print-shop editions.

    With a station that does not take part in the campaign: []. The site shows the file
    size by stat()-ing site_dir / path."""
    if station is not None:
        slugs = {s.slug for s in _campaign_stations(content, campaign)}
        if station.slug not in slugs:
            return []
    paths = leaflet_paths(campaign, station, shop)
    labels = SHOP_LABELS if shop else LABELS
    return [LeafletFile(labels[key], SHORT[key], paths[key]) for key in
            [("trifold", False), ("a5", False)] + ([("trifold", True), ("a5", True)] if pinyin else [])]


def station_page_path(station) -> str:
    """Site-relative URL of the station's section on its county page."""
    url = getattr(station, "url", None)
    if url:
        return url.lstrip("/")
    from weiquan.content.urls import station_page_url
    return station_page_url(str(station.region.code), station.slug)


def campaign_page_path(campaign) -> str:
    return f"campaigns/{campaign.slug}/"


def join_url(site_url: str, path: str) -> str:
    return (site_url or "").rstrip("/") + "/" + path.lstrip("/")


def content_version(content_root: Path | str) -> str:
    """Short hash of every file under content/ (names and bytes): changes when content does."""
    import hashlib

    root = Path(content_root)
    h = hashlib.sha256()
    for p in sorted(root.rglob("*")):
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(root).parts):
            h.update(p.relative_to(root).as_posix().encode() + b"\0" + p.read_bytes() + b"\0")
    return h.hexdigest()[:10]


def _campaign_stations(content, campaign) -> list:
    if hasattr(content, "campaign_stations"):
        return list(content.campaign_stations(campaign))
    by_slug = {s.slug: s for s in content.stations}
    listed = list(by_slug) if campaign.leaflet.stations == "all" else campaign.leaflet.stations
    slugs = dict.fromkeys([*listed,
                           *(e.station for e in campaign.events if e.station)])
    return [by_slug[s] for s in slugs if s in by_slug]


# ------------------------------------------------------------------ texts

class T(str):
    """A text that gets pinyin in pinyin editions (plain str values never do)."""


_CJK = HAN_CLASS + r"\u3000-\u303f\uff00-\uffef\u2014\u2026\u201c\u201d"   # 汉字 and Chinese punctuation
_CJK_SPACE_RE = re.compile(rf"(?<=[{_CJK}])\s+(?=[{_CJK}])")


def _clean(s: str) -> str:
    """YAML folded lines put a space between Chinese lines: drop spaces between CJK characters."""
    return _CJK_SPACE_RE.sub("", s.strip())


@functools.lru_cache(maxsize=2)
def _texts(name: str = "text.yaml") -> dict:
    """The fixed wording in templates/<name> (text.yaml: leaflets; station.yaml: station prints)."""
    import yaml

    raw = yaml.safe_load((TEMPLATE_DIR / name).read_text(encoding="utf-8"))

    def walk(x):
        if isinstance(x, str):
            return T(_clean(x))
        if isinstance(x, list):
            return [walk(i) for i in x]
        if isinstance(x, dict):
            return {k: walk(v) for k, v in x.items()}
        return x
    return walk(raw)


def campaign_dates(c) -> Optional[str]:
    """The campaign's written dates, else its yearly rule (每年3月1日至3月8日)."""
    if c.start and c.end:
        return Span(c.start, c.end).text()
    return rule_text(c.yearly) if getattr(c, "yearly", None) else None


# ------------------------------------------------------------------ leaflet data

@dataclass
class _Job:
    relpath: str
    kind: str             # the template: trifold | a5 | poster | register
    campaign: Optional[str]
    station: Optional[str]
    pinyin: bool
    data: dict            # JSON-able; T values still to be annotated
    readings: dict        # extra readings (station names) for the annotator
    timestamp: dt.datetime
    shop: bool = False


def _hotlines(settings) -> list[dict]:
    """The primary hotlines (the site's hotline bar); the others do not fit on paper."""
    return [{"number": str(h.number), "label": T(h.label),
             "description": T(h.description) if getattr(h, "description", "") else None}
            for h in settings.hotlines if getattr(h, "primary", True)]


def _highlights(content, campaign) -> list[dict]:
    out = []
    for cit in campaign.leaflet.highlights:
        try:
            law, art = content.resolve(cit)
        except LookupError as exc:
            raise LeafletError(f"campaign {campaign.slug}: {exc}") from None
        out.append({"cite": T(f"《{law.short_name}》{art.number}"),
                    "paragraphs": [T(p) for p in art.paragraphs]})
    return out


def _station_data(st) -> dict:
    return {
        "name": T(st.name),
        "kind": T(st.kind) if getattr(st, "kind", None) else None,
        "address": T(st.address),
        "phones": [{"label": T(p.label), "number": str(p.number)} for p in st.phones],
        "hours": T(st.hours),
        "services": [T(s) for s in (st.services or [])],
        "services_text": T("、".join(st.services or [])),
        # a fictional (example) station was never verified: no "信息核实于" on its leaflet
        "verified": st.last_verified.isoformat()
        if getattr(st, "last_verified", None) and not getattr(st, "example", False) else None,
    }


def _events(campaign, st) -> list[dict]:
    evs = sorted((e for e in campaign.events if st is not None and e.station == st.slug),
                 key=lambda e: (e.date, str(e.time or "")))
    return [{"when": cn_date(e.date, year=False) + (f" {e.time}" if e.time else ""),
             "activity": T(e.activity), "place": T(_example_place(e.place, st))} for e in evs[:3]]


def _example_place(place: str, st) -> str:
    """An event of a fictional (example) station takes place at a fictional place: say so."""
    if getattr(st, "example", False) and "示例" not in place:
        return f"{place}（示例）"
    return place


def _is_bundled_example(content) -> bool:
    """True when every station is an example one (the bundled 示例 county)."""
    stations = list(getattr(content, "stations", []) or [])
    return bool(stations) and all(getattr(s, "example", False) for s in stations)


@functools.lru_cache(maxsize=4)
def _qr_code(url: str):
    import segno

    # A fixed mask skips segno's pure-Python scoring of all 8 masks (12 ms -> 2.6 ms per code);
    # every mask is valid QR. 44,330 codes at national scale: ~9 min -> ~2 min, in the parent.
    return segno.make(url, error="m", micro=False, mask=0)


def _qr_svg(url: str) -> str:
    buf = io.BytesIO()
    _qr_code(url).save(buf, kind="svg", scale=1, border=0, xmldecl=False, dark="#000")
    return buf.getvalue().decode("ascii")


def _qr_runs(url: str) -> dict:
    """The QR code for the print-shop editions, drawn by the template in CMYK black:
    {n: modules per side, runs: [[row, column, length] of each run of dark modules]}."""
    runs = []
    matrix = _qr_code(url).matrix
    for y, row in enumerate(matrix):
        x, n = 0, len(row)
        while x < n:
            if row[x]:
                start = x
                while x < n and row[x]:
                    x += 1
                runs.append([y, start, x - start])
            else:
                x += 1
    return {"n": len(matrix), "runs": runs}


QR_FORMAT = "qr-1"    # change when _qr_runs / _qr_svg draw differently (part of PdfCache keys)


@dataclass(frozen=True)
class QR:
    """data.qr of a leaflet: the QR code of url, as the template of that edition draws it
    ({svg} office, {n, runs} print shop). Made only when the PDF is compiled: a PDF taken
    from a PdfCache needs only the url (encoding a code takes ~6 ms)."""
    url: str
    shop: bool

    def value(self) -> dict:
        return _qr_value(self.url, self.shop)

    def key(self) -> dict:
        import segno
        return {"qr": self.url, "shop": self.shop, "format": QR_FORMAT, "segno": segno.__version__}


@functools.lru_cache(maxsize=8)
def _qr_value(url: str, shop: bool) -> dict:
    return _qr_runs(url) if shop else {"svg": _qr_svg(url)}


def _json(data, key: bool = False) -> str:
    """The JSON of a leaflet's data (key: what a PdfCache key is made of, without the QR codes)."""
    return json.dumps(data, ensure_ascii=False, default=(lambda o: o.key()) if key else (lambda o: o.value()))


def _emergency(settings, texts) -> dict:
    by_number = {h["number"]: h for h in _hotlines(settings)}
    return {"police": T(by_number["110"]["description"] or texts["labels"]["police"])
            if "110" in by_number else texts["labels"]["police"],
            "women": by_number["12338"]["label"] if "12338" in by_number else texts["labels"]["women"]}


def _plan(content, *, site_url: str, version: str, shops: tuple[bool, ...], pinyin: bool,
          generated: dt.date, font: CJKFont, only: Optional[Callable] = None,
          campaigns: Optional[Collection[str]] = None, stations: Optional[Collection[str]] = None) -> list[_Job]:
    """shops: (False,) office editions, (True,) print-shop editions, (False, True) both."""
    texts = _texts()
    settings = content.settings
    hotlines = _hotlines(settings)
    emergency = _emergency(settings, texts)
    ts = dt.datetime(generated.year, generated.month, generated.day, tzinfo=dt.timezone.utc)
    sample = texts["labels"]["sample_notice"] if _is_bundled_example(content) else None
    jobs: list[_Job] = []
    by_slug = {s.slug: s for s in content.stations}
    for campaign in content.campaigns:
        if campaigns is not None and campaign.slug not in campaigns:
            continue
        highlights = _highlights(content, campaign)
        # named stations: just theirs (any station of the site, taking part or not)
        editions = ([by_slug[s] for s in stations if s in by_slug] if stations is not None
                    else [None, *_campaign_stations(content, campaign)])
        for st in editions:
            if st is not None and st.slug == GENERAL:
                raise LeafletError(f"station slug “{GENERAL}” clashes with the general edition")
            if st is not None and f"{st.slug}-a5" == PACK:
                raise LeafletError(f"station slug “{st.slug}” clashes with the print pack {PACK}.pdf")
            url = None
            for shop, py, kind in itertools.product(shops, (False, True) if pinyin else (False,), KINDS):
                if only is not None and not only(campaign, st, kind, py):
                    continue
                if url is None:
                    url = join_url(site_url, station_page_path(st) if st is not None else campaign_page_path(campaign))
                edition = st.name if st is not None else "通用版"
                data = {
                    "kind": kind, "pinyin": py, "shop": shop, "font": font.family,
                    "title": f"{campaign.name} · {edition}" + (" · 拼音版" if py else "")
                             + (" · 印刷厂版" if shop else ""),
                    "site": {"name": T(settings.name), "name_plain": settings.name,
                             "region": T(settings.region)},
                    "campaign": {"name": T(campaign.name),
                                 "theme": T(campaign.theme) if campaign.theme else None,
                                 "dates": T(campaign_dates(campaign)) if campaign_dates(campaign) else None},
                    "station": _station_data(st) if st is not None else None,
                    "events": _events(campaign, st),
                    "highlights": highlights,
                    "fit_highlights": py or kind == "a5",
                    "hotlines": hotlines,
                    "emergency": emergency,
                    "general_text": texts["labels"]["general_text"],
                    "sample": sample if st is None else None,
                    "text": {k: texts[k] for k in ("what_is", "steps", "order")},
                    "labels": texts["labels"],
                    "qr": QR(url, shop), "url": url,
                    "generated": generated.isoformat(), "version": version,
                }
                jobs.append(_Job(leaflet_paths(campaign, st, shop)[(kind, py)], kind, campaign.slug,
                                 st.slug if st is not None else None, py, data,
                                 dict(getattr(st, "readings", None) or {}) if st is not None else {},
                                 ts, shop))
    return jobs


# ------------------------------------------------------------------ pinyin

class _Readings:
    """Annotated forms of texts, cached: most texts repeat across leaflets."""

    def __init__(self, annotator):
        self.base = annotator
        self.cache: dict[tuple, list] = {}
        self.extra: dict[frozenset, Any] = {}

    def annotator(self, readings: dict):
        if not readings:
            return self.base
        key = frozenset(readings.items())
        if key not in self.extra:
            self.extra[key] = self.base.with_extra(readings)
        return self.extra[key]

    def annotate(self, text: str, readings: dict) -> list:
        key = (text, frozenset(readings.items()) if readings else None)
        hit = self.cache.get(key)
        if hit is None:
            out: list = []
            run = ""
            for ch, r in self.annotator(readings).readings(text):
                if r is None:
                    run += ch
                else:
                    if run:
                        out.append(run)
                        run = ""
                    out.append([ch, r])
            if run:
                out.append(run)
            hit = self.cache[key] = out
        return hit


def _finalize(obj, ann: Optional[_Readings], readings: dict):
    if isinstance(obj, QR):
        return obj
    if isinstance(obj, T):
        return ann.annotate(str(obj), readings) if ann is not None else str(obj)
    if isinstance(obj, dict):
        return {k: _finalize(v, ann, readings) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_finalize(v, ann, readings) for v in obj]
    return obj


def _default_annotator(content):
    from weiquan.zh import reading

    overrides = getattr(content, "pinyin_overrides", None)
    if overrides is None:
        root = getattr(content, "root", None)
        path = Path(root) / "pinyin.yaml" if root else None
        overrides = reading.load_overrides(path) if path and path.is_file() else {}
    if hasattr(reading, "get_annotator"):
        return reading.get_annotator(overrides)
    return reading.Annotator(overrides)


# ------------------------------------------------------------------ compiling (worker side)

_WORKER: dict = {}
_OVERFLOW_RE = re.compile(r"WQ-OVERFLOW\|([^|]*)\|([^|]*)\|([^|]*)\|([0-9.]+)")


def _init_worker(font_dirs: tuple[str, ...], base_dir: str) -> None:
    """Per process: one typst compiler per set of font folders (fonts are scanned once, see
    _pdf_compiler and _fonts), and a private root folder (under base_dir) with copies of the templates and the data.json that
    _compile rewrites for every leaflet.

    The data goes into a file, not sys_inputs: a different sys_inputs invalidates all of
    typst's memoized layout, while a different data.json only invalidates what depends on the
    changed values, so panels shared by the stations of a campaign are laid out once."""
    import shutil
    import tempfile

    root = tempfile.mkdtemp(prefix="worker-", dir=base_dir)
    for f in TEMPLATE_DIR.glob("*.typ"):
        shutil.copyfile(f, Path(root) / f.name)
    _WORKER["root"] = root
    _WORKER["font_dirs"] = font_dirs
    _WORKER["layout"] = {}     # kind -> typst.Compiler of <root>/<kind>.typ (layout only, see _layout)


def _pdf_compiler():
    """The typst compiler for PDFs of this process's font folders (made on first use)."""
    import typst

    key = ("compiler", _WORKER["font_dirs"])
    if key not in _WORKER:
        _WORKER[key] = typst.Compiler(root=str(TEMPLATE_DIR), font_paths=list(_WORKER["font_dirs"]),
                                      ignore_system_fonts=True)
    return _WORKER[key]


def _init_pool_worker(font_dirs: tuple[str, ...], base_dir: str) -> None:
    _WORKER.clear()          # never reuse a compiler inherited (forked) from the parent
    _init_worker(font_dirs, base_dir)


def _compile(task: tuple) -> tuple:
    """(relpath, kind, json, out_path, timestamp) -> (relpath, bytes, seconds, error|None)."""
    import typst

    relpath, kind, payload, out_path, ts = task
    t0 = time.perf_counter()
    root = Path(_WORKER["root"])
    try:
        _write_data(root, payload)
        pdf = _pdf_compiler().compile(input=str(root / f"{kind}.typ"), root=str(root),
                                      format="pdf", timestamp=ts)
    except typst.TypstError as exc:
        return relpath, 0, time.perf_counter() - t0, _typst_error(relpath, exc)
    out = Path(out_path)
    out.parent.mkdir(parents=True, exist_ok=True)
    # a new file, never a rewrite in place: the old one may be a hard link into a PdfCache
    tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    tmp.write_bytes(pdf)
    tmp.replace(out)
    return relpath, len(pdf), time.perf_counter() - t0, None


def _write_data(root: Path, payload: str) -> None:
    """<root>/data.json, as a new file: ext4 flushes a file truncated and rewritten, or renamed
    over another, to the disk (up to 2 ms each while other work writes, thousands of leaflets)."""
    path = root / "data.json"
    path.unlink(missing_ok=True)
    path.write_text(payload, encoding="utf-8")


def _typst_error(relpath: str, exc: Exception) -> str:
    """The error line of a leaflet typst refused: a panel's overflow (see common.typ, panel),
    else typst's first message line."""
    m = _OVERFLOW_RE.search(f"{getattr(exc, 'message', '')} {exc}")
    if m:
        pid, name, need, have = m.groups()
        return f"leaflet {relpath}: {overflow_text(pid, name, need, have)}"
    msg = (getattr(exc, "message", None) or str(exc)).strip().splitlines()[0]
    return f"leaflet {relpath}: typst: {msg}"


def overflow_text(pid: str, name: str, need: str, have: str) -> str:
    """'panel 3 (右栏·热线与法条): 内容过长 (content too long: 120.5 mm > 100.0 mm)'"""
    return f"panel {pid} ({name}): 内容过长 (content too long: {need} mm > {have} mm)"


def _compile_many(tasks: list[tuple]) -> list[tuple]:
    return [_compile(t) for t in tasks]


def _fonts():
    """typst's font book for this process's font folders, scanned once."""
    import typst

    key = ("fonts", _WORKER["font_dirs"])
    if key not in _WORKER:
        _WORKER[key] = typst.Fonts(include_system_fonts=False, include_embedded_fonts=True,
                                   font_paths=list(_WORKER["font_dirs"]))
    return _WORKER[key]


def _layout(task: tuple) -> tuple:
    """(name, kind, json) -> (name, overflow|None, error|None): lay the leaflet out as the build
    does, without writing a PDF (typst query: layout, no export; about a fifth of a compile).
    overflow: (panel id, panel name, needed mm, available mm)."""
    import typst

    name, kind, payload = task
    root = Path(_WORKER["root"])
    compiler = _WORKER["layout"].get(kind)
    if compiler is None:
        compiler = _WORKER["layout"][kind] = typst.Compiler(
            input=str(root / f"{kind}.typ"), root=str(root), font_paths=_fonts(), ignore_system_fonts=True)
    _write_data(root, payload)
    try:
        compiler.query("<wq-none>")
    except RuntimeError as exc:   # typst.TypstError, or a RuntimeError "failed to compile document"
        m = _OVERFLOW_RE.search(f"{getattr(exc, 'message', '')} {exc}")
        return (name, m.groups(), None) if m else (name, None, _typst_error(name, exc))
    return name, None, None


def _layout_many(tasks: list[tuple]) -> list[tuple]:
    return [_layout(t) for t in tasks]


def layout_overflows(tasks: list[tuple], font: CJKFont, jobs: int = 2) -> list[tuple]:
    """Lay out leaflets without writing them (``weiquan check``): tasks are (name, kind, data
    JSON as _json writes it), in an order that keeps similar leaflets together (typst reuses
    their shared layout); returns (name, overflow|None, error|None) per task, see _layout."""
    return _run_tasks(tasks, font, jobs, work=_layout_many)


# ------------------------------------------------------------------ public entry point

def render_leaflets(content, out_dir: Path, *, site_url: str, version: str, bleed: bool = False,
                    shop: bool = False, pinyin: bool = True, jobs: int = 2, font_dir: Path | str | None = None,
                    annotator=None, generated: Optional[dt.date] = None,
                    only: Optional[Callable] = None, campaigns: Optional[Collection[str]] = None,
                    stations: Optional[Collection[str]] = None, packs: bool = False,
                    cache_dir: Path | str | None = None) -> list[LeafletResult]:
    """Write every leaflet PDF under out_dir (the built site) and return what was written.

    Raises LeafletError (``errors``: one line per failed leaflet, e.g.
    ``leaflet leaflets/c/general-a5.pdf: panel 3 (右栏·热线与法条): 内容过长 (content too long …)``).
    ``only(campaign, station|None, kind, pinyin) -> bool`` limits the set (tests).
    ``campaigns`` (slugs) limits the campaigns; ``stations`` (slugs) renders just those stations'
    leaflets (any station of the site, even one not taking part; no general edition).
    ``shop``: the print-shop editions (…-yinshua.pdf) besides the office ones; ``bleed``: only
    the print-shop editions.
    ``packs``: also each campaign's print pack (see render_packs), listed last with kind "pack".
    ``cache_dir`` (e.g. .weiquan-cache/leaflets): a PDF whose inputs are those of one compiled
    before is taken from there (PdfCache); a run over every leaflet drops the ones it did not use.
    """
    out_dir = Path(out_dir)
    font = find_cjk_font(font_dir)
    generated = generated or dates.today()
    shops = (True,) if bleed else (False, True) if shop else (False,)
    plan = _plan(content, site_url=site_url, version=version, shops=shops, pinyin=pinyin,
                 generated=generated, font=font, only=only, campaigns=campaigns, stations=stations)
    if not plan:
        return []
    # leaflets of one campaign, kind and edition share most of their layout (typst caches it
    # per process): keep them together in the same chunk, in that order
    order = {key: i for i, key in enumerate(dict.fromkeys((j.campaign, j.kind, j.pinyin, j.shop) for j in plan))}
    cache = PdfCache(Path(cache_dir)) if cache_dir is not None else None
    results = run_jobs(content, out_dir, plan, font=font, jobs=jobs, annotator=annotator,
                       group=lambda j: order[(j.campaign, j.kind, j.pinyin, j.shop)], cache=cache)
    if cache is not None and only is None and campaigns is None and stations is None:
        cache.prune()
    if packs:
        results += render_packs(content, out_dir, results, generated=generated)
    return results


def run_jobs(content, out_dir: Path, plan: list[_Job], *, font: CJKFont, jobs: int = 2, annotator=None,
             group: Optional[Callable] = None, cache: Optional["PdfCache"] = None) -> list[LeafletResult]:
    """Compile the planned PDFs in ``jobs`` processes (in the order of ``group(job)``: jobs of one
    group share most of their layout); raise LeafletError listing every failed one. With a
    ``cache``, a PDF whose inputs are unchanged is taken from it (result seconds 0) instead."""
    ann = None
    if any(j.pinyin for j in plan):
        ann = _Readings(annotator if annotator is not None else _default_annotator(content))
    tasks, cached, keys = [], [], {}
    for j in plan:
        data = _finalize(j.data, ann if j.pinyin else None, j.readings)
        if cache is not None:
            keys[j.relpath] = cache.key(j.kind, j.timestamp, _json(data, key=True), font)
            hit = cache.take(keys[j.relpath], out_dir / j.relpath, j.relpath)
            if hit is not None:
                cached.append(hit)
                continue
        tasks.append((j.relpath, j.kind, _json(data), str(out_dir / j.relpath), j.timestamp))
    outcomes = _run_tasks(tasks, font, jobs, group=group and {j.relpath: group(j) for j in plan})
    if cache is not None:
        for relpath, _, _, error in outcomes:
            if error is None:
                cache.put(keys[relpath], out_dir / relpath)
    by_rel = {o[0]: o for o in [*cached, *outcomes]}
    errors = [by_rel[j.relpath][3] for j in plan if by_rel[j.relpath][3]]
    if errors:
        raise LeafletError(f"{len(errors)} leaflet(s) failed", errors)
    reused = {o[0] for o in cached}
    return [LeafletResult(out_dir / j.relpath, j.kind, j.campaign, j.station, j.pinyin,
                          by_rel[j.relpath][1], by_rel[j.relpath][2], j.shop, j.relpath in reused) for j in plan]


def _run_tasks(tasks: list[tuple], font: CJKFont, jobs: int, group: Optional[dict] = None,
               work: Callable = _compile_many) -> list[tuple]:
    """Compile tasks (see _compile; ``work``: _layout_many, see _layout) in ``jobs`` processes,
    in the order of group[relpath]."""
    if not tasks:
        return []
    font_dirs = tuple(str(d) for d in font.dirs)
    jobs = max(1, min(jobs or 1, len(tasks), os.cpu_count() or 1))
    if group is not None:
        tasks = sorted(tasks, key=lambda t: group[t[0]])
    import tempfile

    with tempfile.TemporaryDirectory(prefix="weiquan-leaflets-") as base_dir:
        if jobs == 1:
            _init_worker(font_dirs, base_dir)
            outcomes = work(tasks)
        else:
            import multiprocessing as mp
            from concurrent.futures import ProcessPoolExecutor

            # contiguous chunks (see above), several per worker so both get a similar load
            n = jobs * 4
            size = -(-len(tasks) // n)
            chunks = [tasks[i:i + size] for i in range(0, len(tasks), size)]
            # fork: workers need no re-import of __main__ (scripts without a main guard work
            # too) -- but only while this process has not run typst itself (jobs=1 earlier):
            # a fork of a process with typst's thread pool deadlocks. spawn otherwise.
            method = ("fork" if "fork" in mp.get_all_start_methods() and not _WORKER
                      else "spawn")
            # forked workers inherit this process's objects (all the content): frozen, their
            # garbage collector never walks them (nor copies the memory they are in)
            thaw = method == "fork" and not gc.get_freeze_count()
            if thaw:
                gc.freeze()
            try:
                with ProcessPoolExecutor(max_workers=jobs, mp_context=mp.get_context(method),
                                         initializer=_init_pool_worker, initargs=(font_dirs, base_dir)) as pool:
                    outcomes = [o for chunk in pool.map(work, chunks) for o in chunk]
            finally:
                if thaw:
                    gc.unfreeze()
    return outcomes


class PdfCache:
    """Compiled PDFs by their inputs (the data, the templates, the fonts, typst's version, the
    timestamp): ``<dir>/<key[:2]>/<key>.pdf``. A PDF is hard-linked into the output (copied when
    the file system cannot link), so the cache takes no room beside the built site. ``prune()``
    drops what this run did not use (after a run over every station)."""

    def __init__(self, directory: Path):
        self.dir = Path(directory)
        self.used: set[str] = set()

    @functools.cached_property
    def _inputs(self) -> bytes:
        import hashlib

        import typst
        h = hashlib.sha256(f"typst {getattr(typst, '__version__', '?')}\0".encode())
        for f in sorted(TEMPLATE_DIR.iterdir()):
            if f.is_file():
                h.update(f.name.encode() + b"\0" + f.read_bytes() + b"\0")
        return h.digest()

    def key(self, kind: str, ts: dt.datetime, payload: str, font: CJKFont) -> str:
        import hashlib
        fonts = "|".join(f"{p}:{p.stat().st_size}:{p.stat().st_mtime_ns}" for p in font.paths)
        return hashlib.sha256(self._inputs + f"{kind}\0{ts.isoformat()}\0{fonts}\0{payload}".encode()).hexdigest()

    def _path(self, key: str) -> Path:
        return self.dir / key[:2] / f"{key}.pdf"

    def take(self, key: str, out: Path, relpath: str) -> Optional[tuple]:
        """Put the cached PDF at out: an outcome like _compile's, or None when not cached."""
        import shutil

        src = self._path(key)
        if not src.is_file():
            return None
        out.parent.mkdir(parents=True, exist_ok=True)
        out.unlink(missing_ok=True)
        try:
            try:
                os.link(src, out)
            except FileNotFoundError:
                raise
            except OSError:
                shutil.copyfile(src, out)
        except FileNotFoundError:     # pruned meanwhile by another run: compile it
            return None
        self.used.add(key)
        return relpath, out.stat().st_size, 0.0, None

    def put(self, key: str, pdf: Path) -> None:
        dest = self._path(key)
        dest.parent.mkdir(parents=True, exist_ok=True)
        tmp = dest.with_suffix(f".{os.getpid()}.tmp")
        try:
            os.link(pdf, tmp)
        except OSError:
            import shutil
            shutil.copyfile(pdf, tmp)
        tmp.replace(dest)
        self.used.add(key)

    def prune(self) -> int:
        """Remove the cached PDFs this run did not use; how many."""
        n = 0
        for f in self.dir.glob("*/*.pdf"):
            if f.stem not in self.used:
                f.unlink(missing_ok=True)
                n += 1
        return n


# ------------------------------------------------------------------ print packs

def pack_path(campaign, shop: bool = False) -> str:
    cslug = campaign if isinstance(campaign, str) else campaign.slug
    return f"leaflets/{cslug}/{PACK}" + (f"-{SHOP}" if shop else "") + ".pdf"


def pack_for(campaign, shop: bool = False) -> list[LeafletFile]:
    """The campaign's print pack (shop: its print-shop edition), for site pages."""
    if shop:
        return [LeafletFile("全部服务站的 A5 单页合订本 · 印刷厂版（每个服务站一页，四边各加 3 毫米出血，CMYK）",
                            "A5 合订本·印刷厂版", pack_path(campaign, True))]
    return [LeafletFile("全部服务站的 A5 单页合订本（每个服务站一页）", "A5 合订本", pack_path(campaign))]


def render_packs(content, out_dir: Path, results: list[LeafletResult], *,
                 generated: dt.date) -> list[LeafletResult]:
    """One PDF per campaign and edition (office, print shop) with every station's A5 flyer
    (not pinyin), one page each, in the order of the campaign's stations. typst places the A5
    PDFs just rendered as vector images on the pages of one document (about 10 ms a page), so
    nothing is laid out twice; a print-shop pack keeps their bleed and TrimBox. Only for
    campaigns whose whole station set was rendered in this run."""
    import shutil
    import tempfile

    import typst

    out_dir = Path(out_dir)
    a5 = {(r.campaign, r.station, r.shop): r.path for r in results
          if r.kind == "a5" and not r.pinyin and r.station is not None}
    ts = dt.datetime(generated.year, generated.month, generated.day, tzinfo=dt.timezone.utc)
    packs = []
    for campaign, shop in itertools.product(content.campaigns, (False, True)):
        stations = [s.slug for s in _campaign_stations(content, campaign)]
        if not stations or any((campaign.slug, s, shop) not in a5 for s in stations):
            continue
        t0 = time.perf_counter()
        files = [a5[(campaign.slug, s, shop)] for s in stations]
        w, h = _pdf_page_size(files[0])
        bleed = BLEED_MM * 72 / 25.4 if shop else 0.0
        with tempfile.TemporaryDirectory(prefix="weiquan-pack-") as root:
            names = []
            for i, f in enumerate(files):
                name = f"p{i:05d}.pdf"
                shutil.copyfile(f, Path(root) / name)
                names.append(name)
            shutil.copyfile(TEMPLATE_DIR / "pack.typ", Path(root) / "pack.typ")
            (Path(root) / "pack.json").write_text(json.dumps(
                {"files": names, "width": w - 2 * bleed, "height": h - 2 * bleed, "bleed": bleed,
                 "title": f"{campaign.name} · 各服务站 A5 单页合订本" + (" · 印刷厂版" if shop else ""),
                 "author": content.settings.name},
                ensure_ascii=False), encoding="utf-8")
            _WORKER["typst_in_parent"] = True   # later pools must spawn, not fork (see run_jobs)
            try:
                pdf = typst.compile(str(Path(root) / "pack.typ"), root=root, format="pdf", timestamp=ts)
            except typst.TypstError as exc:
                raise LeafletError(f"print pack {pack_path(campaign, shop)}: typst: {exc}") from None
        path = out_dir / pack_path(campaign, shop)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(pdf)
        packs.append(LeafletResult(path, "pack", campaign.slug, None, False, len(pdf),
                                   time.perf_counter() - t0, shop))
    return packs


_MEDIABOX = re.compile(rb"/MediaBox\s*\[\s*([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s*\]")


def _pdf_page_size(path: Path) -> tuple[float, float]:
    """Width and height (pt) of the first page of a PDF typst wrote."""
    m = _MEDIABOX.search(Path(path).read_bytes())
    if not m:
        raise LeafletError(f"{path}: no page size")
    x0, y0, x1, y1 = (float(v) for v in m.groups())
    return x1 - x0, y1 - y0
