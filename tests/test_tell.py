"""Telling people (issue 26): one entry per meeting, invitations, draft emails.

Every check reads what the commands wrote with an independent reader: the
calendars and invitations with ``icalendar`` (method, organiser, attendees,
SEQUENCE, UID), the drafts with the standard library's ``email`` package
(headers, ``X-Unsent``, attachments, the old and new times in the text).
The scenario is the README's: a provider cancels, the LANO re-plans with
``sendplan timetable --from`` and runs ``sendplan tell``.
"""

from __future__ import annotations

import email
import email.policy
import re
import shutil
import stat
import tomllib
from collections import Counter
from datetime import date, datetime
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import icalendar
import pytest

from cli_harness import run_cli

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
FULLER = EXAMPLES / "full-inspection-timetable.toml"
SAVED = EXAMPLES / "timetables" / "full-inspection-timetable.toml"
LANO_EMAIL = "sam.taylor@exampleshire.gov.uk"
#: Work addresses given to people the example leaves without one.
EMAILS = {
    "Farah Nadeem": "farah.nadeem@cqc.example.org.uk",
    "Hillcrest Academy": "office@hillcrest.example.sch.uk",
    "Brookside Primary School": "office@brookside.example.sch.uk",
}
#: A provider cancels: Hillcrest Academy cannot host on Wednesday 14 May, and
#: Brookside Primary School withdraws from the sampling visits altogether.
HILLCREST_CLOSED = '\n[[timetable.unavailable]]\nwho = "Hillcrest Academy"\ndate = 2025-05-14\n'

#: Meetings by their words, independent of sendplan's own matching: an entry
#: belongs to a family when its summary says so.
FAMILIES = {
    "keep in touch": r"keep[- ]in[- ]touch",
    "team meeting": r"team (planning )?meet|team meets",
    "initial meeting": r"initial meeting",
    "leaders' self-evaluation": r"self-evaluation",
    "final feedback": r"final feedback",
    "children's group": r"group of children",
    "parent carer forum": r"parent carer forum",
}


# ------------------------------------------------------------------ helpers
def with_emails(text: str, emails: dict[str, str] = EMAILS) -> str:
    for name, address in emails.items():
        text = text.replace(f'name = "{name}"\n', f'name = "{name}"\nemail = "{address}"\n', 1)
    return text


def copy_case(tmp_path: Path, text: str | None = None) -> tuple[Path, Path]:
    case = tmp_path / "case.toml"
    case.write_text(with_emails(FULLER.read_text()) if text is None else text)
    (tmp_path / "timetables").mkdir()
    saved = tmp_path / "timetables" / SAVED.name
    shutil.copy(SAVED, saved)
    return case, saved


def calendar_of(data: bytes | str) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(data)


def stdout_calendar(*args: str) -> icalendar.Calendar:
    result = run_cli("calendar", *args, "-o", "-")
    assert result.code == 0, result.stderr
    return calendar_of(result.stdout)


def family(summary: str) -> str | None:
    return next((f for f, words in FAMILIES.items() if re.search(words, summary, re.I)), None)


def day_of(event: icalendar.Event) -> date:
    start = event.decoded("DTSTART")
    return start.date() if isinstance(start, datetime) else start


def booked(saved: Path) -> dict[str, dict[str, Any]]:
    return {row["id"]: row for row in tomllib.loads(saved.read_text())["session"]}


def invitations(folder: Path) -> dict[str, icalendar.Calendar]:
    return {p.name: calendar_of(p.read_bytes()) for p in sorted(folder.glob("*.ics"))}


def vevents(calendar: icalendar.Calendar) -> list[icalendar.Event]:
    return [e for e in calendar.walk("VEVENT") if isinstance(e, icalendar.Event)]


def address(value: object) -> str:
    return str(value).lower().removeprefix("mailto:")


def drafts(folder: Path) -> dict[str, EmailMessage]:
    out = {}
    for path in sorted(folder.glob("*.eml")):
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        out[path.name] = message
    return out


def body(message: EmailMessage) -> str:
    part = message.get_body(("plain",))
    assert part is not None
    text = part.get_content()
    assert isinstance(text, str)
    return text


def govuk(day: date, start: str, end: str) -> str:
    """The test's own GOV.UK wording of a booking: ``Wednesday 14 May 2025, 8:30am to 10:30am``."""

    def clock(hhmm: str) -> str:
        hour, minute = (int(x) for x in hhmm.split(":"))
        if (hour, minute) == (12, 0):
            return "midday"
        suffix = "am" if hour < 12 else "pm"
        return f"{hour % 12 or 12}{'' if minute == 0 else f':{minute:02d}'}{suffix}"

    return f"{day:%A} {day.day} {day:%B %Y}, {clock(start)} to {clock(end)}"


