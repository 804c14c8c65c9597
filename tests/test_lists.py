"""Reading Lists 1 and 2 (handbook paras 196-199) and `sendplan lists check`."""

from __future__ import annotations

import csv
import json
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from pathlib import Path

import pytest

from cli_harness import run_cli
from sendplan.lists import (
    ListError,
    Sheet,
    column_letter,
    load_lists,
    match_headings,
    need_code,
    open_lists,
    parse_date,
    phase_code,
    read_excel,
)

ROOT = Path(__file__).resolve().parents[1]
LISTS = ROOT / "examples" / "lists"
NOTIFIED = date(2025, 4, 25)

HEAD1 = [
    "Unique ID", "UPN", "ULN", "Date of birth", "Gender", "Ethnicity",
    "Date initial EHC plan issued", "Date updated EHC plan issued", "Date EHC plan last reviewed",
    "SEN primary need", "Main education establishment – URN", "Main education establishment – phase",
    "Known to children's social care?", "Which children's social care team?",
    "Does the child or young person have a disability?",
]  # fmt: skip
HEAD2 = [h for h in HEAD1 if "EHC plan" not in h]


def row1(uid: str, **cells: str) -> list[str]:
    """A good List 1 row (aged 10 at notification), with some cells replaced."""
    base = {
        "Unique ID": uid,
        "UPN": f"ZUPN{uid}",
        "Date of birth": "01/09/2014",
        "Gender": "F",
        "Ethnicity": "WBRI",
        "Date initial EHC plan issued": "01/03/2020",
        "Date EHC plan last reviewed": "01/03/2025",
        "SEN primary need": "ASD",
        "Main education establishment – URN": "100001",
        "Main education establishment – phase": "b",
        "Known to children's social care?": "No",
        "Does the child or young person have a disability?": "Yes",
    }
    base.update({_HEADING_OF.get(k, k): v for k, v in cells.items()})
    return [base.get(h, "") for h in HEAD1]


def row2(uid: str, **cells: str) -> list[str]:
    full = dict(zip(HEAD1, row1(uid, **cells), strict=True))
    return [full[h] if "EHC" not in h else "" for h in HEAD2]


_HEADING_OF = {
    "dob": "Date of birth",
    "need": "SEN primary need",
    "phase": "Main education establishment – phase",
    "urn": "Main education establishment – URN",
    "initial": "Date initial EHC plan issued",
    "updated": "Date updated EHC plan issued",
    "reviewed": "Date EHC plan last reviewed",
    "upn": "UPN",
    "uln": "ULN",
    "gender": "Gender",
    "ethnicity": "Ethnicity",
    "uid": "Unique ID",
}


def write_csv(path: Path, rows: Sequence[Sequence[object]]) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    return path


def load(rows1: Sequence[Sequence[object]], rows2: Sequence[Sequence[object]] = ()):  # type: ignore[no-untyped-def]
    sources = [(Sheet("list1", rows1), 1)]
    if rows2:
        sources.append((Sheet("list2", rows2), 2))
    return load_lists(sources, NOTIFIED)


# ------------------------------------------------------------------ headings and codes
@pytest.mark.parametrize(
    "heading",
    [
        "Main education establishment – phase",
        "Main education establishment - phase",
        "main education establishment—PHASE",
        "  Main  education establishment phase ",
    ],
)
def test_headings_match_forgivingly(heading: str) -> None:
    assert match_headings(["Unique ID", heading])["phase"] == 1


def test_curly_apostrophe_and_question_mark_do_not_matter() -> None:
    found = match_headings(["Known to children’s social care", "Which childrens social care team"])
    assert found == {"social_care": 0, "social_care_team": 1}


def test_case_file_mapping_names_other_headings() -> None:
    found = match_headings(
        ["Pupil ref", "Need (primary)"],
        {"unique_id": "pupil ref", "primary_need": "Need (primary)"},
    )
    assert found == {"unique_id": 0, "primary_need": 1}


@pytest.mark.parametrize(
    ("text", "code"),
    [("ASD", "ASD"), ("asd", "ASD"), ("SpLD", "SPLD"), ("ASD - Autistic spectrum disorder", "ASD"),
     ("Autistic spectrum disorder", "ASD"), ("Social, emotional and mental health", "SEMH"),
     ("NSA", "NSA"), ("XYZ", None), ("Tall", None)],
)  # fmt: skip
def test_primary_need_codes(text: str, code: str | None) -> None:
    assert need_code(text) == code


@pytest.mark.parametrize(
    ("text", "code"),
    [("h", "h"), ("H", "h"), ("h)", "h"), ("h) Pupil referral unit/Alternative provision", "h"),
     ("Pupil referral unit/Alternative provision", "h"), ("pupil referral unit / alternative provision", "h"),
     ("b) Primary", "b"), ("Primary", "b"), ("j", None), ("Moon base", None)],
)  # fmt: skip
def test_phase_codes(text: str, code: str | None) -> None:
    assert phase_code(text) == code


