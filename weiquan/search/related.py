"""Related content of case and guide pages, from what the search already has: the search
documents (cited articles, topics) and a Whoosh more-like-this index of the cases, guides and
articles, kept in ``.weiquan-cache/related/`` and reused while they stay the same."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Callable

from weiquan.content.ids import DocId, Related
from weiquan.content.library import Content

KINDS = ("case", "article", "guide")   # the documents the more-like-this index holds


def related_content(content: Content, docs: list[dict], index_dir: Path,
                    limit: int = 4) -> Callable[[str, str], list[Related]]:
    """(kind, slug) -> [Related] for case and guide pages: cases that share a cited article or
    topic, then more-like-this cases and articles — articles only from laws the entry already
    cites, never the ones it quotes itself."""
    from weiquan.search.staff import ensure_index, related_map
    cites: dict[str, set[str]] = {}
    topics: dict[str, set[str]] = {}
    for kind, entry, entry_topics in [("case", c, c.topics) for c in content.cases] + \
                                     [("guide", g, g.meta.topics) for g in content.guides]:
        key = str(DocId(kind, entry.slug))
        cites[key] = {str(DocId("article", law.slug, art.anchor)) for law, art in content.cited_articles(entry)}
        topics[key] = set(entry_topics)
    by_id = {d["id"]: d for d in docs}
    subset = [d for d in docs if d["kind"] in KINDS]
    similar = related_map(ensure_index(subset, index_dir, related_only=True), list(cites),
                          kinds=("case", "article"), limit=12) if cites else {}

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
