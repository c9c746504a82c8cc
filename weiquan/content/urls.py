"""Where each generated page lives, and relative links between pages (http and file://)."""

from __future__ import annotations

import functools
import posixpath


@functools.lru_cache(maxsize=1 << 16)
def relpath(path: str, start: str) -> str:
    """posixpath.relpath for site paths, without its abspath calls (a national build makes
    ~100,000 links)."""
    p = [x for x in path.split("/") if x and x != "."]
    s = [x for x in start.split("/") if x and x != "."]
    if ".." in p or ".." in s or path.startswith("/") or start.startswith("/"):
        return posixpath.relpath(path, start)
    i = 0
    while i < len(p) and i < len(s) and p[i] == s[i]:
        i += 1
    return "/".join([".."] * (len(s) - i) + p[i:]) or "."


class Urls:
    """Maps source paths (laws/x.md) to URLs the way MkDocs does, for links inside raw HTML."""

    def __init__(self, use_directory_urls: bool = True):
        self.dir_urls = use_directory_urls

    def url(self, src: str) -> str:
        """'laws/x.md' -> 'laws/x/' (or 'laws/x.html'); 'laws/index.md' -> 'laws/'."""
        stem = src[:-3]
        if posixpath.basename(stem) in ("index", "README"):
            base = posixpath.dirname(stem)
            return (base + "/" if base else "") + ("" if self.dir_urls else "index.html")
        return stem + "/" if self.dir_urls else stem + ".html"

    def dest(self, src: str) -> str:
        """The HTML file MkDocs writes for src: 'laws/x.md' -> 'laws/x/index.html'."""
        url = self.url(src)
        return url + "index.html" if url == "" or url.endswith("/") else url

    def href(self, from_src: str, to_src: str, anchor: str = "") -> str:
        """Relative link from the page built from from_src to to_src (+#anchor)."""
        frag = f"#{anchor}" if anchor else ""
        from_url, to_url = self.url(from_src), self.url(to_src)
        if from_url == to_url and frag:
            return frag
        return self.relative(from_url, to_url) + frag

    def relative(self, from_url: str, to_path: str) -> str:
        """Relative path from a page URL to any site path (asset or page URL)."""
        from_dir = from_url if from_url.endswith("/") or not from_url else posixpath.dirname(from_url) + "/"
        rel = relpath(to_path or ".", from_dir.rstrip("/") or ".")
        if to_path.endswith("/") and not rel.endswith("/"):
            rel += "/"
        if rel == "./":
            rel = "./"
        if not self.dir_urls and (to_path == "" or to_path.endswith("/")):
            rel = rel.rstrip("/") + "/index.html" if rel not in (".", "./") else "index.html"
        return rel

    def root(self, from_src: str) -> str:
        """Relative path from a page to the site root, ending in '/' ('' at the root)."""
        depth = self.url(from_src).count("/")
        return "../" * depth if depth else "./"


# Source paths of generated pages, one function per content type.

def law_src(slug: str, part: str | None = None) -> str:
    return f"laws/{slug}/{part}.md" if part else f"laws/{slug}/index.md"


def case_src(slug: str) -> str:
    return f"cases/{slug}.md"


def guide_src(slug: str) -> str:
    return f"guides/{slug}.md"


def form_src(slug: str) -> str:
    return f"forms/{slug}.md"


def campaign_src(slug: str) -> str:
    return f"campaigns/{slug}.md"


def station_region_codes(code: str) -> tuple[str, str, str]:
    """(province, city, county) codes of a county or township statistical code: the code set
    nests by prefix (11 → 1101 → 110101 → 110101001)."""
    return code[:2], code[:4], code[:6]


def station_page_url(code: str, slug: str) -> str:
    """Site path of a station: a section of its county page."""
    return "stations/" + "/".join(station_region_codes(code)) + f"/#{slug}"


def station_dir_src(*codes: str) -> str:
    """stations/index.md, stations/<prov>/index.md, …/<city>/index.md, …/<county>.md."""
    if len(codes) == 3:
        return "stations/" + "/".join(codes) + ".md"
    return "stations/" + "".join(c + "/" for c in codes) + "index.md"


def station_src(divs, st) -> str:
    """Source path of the county page that holds station st (its section is #<slug>)."""
    return station_dir_src(*station_region_codes(st.region.code))
