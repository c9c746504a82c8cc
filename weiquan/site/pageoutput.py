"""Last touches on each built HTML page: defer the theme's script, add the page's CSP."""

from __future__ import annotations

import re

from weiquan.site.csp import with_policy

# Material's bundle sits at the end of <body> without `defer`; deferring it keeps it off the
# critical path (it runs after parsing, in order, exactly as before).
_BUNDLE = re.compile(r'<script src="([^"]*assets/javascripts/bundle\.[0-9a-f]+\.min\.js)"></script>')


def defer_theme_bundle(html: str) -> str:
    return _BUNDLE.sub(r'<script src="\1" defer></script>', html)


def finish_page(html: str, script_hashes: list[str]) -> str:
    """``script_hashes``: the templates' inline scripts (csp.template_script_hashes), computed
    once per build; nothing in the page itself widens the policy."""
    return with_policy(defer_theme_bundle(html), script_hashes)
