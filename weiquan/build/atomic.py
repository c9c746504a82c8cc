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


def new_folder_for(target: Path) -> Path:
    """An empty hidden folder beside target (same file system, so swap_in is two renames;
    hidden, so MkDocs' cleaning of the site folder leaves it alone). Its name carries this
    process's id, so remove_stale can tell a dead build's leftovers from a running build's."""
    target.parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=f".{target.name}.new-{os.getpid()}-", dir=target.parent))


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
    -content.pickle / -leaflets companions, unless the process that made them still runs."""
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


def swap_in(new: Path, target: Path) -> None:
    """Replace target with new in two renames."""
    old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-{os.getpid()}-", dir=target.parent))
    old.rmdir()
    if target.exists():
        target.rename(old)
    new.rename(target)
    shutil.rmtree(old, ignore_errors=True)
