"""The saved timetable: a TOML file beside the case, one ``[[session]]`` per session.

Written sorted by date and time, one key a line, so a re-plan's ``git diff``
shows exactly what moved.  Read back as hostile input: a size limit, the
schema (``file:line: key: message``) and a check that it belongs to this case.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sendplan.case.timetable import HHMM, MODES, slug
from sendplan.errors import CaseFileError, Problem
from sendplan.schema import Table, TableList, Value, key_lines, locate_line, parse_toml, validate
from sendplan.timetable.model import hhmm, minutes
from sendplan.timetable.results import REMOVED, RENAMED, Booked, Cancelled, Timetable

if TYPE_CHECKING:
    from sendplan.case import Case

#: A saved timetable of 200 sessions is about 60 kB: it is read with the case
#: file's limits (size, nesting), and holds at most this many sessions, each with
#: at most this many people (README, "Hostile input").
MAX_SESSIONS = 1000
MAX_SESSION_PEOPLE = 50

_BOOKED: dict[str, Value] = {
    "id": Value("string", "The session's id.", required=True),
    "title": Value("string", "What it is.", required=True),
    "kind": Value("string", "Its kind."),
    "date": Value("date", "The day.", required=True),
    "start": Value("string", "HH:MM", required=True, pattern=HHMM),
    "end": Value("string", "HH:MM", required=True, pattern=HHMM),
    "people": Value("string_list", "Who attends (person ids).", max_items=MAX_SESSION_PEOPLE),
    "others": Value("string", "Who else attends."),
    "venue": Value("string", "Where."),
    "mode": Value("string", "in_person, video or phone.", choices=MODES),
    "source": Value("string", "The paragraph."),
}
SAVED_SCHEMA = Table(
    {
        "timetable": Table(
            {
                "local_area": Value("string", "The case's local area.", required=True),
                "kind": Value("string", "The case's inspection kind.", required=True),
            },
            required=True,
        ),
        "session": TableList(
            Table(_BOOKED),
            doc="The sessions of one inspection's weeks 2 and 3",
            max_items=MAX_SESSIONS,
        ),
        "cancelled": TableList(
            Table(
                {
                    **_BOOKED,
                    "reason": Value(
                        "string",
                        "removed (no longer in the case) or renamed (its id changed).",
                        required=True,
                        choices=(REMOVED, RENAMED),
                    ),
                    "replaced_by": Value("string", "The id it goes on under, when renamed."),
                    "since": Value("date", "The day of the re-plan that took it out."),
                }
            ),
            doc="Sessions taken out by a re-plan: calendars send them as cancelled.",
            max_items=MAX_SESSIONS,
        ),
    }
)


@dataclass(frozen=True)
class Saved:
    """A saved timetable: its sessions by id, and the record of those taken out."""

    booked: dict[str, Booked]
    cancelled: tuple[Cancelled, ...] = ()


def dumps(timetable: Timetable) -> str:
    """The saved-file text of a timetable."""
    import tomli_w

    p = timetable.problem
    header = (
        f"# Timetable: {p.title}, {p.local_area}. Written by "
        "`sendplan timetable --save`.\n"
        "# Re-plan after a change, moving as little as possible:\n"
        "#   sendplan timetable CASE --from THIS_FILE --save THIS_FILE --force\n"
        "# Check in CI that it still fits the case:  sendplan timetable CASE --check --from "
        "THIS_FILE\n\n"
    )
    sessions = [
        _row(b, pl.session.kind, source=pl.session.source)
        for pl, b in zip(timetable.placements, booked_sessions(timetable), strict=True)
    ]
    data: dict[str, Any] = {
        "timetable": {"local_area": p.local_area, "kind": p.kind},
        "session": sessions,
    }
    if timetable.cancelled:
        data["cancelled"] = [_cancelled_row(c) for c in timetable.cancelled]
    return header + tomli_w.dumps(data)


def _row(b: Booked, kind: str | None = None, **tail: Any) -> dict[str, Any]:
    """One ``[[session]]`` or ``[[cancelled]]`` entry, one key a line in a fixed order."""
    row: dict[str, Any] = {"id": b.id, "title": b.title}
    if kind is not None:
        row["kind"] = kind
    row.update(date=b.date, start=hhmm(b.start), end=hhmm(b.end), people=list(b.people))
    if b.others:
        row["others"] = b.others
    row.update(venue=b.venue, mode=b.mode)
    return row | {k: v for k, v in tail.items() if v is not None}


def _cancelled_row(c: Cancelled) -> dict[str, Any]:
    return _row(c.booked, reason=c.reason, replaced_by=c.replaced_by, since=c.since)


def load_saved(path: Path, local_area: str, kind: str) -> dict[str, Booked]:
    """The sessions of a saved timetable, by id; :class:`CaseFileError` when it is not one."""
    return read_saved(path, local_area, kind).booked


def read_saved(path: Path, local_area: str, kind: str) -> Saved:
    """A saved timetable with its record of cancelled sessions (:class:`Saved`)."""
    from sendplan.files import MAX_CASE_BYTES, read_text_input

    name = str(path)
    # Refuses a folder, a FIFO (which would hang) or a device before reading a byte.
    text = read_text_input(path, "saved timetable", MAX_CASE_BYTES)
    data = parse_toml(text, name)
    clean, issues = validate(data, SAVED_SCHEMA)
    lines = key_lines(text)
    problems = [
        Problem(name, locate_line(lines, i.path), i.key, i.message, i.suggestion) for i in issues
    ]
    if problems:
        raise CaseFileError(problems)
    head = clean["timetable"]
    if (head["local_area"], head["kind"]) != (local_area, kind):
        raise _error(
            name,
            locate_line(lines, ("timetable",)),
            "timetable",
            f"is the timetable of a {head['kind']} of {head['local_area']}, not of this case "
            f"({kind}, {local_area})",
        )
    tables: dict[str, dict[str, Booked]] = {"session": {}, "cancelled": {}}
    for table, out in tables.items():
        for i, row in enumerate(clean.get(table, ())):
            start, end = minutes(row["start"]), minutes(row["end"])
            where = locate_line(lines, (table, i))
            if end <= start:
                raise _error(
                    name, where, f"{table}[{i}].end", f"must be after start ({row['start']})"
                )
            if row["id"] in out:
                raise _error(name, where, f"{table}[{i}].id", f"{row['id']!r} appears twice")
            out[row["id"]] = Booked(
                id=row["id"],
                title=row["title"],
                date=row["date"],
                start=start,
                end=end,
                people=tuple(row.get("people", ())),
                venue=row.get("venue", "virtual"),
                mode=row.get("mode", "video"),
                others=row.get("others"),
            )
    rows = {row["id"]: row for row in clean.get("cancelled", ())}
    cancelled = tuple(
        Cancelled(b, rows[sid]["reason"], rows[sid].get("replaced_by"), rows[sid].get("since"))
        for sid, b in tables["cancelled"].items()
        if sid not in tables["session"]  # a session back under its id is live again
    )
    return Saved(tables["session"], cancelled)


def session_children(kind: str, session_ids: Iterable[str]) -> tuple[str, ...]:
    """The children named by per-child sessions (``tracking_family:C014``): a file
    holding them is owner-only, whoever the case tracks now."""
    from sendplan.timetable.activities import load_activities

    per_child = {a.id for a in load_activities(kind).activities if a.each == "child"}
    found = (s.removeprefix("timetable/").partition(":") for s in session_ids)
    return tuple(dict.fromkeys(key for activity, _, key in found if activity in per_child and key))


def _error(name: str, line: int | None, key: str, message: str) -> CaseFileError:
    return CaseFileError([Problem(name, line, key, message)])


def booked_sessions(timetable: Timetable) -> Sequence[Booked]:
    """A timetable's placements as a saved file would hold them."""
    return [
        Booked(
            pl.session.id,
            pl.session.title,
            pl.date,
            pl.start,
            pl.end,
            pl.people,
            pl.session.venue,
            pl.session.mode,
            pl.session.others,
        )
        for pl in timetable.placements
    ]


