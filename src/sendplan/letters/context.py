"""What a template sees: the case, its people, events and children."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from sendplan.case import OUTCOMES, PEOPLE_ROLES, SURVEYS, Case, Person, Provider
from sendplan.errors import MissingCaseData
from sendplan.letters.formatting import (
    Markdown,
)
from sendplan.person_fields import tracking_count
from sendplan.rules import Rule, kind_label
from sendplan.schema import key_value

if TYPE_CHECKING:
    from sendplan.checklist import Checklist
    from sendplan.schedule import Event, Schedule  # noqa: F401 (Event: a string in a base)

_UNIT_WORDS = {
    "working_days": "working day",
    "calendar_days": "day",
    "months": "month",
    "years": "year",
}


# ------------------------------------------------------------------ context
class PersonView:
    """A person of the case, by role.  ``name`` is required where a letter prints it."""

    def __init__(self, role: str, person: Person | None, case_file: str) -> None:
        self._role = role
        self._person = person or Person()
        self._case_file = case_file
        self.key = role
        self.label = PEOPLE_ROLES[role].split(" (")[0]
        self.named = self._person.name is not None
        self.title = self._person.role
        self.organisation = self._person.organisation
        self.email = self._person.email
        self.phone = self._person.phone

    @property
    def name(self) -> str:
        if self._person.name is None:
            raise MissingCaseData(
                f"this letter needs the name of the {self.label}: add "
                f'`[people.{self._role}] name = "..."` to {self._case_file}'
            )
        return self._person.name

    @property
    def name_or_blank(self) -> str:
        """The name, or a visible blank to fill in (for a signatory the case may not name)."""
        if self._person.name is None:
            return Markdown(f"*(name of the {_lower_first(self.label)})*")
        return self._person.name

    @property
    def full_or_role(self) -> str:
        """:attr:`full` when named, else the role: ``the director of children's services``."""
        if self._person.name is None:
            return f"the {_lower_first(self.label)}"
        return self.full

    @property
    def full(self) -> str:
        """``Name, Job title, Organisation``, with whichever of the last two are given."""
        parts = [self.name, self.title, self.organisation]
        return ", ".join(p for p in parts if p)


def _lower_first(label: str) -> str:
    """``Director of ...`` -> ``director of ...``; proper nouns (Ofsted, Parent...) stay."""
    if label.split()[0] in ("Ofsted", "CQC", "ICB", "Parent"):
        return label
    return label[0].lower() + label[1:]


V = TypeVar("V")


class _ById(Mapping[str, V]):
    """A read-only mapping by id that templates reach with dots (``schedule.notification``)."""

    _by_id: Mapping[str, V]

    def __getitem__(self, key: str) -> V:
        return self._by_id[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._by_id)

    def __len__(self) -> int:
        return len(self._by_id)


class People(_ById[PersonView]):
    """``people.lano`` etc.: every role of ``PEOPLE_ROLES``, named or not."""

    def __init__(self, case: Case, case_file: str) -> None:
        self._by_id = {
            role: PersonView(role, case.people.get(role), case_file) for role in PEOPLE_ROLES
        }
        self.other = tuple(case.other_people)


class Events(_ById["Event"]):
    """The schedule by event id: ``schedule.notification.date``."""

    def __init__(self, schedule: Schedule) -> None:
        self._by_id = schedule.by_id
        self.kind = schedule.case.kind


@dataclass(frozen=True)
class RuleView:
    """A rule as a letter quotes it: ``rules.final_report_due.span`` is ``30 working days``.

    A letter never writes a deadline of its own (issue 11): the number comes
    from the rule that dates the event, with the outcome's offset where the
    rule has one per outcome (para 37).
    """

    id: str
    offset: int
    unit: str
    source: str
    approximate: bool

    @property
    def span(self) -> str:
        count = abs(self.offset)
        word = _UNIT_WORDS.get(self.unit, self.unit)
        return f"{count} {word}{'' if count == 1 else 's'}"


class Rules(_ById[RuleView]):
    """``rules.<id>``: every rule of the case's kind that applies to it."""

    def __init__(self, schedule: Schedule) -> None:
        outcome = schedule.case.inspection.outcome
        self.kind = schedule.case.kind
        self._by_id = {
            rule.id: _rule_view(rule, outcome)
            for rule in schedule.rules.rules
            if not rule.offset_by_outcome or outcome in dict(rule.offset_by_outcome)
        }


def _rule_view(rule: Rule, outcome: str | None) -> RuleView:
    offset = dict(rule.offset_by_outcome).get(outcome or "", rule.offset)
    return RuleView(rule.id, offset, rule.unit, rule.source, rule.approximate)


def outcome_statements() -> dict[str, tuple[str, ...]]:
    """Para 37's statement of each outcome, paragraph by paragraph (data/outcomes.toml)."""
    from pathlib import Path

    from sendplan.cache import load_toml

    data = load_toml(Path(__file__).resolve().parents[1] / "data" / "outcomes.toml")
    return {key: tuple(str(p) for p in data[key]["paragraphs"]) for key in OUTCOMES}


