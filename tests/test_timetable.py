"""`sendplan timetable` (issue 12): every property checked from the JSON the command prints.

The checks here are written from the issue and handbook para 96, not from the
solver: a timetable passes when nobody is in two places at once, in-person
sessions at different venues leave the travel time, every inspector has a
free stretch for review and some slack each day, every session sits inside
its day and window, and every tracked child and provider has its sessions.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tomllib
from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from cli_harness import run_cli
from sendplan.timetable.budget import STOPPED_EARLY

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
FULL = EXAMPLES / "full-inspection.toml"
FULLER = EXAMPLES / "full-inspection-timetable.toml"
#: A re-plan before the inspection (May 2025): every session may still move.
BEFORE = ("--today", "2025-04-01")


def timetable_json(case: Path, *args: str) -> dict[str, Any]:
    result = run_cli("timetable", str(case), "--format", "json", *args)
    assert result.code == 0, result.stderr
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def mins(text: str) -> int:
    h, m = text.split(":")
    return int(h) * 60 + int(m)


# ------------------------------------------------------------------ the checks
def assert_sound(data: dict[str, Any], case_file: Path, complete: bool = True) -> None:
    """Every property of the issue's "Done when", from the JSON and the case file alone.

    ``complete=False``: a partial timetable (some sessions unplaced) is checked for
    everything but its completeness.
    """
    case = tomllib.loads(case_file.read_text(encoding="utf-8"))
    settings = data["settings"]
    day_start, day_end = mins(settings["day_start"]), mins(settings["day_end"])
    review, slack = settings["review_minutes"], settings["slack_minutes"]
    travel = {frozenset(t["between"]): t["minutes"] for t in settings["travel"]}
    ids = _ids(case)
    sessions = data["sessions"]
    if complete:
        assert data["complete"] and not data["unplaced"] and sessions
    by_person: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for s in sessions:
        for key in ("id", "title", "kind", "date", "start", "end", "people", "venue", "mode"):
            assert s[key], (key, s)
        assert "para" in s["source"] or "table" in s["source"]  # re-visits cite its table
        assert day_start <= mins(s["start"]) < mins(s["end"]) <= day_end, s
        assert date.fromisoformat(s["date"]).isoformat() in data["days"]
        assert len(set(s["people"])) == len(s["people"])
        for person in s["people"]:
            by_person[person].append(s)
    for person, items in by_person.items():
        items.sort(key=lambda s: (s["date"], mins(s["start"])))
        for a, b in zip(items, items[1:], strict=False):
            if a["date"] != b["date"]:
                continue
            gap = mins(b["start"]) - mins(a["end"])
            assert gap >= 0, f"{person} double-booked: {a['id']} and {b['id']}"
            if a["mode"] == b["mode"] == "in_person" and a["venue"] != b["venue"]:
                need = travel.get(frozenset((a["venue"], b["venue"])), settings["travel_minutes"])
                assert gap >= need, f"{person}: {gap} min from {a['venue']} to {b['venue']}"
    left: dict[tuple[str, str], set[int]] = defaultdict(lambda: set(range(day_start, day_end)))
    for u in case.get("timetable", {}).get("unavailable", []):
        when = (ids.get(u["who"], u["who"]), u["date"].isoformat())
        low = mins(u["from"]) if "from" in u else 0
        high = mins(u["to"]) if "to" in u else 24 * 60
        left[when] -= set(range(low, high))
    # Away all day, or all but less than review and slack: nothing to keep that day.
    away = {key for key, free in left.items() if len(free) < review + slack}
    for inspector in data["inspectors"]:
        for day in data["days"]:
            if (inspector, day) in away:
                continue  # away all day: no review time to keep
            busy = sorted(
                (mins(s["start"]), mins(s["end"])) for s in by_person[inspector] if s["date"] == day
            )
            edge, gaps = day_start, []
            for start, end in busy:
                gaps.append(start - edge)
                edge = end
            gaps.append(day_end - edge)
            assert max(gaps) >= review, f"{inspector} has no review time on {day}"
            assert sum(gaps) >= review + slack, f"{inspector} has no slack on {day}"
    if not complete:
        return  # coverage is for complete timetables
    for child in case.get("tracking", {}).get("selected", []):
        kinds = {s["kind"] for s in sessions if s["about"] == child}
        assert kinds == {"tracking_family", "tracking_practitioners"}, child
        inspectors = {tuple(s["inspectors"]) for s in sessions if s["about"] == child}
        assert len(inspectors) == 1, f"{child} meets two different inspectors"
    for provider in case.get("providers", []):
        visits = [
            s for s in sessions if s["kind"] == "sampling_visit" and s["about"] == provider["name"]
        ]
        assert len(visits) == 1, provider["name"]
        assert visits[0]["venue"] == provider["name"] and visits[0]["mode"] == "in_person"
        assert "provider:" + provider["name"] in visits[0]["people"]
    for entry in case.get("timetable", {}).get("unavailable", []):
        who = ids.get(entry["who"], entry["who"])
        low = mins(entry.get("from", "00:00"))
        high = mins(entry.get("to", "23:59")) if "to" in entry else 24 * 60
        for s in by_person[who]:
            if s["date"] == entry["date"].isoformat():
                assert mins(s["end"]) <= low or mins(s["start"]) >= high, (who, s["id"])


def _ids(case: dict[str, Any]) -> dict[str, str]:
    out = {}
    for role, person in case.get("people", {}).items():
        if role != "other" and "name" in person:
            out[person["name"]] = role
    for person in case.get("people", {}).get("other", []):
        out[person["name"]] = person["name"]
    for provider in case.get("providers", []):
        out[provider["name"]] = "provider:" + provider["name"]
    return out


# ------------------------------------------------------------------ complete timetables
def test_the_example_without_a_timetable_section_gets_a_complete_timetable() -> None:
    assert "[timetable" not in FULL.read_text()
    data = timetable_json(FULL)
    assert_sound(data, FULL)
    kinds = {s["kind"] for s in data["sessions"]}
    assert {"leaders_meeting", "feedback_meeting", "sampling_visit", "keep_in_touch"} <= kinds
    by_id = {s["id"]: s for s in data["sessions"]}
    # Paras 126 and 132-133: the meeting with leaders on day 1, the feedback last on the last day.
    assert by_id["self_evaluation_meeting"]["date"] == "2025-05-12"
    last_day = [s for s in data["sessions"] if s["date"] == "2025-05-16"]
    feedback = by_id["final_feedback"]
    assert all(mins(s["end"]) <= mins(feedback["start"]) for s in last_day if s is not feedback)
    assert mins(by_id["final_team_meeting"]["end"]) <= mins(feedback["start"])
    # Para 122: remote team meetings on the 2 working days before on site.
    remote = sorted(s["date"] for s in data["sessions"] if s["id"].startswith("remote_team"))
    assert remote == ["2025-05-08", "2025-05-09"]


def test_the_fuller_example_is_complete_and_sound() -> None:
    data = timetable_json(FULLER)
    assert_sound(data, FULLER)
    assert len(data["inspectors"]) == 4
    assert len({s["about"] for s in data["sessions"] if s["kind"] == "sampling_visit"}) == 10
    assert len([s for s in data["sessions"] if s["kind"] == "focused_sampling"]) == 4
    # A case's extra session with a fixed date is on it (para 102).
    extra = next(s for s in data["sessions"] if s["id"] == "extra:parents-evening")
    assert extra["date"] == "2025-05-13" and "Kate Rowe" in extra["people"]


def test_a_fixed_date_outside_the_on_site_days_is_warned_like_an_unavailability() -> None:
    """Moved on site, the case file's parents' evening (13 May) is kept on its date with a
    warning, as an unavailability outside the days has; in its own days it has none."""
    data = timetable_json(FULLER, "--on-site-start", "2025-06-16")
    extra = next(s for s in data["sessions"] if s["id"] == "extra:parents-evening")
    assert extra["date"] == "2025-05-13"
    about = [w for w in data["warnings"] if w.startswith("Second meeting with parents")]
    assert about == [
        "Second meeting with parents and carers (handbook para 102 (case file)) on "
        "Tue 13 May 2025: outside the on-site days, so it is timetabled on that day alone, "
        "as the case file says"
    ]
    # Its stray day does not hide the unavailabilities between it and the on-site days.
    assert any(w.startswith("Alex Morgan") and "Wed 14 May 2025" in w for w in data["warnings"])
    assert not any("Second meeting" in w for w in timetable_json(FULLER)["warnings"])


def unless_stopped_early(*results: dict[str, Any]) -> None:
    """Skip (visibly) when the machine was so busy that the solver's wall-clock safety
    stop fired: the timetable then says its result may differ (issue 19)."""
    if any(STOPPED_EARLY in r["warnings"] for r in results):
        pytest.skip("the machine was too busy: the timetable stopped early and says so")


def test_the_same_case_gives_the_same_timetable() -> None:
    first, second = timetable_json(FULLER), timetable_json(FULLER)
    unless_stopped_early(first, second)
    assert first["sessions"] == second["sessions"]


@pytest.mark.parametrize(
    "name", ["monitoring-inspection.toml", "lancashire-revisit-2020.toml"], ids=str
)
def test_monitoring_and_revisits_get_their_own_shorter_timetables(name: str) -> None:
    data = timetable_json(EXAMPLES / name)
    assert_sound(data, EXAMPLES / name)
    full = timetable_json(FULL)
    assert len(data["days"]) < len(full["days"])
    assert all("guidance" in s["source"] or "handbook" in s["source"] for s in data["sessions"])


def test_a_revisit_follows_the_guidance_table() -> None:
    data = timetable_json(EXAMPLES / "lancashire-revisit-2020.toml")
    by_id = {s["id"]: s for s in data["sessions"]}
    first_day = data["days"][-4]  # 4 days on site (Lancashire's guide)
    leaders = by_id["senior_leaders_meeting"]
    assert leaders["date"] == first_day and mins(leaders["end"]) <= mins("12:30")  # day 1 AM
    assert mins(by_id["pcf_parents_meeting"]["start"]) >= mins("12:30")  # day 1 PM
    assert by_id["final_feedback"]["date"] == data["days"][-1]
    assert mins(by_id["provisional_judgement_meeting"]["end"]) <= mins(
        by_id["final_feedback"]["start"]
    )
    # Para 22: the HMI and CQC inspectors hold one keep-in-touch meeting a day when the
    # re-visit is longer than 2 days.
    kit = [s for s in data["sessions"] if s["kind"] == "keep_in_touch"]
    assert sorted(s["date"] for s in kit) == data["days"][-4:]
    assert all({"lead_inspector", "cqc_inspector"} <= set(s["inspectors"]) for s in kit)
    assert "re-visit guidance" in by_id["review_call"]["source"]


def test_an_engagement_meeting_has_no_timetable(tmp_path: Path) -> None:
    result = run_cli("timetable", str(EXAMPLES / "engagement-meeting.toml"))
    assert (
        result.code == 2
        and "an engagement meeting has no timetable" in result.stderr
        and "188" in result.stderr
    )


def test_views_show_every_session() -> None:
    data = timetable_json(FULLER)
    table = run_cli("timetable", str(FULLER))
    assert table.code == 0
    markdown = run_cli("timetable", str(FULLER), "--format", "markdown")
    assert markdown.code == 0 and markdown.stdout.startswith("# Timetable")
    rows = [
        line for line in table.stdout.splitlines() if re.match(r" *\d\d:\d\d-\d\d:\d\d  ", line)
    ]
    assert len(rows) == len(data["sessions"])
    for s in data["sessions"]:
        assert f"| {s['start']}-{s['end']} | {s['title']} |" in markdown.stdout
    assert markdown.stdout.count("\n## ") == len(data["days"])


# ------------------------------------------------------------------ infeasible
UNAVAILABLE_DCS = """
[[timetable.unavailable]]
who = "Alex Morgan"
date = 2025-05-12
note = "Annual leave"
"""
UNAVAILABLE_LEAD = UNAVAILABLE_DCS.replace("Alex Morgan", "Robin Clarke")


def test_a_leader_away_misses_the_meeting_with_a_warning(tmp_path: Path) -> None:
    # Para 128: leaders "may always be accompanied by a colleague ... who typically
    # deputises for them"; the meeting with leaders goes ahead (issue 19).
    case = tmp_path / "case.toml"
    case.write_text(FULL.read_text() + UNAVAILABLE_DCS)
    result = run_cli("timetable", str(case), "--format", "json")
    assert result.code == 0, result.stderr
    data = json.loads(result.stdout)
    assert_sound(data, case)
    meeting = next(s for s in data["sessions"] if s["id"] == "self_evaluation_meeting")
    assert meeting["date"] == "2025-05-12" and "dcs" not in meeting["people"]
    assert any("without Alex Morgan" in w and "deputy" in w for w in data["warnings"])
    # With a deputy named, the deputy attends in the DCS's place.
    text = FULL.read_text().replace(
        'email = "alex.morgan@exampleshire.gov.uk"',
        'email = "alex.morgan@exampleshire.gov.uk"\ndeputy = "Jo Patel"',
    )
    case.write_text(text + UNAVAILABLE_DCS)
    data = timetable_json(case)
    meeting = next(s for s in data["sessions"] if s["id"] == "self_evaluation_meeting")
    assert "Jo Patel" in meeting["people"] and "dcs" not in meeting["people"]
    assert any("Jo Patel" in w and "represents" in w for w in data["warnings"])


def test_an_impossible_case_names_the_people_dates_and_paragraphs(tmp_path: Path) -> None:
    # The lead inspector cannot be away for the meeting with leaders (para 126 is firm).
    case = tmp_path / "case.toml"
    case.write_text(FULL.read_text() + UNAVAILABLE_LEAD)
    result = run_cli("timetable", str(case), "--format", "json")
    assert result.code == 1
    data = json.loads(result.stdout)
    assert not data["complete"]
    assert [u["id"] for u in data["unplaced"]] == ["self_evaluation_meeting"]
    # The rest is still placed, so the LANO sees everything else that can go ahead.
    full = timetable_json(FULL)["sessions"]
    placed = {x["id"] for x in data["sessions"]}
    assert placed == {x["id"] for x in full} - {"self_evaluation_meeting"}
    text = data["unplaced"][0]["reason"]
    assert "Robin Clarke" in text and "Mon 12 May 2025" in text and "all day" in text
    assert data["unplaced"][0]["source"] == "handbook paras 126-127" and "Annual leave" in text
    line = case.read_text().splitlines().index("[[timetable.unavailable]]") + 1
    assert f"case.toml:{line}" in text
    # Para 122: the team meets "as far as is practicable"; the lead misses that day's.
    assert any("misses" in w and "para 122" in w for w in data["warnings"])
    assert "cannot place every session" in result.stderr and "Robin Clarke" in result.stderr
    assert "not placed: Meeting with leaders" in result.stderr
    result = run_cli("timetable", str(case), "--save", str(tmp_path / "t.toml"))
    assert (
        result.code == 1 and not (tmp_path / "t.toml").exists() and "nothing saved" in result.stderr
    )


def test_a_conflict_inside_the_team_is_explained_too(tmp_path: Path) -> None:
    case = tmp_path / "case.toml"
    # 240 + 240 fills the day: refused before any search (issue 22); 220 + 220 is a conflict.
    case.write_text(FULL.read_text() + "\n[timetable]\nreview_minutes = 220\nslack_minutes = 220\n")
    result = run_cli("timetable", str(case), "--format", "json")
    assert result.code == 1
    data = json.loads(result.stdout)
    assert data["capacity"] and data["unplaced"]
    text = "\n".join(u["reason"] for u in data["unplaced"])
    assert "review" in text and "para 96" in text


# ------------------------------------------------------------------ save, re-plan, check
def saved_copy(tmp_path: Path, extra: str = "") -> tuple[Path, Path]:
    tmp_path.mkdir(exist_ok=True)
    case = tmp_path / "case.toml"
    case.write_text(FULLER.read_text() + extra)
    (tmp_path / "timetables").mkdir()
    saved = tmp_path / "timetables" / "full-inspection-timetable.toml"
    shutil.copy(EXAMPLES / "timetables" / "full-inspection-timetable.toml", saved)
    return case, saved


def test_save_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    target = tmp_path / "t.toml"
    assert run_cli("timetable", str(FULLER), "--save", str(target)).code == 0
    first = target.read_text()
    assert "[[session]]" in first and tomllib.loads(first)["session"]
    assert target.stat().st_mode & 0o077 == 0  # tracked children's ids: owner-only
    result = run_cli("timetable", str(FULLER), "--save", str(target))
    assert result.code == 2 and "--force" in result.stderr
    assert run_cli("timetable", str(FULLER), "--save", str(target), "--force").code == 0
    assert target.read_text() == first
    assert not list(tmp_path.glob(".t.toml.*"))  # no temporary file left


def test_save_and_output_are_both_checked_before_either_is_written(tmp_path: Path) -> None:
    saved = tmp_path / "t.toml"
    result = run_cli(
        "timetable", str(FULLER), "--save", str(saved), "-o", str(tmp_path / "no" / "t.md")
    )
    assert result.code == 2 and "folder" in result.stderr and "does not exist" in result.stderr
    assert not saved.exists()
    result = run_cli("timetable", str(FULLER), "--save", str(tmp_path / ("a" * 300)))
    assert result.code == 2 and "Traceback" not in result.stderr and "cannot use" in result.stderr


def test_a_saved_timetable_is_owner_only_when_it_holds_tracked_children(tmp_path: Path) -> None:
    # A re-visit has no session per tracked child (its guidance table): nothing personal.
    case = tmp_path / "revisit.toml"
    text = (EXAMPLES / "lancashire-revisit-2020.toml").read_text()
    case.write_text(text + '\n[tracking]\nselected = ["SYN000099"]\n')
    saved, shown = tmp_path / "t.toml", tmp_path / "t.md"
    umask = os.umask(0o022)
    try:
        result = run_cli(
            "timetable", str(case), "--save", str(saved), "-o", str(shown), "--format", "markdown"
        )
    finally:
        os.umask(umask)
    assert result.code == 0, result.stderr
    assert "SYN000099" not in saved.read_text()
    assert saved.stat().st_mode & 0o077 == shown.stat().st_mode & 0o077 != 0


def test_the_saved_example_still_fits_its_case() -> None:
    result = run_cli("timetable", str(FULLER), "--check")
    assert result.code == 0 and "still fits" in result.stdout


def test_check_fails_when_someone_becomes_unavailable(tmp_path: Path) -> None:
    extra = '\n[[timetable.unavailable]]\nwho = "Hillcrest Academy"\ndate = 2025-05-14\n'
    case, saved = saved_copy(tmp_path, extra)
    result = run_cli("timetable", str(case), "--check", "--format", "json")
    assert result.code == 1
    problems = json.loads(result.stdout)["problems"]
    assert len(problems) == 1 and "Hillcrest Academy is unavailable" in problems[0]


def test_a_fixed_date_is_written_as_every_date_is(tmp_path: Path) -> None:
    case, _ = saved_copy(tmp_path)
    text = case.read_text()
    fixed = 'people = ["Kate Rowe"]\ndate = 2025-05-13'
    assert fixed in text
    case.write_text(text.replace(fixed, 'people = ["Kate Rowe"]\ndate = 2025-05-06'))
    result = run_cli("timetable", str(case), "--check", "--format", "json")
    assert result.code == 1
    moved = [p for p in json.loads(result.stdout)["problems"] if p.startswith("Second meeting")]
    assert len(moved) == 1 and "outside Tue 6 May 2025 (" in moved[0]


def test_check_fails_when_a_session_is_missing(tmp_path: Path) -> None:
    case, saved = saved_copy(tmp_path, "\n[tracking.columns]\n")
    case.write_text(case.read_text().replace('"SYN000005"]', '"SYN000005", "SYN000777"]'))
    result = run_cli("timetable", str(case), "--check")
    assert (
        result.code == 1
        and "SYN000777" in result.stdout
        and "not in the timetable" in result.stdout
    )


def test_replanning_after_one_new_unavailability_moves_only_what_must_move(
    tmp_path: Path,
) -> None:
    # The saved example, as a re-plan with no change gives it back (tested below).
    unchanged, saved = saved_copy(tmp_path / "before")
    before = {
        s["id"]: s for s in timetable_json(unchanged, "--from", str(saved), *BEFORE)["sessions"]
    }
    # The lead inspector is called away for the morning of the second on-site day.
    day = "2025-05-13"
    clash = {
        sid
        for sid, s in before.items()
        if s["date"] == day and "lead_inspector" in s["people"] and mins(s["start"]) < mins("12:00")
    }
    assert clash, "the test needs the lead inspector busy that morning"
    extra = (
        f'\n[[timetable.unavailable]]\nwho = "lead_inspector"\ndate = {day}\n'
        'from = "08:30"\nto = "12:00"\n'
    )
    case, saved = saved_copy(tmp_path, extra)
    data = timetable_json(case, "--from", str(saved), *BEFORE)
    assert_sound(data, case)
    moved = {m["id"] for m in data["moved"]}
    assert moved == clash
    after = {s["id"]: s for s in data["sessions"]}
    for sid, s in before.items():
        if sid not in clash:
            assert after[sid] == s, sid
    for m in data["moved"]:
        assert set(m["tell"]) == {"lano"} | set(m["before"]["people"]) | set(m["after"]["people"])
        assert "lead_inspector" in m["tell"]
    tell = {(t["attendee"], t["session"]) for t in data["tell"]}
    assert tell == {(p, m["id"]) for m in data["moved"] for p in m["tell"] + m["others"]}


def test_replanning_with_no_change_moves_nothing(tmp_path: Path) -> None:
    case, saved = saved_copy(tmp_path)
    data = timetable_json(case, "--from", str(saved), *BEFORE)
    assert data["moved"] == [] and data["tell"] == []
    booked = tomllib.loads(saved.read_text())["session"]
    assert [
        (b["id"], b["date"].isoformat(), b["start"], b["end"], b["people"]) for b in booked
    ] == [(s["id"], s["date"], s["start"], s["end"], s["people"]) for s in data["sessions"]]
    result = run_cli("timetable", str(case), "--from", str(saved), *BEFORE)
    assert result.code == 0 and "nothing moved" in result.stdout


# ------------------------------------------------------------------ bad input
@pytest.mark.parametrize(
    ("extra", "key", "message"),
    [
        (
            '[[timetable.unavailable]]\nwho = "Nobody Known"\ndate = 2025-05-12\n',
            "timetable.unavailable[0].who",
            "not a [people] role",
        ),
        ('[timetable]\nday_start = "9am"\n', "timetable.day_start", "does not look right"),
        ('[timetable]\nday_start = "17:00"\nday_end = "09:00"\n', "timetable.day_end", "after"),
        (
            '[timetable.modes]\npcf_meeting = "carrier pigeon"\n',
            "timetable.modes.pcf_meeting",
            "expected one of",
        ),
        ("[timetable]\nreview_minuts = 30\n", "timetable.review_minuts", "review_minutes"),
    ],
)
def test_bad_timetable_keys_are_reported_with_file_line_and_key(
    tmp_path: Path, extra: str, key: str, message: str
) -> None:
    case = tmp_path / "case.toml"
    text = FULL.read_text() + "\n" + extra
    case.write_text(text)
    result = run_cli("timetable", str(case))
    assert result.code == 2
    line = len(FULL.read_text().splitlines()) + 2
    assert (
        f"case.toml:{line}" in result.stderr
        or f"case.toml:{line + 1}" in result.stderr
        or f"case.toml:{line + 2}" in result.stderr
    )
    assert key in result.stderr and message in result.stderr
    assert "Traceback" not in result.stderr


def test_a_broken_saved_timetable_is_reported_with_its_line(tmp_path: Path) -> None:
    case, saved = saved_copy(tmp_path)
    text = saved.read_text().replace('start = "08:30"', 'start = "half past eight"', 1)
    saved.write_text(text)
    line = text.splitlines().index('start = "half past eight"') + 1
    result = run_cli("timetable", str(case), "--from", str(saved), *BEFORE)
    assert (
        result.code == 2
        and f"full-inspection-timetable.toml:{line}" in result.stderr
        and "start" in result.stderr
    )


def test_a_saved_timetable_of_another_case_is_refused(tmp_path: Path) -> None:
    _, saved = saved_copy(tmp_path)
    result = run_cli(
        "timetable", str(EXAMPLES / "monitoring-inspection.toml"), "--from", str(saved), *BEFORE
    )
    assert result.code == 2 and "not of this case" in result.stderr


@pytest.mark.parametrize("flags", [("--check",), ()])
def test_a_saved_timetable_that_is_not_a_regular_file_is_refused_without_a_hang(
    tmp_path: Path, flags: tuple[str, ...]
) -> None:
    fifo = tmp_path / "timetable.toml"
    os.mkfifo(fifo)
    result = run_cli("timetable", str(FULLER), *flags, "--from", str(fifo))
    assert result.code == 2 and "regular file" in result.stderr and "Traceback" not in result.stderr
    result = run_cli("timetable", str(FULLER), *flags, "--from", str(tmp_path))
    assert result.code == 2 and "a folder" in result.stderr


def test_a_saved_timetable_that_is_not_utf8_names_its_line(tmp_path: Path) -> None:
    saved = tmp_path / "timetable.toml"
    saved.write_bytes(b'[timetable]\nlocal_area = "\xff"\n')
    result = run_cli("timetable", str(FULLER), "--check", "--from", str(saved), *BEFORE)
    assert result.code == 2 and f"{saved}:2: not UTF-8" in result.stderr


def test_check_without_a_saved_timetable_is_a_usage_error() -> None:
    result = run_cli("timetable", str(FULL), "--check")
    assert result.code == 2 and "--from" in result.stderr


def test_two_overlapping_unavailabilities_of_one_person_are_allowed(tmp_path: Path) -> None:
    # The example already has Robin Clarke away 13:00-17:30 on 7 May; all day too is fine.
    case = tmp_path / "case.toml"
    case.write_text(
        FULLER.read_text()
        + '\n[[timetable.unavailable]]\nwho = "lead_inspector"\ndate = 2025-05-07\n'
    )
    data = timetable_json(case)
    assert_sound(data, case)
    assert not [
        s for s in data["sessions"] if s["date"] == "2025-05-07" and "lead_inspector" in s["people"]
    ]


def test_a_provider_dropped_from_the_case_is_listed_with_whom_to_tell(tmp_path: Path) -> None:
    case, saved = saved_copy(tmp_path)
    text = case.read_text()
    block = '\n[[providers]]\nname = "Oak Tree Nursery"\ntype = "education"\ncontact = "Manager"\n'
    assert block in text
    closed = '\n[[timetable.unavailable]]\nwho = "Oak Tree Nursery"\ndate = 2025-05-12\n'
    assert closed in text
    case.write_text(text.replace(block, "").replace(closed, "\n"))
    data = timetable_json(case, "--from", str(saved), *BEFORE)
    assert_sound(data, case)
    (dropped,) = data["moved"]
    assert dropped["id"] == "sampling_visit:oak-tree-nursery" and dropped["after"] is None
    assert dropped["tell"][0] == "lano"  # the LANO hears of every change (paras 96, 114)
    assert "provider:Oak Tree Nursery" in dropped["tell"] and len(dropped["tell"]) == 3


@pytest.mark.parametrize(
    ("table", "key"), [("lengths", "parents_meeting"), ("defaults", "slot_minutes")]
)
def test_the_activities_data_gives_every_length_and_default_the_code_reads(
    table: str, key: str
) -> None:
    from sendplan.cache import load_toml
    from sendplan.errors import RuleError
    from sendplan.timetable.activities import parse_activities

    path = ROOT / "src" / "sendplan" / "data" / "timetable" / "full.toml"
    data = dict(load_toml(path))
    data[table] = {k: v for k, v in data[table].items() if k != key}
    with pytest.raises(RuleError, match=key):
        parse_activities("full", data)
    shipped = parse_activities("full", load_toml(path))  # the shipped data has them
    assert key in shipped.lengths or key in shipped.defaults
