"""Spreadsheet output (issues 13 and 16): workbooks read back with python-calamine,
CSV that Excel opens right, formulas neutralised, formats matched to file names."""

from __future__ import annotations

import csv
import io
import re
import shutil
import stat
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import pytest
from python_calamine import CalamineWorkbook

from cli_harness import run_cli
from example_cases import DATED
from sendplan.render.spreadsheets import Column, Sheet, csv_text, neutralise, workbook

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "full-inspection.toml"
LISTS = ROOT / "examples" / "lists"
LIST_ARGS = ["--list1", str(LISTS / "list1.csv"), "--list2", str(LISTS / "list2.csv")]

HOSTILE = [
    '=HYPERLINK("http://evil.example","click")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1,2)",
    "\t=1+1",
    "\r=1+1",
]


def sheets(path: Path) -> dict[str, list[list[Any]]]:
    book = CalamineWorkbook.from_path(str(path))
    return {name: book.get_sheet_by_name(name).to_python() for name in book.sheet_names}


# ------------------------------------------------------------------ workbooks, read back
def test_checklist_workbook(tmp_path: Path) -> None:
    case = tmp_path / "case.toml"
    shutil.copy(EXAMPLE, case)
    marked = run_cli("mark", str(case), "1.1", "--status", "done", "--today", "2025-04-28T10:30")
    assert marked.code == 0, marked.output
    out = tmp_path / "annex-a.xlsx"
    result = run_cli(
        "checklist", str(case), "--today", "2025-04-28T12:00", "-f", "xlsx", "-o", str(out)
    )
    assert result.code == 0, result.output
    assert result.stdout == ""
    book = sheets(out)
    assert list(book) == ["Annex A", "About"]
    header, *rows = book["Annex A"]
    assert header[:5] == ["ID", "Number", "Group", "Item", "Due date"]
    by_id = {r[0]: dict(zip(header, r, strict=True)) for r in rows}
    one = by_id["1.1"]  # an id stays text: 1.1 is not the number 1.1
    assert one["Number"] == "1.1" and isinstance(one["ID"], str)
    assert one["Due date"] == date(2025, 4, 28)  # an Excel date, read back as a date
    assert one["Due time"] == time(11, 0)
    assert one["Status"] == "done" and one["RAG"] == "green"
    assert one["Updated"] == datetime(2025, 4, 28, 10, 30)
    assert by_id["1.2"]["RAG"] == "red"  # overdue since 11:00
    assert by_id["2.1"]["Group"] == "2" and isinstance(by_id["2.1"]["Group"], str)
    about = dict((r[0], r[1]) for r in book["About"][1:])
    assert about["As of"] == datetime(2025, 4, 28, 12, 0)
    assert about["Workbook"] == "Annex A checklist: Exampleshire"


def test_workbook_layout_frozen_filtered_widths_and_rag_colours(tmp_path: Path) -> None:
    # What calamine does not read (panes, filter, widths, fills) is in the sheet's XML.
    import zipfile

    out = tmp_path / "annex-a.xlsx"
    result = run_cli(
        "checklist", str(EXAMPLE), "--today", "2025-04-28T12:00", "-f", "xlsx", "-o", str(out)
    )
    assert result.code == 0, result.output
    with zipfile.ZipFile(out) as book:
        xml = book.read("xl/worksheets/sheet1.xml").decode()
        styles = book.read("xl/styles.xml").decode()
    assert '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>' in xml
    # 14 columns, due_approximate and due_relative (issue 23) included.
    assert '<autoFilter ref="A1:N' in xml
    widths = re.findall(r'<col min="(\d+)" max="(\d+)" width="([\d.]+)" customWidth="1"/>', xml)
    assert sum(int(b) - int(a) + 1 for a, b, _ in widths) == 14  # every column sized
    assert max(float(w) for _, _, w in widths) > 40  # room for the item titles
    for colour in ("D4351C", "00703C"):  # red and green fills (none amber at this moment)
        assert colour in styles


