"""Rendered pages kept between builds, under ``.weiquan-cache/pages/``: a page whose generated
Markdown is unchanged, in a site whose key is unchanged, is written from its last HTML instead of
being rendered again — by `weiquan build` and by previews alike.

A page's key is its source path, its Markdown, its pinyin inputs (readings, the annotator's salt)
and the site key: the engine's settings (mkdocs.yml and what it inherits, without the paths
`weiquan build` passes for one build), the site URL, the bytes of the template overrides, the
versions of the engine, theme and Markdown libraries, the code that turns Markdown into the
finished page (weiquan.build, weiquan.site and the engine adapter), the data every page shows
(hotlines) and the titles in the navigation. Anything else
that shapes a page's HTML is in its Markdown. Entries of one site key live in one folder; a full
build prunes what it did not use there, and folders of other keys unused for a week.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import shutil
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from weiquan.build.atomic import link_atomic, write_atomic
from weiquan.content.digest import code_digest, dist_version

# libraries whose versions shape the HTML of a page rendered from the same Markdown
LIBRARIES = ("mkdocs", "mkdocs-material", "markdown", "pymdown-extensions", "jinja2", "pygments")
KEEP_OTHER_KEYS_DAYS = 7


@functools.cache
def code_version() -> str:
    """Hash of the code between a page's Markdown and its HTML: weiquan.build and weiquan.site's
    Python (page output, CSP, the pinyin meta; what else a page shows is in its Markdown)."""
    pkg = Path(__file__).resolve().parents[1]
    return code_digest(folders=(pkg / "build", pkg / "site"))


def library_versions() -> dict[str, str]:
    return {name: dist_version(name) for name in LIBRARIES}


def dir_digest(dirs) -> str:
    """Names and bytes of every file under dirs (not modification times: a fresh checkout in CI
    must find its cache)."""
    h = hashlib.sha256()
    for d in dirs:
        d = Path(d)
        for root, subdirs, files in os.walk(d, followlinks=True):
            subdirs.sort()
            for name in sorted(files):
                p = Path(root, name)
                h.update(p.relative_to(d).as_posix().encode() + b"\0")
                try:
                    h.update(p.read_bytes())
                except OSError:
                    pass
                h.update(b"\0")
    return h.hexdigest()


# options `weiquan build` sets in the config of one build: temporary paths, and what they point
# to reaches the pages through their Markdown
ONE_BUILD_OPTIONS = ("checked_content", "handoff_fd", "leaflets")


def config_fingerprint(config_path: Path, plugin: str = "weiquan") -> str:
    """The settings of an engine config as canonical JSON: INHERIT followed, YAML tags kept with
    their values (a !!python/name: is part of the setting), the one-build options of ``plugin``
    left out, so `weiquan build`'s config of the moment and mkdocs.yml give the same key."""
    import yaml

    class _Tagged(yaml.SafeLoader):
        pass

    def tagged(loader, suffix, node):
        if isinstance(node, yaml.MappingNode):
            value = loader.construct_mapping(node, deep=True)
        elif isinstance(node, yaml.SequenceNode):
            value = loader.construct_sequence(node, deep=True)
        else:
            value = loader.construct_scalar(node)
        return {"!tag": suffix, "value": value}
    _Tagged.add_multi_constructor("!", tagged)
    _Tagged.add_multi_constructor("tag:", tagged)

    def read(path: Path) -> dict:
        cfg = yaml.load(path.read_text(encoding="utf-8"), Loader=_Tagged) or {}
        parent = cfg.pop("INHERIT", None)
        return merge_inherited(read(path.parent / parent), cfg) if parent else cfg

    cfg = read(Path(config_path))
    plugins = cfg.get("plugins")
    if isinstance(plugins, dict) and isinstance(plugins.get(plugin), dict):
        plugins[plugin] = {k: v for k, v in plugins[plugin].items() if k not in ONE_BUILD_OPTIONS}
    elif isinstance(plugins, list):
        cfg["plugins"] = [{name: {k: v for k, v in (opts or {}).items() if k not in ONE_BUILD_OPTIONS}}
                          if isinstance(item, dict) and name == plugin else item
                          for item in plugins for name, opts in ([next(iter(item.items()))]
                                                                 if isinstance(item, dict) else [(item, None)])]
    return json.dumps(cfg, ensure_ascii=False, sort_keys=True, default=str)


