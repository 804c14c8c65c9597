"""The case file: one TOML file describing one inspection and its tracking state.

Each key is declared once, as a field of the record that holds it
(:class:`Inspection`, :class:`Monitoring`, ...): its type, its default, and a
:class:`~sendplan.schema.Key` with its documentation and checks.
``CASE_SCHEMA`` is assembled from those records; it drives validation,
``sendplan schema``, ``sendplan init`` and the README's key tables (``cog -r
README.md``).  Adding a key is adding the field, then using it.
:func:`load_case` reads a file, reports *every* problem as ``file:line: key:
message (did you mean ...?)`` and hands the rest of sendplan a frozen
:class:`Case` (each section built by :func:`~sendplan.schema.build_record`).

New keys and sections have defaults, so older case files stay valid.
"""

# No `from __future__ import annotations`: the records' annotations (their keys'
# documentation) are built once at import, not compiled from strings and evaluated.

from collections.abc import Callable, Iterator, Mapping
from datetime import date, datetime
from pathlib import Path
from types import MappingProxyType
from typing import Any

from sendplan.annex import CHECKLIST_SCHEMA, ChecklistSettings, checklist_settings
from sendplan.case.absences import ABSENCES_SCHEMA, Absence, build_absences
from sendplan.case.timetable import (
    TIMETABLE_SCHEMA,
    TimetableSettings,
    timetable_settings,
)
from sendplan.errors import UsageError
from sendplan.namedtuples import NamedTuple
from sendplan.person_fields import FIELDS as LIST_FIELDS
from sendplan.roles import PEOPLE_ROLES
from sendplan.rules import KINDS
from sendplan.schema import (
    Annotated,
    Key,
    Node,
    Table,
    TableList,
    Value,
    build_record,
    record_table,
)

#: The section each kind other than a full inspection may add, by kind.
KIND_SECTIONS: dict[str, str] = {
    "monitoring": "monitoring",
    "revisit": "revisit",
    "engagement": "engagement",
}

#: Recorded outcomes of a full inspection (handbook paras 20, 37).
OUTCOMES: dict[str, str] = {
    "positive": (
        "The local area partnership's arrangements typically lead to positive experiences "
        "and outcomes for children and young people with SEND."
    ),
    "inconsistent": (
        "The local area partnership's arrangements lead to inconsistent experiences and "
        "outcomes for children and young people with SEND."
    ),
    "widespread": (
        "There are widespread and/or systemic failings leading to significant concerns about "
        "the experiences and outcomes of children and young people with SEND."
    ),
}


#: ``[tracking.columns]``: a heading per person-level field (``sendplan.person_fields``).
_LIST_COLUMNS = Table(
    {f.name: Value("string", f"Heading used for {f.heading!r}.") for f in LIST_FIELDS},
    doc="Headings of the person-level lists that differ from Ofsted's template, "
    'by field, e.g. primary_need = "Primary SEN type".',
)


class Person(NamedTuple):
    """A person: name, role, organisation, email, phone (all optional)."""

    name: Annotated[str | None, Key("Full name as it should appear in letters.")] = None
    role: Annotated[str | None, Key("Job title, e.g. 'Director of Children's Services'.")] = None
    organisation: Annotated[
        str | None, Key("Organisation, e.g. 'Exampleshire County Council'.")
    ] = None
    email: Annotated[str | None, Key("Email address.", pattern=r"[^@\s]+@[^@\s]+")] = None
    phone: Annotated[str | None, Key("Telephone number.")] = None
    deputy: Annotated[
        str | None,
        Key(
            "Who represents them when they cannot attend: a colleague who typically "
            "deputises for them (para 128), by name or [people] role.",
            example="Jo Patel",
        ),
    ] = None


