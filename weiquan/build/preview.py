"""Previews (``mkdocs serve``): the error page, stopping, leaflets in previews. Which pages a
build renders again is the page cache's (weiquan.build.pagecache, shared with `weiquan build`)."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

from weiquan.content.problems import ContentError, Problem


# ---- content errors and stopping (mkdocs serve) ------------------------------------------------

LAST_TEMPLATE_DATA: dict = {}   # the shared template data of the last good preview build

_RELOAD_JS = ("(function(){var e=0;function poll(){var r=new XMLHttpRequest();r.onloadend=function(){"
              "var v=parseFloat(r.responseText);if(r.status===200&&v>0){if(e&&v>e){location.reload();return}e=v}"
              "setTimeout(poll,r.status===200?0:1000)};r.open('GET','/livereload/'+e+'/'+Date.now());r.send()}"
              "poll()})();")


def error_page(problems) -> str:
    """The page a preview shows while content has errors: every problem with file:line, and a
    script that reloads the page the editor was on as soon as a build succeeds."""
    import html
    rows = []
    for p in problems:
        where = f"{p.path}:{p.line}" + (f":{p.col}" if getattr(p, "col", 0) else "")
        hint = f' <span class="en">({html.escape(p.en)})</span>' if p.en else ""
        rows.append(f"<li><code>{html.escape(where)}</code><br>{html.escape(p.zh)}{hint}</li>")
    return (
        '<!doctype html>\n<html lang="zh"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        f"<title>内容有 {len(rows)} 个问题 · 预览暂停</title>"
        "<style>body{font:16px/1.6 system-ui,sans-serif;margin:0;background:#fff8f6;color:#1d1b1b}"
        "main{max-width:48rem;margin:0 auto;padding:1rem}h1{font-size:1.3rem;color:#a4001b}"
        "li{margin:.6rem 0;padding:.5rem;background:#fff;border-left:4px solid #a4001b}"
        "code{font-size:.9rem;word-break:break-all}.en{color:#666;font-size:.85rem}</style></head>"
        f"<body><main><h1>内容有 {len(rows)} 个问题，预览暂停</h1>"
        "<p>改正下面的问题并保存文件，这个页面会自动刷新，回到你正在看的页面。</p>"
        f'<ol id="wq-problems">{"".join(rows)}</ol></main>'
        f"<script>{_RELOAD_JS}</script></body></html>\n")


def as_problems(exc: BaseException) -> ContentError:
    """What a preview shows for a failed build: content problems as they are, anything else as
    one problem (unexpected)."""
    return exc if isinstance(exc, ContentError) else unexpected(exc)


def write_error_site(site_dir: Path, problems) -> None:
    """The error page as the site's home and 404 page (the server answers every missing page with
    404.html), so whatever page the editor was on shows the problems."""
    page = error_page(problems)
    for name in ("index.html", "404.html"):
        (Path(site_dir) / name).write_text(page, encoding="utf-8")


def stop_on_sigterm() -> None:
    """SIGTERM stops `mkdocs serve` like Ctrl-C does, so its shutdown hooks stop every worker."""
    import signal
    import threading

    def stop(signum, frame):
        raise KeyboardInterrupt
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, stop)


def unexpected(exc: BaseException) -> ContentError:
    """A failure that is not a content problem, as one problem for the preview's error page:
    the editor sees it in the browser (and the log has the traceback) instead of a hanging page."""
    import logging
    import traceback
    logging.getLogger("mkdocs.plugins.weiquan").error("".join(traceback.format_exception(exc)))
    where = traceback.extract_tb(exc.__traceback__)[-1] if exc.__traceback__ else None
    at = f"（{Path(where.filename).name}:{where.lineno}）" if where else ""
    return ContentError([Problem("weiquan", 1, f"生成预览时出错{at}：{type(exc).__name__}: {exc}。"
                                 "这是程序的问题，不是你的内容写错了：请把这条信息报告给维护者",
                                 "internal error while building the preview")])


def template_data_for_errors() -> dict:
    """Template data while content has errors: the last good build's, or the default hotlines."""
    if LAST_TEMPLATE_DATA:
        return LAST_TEMPLATE_DATA
    from types import SimpleNamespace

    from weiquan.build.engine import Build
    from weiquan.content.model import Settings
    return Build.template_data(SimpleNamespace(content=SimpleNamespace(settings=Settings(name="预览", region="—"))))


