"""Case-file tooling: `sendplan init`, `validate` and `schema`."""

from __future__ import annotations

import json
import tomllib
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft7Validator, FormatChecker

from cli_harness import run_cli
from sendplan.case import CASE_SCHEMA, KIND_SECTIONS, parse_case
from sendplan.case.json_schema import case_json_schema
from sendplan.casefile_init import case_template, placeholder_start
from sendplan.rules import KINDS
from sendplan.schema import Table, TableList

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "examples").glob("*.toml"))
EXAMPLE = ROOT / "examples" / "full-inspection.toml"
TODAY = "2025-03-03"


# ------------------------------------------------------------------ init
@pytest.mark.parametrize("kind", KINDS)
def test_init_writes_a_case_that_validates_and_schedules(kind: str, tmp_path: Path) -> None:
    path = tmp_path / f"{kind}.toml"
    result = run_cli(
        "init", str(path), "--kind", kind, "--local-area", "Northshire", "--today", TODAY
    )
    assert result.code == 0, result.output
    assert result.stdout == ""
    assert f"sendplan validate {path}" in result.stderr
    valid = run_cli("validate", str(path))
    assert valid.code == 0, valid.output
    assert valid.stdout.startswith(f"{path}: valid (")
    schedule = run_cli("schedule", str(path), "--format", "json")
    assert schedule.code == 0, schedule.output
    plan = json.loads(schedule.stdout)
    assert (plan["kind"], plan["local_area"]) == (kind, "Northshire")
    assert plan["events"]


def test_init_uses_the_given_dates_and_marks_placeholders(tmp_path: Path) -> None:
    given = case_template(
        "full", "Northshire", today=date(2025, 3, 3), notification=date(2025, 4, 28)
    )
    data = tomllib.loads(given)
    assert data["inspection"]["notification"] == date(2025, 4, 28)
    assert "on_site_start" not in data["inspection"]
    assert "# placeholder: the real date" not in given
    guessed = case_template("full", None, today=date(2025, 3, 3))
    data = tomllib.loads(guessed)
    assert data["inspection"]["on_site_start"] == placeholder_start(date(2025, 3, 3))
    assert data["inspection"]["local_area"] == "Exampleshire"
    assert "on_site_start = 2025-03-31 # placeholder: the real date" in guessed
    assert 'local_area = "Exampleshire" # placeholder: your local area\'s name' in guessed


@pytest.mark.parametrize(
    ("today", "start"),
    [
        (date(2025, 3, 3), date(2025, 3, 31)),
        (date(2025, 3, 4), date(2025, 4, 7)),
        (date(2025, 3, 9), date(2025, 4, 7)),
    ],
)
def test_placeholder_start_is_a_monday_four_weeks_on(today: date, start: date) -> None:
    assert placeholder_start(today) == start
    assert start.weekday() == 0


@pytest.mark.parametrize("kind", KINDS)
def test_template_documents_every_section_of_the_schema(kind: str) -> None:
    """Generated from CASE_SCHEMA: a section added there shows up in `init` unasked."""
    text = case_template(kind, "Northshire", today=date(2025, 3, 3))
    # The documentation, wrapped over comment lines, read back as running text.
    prose = " ".join(line.lstrip("# ") for line in text.splitlines())
    other_kinds = {s for k, s in KIND_SECTIONS.items() if k != kind}
    not_for_engagement = {"notification", "on_site_start", "on_site_days", "outcome"}
    for key, node in CASE_SCHEMA.fields.items():
        if key in other_kinds:
            assert f"[{key}]" not in text
            continue
        if isinstance(node, TableList):
            assert f"# [[{key}]]" in text, key
        else:
            assert f"\n[{key}]\n" in text, key
        if node.doc:
            assert node.doc in prose, key
        if not isinstance(node, Table):
            continue
        for sub_key, sub in node.fields.items():
            if kind == "engagement" and key == "inspection" and sub_key in not_for_engagement:
                assert f"\n# {sub_key} =" not in text
            elif sub.doc:
                assert sub.doc in prose, f"{key}.{sub_key}"


