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


def errors_of(problems: Iterable[Problem], *, strict: bool = False) -> list[Problem]:
    """The problems that stop a build: errors, and with `strict` warnings too."""
    return [p for p in problems if p.severity == "error" or strict]


class AtlasError(click.ClickException):
    """A domain error with a plain message; exit code 1, no traceback."""

    exit_code = 1


class ContentError(AtlasError):
    """The content or config has errors. Every problem of the run is printed, one per line."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = sorted(problems)
        count = len(self.problems)
        super().__init__(f"{count} problem{'s' if count != 1 else ''} found")

    def show(self, file: object = None) -> None:
        for problem in self.problems:
            click.echo(str(problem), err=True)
