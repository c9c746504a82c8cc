"""Search-doc generators for tests and scripts/bench_search.py (not a test module).

Real law texts come from the corpus (../shared/corpus/laws next to the project); stations, cases and campaigns are plainly
synthetic (名称带“（示例）”).
"""

from __future__ import annotations

import csv
import random
import re
from pathlib import Path

from weiquan.zh.numerals import parse_article_number

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"   # = conftest.CORPUS

# file stem → (slug, short name, aliases)
LAWS = {
    "反家庭暴力法_2015-12-27": ("fan-jiating-baoli-fa", "反家庭暴力法", ["反家暴法"]),
    "妇女权益保障法_2022-10-30": ("funv-quanyi-baozhang-fa", "妇女权益保障法", ["妇女法", "妇女权益保护法"]),
    "民法典_2020-05-28": ("minfadian", "民法典", ["中国民法典"]),
    "未成年人保护法_2024-04-26": ("weichengnianren-baohu-fa", "未成年人保护法", ["未保法"]),
    "人身安全保护令规定_2022-07-14": ("renshen-anquan-baohuling-guiding", "人身安全保护令规定", ["保护令司法解释"]),
    "劳动法_2018-12-29": ("laodong-fa", "劳动法", []),
    "家庭教育促进法_2021-10-23": ("jiating-jiaoyu-cujin-fa", "家庭教育促进法", ["家促法"]),
    "女职工劳动保护特别规定_2012-04-28": ("nvzhigong-laodong-baohu", "女职工劳动保护特别规定", []),
    "法律援助法_2021-08-20": ("falv-yuanzhu-fa", "法律援助法", []),
    "预防未成年人犯罪法_2020-12-26": ("yufang-weichengnianren-fanzui-fa", "预防未成年人犯罪法", []),
}

ART_RE = re.compile(r"^(第[〇零一二两三四五六七八九十百千\d]+条(?:之[一二三四五六七八九十]+)?)\s+(.*)$")


def law_docs(stem: str, only: set[int] | None = None) -> list[dict]:
    """One law doc + one doc per article, from the corpus Markdown."""
    slug, short, aliases = LAWS[stem]
    lines = (CORPUS / "laws" / f"{stem}.md").read_text(encoding="utf-8").splitlines()
    title = lines[0].lstrip("# ").strip()
    body = lines[lines.index("<!-- INFO END -->") + 1:] if "<!-- INFO END -->" in lines else lines[1:]
    arts: list[list] = []
    for line in body:
        line = line.strip()
        if not line or line.startswith("#") or line.startswith("<!--"):
            continue
        m = ART_RE.match(line)
        if m:
            arts.append([m.group(1), [m.group(2)]])
        elif arts:
            arts[-1][1].append(line)
    kw = [short] + aliases
    docs = [{"id": f"law:{slug}", "url": f"laws/{slug}/", "kind": "law", "title": title,
             "parent": "", "text": "。".join(a[1][0] for a in arts[:3]), "keywords": kw}]
    for number, paras in arts:
        n, sub = parse_article_number(number)
        if only and n not in only:
            continue
        anchor = f"a{n}" + (f"-{sub}" if sub else "")
        docs.append({"id": f"art:{slug}:{anchor}", "url": f"laws/{slug}/#{anchor}", "kind": "article",
                     "title": number, "parent": short, "text": "\n".join(paras), "keywords": kw})
    return docs


def divisions() -> list[dict]:
    def rows(name):
        with open(CORPUS / "divisions" / f"{name}.csv", encoding="utf-8") as f:
            return list(csv.DictReader(f))
    prov = {r["code"]: r["name"] for r in rows("provinces")}
    city = {r["code"]: r["name"] for r in rows("cities")}
    area = {r["code"]: r["name"] for r in rows("areas")}
    out = []
    for r in rows("streets"):
        out.append({"code": r["code"], "town": r["name"], "county": area.get(r["areaCode"], ""),
                    "city": city.get(r["cityCode"], ""), "province": prov.get(r["provinceCode"], "")})
    return out


def station_doc(d: dict, i: int) -> dict:
    phone = f"0{100 + i % 800}-{5550000 + i % 10000:07d}"
    return {"id": f"station:{d['code']}", "kind": "station",
            "url": f"stations/{d['province']}/{d['city']}/{d['county']}/#s{d['code']}",
            "title": f"{d['town']}妇女维权服务站（示例）", "parent": d["county"],
            "text": f"{d['province']}{d['city']}{d['county']}{d['town']}综合服务中心一楼（示例地址）。工作日接待来访。",
            "keywords": [d["town"], d["county"], d["city"], d["province"]], "phone": phone}


CASE_TOPICS = [
    ("家庭暴力", "丈夫长期殴打妻子，妻子向法院申请人身安全保护令", "反家庭暴力法", 23),
    ("离婚财产", "离婚时一方隐藏夫妻共同财产，法院判决少分", "民法典", 1092),
    ("抚养权", "父母离婚后就子女抚养发生争议，法院以最有利于未成年子女为原则判决", "民法典", 1084),
    ("就业歧视", "用人单位以怀孕为由解除劳动合同，被判违法", "妇女权益保障法", 48),
    ("彩礼返还", "婚约解除后一方请求返还彩礼", "民法典", 1042),
    ("校园欺凌", "学生在校遭受欺凌，学校未尽管理职责", "未成年人保护法", 39),
    ("法律援助", "农村妇女经济困难，申请法律援助获得律师帮助", "法律援助法", 31),
    ("女职工保护", "女职工孕期被安排夜班劳动，劳动监察责令改正", "女职工劳动保护特别规定", 6),
]


