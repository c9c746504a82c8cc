"""The offline edition: the whole site as one zip that works opened from file:// (no server,
no signal). Pages link to `…/index.html` instead of `…/`, so the build uses
`use_directory_urls: false` (a setting of the config `weiquan build` writes for the engine)."""

from __future__ import annotations

import tempfile
import zipfile
from pathlib import Path

from weiquan.build.publish import build_site

SITE_FOLDER = "site"
OPEN_ME = "打开我.html"

OPEN_ME_HTML = """<!doctype html>
<html lang="zh">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<meta http-equiv="refresh" content="0; url={site}/index.html">
<title>打开网站</title>
</head>
<body style="font:18px/1.7 sans-serif;margin:1.5em">
<p><a href="{site}/index.html">点这里打开网站（离线版）</a></p>
</body>
</html>
"""

README_TXT = """维权网站 · 离线版
==================

不用网络也能看：
1. 把这个压缩包解压（手机的“文件管理”里点它，选“解压”）。
2. 用浏览器打开“{open_me}”（或者 {site}/index.html）。

所有页面、服务站名录和求助电话都在里面。看过的页面不会上传到任何地方。
有危险请立即拨打 110。妇女维权热线 12338。

Offline edition: unzip, then open {open_me} (or {site}/index.html) in a browser.
"""


def build_offline_site(config_path: Path, site_dir: Path) -> None:
    """Build the site (pages and leaflets) with use_directory_urls: false into site_dir."""
    code = build_site(Path(config_path).resolve(), site_dir, quiet=True, compress=False,
                      settings={"use_directory_urls": False})
    if code != 0:
        raise RuntimeError("离线版生成失败 (offline build failed); see the messages above")


def zip_site(site_dir: Path, out_zip: Path) -> Path:
    """Zip site_dir as site/… with 打开我.html and README.txt at the top."""
    out_zip = Path(out_zip)
    out_zip.parent.mkdir(parents=True, exist_ok=True)
    tmp = out_zip.with_name(out_zip.name + ".part")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr(OPEN_ME, OPEN_ME_HTML.format(site=SITE_FOLDER))
        zf.writestr("README.txt", README_TXT.format(open_me=OPEN_ME, site=SITE_FOLDER).replace("\n", "\r\n"))
        for path in sorted(site_dir.rglob("*")):
            rel = path.relative_to(site_dir).as_posix()
            # No use offline: source maps, precompressed copies, the service worker and app
            # manifest (never registered from file://), the neutral page of 一键离开 (http only).
            if path.is_dir() or rel.endswith((".map", ".gz", ".br")) or rel in ("sw.js", "manifest.webmanifest", "go.html"):
                continue
            zf.write(path, f"{SITE_FOLDER}/{rel}")
    tmp.replace(out_zip)
    return out_zip


def build_offline(config_path: Path, out_zip: Path) -> Path:
    """Build the offline edition of the site configured by config_path into out_zip."""
    with tempfile.TemporaryDirectory(prefix="weiquan-offline-") as tmp:
        site_dir = Path(tmp) / "site"
        build_offline_site(Path(config_path), site_dir)
        return zip_site(site_dir, Path(out_zip))
