"""Typed ids of what pages link and search documents are about, shared by the outputs (search
computes related content, site links it) so neither parses the other's strings or URLs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple


class DocId(NamedTuple):
    """An entry or an article: ("case", slug), ("guide", slug), ("article", law slug, anchor).
    Written as the search documents' ids: case:<slug>, article:<law slug>:<anchor>."""
    kind: str
    slug: str
    anchor: str = ""

    def __str__(self) -> str:
        return ":".join([self.kind, self.slug] + ([self.anchor] if self.anchor else []))

    @classmethod
    def parse(cls, text: str) -> "DocId":
        kind, _, rest = text.partition(":")
        slug, _, anchor = rest.partition(":")
        return cls(kind, slug, anchor)


@dataclass(frozen=True)
class Related:
    """One item of a page's related content: what it is and its title (as in search results)."""
    id: DocId
    title: str
