"""Citation keys: which law and which article a citation names."""

from __future__ import annotations

import re

from weiquan.zh.numerals import NUMERAL_CHARS, cn_to_int

SHORTCODE_RE = re.compile(r"\[\[([^\[\]#|]+?)(?:#([^\[\]|]+?))?(?:\|([^\[\]]+?))?\]\]")
_ARTICLE_KEY_RE = re.compile(
    rf"^第?\s*([{NUMERAL_CHARS}\d]+)\s*条?\s*(?:(?:之|-)\s*([{NUMERAL_CHARS}\d]+))?$")


def article_key(text: str) -> tuple[int, int]:
    """'23' / '第二十三条' / '23条' / '120之一' / '120-1' -> (n, sub). Raises ValueError."""
    m = _ARTICLE_KEY_RE.match(str(text).strip())
    if not m:
        raise ValueError(f"not an article reference: {text!r}")
    return cn_to_int(m.group(1)), cn_to_int(m.group(2)) if m.group(2) else 0


def anchor_for(key: tuple[int, int]) -> str:
    """An article's anchor on its law page, from its key only: (23, 0) → a23, (120, 1) → a120-1.
    Stable across rebuilds and re-imports (permalinks laws/<slug>/#a23)."""
    n, sub = key
    return f"a{n}" + (f"-{sub}" if sub else "")
