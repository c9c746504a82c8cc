"""THE search-term analysis shared by the static site index, its JavaScript client and the
staff tool (``weiquan search``).

Text → terms
------------
Text is normalised (:func:`normalize_text`: NFC, full-width → half-width, lower case, tone
marks stripped, ü → v, traditional → simplified) and split into *segments*: runs of 汉字 and
article tokens (第二十三条 → ``#23``, 第一百二十条之一 → ``#120-1``).  Each 汉字 run of n chars
c0..cn-1 with pypinyin syllables s0..sn-1 yields

* ``c_j c_j+1``             character bigrams (a 1-char run yields the char itself),
* ``"s_j s_j+1"``           syllable bigrams (space separated, e.g. ``"jia ting"``),
* ``"=" + initials 4-gram`` e.g. ``"=jtbl"``; titles/keywords also get 3-grams (``"=fjb"``),
* ``"#23"``                 article tokens.

:func:`index_terms` returns ``{term: flags}``; flags bit 1 = the term starts the text, bit 2 =
it ends the text (used to rank an exact title/alias hit above a title prefix above a mention).

Query → groups
--------------
:func:`query_terms` parses a query into *runs* (汉字 run, article token, or a run of latin
letters; spaces only separate syllables inside a latin run).  Each run has one or more
*alternative* parses; each parse is a list of *groups*; a group is one term, or a prefix ending
in ``*``.  Latin runs are parsed into pinyin syllables (last syllable may be partial, so
``jiat`` → ``"jia t*"``; ambiguous ``xian`` → ``xian`` | ``xi an`` | ``xia n``); when no
syllable parse exists the run is read as initials (``jtbl``, ``zhrmghg`` → ``=zrmg`` …).
A document matches a group when it holds the term (or a term with that prefix); ranking is in
:func:`score_doc`.

Query understanding (:class:`Rules`): each 汉字 run is scanned left to right, longest phrase
first, against the everyday-language thesaurus (content/synonyms.yaml: 老公 → 丈夫 · 配偶), a
few protected words and :data:`STOP_WORDS` (我, 了, 怎么办, 能不能 …).  A thesaurus phrase
becomes a run whose alternatives are the phrase and each of its targets; a bigram touching a
stop word is *optional* (suffix ``?``: it adds to the score where it matches but is never
required); a group that no document holds at all is unknown and left out of the coverage, so a
query is never lost because one word is unknown.  ``"@" + core`` (the text without stop words)
of a query equals that of a title or question it asks exactly; such a hit ranks first.  Digit
runs of 3+ digits are terms ``"%" + digits`` (hotlines, phone numbers).

The JavaScript client (``overrides/assets/javascripts/wq-search.js``) mirrors
:func:`normalize_query`, :func:`query_terms` and :func:`score_doc`; its data tables come from
:func:`client_tables`, written by the index builder, so there is one definition of the data.
``tests/test_searchindex.py`` checks the two implementations agree.
"""

from __future__ import annotations

import functools
import json
import re
from importlib import resources
import unicodedata

from pypinyin import Style, lazy_pinyin, load_phrases_dict
from pypinyin.pinyin_dict import pinyin_dict

from weiquan.zh.numerals import cn_to_int

# ---------------------------------------------------------------- tables (exported to JS)

#: 汉字 considered by the index (BMP only, so JS and Python agree on "one char").
CJK_CLASS = "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
CJK_RE = re.compile(f"[{CJK_CLASS}]")
NUMERALS = "〇零一二两三四五六七八九十百千"

# Article references.  In indexed text 第 is required for Chinese numerals; queries may omit
# 第 (二十三条, 23条) and may be a bare number (23).
_NUM = rf"(?:[0-9]+|[{NUMERALS}]{{1,8}})"
INDEX_ARTICLE_RE = re.compile(rf"(?:第({_NUM})|([0-9]{{1,4}}))条(?:之({_NUM}))?")
# Bare Arabic numbers of more than 4 digits (phone numbers, 12338) are left alone.
QUERY_ARTICLE_RE = re.compile(rf"第?({_NUM})条(?:之({_NUM}))?|第([0-9]+)|([0-9]+)")

MAX_PARSES = 3          # alternative syllable parses of one latin run
MAX_LATIN = 40          # longer latin runs are cut (keeps parsing cheap on phones)

