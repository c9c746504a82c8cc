"""PDF leaflets (weiquan.leaflets): fonts embedded as subsets, text, page sizes, overflow errors.

Needs poppler-utils (pdffonts, pdfinfo, pdftotext, pdftoppm) and a CJK font (the pip package
cvttf-notosanscjk-regular/-bold); fails in CI without poppler (skipped elsewhere)."""

from __future__ import annotations

import datetime as dt
import re
import struct
import subprocess
import zlib
from pathlib import Path

import pytest

from weiquan.content.library import Content
from weiquan.leaflets.fonts import LeafletError, find_cjk_font
from weiquan.leaflets.render import leaflet_paths, leaflets_for, render_leaflets, station_page_path
from weiquan.content.model import (Article, Campaign, Citation, Event, Law, LeafletSpec, Part, Phone, Region,
                            Settings, Station)

pytestmark = pytest.mark.usefixtures("poppler")   # conftest: fails in CI without poppler-utils

SITE_URL = "https://example.org/weiquan/"
A4_L = (841.89, 595.28)
A5_P = (419.53, 595.28)
BLEED_PT = 2 * 3 / 25.4 * 72          # 3 mm each side


# ------------------------------------------------------------------ fixture content

def make_content(root: Path, *, long_highlight: bool = False) -> Content:
    law = Law(slug="fan-jiating-baoli-fa", title="中华人民共和国反家庭暴力法", short_name="反家庭暴力法",
              aliases=["反家暴法"], kind="法律", issuer="全国人民代表大会常务委员会",
              adopted=dt.date(2015, 12, 27), status="有效", parts=[Part(kind="章", heading="第四章 人身安全保护令", articles=[
                  Article(number="第二条", paragraphs=["本法所称家庭暴力，是指家庭成员之间以殴打、捆绑、残害、限制人身自由以及经常性谩骂、恐吓等方式实施的身体、精神等侵害行为。"]),
                  Article(number="第二十三条", paragraphs=[
                      "当事人因遭受家庭暴力或者面临家庭暴力的现实危险，向人民法院申请人身安全保护令的，人民法院应当受理。",
                      "当事人是无民事行为能力人、限制民事行为能力人，或者因受到强制、威吓等原因无法申请人身安全保护令的，其近亲属、公安机关、妇女联合会、居民委员会、村民委员会、救助管理机构可以代为申请。"]),
                  Article(number="第二十九条", paragraphs=["人身安全保护令可以包括下列措施:", "（一）禁止被申请人实施家庭暴力；",
                                                         "（二）禁止被申请人骚扰、跟踪、接触申请人及其相关近亲属；",
                                                         "（三）责令被申请人迁出申请人住所；", "（四）保护申请人人身安全的其他措施。"]),
                  Article(number="第九十九条", paragraphs=["很长的测试条文，用来检查内容过长时的报错。" * 60]),
              ])])
    station = Station(slug="shili-zhan", name="示例镇妇女维权服务站", kind="维权服务站", example=True,
                      region=Region(province="示例省", city="示例市", county="示例县", township="示例镇", code="990101001"),
                      address="示例县示例镇人民路1号妇女儿童活动中心二楼", hours="周一至周五 8:30—17:30",
                      phones=[Phone(label="值班电话", number="0999-7654321")], services=["法律咨询", "心理疏导"],
                      last_verified=dt.date(2026, 10, 1))
    highlights = [Citation(law="反家庭暴力法", article="23"), Citation(law="反家暴法", article="第二十九条"),
                  Citation(law="反家庭暴力法", article="2")]
    if long_highlight:
        highlights.append(Citation(law="反家庭暴力法", article="99"))
    campaign = Campaign(slug="xuanchuanzhou", name="反家暴宣传周", start=dt.date(2026, 11, 25), end=dt.date(2026, 12, 10),
                        theme="依法维权 远离家暴",
                        events=[Event(date=dt.date(2026, 11, 25), time="9:30", place="示例镇文化广场", station="shili-zhan",
                                      activity="法律咨询", organiser="示例县妇联")],
                        leaflet=LeafletSpec(highlights=highlights))
    return Content(root=root, settings=Settings(name="示例县妇女儿童维权指南", region="示例县"),
                   laws=[law], stations=[station], campaigns=[campaign])


