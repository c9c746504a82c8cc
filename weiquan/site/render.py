"""Page bodies from Jinja2 templates (weiquan/site/templates/): a page function builds a small
context of plain values (hrefs, labels, entries), a template writes the page's Markdown and HTML
blocks. Autoescaped everywhere: content is text wherever it lands. ``|md`` writes text where the
page is Markdown (headings), ``|tel_links`` turns phone numbers in rendered text into tel: links.
"""

from __future__ import annotations

import functools
import re

from jinja2 import Environment, PackageLoader, StrictUndefined, pass_context
from markupsafe import Markup

from weiquan.content import phones
from weiquan.content.markup import md_text
from weiquan.zh.dates import cn_date

_ITEM_RE = re.compile(r"^[（(][一二三四五六七八九十百]+[）)]")   # （一）… a 项 of a law paragraph


@pass_context
def _tel_links(context, html) -> Markup:
    """Rendered HTML with the hotline and phone numbers in its text as tel: links
    (site/phonelinks.py; the hotlines of the context's ``settings``)."""
    from weiquan.site.phonelinks import linker_for
    return Markup(linker_for(context["settings"]).markup(str(html)))


def _paras(text: str) -> list[str]:
    """Plain text's paragraphs (blank-line separated)."""
    return [p.strip() for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]


@functools.cache
def environment() -> Environment:
    env = Environment(loader=PackageLoader("weiquan.site", "templates"), autoescape=True,
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
                      undefined=StrictUndefined,
                      comment_start_string="{##", comment_end_string="##}")   # {#id} is Markdown
    env.filters.update(md=lambda text: Markup(md_text(text)), date=cn_date, tel_uri=phones.tel_uri,
                       paras=_paras, tel_links=_tel_links)
    env.tests["law_item"] = lambda line: bool(_ITEM_RE.match(line))
    return env


def render(template: str, **context) -> str:
    return environment().get_template(template).render(**context)


