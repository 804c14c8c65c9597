"""Children's data, round three (issue 22): national numbers never enter the case file,
and one rule makes any file naming a tracked child owner-only.

Each test fails on the behaviour before issue 22: a valid UPN and ULN in
``tracking.selected`` passed ``validate`` and reached every output, and
``checklist -o``, ``calendar -o`` and the information request were 644.
"""

from __future__ import annotations

import shutil
import stat
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cli_harness import run_cli
from sendplan.child_ids import (
    child_number,
    find_child_number,
    holds_child_id,
    is_nhs_number,
    is_uln,
    is_upn,
)

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"

#: A valid UPN (DfE check letter), ULN (LRS check digit) and NHS number (modulus 11),
#: each with a near miss: one character changed, so the check fails.
VALID = {"UPN": "K823200115001", "ULN": "9900000012", "NHS number": "9434765919"}
NEAR_MISS = {"UPN": "A823200115001", "ULN": "9900000014", "NHS number": "9434765917"}

GOOD = '[inspection]\nkind = "full"\nlocal_area = "Testshire"\non_site_start = 2025-05-12\n'


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# ------------------------------------------------------------------ the checks
def test_the_valid_numbers_pass_their_checks_and_the_near_misses_do_not() -> None:
    assert is_upn(VALID["UPN"]) and not is_upn(NEAR_MISS["UPN"])
    assert is_uln(VALID["ULN"]) and not is_uln(NEAR_MISS["ULN"])
    assert is_nhs_number(VALID["NHS number"]) and not is_nhs_number(NEAR_MISS["NHS number"])
    # The NHS number as the NHS writes it, 3-3-4 with spaces.
    assert child_number("943 476 5919") == "NHS number"
    for kind, value in VALID.items():
        assert kind in (child_number(value) or "")
        assert child_number(NEAR_MISS[kind]) is None


def test_nhs_check_digit_of_ten_is_never_issued() -> None:
    # 000000001x: 1 weighted 2 is 2, remainder 2, check 11 - 2 = 9.
    assert is_nhs_number("0000000019")
    # 000000006x: 12, remainder 1, check 10: no NHS number starts so.
    assert not any(is_nhs_number(f"000000006{d}") for d in "0123456789")


@given(st.text("0123456789", min_size=9, max_size=9))
def test_exactly_one_nhs_check_digit_or_none(body: str) -> None:
    assert sum(is_nhs_number(body + d) for d in "0123456789") <= 1


def test_a_number_is_found_as_a_word_of_a_longer_value() -> None:
    assert find_child_number(f"tracking_family:{VALID['UPN']}") == "UPN"
    assert find_child_number(f"called about {VALID['NHS number']} today") == "NHS number"
    assert find_child_number("NHS 943-476-5919") == "NHS number"
    # The way out: a letter in front, no separator, and no word is a number.
    assert find_child_number("C" + VALID["ULN"]) is None
    assert find_child_number(f"tracking_family:{NEAR_MISS['UPN']}") is None


# ------------------------------------------------------------------ the case file
def _case(tmp_path: Path, extra: str) -> Path:
    path = tmp_path / "case.toml"
    path.write_text(GOOD + extra, encoding="utf-8")
    return path


PLACES = {
    "tracking.selected": '\n[tracking]\nselected = ["C1", "{}"]\n',
    "tracking.reserves": '\n[tracking]\nreserves = ["{}"]\n',
    "timetable.sessions": '\n[[timetable.sessions]]\ntitle = "Meeting"\nid = "x"\n'
    'people = ["{}"]\n',
    "checklist.items": '\n[checklist.items."7.1:{}"]\nstatus = "done"\n',
    'checklist.items."1.1".note': '\n[checklist.items."1.1"]\nstatus = "done"\n'
    'note = "asked about {}"\n',
    "people.lano.name": '\n[people.lano]\nname = "{}"\n',
}