def test_select_workbook_is_owner_only_and_typed(tmp_path: Path) -> None:
    out = tmp_path / "selection.xlsx"
    result = run_cli(
        "select", str(EXAMPLE), *LIST_ARGS, "--seed", "1", "-f", "xlsx", "-o", str(out)
    )
    assert result.code == 0, result.output
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    book = sheets(out)
    assert list(book) == ["Children", "Rules", "Spread", "About"]
    header, *rows = book["Children"]
    assert header[:4] == ["Role", "Unique ID", "List", "Age group"]
    assert [r[0] for r in rows].count("selected") == 6 and "reserve" in [r[0] for r in rows]
    assert all(r[1].startswith("SYN") for r in rows)
    assert {r[2] for r in rows} <= {1.0, 2.0}  # the list number is a number
    assert all(isinstance(r[3], str) for r in rows)  # "5-10" is not a date
    about = dict((r[0], r[1]) for r in book["About"][1:])
    assert about["Seed"] == 1.0 and about["Notification"] == date(2025, 4, 25)
    assert not any("UPN" in str(cell) for sheet in book.values() for row in sheet for cell in row)


def test_lists_check_workbook_is_owner_only(tmp_path: Path) -> None:
    bad = tmp_path / "list1.csv"
    text = (LISTS / "list1.csv").read_text(encoding="utf-8").splitlines()
    cells = text[1].split(",")
    cells[0] = ""  # a missing Unique ID
    bad.write_text("\n".join([text[0], ",".join(cells), *text[2:]]) + "\n", encoding="utf-8")
    out = tmp_path / "check.xlsx"
    result = run_cli(
        "lists",
        "check",
        "--list1",
        str(bad),
        "--list2",
        str(LISTS / "list2.csv"),
        "--notification",
        "2025-04-25",
        "-f",
        "xlsx",
        "-o",
        str(out),
    )
    assert result.code == 1, result.output  # the check failed, the workbook is written
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    book = sheets(out)
    assert list(book) == ["Problems", "Summary", "Lists", "About"]
    header, first, *_ = book["Problems"]
    assert header == ["List", "Row", "Column", "Heading", "Problem", "Severity"]
    assert first[:2] == [1.0, 2.0] and first[2] == "A" and first[5] == "error"


@pytest.mark.parametrize("case", DATED, ids=lambda p: p.stem)
def test_schedule_workbook_of_every_example(case: Path, tmp_path: Path) -> None:
    out = tmp_path / "schedule.xlsx"
    result = run_cli("schedule", str(case), "-f", "xlsx", "-o", str(out))
    assert result.code == 0, result.output
    book = sheets(out)
    header, *rows = book["Schedule"]
    assert header[:4] == ["Stage", "Event id", "Date", "Until"]
    events = run_cli("schedule", str(case), "-f", "json")
    import json

    expected = json.loads(events.stdout)["events"]
    assert [r[1] for r in rows] == [e["id"] for e in expected]
    assert [r[2] for r in rows] == [date.fromisoformat(e["date"]) for e in expected]


FULLER = ROOT / "examples" / "full-inspection-timetable.toml"
SAVED = ROOT / "examples" / "timetables" / "full-inspection-timetable.toml"


def timetable_json(*args: str) -> dict[str, Any]:
    import json

    result = run_cli("timetable", *args, "-f", "json")
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def clock(text: str) -> time:
    return time.fromisoformat(text)


