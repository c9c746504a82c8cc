"""Load content/ and validate it. Every problem names its file and line; nothing raises a traceback."""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path
from typing import Optional

from pydantic import BaseModel, ValidationError

from weiquan.content import markup, phones
from weiquan.content.numbers import check_numbers
from weiquan.content.citations import SHORTCODE_RE
from weiquan.content.messages import did_you_mean, explain, explain_errors  # noqa: F401 (explain: API)
from weiquan.content.library import Content, Guide, Source, iter_articles, split_version
from weiquan.content.divisions import Divisions
from weiquan.content.files import check_tree
from weiquan.content.model import Campaign, Case, Form, GuideMeta, Law, Settings, Station, slug_problem
from weiquan.zh.reading import parse_overrides
from weiquan.content.synonyms import FILE as SYNONYMS_FILE, check_meanings, load_thesaurus
from weiquan.content.problems import ContentError, Problem, display_path
from weiquan.content.yamlload import (MAX_FILE_BYTES, MAX_LAW_FILE_BYTES, LineMap, YamlSyntaxError, line_of,
                                      load_yaml, read_content_file)

TYPES = {"laws": Law, "cases": Case, "stations": Station, "campaigns": Campaign, "forms": Form}
FRONT_MATTER_RE = re.compile(r"\A---\s*\n(.*?\n)---\s*\n", re.S)

# Parsed and validated entries reused by later loads in the same process (`mkdocs serve` reloads
# all content on every change): content root -> {(path, model): (file stamp, entry, data, display)}.
# Only entries without problems are kept; a file is parsed again when its stamp changes.
_PARSE_CACHE: dict[str, dict] = {}
_PARSE_CACHE_ROOTS = 4


def load_content(root: Path | str) -> Content:
    """Load and validate everything under root (the content/ folder). Raises ContentError."""
    return Loader(Path(root)).load()


def check_content(root: Path | str) -> tuple[Optional[Content], list[Problem]]:
    try:
        return load_content(root), []
    except ContentError as exc:
        return None, exc.problems


