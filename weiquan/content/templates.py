"""Starting files for `weiquan new`: correct, commented YAML/Markdown an editor fills in.

Every file written here passes `weiquan check` as it is (tests make sure), so an editor starts
from something that works and changes one thing at a time."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from weiquan.content import dates, types
from weiquan.content.divisions import Division, national
from weiquan.content.markup import md_text
from weiquan.content.model import slug_problem
from weiquan.content.yamlload import YamlSyntaxError, control_problem, load_yaml, read_content_file

class TemplateError(Exception):
    """A Chinese message for the editor (bad slug, unknown region, file exists)."""


@dataclass
class NewFile:
    path: Path
    text: str


def q(value: str) -> str:
    """A YAML scalar that stays exactly this text (JSON strings are YAML)."""
    return json.dumps(str(value), ensure_ascii=False)


def _site(content_dir: Path) -> dict:
    try:
        data = load_yaml(read_content_file(content_dir / "site.yaml"))
    except (YamlSyntaxError, FileNotFoundError):
        return {}
    return data if isinstance(data, dict) else {}


def _divisions(content_dir: Path):
    extra = [Division(str(r.get("code")), str(r.get("name")), str(r.get("level")),
                      str(r["parent"]) if r.get("parent") else None)
             for r in _site(content_dir).get("extra_regions") or [] if isinstance(r, dict)]
    return national().with_extra(extra), {d.code for d in extra}


def _first_citation(content_dir: Path) -> tuple[str, str]:
    """(law name, article) to cite in a starting case or guide: 反家庭暴力法 第二十三条 if present."""
    laws = sorted((content_dir / "laws").glob("*.yaml"))
    for path in [p for p in laws if p.stem == "fan-jiating-baoli-fa"] + laws:
        try:
            data = load_yaml(read_content_file(path, 16 * 1024 * 1024))
        except YamlSyntaxError:
            continue
        numbers = _article_numbers(data) if isinstance(data, dict) else []
        name = data.get("short_name") if numbers else None
        if name:
            return str(name), "第二十三条" if "第二十三条" in numbers else numbers[0]
    raise TemplateError("content/laws 里还没有法律：请先用 weiquan import-law 导入一部法律，案例和指南要引用它的条文")


def _article_numbers(data: dict) -> list[str]:
    out = [a.get("number") for a in data.get("articles") or []]
    stack = list(data.get("parts") or [])
    while stack:
        part = stack.pop(0)
        out += [a.get("number") for a in part.get("articles") or []]
        stack[:0] = part.get("parts") or []
    return [n for n in out if n]


def station(content_dir: Path, slug: str, region: str, name: Optional[str] = None) -> str:
    divs, extra_codes = _divisions(content_dir)
    code = str(region).strip()
    d = divs.get(code)
    if d is None or d.level not in ("县", "乡"):
        near = sorted(c for c in divs.by_code if c.startswith(code[:6]) and len(c) in (6, 9))[:5]
        hint = f"；{code[:6]} 下的代码有：{'、'.join(near)}" if near and d is None else ""
        raise TemplateError(f"区划代码“{code}”不对：应为县级 6 位或乡级 9 位统计用区划代码{hint}")
    chain = divs.chain(code)
    names = [c.name for c in chain]
    example = any(c.code in extra_codes for c in chain)
    place = "".join(names[2:])
    name = name or f"{place}妇女维权服务站" + ("（示例）" if example else "")
    township = f"  township: {q(names[3])}\n" if len(names) > 3 else ""
    today = dates.today().isoformat()
    if example:
        head = "# 示例条目：示例地区里的虚构服务站。电话必须是 0000- 开头、打不通的示例号码。\n"
        flag = "example: true      # 示例条目（示例地区里必须写；真实地区不能写）\n"
        phone = ('  - label: 值班电话（示例号码）\n'
                 '    number: "0000-0000100"   # 示例号码：0000- 加 7 位数字\n')
        address = f"{place}人民路1号（示例地址）"
    else:
        head = ("# 真实的服务站：名称、地址、电话都要和本站核实过。\n"
                "# 电话先写了全国妇女维权热线 12338，请换成本站的值班电话（手机号或带区号的座机号）。\n")
        flag = ""
        phone = ('  - label: 妇女维权热线（请换成本站的值班电话）\n'
                 '    number: "12338"\n')
        address = f"{place}（请写能找到门的详细地址）"
    return f"""# yaml-language-server: $schema=../../schemas/station.schema.json
{head}slug: {slug}            # 英文标识（小写字母、数字、连字符），网址由它决定，定了就不要改
name: {q(name)}
kind: 维权服务站         # 维权服务站、家庭暴力投诉站、庇护中心、法律援助工作站、调解工作室、妇联、妇女之家、儿童之家、其他
{flag}region:                 # 按国家统计局区划数据填好了，不要改
  province: {q(names[0])}
  city: {q(names[1])}
  county: {q(names[2])}
{township}  code: "{code}"       # 区划代码要加引号
address: {q(address)}
phones:                 # 至少一个；号码写成 "0571-87654321" 或 "138 0013 8000"，加引号
{phone}hours: 周一至周五 9:00—17:00   # 办公时间
services:               # 服务内容，每项一行
  - 家庭暴力投诉受理
  - 法律咨询和转介法律援助
last_verified: {today}  # 最近一次打电话核实信息的日期
"""


def case(content_dir: Path, slug: str, title: Optional[str] = None) -> str:
    law, article = _first_citation(content_dir)
    return f"""# yaml-language-server: $schema=../../schemas/case.schema.json
