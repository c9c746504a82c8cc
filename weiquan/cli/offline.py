"""`weiquan offline`: the offline edition (one zip that works from file://)."""

from __future__ import annotations

import sys
from pathlib import Path

import click


@click.command()
@click.option("--config", "config_path", default="mkdocs.yml", type=click.Path(exists=True, path_type=Path),
              help="mkdocs.yml")
@click.option("--out", default="dist/weiquan-offline.zip", type=click.Path(path_type=Path), help="输出的 zip 文件")
def offline(config_path: Path, out: Path) -> None:
    """生成离线版 (offline edition: one zip that works from file://)."""
    from weiquan.build.offline import build_offline
    try:
        click.echo(f"离线版已生成 (offline edition): {build_offline(config_path, out)}")
    except RuntimeError as exc:
        click.echo(str(exc), err=True)
        sys.exit(1)
