"""`weiquan check`: validate content and print problems as file:line (text, GitHub annotations or JSON)."""

from __future__ import annotations

import gc
import json
import sys
from pathlib import Path

import click

from weiquan.content.digest import cache_folder
from weiquan.content.loader import check_content
from weiquan.content.problems import as_dict, github_annotation
from weiquan.content.types import count_labels


@click.command()
@click.argument("content_dir", default="content", type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "github", "json"]), default="text", show_default=True,
              help="text：文件:行号: 说明；github：GitHub Actions 注释（显示在 PR 改动的那一行）；json：给其他工具")
@click.option("--no-leaflets", is_flag=True, help="不试排宣传单（不检查宣传单是否放得下）")
@click.option("--no-cache", is_flag=True,
              help="不用也不写缓存 .weiquan-cache/（内容目录旁边；有缓存时只重新读取和试排改过的内容）")
@click.option("--jobs", type=int, default=2, show_default=True, help="试排宣传单的进程数")
def check(content_dir: Path, fmt: str, no_leaflets: bool = False, no_cache: bool = False, jobs: int = 2) -> None:
    """检查内容 (validate everything under CONTENT_DIR)."""
    cache_dir = None if no_cache else cache_folder(content_dir)
    content, problems = check_content(content_dir, cache_dir)
    gc.freeze()   # the content stays till the end: later garbage collections need not walk it
    if content is not None and not no_leaflets:   # lay out the leaflets: which field is too long
        from weiquan.leaflets.fit import check_leaflets
        problems = check_leaflets(content, cache_dir=cache_dir, jobs=jobs)
    counts = content.counts() if content is not None else {}
    if fmt == "json":
        click.echo(json.dumps({"ok": not problems, "problems": [as_dict(p) for p in problems], "counts": counts},
                              ensure_ascii=False, indent=2))
        sys.exit(1 if problems else 0)
    if problems:
        for p in problems:
            if fmt == "github":
                click.echo(github_annotation(p))
            click.echo(str(p), err=True)
        click.echo(f"发现 {len(problems)} 个问题 ({len(problems)} problems)", err=True)
        sys.exit(1)
    click.echo("内容无误 (ok): " + "，".join(f"{label} {counts[key]}" for key, label in count_labels()))
