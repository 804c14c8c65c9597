"""Building the checklist: every Annex A item of a case with its deadline, owner and status.

:func:`build_checklist` takes a case and its computed schedule.  Each item's
due date and time *are* its schedule event's (``person_level_data_due``,
``end_of_week1_information_due``...), so the checklist can never disagree
with ``sendplan schedule``.  :func:`match_items` finds the items a pattern names.
"""

from __future__ import annotations

import fnmatch
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time
from typing import TYPE_CHECKING, Any

from sendplan.annex import (
    CLOSED,
    STATUSES,
    ChecklistSettings,
    ItemSpec,
    ItemState,
    load_annex,
    per_source,
    repeat_keys,
)
from sendplan.calendar import WorkingCalendar
from sendplan.case import Case
from sendplan.dates import END_OF_DAY, clock_text
from sendplan.errors import UnknownItem, UsageError, did_you_mean
from sendplan.namedtuples import NamedTuple
from sendplan.schema import key_value
from sendplan.words import plural

if TYPE_CHECKING:
    from sendplan.rules import RuleSet
    from sendplan.schedule import Event, Schedule


class Item(NamedTuple):
    """One thing the local area partnership provides, dated by its schedule event.

    ``id`` is the Annex A number (``1.1``), a named item (``list-1``,
    ``providers``) or a repetition (``7.2:C014`` for a tracked child's Unique
    ID, ``progress:1`` for the first area).  ``group`` is the Annex A group id.
    """

    id: str
    number: str
    group: str
    title: str
    short: str
    description: str
    source: str
    event_id: str
    due_date: date | None
    due_time: time | None
    owner: str | None
    status: str
    note: str | None
    updated: date | datetime | None
    base_id: str
    #: The tracked child's Unique ID or the area's title, for repeated items.
    subject: str | None = None
    #: What the item repeats over (``tracked``, ``areas``), as the data says.
    per: str | None = None
    #: The deadline is a reading of loose guidance (its event is approximate and
    #: not recorded), e.g. the monitoring evidence upload (paras 164-166).
    due_approximate: bool = False
    #: A case without dates: the deadline relative to notification
    #: (``notification + 1 working day, 11:00``), from the rules (issue 23).
    due_relative: str | None = None
    #: When the evidence was last brought up to date, and the item's own limit
    #: (``[checklist.items."1.3"]``; ``sendplan.readiness`` reads them).
    refreshed: date | None = None
    refresh_days: int | None = None

    @property
    def due(self) -> datetime | None:
        """The moment the item is due (end of the day when no time is given)."""
        if self.due_date is None:
            return None
        return datetime.combine(self.due_date, self.due_time or END_OF_DAY)

    @property
    def closed(self) -> bool:
        return self.status in CLOSED

    def is_overdue(self, today: date | datetime) -> bool:
        """Due moment passed and neither done nor n/a."""
        due = self.due
        return not self.closed and due is not None and _moment(today) > due

    @property
    def label(self) -> str:
        """The title with its subject: ``Chronology (C014)``."""
        if self.subject is None:
            return self.title
        if self.per == "tracked":
            return f"{self.title} ({self.subject})"
        return f"{self.title}: {self.subject}"


