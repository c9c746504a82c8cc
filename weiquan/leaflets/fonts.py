"""Find a CJK font (regular + bold) for the PDF leaflets.

Search order:

1. an explicit folder: ``--font-dir`` (the ``font_dir`` argument) or the environment variable
   ``WEIQUAN_FONT_DIR``; when one is given it must hold a CJK font, otherwise that is an error;
2. fonts installed with pip, listed in ``PIP_FONTS`` (the project depends on
   ``cvttf-notosanscjk-regular`` + ``cvttf-notosanscjk-bold``: Noto Sans CJK, SIL OFL 1.1);
3. system font folders (e.g. Debian's fonts-noto-cjk in /usr/share/fonts/opentype/noto).

A family counts as CJK when its cmap covers a few test characters (checked by reading the
font's cmap table, no extra dependency). Families with a bold weight are preferred, and
among them the Simplified Chinese ones (SC / CN / Hans in the name). Typst subsets and
embeds the font in every PDF; ``lang: "zh", region: "CN"`` selects the Simplified Chinese
glyph forms of pan-CJK fonts through the OpenType ``locl`` feature.
"""

from __future__ import annotations

import functools
import importlib.util
import os
import re
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

ENV_VAR = "WEIQUAN_FONT_DIR"

# (distribution, importable top-level folders holding the font files); located with
# importlib.util.find_spec, so the packages' own code is never imported.
PIP_FONTS: list[tuple[str, tuple[str, ...]]] = [
    ("cvttf-notosanscjk-regular + cvttf-notosanscjk-bold",
     ("cvttf_NotoSansCJK_Regular", "cvttf_NotoSansCJK_Bold")),
    ("rinoh-typeface-notosanscjk", ("rinoh_typeface_notosanscjk",)),
]

SYSTEM_DIRS = [
    "/usr/share/fonts/opentype/noto",
    "/usr/share/fonts/opentype/source-han-sans",
    "/usr/share/fonts/truetype/wqy",
    "/usr/share/fonts/truetype/arphic",
    "/usr/share/fonts/opentype",
    "/usr/share/fonts/truetype",
    "/usr/share/fonts",
    "/usr/local/share/fonts",
    "~/.local/share/fonts",
    "~/.fonts",
    "/Library/Fonts",
    "/System/Library/Fonts",
    "C:/Windows/Fonts",
]

TEST_CHARS = "维权家暴护令"
INSTALL_HINT = ("请运行 pip install cvttf-notosanscjk-regular cvttf-notosanscjk-bold，"
                f"或用 --font-dir / 环境变量 {ENV_VAR} 指定含中文字体（常规和粗体）的文件夹")


class LeafletError(Exception):
    """A leaflet problem to show to the user (no traceback). ``errors``: one line each."""

    def __init__(self, message: str, errors: Optional[list[str]] = None):
        super().__init__(message)
        self.errors = errors or [message]


@dataclass(frozen=True)
class CJKFont:
    family: str                 # family name as typst sees it, e.g. "Noto Sans CJK TC"
    regular: Path
    bold: Optional[Path]        # None: the family has one weight only
    dirs: tuple[Path, ...]      # folders to hand to typst (font_paths)
    source: str                 # "pip:<package>", "font-dir", "env", "system"

    @property
    def paths(self) -> list[Path]:
        return [p for p in (self.regular, self.bold) if p is not None]


# ------------------------------------------------------------------ cmap coverage check

def _u16(b, o):
    return struct.unpack_from(">H", b, o)[0]


def _u32(b, o):
    return struct.unpack_from(">I", b, o)[0]


