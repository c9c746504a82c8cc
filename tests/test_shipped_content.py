"""The shipped content (content/, which editors change) checks and builds. This is the only test
that reads content/: every other test uses the test content (tests/fixtures/content, see
tests/conftest.py), so an editor's change to content/ can break this test and no other."""

from __future__ import annotations

import pytest

from conftest import BIN, ROOT, run


@pytest.mark.slow
def test_shipped_content_checks_and_builds(tmp_path):
    check = run(BIN / "weiquan", "check", "content", cwd=ROOT, check=False)
    assert check.returncode == 0, check.stdout + check.stderr
    assert check.stdout.startswith("内容无误"), check.stdout
    site = tmp_path / "site"   # as deploy.yml builds it (leaflets too), not into ROOT/site
    build = run(BIN / "weiquan", "build", "--site-dir", site, cwd=ROOT, check=False)
    assert build.returncode == 0, build.stdout + build.stderr
    assert "Traceback" not in build.stdout + build.stderr
    assert (site / "index.html").is_file() and list(site.glob("leaflets/*/*.pdf"))