def replan(case: Path, saved: Path, extra: str, drop: str | None = None) -> Path:
    """Change the case (``extra``; ``drop`` a provider), keep the old saved timetable as
    before.toml, and re-plan with ``sendplan timetable --from``."""
    text = case.read_text() + extra
    if drop is not None:
        text = re.sub(
            rf'\[\[providers\]\]\nname = "{re.escape(drop)}"\n(?:[a-z]+ = .*\n)*', "", text
        )
    case.write_text(text)
    before = saved.with_name("before.toml")
    shutil.copy(saved, before)
    result = run_cli(
        "timetable", str(case), "--from", str(before), "--save", str(saved), "--force",
        "-f", "json",
    )  # fmt: skip
    assert result.code == 0, result.stderr
    return before


# ------------------------------------------------------------------ one entry per meeting
def test_the_example_calendar_with_its_saved_timetable_has_no_meeting_twice_on_a_day() -> None:
    calendar = stdout_calendar(str(FULLER))
    seen: Counter[tuple[date, str]] = Counter()
    for event in vevents(calendar):
        if str(event.get("STATUS", "")).upper() == "CANCELLED":
            continue
        kind = family(str(event["SUMMARY"]))
        if kind is not None:
            seen[(day_of(event), kind)] += 1
    twice = {key: n for key, n in seen.items() if n > 1}
    assert not twice, f"meetings twice on a day: {twice}"
    # The timetable's keep-in-touch meetings (13-15 May) are timed; the schedule's
    # 12 and 16 May are kept, marked as not in the timetable.
    kit = [e for e in vevents(calendar) if family(str(e["SUMMARY"])) == "keep in touch"]
    timed = sorted(day_of(e) for e in kit if isinstance(e.decoded("DTSTART"), datetime))
    marked = sorted(day_of(e) for e in kit if "not in the timetable" in str(e["SUMMARY"]))
    assert timed == [date(2025, 5, 13), date(2025, 5, 14), date(2025, 5, 15)]
    assert marked == [date(2025, 5, 12), date(2025, 5, 16)]


def test_an_earlier_export_s_day_only_meetings_are_cancelled_once_the_timetable_books_them(
    tmp_path: Path,
) -> None:
    """A LANO who imported the schedule before the timetable existed is left no ghost."""
    case, saved = copy_case(tmp_path)
    before = tmp_path / "before.ics"
    unsaved = tmp_path / "unsaved.toml"
    unsaved.write_text(case.read_text().replace("saved = ", "# saved = "))
    assert run_cli("calendar", str(unsaved), "-o", str(before)).code == 0
    after = stdout_calendar(str(case), "--previous", str(before))
    old = {str(e["UID"]): e for e in vevents(calendar_of(before.read_bytes()))}
    cancelled = [e for e in vevents(after) if str(e.get("STATUS", "")) == "CANCELLED"]
    keep_in_touch = [e for e in cancelled if "Keep-in-touch" in str(e["SUMMARY"])]
    assert sorted(day_of(e) for e in keep_in_touch) == [date(2025, 5, d) for d in (13, 14, 15)]
    for event in cancelled:
        uid = str(event["UID"])
        assert uid in old and int(str(event["SEQUENCE"])) == int(str(old[uid]["SEQUENCE"])) + 1


def test_status_and_the_overview_show_a_booked_meeting_at_its_time_once() -> None:
    status = run_cli("status", str(FULLER), "-f", "json", today="2025-05-13T09:00").json
    today = [e for e in status["today_events"] if "eep-in-touch" in e["title"]]
    assert [(e["date"], e["time"], e.get("booked")) for e in today] == [
        ("2025-05-13", "12:30", "keep_in_touch:day-2")
    ]
    later = [e for e in status["next_events"] if "eep-in-touch" in e["title"]]
    assert "not in the timetable" in later[-1]["title"] and later[-1]["time"] is None
    page = run_cli("overview", str(FULLER), "-f", "json", today="2025-05-01T12:00").json
    events = page["timeline"]["events"]
    per_day = Counter((e["date"], family(e["title"])) for e in events if family(e["title"]))
    assert max(per_day.values()) == 1
    kit = {e["date"]: e for e in events if family(e["title"]) == "keep in touch"}
    assert kit["2025-05-13"]["time"] == "12:30" and not kit["2025-05-13"]["approximate"]
    assert kit["2025-05-12"]["approximate"] and "not in the timetable" in kit["2025-05-12"]["title"]