def test_timetable_workbook_is_typed_and_owner_only(tmp_path: Path) -> None:
    out = tmp_path / "timetable.xlsx"
    result = run_cli("timetable", str(FULLER), "-f", "xlsx", "-o", str(out))
    assert result.code == 0, result.output
    assert result.stdout == ""
    assert stat.S_IMODE(out.stat().st_mode) == 0o600  # tracked children's Unique IDs
    book = sheets(out)
    assert list(book) == ["Sessions", "Unplaced", "About"]  # not re-planned: no Moved
    header, *rows = book["Sessions"]
    assert header == ["Session id", "Session", "Kind", "Date", "Start", "End",
                      "Inspectors", "With", "Venue", "Mode", "Source"]  # fmt: skip
    expected = timetable_json(str(FULLER))["sessions"]
    assert [r[0] for r in rows] == [s["id"] for s in expected]  # ids as text, in order
    assert [r[3] for r in rows] == [date.fromisoformat(s["date"]) for s in expected]
    assert [(r[4], r[5]) for r in rows] == [(clock(s["start"]), clock(s["end"])) for s in expected]
    assert all(isinstance(r[0], str) and isinstance(r[2], str) for r in rows)
    assert [r[10] for r in rows] == [s["source"] for s in expected]
    visit = next(r for r in rows if r[0] == "sampling_visit:hillcrest-academy")
    assert visit[8] == "Hillcrest Academy" and visit[9] == "in person"
    assert "Hillcrest Academy" in visit[7]
    lead = next(r for r in rows if r[0] == "self_evaluation_meeting")
    # Full names split by semicolons: an inspector's name may hold a comma.
    assert lead[6] == "Robin Clarke (Ofsted lead inspector); Dana Okafor (CQC inspector)"
    assert book["Unplaced"] == [
        ["Session id", "Session", "When it may go", "Source", "Why not placed"]
    ]
    about = dict((r[0], r[1]) for r in book["About"][1:])
    assert about["Workbook"] == "Timetable: Full area SEND inspection, Exampleshire"
    assert about["Sessions"] == f"{len(rows)} placed, 0 not placed"
    assert "para 96" in about["Kept free"] and "owner-only" in about["Children's data"]
    assert "Re-planned" not in about


def test_timetable_csv_is_the_sessions_sheet(tmp_path: Path) -> None:
    out = tmp_path / "timetable.csv"
    assert run_cli("timetable", str(FULLER), "-f", "csv", "-o", str(out)).code == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    expected = timetable_json(str(FULLER))["sessions"]
    assert [(r["id"], r["date"], r["start"], r["end"]) for r in rows] == [
        (s["id"], s["date"], s["start"], s["end"]) for s in expected
    ]


def test_a_replanned_timetable_workbook_says_what_moved_and_whom_to_tell(tmp_path: Path) -> None:
    case = tmp_path / "case.toml"
    cancel = '\n[[timetable.unavailable]]\nwho = "Hillcrest Academy"\ndate = 2025-05-14\n'
    case.write_text(FULLER.read_text(encoding="utf-8") + cancel, encoding="utf-8")
    saved = tmp_path / "saved.toml"
    shutil.copy(SAVED, saved)
    out = tmp_path / "replan.xlsx"
    result = run_cli(
        "timetable",
        str(case),
        "--from",
        str(saved),
        "--today",
        "2025-04-01",
        "-f",
        "xlsx",
        "-o",
        str(out),
    )
    assert result.code == 0, result.output
    book = sheets(out)
    assert list(book) == ["Sessions", "Unplaced", "Moved", "About"]
    header, *moved = book["Moved"]
    assert header[:2] == ["Session id", "Session"] and header[-2:] == ["Change", "Tell"]
    data = timetable_json(str(case), "--from", str(saved), "--today", "2025-04-01")
    assert [r[0] for r in moved] == [m["id"] for m in data["moved"]] != []
    names = data["people"]
    for row, m in zip(moved, data["moved"], strict=True):
        before, after = m["before"], m["after"]
        assert row[2:5] == [date.fromisoformat(before["date"]),
                            clock(before["start"]), clock(before["end"])]  # fmt: skip
        assert row[5:8] == [date.fromisoformat(after["date"]),
                            clock(after["start"]), clock(after["end"])]  # fmt: skip
        assert row[8] == "moved"
        assert row[9].split("; ") == [names[p] for p in m["tell"]] + m["others"]
    about = dict((r[0], r[1]) for r in book["About"][1:])
    assert about["Re-planned"] == f"from {saved}: 1 session changed (sheet Moved)"


