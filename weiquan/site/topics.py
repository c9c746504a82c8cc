"""Guides grouped by need: the first entry of a guide's front matter ``topics:`` decides its
group; groups have everyday labels (家暴, 保护令, 离婚和孩子 …). Used by the home page, the guide
index and the menu. A topic outside the shared vocabulary gets a group of its own."""

from __future__ import annotations

from dataclasses import dataclass, field

from weiquan.content.urls import guide_src, station_dir_src
from weiquan.site.html import nav_label
from weiquan.zh.slug import pinyin_slug

# (anchor, everyday label, topics of the shared vocabulary), in the order shown
GROUPS: list[tuple[str, str, tuple[str, ...]]] = [
    ("jiabao", "家暴", ("家庭暴力",)),
    ("baohuling", "保护令", ("人身安全保护令",)),
    ("lihun", "离婚和孩子", ("离婚", "子女抚养")),
    ("haizi", "孩子受到伤害", ("儿童性侵害", "未成年人", "校园欺凌")),
    ("saorao", "被骚扰、被打", ("性骚扰", "人身伤害")),
    ("gongzuo", "工作和怀孕", ("怀孕和产假", "就业歧视")),
    ("caili", "彩礼、逼婚", ("彩礼", "婚姻自由")),
    ("chonghun", "重婚、同居", ("重婚和同居",)),
    ("guaimai", "拐卖", ("拐卖",)),
    ("tudi", "村里的土地", ("土地权益",)),
    ("laoren", "老人赡养", ("老人赡养",)),
    ("wangluo", "网上隐私", ("网络和隐私",)),
    ("zhapian", "被骗了钱", ("电信网络诈骗",)),
    ("yuanzhu", "打官司、请律师", ("法律援助", "打官司")),
    ("fuwuzhan", "找服务站", ("服务站", "维权服务站")),
]
STATIONS = "fuwuzhan"   # this group's tile leads to the station directory
_BY_TOPIC = {t: (key, label) for key, label, topics in GROUPS for t in topics}
_KEYS = {key for key, _, _ in GROUPS}


@dataclass
class Group:
    key: str            # anchor on the guide index
    label: str          # everyday words
    guides: list = field(default_factory=list)


def guide_groups(guides) -> list[Group]:
    """Groups with at least one guide (the station group always), in GROUPS order, then other topics."""
    order = {key: i for i, (key, _, _) in enumerate(GROUPS)}
    groups: dict[str, Group] = {}
    for g in sorted(guides, key=lambda g: (g.meta.order, g.title)):
        first = g.meta.topics[0] if g.meta.topics else "其他"
        if first in _BY_TOPIC:
            key, label = _BY_TOPIC[first]
        else:   # an anchor, id and link target: a slug, never the topic's text
            key = next((k for k, gr in groups.items() if gr.label == first), None)
            if key is None:
                base = key = "t-" + pinyin_slug(first)
                n = 2
                while key in groups or key in _KEYS:
                    key, n = f"{base}-{n}", n + 1
            label = first
        groups.setdefault(key, Group(key, label)).guides.append(g)
    groups.setdefault(STATIONS, Group(STATIONS, _BY_TOPIC["服务站"][1]))
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
