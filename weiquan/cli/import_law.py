"""`weiquan import-law`: official law text → law YAML."""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path
from typing import Any, Iterable

import click

from weiquan.lawtext.importer import (LawImportError, dump_law_yaml, iter_articles, load_law_yaml,
                       merge_reimport, parse_law_text)

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def _err(message: str) -> None:
    print(message, file=sys.stderr)


def import_law_command(path: str | Path, *, slug: str | None = None,
                       short_name: str | None = None, aliases: Iterable[str] = (),
                       kind: str | None = None, status: str | None = None,
                       issuer: str | None = None, effective: Any = None,
                       source_url: str | None = None, out: str | Path | None = None,
                       adopted: Any = None, version: Any = None,
                       content_dir: str | Path = "content") -> int:
    """Import one official law text; write content/laws/<slug>.yaml (or --out). Returns exit code.

    If the output file exists, the import is merged into it (merge_reimport): slug, names,
    kind, status and article notes/topics are kept, and vanished article anchors are listed.
    """
    started = time.perf_counter()
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        _err(f"{path}: 无法读取文件 (cannot read file: {exc})")
        return 1

    to_stdout = str(out) == "-"
    out_path: Path | None = None
    if not to_stdout:
        if out is not None:
            out_path = Path(out)
        elif slug:
            out_path = Path(content_dir) / "laws" / f"{slug}.yaml"
    old = None
    if out_path is not None and out_path.exists():
        try:
            old = load_law_yaml(out_path.read_text(encoding="utf-8"))
        except Exception as exc:  # noqa: BLE001 - any YAML problem: report, don't merge
            _err(f"{out_path}: 现有文件无法读取，不能合并 (cannot read existing file: {exc})")
            return 1
        if not isinstance(old, dict):
            old = None

    if not slug:
        if old and old.get("slug"):
            slug = old["slug"]
        elif out_path is not None and SLUG_RE.match(out_path.stem):
            slug = out_path.stem
    if not slug or not SLUG_RE.match(slug):
        _err(f"{path}: 需要有效的 --slug（小写字母、数字、连字符） "
             f"(pass --slug with [a-z0-9-], e.g. fan-jiating-baoli-fa)")
        return 1
    if out_path is None and not to_stdout:
        out_path = Path(content_dir) / "laws" / f"{slug}.yaml"

    try:
        data = parse_law_text(
            text, source_name=str(path), slug=slug, short_name=short_name,
            aliases=list(aliases or []), kind=kind, issuer=issuer, status=status or "有效",
            effective=effective, adopted=adopted, version=version,
            source_url=source_url or "https://flk.npc.gov.cn/")
    except LawImportError as exc:
        _err(f"{path}:{exc.line}: {exc.message}")
        return 1
    except ValueError as exc:  # a bad --effective/--adopted date
        _err(f"{path}: 参数错误：{exc} (bad option value)")
        return 1

    vanished: list[str] = []
    if old is not None:
        data, vanished = merge_reimport(old, data, overrides={
            "slug": slug, "short_name": short_name, "aliases": list(aliases or []),
            "kind": kind, "status": status, "issuer": issuer, "source_url": source_url,
            "effective": effective})

    for problem in _validate(data):
        _err(f"{path}: 警告：{problem} (warning: the YAML does not validate yet)")
    if data.get("effective") is None:
        _err(f"{path}: 警告：没有施行日期，请用 --effective 指定 (no effective date; pass --effective)")

    yaml_text = dump_law_yaml(data)
    if to_stdout:
        sys.stdout.write(yaml_text)
        target = "-"
    else:
        assert out_path is not None
        out_path.parent.mkdir(parents=True, exist_ok=True)
        out_path.write_text(yaml_text, encoding="utf-8")
        target = str(out_path)

    n = sum(1 for _ in iter_articles(data))
    elapsed = time.perf_counter() - started
    report = sys.stderr if to_stdout else sys.stdout
    merged = "，已合并原有注释和主题 (merged with existing file)" if old is not None else ""
    print(f"已导入 {n} 条 ({n} articles)：{data['title']} → {target}{merged}，"
          f"用时 {elapsed:.2f} 秒 ({elapsed:.2f} s)", file=report)
    for anchor in vanished:
        _err(f"{target}: 警告：条文 #{anchor} 在新文本中已不存在，其注释/主题已丢弃 "
             f"(article anchor vanished)")
    return 0


def _validate(data: dict) -> list[str]:
    """Problems reported by the content model, if it is available (soft check)."""
    try:
        from weiquan.content.model import Law
    except Exception:  # noqa: BLE001 - the model is optional for the importer
        return []
    try:
        Law.model_validate(data)
    except Exception as exc:  # pydantic.ValidationError
        errors = getattr(exc, "errors", None)
        if callable(errors):
            return [f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in errors()]
        return [str(exc)]
    return []


@click.command("import-law")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--slug")
@click.option("--short-name")
@click.option("--alias", "aliases", multiple=True)
@click.option("--kind")
@click.option("--status")
@click.option("--issuer")
@click.option("--effective")
@click.option("--source-url")
@click.option("--out", help="输出文件，- 为标准输出 (default content/laws/<slug>.yaml)")
@click.option("--content-dir", default="content", show_default=True)
def import_law(file: Path, **options) -> None:
    """导入官方法律文本 (import an official law text into a law YAML)."""
    sys.exit(import_law_command(file, **options))
