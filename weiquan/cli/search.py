"""`weiquan search`: staff search over laws, cases, guides and stations."""

from __future__ import annotations

import sys
from pathlib import Path

import click


@click.command()
@click.argument("query", nargs=-1, required=True)
@click.option("--config", "config_path", default="mkdocs.yml", type=click.Path(exists=True, path_type=Path))
@click.option("--limit", default=10, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="JSON 输出 (for scripts)")
def search(query: tuple[str, ...], config_path: Path, limit: int, as_json: bool) -> None:
    """检索法律条文、案例、指南、服务站 (staff search: 汉字, pinyin, initials, 繁體)."""
    import json
    from weiquan.build.engine import BuildOptions, prepare
    from weiquan.content.problems import ContentError
    from weiquan.build.publish import project_paths
    from weiquan.content.digest import cache_folder
    from weiquan.search.staff import ensure_index, format_results
    from weiquan.search.staff import search as run_search
    content_dir, _ = project_paths(config_path.resolve())
    try:
        build = prepare(BuildOptions(content_dir=content_dir))
    except ContentError as exc:
        click.echo(str(exc), err=True)
        sys.exit(1)
    from weiquan.search.index import rules_for
    rules = rules_for(build.content)   # the thesaurus and the pinyin overrides, as the site reads them
    index = ensure_index(build.docs, cache_folder(content_dir) / "whoosh", rules=rules)
    results = run_search(index, " ".join(query), limit=limit, rules=rules)
    click.echo(json.dumps(results, ensure_ascii=False, indent=2) if as_json else format_results(results))
