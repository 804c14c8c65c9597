"""The case file: one TOML file describing one inspection and its tracking state.

``CASE_SCHEMA`` declares every key (type, default, documentation); it drives
validation, ``sendplan schema`` and the README.  :func:`load_case` reads a
file, reports *every* problem as ``file:line: key: message (did you mean
...?)`` and hands the rest of sendplan a frozen :class:`Case`.

New sections are added to ``CASE_SCHEMA`` and :class:`Case` with defaults, so
older case files stay valid.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from types import MappingProxyType
from typing import Any, NamedTuple

from sendplan.annex import CHECKLIST_SCHEMA, ChecklistSettings, checklist_issues, checklist_settings
from sendplan.errors import CaseFileError, Problem, UsageError, suggestion_text
from sendplan.person_fields import FIELDS as LIST_FIELDS
from sendplan.rules import KINDS, load_rules
from sendplan.schema import Issue, Table, TableList, Value, key_lines, locate_line, validate
from sendplan.timetable.settings import (
    TIMETABLE_SCHEMA,
    TimetableSettings,
    timetable_issues,
    timetable_settings,
)

#: Inspection kinds this version can schedule.
SUPPORTED_KINDS: tuple[str, ...] = ("full", "monitoring", "revisit", "engagement")

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

#: People a case can name, by the handbook's roles.
PEOPLE_ROLES: dict[str, str] = {
    "dcs": "Director of children's services (notified by Ofsted, para 82)",
    "icb_chief_executive": "Chief executive of the ICB (notified by the CQC, para 82)",
    "icb_representative": "ICB representative for the inspection (paras 85, 128)",
    "lano": "Local area nominated officer (para 83)",
    "lead_inspector": "Ofsted lead inspector (HMI)",
    "cqc_inspector": "CQC inspector",
    "pcf_contact": "Parent Carer Forum contact (paras 101, 163)",
    "designated_clinical_officer": "ICB designated clinical officer (or medical officer)",
    "principal_authority_contact": "Principal authority for a priority action plan (para 147)",
}

_PERSON = Table(
    {
        "name": Value("string", "Full name as it should appear in letters."),
        "role": Value("string", "Job title, e.g. 'Director of Children's Services'."),
        "organisation": Value("string", "Organisation, e.g. 'Exampleshire County Council'."),
        "email": Value("string", "Email address.", pattern=r"[^@\s]+@[^@\s]+"),
        "phone": Value("string", "Telephone number."),
    },
    doc="A person: name, role, organisation, email, phone (all optional).",
)

CASE_SCHEMA = Table(
    {
        "inspection": Table(
            {
                "kind": Value(
                    "string",
                    "Which activity: full inspection, monitoring inspection, WSoA re-visit "
                    "or engagement meeting.",
                    required=True,
                    choices=KINDS,
                    example="full",
                ),
                "local_area": Value(
                    "string", "The local area (local authority footprint).", required=True
                ),
                "la_code": Value(
                    "string",
                    "ONS code of the local authority, e.g. E10000017.",
                    pattern=r"[EWSN]\d{8}",
                ),
                "notification": Value(
                    "date",
                    "Day the local area is notified (day 1). Give this, on_site_start, or both.",
                ),
                "on_site_start": Value(
                    "date", "First on-site day. Give this, notification, or both."
                ),
                "on_site_days": Value(
                    "integer",
                    "Days on site; full inspections default to 5 (para 122).",
                    minimum=1,
                ),
                "outcome": Value(
                    "string",
                    "Recorded outcome of a full inspection (paras 20, 37): positive, "
                    "inconsistent or widespread.",
                    choices=tuple(OUTCOMES),
                ),
                "areas_for_priority_action": Value(
                    "string_list",
                    "Full inspections with the outcome `widespread`: the areas for priority "
                    "action as the report words them (paras 146-149), for the priority action "
                    "plan and report outline letters.",
                ),
            },
            doc="The inspection: kind, local area and dates.",
            required=True,
        ),
        "calendar": Table(
            {
                "extra_closures": Value(
                    "date_list",
                    "Extra non-working days (local closures), on top of England and Wales "
                    "bank holidays.",
                ),
            },
            doc="Working-day calendar settings.",
        ),
        "people": Table(
            {role: Table(_PERSON.fields, doc=doc) for role, doc in PEOPLE_ROLES.items()}
            | {
                "other": TableList(
                    _PERSON, doc="Anyone else: leads for education, health and care, say."
                )
            },
            doc="The people of the inspection, by role.",
        ),
        "tracking": Table(
            {
                "selected": Value(
                    "string_list",
                    "Unique IDs (the person-level template's pseudonymous id) of the children "
                    "and young people selected for tracking meetings (paras 90-93). Never names.",
                ),
                "reserves": Value(
                    "string_list", "Unique IDs of reserves, in case a family declines (para 93)."
                ),
                # Issue 5 (sendplan select, lists check): how to read the local area's lists.
                "columns": Table(
                    {
                        f.name: Value("string", f"Heading used for {f.heading!r}.")
                        for f in LIST_FIELDS
                    },
                    doc="Headings of the person-level lists that differ from Ofsted's template, "
                    'by field, e.g. primary_need = "Primary SEN type".',
                ),
                "home_la": Value(
                    "string_list",
                    "Names or codes that mean 'lives in this area' in a home local authority "
                    "column of the lists (default: inspection.local_area and la_code). "
                    "Others are out of scope (paras 13, 91).",
                ),
            },
            doc="Tracking-meeting selection: pseudonymous Unique IDs only.",
        ),
        "providers": TableList(
            Table(
                {
                    "name": Value("string", "Provider or service name.", required=True),
                    "type": Value(
                        "string",
                        "Which part of the system: education, health or care (para 114).",
                        choices=("education", "health", "care"),
                    ),
                    "email": Value("string", "Email address.", pattern=r"[^@\s]+@[^@\s]+"),
                    "contact": Value(
                        "string", "Who the notice is addressed to, e.g. 'Headteacher'."
                    ),
                },
                doc="A provider or service chosen for a sampling visit.",
            ),
            doc="Providers and services chosen for sampling visits: one notice each (para 114).",
        ),
        "letters": Table(
            {
                "templates": Value(
                    "string",
                    "Folder of your own letter templates, relative to the case file; same "
                    "name overrides a shipped template, a new name adds one.",
                ),
            },
            doc="Letter settings for `sendplan letter`.",
        ),
        "monitoring": Table(
            {
                "areas_for_priority_action": Value(
                    "string_list",
                    "Short titles of the areas for priority action from the full inspection "
                    "report (paras 158, 172).",
                ),
                "full_report_published": Value(
                    "date",
                    "Publication date of that full inspection's report; sendplan warns when "
                    "the monitoring inspection falls far from about 18 months after it "
                    "(paras 20, 157).",
                ),
                "triggered_by_concern": Value(
                    "boolean",
                    "True for a monitoring inspection carried out because of concern, where no "
                    "priority action plan (area SEND) was required (paras 162, 173).",
                    default=False,
                ),
            },
            doc='Monitoring inspection (kind = "monitoring", handbook Part 3).',
        ),
        "revisit": Table(
            {
                "areas_of_significant_weakness": Value(
                    "string_list",
                    "Short titles of the areas of significant weakness in the written statement "
                    "of action (WSoA) (re-visit guidance paras 3, 23).",
                ),
                "initial_inspection_start": Value(
                    "date", "First on-site day of the initial (2016 framework) inspection."
                ),
                "initial_letter_received": Value(
                    "date",
                    "Day the pre-publication inspection letter arrived; the WSoA is due 70 "
                    "working days later (re-visit guidance para 5).",
                ),
                "wsoa_fit_for_purpose": Value(
                    "date",
                    "Day the WSoA was declared fit for purpose; sendplan warns when the re-visit "
                    "is more than 18 months later (re-visit guidance para 5).",
                ),
            },
            doc='WSoA re-visit (kind = "revisit", 2018 re-visit guidance).',
        ),
        "engagement": Table(
            {
                "meeting_date": Value(
                    "date", "Date of the engagement meeting, agreed locally (para 188)."
                ),
                "self_evaluation_lead_days": Value(
                    "integer",
                    "Working days before the meeting that the self-evaluation is sent. The "
                    "handbook gives no number (para 182); default 10 (two working weeks), the "
                    "`self_evaluation_lead_days` parameter of the engagement rules.",
                    minimum=1,
                    maximum=60,
                ),
                "previous_inspection_outcome": Value(
                    "string",
                    "Outcome of the last full inspection, if any (paras 20, 188): positive, "
                    "inconsistent or widespread.",
                    choices=tuple(OUTCOMES),
                ),
            },
            doc='Engagement meeting (kind = "engagement", handbook Part 4).',
        ),
        "checklist": CHECKLIST_SCHEMA,  # Annex A tracking (issue 4, sendplan.annex)
        "timetable": TIMETABLE_SCHEMA,  # weeks 2 and 3 (issue 12, sendplan.timetable)
        "history": Table(
            {
                "data": Value(
                    "string",
                    "A newer inspection record (CSV with the packaged record's columns), "
                    "relative to the case file; default: the record packaged with sendplan.",
                ),
                "previous_outcome": Value(
                    "string",
                    "Outcome of the local area's last inspection before this one: positive, "
                    "inconsistent or widespread (2023 framework), wsoa or no_wsoa (2016); "
                    "sendplan warns when the inspection record disagrees.",
                    choices=("positive", "inconsistent", "widespread", "wsoa", "no_wsoa"),
                ),
            },
            doc="The published inspection record (`sendplan history`).",
        ),
        "dates": Table(
            extra=Value("date_or_datetime"),
            extra_key_pattern=r"[a-z0-9_]+",
            extra_key_doc="an event id from `sendplan schedule --format json`",
            doc=(
                "Dates as they really happened or were agreed, by event id (e.g. "
                "draft_report_due = 2025-06-02). Events anchored on them follow."
            ),
        ),
    },
    doc="A sendplan case file: one area SEND inspection.",
)


class Person(NamedTuple):
    name: str | None = None
    role: str | None = None
    organisation: str | None = None
    email: str | None = None
    phone: str | None = None


class Inspection(NamedTuple):
    kind: str
    local_area: str
    la_code: str | None = None
    notification: date | None = None
    on_site_start: date | None = None
    on_site_days: int | None = None
    outcome: str | None = None
    areas_for_priority_action: tuple[str, ...] = ()


class Tracking(NamedTuple):
    """Who is tracked, by pseudonymous Unique ID (never a name or UPN)."""

    selected: tuple[str, ...] = ()
    reserves: tuple[str, ...] = ()
    columns: Mapping[str, str] = MappingProxyType({})  # list headings, by field
    home_la: tuple[str, ...] = ()


class Provider(NamedTuple):
    """A provider or service chosen for a sampling visit (para 114)."""

    name: str
    type: str | None = None
    email: str | None = None
    contact: str | None = None


class HistorySettings(NamedTuple):
    """``[history]``: ``data`` is already resolved against the case file's folder."""

    data: Path | None = None
    previous_outcome: str | None = None


