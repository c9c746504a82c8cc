"""`weiquan import-law`: official law text → law YAML (logic in weiquan.lawtext.command)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from weiquan.lawtext.command import import_law_file


@click.command("import-law")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("-o", "--out", help="输出文件，- 为标准输出（默认 content/laws/<slug>.yaml，或已有的同一文本）")
@click.option("--slug", help="网址名（默认：简称的拼音，如 zhian-guanli-chufa-fa）")
@click.option("--short-name", help="简称（默认：从标题推断）")
@click.option("--alias", "aliases", multiple=True, help="别名，可重复")
@click.option("--kind", type=click.Choice(["法律", "行政法规", "司法解释", "部门规章", "地方性法规",
                                           "规范性文件", "其他"]), help="类别（默认：从标题和题注推断）")
@click.option("--issuer", help="制定机关（默认：从题注推断）")
@click.option("--status", type=click.Choice(["有效", "已修改", "已废止", "尚未生效"]),
              help="状态（默认 有效；给出 --replaced-by 时为 已修改）")
@click.option("--replaced-by", help="取代本文本的现行版本的 slug（导入旧版本时用）")
@click.option("--adopted", help="通过日期 YYYY-MM-DD（文本题注没有时）")
@click.option("--published", help="公布日期 YYYY-MM-DD")
@click.option("--version", "version", help="版本日期 YYYY-MM-DD")
@click.option("--effective", help="本版本施行日期 YYYY-MM-DD（修正文本的施行日期见修改决定）")
@click.option("--first-effective", help="首次施行日期 YYYY-MM-DD")
@click.option("--source-url", help="官方来源网址")
@click.option("--content-dir", default="content", show_default=True)
def import_law(file: Path, **options) -> None:
    """导入官方法律文本 (import an official law text into a law YAML)."""
    sys.exit(import_law_file(file, **options))