# ------------------------------------------------------------------ letters
@dataclass(frozen=True)
class Booking:
    """A booked session as letters show it (``{{ booking.date|govuk_date }}``)."""

    title: str
    date: dt.date
    start: dt.time
    end: dt.time
    venue: str
    mode: str

    @property
    def in_person(self) -> bool:
        return self.mode == "in_person"


class Bookings:
    """The saved timetable's sessions, by provider and by tracked child, for letters."""

    def __init__(self, booked: Mapping[str, Booked], about: Mapping[str, str]) -> None:
        self._by_about: dict[str, list[Booking]] = {}
        for sid, b in sorted(booked.items(), key=lambda kv: (kv[1].date, kv[1].start)):
            key = about.get(sid)
            if key is None:
                continue
            self._by_about.setdefault(key, []).append(
                Booking(b.title, b.date, _time(b.start), _time(b.end), b.venue, b.mode)
            )

    def provider(self, name: str) -> list[Booking]:
        return self._by_about.get("provider:" + name, [])

    def child(self, unique_id: str) -> list[Booking]:
        return self._by_about.get("child:" + unique_id, [])


def _time(value: int) -> dt.time:
    return dt.time(value // 60, value % 60)


def bookings(case: Case) -> Bookings | None:
    """The bookings of the case's saved timetable (``[timetable] saved``), if there is one."""
    path = case.timetable.saved
    if path is None or not path.exists():
        return None
    booked = load_saved(path, case.local_area, case.kind)
    about: dict[str, str] = {}
    for sid in booked:
        activity, _, key = sid.partition(":")
        if activity == "tracking_family":  # the letter goes to the family
            about[sid] = "child:" + key
    for provider in case.providers:
        about[f"sampling_visit:{slug(provider.name)}"] = "provider:" + provider.name
    return Bookings(booked, about)
