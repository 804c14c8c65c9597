"""Issue 20: every letter of every kind and variant holds up to a careful reading.

One case per kind and variant (tests/fidelity_cases.py): full inspection,
monitoring plan-led and triggered by concern, WSoA re-visits before and after
July 2022, engagement meeting.  Each test names the point of issue 20 it
checks and fails on the behaviour before it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from cli_harness import run_cli
from fidelity_cases import CASES, letters_of, schedule_of

ROOT = Path(__file__).resolve().parents[1]

ALL = {variant: letters_of(variant) for variant in CASES}


def section(text: str, heading: str) -> str:
    return text.split(heading, 1)[1].split("\n## ", 1)[0]


# ------------------------------------------------------------------ every letter renders
@pytest.mark.parametrize("variant", sorted(CASES))
def test_every_letter_of_every_variant_renders_whole(variant: str) -> None:
    letters = ALL[variant]
    assert letters, variant
    for name, text in letters.items():
        assert "{{" not in text and "{%" not in text, (variant, name)
        # Paragraph citations are words in a letter ("paragraph 24"), not "para 24".
        assert not re.search(r"\(para \d", text), (variant, name)


# ------------------------------------------------------------------ 1. concern-triggered monitoring
def test_concern_triggered_monitoring_letters_speak_of_the_concerns_not_a_plan() -> None:
    concern, plan = ALL["monitoring-concern"], ALL["monitoring-plan"]
    pcf = concern["pcf-notification"]
    assert "As the Parent Carer Forum involved in the priority action plan" not in pcf
    assert "areas for priority action set out in the inspection report" not in pcf
    assert "Waiting times for therapy assessments" in pcf and "paragraph 162" in pcf
    feedback = concern["feedback-meeting"]
    assert "areas of significant weakness in the priority action plan" not in feedback
    assert "issues that gave rise to the decision to inspect" in feedback
    outline = concern["monitoring-letter-outline"]
    assert "## Each area for priority action" not in outline
    assert "Waiting times for therapy assessments" in outline and "paragraph 173" in outline
    # The plan-led letters keep the plan (para 172).
    assert "involved in the priority action plan" in plan["pcf-notification"]
    assert "## Each area for priority action" in plan["monitoring-letter-outline"]


def test_concern_triggered_monitoring_schedule_speaks_of_the_concerns() -> None:
    concern = schedule_of("monitoring-concern")
    assert "priority action" not in concern.event("final_feedback").title
    assert "issues that gave rise" in concern.event("evidence_upload_due").title
    assert [t.items for t in concern.lists if t.id == "concerns"] == [
        ("Waiting times for therapy assessments",)
    ]
    assert "priority action" in schedule_of("monitoring-plan").event("final_feedback").title


# ------------------------------------------------------------------ 2. the era's titles and words
def test_revisit_letters_use_the_titles_and_bodies_of_their_day() -> None:
    old, new = ALL["revisit-2019"], ALL["revisit-2022"]
    assert "Her Majesty's Inspector" in old["revisit-letter-outline"]
    assert "His Majesty's Inspector" not in old["revisit-letter-outline"]
    assert "His Majesty's Inspector" in new["revisit-letter-outline"]
    assert "clinical commissioning group" in old["revisit-letter-outline"]
    assert "integrated care board (ICB)" in new["revisit-letter-outline"]
    assert "CCG" not in new["revisit-letter-outline"]
    assert "integrated care boards" in new["feedback-meeting"]


def test_revisit_schedule_cites_the_2018_guidance_for_the_draft_letter() -> None:
    draft = schedule_of("revisit-2019").event("draft_letter_received")
    assert not draft.source.startswith("handbook") and "handbook para 136" not in draft.source
    assert "re-visit guidance paras 24-27" in draft.source and "reading" in draft.source


def test_revisit_feedback_meeting_does_not_list_the_parent_carer_forum() -> None:
    text = ALL["revisit-2019"]["feedback-meeting"]
    attendees = section(text, "## Who attends")
    assert "Chris Evans" not in attendees and "Parent Carer Forum" not in attendees
    assert "Chris Evans" in section(ALL["full"]["feedback-meeting"], "## Who attends")


def test_revisit_letters_say_the_local_area_not_the_partnership() -> None:
    for name, text in ALL["revisit-2019"].items():
        assert "local area partnership" not in text, name
    assert "Testshire local area today" in ALL["revisit-2019"]["stakeholder-briefing"]
    assert "Testshire local area partnership today" in ALL["full"]["stakeholder-briefing"]
    upload = schedule_of("revisit-2019").event("evidence_upload_due")
    assert "partnership" not in upload.who and "local_area" in upload.who


# ------------------------------------------------------------------ over-certain
def test_partners_publish_after_ofsted_and_the_letters_say_it_is_a_reading() -> None:
    for variant, name in (
        ("full", "report-outline"),
        ("monitoring-plan", "monitoring-letter-outline"),
    ):
        text = ALL[variant][name]
        rows = [line for line in text.splitlines() if line.startswith("| ")]
        publication = next(i for i, r in enumerate(rows) if "reports website" in r)
        partners = next(i for i, r in enumerate(rows) if "Relevant recipients publish" in r)
        assert partners > publication, variant
        assert "once a local area has received its final report" in rows[partners]
        assert "reading" in rows[partners]


def test_survey_invitation_says_the_closing_day_is_planned_and_the_inspectors_confirm() -> None:
    text = ALL["full"]["survey-invitation"]
    assert "planned to close" in text and "confirm when they close" in text
    assert "and close at the end of" not in text


def test_deadlines_counted_from_a_planned_report_are_marked_until_it_is_recorded() -> None:
    plan = schedule_of("full")
    for event_id in ("factual_accuracy_due", "complaint_deadline", "priority_action_plan_due"):
        event = plan.event(event_id)
        assert event.approximate, event_id
        assert "planned" in event.note and "[dates]" in event.note, event_id
    recorded = schedule_of("full", "[dates]\nfinal_report_due = 2025-06-27\n")
    assert not recorded.event("complaint_deadline").approximate
    assert (
        "(to be confirmed)"
        in [
            line
            for line in ALL["full"]["report-outline"].splitlines()
            if "formal complaint" in line
        ][0]
    )


def test_end_of_week_1_on_a_thursday_is_marked_as_a_reading_in_the_letters() -> None:
    # May Day in week 2: notified Friday 25 April 2025; "Week 1, Friday, by 5pm" (para 192)
    # falls on Thursday 1 May.
    plan = schedule_of("full")
    event = plan.event("end_of_week1_information_due")
    assert event.date.isoformat() == "2025-05-01" and "Week 1, Friday, by 5pm" in event.reading
    for name in ("notification", "information-request", "icb-notification"):
        assert "Week 1, Friday, by 5pm" in ALL["full"][name], name
    # Notified on a Monday (on site Mon 16 Jun 2025): the Friday itself, no reading.
    monday = letters_of("full", "[dates]\non_site_start = 2025-06-16\n")
    assert "Week 1, Friday, by 5pm" not in monday["notification"]


def test_the_selection_time_cites_para_192_and_the_provider_list_is_the_lano_and_icb_reps() -> None:
    notification = ALL["full"]["notification"]
    selection = next(line for line in notification.splitlines() if "We will select" in line)
    assert "paragraph 192" in selection
    provider_row = next(
        line for line in notification.splitlines() if "sampl" in line and "|" in line
    )
    assert "LANO and ICB representative" in provider_row
    request = ALL["full"]["information-request"]
    row = next(line for line in request.splitlines() if "selected for tracking (" in line)
    assert "paragraph 192" in row


def test_health_items_are_asked_of_the_partnership_not_the_icb() -> None:
    text = ALL["full"]["icb-notification"]
    assert "The ICB and the LANO are asked" not in text
    assert "The local area partnership provides the Annex A information" in text
    assert "LANO and the ICB representative to identify a list of providers" in text


def test_monitoring_provider_notice_cites_para_159() -> None:
    text = ALL["monitoring-plan"]["provider-sampling-notice"]
    assert "for a sampling visit (handbook paragraph 159)" in text
    assert (
        "for a sampling visit (handbook paragraph 114)" in ALL["full"]["provider-sampling-notice"]
    )


def test_priority_action_plan_should_be_published_para_145() -> None:
    text = ALL["full"]["priority-action-plan"]
    assert "must be published" not in text and "should be published" in text


def test_engagement_note_is_within_a_month() -> None:
    text = ALL["engagement"]["engagement-meeting-note"]
    assert "within a month of the meeting (handbook paragraph 191)" in text
    assert "within a month" in schedule_of("engagement").event("meeting_note_due").title


def test_provider_notice_makes_no_promise_para_96_does_not() -> None:
    # The booked-time branch needs a saved timetable: the template's own words are checked.
    template = (ROOT / "templates" / "provider-sampling-notice.md.j2").read_text(encoding="utf-8")
    assert "I will tell you straight away" not in template
    assert "any changes to it (paragraph 96)" in template


# ------------------------------------------------------------------ missing
def test_tracking_consent_gives_the_privacy_notice_and_para_104() -> None:
    text = ALL["full"]["tracking-consent"]
    assert "privacy notice" in text and "paragraphs 4, 106 and 194" in text
    assert "together with your child or separately" in text
    assert "help your child share their experiences" in text


def test_revisit_letter_outline_says_what_follows_paras_28_29() -> None:
    text = ALL["revisit-2019"]["revisit-letter-outline"]
    after = section(text, "## After the re-visit")
    assert "monitoring visits from the DfE and NHS England cease" in after
    assert "DfE and NHS England to decide the next steps" in after
    assert "unless the Secretary of State directs" in after
    assert "paragraphs 28 and 29" in after


def test_notification_lists_every_set_up_call_topic_of_para_85() -> None:
    set_up = section(ALL["full"]["notification"], "## The set-up discussion")
    for topic in (
        "talking to children and young people and families",
        "key officers and representatives",
        "regular feedback",
        "emerging findings",
        "responsible for leaders' well-being",
    ):
        assert topic in set_up, topic


def test_information_request_explains_further_requests_para_87() -> None:
    text = ALL["full"]["information-request"]
    assert "paragraph 87" in text and "not already available through the request in Annex A" in text


def test_revisit_parents_letter_has_the_survey_link_or_a_placeholder() -> None:
    text = ALL["revisit-2019"]["parents-open-meeting"]
    assert "[letters.survey\\_links] parents" in text or "[letters.survey_links] parents" in text
    linked = letters_of(
        "revisit-2019", '[letters.survey_links]\nparents = "https://example.org/s"\n'
    )
    assert "https://example.org/s" in linked["parents-open-meeting"]


# ------------------------------------------------------------------ style
def test_parents_open_meeting_cites_the_timeline_table_for_the_noon_close() -> None:
    online = section(ALL["revisit-2019"]["parents-open-meeting"], "## Online survey")
    close = online.split("closes at", 1)[1]
    assert "timeline table" in close and "day -1" in close


def test_revisit_feedback_does_not_place_the_draft_letters_confidentiality_at_the_meeting() -> None:
    # 2018 para 24 makes the draft letter confidential when it is sent, not at feedback.
    text = ALL["revisit-2019"]["feedback-meeting"]
    assert "restricted and confidential" not in section(
        text, "## What the lead inspector makes clear"
    )
    after = section(text, "## What happens next")
    assert "When the draft letter arrives, it is restricted and confidential" in after


def test_init_writes_the_new_monitoring_keys(tmp_path: Path) -> None:
    target = tmp_path / "case.toml"
    result = run_cli("init", "--kind", "monitoring", str(target))
    assert result.code == 0, result.output
    text = target.read_text(encoding="utf-8")
    assert "# concerns = []" in text and "# ilacs_monitoring_visits = [" in text
