"""Law importer: official law text → law YAML (see docs/dev/architecture.md, "Law YAML").

Two input layouts are detected automatically:

* Markdown (LawRefBook layout): ``# 标题``, history lines, ``<!-- INFO END -->``, ``#``…``####``
  headings for 编/分编/章/节, one article per paragraph starting ``第…条``.  Several documents
  joined in one file (each with its own ``# 标题`` … ``<!-- INFO END -->`` header, as the 民法典
  joins its 编) become one law.
* Plain text as copied from the official database: title on the first line, history lines,
  structural lines recognised by their wording (``第X编``/``第X分编``/``第X章``/``第X节``,
  ``附则``, ``序言``), a ``目录`` block that is skipped.

Every non-blank line is one paragraph.  Article and paragraph text is kept verbatim (only
leading/trailing whitespace is trimmed); headings have their padding spaces removed.

This module is a pure library: no mkdocs, no click.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Iterable

import yaml

from weiquan.content.citations import anchor_for
from weiquan.lawtext import infer
from weiquan.zh.numerals import NUMERAL_CHARS, cn_to_int, int_to_cn, parse_article_number

SCHEMA_COMMENT = "# yaml-language-server: $schema=../../schemas/law.schema.json"

# whitespace as found in official texts: ASCII, full-width (U+3000), NBSP, zero-width space, BOM
_WS = " \t\r\n\f\v\u3000\u00a0\u200b\ufeff"
_WS_CLASS = r"[\s\u3000\u00a0\u200b\ufeff]"
_NUM = f"[{NUMERAL_CHARS}\\d]"

# 第…条 / 第…条之一 at the start of a paragraph, followed by whitespace or the end of the line
ARTICLE_START_RE = re.compile(rf"^(第{_NUM}+条(?:之{_NUM}+)?)(?={_WS_CLASS}|$)")
# the same without a separator ("第五条用人单位…"): accepted only when the number is the next
# one in sequence and the text does not read like a reference ("第五条规定的…", "第五条第二款")
ARTICLE_TIGHT_RE = re.compile(
    rf"^(第{_NUM}+条(?:之{_NUM}+)?)(?![第款项、，。；：:,;和或至及规的中之（(“\"》〉])(?=\S)")
# numbered structural heading: 第X编 / 第X分编 / 第X章 / 第X节 (+ optional title)
HEADING_RE = re.compile(rf"^第(?P<num>{_NUM}+)(?P<kind>分编|编|章|节)(?:{_WS_CLASS}+(?P<title>.*))?$")
# a line that *looks like* a structural heading in plain text, numeral not yet validated
HEADING_LIKE_RE = re.compile(rf"^第(?P<num>[^{_WS}条款项]{{1,10}}?)(?P<kind>分编|编|章|节)(?:{_WS_CLASS}+|$)")
DATE_RE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
HISTORY_WORDS = ("通过", "修正", "修订", "公布", "发布", "施行", "批准")
APPENDIX_RE = re.compile(rf"^(附录|附件|附表)[{NUMERAL_CHARS}\d]*{_WS_CLASS}*([：:].{{0,40}})?$")
# part headings of judicial interpretations: 一、一般规定 (level 0) and （一）… (level 1)
SECTION_RE = re.compile(rf"^(?:(?P<a>[{NUMERAL_CHARS}]+)、|[（(](?P<b>[{NUMERAL_CHARS}]+)[）)])"
                        rf"{_WS_CLASS}*(?P<title>[^{_WS}。；，：;,:].{{0,30}})$")
INFO_END = "<!-- INFO END -->"
MD_HEADING_RE = re.compile(r"^(#{1,6})(?:[ \t\u3000]+(.*?))?[ \t\u3000#]*$")

RANK = {"编": 0, "分编": 1, "章": 2, "节": 3}
ISSUERS = ("全国人民代表大会常务委员会", "全国人民代表大会", "国务院", "最高人民法院",
           "最高人民检察院")


class LawImportError(Exception):
    """An import problem at a 1-based source line.  ``message`` is Chinese + (English hint)."""

    def __init__(self, message: str, line: int):
        self.message, self.line = message, line
        super().__init__(f"第 {line} 行：{message}")


# --------------------------------------------------------------------------- text helpers

def _strip(text: str) -> str:
    return text.strip(_WS)


def _squash(text: str) -> str:
    """Remove padding spaces between CJK characters, collapse the rest to one ASCII space."""
    text = re.sub(rf"(?<=[^\x00-\x7f]){_WS_CLASS}+(?=[^\x00-\x7f])", "", _strip(text))
    return re.sub(rf"{_WS_CLASS}+", " ", text)


def normalise_heading(text: str) -> str:
    """'第一章  基本规定' → '第一章 基本规定'; '第二节  监  护' → '第二节 监护'; '附  则' → '附则'."""
    text = _strip(text)
    m = re.match(rf"^(第{_WS_CLASS}*[^{_WS}]*?(?:分编|编|章|节))(?:{_WS_CLASS}+(.*))?$", text)
    if m and HEADING_RE.match(re.sub(_WS_CLASS, "", m.group(1))):
        number = re.sub(_WS_CLASS, "", m.group(1))
        title = _squash(m.group(2) or "")
        return f"{number} {title}" if title else number
    return _squash(text)


_SPACED_NUMBER_RE = re.compile(rf"^第{_WS_CLASS}*({_NUM}+){_WS_CLASS}*(分编|编|章|节|条)(?:{_WS_CLASS}*之{_WS_CLASS}*({_NUM}+))?")


def unspace_number(line: str) -> str:
    """'第 一 章　总则' → '第一章　总则', '第 三 条 …' → '第三条 …' (spaced numbers in local texts)."""
    m = _SPACED_NUMBER_RE.match(line)
    if not m or not re.search(_WS_CLASS, m.group(0)):
        return line
    number = f"第{m.group(1)}{m.group(2)}" + (f"之{m.group(3)}" if m.group(3) else "")
    return number + line[m.end():]


def _lines(text: str) -> list[str]:
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def _is_blank(line: str) -> bool:
    return not _strip(line)


def _next_in_sequence(key: tuple[int, int], prev: tuple[int, int] | None) -> bool:
    if prev is None:
        return key in ((1, 0),)
    return key in ((prev[0] + 1, 0), (prev[0], prev[1] + 1))


def _match_article(para: str, prev: tuple[int, int] | None) -> str | None:
    """The article number a paragraph starts with, or None (see ARTICLE_TIGHT_RE)."""
    m = ARTICLE_START_RE.match(para)
    if m:
        return m.group(1)
    m = ARTICLE_TIGHT_RE.match(para)
    if m:
        try:
            if _next_in_sequence(parse_article_number(m.group(1)), prev):
                return m.group(1)
        except ValueError:
            return None
    return None


def article_paragraph_lines(text: str) -> list[int]:
    """1-based lines of the paragraphs that begin with an article number ``第…条``.

    Independent of the importer's structure handling: used to prove no article was dropped.
    """
    found, prev = [], None
    for i, raw in enumerate(_lines(text), 1):
        para = unspace_number(_strip(raw))
        if found and APPENDIX_RE.match(_strip(para.lstrip("#"))):
            break  # 附件/附表/附录 after the articles: their text is not articles of the law
        if not para.startswith("第"):
            continue
        number = _match_article(para, prev)
        if number is None:
            continue
        try:
            prev = parse_article_number(number)
        except ValueError:
            continue
        found.append(i)
    return found


def count_article_paragraphs(text: str) -> int:
    """Number of paragraphs beginning with ``第<numeral>条`` (incl. ``第…条之一``)."""
    return len(article_paragraph_lines(text))


# --------------------------------------------------------------------------- history / dates

def is_history_line(line: str) -> bool:
    line = _strip(line)
    return bool(DATE_RE.search(line)) and any(w in line for w in HISTORY_WORDS) and len(line) < 400


history_events = infer.history_events  # kept for callers of the old name
_to_date = infer.to_date


def dates_from_history(lines: list[str]) -> dict[str, Any]:
    """adopted / amended / version / effective as far as the header lines say."""
    guesses = infer.dates(list(lines), [], [])
    return {k: guesses[k].value for k in ("adopted", "amended", "version", "effective")}


# --------------------------------------------------------------------------- parsing

class _Builder:
    """Collects parts and articles while lines are fed in order."""

    def __init__(self) -> None:
        self.root_parts: list[dict] = []
        self.root_articles: list[dict] = []
        self.stack: list[tuple[Any, dict]] = []  # (level, part) — level: md depth or rank
        self.article: dict | None = None
        self.article_lines: list[int] = []
        self.prev_key: tuple[int, int] | None = None
        self.prev_number: str | None = None
        self.kinds_seen: set[str] = set()
        self.created: list[dict] = []
        self.continued: set[int] = set()  # id() of parts whose heading took a second line

    def open_part(self, level: Any, kind: str, heading: str) -> None:
        while self.stack and self.stack[-1][0] >= level:
            self.stack.pop()
        part = {"kind": kind, "heading": heading, "parts": [], "articles": []}
        (self.stack[-1][1]["parts"] if self.stack else self.root_parts).append(part)
        self.stack.append((level, part))
        self.kinds_seen.add(kind)
        self.article = None

    def start_article(self, number: str, rest: str, line: int) -> None:
        try:
            key = parse_article_number(number)
        except ValueError:
            raise LawImportError(f"无法识别的条文编号「{number}」：应为 第<中文数字>条 (expected 第<中文数字>条)", line) from None
        if self.prev_key is not None and key <= self.prev_key:
            raise LawImportError(
                f"条文编号不递增：{number} 出现在 {self.prev_number} 之后，应在它之前或改为更大的编号 "
                f"(expected article numbers in increasing order)", line)
        self.prev_key, self.prev_number = key, number
        self.article = {"number": number, "paragraphs": [rest] if rest else [],
                        "note": None, "topics": []}
        (self.stack[-1][1]["articles"] if self.stack else self.root_articles).append(self.article)
        self.article_lines.append(line)
        self.created.append(self.article)

    def continue_heading(self, para: str) -> bool:
        """A heading broken over two lines: a short line without sentence punctuation right
        after a part heading (no article or sub-part yet) continues that heading."""
        if self.article is not None or not self.stack:
            return False
        part = self.stack[-1][1]
        if (part["articles"] or part["parts"] or id(part) in self.continued or len(para) > 40
                or re.search(r"[。；，：;,:！？]", para) or ARTICLE_START_RE.match(para)):
            return False
        part["heading"] += para
        self.continued.add(id(part))
        return True

    def add_paragraph(self, para: str, line: int) -> None:
        if self.article is None:
            raise LawImportError(
                f"段落不属于任何条文：「{para[:20]}」：结构标题之后应先有“第…条” (expected an article 第…条 after a heading)", line)
        self.article["paragraphs"].append(para)

    @property
    def started(self) -> bool:
        return bool(self.root_parts or self.root_articles)


def _split_article(para: str, number: str) -> str:
    return _strip(para[len(number):])


def _heading_kind(text: str) -> str | None:
    """Kind of a (normalised) heading from its wording, or None if not numbered."""
    m = HEADING_RE.match(text.split(" ")[0]) if text.startswith("第") else None
    return m.group("kind") if m else None


def parse_law_text(text: str, **options) -> dict:
    """Parse an official law text (Markdown or plain layout) into the law YAML layout; options as
    :func:`parse_with_guesses` (everything not given is read from the text, see
    weiquan.lawtext.infer). Raises LawImportError(message, line)."""
    return parse_with_guesses(text, **options)[0]


def parse_with_guesses(text: str, *, source_name: str = "<text>", slug: str | None = None,
                       short_name: str | None = None, aliases: list[str] | None = None,
                       kind: str | None = None, issuer: str | None = None,
                       status: str | None = None, effective: Any = None, adopted: Any = None,
                       version: Any = None, published: Any = None, first_effective: Any = None,
                       source_url: str | None = "https://flk.npc.gov.cn/",
                       replaced_by: str | None = None) -> tuple[dict, dict[str, infer.Guess]]:
    """(law data, {field: Guess}) — the guesses are what was read from the text, with reasons;
    a field given as an option is reported as such."""
    lines = _lines(text)
    markdown = any(ln.strip() == INFO_END or (ln.startswith("#") and MD_HEADING_RE.match(ln.strip()))
                   for ln in lines)
    parser = _parse_markdown if markdown else _parse_plain
    parsed = parser(lines)
    title, history, preface, builder, appendices = (parsed.title, parsed.history, parsed.preface, parsed.builder,
                                                    parsed.appendices)
    if not title:
        raise LawImportError("找不到标题：第一行应为法律名称 (expected the law's title on the first line)", 1)

    # never drop or merge an article
    expected = article_paragraph_lines(text)
    if len(expected) != len(builder.article_lines) or expected != builder.article_lines:
        got = set(builder.article_lines)
        missing = [ln for ln in expected if ln not in got]
        extra = [ln for ln in builder.article_lines if ln not in set(expected)]
        bad = (missing or extra or [1])[0]
        raise LawImportError(
            f"条文数不一致：原文 {len(expected)} 条，导入 {len(builder.article_lines)} 条；"
            f"本行的条文未被导入，应检查上方的标题或目录 (expected every 第…条 paragraph to become an article; check headings/目录 above)",
            bad)
    if not expected:
        raise LawImportError("没有找到任何条文：应有以“第…条”开头的段落 (expected paragraphs starting with 第…条)",
                             len(lines))
    for article, line in zip(builder.created, builder.article_lines):
        if not article["paragraphs"]:
            raise LawImportError(f"{article['number']} 没有条文内容：条文序号之后应有条文 (expected the article's text after its number)", line)

    history = infer.clean_history(history)
    given = "命令行参数指定 (given)"
    g: dict[str, infer.Guess] = {}
    g["short_name"] = infer.Guess(short_name, given) if short_name else infer.short_name(title)
    g["slug"] = infer.Guess(slug, given) if slug else infer.Guess(
        infer.slug_for(g["short_name"].value), "简称的拼音")
    g["aliases"] = infer.Guess(list(aliases), given) if aliases else infer.Guess(
        infer.name_aliases(g["short_name"].value, title), "简称的其他写法")
    g["issuer"] = infer.Guess(issuer, given) if issuer else infer.issuer(title, history, preface)
    g["kind"] = infer.Guess(kind, given) if kind else infer.kind(title, history, preface, g["issuer"].value)
    articles = [a for a in builder.created]
    dates = infer.dates(history, preface, articles)
    for key, value in (("adopted", adopted), ("version", version), ("published", published),
                       ("effective", effective), ("first_effective", first_effective)):
        if value not in (None, ""):
            dates[key] = infer.Guess(_to_date(value), given)
    if adopted and not dates["version"].value:
        dates["version"] = infer.Guess(_to_date(adopted), "与通过日期相同")
    g.update(dates)
    if (g["first_effective"].value and g["effective"].value
            and g["first_effective"].value == g["effective"].value):
        g["first_effective"] = infer.Guess(None, "与本版本施行日期相同")
    g["status"] = infer.Guess(status, given) if status else (
        infer.Guess("已修改", "给出了 --replaced-by") if replaced_by else infer.Guess("有效", "默认"))
    data: dict[str, Any] = {
        "slug": g["slug"].value,
        "title": title,
        "short_name": g["short_name"].value,
        "aliases": g["aliases"].value,
        "kind": g["kind"].value,
        "issuer": g["issuer"].value,
        "adopted": g["adopted"].value,
        "published": g["published"].value,
        "amended": g["amended"].value,
        "effective": g["effective"].value,
        "first_effective": g["first_effective"].value,
        "status": g["status"].value,
        "version": g["version"].value,
        "source_url": source_url,
        "replaced_by": replaced_by,
        "history": history,
        "preface": preface,
        "parts": builder.root_parts,
        "articles": builder.root_articles,
        "appendices": appendices,
    }
    return data, g


def _appendix_start(para: str, builder: _Builder) -> bool:
    return builder.article is not None and bool(APPENDIX_RE.match(para))


def _section_heading(text: str) -> tuple[int, int] | None:
    """(level, number) of a judicial interpretation's part heading 一、… (0) / （一）… (1)."""
    m = SECTION_RE.match(text)
    if not m or text[-1] in "。；，：;,:、":
        return None
    try:
        return (0, cn_to_int(m.group("a"))) if m.group("a") else (1, cn_to_int(m.group("b")))
    except ValueError:
        return None


