"""Leaflet overflow as content problems: which content file and line made a panel too long.

`weiquan check` lays out each campaign's general editions and the office editions of its fullest
station with the build's own templates (typst, without writing PDFs), so the check finds what the
build would, and reports an overflowing panel against the campaign, site or station field that
fills it. `weiquan build` reports its overflows (every station's edition) the same way.

Each distinct text is laid out once: editions whose data differ only in what cannot change the
layout share one layout (the QR code, drawn at a fixed size; the PDF title; the page address
they print, when it has the same length). The outcome of each layout is kept in
``.weiquan-cache/leaflet-fit.json`` under a key made of that text, the templates, the fonts,
typst's version and, for pinyin editions, the pinyin reader (its code, pypinyin, jieba,
content/pinyin.yaml): a later check lays out only what changed.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
from collections import Counter
from pathlib import Path
from typing import Optional

from weiquan.content.digest import keep_file
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
    events = Counter(e.station for e in camp.events if e.station)

    def size(st):
        return (len(st.name) + len(st.address) + len(st.hours) + 16 * (len(st.phones) + events[st.slug]), st.slug)
    return max(content.campaign_stations(camp), key=size, default=None)


FIT_FORMAT = "leaflet-fit-1"   # change when what a key is made of, or what a result means, changes
CACHE_FILE = "leaflet-fit.json"
_IGNORED = ("title", "qr")     # PDF metadata; a QR code is drawn at a fixed size
CHECK_QR = "/"                 # the code drawn in every checked layout (see _IGNORED)


def check_leaflets(content, cache_dir: Optional[Path] = None, jobs: int = 2) -> list[Problem]:
    """Lay out every campaign's general editions and the edition of its fullest station;
    overflowing panels as content problems (against the station's own file and line).
    ``cache_dir`` (.weiquan-cache): reuse and keep the outcome of each distinct layout."""
    if not content.campaigns:
        return []
    from weiquan.content import dates
    from weiquan.leaflets import render
    from weiquan.leaflets.fonts import LeafletError, find_cjk_font

    fullest = {camp.slug: getattr(_fullest_station(content, camp), "slug", None) for camp in content.campaigns}

    def only(campaign, station, kind, pinyin):
        return station is None or (station.slug == fullest.get(campaign.slug) and not pinyin)
    try:
        font = find_cjk_font(None)
        plan = render._plan(content, site_url="", version="check", shops=(False,), pinyin=True,
                            generated=dates.today(), font=font, only=only)
    except LeafletError:
        return []   # no font, an unknown highlight…: the build reports them
    keys = LayoutKeys(content, font)
    groups: dict[str, list] = {}
    for job in plan:
        groups.setdefault(keys.key(job), []).append(job)
    cache = FitCache(Path(cache_dir) / CACHE_FILE) if cache_dir is not None else None
    outcomes = cache.take(groups) if cache is not None else {}
    todo = [key for key in groups if key not in outcomes]
    if todo:
        ann = None
        if any(groups[key][0].pinyin for key in todo):
            ann = render._Readings(render._default_annotator(content))
        tasks = []
        for key in todo:
            job = groups[key][0]
            data = dict(job.data, qr=render.QR(CHECK_QR, job.shop))
            tasks.append((key, job.kind, render._json(render._finalize(data, ann if job.pinyin else None,
                                                                       job.readings))))
        for key, overflow, error in render.layout_overflows(tasks, font, jobs=jobs):
            if error is None:   # another failure (not cached): the build reports it
                outcomes[key] = list(overflow) if overflow else None
    if cache is not None:
        cache.keep(outcomes)
    errors = [f"leaflet {job.relpath}: {render.overflow_text(*outcomes[key])}"
              for key, jobs_ in groups.items() if outcomes.get(key) for job in jobs_]
    return overflow_problems(content, errors)[0]


class LayoutKeys:
    """The key of a leaflet's layout: what typst lays out (the leaflet's data but for _IGNORED,
    the length of its printed address), the templates, the fonts and typst's version; for pinyin
    editions also the pinyin reader. Values the jobs share (texts, hotlines, a campaign's
    highlights) are serialised once."""

    def __init__(self, content, font):
        self.inputs = layout_inputs(font)
        self.reader = b""
        self._content = content
        self._memo: dict[int, tuple[object, bytes]] = {}

    def _part(self, value) -> bytes:
        """value as unambiguous bytes; dicts and lists memoised by object (the values and parts
        the jobs share)."""
        if isinstance(value, str):
            b = value.encode()
            return b"s%d:%s" % (len(b), b)
        if not isinstance(value, (dict, list)):
            return b"v" + repr(value).encode()   # None, True, 3, 1.5
        hit = self._memo.get(id(value))
        if hit is not None and hit[0] is value:
            return hit[1]
        if isinstance(value, dict):
            out = b"{%s}" % b"".join(self._part(k) + self._part(v) for k, v in sorted(value.items()))
        else:
            out = b"[%s]" % b"".join(self._part(v) for v in value)
        self._memo[id(value)] = (value, out)   # (value kept alive: its id stays its own)
        return out

    def key(self, job) -> str:
        parts = [self.inputs]
        if job.pinyin:
            if not self.reader:
                self.reader = pinyin_reader_version(self._content)
            parts += [self.reader, json.dumps(sorted(job.readings.items()), ensure_ascii=False).encode()]
        data = job.data
        for name in sorted(data):
            if name not in _IGNORED:
                parts += [name.encode(), b"%d" % len(data[name]) if name == "url" else self._part(data[name])]
        return hashlib.blake2b(b"\0".join(parts), digest_size=20).hexdigest()


def layout_inputs(font) -> bytes:
    """Digest of what lays a leaflet out besides its data: typst's version, the template files,
    the font files (their bytes; the other files of the font folders by name and size)."""
    from weiquan.content.digest import code_digest
    from weiquan.leaflets.render import TEMPLATE_DIR
    templates = [f for f in sorted(TEMPLATE_DIR.iterdir()) if f.is_file()]
    h = hashlib.sha256(code_digest(files=templates, dists=("typst",), extra=FIT_FORMAT).encode())
    h.update(_font_digest(tuple(font.paths), tuple(font.dirs)))
    return h.digest()


@functools.lru_cache(maxsize=4)
def _font_digest(paths: tuple[Path, ...], dirs: tuple[Path, ...]) -> bytes:
    h = hashlib.sha256()
    for p in paths:
        h.update(f"{p.name}\0".encode() + hashlib.sha256(p.read_bytes()).digest())
    for d in dirs:
        for f in sorted(Path(d).rglob("*")):
            if f.is_file() and f.suffix.lower() in (".otf", ".ttf", ".ttc", ".otc"):
                h.update(f"{f.relative_to(d)}\0{f.stat().st_size}\0".encode())
    return h.digest()


def pinyin_reader_version(content) -> bytes:
    """Digest of what reads a text's pinyin on a leaflet: weiquan/zh's code, pypinyin's and
    jieba's versions, content/pinyin.yaml."""
    import weiquan.zh

    from weiquan.content.digest import code_digest
    h = hashlib.sha256(code_digest(folders=(Path(weiquan.zh.__file__).parent,), dists=("pypinyin", "jieba")).encode())
    overrides = Path(content.root) / "pinyin.yaml" if getattr(content, "root", None) else None
    if overrides is not None and overrides.is_file():
        h.update(overrides.read_bytes())
    return h.digest()


class FitCache:
    """The outcome of each layout by its key (None: fits; [panel id, name, needed mm, available mm]:
    overflows), in one JSON file. ``keep`` writes the outcomes of this run and drops the others."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.stored: dict = {}
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            if data.get("format") == FIT_FORMAT and isinstance(data.get("layouts"), dict):
                self.stored = data["layouts"]
        except (OSError, ValueError, AttributeError):
            pass

    def take(self, keys) -> dict:
        return {k: self.stored[k] for k in keys if k in self.stored}

    def keep(self, outcomes: dict) -> None:
        if outcomes == self.stored:
            return
        keep_file(self.path, json.dumps({"format": FIT_FORMAT, "layouts": outcomes}, ensure_ascii=False).encode())
