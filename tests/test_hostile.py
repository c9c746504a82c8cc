"""Hostile content: every content string is text, everywhere (issue 17).

A small copy of the example content (two laws, the cases, stations, campaign and form that cite
them, one guide) gets an attack payload in every free-text field of every type — YAML and
Markdown — and is built once per session with `weiquan build` (leaflets included). Then: no
inline script but the templates' own, no event-handler attribute or javascript: URL in any page,
every page's CSP equals the set computed from the templates, and in Chromium no dialog fires and
no CSP violation is reported on any page, while the payloads show as text."""

from __future__ import annotations

import functools
import html.parser
import http.server
import re
import subprocess
import threading
from pathlib import Path

import pytest
import yaml

from conftest import BIN, ROOT, _QuietHandler, copy_project, run

PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(2)>',
    "'><svg onload=alert(3)>",
    "</script><script>alert(4)</script>",
    "{{ 7*7 }}{% raw %}",
    '#eval("1+1") #link("x")',
    "[x](javascript:alert(5))",
    '{: onclick="alert(6)" }',
    "*a* _b_ `c` <!-- ",
    "javascript:alert(7)",
    '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
]
REFRESH = PAYLOADS[-1]
# Keys whose values are identifiers, numbers, dates or choices, not free text.
KEEP = {"slug", "id", "code", "level", "parent", "kind", "type", "status", "number", "law", "article",
        "version", "station", "stations", "cases", "date", "start", "end", "time", "yearly", "readings",
        "replaced_by", "key", "adopted", "amended", "effective", "published", "first_effective",
        "last_verified", "updated", "example", "primary", "order", "measures", "evidence", "idle_minutes",
        "year", "aliases", "highlights", "part"}
LAWS = ("fan-jiating-baoli-fa", "renshen-anquan-baohuling-guiding")
CITE = {"law": "反家庭暴力法", "article": 23}
URL_PAYLOAD = '?q="><script>alert(8)</script>'

GUIDE = """---
title: 指南标题 <script>alert(11)</script>
summary: '摘要 "><img src=x onerror=alert(12)>'
topics: [家庭暴力, '家暴 <meta http-equiv="refresh" content="0;url=https://evil.example/"><b>"\'\'']
questions: ["老公打我怎么办 <svg onload=alert(13)>"]
---

# 遇到家暴怎么办 {{ 7*7 }} #eval("1")

正文里写 javascript:alert(14) 只是文字，&lt;script&gt;alert(15)&lt;/script&gt; 也是文字。

依照 [[反家庭暴力法#23|<script>alert(16)</script>]] 和 [[反家庭暴力法#23|javascript:alert(17) {: onclick="alert(17)"}]]，
可以申请保护令；[[反家庭暴力法|"><img src=x onerror=alert(18)>]]。

## 小标题 *强调* `代码` {{ config }} {% raw %}

- [官方网站](https://www.example.org/?a="onmouseover=alert(19))
- 电话 [12338](tel:12338)
"""


# Two guides per topic group: a group of two or more puts each guide's title into the menu, and
# a topic outside the shared vocabulary makes a group (menu label, anchor, tile link) of its own.
TOPIC_PAYLOAD = '家暴 <meta http-equiv="refresh" content="0;url=https://evil.example/"><b>"\''
MORE_GUIDES = {
    "hostile-two": ("标题二 " + REFRESH, ["家庭暴力"]),
    "hostile-three": ("标题三 <img src=x onerror=alert(31)>", [TOPIC_PAYLOAD, "家庭暴力"]),
    "hostile-four": ("标题四 " + REFRESH + "</a><script>alert(32)</script>", [TOPIC_PAYLOAD]),
}


def more_guide(title: str, topics: list[str]) -> str:
    meta = {"title": title, "summary": "摘要 " + REFRESH, "topics": topics,
            "questions": ["问题 " + REFRESH]}
    return ("---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False) + "---\n\n"
            "# 指南\n\n正文。\n\n## 小标题 &amp; &lt;b&gt;粗 &#60;i&#62;\n\n依照 [[反家庭暴力法#23]]。\n")


