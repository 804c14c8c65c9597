"""Reading a case file: TOML, then the schema, then the meaning checks, then
the frozen :class:`~sendplan.case.records.Case`; every problem at once, as
``file:line: key: message (did you mean ...?)``."""

from datetime import date
from pathlib import Path
from typing import Any

from sendplan.annex import checklist_settings
from sendplan.case.absences import absences
from sendplan.case.meaning import case_warnings, meaning_issues
from sendplan.case.records import (
    CASE_SCHEMA,
    CalendarSettings,
    Case,
    Engagement,
    HistorySettings,
    Inspection,
    LetterSettings,
    Monitoring,
    Person,
    Provider,
    R,
    Revisit,
    Tracking,
)
from sendplan.case.timetable import (
    timetable_settings,
)
from sendplan.errors import CaseFileError, InputError, Problem
from sendplan.schema import (
    build_record,
    key_lines,
    locate_line,
    parse_toml,
    validate,
)


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
    return _build(clean, path)


def _school_holidays(calendar: CalendarSettings) -> tuple[tuple[date, date, str], ...] | None:
    """``[[calendar.school_holidays]]`` as (start, end, name); None when not given."""
    if calendar.school_holidays is None:
        return None
    return tuple(
        (h["start"], h["end"], h.get("name") or "a school holiday")
        for h in calendar.school_holidays
    )


def _build(clean: dict[str, Any], path: Path | None) -> Case:
    folder = path.parent if path is not None else None
    people = clean.get("people", {})

    def section(record: type[R], name: str) -> R:
        return build_record(record, clean.get(name, {}), folder)

    return Case(
        inspection=build_record(Inspection, clean["inspection"]),
        path=path,
        extra_closures=section(CalendarSettings, "calendar").extra_closures,
        school_holidays=_school_holidays(section(CalendarSettings, "calendar")),
        people={k: build_record(Person, v) for k, v in people.items() if k != "other"},
        other_people=tuple(build_record(Person, p) for p in people.get("other", ())),
        dates=dict(clean.get("dates", {})),
        tracking=section(Tracking, "tracking"),
        monitoring=section(Monitoring, "monitoring"),
        revisit=section(Revisit, "revisit"),
        engagement=section(Engagement, "engagement"),
        providers=tuple(build_record(Provider, p) for p in clean.get("providers", ())),
        letters=section(LetterSettings, "letters"),
        checklist=checklist_settings(clean.get("checklist", {})),
        history=section(HistorySettings, "history"),
        timetable=timetable_settings(clean.get("timetable", {}), path),
        absences=absences(clean),
        warnings=case_warnings(clean),
    )
