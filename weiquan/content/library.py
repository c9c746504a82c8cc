"""The loaded content and its lookups (laws by any name, articles by any number form)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, Optional

from weiquan.content.citations import SHORTCODE_RE, article_key
from weiquan.content.model import Article, Campaign, Case, Citation, GuideMeta, Law, Part, Settings, Station


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
class Content:
    root: Path
    settings: Settings
    laws: list[Law] = field(default_factory=list)
    cases: list[Case] = field(default_factory=list)
    stations: list[Station] = field(default_factory=list)
    campaigns: list[Campaign] = field(default_factory=list)
    guides: list[Guide] = field(default_factory=list)
    sources: dict[int, Source] = field(default_factory=dict)  # id(entry) -> Source
    pinyin: dict[str, list[str]] = field(default_factory=dict)  # content/pinyin.yaml overrides

    def __post_init__(self):
        self.reindex()

    def reindex(self) -> None:
        self.law_by_name: dict[str, Law] = {}
        self.ambiguous_names: set[str] = set()
        for law in self.laws:
            for name in {law.slug, law.title, law.short_name, *law.aliases}:
                other = self.law_by_name.get(name)
                if other is not None and other is not law:
                    self.ambiguous_names.add(name)
                self.law_by_name[name] = law
        self.articles_by_law = {law.slug: {a.key: a for a in iter_articles(law)} for law in self.laws}
        self.case_by_slug = {c.slug: c for c in self.cases}
        self.station_by_slug = {s.slug: s for s in self.stations}
        self.campaign_by_slug = {c.slug: c for c in self.campaigns}
        self.guide_by_slug = {g.slug: g for g in self.guides}

    def divisions(self):
        """National divisions plus the extra (示例) regions declared in site settings."""
        if getattr(self, "_divisions", None) is None:
            from weiquan.content.divisions import Division, national
            extra = [Division(r.code, r.name, r.level, r.parent) for r in self.settings.extra_regions]
            self._divisions = national().with_extra(extra)
        return self._divisions

    def counts(self) -> dict[str, int]:
        return {"laws": len(self.laws), "articles": sum(len(v) for v in self.articles_by_law.values()),
                "cases": len(self.cases), "stations": len(self.stations),
                "campaigns": len(self.campaigns), "guides": len(self.guides)}

    def find_law(self, name: str) -> Optional[Law]:
        return self.law_by_name.get(name.strip())

    def resolve_ref(self, law_name: str, article: str) -> tuple[Law, Article]:
        """Raise LookupError with a Chinese message when the law or article is unknown."""
        law = self.find_law(law_name)
        if law is None:
            raise LookupError(f"找不到法律“{law_name}” (unknown law)")
        try:
            key = article_key(article)
        except ValueError:
            raise LookupError(f"条文序号“{article}”无法识别 (bad article reference)") from None
        found = self.articles_by_law[law.slug].get(key)
        if found is None:
            raise LookupError(f"《{law.short_name}》没有“{article}” (no such article)")
        return law, found

    def resolve(self, citation: Citation) -> tuple[Law, Article]:
        return self.resolve_ref(citation.law, citation.article)

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

    def source(self, entry) -> Optional[Source]:
        return self.sources.get(id(entry))

    def campaign_stations(self, campaign: Campaign) -> list[Station]:
        """Stations taking part: the leaflet list plus stations named by events, in order."""
        slugs = list(dict.fromkeys([*campaign.leaflet.stations,
                                    *(e.station for e in campaign.events if e.station)]))
        return [self.station_by_slug[s] for s in slugs if s in self.station_by_slug]


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
