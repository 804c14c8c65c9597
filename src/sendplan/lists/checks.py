"""Checking each row of a list into a Child or a finding, and cross-checking both lists."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import chain, compress, islice, repeat
from operator import contains, itemgetter, not_
from typing import Any, Literal, NamedTuple, TypeVar, cast

from sendplan.errors import ListError, suggestion_text
from sendplan.lists.codes import (
    _RESIDENCE,
    AGES,
    ALTERNATIVE_PROVISION,
    AREA_OF_NEED,
    EHC_DATES,
    FIELD_BY_NAME,
    NEVER_SHOWN,
    OLDEST,
    OUTPUT_FIELDS,
    REQUIRED,
    age_group,
    age_on,
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
from sendplan.progress import ROWS_BETWEEN, Progress, quiet


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
    "age_25": f"aged {OLDEST} at notification: query whether still in scope (0-{OLDEST})",
    "age_over_25": (
        f"aged over {OLDEST} at notification: out of scope (0-{OLDEST}, {AGES['oldest_source']})"
    ),
    "ehc_dates_order": "initial EHC plan date is after the updated or reviewed date",
    "no_upn_uln": f"aged {AGES['upn_or_uln_from']} or over with neither UPN nor ULN",
    "no_establishment": (
        f"aged {AGES['school_age'][0]} to {AGES['school_age'][1]} "
        "with no main education establishment"
    ),
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
    progress: Progress = quiet,
) -> ListData:
    """Read one list: usable children, and every problem by row and column.

    ``notification`` is the date ages are taken at (para 199); ``today`` (default
    the notification date) is when "a date in the future" is judged.  ``home``
    holds the names or codes meaning "lives in this local area", compared with
    a home local authority column when there is one (paras 13, 91).  ``show``
    names fields kept on each child for display.  ``progress`` hears of every
    :data:`~sendplan.progress.ROWS_BETWEEN` rows read.
    """
    rows = iter(sheet.rows)
    top = list(islice(rows, 20))
    header_at, headings, columns = _headings(sheet, number, top, dict(mapping or {}))
    _refuse_pupil_number_columns(sheet.source, number, headings, columns, show)
    data = ListData(
        number,
        sheet.source,
        columns={f: headings[i] for f, i in columns.items()},
        indexes=dict(columns),
    )
    data.absent = [
        f.heading
        for f in FIELDS
        if number in f.lists and f.name not in columns and f.name not in _RESIDENCE
    ]
    checks = _RowChecks(data, headings, columns, notification, today or notification, home, show)
    # Spreadsheet rows are 1-based and follow the heading.
    body: Iterable[Sequence[Any]] = chain(top[header_at + 1 :], rows)
    if progress is not quiet:
        body = _reporting(body, progress, f"Reading List {number}")
    checks.read(body, header_at + 2, sheet.all_text)
    return data


def _reporting(
    rows: Iterable[Sequence[Any]], progress: Progress, what: str
) -> Iterator[Sequence[Any]]:
    """``rows``, telling ``progress`` how many have been read now and then."""
    for count, row in enumerate(rows):
        if not count % ROWS_BETWEEN:
            progress(what, count, None)
        yield row


def _headings(
    sheet: Sheet, number: int, top: Sequence[Sequence[Any]], mapping: Mapping[str, str]
) -> tuple[int, list[str], dict[str, int]]:
    """The heading row's index in ``top``, its headings, and each field's column."""
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
    return header_at, headings, columns


#: A problem found in a value: (kind in PROBLEMS, severity, excluded from the choice).
_Problem = tuple[str, str, bool]

#: The cells each row is read for, in the order :meth:`_RowChecks.read` unpacks them.
_TEXT_FIELDS = (
    "unique_id", "primary_need", "upn", "uln", "gender", "ethnicity", "phase",
    "subsidiary_phase", "urn", "social_care", "social_care_team", "disability",
    "lives_in_area", "home_la", "elective_home_education",
)  # fmt: skip
_DATE_FIELDS = ("date_of_birth", *EHC_DATES)


#: Rows checked together, column by column: each check is one pass over a
#: column, in C where it can be (``map``, ``compress``, ``set``); a CSV is
#: still never held whole.
_BLOCK = 1024
#: Lengths of a whole cell holding a UPN (13), a ULN or an NHS number (10), or an
#: NHS number written 3-3-4 (12): only such cells need their check characters summed.
_PUPIL_NUMBER_LENGTHS = frozenset({10, 12, 13})
#: A finding before it is placed: (index in the block, place in its row's order,
#: field, kind, severity, excluded).  Sorted by the first two, findings come in
#: the order a row-by-row reading reports them.
_Found = tuple[int, int, str, str, str, bool]
_K = TypeVar("_K")
_R = TypeVar("_R")


class _RowChecks:
    """Every check of one list's rows, with what they need worked out once.

    Speed (100,000 rows in a fraction of a second): rows are checked a block
    at a time, column by column.  Values recur (birthdays, need and phase
    codes, yes/no answers), so each distinct value is judged once and
    remembered, a column's verdicts are looked up with one ``map``, and the
    few rows with a problem are then picked out.
    """

    def __init__(
        self,
        data: ListData,
        headings: Sequence[str],
        columns: Mapping[str, int],
        notification: date,
        today: date,
        home: Iterable[str],
        show: Sequence[str],
    ) -> None:
        self.data = data
        self.headings = headings
        self.columns = columns
        self.notification = notification
        self.today = today
        self.home_keys = {heading_key(h) for h in home if h}
        # Verdicts on each distinct value seen, kept from block to block.
        self.births: dict[Any, tuple[date | None, int, _Problem | None]] = {}
        self.needs: dict[str, tuple[str | None, _Problem | None]] = {}
        self.phases: dict[str, str | None] = {}
        self.answers: dict[str, bool | None] = {}  # yes/no cells
        self.homes: dict[str, bool] = {}
        # One itemgetter call per row fetches every cell needed; an absent column reads
        # the Unique ID's cell and is blanked afterwards; a short row is padded.
        i_id = columns["unique_id"]
        text_names = (*_TEXT_FIELDS, *show)
        self.text_get = itemgetter(*(columns.get(n, i_id) for n in text_names))
        self.date_get = itemgetter(*(columns.get(n, i_id) for n in _DATE_FIELDS))
        self.absent_text = {k for k, n in enumerate(text_names) if n not in columns}
        self.ehc_columns = [(k, n) for k, n in enumerate(EHC_DATES, start=1) if n in columns]
        self.show_headings = [FIELD_BY_NAME[f].heading for f in show]
        # Cells that are shown or saved: checked for UPNs and ULNs, whatever the headings.
        self.text_names = text_names
        self.guarded = [
            k
            for k, n in enumerate(text_names)
            if n in columns and (n in OUTPUT_FIELDS or k >= len(_TEXT_FIELDS))
        ]
        self.group_of = {age: age_group(age) for age in range(OLDEST + 1)}

    def add(
        self,
        row_no: int,
        field_name: str | None,
        kind: str,
        severity: str = "error",
        excluded: bool = False,
    ) -> None:
        index = self.columns.get(field_name) if field_name else None
        self.data.findings.append(
            Finding(
                self.data.number,
                row_no,
                self.headings[index] if index is not None else None,
                column_letter(index) if index is not None else None,
                kind,
                severity,
                excluded,
            )
        )

    def birth(self, raw: Any) -> tuple[date | None, int, _Problem | None]:
        """Date of birth, age at notification (-1 unknown), and any problem."""
        if raw is None or raw == "":
            return None, -1, ("missing_dob", "error", True)
        born = parse_date(raw)
        notification = self.notification
        if born is None:
            return None, -1, ("not_a_date", "error", True)
        if born > self.today:
            return born, -1, ("future_date", "error", True)
        if born > notification:  # a rehearsal of a past inspection with today's lists
            return born, -1, ("born_after_notification", "error", True)
        age = age_on(born, notification)
        if age > OLDEST:
            return born, age, ("age_over_25", "error", True)
        return born, age, ("age_25", "query", False) if age == OLDEST else None

    def need(self, text: str) -> tuple[str | None, _Problem | None]:
        """The primary need's code, and any problem."""
        if not text:
            return None, ("missing_need", "error", True)
        need = need_code(text)
        if need is None:
            return None, ("unknown_need", "error", True)
        if self.data.number == 1 and need == "NSA":
            return need, ("nsa_on_list1", "error", True)
        return need, None

    def read(self, rows: Iterable[Sequence[Any]], first_row: int, all_text: bool) -> None:
        """Check every row, adding findings and the usable rows as children."""
        rows = iter(rows)
        while block := list(islice(rows, _BLOCK)):
            self.read_block(block, first_row, all_text)
            first_row += len(block)

    def cells(
        self, block: list[Sequence[Any]], first_row: int, all_text: bool
    ) -> tuple[Sequence[int], list[list[str]], list[tuple[Any, ...]]]:
        """The block's row numbers, its text columns (stripped; an absent column blank)
        and raw date columns; blank rows skipped (Excel often leaves some at the end)."""
        width = len(self.headings)
        if min(map(len, block)) < width:  # short rows
            pad = "" if all_text else None
            block = [r if len(r) >= width else [*r, *[pad] * (width - len(r))] for r in block]
        numbers: Sequence[int] = range(first_row, first_row + len(block))
        raw_texts = list(zip(*map(self.text_get, block), strict=True))
        ids = _cell_texts(raw_texts[0], all_text)
        if "" in ids:
            kept = [
                i
                for i, (uid, row) in enumerate(zip(ids, block, strict=True))
                if uid or not _blank(row)
            ]
            if len(kept) < len(block):
                block, numbers = [block[i] for i in kept], [numbers[i] for i in kept]
                if not block:
                    return numbers, [], []
                raw_texts = list(zip(*map(self.text_get, block), strict=True))
        blank = [""] * len(block)
        texts = [
            blank if k in self.absent_text else _cell_texts(column, all_text)
            for k, column in enumerate(raw_texts)
        ]
        return numbers, texts, list(zip(*map(self.date_get, block), strict=True))

    def read_block(self, block: list[Sequence[Any]], first_row: int, all_text: bool) -> None:
        """Check one block of rows (see :class:`_RowChecks`)."""
        numbers, texts, raw_dates = self.cells(block, first_row, all_text)
        if not numbers:
            return
        self.refuse_pupil_numbers(numbers, texts)
        (uids, need_texts, upns, ulns, genders, ethnicities, phase_texts, sub_texts, urns,
         _, _, _, live_texts, home_texts, ehe_texts, *_) = texts  # fmt: skip
        columns = self.columns
        found: list[_Found] = []
        if "" in uids:
            found += [(i, 0, "unique_id", "missing_id", "error", True) for i in _blanks(uids)]
        borns, ages, problems = zip(*_looked_up(raw_dates[0], self.births, self.birth), strict=True)
        found += [(i, 1, "date_of_birth", *problems[i]) for i in _set(problems)]
        needs, problems = zip(*_looked_up(need_texts, self.needs, self.need), strict=True)
        found += [(i, 2, "primary_need", *problems[i]) for i in _set(problems)]
        phases = _looked_up(phase_texts, self.phases, phase_code)
        sub_phases = _looked_up(sub_texts, self.phases, phase_code)
        unknown = {text for text, code in self.phases.items() if text and code is None}
        found += [(i, 3, "phase", "unknown_phase", "error", True)
                  for i in _among(phase_texts, unknown)]  # fmt: skip
        found += [(i, 4, "subsidiary_phase", "unknown_phase", "error", False)
                  for i in _among(sub_texts, unknown)]  # fmt: skip
        if "gender" in columns and "" in genders:
            found += [(i, 5, "gender", "missing_gender", "error", False) for i in _blanks(genders)]
        if "ethnicity" in columns and "" in ethnicities:
            found += [(i, 6, "ethnicity", "missing_ethnicity", "error", False)
                      for i in _blanks(ethnicities)]  # fmt: skip
        found += self.ehc_dates(raw_dates)
        if "upn" in columns or "uln" in columns:
            upn_from, field_name = AGES["upn_or_uln_from"], "upn" if "upn" in columns else "uln"
            found += [
                (i, 11, field_name, "no_upn_uln", "error", False)
                for i in _blanks(upns)
                if not ulns[i] and ages[i] >= upn_from
            ]
        if "urn" in columns or "phase" in columns:
            (school_from, school_to), field_name = (
                AGES["school_age"],
                "urn" if "urn" in columns else "phase",
            )
            found += [
                (i, 12, field_name, "no_establishment", "error", False)
                for i in _blanks(urns)
                if not phases[i] and school_from <= ages[i] <= school_to
                and yes_no(ehe_texts[i]) is not True
            ]  # fmt: skip
        found.sort(key=itemgetter(0, 1))
        for i, _, field_name, kind, severity, excluded in found:
            self.add(numbers[i], field_name, kind, severity, excluded)

        data = self.data
        data.rows += len(numbers)
        data.ids += compress(zip(uids, numbers, strict=True), uids)
        data.upns += compress(zip(upns, numbers, strict=True), upns)
        excluded_rows = {f[0] for f in found if f[5]}
        usable = [True] * len(numbers)
        if excluded_rows or None in needs or None in borns:
            usable = [
                i not in excluded_rows and need is not None and born is not None
                for i, (need, born) in enumerate(zip(needs, borns, strict=True))
            ]
        residents = self.residence(live_texts, home_texts)
        data.non_residents += sum(r is False for r in compress(residents, usable))
        self.add_children(usable, numbers, texts, ages, needs, phases, sub_phases, residents)

    def refuse_pupil_numbers(self, numbers: Sequence[int], texts: list[list[str]]) -> None:
        """UPNs and ULNs never leave the reader, whatever the headings: the first cell
        shown or saved that holds one (row by row, then column by column) is refused."""
        first: tuple[int, int] | None = None
        for k in self.guarded:
            column = texts[k]
            if _PUPIL_NUMBER_LENGTHS.isdisjoint(map(len, column)):
                continue
            held = {v for v in set(column) if len(v) in _PUPIL_NUMBER_LENGTHS and pupil_number(v)}
            if held:
                at = (min(map(column.index, held)), k)
                first = at if first is None else min(first, at)
        if first is not None:
            i, k = first
            _refuse_pupil_number(
                self.data.source,
                self.data.number,
                numbers[i],
                self.headings,
                self.columns,
                self.text_names[k],
                texts[k][i],
            )

    def ehc_dates(self, raw_dates: list[tuple[Any, ...]]) -> list[_Found]:
        """An EHC plan's dates: real dates, not in the future, the initial one first;
        none on List 2."""
        found: list[_Found] = []
        initial: dict[int, date] = {}
        later: dict[int, list[date]] = {}
        for k, name in self.ehc_columns:
            order = 6 + k  # 7, 8, 9: after the ethnicity, in the columns' order
            for i, value in enumerate(raw_dates[k]):
                if value is None or value == "":
                    continue
                if self.data.number == 2:
                    found.append((i, order, name, "ehc_date_on_list2", "error", False))
                    continue
                parsed = parse_date(value)
                if parsed is None:
                    found.append((i, order, name, "not_a_date", "error", False))
                elif parsed > self.today:
                    found.append((i, order, name, "future_date", "error", False))
                elif name == "ehc_initial":
                    initial[i] = parsed
                else:
                    later.setdefault(i, []).append(parsed)
        found += [
            (i, 10, "ehc_initial", "ehc_dates_order", "error", False)
            for i, first in initial.items()
            if any(d < first for d in later.get(i, ()))
        ]
        return found

    def residence(self, live_texts: list[str], home_texts: list[str]) -> list[bool | None]:
        """Whether each row lives in the area: its "lives in area" answer, else its home
        local authority against the case's (paras 13, 91), else not known."""
        residents: list[bool | None] = [None] * len(live_texts)
        if "lives_in_area" in self.columns:
            residents = _looked_up(live_texts, self.answers, yes_no)
        if "home_la" not in self.columns:
            return residents
        homes, home_keys = self.homes, self.home_keys
        for text in set(home_texts).difference(homes):
            homes[text] = heading_key(text) in home_keys
        return [
            homes[home] if resident is None and home else resident
            for resident, home in zip(residents, home_texts, strict=True)
        ]

    def add_children(
        self,
        usable: list[bool],
        numbers: Sequence[int],
        texts: list[list[str]],
        ages: Sequence[int],
        needs: Sequence[str | None],
        phases: Sequence[str | None],
        sub_phases: Sequence[str | None],
        residents: Sequence[bool | None],
    ) -> None:
        """A :class:`Child` for each usable row, built column by column."""
        (uids, _, _, _, genders, ethnicities, _, _, urns, sc_texts, teams, dis_texts,
         _, _, _, *shown) = texts  # fmt: skip
        known = _looked_up(sc_texts, self.answers, yes_no)
        shows: Iterable[tuple[tuple[str, str], ...]] = repeat(())
        if shown:
            shows = (
                tuple(zip(self.show_headings, v, strict=True)) for v in zip(*shown, strict=True)
            )
        rows = zip(
            uids,
            repeat(self.data.number),
            numbers,
            ages,
            map(self.group_of.get, ages),  # -1, unknown, only on a row not used
            needs,
            map(AREA_OF_NEED.get, cast(Sequence[str], needs)),  # None only on a row not used
            phases,
            map(contains, zip(phases, sub_phases, strict=True), repeat(ALTERNATIVE_PROVISION)),
            urns,
            map(_SOCIAL_CARE.__getitem__, known),
            [team if k is not False else "" for team, k in zip(teams, known, strict=True)],
            map(str.casefold, genders),
            map(str.casefold, ethnicities),
            map(_YES_NO_TEXT.__getitem__, _looked_up(dis_texts, self.answers, yes_no)),
            residents,
            shows,
        )
        self.data.children += map(Child._make, compress(rows, usable))