class Inspection(NamedTuple):
    """``[inspection]``: the kind, the local area and the dates."""

    kind: Annotated[
        str,
        Key(
            "Which activity: full inspection, monitoring inspection, WSoA re-visit "
            "or engagement meeting.",
            required=True,
            choices=KINDS,
            example="full",
        ),
    ]
    local_area: Annotated[str, Key("The local area (local authority footprint).", required=True)]
    la_code: Annotated[
        str | None,
        Key("ONS code of the local authority, e.g. E10000017.", pattern=r"[EWSN]\d{8}"),
    ] = None
    notification: Annotated[
        date | None,
        Key("Day the local area is notified (day 1). Give this, on_site_start, or both."),
    ] = None
    on_site_start: Annotated[
        date | None, Key("First on-site day. Give this, notification, or both.")
    ] = None
    on_site_days: Annotated[
        int | None,
        Key("Days on site; full inspections default to 5 (para 122).", minimum=1),
    ] = None
    outcome: Annotated[
        str | None,
        Key(
            "Recorded outcome of a full inspection (paras 20, 37): positive, "
            "inconsistent or widespread.",
            choices=tuple(OUTCOMES),
        ),
    ] = None
    areas_for_priority_action: Annotated[
        tuple[str, ...],
        Key(
            "Full inspections with the outcome `widespread`: the areas for priority "
            "action as the report words them (paras 146-149), for the priority action "
            "plan and report outline letters."
        ),
    ] = ()


class SchoolHoliday(NamedTuple):
    """``[[calendar.school_holidays]]``: one school holiday, first and last day included."""

    start: Annotated[date, Key("First day of the holiday.", required=True)]
    end: Annotated[date, Key("Last day of the holiday.", required=True)]
    name: Annotated[str | None, Key("What it is, e.g. 'October half term'.")] = None

    @property
    def title(self) -> str:
        """What a sentence calls it: its name, or "a school holiday"."""
        return self.name or "a school holiday"


class CalendarSettings(NamedTuple):
    """``[calendar]``: the working-day calendar."""

    extra_closures: Annotated[
        tuple[date, ...],
        Key("Extra non-working days (local closures), on top of England and Wales bank holidays."),
    ] = ()
    #: None when the case gives no term dates (then the England-wide floor applies).
    school_holidays: Annotated[
        tuple[SchoolHoliday, ...] | None,
        Key(
            "The local area's school holidays (term dates differ between local authorities): "
            "sendplan warns when weeks 1-3 touch one, as inspections usually take place in "
            "term time (para 74). Without them it checks the Christmas and New Year break "
            "and Easter, and, marked usual rather than certain, August and the usual "
            "half-terms.",
            record=SchoolHoliday,
            record_doc="One school holiday, first and last day included.",
        ),
    ] = None


#: The most children a case may track, and the most reserves: para 90 says
#: "approximately 6"; the timetable's generated weeks use up to 12; twice that is
#: generous, and keeps ``checklist`` and ``mark "7.*"`` (one item per child) quick.
MAX_TRACKED = 24


class Tracking(NamedTuple):
    """Who is tracked, by pseudonymous Unique ID (never a name or UPN)."""

    selected: Annotated[
        tuple[str, ...],
        Key(
            "Unique IDs (the person-level template's pseudonymous id) of the children "
            "and young people selected for tracking meetings (paras 90-93). Never names.",
            max_items=MAX_TRACKED,
        ),
    ] = ()
    reserves: Annotated[
        tuple[str, ...],
        Key(
            "Unique IDs of reserves, in case a family declines (para 93).",
            max_items=MAX_TRACKED,
        ),
    ] = ()
    # Issue 5 (sendplan select, lists check): how to read the local area's lists.
    columns: Annotated[
        Mapping[str, str],
        Key(
            "List headings by field.",
            node=_LIST_COLUMNS,
        ),
    ] = MappingProxyType({})
    home_la: Annotated[
        tuple[str, ...],
        Key(
            "Names or codes that mean 'lives in this area' in a home local authority "
            "column of the lists (default: inspection.local_area and la_code). "
            "Others are out of scope (paras 13, 91)."
        ),
    ] = ()


