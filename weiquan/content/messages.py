"""Validation messages an editor can act on: one message per mistake, in Chinese, with
"did you mean" suggestions and what exactly is wrong with a value."""

from __future__ import annotations

import calendar
import difflib
import re
import typing
from typing import Iterable, Optional

from pydantic import BaseModel

_UNION_TAG = re.compile(r"^(?:literal\[|list\[|dict\[|function-|nullable\[|str$|int$|bool$|date$|union\[)")


def closest(word: str, candidates: Iterable[str], cutoff: float = 0.6) -> Optional[str]:
    """The candidate closest to word (difflib), or None."""
    word = str(word)
    pool = [str(c) for c in candidates if c is not None]
    close = difflib.get_close_matches(word, pool, n=1, cutoff=cutoff)
    if not close and len(word) >= 3:   # Chinese names: a character or two off (反家暴法 vs 反家庭暴力法)
        close = difflib.get_close_matches(word, pool, n=1, cutoff=min(cutoff, 0.5))
    if not close and len(word) >= 2:
        close = sorted((c for c in pool if (word in c or c in word) and c != word and len(c) >= 2), key=len)[:1]
    return close[0] if close else None


def did_you_mean(word: str, candidates: Iterable[str], cutoff: float = 0.6) -> str:
    """'，是不是“x”？' for the closest candidate, or ''."""
    found = closest(word, candidates, cutoff)
    return f"，是不是“{found}”？" if found else ""


