"""The list reader's checks, column by column, against the row-by-row checks they
replaced (issue 24): on generated rows, nasty cells included, the same children, the
same findings in the same order, the same refusals, at every block size."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from row_checks_before import load_list_before, mark_duplicates_before
from sendplan.child_ids import child_number
from sendplan.errors import ListError
from sendplan.lists import Sheet, load_lists
from sendplan.lists import checks as checks_module
from sendplan.lists.checks import ListData, load_list
from sendplan.person_fields import FIELDS

NOTIFIED = date(2025, 4, 25)
TODAY = date(2025, 5, 1)
HOME = ("Synthshire", "E06000099")
_UPN_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"


def _upn(digits: str) -> str:
    """A UPN with its check letter (DfE): ``digits`` are its last 12 characters."""
    total = sum(w * int(d) for w, d in enumerate(digits[:11], start=2)) + 13 * int(digits[11])
    return _UPN_LETTERS[total % 23] + digits


UPN = _upn("201231234567")
ULN = "1234567899"  # its check digit fits (ILR rule DD01)
NHS = "943 476 5919"  # the NHS's own example number, written 3-3-4
assert child_number(UPN) == "UPN" and child_number(ULN) and child_number(NHS)

# What cells hold, by field: the template's values, other spellings, blanks of
# every kind and values of the wrong type (a workbook's cells are typed).
BLANKS = ["", " ", None]
DATES: list[Any] = [
    "01/09/2014", "1/9/2014", "2014-09-01", "31/02/2010", "01/09/14", "13/13/2013",
    "01/05/2025", "25/04/2000", "24/04/2000", "26/04/1999", "20/04/2025", "01/01/2030",
    date(2012, 3, 4), datetime(2019, 1, 2, 10, 30), 41000.0, 41000, 45000.5, "41000", 0, -3.0,
    True, "not a date", *BLANKS,
]  # fmt: skip
CELLS: dict[str, list[Any]] = {
    "unique_id": ["C001", "C002", "C003", "c001", " C004 ", "C005", 1001, 1001.0, *BLANKS],
    "upn": [UPN, UPN.lower(), "Z000000000001", "Z000000000002", *BLANKS],
    "uln": [ULN, "9900000001", *BLANKS],
    "date_of_birth": DATES,
    "gender": ["M", "F", "f ", "U", 1, *BLANKS],
    "ethnicity": ["WBRI", "wbri", "AOTH", *BLANKS],
    "ehc_initial": DATES,
    "ehc_updated": DATES,
    "ehc_reviewed": DATES,
    "primary_need": [
        "ASD",
        "asd ",
        "Autism",
        "SLCN - Speech",
        "NSA",
        "SEMH",
        "PMLD",
        "HI",
        "XYZ",
        3,
        *BLANKS,
    ],  # fmt: skip
    "urn": ["100001", 100002.0, 100003, ULN, "Early help", *BLANKS],
    "phase": ["a", "b", "h", "H) PRU", "h) Pupil referral unit", "Special", "z", "9", *BLANKS],
    "subsidiary_phase": ["h", "AP", "d", "q", *BLANKS],
    "elective_home_education": ["Yes", "No", "y", True, *BLANKS],
    "social_care": ["Yes", "No", "Known", "Not known", "maybe", True, False, 1.0, *BLANKS],
    "social_care_team": ["Early help", "Child protection", NHS, UPN, *BLANKS],
    "disability": ["Yes", "No", "N", "yes please", *BLANKS],
    "lives_in_area": ["Yes", "No", "unsure", *BLANKS],
    "home_la": ["Synthshire", "synthshire ", "Elsewhere", "E06000099", *BLANKS],
    "absence": ["12.5", 3.0, *BLANKS],
    "pupil_premium": ["Yes", "No", *BLANKS],
}
OPTIONAL = [f.name for f in FIELDS if f.name not in ("unique_id", "date_of_birth", "primary_need")]
SHOWABLE = ["gender", "urn", "phase", "social_care_team", "absence", "pupil_premium"]


@st.composite
def sheets(draw: st.DrawFn) -> tuple[list[str], list[list[Any]], bool]:
    """Headings (the required three and some others, in any order) and rows of cells."""
    names = ["unique_id", "date_of_birth", "primary_need"]
    names += draw(st.lists(st.sampled_from(OPTIONAL), unique=True, max_size=len(OPTIONAL)))
    names = draw(st.permutations(names))
    headings = [next(f.heading for f in FIELDS if f.name == n) for n in names]
    all_text = draw(st.booleans())

    def cell(name: str) -> st.SearchStrategy[Any]:
        values = CELLS.get(name, ["x", *BLANKS])
        if all_text:  # a CSV: every cell is text
            values = sorted({"" if v is None else str(v) for v in values})
        return st.sampled_from(values)

    row = st.tuples(*(cell(n) for n in names)).map(list)
    rows = draw(st.lists(row, max_size=40))
    for index in draw(st.lists(st.integers(0, max(len(rows) - 1, 0)), max_size=4)):
        if rows:  # short rows and blank rows, as spreadsheets leave them
            rows[index] = rows[index][: draw(st.integers(0, len(names)))]
    return headings, rows, all_text


@contextmanager
def block_size(size: int) -> Iterator[None]:
    before = checks_module._BLOCK
    checks_module._BLOCK = size
    try:
        yield
    finally:
        checks_module._BLOCK = before


def outcome(data: ListData) -> tuple[object, ...]:
    return (
        data.children,
        data.findings,
        data.rows,
        data.ids,
        data.upns,
        data.non_residents,
        data.columns,
        data.absent,
    )


def read(
    load: Any,
    headings: Sequence[str],
    rows: list[list[Any]],
    all_text: bool,
    number: int,
    show: Sequence[str],
) -> tuple[object, ...] | str:
    sheet = Sheet("list.csv", [["Title row"], list(headings), *rows], all_text=all_text)
    try:
        return outcome(load(sheet, number, NOTIFIED, TODAY, {}, HOME, show))
    except ListError as error:
        return str(error)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    sheet=sheets(),
    number=st.sampled_from([1, 2]),
    show=st.lists(st.sampled_from(SHOWABLE), unique=True, max_size=3),
    size=st.sampled_from([1, 3, 7, 4096]),
)
def test_column_checks_find_what_row_checks_found(
    sheet: tuple[list[str], list[list[Any]], bool], number: int, show: list[str], size: int
) -> None:
    headings, rows, all_text = sheet
    before = read(load_list_before, headings, rows, all_text, number, show)
    with block_size(size):
        after = read(load_list, headings, rows, all_text, number, show)
    assert after == before


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(first=sheets(), second=sheets())
def test_duplicates_across_lists_as_before(
    first: tuple[list[str], list[list[Any]], bool], second: tuple[list[str], list[list[Any]], bool]
) -> None:
    sheets_ = [
        (Sheet("a.csv", [h, *r], all_text=t), n) for (h, r, t), n in ((first, 1), (second, 2))
    ]
    try:
        before = [load_list_before(s, n, NOTIFIED, TODAY, {}, HOME) for s, n in sheets_]
    except ListError as error:
        with pytest.raises(ListError, match=f"^{re.escape(str(error))}$"):
            load_lists(sheets_, NOTIFIED, TODAY, {}, HOME)
        return
    mark_duplicates_before(before)
    after = load_lists(sheets_, NOTIFIED, TODAY, {}, HOME)
    assert [outcome(d) for d in after.lists] == [outcome(d) for d in before]


def test_a_pupil_number_in_a_later_block_is_refused_at_its_row() -> None:
    """The refusal names the first row holding one, wherever the block boundaries fall."""
    headings = [
        "Unique ID",
        "Date of birth",
        "SEN primary need",
        "Which children's social care team?",
    ]
    rows = [[f"C{i:03d}", "01/09/2014", "ASD", "Early help"] for i in range(20)]
    rows[13][3], rows[17][0] = NHS, ULN
    with block_size(4):
        message = read(load_list, headings, rows, True, 1, ())
    assert isinstance(message, str)
    assert "row 16, column D (Which children's social care team?)" in message
    assert NHS not in message and ULN not in message
