"""Issue 11, "Every sentence true": one test per finding, each failing on the old behaviour.

A sentence a letter or the schedule shows comes from a rule with its
paragraph, from the case file, or is marked as planned / to be confirmed.
"""

from __future__ import annotations

import re
import tomllib
from datetime import date
from pathlib import Path

import pytest

from cli_harness import run_cli
from sendplan import letters as lt
from sendplan.annex import load_annex
from sendplan.case import parse_case
from sendplan.schedule import build_schedule

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = ROOT / "templates"
EXAMPLES = ROOT / "examples"
SELECTED = '\n[tracking]\nselected = ["UID-0042"]\n'

MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
#: A date, weekday, clock time or deadline written into a letter's own words.
LITERAL = re.compile(
    rf"\b\d{{1,2}} (?:{MONTHS})\b"
    r"|\b(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"
    r"|\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}/\d{1,2}/\d{2,4}\b|\b(?:19|20)\d\d\b"
    r"|\b\d{1,2}(?::\d\d)?\s?(?:am|pm)\b|\b\d{1,2}:\d\d\b|\bmidday\b|\bnoon\b"
    r"|\b\d+ (?:working |calendar )?(?:days?|months?|years?)\b",
    re.IGNORECASE,
)


def letter_words(template_text: str) -> str:
    """A template's own words: no comments, no ``{{ }}`` values (those come from
    the rules and the case); ``{% %}`` tags stay, so a string literal inside
    one is checked too."""
    text = re.sub(r"\{#.*?#\}", "", template_text, flags=re.DOTALL)
    return re.sub(r"\{\{.*?\}\}", "{{}}", text, flags=re.DOTALL)


def literals(template_text: str) -> list[str]:
    return [m.group(0) for m in LITERAL.finditer(letter_words(template_text))]


def render(example: str, name: str, extra: str = "", *replace: tuple[str, str]) -> str:
    path = EXAMPLES / example
    text = path.read_text(encoding="utf-8") + extra
    for old, new in replace:
        assert old in text
        text = text.replace(old, new)
    case = parse_case(text, path)
    return lt.render_letter(case, build_schedule(case), name)[0].text


def front_matter(path: Path) -> dict[str, object]:
    match = re.match(r"\{#-?\s*\n(.*?)\n\s*-?#\}", path.read_text(encoding="utf-8"), re.DOTALL)
    assert match, path.name
    return tomllib.loads(match.group(1))


# ------------------------------------------------------------------ no literal dates
def test_the_literal_check_can_fail() -> None:
    assert literals("Reply by 5pm on Friday, within 35 working days, 2 May.") == [
        "5pm",
        "Friday",
        "35 working days",
        "2 May",
    ]
    assert literals("Due {{ schedule.x|govuk_when }} ({{ rules.x.span }})") == []
    # Old text: "close at the end of {{ ... }}, 6 working days from today".
    assert literals("close at the end of {{ d }}, 6 working days from today") == ["6 working days"]
    assert literals('{% for x in [("a", "due, 10 working days after")] %}') == ["10 working days"]


@pytest.mark.parametrize("path", sorted(TEMPLATES.glob("*.md.j2")), ids=lambda p: p.name)
def test_templates_write_no_date_time_or_deadline_of_their_own(path: Path) -> None:
    assert literals(path.read_text(encoding="utf-8")) == []


# ------------------------------------------------------------------ who sends it
SENT_BY_INSPECTORS = {
    "notification",
    "icb-notification",
    "information-request",
    "engagement-meeting-note",
    "report-outline",
    "revisit-letter-outline",
    "monitoring-letter-outline",
    "pcf-notification",
    "provider-sampling-notice",  # provided by the lead inspector (para 114)
}


@pytest.mark.parametrize("path", sorted(TEMPLATES.glob("*.md.j2")), ids=lambda p: p.name)
def test_letters_say_who_sends_them_and_rehearsal_copies_say_so_at_the_top(path: Path) -> None:
    meta = front_matter(path)
    name = path.name.removesuffix(".md.j2")
    assert meta.get("sender"), name
    assert meta.get("rehearsal") is (name in SENT_BY_INSPECTORS)
    top = path.read_text(encoding="utf-8").split("-#}\n", 1)[1].splitlines()[:3]
    marked = [line for line in top if line.startswith("> **Rehearsal copy.**")]
    assert len(marked) == (1 if meta["rehearsal"] else 0), name


