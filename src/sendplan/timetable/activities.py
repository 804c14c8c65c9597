"""The activities the guidance places in the timetable, per kind, as data.

``sendplan/data/timetable/<kind>.toml`` holds the working-day defaults, the
session lengths by kind, named windows (working days between two schedule
events) and the activities, each citing its paragraph.  Engagement meetings
have no timetable (they are one meeting, handbook para 188).
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

from sendplan.cache import load_toml
from sendplan.case.timetable import EXTRA_KINDS
from sendplan.errors import RuleError, UsageError
from sendplan.namedtuples import NamedTuple
from sendplan.rules import kind_label

#: Kinds with a timetable.
TIMETABLE_KINDS: tuple[str, ...] = ("full", "monitoring", "revisit")
_EACH = ("once", "day", "child", "provider", "topic")
#: What gives way first when not everything fits (issue 19): the guidance's fixed
#: meetings, then tracking meetings, then sampling visits and extra meetings.
PRIORITIES: dict[int, str] = {
    1: "the guidance's fixed meetings",
    2: "tracking meetings",
    3: "sampling visits, focused sampling and extra meetings",
}
#: What [timetable] leaves unset comes from [defaults] (``model.build_problem``).
_DEFAULTS = (
    "day_start",
    "day_end",
    "slot_minutes",
    "review_minutes",
    "slack_minutes",
    "travel_minutes",
    "office",
)


class Window(NamedTuple):
    start: str
    end: str
    start_offset: int = 0
    end_offset: int = 0
    text: str = ""


class Activity(NamedTuple):
    id: str
    title: str
    kind: str
    window: str
    source: str
    each: str = "once"
    #: "all", a number of inspectors to choose, or named inspectors.
    inspectors: str | int | tuple[str, ...] = 1
    people: tuple[str, ...] = ()
    others: str | None = None
    mode: str = "video"
    venue: str | None = None
    not_before: str | None = None
    end_by: str | None = None
    after: str | None = None
    same_inspector_as: str | None = None
    skip_last: bool = False
    min_on_site_days: int = 0
    #: The day's last session: everything else that day ends before it (para 132).
    concludes: bool = False
    #: Which sessions give way when not everything fits: 1 the guidance's fixed
    #: meetings, 2 tracking meetings, 3 sampling visits and focused sampling.
    priority: int = 1
    #: "practicable": an inspector who is away misses it, with a warning (para 122).
    attendance: str | None = None
    attendance_source: str | None = None
    #: "early": preferred early in its window (a preference, with its source).
    prefer: str | None = None
    prefer_source: str | None = None
    #: Preferred on the same day as, and after, this activity's session (its source).
    follows: str | None = None
    follows_source: str | None = None
    #: The schedule rules whose entry a session of this activity books (one entry per
    #: meeting: ``sendplan.timetable.meetings``); a daily rule's entry on its day.
    schedule: tuple[str, ...] = ()


class Activities(NamedTuple):
    kind: str
    title: str
    defaults: Mapping[str, Any]
    lengths: Mapping[str, int]
    windows: Mapping[str, Window]
    activities: tuple[Activity, ...]


@cache
def load_activities(kind: str) -> Activities:
    """The packaged activities for ``kind``, checked."""
    if kind not in TIMETABLE_KINDS:
        raise UsageError(
            f"{kind_label(kind, article=True)} has no timetable: sendplan timetables full "
            "inspections, monitoring inspections and re-visits (an engagement meeting is one "
            "meeting, handbook para 188)"
        )
    path = Path(__file__).parent.parent / "data" / "timetable" / f"{kind}.toml"
    return parse_activities(kind, load_toml(path))


def parse_activities(kind: str, data: Mapping[str, Any]) -> Activities:
    where = f"timetable activities for {kind}"
    windows = {
        name: Window(
            str(w["from"]),
            str(w["to"]),
            int(w.get("from_offset", 0)),
            int(w.get("to_offset", 0)),
            str(w.get("text", name)),
        )
        for name, w in data.get("window", {}).items()
    }
    lengths = {str(k): int(v) for k, v in data.get("lengths", {}).items()}
    activities: list[Activity] = []
    for raw in data.get("activity", ()):
        inspectors = raw.get("inspectors", 1)
        activity = Activity(
            id=str(raw["id"]),
            title=str(raw["title"]),
            kind=str(raw["kind"]),
            window=str(raw["window"]),
            source=str(raw.get("source", "")),
            each=str(raw.get("each", "once")),
            inspectors=tuple(inspectors) if isinstance(inspectors, list) else inspectors,
            people=tuple(raw.get("people", ())),
            others=raw.get("others"),
            mode=str(raw.get("mode", "video")),
            venue=raw.get("venue"),
            not_before=raw.get("not_before"),
            end_by=raw.get("end_by"),
            after=raw.get("after"),
            same_inspector_as=raw.get("same_inspector_as"),
            skip_last=bool(raw.get("skip_last", False)),
            min_on_site_days=int(raw.get("min_on_site_days", 0)),
            concludes=bool(raw.get("concludes", False)),
            priority=int(raw.get("priority", 1)),
            attendance=raw.get("attendance"),
            attendance_source=raw.get("attendance_source"),
            prefer=raw.get("prefer"),
            prefer_source=raw.get("prefer_source"),
            follows=raw.get("follows"),
            follows_source=raw.get("follows_source"),
            schedule=tuple(str(r) for r in raw.get("schedule", ())),
        )
        if not activity.source:
            raise RuleError(f"{where}: activity `{activity.id}` cites no paragraph")
        if activity.window not in windows:
            raise RuleError(f"{where}: activity `{activity.id}` has unknown window")
        if activity.kind not in lengths:
            raise RuleError(f"{where}: activity `{activity.id}` kind has no length")
        if activity.each not in _EACH:
            raise RuleError(f"{where}: activity `{activity.id}` each `{activity.each}`")
        if activity.priority not in PRIORITIES:
            raise RuleError(f"{where}: activity `{activity.id}` priority {activity.priority}")
        for value, allowed, cited in (
            (activity.attendance, ("practicable",), activity.attendance_source),
            (activity.prefer, ("early",), activity.prefer_source),
            (activity.follows, None, activity.follows_source),
        ):
            if value is not None and (allowed is not None and value not in allowed or not cited):
                raise RuleError(f"{where}: activity `{activity.id}`: {value!r} needs its source")
        activities.append(activity)
    # The case file's extra sessions take their length by kind, the solver its slot: as data.
    for needed in EXTRA_KINDS:
        if needed not in lengths:
            raise RuleError(f"{where}: [lengths] has no {needed} (a case file's extra session)")
    for key in _DEFAULTS:
        if key not in data.get("defaults", {}):
            raise RuleError(f"{where}: [defaults] has no {key}")
    ids = {a.id for a in activities}
    for a in activities:
        for ref in (a.after, a.same_inspector_as, a.follows):
            if ref is not None and ref not in ids:
                raise RuleError(f"{where}: activity `{a.id}` refers to unknown `{ref}`")
    return Activities(
        kind=kind,
        title=str(data.get("title", kind)),
        defaults=dict(data.get("defaults", {})),
        lengths=lengths,
        windows=windows,
        activities=tuple(activities),
    )
