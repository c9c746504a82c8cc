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
                     version: Optional[str] = None, campaigns: Optional[list[str]] = None,
                     stations: Optional[list[str]] = None, packs: bool = True) -> int:
    """Render the leaflets (all, or those of the named campaigns / stations); print a summary to
    stdout, problems to stderr. Returns the exit code."""
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
    unknown = ([f"找不到活动“{c}” (unknown campaign)" for c in campaigns or [] if c not in content.campaign_by_slug]
               + [f"找不到服务站“{s}” (unknown station)" for s in stations or [] if s not in content.station_by_slug])
    if unknown:
        for line in unknown:
            print(line, file=sys.stderr)
        return 1
    try:
        results = render_leaflets(content, Path(out_dir), site_url=site_url,
                                  version=version or content_version(content_root), bleed=bleed,
                                  pinyin=pinyin, jobs=jobs, font_dir=font_dir,
                                  campaigns=set(campaigns) if campaigns else None,
                                  stations=list(dict.fromkeys(stations)) if stations else None,
                                  packs=packs and not stations)
    except LeafletError as exc:
        for line in exc.errors:
            print(line, file=sys.stderr)
        return 1
    total = time.perf_counter() - t0
    packs_done = [r for r in results if r.kind == "pack"]
    results = [r for r in results if r.kind != "pack"]
    n = len(results)
    if n == 0:
        print("leaflets: 0 (no campaigns)")
        return 0
    kb = sum(r.bytes for r in results) / 1024
    print(f"leaflets: {n} PDF in {total:.2f} s ({total / n:.3f} s/leaflet wall, "
          f"{sum(r.seconds for r in results) / n:.3f} s/leaflet compile), "
          f"{kb / n:.0f} KB/leaflet (max {max(r.bytes for r in results) / 1024:.0f} KB) "
          f"→ {Path(out_dir) / 'leaflets'}")
    for r in packs_done:
        print(f"print pack: {r.path} ({r.bytes / 1024:.0f} KB, {r.seconds:.2f} s)")
    return 0


@click.command()
@click.option("--config", "config_path", default="mkdocs.yml", type=click.Path(exists=True, path_type=Path))
@click.option("--out", "out_dir", type=click.Path(path_type=Path), help="输出目录 (default: site_dir)")
@click.option("--bleed", is_flag=True, help="四边各加 3 mm 出血，供印刷厂使用")
@click.option("--no-pinyin", is_flag=True, help="不生成拼音版")
@click.option("--jobs", default=2, show_default=True, help="进程数")
@click.option("--font-dir", type=click.Path(path_type=Path), help="中文字体目录 (or WEIQUAN_FONT_DIR)")
@click.option("--campaign", "campaigns", multiple=True, metavar="SLUG", help="只生成这个活动的宣传单（可重复）")
@click.option("--station", "stations", multiple=True, metavar="SLUG",
              help="只生成这个服务站的宣传单（可重复；不参加活动的服务站也可以）")
@click.option("--no-pack", is_flag=True, help="不生成印刷合订本（每个活动一份，各服务站 A5 各一页）")
def leaflets(config_path: Path, out_dir: Path | None, bleed: bool, no_pinyin: bool, jobs: int,
             font_dir: Path | None, campaigns: tuple[str, ...], stations: tuple[str, ...], no_pack: bool) -> None:
    """生成宣传单 PDF (render print-ready leaflets into <site>/leaflets/).

    \b
    weiquan leaflets                                     全部活动、全部参加的服务站，和印刷合订本
    weiquan leaflets --campaign sanba-2027               只生成一个活动的
    weiquan leaflets --campaign sanba-2027 --station donghe   只生成一个服务站的（4 份 PDF）
    """
    from weiquan.build.publish import project_paths, site_url_of
    content_dir, site_dir = project_paths(config_path.resolve())
    sys.exit(leaflets_command(content_dir, out_dir or site_dir, site_url_of(config_path), bleed=bleed,
                              pinyin=not no_pinyin, jobs=jobs, font_dir=font_dir,
                              campaigns=list(campaigns) or None, stations=list(stations) or None,
                              packs=not no_pack))
