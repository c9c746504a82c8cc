"""Reading content files: UTF-8 only (with a clear message for GBK/UTF-16), size limits, and
YAML that keeps what the editor wrote.

YAML rule (like YAML 1.2's core schema, stricter): only these plain (unquoted) values are not text
  - true / false (also True, TRUE, False, FALSE)       → yes/no/on/off/y/n stay text
  - null, ~ or nothing                                 → empty
  - 0, 23, -5 (no leading zero)                        → whole numbers; 0123 stays text
  - 1.5 (digits, a point, digits)                      → decimal numbers; 1e3, .5, .inf stay text
  - 2027-03-01                                         → dates; 14:30 (no base 60) stays text
Anchors and aliases (& and *), merge keys (<<) and tags (!!python/…) are refused.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path
from typing import Any, Optional

import yaml

MAX_FILE_BYTES = 2 * 1024 * 1024          # one case, station, guide … (a law may be larger)
MAX_LAW_FILE_BYTES = 16 * 1024 * 1024     # 民法典 is about 0.5 MB
MAX_FIELD_CHARS = 20_000                  # one YAML value


class LineMap(dict):
    """A mapping that knows where it and each of its keys are (1-based lines)."""

    line: int = 1
    key_lines: dict


class LineList(list):
    line: int = 1
    item_lines: list


class YamlFloat(float):
    """A decimal number that remembers how it was written (9.30), for messages."""

    source: str = ""


class YamlSyntaxError(Exception):
    """A file that cannot be read or parsed: 1-based line and column, Chinese message, English hint."""

    def __init__(self, line: int, message: str, col: int = 0, en: str = "YAML syntax error"):
        self.line, self.col, self.message, self.en = line, col, message, en
        super().__init__(f"{line}:{col}: {message}")


# ---- reading files --------------------------------------------------------------------------

RESAVE_HOW = ("请另存为 UTF-8 编码：VS Code 里点窗口右下角的编码名称，先选“通过编码重新打开”→{enc}，"
              "再点一次选“通过编码保存”→“UTF-8”；Windows 记事本里选“文件”→“另存为”，"
              "在“编码”里选“UTF-8”后保存")
ENCODING_NAMES = {
    "gb18030": "GBK/GB18030（中文 Windows 常用的编码）",
    "big5": "Big5（繁体中文编码）",
    "utf-16": "UTF-16",
    "utf-16-le": "UTF-16 LE（没有 BOM）",
    "utf-16-be": "UTF-16 BE（没有 BOM）",
    "utf-32": "UTF-32",
}
VSCODE_NAMES = {"gb18030": "“GB 18030”或“GBK”", "big5": "“Big5”", "utf-16": "“UTF-16 LE”",
                "utf-16-le": "“UTF-16 LE”", "utf-16-be": "“UTF-16 BE”", "utf-32": "UTF-32"}


def guess_encoding(raw: bytes) -> str | None:
    """The encoding a non-UTF-8 file looks like (key of ENCODING_NAMES), or None if unknown."""
    if raw.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return "utf-32"
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    sample = raw[:4096]
    if len(sample) >= 2 and sample.count(0) * 4 >= len(sample):   # ASCII text in UTF-16: every other byte 0
        odd_zero = sample[1::2].count(0) >= sample[0::2].count(0)
        return "utf-16-le" if odd_zero else "utf-16-be"
    for enc in ("gb18030", "big5"):
        try:
            raw.decode(enc)
            return enc
        except UnicodeDecodeError:
            continue
    return None


def decode_content(raw: bytes) -> str:
    """UTF-8 (a UTF-8 BOM is fine) → text; anything else raises YamlSyntaxError at its first bad line."""
    try:
        if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) and not raw.startswith(codecs.BOM_UTF8):
            raise UnicodeDecodeError("utf-8", raw, 0, 2, "UTF-16 BOM")
        text = raw.decode("utf-8-sig")
        if "\x00" in text:
            raise UnicodeDecodeError("utf-8", raw, raw.index(b"\x00"), raw.index(b"\x00") + 1, "NUL byte")
    except UnicodeDecodeError as exc:
        enc = guess_encoding(raw)
        line = 1 if enc and enc.startswith("utf-") else raw[: exc.start].count(b"\n") + 1
        if enc is None:
            raise YamlSyntaxError(line, "文件不是 UTF-8 编码，也不像常见的中文编码（可能不是文本文件）。"
                                  + RESAVE_HOW.format(enc="原来的编码"), en="file is not UTF-8 text") from None
        raise YamlSyntaxError(
            line, f"文件不是 UTF-8 编码，看起来是 {ENCODING_NAMES[enc]}。" + RESAVE_HOW.format(enc=VSCODE_NAMES[enc]),
            en=f"file is not UTF-8; looks like {enc}") from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_content_file(path: Path, max_bytes: int = MAX_FILE_BYTES) -> str:
    """A content file's text; raises YamlSyntaxError (line 1 or the first bad line) when it is
    too large, not UTF-8 or unreadable."""
    return decode_content(read_content_bytes(path, max_bytes))


def read_content_bytes(path: Path, max_bytes: int = MAX_FILE_BYTES, size: Optional[int] = None) -> bytes:
    """A content file's bytes (see read_content_file); ``size``: its size when already known."""
    try:
        if size is None:
            size = Path(path).stat().st_size
        if size > max_bytes:
            raise YamlSyntaxError(1, f"文件太大（{size / 1024 / 1024:.1f} MB），一个文件最多 "
                                     f"{max_bytes / 1024 / 1024:.0f} MB；请拆成几个文件",
                                  en="file too large")
        with open(path, "rb") as fh:
            return fh.read()
    except OSError as exc:
        raise YamlSyntaxError(1, f"无法读取文件：{exc.strerror or exc}", en="cannot read file") from None


