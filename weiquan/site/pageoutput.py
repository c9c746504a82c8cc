"""Last touches on each built HTML page: leave out the theme's script, add the page's CSP."""

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




def finish_page(html: str, script_hashes: list[str]) -> str:
    """``script_hashes``: the templates' inline scripts (csp.template_script_hashes), computed
    once per build; nothing in the page itself widens the policy."""
    return with_policy(drop_theme_bundle(html), script_hashes)
