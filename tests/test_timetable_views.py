"""What the timetable's views say (issue 19): for whom, whether agreed, what is left out.

Checked from the command's output only: the grid at 80 columns cuts no time
and splits no word; a view marks the timetable a draft until the case says it
was agreed (handbook para 98); a kind's activities without a session say why;
``--who`` gives one person's week and ``--who leaders`` no child's Unique ID;
a re-visit has its keep-in-touch meetings (2018 guidance para 22) and the
words of its time.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from cli_harness import run_cli

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
FULLER = EXAMPLES / "full-inspection-timetable.toml"
MONITORING = EXAMPLES / "monitoring-inspection.toml"
REVISIT = EXAMPLES / "lancashire-revisit-2020.toml"
DRAFT = "Draft: not yet agreed with the lead inspector"


def as_json(*args: str) -> dict[str, Any]:
    result = run_cli("timetable", *args, "--format", "json")
    assert result.code == 0, result.stderr
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def tokens(text: str) -> set[str]:
    """The words of a view, without the tables' rules."""
    return set(re.findall(r"[^\s,;─]+", text))


def case_with(tmp_path: Path, source: Path, old: str, new: str) -> Path:
    text = source.read_text()
    assert old in text
    case = tmp_path / source.name
    case.write_text(text.replace(old, new, 1))
    return case


# ------------------------------------------------------------------ the grid at 80 columns
@pytest.mark.parametrize("case", [FULLER, MONITORING, REVISIT], ids=lambda p: p.stem)
def test_the_grid_fits_80_columns_without_cutting_a_time_or_splitting_a_word(case: Path) -> None:
    narrow = run_cli("timetable", str(case), env={"COLUMNS": "80"})
    assert narrow.code == 0, narrow.stderr
    assert max(len(line) for line in narrow.stdout.splitlines()) <= 80
    wide = run_cli("timetable", str(case), env={"COLUMNS": "400"})
    # A word split across lines leaves pieces (``handboo``, ``k``) the wide view never has.
    assert tokens(narrow.stdout) <= tokens(wide.stdout), sorted(
        tokens(narrow.stdout) - tokens(wide.stdout)
    )
    for s in as_json(str(case))["sessions"]:
        assert f"{s['start']}-{s['end']}" in narrow.stdout, s["id"]
    assert "Source" in wide.stdout and "Source" not in narrow.stdout  # the compact form was used


# ------------------------------------------------------------------ draft until agreed
def test_every_view_says_draft_until_the_case_marks_the_timetable_agreed(tmp_path: Path) -> None:
    assert as_json(str(FULLER))["draft"] is True
    for fmt in ("table", "markdown"):
        result = run_cli("timetable", str(FULLER), "--format", fmt)
        assert result.code == 0 and DRAFT in result.stdout
    agreed = case_with(tmp_path, FULLER, "[timetable]\n", "[timetable]\nagreed = 2025-05-02\n")
    data = as_json(str(agreed))
    assert (data["draft"], data["agreed"]) == (False, "2025-05-02")
    result = run_cli("timetable", str(agreed), "--format", "markdown")
    assert (
        DRAFT not in result.stdout
        and "Agreed with the lead inspector on Fri 2 May 2025" in result.stdout
    )


def test_a_recorded_timetable_agreed_date_counts_as_agreed(tmp_path: Path) -> None:
    case = tmp_path / "case.toml"
    case.write_text(FULLER.read_text() + "\n[dates]\ntimetable_agreed = 2025-05-07\n")
    assert as_json(str(case))["agreed"] == "2025-05-07"


def test_the_agreed_key_is_in_the_schema_and_the_template() -> None:
    schema = run_cli("schema")
    assert schema.code == 0
    timetable = json.loads(schema.stdout)["properties"]["timetable"]["properties"]
    assert "agreed" in timetable and "para 98" in json.dumps(timetable["agreed"])
    template = run_cli("init", "-", "--local-area", "X")
    assert "# agreed = " in template.stdout


