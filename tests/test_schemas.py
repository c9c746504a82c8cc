"""The JSON Schemas editors get in VS Code agree with `weiquan check`: every file of the test content
validates (with a real JSON Schema validator, formats checked), a set of bad files fails both,
every field has a Chinese title and description, and the committed schemas are up to date."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import jsonschema
import pytest

from conftest import FIXTURE_CONTENT, example_content
from test_editor_errors import CAMPAIGN, CASE, GUIDE, problems, tiny_content
from weiquan.content.loader import FRONT_MATTER_RE
from weiquan.content.schema import schemas
from weiquan.content.yamlload import load_yaml, read_content_file

ROOT = Path(__file__).resolve().parents[1]
FOLDERS = {"laws": "law", "cases": "case", "stations": "station", "campaigns": "campaign", "forms": "form"}
SINGLE = {"site.yaml": "site", "pinyin.yaml": "pinyin", "synonyms.yaml": "synonyms"}


def schema_for(path: Path) -> str:
    if path.parent.name == "guides":
        return "guide"
    return SINGLE.get(path.name) or FOLDERS[path.parent.name]


def plain(x):
    """What an editor's YAML language server sees: dates are text, numbers are numbers."""
    if isinstance(x, dict):
        return {str(k): plain(v) for k, v in x.items()}
    if isinstance(x, list):
        return [plain(v) for v in x]
    if isinstance(x, dt.date):
        return x.isoformat()
    if isinstance(x, float):
        return float(x)
    return x


