"""What a timetable must hold: the sessions to place and everything that limits them.

:func:`build_problem` turns a case, its schedule and the kind's activities
into a :class:`Problem`: one :class:`Session` per activity (per day, tracked
child, provider or sampling topic where the activity says ``each``), the
inspection team, the working days and hours, travel times and who is
unavailable when.  The solver (:mod:`.solver`) and the checks
(:mod:`.checks`) both read it; neither knows about TOML or the terminal.

Times are minutes after midnight.  A session's ``people`` are person ids: a
``[people]`` role (``dcs``), the name of someone in ``[[people.other]]``, or
``provider:<name>``.  Attendees outside the case (a family, officers) are
``others``, a description: they are never double-booked by construction.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property
from typing import TYPE_CHECKING

from sendplan.case.timetable import TimetableSettings, person_ids, resolve_who, slug
from sendplan.dates import date_text
from sendplan.timetable.activities import Activities, Activity, load_activities

if TYPE_CHECKING:
    from sendplan.case import Case
    from sendplan.schedule import Schedule

#: The inspection team always has these two (handbook paras 95, 168; re-visit guidance para 6).
CORE_TEAM: tuple[str, ...] = ("lead_inspector", "cqc_inspector")
VIRTUAL = "virtual"
#: Sources of the extra sessions a case may add, by kind of inspection and session kind.
EXTRA_SOURCES: dict[str, str] = {
    "leaders_meeting": "handbook para 131",
    "practitioners_meeting": "handbook para 131",
    "parents_meeting": "handbook para 102",
}


def minutes(text: str) -> int:
    hours, mins = text.split(":")
    return int(hours) * 60 + int(mins)


def hhmm(value: int) -> str:
    return f"{value // 60:02d}:{value % 60:02d}"


@dataclass(frozen=True)
class Session:
    """One session to place, with where it may go and who must be there."""

    id: str
    activity: str
    title: str
    kind: str
    source: str
    length: int
    days: tuple[date, ...]
    window_text: str
    people: tuple[str, ...] = ()
    inspectors: tuple[str, ...] = ()
    pool: tuple[str, ...] = ()
    choose: int = 0
    others: str | None = None
    mode: str = "video"
    venue: str = VIRTUAL
    earliest: int | None = None
    latest_end: int | None = None
    after: tuple[str, ...] = ()
    same_inspectors_as: str | None = None
    about: str | None = None
    concludes: bool = False
    #: What gives way first when not everything fits (activities.PRIORITIES).
    priority: int = 1
    #: Inspectors who attend "as far as is practicable" (para 122): each is away at
    #: some time of the session's days, so may miss it (with a warning).
    optional_inspectors: tuple[str, ...] = ()
    #: Leaders away at some time of its days, each with their deputy (or None): a
    #: deputy may represent them (para 128), or the meeting goes ahead without them.
    represented: tuple[tuple[str, str | None], ...] = ()
    #: Everyone the guidance asks for besides inspectors, soft or not, in its order.
    all_people: tuple[str, ...] = ()
    #: Where the session's own sources make it soft, the sentence to cite.
    attendance_source: str | None = None
    #: Preferred early in its window: the preference's source.
    early: str | None = None
    #: Preferred on the same day as, and after, this session id: (id, source).
    follows: tuple[str, str] | None = None

    @property
    def in_person(self) -> bool:
        return self.mode == "in_person"

    @property
    def team_demand(self) -> int:
        """How many of the team it certainly needs (required inspectors and those chosen)."""
        return len(self.inspectors) + self.choose

    def attending(self, present: Collection[str]) -> tuple[str, ...]:
        """Who besides inspectors is at it, in the guidance's order, a deputy in their
        leader's place."""
        deputy_of = dict(self.represented)
        out = []
        for person in self.all_people or self.people:
            if person in present:
                out.append(person)
            elif (deputy := deputy_of.get(person)) is not None and deputy in present:
                out.append(deputy)
        return tuple(dict.fromkeys(out))

    @property
    def may_attend(self) -> tuple[str, ...]:
        """Everyone who may be at it: required, chosen, optional, leaders and deputies."""
        soft = tuple(x for pair in self.represented for x in pair if x is not None)
        return self.inspectors + self.people + self.pool + self.optional_inspectors + soft


