"""Limits on the person-level lists, checked before a spreadsheet is parsed.

Lists come from elsewhere and are hostile until checked: a 3 KB workbook can
declare a sheet of 17 billion cells, a 400 KB one can hold a 400 MB string.
Before python-calamine reads a workbook, :func:`check_workbook` reads what the
zip and every sheet declare and contain (uncompressed sizes, compression
ratio, dimensions, the cells' positions, the length of shared strings) and
refuses anything beyond limits generous for real lists: a large local area's
List 2 is well under 200,000 rows of about 20 columns.

Every refusal is a :class:`~sendplan.lists.codes.ListError` (exit 2) naming
the limit, never a cell's content.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

from sendplan.errors import ListError
from sendplan.files import MAX_LIST_BYTES, check_input

#: Rows in one sheet or CSV (Excel's own maximum is 1,048,576).
MAX_ROWS = 1_000_000
#: Columns in one sheet or CSV row (the template has about 20).
MAX_COLUMNS = 1_000
#: The rectangle a sheet spans (rows x columns): the reader allocates every cell in it.
MAX_CELLS = 30_000_000
#: Characters in one cell: Excel's own limit.
MAX_CELL_CHARS = 32_767
#: Uncompressed size of all parts of a workbook (200,000 rows are about 150 MB).
MAX_UNCOMPRESSED = 1 << 30
#: How much a part may shrink when compressed (real sheets: about 10 to 1).
MAX_RATIO = 100
#: Parts in a workbook.
MAX_PARTS = 10_000
#: Characters in all the cells that use shared strings (each gets its own copy);
#: 200,000 rows of 20 columns hold about 40 million.
MAX_TEXT = 256_000_000

_DIMENSION = re.compile(rb"<(?:[\w.-]+:)?dimension\b[^>]*?\bref=\"([^\"]*)\"")
# Excel, LibreOffice and xlsxwriter write `r` first; anything else takes the slow path.
_ROW_R = re.compile(rb'<row r="([0-9]+)"')
_PREFIXED = re.compile(rb"<[\w.-]+:(?:c|row)[\s/>]")
# The scans below each start with a literal ("<c", "<row", ":"), which the
# regular-expression engine finds by a fast search instead of trying every "<":
# five times quicker over a 64 MB sheet than one alternation (benchmarks/selection.py).
_PREFIX_HINT = re.compile(rb":(?:c|row)[\s/>]")
_ROW_WITHOUT_R = re.compile(rb'<row(?! r=")[\s/>]')
_ELEMENT = re.compile(rb"<(/?)(?:[\w.-]+:)?(row|c)(?=[\s/>])([^>]*)>")
_R = re.compile(rb"\sr=\"([A-Z]*)([0-9]*)\"")
_LONG_TEXT = re.compile(rb"[^<]{%d}" % (MAX_CELL_CHARS * 4 + 1))  # 4 bytes a character at most
_SHORT = 128  # text runs shorter than this are not measured one by one
_NOT_SHORT = re.compile(rb"[^<]{%d,}" % _SHORT)
_SHARED_ITEM = re.compile(rb"<(?:[\w.-]+:)?si\b[^>]*>(.*?)</(?:[\w.-]+:)?si>", re.DOTALL)
_TAG = re.compile(rb"<[^>]*>")
_SHARED_REF = re.compile(rb'<(?:[\w.-]+:)?c\b[^>]*\bt="s"[^>]*>\s*<(?:[\w.-]+:)?v>\s*([0-9]{1,9})')
_SHEET_PART = re.compile(r"xl/worksheets/sheet[0-9]+\.xml")
# The quick check of a sheet: cells and rows placed as Excel, LibreOffice and
# xlsxwriter write them, with one letter and at most six digits (``<c r="U80001"``,
# ``<row r="80001"``), span at most 26 columns by 999,999 rows, within every limit.
# One search per chunk for anything else replaces following the largest row and
# column cell by cell (a third of the time); a sheet it cannot vouch for (wider,
# or written otherwise) is checked exactly, from its start.
_QUICK_COLUMNS, _QUICK_ROWS = 26, 999_999
_CELL_NOT_QUICK = re.compile(rb'<c(?! r="[A-Z][0-9]{1,6}")[\s/>]')
_ROW_NOT_QUICK = re.compile(rb'<row(?! r="[0-9]{1,6}")[\s/>]')
_DIMENSION_REF = re.compile(rb"\$?([A-Z]+)\$?([0-9]+)(?::\$?([A-Z]+)\$?([0-9]+))?")
_CHUNK = 1 << 22


def check_list_file(path: Path) -> None:
    """A list must be a regular file of at most :data:`~sendplan.files.MAX_LIST_BYTES`."""
    check_input(path, "list file", MAX_LIST_BYTES)


def column_number(letters: bytes) -> int:
    """b"A" -> 1, b"AA" -> 27."""
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


def check_workbook(path: Path) -> None:
    """Refuse a workbook whose parts or sheets exceed the limits, before it is parsed."""
    check_list_file(path)
    try:
        book = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise ListError(f"{path}: not a readable Excel workbook (.xlsx)") from None
    with book:
        parts = book.infolist()
        if len(parts) > MAX_PARTS:
            raise ListError(f"{path}: more than {MAX_PARTS:,} parts in the workbook")
        total = sum(p.file_size for p in parts)
        if total > MAX_UNCOMPRESSED:
            raise ListError(
                f"{path}: the workbook unpacks to more than {MAX_UNCOMPRESSED >> 20:,} MB "
                "(the limit for a list)"
            )
        for part in parts:
            if part.file_size > 1 << 20 and part.file_size > MAX_RATIO * max(part.compress_size, 1):
                raise ListError(
                    f"{path}: part {part.filename} is compressed more than {MAX_RATIO} to 1 "
                    "(the limit for a list; real sheets are about 10 to 1)"
                )
        # Cells' references to shared strings only count when there are shared strings.
        shared = any(p.filename.casefold().endswith("sharedstrings.xml") for p in parts)
        try:
            refs = longest = 0
            for part in parts:
                if part.filename.endswith("/"):
                    continue
                part_refs, part_longest = _check_part(path, book, part, shared)
                refs, longest = refs + part_refs, max(longest, part_longest)
            # Each cell using a shared string gets its own copy: bound the total.
            if max(longest, _SHORT) * refs > MAX_TEXT and _shared_text(book, parts) > MAX_TEXT:
                raise ListError(
                    f"{path}: the cells' shared strings unpack to more than "
                    f"{MAX_TEXT:,} characters (the limit for a list)"
                )
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError):
            # A part larger than declared fails its CRC: never read past what was declared.
            raise ListError(f"{path}: not a readable Excel workbook (.xlsx)") from None


def _shared_text(book: zipfile.ZipFile, parts: list[zipfile.ZipInfo]) -> int:
    """The characters every shared-string cell would hold, counted exactly (the slow path,
    for workbooks whose long shared strings might be used many times)."""
    lengths: list[int] = []
    for part in parts:
        if part.filename.casefold().endswith("sharedstrings.xml"):
            data = book.read(part)
            lengths += [len(_TAG.sub(b"", m.group(1))) for m in _SHARED_ITEM.finditer(data)]

    def used(data: bytes) -> int:
        indexes = (int(i) for i in _SHARED_REF.findall(data))
        return sum(lengths[i] for i in indexes if i < len(lengths))

    return sum(
        used(data)
        for part in parts
        if part.filename.casefold().endswith(".xml")
        for data in _chunks(book, part)
    )


def _check_part(
    path: Path, book: zipfile.ZipFile, part: zipfile.ZipInfo, shared: bool = True
) -> tuple[int, int]:
    """Check one part; the number of shared-string cells in it (when ``shared``), and
    its longest text."""
    where = f"{path}: {part.filename}"
    # A shared string is copied into every cell that uses it: its length is what
    # multiplies.  A sheet's own text is bounded by the part's size and ratio.
    strings = not _SHEET_PART.fullmatch(part.filename)
    if not strings:
        quick = _check_sheet_quickly(where, book, part, shared)
        if quick is not None:
            return quick, 0
    refs = longest = 0
    max_row = max_col = 0
    for number, data in enumerate(_chunks(book, part)):
        if not number:
            _check_dimension(where, data)
        if strings and _LONG_TEXT.search(data):
            raise ListError(
                f"{where}: a cell longer than {MAX_CELL_CHARS:,} characters (Excel's limit)"
            )
        refs += data.count(b't="s"')
        if strings:
            longest = max([longest, *(len(m) for m in _NOT_SHORT.findall(data))])
        rows = _ROW_R.findall(data)
        if rows:
            max_row = max(max_row, max(map(int, rows)))
        # One search per chunk finds any cell beyond the rows and columns seen
        # so far, and any cell or row a reader would place by counting.
        if _ROW_WITHOUT_R.search(data) or (_PREFIX_HINT.search(data) and _PREFIXED.search(data)):
            return _positions_slowly(book, part, where), longest
        at = 0
        while found := _beyond(max_row, max_col).search(data, at):
            letters = found.group("col") or found.group("at")
            if letters is None:
                return _positions_slowly(book, part, where), longest
            max_col = max(max_col, column_number(letters))
            max_row = max(max_row, int(found.group("row")))
            _check_size(where, max_row, max_col)
            at = found.start() + 1
        _check_size(where, max_row, max_col)
    return refs, longest


def _check_sheet_quickly(
    where: str, book: zipfile.ZipFile, part: zipfile.ZipInfo, shared: bool
) -> int | None:
    """The number of shared-string cells in a sheet whose cells and rows the quick check
    vouches for (see ``_QUICK_ROWS``); None when the sheet needs the exact check."""
    refs = 0
    for number, data in enumerate(_chunks(book, part)):
        if not number and _check_dimension(where, data) > _QUICK_COLUMNS:
            return None
        if (
            _CELL_NOT_QUICK.search(data)
            or _ROW_NOT_QUICK.search(data)
            or (_PREFIX_HINT.search(data) and _PREFIXED.search(data))
        ):
            return None
        if shared:
            refs += data.count(b't="s"')
    return refs


@lru_cache(maxsize=64)
def _beyond(max_row: int, max_col: int) -> re.Pattern[bytes]:
    """Matches a cell past ``max_row`` or ``max_col``, or a cell without its ``r``.

    Excel, LibreOffice and xlsxwriter write cells as ``<c r="B7"`` and rows as
    ``<row r="7"``; anything else (a namespace prefix, no ``r``, ``r`` not
    first) matches with no ``col`` group and sends the part to the slow count.
    """
    # Rows without ``r`` and prefixed names are found before this search, by
    # _ROW_WITHOUT_R and _PREFIXED; this one starts with the literal "<c".
    odd = rb'(?! r=")[\s/>]'
    col = _greater(column_name(max_col), b"A", b"Z") if max_col else b"[A-Z]+"
    row = _greater(str(max_row).encode(), b"0", b"9", lead=b"1")
    cell = rb' r="(?:(?P<col>%s)|(?P<at>[A-Z]+)(?=(?:%s)"))(?P<row>[0-9]+)"' % (col, row)
    return re.compile(rb"<c(?:%s|%s)" % (cell, odd))


def column_name(number: int) -> bytes:
    """1 -> b"A", 27 -> b"AA"."""
    letters = b""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = bytes([65 + rest]) + letters
    return letters


def _greater(token: bytes, low: bytes, high: bytes, lead: bytes | None = None) -> bytes:
    """A regular expression for the tokens after ``token``: longer, or as long and later.

    Digits (``0-9``, no leading zero) for row numbers, letters (``A-Z``) for columns.
    """
    any_ = b"[%s-%s]" % (low, high)
    first = b"[%s-%s]" % (lead or low, high)
    options = [first + any_ + b"{%d,}" % len(token)]  # longer
    for i, symbol in enumerate(token):
        if symbol < high[0]:
            rest = len(token) - i - 1
            options.append(
                re.escape(token[:i]) + b"[%c-%s]" % (symbol + 1, high) + any_ + b"{%d}" % rest
            )
    return b"|".join(options)


def _chunks(book: zipfile.ZipFile, part: zipfile.ZipInfo) -> Iterator[bytes]:
    """``part`` in chunks cut before an element's start: no element spans two chunks."""
    tail = b""
    with book.open(part) as stream:
        while chunk := stream.read(_CHUNK):
            data = tail + chunk
            cut = max(data.rfind(b"<"), 0)
            yield data[:cut]
            tail = data[cut:]
    yield tail