# Scoring constants (mirrored by the client through client_tables()).
FIELD_WEIGHT = {3: 12, 2: 10, 1: 6, 0: 1}     # 3 = questions, 2 = title, 1 = keywords/parent, 0 = body
KIND_WEIGHT = {"law": 3, "guide": 2, "article": 2, "hotline": 3, "case": 1, "campaign": 1, "page": 1, "station": 0}
# A query in everyday words (a stop word or a thesaurus word in it) asks what to do: practical
# pages (guides, hotlines, cases, stations) before the law texts.
EVERYDAY_KIND_WEIGHT = {"guide": 12, "hotline": 10, "case": 5, "station": 3, "page": 2, "law": 1,
                        "article": 0, "campaign": 0}
BONUS = {"q_whole": 50, "q_start": 15, "q_all": 6, "t_whole": 40, "t_start": 15, "t_all": 5,
         "k_whole": 30, "k_start": 8, "k_all": 2, "exact": 100}
MIN_COVERAGE = 0.5
MAX_PREFIX_SHARDS = 2   # a prefix group spanning more term shards is skipped (too broad)
MAX_MEANINGS = 3        # meanings of one thesaurus word searched (the first ones: each costs a phone a file)
START, END = 1, 2


@functools.lru_cache(maxsize=1)
def _tables() -> dict:
    tones: dict[str, str] = {}
    syllables: set[str] = set()
    for value in pinyin_dict.values():
        for reading in value.split(","):
            plain = []
            for ch in reading:
                if ch.isascii():
                    plain.append(ch)
                    continue
                base = _strip_mark(ch)
                tones[ch] = base
                plain.append(base)
            syl = "".join(plain).lower()
            if re.fullmatch(r"[a-z]*[aeiouv][a-z]*", syl):   # drop m, n, ng, hm, hng
                syllables.add(syl)
    for ch in "üǖǘǚǜÜǕǗǙǛ":
        tones[ch] = "v"
    for ch in list(tones):
        if ch.upper() != ch and len(ch.upper()) == 1:
            tones.setdefault(ch.upper(), tones[ch])
    zh2hans = json.loads(resources.files("zhconv").joinpath("zhcdict.json").read_bytes())["zh2Hans"]
    t2s = {k: v for k, v in zh2hans.items()
           if len(k) == 1 and len(v) == 1 and k != v
           and CJK_RE.fullmatch(k) and CJK_RE.fullmatch(v)}
    prefixes = {s[:i] for s in syllables for i in range(1, len(s))} - syllables
    return {"tones": tones, "syllables": syllables, "prefixes": prefixes, "t2s": t2s}


def _strip_mark(ch: str) -> str:
    if ch in "üǖǘǚǜÜǕǗǙǛ":
        return "v"
    base = "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c))
    return base.lower() if base.isascii() and base else ch


def client_tables() -> dict:
    """Data the JS client needs to mirror this module (written into the index manifest;
    the traditional→simplified map is a file of its own, see :func:`t2s_pairs`)."""
    t = _tables()
    return {
        "tones": "".join(k + v for k, v in sorted(t["tones"].items())),
        "syl": " ".join(sorted(t["syllables"])),
        "cjk": CJK_CLASS, "num": NUMERALS, "maxParses": MAX_PARSES, "maxLatin": MAX_LATIN,
        "fw": FIELD_WEIGHT[0], "kw": FIELD_WEIGHT[1], "tw": FIELD_WEIGHT[2], "qw": FIELD_WEIGHT[3],
        "kinds": KIND_WEIGHT, "kindsEveryday": EVERYDAY_KIND_WEIGHT, "bonus": BONUS, "maxMeanings": MAX_MEANINGS, "minCov": MIN_COVERAGE, "maxPrefixShards": MAX_PREFIX_SHARDS,
    }


def t2s_pairs() -> str:
    """The traditional→simplified table for the client: ``trad simp`` pairs in one string."""
    return "".join(k + v for k, v in sorted(_tables()["t2s"].items()))


# ---------------------------------------------------------------- normalisation

def to_simplified(text: str) -> str:
    """Traditional → simplified, char by char (zhconv's zh-hans single-char table; the client
    uses exactly the same table)."""
    t2s = _tables()["t2s"]
    return "".join(t2s.get(c, c) for c in text)


