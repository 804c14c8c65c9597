"""The workbook check's quick look at a sheet (issue 24) refuses what the exact
check refuses, with the same words, and vouches only for sheets within every limit."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sendplan.errors import ListError
from sendplan.lists import limits
from test_hostile_lists import crafted

COLUMNS = ["A", "U", "Z", "AA", "ALL", "ALM", "XFD"]
ROWS = ["1", "2", "80001", "999999", "1000000", "1000001", "0123", ""]


@st.composite
def cell(draw: st.DrawFn, row: str) -> str:
    place = draw(st.sampled_from(COLUMNS)) + draw(st.sampled_from([row, row, *ROWS]))
    form = draw(st.sampled_from(["plain"] * 6 + ["no r", "r later", "prefixed", "empty"]))
    return {
        "plain": f'<c r="{place}"><v>1</v></c>',
        "no r": "<c><v>1</v></c>",
        "r later": f'<c t="n" r="{place}"><v>1</v></c>',
        "prefixed": f'<x:c r="{place}"><x:v>1</x:v></x:c>',
        "empty": f'<c r="{place}"/>',
    }[form]


@st.composite
def sheet_rows(draw: st.DrawFn) -> str:
    out = []
    for _ in range(draw(st.integers(0, 6))):
        number = draw(st.sampled_from(ROWS))
        form = draw(st.sampled_from(["plain"] * 5 + ["no r", "r later"]))
        opening = {"plain": f'<row r="{number}">', "no r": "<row>"}.get(
            form, f'<row spans="1:2" r="{number}">'
        )
        cells = "".join(draw(st.lists(cell(number), max_size=4)))
        out.append(f"{opening}{cells}</row>")
    return "".join(out)


def checked(path: Path) -> str | None:
    try:
        limits.check_workbook(path)
    except ListError as error:
        return str(error)
    return None


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rows=sheet_rows(),
    dimension=st.sampled_from([None, "A1:U80001", "A1:AA10", "B2", "A1:XFD1048576", "junk"]),
)
def test_the_quick_look_refuses_what_the_exact_check_refuses(
    tmp_path_factory: pytest.TempPathFactory, rows: str, dimension: str | None
) -> None:
    path = crafted(tmp_path_factory.mktemp("book") / "book.xlsx", rows, dimension)
    quick = checked(path)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(limits, "_check_sheet_quickly", lambda *_: None)
        exact = checked(path)
    assert quick == exact


def _quick(path: Path) -> int | None:
    with zipfile.ZipFile(path) as book:
        part = book.getinfo("xl/worksheets/sheet1.xml")
        return limits._check_sheet_quickly(str(path), book, part, shared=True)


def test_the_quick_look_vouches_for_a_plain_sheet_and_counts_its_shared_strings(
    tmp_path: Path,
) -> None:
    rows = "".join(
        f'<row r="{r}"><c r="A{r}" t="s"><v>0</v></c><c r="U{r}"><v>1</v></c></row>'
        for r in (1, 2, 999_999)
    )
    assert _quick(crafted(tmp_path / "plain.xlsx", rows, "A1:U999999")) == 3


@pytest.mark.parametrize(
    "rows",
    [
        '<row r="1"><c r="AA1"><v>1</v></c></row>',  # a second letter: perhaps wider than 26
        '<row r="1"><c r="A1000000"><v>1</v></c></row>',  # seven digits
        '<row r="1000000"><c r="A1"><v>1</v></c></row>',
        '<row r="1"><c><v>1</v></c></row>',  # placed by counting
        '<row><c r="A1"><v>1</v></c></row>',
        '<row r="1"><c t="n" r="A1"><v>1</v></c></row>',  # r not first
        '<x:row r="1"><x:c r="A1"><x:v>1</x:v></x:c></x:row>',  # a namespace prefix
    ],
)
def test_the_quick_look_leaves_any_other_sheet_to_the_exact_check(
    tmp_path: Path, rows: str
) -> None:
    assert _quick(crafted(tmp_path / "odd.xlsx", rows)) is None


def test_a_sheet_declared_wider_than_the_quick_look_goes_to_the_exact_check(
    tmp_path: Path,
) -> None:
    assert _quick(crafted(tmp_path / "wide.xlsx", '<row r="1"><c r="A1"/></row>', "A1:AA2")) is None


def test_what_the_quick_look_vouches_for_is_within_every_limit() -> None:
    assert limits._QUICK_ROWS <= limits.MAX_ROWS
    assert limits._QUICK_COLUMNS <= limits.MAX_COLUMNS
    assert limits._QUICK_ROWS * limits._QUICK_COLUMNS <= limits.MAX_CELLS
    assert limits._CELL_NOT_QUICK.search(b'<c r="Z999999">') is None
    assert limits._CELL_NOT_QUICK.search(b'<c r="Z1000000">')
    assert limits._ROW_NOT_QUICK.search(b'<row r="999999">') is None
    assert limits._ROW_NOT_QUICK.search(b'<row r="1000000">')
