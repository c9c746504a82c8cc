"""Work that runs in worker processes while the site engine renders pages (both cores):
pinyin payloads (cached by their inputs, so rebuilds annotate only changed pages) and the
search index."""

from __future__ import annotations

import hashlib
import json
import multiprocessing as mp
import os
import re
import shutil
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path

from weiquan.build.atomic import link_atomic, new_folder_for, swap_in, write_atomic
from weiquan.content.digest import cache_folder, code_digest

# Link targets decide nothing of a payload (reading.text_runs reads tags, text, class and
# translate): without them, the offline edition's pages (…/index.html links) share the site's.
_LINKS = re.compile(r'(\s(?:href|src)=)"[^"]*"')

_OVERRIDES: dict = {}
_POOL: dict = {}  # salt -> executor, kept for the next build of this process (mkdocs serve)
_WARMED: list = []   # the pinyin pool whose workers have loaded the annotator
_SEARCH_POOL: list[ProcessPoolExecutor] = []  # one process, so its memo of the law postings stays warm


def shutdown() -> None:
    """Let running jobs finish (a preview's search index may still be writing into the site
    folder the engine is about to remove), drop queued ones, stop the worker processes."""
    for pool in list(_POOL.values()) + _SEARCH_POOL:
        pool.shutdown(wait=True, cancel_futures=True)
    _POOL.clear()
    _SEARCH_POOL.clear()
    _stop_fork_server()


def _stop_fork_server() -> None:
    """Stop the workers' fork server, if this process started one, and wait for it (its workers
    have ended): then its CPU time and its workers' count in this process's, as they did when
    the workers were this process's children (the build's CPU time in scripts/bench)."""
    from multiprocessing import forkserver
    server = getattr(forkserver, "_forkserver", None)
    if getattr(server, "_forkserver_pid", None) is not None and hasattr(server, "_stop"):
        server._stop()


def _leave_at_once() -> None:
    """When this worker process ends, it leaves without freeing its objects one by one (the
    search worker holds millions: ~2 s at national scale while the build waits): atexit runs
    this before Python's teardown."""
    import atexit
    import sys

    def leave() -> None:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (AttributeError, OSError, ValueError):
                pass
        os._exit(0)
    atexit.register(leave)


def _init(overrides: dict) -> None:
    global _OVERRIDES
    _OVERRIDES = overrides
    _leave_at_once()
    # Payloads are many small jobs in two processes that end together; the engine and the
    # search worker are one process each and finish last: they go first (county first build
    # 0.91× the wall time, 4 pairs in turn).
    _lower_priority()


def _pinyin_job(target: str, cached: str, content_html: str, readings: dict | None) -> None:
    from weiquan.zh.reading import page_payload
    payload = page_payload(content_html, _OVERRIDES, extra=readings)
    write_atomic(Path(cached), payload)
    link_atomic(Path(cached), Path(target))   # (a new file costs ~0.4 ms of system time, a link ~0.02)


def _warm_pinyin() -> None:
    from weiquan.zh.reading import page_payload
    page_payload("<p>维权服务站电话</p>", _OVERRIDES)


def worker_context():
    """How the pinyin and search workers start: forked from a fork server that has loaded the
    reading engine once (weiquan.build.warmreading), instead of each loading it (~0.8 s a
    worker); spawned where there is no fork server (Windows). Never forked from this process,
    which may hold threads and locks (the site engine, a preview)."""
    if "forkserver" not in mp.get_all_start_methods():
        return mp.get_context("spawn")
    ctx = mp.get_context("forkserver")
    ctx.set_forkserver_preload(["weiquan.build.warmreading"])
    return ctx


def _search_pool() -> ProcessPoolExecutor:
    if not _SEARCH_POOL:
        _SEARCH_POOL.append(ProcessPoolExecutor(1, mp_context=worker_context(), initializer=_leave_at_once))
    return _SEARCH_POOL[0]


def _terms_cache(cache_dir: Path) -> Path:
    """Where the search index keeps its analysis between builds (see build_search_index)."""
    return cache_dir / "search-terms.pickle"


def _warm_search(terms_cache: str) -> None:
    import gc

    from weiquan.search import index
    from weiquan.zh import reading
    reading.load_dictionary()
    gc.disable()
    try:
        index.preload_long_part(Path(terms_cache))
    finally:
        gc.enable()


def start_search_worker(content_dir: Path) -> None:
    """Start the search index's worker now: it loads its modules, jieba's dictionary and the
    analysis of the laws kept from the last build (1–2 s), so the index starts at once when
    the pages are made. `weiquan build` calls this while the content is being checked."""
    _search_pool().submit(_warm_search, str(_terms_cache(cache_folder(content_dir))))


def _lower_priority() -> None:
    if hasattr(os, "nice"):
        os.nice(10)


def _search_job(docs: list[dict], stage: str, terms_cache: str, rules=None) -> dict:
    import gc

    from weiquan.search.index import build_search_index
    gc.disable()   # postings are millions of small objects and no cycles: collecting only costs time
    try:
        return build_search_index(docs, Path(stage), terms_cache=Path(terms_cache), rules=rules)
    finally:
        gc.enable()


def _install(future: Future, stage: Path, target: Path, walked: Path | None = None) -> None:
    """Swap a finished search index into place (re-raises the job's error)."""
    try:
        future.result()
        swap_in(stage, target, walked)
    finally:
        shutil.rmtree(stage, ignore_errors=True)


