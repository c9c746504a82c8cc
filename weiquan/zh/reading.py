"""Pinyin reading aid: one annotator for the site (拼音 toggle) and the PDF leaflets.

Readings come from, in this order:

1. ``extra`` readings for the entry being rendered (names of places, stations, people),
2. the project dictionary ``content/pinyin.yaml`` (legal-domain phrases editors can extend),
3. pypinyin with phrase context: the text is segmented with jieba (the project phrases are
   added to a private jieba dictionary so they are cut as words), and pypinyin's phrase
   dictionary is applied word by word.

Within a run of Chinese characters, override phrases are matched longest-first at jieba word
boundaries and inside jieba words. Tones follow the dictionary convention (GB/T 16159-2012
§7: 一般标原调, 不标变调): 一 and 不 keep their original tone (yī, bù) even where pypinyin's
phrase dictionary writes the sandhi tone.

Digits, Latin letters, punctuation and spaces get no reading (``None``) and no ``<ruby>``.

Public API (used by the site build and the leaflet code)::

    overrides = load_overrides(Path("content/pinyin.yaml"))   # cached
    ann = get_annotator(overrides)                            # cached per overrides object
    ann.readings("依法还款")      # [('依','yī'),('法','fǎ'),('还','huán'),('款','kuǎn')]
    ann.ruby_html("还款")         # '<ruby>还<rt aria-hidden="true">huán</rt></ruby><ruby>款<rt …>kuǎn</rt></ruby>'
    ann.annotate_html(html)       # annotate text nodes of an HTML fragment
    page_payload(content_html, overrides)  # JS text for <page>.pinyin.js: readings, not HTML
"""

from __future__ import annotations

import functools
import html as _html
import json
import logging
import marshal
import re
import threading
import unicodedata
from collections import Counter
from itertools import chain
from html.parser import HTMLParser
from pathlib import Path

from weiquan.zh.han import HAN_RE, is_han, js_han_pattern

__all__ = [
    "Annotator",
    "HAN_RE",
    "char_reading",
    "get_annotator",
    "is_han",
    "js_han_pattern",
    "load_overrides",
    "normalize_reading",
    "page_payload",
    "page_readings",
    "parse_overrides",
]


_TONE_VOWELS = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿm̀"
_SYLLABLE_RE = re.compile(rf"^[a-zü{_TONE_VOWELS}\u0300\u0301\u0304\u030c]+$")
_NUMBERED_RE = re.compile(r"^([a-zv:ü]+)([1-5])$")


# --------------------------------------------------------------------------- overrides


class _UniqueKeyLoader:
    """A yaml SafeLoader that rejects duplicate keys (built lazily: yaml is imported late)."""

    _cls = None

    @classmethod
    def get(cls):
        if cls._cls is None:
            import yaml

            class Loader(yaml.SafeLoader):
                pass

            def construct_mapping(loader, node, deep=False):
                seen = {}
                for key_node, _ in node.value:
                    key = loader.construct_object(key_node, deep=deep)
                    if key in seen:
                        raise ValueError(
                            f"{key}: duplicate phrase (line {key_node.start_mark.line + 1}, "
                            f"first on line {seen[key] + 1})"
                        )
                    seen[key] = key_node.start_mark.line
                return yaml.SafeLoader.construct_mapping(loader, node, deep=deep)

            Loader.add_constructor(
                yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, construct_mapping
            )
            cls._cls = Loader
        return cls._cls


def normalize_reading(syllable: str) -> str:
    """'huan2' -> 'huán', 'lv4' -> 'lǜ', 'nü3' -> 'nǚ'; tone-marked input is NFC-normalised."""
    s = unicodedata.normalize("NFC", syllable.strip().lower())
    m = _NUMBERED_RE.match(s)
    if m:
        from pypinyin.contrib.tone_convert import to_tone

        base = m.group(1).replace("v", "ü").replace("u:", "ü")
        return to_tone(base + m.group(2)) if m.group(2) != "5" else base
    return s.replace("v", "ü")


@functools.lru_cache(maxsize=None)
def _known_readings(ch: str) -> frozenset[str]:
    from pypinyin import Style, pinyin

    from pypinyin.contrib.tone_convert import to_normal

    out: set[str] = set()
    res = pinyin(ch, style=Style.TONE, heteronym=True, errors="ignore")
    for r in res[0] if res else []:
        out.add(r)
        out.add(to_normal(r).replace("v", "ü"))  # neutral tone (轻声) is always allowed
    return frozenset(out)


