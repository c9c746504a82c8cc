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
                     stations: Optional[list[str]] = None, packs: bool = True, shop: bool = True,
                     station_prints: bool = True, cache: bool = True) -> int:
    """Render the leaflets (all, or those of the named campaigns / stations) and the stations'
    posters and registers (all stations; the named ones; none with only ``campaigns``; unchanged
    ones from the project's cache); print a summary to stdout, problems to stderr. Returns the
    exit code."""
    from weiquan.leaflets.render import content_version, render_leaflets
    from weiquan.leaflets.stationprint import cache_dir_for, render_station_prints

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
    version = version or content_version(content_root)
    named = list(dict.fromkeys(stations)) if stations else None
    prints: list = []
    try:
        # station prints first: the print packs run typst in this process, after which a
        # worker pool has to be spawned rather than forked (slower to start)
        t1 = time.perf_counter()
        if station_prints and (named or not campaigns):
            prints = render_station_prints(content, Path(out_dir), site_url=site_url, pinyin=pinyin, jobs=jobs,
                                           font_dir=font_dir, stations=named,
                                           cache_dir=cache_dir_for(content_root) if cache else None)
        prints_seconds = time.perf_counter() - t1
        results = render_leaflets(content, Path(out_dir), site_url=site_url, version=version, bleed=bleed,
                                  shop=shop, pinyin=pinyin, jobs=jobs, font_dir=font_dir,
                                  campaigns=set(campaigns) if campaigns else None,
                                  stations=named, packs=packs and not stations)
    except LeafletError as exc:
        for line in exc.errors:
            print(line, file=sys.stderr)
        return 1
    total = time.perf_counter() - t0 - prints_seconds
    packs_done = [r for r in results if r.kind == "pack"]
    results = [r for r in results if r.kind != "pack"]
    n = len(results)
    if n == 0:
        print("leaflets: 0 (no campaigns)")
    else:
        kb = sum(r.bytes for r in results) / 1024
        print(f"leaflets: {n} PDF in {total:.2f} s ({total / n:.3f} s/leaflet wall, "
              f"{sum(r.seconds for r in results) / n:.3f} s/leaflet compile), "
              f"{kb / n:.0f} KB/leaflet (max {max(r.bytes for r in results) / 1024:.0f} KB) "
              f"→ {Path(out_dir) / 'leaflets'}"
              + (f" ({sum(r.shop for r in results)} 印刷厂版 …-yinshua.pdf)" if any(r.shop for r in results) else ""))
    for r in packs_done:
        print(f"print pack: {r.path} ({r.bytes / 1024:.0f} KB, {r.seconds:.2f} s)")
    if prints:
        print(station_prints_summary(prints, prints_seconds))
    return 0


def station_prints_summary(prints, seconds: float) -> str:
    """One line: how many posters and registers, time per poster (scripts/bench reads it)."""
    def mean(rs):
        return sum(r.seconds for r in rs) / len(rs) if rs else 0.0
    compiled = [r for r in prints if not r.reused]
    posters = [r for r in compiled if r.kind == "poster" and not r.pinyin]
    pinyin = [r for r in compiled if r.kind == "poster" and r.pinyin]
    registers = [r for r in compiled if r.kind == "register"]
    every = [r for r in prints if r.kind == "poster"]
    stations = len({r.station for r in prints})
    reused = len(prints) - len(compiled)
    return (f"station prints: {len(every)} 公示牌 + {len(prints) - len(every)} 登记表 for {stations} stations "
            f"in {seconds:.2f} s ({seconds / stations:.3f} s/station wall; compile {mean(posters):.3f} s/poster, "
            f"{mean(pinyin):.3f} s/pinyin poster, {mean(registers):.3f} s/register), "
            f"{sum(r.bytes for r in every) / 1024 / max(1, len(every)):.0f} KB/poster"
            + (f"; {reused} unchanged, taken from the cache" if reused else ""))


@click.command()
@click.option("--config", "config_path", default="mkdocs.yml", type=click.Path(exists=True, path_type=Path))
@click.option("--out", "out_dir", type=click.Path(path_type=Path), help="输出目录 (default: site_dir)")
@click.option("--bleed", is_flag=True, help="只生成宣传单的印刷厂版（…-yinshua.pdf：四边各加 3 mm 出血，CMYK）")
@click.option("--no-yinshua", is_flag=True, help="不生成宣传单的印刷厂版")
@click.option("--no-pinyin", is_flag=True, help="不生成拼音版")
@click.option("--jobs", default=2, show_default=True, help="进程数")
@click.option("--font-dir", type=click.Path(path_type=Path), help="中文字体目录 (or WEIQUAN_FONT_DIR)")
@click.option("--campaign", "campaigns", multiple=True, metavar="SLUG", help="只生成这个活动的宣传单（可重复）")
@click.option("--station", "stations", multiple=True, metavar="SLUG",
              help="只生成这个服务站的宣传单、公示牌和来访登记表（可重复；不参加活动的服务站也可以）")
@click.option("--no-pack", is_flag=True, help="不生成印刷合订本（每个活动一份，各服务站 A5 各一页）")
@click.option("--no-poster", is_flag=True, help="不生成服务站公示牌和来访登记表")
def leaflets(config_path: Path, out_dir: Path | None, bleed: bool, no_yinshua: bool, no_pinyin: bool, jobs: int,
             font_dir: Path | None, campaigns: tuple[str, ...], stations: tuple[str, ...], no_pack: bool,
             no_poster: bool) -> None:
    """生成宣传单 PDF (render print-ready leaflets into <site>/leaflets/).

    \b
    weiquan leaflets                                     全部活动、全部参加的服务站（普通版和印刷厂版）、
                                                         印刷合订本，每个服务站的公示牌和来访登记表
    weiquan leaflets --campaign sanba-2027               只生成一个活动的宣传单
    weiquan leaflets --campaign sanba-2027 --station donghe   一个服务站的宣传单、公示牌和来访登记表
    """
    from weiquan.build.publish import project_paths, site_url_of
    content_dir, site_dir = project_paths(config_path.resolve())
    sys.exit(leaflets_command(content_dir, out_dir or site_dir, site_url_of(config_path), bleed=bleed,
                              pinyin=not no_pinyin, jobs=jobs, font_dir=font_dir,
                              campaigns=list(campaigns) or None, stations=list(stations) or None,
                              packs=not no_pack, shop=not no_yinshua, station_prints=not no_poster))
