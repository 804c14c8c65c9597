"""Fuzz: generated case files through every case command, in-process (issue 16).

Asserts exit 0, 1 or 2 and no uncaught exception for each command on each
file (tests/fuzzing.py says what is generated).  CI runs 300 examples
(``SENDPLAN_FUZZ_EXAMPLES``, set in .ci/run); a plain ``pytest`` runs 25 to
stay quick.  The long run of 10,000+ is ``benchmarks/fuzz.py`` (README,
"Hostile input").
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, given, settings

from fuzzing import case_texts, run_every_command

EXAMPLES = int(os.environ.get("SENDPLAN_FUZZ_EXAMPLES", "25"))


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(case_texts())
def test_every_case_command_exits_0_1_or_2_without_a_traceback(text: str) -> None:
    assert run_every_command(text) == []


def test_the_fuzzer_can_fail() -> None:
    """The harness reports an uncaught exception: break a command and see."""
    from unittest import mock

    with mock.patch("sendplan.case.loading.parse_case", side_effect=KeyError("boom")):
        failures = run_every_command('[inspection]\nkind = "full"\n')
    assert failures and all("KeyError" in what for _, what in failures)
