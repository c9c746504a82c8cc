"""`weiquan build`: check, render leaflets, build the site and swap it in."""

from __future__ import annotations

import sys
from pathlib import Path

import click


@click.command()
@click.option("--config", "config_path", default="mkdocs.yml", type=click.Path(exists=True, path_type=Path),
              help="mkdocs.yml")
@click.option("--site-dir", type=click.Path(path_type=Path), help="输出目录 (default: site_dir of mkdocs.yml)")
@click.option("--no-leaflets", is_flag=True, help="不生成宣传单 (skip leaflets)")
@click.option("--jobs", default=2, show_default=True, help="生成宣传单的进程数")
def build(config_path: Path, site_dir: Path | None, no_leaflets: bool, jobs: int) -> None:
    """检查内容，生成宣传单和网站 (check content, render leaflets, build the site, swap it in)."""
    from weiquan.build.publish import build_site
    sys.exit(build_site(config_path, site_dir, leaflets=not no_leaflets, jobs=jobs))
