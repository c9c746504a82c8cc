"""What an official text says about itself: short name, slug, kind, issuer, dates.

General rules only (no per-law tables).  Every guess comes with the reason it was made, so
``weiquan import-law`` can print it and the editor can correct it with an option.
"""

from __future__ import annotations

import datetime as _dt
import functools
import re
from dataclasses import dataclass
from typing import Any, Iterable, Optional

from weiquan.zh.han import HAN_CLASS
from weiquan.zh.numerals import NUMERAL_CHARS

HAN = f"[{HAN_CLASS}]"   # one 汉字

DATE_RE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
SUPREME = ("最高人民法院", "最高人民检察院")
TITLE_ENDINGS = ("法", "法典", "条例", "规定", "办法", "细则", "规则", "解释", "决定", "批复",
                 "意见", "规程", "通知", "章程", "纲要", "准则", "标准")
# 本法自2026年1月1日起施行 / 本规定自公布之日起施行 / 本解释自2021年1月1日起施行
COMMENCE_RE = re.compile(r"^本(?:法|法典|条例|规定|办法|细则|规则|解释|决定)(?:（[^（）]*）)?"
                         r"自(?P<when>\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|公布之日|发布之日|印发之日)"
                         r"起(?:施行|生效)")
_ORGAN_RE = re.compile(
    r"(?P<organ>(?:" + HAN + r"{2,12}?(?:省|自治区|市|自治州|县|区))?(?:第[" + NUMERAL_CHARS + r"]+届)?"
    r"(?:全国)?人民代表大会(?:常务委员会)?"
    r"|国务院(?!" + HAN + r"*(?:部|委员会|总局|署|局)令)"
    r"|最高人民法院|最高人民检察院"
    r"|" + HAN + r"{2,20}?(?:部|委员会|总局|署|局|办公厅)(?=令|第|务会议|[\d]))")


@dataclass
class Guess:
    value: Any
    reason: str


def to_date(value: Any) -> Optional[_dt.date]:
    if value is None or value == "":
        return None
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    return _dt.date.fromisoformat(str(value).strip())


def _date(m: re.Match) -> Optional[_dt.date]:
    try:
        return _dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


# --------------------------------------------------------------------------- names

def short_name(title: str) -> Guess:
    """中华人民共和国治安管理处罚法 → 治安管理处罚法; 最高人民法院关于适用《中华人民共和国民法典》
    婚姻家庭编的解释（一） → 民法典婚姻家庭编解释（一）; 女职工劳动保护特别规定（国务院令第619号）
    → 女职工劳动保护特别规定."""
    name = re.sub(r"（[^（）]*(?:令|〔|\[|号)[^（）]*）$", "", title).strip()  # (国务院令第619号)
    if name.startswith("中华人民共和国") and len(name) > 8:
        return Guess(name.removeprefix("中华人民共和国"), "去掉“中华人民共和国”")
    if name.startswith(SUPREME):
        s = re.sub(r"^(?:最高人民法院|最高人民检察院)(?:[、，\s]*(?:最高人民法院|最高人民检察院))*", "", name)
        s = s.removeprefix("关于")
        s = re.sub(r"《(?:中华人民共和国)?([^《》]+)》", r"\1", s)
        s = re.sub(r"^(?:适用|办理|审理|执行)", "", s)
        s = re.sub(r"(?:具体)?(?:应用|适用)法律若干问题|若干问题", "", s)
        s = re.sub(r"[、，,\s]", "", s)
        s = re.sub(r"的(解释|规定|批复|决定|意见)", r"\1", s)
        if s and s != name:
            return Guess(s, "司法解释全称去掉制定机关、“关于”“适用法律若干问题”等")
    return Guess(name, "全称" if name == title else "全称去掉文号")


def name_aliases(short: str, title: str) -> list[str]:
    """Other spellings a citation may use: 解释（一） ↔ 解释一."""
    out = []
    plain = re.sub(rf"（([{NUMERAL_CHARS}]+)）$", r"\1", short)
    if plain != short:
        out.append(plain)
    return [a for a in out if a not in (short, title)]


@functools.lru_cache(maxsize=1)
def _jieba():
    import logging

    import jieba
    jieba.setLogLevel(logging.WARNING)
    tok = jieba.Tokenizer()
    tok.initialize()
    return tok


