"""Last pass over the built site folder, for the first view on a slow phone:

* the theme's stylesheets (Material's main.*.css and palette.*.css) keep only the rules whose
  classes, ids, colour palette and direction occur in the built pages — the site uses a small
  part of Material (no search, tabs, content tabs, code blocks …);
* text files get precompressed copies beside them (`.gz`, and `.br` when the `brotli` package is
  installed), so nginx (`gzip_static`/`brotli_static`) or a CDN can send them without
  compressing on every request.

Runs after all pages are written (the MkDocs adapter's post-build step), never on content.
"""

from __future__ import annotations

import gzip
import re
from pathlib import Path

THEME_CSS = re.compile(r"^(?:main|palette)\.[0-9a-f]{8}\.min\.css$")
COMPRESS_SUFFIXES = {".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".webmanifest", ".ics"}
MIN_COMPRESS = 512    # bytes; smaller files are sent as they are (nginx: gzip_min_length)
# Brotli 5: about as fast as gzip -9 and still a little smaller; 11 is ~40× slower (a national
# build has ~200 MB of text).
BROTLI_QUALITY = 5

# ---------------------------------------------------------------------------- what pages use

_CLASS_ATTR = re.compile(r"""\sclass\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.I)
_ID_ATTR = re.compile(r"""\sid\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.I)
_KEYED_ATTR = re.compile(r"""\s(data-md-color-[a-z]+|dir)\s*=\s*"([^"]*)\"""", re.I)
_JS_CLASS = re.compile(r"""["'\s.]((?:md|wq)-[A-Za-z0-9_-]+)""")
_TAG = re.compile(r"<([a-zA-Z][a-zA-Z0-9-]*)")
_JS_TAG = re.compile(r"""createElement\(\s*["']([a-zA-Z][a-zA-Z0-9-]*)["']""")
ALWAYS_TAGS = {"html", "body", "ruby", "rt", "rp"}   # the pinyin payload adds ruby/rt


class Used:
    def __init__(self):
        self.classes: set[str] = set()
        self.ids: set[str] = set()
        self.keyed: set[str] = set()   # 'data-md-color-primary=deep-purple', 'dir=ltr'
        self.tags: set[str] = set(ALWAYS_TAGS)

    def add_html(self, text: str) -> None:
        for m in _CLASS_ATTR.finditer(text):
            self.classes.update((m.group(1) or m.group(2) or m.group(3) or "").split())
        for m in _ID_ATTR.finditer(text):
            self.ids.add(m.group(1) or m.group(2) or m.group(3) or "")
        for m in _KEYED_ATTR.finditer(text):
            self.keyed.add(f"{m.group(1).lower()}={m.group(2)}")
        self.tags.update(t.lower() for t in _TAG.findall(text))

    def add_script(self, text: str) -> None:
        """Class names a script may set (string literals that look like md-… / wq-… names)."""
        self.classes.update(_JS_CLASS.findall(text))
        self.tags.update(t.lower() for t in _JS_TAG.findall(text))


def used_in(site_dir: Path) -> Used:
    used = Used()
    for p in site_dir.rglob("*.html"):
        used.add_html(p.read_text(encoding="utf-8", errors="replace"))
    js = site_dir / "assets" / "javascripts"
    for p in js.glob("*.js") if js.is_dir() else []:
        if not p.name.startswith("bundle."):
            used.add_script(p.read_text(encoding="utf-8", errors="replace"))
    return used


# ---------------------------------------------------------------------------- CSS subset

_KEEP_WHOLE = ("@font-face", "@keyframes", "@-webkit-keyframes", "@property", "@page", "@counter-style",
               "@font-feature-values", "@charset", "@import", "@namespace")
_FUNCTIONAL = re.compile(r":(?:not|is|where|has|matches|-webkit-any|-moz-any)\(")
_ATTR = re.compile(r"\[([^\]]*)\]")
_CLASS = re.compile(r"\.(-?[_a-zA-Z\\][\w\\-]*)")
_ID = re.compile(r"#(-?[_a-zA-Z\\][\w\\-]*)")
_PSEUDO = re.compile(r"::?[\w-]+(?:\([^)]*\))?")
_TYPE = re.compile(r"(?:^|(?<=[\s>+~]))([a-zA-Z][a-zA-Z0-9-]*)")


def _skip_string(css: str, i: int) -> int:
    quote = css[i]
    i += 1
    while i < len(css) and css[i] != quote:
        i += 2 if css[i] == "\\" else 1
    return i + 1


def _block_end(css: str, i: int) -> int:
    """Index just past the '}' matching the '{' at css[i]."""
    depth = 0
    while i < len(css):
        c = css[i]
        if c in "\"'":
            i = _skip_string(css, i)
            continue
        if c == "/" and css.startswith("/*", i):
            j = css.find("*/", i + 2)
            i = len(css) if j < 0 else j + 2
            continue
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return len(css)


def _prelude_end(css: str, i: int) -> int:
    """Index of the '{' or ';' that ends the prelude starting at i."""
    while i < len(css):
        c = css[i]
        if c in "\"'":
            i = _skip_string(css, i)
            continue
        if c == "/" and css.startswith("/*", i):
            j = css.find("*/", i + 2)
            i = len(css) if j < 0 else j + 2
            continue
        if c in "{;":
            return i
        i += 1
    return len(css)


def _split_selectors(prelude: str) -> list[str]:
    out, depth, start = [], 0, 0
    for i, c in enumerate(prelude):
        if c in "([":
            depth += 1
        elif c in ")]":
            depth -= 1
        elif c == "," and depth == 0:
            out.append(prelude[start:i])
            start = i + 1
    out.append(prelude[start:])
    return out


def _strip_functional(sel: str) -> str:
    """The selector without the arguments of :not()/:is()/… (those never make a rule required)."""
    while True:
        m = _FUNCTIONAL.search(sel)
        if not m:
            return sel
        depth, i = 1, m.end()
        while i < len(sel) and depth:
            depth += {"(": 1, ")": -1}.get(sel[i], 0)
            i += 1
        sel = sel[:m.start()] + sel[i:]


def selector_used(sel: str, used: Used) -> bool:
    plain = _strip_functional(sel)
    for attr in _ATTR.findall(plain):
        m = re.match(r"""\s*(data-md-color-[a-z]+|dir)\s*=\s*["']?([^"'\s]+)["']?\s*$""", attr, re.I)
        if m and f"{m.group(1).lower()}={m.group(2)}" not in used.keyed:
            return False
    plain = _ATTR.sub("", plain)
    if any(c.replace("\\", "") not in used.classes for c in _CLASS.findall(plain)):
        return False
    bare = _PSEUDO.sub("", _CLASS.sub("", _ID.sub("", plain)))
    if any(t.lower() not in used.tags for t in _TYPE.findall(bare)):
        return False
    return all(i.replace("\\", "") in used.ids for i in _ID.findall(plain))


def purge_css(css: str, used: Used) -> str:
    """css with the style rules no page can match left out (at-rules kept, emptied ones dropped)."""
    out: list[str] = []
    i = 0
    n = len(css)
    while i < n:
        if css[i].isspace():
            i += 1
            continue
        if css.startswith("/*", i):
            j = css.find("*/", i + 2)
            i = n if j < 0 else j + 2
            continue
        end = _prelude_end(css, i)
        prelude = css[i:end].strip()
        if end >= n:
            break
        if css[end] == ";":              # @charset …; @import …;
            out.append(prelude + ";")
            i = end + 1
            continue
        close = _block_end(css, end)
        body = css[end + 1: close - 1]
        if prelude.startswith("@"):
            if prelude.lower().startswith(_KEEP_WHOLE):
                out.append(css[i:close])
            else:                           # @media, @supports, @layer, @container …
                inner = purge_css(body, used)
                if inner:
                    out.append(prelude + "{" + inner + "}")
        else:
            kept = [s for s in _split_selectors(prelude) if selector_used(s, used)]
            if kept:
                out.append(",".join(s.strip() for s in kept) + "{" + body + "}")
        i = close
    return "".join(out)


def purge_theme_css(site_dir: Path, used: Used | None = None) -> dict[str, tuple[int, int]]:
    """Rewrite the theme's stylesheets in place; {name: (bytes before, after)}."""
    folder = site_dir / "assets" / "stylesheets"
    if not folder.is_dir():
        return {}
    used = used or used_in(site_dir)
    sizes = {}
    for p in sorted(folder.iterdir()):
        if THEME_CSS.match(p.name):
            before = p.read_text(encoding="utf-8")
            after = purge_css(re.sub(r"/\*# sourceMappingURL=[^*]*\*/", "", before), used)
            p.write_text(after, encoding="utf-8")
            (folder / (p.name + ".map")).unlink(missing_ok=True)   # maps the full file, no longer true
            sizes[p.name] = (len(before.encode()), len(after.encode()))
    return sizes


# ---------------------------------------------------------------------------- precompression

def _brotli():
    try:
        import brotli
    except ImportError:   # optional: .gz only
        return None
    return brotli


def precompress(site_dir: Path) -> int:
    """Write <file>.gz (and <file>.br) beside every text file of at least MIN_COMPRESS bytes
    whose copy is missing or older; returns how many files were compressed."""
    brotli = _brotli()
    count = 0
    for p in site_dir.rglob("*"):
        if p.suffix not in COMPRESS_SUFFIXES or not p.is_file():
            continue
        data = p.read_bytes()
        if len(data) < MIN_COMPRESS:
            continue
        mtime = p.stat().st_mtime_ns
        gz = p.with_name(p.name + ".gz")
        if not gz.exists() or gz.stat().st_mtime_ns < mtime:
            gz.write_bytes(gzip.compress(data, 9, mtime=0))
        if brotli is not None:
            br = p.with_name(p.name + ".br")
            if not br.exists() or br.stat().st_mtime_ns < mtime:
                br.write_bytes(brotli.compress(data, quality=BROTLI_QUALITY))
        count += 1
    return count


def finish_site(site_dir: Path, *, compress: bool = True) -> None:
    """The post-build pass: theme CSS subset, then precompressed copies."""
    site_dir = Path(site_dir)
    purge_theme_css(site_dir)
    if compress:
        precompress(site_dir)
