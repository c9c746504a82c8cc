"""The checks of loaded content: each is a function `check_x(content, report)` registered with
@check, and the loader runs them all, in order, after loading (tree checks, registered with
@tree_check, run before: they decide which files are read). A problem names its file and line:
`report(path, line, 中文, English)` or `report.at(entry, yaml location, 中文, English)`."""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections import Counter
from pathlib import Path
from typing import Callable, Optional

from weiquan.content import links, markup, phones, types
from weiquan.content.citations import SHORTCODE_RE
from weiquan.content.divisions import Divisions
from weiquan.content.files import check_tree
from weiquan.content.library import Content, UnknownLaw, UnresolvedReference, iter_articles, split_version
from weiquan.content.messages import did_you_mean
from weiquan.content.model import Station
from weiquan.content.numbers import check_numbers
from weiquan.content.problems import Problem, display_path
from weiquan.content.synonyms import check_meanings
from weiquan.content.topics import SHARED_TOPICS
from weiquan.content.urls import guide_src
from weiquan.content.yamlload import line_of
from weiquan.zh.reading import parse_overrides


class Report:
    """Where loading and checks put problems, and what those problems already cover: files the
    tree check refused, names of entries that failed to load (a reference to one is not reported
    again), whether the settings failed."""

    def __init__(self, root: Path):
        self.root = root
        self.problems: list[Problem] = []
        self.refused: set[Path] = set()
        self.broken: dict[str, set[str]] = {}
        self.settings_broken = False
        self.content: Optional[Content] = None

    def __call__(self, path: Path, line: int, zh: str, en: str = "", col: int = 0) -> None:
        self.problems.append(Problem(display_path(path, self.root), line, zh, en, col))

    def at(self, entry, loc: tuple, zh: str, en: str = "") -> None:
        """A problem at a YAML location (("citations", 0)) of a loaded entry's file."""
        src = self.content.source(entry)
        self(src.path, line_of(src.data, loc), zh, en)

    def is_broken(self, type_name: str, name: str) -> bool:
        return name in self.broken.get(type_name, ())


Check = Callable[[Content, Report], None]
CHECKS: list[Check] = []                            # after loading, in order
TREE_CHECKS: list[Callable[[Path, Report], None]] = []   # before loading


def check(fn: Check) -> Check:
    CHECKS.append(fn)
    return fn


def tree_check(fn):
    TREE_CHECKS.append(fn)
    return fn


def run_tree_checks(root: Path, report: Report) -> None:
    for fn in TREE_CHECKS:
        fn(root, report)


def run_checks(content: Content, report: Report) -> None:
    report.content = content
    for fn in CHECKS:
        fn(content, report)


# ---- before loading -------------------------------------------------------------------------

@tree_check
def check_content_tree(root: Path, report: Report) -> None:
    """Links out of content/ and files content/pages/ does not publish: refused, never read."""
    report.refused |= check_tree(root, report)


# ---- after loading --------------------------------------------------------------------------

@check
def check_unique(content: Content, report: Report) -> None:
    """Slugs are unique within a type's scope (they are file names and URLs); a law's names
    point to one law."""
    seen: dict[str, dict[str, object]] = {}
    for t in types.TYPES:
        first_of = seen.setdefault(t.scope, {})
        for entry in content.entries(t.name):
            first = first_of.setdefault(entry.slug, entry)
            if first is not entry:
                src = content.source(first)
                where = f"{src.display}:{line_of(src.data, ('slug',))}"
                report.at(entry, ("slug",), f"slug “{entry.slug}” 重复，已用于 {where}", "duplicate slug")
    for name in sorted(content.ambiguous_names):
        first, *others = content.ambiguous_laws[name]
        for law in others:   # versions of one law share a title; different laws must not
            field = ("title",) if law.title == name else ("short_name",) if law.short_name == name \
                else ("aliases", law.aliases.index(name))
            report.at(law, field, f"法律名称或别名“{name}”同时指向多部法律：已用于"
                      f"《{first.short_name}》（{content.source(first).display}）；同一法律的"
                      f"不同版本须使用相同的全称 title", "ambiguous law name")


