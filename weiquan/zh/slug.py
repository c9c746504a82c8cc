"""ASCII slugs of Chinese text (anchors, ids, file names): toneless pinyin, [a-z0-9-] only."""

from __future__ import annotations

import hashlib
import re


def pinyin_slug(text: str, max_len: int = 60) -> str:
    """'家庭暴力' → 'jia-ting-bao-li'; letters and digits kept, everything else dropped. Never
    empty: a text with nothing to spell (symbols only) gets a short hash."""
    from pypinyin import Style, lazy_pinyin
    words = lazy_pinyin(str(text), style=Style.NORMAL, errors=lambda s: [s], v_to_u=False)
    parts = [re.sub(r"[^a-z0-9]+", "-", w.lower()).strip("-") for w in words]
    slug = "-".join(p for p in parts if p)[:max_len].strip("-")
    return slug or "x" + hashlib.sha1(str(text).encode("utf-8")).hexdigest()[:8]