def explain_date(value) -> str:
    """Why a value is not a date: '2027-02-30 不存在：2月没有30日（2027年2月只有28天）'."""
    text = str(value).strip()
    m = re.fullmatch(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?", text)
    if not m:
        return f"“{text}”不是日期：应写成 年-月-日，如 2027-03-08"
    y, mo, d = (int(g) for g in m.groups())
    if not 1 <= mo <= 12:
        return f"{text} 不存在：没有{mo}月"
    last = calendar.monthrange(y, mo)[1]
    if not 1 <= d <= last:
        extra = f"（{y}年2月只有{last}天）" if mo == 2 else f"（{mo}月只有{last}天）"
        return f"{text} 不存在：{mo}月没有{d}日{extra}"
    return f"“{text}”应写成 {y:04d}-{mo:02d}-{d:02d}（用英文短横线，月和日都写两位）"


def _written(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return getattr(value, "source", "") or str(value)


def explain(err: dict) -> tuple[str, str]:
    """Chinese message + English hint for one pydantic error."""
    kind, loc, ctx = err["type"], err["loc"], err.get("ctx") or {}
    parts = [p for p in loc if not (isinstance(p, str) and _UNION_TAG.match(p))]
    field = str(parts[-1]) if parts and isinstance(parts[-1], str) else (str(parts[-2]) if len(parts) > 1 else "")
    value = err.get("input")
    if kind == "extra_forbidden":
        return f"未知字段“{field}”", "unknown key"
    if kind == "missing":
        return f"缺少必填字段“{field}”", "missing required key"
    if kind == "string_too_short":
        return f"“{field}”不能为空", "empty required text"
    if kind == "string_too_long":
        return f"“{field}”太长：最多 {ctx.get('max_length')} 个字符", "text too long"
    if kind == "too_short":
        return f"“{field}”至少需要 {ctx.get('min_length', 1)} 项", "list too short"
    if kind.startswith("date") or kind.startswith("datetime"):
        return f"“{field}”日期无效：{explain_date(value)}", "bad date"
    if kind == "string_pattern_mismatch":
        if field in ("slug", "replaced_by", "station", "key", "cases", "stations") or "slug" in field:
            return (f"“{field}”只能用小写字母、数字和连字符（如 chengguan-zhan），写成了“{value}”", "bad slug")
        return f"“{field}”格式不对：“{value}”", "bad format"
    if kind == "literal_error":
        expected = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
        hint = did_you_mean(value, expected) if isinstance(value, str) else ""
        choices = "、".join(expected) or ctx.get("expected", "")
        return f"“{field}”取值“{_written(value)}”无效{hint or '，'}可选：{choices}", "invalid value"
    if kind in ("string_type", "str_type"):
        if isinstance(value, bool):
            return (f"“{field}”应为文字：{_written(value)} 被读成了“是/否”，请加英文引号写成 \"{_written(value)}\"",
                    "expected text, got a boolean")
        if isinstance(value, (int, float)):
            return (f"“{field}”应为文字：{_written(value)} 被读成了数字，请加英文引号写成 \"{_written(value)}\"",
                    "expected text, got a number")
        if isinstance(value, (list, dict)):
            return f"“{field}”应为一段文字，不是{'列表' if isinstance(value, list) else '键值映射'}", \
                "wrong type: expected text"
        return f"“{field}”应为文字", "wrong type: expected text"
    if kind in ("list_type", "tuple_type"):
        return f"“{field}”应为列表（每项一行，以“- ”开头，或写成 [a, b]）", "wrong type: expected a list"
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return f"“{field}”应为键值映射（下一行缩进后写“键: 值”）", "wrong type: expected a mapping"
    if kind.startswith("bool"):
        return f"“{field}”只能写 true（是）或 false（否），写成了“{_written(value)}”", "expected true or false"
    if kind.startswith("int"):
        if isinstance(value, str) and value.strip().isdigit() and not value.strip().startswith("0"):
            return f"“{field}”应为整数：去掉引号，写成 {value.strip()}", "expected a whole number"
        return f"“{field}”应为整数（如 2027），写成了“{_written(value)}”", "expected a whole number"
    if kind == "value_error":
        msg = str(ctx.get("error", err.get("msg", "")))
        if msg.startswith("not an article number"):
            return f"条文序号格式不对：{msg.split(': ', 1)[-1]}", "bad article number"
        return (f"“{field}”：{msg}" if field and not msg.startswith("“") else msg), "invalid value"
    return err.get("msg", kind), kind


def model_at(model: type[BaseModel], loc: tuple) -> Optional[type[BaseModel]]:
    """The model class that holds the keys at loc (('leaflet',) → LeafletSpec)."""
    current: object = model
    for part in loc:
        if isinstance(part, int) or (isinstance(part, str) and _UNION_TAG.match(part)):
            continue
        cls = _first_model(current)
        if cls is None or part not in cls.model_fields:
            return None
        current = cls.model_fields[part].annotation
    return _first_model(current)


def _first_model(tp) -> Optional[type[BaseModel]]:
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return tp
    for arg in typing.get_args(tp):
        found = _first_model(arg)
        if found is not None:
            return found
    return None


def explain_errors(errors: list[dict], model: type[BaseModel]) -> list[tuple[tuple, str, str]]:
    """[(loc, 中文, English)], one per mistake: a misspelt key is one "unknown key — did you mean"
    message, not a missing key plus an unknown one; the alternatives of a union are one message."""
    out: list[tuple[tuple, str, str]] = []
    missing = {(tuple(e["loc"][:-1]), e["loc"][-1]) for e in errors if e["type"] == "missing"}
    used_missing: set = set()
    seen_locs: set = set()
    for err in errors:
        loc = tuple(err["loc"])
        plain = tuple(p for p in loc if not (isinstance(p, str) and _UNION_TAG.match(p)))
        if err["type"] == "missing":
            continue
        if err["type"] == "extra_forbidden":
            parent, key = loc[:-1], loc[-1]
            wanted = [k for (p, k) in missing if p == parent and (p, k) not in used_missing]
            close = difflib.get_close_matches(str(key), [str(k) for k in wanted], n=1, cutoff=0.5)
            if close:
                used_missing.add((parent, close[0]))
                out.append((loc, f"未知字段“{key}”，是不是“{close[0]}”？", "unknown key"))
                continue
            cls = model_at(model, parent)
            fields = list(cls.model_fields) if cls else []
            hint = did_you_mean(key, fields)
            if hint:
                out.append((loc, f"未知字段“{key}”{hint}", "unknown key"))
            else:
                listed = "、".join(fields)
                out.append((loc, f"未知字段“{key}”" + (f"；这里可以写的字段：{listed}" if listed else ""),
                            "unknown key"))
            continue
        if plain in seen_locs:   # a second alternative of the same union
            continue
        seen_locs.add(plain)
        zh, en = explain(err)
        out.append((plain, zh, en))
    for err in errors:
        if err["type"] == "missing" and (tuple(err["loc"][:-1]), err["loc"][-1]) not in used_missing:
            zh, en = explain(err)
            out.append((tuple(err["loc"]), zh, en))
    return out
