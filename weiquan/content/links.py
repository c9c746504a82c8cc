"""Markdown links and images in guides and hand-written pages that point nowhere.

A relative link is resolved like MkDocs does: against the page's own source path in the site
(guides/<slug>.md, or the path under content/pages/), then looked up in the set of pages the
site will have (laws, cases, guides, stations, campaigns, forms, content/pages) or in the files
of content/pages (images, PDFs)."""

from __future__ import annotations

import posixpath
import re
from pathlib import Path
from typing import Iterable, Iterator
from urllib.parse import unquote

from weiquan.content import types
# folders the build writes besides pages (leaflets PDFs, calendars, search) – not checked here
GENERATED_PREFIXES = ("leaflets/", "calendars/", "search/", "assets/")

_FENCE = re.compile(r"^\s*(```|~~~)")
_INLINE_CODE = re.compile(r"`+[^`]*`+")
_LINK = re.compile(r"(!?)\[((?:[^\[\]]|\[[^\[\]]*\])*)\]\(\s*<?([^)\s>]*)>?(?:\s+[\"'(][^)]*)?\)")
LINK_RE = _LINK   # (image mark, label, target) of an inline link, for the site's link rewriting
_REF_DEF = re.compile(r"^\s{0,3}\[([^\]]+)\]:\s*<?(\S+?)>?(?:\s+.*)?$")
_HTML_ATTR = re.compile(r"""<(?:a|img)\b[^>]*?\b(href|src)\s*=\s*["']([^"']*)["']""", re.I)
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


def page_set(content) -> set[str]:
    """Source paths (as MkDocs sees them) of every page the site will have."""
    pages = {"index.md", *(f"{t.name}/index.md" for t in types.TYPES)}
    for t in types.TYPES:
        for entry in content.entries(t.name):
            pages.add(t.src(entry))
            if t.index_pages:
                pages.update(t.index_pages(entry))
    return pages


def iter_links(lines: Iterable[str], first_line: int) -> Iterator[tuple[int, int, str, bool]]:
    """(line, column, target, is_image) of every link outside code."""
    fenced = False
    for lineno, line in enumerate(lines, start=first_line):
        if _FENCE.match(line):
            fenced = not fenced
            continue
        if fenced or line.startswith("    ") and not line.strip().startswith(("-", "*", "[", "!")):
            continue
        masked = _INLINE_CODE.sub(lambda m: " " * len(m.group(0)), line)
        for m in _LINK.finditer(masked):
            yield lineno, m.start(3) + 1, m.group(3), m.group(1) == "!"
        m = _REF_DEF.match(masked)
        if m:
            yield lineno, m.start(2) + 1, m.group(2), False
        for m in _HTML_ATTR.finditer(masked):
            yield lineno, m.start(2) + 1, m.group(2), m.group(1).lower() == "src"


def check_links(lines: Iterable[str], first_line: int, src: str, pages: set[str],
                files_root: Path) -> Iterator[tuple[int, int, str, str]]:
    """(line, column, 中文, English) for each link or image that points nowhere."""
    for lineno, col, target, image in iter_links(lines, first_line):
        what = "图片" if image else "链接"
        if not target:
            yield lineno, col, f"{what}地址是空的：括号里要写页面或文件，如 (../stations/index.md)", "empty link"
            continue
        if target.startswith("#") or _SCHEME.match(target) or target.startswith("//"):
            continue   # anchors on the page; web and tel: links (the security checks vet schemes)
        path = unquote(target.split("#", 1)[0].split("?", 1)[0])
        if not path:
            continue
        base = "" if path.startswith("/") else posixpath.dirname(src)
        resolved = posixpath.normpath(posixpath.join(base, path.lstrip("/")))
        if resolved.startswith("../") or resolved == "..":
            yield lineno, col, f"{what}“{target}”指向网站以外", "link points outside the site"
            continue
        if _exists(resolved, path, pages, files_root):
            continue
        hint = "" if image else _suggest(resolved, src, pages)
        yield (lineno, col, f"{what}“{target}”指向的{'文件' if image else '页面'}不存在{hint}",
               "broken link" if not image else "broken image")


def _exists(resolved: str, written: str, pages: set[str], files_root: Path) -> bool:
    if resolved.startswith(GENERATED_PREFIXES):
        return True
    if resolved.endswith(".md"):
        return resolved in pages or resolved.split("/")[0] == "laws" and _law_part(resolved, pages)
    if written.endswith("/") or "." not in posixpath.basename(resolved):   # a page's address: stations/
        stem = resolved.rstrip("/")
        if stem in ("", "."):
            return True
        return f"{stem}/index.md" in pages or f"{stem}.md" in pages or _law_part(f"{stem}.md", pages)
    return (files_root / resolved).is_file()


def _law_part(resolved: str, pages: set[str]) -> bool:
    """laws/<slug>/<part>.md: parts of a split law (named by the site), valid if the law exists."""
    bits = resolved.split("/")
    return len(bits) == 3 and f"laws/{bits[1]}/index.md" in pages


def _suggest(resolved: str, src: str, pages: set[str]) -> str:
    import difflib
    folder = posixpath.dirname(resolved)
    same = {posixpath.basename(p): p for p in pages if posixpath.dirname(p) == folder and not p.endswith("index.md")}
    found = difflib.get_close_matches(posixpath.basename(resolved), list(same), n=1, cutoff=0.75)
    if found:
        return f"，是不是“{posixpath.relpath(same[found[0]], posixpath.dirname(src) or '.')}”？"
    if folder in {t.name for t in types.TYPES} and f"{folder}/index.md" in pages:
        return f"（{folder}/ 下没有这个页面；目录页是“{posixpath.relpath(folder + '/index.md', posixpath.dirname(src) or '.')}”）"
    return ""
