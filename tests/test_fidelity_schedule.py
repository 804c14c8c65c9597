"""Issue 20: the schedule, its warnings and the checklist for every kind.

Each test names the point of issue 20 it checks and fails on the behaviour
before it.  Calendar facts are counted by hand in the comments.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from cli_harness import run_cli
from fidelity_cases import schedule_of
from sendplan.annex import load_annex
from sendplan.case import parse_case
from sendplan.checklist import build_checklist
from sendplan.schedule import Schedule, build_schedule


def plan(text: str) -> Schedule:
    return build_schedule(parse_case(text, Path("case.toml")))


def cli_warnings(tmp_path: Path, text: str) -> str:
    path = tmp_path / "case.toml"
    path.write_text(text, encoding="utf-8")
    result = run_cli("schedule", str(path))
    assert result.code == 0, result.output
    return result.stderr


# ------------------------------------------------------------------ warnings for every kind
def test_monitoring_notified_23_december_warns_naming_24_and_31_december(tmp_path: Path) -> None:
    # Wed 23 Dec 2026: +1 working day Thu 24 Dec (Annex A, 11:00); +4 past Christmas
    # Day and Boxing Day (observed, Mon 28 Dec) is Thu 31 Dec (evidence upload, 17:00);
    # on site 11 Jan 2027, past New Year's Day.
    stderr = cli_warnings(
        tmp_path,
        '[inspection]\nkind = "monitoring"\nlocal_area = "X"\nnotification = 2026-12-23\n'
        "[monitoring]\nilacs_monitoring_visits = []\n",
    )
    awkward = next(line for line in stderr.splitlines() if "awkward days" in line)
    assert "Thu 24 Dec 2026: Christmas Eve" in awkward
    assert "Thu 31 Dec 2026: New Year's Eve" in awkward
    assert "week1_information_due (11:00 on Thu 24 Dec 2026" in awkward
    assert "evidence_upload_due (17:00 on Thu 31 Dec 2026" in awkward
    assert "Christmas Day (Fri 25 Dec 2026)" in stderr  # the closures in the first week
    assert "Christmas and New Year break" in stderr  # term time (paras 74, 163)


def test_revisit_on_site_7_january_2019_warns_of_the_christmas_eve_upload() -> None:
    # Day -7 of a re-visit on site Mon 7 Jan 2019: 1, 2, 3, 4 Jan back to Mon 31 Dec,
    # past New Year's Day (Tue 1 Jan) and Boxing Day, to Mon 24 Dec 2018.
    s = plan(
        '[inspection]\nkind = "revisit"\nlocal_area = "X"\non_site_start = 2019-01-07\non_site_days = 3\n'
    )
    assert s.event("evidence_upload_due").date == date(2018, 12, 24)
    awkward = [w for w in s.warnings if w.startswith("Deadlines on awkward days")]
    assert len(awkward) == 1 and "evidence_upload_due (Mon 24 Dec 2018: Christmas Eve" in awkward[0]
    assert any(w.startswith("Bank holiday or closure in the notice period") for w in s.warnings)


def test_a_deadline_next_to_a_bank_holiday_is_named() -> None:
    # Engagement meeting Tue 2 Jun 2026: the self-evaluation 10 working days before is
    # Tue 19 May 2026; the meeting note is due by Thu 2 Jul 2026.  Move the meeting
    # to Tue 26 May 2026, the day after the late-May bank holiday.
    s = plan(
        '[inspection]\nkind = "engagement"\nlocal_area = "X"\n[engagement]\nmeeting_date = 2026-05-26\n'
    )
    awkward = [w for w in s.warnings if w.startswith("Deadlines on awkward days")]
    assert (
        awkward
        and "engagement_meeting (Tue 26 May 2026: the first working day after Spring Bank Holiday)"
        in awkward[0]
    )


def test_era_warning_for_a_2019_revisit_that_names_an_icb() -> None:
    base = '[inspection]\nkind = "revisit"\nlocal_area = "X"\non_site_start = 2019-11-04\non_site_days = 4\n'
    named = base + '[people.icb_representative]\nname = "A"\norganisation = "NHS Example ICB"\n'
    warnings = plan(named).warnings
    assert any(
        w.startswith("people.icb_representative names an integrated care board") for w in warnings
    )
    ccg = base + '[people.icb_representative]\nname = "A"\norganisation = "NHS Example CCG"\n'
    assert not any("integrated care board" in w for w in plan(ccg).warnings)
    late = named.replace("2019-11-04", "2022-10-03").replace("on_site_days = 4", "on_site_days = 3")
    assert not any("names an integrated care board" in w for w in plan(late).warnings)


def test_revisits_after_july_2022_deal_with_icbs_in_the_schedule() -> None:
    old, new = schedule_of("revisit-2019"), schedule_of("revisit-2022")
    assert "CCG" in old.event("notification").title and "ccg" in old.event("final_feedback").who
    assert "ICB" in new.event("notification").title and "CCG" not in new.event("notification").title
    assert "icb" in new.event("final_feedback").who and "ccg" not in new.event("final_feedback").who


# ------------------------------------------------------------------ school holidays without term dates
def test_full_inspection_on_site_2_august_2027_warns_of_the_summer_holiday(tmp_path: Path) -> None:
    stderr = cli_warnings(
        tmp_path, '[inspection]\nkind = "full"\nlocal_area = "X"\non_site_start = 2027-08-02\n'
    )
    assert "the summer holiday (August at least)" in stderr
    assert "usual rather than certain" in stderr


@pytest.mark.parametrize(
    ("on_site", "holiday"),
    [
        ("2026-06-08", "the late-May half-term"),  # weeks 1-3 from Mon 25 May 2026
        ("2026-11-09", "the October half-term"),  # from Mon 26 Oct 2026
        ("2027-03-01", "the February half-term"),  # from Mon 15 Feb 2027
    ],
)
def test_the_usual_half_terms_warn_marked_usual(on_site: str, holiday: str) -> None:
    text = f'[inspection]\nkind = "full"\nlocal_area = "X"\non_site_start = {on_site}\n'
    term = [w for w in plan(text).warnings if holiday in w]
    assert len(term) == 1 and "usual rather than certain" in term[0]
    # The case's own term dates are the authority: no fallback holiday then.
    own = text + '[[calendar.school_holidays]]\nstart = 2027-07-20\nend = 2027-07-21\nname = "X"\n'
    assert not [w for w in plan(own).warnings if holiday in w]


def test_christmas_stays_certain() -> None:
    warnings = plan(
        '[inspection]\nkind = "full"\nlocal_area = "X"\nnotification = 2025-12-08\n'
    ).warnings
    term = [w for w in warnings if "Christmas and New Year break" in w]
    assert term and "everywhere in England" in term[0] and "usual rather" not in term[0]


# ------------------------------------------------------------------ para 22
MONITORING = '[inspection]\nkind = "monitoring"\nlocal_area = "X"\non_site_start = 2026-06-15\n'


def test_para_22_without_ilacs_visits_says_the_check_cannot_be_made() -> None:
    warnings = plan(MONITORING).warnings
    assert any("the check cannot be made" in w and "para 22" in w for w in warnings)
    assert not any(
        "para 22" in w
        for w in plan(MONITORING + "[monitoring]\nilacs_monitoring_visits = []\n").warnings
    )


def test_para_22_warns_when_a_monitoring_inspection_would_exceed_3_in_12_months() -> None:
    three = "[monitoring]\nilacs_monitoring_visits = [2025-09-01, 2026-01-12, 2026-04-20]\n"
    over = [w for w in plan(MONITORING + three).warnings if "para 22" in w]
    assert len(over) == 1 and "4 monitoring visits within 12 months" in over[0]
    spread = "[monitoring]\nilacs_monitoring_visits = [2025-03-02, 2026-01-12, 2026-04-20]\n"
    assert not [w for w in plan(MONITORING + spread).warnings if "para 22" in w]


def test_ilacs_key_is_declared_once_and_documented() -> None:
    result = run_cli("schema")
    assert "ilacs_monitoring_visits" in result.stdout and "concerns" in result.stdout
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    assert "`monitoring.ilacs_monitoring_visits`" in readme


# ------------------------------------------------------------------ citations and hedges in the rules
def test_keep_in_touch_daily_rhythm_is_marked_as_a_reading_of_para_128() -> None:
    event = schedule_of("full").event("keep_in_touch_day1")
    assert "at key points" in event.title and "reading" in event.title
    assert "re-visit guidance para 22" in event.source and "128" in event.source


def test_team_meeting_keeps_as_far_as_is_practicable() -> None:
    assert "as far as is practicable" in schedule_of("full").event("team_meeting_day1").title


def test_surveys_go_live_by_the_inspectors() -> None:
    event = schedule_of("full").event("surveys_open")
    assert event.who == ("inspectors",) and "para 88" in event.source


def test_strategic_plan_is_an_aim_not_a_publication_date() -> None:
    title = schedule_of("full").event("strategic_plan_due").title
    assert "aims to" in title and "publishes" not in title


def test_revisit_survey_close_cites_the_timeline_table_and_what_follows_is_listed() -> None:
    s = schedule_of("revisit-2019")
    assert s.event("parent_survey_close").source.startswith("re-visit guidance timeline table")
    after = next(t for t in s.lists if t.id == "after_the_revisit")
    assert after.source == "re-visit guidance paras 28-29" and len(after.items) == 3


# ------------------------------------------------------------------ checklists
@pytest.mark.parametrize(
    ("variant", "heading"),
    [
        ("full", "Annex A checklist"),
        ("revisit-2019", "Re-visit evidence checklist"),
        ("engagement", "Self-evaluation checklist"),
    ],
)
def test_checklists_are_named_by_what_they_hold(variant: str, heading: str) -> None:
    s = schedule_of(variant)
    assert build_checklist(s.case, s).heading == heading


def test_revisit_checklist_heading_in_the_markdown(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parents[1]
    result = run_cli(
        "checklist", str(root / "examples" / "lancashire-revisit-2020.toml"), "-f", "markdown"
    )
    assert result.stdout.startswith("# Re-visit evidence checklist: Lancashire")


def test_annex_a_labels_keep_the_handbooks_words() -> None:
    annex = load_annex()
    groups = {g.id: g.title for g in annex.groups}
    assert "by the local area partnership at the end of week 1" in groups["2"]
    items = {i.id: i for i in annex.items}
    assert items["5.1"].short.startswith("Performance data")
    assert "Lancashire" in items["self-assessment"].source


def test_a_recorded_final_report_makes_the_complaint_deadline_checkable() -> None:
    # Final report received Wed 17 Dec 2025: 5 working days for a complaint (para 138)
    # are 18, 19, 22, 23 and Wed 24 Dec 2025, Christmas Eve.  While the report's day
    # is only planned, the deadline is a plan and is not named.
    base = '[inspection]\nkind = "full"\nlocal_area = "X"\non_site_start = 2025-11-03\n'
    recorded = plan(base + "[dates]\nfinal_report_due = 2025-12-17\n")
    assert recorded.event("complaint_deadline").date == date(2025, 12, 24)
    awkward = [w for w in recorded.warnings if w.startswith("Deadlines on awkward days")]
    assert awkward and "complaint_deadline (Wed 24 Dec 2025: Christmas Eve" in awkward[0]