def test_a_timetable_that_cannot_fit_is_written_with_what_is_unplaced(tmp_path: Path) -> None:
    # The example has no tracked children: the workbook is not made owner-only.
    case = tmp_path / "case.toml"
    # The lead inspector away: the meeting with leaders cannot be held (para 126).
    leave = '\n[[timetable.unavailable]]\nwho = "lead_inspector"\ndate = 2025-05-12\n'
    case.write_text(EXAMPLE.read_text(encoding="utf-8") + leave, encoding="utf-8")
    out = tmp_path / "timetable.xlsx"
    result = run_cli("timetable", str(case), "-f", "xlsx", "-o", str(out))
    assert result.code == 1, result.output  # the check failed, the workbook is written
    assert stat.S_IMODE(out.stat().st_mode) & 0o077 != 0
    book = sheets(out)
    unplaced = book["Unplaced"][1:]
    assert [r[0] for r in unplaced] == ["self_evaluation_meeting"]
    assert unplaced[0][3] == "handbook paras 126-127"
    assert "unavailable on Mon 12 May 2025" in unplaced[0][4]  # why, in words
    assert "Children's data" not in {r[0] for r in book["About"]}


def test_hostile_session_title_and_venue_in_timetable_csv_and_xlsx(tmp_path: Path) -> None:
    case = tmp_path / "case.toml"
    title, venue = HOSTILE[0], HOSTILE[3]
    extra = (
        f"\n[[timetable.sessions]]\ntitle = '{title}'\npeople = [\"lano\"]\n"
        f"venue = '{venue}'\nmode = \"in_person\"\n"
    )
    case.write_text(EXAMPLE.read_text(encoding="utf-8") + extra, encoding="utf-8")
    out = tmp_path / "t.csv"
    result = run_cli("timetable", str(case), "-f", "csv", "-o", str(out))
    assert result.code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(out.read_bytes().decode("utf-8-sig"), newline="")))
    mine = [r for r in rows if r["title"].endswith(title)]
    assert len(mine) == 1 and mine[0]["title"] == "'" + title and mine[0]["venue"] == "'" + venue
    book = tmp_path / "t.xlsx"
    assert run_cli("timetable", str(case), "-f", "xlsx", "-o", str(book)).code == 0
    header, *cells = sheets(book)["Sessions"]
    row = next(r for r in cells if r[1] == title)  # the text as written, not a formula
    assert row[8] == venue
    import zipfile

    with zipfile.ZipFile(book) as archive:
        assert "<f>" not in archive.read("xl/worksheets/sheet1.xml").decode()


def test_timetable_save_and_output_are_checked_before_either_is_written(tmp_path: Path) -> None:
    save, out = tmp_path / "saved.toml", tmp_path / "t.xlsx"
    out.write_bytes(b"mine")
    result = run_cli("timetable", str(FULLER), "--save", str(save), "-f", "xlsx", "-o", str(out))
    assert result.code == 2 and "already exists" in result.output
    assert not save.exists() and out.read_bytes() == b"mine"


# ------------------------------------------------------------------ CSV for Excel
def test_csv_has_a_bom_keeps_text_and_ids(tmp_path: Path) -> None:
    case = tmp_path / "case.toml"
    shutil.copy(EXAMPLE, case)
    note = "Zoë’s team – drafts in"
    marked = run_cli("mark", str(case), "1.1", "--status", "done", "--note", note)
    assert marked.code == 0, marked.output
    out = tmp_path / "annex-a.csv"
    result = run_cli("checklist", str(case), "-f", "csv", "-o", str(out))
    assert result.code == 0, result.output
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # Excel reads UTF-8 only with the BOM
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    one = next(r for r in rows if r["id"] == '="1.1"')
    assert one["note"] == note
    assert one["number"] == '="1.1"'  # Excel shows the text 1.1, not a number
    assert next(r for r in rows if r["id"] == "list-1")["group"] == "person-level"


