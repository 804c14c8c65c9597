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

import csv
import gc
import io
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache
from itertools import chain, islice
from operator import itemgetter
from pathlib import Path
from typing import Any, NamedTuple

from sendplan.errors import SendplanError, suggestion_text
from sendplan.person_fields import FIELDS, FieldSpec


class ListError(SendplanError):
    """A list cannot be read at all (no such file, no heading row, missing columns)."""


# ------------------------------------------------------------------ fields
FIELD_BY_NAME: dict[str, FieldSpec] = {f.name: f for f in FIELDS}
_RESIDENCE = frozenset({"lives_in_area", "home_la"})
#: Columns whose contents never reach any output, not even with ``--show``.
NEVER_SHOWN = frozenset({"upn", "uln"})
#: Columns a list cannot be used without.
REQUIRED = ("unique_id", "date_of_birth", "primary_need")
DATE_FIELDS = ("date_of_birth", "ehc_initial", "ehc_updated", "ehc_reviewed")
EHC_DATES = ("ehc_initial", "ehc_updated", "ehc_reviewed")


def heading_key(text: str) -> str:
    """A heading reduced to letters and digits: case, spaces, dashes and '?' ignored."""
    return re.sub(r"[^a-z0-9]", "", str(text).casefold())


_HEADING_INDEX: dict[str, str] = {}
for _spec in FIELDS:
    for _words in (_spec.heading, _spec.name, *_spec.aliases):
        _HEADING_INDEX.setdefault(heading_key(_words), _spec.name)


# ------------------------------------------------------------------ codes
#: SEN primary need codes (SEN2 / school census), by code.
NEEDS: dict[str, str] = {
    "SPLD": "Specific learning difficulty",
    "MLD": "Moderate learning difficulty",
    "SLD": "Severe learning difficulty",
    "PMLD": "Profound and multiple learning difficulty",
    "SEMH": "Social, emotional and mental health",
    "SLCN": "Speech, language and communication needs",
    "HI": "Hearing impairment",
    "VI": "Visual impairment",
    "MSI": "Multi-sensory impairment",
    "PD": "Physical disability",
    "ASD": "Autistic spectrum disorder",
    "OTH": "Other difficulty or disability",
    "NSA": "SEN support but no specialist assessment of type of need",
}
#: NSA is a SEN support code only: an EHC plan always names a need.
LIST1_NEEDS = frozenset(NEEDS) - {"NSA"}

#: The four broad areas of need of para 92 (SEND code of practice 6.28-6.35).
AREAS: dict[str, str] = {
    "communication_interaction": "Communication and interaction",
    "cognition_learning": "Cognition and learning",
    "semh": "Social, emotional and mental health",
    "sensory_physical": "Sensory and/or physical",
}
AREA_OF_NEED: dict[str, str] = {
    "SLCN": "communication_interaction",
    "ASD": "communication_interaction",
    "SPLD": "cognition_learning",
    "MLD": "cognition_learning",
    "SLD": "cognition_learning",
    "PMLD": "cognition_learning",
    "SEMH": "semh",
    "HI": "sensory_physical",
    "VI": "sensory_physical",
    "MSI": "sensory_physical",
    "PD": "sensory_physical",
}

#: Phase codes a-i of the template's "Main education establishment – phase".
#: Only h) matters to the choice (alternative provision, para 92); the other
#: labels name the phase in the output.
PHASES: dict[str, str] = {
    "a": "Early years",
    "b": "Primary",
    "c": "Middle",
    "d": "Secondary",
    "e": "All-through",
    "f": "Special school",
    "g": "Post-16 / further education",
    "h": "Pupil referral unit/Alternative provision",
    "i": "Other / not in education",
}
ALTERNATIVE_PROVISION = "h"

_NEED_INDEX: dict[str, str] = {}
for _code, _label in NEEDS.items():
    _NEED_INDEX[heading_key(_code)] = _code
    _NEED_INDEX[heading_key(_label)] = _code
for _alias, _code in {
    "Autism": "ASD",
    "Autistic spectrum condition": "ASD",
    "Autism spectrum disorder": "ASD",
    "Social emotional and mental health difficulties": "SEMH",
    "Speech language and communication need": "SLCN",
    "Physical disability or impairment": "PD",
    "Other difficulty/disability": "OTH",
    "Other": "OTH",
    "Multi-sensory": "MSI",
}.items():
    _NEED_INDEX[heading_key(_alias)] = _code

