"""Content problems: `path:line: 中文说明 (English hint)`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    zh: str
    en: str = ""
    col: int = 0       # 1-based column when known (YAML syntax errors)

    def __str__(self) -> str:
        """One line, always: a value quoted in a message cannot start a new line in a log
        (where CI reads `::command` lines)."""
        hint = f" ({self.en})" if self.en else ""
        where = f"{self.line}:{self.col}" if self.col else f"{self.line}"
        return one_line(f"{self.path}:{where}: {self.zh}{hint}")


_BREAKS_RE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def one_line(text: str) -> str:
    """Text with line breaks and other control characters shown as escapes (\\n, \\u2028)."""
    return _BREAKS_RE.sub(lambda m: m.group(0).encode("unicode_escape").decode("ascii"), text)


class ContentError(Exception):
    """Raised when content has problems; carries all of them."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems, key=lambda p: (p.path, p.line, p.col, p.zh, p.en))
        super().__init__("\n".join(str(p) for p in self.problems))


def display_path(path: Path, root: Path) -> str:
    """Path as shown in messages: relative to the project (content/…) when possible."""
    path = Path(path)
    path = path.parent.resolve() / path.name   # a symlink is shown by its own name
    for base in (Path(root).resolve().parent, Path.cwd()):
        try:
            return path.relative_to(base).as_posix()
        except ValueError:
            continue
    return path.as_posix()


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github_annotation(problem: Problem, title: str = "weiquan check") -> str:
    """A GitHub Actions workflow command: shown on the changed line of a pull request."""
    props = [f"file={_escape_property(problem.path)}", f"line={problem.line}"]
    if problem.col:
        props.append(f"col={problem.col}")
    props.append(f"title={_escape_property(title)}")
    hint = f" ({problem.en})" if problem.en else ""
    return f"::error {','.join(props)}::{_escape_data(problem.zh + hint)}"


def as_dict(problem: Problem) -> dict:
    return {"file": problem.path, "line": problem.line, "col": problem.col or None,
            "message": problem.zh, "hint": problem.en}
