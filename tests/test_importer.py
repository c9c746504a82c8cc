"""weiquan.lawtext.importer: official law texts → law YAML."""

from __future__ import annotations

import datetime as dt
import importlib.util
import re
from pathlib import Path

import pytest
import yaml

from conftest import IN_CI
from weiquan.content.citations import anchor_for
from weiquan.lawtext.command import import_law_file as import_law_command
from weiquan.lawtext.importer import (LawImportError, count_article_paragraphs,
                              dump_law_yaml, iter_articles, merge_reimport, normalise_heading,
                              parse_law_text)
from weiquan.zh.numerals import parse_article_number

ROOT = Path(__file__).resolve().parents[1]
CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "laws"
DATA = Path(__file__).resolve().parent / "data" / "importer"
CORPUS_FILES = sorted(CORPUS.glob("*.md")) if CORPUS.is_dir() else []
needs_corpus = pytest.mark.usefixtures("corpus")   # conftest: skips without the corpus, fails in CI
WS = " \t\r\n\u3000\u00a0\u200b\ufeff"
FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(text: str):
    return yaml.load(text, Loader=FAST_LOADER)


def norm(text: str) -> str:
    text = re.sub(r"[\s\u3000\u00a0\u200b\ufeff]+", " ", text).strip()
    # a number spaced inside (第一百二十八 条…, a slip in the official text) reads as 第一百二十八条
    return re.sub(r"^(第[〇零一二三四五六七八九十百千]+(?:条之[一二三四五六七八九十]+|条))\s*|"
                  r"^(第[〇零一二三四五六七八九十百千]+) 条 ?", lambda m: (m.group(1) or m.group(2) + "条") + " ", text)


def iter_parts(parts: list[dict]):
    for part in parts:
        yield part
        yield from iter_parts(part.get("parts") or [])


def tree_articles(data: dict) -> list[dict]:
    return list(iter_articles(data))


APPENDIX_LINE = re.compile(r"^#*\s*(附录|附件|附表)[一二三四五六七八九十\d]*\s*([：:].{0,40})?$")


def source_body(text: str, title: str, headings: list[str] | None = None) -> list[str]:
    """Source paragraphs from the first article on, without headings and header blocks
    (headings from the first 附件/附表/附录 on are kept: an appendix is verbatim text).
    A short line without sentence punctuation right after a heading continues it; the
    headings of the body (joined) are appended to `headings` when given."""
    lines = text.split("\n")
    first = next(i for i, ln in enumerate(lines) if re.match(r"^第\S+?条[\s\u3000]", ln.strip(WS)))
    out, in_header, in_appendix, after_heading = [], False, False, False
    for line in lines[first:]:
        s = line.strip(WS)
        if not s:
            continue
        in_appendix = in_appendix or bool(APPENDIX_LINE.match(s))
        if in_appendix:
            out.append(norm(s.lstrip("#")))
            continue
        if s.startswith("#"):
            in_header = in_header or s.lstrip("#").strip() == title
            after_heading = not in_header and bool(s.lstrip("#").strip())
            if after_heading and headings is not None:
                headings.append(s.lstrip("#").strip())
            continue
        if (after_heading and not re.match(r"^第\S+?条", s) and len(s) <= 40
                and not re.search(r"[。；，：;,:！？]", s)):
            after_heading = False
            if headings is not None:
                headings[-1] += s
            continue
        after_heading = False
        if s == "<!-- INFO END -->":
            in_header = False
            continue
        if not in_header:
            out.append(norm(s))
    return out


# ----------------------------------------------------------------------------- corpus

@needs_corpus
@pytest.mark.parametrize("path", CORPUS_FILES or [pytest.param(None, id="no-corpus")],
                         ids=lambda p: p.stem)
def test_corpus_round_trip(path):
    text = path.read_text(encoding="utf-8")
    data = parse_law_text(text, source_name=path.name)
    articles = tree_articles(data)
    assert len(articles) == count_article_paragraphs(text)
    numbers = [a["number"] for a in articles]
    assert len(set(numbers)) == len(numbers)
    rejoined = []
    for a in articles:
        assert a["paragraphs"], a["number"]
        rejoined.append(norm(f"{a['number']} {a['paragraphs'][0]}"))
        rejoined += [norm(p) for p in a["paragraphs"][1:]]
    for appendix in data["appendices"]:
        rejoined += [norm(appendix["heading"])] + [norm(p) for p in appendix["paragraphs"]]
    headings: list[str] = []
    assert rejoined == source_body(text, data["title"], headings)
    # every body heading became a part heading (a heading over two lines as one)
    squash = lambda h: re.sub(r"[\s\u3000]+", "", h)  # noqa: E731
    parsed = [squash(p["heading"]) for p in iter_parts(data["parts"])]
    for h in headings:
        assert squash(h) in parsed, h
    # verbatim apart from trimming
    for a in articles:
        for p in a["paragraphs"]:
            assert p == p.strip(WS) and p in text
    # YAML round trip keeps everything
    assert load_yaml(dump_law_yaml(data)) == data