@dataclass
class _Parsed:
    """What a parser reads from a text: title, header lines, preface, the structure, appendices."""
    title: str = ""
    history: list[str] = field(default_factory=list)
    preface: list[str] = field(default_factory=list)
    builder: "_Builder" = field(default_factory=lambda: _Builder())
    appendices: list[dict] = field(default_factory=list)


def _parse_markdown(lines: list[str]) -> _Parsed:
    doc = _Parsed()
    b = doc.builder
    in_header = False
    mode = "body"  # body | preface (序言) | toc (目录)
    toc_level = 0
    level_kind: dict[int, str] = {}
    has_info_end = any(ln.strip() == INFO_END for ln in lines)

    for no, raw in enumerate(lines, 1):
        line = _strip(raw)
        if not line:
            continue
        if doc.appendices or (b.article is not None and line.startswith("#")
                          and APPENDIX_RE.match(_strip(line.lstrip("#")))):
            text = _strip(line.lstrip("#")) if line.startswith("#") else line
            if APPENDIX_RE.match(text):
                doc.appendices.append({"heading": _squash(text), "paragraphs": []})
            elif text:
                doc.appendices[-1]["paragraphs"].append(text)
            continue
        if line == INFO_END:
            in_header = False
            continue
        if line.startswith("<!--") and line.endswith("-->"):
            continue  # other HTML comments carry no text of the law
        hm = MD_HEADING_RE.match(line) if line.startswith("#") else None
        if hm:
            level, htext = len(hm.group(1)), _strip(hm.group(2) or "")
            if not doc.title and level == 1:
                doc.title, in_header = htext, True
                continue
            if level == 1 and htext == doc.title:  # next joined document: a new header block
                in_header = True
                continue
            if not htext:
                continue  # empty heading ("##") — carries no structure
            heading = normalise_heading(htext)
            if mode == "toc" and level > toc_level:
                continue
            mode = "body"
            bare = heading.replace(" ", "")
            if bare == "序言":
                doc.preface.append(heading)
                mode = "preface"
                continue
            if bare == "目录":
                mode, toc_level = "toc", level
                continue
            kind = _heading_kind(heading)
            if kind is not None:
                level_kind.setdefault(level, kind)
            elif bare == "附则":
                kind = "附则"  # an unnumbered 附则 part (民法典); numbered ones are 章
            elif _section_heading(bare):
                kind = "部分"  # 一、一般规定 / （一）… of a judicial interpretation
            elif level == 1 or (bare.endswith("编") and len(bare) <= 12):
                kind = "编"  # an unnumbered 编 of a joined code (# 总则, # 物权编)
            elif bare in ("总则", "分则"):
                kind = level_kind.get(level) or min(
                    (k for k in b.kinds_seen if k in RANK), key=RANK.get, default="章")
            else:
                raise LawImportError(
                    f"无法识别的结构标题「{htext}」：应为 第…编/分编/章/节、一、…、（一）… 或 附则、附件 (expected 编/分编/章/节 heading)", no)
            b.open_part(level, kind, heading)
            continue
        if mode == "toc":
            continue
        if in_header and not has_info_end and not is_history_line(line):
            in_header = False  # no <!-- INFO END --> marker: the header ends with the history
        if in_header:
            if ARTICLE_START_RE.match(line):
                raise LawImportError(
                    f"条文出现在标题信息区（{INFO_END} 之前）：这里应只有制定和修改经过 (expected history lines only, article inside the header block)", no)
            if line not in doc.history:
                doc.history.append(line)
            continue
        if not doc.title:
            raise LawImportError("第一行应为 “# 标题” (expected '# title' first)", no)
        line = unspace_number(line)
        number = _match_article(line, b.prev_key) if line.startswith("第") else None
        if number:
            mode = "body"
            b.start_article(number, _split_article(line, number), no)
        elif mode == "preface" or (b.article is None and not b.stack and not b.started):
            doc.preface.append(line)
        elif _appendix_start(line, b):
            doc.appendices.append({"heading": line, "paragraphs": []})
        elif not b.continue_heading(line):
            b.add_paragraph(line, no)
    return doc


