"""`weiquan leaflets`: print-ready PDF leaflets into the built site (wired into click by cli.py)."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Optional

from .fonts import LeafletError


def leaflets_command(content_root: Path | str, out_dir: Path | str, site_url: str, bleed: bool = False,
                     pinyin: bool = True, jobs: int = 2, font_dir: Optional[Path | str] = None,
                     version: Optional[str] = None) -> int:
    """Render all leaflets; print a summary to stdout, problems to stderr. Returns the exit code."""
    from .leaflets import content_version, render_leaflets

    from .loader import load_content
    from .problems import ContentError

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