def _cell_texts(column: Sequence[Any], all_text: bool) -> list[str]:
    """A column's cells as stripped text."""
    if all_text:  # as every CSV is: stripped in C
        return list(map(str.strip, column))
    try:  # text and empty cells: the same in C
        texts: Iterator[str] = map(_EMPTY.get, column, column)
        return list(map(str.strip, texts))
    except TypeError:  # numbers or dates among them
        return [v.strip() if v.__class__ is str else _text(v) for v in column]


_EMPTY: dict[Any, Any] = {None: ""}


def _blank(row: Sequence[Any]) -> bool:
    return all(c in (None, "") for c in row)


def _blanks(column: Sequence[str]) -> Iterator[int]:
    """The indexes of a text column's empty cells."""
    return compress(range(len(column)), map(not_, column))


def _set(column: Sequence[Any]) -> Iterator[int]:
    """The indexes of the values that are set (a problem found, say)."""
    return compress(range(len(column)), column)


def _among(column: Sequence[str], texts: set[str]) -> list[int]:
    """The indexes of the cells holding one of ``texts``."""
    if texts.isdisjoint(column):
        return []
    return [i for i, text in enumerate(column) if text in texts]


def _looked_up(values: Sequence[_K], known: dict[_K, _R], judge: Callable[[_K], _R]) -> list[_R]:
    """``judge`` of each value, each distinct value judged once and kept in ``known``."""
    for value in set(values).difference(known):
        known[value] = judge(value)
    return list(map(known.__getitem__, values))