class Provider(NamedTuple):
    """A provider or service chosen for a sampling visit (para 114)."""

    name: Annotated[str, Key("Provider or service name.", required=True)]
    type: Annotated[
        str | None,
        Key(
            "Which part of the system: education, health or care (para 114).",
            choices=("education", "health", "care"),
        ),
    ] = None
    email: Annotated[str | None, Key("Email address.", pattern=r"[^@\s]+@[^@\s]+")] = None
    contact: Annotated[str | None, Key("Who the notice is addressed to, e.g. 'Headteacher'.")] = (
        None
    )


class HistorySettings(NamedTuple):
    """``[history]``: ``data`` is already resolved against the case file's folder."""

    data: Annotated[
        Path | None,
        Key(
            "A newer inspection record (CSV with the packaged record's columns), "
            "relative to the case file; default: the record packaged with sendplan."
        ),
    ] = None
    previous_outcome: Annotated[
        str | None,
        Key(
            "Outcome of the local area's last inspection before this one: positive, "
            "inconsistent or widespread (2023 framework), wsoa or no_wsoa (2016); "
            "sendplan warns when the inspection record disagrees.",
            choices=("positive", "inconsistent", "widespread", "wsoa", "no_wsoa"),
        ),
    ] = None


class ReadinessSettings(NamedTuple):
    """``[readiness]``: how fresh evidence must be before the call (``sendplan ready``).

    None means sendplan's own assumption (``data/readiness.toml``), which it
    marks as such wherever it is shown: the handbook sets no such limit.
    """

    refresh_days: Annotated[
        int | None,
        Key(
            "Days after an Annex A item's `refreshed` date that its evidence counts as "
            "stale, unless the item gives its own `refresh_days`; default 90 (about a "
            "term: sendplan's assumption, not the handbook's).",
            minimum=1,
            maximum=3650,
        ),
    ] = None
    next_day_refresh_days: Annotated[
        int | None,
        Key(
            "The same for items due by 11:00 the next working day (the person-level "
            "lists, the provider list, items 1.1-1.7, para 192); default 30 (sendplan's "
            "assumption: no time is left after the call to bring them up to date).",
            minimum=1,
            maximum=3650,
        ),
    ] = None


#: The 3 surveys inspectors share at notification (para 88), by case key.
SURVEYS: dict[str, str] = {
    "children": "children and young people with SEND",
    "parents": "parents and carers",
    "practitioners": "practitioners working with children and young people with SEND",
}

_SURVEY_LINKS = Table(
    {
        key: Value("string", f"Link to the survey for {who} (para 88).")
        for key, who in SURVEYS.items()
    },
    doc="The 3 survey links the inspectors share at notification (para 88), for the "
    "survey-invitation letter (the parents link also for the re-visit open meeting "
    "notice, re-visit guidance para 16); a missing one is a visible placeholder.",
)


class LetterSettings(NamedTuple):
    """``[letters]``: ``templates`` is already resolved against the case file's folder."""

    templates: Annotated[
        Path | None,
        Key(
            "Folder of your own letter templates, relative to the case file; same "
            "name overrides a shipped template, a new name adds one."
        ),
    ] = None
    survey_links: Annotated[
        Mapping[str, str], Key("Survey links by survey.", node=_SURVEY_LINKS)
    ] = MappingProxyType({})


