"""`weiquan check`: validate content and print problems as file:line."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from weiquan.content.loader import check_content


COUNT_LABELS = [("laws", "法律"), ("articles", "条文"), ("cases", "案例"), ("stations", "服务站"),
                ("campaigns", "活动"), ("guides", "指南")]


@click.command()
@click.argument("content_dir", default="content", type=click.Path(path_type=Path))
def check(content_dir: Path) -> None:
    """检查内容 (validate everything under CONTENT_DIR)."""
    content, problems = check_content(content_dir)
    if problems:
        for p in problems:
            click.echo(str(p), err=True)
        click.echo(f"发现 {len(problems)} 个问题 ({len(problems)} problems)", err=True)
        sys.exit(1)
    counts = content.counts()
    click.echo("内容无误 (ok): " + "，".join(f"{label} {counts[key]}" for key, label in COUNT_LABELS))
