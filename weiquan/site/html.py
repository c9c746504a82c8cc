"""Text for the places pages put it besides their templates (site/render.py): the engine's menu,
YAML front matter, inline JSON."""

from __future__ import annotations

import json

from markupsafe import escape


def nav_label(text: str) -> str:
    """A label handed to the site engine's navigation, which prints titles as they are: the
    text escaped as HTML, on one line."""
    return str(escape(" ".join(str(text).split())))


def json_script(value) -> str:
    """JSON for an inline application/json script element: no closing tag or comment opener in it
    can end it early."""
    return (json.dumps(value, ensure_ascii=False, separators=(",", ":"))
            .replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


# Characters YAML reads as line breaks or refuses, written as escapes in front matter values.
_YAML_ESCAPES = {c: f"\\u{c:04x}" for c in [*range(0x7f, 0xa0), 0x2028, 0x2029, 0xfeff, 0xfffe, 0xffff]}


def front_matter(title: str, **meta) -> str:
    """YAML front matter. Material writes page.meta title and description into the page
    unescaped (the title element, meta content, the header), so text values are HTML-escaped here."""
    def value(v) -> str:
        if isinstance(v, str):
            v = str(escape(v))
        return json.dumps(v, ensure_ascii=False).translate(_YAML_ESCAPES)
    lines = ["---", f"title: {value(title)}"]
    for key, v in meta.items():
        lines.append(f"{key}: {value(v)}")
    lines.append("---\n")
    return "\n".join(lines)
