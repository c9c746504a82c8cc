"""What a guide's Markdown may contain: Markdown only — no HTML tags, no attribute lists with
values, links only to http(s), tel:, mailto: or pages of this site, pictures only from this site.

The guide body is the one place where content is Markdown the site engine renders, so it is
checked here (with file:line) rather than cleaned later: a reviewer reading the pull request
sees exactly what will be published. Everything else in content is plain text, escaped by the
page generators.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

from weiquan.content.citations import SHORTCODE_RE
from weiquan.content.yamlload import control_problem

# Something the Markdown engine would pass through as HTML: a tag, a closing tag, a comment,
# a declaration or a processing instruction.
_TAG_RE = re.compile(r"</?[A-Za-z][^<>]*>?|<!|<\?")
# Autolinks Markdown turns into links itself (checked as links below).
_AUTOLINK_RE = re.compile(r"<((?:[A-Za-z][A-Za-z0-9+.-]*:[^\s<>]*)|(?:[^\s<>@]+@[^\s<>@]+))>")
# {: #id .class key=value } — only ids and classes are allowed (no key=value).
_ATTR_LIST_RE = re.compile(r"\{:?[^{}\n]*=[^{}\n]*\}")
_INLINE_LINK_RE = re.compile(r"(!?)\[(?:[^\[\]]|\[[^\[\]]*\])*\]\(\s*<?([^)\s>]*)")
_REF_DEF_RE = re.compile(r"^ {0,3}\[[^\]]+\]:\s*<?(\S*?)>?(?:\s|$)")
_REF_USE_RE = re.compile(r"(!?)\[(?:[^\[\]]|\[[^\[\]]*\])*\]\s?\[([^\]]*)\]")
_SCHEME_RE = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
_STRIP_RE = re.compile(r"[\x00-\x20\x7f]")
_TEL_RE = re.compile(r"^tel:\+?[0-9][0-9-]*$", re.I)

LINK_HINT = "链接只能指向 http:// 或 https:// 网址、tel: 电话、mailto: 邮箱，或本站页面"


def link_problem(url: str, image: bool = False) -> str | None:
    """None when the link target is allowed, else a Chinese explanation."""
    u = _STRIP_RE.sub("", html.unescape(url))
    m = _SCHEME_RE.match(u)
    if image:
        if m or u.startswith("//") or "\\" in u:
            return f"图片地址“{url}”不允许：图片只能用本站的文件（相对路径），不能从其他网站加载"
        return None
    if m:
        scheme = m.group(1).lower()
        if scheme in ("http", "https"):
            return None if re.match(r"^https?://[^/?#\\]+", u, re.I) else f"链接“{url}”不是完整的网址"
        if scheme == "mailto":
            return None
        if scheme == "tel":
            return None if _TEL_RE.match(u) else f"电话链接“{url}”格式不对：应为 tel:12338 这样的号码"
        return f"链接“{url}”不允许（{scheme}:）：{LINK_HINT}"
    if u.startswith("//") or "\\" in u:
        return f"链接“{url}”不允许：{LINK_HINT}"
    return None


# Markdown syntax characters, written as character references so text from content stays text
# where the page is Markdown (headings): no links, emphasis, attribute lists or HTML from content.
_MD_REFS = {ord(c): f"&#{ord(c)};" for c in "\\`*_{}[]()#+!|~<>&\"':"}
_MD_REFS.update({ord("\n"): " ", ord("\r"): " ", ord("\t"): " "})


def md_text(text: str) -> str:
    """Content text for a Markdown context (a heading, a link label in a guide): shown as
    typed, never parsed as Markdown or HTML."""
    return str(text).translate(_MD_REFS)


def guide_problems(body: str, first_line: int = 1) -> list[tuple[int, str, str]]:
    """(line, 中文说明, English hint) for everything a guide body may not contain."""
    out: list[tuple[int, str, str]] = []
    lines = body.splitlines()
    refs: dict[str, tuple[int, str]] = {}
    for n, line in enumerate(body.split("\n"), start=first_line):
        problem = control_problem(line)
        if problem:
            out.append((n, problem, "control character in the text"))
    for n, line in enumerate(lines, start=first_line):
        text = SHORTCODE_RE.sub(lambda m: "", line)   # [[法#条|label]] is ours, checked elsewhere
        for m in _AUTOLINK_RE.finditer(text):
            problem = link_problem(m.group(1) if ":" in m.group(1) else "mailto:" + m.group(1))
            if problem:
                out.append((n, problem, "link scheme not allowed"))
        scan = _AUTOLINK_RE.sub(" ", text)
        for m in _TAG_RE.finditer(scan):
            tag = m.group(0)[:40]
            out.append((n, f"指南正文不能包含 HTML 标签“{tag}”：请只用 Markdown（如 **加粗**、"
                           "[链接文字](https://…)），不要写 <…>", "HTML is not allowed in guides"))
        for m in _ATTR_LIST_RE.finditer(text):
            out.append((n, f"指南正文不能用“{m.group(0)[:40]}”给内容加属性：只可写 {{#锚点}} 或 {{.样式}}",
                        "attribute lists with values are not allowed"))
        for m in _INLINE_LINK_RE.finditer(text):
            problem = link_problem(m.group(2), image=bool(m.group(1)))
            if problem:
                out.append((n, problem, "link target not allowed"))
        d = _REF_DEF_RE.match(text)
        if d:
            label = text.split("]", 1)[0].lstrip(" [").lower()
            refs[label] = (n, d.group(1))
            problem = link_problem(d.group(1))
            if problem:
                out.append((n, problem, "link target not allowed"))
    for n, line in enumerate(lines, start=first_line):   # ![x][ref]: a picture from a definition
        for m in _REF_USE_RE.finditer(line):
            if m.group(1) and m.group(2).lower() in refs:
                problem = link_problem(refs[m.group(2).lower()][1], image=True)
                if problem:
                    out.append((n, problem, "image source not allowed"))
    if not out:
        out.extend(_rendered_problems(body, lines, first_line))
    return out


# ---- second opinion: render the Markdown as the site does and look at the result -------------

_ALLOWED_TAGS = {"a", "abbr", "blockquote", "br", "code", "dd", "del", "details", "div", "dl", "dt", "em",
                 "h1", "h2", "h3", "h4", "h5", "h6", "hr", "img", "li", "ol", "p", "pre", "span", "strong",
                 "summary", "sup", "sub", "table", "tbody", "td", "th", "thead", "tr", "ul"}
_ALLOWED_ATTRS = {"href", "src", "alt", "title", "id", "class", "align", "style", "colspan", "rowspan",
                  "open"}


class _Collect(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.bad: list[tuple[str, str]] = []   # (what, value to find in the source)

    def handle_starttag(self, tag, attrs):
        if tag not in _ALLOWED_TAGS:
            self.bad.append((f"<{tag}>", tag))
        for key, value in attrs:
            value = value or ""
            if key not in _ALLOWED_ATTRS or (key == "style" and tag not in ("td", "th")):
                self.bad.append((f"{key}=", key))
            elif key in ("href", "src") and link_problem(value, image=tag == "img" and key == "src"):
                self.bad.append((value, value))


def _rendered_problems(body: str, lines: list[str], first_line: int) -> list[tuple[int, str, str]]:
    import markdown
    text = SHORTCODE_RE.sub(lambda m: "引用", body)
    try:
        rendered = markdown.markdown(text, extensions=["attr_list", "admonition", "tables", "toc"])
    except Exception:   # the check must not crash on odd Markdown; the site engine will report it
        return []
    p = _Collect()
    p.feed(rendered)
    out = []
    for what, needle in p.bad:
        line = next((i for i, l in enumerate(lines, start=first_line) if needle in l), first_line)
        out.append((line, f"指南正文中的“{what[:60]}”不允许：{LINK_HINT}；不能写 HTML 或属性",
                    "markup not allowed in guides"))
    return out