class BackgroundWork:
    def __init__(self, overrides: dict, cache_dir: Path, jobs: int = 2):
        self.overrides = overrides
        self.cache_dir = cache_dir / "pinyin"
        self.jobs = jobs
        self.futures: list[Future] = []
        self.search_future: Future | None = None
        self._salt = self._pinyin_salt()
        self.used: set[Path] = set()   # pinyin cache files this build wrote or linked

    @property
    def pool(self) -> ProcessPoolExecutor:
        """Workers live as long as this process, so `mkdocs serve` rebuilds reuse warm ones."""
        if self._salt not in _POOL:
            for old in _POOL.values():
                old.shutdown(wait=False, cancel_futures=True)
            _POOL.clear()
            _POOL[self._salt] = ProcessPoolExecutor(self.jobs, mp_context=worker_context(),
                                                    initializer=_init, initargs=(self.overrides,))
        return _POOL[self._salt]

    def _pinyin_salt(self) -> str:
        """Everything besides the page that decides a payload: overrides, annotator code, libraries."""
        from weiquan.zh import han, reading
        return code_digest(files=(reading.__file__, han.__file__), dists=("pypinyin", "jieba"),
                           extra=json.dumps(self.overrides, ensure_ascii=False, sort_keys=True))

    @property
    def salt(self) -> str:
        return self._salt

    def pinyin(self, target: Path, content_html: str, readings: dict | None) -> Path:
        """Write target (now from the cache, or soon in a worker); return the cache file."""
        key = hashlib.sha256("\0".join([self._salt, json.dumps(readings or {}, ensure_ascii=False, sort_keys=True),
                                         _LINKS.sub(r"\1", content_html)]).encode()).hexdigest()
        cached = self.cache_dir / key[:2] / f"{key[2:]}.js"
        self.used.add(cached)
        if cached.exists():
            self.link(cached, target)
        else:
            self.futures.append(self.pool.submit(_pinyin_job, str(target), str(cached), content_html, readings))
        return cached

    def link(self, cached: Path, target: Path) -> None:
        """target as a hard link to a cached payload (a copy across file systems)."""
        self.used.add(Path(cached))
        link_atomic(Path(cached), Path(target))

    def prune(self) -> int:
        """After a full build: drop the payloads it did not use."""
        removed = 0
        if not self.cache_dir.is_dir():
            return 0
        for sub in self.cache_dir.iterdir():
            for f in sub.iterdir() if sub.is_dir() else ():
                if f.suffix == ".js" and f not in self.used:
                    f.unlink(missing_ok=True)
                    removed += 1
        return removed

    @property
    def search_pool(self) -> ProcessPoolExecutor:
        return _search_pool()

    def search_index(self, docs: list[dict], out_dir: Path, rules=None, walked: Path | None = None) -> None:
        """Start building the index. It goes into a hidden folder beside out_dir, or beside
        ``walked`` (the site folder holding out_dir, which the site engine cleans, writes and
        walks meanwhile), so this may start before that cleaning; finish() swaps it in."""
        target = Path(out_dir)
        stage = new_folder_for(target, walked)
        self.search_future = self.search_pool.submit(_search_job, docs, str(stage),
                                                     str(_terms_cache(self.cache_dir.parent)), rules)
        self._search_paths = (stage, target, walked)

    def finish(self, detach_search=None) -> None:
        """Wait for everything and install the search index; re-raise the first error.
        ``detach_search(error or None)`` (a preview build): don't wait for the search index; it is
        installed when done and the callback told how that went. Search jobs run one after
        another in their own process."""
        try:
            for f in self.futures:
                f.result()
            if detach_search is None:   # a one-off build: the memory of the idle pinyin workers
                pool = _POOL.pop(self._salt, None)   # is free for the search index's last stretch
                if pool is not None:
                    pool.shutdown(wait=True)
            fut, self.search_future = self.search_future, None
            if fut is not None:
                stage, target, walked = self._search_paths
                if detach_search and not fut.done():
                    def installed(f: Future) -> None:
                        if f.cancelled():   # shut down before it ran: nothing to report
                            shutil.rmtree(stage, ignore_errors=True)
                            return
                        try:
                            _install(f, stage, target, walked)
                        except Exception as exc:  # reported, not raised: the build is over
                            detach_search(exc)
                        else:
                            detach_search(None)
                    fut.add_done_callback(installed)
                else:
                    _install(fut, stage, target, walked)
        finally:
            self.close()

    def warm(self) -> None:
        """A preview: start the worker processes now, each pinyin worker with the annotator
        loaded (dictionaries: a few seconds), so the first edit's pages do not wait for that; the
        search worker at a low priority (a preview's search index waits for its rebuilds)."""
        pool = self.pool
        if _WARMED and _WARMED[0] is pool:
            return
        _WARMED[:] = [pool]
        for _ in range(self.jobs):
            pool.submit(_warm_pinyin)
        self.search_pool.submit(_lower_priority)

    def close(self) -> None:
        for f in self.futures:
            f.cancel()
        self.futures = []
        if self.search_future is not None:   # a failed build: drop its index
            self.search_future.cancel()
            self.search_future.add_done_callback(lambda f, stage=self._search_paths[0]: shutil.rmtree(stage, True))
            self.search_future = None