_PHASE_INDEX: dict[str, str] = {}
for _letter, _label in PHASES.items():
    _PHASE_INDEX[_letter] = _letter
    _PHASE_INDEX[heading_key(_label)] = _letter
    _PHASE_INDEX[heading_key(f"{_letter}) {_label}")] = _letter
for _alias, _letter in {
    "Pupil referral unit": "h",
    "Alternative provision": "h",
    "PRU": "h",
    "AP": "h",
    "Nursery": "a",
    "Further education": "g",
    "Post-16": "g",
    "Special": "f",
}.items():
    _PHASE_INDEX[heading_key(_alias)] = _letter


@lru_cache(maxsize=512)
def need_code(value: str) -> str | None:
    """The primary-need code for a cell: the code, its label, or 'CODE - label'."""
    key = heading_key(value)
    if key in _NEED_INDEX:
        return _NEED_INDEX[key]
    head = re.split(r"[\s\-–—:()]+", value.strip(), maxsplit=1)[0]
    return _NEED_INDEX.get(heading_key(head)) if head else None


@lru_cache(maxsize=512)
def phase_code(value: str) -> str | None:
    """The phase letter for a cell: 'h', 'h)', 'h) Pupil referral unit/...' or the text."""
    key = heading_key(value)
    if key in _PHASE_INDEX:
        return _PHASE_INDEX[key]
    match = re.match(r"\s*([a-iA-I])\s*[).:\-–]", value)
    return match.group(1).lower() if match else None


_YES = frozenset({"yes", "y", "true", "1", "known"})
_NO = frozenset({"no", "n", "false", "0", "notknown", "none"})


@lru_cache(maxsize=256)
def yes_no(value: str) -> bool | None:
    """Yes/no cells: 'Yes', 'Y', 'No', 'N'... (None when blank or anything else)."""
    key = heading_key(value)
    if key in _YES or key.startswith("yes"):
        return True
    if key in _NO or (key.startswith("no") and not key.startswith("not")):
        return False
    return None


# ------------------------------------------------------------------ dates
_EXCEL_EPOCH = date(1899, 12, 30)  # the 1900 date system, after Lotus's leap-year bug
_DMY = re.compile(r"\s*(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?\s*")
_YMD = re.compile(r"\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:[T\s]\d{1,2}:\d{2}(?::\d{2})?)?\s*")


@lru_cache(maxsize=65536)
def _date_from_text(text: str) -> date | None:
    match = _DMY.fullmatch(text)
    try:
        if match:
            day, month, year = (int(g) for g in match.groups())
            return date(year, month, day)
        match = _YMD.fullmatch(text)
        if match:
            year, month, day = (int(g) for g in match.groups())
            return date(year, month, day)
        if re.fullmatch(r"\s*\d{5}(\.\d+)?\s*", text):  # an Excel serial saved as text
            return _EXCEL_EPOCH + timedelta(days=int(float(text)))
    except (ValueError, OverflowError):
        return None
    return None


def parse_date(value: Any) -> date | None:
    """A cell as a date: DD/MM/YYYY (UK order, as the template asks), ISO, or an Excel date.

    Returns None when the cell is not a date.  Two-digit years are refused:
    "01/02/12" could be 1912 or 2012 for a 0-25 population.
    """
    if value.__class__ is str:
        return _date_from_text(value)
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        if 1 <= value < 2958466:  # Excel's serial range
            return _EXCEL_EPOCH + timedelta(days=int(value))
        return None
    return None


def age_on(born: date, day: date) -> int:
    """Age in whole years on ``day``."""
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


#: Age groups of the spread (para 91: "a range of age groups").
AGE_GROUPS: tuple[tuple[str, int, int], ...] = (
    ("0-4", 0, 4),
    ("5-10", 5, 10),
    ("11-15", 11, 15),
    ("16-19", 16, 19),
    ("20-25", 20, 25),
)


def age_group(age: int) -> str:
    for label, low, high in AGE_GROUPS:
        if low <= age <= high:
            return label
    return "over 25" if age > 25 else "unknown"


