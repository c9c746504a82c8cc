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
import hashlib
import os
import re
import stat
from pathlib import Path

import tinycss2

THEME_CSS = re.compile(r"^(?:main|palette)\.[0-9a-f]{8}\.min\.css$")
# what readers' browsers load; not the calendars (.ics: a calendar app fetches one now and then,
# and their copies were 142 MB of a 823 MB national site)
COMPRESS_SUFFIXES = {".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".webmanifest"}
MIN_COMPRESS = 512    # bytes; smaller files are sent as they are (nginx: gzip_min_length)
# Brotli 5: about as fast as gzip and still a little smaller; 11 is ~40× slower (a national
# build has ~200 MB of text). gzip 6 (its default): -9 took 1.5× as long for copies 0.15% smaller.
BROTLI_QUALITY = 5
GZIP_LEVEL = 6

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

    def update(self, data: dict[str, list[str]]) -> None:
        """Add what page_usage found in a page."""
        for name in ("classes", "ids", "keyed", "tags"):
            getattr(self, name).update(data.get(name, ()))

    def key(self) -> tuple:
        return tuple(frozenset(getattr(self, name)) for name in ("classes", "ids", "keyed", "tags"))

    def data(self) -> dict[str, list[str]]:
        return {name: sorted(getattr(self, name)) for name in ("classes", "ids", "keyed", "tags")}


def page_usage(html: str) -> dict[str, list[str]]:
    """What one page uses of the theme CSS (classes, ids, keyed attributes, tags), as plain data
    to keep with the page (a page written from the build cache is not read again)."""
    used = Used()
    used.tags.clear()
    used.add_html(html)
    return used.data()


def used_in(site_dir: Path, seen: set[str] = frozenset(), used: Used | None = None) -> Used:
    """What the site's HTML files and scripts use; ``seen``: site paths of the HTML files already
    counted in ``used`` (the pages, while the engine wrote them)."""
    used = used if used is not None else Used()
    used.tags.update(ALWAYS_TAGS)
    for p in site_dir.rglob("*.html"):
        if p.relative_to(site_dir).as_posix() not in seen:
            used.add_html(p.read_text(encoding="utf-8", errors="replace"))
    js = site_dir / "assets" / "javascripts"
    for p in js.glob("*.js") if js.is_dir() else []:
        if not p.name.startswith("bundle."):
            used.add_script(p.read_text(encoding="utf-8", errors="replace"))
    return used


# ---------------------------------------------------------------------------- CSS subset

# at-rules kept as they are (they hold no selectors pages could miss)
_KEEP_WHOLE = {"font-face", "keyframes", "-webkit-keyframes", "property", "page", "counter-style",
               "font-feature-values", "charset", "import", "namespace"}
_KEYED = re.compile(r"(data-md-color-[a-z]+|dir)", re.I)


def _selectors(prelude: list) -> list[list]:
    """A rule's selector list split at its top-level commas (tokens; blocks are single tokens)."""
    out: list[list] = [[]]
    for tok in prelude:
        if tok.type == "literal" and tok.value == ",":
            out.append([])
        else:
            out[-1].append(tok)
    return out


def _attr_used(block, used: Used) -> bool:
    """[data-md-color-scheme=slate], [dir=rtl]: only when a page has that value; any other
    attribute selector is not a reason to drop a rule."""
    toks = [t for t in block.content if t.type not in ("whitespace", "comment")]
    if len(toks) == 3 and toks[0].type == "ident" and _KEYED.fullmatch(toks[0].value) \
            and toks[1].type == "literal" and toks[1].value == "=" and toks[2].type in ("ident", "string"):
        return f"{toks[0].value.lower()}={toks[2].value}" in used.keyed
    return True


def selector_used(tokens: list, used: Used) -> bool:
    """Can a page match this selector? Its classes, ids, type names and keyed attributes must all
    occur in the pages; the arguments of pseudo-classes (:not(), :is(), :nth-child() …) never
    make a rule required."""
    prev = None   # the previous significant token, to tell `.name`, `:name` and a type name apart
    for tok in tokens:
        kind = tok.type
        after = prev.value if prev is not None and prev.type == "literal" else None
        if kind == "ident":
            if after == ".":
                if tok.value not in used.classes:
                    return False
            elif after != ":" and tok.value.lower() not in used.tags:
                return False
        elif kind == "hash":
            if tok.value not in used.ids:
                return False
        elif kind == "[] block" and not _attr_used(tok, used):
            return False
        prev = None if kind in ("whitespace", "comment") else tok
    return True


def purge_css(css: str, used: Used) -> str:
    """css with the style rules no page can match left out (at-rules kept, emptied ones dropped)."""
    key = (css, used.key())   # (a preview purges the same CSS for the same pages on every change)
    if key not in _PURGED:
        if len(_PURGED) >= 4:
            del _PURGED[next(iter(_PURGED))]
        _PURGED[key] = _purge(tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True), used)
    return _PURGED[key]


