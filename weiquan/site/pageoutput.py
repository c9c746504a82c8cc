"""Last touches on each built HTML page: leave out the theme's script, collapse the templates'
indentation, add the icons the page uses, add the page's CSP."""

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


# Icons: Material Design Icons "printer" and "calendar-plus" (Apache-2.0). The templates draw
# them with <svg><use href="#id"/></svg> (macros.html print_icon, cal_icon: a campaign page has
# one 加入日历 per event); each page gets the <symbol> of each icon it uses once, before </body>,
# in a hidden element (no request, nothing from another host).
ICONS = {
    "wq-i-print": "M18 3H6v4h12m1 5a1 1 0 0 1-1-1 1 1 0 0 1 1-1 1 1 0 0 1 1 1 1 1 0 0 1-1 1m-3 7H8v-5h8m3-6H5a3 3 0 "
                  "0 0-3 3v6h4v4h12v-4h4v-6a3 3 0 0 0-3-3z",
    "wq-i-cal": "M19 19V8H5v11h14M16 1h2v2h1a2 2 0 0 1 2 2v14a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2h1V1h2v2h8V1m-5 "
                "8.5h2v3h3v2h-3v3h-2v-3H8v-2h3v-3z",
}


def with_icons(html: str) -> str:
    """The page with a <symbol> for each icon of ICONS it uses (``<use href="#id"/>``)."""
    used = [name for name in ICONS if f'<use href="#{name}"/>' in html]
    end = html.rfind("</body>")
    if not used or end < 0:
        return html
    symbols = "".join(f'<symbol id="{name}" viewBox="0 0 24 24"><path d="{ICONS[name]}" fill="currentColor"/></symbol>'
                      for name in used)
    return f'{html[:end]}<div hidden><svg xmlns="http://www.w3.org/2000/svg">{symbols}</svg></div>\n{html[end:]}'


def finish_page(html: str, script_hashes: list[str]) -> str:
    """``script_hashes``: the templates' inline scripts (csp.template_script_hashes), computed
    once per build; nothing in the page itself widens the policy."""
    return with_policy(with_icons(collapse_whitespace(drop_theme_bundle(html))), script_hashes)
