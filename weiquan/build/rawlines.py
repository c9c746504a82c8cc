"""HTML lines of generated pages, set aside while the site engine converts their Markdown.

Generated pages are Markdown with HTML from the templates: a station list or a law's articles
is one line of HTML each. Markdown passes such a line through unchanged (a raw HTML block), but
Python-Markdown reads it character by character with an HTML parser to find where it ends, and
MkDocs reads it once more for its anchors: 2/3 of the engine's Markdown time at national scale.
So each whole line that is one balanced block-level element goes out of the Markdown, a comment
stands in its place (a raw block too), and the line comes back into the HTML after conversion.

Only generated pages: content Markdown (a guide's body) never holds HTML or comments
(content.markup), so it has no line set aside and no mark of its own.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from markdown.util import BLOCK_LEVEL_ELEMENTS

# A line starting with one of Python-Markdown's block-level elements is a raw HTML block
# wherever it stands.
BLOCK_TAGS = frozenset(BLOCK_LEVEL_ELEMENTS)
_LINE = re.compile(r"^<([a-z][a-z0-9]*)\b[^\n]*</\1>[ \t]*$", re.M)
_MARK = "<!--wq-line:{}-->"
_MARKS = re.compile(r"<!--wq-line:(\d+)-->")
_VALUE = r"""\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>"']+))"""
_ID = re.compile(r"""<[a-zA-Z][^>]*?\sid""" + _VALUE, re.I)
_A_NAME = re.compile(r"""<a\s[^>]*?(?<=\s)name""" + _VALUE, re.I)


@dataclass
class SetAside:
    """A page's Markdown with its HTML lines replaced by marks, and the lines."""
    markdown: str       # as given (converted as it is when a mark does not come back)
    marked: str         # what the engine converts
    lines: list[str]

    def restore(self, converted: str) -> str | None:
        """The converted HTML with every line back in place of its mark; None if a mark is not
        there exactly once (then convert ``markdown`` itself)."""
        seen = [0] * len(self.lines)

        def back(m: re.Match) -> str:
            i = int(m.group(1))
            if i < len(seen):
                seen[i] += 1
                return self.lines[i]
            return m.group()

        out = _MARKS.sub(back, converted)
        return out if all(n == 1 for n in seen) else None

    def anchor_ids(self) -> set[str]:
        """The ids in the lines (and <a name>), which the engine's link check would have found."""
        text = "\n".join(self.lines)
        found = _ID.findall(text) + _A_NAME.findall(text)
        return {html.unescape(a or b or c) for a, b, c in found}


def _balanced(line: str, tag: str) -> bool:
    """The line's first element closes at its end (not an outer element left open)."""
    depth = 0
    for m in re.finditer(rf"<(/?){tag}\b", line):
        depth += -1 if m.group(1) else 1
        if depth == 0 and m.end() < len(line.rstrip()) - len(tag) - 2:
            return False   # closed before the end: the line holds more than one element
    return depth == 0


def set_aside(markdown: str) -> SetAside | None:
    """The page's HTML lines set aside, or None if it has none (or already holds a mark)."""
    if "<!--wq-line:" in markdown:
        return None
    lines: list[str] = []

    def mark(m: re.Match) -> str:
        line, tag = m.group(), m.group(1)
        if tag not in BLOCK_TAGS or "markdown=" in line or not _balanced(line, tag):
            return line
        lines.append(line)
        return _MARK.format(len(lines) - 1)

    marked = _LINE.sub(mark, markdown)
    return SetAside(markdown, marked, lines) if lines else None