def fake_cases(n: int, seed: int = 1) -> list[dict]:
    rnd = random.Random(seed)
    out = []
    for i in range(n):
        topic, story, law, art = CASE_TOPICS[i % len(CASE_TOPICS)]
        place = rnd.choice(["某县", "某镇", "某村", "某市"])
        text = (f"【基本案情】{place}{story}（示例案例，第{i + 1}号）。"
                f"当事人多次寻求帮助，村民委员会和妇女联合会介入调解。"
                f"【裁判结果】法院依照《{law}》第{art}条作出裁判，支持了当事人的合理请求。"
                f"【典型意义】本案提示，遇到{topic}问题可以依法维权，保留证据，及时求助。")
        out.append({"id": f"case:{i}", "kind": "case", "url": f"cases/case-{i}/",
                    "title": f"{topic}典型案例（示例{i + 1}）：{story[:12]}", "parent": law,
                    "text": text, "keywords": [topic, law]})
    return out


def fake_campaigns(n: int, towns: list[dict], seed: int = 2) -> list[dict]:
    rnd = random.Random(seed)
    themes = ["反家暴宣传周", "妇女权益法律讲座", "儿童安全教育日", "婚姻家庭咨询会", "保护令知识宣传"]
    out = []
    for i in range(n):
        t = rnd.choice(towns)
        th = themes[i % len(themes)]
        out.append({"id": f"campaign:{i}", "kind": "campaign", "url": f"campaigns/c-{i}/",
                    "title": f"{t['town']}{th}（示例）", "parent": t["county"],
                    "text": f"{t['county']}{t['town']}举办{th}活动，现场提供法律咨询，发放宣传资料（示例活动）。",
                    "keywords": [t["town"], t["county"], th]})
    return out


GUIDES = [
    {"id": "guide:baohuling", "kind": "guide", "url": "guides/baohuling/",
     "title": "如何申请人身安全保护令", "parent": "指南",
     "text": "遭受家庭暴力或者面临家庭暴力的现实危险，可以向人民法院申请人身安全保护令。"
             "申请可以书面提出，书写确有困难的可以口头申请。法院应当在七十二小时内作出裁定，情况紧急的在二十四小时内作出。",
     "keywords": ["保护令", "家暴"]},
    {"id": "guide:jiabao", "kind": "guide", "url": "guides/jiabao/",
     "title": "遭遇家庭暴力怎么办", "parent": "指南",
     "text": "拨打110报警，保存伤情照片和就医记录，向妇联、居委会或村委会求助，可以申请人身安全保护令。",
     "keywords": ["家暴", "报警"]},
]


def small_docs() -> list[dict]:
    """Fixture for tests: 反家暴法 (all articles) + a few 妇女法/民法典 articles, 2 guides,
    24 cases, a handful of stations and campaigns."""
    docs = law_docs("反家庭暴力法_2015-12-27")
    docs += law_docs("妇女权益保障法_2022-10-30", only={1, 2, 23, 48})
    docs += law_docs("民法典_2020-05-28", only={1042, 1043, 1079, 1084, 1092})
    docs += GUIDES
    docs += fake_cases(24)
    towns = [
        {"code": "110101001", "town": "东华门街道", "county": "东城区", "city": "市辖区", "province": "北京市"},
        {"code": "130102001", "town": "建北街道", "county": "长安区", "city": "石家庭市", "province": "河北省"},
        {"code": "522731100", "town": "长顺镇", "county": "惠水县", "city": "黔南州", "province": "贵州省"},
        {"code": "450107100", "town": "西乡塘镇", "county": "西乡塘区", "city": "南宁市", "province": "广西壮族自治区"},
    ]
    docs += [station_doc(t, i) for i, t in enumerate(towns)]
    docs += fake_campaigns(6, towns)
    return docs


def national_docs() -> list[dict]:
    docs = []
    for stem in LAWS:
        docs += law_docs(stem)
    docs += GUIDES
    docs += fake_cases(1000)
    divs = divisions()
    docs += fake_campaigns(3000, divs)
    docs += [station_doc(d, i) for i, d in enumerate(divs)]
    return docs


REPO = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]


def render_test_site(site: Path) -> Path:
    """A tiny static site around an already built ``site/search/`` index: the header partial,
    wq-search.js, wq-search-core.js and wq-search.css, and a page two levels deep
    (``<meta name="wq-root" content="../../">``). Returns the page path."""
    import shutil

    import jinja2

    for sub in ("javascripts/wq-search.js", "javascripts/wq-search-core.js", "stylesheets/wq-search.css"):
        dst = site / "assets" / sub
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(REPO / "overrides" / "assets" / sub, dst)
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(REPO / "overrides")))
    env.filters["url"] = lambda p: "../../" + p
    partial = env.get_template("partials/wq-search.html").render()
    page = site / "laws" / "demo" / "index.html"
    page.parent.mkdir(parents=True, exist_ok=True)
    page.write_text(f"""<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="wq-root" content="../../"><title>测试</title></head>
<body><header style="display:flex;background:#3949ab;padding:.4rem">{partial}</header>
<main><p>页面内容</p></main></body></html>""", encoding="utf-8")
    return page
