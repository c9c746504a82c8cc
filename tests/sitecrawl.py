"""Reads a built site from disk: pages, ids, links and sub-resource references."""

from __future__ import annotations

import html.parser
import posixpath
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

RESOURCE_ATTRS = {("img", "src"), ("script", "src"), ("iframe", "src"), ("source", "src"), ("audio", "src"),
                  ("video", "src"), ("embed", "src"), ("object", "data"), ("link", "href")}


@dataclass
class ParsedPage:
    ids: set = field(default_factory=set)
    links: list = field(default_factory=list)       # <a href>
    resources: list = field(default_factory=list)   # sub-resources (src, stylesheet, icon …)
    inline_styles: list = field(default_factory=list)


class _Parser(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.page = ParsedPage()
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for key in ("id", "name"):
            if a.get(key) and (key == "id" or tag == "a"):
                self.page.ids.add(a[key])
        if tag == "a" and a.get("href"):
            self.page.links.append(a["href"])
        for t, attr in RESOURCE_ATTRS:
            if tag == t and a.get(attr):
                if tag == "link" and a.get("rel") in ("canonical", "alternate", "prev", "next", "search"):
                    continue
                self.page.resources.append(a[attr])
        if a.get("style"):
            self.page.inline_styles.append(a["style"])
        self._in_style = tag == "style"

    def handle_data(self, data):
        if self._in_style:
            self.page.inline_styles.append(data)


def parse(path: Path) -> ParsedPage:
    p = _Parser()
    p.feed(path.read_text(encoding="utf-8"))
    return p.page


def is_external(url: str) -> bool:
    s = urlsplit(url)
    return bool(s.scheme in ("http", "https") or url.startswith("//"))


def resolve(site: Path, page: Path, href: str) -> tuple[Path | None, str]:
    """The file an internal link points to (None for non-file schemes) and its fragment."""
    s = urlsplit(href)
    if s.scheme or href.startswith("//"):
        return None, ""
    if not s.path:
        return page, unquote(s.fragment)
    if s.path.startswith("/"):
        target = site / unquote(s.path).lstrip("/")
    else:
        target = Path(posixpath.normpath(posixpath.join(page.parent.as_posix(), unquote(s.path))))
    if target.is_dir() or s.path.endswith("/"):
        target = target / "index.html"
    return target, unquote(s.fragment)
