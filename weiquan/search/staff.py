"""Staff search tool (``weiquan search QUERY``), on Whoosh. (Related content on pages is
:mod:`weiquan.search.related`, without an index.)

Terms come from :mod:`weiquan.zh.terms` (the same analysis as the site index, via
:func:`weiquan.search.index._doc_terms`): documents are indexed pre-tokenised (one term and
posting class per line) in field ``c``.  Queries are read with
the same :class:`weiquan.zh.terms.Rules` as the site (stop words, the thesaurus of
content/synonyms.yaml).  Whoosh finds the documents holding each group (prefix groups as
Prefix queries); they are ranked with :func:`weiquan.zh.terms.score_doc` from the analysis
stored with each document, i.e. like the site client (minus posting caps; a group no
document holds is unknown there too).

The index lives in ``index_dir`` and is rebuilt when the content hash of the docs (or the
analysis code) changes.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

from whoosh import index as windex
from whoosh.analysis import Token, Tokenizer
from whoosh.fields import ID, STORED, TEXT, Schema

from weiquan.zh import terms as T
from weiquan.search.index import _doc_terms, analysis_salt

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


def _schema() -> Schema:
    an = LineTokenizer()
    # c: "term<TAB>posting class" per term of the doc (the site index's postings, uncapped);
    # forms: {pinyin/initials term: the 汉字 it was read from}, for highlighting
    return Schema(id=ID(stored=True, unique=True), kind=ID(stored=True), doc=STORED, forms=STORED,
                  c=TEXT(analyzer=an, phrase=False))


def content_hash(docs: list[dict], rules: T.Rules | None = None) -> str:
    h = hashlib.sha256(analysis_salt(rules or T.DEFAULT_RULES).encode())
    h.update(Path(__file__).read_bytes())
    for d in sorted(docs, key=lambda d: d["id"]):
        h.update(json.dumps(d, ensure_ascii=False, sort_keys=True).encode())
    return h.hexdigest()


def _fields(d: dict, rules: T.Rules | None = None) -> dict:
    """Whoosh fields of a doc from the site index's own analysis: ``c`` (term and posting class)
    and ``forms``."""
    dt = _doc_terms(d, rules)
    return {"c": "\n".join(f"{term}\t{c}" for term, (classes, _) in dt.items() for c in sorted(classes)),
            "forms": {term: form for term, (_, form) in dt.items() if form}}


def ensure_index(docs: list[dict], index_dir: Path, *, rules: T.Rules | None = None):
    """Open the Whoosh index in ``index_dir``, (re)building it when the docs changed.
    ``rules``: how texts are read (pinyin overrides: :func:`weiquan.search.index.rules_for`)."""
    index_dir = Path(index_dir)
    digest = content_hash(docs, rules)
    hf = index_dir / HASH_FILE
    if hf.exists() and hf.read_text().strip() == digest and windex.exists_in(str(index_dir)):
        return windex.open_dir(str(index_dir))
    shutil.rmtree(index_dir, ignore_errors=True)
    index_dir.mkdir(parents=True)
    ix = windex.create_in(str(index_dir), _schema())
    w = ix.writer(limitmb=128)
    for d in docs:
        w.add_document(id=d["id"], kind=d["kind"], doc=d, **_fields(d, rules))
    w.commit()
    hf.write_text(digest)
    return ix


def _classes(reader, g: str) -> dict[int, set[int]]:
    """{doc number: posting classes} of group g (a prefix group: of every term it starts)."""
    prefix = g[:-1] if g.endswith("*") else g + "\t"
    out: dict[int, set[int]] = {}
    for tok in reader.expand_prefix("c", prefix):
        tok = tok.decode() if isinstance(tok, bytes) else tok
        cls = int(tok.rsplit("\t", 1)[1])
        for num in reader.postings("c", tok).all_ids():
            out.setdefault(num, set()).add(cls)
    return out


def _snippet(text: str, marks: list[str], width: int = 60) -> str:
    pos = min((text.find(m) for m in marks if m and m in text), default=-1)
    start = max(0, pos - 15) if pos > 0 else 0
    s = text[start:start + width].replace("\n", " ")
    return ("…" if start else "") + s + ("…" if start + width < len(text) else "")


def search(index, query: str, limit: int = 10, rules: T.Rules | None = None) -> list[dict]:
    """Ranked results: dicts with id, kind, label, title, parent, url, phone, snippet,
    coverage, score. ``rules``: how queries are read (default: stop words, no thesaurus); runs
    matched badly get the site's second look (:func:`weiquan.zh.terms.respell`).  Every document
    holding a group of the query is ranked."""
    rules = rules or T.DEFAULT_RULES
    qt = T.query_terms(query, rules)
    groups = T.query_groups(qt)
    if not groups:
        return []
    with index.searcher() as s:
        r = s.reader()
        found = {g: _classes(r, g) for g in groups}
        held = {g: set(c) for g, c in found.items()}
        unknown = {g for g, ds in held.items() if not ds}
        weak = T.weak_runs(qt, held, unknown, set())
        if weak:
            def frequency(word: str) -> int:   # about how many documents hold a word
                return min(len(_classes(r, word[j:j + 2])) for j in range(len(word) - 1))
            qt = T.respell(qt, weak, T.char_syllables(rules), T.spell_dictionary(rules, frequency), rules)
            groups = T.query_groups(qt)
            for g in groups:
                if g not in found:
                    found[g] = _classes(r, g)
                    if not found[g]:
                        unknown.add(g)
        by_doc: dict[int, dict[str, set[int]]] = {}
        for g, docs in found.items():
            for num, cls in docs.items():
                by_doc.setdefault(num, {})[g] = cls
        kinds = _kinds(r)
        ranked = []
        least = T.min_coverage(qt)
        for num, gh in by_doc.items():
            cov, exact, score = T.score_doc(qt, gh, set(), kinds.get(num, ""), unknown)
            if cov >= least:
                ranked.append((cov, exact, score, num))
        ranked.sort(key=lambda x: (*T.rank_key(qt, x[0], x[1], x[2]), x[3]))
        out = []
        for cov, _, score, num in ranked[:limit]:
            stored = r.stored_fields(num)
            forms = stored.get("forms") or {}
            marks = qt["hl"] + [forms[t] for t in _terms_of(forms, by_doc[num]) if t in forms]
            out.append(_result(stored["doc"], cov, score, marks))
    return out


def _kinds(reader) -> dict[int, str]:
    """{doc number: kind}, from the postings of the kind field (no stored document is read)."""
    out: dict[int, str] = {}
    for kind in reader.lexicon("kind"):
        kind = kind.decode() if isinstance(kind, bytes) else kind
        for num in reader.postings("kind", kind).all_ids():
            out[num] = kind
    return out


def _terms_of(forms: dict[str, str], gh: dict[str, set[int]]) -> list[str]:
    """The index terms a doc's matched groups stand for (a prefix group: every such term)."""
    out = []
    for g in gh:
        out.extend([t for t in forms if t.startswith(g[:-1])] if g.endswith("*") else [g])
    return out


def _result(d: dict, cov: float = 0.0, score: float = 0.0, marks: list[str] | None = None) -> dict:
    return {"id": d["id"], "kind": d["kind"], "label": KIND_LABEL.get(d["kind"], d["kind"]),
            "title": d.get("title") or "", "parent": d.get("parent") or "", "url": d["url"],
            "phone": d.get("phone") or "", "snippet": _snippet(d.get("text") or "", marks or []),
            "coverage": round(cov, 3), "score": score}


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
