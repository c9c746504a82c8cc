"""The golden search file: queries → parsed terms → ranked ids with scores, generated from Python
(weiquan/zh/terms.py, weiquan/search/index.py) on a fixture index, and checked by pytest
(tests/test_search_spec.py) and by `node --test tests/js/` against the client script
(overrides/assets/javascripts/wq-search-core.js).

    .venv/bin/python tests/search_golden.py      # after changing the spec: rewrite the golden files

Fixture (tests/data/search_golden/): docs.json (search documents), synonyms.yaml and
pinyin.yaml (the query rules and the readings, as in content/); the index built from them is
index/, the expected results golden.json.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DIR = HERE / "data" / "search_golden"
INDEX = DIR / "index"
GOLDEN = DIR / "golden.json"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

QUERIES = [
    # forms of one word: 汉字, pinyin, tones, initials, prefixes, mixed, 繁體, full-width
    "家庭暴力", "暴力", "jiatingbaoli", "jia ting bao li", "jiātíng bàolì", "jia1ting2", "jtbl", "jiat",
    "JiaTingBaoLi", "ＪＴＢＬ", "rsaqbhl", "人身aqbhl", "jiating暴力", "婦女權益", "保護令", "funv", "fùnǚ",
    "xian", "zh", "jt", "bao", "婚", "a", "nv", "zhrmghg", "家 暴",
    # articles, numbers, hotlines
    "反家暴法 23条", "反家暴法 第二十三条", "反家暴法第23条", "二十三条", "第23条之一", "第120条之一",
    "民法典 1042条", "23", "12338", "110", "0854-5550000", "妇女 jtbl 23",
    # places
    "长顺镇", "惠水县", "donghuamen", "dhmjd", "东华门 妇女",
    # everyday words: stop words, thesaurus, exact questions, unknown words
    "老公打我怎么办", "被家暴了怎么办", "离婚孩子归谁", "彩礼能要回来吗", "保护令多久能下来", "我想问一下怎么办",
    "老公 赌钱 打我", "如何申请人身安全保护令", "怎么申请人身安全保护令", "报警电话", "qqxxzz", "鼹鼠蝌蚪",
    # sound-alike: wrong characters, hand-typed pinyin near misses
    "告戒书", "家廷暴力", "被加暴了怎么办", "保户令怎么申请", "彩里能要回来吗", "探忘权", "服养权",
    "离婚冷净期", "老板拖欠公资", "baohulin", "cailli", "jiatinbaoli", "tangwangquan",
    # dialect words
    "老倌打我", "堂客要离婚", "细伢子归谁", "老细唔畀人工", "报差佬",
    # long spoken questions
    "我跟他说了好多次了他还是天天喝酒喝完就骂人我现在都不敢回家了怎么办",
    "我前夫已经半年没给孩子抚养费了打电话也不接该怎么办",
    "他翻我手机我怕他知道我看这个网站该怎么办呀",
    # readings from pinyin.yaml (还款 huán kuǎn)
    "huankuan", "haikuan", "还款",
]


def fixture_docs() -> list[dict]:
    return json.loads((DIR / "docs.json").read_text(encoding="utf-8"))


def fixture_rules():
    from weiquan.content.synonyms import load_thesaurus
    from weiquan.zh.reading import load_overrides
    from weiquan.zh.terms import Rules
    problems: list = []
    words = load_thesaurus(DIR, lambda *a: problems.append(a)).words
    assert not problems, problems
    for d in fixture_docs():      # law names are kept whole (content.synonyms.check_meanings)
        if d["kind"] == "law":
            words.update({n: [] for n in d["keywords"] + [d["title"]] if n not in words})
    return Rules(words, readings=load_overrides(DIR / "pinyin.yaml"))


def build(out: Path) -> dict:
    from weiquan.search.index import build_search_index
    return build_search_index(fixture_docs(), out, rules=fixture_rules())


def results(index_dir: Path) -> dict:
    """{query: {"qt": the query as finally read, "ranked": [[id, coverage, exact, score], …]}}
    (the first 10) — what the client must compute exactly."""
    from weiquan.search import index as S
    from weiquan.zh import terms as T
    files = S._Files(index_dir)
    manifest = files.get("manifest")
    rules = S.rules_of(manifest)
    ids = {}
    out = {}
    for q in QUERIES:
        qt = T.query_terms(q, rules)
        ranked = []
        if T.query_groups(qt):
            scored, qt, _ = S.rank(qt, manifest, files.get)
            for doc, cov, exact, score in scored[:10]:
                if doc not in ids:
                    ids[doc] = S.doc_record(files.get, manifest, doc)[6]
                ranked.append([ids[doc], cov, exact, score])
        out[q] = {"qt": qt, "ranked": ranked}
    return out


def write() -> None:
    import shutil
    shutil.rmtree(INDEX, ignore_errors=True)
    build(INDEX)
    GOLDEN.write_text(json.dumps(results(INDEX), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {INDEX.relative_to(ROOT)}/ and {GOLDEN.relative_to(ROOT)} ({len(QUERIES)} queries)")


if __name__ == "__main__":
    write()