def parse_overrides(data: object, *, check_known: bool = True) -> dict[str, list[str]]:
    """Validate a mapping ``phrase -> "reading with spaces"`` (or a list of syllables).

    Raises ValueError whose message starts with the offending phrase.
    """
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ValueError("pinyin overrides must be a mapping 词语: \"pīn yīn\"")
    out: dict[str, list[str]] = {}
    for phrase, reading in data.items():
        if not isinstance(phrase, str) or not phrase:
            raise ValueError(f"{phrase!r}: phrase must be a non-empty string")
        phrase = unicodedata.normalize("NFC", phrase.strip())
        if not HAN_RE.fullmatch(phrase):
            raise ValueError(f"{phrase}: phrase must consist of Chinese characters only")
        if isinstance(reading, str):
            sylls = reading.split()
        elif isinstance(reading, list) and all(isinstance(x, str) for x in reading):
            sylls = list(reading)
        else:
            raise ValueError(f"{phrase}: reading must be a string like \"huán kuǎn\"")
        sylls = [normalize_reading(s) for s in sylls]
        if len(sylls) != len(phrase):
            raise ValueError(
                f"{phrase}: {len(phrase)} characters but {len(sylls)} syllables in "
                f"{' '.join(sylls)!r} (write one syllable per character, separated by spaces)"
            )
        for ch, syl in zip(phrase, sylls):
            if not _SYLLABLE_RE.match(syl):
                raise ValueError(f"{phrase}: {syl!r} is not a pinyin syllable (write huán or huan2)")
            if check_known:
                known = _known_readings(ch)
                if known and syl not in known:
                    raise ValueError(
                        f"{phrase}: {syl!r} is not a known reading of {ch} "
                        f"(known: {', '.join(sorted(r for r in known if not r.isascii()) or sorted(known))})"
                    )
        out[phrase] = sylls
    return out


@functools.lru_cache(maxsize=8)
def _load_overrides_cached(path: str, mtime_ns: int, size: int) -> dict[str, list[str]]:
    import yaml

    text = Path(path).read_text(encoding="utf-8")
    try:
        data = yaml.load(text, Loader=_UniqueKeyLoader.get())
    except yaml.YAMLError as exc:
        raise ValueError(f"{path}: invalid YAML: {exc}") from exc
    return parse_overrides(data)


def load_overrides(path: str | Path) -> dict[str, list[str]]:
    """Read ``content/pinyin.yaml``; cached by (path, mtime, size). Missing file -> {}.

    The returned dict is shared (cached): do not mutate it.
    """
    p = Path(path)
    try:
        st = p.stat()
    except FileNotFoundError:
        return {}
    return _load_overrides_cached(str(p.resolve()), st.st_mtime_ns, st.st_size)


# --------------------------------------------------------------------------- engines (cached)

_LOCK = threading.Lock()


def _no_reading(chars: str) -> list[None]:
    return [None] * len(chars)


@functools.lru_cache(maxsize=1)
def _pypinyin():
    """lazy_pinyin over a list of words, each cut by pypinyin's own phrase segmenter.

    (pypinyin >= 0.50 does not re-segment list items: an unknown jieba word such as 行为人
    would be read char by char with each char's default reading, 为 -> wèi.)
    """
    from pypinyin import Style, lazy_pinyin
    from pypinyin.constants import PHRASES_DICT
    from pypinyin.seg.mmseg import seg as mmseg

    memo: dict[str, list[str | None]] = {}   # a word reads the same wherever it is (no re-segmenting)

    def read(words: list[str]) -> list[str | None]:
        out: list[str | None] = []
        for w in words:
            hit = memo.get(w)
            if hit is None:
                pieces = [w] if len(w) == 1 or w in PHRASES_DICT else list(mmseg.cut(w))
                hit = lazy_pinyin(pieces, style=Style.TONE, errors=_no_reading)
                if len(memo) < 500_000:
                    memo[w] = hit
            out.extend(hit)
        return out

    return read


def char_reading(ch: str) -> str | None:
    """The dictionary reading of one character without context (its first reading), tone-marked;
    None when there is none. The search reads a query's characters with it (the client gets
    the same table), while texts are read in context by :class:`Annotator`."""
    return _pypinyin()([ch])[0]