def test_code_cells_excel_would_convert_are_constants() -> None:
    columns = (Column("id", "ID", "code"), Column("note", "Note"))
    text = csv_text(Sheet("x", columns, [["000123", "5-10"], ["5-10", "1.1"], ["SYN1", None]]))
    lines = text.removeprefix("\ufeff").split("\r\n")[:-1]
    assert lines[1:] == ['"=""000123""",5-10', '"=""5-10""",1.1', "SYN1,"]


# ------------------------------------------------------------------ formulas neutralised
@pytest.mark.parametrize("value", HOSTILE)
def test_neutralise(value: str) -> None:
    assert neutralise(value) == "'" + value
    assert neutralise("Brookside = good") == "Brookside = good"


def test_hostile_owner_and_note_in_checklist_csv_and_xlsx(tmp_path: Path) -> None:
    case = tmp_path / "case.toml"
    shutil.copy(EXAMPLE, case)
    for n, value in enumerate(HOSTILE, 1):
        marked = run_cli(
            "mark",
            str(case),
            f"1.{n}",
            "--status",
            "in-progress",
            "--note",
            value,
            "--owner",
            value,
        )
        assert marked.code == 0, marked.output
    out = tmp_path / "a.csv"
    assert run_cli("checklist", str(case), "-f", "csv", "-o", str(out)).code == 0
    rows = list(csv.DictReader(io.StringIO(out.read_bytes().decode("utf-8-sig"), newline="")))
    written = {r["note"] for r in rows if r["note"]} | {r["owner"] for r in rows}
    assert {"'" + v for v in HOSTILE} <= written
    for row in rows:
        for cell in row.values():
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")) or cell.startswith('="')
    book = tmp_path / "a.xlsx"
    assert run_cli("checklist", str(case), "-f", "xlsx", "-o", str(book)).code == 0
    header, *cells = sheets(book)["Annex A"]
    notes = {r[header.index("Note")] for r in cells}
    assert set(HOSTILE) <= notes  # text cells holding the text as written
    import zipfile

    with zipfile.ZipFile(book) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode()
        styles = archive.read("xl/styles.xml").decode()
    assert "<f>" not in xml  # not one formula in the workbook
    assert 'quotePrefix="1"' in styles  # and Excel keeps them text when edited


def test_hostile_list_values_shown_by_select(tmp_path: Path) -> None:
    # --show copies list columns into the output: text from elsewhere.
    text = (LISTS / "list1.csv").read_text(encoding="utf-8").splitlines()
    header = text[0].split(",")
    column = next(i for i, h in enumerate(header) if h.strip().lower() == "gender")
    lines = [text[0]]
    for line in text[1:]:
        cells = line.split(",")
        cells[column] = HOSTILE[0].replace(",", ";").replace('"', "")
        lines.append(",".join(cells))
    hostile = tmp_path / "list1.csv"
    hostile.write_text("\n".join(lines) + "\n", encoding="utf-8")
    args = [
        "select",
        str(EXAMPLE),
        "--list1",
        str(hostile),
        "--list2",
        str(LISTS / "list2.csv"),
        "--seed",
        "1",
        "--show",
        "Gender",
    ]
    out = tmp_path / "s.csv"
    result = run_cli(*args, "-f", "csv", "-o", str(out))
    assert result.code == 0, result.output
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    shown = [r[-1] for r in rows[1:] if r[2] == "1"]
    assert shown and all(cell.startswith("'=HYPERLINK") for cell in shown)
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


