"""Content-Security-Policy for the site: only the site itself, nothing from any other host.

Every built page gets a Content-Security-Policy meta element as the first element of its head
(`with_policy`, called by the MkDocs adapter on each page's output). The inline scripts
allowed are the project's own: their sha256 hashes are computed once per build from the theme's
templates (Material's and overrides/, `template_script_hashes`), never from the finished page,
so a script that content smuggles into a page is not allowed by the policy and does not run.
"""

from __future__ import annotations

import base64
import hashlib
import re

# Directives besides script-src. No host is named anywhere: 'self' only.
BASE_DIRECTIVES = [
    "default-src 'self'",
    "img-src 'self' data:",
    "style-src 'self'",
    "font-src 'self'",
    "connect-src 'self'",
    "worker-src 'self'",
    "manifest-src 'self'",
    "frame-src 'none'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
]

_SCRIPT = re.compile(r"<script(?P<attrs>[^>]*)>(?P<body>.*?)</script>", re.S | re.I)
_TYPE = re.compile(r"""\btype\s*=\s*["']?([^"'\s>]+)""", re.I)
_EXECUTABLE_TYPES = {"", "text/javascript", "application/javascript", "module"}


def inline_scripts(html: str) -> list[str]:
    """Bodies of the inline scripts the browser would run (not JSON data blocks, not src=)."""
    out = []
    for m in _SCRIPT.finditer(html):
        attrs = m.group("attrs")
        if re.search(r"\bsrc\s*=", attrs, re.I):
            continue
        t = _TYPE.search(attrs)
        if (t.group(1).lower() if t else "") not in _EXECUTABLE_TYPES:
            continue
        out.append(m.group("body"))
    return out


def script_hash(body: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode() + "'"


def policy(hashes: list[str]) -> str:
    script = "script-src 'self'" + "".join(" " + h for h in hashes)
    return "; ".join([BASE_DIRECTIVES[0], script, *BASE_DIRECTIVES[1:]])


_HEAD = re.compile(r"<head[^>]*>", re.I)

def template_script_hashes(env, context: dict, roots: tuple[str, ...] = ("main.html", "404.html")) -> list[str]:
    """Hashes of the inline scripts in the theme's templates that pages are made from: ``roots``
    and every template they extend or include (``env``: the site engine's Jinja environment,
    whose loader reads the theme folders, overrides first), each rendered with the build's
    ``context`` (``config``). A script whose text would change with the page (its depth,
    ``base_url``, or the page itself) gets no hash: one policy serves every page, so such a
    script must not be inline (Material's own reads ``extra.scope`` from mkdocs.yml)."""
    from jinja2 import meta
    names, todo = set(), list(roots)
    while todo:
        name = todo.pop()
        if name in names:
            continue
        names.add(name)
        try:
            source = env.loader.get_source(env, name)[0]
        except Exception:   # a missing optional include ("ignore missing")
            continue
        todo.extend(n for n in meta.find_referenced_templates(env.parse(source)) if n)
    found: set[str] = set()
    for name in sorted(names):
        try:
            source = env.loader.get_source(env, name)[0]
        except Exception:
            continue
        for body in inline_scripts(source):
            try:
                template = env.from_string(body)
                texts = {template.render(**context, base_url=b) for b in (".", "..", "../..", "/")}
            except Exception:   # needs a page to render
                continue
            if len(texts) == 1:
                found.add(script_hash(texts.pop()))
    return sorted(found)


def foreign_scripts(html: str, hashes: list[str]) -> list[str]:
    """Inline scripts in a page that are not the templates' own (blocked by the policy)."""
    allowed = set(hashes)
    return [b for b in inline_scripts(html) if script_hash(b) not in allowed]


def with_policy(html: str, hashes: list[str]) -> str:
    """The page with its CSP meta element first in its head: inline scripts allowed only
    by the templates' hashes (see template_script_hashes)."""
    m = _HEAD.search(html)
    if not m:
        return html
    meta = f'<meta http-equiv="Content-Security-Policy" content="{policy(sorted(hashes))}">'
    return html[: m.end()] + meta + html[m.end():]
