"""Content-Security-Policy for the site: only the site itself, nothing from any other host.

Every built page gets a `<meta http-equiv="Content-Security-Policy">` as the first element of its
`<head>` (`with_policy`, called by the MkDocs hook on each page's output). The page's few inline
scripts (Material's and ours) are allowed by their sha256 hashes, computed from the page itself,
so a Material upgrade or a new inline script cannot silently break the site.
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


def page_policy(html: str) -> str:
    return policy(sorted({script_hash(b) for b in inline_scripts(html)}))


def with_policy(html: str) -> str:
    """The page with its CSP meta tag inserted first in <head>."""
    m = _HEAD.search(html)
    if not m:
        return html
    meta = f'<meta http-equiv="Content-Security-Policy" content="{page_policy(html)}">'
    return html[: m.end()] + meta + html[m.end():]
