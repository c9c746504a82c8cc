"""Small HTML helpers shared by the page generators."""

from __future__ import annotations

import datetime as dt
import html
import re

from weiquan.content import phones
from weiquan.content.markup import md_text  # noqa: F401 (re-exported for the page generators)

esc = html.escape


def nav_label(text: str) -> str:
    """A label handed to the site engine's navigation, which prints titles as they are: the
    text escaped as HTML, on one line."""
    return esc(" ".join(str(text).split()), quote=True)


def json_script(value) -> str:
    """JSON for an inline <script type=\"application/json\">: no </script> or <!-- can end it early."""
    import json
    return (json.dumps(value, ensure_ascii=False, separators=(",", ":"))
            .replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


ITEM_RE = re.compile(r"^[（(][一二三四五六七八九十百]+[）)]")


def fmt_date(d: dt.date | None) -> str:
    return f"{d.year}年{d.month}月{d.day}日" if d else ""


def tel(number: str, label: str = "") -> str:
    text = esc(label + " " if label else "") + f"<strong>{esc(number)}</strong>"
    return f'<a class="wq-tel" href="{esc(phones.tel_uri(number))}">{text}</a>'


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


# Characters YAML reads as line breaks or refuses, written as escapes in front matter values.
_YAML_ESCAPES = {c: f"\\u{c:04x}" for c in [*range(0x7f, 0xa0), 0x2028, 0x2029, 0xfeff, 0xfffe, 0xffff]}


def front_matter(title: str, **meta) -> str:
    """YAML front matter. Material writes page.meta title and description into the page
    unescaped (<title>, <meta content>, the header), so text values are HTML-escaped here."""
    import json

    def value(v) -> str:
        if isinstance(v, str):
            v = esc(v)
        return json.dumps(v, ensure_ascii=False).translate(_YAML_ESCAPES)
    lines = ["---", f"title: {value(title)}"]
    for key, v in meta.items():
        lines.append(f"{key}: {value(v)}")
    lines.append("---\n")
    return "\n".join(lines)


# Material Design Icons "printer" (Apache-2.0), inline so it needs no request.
PRINT_ICON = ('<svg class="wq-icon" viewBox="0 0 24 24" width="16" height="16" aria-hidden="true">'
              '<path d="M18 3H6v4h12m1 5a1 1 0 0 1-1-1 1 1 0 0 1 1-1 1 1 0 0 1 1 1 1 1 0 0 1-1 1m-3 7H8v-5h8m3-6H5'
              'a3 3 0 0 0-3 3v6h4v4h12v-4h4v-6a3 3 0 0 0-3-3z" fill="currentColor"/></svg>')


def leaflet_link(href: str, label: str) -> str:
    return f'<a class="wq-leaflet" href="{href}" download>{PRINT_ICON}{esc(label)}</a>'
