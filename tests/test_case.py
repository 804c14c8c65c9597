"""Case-file validation: one bad file per rule, asserting the message."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from sendplan.case import load_case
from sendplan.errors import CaseFileError

GOOD = """\
[inspection]
kind = "full"
local_area = "Exampleshire"
on_site_start = 2025-05-12
"""


def problems(write_case: Callable[[str], Path], text: str) -> list[str]:
    path = write_case(text)
    with pytest.raises(CaseFileError) as caught:
        load_case(path)
    assert caught.value.exit_code == 2
    return [str(p).replace(str(path), "case.toml") for p in caught.value.problems]


def test_good_case_loads(write_case: Callable[[str], Path]) -> None:
    case = load_case(write_case(GOOD))
    assert case.kind == "full"
    assert case.inspection.on_site_start == date(2025, 5, 12)


def test_misspelt_key_names_line_and_suggests(write_case: Callable[[str], Path]) -> None:
    text = GOOD.replace("on_site_start", "on_site_strat")
    assert problems(write_case, text) == [
        "case.toml:4: inspection.on_site_strat: unknown key (did you mean `on_site_start`?)"
    ]


def test_misspelt_section_suggests(write_case: Callable[[str], Path]) -> None:
    text = GOOD + "\n[calender]\nextra_closures = []\n"
    assert problems(write_case, text) == [
        "case.toml:6: calender: unknown key (did you mean `calendar`?)"
    ]


def test_wrong_type(write_case: Callable[[str], Path]) -> None:
    text = GOOD + 'on_site_days = "five"\n'
    assert problems(write_case, text) == [
        "case.toml:5: inspection.on_site_days: expected a whole number, got a string ('five')"
    ]


def test_quoted_impossible_date(write_case: Callable[[str], Path]) -> None:
    text = GOOD.replace("2025-05-12", '"2025-02-30"')
    assert problems(write_case, text) == [
        "case.toml:4: inspection.on_site_start: expected a date like 2025-05-12, "
        "got '2025-02-30' (not a real date)"
    ]


def test_bare_impossible_date_is_a_toml_error_with_line(write_case: Callable[[str], Path]) -> None:
    (message,) = problems(write_case, GOOD.replace("2025-05-12", "2025-02-30"))
    assert message.startswith("case.toml:4: not valid TOML:")


def test_malformed_toml_line(write_case: Callable[[str], Path]) -> None:
    (message,) = problems(write_case, GOOD + "on_site_days = \n")
    assert message.startswith("case.toml:5: not valid TOML:")
    assert "check quotes, brackets" in message


def test_unknown_kind_suggests(write_case: Callable[[str], Path]) -> None:
    assert problems(write_case, GOOD.replace('"full"', '"ful"')) == [
        "case.toml:2: inspection.kind: expected one of 'full', 'monitoring', 'revisit', "
        "'engagement', got 'ful' (did you mean `full`?)"
    ]


def test_a_case_without_dates_is_valid_and_says_it_has_none(
    write_case: Callable[[str], Path],
) -> None:
    # Issue 23: the weeks before the call are planned with `sendplan ready`.
    case = load_case(write_case(GOOD.replace("on_site_start = 2025-05-12\n", "")))
    assert not case.has_dates
    assert load_case(write_case(GOOD)).has_dates
    dated = (
        GOOD.replace("on_site_start = 2025-05-12\n", "") + "[dates]\nnotification = 2025-04-25\n"
    )
    assert load_case(write_case(dated)).has_dates


def test_every_problem_is_reported(write_case: Callable[[str], Path]) -> None:
    text = GOOD + 'on_site_days = "5"\noutcom = "positive"\n[people.lanoo]\nname = "A"\n'
    found = problems(write_case, text)
    assert len(found) == 3
    assert any("did you mean `outcome`?" in p for p in found)
    assert any(
        "people.lanoo: is not a role; the roles are dcs," in p and "(did you mean `lano`?)" in p
        for p in found
    )


def test_on_site_days_range(write_case: Callable[[str], Path]) -> None:
    assert problems(write_case, GOOD + "on_site_days = 9\n") == [
        "case.toml:5: inspection.on_site_days: must be 1 to 5 for a Full area SEND inspection, got 9"
    ]


def test_unknown_event_in_dates(write_case: Callable[[str], Path]) -> None:
    text = GOOD + "\n[dates]\ndraft_report_du = 2025-06-05\n"
    assert problems(write_case, text) == [
        "case.toml:7: dates.draft_report_du: is not an event of this inspection "
        "(did you mean `draft_report_due`?)"
    ]


def test_missing_file() -> None:
    with pytest.raises(CaseFileError, match="no such case file"):
        load_case("/nonexistent/case.toml")


def test_people_and_dates_load(write_case: Callable[[str], Path]) -> None:
    text = GOOD + (
        '\n[people.lano]\nname = "Sam Taylor"\nemail = "sam@example.org"\n'
        '[[people.other]]\nname = "Lee"\n[dates]\ndraft_report_due = 2025-06-05T14:00:00\n'
    )
    case = load_case(write_case(text))
    assert case.people["lano"].name == "Sam Taylor"
    assert case.other_people[0].name == "Lee"
    assert case.dates["draft_report_due"].hour == 14  # type: ignore[union-attr]


def test_with_dates_rehearsal_replaces_both(write_case: Callable[[str], Path]) -> None:
    case = load_case(write_case(GOOD))
    moved = case.with_dates(notification=date(2025, 6, 2))
    assert moved.inspection.notification == date(2025, 6, 2)
    assert moved.inspection.on_site_start is None
    assert case.with_dates() is case


def test_misspelt_parent_of_a_dotted_header_has_its_line(write_case: Callable[[str], Path]) -> None:
    text = GOOD + '\n[peple.lano]\nname = "Sam"\n'
    assert problems(write_case, text) == [
        "case.toml:6: peple: unknown key (did you mean `people`?)"
    ]


def test_areas_for_priority_action_need_the_widespread_outcome(
    write_case: Callable[[str], Path],
) -> None:
    text = GOOD + 'outcome = "inconsistent"\nareas_for_priority_action = ["Waiting times"]\n'
    (message,) = problems(write_case, text)
    assert message.startswith("case.toml:6: inspection.areas_for_priority_action: areas for")
    widespread = text.replace('"inconsistent"', '"widespread"')
    case = load_case(write_case(widespread))
    assert case.inspection.areas_for_priority_action == ("Waiting times",)
