"""Content model: one pydantic model per content type. JSON Schemas are generated from these."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal, Optional, Union

from pydantic import (AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, Strict, StringConstraints,
                      WithJsonSchema, model_validator)

from weiquan.content.citations import anchor_for
from weiquan.zh.numerals import parse_article_number


def _to_str(value):
    """YAML reads 12338 or 23 as whole numbers; phone numbers, article keys and times are text, and a
    whole number is taken as written. A decimal (9.30 → 9.3) is not: it must be quoted."""
    if isinstance(value, float):
        written = getattr(value, "source", "") or repr(value)
        raise ValueError(f"{written} 被读成了小数，请加英文引号写成 \"{written}\"")
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


_TEXT_SCHEMA = {"type": "string", "minLength": 1, "pattern": r"\S"}
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1), WithJsonSchema(_TEXT_SCHEMA)]
SLUG_PATTERN = r"[a-z0-9]+(?:-[a-z0-9]+)*"
SLUG_MAX = 80
SLUG_RE = re.compile(rf"\A{SLUG_PATTERN}\Z")   # \Z: a trailing newline is not a slug
RESERVED_SLUGS = frozenset({"index"})            # a folder's own page (guides/index.md …)


def slug_problem(slug: str) -> Optional[str]:
    """Why a text cannot be a slug (file name and URL of an entry), in Chinese; None if it can."""
    if not SLUG_RE.match(slug or ""):
        shown = (slug or "").encode("unicode_escape").decode("ascii")[:40]
        return f"英文标识“{shown}”不对：只能用小写字母、数字和连字符（不能以连字符开头或结尾），如 chengguan 或 sanba-2027"
    if len(slug) > SLUG_MAX:
        return f"英文标识太长：最多 {SLUG_MAX} 个字符，这里是 {len(slug)} 个"
    if slug in RESERVED_SLUGS:
        return f"英文标识不能是“{slug}”：这是目录页自己的名字，请换一个"
    return None


def _valid_slug(value: str) -> str:
    problem = slug_problem(value)
    if problem:
        raise ValueError(problem)
    return value


Slug = Annotated[str, StringConstraints(pattern=rf"^{SLUG_PATTERN}$", max_length=SLUG_MAX),
                 AfterValidator(_valid_slug)]
Key = Annotated[str, BeforeValidator(_to_str), StringConstraints(strip_whitespace=True, min_length=1),
                WithJsonSchema({"anyOf": [_TEXT_SCHEMA, {"type": "integer"}]})]
Flag = Annotated[bool, Strict()]   # true / false only (yes, no, 是 are mistakes)
Int = Annotated[int, Strict()]     # 2027, not "2027" or 2027.0

_WEB_URL_RE = re.compile(r"^https?://[^\s/?#@\\]+(?:[/?#][^\s\\]*)?$", re.I)


def _web_url(value: str) -> str:
    """A link published on the site: http(s) only (no javascript:, data:, file: …), no spaces."""
    if not _WEB_URL_RE.match(value) or any(ord(c) < 0x20 or ord(c) == 0x7f for c in value):
        raise ValueError(f"网址“{value[:80]}”无效：只能用 http:// 或 https:// 开头的完整网址")
    return value


WebUrl = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1), AfterValidator(_web_url),
                   Field(json_schema_extra={"pattern": "^https?://"})]


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=False)


# ---- site settings ----------------------------------------------------------------------

class Hotline(Model):
    number: Key
    label: Text
    description: str = ""
    primary: Flag = Field(True, description="主要热线：显示在每页顶部的电话栏和宣传单上；false 时只在首页的求助电话列表里显示")
    questions: list[Text] = Field(default_factory=list, description="打这个电话能帮上忙的日常问题，按人们说话的方式写，如 老板拖欠工资找谁（只用于搜索，可不写）")


DEFAULT_HOTLINES = [
    Hotline(number="110", label="报警", description="正在遭受暴力或面临危险时，立即拨打"),
    Hotline(number="12338", label="妇女维权公益服务热线", description="各级妇联设立，提供维权咨询、心理疏导和转介帮助"),
    Hotline(number="120", label="急救", description="受伤、急病需要急救时拨打"),
    Hotline(number="12348", label="公共法律服务热线", description="法律咨询；申请法律援助请向法律援助机构提出"),
    Hotline(number="12355", label="青少年服务台", description="共青团设立，为青少年提供心理咨询和法律帮助"),
]


class ExtraRegion(Model):
    """A region not in the national division data, e.g. the bundled 示例 county."""
    code: Key = Field(description="统计用区划代码，示例地区使用 99 开头的代码")
    name: Text
    level: Literal["省", "市", "县", "乡"]
    parent: Optional[Key] = None


class Settings(Model):
    name: Text = Field(description="站点名称")
    short_name: Optional[str] = None
    region: Text = Field(description="服务地区")
    description: str = ""
    hotlines: list[Hotline] = Field(default_factory=lambda: list(DEFAULT_HOTLINES))
    extra_regions: list[ExtraRegion] = Field(default_factory=list)
    topics: list[Text] = Field(default_factory=list, description="常用主题，显示在首页")


# ---- laws ---------------------------------------------------------------------------------

LawKind = Literal["法律", "行政法规", "司法解释", "部门规章", "地方性法规", "规范性文件", "其他"]
LawStatus = Literal["有效", "已修改", "已废止", "尚未生效"]
PartKind = Literal["编", "分编", "章", "节", "附则", "部分"]  # 部分: 一、… / （一）… of judicial interpretations


class Article(Model):
    number: Text = Field(description="条文序号，按原文书写，如 第二十三条、第一百二十条之一")
    paragraphs: list[Text] = Field(min_length=1, description="各款、各项原文，按顺序")
    note: Optional[str] = Field(None, description="通俗解读（可选）")
    topics: list[Text] = Field(default_factory=list)

    @model_validator(mode="after")
    def _number(self):
        parse_article_number(self.number)  # raises ValueError with the bad number
        return self

    @property
    def key(self) -> tuple[int, int]:
        return parse_article_number(self.number)

    @property
    def anchor(self) -> str:
        return anchor_for(self.key)


class Part(Model):
    kind: PartKind
    heading: Text
    parts: list["Part"] = Field(default_factory=list)
    articles: list[Article] = Field(default_factory=list)


class Appendix(Model):
    heading: Text = Field(description="附件、附表、附录的标题，按原文，如 附件一")
    paragraphs: list[Text] = Field(default_factory=list, description="原文各段，按顺序")


class Law(Model):
    slug: Slug
    title: Text
    short_name: Text
    aliases: list[Text] = Field(default_factory=list)
    kind: LawKind
    issuer: Text
    adopted: dt.date = Field(description="通过（制定）日期")
    published: Optional[dt.date] = Field(None, description="本文本公布日期（与通过日期不同时）")
    amended: list[dt.date] = Field(default_factory=list)
    effective: Optional[dt.date] = Field(None, description="本文本（本版本）施行日期")
    first_effective: Optional[dt.date] = Field(None, description="首次施行日期（与本版本施行日期不同时）")
    status: LawStatus
    version: Optional[dt.date] = Field(None, description="本文本版本日期（最近一次通过、修正或修订）")
    source_url: Optional[WebUrl] = None
    replaced_by: Optional[Slug] = None
    history: list[Text] = Field(default_factory=list)
    preface: list[Text] = Field(default_factory=list)
    parts: list[Part] = Field(default_factory=list)
    articles: list[Article] = Field(default_factory=list)
    appendices: list[Appendix] = Field(default_factory=list, description="条文之后的附件、附表、附录，原文")


# ---- citations, cases -----------------------------------------------------------------------

class Citation(Model):
    law: Text = Field(description="法律：slug、全称、简称或别名")
    version: Optional[dt.date] = Field(None, description="指定版本（版本日期），默认为现行版本")
    article: Key = Field(description="条：23、第二十三条、120之一")


class Provenance(Model):
    type: Literal["示例", "改编", "已发布"]
    publisher: Optional[Text] = None
    date: Optional[dt.date] = None
    url: Optional[WebUrl] = None
    note: Optional[str] = None

    @model_validator(mode="after")
    def _published(self):
        if self.type == "已发布" and not (self.publisher and self.date):
            raise ValueError("已发布的案例须注明发布单位 publisher 和日期 date")
        return self


class Case(Model):
    slug: Slug
    title: Text
    provenance: Provenance
    summary: Optional[str] = None
    facts: Text
    outcome: Text
    explanation: Text
    citations: list[Citation] = Field(min_length=1)
    topics: list[Text] = Field(default_factory=list)
    questions: list[Text] = Field(default_factory=list, description="这个案例回答的日常问题，如 怀孕了被辞退怎么办")
    readings: dict[str, str] = Field(default_factory=dict, description="人名等的读音，如 单某: shàn mǒu")


# ---- stations -------------------------------------------------------------------------------

StationKind = Literal["维权服务站", "家庭暴力投诉站", "庇护中心", "法律援助工作站", "调解工作室",
                      "妇联", "妇女之家", "儿童之家", "其他"]


class Region(Model):
    province: Text
    city: Text
    county: Text
    township: Optional[Text] = None
    code: Key = Field(description="最小一级的统计用区划代码：乡级 9 位或县级 6 位")


class Phone(Model):
    label: Text
    number: Key


class TeamRole(Model):
    """One role on a station's team, by position, never a person's name (服务站公示牌)."""
    role: Literal["站长", "副站长", "成员"] = Field(description="站长、副站长或成员")
    held_by: Text = Field(description="由谁担任：写职务或单位，不写姓名，如 镇妇联主席、司法所、派出所")


class Station(Model):
    slug: Slug
    name: Text
    kind: StationKind
    example: Flag = Field(False, description="示例条目（不是真实机构）")
    region: Region
    address: Text
    phones: list[Phone] = Field(min_length=1)
    hours: Text
    services: list[Text] = Field(default_factory=list)
    last_verified: dt.date
    readings: dict[str, str] = Field(default_factory=dict)
    note: Optional[str] = None
    team: list[TeamRole] = Field(default_factory=list,
                                 description="本站人员（可选，印在服务站公示牌上）：按职务写，不写姓名，"
                                             "如 {role: 站长, held_by: 镇妇联主席}")


# ---- campaigns ------------------------------------------------------------------------------

def _month_day(value: str) -> str:
    month, day = (int(x) for x in value.split("-"))
    try:
        dt.date(2000, month, day)   # a leap year: 02-29 is a day (in other years the rule uses 02-28)
    except ValueError:
        raise ValueError(f"没有“{month}月{day}日”这一天") from None
    return value


MonthDay = Annotated[str, StringConstraints(pattern=r"^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$"),
                     AfterValidator(_month_day)]


class YearlyRule(Model):
    start: MonthDay = Field(description="每年开始日 MM-DD，如 03-01")
    end: MonthDay


class Event(Model):
    date: dt.date
    time: Optional[Key] = Field(None, description="时间，如 09:00—11:30 或 9:30；不填为全天")
    place: Text
    station: Optional[Slug] = None
    activity: Text
    organiser: Text
    key: Optional[Slug] = Field(None, description="活动的稳定编号（可选，日历文件用它识别同一活动；"
                                "不填时由日期和服务站或地点生成，改了日期或地点就算新活动）")


class LeafletSpec(Model):
    highlights: list[Citation] = Field(default_factory=list)
    cases: list[Slug] = Field(default_factory=list)
    stations: Union[Literal["all"], list[Slug]] = Field(
        default_factory=list,
        description="印宣传单的服务站：slug 列表（另加活动安排里的服务站），或 all = 本站全部服务站"
                    "（县级网站适用；全国规模请列出参加的服务站）")


class Campaign(Model):
    slug: Slug
    name: Text
    year: Optional[Int] = None
    start: Optional[dt.date] = None
    end: Optional[dt.date] = None
    yearly: Optional[YearlyRule] = None
    theme: Optional[Text] = None
    description: str = ""
    updated: Optional[dt.date] = Field(None, description="日程最后修改日期（日历文件的 DTSTAMP；不填时用文件修改日期）")
    events: list[Event] = Field(default_factory=list)
    leaflet: LeafletSpec = Field(default_factory=LeafletSpec)

    @model_validator(mode="after")
    def _dates(self):
        if not ((self.start and self.end) or self.yearly):
            raise ValueError("须给出起止日期 start/end，或每年规则 yearly")
        if self.start and self.end and self.end < self.start:
            raise ValueError("结束日期 end 早于开始日期 start")
        return self


# ---- guides ---------------------------------------------------------------------------------

class GuideMeta(Model):
    title: Text
    slug: Optional[Slug] = None
    summary: Optional[str] = None
    order: Int = 100
    topics: list[Text] = Field(default_factory=list)
    questions: list[Text] = Field(default_factory=list, description="这篇指南回答的日常问题，按人们说话的方式写，如 老公打我怎么办")
    readings: dict[str, str] = Field(default_factory=dict)


# ---- forms (guided applications, e.g. 人身安全保护令申请) -----------------------------------

class FormField(Model):
    id: Slug = Field(description="字段编号（英文小写），同一表单内唯一")
    label: Text = Field(description="问题，用日常的话写")
    kind: Literal["text", "textarea", "choice"] = Field("text", description="text 一行；textarea 多行；choice 单选")
    document: Text = Field(description="在生成的申请书里的名称，如 申请人姓名")
    options: list[Text] = Field(default_factory=list, description="kind 为 choice 时的选项")


class CitedText(Model):
    text: Text = Field(description="一句话，用日常的话写")
    cite: Optional[Citation] = Field(None, description="这句话所依据的条文")


class FormStep(Model):
    id: Slug
    title: Text = Field(description="这一屏的问题")
    intro: Optional[str] = Field(None, description="一两句说明")
    cite: Optional[Citation] = None
    part: Optional[Literal["申请人", "被申请人", "事实和理由"]] = Field(
        None, description="这一屏的回答写进申请书的哪一部分；申请人、被申请人的第一项是姓名")
    fields: list[FormField] = Field(default_factory=list)
    notes: list[CitedText] = Field(default_factory=list)
    measures: bool = Field(False, description="这一屏列出 measures（请求法院采取的措施）")
    evidence: bool = Field(False, description="这一屏列出 evidence（证据）")


class FormChoice(Model):
    id: Slug
    label: Text = Field(description="给申请人看的日常说法")
    cite: Citation
    request: Optional[Text] = Field(None, description="写进申请书的法律用语（措施）")
    item: Optional[Text] = Field(None, description="写进证据清单的法律用语（证据）")


class FormCourt(Model):
    rule: Text = Field(description="去哪个法院：选择的规则")
    cite: Citation


class Form(Model):
    slug: Slug
    title: Text
    summary: Optional[str] = None
    privacy: Text = Field(description="一句话说明填写的内容不会发送、不会保存")
    notice: Text = Field(description="一句话说明这不是法律意见")
    idle_minutes: int = Field(10, ge=1, le=120, description="多少分钟不操作后自动清空")
    document_title: Text = Field(description="生成的文书标题")
    steps: list[FormStep] = Field(min_length=1)
    measures: list[FormChoice] = Field(default_factory=list)
    evidence: list[FormChoice] = Field(default_factory=list)
    court: FormCourt
    closing: Optional[CitedText] = Field(None, description="申请书“事实和理由”的最后一句（法律依据）")
    facts: list[CitedText] = Field(default_factory=list, description="要知道的几件事")
    help: list[CitedText] = Field(default_factory=list, description="去哪里找人帮忙填")
    bring: list[Text] = Field(default_factory=list, description="要带的材料（证据之外）")

    def citations(self) -> list[tuple[tuple, Citation]]:
        """(location in the YAML, citation) of every citation in the form."""
        out = []
        for i, step in enumerate(self.steps):
            if step.cite:
                out.append((("steps", i, "cite"), step.cite))
            out += [(("steps", i, "notes", j, "cite"), n.cite) for j, n in enumerate(step.notes) if n.cite]
        out += [(("measures", i, "cite"), m.cite) for i, m in enumerate(self.measures)]
        out += [(("evidence", i, "cite"), e.cite) for i, e in enumerate(self.evidence)]
        out.append((("court", "cite"), self.court.cite))
        if self.closing and self.closing.cite:
            out.append((("closing", "cite"), self.closing.cite))
        for key in ("facts", "help"):
            out += [((key, i, "cite"), t.cite) for i, t in enumerate(getattr(self, key)) if t.cite]
        return out


# ---- everyday-language thesaurus (content/synonyms.yaml) -------------------------------------

class SynonymEntry(Model):
    words: list[Text] = Field(min_length=1, description="人们平常怎么说（汉字），如 老公、打我、没钱请律师")
    means: list[Text] = Field(min_length=1, description="法律和指南里的说法（汉字，必须在网站内容里出现），如 丈夫、家庭暴力、法律援助")
    note: str = Field("", description="备注（不显示）")


class Synonyms(Model):
    entries: list[SynonymEntry] = Field(default_factory=list, description="搜索用的日常说法：搜 words 里的说法，也找 means 里的用词")
