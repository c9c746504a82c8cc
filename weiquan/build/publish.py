"""`weiquan build`: check content, build the site into a fresh folder, then swap it in, so a
failed build never leaves a broken or half-written site behind."""

from __future__ import annotations

import json
import multiprocessing
import os
import pickle
import shutil
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import yaml

from weiquan.build.atomic import new_file_for, new_folder_for, remove_stale, swap_in
from weiquan.build.pagecache import merge_inherited
from weiquan.content.digest import cache_folder
from weiquan.content.loader import check_content, wait_for_writers

PLUGIN = "weiquan"   # the MkDocs adapter's entry point (pyproject.toml, weiquan_mkdocs/plugin.py)


def read_config(config_path: Path) -> dict:
    """mkdocs.yml as plain data, following INHERIT as MkDocs does (MkDocs-specific tags are ignored)."""
    class _Loose(yaml.SafeLoader):
        pass
    _Loose.add_multi_constructor("", lambda loader, suffix, node: None)
    cfg = yaml.load(config_path.read_text(encoding="utf-8"), Loader=_Loose) or {}
    parent = cfg.pop("INHERIT", None)
    return merge_inherited(read_config(config_path.parent / parent), cfg) if parent else cfg


def _plugins(cfg: dict) -> list[tuple[str, dict]]:
    """(name, options) of mkdocs.yml's plugins, written as a list or as a mapping."""
    plugins = cfg.get("plugins") or []
    if isinstance(plugins, dict):
        return [(name, options or {}) for name, options in plugins.items()]
    return [next(iter(p.items())) if isinstance(p, dict) else (p, {}) for p in plugins]


def plugin_options(cfg: dict) -> dict | None:
    """The weiquan plugin's options in mkdocs.yml, None if the plugin is not there."""
    return next(((options or {}) for name, options in _plugins(cfg) if name == PLUGIN), None)


def project_paths(config_path: Path) -> tuple[Path, Path]:
    """(content dir, site dir) for an mkdocs.yml."""
    cfg = read_config(config_path)
    base = config_path.parent
    content = base / (plugin_options(cfg) or {}).get("content", "content")
    return content, base / cfg.get("site_dir", "site")


def engine_config(config_path: Path, settings: dict, options: dict) -> Path:
    """The config of one engine run: mkdocs.yml (INHERIT) with this build's settings and the
    weiquan plugin's options for it (the leaflets rendered, the content checked). It lies beside
    mkdocs.yml, so relative paths keep their meaning; remove_stale(config_path) removes a dead
    build's."""
    cfg = read_config(config_path)
    if isinstance(cfg.get("plugins"), dict):   # INHERIT merges mappings: only what changes
        plugins = {PLUGIN: options}
    else:   # INHERIT replaces a list: all of it, with the weiquan plugin's options added
        plugins = {name: ({**(opts or {}), **options} if name == PLUGIN else opts) for name, opts in _plugins(cfg)}
    path = new_file_for(config_path, ".yml")
    path.write_text("# `weiquan build` wrote this for one build; it is removed after it\n" + yaml.safe_dump(
        {"INHERIT": config_path.name, **settings, "plugins": plugins}, allow_unicode=True, sort_keys=False),
        encoding="utf-8")
    return path


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


@dataclass
class Staged:
    """What checking hands to the engine run: lines for stderr, whether to go on, the folder of
    the leaflets rendered (None: none) and a note for the summary line."""
    lines: list[str]
    ok: bool
    leaflets: str | None = None
    summary: str = ""
    calendars: "CalendarJob | None" = None   # written meanwhile by the check's process (_staged)