class LetterSettings(NamedTuple):
    """``[letters]``: ``templates`` is already resolved against the case file's folder."""

    templates: Path | None = None


class Monitoring(NamedTuple):
    """A monitoring inspection's background (handbook paras 157-162)."""

    areas_for_priority_action: tuple[str, ...] = ()
    full_report_published: date | None = None
    triggered_by_concern: bool = False


class Revisit(NamedTuple):
    """A WSoA re-visit's background (re-visit guidance paras 3-5)."""

    areas_of_significant_weakness: tuple[str, ...] = ()
    initial_inspection_start: date | None = None
    initial_letter_received: date | None = None
    wsoa_fit_for_purpose: date | None = None


class Engagement(NamedTuple):
    """An engagement meeting (handbook paras 180-191)."""

    meeting_date: date | None = None
    #: None: the engagement rules' default (``self_evaluation_lead_days``).
    self_evaluation_lead_days: int | None = None
    previous_inspection_outcome: str | None = None


@dataclass(frozen=True)
class Case:
    """A validated case file.  ``path`` is where it came from (for messages)."""

    inspection: Inspection
    path: Path | None = None
    extra_closures: tuple[date, ...] = ()
    people: Mapping[str, Person] = field(default_factory=dict)
    other_people: tuple[Person, ...] = ()
    dates: Mapping[str, date | datetime] = field(default_factory=dict)
    tracking: Tracking = field(default_factory=Tracking)
    monitoring: Monitoring = field(default_factory=Monitoring)
    revisit: Revisit = field(default_factory=Revisit)
    engagement: Engagement = field(default_factory=Engagement)
    providers: tuple[Provider, ...] = ()
    letters: LetterSettings = field(default_factory=LetterSettings)
    checklist: ChecklistSettings = field(default_factory=ChecklistSettings)
    history: HistorySettings = field(default_factory=HistorySettings)
    timetable: TimetableSettings = field(default_factory=TimetableSettings)

    @property
    def kind(self) -> str:
        return self.inspection.kind

    @property
    def local_area(self) -> str:
        return self.inspection.local_area

    def with_dates(
        self, notification: date | None = None, on_site_start: date | None = None
    ) -> Case:
        """This case with notification and/or on-site start replaced (a rehearsal).

        Giving one clears the other, so the guidance's rule places it.
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
        return replace(self, inspection=inspection)


def load_case(path: str | Path) -> Case:
    """Read and validate a case file; raise :class:`CaseFileError` listing every problem."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CaseFileError([Problem(str(path), None, "", "no such case file")]) from None
    except (OSError, UnicodeDecodeError) as error:
        raise CaseFileError([Problem(str(path), None, "", f"cannot read: {error}")]) from None
    return parse_case(text, path)


