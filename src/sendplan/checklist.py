"""The Annex A checklist: every item with its deadline, owner and status.

:func:`build_checklist` takes a case and its computed schedule.  Each item's
due date and time *are* its schedule event's (``person_level_data_due``,
``end_of_week1_information_due``...), so the checklist can never disagree
with ``sendplan schedule``.  Statuses and owners come from the case file's
``[checklist]``; :func:`mark_items` records them with ``files.update_case``.

Nothing here reads the clock: red/amber/green, overdue and the status
dashboard take ``today`` as an argument.
"""

from __future__ import annotations

import fnmatch
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

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
from sendplan.dates import END_OF_DAY, date_text
from sendplan.errors import UnknownItem, UsageError, did_you_mean
from sendplan.schema import key_value

if TYPE_CHECKING:
    from tomlkit import TOMLDocument

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
        "due_time": item.due_time.strftime("%H:%M") if item.due_time else None,
        "due_approximate": item.due_approximate,
        "owner": item.owner,
        "status": item.status,
        "note": item.note,
        "updated": item.updated.isoformat() if item.updated else None,
        "rag": checklist.rag(item, today),
        "overdue": item.is_overdue(today),
    }


def build_checklist(case: Case, schedule: Schedule) -> Checklist:
    """Every Annex A item of the case's kind, dated by ``schedule``'s events.

    Items 7.1-7.7 repeat for each Unique ID in ``tracking.selected`` (para
    206); monitoring and re-visit evidence repeats for each area the case
    lists (paras 161, 166; re-visit guidance paras 12, 15).  A monitoring case
    may narrow Annex A with ``[checklist] include`` (para 192).
    """
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
        event = schedule.by_id.get(spec.due[kind])
        items.extend(_item(spec, kind, event, settings, key, subject) for key, subject in repeats)
    titles = {g.id: g.title for g in annex.groups_for_kind(kind)}
    return Checklist(kind, case.local_area, tuple(items), titles, schedule.calendar, tuple(notes))


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


# ------------------------------------------------------------------ mark
class MarkResult(NamedTuple):
    ids: tuple[str, ...]
    changed: tuple[str, ...]
    case: Case


def mark_items(
    path: Path,
    patterns: Sequence[str],
    status: str,
    *,
    now: datetime,
    note: str | None = None,
    owner: str | None = None,
) -> MarkResult:
    """Record ``status`` (and a note or owner) for the items ``patterns`` name.

    Goes through :func:`sendplan.files.update_case`: under the case file's
    lock, keeping comments and order, validated before an atomic write.
    ``updated`` is set to ``now`` when an item's status changes.  An empty
    ``note`` or ``owner`` removes it.
    """
    import tomlkit

    from sendplan.case import parse_case
    from sendplan.case.editing import update_case
    from sendplan.schedule import build_schedule

    path = Path(path)
    check_status(status)
    from sendplan.child_ids import find_child_number, number_message
    from sendplan.schema import text_problem

    for option, text in (("note", note), ("owner", owner)):
        if text and (kind := find_child_number(text)):  # refused, never echoed
            raise UsageError(f"the {option} " + number_message(kind))
        problem = text_problem(text, controls=True) if text else None  # free text (FREE_TEXT)
        if problem:
            raise UsageError(problem, option=option, value=_printable(text or ""))
    ids: list[str] = []
    changed: list[str] = []

    def change(document: TOMLDocument) -> None:
        # Match under the lock, on the file as it is now: another `mark` or a
        # new tracking selection may have landed since we were started.
        case = parse_case(tomlkit.dumps(document), path)
        checklist = build_checklist(case, build_schedule(case))
        ids.extend(match_items(checklist, patterns))
        # tomlkit misplaces a new table under dotted keys (`[checklist]` then
        # `items."1.2".status = ...`); there, inline tables land instead.
        inline = not _tables_land(document)
        # The comments just above the header that follows the checklist belong
        # to that header: lift them off before adding tables, put them back after.
        heading = [] if inline else _next_header_comments(document)
        table = _items_table(document)
        stamp = now.replace(second=0, microsecond=0)
        last: Any = None
        for item_id in ids:
            old = case.checklist.items.get(item_id, ItemState())
            if old.status != status or old.updated is None:
                changed.append(item_id)
            entry = table.get(item_id)
            if entry is not None:
                _update_entry(entry, status, stamp if item_id in changed else None, owner, note)
                continue
            entry = tomlkit.inline_table() if inline else tomlkit.table()
            _update_entry(entry, status, stamp, owner, note)
            if not inline:
                entry.add(tomlkit.nl())  # a blank line before whatever follows
            table[item_id] = entry
            last = entry
        for comment in heading:
            (last if last is not None else _last_table(document["checklist"])).add(comment)

    case = update_case(path, change)
    return MarkResult(tuple(ids), tuple(changed), case)


def _printable(text: str) -> str:
    """``text`` safe to echo in a message: invalid bytes shown as escapes, shortened."""
    shown = text.encode("utf-8", "backslashreplace").decode("utf-8")
    return shown if len(shown) <= 40 else shown[:37] + "..."


def _update_entry(
    entry: Any, status: str, updated: datetime | None, owner: str | None, note: str | None
) -> None:
    """Set one item's keys in its TOML table; an empty owner or note removes it."""
    entry["status"] = status
    if updated is not None:
        entry["updated"] = updated
    for key, value in (("owner", owner), ("note", note)):
        if value == "" and key in entry:
            del entry[key]
        elif value:
            entry[key] = value


def _tables_land(document: TOMLDocument) -> bool:
    """Whether a new ``[checklist.items."<id>"]`` table lands where it should,
    tried on a copy of ``document``."""
    import tomllib

    import tomlkit

    trial = tomlkit.parse(tomlkit.dumps(document))
    probe = tomlkit.table()
    probe["status"] = "done"
    _items_table(trial)["probe"] = probe
    written = tomllib.loads(tomlkit.dumps(trial))
    return "probe" in written.get("checklist", {}).get("items", {})


def _last_table(table: Any) -> Any:
    """The table written last in the file among ``table`` and the tables under it."""
    from tomlkit.items import Table

    tables = [value for _, value in table.value.body if isinstance(value, Table)]
    return _last_table(tables[-1]) if tables else table


def _next_header_comments(document: TOMLDocument) -> list[Any]:
    """Remove and return the comment lines that end the checklist's last table after
    a blank line: in the file they stand just above the next section's header
    (``# Dates as they really happened...`` before ``[dates]``), so new item tables
    must go before them, not between them and their header."""
    from tomlkit.items import Comment, Table, Whitespace

    checklist = document.get("checklist")
    if not isinstance(checklist, Table):
        return []
    body = _last_table(checklist).value.body
    start = len(body)
    while start > 0 and body[start - 1][0] is None and isinstance(body[start - 1][1], Comment):
        start -= 1
    blank = start > 0 and isinstance(body[start - 1][1], Whitespace)
    if start == len(body) or not blank:
        return []  # no comments, or comments under the last key (a commented-out key)
    comments = [item for _, item in body[start:]]
    del body[start:]
    return comments


def _items_table(document: TOMLDocument) -> Any:
    """``[checklist.items]``, created as a super-table so only the per-item
    headers (``[checklist.items."1.1"]``) appear in the file."""
    import tomlkit

    checklist = document.get("checklist")
    if checklist is None:
        checklist = tomlkit.table(is_super_table=True)
        document["checklist"] = checklist
    items = checklist.get("items")
    if items is None:
        items = tomlkit.table(is_super_table=True)
        checklist["items"] = items
    return items


# ------------------------------------------------------------------ status
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