@check
def check_laws(content: Content, report: Report) -> None:
    for law in content.laws:
        seen = set()
        for article in iter_articles(law):
            if article.key in seen:
                path = content.source(law).path
                report(path, find_line(path, article.number), f"条文序号“{article.number}”重复",
                       "duplicate article number")
            seen.add(article.key)
        for other in content.versions_of(law):
            if other is not law and other.version == law.version and law.version is not None \
                    and content.laws.index(other) < content.laws.index(law):
                report.at(law, ("version",), f"版本日期 {law.version} 与"
                          f"{content.source(other).display} 相同：同一法律的各版本须有不同的 version",
                          "two versions of one law with the same version date")
        if law.replaced_by and law.replaced_by not in {l.slug for l in content.laws}:
            report.at(law, ("replaced_by",), f"找不到现行文本“{law.replaced_by}”", "unknown replaced_by law")
        if law.status == "已修改" and not law.replaced_by:
            report.at(law, ("status",), "已修改的法律须用 replaced_by 指向现行文本", "amended law needs replaced_by")


def law_hint(content: Content, exc: UnresolvedReference) -> str:
    """'，是不是“反家庭暴力法”？' for an unknown law name."""
    return did_you_mean(exc.name.strip(), content.law_by_name) if isinstance(exc, UnknownLaw) else ""


def _check_citation(content: Content, report: Report, entry, loc: tuple, citation) -> None:
    if report.is_broken("laws", citation.law):
        return
    try:
        content.resolve(citation)
    except UnresolvedReference as exc:
        report.at(entry, loc, f"引用无法解析：{exc.zh}{law_hint(content, exc)}", f"unresolved citation: {exc.en}")


@check
def check_references(content: Content, report: Report) -> None:
    for case in content.cases:
        for i, citation in enumerate(case.citations):
            _check_citation(content, report, case, ("citations", i), citation)
    for form in content.forms:
        for loc, citation in form.citations():
            _check_citation(content, report, form, loc, citation)
    for camp in content.campaigns:
        for i, citation in enumerate(camp.leaflet.highlights):
            _check_citation(content, report, camp, ("leaflet", "highlights", i), citation)
        for i, slug in enumerate(camp.leaflet.cases):
            if slug not in content.case_by_slug and not report.is_broken("cases", slug):
                report.at(camp, ("leaflet", "cases", i), f"找不到案例“{slug}”" + did_you_mean(slug, content.case_by_slug),
                          "unknown case")
        for i, slug in enumerate([] if camp.leaflet.stations == "all" else camp.leaflet.stations):
            if slug not in content.station_by_slug and not report.is_broken("stations", slug):
                report.at(camp, ("leaflet", "stations", i),
                          f"找不到服务站“{slug}”" + did_you_mean(slug, content.station_by_slug), "unknown station")
        keys: dict[str, int] = {}
        for i, event in enumerate(camp.events):
            if event.key and event.key in keys:
                report.at(camp, ("events", i, "key"), f"活动编号“{event.key}”与第 {keys[event.key] + 1} 项活动重复",
                          "duplicate event key")
            keys.setdefault(event.key or "", i)
            if (event.station and event.station not in content.station_by_slug
                    and not report.is_broken("stations", event.station)):
                report.at(camp, ("events", i, "station"),
                          f"找不到服务站“{event.station}”" + did_you_mean(event.station, content.station_by_slug),
                          "unknown station reference")
            if camp.start and camp.end and not (camp.start <= event.date <= camp.end + dt.timedelta(days=31)):
                report.at(camp, ("events", i, "date"), "活动日期不在活动期间内", "event date outside the campaign")