# Control characters a text may not hold (a newline and a tab are fine): a bare CR or a form feed
# ends a line in calendars and some readers, and nobody types them on purpose.
CONTROL_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")


def control_problem(text: str) -> Optional[str]:
    """Chinese message for the first control character in text, or None."""
    m = CONTROL_RE.search(text)
    if not m:
        return None
    code = f"U+{ord(m.group(0)):04X}"
    name = {"\r": "回车符 CR", "\x0b": "垂直制表符", "\x0c": "换页符", "\x1b": "ESC",
            "\u2028": "行分隔符", "\u2029": "段分隔符"}.get(m.group(0), "控制字符")
    return (f"这里有一个看不见的{name}（{code}），请删除：文字里只能有普通字符、空格和换行"
            f"（常见原因：从别处复制，或在引号里写了 \\r）")


# ---- YAML -----------------------------------------------------------------------------------

class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # libyaml when available: ~10x faster
    yaml_implicit_resolvers: dict = {}
    max_field = MAX_FIELD_CHARS

    def construct_object(self, node, deep=False):
        if node in self.constructed_objects:   # the same node twice: an alias (*name)
            raise _AliasUsed(node)
        if isinstance(node, yaml.ScalarNode) and len(node.value) > self.max_field:
            raise YamlSyntaxError(node.start_mark.line + 1,
                                  f"这一项太长（{len(node.value)} 字），一项最多 {self.max_field} 字",
                                  node.start_mark.column + 1, "value too long")
        if isinstance(node, yaml.ScalarNode) and (problem := control_problem(node.value)):
            raise YamlSyntaxError(node.start_mark.line + 1, problem, node.start_mark.column + 1,
                                  "control character in a value")
        return super().construct_object(node, deep)


class _AliasUsed(Exception):
    def __init__(self, node):
        self.node = node


_Loader.yaml_implicit_resolvers = {}
for _tag, _regexp, _first in [
    ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
    ("tag:yaml.org,2002:int", r"^[-+]?(?:0|[1-9][0-9]*)$", "-+0123456789"),
    ("tag:yaml.org,2002:float", r"^[-+]?(?:0|[1-9][0-9]*)\.[0-9]+$", "-+0123456789"),
    ("tag:yaml.org,2002:timestamp", r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$", "0123456789"),
]:
    _Loader.add_implicit_resolver(_tag, re.compile(_regexp), list(_first))


def _construct_timestamp(loader: _Loader, node: yaml.ScalarNode):
    """An impossible date (2027-02-30) stays text, so validation explains it with its line."""
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError:
        return loader.construct_scalar(node)


def _construct_float(loader: _Loader, node: yaml.ScalarNode) -> YamlFloat:
    value = YamlFloat(node.value)
    value.source = node.value
    return value


def _construct_unknown(loader: _Loader, node) -> None:
    raise YamlSyntaxError(node.start_mark.line + 1,
                          f"不支持 YAML 标签“{node.tag.replace('tag:yaml.org,2002:', '!!')}”：请去掉以 ! 开头的标记；若是文字，请加引号",
                          node.start_mark.column + 1, "YAML tags are not allowed")


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)
_Loader.add_constructor("tag:yaml.org,2002:float", _construct_float)
# plain mappings and lists: _build (below) makes them, with their lines
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, lambda loader, node: _build(loader, node, set()))
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, lambda loader, node: _build(loader, node, set()))
for _tag in ("tag:yaml.org,2002:binary", "tag:yaml.org,2002:set", "tag:yaml.org,2002:omap",
             "tag:yaml.org,2002:pairs"):
    _Loader.add_constructor(_tag, _construct_unknown)
