"""The shared topic vocabulary (``topics:`` of guides and cases), grouped by need.

Each group has a stable anchor and an everyday label (家暴, 保护令, 离婚和孩子 …); the first topic
of a guide decides its group on the home page, the guide index and the menu (site/topics.py).
The check of topics (checks.check_topics) knows these words: a topic written once, outside them
and close to one of them, is a typo."""

from __future__ import annotations

from typing import NamedTuple


class TopicGroup(NamedTuple):
    key: str                      # anchor on the guide index: a slug, never text
    label: str                    # everyday words
    topics: tuple[str, ...]       # topics of the shared vocabulary


# in the order shown
GROUPS: tuple[TopicGroup, ...] = (
    TopicGroup("jiabao", "家暴", ("家庭暴力",)),
    TopicGroup("baohuling", "保护令", ("人身安全保护令",)),
    TopicGroup("lihun", "离婚和孩子", ("离婚", "子女抚养")),
    TopicGroup("haizi", "孩子受到伤害", ("儿童性侵害", "未成年人", "校园欺凌")),
    TopicGroup("saorao", "被骚扰、被打", ("性骚扰", "人身伤害")),
    TopicGroup("gongzuo", "工作和怀孕", ("怀孕和产假", "就业歧视")),
    TopicGroup("caili", "彩礼、逼婚", ("彩礼", "婚姻自由")),
    TopicGroup("chonghun", "重婚、同居", ("重婚和同居",)),
    TopicGroup("guaimai", "拐卖", ("拐卖",)),
    TopicGroup("tudi", "村里的土地", ("土地权益",)),
    TopicGroup("laoren", "老人赡养", ("老人赡养",)),
    TopicGroup("wangluo", "网上隐私", ("网络和隐私",)),
    TopicGroup("zhapian", "被骗了钱", ("电信网络诈骗",)),
    TopicGroup("yuanzhu", "打官司、请律师", ("法律援助", "打官司")),
    TopicGroup("fuwuzhan", "找服务站", ("服务站", "维权服务站")),
)
STATIONS = "fuwuzhan"   # this group's tile leads to the station directory

SHARED_TOPICS: frozenset[str] = frozenset(t for g in GROUPS for t in g.topics)
BY_TOPIC: dict[str, TopicGroup] = {t: g for g in GROUPS for t in g.topics}