def test_every_schedule_rule_an_activity_books_exists_in_its_kind() -> None:
    from sendplan.rules import load_rules
    from sendplan.timetable.activities import TIMETABLE_KINDS, load_activities

    for kind in TIMETABLE_KINDS:
        rules = {r.id for r in load_rules(kind).rules}
        named = {r for a in load_activities(kind).activities for r in a.schedule}
        assert named and named <= rules, (kind, named - rules)


# ------------------------------------------------------------------ invitations
def test_invitations_are_the_organiser_s_requests_each_person_their_own_sessions(
    tmp_path: Path,
) -> None:
    case, saved = copy_case(tmp_path)
    folder = tmp_path / "invitations"
    result = run_cli("calendar", str(case), "--invitations", "--out-dir", str(folder))
    assert result.code == 0, result.stderr
    sessions = booked(saved)
    staff = {LANO_EMAIL, "alex.morgan@exampleshire.gov.uk", "robin.clarke@ofsted.gov.uk"}
    staff |= set(EMAILS.values())
    files = invitations(folder)
    assert set(files) == {
        "lano.ics",
        "dcs.ics",
        "lead-inspector.ics",
        "farah-nadeem.ics",
        "provider-hillcrest-academy.ics",
        "provider-brookside-primary-school.ics",
    }
    sequences: dict[str, set[int]] = {}
    for name, calendar in files.items():
        assert str(calendar["METHOD"]) == "REQUEST"
        assert stat.S_IMODE((folder / name).stat().st_mode) == 0o600
        person = {"lano.ics": "lano", "dcs.ics": "dcs", "lead-inspector.ics": "lead_inspector"}
        who = (
            person.get(name)
            or {
                "farah-nadeem.ics": "Farah Nadeem",
                "provider-hillcrest-academy.ics": "provider:Hillcrest Academy",
                "provider-brookside-primary-school.ics": "provider:Brookside Primary School",
            }[name]
        )
        theirs = {sid for sid, row in sessions.items() if who in row["people"]}
        summaries = sorted(str(e["SUMMARY"]) for e in vevents(calendar))
        assert summaries == sorted(sessions[sid]["title"] for sid in theirs)
        for event in vevents(calendar):
            assert address(event["ORGANIZER"]) == LANO_EMAIL
            attendees = event.get("ATTENDEE")
            attendees = attendees if isinstance(attendees, list) else [attendees]
            assert {address(a) for a in attendees} <= staff
            sequences.setdefault(str(event["UID"]), set()).add(int(str(event["SEQUENCE"])))
    # One UID, one SEQUENCE, in every recipient's file.
    assert all(len(found) == 1 for found in sequences.values())
    # Children and families are never attendees; sessions name them by pseudonymous id.
    every = [e for calendar in files.values() for e in vevents(calendar)]
    family_sessions = [e for e in every if "child or young person and family" in str(e["SUMMARY"])]
    assert family_sessions
    for event in family_sessions:
        assert re.search(r"SYN\d{6}", str(event["SUMMARY"]))
        assert "arranged by the LANO: the child or young person and family" in str(
            event["DESCRIPTION"]
        )
    # People without an email are invited via the LANO.
    assert "Invited via the LANO" in result.stdout + "".join(
        str(e["DESCRIPTION"]) for e in vevents(files["dcs.ics"])
    )
    assert "Jordan Lee" in result.stdout


