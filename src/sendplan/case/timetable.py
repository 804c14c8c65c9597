"""The case file's ``[timetable]`` section: declared once, validated, built.

Every key is optional: an example case with no ``[timetable]`` gets a complete
timetable from the activities data (``sendplan/data/timetable/<kind>.toml``),
whose ``[defaults]`` give the working day, review time, slack and travel.
This module depends only on the schema and errors, so ``sendplan.case`` can
declare ``[timetable]`` with it without importing the solver.
"""

import datetime as _dt
import re
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

from sendplan.errors import suggestion_text
from sendplan.namedtuples import NamedTuple
from sendplan.schema import Annotated, Issue, Key, Table, TableList, Value, record_table

HHMM = r"([01]\d|2[0-3]):[0-5]\d"
#: The longest lists ``[timetable]`` takes (README, "Hostile input"): an inspection
#: team is about 4 to 6 inspectors (para 168, "inspectors from education, health
#: and care"); the rest are many times what one inspection's two weeks hold.
MAX_INSPECTORS = 20
MAX_ENTRIES = 500  # [[timetable.unavailable]], [[timetable.travel]]
MAX_SESSIONS = 100  # [[timetable.sessions]]
MAX_NAMES = 50  # people of one session or activity, sampling topics
MODES: tuple[str, ...] = ("in_person", "video", "phone")
#: Kinds of the extra sessions a case may add (paras 102, 131).
EXTRA_KINDS: tuple[str, ...] = ("leaders_meeting", "parents_meeting", "practitioners_meeting")

_WHO_DOC = (
    "A [people] role (dcs, lano, lead_inspector...), the name of a person in [people] or "
    "[[people.other]], or the name of a provider in [[providers]]."
)

_TRAVEL = TableList(
    Table(
        {
            "between": Value(
                "string_list", "Two venues (provider names, the office).", required=True
            ),
            "minutes": Value("integer", "Travel time.", required=True, minimum=0),
        },
    ),
    doc="Known travel times between two venues (para 96).",
    max_items=MAX_ENTRIES,
)
_UNAVAILABLE = TableList(
    Table(
        {
            "who": Value("string", _WHO_DOC, required=True),
            "date": Value("date", "The day.", required=True),
            "from": Value("string", "From HH:MM (default: all day).", pattern=HHMM),
            "to": Value("string", "To HH:MM (default: all day).", pattern=HHMM),
            "note": Value("string", "Why, for the record (never a child's name)."),
        },
    ),
    doc="When someone (or a provider) cannot attend.",
    max_items=MAX_ENTRIES,
)
_SESSIONS = TableList(
    Table(
        {
            "id": Value("string", "Stable id (default from the title).", pattern=r"[a-z0-9_-]+"),
            "title": Value("string", "What the session is.", required=True),
            "kind": Value(
                "string",
                "leaders_meeting (para 131), parents_meeting (para 102) or "
                "practitioners_meeting (para 131).",
                choices=EXTRA_KINDS,
                default="leaders_meeting",
            ),
            "people": Value(
                "string_list", "Who attends besides inspectors. " + _WHO_DOC, max_items=MAX_NAMES
            ),
            "inspectors": Value("integer", "How many inspectors attend (default 1).", minimum=1),
            "date": Value(
                "date",
                "A fixed day (default: any on-site day); one outside the on-site days "
                "is kept, with a warning.",
            ),
            "length": Value("integer", "Minutes (default by kind).", minimum=5),
            "venue": Value("string", "Where (default: the office; 'virtual' for calls)."),
            "mode": Value("string", "in_person, video or phone.", choices=MODES),
        },
    ),
    doc="Additional meetings inspectors arrange on site (paras 102, 131).",
    max_items=MAX_SESSIONS,
)


def _by_key(value: Value, doc: str, what: str) -> Table:
    """A table of ``value`` by session kind or activity id."""
    return Table(extra=value, extra_key_pattern=r"[a-z_]+", extra_key_doc=what, doc=doc)