@dataclass(frozen=True)
class Busy:
    """Someone unavailable: ``index`` is the entry in ``[[timetable.unavailable]]``
    (or, ``entry == "absences"``, in ``[[absences]]``: one Busy per day)."""

    who: str
    date: date
    start: int
    end: int
    index: int
    note: str | None = None
    line: int | None = None
    entry: str = "timetable.unavailable"

    @property
    def all_day(self) -> bool:
        return self.start <= 0 and self.end >= 24 * 60


@dataclass(frozen=True)
class Problem:
    case_name: str
    local_area: str
    kind: str
    title: str
    days: tuple[date, ...]
    day_start: int
    day_end: int
    slot: int
    review: int
    slack: int
    travel_default: int
    inspectors: tuple[str, ...]
    sessions: tuple[Session, ...]
    busy: tuple[Busy, ...] = ()
    travel: Mapping[frozenset[str], int] = field(default_factory=dict)
    names: Mapping[str, str] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()
    #: The on-site days (empty when the kind's data names none): a capacity window.
    on_site: tuple[date, ...] = ()
    #: Where inspectors work between sessions on site: the office (the base).
    base: str = ""

    @cached_property
    def _busy_index(self) -> dict[tuple[str, date], list[Busy]]:
        index: dict[tuple[str, date], list[Busy]] = {}
        for b in self.busy:
            index.setdefault((b.who, b.date), []).append(b)
        return index

    def busy_on(self, person: str, day: date) -> list[Busy]:
        """``person``'s unavailability on ``day`` (indexed: a case may list thousands)."""
        return self._busy_index.get((person, day), [])

    def travel_between(self, a: str, b: str) -> int:
        if a == b or VIRTUAL in (a, b):
            return 0
        return self.travel.get(frozenset((a, b)), self.travel_default)

    @cached_property
    def _away(self) -> dict[tuple[str, date], bool]:
        return {}

    def away_all_day(self, person: str, day: date) -> bool:
        """:meth:`_away_all_day`, remembered (asked for every candidate time)."""
        key = (person, day)
        found = self._away.get(key)
        if found is None:
            found = self._away[key] = self._away_all_day(person, day)
        return found

    def _away_all_day(self, person: str, day: date) -> bool:
        """Too little of the working day left to keep review time and slack in.

        Someone away all day (or all but an hour) has no sessions that day either,
        so no review time or slack is asked of them then.
        """
        hours = [(self.day_start, self.day_end)]
        for b in self.busy_on(person, day):
            hours = [
                part
                for low, high in hours
                for part in ((low, min(high, b.start)), (max(low, b.end), high))
                if part[1] > part[0]
            ]
        return sum(high - low for low, high in hours) < self.review + self.slack

    def name(self, person: str) -> str:
        return self.names.get(person, person)

    def hours(self, session: Session) -> tuple[int, int]:
        """When ``session`` may run on its days: the working day, within its own limits."""
        low = max(self.day_start, session.earliest or 0)
        return low, min(self.day_end, session.latest_end or 24 * 60)

    def session(self, session_id: str) -> Session:
        for s in self.sessions:
            if s.id == session_id:
                return s
        raise KeyError(session_id)


def role_label(role: str) -> str:
    from sendplan.case import PEOPLE_ROLES

    doc = PEOPLE_ROLES.get(role)
    if doc is None:
        return role.removeprefix("provider:")
    return doc.split(" (")[0]


