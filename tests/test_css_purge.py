"""The theme CSS cut to what the pages use (site/assets.py), read with a real CSS parser (tinycss2)."""

from __future__ import annotations

from weiquan.site.assets import Used, purge_css

CSS = """@charset "utf-8";
@font-face{font-family:x;src:url(a.woff2)}
.md-header,.md-search__form{color:red}
.md-typeset h2:not(.md-unused){margin:0}
[data-md-color-scheme=slate] .md-header{color:#000}
[data-md-color-primary=deep-purple] .md-header{color:purple}
html [dir=rtl] .md-nav{float:right}
.wq-open>.md-nav__link::before{content:"<!--x-->\\3c"}
@media screen and (min-width:76.25em){.md-sidebar--primary{width:12rem}.md-tabs{display:none}}
@media print{.md-tabs{display:none}}
#wq-exit:focus-visible,#gone{outline:0}
a[href^="tel:"] .md-header{x:y}
"""


def used() -> Used:
    u = Used()
    u.add_html('<html dir="ltr"><body data-md-color-primary="deep-purple"><header class="md-header" id="wq-exit">'
               '<div class="md-typeset"><h2>t</h2></div><nav class="md-nav md-sidebar--primary"><a>x</a></nav>')
    u.add_script('el.classList.add("wq-open"); x.className = "md-nav__link";')
    return u


def test_keeps_the_rules_pages_and_scripts_can_match():
    out = purge_css(CSS, used())
    assert out.startswith('@charset "utf-8";@font-face{font-family:x;src:url(a.woff2)}')
    assert ".md-header{color:red}" in out and ".md-search__form" not in out   # selector list cut
    assert ".md-typeset h2:not(.md-unused){margin:0}" in out        # :not() arguments never required
    assert "slate" not in out and "[data-md-color-primary=deep-purple] .md-header" in out
    assert "rtl" not in out
    assert ".wq-open>.md-nav__link::before" in out                  # classes a script sets
    assert "@media screen and (min-width:76.25em){.md-sidebar--primary{width:12rem}}" in out
    assert "@media print" not in out and ".md-tabs" not in out       # emptied at-rules dropped
    assert "#wq-exit:focus-visible{outline:0}" in out and "#gone" not in out
    assert 'a[href^="tel:"] .md-header{x:y}' in out                 # other attribute selectors kept


def test_never_grows_and_is_stable():
    once = purge_css(CSS, used())
    assert len(once) < len(CSS) and purge_css(once, used()) == once