def test_a_re_plan_keeps_uids_raises_sequence_and_cancels_a_removed_session(
    tmp_path: Path,
) -> None:
    case, saved = copy_case(tmp_path)
    folder = tmp_path / "invitations"
    assert run_cli("calendar", str(case), "--invitations", "--out-dir", str(folder)).code == 0
    first = {
        str(e["UID"]): (int(str(e["SEQUENCE"])), e.decoded("DTSTART"), str(e["SUMMARY"]))
        for calendar in invitations(folder).values()
        for e in vevents(calendar)
    }
    old = booked(saved)
    replan(case, saved, HILLCREST_CLOSED, drop="Brookside Primary School")
    new = booked(saved)
    again = run_cli("calendar", str(case), "--invitations", "--out-dir", str(folder), "--force")
    assert again.code == 0, again.stderr
    files = invitations(folder)
    now = {
        str(e["UID"]): (int(str(e["SEQUENCE"])), e.decoded("DTSTART"), str(e["SUMMARY"]))
        for name, calendar in files.items()
        if not name.endswith(".cancel.ics")
        for e in vevents(calendar)
    }
    moved = {sid for sid in new if sid in old and (old[sid]["date"], old[sid]["start"]) != (
        new[sid]["date"], new[sid]["start"])}  # fmt: skip
    assert "sampling_visit:hillcrest-academy" in moved
    for uid, (sequence, start, summary) in now.items():
        assert uid in first or summary.startswith("Sampling visit"), summary  # UIDs stable
        was = first[uid]
        if was[1] != start:
            assert sequence == was[0] + 1, summary
        else:
            assert sequence >= was[0], summary
    # Brookside's visit is taken out: its old UID goes to Brookside as METHOD:CANCEL.
    cancel = files["provider-brookside-primary-school.cancel.ics"]
    assert str(cancel["METHOD"]) == "CANCEL"
    (event,) = vevents(cancel)
    uid = str(event["UID"])
    assert uid in first and "Brookside" in first[uid][2]
    assert int(str(event["SEQUENCE"])) == first[uid][0] + 1
    assert str(event["STATUS"]) == "CANCELLED"
    assert address(event["ORGANIZER"]) == LANO_EMAIL
    # The same cancellation the calendar export sends (issue 19: one record).
    export = stdout_calendar(str(case))
    exported = {str(e["UID"]) for e in vevents(export) if str(e.get("STATUS")) == "CANCELLED"}
    assert uid in exported


def test_running_invitations_twice_changes_nothing(tmp_path: Path) -> None:
    case, _ = copy_case(tmp_path)
    folder = tmp_path / "invitations"
    assert run_cli("calendar", str(case), "--invitations", "--out-dir", str(folder)).code == 0
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    refused = run_cli("calendar", str(case), "--invitations", "--out-dir", str(folder))
    assert refused.code == 2 and "--force" in refused.stderr
    again = run_cli("calendar", str(case), "--invitations", "--out-dir", str(folder), "--force")
    assert again.code == 0
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before


def test_a_lano_without_an_email_is_an_error_naming_the_key(tmp_path: Path) -> None:
    text = with_emails(FULLER.read_text()).replace(f'email = "{LANO_EMAIL}"\n', "")
    case, _ = copy_case(tmp_path, text)
    for args in (("calendar", str(case), "--invitations"), ("tell", str(case))):
        result = run_cli(*args, "--out-dir", str(tmp_path / "out"))
        assert result.code == 2
        assert "people.lano.email" in result.stderr
        assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_an_earlier_invitation_that_is_not_icalendar_is_refused(tmp_path: Path) -> None:
    case, _ = copy_case(tmp_path)
    folder = tmp_path / "invitations"
    folder.mkdir()
    (folder / "dcs.ics").write_text("not a calendar\n")
    result = run_cli("calendar", str(case), "--invitations", "--out-dir", str(folder), "--force")
    assert result.code == 2 and "dcs.ics" in result.stderr and "Traceback" not in result.stderr


# ------------------------------------------------------------------ drafts
def test_tell_without_from_drafts_the_first_invitations_for_everyone(tmp_path: Path) -> None:
    case, saved = copy_case(tmp_path)
    outbox = tmp_path / "outbox"
    result = run_cli("tell", str(case), "--out-dir", str(outbox))
    assert result.code == 0, result.stderr
    sessions = booked(saved)
    found = drafts(outbox)
    assert "2025-05-01-dcs.eml" in found
    for name, message in found.items():
        assert message["X-Unsent"] == "1"
        assert message["From"].addresses[0].addr_spec == LANO_EMAIL
        assert stat.S_IMODE((outbox / name).stat().st_mode) == 0o600
        parts = list(message.iter_attachments())
        assert parts and all(p.get_content_type() == "text/calendar" for p in parts)
        for part in parts:
            assert part.get_param("method") == "REQUEST"
            (event,) = vevents(calendar_of(part.get_content()))  # one meeting a file
            assert address(event["ORGANIZER"]) == LANO_EMAIL
    dcs = found["2025-05-01-dcs.eml"]
    assert dcs["To"].addresses[0].addr_spec == "alex.morgan@exampleshire.gov.uk"
    theirs = [row for row in sessions.values() if "dcs" in row["people"]]
    assert len(list(dcs.iter_attachments())) == len(theirs)
    text = body(dcs)
    for row in theirs:
        assert govuk(row["date"], row["start"], row["end"]) in text
    assert "SYN0" not in text  # the DCS attends no tracking meeting
    assert "Alex Morgan" in result.stdout and "via the lano" in result.stdout.lower()


