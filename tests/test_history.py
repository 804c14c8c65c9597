"""The published inspection record: reading it, matching areas, what comes next, timings.

The statistics are pinned on ``fixtures/history-small.csv``, built by hand: its
working-day gaps were counted on a calendar (see ``fixtures/README.md``), not
copied from output.  England bank holidays come from the packaged calendar.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from cli_harness import run_cli
from sendplan.calendar import WorkingCalendar, build_calendar
from sendplan.case import parse_case
from sendplan.history import (
    COLUMNS,
    HistoryError,
    Record,
    RecordView,
    annotate_schedule,
    load_record,
    load_record_view,
    nearest_rank,
    next_steps,
    normalise,
    observed_timing,
    parse_record,
)
from sendplan.render.schedule import schedule_json, what_text
from sendplan.rules import load_rules
from sendplan.schedule import Schedule, build_schedule

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SMALL = FIXTURES / "history-small.csv"


@pytest.fixture(scope="module")
def record() -> Record:
    return load_record(SMALL)


@pytest.fixture(scope="module")
def england() -> WorkingCalendar:
    return build_calendar()


# ------------------------------------------------------------------ statistics
def test_nearest_rank() -> None:
    assert nearest_rank([50, 10, 40, 20, 30], 0.5) == 30
    assert nearest_rank([50, 10, 40, 20, 30], 0.8) == 40
    assert nearest_rank([4, 10, 10, 20, 30, 40, 50], 0.8) == 40  # rank ceil(5.6) = 6
    assert nearest_rank([7], 0.8) == 7
    with pytest.raises(ValueError):
        nearest_rank([], 0.5)


def test_full_inspection_timing_on_the_hand_built_record(
    record: Record, england: WorkingCalendar
) -> None:
    timing = observed_timing(record, "full", england)
    assert timing is not None
    # Buckland (no on-site dates) and Slowtown (no publication) are left out.
    assert sorted(timing.days) == [4, 10, 10, 20, 30, 40, 50]
    assert (timing.size, timing.median, timing.p80) == (7, 20, 40)
    assert timing.within(38) == 5
    assert (timing.first_published, timing.last_published) == (date(2023, 8, 4), date(2024, 8, 16))


def test_revisit_timing_needs_a_printed_end(record: Record, england: WorkingCalendar) -> None:
    timing = observed_timing(record, "revisit", england)
    assert timing is not None
    # Wakeham's single printed day has no end: only Telmouth (32) and Devonia (24).
    assert sorted(timing.days) == [24, 32]
    assert (timing.median, timing.p80) == (24, 32)


def test_the_packaged_record_matches_its_readme(england: WorkingCalendar) -> None:
    record = load_record()
    assert len(record.inspections) == 293
    full = observed_timing(record, "full", england)
    revisit = observed_timing(record, "revisit", england)
    assert full is not None and revisit is not None
    # The reference README: median 44, 80% within 64, 21 of 93 within 38; re-visits median 47.
    assert (full.size, full.median, full.p80, full.within(38)) == (93, 44, 64, 21)
    assert (revisit.size, revisit.median) == (14, 47)


# ------------------------------------------------------------------ oddities
def test_saturday_end_is_taken_back_to_friday(record: Record) -> None:
    (inspection,) = record.find_area("Seaside-on-Sea").inspections
    assert inspection.onsite_end == date(2018, 10, 6)  # as published
    assert inspection.last_on_site == date(2018, 10, 5)
    assert "is a Saturday" in inspection.notes[0]


def test_2023_span_from_the_off_site_thursday(record: Record) -> None:
    (inspection,) = record.find_area("Oxbridge").inspections
    assert (inspection.first_on_site, inspection.last_on_site) == (
        date(2023, 7, 17),
        date(2023, 7, 21),
    )
    assert "off-site fieldwork on Thursday 13 July 2023" in inspection.notes[0]


def test_single_day_and_missing_dates(record: Record) -> None:
    revisit = record.find_area("Wakeham").inspections[-1]
    assert revisit.last_on_site is None
    assert revisit.notes == ("printed as a single day (3 June 2019); last on-site day not known",)
    buckland = record.find_area("Buckland").last
    assert buckland.first_on_site is None and buckland.publication == date(2026, 2, 10)
    assert "on-site dates not in the record" in buckland.notes
    assert "publication date not in the record" in record.find_area("Slowtown").last.notes


def test_rows_without_a_code_take_their_areas_code(record: Record) -> None:
    westport = record.find_area("Westport")
    assert westport.codes == ("E06000902",)
    assert [i.la_code for i in westport.inspections] == ["E06000902", "E06000902"]
    assert westport.name == "City of Westport"  # the statistics' spelling


# ------------------------------------------------------------------ wrong files
def test_a_missing_column_is_named(tmp_path: Path) -> None:
    bad = tmp_path / "old.csv"
    header = ",".join(c if c != "publication_date" else "publication" for c in COLUMNS)
    bad.write_text(header + "\n", encoding="utf-8")
    with pytest.raises(HistoryError) as error:
        load_record(bad)
    assert str(error.value).startswith(
        f"{bad}: not an inspection record: missing column `publication_date` (is `publication` it?). Columns found:"
    )


def test_a_bad_date_names_line_and_column() -> None:
    text = SMALL.read_text(encoding="utf-8").replace("2024-07-05", "5 July 2024")
    with pytest.raises(HistoryError, match=r"^x\.csv:4: publication_date: '5 July 2024' is not"):
        parse_record(text, "x.csv")


def test_an_unknown_inspection_type_is_refused() -> None:
    text = SMALL.read_text(encoding="utf-8").replace(
        "Area SEND monitoring inspection (2023 framework)", "Focused visit"
    )
    with pytest.raises(HistoryError, match=r"^x\.csv:6: inspection_type: 'Focused visit'"):
        parse_record(text, "x.csv")


def test_a_missing_file() -> None:
    with pytest.raises(HistoryError, match="no such inspection record file"):
        load_record(Path("nowhere.csv"))


# ------------------------------------------------------------------ matching
@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("alphashire", "Alphashire"),
        ("ALPHASHIRE", "Alphashire"),
        ("Alph", "Alphashire"),  # a unique prefix
        ("Telmouth & Wrekin", "Telmouth and Wrekin"),
        ("telmouth and wrekin", "Telmouth and Wrekin"),
        ("Westport", "City of Westport"),
        ("Westport, City of", "City of Westport"),
        ("e06000902", "City of Westport"),  # ONS code, any case
        ("seaside on sea", "Seaside-on-Sea"),
    ],
)
def test_forgiving_area_names(record: Record, query: str, name: str) -> None:
    assert record.find_area(query).name == name


def test_telmouth_spellings_are_one_area(record: Record) -> None:
    kinds = [i.kind for i in record.find_area("Telmouth").inspections]
    assert kinds == ["inspection_2016", "revisit", "full"]


def test_unknown_area_suggests_the_nearest(record: Record) -> None:
    with pytest.raises(HistoryError) as error:
        record.find_area("Alfashire")
    assert str(error.value) == (
        f"no local area `Alfashire` in the record {SMALL} (did you mean `Alphashire` or `Oldshire`?)"
    )


def test_ambiguous_prefix_and_code(record: Record) -> None:
    with pytest.raises(HistoryError, match="`North` matches several local areas .*North Alpha, "):
        record.find_area("North")
    with pytest.raises(
        HistoryError, match=r"E10000912 belongs to several .*\(Newshire, Oldshire\)"
    ):
        record.find_area("E10000912")
    with pytest.raises(HistoryError, match="no local area with ONS code E09999999"):
        record.find_area("E09999999")


def test_normalise() -> None:
    assert normalise("Kingston upon Hull, City of") == normalise("kingston-upon-hull")
    assert normalise("County Durham") == "durham"
    assert normalise("London Corporation") == normalise("City of London")


# ------------------------------------------------------------------ what comes next
def _steps(
    record: Record, area: str, today: date, cal: WorkingCalendar
) -> dict[str, tuple[date | None, date, str]]:
    return {
        s.id: (s.start, s.end, s.status) for s in next_steps(record.find_area(area), today, cal)
    }


def test_after_positive_full_inspection(record: Record, england: WorkingCalendar) -> None:
    steps = _steps(record, "Alphashire", date(2026, 1, 5), england)
    # Rules: next full within 5 years of the last on-site day (paras 20, 37); engagement
    # meeting placed 12 months after publication; no monitoring inspection.
    assert steps["next_full_inspection"] == (date(2024, 6, 7), date(2029, 6, 7), "due")
    assert steps["engagement_meeting"] == (
        None,
        date(2025, 6, 23),
        "assumed_past",
    )  # Sat 21 Jun -> Mon; a planning assumption, never due (issue 20)
    assert "monitoring_inspection" not in steps
    assert "priority_action_plan_due" not in steps


def test_after_inconsistent_full_inspection(record: Record, england: WorkingCalendar) -> None:
    steps = _steps(record, "North Alpha", date(2026, 1, 5), england)
    assert steps["next_full_inspection"] == (date(2024, 6, 7), date(2027, 6, 7), "due")
    assert "monitoring_inspection" not in steps
    late = _steps(record, "North Alpha", date(2027, 6, 8), england)
    # "Usually within 3 years" (para 20): past the window, not overdue.
    assert late["next_full_inspection"][2] == "past_window"


def test_after_widespread_failings(record: Record, england: WorkingCalendar) -> None:
    steps = _steps(record, "Maytown", date(2025, 1, 6), england)
    # Monitoring about 18 months after publication (10 May 2024), reinspection within 3 years.
    assert steps["monitoring_inspection"] == (date(2024, 5, 10), date(2025, 11, 10), "due")
    # 3 years on is the early May bank holiday: the working day before (a limit).
    assert steps["next_full_inspection"] == (date(2024, 5, 3), date(2027, 4, 30), "due")
    # Priority action plan: 35 working days after the final report, itself 30 after
    # the last on-site day (3 May 2024; the 6 May and 27 May bank holidays in between).
    assert steps["priority_action_plan_due"][1] == date(2024, 8, 6)
    assert (
        _steps(record, "Maytown", date(2025, 11, 11), england)["monitoring_inspection"][2]
        == "past_window"
    )


LATE_REPORT = (
    ",".join(COLUMNS) + "\n"
    "Lateshire,E10000950,Area SEND full inspection (2023 framework),2024-06-03,2024-06-07,"
    "3 to 7 June 2024,2024-11-15,Widespread and/or systemic failings,,,,3,,"
    "hand-built: published 15 Nov 2024, months after the planned 30 + 8 working days\n"
)


def test_plans_count_from_the_report_the_real_publication_implies(
    england: WorkingCalendar,
) -> None:
    """Para 148: 35 working days from receiving the report intended for publication.

    Published Fri 15 Nov 2024: the final report came 8 working days before (5 for
    a complaint, then 3, para 138), Tue 5 Nov; 35 working days on, over Christmas
    Day, Boxing Day and New Year's Day, is Tue 24 Dec 2024, not the August date
    the planned final report (30 working days after 7 June) gives.
    """
    record = parse_record(LATE_REPORT, "late.csv")
    steps = {s.id: s for s in next_steps(record.find_area("Lateshire"), date(2025, 1, 6), england)}
    for plan in ("priority_action_plan_due", "strategic_plan_due"):
        assert steps[plan].end == date(2024, 12, 24)
        assert steps[plan].approximate
        anchor = steps[plan].anchor
        assert anchor is not None and anchor.date == date(2024, 11, 5)
    counted = steps["priority_action_plan_due"].to_json()["counted_from"]
    assert counted == {
        "event": "final_report_due",
        "date": "2024-11-05",
        "implied_by": "publication_due",
        "implied_by_date": "2024-11-15",
    }


def test_a_schedule_with_the_publication_recorded_counts_plans_from_it() -> None:
    """The same resolver serves a case file: record the publication, the plans follow."""
    case = parse_case(
        '[inspection]\nkind = "full"\nlocal_area = "Lateshire"\non_site_start = 2024-06-03\n'
        'outcome = "widespread"\n[dates]\npublication_due = 2024-11-15\n'
    )
    plan = build_schedule(case)
    assert plan.event("final_report_due").date == date(2024, 11, 5)
    assert plan.event("final_report_due").implied_by == "publication_due"
    assert plan.event("priority_action_plan_due").date == date(2024, 12, 24)
    assert not any("publication_due" in w for w in plan.warnings)
    assert "Implied by the date recorded for `publication_due`" in what_text(
        plan.event("final_report_due")
    )
    # The schedule marks what is counted from the implied report as history does
    # ("about 24 Dec 2024"): the table's "(approx.)" and JSON's approximate.
    record = parse_record(LATE_REPORT, "late.csv")
    england = plan.calendar
    steps = {s.id: s for s in next_steps(record.find_area("Lateshire"), date(2025, 1, 6), england)}
    for step in steps.values():
        event = plan.event(step.id)
        assert event.approximate == step.approximate, step.id
        assert ("(approx.)" in what_text(event)) == step.approximate, step.id


def test_past_an_approximate_window_is_not_overdue() -> None:
    """Paras 20, 37: "usually within 18 months", "within approximately 3 years"."""
    result = run_cli(
        "history", "Maytown", "--data", str(SMALL), "--today", "2026-03-10", env={"COLUMNS": "200"}
    )
    assert result.code == 0, result.output
    assert "OVERDUE" not in result.stdout
    assert "about 4 months past the usual window" in result.stdout
    data = json.loads(
        run_cli(
            "history", "Maytown", "--data", str(SMALL), "--today", "2026-03-10", "-f", "json"
        ).stdout
    )
    (monitoring,) = [s for s in data["next"] if s["id"] == "monitoring_inspection"]
    assert (monitoring["status"], monitoring["days_past"]) == ("past_window", 120)


def test_a_monitoring_inspection_in_the_record_is_done(
    record: Record, england: WorkingCalendar
) -> None:
    (step,) = [
        s
        for s in next_steps(record.find_area("North Beta"), date(2026, 1, 5), england)
        if s.id == "monitoring_inspection"
    ]
    assert step.status == "done"
    assert step.done_by is not None and step.done_by.notification == date(2025, 10, 6)


def test_without_on_site_dates_counts_from_publication(
    record: Record, england: WorkingCalendar
) -> None:
    (step,) = [
        s
        for s in next_steps(record.find_area("Buckland"), date(2026, 3, 1), england)
        if s.id == "next_full_inspection"
    ]
    assert (step.start, step.end) == (date(2026, 2, 10), date(2029, 2, 9))  # Sat 10 Feb -> Fri
    assert step.note.startswith("The on-site dates are not in the record")


def test_no_outcome_no_next_steps(record: Record, england: WorkingCalendar) -> None:
    assert next_steps(record.find_area("Slowtown"), date(2026, 1, 5), england) == []


def test_wsoa_not_revisited_para_23(record: Record, england: WorkingCalendar) -> None:
    steps = _steps(record, "Seaside-on-Sea", date(2026, 1, 5), england)
    # Within the first 3 years of the new cycle (from 2023): overdue on 5 January 2026.
    assert steps == {"first_full_inspection": (date(2023, 1, 1), date(2025, 12, 31), "overdue")}
    assert (
        _steps(record, "Seaside-on-Sea", date(2025, 12, 31), england)["first_full_inspection"][2]
        == "due"
    )


def test_wsoa_revisited_or_none_para_18(record: Record, england: WorkingCalendar) -> None:
    for area in ("Devonia", "Oldshire"):
        steps = _steps(record, area, date(2026, 1, 5), england)
        assert steps == {"first_full_inspection": (date(2023, 1, 1), date(2027, 12, 31), "due")}


def test_offsets_come_from_the_rules_data(record: Record, england: WorkingCalendar) -> None:
    rules = load_rules("full")
    five = dict(rules.rule("next_full_inspection").offset_by_outcome)["positive"]
    (step,) = [
        s
        for s in next_steps(record.find_area("Alphashire"), date(2026, 1, 5), england, rules)
        if s.id == "next_full_inspection"
    ]
    assert step.end == date(2024 + five, 6, 7)


# ------------------------------------------------------------------ the schedule
CASE = """
[inspection]
kind = "full"
local_area = "{area}"
on_site_start = {start}
{extra}
"""


def _schedule(record: Record, area: str, start: str, extra: str = "") -> Schedule:
    case = parse_case(CASE.format(area=area, start=start, extra=extra))
    return annotate_schedule(build_schedule(case), record)


def test_observed_timing_on_publication_due(record: Record) -> None:
    plan = _schedule(record, "Nowhereshire", "2025-06-02")
    event = plan.event("publication_due")
    assert event.observed is not None
    observed = schedule_json(plan)["events"][plan.events.index(event)]["observed"]
    # Last on-site day Fri 6 Jun 2025; median 20 and p80 40 working days, no bank
    # holidays until 25 Aug 2025.
    assert observed["from_event"] == "on_site_end"
    assert (observed["median_working_days"], observed["median_date"]) == (20, "2025-07-04")
    assert (observed["p80_working_days"], observed["p80_date"]) == (40, "2025-08-01")
    assert (observed["inspections"], observed["plan_working_days"]) == (7, 38)
    assert observed["within_plan"] == event.observed.within_plan == 5
    assert "half of 7 2023-framework full inspections" in observed["text"]
    assert "history" not in schedule_json(plan)


def test_local_closures_move_the_case_dates_not_the_record(record: Record) -> None:
    plan = _schedule(
        record, "Nowhereshire", "2025-06-02", "[calendar]\nextra_closures = [2025-06-09]"
    )
    observed = plan.event("publication_due").observed
    assert observed is not None
    assert observed.timing.median == 20  # the record is counted without it
    assert observed.median_date == date(2025, 7, 7)  # the case's own closure moves the date


def test_schedule_mentions_the_last_inspection(record: Record) -> None:
    # Weeks 1-3 clear of the February half-term (mid-February, usual: issue 20).
    plan = _schedule(record, "Alphashire", "2027-03-15")
    history = schedule_json(plan)["history"]
    assert history["last_inspection"]["publication_date"] == "2024-06-21"
    assert history["this_inspection"] is None
    assert history["text"].startswith("Alphashire in the inspection record: last inspection Full")
    assert plan.warnings == ()


def test_schedule_warns_when_the_case_disagrees(record: Record) -> None:
    extra = 'la_code = "E10000999"\noutcome = "positive"\n[history]\nprevious_outcome = "wsoa"'
    plan = _schedule(record, "North Alpha", "2024-06-03", extra)
    warnings = plan.warnings
    assert any(
        w.startswith("la_code E10000999 differs from the inspection record") for w in warnings
    )
    assert any(
        w.startswith(
            "inspection.outcome is 'positive' but the inspection record (North Alpha) "
            "has 'inconsistent' for this inspection"
        )
        for w in warnings
    )
    # North Alpha has nothing before this inspection, so previous_outcome cannot disagree.
    assert not any("previous_outcome" in w for w in warnings)
    plan = _schedule(
        record, "Telmouth & Wrekin", "2027-01-04", '[history]\nprevious_outcome = "wsoa"'
    )
    assert any(
        "history.previous_outcome is 'wsoa' but" in w and "as 'positive'" in w
        for w in plan.warnings
    )


# ------------------------------------------------------------------ the CLI
def test_cli_history_json() -> None:
    result = run_cli(
        "history", "telmouth & wrekin", "--data", str(SMALL), "--today", "2026-01-05", "-f", "json"
    )
    assert result.code == 0, result.output
    data = json.loads(result.stdout)
    assert data["local_area"] == "Telmouth and Wrekin"
    assert [i["kind"] for i in data["inspections"]] == ["inspection_2016", "revisit", "full"]
    assert data["inspections"][1]["sufficient_progress"] == 3
    nxt = {s["id"]: s for s in data["next"]}
    assert nxt["next_full_inspection"]["window_end"] == "2029-06-07"
    assert nxt["next_full_inspection"]["status"] == "due"


def test_cli_history_table() -> None:
    result = run_cli("history", "Seaside", "--data", str(SMALL), "--today", "2026-01-05")
    assert result.code == 0, result.output
    assert "Seaside-on-Sea (E06000911): 1 inspection in the record" in result.stdout
    assert "OVERDUE" in result.stdout
    assert "1 Jan 2023 to about 31 Dec 2025" in result.stdout


def test_cli_history_real_area() -> None:
    result = run_cli("history", "E10000015", "--today", "2026-01-05", "-f", "json")
    assert result.code == 0, result.output
    data = json.loads(result.stdout)
    assert data["local_area"] == "Hertfordshire"
    assert data["inspections"][1]["on_site_start"] == "2023-07-10"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["Alfashire"], "did you mean `Alphashire` or `Oldshire`?"),
        (["North"], "matches several local areas"),
    ],
)
def test_cli_history_errors(args: list[str], message: str) -> None:
    result = run_cli("history", *args, "--data", str(SMALL))
    assert result.code == 2
    assert result.stdout == ""
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_cli_bad_data_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("local_area,outcome\nX,Y\n", encoding="utf-8")
    result = run_cli("history", "X", "--data", str(bad))
    assert result.code == 2
    assert "missing columns `la_code`" in result.stderr


def test_cli_schedule_uses_the_case_files_record(write_case: Callable[..., Path]) -> None:
    path = write_case(
        CASE.format(area="Alphashire", start="2027-03-01", extra="")
        + f'\n[history]\ndata = "{SMALL}"\n'
    )
    result = run_cli("schedule", str(path), "-f", "json")
    assert result.code == 0, result.output
    data = json.loads(result.stdout)
    assert data["history"]["local_area"] == "Alphashire"
    (event,) = [e for e in data["events"] if e["id"] == "publication_due"]
    assert event["observed"]["inspections"] == 7
    table = run_cli("schedule", str(path), env={"COLUMNS": "400"})
    assert "Record: half of 7 2023-framework full inspections" in table.stdout
    assert "Alphashire in the inspection record: last inspection" in table.stdout
    markdown = run_cli("schedule", str(path), "-f", "markdown")
    assert "<br>Record: half of 7" in markdown.stdout


def test_cli_schedule_with_a_bad_record_exits_2(
    write_case: Callable[..., Path], tmp_path: Path
) -> None:
    path = write_case(CASE.format(area="Alphashire", start="2027-03-01", extra=""))
    result = run_cli("schedule", str(path), "--data", str(tmp_path / "none.csv"))
    assert result.code == 2
    assert "no such inspection record file" in result.stderr


def test_revisit_letter_gets_the_revisit_timing() -> None:
    examples = Path(__file__).resolve().parents[1] / "examples"
    result = run_cli("schedule", str(examples / "lancashire-revisit-2020.toml"), "-f", "json")
    assert result.code == 0, result.output
    data = json.loads(result.stdout)
    (event,) = [e for e in data["events"] if "observed" in e]
    assert event["id"] == "publication_due"
    observed = event["observed"]
    assert (observed["kind"], observed["inspections"], observed["median_working_days"]) == (
        "revisit",
        14,
        47,
    )
    assert data["history"]["this_inspection"]["kind"] == "revisit"


def test_no_timing_for_kinds_the_record_cannot_time(record: Record) -> None:
    case = parse_case(
        '[inspection]\nkind = "monitoring"\nlocal_area = "Maytown"\n'
        "on_site_start = 2025-11-03\non_site_days = 3\n"
    )
    plan = annotate_schedule(build_schedule(case), record)
    assert not any(e.observed for e in plan.events)
    assert plan.history is not None and plan.history.previous is not None
    assert plan.history.previous.outcome == "widespread"


def test_record_cache_round_trips(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The parsed record is cached as JSON; what comes back must equal a fresh parse.
    monkeypatch.setenv("SENDPLAN_CACHE_DIR", str(tmp_path))
    fresh = load_record(None)
    assert list(tmp_path.glob("record-*.json"))
    assert load_record(None) == fresh


def test_schedule_reads_one_area_of_the_cached_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`schedule` decodes only the area it annotates; the answers are the whole record's."""
    monkeypatch.setenv("SENDPLAN_CACHE_DIR", str(tmp_path))
    assert isinstance(load_record_view(None), Record)  # nothing cached yet: parsed whole
    view = load_record_view(None)
    record = load_record(None)
    assert isinstance(view, RecordView)
    for kind in ("full", "revisit"):
        assert view.timed(kind) == record.timed(kind) and view.timed(kind)
    for area in record.areas.values():
        assert view.match_area(area.name) == area
        for code in area.codes:
            assert view.match_area("nowhere", code) == record.match_area("nowhere", code)
    assert view.match_area("Nowhereshire") is None
    england = build_calendar()
    assert observed_timing(view, "full", england) == observed_timing(record, "full", england)
