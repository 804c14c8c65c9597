"""The plan on a page (issue 14): the data of ``sendplan overview``.

:func:`build_overview` gathers, for one case and one moment ``today``, what a
partnership board reads on the page: the timeline of the inspection (weeks 1
to 3 and the report period, lanes by who acts, closures, the survey window),
the Annex A status board, the tracking selection's size and para 92 mix, and
what comes after (the report's steps, the record's timings, plans due).

:meth:`Overview.to_json` is both ``--format json`` and the only input of the
HTML page (``sendplan.render.overview``), so the page can never show a fact
the JSON does not hold.  Every date comes from the schedule with its
paragraph; nothing here reads the clock, prints, or holds a child's details:
tracking is counts and rule titles only.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sendplan.annex import STATUSES
from sendplan.checklist import Checklist, next_events, stage_on
from sendplan.dates import WEEKDAYS, clock_text
from sendplan.events import ON_SITE_END, ON_SITE_START
from sendplan.rules import ROLES, Lane, load_lanes

if TYPE_CHECKING:
    from sendplan.case import Case
    from sendplan.history import Record
    from sendplan.lists import Child
    from sendplan.readiness import Readiness
    from sendplan.schedule import Event, Schedule
    from sendplan.timetable.results import Booked

#: The page's swim lanes (``data/lanes.toml``): who acts, grouped as a board
#: reads it (issue 14).  An event is drawn in every lane one of its actors belongs to.
LANES: tuple[Lane, ...] = load_lanes()

RAG_ORDER = ("red", "amber", "green")

#: The page's sections, in order (issue 21).  :func:`sections_of` picks those
#: that apply to a case; the template draws each by its id.  A new section (the
#: unplaced sessions of an incomplete timetable, issue 19; readiness for a case
#: without dates, issue 23) is an id here, a rule in :func:`sections_of`, its
#: data in :meth:`Overview.to_json` and a macro in the template.
SECTIONS: tuple[str, ...] = (
    "summary",
    "readiness",
    "timeline",
    "checklist",
    "tracking",
    "timetable",
    "after",
    "warnings",
)
#: How many past events the summary recalls, and how many coming rows it names.
SUMMARY_PAST = 3
SUMMARY_NEXT = 4


# ------------------------------------------------------------------ records
@dataclass(frozen=True)
class TrackingMix:
    """Para 92's rules over the children selected, as counts: never who."""

    checked: bool
    #: (rule title, how many of the selected meet it, how many it needs).
    rules: tuple[tuple[str, int, int], ...] = ()
    #: Selected Unique IDs not found among the usable rows of the lists (a count).
    not_in_lists: int = 0

    @property
    def holds(self) -> bool | None:
        if not self.checked:
            return None
        return all(have >= need for _, have, need in self.rules) and not self.not_in_lists

    def to_json(self) -> dict[str, Any]:
        return {
            "checked": self.checked,
            "holds": self.holds,
            "rules": [
                {"rule": title, "selected": have, "need": need, "met": have >= need}
                for title, have, need in self.rules
            ],
            "not_in_lists": self.not_in_lists,
        }


@dataclass(frozen=True)
class TimetableDay:
    """One day of a saved timetable, as the page's grid shows it: counts and hours
    only (a session's title may name a tracked child's Unique ID)."""

    date: date
    sessions: int
    in_person: int
    first_start: time | None
    last_end: time | None

    def to_json(self) -> dict[str, Any]:
        return {
            "date": self.date.isoformat(),
            "weekday": WEEKDAYS[self.date.weekday()],
            "sessions": self.sessions,
            "in_person": self.in_person,
            "first_start": _hhmm(self.first_start),
            "last_end": _hhmm(self.last_end),
        }


def timetable_days(sessions: Iterable[tuple[date, time, time, bool]]) -> list[TimetableDay]:
    """Days of a saved timetable from its sessions' ``(date, start, end, in person)``."""
    by_day: dict[date, list[tuple[date, time, time, bool]]] = {}
    for session in sessions:
        by_day.setdefault(session[0], []).append(session)
    return [
        TimetableDay(
            day,
            len(rows),
            sum(r[3] for r in rows),
            min(r[1] for r in rows),
            max(r[2] for r in rows),
        )
        for day, rows in sorted(by_day.items())
    ]