@needs_corpus
@pytest.mark.parametrize("stem, count", [
    ("反家庭暴力法_2015-12-27", 38), ("民法典_2020-05-28", 1260), ("劳动法_2018-12-29", 107),
    ("妇女权益保障法_2022-10-30", 86), ("未成年人保护法_2024-04-26", 132),
    ("人身安全保护令规定_2022-07-14", 13),
])
def test_known_article_counts(stem, count):
    text = (CORPUS / f"{stem}.md").read_text(encoding="utf-8")
    assert len(tree_articles(parse_law_text(text, source_name=stem))) == count


@needs_corpus
def test_heading_continued_on_next_line():
    text = (CORPUS / "刑事诉讼法_2018-10-26.md").read_text(encoding="utf-8")
    data = parse_law_text(text, source_name="x")
    headings = [p["heading"] for p in iter_parts(data["parts"])]
    assert "第四章 犯罪嫌疑人、被告人逃匿、死亡案件违法所得的没收程序" in headings
    assert not any(h.endswith("死亡案件") for h in headings)


def test_heading_continuation_is_not_a_sentence():
    # a stray sentence after a heading is still an error, not a heading
    text = "# 某某条例\n\n<!-- INFO END -->\n\n## 第一章 总则\n\n本章规定如下。\n\n第一条 内容。\n"
    with pytest.raises(LawImportError):
        parse_law_text(text, source_name="x")
    text = "# 某某条例\n\n<!-- INFO END -->\n\n## 第一章 总则\n\n和附则\n\n第一条 内容。\n"
    data = parse_law_text(text, source_name="x")
    assert data["parts"][0]["heading"] == "第一章 总则和附则"


@needs_corpus
def test_minfadian_is_one_law_with_bian_parts():
    text = (CORPUS / "民法典_2020-05-28.md").read_text(encoding="utf-8")
    data = parse_law_text(text, source_name="民法典")
    assert data["title"] == "中华人民共和国民法典"
    assert [p["kind"] for p in data["parts"]] == ["编"] * 7 + ["附则"]
    assert data["parts"][1]["parts"][0]["kind"] == "分编"
    assert data["parts"][0]["parts"][1]["parts"][1]["heading"] == "第二节 监护"
    assert data["parts"][0]["parts"][0]["heading"] == "第一章 基本规定"
    assert data["history"] == ["2020年5月28日 第十三届全国人民代表大会第三次会议通过",
                               "2021年1月1日 施行"]
    assert (data["adopted"], data["effective"]) == (dt.date(2020, 5, 28), dt.date(2021, 1, 1))


@needs_corpus
def test_history_dates_and_preface():
    text = (CORPUS / "妇女权益保障法_2022-10-30.md").read_text(encoding="utf-8")
    data = parse_law_text(text, source_name="x")
    assert data["adopted"] == dt.date(1992, 4, 3)
    assert data["amended"] == [dt.date(2005, 8, 28), dt.date(2018, 10, 26), dt.date(2022, 10, 30)]
    assert data["version"] == dt.date(2022, 10, 30)
    assert len(data["history"]) == 4
    text = (CORPUS / "人身安全保护令规定_2022-07-14.md").read_text(encoding="utf-8")
    data = parse_law_text(text, source_name="x", adopted="2022-07-14")
    assert data["preface"][:3] == ["最高人民法院", "关于办理人身安全保护令案件适用法律若干问题的规定",
                                   "法释〔2022〕17号"]
    assert data["issuer"] == "最高人民法院" and data["kind"] == "司法解释"