def slug_words(name: str) -> list[str]:
    """Words of a short name for its slug: jieba words; a 4-character word whose halves are
    words is split (治安管理 → 治安 管理); a final 法 is a word of its own (处罚法 → 处罚 法);
    a name of two characters is one word (刑法)."""
    han = re.sub(f"[^{HAN_CLASS}A-Za-z0-9]", "", name)
    if len(han) <= 2:
        return [han] if han else []
    tok = _jieba()
    words: list[str] = []
    for w in tok.lcut(han, HMM=False):
        if len(w) == 4 and tok.FREQ.get(w[:2]) and tok.FREQ.get(w[2:]):
            words += [w[:2], w[2:]]
        else:
            words.append(w)
    if words and len(words[-1]) > 1 and words[-1].endswith("法") and not words[-1].endswith(("办法", "宪法")):
        words[-1:] = [words[-1][:-1], "法"]
    return words


def slug_for(name: str) -> str:
    from pypinyin import Style, lazy_pinyin
    parts = []
    for word in slug_words(name):
        py = "".join(lazy_pinyin(word, style=Style.NORMAL, errors=lambda s: list(s)))
        py = re.sub(r"[^a-z0-9]", "", py.lower().replace("ü", "v"))
        if py:
            parts.append(py)
    return "-".join(parts)[:80].strip("-") or "law"


# --------------------------------------------------------------------------- kind, issuer

def kind(title: str, history: Iterable[str], preface: Iterable[str], issuer: str) -> Guess:
    head = " ".join([*history, *list(preface)[:4]])
    name = re.sub(r"（[^（）]*）$", "", title)
    if title.startswith(SUPREME) or issuer.startswith(SUPREME):
        return Guess("司法解释", "制定机关为最高人民法院/最高人民检察院")
    if re.search(r"国务院令|国务院第[" + NUMERAL_CHARS + r"\d]+次常务会议", head + title) or issuer == "国务院":
        return Guess("行政法规", "国务院制定（国务院令或国务院常务会议）")
    local = re.match("^" + HAN + "{2,10}?(?:省|自治区|市|自治州|县)", name) and not name.startswith("中华人民共和国")
    if "人民代表大会" in issuer and local:
        return Guess("地方性法规", "地方人民代表大会（常务委员会）制定")
    if name.startswith("中华人民共和国") and name.endswith(("法", "法典")) or (
            "全国人民代表大会" in issuer and name.endswith(("法", "法典"))):
        return Guess("法律", "全国人民代表大会（常务委员会）制定的“…法”")
    if issuer.startswith("全国人民代表大会") and not local:
        return Guess("法律", "全国人民代表大会（常务委员会）通过")
    if re.search(r"(?:部|委员会|总局|署)令|部务会议|委务会议", head) or re.search(r"(?:部|委员会|总局|署|局)$", issuer):
        return Guess("部门规章", "国务院部门制定（部令或部务会议）")
    if local and name.endswith(("条例", "规定", "办法", "细则")):
        return Guess("地方性法规", "地方名称开头的条例/规定")
    if name.endswith("条例"):
        return Guess("行政法规", "标题以“条例”结尾")
    return Guess("其他", "无法从标题和题注判断，请用 --kind 指定")


def _organ(text: str) -> Optional[str]:
    m = _ORGAN_RE.search(DATE_RE.sub("　", text))
    if not m:
        return None
    organ = re.sub(r"第[" + NUMERAL_CHARS + r"]+届", "", m.group("organ"))
    return organ


def issuer(title: str, history: list[str], preface: list[str]) -> Guess:
    joint = re.match(r"^(最高人民法院|最高人民检察院)[、，\s]*(最高人民法院|最高人民检察院)", title)
    if joint:
        return Guess(f"{joint.group(1)}、{joint.group(2)}", "标题中的联合制定机关")
    for line in reversed([ln for ln in history if re.search(r"通过|修正|修订|公布|发布|批准", ln)]):
        organ = _organ(line)
        if organ:
            return Guess(organ, f"题注“{line if len(line) <= 40 else line[:40] + '…'}”")
    for line in preface[:3]:
        organ = _organ(line)
        if organ and len(line) <= 20:
            return Guess(organ, f"文首“{line}”")
    if title.startswith(SUPREME):
        return Guess(next(s for s in SUPREME if title.startswith(s)), "标题开头的制定机关")
    return Guess("", "无法判断，请用 --issuer 指定")


# --------------------------------------------------------------------------- dates