def normalize_text(text: str) -> str:
    """NFC, full-width ASCII → half-width, ideographic space → space, lower case, tone marks
    stripped (ā → a, ü/ǚ → v), traditional → simplified."""
    text = unicodedata.normalize("NFC", text)
    tones = _tables()["tones"]
    out = []
    for c in text:
        o = ord(c)
        if 0xFF01 <= o <= 0xFF5E:
            c = chr(o - 0xFEE0)
        elif c == "\u3000":
            c = " "
        c = tones.get(c, c)
        out.append(c.lower() if c.isascii() else c)
    return to_simplified("".join(out))


def _article_token(num: str, sub: str | None) -> str:
    n = cn_to_int(num)
    return f"#{n}-{cn_to_int(sub)}" if sub else f"#{n}"


def normalize_query(q: str) -> str:
    """Normalised query text: :func:`normalize_text`, tone digits after letters dropped
    (bao4li4 → baoli), article numbers canonical (第23条 / 23条 / 第二十三条 / 23 → ``#23``),
    separated by spaces, whitespace collapsed."""
    q = normalize_text(q)
    q = re.sub(r"([a-z])[1-5](?![0-9])", r"\1", q)

    def art(m: re.Match) -> str:
        num = m.group(1) or m.group(3) or m.group(4)
        if m.group(4) and len(num) >= 3:      # a bare number: phone / hotline (or an article)
            return " " + num + " "
        if num.isdigit() and len(num) > 4:
            return m.group(0)
        return " " + _article_token(num, m.group(2)) + " "

    q = QUERY_ARTICLE_RE.sub(art, q)
    return " ".join(q.split())


# ---------------------------------------------------------------- index side

@functools.lru_cache(maxsize=200_000)
def _run_pinyin(run: str) -> tuple[str | None, ...]:
    out = lazy_pinyin(run, style=Style.NORMAL, errors=lambda chars: ["?"] * len(chars))
    if len(out) != len(run):
        out = [(lazy_pinyin(c, style=Style.NORMAL, errors=lambda x: ["?"]) or ["?"])[0] for c in run]
    return tuple(s.replace("ü", "v") if re.fullmatch(r"[a-zü]+", s) else None for s in out)


def load_pinyin_overrides(overrides: dict[str, str]) -> None:
    """Legal-domain pinyin overrides (content/pinyin.yaml): {"重婚": "chong hun"}."""
    load_phrases_dict({word: [[s] for s in py.split()] for word, py in overrides.items()})
    _run_pinyin.cache_clear()
    _analyze.cache_clear()


def segments(text: str) -> list[str]:
    """Normalised text → list of 汉字 runs, article tokens (``#23``) and numbers of 3+ digits
    (``%12338``), in order."""
    text = normalize_text(text)
    out: list[str] = []
    pos = 0

    def between(part: str) -> None:
        for tok in _SEG_RE.findall(part):
            out.append("%" + tok if tok[0].isdigit() else tok)

    for m in INDEX_ARTICLE_RE.finditer(text):
        between(text[pos:m.start()])
        out.append(_article_token(m.group(1) or m.group(2), m.group(3)))
        pos = m.end()
    between(text[pos:])
    return out


_SEG_RE = re.compile(f"[{CJK_CLASS}]+|(?<![0-9])[0-9]{{3,}}(?![0-9])")


@functools.lru_cache(maxsize=100_000)
def _analyze(text: str, grams3: bool) -> tuple[tuple[str, int, str], ...]:
    terms: dict[str, int] = {}
    forms: dict[str, str] = {}
    segs = segments(text)

    def add(term: str, flags: int, form: str = "") -> None:
        terms[term] = terms.get(term, 0) | flags
        if form:
            forms.setdefault(term, form)

    last = len(segs) - 1
    for si, seg in enumerate(segs):
        if seg[0] in "#%":
            add(seg, (START if si == 0 else 0) | (END if si == last else 0))
            continue
        n = len(seg)
        syl = _run_pinyin(seg)
        ini = [s[0] if s else "?" for s in syl]

        def fl(j: int, k: int) -> int:   # gram covers chars j..k-1
            return (START if si == 0 and j == 0 else 0) | (END if si == last and k == n else 0)

        if n == 1:
            add(seg, fl(0, 1))
        for j in range(n - 1):
            add(seg[j:j + 2], fl(j, j + 2))
            if syl[j] and syl[j + 1]:
                add(f"{syl[j]} {syl[j + 1]}", fl(j, j + 2), seg[j:j + 2])
        for size in ((3, 4) if grams3 else (4,)):
            for j in range(n - size + 1):
                g = "".join(ini[j:j + size])
                if "?" not in g:
                    add("=" + g, fl(j, j + size), seg[j:j + size])
    return tuple((t, f, forms.get(t, "")) for t, f in terms.items())