class Monitoring(NamedTuple):
    """A monitoring inspection's background (handbook paras 157-162)."""

    areas_for_priority_action: Annotated[
        tuple[str, ...],
        Key(
            "Short titles of the areas for priority action from the full inspection "
            "report (paras 158, 172)."
        ),
    ] = ()
    full_report_published: Annotated[
        date | None,
        Key(
            "Publication date of that full inspection's report; sendplan warns when "
            "the monitoring inspection falls far from about 18 months after it "
            "(paras 20, 157)."
        ),
    ] = None
    triggered_by_concern: Annotated[
        bool,
        Key(
            "True for a monitoring inspection carried out because of concern, where no "
            "priority action plan (area SEND) was required (paras 162, 173)."
        ),
    ] = False
    concerns: Annotated[
        tuple[str, ...],
        Key(
            "With triggered_by_concern: short titles of the issues that gave rise to the "
            "decision to inspect, which the inspection and its letter address (paras 162, 173)."
        ),
    ] = ()
    ilacs_monitoring_visits: Annotated[
        tuple[date, ...] | None,
        Key(
            "Dates of the local authority's monitoring visits under the ILACS framework "
            "(children's services), past and planned; sendplan warns when this inspection "
            "makes more than 3 monitoring visits across both frameworks within 12 months, "
            "and says the check cannot be made without them (para 22). [] for none."
        ),
    ] = None


class Revisit(NamedTuple):
    """A WSoA re-visit's background (re-visit guidance paras 3-5)."""

    areas_of_significant_weakness: Annotated[
        tuple[str, ...],
        Key(
            "Short titles of the areas of significant weakness in the written statement "
            "of action (WSoA) (re-visit guidance paras 3, 23)."
        ),
    ] = ()
    initial_inspection_start: Annotated[
        date | None, Key("First on-site day of the initial (2016 framework) inspection.")
    ] = None
    initial_letter_received: Annotated[
        date | None,
        Key(
            "Day the pre-publication inspection letter arrived; the WSoA is due 70 "
            "working days later (re-visit guidance para 5)."
        ),
    ] = None
    wsoa_fit_for_purpose: Annotated[
        date | None,
        Key(
            "Day the WSoA was declared fit for purpose; sendplan warns when the re-visit "
            "is more than 18 months later (re-visit guidance para 5)."
        ),
    ] = None


class Engagement(NamedTuple):
    """An engagement meeting (handbook paras 180-191)."""

    meeting_date: Annotated[
        date | None, Key("Date of the engagement meeting, agreed locally (para 188).")
    ] = None
    #: None: the engagement rules' default (``self_evaluation_lead_days``).
    self_evaluation_lead_days: Annotated[
        int | None,
        Key(
            "Working days before the meeting that the self-evaluation is sent. The "
            "handbook gives no number (para 182); default 10 (two working weeks), the "
            "`self_evaluation_lead_days` parameter of the engagement rules.",
            minimum=1,
            maximum=60,
        ),
    ] = None
    previous_inspection_outcome: Annotated[
        str | None,
        Key(
            "Outcome of the last full inspection, if any (paras 20, 188): positive, "
            "inconsistent or widespread.",
            choices=tuple(OUTCOMES),
        ),
    ] = None


class Section(NamedTuple):
    """How one section of the case file is declared and built, on its field of :class:`Case`.

    By default the field's record declares the section (:func:`record_table`) and
    is built from it (:func:`build_record`); ``node`` and ``build`` declare a
    section that is not one record.
    """

    doc: str = ""
    required: bool = False
    node: Node | None = None
    #: Builds the field from the validated section and the case file's path.
    build: Callable[[Any, Path | None], Any] | None = None


class People(Mapping[str, Person]):
    """``[people]``: a person by role (:data:`PEOPLE_ROLES`), and ``other`` people."""

    def __init__(
        self, roles: Mapping[str, Person] | None = None, other: tuple[Person, ...] = ()
    ) -> None:
        self._roles = dict(roles or {})
        self.other = other

    def __getitem__(self, role: str) -> Person:
        return self._roles[role]

    def __iter__(self) -> Iterator[str]:
        return iter(self._roles)

    def __len__(self) -> int:
        return len(self._roles)