@check
def check_stations(content: Content, report: Report) -> None:
    """Regions against the division data, phone numbers (example numbers only in example regions)
    and the hotlines of the settings."""
    if report.settings_broken:   # then regions and hotlines are not checked (no cascade)
        return
    divs = content.divisions()
    extra_codes = {r.code for r in content.settings.extra_regions}
    for st in content.stations:
        _check_region(report, st, divs, extra_codes)
        d = divs.get(st.region.code)
        if d is not None and d.level in ("县", "乡"):   # else only the region is reported
            _check_phones(report, st, any(c.code in extra_codes for c in divs.chain(st.region.code)))
    settings = content.settings
    if content.source(settings) is not None:
        for i, hotline in enumerate(settings.hotlines):
            kind, why = phones.check(hotline.number)
            if kind is None:
                report.at(settings, ("hotlines", i, "number"), f"电话号码“{hotline.number}”不对：{why}",
                          "malformed phone number")
            elif kind == "example":
                report.at(settings, ("hotlines", i, "number"),
                          f"求助热线“{hotline.number}”是示例号码（打不通）：热线每页都显示，请写真实的号码",
                          "example number as a hotline")


def _check_phones(report: Report, st: Station, example_region: bool) -> None:
    """Numbers that cannot exist (0000-…) only on example entries in example regions; example
    entries never carry real-looking numbers (only 0000-… and national service numbers)."""
    if st.example and not example_region:
        report.at(st, ("example",), "example: true 的示例条目只能放在示例地区（site.yaml 的 extra_regions）；"
                  "真实地区的服务站请写真实的名称、地址和电话，并删掉 example", "example entry in a real region")
    for i, phone in enumerate(st.phones):
        kind, why = phones.check(phone.number)
        loc = ("phones", i, "number")
        if kind is None:
            report.at(st, loc, f"电话号码“{phone.number}”不对：{why}", "malformed phone number")
        elif kind == "example" and not st.example and not example_region:   # (in an example region the
            # missing example: true is the one mistake, reported by _check_region)
            report.at(st, loc, f"“{phone.number}”是示例号码（不存在，打不通）：只有示例地区里标了 example: true "
                      "的条目可以用；真实的服务站请写真实的电话", "example number on a real entry")
        elif st.example and kind in ("mobile", "landline", "toll_free"):
            report.at(st, loc, f"示例条目不能写看起来真实的号码“{phone.number}”（可能是别人的电话）："
                      "请用 0000- 开头的示例号码，或 12338 这样的全国服务号码", "real-looking number on an example")


def _check_region(report: Report, st: Station, divs: Divisions, extra_codes: set[str]) -> None:
    r = st.region
    d = divs.get(r.code)
    if d is None or d.level not in ("县", "乡"):
        report.at(st, ("region", "code"), f"区划代码“{r.code}”不存在（应为县级 6 位或乡级 9 位代码）",
                  "region not found")
        return
    chain = divs.chain(r.code)
    names = [r.province, r.city, r.county] + ([r.township] if d.level == "乡" else [])
    if d.level == "县" and r.township:
        report.at(st, ("region", "township"), "给出了乡镇，但区划代码是县级代码", "township given with a county code")
    for key, want, div in zip(("province", "city", "county", "township"), names, chain):
        if want != div.name:
            report.at(st, ("region", key), f"区划名称“{want}”与代码 {r.code} 不符，应为“{div.name}”",
                      "region name does not match its code")
    if any(c.code in extra_codes for c in chain) and not st.example:
        report.at(st, ("region",), "示例地区的服务站须标注 example: true", "stations in example regions must be marked example")


