"""The one-screen status of ``sendplan status``: day, stage, events, items to act on.

Nothing here reads the clock: ``today`` is an argument.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sendplan.checklist.building import Checklist, Item, _moment, item_json
from sendplan.dates import date_text
from sendplan.namedtuples import NamedTuple

if TYPE_CHECKING:
    from sendplan.schedule import Event, Schedule


class ItemGroup(NamedTuple):
    """Some items of one Annex A group with one owner (``status``'s summaries)."""

    group: str
    title: str
    owner: str | None
    ids: tuple[str, ...]
    #: The ids as runs of the group's own order: ``1.1 to 1.7``, ``list-1, list-2``.
    runs: tuple[str, ...]
    #: The earliest deadline among them, and whether the guidance gives it only loosely.
    due: datetime | None
    approximate: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "group": self.group,
            "title": self.title,
            "owner": self.owner,
            "count": len(self.ids),
            "ids": list(self.ids),
            "earliest_due": self.due.isoformat(timespec="minutes") if self.due else None,
            "earliest_due_approximate": self.approximate,
        }


def by_group(checklist: Checklist, items: Sequence[Item]) -> list[ItemGroup]:
    """``items`` by Annex A group and owner, in Annex A order then owner."""
    late = {i.id for i in items}
    out: list[ItemGroup] = []
    for group, title in checklist.group_titles.items():
        members = [i for i in checklist.items if i.group == group]
        owners = sorted({i.owner or "" for i in members if i.id in late}, key=str.lower)
        for owner in owners:
            mine = [i.id in late and (i.owner or "") == owner for i in members]
            ids = tuple(i.id for i, yes in zip(members, mine, strict=True) if yes)
            dated = [i for i in members if i.id in ids and i.due is not None]
            due = min((i.due for i in dated if i.due is not None), default=None)
            loose = any(i.due_approximate for i in dated if i.due == due)
            runs = _runs([i.id for i in members], mine)
            out.append(ItemGroup(group, title, owner or None, ids, runs, due, loose))
    return out


def _runs(ids: Sequence[str], chosen: Sequence[bool]) -> tuple[str, ...]:
    """Runs of chosen ids in their order: three or more in a row as ``first to last``."""
    out: list[str] = []
    run: list[str] = []
    for item_id, yes in [*zip(ids, chosen, strict=True), ("", False)]:
        if yes:
            run.append(item_id)
            continue
        if len(run) >= 3:
            out.append(f"{run[0]} to {run[-1]}")
        else:
            out.extend(run)
        run = []
    return tuple(out)


class Status(NamedTuple):
    """The one-screen dashboard of ``sendplan status``."""

    today: datetime
    title: str
    local_area: str
    #: The guidance's day number today (None outside the numbered days).
    day: int | None
    #: The stage today falls in (``Week 2: ...``), or where we are relative to it.
    stage: str
    today_events: tuple[Event, ...]
    next_events: tuple[Event, ...]
    overdue: tuple[Item, ...]
    due_today: tuple[Item, ...]
    counts: Mapping[str, int]
    counts_by_owner: Mapping[str, Mapping[str, int]]
    checklist: Checklist

    def to_json(self) -> dict[str, Any]:
        return {
            "today": self.today.isoformat(timespec="minutes"),
            "title": self.title,
            "local_area": self.local_area,
            "day": self.day,
            "stage": self.stage,
            "today_events": [e.to_json() for e in self.today_events],
            "next_events": [e.to_json() for e in self.next_events],
            "overdue": [item_json(self.checklist, i, self.today) for i in self.overdue],
            "overdue_by_group": [g.to_json() for g in by_group(self.checklist, self.overdue)],
            "due_today": [item_json(self.checklist, i, self.today) for i in self.due_today],
            "counts": dict(self.counts),
            "counts_by_owner": {k: dict(v) for k, v in self.counts_by_owner.items()},
        }


def build_status(schedule: Schedule, checklist: Checklist, today: date | datetime) -> Status:
    """Where the inspection is on ``today``: day, stage, events, items to act on."""
    now = _moment(today)
    day = now.date()
    happening = tuple(e for e in schedule.events if e.date <= day <= (e.end_date or e.date))
    upcoming = next_events(schedule.events, day)
    return Status(
        today=now,
        title=schedule.rules.title,
        local_area=schedule.case.local_area,
        day=schedule.day_of(day),
        stage=stage_on(schedule, day),
        today_events=happening,
        next_events=upcoming,
        overdue=tuple(checklist.overdue(now)),
        due_today=tuple(checklist.due_today(now)),
        counts=checklist.counts(),
        counts_by_owner=checklist.counts_by_owner(),
        checklist=checklist,
    )


#: How many rows of what comes next ``status`` and the overview page list.
NEXT_ROWS = 5


def next_events(events: Iterable[Event], day: date, rows: int = NEXT_ROWS) -> tuple[Event, ...]:
    """The events after ``day`` (not those under way) making up the next ``rows`` rows a
    person reads: a repeated meeting is one row (:func:`sendplan.schedule.as_series`),
    all its occurrences kept."""
    from sendplan.schedule import as_series

    later = [e for e in events if e.date > day]
    wanted = {e.id for e in as_series(later)[:rows]}
    return tuple(
        e for e in later if e.id in wanted or (e.occurrence and e.occurrence.rule in wanted)
    )


def stage_on(schedule: Schedule, day: date) -> str:
    """The title of the stage whose events have begun by ``day``."""
    current: str | None = None
    for event in sorted(schedule.events, key=lambda e: e.date):
        if event.date <= day:
            current = event.stage
    if current is None:
        first = min(e.date for e in schedule.events)
        return f"Not started: the first event is on {date_text(first, long=True, weekday=True)}"
    return schedule.rules.stage_title(current)
