"""`weiquan import-law` logic: one official text → content/laws/<slug>.yaml.

Works with just the file: slug, names, kind, issuer and dates are read from the text
(weiquan.lawtext.infer) and printed with the reason for each guess, so the editor can correct
them with options.  Re-importing finds the existing file by title and version and keeps its
slug, names, kind, status, aliases and the notes/topics of its articles.  Another version of a
law already in the library gets a slug of its own (``<slug>-<year>``).
"""

from __future__ import annotations

import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Optional, TextIO

import yaml

from weiquan.content.model import slug_problem
from weiquan.lawtext import infer
from weiquan.lawtext.importer import (LawImportError, dump_law_yaml, iter_articles, load_law_yaml,
                                      merge_reimport, parse_with_guesses)

_HEAD_KEYS = ("slug", "title", "short_name", "version", "status")

LABELS = {  # field → (Chinese label, option)
    "slug": ("网址名 slug", "--slug"), "short_name": ("简称", "--short-name"),
    "aliases": ("别名", "--alias"), "kind": ("类别", "--kind"), "issuer": ("制定机关", "--issuer"),
    "adopted": ("通过日期", "--adopted"), "published": ("公布日期", "--published"),
    "amended": ("修正/修订", ""), "version": ("版本日期", "--version"),
    "effective": ("本版本施行", "--effective"), "first_effective": ("首次施行", "--first-effective"),
    "status": ("状态", "--status"),
}


@dataclass
class LibraryEntry:
    path: Path
    slug: str
    title: str
    short_name: str
    version: Optional[str]
    status: str


def library_heads(laws_dir: Path) -> list[LibraryEntry]:
    """slug/title/version of every law YAML, read from the top of each file (fast: no full parse)."""
    out = []
    for path in sorted(laws_dir.glob("*.y*ml")):
        head: dict[str, str] = {}
        try:
            with path.open(encoding="utf-8-sig") as fh:
                for n, line in enumerate(fh):
                    if n > 60 or line.startswith(("history:", "parts:", "articles:")):
                        break
                    m = re.match(r"^([a-z_]+):\s*(.*?)\s*$", line)
                    if m and m.group(1) in _HEAD_KEYS:
                        head[m.group(1)] = m.group(2).strip("'\"")
        except (OSError, UnicodeDecodeError):
            continue
        out.append(LibraryEntry(path, head.get("slug") or path.stem, head.get("title", ""),
                                head.get("short_name", ""), head.get("version") or None,
                                head.get("status", "")))
    return out


def unique_slug(base: str, taken: set[str], year: Optional[int] = None) -> str:
    """base if free; else base-<year> (another version of the law); else base-2, base-3…"""
    if base not in taken:
        return base
    if year and f"{base}-{year}" not in taken:
        return f"{base}-{year}"
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


def _fmt(value: Any) -> str:
    if isinstance(value, list):
        return "、".join(str(v) for v in value) if value else "（无）"
    return "（无）" if value in (None, "") else str(value)


