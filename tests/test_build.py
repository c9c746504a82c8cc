"""End-to-end: build the test content and check the generated site."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from conftest import BIN, run, tiny_content
from sitecrawl import is_external, parse, resolve
from weiquan.build.offline import SITE_FOLDER


def read(site, rel):
    return (site / rel).read_text(encoding="utf-8")


def test_home_page_gets_help_now(example_site):
    html = read(example_site, "index.html")
    for number in ("110", "12338", "12348", "12355"):
        assert f'href="tel:{number}"' in html
    assert "我该怎么办" in html and "附近的帮助" in html
    assert "遭遇家庭暴力怎么办" in html


def test_every_page_has_hotline_bar_and_no_font_requests(example_site):
    # go.html is not a site page: the neutral page 一键离开 leaves in history, forwarding to the exit site
    pages = [p for p in example_site.rglob("*.html") if p.relative_to(example_site).as_posix() != "go.html"]
    assert len(pages) > 100
    for path in pages:
        html = path.read_text(encoding="utf-8")
        assert 'class="wq-hotlines-bar"' in html, path
        assert "fonts.googleapis" not in html and "fonts.gstatic" not in html, path


def test_law_page_has_stable_article_anchors(example_site):
    html = read(example_site, "laws/fan-jiating-baoli-fa/index.html")
    ids = re.findall(r'<section class="wq-article" id="(a\d+(?:-\d+)?)"', html)
    assert ids == [f"a{n}" for n in range(1, 39)]
    assert "当事人因遭受家庭暴力或者面临家庭暴力的现实危险" in html
    assert "2016年3月1日施行" in html


def test_anchors_identical_across_rebuilds(example_site, offline_dir):
    # the second build, in another process at another time: the offline edition of the same
    # content (use_directory_urls: false). Anchors don't change between builds or editions.
    again = offline_dir / SITE_FOLDER
    for rel in ("laws/fan-jiating-baoli-fa/index.html", "laws/minfadian/index.html"):
        ids = lambda s: re.findall(r'id="([^"]+)"', s)
        assert ids(read(example_site, rel)) == ids(read(again, rel))


def test_big_law_is_split_and_permalinks_forward(example_site):
    landing = read(example_site, "laws/minfadian/index.html")
    assert 'id="wq-article-map"' in landing
    ranges = json.loads(re.search(r'<script type="application/json" id="wq-article-map">(.*?)</script>',
                                  landing).group(1))
    assert ranges[0][1] == 100 and ranges[-1][2] == 126000
    assert any(r[1] <= 104300 <= r[2] for r in ranges)
    pages = [p for p in (example_site / "laws" / "minfadian").iterdir() if p.is_dir()]
    assert len(pages) > 7
    found = [p for p in pages if 'id="a1079"' in (p / "index.html").read_text(encoding="utf-8")]
    assert len(found) == 1


def test_cited_by_backlinks(example_site):
    html = read(example_site, "laws/fan-jiating-baoli-fa/index.html")
    section = re.search(r'<section class="wq-article" id="a23">(.*?)</section>', html, re.S).group(1)
    assert "引用本条" in section
    assert "案例：丈夫多次殴打威胁" in section and "指南：如何申请人身安全保护令" in section


def test_case_page_quotes_cited_articles(example_site):
    html = read(example_site, "cases/baohuling-shenqing/index.html")
    assert "示例" in html and "《反家庭暴力法》第二十三条" in html
    assert 'href="../../laws/fan-jiating-baoli-fa/#a23"' in html


def test_guide_shortcodes_render_as_links(example_site):
    html = read(example_site, "guides/baohuling/index.html")
    assert "[[" not in html
    assert '<a class="wq-cite" href="../../laws/fan-jiating-baoli-fa/#a23">《反家庭暴力法》第二十三条</a>' in html


def test_station_directory_levels(example_site):
    top = read(example_site, "stations/index.html")
    # one province with one city with one county: the directory links straight to the county
    assert 'href="99/9901/990101/"' in top and "示例省" in top and "示例县" in top
    assert 'href="9901/990101/"' in read(example_site, "stations/99/index.html")
    assert 'href="990101/"' in read(example_site, "stations/99/9901/index.html")
    county = read(example_site, "stations/99/9901/990101/index.html")
    assert len(re.findall(r'<h2 id="t990101\d{3}"', county)) == 12
    assert 'id="chengguan"' in county and 'href="tel:00000000101"' in county
    # every bundled station is fictional (example: true): none shows a verification date
    assert "信息核实于" not in county


def test_campaign_schedule(example_site):
    html = read(example_site, "campaigns/sanba-2027/index.html")
    assert html.count('class="wq-event"') >= 8
    assert "2027年3月1日" in html and "依法维权 远离家暴" in html


def test_no_broken_internal_links_or_external_resources(example_site):
    pages = {p: parse(p) for p in example_site.rglob("*.html")}
    broken, external = [], []
    for path, page in pages.items():
        for ref in page.resources:
            if is_external(ref):
                external.append((path, ref))
        for style in page.inline_styles:
            if re.search(r"url\(\s*['\"]?(https?:)?//", style) or "@import" in style:
                external.append((path, style[:80]))
        if path.name == "404.html":
            continue
        for href in page.links + page.resources:
            target, frag = resolve(example_site, path, href)
            if target is None:
                continue
            if not target.exists():
                broken.append((path.relative_to(example_site), href))
            elif frag and target.suffix == ".html" and frag not in (pages.get(target) or parse(target)).ids:
                broken.append((path.relative_to(example_site), href))
    assert not external, external[:5]
    assert not broken, broken[:10]


def test_check_command_reports_broken_citation(project):
    case = project / "content" / "cases" / "gaojieshu.yaml"
    text = case.read_text(encoding="utf-8")
    case.write_text(text.replace("{law: 反家庭暴力法, article: 16}", "{law: 反家庭暴力法, article: 160}"), encoding="utf-8")
    line = next(i for i, l in enumerate(case.read_text(encoding="utf-8").splitlines(), 1) if "160" in l)
    result = run(BIN / "weiquan", "check", "content", cwd=project, check=False)
    assert result.returncode == 1
    assert f"content/cases/gaojieshu.yaml:{line}: 引用无法解析：《反家庭暴力法》没有“160”" in result.stderr
    assert "Traceback" not in result.stderr


def test_check_command_summary(project):
    result = run(BIN / "weiquan", "check", "content", cwd=project)
    laws = len(list((project / "content" / "laws").glob("*.yaml")))
    assert re.match(rf"内容无误 \(ok\): 法律 {laws}，条文 \d{{4,}}，案例 \d+", result.stdout), result.stdout


@pytest.mark.parametrize("command", ["mkdocs", "weiquan"])
def test_failed_build_leaves_site_untouched(built_project, command):
    project = built_project   # its site/ is a copy of example_site: the previous site
    site = project / "site"
    assert (site / "index.html").is_file()
    before = {p: p.stat().st_mtime_ns for p in site.rglob("*")}
    case = project / "content" / "cases" / "gaojieshu.yaml"
    case.write_text(case.read_text(encoding="utf-8").replace("article: 16}", "article: 160}"), encoding="utf-8")
    args = ([BIN / "mkdocs", "build"] if command == "mkdocs" else [BIN / "weiquan", "build"])
    result = run(*args, cwd=project, check=False)
    assert result.returncode == 1
    assert "content/cases/gaojieshu.yaml:" in result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert {p: p.stat().st_mtime_ns for p in site.rglob("*")} == before
    # `weiquan build` starts the site engine while it checks: it is stopped, nothing of it is left
    assert [p.name for p in project.iterdir() if ".new-" in p.name] == []
    assert processes_naming(project) == []


def processes_naming(path: Path) -> list[str]:
    """Command lines of the running processes that name path (Linux /proc)."""
    out = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            args = cmdline.read_bytes().decode("utf-8", "replace").split("\0")
        except OSError:
            continue
        if any(str(path) in a for a in args):
            out.append(" ".join(args))
    return out


def test_engine_waits_for_the_check_and_stops_if_it_fails():
    """The handoff between `weiquan build` and the engine it started before checking: one line
    with the leaflets folder (and the settings `weiquan build` writes the calendars for) once the
    check passed, end of file if it failed. The engine makes the calendars itself unless they are
    written for its own site URL and URL style."""
    import os

    from weiquan.build.engine import Checked, wait_for_handoff
    written = b'{"leaflets": null, "calendars": {"site_url": "https://a.example/", "use_directory_urls": true}}\n'
    for message, expected in ((b'{"leaflets": "/tmp/l"}\n', Checked(Path("/tmp/l"))),
                              (written, Checked(None, ("https://a.example/", True))),
                              (b'{"leaflets": null}\n', Checked(None)), (b"", None)):
        read, write = os.pipe()
        os.write(write, message)
        os.close(write)
        assert wait_for_handoff(read) == expected
    checked = Checked(None, ("https://a.example/", True))
    assert not checked.engine_makes_calendars("https://a.example", True)   # (MkDocs adds the slash)
    assert checked.engine_makes_calendars("https://b.example/", True)   # e.g. site_url: !ENV …
    assert checked.engine_makes_calendars("https://a.example/", False)   # another URL style
    assert Checked(None).engine_makes_calendars("https://a.example/", True)


def test_theme_script_is_left_out(example_site):
    """Material's bundle runs nothing the site uses (issue 16): pages do not load it."""
    html = read(example_site, "laws/fan-jiating-baoli-fa/index.html")
    assert not re.search(r'<script src="[^"]*bundle\.[0-9a-f]+\.min\.js"', html)