class Unavailable(NamedTuple):
    who: str
    date: date
    start: str | None = None
    end: str | None = None
    note: str | None = None


class ExtraSession(NamedTuple):
    id: str
    title: str
    kind: str
    people: tuple[str, ...] = ()
    inspectors: int = 1
    date: _dt.date | None = None
    length: int | None = None
    venue: str | None = None
    mode: str | None = None


class TimetableSettings(NamedTuple):
    """``[timetable]``, declared once: each field is a key (None: the activities' default)."""

    day_start: Annotated[
        str | None,
        Key("When the working day starts, HH:MM (default 09:00).", pattern=HHMM, example="09:00"),
    ] = None
    day_end: Annotated[
        str | None,
        Key("When the working day ends, HH:MM (default 17:00).", pattern=HHMM, example="17:00"),
    ] = None
    review_minutes: Annotated[
        int | None,
        Key(
            "Minimum time each inspector keeps each day to review and analyse evidence "
            "(para 96; default 60).",
            minimum=0,
            maximum=480,
            example=60,
        ),
    ] = None
    slack_minutes: Annotated[
        int | None,
        Key(
            "Time kept free each day for each inspector so the timetable can absorb a change "
            "(para 96: 'flexible enough to be changed'; default 30).",
            minimum=0,
            maximum=480,
            example=30,
        ),
    ] = None
    travel_minutes: Annotated[
        int | None,
        Key(
            "Default travel time between two different venues of in-person sessions "
            "(para 96; default 30).",
            minimum=0,
            maximum=480,
            example=30,
        ),
    ] = None
    office: Annotated[
        str | None,
        Key(
            "Venue of the in-person meetings with leaders (default 'Council offices').",
            example="County Hall",
        ),
    ] = None
    saved: Annotated[
        Path | None,
        Key(
            "The saved timetable (`sendplan timetable --save`), relative to the case file: "
            "read by `timetable --check`, `calendar` and the letters.",
            example="timetable.toml",
        ),
    ] = None
    agreed: Annotated[
        date | None,
        Key(
            "The day the lead inspector agreed the timetable with the LANO (para 98); until "
            "then every view of it is marked 'draft: not yet agreed with the lead inspector'.",
            example=date(2025, 5, 2),
        ),
    ] = None
    inspectors: Annotated[
        tuple[str, ...],
        Key(
            "Inspectors besides the lead inspector and the CQC inspector, as [people] roles "
            "or names from [[people.other]].",
            example=["Ellis Grant"],
            max_items=MAX_INSPECTORS,
        ),
    ] = ()
    sampling_topics: Annotated[
        tuple[str, ...] | None,
        Key(
            "Topics for focused sampling with officers (paras 108-111); default: EHC plan "
            "quality, fair access protocols, the dynamic support register.",
            example=["Quality of EHC plans", "Fair access protocols"],
            max_items=MAX_NAMES,
        ),
    ] = None
    lengths: Annotated[
        Mapping[str, int],
        Key(
            "Session lengths in minutes by kind.",
            node=_by_key(
                Value("integer", minimum=5, maximum=480),
                "Session lengths in minutes by kind, e.g. sampling_visit = 120.",
                "a session kind (see `sendplan timetable --format json`)",
            ),
        ),
    ] = {}
    attendees: Annotated[
        Mapping[str, tuple[str, ...]],
        Key(
            "Who attends, by activity id.",
            node=_by_key(
                Value("string_list", max_items=MAX_NAMES),
                "Who attends an activity besides the inspectors, by activity id, replacing "
                'the guidance\'s list, e.g. final_feedback = ["lano", "dcs"].',
                "an activity id (see `sendplan timetable --format json`)",
            ),
        ),
    ] = {}
    modes: Annotated[
        Mapping[str, str],
        Key(
            "In person, video or phone, by activity id.",
            node=_by_key(
                Value("string", choices=MODES),
                "In person, video or phone, by activity id (para 96).",
                "an activity id",
            ),
        ),
    ] = {}
    travel: Annotated[tuple[tuple[str, str, int], ...], Key(_TRAVEL.doc, node=_TRAVEL)] = ()
    unavailable: Annotated[tuple[Unavailable, ...], Key(_UNAVAILABLE.doc, node=_UNAVAILABLE)] = ()
    sessions: Annotated[tuple[ExtraSession, ...], Key(_SESSIONS.doc, node=_SESSIONS)] = ()


