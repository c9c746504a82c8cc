"""The number rule: every deadline, amount, age, multiple or number of days a guide, case or form
states must appear in one of the articles it cites (issue 14, legal accuracy; issue 24, point 7).

Numbers are compared by value and unit, Chinese and Arabic numerals alike: “98天” matches
“九十八日” in an article, “五万元” matches “5万元”, “一周岁” matches “1岁”. Article numbers
(第二十三条), dates (2026年1月1日), phone numbers (12338) and counts without a unit are not legal
quantities and are ignored. Checked text: a guide's title, summary, questions and body (against
every article the guide cites); a case's title, summary, outcome, explanation and questions — not
its facts, which tell an invented story (“在公司工作三年”); a form's texts, each against its own
citation (text without one: against every article the form cites).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction
from typing import Callable, Iterable, Optional

from weiquan.content.citations import SHORTCODE_RE
from weiquan.content.library import Content, Guide
from weiquan.content.model import Case, Citation, Form
from weiquan.content.yamlload import line_of
from weiquan.zh.numerals import cn_to_int

_CN = "〇零一二两三四五六七八九十百千万"
_NUM = rf"(?:\d+(?:\.\d+)?万?|[{_CN}]+)"

# Units, longest first; each maps to a canonical unit so that 日 == 天, 周岁 == 岁, 个月 == 月.
_UNITS = [
    ("个工作日", "工作日"), ("工作日", "工作日"), ("个小时", "小时"), ("小时", "小时"),
    ("个星期", "周"), ("星期", "周"), ("周岁", "岁"), ("周年", "年"), ("个月", "月"),
    ("万元", "万元"), ("元", "元"), ("日", "日"), ("天", "日"), ("周", "周"),
    ("年", "年"), ("岁", "岁"), ("倍", "倍"),
]
_UNIT_RE = "|".join(re.escape(u) for u, _ in _UNITS)
_CANON = dict(_UNITS)

# A number is not counted when it continues a numeral or an ordinal (第二十三条), follows a
# demonstrative (同一天, 这一年) or is a vague count (几百元, 数十日).
_LEFT = rf"(?<![第\d.{_CN}同这那某哪几数])"
_QUANTITY_RE = re.compile(
    rf"{_LEFT}(?P<num>{_NUM}|半)[ \u00a0]?(?:(?P<unit>{_UNIT_RE})(?!级|代|底|初)"
    rf"|分之(?P<part>{_NUM}))")
_PERCENT_RE = re.compile(rf"{_LEFT}(?P<num>\d+(?:\.\d+)?)\s*[%％]")

# Dates and years are not quantities: 2026年1月1日, 1月1日, 二〇二三年, 2023年.
_DATE_RES = [
    re.compile(rf"(?:\d{{4}}|[〇零一二三四五六七八九]{{4}})年(?:{_NUM}月(?:{_NUM}[日号])?)?"),
    re.compile(rf"(?<![\d{_CN}]){_NUM}月{_NUM}[日号]"),
    re.compile(rf"(?<![\d{_CN}个]){_NUM}月(?:份)?"),
]
_LINK_URL_RE = re.compile(r"\]\([^)]*\)")
_COMMENT_RE = re.compile(r"<!--.*?-->", re.S)

Quantity = tuple[Fraction, str]
Report = Callable[..., None]   # report(path, line, zh, en)


def cn_number(text: str) -> Fraction:
    """'九十八' -> 98, '二十四' -> 24, '一万' -> 10000, '5万' -> 50000, '1.5' -> 3/2, '一〇五' -> 105."""
    if text.endswith("万") and len(text) > 1:
        return cn_number(text[:-1]) * 10000
    if re.fullmatch(r"\d+(?:\.\d+)?", text):
        return Fraction(text)
    if "万" in text:
        high, low = text.split("万", 1)
        return cn_number(high) * 10000 + (cn_number(low) if low else 0)
    return Fraction(cn_to_int(text))


def plain(text: str) -> str:
    """Text as a reader sees it: shortcodes become their label, link targets and comments go,
    dates become blanks."""
    text = SHORTCODE_RE.sub(lambda m: m.group(3) or "", text)
    text = _COMMENT_RE.sub("", text).replace("**", "")
    text = _LINK_URL_RE.sub("]", text)
    for date_re in _DATE_RES:
        text = date_re.sub(" ", text)
    return text


def quantities(text: str) -> dict[Quantity, str]:
    """Legal quantities stated in text: (value, canonical unit) -> first spelling found."""
    text = plain(text)
    found: dict[Quantity, str] = {}
    for m in _QUANTITY_RE.finditer(text):
        num = m.group("num")
        try:
            value = Fraction(1, 2) if num == "半" else cn_number(num)
        except (KeyError, ValueError):
            continue
        if m.group("unit"):
            unit = _CANON[m.group("unit")]
            if unit == "万元":
                value, unit = value * 10000, "元"
        else:  # 三分之二, 百分之十
            try:
                part = cn_number(m.group("part"))
            except (KeyError, ValueError):
                continue
            if not value:
                continue
            value, unit = part / value, "比例"
        found.setdefault((value, unit), m.group(0))
    for m in _PERCENT_RE.finditer(text):
        found.setdefault((Fraction(m.group("num")) / 100, "比例"), m.group(0))
    return found


# ---- what is checked against what ---------------------------------------------------------

@dataclass
class Piece:
    """Text checked against some articles; `loc` (a YAML path) or `line` says where it is."""
    text: str
    cites: Optional[list[Citation]]    # None: every article the entry cites
    loc: tuple = ()
    line: int = 0


def pieces(entry) -> list[Piece]:
    if isinstance(entry, Guide):
        meta = entry.meta
        out = [Piece(meta.title, None, ("title",))]
        if meta.summary:
            out.append(Piece(meta.summary, None, ("summary",)))
        out += [Piece(q, None, ("questions", i)) for i, q in enumerate(meta.questions)]
        # comments may span lines: blank them first, keeping the line count
        body = _COMMENT_RE.sub(lambda m: "\n" * m.group(0).count("\n"), entry.body)
        out += [Piece(line, None, line=n) for n, line in enumerate(body.splitlines(), entry.body_line)
                if line.strip()]
        return out
    if isinstance(entry, Case):
        out = [Piece(entry.title, None, ("title",))]
        for key in ("summary", "outcome", "explanation"):
            if getattr(entry, key):
                out.append(Piece(getattr(entry, key), None, (key,)))
        return out + [Piece(q, None, ("questions", i)) for i, q in enumerate(entry.questions)]
    if isinstance(entry, Form):
        return _form_pieces(entry)
    return []


def _form_pieces(form: Form) -> list[Piece]:
    def cited(text, cite, loc):
        return Piece(text, [cite] if cite else None, loc)

    out = [Piece(form.title, None, ("title",)), Piece(form.privacy, None, ("privacy",)),
           Piece(form.notice, None, ("notice",)), Piece(form.document_title, None, ("document_title",))]
    if form.summary:
        out.append(Piece(form.summary, None, ("summary",)))
    for i, step in enumerate(form.steps):
        out.append(Piece(step.title, None, ("steps", i, "title")))
        if step.intro:
            out.append(cited(step.intro, step.cite, ("steps", i, "intro")))
        for j, field in enumerate(step.fields):
            out.append(Piece(" ".join([field.label, field.document, *field.options]), None, ("steps", i, "fields", j)))
        out += [cited(n.text, n.cite, ("steps", i, "notes", j, "text")) for j, n in enumerate(step.notes)]
    for key in ("measures", "evidence"):
        for i, choice in enumerate(getattr(form, key)):
            out.append(cited(" ".join(filter(None, [choice.label, choice.request, choice.item])), choice.cite, (key, i)))
    out.append(cited(form.court.rule, form.court.cite, ("court", "rule")))
    if form.closing:
        out.append(cited(form.closing.text, form.closing.cite, ("closing", "text")))
    for key in ("facts", "help"):
        out += [cited(t.text, t.cite, (key, i, "text")) for i, t in enumerate(getattr(form, key))]
    out += [Piece(text, None, ("bring", i)) for i, text in enumerate(form.bring)]
    return out


class Checker:
    """One check: each article's quantities and each entry's citations are read once."""

    def __init__(self, content: Content):
        self.content = content
        self._article_q: dict[int, set[Quantity]] = {}
        self._entry_cited: dict[int, list] = {}
        self._allowed: dict[tuple, set[Quantity]] = {}

    def allowed(self, cited: list) -> set[Quantity]:
        key = tuple(id(article) for _, article in cited)   # articles live as long as the content
        if key not in self._allowed:
            self._allowed[key] = self._union(cited)
        return self._allowed[key]

    def _union(self, cited: Iterable) -> set[Quantity]:
        out: set[Quantity] = set()
        for _, article in cited:
            key = id(article)
            if key not in self._article_q:
                self._article_q[key] = set(quantities("\n".join(article.paragraphs)))
            out |= self._article_q[key]
        return out

    def cited(self, entry, piece: Piece) -> list:
        """(law, article) pairs the piece is checked against, without repeats; a citation that
        does not resolve is left out (the loader reports it)."""
        if piece.cites is not None:
            return self._resolve(piece.cites)
        key = id(entry)
        if key not in self._entry_cited:
            self._entry_cited[key] = self._resolve(self._entry_refs(entry))
        return self._entry_cited[key]

    @staticmethod
    def _entry_refs(entry) -> list:
        if isinstance(entry, Guide):
            return [(m.group(1), m.group(2)) for m in SHORTCODE_RE.finditer(entry.body) if m.group(2)]
        if isinstance(entry, Form):
            return [c for _, c in entry.citations()]
        return list(entry.citations)

    def _resolve(self, refs) -> list:
        out: dict[int, tuple] = {}
        for ref in refs:
            try:
                law, art = self.content.resolve_ref(*ref) if isinstance(ref, tuple) else self.content.resolve(ref)
            except LookupError:
                continue
            out.setdefault(id(art), (law, art))
        return list(out.values())

    def unsupported(self, entry) -> list[tuple[Piece, str, list[str]]]:
        """(piece, spelling, cited article names) for each quantity a piece states that none of
        the articles it is checked against holds; a piece's repeats are one."""
        out = []
        for piece in pieces(entry):
            stated = quantities(piece.text)
            if not stated:
                continue
            cited = self.cited(entry, piece)
            allowed = self.allowed(cited)
            missing = [spelling for key, spelling in stated.items() if key not in allowed]
            if missing:
                names = [f"《{law.short_name}》{art.number}" for law, art in cited]
                out += [(piece, spelling, names) for spelling in missing]
        return out


