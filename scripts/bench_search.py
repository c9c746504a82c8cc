"""National-scale search benchmark (synthetic stations/cases/campaigns + all corpus laws).

    .venv/bin/python scripts/bench_search.py [--out /tmp/wq-bench] [--throttle 4]

Builds the static index, then in headless Chromium (file://, CDP CPU throttling) measures for
each query (fresh browser context each time): search bytes before focus (must be 0), bytes
(gzip) of all index files loaded from focus to the final results (the manifest loads on focus;
the query is typed 1 s later, pinyin key by key at 120 ms, 汉字 committed at once as an IME
does), and time from the last keystroke to results rendered.  Also prints the size of a Material/lunr-style search_index.json for the same docs,
which Material fetches whole at page load.

    .venv/bin/python scripts/bench_search.py --material SITE [--throttle 4]

measures Material's built-in search the same way on SITE, a site built by plain MkDocs +
Material with its ``search`` plugin (``lang: zh``), e.g. the bench's national plain Markdown
(``scripts/bench --scale national --keep``, then add the plugin to ``plain/mkdocs.yml``).

    pip install 'pagefind[extended]'; python -m pagefind --site SITE
    .venv/bin/python scripts/bench_search.py --pagefind SITE

does the same for Pagefind's default UI on the plain site (no search plugin). Neither runs
from file://, so SITE is served over http on 127.0.0.1.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from search_docs import CHROMIUM, CHROMIUM_ARGS, national_docs, render_test_site  # noqa: E402

from weiquan.search import index as S  # noqa: E402

QUERIES = [  # (query, typed char by char?)
    ("jtbl", True),
    ("家庭暴力", False),
    ("反家暴法 23条", False),
    ("rsaqbhl", True),
    ("jiatingbaoli", True),
    ("婦女權益", False),
    ("民法典 1043条", False),
    ("TOWN", False),
    ("TOWNPY", True),
    # everyday words (stop words, thesaurus of content/synonyms.yaml) and queries that find nothing
    ("老公打我怎么办", False),
    ("离婚孩子归谁", False),
    ("没钱请律师", False),
    ("12338", True),
    ("qqxxzz", True),
    ("鼹鼠蝌蚪", False),
    # sound-alike typos (a wrong character from the pinyin keyboard; pinyin typed with a letter missing),
    # a dialect word and a long spoken question (issue 25)
    ("告戒书", False),
    ("家廷暴力怎么办", False),
    ("baohulin", True),
    ("堂客要离婚", False),
    ("我跟他说了好多次了他还是天天喝酒喝完就摔东西骂人我现在都不敢回家了怎么办", False),
]
MISSES = {"qqxxzz", "鼹鼠蝌蚪"}


def gz(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), 6))


# Other engines, measured the same way on a site built from the same pages (see module doc).
ENGINES = {
    "material": dict(page="", open='label[for="__search"]', input=".md-search__input",
                     item=".md-search-result__item", message=".md-search-result__meta", none="没有找到",
                     data="search/"),
    "pagefind": dict(page="wq-pagefind-test.html", open=None, input=".pagefind-ui__search-input",
                     item=".pagefind-ui__result", message=".pagefind-ui__message", none="未找到|没有|No results",
                     data="pagefind/"),
}
PAGEFIND_PAGE = """<!doctype html><html lang="zh"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1"><title>Pagefind</title>
<link href="pagefind/pagefind-ui.css" rel="stylesheet"><script src="pagefind/pagefind-ui.js"></script></head>
<body><div id="search"></div><script>
window.addEventListener("DOMContentLoaded", () => new PagefindUI({element: "#search", showSubResults: false}));
</script></body></html>
"""


def engine_search(engine: str, site: Path, throttle: float, queries: list[str], timeout_s: float = 900) -> None:
    """Another engine's search on a built site, over http on 127.0.0.1: bytes of its search
    data fetched before typing and up to the first result, and the time from the last
    keystroke to the first result (or to its settled "no result" message)."""
    import functools
    import http.server
    import threading
    from playwright.sync_api import sync_playwright

    e = ENGINES[engine]
    if engine == "pagefind":
        (site / e["page"]).write_text(PAGEFIND_PAGE, encoding="utf-8")
    data = site / e["data"]
    total = sum(p.stat().st_size for p in data.rglob("*") if p.is_file())
    print(f"{engine} search data: {total / 1e6:.1f} MB in {sum(1 for p in data.rglob('*') if p.is_file()):,} files")

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *a):
            pass
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"

    def gz_of(urls) -> int:   # as served with gzip (Pagefind's files are compressed already)
        out = 0
        for u in set(urls):
            f = site / u[len(base):].split("?")[0]
            if f.is_file():
                out += f.stat().st_size if f.suffix in (".pf_meta", ".pf_index", ".pf_fragment", ".pf_filter",
                                                        ".pagefind") else gz(f)
        return out
    rows = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for q in queries:
            ctx = browser.new_context(viewport={"width": 360, "height": 640})
            page = ctx.new_page()
            ctx.new_cdp_session(page).send("Emulation.setCPUThrottlingRate", {"rate": throttle})
            fetched: list[str] = []
            page.on("requestfinished", lambda r: fetched.append(r.url))
            t_load = time.perf_counter()
            page.goto(base + e["page"])
            page.wait_for_load_state("load")
            page.wait_for_timeout(1000)
            before = [u for u in fetched if f"/{e['data']}" in u]
            if e["open"]:
                page.locator(e["open"]).first.click()
            box = page.locator(e["input"])
            box.focus()
            page.wait_for_function("() => true")   # Playwright's own in-page script, before the query
            page.wait_for_timeout(1000)             # as for weiquan: a person reaches for the keyboard
            page.keyboard.insert_text(q)
            page.evaluate("window.__wqT0 = performance.now()")
            try:
                # The first result, or the engine's "no result" line once it has stayed 2 s
                # (Material shows it briefly while its results are being rendered).
                page.wait_for_function("""([item, message, none]) => {
                    const t = performance.now(), it = document.querySelector(item);
                    const meta = (document.querySelector(message) || {}).textContent || '';
                    if (it) { window.__wqEnd = window.__wqEnd || t; return true; }
                    if (new RegExp(none).test(meta)) { window.__wqNone = window.__wqNone || t; return t - window.__wqNone > 2000; }
                    window.__wqNone = 0; return false; }""", arg=[e["item"], e["message"], e["none"]],
                    timeout=timeout_s * 1000, polling=50)
                ms = page.evaluate("(window.__wqEnd || window.__wqNone) - window.__wqT0")
                to_results = [u for u in fetched if f"/{e['data']}" in u]
                page.wait_for_timeout(1000)   # items are appended after the count line
                n = page.locator(e["item"]).count()
            except Exception:
                ms, n, to_results = None, 0, []
            ready = time.perf_counter() - t_load
            rows.append((q, gz_of(before), gz_of(to_results), len(set(to_results)), ms, ready, n))
            ctx.close()
        browser.close()
    server.shutdown()
    print(f"\n{engine} search, Chromium, http, CPU throttling {throttle}x, 360px"
          + (" (Material builds its index in a Web Worker, which the throttling does not slow)" if engine == "material" else "") + ":")
    print(f"{'query':14} {'KB gz before typing':>19} {'KB gz to results':>16} {'files':>5} {'ms after last key':>17} {'s from load':>11} {'items':>5}")
    for q, b, tr, nf, ms, ready, n in rows:
        print(f"{q:14} {b / 1024:19.1f} {tr / 1024:16.1f} {nf:5d} {'timeout' if ms is None else f'{ms:.0f}':>17} {ready:11.1f} {n:5d}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--material", type=Path, metavar="SITE",
                    help="measure Material's built-in search on SITE (built with its search plugin) instead")
    ap.add_argument("--pagefind", type=Path, metavar="SITE",
                    help="measure Pagefind's default UI on SITE (indexed with `python -m pagefind --site SITE`)")
    ap.add_argument("--queries", nargs="*", default=["家庭暴力", "北宫镇", "jtbl"],
                    help="queries for --material / --pagefind (default: 家庭暴力 北宫镇 jtbl)")
    ap.add_argument("--out", default="/tmp/wq-bench")
    ap.add_argument("--throttle", type=float, default=4)
    ap.add_argument("--no-browser", action="store_true")
    ap.add_argument("--reuse", action="store_true", help="skip the build, use the index in --out")
    a = ap.parse_args()
    if a.material or a.pagefind:
        engine_search("material" if a.material else "pagefind", a.material or a.pagefind, a.throttle, a.queries)
        return
    site = Path(a.out)
    t0 = time.time()
    docs = national_docs()
    kinds: dict[str, int] = {}
    for d in docs:
        kinds[d["kind"]] = kinds.get(d["kind"], 0) + 1
    t1 = time.time()
    from weiquan.content.synonyms import load_thesaurus
    from weiquan.zh.reading import load_overrides
    from weiquan.zh.terms import Rules
    content = Path(__file__).resolve().parent.parent / "content"
    words = load_thesaurus(content, lambda *x: None).words
    for d in docs:          # law names kept whole, as the site build does
        if d["kind"] == "law":
            words.update({n: [] for n in d["keywords"] if n not in words})
    rules = Rules(words, readings=load_overrides(content / "pinyin.yaml"))   # texts read as the reading aid does
    print(f"thesaurus: {len(rules.syn)} words, {sum(map(len, rules.syn.values()))} meanings")
    stats = None if a.reuse else S.build_search_index(docs, site / "search", rules=rules)
    t2 = time.time()
    print(f"docs {len(docs)} {kinds}; generated in {t1 - t0:.1f}s, index built in {t2 - t1:.1f}s")
    print(json.dumps(stats, ensure_ascii=False))
    lunr = {"config": {"lang": ["zh"]}, "docs": [{"location": d["url"], "title": d["title"], "text": d.get("text", "")} for d in docs]}
    raw = json.dumps(lunr, ensure_ascii=False).encode()
    print(f"Material-style search_index.json: {len(raw) / 1e6:.1f} MB raw, {len(gzip.compress(raw, 6)) / 1e6:.2f} MB gzip (fetched at page load)")
    js = Path(__file__).resolve().parent.parent / "overrides/assets/javascripts/wq-search.js"
    core = js.with_name("wq-search-core.js")
    print(f"client wq-search.js: {js.stat().st_size} B raw, {gz(js)} B gzip (loaded with the page, defer); "
          f"wq-search-core.js: {core.stat().st_size} B raw, {gz(core)} B gzip (loaded on focus, counted below)")

    station = next(d for d in docs if d["kind"] == "station" and d["keywords"][0].endswith("镇"))
    town = station["keywords"][0]
    from pypinyin import Style, lazy_pinyin
    town_py = "".join(lazy_pinyin(town[:-1], style=Style.NORMAL))
    queries = [(town if q == "TOWN" else town_py if q == "TOWNPY" else q, typed) for q, typed in QUERIES]
    print("\nPython reference lookup (cold, per query):")
    for q, _ in queries:
        res, info = S.query(site / "search", q, 8, detail=True)
        print(f"  {q:14} {info['bytes_gzip'] / 1024:6.1f} KB gz in {len(info['files'])} files; top: {[r['id'] for r in res[:3]]}")
    if a.no_browser:
        return

    from playwright.sync_api import sync_playwright
    page_path = render_test_site(site)
    rows = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for q, typed in queries:
            ctx = browser.new_context(viewport={"width": 360, "height": 640})
            page = ctx.new_page()
            cdp = ctx.new_cdp_session(page)
            cdp.send("Emulation.setCPUThrottlingRate", {"rate": a.throttle})
            req: list[str] = []
            page.on("request", lambda r: req.append(r.url))
            page.goto(page_path.as_uri())
            page.wait_for_load_state("load")
            before = [u for u in req if "/search/" in u]
            # Playwright compiles its own in-page polling script on first use; under 4x throttling
            # that takes ~70 ms of the page's main thread, so do it before the measured query.
            page.wait_for_function("() => true")
            box = page.locator("#wq-search-input")
            box.focus()
            page.wait_for_timeout(1000)             # a person reaches for the keyboard / IME
            if typed:
                box.press_sequentially(q, delay=120)
            else:
                page.keyboard.insert_text(q)        # IME commits the 汉字 at once
            page.wait_for_function("q => window.wqSearch.stats && window.wqSearch.stats.q === q", arg=q, timeout=30_000)
            st = page.evaluate("window.wqSearch.stats")
            files = sorted({u for u in req if "/search/" in u or u.endswith("wq-search-core.js")})
            size = sum(gz(Path(u.replace("file://", ""))) for u in files)
            rows.append((q, len(before), size, len(files), st["ms"], st["full"], st["n"], st["ids"][:2]))
            ctx.close()
        browser.close()
    print(f"\nChromium, file://, CPU throttling {a.throttle}x, 360px:")
    print("(ms after the last key until the first results show / until all 8 of the first page do)")
    print(f"{'query':14} {'before':>6} {'KB gz to results':>16} {'files':>5} {'ms first':>8} {'ms page':>7} {'hits':>5}  top")
    for q, b, size, nf, ms, full, n, ids in rows:
        print(f"{q:14} {b:6d} {size / 1024:16.1f} {nf:5d} {ms:8.0f} {full:7.0f} {n:5d}  {ids}")
    # a miss is a query that found nothing (qqxxzz can still match stations by their initials)
    hit = [r for r in rows if r[6] > 0]
    miss = [r for r in rows if r[6] == 0]
    if hit and miss:
        print(f"hit:  max {max(r[2] for r in hit) / 1024:.1f} KB gz, max {max(r[4] for r in hit):.0f} ms; "
              f"miss: max {max(r[2] for r in miss) / 1024:.1f} KB gz, max {max(r[4] for r in miss):.0f} ms "
              f"({len(miss)} misses: {', '.join(r[0] for r in miss)}; the panel then shows the help, tested in test_search_everyday)")


if __name__ == "__main__":
    main()
