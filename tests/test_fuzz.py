"""Fuzz: generated case files through every case command, in-process (issue 16), and
(issue 22) saved timetables, user templates, --previous calendars, lists holding
UPNs, ULNs and NHS numbers, and special files as outputs.

Asserts exit 0, 1 or 2 and no uncaught exception for each command on each
input, no UPN, ULN or NHS number in any output, and each command inside its
documented time (tests/fuzzing.py says what is generated).  CI runs 300 examples
(``SENDPLAN_FUZZ_EXAMPLES``, set in .ci/run); a plain ``pytest`` runs 25 to
stay quick.  The long run of 10,000+ is ``benchmarks/fuzz.py`` (README,
"Hostile input").
"""

from __future__ import annotations

import os
from typing import Any

from hypothesis import HealthCheck, given, settings

from fuzzing import (
    case_texts,
    lists_with_numbers,
    numbers_in,
    previous_calendars,
    run_every_command,
    run_lists,
    run_previous,
    run_saved_timetable,
    run_special_output,
    run_template,
    saved_timetables,
    special_outputs,
    user_templates,
)

EXAMPLES = int(os.environ.get("SENDPLAN_FUZZ_EXAMPLES", "25"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@FUZZ
@given(case_texts())
def test_every_case_command_exits_0_1_or_2_without_a_traceback(text: str) -> None:
    assert run_every_command(text) == []


@FUZZ
@given(saved_timetables())
def test_saved_timetables(text: str) -> None:
    assert run_saved_timetable(text) == []


@FUZZ
@given(user_templates())
def test_user_templates(text: str) -> None:
    assert run_template(text) == []


@FUZZ
@given(previous_calendars())
def test_previous_calendars(data: bytes) -> None:
    assert run_previous(data) == []


@FUZZ
@given(lists_with_numbers())
def test_lists_and_selections_holding_national_numbers(example: Any) -> None:
    assert run_lists(example) == []


@FUZZ
@given(special_outputs())
def test_special_files_as_outputs(example: Any) -> None:
    assert run_special_output(example) == []


def test_the_number_check_of_the_fuzzer_can_fail() -> None:
    """An output holding a planted number is a failure: let one through and see."""
    from unittest import mock

    assert numbers_in("id K823200115001, NHS 943 476 5919") == ["K823200115001", "943 476 5919"]
    with mock.patch("sendplan.schema.find_child_number", return_value=None):
        failures = run_lists(("", "", ["K823200115001"]))
    assert any("national number" in what for _, what in failures)


def test_the_fuzzer_can_fail() -> None:
    """The harness reports an uncaught exception: break a command and see."""
    from unittest import mock

    with mock.patch("sendplan.case.loading.parse_case", side_effect=KeyError("boom")):
        failures = run_every_command('[inspection]\nkind = "full"\n')
    assert failures and all("KeyError" in what for _, what in failures)
