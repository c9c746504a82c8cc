"""Staff search tool (``weiquan search QUERY``) and build-time related content, on Whoosh.

Terms come from :mod:`weiquan.zh.terms` (the same analysis as the site index, via
:func:`weiquan.search.index._doc_terms`): documents are indexed pre-tokenised (one term per
line) in three fields ``t`` (questions + title), ``k`` (parent + keywords) and ``b`` (body);
field ``m`` holds the 汉字 bigrams with term vectors for more-like-this.  Queries are read with
the same :class:`weiquan.zh.terms.Rules` as the site (stop words, the thesaurus of
content/synonyms.yaml).  Whoosh finds candidates (OR of the query's groups, prefix groups as
Prefix queries); candidates are ranked with :func:`weiquan.zh.terms.score_doc`, i.e. exactly
like the site client (minus posting caps; a group no document holds is unknown there too).

The index lives in ``index_dir`` and is rebuilt when the content hash of the docs (or the
analysis code) changes.
"""

from __future__ import annotations

import hashlib
import re
import json
import shutil
from pathlib import Path

from whoosh import index as windex
from whoosh.analysis import Token, Tokenizer
from whoosh.fields import ID, STORED, TEXT, Schema
from whoosh.query import Or, Prefix, Term

from weiquan.zh import terms as T
from weiquan.search.index import _doc_terms

KIND_LABEL = {"law": "法律", "article": "法律条文", "case": "案例", "guide": "指南",
              "station": "服务站", "campaign": "活动", "hotline": "热线", "page": "本站"}
HASH_FILE = "content.sha256"


class LineTokenizer(Tokenizer):
    """Pre-tokenised text: one term per line."""

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True,
                 start_pos=0, start_char=0, tokenize=True, mode="", **kwargs):
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        for pos, text in enumerate(x for x in value.split("\n") if x):
            t.text = text
            t.boost = 1.0
            t.stopped = False
            if keeporiginal:
                t.original = text
            if positions:
                t.pos = start_pos + pos
            yield t


def _schema(related_only: bool = False) -> Schema:
    an = LineTokenizer()
    m = TEXT(analyzer=an, phrase=False, vector=True)   # 汉字 bigrams, for more-like-this
    if related_only:
        return Schema(id=ID(stored=True, unique=True), kind=ID(stored=True), doc=STORED, m=m)
    return Schema(id=ID(stored=True, unique=True), kind=ID(stored=True), doc=STORED,
                  t=TEXT(analyzer=an, phrase=False), k=TEXT(analyzer=an, phrase=False),
                  b=TEXT(analyzer=an, phrase=False), m=m)


_CJK_RUN = re.compile(f"[{T.CJK_CLASS}]+")


def cjk_bigrams(text: str) -> list[str]:
    """汉字 character pairs of a text (simplified), as the index analysis makes them."""
    out: list[str] = []
    for run in _CJK_RUN.findall(T.to_simplified(text)):
        out.extend(run[i:i + 2] for i in range(len(run) - 1)) if len(run) > 1 else out.append(run)
    return out


def content_hash(docs: list[dict]) -> str:
    h = hashlib.sha256()
    for mod in (T, ):
        h.update(Path(mod.__file__).read_bytes())
    h.update(Path(__file__).read_bytes())
    for d in sorted(docs, key=lambda d: d["id"]):
        h.update(json.dumps(d, ensure_ascii=False, sort_keys=True).encode())
    return h.hexdigest()


def _fields(d: dict) -> dict[str, str]:
    """Whoosh fields t / k / b of a doc, from the site index's own analysis."""
    out: dict[str, list[str]] = {"t": [], "k": [], "b": []}
    for term, (classes, _) in _doc_terms(d).items():
        for f in {("b", "k", "t", "t")[c >> 2] for c in classes}:
            out[f].append(term)
    return {f: "\n".join(v) for f, v in out.items()}


def ensure_index(docs: list[dict], index_dir: Path, *, related_only: bool = False):
    """Open the Whoosh index in ``index_dir``, (re)building it when the docs changed.
    ``related_only``: just what more-like-this needs (the site build's related content)."""
    index_dir = Path(index_dir)
    digest = content_hash(docs) + ("-related" if related_only else "")
    hf = index_dir / HASH_FILE
    if hf.exists() and hf.read_text().strip() == digest and windex.exists_in(str(index_dir)):
        return windex.open_dir(str(index_dir))
    shutil.rmtree(index_dir, ignore_errors=True)
    index_dir.mkdir(parents=True)
    ix = windex.create_in(str(index_dir), _schema(related_only))
    w = ix.writer(limitmb=128)
    for d in docs:
        m = "\n".join(cjk_bigrams((d.get("title") or "") + "\n" + (d.get("text") or "")))
        if related_only:
            w.add_document(id=d["id"], kind=d["kind"], doc=d, m=m)
            continue
        w.add_document(id=d["id"], kind=d["kind"], doc=d, m=m, **_fields(d))
    w.commit()
    hf.write_text(digest)
    return ix


def _group_query(g: str):
    if g.endswith("*"):
        return Or([Prefix(f, g[:-1]) for f in ("t", "k", "b")])
    return Or([Term(f, g) for f in ("t", "k", "b")])


def _snippet(text: str, marks: list[str], width: int = 60) -> str:
    pos = min((text.find(m) for m in marks if m and m in text), default=-1)
    start = max(0, pos - 15) if pos > 0 else 0
    s = text[start:start + width].replace("\n", " ")
    return ("…" if start else "") + s + ("…" if start + width < len(text) else "")