TIMETABLE_SCHEMA = record_table(
    TimetableSettings,
    "The timetable of weeks 2 and 3 (`sendplan timetable`, handbook paras 95-133).",
)


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "session"


def timetable_settings(clean: Mapping[str, Any], path: Path | None) -> TimetableSettings:
    """Build :class:`TimetableSettings` from the validated ``[timetable]`` table."""
    base = path.parent if path is not None else Path(".")
    saved = clean.get("saved")
    topics = clean.get("sampling_topics")
    return TimetableSettings(
        day_start=clean.get("day_start"),
        day_end=clean.get("day_end"),
        review_minutes=clean.get("review_minutes"),
        slack_minutes=clean.get("slack_minutes"),
        travel_minutes=clean.get("travel_minutes"),
        office=clean.get("office"),
        saved=None if saved is None else base / saved,
        agreed=clean.get("agreed"),
        inspectors=tuple(clean.get("inspectors", ())),
        sampling_topics=None if topics is None else tuple(topics),
        lengths=dict(clean.get("lengths", {})),
        attendees={k: tuple(v) for k, v in clean.get("attendees", {}).items()},
        modes=dict(clean.get("modes", {})),
        travel=tuple(
            (t["between"][0], t["between"][1], t["minutes"]) for t in clean.get("travel", ())
        ),
        unavailable=tuple(
            Unavailable(u["who"], u["date"], u.get("from"), u.get("to"), u.get("note"))
            for u in clean.get("unavailable", ())
        ),
        sessions=tuple(
            ExtraSession(
                id=s.get("id") or slug(s["title"]),
                title=s["title"],
                kind=s.get("kind", "leaders_meeting"),
                people=tuple(s.get("people", ())),
                inspectors=s.get("inspectors", 1),
                date=s.get("date"),
                length=s.get("length"),
                venue=s.get("venue"),
                mode=s.get("mode"),
            )
            for s in clean.get("sessions", ())
        ),
    )


def person_ids(clean: Mapping[str, Any]) -> dict[str, str]:
    """Every way a case names a person or provider, mapped to its id.

    A ``[people]`` role is its own id (whether or not a name is given); a
    person of ``[[people.other]]`` is known by their name; a provider by its
    name.  Names match case-insensitively.
    """
    from sendplan.roles import PEOPLE_ROLES

    ids: dict[str, str] = {role: role for role in PEOPLE_ROLES}
    people = clean.get("people", {}) or {}
    for role, person in people.items():
        if role == "other":
            continue
        ids[role] = role
        if isinstance(person, Mapping) and person.get("name"):
            ids[str(person["name"]).casefold()] = role
    for person in people.get("other", ()) or ():
        if isinstance(person, Mapping) and person.get("name"):
            ids[str(person["name"]).casefold()] = str(person["name"])
    for provider in clean.get("providers", ()) or ():
        if isinstance(provider, Mapping) and provider.get("name"):
            ids[str(provider["name"]).casefold()] = "provider:" + str(provider["name"])
    return ids


def resolve_who(who: str, ids: Mapping[str, str]) -> str | None:
    return ids.get(who) or ids.get(who.casefold())


def _minutes(hhmm: str) -> int:
    hours, minutes = hhmm.split(":")
    return int(hours) * 60 + int(minutes)


def _activities_data(kind: Any) -> Mapping[str, Any] | None:
    """The packaged timetable data of ``kind`` (its [defaults], [lengths] and
    activities), or None for a kind without a timetable.  Read here as data: the
    case layer does not import the timetable (``sendplan.timetable.activities``
    checks the same file when a timetable is built)."""
    from sendplan.cache import load_toml

    path = Path(__file__).resolve().parent.parent / "data" / "timetable" / f"{kind}.toml"
    if not isinstance(kind, str) or not kind.isidentifier() or not path.is_file():
        return None
    return load_toml(path)


