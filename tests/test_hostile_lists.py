"""Lists are hostile until checked (issue 16): bombs, odd files, UPNs where they do not belong.

The crafted workbooks are built here, byte by byte, not stored: each is read
by ``sendplan lists check`` in a child process under a memory limit, so a
reader that allocates what a file declares fails the test instead of the
machine.
"""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cli_harness import Run, run_cli
from sendplan.lists import limits
from sendplan.lists.codes import is_uln, is_upn, pupil_number

sys.path.insert(0, str(Path(__file__).parent))
from test_lists import HEAD1, HEAD2, row1, row2, write_csv  # noqa: E402

# ------------------------------------------------------------------ UPN and ULN


def upn_with_check(body: str) -> str:
    """``body`` (11 digits and a digit or letter) with the DfE check letter in front."""
    letters = "ABCDEFGHJKLMNPQRTUVWXYZ"
    last = int(body[-1]) if body[-1].isdigit() else letters.index(body[-1])
    total = sum(w * int(d) for w, d in enumerate(body[:11], start=2)) + 13 * last
    return letters[total % 23] + body


def test_upn_check_letter_of_the_dfe_example() -> None:
    # The worked example in the DfE guidance and python-stdnum: B801200005001.
    assert is_upn("B801200005001")
    assert not is_upn("A801200005001")  # wrong check letter
    assert not is_upn("B80120000500")  # too short


def test_uln_check_digit() -> None:
    # 1..9 weighted 10..2 sum to 210; 210 mod 11 = 1; check digit 10 - 1 = 9.
    assert is_uln("1234567899")
    assert not is_uln("1234567898")
    assert not is_uln("0234567899")  # never starts with 0


@given(st.text("0123456789", min_size=11, max_size=11), st.sampled_from("0123456789ABCDEFHZ"))
def test_every_upn_with_its_check_letter_is_found_and_one_changed_letter_is_not(
    digits: str, last: str
) -> None:
    upn = upn_with_check(digits + last)
    assert pupil_number(upn) == "UPN"
    assert pupil_number(upn.lower()) == "UPN"
    wrong = "A" if upn[0] != "A" else "B"
    assert not is_upn(wrong + upn[1:])


@given(st.text("0123456789", min_size=9, max_size=9).filter(lambda s: s[0] != "0"))
def test_exactly_one_last_digit_makes_a_uln_unless_none_can(body: str) -> None:
    valid = [d for d in "0123456789" if is_uln(body + d)]
    remainder = sum(int(d) * (10 - i) for i, d in enumerate(body)) % 11
    assert valid == ([] if remainder == 0 else [str(10 - remainder)])


UPN = upn_with_check("80120000500" + "7")
ULN = "1234567899"


def lists_check(tmp_path: Path, rows1: list[list[str]], *extra: str) -> Run:
    one = write_csv(tmp_path / "l1.csv", rows1)
    two = write_csv(tmp_path / "l2.csv", [HEAD2, row2("S1")])
    return run_cli(
        "lists", "check", "--list1", str(one), "--list2", str(two),
        "--notification", "2025-04-25", "--today", "2025-04-28", "--format", "json", *extra,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("Unique ID", UPN),
        ("Unique ID", ULN),
        ("Which children's social care team?", ULN),
        ("Main education establishment – URN", UPN),
    ],
)
def test_a_upn_or_uln_in_a_column_that_is_shown_is_refused_by_position(
    tmp_path: Path, column: str, value: str
) -> None:
    bad = row1("A2")
    bad[HEAD1.index(column)] = value
    if column.startswith("Which"):
        bad[HEAD1.index("Known to children's social care?")] = "Yes"
    result = lists_check(tmp_path, [HEAD1, row1("A1"), bad])
    assert result.code == 2, result.output
    assert "List 1 row 3, column" in result.stderr
    assert column in result.stderr
    assert value not in result.output  # never the value, in any case
    assert value.lower() not in result.output.lower()


def test_mapping_the_unique_id_onto_the_upn_column_is_an_error(tmp_path: Path) -> None:
    case = tmp_path / "case.toml"
    case.write_text(
        '[inspection]\nkind = "full"\nlocal_area = "T"\nnotification = 2025-04-25\n\n'
        '[tracking.columns]\nunique_id = "UPN"\n',
        encoding="utf-8",
    )
    one = write_csv(tmp_path / "l1.csv", [HEAD1, row1("A1")])
    result = run_cli("select", str(case), "--list1", str(one))
    assert result.code == 2, result.output
    assert "UPN column" in result.stderr
    assert "ZUPN" not in result.output


