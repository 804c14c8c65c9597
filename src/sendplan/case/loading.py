"""Reading a case file: TOML, then the schema, then the meaning checks, then
the frozen :class:`~sendplan.case.records.Case`; every problem at once, as
``file:line: key: message (did you mean ...?)``."""

from pathlib import Path

from sendplan.case.meaning import case_warnings, meaning_issues
from sendplan.case.records import CASE_SCHEMA, Case, build_case
from sendplan.errors import CaseFileError, InputError, Problem
from sendplan.schema import key_lines, locate_line, parse_toml, validate


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
    data = parse_toml(text, name)  # the one TOML reader: syntax, depth
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
    return build_case(clean, path, case_warnings(clean))
