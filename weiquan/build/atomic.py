"""Writes that readers never see half done: one file, or a whole folder swapped in."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path


def write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def link_atomic(src: Path, target: Path) -> None:
    """target as a hard link to src (a copy when the file system cannot link), replacing target
    at once. Linked files are shared with a cache: they are replaced, never written in place."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        os.link(src, tmp)
    except FileExistsError:
        tmp.unlink()
        os.link(src, tmp)
    except FileNotFoundError:
        raise
    except OSError:
        shutil.copyfile(src, tmp)
    os.replace(tmp, target)


def _beside(kind: str, target: Path, walked: Path | None) -> Path:
    """A new hidden folder beside target, or beside ``walked`` when target lies inside a folder
    that is walked meanwhile: site/search is staged while the site engine cleans, writes and
    purges site/, so its staging and old folders must not appear (and vanish) in there.
    Named .<name>.<kind>-<pid>-…: the pid tells remove_stale a dead build's leftovers from a
    running build's."""
    root = Path(walked) if walked is not None else Path(target)
    tag = "" if walked is None else Path(target).relative_to(root).as_posix().replace("/", "_") + "-"
    root.parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=f".{root.name.lstrip('.')}.{kind}-{os.getpid()}-{tag}", dir=root.parent))


def new_folder_for(target: Path, walked: Path | None = None) -> Path:
    """An empty hidden folder to build target in, for swap_in: beside target (same file system,
    so swap_in is two renames; hidden, so MkDocs' cleaning of the site folder leaves it alone),
    or beside ``walked``, the folder holding target, when that folder is being walked."""
    return _beside("new", target, walked)


def new_file_for(target: Path, suffix: str = "") -> Path:
    """An empty hidden file beside target, named like new_folder_for's folders."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{target.name.lstrip('.')}.new-{os.getpid()}-", suffix=suffix, dir=target.parent)
    os.close(fd)
    return Path(name)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_stale(target: Path) -> list[Path]:
    """Remove what interrupted builds left beside target: .<name>.new-* / .old-* folders and their
    -content.pickle / -leaflets / -calendars companions, staging folders of what was built inside target
    (.<name>.new-<pid>-search-…), unless the process that made them still runs."""
    removed = []
    if not target.parent.is_dir():
        return removed
    for path in target.parent.glob(f".{target.name}.*-*"):
        rest = path.name[len(target.name) + 2:]
        kind, _, tail = rest.partition("-")
        if kind not in ("new", "old"):
            continue
        pid = tail.split("-", 1)[0]
        if pid.isdigit() and int(pid) != os.getpid() and _alive(int(pid)):
            continue
        if pid.isdigit() and int(pid) == os.getpid():
            continue
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
        removed.append(path)
    return removed


def swap_in(new: Path, target: Path, walked: Path | None = None) -> None:
    """Replace target with new in two renames (the old target goes beside ``walked`` if given,
    see new_folder_for, and is removed there)."""
    old = _beside("old", target, walked)
    old.rmdir()
    if target.exists():
        target.rename(old)
    new.rename(target)
    shutil.rmtree(old, ignore_errors=True)
