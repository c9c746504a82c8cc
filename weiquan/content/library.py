"""The loaded content and its lookups (laws by any name, articles by any number form)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, NamedTuple, Optional

from weiquan.content import types
from weiquan.content.citations import SHORTCODE_RE, article_key
from weiquan.content import dates
from weiquan.content.model import Article, Campaign, Citation, GuideMeta, Law, Part, Settings, Station


@dataclass
class Guide:
    meta: GuideMeta
    slug: str
    body: str          # Markdown without front matter
    body_line: int     # line of the body's first line in the file

    @property
    def title(self) -> str:
        return self.meta.title


@dataclass
class Source:
    path: Path
    display: str       # path as shown in messages (content/…)
    data: object       # LineMap of the parsed YAML, for line lookups


@dataclass
class Page:
    """A hand-written page of content/pages/ (MkDocs renders it; checks read its links)."""
    path: Path
    src: str           # path under pages/, as the site sees it: safety.md
    front: str         # the front matter with its --- lines ("" when there is none)
    body: str          # the Markdown after it
    body_line: int     # line of the body's first line in the file


class SourceId(NamedTuple):
    """The stable id of an entry's file: its type and slug (n > 0 only for a repeated slug, which
    `weiquan check` refuses). Unlike id(entry), it survives a pickle."""
    type: str
    slug: str
    n: int = 0


SETTINGS_ID = SourceId("settings", "site")


def source_ids(name: str, entries: list) -> list[SourceId]:
    """The SourceId of each entry of type `name`, in order."""
    seen: dict[str, int] = {}
    out = []
    for entry in entries:
        n = seen[entry.slug] = seen.get(entry.slug, -1) + 1
        out.append(SourceId(name, entry.slug, n))
    return out


class UnresolvedReference(LookupError):
    """A citation names a law, version or article the content does not have. ``zh`` and ``en``
    say why; ``name`` is the law name as written (without @version)."""
    en = "unresolved reference"

    def __init__(self, zh: str, name: str = ""):
        super().__init__(f"{zh} ({self.en})")
        self.zh, self.name = zh, name

    def __reduce__(self):
        return type(self), (self.zh, self.name)


class UnknownLaw(UnresolvedReference):
    en = "unknown law"


class BadVersion(UnresolvedReference):
    en = "bad version date"


class UnknownVersion(UnresolvedReference):
    en = "no such version"


class BadArticle(UnresolvedReference):
    en = "bad article reference"


class UnknownArticle(UnresolvedReference):
    en = "no such article"


class Content:
    """The loaded content: settings and the entries of every type of the registry
    (``content.cases``, ``content.entries("cases")``), with lookups and the source of each entry."""

    def __init__(self, root: Path, settings: Settings, *, sources: Optional[dict[SourceId, Source]] = None,
                 pinyin: Optional[dict[str, list[str]]] = None, synonyms: Optional[dict[str, list[str]]] = None,
                 thesaurus=None, pages: Optional[list[Page]] = None, **entries: list):
        names = [t.name for t in types.TYPES]
        unknown = set(entries) - set(names)
        if unknown:
            raise TypeError(f"not a content type: {', '.join(sorted(unknown))}")
        self.root = root
        self.settings = settings
        self._entries: dict[str, list] = {name: entries[name] if entries.get(name) is not None else []
                                          for name in names}
        self.sources: dict[SourceId, Source] = sources if sources is not None else {}
        self.pinyin = pinyin if pinyin is not None else {}             # content/pinyin.yaml overrides
        self.synonyms = synonyms if synonyms is not None else {}       # content/synonyms.yaml: word -> meanings
        self.thesaurus = thesaurus   # the loaded synonyms.Thesaurus (where each meaning is written), for checks
        self.pages = pages if pages is not None else []                # content/pages/*.md
        self._ids: Optional[dict[str, dict[int, SourceId]]] = None   # type name -> {id(entry): SourceId}
        self.reindex()

    def __getattr__(self, name: str):
        """content.laws, content.cases, …: the entries of a registered type."""
        entries = self.__dict__.get("_entries")
        if entries is not None and name in entries:
            return entries[name]
        raise AttributeError(name)

    def __getstate__(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if k != "_ids"}   # ids of objects: not across processes

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state, _ids=None)

    def without_line_maps(self) -> "Content":
        """This content for a process that renders it only (the site engine): each source keeps
        its file and display path, not the parsed YAML with its lines that checks name lines
        from (at national scale 53 of the 90 MB `weiquan build` hands the engine)."""
        import dataclasses
        state = self.__getstate__()
        state["sources"] = {sid: dataclasses.replace(src, data=None) for sid, src in self.sources.items()}
        out = Content.__new__(Content)
        out.__setstate__(state)
        return out

    def entries(self, name: str) -> list:
        """The entries of content type `name` (types.TYPES), in file order."""
        return self._entries[name]

    def reindex(self) -> None:
        # Versions of one law: laws sharing a title or short name, or linked by replaced_by.
        # A name or alias stands for the whole law and resolves to its version in force; a
        # slug names one version.  A name shared by two different laws is ambiguous.
        self.law_versions: dict[str, list[Law]] = {}   # slug -> all versions, oldest first
        self.ambiguous_names: set[str] = set()
        self.ambiguous_laws: dict[str, list[Law]] = {}  # name -> laws of different groups using it
        groups = _version_groups(self.laws)
        today = dates.today()
        self.law_by_name: dict[str, Law] = {}
        group_of_name: dict[str, tuple[int, Law]] = {}
        for gi, versions in enumerate(groups):
            current = current_version(versions, today)
            for law in versions:
                self.law_versions[law.slug] = versions
            for law in versions:
                for name in dict.fromkeys([law.title, law.short_name, *law.aliases]):
                    first_gi, first_law = group_of_name.setdefault(name, (gi, law))
                    if first_gi != gi:
                        self.ambiguous_names.add(name)
                        self.ambiguous_laws.setdefault(name, [first_law]).append(law)
                    else:
                        self.law_by_name[name] = current
        for law in self.laws:   # a slug names exactly one version
            self.law_by_name[law.slug] = law
        self.articles_by_law = {law.slug: {a.key: a for a in iter_articles(law)} for law in self.laws}
        self.case_by_slug = {c.slug: c for c in self.cases}
        self.station_by_slug = {s.slug: s for s in self.stations}
        self.campaign_by_slug = {c.slug: c for c in self.campaigns}
        self.guide_by_slug = {g.slug: g for g in self.guides}
        self._ids = None

    def divisions(self):
        """National divisions plus the extra (示例) regions declared in site settings."""
        if getattr(self, "_divisions", None) is None:
            from weiquan.content.divisions import Division, national
            extra = [Division(r.code, r.name, r.level, r.parent) for r in self.settings.extra_regions]
            self._divisions = national().with_extra(extra)
        return self._divisions

    def counts(self) -> dict[str, int]:
        out = {}
        for t in types.TYPES:
            out[t.name] = len(self._entries[t.name])
            out.update((key, count(self)) for key, _label, count in t.more_counts)
        return out

    def find_law(self, name: str, version=None) -> Optional[Law]:
        """The law a name stands for (its version in force), or the pinned version
        (``version`` or ``name@YYYY-MM-DD``); None if unknown."""
        try:
            return self.lookup_law(name, version)
        except LookupError:
            return None

    def lookup_law(self, name: str, version=None) -> Law:
        """Like find_law, but raise UnknownLaw, BadVersion or UnknownVersion (UnresolvedReference)."""
        name, pinned = split_version(name)
        version = version or pinned
        law = self.law_by_name.get(name)
        if law is None:
            raise UnknownLaw(f"找不到法律“{name}”", name)
        if version is None:
            return law
        try:
            date = version if isinstance(version, dt.date) else dt.date.fromisoformat(str(version).strip())
        except ValueError:
            raise BadVersion(f"版本“{version}”应为日期 YYYY-MM-DD", name) from None
        versions = self.law_versions.get(law.slug, [law])
        for v in versions:
            if v.version == date:
                return v
        for v in versions:
            if date in (v.effective, v.published, v.adopted):
                return v
        known = "、".join(str(v.version or v.adopted) for v in versions)
        raise UnknownVersion(f"《{law.short_name}》没有 {date} 版本，现有版本：{known}", name)

    def versions_of(self, law: Law) -> list[Law]:
        """All versions of law, oldest first (just [law] if it has no other version)."""
        return self.law_versions.get(law.slug, [law])

    def current_of(self, law: Law) -> Law:
        return current_version(self.versions_of(law), dates.today())

    def resolve_ref(self, law_name: str, article: str, version=None) -> tuple[Law, Article]:
        """Raise an UnresolvedReference (UnknownLaw, UnknownArticle …) when the law or article is unknown."""
        law = self.lookup_law(law_name, version)
        try:
            key = article_key(article)
        except ValueError:
            raise BadArticle(f"条文序号“{article}”无法识别", split_version(law_name)[0]) from None
        found = self.articles_by_law[law.slug].get(key)
        if found is None:
            raise UnknownArticle(f"《{law.short_name}》没有“{article}”", split_version(law_name)[0])
        return law, found

    def resolve(self, citation: Citation) -> tuple[Law, Article]:
        return self.resolve_ref(citation.law, citation.article, citation.version)

    def cited_articles(self, entry) -> list[tuple[Law, Article]]:
        """The articles a case (its citations) or a guide (its [[…#…]] shortcodes) cites, in
        order, without repeats. Call only on loaded content: every reference resolves."""
        if isinstance(entry, Guide):
            refs = [self.resolve_ref(m.group(1), m.group(2))
                    for m in SHORTCODE_RE.finditer(entry.body) if m.group(2)]
        else:
            refs = [self.resolve(c) for c in entry.citations]
        seen, out = set(), []
        for law, art in refs:
            if (law.slug, art.key) not in seen:
                seen.add((law.slug, art.key))
                out.append((law, art))
        return out

    def source_id(self, entry) -> Optional[SourceId]:
        """The SourceId of a loaded entry (or of the settings)."""
        if entry is self.settings:
            return SETTINGS_ID
        if self._ids is None:
            self._ids = {}
        for name, entries in self._entries.items():   # the entry's type: that of the first entry
            if entries and type(entries[0]) is type(entry):
                ids = self._ids.get(name)
                if ids is None or id(entry) not in ids:
                    ids = self._ids[name] = {id(e): sid for e, sid in zip(entries, source_ids(name, entries))}
                if id(entry) in ids:
                    return ids[id(entry)]
        return None

    def source(self, entry) -> Optional[Source]:
        """Where an entry was read (file, path as shown, its YAML with lines); None if not from a file."""
        return self.sources.get(self.source_id(entry))

    def campaign_stations(self, campaign: Campaign) -> list[Station]:
        """Stations taking part: the leaflet list (``all``: every station of the site) plus
        stations named by events, in order."""
        listed = [s.slug for s in self.stations] if campaign.leaflet.stations == "all" else campaign.leaflet.stations
        slugs = list(dict.fromkeys([*listed, *(e.station for e in campaign.events if e.station)]))
        return [self.station_by_slug[s] for s in slugs if s in self.station_by_slug]


def split_version(name: str) -> tuple[str, Optional[str]]:
    """'治安管理处罚法@2012-10-26' -> ('治安管理处罚法', '2012-10-26'); no '@' -> (name, None)."""
    name, at, version = str(name).strip().partition("@")
    return name.strip(), (version.strip() or None) if at else None


def version_date(law: Law) -> dt.date:
    return law.version or law.adopted


def current_version(versions: list[Law], today: dt.date) -> Law:
    """The version in force (status 有效 and effective ≤ today, newest first), else the newest."""
    in_force = [v for v in versions if v.status == "有效" and (v.effective is None or v.effective <= today)]
    return max(in_force or versions, key=version_date)


def _version_groups(laws: list[Law]) -> list[list[Law]]:
    """Union of laws sharing a title or short name or linked by replaced_by; oldest first."""
    parent = list(range(len(laws)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first: dict[str, int] = {}
    for i, law in enumerate(laws):
        for key in (("t", law.title), ("s", law.short_name), ("slug", law.slug)):
            j = first.setdefault(repr(key), i)
            parent[find(i)] = find(j)
    for i, law in enumerate(laws):
        if law.replaced_by and repr(("slug", law.replaced_by)) in first:
            parent[find(i)] = find(first[repr(("slug", law.replaced_by))])
    groups: dict[int, list[Law]] = {}
    for i, law in enumerate(laws):
        groups.setdefault(find(i), []).append(law)
    return [sorted(g, key=version_date) for g in groups.values()]


def iter_articles(law: Law) -> Iterator[Article]:
    for article, _path in iter_articles_with_path(law):
        yield article


def iter_articles_with_path(law: Law) -> Iterator[tuple[Article, tuple[Part, ...]]]:
    def walk(parts: list[Part], path: tuple[Part, ...]):
        for part in parts:
            here = (*path, part)
            for article in part.articles:
                yield article, here
            yield from walk(part.parts, here)

    for article in law.articles:
        yield article, ()
    yield from walk(law.parts, ())