def parse_case(text: str, path: Path | None = None) -> Case:
    """Validate TOML ``text`` as a case file (``path`` only names it in messages)."""
    name = str(path) if path else "<case>"
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise CaseFileError([_toml_problem(name, error)]) from None
    clean, issues = validate(data, CASE_SCHEMA)
    issues += _meaning_issues(clean, issues)
    if issues:
        lines = key_lines(text)
        raise CaseFileError(
            [
                Problem(name, locate_line(lines, i.path), i.key, i.message, i.suggestion)
                for i in issues
            ]
        )
    return _build(clean, path)


def _toml_problem(name: str, error: tomllib.TOMLDecodeError) -> Problem:
    # Python 3.11's TOMLDecodeError has no lineno; the message ends "(at line N, column M)".
    found = re.search(r"\s*\(at line (\d+), column \d+\)$", str(error))
    line = int(found.group(1)) if found else None
    message = str(error)[: found.start()] if found else str(error)
    hint = "check quotes, brackets and `=` on that line; dates are written 2025-05-12"
    return Problem(name, line, "", f"not valid TOML: {message}", hint)


def _meaning_issues(clean: dict[str, Any], schema_issues: list[Issue]) -> list[Issue]:
    """:func:`_check_meaning`, also on a file with schema problems, so that
    ``sendplan validate`` lists every problem at once.

    On a partly valid file the checks see only what validated (a wrong value
    is None, a missing key absent).  They were written for valid data, so if
    one trips over what is left, the schema problems are reported alone.
    """
    if not schema_issues:
        return _check_meaning(clean)
    inspection = clean.get("inspection")
    if not isinstance(inspection, dict) or inspection.get("kind") not in SUPPORTED_KINDS:
        return []
    if any(i.path[:2] == ("inspection", "kind") for i in schema_issues):
        return []
    try:
        extra = _check_meaning(clean)
    except (KeyError, TypeError, AttributeError, ValueError):
        return []

    def explained(issue: Issue) -> bool:
        # Reported already, or likely caused by a near-miss key beneath it (a
        # misspelt `on_site_start` leaves no date to plan from).
        return any(
            s.path == issue.path or (s.path[: len(issue.path)] == issue.path and s.suggestion)
            for s in schema_issues
        )

    return [i for i in extra if not explained(i)]