def index_terms(text: str, grams3: bool = False) -> dict[str, int]:
    """Terms of one text → {term: flags} (flags: 1 = starts the text, 2 = ends it).
    ``grams3`` adds initials 3-grams (used for titles and keywords)."""
    return {t: f for t, f, _ in _analyze(text, grams3)}


def index_terms_forms(text: str, grams3: bool = False) -> list[tuple[str, int, str]]:
    """Like :func:`index_terms` plus, for pinyin/initials terms, the 汉字 they were read from
    (the client highlights those forms)."""
    return list(_analyze(text, grams3))


def index_tokens(text: str, grams3: bool = False) -> list[str]:
    """Just the terms (for Whoosh)."""
    return [t for t, _, _ in _analyze(text, grams3)]


# ---------------------------------------------------------------- query side

def _latin_parses(chunks: list[str]) -> list[list[str]]:
    """Syllable parses of a latin run (chunks = space separated parts).  The last piece may be
    a partial syllable.  Returns up to MAX_PARSES parses with cost ≤ min+1, sorted by
    (length, text); [] when there is none."""
    t = _tables()
    syl, pre = t["syllables"], t["prefixes"]
    s = "".join(chunks)
    bounds, p = set(), 0
    for c in chunks[:-1]:
        p += len(c)
        bounds.add(p)
    n = len(s)

    def ok(i: int, j: int) -> bool:
        if any(i < b < j for b in bounds):
            return False
        piece = s[i:j]
        return piece in syl or (j == n and piece in pre)

    INF = 10 ** 9
    best = [INF] * (n + 1)   # best[i] = min pieces to parse s[i:]
    best[n] = 0
    for i in range(n - 1, -1, -1):
        for j in range(min(n, i + 6), i, -1):
            if ok(i, j) and best[j] + 1 < best[i]:
                best[i] = best[j] + 1
    if best[0] >= INF:
        return []
    limit = best[0] + 1 if best[0] <= 2 else best[0]   # "xian" → xian | xi an; long runs: fewest
    found: list[list[str]] = []

    def dfs(i: int, acc: list[str]) -> None:
        if len(found) >= 20:
            return
        if i == n:
            found.append(list(acc))
            return
        for j in range(min(n, i + 6), i, -1):
            if ok(i, j) and best[j] < INF and len(acc) + 1 + best[j] <= limit:
                acc.append(s[i:j])
                dfs(j, acc)
                acc.pop()

    dfs(0, [])
    found.sort(key=lambda ps: (len(ps), " ".join(ps)))
    return found[:MAX_PARSES]


def _initials(chunks: list[str]) -> list[str]:
    """Initials readings of a latin run: each letter an initial; when zh/ch/sh occurs, also
    the reading with the digraph as one initial (zhrmghg → zhrmghg | zrmghg)."""
    s = "".join(chunks)
    out = [s]
    collapsed = re.sub(r"([zcs])h", r"\1", s)
    if collapsed != s:
        out.append(collapsed)
    return out


def _latin_run(chunks: list[str]) -> list[list[str]]:
    alts = []
    for parse in _latin_parses(chunks):
        if len(parse) == 1:
            if parse[0] in _tables()["syllables"]:
                alts.append([parse[0] + " *"])
            continue
        groups = [f"{a} {b}" for a, b in zip(parse, parse[1:])]
        groups[-1] += "*"
        alts.append(groups)
    if alts or _latin_parses(chunks):
        return alts
    for ini in _initials(chunks):
        if len(ini) == 3:
            alts.append(["=" + ini])
        elif len(ini) >= 4:
            alts.append(["=" + ini[j:j + 4] for j in range(len(ini) - 3)])
    return alts


