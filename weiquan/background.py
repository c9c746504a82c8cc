"""Work that runs in worker processes while the site engine renders pages (both cores):
pinyin payloads (cached by their inputs, so rebuilds annotate only changed pages) and the
search index."""

from __future__ import annotations

import hashlib
import json
import multiprocessing as mp
import shutil
from concurrent.futures import Future, ProcessPoolExecutor
from importlib.metadata import version
from pathlib import Path

from .atomic import new_folder_for, swap_in, write_atomic

_OVERRIDES: dict = {}
_POOL: dict = {}  # salt -> executor, kept for the next build of this process (mkdocs serve)
_SEARCH_POOL: list[ProcessPoolExecutor] = []  # one process, so its memo of the law postings stays warm


def shutdown() -> None:
    """Let running jobs finish (a preview's search index may still be writing into the site
    folder the engine is about to remove), drop queued ones, stop the worker processes."""
    for pool in list(_POOL.values()) + _SEARCH_POOL:
        pool.shutdown(wait=True, cancel_futures=True)
    _POOL.clear()
    _SEARCH_POOL.clear()


def _init(overrides: dict) -> None:
    global _OVERRIDES
    _OVERRIDES = overrides


def _pinyin_job(target: str, cached: str, content_html: str, readings: dict | None) -> None:
    from .reading import page_payload
    payload = page_payload(content_html, _OVERRIDES, extra=readings)
    write_atomic(Path(cached), payload)
    write_atomic(Path(target), payload)


def _search_job(docs: list[dict], out_dir: str, terms_cache: str) -> dict:
    """Built beside out_dir, then swapped in whole: a preview may show the page (and clean the
    site folder for the next build) before this is done."""
    from .searchindex import build_search_index
    target = Path(out_dir)
    stage = new_folder_for(target)
    try:
        stats = build_search_index(docs, stage, terms_cache=Path(terms_cache))
        swap_in(stage, target)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    return stats


class BackgroundWork:
    def __init__(self, overrides: dict, cache_dir: Path, jobs: int = 2):
        self.overrides = overrides
        self.cache_dir = cache_dir / "pinyin"
        self.jobs = jobs
        self.futures: list[Future] = []
        self.search_future: Future | None = None
        self._salt = self._pinyin_salt()

    @property
    def pool(self) -> ProcessPoolExecutor:
        """Workers live as long as this process, so `mkdocs serve` rebuilds reuse warm ones."""
        if self._salt not in _POOL:
            for old in _POOL.values():
                old.shutdown(wait=False, cancel_futures=True)
            _POOL.clear()  # spawn: the engine's process may hold threads and locks
            _POOL[self._salt] = ProcessPoolExecutor(self.jobs, mp_context=mp.get_context("spawn"),
                                                    initializer=_init, initargs=(self.overrides,))
        return _POOL[self._salt]

    def _pinyin_salt(self) -> str:
        """Everything besides the page that decides a payload: overrides, annotator code, libraries."""
        from . import reading
        h = hashlib.sha256(json.dumps(self.overrides, ensure_ascii=False, sort_keys=True).encode())
        h.update(Path(reading.__file__).read_bytes())
        h.update(f"{version('pypinyin')} {version('jieba')}".encode())
        return h.hexdigest()

    def pinyin(self, target: Path, content_html: str, readings: dict | None) -> Path:
        """Write target (now from the cache, or soon in a worker); return the cache file."""
        key = hashlib.sha256("\0".join([self._salt, json.dumps(readings or {}, ensure_ascii=False, sort_keys=True),
                                         content_html]).encode()).hexdigest()
        cached = self.cache_dir / key[:2] / f"{key[2:]}.js"
        if cached.exists():
            write_atomic(target, cached.read_text(encoding="utf-8"))
        else:
            self.futures.append(self.pool.submit(_pinyin_job, str(target), str(cached), content_html, readings))
        return cached

    @property
    def search_pool(self) -> ProcessPoolExecutor:
        if not _SEARCH_POOL:
            _SEARCH_POOL.append(ProcessPoolExecutor(1, mp_context=mp.get_context("spawn")))
        return _SEARCH_POOL[0]

    def search_index(self, docs: list[dict], out_dir: Path) -> None:
        self.search_future = self.search_pool.submit(_search_job, docs, str(out_dir),
                                                     str(self.cache_dir.parent / "search-terms.pickle"))
        self.futures.append(self.search_future)

    def finish(self, detach_search=None) -> None:
        """Wait for everything; re-raise the first error. ``detach_search(future)`` (a preview
        build): don't wait for the search index; the callback gets its future when it is done.
        Search jobs run one after another in their own process, each swapping its whole index in."""
        try:
            for f in self.futures:
                if detach_search and f is self.search_future and not f.done():
                    f.add_done_callback(detach_search)
                else:
                    f.result()
        finally:
            self.futures = [f for f in self.futures if not f.done() and f is not self.search_future]
            self.close()

    def warm(self) -> None:
        """Start the worker processes now (a preview's first edit then finds them ready)."""
        for _ in range(self.jobs):
            self.pool.submit(int)

    def close(self) -> None:
        for f in self.futures:
            f.cancel()
        self.futures = []