def _check_meaning(clean: dict[str, Any]) -> list[Issue]:
    """Checks that need more than one key: kind supported, dates present, ranges."""
    issues: list[Issue] = []
    inspection = clean["inspection"]
    kind = inspection["kind"]
    if kind not in SUPPORTED_KINDS:
        issues.append(
            Issue(
                ("inspection", "kind"),
                f"kind {kind!r} is not supported by this version yet "
                f"(supported: {', '.join(SUPPORTED_KINDS)})",
            )
        )
        return issues
    rules = load_rules(kind)
    issues += _check_kind(clean, kind, rules.params)
    issues += checklist_issues(clean)
    issues += timetable_issues(clean)
    dated = "notification" in inspection or "on_site_start" in inspection
    if kind != "engagement" and not dated:
        issues.append(Issue(("inspection",), "give `notification`, `on_site_start`, or both"))
    days = inspection.get("on_site_days")
    low, high = rules.params.get("on_site_days_min"), rules.params.get("on_site_days_max")
    if days is not None and low is not None and high is not None and not low <= days <= high:
        issues.append(
            Issue(
                ("inspection", "on_site_days"),
                f"must be {low} to {high} for a {rules.title}, got {days}" + _cited(rules.params),
            )
        )
    known = [r.id for r in rules.rules]
    for key in clean.get("dates", {}):
        if key not in known:
            issues.append(
                Issue(
                    ("dates", key),
                    "is not an event of this inspection",
                    suggestion_text(key, known),
                )
            )
    return issues


