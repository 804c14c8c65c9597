"""What a solve gives: placements, review and free blocks, moves, the timetable.

Plain data, shared by the solver, the saved file, the checks and the views.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sendplan.timetable.model import Problem, Session


@dataclass(frozen=True)
class Placement:
    session: Session
    date: dt.date
    start: int
    end: int
    inspectors: tuple[str, ...]

    @property
    def people(self) -> tuple[str, ...]:
        return self.inspectors + self.session.people

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

    @property
    def complete(self) -> bool:
        return not self.unplaced and not self.conflict

    def placement(self, session_id: str) -> Placement | None:
        return next((p for p in self.placements if p.session.id == session_id), None)
