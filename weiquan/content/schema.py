"""JSON Schemas for editors (yaml-language-server in VS Code), generated from the models.

They accept what `weiquan check` accepts (dates as written in YAML, whole numbers in number
fields, true/false only), and every field has a Chinese title and description: they show as
autocompletion and hover text. Checks that need other files (does the cited article exist,
does the region code exist) are only in `weiquan check`."""

from __future__ import annotations

import json
import re
from pathlib import Path

from weiquan.content import types
from weiquan.content.model import Settings, Synonyms
from weiquan.zh.han import HAN_BMP

DRAFT = "https://json-schema.org/draft/2020-12/schema"

# The Chinese title and description editors see: of a model (Settings), of a field (slug), or of
# one model's field (Form.court, which overrides the field's own).
DOCS: dict[str, tuple[str, str]] = {
    # models
    "Settings": ("站点设置", "content/site.yaml：站点名称、服务地区、求助热线、示例地区"),
    "Hotline": ("求助热线", "显示在每页顶部和首页的电话"),
    "ExtraRegion": ("示例地区", "不在国家区划数据里的地区（如示例县），代码以 99 开头"),
    "Law": ("法律", "content/laws/ 下的一部法律、法规或司法解释：原文逐条逐款，由 weiquan import-law 生成"),
    "Part": ("编、章、节", "法律的结构：编 / 分编 / 章 / 节，里面是条文或下一级"),
    "Article": ("条文", "一条：序号和各款原文"),
    "Appendix": ("附件", "条文之后的附件、附表、附录"),
    "Case": ("以案释法案例", "content/cases/ 下的一个案例：案情、结果、解读和引用的条文"),
    "Provenance": ("案例来源", "示例（虚构）、改编（注明来源）或已发布（注明发布单位和日期）"),
    "Citation": ("引用的条文", "写成 {law: 反家庭暴力法, article: 23}"),
    "Station": ("服务站", "content/stations/ 下的一个维权服务站、庇护中心、法律援助工作站等"),
    "Region": ("所在地区", "省、市、县（区）、乡镇（街道）名称和统计用区划代码"),
    "Phone": ("电话", "一个电话号码和它的说明"),
    "Campaign": ("宣传活动", "content/campaigns/ 下的一次活动，如三八维权周：日期、活动安排、宣传单内容"),
    "YearlyRule": ("每年的日期", "每年都办的活动：开始日和结束日（MM-DD）"),
    "Event": ("一场活动", "日期、时间、地点、内容和主办单位"),
    "LeafletSpec": ("宣传单内容", "宣传单上印哪些条文、案例和服务站"),
    "GuideMeta": ("指南前言", "content/guides/*.md 开头 --- 之间的 YAML"),
    "Synonyms": ("搜索同义词表", "content/synonyms.yaml：人们平常的说法 → 法律和指南里的用词"),
    "SynonymEntry": ("一组说法", "words 是平常的说法，means 是内容里的用词"),
    "Form": ("申请引导", "content/forms/ 下的一份申请书引导（如人身安全保护令申请）"),
    "FormStep": ("一屏问题", "引导里的一步"),
    "FormField": ("一个问题", "要申请人填写的一项"),
    "FormChoice": ("一个选项", "措施或证据的一个选项"),
    "FormCourt": ("去哪个法院", "选择法院的规则和依据"),
    "CitedText": ("有依据的一句话", "一句话和它依据的条文"),
    # fields
    "slug": ("英文标识", "小写字母、数字和连字符，如 chengguan；网址由它决定，定了就不要改"),
    "title": ("标题", "显示在页面上的标题"),
    "name": ("名称", "全称"),
    "short_name": ("简称", "较短的名称"),
    "summary": ("摘要", "一两句话说清楚要点，显示在列表和搜索结果里"),
    "description": ("说明", "一段说明文字"),
    "note": ("备注", "补充说明（可选）"),
    "topics": ("主题", "如 家庭暴力、离婚、法律援助；同一主题在各处写法要一样"),
    "questions": ("日常问题", "这一页回答的日常问题，按人们说话的方式写，如 老公打我怎么办"),
    "readings": ("读音", "人名、地名等的拼音，如 单某: shàn mǒu"),
    "kind": ("类别", "从可选值里选一个"),
    "code": ("区划代码", "统计用区划代码"),
    "number": ("电话号码", "手机号、带区号的座机号（如 0571-87654321）或 12338 这样的服务号码；示例条目用 0000- 开头的号码"),
    "label": ("说明", "显示在号码前面的文字，如 值班电话"),
    "date": ("日期", "写成 YYYY-MM-DD，如 2027-03-08"),
    "start": ("开始日期", "写成 YYYY-MM-DD"),
    "end": ("结束日期", "写成 YYYY-MM-DD，不早于开始日期"),
    "url": ("网址", "以 http:// 或 https:// 开头的完整网址"),
    "paragraphs": ("原文", "各段原文，按顺序，一段一项"),
    "heading": ("标题", "按原文书写"),
    "parts": ("下一级", "编、分编、章、节"),
    "articles": ("条文", "各条，按顺序"),
    "id": ("编号", "英文小写字母、数字和连字符，同一份内唯一"),
    "cite": ("依据", "依据的条文，写成 {law: 反家庭暴力法, article: 23}"),
    "Settings.name": ("站点名称", "显示在每页顶部，如 某某县妇女儿童维权网"),
    "Settings.short_name": ("站点简称", "手机桌面图标下的名字（可选）"),
    "Settings.region": ("服务地区", "如 浙江省湖州市某某县"),
    "Settings.description": ("站点简介", "搜索引擎和分享时显示的一句话"),
    "Settings.hotlines": ("求助热线", "每页顶部和首页显示的电话，按显示顺序；只写真实的号码"),
    "Settings.extra_regions": ("示例地区", "不在国家区划数据里的地区（代码以 99 开头），只给示例内容用"),
    "Settings.topics": ("常用主题", "显示在首页的主题"),
    "Hotline.number": ("热线号码", "如 12338、110；只写真实的号码"),
    "Hotline.label": ("热线名称", "如 妇女维权热线"),
    "Hotline.description": ("热线说明", "什么时候打、能帮什么"),
    "Hotline.primary": ("主要热线", "true：显示在每页顶部的电话栏和宣传单上；false：只在首页的求助电话列表里"),
    "Hotline.bar": ("显示在电话栏", "true：显示在每页顶部的电话栏；false：只在首页的求助电话列表里"),
    "ExtraRegion.code": ("区划代码", "示例地区用 99 开头的代码：省 2 位、市 4 位、县 6 位、乡 9 位"),
    "ExtraRegion.name": ("地区名称", "如 示例县"),
    "ExtraRegion.level": ("级别", "省、市、县或乡"),
    "ExtraRegion.parent": ("上级代码", "上一级地区的代码（省级不写）"),
    "Law.title": ("全称", "法律的正式名称，如 中华人民共和国反家庭暴力法"),
    "Law.short_name": ("简称", "引用时用的名称，如 反家庭暴力法"),
    "Law.aliases": ("别名", "其他常用叫法，如 反家暴法"),
    "Law.kind": ("效力级别", "法律、行政法规、司法解释等"),
    "Law.issuer": ("制定机关", "如 全国人民代表大会常务委员会"),
    "Law.adopted": ("通过日期", "写成 YYYY-MM-DD"),
    "Law.amended": ("修正、修订日期", "按时间先后，写成 YYYY-MM-DD"),
    "Law.status": ("状态", "有效、已修改、已废止或尚未生效"),
    "Law.source_url": ("来源网址", "官方文本的网址"),
    "Law.replaced_by": ("现行文本", "已修改或已废止时，现行文本的英文标识"),
    "Law.history": ("题注", "官方文本开头的通过、修正记录，按原文"),
    "Law.preface": ("序言", "第一条之前的文字，按原文"),
    "Law.parts": ("编、章、节", "法律的结构"),
    "Law.articles": ("不分章的条文", "不属于任何编、章的条文"),
    "Part.kind": ("层级", "编、分编、章、节或附则"),
    "Article.topics": ("主题", "这一条涉及的主题（可选）"),
    "Case.title": ("案例标题", "一句话说清楚发生了什么、结果怎样"),
    "Case.provenance": ("来源", "示例、改编或已发布"),
    "Case.facts": ("案情", "发生了什么"),
    "Case.outcome": ("结果", "怎么处理的"),
    "Case.explanation": ("解读", "用平常的话讲清楚法律怎么规定、当事人可以怎么做"),
    "Case.citations": ("引用的条文", "至少一条，写成 {law: 反家庭暴力法, article: 23}"),
    "Provenance.type": ("来源类型", "示例：虚构；改编：根据真实案例改写（注明来源）；已发布：官方发布的案例"),
    "Provenance.publisher": ("发布单位", "如 最高人民法院"),
    "Provenance.date": ("发布日期", "写成 YYYY-MM-DD"),
    "Provenance.url": ("来源网址", "以 https:// 开头"),
    "Provenance.note": ("说明", "如 人物和情节均为虚构"),
    "Citation.law": ("法律", "英文标识、全称、简称或别名，如 反家庭暴力法"),
    "Citation.article": ("条", "23、第二十三条或 120之一"),
    "Station.name": ("服务站名称", "全称；示例条目加“（示例）”"),
    "Station.kind": ("类别", "维权服务站、庇护中心、法律援助工作站等"),
    "Station.example": ("示例条目", "true：虚构的示例（只能在示例地区，电话用 0000- 开头）；真实的服务站不写"),
    "Station.region": ("所在地区", "省、市、县、乡镇名称和区划代码，按国家统计局区划数据"),
    "Station.address": ("地址", "能找到门的详细地址"),
    "Station.phones": ("电话", "至少一个"),
    "Station.hours": ("办公时间", "如 周一至周五 9:00—17:00"),
    "Station.services": ("服务内容", "每项一行"),
    "Station.last_verified": ("核实日期", "最近一次打电话核实信息的日期，写成 YYYY-MM-DD"),
    "Station.note": ("备注", "如 节假日安排"),
    "Region.province": ("省", "省、自治区、直辖市名称，按区划数据"),
    "Region.city": ("市", "地级市、州、盟名称（直辖市写 市辖区）"),
    "Region.county": ("县（区）", "县、区、县级市名称"),
    "Region.township": ("乡镇（街道）", "乡、镇、街道名称；代码是县级代码时不写"),
    "Region.code": ("区划代码", "最小一级的统计用区划代码：乡级 9 位或县级 6 位"),
    "Phone.label": ("电话说明", "如 值班电话、投诉电话"),
    "Campaign.name": ("活动名称", "如 三八维权周"),
    "Campaign.year": ("年份", "如 2027"),
    "Campaign.start": ("开始日期", "写成 YYYY-MM-DD；或者用 yearly 写每年的日期"),
    "Campaign.end": ("结束日期", "写成 YYYY-MM-DD"),
    "Campaign.yearly": ("每年的日期", "每年都办时写 {start: \"03-01\", end: \"03-08\"}"),
    "Campaign.theme": ("主题", "今年的活动主题"),
    "Campaign.events": ("活动安排", "每场活动一项"),
    "Campaign.leaflet": ("宣传单", "宣传单上印的条文、案例和服务站"),
    "YearlyRule.end": ("每年结束日", "MM-DD，如 03-08"),
    "Event.place": ("地点", "在哪里"),
    "Event.station": ("服务站", "主办服务站的英文标识（可选）"),
    "Event.activity": ("活动内容", "做什么"),
    "Event.organiser": ("主办单位", "如 城关镇妇联"),
    "LeafletSpec.highlights": ("重点条文", "印在宣传单上的条文"),
    "LeafletSpec.cases": ("案例", "印在宣传单上的案例（英文标识）"),
    "GuideMeta.title": ("指南标题", "用平常的话写，如 被家暴了怎么办"),
    "GuideMeta.slug": ("英文标识", "不写时用文件名"),
    "GuideMeta.order": ("排序", "数字小的排在前面"),
    "GuideMeta.topics": ("主题", "第一个主题决定它在首页的分组"),
    "Synonyms.entries": ("同义词", "一组说法一项"),
    "SynonymEntry.words": ("平常的说法", "人们在搜索框里怎么说，只写汉字，一个说法一项"),
    "SynonymEntry.means": ("内容里的用词", "法律、指南里对应的说法，必须在网站内容里出现过"),
    "Form.steps": ("步骤", "引导的每一屏，按顺序"),
    "Form.measures": ("可请求的措施", "申请人可以勾选的措施，每项注明依据"),
    "Form.evidence": ("证据", "申请人可以勾选的证据"),
    "Form.court": ("管辖法院", "去哪个法院申请，以及依据"),
    "FormStep.fields": ("问题", "这一屏要填的各项"),
    "FormStep.notes": ("提示", "这一屏的提示，每句注明依据"),
    "LeafletSpec.stations": ("服务站", "印宣传单的服务站：英文标识列表，或 all = 本站全部服务站"),
    "Event.time": ("时间", "如 09:00—11:30 或 \"14:30\"；不填为全天"),
    "Citation.version": ("版本", "指定版本（版本日期 YYYY-MM-DD），不写为现行版本"),
}


