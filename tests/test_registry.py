"""The registry of content types: every type is loaded, counted and checked for unique slugs
from one entry (weiquan/content/types.py), and two forms with one slug are refused (B2)."""

from __future__ import annotations

import json
import os
import pickle
from pathlib import Path

from click.testing import CliRunner
from pydantic import Field

from test_editor_errors import problems, tiny_content
from weiquan.cli.main import main
from weiquan.content.loader import load_content
from weiquan.content.model import Model, Slug, Text

FORM = """\
slug: {slug}
title: 申请表
privacy: 填写的内容不会发送，也不会保存。
notice: 这不是法律意见。
document_title: 申请书
steps:
  - id: s1
    title: 第一步
court:
  rule: 向住所地法院申请。
  cite: {{law: 反家庭暴力法, article: 23}}
"""


class Notice(Model):
    """A content type the registry does not have (module level: content is pickled)."""
    slug: Slug
    title: Text
    body: str = Field("", description="正文")


def weiquan(cwd: Path, *args: str):
    old = os.getcwd()
    os.chdir(cwd)
    try:
        return CliRunner().invoke(main, list(args), catch_exceptions=False)
    finally:
        os.chdir(old)


def test_two_forms_with_one_slug_are_refused(tmp_path):
    """B2: check_unique listed the types by hand and forgot forms."""
    content = tiny_content(tmp_path / "content")
    (content / "forms").mkdir()
    (content / "forms" / "a.yaml").write_text(FORM.format(slug="baohuling"), encoding="utf-8")
    (content / "forms" / "b.yaml").write_text("# 第二份\n" + FORM.format(slug="baohuling"), encoding="utf-8")
    r = weiquan(tmp_path, "check", "--no-leaflets", "content")
    assert r.exit_code == 1
    assert r.stderr.splitlines()[0] == \
        "content/forms/b.yaml:2: slug “baohuling” 重复，已用于 content/forms/a.yaml:1 (duplicate slug)", r.stderr


def test_forms_are_counted(tmp_path):
    content = tiny_content(tmp_path / "content")
    (content / "forms").mkdir()
    (content / "forms" / "a.yaml").write_text(FORM.format(slug="a"), encoding="utf-8")
    r = weiquan(tmp_path, "check", "--no-leaflets", "--format", "json", "content")
    assert r.exit_code == 0, r.stdout + r.stderr
    assert json.loads(r.stdout)["counts"] == {"laws": 1, "articles": 38, "cases": 1, "stations": 1,
                                              "campaigns": 1, "guides": 1, "forms": 1}
    r = weiquan(tmp_path, "check", "--no-leaflets", "content")
    assert r.stdout.strip() == "内容无误 (ok): 法律 1，条文 38，案例 1，服务站 1，活动 1，指南 1，申请引导 1"


def test_a_type_added_to_the_registry_is_loaded_counted_and_checked(tmp_path, monkeypatch):
    """A new content type is one registry entry (and its model): loading, counts, uniqueness and
    source lines follow without touching the loader or the checks."""
    from weiquan.content import types
    notices = types.ContentType(name="notices", kind="notice", model=Notice, label="通知",
                                src=lambda n: f"notices/{n.slug}.md")
    monkeypatch.setattr(types, "TYPES", (*types.TYPES, notices))

    content = tiny_content(tmp_path / "content")
    (content / "notices").mkdir()
    (content / "notices" / "a.yaml").write_text("slug: kaifang\ntitle: 开放时间\n", encoding="utf-8")
    (content / "notices" / "b.yaml").write_text("slug: jiaqi\ntitle: 假期安排\n", encoding="utf-8")
    loaded = load_content(content)
    assert [n.title for n in loaded.entries("notices")] == ["开放时间", "假期安排"]
    assert loaded.counts()["notices"] == 2
    src = loaded.source(loaded.entries("notices")[1])
    assert src.display.endswith("notices/b.yaml")

    # the source lines survive a pickle (weiquan build hands checked content to another process)
    again = pickle.loads(pickle.dumps(loaded))
    assert again.source(again.entries("notices")[1]).display == src.display
    assert again.source(again.cases[0]).display.endswith("cases/test-case.yaml")

    (content / "notices" / "b.yaml").write_text("title: 假期安排\n\nslug: kaifang\n", encoding="utf-8")
    assert problems(content) == [f"content/notices/b.yaml:3: slug “kaifang” 重复，"
                                 f"已用于 content/notices/a.yaml:1 (duplicate slug)"]

    (content / "notices" / "b.yaml").write_text("slug: jiaqi\ntitle: 假期安排\nextra: 1\n", encoding="utf-8")
    [msg] = problems(content)
    assert msg.startswith(f"content/notices/b.yaml:3: ")