# ------------------------------------------------------------------ kinds
def test_a_monitoring_week_says_why_no_sampling_visits_are_planned() -> None:
    data = as_json(str(MONITORING))
    assert not [s for s in data["sessions"] if s["kind"] == "sampling_visit"]
    (line,) = [x for x in data["not_planned"] if x.startswith("No sampling visits planned")]
    assert "no providers" in line and "paras 159," in line
    result = run_cli("timetable", str(MONITORING), "--format", "markdown")
    assert result.code == 0 and line in result.stdout
    # No day heading without a session under it.
    days = result.stdout.split("\n## ")[1:]
    assert days and all("\n| " in day.split("\n\n", 2)[1] for day in days)
    assert "No sessions on " in result.stdout  # the empty days are named once instead
    table = run_cli("timetable", str(MONITORING))
    assert line.split(":")[0] in table.stdout and "No sessions: off-site" not in table.stdout


def test_a_full_week_with_providers_has_no_such_line() -> None:
    data = as_json(str(FULLER))
    assert not [x for x in data["not_planned"] if "sampling visits" in x]


def test_a_revisit_longer_than_two_days_has_a_keep_in_touch_meeting_each_day(
    tmp_path: Path,
) -> None:
    data = as_json(str(REVISIT))
    on_site = data["days"][-4:]
    kit = [s for s in data["sessions"] if s["kind"] == "keep_in_touch"]
    assert sorted(s["date"] for s in kit) == on_site  # one a day (para 22)
    assert all({"lead_inspector", "cqc_inspector"} <= set(s["inspectors"]) for s in kit)
    short = case_with(tmp_path, REVISIT, "on_site_days = 4", "on_site_days = 2")
    two = as_json(str(short))
    assert not [s for s in two["sessions"] if s["kind"] == "keep_in_touch"]
    assert any("keeping-in-touch meetings" in x and "para 22" in x for x in two["not_planned"])


def test_a_revisit_before_july_2022_speaks_of_ccgs_and_after_of_icbs() -> None:
    before = as_json(str(REVISIT))
    text = json.dumps(before["people"]) + json.dumps(before["sessions"])
    assert "CCG" in text and "ICB" not in text
    after = as_json(str(REVISIT), "--on-site-start", "2023-03-06")
    text = json.dumps(after["people"]) + json.dumps(after["sessions"])
    assert "ICB" in text and "CCG" not in text


# ------------------------------------------------------------------ audiences
@pytest.mark.parametrize("who", ["dcs", "Ellis Grant", "Hillcrest Academy"])
def test_who_gives_one_persons_week(who: str) -> None:
    everyone = as_json(str(FULLER))
    ids = {
        "dcs": "dcs",
        "Ellis Grant": "Ellis Grant",
        "Hillcrest Academy": "provider:Hillcrest Academy",
    }
    person = ids[who]
    theirs = [s["id"] for s in everyone["sessions"] if person in s["people"]]
    data = as_json(str(FULLER), "--who", who)
    assert theirs and [s["id"] for s in data["sessions"]] == theirs
    assert data["audience"].startswith("For ")
    result = run_cli("timetable", str(FULLER), "--who", who, "--format", "markdown")
    assert result.code == 0 and result.stdout.splitlines()[0].endswith(f"({data['audience']})")


def test_the_leaders_view_has_every_session_and_no_childs_unique_id() -> None:
    everyone = as_json(str(FULLER))
    assert any("SYN0" in s["title"] for s in everyone["sessions"])
    data = as_json(str(FULLER), "--who", "leaders")
    assert len(data["sessions"]) == len(everyone["sessions"])
    for fmt in ("json", "markdown", "table", "csv"):
        result = run_cli("timetable", str(FULLER), "--who", "leaders", "--format", fmt)
        assert result.code == 0 and "SYN0" not in result.stdout, fmt
    titles = {s["title"] for s in data["sessions"]}
    assert any(t.startswith("Tracking meeting tracked child 1:") for t in titles)


@pytest.mark.parametrize("who", ["inspectors", "Ellis Grant"])
def test_the_inspectors_views_show_the_childrens_ids(who: str) -> None:
    result = run_cli("timetable", str(FULLER), "--who", who, "--format", "markdown")
    assert result.code == 0 and "SYN0" in result.stdout


def test_who_someone_unknown_is_a_usage_error() -> None:
    result = run_cli("timetable", str(FULLER), "--who", "Nobody Known")
    assert result.code == 2 and "neither a role" in result.stderr
