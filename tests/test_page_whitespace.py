"""Each finished page has its templates' indentation collapsed (issue 27: site size) without
changing what a browser shows: <pre>, <textarea>, <script>, <style>, comments and attribute values
are kept byte for byte, and the inline scripts still match the page's CSP hashes."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from weiquan.site.csp import foreign_scripts, inline_scripts, script_hash
from weiquan.site.pageoutput import collapse_whitespace, finish_page

SCRIPT = 'if (a  <  b) {\n    x = "  two  spaces  ";\n}'
PAGE = f"""
<!doctype html>
<html lang="zh">
  <head>
    <meta charset="utf-8">
    <style>
      .x {{ content: "a    b"; }}
    </style>
    <script>{SCRIPT}</script>
    <script type="application/json" id="data">{{"k":  "v   w"}}</script>
  </head>
  <body>
    <!--   a comment   kept   -->
    <p class="a   b"
       title="line one
line two"   data-x='single  "quoted"  value'>
      第一句，  <b>粗体</b>   <i>斜体</i>
      <a href="#x">链接</a>。
    </p>
    <pre>  def f():
      return    1
</pre>
    <PRE class="c">Upper
   case</PRE>
    <textarea name="t">  typed
    text  </textarea>
    <p>全角　空格　stays&nbsp; and\u00a0\u00a0nbsp</p>
    <svg aria-hidden="true"
         viewBox="0 0 24 24"><path d="M1 1  L2  2"/></svg>
  </body>