# ------------------------------------------------------------------ records
class Child(NamedTuple):
    """One row of List 1 or 2, as the choice needs it.  No UPN, no ULN, no date of birth.

    A named tuple rather than a dataclass: 100,000 of them are built in a
    fraction of the time.
    """

    id: str
    list: int
    row: int
    age: int
    age_group: str
    primary_need: str
    area: str | None
    phase: str | None
    alternative_provision: bool
    setting: str
    social_care: str  # "known", "not known" or "not recorded"
    social_care_team: str
    gender: str
    ethnicity: str
    disability: str
    resident: bool | None
    shown: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Finding:
    """One problem in a list: where it is (list, row, column) and what it is; never the cell."""

    list: int
    row: int
    column: str | None  # the heading as written in the file
    letter: str | None  # the spreadsheet column letter
    kind: str
    severity: str  # "error" or "query"
    excluded: bool  # left out of the choice

    @property
    def message(self) -> str:
        return PROBLEMS[self.kind]

    def where(self) -> str:
        place = f"List {self.list} row {self.row}"
        if self.column:
            place += f", column {self.letter} ({self.column})"
        return place

    def __str__(self) -> str:
        return f"{self.where()}: {self.message}"

    def to_json(self) -> dict[str, Any]:
        return {
            "list": self.list,
            "row": self.row,
            "column": self.column,
            "column_letter": self.letter,
            "problem": self.kind,
            "message": self.message,
            "severity": self.severity,
            "excluded": self.excluded,
        }


#: Every problem ``lists check`` reports, with the words it uses.
PROBLEMS: dict[str, str] = {
    "missing_id": "missing Unique ID",
    "missing_dob": "missing date of birth",
    "missing_gender": "missing gender",
    "missing_ethnicity": "missing ethnicity",
    "missing_need": "missing primary need",
    "unknown_need": "unknown primary need code",
    "nsa_on_list1": "NSA (no specialist assessment) is a SEN support code, not for an EHC plan",
    "unknown_phase": "unknown phase code (expected a letter a-i or its text)",
    "not_a_date": "not a date (expected DD/MM/YYYY)",
    "future_date": "date in the future",
    "age_25": "aged 25 at notification: query whether still in scope (0-25)",
    "age_over_25": "aged over 25 at notification: out of scope (0-25, para 13)",
    "ehc_dates_order": "initial EHC plan date is after the updated or reviewed date",
    "no_upn_uln": "aged 6 or over with neither UPN nor ULN",
    "no_establishment": "aged 5 to 16 with no main education establishment",
    "duplicate_id": "duplicate Unique ID",
    "duplicate_upn": "duplicate UPN",
    "ehc_date_on_list2": "List 2 (SEN support) row has an EHC plan date",
}


@dataclass
class ListData:
    """One list as read: its children (usable rows) and every finding."""

    number: int
    source: str
    children: list[Child] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    rows: int = 0
    columns: dict[str, str] = field(default_factory=dict)  # field name -> heading found
    indexes: dict[str, int] = field(default_factory=dict)  # field name -> column index
    absent: list[str] = field(default_factory=list)  # template headings not found
    non_residents: int = 0
    # (value, row) of every Unique ID and UPN, for the duplicate checks across
    # both lists.  Kept in memory only: never printed, never written.
    ids: list[tuple[str, int]] = field(default_factory=list, repr=False)
    upns: list[tuple[str, int]] = field(default_factory=list, repr=False)

    @property
    def has_residence(self) -> bool:
        return "lives_in_area" in self.columns or "home_la" in self.columns


# ------------------------------------------------------------------ reading
@dataclass(frozen=True)
class Sheet:
    """A table of cells and the file row number of its first row."""

    source: str
    rows: Iterable[Sequence[Any]]  # a CSV's rows are read as they are used
    all_text: bool = False  # every cell is a str (CSV)