def test_workbook_from_the_model_writes_no_formula(tmp_path: Path) -> None:
    columns = (Column("id", "ID", "code"), Column("text", "Text"), Column("rag", "RAG", "rag"))
    rows = [[v, v, "red"] for v in HOSTILE]
    path = tmp_path / "x.xlsx"
    path.write_bytes(workbook([Sheet("Data", columns, rows)], [("Workbook", HOSTILE[0])]))
    book = sheets(path)
    assert [r[:2] for r in book["Data"][1:]] == [[v, v] for v in HOSTILE]
    assert book["About"][1] == ["Workbook", HOSTILE[0]]


# ------------------------------------------------------------------ format and file name agree
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["checklist", str(EXAMPLE), "-o", "{tmp}/x.xlsx"], "--format table writes text"),
        (["checklist", str(EXAMPLE), "-f", "csv", "-o", "{tmp}/x.XLSX"], "use --format xlsx"),
        (["status", str(EXAMPLE), "-f", "markdown", "-o", "{tmp}/x.xlsx"], "no such option"),
        (["letter", str(EXAMPLE), "notification", "-o", "{tmp}/x.xls"], "name the file for"),
        (["checklist", str(EXAMPLE), "-f", "xlsx"], "give -o FILE.xlsx"),
        (["schedule", str(EXAMPLE), "-f", "xlsx", "-o", "-"], "give -o FILE.xlsx"),
        (["checklist", str(EXAMPLE), "-f", "xlsx", "-o", "{tmp}/x.csv"], "name the file .xlsx"),
        (["select", str(EXAMPLE), *LIST_ARGS, "--save", "-f", "xlsx"], "give -o FILE.xlsx"),
        (["timetable", str(EXAMPLE), "-f", "xlsx"], "give -o FILE.xlsx"),
        (["timetable", str(EXAMPLE), "-o", "{tmp}/t.xlsx"], "use --format xlsx"),
        (["timetable", str(EXAMPLE), "--check", "-f", "xlsx", "-o", "{tmp}/t.xlsx"], "verdict"),
    ],
)
def test_format_and_file_name_must_agree(args: list[str], message: str, tmp_path: Path) -> None:
    case = tmp_path / "case.toml"
    shutil.copy(EXAMPLE, case)
    before = case.read_text(encoding="utf-8")
    args = [a.replace("{tmp}", str(tmp_path)).replace(str(EXAMPLE), str(case)) for a in args]
    result = run_cli(*args)
    assert result.code == 2, result.output
    assert message in result.output
    assert "Traceback" not in result.output
    assert list(tmp_path.iterdir()) == [case]  # nothing written
    assert case.read_text(encoding="utf-8") == before  # select --save refused before saving


def test_hostile_heading_in_lists_check_csv_and_xlsx(tmp_path: Path) -> None:
    # A heading is text from the list's author: mapped in the case file, it is
    # reported with each problem in its column.
    heading = "=HYPERLINK(1)"
    case = tmp_path / "case.toml"
    text = EXAMPLE.read_text(encoding="utf-8")
    case.write_text(text + f'\n[tracking.columns]\nprimary_need = "{heading}"\n', encoding="utf-8")
    rows = (LISTS / "list1.csv").read_text(encoding="utf-8").splitlines()
    header = rows[0].replace("SEN primary need", heading.replace(",", ";"))
    first = rows[1].split(",")
    first[9] = ""  # no primary need in the renamed column (J)
    list1 = tmp_path / "list1.csv"
    list1.write_text("\n".join([header, ",".join(first), *rows[2:]]) + "\n", encoding="utf-8")
    args = ["lists", "check", "--list1", str(list1), "--list2", str(LISTS / "list2.csv"),
            "--case", str(case)]  # fmt: skip
    out = tmp_path / "check.csv"
    assert run_cli(*args, "-f", "csv", "-o", str(out)).code == 1
    found = list(csv.DictReader(io.StringIO(out.read_bytes().decode("utf-8-sig"), newline="")))
    assert any(r["column"] == "'" + heading for r in found), found
    book = tmp_path / "check.xlsx"
    assert run_cli(*args, "-f", "xlsx", "-o", str(book)).code == 1
    problems = sheets(book)["Problems"]
    assert [heading] == list({r[3] for r in problems[1:] if r[3] == heading})


