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


@dataclass(frozen=True)
class Move:
    """A session that moved (or changed inspectors, or appeared, or went) in a re-plan."""

    id: str
    title: str
    before: Booked | None
    after: Placement | None
    tell: tuple[str, ...]


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

    @property
    def complete(self) -> bool:
        return not self.unplaced and not self.conflict

    def placement(self, session_id: str) -> Placement | None:
        return next((p for p in self.placements if p.session.id == session_id), None)