_PHRASE_FREQ = 20000
_RUNS_KEPT = 200_000   # runs an annotator remembers (~100 MB at most)


@functools.lru_cache(maxsize=16)
def _tokenizer(words: frozenset[str]):
    """A private jieba tokenizer (the global one is left alone) knowing the override phrases:
    derived from jieba's global tokenizer, which the word-tag table (posseg) loads anyway, so
    each process loads jieba's dictionary once."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.marshal = _WholeFileMarshal   # (jieba's own module global; it has no other use)
    jieba.dt.initialize()
    return _derive(jieba.dt, words)


def load_dictionary() -> None:
    """Load what reading needs now: jieba's dictionary and word tags, pypinyin's tables
    (~0.8 s; workers that will read texts: before their first job)."""
    _tokenizer(frozenset())
    _tag_table()
    char_reading("中")


class _WholeFileMarshal:
    """marshal for jieba's dictionary cache: marshal.load(file) reads the 9 MB file a few bytes
    at a time (1.2 s); loads() of the whole file takes 0.3 s, in every worker that reads."""
    dump, dumps, loads = staticmethod(marshal.dump), staticmethod(marshal.dumps), staticmethod(marshal.loads)

    @staticmethod
    def load(file):
        return marshal.loads(file.read())


def _derive(base, words: frozenset[str]):
    """_tokenizer(words) made from an initialised tokenizer by copying its dictionary (~0.1 s)
    instead of loading jieba's dictionary again (~2-4 s, once per page with name readings).
    add_word only sets entries and adds to the total, so the result is the same either way."""
    import jieba

    tok = jieba.Tokenizer.__new__(jieba.Tokenizer)
    tok.__dict__.update(base.__dict__)
    tok.FREQ = dict(base.FREQ)
    tok.lock = threading.RLock()
    for w in sorted(words):
        # project phrases win against overlapping dictionary words (给付|定金, not 给|付定金)
        if len(w) > 1 and tok.FREQ.get(w, 0) < _PHRASE_FREQ:
            tok.add_word(w, freq=_PHRASE_FREQ)
    return tok


# -- context rules for two frequent single-character polyphones in legal text ----------------
# 为: wéi (是/作为/成为; 以…为…; passive 为…所…) vs wèi (for, on behalf of; purpose).
# Measured on the corpus laws: clause-initial 为 and 为 after a modal/adverb are "for" (wèi);
# 为 followed later in the clause by a benefactive verb (为妇女提供…) is wèi; otherwise, in the
# definitional style of statutes (不满八周岁的未成年人为无民事行为能力人), it is the copula wéi.
_WEI_BEFORE = frozenset(
    "应当 可以 不得 依法 及时 并 也 还 均 都 主动 免费 积极 鼓励 提倡 支持 专门 无偿 必要时 时 "
    "应 可 须 必须 负责 帮助 协助 优先 统一 共同 分别 直接 另行 定期 义务 予以 自愿 努力 "
    "不能 能够 而 有权 无权 不 一律 按照规定 规定 专为 才 又 再 仍 已 曾 将 要 愿意".split())
_WEI_VERBS = frozenset(
    "提供 办理 所作 垫付 实施 开展 谋取 牟取 出具 支付 代理 设立 创造 申请 筹集 保守 举办 "
    "安排 建立 作出 辩护 招收 处理 提出".split())
_CLAUSE_END = re.compile("[，。；：！？,;:!?\n]")
_NUMERAL_START = set("一二两三四五六七八九十百千万半0123456789")
_PUNISH_START = ("罚", "拘", "有期", "无期", "死刑", "管制", "警告", "以")


@functools.lru_cache(maxsize=1)
def _tag_table() -> dict:
    import jieba.posseg

    return jieba.posseg.dt.word_tag_tab


def _word_tag(word: str) -> str:
    return _tag_table().get(word, "")


def _split_wei(words, table) -> list[str]:
    """Split jieba tokens like 时为/日为/之日为 (not known phrases) into X + 为."""
    from pypinyin.constants import PHRASES_DICT

    out = []
    for w in words:
        if len(w) == 2 and w[1] == "为" and w not in table and w not in PHRASES_DICT:
            out.extend((w[:-1], "为"))
        else:
            out.append(w)
    return out


def _context_rules(out: list[tuple[str, list[str]]], table, tail: str):
    """Fix 为 and 处 in a run of Chinese characters; ``tail`` is the rest of the clause."""
    if "为" not in table:
        for i, (w, rd) in enumerate(out):
            if w != "为":
                continue
            before = out[i - 1][0] if i else ""
            after = [x for x, _ in out[i + 1:]]
            rest = "".join(after[1:]) + tail
            if before in _WEI_BEFORE or any(v in rest for v in _WEI_VERBS):
                rd[0] = "wèi"
            elif (not before or re.fullmatch("第.+条", before)) and after and \
                    _word_tag(after[0])[:1] == "v":
                rd[0] = "wèi"  # clause-initial purpose: 为争夺遗产…, 为研制新药…
            else:
                rd[0] = "wéi"
    if "处" not in table:
        for i, (w, rd) in enumerate(out):
            if w == "处":
                nxt = out[i + 1][0] if i + 1 < len(out) else tail.lstrip()
                if nxt and (nxt[0] in _NUMERAL_START or nxt.startswith(_PUNISH_START)):
                    rd[0] = "chǔ"


def _fix_tone(ch: str, syl: str | None) -> str | None:
    """Dictionary tones for 一 and 不 (pypinyin's phrase entries carry sandhi: 一个 yí gè)."""
    if ch == "不" and syl == "bú":
        return "bù"
    if ch == "一" and syl in ("yí", "yì"):
        return "yī"
    return syl


# --------------------------------------------------------------------------- annotator


class Annotator:
    """Tone-marked readings for Chinese text. Thread-safe for reading after construction."""

    def __init__(self, overrides: dict[str, list[str]] | None = None,
                 extra: dict[str, str | list[str]] | None = None, base=None):
        table: dict[str, list[str]] = dict(overrides or {})
        if extra:
            # names carry their own reading; validated for length, not against the dictionary
            table.update(parse_overrides(dict(extra), check_known=False))
        self.table = table
        self.max_len = max((len(k) for k in table), default=0)
        self._tok = _tokenizer(frozenset(table)) if base is None else _derive(base, frozenset(table))
        self._py = _pypinyin()
        self._runs: dict = {}   # a run of 汉字 (and its clause's tail, where 为/处 read by it) → words

    def with_extra(self, extra: dict[str, str | list[str]] | None) -> "Annotator":
        """A new annotator with entry-specific readings (e.g. {"单县": "shàn xiàn"})."""
        if not extra:
            return self
        return Annotator(self.table, extra, base=self._tok)

    # -- core -----------------------------------------------------------------------------

    def segments(self, text: str) -> list[tuple[str, list[str] | None]]:
        """Split ``text`` into words: (word, readings) for Chinese words, (text, None) otherwise."""
        return [(w, None if rd is None else list(rd)) for w, rd in self._words(text)]

    def _words(self, text: str) -> list[tuple[str, tuple[str, ...] | None]]:
        """segments, the readings as the memo's tuples (not to be changed)."""
        out: list[tuple[str, tuple[str, ...] | None]] = []
        pos = 0
        for m in HAN_RE.finditer(text):
            if m.start() > pos:
                out.append((text[pos:m.start()], None))
            run = m.group()
            # the words of a run depend on the run alone, but for 为/处 (_context_rules): pages
            # repeat their runs (电话, 维权服务站, a county's name; 104,000 different runs in
            # 1.9 million at national scale), so each is read once per annotator
            tail = _CLAUSE_END.split(text[m.end():m.end() + 80], 1)[0] if "为" in run or "处" in run else ""
            key = (run, tail) if tail else run
            words = self._runs.get(key)
            if words is None:
                words = tuple((w, tuple(rd)) for w, rd in self._han_run(run, tail))
                if len(self._runs) < _RUNS_KEPT:
                    self._runs[key] = words
            out.extend(words)
            pos = m.end()
        if pos < len(text):
            out.append((text[pos:], None))
        return out

    def _han_run(self, run: str, tail: str = "") -> list[tuple[str, list[str]]]:
        with _LOCK:  # jieba's lazy internals are not thread-safe
            words = _split_wei(self._tok.cut(run, HMM=True), self.table)
        out: list[tuple[str, list[str]]] = []
        pending: list[str] = []  # words for pypinyin, flushed in one call

        def flush():
            if pending:
                flat = self._py(pending)
                i = 0
                for w in pending:
                    r = flat[i:i + len(w)]
                    i += len(w)
                    out.append((w, [_fix_tone(c, s) for c, s in zip(w, r)]))
                pending.clear()

        for w in words:
            hit = self.table.get(w)
            if hit is not None:
                flush()
                out.append((w, list(hit)))
            elif self.max_len > 1 and len(w) > 1:
                # longest override match inside a jieba word (e.g. 重婚 in 重婚罪)
                parts = self._split_by_table(w)
                for part, rd in parts:
                    if rd is None:
                        pending.append(part)
                    else:
                        flush()
                        out.append((part, list(rd)))
            else:
                pending.append(w)
        flush()
        _context_rules(out, self.table, tail)
        return out

    def _split_by_table(self, word: str) -> list[tuple[str, list[str] | None]]:
        table, n = self.table, len(word)
        parts: list[tuple[str, list[str] | None]] = []
        i = 0
        buf_start = 0
        while i < n:
            for L in range(min(self.max_len, n - i), 0, -1):
                seg = word[i:i + L]
                if seg in table:
                    if buf_start < i:
                        parts.append((word[buf_start:i], None))
                    parts.append((seg, table[seg]))
                    i += L
                    buf_start = i
                    break
            else:
                i += 1
        if buf_start < n:
            parts.append((word[buf_start:], None))
        if len(parts) == 1 and parts[0][1] is None:
            return [(word, None)]
        # pypinyin gets the remainders without their neighbours: keep context by reading the
        # whole word and replacing only the matched spans
        full = [_fix_tone(c, s) for c, s in zip(word, self._py([word]))]
        merged: list[str] = []
        k = 0
        for part, rd in parts:
            merged.extend(rd if rd is not None else full[k:k + len(part)])
            k += len(part)
        return [(word, merged)]

    def readings(self, text: str) -> list[tuple[str, str | None]]:
        """Each character of ``text`` with its tone-marked reading (None for non-Chinese)."""
        res: list[tuple[str, str | None]] = []
        for seg, rd in self.segments(text):
            if rd is None:
                res.extend((c, None) for c in seg)
            else:
                res.extend(zip(seg, rd))
        return res

    def pinyin(self, text: str) -> str:
        """Readings of the Chinese characters in ``text`` joined by spaces (for tests/debug)."""
        return " ".join(r for _, r in self.readings(text) if r)

    # -- HTML -----------------------------------------------------------------------------

    def ruby_html(self, text: str, *, aria: bool = True) -> str:
        """Plain text -> HTML-escaped text with one ``<ruby>`` per Chinese character.

        ``<ruby>还<rt aria-hidden="true">huán</rt></ruby><ruby>款<rt aria-hidden="true">kuǎn</rt></ruby>``.
        """
        return "".join(_ruby_parts(self.segments(text), aria=aria, escape=True))

    def annotate_html(self, fragment: str, *, aria: bool = True) -> str:
        """Annotate the text nodes of an HTML fragment (tags, attributes, entities verbatim).

        Text inside script/style/code/pre/kbd/samp/rt/rp/ruby/svg/math/textarea, and inside
        any element with class ``wq-no-pinyin`` or attribute ``translate="no"``, is left alone.
        Adjacent inline text (``依法<strong>重婚</strong>的``) is read as one phrase.
        """
        p = _Collector()
        p.feed(fragment)
        p.close()
        items = p.items
        out: list[str] = []
        run: list[tuple[str, str, bool]] = []  # text + inline items read together

        def flush_run():
            texts = [raw for kind, raw, _ in run if kind == "text"]
            joined = "".join(texts)
            if not HAN_RE.search(joined):
                out.extend(raw for _, raw, _ in run)
                run.clear()
                return
            pieces: list[list[tuple[str, list[str] | None]]] = [[] for _ in texts]
            for j, part, rd in _cut_at_nodes(self.segments(joined), texts):
                pieces[j].append((part, rd))
            j = 0
            for kind, raw, _ in run:
                if kind == "text":
                    out.extend(_ruby_parts(pieces[j], aria=aria, escape=False))
                    j += 1
                else:
                    out.append(raw)
            run.clear()

        for item in items:
            if item[0] == "text" or item[2]:
                run.append(item)
            else:
                flush_run()
                out.append(item[1])
        flush_run()
        return "".join(out)


def _ruby_parts(segs, *, aria: bool, escape: bool):
    rt_open = '<rt aria-hidden="true">' if aria else "<rt>"
    for seg, rd in segs:
        if rd is None:
            yield _html.escape(seg, quote=False) if escape else seg
            continue
        # One <ruby> per character: each syllable is centred over its own character (one
        # <ruby> holding several base/rt pairs runs the syllables together in Chromium).
        yield "".join(ch if syl is None  # a rare character pypinyin does not know: no annotation
                      else f"<ruby>{ch}{rt_open}{syl}</rt></ruby>" for ch, syl in zip(seg, rd))


_SKIP_TAGS = frozenset({
    "script", "style", "code", "pre", "kbd", "samp", "rt", "rp", "ruby", "svg", "math",
    "textarea", "template", "noscript", "select", "option",
})
_INLINE_TAGS = frozenset({
    "a", "abbr", "b", "bdi", "bdo", "cite", "data", "del", "dfn", "em", "i", "ins", "mark",
    "q", "s", "small", "span", "strong", "sub", "sup", "time", "u", "var", "wbr", "font",
})
_VOID_TAGS = frozenset({
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
    "source", "track", "wbr",
})


def _skipped(tag: str, attrs) -> bool:
    """Does an element get no pinyin (code, scripts, class wq-no-pinyin, translate="no")?"""
    cls = next((v or "" for k, v in attrs if k == "class"), "")
    return (tag in _SKIP_TAGS or "wq-no-pinyin" in cls.split()
            or any(k == "translate" and (v or "").lower() == "no" for k, v in attrs))


class _Collector(HTMLParser):
    """Tokenises a fragment into ('text'|'raw', string, inline) items, verbatim."""

    def __init__(self):
        super().__init__(convert_charrefs=False)
        self.items: list[tuple[str, str, bool]] = []
        self.stack: list[tuple[str, bool]] = []  # (tag, skips)
        self.skip = 0

    def _raw(self, s: str, inline: bool):
        self.items.append(("raw", s, inline))

    def handle_starttag(self, tag, attrs):
        raw = self.get_starttag_text() or ""
        if tag in _VOID_TAGS:
            self._raw(raw, tag == "wbr")
            return
        skips = _skipped(tag, attrs)
        self.stack.append((tag, skips))
        self.skip += skips
        self._raw(raw, tag in _INLINE_TAGS and not skips)

    def handle_startendtag(self, tag, attrs):
        self._raw(self.get_starttag_text() or "", tag in _INLINE_TAGS or tag == "wbr")

    def handle_endtag(self, tag):
        raw = f"</{tag}>"
        inline = tag in _INLINE_TAGS
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                for _, s in self.stack[i:]:
                    self.skip -= s
                skipped = self.stack[i][1]
                del self.stack[i:]
                self._raw(raw, inline and not skipped)
                return
        self._raw(raw, inline)  # stray end tag: keep it verbatim

    def handle_data(self, data):
        if self.skip:
            self._raw(data, False)
        else:
            self.items.append(("text", data, True))

    def handle_entityref(self, name):
        self._raw(f"&{name};", not self.skip)

    def handle_charref(self, name):
        self._raw(f"&#{name};", not self.skip)

    def handle_comment(self, data):
        self._raw(f"<!--{data}-->", True)

    def handle_decl(self, decl):
        self._raw(f"<!{decl}>", False)

    def handle_pi(self, data):
        self._raw(f"<?{data}>", False)

    def unknown_decl(self, data):
        self._raw(f"<![{data}]>", False)


# --------------------------------------------------------------------------- caching helpers

_ANNOTATORS: dict[int, tuple[dict, Annotator]] = {}


def get_annotator(overrides: dict[str, list[str]] | None = None) -> Annotator:
    """A cached Annotator for an overrides dict (as returned by load_overrides)."""
    overrides = overrides or {}
    hit = _ANNOTATORS.get(id(overrides))
    if hit is not None and hit[0] is overrides:
        return hit[1]
    ann = Annotator(overrides)
    _ANNOTATORS[id(overrides)] = (overrides, ann)
    return ann


# --------------------------------------------------------------------------- page payload
#
# <page>.pinyin.js is data, not HTML: wq-pinyin.js puts <ruby> into the live article's text nodes
# and takes them out again, so the page's own scripts, input values and focus are untouched.
#
#   window.wqPinyin&&wqPinyin.load({"v":2,"h":<one 汉字, ES5 regex source>,
#                                   "d":"还huán款kuǎn…", "e":["有配偶者与他人重chóng婚的", …]})
#
# Every entry is one text node of the article: its 汉字 in order (the node's other characters are
# left out), each followed by its reading where that differs from the page's usual reading of the
# character in "d" ("-": no reading). An entry's 汉字 are its key: the script annotates a text node
# only if the node's 汉字 are exactly a key, so a node a script has changed or created gets the
# readings of the same text, or none. Entries with equal keys and equal readings are written
# once; a key read differently in different places is written for every place, in order, and the
# script uses those only when the page has that key exactly as often (in order), else none.
# Readings are taken in context across inline tags, as annotate_html does.

PAYLOAD_VERSION = 2


# The text nodes of a page's article, as a browser's parser makes them. A regular-expression
# scanner: HTMLParser took three times as long (17 s of a national build's payloads) for the
# same nodes on every page of the site; it differs only where a browser does too (an unclosed
# comment runs to the end, ``</ p>`` is a comment, ``</>`` is nothing).
_MARKUP = re.compile(
    r"""<(?:(/?)([a-zA-Z][^\t\n\r\f />\x00]*)((?:[^>"']|"[^"]*"|'[^']*')*)>"""   # tag
    r"""|(!--.*?(?:-->|\Z)|/[^a-zA-Z>][^>]*(?:>|\Z))"""                          # comment
    r"""|(/>)|[!?][^>]*(?:>|\Z))""", re.S)                                       # </>, <!…>, <?…>
_RAW_TEXT = {t: re.compile(rf"</{t}[\s/>]", re.I)   # content is text up to the end tag
             for t in ("script", "style", "textarea", "title", "xmp", "iframe", "noembed",
                       "noframes", "noscript")}
_ATTR = re.compile(r"""([^\s/>"'=][^\s/>"'=]*)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s>]*))?""")


def _tag_skips(tag: str, attrs: str) -> bool:
    """_skipped for a start tag's attribute text (parsed only when it can matter)."""
    if tag in _SKIP_TAGS:
        return True
    if "wq-no-pinyin" not in attrs and "&" not in attrs and "translate" not in attrs.lower():
        return False
    pairs = []
    for m in _ATTR.finditer(attrs):
        v = m.group(2) or ""
        if v[:1] in ("'", '"'):
            v = v[1:-1]
        pairs.append((m.group(1).lower(), _html.unescape(v)))
    return _skipped(tag, pairs)


def text_runs(fragment: str) -> list[list[str]]:
    """The text nodes of ``fragment`` (entities decoded; a comment or a tag ends one), grouped
    in runs that are read together: the skip and inline rules of annotate_html."""
    runs: list[list[str]] = [[]]
    stack: list[tuple[str, bool]] = []   # (tag, skips)
    skip = 0
    grows = False                        # the last node may still grow (text around a stray "<")
    pos, n = 0, len(fragment)
    it = _MARKUP.finditer(fragment)
    while True:
        m = next(it, None)
        end = m.start() if m else n
        if end > pos:
            data = fragment[pos:end]
            if skip:
                if runs[-1]:
                    runs.append([])
                grows = False
            else:
                if "&" in data:
                    data = _html.unescape(data)
                if grows:
                    runs[-1][-1] += data
                else:
                    runs[-1].append(data)
                    grows = True
        if m is None:
            return runs
        pos = m.end()
        slash, tag, attrs, comment, nothing = m.groups()
        brk = True                       # a tag between blocks ends the run; inline ones the node
        if tag is None:
            if nothing:
                continue
            brk = not comment
        else:
            tag = tag.lower()
            if slash:
                for i in range(len(stack) - 1, -1, -1):
                    if stack[i][0] == tag:
                        skipped = skip
                        for _, s in stack[i:]:
                            skip -= s
                        del stack[i:]
                        brk = not (tag in _INLINE_TAGS and not skipped)
                        break
                else:
                    brk = tag not in _INLINE_TAGS
            elif tag in _VOID_TAGS:
                brk = tag != "wbr"
            elif attrs.endswith("/"):
                brk = not (tag in _INLINE_TAGS or tag == "wbr")
            else:
                skips = _tag_skips(tag, attrs)
                stack.append((tag, skips))
                skip += skips
                brk = not (tag in _INLINE_TAGS and not skip)
                raw = _RAW_TEXT.get(tag)
                if raw is not None:      # script, style…: no tags inside
                    e = raw.search(fragment, pos)
                    start, pos = pos, e.start() if e else n
                    it = _MARKUP.finditer(fragment, pos)
                    if pos > start and not skip:   # its text is one node
                        if brk and runs[-1]:
                            runs.append([])
                        runs[-1].append(fragment[start:pos])
                        grows = True
                        continue
        if brk and runs[-1]:
            runs.append([])
        grows = False


def page_readings(ann: "Annotator", content_html: str) -> list[tuple[str, list[str | None]]]:
    """(汉字 of the node, their readings) for each text node of ``content_html`` that has 汉字,
    in document order; readings in context across inline tags."""
    out: list[tuple[str, list[str | None]]] = []
    for run in text_runs(content_html):
        joined = "".join(run)
        if not HAN_RE.search(joined):
            continue
        # the 汉字 words of the run (all of a word's characters are 汉字), cut at the nodes' ends
        keys: list[list[str]] = [[] for _ in run]
        rds: list[list[str | None]] = [[] for _ in run]
        for j, part, rd in _cut_at_nodes(ann._words(joined), run):
            if rd is not None:
                keys[j].append(part)
                rds[j].extend(r or None for r in rd)   # pypinyin gives '' for some
        out.extend(("".join(k), r) for k, r in zip(keys, rds) if k)
    return out


def _cut_at_nodes(words, nodes: list[str]):
    """(node index, part, its readings or None) for each word of a run read as one text,
    cut where its nodes (texts) end."""
    ends, acc = [], 0
    for text in nodes:
        acc += len(text)
        ends.append(acc)
    pos = j = 0
    for word, rd in words:
        start, stop = pos, pos + len(word)
        while start < stop:
            while ends[j] <= start:
                j += 1
            cut = min(stop, ends[j])
            a, b = start - pos, cut - pos
            yield j, word[a:b], None if rd is None else rd[a:b]
            start = cut
        pos = stop


def page_payload(content_html: str, overrides: dict[str, list[str]] | None = None, *,
                 extra: dict[str, str | list[str]] | None = None,
                 annotator: Annotator | None = None) -> str:
    """JS text for ``<page>.pinyin.js`` (format above): ``wqPinyin.load({…})``.

    ``content_html`` is the inner HTML of ``article.md-content__inner``. The payload is loaded
    with a ``<script src>`` (works from file://); wq-pinyin.js builds the ``<ruby>``.
    """
    ann = annotator or get_annotator(overrides)
    if extra:
        ann = ann.with_extra(extra)
    nodes = page_readings(ann, content_html)
    # the usual reading of each character on this page: entries then spell out only the others
    pairs = Counter(chain.from_iterable(zip(key, rds) for key, rds in nodes))
    counts: dict[str, dict[str | None, int]] = {}
    for (c, r), k in pairs.items():
        counts.setdefault(c, {})[r] = k
    usual = {c: max(sorted(n.items(), key=lambda kv: kv[0] or ""), key=lambda kv: kv[1])[0]
             for c, n in counts.items()}

    def spell(r: str | None) -> str:
        return "-" if r is None else r

    spelt: dict[tuple, str] = {}   # (key, readings) -> entry: pages repeat their nodes
    entries = []
    for key, rds in nodes:
        k = (key, *rds)
        entry = spelt.get(k)
        if entry is None:
            entry = spelt[k] = "".join(c if r == usual[c] else c + spell(r) for c, r in zip(key, rds))
        entries.append((key, entry))
    variants: dict[str, set[str]] = {}
    for key, entry in entries:
        variants.setdefault(key, set()).add(entry)
    written: set[str] = set()
    out: list[str] = []
    for key, entry in entries:
        if len(variants[key]) > 1:
            out.append(entry)            # read differently in different places: every place
        elif key not in written:
            written.add(key)
            out.append(entry)
    data = {"v": PAYLOAD_VERSION, "h": js_han_pattern(),
            "d": "".join(c + spell(usual[c]) for c in sorted(usual)), "e": out}
    s = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    s = s.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029").replace("</", "<\\/")
    return f"window.wqPinyin&&wqPinyin.load({s});\n"