# ---------------------------------------------------------------- query rules (mirrored in JS)

#: Function and question words: a query never has to match them (我, 了, 怎么办, 能不能 …).
STOP_WORDS = (
    # question and helper phrases
    "怎么办 怎么样 怎么 怎样 咋办 咋整 咋 如何 为什么 为啥 什么 啥 哪里 哪儿 在哪 去哪 哪个 哪些 哪 "
    "能不能 能否 可不可以 可以吗 可以 行不行 有用吗 有没有用 管不管用 管不管 管吗 有没有 是不是 是否 会不会 要不要 "
    "该不该 该怎么 应该 应当怎么 需要 多少 多久 多长时间 多长 几天 几个 一直 总是 老是 经常 常常 天天 "
    "到底 究竟 请问 你好 您好 谢谢 麻烦 帮帮我 帮忙 求助一下 急急急 急 救命啊 "
    "我想 我要 想要 想问 问一下 一下 我们 你们 他们 她们 咱们 自己 人家 有人 有个人 一个人 有些人 打算 "
    "这个 那个 这样 那样 这种 那种 这些 那些 就是 已经 现在 然后 因为 所以 但是 可是 如果 的话 还是 "
    "或者 而且 并且 一个 一些 有点 特别 非常 真的 其实 "
    # single characters
    "我 你 您 他 她 它 了 的 吗 呢 吧 啊 呀 哦 哇 嘛 么 呗 啦 嗯 是 被 把 给 让 也 都 还 就 又 很 "
    "太 能 会 要 想 该 谁 着 过 得"
).split()
#: Words that hold a stop word but carry meaning (taken as they are).
KEEP_WORDS = ("被告 被害 被害人 被申请人 被拐 被卖 要求 给付 能力 会议 还款 还钱 得到 过错 过失 "
              "太平 谁家 哪吒 自己人").split()


class Rules:
    """How queries are read: stop words, protected words and the thesaurus
    (``{word: [target terms]}``, both normalised).  :meth:`data` is what the client gets."""

    def __init__(self, thesaurus: dict[str, list[str]] | None = None,
                 stop=STOP_WORDS, keep=KEEP_WORDS):
        thesaurus = thesaurus or {}
        # a word without meanings is a name kept whole (反家暴法 holds the thesaurus word 家暴)
        keep = [*keep, *(w for w, ts in thesaurus.items() if not ts)]
        self.stop = frozenset(normalize_text(w) for w in stop)
        self.keep = frozenset(normalize_text(w) for w in keep)
        self.syn = {normalize_text(w): [normalize_text(t) for t in ts] for w, ts in thesaurus.items() if ts}
        self.maxlen = max([len(w) for w in (*self.stop, *self.keep, *self.syn)] or [1])

    @classmethod
    def from_data(cls, data: dict) -> "Rules":
        syn: dict[str, list[str]] = {}
        for line in data.get("syn") or ():
            words, means = line.split("|")
            for w in words.split():
                syn[w] = means.split()
        return cls(syn, data["stop"].split(), data["keep"].split())

    def data(self) -> dict:
        """For the client: stop and kept words space separated; the thesaurus as lines
        ``"word word …|meaning meaning …"`` (words with the same meanings share a line)."""
        by_means: dict[tuple, list[str]] = {}
        for w in sorted(self.syn):
            by_means.setdefault(tuple(self.syn[w]), []).append(w)
        syn = sorted(" ".join(ws) + "|" + " ".join(ms) for ms, ws in by_means.items())
        return {"stop": " ".join(sorted(self.stop)), "keep": " ".join(sorted(self.keep)), "syn": syn}

    def digest(self) -> str:
        import hashlib
        return hashlib.sha1(json.dumps(self.data(), ensure_ascii=False).encode()).hexdigest()[:16]


DEFAULT_RULES = Rules()


def scan(run: str, rules: Rules, thesaurus: bool = True) -> list[tuple[str, str]]:
    """A normalised 汉字 run → [(kind, text)], kind ``syn`` (thesaurus phrase), ``stop`` or
    ``text`` (one char or a protected word), longest phrase first (at equal length a thesaurus
    phrase wins over a protected word over a stop word)."""
    out: list[tuple[str, str]] = []
    i, n = 0, len(run)
    while i < n:
        hit = ("text", run[i])
        for size in range(min(rules.maxlen, n - i), 0, -1):
            w = run[i:i + size]
            if thesaurus and w in rules.syn:
                hit = ("syn", w)
            elif w in rules.keep:
                hit = ("text", w)
            elif w in rules.stop:
                hit = ("stop", w)
            else:
                continue
            break
        out.append(hit)
        i += len(hit[1])
    return out


