"""The row checks of `sendplan.lists.checks` as they were before they worked column by
column (issue 24), kept only for tests/test_row_checks.py to compare the two on generated
rows: a change of speed must not change one finding, child or refusal."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date
from itertools import chain, islice
from operator import itemgetter
from typing import Any

from sendplan.lists.checks import (
    _DATE_FIELDS,
    _SOCIAL_CARE,
    _TEXT_FIELDS,
    _YES_NO_TEXT,
    Child,
    Finding,
    ListData,
    _finding,
    _headings,
    _Problem,
    _refuse_pupil_number,
    _refuse_pupil_number_columns,
)
from sendplan.lists.codes import (
    _RESIDENCE,
    AGES,
    ALTERNATIVE_PROVISION,
    AREA_OF_NEED,
    EHC_DATES,
    FIELD_BY_NAME,
    OLDEST,
    OUTPUT_FIELDS,
    age_group,
    age_on,
    heading_key,
    need_code,
    parse_date,
    phase_code,
    pupil_number,
    yes_no,
)
from sendplan.lists.reading import Sheet, _text, column_letter
from sendplan.person_fields import FIELDS


def load_list_before(
    sheet: Sheet,
    number: int,
    notification: date,
    today: date | None = None,
    mapping: Mapping[str, str] | None = None,
    home: Iterable[str] = (),
    show: Sequence[str] = (),
) -> ListData:
    """`sendplan.lists.load_list` with the row-by-row checks."""
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
    body: Iterable[Sequence[Any]] = chain(top[header_at + 1 :], rows)
    checks.read(body, header_at + 2, sheet.all_text)
    return data


class _RowChecks:
    """Every check of one list's rows, with what they need worked out once.

    Speed (100,000 rows in well under a second): values recur (birthdays, need
    and phase codes), so each distinct value is judged once and remembered;
    the row loop only looks its verdict up.
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
        self.births: dict[Any, tuple[date | None, int, _Problem | None]] = {}
        self.needs: dict[str, tuple[str | None, _Problem | None]] = {}
        # One itemgetter call per row fetches every cell needed; an absent column reads
        # the Unique ID's cell and is blanked afterwards; a short row is padded.
        i_id = columns["unique_id"]
        text_names = (*_TEXT_FIELDS, *show)
        self.text_get = itemgetter(*(columns.get(n, i_id) for n in text_names))
        self.date_get = itemgetter(*(columns.get(n, i_id) for n in _DATE_FIELDS))
        self.absent_text = [k for k, n in enumerate(text_names) if n not in columns]
        self.absent_dates = {n for n in _DATE_FIELDS if n not in columns}
        self.ehc_present = any(n in columns for n in EHC_DATES)
        self.show_headings = [FIELD_BY_NAME[f].heading for f in show]
        # Cells that are shown or saved: checked for UPNs and ULNs, whatever the headings.
        self.text_names = text_names
        self.guarded = [
            k
            for k, n in enumerate(text_names)
            if n in columns and (n in OUTPUT_FIELDS or k >= len(_TEXT_FIELDS))
        ]

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

    def ehc_dates(self, row_no: int, values: Sequence[Any], absent: set[str]) -> None:
        """An EHC plan's dates: real dates, not in the future, the initial one first."""
        initial = None
        later: list[date] = []
        for name, value in zip(EHC_DATES, values, strict=True):
            if value is None or value == "" or name in absent:
                continue
            if self.data.number == 2:
                self.add(row_no, name, "ehc_date_on_list2")
                continue
            parsed = parse_date(value)
            if parsed is None:
                self.add(row_no, name, "not_a_date")
            elif parsed > self.today:
                self.add(row_no, name, "future_date")
            elif name == "ehc_initial":
                initial = parsed
            else:
                later.append(parsed)
        if initial and any(d < initial for d in later):
            self.add(row_no, "ehc_initial", "ehc_dates_order")

    def cells(
        self, rows: Iterable[Sequence[Any]], first_row: int, all_text: bool
    ) -> Iterator[tuple[int, list[str], Sequence[Any]]]:
        """Each row's number, text cells (stripped; an absent column blank) and raw
        dates; blank rows skipped (Excel often leaves some at the end)."""
        text_get, date_get, absent_text = self.text_get, self.date_get, self.absent_text
        width, pad = len(self.headings), "" if all_text else None
        for offset, row in enumerate(rows, start=first_row):
            try:
                raw, raw_dates = text_get(row), date_get(row)
            except IndexError:  # a short row
                row = [*row, *([pad] * (width - len(row)))]
                raw, raw_dates = text_get(row), date_get(row)
            if all_text:  # CSV: every cell is a string, so strip them in C
                texts = list(map(str.strip, raw))
            else:
                texts = [v.strip() if v.__class__ is str else _text(v) for v in raw]
            for k in absent_text:
                texts[k] = ""
            if texts[0] or not all(c in (None, "") for c in row):
                yield offset, texts, raw_dates

    def read(self, rows: Iterable[Sequence[Any]], first_row: int, all_text: bool) -> None:
        """Check every row, adding findings and the usable rows as children."""
        data, columns, add = self.data, self.columns, self.add
        number = data.number
        col = columns.get
        i_upn, i_uln, i_gender, i_eth = col("upn"), col("uln"), col("gender"), col("ethnicity")
        i_urn, i_live, i_home = col("urn"), col("lives_in_area"), col("home_la")
        has_setting = i_urn is not None or col("phase") is not None
        has_upn = i_upn is not None or i_uln is not None
        absent_dates, ehc_present = self.absent_dates, self.ehc_present
        show_headings = self.show_headings
        births, needs, birth, need_of = self.births, self.needs, self.birth, self.need
        group_of = {age: age_group(age) for age in range(OLDEST + 1)}
        upn_from, (school_from, school_to) = AGES["upn_or_uln_from"], AGES["school_age"]
        guarded, text_names = self.guarded, self.text_names
        for row_no, texts, raw_dates in self.cells(rows, first_row, all_text):
            for k in guarded:  # UPNs and ULNs never leave the reader, whatever the headings
                if len(texts[k]) in (10, 12, 13) and pupil_number(texts[k]):
                    _refuse_pupil_number(
                        data.source, number, row_no, self.headings, columns, text_names[k], texts[k]
                    )
            (uid, need_text, upn, uln, gender, ethnicity, phase_text, sub_text, urn, sc_text,
             team, dis_text, live_text, home_text, ehe_text, *shown) = texts  # fmt: skip
            raw_dob = raw_dates[0]
            data.rows += 1
            if not uid:
                add(row_no, "unique_id", "missing_id", excluded=True)
            born, age, problem = births.get(raw_dob) or births.setdefault(raw_dob, birth(raw_dob))
            usable = bool(uid) and not (problem and problem[2])
            if problem:
                add(row_no, "date_of_birth", *problem)
            need, problem = needs.get(need_text) or needs.setdefault(need_text, need_of(need_text))
            if problem:
                add(row_no, "primary_need", *problem)
                usable = usable and not problem[2]
            phase = phase_code(phase_text) if phase_text else None
            if phase_text and phase is None:
                add(row_no, "phase", "unknown_phase", excluded=True)
                usable = False
            sub_phase = phase_code(sub_text) if sub_text else None
            if sub_text and sub_phase is None:
                add(row_no, "subsidiary_phase", "unknown_phase")
            if i_gender is not None and not gender:
                add(row_no, "gender", "missing_gender")
            if i_eth is not None and not ethnicity:
                add(row_no, "ethnicity", "missing_ethnicity")
            if ehc_present and any(v not in (None, "") for v in raw_dates[1:]):
                self.ehc_dates(row_no, raw_dates[1:], absent_dates)
            if age >= upn_from and not upn and not uln and has_upn:
                add(row_no, "upn" if i_upn is not None else "uln", "no_upn_uln")
            no_setting = not urn and not phase and has_setting
            if school_from <= age <= school_to and no_setting and yes_no(ehe_text) is not True:
                add(row_no, "urn" if i_urn is not None else "phase", "no_establishment")
            resident = yes_no(live_text) if i_live is not None else None
            if resident is None and i_home is not None and home_text:
                resident = heading_key(home_text) in self.home_keys
            if uid:
                data.ids.append((uid, row_no))
            if upn:
                data.upns.append((upn, row_no))
            if not usable or need is None or born is None:
                continue
            if resident is False:
                data.non_residents += 1
            known = yes_no(sc_text)
            data.children.append(
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


def mark_duplicates_before(lists: Sequence[ListData]) -> None:
    """`sendplan.lists.checks._mark_duplicates` without its quick look for none."""
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