def person_names(case: Case) -> dict[str, str]:
    from sendplan.case import PEOPLE_ROLES

    names: dict[str, str] = {}
    for role in PEOPLE_ROLES:
        person = case.people.get(role)
        label = role_label(role)
        names[role] = f"{person.name} ({label})" if person and person.name else label
    for person in case.other_people:
        if person.name:
            names[person.name] = person.name + (f", {person.role}" if person.role else "")
    for provider in case.providers:
        names["provider:" + provider.name] = provider.name
    return names


def window_days(
    activities: Activities, name: str, schedule: Schedule
) -> tuple[tuple[date, ...], str] | None:
    """The working days of a named window, or None when its events are not in the schedule."""
    window = activities.windows[name]
    first_event, last_event = schedule.get(window.start), schedule.get(window.end)
    if first_event is None or last_event is None:
        return None
    calendar = schedule.calendar
    first = calendar.add(first_event.date, window.start_offset)
    last = calendar.add(last_event.date, window.end_offset)
    days = []
    day = first
    while day <= last:
        if calendar.is_working_day(day):
            days.append(day)
        day += timedelta(days=1)
    return tuple(days), window.text


def build_problem(case: Case, schedule: Schedule, activities: Activities | None = None) -> Problem:
    """The sessions of the case's timetable and everything that limits them."""
    activities = activities or load_activities(case.kind)
    settings = case.timetable
    defaults = activities.defaults
    ids = case_ids(case)
    warnings: list[str] = []

    def setting(key: str) -> object:
        value = getattr(settings, key)
        return defaults[key] if value is None else value

    office = str(setting("office"))
    team = list(CORE_TEAM)
    for who in settings.inspectors:
        resolved = resolve_who(who, ids) or who
        if resolved not in team:
            team.append(resolved)
    lengths = {**activities.lengths, **settings.lengths}
    topics = (
        settings.sampling_topics
        if settings.sampling_topics is not None
        else tuple(defaults.get("sampling_topics", ()))
    )
    on_site_days = case.inspection.on_site_days or 0
    on_site = (
        window_days(activities, "on_site", schedule) if "on_site" in activities.windows else None
    )
    sessions: list[Session] = []
    by_activity: dict[str, list[Session]] = {}
    for activity in activities.activities:
        found = window_days(activities, activity.window, schedule)
        if found is None:
            continue
        days, text = found
        if activity.min_on_site_days and on_site_days < activity.min_on_site_days:
            continue
        made = _expand(activity, days, text, case, topics, on_site[0] if on_site else ())
        if not made and activity.each in ("once", "day"):
            warnings.append(f"no working day for {activity.title} ({activity.source}) in {text}")
        for about, suffix, its_days in made:
            sessions.append(
                _session(
                    activity, about, suffix, its_days, text, team, lengths, settings, ids, office
                )
            )
            by_activity.setdefault(activity.id, []).append(sessions[-1])
    # Links between activities: "after" and "the same inspector as".
    linked: list[Session] = []
    for s in sessions:
        activity = next(a for a in activities.activities if a.id == s.activity)
        after = tuple(o.id for o in by_activity.get(activity.after or "", ()))
        same = None
        if activity.same_inspector_as:
            same = next(
                (
                    o.id
                    for o in by_activity.get(activity.same_inspector_as, ())
                    if o.about == s.about
                ),
                None,
            )
        follows = None
        if activity.follows and activity.follows_source:
            follows = next(
                (
                    (o.id, activity.follows_source)
                    for o in by_activity.get(activity.follows, ())
                    if o.about == s.about
                ),
                None,
            )
        linked.append(_with(s, after=after, same_inspectors_as=same, follows=follows))
    sessions = linked
    all_days = sorted({d for s in sessions for d in s.days})
    sessions += _extra_sessions(
        case, schedule, activities, lengths, team, ids, office, all_days, warnings
    )
    all_days = sorted({d for s in sessions for d in s.days})
    lines = _unavailable_lines(case)
    busy = tuple(
        Busy(
            who=resolve_who(u.who, ids) or u.who,
            date=u.date,
            start=minutes(u.start) if u.start else 0,
            end=minutes(u.end) if u.end else 24 * 60,
            index=i,
            note=u.note,
            line=lines.get(i),
        )
        for i, u in enumerate(settings.unavailable)
    ) + _absences(case, ids, all_days)
    for b in busy:
        # Not the span first to last day: a fixed-date session weeks before the on-site
        # days would hide every unavailability in between.
        if all_days and b.date not in all_days:
            warnings.append(
                _outside(
                    f"{person_names(case).get(b.who, b.who)} unavailable",
                    b.date,
                    "the timetable's days",
                    "it changes nothing",
                )
            )
    travel = {frozenset((a, b)): m for a, b, m in settings.travel}
    names = person_names(case)
    deputies = _deputies(case, ids, names)
    sessions = _soft(sessions, activities, busy, deputies, team)
    on_site = (
        window_days(activities, "on_site", schedule) if "on_site" in activities.windows else None
    )
    return Problem(
        case_name=str(case.path) if case.path else "the case file",
        local_area=case.local_area,
        kind=case.kind,
        title=activities.title,
        days=tuple(all_days),
        day_start=minutes(str(setting("day_start"))),
        day_end=minutes(str(setting("day_end"))),
        slot=int(str(defaults["slot_minutes"])),
        review=int(str(setting("review_minutes"))),
        slack=int(str(setting("slack_minutes"))),
        travel_default=int(str(setting("travel_minutes"))),
        inspectors=tuple(team),
        sessions=tuple(sessions),
        busy=busy,
        travel=travel,
        names=names,
        warnings=tuple(warnings),
        on_site=on_site[0] if on_site else (),
        base=office,
    )


