"""THE search spec: how texts become index terms, how a query is read and how documents rank.
Shared by the static site index (:mod:`weiquan.search.index`), its JavaScript client
(``overrides/assets/javascripts/wq-search-core.js``) and the staff tool (``weiquan search``).

Everything the client needs is data shipped with the index: :data:`SPEC` (weights, limits and
the regular expressions, written so that Python and ES5 JavaScript read them alike), the query
:class:`Rules` (stop words, thesaurus) and the tables of :func:`client_tables`; the client
mirrors only the code. ``tests/data/search_golden/`` holds queries → parsed terms → ranked ids
with scores, generated from this module and checked by pytest and by ``node --test``.

Text → terms
------------
Text is normalised (:func:`normalize_text`: NFC, full-width → half-width, lower case, tone
marks stripped, ü → v, traditional → simplified) and split into 汉字 runs, article tokens
(第二十三条 → ``#23``) and numbers of 3+ digits (``%12338``).  A 汉字 run c0..cn-1 is read in
context by the reading aid's engine (:mod:`weiquan.zh.reading`, with the overrides of
content/pinyin.yaml, :attr:`Rules.readings`) as toneless syllables s0..sn-1 and yields

* ``c_j c_j+1``             character bigrams (a 1-char run yields the char itself),
* ``"s_j s_j+1"``           syllable bigrams (space separated, e.g. ``"jia ting"``),
* ``"=" + initials 4-gram`` e.g. ``"=jtbl"``; titles/keywords also get 3-grams (``"=fjb"``).

:func:`index_terms` returns ``{term: flags}``; flags bit 1 = the term starts the text, bit 2 =
it ends the text (an exact title ranks above a title prefix above a mention).

Query → runs
------------
:func:`query_terms` reads a query into *runs* (汉字 run, article token, number, or a run of latin
letters).  A run has alternative readings (*alts*); an alt is a list of *groups*; a group is a
term, a prefix ending in ``*``, or an optional term ending in ``?`` (it adds to the score but is
never required).  Latin runs are read as pinyin syllables (the last one may be partial:
``jiat`` → ``"jia t*"``) or, failing that, as initials (``jtbl`` → ``=jtbl``).  汉字 runs are
scanned longest phrase first against the thesaurus (老公 → 丈夫 · 配偶: alts of one run), kept
words and stop words (我, 了, 怎么办 …; bigrams touching them are optional).

Second look (:func:`weak_runs`, :func:`respell`): after the first lookup, a run that no alt
matches well — a group no document holds, or fewer than ``SPEC["sound"]["minDocs"]`` documents
holding all of it — gets lower-scored *sound-alike* alts (first group ``"~"``): a 汉字 run is
read by toneless pinyin (告戒书 → ``"gao jie"``, ``"jie shu"``, which 告诫书 was indexed as:
a wrong character picked from the pinyin keyboard), a latin run by its one-letter near misses
that hold a word of the thesaurus (``baohulin`` → ``baohuling``).  Exact hits always rank above
sound-alike hits at the same coverage.

A query of ``SPEC["long"]``+ 汉字 (a spoken question) is read for its content words: a bigram no
document holds (across two words) is left out instead of counting as missing, groups touching
a stop word and the exact-match group are not looked up, and documents rank by coverage × score
(:func:`rank_key`), since what such a question says around its need (打电话也不接, 半年) would
otherwise count as much as the need.

Ranking (:func:`score_doc`): coverage (mean over runs of the best alt's matched/known required
groups; unknown words are left out) first, then exact before sound-alike, then the score:
field weights (questions > title > keywords > body), whole/start bonuses, the ``@core`` exact
question/title bonus, and the kind weight (everyday words rank guides and hotlines first).
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
import unicodedata
import importlib.util
from pathlib import Path

from pypinyin.pinyin_dict import pinyin_dict

from weiquan.zh import reading
from weiquan.zh.han import HAN_BMP
from weiquan.zh.numerals import DIGITS, NUMERAL_CHARS, UNITS, cn_to_int

# ---------------------------------------------------------------- the spec (shipped to the client)

#: 汉字 considered by the search (BMP only, so that JS and Python agree on "one char").
CJK_CLASS = HAN_BMP
NUMERALS = NUMERAL_CHARS
_NUM = rf"(?:[0-9]+|[{NUMERALS}]{{1,8}})"

SPEC: dict = {
    "han": HAN_BMP,
    "cnDigits": DIGITS,
    "cnUnits": UNITS,
    # Regular expressions (sources valid in Python and ES5 JavaScript; used with the "g" flag).
    "re": {
        "toneDigit": r"([a-z])[1-5](?![0-9])",            # bao4li4 → baoli (group 1 kept)
        # article references: 第23条 / 23条 / 第二十三条 / 第120条之一 / 第23 / a bare number
        "article": rf"第?({_NUM})条(?:之({_NUM}))?|第([0-9]+)|([0-9]+)",
        "token": rf"#[0-9]+(?:-[0-9]+)?|[0-9]+|[{HAN_BMP}]+|[a-z]+|\S",
        "core": rf"[{HAN_BMP}]+|[0-9]+",
        "retroflex": r"([zcs])h",                           # zhrm → zrm (group 1 kept)
    },
    "maxParses": 3,         # alternative syllable parses of one latin run
    "maxLatin": 40,         # longer latin runs are cut (keeps parsing cheap on phones)
    "maxPrefixShards": 2,   # a prefix group spanning more term shards is skipped (too broad)
    "maxMeanings": 3,       # meanings of one thesaurus word searched (each costs a phone a file)
    "minCov": 0.5,          # documents below this coverage are not results
    "minCovLong": 0.3,      # … in a long (spoken) query, which ranks by coverage × score
    "optWeight": 0.5,       # an optional group (touching a stop word) scores this share of its field weight
    "exactMin": 3,          # an "@core" exact term needs this many characters
    "long": 15,             # a query with this many 汉字 is a spoken question
    # field weights: 0 body, 1 keywords/parent, 2 title, 3 questions
    "fieldWeight": [1, 6, 10, 12],
    "kinds": {"law": 3, "guide": 2, "article": 2, "hotline": 3, "case": 1, "campaign": 1, "page": 1,
              "station": 0},
    # A query in everyday words (a stop word or a thesaurus word in it) asks what to do: practical
    # pages (guides, hotlines, cases, stations) before the law texts.
    "kindsEveryday": {"guide": 12, "hotline": 10, "case": 5, "station": 3, "page": 8, "law": 1,
                      "article": 0, "campaign": 0},
    "bonus": {"q_whole": 50, "q_start": 15, "q_all": 6, "t_whole": 40, "t_start": 15, "t_all": 5,
              "k_whole": 30, "k_start": 8, "k_all": 2, "exact": 100},
    "sound": {
        "minDocs": 3,       # a run held whole by fewer documents gets a second look
        "weight": 0.5,      # a sound-alike alt's score is multiplied by this
        "maxGroups": 10,    # sound-alike groups per query at most (each may cost a file)
        "maxNear": 3,       # near misses of one latin run at most
        "maxNearLen": 24,   # longer latin runs are not respelt
    },
}

FIELD_WEIGHT = dict(enumerate(SPEC["fieldWeight"]))
KIND_WEIGHT = SPEC["kinds"]
EVERYDAY_KIND_WEIGHT = SPEC["kindsEveryday"]
BONUS = SPEC["bonus"]
MIN_COVERAGE = SPEC["minCov"]
MAX_PARSES = SPEC["maxParses"]
MAX_LATIN = SPEC["maxLatin"]
MAX_PREFIX_SHARDS = SPEC["maxPrefixShards"]
MAX_MEANINGS = SPEC["maxMeanings"]
SOUND = SPEC["sound"]
START, END = 1, 2

_RE = {k: re.compile(v) for k, v in SPEC["re"].items()}
CJK_RE = re.compile(f"[{CJK_CLASS}]")
QUERY_ARTICLE_RE = _RE["article"]
# In indexed text 第 is required for Chinese numerals (queries may omit it).
INDEX_ARTICLE_RE = re.compile(rf"(?:第({_NUM})|([0-9]{{1,4}}))条(?:之({_NUM}))?")
_SEG_RE = re.compile(f"[{CJK_CLASS}]+|(?<![0-9])[0-9]{{3,}}(?![0-9])")


@functools.lru_cache(maxsize=1)
def _tables() -> dict:
    tones: dict[str, str] = {}
    syllables: set[str] = set()
    for value in pinyin_dict.values():
        for rd in value.split(","):
            plain = []
            for ch in rd:
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
    zh2hans = json.loads(_package_file("zhconv", "zhcdict.json").read_bytes())["zh2Hans"]
    t2s = {k: v for k, v in zh2hans.items()
           if len(k) == 1 and len(v) == 1 and k != v
           and CJK_RE.fullmatch(k) and CJK_RE.fullmatch(v)}
    prefixes = {s[:i] for s in syllables for i in range(1, len(s))} - syllables
    return {"tones": tones, "syllables": syllables, "prefixes": prefixes, "t2s": t2s}


def _package_file(package: str, name: str) -> Path:
    """A data file of an installed package, without importing the package (zhconv's import
    loads pkg_resources: 0.2 s in every process)."""
    spec = importlib.util.find_spec(package)
    return Path(next(iter(spec.submodule_search_locations))) / name


def _strip_mark(ch: str) -> str:
    if ch in "üǖǘǚǜÜǕǗǙǛ":
        return "v"
    base = "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c))
    return base.lower() if base.isascii() and base else ch


def client_tables() -> dict:
    """What the JS client needs besides :data:`SPEC` (written into the index manifest; the
    traditional→simplified map and the sound-alike tables are files of their own)."""
    t = _tables()
    return {"tones": "".join(k + v for k, v in sorted(t["tones"].items())),
            "syl": " ".join(sorted(t["syllables"]))}


def t2s_pairs() -> str:
    """The traditional→simplified table for the client: ``trad simp`` pairs in one string."""
    return "".join(k + v for k, v in sorted(_tables()["t2s"].items()))


# ---------------------------------------------------------------- normalisation

def to_simplified(text: str) -> str:
    """Traditional → simplified, char by char (zhconv's zh-hans single-char table; the client
    uses exactly the same table)."""
    t2s = _tables()["t2s"]
    return "".join(t2s.get(c, c) for c in text)


def _normalize_char(c: str) -> str:
    o = ord(c)
    if 0xFF01 <= o <= 0xFF5E:
        c = chr(o - 0xFEE0)
    elif c == "\u3000":
        c = " "
    c = _tables()["tones"].get(c, c)
    return to_simplified(c.lower() if c.isascii() else c)


@functools.lru_cache(maxsize=1)
def _normalize_table() -> dict[int, str]:
    """:func:`_normalize_char` of every character it changes, for str.translate."""
    t = _tables()
    chars = {chr(o) for o in range(0xFF01, 0xFF5F)} | {"\u3000"} | set(t["tones"]) | set(t["t2s"])
    chars |= {chr(o) for o in range(ord("A"), ord("Z") + 1)}
    return {ord(c): n for c in chars if (n := _normalize_char(c)) != c}


def normalize_text(text: str) -> str:
    """NFC, full-width ASCII → half-width, ideographic space → space, lower case, tone marks
    stripped (ā → a, ü/ǚ → v), traditional → simplified: each character by itself."""
    return unicodedata.normalize("NFC", text).translate(_normalize_table())


_TONELESS: dict[str, str | None] = {}


def toneless(syllable: str | None) -> str | None:
    """'huán' → 'huan', 'lǜ' → 'lv'; None unless the result is plain letters."""
    if not syllable:
        return None
    hit = _TONELESS.get(syllable, "")
    if hit != "":
        return hit
    tones = _tables()["tones"]
    s = "".join(tones.get(c, c) for c in unicodedata.normalize("NFC", syllable)).lower()
    out = _TONELESS[syllable] = s if re.fullmatch(r"[a-z]+", s) else None
    return out


def _article_token(num: str, sub: str | None) -> str:
    n = cn_to_int(num)
    return f"#{n}-{cn_to_int(sub)}" if sub else f"#{n}"


def normalize_query(q: str) -> str:
    """Normalised query text: :func:`normalize_text`, tone digits after letters dropped
    (bao4li4 → baoli), article numbers canonical (第23条 / 23条 / 第二十三条 / 23 → ``#23``),
    separated by spaces, whitespace collapsed."""
    q = normalize_text(q)
    q = _RE["toneDigit"].sub(r"\1", q)

    def art(m: re.Match) -> str:
        num = m.group(1) or m.group(3) or m.group(4)
        if m.group(4) and len(num) >= 3:      # a bare number: phone / hotline (or an article)
            return " " + num + " "
        if num.isdigit() and len(num) > 4:
            return m.group(0)
        return " " + _article_token(num, m.group(2) if m.group(1) else None) + " "

    q = QUERY_ARTICLE_RE.sub(art, q)
    return " ".join(q.split())


# ---------------------------------------------------------------- reading texts (index side)

_READERS: dict[str, object] = {}


def _reader(key: str):
    return _READERS[key]


@functools.lru_cache(maxsize=20_000)
def _read(norm: str, rkey: str) -> tuple[str | None, ...] | None:
    """Toneless syllable of each character of a normalised text (None: no reading), read in
    context by the reading aid's engine; None if the reading changed the text's length."""
    rd = _reader(rkey).readings(norm)
    return tuple(toneless(r) for _, r in rd) if len(rd) == len(norm) else None


def _analyze(text: str, grams3: bool, rkey: str) -> tuple[tuple[str, int, str], ...]:
    """(term, flags, form) of a text; memoised for short texts only (names, keywords and places
    repeat; long texts rarely do, and keeping them would hold gigabytes in a national build)."""
    if len(text) <= 64:
        return _analyze_memo(text, grams3, rkey)
    return _analyze_text(text, grams3, rkey)


def _analyze_text(text: str, grams3: bool, rkey: str) -> tuple[tuple[str, int, str], ...]:
    terms: dict[str, int] = {}
    forms: dict[str, str] = {}
    norm = normalize_text(text)
    pieces: list[tuple[str, int]] = []     # (segment, start in norm)
    pos = 0

    def between(a: int, b: int) -> None:
        for m in _SEG_RE.finditer(norm, a, b):
            tok = m.group()
            pieces.append(("%" + tok if tok[0].isdigit() else tok, m.start()))

    for m in INDEX_ARTICLE_RE.finditer(norm):
        between(pos, m.start())
        pieces.append((_article_token(m.group(1) or m.group(2), m.group(3)), m.start()))
        pos = m.end()
    between(pos, len(norm))
    readings = _read(norm, rkey) if any(p[0][0] not in "#%" for p in pieces) else None

    def add(term: str, flags: int, form: str = "") -> None:
        terms[term] = terms.get(term, 0) | flags
        if form:
            forms.setdefault(term, form)

    last = len(pieces) - 1
    get = terms.get
    for si, (seg, at) in enumerate(pieces):
        if seg[0] in "#%":
            add(seg, (START if si == 0 else 0) | (END if si == last else 0))
            continue
        n = len(seg)
        if readings is not None:
            syl = readings[at:at + n]
        else:   # the text changed length when read (should not happen): read the run alone
            syl = [toneless(r) for _, r in _reader(rkey).readings(seg)]
        ini = [s[0] if s else "?" for s in syl]
        # flags of a gram over chars j..k-1: START at the text's first char, END at its last
        first = START if si == 0 else 0
        end_at = n if si == last else -1

        if n == 1:
            add(seg, first | (END if end_at == 1 else 0))
        for j in range(n - 1):   # (add() inlined: the hot loop of a national index)
            f = (first if j == 0 else 0) | (END if j + 2 == end_at else 0)
            t = seg[j:j + 2]
            terms[t] = get(t, 0) | f
            a, b = syl[j], syl[j + 1]
            if a and b:
                t = f"{a} {b}"
                terms[t] = get(t, 0) | f
                if t not in forms:
                    forms[t] = seg[j:j + 2]
        for size in ((3, 4) if grams3 else (4,)):
            for j in range(n - size + 1):
                g = "".join(ini[j:j + size])
                if "?" not in g:
                    f = (first if j == 0 else 0) | (END if j + size == end_at else 0)
                    t = "=" + g
                    terms[t] = get(t, 0) | f
                    if t not in forms:
                        forms[t] = seg[j:j + size]
    return tuple((t, f, forms.get(t, "")) for t, f in terms.items())


_analyze_memo = functools.lru_cache(maxsize=100_000)(_analyze_text)


def segments(text: str) -> list[str]:
    """Normalised text → list of 汉字 runs, article tokens (``#23``) and numbers of 3+ digits
    (``%12338``), in order."""
    text = normalize_text(text)
    out: list[str] = []
    pos = 0
    for m in INDEX_ARTICLE_RE.finditer(text):
        out.extend("%" + t if t[0].isdigit() else t for t in _SEG_RE.findall(text, pos, m.start()))
        out.append(_article_token(m.group(1) or m.group(2), m.group(3)))
        pos = m.end()
    out.extend("%" + t if t[0].isdigit() else t for t in _SEG_RE.findall(text, pos))
    return out


def index_terms(text: str, grams3: bool = False, rules: "Rules | None" = None) -> dict[str, int]:
    """Terms of one text → {term: flags} (flags: 1 = starts the text, 2 = ends it).
    ``grams3`` adds initials 3-grams (used for titles and keywords)."""
    return {t: f for t, f, _ in _analyze(text, grams3, (rules or DEFAULT_RULES).reading_key)}


def index_terms_forms(text: str, grams3: bool = False, rules: "Rules | None" = None) -> list[tuple[str, int, str]]:
    """Like :func:`index_terms` plus, for pinyin/initials terms, the 汉字 they were read from
    (the client highlights those forms)."""
    return list(_analyze(text, grams3, (rules or DEFAULT_RULES).reading_key))


def index_tokens(text: str, grams3: bool = False, rules: "Rules | None" = None) -> list[str]:
    """Just the terms (for Whoosh)."""
    return [t for t, _, _ in _analyze(text, grams3, (rules or DEFAULT_RULES).reading_key)]


# ---------------------------------------------------------------- latin runs

def _ok_piece(s: str, i: int, j: int, bounds: set[int], partial: bool) -> bool:
    if any(i < b < j for b in bounds):
        return False
    t = _tables()
    piece = s[i:j]
    return piece in t["syllables"] or (partial and j == len(s) and piece in t["prefixes"])


def _parses(s: str, bounds: set[int], partial: bool, limit_extra: bool) -> list[list[str]]:
    """Syllable parses of s (fewest pieces first, then by text); ``partial``: the last piece may
    be a syllable prefix; ``limit_extra``: also parses with one piece more than the fewest
    (for runs of ≤ 2 syllables: "xian" → xian | xi an)."""
    n = len(s)
    INF = 10 ** 9
    best = [INF] * (n + 1)   # best[i] = min pieces to parse s[i:]
    best[n] = 0
    for i in range(n - 1, -1, -1):
        for j in range(min(n, i + 6), i, -1):
            if _ok_piece(s, i, j, bounds, partial) and best[j] + 1 < best[i]:
                best[i] = best[j] + 1
    if best[0] >= INF:
        return []
    limit = best[0] + 1 if limit_extra and best[0] <= 2 else best[0]
    found: list[list[str]] = []

    def dfs(i: int, acc: list[str]) -> None:
        if len(found) >= 20:
            return
        if i == n:
            found.append(list(acc))
            return
        for j in range(min(n, i + 6), i, -1):
            if _ok_piece(s, i, j, bounds, partial) and best[j] < INF and len(acc) + 1 + best[j] <= limit:
                acc.append(s[i:j])
                dfs(j, acc)
                acc.pop()

    dfs(0, [])
    found.sort(key=lambda ps: (len(ps), " ".join(ps)))
    return found


def _latin_parses(chunks: list[str]) -> list[list[str]]:
    """Syllable parses of a latin run (chunks = space separated parts).  The last piece may be
    a partial syllable.  Up to MAX_PARSES parses, sorted by (length, text); [] when none."""
    s = "".join(chunks)
    bounds, p = set(), 0
    for c in chunks[:-1]:
        p += len(c)
        bounds.add(p)
    return _parses(s, bounds, True, True)[:MAX_PARSES]


def _initials(chunks: list[str]) -> list[str]:
    """Initials readings of a latin run: each letter an initial; when zh/ch/sh occurs, also
    the reading with the digraph as one initial (zhrmghg → zhrmghg | zrmghg)."""
    s = "".join(chunks)
    out = [s]
    collapsed = _RE["retroflex"].sub(r"\1", s)
    if collapsed != s:
        out.append(collapsed)
    return out


def _latin_run(chunks: list[str]) -> list[list[str]]:
    alts = []
    parses = _latin_parses(chunks)
    for parse in parses:
        if len(parse) == 1:
            if parse[0] in _tables()["syllables"]:
                alts.append([parse[0] + " *"])
            continue
        groups = [f"{a} {b}" for a, b in zip(parse, parse[1:])]
        groups[-1] += "*"
        alts.append(groups)
    if alts or parses:
        return alts
    for ini in _initials(chunks):
        if len(ini) == 3:
            alts.append(["=" + ini])
        elif len(ini) >= 4:
            alts.append(["=" + ini[j:j + 4] for j in range(len(ini) - 3)])
    return alts


# ---------------------------------------------------------------- query rules

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
    # what a spoken question adds around its content (语音输入)
    "我跟他说了好多次了 说了好多次 好多次了 好多次 好几次 很多次 我跟你说 跟你说 我想问一下 想问一下 我想问问 "
    "该怎么办呀 该怎么办啊 该怎么办 怎么办呀 怎么办啊 怎么弄 怎么搞 咋弄 咋搞 我该 我应该 我现在 "
    "都不敢 不知道 也不知道 我也不知道 不晓得 实在是 实在 当时 那时候 这时候 时候 以后 之后 后来 最近 "
    "一点 一些事 好像 感觉 觉得 我觉得 还说 就说 他说 她说 说是 什么的 之类的 这边 那边 这里 那里 "
    "老是 每次 每天 整天 成天 一天到晚 动不动 又 再 都 也 而 却 吧 呀 啦 哎 唉 "
    # pronouns and helper words of the dialects (俺, 阿拉, 侬, 伊, 阮; 遭/俾 = 被, 畀 = 给, 唔 = 不)
    "俺 俺们 阿拉 侬 伊 阮 咱 咱家 遭 俾 畀 唔 冇 咗 嘅 啥人 哪个人 成日 "
    # single characters
    "我 你 您 他 她 它 了 的 吗 呢 吧 啊 呀 哦 哇 嘛 么 呗 啦 嗯 是 被 把 给 让 也 都 还 就 又 很 "
    "太 能 会 要 想 该 谁 着 过 得"
).split()
#: Words that hold a stop word but carry meaning (taken as they are).
KEEP_WORDS = ("被告 被害 被害人 被申请人 被拐 被卖 要求 给付 能力 会议 还款 还钱 得到 过错 过失 "
              "太平 谁家 哪吒 自己人 遭受 伊斯兰").split()


def _normalized(words) -> list[str]:
    return [normalize_text(w) for w in words]


class Rules:
    """How queries and texts are read: stop words, protected words, the thesaurus
    (``{word: [target terms]}``) and the pinyin overrides of content/pinyin.yaml
    (``readings``: ``{phrase: [tone-marked syllables]}``, used to read texts).
    :meth:`data` is what the client gets."""

    def __init__(self, thesaurus: dict[str, list[str]] | None = None,
                 stop=STOP_WORDS, keep=KEEP_WORDS, readings: dict[str, list[str]] | None = None):
        thesaurus = thesaurus or {}
        # a word without meanings is a name kept whole (反家暴法 holds the thesaurus word 家暴)
        keep = [*keep, *(w for w, ts in thesaurus.items() if not ts)]
        self.stop = frozenset(_normalized(stop))
        self.keep = frozenset(_normalized(keep))
        self.syn = {normalize_text(w): _normalized(ts) for w, ts in thesaurus.items() if ts}
        self.maxlen = max([len(w) for w in (*self.stop, *self.keep, *self.syn)] or [1])
        self.readings = {k: list(v) for k, v in (readings or {}).items()}
        self.reading_key = hashlib.sha1(json.dumps(self.readings, ensure_ascii=False, sort_keys=True)
                                        .encode()).hexdigest()[:16]
        if self.reading_key not in _READERS:
            _READERS[self.reading_key] = _LazyReader(self.readings)

    def __getstate__(self):
        return {k: v for k, v in self.__dict__.items()}

    def __setstate__(self, state):
        self.__dict__.update(state)
        _READERS.setdefault(self.reading_key, _LazyReader(self.readings))

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
        return hashlib.sha1(json.dumps([self.data(), self.reading_key], ensure_ascii=False)
                            .encode()).hexdigest()[:16]

    def words(self) -> list[str]:
        """The words of the thesaurus (everyday words, their meanings, kept names): the words a
        hand-typed pinyin near miss is checked against."""
        out = set(self.syn) | {m for ms in self.syn.values() for m in ms} | set(self.keep)
        return sorted(w for w in out if len(w) >= 2 and re.fullmatch(f"[{CJK_CLASS}]+", w))


class _LazyReader:
    """The reading aid's annotator for a set of overrides, made on first use (jieba loads)."""

    def __init__(self, readings: dict[str, list[str]]):
        self.overrides = readings
        self._ann = None

    def readings(self, text: str):
        if self._ann is None:
            self._ann = reading.Annotator(self.overrides)
        return self._ann.readings(text)


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
    for tok in _RE["core"].findall(normalize_text(text)):
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


def _stretches(chars: str, stop: list[bool]) -> list[str]:
    """The parts of a plain run that are not stop words, 2+ characters long."""
    out, cur = [], ""
    for c, st in zip(chars, stop):
        if st:
            if len(cur) > 1:
                out.append(cur)
            cur = ""
        else:
            cur += c
    if len(cur) > 1:
        out.append(cur)
    return out


def _cjk_runs(tok: str, rules: Rules, flags: dict, runs: list, hl: list, spell: list) -> None:
    """Runs and highlight forms of one 汉字 token (``flags["everyday"]`` set when it holds a
    stop word or a thesaurus word); ``spell``: [run index, "han", stretches] of its plain runs."""
    chars, stop = "", []

    def flush() -> None:
        nonlocal chars, stop
        if chars:
            groups = _plain_groups(chars, stop)
            if groups:
                st = _stretches(chars, stop)
                if st and any(not g.endswith("?") for g in groups):
                    spell.append([len(runs), "han", st])
                runs.append([groups])
            cur = ""
            for c, s in zip(chars, stop):     # highlight the stretches that are not stop words
                if s:
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


def query_terms(q: str, rules: Rules | None = None) -> dict:
    """Query → ``{"q": normalised query, "runs": [[alt, ...], ...], "hl": [汉字 to highlight],
    "exact": "@core" | "", "everyday": bool, "long": bool, "spell": [[run, "han"|"latin",
    data], ...]}`` where an alt is a list of groups (a term, a prefix ending in ``*``, or an
    optional term ending in ``?``) and ``spell`` lists the runs a second look may respell
    (:func:`respell`).  Runs without any group (a lone partial syllable, < 3 initials, only stop
    words) are dropped.  When no group at all is required, the optional ones are."""
    rules = rules or DEFAULT_RULES
    nq = normalize_query(q)
    runs: list[list[list[str]]] = []
    hl: list[str] = []
    spell: list[list] = []
    latin: list[str] = []
    latin_len = 0
    flags = {"everyday": False}

    def flush() -> None:
        nonlocal latin, latin_len
        if latin:
            alts = _latin_run(latin)
            if alts:
                spell.append([len(runs), "latin", list(latin)])
                runs.append(alts)
        latin, latin_len = [], 0

    for tok in _RE["token"].findall(nq):
        if tok.startswith("#"):
            flush()
            runs.append([[tok]])
        elif tok[0].isdigit():
            flush()
            runs.append([["%" + tok + "*"]] if len(tok) > 4 else [["#" + str(int(tok))], ["%" + tok + "*"]])
        elif CJK_RE.match(tok):
            flush()
            _cjk_runs(tok, rules, flags, runs, hl, spell)
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
    return {"q": nq, "runs": runs, "hl": hl, "exact": "@" + core if len(core) >= SPEC["exactMin"] else "",
            "everyday": flags["everyday"], "long": len(CJK_RE.findall(nq)) >= SPEC["long"], "spell": spell}


def _required(alt: list[str]) -> list[str]:
    return [g for g in alt if g != "~" and not g.endswith("?")]


def query_groups(qt: dict) -> list[str]:
    """All distinct groups of a parsed query to look up, in order (optional ones without their
    ``?``, optional prefixes not at all; the exact-match group last).  A long (spoken) query is
    looked up by its content words only: no optional groups, no exact-match group."""
    seen: dict[str, None] = {}
    long_q = bool(qt.get("long"))
    for run in qt["runs"]:
        for alt in run:
            for g in alt:
                if g != "~" and not g.endswith("*?") and not (long_q and g.endswith("?")):
                    seen.setdefault(g[:-1] if g.endswith("?") else g, None)
    if qt.get("exact") and not long_q:
        seen.setdefault(qt["exact"], None)
    return list(seen)


# ---------------------------------------------------------------- second look: sound-alike and near misses

def weak_runs(qt: dict, docs: dict[str, set[int]], absent, truncated) -> list[int]:
    """Indexes (into ``qt["spell"]``) of the runs a second look respells: no alt of the run has
    all its required groups held and by at least ``SOUND["minDocs"]`` documents together (in a
    long, spoken query: nothing of the run is held at all and, for 汉字, it has 3+ characters
    in a row, since a bigram across two words is held by no document either).  ``docs``: group → ids of the documents holding it;
    ``truncated``: groups whose lists were capped (held by many)."""
    out = []
    for si, (ri, _, _) in enumerate(qt["spell"]):
        strong = False
        for alt in qt["runs"][ri]:
            req = _required(alt)
            if not req or any(g in absent for g in req):
                continue
            if any(g in truncated for g in req):
                strong = True
                break
            common = None
            for g in req:
                s = docs.get(g) or set()
                common = set(s) if common is None else common & s
            if len(common or ()) >= SOUND["minDocs"]:
                strong = True
                break
        if strong:
            continue
        if qt.get("long"):   # a spoken question: a bigram across two words is held by nobody
            req = [g for alt in qt["runs"][ri] for g in _required(alt)]
            data = qt["spell"][si][2]
            if not all(g in absent for g in req) or (qt["spell"][si][1] == "han" and max(map(len, data)) < 3):
                continue
        out.append(si)
    return out


@functools.lru_cache(maxsize=1)
def _gb2312() -> str:
    """The 3,755 characters of GB 2312 level 1: the ones a pinyin keyboard offers first."""
    out = []
    for b1 in range(0xB0, 0xD8):
        for b2 in range(0xA1, 0xFF):
            try:
                out.append(bytes([b1, b2]).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    return "".join(out)


def char_syllables(rules: "Rules | None" = None) -> dict[str, str]:
    """Toneless reading of each common character (GB 2312 level 1, and those of the thesaurus
    words) without context: how a query's characters are read by sound (the reading aid's
    dictionary reading)."""
    words = (rules or DEFAULT_RULES).words()
    return _char_syllables("".join(sorted({c for w in words for c in w} - set(_gb2312()))))


@functools.lru_cache(maxsize=8)
def _char_syllables(extra: str) -> dict[str, str]:
    out = {}
    for c in _gb2312() + extra:
        s = toneless(reading.char_reading(c))
        if s and s in _tables()["syllables"]:
            out[c] = s
    return out


def sound_table(rules: Rules | None = None, weight=None) -> dict:
    """The sound-alike tables for the client (a file of its own, loaded only for a second
    look): ``chars`` = "syllable+characters" items; ``words`` = the thesaurus words by spelling
    (toneless pinyin, read like the index reads texts), words that sound the same ordered by
    ``weight`` (how many documents hold the word), highest first. A word is written alone when
    its characters' readings in ``chars`` spell it, else followed by its spelling (还款huankuan)."""
    rules = rules or DEFAULT_RULES
    table = char_syllables(rules)
    by: dict[str, list[str]] = {}
    for c, syl in table.items():
        by.setdefault(syl, []).append(c)
    items = []
    for sp, ws in spell_dictionary(rules, weight).items():
        for w in ws:
            items.append(w if _char_spelling(w, table) == sp else w + sp)
    return {"chars": " ".join(syl + "".join(cs) for syl, cs in sorted(by.items())), "words": " ".join(items)}


def _char_spelling(word: str, chars: dict[str, str]) -> str | None:
    syl = [chars.get(c) for c in word]
    return "".join(syl) if all(syl) else None


@functools.lru_cache(maxsize=8)
def _spellings(key: str, words: tuple[str, ...]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    out: dict[str, list[str]] = {}
    rd = _reader(key)
    for w in words:
        syl = [toneless(r) for _, r in rd.readings(w)]
        if all(syl):
            out.setdefault("".join(syl), []).append(w)
    return tuple((sp, tuple(sorted(ws))) for sp, ws in sorted(out.items()))


def spell_dictionary(rules: Rules, weight=None) -> dict[str, list[str]]:
    """{toneless spelling: [thesaurus words]} (赔偿 → "peichang"); words that sound the same
    ordered by ``weight(word)`` (higher first), then by the word."""
    out = {}
    for sp, ws in _spellings(rules.reading_key, tuple(rules.words())):
        out[sp] = sorted(ws, key=lambda w: (-weight(w), w)) if weight and len(ws) > 1 else list(ws)
    return out


def parse_sound_table(data: dict) -> tuple[dict[str, str], dict[str, list[str]]]:
    """The client's reading of :func:`sound_table`: ({char: syllable}, {spelling: words})."""
    chars: dict[str, str] = {}
    for item in data["chars"].split():
        m = re.match(r"[a-z]+", item)
        for c in item[m.end():]:
            chars[c] = m.group()
    words: dict[str, list[str]] = {}
    for item in data["words"].split():
        m = re.search(r"[a-z]+$", item)
        word = item[:m.start()] if m else item
        sp = m.group() if m else _char_spelling(word, chars)
        words.setdefault(sp, []).append(word)
    return chars, words


def _pinyin_alt(stretches: list[str], chars: dict[str, str]) -> list[str]:
    groups: list[str] = []
    for st in stretches:
        prev = None
        for c in st:
            syl = chars.get(c)
            if syl and prev:
                g = prev + " " + syl
                if g not in groups:
                    groups.append(g)
            prev = syl
    return groups


def _correct(st: str, chars: dict[str, str], words: dict[str, list[str]]) -> tuple[str, list[str], bool]:
    """A stretch with the thesaurus words it sounds like put in (告戒书 → 告诫书): (text, the
    words put in, every character covered by a word)."""
    syl = [chars.get(c) for c in st]
    out, used, covered, i = "", [], True, 0
    while i < len(st):
        for j in range(len(st), i + 1, -1):
            if all(syl[i:j]) and "".join(syl[i:j]) in words:
                # of the words that sound so, the one sharing most characters with what was typed
                cands = words["".join(syl[i:j])]
                w = max(cands, key=lambda x: (sum(a == b for a, b in zip(x, st[i:j])), -cands.index(x)))
                out += w
                used.append(w)
                i = j
                break
        else:
            out += st[i]
            covered = False
            i += 1
    return out, used, covered


def _bigrams(texts: list[str]) -> list[str]:
    out: list[str] = []
    for t in texts:
        for j in range(len(t) - 1):
            if t[j:j + 2] not in out:
                out.append(t[j:j + 2])
    return out


def _meaning_alts(word: str, rules: Rules) -> list[list[str]]:
    return [_cjk_alt(m) for m in [t for t in rules.syn.get(word, []) if t != word][:MAX_MEANINGS]]


def _han_alts(stretches: list[str], chars: dict[str, str], words: dict[str, list[str]], rules: Rules,
              used: list[str]) -> list[list[str]]:
    """Sound-alike alts of a 汉字 run: the thesaurus words it sounds like (and their meanings,
    when one word is the whole run), else its toneless pinyin.  ``used``: the words put in."""
    fixed = [_correct(st, chars, words) for st in stretches]
    alts: list[list[str]] = []
    if any(text != st for (text, _, _), st in zip(fixed, stretches)):
        for _, ws, _ in fixed:
            used.extend(ws)
        alts.append(_bigrams([text for text, _, _ in fixed]))
        if len(fixed) == 1 and fixed[0][2] and len(fixed[0][1]) == 1:
            alts.extend(_meaning_alts(fixed[0][1][0], rules))
    if not all(cov for _, _, cov in fixed):
        alts.insert(0, _pinyin_alt(stretches, chars))
    return alts


_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def _full_parse(s: str) -> list[str] | None:
    ps = _parses(s, set(), False, False)
    return ps[0] if ps else None


def near_misses(chunks: list[str], words: dict[str, list[str]]) -> list[tuple[list[str], str]]:
    """One-letter edits (a wrong, missing or extra letter) of a latin run that hold a known
    word (``words``: spellings of the thesaurus words) over the edited place: [(syllables, the
    spelling when it is a word's, the whole run, else "")], best first: the longest such word, then fewer
    syllables, then the place, deletion before substitution before insertion, the letter."""
    s = "".join(chunks)
    if len(s) < 3 or len(s) > SOUND["maxNearLen"]:
        return []
    seen: dict[str, tuple] = {}

    def consider(t: str, pos: int, op: int, letter: str) -> None:
        if t == s or t in seen:
            return
        parse = _full_parse(t)
        if not parse or len(parse) < 2:
            return
        starts, p = [], 0
        for piece in parse:
            starts.append(p)
            p += len(piece)
        starts.append(p)
        best = 0
        for a in range(len(parse)):
            if starts[a] > pos:
                break
            for b in range(a + 2, len(parse) + 1):
                if starts[b] < pos + (1 if op != 0 else 0) or starts[b] - starts[a] <= best:
                    continue
                if t[starts[a]:starts[b]] in words:
                    best = starts[b] - starts[a]
        if best:
            seen[t] = (-best, len(parse), pos, op, letter, parse, t if best == len(t) else "")

    for i in range(len(s)):
        consider(s[:i] + s[i + 1:], i, 0, "")
    for i in range(len(s)):
        for c in _LETTERS:
            if c != s[i]:
                consider(s[:i] + c + s[i + 1:], i, 1, c)
    for i in range(len(s) + 1):
        for c in _LETTERS:
            consider(s[:i] + c + s[i:], i, 2, c)
    ranked = sorted(seen.values(), key=lambda r: r[:5])
    return [(r[5], r[6]) for r in ranked[:SOUND["maxNear"]]]


def _latin_alts(chunks: list[str], words: dict[str, list[str]], rules: Rules, used: list[str]) -> list[list[str]]:
    """Sound-alike alts of a latin run: for each near miss, the word it spells (and its
    meanings) when it spells one word, else its syllable bigrams."""
    alts: list[list[str]] = []
    for parse, word in near_misses(chunks, words):
        if word:
            for w in words[word][:2]:      # words that sound the same: the two held most
                used.append(w)
                alts.append(_cjk_alt(w))
                alts.extend(_meaning_alts(w, rules))
        else:
            alts.append([f"{a} {b}" for a, b in zip(parse, parse[1:])])
    return alts


def respell(qt: dict, weak: list[int], chars: dict[str, str], words: dict[str, list[str]],
            rules: Rules | None = None) -> dict:
    """``qt`` with sound-alike alts (first group ``"~"``) added to its weak runs: a 汉字 run by
    the thesaurus words it sounds like or by toneless pinyin (``chars``), a latin run by its
    near misses (:func:`near_misses`).  At most ``SOUND["maxGroups"]`` new groups per query.
    A query respelt into a thesaurus word is in everyday words (``everyday``)."""
    rules = rules or DEFAULT_RULES
    runs = [list(run) for run in qt["runs"]]
    budget = SOUND["maxGroups"]
    everyday = qt["everyday"]
    for si in weak:
        ri, kind, data = qt["spell"][si]
        used: list[str] = []
        alts = _han_alts(data, chars, words, rules, used) if kind == "han" else _latin_alts(data, words, rules, used)
        if any(w in rules.syn for w in used):
            everyday = True
        have = {g for alt in runs[ri] for g in alt}
        for groups in alts:
            new = [g for g in groups if g not in have]
            if not groups or len(new) > budget or ["~", *groups] in runs[ri] or groups in runs[ri]:
                continue
            budget -= len(new)
            have.update(groups)
            runs[ri].append(["~", *groups])
    return {**qt, "runs": runs, "everyday": everyday}


# ---------------------------------------------------------------- ranking

def score_doc(qt: dict, hits: dict[str, set[int]], unknown: set[str], kind: str,
              absent: set[str] = frozenset()) -> tuple[float, int, float]:
    """(coverage, exact, score) of one document; rank by coverage, then exact (1: no run needed
    a sound-alike alt), then score.

    ``hits``: group (optional ones without ``?``) → set of posting classes the doc has for it; a
    class is ``field * 4 + flags`` (field 3 questions, 2 title, 1 keywords/parent, 0 body; flags
    START|END).  ``unknown``: groups whose posting lists were capped (an unmatched unknown group
    is not missing).  ``absent``: groups no document holds; an alt whose groups are all absent
    is an unknown word and left out, else its absent groups count as missing (in a long query
    they are left out).  Coverage = mean over runs (runs with no known required group are left
    out) of the best alt's matched/known required groups; optional groups only add to the
    score (``SPEC["optWeight"]`` of its field weight) and the whole/start bonuses look at the
    required groups only; a sound-alike alt (first group ``"~"``) scores ``SOUND["weight"]``.
    An exact title/question hit (``qt["exact"]``) has coverage 1 and a large bonus.
    """
    cov_sum = 0.0
    total = 0.0
    n = 0
    sound_used = False
    long_q = bool(qt.get("long"))
    for run in qt["runs"]:
        best = None
        for alt in run:
            sound = alt[0] == "~"
            groups = alt[1:] if sound else alt
            matched = known = 0
            score = 0.0
            req = [g for g in groups if not g.endswith("?")]
            fields_all = {1: bool(req), 2: bool(req), 3: bool(req)}   # every required group in the field
            unknown_word = all(g.endswith("?") or g in absent for g in groups)
            for g in groups:
                opt = g.endswith("?")
                key = g[:-1] if opt else g
                cls = hits.get(key)
                if not cls:
                    if not opt:
                        fields_all = {1: False, 2: False, 3: False}
                        if key not in unknown and not ((unknown_word or long_q) and key in absent):
                            known += 1
                    continue
                if opt:
                    score += max(FIELD_WEIGHT[c >> 2] for c in cls) * SPEC["optWeight"]
                    continue
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
                    k0, k1 = req[0], req[-1]
                    first = any(c >> 2 == f and c & START for c in hits[k0])
                    last = any(c >> 2 == f and c & END for c in hits[k1])
                    b = BONUS[whole] if first and last else BONUS[start] if first else BONUS[all_]
                    bonus = max(bonus, b)
            s = score + bonus
            if sound:
                s *= SOUND["weight"]
            cand = (matched / known if known else -1.0, 0 if sound else 1, s)
            if best is None or cand > best:
                best = cand
        if best is None:        # nothing of the run matched and nothing of it is known
            continue
        total += best[2]
        if best[0] >= 0:
            n += 1
            cov_sum += best[0]
            if not best[1] and best[0] > 0:
                sound_used = True
    cov = cov_sum / n if n else 0.0
    if qt.get("exact") and hits.get(qt["exact"]):
        cov = 1.0
        total += BONUS["exact"]
    if not cov:
        return 0.0, 0, 0.0
    return cov, 0 if sound_used else 1, total + (EVERYDAY_KIND_WEIGHT if qt.get("everyday") else KIND_WEIGHT).get(kind, 0)


def min_coverage(qt: dict) -> float:
    """Documents below this coverage are not results of the query."""
    return SPEC["minCovLong"] if qt.get("long") else SPEC["minCov"]


def rank_key(qt: dict, cov: float, exact: int, score: float) -> tuple:
    """Sort key of a document (ascending; ties by doc id): coverage, then exact before
    sound-alike, then score; a long (spoken) query by coverage × score."""
    if qt.get("long"):
        return (0.0, 0, -(cov * score))
    return (-cov, -exact, -score)