# ------------------------------------------------------------------ poppler helpers

def tool(*args) -> str:
    return subprocess.run([str(a) for a in args], capture_output=True, text=True, check=True).stdout


def page_size(pdf: Path) -> tuple[float, float, int]:
    info = tool("pdfinfo", pdf)
    w, h = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info).groups())
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    return w, h, pages


def png_nonwhite(png: bytes) -> tuple[int, int]:
    """(non-white pixels, all pixels) of an 8-bit RGB/gray PNG, decoded with zlib only."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, w, h, bpp = 8, b"", 0, 0, 3
    while pos < len(png):
        n, kind = struct.unpack(">I4s", png[pos:pos + 8])
        body = png[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            w, h, depth, ctype = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and ctype in (0, 2)
            bpp = 3 if ctype == 2 else 1
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    raw, stride, prev, dark = zlib.decompress(idat), w * bpp, bytearray(w * bpp), 0
    for y in range(h):
        f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], prev[i - bpp] if i >= bpp else 0
            if f == 1: line[i] = (line[i] + a) & 255
            elif f == 2: line[i] = (line[i] + b) & 255
            elif f == 3: line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        dark += sum(1 for x in range(0, stride, bpp) if min(line[x:x + bpp]) < 200)
        prev = line
    return dark, w * h


# ------------------------------------------------------------------ tests

@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    out = tmp_path_factory.mktemp("site")
    content = make_content(out / "content")
    results = render_leaflets(content, out, site_url=SITE_URL, version="test123", jobs=2,
                              generated=dt.date(2026, 11, 23))
    return content, out, results


def test_set_of_leaflets_and_names(rendered):
    content, out, results = rendered
    assert len(results) == 8        # (general + 1 station) x (trifold, a5) x (normal, pinyin)
    names = sorted(r.path.relative_to(out).as_posix() for r in results)
    assert "leaflets/xuanchuanzhou/general-trifold.pdf" in names
    assert "leaflets/xuanchuanzhou/shili-zhan-a5-pinyin.pdf" in names
    camp, st = content.campaigns[0], content.stations[0]
    assert leaflet_paths(camp, st)[("trifold", True)] == "leaflets/xuanchuanzhou/shili-zhan-trifold-pinyin.pdf"
    links = leaflets_for(content, camp, st)
    assert not any("yinshua" in n for n in names)      # print-shop editions only when asked for
    assert [f.short for f in links] == ["三折页", "A5", "三折页·拼音", "A5·拼音"]
    assert [f.path for f in links] == ["leaflets/xuanchuanzhou/shili-zhan-trifold.pdf",
                                     "leaflets/xuanchuanzhou/shili-zhan-a5.pdf",
                                     "leaflets/xuanchuanzhou/shili-zhan-trifold-pinyin.pdf",
                                     "leaflets/xuanchuanzhou/shili-zhan-a5-pinyin.pdf"]
    assert all((out / f.path).is_file() for f in links)
    assert station_page_path(st) == "stations/99/9901/990101/#shili-zhan"


def test_pdfs_fonts_text_size_pages(rendered, tmp_path):
    _, _, results = rendered
    for r in results:
        fonts = tool("pdffonts", r.path).splitlines()[2:]
        assert fonts, r.path
        for line in fonts:
            cols = line.split()
            assert cols[-5:-3] == ["yes", "yes"], f"{r.path.name}: font not embedded as subset: {line}"
        text = tool("pdftotext", "-layout", r.path, "-")
        assert "12338" in text, r.path.name
        if r.station:
            assert "0999-7654321" in text, r.path.name
        w, h, pages = page_size(r.path)
        want = A4_L if r.kind == "trifold" else A5_P
        assert abs(w - want[0]) < 1 and abs(h - want[1]) < 1, (r.path.name, w, h)
        assert pages == (2 if r.kind == "trifold" else 1), r.path.name
        assert r.bytes <= 300 * 1024, (r.path.name, r.bytes)
        prefix = tmp_path / r.path.stem
        subprocess.run(["pdftoppm", "-r", "30", "-png", "-f", "1", "-l", "1", str(r.path), str(prefix)], check=True)
        png = next(tmp_path.glob(r.path.stem + "*.png"))
        dark, total = png_nonwhite(png.read_bytes())
        assert dark > total * 0.02, f"{r.path.name}: page 1 looks blank ({dark}/{total})"


def test_normal_text_is_plain_and_pinyin_has_readings(rendered):
    _, _, results = rendered
    by_name = {r.path.name: r for r in results}
    plain = tool("pdftotext", by_name["shili-zhan-trifold.pdf"].path, "-")
    assert "人身安全保护令" in plain and "反家暴宣传周" in plain and "第二十三条" in plain
    pinyin = tool("pdftotext", by_name["shili-zhan-trifold-pinyin.pdf"].path, "-")
    assert "bǎo" in pinyin and "hù" in pinyin


def test_bleed_adds_3mm_each_side(tmp_path):
    """--bleed: the print-shop editions only (…-yinshua.pdf), 3 mm larger on every side, the
    finished size as TrimBox (tests/test_print.py checks them in full)."""
    content = make_content(tmp_path / "content")
    results = render_leaflets(content, tmp_path, site_url=SITE_URL, version="t", jobs=1, bleed=True,
                              pinyin=False, only=lambda c, s, k, p: s is None)
    assert sorted(r.path.name for r in results) == ["general-a5-yinshua.pdf", "general-trifold-yinshua.pdf"]
    for r in results:
        w, h, _ = page_size(r.path)
        want = A4_L if r.kind == "trifold" else A5_P
        assert abs(w - want[0] - BLEED_PT) < 1 and abs(h - want[1] - BLEED_PT) < 1, (r.path.name, w, h)
        trim = re.search(r"TrimBox:\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)", tool("pdfinfo", "-box", r.path))
        x0, y0, x1, y1 = map(float, trim.groups())
        assert abs(x1 - x0 - want[0]) < 0.1 and abs(y1 - y0 - want[1]) < 0.1 and abs(x0 - BLEED_PT / 2) < 0.05


def test_overflow_names_leaflet_and_panel(tmp_path):
    content = make_content(tmp_path / "content", long_highlight=True)
    with pytest.raises(LeafletError) as info:
        render_leaflets(content, tmp_path, site_url=SITE_URL, version="t", jobs=1, pinyin=False,
                        only=lambda c, s, k, p: s is None and k == "trifold")
    errors = info.value.errors
    assert len(errors) == 1
    assert errors[0].startswith("leaflet leaflets/xuanchuanzhou/general-trifold.pdf: panel 6 (")
    assert "内容过长" in errors[0]


def test_fitted_editions_drop_highlights_that_do_not_fit(tmp_path):
    """A5 and pinyin editions carry the highlights that fit, so the long one does not fail them."""
    content = make_content(tmp_path / "content", long_highlight=True)
    results = render_leaflets(content, tmp_path, site_url=SITE_URL, version="t", jobs=1,
                              only=lambda c, s, k, p: s is None and (k == "a5" or p))
    assert len(results) == 3
    text = tool("pdftotext", tmp_path / "leaflets/xuanchuanzhou/general-a5.pdf", "-")
    assert "很长的测试条文" not in text and "更多法条" in text


def test_missing_font_is_a_clear_error(tmp_path, monkeypatch):
    empty = tmp_path / "nofonts"
    empty.mkdir()
    with pytest.raises(LeafletError, match="未找到中文字体"):
        find_cjk_font(empty)
    monkeypatch.setenv("WEIQUAN_FONT_DIR", str(empty))
    with pytest.raises(LeafletError, match="未找到中文字体"):
        find_cjk_font()


def test_cli_reports_overflow_without_traceback(tmp_path, capsys, monkeypatch):
    from weiquan.cli import leaflets as cli_leaflets

    content = make_content(tmp_path / "content", long_highlight=True)
    monkeypatch.setattr("weiquan.content.loader.load_content", lambda root: content)
    rc = cli_leaflets.leaflets_command(tmp_path / "content", tmp_path / "site", SITE_URL, pinyin=False,
                                       jobs=1, version="t")
    err = capsys.readouterr().err
    assert rc == 1
    assert "panel 6 (" in err and "内容过长" in err and "Traceback" not in err


def test_one_worker_renders_each_leaflet_from_its_own_data(tmp_path):
    """One compiler renders leaflet after leaflet (its data.json rewritten each time, typst's
    layout cache shared): every PDF still shows its own station and title, and a changed
    station between two calls shows up too."""
    content = make_content(tmp_path / "content")
    results = render_leaflets(content, tmp_path / "a", site_url=SITE_URL, version="v1", jobs=1, pinyin=False)
    by_name = {r.path.name: r for r in results}
    general = tool("pdftotext", by_name["general-a5.pdf"].path, "-")
    station = tool("pdftotext", by_name["shili-zhan-a5.pdf"].path, "-")
    assert "0999-7654321" in station and "0999-7654321" not in general
    assert "通用版" in tool("pdfinfo", by_name["general-trifold.pdf"].path)
    assert "示例镇妇女维权服务站" in tool("pdfinfo", by_name["shili-zhan-trifold.pdf"].path)
    content.stations[0].phones[0].number = "0999-1112223"
    again = render_leaflets(content, tmp_path / "b", site_url=SITE_URL, version="v2", jobs=1, pinyin=False,
                            only=lambda c, s, k, p: s is not None and k == "a5")
    text = tool("pdftotext", again[0].path, "-")
    assert "0999-1112223" in text and "0999-7654321" not in text and "v2" in text


def _flat(pdf: Path) -> str:
    return re.sub(r"\s+", "", tool("pdftotext", pdf, "-"))


def test_example_content_is_marked_as_sample(tmp_path):
    """Issue 14: on the bundled example (every station fictional) the general edition says it is
    a sample; a fictional station's leaflet shows no "信息核实于" date and its event places say 示例.
    A real station keeps its date, and then the general edition carries no sample line."""
    content = make_content(tmp_path / "content")
    content.campaigns[0].events[0].place = "镇文化广场"
    # the general A5 (sample line) and the station's tri-fold (it lists the station's events)
    some = lambda c, s, k, p: k == ("a5" if s is None else "trifold")
    by_name = {r.path.name: r.path for r in render_leaflets(content, tmp_path / "ex", site_url=SITE_URL,
                                                             version="t", jobs=1, pinyin=False, only=some)}
    general, station = _flat(by_name["general-a5.pdf"]), _flat(by_name["shili-zhan-trifold.pdf"])
    assert "示例：本宣传单由网站自带的示例内容生成" in general
    assert "示例：本宣传单" not in station
    assert "信息核实于" not in station and "镇文化广场（示例）" in station

    content.stations[0].example = False
    by_name = {r.path.name: r.path for r in render_leaflets(content, tmp_path / "real", site_url=SITE_URL,
                                                             version="t", jobs=1, pinyin=False, only=some)}
    general, station = _flat(by_name["general-a5.pdf"]), _flat(by_name["shili-zhan-trifold.pdf"])
    assert "示例：本宣传单" not in general
    assert "信息核实于2026-10-01" in station and "镇文化广场（示例）" not in station


def test_leaflets_are_kept_by_their_inputs(tmp_path):
    """A leaflet whose data, templates, fonts and typst are those of one compiled before is
    taken from the cache (weiquan build: .weiquan-cache/leaflets); a changed station compiles
    again only the leaflets that show it, and a run over every leaflet drops the unused."""
    content = make_content(tmp_path / "content")
    cache = tmp_path / "cache"
    kw = dict(site_url=SITE_URL, version="v1", jobs=1, pinyin=False, generated=dt.date(2026, 12, 1),
              cache_dir=cache)
    first = render_leaflets(content, tmp_path / "a", **kw)
    assert first and not any(r.reused for r in first)
    again = render_leaflets(content, tmp_path / "b", **kw)
    assert all(r.reused for r in again)
    assert [r.path.read_bytes() for r in again] == [r.path.read_bytes() for r in first]
    content.stations[0].phones[0].number = "0999-1112223"
    changed = render_leaflets(content, tmp_path / "c", **kw)
    fresh = {r.path.name for r in changed if not r.reused}
    assert fresh and all(name.startswith("shili-zhan") for name in fresh), fresh
    assert "0999-1112223" in tool("pdftotext", tmp_path / "c" / leaflet_paths(
        content.campaigns[0], content.stations[0])[("a5", False)], "-")
    assert len(list(cache.glob("*/*.pdf"))) == len(changed)   # the old station's PDFs are gone
