"""Checking each row of a list into a Child or a finding, and cross-checking both lists."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import chain, islice
from operator import itemgetter
from typing import Any, NamedTuple

from sendplan.errors import ListError, suggestion_text
from sendplan.lists.codes import (
    _RESIDENCE,
    ALTERNATIVE_PROVISION,
    AREA_OF_NEED,
    EHC_DATES,
    FIELD_BY_NAME,
    NEVER_SHOWN,
    OUTPUT_FIELDS,
    REQUIRED,
    age_group,
    heading_key,
    need_code,
    parse_date,
    phase_code,
    pupil_number,
    yes_no,
)
from sendplan.lists.reading import (
    Sheet,
    _find_heading_row,
    _no_gc,
    _text,
    column_letter,
    match_headings,
)
from sendplan.person_fields import FIELDS


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
    "born_after_notification": "born after the notification date (ages are taken then, para 199)",
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
    _refuse_pupil_number_columns(sheet.source, number, headings, columns, show)
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
    guarded = [
        k
        for k, n in enumerate(text_names)
        if n in columns and (n in OUTPUT_FIELDS or k >= len(text_names) - len(show))
    ]
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
        for k in guarded:  # UPNs and ULNs never leave the reader, whatever the headings
            if len(texts[k]) in (10, 13) and pupil_number(texts[k]):
                _refuse_pupil_number(
                    sheet.source, number, row_no, headings, columns, text_names[k], texts[k]
                )
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
            elif born > notification:  # a rehearsal of a past inspection with today's lists
                add(row_no, "date_of_birth", "born_after_notification", excluded=True)
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


def _refuse_pupil_number_columns(
    source: str,
    number: int,
    headings: Sequence[str],
    columns: Mapping[str, int],
    show: Sequence[str],
) -> None:
    """Mapping a field that is shown or saved onto the UPN or ULN column is an error."""
    secret = {columns[n]: n.upper() for n in NEVER_SHOWN if n in columns}
    for name in (*OUTPUT_FIELDS, *show):
        index = columns.get(name)
        if index is not None and index in secret:
            raise ListError(
                f"{source}: List {number}: `{name}` is read from column "
                f"{column_letter(index)} ({headings[index]}), the {secret[index]} column; "
                "UPNs and ULNs are never shown or saved. Map it to another column in "
                "the case file's [tracking.columns]"
            )


def _refuse_pupil_number(
    source: str,
    number: int,
    row: int,
    headings: Sequence[str],
    columns: Mapping[str, int],
    name: str,
    value: str,
) -> None:
    """A cell that is shown or saved holds a UPN or ULN: refuse, naming where, never what."""
    index = columns[name]
    raise ListError(
        f"{source}: List {number} row {row}, column {column_letter(index)} "
        f"({headings[index]}): holds what looks like a {pupil_number(value)} (its check "
        "digit fits), and this column is shown or saved. UPNs and ULNs never leave the "
        "list: use a pseudonymous Unique ID"
    )


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