def _plain_heading(line: str, no: int) -> tuple[str, str] | None:
    """(kind, heading) if the plain-text line is a structural heading; raise if malformed."""
    bare = re.sub(_WS_CLASS, "", line)
    if bare in ("序言", "目录", "附则", "总则", "分则"):
        return bare, bare
    m = HEADING_LIKE_RE.match(line)
    if not m or len(line) > 60 or line[-1] in "。；，：;,:":
        return None
    if not HEADING_RE.match(re.sub(_WS_CLASS, "", m.group(0)) or ""):
        try:
            cn_to_int(m.group("num"))
        except ValueError:
            raise LawImportError(
                f"无法识别的结构标题「{line}」：应为 第<中文数字>章 … (expected 编/分编/章/节 heading: 第<中文数字>章 …)",
                no) from None
    return m.group("kind"), normalise_heading(line)


def _title_ending(text: str) -> bool:
    bare = re.sub(r"（[^（）]*）$", "", text)
    return bare.endswith(infer.TITLE_ENDINGS)


def _title_continues(title: str, line: str) -> bool:
    """A plain title broken over lines: the title so far does not end like a title, the line
    is short, has no sentence punctuation or date, and the joined text ends like a title."""
    if _title_ending(title) or len(line) > 40 or DATE_RE.search(line):
        return False
    if re.search(r"[。；，：;,:]", line) or ARTICLE_START_RE.match(line) or HEADING_LIKE_RE.match(line):
        return False
    return _title_ending(title + _squash(line))


