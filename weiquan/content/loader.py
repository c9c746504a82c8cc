"""Load content/: read and validate the files of every content type (types.py), then run the
registered checks (checks.py). Every problem names its file and line; nothing raises a traceback."""

from __future__ import annotations

import atexit
import fnmatch
import functools
import gc
import hashlib
import os
import pickle
import re
import sys
import threading
from pathlib import Path
from typing import Optional

from pydantic import BaseModel, ValidationError

from weiquan.content import types
from weiquan.content.checks import Report, run_checks, run_tree_checks
from weiquan.content.digest import code_digest
from weiquan.content.library import SETTINGS_ID, Content, Guide, Page, Source, source_ids
from weiquan.content.messages import explain_errors
from weiquan.content.model import Settings, slug_problem
from weiquan.content.problems import ContentError, Problem, display_path
from weiquan.content.synonyms import load_thesaurus
from weiquan.content.yamlload import (MAX_FILE_BYTES, LineMap, YamlSyntaxError, decode_content, line_of,
                                      load_yaml, read_content_bytes, read_content_file)
from weiquan.zh.reading import parse_overrides

FRONT_MATTER_RE = re.compile(r"\A---\s*\n(.*?\n)---\s*\n", re.S)

# Parsed and validated entries reused by later loads in the same process (`mkdocs serve` reloads
# all content on every change): content root -> {(path, model): (file stamp, entry, data, display,
# digest of the bytes when read for a ParseStore)}.
# Only entries without problems are kept; a file is parsed again when its stamp changes.
_PARSE_CACHE: dict[str, dict] = {}
_PARSE_CACHE_ROOTS = 4
_SETTINGS_CACHE: dict[Path, tuple] = {}   # site.yaml -> (file stamp, Settings, data)


def _stamp(st: os.stat_result) -> tuple:
    """What tells a file changed (modified, its inode changed, its size, or another file)."""
    return (st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_ino)


def load_content(root: Path | str, cache_dir: Path | str | None = None) -> Content:
    """Load and validate everything under root (the content/ folder). Raises ContentError.
    ``cache_dir`` (a project's .weiquan-cache): keep parsed files there and reuse them (ParseStore)."""
    return Loader(Path(root), cache_dir=cache_dir).load()


def check_content(root: Path | str, cache_dir: Path | str | None = None) -> tuple[Optional[Content], list[Problem]]:
    try:
        return load_content(root, cache_dir), []
    except ContentError as exc:
        return None, exc.problems