def read_csv(path: Path) -> Sheet:
    """A CSV as rows of strings (UTF-8 with or without BOM, else Windows-1252)."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ListError(f"{path}: no such file") from None
    except OSError as error:
        raise ListError(f"{path}: cannot read ({error.strerror})") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")  # Excel's "CSV" on Windows
    first = text[:4096].split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first.count)
    del raw
    # Rows are parsed as they are used, never all held at once (a third of the
    # peak memory on 100,000 rows).
    rows = _csv_rows(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), path)
    return Sheet(str(path), rows, all_text=True)


def _csv_rows(reader: Any, path: Path) -> Iterator[list[str]]:
    try:
        yield from reader
    except csv.Error:
        # csv's messages can quote the offending text; say where only.
        raise ListError(f"{path}: not a readable CSV file (line {reader.line_num})") from None


def _open_workbook(path: Path) -> Any:
    from python_calamine import CalamineWorkbook

    if not path.exists():
        raise ListError(f"{path}: no such file")
    try:
        return CalamineWorkbook.from_path(str(path))
    except Exception:  # calamine raises several types; none should reach the user raw
        raise ListError(f"{path}: not a readable Excel workbook (.xlsx)") from None


def read_excel(
    path: Path, sheet: str | None = None, list_number: int | None = None, book: Any = None
) -> Sheet:
    """One sheet of a workbook as rows of cells (dates come back as dates).

    ``sheet`` names it; else the sheet whose name says List 1 / List 2 (by
    ``list_number``), else the first sheet.  ``book`` is the workbook if
    already open (opening parses the shared strings: do it once).
    """
    book = book if book is not None else _open_workbook(path)
    names = list(book.sheet_names)
    if sheet is None:
        sheet = _pick_sheet(names, list_number) if list_number else names[0]
    if sheet not in names:
        hint = suggestion_text(sheet, names)
        raise ListError(
            f"{path}: no sheet called {sheet!r} (sheets: {', '.join(names)})"
            + (f"; {hint}" if hint else "")
        )
    try:
        with _no_gc():
            rows = book.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
    except Exception:
        raise ListError(f"{path}: sheet {sheet!r} cannot be read") from None
    return Sheet(f"{path} [{sheet}]", rows)


def _pick_sheet(names: Sequence[str], number: int) -> str:
    words = {1: ("list1", "ehc"), 2: ("list2", "sensupport", "support")}[number]
    for name in names:
        key = heading_key(name)
        if any(w in key for w in words) and not (number == 1 and "support" in key):
            return name
    return names[0]


def list_sheets(path: Path, book: Any = None) -> tuple[str, str]:
    """The two sheets of a workbook holding both lists (``--lists``)."""
    names = list((book if book is not None else _open_workbook(path)).sheet_names)
    if len(names) < 2:
        raise ListError(
            f"{path}: --lists needs a workbook with two sheets (List 1 and List 2); "
            f"it has {len(names)}"
        )
    first = _pick_sheet(names, 1)
    second = _pick_sheet(names, 2)
    if first == second:
        first, second = names[0], names[1]
    return first, second


def read_table(path: Path, list_number: int, sheet: str | None = None) -> Sheet:
    """Read a list from ``.csv`` or ``.xlsx``/``.xlsm``/``.xls``/``.ods``."""
    path = Path(path)
    suffix = path.suffix.casefold()
    if suffix in (".csv", ".txt"):
        return read_csv(path)
    if suffix in (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"):
        return read_excel(path, sheet, list_number)
    raise ListError(f"{path}: expected a .csv or .xlsx file")


# ------------------------------------------------------------------ headings
def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def match_headings(
    headings: Sequence[Any], mapping: Mapping[str, str] | None = None
) -> dict[str, int]:
    """Field name -> column index for each heading recognised.

    ``mapping`` (the case file's ``[tracking.columns]``) names a heading for a
    field; it wins over the template's heading.
    """
    keys = [heading_key(str(h)) if h is not None else "" for h in headings]
    found: dict[str, int] = {}
    for index, key in enumerate(keys):
        name = _HEADING_INDEX.get(key)
        if name and name not in found:
            found[name] = index
    for name, heading in (mapping or {}).items():
        key = heading_key(heading)
        if key in keys:
            found[name] = keys.index(key)
    return found


def _find_heading_row(rows: Sequence[Sequence[Any]], mapping: Mapping[str, str]) -> int | None:
    """The template has title rows above the headings: find the row naming the Unique ID."""
    id_keys = {k for k, v in _HEADING_INDEX.items() if v == "unique_id"}
    if "unique_id" in mapping:
        id_keys = {heading_key(mapping["unique_id"])}
    for number, row in enumerate(rows[:20]):
        if any(heading_key(str(c)) in id_keys for c in row if c is not None):
            return number
    return None


# ------------------------------------------------------------------ parsing
def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def load_list(
    sheet: Sheet,
    number: int,
    notification: date,
    today: date | None = None,
    mapping: Mapping[str, str] | None = None,
    home: Iterable[str] = (),
    show: Sequence[str] = (),
) -> ListData:
    """Read one list: usable children, and every problem by row and column.

    ``notification`` is the date ages are taken at (para 199); ``today`` (default
    the notification date) is when "a date in the future" is judged.  ``home``
    holds the names or codes meaning "lives in this local area", compared with
    a home local authority column when there is one (paras 13, 91).  ``show``
    names fields kept on each child for display.
    """
    today = today or notification
    mapping = dict(mapping or {})
    rows = iter(sheet.rows)
    top = list(islice(rows, 20))
    header_at = _find_heading_row(top, mapping)
    if header_at is None:
        raise ListError(
            f"{sheet.source}: no heading row naming a Unique ID in the first 20 rows "
            "(expected the person-level template's headings; map others in the case "
            "file's [tracking.columns])"
        )
    headings = [_text(h) for h in top[header_at]]
    columns = match_headings(headings, mapping)
    missing = [f for f in REQUIRED if f not in columns]
    if missing:
        wanted = [FIELD_BY_NAME[f].heading for f in missing]
        hints = [suggestion_text(w, [h for h in headings if h]) for w in wanted]
        detail = "; ".join(
            f"{w!r}" + (f" ({hint})" if hint else "") for w, hint in zip(wanted, hints, strict=True)
        )
        raise ListError(
            f"{sheet.source}: List {number} has no column for {detail}. Rename the heading "
            'or map it in the case file, e.g. [tracking.columns] primary_need = "Need"'
        )
    data = ListData(
        number,
        sheet.source,
        columns={f: headings[i] for f, i in columns.items()},
        indexes=dict(columns),
    )
    home_keys = {heading_key(h) for h in home if h}
    first_row = header_at + 2  # spreadsheet rows are 1-based and follow the heading
    width = len(headings)

    col = columns.get
    i_id = columns["unique_id"]
    i_upn, i_uln, i_gender, i_eth = col("upn"), col("uln"), col("gender"), col("ethnicity")
    i_phase, i_urn = col("phase"), col("urn")
    i_live, i_home = col("lives_in_area"), col("home_la")
    findings = data.findings
    children = data.children
    has_setting = i_urn is not None or i_phase is not None
    has_upn = i_upn is not None or i_uln is not None
    data.absent = [
        f.heading
        for f in FIELDS
        if number in f.lists and f.name not in columns and f.name not in _RESIDENCE
    ]

    def add(
        row_no: int,
        field_name: str | None,
        kind: str,
        severity: str = "error",
        excluded: bool = False,
    ) -> None:
        index = columns.get(field_name) if field_name else None
        findings.append(
            Finding(
                number,
                row_no,
                headings[index] if index is not None else None,
                column_letter(index) if index is not None else None,
                kind,
                severity,
                excluded,
            )
        )

    # Speed (100,000 rows in well under a second): fetch every cell needed with
    # one itemgetter call per row.  An absent column reads the Unique ID's cell
    # and is blanked afterwards; a short row is padded.
    text_names = (
        "unique_id", "primary_need", "upn", "uln", "gender", "ethnicity", "phase",
        "subsidiary_phase", "urn", "social_care", "social_care_team", "disability",
        "lives_in_area", "home_la", "elective_home_education", *show,
    )  # fmt: skip
    date_names = ("date_of_birth", "ehc_initial", "ehc_updated", "ehc_reviewed")
    text_get = itemgetter(*(columns.get(n, i_id) for n in text_names))
    date_get = itemgetter(*(columns.get(n, i_id) for n in date_names))
    absent_text = [k for k, n in enumerate(text_names) if n not in columns]
    absent_dates = {n for n in date_names if n not in columns}
    ehc_present = any(n in columns for n in EHC_DATES)
    show_headings = [FIELD_BY_NAME[f].heading for f in show]
    text_of = _text
    group_of = {age: age_group(age) for age in range(26)}
    all_text = sheet.all_text  # CSV: every cell is a string, so strip them in C
    pad = "" if all_text else None  # fills a short row
    date_of = parse_date
    dates_seen: dict[Any, Any] = {}  # the same birthdays recur: parse each once

    for offset, row in enumerate(chain(top[header_at + 1 :], rows)):
        try:
            raw = text_get(row)
            raw_dates = date_get(row)
        except IndexError:
            row = [*row, *([pad] * (width - len(row)))]
            raw = text_get(row)
            raw_dates = date_get(row)
        if all_text:
            texts = list(map(str.strip, raw))
        else:
            texts = [v.strip() if v.__class__ is str else text_of(v) for v in raw]
        for k in absent_text:
            texts[k] = ""
        (uid, need_text, upn, uln, gender, ethnicity, phase_text, sub_text, urn, sc_text,
         team, dis_text, live_text, home_text, ehe_text, *shown) = texts  # fmt: skip
        raw_dob, *raw_ehc = raw_dates
        if not uid and all(c in (None, "") for c in row):
            continue  # blank rows (Excel often leaves some at the end)
        row_no = first_row + offset
        data.rows += 1
        usable = True
        if not uid:
            add(row_no, "unique_id", "missing_id", excluded=True)
            usable = False

        born = None
        age = -1
        if raw_dob is None or raw_dob == "":
            add(row_no, "date_of_birth", "missing_dob", excluded=True)
            usable = False
        else:
            born = dates_seen.get(raw_dob, _UNSEEN)
            if born is _UNSEEN:
                born = dates_seen[raw_dob] = date_of(raw_dob)
            if born is None:
                add(row_no, "date_of_birth", "not_a_date", excluded=True)
                usable = False
            elif born > today:
                add(row_no, "date_of_birth", "future_date", excluded=True)
                usable = False
            else:
                age = (
                    notification.year
                    - born.year
                    - ((notification.month, notification.day) < (born.month, born.day))
                )
                if age > 25:
                    add(row_no, "date_of_birth", "age_over_25", excluded=True)
                    usable = False
                elif age == 25:
                    add(row_no, "date_of_birth", "age_25", "query")

        need = None
        if not need_text:
            add(row_no, "primary_need", "missing_need", excluded=True)
            usable = False
        else:
            need = need_code(need_text)
            if need is None:
                add(row_no, "primary_need", "unknown_need", excluded=True)
                usable = False
            elif number == 1 and need == "NSA":
                add(row_no, "primary_need", "nsa_on_list1", excluded=True)
                usable = False

        phase = None
        if phase_text:
            phase = phase_code(phase_text)
            if phase is None:
                add(row_no, "phase", "unknown_phase", excluded=True)
                usable = False
        sub_phase = phase_code(sub_text) if sub_text else None
        if sub_text and sub_phase is None:
            add(row_no, "subsidiary_phase", "unknown_phase")

        if i_gender is not None and not gender:
            add(row_no, "gender", "missing_gender")
        if i_eth is not None and not ethnicity:
            add(row_no, "ethnicity", "missing_ethnicity")

        initial = None
        later: list[date] = []
        for name, value in zip(EHC_DATES, raw_ehc, strict=True) if ehc_present else ():
            if value is None or value == "" or name in absent_dates:
                continue
            if number == 2:
                add(row_no, name, "ehc_date_on_list2")
                continue
            parsed = date_of(value)
            if parsed is None:
                add(row_no, name, "not_a_date")
            elif parsed > today:
                add(row_no, name, "future_date")
            elif name == "ehc_initial":
                initial = parsed
            else:
                later.append(parsed)
        if initial and any(d < initial for d in later):
            add(row_no, "ehc_initial", "ehc_dates_order")

        if age >= 6 and not upn and not uln and has_upn:
            add(row_no, "upn" if i_upn is not None else "uln", "no_upn_uln")
        no_setting = not urn and not phase and has_setting
        if 5 <= age <= 16 and no_setting and yes_no(ehe_text) is not True:
            add(row_no, "urn" if i_urn is not None else "phase", "no_establishment")

        resident: bool | None = None
        if i_live is not None:
            resident = yes_no(live_text)
        if resident is None and i_home is not None and home_text:
            resident = heading_key(home_text) in home_keys

        if uid:
            data.ids.append((uid, row_no))
        if upn:
            data.upns.append((upn, row_no))
        if not usable or need is None or born is None:
            continue
        if resident is False:
            data.non_residents += 1
        known = yes_no(sc_text)
        children.append(
            Child(
                id=uid,
                list=number,
                row=row_no,
                age=age,
                age_group=group_of[age],
                primary_need=need,
                area=AREA_OF_NEED.get(need),
                phase=phase,
                alternative_provision=ALTERNATIVE_PROVISION in (phase, sub_phase),
                setting=urn,
                social_care=_SOCIAL_CARE[known],
                social_care_team=team if known is not False else "",
                gender=gender.casefold(),
                ethnicity=ethnicity.casefold(),
                disability=_YES_NO_TEXT[yes_no(dis_text)],
                resident=resident,
                shown=tuple(zip(show_headings, shown, strict=True)) if shown else (),
            )
        )
    return data


_UNSEEN: Any = object()
_SOCIAL_CARE: dict[bool | None, str] = {True: "known", False: "not known", None: "not recorded"}
_YES_NO_TEXT: dict[bool | None, str] = {True: "yes", False: "no", None: ""}


@dataclass
class Lists:
    """Both lists as read, with duplicates across them resolved."""

    lists: tuple[ListData, ...]

    @property
    def children(self) -> list[Child]:
        return [c for data in self.lists for c in data.children]

    @property
    def findings(self) -> list[Finding]:
        return sorted(
            (f for data in self.lists for f in data.findings), key=lambda f: (f.list, f.row)
        )

    def excluded_rows(self) -> int:
        return len({(f.list, f.row) for f in self.findings if f.excluded})


def _mark_duplicates(lists: Sequence[ListData]) -> None:
    """A Unique ID or UPN used twice, within or across the lists (para 196).

    Every row after the first is reported; every row of a duplicated Unique ID
    is left out of the choice, since ``--save`` could not say which child it
    meant.
    """
    seen: dict[str, tuple[int, int]] = {}
    duplicated: set[str] = set()
    for data in lists:
        for uid, row in data.ids:
            if uid in seen:
                duplicated.add(uid)
                data.findings.append(_finding(data, row, "unique_id", "duplicate_id", True))
            else:
                seen[uid] = (data.number, row)
    if duplicated:
        for data in lists:
            data.children[:] = [c for c in data.children if c.id not in duplicated]
            for uid, row in data.ids:
                if uid in duplicated and seen[uid] == (data.number, row):
                    data.findings.append(_finding(data, row, "unique_id", "duplicate_id", True))
    seen_upn: set[str] = set()
    for data in lists:
        for upn, row in data.upns:
            key = upn.upper()
            if key in seen_upn:
                data.findings.append(_finding(data, row, "upn", "duplicate_upn", False))
            seen_upn.add(key)


def _finding(data: ListData, row: int, name: str, kind: str, excluded: bool) -> Finding:
    heading = data.columns.get(name)
    letter = column_letter(data.indexes[name]) if name in data.indexes else None
    return Finding(data.number, row, heading, letter, kind, "error", excluded)


def load_lists(
    sources: Sequence[tuple[Sheet, int]],
    notification: date,
    today: date | None = None,
    mapping: Mapping[str, str] | None = None,
    home: Iterable[str] = (),
    show: Sequence[str] = (),
) -> Lists:
    """Read List 1 and/or List 2 (each a :class:`Sheet` and its number) and cross-check them."""
    home = tuple(home)
    with _no_gc():
        loaded = tuple(
            load_list(sheet, number, notification, today, mapping, home, show)
            for sheet, number in sources
        )
        _mark_duplicates(loaded)
    return Lists(loaded)


@contextmanager
def _no_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while building 100,000s of records.

    Reading creates no reference cycles, but every few hundred new objects the
    collector walks them all again: pausing it halves the time of a big list.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def open_lists(
    list1: Path | None = None,
    list2: Path | None = None,
    workbook: Path | None = None,
) -> list[tuple[Sheet, int]]:
    """The sheets named on the command line: ``--list1``/``--list2`` or one ``--lists`` book."""
    if workbook is not None:
        if list1 is not None or list2 is not None:
            raise ListError("give either --lists (one workbook) or --list1 and --list2, not both")
        if Path(workbook).suffix.casefold() not in (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"):
            raise ListError(f"{workbook}: --lists expects an Excel workbook with two sheets")
        book = _open_workbook(Path(workbook))
        first, second = list_sheets(Path(workbook), book)
        return [
            (read_excel(Path(workbook), first, book=book), 1),
            (read_excel(Path(workbook), second, book=book), 2),
        ]
    if list1 is None and list2 is None:
        raise ListError("give the lists: --list1 FILE --list2 FILE, or --lists WORKBOOK")
    out: list[tuple[Sheet, int]] = []
    for path, number in ((list1, 1), (list2, 2)):
        if path is not None:
            out.append((read_table(Path(path), number), number))
    return out
