"""Digests of code and libraries for cache keys: an entry of a cache under .weiquan-cache holds
only for the code and library versions that made it. One way of hashing for every cache, and one
way of writing a cache file (:func:`keep_file`)."""

from __future__ import annotations

import hashlib
import os
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path


def dist_version(name: str) -> str:
    """An installed distribution's version; "" when it is not installed."""
    try:
        return version(name)
    except PackageNotFoundError:
        return ""


def code_digest(*, folders=(), files=(), dists=(), extra: str = "") -> str:
    """sha256 of ``extra``, the Python files of ``folders`` (each folder's *.py, by name), the
    ``files`` and the versions of the distributions ``dists``."""
    h = hashlib.sha256(extra.encode() + b"\0")
    sources = [(f"{Path(d).name}/{f.name}", f) for d in folders for f in sorted(Path(d).glob("*.py"))]
    sources += [(Path(f).name, Path(f)) for f in files]
    for name, path in sources:
        h.update(name.encode() + b"\0" + path.read_bytes() + b"\0")
    for dist in dists:
        h.update(f"{dist} {dist_version(dist)}\0".encode())
    return h.hexdigest()


def cache_folder(content_dir: Path | str) -> Path:
    """A project's build cache: .weiquan-cache beside its content folder."""
    return Path(content_dir).resolve().parent / ".weiquan-cache"


def keep_file(path: Path, data: bytes) -> bool:
    """Write a cache file at once: a temporary file beside it (named for this process, so two
    builds never share one), then renamed, so a reader finds the old file or the new one, never
    half of one. False if it cannot be written: a cache that is not kept only makes the next
    run slower."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_bytes(data)
        tmp.replace(path)
        return True
    except OSError:
        tmp.unlink(missing_ok=True)
        return False
