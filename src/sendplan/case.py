"""The case file: one TOML file describing one inspection and its tracking state.

``CASE_SCHEMA`` declares every key (type, default, documentation); it drives
validation, ``sendplan schema`` and the README.  :func:`load_case` reads a
file, reports *every* problem as ``file:line: key: message (did you mean
...?)`` and hands the rest of sendplan a frozen :class:`Case`.

New sections are added to ``CASE_SCHEMA`` and :class:`Case` with defaults, so
older case files stay valid.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sendplan.errors import CaseFileError, Problem, suggestion_text
from sendplan.rules import KINDS, load_rules
from sendplan.schema import Issue, Table, TableList, Value, key_lines, locate_line, validate

#: Inspection kinds this version can schedule.
SUPPORTED_KINDS: tuple[str, ...] = ("full",)

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
            },
            doc="Tracking-meeting selection: pseudonymous Unique IDs only.",
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


@dataclass(frozen=True)
class Person:
    name: str | None = None
    role: str | None = None
    organisation: str | None = None
    email: str | None = None
    phone: str | None = None


@dataclass(frozen=True)
class Inspection:
    kind: str
    local_area: str
    la_code: str | None = None
    notification: date | None = None
    on_site_start: date | None = None
    on_site_days: int | None = None
    outcome: str | None = None


@dataclass(frozen=True)
class Tracking:
    """Who is tracked, by pseudonymous Unique ID (never a name or UPN)."""

    selected: tuple[str, ...] = ()
    reserves: tuple[str, ...] = ()


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
        inspection = replace(
            self.inspection, notification=notification, on_site_start=on_site_start
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
    if not issues:
        issues = _check_meaning(clean)
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
    message = str(error)
    line = getattr(error, "lineno", None)
    if " (at line " in message:
        message = message.split(" (at line ")[0]
    hint = "check quotes, brackets and `=` on that line; dates are written 2025-05-12"
    return Problem(name, line, "", f"not valid TOML: {message}", hint)


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
    if "notification" not in inspection and "on_site_start" not in inspection:
        issues.append(Issue(("inspection",), "give `notification`, `on_site_start`, or both"))
    days = inspection.get("on_site_days")
    low, high = rules.params.get("on_site_days_min"), rules.params.get("on_site_days_max")
    if days is not None and low is not None and high is not None and not low <= days <= high:
        issues.append(
            Issue(
                ("inspection", "on_site_days"),
                f"must be {low} to {high} for a {rules.title.lower()}, got {days}",
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


def _build(clean: dict[str, Any], path: Path | None) -> Case:
    people = clean.get("people", {})
    return Case(
        inspection=Inspection(**clean["inspection"]),
        path=path,
        extra_closures=tuple(clean.get("calendar", {}).get("extra_closures", ())),
        people={k: Person(**v) for k, v in people.items() if k != "other"},
        other_people=tuple(Person(**p) for p in people.get("other", ())),
        dates=dict(clean.get("dates", {})),
        tracking=Tracking(**{k: tuple(v) for k, v in clean.get("tracking", {}).items()}),
    )
