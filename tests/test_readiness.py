"""Before the call (issue 23): a case without dates, `sendplan ready`, evidence
freshness, absences and deputies, the national estimate, mark --refreshed."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cli_harness import run_cli
from sendplan.calendar import build_calendar, move
from sendplan.case import load_case, parse_case
from sendplan.checklist import build_checklist
from sendplan.errors import RuleError
from sendplan.history import load_record
from sendplan.readiness import Absence, build_readiness, candidates, first_week
from sendplan.readiness.national import (
    PACE_MAX_AGE_MONTHS,
    as_of,
    national_picture,
    record_date,
    signature,
    waiting_step,
)
from sendplan.readiness.settings import parse_readiness, readiness_data
from sendplan.schedule import build_schedule

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "readiness.toml"
CALENDAR = build_calendar()

#: A case without dates whose items due within one working day all have an owner
#: and fresh evidence on 2 June 2025.
NEXT_DAY = ("list-1", "list-2", "providers", "1.1", "1.2", "1.3", "1.4", "1.5", "1.6", "1.7")
READY = (
    '[inspection]\nkind = "full"\nlocal_area = "Exampleshire"\n\n'
    '[people.dcs]\nname = "Robin Achebe"\n\n'
    '[checklist.owners]\n"person-level" = "SEND data team"\nproviders = "LANO"\n'
    '"1" = "SEND strategy team"\n\n'
    + "".join(f'[checklist.items."{i}"]\nrefreshed = 2025-05-20\n\n' for i in NEXT_DAY)
)


def write(tmp_path: Path, text: str = READY, name: str = "case.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# ------------------------------------------------------------------ a case without dates
def test_a_case_without_dates_validates_and_says_where_to_go(tmp_path: Path) -> None:
    path = write(tmp_path)
    result = run_cli("validate", str(path))
    assert result.code == 0
    assert result.stdout == (
        f"{path}: valid (Full area SEND inspection, Exampleshire; no dates yet: see "
        "`sendplan ready`)\n"
    )
    assert run_cli("validate", str(path), "--format", "json").json["dated"] is False


@pytest.mark.parametrize(
    "args",
    [
        ["schedule"],
        ["letter", "{case}", "notification"],
        ["calendar", "{case}", "-o", "-"],
        ["timetable"],
        ["select", "{case}", "--list1", "examples/lists/list1.csv"],
    ],
    ids=lambda a: a[0],
)
def test_commands_that_need_dates_say_so_in_one_line(tmp_path: Path, args: list[str]) -> None:
    path = write(tmp_path)
    argv = [a.replace("{case}", str(path)) for a in args] if len(args) > 1 else [args[0], str(path)]
    result = run_cli(*argv)
    assert result.code == 2
    assert result.stdout == ""
    assert result.stderr == (
        f"sendplan: {path}: no inspection dates yet, and this needs them "
        "(`inspection.notification` or `inspection.on_site_start`): rehearse a date with "
        f"--notification DATE, or see the weeks the call may come with `sendplan ready {path}`\n"
    )


def test_a_command_without_a_rehearsal_date_suggests_one_that_has(tmp_path: Path) -> None:
    path = write(tmp_path)
    result = run_cli("status", str(path))
    assert result.code == 2
    assert result.stderr.count("\n") == 1
    assert f"`sendplan schedule {path} --notification DATE`" in result.stderr
    assert "rehearse a date with --notification" not in result.stderr


def test_a_rehearsal_date_plans_a_case_without_dates(tmp_path: Path) -> None:
    result = run_cli("schedule", str(write(tmp_path)), "--notification", "2025-06-02")
    assert result.code == 0
    assert "2 Jun 2025" in result.stdout


def test_checklist_gives_deadlines_relative_to_notification(tmp_path: Path) -> None:
    path = write(tmp_path)
    data = run_cli("checklist", str(path), "--format", "json").json
    due = {i["id"]: i["due_relative"] for i in data["items"]}
    assert due["list-1"] == due["1.3"] == "notification + 1 working day, 11:00"
    assert due["2.1"] == "notification + 4 working days, 17:00"
    assert all(i["due_date"] is None for i in data["items"])
    table = run_cli("checklist", str(path)).stdout
    assert "notification" in table and "not scheduled" not in table


@pytest.mark.parametrize("kind", ["full", "monitoring"])
@given(start=st.dates(date(2016, 9, 1), date(2040, 7, 1)))
@settings(max_examples=25, deadline=None)
def test_relative_deadlines_agree_with_the_schedule(kind: str, start: date) -> None:
    """Whatever the notification, each item falls where its relative deadline says."""
    # A monitoring inspection tracks the Annex A items the inspectors ask for (para 192).
    asked = '[checklist]\ninclude = ["list-*", "1.*", "2.*"]\n' if kind == "monitoring" else ""
    base = parse_case(f'[inspection]\nkind = "{kind}"\nlocal_area = "X"\n{asked}')
    case = base.with_dates(notification=CALENDAR.add(start, 0))
    plan = build_schedule(case)
    dated = {i.id: i for i in build_checklist(case, plan).items}
    notified = plan.event("notification").date
    checked = 0
    for item in build_checklist(base, None).items:
        found = re.fullmatch(
            r"notification(?: \+ (\d+) working days?)?(?:, (\d\d:\d\d))?", item.due_relative or ""
        )
        if found is None:
            continue
        days = int(found.group(1) or 0)
        twin = dated[item.id]
        assert twin.due_date == plan.calendar.add(notified, days), item.id
        at = twin.due_time
        assert (found.group(2) or None) == (at.strftime("%H:%M") if at else None)
        checked += 1
    assert checked >= 10


# ------------------------------------------------------------------ the candidate days
@given(today=st.dates(date(2017, 1, 1), date(2044, 6, 1)), weeks=st.integers(1, 10))
@settings(max_examples=60, deadline=None)
def test_candidates_follow_para_80(today: date, weeks: int) -> None:
    """The call usually comes on a Monday, in the week before when a bank holiday falls in
    week 1 or 2; then it is 10 working days before the Monday of week 3 (para 80)."""
    found = candidates(CALENDAR, today, weeks, 10)
    assert len(found) <= weeks
    assert found == sorted(found, key=lambda c: c.week)
    for candidate in found:
        assert candidate.notification >= today
        assert candidate.week.weekday() == 0
        assert CALENDAR.is_working_day(candidate.notification)
        weeks_1_2 = CALENDAR.non_working_weekdays(
            candidate.week, candidate.week + timedelta(days=11)
        )
        if not weeks_1_2:
            assert candidate.notification == candidate.week and not candidate.moved_by
        else:
            assert candidate.notification < candidate.week
            assert tuple(weeks_1_2) == candidate.moved_by
            week3 = CALENDAR.add(candidate.week + timedelta(weeks=2), 0)
            assert CALENDAR.add(candidate.notification, 10) == week3
    first = first_week(today)
    assert first.weekday() == 0 and 0 <= (first - today).days < 7


def test_ready_rejects_a_kind_without_a_call(tmp_path: Path) -> None:
    result = run_cli("ready", "examples/lancashire-revisit-2020.toml")
    assert result.code == 2
    assert result.stderr == (
        "sendplan: `sendplan ready` plans the weeks before the call of a full inspection or "
        "a monitoring inspection (the box after handbook para 80; para 163 for monitoring "
        "inspections); this case is a WSoA re-visit\n"
    )


# ------------------------------------------------------------------ absences
def _who(weeks: list[dict[str, object]], name: str) -> dict[str, list[str]]:
    """The notification days of the weeks whose risks name ``name``, with the text."""
    out: dict[str, list[str]] = {}
    for week in weeks:
        for risk in week["risks"]:  # type: ignore[attr-defined]
            if name in risk["text"]:
                out.setdefault(str(week["notification"]), []).append(risk["text"])
    return out


def test_a_dcs_absence_on_a_weeks_on_site_days_is_named_for_that_week_only(
    tmp_path: Path,
) -> None:
    case = load_case(write(tmp_path))
    today = date(2025, 6, 2)  # no bank holiday in June or July 2025
    plain = build_readiness(case, today, 4)
    last = plain.weeks[-1]
    assert (last.on_site_start, last.on_site_end) == (date(2025, 7, 7), date(2025, 7, 11))
    away = [Absence("dcs", date(2025, 7, 8), date(2025, 7, 9), "annual leave")]
    report = build_readiness(case, today, 4, absences=away).to_json()
    named = _who(report["weeks"], "Robin Achebe")
    assert list(named) == ["2025-06-23"]
    (text,) = named["2025-06-23"]
    assert "away Tue 8 - Wed 9 Jul (annual leave): during the on-site days" in text
    assert "no deputy named" in text
    week = next(w for w in report["weeks"] if w["notification"] == "2025-06-23")
    assert week["rank"] == 1
    assert {r["kind"] for r in week["risks"]} >= {"away_without_deputy"}
    # Over more weeks, the same days are week 1 of the call two weeks later too.
    wider = build_readiness(case, today, 6, absences=away).to_json()
    named = _who(wider["weeks"], "Robin Achebe")
    assert list(named) == ["2025-06-23", "2025-07-07"]
    assert "during week 1" in named["2025-07-07"][0]


def test_a_key_role_away_within_4_weeks_without_a_deputy_fails_the_check(tmp_path: Path) -> None:
    case = load_case(write(tmp_path))
    today = date(2025, 6, 2)
    assert build_readiness(case, today).failures == ()
    soon = [Absence("Robin Achebe", date(2025, 6, 20), date(2025, 6, 27))]
    failures = build_readiness(case, today, absences=soon).failures
    assert len(failures) == 1 and "Robin Achebe (Director of children's services)" in failures[0]
    later = [Absence("dcs", date(2025, 7, 1), date(2025, 7, 4))]  # after the 4 weeks
    assert build_readiness(case, today, absences=later).failures == ()


# ------------------------------------------------------------------ school holidays
def test_a_call_in_the_christmas_holiday_is_flagged(tmp_path: Path) -> None:
    report = build_readiness(load_case(write(tmp_path)), date(2025, 12, 1), 6).to_json()
    weeks = {w["notification"]: w for w in report["weeks"]}
    christmas = weeks["2025-12-24"]  # the week of 29 Dec, moved back (para 80)
    holiday = [r for r in christmas["risks"] if r["kind"] == "school_holiday"]
    assert len(holiday) == 1
    assert holiday[0]["text"].startswith(
        "the call itself would come in the Christmas and New Year break"
    )
    assert holiday[0]["source"] == "handbook para 74"
    assert not [r for r in weeks["2025-12-01"]["risks"] if r["kind"] == "school_holiday"]


# ------------------------------------------------------------------ freshness and --check
def test_a_stale_1x_item_fails_the_check_and_a_fresh_one_does_not(tmp_path: Path) -> None:
    fresh = write(tmp_path)
    ok = run_cli("ready", str(fresh), "--check", "--today", "2025-06-02")
    assert ok.code == 0, ok.stderr
    stale = write(
        tmp_path,
        READY.replace(
            '[checklist.items."1.3"]\nrefreshed = 2025-05-20',
            '[checklist.items."1.3"]\nrefreshed = 2025-01-06',
        ),
        "stale.toml",
    )
    failed = run_cli("ready", str(stale), "--check", "--today", "2025-06-02")
    assert failed.code == 1
    assert failed.stderr.splitlines() == [
        "sendplan: not ready for the call (1 problem):",
        "  item 1.3 is due within one working day of the call and its evidence is stale: "
        "refreshed 6 Jan 2025, 147 days before (limit 30 days, sendplan's assumption) "
        "(handbook para 203)",
    ]
    # The case's own limit, then the item's, replace sendplan's assumption.
    longer = stale.read_text().replace(
        "[people.dcs]", "[readiness]\nnext_day_refresh_days = 200\n\n[people.dcs]"
    )
    assert (
        run_cli(
            "ready", str(write(tmp_path, longer, "longer.toml")), "--check", "--today", "2025-06-02"
        ).code
        == 0
    )
    own = stale.read_text().replace(
        "refreshed = 2025-01-06", "refreshed = 2025-01-06\nrefresh_days = 150"
    )
    assert (
        run_cli(
            "ready", str(write(tmp_path, own, "own.toml")), "--check", "--today", "2025-06-02"
        ).code
        == 0
    )


def test_an_item_due_next_day_without_an_owner_fails_the_check(tmp_path: Path) -> None:
    path = write(tmp_path, READY.replace('providers = "LANO"\n', ""))
    result = run_cli("ready", str(path), "--check", "--today", "2025-06-02")
    assert result.code == 1
    assert "item providers is due within one working day of the call and has no owner" in (
        result.stderr
    )


def test_stale_items_are_grouped_by_owner_and_marked_as_assumptions(tmp_path: Path) -> None:
    report = build_readiness(load_case(write(tmp_path)), date(2025, 6, 2)).to_json()
    owners = [g["owner"] for g in report["stale"]]
    assert owners == sorted(o for o in owners if o) + ([None] if None in owners else [])
    items = [i for g in report["stale"] for i in g["items"]]
    assert items and all(i["assumption"] and i["refresh_days_from"] == "assumption" for i in items)
    assert not {i["id"] for i in items} & set(NEXT_DAY)  # refreshed on 20 May: fresh
    assert any("sendplan's assumption" in a for a in report["assumptions"])


# ------------------------------------------------------------------ JSON and the table
def test_ready_json_has_the_documented_keys() -> None:
    result = run_cli("ready", str(EXAMPLE), "--format", "json", "--today", "2026-01-05")
    assert result.code == 0
    data = result.json
    assert {"weeks", "stale", "window"} <= set(data)
    assert len(data["weeks"]) == 12
    for week in data["weeks"]:
        assert {"notification", "on_site_start", "risks", "score", "rank", "level"} <= set(week)
        for risk in week["risks"]:
            assert set(risk) == {"kind", "text", "source", "count", "weight", "score"}
            assert risk["source"] and risk["score"] == risk["count"] * risk["weight"]
        assert week["score"] == sum(r["score"] for r in week["risks"])
    ranks = sorted(data["weeks"], key=lambda w: w["rank"])
    assert [w["score"] for w in ranks] == sorted((w["score"] for w in ranks), reverse=True)
    assert data["window"]["estimate"] is True and data["window"]["local_area"] == "Barnet"


def test_the_table_shows_the_strip_every_week_and_the_ranking() -> None:
    result = run_cli("ready", str(EXAMPLE), "--today", "2026-01-05")
    assert result.code == 0
    text = result.stdout
    strip = text.splitlines()[
        text.splitlines().index(
            next(line for line in text.splitlines() if line.startswith("Weeks by risk"))
        )
        + 1
    ]
    assert len(strip.strip()) == 12 and set(strip.strip()) <= set("▁▂▃▄▅▆▇█")
    assert "Hardest to easiest:" in text and "Stale evidence today, by owner" in text
    assert "Where the area stands (an estimate):" in text


def test_weights_keep_the_documented_order() -> None:
    data = readiness_data()
    w = data.weights
    assert w["away_without_deputy"] > w["no_owner"] > w["stale"] > w["school_holiday"]
    import tomllib

    raw = tomllib.loads((ROOT / "src/sendplan/data/readiness.toml").read_text())
    raw["weights"]["stale"] = 9
    with pytest.raises(RuleError, match="documented order"):
        parse_readiness(raw)


# ------------------------------------------------------------------ the national picture
def _positions(today: date) -> dict[str, object]:
    """Each area's next inspection by the history's own next steps (rule, paragraph)
    and the outcome it follows: what the signature shortcut must agree with."""
    record = load_record()
    out: dict[str, object] = {}
    for area in record.areas.values():
        now = as_of(area, today)
        step = waiting_step(now, today, CALENDAR, record)
        fulls = [i.outcome for i in now.inspections if i.kind == "full"]
        out[area.key] = None if step is None else (step.id, step.source, tuple(fulls[-1:]))
    return out


@pytest.mark.parametrize("today", [date(2024, 3, 4), date(2026, 1, 5)])
def test_areas_with_one_signature_wait_under_one_rule(today: date) -> None:
    """The count of areas in the same position reads signatures, not schedules: areas
    sharing one must share the history's next step and the outcome before it."""
    positions = _positions(today)
    groups: dict[object, set[object]] = {}
    for area in load_record().areas.values():
        groups.setdefault(signature(as_of(area, today)), set()).add(positions[area.key])
    assert all(len(found) == 1 for found in groups.values()), groups
    assert sum(1 for p in positions.values() if p is not None) > 100