@pytest.mark.parametrize(
    ("value", "expected"),
    [("01/09/2014", date(2014, 9, 1)), ("1/9/2014", date(2014, 9, 1)),
     ("2014-09-01", date(2014, 9, 1)), (datetime(2014, 9, 1), date(2014, 9, 1)),
     (date(2014, 9, 1), date(2014, 9, 1)), (41883, date(2014, 9, 1)), (41883.0, date(2014, 9, 1)),
     ("31/02/2014", None), ("01/09/14", None), ("next week", None), (True, None)],
)  # fmt: skip
def test_dates(value: object, expected: date | None) -> None:
    assert parse_date(value) == expected


def test_column_letters() -> None:
    assert [column_letter(i) for i in (0, 25, 26, 27, 701)] == ["A", "Z", "AA", "AB", "ZZ"]


# ------------------------------------------------------------------ rows and problems
def test_age_is_taken_at_notification_and_grouped() -> None:
    lists = load([HEAD1, row1("A", dob="25/04/2020"), row1("B", dob="26/04/2020"),
                  row1("C", dob="26/04/2000")])  # fmt: skip
    ages = {c.id: (c.age, c.age_group) for c in lists.children}
    assert ages == {"A": (5, "5-10"), "B": (4, "0-4"), "C": (24, "20-25")}


def test_problem_rows_are_left_out_by_row_and_column_and_the_rest_go_on() -> None:
    rows = [
        HEAD1,
        row1("OK1"),
        row1("NODOB", dob=""),
        row1("NONEED", need=""),
        row1("BADCODE", need="SECRETCODE"),
        row1("OLD", dob="01/01/1990"),
        row1("TWIN"),
        row1("TWIN"),
        row1("OK2", phase="h"),
    ]
    lists = load(rows)
    assert [c.id for c in lists.children] == ["OK1", "OK2"]
    left_out = [(f.row, f.letter, f.kind) for f in lists.findings if f.excluded]
    assert left_out == [
        (3, "D", "missing_dob"),
        (4, "J", "missing_need"),
        (5, "J", "unknown_need"),
        (6, "D", "age_over_25"),
        (7, "A", "duplicate_id"),
        (8, "A", "duplicate_id"),
    ]
    text = " ".join(str(f) for f in lists.findings)
    assert "SECRETCODE" not in text and "1990" not in text
    assert "List 1 row 5, column J (SEN primary need): unknown primary need code" in text


def test_duplicate_unique_id_across_the_two_lists() -> None:
    lists = load([HEAD1, row1("SAME")], [HEAD2, row2("SAME"), row2("OTHER")])
    assert [c.id for c in lists.children] == ["OTHER"]
    assert {(f.list, f.row) for f in lists.findings if f.kind == "duplicate_id"} == {(1, 2), (2, 2)}


def test_nsa_is_a_sen_support_code_only() -> None:
    lists = load([HEAD1, row1("E", need="NSA")], [HEAD2, row2("S", need="NSA")])
    assert [c.id for c in lists.children] == ["S"]
    assert [f.kind for f in lists.findings] == ["nsa_on_list1"]


def test_title_rows_above_the_headings_and_blank_rows_are_skipped() -> None:
    rows = [["Person-level data: List 1"], [], HEAD1, row1("A"), [""] * len(HEAD1), []]
    lists = load(rows)
    assert [(c.id, c.row) for c in lists.children] == [("A", 4)]
    assert lists.lists[0].rows == 1


def test_missing_required_column_is_bad_input_with_a_suggestion() -> None:
    head = [h if h != "SEN primary need" else "SEN primry need" for h in HEAD1]
    with pytest.raises(ListError) as error:
        load([head, row1("A")])
    assert "no column for 'SEN primary need' (did you mean `SEN primry need`?)" in str(error.value)


def test_alternative_provision_from_main_or_subsidiary_phase() -> None:
    head = [*HEAD1, "Subsidiary education establishment – phase (dual registration)"]
    rows = [head, [*row1("MAIN", phase="h) Pupil referral unit/Alternative provision"), ""],
            [*row1("DUAL", phase="d"), "h"], [*row1("NO", phase="d"), ""]]  # fmt: skip
    ap = {c.id: c.alternative_provision for c in load(rows).children}
    assert ap == {"MAIN": True, "DUAL": True, "NO": False}


