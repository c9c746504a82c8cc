"""`weiquan leaflets`: print-ready PDF leaflets into the built site."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Optional

import click

from weiquan.leaflets.fonts import LeafletError


def leaflets_command(content_root: Path | str, out_dir: Path | str, site_url: str, bleed: bool = False,
                     pinyin: bool = True, jobs: int = 2, font_dir: Optional[Path | str] = None,
                     version: Optional[str] = None) -> int:
    """Render all leaflets; print a summary to stdout, problems to stderr. Returns the exit code."""
    from weiquan.leaflets.render import content_version, render_leaflets

    from weiquan.content.loader import load_content
    from weiquan.content.problems import ContentError

    t0 = time.perf_counter()
    try:
        content = load_content(Path(content_root))
    except ContentError as exc:
        for p in getattr(exc, "problems", [exc]):
            print(str(p), file=sys.stderr)
        print("内容有错误，未生成宣传页 (content has errors)", file=sys.stderr)
        return 1
    try:
        results = render_leaflets(content, Path(out_dir), site_url=site_url,
                                  version=version or content_version(content_root), bleed=bleed,
                                  pinyin=pinyin, jobs=jobs, font_dir=font_dir)
    except LeafletError as exc:
        for line in exc.errors:
            print(line, file=sys.stderr)
        return 1
    total = time.perf_counter() - t0
    n = len(results)
    if n == 0:
        print("leaflets: 0 (no campaigns)")
        return 0
    kb = sum(r.bytes for r in results) / 1024
    print(f"leaflets: {n} PDF in {total:.2f} s ({total / n:.3f} s/leaflet wall, "
          f"{sum(r.seconds for r in results) / n:.3f} s/leaflet compile), "
          f"{kb / n:.0f} KB/leaflet (max {max(r.bytes for r in results) / 1024:.0f} KB) "
          f"→ {Path(out_dir) / 'leaflets'}")
    return 0


@click.command()
@click.option("--config", "config_path", default="mkdocs.yml", type=click.Path(exists=True, path_type=Path))
@click.option("--out", "out_dir", type=click.Path(path_type=Path), help="输出目录 (default: site_dir)")
@click.option("--bleed", is_flag=True, help="四边各加 3 mm 出血，供印刷厂使用")
@click.option("--no-pinyin", is_flag=True, help="不生成拼音版")
@click.option("--jobs", default=2, show_default=True, help="进程数")
@click.option("--font-dir", type=click.Path(path_type=Path), help="中文字体目录 (or WEIQUAN_FONT_DIR)")
def leaflets(config_path: Path, out_dir: Path | None, bleed: bool, no_pinyin: bool, jobs: int,
             font_dir: Path | None) -> None:
    """生成宣传单 PDF (render print-ready leaflets into <site>/leaflets/)."""
    from weiquan.build.publish import project_paths, site_url_of
    content_dir, site_dir = project_paths(config_path.resolve())
    sys.exit(leaflets_command(content_dir, out_dir or site_dir, site_url_of(config_path), bleed=bleed,
                              pinyin=not no_pinyin, jobs=jobs, font_dir=font_dir))