def core_text(text: str, rules: Rules = DEFAULT_RULES) -> str:
    """The words of a text without stop words: its 汉字 (stop words removed) and digits, joined.
    Equal cores mean a query asks exactly what a title or question says."""
    out = []
    for tok in re.findall(f"[{CJK_CLASS}]+|[0-9]+", normalize_text(text)):
        if tok[0].isdigit():
            out.append(tok)
        else:
            out.extend(t for k, t in scan(tok, rules, thesaurus=False) if k != "stop")
    return "".join(out)


def _cjk_alt(text: str) -> list[str]:
    return [text + "*"] if len(text) == 1 else [text[j:j + 2] for j in range(len(text) - 1)]


def _plain_groups(chars: str, stop: list[bool]) -> list[str]:
    """Groups of a run of plain text: bigrams, optional (``?``) when they touch a stop word,
    left out when both chars are stop words; a lone char is an optional prefix (``*?``, not
    looked up unless the query has nothing else), left out when a stop word."""
    if len(chars) == 1:
        return [] if stop[0] else [chars + "*?"]
    out = []
    for j in range(len(chars) - 1):
        if stop[j] and stop[j + 1]:
            continue
        out.append(chars[j:j + 2] + ("?" if stop[j] or stop[j + 1] else ""))
    return out


def _cjk_runs(tok: str, rules: Rules, flags: dict) -> tuple[list[list[list[str]]], list[str]]:
    """Runs and highlight forms of one 汉字 token (``flags["everyday"]`` set when it holds a
    stop word or a thesaurus word)."""
    runs: list[list[list[str]]] = []
    hl: list[str] = []
    chars, stop = "", []

    def flush() -> None:
        nonlocal chars, stop
        if chars:
            groups = _plain_groups(chars, stop)
            if groups:
                runs.append([groups])
            cur = ""
            for c, st in zip(chars, stop):     # highlight the stretches that are not stop words
                if st:
                    if cur:
                        hl.append(cur)
                    cur = ""
                else:
                    cur += c
            if cur:
                hl.append(cur)
        chars, stop = "", []

    for kind, text in scan(tok, rules):
        if kind != "text":
            flags["everyday"] = True
        if kind == "syn":
            flush()
            means = [t for t in rules.syn[text] if t != text][:MAX_MEANINGS]
            runs.append([_cjk_alt(text)] + [_cjk_alt(t) for t in means])
            hl.append(text)
            hl.extend(means)
        else:
            chars += text
            stop.extend([kind == "stop"] * len(text))
    flush()
    return runs, hl


def query_terms(q: str, rules: Rules | None = None) -> dict:
    """Query → ``{"q": normalised query, "runs": [[alt, ...], ...], "hl": [汉字 to highlight],
    "exact": "@core" | ""}`` where an alt is a list of groups (a term, a prefix ending in ``*``,
    or an optional term ending in ``?``).  Runs without any group (a lone partial syllable,
    < 3 initials, only stop words) are dropped.  When no group at all is required, the
    optional ones are."""
    rules = rules or DEFAULT_RULES
    nq = normalize_query(q)
    runs: list[list[list[str]]] = []
    hl: list[str] = []
    latin: list[str] = []
    latin_len = 0
    flags = {"everyday": False}

    def flush() -> None:
        nonlocal latin, latin_len
        if latin:
            alts = _latin_run(latin)
            if alts:
                runs.append(alts)
        latin, latin_len = [], 0

    for tok in re.findall(rf"#[0-9]+(?:-[0-9]+)?|[0-9]+|[{CJK_CLASS}]+|[a-z]+|\S", nq):
        if tok.startswith("#"):
            flush()
            runs.append([[tok]])
        elif tok[0].isdigit():
            flush()
            runs.append([["%" + tok + "*"]] if len(tok) > 4 else [["#" + str(int(tok))], ["%" + tok + "*"]])
        elif CJK_RE.match(tok):
            flush()
            r, h = _cjk_runs(tok, rules, flags)
            runs.extend(r)
            hl.extend(h)
        elif "a" <= tok[0] <= "z":
            tok = tok[:max(0, MAX_LATIN - latin_len)]
            if tok:
                latin.append(tok)
                latin_len += len(tok)
        else:
            flush()
    flush()
    if runs and not any(not g.endswith("?") for run in runs for alt in run for g in alt):
        runs = [[[g[:-1] for g in alt] for alt in run] for run in runs]
    core = core_text(q, rules)
    return {"q": nq, "runs": runs, "hl": hl, "exact": "@" + core if len(core) >= 3 else "",
            "everyday": flags["everyday"]}