# ---- leaflets in previews ------------------------------------------------------------------------

class PreviewLeaflets:
    """Leaflets for `mkdocs serve`: rendered by `weiquan leaflets` in a process of its own after a
    build, then the preview rebuilds once so pages link them. A build uses the newest finished set,
    so links never point at leaflets that do not exist yet. stop() ends a running render."""

    def __init__(self):
        import threading
        self.enabled = False
        self.finished: tuple[str, Path] | None = None   # (content key, folder holding leaflets/)
        self.running: str | None = None
        self.procs: set = set()   # running `weiquan leaflets` processes
        self.lock = threading.Lock()

    def current(self) -> Path | None:
        return self.finished[1] if self.enabled and self.finished else None

    def update(self, content, config_file: str, content_dir: Path, cache_dir: Path, done) -> None:
        """Start rendering for this content unless the finished or running set is for it;
        ``done(error or None)`` is called from a thread when it ends."""
        if not self.enabled or not content.campaigns:
            return
        import threading

        from weiquan.leaflets.render import content_version
        key = content_version(content_dir)
        with self.lock:
            if (self.finished and self.finished[0] == key) or self.running == key:
                return
            self.running = key
        threading.Thread(target=self._render, args=(key, config_file, Path(cache_dir), done),
                         name="weiquan-preview-leaflets", daemon=True).start()

    def _render(self, key: str, config_file: str, cache_dir: Path, done) -> None:
        import shutil
        import subprocess
        import sys
        out = cache_dir / "preview-leaflets" / key
        shutil.rmtree(out, ignore_errors=True)
        args = ["leaflets", "--config", str(config_file), "--out", str(out), "--jobs", "1",
                "--no-pack", "--no-yinshua"]   # print-shop editions: builds only
        # at a low priority: the editor waits for the preview's rebuilds, not for the leaflets
        cmd = [sys.executable, "-c", _LOW_PRIORITY_MAIN, "weiquan.cli.main", *args]
        with self.lock:
            if not self.enabled:
                return
            # a local handle: a render started for newer content may run beside this one
            proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                                    start_new_session=True)
            self.procs.add(proc)
        _, err = proc.communicate()
        with self.lock:
            self.procs.discard(proc)
            code = proc.returncode
            if self.running != key:   # overtaken by a render for newer content: drop this one
                shutil.rmtree(out, ignore_errors=True)
                return
            if code != 0 or not self.enabled:
                self.running = None
                error = (err or "").strip()[-2000:] or f"exit {code}"
            else:
                old, self.finished, self.running, error = self.finished, (key, out), None, None
                if old and old[1] != out:
                    shutil.rmtree(old[1], ignore_errors=True)
        if self.enabled:
            done(error)

    def stop(self) -> None:
        with self.lock:
            self.enabled = False
            for proc in list(self.procs):
                if proc.poll() is None:
                    proc.kill()


LEAFLETS = PreviewLeaflets()

# `python -c _LOW_PRIORITY_MAIN module args…`: run module as __main__ at a lower CPU priority
# (a process of a session of its own is also a scheduling group of its own on Linux: its nice
# value counts only inside the group, so the group's is lowered too)
_LOW_PRIORITY_MAIN = ("import os, runpy, sys\n"
                      "if hasattr(os, 'nice'):\n    os.nice(10)\n"
                      "try:\n    open('/proc/self/autogroup', 'w').write('10')\n"
                      "except OSError:\n    pass\n"
                      "sys.argv = sys.argv[1:]\n"
                      "runpy.run_module(sys.argv[0], run_name='__main__', alter_sys=True)\n")


