#!/usr/bin/env python3
"""Regenerate content/laws/*.yaml from the official texts in ../shared/corpus/laws.

    python scripts/import_corpus_laws.py [--corpus DIR] [--check]

The metadata below (what a text does not say about itself, and a few topic tags) is the only
hand-written input; everything else is read from the texts by weiquan.lawtext.
`--check` exits 1 if any file in content/laws differs from what would be generated.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from weiquan.lawtext.importer import dump_law_yaml, iter_articles, parse_law_text  # noqa: E402

DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "laws"
OUT_DIR = ROOT / "content" / "laws"
SOURCE_URL = "https://flk.npc.gov.cn/"  # the database; per-law URLs are not in the corpus

# file name → what cannot be read from the text itself.  Everything else (slug, short name,
# kind, issuer, dates, first_effective) is inferred by the importer (weiquan.lawtext.infer).
# Kept here: slugs already in URLs that differ from the pinyin of the short name, short names
# matching the corpus base names, aliases, dates a text does not state (the corpus README and
# file names: publication dates of judicial interpretations; the decisions that amended a law),
# and the status of superseded versions.
LAWS: dict[str, dict] = {
    "反家庭暴力法_2015-12-27.md": dict(aliases=["反家暴法"]),
    "妇女权益保障法_2022-10-30.md": dict(aliases=["妇女法", "妇女权益法"]),
    "人身安全保护令规定_2022-07-14.md": dict(
        slug="renshen-anquan-baohuling-guiding", short_name="人身安全保护令规定",
        aliases=["人身安全保护令司法解释", "法释〔2022〕17号"],
        # no history lines in the text: 审判委员会第1870次会议 2022-06-07 通过, 2022-07-14 公布
        adopted="2022-06-07", published="2022-07-14", version="2022-07-14"),
    "民法典_2020-05-28.md": dict(),
    # amended versions: this version's date in force is in the amending decision, not the text
    "未成年人保护法_2024-04-26.md": dict(aliases=["未保法"], effective="2024-04-26"),
    "法律援助法_2021-08-20.md": dict(),
    "家庭教育促进法_2021-10-23.md": dict(),
    "女职工劳动保护特别规定_2012-04-28.md": dict(
        slug="nvzhigong-laodong-baohu-guiding", aliases=["女职工特别规定", "国务院令第619号"]),
    "预防未成年人犯罪法_2020-12-26.md": dict(),
    "劳动法_2018-12-29.md": dict(effective="2018-12-29"),
    "治安管理处罚法_2025-06-27.md": dict(aliases=["治安处罚法"]),
    "治安管理处罚法_2012-10-26.md": dict(
        slug="zhian-guanli-chufa-fa-2012", aliases=["治安处罚法"], effective="2013-01-01",
        replaced_by="zhian-guanli-chufa-fa"),
    "个人信息保护法_2021-08-20.md": dict(aliases=["个保法"]),
    "农村土地承包法_2018-12-29.md": dict(effective="2019-01-01"),
    "农村集体经济组织法_2024-06-28.md": dict(),
    "劳动合同法_2012-12-28.md": dict(effective="2013-07-01"),
    "劳动争议调解仲裁法_2007-12-29.md": dict(aliases=["劳动仲裁法"]),
    "就业促进法_2015-04-24.md": dict(effective="2015-04-24"),
    "老年人权益保障法_2018-12-29.md": dict(aliases=["老年法"], effective="2018-12-29"),
    "婚姻登记条例_2025-04-06.md": dict(aliases=["国务院令第804号"]),
    "未成年人网络保护条例_2023-10-16.md": dict(
        aliases=["国务院令第766号"], issuer="国务院",
        # no history lines in the text: 国务院第15次常务会议 2023-09-20 通过, 2023-10-16 公布 (国务院令第766号)
        adopted="2023-09-20", published="2023-10-16", version="2023-10-16"),
    "涉彩礼纠纷规定_2024-01-17.md": dict(
        slug="she-caili-jiufen-guiding", short_name="涉彩礼纠纷规定", aliases=["彩礼司法解释"],
        published="2024-01-17", version="2024-01-17"),
    "民法典婚姻家庭编解释一_2020-12-29.md": dict(
        slug="hunyin-jiating-bian-jieshi-yi", short_name="民法典婚姻家庭编解释一",
        aliases=["婚姻家庭编解释（一）", "民法典婚姻家庭编解释（一）", "婚姻家庭编解释一", "法释〔2020〕22号"],
        published="2020-12-29", version="2020-12-29"),
    "民法典婚姻家庭编解释二_2025-01-15.md": dict(
        slug="hunyin-jiating-bian-jieshi-er", short_name="民法典婚姻家庭编解释二",
        aliases=["婚姻家庭编解释（二）", "民法典婚姻家庭编解释（二）"],
        published="2025-01-15", version="2025-01-15"),
    "强奸猥亵未成年人刑事案件解释_2023-05-24.md": dict(
        slug="qiangjian-weixie-weichengnianren-jieshi", published="2023-05-24", version="2023-05-24"),
    "拐卖妇女儿童犯罪案件解释_2016-12-21.md": dict(
        slug="guaimai-funv-ertong-jieshi",
        # no history lines in the text: 法释〔2016〕28号, 审判委员会第1699次会议 2016-11-14 通过, 2016-12-21 公布
        adopted="2016-11-14", published="2016-12-21", version="2016-12-21"),
    # 1997 revision by the NPC; 刑法修正案（十二） in force 2024-03-01
    "刑法_2023-12-29.md": dict(issuer="全国人民代表大会", effective="2024-03-01"),
    # 第五次修正 (2023-09-01) in force 2024-01-01 (the amending decision)
    "民事诉讼法_2023-09-01.md": dict(aliases=["民诉法"], effective="2024-01-01"),
    # 第三次修正: the decision is in force from its publication, 2018-10-26
    "刑事诉讼法_2018-10-26.md": dict(slug="xingshi-susong-fa", aliases=["刑诉法"], effective="2018-10-26"),
    # 法释〔2020〕17号 (amending 法释〔2001〕7号), published 2020-12-29, in force 2021-01-01
    "精神损害赔偿解释_2020-12-29.md": dict(
        slug="jingshen-sunhai-peichang-jieshi", short_name="精神损害赔偿解释",
        aliases=["精神损害赔偿司法解释"], published="2020-12-29", version="2020-12-29",
        effective="2021-01-01"),
    "诉讼费用交纳办法_2006-12-19.md": dict(aliases=["国务院令第481号"]),
    "反电信网络诈骗法_2022-09-02.md": dict(aliases=["反诈法"]),
    # 2018 修正 (decision in force on publication, 2018-04-27)
    "精神卫生法_2018-04-27.md": dict(effective="2018-04-27"),
    # 国务院令第649号; the corpus files it under 2019-03-02, its header states 2014 only
    "社会救助暂行办法_2019-03-02.md": dict(aliases=["国务院令第649号"]),
    "户口登记条例_1958-01-09.md": dict(),
    # the version before the 2022 revision; its 2018 修正 was in force on publication
    "妇女权益保障法_2018-10-26.md": dict(
        slug="funv-quanyi-baozhang-fa-2018", aliases=["妇女法", "妇女权益法"],
        effective="2018-10-26", replaced_by="funv-quanyi-baozhang-fa"),
}

# slug → {article number: topic tags}. Tags only, no prose.
TOPICS: dict[str, dict[str, list[str]]] = {
    "fan-jiating-baoli-fa": {
        "第二条": ["家庭暴力"], "第十三条": ["家庭暴力"], "第十四条": ["家庭暴力", "未成年人"],
        "第十五条": ["家庭暴力"], "第十六条": ["家庭暴力"], "第二十三条": ["人身安全保护令"],
        "第二十七条": ["人身安全保护令"], "第二十九条": ["人身安全保护令"],
        "第三十七条": ["家庭暴力"],
    },
    "funv-quanyi-baozhang-fa": {
        "第二十三条": ["性骚扰"], "第二十五条": ["性骚扰", "就业"], "第四十三条": ["就业"],
        "第六十五条": ["家庭暴力"], "第六十七条": ["离婚"], "第七十一条": ["离婚", "抚养"],
    },
    "renshen-anquan-baohuling-guiding": {
        "第一条": ["人身安全保护令"], "第三条": ["家庭暴力"], "第十条": ["人身安全保护令"],
    },
    "minfadian": {
        "第三十六条": ["未成年人"], "第一千零一十条": ["性骚扰"],
        "第一千零四十二条": ["家庭暴力"], "第一千零七十九条": ["离婚", "家庭暴力"],
        "第一千零八十四条": ["离婚", "抚养"], "第一千零九十一条": ["离婚", "家庭暴力"],
    },
    "weichengnianren-baohu-fa": {"第二条": ["未成年人"], "第十七条": ["未成年人", "家庭暴力"]},
    "falv-yuanzhu-fa": {"第二条": ["法律援助"], "第三十一条": ["法律援助", "抚养"],
                        "第三十二条": ["法律援助"]},
    "jiating-jiaoyu-cujin-fa": {"第二十三条": ["未成年人", "家庭暴力"]},
    "nvzhigong-laodong-baohu-guiding": {"第五条": ["就业"], "第七条": ["就业"]},
    "yufang-weichengnianren-fanzui-fa": {"第二条": ["未成年人"]},
    "laodong-fa": {"第十二条": ["就业"], "第十三条": ["就业"], "第二十九条": ["就业"]},
}


def build(path: Path, meta: dict) -> tuple[str, dict]:
    """(slug, law data) for one corpus file."""
    data = parse_law_text(path.read_text(encoding="utf-8"), source_name=path.name,
                          source_url=SOURCE_URL, **meta)
    topics = TOPICS.get(data["slug"], {})
    seen = set()
    for article in iter_articles(data):
        if article["number"] in topics:
            article["topics"] = list(topics[article["number"]])
            seen.add(article["number"])
    missing = set(topics) - seen
    if missing:
        raise SystemExit(f"{path.name}: topics for missing articles {sorted(missing)}")
    return data["slug"], data


def build_all(corpus: Path = DEFAULT_CORPUS) -> dict[str, str]:
    """{slug: YAML text} for every law in the metadata table."""
    out = {}
    for name, meta in LAWS.items():
        slug, data = build(corpus / name, meta)
        out[slug] = dump_law_yaml(data)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--out", type=Path, default=OUT_DIR)
    ap.add_argument("--check", action="store_true", help="only compare, write nothing")
    args = ap.parse_args(argv)
    if not args.corpus.is_dir():
        print(f"{args.corpus}: 找不到语料目录 (corpus directory not found)", file=sys.stderr)
        return 1
    started = time.perf_counter()
    stale = 0
    for name, meta in LAWS.items():
        t0 = time.perf_counter()
        slug, data = build(args.corpus / name, meta)
        text = dump_law_yaml(data)
        target = args.out / f"{slug}.yaml"
        n = sum(1 for _ in iter_articles(data))
        if args.check:
            if not target.exists() or target.read_text(encoding="utf-8") != text:
                print(f"{target}: 与导入结果不一致 (out of date; run scripts/import_corpus_laws.py)")
                stale += 1
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        print(f"{target.relative_to(ROOT) if target.is_relative_to(ROOT) else target}: "
              f"{n} 条 ({n} articles), {time.perf_counter() - t0:.2f} s")
    print(f"共 {len(LAWS)} 部 ({len(LAWS)} laws), {time.perf_counter() - started:.2f} s")
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