@dataclass(frozen=True)
class Child:
    """A child selected for tracking: pseudonymous Unique ID only (para 93)."""

    id: str
    number: int


@dataclass(frozen=True)
class CaseView:
    """The case as templates see it."""

    local_area: str
    kind: str
    kind_label: str
    title: str
    la_code: str | None
    on_site_days: int
    outcome: str | None
    outcome_text: str | None
    selected: tuple[str, ...]
    providers: tuple[Provider, ...]
    areas_for_priority_action: tuple[str, ...] = ()
    areas_of_significant_weakness: tuple[str, ...] = ()
    extra: Mapping[str, Any] = field(default_factory=dict)
    #: A monitoring inspection carried out because of concern (paras 162, 173):
    #: its letters speak of the issues that gave rise to it, not of a plan.
    triggered_by_concern: bool = False
    concerns: tuple[str, ...] = ()
    #: What the guidance calls the area's partners: "local area partnership"
    #: (2024 handbook para 12), "local area" in the 2018 re-visit guidance.
    area_term: str = "local area partnership"


def _section_list(case: Case, section: str, key: str) -> tuple[str, ...]:
    """A list from a kind's own case section (added by other modules), if present."""
    value = key_value(case, f"{section}.{key}")
    return tuple(str(v) for v in value) if value else ()


def build_context(case: Case, schedule: Schedule) -> dict[str, Any]:
    """Everything a template sees: case, people, schedule, checklist, outcomes."""
    case_file = str(case.path) if case.path else "the case file"
    outcome = case.inspection.outcome
    view = CaseView(
        local_area=case.local_area,
        kind=case.kind,
        kind_label=kind_label(case.kind),
        title=schedule.rules.title,
        la_code=case.inspection.la_code,
        on_site_days=int(
            case.inspection.on_site_days or schedule.rules.params.get("on_site_days", 1)
        ),
        outcome=outcome,
        outcome_text=OUTCOMES.get(outcome) if outcome else None,
        selected=tuple(case.tracking.selected),
        providers=tuple(case.providers),
        areas_for_priority_action=(
            _section_list(case, "monitoring", "areas_for_priority_action")
            or case.inspection.areas_for_priority_action
        ),
        areas_of_significant_weakness=_section_list(
            case, "revisit", "areas_of_significant_weakness"
        ),
        triggered_by_concern=bool(key_value(case, "monitoring.triggered_by_concern")),
        concerns=_section_list(case, "monitoring", "concerns"),
        area_term=str(schedule.rules.params.get("area_term", "local area partnership")),
    )
    return {
        "case": view,
        "people": People(case, case_file),
        "schedule": Events(schedule),
        "rules": Rules(schedule),
        # Para 37's words for each outcome, with what follows it.
        "outcome_statements": outcome_statements(),
        # The 3 surveys (para 88): who each is for, and its link when the case gives one.
        "surveys": [
            {"key": key, "for": who, "link": case.letters.survey_links.get(key)}
            for key, who in SURVEYS.items()
        ],
        "events": tuple(schedule.events),
        # The rules' lists with the schedule, by id (what follows a re-visit, paras 28-29).
        "lists": {t.id: t for t in schedule.lists},
        "closures": tuple(schedule.closures()),
        "checklist": _checklist(case, schedule),
        "outcomes": dict(OUTCOMES),
        "case_file": case_file,
        # Working-day arithmetic on the case's own calendar, e.g. the day
        # before on site: ``working_day(schedule.on_site_start.date, -1)``.
        "working_day": schedule.calendar.add,
        # Booked times and venues from the saved timetable, else None (issue 12).
        "timetable": _bookings(case),
        # "approximately 6 children and young people" (para 90), from data/lists.toml.
        "tracking_count": tracking_count(),
        # The words of a day (data/eras.toml): ``era(day).hmi`` is "Her Majesty's
        # Inspector" up to 8 September 2022, ``era(day).plural`` "CCGs" before July 2022.
        "era": _era,
    }


class _Words(dict[str, str]):
    """``era(day).hmi``: a day's words, reachable with dots in a template."""

    def __getattr__(self, name: str) -> str:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None


def _era(day: Any) -> _Words:
    from datetime import date, datetime

    from sendplan.eras import words

    value = day if isinstance(day, date) else getattr(day, "date", day)
    if isinstance(value, datetime):
        value = value.date()
    if not isinstance(value, date):
        raise TypeError(f"era() takes a date or an event, not {type(day).__name__}")
    return _Words(words(value))


def _bookings(case: Case) -> Any:
    saved = case.timetable.saved
    if saved is None or not saved.exists():
        return None  # no saved timetable: its reader (and the timetable's model) not imported
    from sendplan.timetable.saved import bookings

    return bookings(case)


def _checklist(case: Case, schedule: Schedule) -> Checklist:
    """The case's Annex A checklist (``sendplan.checklist``)."""
    from sendplan.checklist import build_checklist

    return build_checklist(case, schedule)