def test_template_lists_the_kinds_event_ids_with_their_dates() -> None:
    text = case_template(
        "full", "Northshire", today=date(2025, 3, 3), on_site_start=date(2025, 5, 12)
    )
    assert "# notification = 2025-04-25" in text  # May Day in week 2 (para 80)
    assert "# draft_report_due = 2025-06-06" in text
    # Uncommenting a listed line gives a valid case.
    edited = text.replace("# draft_report_due = 2025-06-06", "draft_report_due = 2025-06-05")
    assert parse_case(edited).dates["draft_report_due"] == date(2025, 6, 5)


def test_init_never_overwrites_without_force(tmp_path: Path) -> None:
    path = tmp_path / "case.toml"
    path.write_text("# mine\n", encoding="utf-8")
    result = run_cli("init", str(path), "--today", TODAY)
    assert result.code == 2
    assert "already exists; use --force" in result.stderr
    assert path.read_text(encoding="utf-8") == "# mine\n"
    forced = run_cli("init", str(path), "--force", "--today", TODAY)
    assert forced.code == 0, forced.output
    parse_case(path.read_text(encoding="utf-8"))


def test_init_to_stdout(tmp_path: Path) -> None:
    result = run_cli("init", "-", "--today", TODAY, "--local-area", "Northshire")
    assert result.code == 0
    assert parse_case(result.stdout).local_area == "Northshire"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--kind", "ful"], "sendplan: --kind 'ful' is not a kind (did you mean `full`?)"),
        (["--kind", "inspection"], "(one of: full, monitoring, revisit, engagement)"),
        (["--on-site-start", "soon"], "'soon' is not a date like 2025-05-12"),
        (["--kind", "engagement", "--notification", "2025-05-01"], "set [engagement] meeting_date"),
    ],
)
def test_init_bad_options_exit_2(tmp_path: Path, args: list[str], message: str) -> None:
    path = tmp_path / "case.toml"
    result = run_cli("init", str(path), *args)
    assert result.code == 2
    assert message in result.output
    assert not path.exists()


# ------------------------------------------------------------------ validate
BAD = """\
[inspection]
kind = "full"
local_area = "X"
on_site_strat = 2025-05-12
on_site_days = 9

[people.lano]
emial = "sam@example.org"

[dates]
draft_report_du = 2025-06-05
"""


def test_validate_reports_every_problem_at_once(write_case: Callable[..., Path]) -> None:
    path = write_case(BAD)
    result = run_cli("validate", str(path))
    assert result.code == 2
    assert result.stdout == ""
    assert sorted(result.stderr.splitlines()) == sorted(
        f"sendplan: {line}"
        for line in [
            f"{path}:4: inspection.on_site_strat: unknown key (did you mean `on_site_start`?)",
            f"{path}:8: people.lano.emial: unknown key (did you mean `email`?)",
            f"{path}:5: inspection.on_site_days: must be 1 to 5 for a Full area SEND inspection, got 9",
            f"{path}:11: dates.draft_report_du: is not an event of this inspection (did you mean `draft_report_due`?)",
        ]
    )


def test_a_cross_key_problem_is_kept_unless_a_key_explains_it(
    write_case: Callable[..., Path],
) -> None:
    path = write_case(
        '[inspection]\nkind = "full"\nlocal_area = "X"\non_site_days = "five"\n'
        'areas_for_priority_action = ["Waiting times"]\n'
    )
    result = run_cli("validate", str(path))
    assert result.code == 2
    assert result.stderr.splitlines() == [
        f"sendplan: {path}:4: inspection.on_site_days: expected a whole number, got a string ('five')",
        f"sendplan: {path}:5: inspection.areas_for_priority_action: areas for priority action "
        "follow a full inspection with the outcome `widespread` (handbook para 146); monitoring "
        "inspections list them in [monitoring] areas_for_priority_action",
    ]