def test_template_json_carries_sender_and_rehearsal() -> None:
    found = lt.discover([lt.shipped_dir()])
    info = lt.template_json(found["notification"])
    assert info["rehearsal"] is True and "Ofsted" in str(info["sender"])
    assert lt.template_json(found["stakeholder-briefing"])["rehearsal"] is False


def test_provider_notice_is_the_lead_inspectors_letter_sent_by_the_lano() -> None:
    text = render("full-inspection.toml", "provider-sampling-notice")
    from_line = next(line for line in text.splitlines() if line.startswith("**From:**"))
    assert from_line.index("lead inspector") < from_line.index("sent by")
    assert "on behalf of" not in from_line


# ------------------------------------------------------------------ Annex A
def test_annex_a_titles_and_the_cut_short_item_7_7() -> None:
    items = {item.id: item for item in load_annex().items}
    assert items["3.5"].title == "Part-time education timetables"
    description = items["7.7"].description
    assert description.startswith("The current commissioning agreement, when the child ...")
    assert "provision is commissioned" not in description  # the old, invented ending


# ------------------------------------------------------------------ report outline (para 37)
WIDESPREAD = ('# outcome = "inconsistent"', 'outcome = "widespread"')
PARA_37_PLAN = (
    "HMCI requires the local area partnership to prepare and submit a priority action plan "
    "(area SEND) to address the identified areas for priority action."
)


def test_widespread_report_outline_requires_the_priority_action_plan() -> None:
    text = render("full-inspection.toml", "report-outline", "", WIDESPREAD)
    assert PARA_37_PLAN in text
    assert "which the local area partnership must address urgently." in text


def test_report_outline_without_outcome_gives_each_statement_whole() -> None:
    text = render("full-inspection.toml", "report-outline")
    for ending in (
        "The local area partnership is taking action where improvements are needed.",
        "The local area partnership must work jointly to make improvements.",
        "which the local area partnership must address urgently.",
        PARA_37_PLAN,
    ):
        assert ending in text


# ------------------------------------------------------------------ the notification letters
def test_information_request_queries_go_to_the_lead_inspector_after_notification() -> None:
    text = render("full-inspection.toml", "information-request")
    queries = text.split("## Queries", 1)[1]
    assert "can go to Area.Send@ofsted.gov.uk" not in queries  # the old routing
    assert "please send your queries to me" in queries
    assert "breaks off" in queries  # para 202's cut text is marked, not completed


def test_set_up_call_and_lano_are_not_promised_for_named_days() -> None:
    text = render("full-inspection.toml", "notification")
    assert "(LANO) today" not in text
    set_up = text.split("## The set-up discussion", 1)[1].split("##", 1)[0]
    assert "Once the inspection has been confirmed" in set_up
    assert "(to be confirmed)" in set_up
    icb = render("full-inspection.toml", "icb-notification")
    assert "set-up discussion on " not in icb and "(to be confirmed)" in icb


def test_tracking_consent_promises_nothing_the_guidance_does_not() -> None:
    text = render("full-inspection.toml", "tracking-consent", SELECTED)
    assert "a time and place that suit you" not in text
    assert "at the latest" not in text
    assert "*(reply date: fill in before sending)*" in text


def test_tracking_consent_with_a_booked_time_promises_no_change() -> None:
    # The timetable is the inspectors' to change (paras 95-96): a practitioner
    # can pass a family's difficulty on, not promise a new time.
    text = render("full-inspection-timetable.toml", "tracking-consent")
    assert "The time proposed in the inspection timetable is" in text
    assert "it will be changed" not in text
    assert "pass that on to the LANO" in text


# ------------------------------------------------------------------ kinds speak their time
def test_revisit_letters_speak_of_clinical_commissioning_groups() -> None:
    for name in ("revisit-letter-outline", "feedback-meeting", "pcf-notification"):
        text = render("lancashire-revisit-2020.toml", name)
        assert "integrated care board" not in text.lower(), name
        assert "ICB" not in text, name
    assert "clinical commissioning group" in render(
        "lancashire-revisit-2020.toml", "revisit-letter-outline"
    )