class Loader:
    """Reading only (files, YAML, models, the parse caches); the checks are in checks.py."""

    def __init__(self, root: Path, cache_dir: Path | str | None = None):
        self.root = root
        self.report = Report(root)
        self.sources: dict = {}
        self._display_base: Optional[str] = None
        self._store = ParseStore(Path(cache_dir) / "content") if cache_dir is not None else None

    def report_yaml(self, path: Path, exc: YamlSyntaxError) -> None:
        zh = f"YAML 语法错误：{exc.message}" if exc.en == "YAML syntax error" else exc.message
        self.report(path, exc.line, zh, exc.en, exc.col)

    def read(self, path: Path, max_bytes: int = MAX_FILE_BYTES) -> Optional[str]:
        """A content file's text, or None after reporting why it cannot be used (encoding, size)."""
        try:
            return read_content_file(path, max_bytes)
        except YamlSyntaxError as exc:
            self.report_yaml(path, exc)
            return None

    def load(self) -> Content:
        if not self.root.is_dir():
            raise ContentError([Problem(str(self.root), 1, "内容目录不存在", "content folder not found")])
        # tens of thousands of files make millions of objects that all stay: collecting garbage
        # meanwhile only walks them again and again (a fifth of the loading time)
        collecting = gc.isenabled()
        gc.disable()
        try:
            return self._load()
        finally:
            if collecting:
                gc.enable()

    def _load(self) -> Content:
        run_tree_checks(self.root, self.report)   # links out of content/, unpublishable files: not read
        settings = self.load_settings()
        self.report.settings_broken = settings is None
        key = str(self.root.resolve())
        self._cache, self._fresh = _PARSE_CACHE.pop(key, {}), {}
        entries = {t.name: self.load_type(t) for t in types.TYPES}
        _PARSE_CACHE[key] = self._fresh
        while len(_PARSE_CACHE) > _PARSE_CACHE_ROOTS:
            del _PARSE_CACHE[next(iter(_PARSE_CACHE))]
        if self._store is not None:
            self._store.save()
        thesaurus = load_thesaurus(self.root, self.report)
        content = Content(self.root, settings or Settings(name="weiquan", region="—"), sources=self.sources,
                          pinyin=self.load_pinyin(), synonyms=thesaurus.words, thesaurus=thesaurus,
                          pages=self.load_pages(), **entries)
        run_checks(content, self.report)
        if self.report.problems:
            raise ContentError(self.report.problems)
        return content

    def parse(self, path: Path, text: Optional[str], model: type[BaseModel], first_line: int = 1):
        if text is None:   # unreadable: already reported
            return None, None
        try:
            data = load_yaml(text, first_line)
        except YamlSyntaxError as exc:
            self.report_yaml(path, exc)
            return None, None
        if data is None:
            data = LineMap()
        if not isinstance(data, dict):
            self.report(path, getattr(data, "line", first_line), "文件内容应为键值映射", "expected a mapping")
            return None, None
        try:
            return model.model_validate(dict(data)), data
        except ValidationError as exc:
            for loc, zh, en in explain_errors(exc.errors(), model):
                self.report(path, line_of(data, loc), zh, en)
            return None, data

    def load_settings(self) -> Optional[Settings]:
        path = self.root / "site.yaml"
        try:
            stamp = _stamp(path.stat())
        except FileNotFoundError:
            self.report(path, 1, "缺少站点设置文件 site.yaml", "missing site settings")
            return None
        hit = _SETTINGS_CACHE.get(path)
        if hit is not None and hit[0] == stamp:
            _, settings, data = hit
        else:
            settings, data = self.parse(path, self.read(path), Settings)
            if settings is not None:
                _SETTINGS_CACHE[path] = (stamp, settings, data)
                while len(_SETTINGS_CACHE) > _PARSE_CACHE_ROOTS:
                    del _SETTINGS_CACHE[next(iter(_SETTINGS_CACHE))]
        if settings is not None:
            self.sources[SETTINGS_ID] = Source(path, display_path(path, self.root), data)
        return settings

    def display(self, path: Path, plain: bool = False) -> str:
        """display_path() for a file found in the content folder, resolving the folder only once
        (plain: a file, not a symlink, of a folder of the content folder that is no symlink)."""
        if not plain and (path.is_symlink() or path.parent.is_symlink() or path.parent.parent != self.root):
            return display_path(path, self.root)
        if self._display_base is None:
            self._display_base = display_path(self.root, self.root)
        return f"{self._display_base}/{path.parent.name}/{path.name}"

    def files(self, folder: Path, pattern: str, recursive: bool = False) -> list[Path]:
        """The content files of one folder, sorted. A symlink that points nowhere or out of the
        content folder, and a file name that cannot be a URL, are reported and skipped: content is
        what is in content/, and every file's page has an address."""
        return [path for path, _st in self.listing(folder, pattern, recursive)]

    def listing(self, folder: Path, pattern: str, recursive: bool = False) -> list[tuple[Path, Optional[os.stat_result]]]:
        """files(), each with its stat when it is a plain file (not a symlink) in a plain folder of
        the content folder (then its display path is simple), else None."""
        root = self.root.resolve()
        if recursive or folder.is_symlink() or not folder.is_dir() or folder.parent != self.root:
            found = [(path, None) for path in sorted(folder.rglob(pattern) if recursive else folder.glob(pattern))]
        else:
            with os.scandir(folder) as it:   # (the names the folder lists, one stat each)
                entries = sorted((e for e in it if fnmatch.fnmatchcase(e.name, pattern)), key=lambda e: e.name)
            found = []
            for e in entries:
                if e.is_symlink():
                    found.append((folder / e.name, None))
                elif e.is_file(follow_symlinks=False):
                    found.append((folder / e.name, e.stat(follow_symlinks=False)))
        out = []
        for path, st in found:
            if path in self.report.refused:
                continue   # reported by the tree check
            if st is None:
                if not path.exists() or not path.resolve().is_relative_to(root):
                    continue   # reported by the tree check
                if not path.is_file():
                    continue
            name = path.name
            stem = name[: -len(path.suffix)] if path.suffix else name
            problem = slug_problem(stem)
            if problem:
                shown = f"{self.root.name}/{path.relative_to(self.root).as_posix()}"
                self.report.problems.append(Problem(shown, 1, f"文件名“{name}”不能用作网址：{problem}",
                                                    "file name cannot be a URL"))
                continue
            out.append((path, st))
        return out

    def load_type(self, ctype: types.ContentType) -> list:
        """The entries of one content type, in file order; their sources by SourceId."""
        broken = self.report.broken.setdefault(ctype.name, set())
        loaded: list[tuple[object, Source]] = []
        for path, st in self.listing(self.root / ctype.name, ctype.pattern):
            entry, data, source = self.load_markdown(path, ctype) if ctype.markdown \
                else self.load_yaml_file(path, ctype, st)
            if entry is not None:
                loaded.append((entry, source))
            elif isinstance(data, dict):   # an unreadable file's name stands for its slug (the convention)
                names = [data.get(k) for k in ("slug", "title", "short_name")] + list(data.get("aliases") or [])
                broken.update(str(n) for n in names + [slugify_filename(path)] if n)
            else:
                broken.add(slugify_filename(path))
        entries = [entry for entry, _ in loaded]
        self.sources.update(zip(source_ids(ctype.name, entries), (source for _, source in loaded)))
        return entries

    def load_yaml_file(self, path: Path, ctype: types.ContentType, st: Optional[os.stat_result] = None):
        """One YAML entry: from this process's parse cache when its file is unchanged, else from
        the ParseStore (.weiquan-cache), else parsed and validated."""
        plain = st is not None
        st = st or path.stat()
        stamp = _stamp(st)
        hit = self._cache.get((path, ctype.model))
        store = self._store
        if hit is not None and hit[0] == stamp:
            _, entry, data, display, digest = hit
            if store is not None and digest is not None:
                store.put(ctype, path.name, stamp, digest, entry, data, changed=False)
        else:
            entry = data = digest = None
            if store is not None:
                entry, data, digest = store.get(ctype, path.name, stamp)
                if entry is None:
                    raw = self.read_bytes(path, ctype.max_bytes, st.st_size)
                    if raw is not None:
                        digest = hashlib.blake2b(raw, digest_size=16).digest()
                        entry, data, _ = store.get(ctype, path.name, stamp, digest)
                        if entry is None:
                            entry, data = self.parse(path, self.decode(path, raw), ctype.model)
                            if entry is not None:
                                store.put(ctype, path.name, stamp, digest, entry, data)
            else:
                entry, data = self.parse(path, self.read(path, ctype.max_bytes), ctype.model)
            display = self.display(path, plain) if entry is not None else ""
        if entry is None:
            return None, data, None
        self._fresh[(path, ctype.model)] = (stamp, entry, data, display, digest)
        return entry, data, Source(path, display, data)

    def read_bytes(self, path: Path, max_bytes: int, size: Optional[int] = None) -> Optional[bytes]:
        try:
            return read_content_bytes(path, max_bytes, size)
        except YamlSyntaxError as exc:
            self.report_yaml(path, exc)
            return None

    def decode(self, path: Path, raw: bytes) -> Optional[str]:
        try:
            return decode_content(raw)
        except YamlSyntaxError as exc:
            self.report_yaml(path, exc)
            return None

    def load_markdown(self, path: Path, ctype: types.ContentType):
        """A Markdown file with YAML front matter (a guide); from this process's parse cache when
        the file is unchanged."""
        try:
            stamp = _stamp(path.stat())
        except OSError:
            stamp = None
        hit = self._cache.get((path, ctype.model))
        if stamp is not None and hit is not None and hit[0] == stamp:
            self._fresh[(path, ctype.model)] = hit
            return hit[1], hit[2], hit[3]
        guide, data, source = self._load_markdown(path, ctype)
        if guide is not None and stamp is not None:
            self._fresh[(path, ctype.model)] = (stamp, guide, data, source)
        return guide, data, source

    def _load_markdown(self, path: Path, ctype: types.ContentType):
        text = self.read(path, ctype.max_bytes)
        if text is None:
            return None, None, None
        m = FRONT_MATTER_RE.match(text)
        if not m:
            self.report(path, 1, f"{ctype.label}须以 --- 包围的 YAML 前言开头（至少含 title）",
                        f"{ctype.kind} needs YAML front matter")
            return None, None, None
        meta, data = self.parse(path, m.group(1), ctype.model, first_line=2)
        if meta is None:
            return None, data, None
        guide = Guide(meta=meta, slug=meta.slug or slugify_filename(path), body=text[m.end():],
                      body_line=text[: m.end()].count("\n") + 1)
        return guide, data, Source(path, display_path(path, self.root), data)

    def load_pages(self) -> list[Page]:
        """content/pages/**/*.md: MkDocs renders them itself; read here so that a GBK page fails
        here, not there, and checks can read their links."""
        pages_dir = self.root / "pages"
        out = []
        for path in self.files(pages_dir, "*.md", recursive=True) if pages_dir.is_dir() else []:
            text = self.read(path)
            if text is None:
                continue
            m = FRONT_MATTER_RE.match(text)
            end = m.end() if m else 0
            out.append(Page(path, path.relative_to(pages_dir).as_posix(), text[:end], text[end:],
                            text[:end].count("\n") + 1))
        return out

    def load_pinyin(self) -> dict[str, list[str]]:
        """content/pinyin.yaml: legal-domain readings, each entry checked on its own line."""
        path = self.root / "pinyin.yaml"
        if not path.exists():
            return {}
        text = self.read(path)
        if text is None:
            return {}
        try:
            data = load_yaml(text)
        except YamlSyntaxError as exc:
            self.report_yaml(path, exc)
            return {}
        if data is None:
            return {}
        if not isinstance(data, dict):
            self.report(path, getattr(data, "line", 1), "读音表应为“词语: 读音”的映射", "expected a mapping")
            return {}
        out = {}
        for phrase, reading in data.items():
            try:
                out.update(parse_overrides({phrase: reading}))
            except ValueError as exc:
                self.report(path, data.key_lines.get(phrase, 1), f"读音有误：{exc}", "bad pinyin reading")
        return out