def test_a_shown_column_holding_ulns_is_refused(tmp_path: Path) -> None:
    heads = [*HEAD1, "Pupil Premium"]
    rows = [heads, [*row1("A1"), ULN]]
    result = lists_check(tmp_path, rows)
    assert result.code == 0  # not shown by lists check: only read
    case = tmp_path / "case.toml"
    case.write_text(
        '[inspection]\nkind = "full"\nlocal_area = "T"\nnotification = 2025-04-25\n',
        encoding="utf-8",
    )
    result = run_cli(
        "select", str(case), "--list1", str(tmp_path / "l1.csv"), "--show", "pupil_premium"
    )
    assert result.code == 2, result.output
    assert ULN not in result.output


# ------------------------------------------------------------------ files that are not files
@pytest.mark.parametrize("flag", ["--list1", "--lists"])
def test_a_fifo_or_device_is_refused_not_read(tmp_path: Path, flag: str) -> None:
    suffix = ".csv" if flag == "--list1" else ".xlsx"
    fifo = tmp_path / f"fifo{suffix}"
    os.mkfifo(fifo)
    zero = tmp_path / f"zero{suffix}"
    zero.symlink_to("/dev/zero")  # the name is right; what it names is endless
    for path in (str(fifo), str(zero)):
        result = run_cli("lists", "check", flag, path, "--notification", "2025-04-25")
        assert result.code == 2, result.output
        assert "not a regular file" in result.stderr


def test_csv_cell_and_row_limits(tmp_path: Path) -> None:
    long_cell = row1("A1")
    long_cell[HEAD1.index("Ethnicity")] = "x" * (limits.MAX_CELL_CHARS + 1)
    result = lists_check(tmp_path, [HEAD1, long_cell])
    assert result.code == 2
    assert "longer than 32,767 characters" in result.stderr
    wide = [*row1("A1"), *([""] * limits.MAX_COLUMNS)]
    result = lists_check(tmp_path, [HEAD1, wide])
    assert result.code == 2
    assert "more than 1,000 columns" in result.stderr


def test_old_excel_formats_are_refused_with_advice(tmp_path: Path) -> None:
    old = tmp_path / "lists.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0")
    result = run_cli("lists", "check", "--list1", str(old))
    assert result.code == 2
    assert "save the .xls file as .xlsx" in result.stderr


# ------------------------------------------------------------------ crafted workbooks
_CT = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
    'package/2006/content-types"><Default Extension="rels" ContentType="application/'
    'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType='
    '"application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName='
    '"/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.'
    'spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType='
    '"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats'
    '.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
    'openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target='
    '"xl/workbook.xml"/></Relationships>'
)
_BOOK = (
    '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/'
    'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships"><sheets><sheet name="List 1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_BOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats'
    '.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
    'openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/'
    'sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/'
    'officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
    "</Relationships>"
)
_SST = '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{}</sst>'
_HEAD = '<row r="1"><c r="A1" t="inlineStr"><is><t>Unique ID</t></is></c></row>'


