"""`weiquan new`: write a commented starting file (logic in weiquan.content.templates)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from weiquan.content.templates import BUILDERS


@click.command()
@click.argument("kind", type=click.Choice(list(BUILDERS)))
@click.argument("slug")
@click.option("--region", help="服务站的区划代码（乡级 9 位或县级 6 位），名称从区划数据里填好")
@click.option("--title", help="标题或名称（可选）")
@click.option("--content-dir", default="content", show_default=True, type=click.Path(path_type=Path))
@click.option("--force", is_flag=True, help="覆盖已有的文件")
def new(kind: str, slug: str, region: str | None, title: str | None, content_dir: Path, force: bool) -> None:
    """新建条目 (write a starting file): station | case | campaign | guide | law.

    例：weiquan new station xinzhen --region 330503001
    """
    from weiquan.content.templates import TemplateError, new_file
    try:
        made = new_file(kind, slug, content_dir, region=region, title=title, force=force)
    except TemplateError as exc:
        click.echo(f"错误：{exc}", err=True)
        sys.exit(1)
    made.path.parent.mkdir(parents=True, exist_ok=True)
    made.path.write_text(made.text, encoding="utf-8", newline="\n")
    click.echo(f"已新建 {made.path}：请打开修改，改完运行 weiquan check {content_dir}")