@dataclass(frozen=True)
class Checklist:
    """The items of one case, in Annex A order."""

    kind: str
    local_area: str
    items: tuple[Item, ...]
    group_titles: Mapping[str, str]
    calendar: WorkingCalendar = field(default_factory=WorkingCalendar)
    #: Things the user should know (no children selected for tracking yet...).
    notes: tuple[str, ...] = ()

    def __iter__(self) -> Iterator[Item]:
        return iter(self.items)

    @property
    def heading(self) -> str:
        """``Annex A checklist``, ``Re-visit evidence checklist``...: what it holds."""
        return load_annex().heading(self.kind)

    def groups(self) -> list[tuple[str, list[Item]]]:
        """``(group title, items)`` in Annex A order, empty groups left out."""
        return [
            (title, [i for i in self.items if i.group == group])
            for group, title in self.group_titles.items()
            if any(i.group == group for i in self.items)
        ]

    def as_one(self, items: Sequence[Item]) -> list[tuple[Item, tuple[str, ...]]]:
        """Items repeated per child or area as one row, with whom they repeat for.

        A letter's list reads ``7.1 Multi-agency audit (UID-0042 and UID-0107)``
        once rather than once per child; each repetition keeps its own status
        in the checklist itself.  Rows are ``(first item, subjects)``.
        """
        rows: dict[tuple[str, str], tuple[Item, list[str]]] = {}
        for item in items:
            key = (item.base_id, item.event_id) if item.subject else (item.id, "")
            first, subjects = rows.setdefault(key, (item, []))
            if item.subject:
                subjects.append(item.subject)
        return [(first, tuple(subjects)) for first, subjects in rows.values()]

    def item(self, item_id: str) -> Item:
        for item in self.items:
            if item.id == item_id:
                return item
        raise UnknownItem(f"no checklist item {item_id!r}" + _hint(item_id, self.ids()))

    def ids(self) -> list[str]:
        return [i.id for i in self.items]

    def rag(self, item: Item, today: date | datetime) -> str:
        """``red`` overdue; ``amber`` open and due by the next working day; else ``green``."""
        if item.closed or item.due_date is None:
            return "green"
        if item.is_overdue(today):
            return "red"
        soon = self.calendar.next_working_day(_moment(today).date())
        return "amber" if item.due_date <= soon else "green"

    def overdue(self, today: date | datetime) -> list[Item]:
        return [i for i in self.items if i.is_overdue(today)]

    def due_today(self, today: date | datetime) -> list[Item]:
        """Open items due later today (not yet overdue)."""
        day = _moment(today).date()
        return [
            i for i in self.items if not i.closed and i.due_date == day and not i.is_overdue(today)
        ]

    def filter(
        self,
        owner: str | None = None,
        statuses: Sequence[str] = (),
        due_before: date | None = None,
    ) -> Checklist:
        """Only the items matching every filter given.

        ``owner`` matches case-insensitively anywhere in the owner (``none``
        matches items with no owner); ``due_before`` keeps items due on or
        before that date.
        """
        for status in statuses:
            check_status(status)
        kept = [
            i
            for i in self.items
            if _owner_matches(i.owner, owner)
            and (not statuses or i.status in statuses)
            and (due_before is None or (i.due_date is not None and i.due_date <= due_before))
        ]
        return replace(self, items=tuple(kept))

    def only(self, items: Iterable[Item]) -> Checklist:
        """This checklist with just ``items`` (e.g. the overdue ones)."""
        keep = {i.id for i in items}
        return replace(self, items=tuple(i for i in self.items if i.id in keep))

    def counts(self) -> dict[str, int]:
        """Items by status, every status present (zero when none)."""
        found = Counter(i.status for i in self.items)
        return {s: found.get(s, 0) for s in STATUSES}

    def counts_by_owner(self) -> dict[str, dict[str, int]]:
        """Items by owner (``(no owner)`` last) and status."""
        out: dict[str, dict[str, int]] = {}
        for item in self.items:
            key = item.owner or ""
            out.setdefault(key, {s: 0 for s in STATUSES})[item.status] += 1
        ordered = sorted(out, key=lambda k: (k == "", k.lower()))
        return {(k or "(no owner)"): out[k] for k in ordered}

    def to_json(self, today: date | datetime) -> dict[str, Any]:
        """The JSON document of ``sendplan checklist --format json`` (README)."""
        return {
            "local_area": self.local_area,
            "kind": self.kind,
            "today": _moment(today).isoformat(timespec="minutes"),
            "items": [item_json(self, i, today) for i in self.items],
            "overdue": [i.id for i in self.overdue(today)],
            "counts": self.counts(),
            "notes": list(self.notes),
        }


def item_json(checklist: Checklist, item: Item, today: date | datetime) -> dict[str, Any]:
    return {
        "id": item.id,
        "number": item.number,
        "group": item.group,
        "group_title": checklist.group_titles[item.group],
        "title": item.label,
        "short": item.short,
        "description": item.description,
        "source": item.source,
        "event_id": item.event_id,
        "due_date": item.due_date.isoformat() if item.due_date else None,
        "due_time": clock_text(item.due_time) if item.due_time else None,
        "due_approximate": item.due_approximate,
        "due_relative": item.due_relative,
        "owner": item.owner,
        "status": item.status,
        "note": item.note,
        "updated": item.updated.isoformat() if item.updated else None,
        "refreshed": item.refreshed.isoformat() if item.refreshed else None,
        "rag": checklist.rag(item, today),
        "overdue": item.is_overdue(today),
    }


def build_checklist(case: Case, schedule: Schedule | None) -> Checklist:
    """Every Annex A item of the case's kind, dated by ``schedule``'s events.

    Items 7.1-7.7 repeat for each Unique ID in ``tracking.selected`` (para
    206); monitoring and re-visit evidence repeats for each area the case
    lists (paras 161, 166; re-visit guidance paras 12, 15).  A monitoring case
    may narrow Annex A with ``[checklist] include`` (para 192).  Without a
    schedule (a case without dates, issue 23) each deadline is said relative
    to notification, from the rules.
    """
    from sendplan.rules import load_rules
    from sendplan.schedule import case_calendar

    annex = load_annex()
    kind = case.kind
    settings = case.checklist
    items: list[Item] = []
    notes: list[str] = []
    in_annex = {g.id for g in annex.groups if g.annex}
    # Inspectors "may request some or all of the Annex A information for
    # monitoring inspections" (para 192): only the items the case says were
    # requested; the evidence of progress is always asked for (paras 161, 166).
    requested_only = kind == "monitoring"
    if requested_only and not settings.include:
        notes.append(
            "Inspectors may request some or all of the Annex A information for a monitoring "
            "inspection (handbook para 192), and ask only for what the partnership produces "
            "as part of its routine practice (para 165): list the items requested in "
            '`[checklist] include` (e.g. ["list-*", "1.*"]) to track them here.'
        )
    for spec in annex.for_kind(kind):
        chosen = any(fnmatch.fnmatchcase(spec.id, p) for p in settings.include)
        if requested_only and spec.group in in_annex and not chosen:
            continue
        source = per_source(spec, kind)
        if source is None:
            repeats: list[tuple[str | None, str | None]] = [(None, None)]
        else:
            values = tuple(key_value(case, source) or ())
            repeats = [(k, s) for k, s in repeat_keys(spec, kind, values)]
            if not values:
                note = _empty_note(spec.group, source, annex.groups)
                if note not in notes:
                    notes.append(note)
        event = schedule.by_id.get(spec.due[kind]) if schedule is not None else None
        relative = relative_due(load_rules(kind), spec.due[kind]) if schedule is None else None
        items.extend(
            _item(spec, kind, event, settings, key, subject)._replace(due_relative=relative)
            for key, subject in repeats
        )
    titles = {g.id: g.title for g in annex.groups_for_kind(kind)}
    calendar = schedule.calendar if schedule is not None else case_calendar(case)
    return Checklist(kind, case.local_area, tuple(items), titles, calendar, tuple(notes))


