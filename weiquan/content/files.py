"""What may be in content/: no link out of it, and in pages/ only what is meant to be published."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Callable

# Files besides Markdown that content/pages/ may hold (published as they are). No SVG or HTML:
# a file the site serves from its own address must not be able to run script.
PAGE_FILE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".pdf")

Report = Callable[..., None]   # report(path, line, zh, en)


def check_tree(root: Path, report: Report) -> set[Path]:
    """Report every symlink under root that points nowhere or out of root (files and folders
    alike; nothing under a linked folder is read), and every file in pages/ that is neither
    Markdown nor an image or PDF. Returns the paths refused."""
    base = root.resolve()
    refused: set[Path] = set()
    for folder, dirs, files in _walk(root):
        here = Path(folder)
        for name in sorted(dirs) + sorted(files):
            if not (dirs.get(name) if name in dirs else files[name]):
                continue
            path = here / name
            refused.add(path)
            target = os.readlink(path)
            if not path.exists():
                report(path, 1, f"符号链接指向的“{target}”不存在，请删除这个链接或换成真正的文件", "dangling symlink")
            elif not path.resolve().is_relative_to(base):
                report(path, 1, f"这是指向内容目录以外（{target}）的符号链接，不会读取也不会发布：请把文件本身放进内容目录",
                       "symlink out of the content folder refused")
    pages = root / "pages"
    if pages.is_dir():
        for path in sorted(pages.rglob("*")):
            if path in refused or not path.is_file() or any(p.name.startswith(".") for p in path.relative_to(pages).parents
                                                            if p.name) or path.name.startswith("."):
                continue
            if path.suffix.lower() not in (".md", *PAGE_FILE_SUFFIXES):
                refused.add(path)
                report(path, 1, f"pages 目录里只能放 Markdown 页面（.md）和图片、PDF（{'、'.join(PAGE_FILE_SUFFIXES)}）："
                       f"“{path.name}”不会发布，请删除或移走", "file type not published from content/pages")
    return refused


def _walk(top: Path):
    """Like os.walk(top) without following links (same folders, same order), with each name
    telling whether it is a symlink (read from the folder listing: no stat per file):
    (folder, {dir name: is symlink}, {other name: is symlink}). Linked folders are not entered."""
    stack = [os.fspath(top)]
    while stack:
        folder = stack.pop()
        dirs: dict[str, bool] = {}
        files: dict[str, bool] = {}
        try:
            with os.scandir(folder) as it:
                for entry in it:
                    try:
                        is_dir = entry.is_dir()
                    except OSError:
                        is_dir = False
                    (dirs if is_dir else files)[entry.name] = entry.is_symlink()
        except OSError:
            continue
        yield folder, dirs, files
        for name in reversed(list(dirs)):
            if not dirs[name]:
                stack.append(os.path.join(folder, name))