def test_engine_uses_the_content_weiquan_build_checked(tmp_path, monkeypatch):
    """`weiquan build` pickles the content it checked for the engine process: prepare() takes
    it instead of loading again, but only for the same content folder."""
    import pickle

    from weiquan.build import engine as B
    from weiquan.content.loader import load_content

    content_dir = tiny_content(tmp_path / "content")
    content = load_content(content_dir)
    checked = tmp_path / "content.pickle"
    checked.write_bytes(pickle.dumps(content))
    calls = []
    monkeypatch.setattr(B, "load_content", lambda root: calls.append(root) or content)
    opts = dict(cache_dir=tmp_path / "cache", checked_content=checked)
    assert B.prepare(B.BuildOptions(content_dir=content_dir, **opts)).pages and calls == []
    B.prepare(B.BuildOptions(content_dir=tmp_path, **opts))
    assert calls == [tmp_path]


def test_engine_that_stops_before_the_check_ends_is_reported(tmp_path):
    """The engine `weiquan build` starts while it checks may stop first (here MkDocs rejects the
    theme): the content passes, the build says why it failed, exit 1, no traceback."""
    from conftest import copy_project
    project = copy_project(tmp_path / "p", content=False)
    tiny_content(project / "content")
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(re.sub(r"(?m)^theme:\n  name: material", "theme:\n  name: no-such-theme", text, count=1),
                      encoding="utf-8")
    assert "no-such-theme" in config.read_text(encoding="utf-8")
    result = run(BIN / "weiquan", "build", "--no-leaflets", cwd=project, check=False)
    assert result.returncode == 1
    assert "no-such-theme" in result.stderr and "网站生成失败" in result.stderr, result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert not (project / "site").exists()
    assert [p.name for p in project.iterdir() if ".new-" in p.name] == []


