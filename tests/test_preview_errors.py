"""`mkdocs serve` with a content mistake: the browser gets a page listing the problems (file:line)
instead of a hanging request, the preview recovers once the file is fixed, and SIGTERM stops the
server and every worker process it started."""

from __future__ import annotations

import os
import re
import shutil
import urllib.parse
import urllib.request
import signal
import subprocess
import time
from pathlib import Path

import pytest

from conftest import BIN, ROOT
from test_editor_errors import CASE, tiny_content
from test_preview import _free_port, _wait_for


def _get(url: str) -> tuple[int, str]:
    import urllib.error
    import urllib.request
    try:
        with urllib.request.urlopen(url, timeout=30) as r:
            return r.status, r.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8")
    except Exception:
        return 0, ""


def _children(pid: int) -> set[int]:
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True).stdout
    return {int(x) for x in out.split()}


@pytest.mark.slow   # mkdocs serve: builds and rebuilds a site
def test_serve_shows_errors_in_the_browser_recovers_and_stops_on_sigterm(tmp_path):
    for name in ("mkdocs.yml", "overrides"):
        src = ROOT / name
        (shutil.copytree if src.is_dir() else shutil.copy2)(src, tmp_path / name)
    content = tiny_content(tmp_path / "content")
    case = content / "cases" / "test-case.yaml"
    case.write_text(CASE.replace("facts: ", "facts:"), encoding="utf-8")   # broken from the start
    port = _free_port()
    log = tmp_path / "serve.log"
    with open(log, "w") as out:
        proc = subprocess.Popen([BIN / "mkdocs", "serve", "-a", f"127.0.0.1:{port}"], cwd=tmp_path,
                                stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
                                env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    try:
        url = f"http://127.0.0.1:{port}/cases/test-case/"
        status, page = _wait_for(lambda: (r := _get(url))[1] and r, 180, "the error page", log)
        assert "内容有 1 个问题，预览暂停" in page
        assert "content/cases/test-case.yaml:6:7" in page and "冒号后缺空格" in page
        assert "/livereload/" in page   # reloads itself once the content is fixed

        case.write_text(CASE, encoding="utf-8")
        _wait_for(lambda: "测试案例" in _get(url)[1] and "预览暂停" not in _get(url)[1], 180, "the fixed page", log)
        assert _get(url)[0] == 200

        # The same for a file saved as GBK while the preview runs, and back.
        case.write_text(CASE, encoding="gbk")
        _wait_for(lambda: "看起来是 GBK/GB18030" in _get(url)[1], 180, "the encoding error page", log)
        assert "content/cases/test-case.yaml:1" in _get(url)[1]
        case.write_text(CASE, encoding="utf-8")
        _wait_for(lambda: "预览暂停" not in (p := _get(url)[1]) and "测试案例" in p, 180, "the page again", log)

        # A multi-line value (a calendar's text) is ordinary content: the page shows it.
        camp_file = content / "campaigns" / "c.yaml"
        camp_file.write_text(camp_file.read_text(encoding="utf-8").replace(
            "    activity: 宣传\n", "    activity: |\n      宣传第一行\n      BEGIN:VEVENT 第二行\n"), encoding="utf-8")
        _wait_for(lambda: "宣传第一行" in _get(f"http://127.0.0.1:{port}/campaigns/c/")[1], 180,
                  "the multi-line activity", log)

        # Leaflets are rendered in the background, then the preview rebuilds once and links them.
        camp = f"http://127.0.0.1:{port}/campaigns/c/"
        page = _wait_for(lambda: ".pdf" in (p := _get(camp)[1]) and p, 240, "leaflet links", log)
        href = re.search(r'href="([^"]+\.pdf)"', page).group(1)
        pdf = urllib.request.urlopen(urllib.parse.urljoin(camp, href), timeout=30).read()
        assert pdf.startswith(b"%PDF")

        workers = _children(proc.pid)
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(120) == 0
        def alive():
            return {pid: Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ")[:120]
                    for pid in workers if Path(f"/proc/{pid}/cmdline").exists()
                    and b"(python" in Path(f"/proc/{pid}/stat").read_bytes() and
                    Path(f"/proc/{pid}/stat").read_bytes().split()[2] != b"Z"}
        end = time.monotonic() + 15   # the resource tracker exits once its pipe closes
        while alive() and time.monotonic() < end:
            time.sleep(0.5)
        assert workers and alive() == {}, f"worker processes left after SIGTERM: {alive()}"
        assert "Traceback" not in log.read_text(encoding="utf-8")
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
