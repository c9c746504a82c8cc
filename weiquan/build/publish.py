"""`weiquan build`: check content, build the site into a fresh folder, then swap it in, so a
failed build never leaves a broken or half-written site behind."""

from __future__ import annotations

import os
import pickle
import shutil
import subprocess
import sys
import time
from pathlib import Path

import yaml

from weiquan.build.atomic import new_folder_for, swap_in
from weiquan.build.engine import CHECKED_CONTENT_ENV
from weiquan.content.loader import check_content


def read_config(config_path: Path) -> dict:
    """The few mkdocs.yml keys weiquan needs (MkDocs-specific tags are ignored)."""
    class _Loose(yaml.SafeLoader):
        pass
    _Loose.add_multi_constructor("", lambda loader, suffix, node: None)
    return yaml.load(config_path.read_text(encoding="utf-8"), Loader=_Loose) or {}


def project_paths(config_path: Path) -> tuple[Path, Path]:
    """(content dir, site dir) for an mkdocs.yml."""
    cfg = read_config(config_path)
    base = config_path.parent
    content = base / ((cfg.get("extra") or {}).get("weiquan") or {}).get("content", "content")
    return content, base / cfg.get("site_dir", "site")


def site_url_of(config_path: Path) -> str:
    return read_config(config_path).get("site_url") or ""


def build_site(config_path: Path, site_dir: Path | None = None, *, quiet: bool = False,
               leaflets: bool = True, jobs: int = 2) -> int:
    config_path = config_path.resolve()
    content_dir, default_site = project_paths(config_path)
    site_dir = (site_dir or default_site).resolve()
    started = time.perf_counter()
    content, problems = check_content(content_dir)
    if problems:
        for p in problems:
            print(p, file=sys.stderr)
        print(f"内容有 {len(problems)} 个问题，网站未更新 (site left untouched)", file=sys.stderr)
        return 1
    tmp = new_folder_for(site_dir)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    summary = ""
    # The site engine runs in its own process; hand it the content checked here instead of
    # loading it again (about 35 s of a national build).
    checked = tmp.with_name(tmp.name + "-content.pickle")
    checked.write_bytes(pickle.dumps(content, protocol=pickle.HIGHEST_PROTOCOL))
    env[CHECKED_CONTENT_ENV] = str(checked)
    try:
        if leaflets and content.campaigns:
            from weiquan.leaflets.fonts import LeafletError
            from weiquan.leaflets.render import content_version, render_leaflets
            out = tmp.with_name(tmp.name + "-leaflets")
            try:
                results = render_leaflets(content, out, site_url=site_url_of(config_path),
                                          version=content_version(content_dir), jobs=jobs)
            except LeafletError as exc:
                for line in exc.errors:
                    print(line, file=sys.stderr)
                print("宣传单生成失败，原有网站未改动 (leaflets failed; site left untouched)", file=sys.stderr)
                return 1
            env["WEIQUAN_LEAFLETS_DIR"] = str(out)
            summary = f"，宣传单 {len(results)} 份"
        cmd = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config_path), "-d", str(tmp)]
        result = subprocess.run(cmd, cwd=config_path.parent, env=env, capture_output=True, text=True)
        if result.returncode != 0:
            sys.stderr.write(result.stdout + result.stderr)
            print("网站生成失败，原有网站未改动 (build failed; site left untouched)", file=sys.stderr)
            return 1
        swap_in(tmp, site_dir)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        checked.unlink(missing_ok=True)
        if "WEIQUAN_LEAFLETS_DIR" in env:
            shutil.rmtree(env["WEIQUAN_LEAFLETS_DIR"], ignore_errors=True)
    if not quiet:
        pages = sum(1 for _ in site_dir.rglob("index.html"))
        print(f"网站已生成 (built): {site_dir} — {pages} 页{summary}，{time.perf_counter() - started:.1f} 秒")
    return 0