def schema_errors(path: Path) -> list[str]:
    text = read_content_file(path)
    if path.suffix == ".md":
        text = FRONT_MATTER_RE.match(text).group(1)
    schema = json.loads((ROOT / "schemas" / f"{schema_for(path)}.schema.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(plain(load_yaml(text)))]


def content_files() -> list[Path]:
    content = example_content()   # the test content with its laws
    files = [content / name for name in SINGLE if (content / name).exists()]
    for folder in FOLDERS:
        files += sorted((content / folder).glob("*.yaml"))
    return files + sorted((content / "guides").glob("*.md"))


def test_schemas_are_up_to_date():
    """`weiquan schema --out schemas` was run after the last model change."""
    for name, schema in schemas().items():
        committed = ROOT / "schemas" / name
        assert committed.exists(), f"schemas/{name} missing: run weiquan schema --out schemas"
        assert json.loads(committed.read_text(encoding="utf-8")) == schema, \
            f"schemas/{name} is out of date: run weiquan schema --out schemas"


def test_every_content_file_validates_against_its_schema():
    files = content_files()
    assert len(files) > 40 and {schema_for(f) for f in files} >= {"site", "law", "case", "station", "campaign",
                                                                   "guide", "pinyin"}
    failures = {str(f.relative_to(example_content().parent)): errs for f in files if (errs := schema_errors(f))}
    assert failures == {}


def test_every_field_has_a_chinese_title_and_description():
    def han(s):
        return any("\u4e00" <= c <= "\u9fff" for c in s or "")
    gaps = []
    for name, schema in schemas().items():
        for model, node in [("", schema), *schema.get("$defs", {}).items()]:
            for field, prop in (node.get("properties") or {}).items():
                if not (han(prop.get("title")) and han(prop.get("description"))):
                    gaps.append(f"{name} {model}.{field}")
    assert gaps == []


# Each: (file in the tiny content, its new text). Each must fail jsonschema and `weiquan check`.
STATION = (FIXTURE_CONTENT / "stations" / "chengguan.yaml").read_text(encoding="utf-8")
BAD = {
    "misspelt key": ("cases/test-case.yaml", CASE.replace("outcome:", "outcom:")),
    "missing key": ("cases/test-case.yaml", CASE.replace("facts: 事实。\n", "")),
    "blank title": ("cases/test-case.yaml", CASE.replace("title: 测试案例", 'title: "  "')),
    "bad slug": ("cases/test-case.yaml", CASE.replace("slug: test-case", "slug: Test_Case")),
    "decimal article": ("cases/test-case.yaml", CASE.replace("article: 23}", "article: 23.5}")),
    "published without publisher": ("cases/test-case.yaml", CASE.replace("type: 示例", "type: 已发布")),
    "no citations": ("cases/test-case.yaml", CASE.split("citations:")[0] + "citations: []\n"),
    "bad kind": ("stations/chengguan.yaml", STATION.replace("kind: 维权服务站", "kind: 维权服务点")),
    "yes for true": ("stations/chengguan.yaml", STATION.replace("example: true", "example: yes")),
    "no phones": ("stations/chengguan.yaml", STATION.split("phones:")[0] + "phones: []\n" +
                  STATION.split("phones:")[1].split("\nhours:", 1)[1].join(["hours:", ""])),
    "impossible date": ("campaigns/c.yaml", CAMPAIGN.replace("end: 2027-03-08", "end: 2027-02-30")),
    "quoted year": ("campaigns/c.yaml", CAMPAIGN.replace("start:", 'year: "2027"\nstart:')),
    "decimal time": ("campaigns/c.yaml", CAMPAIGN.replace("time: 14:30", "time: 9.30")),
    "no dates": ("campaigns/c.yaml", CAMPAIGN.replace("start: 2027-03-01\nend: 2027-03-08\n", "")),
    "nested unknown key": ("campaigns/c.yaml", CAMPAIGN.replace("    place: 广场", "    plase: 广场")),
    "guide order as text": ("guides/g.md", GUIDE.replace("title: 指南", 'title: 指南\norder: "1"')),
    "guide unknown key": ("guides/g.md", GUIDE.replace("title: 指南", "title: 指南\ntopic: [离婚]")),
    "pinyin number": ("pinyin.yaml", "还款: 123\n"),
    "site hotline without label": ("site.yaml", None),
}
GOOD = {
    "integer article and unquoted time": ("campaigns/c.yaml", CAMPAIGN),
    "integer phone number": ("stations/chengguan.yaml", STATION.replace('number: "12338"', "number: 12338")),
    "pinyin entry": ("pinyin.yaml", '还款: "huán kuǎn"\n'),
}


def _apply(content: Path, rel: str, text: str | None) -> Path:
    path = content / rel
    if text is None:   # site.yaml: drop the first hotline's label
        text = path.read_text(encoding="utf-8")
        start = text.index("label:", text.index("hotlines:"))
        start = text.rindex("\n", 0, start) + 1
        text = text[:start] + text[text.index("\n", start) + 1:]
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("mistake", sorted(BAD))
def test_bad_files_fail_schema_and_check(tmp_path, mistake):
    content = tiny_content(tmp_path / "content")
    path = _apply(content, *BAD[mistake])
    assert schema_errors(path), f"{mistake}: the schema accepts it"
    found = problems(content)
    assert len(found) == 1, f"{mistake}: one mistake, one message: {found}"


@pytest.mark.parametrize("case", sorted(GOOD))
def test_good_variants_pass_schema_and_check(tmp_path, case):
    content = tiny_content(tmp_path / "content")
    path = _apply(content, *GOOD[case])
    assert schema_errors(path) == []
    assert problems(content) == []


def test_vscode_maps_every_folder_to_a_schema():
    settings = json.loads((ROOT / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    mapping = settings["yaml.schemas"]
    for schema, pattern in mapping.items():
        if any(ROOT.glob(pattern)):   # content of this kind exists: its schema must too
            assert (ROOT / schema).is_file(), schema
    assert {f"schemas/{name}" for name in schemas()} <= set(mapping)
    covered = {Path(s).name.split(".")[0] for s in mapping}
    assert covered >= {"site", "law", "case", "station", "campaign", "pinyin"}
    assert settings["files.encoding"] == "utf8" and settings["files.eol"] == "\n"
    extensions = json.loads((ROOT / ".vscode" / "extensions.json").read_text(encoding="utf-8"))
    assert "redhat.vscode-yaml" in extensions["recommendations"]