def _next_text(lines: list[str], index: int) -> str:
    for raw in lines[index:]:
        if _strip(raw):
            return unspace_number(_strip(raw))
    return ""


def _parse_plain(lines: list[str]) -> _Parsed:
    doc = _Parsed()
    b = doc.builder
    mode = "header"  # header | toc | preface | body
    toc: list[str] = []
    sections: dict[int, int] = {}  # level → number of the open 一、 (0) / （一） (1) part heading

    for no, raw in enumerate(lines, 1):
        line = _strip(raw)
        if not line:
            continue
        if doc.appendices:
            if APPENDIX_RE.match(line):
                doc.appendices.append({"heading": _squash(line), "paragraphs": []})
            else:
                doc.appendices[-1]["paragraphs"].append(line)
            continue
        if not doc.title:
            doc.title = _squash(line)
            continue
        if mode == "header" and not doc.history and not doc.preface and _title_continues(doc.title, line):
            doc.title += _squash(line)   # a title broken over two lines
            continue
        line = unspace_number(line)
        number = _match_article(line, b.prev_key) if line.startswith("第") else None
        heading = None if number else _plain_heading(line, no)
        section = None if number or heading else _section_heading(line)
        if section is not None:
            # a part heading only if it continues the numbering and an article (or a
            # lower part heading) follows; otherwise it is an item (项) of an article
            level, n = section
            follows = _next_text(lines, no)
            ok_next = (ARTICLE_START_RE.match(follows) or _match_article(follows, b.prev_key)
                       or (level == 0 and _section_heading(follows) == (1, 1)))
            ok_seq = n == sections.get(level, 0) + 1
            if ok_next and not ok_seq and level == 0 and sections:
                raise LawImportError(
                    f"结构标题「{line}」编号不连续：应为“{int_to_cn(sections[0] + 1)}、…” (expected part {sections[0] + 1}、… after "
                    f"part {sections[0]}、…)", no)
            if ok_next and ok_seq:
                sections = {k: v for k, v in sections.items() if k < level}
                sections[level] = n
                mode = "body"
                b.open_part(RANK["章"] + level, "部分", _squash(line))
                continue

        if mode == "toc":
            if heading and not toc:
                toc.append(heading[1])
                continue
            if heading and heading[1] != toc[0]:
                toc.append(heading[1])
                continue
            mode = "body"  # first entry repeated, or real text: the table of contents is over

        if heading:
            kind, text = heading
            if kind == "目录":
                mode, toc = "toc", []
                continue
            if kind == "序言":
                doc.preface.append(text)
                mode = "preface"
                continue
            top = min((k for k in b.kinds_seen if k in RANK), key=RANK.get, default="章")
            if kind in ("总则", "分则"):
                kind = top
            mode = "body"
            # an unnumbered 附则 closes every open part and sits at the top level
            b.open_part(RANK[top] if kind == "附则" else RANK[kind], kind, text)
            continue
        if number:
            mode = "body"
            b.start_article(number, _split_article(line, number), no)
            continue
        if mode == "header":
            (doc.history if is_history_line(line) else doc.preface).append(line)
        elif mode == "preface":
            doc.preface.append(line)
        elif _appendix_start(line, b):
            doc.appendices.append({"heading": _squash(line), "paragraphs": []})
        elif not b.continue_heading(_squash(line)):
            b.add_paragraph(line, no)
    return doc