@dataclass(frozen=True)
class CalendarJob:
    """The calendars (.ics) of a build, written by its check's process while the engine makes
    the pages (their ~15 s at national scale were the engine's, which is the longest process):
    into ``out``/calendars, for the engine's site as MkDocs would build it."""
    out: Path
    use_directory_urls: bool
    site_url: str

    @classmethod
    def for_build(cls, config_path: Path, settings: dict, out: Path) -> "CalendarJob":
        cfg = {**read_config(config_path), **settings}
        return cls(out, cfg.get("use_directory_urls", True) is not False, cfg.get("site_url") or "")

    def write(self, content) -> int:
        """Write the calendar files; returns how many."""
        from weiquan.site import SiteContext, calendar_files
        site = SiteContext(content, use_directory_urls=self.use_directory_urls, site_url=self.site_url)
        files = calendar_files(site, cache_folder(Path(content.root)))
        made: set[Path] = set()
        for rel, data in files.items():
            path = self.out / rel
            if path.parent not in made:
                path.parent.mkdir(parents=True, exist_ok=True)
                made.add(path.parent)
            path.write_bytes(data)
        return len(files)

    def settings(self) -> dict:
        """What the engine is told (it makes the calendars itself if its settings differ)."""
        return {"site_url": self.site_url, "use_directory_urls": self.use_directory_urls}

    def install(self, site_dir: Path) -> None:
        """Move the written calendars into the built site, unless the engine made them."""
        written = self.out / "calendars"
        if written.is_dir() and not (site_dir / "calendars").exists():
            os.rename(written, site_dir / "calendars")


def _stage(config_path: Path, content_dir: Path, checked: Path, leaflets_out: Path | None, jobs: int) -> Staged:
    """Check the content; write it for the engine to ``checked``; render the leaflets. Files
    unchanged since the last check or build are not parsed again (the content store in
    .weiquan-cache, shared with `weiquan check`)."""
    return _check(config_path, content_dir, checked, leaflets_out, jobs)[0]


def _check(config_path: Path, content_dir: Path, checked: Path, leaflets_out: Path | None, jobs: int):
    """_stage, and the content it checked (None if it did not pass)."""
    content, problems = check_content(content_dir, cache_folder(content_dir))
    if problems:
        return Staged([*map(str, problems), f"内容有 {len(problems)} 个问题，网站未更新 (site left untouched)"], False), None
    checked.write_bytes(pickle.dumps(content.without_line_maps(), protocol=pickle.HIGHEST_PROTOCOL))
    if leaflets_out is None or not (content.campaigns or content.stations):
        return Staged([], True), content
    from weiquan.leaflets.fonts import LeafletError
    from weiquan.leaflets.render import content_version, render_leaflets
    from weiquan.leaflets.stationprint import cache_dir_for, render_station_prints
    try:
        # every station's poster and register; leaflets in office and print-shop (…-yinshua.pdf)
        # editions, and packs (last: they run typst in this process)
        results = render_station_prints(content, leaflets_out, site_url=site_url_of(config_path), jobs=jobs,
                                        cache_dir=cache_dir_for(content_dir))
        results += render_leaflets(content, leaflets_out, site_url=site_url_of(config_path),
                                   version=content_version(content_dir), jobs=jobs, packs=True, shop=True,
                                   cache_dir=cache_folder(content_dir) / "leaflets")
    except LeafletError as exc:
        from weiquan.leaflets.fit import overflow_problems   # the content line that is too long
        mapped, other = overflow_problems(content, list(exc.errors))
        return Staged([*map(str, mapped), *other, "宣传单生成失败，原有网站未改动 (leaflets failed; site left untouched)"],
                      False), None
    leaflets_out.mkdir(parents=True, exist_ok=True)
    return Staged([], True, str(leaflets_out), f"，宣传单 {len(results)} 份"), content


class CheckProcess:
    """The forked process that checked the content (_staged). After its answer it may go on:
    writing the calendars (``calendars_written``) and the content store; ``join`` at the end
    of the build."""

    def __init__(self, child, recv):
        self.child, self.recv = child, recv

    def calendars_written(self) -> str | None:
        """Wait until the calendars are written: None, or why they are not."""
        try:
            return self.recv.recv()
        except EOFError:
            return f"写日历文件的进程意外退出 (the calendar process exited with {self.child.exitcode})"

    def join(self, timeout: float) -> None:
        self.recv.close()
        self.child.join(timeout)


