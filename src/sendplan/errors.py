"""One error hierarchy for sendplan; each error knows its exit code.

Exit codes (README, "Exit codes"): 0 ok, 1 a check failed, 2 bad input or usage.
The CLI catches :class:`SendplanError` in one place and prints ``str(error)``
to stderr, so messages here must be complete sentences a user can act on, and
must never contain personal data from person-level lists.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import NamedTuple

EXIT_OK = 0
EXIT_CHECK_FAILED = 1
EXIT_BAD_INPUT = 2


def did_you_mean(word: str, candidates: Iterable[str], n: int = 3) -> list[str]:
    """The candidates closest to ``word``, best first (may be empty)."""
    from difflib import get_close_matches  # only on the error path: 3 ms of start-up

    return get_close_matches(word, list(candidates), n=n, cutoff=0.6)


def suggestion_text(word: str, candidates: Iterable[str]) -> str | None:
    """``did you mean `x`?`` for the nearest candidate, else None."""
    close = did_you_mean(word, candidates, n=1)
    return f"did you mean `{close[0]}`?" if close else None


class SendplanError(Exception):
    """Base of every error sendplan reports to a user."""

    exit_code = EXIT_BAD_INPUT


class UsageError(SendplanError):
    """A command-line value is wrong (a date that is not a date, say)."""


class CheckFailed(SendplanError):
    """A ``--check`` found something to act on (exit 1)."""

    exit_code = EXIT_CHECK_FAILED


class Problem(NamedTuple):
    """One problem in an input file: where it is and what to do about it."""

    file: str
    line: int | None
    key: str
    message: str
    suggestion: str | None = None

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        key = f" {self.key}:" if self.key else ""
        hint = f" ({self.suggestion})" if self.suggestion else ""
        return f"{where}:{key} {self.message}{hint}"


class CaseFileError(SendplanError):
    """A case file could not be read or is not valid; lists every problem."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class RuleError(SendplanError):
    """The packaged or user-supplied rules data is inconsistent."""
