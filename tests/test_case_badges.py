"""A case title shown anywhere on the built site carries its 示例 / 改编 / 已发布 badge (issue 14):
the case index, back-links under law articles, related lists, campaign pages and search results."""

from __future__ import annotations

import json
import posixpath
import re
from collections import Counter
from pathlib import Path

import yaml

from conftest import FIXTURE_CONTENT

_LINK_RE = re.compile(r'<a\b[^>]*\bhref="([^"]*)"[^>]*>(.*?)</a>'
                      r'(?P<badge>\s*<span class="wq-badge[^"]*">(?P<text>[^<]*)</span>)?', re.S)


def _provenance() -> dict[str, str]:
    out = {}
    for path in sorted((FIXTURE_CONTENT / "cases").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        out[data["slug"]] = data["provenance"]["type"]
    return out


def _case_links(site: Path, page: Path, cases: set[str]):
    """(case slug, link text, badge text or None) for every link from page to a case page."""
    here = page.parent.relative_to(site).as_posix()
    for m in _LINK_RE.finditer(page.read_text(encoding="utf-8")):
        href = m.group(1)
        if re.match(r"^[a-z]+:|^#", href):
            continue
        parts = posixpath.normpath(posixpath.join(here, href.split("#")[0])).split("/")
        if len(parts) >= 2 and parts[0] == "cases" and parts[1] in cases \
                and parts[2:] in ([], [""], ["index.html"]):
            yield parts[1], re.sub(r"<[^>]+>", "", m.group(2)).strip(), m.group("text")


def test_every_link_to_a_case_carries_its_badge(example_site):
    provenance = _provenance()
    assert "示例" in provenance.values()
    missing, wrong, seen = [], [], Counter()
    for page in sorted(example_site.rglob("*.html")):
        rel = page.relative_to(example_site).as_posix()
        for slug, text, badge in _case_links(example_site, page, set(provenance)):
            if rel == f"cases/{slug}/index.html":
                continue  # the page's own heading carries the provenance line instead
            if badge is None:
                missing.append(f"{rel}: {text}")
            elif badge != provenance[slug]:
                wrong.append(f"{rel}: {text} → {badge}（应为 {provenance[slug]}）")
            place = rel.split("/")[0] if rel.split("/")[0] in ("laws", "guides", "campaigns") else \
                "case index" if rel == "cases/index.html" else "case pages" if rel.startswith("cases/") else rel
            seen[place] += 1
    assert not missing, "case links without a badge:\n" + "\n".join(missing[:20])
    assert not wrong, "\n".join(wrong[:20])
    # the places the issue names are all covered: index, law back-links, related lists (on case
    # and guide pages) and campaign pages
    for place in ("case index", "laws", "case pages", "guides", "campaigns"):
        assert seen[place], (place, seen)


def test_the_case_page_itself_says_what_it_is(example_site):
    for slug, kind in _provenance().items():
        html = (example_site / "cases" / slug / "index.html").read_text(encoding="utf-8")
        assert re.search(rf'class="wq-provenance"><span class="wq-badge[^"]*">{kind}</span>', html), slug


def test_search_results_for_cases_carry_the_badge(example_site):
    """The search record's parent (shown beside the title in the results and by `weiquan search`)
    names the case's provenance."""
    provenance = _provenance()
    records = {}
    for shard in (example_site / "search" / "d").glob("*.js"):
        text = shard.read_text(encoding="utf-8")   # wqSearch.add("d/<n>",[[kind, url, title, parent, …], …]);
        for rec in json.loads(text[text.index(",") + 1:text.rindex(")")]):
            if rec[0] == "case":
                records[rec[1]] = rec
    assert len(records) == len(provenance)
    for slug, kind in provenance.items():
        rec = records[f"cases/{slug}/"]
        assert rec[3] == f"以案释法 · {kind}", rec[:4]
