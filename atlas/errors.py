"""Problems found in content or config, and the exception that carries them to the CLI."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

import click

from atlas.text import printable

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Problem:
    """One finding, printed as `path:line: message` (the contract's error format)."""

    path: str
    line: int
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        prefix = "warning: " if self.severity == "warning" else ""
        # one problem is one line, whatever a value or a file name holds: a newline in either
        # would forge further `path:line:` lines (which CI systems read as annotations)
        return printable(f"{self.path}:{self.line}: {prefix}{self.message}")


MAX_PER_FILE = 100  # a hostile file must not print millions of lines; the first hundred tell enough


def capped(problems: Iterable[Problem]) -> list[Problem]:
    """The problems sorted, at most MAX_PER_FILE of each file, then "… and N more" for that file."""
    result: list[Problem] = []
    by_path: dict[str, list[Problem]] = {}
    for problem in sorted(problems):
        by_path.setdefault(problem.path, []).append(problem)
    for path, found in by_path.items():
        result += found[:MAX_PER_FILE]
        if len(found) > MAX_PER_FILE:
            rest = found[MAX_PER_FILE:]
            severity: Severity = "error" if errors_of(rest) else "warning"
            result.append(Problem(path, rest[0].line, f"… and {len(rest)} more problems in this file", severity))
    return result


def errors_of(problems: Iterable[Problem]) -> list[Problem]:
    """The problems that stop a build."""
    return [p for p in problems if p.severity == "error"]


class AtlasError(click.ClickException):
    """A domain error with a plain message; exit code 1, no traceback."""

    exit_code = 1

    def format_message(self) -> str:
        return printable(self.message)  # a path or slug from the command line may hold controls too


class ContentError(AtlasError):
    """The content or config has errors. Every problem of the run is printed, one per line."""

    def __init__(self, problems: Iterable[Problem], *, outcome: str = "nothing was written") -> None:
        self.everything = list(problems)
        self.problems = capped(self.everything)
        errors = len(errors_of(self.everything))
        warnings = len(self.everything) - errors
        super().__init__(f"{_count(errors, 'error')}" + (f", {_count(warnings, 'warning')}" if warnings else "")
                         + (f"; {outcome}." if outcome else "."))

    def show(self, file: object = None) -> None:
        """Problems on stderr, one per line (the contract's format); the count on stdout."""
        for problem in self.problems:
            click.echo(str(problem), err=True)
        click.echo(self.message)


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'s' if n != 1 else ''}"