def font_covers(path: Path | str, text: str = TEST_CHARS, index: int = 0) -> bool:
    """True when the font's cmap maps every character of text (OTF/TTF/TTC, formats 4 and 12)."""
    try:
        with open(path, "rb") as f:
            head = f.read(12)
            base = 0
            if head[:4] == b"ttcf":
                f.seek(12 + 4 * index)
                base = _u32(f.read(4), 0)
                f.seek(base)
                head = f.read(12)
            num = _u16(head, 4)
            f.seek(base + 12)
            recs = f.read(16 * num)
            cmap_off = None
            for i in range(num):
                if recs[16 * i:16 * i + 4] == b"cmap":
                    cmap_off = _u32(recs, 16 * i + 8)
                    cmap_len = _u32(recs, 16 * i + 12)
            if cmap_off is None:
                return False
            f.seek(cmap_off)
            cmap = f.read(cmap_len)
    except (OSError, struct.error):
        return False
    try:
        subtables = {}
        for i in range(_u16(cmap, 2)):
            pid, eid, off = struct.unpack_from(">HHI", cmap, 4 + 8 * i)
            subtables[(pid, eid)] = off
        codes = [ord(c) for c in text]
        for key in ((3, 10), (0, 4), (0, 6), (3, 1), (0, 3), (0, 1)):
            off = subtables.get(key)
            if off is None:
                continue
            fmt = _u16(cmap, off)
            if fmt == 12:
                n = _u32(cmap, off + 12)
                groups = [struct.unpack_from(">III", cmap, off + 16 + 12 * g)[:2] for g in range(n)]
                if all(any(s <= c <= e for s, e in groups) for c in codes):
                    return True
            elif fmt == 4:
                seg = _u16(cmap, off + 6) // 2
                ends = struct.unpack_from(f">{seg}H", cmap, off + 14)
                starts = struct.unpack_from(f">{seg}H", cmap, off + 16 + 2 * seg)
                if all(c <= 0xFFFF and any(s <= c <= e for s, e in zip(starts, ends)) for c in codes):
                    return True
        return False
    except struct.error:
        return False


# ------------------------------------------------------------------ search

SC_RE = re.compile(r"\b(SC|CN|Hans|GB)\b|简|Simplified", re.I)


def _families(dirs: list[Path]) -> dict[str, list]:
    import typst

    try:
        fonts = typst.Fonts(include_system_fonts=False, include_embedded_fonts=False,
                            font_paths=[str(d) for d in dirs]).fonts()
    except Exception:  # unreadable folder, broken font: treat as empty
        return {}
    fams: dict[str, list] = {}
    for info in fonts:
        if info.path and info.style == "normal":
            fams.setdefault(info.family, []).append(info)
    return fams


def _pick(dirs: list[Path], source: str) -> Optional[CJKFont]:
    dirs = [d for d in dirs if d.is_dir()]
    if not dirs:
        return None
    best = None
    for family, infos in _families(dirs).items():
        regular = min(infos, key=lambda i: abs(i.weight - 400))
        bolds = [i for i in infos if i.weight >= 600]
        bold = min(bolds, key=lambda i: abs(i.weight - 700)) if bolds else None
        if "mono" in family.lower() or not font_covers(regular.path, index=regular.index):
            continue
        score = (bold is not None, bool(SC_RE.search(family)), "sans" in family.lower(), family)
        if best is None or score > best[0]:
            best = (score, CJKFont(family, Path(regular.path), Path(bold.path) if bold else None,
                                   tuple(dirs), source))
    return best[1] if best else None


def _pip_dirs() -> list[tuple[str, list[Path]]]:
    found = []
    for dist, modules in PIP_FONTS:
        dirs = []
        for mod in modules:
            try:
                spec = importlib.util.find_spec(mod)
            except (ImportError, ValueError):
                spec = None
            if spec is not None and spec.submodule_search_locations:
                dirs.extend(Path(p) for p in spec.submodule_search_locations)
        if dirs:
            found.append((dist, dirs))
    return found


@functools.lru_cache(maxsize=8)
def _find(font_dir: Optional[str], env_dir: Optional[str]) -> CJKFont:
    for given, source, what in ((font_dir, "font-dir", "--font-dir"), (env_dir, "env", ENV_VAR)):
        if given:
            path = Path(given).expanduser()
            if not path.is_dir():
                raise LeafletError(f"字体目录不存在：{path}（{what}）(font folder not found)")
            font = _pick([path], source)
            if font is None:
                raise LeafletError(f"未找到中文字体：{path} 中没有可用的中文字体（{what}）。{INSTALL_HINT} "
                                   "(no CJK font found)")
            return font
    for dist, dirs in _pip_dirs():
        font = _pick(dirs, f"pip:{dist}")
        if font is not None:
            return font
    for d in SYSTEM_DIRS:
        font = _pick([Path(d).expanduser()], "system")
        if font is not None:
            return font
    raise LeafletError(f"未找到中文字体。{INSTALL_HINT} (no CJK font found)")


def find_cjk_font(font_dir: Path | str | None = None) -> CJKFont:
    """The CJK font for the leaflets; raises LeafletError("未找到中文字体 …") when there is none."""
    env = os.environ.get(ENV_VAR) or None
    return _find(str(font_dir) if font_dir else None, env)
