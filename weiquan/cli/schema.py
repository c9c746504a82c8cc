"""`weiquan schema`: write JSON Schemas for editors."""

from __future__ import annotations

from pathlib import Path

import click


@click.command()
@click.option("--out", default="schemas", type=click.Path(path_type=Path), help="输出目录")
def schema(out: Path) -> None:
    """生成 JSON Schema (write JSON Schemas for editors)."""
    from weiquan.content.schema import write_schemas
    for path in write_schemas(out):
        click.echo(str(path))
