"""Spreadsheets: CSV that Excel opens right, and ``.xlsx`` workbooks.

Every command's CSV and workbook comes from one table model, :class:`Sheet`
(named, typed columns and rows of Python values), written here and only here:

* :func:`csv_text`: UTF-8 with a byte-order mark, so Excel on Windows opens
  it by double-click without turning "Zoë" or an en dash into mojibake; short
  codes Excel would turn into numbers or dates (a checklist id ``1.1``, an
  age group ``5-10``, a Unique ID ``000123``) are written as ``="1.1"``, a
  constant Excel shows as the text.
* :func:`workbook`: a real workbook (xlsxwriter, imported only here): one
  sheet per table, the header row frozen and filtered, dates as Excel dates,
  codes as text cells, column widths set, the red/amber/green status as the
  cell's colour as well as its word, and an "About" sheet saying what the
  workbook is and when it was made.  Every sheet prints (issue 21): A4
  landscape, one page wide, the header row on every page, the case and the
  date in the page header, "page N of M" in the footer.

Both neutralise formulas with :func:`neutralise` (OWASP's CSV injection
advice): a text cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return could run as a formula when a spreadsheet opens it.  In CSV it
gets a leading apostrophe; in a workbook it is a text cell marked with Excel's
quote prefix (shown as written, kept as text when edited).  Case files and
person-level lists come from elsewhere, so any of their text may be hostile.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time
from typing import Any

from sendplan.dates import clock_text
from sendplan.namedtuples import NamedTuple

#: A text cell starting with one of these may run as a formula in a spreadsheet.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
#: Short codes Excel would read as a number, date or time (``1.1``, ``5-10``, ``000123``).
_EXCEL_WOULD_CONVERT = re.compile(r"[0-9][0-9 .,:/-]*|[0-9]+[eE][0-9]+")

#: Column kinds: free text, a short code kept as text, typed values, the RAG status.
KINDS = ("text", "code", "date", "time", "datetime", "number", "rag")


class Column(NamedTuple):
    """One column: its CSV heading (stable, for scripts), its workbook title and kind."""

    name: str
    title: str
    kind: str = "text"
    #: Widest the workbook column grows (characters); longer text wraps.
    max_width: int = 50


class Sheet(NamedTuple):
    """One table: a sheet of a workbook, or a whole CSV file."""

    name: str
    columns: Sequence[Column]
    rows: Sequence[Sequence[Any]]


def formula_risk(text: str) -> bool:
    """Whether a spreadsheet could take ``text`` for a formula."""
    return text.startswith(FORMULA_START)


def neutralise(text: str) -> str:
    """``text`` as a CSV cell no spreadsheet runs: a leading apostrophe if it could."""
    return "'" + text if formula_risk(text) else text


# ------------------------------------------------------------------ CSV
def _csv_cell(column: Column, value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return clock_text(value)
    if isinstance(value, int | float):
        return str(value)
    text = str(value)
    if column.kind == "code" and len(text) < 200 and _EXCEL_WOULD_CONVERT.fullmatch(text):
        # Digits and separators only (the pattern admits no quote): a constant string.
        return f'="{text}"'
    return neutralise(text)


def csv_text(sheet: Sheet) -> str:
    """The sheet as CSV for Excel and scripts: UTF-8 with a BOM, formulas neutralised."""
    import csv  # only for --format csv: the table views load this module too

    buffer = io.StringIO()
    buffer.write("\ufeff")
    # CRLF, as RFC 4180 and Excel write it; it also makes the writer quote a cell
    # holding a lone carriage return, which Excel would otherwise take for a row's end.
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([c.name for c in sheet.columns])
    for row in sheet.rows:
        writer.writerow([_csv_cell(c, v) for c, v in zip(sheet.columns, row, strict=True)])
    return buffer.getvalue()


# ------------------------------------------------------------------ workbook
#: GOV.UK design system colours: the status stays a word too (colour-blind, printed).
RAG_COLOURS = {"red": "#D4351C", "amber": "#F47738", "green": "#00703C"}
_NUMBER_FORMATS = {"date": "d mmm yyyy", "time": "hh:mm", "datetime": "d mmm yyyy hh:mm"}


class _Formats:
    """xlsxwriter formats, made once per workbook and kind."""

    def __init__(self, book: Any) -> None:
        self.book = book
        self.made: dict[tuple[str, bool, str], Any] = {}
        self.header = book.add_format({"bold": True, "bottom": 1, "text_wrap": True})

    def get(self, kind: str, quoted: bool = False, rag: str = "") -> Any:
        key = (kind, quoted, rag)
        if key not in self.made:
            spec: dict[str, Any] = {"valign": "top"}
            if kind in _NUMBER_FORMATS:
                spec["num_format"] = _NUMBER_FORMATS[kind]
                spec["align"] = "left"
            elif kind == "code":
                spec["num_format"] = "@"  # text, also when edited
            elif kind == "text":
                spec["text_wrap"] = True
            if quoted:
                spec["quote_prefix"] = True
            if rag in RAG_COLOURS:
                spec.update(bg_color=RAG_COLOURS[rag], font_color="#FFFFFF", bold=True)
            self.made[key] = self.book.add_format(spec)
        return self.made[key]


def _cell_text(value: Any) -> str:
    """What a cell shows, to size its column."""
    if isinstance(value, datetime):
        return "30 Sep 2025 11:00"
    if isinstance(value, date):
        return "30 Sep 2025"
    if isinstance(value, time):
        return "11:00"
    return "" if value is None else str(value)


def _write_cell(
    sheet: Any, formats: _Formats, row: int, col: int, column: Column, value: Any
) -> None:
    if value is None or value == "":
        return
    if isinstance(value, bool):
        sheet.write_string(row, col, "yes" if value else "no", formats.get(column.kind))
    elif isinstance(value, datetime | date):
        kind = "datetime" if isinstance(value, datetime) else "date"
        sheet.write_datetime(row, col, value, formats.get(kind))
    elif isinstance(value, time):
        sheet.write_datetime(row, col, value, formats.get("time"))
    elif isinstance(value, int | float):
        sheet.write_number(row, col, value, formats.get("number"))
    else:
        text = str(value)
        rag = text if column.kind == "rag" else ""
        # write_string, never write(): xlsxwriter's write() turns "=..." into a formula.
        sheet.write_string(row, col, text, formats.get(column.kind, formula_risk(text), rag))


#: Excel's paper size code for A4 (ECMA-376 Part 1, 18.3.1.63 pageSetup paperSize).
_A4 = 9
#: Excel's limit on a page header or footer (characters, codes included).
_HEADER_MOST = 255


def _header_text(text: str) -> str:
    """``text`` for a page header: ``&`` is Excel's code character, doubled to show one."""
    return " ".join(text.split()).replace("&", "&&")


