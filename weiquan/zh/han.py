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