def test_residence_columns() -> None:
    head = [*HEAD2, "Lives in area"]
    rows = [head, [*row2("IN"), "Yes"], [*row2("OUT"), "No"], [*row2("UNSAID"), ""]]
    resident = {c.id: c.resident for c in load([HEAD1], rows).children}
    assert resident == {"IN": True, "OUT": False, "UNSAID": None}
    head = [*HEAD2, "Home LA"]
    rows = [head, [*row2("HERE"), "exampleshire"], [*row2("AWAY"), "Otherton"]]
    sources = [(Sheet("l2", rows), 2)]
    lists = load_lists(sources, NOTIFIED, home=["Exampleshire", "E10000099"])
    assert {c.id: c.resident for c in lists.children} == {"HERE": True, "AWAY": False}


def test_upn_and_date_of_birth_are_not_kept_on_a_child() -> None:
    child = load([HEAD1, row1("A")]).children[0]
    assert "ZUPN" not in repr(child)
    assert "2014" not in repr(child)


# ------------------------------------------------------------------ excel
def write_xlsx(path: Path, sheets: Mapping[str, Sequence[Sequence[object]]]) -> Path:
    import xlsxwriter  # type: ignore[import-untyped]

    book = xlsxwriter.Workbook(str(path))
    dates = book.add_format({"num_format": "dd/mm/yyyy"})
    for name, rows in sheets.items():
        sheet = book.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if isinstance(value, date):
                    sheet.write_datetime(r, c, datetime(value.year, value.month, value.day), dates)
                elif value != "":
                    sheet.write(r, c, value)
    book.close()
    return path


def test_excel_workbook_with_real_dates_and_two_sheets(tmp_path: Path) -> None:
    excel_row = row1("X1")
    excel_row[3] = date(2014, 9, 1)  # type: ignore[call-overload]
    book = write_xlsx(
        tmp_path / "lists.xlsx",
        {"Cover": [["About these lists"]], "List 2 - SEN support": [HEAD2, row2("S1")],
         "List 1 - EHC plans": [HEAD1, excel_row]},
    )  # fmt: skip
    lists = load_lists(open_lists(workbook=book), NOTIFIED)
    assert [(c.id, c.list, c.age) for c in lists.children] == [("X1", 1, 10), ("S1", 2, 10)]
    assert read_excel(book, list_number=1).source.endswith("[List 1 - EHC plans]")


def test_not_a_workbook_is_bad_input(tmp_path: Path) -> None:
    fake = tmp_path / "lists.xlsx"
    fake.write_text("not a zip", encoding="utf-8")
    with pytest.raises(ListError, match="not a readable Excel workbook"):
        open_lists(workbook=fake)


def test_example_lists_read_the_same_from_csv_and_excel() -> None:
    from_csv = load_lists(open_lists(LISTS / "list1.csv", LISTS / "list2.csv"), NOTIFIED)
    from_excel = load_lists(open_lists(workbook=LISTS / "lists.xlsx"), NOTIFIED)
    assert from_csv.children == from_excel.children
    assert len(from_csv.children) > 90


# ------------------------------------------------------------------ lists check
def check(tmp_path: Path, rows1: list[list[str]], rows2: list[list[str]], *extra: str):  # type: ignore[no-untyped-def]
    one = write_csv(tmp_path / "l1.csv", rows1)
    two = write_csv(tmp_path / "l2.csv", rows2)
    return run_cli("lists", "check", "--list1", str(one), "--list2", str(two),
         "--notification", "2025-04-25", "--today", "2025-04-28", *extra,
    )  # fmt: skip


def test_check_reports_every_kind_by_position_only(tmp_path: Path) -> None:
    rows1 = [
        HEAD1,
        row1("A1"),
        row1("", gender=""),  # missing id and gender
        row1("A3", ethnicity="", need="MYSTERY"),
        row1("A4", dob="32/13/2010"),
        row1("A5", dob="01/01/2030"),
        row1("A6", dob="01/01/2000"),  # 25: a query
        row1("A7", dob="01/01/1995"),  # over 25: an error
        row1("A8", initial="01/06/2024", reviewed="01/01/2024"),
        row1("A9", upn="", uln=""),
        row1("A10", urn="", phase=""),
        row1("A11", upn="ZUPNA1"),  # A1's UPN
    ]
    head2 = [*HEAD2, "Date EHC plan last reviewed"]
    rows2 = [head2, [*row2("B1", upn="Z999"), "01/01/2024"]]
    result = check(tmp_path, rows1, rows2, "--format", "json")
    assert result.code == 1, result.output
    data = json.loads(result.stdout)
    kinds = {(f["list"], f["row"], f["problem"]) for f in data["findings"]}
    for expected in [
        (1, 3, "missing_id"), (1, 3, "missing_gender"), (1, 4, "missing_ethnicity"),
        (1, 4, "unknown_need"), (1, 5, "not_a_date"), (1, 6, "future_date"), (1, 7, "age_25"),
        (1, 8, "age_over_25"), (1, 9, "ehc_dates_order"), (1, 10, "no_upn_uln"),
        (1, 11, "no_establishment"), (1, 12, "duplicate_upn"), (2, 2, "ehc_date_on_list2"),
    ]:  # fmt: skip
        assert expected in kinds, expected
    assert {f["severity"] for f in data["findings"] if f["problem"] == "age_25"} == {"query"}
    assert data["errors"] > 0 and data["queries"] == 1
    summary = {s["problem"]: s["count"] for s in data["summary"]}
    assert summary["duplicate UPN"] == 1
    for secret in ("ZUPN", "MYSTERY", "32/13/2010", "Z999"):
        assert secret not in result.stdout and secret not in result.stderr