def _tiny_project(root: Path) -> Path:
    from conftest import copy_project
    project = copy_project(root, content=False)
    tiny_content(project / "content")
    return project


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_weiquan_build_writes_the_calendars_while_the_engine_makes_the_pages(tmp_path, monkeypatch):
    """`weiquan build` writes the calendars in its check's process (forked, Linux) while the engine
    makes the pages (their ~15 s at national scale were the engine's): the same files as the engine
    makes when there is no fork (a build in a thread)."""
    import os
    import threading

    import weiquan.site as site_module
    from weiquan.build.publish import build_site

    assert threading.current_thread() is threading.main_thread()   # (else no fork: nothing tested)
    project = _tiny_project(tmp_path / "p")
    marker = tmp_path / "made-by"
    made = site_module.calendar_files

    def calendar_files(*args, **kw):
        marker.write_text(str(os.getpid()))
        return made(*args, **kw)
    monkeypatch.setattr(site_module, "calendar_files", calendar_files)
    assert build_site(project / "mkdocs.yml", leaflets=False, compress=False, quiet=True) == 0
    assert marker.read_text() != str(os.getpid())   # the check's forked process, not this one nor the engine
    marker.unlink()

    elsewhere = tmp_path / "by-the-engine"
    codes = []
    thread = threading.Thread(target=lambda: codes.append(build_site(project / "mkdocs.yml", elsewhere, leaflets=False,
                                                                     compress=False, quiet=True)))
    thread.start()
    thread.join()
    assert codes == [0] and not marker.exists()   # the engine (another program) made them
    ours, theirs = _files(project / "site" / "calendars"), _files(elsewhere / "calendars")
    assert "calendars/campaigns/c.ics" in {f"calendars/{k}" for k in ours} and len(ours) >= 2
    assert ours == theirs
    assert [p.name for p in project.iterdir() if ".new-" in p.name] == []