def _doc(model: str, field: str) -> tuple[str, str] | None:
    return DOCS.get(f"{model}.{field}") or DOCS.get(field)


def _annotate(node: dict, model: str) -> None:
    if model in DOCS:
        node["title"], desc = DOCS[model]
        node.setdefault("description", desc)
    for field, prop in (node.get("properties") or {}).items():
        doc = _doc(model, field)
        if doc:
            prop["title"] = doc[0]
            prop.setdefault("description", doc[1])
        elif prop.get("description"):   # the model's own Chinese description: its first words as the title
            prop["title"] = re.split(r"[：:，,；（(]", prop["description"], maxsplit=1)[0][:16]
        elif prop.get("title", "").replace(" ", "").lower() == field.replace("_", "").lower():
            prop.pop("title")   # pydantic's English default: better none than that (a test lists gaps)


# Rules of model validators, restated for editors
EXTRA_RULES: dict[str, dict] = {
    "Campaign": {"anyOf": [{"required": ["start", "end"]}, {"required": ["yearly"]}],
                 "errorMessage": "须给出起止日期 start/end，或每年规则 yearly"},
    "Provenance": {"if": {"properties": {"type": {"const": "已发布"}}, "required": ["type"]},
                   "then": {"required": ["publisher", "date"]}},
}
ARTICLE_NUMBER = r"^第[零〇一二两三四五六七八九十百千万\d]+条(?:之[零〇一二两三四五六七八九十百千万\d]+)?$"


