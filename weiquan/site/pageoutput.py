"""Last touches on each built HTML page: leave out the theme's script, collapse the templates'
indentation, add the page's CSP."""

from __future__ import annotations

import re

from weiquan.site.csp import with_policy

# Material's bundle (34 KB compressed) runs features the site does not use: its search, tabs,
# instant loading, header title swaps, back-to-top and TOC tracking. The menu (drawer), the
# collapsible sections and the layout are plain HTML and CSS, so pages leave the bundle out;
# Material's no-JavaScript styles (html.no-js) apply.
_BUNDLE = re.compile(r'<script src="([^"]*assets/javascripts/bundle\.[0-9a-f]+\.min\.js)"(?: defer)?></script>')


def drop_theme_bundle(html: str) -> str:
    return _BUNDLE.sub("", html)


# Whitespace. Material's templates indent every line (about a fifth of a page's bytes). Outside
# the elements that keep their text as written, a browser renders a run of ASCII whitespace like
# one space (CSS white-space: normal / nowrap), so each run becomes one character: a newline if it
# had one, else a space. Kept byte for byte: <pre>, <textarea>, <script> (the CSP hashes inline
# scripts), <style>, comments, and every quoted attribute value (a tag's other whitespace
# collapses too). The site's CSS gives white-space: pre* only to .wq-slot, whose text has no
# whitespace runs (a form's blank, filled in the reader's browser). Not ASCII whitespace (U+00A0,
# U+3000) is text and stays.
_TOKENS = re.compile(
    r"""(<(pre|textarea|script|style)\b.*?</\2\s*>|<!--.*?-->)"""     # kept as written
    r"""|(<[A-Za-z/][^>"']*(?:(?:"[^"]*"|'[^']*')[^>"']*)*>)"""       # a tag: its quoted values kept
    r"""|([ \t\n\r\f]{2,}|[\t\r\f])""",                               # a run to collapse in text
    re.S | re.I)
_IN_TAG = re.compile(r"""("[^"]*"|'[^']*')|[ \t\n\r\f]{2,}|[\t\n\r\f]""")


def _tag(m: re.Match) -> str:
    return m.group(1) or " "


def _token(m: re.Match) -> str:
    kept, _name, tag, run = m.groups()
    if kept is not None:
        return kept
    if tag is not None:
        return _IN_TAG.sub(_tag, tag) if ("  " in tag or "\n" in tag or "\t" in tag) else tag
    return "\n" if "\n" in run else " "


def collapse_whitespace(html: str) -> str:
    """The page with each run of insignificant whitespace as one character (see above)."""
    return _TOKENS.sub(_token, html)


def finish_page(html: str, script_hashes: list[str]) -> str:
    """``script_hashes``: the templates' inline scripts (csp.template_script_hashes), computed
    once per build; nothing in the page itself widens the policy."""
    return with_policy(collapse_whitespace(drop_theme_bundle(html)), script_hashes)