_TERMS_MEMO: dict[tuple, dict[str, dict]] = {}   # (index folder, content hash) -> doc id -> _doc_terms


def _held(s, g: str) -> bool:
    """Does any document hold group g?"""
    if g.endswith("*"):
        return any(True for f in ("t", "k", "b") for _ in s.reader().expand_prefix(f, g[:-1]))
    return any(s.doc_frequency(f, g) for f in ("t", "k", "b"))


def search(index, query: str, limit: int = 10, candidates: int = 500, rules: T.Rules | None = None) -> list[dict]:
    """Ranked results: dicts with id, kind, label, title, parent, url, phone, snippet,
    coverage, score. ``rules``: how queries are read (default: stop words, no thesaurus)."""
    qt = T.query_terms(query, rules)
    groups = T.query_groups(qt)
    if not groups:
        return []
    with index.searcher() as s:
        unknown = {g for g in groups if not _held(s, g)}
        hits = s.search(Or([_group_query(g) for g in groups]), limit=candidates)
        docs = [h["doc"] for h in hits]
    scored = []
    folder = Path(index.storage.folder)
    key = (str(folder), (folder / HASH_FILE).read_text() if (folder / HASH_FILE).exists() else "")
    if key not in _TERMS_MEMO:
        _TERMS_MEMO.clear()
    memo = _TERMS_MEMO.setdefault(key, {})
    for d in docs:
        dt = memo.get(d["id"])
        if dt is None:
            dt = memo[d["id"]] = _doc_terms(d)
        gh: dict[str, set[int]] = {}
        forms: list[str] = []
        for g in groups:
            if g.endswith("*"):
                p = g[:-1]
                for term, (cls, form) in dt.items():
                    if term.startswith(p):
                        gh.setdefault(g, set()).update(cls)
                        if form:
                            forms.append(form)
            elif g in dt:
                gh[g] = set(dt[g][0])
                if dt[g][1]:
                    forms.append(dt[g][1])
        cov, score = T.score_doc(qt, gh, set(), d["kind"], unknown)
        if cov >= T.MIN_COVERAGE:
            scored.append((cov, score, d, qt["hl"] + forms))
    scored.sort(key=lambda r: (-r[0], -r[1], r[2]["id"]))
    return [_result(d, cov, score, marks) for cov, score, d, marks in scored[:limit]]


def _result(d: dict, cov: float = 0.0, score: float = 0.0, marks: list[str] | None = None) -> dict:
    return {"id": d["id"], "kind": d["kind"], "label": KIND_LABEL.get(d["kind"], d["kind"]),
            "title": d.get("title") or "", "parent": d.get("parent") or "", "url": d["url"],
            "phone": d.get("phone") or "", "snippet": _snippet(d.get("text") or "", marks or []),
            "coverage": round(cov, 3), "score": score}


def more_like_this(index, doc_id: str, kinds=("case", "article"), limit: int = 3, *, searcher=None) -> list[dict]:
    """Related docs of the given kinds (Whoosh more-like-this: the doc's most
    characteristic 汉字 bigrams shared with other docs, OR-ed with tf-idf boosts)."""
    if searcher is None:
        with index.searcher() as s:
            return more_like_this(index, doc_id, kinds, limit, searcher=s)
    s = searcher
    num = s.document_number(id=doc_id)
    if num is None:
        return []
    if not s.reader().has_vector(num, "m"):   # no 汉字 in it (English, 藏文, ئۇيغۇرچە): nothing to compare
        return []
    flt = Or([Term("kind", k) for k in kinds])   # one searcher caches this filter across calls
    kts = [(w, v) for w, v in s.key_terms([num], "m", numterms=80) if s.doc_frequency("m", w) > 1][:25]
    if not kts:
        return []
    q = Or([Term("m", w, boost=v) for w, v in kts])
    hits = s.search(q, limit=limit, filter=flt, mask={num})
    return [_result(h["doc"]) for h in hits]


RELATED_FILE = "related.json"


def related_map(index, doc_ids, kinds=("case", "article"), limit: int = 3) -> dict[str, list[dict]]:
    """{doc id: related results} for the site generator (each case/guide page). Kept next to
    the index and reused while the index is (rebuilds under ``mkdocs serve``)."""
    doc_ids = list(doc_ids)
    cache = Path(index.storage.folder) / RELATED_FILE
    key = json.dumps([(Path(index.storage.folder) / HASH_FILE).read_text().strip(), doc_ids, list(kinds), limit])
    try:
        saved = json.loads(cache.read_text(encoding="utf-8"))
        if saved["key"] == key:
            return saved["related"]
    except (OSError, ValueError, KeyError):
        pass
    with index.searcher() as s:
        related = {i: more_like_this(index, i, kinds, limit, searcher=s) for i in doc_ids}
    cache.write_text(json.dumps({"key": key, "related": related}, ensure_ascii=False), encoding="utf-8")
    return related


def format_results(results: list[dict]) -> str:
    """Plain-text listing with Chinese labels (and the phone number of stations)."""
    if not results:
        return "没有找到结果。"
    lines = []
    for n, r in enumerate(results, 1):
        if r["kind"] == "article":
            where = f"{r['parent']} {r['title']}"
        elif r["parent"]:
            where = f"{r['title']}（{r['parent']}）"
        else:
            where = r["title"]
        phone = f"  电话 {r['phone']}" if r.get("phone") else ""
        lines.append(f"{n}. [{r['label']}] {where}{phone}")
        lines.append(f"   {r['url']}")
        if r.get("snippet"):
            lines.append(f"   {r['snippet']}")
    return "\n".join(lines)
