"""Fast previews (``mkdocs serve``): a rebuild renders again only the pages whose inputs
changed; every other page is written from the HTML of the previous build.

A page's inputs are its generated Markdown plus one site-wide key: the engine's config file
and site URL, the project's template overrides, the shared template data (hotlines) and the
titles of the pages in the navigation (which every page's menu shows). Pages in the
navigation are always rendered. Only previews reuse pages; ``mkdocs build`` renders all.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field


@dataclass
class Rendered:
    key: str
    html: str
    extras: dict[str, str] = field(default_factory=dict)   # site path -> file holding its bytes


def tree_stamp(dirs) -> str:
    """Names, sizes and modification times of every file under dirs."""
    h = hashlib.sha256()
    for d in dirs:
        for root, subdirs, files in os.walk(d):
            subdirs.sort()
            for name in sorted(files):
                st = os.stat(os.path.join(root, name))
                h.update(f"{root}/{name}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    return h.hexdigest()


def site_key(*, config_text: bytes, site_url: str, theme_dirs, shared: dict,
             nav_titles: list[str], code: bytes = b"") -> str:
    """Everything besides its own Markdown that shapes a page's HTML (theme_dirs: the
    project's template overrides; the installed theme changes only with a new process)."""
    h = hashlib.sha256(config_text)
    h.update(site_url.encode() + b"\0" + tree_stamp(theme_dirs).encode() + b"\0" + code)
    h.update(json.dumps(shared, ensure_ascii=False, sort_keys=True).encode())
    for title in nav_titles:
        h.update(b"\0" + title.encode())
    return h.hexdigest()


class PageReuse:
    """The rendered pages of the last preview build of this process."""

    def __init__(self):
        self.site_key = ""
        self._last: dict[str, Rendered] = {}
        self.reused = 0

    def begin(self, key: str) -> None:
        if key != self.site_key:
            self._last.clear()
            self.site_key = key
        self.reused = 0

    def _key(self, markdown: str) -> str:
        return hashlib.sha256((self.site_key + "\0" + markdown).encode()).hexdigest()

    def reusable(self, src: str, markdown: str) -> Rendered | None:
        r = self._last.get(src)
        if r is None or r.key != self._key(markdown) or not all(os.path.exists(p) for p in r.extras.values()):
            return None
        self.reused += 1
        return r

    def remember(self, src: str, markdown: str, html: str, extras: dict[str, str] | None = None) -> None:
        self._last[src] = Rendered(self._key(markdown), html, dict(extras or {}))


REUSE = PageReuse()   # lives as long as the serving process; the engine reloads its hooks each build



def nav_sources(nav) -> set[str]:
    """Source paths named in an engine's nav setting (nested lists of {title: path})."""
    out: set[str] = set()
    if isinstance(nav, str):
        if nav.endswith(".md"):
            out.add(nav)
    elif isinstance(nav, dict):
        for v in nav.values():
            out |= nav_sources(v)
    elif isinstance(nav, list):
        for v in nav:
            out |= nav_sources(v)
    return out


def plan(pages, reuse: PageReuse | None, key_inputs: dict | None = None, nav=None):
    """(pages to render, [(page, Rendered)] to write as they were). Without ``reuse`` (a full
    build) everything is rendered. key_inputs: site_key's arguments except nav_titles."""
    if reuse is None:
        return list(pages), []
    always = nav_sources(nav)
    reuse.begin(site_key(nav_titles=[p.title for p in pages if p.src in always], **(key_inputs or {})))
    render, kept = [], []
    for p in pages:
        r = None if p.src in always else reuse.reusable(p.src, p.markdown)
        (render.append(p) if r is None else kept.append((p, r)))
    return render, kept