def _day_issues(clean: Mapping[str, Any], section: Mapping[str, Any]) -> list[Issue]:
    """A working day too short for any timetable, found before any solve: each day
    keeps every inspector's review time and slack (para 96) and holds a session."""
    kind = (clean.get("inspection") or {}).get("kind")
    data = _activities_data(kind)
    if data is None:
        return []

    def setting(key: str) -> Any:
        value = section.get(key)
        return data["defaults"][key] if value is None else value

    day = _minutes(setting("day_end")) - _minutes(setting("day_start"))
    lengths = {**data["lengths"], **section.get("lengths", {})}
    shortest = min(lengths[a["kind"]] for a in data["activity"])
    review, slack = setting("review_minutes"), setting("slack_minutes")
    if day >= review + slack + shortest:
        return []
    return [
        Issue(
            ("timetable", "day_end" if "day_end" in section else "day_start"),
            f"leaves a working day of {day} minutes ({setting('day_start')} to "
            f"{setting('day_end')}), shorter than each inspector's {review} minutes of "
            f"review and {slack} of slack (para 96) and the shortest session "
            f"({shortest} minutes): no timetable can fit, so none is searched for",
            "make the day longer, or review_minutes and slack_minutes shorter",
        )
    ]


def timetable_issues(clean: Mapping[str, Any]) -> list[Issue]:
    """Problems in ``[timetable]`` that need the rest of the case: unknown people, times."""
    section = clean.get("timetable")
    if not section:
        return []
    issues: list[Issue] = []
    ids = person_ids(clean)
    names = sorted(k for k in ids if k == k.casefold())

    def check_who(who: str, path: tuple[str | int, ...]) -> None:
        if resolve_who(who, ids) is None:
            issues.append(
                Issue(
                    path,
                    f"{who!r} is not a [people] role, a person's name or a provider",
                    suggestion_text(who.casefold(), names),
                )
            )

    start, end = section.get("day_start"), section.get("day_end")
    if start and end and start >= end:
        issues.append(Issue(("timetable", "day_end"), f"must be after day_start ({start})"))
    else:
        issues += _day_issues(clean, section)
    named: dict[str, int] = {}
    for i, who in enumerate(section.get("inspectors", ())):
        check_who(who, ("timetable", "inspectors", i))
        person = resolve_who(who, ids) or who.casefold()
        if person in named:
            issues.append(
                Issue(
                    ("timetable", "inspectors", i),
                    f"{who!r} is already listed (inspectors[{named[person]}]); "
                    "list each inspector once",
                )
            )
        named.setdefault(person, i)
    for key, people in section.get("attendees", {}).items():
        for i, who in enumerate(people):
            check_who(who, ("timetable", "attendees", key, i))
    for i, entry in enumerate(section.get("unavailable", ())):
        if entry.get("who") is not None:
            check_who(entry["who"], ("timetable", "unavailable", i, "who"))
        low, high = entry.get("from"), entry.get("to")
        if low and high and low >= high:
            issues.append(
                Issue(("timetable", "unavailable", i, "to"), f"must be after `from` ({low})")
            )
    for i, entry in enumerate(section.get("travel", ())):
        if len(entry.get("between", ())) != 2:
            issues.append(Issue(("timetable", "travel", i, "between"), "give exactly two venues"))
    seen: set[str] = set()
    for i, entry in enumerate(section.get("sessions", ())):
        for j, who in enumerate(entry.get("people", ())):
            check_who(who, ("timetable", "sessions", i, "people", j))
        sid = entry.get("id") or slug(entry.get("title") or "")
        if sid in seen:
            issues.append(
                Issue(("timetable", "sessions", i), f"two sessions have the id {sid!r}; give `id`")
            )
        seen.add(sid)
    return issues