def unsupported(content: Content, entry) -> list[tuple[str, list[str]]]:
    """Quantities the entry states that none of its cited articles contains, with the citations
    (each quantity once)."""
    out: dict[Quantity, tuple[str, list[str]]] = {}
    for _, spelling, names in Checker(content).unsupported(entry):
        out.setdefault(next(iter(quantities(spelling))), (spelling, names))
    return list(out.values())


def _line(source, piece: Piece, spelling: str) -> int:
    """The line holding the spelling: from the piece's first line on (a block of text may span
    several lines), else that first line."""
    first = piece.line or line_of(source.data, piece.loc)
    try:
        lines = source.path.read_text(encoding="utf-8-sig", errors="replace").splitlines()
    except OSError:
        return first
    for n in range(first, min(len(lines), first + 200) + 1):
        if spelling in plain(lines[n - 1]):
            return n
    return first


def _names(names: list[str]) -> str:
    if not names:
        return "无"
    return "、".join(names[:4]) + (f" 等 {len(names)} 条" if len(names) > 4 else "")


def check_numbers(content: Content, report: Report) -> None:
    """Report every quantity (期限、金额、天数、年龄、倍数) in a guide, case or form that none of
    the articles it cites states, with its file and line."""
    checker = Checker(content)
    for entry in [*content.guides, *content.cases, *content.forms]:
        source = content.source(entry)
        if source is None:
            continue
        for piece, spelling, names in checker.unsupported(entry):
            report(source.path, _line(source, piece, spelling),
                   f"“{spelling}”在所引条文中找不到（所引：{_names(names)}）：期限、金额、天数、年龄等数字"
                   "必须是所引条文写明的；请核对数字，或者引用规定这个数字的条文",
                   "number not stated by any cited article")
