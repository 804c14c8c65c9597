"""One error hierarchy for sendplan; each error knows its exit code.

Exit codes (README, "Exit codes"): 0 ok, 1 a check failed, 2 bad input or usage.
The CLI catches :class:`SendplanError` in one place (``sendplan.cli.reporting``)
and prints the message to stderr, so messages here must be complete sentences
a user can act on, and must never contain personal data from person-level
lists.  Errors carry their facts as attributes (the paths, the parameter and
its value); wording that names a command-line flag (``--force``, ``--kind``)
is added by the CLI, so the core reads the same when used as a library.
"""

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path

from sendplan.namedtuples import NamedTuple

EXIT_OK = 0
EXIT_CHECK_FAILED = 1
EXIT_BAD_INPUT = 2


def _plain(word: str) -> str:
    """``word`` as compared for a suggestion: case, spaces, ``-`` and ``_`` ignored."""
    return re.sub(r"[\s_-]+", "", word.casefold())


def did_you_mean(
    word: str, candidates: Iterable[str], n: int = 3, described: Mapping[str, str] | None = None
) -> list[str]:
    """The candidates closest to ``word``, best first (may be empty).

    In order: the same word written differently (``Re-visit``: ``revisit``); a
    candidate that is one of the words given (``Full inspection``: ``full``); a
    candidate the word starts (``mon``: ``monitoring``); one whose description
    in ``described`` holds the word (``director``: ``dcs``, "Director of
    children's services"); else the nearest by spelling.
    """
    names = list(dict.fromkeys(candidates))
    plain = _plain(word)
    same = [c for c in names if _plain(c) == plain]
    words = {_plain(w) for w in word.split()}
    within = [c for c in names if _plain(c) in words]
    starts = [c for c in names if len(plain) >= 3 and _plain(c).startswith(plain)]
    for found in (same, within, starts):
        if found:
            return found[:n]
    if described and len(plain) >= 4:
        told = [
            c for c in names if plain in {_plain(w) for w in re.split(r"\W+", described.get(c, ""))}
        ]
        if told:
            return told[:n]
    from difflib import get_close_matches  # only on the error path: 3 ms of start-up

    folded = {c.casefold(): c for c in reversed(names)}
    return [folded[c] for c in get_close_matches(word.casefold(), list(folded), n=n, cutoff=0.6)]


def suggestion_text(
    word: str, candidates: Iterable[str], described: Mapping[str, str] | None = None
) -> str | None:
    """``did you mean `x`?`` for the nearest candidate, else None."""
    close = did_you_mean(word, candidates, n=1, described=described)
    return f"did you mean `{close[0]}`?" if close else None


def choice_hint(
    word: str, allowed: Iterable[str], described: Mapping[str, str] | None = None
) -> str:
    """What to write instead of ``word``: the nearest allowed value, or where none
    is close, every one (``one of: a, b, c``)."""
    allowed = list(allowed)
    return suggestion_text(word, allowed, described) or f"one of: {', '.join(allowed)}"


def _fill(template: str, parameters: Sequence[str], name: Callable[[str], str]) -> str:
    for parameter in parameters:
        template = template.replace(f"{{{parameter}}}", name(parameter))
    return template


def library_name(parameter: str) -> str:
    """How the core's own wording names a parameter: ```count```."""
    return f"`{parameter}`"


class Advice(str):
    """A message (a warning, a reason a rule is not met) naming parameters of the
    call as ``{name}`` fields, like :class:`SendplanError`: as a string it reads
    in the library's words (```count```); :meth:`worded` puts another name there
    (the CLI's flag, ``--count``)."""

    template: str
    parameters: tuple[str, ...]

    def __new__(cls, template: str, parameters: Sequence[str] = ()) -> "Advice":
        self = super().__new__(cls, _fill(template, parameters, library_name))
        self.template = template
        self.parameters = tuple(parameters)
        return self

    def worded(self, name: Callable[[str], str]) -> str:
        return _fill(self.template, self.parameters, name)

    def after(self, prefix: str) -> "Advice":
        """This advice behind ``prefix`` (plain text)."""
        return Advice(prefix + self.template, self.parameters)


def worded(text: str, name: Callable[[str], str]) -> str:
    """``text`` with the parameters it names written by ``name`` (plain text as is)."""
    return text.worded(name) if isinstance(text, Advice) else text