def _unavailable_lines(case: Case) -> dict[int, int]:
    """Line of each ``[[timetable.unavailable]]`` entry, for messages a LANO can act on."""
    from sendplan.schema import key_lines

    if case.path is None or not case.timetable.unavailable:
        return {}
    try:
        found = key_lines(case.path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        return {}
    out = {}
    for i in range(len(case.timetable.unavailable)):
        line = found.get(("timetable", "unavailable", i))
        if line is not None:
            out[i] = line
    return out


def case_ids(case: Case) -> dict[str, str]:
    """:func:`person_ids` from a built case (the same names, the same ids)."""
    people: dict[str, object] = {
        role: {"name": p.name} for role, p in case.people.items() if p.name
    }
    people["other"] = [{"name": p.name} for p in case.other_people if p.name]
    providers = [{"name": p.name} for p in case.providers]
    return person_ids({"people": people, "providers": providers})


def _expand(
    activity: Activity,
    days: tuple[date, ...],
    text: str,
    case: Case,
    topics: tuple[str, ...],
    on_site: tuple[date, ...],
) -> list[tuple[str | None, str, tuple[date, ...]]]:
    """(about, id suffix, days) for each session of an activity."""
    if activity.each == "day":
        chosen = days[:-1] if activity.skip_last else days
        return [(None, ":" + day_label(d, on_site, activity.window, days), (d,)) for d in chosen]
    if not days:
        return []
    if activity.each == "child":
        return [(c, ":" + c, days) for c in case.tracking.selected]
    if activity.each == "provider":
        return [(p.name, ":" + slug(p.name), days) for p in case.providers]
    if activity.each == "topic":
        return [(t, ":" + slug(t), days) for t in topics]
    return [(None, "", days)]


def day_label(day: date, on_site: tuple[date, ...], window: str, days: tuple[date, ...]) -> str:
    """A daily session's id suffix: its on-site day (``day-2``), not its date.

    Moving the on-site week keeps every daily session's id, so a re-plan moves
    ``team_meeting:day-2`` (one calendar event, its UID kept) instead of
    dropping ``team_meeting:2025-05-13`` and adding ``team_meeting:2025-05-20``.
    A day before the on-site days is numbered within its own window
    (``remote-1``: the first of the remote fieldwork days).
    """
    if day in on_site:
        return f"day-{on_site.index(day) + 1}"
    return f"{window}-{days.index(day) + 1}"


def _fill(text: str, about: str | None, activity: Activity) -> str:
    key = {"child": "child", "provider": "provider", "topic": "topic"}.get(activity.each)
    return text.replace("{" + key + "}", about or "") if key else text


def _session(
    activity: Activity,
    about: str | None,
    suffix: str,
    days: tuple[date, ...],
    text: str,
    team: list[str],
    lengths: Mapping[str, int],
    settings: TimetableSettings,
    ids: Mapping[str, str],
    office: str,
) -> Session:
    people_src = settings.attendees.get(activity.id, activity.people)
    people = []
    for who in people_src:
        filled = _fill(who, about, activity)
        resolved = resolve_who(filled, ids) or filled
        if resolved not in people:
            people.append(resolved)
    fixed: tuple[str, ...] = ()
    pool: tuple[str, ...] = ()
    choose = 0
    if activity.inspectors == "all":
        fixed = tuple(team)
    elif isinstance(activity.inspectors, int):
        pool, choose = tuple(team), min(activity.inspectors, len(team))
    else:
        fixed = tuple(activity.inspectors)
    mode = settings.modes.get(activity.id, activity.mode)
    if mode == "in_person":
        venue = _fill(activity.venue or "office", about, activity)
        venue = office if venue == "office" else venue
    else:
        venue = VIRTUAL
    return Session(
        id=activity.id + suffix,
        activity=activity.id,
        title=_fill(activity.title, about, activity),
        kind=activity.kind,
        source=activity.source,
        length=lengths[activity.kind],
        days=days,
        window_text=text,
        people=tuple(p for p in people if p not in fixed),
        inspectors=fixed,
        pool=pool,
        choose=choose,
        others=_fill(activity.others, about, activity) if activity.others else None,
        mode=mode,
        venue=venue,
        earliest=minutes(activity.not_before) if activity.not_before else None,
        latest_end=minutes(activity.end_by) if activity.end_by else None,
        about=about,
        concludes=activity.concludes,
        priority=activity.priority,
        early=activity.prefer_source if activity.prefer == "early" else None,
    )


def _with(session: Session, **changes: object) -> Session:
    from dataclasses import replace

    return replace(session, **changes)  # type: ignore[arg-type]


def _extra_sessions(
    case: Case,
    schedule: Schedule,
    activities: Activities,
    lengths: Mapping[str, int],
    team: list[str],
    ids: Mapping[str, str],
    office: str,
    all_days: list[date],
    warnings: list[str],
) -> list[Session]:
    """``[[timetable.sessions]]``: meetings inspectors add on site (paras 102, 131).

    One with a ``date`` outside the on-site days keeps its date (the case file
    says so) with a warning, as an unavailability outside the days has.
    """
    out = []
    on_site = (
        window_days(activities, "on_site", schedule) if "on_site" in activities.windows else None
    )
    default_days, text = on_site or (tuple(all_days), "the timetable's days")
    for extra in case.timetable.sessions:
        days = (extra.date,) if extra.date else default_days
        source = EXTRA_SOURCES[extra.kind] + " (case file)"
        if extra.date and default_days and extra.date not in default_days:
            warnings.append(
                _outside(
                    f"{extra.title} ({source})",
                    extra.date,
                    text,
                    "it is timetabled on that day alone, as the case file says",
                )
            )
        mode = extra.mode or ("in_person" if extra.venue != VIRTUAL else "video")
        venue = VIRTUAL if mode != "in_person" else (extra.venue or office)
        n = min(extra.inspectors, len(team))
        people = tuple(resolve_who(w, ids) or w for w in extra.people)
        out.append(
            Session(
                id="extra:" + extra.id,
                activity="extra",
                title=extra.title,
                kind=extra.kind,
                source=source,
                length=extra.length or lengths[extra.kind],
                days=days,
                window_text=date_text(extra.date, weekday=True) if extra.date else text,
                people=people,
                pool=tuple(team) if n < len(team) else (),
                inspectors=tuple(team) if n >= len(team) else (),
                choose=n if n < len(team) else 0,
                mode=mode,
                venue=venue,
                priority=3,
            )
        )
    return out


def _absences(case: Case, ids: Mapping[str, str], days: Sequence[date]) -> tuple[Busy, ...]:
    """``[[absences]]`` as a Busy all day on each of the timetable's days they cover.

    Only the timetable's days are visited: an absence over years costs nothing.
    """
    if not case.absences:
        return ()
    from sendplan.schema import key_lines

    lines: dict[tuple[str | int, ...], int] = {}
    if case.path is not None:
        try:
            lines = key_lines(case.path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError):
            lines = {}
    out = []
    for i, a in enumerate(case.absences):
        who = resolve_who(a.who, ids) or a.who
        for d in days:
            if a.first_day <= d <= a.last_day:
                out.append(
                    Busy(who, d, 0, 24 * 60, i, a.note, lines.get(("absences", i)), "absences")
                )
    return tuple(out)


def _deputies(case: Case, ids: Mapping[str, str], names: dict[str, str]) -> dict[str, str]:
    """Each leader's deputy (``deputy`` on a [people] entry, para 128) as a person id.

    A deputy named in the case is that person (their unavailability counts);
    anyone else is known by the name given (``names`` learns it).
    """
    out = {}
    for role, person in sorted(case.people.items()):
        if role in CORE_TEAM or not person.deputy:
            continue
        deputy = resolve_who(person.deputy, ids) or person.deputy
        out[role] = deputy
        names.setdefault(deputy, f"{person.deputy} (deputy for {names.get(role, role)})")
    return out


def _soft(
    sessions: Sequence[Session],
    activities: Activities,
    busy: Sequence[Busy],
    deputies: Mapping[str, str],
    team: Sequence[str],
) -> list[Session]:
    """Make attendance soft where the guidance is, for people away on a session's days.

    An inspector away at some time of a team meeting's days may miss it (para 122,
    "as far as is practicable"); a leader (a [people] role but the inspectors)
    away at some time of a session's days may be represented by their deputy or
    missed (para 128: leaders "may always be accompanied by a colleague ... who
    typically deputises for them").  People never away stay required: the soft
    form costs the solver more, and they can always come.
    """
    from sendplan.case import PEOPLE_ROLES

    away: set[tuple[str, date]] = {(b.who, b.date) for b in busy}
    practicable = {a.id: a.attendance_source for a in activities.activities if a.attendance}
    leaders = set(PEOPLE_ROLES) - set(CORE_TEAM) - set(team)
    out = []
    for s in sessions:

        def is_away(person: str, s: Session = s) -> bool:
            return any((person, d) in away for d in s.days)

        source = practicable.get(s.activity)
        optional: tuple[str, ...] = ()
        inspectors = s.inspectors
        if source:
            optional = tuple(i for i in s.inspectors if is_away(i))
            inspectors = tuple(i for i in s.inspectors if i not in optional)
        represented = tuple((p, deputies.get(p)) for p in s.people if p in leaders and is_away(p))
        if optional or represented:
            soft = {p for p, _ in represented}
            s = _with(
                s,
                inspectors=inspectors,
                optional_inspectors=optional,
                people=tuple(p for p in s.people if p not in soft),
                represented=represented,
                all_people=s.people,
                attendance_source=source,
            )
        out.append(s)
    return out


def _outside(what: str, day: date, where: str, so: str) -> str:
    """A date in the case file outside the days it belongs to: what, when, and what follows."""
    return f"{what} on {date_text(day, weekday=True)}: outside {where}, so {so}"
