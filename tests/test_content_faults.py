"""Input problems are messages, builds are bounded and clean (issue 17): symlinks, file names,
entries without 汉字, stale folders of an interrupted build, stopping `weiquan build`.

Each bad input: exit ≠ 0, a Chinese file:line message, no traceback, the previous site/
byte-identical."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from conftest import BIN, run


def tree_digest(folder: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(folder.rglob("*")):
        h.update(p.relative_to(folder).as_posix().encode())
        if p.is_file():
            h.update(p.read_bytes())
    return h.hexdigest()


@pytest.fixture()
def built_before(project) -> Path:
    """A stand-in for the previously published site."""
    site = project / "site"
    (site / "laws").mkdir(parents=True)
    (site / "index.html").write_text("<p>上一次的网站</p>", encoding="utf-8")
    (site / "laws" / "index.html").write_text("<p>法律</p>", encoding="utf-8")
    return site


def build(project: Path, *extra) -> subprocess.CompletedProcess:
    return run(BIN / "weiquan", "build", "--no-leaflets", "--config", project / "mkdocs.yml", *extra,
               cwd=project, check=False)


def assert_refused(result, site: Path, before: str, where: str, words: str):
    out = result.stdout + result.stderr
    assert result.returncode != 0, out
    assert "Traceback" not in out, out
    assert any(where in line and words in line for line in out.splitlines()), out
    assert tree_digest(site) == before


@pytest.mark.parametrize("make, where, words", [
    (lambda c: (c / "guides" / "gone.md").symlink_to(c / "guides" / "nowhere.md"),
     "content/guides/gone.md:1", "不存在"),
    (lambda c: (c / "cases" / "passwd.yaml").symlink_to("/etc/hostname"),
     "content/cases/passwd.yaml:1", "内容目录以外"),
    # a link from pages/ to a file or folder outside content/ would be published by the site engine
    (lambda c: (c / "pages" / "env.txt").symlink_to("/proc/self/environ"),
     "content/pages/env.txt:1", "内容目录以外"),
    (lambda c: (c / "pages" / "keys").symlink_to(Path.home()),
     "content/pages/keys:1", "内容目录以外"),
    (lambda c: (c / "pages" / "logo.png").symlink_to("/etc/hostname"),
     "content/pages/logo.png:1", "内容目录以外"),
    (lambda c: (c / "stations" / "more").symlink_to("/etc"),
     "content/stations/more:1", "内容目录以外"),
    (lambda c: (c / "pages" / "notes.txt").write_text("x", encoding="utf-8"),
     "content/pages/notes.txt:1", "只能放"),
    (lambda c: (c / "pages" / "pic.svg").write_text("<svg onload=alert(1)/>", encoding="utf-8"),
     "content/pages/pic.svg:1", "只能放"),
    (lambda c: (c / "guides" / "...md").write_text("---\ntitle: 点\n---\n正文\n", encoding="utf-8"),
     "content/guides/...md:1", "不能用作网址"),
    (lambda c: (c / "guides" / "My Guide.md").write_text("---\ntitle: 空格\n---\n正文\n", encoding="utf-8"),
     "content/guides/My Guide.md:1", "不能用作网址"),
    (lambda c: (c / "guides" / "html.md").write_text(
        "---\ntitle: 网页\n---\n\n正文\n\n<script>alert(1)</script>\n", encoding="utf-8"),
     "content/guides/html.md:7", "HTML"),
    (lambda c: (c / "guides" / "link.md").write_text(
        "---\ntitle: 链接\n---\n\n[点这里](javascript:alert(1))\n", encoding="utf-8"),
     "content/guides/link.md:5", "不允许"),
    (lambda c: (c / "pages" / "evil.md").write_text(
        "---\ntitle: 安全 <script>alert(1)</script>\n---\n\n# 安全\n", encoding="utf-8"),
     "content/pages/evil.md:2", "前言"),
    (lambda c: (c / "cases" / "gaojieshu.yaml").write_text(
        (c / "cases" / "gaojieshu.yaml").read_text(encoding="utf-8").replace(
            "provenance:", "provenance:\n  url: javascript:alert(1)", 1), encoding="utf-8"),
     "content/cases/gaojieshu.yaml", "http://"),
])
def test_bad_input_is_a_message(project, built_before, make, where, words):
    before = tree_digest(built_before)
    make(project / "content")
    assert_refused(build(project), built_before, before, where, words)   # `weiquan build` checks first


def test_related_content_copes_with_entries_without_hanzi(tmp_path):
    from weiquan.search.related import similar_docs
    docs = [{"id": f"case:{slug}", "url": f"cases/{slug}/", "kind": "case", "title": title, "parent": "以案释法",
             "text": text, "keywords": []} for slug, title, text in [
        ("en", "Protection order", "An English text without Chinese characters."),
        ("bo", "བོད་ཡིག", "བོད་ཡིག་གི་དཔེ་མཚོན།"),
        ("ug", "ئۇيغۇرچە", "ئۇيغۇرچە مىسال"),
        ("zh", "家暴保护令", "丈夫打人，她申请了人身安全保护令。"),
        ("zh2", "保护令案例", "法院作出人身安全保护令，禁止他打人。")]]
    related = similar_docs(docs, [d["id"] for d in docs], cache_file=tmp_path / "related.json")
    assert related["case:en"] == [] and related["case:bo"] == [] and related["case:ug"] == []
    assert related["case:zh"], "Chinese entries still find each other"


def test_next_build_removes_what_an_interrupted_build_left(project):
    from weiquan.build.atomic import remove_stale
    site = project / "site"
    stale = [project / ".site.new-abc123", project / ".site.new-4194302-x-leaflets"]
    for d in stale:
        d.mkdir()
        (d / "index.html").write_text("half")
    (project / ".site.new-abc123-content.pickle").write_bytes(b"\x80")
    live = project / f".site.new-{os.getpid()}-mine"   # a running build's folder is left alone
    live.mkdir()
    removed = remove_stale(site)
    assert sorted(p.name for p in removed) == sorted([".site.new-abc123", ".site.new-4194302-x-leaflets",
                                                      ".site.new-abc123-content.pickle"])
    assert live.is_dir()


def _children(pid: int) -> list[int]:
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            out.append(int(stat.parent.name))
    return out


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_stopping_build_stops_its_children_and_cleans_up(project, built_before, sig):
    before = tree_digest(built_before)
    proc = subprocess.Popen([str(BIN / "weiquan"), "build", "--no-leaflets", "--config", str(project / "mkdocs.yml")],
                            cwd=project, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    engine = None
    deadline = time.time() + 120
    while time.time() < deadline and engine is None and proc.poll() is None:
        for child in _children(proc.pid):
            try:
                if b"mkdocs" in Path(f"/proc/{child}/cmdline").read_bytes():
                    engine = child
            except OSError:
                pass
        time.sleep(0.2)
    assert engine is not None, "mkdocs build never started"
    time.sleep(2)   # let it start its workers
    family = [engine, *_children(engine)]
    proc.send_signal(sig)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 128 + sig, out + err
    assert "Traceback" not in err and "已停止" in err
    time.sleep(0.5)
    assert not [p for p in family if _alive(p)], "children of weiquan build still running"
    assert not list(project.glob(".site.*")), list(project.glob(".site.*"))
    assert tree_digest(built_before) == before


def test_leaflet_overflow_is_reported_by_check_at_the_content_line(project):
    camp = project / "content" / "campaigns" / "sanba-2027.yaml"
    lines = camp.read_text(encoding="utf-8").splitlines()
    n = next(i for i, l in enumerate(lines) if l.startswith("name:"))
    lines[n] = "name: " + "三八妇女维权周宣传活动" * 6
    camp.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run(BIN / "weiquan", "check", "content", cwd=project, check=False)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"content/campaigns/sanba-2027.yaml:{n + 1}: 宣传单" in result.stderr and "放不下" in result.stderr, result.stderr