def test_tell_after_a_provider_cancels(tmp_path: Path) -> None:
    """The README's story: a provider cancels, re-plan from the saved timetable, tell."""
    case, saved = copy_case(tmp_path)
    outbox = tmp_path / "outbox"
    first = run_cli("tell", str(case), "--out-dir", str(outbox), today="2025-05-01T09:00")
    assert first.code == 0, first.stderr
    old = booked(saved)
    before = replan(case, saved, HILLCREST_CLOSED, drop="Brookside Primary School")
    new = booked(saved)
    result = run_cli(
        "tell", str(case), "--from", str(before), "--out-dir", str(outbox), "--force",
        today="2025-05-02T09:00",
    )  # fmt: skip
    assert result.code == 0, result.stderr
    found = {k: v for k, v in drafts(outbox).items() if k.startswith("2025-05-02")}

    # Hillcrest: what moved, from when to when, why; the updated invitation attached.
    hillcrest = found["2025-05-02-provider-hillcrest-academy.eml"]
    assert hillcrest["To"].addresses[0].addr_spec == EMAILS["Hillcrest Academy"]
    assert hillcrest["X-Unsent"] == "1"
    sid = "sampling_visit:hillcrest-academy"
    text = body(hillcrest)
    was, now = old[sid], new[sid]
    assert f"Was: {govuk(was['date'], was['start'], was['end'])}" in text
    assert f"Now: {govuk(now['date'], now['start'], now['end'])}" in text
    assert "Hillcrest Academy is not available on Wednesday 14 May 2025" in text
    (part,) = hillcrest.iter_attachments()
    assert part.get_param("method") == "REQUEST"
    (event,) = vevents(calendar_of(part.get_content()))
    assert int(str(event["SEQUENCE"])) == 1 and str(event["SUMMARY"]) == now["title"]

    # Brookside: cancelled, under the UID its first invitation had.
    brookside = found["2025-05-02-provider-brookside-primary-school.eml"]
    text = body(brookside)
    gone = old["sampling_visit:brookside-primary-school"]
    assert "cancelled" in text and govuk(gone["date"], gone["start"], gone["end"]) in text
    assert "no longer on the case file's list of providers" in text
    (part,) = brookside.iter_attachments()
    assert part.get_param("method") == "CANCEL"
    (cancel,) = vevents(calendar_of(part.get_content()))
    sent = drafts(outbox)["2025-05-01-provider-brookside-primary-school.eml"]
    (earlier,) = [vevents(calendar_of(p.get_content()))[0] for p in sent.iter_attachments()]
    assert str(cancel["UID"]) == str(earlier["UID"])
    assert int(str(cancel["SEQUENCE"])) > int(str(earlier["SEQUENCE"]))

    # The LANO hears of every change; nobody untouched gets a draft.
    lano = body(found["2025-05-02-lano.eml"])
    assert "Sampling visit: Hillcrest Academy" in lano and "Brookside" in lano
    touched = set()
    for sid2 in set(old) | set(new):
        was2, now2 = old.get(sid2), new.get(sid2)
        fields = ("date", "start", "end", "people", "venue", "mode")
        if was2 is None or now2 is None or any(was2[f] != now2[f] for f in fields):
            touched |= set((was2 or {}).get("people", [])) | set((now2 or {}).get("people", []))
    slugs = {
        "dcs": "dcs",
        "lead_inspector": "lead-inspector",
        "Farah Nadeem": "farah-nadeem",
        "provider:Hillcrest Academy": "provider-hillcrest-academy",
        "provider:Brookside Primary School": "provider-brookside-primary-school",
    }
    expected = {f"2025-05-02-{slugs[p]}.eml" for p in touched if p in slugs}
    assert set(found) == expected | {"2025-05-02-lano.eml"}
    # Every draft's attachments are the recipient's own sessions only.
    for message in found.values():
        to = message["To"].addresses[0].addr_spec.lower()
        for part in message.iter_attachments():
            for event in vevents(calendar_of(part.get_content())):
                attendees = event.get("ATTENDEE")
                attendees = attendees if isinstance(attendees, list) else [attendees]
                assert to in {address(a) for a in attendees} or to == LANO_EMAIL


@pytest.mark.parametrize("name", ['Sam "Taylor"\nBcc: x@example.com'])
def test_a_name_that_would_break_a_header_is_refused(tmp_path: Path, name: str) -> None:
    text = with_emails(FULLER.read_text()).replace(
        'name = "Sam Taylor"', f"name = {name!r}".replace("'", '"""')
    )
    case, _ = copy_case(tmp_path, text)
    result = run_cli("tell", str(case), "--out-dir", str(tmp_path / "out"))
    assert result.code in (0, 2), result.stderr
    for path in (tmp_path / "out").glob("*.eml"):
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        assert message["Bcc"] is None
