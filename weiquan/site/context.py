"""Everything page generators share: content, URL scheme, back-links, law page split."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Optional

from weiquan.content.citations import SHORTCODE_RE
from weiquan.content.dates import today
from weiquan.content.ids import Related
from weiquan.content.library import Content
from weiquan.content.model import Article, Law, Part
from weiquan.content.urls import Urls, case_src, guide_src, law_src
from weiquan.content.markup import md_text

MAX_ARTICLES_PER_PAGE = 60  # keeps a law page's first view small on phones (see README budgets)


@dataclass
class Page:
    src: str            # source path inside docs, e.g. laws/x/index.md
    markdown: str
    title: str
    readings: dict = field(default_factory=dict)  # name readings for the pinyin aid


@dataclass(frozen=True)
class PrintLink:
    """A PDF for printing that a page links (leaflet, print pack, station poster or register)."""
    label: str          # full label, the link's title
    short: str          # link text, e.g. 三折页
    path: str           # site-relative path, e.g. leaflets/sanba-2027/donghe-a5.pdf
    size: int           # bytes

    @property
    def kb(self) -> str:
        return f"{self.size / 1024:.0f} KB"


@dataclass
class CitedBy:
    kind: str           # 案例 / 指南
    title: str
    src: str
    provenance: str = ""  # a case's 示例 / 改编 / 已发布, shown as a badge beside its title


@dataclass
class LawPart:
    """One page of a (possibly split) law: a slice of its structure."""
    slug: str           # '' for the whole law on one page
    title: str
    parts: list[Part] = field(default_factory=list)
    articles: list[Article] = field(default_factory=list)  # top-level articles on this page


class SiteContext:
    """The site model: the content and everything pages share, built here once and then read
    only (setting an attribute afterwards is an error; ``with_related`` gives a copy)."""

    def __init__(self, content: Content, *, use_directory_urls: bool = True,
                 site_url: str = "", leaflets_for: Optional[Callable] = None,
                 related: Optional[Callable[[str, str], list[Related]]] = None,
                 station_prints: Optional[Callable] = None):
        law_pages = {law.slug: split_law(law) for law in content.laws}
        article_page = {}  # (law slug, key) -> law part slug
        for law in content.laws:
            for lp in law_pages[law.slug]:
                for article in articles_of(lp):
                    article_page[(law.slug, article.key)] = lp.slug
        from weiquan.site.calendars import station_event_counts
        station_campaigns: dict[str, list] = {}
        for camp in content.campaigns:
            for st in content.campaign_stations(camp):
                station_campaigns.setdefault(st.slug, []).append(camp)
        station_events = station_event_counts(content)   # station slug -> its calendar's events
        urls = Urls(use_directory_urls)
        self.__dict__.update(
            content=content, urls=urls, site_url=site_url, today=today(),
            # leaflets_for(campaign, station|None, pack=False, shop=False) -> [PrintLink] (files that exist)
            leaflets_for=leaflets_for or (lambda campaign, station=None, pack=False, shop=False: []),
            station_prints=station_prints or (lambda station: []),   # -> [PrintLink]: poster, register
            related=related or (lambda kind, slug: []),              # (kind, slug) -> [Related]
            law_pages=law_pages, article_page=article_page, station_campaigns=station_campaigns,
            station_events=station_events,
        )
        self.__dict__["cited_by"] = self._backlinks()

    def __setattr__(self, name, value):
        raise AttributeError(f"SiteContext is built once and read only (tried to set {name})")

    def with_related(self, related: Callable[[str, str], list[Related]]) -> "SiteContext":
        """The same site with its related content (computed by weiquan.search from its search documents)."""
        other = object.__new__(SiteContext)
        other.__dict__.update(self.__dict__, related=related)
        return other

    def station_src(self, station) -> str:
        from weiquan.content.urls import station_src
        return station_src(self.content.divisions(), station)

    # -- links ----------------------------------------------------------------------------
    def article_src(self, law: Law, article: Article) -> str:
        part = self.article_page[(law.slug, article.key)]
        return law_src(law.slug, part or None)

    def article_href(self, from_src: str, law: Law, article: Article) -> str:
        return self.urls.href(from_src, self.article_src(law, article), article.anchor)

    def law_href(self, from_src: str, law: Law) -> str:
        return self.urls.href(from_src, law_src(law.slug))

    def cite_label(self, law: Law, article: Article) -> str:
        return f"《{law.short_name}》{article.number}"

    def quote(self, from_src: str, citation) -> dict:
        """A cited article quoted in full with its link: {href, label, paragraphs}."""
        law, art = self.content.resolve(citation)
        return {"href": self.article_href(from_src, law, art), "label": self.cite_label(law, art),
                "paragraphs": art.paragraphs}

    def replace_shortcodes(self, text: str, from_src: str) -> str:
        """[[反家庭暴力法#23]] → link (the loader has already checked every shortcode)."""
        def sub(m):
            law_name, article, label = m.group(1), m.group(2), m.group(3)
            if article:
                law, art = self.content.resolve_ref(law_name, article)
                href, text = self.article_href(from_src, law, art), label or self.cite_label(law, art)
            else:
                law = self.content.find_law(law_name)
                href, text = self.law_href(from_src, law), label or "《" + law.short_name + "》"
            return f'<a class="wq-cite" href="{href}">{md_text(text)}</a>'   # text in Markdown: inert
        return SHORTCODE_RE.sub(sub, text)

    def resolve_links(self, markdown: str, from_src: str) -> str:
        """Relative Markdown links to pages ((../stations/index.md#x)) as the page's final URLs, so
        a page never depends on MkDocs finding the target among its files (a preview writes
        unchanged pages as HTML, which MkDocs cannot link to by their .md name)."""
        import posixpath

        from weiquan.content.links import LINK_RE

        def sub(m):
            target = m.group(3)
            path, _, anchor = target.partition("#")
            if not path.endswith(".md") or ":" in path or path.startswith(("/", "//")):
                return m.group(0)
            resolved = posixpath.normpath(posixpath.join(posixpath.dirname(from_src), path))
            if resolved.startswith(".."):
                return m.group(0)
            start, end = m.span(3)
            whole = m.group(0)
            offset = m.start(0)
            return whole[: start - offset] + self.urls.href(from_src, resolved, anchor) + whole[end - offset:]
        return LINK_RE.sub(sub, markdown)

    def _backlinks(self) -> dict[tuple[str, tuple[int, int]], list[CitedBy]]:
        out: dict = {}
        entries = [("案例", e, case_src(e.slug)) for e in self.content.cases] + \
                  [("指南", e, guide_src(e.slug)) for e in self.content.guides]
        for kind, entry, src in entries:
            for law, art in self.content.cited_articles(entry):
                out.setdefault((law.slug, art.key), []).append(
                    CitedBy(kind, entry.title, src, getattr(getattr(entry, "provenance", None), "type", "")))
        return out


def _count(part: Part) -> int:
    return len(part.articles) + sum(_count(p) for p in part.parts)


def articles_of(lp: LawPart):
    yield from lp.articles
    stack = list(lp.parts)
    while stack:
        p = stack.pop(0)
        yield from p.articles
        stack[0:0] = p.parts


def part_slug(part: Part, index: int) -> str:
    """Stable page slug for a part: 第二编 → b2, 第三章 → z3; unnumbered parts by position."""
    from weiquan.zh.numerals import cn_to_int
    import re
    code = {"编": "b", "分编": "fb", "章": "z", "节": "j", "附则": "fz", "部分": "p"}[part.kind]
    m = re.match(r"^(?:第([零〇一二三四五六七八九十百千\d]+)(?:编|分编|章|节)"
                 r"|([零〇一二三四五六七八九十百千]+)、|[（(]([零〇一二三四五六七八九十百千]+)[）)])",
                 part.heading)
    if m:
        return f"{code}{cn_to_int(next(g for g in m.groups() if g))}"
    return f"{code}{index + 1}"


def split_law(law: Law, limit: int = MAX_ARTICLES_PER_PAGE) -> list[LawPart]:
    """Whole law on one page if small; else one page per part, descending into big parts."""
    total = len(law.articles) + sum(_count(p) for p in law.parts)
    if total <= limit or not law.parts:
        return [LawPart("", law.short_name, law.parts, law.articles)]
    pages: list[LawPart] = []
    if law.articles:
        pages.append(LawPart("z0", "总则", [], law.articles))

    def visit(parts: list[Part], prefix: str, trail: str):
        for i, part in enumerate(parts):
            slug = (prefix + "-" if prefix else "") + part_slug(part, i)
            title = f"{trail} {part.heading}".strip()
            if _count(part) > limit and part.parts:
                if part.articles:
                    pages.append(LawPart(slug, title, [Part(kind=part.kind, heading=part.heading,
                                                            articles=part.articles)], []))
                visit(part.parts, slug, title)
            else:
                pages.append(LawPart(slug, title, [part], []))

    visit(law.parts, "", "")
    return pages
