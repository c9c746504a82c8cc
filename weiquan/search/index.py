"""Static, sharded search index for the site (and its offline ``file://`` edition).

``build_search_index(docs, out_dir)`` writes, under ``out_dir`` (the site's ``search/``)::

    manifest.js    wqSearch.add("manifest", {...})   shard boundaries + query tables (terms.py)
    t/<n>.js       wqSearch.add("t/<n>", {term: postings | [postings, forms]})   term shards
    d/<n>.js       wqSearch.add("d/<n>", [[kind, url, title, parent, text, phone, id(, questions)], ...])
    z.js           wqSearch.add("z", "繁简繁简…")  traditional→simplified pairs

All files are scripts (JSONP style) so they load from ``file://``.  Nothing is loaded until the
search box is focused; then the manifest and z.js load while the reader starts typing, so a
query's critical path is only its term shards and the doc shards of the first results (each
file costs the phone's main thread several ms to fetch and run, so fewer files beat fewer bytes).  Terms are analysed by :mod:`weiquan.terms`.

Postings string of a term: optional ``!`` (list capped at ``cap`` docs), then segments
``<class hex><id>,<delta>,<delta>…`` separated by ``|`` (ids base 36, ascending within a
class).  Class = field*4 + flags (field 3 questions, 2 title, 1 keywords/parent, 0 body; flags
1 start, 2 end).  Capped lists keep the best classes first (questions, title, keywords, body;
lower doc ids = laws, articles, guides, cases, hotlines, campaigns, pages, stations).

The manifest also carries the query rules (stop words, thesaurus: :class:`weiquan.zh.terms.Rules`)
and what the panel offers when nothing matches (hotlines, the guides most people need).

:func:`query` is the reference implementation of the client's lookup over the same files
(``tests/test_searchindex.py`` checks the JS client returns the same ids).
"""

from __future__ import annotations

import bisect
import gzip
import hashlib
import heapq
import json
import re
import shutil
import sys
from collections import defaultdict
from operator import itemgetter
from pathlib import Path

from weiquan.zh import terms as T

KIND_ORDER = ("law", "article", "guide", "case", "hotline", "campaign", "page", "station")
# Posting classes, best first (used when a list is capped).
CLASS_ORDER = (15, 13, 14, 12, 11, 9, 10, 8, 7, 5, 6, 4, 0)
EXACT_KINDS = ("guide", "case", "hotline", "law")   # titles/questions that get an exact-match term
_CLASS_RANK = {c: i for i, c in enumerate(CLASS_ORDER)}