def history_events(lines: Iterable[str]) -> list[tuple[str, _dt.date]]:
    """[(event, date)] with event in 通过/公布/修正/修订/施行, in text order.  A later
    ``…通过的《…修正案》/《…决定》`` line is an amendment (修正)."""
    events: list[tuple[str, _dt.date]] = []
    for line in lines:
        matches = list(DATE_RE.finditer(line))
        for i, m in enumerate(matches):
            end = matches[i + 1].start() if i + 1 < len(matches) else len(line)
            seg = line[m.end():end]
            date = _date(m)
            if date is None:
                continue
            kinds = []
            if "修订" in seg:
                kinds.append("修订")
            elif "修正" in seg or ("修改" in seg and "决定" in seg):
                kinds.append("修正")
            elif "通过" in seg or "批准" in seg:
                # a later 通过 (not a 批准 of the same text) adopts an amendment
                first = next((d for k, d in events if k == "通过"), None)
                later = first is not None and date > first and "批准" not in seg
                kinds.append("修正" if later or (first and "通过的《" in seg) else "通过")
            elif "公布" in seg or "发布" in seg:
                kinds.append("公布")
            if "施行" in seg and (not kinds or re.search(r"(公布|发布|通过)(之日起)?施行", seg)):
                kinds.append("施行")
            events.extend((k, date) for k in kinds)
    return events


def commencement(articles: list[dict]) -> tuple[Optional[str], Optional[_dt.date], Optional[str]]:
    """(article number, date or None for 'on publication', the sentence) of the text's own
    施行 article, searching from the last article back."""
    for article in reversed(articles):
        for para in article.get("paragraphs") or []:
            for sentence in re.split(r"(?<=。)", para):
                m = COMMENCE_RE.match(sentence.strip())
                if m:
                    d = DATE_RE.search(m.group("when"))
                    return article["number"], (_date(d) if d else None), sentence.strip()
    return None, None, None


def dates(history: list[str], preface: list[str], articles: list[dict]) -> dict[str, Guess]:
    """adopted, published, amended, version, effective, first_effective with reasons."""
    events = history_events([*history, *[p for p in preface if DATE_RE.search(p) and len(p) < 200]])
    adopted = [d for k, d in events if k == "通过"]
    published = [d for k, d in events if k == "公布"]
    amended = sorted({d for k, d in events if k in ("修正", "修订")})
    effective_h = [d for k, d in events if k == "施行"]
    versions = [d for k, d in events if k != "施行"]
    out: dict[str, Guess] = {}
    if adopted:
        out["adopted"] = Guess(adopted[0], "题注中的“通过”")
    elif published:
        out["adopted"] = Guess(published[0], "题注中没有“通过”，用“公布”日期")
    else:
        out["adopted"] = Guess(None, "题注中没有通过日期，请用 --adopted 指定")
    last_published = max(published) if published else None
    published_d = last_published if last_published and last_published != out["adopted"].value \
        and not amended else None
    out["published"] = Guess(published_d, "题注中的“公布/发布”" if published_d
                             else "题注中没有另外的公布日期")
    out["amended"] = Guess(amended, "题注中的“修正/修订”")
    version = max(versions) if versions else out["adopted"].value
    out["version"] = Guess(version, "最近一次通过、修正、修订或公布的日期")
    number, start, sentence = commencement(articles)
    if start is None and sentence:  # 自公布之日起施行: the text's first publication
        start = (min(published) if published and amended else last_published) or out["adopted"].value
    header_effective = max(effective_h) if effective_h else None
    first = None
    if header_effective and (not version or header_effective >= version):
        effective = Guess(header_effective, "题注中的“施行”")
        if start and start != header_effective:
            first = start
    elif start and (not amended or (version and start >= version)):
        effective = Guess(start, f"{number}“{sentence}”")
    elif start:
        first = start
        effective = Guess(None, f"本文本经过修正/修订，{number}所定的{start}是首次施行日期；"
                                "本版本的施行日期见修改决定，请用 --effective 指定")
    else:
        effective = Guess(None, "找不到施行日期（题注或“本法自…起施行”条文），请用 --effective 指定")
    out["effective"] = effective
    out["first_effective"] = Guess(first, f"{number}“{sentence}”" if first else "与本版本施行日期相同（不另写）")
    return out


def clean_history(lines: list[str]) -> list[str]:
    """clean_history_line for each line, unless the ）closes a （ opened on an earlier line
    (a parenthesised header spread over several lines keeps its brackets)."""
    out, depth = [], 0
    for line in lines:
        opens, closes = line.count("（") + line.count("("), line.count("）") + line.count(")")
        if depth + opens < closes:
            line = clean_history_line(line)
            opens, closes = line.count("（") + line.count("("), line.count("）") + line.count(")")
        depth = max(0, depth + opens - closes)
        out.append(line)
    return out


def clean_history_line(line: str) -> str:
    """Drop unmatched closing brackets at the end (``…修订）`` inherited from the source)."""
    while line and line[-1] in "）)" and line.count("（") + line.count("(") < line.count("）") + line.count(")"):
        line = line[:-1].rstrip(" \u3000")
    return line
