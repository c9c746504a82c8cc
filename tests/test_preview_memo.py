"""What a preview keeps between rebuilds in its process (the loader's parse memo, the renders of
the last build, the guide markup checks): a rebuild after an edit gives exactly the pages and
files a fresh build gives, edits show, a deleted file's entry is gone, and an error is reported
with file:line until it is mended."""

from __future__ import annotations

import pytest

from conftest import copy_content
from weiquan.build.engine import BuildOptions, prepare
from weiquan.content import loader
from weiquan.content.problems import ContentError
from weiquan.site.render import RENDERS

COUNTY = "stations/99/9901/990101.md"   # the 示例 county page: lists its stations


def snapshot(build) -> tuple[dict, dict]:
    return {p.src: (p.markdown, p.title, p.readings) for p in build.pages}, dict(build.files)


@pytest.fixture
def preview(tmp_path):
    """prepare() as a preview calls it, and a check that it equals a fresh build's output."""
    content = copy_content(tmp_path / "content")
    options = BuildOptions(content_dir=content, cache_dir=tmp_path / "cache", preview=True)

    def fresh():
        """A build of the same content with nothing kept from earlier builds; the memos as they were."""
        kept = (dict(loader._PARSE_CACHE), dict(loader._SETTINGS_CACHE), RENDERS.last)
        loader._PARSE_CACHE.clear()
        loader._SETTINGS_CACHE.clear()
        RENDERS.last = {}
        try:
            return snapshot(prepare(BuildOptions(content_dir=content, cache_dir=tmp_path / "cache")))
        finally:
            loader._PARSE_CACHE.clear()
            loader._PARSE_CACHE.update(kept[0])
            loader._SETTINGS_CACHE.clear()
            loader._SETTINGS_CACHE.update(kept[1])
            RENDERS.last = kept[2]

    def rebuild():
        got = snapshot(prepare(options))
        assert RENDERS.hits > 0   # the rebuild did reuse renders of the last one
        want = fresh()
        assert got[0].keys() == want[0].keys()
        assert [src for src in got[0] if got[0][src] != want[0][src]] == []
        assert got[1] == want[1]
        return got[0]

    prepare(options)   # the first build of the preview
    yield content, rebuild, options


def edit(path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_rebuild_after_edits_equals_a_fresh_build(preview):
    content, rebuild, options = preview

    # a station: its county page shows the edit
    edit(content / "stations/chengguan.yaml", "城关镇妇女维权服务站（示例）", "城关镇妇女维权服务站预览（示例）")
    assert "城关镇妇女维权服务站预览" in rebuild()[COUNTY][0]

    # a guide's text
    edit(content / "guides/caili.md", "\n\n", "\n\n这是预览里改的一句话。\n\n")
    assert "这是预览里改的一句话" in rebuild()["guides/caili.md"][0]

    # a deleted station is gone from every page
    name = "示例县家庭暴力庇护中心"
    assert [src for src, page in rebuild().items() if name in page[0]]
    (content / "stations/bihu-zhongxin.yaml").unlink()
    assert [src for src, page in rebuild().items() if name in page[0]] == []

    # the settings every page shows (hotline label)
    site = content / "site.yaml"
    text = site.read_text(encoding="utf-8")
    label = text.split("label:", 1)[1].split("\n", 1)[0].strip()
    edit(site, f"label: {label}", f"label: {label}预览")
    assert f"{label}预览" in rebuild()["index.md"][0]


def test_an_error_is_reported_with_its_line_and_a_fix_recovers(preview):
    content, rebuild, options = preview
    station = content / "stations/chengguan.yaml"
    text = station.read_text(encoding="utf-8")
    station.write_text(text.replace("phones:", "phones: [", 1), encoding="utf-8")
    with pytest.raises(ContentError) as exc:
        prepare(options)
    assert any(p.path.endswith("stations/chengguan.yaml") and p.line > 1 for p in exc.value.problems)
    station.write_text(text.replace("城关镇妇女维权服务站（示例）", "城关镇妇女维权服务站已修好（示例）", 1),
                       encoding="utf-8")
    assert "城关镇妇女维权服务站已修好" in rebuild()[COUNTY][0]
