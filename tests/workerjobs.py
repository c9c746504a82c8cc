"""Jobs for worker processes started by tests (a spawned worker imports them by module name)."""

from __future__ import annotations

_KEPT: list = []


class _Marks:
    """Writes ``path`` when it is freed (when the process tears its objects down)."""

    def __init__(self, path: str):
        self.path = path
        self.open = open   # (at teardown the builtins may be gone already)

    def __del__(self):
        with self.open(self.path, "w") as fh:
            fh.write("freed")


def keep_until_exit(path: str) -> int:
    _KEPT.append(_Marks(path))
    return len(_KEPT)


def reading_loaded() -> dict:
    """What of the reading engine a worker holds before its first text (nothing loads it here)."""
    import sys

    from weiquan.zh import reading
    return {"jieba": reading._tokenizer.cache_info().currsize, "tags": "jieba.posseg" in sys.modules,
            "pypinyin": reading._pypinyin.cache_info().currsize}


def burn(seconds: float) -> int:
    """Use the CPU for ``seconds`` of CPU time; return this worker's pid."""
    import os
    import time
    end = time.process_time() + seconds
    while time.process_time() < end:
        pass
    return os.getpid()
