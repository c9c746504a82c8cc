"""`weiquan build`: check content, build the site into a fresh folder, then swap it in, so a
failed build never leaves a broken or half-written site behind."""

from __future__ import annotations

import multiprocessing
import os
import pickle
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import yaml

from weiquan.build.atomic import new_folder_for, remove_stale, swap_in
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


class Stopped(BaseException):
    """SIGTERM / SIGINT while building."""


def build_site(config_path: Path, site_dir: Path | None = None, **kw) -> int:
    """Build; SIGTERM or SIGINT (Ctrl-C) stops the site engine and the worker processes too, removes
    the half-built folders and leaves the previous site as it was."""
    def stop(signum, frame):
        raise Stopped(signum)
    if threading.current_thread() is not threading.main_thread():   # signals reach the main thread only
        return _build_site(config_path, site_dir, **kw)
    old = {s: signal.signal(s, stop) for s in (signal.SIGTERM, signal.SIGINT)}
    try:
        return _build_site(config_path, site_dir, **kw)
    except (Stopped, KeyboardInterrupt) as exc:
        for s in old:   # a second signal must not interrupt the cleaning up
            signal.signal(s, signal.SIG_IGN)
        for child in multiprocessing.active_children():   # leaflet workers
            child.terminate()
        signum = exc.args[0] if isinstance(exc, Stopped) else signal.SIGINT
        print("已停止，原有网站未改动 (stopped; site left untouched)", file=sys.stderr)
        return 128 + int(signum)
    finally:
        for s, handler in old.items():
            signal.signal(s, handler)


def _run_engine(cmd: list[str], **kw) -> subprocess.CompletedProcess:
    """`mkdocs build` in a process group of its own, so stopping the build stops it and its workers."""
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True, **kw)
    try:
        out, err = proc.communicate()
    except BaseException:
        for sig, wait in ((signal.SIGTERM, 5), (signal.SIGKILL, 5)):
            try:
                os.killpg(proc.pid, sig)
                proc.wait(wait)
                break
            except (ProcessLookupError, subprocess.TimeoutExpired):
                continue
        raise
    return subprocess.CompletedProcess(cmd, proc.returncode, out, err)


def _build_site(config_path: Path, site_dir: Path | None = None, *, quiet: bool = False,
                leaflets: bool = True, jobs: int = 2, compress: bool = True) -> int:
    """``compress``: write .gz (and .br) copies of the text files for servers to send as they are."""
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
    remove_stale(site_dir)   # what an interrupted build left behind
    tmp = new_folder_for(site_dir)
    leaflets_out = tmp.with_name(tmp.name + "-leaflets")
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
            out = leaflets_out
            try:
                results = render_leaflets(content, out, site_url=site_url_of(config_path),
                                          version=content_version(content_dir), jobs=jobs, packs=True)
            except LeafletError as exc:
                from weiquan.leaflets.fit import overflow_problems   # the content line that is too long
                mapped, other = overflow_problems(content, list(exc.errors))
                for line in [*map(str, mapped), *other]:
                    print(line, file=sys.stderr)
                print("宣传单生成失败，原有网站未改动 (leaflets failed; site left untouched)", file=sys.stderr)
                return 1
            env["WEIQUAN_LEAFLETS_DIR"] = str(out)
            summary = f"，宣传单 {len(results)} 份"
        cmd = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config_path), "-d", str(tmp)]
        result = _run_engine(cmd, cwd=config_path.parent, env=env)
        if result.returncode != 0:
            sys.stderr.write(result.stdout + result.stderr)
            print("网站生成失败，原有网站未改动 (build failed; site left untouched)", file=sys.stderr)
            return 1
        if compress:
            from weiquan.site.assets import precompress
            precompress(tmp)
        swap_in(tmp, site_dir)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        checked.unlink(missing_ok=True)
        shutil.rmtree(leaflets_out, ignore_errors=True)
    if not quiet:
        pages = sum(1 for _ in site_dir.rglob("index.html"))
        print(f"网站已生成 (built): {site_dir} — {pages} 页{summary}，{time.perf_counter() - started:.1f} 秒")
    return 0