_SOCIAL_CARE: dict[bool | None, str] = {True: "known", False: "not known", None: "not recorded"}
_YES_NO_TEXT: dict[bool | None, str] = {True: "yes", False: "no", None: ""}


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
        "character fits), and this column is shown or saved. UPNs, ULNs and NHS numbers "
        "never leave the list: use a pseudonymous Unique ID"
    )


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
    # Most lists have no duplicate: a set of each column says so in C.
    if _all_different(lists, "ids", str):
        _mark_duplicate_upns(lists)
        return
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
    _mark_duplicate_upns(lists)


def _mark_duplicate_upns(lists: Sequence[ListData]) -> None:
    """A UPN used twice (in any case): every row after the first is reported."""
    if _all_different(lists, "upns", str.upper):
        return
    seen_upn: set[str] = set()
    for data in lists:
        for upn, row in data.upns:
            key = upn.upper()
            if key in seen_upn:
                data.findings.append(_finding(data, row, "upn", "duplicate_upn", False))
            seen_upn.add(key)


def _all_different(
    lists: Sequence[ListData], name: Literal["ids", "upns"], key: Callable[[str], str]
) -> bool:
    """Whether the values kept in ``name`` (ids or upns) are all different, by ``key``."""
    columns = [getattr(data, name) for data in lists]
    different = set().union(*(map(key, map(itemgetter(0), column)) for column in columns))
    return len(different) == sum(map(len, columns))


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
    progress: Progress = quiet,
) -> Lists:
    """Read List 1 and/or List 2 (each a :class:`Sheet` and its number) and cross-check them."""
    home = tuple(home)
    with _no_gc():
        loaded = tuple(
            load_list(sheet, number, notification, today, mapping, home, show, progress)
            for sheet, number in sources
        )
        progress("Cross-checking the lists", 0, None)
        _mark_duplicates(loaded)
    return Lists(loaded)