def import_law_file(path: str | Path, *, slug: str | None = None, short_name: str | None = None,
                    aliases: Iterable[str] = (), kind: str | None = None,
                    status: str | None = None, issuer: str | None = None,
                    effective: Any = None, first_effective: Any = None, adopted: Any = None,
                    published: Any = None, version: Any = None, source_url: str | None = None,
                    replaced_by: str | None = None, out: str | Path | None = None,
                    content_dir: str | Path = "content", stdout: TextIO | None = None,
                    stderr: TextIO | None = None) -> int:
    """Import one official law text. Returns the exit code; messages name the file and line."""
    stdout, stderr = stdout or sys.stdout, stderr or sys.stderr
    err = lambda msg: print(msg, file=stderr)  # noqa: E731
    started = time.perf_counter()
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        err(f"{path}: 无法读取文件 (cannot read file: {exc})")
        return 1
    if slug is not None and slug_problem(slug):
        err(f"{path}: --slug {slug_problem(slug)} (slug must be [a-z0-9-], e.g. fan-jiating-baoli-fa)")
        return 1
    aliases = [a for a in aliases or [] if a]
    try:
        data, guesses = parse_with_guesses(
            text, source_name=str(path), slug=slug, short_name=short_name, aliases=aliases,
            kind=kind, issuer=issuer, status=status, effective=effective,
            first_effective=first_effective, adopted=adopted, published=published, version=version,
            source_url=source_url or "https://flk.npc.gov.cn/", replaced_by=replaced_by)
    except LawImportError as exc:
        err(f"{path}:{exc.line}: {exc.message}")
        return 1
    except ValueError as exc:  # a bad date option
        err(f"{path}: 参数错误：{exc}（日期应为 YYYY-MM-DD） (bad option value)")
        return 1

    laws_dir = Path(content_dir) / "laws"
    to_stdout = str(out) == "-"
    heads = library_heads(laws_dir) if laws_dir.is_dir() else []
    version_s = str(data["version"]) if data["version"] else None
    same_law = [h for h in heads if h.title == data["title"]]
    same_version = next((h for h in same_law if h.version == version_s), None)
    notes: list[str] = []

    # where to write, and which existing file to merge into
    out_path: Optional[Path] = None
    if out is not None and not to_stdout:
        out_path = Path(out)
    elif same_version is not None and not slug:
        out_path = same_version.path
    old = None
    target_file = out_path if out_path is not None else (same_version.path if same_version else None)
    if target_file is not None and target_file.exists():
        try:
            old = load_law_yaml(target_file.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as exc:
            err(f"{target_file}: 现有文件无法读取，不能合并 (cannot read existing file: {exc})")
            return 1
        if not isinstance(old, dict):
            old = None

    if old is None:
        # a new file: a slug of its own, unique in the library
        taken = {h.slug for h in heads} | {h.path.stem for h in heads}
        if out_path is not None and not slug and not slug_problem(out_path.stem):
            data["slug"] = out_path.stem
            guesses["slug"] = infer.Guess(out_path.stem, "输出文件名")
        elif not slug:
            year = data["version"].year if data["version"] else None
            base = data["slug"]
            data["slug"] = unique_slug(base, taken, year if same_law else None)
            if data["slug"] != base:
                why = "同一法律的另一版本已用" if same_law else "已被另一部法律使用"
                guesses["slug"] = infer.Guess(data["slug"], f"简称的拼音；“{base}”{why}")
        elif slug in taken and not (out_path and out_path.exists()):
            err(f"{path}: slug “{slug}” 已被 {laws_dir / (slug + '.yaml')} 使用 (slug already taken)")
            return 1
        newer = sorted((h for h in same_law if h.version and version_s and h.version > version_s),
                       key=lambda h: h.version)
        if newer and not replaced_by and not status:
            # an older text of a law whose newer version is in the library: it was replaced
            data["status"], data["replaced_by"] = "已修改", newer[0].slug
            guesses["status"] = infer.Guess("已修改", f"库中已有较新的版本 {newer[0].path}；"
                                            f"replaced_by: {newer[0].slug}")
        for other in same_law:
            older = bool(other.version and version_s and other.version > version_s)
            if older and not data.get("replaced_by"):
                notes.append(f"同一法律较新的版本：{other.path}（{other.version}）。若本文本已被取代，"
                             f"请加 --replaced-by {other.slug}")
            elif not older and other.status == "有效":
                notes.append(f"同一法律较旧的版本：{other.path}（{other.version}）。若它已被本文本取代，"
                             f"请在该文件中设 status: 已修改 和 replaced_by: {data['slug']}")
    vanished: list[str] = []
    if old is not None:
        data, vanished = merge_reimport(old, data, overrides={
            "slug": slug, "short_name": short_name, "aliases": aliases, "kind": kind,
            "status": status, "issuer": issuer, "source_url": source_url,
            "replaced_by": replaced_by, "effective": effective})
        for key in ("slug", "short_name", "aliases", "kind", "issuer", "status"):
            if guesses.get(key) and guesses[key].value != data.get(key):
                guesses[key] = infer.Guess(data[key], "沿用现有文件 (kept from the existing file)")
        if guesses["effective"].value is None and data.get("effective"):
            guesses["effective"] = infer.Guess(data["effective"], "沿用现有文件 (kept from the existing file)")
    if out_path is None and not to_stdout:
        out_path = laws_dir / f"{data['slug']}.yaml"

    yaml_text = dump_law_yaml(data)
    if to_stdout:
        stdout.write(yaml_text)
        target = "-"
    else:
        assert out_path is not None
        out_path.parent.mkdir(parents=True, exist_ok=True)
        out_path.write_text(yaml_text, encoding="utf-8")
        target = str(out_path)

    report = stderr if to_stdout else stdout
    n = sum(1 for _ in iter_articles(data))
    elapsed = time.perf_counter() - started
    merged = "，已合并原有注释和主题 (merged with the existing file)" if old is not None else ""
    print(f"已导入 {n} 条 ({n} articles)：{data['title']} → {target}{merged}，"
          f"用时 {elapsed:.2f} 秒 ({elapsed:.2f} s)", file=report)
    print("从文本推断（如有不对，请用括号里的选项更正） (inferred from the text):", file=report)
    for key, (label, option) in LABELS.items():
        g = guesses.get(key)
        if g is None:
            continue
        hint = f"  [{option}]" if option else ""
        print(f"  {label} {key}: {_fmt(data.get(key, g.value))} — {g.reason}{hint}", file=report)
    for note in notes:
        print(f"提示：{note}", file=report)
    for problem in _validate(data):
        err(f"{target}: 警告：{problem} (warning: the YAML does not validate yet)")
    if data.get("effective") is None:
        err(f"{target}: 警告：没有本版本施行日期，请用 --effective 指定 (no effective date; pass --effective)")
    for anchor in vanished:
        err(f"{target}: 警告：条文 #{anchor} 在新文本中已不存在，其注释/主题已丢弃 (article anchor vanished)")
    return 0


def _validate(data: dict) -> list[str]:
    """Problems reported by the content model (the file is written anyway, for editing)."""
    from pydantic import ValidationError

    from weiquan.content.model import Law
    try:
        Law.model_validate(data)
    except ValidationError as exc:
        return [f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()]
    return []
