"""Small HTML helpers shared by the page generators."""

from __future__ import annotations

import datetime as dt
import html
import re

from .. import phones

esc = html.escape
ITEM_RE = re.compile(r"^[（(][一二三四五六七八九十百]+[）)]")


def fmt_date(d: dt.date | None) -> str:
    return f"{d.year}年{d.month}月{d.day}日" if d else ""


def tel(number: str, label: str = "") -> str:
    text = esc(label + " " if label else "") + f"<strong>{esc(number)}</strong>"
    return f'<a class="wq-tel" href="{phones.tel_uri(number)}">{text}</a>'


def paragraphs(lines: list[str], cls: str = "") -> str:
    """Law paragraphs: 款 as <p>, 项 (（一）…) as <p class="wq-item">."""
    out = []
    for line in lines:
        c = "wq-item" if ITEM_RE.match(line) else cls
        out.append(f'<p class="{c}">{esc(line)}</p>' if c else f"<p>{esc(line)}</p>")
    return "\n".join(out)


def text_block(text: str) -> str:
    """Plain multi-paragraph text (blank-line separated) as escaped <p>s."""
    return "\n".join(f"<p>{esc(p.strip())}</p>" for p in re.split(r"\n\s*\n", text.strip()) if p.strip())


def badge(text: str, kind: str = "") -> str:
    return f'<span class="wq-badge{" wq-badge--" + kind if kind else ""}">{esc(text)}</span>'


def front_matter(title: str, **meta) -> str:
    import json
    lines = ["---", f"title: {json.dumps(title, ensure_ascii=False)}"]
    for key, value in meta.items():
        lines.append(f"{key}: {json.dumps(value, ensure_ascii=False)}")
    lines.append("---\n")
    return "\n".join(lines)
