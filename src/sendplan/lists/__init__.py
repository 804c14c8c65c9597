"""Reading the person-level Lists 1 and 2 (handbook paras 196-199) from CSV or Excel.

List 1 holds every child or young person with an EHC plan the local authority
is responsible for; List 2 everyone receiving SEN support in settings in the
area (para 196).  The local area fills in Ofsted's person-level template, so
headings are matched forgivingly (case, spacing, dashes, apostrophes) and the
case file's ``[tracking.columns]`` can name other headings.

Every problem is found in one pass and reported by list, row and column, never
by the cell's content: these lists hold children's personal data.  UPN and
ULN are read only to check they are present and unique; they are never kept
on a :class:`Child`, so nothing downstream can print them.

Nothing here prints or reads the clock: callers pass the notification date
(ages are taken then) and ``today`` (for "a date in the future").
"""

from __future__ import annotations

from sendplan.errors import ListError
from sendplan.lists.checks import (
    PROBLEMS,
    Child,
    Finding,
    ListData,
    Lists,
    load_list,
    load_lists,
)
from sendplan.lists.codes import (
    AGE_GROUPS,
    AGES,
    ALTERNATIVE_PROVISION,
    AREA_OF_NEED,
    AREAS,
    DATE_FIELDS,
    EHC_DATES,
    FIELD_BY_NAME,
    LIST1_NEEDS,
    NEEDS,
    NEVER_SHOWN,
    NUMBERS,
    OLDEST,
    PHASES,
    REQUIRED,
    age_group,
    age_on,
    heading_key,
    need_code,
    parse_date,
    phase_code,
    yes_no,
)
from sendplan.lists.reading import (
    Sheet,
    column_letter,
    list_sheets,
    match_headings,
    open_lists,
    read_csv,
    read_excel,
    read_table,
)
from sendplan.lists.sources import ListsSource, notification_date, read_lists

__all__ = [
    "ListsSource",
    "notification_date",
    "read_lists",
    "AGES",
    "NUMBERS",
    "OLDEST",
    "ListError",
    "FIELD_BY_NAME",
    "NEVER_SHOWN",
    "REQUIRED",
    "DATE_FIELDS",
    "EHC_DATES",
    "heading_key",
    "NEEDS",
    "LIST1_NEEDS",
    "AREAS",
    "AREA_OF_NEED",
    "PHASES",
    "ALTERNATIVE_PROVISION",
    "need_code",
    "phase_code",
    "yes_no",
    "parse_date",
    "age_on",
    "AGE_GROUPS",
    "age_group",
    "Sheet",
    "read_csv",
    "read_excel",
    "list_sheets",
    "read_table",
    "column_letter",
    "match_headings",
    "open_lists",
    "Child",
    "Finding",
    "PROBLEMS",
    "ListData",
    "load_list",
    "Lists",
    "load_lists",
]
