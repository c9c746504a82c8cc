"""The one definition of a Chinese character (汉字) for the whole library.

``HAN_CLASS`` is a regex character class body: 〇, CJK Extension A, the URO, the compatibility
ideographs and Extensions B-H (supplementary planes). ``HAN_BMP`` is its part in the Basic
Multilingual Plane: the search uses it, because its client (ES5 JavaScript without the ``u``
flag) sees a supplementary character as two code units and must agree with Python on what one
character is.
"""

from __future__ import annotations

import re

HAN_BMP = "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
HAN_CLASS = HAN_BMP + "\U00020000-\U0002ebef\U00030000-\U000323af"

HAN_RE = re.compile(f"[{HAN_CLASS}]+")      # a run of 汉字
_ONE = re.compile(f"[{HAN_CLASS}]")


def is_han(ch: str) -> bool:
    """Is ``ch`` one Chinese character?"""
    return bool(_ONE.fullmatch(ch))


def js_han_pattern(han_class: str | None = None) -> str:
    """An ES5 RegExp source (no ``u`` flag) matching exactly one 汉字 of ``HAN_CLASS``:
    the BMP part as a class, supplementary characters as surrogate pairs."""
    if han_class is None:
        han_class = HAN_CLASS
    ranges, i = [], 0
    while i < len(han_class):
        if i + 2 < len(han_class) and han_class[i + 1] == "-":
            ranges.append((ord(han_class[i]), ord(han_class[i + 2])))
            i += 3
        else:
            ranges.append((ord(han_class[i]), ord(han_class[i])))
            i += 1

    def u(cp: int) -> str:
        return f"\\u{cp:04x}"

    def cls(lo: int, hi: int) -> str:
        return u(lo) if lo == hi else f"[{u(lo)}-{u(hi)}]"

    bmp, astral = [], []
    for lo, hi in ranges:
        if lo > 0xFFFF:
            astral.append((lo, hi))
        elif hi > 0xFFFF:
            bmp.append((lo, 0xFFFF))
            astral.append((0x10000, hi))
        else:
            bmp.append((lo, hi))
    alts = ["[" + "".join(u(lo) if lo == hi else f"{u(lo)}-{u(hi)}" for lo, hi in bmp) + "]"] if bmp else []
    for lo, hi in astral:
        lo -= 0x10000
        hi -= 0x10000
        hl, ll = 0xD800 + (lo >> 10), 0xDC00 + (lo & 0x3FF)
        hh, lh = 0xD800 + (hi >> 10), 0xDC00 + (hi & 0x3FF)
        if hl == hh:
            alts.append(u(hl) + cls(ll, lh))
            continue
        first, last = hl + (ll != 0xDC00), hh - (lh != 0xDFFF)   # whole high surrogates
        if ll != 0xDC00:
            alts.append(u(hl) + cls(ll, 0xDFFF))
        if first <= last:
            alts.append(cls(first, last) + cls(0xDC00, 0xDFFF))
        if lh != 0xDFFF:
            alts.append(u(hh) + cls(0xDC00, lh))
    return "(?:" + "|".join(alts) + ")"
