"""Reading a list's table of cells from CSV or Excel, and matching its headings."""

from __future__ import annotations

import csv
import gc
import io
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sendplan.errors import ListError, suggestion_text
from sendplan.lists.codes import (
    _HEADING_INDEX,
    heading_key,
)


# ------------------------------------------------------------------ reading
@dataclass(frozen=True)
class Sheet:
    """A table of cells and the file row number of its first row."""

    source: str
    rows: Iterable[Sequence[Any]]  # a CSV's rows are read as they are used
    all_text: bool = False  # every cell is a str (CSV)


def read_csv(path: Path) -> Sheet:
    """A CSV as rows of strings (UTF-8 with or without BOM, else Windows-1252).

    A regular file of at most :data:`~sendplan.files.MAX_LIST_BYTES`; rows,
    row length and cell length are capped as they are read (:mod:`.limits`).
    """
    from sendplan.errors import InputError
    from sendplan.files import MAX_LIST_BYTES, read_input

    try:
        raw = read_input(path, "list file", MAX_LIST_BYTES)
    except InputError as error:
        raise ListError(str(error)) from None
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
    from sendplan.lists.limits import MAX_CELL_CHARS, MAX_COLUMNS, MAX_ROWS

    limit = csv.field_size_limit()
    csv.field_size_limit(MAX_CELL_CHARS)
    try:
        for number, row in enumerate(reader, start=1):
            if number > MAX_ROWS:
                raise ListError(f"{path}: more than {MAX_ROWS:,} rows (the limit for a list)")
            if len(row) > MAX_COLUMNS:
                raise ListError(
                    f"{path}: line {reader.line_num} has more than {MAX_COLUMNS:,} columns "
                    "(the limit for a list)"
                )
            yield row
    except csv.Error as error:
        # csv's messages can quote the offending text; say where only.
        if "field larger than field limit" in str(error):
            raise ListError(
                f"{path}: line {reader.line_num} has a cell longer than "
                f"{MAX_CELL_CHARS:,} characters (the limit, as in Excel)"
            ) from None
        raise ListError(f"{path}: not a readable CSV file (line {reader.line_num})") from None
    finally:
        csv.field_size_limit(limit)


def _open_workbook(path: Path) -> Any:
    from python_calamine import CalamineWorkbook

    from sendplan.errors import InputError
    from sendplan.lists.limits import check_workbook

    try:
        check_workbook(path)  # limits first: calamine would allocate what the file declares
    except InputError as error:
        raise ListError(str(error)) from None
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
            f"{path}: {{workbook}} needs a workbook with two sheets (List 1 and List 2); "
            f"it has {len(names)}",
            parameters=("workbook",),
        )
    first = _pick_sheet(names, 1)
    second = _pick_sheet(names, 2)
    if first == second:
        first, second = names[0], names[1]
    return first, second


#: Workbook formats read: the zip-based ones whose limits can be checked before
#: parsing (:mod:`.limits`).  Older .xls and binary .xlsb are not.
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")


def read_table(path: Path, list_number: int, sheet: str | None = None) -> Sheet:
    """Read a list from ``.csv`` or ``.xlsx``/``.xlsm``."""
    path = Path(path)
    suffix = path.suffix.casefold()
    if suffix in (".csv", ".txt"):
        return read_csv(path)
    if suffix in WORKBOOK_SUFFIXES:
        return read_excel(path, sheet, list_number)
    raise ListError(f"{path}: expected a .csv or .xlsx file" + _resave_hint(suffix))


def _resave_hint(suffix: str) -> str:
    if suffix in (".xls", ".xlsb", ".ods"):
        return f" (save the {suffix} file as .xlsx, Ofsted's template format, or as CSV)"
    return ""


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


def open_lists(
    list1: Path | None = None,
    list2: Path | None = None,
    workbook: Path | None = None,
) -> list[tuple[Sheet, int]]:
    """The sheets named on the command line: ``--list1``/``--list2`` or one ``--lists`` book."""
    if workbook is not None:
        if list1 is not None or list2 is not None:
            raise ListError(
                "give either {workbook} (one workbook) or {list1} and {list2}, not both",
                parameters=("workbook", "list1", "list2"),
            )
        suffix = Path(workbook).suffix.casefold()
        if suffix not in WORKBOOK_SUFFIXES:
            raise ListError(
                f"{workbook}: {{workbook}} expects an Excel workbook (.xlsx) with two sheets"
                + _resave_hint(suffix),
                parameters=("workbook",),
            )
        book = _open_workbook(Path(workbook))
        first, second = list_sheets(Path(workbook), book)
        return [
            (read_excel(Path(workbook), first, book=book), 1),
            (read_excel(Path(workbook), second, book=book), 2),
        ]
    if list1 is None and list2 is None:
        raise ListError(
            "give the lists: {list1} FILE {list2} FILE, or {workbook} WORKBOOK",
            parameters=("list1", "list2", "workbook"),
        )
    out: list[tuple[Sheet, int]] = []
    for path, number in ((list1, 1), (list2, 2)):
        if path is not None:
            out.append((read_table(Path(path), number), number))
    return out


@contextmanager
def _no_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while building 100,000s of records.

    Reading creates no reference cycles, but every few hundred new objects the
    collector walks them all again: pausing it halves the time of a big list.
    Switched back on, it would still walk the new records once in its next
    full collection; ``gc.freeze()`` moves them out of its sight instead
    (0.3-0.5 s on 100,000 rows, benchmarks/selection.py).  Reference counting
    still frees them when they are dropped.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.freeze()
            gc.enable()