def query_groups(qt: dict) -> list[str]:
    """All distinct groups of a parsed query, in order (optional ones without their ``?``,
    optional prefixes not at all; the exact-match group last)."""
    seen: dict[str, None] = {}
    for run in qt["runs"]:
        for alt in run:
            for g in alt:
                if not g.endswith("*?"):
                    seen.setdefault(g[:-1] if g.endswith("?") else g, None)
    if qt.get("exact"):
        seen.setdefault(qt["exact"], None)
    return list(seen)


# ---------------------------------------------------------------- ranking (mirrored in JS)

def score_doc(qt: dict, hits: dict[str, set[int]], unknown: set[str], kind: str,
              absent: set[str] = frozenset()) -> tuple[float, float]:
    """(coverage, score) of one document.

    ``hits``: group (optional ones without ``?``) → set of posting classes the doc has for it; a
    class is ``field * 4 + flags`` (field 3 questions, 2 title, 1 keywords/parent, 0 body; flags
    START|END).  ``unknown``: groups whose posting lists were capped (an unmatched unknown group
    is not missing).  ``absent``: groups no document holds; an alt whose groups are all absent
    is an unknown word and left out, else its absent groups count as missing.  Coverage = mean over runs (runs with no known
    required group are left out) of the best alt's matched/known required groups; optional
    groups only add to the score.  An exact title/question hit (``qt["exact"]``) has coverage 1
    and a large bonus.
    """
    cov_sum = 0.0
    total = 0.0
    n = 0
    for run in qt["runs"]:
        best = None
        for alt in run:
            matched = known = 0
            score = 0.0
            fields_all = {1: True, 2: True, 3: True}
            unknown_word = all(g.endswith("?") or g in absent for g in alt)
            for g in alt:
                opt = g.endswith("?")
                key = g[:-1] if opt else g
                cls = hits.get(key)
                if not cls:
                    fields_all = {1: False, 2: False, 3: False}
                    if not opt and key not in unknown and not (unknown_word and key in absent):
                        known += 1
                    continue
                if not opt:
                    matched += 1
                    known += 1
                score += max(FIELD_WEIGHT[c >> 2] for c in cls)
                for f in (1, 2, 3):
                    if not any(c >> 2 == f for c in cls):
                        fields_all[f] = False
            if not known and not score:
                continue
            bonus = 0
            for f, whole, start, all_ in ((3, "q_whole", "q_start", "q_all"), (2, "t_whole", "t_start", "t_all"),
                                          (1, "k_whole", "k_start", "k_all")):
                if fields_all[f]:
                    k0, k1 = alt[0].rstrip("?"), alt[-1].rstrip("?")
                    first = any(c >> 2 == f and c & START for c in hits[k0])
                    last = any(c >> 2 == f and c & END for c in hits[k1])
                    b = BONUS[whole] if first and last else BONUS[start] if first else BONUS[all_]
                    bonus = max(bonus, b)
            cand = (matched / known if known else -1.0, score + bonus)
            if best is None or cand > best:
                best = cand
        if best is None:        # nothing of the run matched and nothing of it is known
            continue
        total += best[1]
        if best[0] >= 0:
            n += 1
            cov_sum += best[0]
    cov = cov_sum / n if n else 0.0
    if qt.get("exact") and hits.get(qt["exact"]):
        cov = 1.0
        total += BONUS["exact"]
    if not cov:
        return 0.0, 0.0
    return cov, total + (EVERYDAY_KIND_WEIGHT if qt.get("everyday") else KIND_WEIGHT).get(kind, 0)
