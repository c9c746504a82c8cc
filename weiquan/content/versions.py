"""Versions of one law side by side: which article of the previous version each article was.

A general text alignment (difflib), no per-law tables:

1. articles whose text is identical are paired in order (``SequenceMatcher`` over the list of
   article texts, so a run of unchanged articles keeps its order even when numbers shift);
2. the remaining articles are paired greedily by character similarity (``ratio`` ≥
   ``CHANGED_MIN``), best pairs first, each old article used once;
3. whatever is left in the new version is 新增; left in the old version, 删除.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from weiquan.content.digest import code_digest, keep_file
from weiquan.content.library import iter_articles
from weiquan.content.model import Article, Law

NEW, CHANGED, UNCHANGED = "新增", "修改", "未改"
CHANGED_MIN = 0.5     # similarity at which an article counts as the old one, changed
_WS_RE = re.compile(r"[\s\u3000\u00a0\u200b\ufeff]+")


@dataclass(frozen=True)
class Match:
    status: str                      # 新增 | 修改 | 未改
    old: Optional[Article] = None    # the previous version's article (None when 新增)
    ratio: float = 0.0


@dataclass
class Comparison:
    old_law: Law
    new_law: Law
    by_new: dict[tuple[int, int], Match] = field(default_factory=dict)   # new key -> match
    by_old: dict[tuple[int, int], tuple[Optional[Article], str]] = field(default_factory=dict)
    # old key -> (new article or None when 删除, status)

    def counts(self) -> dict[str, int]:
        out = {NEW: 0, CHANGED: 0, UNCHANGED: 0}
        for m in self.by_new.values():
            out[m.status] += 1
        out["删除"] = sum(1 for a, _ in self.by_old.values() if a is None)
        return out


def article_text(article: Article) -> str:
    return _WS_RE.sub("", "".join(article.paragraphs))


def compare(old_law: Law, new_law: Law) -> Comparison:
    key = (id(old_law), id(new_law))
    hit = _CACHE.get(key)
    if hit is not None and hit.old_law is old_law and hit.new_law is new_law:
        return hit
    result = _compare(old_law, new_law)
    if len(_CACHE) > 64:
        _CACHE.clear()
    _CACHE[key] = result
    return result


_CACHE: dict[tuple[int, int], Comparison] = {}


class _Alignments:
    """Alignments (new index -> (old index, ratio)) by the two versions' article texts, kept in a
    file between builds (keep_in; the build cache): the pairwise similarity of a much amended law
    takes most of a second, and the texts rarely change."""

    def __init__(self):
        self.path: Optional[Path] = None
        self.pairs: dict[str, dict] = {}
        self.stored: Optional[set[str]] = None
        self.used: set[str] = set()

    def keep_in(self, path: Path) -> None:
        import pickle
        salt = code_digest(files=(__file__,))
        try:
            stored_salt, pairs = pickle.loads(Path(path).read_bytes())
        except Exception:   # missing or unreadable: align again
            stored_salt, pairs = None, {}
        self.path, self.salt = Path(path), salt
        self.pairs = pairs if stored_salt == salt and isinstance(pairs, dict) else {}
        self.stored = set(self.pairs) if stored_salt == salt else None   # what the file holds for this code
        self.used = set()

    def key(self, old_t: list[str], new_t: list[str]) -> str:
        return hashlib.sha1(json.dumps([old_t, new_t], ensure_ascii=False).encode()).hexdigest()

    def get(self, key: str) -> Optional[dict]:
        if self.path is None:
            return None
        self.used.add(key)
        return self.pairs.get(key)

    def put(self, key: str, pair: dict) -> None:
        if self.path is not None:
            self.pairs[key] = pair
            self.used.add(key)

    def save(self) -> None:
        """Write what this build used (if it differs from the file)."""
        if self.path is None:
            return
        import pickle
        kept = {k: v for k, v in self.pairs.items() if k in self.used}
        if kept.keys() != self.stored:
            keep_file(self.path, pickle.dumps((self.salt, kept), protocol=pickle.HIGHEST_PROTOCOL))
            self.stored = set(kept)


ALIGNMENTS = _Alignments()


def _compare(old_law: Law, new_law: Law) -> Comparison:
    old, new = list(iter_articles(old_law)), list(iter_articles(new_law))
    old_t, new_t = [article_text(a) for a in old], [article_text(a) for a in new]
    key = ALIGNMENTS.key(old_t, new_t)
    pair = ALIGNMENTS.get(key)
    if pair is None:
        pair = _align(old_t, new_t)
        ALIGNMENTS.put(key, pair)
    out = Comparison(old_law, new_law)
    for j, article in enumerate(new):
        if j in pair:
            i, r = pair[j]
            status = UNCHANGED if old_t[i] == new_t[j] else CHANGED
            out.by_new[article.key] = Match(status, old[i], r)
            out.by_old[old[i].key] = (article, status)
        else:
            out.by_new[article.key] = Match(NEW)
    for i, article in enumerate(old):
        out.by_old.setdefault(article.key, (None, "删除"))
    return out


def _align(old_t: list[str], new_t: list[str]) -> dict[int, tuple[int, float]]:
    old, new = old_t, new_t
    pair: dict[int, tuple[int, float]] = {}     # new index -> (old index, ratio)
    used: set[int] = set()

    sm = difflib.SequenceMatcher(None, old_t, new_t, autojunk=False)
    for block in sm.get_matching_blocks():
        for k in range(block.size):
            pair[block.b + k] = (block.a + k, 1.0)
            used.add(block.a + k)
    # identical texts that moved out of order
    by_text: dict[str, list[int]] = {}
    for i, t in enumerate(old_t):
        if i not in used:
            by_text.setdefault(t, []).append(i)
    for j, t in enumerate(new_t):
        if j not in pair and by_text.get(t):
            i = by_text[t].pop(0)
            pair[j] = (i, 1.0)
            used.add(i)

    # similar texts: score candidate pairs, cheap bounds first
    left_old = [i for i in range(len(old)) if i not in used]
    left_new = [j for j in range(len(new)) if j not in pair]
    scored = []
    for j in left_new:
        sm = difflib.SequenceMatcher(None, autojunk=False)
        sm.set_seq2(new_t[j])
        for i in left_old:
            sm.set_seq1(old_t[i])
            if sm.real_quick_ratio() < CHANGED_MIN or sm.quick_ratio() < CHANGED_MIN:
                continue
            r = sm.ratio()
            if r >= CHANGED_MIN:
                # prefer nearby positions on ties (articles rarely move far)
                scored.append((r, -abs(i / max(len(old), 1) - j / max(len(new), 1)), j, i))
    scored.sort(reverse=True)
    for r, _dist, j, i in scored:
        if j in pair or i in used:
            continue
        pair[j] = (i, r)
        used.add(i)
    return pair


def previous_version(versions: list[Law], law: Law) -> Optional[Law]:
    """The version just before law (versions oldest first), or None."""
    i = next((k for k, v in enumerate(versions) if v is law), 0)
    return versions[i - 1] if i > 0 else None


def next_version(versions: list[Law], law: Law) -> Optional[Law]:
    i = next((k for k, v in enumerate(versions) if v is law), len(versions))
    return versions[i + 1] if i + 1 < len(versions) else None