# 以案释法案例。自己编写的案例标为“示例”；根据真实案例改写的标为“改编”，并写明来源。
# 每一句法律上的说法都要有条文依据，写在 citations 里。
slug: {slug}                 # 英文标识，网址由它决定
title: {q(title or "（一句话说清楚发生了什么、结果怎样）")}
provenance:
  type: 示例                 # 示例（虚构）| 改编（写 publisher 和 url）| 已发布（写 publisher 和 date）
  note: 人物和情节均为虚构。
summary: 一两句话的要点，显示在列表和搜索结果里。
facts: |                     # 案情：发生了什么（“|”后面换行，每行缩进两个空格）
  （案情）
outcome: |                   # 结果：怎么处理的
  （结果）
explanation: |               # 解读：用平常的话讲清楚法律怎么规定、当事人可以怎么做
  （解读）
citations:                   # 引用的条文，至少一条：法律写简称，条写数字或“第二十三条”
  - {{law: {law}, article: {q(article)}}}
topics: [家庭暴力]           # 主题：和其他内容用同样的写法
questions: []                # 这个案例回答的日常问题，如 [老公打我怎么办]
"""


def campaign(content_dir: Path, slug: str, title: Optional[str] = None, year: Optional[int] = None) -> str:
    year = year or dates.today().year + (1 if dates.today().month > 3 else 0)
    return f"""# yaml-language-server: $schema=../../schemas/campaign.schema.json
# 宣传活动，如三八维权周。日期写成 YYYY-MM-DD；时间加引号，如 "09:00—11:30"。
slug: {slug}
name: {q(title or "三八维权周")}
year: {year}
start: {year}-03-01
end: {year}-03-08
yearly: {{start: "03-01", end: "03-08"}}   # 每年都办：每年的开始日和结束日（MM-DD，加引号）
theme: （今年的主题）
description: |
  （活动简介：什么活动、为谁办、在哪里可以找到我们）
events:                      # 每场活动一项
  - date: {year}-03-01
    time: "09:00—11:30"
    place: （地点）
    activity: （活动内容）
    organiser: （主办单位，如 某某县妇联）
    # station: chengguan     # 主办服务站的英文标识（可选）
leaflet:                     # 宣传单上印的内容（可选）
  highlights: []             # 重点条文，如 - {{law: 反家庭暴力法, article: 23}}
  cases: []                  # 案例的英文标识
  stations: []               # 服务站的英文标识
"""


def guide(content_dir: Path, slug: str, title: Optional[str] = None) -> str:
    law, article = _first_citation(content_dir)
    number = re.sub(r"^第|条$", "", article)
    return f"""---
# 维权指南。开头两行 --- 之间是前言（YAML），下面是正文（Markdown）。
title: {q(title or "（标题：用平常的话写，如 被家暴了怎么办）")}
summary: 一两句话的要点。
order: 100                   # 排序：数字小的排在前面
topics: [家庭暴力]           # 第一个主题决定它在首页的分组
questions: []                # 这篇指南回答的日常问题，如 [老公打我怎么办]
---

# {md_text(title) if title else "（标题）"}

用平常的话写，一句一个意思。每一句法律上的说法后面写上依据的条文，
如（[[{law}#{number}]]）——会变成指向这一条的链接。

## 现在可以做什么

- 遇到危险，立即拨打 **110**。
- 拨打 **12338** 妇女维权热线，或到附近的[妇女维权服务站](../stations/index.md)。
"""


def law(content_dir: Path, slug: str, title: Optional[str] = None) -> str:
    return f"""# yaml-language-server: $schema=../../schemas/law.schema.json
# 法律文本不要手工录入：请用
#   weiquan import-law 官方文本.txt --slug {slug}
# 导入，保证与官方文本一字不差（命令会核对条数）。这个文件只是一个空的开头：
# 写好名称和日期后，再用上面的命令导入同一个 slug，条文会填进来。
slug: {slug}
title: {q(title or "（法律全称，如 中华人民共和国反家庭暴力法）")}
short_name: {q(title or "（简称）")}
aliases: []                  # 别名，如 [反家暴法]
kind: 法律                   # 法律 | 行政法规 | 司法解释 | 部门规章 | 地方性法规 | 规范性文件 | 其他
issuer: （制定机关，如 全国人民代表大会常务委员会）
adopted: {dates.today().isoformat()}   # 通过日期，按题注改
status: 尚未生效             # 有效 | 已修改 | 已废止 | 尚未生效（导入条文后改为 有效）
history: []                  # 题注（通过、修正记录），导入时自动填写
parts: []
articles: []
"""


# `weiquan new <kind>`: the starting file of each content type that has one (by types.ContentType.kind)
BUILDERS = {"station": station, "case": case, "campaign": campaign, "guide": guide, "law": law}


def new_file(kind: str, slug: str, content_dir: Path, *, region: Optional[str] = None,
             title: Optional[str] = None, force: bool = False) -> NewFile:
    """The starting file for kind (station needs region). Raises TemplateError."""
    ctype = types.by_kind(kind)
    if kind not in BUILDERS or ctype is None:
        raise TemplateError(f"不知道“{kind}”：可以新建 {'、'.join(BUILDERS)}")
    problem = slug_problem(slug) or (title and control_problem(title))
    if problem:
        raise TemplateError(problem)
    content_dir = Path(content_dir)
    if not (content_dir / "site.yaml").exists():
        raise TemplateError(f"{content_dir} 不是内容目录（没有 site.yaml）")
    path = content_dir / ctype.name / f"{slug}{ctype.suffix}"
    if path.exists() and not force:
        raise TemplateError(f"{path} 已经存在；换一个英文标识，或加 --force 覆盖")
    if kind == "station":
        if not region:
            raise TemplateError("新建服务站要给出区划代码：--region 乡级 9 位或县级 6 位代码")
        text = station(content_dir, slug, region, title)
    else:
        text = BUILDERS[kind](content_dir, slug, title)
    return NewFile(path, text)
