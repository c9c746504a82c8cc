"""Which pages a change affects: compare two built sites (`weiquan diff OLD NEW`).

A page is "changed" when its title or main text (the <article> MkDocs writes) differs; a page
whose only difference is the menu or the page furniture (a new guide adds a menu entry to every
page) counts as "menu only". Leaflets (PDF) and calendars are compared byte for byte."""

from __future__ import annotations

import hashlib
import html
import re
from dataclasses import dataclass, field
from pathlib import Path

_ARTICLE = re.compile(r'<article class="md-content__inner[^"]*">(.*?)</article>', re.S)
_TITLE = re.compile(r"<title>(.*?)</title>", re.S)
_H1 = re.compile(r"<h1[^>]*>(.*?)</h1>", re.S)
_TAGS = re.compile(r"<[^>]+>")
_NONCE = re.compile(r'\s(?:nonce|integrity)="[^"]*"')
FILE_KINDS = (".pdf", ".ics")


@dataclass
class Page:
    url: str
    title: str
    body: str      # digest of the main text
    whole: str     # digest of the whole file


@dataclass
class SiteDiff:
    added: list[Page] = field(default_factory=list)
    changed: list[Page] = field(default_factory=list)
    removed: list[Page] = field(default_factory=list)
    menu_only: list[Page] = field(default_factory=list)
    files_added: list[str] = field(default_factory=list)
    files_changed: list[str] = field(default_factory=list)
    files_removed: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.added or self.changed or self.removed or self.files_added or self.files_changed
                    or self.files_removed)


def _digest(text: str | bytes) -> str:
    return hashlib.sha256(text.encode() if isinstance(text, str) else text).hexdigest()


def _url(rel: str) -> str:
    return rel[: -len("index.html")] if rel.endswith("index.html") else rel


def read_pages(site: Path) -> dict[str, Page]:
    pages = {}
    for path in sorted(Path(site).rglob("*.html")):
        rel = path.relative_to(site).as_posix()
        if rel.startswith(("assets/", "search/")):
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        m = _ARTICLE.search(text)
        body = _NONCE.sub("", m.group(1) if m else text)
        h1 = _H1.search(m.group(1)) if m else None
        t = _TITLE.search(text)
        title = html.unescape(_TAGS.sub("", (h1 or t).group(1))).strip() if (h1 or t) else rel
        pages[_url(rel)] = Page(_url(rel), title, _digest(body), _digest(_NONCE.sub("", text)))
    return pages


def read_files(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): _digest(p.read_bytes())
            for p in sorted(Path(site).rglob("*")) if p.suffix in FILE_KINDS and p.is_file()}


def compare(old: Path | None, new: Path) -> SiteDiff:
    """old None or missing: everything in new is added."""
    before = read_pages(old) if old and Path(old).is_dir() else {}
    after = read_pages(new)
    out = SiteDiff()
    for url, page in after.items():
        was = before.get(url)
        if was is None:
            out.added.append(page)
        elif was.body != page.body or was.title != page.title:
            out.changed.append(page)
        elif was.whole != page.whole:
            out.menu_only.append(page)
    out.removed = [p for url, p in before.items() if url not in after]
    fb = read_files(old) if old and Path(old).is_dir() else {}
    fa = read_files(new)
    out.files_added = [f for f in fa if f not in fb]
    out.files_changed = [f for f in fa if f in fb and fa[f] != fb[f]]
    out.files_removed = [f for f in fb if f not in fa]
    return out


def markdown(diff: SiteDiff, base_url: str = "", limit: int = 50, old_missing: bool = False) -> str:
    """A pull-request comment in Chinese."""
    base = base_url.rstrip("/") + "/" if base_url else ""
    lines = ["## 这次修改影响的网页", ""]
    if old_missing:
        lines += ["修改前的网站没能生成（可能是修改前的内容就有错误），下面列出的是修改后的全部页面。", ""]
    if diff.empty:
        lines += ["网页内容没有变化。" + (f"（{len(diff.menu_only)} 页只是菜单变了）" if diff.menu_only else "")]
        return "\n".join(lines) + "\n"
    lines.append(f"新增 **{len(diff.added)}** 页 · 修改 **{len(diff.changed)}** 页 · 删除 **{len(diff.removed)}** 页"
                 + (f" · 另有 {len(diff.menu_only)} 页只是菜单变了" if diff.menu_only else ""))

    def section(name: str, pages: list[Page], link: bool = True) -> None:
        if not pages:
            return
        lines.extend(["", f"### {name}（{len(pages)}）", ""])
        for p in pages[:limit]:
            title = p.title.replace("[", "［").replace("]", "］")
            lines.append(f"- [{title}]({base}{p.url})" if link and base else f"- {title}（`/{p.url}`）")
        if len(pages) > limit:
            lines.append(f"- ……还有 {len(pages) - limit} 页")

    section("新增", diff.added)
    section("修改", diff.changed)
    section("删除", diff.removed, link=False)
    files = [("新增", diff.files_added), ("修改", diff.files_changed), ("删除", diff.files_removed)]
    if any(f for _, f in files):
        lines.extend(["", "### 宣传单和日历", ""])
        for name, items in files:
            for f in items[:limit]:
                lines.append(f"- {name}：`{f}`")
    return "\n".join(lines) + "\n"
