"""Related content of case and guide pages, from what the search already has: the search
documents (cited articles, topics, titles and texts). More-like-this is computed here, over the
汉字 bigrams of the cases, guides and articles, as Whoosh did it for the staff tool (Bo1 key
terms, BM25F ranking), without building an index; the result is kept in
``.weiquan-cache/related/`` and reused while those documents stay the same."""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections import Counter, defaultdict
from pathlib import Path
from typing import Callable

from weiquan.content.digest import keep_file
from weiquan.content.ids import DocId, Related
from weiquan.content.library import Content
from weiquan.zh.terms import CJK_CLASS, to_simplified

KINDS = ("case", "article", "guide")   # the documents more-like-this compares
KEY_TERMS, QUERY_TERMS = 80, 25        # a document's most characteristic bigrams, and how many are looked up
B, K1 = 0.75, 1.2                      # BM25F


def related_content(content: Content, docs: list[dict], cache_dir: Path,
                    limit: int = 4) -> Callable[[str, str], list[Related]]:
    """(kind, slug) -> [Related] for case and guide pages: cases that share a cited article or
    topic, then more-like-this cases and articles — articles only from laws the entry already
    cites, never the ones it quotes itself."""
    cites: dict[str, set[str]] = {}
    topics: dict[str, set[str]] = {}
    for kind, entry, entry_topics in [("case", c, c.topics) for c in content.cases] + \
                                     [("guide", g, g.meta.topics) for g in content.guides]:
        key = str(DocId(kind, entry.slug))
        cites[key] = {str(DocId("article", law.slug, art.anchor)) for law, art in content.cited_articles(entry)}
        topics[key] = set(entry_topics)
    by_id = {d["id"]: d for d in docs}
    subset = [d for d in docs if d["kind"] in KINDS]
    similar = similar_docs(subset, list(cites), kinds=("case", "article"), limit=12,
                           cache_file=Path(cache_dir) / "related.json") if cites else {}

    cases_citing: dict[str, set[str]] = defaultdict(set)    # article -> case keys
    cases_on: dict[str, set[str]] = defaultdict(set)        # topic -> case keys
    for other in cites:
        if other.startswith("case:"):
            for a in cites[other]:
                cases_citing[a].add(other)
            for t in topics[other]:
                cases_on[t].add(other)

    def lookup(kind: str, slug: str) -> list[Related]:
        key = str(DocId(kind, slug))
        own, own_topics = cites.get(key, set()), topics.get(key, set())
        laws = {DocId.parse(i).slug for i in own}
        sharing = set().union(*(cases_citing[a] for a in own), *(cases_on[t] for t in own_topics)) - {key}
        shared = sorted(sharing, key=lambda o: (-len(cites[o] & own), -len(topics[o] & own_topics), o))
        picked = list(dict.fromkeys(shared[:2] + [
            r["id"] for r in similar.get(key, [])
            if r["id"] != key and r["id"] not in own and (r["kind"] == "case" or DocId.parse(r["id"]).slug in laws)]))
        return [Related(DocId.parse(doc_id), by_id[doc_id]["title"]) for doc_id in picked[:limit]]
    return lookup


def similar_docs(docs: list[dict], doc_ids: list[str], kinds=("case", "article"), limit: int = 12,
                 cache_file: Path | None = None) -> dict[str, list[dict]]:
    """{doc id: [{"id", "kind"}] of the docs of ``kinds`` most like it, best first}: its
    QUERY_TERMS most characteristic bigrams (of its KEY_TERMS best by Bo1, those another doc
    holds too), looked up and ranked by BM25F with their weights as boosts. ``cache_file`` keeps
    the answer for the same docs and questions."""
    key = hashlib.sha256(Path(__file__).read_bytes())
    for d in docs:
        key.update(json.dumps([d["id"], d["kind"], d.get("title") or "", d.get("text") or ""],
                              ensure_ascii=False).encode())
    key.update(json.dumps([doc_ids, list(kinds), limit]).encode())
    digest = key.hexdigest()
    if cache_file is not None:
        try:
            saved = json.loads(cache_file.read_text(encoding="utf-8"))
            if saved["key"] == digest:
                return saved["related"]
        except (OSError, ValueError, KeyError):
            pass
    related = _similar(docs, doc_ids, kinds, limit)
    if cache_file is not None:
        keep_file(cache_file, json.dumps({"key": digest, "related": related}, ensure_ascii=False).encode())
    return related


def _similar(docs: list[dict], doc_ids: list[str], kinds, limit: int) -> dict[str, list[dict]]:
    from whoosh.util.numeric import byte_to_length, length_to_byte

    vectors = [Counter(cjk_bigrams((d.get("title") or "") + "\n" + (d.get("text") or ""))) for d in docs]
    n = len(docs)
    lengths = [sum(v.values()) for v in vectors]
    avg = (sum(lengths) / n if n else 0) or 1
    lengths = [byte_to_length(length_to_byte(x)) for x in lengths]   # as Whoosh stores them (one byte)
    cf: Counter = Counter()                     # occurrences in all docs
    postings: dict[str, list[tuple[int, int]]] = defaultdict(list)   # term -> [(doc number, tf)]
    for num, v in enumerate(vectors):
        cf.update(v)
        for term, tf in v.items():
            postings[term].append((num, tf))
    wanted = set(kinds)
    number = {d["id"]: num for num, d in enumerate(docs)}
    out: dict[str, list[dict]] = {}
    for doc_id in doc_ids:
        num = number.get(doc_id)
        if num is None or not vectors[num]:   # not a doc, or no 汉字 in it: nothing to compare
            out[doc_id] = []
            continue
        terms = [(t, w) for t, w in _key_terms(vectors[num], cf, n, lengths[num])
                 if len(postings[t]) > 1][:QUERY_TERMS]
        scores: dict[int, float] = defaultdict(float)
        for term, boost in terms:
            plist = postings[term]
            idf = math.log(n / (len(plist) + 1)) + 1
            for other, tf in plist:
                if other != num and docs[other]["kind"] in wanted:
                    scores[other] += boost * idf * (tf * (K1 + 1)) / (tf + K1 * ((1 - B) + B * lengths[other] / avg))
        best = sorted(scores.items(), key=lambda s: (-s[1], s[0]))[:limit]
        out[doc_id] = [{"id": docs[o]["id"], "kind": docs[o]["kind"]} for o, _ in best]
    return out


_CJK_RUN = re.compile(f"[{CJK_CLASS}]+")


def cjk_bigrams(text: str) -> list[str]:
    """汉字 character pairs of a text (simplified), as the index analysis makes them."""
    out: list[str] = []
    for run in _CJK_RUN.findall(to_simplified(text)):
        out.extend(run[i:i + 2] for i in range(len(run) - 1)) if len(run) > 1 else out.append(run)
    return out


def _key_terms(vector: Counter, cf: Counter, n: int, total: int) -> list[tuple[str, float]]:
    """A doc's KEY_TERMS most characteristic terms with their weights (Bo1, normalised)."""
    scored, top = [], 0.0
    for term, tf in vector.items():
        f = cf[term] / n
        s = tf * math.log((1.0 + f) / f, 2) + math.log(1.0 + f, 2)
        top = max(top, s)
        scored.append((s, term))
    if top:
        f = top / n
        norm = (top * math.log((1.0 + f) / f) + math.log(1.0 + f)) / math.log(2.0)
    else:
        norm = top or 1.0
    scored = [(s / norm, t) for s, t in scored]
    scored.sort(key=lambda x: (-x[0], x[1]))
    return [(t, s) for s, t in scored[:KEY_TERMS]]