class ParseStore:
    """Parsed and validated YAML entries kept between runs (`weiquan check`, `weiquan build`):
    ``<cache>/content/<type>.pickle`` holds {file name: (stamp, digest, entry, data)}. A file is
    not parsed again when its stamp (mtime, ctime, size, inode: the same file on this machine)
    or else its bytes (blake2b) are unchanged; entries of files that are gone are dropped. A store
    holds only for the code that made it (CODE: weiquan/content, weiquan/zh, pydantic, PyYAML,
    Python); a store that cannot be read is ignored."""

    def __init__(self, directory: Path):
        self.dir = Path(directory)
        self.stored: dict[str, dict] = {}     # type name -> what was read from its file
        self.kept: dict[str, dict] = {}       # type name -> the entries of this run
        self.dirty: set[str] = set()

    def _load(self, name: str) -> dict:
        if name not in self.stored:
            self.stored[name], self.kept[name] = {}, {}
            try:
                with open(self.dir / f"{name}.pickle", "rb") as fh:
                    if pickle.load(fh) == code_version():
                        self.stored[name] = pickle.load(fh)
            except Exception:   # absent, unreadable, or of other code: parse again
                self.stored[name] = {}
        return self.stored[name]

    def get(self, ctype: types.ContentType, name: str, stamp: tuple, digest: Optional[bytes] = None):
        """(entry, data, digest) of an unchanged file (by its stamp, or by its digest), else
        (None, None, None)."""
        hit = self._load(ctype.name).get(name)
        if hit is None or (hit[0] != stamp if digest is None else hit[1] != digest):
            return None, None, None
        self.put(ctype, name, stamp, hit[1], hit[2], hit[3], changed=hit[0] != stamp)
        return hit[2], hit[3], hit[1]

    def put(self, ctype: types.ContentType, name: str, stamp: tuple, digest: bytes, entry, data,
            changed: bool = True) -> None:
        self._load(ctype.name)
        self.kept[ctype.name][name] = (stamp, digest, entry, data)
        if changed:
            self.dirty.add(ctype.name)

    def save(self) -> None:
        """Write the stores of the types whose files changed (or were added or removed). Where
        it can (POSIX, no other thread running), a forked copy of this process writes them while
        this one goes on (pickling national content takes seconds); the process waits for it at
        exit, so the next command finds the store written."""
        todo = [(name, kept) for name, kept in self.kept.items()
                if name in self.dirty or kept.keys() != self.stored[name].keys()]
        self.dirty.clear()
        self.stored = dict(self.kept)
        if not todo:
            return
        wait_for_writers()   # (one writer at a time: the last store written is this run's)
        if hasattr(os, "fork") and threading.active_count() == 1:
            try:
                pid = os.fork()
            except OSError:
                pid = -1
            if pid == 0:   # the copy: write, then leave at once (no exit handlers, no flushed output)
                try:
                    self._write(todo)
                finally:
                    os._exit(0)
            if pid > 0:
                if not _WRITERS:
                    atexit.register(wait_for_writers)
                _WRITERS.append(pid)
                return
        self._write(todo)

    def _write(self, todo: list) -> None:
        for name, kept in todo:
            tmp = self.dir / f".{name}.pickle.{os.getpid()}.tmp"
            try:
                self.dir.mkdir(parents=True, exist_ok=True)
                with open(tmp, "wb") as fh:
                    pickle.dump(code_version(), fh, protocol=pickle.HIGHEST_PROTOCOL)
                    pickle.dump(kept, fh, protocol=pickle.HIGHEST_PROTOCOL)
                tmp.replace(self.dir / f"{name}.pickle")
            except (OSError, pickle.PicklingError):
                tmp.unlink(missing_ok=True)   # a store that cannot be written only makes the next run slower


_WRITERS: list[int] = []   # processes writing a ParseStore (see ParseStore.save)


def wait_for_writers() -> None:
    """Wait until the ParseStore writers this process started are done."""
    while _WRITERS:
        try:
            os.waitpid(_WRITERS.pop(), 0)
        except ChildProcessError:
            pass


@functools.cache
def code_version() -> str:
    """Digest of the code that reads and validates content (see ParseStore)."""
    import weiquan.zh
    return code_digest(folders=(Path(__file__).parent, Path(weiquan.zh.__file__).parent),
                       dists=("pydantic", "pydantic-core", "PyYAML"), extra=sys.version)


def slugify_filename(path: Path) -> str:
    return path.stem.lower()