_Loader.add_constructor(None, _construct_unknown)


_STR_TAG = "tag:yaml.org,2002:str"
_MAP_TAG = yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG
_SEQ_TAG = yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG


def _build(loader: _Loader, node, seen: set) -> Any:
    """The value of a composed node: what loader.construct_document(node) returns, with the same
    checks and errors, without PyYAML's generic construction machinery (about twice as fast;
    45,000 files at national scale). Text and plain mappings and lists are built here; other
    scalars (numbers, dates, null, true/false) and tagged collections by the loader's constructors."""
    if id(node) in seen:   # the same node twice: an alias (*name)
        raise _AliasUsed(node)
    seen.add(id(node))
    cls = node.__class__
    if cls is yaml.ScalarNode:
        value = node.value
        if node.tag != _STR_TAG or len(value) > _Loader.max_field or CONTROL_RE.search(value):
            return loader.construct_object(node)   # (its checks raise the errors)
        return value
    if cls is yaml.MappingNode and node.tag == _MAP_TAG:
        result = LineMap()
        result.line = node.start_mark.line + 1
        lines = result.key_lines = {}
        for key_node, value_node in node.value:
            key = _build(loader, key_node, seen)
            if not isinstance(key, (str, int, float, bool)) and key is not None:
                raise YamlSyntaxError(key_node.start_mark.line + 1, "键名只能是文字", key_node.start_mark.column + 1,
                                      "unhashable key")
            if key in result:
                raise YamlSyntaxError(key_node.start_mark.line + 1,
                                      f"键“{key}”重复（第 {lines[key]} 行已经写过），同一层里每个键只能写一次",
                                      key_node.start_mark.column + 1, f"duplicate key {key!r}")
            result[key] = _build(loader, value_node, seen)
            lines[key] = key_node.start_mark.line + 1
        return result
    if cls is yaml.SequenceNode and node.tag == _SEQ_TAG:
        result = LineList(_build(loader, child, seen) for child in node.value)
        result.line = node.start_mark.line + 1
        result.item_lines = [child.start_mark.line + 1 for child in node.value]
        return result
    return loader.construct_object(node, deep=True)


def load_yaml(text: str, first_line: int = 1) -> Any:
    """Parse one YAML document; raise YamlSyntaxError with a 1-based line and column."""
    offset = first_line - 1
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        data = _build(loader, node, set()) if node is not None else None
    except _AliasUsed:
        line, col = _alias_position(text)
        raise YamlSyntaxError(line + offset, "不支持 YAML 锚点和别名（& 和 *）：请把内容直接写出来；"
                              "若是文字，请加引号", col, "YAML aliases are not allowed") from None
    except YamlSyntaxError as exc:
        exc.line += offset
        raise
    except yaml.MarkedYAMLError as exc:
        line, col, zh = explain_syntax_error(text, exc)
        raise YamlSyntaxError(line + offset, zh, col) from None
    except yaml.YAMLError as exc:
        raise YamlSyntaxError(first_line, f"YAML 语法错误：{exc}") from None
    except RecursionError:
        raise YamlSyntaxError(first_line, "YAML 嵌套层数太多", en="YAML nested too deeply") from None
    finally:
        loader.dispose()
    _shift(data, offset)
    return data


def _alias_position(text: str) -> tuple[int, int]:
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, yaml.AliasEvent):
                return event.start_mark.line + 1, event.start_mark.column + 1
    except yaml.YAMLError:
        pass
    return 1, 0


_KEY_NO_SPACE = re.compile(r"^\s*(?:-\s+)?([^\s:#'\"][^:#]*?):(?=[^\s:/])")   # name:示例 (not 9:00, not http://)
_FULLWIDTH_COLON = re.compile(r"^\s*(?:-\s+)?[^\s:：#'\"][^:：#]*：")