def test_a_child_born_after_notification_is_left_out_not_a_traceback(tmp_path: Path) -> None:
    """A rehearsal of a past inspection with today's lists: the child has no age then."""
    rows1 = [HEAD1, row1("A1"), row1("A2", dob="26/04/2025")]
    result = check(tmp_path, rows1, [HEAD2, row2("B1")], "--format", "json")
    assert result.exception is None
    assert result.code == 1, result.output
    found = [(f["row"], f["problem"], f["excluded"]) for f in json.loads(result.stdout)["findings"]]
    assert found == [(3, "born_after_notification", True)]


def test_check_with_only_queries_exits_0(tmp_path: Path) -> None:
    result = check(tmp_path, [HEAD1, row1("A1", dob="01/01/2000")], [HEAD2, row2("B1")])
    assert result.code == 0, result.output
    assert "aged 25 at notification" in result.stdout
    assert "No errors; 1 query to look at" in result.stdout


def test_check_clean_lists_and_formats(tmp_path: Path) -> None:
    result = check(tmp_path, [HEAD1, row1("A1")], [HEAD2, row2("B1")])
    assert result.code == 0
    assert "Ready to send." in result.stdout
    for fmt, start in (("csv", "list,row,column_letter"), ("markdown", "# Person-level")):
        out = check(tmp_path, [HEAD1, row1("A1")], [HEAD2, row2("B1")], "--format", fmt)
        assert out.stdout.removeprefix("\ufeff").startswith(start)


def test_check_example_lists_with_the_example_case() -> None:
    result = run_cli("lists", "check", "--lists", str(LISTS / "lists.xlsx"), "--case",
         str(ROOT / "examples" / "full-inspection.toml"), "--today", "2025-04-28", "-f", "json",
    )  # fmt: skip
    data = json.loads(result.stdout)
    assert [d["rows"] for d in data["lists"]] == [40, 60]
    assert result.code == (1 if data["errors"] else 0)


def test_check_output_file_is_owner_only(tmp_path: Path) -> None:
    out = tmp_path / "report.csv"
    result = check(tmp_path, [HEAD1, row1("A1", need="")], [HEAD2, row2("B1")], "-f", "csv",
                   "--output", str(out))  # fmt: skip
    assert result.code == 1
    assert out.stat().st_mode & 0o777 == 0o600
    again = check(tmp_path, [HEAD1, row1("A1")], [HEAD2, row2("B1")], "--output", str(out))
    assert again.code == 2 and "already exists" in again.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--list1", "nowhere.csv"], "nowhere.csv: no such list file"),
        ([], "give the lists"),
        (["--list1", "x.pdf"], "expected a .csv or .xlsx file"),
    ],
)
def test_check_bad_input_exits_2(args: list[str], message: str) -> None:
    result = run_cli("lists", "check", *args)
    assert result.code == 2
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_short_and_ragged_csv_rows(tmp_path: Path) -> None:
    path = tmp_path / "l1.csv"
    path.write_text(
        "Unique ID,Date of birth,SEN primary need,Gender\nB,01/01/2015\n"
        "C,01/01/2015,HI,F,extra,cells\n",
        encoding="utf-8",
    )
    lists = load_lists(open_lists(path), NOTIFIED)
    assert [c.id for c in lists.children] == ["C"]
    assert [(f.row, f.kind) for f in lists.findings] == [(2, "missing_need"), (2, "missing_gender")]


def test_unterminated_quote_is_reported_without_its_content(tmp_path: Path) -> None:
    path = tmp_path / "l1.csv"
    path.write_text(
        'Unique ID,Date of birth,SEN primary need\nA,"01/01/2015,SECRET\nB,01/01/2015,HI\n',
        encoding="utf-8",
    )
    lists = load_lists(open_lists(path), NOTIFIED)
    assert [(f.row, f.kind) for f in lists.findings] == [(2, "not_a_date"), (2, "missing_need")]
    assert "SECRET" not in " ".join(map(str, lists.findings))