def test_validate_json_lists_the_problems(write_case: Callable[..., Path]) -> None:
    path = write_case(BAD)
    result = run_cli("validate", str(path), "--format", "json")
    assert result.code == 2
    data = json.loads(result.stdout)
    assert data["valid"] is False
    assert len(data["problems"]) == 4
    first = next(p for p in data["problems"] if p["key"] == "inspection.on_site_strat")
    assert first == {
        "file": str(path),
        "line": 4,
        "key": "inspection.on_site_strat",
        "message": "unknown key",
        "suggestion": "did you mean `on_site_start`?",
    }


def test_a_wrong_kind_is_reported_with_the_other_problems(write_case: Callable[..., Path]) -> None:
    path = write_case('[inspection]\nkind = "ful"\nlocal_area = 3\non_site_start = 2025-05-12\n')
    result = run_cli("validate", str(path))
    assert result.code == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 2
    assert any(
        "inspection.kind: expected one of" in line and "did you mean `full`?" in line
        for line in lines
    )
    assert any(
        line.startswith(f"sendplan: {path}:3: inspection.local_area: expected a string")
        for line in lines
    )


def test_validate_a_valid_case(tmp_path: Path) -> None:
    result = run_cli("validate", str(EXAMPLE))
    assert result.code == 0
    assert result.stdout == f"{EXAMPLE}: valid (Full area SEND inspection, Exampleshire)\n"
    as_json = run_cli("validate", str(EXAMPLE), "-f", "json")
    assert json.loads(as_json.stdout) == {
        "file": str(EXAMPLE),
        "valid": True,
        "kind": "full",
        "local_area": "Exampleshire",
        "dated": True,
        "problems": [],
        "warnings": [],
    }


def test_validate_syntax_error_and_missing_file(
    write_case: Callable[..., Path], tmp_path: Path
) -> None:
    path = write_case('[inspection]\nkind = "full\n')
    result = run_cli("validate", str(path))
    assert result.code == 2
    assert result.stderr.startswith(f"sendplan: {path}:2: not valid TOML")
    missing = run_cli("validate", str(tmp_path / "nope.toml"))
    assert missing.code == 2
    assert "no such case file" in missing.stderr


# ------------------------------------------------------------------ schema
def jsonable(value: Any) -> Any:
    """TOML values as an editor's TOML-to-JSON bridge shows them: dates as ISO strings."""
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [jsonable(v) for v in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


@pytest.fixture(scope="module")
def validator() -> Draft7Validator:
    result = run_cli("schema")
    assert result.code == 0
    schema = json.loads(result.stdout)
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    assert schema["$id"] and schema["title"]
    assert schema == case_json_schema()
    Draft7Validator.check_schema(schema)
    return Draft7Validator(schema, format_checker=FormatChecker())


def cases_to_check() -> list[tuple[str, str]]:
    out = [(p.name, p.read_text(encoding="utf-8")) for p in EXAMPLES]
    out += [(f"init-{k}", case_template(k, "Northshire", today=date(2025, 3, 3))) for k in KINDS]
    return out


@pytest.mark.parametrize(("name", "text"), cases_to_check(), ids=lambda v: v if len(v) < 40 else "")
def test_schema_accepts_every_example(validator: Draft7Validator, name: str, text: str) -> None:
    errors = [e.message for e in validator.iter_errors(jsonable(tomllib.loads(text)))]
    assert errors == []


@pytest.mark.parametrize(
    ("change", "where"),
    [
        (lambda d: d["inspection"].__setitem__("on_site_strat", "2025-05-12"), "on_site_strat"),
        (lambda d: d["inspection"].__setitem__("kind", "ful"), "ful"),
        (lambda d: d["inspection"].__setitem__("on_site_start", "2025-13-40"), "2025-13-40"),
        (lambda d: d["inspection"].pop("local_area"), "local_area"),
        (lambda d: d.setdefault("people", {}).__setitem__("lano", {"emial": "x@y"}), "emial"),
    ],
)
def test_schema_rejects_mistakes(
    validator: Draft7Validator, change: Callable[[dict[str, Any]], Any], where: str
) -> None:
    data = jsonable(tomllib.loads(EXAMPLE.read_text(encoding="utf-8")))
    change(data)
    errors = [e.message for e in validator.iter_errors(data)]
    assert errors and any(where in message for message in errors), errors
