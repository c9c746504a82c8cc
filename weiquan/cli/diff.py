"""`weiquan diff OLD_SITE NEW_SITE`: which pages a change adds, changes and removes."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click


@click.command()
@click.argument("old_site", type=click.Path(path_type=Path))
@click.argument("new_site", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["markdown", "json"]), default="markdown", show_default=True)
@click.option("--base-url", default="", help="预览网站的网址（链接到变化的页面）")
@click.option("--limit", default=50, show_default=True, help="每类最多列出多少页")
def diff(old_site: Path, new_site: Path, fmt: str, base_url: str, limit: int) -> None:
    """比较两次生成的网站 (pages added / changed / removed between two builds)."""
    from weiquan.build.sitediff import compare, markdown
    result = compare(old_site, new_site)
    missing = not old_site.is_dir()
    if fmt == "json":
        data = {k: [p.__dict__ for p in getattr(result, k)] for k in ("added", "changed", "removed", "menu_only")}
        data.update(files_added=result.files_added, files_changed=result.files_changed,
                    files_removed=result.files_removed, old_missing=missing)
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        sys.stdout.write(markdown(result, base_url, limit, old_missing=missing))