def _staged(*args, calendars: CalendarJob | None = None, later: list) -> Staged:
    """_stage, in a forked child process where there is fork (Linux): the content it loads is
    gone before the engine starts, so a national build does not hold it twice (about 1 GB).
    Once it has answered, the child writes the ``calendars`` (then ``Staged.calendars`` is that
    job; without fork the engine makes them) and goes on writing the content store: it is put
    in ``later`` (a CheckProcess) for the caller to wait for and join."""
    if sys.platform != "linux" or threading.current_thread() is not threading.main_thread():
        return _stage(*args)
    ctx = multiprocessing.get_context("fork")
    recv, send = ctx.Pipe(duplex=False)
    child = ctx.Process(target=_stage_in_child, args=(send, calendars, *args), name="weiquan-check")
    child.start()
    send.close()
    try:
        result = recv.recv()
    except EOFError:   # it died without a word
        result = None
    if isinstance(result, Staged):
        later.append(CheckProcess(child, recv))
        if result.ok:
            result.calendars = calendars
        return result
    recv.close()
    child.join()
    raise RuntimeError(result or f"检查内容的进程意外退出 (the checking process exited with {child.exitcode})")


def _stage_in_child(send, calendars: CalendarJob | None, *args) -> None:
    try:
        staged, content = _check(*args)
        send.send(staged)
        if content is not None and calendars is not None:
            calendars.write(content)
            send.send(None)
    except (Stopped, KeyboardInterrupt):   # the parent stops too and says so
        for worker in multiprocessing.active_children():
            worker.terminate()
    except BaseException:
        import traceback
        send.send(traceback.format_exc())
    finally:
        send.close()
        wait_for_writers()   # the content store, written meanwhile by a copy of this process


def _start_engine(cmd: list[str], **kw) -> subprocess.Popen:
    """`mkdocs build` in a process group of its own, so stopping the build stops it and its workers."""
    return subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True, **kw)


def _stop_engine(proc: subprocess.Popen) -> None:
    for sig, wait in ((signal.SIGTERM, 5), (signal.SIGKILL, 5)):
        try:
            os.killpg(proc.pid, sig)
            proc.wait(wait)
            break
        except (ProcessLookupError, subprocess.TimeoutExpired):
            continue
    _wait_for_group(proc.pid)
    for stream in (proc.stdout, proc.stderr):
        if stream is not None:
            stream.close()


def _finish_engine(proc: subprocess.Popen) -> subprocess.CompletedProcess:
    try:
        out, err = proc.communicate()
    except BaseException:
        _stop_engine(proc)
        raise
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


class _Handoff:
    """How the engine, started before the content is checked, learns the outcome: a pipe it
    waits on (weiquan.build.engine.wait_for_handoff). POSIX only; elsewhere the engine starts
    after the check, as it did before."""

    def __init__(self):
        self.read_fd, self.write_fd = os.pipe() if os.name == "posix" else (None, None)
        self.early = self.read_fd is not None

    def options(self) -> dict:
        return {"handoff_fd": self.read_fd} if self.early else {}

    def started(self) -> None:   # the engine holds its end now
        if self.read_fd is not None:
            os.close(self.read_fd)
            self.read_fd = None

    def send(self, leaflets: str | None, calendars: dict | None = None) -> None:
        """``calendars``: the settings this build writes the calendars for (None: the engine makes them)."""
        try:
            os.write(self.write_fd, (json.dumps({"leaflets": leaflets, "calendars": calendars}) + "\n").encode())
        except BrokenPipeError:   # the engine has stopped already (e.g. mkdocs.yml): it says why
            pass
        self.close()

    def close(self) -> None:   # without send(): the engine reads end of file and stops
        for fd in (self.read_fd, self.write_fd):
            if fd is not None:
                os.close(fd)
        self.read_fd = self.write_fd = None


