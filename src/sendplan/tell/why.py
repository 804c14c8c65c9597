"""Why a session changed, in words: what the case file now says.

A re-plan moves a session because the case file changed under it (someone
cannot attend, the on-site days moved, a provider was taken off the list) or
to make room for one that had to move (para 96: the timetable is kept
flexible).  The reasons here read the current case (its :class:`Problem`)
against the booking the session had; they never guess beyond it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import time
from typing import TYPE_CHECKING

from sendplan.dates import date_text
from sendplan.timetable.model import Problem, Session

if TYPE_CHECKING:
    from sendplan.timetable.results import Booked, Cancelled


def reasons(
    problem: Problem,
    changes: Sequence[tuple[str, Booked | None, Booked | None, Cancelled | None]],
    names: Mapping[str, str],
) -> dict[str, str]:
    """For each ``(session id, before, after, cancelled record)``: why, one sentence."""
    out: dict[str, str] = {}
    made_room: list[tuple[str, Booked]] = []
    for sid, before, after, record in changes:
        if before is None:
            out[sid] = "It is a new session in the timetable."
        elif after is None or record is not None:
            out[sid] = _removed(problem, before, record, names)
        else:
            found = _own_reason(problem, before, names)
            if found is None:
                made_room.append((sid, before))
            else:
                out[sid] = found
    for sid, before in made_room:
        out[sid] = _room(sid, before, changes, out)
    return out


def _day(b: Booked) -> str:
    return date_text(b.date, long=True, weekday=True)


def _own_reason(problem: Problem, b: Booked, names: Mapping[str, str]) -> str | None:
    """What in the case file no longer lets the booking stand, if anything."""
    from sendplan.letters.formatting import govuk_time
    from sendplan.timetable.model import hhmm

    session = _session(problem, b.id)
    for busy in problem.busy:
        overlaps = busy.date == b.date and busy.start < b.end and b.start < busy.end
        if busy.who not in b.people or not overlaps:
            continue
        who = names.get(busy.who, busy.who.removeprefix("provider:"))
        when = f"on {_day(b)}"
        if not busy.all_day:
            when += f" from {govuk_time(_time(busy.start))} to {govuk_time(_time(busy.end))}"
        note = f" ({busy.note})" if busy.note else ""
        return f"{who} is not available {when}{note}: the case file now says so."
    if session is None:
        return None
    if b.date not in session.days:
        return f"Its days changed: it is now held in {session.window_text}."
    if b.end - b.start != session.length:
        return f"It now lasts {session.length} minutes (the case file's [timetable.lengths])."
    if (b.venue, b.mode) != (session.venue, session.mode):
        return "Where or how it is held changed in the case file."
    missing = [p for p in session.inspectors + session.people if p not in b.people]
    if missing:
        who = ", ".join(names.get(p, p.removeprefix("provider:")) for p in missing)
        return f"The people attending changed in the case file: {who} now attend."
    low, high = problem.hours(session)
    if b.start < low or b.end > high:
        return f"The working day is now {hhmm(low)} to {hhmm(high)} in the case file."
    return None


def _time(minutes: int) -> time:
    return time(min(minutes, 24 * 60 - 1) // 60, min(minutes, 24 * 60 - 1) % 60)


def _session(problem: Problem, sid: str) -> Session | None:
    return next((s for s in problem.sessions if s.id == sid), None)


def _removed(
    problem: Problem, b: Booked, record: Cancelled | None, names: Mapping[str, str]
) -> str:
    """Why a session was taken out: what left the case file."""
    if record is not None and record.replaced_by:
        return "It goes on under a new name in the timetable; nothing else changed."
    activity, _, about = b.id.partition(":")
    if activity == "sampling_visit":
        provider = next((p for p in b.people if p.startswith("provider:")), None)
        name = provider.removeprefix("provider:") if provider else "The provider"
        return f"{name} is no longer on the case file's list of providers for sampling visits."
    if activity.startswith("tracking_"):
        return f"{about} is no longer selected for a tracking meeting in the case file."
    if activity == "focused_sampling":
        return "Its topic is no longer among the case file's focused sampling topics."
    if activity == "extra":
        return "It is no longer among the case file's additional sessions."
    return "The timetable the case file gives no longer holds it."


def _room(
    sid: str,
    b: Booked,
    changes: Sequence[tuple[str, Booked | None, Booked | None, Cancelled | None]],
    known: Mapping[str, str],
) -> str:
    """A session moved to make room: which one had to move, when one shares its day and
    someone with it."""
    for other, before, after, _ in changes:
        if other == sid or other not in known or before is None or after is None:
            continue
        if after.date == b.date and set(after.people) & set(b.people):
            return (
                f"It moved to make room for {after.title}, which had to move "
                "(the timetable is kept flexible, handbook para 96)."
            )
    return (
        "It moved to make room for another change to the timetable "
        "(the timetable is kept flexible, handbook para 96)."
    )