def _model_schema(name: str, model) -> dict:
    schema = model.model_json_schema()
    defs = schema.get("$defs", {})
    for def_name, node in defs.items():
        _annotate(node, def_name)
        node.update({k: v for k, v in EXTRA_RULES.get(def_name, {}).items() if k != "errorMessage"})
    _annotate(schema, model.__name__)
    schema.update({k: v for k, v in EXTRA_RULES.get(model.__name__, {}).items() if k != "errorMessage"})
    article = defs.get("Article", {}).get("properties", {}).get("number")
    if article is not None:
        article["pattern"] = ARTICLE_NUMBER
    schema["$schema"] = DRAFT
    schema["$id"] = f"{name}.schema.json"
    return schema


def pinyin_schema() -> dict:
    reading = {"type": "string", "pattern": r"^\s*[a-zA-Züāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ1-5:]+"
               r"(?:\s+[a-zA-Züāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ1-5:]+)*\s*$"}
    return {
        "$schema": DRAFT, "$id": "pinyin.schema.json", "title": "拼音读音词表",
        "description": "content/pinyin.yaml：词语: \"读音\"，每个汉字一个音节，音节之间用空格，如 还款: \"huán kuǎn\"",
        "type": ["object", "null"],
        "propertyNames": {"pattern": "^[" + HAN_BMP.encode("unicode_escape").decode("ascii") + "]+$",
                          "description": "词语：只写汉字"},
        "additionalProperties": {
            "title": "读音",
            "description": "每个汉字一个音节，用空格隔开；声调写符号（huán）或数字（huan2），ü 可写成 v",
            "anyOf": [reading, {"type": "array", "items": {"type": "string"}, "minItems": 1}]},
    }


def schema_models() -> dict[str, type]:
    """Schema name -> model: site.yaml, synonyms.yaml and one per content type (types.py)."""
    return {"synonyms": Synonyms, "site": Settings, **{t.kind: t.model for t in types.TYPES}}


def schemas() -> dict[str, dict]:
    out = {f"{name}.schema.json": _model_schema(name, model) for name, model in schema_models().items()}
    out["pinyin.schema.json"] = pinyin_schema()
    return out


def write_schemas(out_dir: Path) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for filename, schema in schemas().items():
        path = out_dir / filename
        path.write_text(json.dumps(schema, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        written.append(path)
    return written