_PERSON = record_table(Person, "A person: name, role, organisation, email, phone (all optional).")
_PEOPLE = Table(
    {role: Table(_PERSON.fields, doc=doc) for role, doc in PEOPLE_ROLES.items()}
    | {"other": TableList(_PERSON, doc="Anyone else: leads for education, health and care, say.")},
    doc="The people of the inspection, by role.",
    unknown_key_doc=f"is not a role; the roles are {', '.join(PEOPLE_ROLES)}, and "
    f"anyone else goes in [[people.other]] with {', '.join(_PERSON.fields)}",
)


def _people(clean: Mapping[str, Any], path: Path | None) -> People:
    return People(
        {k: build_record(Person, v) for k, v in clean.items() if k != "other"},
        tuple(build_record(Person, p) for p in clean.get("other", ())),
    )


def _providers(clean: Any, path: Path | None) -> tuple[Provider, ...]:
    return tuple(build_record(Provider, p) for p in clean or ())


_DATES = Table(
    extra=Value("date_or_datetime"),
    extra_key_pattern=r"[a-z0-9_]+",
    extra_key_doc="an event id from `sendplan schedule --format json`",
    doc=(
        "Dates as they really happened or were agreed, by event id (e.g. "
        "draft_report_due = 2025-06-02). Events anchored on them follow."
    ),
)


class Case(NamedTuple):
    """A validated case file.  ``path`` is where it came from (for messages).

    Every field but ``path`` is a section of the file, declared here once, in the
    file's order (a :class:`Section`): :data:`CASE_SCHEMA` and :func:`load_case`
    (:func:`~sendplan.case.loading.parse_case`) are read off these fields, and
    the schema drives validation, ``sendplan schema``, ``sendplan init`` and
    the README's key tables (``cog -I docs -r README.md``).
    """

    inspection: Annotated[
        Inspection, Section("The inspection: kind, local area and dates.", required=True)
    ]
    calendar: Annotated[CalendarSettings, Section("Working-day calendar settings.")] = (
        CalendarSettings()
    )
    people: Annotated[People, Section(node=_PEOPLE, build=_people)] = People()
    tracking: Annotated[
        Tracking, Section("Tracking-meeting selection: pseudonymous Unique IDs only.")
    ] = Tracking()
    providers: Annotated[
        tuple[Provider, ...],
        Section(
            node=TableList(
                record_table(Provider, "A provider or service chosen for a sampling visit."),
                doc="Providers and services chosen for sampling visits: one notice each "
                "(para 114).",
            ),
            build=_providers,
        ),
    ] = ()
    letters: Annotated[LetterSettings, Section("Letter settings for `sendplan letter`.")] = (
        LetterSettings()
    )
    monitoring: Annotated[
        Monitoring, Section('Monitoring inspection (kind = "monitoring", handbook Part 3).')
    ] = Monitoring()
    revisit: Annotated[
        Revisit, Section('WSoA re-visit (kind = "revisit", 2018 re-visit guidance).')
    ] = Revisit()
    engagement: Annotated[
        Engagement, Section('Engagement meeting (kind = "engagement", handbook Part 4).')
    ] = Engagement()
    # Annex A tracking (issue 4, sendplan.annex)
    checklist: Annotated[
        ChecklistSettings,
        Section(node=CHECKLIST_SCHEMA, build=lambda clean, path: checklist_settings(clean)),
    ] = ChecklistSettings()
    # Weeks 2 and 3 (issue 12, sendplan.timetable)
    timetable: Annotated[
        TimetableSettings, Section(node=TIMETABLE_SCHEMA, build=timetable_settings)
    ] = TimetableSettings()
    # Whole days away (issue 19, sendplan.case.absences)
    absences: Annotated[
        tuple[Absence, ...], Section(node=ABSENCES_SCHEMA, build=build_absences)
    ] = ()
    history: Annotated[
        HistorySettings, Section("The published inspection record (`sendplan history`).")
    ] = HistorySettings()
    readiness: Annotated[
        ReadinessSettings,
        Section("Readiness before the call (`sendplan ready`): how fresh evidence must be."),
    ] = ReadinessSettings()
    dates: Annotated[
        Mapping[str, date | datetime], Section(node=_DATES, build=lambda clean, path: dict(clean))
    ] = MappingProxyType({})
    path: Path | None = None
    #: What the case file should change though it is valid (every command warns).
    warnings: tuple[str, ...] = ()

    @property
    def extra_closures(self) -> tuple[date, ...]:
        return self.calendar.extra_closures

    @property
    def school_holidays(self) -> tuple[SchoolHoliday, ...] | None:
        """``[calendar] school_holidays``; None when not given."""
        return self.calendar.school_holidays

    @property
    def other_people(self) -> tuple[Person, ...]:
        return self.people.other

    @property
    def kind(self) -> str:
        return self.inspection.kind

    @property
    def has_dates(self) -> bool:
        """Whether the case dates its inspection (notification or on-site start, in
        ``[inspection]`` or ``[dates]``); an engagement meeting always has its date.
        A case without them is valid: it is planned with ``sendplan ready``."""
        if self.kind == "engagement":
            return True
        given = self.inspection.notification or self.inspection.on_site_start
        return given is not None or bool({"notification", "on_site_start"} & set(self.dates))

    @property
    def local_area(self) -> str:
        return self.inspection.local_area

    @property
    def tracked_ids(self) -> tuple[str, ...]:
        """The tracked children's and reserves' ids: a file naming one is owner-only."""
        return tuple(dict.fromkeys((*self.tracking.selected, *self.tracking.reserves)))

    def with_dates(
        self, notification: date | None = None, on_site_start: date | None = None
    ) -> "Case":
        """This case with notification and/or on-site start replaced (a rehearsal).

        Giving one clears the other, so the guidance's rule places it.  The saved
        timetable (``[timetable] saved``) was booked for the case's own dates, so a
        rehearsal leaves it out: letters and calendars then show no booked time
        from another week.
        """
        if notification is None and on_site_start is None:
            return self
        if self.kind == "engagement":
            raise UsageError(
                "an engagement meeting has no notification or on-site days (handbook para 188); "
                "rehearse another date by changing `engagement.meeting_date`"
            )
        inspection = self.inspection._replace(
            notification=notification, on_site_start=on_site_start
        )
        return self._replace(inspection=inspection, timetable=self.timetable._replace(saved=None))