def test_calendars_that_fail_leave_the_site_untouched(tmp_path, monkeypatch, capsys):
    import weiquan.site as site_module
    from weiquan.build.publish import build_site

    project = _tiny_project(tmp_path / "p")

    def calendar_files(*args, **kw):
        raise ValueError("no calendars today")
    monkeypatch.setattr(site_module, "calendar_files", calendar_files)
    assert build_site(project / "mkdocs.yml", leaflets=False, compress=False, quiet=True) == 1
    err = capsys.readouterr().err
    assert "no calendars today" in err and "日历文件生成失败，原有网站未改动" in err
    assert not (project / "site").exists()
    assert [p.name for p in project.iterdir() if ".new-" in p.name] == []


def test_the_engine_gets_the_checked_content_without_its_line_maps(tmp_path):
    """What `weiquan build` hands the engine keeps each entry's file, not its parsed YAML with
    lines (only checks name lines; at national scale 53 of the 90 MB handed over)."""
    import pickle

    from weiquan.build.publish import _stage
    from weiquan.content.loader import load_content

    project = _tiny_project(tmp_path / "p")
    checked = tmp_path / "content.pickle"
    assert _stage(project / "mkdocs.yml", project / "content", checked, None, 1).ok
    handed = pickle.loads(checked.read_bytes())
    loaded = load_content(project / "content")
    assert handed.sources.keys() == loaded.sources.keys() and len(handed.sources) >= 5
    for sid, src in handed.sources.items():
        assert src.data is None and src.path == loaded.sources[sid].path and src.display == loaded.sources[sid].display
    assert all(src.data is not None for src in loaded.sources.values())
    assert [c.slug for c in handed.campaigns] == [c.slug for c in loaded.campaigns] == ["c"]
    station = handed.stations[0]
    assert handed.source(station).path.name == "chengguan.yaml"   # (lookups work after the copy)


def test_calendars_for_a_site_url_weiquan_build_cannot_read_are_made_by_the_engine(tmp_path, monkeypatch):
    """`weiquan build` reads mkdocs.yml plainly: a site_url from !ENV is unknown to it, so the engine
    (which resolves it) makes the calendars, and the built site keeps the engine's: the events'
    URLs point at the site."""
    from weiquan.build.publish import build_site

    project = _tiny_project(tmp_path / "p")
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert re.search(r"(?m)^site_url: .*$", text)
    config.write_text(re.sub(r"(?m)^site_url: .*$", 'site_url: !ENV [WQ_TEST_SITE_URL, "https://default.example/"]',
                             text, count=1), encoding="utf-8")
    monkeypatch.setenv("WQ_TEST_SITE_URL", "https://env.example/")
    assert build_site(config, leaflets=False, compress=False, quiet=True) == 0
    ics = (project / "site" / "calendars" / "campaigns" / "c.ics").read_text(encoding="utf-8")
    assert "URL:https://env.example/campaigns/c/" in ics.replace("\r\n ", ""), ics
    assert [p.name for p in project.iterdir() if ".new-" in p.name] == []