# ------------------------------------------------------------------ printing (issue 21)
def _xml(book: Path) -> dict[str, str]:
    import zipfile

    with zipfile.ZipFile(book) as archive:
        return {
            n: archive.read(n).decode("utf-8") for n in archive.namelist() if n.endswith(".xml")
        }


def _attrs(xml: str, element: str) -> dict[str, str]:
    match = re.search(rf"<{element}\b([^>]*)/?>", xml)
    assert match, f"no <{element}>"
    return dict(re.findall(r'(\w+)="([^"]*)"', match.group(1)))


def _workbook_commands() -> list[str]:
    from test_cli_contract import NAMES, formats

    return [n for n in NAMES if "xlsx" in formats(n)]


@pytest.mark.parametrize("command", _workbook_commands())
def test_every_workbook_prints_a4_landscape_one_page_wide(command: str, tmp_path: Path) -> None:
    """Each command that writes a workbook (found from the app, so a new one is
    covered): every sheet A4 landscape, fit to one page wide, the header row
    repeated on each page, the case and a date in the page header."""
    from test_cli_contract import ok_args

    out = tmp_path / "book.xlsx"
    args = ok_args(command, tmp_path)
    result = run_cli(*args, "-f", "xlsx", "-o", str(out))
    assert result.code in (0, 1), result.output
    parts = _xml(out)
    names = sorted(n for n in parts if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", n))
    assert names
    workbook_xml = parts["xl/workbook.xml"]
    titles = re.findall(
        r'<definedName name="_xlnm.Print_Titles" localSheetId="(\d+)">([^<]+)<', workbook_xml
    )
    assert len(titles) == len(names), "print titles (the header row) on every sheet"
    assert all(cells.endswith("!$1:$1") for _, cells in titles)
    for name in names:
        sheet = parts[name]
        setup = _attrs(sheet, "pageSetup")
        assert setup["orientation"] == "landscape", name
        assert setup["paperSize"] == "9", name  # A4
        # fitToWidth defaults to 1 (ECMA-376 Part 1, 18.3.1.63): Excel and
        # xlsxwriter leave it out then; fitToPage turns the fitting on.
        assert setup.get("fitToWidth", "1") == "1", name
        assert setup.get("fitToHeight") == "0", name  # as many pages tall as needed
        assert _attrs(sheet, "pageSetUpPr")["fitToPage"] == "1", name
        header = re.search(r"<oddHeader>([^<]*)</oddHeader>", sheet)
        footer = re.search(r"<oddFooter>([^<]*)</oddFooter>", sheet)
        assert header and footer, name
        assert "Exampleshire" in header.group(1), header.group(1)
        assert re.search(r"As of \d+ \w{3} \d{4}|&amp;D", header.group(1)), header.group(1)
        assert "&amp;P of &amp;N" in footer.group(1)


def test_a_header_keeps_its_date_whatever_the_area_name(tmp_path: Path) -> None:
    long = "A & B " * 80
    path = tmp_path / "x.xlsx"
    path.write_bytes(
        workbook(
            [Sheet("S", [Column("a", "A")], [["x"]])],
            [("Workbook", f"Checklist: {long}"), ("As of", datetime(2025, 5, 1, 12, 0))],
        )
    )
    header = re.search(r"<oddHeader>([^<]*)</oddHeader>", _xml(path)["xl/worksheets/sheet1.xml"])
    assert header is not None
    text = header.group(1).replace("&amp;", "&")
    assert len(text) <= 255 and text.endswith("&RAs of 1 May 2025, 12:00")
    assert "&&" in text  # an ampersand in a name is shown, not read as a code