def relative_due(rules: RuleSet, event_id: str, day_one: str | None = None) -> str | None:
    """``notification + 1 working day, 11:00``: when ``event_id`` falls after
    ``day_one`` (by default the notification), whatever the dates
    (:func:`sendplan.rules.working_days_after`); None when the rules count it otherwise."""
    from sendplan.events import NOTIFICATION
    from sendplan.rules import working_days_after

    day_one = day_one or NOTIFICATION
    days = working_days_after(rules, event_id, day_one)
    if days is None:
        return None
    rule = rules.rule(event_id)
    text = day_one.replace("_", " ")
    if days:
        sign = "+" if days > 0 else "-"
        text += f" {sign} {plural(abs(days), 'working day')}"
    return f"{text}, {rule.time}" if rule.time else text


def _item(
    spec: ItemSpec,
    kind: str,
    event: Event | None,
    settings: ChecklistSettings,
    key: str | None,
    subject: str | None,
) -> Item:
    """One item of ``spec`` (for the child or area ``key``, when it repeats), with
    the status the case file records for it and the date of the event it is due by."""
    item_id = spec.id if key is None else f"{spec.id}:{key}"
    state = settings.items.get(item_id, ItemState())
    number = spec.number
    if key is not None and spec.per == "areas":
        number = f"{spec.number}{key}"
    return Item(
        id=item_id,
        number=number,
        group=spec.group,
        title=spec.title,
        short=spec.short,
        description=spec.description,
        source=spec.source,
        event_id=spec.due[kind],
        due_date=event.date if event else None,
        due_time=event.time if event else None,
        owner=state.owner or settings.owners.get(spec.group),
        status=state.status,
        note=state.note,
        updated=state.updated,
        refreshed=state.refreshed,
        refresh_days=state.refresh_days,
        base_id=spec.id,
        subject=subject,
        per=spec.per if key is not None else None,
        due_approximate=bool(event and event.approximate),
    )


def _empty_note(group: str, source: str, groups: Iterable[Any]) -> str:
    title = next(g.title for g in groups if g.id == group)
    return f"{title}: items appear once the case file lists them in `{source}`."


def _owner_matches(owner: str | None, wanted: str | None) -> bool:
    if wanted is None:
        return True
    if wanted.lower() == "none":
        return owner is None
    return owner is not None and wanted.lower() in owner.lower()


def _moment(today: date | datetime) -> datetime:
    if isinstance(today, datetime):
        return today
    return datetime.combine(today, time(0))


def check_status(status: str) -> None:
    """:class:`UsageError` (naming the ``status`` parameter) unless ``status`` is one."""
    if status not in STATUSES:
        reason = f"is not a status (one of {', '.join(STATUSES)})" + _hint(status, STATUSES)
        raise UsageError(reason, option="status", value=status)


def _hint(word: str, candidates: Iterable[str]) -> str:
    close = did_you_mean(word, list(candidates), n=3)
    return f" (did you mean {' or '.join(close)}?)" if close else ""


# ------------------------------------------------------------------ matching
def match_items(checklist: Checklist, patterns: Sequence[str]) -> list[str]:
    """The item ids ``patterns`` name, in checklist order.

    A pattern is an id (``1.1``), a glob (``1.*``, ``7.*:C014``) or the base id
    of a repeated item (``7.2`` means 7.2 for every tracked child).  A pattern
    that matches nothing raises :class:`UnknownItem` with the nearest ids.
    """
    ids = checklist.ids()
    chosen: set[str] = set()
    for pattern in patterns:
        found = [
            i.id
            for i in checklist.items
            if fnmatch.fnmatchcase(i.id, pattern) or (i.subject and i.base_id == pattern)
        ]
        if not found:
            raise UnknownItem(
                f"no checklist item matches {pattern!r}"
                + _hint(pattern, dict.fromkeys(ids + [i.base_id for i in checklist.items]))
                + "; `sendplan checklist CASE` lists the ids"
            )
        chosen.update(found)
    return [i for i in ids if i in chosen]