# An entry without a single 汉字 (English, Tibetan, Uyghur): search and related content must cope.
NO_HANZI_CASE = """slug: no-hanzi
title: "Protection order <script>alert(20)</script>"
provenance: {type: 示例}
summary: English only
facts: བོད་ཡིག་གི་དཔེ་མཚོན།
outcome: ئۇيغۇرچە مىسال
explanation: An example written without Chinese characters.
citations:
  - {law: 反家庭暴力法, article: 23}
"""


def _payload_for(value: str) -> str:
    # by value, so a name used twice (a region in site.yaml and in a station) stays the same
    return PAYLOADS[sum(map(ord, value)) % len(PAYLOADS)]


def hostile(data, key: str = ""):
    """Every free-text string of a parsed YAML file with a payload added."""
    if isinstance(data, dict):
        if set(data) >= {"law", "article"} and data["law"] not in ("反家庭暴力法", "人身安全保护令规定"):
            return dict(CITE)
        out = {}
        for k, v in data.items():
            if k in ("source_url", "url") and isinstance(v, str):
                out[k] = v + URL_PAYLOAD
            elif k == "short_name" and "articles" in data:   # a law: keep the old name resolvable
                out[k] = v + " " + _payload_for(v)
            elif k in KEEP:
                out[k] = v if k != "highlights" else [
                    c for c in v if c.get("law") in ("反家庭暴力法", "人身安全保护令规定")]
            else:
                out[k] = hostile(v, k)
        if "short_name" in data and "articles" in data:
            out["aliases"] = list(data.get("aliases") or []) + [data["short_name"]]
        return out
    if isinstance(data, list):
        if key == "topics":   # one hostile topic shared by all (a topic used once is taken for a typo)
            return [*data, TOPIC_PAYLOAD]
        return [hostile(v, key) for v in data]
    if isinstance(data, str) and key in ("name", "province", "city", "county", "township", "label"):   # leaflet headers: room for a few characters
        return data + "<b>'\""
    if isinstance(data, str) and key not in KEEP:
        return data + " " + _payload_for(data)
    return data


def make_hostile_project(dest: Path) -> Path:
    project = copy_project(dest)
    content = project / "content"
    for f in (content / "laws").glob("*.yaml"):
        if f.stem not in LAWS:
            f.unlink()
    for f in (content / "guides").glob("*.md"):
        f.unlink()
    (content / "guides" / "hostile.md").write_text(GUIDE, encoding="utf-8")
    for slug, (title, topics) in MORE_GUIDES.items():
        (content / "guides" / f"{slug}.md").write_text(more_guide(title, topics), encoding="utf-8")
    (content / "synonyms.yaml").unlink(missing_ok=True)   # its terms are checked against all the content
    (content / "cases" / "no-hanzi.yaml").write_text(NO_HANZI_CASE, encoding="utf-8")
    keep_cases = set()
    for f in sorted((content / "cases").glob("*.yaml")):
        data = yaml.safe_load(f.read_text(encoding="utf-8"))
        if not all(c["law"] in ("反家庭暴力法", "人身安全保护令规定") for c in data["citations"]):
            f.unlink()
            continue
        keep_cases.add(data["slug"])
    for f in [content / "site.yaml", *content.glob("*/*.yaml")]:
        if f.parent.name == "laws" or f.name == "pinyin.yaml":
            data = yaml.safe_load(f.read_text(encoding="utf-8"))
            if f.parent.name == "laws":
                f.write_text(yaml.safe_dump(hostile(data), allow_unicode=True, sort_keys=False), encoding="utf-8")
            continue
        data = hostile(yaml.safe_load(f.read_text(encoding="utf-8")))
        if f.parent.name == "campaigns":
            data["leaflet"]["cases"] = [c for c in data["leaflet"].get("cases", []) if c in keep_cases]
        f.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return project