# ---- what a preview's rebuilds share -------------------------------------------------------------

def template_code_cache():
    """A Jinja2 bytecode cache in this process for the site engine's environment: a rebuild makes
    a new environment, which would parse and compile every theme template again. Buckets are
    keyed by template name and file and hold only code compiled from the same source."""
    if not _TEMPLATE_CODE:
        from jinja2 import BytecodeCache

        class _InMemory(BytecodeCache):
            def __init__(self):
                self.code: dict[str, bytes] = {}

            def load_bytecode(self, bucket):
                code = self.code.get(bucket.key)
                if code is not None:
                    bucket.bytecode_from_string(code)   # dropped by the bucket when its source differs

            def dump_bytecode(self, bucket):
                self.code[bucket.key] = bucket.bytecode_to_string()
        _TEMPLATE_CODE.append(_InMemory())
    return _TEMPLATE_CODE[0]


_TEMPLATE_CODE: list = []
_BUILD_LOCK = threading.Lock()


def clear_site(site_dir: Path) -> None:
    """Empty a preview's site folder before the engine cleans it: its entries moved into a hidden
    folder beside it and removed in a thread, so a rebuild does not wait for thousands of files
    (the search index) to be deleted. (The engine leaves hidden entries alone.)"""
    import shutil
    import threading
    site_dir = Path(site_dir)
    try:
        names = [n for n in os.listdir(site_dir) if not n.startswith(".")]
    except FileNotFoundError:
        return
    if not names:
        return
    old = site_dir.parent / f".{site_dir.name}-old-{time.monotonic_ns()}"
    try:
        old.mkdir()
    except OSError:
        return
    for name in names:
        try:
            os.rename(site_dir / name, old / name)
        except OSError:   # (another file system): left for the engine to remove
            pass
    rm = shutil.which("rm") if os.name == "posix" else None
    if rm:   # a process of its own: a thread would hold this one's interpreter lock between files
        import subprocess
        _CLEARING.append(subprocess.Popen([rm, "-rf", "--", str(old)], stdin=subprocess.DEVNULL,
                                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
    else:
        thread = threading.Thread(target=shutil.rmtree, args=(old, True), name="weiquan-clear-site", daemon=True)
        thread.start()
        _CLEARING.append(thread)
    _CLEARING[:] = [c for c in _CLEARING if (c.poll() is None if hasattr(c, "poll") else c.is_alive())]


_CLEARING: list = []   # processes (or threads) removing old site folders


def stop() -> None:
    """At the end of a preview: old site folders removed before the process ends."""
    LEAFLETS.stop()
    for c in _CLEARING:
        c.wait() if hasattr(c, "wait") else c.join()
SCRIPT_HASHES: dict[str, list[str]] = {}   # site key (pagecache.site_key) -> the templates' script hashes


def collect_garbage_later(delay: float = 1.0) -> None:
    """After a preview build: what the last builds left in reference cycles is collected in a
    thread a moment later, while the editor reads, not at the start of the next rebuild (a full
    collection walks every object of the content and pages); not while a build runs (building()).
    prepare() freezes what it made."""
    import threading

    def collect():
        import gc
        with _BUILD_LOCK:
            if _BUILDING[0]:   # the next build collects after it is done
                return
            gc.unfreeze()
            gc.collect()
            gc.freeze()
    timer = threading.Timer(delay, collect)
    timer.daemon = True
    timer.start()


def building(now: bool) -> None:
    """A preview build starts (True) or ends (False)."""
    with _BUILD_LOCK:
        _BUILDING[0] = now


_BUILDING = [False]


# ---- warm workers --------------------------------------------------------------------------------

def warm(build) -> None:
    """Start a preview's worker processes now (see BackgroundWork.warm)."""
    build.background.warm()