class Loader:
    def __init__(self, root: Path):
        self.root = root
        self._display_base: Optional[str] = None
        self.problems: list[Problem] = []
        self.sources: dict[int, Source] = {}
        # names of entries that failed validation: references to them are not reported again
        self.broken: dict[str, set[str]] = {name: set() for name in TYPES}

    # -- problems -------------------------------------------------------------------------
    def report(self, path: Path, line: int, zh: str, en: str = "", col: int = 0) -> None:
        self.problems.append(Problem(display_path(path, self.root), line, zh, en, col))

    def report_yaml(self, path: Path, exc: YamlSyntaxError) -> None:
        zh = f"YAML 语法错误：{exc.message}" if exc.en == "YAML syntax error" else exc.message
        self.report(path, exc.line, zh, exc.en, exc.col)

    def read(self, path: Path) -> Optional[str]:
        """A content file's text, or None after reporting why it cannot be used (encoding, size)."""
        limit = MAX_LAW_FILE_BYTES if path.parent.name == "laws" else MAX_FILE_BYTES
        try:
            return read_content_file(path, limit)
        except YamlSyntaxError as exc:
            self.report_yaml(path, exc)
            return None

    def report_at(self, entry, loc: tuple, zh: str, en: str = "") -> None:
        src = self.sources[id(entry)]
        self.report(src.path, line_of(src.data, loc), zh, en)

    # -- loading --------------------------------------------------------------------------
    def load(self) -> Content:
        if not self.root.is_dir():
            raise ContentError([Problem(str(self.root), 1, "内容目录不存在", "content folder not found")])
        self.refused = check_tree(self.root, self.report)   # links out of content/, unpublishable files
        settings = self.load_settings()
        self.settings_broken = settings is None   # then regions and hotlines are not checked (no cascade)
        key = str(self.root.resolve())
        self._cache, self._fresh = _PARSE_CACHE.pop(key, {}), {}
        entries = {name: self.load_dir(name, model) for name, model in TYPES.items()}
        _PARSE_CACHE[key] = self._fresh
        while len(_PARSE_CACHE) > _PARSE_CACHE_ROOTS:
            del _PARSE_CACHE[next(iter(_PARSE_CACHE))]
        guides = self.load_guides()
        pinyin = self.load_pinyin()
        thesaurus = load_thesaurus(self.root, self.report)
        content = Content(root=self.root, settings=settings or Settings(name="weiquan", region="—"),
                          guides=guides, sources=self.sources, pinyin=pinyin, synonyms=thesaurus.words, **entries)
        self.check_unique(content)
        self.check_laws(content)
        self.check_references(content)
        self.check_stations(content)
        self.check_guides(content)
        self.check_links(content)
        self.check_topics(content)
        self.check_readings(content)
        check_numbers(content, self.report)
        check_meanings(thesaurus, content, self.root / SYNONYMS_FILE, self.report)
        if self.problems:
            raise ContentError(self.problems)
        return content

    def parse(self, path: Path, text: Optional[str], model: type[BaseModel], first_line: int = 1):
        if text is None:   # unreadable: already reported
            return None, None
        try:
            data = load_yaml(text, first_line)
        except YamlSyntaxError as exc:
            self.report_yaml(path, exc)
            return None, None
        if data is None:
            data = LineMap()
        if not isinstance(data, dict):
            self.report(path, getattr(data, "line", first_line), "文件内容应为键值映射", "expected a mapping")
            return None, None
        try:
            return model.model_validate(dict(data)), data
        except ValidationError as exc:
            for loc, zh, en in explain_errors(exc.errors(), model):
                self.report(path, line_of(data, loc), zh, en)
            return None, data

    def load_settings(self) -> Optional[Settings]:
        path = self.root / "site.yaml"
        if not path.exists():
            self.report(path, 1, "缺少站点设置文件 site.yaml", "missing site settings")
            return None
        settings, data = self.parse(path, self.read(path), Settings)
        if settings is not None:
            self.sources[id(settings)] = Source(path, display_path(path, self.root), data)
        return settings

    def display(self, path: Path) -> str:
        """display_path() for a file found in the content folder, resolving the folder only once."""
        if path.is_symlink() or path.parent.is_symlink() or path.parent.parent != self.root:
            return display_path(path, self.root)
        if self._display_base is None:
            self._display_base = display_path(self.root, self.root)
        return f"{self._display_base}/{path.parent.name}/{path.name}"

    def files(self, folder: Path, pattern: str, recursive: bool = False) -> list[Path]:
        """The content files of one folder, sorted. A symlink that points nowhere or out of the
        content folder, and a file name that cannot be a URL, are reported and skipped: content is
        what is in content/, and every file's page has an address."""
        root = self.root.resolve()
        out = []
        for path in sorted(folder.rglob(pattern) if recursive else folder.glob(pattern)):
            shown = f"{self.root.name}/{path.relative_to(self.root).as_posix()}"
            if path in self.refused or not path.exists() or not path.resolve().is_relative_to(root):
                continue   # reported by check_tree
            if not path.is_file():
                continue
            stem = path.name[: -len(path.suffix)] if path.suffix else path.name
            problem = slug_problem(stem)
            if problem:
                self.problems.append(Problem(shown, 1, f"文件名“{path.name}”不能用作网址：{problem}",
                                             "file name cannot be a URL"))
                continue
            out.append(path)
        return out

    def load_dir(self, name: str, model: type[BaseModel]) -> list:
        out = []
        cache, fresh = self._cache, self._fresh
        for path in self.files(self.root / name, "*.y*ml"):
            st = path.stat()
            stamp = (st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_ino)
            hit = cache.get((path, model))
            if hit is not None and hit[0] == stamp:
                _, entry, data, display = hit
            else:
                entry, data = self.parse(path, self.read(path), model)
                display = self.display(path) if entry is not None else ""
            if entry is not None:
                fresh[(path, model)] = (stamp, entry, data, display)
                self.sources[id(entry)] = Source(path, display, data)
                out.append(entry)
            else:   # an unreadable file's name stands for its slug (the convention)
                names = [data.get(k) for k in ("slug", "title", "short_name")] + list(data.get("aliases") or []) \
                    if isinstance(data, dict) else []
                self.broken[name].update(str(n) for n in names + [slugify_filename(path)] if n)
        return out

    def load_guides(self) -> list[Guide]:
        out = []
        for path in self.files(self.root / "guides", "*.md"):
            text = self.read(path)
            if text is None:
                continue
            m = FRONT_MATTER_RE.match(text)
            if not m:
                self.report(path, 1, "指南须以 --- 包围的 YAML 前言开头（至少含 title）",
                            "guide needs YAML front matter")
                continue
            meta, data = self.parse(path, m.group(1), GuideMeta, first_line=2)
            if meta is None:
                continue
            body_line = text[: m.end()].count("\n") + 1
            guide = Guide(meta=meta, slug=meta.slug or slugify_filename(path), body=text[m.end():],
                          body_line=body_line)
            self.sources[id(guide)] = Source(path, display_path(path, self.root), data)
            out.append(guide)
        return out

    def load_pinyin(self) -> dict[str, list[str]]:
        """content/pinyin.yaml: legal-domain readings, each entry checked on its own line."""
        path = self.root / "pinyin.yaml"
        if not path.exists():
            return {}
        text = self.read(path)
        if text is None:
            return {}
        try:
            data = load_yaml(text)
        except YamlSyntaxError as exc:
            self.report_yaml(path, exc)
            return {}
        if data is None:
            return {}
        if not isinstance(data, dict):
            self.report(path, getattr(data, "line", 1), "读音表应为“词语: 读音”的映射", "expected a mapping")
            return {}
        out = {}
        for phrase, reading in data.items():
            try:
                out.update(parse_overrides({phrase: reading}))
            except ValueError as exc:
                self.report(path, data.key_lines.get(phrase, 1), f"读音有误：{exc}", "bad pinyin reading")
        return out

    # -- cross checks ---------------------------------------------------------------------
    def check_unique(self, content: Content) -> None:
        for kind, entries in (("laws", content.laws), ("cases", content.cases),
                              ("stations", content.stations), ("campaigns", content.campaigns),
                              ("guides", content.guides)):
            seen: dict[str, object] = {}
            for entry in entries:
                if entry.slug in seen:
                    first = self.sources[id(seen[entry.slug])].display
                    self.report_at(entry, ("slug",), f"slug “{entry.slug}” 重复，已用于 {first}",
                                   "duplicate slug")
                else:
                    seen[entry.slug] = entry
        for name in sorted(content.ambiguous_names):
            first, *others = content.ambiguous_laws[name]
            for law in others:   # versions of one law share a title; different laws must not
                field = ("title",) if law.title == name else ("short_name",) if law.short_name == name \
                    else ("aliases", law.aliases.index(name))
                self.report_at(law, field, f"法律名称或别名“{name}”同时指向多部法律：已用于"
                               f"《{first.short_name}》（{self.sources[id(first)].display}）；同一法律的"
                               f"不同版本须使用相同的全称 title", "ambiguous law name")

    def check_laws(self, content: Content) -> None:
        for law in content.laws:
            seen = set()
            for article in iter_articles(law):
                if article.key in seen:
                    self.report(self.sources[id(law)].path, find_line(self.sources[id(law)].path, article.number),
                                f"条文序号“{article.number}”重复", "duplicate article number")
                seen.add(article.key)
            for other in content.versions_of(law):
                if other is not law and other.version == law.version and law.version is not None \
                        and content.laws.index(other) < content.laws.index(law):
                    self.report_at(law, ("version",), f"版本日期 {law.version} 与"
                                   f"{self.sources[id(other)].display} 相同：同一法律的各版本须有不同的 version",
                                   "two versions of one law with the same version date")
            if law.replaced_by and law.replaced_by not in {l.slug for l in content.laws}:
                self.report_at(law, ("replaced_by",), f"找不到现行文本“{law.replaced_by}”",
                               "unknown replaced_by law")
            if law.status == "已修改" and not law.replaced_by:
                self.report_at(law, ("status",), "已修改的法律须用 replaced_by 指向现行文本",
                               "amended law needs replaced_by")

    def check_citation(self, content: Content, entry, loc: tuple, citation) -> None:
        if citation.law in self.broken["laws"]:
            return
        try:
            content.resolve(citation)
        except LookupError as exc:
            zh, _, en = str(exc).partition(" (")
            zh += law_hint(content, citation.law, en)
            self.report_at(entry, loc, f"引用无法解析：{zh}", "unresolved citation: " + en.rstrip(")"))

    def check_references(self, content: Content) -> None:
        for case in content.cases:
            for i, citation in enumerate(case.citations):
                self.check_citation(content, case, ("citations", i), citation)
        for form in content.forms:
            for loc, citation in form.citations():
                self.check_citation(content, form, loc, citation)
        for camp in content.campaigns:
            for i, citation in enumerate(camp.leaflet.highlights):
                self.check_citation(content, camp, ("leaflet", "highlights", i), citation)
            for i, slug in enumerate(camp.leaflet.cases):
                if slug not in content.case_by_slug and slug not in self.broken["cases"]:
                    self.report_at(camp, ("leaflet", "cases", i), f"找不到案例“{slug}”" + did_you_mean(slug, content.case_by_slug),
                                   "unknown case")
            for i, slug in enumerate([] if camp.leaflet.stations == "all" else camp.leaflet.stations):
                if slug not in content.station_by_slug and slug not in self.broken["stations"]:
                    self.report_at(camp, ("leaflet", "stations", i), f"找不到服务站“{slug}”" + did_you_mean(slug, content.station_by_slug),
                                   "unknown station")
            keys: dict[str, int] = {}
            for i, event in enumerate(camp.events):
                if event.key and event.key in keys:
                    self.report_at(camp, ("events", i, "key"),
                                   f"活动编号“{event.key}”与第 {keys[event.key] + 1} 项活动重复",
                                   "duplicate event key")
                keys.setdefault(event.key or "", i)
                if (event.station and event.station not in content.station_by_slug
                        and event.station not in self.broken["stations"]):
                    self.report_at(camp, ("events", i, "station"), f"找不到服务站“{event.station}”" + did_you_mean(event.station, content.station_by_slug),
                                   "unknown station reference")
                if camp.start and camp.end and not (camp.start <= event.date <= camp.end + dt.timedelta(days=31)):
                    self.report_at(camp, ("events", i, "date"), "活动日期不在活动期间内",
                                   "event date outside the campaign")

    def check_stations(self, content: Content) -> None:
        divs = content.divisions()
        extra_codes = {r.code for r in content.settings.extra_regions}
        for st in [] if getattr(self, "settings_broken", False) else content.stations:
            self.check_region(st, divs, extra_codes)
            d = divs.get(st.region.code)
            if d is not None and d.level in ("县", "乡"):   # else only the region is reported
                self.check_phones(st, any(c.code in extra_codes for c in divs.chain(st.region.code)))
        settings = content.settings
        if id(settings) in self.sources:
            for i, hotline in enumerate(settings.hotlines):
                kind, why = phones.check(hotline.number)
                if kind is None:
                    self.report_at(settings, ("hotlines", i, "number"), f"电话号码“{hotline.number}”不对：{why}",
                                   "malformed phone number")
                elif kind == "example":
                    self.report_at(settings, ("hotlines", i, "number"),
                                   f"求助热线“{hotline.number}”是示例号码（打不通）：热线每页都显示，请写真实的号码",
                                   "example number as a hotline")

    def check_phones(self, st: Station, example_region: bool) -> None:
        """Numbers that cannot exist (0000-…) only on example entries in example regions; example
        entries never carry real-looking numbers (only 0000-… and national service numbers)."""
        if st.example and not example_region:
            self.report_at(st, ("example",), "example: true 的示例条目只能放在示例地区（site.yaml 的 extra_regions）；"
                           "真实地区的服务站请写真实的名称、地址和电话，并删掉 example",
                           "example entry in a real region")
        for i, phone in enumerate(st.phones):
            kind, why = phones.check(phone.number)
            loc = ("phones", i, "number")
            if kind is None:
                self.report_at(st, loc, f"电话号码“{phone.number}”不对：{why}", "malformed phone number")
            elif kind == "example" and not st.example and not example_region:   # (in an example region the
                # missing example: true is the one mistake, reported by check_region)
                self.report_at(st, loc, f"“{phone.number}”是示例号码（不存在，打不通）：只有示例地区里标了 example: true "
                               "的条目可以用；真实的服务站请写真实的电话", "example number on a real entry")
            elif st.example and kind in ("mobile", "landline", "toll_free"):
                self.report_at(st, loc, f"示例条目不能写看起来真实的号码“{phone.number}”（可能是别人的电话）："
                               "请用 0000- 开头的示例号码，或 12338 这样的全国服务号码", "real-looking number on an example")

    def check_region(self, st: Station, divs: Divisions, extra_codes: set[str]) -> None:
        r = st.region
        d = divs.get(r.code)
        if d is None or d.level not in ("县", "乡"):
            self.report_at(st, ("region", "code"), f"区划代码“{r.code}”不存在（应为县级 6 位或乡级 9 位代码）",
                           "region not found")
            return
        chain = divs.chain(r.code)
        names = [r.province, r.city, r.county] + ([r.township] if d.level == "乡" else [])
        if d.level == "县" and r.township:
            self.report_at(st, ("region", "township"), "给出了乡镇，但区划代码是县级代码",
                           "township given with a county code")
        for key, want, div in zip(("province", "city", "county", "township"), names, chain):
            if want != div.name:
                self.report_at(st, ("region", key), f"区划名称“{want}”与代码 {r.code} 不符，应为“{div.name}”",
                               "region name does not match its code")
        if any(c.code in extra_codes for c in chain) and not st.example:
            self.report_at(st, ("region",), "示例地区的服务站须标注 example: true",
                           "stations in example regions must be marked example")

    def check_guides(self, content: Content) -> None:
        for guide in content.guides:
            for lineno, line in enumerate(guide.body.splitlines(), start=guide.body_line):
                for m in SHORTCODE_RE.finditer(line):
                    law_name, article = m.group(1), m.group(2)
                    if split_version(law_name)[0] in self.broken["laws"]:
                        continue
                    try:
                        if article:
                            content.resolve_ref(law_name, article)
                        else:
                            content.lookup_law(law_name)
                    except LookupError as exc:
                        zh, _, en = str(exc).partition(" (")
                        zh += law_hint(content, law_name, en)
                        self.report(self.sources[id(guide)].path, lineno, f"引用 {m.group(0)} 无法解析：{zh}",
                                    "unresolved citation: " + en.rstrip(")"))
            for lineno, zh, en in markup.guide_problems(guide.body, guide.body_line):   # Markdown only
                self.report(self.sources[id(guide)].path, lineno, zh, en)


    def check_topics(self, content: Content) -> None:
        """A topic written once, outside the shared vocabulary and close to a known one, is a typo
        (家庭暴立 → 家庭暴力): it would get a home-page group or search facet of its own."""
        from collections import Counter
        entries = [(e, e.topics) for e in content.cases] + [(g, g.meta.topics) for g in content.guides]
        used = Counter(t for _, topics in entries for t in topics)
        known = set(SHARED_TOPICS) | set(content.settings.topics) | {t for t, n in used.items() if n > 1}
        for entry, topics in entries:
            for i, topic in enumerate(topics):
                if topic in known:
                    continue
                hint = did_you_mean(topic, sorted(known), cutoff=0.6)
                if hint:
                    self.report_at(entry, ("topics", i), f"主题“{topic}”没有别的内容用过{hint}"
                                   "（同一主题要写得一样，才能归到一起）", "unknown topic")

    def check_links(self, content: Content) -> None:
        """Markdown links and images in guides and content/pages that point nowhere."""
        from weiquan.content.links import check_links, page_set
        from weiquan.content.urls import guide_src
        pages_dir = self.root / "pages"
        hand_written = self.files(pages_dir, "*.md", recursive=True) if pages_dir.is_dir() else []
        pages = page_set(content) | {p.relative_to(pages_dir).as_posix() for p in hand_written}
        for guide in content.guides:
            path = self.sources[id(guide)].path
            for line, col, zh, en in check_links(guide.body.splitlines(), guide.body_line, guide_src(guide.slug),
                                                 pages, pages_dir):
                self.report(path, line, zh, en, col)
        for path in hand_written:
            text = self.read(path)   # MkDocs reads these itself: a GBK page must fail here, not there
            if text is None:
                continue
            m = FRONT_MATTER_RE.match(text)
            body, first = (text[m.end():], text[: m.end()].count("\n") + 1) if m else (text, 1)
            for line, col, zh, en in check_links(body.splitlines(), first, path.relative_to(pages_dir).as_posix(),
                                                 pages, pages_dir):
                self.report(path, line, zh, en, col)
            # MkDocs renders these itself: Markdown only, like guides; front matter goes into <title> raw
            for line, zh, en in markup.guide_problems(body, first):
                self.report(path, line, zh, en)
            for n, line in enumerate(text[: m.end()].splitlines() if m else [], start=1):
                if re.search(r"[<>&]", line):
                    self.report(path, n, "页面前言（--- 之间）里不能写 < > &：标题和说明只写文字",
                                "markup in front matter")

    def check_readings(self, content: Content) -> None:
        """Readings of names carried by cases, stations and guides."""
        for entry in [*content.cases, *content.stations]:
            self._check_reading_map(entry, entry.readings, ("readings",))
        for guide in content.guides:
            self._check_reading_map(guide, guide.meta.readings, ("readings",))

    def _check_reading_map(self, entry, readings: dict, loc: tuple) -> None:
        for name, reading in readings.items():
            try:
                parse_overrides({name: reading})
            except ValueError as exc:
                self.report_at(entry, (*loc, name), f"读音有误：{exc}", "bad pinyin reading")


# Guide topics everyone uses (docs: TEAM vocabulary); the first topic of a guide is its home-page group.
SHARED_TOPICS = ("家庭暴力", "人身安全保护令", "离婚", "子女抚养", "彩礼", "土地权益", "法律援助", "怀孕和产假",
                 "就业歧视", "性骚扰", "儿童性侵害", "重婚和同居", "拐卖", "老人赡养", "网络和隐私", "服务站", "维权服务站")


def law_hint(content: Content, name: str, en: str) -> str:
    """'，是不是“反家庭暴力法”？' for an unknown law name."""
    if not en.startswith("unknown law"):
        return ""
    from weiquan.content.library import split_version
    return did_you_mean(split_version(name)[0].strip(), content.law_by_name)


def read_text(path: Path) -> str:
    """Text of a file already read once by the loader (so known to be UTF-8)."""
    return path.read_text(encoding="utf-8-sig", errors="replace")


def slugify_filename(path: Path) -> str:
    return path.stem.lower()


def find_line(path: Path, needle: str) -> int:
    for i, line in enumerate(read_text(path).splitlines(), start=1):
        if needle in line:
            return i
    return 1