@pytest.mark.parametrize(
    ("area", "step", "source"),
    [
        # 2016 framework, no WSoA: a full inspection within the 5-year cycle.
        ("Barnet", "first_full_inspection", "handbook para 18"),
        # A WSoA never re-visited: within the first 3 years of the cycle.
        ("Kent", "first_full_inspection", "handbook para 23"),
        # A 2023-framework full inspection with inconsistent outcomes.
        ("Barking and Dagenham", "next_full_inspection", "handbook paras 20, 37"),
    ],
)
def test_the_national_estimate_for_areas_with_different_histories(
    area: str, step: str, source: str
) -> None:
    today = date(2026, 1, 5)
    found = national_picture(load_record(), area, None, today, CALENDAR)
    assert found.found and found.step is not None
    assert (found.step.id, found.step.source) == (step, source)
    positions = _positions(today)
    record = load_record()
    mine = record.match_area(area)
    assert mine is not None
    same = [k for k, p in positions.items() if k != mine.key and p == positions[mine.key]]
    assert found.same_position <= len(same)  # later activity may set an area apart
    assert found.same_position >= len(same) * 0.8
    sentences = " ".join(found.sentences())
    assert f"about {found.same_position} other areas are in the same position" in sentences
    assert "an estimate, not a notice" in sentences and "latest entry 26 Jun 2026" in sentences
    assert found.pace is not None and "a month" in sentences