@needs_corpus
def test_content_laws_in_sync_with_importer():
    spec = importlib.util.spec_from_file_location("import_corpus_laws",
                                                  ROOT / "scripts" / "import_corpus_laws.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    generated = module.build_all(CORPUS)
    assert len(generated) == len(module.LAWS)
    for slug, text in generated.items():
        path = ROOT / "content" / "laws" / f"{slug}.yaml"
        assert path.read_text(encoding="utf-8") == text, (
            f"{path} is stale: run scripts/import_corpus_laws.py")


def test_content_laws_validate_against_model():
    from weiquan.content import model as models
    paths = sorted((ROOT / "content" / "laws").glob("*.yaml"))
    assert paths, "no content/laws"
    for path in paths:
        text = path.read_text(encoding="utf-8")
        assert text.startswith("# yaml-language-server: $schema=../../schemas/law.schema.json\n")
        data = load_yaml(text)
        law = models.Law.model_validate(data)
        assert law.slug == path.stem


# ----------------------------------------------------------------------------- plain text

def test_plain_layout_matches_markdown_import():
    plain = parse_law_text((DATA / "反家庭暴力法_plain.txt").read_text(encoding="utf-8"),
                           source_name="plain")
    assert plain["history"] == ["（2015年12月27日第十二届全国人民代表大会常务委员会第十八次会议通过）"]
    assert plain["adopted"] == dt.date(2015, 12, 27)
    assert plain["preface"] == []
    assert [p["heading"] for p in plain["parts"]] == [
        "第一章 总则", "第二章 家庭暴力的预防", "第三章 家庭暴力的处置", "第四章 人身安全保护令",
        "第五章 法律责任", "第六章 附则"]  # the 目录 created no duplicates
    assert len(tree_articles(plain)) == 38
    a10 = tree_articles(plain)[9]
    assert a10["number"] == "第十条" and a10["paragraphs"][0].startswith("人民调解组织")
    if CORPUS_FILES or IN_CI:   # the same law from the corpus (which CI must have)
        md = parse_law_text((CORPUS / "反家庭暴力法_2015-12-27.md").read_text(encoding="utf-8"),
                            source_name="md")
        assert plain["parts"] == md["parts"]
    # Windows line endings change nothing
    crlf = (DATA / "反家庭暴力法_plain.txt").read_text(encoding="utf-8").replace("\n", "\r\n")
    assert parse_law_text(crlf, source_name="crlf")["parts"] == plain["parts"]


def test_plain_structure_fixture():
    text = (DATA / "结构测试夹具_plain.txt").read_text(encoding="utf-8")
    data = parse_law_text(text, source_name="fixture")
    assert data["title"] == "结构测试夹具法（weiquan 导入器测试夹具，非真实法律）"
    assert (data["adopted"], data["amended"], data["version"]) == (
        dt.date(1994, 7, 5), [dt.date(2009, 8, 27), dt.date(2018, 12, 29)], dt.date(2018, 12, 29))
    assert data["preface"][1] == "序言" and len(data["preface"]) == 4
    assert data["preface"][0].startswith("本文件是测试夹具")
    assert [(p["kind"], p["heading"]) for p in data["parts"]] == [
        ("编", "第一编 总则"), ("编", "第二编 分则"), ("附则", "附则")]
    chapter2 = data["parts"][0]["parts"][1]
    assert [(p["kind"], p["heading"]) for p in chapter2["parts"]] == [
        ("节", "第一节 一般规定"), ("节", "第二节 平等就业")]
    numbers = [a["number"] for a in tree_articles(data)]
    assert numbers == ["第一条", "第二条", "第三条", "第三条之一", "第四条", "第五条", "第六条",
                       "第七条", "第七条之一", "第八条", "第九条", "第十条"]
    assert [anchor_for(parse_article_number(n)) for n in numbers][3] == "a3-1"
    a9 = tree_articles(data)[10]
    assert a9["paragraphs"][1:] == ["（一）禁止被申请人实施家庭暴力；",
                                    "（二）禁止被申请人骚扰、跟踪、接触申请人及其相关近亲属；",
                                    "（三）责令被申请人迁出申请人住所；",
                                    "（四）保护申请人人身安全的其他措施。"]
    assert data["parts"][2]["articles"][0]["paragraphs"] == ["本法自1995年1月1日起施行。"]
    assert count_article_paragraphs(text) == 12


def test_count_article_paragraphs():
    text = "\n".join([
        "第一条 为了……",
        "依照本法第二条规定的，……",          # mentions an article in the middle
        "第二条　……",                        # full-width space
        "第二条之一 ……",
        "第三条规定的情形，……",              # a reference at the start, not an article
        "第三条本法所称……",                  # no separator, next in sequence
        "第九条本法所称……",                  # no separator, out of sequence
    ])
    assert count_article_paragraphs(text) == 4


def test_normalise_heading():
    assert normalise_heading("第一章  基本规定") == "第一章 基本规定"
    assert normalise_heading("第二节  监  护") == "第二节 监护"
    assert normalise_heading("第一分编　通则") == "第一分编 通则"
    assert normalise_heading("附　　则") == "附则"
    assert normalise_heading("第十三章 附 则") == "第十三章 附则"


# ----------------------------------------------------------------------------- errors

HEAD = ["中华人民共和国测试法", "", "（2015年12月27日第十二届全国人民代表大会常务委员会第十八次会议通过）", ""]


def test_error_unparseable_plain_heading():
    text = "\n".join(HEAD + ["第一章　总则", "", "第一条　为了……", "", "第二Ｘ章　其他", "",
                             "第二条　……"])
    with pytest.raises(LawImportError) as exc:
        parse_law_text(text, source_name="t")
    assert exc.value.line == 9
    assert "无法识别的结构标题" in exc.value.message and "expected" in exc.value.message
    assert str(exc.value).startswith("第 9 行：")


def test_error_unparseable_markdown_heading():
    text = "# 测试法\n\n<!-- INFO END -->\n\n## 第一章 总则\n\n第一条 为了……\n\n## 说明文字\n\n第二条 ……\n"
    with pytest.raises(LawImportError) as exc:
        parse_law_text(text, source_name="t")
    assert exc.value.line == 9


def test_error_dropped_article_reports_its_line():
    # a 目录 heading that is never closed would swallow the articles after it
    text = ("# 测试法\n\n<!-- INFO END -->\n\n## 第一章 总则\n\n第一条 为了……\n\n"
            "## 目录\n\n第二条 ……\n\n第三条 ……\n")
    with pytest.raises(LawImportError) as exc:
        parse_law_text(text, source_name="t")
    assert exc.value.line == 11 and "条文数不一致" in exc.value.message


def test_error_article_inside_header():
    text = "# 测试法\n\n2015年12月27日 通过\n\n第一条 为了……\n\n<!-- INFO END -->\n\n第二条 ……\n"
    with pytest.raises(LawImportError) as exc:
        parse_law_text(text, source_name="t")
    assert exc.value.line == 5


def test_error_article_numbers_not_increasing():
    text = "\n".join(HEAD + ["第一条　……", "第三条　……", "第二条　……", "第四条　……"])
    with pytest.raises(LawImportError) as exc:
        parse_law_text(text, source_name="t")
    assert exc.value.line == 7 and "不递增" in exc.value.message


def test_error_paragraph_outside_article():
    text = "\n".join(HEAD + ["第一章　总则", "这一段不属于任何条文。", "第一条　……"])
    with pytest.raises(LawImportError) as exc:
        parse_law_text(text, source_name="t")
    assert exc.value.line == 6


# ----------------------------------------------------------------------------- re-import

def _fixture_law(**kw):
    text = (DATA / "反家庭暴力法_plain.txt").read_text(encoding="utf-8")
    return text, parse_law_text(text, source_name="t", **kw)


def test_merge_reimport_keeps_metadata_and_notes():
    text, old = _fixture_law(slug="fan-jiating-baoli-fa", short_name="反家庭暴力法",
                             aliases=["反家暴法"], kind="法律", effective="2016-03-01")
    a23 = next(a for a in iter_articles(old) if a["number"] == "第二十三条")
    a23["note"], a23["topics"] = "可以直接向法院申请。", ["人身安全保护令"]
    last = next(a for a in iter_articles(old) if a["number"] == "第三十八条")
    last["topics"] = ["施行"]
    new_text = text[:text.index("第三十八条")]
    new = parse_law_text(new_text, source_name="t")
    merged, vanished = merge_reimport(old, new, overrides={"status": "已修改"})
    assert merged["slug"] == "fan-jiating-baoli-fa" and merged["aliases"] == ["反家暴法"]
    assert merged["short_name"] == "反家庭暴力法" and merged["status"] == "已修改"
    assert merged["effective"] == dt.date(2016, 3, 1)
    m23 = next(a for a in iter_articles(merged) if a["number"] == "第二十三条")
    assert m23["note"] == "可以直接向法院申请。" and m23["topics"] == ["人身安全保护令"]
    assert vanished == ["a38"]


# ----------------------------------------------------------------------------- CLI

def test_cli_import_and_reimport(tmp_path, capsys):
    out = tmp_path / "fan-jiating-baoli-fa.yaml"
    src = DATA / "反家庭暴力法_plain.txt"
    assert import_law_command(src, short_name="反家庭暴力法", aliases=["反家暴法"], kind="法律",
                              effective="2016-03-01", out=out) == 0
    assert "已导入 38 条 (38 articles)" in capsys.readouterr().out
    data = load_yaml(out.read_text(encoding="utf-8"))
    assert data["slug"] == "fan-jiating-baoli-fa"  # from the --out file name
    data["parts"][0]["articles"][0]["note"] = "立法目的。"
    out.write_text(dump_law_yaml(data), encoding="utf-8")
    assert import_law_command(src, out=out) == 0
    again = load_yaml(out.read_text(encoding="utf-8"))
    assert again["aliases"] == ["反家暴法"] and again["parts"][0]["articles"][0]["note"] == "立法目的。"


def test_cli_reports_file_and_line(tmp_path, capsys):
    bad = tmp_path / "bad.txt"
    bad.write_text("\n".join(HEAD + ["第一条　……", "第一条　……"]), encoding="utf-8")
    assert import_law_command(bad, slug="ce-shi", out="-") == 1
    err = capsys.readouterr().err
    assert err.startswith(f"{bad}:6: ") and "Traceback" not in err


@pytest.mark.parametrize("slug", ["ce-shi\n", "index", "x" * 81, "Ce-Shi"])
def test_slug_option_is_checked_like_a_file_name(tmp_path, capsys, slug):
    src = tmp_path / "law.txt"
    src.write_text("\n".join(HEAD + ["第一条　……"]), encoding="utf-8")
    laws = tmp_path / "content" / "laws"
    laws.mkdir(parents=True)
    assert import_law_command(src, slug=slug, content_dir=tmp_path / "content") == 1
    assert "--slug" in capsys.readouterr().err and not list(laws.iterdir())


def test_error_article_without_text():
    text = "\n".join(HEAD + ["第一章　总则", "第一条", "第二章　其他", "第二条　……"])
    with pytest.raises(LawImportError) as exc:
        parse_law_text(text, source_name="t")
    assert exc.value.line == 6 and "没有条文内容" in exc.value.message


def test_number_alone_on_its_line():
    text = "\n".join(HEAD + ["第一条", "为了……，制定本法。", "第二条　……"])
    data = parse_law_text(text, source_name="t")
    assert data["articles"][0] == {"number": "第一条", "paragraphs": ["为了……，制定本法。"],
                                   "note": None, "topics": []}


# ----------------------------------------------------------------------------- every shape

SHAPES = sorted(p for p in DATA.glob("*") if p.suffix in (".txt", ".md") and p.name != "README.md")


def _squashed(text: str) -> str:
    return re.sub(r"[\s\u3000\u00a0\u200b\ufeff#]+", "", text)


def _outputs(data: dict) -> list[str]:
    out = [data["title"], *data["history"], *data["preface"]]

    def walk(parts):
        for part in parts:
            out.append(part["heading"])
            walk(part["parts"])
    walk(data["parts"])
    for a in iter_articles(data):
        out.append(a["number"] + a["paragraphs"][0])
        out += a["paragraphs"][1:]
    for ap in data["appendices"]:
        out += [ap["heading"], *ap["paragraphs"]]
    return [_squashed(s) for s in out]


@pytest.mark.parametrize("path", SHAPES, ids=lambda p: p.stem)
def test_fixture_round_trip(path):
    """Every source line of each hand-made shape lands verbatim somewhere in the YAML, in order
    for article text; article counts equal the 第…条 paragraphs; the YAML validates."""
    text = path.read_text(encoding="utf-8")
    data = parse_law_text(text, source_name=path.name)
    assert len(tree_articles(data)) == count_article_paragraphs(text)
    outputs = _outputs(data)
    have = set(outputs)
    title = _squashed(data["title"])
    for line in text.splitlines():
        s = _squashed(line)
        if not s or s in ("<!--INFOEND-->", "目录") or s in title:
            continue
        assert s in have, f"{path.name}: line dropped or merged: {line!r}"
    body = [_squashed(a["number"] + a["paragraphs"][0]) for a in iter_articles(data)]
    src = [_squashed(ln) for ln in text.splitlines()]
    positions = [src.index(s) for s in body]
    assert positions == sorted(positions)  # articles in source order
    from weiquan.content import model as models
    models.Law.model_validate(data)


def _parts(data: dict) -> list[tuple[str, str, list[str]]]:
    out = []

    def walk(parts, depth):
        for p in parts:
            out.append((depth, p["kind"], p["heading"], [a["number"] for a in p["articles"]]))
            walk(p["parts"], depth + 1)
    walk(data["parts"], 0)
    return out


def _fixture(name: str) -> dict:
    return parse_law_text((DATA / name).read_text(encoding="utf-8"), source_name=name)


def test_judicial_interpretation_parts_markdown_and_plain():
    md = _fixture("司法解释_部分.md")
    assert _parts(md) == [(0, "部分", "一、一般规定", ["第一条"]), (0, "部分", "二、离婚", []),
                          (1, "部分", "（一）诉讼离婚", ["第二条"]), (1, "部分", "（二）协议离婚", ["第三条"]),
                          (0, "部分", "三、附则", ["第四条"])]
    plain = _fixture("司法解释_部分_plain.txt")
    assert plain["title"] == "最高人民法院关于审理测试夹具纠纷案件适用法律若干问题的解释（一）"  # two lines
    assert [(d, h) for d, _k, h, _a in _parts(plain)] == [
        (0, "一、一般规定"), (0, "二、婚姻关系"), (1, "（一）结婚"), (1, "（二）离婚"), (0, "三、附则")]
    first = tree_articles(plain)[0]
    # an item without final punctuation before the next article stays an item, not a heading
    assert first["paragraphs"][-1] == "（三）婚前给付并导致给付人生活困难"
    assert plain["kind"] == "司法解释" and plain["issuer"] == "最高人民法院"
    assert (plain["adopted"], plain["effective"]) == (dt.date(2099, 1, 2), dt.date(2099, 3, 1))
    assert plain["short_name"] == "测试夹具纠纷案件解释（一）"
    assert "测试夹具纠纷案件解释一" in plain["aliases"]


def test_appendices_after_the_articles_are_not_articles():
    data = _fixture("附件附表.md")
    assert [a["number"] for a in tree_articles(data)] == ["第一条", "第二条"]
    assert [(a["heading"], a["paragraphs"]) for a in data["appendices"]] == [
        ("附件一", ["禁忌从事的劳动范围：", "1．矿山井下作业；",
                   "2．体力劳动强度分级标准中规定的第四级体力劳动强度的作业。"]),
        ("附表", ["第一条 附表中以“第…条”开头的段落不是本条例的条文。", "三、女职工在孕期禁忌从事的劳动范围："]),
        ("附录：说明", ["（一）本附录原文照录。"])]
    plain = _fixture("附录_plain.txt")
    assert [a["heading"] for a in plain["appendices"]] == ["附录：", "附件2：申请书格式"]
    assert plain["appendices"][0]["paragraphs"][0] == "禁忌从事的劳动范围"
    assert plain["effective"] == dt.date(2099, 1, 2)  # 自公布之日起施行


def test_local_regulation_spaced_headings_and_title_over_two_lines():
    data = _fixture("地方性法规_plain.txt")
    assert data["title"] == "某某省妇女权益保障测试夹具条例"
    assert [h for _d, _k, h, _a in _parts(data)] == ["第一章 总则", "第二章 保障", "第三章 附则"]
    assert [a["number"] for a in tree_articles(data)] == ["第一条", "第二条", "第三条", "第三条之一", "第四条"]
    assert tree_articles(data)[2]["paragraphs"] == ["县级以上人民政府应当将妇女权益保障工作纳入国民经济和社会发展规划。"]
    assert data["kind"] == "地方性法规" and data["issuer"] == "某某省人民代表大会常务委员会"
    assert data["effective"] == dt.date(2099, 3, 1)


def test_no_chapters_and_zhiyi_articles():
    data = _fixture("无章节_plain.txt")
    assert data["parts"] == []
    assert [a["number"] for a in data["articles"]] == ["第一条", "第二条", "第二条之一", "第二条之二", "第三条"]
    assert len(data["articles"][1]["paragraphs"]) == 2
    assert data["kind"] == "部门规章" and data["issuer"] == "某某部"
    assert (data["adopted"], data["published"], data["effective"]) == (
        dt.date(2099, 1, 2), dt.date(2099, 1, 9), dt.date(2099, 3, 1))


def test_preface_markdown():
    data = _fixture("序言.md")
    assert data["preface"] == ["序言", "本文件是 weiquan 导入器的测试夹具，不是真实法律；结构仿照宪法。",
                               "序言的第二段原文照录。"]
    assert [h for _d, _k, h, _a in _parts(data)] == ["第一章 总纲", "第二章 附则"]


ERRORS = {  # fixture → (line, what the message says it expected)
    "标题编号无法识别.txt": (9, "无法识别的结构标题「第二Ｘ章　其他」"),
    "标题无法识别.md": (9, "无法识别的结构标题「说明文字」"),
    "条文编号不递增.txt": (9, "条文编号不递增：第二条 出现在 第三条 之后"),
    "段落不属于条文.txt": (7, "段落不属于任何条文"),
    "条文没有内容.txt": (7, "第一条 没有条文内容"),
    "条文在题注中.md": (5, "条文出现在标题信息区"),
    "目录吞掉条文.md": (11, "条文数不一致"),
    "没有条文.txt": (6, "没有找到任何条文"),
    "没有标题.txt": (1, "找不到标题"),
    "部分编号不连续.txt": (9, "编号不连续"),
}


def test_every_error_fixture_is_listed():
    assert sorted(p.name for p in (DATA / "errors").iterdir()) == sorted(ERRORS)


@pytest.mark.parametrize("name", sorted(ERRORS))
def test_error_fixture(name, capsys):
    line, message = ERRORS[name]
    path = DATA / "errors" / name
    with pytest.raises(LawImportError) as exc:
        parse_law_text(path.read_text(encoding="utf-8"), source_name=name)
    assert exc.value.line == line and message in exc.value.message
    assert "expected" in exc.value.message  # says what it expected
    assert import_law_command(path, out="-") == 1
    err = capsys.readouterr().err
    assert err.startswith(f"{path}:{line}: ") and "Traceback" not in err


# ----------------------------------------------------------------------------- inference

@pytest.mark.parametrize("name, slug", [
    ("刑法", "xingfa"), ("治安管理处罚法", "zhian-guanli-chufa-fa"), ("劳动法", "laodong-fa"),
    ("反家庭暴力法", "fan-jiating-baoli-fa"), ("民法典", "minfadian"),
    ("妇女权益保障法", "funv-quanyi-baozhang-fa"), ("女职工劳动保护特别规定", "nvzhigong-laodong-baohu-tebie-guiding"),
])
def test_slug_from_the_short_names_pinyin(name, slug):
    from weiquan.lawtext.infer import slug_for
    assert slug_for(name) == slug


def test_history_lines_lose_a_stray_closing_bracket():
    from weiquan.lawtext.infer import clean_history_line
    assert clean_history_line("2025年6月27日 第十四届全国人民代表大会常务委员会第十六次会议修订）") == \
        "2025年6月27日 第十四届全国人民代表大会常务委员会第十六次会议修订"
    kept = "（2015年12月27日第十二届全国人民代表大会常务委员会第十八次会议通过）"
    assert clean_history_line(kept) == kept
    from weiquan.lawtext.infer import clean_history
    spread = ["（2005年8月28日第十届全国人民代表大会常务委员会第十七次会议通过",
              "2025年6月27日第十四届全国人民代表大会常务委员会第十六次会议修订）"]
    assert clean_history(spread) == spread   # the ） closes the （ of the first line
    assert clean_history(spread[1:]) == [spread[1][:-1]]


@needs_corpus
def test_inferred_metadata_of_corpus_texts():
    def parse(stem):
        return parse_law_text((CORPUS / f"{stem}.md").read_text(encoding="utf-8"), source_name=stem)
    xf = parse("刑法_2023-12-29")
    assert (xf["slug"], xf["short_name"], xf["kind"]) == ("xingfa", "刑法", "法律")
    assert xf["first_effective"] == dt.date(1997, 10, 1) and xf["effective"] is None  # 修正: see decision
    assert xf["amended"][-1] == dt.date(2023, 12, 29) and xf["version"] == dt.date(2023, 12, 29)
    new = parse("治安管理处罚法_2025-06-27")
    assert new["effective"] == dt.date(2026, 1, 1)          # 第一百四十四条 本法自2026年1月1日起施行
    assert new["history"][-1].endswith("修订")                 # stray ） dropped
    old = parse("治安管理处罚法_2012-10-26")
    assert old["amended"] == [dt.date(2012, 10, 26)] and old["first_effective"] == dt.date(2006, 3, 1)
    ji = parse("民法典婚姻家庭编解释一_2020-12-29")
    assert (ji["kind"], ji["issuer"], ji["effective"]) == ("司法解释", "最高人民法院", dt.date(2021, 1, 1))
    assert ji["short_name"] == "民法典婚姻家庭编解释（一）" and "民法典婚姻家庭编解释一" in ji["aliases"]
    hy = parse("婚姻登记条例_2025-04-06")
    assert (hy["kind"], hy["issuer"], hy["effective"]) == ("行政法规", "国务院", dt.date(2025, 5, 10))
    # 本法自公布之日起施行 in an amended text: the first publication, not this version's date
    ms = parse("民事诉讼法_2023-09-01")
    assert ms["first_effective"] == dt.date(1991, 4, 9) and ms["effective"] is None
    # a later 通过 of a judicial interpretation adopts an amendment
    js = parse("精神损害赔偿解释_2020-12-29")
    assert js["adopted"] == dt.date(2001, 2, 26) and js["amended"] == [dt.date(2020, 12, 23)]
    # a 条例 passed by the NPC Standing Committee is a law
    hk = parse("户口登记条例_1958-01-09")
    assert (hk["kind"], hk["effective"]) == ("法律", dt.date(1958, 1, 9))
    # no amendment line in the header: none is invented (the corpus files it under 2019)
    sj = parse("社会救助暂行办法_2019-03-02")
    assert sj["amended"] == [] and sj["version"] == dt.date(2014, 2, 21)


@needs_corpus
def test_import_law_with_just_the_file(tmp_path, capsys):
    laws = tmp_path / "content" / "laws"
    src = CORPUS / "治安管理处罚法_2025-06-27.md"
    assert import_law_command(src, content_dir=tmp_path / "content") == 0
    printed = capsys.readouterr().out
    assert "已导入 144 条" in printed and "zhian-guanli-chufa-fa — 简称的拼音" in printed
    assert "本版本施行 effective: 2026-01-01" in printed and "[--effective]" in printed
    new = load_yaml((laws / "zhian-guanli-chufa-fa.yaml").read_text(encoding="utf-8"))
    new["aliases"] = ["治安处罚法"]
    new["parts"][0]["articles"][0]["note"] = "立法目的。"
    new["parts"][0]["articles"][0]["topics"] = ["治安"]
    (laws / "zhian-guanli-chufa-fa.yaml").write_text(dump_law_yaml(new), encoding="utf-8")
    # the older version: a slug of its own, marked as replaced by the newer one in the library
    assert import_law_command(CORPUS / "治安管理处罚法_2012-10-26.md", content_dir=tmp_path / "content") == 0
    printed = capsys.readouterr().out
    assert "zhian-guanli-chufa-fa-2012" in printed
    old = load_yaml((laws / "zhian-guanli-chufa-fa-2012.yaml").read_text(encoding="utf-8"))
    assert (old["status"], old["replaced_by"]) == ("已修改", "zhian-guanli-chufa-fa")
    # re-import finds the file by title and version and keeps slug, aliases, notes, topics
    assert import_law_command(src, content_dir=tmp_path / "content") == 0
    assert "已合并" in capsys.readouterr().out
    again = load_yaml((laws / "zhian-guanli-chufa-fa.yaml").read_text(encoding="utf-8"))
    assert again["aliases"] == ["治安处罚法"] and again["slug"] == "zhian-guanli-chufa-fa"
    assert again["parts"][0]["articles"][0]["note"] == "立法目的。"
    assert again["parts"][0]["articles"][0]["topics"] == ["治安"]
    assert sorted(p.name for p in laws.iterdir()) == ["zhian-guanli-chufa-fa-2012.yaml",
                                                       "zhian-guanli-chufa-fa.yaml"]
    # -o writes elsewhere; --replaced-by marks the text as replaced
    out = tmp_path / "x.yaml"
    assert import_law_command(CORPUS / "治安管理处罚法_2012-10-26.md", out=out,
                              replaced_by="zhian-guanli-chufa-fa", effective="2013-01-01") == 0
    data = load_yaml(out.read_text(encoding="utf-8"))
    assert (data["slug"], data["status"], data["effective"]) == ("x", "已修改", dt.date(2013, 1, 1))


def test_cli_command_has_out_and_replaced_by():
    from click.testing import CliRunner

    from weiquan.cli.import_law import import_law
    result = CliRunner().invoke(import_law, ["--help"])
    assert "-o, --out" in result.output and "--replaced-by" in result.output
