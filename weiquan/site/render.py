"""Page bodies from Jinja2 templates (weiquan/site/templates/): a page function builds a small
context of plain values (hrefs, labels, entries), a template writes the page's Markdown and HTML
blocks. Autoescaped everywhere: content is text wherever it lands. ``|md`` writes text where the
page is Markdown (headings), ``|tel_links`` turns phone numbers in rendered text into tel: links.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import re

from jinja2 import Environment, PackageLoader, StrictUndefined, pass_context
from markupsafe import Markup
from pydantic import BaseModel

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
    if RENDERS.active:
        return RENDERS.render(template, context)
    return environment().get_template(template).render(**context)


# ---- the renders of the last preview build ------------------------------------------------------

class _Unkeyed(Exception):
    """A context value the memo cannot compare (a function, the site …): render it."""


class _Same:
    """An entry (a pydantic model) compared by identity: the loader hands out the same object
    while its file is unchanged (its parse memo) and a new one when it changed."""
    __slots__ = ("obj",)

    def __init__(self, obj):
        self.obj = obj

    def __hash__(self):
        return id(self.obj)

    def __eq__(self, other):
        return isinstance(other, _Same) and other.obj is self.obj


_SCALARS = (int, float, bool, type(None), dt.date, dt.datetime)


def _key(value):
    """A hashable stand-in for a template context value, equal only for values that render the
    same: text by value (Markup apart from str), containers and dataclasses by their items,
    entries by identity."""
    t = type(value)
    if t is str:
        return value
    if t is list or t is tuple:
        return (t, *map(_key, value))
    if t is dict:
        return (dict, *value.keys(), *map(_key, value.values()))
    if t is Markup:
        return (Markup, str(value))
    if t in _SCALARS:
        return (t, value)
    if isinstance(value, BaseModel):
        return _Same(value)
    fields = _FIELDS.get(t)
    if fields is None:
        if not dataclasses.is_dataclass(t):
            raise _Unkeyed(t)
        names = [f.name for f in dataclasses.fields(t)]
        fields = _FIELDS[t] = lambda v, names=names: [getattr(v, n) for n in names]
    return (t, *map(_key, fields(value)))


_FIELDS: dict = {}   # dataclass -> its field values


class RenderMemo:
    """Previews: a page template rendered with a context equal to one of the last build's is
    not rendered again (a preview generates every page's Markdown on every change; most are
    unchanged). ``begin()``/``end()`` frame one build: a build keeps what it rendered and
    reused, so what the memo holds stays as large as one site's pages."""

    def __init__(self):
        self.active = False
        self.last: dict = {}
        self.now: dict = {}
        self.hits = 0

    def begin(self) -> None:
        self.active, self.now, self.hits = True, {}, 0

    def end(self, keep: bool = True) -> None:
        if keep and self.active:
            self.last = self.now
        self.active, self.now = False, {}

    def render(self, template: str, context: dict) -> str:
        try:
            key = (template, _key(context))
        except _Unkeyed:
            return environment().get_template(template).render(**context)
        out = self.now.get(key)
        if out is None:
            out = self.last.get(key)
            if out is None:
                out = environment().get_template(template).render(**context)
            else:
                self.hits += 1
            self.now[key] = out
        return out


RENDERS = RenderMemo()