def _wait_for_group(pgid: int, seconds: float = 3.0) -> None:
    """Wait until the engine's workers (its process group) are gone too, so none of them writes
    into a staging folder while it is removed; kill what is left after ``seconds``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            os.killpg(pgid, 0)
        except (ProcessLookupError, PermissionError):
            return
        time.sleep(0.05)
    try:
        os.killpg(pgid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def _build_site(config_path: Path, site_dir: Path | None = None, *, quiet: bool = False,
                leaflets: bool = True, jobs: int = 2, compress: bool = True, settings: dict | None = None) -> int:
    """``compress``: write .gz (and .br) copies of the text files for servers to send as they are;
    ``settings``: MkDocs settings for this build only (the offline edition: use_directory_urls)."""
    config_path = config_path.resolve()
    if plugin_options(read_config(config_path)) is None:
        print(f"{config_path.name} 没有启用 weiquan 插件（plugins 里要有 weiquan），网站未更新 "
              "(the weiquan plugin is not enabled in the MkDocs config; site left untouched)", file=sys.stderr)
        return 1
    content_dir, default_site = project_paths(config_path)
    site_dir = (site_dir or default_site).resolve()
    started = time.perf_counter()
    for target in (site_dir, config_path):   # what an interrupted build left behind
        remove_stale(target)
    tmp = new_folder_for(site_dir)
    leaflets_out = tmp.with_name(tmp.name + "-leaflets")
    # The site engine runs in its own process; hand it the content checked here instead of
    # loading it again (about 35 s of a national build).
    checked = tmp.with_name(tmp.name + "-content.pickle")
    calendars = CalendarJob.for_build(config_path, settings or {}, tmp.with_name(tmp.name + "-calendars"))
    config = proc = None
    handoff = _Handoff()
    checking: list[CheckProcess] = []   # the check's process, if it still writes calendars or the content store

    def cmd(config: Path) -> list[str]:
        return [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config), "-d", str(tmp)]
    engine_kw = dict(cwd=config_path.parent, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    try:
        if handoff.early:
            # The engine starts now: it loads MkDocs, the theme and weiquan (and starts its workers)
            # on the other core while the content is checked, then waits for the outcome.
            config = engine_config(config_path, settings or {}, {"checked_content": str(checked), **handoff.options()})
            proc = _start_engine(cmd(config), pass_fds=(handoff.read_fd,), **engine_kw)
            handoff.started()
        staged = _staged(config_path, content_dir, checked, leaflets_out if leaflets else None, jobs,
                         calendars=calendars, later=checking)
        for line in staged.lines:
            print(line, file=sys.stderr)
        if not staged.ok:
            return 1
        summary = staged.summary
        if handoff.early:
            handoff.send(staged.leaflets, calendars=staged.calendars.settings() if staged.calendars else None)
        else:
            options = {"checked_content": str(checked)}   # the weiquan plugin's options for this build
            if staged.leaflets:
                options["leaflets"] = staged.leaflets
            config = engine_config(config_path, settings or {}, options)
            proc = _start_engine(cmd(config), **engine_kw)
        result, proc = _finish_engine(proc), None
        if result.returncode != 0:
            sys.stderr.write(result.stdout + result.stderr)
            print("网站生成失败，原有网站未改动 (build failed; site left untouched)", file=sys.stderr)
            return 1
        if staged.calendars is not None:
            failed = checking[0].calendars_written()
            if failed:
                print(failed, file=sys.stderr)
                print("日历文件生成失败，原有网站未改动 (calendars failed; site left untouched)", file=sys.stderr)
                return 1
            staged.calendars.install(tmp)
        compressed = None
        if compress:
            from weiquan.build.pagecache import CompressCache
            from weiquan.site.assets import precompress
            compressed = CompressCache(cache_folder(content_dir) / "compressed")
            precompress(tmp, cache=compressed, jobs=jobs)
        swap_in(tmp, site_dir)
        if compressed is not None:
            compressed.prune()
    finally:
        handoff.close()
        if proc is not None:   # the check failed or the build was stopped: the engine goes too
            _stop_engine(proc)
        for child in checking:   # (done long ago but for a tiny site; bounded, should it hang)
            child.join(60)
        shutil.rmtree(tmp, ignore_errors=True)
        shutil.rmtree(calendars.out, ignore_errors=True)
        for _ in range(5):   # what the engine staged beside tmp (its search index), if stopped
            staged = list(tmp.parent.glob(f".{tmp.name.lstrip('.')}.*"))
            if not staged:
                break
            for path in staged:
                shutil.rmtree(path, ignore_errors=True)
            time.sleep(0.1)
        checked.unlink(missing_ok=True)
        shutil.rmtree(leaflets_out, ignore_errors=True)
        if config is not None:
            config.unlink(missing_ok=True)
        remove_stale(site_dir)   # a stopped engine's staging folders (its search index)
    if not quiet:
        pages = sum(1 for _ in site_dir.rglob("index.html"))
        print(f"网站已生成 (built): {site_dir} — {pages} 页{summary}，{time.perf_counter() - started:.1f} 秒")
    return 0