@check
def check_guides(content: Content, report: Report) -> None:
    """[[法#条]] shortcodes resolve; the body is Markdown only."""
    for guide in content.guides:
        path = content.source(guide).path
        for lineno, line in enumerate(guide.body.splitlines(), start=guide.body_line):
            for m in SHORTCODE_RE.finditer(line):
                law_name, article = m.group(1), m.group(2)
                if report.is_broken("laws", split_version(law_name)[0]):
                    continue
                try:
                    if article:
                        content.resolve_ref(law_name, article)
                    else:
                        content.lookup_law(law_name)
                except UnresolvedReference as exc:
                    report(path, lineno, f"引用 {m.group(0)} 无法解析：{exc.zh}{law_hint(content, exc)}",
                           f"unresolved citation: {exc.en}")
        for lineno, zh, en in _markup_problems(guide.body, guide.body_line):
            report(path, lineno, zh, en)


@functools.lru_cache(maxsize=4096)
def _markup_problems(body: str, first_line: int) -> tuple:
    """markup.guide_problems, kept for the bodies seen in this process (a preview checks every
    guide again on every change; rendering them is most of that)."""
    return tuple(markup.guide_problems(body, first_line))


@check
def check_links(content: Content, report: Report) -> None:
    """Markdown links and images in guides and content/pages that point nowhere; hand-written
    pages are Markdown only, like guides."""
    pages_dir = Path(content.root) / "pages"
    pages = links.page_set(content) | {page.src for page in content.pages}
    for guide in content.guides:
        path = content.source(guide).path
        for line, col, zh, en in links.check_links(guide.body.splitlines(), guide.body_line, guide_src(guide.slug),
                                                   pages, pages_dir):
            report(path, line, zh, en, col)
    for page in content.pages:
        for line, col, zh, en in links.check_links(page.body.splitlines(), page.body_line, page.src, pages, pages_dir):
            report(page.path, line, zh, en, col)
        # MkDocs renders these itself: Markdown only, like guides; front matter goes into <title> raw
        for line, zh, en in _markup_problems(page.body, page.body_line):
            report(page.path, line, zh, en)
        for n, line in enumerate(page.front.splitlines(), start=1):
            if re.search(r"[<>&]", line):
                report(page.path, n, "页面前言（--- 之间）里不能写 < > &：标题和说明只写文字", "markup in front matter")


@check
def check_topics(content: Content, report: Report) -> None:
    """A topic written once, outside the shared vocabulary and close to a known one, is a typo
    (家庭暴立 → 家庭暴力): it would get a home-page group or search facet of its own."""
    entries = [(e, e.topics) for e in content.cases] + [(g, g.meta.topics) for g in content.guides]
    used = Counter(t for _, topics in entries for t in topics)
    known = SHARED_TOPICS | set(content.settings.topics) | {t for t, n in used.items() if n > 1}
    for entry, topics in entries:
        for i, topic in enumerate(topics):
            if topic in known:
                continue
            hint = did_you_mean(topic, sorted(known), cutoff=0.6)
            if hint:
                report.at(entry, ("topics", i), f"主题“{topic}”没有别的内容用过{hint}"
                          "（同一主题要写得一样，才能归到一起）", "unknown topic")


@check
def check_readings(content: Content, report: Report) -> None:
    """Readings of names carried by cases, stations and guides."""
    for entry, readings in [*((e, e.readings) for e in [*content.cases, *content.stations]),
                            *((g, g.meta.readings) for g in content.guides)]:
        for name, reading in readings.items():
            try:
                parse_overrides({name: reading})
            except ValueError as exc:
                report.at(entry, ("readings", name), f"读音有误：{exc}", "bad pinyin reading")


check(check_numbers)   # the number rule (numbers.py): a quantity a guide, case or form states is in an article it cites


@check
def check_synonyms(content: Content, report: Report) -> None:
    """Every meaning in the thesaurus occurs in the content (synonyms.py; it also adds the law
    names to the thesaurus as words kept whole)."""
    if content.thesaurus is not None:
        check_meanings(content.thesaurus, content, None, report)


def find_line(path: Path, needle: str) -> int:
    """First line of a file holding needle (1 if none)."""
    for i, line in enumerate(path.read_text(encoding="utf-8-sig", errors="replace").splitlines(), start=1):
        if needle in line:
            return i
    return 1