def test_the_pace_is_left_out_when_the_record_is_old() -> None:
    record = load_record()
    latest = record_date(record)
    assert latest is not None
    recent = move(latest, PACE_MAX_AGE_MONTHS, "months")
    assert national_picture(record, "Barnet", None, recent, CALENDAR).pace is not None
    old = national_picture(record, "Barnet", None, recent + timedelta(days=1), CALENDAR)
    assert old.pace is None
    assert "more than 6 months before" in old.pace_left_out
    assert old.pace_left_out in old.sentences()


def test_an_area_not_in_the_record_gets_no_estimate(tmp_path: Path) -> None:
    report = build_readiness(
        load_case(write(tmp_path)), date(2025, 6, 2), record=load_record()
    ).to_json()
    assert report["window"]["in_record"] is False and report["window"]["start"] is None


# ------------------------------------------------------------------ mark --refreshed
def test_mark_refreshed_keeps_comments_and_defaults_to_today(tmp_path: Path) -> None:
    path = write(tmp_path, "# the case\n" + READY + "# last words\n")
    before = path.read_text()
    result = run_cli("mark", str(path), "1.3", "--refreshed", "--today", "2025-06-10T09:00")
    assert result.code == 0, result.stderr
    assert result.stdout == f"{path}: 1 item refreshed 2025-06-10: 1.3\n"
    after = path.read_text()
    assert after.startswith("# the case\n") and after.endswith("# last words\n")
    changed = [
        (a, b) for a, b in zip(before.splitlines(), after.splitlines(), strict=True) if a != b
    ]
    assert changed == [("refreshed = 2025-05-20", "refreshed = 2025-06-10")]
    run_cli("mark", str(path), "2.1", "--refreshed", "2025-06-01")
    assert load_case(path).checklist.items["2.1"].refreshed == date(2025, 6, 1)
    assert load_case(path).checklist.items["2.1"].status == "not-started"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["1.3", "--refreshed", "2025-13-01"], "--refreshed '2025-13-01' is not a date"),
        (["--refreshed", "2025-06-01"], "needs the items to mark"),
        (["1.3"], "missing option '--status' / '-s' (or --refreshed"),
    ],
)
def test_mark_refreshed_refuses_bad_input(tmp_path: Path, args: list[str], message: str) -> None:
    path = write(tmp_path)
    before = path.read_text()
    result = run_cli("mark", str(path), *args)
    assert result.code == 2 and message in result.stderr
    assert path.read_text() == before


