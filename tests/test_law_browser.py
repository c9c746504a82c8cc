"""Law pages in Chromium: permalinks of a split law land on the right page and article."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_permalinks_forward_to_the_page_holding_the_article(page, site_server):
    for anchor, target in [("a1079", "laws/minfadian/b5-z4/"), ("a1", "laws/minfadian/b1-z1/"),
                           ("a1260", "laws/minfadian/fz8/")]:
        page.goto(f"{site_server}laws/minfadian/#{anchor}")
        page.wait_for_url(f"{site_server}{target}#{anchor}")
        assert page.locator(f"section#{anchor}").is_visible()


def test_every_article_has_a_copy_link_control(page, site_server):
    page.goto(site_server + "laws/fan-jiating-baoli-fa/")
    assert page.locator("section.wq-article").count() == 38
    assert page.locator("section.wq-article button.wq-copy").count() == 38
    assert page.locator("#a23 button.wq-copy").get_attribute("aria-label") == "复制第二十三条的链接"