def _as_of_text(value: Any) -> str:
    from sendplan.dates import date_text

    if isinstance(value, datetime):
        return f"{date_text(value.date())}, {clock_text(value)}"
    return date_text(value) if isinstance(value, date) else str(value)


def _print_setup(sheet: Any, title: str, as_of: str) -> None:
    """A4 landscape, one page wide (as many tall as needed), the header row on
    every page; the workbook's title (the case) and its date in the header."""
    sheet.set_landscape()
    sheet.set_paper(_A4)
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(0)
    right = f"&R{_header_text(as_of)}" if as_of else "&RPrinted &D"
    room = _HEADER_MOST - len(right) - len("&L")
    left = _header_text(title)
    if len(left) > room:  # a hostile or very long area name: the header keeps its date
        left = left[: room - 1].rstrip("&") + "\u2026"
    sheet.set_header(f"&L{left}{right}")
    sheet.set_footer("&LWritten by sendplan&RPage &P of &N")


def _add_sheet(
    book: Any,
    formats: _Formats,
    table: Sheet,
    *,
    filtered: bool = True,
    title: str = "",
    as_of: str = "",
) -> None:
    sheet = book.add_worksheet(table.name)
    _print_setup(sheet, title, as_of)
    for col, column in enumerate(table.columns):
        sheet.write_string(0, col, column.title, formats.header)
    for r, values in enumerate(table.rows, start=1):
        for col, (column, value) in enumerate(zip(table.columns, values, strict=True)):
            _write_cell(sheet, formats, r, col, column, value)
    for col, column in enumerate(table.columns):
        longest = max(
            (
                len(line)
                for v in [column.title, *(row[col] for row in table.rows)]
                for line in _cell_text(v).splitlines() or [""]
            ),
            default=0,
        )
        sheet.set_column(col, col, min(longest, column.max_width) + 2)
    sheet.freeze_panes(1, 0)
    if filtered and table.columns:
        sheet.autofilter(0, 0, max(len(table.rows), 1), len(table.columns) - 1)


def workbook(sheets: Iterable[Sheet], about: Sequence[tuple[str, Any]]) -> bytes:
    """An ``.xlsx`` workbook of ``sheets``, then an "About" sheet of ``about`` rows."""
    import xlsxwriter  # type: ignore[import-untyped]  # no stubs; used here only

    buffer = io.BytesIO()
    # No automatic conversions: every text is a text cell, never a formula, number or link.
    options = {
        "in_memory": True,
        "strings_to_formulas": False,
        "strings_to_numbers": False,
        "strings_to_urls": False,
    }
    book = xlsxwriter.Workbook(buffer, options)
    formats = _Formats(book)
    facts = {str(k): v for k, v in about}
    title = str(facts.get("Workbook", ""))
    made = facts.get("As of")
    as_of = "" if made is None else f"As of {_as_of_text(made)}"
    for table in sheets:
        _add_sheet(book, formats, table, title=title, as_of=as_of)
    columns = (Column("about", "About", max_width=30), Column("value", "", max_width=90))
    about_sheet = Sheet("About", columns, list(about))
    _add_sheet(book, formats, about_sheet, filtered=False, title=title, as_of=as_of)
    book.close()
    return buffer.getvalue()


def about_rows(
    title: str, made: date | datetime | None, *notes: tuple[str, Any]
) -> list[tuple[str, Any]]:
    """The "About" sheet: what the workbook is, by which sendplan, as of when."""
    from sendplan import __version__

    rows: list[tuple[str, Any]] = [("Workbook", title)]
    if made is not None:
        rows.append(("As of", made))
    rows += [n for n in notes if n[1] not in (None, "", [])]
    rows.append(("Written by", f"sendplan {__version__}"))
    return rows
