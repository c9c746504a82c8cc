"""The content types: one entry per kind of file under content/.

Loading (`loader`), the unique-slug check (`checks`), the set of pages links may point to
(`links.page_set`), counts (`Content.counts`, `weiquan check`), `weiquan new` (`templates`) and
the JSON Schemas (`schema`) iterate TYPES; page generation and search documents (`site/`) read
`src`, `anchor` and `searchable`. A new type is its model (`model.py`) plus one entry here; a
starting file for `weiquan new` (`templates.BUILDERS`), its pages and, if searchable, its search
documents are written where those live."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Iterable, Optional

from pydantic import BaseModel

from weiquan.content import urls
from weiquan.content.model import Campaign, Case, Form, GuideMeta, Law, Station
from weiquan.content.yamlload import MAX_FILE_BYTES, MAX_LAW_FILE_BYTES


@dataclass(frozen=True)
class ContentType:
    name: str                          # folder under content/, Content attribute, counts key: "cases"
    kind: str                          # one entry: `weiquan new` kind, schema name, search document kind
    model: type[BaseModel]             # a file's model (Markdown: its front matter)
    label: str                         # Chinese, in counts: 案例
    src: Callable[[Any], str]          # source path of the page that shows an entry (urls.*_src)
    anchor: Optional[Callable[[Any], str]] = None   # its section on that page (stations share county pages)
    index_pages: Optional[Callable[[Any], Iterable[str]]] = None   # more pages an entry adds (station directory)
    pattern: str = "*.y*ml"            # its files in the folder; *.md: Markdown with YAML front matter
    searchable: bool = True            # has search documents (site/searchdocs.py)
    slug_scope: str = ""               # types sharing a scope need different slugs ("": the type alone)
    max_bytes: int = MAX_FILE_BYTES    # largest file read
    more_counts: tuple[tuple[str, str, Callable[[Any], int]], ...] = ()   # (key, 中文, content → n)

    @property
    def markdown(self) -> bool:
        return self.pattern.endswith(".md")

    @property
    def suffix(self) -> str:
        """Suffix of a new file (`weiquan new`)."""
        return ".md" if self.markdown else ".yaml"

    @property
    def scope(self) -> str:
        return self.slug_scope or self.name


def _station_src(st) -> str:
    return urls.station_dir_src(*urls.station_region_codes(st.region.code))


def _station_dirs(st) -> tuple[str, str]:
    prov, city, _county = urls.station_region_codes(st.region.code)
    return urls.station_dir_src(prov), urls.station_dir_src(prov, city)


def _articles(content) -> int:
    return sum(len(v) for v in content.articles_by_law.values())


TYPES: tuple[ContentType, ...] = (
    ContentType("laws", "law", Law, "法律", lambda law: urls.law_src(law.slug), max_bytes=MAX_LAW_FILE_BYTES,
                more_counts=(("articles", "条文", _articles),)),
    ContentType("cases", "case", Case, "案例", lambda case: urls.case_src(case.slug)),
    ContentType("stations", "station", Station, "服务站", _station_src, anchor=lambda st: st.slug,
                index_pages=_station_dirs),
    ContentType("campaigns", "campaign", Campaign, "活动", lambda camp: urls.campaign_src(camp.slug)),
    ContentType("guides", "guide", GuideMeta, "指南", lambda guide: urls.guide_src(guide.slug), pattern="*.md"),
    ContentType("forms", "form", Form, "申请引导", lambda form: urls.form_src(form.slug), searchable=False),
)


def by_name(name: str) -> ContentType:
    return next(t for t in TYPES if t.name == name)


def by_kind(kind: str) -> Optional[ContentType]:
    return next((t for t in TYPES if t.kind == kind), None)


def count_labels() -> list[tuple[str, str]]:
    """(counts key, 中文) in the order `weiquan check` prints them."""
    return [pair for t in TYPES for pair in [(t.name, t.label), *((k, label) for k, label, _ in t.more_counts)]]