class SendplanError(Exception):
    """Base of every error sendplan reports to a user.

    A message that names a parameter of the call (``count``, ``workbook``)
    writes it as a ``{count}`` field and lists it in ``parameters``: ``str()``
    reads ```count``` (the library's words), and :func:`worded` lets the CLI
    put its flag there (``--count``).
    """

    exit_code = EXIT_BAD_INPUT
    #: The CLI prints ``sendplan: message``; a list of problems, one a line
    #: like a compiler's, is printed bare.
    prefixed = True

    def __init__(self, message: str = "", *, parameters: Sequence[str] = ()) -> None:
        self.template = message
        self.parameters = tuple(parameters)
        super().__init__(_fill(message, self.parameters, library_name))

    def worded(self, name: Callable[[str], str]) -> str:
        """The message with each ``{parameter}`` field written as ``name(parameter)``."""
        return _fill(self.template, self.parameters, name)


class UsageError(SendplanError):
    """A value given to sendplan is wrong (a kind that is not a kind, say).

    ``option`` names the parameter the value came from (``kind``, ``alarm``,
    ``who``) and ``value`` is the value; ``reason`` says what is wrong with it.
    The CLI names the flag (``--kind 'x' is not ...``).
    """

    def __init__(self, reason: str, *, option: str | None = None, value: object = None) -> None:
        self.reason = reason
        self.option = option
        self.value = value
        super().__init__(reason if option is None else f"{option} {value!r} {reason}")


class CheckFailed(SendplanError):
    """A check found something to act on (exit 1): overdue items under
    ``checklist --check``, errors in the lists, a rule of para 92 not met
    under ``select --strict``.  ``summary`` (may be empty) is what to say."""

    exit_code = EXIT_CHECK_FAILED

    def __init__(self, summary: str = "") -> None:
        self.summary = summary
        super().__init__(summary)


class OutputExists(SendplanError):
    """Output files exist and were not to be replaced (``paths``)."""

    def __init__(self, paths: Sequence[str | Path]) -> None:
        self.paths = tuple(str(p) for p in paths)
        verb = "exists" if len(self.paths) == 1 else "exist"
        super().__init__(f"{', '.join(self.paths)} already {verb}")


class InputError(SendplanError):
    """A file given to sendplan cannot be read: missing, not a regular file, too big."""


class WriteError(SendplanError):
    """A file could not be written (a read-only folder, a full disk, no such folder)."""


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


class InvalidCaseFile(CaseFileError):
    """``sendplan validate``'s verdict: the problems alone, one a line."""

    prefixed = False


class RuleError(SendplanError):
    """The packaged or user-supplied rules data is inconsistent."""


class UnknownItem(UsageError):
    """An item id or pattern that matches nothing in the checklist (exit 2)."""


class HistoryError(SendplanError):
    """The inspection record cannot be read, or a local area is not in it."""


class LetterError(SendplanError):
    """A template is missing, unsafe, or needs something the case does not give."""


class MissingCaseData(LetterError):
    """A letter needs a value the case file does not give (a person's name, say)."""


class ListError(SendplanError):
    """A list cannot be read at all (no such file, no heading row, missing columns)."""


class SelectionError(SendplanError):
    """The request cannot be met as asked (an --include that is not in the lists, say)."""


class BrowserError(SendplanError):
    """No browser to print a PDF with, or the browser failed while printing."""


class NeedsDates(SendplanError):
    """The case gives no inspection dates (valid: the weeks before the call) and the
    work asked for needs them (exit 2).  ``rehearse`` says whether the caller can
    take a rehearsal date (``{notification}``, the CLI's ``--notification``)."""

    def __init__(self, path: Path | None, *, rehearse: bool = True) -> None:
        self.path = path
        self.rehearse = rehearse
        case = str(path) if path is not None else "CASE"
        where = f"{path}: " if path is not None else ""
        rehearsal = (
            "rehearse a date with {notification} DATE"
            if rehearse
            else f"rehearse a date with `sendplan schedule {case} --notification DATE`"
        )
        super().__init__(
            f"{where}no inspection dates yet, and this needs them (`inspection.notification` "
            f"or `inspection.on_site_start`): {rehearsal}, or see the weeks the call may "
            f"come with `sendplan ready {case}`",
            parameters=("notification",) if rehearse else (),
        )

    def without_rehearsal(self) -> "NeedsDates":
        """The same, for a command that takes no rehearsal date."""
        return NeedsDates(self.path, rehearse=False)