# ------------------------------------------------------------------ the overview page
def test_the_overview_of_a_case_without_dates_shows_readiness() -> None:
    data = run_cli("overview", str(EXAMPLE), "--format", "json", "--today", "2026-01-05").json
    assert data["timeline"] is None and data["readiness"]["weeks"]
    page = run_cli("overview", str(EXAMPLE), "--today", "2026-01-05").stdout
    assert 'id="h-ready"' in page and 'id="h-timeline"' not in page
    # The strip is labelled on the page: each week's day, score and level as text.
    for week in data["readiness"]["weeks"]:
        assert f'<time datetime="{week["notification"]}"' in page
        level, score = week["level"], week["score"]
        shown = f'<span class="score">score {score}</span> <span class="level">{level}</span>'
        assert f'class="heat heat-{level}"' in page and shown in page
    assert "notification + 1 working day, 11:00" in page


def test_example_checks(tmp_path: Path) -> None:
    """The README's worked example: the example's weeks and its stale items."""
    case = load_case(EXAMPLE)
    assert not case.has_dates
    report = build_readiness(case, date(2026, 1, 5))
    assert report.stale and any(f.item.id.startswith("1.") for f in report.stale)
    assert report.failures  # not ready: the README says why


@pytest.mark.parametrize("width", [80, 120])
def test_ready_fits_the_terminal_and_cuts_no_source(width: int, tmp_path: Path) -> None:
    from test_terminal_fit import check_fits

    args = ["ready", str(EXAMPLE), "--today", "2026-01-05"]
    for detail in ([], ["--detail"]):
        result = run_cli(*args, *detail, env={"COLUMNS": str(width)})
        assert result.code == 0
        check_fits("ready", result.stdout, width, tmp_path, args)