def test_revisit_schedule_names_ccgs_not_icbs() -> None:
    path = EXAMPLES / "lancashire-revisit-2020.toml"
    plan = build_schedule(parse_case(path.read_text(encoding="utf-8"), path))
    for event in plan.events:
        assert "icb" not in event.who and "ICB" not in event.title, event.id
    assert "ccg" in plan.event("notification").who


def test_monitoring_letters_carry_no_revisit_wording() -> None:
    for name in ("pcf-notification", "feedback-meeting", "monitoring-letter-outline"):
        text = render("monitoring-inspection.toml", name)
        assert "upload evidence" not in text, name
        assert "re-visit" not in text.lower(), name


# ------------------------------------------------------------------ hedges stay with dates
HEDGES = ("normally", "usually", "in most circumstances", "if no complaint")


def _hedged_lines(example: str, name: str, extra: str = "") -> list[str]:
    """Lines that date a draft, a final report or letter, or publication."""
    text = render(example, name, extra)
    pattern = re.compile(r"draft (report|letter)|final (report|letter)|publication", re.I)
    return [
        line
        for line in text.splitlines()
        if pattern.search(line)
        and re.search(rf"\d{{1,2}} (?:{MONTHS}) \d{{4}}", line)
        and not re.search(
            r"comments on the draft|complaint|receives a copy|intended for", line, re.I
        )
    ]


@pytest.mark.parametrize(
    ("example", "name"),
    [
        ("full-inspection.toml", "feedback-meeting"),
        ("full-inspection.toml", "report-outline"),
        ("monitoring-inspection.toml", "feedback-meeting"),
        ("monitoring-inspection.toml", "monitoring-letter-outline"),
        ("lancashire-revisit-2020.toml", "feedback-meeting"),
        ("lancashire-revisit-2020.toml", "revisit-letter-outline"),
    ],
)
def test_guidance_hedges_stay_in_sentences_that_show_dates(example: str, name: str) -> None:
    lines = _hedged_lines(example, name)
    assert lines, name
    for line in lines:
        planned = "(to be confirmed)" in line
        assert planned or any(h in line.lower() for h in HEDGES), line


# ------------------------------------------------------------------ planned from the start
def test_planned_events_print_as_to_be_confirmed() -> None:
    text = render("lancashire-revisit-2020.toml", "revisit-letter-outline")
    draft = next(line for line in text.splitlines() if "Draft letter" in line)
    check = next(line for line in text.splitlines() if "Factual accuracy" in line)
    assert "(to be confirmed)" in draft and "(to be confirmed)" in check
    plan = render("full-inspection.toml", "priority-action-plan", "", WIDESPREAD)
    published = next(line for line in plan.splitlines() if "Publish the plan" in line)
    assert "(to be confirmed)" in published
    recorded = render(
        "full-inspection.toml",
        "priority-action-plan",
        "",
        WIDESPREAD,
        ("# draft_report_due = 2025-06-05", "priority_action_plan_confirmed = 2025-09-01"),
    )
    published = next(line for line in recorded.splitlines() if "Publish the plan" in line)
    assert "Monday 8 September 2025 |" in published  # recorded: a date, not a plan


def test_para_139_partners_publish_and_the_forum_gets_a_copy() -> None:
    for example in ("full-inspection.toml", "monitoring-inspection.toml"):
        case = parse_case((EXAMPLES / example).read_text(encoding="utf-8"), EXAMPLES / example)
        plan = build_schedule(case)
        event = plan.event("report_published_by_partners")
        assert "139" in event.source and event.approximate
        # The careful reading (issue 20): after Ofsted's publication, marked as a reading.
        assert event.date == plan.event("publication_due").date
        assert "reading" in event.title and "reading" in event.source


# ------------------------------------------------------------------ advisories
def plan_of(body: str) -> tuple[str, ...]:
    text = '[inspection]\nkind = "full"\nlocal_area = "Testshire"\n' + body
    return build_schedule(parse_case(text, Path("case.toml"))).warnings


def test_on_site_week_across_easter_says_what_happened() -> None:
    # Mon 14 Apr 2025: Good Friday and Easter Monday split the 5 on-site days (para 122).
    warnings = plan_of("on_site_start = 2025-04-14\n")
    on_site = [w for w in warnings if "in the on-site days" in w]
    assert len(on_site) == 1
    assert "Good Friday (Fri 18 Apr 2025), Easter Monday (Mon 21 Apr 2025)" in on_site[0]
    assert "Tue 22 Apr 2025" in on_site[0] and "para 122" in on_site[0]