def crafted(path: Path, rows: str, dimension: str | None = None, strings: str = "") -> Path:
    declared = f'<dimension ref="{dimension}"/>' if dimension else ""
    sheet = (
        '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats'
        f'.org/spreadsheetml/2006/main">{declared}<sheetData>{rows}</sheetData></worksheet>'
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
        book.writestr("[Content_Types].xml", _CT)
        book.writestr("_rels/.rels", _RELS)
        book.writestr("xl/workbook.xml", _BOOK)
        book.writestr("xl/_rels/workbook.xml.rels", _BOOK_RELS)
        book.writestr("xl/worksheets/sheet1.xml", sheet)
        book.writestr("xl/sharedStrings.xml", _SST.format(strings or "<si><t>x</t></si>"))
    return path


def _cells(n: int) -> str:
    return "".join(
        f'<c r="{limits.column_name(i + 1).decode()}2" t="s"><v>0</v></c>' for i in range(n)
    )


BOMBS: dict[str, tuple[Callable[[Path], Path], str]] = {
    # The 3.4 KB file: one cell in the last row and column, declared so.
    "declared-corner": (
        lambda p: crafted(p, _HEAD + '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>',
                          "A1:XFD1048576"),
        "more than 1,000,000 rows",
    ),
    "undeclared-corner": (
        lambda p: crafted(p, '<row r="1"><c r="A1"><v>1</v></c><c r="XFD1048576"><v>1</v></c></row>'),
        "more than 1,000,000 rows",
    ),
    "wide": (
        lambda p: crafted(p, '<row r="1"><c r="A1"><v>1</v></c><c r="BBB1"><v>1</v></c></row>'),
        "more than 1,000 columns",
    ),
    "rows-without-r": (
        lambda p: crafted(p, _HEAD + '<row r="999999"><c r="A999999"><v>1</v></c></row>'
                          + "<row><c><v>1</v></c></row>" * 2),
        "more than 1,000,000 rows",
    ),
    # Cells placed by counting, in rows that carry their numbers.
    "cells-without-r": (
        lambda p: crafted(p, '<row r="1">' + "<c><v>1</v></c>" * 1001 + "</row>"),
        "more than 1,000 columns",
    ),
    "prefixed-elements": (
        lambda p: crafted(p, '<x:row r="1"><x:c r="A1"><x:v>1</x:v></x:c>'
                          '<x:c r="XFD1048576"><x:v>1</x:v></x:c></x:row>'),
        "more than 1,000,000 rows",
    ),
    "wide-and-tall": (
        lambda p: crafted(p, _HEAD + '<row r="50000"><c r="ZZ50000"><v>1</v></c></row>'),
        "50,000 rows by 702 columns, more than 30,000,000 cells",
    ),
    # The 392 KB file with one 400 MB shared string, used by many cells.
    "shared-string": (
        lambda p: crafted(p, _HEAD + f'<row r="2">{_cells(50)}</row>',
                          strings="<si><t>" + "A" * (400 << 20) + "</t></si>"),
        "compressed more than 100 to 1",
    ),
    # A long (but allowed) shared string used by 40,000 cells: 1.2 billion characters.
    "shared-string-used-often": (
        lambda p: crafted(p, _HEAD + "".join(
            f'<row r="{r}">' + "".join(f'<c r="{c}{r}" t="s"><v>0</v></c>' for c in "ABCDEFGHIJ")
            + "</row>" for r in range(2, 4002)),
                          strings="<si><t>" + os.urandom(15_000).hex() + "</t></si>"),
        "shared strings unpack to more than 256,000,000 characters",
    ),
    # A long string that compresses less than 100 to 1 is still longer than a cell may be.
    "long-cell": (
        lambda p: crafted(p, _HEAD + f'<row r="2">{_cells(50)}</row>',
                          strings="<si><t>" + os.urandom(70_000).hex() + "</t></si>"),
        "longer than 32,767 characters",
    ),
}  # fmt: skip

# Run in a child with its address space capped: a reader that believed any of
# these files would need gigabytes and die, not print a message.
_LIMITED = """
import resource, sys
cap = 1 << 30
resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
from sendplan.cli import main
sys.argv = ["sendplan", "lists", "check", "--lists", sys.argv[1]]
main()
"""


@pytest.mark.parametrize("name", sorted(BOMBS))
def test_crafted_workbook_is_refused_naming_the_limit_under_a_memory_cap(
    tmp_path: Path, name: str
) -> None:
    build, message = BOMBS[name]
    path = build(tmp_path / f"{name}.xlsx")
    result = subprocess.run(
        [sys.executable, "-c", _LIMITED, str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "RUST_BACKTRACE": "0"},
    )
    assert result.returncode == 2, result.stderr[-2000:]
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert "panicked" not in result.stderr


def test_a_real_workbook_passes_the_checks_under_the_same_cap(tmp_path: Path) -> None:
    from test_lists import write_xlsx

    rows = [HEAD1] + [row1(f"A{i}") for i in range(300)]
    book = write_xlsx(tmp_path / "lists.xlsx", {"List 1": rows, "List 2": [HEAD2, row2("S1")]})
    result = subprocess.run(
        [sys.executable, "-c", _LIMITED, str(book)], capture_output=True, text=True, timeout=120
    )
    assert result.returncode in (0, 1), result.stderr[-2000:]


def test_a_part_larger_than_its_header_says_is_refused(tmp_path: Path) -> None:
    path = crafted(tmp_path / "lying.xlsx", _HEAD)
    data = bytearray(path.read_bytes())
    # Shrink the declared uncompressed size of the sheet in the central directory.
    name = b"xl/worksheets/sheet1.xml"
    at = data.rfind(b"PK\x01\x02", 0, data.rfind(name))
    data[at + 24 : at + 28] = (10).to_bytes(4, "little")
    path.write_bytes(bytes(data))
    result = run_cli("lists", "check", "--lists", str(path))
    assert result.code == 2
    assert "Traceback" not in result.output
