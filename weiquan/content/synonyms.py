"""content/synonyms.yaml: the everyday-language thesaurus of the search, and
content/synonyms-local.yaml: the words of one county, which its editors add without touching
the national list.

Each entry maps how people speak (``words``: 老公, 打我, 没钱请律师) to the words the laws and
guides use (``means``: 丈夫, 家庭暴力, 法律援助).  A query holding one of the words also finds
pages with any of its meanings (:class:`weiquan.zh.terms.Rules`).  Both files have the same
form and checks, and their entries add up (a word in both has the meanings of both).  Checked
when content is loaded: every word and meaning is 汉字 only, and every meaning must occur
somewhere in the site's content (else the entry could never find anything) — problems name the
file and line.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Callable, Iterator

from pydantic import ValidationError

from weiquan.content.model import Synonyms
from weiquan.content.yamlload import YamlSyntaxError, line_of, load_yaml, read_content_file
from weiquan.zh.han import HAN_BMP
from weiquan.zh.terms import normalize_text, t2s_pairs

FILE = "synonyms.yaml"
LOCAL_FILE = "synonyms-local.yaml"     # a county's own words (same form)
FILES = (FILE, LOCAL_FILE)
_HANZI_RE = re.compile(f"[{HAN_BMP}]+")

Report = Callable[[Path, int, str, str], None]


class Thesaurus:
    """The loaded thesaurus: ``words`` → meanings, plus where each meaning was written."""

    def __init__(self) -> None:
        self.words: dict[str, list[str]] = {}
        self.meaning_lines: list[tuple[str, Path, int]] = []   # (normalised meaning, file, line)
        self.entries = 0

    def add(self, words: list[str], means: list[str]) -> None:
        self.entries += 1
        for w in words:
            cur = self.words.setdefault(w, [])
            for m in means:
                if m != w and m not in cur:
                    cur.append(m)
            if not cur:
                del self.words[w]

    @property
    def terms(self) -> int:
        """How many distinct words and meanings the thesaurus knows."""
        return len(set(self.words) | {m for ms in self.words.values() for m in ms})


def load_thesaurus(root: Path, report: Report) -> Thesaurus:
    """Read content/synonyms.yaml and content/synonyms-local.yaml (absent: nothing from it).
    Problems go to ``report``."""
    th = Thesaurus()
    for name in FILES:
        path = Path(root) / name
        if path.exists():
            _load_file(th, path, report)
    return th


def _load_file(th: Thesaurus, path: Path, report: Report) -> None:
    try:
        data = load_yaml(read_content_file(path))
    except YamlSyntaxError as exc:
        report(path, exc.line, f"YAML 语法错误：{exc.message}" if exc.en == "YAML syntax error" else exc.message, exc.en)
        return
    if data is None:
        return
    if not isinstance(data, dict):
        report(path, getattr(data, "line", 1), "同义词表应以 entries: 开头，下面每条写 words 和 means",
               "expected a mapping with entries:")
        return
    try:
        model = Synonyms.model_validate(dict(data))
    except ValidationError as exc:
        for err in exc.errors():
            loc = tuple(err["loc"])
            where = "第 {} 条".format(loc[1] + 1) if len(loc) > 1 and isinstance(loc[1], int) else ""
            field = {"words": "words（日常说法）", "means": "means（法律用词）"}.get(str(loc[2]) if len(loc) > 2 else "", "")
            kind = err["type"]
            if kind == "missing":
                zh = f"{where}缺少 {field or loc[-1]}"
            elif kind == "too_short":
                zh = f"{where}的 {field or loc[-1]} 至少要写一个词"
            elif kind == "extra_forbidden":
                zh = f"{where}有不认识的键“{loc[-1]}”：每条只能写 words、means（和 note）"
            elif kind == "string_type":
                zh = f"{where}的 {field or loc[-1]}里“{err.get('input')}”只能写汉字的词语"
            elif kind == "list_type":
                zh = f"{where}的 {field or loc[-1]} 应为词语列表，如 [老公, 丈夫]"
            else:
                zh = f"{where}写法有误：{err['msg']}"
            report(path, line_of(data, loc), zh, f"synonyms: {err['msg']}")
        return
    for i, entry in enumerate(model.entries):
        ok = True
        cleaned: dict[str, list[str]] = {}
        for key in ("words", "means"):
            vals = []
            for j, value in enumerate(getattr(entry, key)):
                v = normalize_text(value).replace(" ", "")
                line = line_of(data, ("entries", i, key, j))
                if not _HANZI_RE.fullmatch(v):
                    report(path, line, f"“{value}”只能写汉字（不要写拼音、数字或标点；一个词写一项）",
                           "synonyms: hanzi only")
                    ok = False
                elif key == "means" and len(v) < 2:
                    report(path, line, f"法律用词“{value}”太短：至少写两个字", "synonyms: meaning too short")
                    ok = False
                else:
                    vals.append(v)
                    if key == "means":
                        th.meaning_lines.append((v, path, line))
            cleaned[key] = vals
        if ok:
            th.add(cleaned["words"], cleaned["means"])


def searchable_text(content) -> str:
    """All text the site's search indexes (laws, guides, cases, stations, campaigns, hotlines)."""
    return "\n".join(searchable_parts(content))


