"""The everyday-language thesaurus (content/synonyms.yaml): loading, checks with file:line, and
what it does to queries."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from weiquan.content.synonyms import check_meanings, load_thesaurus
from weiquan.zh import terms as T

from conftest import FIXTURE_CONTENT

ROOT = Path(__file__).resolve().parents[1]


def _load(tmp_path, text):
    (tmp_path / "synonyms.yaml").write_text(text, encoding="utf-8")
    problems = []
    th = load_thesaurus(tmp_path, lambda path, line, zh, en="": problems.append((path.name, line, zh)))
    return th, problems


def test_the_shipped_thesaurus_is_large_and_clean():
    problems = []
    th = load_thesaurus(FIXTURE_CONTENT, lambda *a: problems.append(a))
    assert not problems
    assert th.entries >= 200 and th.terms >= 1000, (th.entries, th.terms)
    for word in ("老公", "打", "孩子归谁", "看孩子", "炒鱿鱼", "没钱请律师", "彩礼", "开除", "妇联电话"):
        assert word in th.words, word
    assert "家庭暴力" in th.words["打"] and "法律援助" in th.words["没钱请律师"]
    assert "解除劳动合同" in th.words["炒鱿鱼"] and "探望" in th.words["看孩子"]


def test_a_good_file_loads(tmp_path):
    th, problems = _load(tmp_path, "entries:\n  - words: [老公, 男人]\n    means: [丈夫, 配偶]\n"
                                   "  - {words: [老公], means: [家庭成员], note: 合并}\n")
    assert problems == []
    assert th.words["老公"] == ["丈夫", "配偶", "家庭成员"] and th.entries == 2


@pytest.mark.parametrize("text,line,words", [
    ("entries:\n  - words: [老公\n    means: [丈夫]\n", 3, "YAML"),               # syntax error
    ("entries:\n  - words: [老公]\n", 2, "缺少 means"),                          # missing key
    ("entries:\n  - words: [老公]\n    means: []\n", 3, "至少要写一个词"),
    ("entries:\n  - words: [老公]\n    meaning: [丈夫]\n    means: [丈夫]\n", 3, "不认识的键"),
    ("entries:\n  - words: [laogong]\n    means: [丈夫]\n", 2, "只能写汉字"),
    ("entries:\n  - words: [老公]\n    means: [丈夫, 12338]\n", 3, "只能写汉字"),
    ("entries:\n  - words: [老公]\n    means: [夫]\n", 3, "太短"),
    ("- words: [老公]\n", 1, "entries"),
])
def test_bad_input_names_file_and_line(tmp_path, text, line, words):
    _, problems = _load(tmp_path, text)
    assert problems, text
    name, got_line, zh = problems[0]
    assert name == "synonyms.yaml" and got_line == line and words in zh, problems


def test_local_words_add_to_the_national_list(tmp_path):
    """A county's own words (synonyms-local.yaml) add up with the national list; their
    problems name their own file and line."""
    (tmp_path / "synonyms.yaml").write_text("entries:\n  - words: [老公]\n    means: [丈夫]\n", encoding="utf-8")
    (tmp_path / "synonyms-local.yaml").write_text(
        "entries:\n  - words: [老倌, 老公]\n    means: [丈夫, 配偶]\n  - words: [老细]\n    means: [用人单位, 火星人]\n"
        "  - words: [laoxi]\n    means: [老板]\n", encoding="utf-8")
    problems = []
    th = load_thesaurus(tmp_path, lambda path, line, zh, en="": problems.append((path.name, line, zh)))
    assert th.words["老公"] == ["丈夫", "配偶"] and th.words["老倌"] == ["丈夫", "配偶"]
    assert problems == [("synonyms-local.yaml", 6, problems[0][2])] and "只能写汉字" in problems[0][2]

    class Content:   # just what searchable_text reads
        class settings:
            name, region, description, hotlines = "站", "示例", "", []
        laws, guides, cases, stations, campaigns = [], [], [], [], []
    c = Content()
    c.guides = [type("G", (), {"title": "丈夫打人，用人单位和老板都不管", "body": "配偶", "meta": type("M", (), {
        "summary": "", "topics": [], "questions": []})})()]
    problems.clear()
    check_meanings(th, c, None, lambda path, line, zh, en="": problems.append((path.name, line, zh)))
    assert [(p[0], p[1]) for p in problems] == [("synonyms-local.yaml", 5)] and "火星人" in problems[0][2]


def test_the_shipped_local_file_is_clean_and_loaded():
    problems = []
    th = load_thesaurus(FIXTURE_CONTENT, lambda *a: problems.append(a))
    assert not problems
    assert (FIXTURE_CONTENT / "synonyms-local.yaml").exists()
    assert "老娘舅" in th.words      # the example entry of the local file


# Words that do not mean a legal term (issue 24): they lead to the guide, not to that term.
NOT_MEANT = {
    # in-laws are neither 近亲属 nor 家庭成员 (民法典 1045); they are 家庭成员以外共同生活的人 (反家暴法 37)
    "婆婆": {"近亲属", "家庭成员"}, "公公": {"近亲属", "家庭成员"}, "小叔子": {"近亲属", "家庭成员"},
    "岳母": {"近亲属", "家庭成员"}, "妯娌": {"近亲属", "家庭成员"},
    # uncles and cousins are not 近亲属
    "叔叔": {"近亲属", "家庭成员"}, "舅舅": {"近亲属", "家庭成员"}, "表哥": {"近亲属", "家庭成员"},
    # 儿媳, 女婿 are not 赡养人 (老年人权益保障法 14: 赡养人的配偶 helps)
    "儿媳": {"赡养人"}, "儿媳妇": {"赡养人"}, "女婿": {"赡养人"},
    # 嫁妆 is not automatically 个人财产 (民法典 1062, 1063)
    "嫁妆": {"个人财产"}, "陪嫁": {"个人财产"},
    # not what 反家暴法 2 lists
    "经济控制": {"家庭暴力"}, "冷暴力": {"家庭暴力"}, "不给钱": {"家庭暴力"},
    # 警告 is a penalty, not 告诫书
    "警告": {"告诫书"},
}


def test_the_shipped_thesaurus_does_not_say_what_the_law_does_not():
    th = load_thesaurus(FIXTURE_CONTENT, lambda *a: None)
    for word, wrong in NOT_MEANT.items():
        assert not wrong & set(th.words.get(word, [])), (word, th.words.get(word))
    assert "一起生活的人" in th.words["婆婆"] and "赡养人的配偶" in th.words["儿媳"]


@pytest.mark.parametrize("region,word,meaning", [
    ("湘", "堂客", "妻子"), ("陕北", "婆姨", "妻子"), ("西北", "掌柜的", "丈夫"), ("湘", "老倌", "丈夫"),
    ("北方", "那口子", "丈夫"), ("鄂", "男将", "丈夫"), ("湘", "细伢子", "子女"), ("西南", "娃儿", "子女"),
    ("粤", "细路", "子女"), ("闽", "囝仔", "子女"), ("吴", "小囡", "子女"), ("湘", "娘屋", "娘家"),
    ("各地", "外头的人", "与他人同居"), ("粤", "老细", "用人单位"), ("粤", "差佬", "公安机关"), ("闽", "头家", "用人单位"),
])
def test_dialect_words_across_regions(region, word, meaning):
    th = load_thesaurus(FIXTURE_CONTENT, lambda *a: None)
    assert meaning in th.words.get(word, []), (region, word, th.words.get(word))


def test_unknown_meaning_is_an_error_at_its_line(tmp_path):
    th, problems = _load(tmp_path, "entries:\n  - words: [老公]\n    means: [丈夫, 火星人]\n")
    assert not problems

    class Content:   # just what searchable_text reads
        class settings:
            name, region, description, hotlines = "站", "示例", "", []
        laws, guides, cases, stations, campaigns = [], [], [], [], []
    c = Content()
    c.guides = [type("G", (), {"title": "丈夫打人怎么办", "body": "", "meta": type("M", (), {
        "summary": "", "topics": [], "questions": []})})()]
    check_meanings(th, c, tmp_path / "synonyms.yaml", lambda p, line, zh, en="": problems.append((line, zh)))
    assert problems == [(3, problems[0][1])] and "火星人" in problems[0][1]


def test_weiquan_check_reports_a_bad_thesaurus(project):
    from conftest import BIN, run
    path = project / "content" / "synonyms.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "  - words: [外星]\n    means: [火星殖民地]\n", encoding="utf-8")
    r = run(BIN / "weiquan", "check", "content", cwd=project, check=False)
    assert r.returncode != 0
    lines = path.read_text(encoding="utf-8").count("\n")
    assert f"synonyms.yaml:{lines}:" in r.stdout + r.stderr and "火星殖民地" in r.stdout + r.stderr
    assert "Traceback" not in r.stdout + r.stderr


def test_schema_describes_the_file():
    import jsonschema
    import yaml
    schema = json.loads((ROOT / "schemas" / "synonyms.schema.json").read_text(encoding="utf-8"))
    data = yaml.safe_load((FIXTURE_CONTENT / "synonyms.yaml").read_text(encoding="utf-8"))
    jsonschema.validate(data, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"entries": [{"words": ["老公"]}]}, schema)


# ---- what the rules do to a query ------------------------------------------------------

RULES = T.Rules({"老公": ["丈夫", "配偶"], "打": ["殴打", "家庭暴力"], "孩子归谁": ["抚养"],
                 "没钱请律师": ["法律援助"]})


def test_thesaurus_word_becomes_a_run_of_alternatives():
    qt = T.query_terms("老公打我怎么办", RULES)
    assert qt["runs"] == [[["老公"], ["丈夫"], ["配偶"]], [["打*"], ["殴打"], ["家庭", "庭暴", "暴力"]]]
    assert qt["everyday"] and {"老公", "丈夫", "家庭暴力"} <= set(qt["hl"])
    assert qt["exact"] == "@老公打"          # 我 and 怎么办 are not part of what is asked


def test_longest_phrase_wins():
    qt = T.query_terms("离婚孩子归谁", RULES)
    assert qt["runs"] == [[["离婚"]], [["孩子", "子归", "归谁"], ["抚养"]]]
    assert T.query_terms("没钱请律师", RULES)["runs"] == [[["没钱", "钱请", "请律", "律师"], ["法律", "律援", "援助"]]]


def test_stop_words_are_optional_not_required():
    qt = T.query_terms("彩礼能要回来吗")
    groups = qt["runs"][0][0]
    assert "彩礼" in groups and "回来" in groups and "礼能?" in groups and "来吗?" in groups
    assert "要回" not in groups            # both chars stop words: left out
    # a doc with 彩礼 and 回来 but none of the stop words is fully covered
    hits = {"彩礼": {8}, "回来": {0}}
    assert T.score_doc(qt, hits, set(), "guide")[0] == 1.0
    # only stop words: nothing to look for
    assert T.query_terms("我想问一下怎么办")["runs"] == []
    # a name that holds a stop word still finds itself best: 和平 is optional, 平镇 required
    assert T.query_terms("和平镇")["runs"] == [[["和平", "平镇"]]]


def test_lone_char_is_optional_unless_alone():
    assert T.query_terms("老公算打我", RULES)["runs"][1] == [["算*?"]]
    assert "算*" not in T.query_groups(T.query_terms("老公算打我", RULES))
    assert T.query_terms("婚")["runs"] == [[["婚*"]]]


def test_unknown_word_does_not_lose_the_query():
    qt = T.query_terms("老公 赌钱 打我", RULES)
    hits = {"丈夫": {8}, "殴打": {0}}
    cov, _, _ = T.score_doc(qt, hits, {"赌钱"}, "guide")     # 赌钱: no document holds it
    assert cov == 1.0
    assert T.score_doc(qt, hits, set(), "guide")[0] == pytest.approx(2 / 3)


def test_numbers_and_hotlines():
    assert T.query_terms("12338")["runs"] == [[["%12338*"]]]
    assert T.query_terms("110")["runs"] == [[["#110"], ["%110*"]]]
    assert T.query_terms("23")["runs"] == [[["#23"]]]
    assert "%12338" in T.index_terms("拨打12338妇女维权热线")
    assert "%23" not in T.index_terms("第23条")


def test_exact_question_ranks_first_and_everyday_prefers_guides():
    qt = T.query_terms("老公打我怎么办", RULES)
    question = {"老公": {15}, "@老公打": {15}}
    body = {"丈夫": {0}, "殴打": {0}}
    assert T.score_doc(qt, question, set(), "guide")[2] > T.score_doc(qt, body, set(), "article")[2] + 50
    plain = T.query_terms("家庭暴力")
    assert not plain["everyday"]
    hits = {g: {8} for g in ("家庭", "庭暴", "暴力")}
    assert T.score_doc(plain, hits, set(), "law") > T.score_doc(plain, hits, set(), "guide")
    assert T.score_doc(qt, body, set(), "guide") > T.score_doc(qt, body, set(), "law")


def test_rules_roundtrip_for_the_client():
    data = RULES.data()
    assert T.Rules.from_data(json.loads(json.dumps(data, ensure_ascii=False))).data() == data
    assert "怎么办" in data["stop"].split() and "打|殴打 家庭暴力" in data["syn"]


def test_at_most_three_meanings_are_searched_and_absent_groups():
    rules = T.Rules({"老公": ["丈夫", "配偶", "家庭成员", "对方"]})
    assert len(T.query_terms("老公", rules)["runs"][0]) == 1 + T.MAX_MEANINGS
    # a word no document holds is left out; a word partly held counts its missing groups
    qt = T.query_terms("qqxxzz")
    hits = {"=xxzz": {8}}
    assert T.score_doc(qt, hits, set(), "station", {"=qqxx", "=qxxz"})[0] < T.MIN_COVERAGE


def test_law_names_are_kept_whole():
    rules = T.Rules({"家暴": ["家庭暴力"], "反家暴法": []})
    qt = T.query_terms("反家暴法", rules)
    assert qt["runs"] == [[["反家", "家暴", "暴法"]]] and not qt["everyday"]
    assert T.query_terms("被家暴", rules)["runs"] == [[["家暴"], ["家庭", "庭暴", "暴力"]]]