@pytest.mark.parametrize("kind", list(VALID))
@pytest.mark.parametrize("place", list(PLACES))
def test_a_national_number_in_the_case_file_is_refused_naming_key_and_line(
    tmp_path: Path, place: str, kind: str
) -> None:
    path = _case(tmp_path, PLACES[place].format(VALID[kind]))
    result = run_cli("validate", str(path))
    assert result.code == 2
    assert f"looks like a child's {kind}" in result.stderr or "ULN or NHS number" in result.stderr
    # The key and the line.
    assert place.split(".")[0] in result.stderr and f"{path}:" in result.stderr
    line = int(result.stderr.split(f"{path}:")[1].split(":")[0])
    assert line >= 5  # a line of the added section, not the file's start
    assert VALID[kind] not in result.stderr + result.stdout  # never echoed
    # Every command refuses it, and no output holds it.
    result = run_cli("checklist", str(path), "--format", "json")
    assert result.code == 2 and VALID[kind] not in result.output


@pytest.mark.parametrize(
    "extra",
    [
        "[people.lano]\nphone = 9900000012\n",  # a number where text goes
        '[monitoring]\nfull_report_published = "9434765919"\n',  # not a date
        "[engagement]\nself_evaluation_lead_days = 9900000012\n",  # past the maximum
    ],
)
def test_a_wrong_value_that_may_be_a_number_is_not_echoed(tmp_path: Path, extra: str) -> None:
    """Found by the fuzz test: messages about a wrong type, date or range quoted the value."""
    result = run_cli("validate", str(_case(tmp_path, extra)))
    assert result.code == 2 and result.stderr
    assert "9900000012" not in result.output and "9434765919" not in result.output


@pytest.mark.parametrize("kind", list(NEAR_MISS))
def test_a_near_miss_is_an_ordinary_id(tmp_path: Path, kind: str) -> None:
    path = _case(tmp_path, PLACES["tracking.selected"].format(NEAR_MISS[kind]))
    assert run_cli("validate", str(path)).code == 0


def test_a_local_id_with_a_letter_in_front_passes(tmp_path: Path) -> None:
    path = _case(tmp_path, PLACES["tracking.selected"].format("C" + VALID["ULN"]))
    assert run_cli("validate", str(path)).code == 0


def test_a_saved_timetable_holding_a_upn_is_refused(tmp_path: Path) -> None:
    case = tmp_path / "case.toml"
    shutil.copy(EXAMPLES / "full-inspection-timetable.toml", case)
    (tmp_path / "timetables").mkdir()
    saved = tmp_path / "timetables" / "full-inspection-timetable.toml"
    text = (EXAMPLES / "timetables" / "full-inspection-timetable.toml").read_text()
    saved.write_text(text.replace("SYN000099", VALID["UPN"]))
    for args in (["timetable", str(case), "--check"], ["calendar", str(case), "-o", "-"]):
        result = run_cli(*args)
        assert result.code == 2, (args, result.stderr)
        assert "session[" in result.stderr and "looks like a child's UPN" in result.stderr
        assert VALID["UPN"] not in result.output


@pytest.mark.parametrize("kind", list(VALID))
def test_mark_refuses_a_number_in_a_note_and_writes_nothing(tmp_path: Path, kind: str) -> None:
    case = tmp_path / "case.toml"
    shutil.copy(EXAMPLES / "full-inspection.toml", case)
    before = case.read_bytes()
    result = run_cli("mark", str(case), "1.1", "--status", "done", "--note", f"re {VALID[kind]}")
    assert result.code == 2 and "note holds what looks like a child's" in result.stderr
    assert VALID[kind] not in result.output
    assert case.read_bytes() == before


