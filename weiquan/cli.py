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
@click.option("--no-leaflets", is_flag=True, help="不生成宣传单 (skip leaflets)")
@click.option("--jobs", default=2, show_default=True, help="生成宣传单的进程数")
def build(config_path: Path, site_dir: Path | None, no_leaflets: bool, jobs: int) -> None:
    """检查内容，生成宣传单和网站 (check content, render leaflets, build the site, swap it in)."""
    from .publish import build_site
    sys.exit(build_site(config_path, site_dir, leaflets=not no_leaflets, jobs=jobs))


@main.command()
@click.option("--config", "config_path", default="mkdocs.yml", type=click.Path(exists=True, path_type=Path))
@click.option("--out", "out_dir", type=click.Path(path_type=Path), help="输出目录 (default: site_dir)")
@click.option("--bleed", is_flag=True, help="四边各加 3 mm 出血，供印刷厂使用")
@click.option("--no-pinyin", is_flag=True, help="不生成拼音版")
@click.option("--jobs", default=2, show_default=True, help="进程数")
@click.option("--font-dir", type=click.Path(path_type=Path), help="中文字体目录 (or WEIQUAN_FONT_DIR)")
def leaflets(config_path: Path, out_dir: Path | None, bleed: bool, no_pinyin: bool, jobs: int,
             font_dir: Path | None) -> None:
    """生成宣传单 PDF (render print-ready leaflets into <site>/leaflets/)."""
    from .cli_leaflets import leaflets_command
    from .publish import project_paths, site_url_of
    content_dir, site_dir = project_paths(config_path.resolve())
    sys.exit(leaflets_command(content_dir, out_dir or site_dir, site_url_of(config_path), bleed=bleed,
                              pinyin=not no_pinyin, jobs=jobs, font_dir=font_dir))


@main.command()
@click.option("--out", default="schemas", type=click.Path(path_type=Path), help="输出目录")
def schema(out: Path) -> None:
    """生成 JSON Schema (write JSON Schemas for editors)."""
    from .schema import write_schemas
    for path in write_schemas(out):
        click.echo(str(path))


@main.command()
@click.argument("query", nargs=-1, required=True)
@click.option("--config", "config_path", default="mkdocs.yml", type=click.Path(exists=True, path_type=Path))
@click.option("--limit", default=10, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="JSON 输出 (for scripts)")
def search(query: tuple[str, ...], config_path: Path, limit: int, as_json: bool) -> None:
    """检索法律条文、案例、指南、服务站 (staff search: 汉字, pinyin, initials, 繁體)."""
    import json
    from .build import BuildOptions, prepare
    from .problems import ContentError
    from .publish import project_paths
    from .staffsearch import ensure_index, format_results
    from .staffsearch import search as run_search
    content_dir, _ = project_paths(config_path.resolve())
    try:
        build = prepare(BuildOptions(content_dir=content_dir))
    except ContentError as exc:
        click.echo(str(exc), err=True)
        sys.exit(1)
    index = ensure_index(build.docs, content_dir.resolve().parent / ".weiquan-cache" / "whoosh")
    results = run_search(index, " ".join(query), limit=limit)
    click.echo(json.dumps(results, ensure_ascii=False, indent=2) if as_json else format_results(results))


@main.command()
@click.option("--config", "config_path", default="mkdocs.yml", type=click.Path(exists=True, path_type=Path),
              help="mkdocs.yml")
@click.option("--out", default="dist/weiquan-offline.zip", type=click.Path(path_type=Path), help="输出的 zip 文件")
def offline(config_path: Path, out: Path) -> None:
    """生成离线版 (offline edition: one zip that works from file://)."""
    from .offline import build_offline
    try:
        click.echo(f"离线版已生成 (offline edition): {build_offline(config_path, out)}")
    except RuntimeError as exc:
        click.echo(str(exc), err=True)
        sys.exit(1)


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
