"""What a solve gives: placements, review and free blocks, moves, the timetable.

Plain data, shared by the solver, the saved file, the checks and the views.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from sendplan.timetable.model import Problem, Session


@dataclass(frozen=True)
class Placement:
    session: Session
    date: dt.date
    start: int
    end: int
    inspectors: tuple[str, ...]
    #: Who else attends, when leaders may be represented (None: the session's people).
    people_present: tuple[str, ...] | None = None

    @property
    def people(self) -> tuple[str, ...]:
        present = self.session.people if self.people_present is None else self.people_present
        return self.inspectors + present

    def key(self) -> tuple[dt.date, int, str]:
        return (self.date, self.start, self.session.id)


@dataclass(frozen=True)
class Block:
    """An inspector's review time or slack on one day."""

    who: str
    date: dt.date
    start: int
    end: int
    kind: str  # "review" or "slack"


@dataclass(frozen=True)
class Booked:
    """A session as a saved timetable has it (for re-planning and checks)."""

    id: str
    title: str
    date: dt.date
    start: int
    end: int
    people: tuple[str, ...]
    venue: str
    mode: str
    others: str | None = None


@dataclass(frozen=True)
class Cancelled:
    """A session taken out of the timetable, kept on record so no calendar keeps a ghost.

    ``booked`` is the session as it was last booked; its id is the one its
    calendar event's UID came from, so every later export of the timetable
    sends that event again as ``STATUS:CANCELLED`` (RFC 5545 3.8.1.11).  The
    saved timetable keeps the record (``[[cancelled]]``) from re-plan to
    re-plan; a session that comes back under the same id leaves it.
    """

    booked: Booked
    #: :data:`REMOVED` (no longer in the case) or :data:`RENAMED` (its id changed).
    reason: str
    #: The id it goes on under, when renamed (``team_meeting:day-2``).
    replaced_by: str | None = None
    #: The day of the re-plan that took it out (``--today``), when known.
    since: dt.date | None = None

    @property
    def id(self) -> str:
        return self.booked.id


REMOVED = "removed"
RENAMED = "renamed"


@dataclass(frozen=True)
class Move:
    """A session that moved (or changed inspectors, or appeared, or went) in a re-plan.

    ``tell`` is everyone who must hear of it: the people of the case booked
    before or after (person ids), then the free-text attendees (``others``,
    before and after), whom the LANO tells.
    """

    id: str
    title: str
    before: Booked | None
    after: Placement | None
    tell: tuple[str, ...]
    others: tuple[str, ...] = ()


@dataclass(frozen=True)
class Tell:
    """One entry of the "who must be told" list: one attendee, one changed session.

    ``attendee`` is a person id of the case (``dcs``, ``provider:Hillcrest
    Academy``) or, when ``free_text``, the description of attendees outside
    the case ("the child or young person and family", "officers").  ``via`` is
    who tells them: the LANO for free-text attendees (handbook para 96: the
    LANO keeps local leaders and practitioners aware of changes; paras
    104-105 and 114: the LANO arranges families, practitioners and visits).
    """

    attendee: str
    session: str
    title: str
    change: str
    free_text: bool = False
    via: str | None = None


@dataclass(frozen=True)
class Timetable:
    problem: Problem
    placements: tuple[Placement, ...] = ()
    blocks: tuple[Block, ...] = ()
    unplaced: tuple[Session, ...] = ()
    conflict: tuple[str, ...] = ()
    moves: tuple[Move, ...] = ()
    warnings: tuple[str, ...] = ()
    seconds: float = 0.0
    replanned: bool = False
    #: Why each unplaced session is not placed, in words, by session id.
    reasons: Mapping[str, str] = field(default_factory=dict)
    #: Shortfalls of inspector time found before solving (:mod:`.capacity`).
    capacity: tuple[str, ...] = ()
    #: How the solver's budget was spent (for the benchmark and the README's figures).
    effort: Mapping[str, float] = field(default_factory=dict)
    #: Sessions taken out (this re-plan's and earlier ones'), for calendars.
    cancelled: tuple[Cancelled, ...] = ()
    #: The re-plan's day (``--today``): sessions before it were kept as booked.
    today: dt.date | None = None
    # What the views say besides the sessions (sendplan.timetable.views):
    #: The day the lead inspector agreed it (para 98); None: every view says draft.
    agreed: dt.date | None = None
    #: Activities of the guidance with no session, each with why.
    not_planned: tuple[str, ...] = ()
    #: Whose view this is (``--who``), when not everyone's.
    audience: str | None = None

    @property
    def complete(self) -> bool:
        return not self.unplaced and not self.conflict

    def placement(self, session_id: str) -> Placement | None:
        return next((p for p in self.placements if p.session.id == session_id), None)