_PURGED: dict[tuple, str] = {}


def _purge(rules: list, used: Used) -> str:
    out: list[str] = []
    for rule in rules:
        if rule.type == "qualified-rule":
            kept = [tinycss2.serialize(sel).strip() for sel in _selectors(rule.prelude) if selector_used(sel, used)]
            if kept:
                out.append(",".join(kept) + "{" + tinycss2.serialize(rule.content) + "}")
        elif rule.type == "at-rule":
            if rule.lower_at_keyword in _KEEP_WHOLE or rule.content is None:
                out.append(rule.serialize())
            else:                           # @media, @supports, @layer, @container …
                inner = _purge(tinycss2.parse_rule_list(rule.content, skip_comments=True, skip_whitespace=True),
                               used)
                if inner:
                    out.append(f"@{rule.at_keyword}{tinycss2.serialize(rule.prelude).rstrip()}{{{inner}}}")
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


def precompress(site_dir: Path, cache=None, jobs: int = 2) -> int:
    """Write FILE.gz (and FILE.br) beside every text file of at least MIN_COMPRESS bytes
    whose copy is missing or older; returns how many files were looked at.

    ``cache``: compressed copies of earlier builds, by the hash of the file's bytes and the
    setting (``cache.take(digest, ".gz6", out) -> bool`` puts a kept copy at out, ``cache.put(digest,
    ".gz6", data, out)`` keeps and writes a new one; weiquan.build.pagecache.CompressCache), so a
    rebuild compresses only changed files. Files are compressed in ``jobs`` threads (zlib and
    brotli release the GIL while they work)."""
    from concurrent.futures import ThreadPoolExecutor

    brotli = _brotli()
    # (suffix in the site, name in the cache: the setting is part of the key, maker)
    makers = [(".gz", f".gz{GZIP_LEVEL}", lambda d: gzip.compress(d, GZIP_LEVEL, mtime=0))]
    if brotli is not None:
        makers.append((".br", f".br{BROTLI_QUALITY}", lambda d: brotli.compress(d, quality=BROTLI_QUALITY)))
    todo = []
    for root, _dirs, names in os.walk(site_dir):
        for name in names:
            if os.path.splitext(name)[1] in COMPRESS_SUFFIXES:
                p = os.path.join(root, name)
                st = os.lstat(p)
                if stat.S_ISREG(st.st_mode) and st.st_size >= MIN_COMPRESS:
                    todo.append((p, st.st_mtime_ns))

    def one(item) -> None:   # (plain strings: a national site has ~20,000 such files, and Path objects cost seconds)
        p, mtime = item
        data = digest = None
        for ext, kept, make in makers:
            out = p + ext
            try:
                if os.stat(out).st_mtime_ns >= mtime:
                    continue
            except FileNotFoundError:
                pass
            if data is None:
                with open(p, "rb") as fh:
                    data = fh.read()
                digest = hashlib.sha256(data).hexdigest() if cache is not None else None
            if cache is None:
                Path(out).write_bytes(make(data))
            elif not cache.take(digest, kept, out):
                cache.put(digest, kept, make(data), out)

    with ThreadPoolExecutor(max(1, jobs)) as pool:
        list(pool.map(one, todo, chunksize=64))
    return len(todo)


def finish_site(site_dir: Path, *, compress: bool = True) -> None:
    """The post-build pass: theme CSS subset, then precompressed copies."""
    site_dir = Path(site_dir)
    purge_theme_css(site_dir)
    if compress:
        precompress(site_dir)