# ------------------------------------------------------------------ deputies, from the case file
DEPUTIES = READY.replace(
    '[people.dcs]\nname = "Robin Achebe"\n',
    '[people.dcs]\nname = "Robin Achebe"\ndeputy = "Jo Patel"\n\n'
    '[[people.other]]\nname = "Jo Patel"\nrole = "Assistant Director, Education"\n',
)


def test_a_deputy_who_is_there_softens_an_absence_and_one_away_does_not(
    tmp_path: Path,
) -> None:
    away = '\n[[absences]]\nwho = "dcs"\nfirst_day = 2025-07-08\nlast_day = 2025-07-09\n'
    case = load_case(write(tmp_path, DEPUTIES + away))
    week = next(w for w in build_readiness(case, date(2025, 6, 2), 4).weeks if w.rank == 1)
    (risk,) = [r for r in week.risks if "Robin Achebe" in r.text]
    assert risk.kind == "away_with_deputy" and risk.score == 1
    assert "deputy: Jo Patel (Assistant Director, Education)" in risk.text
    assert build_readiness(case, date(2025, 6, 2)).failures == ()
    both = (
        away + '\n[[absences]]\nwho = "Jo Patel"\nfirst_day = 2025-07-09\nlast_day = 2025-07-09\n'
    )
    case = load_case(write(tmp_path, DEPUTIES + both, "both.toml"))
    week = next(w for w in build_readiness(case, date(2025, 6, 2), 4).weeks if w.rank == 1)
    (risk,) = [r for r in week.risks if "Robin Achebe" in r.text]
    assert risk.kind == "away_without_deputy" and risk.score == 8
    assert "their deputy, Jo Patel (Assistant Director, Education), is away too" in risk.text
    failures = build_readiness(case, date(2025, 6, 16)).failures
    assert (
        len(failures) == 1
        and "deputy Jo Patel (Assistant Director, Education) away too" in (failures[0])
    )


def test_the_examples_absences_name_the_weeks_they_hurt() -> None:
    """The README's worked example: the call on Monday 2 February 2026."""
    report = build_readiness(load_case(EXAMPLE), date(2026, 1, 5)).to_json()
    weeks = {w["notification"]: w for w in report["weeks"]}
    kinds = {r["kind"] for r in weeks["2026-02-02"]["risks"]}
    assert {"away_without_deputy", "stale", "no_owner", "school_holiday"} <= kinds
    named = _who(report["weeks"], "Robin Achebe")
    # On leave 16-20 Feb: the on-site days of the 2 Feb call, week 1 of the 16 Feb call.
    assert sorted(named) == ["2026-02-02", "2026-02-16"]
    with_deputy = [r for r in weeks["2026-01-12"]["risks"] if r["kind"] == "away_with_deputy"]
    assert with_deputy and "Dev Lindqvist" in with_deputy[0]["text"]