def _positions_slowly(book: zipfile.ZipFile, part: zipfile.ZipInfo, where: str) -> int:
    """Check rows and columns as a reader counts them when cells or rows omit ``r``;
    the number of cells using a shared string."""
    row = col = max_row = max_col = refs = 0
    for data in _chunks(book, part):
        refs += data.count(b't="s"')
        for closing, name, attributes in _ELEMENT.findall(data):
            if closing:
                continue
            found = _R.search(attributes)
            if name == b"row":
                row = int(found.group(2)) if found and found.group(2) else row + 1
                col = 0
            else:
                if found and found.group(1):
                    col = column_number(found.group(1))
                    row = int(found.group(2)) if found.group(2) else row
                else:
                    col += 1
            max_row, max_col = max(max_row, row), max(max_col, col)
            _check_size(where, max_row, max_col)
    return refs


def _check_dimension(where: str, head: bytes) -> int:
    """Check the rows and columns a sheet declares (``<dimension ref="A1:R80001">`` near
    its start, in ``head``); the columns declared, 0 when it declares none."""
    declared = _DIMENSION.search(head[:65536])
    found = _DIMENSION_REF.fullmatch(declared.group(1).strip()) if declared else None
    if found is None:
        return 0
    columns = column_number(found.group(3) or found.group(1))
    _check_size(where, int(found.group(4) or found.group(2)), columns, declared=True)
    return columns


def _check_size(where: str, rows: int, columns: int, declared: bool = False) -> None:
    what = "declares" if declared else "has"
    if rows > MAX_ROWS:
        raise ListError(f"{where}: the sheet {what} more than {MAX_ROWS:,} rows (the limit)")
    if columns > MAX_COLUMNS:
        raise ListError(f"{where}: the sheet {what} more than {MAX_COLUMNS:,} columns (the limit)")
    if rows * columns > MAX_CELLS:
        raise ListError(
            f"{where}: the sheet {what} {rows:,} rows by {columns:,} columns, more than "
            f"{MAX_CELLS:,} cells (the limit)"
        )