def test_an_nhs_number_in_a_shown_list_column_is_refused(tmp_path: Path) -> None:
    """The list reader's check is the same function: an NHS number in the Unique ID
    column stops the command (before issue 22 only UPNs and ULNs did)."""
    import csv

    rows = list(csv.reader((EXAMPLES / "lists" / "list1.csv").open(encoding="utf-8")))
    rows[3][0] = "943 476 5919"
    target = tmp_path / "list1.csv"
    with target.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    result = run_cli("lists", "check", "--list1", str(target))
    assert result.code == 2 and "row 4, column A" in result.stderr and "NHS number" in result.stderr
    assert "943 476 5919" not in result.output


# ------------------------------------------------------------------ owner-only, one rule
def test_holds_child_id_matches_words_in_text_and_workbooks() -> None:
    assert holds_child_id("7.1:C014 due", ["C014"])
    assert not holds_child_id("C0145", ["C014"])
    assert not holds_child_id("anything", [])
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/sharedStrings.xml", "<t>A&amp;B</t><t>7.2:C014</t>")
    assert holds_child_id(buffer.getvalue(), ["C014"])
    assert holds_child_id(buffer.getvalue(), ["A&B"])
    assert not holds_child_id(buffer.getvalue(), ["C015"])


@pytest.mark.parametrize("format", ["table", "json", "csv", "markdown", "xlsx"])
def test_checklist_output_naming_tracked_children_is_owner_only(
    tmp_path: Path, format: str
) -> None:
    suffix = {"table": "txt", "json": "json", "csv": "csv", "markdown": "md", "xlsx": "xlsx"}
    target = tmp_path / f"checklist.{suffix[format]}"
    case = EXAMPLES / "full-inspection-timetable.toml"
    result = run_cli("checklist", str(case), "--format", format, "-o", str(target))
    assert result.code == 0, result.stderr
    assert mode(target) == 0o600


def test_checklist_output_without_tracked_children_keeps_the_umask(tmp_path: Path) -> None:
    import os

    case = tmp_path / "case.toml"
    case.write_text(GOOD)
    target = tmp_path / "checklist.csv"
    old = os.umask(0o022)
    try:
        assert run_cli("checklist", str(case), "--format", "csv", "-o", str(target)).code == 0
    finally:
        os.umask(old)
    assert mode(target) == 0o644


def test_calendar_with_a_saved_timetable_is_owner_only(tmp_path: Path) -> None:
    target = tmp_path / "inspection.ics"
    case = EXAMPLES / "full-inspection-timetable.toml"
    result = run_cli("calendar", str(case), "-o", str(target))
    assert result.code == 0, result.stderr
    assert "SYN000099" in target.read_text()
    assert mode(target) == 0o600


def test_a_saved_timetables_children_count_even_when_no_longer_selected(tmp_path: Path) -> None:
    """The family meeting of a child no longer in tracking.selected still names them."""
    case = tmp_path / "case.toml"
    text = (EXAMPLES / "full-inspection-timetable.toml").read_text()
    case.write_text(text.replace('"SYN000099", ', ""))
    (tmp_path / "timetables").mkdir()
    shutil.copy(
        EXAMPLES / "timetables" / "full-inspection-timetable.toml",
        tmp_path / "timetables" / "full-inspection-timetable.toml",
    )
    target = tmp_path / "inspection.ics"
    result = run_cli("calendar", str(case), "-o", str(target), "--who", "inspectors")
    assert result.code == 0, result.stderr
    assert "SYN000099" in target.read_text() and mode(target) == 0o600


def test_letter_all_writes_the_information_request_owner_only(tmp_path: Path) -> None:
    out = tmp_path / "letters"
    case = EXAMPLES / "full-inspection-timetable.toml"
    result = run_cli("letter", str(case), "--all", "--out-dir", str(out))
    assert result.code == 0, result.stderr
    request = out / "information-request.md"
    assert "SYN000099" in request.read_text()
    assert mode(request) == 0o600
    # A letter naming no child keeps the usual mode.
    assert mode(out / "notification.md") != 0o600 or "SYN0" in (out / "notification.md").read_text()