def merge_inherited(parent: dict, child: dict) -> dict:
    """MkDocs' INHERIT: mappings are merged key by key; anything else, lists too, is replaced."""
    out = dict(parent)
    for key, value in child.items():
        both = isinstance(out.get(key), dict) and isinstance(value, dict)
        out[key] = merge_inherited(out[key], value) if both else value
    return out


def site_key(*, config_path: Path, site_url: str, theme_dirs, shared: dict, nav_titles: list[str],
             code: bytes = b"") -> str:
    """Everything besides its own Markdown that shapes a page's HTML (see the module doc).
    ``code``: the engine adapter's source."""
    h = hashlib.sha256()
    for part in (config_fingerprint(config_path), site_url, dir_digest(theme_dirs),
                 json.dumps(library_versions(), sort_keys=True), code_version(),
                 json.dumps(shared, ensure_ascii=False, sort_keys=True, default=str)):
        h.update(part.encode() + b"\0")
    h.update(hashlib.sha256(code).digest())
    for title in nav_titles:
        h.update(b"\0" + title.encode())
    return h.hexdigest()


@dataclass
class Cached:
    """A page as the engine wrote it."""
    html: str
    pinyin: str | None = None        # its pinyin payload: a file of the pinyin cache (relative to the cache root)
    anchors: list[str] = field(default_factory=list)   # ids the page has (the engine checks links to them)
    used: dict[str, list[str]] = field(default_factory=dict)   # what the theme CSS cut keeps for it
    title: str = ""                  # its title as the engine read it (the menu of every page shows it)


# Entries a preview has read or written (`mkdocs serve` plans every page on every rebuild):
# page key -> Cached, up to _MEMO_BYTES of HTML; the file is read again when an entry is dropped.
_MEMO: dict[str, Cached] = {}
_MEMO_BYTES = 256 * 1024 * 1024
_memo_size = 0


def _remember(key: str, cached: Cached) -> None:
    global _memo_size
    if key in _MEMO:
        return
    _MEMO[key] = cached
    _memo_size += len(cached.html)
    while _memo_size > _MEMO_BYTES and _MEMO:
        _memo_size -= len(_MEMO.pop(next(iter(_MEMO))).html)


class PageCache:
    """Pages of one site key (``site_key``) in ``<root>/pages/<key>/``."""

    def __init__(self, root: Path, key: str, memo: bool = False):
        """``memo``: keep entries in this process too (previews; a build reads each page once)."""
        self.root = Path(root)
        self.memo = memo
        self.site_key = key
        self.dir = self.root / "pages" / key[:24]
        self.used: set[str] = set()
        self.reused = 0

    def key(self, src: str, markdown: str, extra: str = "") -> str:
        h = hashlib.sha256(self.site_key.encode())
        for part in (src, extra, markdown):
            h.update(b"\0" + part.encode())
        return h.hexdigest()

    def _path(self, key: str) -> Path:
        return self.dir / key[:2] / f"{key[2:]}.json"

    def get(self, key: str) -> Cached | None:
        cached = _MEMO.get(key) if self.memo else None   # (a key names its bytes, wherever they come from)
        if cached is None:
            try:
                data = json.loads(self._path(key).read_text(encoding="utf-8"))
                cached = Cached(**data)
            except (OSError, ValueError, TypeError):
                return None
            if self.memo:
                _remember(key, cached)
        if cached.pinyin and not (self.root / cached.pinyin).is_file():   # pruned or never written
            return None
        self.used.add(key)
        self.reused += 1
        return cached

    def put(self, key: str, cached: Cached) -> None:
        write_atomic(self._path(key), json.dumps(cached.__dict__, ensure_ascii=False, separators=(",", ":")))
        self.used.add(key)
        if self.memo:
            _remember(key, cached)

    def pinyin_ref(self, path: str | Path | None) -> str | None:
        """A pinyin cache file as stored in an entry (relative to the cache root)."""
        if not path:
            return None
        try:
            return Path(path).relative_to(self.root).as_posix()
        except ValueError:
            return None

    def prune(self) -> int:
        """After a full build: drop entries of this key it did not use, and the folders of other
        keys unused for KEEP_OTHER_KEYS_DAYS (the offline edition has its own key)."""
        removed = 0
        if self.dir.is_dir():
            os.utime(self.dir)
            for sub in self.dir.iterdir():
                for f in sub.iterdir() if sub.is_dir() else ():
                    if sub.name + f.stem not in self.used:
                        f.unlink(missing_ok=True)
                        removed += 1
        cutoff = time.time() - KEEP_OTHER_KEYS_DAYS * 86400
        for other in (self.root / "pages").iterdir() if (self.root / "pages").is_dir() else ():
            if other != self.dir and other.is_dir() and other.stat().st_mtime < cutoff:
                shutil.rmtree(other, ignore_errors=True)
        return removed


