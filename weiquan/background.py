"""Work that runs in worker processes while the site engine renders pages (both cores):
pinyin payloads (cached by their inputs, so rebuilds annotate only changed pages) and the
search index."""

from __future__ import annotations

import hashlib
import json
import multiprocessing as mp
import os
from concurrent.futures import Future, ProcessPoolExecutor
from importlib.metadata import version
from pathlib import Path

_OVERRIDES: dict = {}
_POOL: dict = {}  # salt -> executor, kept for the next build of this process (mkdocs serve)


def _init(overrides: dict) -> None:
    global _OVERRIDES
    _OVERRIDES = overrides


def write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def _pinyin_job(target: str, cached: str, content_html: str, readings: dict | None) -> None:
    from .reading import page_payload
    payload = page_payload(content_html, _OVERRIDES, extra=readings)
    write_atomic(Path(cached), payload)
    write_atomic(Path(target), payload)


def _search_job(docs: list[dict], out_dir: str, terms_cache: str) -> dict:
    from .searchindex import build_search_index
    return build_search_index(docs, Path(out_dir), terms_cache=Path(terms_cache))


class BackgroundWork:
    def __init__(self, overrides: dict, cache_dir: Path, jobs: int = 2):
        self.overrides = overrides
        self.cache_dir = cache_dir / "pinyin"
        self.jobs = jobs
        self.futures: list[Future] = []
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

    def pinyin(self, target: Path, content_html: str, readings: dict | None) -> None:
        key = hashlib.sha256("\0".join([self._salt, json.dumps(readings or {}, ensure_ascii=False, sort_keys=True),
                                         content_html]).encode()).hexdigest()
        cached = self.cache_dir / key[:2] / f"{key[2:]}.js"
        if cached.exists():
            write_atomic(target, cached.read_text(encoding="utf-8"))
        else:
            self.futures.append(self.pool.submit(_pinyin_job, str(target), str(cached), content_html, readings))

    def search_index(self, docs: list[dict], out_dir: Path) -> None:
        self.futures.append(self.pool.submit(_search_job, docs, str(out_dir),
                                             str(self.cache_dir.parent / "search-terms.pickle")))

    def finish(self) -> None:
        """Wait for everything; re-raise the first error."""
        try:
            for f in self.futures:
                f.result()
        finally:
            self.close()

    def close(self) -> None:
        for f in self.futures:
            f.cancel()
        self.futures = []