def test_week_1_across_a_bank_holiday_is_named() -> None:
    warnings = plan_of("notification = 2025-04-14\n")
    week1 = [w for w in warnings if "in week 1" in w]
    assert len(week1) == 1 and "Easter Monday" in week1[0]


def test_no_window_advisory_when_the_days_run_straight() -> None:
    assert not [w for w in plan_of("on_site_start = 2025-06-16\n") if "closure in" in w]


def test_notification_off_monday_warns_only_where_para_80_does_not_explain_it() -> None:
    unexplained = plan_of("notification = 2025-06-04\n")  # a Wednesday, no bank holiday
    assert any(w.startswith("notification Wed 4 Jun 2025 is a Wednesday") for w in unexplained)
    # May Day (5 May) in week 2 moves the notification to Friday 25 April: para 80.
    explained = plan_of("on_site_start = 2025-05-12\n")
    assert not any(w.startswith("notification") for w in explained)


def test_weeks_1_to_3_in_the_christmas_break_warn_without_local_term_dates() -> None:
    warnings = plan_of("notification = 2025-12-08\n")
    term = [w for w in warnings if "school term time" in w]
    assert len(term) == 1
    assert "Christmas and New Year break" in term[0] and "para 74" in term[0]
    # Weeks 1-3 from Mon 26 May 2025 touch the late-May half-term (usual, issue 20);
    # from Mon 2 Jun they are clear of every holiday of the fallback.
    assert not [w for w in plan_of("notification = 2025-06-02\n") if "term time" in w]


def test_term_time_and_usual_weekday_name_the_span_their_data_gives() -> None:
    # The spans' words come from the rules file with their dates, not from the code:
    # a kind whose advisory covers other weeks says so.
    from sendplan.advisories import Holiday, advisories
    from sendplan.calendar import WorkingCalendar
    from sendplan.schedule import Event

    events = {
        "start": Event("start", "Start", date(2025, 6, 4), (), "para 1", "s"),  # a Wednesday
        "end": Event("end", "End", date(2025, 6, 13), (), "para 1", "s"),
    }
    spec = {
        "term_time": {"title": "the fortnight", "from": "start", "to": "end", "source": "x"},
        "usual_weekday": {
            "event": "start",
            "weekday": "Monday",
            "usually": "is on a Monday",
            "unless_closure_from": "start",
            "unless_closure_before": "end",
            "unless_closure_in": "the first days",
            "source": "y",
        },
    }
    half_term = [Holiday(date(2025, 6, 9), date(2025, 6, 10), "a break")]
    term, weekday = advisories(spec, events, WorkingCalendar(), half_term)
    assert term.startswith("The fortnight (Wed 4 Jun 2025 to Fri 13 Jun 2025) touch a break")
    assert "Weeks 1-3" not in term
    assert "no bank holiday or closure falls in the first days here (y)" in weekday
    assert "weeks 1-2" not in weekday


def test_local_school_holidays_from_the_case_file() -> None:
    holidays = (
        "[calendar]\nschool_holidays = [\n"
        '  {start = 2025-05-26, end = 2025-05-30, name = "May half term"},\n'
        "]\n"
    )
    touching = plan_of("on_site_start = 2025-06-02\n" + holidays)
    term = [w for w in touching if "school term time" in w]
    assert len(term) == 1 and "May half term" in term[0]
    assert "case file's school holidays" in term[0]
    # Given term dates replace the England-wide floor: Easter is not assumed.
    easter = plan_of("on_site_start = 2025-04-14\n" + holidays)
    assert not [w for w in easter if "school term time" in w]


def test_school_holidays_need_a_start_and_an_end() -> None:
    from sendplan.errors import SendplanError

    with pytest.raises(SendplanError, match=r"school_holidays.*end"):
        plan_of(
            "on_site_start = 2025-06-02\n[calendar]\nschool_holidays = [{start = 2025-05-26}]\n"
        )


def test_a_school_holiday_ending_before_it_starts_is_an_error_not_ignored() -> None:
    # Before, such a holiday never touched any week and was silently dropped.
    from sendplan.errors import SendplanError

    with pytest.raises(SendplanError, match=r"school_holidays\[0\]\.end: 2025-04-01 is before"):
        plan_of(
            "on_site_start = 2025-06-02\n[calendar]\nschool_holidays = [\n"
            '  {start = 2025-05-01, end = 2025-04-01, name = "Easter"},\n]\n'
        )
    one_day = "[calendar]\nschool_holidays = [{start = 2025-05-30, end = 2025-05-30}]\n"
    assert [w for w in plan_of("on_site_start = 2025-06-02\n" + one_day) if "term time" in w]


