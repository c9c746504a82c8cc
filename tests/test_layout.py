"""The package layout shows the flow and imports point one way:
cli → build → outputs (site, search, leaflets, lawtext) → content → zh (docs/dev/architecture.md).
MkDocs and its theme are reached only through the adapter package weiquan_mkdocs, which imports
only weiquan.build (and mkdocs)."""

from __future__ import annotations

import ast
import sys
import tomllib
from importlib.metadata import entry_points
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
PKG = ROOT / "weiquan"
ADAPTER = ROOT / "weiquan_mkdocs"
ENGINE = ("mkdocs", "material")   # the site engine and its theme: only the adapter may import mkdocs
RANK = {"zh": 0, "content": 1, "site": 2, "search": 2, "leaflets": 2, "lawtext": 2, "build": 3, "cli": 4}
OUTPUTS = {"site", "search", "leaflets", "lawtext"}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(path: Path) -> set[str]:
    """Every module imported by path (module level and inside functions), by absolute name."""
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            found.add(mod)
            found |= {f"{mod}.{a.name}" for a in node.names
                      if (ROOT / f"{mod}.{a.name}".replace(".", "/")).with_suffix(".py").exists()}
    return found


def _stage(mod: str) -> str | None:
    parts = mod.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "weiquan" and parts[1] in RANK else None


def violations(files: list[Path]) -> list[str]:
    bad = []
    for f in files:
        me = _stage(_module_name(f))
        for mod in sorted(imports_of(f)):
            top = mod.split(".")[0]
            if top in ENGINE:
                bad.append(f"{f.relative_to(ROOT)} imports {mod} (weiquan never imports mkdocs or its theme)")
                continue
            if top == ADAPTER.name:
                bad.append(f"{f.relative_to(ROOT)} imports {mod} (weiquan never imports its MkDocs adapter)")
                continue
            other = _stage(mod)
            if me is None or other is None or other == me:
                continue
            if RANK[other] > RANK[me]:
                bad.append(f"{f.relative_to(ROOT)} ({me}) imports {mod} ({other}): points up")
            elif me in OUTPUTS and other in OUTPUTS:
                bad.append(f"{f.relative_to(ROOT)} ({me}) imports {mod} ({other}): one output imports another")
    return bad


def test_imports_point_one_way():
    assert violations(sorted(PKG.rglob("*.py"))) == []


def test_no_import_cycle_between_modules():
    graph = {_module_name(f): {m for m in imports_of(f) if (PKG.parent / m.replace(".", "/")).with_suffix(".py").exists()
                               or (PKG.parent / m.replace(".", "/") / "__init__.py").exists()}
             for f in PKG.rglob("*.py")}
    # package __init__ files re-export their own modules; a cycle through them is not one between modules
    graph = {k: {m for m in v if not (m == k or k == m.rpartition(".")[0] or m == k.rpartition(".")[0])} for k, v in graph.items()}
    state: dict[str, int] = {}
    cycles = []

    def visit(node, stack):
        state[node] = 1
        for nxt in graph.get(node, ()):
            if state.get(nxt) == 1:
                cycles.append(stack[stack.index(nxt):] + [nxt] if nxt in stack else [node, nxt])
            elif nxt not in state:
                visit(nxt, stack + [nxt])
        state[node] = 2

    for n in sorted(graph):
        if n not in state:
            visit(n, [n])
    assert cycles == []


def adapter_violations(files: list[Path]) -> list[str]:
    """The adapter imports weiquan.build, mkdocs and the standard library, nothing else (not the
    theme: a successor to Material is then a change of this package and overrides/ only)."""
    bad = []
    for f in files:
        for mod in sorted(imports_of(f)):
            top = mod.split(".")[0]
            if mod == "weiquan.build" or mod.startswith("weiquan.build.") or top in ("mkdocs", ADAPTER.name) \
                    or top in sys.stdlib_module_names or top == "__future__":
                continue
            bad.append(f"{f.relative_to(ROOT)} imports {mod} (the adapter imports only weiquan.build and mkdocs)")
    return bad


def test_adapter_imports_only_build_and_mkdocs():
    files = sorted(ADAPTER.rglob("*.py"))
    assert any("weiquan.build" in imports_of(f) for f in files)
    assert adapter_violations(files) == []


def test_mkdocs_reaches_weiquan_through_the_plugin_only():
    """The plugin is registered as an entry point and is the only way mkdocs.yml reaches weiquan
    (no hooks: files, no environment variables between `weiquan build` and the engine)."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["entry-points"]["mkdocs.plugins"] == {"weiquan": "weiquan_mkdocs.plugin:WeiquanPlugin"}
    assert [e.value for e in entry_points(group="mkdocs.plugins", name="weiquan")] == \
        ["weiquan_mkdocs.plugin:WeiquanPlugin"], "reinstall: pip install -e ."
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    assert "hooks" not in config and list(config["plugins"]) == ["weiquan"]
    code = "".join(p.read_text(encoding="utf-8") for p in [*PKG.rglob("*.py"), *ADAPTER.rglob("*.py")])
    assert "environ" not in (ADAPTER / "plugin.py").read_text(encoding="utf-8")
    assert "WEIQUAN_CHECKED_CONTENT" not in code and "WEIQUAN_LEAFLETS_DIR" not in code and "WEIQUAN_PREVIEW" not in code


def test_top_level_is_the_stage_packages():
    modules = sorted(p.name for p in PKG.glob("*.py"))
    packages = sorted(p.name for p in PKG.iterdir() if (p / "__init__.py").exists())
    assert modules == ["__init__.py"]
    assert packages == sorted(RANK)
    for pkg in packages:
        doc = ast.get_docstring(ast.parse((PKG / pkg / "__init__.py").read_text(encoding="utf-8")))
        assert doc, f"weiquan/{pkg}/__init__.py needs a one-line docstring saying what it owns"


@pytest.mark.parametrize("src, expected", [
    ("from weiquan.site.html import esc\n", "one output imports another"),
    ("from weiquan.build import prepare\n", "points up"),
    ("import mkdocs\n", "never imports mkdocs"),
    ("from material.plugins.search.plugin import SearchPlugin\n", "never imports mkdocs or its theme"),
    ("from weiquan_mkdocs.plugin import WeiquanPlugin\n", "never imports its MkDocs adapter"),
])
def test_the_rule_catches_a_wrong_import(tmp_path, monkeypatch, src, expected):
    """The checker itself fails on a bad import (so the passing test above means something)."""
    fake = PKG / "search" / "_layout_probe.py"
    fake.write_text(src, encoding="utf-8")
    try:
        assert any(expected in v for v in violations([fake]))
    finally:
        fake.unlink()


@pytest.mark.parametrize("src, bad", [
    ("from weiquan.site.html import esc\n", True),
    ("import weiquan.content.loader\n", True),
    ("from weiquan import site\n", True),
    ("import material\n", True),
    ("import yaml\n", True),
    ("from weiquan.build import prepare\nfrom weiquan.build.pagecache import REUSE\n", False),
    ("import os\nfrom mkdocs.plugins import BasePlugin\nfrom weiquan_mkdocs import plugin\n", False),
])
def test_the_adapter_rule_catches_a_wrong_import(src, bad):
    fake = ADAPTER / "_layout_probe.py"
    fake.write_text(src, encoding="utf-8")
    try:
        assert bool(adapter_violations([fake])) is bad, adapter_violations([fake])
    finally:
        fake.unlink()