# --------------------------------------------------------------------------- re-import

def iter_articles(data: dict) -> Iterable[dict]:
    def walk(parts: list[dict]):
        for part in parts:
            yield from part.get("articles") or []
            yield from walk(part.get("parts") or [])
    yield from data.get("articles") or []
    yield from walk(data.get("parts") or [])


def merge_reimport(old: dict, new: dict, *, overrides: dict | None = None) -> tuple[dict, list[str]]:
    """Merge a fresh import into an existing law YAML.

    Keeps the old slug, short_name, aliases, kind, issuer, source_url, status and replaced_by
    (unless given in ``overrides``), and the notes and topics of articles whose number still
    exists.  Returns (merged data, anchors of old articles that no longer exist).
    """
    overrides = {k: v for k, v in (overrides or {}).items() if v not in (None, "", [], ())}
    merged = dict(new)
    for key in ("slug", "short_name", "aliases", "kind", "issuer", "source_url", "status",
                "replaced_by"):
        if key in overrides:
            merged[key] = overrides[key]
        elif old.get(key) not in (None, "", []):
            merged[key] = old[key]
    for key in ("adopted", "published", "version", "first_effective"):
        if key in overrides:
            merged[key] = _to_date(overrides[key])
        elif merged.get(key) is None and old.get(key) is not None:
            merged[key] = _to_date(old[key])   # a date the text does not state, kept
    if "effective" in overrides:
        merged["effective"] = _to_date(overrides["effective"])
    elif merged.get("effective") is None and _to_date(old.get("version")) == merged.get("version"):
        merged["effective"] = _to_date(old.get("effective"))

    old_articles = {anchor_for(parse_article_number(a["number"])): a for a in iter_articles(old)}
    new_anchors = set()
    for article in iter_articles(merged):
        anchor = anchor_for(parse_article_number(article["number"]))
        new_anchors.add(anchor)
        prev = old_articles.get(anchor)
        if prev:
            if prev.get("note"):
                article["note"] = prev["note"]
            if prev.get("topics"):
                article["topics"] = list(prev["topics"])
    vanished = [a for a in old_articles if a not in new_anchors]
    return merged, vanished


# --------------------------------------------------------------------------- YAML output

class _Dumper(yaml.SafeDumper):
    """Block style with indented sequences, like the examples in the docs."""

    def increase_indent(self, flow: bool = False, indentless: bool = False):
        return super().increase_indent(flow, False)

    def ignore_aliases(self, data: Any) -> bool:  # no &id001 anchors for repeated dates
        return True


def _represent_str(dumper: yaml.SafeDumper, value: str):
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


_Dumper.add_representer(str, _represent_str)


def dump_law_yaml(data: dict) -> str:
    """Readable YAML: schema comment line, block style, keys in order, dates as YYYY-MM-DD."""
    body = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False,
                     default_flow_style=False, width=1_000_000, indent=2)
    return f"{SCHEMA_COMMENT}\n{body}"


def load_law_yaml(text: str) -> dict:
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