# ------------------------------------------------------------------ monitoring checklist
def test_monitoring_approximate_deadlines_are_marked_everywhere() -> None:
    import json

    example = str(EXAMPLES / "monitoring-inspection.toml")
    today = "2026-01-12T09:00"
    check = run_cli("checklist", example, "--check", today=today)
    assert check.code == 1
    late = [line for line in check.stderr.splitlines() if "progress:" in line]
    assert late and all("(approx.)" in line for line in late)
    table = run_cli("checklist", example, today=today)
    assert "(approx.)" in table.stdout
    data = json.loads(run_cli("checklist", example, "-f", "json", today=today).stdout)
    assert all(item["due_approximate"] for item in data["items"] if item["group"] == "progress")
    csv_text = run_cli("checklist", example, "-f", "csv", today=today).stdout
    assert csv_text.splitlines()[0].split(",")[6] == "due_approximate"


# ------------------------------------------------------------------ local-area letters are sendable
def test_survey_invitation_gives_each_link_or_a_visible_placeholder() -> None:
    without = render("full-inspection.toml", "survey-invitation")
    assert without.count("*(link to this survey: add `[letters.survey_links]") == 3
    assert "## How\n" not in without  # the old section that gave no way to take part
    links = (
        '\n[letters.survey_links]\nchildren = "https://example.org/cyp"\n'
        'parents = "https://example.org/parents"\n'
    )
    given = render("full-inspection.toml", "survey-invitation", links)
    assert "https://example.org/cyp" in given and "https://example.org/parents" in given
    assert given.count("*(link to this survey") == 1  # practitioners still to fill


def test_readme_says_who_sends_each_letter_and_whether_it_is_a_rehearsal_copy() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    rows = {
        cells[0].strip("`"): cells
        for line in readme.splitlines()
        if line.startswith("| `")
        and len(cells := [c.strip() for c in line.strip("|").split("|")]) == 5
    }
    for path in sorted(TEMPLATES.glob("*.md.j2")):
        name = path.name.removesuffix(".md.j2")
        meta = front_matter(path)
        assert name in rows, name
        assert rows[name][2] == meta["sender"], name
        assert rows[name][3] == ("yes" if meta["rehearsal"] else "no"), name


@pytest.mark.parametrize(
    ("example", "event_ids"),
    [
        ("full-inspection.toml", ("draft_report_due", "final_report_due", "publication_due")),
        ("monitoring-inspection.toml", ("draft_letter_due", "final_letter_due", "publication_due")),
        ("lancashire-revisit-2020.toml", ("final_letter_due", "publication_due")),
    ],
)
def test_schedule_rows_keep_the_guidance_hedges(example: str, event_ids: tuple[str, ...]) -> None:
    case = parse_case((EXAMPLES / example).read_text(encoding="utf-8"), EXAMPLES / example)
    plan = build_schedule(case)
    for event_id in event_ids:
        title = plan.event(event_id).title.lower()
        assert any(hedge in title for hedge in HEDGES), (example, event_id, title)


def test_recorded_dates_of_planned_events_raise_no_rule_warning() -> None:
    # A confirmation or a draft letter recorded later than sendplan's planning
    # placement breaks no rule (paras 148-150; 2018 paras 24-25).
    warnings = plan_of(
        'on_site_start = 2025-05-12\noutcome = "widespread"\n'
        "[dates]\npriority_action_plan_confirmed = 2025-09-01\n"
    )
    assert not [w for w in warnings if "priority_action_plan_confirmed" in w]
    revisit = parse_case(
        '[inspection]\nkind = "revisit"\nlocal_area = "X"\non_site_start = 2019-11-04\n'
        "on_site_days = 4\n[dates]\ndraft_letter_received = 2019-12-20\n",
        Path("case.toml"),
    )
    # Only the October half-term advisory (notified 21 Oct 2019, usual: issue 20).
    warnings = build_schedule(revisit).warnings
    assert [w for w in warnings if "October half-term" not in w] == []