@pytest.fixture(scope="session")
def hostile_site(tmp_path_factory) -> Path:
    project = make_hostile_project(tmp_path_factory.mktemp("hostile"))
    result = run(BIN / "weiquan", "build", "--config", project / "mkdocs.yml", cwd=project, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    return project / "site"


@functools.lru_cache(maxsize=None)
def template_hashes(project: Path) -> frozenset[str]:
    from mkdocs.config import load_config
    from weiquan.site.csp import template_script_hashes
    config = load_config(str(project / "mkdocs.yml"))
    return frozenset(template_script_hashes(config.theme.get_env(), {"config": config}))


class _Audit(html.parser.HTMLParser):
    """Tags and attributes content must never produce."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.bad: list[str] = []

    def handle_starttag(self, tag, attrs):
        for k, v in attrs:
            v = re.sub(r"[\x00-\x20]", "", v or "").lower()
            if k.startswith("on"):
                self.bad.append(f"<{tag} {k}=…>")
            if k in ("href", "src", "action", "formaction") and v.startswith(("javascript:", "data:text", "vbscript:")):
                self.bad.append(f"<{tag} {k}={v[:30]}>")
        if tag == "img" and dict(attrs).get("src") == "x":
            self.bad.append("<img src=x> from content")
        equiv = (dict(attrs).get("http-equiv") or "").lower()
        refresh_to = (dict(attrs).get("content") or "") if equiv == "refresh" else ""
        if tag == "meta" and equiv and (equiv not in ("content-security-policy", "refresh")
                                        or "evil.example" in refresh_to):   # go.html: the exit URL
            self.bad.append(f"<meta http-equiv={equiv}> from content")
        if tag in ("b", "iframe", "object", "embed", "base"):
            self.bad.append(f"<{tag}> from content")   # no template or generator writes these
        for k, v in attrs:
            if ("evil.example" in (v or "") and k in ("href", "src", "action", "formaction", "id")) \
                    or "\x02" in (v or "") or "wzxhzdk" in (v or ""):
                self.bad.append(f"<{tag} {k}={v[:40]}>")


def pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def test_hostile_content_builds_inert(hostile_site):
    from weiquan.site.csp import inline_scripts, script_hash
    allowed = template_hashes(hostile_site.parent)
    csp_re = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">')
    files = pages(hostile_site)
    assert len(files) > 10
    for p in files:
        text = p.read_text("utf-8")
        rel = p.relative_to(hostile_site).as_posix()
        csp = csp_re.search(text).group(1)
        hashes = set(re.findall(r"'sha256-[^']+'", csp))
        assert hashes == allowed, f"{rel}: CSP hashes differ from the templates' set"
        for body in inline_scripts(text):
            assert script_hash(body) in allowed and "alert(" not in body, f"{rel}: foreign inline script {body[:60]}"
        audit = _Audit()
        audit.feed(text)
        assert not audit.bad, (rel, audit.bad[:5])
        assert "\x02" not in text and "\x03" not in text and "wzxhzdk" not in text, f"{rel}: Markdown placeholder"
    case = next(p for p in files if "/cases/" in p.as_posix() and p.parent.name != "cases")
    assert "&lt;script&gt;" in case.read_text("utf-8") or "&lt;img" in case.read_text("utf-8")


def test_hostile_search_and_pinyin_payloads_are_data(hostile_site):
    """Search shards and pinyin payloads are external JS files (<script src>): content in them is
    a JSON string literal, so it can only end up as data (the browser test shows it as text)."""
    files = list((hostile_site / "search").rglob("*.js")) + list(hostile_site.rglob("*.pinyin.js"))
    assert files
    literal = re.compile(r'"(?:[^"\\\n]|\\.)*"')
    for p in files:
        code = literal.sub('""', p.read_text("utf-8"))   # what is left is the files' own code
        assert "alert(" not in code and "<script" not in code, p


def test_hostile_leaflets_show_payload_as_text(hostile_site):
    pdfs = sorted((hostile_site / "leaflets").rglob("*.pdf"))
    assert pdfs, "no leaflets built"
    text = subprocess.run(["pdftotext", str(pdfs[0]), "-"], capture_output=True, text=True, check=True).stdout
    assert "alert(" in text or "#eval" in text or "{{" in text, "payload should be printed as text"


@pytest.fixture(scope="module")
def hostile_server(hostile_site):
    handler = functools.partial(_QuietHandler, directory=str(hostile_site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


WATCH = ("window.__wqCsp = []; document.addEventListener('securitypolicyviolation',"
         " e => window.__wqCsp.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + (e.sample || '')));")


@pytest.mark.browser
def test_hostile_pages_in_chromium(hostile_site, hostile_server, browser):
    context = browser.new_context(viewport={"width": 360, "height": 740}, service_workers="block")
    context.add_init_script(WATCH)
    dialogs: list[str] = []
    page = context.new_page()
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.route("https://**", lambda route: route.abort())
    shown = 0
    try:
        for p in pages(hostile_site):
            rel = p.relative_to(hostile_site).as_posix()
            page.goto(hostile_server + rel, wait_until="load")
            page.wait_for_timeout(30)
            page.wait_for_load_state("load")   # a page that forwards (offline entry) has arrived
            try:
                violations = page.evaluate("window.__wqCsp")
            except Exception:   # the page forwarded (go.html): check where it arrived
                page.wait_for_timeout(500)
                violations = page.evaluate("window.__wqCsp")
            assert not violations, (rel, violations)
            body = page.inner_text("body")
            shown += sum(1 for pl in ("<script>alert(", "onerror=alert(", "onload=alert(", "{{ 7*7 }}") if pl in body)
        assert shown > 20, "payloads should be shown as text"
        # the hostile guide: shortcode labels and headings are text
        page.goto(hostile_server + "guides/hostile/")
        body = page.inner_text("article")
        assert "<script>alert(16)</script>" in body and 'javascript:alert(17) {: onclick="alert(17)"}' in body
        assert "{{ 7*7 }}" in body and "javascript:alert(14)" in body
        # search results show the payload as text
        page.goto(hostile_server)
        page.fill("#wq-search-input", "指南标题")
        page.wait_for_selector(".wq-result", timeout=10000)
        assert "<script>alert(11)</script>" in page.inner_text(".wq-search__results")
        # the pinyin aid swaps in annotated HTML: still inert
        page.goto(hostile_server + "guides/hostile/")
        toggle = page.locator(".wq-pinyin-toggle").first
        if toggle.is_visible():
            toggle.click()
            page.wait_for_timeout(500)
        assert not page.evaluate("window.__wqCsp")
        assert not dialogs, dialogs
    finally:
        context.close()


@pytest.mark.browser
def test_404_works_at_any_depth_and_from_file(hostile_site, hostile_server, browser):
    """The server shows 404.html for /a/b/c/missing; the offline edition opens it from file://.
    Either way its styles, scripts and the search index load from the site root."""
    body = (hostile_site / "404.html").read_bytes()
    for url in (hostile_server + "a/b/c/missing", (hostile_site / "404.html").as_uri()):
        context = browser.new_context(viewport={"width": 360, "height": 740}, service_workers="block")
        page = context.new_page()
        failed, requested = [], []
        page.on("requestfailed", lambda r: failed.append(r.url))
        page.on("request", lambda r: requested.append(r.url))
        page.route(hostile_server + "a/b/c/missing",
                   lambda route: route.fulfill(status=404, content_type="text/html; charset=utf-8", body=body))
        try:
            page.goto(url, wait_until="load")
            page.fill("#wq-search-input", "指南标题")
            page.wait_for_selector(".wq-result", timeout=10000)
            assert not failed, (url, failed)
            assert not [r for r in requested if "//search/" in r.split("://", 1)[1][:9] or "http://search" in r]
            assert page.evaluate("getComputedStyle(document.querySelector('.md-header')).position") != "static"
        finally:
            context.close()
