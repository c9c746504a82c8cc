"""Guides grouped by need: the first entry of a guide's front matter ``topics:`` decides its
group (the groups of the shared vocabulary: content/topics.py). Used by the home page, the guide
index and the menu. A topic outside the shared vocabulary gets a group of its own."""

from __future__ import annotations

from dataclasses import dataclass, field

from weiquan.content.topics import BY_TOPIC, GROUPS, STATIONS
from weiquan.content.urls import guide_src, station_dir_src
from weiquan.site.html import nav_label
from weiquan.zh.slug import pinyin_slug

_KEYS = {g.key for g in GROUPS}


@dataclass
class Group:
    key: str            # anchor on the guide index
    label: str          # everyday words
    guides: list = field(default_factory=list)


def guide_groups(guides) -> list[Group]:
    """Groups with at least one guide (the station group always), in GROUPS order, then other topics."""
    order = {g.key: i for i, g in enumerate(GROUPS)}
    groups: dict[str, Group] = {}
    for g in sorted(guides, key=lambda g: (g.meta.order, g.title)):
        first = g.meta.topics[0] if g.meta.topics else "其他"
        if first in BY_TOPIC:
            key, label = BY_TOPIC[first].key, BY_TOPIC[first].label
        else:   # an anchor, id and link target: a slug, never the topic's text
            key = next((k for k, gr in groups.items() if gr.label == first), None)
            if key is None:
                base = key = "t-" + pinyin_slug(first)
                n = 2
                while key in groups or key in _KEYS:
                    key, n = f"{base}-{n}", n + 1
            label = first
        groups.setdefault(key, Group(key, label)).guides.append(g)
    groups.setdefault(STATIONS, Group(STATIONS, BY_TOPIC["服务站"].label))
    return sorted(groups.values(), key=lambda gr: (order.get(gr.key, len(GROUPS) - 0.5), gr.label))


def group_target(group: Group) -> str | tuple[str, str]:
    """Where a topic tile leads: the guide itself when the group has one, the station directory
    for 找服务站, else the group's section of the guide index (src, anchor)."""
    if group.key == STATIONS:
        return station_dir_src()
    if len(group.guides) == 1:
        return guide_src(group.guides[0].slug)
    return ("guides/index.md", group.key)


def menu(guides, nav: list) -> list:
    """The mkdocs nav with its guide entry replaced by 我该怎么办: one entry per topic group.
    Labels are HTML text (the theme prints nav titles as they are)."""
    entries: list = [{"全部指南": "guides/index.md"}]
    for gr in guide_groups(guides):
        if gr.key == STATIONS and not gr.guides:
            continue
        if len(gr.guides) == 1:
            entries.append({nav_label(gr.label): guide_src(gr.guides[0].slug)})
        else:
            entries.append({nav_label(gr.label): [{nav_label(g.title): guide_src(g.slug)} for g in gr.guides]})
    out = []
    for item in nav or []:
        if isinstance(item, dict) and list(item.values()) == ["guides/index.md"]:
            out.append({"我该怎么办": entries})
        else:
            out.append(item)
    return out