def _sections() -> dict[str, tuple[type[Any], Section]]:
    """The sections of :class:`Case` in the file's order: each field's type and
    :class:`Section` (read from the annotations, evaluated once at import)."""
    out: dict[str, tuple[type[Any], Section]] = {}
    for name, hint in Case.__annotations__.items():
        extras = [m for m in getattr(hint, "__metadata__", ()) if isinstance(m, Section)]
        if extras:
            out[name] = (hint.__origin__, extras[0])
    return out


#: Each section of the case file: its field's type and declaration.
SECTIONS = _sections()

#: Every key a case file may hold, read off :class:`Case`'s sections.
CASE_SCHEMA = Table(
    {
        name: section.node or record_table(kind, section.doc, required=section.required)
        for name, (kind, section) in SECTIONS.items()
    },
    doc="A sendplan case file: one area SEND inspection.",
)


def build_case(clean: Mapping[str, Any], path: Path | None, warnings: tuple[str, ...] = ()) -> Case:
    """The :class:`Case` of a validated case file (``path`` resolves its relative paths;
    ``warnings``: what it should still change)."""
    folder = path.parent if path is not None else None
    values: dict[str, Any] = {}
    for name, (kind, section) in SECTIONS.items():
        given = clean.get(name, {})
        if section.build is not None:
            values[name] = section.build(given, path)
        else:
            values[name] = build_record(kind, given, folder)
    return Case(path=path, warnings=warnings, **values)