class CompressCache:
    """Compressed copies of site files by the hash of their bytes, ``<dir>/<key[:2]>/<key>.gz|.br``,
    hard-linked into the site (weiquan.site.assets.precompress). ``prune()`` after a full build
    drops what it did not use."""

    def __init__(self, directory: Path):
        self.dir = Path(directory)
        self.used: set[str] = set()
        self._folders: set[str] = set()   # folders of the cache made (or found) by put

    def _path(self, key: str, ext: str) -> str:
        """Where the copy for ``key`` lies (a plain string: ~40,000 a national first build)."""
        return os.path.join(self.dir, key[:2], key + ext)

    def take(self, key: str, ext: str, out: Path | str) -> bool:
        """Link the kept copy to ``out`` (in an existing folder); False if there is none."""
        src = self._path(key, ext)
        try:
            os.link(src, out)   # (a new name appears whole: no temporary one needed)
        except FileNotFoundError:
            return False
        except OSError:   # out exists, or a file system without hard links
            try:
                link_atomic(Path(src), Path(out))
            except FileNotFoundError:
                return False
        self.used.add(key + ext)
        return True

    def put(self, key: str, ext: str, packed: bytes, out: Path | str) -> None:
        """Keep ``packed`` as the copy for ``key`` and link it to ``out``. (Plain strings and each
        folder made once: a national first build puts ~40,000 copies.)"""
        path = self._path(key, ext)
        folder = os.path.dirname(path)
        if folder not in self._folders:
            os.makedirs(folder, exist_ok=True)
            self._folders.add(folder)
        tmp = os.path.join(folder, f".{key}{ext}.{os.getpid()}.{threading.get_ident()}.tmp")
        with open(tmp, "wb") as fh:
            fh.write(packed)
        os.replace(tmp, path)
        try:
            os.link(path, out)   # (a new name appears whole)
        except OSError:   # out exists, or a file system without hard links
            link_atomic(Path(path), Path(out))
        self.used.add(key + ext)

    def prune(self) -> int:
        removed = 0
        for sub in self.dir.iterdir() if self.dir.is_dir() else ():
            for f in sub.iterdir() if sub.is_dir() else ():
                if f.name not in self.used:
                    f.unlink(missing_ok=True)
                    removed += 1
        return removed


@dataclass
class Reuse:
    """How many pages the last build of this process wrote from the page cache (tests, logs)."""
    reused: int = 0


REUSE = Reuse()


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


def plan(pages, cache: PageCache | None, extra=lambda page: ""):
    """([(page, key)] to render, [(page, Cached)] to write as they were). ``key`` is the page's
    cache key (None without a cache); ``extra(page)``: what besides its Markdown decides the
    page (its pinyin inputs). A page in the navigation is cached too: the menu it shows is in the
    site key, and its entry keeps the title the menus of the other pages show."""
    REUSE.reused = 0
    if cache is None:
        return [(p, None) for p in pages], []
    render, kept = [], []
    for p in pages:
        key = cache.key(p.src, p.markdown, extra(p))
        hit = cache.get(key)
        (render.append((p, key)) if hit is None else kept.append((p, hit)))
    REUSE.reused = len(kept)
    return render, kept