def _cited(params: Mapping[str, Any]) -> str:
    """`` (re-visit guidance para 19)`` when the rules name the on-site days' source."""
    source = params.get("on_site_days_source")
    return f" ({source})" if source else ""


def _check_kind(clean: dict[str, Any], kind: str, params: Mapping[str, Any]) -> list[Issue]:
    """Sections and keys that belong to one kind (monitoring, re-visit, engagement)."""
    issues: list[Issue] = []
    inspection = clean["inspection"]
    for other_kind, section in KIND_SECTIONS.items():
        if section in clean and other_kind != kind:
            issues.append(
                Issue(
                    (section,),
                    f"the [{section}] section is for kind = {other_kind!r}, "
                    f"but this case is kind = {kind!r}",
                )
            )
    if "areas_for_priority_action" in inspection and (
        kind != "full" or inspection.get("outcome") != "widespread"
    ):
        issues.append(
            Issue(
                ("inspection", "areas_for_priority_action"),
                "areas for priority action follow a full inspection with the outcome "
                "`widespread` (handbook para 146); monitoring inspections list them in "
                "[monitoring] areas_for_priority_action",
            )
        )
    if kind == "revisit" and "on_site_days" not in inspection:
        issues.append(
            Issue(
                ("inspection", "on_site_days"),
                f"is required for a WSoA re-visit: {params.get('on_site_days_min')} to "
                f"{params.get('on_site_days_max')} days, as the inspectors say at notification "
                f"({params.get('on_site_days_source', 're-visit guidance para 19')})",
            )
        )
    if kind == "engagement":
        for key in ("notification", "on_site_start", "on_site_days", "outcome"):
            if key in inspection:
                issues.append(
                    Issue(
                        ("inspection", key),
                        "an engagement meeting is not an inspection (para 180); give the "
                        "meeting's date as [engagement] meeting_date instead",
                    )
                )
        given = "meeting_date" in clean.get("engagement", {})
        if not given and "engagement_meeting" not in clean.get("dates", {}):
            issues.append(
                Issue(
                    ("engagement", "meeting_date"),
                    "is required for an engagement meeting (the date agreed, para 188)",
                )
            )
    return issues


def _tracking(clean: dict[str, Any]) -> Tracking:
    return Tracking(
        selected=tuple(clean.get("selected", ())),
        reserves=tuple(clean.get("reserves", ())),
        columns=dict(clean.get("columns", {})),
        home_la=tuple(clean.get("home_la", ())),
    )


def _build(clean: dict[str, Any], path: Path | None) -> Case:
    people = clean.get("people", {})
    return Case(
        inspection=Inspection(**_tuples(clean["inspection"])),
        path=path,
        extra_closures=tuple(clean.get("calendar", {}).get("extra_closures", ())),
        people={k: Person(**v) for k, v in people.items() if k != "other"},
        other_people=tuple(Person(**p) for p in people.get("other", ())),
        dates=dict(clean.get("dates", {})),
        tracking=_tracking(clean.get("tracking", {})),
        monitoring=Monitoring(**_tuples(clean.get("monitoring", {}))),
        revisit=Revisit(**_tuples(clean.get("revisit", {}))),
        engagement=Engagement(**clean.get("engagement", {})),
        providers=tuple(Provider(**p) for p in clean.get("providers", ())),
        letters=_letter_settings(clean.get("letters", {}), path),
        checklist=checklist_settings(clean.get("checklist", {})),
        history=_history_settings(clean.get("history", {}), path),
        timetable=timetable_settings(clean.get("timetable", {}), path),
    )


def _history_settings(raw: dict[str, Any], path: Path | None) -> HistorySettings:
    data = raw.get("data")
    base = path.parent if path is not None else Path(".")
    return HistorySettings(
        data=None if data is None else base / data, previous_outcome=raw.get("previous_outcome")
    )


def _letter_settings(raw: dict[str, Any], path: Path | None) -> LetterSettings:
    folder = raw.get("templates")
    if folder is None:
        return LetterSettings()
    # Relative to the case file, so a case and its templates move together.
    base = path.parent if path is not None else Path(".")
    return LetterSettings(templates=base / folder)


def _tuples(section: Mapping[str, Any]) -> dict[str, Any]:
    """A section's values with lists frozen as tuples (the dataclasses are frozen)."""
    return {k: tuple(v) if isinstance(v, list) else v for k, v in section.items()}