def read_saved_timetable(
    case: Case, path: Path | None = None
) -> tuple[Path, dict[str, Booked]] | None:
    """The saved timetable (``sendplan timetable --save``) the page shows, read once:
    ``path``, else the case's ``[timetable] saved`` when that file exists; None when
    there is none."""
    saved = path or case.timetable.saved
    if saved is None or (path is None and not saved.exists()):
        return None
    from sendplan.timetable.saved import load_saved

    return saved, load_saved(saved, case.local_area, case.kind)


def saved_timetable(case: Case, path: Path | None = None) -> list[TimetableDay] | None:
    """The days of the saved timetable (:func:`read_saved_timetable`), or None."""
    saved = read_saved_timetable(case, path)
    return saved_days(saved[1]) if saved else None


def saved_days(booked: Mapping[str, Booked]) -> list[TimetableDay]:
    """The days of a saved timetable, as the page's grid shows them."""

    def clock(minutes: int) -> time:
        return time(minutes // 60, minutes % 60)

    return timetable_days(
        (b.date, clock(b.start), clock(b.end), b.mode == "in_person") for b in booked.values()
    )


@dataclass(frozen=True)
class Overview:
    """Everything the page shows; :meth:`to_json` is the page's only input."""

    schedule: Schedule
    checklist: Checklist
    today: datetime
    mix: TrackingMix
    timetable: tuple[TimetableDay, ...] | None = None
    source_name: str = ""
    #: The saved timetable's session ids: its per-child sessions make the page's
    #: file owner-only (``sendplan.cli.base.tracked_ids``), read with the page.
    session_ids: tuple[str, ...] = ()

    @property
    def warnings(self) -> tuple[str, ...]:
        return self.schedule.warnings

    def to_json(self) -> dict[str, Any]:
        schedule = self.schedule
        case = schedule.case
        data = {
            "local_area": case.local_area,
            "kind": case.kind,
            "title": schedule.rules.title,
            "case_file": self.source_name,
            "today": self.today.isoformat(timespec="minutes"),
            "day": schedule.day_of(self.today.date()),
            "stage": stage_on(schedule, self.today.date()),
            "outcome": case.inspection.outcome,
            "timeline": timeline_json(schedule, self.today),
            **coming_up_json(schedule.events, self.today, schedule.rules.milestones),
            "checklist": _board(self.checklist, self.today),
            "tracking": tracking_json(case.tracking.selected, case.tracking.reserves, self.mix),
            "timetable": (
                None if self.timetable is None else [d.to_json() for d in self.timetable]
            ),
            "after": after_json(schedule),
            "warnings": list(schedule.warnings),
        }
        data["summary"] = summary_json(data, self.today)
        data["sections"] = sections_of(data, has_tracking=_has_tracking(schedule))
        return data


def _board(checklist: Checklist, today: datetime) -> dict[str, Any]:
    """The page's checklist: what it holds (data/annex_a.toml [headings]), in a
    sentence too, and its board (:func:`board_json`)."""
    heading = checklist.heading
    return {"title": heading, "name": f"the {_in_sentence(heading)}"} | board_json(checklist, today)


def _in_sentence(heading: str) -> str:
    """``Re-visit evidence checklist`` as a sentence has it; "Annex A" keeps its capital."""
    return heading if heading.startswith("Annex") else heading[:1].lower() + heading[1:]


def _has_tracking(schedule: Schedule) -> bool:
    """Whether this kind selects children for tracking meetings (handbook paras 90-98):
    its rules have the selection, or the case names children anyway."""
    return schedule.get("tracking_selection") is not None or bool(schedule.case.tracking.selected)


def sections_of(data: dict[str, Any], *, has_tracking: bool) -> list[str]:
    """The sections of :data:`SECTIONS` this page shows: only those that apply.  A
    case without dates (issue 23) has no timeline: its readiness instead."""
    timeline, after = data["timeline"], data.get("after")
    applies = {
        "summary": timeline is not None,
        "readiness": data.get("readiness") is not None,
        "timeline": bool(timeline and timeline["events"]),
        "checklist": data["checklist"]["total"] > 0,
        "tracking": has_tracking,
        "timetable": data.get("timetable") is not None,
        "after": bool(
            after
            and (after["steps"] or after["other"] or after["plans"] or after["plans_expected"])
        ),
        "warnings": bool(data["warnings"]),
    }
    return [s for s in SECTIONS if applies.get(s, False)]


# ------------------------------------------------------------------ the summary
def summary_json(data: dict[str, Any], today: datetime) -> dict[str, Any]:
    """The page's opening, in plain words: what has happened, what happens next,
    and what the board is asked for (sendplan's reading of the checklist and the
    warnings; each ask gives its paragraph or where it comes from)."""
    events = data["timeline"]["events"]
    when, now = today.date().isoformat(), clock_text(today)
    # Begun before now: an earlier day, or earlier today by its time.  What is
    # still to come today leads "what happens next" (status's "next" starts tomorrow).
    past = [
        e
        for e in events
        if e["date"] < when or (e["date"] == when and (e["time"] or "") <= now and e["time"])
    ]
    later_today = [e for e in events if e["date"] == when and e not in past]
    board = data["checklist"]
    asks: list[dict[str, Any]] = []
    red = board["rag"]["red"]
    if red:
        owners = [o for o in board["owners"] if o["overdue_items"]]
        asks.append(
            {
                "id": "overdue",
                "count": red,
                "owners": [{"owner": o["owner"], "count": o["rag"]["red"]} for o in owners],
                # Each item's deadline comes from its rule, with its paragraph.
                "source": f"{board['name']}: each item's deadline and paragraph",
            }
        )
    open_items = [
        o for o in board["owners"] if o["owner"] is None and o["total"] > o["status"]["done"]
    ]
    unowned = sum(o["total"] - o["status"]["done"] - o["status"]["n/a"] for o in open_items)
    if unowned > 0:
        asks.append({"id": "no_owner", "count": unowned, "source": "the case file's checklist"})
    mix = data["tracking"]["mix"]
    if mix["checked"] and not mix["holds"]:
        asks.append({"id": "mix", "count": 1, "source": data["tracking"]["mix_source"]})
    if data["warnings"]:
        asks.append(
            {"id": "warnings", "count": len(data["warnings"]), "source": "the schedule's warnings"}
        )
    first = min(events, key=lambda e: e["date"]) if events else None
    return {
        "happened": past[-SUMMARY_PAST:],
        "first": first,
        "next": [*later_today, *data["coming_up"]][:SUMMARY_NEXT],
        "asks": asks,
    }


def build_overview(
    schedule: Schedule,
    checklist: Checklist,
    today: datetime,
    *,
    children: Sequence[Child] | None = None,
    timetable: Sequence[TimetableDay] | None = None,
    source_name: str = "",
    session_ids: Sequence[str] = (),
) -> Overview:
    """The page's data for ``today``.

    ``children`` are the usable rows of Lists 1 and 2 when given: the para 92
    mix of ``tracking.selected`` is then checked (counts only); without them
    the page says the mix was not checked.  ``timetable`` is the saved
    timetable's days, when there is one.
    """
    selected = schedule.case.tracking.selected
    mix = tracking_mix(selected, children) if children is not None else TrackingMix(False)
    days = None
    if timetable is not None:
        # The on-site days (para 122); week 2's off-site sessions stay in `sendplan timetable`.
        first, last = schedule.get(ON_SITE_START), schedule.get(ON_SITE_END)
        days = tuple(
            d
            for d in timetable
            if (first is None or d.date >= first.date) and (last is None or d.date <= last.date)
        )
    return Overview(schedule, checklist, today, mix, days, source_name, tuple(session_ids))


@dataclass(frozen=True)
class BeforeTheCall:
    """The page of a case without dates (issue 23): the readiness section (the
    weeks the call may come, coloured by risk, and the stale evidence by owner)
    and the Annex A board, its deadlines relative to notification."""

    case: Case
    checklist: Checklist
    readiness: Readiness
    today: datetime
    source_name: str = ""
    warnings: tuple[str, ...] = ()
    #: No timetable is placed before the call: no session names a child.
    session_ids: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        from sendplan.rules import load_rules

        case = self.case
        data = {
            "local_area": case.local_area,
            "kind": case.kind,
            "title": load_rules(case.kind).title,
            "case_file": self.source_name,
            "today": self.today.isoformat(timespec="minutes"),
            "day": None,
            "stage": "Before the call: no inspection dates yet",
            "outcome": case.inspection.outcome,
            "timeline": None,
            "checklist": _board(self.checklist, self.today),
            "readiness": self.readiness.to_json(),
            "warnings": list(self.warnings),
        }
        data["sections"] = sections_of(data, has_tracking=False)
        return data


def case_overview(
    case: Case,
    today: datetime,
    record: Record,
    *,
    children: Sequence[Child] | None = None,
    timetable_file: Path | None = None,
    source_name: str = "",
) -> Overview | BeforeTheCall:
    """The page's data for a case: its schedule with what the inspection ``record``
    shows (``sendplan.history``), its checklist, its saved timetable
    (:func:`read_saved_timetable`, read once), and :func:`build_overview`; for a case without
    dates, :class:`BeforeTheCall`."""
    from sendplan.checklist import build_checklist
    from sendplan.history import annotate_schedule
    from sendplan.schedule import build_schedule
    from sendplan.timetable.meetings import match, one_entry_per_meeting

    if not case.has_dates:
        from sendplan.readiness import build_readiness

        report = build_readiness(case, today.date(), record=record)
        checklist = build_checklist(case, None)
        warnings = (*case.warnings, *report.notes)
        return BeforeTheCall(case, checklist, report, today, source_name, warnings)

    plan = annotate_schedule(build_schedule(case), record)
    saved = read_saved_timetable(case, timetable_file)
    booked = saved[1] if saved else {}
    # One entry per meeting: a meeting the saved timetable books at its booking.
    meetings = match(plan, booked, saved[0].name) if saved else None
    return build_overview(
        one_entry_per_meeting(plan, meetings),
        build_checklist(case, plan),
        today,
        children=children,
        timetable=saved_days(booked) if saved else None,
        source_name=source_name,
        session_ids=tuple(booked),
    )


# ------------------------------------------------------------------ timeline
def lanes_of(who: Iterable[str]) -> list[str]:
    """The lanes an event is drawn in, in :data:`LANES` order."""
    actors = set(who)
    return [lane.id for lane in LANES if actors.intersection(lane.roles)]


def mark_of(event: Event) -> str:
    """``window`` (has an end), ``deadline`` (a time, or a due date) or ``event``."""
    if event.end_date is not None:
        return "window"
    if event.booked:  # a meeting at its booked time, not a deadline
        return "event"
    if event.time is not None or event.id.endswith(("_due", "_deadline")):
        return "deadline"
    return "event"


def event_json(event: Event, milestones: Mapping[str, str]) -> dict[str, Any]:
    """An event as the page shows it: when, what, who, which lanes, its paragraph;
    its short name when it is one of the rules' ``milestones``."""
    return {
        "id": event.id,
        "title": event.title,
        "date": event.date.isoformat(),
        "weekday": WEEKDAYS[event.date.weekday()],
        "time": _hhmm(event.time),
        "end_date": event.end_date.isoformat() if event.end_date else None,
        "day": event.day,
        "who": [ROLES[w] for w in event.who],
        "lanes": lanes_of(event.who),
        "mark": mark_of(event),
        "label": milestones.get(event.id),
        "source": event.source,
        "approximate": event.approximate,
        "recorded": event.recorded,
    }


def band_events(schedule: Schedule) -> list[Event]:
    """The events of the inspection proper and its report (not background or follow-up)."""
    context = {s.id for s in schedule.rules.stages if s.context} | {"follow_up"}
    return [e for e in schedule.events if e.stage not in context]


def timeline_json(schedule: Schedule, today: datetime) -> dict[str, Any]:
    """The band: its days (day numbers, closures), stages, lanes, marks and today."""
    events = band_events(schedule)
    milestones = schedule.rules.milestones
    start, end = schedule.span
    stages = _stage_bands(schedule, events, end)
    days = []
    for offset in range((end - start).days + 1):
        day = start + timedelta(days=offset)
        days.append(
            {
                "date": day.isoformat(),
                "weekday": WEEKDAYS[day.weekday()],
                "day": schedule.day_of(day),
                "working": schedule.calendar.is_working_day(day),
                "closure": _closure(schedule, day),
            }
        )
    # The report period is drawn narrower than the weeks of the inspection: it
    # is long and sparse, and the weeks are where a board needs detail.
    split = next((s["start"] for s in stages if s["id"] == "after"), None)
    when = today.date()
    position = "before" if when < start else "after" if when > end else "within"
    return {
        "start": start.isoformat(),
        "end": end.isoformat(),
        "split": split if split and split > start.isoformat() else None,
        "stages": stages,
        "days": days,
        "closures": [
            {"date": d.isoformat(), "name": n, "source": _CLOSURE_SOURCE}
            for d, n in schedule.closures()
        ],
        "lanes": [{"id": lane.id, "label": lane.label} for lane in LANES],
        # Numbered in date order: the page writes each number beside its mark
        # and in the list of dates under the timeline (never hover-only).
        "events": [
            {**event_json(e, milestones), "number": n}
            for n, e in enumerate(sorted(events, key=_date_order), start=1)
        ],
        "survey": _survey_window(events),
        "today": {"moment": today.isoformat(timespec="minutes"), "position": position},
    }


_CLOSURE_SOURCE = "England and Wales bank holidays; the case's calendar.extra_closures"


def _date_order(event: Event) -> tuple[date, time]:
    return event.date, event.time or time(0, 0)


def _closure(schedule: Schedule, day: date) -> str | None:
    if day.weekday() >= 5:
        return None
    return schedule.calendar.why_not_working(day)


def _stage_bands(schedule: Schedule, events: Sequence[Event], end: date) -> list[dict[str, Any]]:
    """Each stage as a band: to its last event (or the day before the next stage's
    first), the next one from the working day after; the last stage to ``end``.

    A re-visit's letter comes weeks after the last on-site day: its report
    period starts when on site ends, not at the letter.
    """
    spans: list[tuple[str, str, date, date]] = []
    for stage in schedule.rules.stages:
        mine = [e for e in events if e.stage == stage.id]
        if mine:
            first = min(e.date for e in mine)
            last = max(e.end_date or e.date for e in mine)
            spans.append((stage.id, stage.title, first, last))
    spans.sort(key=lambda s: s[2])
    bands: list[dict[str, Any]] = []
    previous_end: date | None = None
    for index, (stage_id, title, first, last) in enumerate(spans):
        start = first
        if previous_end is not None:
            start = min(first, schedule.calendar.next_working_day(previous_end))
        if index + 1 < len(spans):
            following = spans[index + 1][2]
            stop = min(last, following - timedelta(days=1)) if following > start else start
        else:
            stop = max(end, start)
        bands.append(
            {
                "id": stage_id,
                "title": title,
                "short": title.split(":")[0],
                "start": start.isoformat(),
                "end": max(start, stop).isoformat(),
            }
        )
        previous_end = max(start, stop)
    return bands


def _survey_window(events: Sequence[Event]) -> dict[str, Any] | None:
    """The surveys' window: a ``*survey*_open`` event to its ``_close`` (para 88-89)."""
    by_id = {e.id: e for e in events}
    for event in events:
        if "survey" not in event.id or not event.id.endswith(("_open", "_opens")):
            continue
        stem = event.id.rsplit("_", 1)[0]
        close = by_id.get(f"{stem}_close") or by_id.get(f"{stem}_closes")
        if close is None:
            continue
        return {
            "title": "Survey window",
            "start": event.date.isoformat(),
            "start_time": _hhmm(event.time),
            "end": close.date.isoformat(),
            "end_time": _hhmm(close.time),
            "source": f"{event.source}; {close.source}",
            "open_id": event.id,
            "close_id": close.id,
        }
    return None


def coming_up_json(
    events: Iterable[Event], today: datetime, milestones: Mapping[str, str]
) -> dict[str, Any]:
    """What comes next, as ``sendplan status`` has it (after today, a repeated meeting
    one row): ``next_events`` one per occurrence, ``coming_up`` the page's rows, a
    repeated meeting's with its ``series`` (``each on-site day, Mon 12 - Fri 16 May``)."""
    from sendplan.schedule import as_series, series_text

    upcoming = next_events(events, today.date())
    return {
        "next_events": [event_json(e, milestones) for e in upcoming],
        "coming_up": [
            {**event_json(row, milestones), "series": series_text(row) or None}
            for row in as_series(upcoming)
        ],
    }


# ------------------------------------------------------------------ Annex A board
def board_json(checklist: Checklist, today: datetime) -> dict[str, Any]:
    """Counts by group and owner (status and red/amber/green), overdue items named."""
    rag = {item.id: checklist.rag(item, today) for item in checklist.items}

    def counts(items: Sequence[Any]) -> dict[str, Any]:
        return {
            "total": len(items),
            "status": {s: sum(i.status == s for i in items) for s in STATUSES},
            "rag": {r: sum(rag[i.id] == r for i in items) for r in RAG_ORDER},
        }

    groups = [
        {"group": group, "title": title, **counts([i for i in checklist.items if i.group == group])}
        for group, title in checklist.group_titles.items()
        if any(i.group == group for i in checklist.items)
    ]
    owners: dict[str, list[Any]] = {}
    for item in checklist.items:
        owners.setdefault(item.owner or "", []).append(item)
    by_owner = [
        {
            "owner": owner or None,
            **counts(items),
            # By number: a tracked child's item (7.1-7.7) once for all the children.
            "overdue_items": list(dict.fromkeys(i.number for i in items if rag[i.id] == "red")),
            "due_soon_items": list(dict.fromkeys(i.number for i in items if rag[i.id] == "amber")),
        }
        for owner, items in sorted(owners.items(), key=lambda kv: (kv[0] == "", kv[0].lower()))
    ]

    def named(wanted: str) -> list[dict[str, Any]]:
        """The items of one colour, one line each; a tracked child's items (7.1-7.7,
        para 206) one line per item for all the children, counted: a board paper
        never carries a child's Unique ID."""
        lines: dict[tuple[str, str | None, str | None], dict[str, Any]] = {}
        for item in checklist.items:
            if rag[item.id] != wanted:
                continue
            tracked = item.per == "tracked"
            due = item.due.isoformat() if item.due else None
            key = (item.base_id if tracked else item.id, item.owner, due)
            if key in lines:
                lines[key]["items"] += 1
                continue
            lines[key] = {
                "id": f"{item.base_id}:tracked" if tracked else item.id,
                "number": item.number,
                "title": item.title if tracked else item.label,
                "items": 1,
                "tracked": tracked,
                "owner": item.owner,
                "due_date": item.due_date.isoformat() if item.due_date else None,
                "due_time": _hhmm(item.due_time),
                "source": item.source,
                "status": item.status,
            }
        return list(lines.values())

    return {
        "today": today.isoformat(timespec="minutes"),
        **counts(list(checklist.items)),
        "groups": groups,
        "owners": by_owner,
        "overdue": named("red"),
        "due_soon": named("amber"),
        "notes": list(checklist.notes),
    }


# ------------------------------------------------------------------ tracking
def tracking_mix(selected: Sequence[str], children: Sequence[Child]) -> TrackingMix:
    """How many of the ``selected`` meet each rule of para 92 (counts, never ids)."""
    from sendplan.tracking import HARD_RULES

    chosen = set(selected)
    found = [c for c in children if c.id in chosen]
    rules = tuple((rule.title, sum(rule.test(c) for c in found), rule.need) for rule in HARD_RULES)
    return TrackingMix(True, rules, len(chosen - {c.id for c in found}))


def tracking_json(
    selected: Sequence[str], reserves: Sequence[str], mix: TrackingMix
) -> dict[str, Any]:
    # "Approximately 6 children and young people" (para 90) and the mix (para 92),
    # each with its paragraph, from data/lists.toml.
    from sendplan.lists.codes import NUMBERS

    choice, mix_rules = NUMBERS["choice"], NUMBERS["tracking"]
    return {
        "selected": len(selected),
        "reserves": len(reserves),
        "usual": int(choice["count"]),
        "usual_source": choice["count_source"],
        "mix_source": mix_rules["source"],
        "mix": mix.to_json(),
    }


# ------------------------------------------------------------------ after
def after_json(schedule: Schedule) -> dict[str, Any]:
    """The report's steps (rule, recorded date, the record's timings) and plans due."""
    rules = schedule.rules
    milestones, report_steps = rules.milestones, rules.report_steps
    steps = []
    for step in report_steps:
        event = schedule.get(step)
        if event is None:
            continue
        steps.append({**event_json(event, milestones), "observed": observed_of(event)})
    others = [
        event_json(e, milestones)
        for e in schedule.events
        if e.stage == "after" and e.id not in report_steps
    ]
    plans = [event_json(e, milestones) for e in schedule.events if e.stage == "follow_up"]
    after = next((s for s in rules.stages if s.id == "after"), None)
    return {
        # "After the inspection", "After the re-visit", "After the meeting".
        "title": after.title.split(":")[0] if after else "Afterwards",
        "steps": steps,
        "other": others,
        "plans": plans,
        # A full inspection dates its plans once its outcome is recorded (paras 20, 37).
        "plans_expected": schedule.case.kind == "full" and not schedule.case.inspection.outcome,
    }


def observed_of(event: Event) -> dict[str, Any] | None:
    """The inspection record's timings for this event, when history annotated it."""
    observed = event.observed
    if observed is None:
        return None
    # The packaged record is Ofsted's official statistics and the published
    # reports (sendplan/data/README.md); `sendplan history` shows it.
    return {
        "kind": observed.timing.kind,
        "median_working_days": observed.timing.median,
        "median_date": observed.median_date.isoformat(),
        "p80_working_days": observed.timing.p80,
        "p80_date": observed.p80_date.isoformat(),
        "inspections": observed.timing.size,
        "plan_working_days": observed.plan_working_days,
        "within_plan": observed.within_plan,
        "source": "published inspection record",
    }


def _hhmm(value: time | None) -> str | None:
    return clock_text(value) if value is not None else None