def explain_syntax_error(text: str, exc: yaml.MarkedYAMLError) -> tuple[int, int, str]:
    """(line, column, Chinese message with the likely cause) for a PyYAML/libyaml error."""
    mark = exc.problem_mark or exc.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 0)
    problem, context = (exc.problem or "").strip(), (exc.context or "").strip()
    lines = text.split("\n")
    here = lines[line - 1] if 0 < line <= len(lines) else ""

    def near(pattern):   # this line or the few before it (the mistake is often one line up)
        for n in range(line, max(0, line - 4), -1):
            if n <= len(lines) and pattern.search(lines[n - 1]) and not _is_time(lines[n - 1]):
                return n
        return 0

    if "\t" in here[: max(col, 1)] or (problem.startswith("found character") and "\t" in here):
        tab_col = here.index("\t") + 1 if "\t" in here else col
        return line, tab_col, "使用了 Tab 键：YAML 只能用空格缩进和分隔，请把 Tab 换成空格"
    n = near(_FULLWIDTH_COLON)
    if n and ("mapping values" in problem or "expected" in problem or "could not find" in problem):
        return n, lines[n - 1].index("：") + 1, "使用了中文冒号“：”：键名后面要用英文冒号加空格“: ”"
    if "quoted scalar" in context:
        start = exc.context_mark
        q_line, q_col = (start.line + 1, start.column + 1) if start else (line, col)
        return q_line, q_col, "引号不配对：这里开始的引号没有结束（文字中间的引号请用中文引号“”）"
    if "mapping values are not allowed" in problem:
        n = near(_KEY_NO_SPACE)
        if n:
            m = _KEY_NO_SPACE.search(lines[n - 1])
            return n, m.end() + 1, f"冒号后缺空格：“{m.group(1)}:”后面要有一个空格"
        if re.search(r":\s.*:\s", here):
            return line, col, "一行里有两个“: ”：如果值里本来就有冒号，请给整个值加引号"
        return line, col, "缩进不一致：这一行比上一行多缩进了，或者值里有“: ”（请给值加引号）"
    if "could not find expected ':'" in problem or "simple key" in context:
        n = near(_KEY_NO_SPACE)
        if n:
            m = _KEY_NO_SPACE.search(lines[n - 1])
            return n, m.end() + 1, f"冒号后缺空格：“{m.group(1)}:”后面要有一个空格"
        return line, col, "缺少冒号：每一行应写成“键: 值”（英文冒号后加空格）"
    if "block mapping" in context or "block collection" in context or "block end" in problem \
            or "expected key" in problem or "'-' indicator" in problem:
        return line, col, "缩进不一致：同一层的键（或列表的“- ”）要用同样多的空格对齐"
    if "expected node content" in problem or "flow node" in context:
        return line, col, "这里缺少内容，或者方括号 [ ]、花括号 { } 没有配对"
    if "flow sequence" in context:
        return line, col, "方括号 [ ] 不配对，或列表项之间缺少英文逗号"
    if "flow mapping" in context:
        return line, col, "花括号 { } 不配对，或各项之间缺少英文逗号"
    if problem.startswith("found character") and here[col - 1: col] in "@`":
        return line, col, f"值不能以“{here[col - 1]}”开头：请给整个值加引号"
    if "anchor" in context or "alias" in context:
        return line, col, "不支持 YAML 锚点和别名（& 和 *）：以 & 或 * 开头的文字请加引号"
    if "tag" in context or "tag" in problem:
        return line, col, "不支持以 ! 开头的 YAML 标签：以 ! 开头的文字请加引号"
    if "document" in context or "document" in problem:
        return line, col, "文件里只能有一份内容：请删掉多余的“---”"
    return line, col, f"写法不对（{problem or context}）"


def _is_time(line: str) -> bool:
    return bool(re.search(r"\d:\d\d", line)) and not _KEY_NO_SPACE.search(re.sub(r"\d+:\d\d", "", line))


def _shift(data: Any, offset: int) -> None:
    if not offset:
        return
    if isinstance(data, LineMap):
        data.line += offset
        data.key_lines = {k: v + offset for k, v in data.key_lines.items()}
        for v in data.values():
            _shift(v, offset)
    elif isinstance(data, LineList):
        data.line += offset
        data.item_lines = [v + offset for v in data.item_lines]
        for v in data:
            _shift(v, offset)


def line_of(data: Any, loc: tuple) -> int:
    """Best line for a location path like ('phones', 0, 'number')."""
    line = getattr(data, "line", 1)
    node = data
    for part in loc:
        if isinstance(node, LineMap) and part in node:
            line = node.key_lines.get(part, line)
            node = node[part]
        elif isinstance(node, LineList) and isinstance(part, int) and 0 <= part < len(node):
            line = node.item_lines[part]
            node = node[part]
        else:
            break
    return line
