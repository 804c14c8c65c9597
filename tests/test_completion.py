"""Shell completion of values (issue 13): ``--status``, letter names, checklist
item ids and ``--who`` roles.

Checked twice: the completion functions themselves, and through the
``_SENDPLAN_COMPLETE`` protocol a shell uses (as bash asks, with COMP_WORDS).
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import cast

import pytest
import typer

from sendplan.annex import STATUSES
from sendplan.cli import complete_item, complete_letter, complete_role, complete_status
from sendplan.rules import ROLES

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "full-inspection.toml"
REVISIT = ROOT / "examples" / "lancashire-revisit-2020.toml"
SENDPLAN = Path(sys.executable).parent / "sendplan"


class _Params:
    """What the completion functions read of click's context: the parameters so far."""

    def __init__(self, **params: object) -> None:
        self.params = params


def Context(**params: object) -> typer.Context:  # noqa: N802 (reads as the class it stands for)
    return cast(typer.Context, _Params(**params))


def test_status_values() -> None:
    assert complete_status("") == list(STATUSES)
    assert complete_status("n") == ["not-started", "n/a"]
    assert complete_status("x") == []


def test_roles_for_who() -> None:
    assert complete_role("") == list(ROLES)
    assert complete_role("L") == ["local_area", "lano"]
    assert set(complete_role("p")) == {
        "partnership",
        "pcf",
        "parents",
        "practitioners",
        "providers",
        "principal_authority",
    }


def test_item_ids_from_the_case_and_without_one(write_case: Callable[[str], Path]) -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    assert "[tracking]" not in text
    with_children = write_case(text + '\n[tracking]\nselected = ["C014"]\n')
    ids = complete_item(Context(case_file=str(with_children)), "7.")
    assert "7.1:C014" in ids and all(i.startswith("7.") for i in ids)
    # No case file yet, or one that cannot be read: Annex A's own ids.
    for context in (Context(), Context(case_file="no-such.toml")):
        shipped = complete_item(context, "1.")
        assert shipped[:2] == ["1.1", "1.2"]


def test_letter_names_follow_the_case_kind() -> None:
    full = complete_letter(Context(case_file=str(EXAMPLE)), "")
    revisit = complete_letter(Context(case_file=str(REVISIT)), "")
    assert "notification" in full and "notification" not in revisit
    assert "revisit-letter-outline" in revisit
    assert complete_letter(Context(case_file=str(EXAMPLE)), "no") == ["notification"]
    assert "revisit-letter-outline" in complete_letter(Context(), "rev")


def bash_complete(words: str) -> list[str]:
    """What bash gets back for the last (possibly empty) word of ``words``."""
    split = words.split()
    cword = len(split) if words.endswith(" ") else len(split) - 1
    env = {
        **os.environ,
        "_SENDPLAN_COMPLETE": "complete_bash",
        "COMP_WORDS": words,
        "COMP_CWORD": str(cword),
    }
    run = subprocess.run([str(SENDPLAN)], env=env, capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    return run.stdout.split()


@pytest.mark.skipif(not SENDPLAN.exists(), reason="the sendplan script is not installed")
@pytest.mark.parametrize(("words", "expected"), [
    ("sendplan checklist case.toml --status n", ["not-started", "n/a"]),
    (f"sendplan mark {EXAMPLE} 1.1 --status ", list(STATUSES)),
    (f"sendplan mark {EXAMPLE} 6.", ["6.1", "6.2", "6.3", "6.4"]),
    (f"sendplan letter {EXAMPLE} no", ["notification"]),
    ("sendplan calendar case.toml --who la", ["lano"]),
])  # fmt: skip
def test_through_the_shell_protocol(words: str, expected: list[str]) -> None:
    assert bash_complete(words) == expected
