"""Print-shop PDFs (印刷厂版 …-yinshua.pdf), station posters (服务站公示牌) and visit registers.

Boxes with `pdfinfo -box`, fonts with `pdffonts`, text with `pdftotext`, colour operators of every
content stream (and of the form XObjects a print pack places) with pypdf, pictures with
`pdftoppm` at 150 dpi. Small fixture content (tests/test_leaflets.make_content); each PDF kind
is rendered once."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader
from pypdf.generic import ContentStream

from test_leaflets import A4_L, A5_P, SITE_URL, make_content, tool
from weiquan.content.library import Content, Source
from weiquan.content.model import Phone, Region, Station, TeamRole
from weiquan.content.yamlload import load_yaml
from weiquan.leaflets.fit import overflow_problems
from weiquan.leaflets.fonts import LeafletError
from weiquan.leaflets.render import leaflets_for, pack_for, render_leaflets
from weiquan.leaflets.stationprint import render_station_prints, station_print_paths, station_prints_for

pytestmark = pytest.mark.usefixtures("poppler")   # conftest: fails in CI without poppler-utils

MM = 72 / 25.4
BLEED = 3 * MM                      # 8.504 pt
SAFE = 5 * MM                       # nothing important within 5 mm of the trim
A3_P = (297 * MM, 420 * MM)
ACCENT = (72, 27, 109)              # cmyk(75%, 100%, 0%, 25%) as poppler shows it (#4a1d6e on screen)
ROOT = Path(__file__).resolve().parents[1]


def with_stations(content):
    """The fixture content with a team on the example station and a second, non-example station."""
    content.stations[0].team = [TeamRole(role="站长", held_by="镇妇联主席"),
                                TeamRole(role="副站长", held_by="镇司法所所长"),
                                TeamRole(role="成员", held_by="派出所社区民警")]
    second = Station(
        slug="heping-zhan", name="和平街道妇女之家", kind="妇女之家",
        region=Region(province="示例省", city="示例市", county="示例县", township="和平街道", code="990101012"),
        address="和平街道幸福路2号社区服务中心一楼", hours="周二、周四 9:00—16:00",
        phones=[Phone(label="值班电话", number="0999-1234567"), Phone(label="手机", number="0999-7777777")],
        services=["家庭暴力投诉受理", "法律咨询和转介法律援助", "协助申请人身安全保护令", "婚姻家庭纠纷调解"],
        last_verified=dt.date(2026, 9, 1))
    return Content(root=content.root, settings=content.settings, laws=content.laws,
                   stations=[*content.stations, second], campaigns=content.campaigns)


# every leaflet kind once in its print-shop edition, and the print pack (needs the station's A5)
SHOP_SET = {(None, "trifold", False), (None, "a5", True), ("shili-zhan", "a5", False), ("shili-zhan", "trifold", True)}


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    out = tmp_path_factory.mktemp("site")
    content = with_stations(make_content(out / "content"))
    # station prints first (as `weiquan build` does): the packs run typst in this process
    prints = render_station_prints(content, out, site_url=SITE_URL, jobs=2)
    shop = render_leaflets(content, out, site_url=SITE_URL, version="t29", jobs=2, bleed=True, packs=True,
                           generated=dt.date(2026, 11, 23),
                           only=lambda c, s, k, p: (s.slug if s else None, k, p) in SHOP_SET)
    return content, out, shop, prints


# ------------------------------------------------------------------ helpers

def boxes(pdf: Path) -> list[dict[str, tuple[float, ...]]]:
    """Per page: {MediaBox: (x0, y0, x1, y1), TrimBox: …, BleedBox: …} from `pdfinfo -box`."""
    info = tool("pdfinfo", "-box", "-f", "1", "-l", "99", pdf)
    pages: dict[int, dict] = {}
    for page, name, coords in re.findall(r"^Page\s+(\d+)\s+(\w+Box):\s+([-\d. ]+)$", info, re.M):
        pages.setdefault(int(page), {})[name] = tuple(map(float, coords.split()))
    if not pages:   # a one-page PDF: no "Page n" prefix
        pages[1] = {name: tuple(map(float, coords.split()))
                    for name, coords in re.findall(r"^(\w+Box):\s+([-\d. ]+)$", info, re.M)}
    return [pages[k] for k in sorted(pages)]


COLOUR_OPS = {"g", "G", "rg", "RG", "k", "K", "cs", "CS", "sc", "SC", "scn", "SCN"}


def colour_problems(pdf: Path) -> list[str]:
    """Colour operators that are not CMYK, in every page's content and in the form XObjects it
    draws (a print pack places whole PDFs), and images not in DeviceCMYK/gray-free spaces."""
    reader = PdfReader(str(pdf))
    bad: list[str] = []

    def components(space, resources) -> int:
        space = space.get_object() if hasattr(space, "get_object") else space
        if isinstance(space, str) or not hasattr(space, "__getitem__"):
            name = str(space)
            if name in ("/DeviceCMYK",):
                return 4
            if name in ("/DeviceRGB", "/DeviceGray", "/Pattern"):
                return {"/DeviceRGB": 3, "/DeviceGray": 1}.get(name, 0)
            named = (resources or {}).get("/ColorSpace", {}).get(name)
            return components(named, None) if named is not None else 0
        kind = str(space[0])
        if kind == "/ICCBased":
            return int(space[1].get_object()["/N"])
        return {"/DeviceCMYK": 4, "/DeviceRGB": 3, "/DeviceGray": 1}.get(kind, 0)

    def scan(stream, resources, where: str, seen: set):
        ops = ContentStream(stream, reader).operations
        for operands, op in ops:
            op = op.decode() if isinstance(op, bytes) else op
            if op in ("g", "G", "rg", "RG"):
                bad.append(f"{where}: {op}")
            elif op in ("cs", "CS") and components(operands[0], resources) != 4:
                bad.append(f"{where}: {operands[0]} {op}")
            elif op in ("sc", "SC", "scn", "SCN") and len(operands) not in (1, 4):
                bad.append(f"{where}: {len(operands)} operands {op}")
            elif op == "Do":
                xobj = resources["/XObject"][operands[0]].get_object()
                ref = id(xobj)
                if ref in seen:
                    continue
                seen.add(ref)
                if xobj["/Subtype"] == "/Form":
                    scan(xobj, xobj.get("/Resources") or resources, f"{where} > {operands[0]}", seen)
                elif xobj["/Subtype"] == "/Image" and not xobj.get("/ImageMask"):
                    if components(xobj.get("/ColorSpace"), resources) != 4:
                        bad.append(f"{where}: image {operands[0]} in {xobj.get('/ColorSpace')}")

    for n, page in enumerate(reader.pages, 1):
        scan(page.get_contents(), page.get("/Resources"), f"page {n}", set())
    return bad


def ppm(pdf: Path, dpi: int = 150, gray: bool = False) -> tuple[int, int, bytes]:
    """Page 1 rendered by pdftoppm: (width, height, pixels) — RGB triplets, or gray bytes."""
    raw = subprocess.run(["pdftoppm", "-r", str(dpi), "-f", "1", "-l", "1", "-singlefile",
                          *(["-gray"] if gray else []), str(pdf)], capture_output=True, check=True).stdout
    m = re.match(rb"P[56]\s+(\d+)\s+(\d+)\s+255\s", raw)
    return int(m.group(1)), int(m.group(2)), raw[m.end():]


def near(pixel, colour, tolerance=30) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(pixel, colour))


def shop_pdfs(printed) -> list:
    _, _, shop, prints = printed
    return [r for r in shop + prints if r.shop]


# ------------------------------------------------------------------ print-shop editions

def test_names_and_links(printed):
    content, out, shop, prints = printed
    names = sorted(r.path.relative_to(out).as_posix() for r in shop)
    assert names == sorted(["leaflets/xuanchuanzhou/general-trifold-yinshua.pdf",
                            "leaflets/xuanchuanzhou/general-a5-pinyin-yinshua.pdf",
                            "leaflets/xuanchuanzhou/shili-zhan-a5-yinshua.pdf",
                            "leaflets/xuanchuanzhou/shili-zhan-trifold-pinyin-yinshua.pdf",
                            "leaflets/xuanchuanzhou/print-pack-a5-yinshua.pdf"])
    assert all(r.shop for r in shop)
    camp, st = content.campaigns[0], content.stations[0]
    office, yinshua = leaflets_for(content, camp, st), leaflets_for(content, camp, st, shop=True)
    assert [f.path for f in yinshua] == [f.path.replace(".pdf", "-yinshua.pdf") for f in office]
    assert all("印刷厂版" in f.label and "印刷厂" not in o.label for f, o in zip(yinshua, office))
    assert pack_for(camp, shop=True)[0].path == "leaflets/xuanchuanzhou/print-pack-a5-yinshua.pdf"
    assert [f.short for f in station_prints_for(st)] == ["公示牌 A3", "公示牌·拼音", "来访登记表"]
    assert station_print_paths(st)["gongshipai-a3"] == "leaflets/stations/990101/shili-zhan-gongshipai-a3.pdf"
    assert sorted(r.path.name for r in prints) == sorted(
        f"{s}-{k}.pdf" for s in ("shili-zhan", "heping-zhan")
        for k in ("gongshipai-a3", "gongshipai-a3-pinyin", "laifang-dengjibiao"))


def test_trimbox_3mm_inside_mediabox_on_every_side(printed):
    checked = 0
    for r in shop_pdfs(printed):
        finished = A3_P if r.kind == "poster" else A4_L if r.kind == "trifold" else A5_P
        for page in boxes(r.path):
            mx0, my0, mx1, my1 = page["MediaBox"]
            tx0, ty0, tx1, ty1 = page["TrimBox"]
            for inset in (tx0 - mx0, ty0 - my0, mx1 - tx1, my1 - ty1):
                assert abs(inset - BLEED) < 0.05, (r.path.name, page)
            assert abs(tx1 - tx0 - finished[0]) < 0.1 and abs(ty1 - ty0 - finished[1]) < 0.1, (r.path.name, page)
            assert page["BleedBox"] == page["MediaBox"], (r.path.name, page)
            checked += 1
    assert checked == 2 * 2 + 2 + 1 + 2 * 2    # 2 trifolds × 2 pages, 2 A5s, pack (1 station), 2 posters × 2 editions


def test_office_editions_stay_trim_size(printed, tmp_path):
    """The office edition (no -yinshua) has no bleed: TrimBox = MediaBox at the finished size."""
    content, _, _, prints = printed
    office = render_leaflets(content, tmp_path, site_url=SITE_URL, version="t", jobs=1, pinyin=False,
                             only=lambda c, s, k, p: s is None and k == "a5")
    assert [r.path.name for r in office] == ["general-a5.pdf"]
    page = boxes(office[0].path)[0]
    assert page["TrimBox"] == page["MediaBox"] and abs(page["MediaBox"][2] - A5_P[0]) < 0.1
    assert colour_problems(office[0].path), "the office edition is sRGB: the colour check must see that"
    register = next(r for r in prints if r.kind == "register")
    page = boxes(register.path)[0]
    assert page["TrimBox"] == page["MediaBox"] and abs(page["MediaBox"][2] - A4_L[0]) < 0.1


def test_fonts_embedded_and_subset(printed):
    _, _, shop, prints = printed
    for r in shop + prints:
        rows = tool("pdffonts", r.path).splitlines()[2:]
        assert rows, r.path.name
        for row in rows:
            cols = row.split()
            assert cols[-5:-3] == ["yes", "yes"], f"{r.path.name}: not embedded as a subset: {row}"
            assert re.match(r"^[A-Z]{6}\+", cols[0]), f"{r.path.name}: no subset tag: {row}"


def test_colour_operators_are_cmyk(printed):
    for r in shop_pdfs(printed):
        assert colour_problems(r.path) == [], r.path.name
    pack = next(r for r in shop_pdfs(printed) if r.kind == "pack")
    assert b"/XObject" in pack.path.read_bytes()     # the pack's colours sit in placed pages


def test_text_stays_5mm_inside_the_trim(printed):
    for r in shop_pdfs(printed):
        html = tool("pdftotext", "-bbox", r.path, "-")
        trims = boxes(r.path)
        pages = re.split(r"<page ", html)[1:]
        assert len(pages) == len(trims), r.path.name
        for page, box in zip(pages, trims):
            mx0, my0, mx1, my1 = box["MediaBox"]
            tx0, ty0, tx1, ty1 = box["TrimBox"]
            # pdftotext measures from the top-left corner of the MediaBox
            left, right, top, bottom = tx0 - mx0 + SAFE, tx1 - mx0 - SAFE, my1 - ty1 + SAFE, my1 - ty0 - SAFE
            words = re.findall(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<', page)
            assert words, r.path.name
            for x0, y0, x1, y1, word in words:
                assert (float(x0) >= left and float(x1) <= right and float(y0) >= top and float(y1) <= bottom), \
                    f"{r.path.name}: “{word}” within 5 mm of the trim ({x0}, {y0}, {x1}, {y1})"


# ------------------------------------------------------------------ station posters and registers

def test_every_station_has_an_a3_poster(printed):
    content, out, _, prints = printed
    for st in content.stations:
        paths = station_print_paths(st)
        poster = out / paths["gongshipai-a3"]
        text = re.sub(r"\s+", "", tool("pdftotext", poster, "-"))
        assert re.sub(r"\s+", "", st.name) in text, st.slug
        for phone in st.phones:
            assert phone.number in text, (st.slug, phone.number)
        assert re.sub(r"\s+", "", st.hours) in text, st.slug
        assert "12338" in text and "110" in text and "来访须知" in text
        for service in st.services:
            assert service in text
        assert ("示例：本公示牌" in text) == st.example, st.slug
        assert "依据：反家庭暴力法第五条" in text and "反家庭暴力法第十四条" in text and "未成年人保护法第十一条" in text
        assert "https://example.org/weiquan/stations/99/9901/990101/#" + st.slug in text
        assert tool("pdfinfo", poster).count("Pages:           1") == 1
        pinyin = tool("pdftotext", out / paths["gongshipai-a3-pinyin"], "-")
        assert "zhàn" in pinyin and "12338" in pinyin
        register = re.sub(r"\s+", "", tool("pdftotext", out / paths["laifang-dengjibiao"], "-"))
        for column in ("日期", "来访人（可不留姓名）", "联系方式", "来访事由", "转介给", "处理结果", "回访"):
            assert column in register, column
        assert re.sub(r"\s+", "", st.name) in register
    team = re.sub(r"\s+", "", tool("pdftotext", out / station_print_paths(content.stations[0])["gongshipai-a3"], "-"))
    assert "站长：镇妇联主席" in team and "副站长：镇司法所所长" in team and "成员：派出所社区民警" in team
    # the real station's poster says when its facts were checked; the example one does not
    real = tool("pdftotext", out / station_print_paths(content.stations[1])["gongshipai-a3"], "-")
    assert "信息核实于 2026-09-01" in real


def test_poster_quotes_the_law_as_it_stands():
    """Each legal line of the poster's 来访须知 is the wording of the article it names, in
    content/laws/ (same 应当, same list of who must report, same secrecy duty)."""
    import yaml

    def article(law_file: str, number: str) -> str:
        law = yaml.safe_load((ROOT / "content/laws" / law_file).read_text(encoding="utf-8"))
        stack = [law]
        while stack:
            node = stack.pop()
            for a in node.get("articles") or []:
                if a["number"] == number:
                    return "".join(a["paragraphs"])
            stack.extend(node.get("parts") or [])
        raise AssertionError((law_file, number))

    laws = {"反家庭暴力法": "fan-jiating-baoli-fa.yaml", "未成年人保护法": "weichengnianren-baohu-fa.yaml"}
    texts = yaml.safe_load((ROOT / "weiquan/leaflets/templates/station.yaml").read_text(encoding="utf-8"))
    quoted = [it for it in texts["poster"]["notice"] if it.get("ref")]
    assert {it["ref"] for it in quoted} == {"反家庭暴力法第五条", "反家庭暴力法第十四条", "未成年人保护法第十一条"}
    for it in quoted:
        law, number = re.fullmatch(r"(.+?)(第.+条)", it["ref"]).groups()
        source = article(laws[law], number)
        body = re.sub(r"\s+", "", it["body"])
        sentences = [s for s in re.split(r"(?<=[。；])", body) if s]
        law_sentences = [s for s in sentences if "本站" not in s]   # the station's own words aside
        assert law_sentences, it
        for s in law_sentences:
            assert s.rstrip("。；") in source, (it["ref"], s)


def test_poster_overflow_names_the_station_file_and_line(tmp_path):
    content = with_stations(make_content(tmp_path / "content"))
    st = content.stations[1]
    st.services = [f"第{i}项很长的服务内容说明，用来检查放不下时的报错" for i in range(90)]
    with pytest.raises(LeafletError) as info:
        render_station_prints(content, tmp_path, site_url=SITE_URL, jobs=1, pinyin=False, stations=[st.slug])
    errors = info.value.errors
    assert len(errors) == 1 and "panel 2 (服务站信息)" in errors[0] and "内容过长" in errors[0], errors
    yaml_text = "slug: heping-zhan\nname: 和平街道妇女之家\nservices:\n  - 很多\n"
    source = Source(tmp_path / "heping-zhan.yaml", "content/stations/heping-zhan.yaml", load_yaml(yaml_text))
    content.source = lambda entry: source if entry is st else None     # as if loaded from that file
    problems, other = overflow_problems(content, errors)
    assert other == [] and len(problems) == 1
    assert str(problems[0]).startswith("content/stations/heping-zhan.yaml:3: 公示牌 ")
    assert "服务内容 services" in str(problems[0])


# ------------------------------------------------------------------ pictures at 150 dpi

def test_poster_and_bleed_leaflet_at_150_dpi(printed):
    content, out, shop, _ = printed
    poster = out / station_print_paths(content.stations[0])["gongshipai-a3"]
    a5 = next(r.path for r in shop if r.path.name == "shili-zhan-a5-yinshua.pdf")
    trifold = next(r.path for r in shop if r.path.name == "general-trifold-yinshua.pdf")
    for pdf, finished in ((poster, A3_P), (a5, A5_P), (trifold, A4_L)):
        w, h, gray = ppm(pdf, gray=True)
        assert abs(w - (finished[0] + 2 * BLEED) / 72 * 150) <= 2 and abs(h - (finished[1] + 2 * BLEED) / 72 * 150) <= 2
        dark = sum(1 for v in gray[::7] if v < 200) * 7
        assert dark > w * h * 0.05, f"{pdf.name}: looks blank ({dark}/{w * h})"
    # the coloured bands reach the very edge of the bleed (no white sliver after trimming)
    for pdf, edges in ((poster, ("top", "left", "right", "bottom")), (a5, ("top", "left", "right")),
                       (trifold, ("right",))):
        w, h, rgb = ppm(pdf)
        px = lambda x, y: tuple(rgb[(y * w + x) * 3:(y * w + x) * 3 + 3])   # noqa: E731
        # the last row/column of pixels may be only partly on the page: look 1 pixel (0.17 mm) in
        right, bottom = w - 2, h - 2
        band_rows = [y for y in range(1, h - 1, 4) if near(px(right, y), ACCENT)]   # rows with the band
        band_cols = [x for x in range(1, w - 1, 4) if near(px(x, 1), ACCENT)]
        if "right" in edges:
            assert band_rows, f"{pdf.name}: no band at the right bleed edge"
            assert len(band_rows) > 5 * 150 / 25.4 / 4, f"{pdf.name}: band at the right edge is too thin"
        if "left" in edges:
            assert near(px(1, band_rows[0] + 2), ACCENT), f"{pdf.name}: band stops short of the left bleed edge"
        if "top" in edges:
            assert len(band_cols) >= len(range(1, w - 1, 4)) * 0.95, f"{pdf.name}: band not along the top bleed edge"
        if "bottom" in edges:
            assert near(px(w // 2, bottom), ACCENT) and near(px(1, bottom), ACCENT) and near(px(right, bottom), ACCENT), \
                f"{pdf.name}: the bottom band does not reach the bleed edge"
    # the office edition of the same leaflet is trim size: its band ends at the paper's edge
    office = out / "office"
    render_leaflets(content, office, site_url=SITE_URL, version="t", jobs=1, pinyin=False,
                    only=lambda c, s, k, p: s is not None and k == "a5")
    w, h, _ = ppm(office / "leaflets/xuanchuanzhou/shili-zhan-a5.pdf", gray=True)
    assert abs(w - A5_P[0] / 72 * 150) <= 2


# ------------------------------------------------------------------ command line

def test_cli_station_writes_its_leaflets_poster_and_register(tmp_path, capsys, monkeypatch):
    from weiquan.cli import leaflets as cli_leaflets

    content = with_stations(make_content(tmp_path / "content"))
    monkeypatch.setattr("weiquan.content.loader.load_content", lambda root: content)
    rc = cli_leaflets.leaflets_command(tmp_path / "content", tmp_path / "site", SITE_URL, pinyin=False, jobs=2,
                                       version="t", campaigns=["xuanchuanzhou"], stations=["heping-zhan"])
    out = capsys.readouterr()
    assert rc == 0, out.err
    written = sorted(p.relative_to(tmp_path / "site").as_posix() for p in (tmp_path / "site").rglob("*.pdf"))
    assert written == ["leaflets/stations/990101/heping-zhan-gongshipai-a3.pdf",
                       "leaflets/stations/990101/heping-zhan-laifang-dengjibiao.pdf",
                       *(f"leaflets/xuanchuanzhou/heping-zhan-{k}.pdf"
                         for k in ("a5-yinshua", "a5", "trifold-yinshua", "trifold"))]
    assert re.search(r"^station prints: 1 公示牌 \+ 1 登记表 for 1 stations in [\d.]+ s "
                     r"\([\d.]+ s/station wall; compile [\d.]+ s/poster", out.out, re.M), out.out


def test_unchanged_stations_are_taken_from_the_cache(tmp_path):
    """A station's prints carry no build date: a second run links the cached PDFs instead of
    compiling them, a changed station is compiled again, and a full run drops what it did not use."""
    content = with_stations(make_content(tmp_path / "content"))
    cache = tmp_path / "cache"
    first = render_station_prints(content, tmp_path / "a", site_url=SITE_URL, jobs=1, pinyin=False, cache_dir=cache)
    assert len(first) == 4 and not any(r.reused for r in first)
    assert len(list(cache.glob("*/*.pdf"))) == 4
    again = render_station_prints(content, tmp_path / "b", site_url=SITE_URL, jobs=1, pinyin=False, cache_dir=cache)
    assert all(r.reused for r in again)
    for r1, r2 in zip(first, again):
        assert r1.path.read_bytes() == r2.path.read_bytes()
    content.stations[1].hours = "周一至周五 8:00—18:00"
    third = render_station_prints(content, tmp_path / "c", site_url=SITE_URL, jobs=1, pinyin=False, cache_dir=cache)
    assert {r.station for r in third if not r.reused} == {"heping-zhan"}
    assert {r.station for r in third if r.reused} == {"shili-zhan"}
    assert "8:00—18:00" in tool("pdftotext", next(r.path for r in third if r.kind == "poster" and not r.reused), "-")
    assert len(list(cache.glob("*/*.pdf"))) == 4      # the old heping-zhan PDFs pruned


# ------------------------------------------------------------------ the built site links them

def test_site_links_posters_registers_and_print_shop_editions(example_site):
    """Each station's section on its county page links its poster, pinyin poster and register
    (files that exist, with their size); the campaign page offers the 印刷厂版 and says which
    edition to use when."""
    county = (example_site / "stations/99/9901/990101/index.html").read_text(encoding="utf-8")
    stations = sorted(p.stem for p in (example_site.parent / "content/stations").glob("*.yaml"))
    for slug in stations:
        section = county[county.index(f'id="{slug}"'):]
        section = section[:section.index("</section>")]
        links = re.findall(r'href="([^"]+\.pdf)" download title="([^"]+)">([^<]+)</a> <small>(\d+) KB</small>',
                           section.split('class="wq-leaflets wq-prints"')[1])
        assert [name for _, _, name, _ in links] == ["公示牌 A3", "公示牌·拼音", "来访登记表"], slug
        for href, title, _, kb in links:
            pdf = (example_site / "stations/99/9901/990101" / href).resolve()
            assert pdf.is_file() and pdf.name.startswith(slug + "-"), href
            assert abs(pdf.stat().st_size / 1024 - int(kb)) <= 1, (href, kb)
            assert ("出血" in title) != ("登记表" in title), title     # posters say they have bleed
    campaign = (example_site / "campaigns/sanba-2027/index.html").read_text(encoding="utf-8")
    shop = re.search(r'<p class="wq-leaflets wq-yinshua">(.*?)</p>', campaign).group(1)
    assert shop.count("-yinshua.pdf") == 4 and "印刷厂版" in shop
    assert "用哪一种：自己打印或到打印店打印、复印，用普通版；交给印刷厂批量印刷，用印刷厂版" in campaign
    for href in re.findall(r'href="\.\./\.\./([^"]+-yinshua\.pdf)"', campaign):
        assert boxes(example_site / href)[0]["TrimBox"][0] > 8, href


def test_rendering_again_into_the_same_folder_leaves_the_cache_intact(tmp_path):
    """`weiquan leaflets` writes into site/ by default: a changed station compiled over its old
    file (a hard link into the cache) must not change the cached PDF of the old version."""
    content = with_stations(make_content(tmp_path / "content"))
    cache, out = tmp_path / "cache", tmp_path / "site"
    render_station_prints(content, out, site_url=SITE_URL, jobs=1, pinyin=False, cache_dir=cache,
                          stations=["heping-zhan"])
    before = {f: f.read_bytes() for f in cache.glob("*/*.pdf")}
    content.stations[1].hours = "周六 9:00—12:00"
    render_station_prints(content, out, site_url=SITE_URL, jobs=1, pinyin=False, cache_dir=cache,
                          stations=["heping-zhan"])
    assert all(f.read_bytes() == data for f, data in before.items())
    assert "周六9:00—12:00" in re.sub(r"\s+", "", tool("pdftotext", out / station_print_paths(
        content.stations[1])["gongshipai-a3"], "-"))


def test_content_is_text_on_posters_and_registers(tmp_path):
    """Station fields reach typst as JSON data, never as typst source: markup characters print
    as they are written."""
    content = with_stations(make_content(tmp_path / "content"))
    st = content.stations[1]
    st.name = "和平#panic(\"x\")*街道*[妇女]_之家_$x$ <b>\\"
    st.services = ["#let a = 1", "= 标题 ="]
    st.team = [TeamRole(role="站长", held_by="@ref #{1+1}")]
    results = render_station_prints(content, tmp_path, site_url=SITE_URL, jobs=1, pinyin=False, stations=[st.slug])
    for r in results:
        text = re.sub(r"\s+", "", tool("pdftotext", r.path, "-"))    # (typst spaces 汉字 from Latin)
        assert re.sub(r"\s+", "", st.name) in text, r.path.name
    poster = tool("pdftotext", next(r.path for r in results if r.kind == "poster"), "-")
    assert "#let a = 1" in poster and "= 标题 =" in poster and "@ref #{1+1}" in poster