</html>
"""


class Tokens(HTMLParser):
    """(kind, tag, attrs | text) in document order."""

    def __init__(self):
        super().__init__(convert_charrefs=False)
        self.out: list[tuple] = []

    def handle_starttag(self, tag, attrs):
        self.out.append(("start", tag, attrs))

    def handle_startendtag(self, tag, attrs):
        self.out.append(("start", tag, attrs))

    def handle_endtag(self, tag):
        self.out.append(("end", tag))

    def handle_data(self, data):
        self.out.append(("data", data))

    def handle_comment(self, data):
        self.out.append(("comment", data))

    def handle_decl(self, decl):
        self.out.append(("decl", decl))

    def handle_entityref(self, name):
        self.out.append(("data", f"&{name};"))


def tokens(html: str) -> list[tuple]:
    p = Tokens()
    p.feed(html)
    p.close()
    # adjacent text pieces as one (the parser may split text at entities)
    merged: list[tuple] = []
    for t in p.out:
        if t[0] == "data" and merged and merged[-1][0] == "data":
            merged[-1] = ("data", merged[-1][1] + t[1])
        else:
            merged.append(t)
    return merged


RAW = re.compile(r"<(pre|textarea|script|style)\b.*?</\1\s*>", re.S | re.I)


def test_whitespace_runs_become_one_character_and_nothing_else_changes():
    out = collapse_whitespace(PAGE)
    assert len(out) < len(PAGE) - 80
    before, after = tokens(PAGE), tokens(out)
    shape = lambda ts: [t[:2] if t[0] in ("start", "end") else t[0] for t in ts]   # noqa: E731
    assert shape(before) == shape(after)
    inside: list[str] = []
    for b, a in zip(before, after):
        if b[0] == "start":
            assert b == a                        # attribute values exactly as written
            inside.append(b[1])
        elif b[0] == "end":
            inside and inside.pop()
        elif b[0] == "data" and inside and inside[-1] in ("pre", "textarea", "script", "style"):
            assert b == a
        elif b[0] == "data":
            assert re.sub(r"[ \t\n\r\f]+", " ", b[1]) == re.sub(r"[ \t\n\r\f]+", " ", a[1])
            assert not re.search(r"[ \t\n\r\f]{2,}", a[1]), a
        else:
            assert b == a                        # comments, doctype
    # raw-text and preformatted elements byte for byte, their whitespace included
    assert [m.group(0) for m in RAW.finditer(PAGE)] == [m.group(0) for m in RAW.finditer(out)]
    assert "<pre>  def f():\n      return    1\n</pre>" in out and "  typed\n    text  " in out
    assert "<!--   a comment   kept   -->" in out
    # runs with a line break keep one line break; spaces within a line become one space
    assert ">\n第一句， <b>粗体</b> <i>斜体</i>\n<a" in out
    # tags: whitespace between attributes collapses, quoted values stay
    assert '<p class="a   b" title="line one\nline two" data-x=\'single  "quoted"  value\'>' in out
    assert '<svg aria-hidden="true" viewBox="0 0 24 24"><path d="M1 1  L2  2"/></svg>' in out
    # ideographic spaces and no-break spaces are text, not whitespace to collapse
    assert "全角　空格　stays&nbsp; and\u00a0\u00a0nbsp" in out
    assert collapse_whitespace(out) == out


def test_finished_page_scripts_still_match_the_policy():
    hashes = [script_hash(SCRIPT)]
    out = finish_page(PAGE, hashes)
    assert inline_scripts(out) == [SCRIPT]
    assert foreign_scripts(out, hashes) == []
    assert script_hash(SCRIPT) in out.split("</head>")[0]


def test_a_built_page_renders_the_same(page, tmp_path):
    """Chromium lays out the page and its collapsed copy alike: same text, same boxes."""
    styled = PAGE.replace("</head>", '<link rel="stylesheet" href="s.css"></head>')
    (tmp_path / "s.css").write_text("p { width: 12em } b { display: inline-block; padding: 0 1em }", "utf-8")
    (tmp_path / "a.html").write_text(styled, encoding="utf-8")
    (tmp_path / "b.html").write_text(collapse_whitespace(styled), encoding="utf-8")
    seen = []
    for name in ("a.html", "b.html"):
        page.goto((tmp_path / name).as_uri())
        seen.append(page.evaluate("""() => JSON.stringify([document.body.innerText,
            document.querySelector('textarea').value,
            [...document.querySelectorAll('body *')].map(e => {
                const r = e.getBoundingClientRect(); return [e.tagName, r.x, r.y, r.width, r.height]; })])"""))
    assert seen[0] == seen[1]


def test_icons_are_drawn_from_one_symbol_per_page(page, tmp_path):
    """A page's icons <use> one hidden <symbol> each (added by finish_page), drawn like the
    icon written out in full; a page without icons gets no symbols."""
    from weiquan.site.pageoutput import ICONS, with_icons
    use = '<svg class="wq-icon" width="16" height="16" aria-hidden="true"><use href="#wq-i-cal"/></svg>'
    body = "".join(f'<p><a class="wq-ics" href="e{i}.ics">{use}加入日历</a></p>' for i in range(3))
    html = with_icons(f"<!doctype html><html><head></head><body>{body}</body></html>")
    assert html.count('<symbol id="wq-i-cal"') == 1 and 'id="wq-i-print"' not in html
    assert with_icons("<html><body><p>x</p></body></html>") == "<html><body><p>x</p></body></html>"
    full = ('<svg class="wq-icon" viewBox="0 0 24 24" width="16" height="16" aria-hidden="true">'
            f'<path d="{ICONS["wq-i-cal"]}" fill="currentColor"/></svg>')
    (tmp_path / "use.html").write_text(html, encoding="utf-8")
    (tmp_path / "full.html").write_text(html.replace(use, full), encoding="utf-8")
    shots = []
    for name in ("use.html", "full.html"):
        page.goto((tmp_path / name).as_uri())
        icons = page.locator("a.wq-ics svg")
        assert icons.count() == 3
        assert page.locator("a.wq-ics").first.inner_text() == "加入日历"
        shots.append(icons.nth(2).screenshot())
    assert shots[0] == shots[1]
    page.set_content(f"<!doctype html><html><body>{body}</body></html>")   # no symbol: nothing drawn
    assert page.locator("a.wq-ics svg").nth(2).screenshot() != shots[0]
