"""Load content/: read and validate the files of every content type (types.py), then run the
registered checks (checks.py). Every problem names its file and line; nothing raises a traceback."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Optional

from pydantic import BaseModel, ValidationError

from weiquan.content import types
from weiquan.content.checks import Report, run_checks, run_tree_checks
from weiquan.content.library import SETTINGS_ID, Content, Guide, Page, Source, source_ids
from weiquan.content.messages import explain_errors
from weiquan.content.model import Settings, slug_problem
from weiquan.content.problems import ContentError, Problem, display_path
from weiquan.content.synonyms import load_thesaurus
from weiquan.content.yamlload import (MAX_FILE_BYTES, LineMap, YamlSyntaxError, line_of, load_yaml,
                                      read_content_file)
from weiquan.zh.reading import parse_overrides

FRONT_MATTER_RE = re.compile(r"\A---\s*\n(.*?\n)---\s*\n", re.S)

# Parsed and validated entries reused by later loads in the same process (`mkdocs serve` reloads
# all content on every change): content root -> {(path, model): (file stamp, entry, data, display)}.
# Only entries without problems are kept; a file is parsed again when its stamp changes.
_PARSE_CACHE: dict[str, dict] = {}
_PARSE_CACHE_ROOTS = 4


def load_content(root: Path | str) -> Content:
    """Load and validate everything under root (the content/ folder). Raises ContentError."""
    return Loader(Path(root)).load()


def check_content(root: Path | str) -> tuple[Optional[Content], list[Problem]]:
    try:
        return load_content(root), []
    except ContentError as exc:
        return None, exc.problems


class Loader:
    """Reading only (files, YAML, models, the parse cache); the checks are in checks.py."""

    def __init__(self, root: Path):
        self.root = root
        self.report = Report(root)
        self.sources: dict = {}
        self._display_base: Optional[str] = None

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
        run_tree_checks(self.root, self.report)   # links out of content/, unpublishable files: not read
        settings = self.load_settings()
        self.report.settings_broken = settings is None
        key = str(self.root.resolve())
        self._cache, self._fresh = _PARSE_CACHE.pop(key, {}), {}
        entries = {t.name: self.load_type(t) for t in types.TYPES}
        _PARSE_CACHE[key] = self._fresh
        while len(_PARSE_CACHE) > _PARSE_CACHE_ROOTS:
            del _PARSE_CACHE[next(iter(_PARSE_CACHE))]
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
        if not path.exists():
            self.report(path, 1, "缺少站点设置文件 site.yaml", "missing site settings")
            return None
        settings, data = self.parse(path, self.read(path), Settings)
        if settings is not None:
            self.sources[SETTINGS_ID] = Source(path, display_path(path, self.root), data)
        return settings

    def display(self, path: Path) -> str:
        """display_path() for a file found in the content folder, resolving the folder only once."""
        if path.is_symlink() or path.parent.is_symlink() or path.parent.parent != self.root:
            return display_path(path, self.root)
        if self._display_base is None:
            self._display_base = display_path(self.root, self.root)
        return f"{self._display_base}/{path.parent.name}/{path.name}"

    def files(self, folder: Path, pattern: str, recursive: bool = False) -> list[Path]:
        """The content files of one folder, sorted. A symlink that points nowhere or out of the
        content folder, and a file name that cannot be a URL, are reported and skipped: content is
        what is in content/, and every file's page has an address."""
        root = self.root.resolve()
        out = []
        for path in sorted(folder.rglob(pattern) if recursive else folder.glob(pattern)):
            shown = f"{self.root.name}/{path.relative_to(self.root).as_posix()}"
            if path in self.report.refused or not path.exists() or not path.resolve().is_relative_to(root):
                continue   # reported by the tree check
            if not path.is_file():
                continue
            stem = path.name[: -len(path.suffix)] if path.suffix else path.name
            problem = slug_problem(stem)
            if problem:
                self.report.problems.append(Problem(shown, 1, f"文件名“{path.name}”不能用作网址：{problem}",
                                                    "file name cannot be a URL"))
                continue
            out.append(path)
        return out

    def load_type(self, ctype: types.ContentType) -> list:
        """The entries of one content type, in file order; their sources by SourceId."""
        broken = self.report.broken.setdefault(ctype.name, set())
        loaded: list[tuple[object, Source]] = []
        for path in self.files(self.root / ctype.name, ctype.pattern):
            entry, data, source = self.load_markdown(path, ctype) if ctype.markdown else self.load_yaml_file(path, ctype)
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

    def load_yaml_file(self, path: Path, ctype: types.ContentType):
        st = path.stat()
        stamp = (st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_ino)
        hit = self._cache.get((path, ctype.model))
        if hit is not None and hit[0] == stamp:
            _, entry, data, display = hit
        else:
            entry, data = self.parse(path, self.read(path, ctype.max_bytes), ctype.model)
            display = self.display(path) if entry is not None else ""
        if entry is None:
            return None, data, None
        self._fresh[(path, ctype.model)] = (stamp, entry, data, display)
        return entry, data, Source(path, display, data)

    def load_markdown(self, path: Path, ctype: types.ContentType):
        """A Markdown file with YAML front matter (a guide)."""
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


def slugify_filename(path: Path) -> str:
    return path.stem.lower()
