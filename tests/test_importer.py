"""weiquan.lawtext.importer: official law texts → law YAML."""

from __future__ import annotations

import datetime as dt
import importlib.util
import re
from pathlib import Path

import pytest
import yaml

from weiquan.cli.import_law import import_law_command
from weiquan.lawtext.importer import (LawImportError, article_anchor, count_article_paragraphs,
                              dump_law_yaml, iter_articles, merge_reimport, normalise_heading,
                              parse_law_text)

ROOT = Path(__file__).resolve().parents[1]
CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "laws"
DATA = Path(__file__).resolve().parent / "data" / "importer"
CORPUS_FILES = sorted(CORPUS.glob("*.md")) if CORPUS.is_dir() else []
needs_corpus = pytest.mark.skipif(not CORPUS_FILES, reason=f"law corpus not found at {CORPUS}")
WS = " \t\r\n\u3000\u00a0\u200b\ufeff"


def norm(text: str) -> str:
    return re.sub(r"[\s\u3000\u00a0\u200b\ufeff]+", " ", text).strip()


def tree_articles(data: dict) -> list[dict]:
    return list(iter_articles(data))


APPENDIX_LINE = re.compile(r"^#*\s*(附录|附件|附表)[一二三四五六七八九十\d]*\s*([：:].{0,40})?$")


def source_body(text: str, title: str) -> list[str]:
    """Source paragraphs from the first article on, without headings and header blocks
    (headings from the first 附件/附表/附录 on are kept: an appendix is verbatim text)."""
    lines = text.split("\n")
    first = next(i for i, ln in enumerate(lines) if re.match(r"^第\S+?条[\s\u3000]", ln.strip(WS)))
    out, in_header, in_appendix = [], False, False
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
            continue
        if s == "<!-- INFO END -->":
            in_header = False
            continue
        if not in_header:
            out.append(norm(s))
    return out


# ----------------------------------------------------------------------------- corpus

@needs_corpus
@pytest.mark.parametrize("path", CORPUS_FILES, ids=lambda p: p.stem)
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
    assert rejoined == source_body(text, data["title"])
    # verbatim apart from trimming
    for a in articles:
        for p in a["paragraphs"]:
            assert p == p.strip(WS) and p in text
    # YAML round trip keeps everything
    assert yaml.safe_load(dump_law_yaml(data)) == data


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
    models = pytest.importorskip("weiquan.content.model")
    paths = sorted((ROOT / "content" / "laws").glob("*.yaml"))
    if not paths:
        pytest.skip("no content/laws yet")
    for path in paths:
        text = path.read_text(encoding="utf-8")
        assert text.startswith("# yaml-language-server: $schema=../../schemas/law.schema.json\n")
        data = yaml.safe_load(text)
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
    if CORPUS_FILES:
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
    assert [article_anchor(n) for n in numbers][3] == "a3-1"
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
    data = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert data["slug"] == "fan-jiating-baoli-fa"  # from the --out file name
    data["parts"][0]["articles"][0]["note"] = "立法目的。"
    out.write_text(dump_law_yaml(data), encoding="utf-8")
    assert import_law_command(src, out=out) == 0
    again = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert again["aliases"] == ["反家暴法"] and again["parts"][0]["articles"][0]["note"] == "立法目的。"


def test_cli_reports_file_and_line(tmp_path, capsys):
    bad = tmp_path / "bad.txt"
    bad.write_text("\n".join(HEAD + ["第一条　……", "第一条　……"]), encoding="utf-8")
    assert import_law_command(bad, slug="ce-shi", out="-") == 1
    err = capsys.readouterr().err
    assert err.startswith(f"{bad}:6: ") and "Traceback" not in err


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
