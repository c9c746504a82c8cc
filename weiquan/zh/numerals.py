"""Chinese numerals as used in article and chapter numbers (第一百二十条之一)."""

from __future__ import annotations

import functools
import re

DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
          "六": 6, "七": 7, "八": 8, "九": 9}
UNITS = {"十": 10, "百": 100, "千": 1000}
CN_DIGITS = "零一二三四五六七八九"

NUMERAL_CHARS = "".join(DIGITS) + "".join(UNITS)
ARTICLE_RE = re.compile(rf"^第([{NUMERAL_CHARS}\d]+)条(?:之([{NUMERAL_CHARS}\d]+))?$")


def cn_to_int(text: str) -> int:
    """'一百二十' -> 120, '二十三' -> 23, '十' -> 10, '一〇五' -> 105, '23' -> 23."""
    if text.isdigit():
        return int(text)
    if not text or any(c not in DIGITS and c not in UNITS for c in text):
        raise ValueError(f"not a Chinese numeral: {text!r}")
    if not any(c in UNITS for c in text):  # positional digits: 一〇五
        return int("".join(str(DIGITS[c]) for c in text))
    total, digit = 0, None
    for c in text:
        if c in DIGITS:
            digit = DIGITS[c]
        else:
            total += (1 if digit is None else digit) * UNITS[c]
            digit = None
    return total + (digit or 0)


def int_to_cn(n: int) -> str:
    """120 -> '一百二十', 23 -> '二十三', 10 -> '十', 105 -> '一百零五'."""
    if n < 0 or n >= 10000:
        raise ValueError(f"out of range: {n}")
    if n < 10:
        return CN_DIGITS[n]
    out, zero = [], False
    for unit, name in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        d = n // unit % 10
        if d == 0:
            zero = bool(out)
            continue
        if zero:
            out.append("零")
            zero = False
        out.append(CN_DIGITS[d] + name)
    text = "".join(out)
    return text[1:] if text.startswith("一十") else text


@functools.lru_cache(maxsize=16384)   # a law's article numbers are read again and again (keys, anchors)
def parse_article_number(text: str) -> tuple[int, int]:
    """'第一百二十条之一' -> (120, 1); '第二十三条' -> (23, 0). Raises ValueError."""
    m = ARTICLE_RE.match(text.strip())
    if not m:
        raise ValueError(f"not an article number: {text!r}")
    return cn_to_int(m.group(1)), cn_to_int(m.group(2)) if m.group(2) else 0


def article_number(n: int, sub: int = 0) -> str:
    """(120, 1) -> '第一百二十条之一'."""
    return f"第{int_to_cn(n)}条" + (f"之{int_to_cn(sub)}" if sub else "")
