#!/usr/bin/env python3
"""Phone benchmark: what a cheap Android phone downloads before a page is complete, and when
its largest text appears.

    scripts/bench_phone.py                 # builds the example site into a temporary folder
    scripts/bench_phone.py --site site     # measures an already built site folder

Profile (Chromium via CDP): 360×740 viewport, 150 ms latency, 400 kbit/s down, 150 kbit/s up,
CPU slowed 4×, cache and service workers off. The site is served over HTTP with compression
as nginx or a CDN would: a precompressed `<file>.gz` when the site ships one, otherwise gzip
level 6 on the fly. "bytes to load" = encoded (on-the-wire) body bytes of every response that
finished before the load event (HTML, CSS, JS, fonts, images); LCP = the last
largest-contentful-paint entry. Median of --runs runs per page type. Figures measured before
issue 16's changes (commit b54624c, same profile) are printed beside.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_PY = ROOT / ".venv" / "bin" / "python"
if VENV_PY.exists() and Path(sys.prefix).resolve() != (ROOT / ".venv").resolve() \
        and not os.environ.get("WEIQUAN_BENCH_NO_REEXEC"):
    os.execv(str(VENV_PY), [str(VENV_PY), str(Path(__file__).resolve()), *sys.argv[1:]])

import argparse  # noqa: E402
import functools  # noqa: E402
import gzip  # noqa: E402
import http.server  # noqa: E402
import mimetypes  # noqa: E402
import shutil  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402

CHROMIUM = os.environ.get("WEIQUAN_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run", "--disable-quic", "--disable-sync"]
PROFILE = {"latency": 150, "down": 400_000 / 8, "up": 150_000 / 8, "cpu": 4, "width": 360, "height": 740}

# page type -> path in the site (directory URLs)
PAGES = {
    "home": "",
    "guide": "guides/jiabao-zenmeban/",
    "law page": "laws/fan-jiating-baoli-fa/",
    "county page": "stations/99/9901/990101/",
}
# Measured on the build of commit b54624c (before issue 16), this profile, median of 3:
# (bytes to the load event, LCP in seconds). Three quarters of the bytes were Material's
# bundle.js (34.2 KB) and main.css (22.3 KB).
BEFORE = {
    "home": (79.1 * 1024, 2.24),
    "guide": (79.0 * 1024, 1.97),
    "law page": (81.9 * 1024, 1.88),
    "county page": (79.8 * 1024, 1.91),
}
BUDGET_BYTES, BUDGET_LCP = 50 * 1024, 2.5
TEXT_TYPES = (".html", ".css", ".js", ".json", ".svg", ".xml", ".webmanifest", ".txt")


class CompressingHandler(http.server.SimpleHTTPRequestHandler):
    """Static files with Content-Encoding: gzip (precompressed .gz first, else gzip -6)."""

    def log_message(self, *args):
        pass

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?")[0].endswith("/"):
                return super().send_head()
            path = path / "index.html"
        if not path.is_file() or path.suffix not in TEXT_TYPES \
                or "gzip" not in self.headers.get("Accept-Encoding", ""):
            return super().send_head()
        pre = path.with_name(path.name + ".gz")
        body = pre.read_bytes() if pre.is_file() else gzip.compress(path.read_bytes(), 6)
        ctype = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        if ctype.startswith("text/") or path.suffix == ".js":
            ctype += "; charset=utf-8"
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        import io
        return io.BytesIO(body)


def serve(site: Path):
    handler = functools.partial(CompressingHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


LCP_JS = """() => new Promise(resolve => {
  let last = 0;
  new PerformanceObserver(list => { for (const e of list.getEntries()) last = e.startTime; })
    .observe({type: 'largest-contentful-paint', buffered: true});
  setTimeout(() => resolve(last), 300);
})"""


def measure(browser, url: str) -> dict:
    context = browser.new_context(viewport={"width": PROFILE["width"], "height": PROFILE["height"]},
                                  service_workers="block", device_scale_factor=2, is_mobile=True,
                                  has_touch=True)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    cdp.send("Network.emulateNetworkConditions", {
        "offline": False, "latency": PROFILE["latency"], "downloadThroughput": PROFILE["down"],
        "uploadThroughput": PROFILE["up"]})
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": PROFILE["cpu"]})
    requests, finished, load = {}, {}, {}
    cdp.on("Network.requestWillBeSent", lambda e: requests.setdefault(e["requestId"], e["request"]["url"]))
    cdp.on("Network.loadingFinished", lambda e: finished.__setitem__(e["requestId"], (e["timestamp"], e["encodedDataLength"])))
    cdp.on("Page.loadEventFired", lambda e: load.setdefault("t", e["timestamp"]))
    cdp.send("Page.enable")
    responses = {}
    cdp.on("Network.responseReceived", lambda e: responses.__setitem__(e["requestId"], e["response"]))
    page.goto(url, wait_until="load", timeout=120_000)
    page.wait_for_timeout(200)
    lcp = page.evaluate(LCP_JS) / 1000
    t_load = load.get("t", float("inf"))
    files, total = [], 0
    for rid, (ts, _enc) in finished.items():
        if ts > t_load or rid not in requests or requests[rid].startswith("data:"):
            continue
        resp = responses.get(rid, {})
        # encodedDataLength includes headers; count the body as sent (Content-Length)
        headers = {k.lower(): v for k, v in resp.get("headers", {}).items()}
        size = int(headers.get("content-length", _enc))
        total += size
        files.append((requests[rid][len(url.split("/", 3)[0]) + 2:], size))
    context.close()
    return {"bytes": total, "lcp": lcp, "files": files}


def build_example(out: Path) -> Path:
    for name in ("mkdocs.yml", "content", "overrides"):
        src = ROOT / name
        (shutil.copytree if src.is_dir() else shutil.copy2)(src, out / name)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    r = subprocess.run([str(Path(sys.executable).parent / "weiquan"), "build", "--config", str(out / "mkdocs.yml")],
                       cwd=out, env=env, capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(r.stdout + r.stderr)
    return out / "site"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--site", type=Path, help="a built site folder (default: build the example site)")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--files", action="store_true", help="list the files loaded per page")
    args = ap.parse_args()
    tmp = None
    if args.site is None:
        tmp = Path(tempfile.mkdtemp(prefix="weiquan-bench-phone-"))
        site = build_example(tmp)
    else:
        site = args.site.resolve()
    from playwright.sync_api import sync_playwright
    server, base = serve(site)
    rows = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            for kind, path in PAGES.items():
                runs = [measure(browser, base + path) for _ in range(args.runs)]
                b = statistics.median(r["bytes"] for r in runs)
                lcp = statistics.median(r["lcp"] for r in runs)
                rows.append((kind, path, b, lcp, runs[0]["files"]))
            browser.close()
    finally:
        server.shutdown()
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)
    print(f"Phone profile: {PROFILE['width']}×{PROFILE['height']}, {PROFILE['latency']} ms, "
          f"{PROFILE['down'] * 8 / 1000:.0f}/{PROFILE['up'] * 8 / 1000:.0f} kbit/s, CPU {PROFILE['cpu']}×, gzip; "
          f"median of {args.runs}\n")
    print("| page type | bytes to load (before) | bytes to load (now) | LCP (before) | LCP (now) | budget |")
    print("|---|---|---|---|---|---|")
    for kind, path, b, lcp, files in rows:
        bb, bl = BEFORE.get(kind, (0, 0))
        ok = "ok" if b <= BUDGET_BYTES and lcp <= BUDGET_LCP else "OVER"
        print(f"| {kind} (/{path}) | {bb / 1024:.1f} KB | {b / 1024:.1f} KB | {bl:.2f} s | {lcp:.2f} s | "
              f"≤ 50 KB, ≤ 2.5 s: {ok} |")
    if args.files:
        for kind, path, b, lcp, files in rows:
            print(f"\n{kind}:")
            for name, size in sorted(files, key=lambda f: -f[1]):
                print(f"  {size / 1024:7.1f} KB  {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
