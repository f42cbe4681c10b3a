"""Problems found in content or config, and the exception that carries them to the CLI."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

import click

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
        return f"{self.path}:{self.line}: {prefix}{self.message}"


def errors_of(problems: Iterable[Problem]) -> list[Problem]:
    """The problems that stop a build."""
    return [p for p in problems if p.severity == "error"]


class AtlasError(click.ClickException):
    """A domain error with a plain message; exit code 1, no traceback."""

    exit_code = 1


class ContentError(AtlasError):
    """The content or config has errors. Every problem of the run is printed, one per line."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = sorted(problems)
        errors = len(errors_of(self.problems))
        warnings = len(self.problems) - errors
        super().__init__(f"{_count(errors, 'error')}" + (f", {_count(warnings, 'warning')}" if warnings else "")
                         + "; nothing was written.")

    def show(self, file: object = None) -> None:
        """Problems on stderr, one per line (the contract's format); the count on stdout."""
        for problem in self.problems:
            click.echo(str(problem), err=True)
        click.echo(self.message)


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'s' if n != 1 else ''}"