def searchable_parts(content) -> Iterator[str]:
    """searchable_text in parts, each of its texts whole: the settings, laws, guides and cases
    first, then stations and campaigns (at national scale most of the text, seldom needed)."""
    from weiquan.content.library import iter_articles
    parts: list[str] = []
    s = content.settings
    parts += [s.name, s.region, s.description or ""]
    for h in s.hotlines:
        parts += [h.label, h.description or "", *h.questions]
    for law in content.laws:
        parts += [law.title, law.short_name, *law.aliases, *law.history, *law.preface]
        for art in iter_articles(law):
            parts += [*art.paragraphs, *art.topics]
    for g in content.guides:
        parts += [g.title, g.meta.summary or "", g.body, *g.meta.topics, *g.meta.questions]
    for c in content.cases:
        parts += [c.title, c.summary or "", c.facts or "", c.outcome or "", c.explanation or "",
                  *c.topics, *c.questions]
    yield "\n".join(p for p in parts if isinstance(p, str))
    parts = []
    for st in content.stations:
        parts += [st.name, st.kind, st.address, st.hours, *st.services]
    for camp in content.campaigns:
        parts += [camp.name, camp.theme or "", camp.description or ""]
        parts += [f"{e.activity} {e.place}" for e in camp.events]
    yield "\n".join(p for p in parts if isinstance(p, str))


def law_names(content) -> list[str]:
    """Names of the laws (short names, aliases, titles), 汉字 only, normalised."""
    out = []
    for law in content.laws:
        for name in (law.title, law.short_name, *law.aliases):
            n = normalize_text(name or "").replace(" ", "")
            if _HANZI_RE.fullmatch(n or "-") and len(n) >= 3:
                out.append(n)
    return out


def check_meanings(th: Thesaurus, content, path: Path | None, report: Report) -> None:
    """Every meaning must occur in the site's content: a meaning nothing holds finds nothing
    (reported at the file and line where it is written; ``path`` is not used any more).
    Also adds the law names to the thesaurus as words kept whole (no meanings), so a query for
    反家暴法 is read as that name and not as 反 + 家暴 + 法."""
    for name in law_names(content):
        if name not in th.words:
            th.words[name] = []
    if not th.meaning_lines:
        return
    pairs = t2s_pairs()
    table = {ord(pairs[i]): pairs[i + 1] for i in range(0, len(pairs), 2)}
    missing = {term for term, _where, _line in th.meaning_lines}
    for part in searchable_parts(content):   # (a meaning is 汉字 only: never across two texts)
        if not missing:
            break
        hay = part.translate(table)
        missing = {term for term in missing if term not in hay}
    for term, where, line in th.meaning_lines:
        if term in missing:
            report(where, line, f"法律用词“{term}”在网站的法律、指南、案例和服务站里都找不到，搜索时用不上："
                               "请改成内容里实际用的说法", "synonyms: unknown target term")
