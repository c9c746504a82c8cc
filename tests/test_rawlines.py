"""A generated page's HTML lines are set aside while the engine converts its Markdown
(weiquan.build.rawlines): the converted page, its table of contents and its anchors are exactly
what converting the whole Markdown gives."""

from __future__ import annotations

from pathlib import Path

import markdown
import pytest
import yaml

from weiquan.build.rawlines import set_aside

ROOT = Path(__file__).resolve().parents[1]

PAGE = """# 示例县 维权服务站

<p class="wq-crumb"><a href="../../">全部地区</a> › <a href="../">示例市</a></p>
点电话号码可以直接拨打。紧急情况请拨打 110。
<nav class="wq-townships" aria-label="乡镇"><p><strong>按乡镇找</strong></p><ul><li><a href="#t1">城关镇</a></li></ul></nav>

## 城关镇 {#t1}

<div class="wq-card" id="st-1"><h3 id="chengguan">城关镇维权服务站</h3><p>电话：<a href="tel:0000">0000</a> *不是强调*</p></div>
<p>第一段</p><p>第二段 **不是加粗**</p>
<div><div class="outer">没有闭合的外层</div>
<p>还在外层里 **不是加粗**</p>
</div>
<div markdown="1">
**这里是 Markdown**
</div>
<span>行内元素 **会加粗**</span>

    <p>缩进的代码</p>

<a name="old-anchor"></a>
<h2 id="h-raw">HTML 标题不进目录</h2>
- 列表
<p>列表后面</p>

| 表头 |
|---|
| <b>单元格</b> |
"""


def converter() -> markdown.Markdown:
    """Python-Markdown with the project's extensions (mkdocs.yml)."""
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8").split("\nmarkdown_extensions:", 1)[1]
    exts = yaml.load("markdown_extensions:" + text.split("\nnav:", 1)[0], Loader=yaml.UnsafeLoader)["markdown_extensions"]
    names, configs = [], {}
    for e in exts:
        if isinstance(e, dict):
            (name, cfg), = e.items()
            names.append(name)
            configs[name] = cfg
        else:
            names.append(e)
    return markdown.Markdown(extensions=names, extension_configs=configs)


def test_set_aside_lines_convert_to_the_same_page_toc_and_anchors():
    from mkdocs.structure.pages import _HTMLHandler
    md = converter()
    want = md.convert(PAGE), md.toc_tokens
    aside = set_aside(PAGE)
    assert aside is not None and aside.markdown == PAGE
    # whole balanced block-level lines only: not the open outer <div>, not a line of two elements,
    # not markdown="1", not an inline element, not indented code
    assert any(line.startswith("<nav") for line in aside.lines)
    assert any(line.startswith('<div class="wq-card"') for line in aside.lines)
    for kept in ('<div><div class="outer">', "<p>第一段</p>", '<div markdown="1">', "<span>", "    <p>"):
        assert not any(line.startswith(kept) for line in aside.lines), kept
    md.reset()
    got = aside.restore(md.convert(aside.marked)), md.toc_tokens
    assert got == want
    assert "<strong>会加粗</strong>" in got[0] and "**不是加粗**" in got[0] and "*不是强调*" in got[0]
    raw = _HTMLHandler()
    raw.feed("\n".join(aside.lines))
    raw.close()
    assert aside.anchor_ids() == raw.present_anchor_ids >= {"st-1", "chengguan", "h-raw"}


def test_a_mark_that_does_not_come_back_once_means_convert_as_it_was():
    aside = set_aside(PAGE)
    md = converter()
    html = md.convert(aside.marked)
    assert aside.restore(html) is not None
    first = html.index("<!--wq-line:0-->")
    assert aside.restore(html[:first] + html[first + len("<!--wq-line:0-->"):]) is None   # lost
    assert aside.restore(html + "<!--wq-line:0-->") is None                              # twice
    assert aside.restore(html.replace("<!--wq-line:0-->", "&lt;!--wq-line:0--&gt;")) is None


@pytest.mark.parametrize("text", ["# 标题\n\n只有文字。\n", "<!--wq-line:0-->\n<p>已经有标记</p>\n"])
def test_nothing_set_aside(text):
    assert set_aside(text) is None
