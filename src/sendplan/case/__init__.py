"""The case file: one TOML file describing one inspection and its tracking state.

A small package along its seams:

- :mod:`~sendplan.case.records`: each key declared once, as a field of the
  record that holds it, and :class:`Case`, the validated file;
- :mod:`~sendplan.case.meaning`: the checks beyond the schema;
- :mod:`~sendplan.case.loading`: reading a file, every problem at once;
- :mod:`~sendplan.case.editing`: editing a file in place, keeping comments
  (imported where used: it needs tomlkit).
"""

from sendplan.case.loading import check_case_file, load_case, parse_case
from sendplan.case.records import (
    CASE_SCHEMA,
    KIND_SECTIONS,
    OUTCOMES,
    SECTIONS,
    SURVEYS,
    CalendarSettings,
    Case,
    Engagement,
    HistorySettings,
    Inspection,
    LetterSettings,
    Monitoring,
    People,
    Person,
    Provider,
    ReadinessSettings,
    Revisit,
    SchoolHoliday,
    Tracking,
)
from sendplan.roles import PEOPLE_ROLES

__all__ = [
    "CASE_SCHEMA",
    "KIND_SECTIONS",
    "OUTCOMES",
    "PEOPLE_ROLES",
    "SECTIONS",
    "SURVEYS",
    "CalendarSettings",
    "Case",
    "Engagement",
    "HistorySettings",
    "Inspection",
    "LetterSettings",
    "Monitoring",
    "People",
    "Person",
    "Provider",
    "ReadinessSettings",
    "Revisit",
    "SchoolHoliday",
    "Tracking",
    "check_case_file",
    "load_case",
    "parse_case",
]
