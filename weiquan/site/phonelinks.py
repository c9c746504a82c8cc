"""Phone numbers written in content text become tel: links, so every number can be called with
one tap: the hotlines of content/site.yaml (110, 12338, …) and phone numbers written as such
(mobile 1xxxxxxxxxx, landline 0xxx-xxxxxxx, 400/800 numbers).

Only text is touched: never inside a tag or attribute, an existing link, code, a URL, an HTML
entity, a Markdown link or attribute list. Numbers that are amounts or dates (110元, 第110条,
110年) are left alone.
"""

from __future__ import annotations

import functools
import re

from weiquan.content import phones

_UNITS = "元万亿年月日号条款项岁天周个次人名户米里亩斤克吨倍分秒%％"
_GENERAL = (r"1[3-9]\d{9}"                 # mobile
            r"|0\d{2,3}[-－]\d{7,8}"        # landline with area code
            r"|[48]00[-－]?\d{3}[-－]?\d{4}")  # 400 / 800

# Segments that are kept verbatim (Markdown or HTML): code, links, tags, URLs, entities, {: attrs }.
_PROTECT_MD = re.compile(
    r"(?ms)^(```|~~~).*?^\1[^\n]*$"                  # fenced code
    r"|`+[^`\n]*`+"                                 # inline code
    r"|<!--.*?-->"                                  # comments
    r"|<(a|code|pre|script|style|kbd|samp|textarea)\b[^>]*>.*?</\2\s*>"  # whole element
    r"|<[^>\n]*>"                                   # any other tag (attributes)
    r"|!?\[[^\]\n]*\]\([^)\n]*\)"                    # Markdown link / image
    r"|!?\[[^\]\n]*\]\[[^\]\n]*\]"                   # reference link
    r"|^\s{0,3}\[[^\]\n]+\]:[^\n]*$"                # reference definition
    r"|\[\[[^\]\n]*\]\]"                            # shortcode (normally already replaced)
    r"|\{[:#.][^}\n]*\}"                            # attribute list
    r"|(?:https?|ftp|tel|mailto):[^\s<>)\]]*"       # URL
    r"|www\.[^\s<>)\]]*"
    r"|&#?\w+;")                                    # entity


class PhoneLinker:
    def __init__(self, hotlines: list[str]):
        numbers = sorted({phones.digits(n) for n in hotlines if phones.digits(n).isdigit()}, key=len, reverse=True)
        alts = "|".join([re.escape(n) for n in numbers] + [_GENERAL])
        # not part of a longer number, word, path or amount; not 第110条
        self._number = re.compile(rf"(?<![0-9A-Za-z_.\-－/#=&;第])({alts})(?![.\-－/]?\d|[{_UNITS}]|[A-Za-z_])")

    def _link(self, m: re.Match) -> str:
        number = m.group(1)
        return f'<a class="wq-tel-inline" href="{phones.tel_uri(number)}">{number}</a>'

    def text(self, text: str) -> str:
        """Link the numbers in a piece of text that holds no markup (already escaped)."""
        return self._number.sub(self._link, text)

    def markup(self, source: str) -> str:
        """Link the numbers in Markdown or HTML, outside everything _PROTECT_MD keeps."""
        out, pos = [], 0
        for m in _PROTECT_MD.finditer(source):
            out.append(self.text(source[pos:m.start()]))
            out.append(m.group(0))
            pos = m.end()
        out.append(self.text(source[pos:]))
        return "".join(out)


@functools.lru_cache(maxsize=8)
def _linker(numbers: tuple[str, ...]) -> PhoneLinker:
    return PhoneLinker(list(numbers))


def linker_for(settings) -> PhoneLinker:
    """The linker for a site's hotlines (content/site.yaml)."""
    return _linker(tuple(h.number for h in settings.hotlines))