_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"
_B36_SMALL = [_DIGITS[n // 36] + _DIGITS[n % 36] if n >= 36 else _DIGITS[n] for n in range(36 * 36)]


def _b36(n: int) -> str:
    if n < 1296:
        return _B36_SMALL[n]
    out = []
    while n:
        n, r = divmod(n, 36)
        out.append(_DIGITS[r])
    return "".join(reversed(out))


def _js(name: str, data) -> str:
    """A script calling wqSearch.add(name, data). U+2028/U+2029 are escaped: inside a JS string
    they are a SyntaxError in engines before ES2019 (old phone browsers)."""
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    payload = payload.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return "wqSearch.add(%s,%s);\n" % (json.dumps(name), payload)


def _encode_postings(by_cls: dict[int, list[int]], cap: int) -> str:
    """{class: ascending doc ids} → postings string; the best classes fill the cap first."""
    segs = []
    room = cap
    for cls in CLASS_ORDER:
        ids = by_cls.get(cls)
        if not ids or room <= 0:
            continue
        ids = ids[:room]
        room -= len(ids)
        prev, parts = 0, []
        for i in ids:
            parts.append(_b36(i - prev))
            prev = i
        segs.append("%x" % cls + ",".join(parts))
    return ("!" if sum(map(len, by_cls.values())) > cap else "") + "|".join(segs)


def decode_postings(s: str) -> tuple[list[tuple[int, int]], bool]:
    """Postings string → ([(doc id, class)], capped)."""
    truncated = s.startswith("!")
    if truncated:
        s = s[1:]
    out = []
    for seg in s.split("|") if s else ():
        cls = int(seg[0], 16)
        prev = 0
        for part in seg[1:].split(","):
            prev += int(part, 36)
            out.append((prev, cls))
    return out, truncated


def _kept_classes(mask: int) -> tuple[int, ...]:
    """A term's classes in one doc (bit c of ``mask`` for class c) → the classes kept: one per
    field above the body (its flags OR-ed), the body alone only when nothing else."""
    hit = _KEPT.get(mask)
    if hit is None:
        keep = []
        for field in (1, 2, 3):
            flags = (mask >> (field * 4)) & 15
            if flags:
                f = 0
                for c in range(4):
                    if flags >> c & 1:
                        f |= c
                keep.append(field * 4 + f)
        hit = _KEPT[mask] = tuple(keep) if keep else (0,)
    return hit


_KEPT: dict[int, tuple[int, ...]] = {}


def _doc_terms(doc: dict, rules: T.Rules | None = None) -> dict[str, tuple[tuple[int, ...], str]]:
    """term → (classes, form) for one doc (texts read with ``rules.readings``)."""
    masks: dict[str, int] = {}   # term → bit c set for each class c it has in this doc
    forms: dict[str, str] = {}   # term → form where it was first met
    rules = rules or T.DEFAULT_RULES

    def put(text: str, field: int, grams3: bool) -> None:
        if field:
            base = field * 4
            for term, flags, form in T.index_terms_forms(text, grams3, rules):
                m = masks.get(term)
                if m is None:
                    masks[term] = 1 << (base + flags)
                    forms[term] = form
                else:
                    masks[term] = m | 1 << (base + flags)
        else:
            for term, _, form in T.index_terms_forms(text, grams3, rules):
                if term not in masks:
                    masks[term] = 1
                    forms[term] = form

    def whole(term: str, field: int) -> None:   # a term for the whole text (starts and ends it)
        if term not in masks:
            masks[term] = 0
            forms[term] = ""
        masks[term] |= 1 << (field * 4 + T.START + T.END)

    def exact(text: str, field: int) -> None:
        core = T.core_text(text)
        if len(core) >= 3:
            whole("@" + core, field)

    title = doc.get("title") or ""
    put(title, 2, True)
    for q in doc.get("questions") or ():
        put(q, 3, True)
    if doc["kind"] in EXACT_KINDS:
        for text in [title, *(doc.get("questions") or ())]:
            exact(text, 3 if text is not title else 2)
    for kw in [doc.get("parent") or ""] + list(doc.get("keywords") or []):
        if kw:
            put(kw, 1, True)
    phone = re.sub(r"[^0-9]", "", doc.get("phone") or "")
    if len(phone) >= 3:
        put(doc["phone"], 1, False)
        whole("%" + phone, 1)
        if doc["kind"] == "hotline":    # 12338 typed alone: that hotline first
            exact(phone, 2)
    put(doc.get("text") or "", 0, False)
    # one string object per term and a tuple: a national first build holds the terms of
    # thousands of docs at once
    intern, kept = sys.intern, _kept_classes
    return {intern(term): (kept(m), forms[term]) for term, m in masks.items()}


CACHED_KINDS = ("law", "article", "guide", "case")  # long texts that rarely change


def analysis_salt(rules: T.Rules) -> str:
    """What decides a doc's terms besides the doc: this code, the spec, the reading engine and
    the pinyin overrides."""
    from weiquan.zh import han, reading
    code = b"".join(Path(m.__file__).read_bytes() for m in (T, reading, han))
    return hashlib.sha1(Path(__file__).read_bytes() + code + rules.reading_key.encode()).hexdigest()


def _doc_key(doc: dict) -> str:
    return hashlib.sha1(json.dumps(doc, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


def _long_doc_terms(docs: list[dict], cache_file: Path | None, rules: T.Rules, keys: list[str]) -> list[dict]:
    """_doc_terms of the long docs (``keys``: their _doc_key), reused from cache_file when
    unchanged, so a changed case or guide is the only one analysed again."""
    if cache_file is None:
        return [_doc_terms(d, rules) for d in docs]
    import marshal

    from weiquan.content.digest import keep_file
    # marshal, not pickle: strings, ints, tuples and dicts only, written 3× as fast (0.2 against
    # 0.7 s for a county's laws); a file this Python's marshal cannot read is analysed again
    kept = cache_file.with_suffix(".marshal")
    salt = analysis_salt(rules)
    try:
        stored_salt, cache = marshal.loads(kept.read_bytes())
        if stored_salt != salt:
            cache = {}
    except Exception:  # missing or unreadable cache: start over
        cache = {}
    fresh, out = {}, []
    for d, key in zip(docs, keys):
        terms = cache.get(key)
        if terms is None:
            terms = _doc_terms(d, rules)
        fresh[key] = terms
        out.append(terms)
    if fresh.keys() != cache.keys() or not kept.exists():
        keep_file(kept, marshal.dumps((salt, fresh)))
        try:
            cache_file.unlink(missing_ok=True)   # (the pickle that earlier versions kept there)
        except OSError:
            pass
    return out


def _write_pickle(path: Path, data) -> None:
    import pickle

    from weiquan.content.digest import keep_file
    keep_file(path, pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL))


_LONG_MEMO: dict = {}  # the long docs' part of the index (laws … cases) from the last build of this process
_NO_CAP = 1 << 62


def _value(by_cls: dict[int, list[int]], counts: dict[str, int] | None, cap: int):
    """A term's entry in its shard: postings string, with its most common forms if any (ties:
    the form met first)."""
    enc = _encode_postings(by_cls, cap)
    return [enc, ",".join(f for f, _ in heapq.nlargest(3, counts.items(), key=itemgetter(1)))] if counts else enc


def _add_counts(into: dict[str, int], counts: dict[str, int]) -> None:
    for form, n in counts.items():
        into[form] = into.get(form, 0) + n


def _long_part(docs: list[dict], cache_file: Path | None, rules: T.Rules, cap: int) -> dict:
    """The long docs' share of the index (they come first: ids 0…len(docs)-1), from this
    process's memo, the file beside ``cache_file`` or analysed: ``values`` {term: its shard
    entry from these docs alone}, ``full`` {term: uncapped postings} where the entry is capped,
    ``forms`` {term: {form: count}}, ``pairs`` (their number of postings). Read back fast: a
    few strings per term, not the postings themselves."""
    keys = [_doc_key(d) for d in docs]
    h = hashlib.sha1(f"{analysis_salt(rules)}\0{cap}".encode())
    for k in keys:
        h.update(k.encode())
    key = (h.hexdigest() if cache_file is not None else None, cap)
    if key[0] is not None and _LONG_MEMO.get("key") == key:
        return _LONG_MEMO
    part_file = _long_part_file(cache_file)
    stored = _read_long_part(part_file) if part_file is not None else None
    if not (isinstance(stored, dict) and stored.get("key") == key):
        acc = _accumulate(_long_doc_terms(docs, cache_file, rules, keys), 0)
        values, full, pairs = {}, {}, 0
        for term, by_cls in acc["postings"].items():
            n = sum(map(len, by_cls.values()))
            pairs += n
            values[term] = _value(by_cls, acc["forms"].get(term), cap)
            if n > cap:
                full[term] = _encode_postings(by_cls, _NO_CAP)
        stored = {"key": key, "values": values, "full": full, "forms": acc["forms"], "pairs": pairs}
        if part_file is not None:
            _write_pickle(part_file, stored)
    _LONG_MEMO.clear()
    _LONG_MEMO.update(stored)
    return _LONG_MEMO


def _long_part_file(cache_file: Path | None) -> Path | None:
    return cache_file.with_name(cache_file.stem + "-long.pickle") if cache_file is not None else None


_PRELOADED: dict = {}   # part file -> what preload_long_part read from it


def preload_long_part(cache_file: Path) -> None:
    """Read the long docs' part kept beside ``cache_file`` now (a worker waiting for its docs),
    so that build_search_index finds it in memory."""
    part_file = _long_part_file(Path(cache_file))
    _PRELOADED.clear()
    _PRELOADED[part_file] = _read_long_part(part_file)


def _read_long_part(part_file: Path):
    if part_file in _PRELOADED:
        return _PRELOADED.pop(part_file)
    import pickle
    try:
        return pickle.loads(part_file.read_bytes())
    except Exception:  # missing or unreadable: analyse
        return None


def _long_postings(long: dict, term: str) -> dict[int, list[int]]:
    """{class: ascending doc ids} of a term in the long docs."""
    enc = long["full"].get(term)
    if enc is None:
        v = long["values"][term]
        enc = v[0] if isinstance(v, list) else v
    by_cls: dict[int, list[int]] = {}
    for doc, cls in decode_postings(enc)[0]:
        by_cls.setdefault(cls, []).append(doc)
    return by_cls


def _accumulate(doc_terms: list[dict], first_id: int) -> dict:
    """{"postings": term -> class -> ascending doc ids, "forms": term -> {form: count}}.
    (Plain dicts, not Counters: pickled in the build cache, Counters took 4× as long.)"""
    postings: dict[str, dict[int, list[int]]] = {}
    forms: dict[str, dict[str, int]] = {}
    for i, terms in enumerate(doc_terms, first_id):
        for term, (classes, form) in terms.items():
            by_cls = postings.get(term)
            if by_cls is None:
                by_cls = postings[term] = {}
            for cls in classes:
                if cls in by_cls:
                    by_cls[cls].append(i)
                else:
                    by_cls[cls] = [i]
            if form:
                counts = forms.get(term)
                if counts is None:
                    forms[term] = {form: 1}
                else:
                    counts[form] = counts.get(form, 0) + 1
    return {"postings": postings, "forms": forms}


CHUNK_EVERY = 128   # about how many short docs share a cached chunk


def _chunks(docs: list[dict]) -> list[tuple[int, int]]:
    """[(start, end)] runs of docs, cut after a doc whose id hashes to a multiple of CHUNK_EVERY:
    a doc added or removed changes its own chunk only, not where the later ones start."""
    out, start = [], 0
    for i, d in enumerate(docs):
        if int(hashlib.sha1(d["id"].encode()).hexdigest()[:8], 16) % CHUNK_EVERY == 0:
            out.append((start, i + 1))
            start = i + 1
    if start < len(docs):
        out.append((start, len(docs)))
    return out


def _short_part(docs: list[dict], first_id: int, cache_file: Path | None, rules: T.Rules) -> dict:
    """_accumulate of the short docs (stations, campaigns, hotlines, pages), by chunks
    (:func:`_chunks`) whose postings are kept between builds, one file per chunk in a folder
    beside ``cache_file``: a national rebuild after one station changed analyses that station's
    chunk only, and no more than one chunk's postings besides the merged ones are in memory."""
    if cache_file is None:
        return _accumulate([_doc_terms(d, rules) for d in docs], first_id)
    import pickle
    salt = analysis_salt(rules)
    folder = cache_file.with_name(cache_file.stem + "-chunks") / salt[:16]
    if folder.parent.is_dir():   # chunks of another analysis
        for other in folder.parent.iterdir():
            if other != folder:
                shutil.rmtree(other, ignore_errors=True)
    postings: dict[str, dict[int, list[int]]] = {}
    forms: dict[str, dict[str, int]] = {}
    used = set()
    for start, end in _chunks(docs):
        h = hashlib.sha1()
        for d in docs[start:end]:
            h.update(_doc_key(d).encode())
        path = folder / f"{h.hexdigest()}.pickle"
        used.add(path.name)
        try:
            part = pickle.loads(path.read_bytes())
        except Exception:  # missing or unreadable: analyse
            part = _accumulate([_doc_terms(d, rules) for d in docs[start:end]], 0)
            _write_pickle(path, part)
        base = first_id + start
        for term, by_cls in part["postings"].items():
            mine = postings.get(term)
            if mine is None:
                postings[term] = {c: [i + base for i in ids] for c, ids in by_cls.items()}
                continue
            for c, ids in by_cls.items():
                if c in mine:
                    mine[c].extend([i + base for i in ids])
                else:
                    mine[c] = [i + base for i in ids]
        for term, counts in part["forms"].items():
            _add_counts(forms.setdefault(term, {}), counts)
    for old in folder.iterdir() if folder.is_dir() else ():
        if old.name not in used:
            old.unlink(missing_ok=True)
    return {"postings": postings, "forms": forms}


def order_docs(docs: list[dict]) -> list[dict]:
    """Doc id order: by kind (laws, articles, guides, cases, campaigns, stations), a superseded
    version of a law (``old``) after the laws in force (equal scores rank by doc id), stable."""
    rank = {k: i for i, k in enumerate(KIND_ORDER)}
    return sorted(docs, key=lambda d: (rank.get(d["kind"], len(rank)), bool(d.get("old"))))


def build_search_index(docs: list[dict], out_dir: Path, *, cap: int = 800,
                       term_shard_bytes: int = 16_000, doc_shard_bytes: int = 6_000,
                       text_chars: int = 300,
                       terms_cache: Path | None = None, rules: T.Rules | None = None) -> dict:
    """Build the static index for ``docs`` (see module doc) into ``out_dir``; returns stats.
    ``terms_cache``: a file beside which the analysis is kept between builds: of the long docs
    (laws, articles, guides, cases: they rarely change) each doc's and their postings as a whole,
    of the others (stations, campaigns…) by chunks of about CHUNK_EVERY docs (:func:`_short_part`).
    ``rules``: how queries are read (stop words, thesaurus); shipped to the client."""
    out_dir = Path(out_dir)
    rules = rules or T.DEFAULT_RULES
    docs = order_docs(docs)
    n_long = next((i for i, d in enumerate(docs) if d["kind"] not in CACHED_KINDS), len(docs))
    # The long docs come first (ids 0…n_long-1): their postings and shard entries are kept for
    # the next build; only the terms of the other docs are merged with them and encoded.
    long = _long_part(docs[:n_long], terms_cache, rules, cap)
    long_values, long_forms = long["values"], long["forms"]
    more = _short_part(docs[n_long:], n_long, terms_cache, rules)
    more_p, more_f = more["postings"], more["forms"]

    # term shards
    shards: list[dict] = []
    cur: dict = {}
    size = 0
    n_postings = long["pairs"]
    all_terms = long_values.keys() | more_p.keys()
    for term in sorted(all_terms):
        if term not in more_p:
            val = long_values[term]
        elif term not in long_values:
            by_cls = more_p[term]
            n_postings += sum(map(len, by_cls.values()))
            val = _value(by_cls, more_f.get(term), cap)
        else:
            a, b = _long_postings(long, term), more_p[term]
            n_postings += sum(map(len, b.values()))
            by_cls = {c: a.get(c, []) + b.get(c, []) for c in a.keys() | b.keys()}
            counts = dict(long_forms.get(term) or {})
            _add_counts(counts, more_f.get(term) or {})
            val = _value(by_cls, counts, cap)
        if isinstance(val, list):
            entry = len(term.encode()) + len(val[0]) + len(val[1].encode()) + 12   # as json.dumps(val) + 4
        else:
            entry = len(term.encode()) + len(val) + 6
        if cur and size + entry > term_shard_bytes:
            shards.append(cur)
            cur, size = {}, 0
        cur[term] = val
        size += entry
    if cur:
        shards.append(cur)

    # doc store shards
    dshards: list[list] = []
    dstarts: list[int] = []
    cur_d: list = []
    size = 0
    for i, doc in enumerate(docs):
        text = re.sub(r"\s+", " ", doc.get("text") or "").strip()[:text_chars]
        rec = [doc["kind"], doc["url"], doc.get("title") or "", doc.get("parent") or "", text,
               doc.get("phone") or "", doc["id"]]
        if doc.get("questions"):
            rec.append(list(doc["questions"]))
        n = len(json.dumps(rec, ensure_ascii=False).encode())
        if cur_d and size + n > doc_shard_bytes:
            dshards.append(cur_d)
            cur_d, size = [], 0
        if not cur_d:
            dstarts.append(i)
        cur_d.append(rec)
        size += n
    if cur_d:
        dshards.append(cur_d)

    kinds = []
    for i, doc in enumerate(docs):
        if not kinds or kinds[-1][0] != doc["kind"]:
            kinds.append([doc["kind"], i])

    shutil.rmtree(out_dir / "z", ignore_errors=True)   # bucketed t2s table of earlier versions
    for sub in ("t", "d"):
        shutil.rmtree(out_dir / sub, ignore_errors=True)
        (out_dir / sub).mkdir(parents=True, exist_ok=True)
    files: dict[str, bytes] = {}
    for n, shard in enumerate(shards):
        files[f"t/{n}"] = _js(f"t/{n}", shard).encode()
    for n, shard in enumerate(dshards):
        files[f"d/{n}"] = _js(f"d/{n}", shard).encode()
    files["z"] = _js("z", T.t2s_pairs()).encode()
    def held(word: str) -> int:   # about how many documents hold a word (its rarest bigram)
        return min(sum(map(len, (_long_postings(long, g) if g in long_values else {}).values()))
                   + sum(map(len, (more_p.get(g) or {}).values()))
                   for g in (word[j:j + 2] for j in range(len(word) - 1)))

    files["p"] = _js("p", T.sound_table(rules, held)).encode()
    rules_data, help_data = rules.data(), help_panel(docs)
    h = hashlib.sha256(json.dumps([rules_data, help_data], ensure_ascii=False).encode())
    for name in sorted(files):
        h.update(name.encode())
        h.update(files[name])
    manifest = {
        "v": h.hexdigest()[:12],
        "n": len(docs),
        "t": [next(iter(s)) for s in shards],
        "d": dstarts,
        "kinds": kinds,
        "spec": T.SPEC,
        "tables": T.client_tables(),
        "rules": rules_data,
        "help": help_data,
    }
    files["manifest"] = _js("manifest", manifest).encode()
    for name, data in files.items():
        (out_dir / f"{name}.js").write_bytes(data)

    def agg(prefix: str) -> dict:
        sel = [k for k in files if k.startswith(prefix)]
        return {"files": len(sel), "bytes": sum(len(files[k]) for k in sel),
                "max_bytes": max((len(files[k]) for k in sel), default=0)}

    # (compressed sizes: scripts/bench and query()'s bytes_gzip measure what a reader fetches)
    return {"docs": len(docs), "terms": len(all_terms), "postings": n_postings,
            "term_shards": agg("t/"), "doc_shards": agg("d/"), "t2s": {"bytes": len(files["z"])},
            "sound": {"bytes": len(files["p"])}, "manifest": {"bytes": len(files["manifest"])},
            "total_bytes": sum(len(v) for v in files.values()), "version": manifest["v"]}


def help_panel(docs: list[dict], n_guides: int = 5) -> dict:
    """What the panel offers when nothing matches: every hotline ([number, label]) and the
    guides most people need ([url, title], by the guides' order)."""
    hotlines = [[d["phone"], d["title"]] for d in docs if d["kind"] == "hotline" and d.get("phone")]
    guides = sorted((d for d in docs if d["kind"] == "guide"), key=lambda d: (d.get("order", 100), d["title"]))
    return {"hotlines": hotlines, "guides": [[d["url"], d["title"]] for d in guides[:n_guides]]}


# ---------------------------------------------------------------- reference lookup (mirrors the JS)

class _Files:
    def __init__(self, out_dir: Path):
        self.dir = Path(out_dir)
        self.cache: dict[str, object] = {}
        self.loaded: list[str] = []

    def get(self, name: str):
        if name not in self.cache:
            raw = (self.dir / f"{name}.js").read_text(encoding="utf-8")
            m = re.match(r'wqSearch\.add\((".*?"),(.*)\);\s*$', raw, re.S)
            self.cache[name] = json.loads(m.group(2))
            self.loaded.append(name)
        return self.cache[name]


def _shard_of(bounds: list[str], term: str) -> int:
    return max(0, bisect.bisect_right(bounds, term) - 1)


class Lookup:
    """Postings of a query's groups, gathered as the groups come: ``hits`` {doc: {group:
    classes}}, ``truncated`` (capped lists), ``forms`` {group: 汉字 forms}, ``absent`` (groups
    no document holds), ``docs`` {group: doc ids}."""

    def __init__(self) -> None:
        self.hits: dict[int, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
        self.truncated: set[str] = set()
        self.absent: set[str] = set()
        self.forms: dict[str, list[str]] = {}
        self.docs: dict[str, set[int]] = {}

    def add(self, groups: list[str], manifest: dict, load) -> None:
        bounds = manifest["t"]
        for g in groups:
            if g in self.forms or g in self.truncated:
                continue
            entries: list[tuple[str, object]] = []
            if g.endswith("*"):
                p = g[:-1]
                a, b = _shard_of(bounds, p), _shard_of(bounds, p + "\uffff")
                if b - a + 1 > T.MAX_PREFIX_SHARDS:
                    self.truncated.add(g)
                    continue
                for n in range(a, b + 1):
                    shard = load(f"t/{n}")
                    entries.extend((t, v) for t, v in shard.items() if t.startswith(p))
            else:
                shard = load(f"t/{_shard_of(bounds, g)}")
                if g in shard:
                    entries.append((g, shard[g]))
            fl: list[str] = []
            held: set[int] = set()
            for _, v in entries:
                enc, f = (v[0], v[1]) if isinstance(v, list) else (v, "")
                plist, capped = decode_postings(enc)
                if capped:
                    self.truncated.add(g)
                for doc, cls in plist:
                    self.hits[doc][g].add(cls)
                    held.add(doc)
                if f:
                    fl.extend(x for x in f.split(",") if x not in fl)
            if not entries:
                self.absent.add(g)
            self.forms[g] = fl
            self.docs[g] = held


def lookup(qt: dict, manifest: dict, load) -> tuple[dict, Lookup]:
    """Look a parsed query up; runs it matches badly get a second look (sound-alike 汉字, near
    misses of hand-typed pinyin: :func:`weiquan.zh.terms.respell`), whose groups are looked up
    too.  Returns (the query as finally read, its postings)."""
    found = Lookup()
    found.add(T.query_groups(qt), manifest, load)
    weak = T.weak_runs(qt, found.docs, found.absent, found.truncated)
    if weak:
        chars, words = T.parse_sound_table(load("p"))
        qt = T.respell(qt, weak, chars, words, rules_of(manifest))
        found.add(T.query_groups(qt), manifest, load)
    return qt, found


_RULES_MEMO: dict = {}


def rules_of(manifest: dict) -> T.Rules:
    """The query rules shipped in a manifest (as the client reads them)."""
    key = manifest["v"]
    if key not in _RULES_MEMO:
        _RULES_MEMO.clear()
        _RULES_MEMO[key] = T.Rules.from_data(manifest["rules"])
    return _RULES_MEMO[key]


def kind_of(manifest: dict, doc: int) -> str:
    kinds = manifest["kinds"]
    k = kinds[0][0]
    for name, start in kinds:
        if doc >= start:
            k = name
    return k


def rank(qt: dict, manifest: dict, load) -> tuple[list[tuple[int, float, int, float]], dict, Lookup]:
    """[(doc id, coverage, exact, score)] best first, the query as finally read and its postings."""
    qt, found = lookup(qt, manifest, load)
    scored = []
    least = T.min_coverage(qt)
    for doc, h in found.hits.items():
        cov, exact, score = T.score_doc(qt, h, found.truncated, kind_of(manifest, doc), found.absent)
        if cov >= least:
            scored.append((doc, cov, exact, score))
    scored.sort(key=lambda r: (*T.rank_key(qt, r[1], r[2], r[3]), r[0]))
    return scored, qt, found


def query(out_dir: Path, q: str, limit: int = 10, detail: bool = False):
    """Run query ``q`` against a built index exactly as the client does; returns result dicts
    (id, kind, url, title, parent, text, phone, coverage, exact, score).  With ``detail`` returns
    (results, {"files": [loaded file names], "bytes_gzip": int, "qt": the query as read})."""
    files = _Files(out_dir)
    manifest = files.get("manifest")
    files.get("z")   # the client loads the t2s table with the manifest (query_terms has it built in)
    qt = T.query_terms(q, rules_of(manifest))
    scored, qt, found = rank(qt, manifest, files.get)
    out = []
    for doc, cov, exact, score in scored[:limit]:
        rec = doc_record(files.get, manifest, doc)
        marks = list(qt["hl"])
        for g in found.hits[doc]:
            marks.extend(found.forms.get(g, []))
        out.append({"id": rec[6], "kind": rec[0], "url": rec[1], "title": rec[2], "parent": rec[3],
                    "text": rec[4], "phone": rec[5], "questions": rec[7] if len(rec) > 7 else [],
                    "coverage": cov, "exact": exact, "score": score, "marks": marks})
    if detail:
        size = sum(len(gzip.compress((Path(out_dir) / f"{n}.js").read_bytes(), 6)) for n in files.loaded)
        return out, {"files": files.loaded, "bytes_gzip": size, "qt": qt}
    return out


def doc_record(load, manifest: dict, doc: int) -> list:
    """The stored record of a doc id: [kind, url, title, parent, text, phone, id(, questions)]."""
    starts = manifest["d"]
    n = bisect.bisect_right(starts, doc) - 1
    return load(f"d/{n}")[doc - starts[n]]


def rules_for(content) -> T.Rules:
    """How the site's queries and texts are read: the thesaurus and the pinyin overrides of the
    content (content/synonyms.yaml, content/pinyin.yaml)."""
    return T.Rules(content.synonyms, readings=content.pinyin)
