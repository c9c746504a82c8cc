"""The `weiquan` command line."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .loader import check_content

COUNT_LABELS = [("laws", "法律"), ("articles", "条文"), ("cases", "案例"), ("stations", "服务站"),
                ("campaigns", "活动"), ("guides", "指南")]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """weiquan：妇女儿童维权内容 → 网站和宣传单 (content → site + leaflets)."""


@main.command()
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


@main.command()
@click.option("--config", "config_path", default="mkdocs.yml", type=click.Path(exists=True, path_type=Path),
              help="mkdocs.yml")
@click.option("--site-dir", type=click.Path(path_type=Path), help="输出目录 (default: site_dir of mkdocs.yml)")
def build(config_path: Path, site_dir: Path | None) -> None:
    """检查内容并生成网站 (check content, build the site, swap it in atomically)."""
    from .publish import build_site
    sys.exit(build_site(config_path, site_dir))


@main.command()
@click.option("--out", default="schemas", type=click.Path(path_type=Path), help="输出目录")
def schema(out: Path) -> None:
    """生成 JSON Schema (write JSON Schemas for editors)."""
    from .schema import write_schemas
    for path in write_schemas(out):
        click.echo(str(path))


@main.command("import-law")
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
    from .cli_import import import_law_command
    sys.exit(import_law_command(file, **options))


if __name__ == "__main__":
    main()
