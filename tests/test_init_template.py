"""``sendplan init``'s case file: a Jinja template filled from the schema (issue 24).

The snapshots are what ``init`` wrote before its file became a template, for
every kind, without options and with all of them; a change that means to
alter the file regenerates them with
``SENDPLAN_UPDATE_SNAPSHOTS=1 python -m pytest tests/test_init_template.py``
and the diff is reviewed like code.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from datetime import date, datetime
from pathlib import Path

import grimp
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cli_harness import run_cli
from sendplan.casefile_init import case_template, toml_value
from sendplan.errors import CaseFileError
from sendplan.rules import KINDS

ROOT = Path(__file__).resolve().parents[1]
SNAPSHOTS = ROOT / "tests" / "snapshots" / "init"
UPDATE = os.environ.get("SENDPLAN_UPDATE_SNAPSHOTS") == "1"

#: Every option of `init`, by kind (an engagement meeting takes no inspection dates).
GIVEN: dict[str, list[str]] = {
    "engagement": ["--local-area", "Barnet"],
    **{
        kind: ["--local-area", "Barnet", "--notification", "2025-04-28"]
        for kind in KINDS
        if kind != "engagement"
    },
}
VARIANTS = {
    **{f"{kind}": ["--kind", kind] for kind in KINDS},
    **{f"{kind}-given": ["--kind", kind, *GIVEN[kind]] for kind in KINDS},
    "full-on-site-start": ["--on-site-start", "2025-05-12", "--local-area", 'St. Mary\'s "Isles"'],
}


@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_init_output_unchanged(name: str) -> None:
    result = run_cli("init", "-", *VARIANTS[name], today="2025-03-03")
    assert result.code == 0, result.output
    snapshot = SNAPSHOTS / f"{name}.toml"
    if UPDATE or not snapshot.exists():
        if not UPDATE:
            pytest.fail(f"no snapshot {snapshot}: run with SENDPLAN_UPDATE_SNAPSHOTS=1")
        snapshot.parent.mkdir(parents=True, exist_ok=True)
        snapshot.write_bytes(result.stdout.encode("utf-8"))
    assert result.stdout == snapshot.read_bytes().decode("utf-8"), (
        f"sendplan init {' '.join(VARIANTS[name])} changed; if on purpose, regenerate "
        "(see module docstring)"
    )


# ------------------------------------------------------------------ the values it writes
#: The values a case file's keys hold (sendplan.schema's value types): strings, integers
#: (TOML's are 64-bit), booleans, dates, local date-times and lists of them.
SCALARS = (
    st.text()
    | st.integers(min_value=-(2**63), max_value=2**63 - 1)
    | st.booleans()
    | st.dates()
    | st.datetimes()
)


@given(st.text() | st.text(alphabet=st.characters(max_codepoint=0x9F)))
def test_a_string_reads_back_as_it_was(text: str) -> None:
    # Quotes, backslashes, control characters and any Unicode (the second strategy
    # draws mostly from the control and escape characters).
    written = toml_value(text)
    assert "\n" not in written  # one line: it also goes after a `#`
    assert tomllib.loads(f"k = {written}")["k"] == text


@given(SCALARS | st.lists(st.text()) | st.lists(st.dates()))
def test_every_value_reads_back_as_it_was(value: object) -> None:
    written = toml_value(value)
    assert "\n" not in written
    assert tomllib.loads(f"k = {written}")["k"] == value


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ('St. Mary\'s "Isles" \\ é', r'"St. Mary' + "'" + r's \"Isles\" \\ é"'),
        ("a\tb\x01\x7f", r'"a\tb\u0001\u007f"'),
        ([date(2025, 5, 12), date(2025, 5, 13)], "[2025-05-12, 2025-05-13]"),
        ([], "[]"),
        (False, "false"),
        (datetime(2025, 5, 12, 9, 30), "2025-05-12T09:30:00"),
    ],
)
def test_values_are_written_as_a_person_would(value: object, written: str) -> None:
    assert toml_value(value) == written


def test_a_value_without_a_toml_form_is_refused() -> None:
    # A schema example of a new type fails here, not in a user's file.
    with pytest.raises(TypeError, match="no TOML form for float"):
        toml_value(0.5)


@settings(max_examples=40, deadline=None)
@given(st.text(min_size=1, max_size=60))
def test_any_local_area_is_written_exactly_or_refused(area: str) -> None:
    try:
        text = case_template("full", area, today=date(2025, 3, 3))
    except CaseFileError as error:  # control characters, not UTF-8: said, not written
        assert "inspection.local_area" in str(error)
        return
    assert tomllib.loads(text)["inspection"]["local_area"] == area


# ------------------------------------------------------------------ one job, one place
def test_toml_is_edited_by_tomlkit_and_written_by_tomli_w_each_in_one_place() -> None:
    graph = grimp.build_graph("sendplan", include_external_packages=True)
    assert graph.find_modules_that_directly_import("tomlkit") == {
        "sendplan.case.editing",  # edits a case file in place, keeping comments
        "sendplan.checklist.marking",  # its type only: it edits through case.editing
    }
    assert graph.find_modules_that_directly_import("tomli_w") == {"sendplan.timetable.saved"}


#: Runs sendplan with the arguments after ``-c CODE``; says on stderr the top-level
#: packages it imported, whether the command exits or not.
_IMPORTS = """
import atexit, sys
atexit.register(lambda: print(*sorted({m.split(".")[0] for m in sys.modules}), file=sys.stderr))
from sendplan.__main__ import main
main()
"""


@pytest.mark.parametrize("args", [["validate", "examples/full-inspection.toml"], ["schema"]])
def test_the_other_commands_of_the_module_do_not_import_jinja(args: list[str]) -> None:
    # validate and schema import sendplan.casefile_init too; only init needs Jinja.
    env = {**os.environ, "SENDPLAN_TODAY": "2025-05-01"}
    run = subprocess.run(
        [sys.executable, "-c", _IMPORTS, *args], capture_output=True, text=True, cwd=ROOT, env=env
    )
    assert run.returncode == 0, run.stderr[-2000:]
    imported = set(run.stderr.splitlines()[-1].split())
    assert {"sendplan", "typer"} <= imported  # the list is there
    assert not {"jinja2", "tomlkit"} & imported
