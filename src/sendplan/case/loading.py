"""Reading a case file: TOML, then the schema, then the meaning checks, then
the frozen :class:`~sendplan.case.records.Case`; every problem at once, as
``file:line: key: message (did you mean ...?)``."""

import re
import tomllib
from pathlib import Path

from sendplan.case.meaning import meaning_issues
from sendplan.case.records import CASE_SCHEMA, Case, build_case
from sendplan.errors import CaseFileError, InputError, Problem
from sendplan.schema import key_lines, locate_line, validate


def load_case(path: str | Path) -> Case:
    """Read and validate a case file; raise :class:`CaseFileError` listing every problem."""
    from sendplan.files import MAX_CASE_BYTES, read_text_input

    path = Path(path)
    try:
        # A regular file of at most 4 MB, UTF-8 with or without a byte-order mark.
        text = read_text_input(path, "case file", MAX_CASE_BYTES)
    except InputError as error:
        message = str(error).removeprefix(f"{path}: ").removeprefix(f"{path}:")
        raise CaseFileError([Problem(str(path), None, "", message)]) from None
    return parse_case(text, path)


def check_case_file(path: str | Path) -> tuple[Case | None, list[Problem]]:
    """The case in ``path`` and no problems, or None and every problem (``validate``)."""
    try:
        return load_case(path), []
    except CaseFileError as error:
        return None, error.problems


def parse_case(text: str, path: Path | None = None) -> Case:
    """Validate TOML ``text`` as a case file (``path`` only names it in messages)."""
    name = str(path) if path else "<case>"
    text = text.removeprefix("\ufeff")  # Windows editors write a byte-order mark
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise CaseFileError([_toml_problem(name, error)]) from None
    except RecursionError:
        raise CaseFileError(
            [Problem(name, None, "", "arrays or tables nested too deeply to read")]
        ) from None
    clean, issues = validate(data, CASE_SCHEMA)
    issues += meaning_issues(clean, issues)
    if issues:
        lines = key_lines(text)
        raise CaseFileError(
            [
                Problem(name, locate_line(lines, i.path), i.key, i.message, i.suggestion)
                for i in issues
            ]
        )
    return build_case(clean, path)


def _toml_problem(name: str, error: tomllib.TOMLDecodeError) -> Problem:
    # Python 3.11's TOMLDecodeError has no lineno; the message ends "(at line N, column M)".
    found = re.search(r"\s*\(at line (\d+), column \d+\)$", str(error))
    line = int(found.group(1)) if found else None
    message = str(error)[: found.start()] if found else str(error)
    hint = "check quotes, brackets and `=` on that line; dates are written 2025-05-12"
    return Problem(name, line, "", f"not valid TOML: {message}", hint)
