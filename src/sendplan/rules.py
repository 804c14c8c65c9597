"""The guidance's deadlines as data: one TOML file of rules per inspection kind.

Each rule is a record (see :class:`Rule`): an event's id, title, who acts, the
rule's ``anchor`` (another rule's id), an ``offset`` in a ``unit`` (working
days by default), a time of day where the guidance gives one, and the source
paragraph.  ``sendplan.schedule`` resolves anchors; no code is written per
date.  The files live in ``sendplan/data/rules/<kind>.toml`` and are validated on
load: ids unique, anchors known, units and roles known, no cycles except
between rules a case file can give (``notification`` and ``on_site_start``).
"""

from collections.abc import Mapping
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

from sendplan.cache import load_toml
from sendplan.dates import WEEKDAYS
from sendplan.errors import RuleError, suggestion_text
from sendplan.namedtuples import NamedTuple

#: Who acts, with the label shown to users.  ``--who`` filters use the ids.
ROLES: dict[str, str] = {
    "inspectors": "Inspectors",
    "ofsted": "Ofsted",
    "cqc": "CQC",
    "partnership": "Local area partnership",
    # The 2018 re-visit guidance says "the local area" (paras 8, 12, 14-15): the
    # "local area partnership" is the 2023 framework's term (handbook para 12).
    "local_area": "Local area",
    "lano": "LANO",
    "dcs": "DCS",
    "icb": "ICB",
    # The 2018 re-visit guidance predates integrated care boards (2022): its
    # health commissioners are clinical commissioning groups (paras 8, 24-26).
    "ccg": "CCGs",
    "pcf": "Parent Carer Forum",
    "parents": "Parents and carers",
    "children": "Children and young people",
    "practitioners": "Practitioners",
    "providers": "Providers and services",
    "principal_authority": "Principal authority",
    "dfe_nhse": "DfE and NHS England",
}

UNITS = ("working_days", "calendar_days", "months", "years")
KINDS = ("full", "monitoring", "revisit", "engagement")


class KindLabel(NamedTuple):
    """What a kind of inspection activity is called."""

    short: str  # in sentences: "a full inspection"
    record: str  # the published record's rows: "Full inspection (2023 framework)"
    plural: str  # "2023-framework full inspections"


#: Every kind's names, in one place: the case kinds (:data:`KINDS`) and the
#: inspection record's ``inspection_2016`` (the previous framework).
KIND_LABELS: dict[str, KindLabel] = {
    "full": KindLabel(
        "full inspection", "Full inspection (2023 framework)", "2023-framework full inspections"
    ),
    "monitoring": KindLabel(
        "monitoring inspection",
        "Monitoring inspection (2023 framework)",
        "2023-framework monitoring inspections",
    ),
    "revisit": KindLabel("WSoA re-visit", "WSoA re-visit (2018 methodology)", "WSoA re-visits"),
    "engagement": KindLabel("engagement meeting", "Engagement meeting", "engagement meetings"),
    "inspection_2016": KindLabel(
        "inspection (2016 framework)",
        "Local area SEND inspection (2016 framework)",
        "2016-framework inspections",
    ),
}


def kind_label(kind: str, article: bool = False) -> str:
    """``full inspection`` (``a full inspection``, ``an engagement meeting``): what a
    user calls ``kind`` in a sentence."""
    label = KIND_LABELS.get(kind)
    text = label.short if label else kind
    if article:
        return ("an " if text[:1] in "aeiou" else "a ") + text
    return text


def kind_title(kind: str) -> str:
    """``Full inspection``: a kind at the start of a sentence or a table cell."""
    text = kind_label(kind)
    return text[:1].upper() + text[1:]


class Rule(NamedTuple):
    """One dated event of an inspection and how its date follows from another's.

    The date is ``anchor`` moved by ``offset`` (plus the case parameter named by
    ``offset_add``, e.g. ``on_site_days``) in ``unit``.  A rule with ``input``
    takes its date from that case-file key when given (``inspection.notification``);
    any rule's date may also be recorded in the case's ``[dates]`` table.  A rule
    with neither anchor nor a given date is skipped, and so are rules anchored on it.
    ``offset_by_outcome`` gives the offset per recorded outcome (and skips the
    rule while no outcome is recorded); ``when_outcome`` and ``when`` (a case
    flag) restrict a rule to some cases; ``repeat = "on_site_days"`` gives one
    event per on-site day.

    ``offset_add`` and ``when`` may name a case key by section
    (``engagement.self_evaluation_lead_days``, falling back to the rule set's
    ``[params]``); ``offset_add = "-name"`` subtracts it, ``when = "not name"``
    negates a flag and ``when = "name > 2"`` compares a number (see
    ``sendplan.schedule``).  ``check_event`` names another event to compare
    with this rule's date and warn about: ``check = "not_after"`` warns when
    that event falls after this date, ``check = "near"`` when it falls more
    than ``check_margin`` (in ``unit``) either side of it.

    ``non_working_day`` says where a date counted in calendar days, months
    or years goes when it falls on a weekend, a bank holiday or a closure (a
    working-day count never does): ``next_working_day`` for a placement ("about
    12 months on": the meeting is held on a working day), ``previous_working_day``
    for a limit ("within a month", "by this day": the last working day inside
    it), or ``keep`` when the day itself is meant.  Such a rule must say which
    (:data:`ROLLS`), with the reading in its ``note``.

    ``implied_by`` names a later event anchored, through its chain, on this
    one: when the case records that event's date and not this one's, this date
    is what the recorded one implies, moved back through the rules between
    them (the final report received, from the real publication date, para 138).
    """

    id: str
    title: str
    who: tuple[str, ...]
    source: str
    stage: str
    anchor: str | None = None
    offset: int = 0
    unit: str = "working_days"
    offset_add: str | None = None
    time: str | None = None
    input: str | None = None
    end_anchor: str | None = None
    end_offset: int = 0
    repeat: str | None = None
    when_outcome: tuple[str, ...] = ()
    offset_by_outcome: tuple[tuple[str, int], ...] = ()
    when: str | None = None
    weekday: str | None = None
    approximate: bool = False
    note: str = ""
    check_event: str | None = None
    check: str | None = None
    check_margin: int = 0
    implied_by: str | None = None
    non_working_day: str | None = None
    #: The guidance's "in most circumstances" / "normally" date (the draft and
    #: final report): until the case records it, what is counted from it is a plan.
    planned: bool = False
    #: The weekday the guidance names for this event ("Week 1, Friday, by 5pm",
    #: para 192); on another weekday the event carries ``reading``, the sentence
    #: saying which reading sendplan takes.
    usual_weekday: str | None = None
    reading: str = ""
    #: ``{condition: {title, note, source, who}}``: what the rule says in the
    #: cases a ``when`` condition picks out (a monitoring inspection triggered
    #: by concern, paras 162, 173); the first that holds applies.
    variant: tuple[tuple[str, Mapping[str, Any]], ...] = ()


#: Where a calendar-counted date goes when it is not a working day (``Rule.non_working_day``).
ROLLS = ("next_working_day", "previous_working_day", "keep")
#: Units that can land on any day of the week, so their rules must name a roll.
CALENDAR_UNITS = ("calendar_days", "months", "years")

#: What ``check`` can ask of ``check_event`` (see :class:`Rule`).
CHECKS = ("not_after", "near")


class Stage(NamedTuple):
    """A group of rules.  A ``context`` stage (the history before an inspection,
    what follows it) lies outside the inspection proper: :attr:`Schedule.span`
    and its closures leave it out."""

    id: str
    title: str
    context: bool = False


class TextList(NamedTuple):
    """A list shown with the schedule: ``items`` from the rules, or the case-file
    list named by ``input`` (e.g. the engagement self-evaluation questions, para 184,
    or the re-visit's areas of significant weakness)."""

    id: str
    title: str
    source: str
    items: tuple[str, ...] = ()
    input: str | None = None


class RuleSet(NamedTuple):
    """The rules of one inspection kind, in the order the guidance gives them."""

    kind: str
    title: str
    source: str
    stages: tuple[Stage, ...]
    rules: tuple[Rule, ...]
    day_one: str | None = None
    day_last: str | None = None
    params: Mapping[str, Any] = MappingProxyType({})
    #: Days are numbered only from this event (default ``day_one``) to ``day_last``.
    day_first: str | None = None
    lists: tuple[TextList, ...] = ()
    #: ``[advisories]``: windows, term time and usual weekdays (sendplan.advisories).
    advisories: Mapping[str, Any] = MappingProxyType({})
    #: ``[[vocabulary]]``: words that changed while the guidance stayed in force
    #: (``change`` in ``data/eras.toml``), decided by the date of ``event``.
    vocabulary: tuple[Mapping[str, Any], ...] = ()

    def rule(self, rule_id: str) -> Rule:
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        hint = suggestion_text(rule_id, (r.id for r in self.rules))
        raise RuleError(
            f"no rule `{rule_id}` for {self.kind} inspections" + (f" ({hint})" if hint else "")
        )

    def stage_title(self, stage_id: str) -> str:
        return next((s.title for s in self.stages if s.id == stage_id), stage_id)


_RULE_KEYS = set(Rule._fields)
#: What a rule's ``variant`` may change.
_VARIANT_KEYS = {"title", "note", "source", "who"}


@cache
def load_rules(kind: str) -> RuleSet:
    """The packaged rule set for ``kind``, validated."""
    if kind not in KINDS:
        raise RuleError(f"unknown inspection kind `{kind}`; known: {', '.join(KINDS)}")
    # A plain path, not importlib.resources (5 ms of start-up); the wheel is unzipped.
    path = Path(__file__).parent / "data" / "rules" / f"{kind}.toml"
    return parse_rules(kind, load_toml(path))


def parse_rules(kind: str, data: dict[str, Any]) -> RuleSet:
    """Build and validate a :class:`RuleSet` from parsed TOML."""
    where = f"rules for {kind}"
    stages = tuple(
        Stage(str(s["id"]), str(s["title"]), bool(s.get("context", False)))
        for s in data.get("stage", [])
    )
    lists = tuple(
        TextList(
            id=str(t["id"]),
            title=str(t["title"]),
            source=str(t.get("source", "")),
            items=tuple(str(i) for i in t.get("items", ())),
            input=t.get("input"),
        )
        for t in data.get("list", [])
    )
    rules = []
    for raw in data.get("rule", []):
        unknown = set(raw) - _RULE_KEYS
        if unknown:
            raise RuleError(f"{where}: rule {raw.get('id')!r} has unknown keys {sorted(unknown)}")
        values = dict(raw)
        for key in ("who", "when_outcome"):
            if key in values:
                values[key] = tuple(values[key])
        if "offset_by_outcome" in values:
            values["offset_by_outcome"] = tuple(values["offset_by_outcome"].items())
        if "variant" in values:
            values["variant"] = tuple(
                (str(k), MappingProxyType(dict(v))) for k, v in values["variant"].items()
            )
        rules.append(Rule(**values))
    ruleset = RuleSet(
        kind=kind,
        title=str(data.get("title", kind)),
        source=str(data.get("source", "")),
        stages=stages,
        rules=tuple(rules),
        day_one=data.get("day_one"),
        day_last=data.get("day_last"),
        params=dict(data.get("params", {})),
        day_first=data.get("day_first"),
        lists=lists,
        advisories=dict(data.get("advisories", {})),
        vocabulary=tuple(dict(v) for v in data.get("vocabulary", ())),
    )
    _validate(ruleset)
    return ruleset


def _validate(ruleset: RuleSet) -> None:
    where = f"rules for {ruleset.kind}"
    ids = [r.id for r in ruleset.rules]
    duplicates = {i for i in ids if ids.count(i) > 1}
    if duplicates:
        raise RuleError(f"{where}: duplicate rule ids {sorted(duplicates)}")
    known = set(ids)
    stage_ids = {s.id for s in ruleset.stages}
    for rule in ruleset.rules:
        for ref in (rule.anchor, rule.end_anchor):
            if ref is not None and ref not in known:
                raise RuleError(f"{where}: rule `{rule.id}` is anchored on unknown rule `{ref}`")
        if rule.implied_by is not None and anchor_chain(ruleset, rule.implied_by, rule.id) is None:
            raise RuleError(
                f"{where}: rule `{rule.id}` is implied by `{rule.implied_by}`, which is not "
                f"anchored on it"
            )
        if rule.check_event is not None and rule.check_event not in known:
            raise RuleError(f"{where}: rule `{rule.id}` checks unknown rule `{rule.check_event}`")
        if (rule.check is None) != (rule.check_event is None) or (
            rule.check is not None and rule.check not in CHECKS
        ):
            raise RuleError(
                f"{where}: rule `{rule.id}` needs check_event and check (one of {CHECKS})"
            )
        if rule.unit not in UNITS:
            raise RuleError(f"{where}: rule `{rule.id}` has unknown unit `{rule.unit}`")
        counted_in_calendar = rule.unit in CALENDAR_UNITS and rule.anchor is not None
        if counted_in_calendar != (rule.non_working_day is not None) or (
            rule.non_working_day is not None and rule.non_working_day not in ROLLS
        ):
            raise RuleError(
                f"{where}: rule `{rule.id}` counts in {rule.unit}: give non_working_day "
                f"(one of {ROLLS}) for a date that falls on a weekend or bank holiday, "
                "and only then"
            )
        unknown_roles = set(rule.who) - set(ROLES)
        if unknown_roles or not rule.who:
            raise RuleError(f"{where}: rule `{rule.id}` has unknown roles {sorted(unknown_roles)}")
        if rule.stage not in stage_ids:
            raise RuleError(f"{where}: rule `{rule.id}` has unknown stage `{rule.stage}`")
        if rule.time is not None and not _is_hhmm(rule.time):
            raise RuleError(f"{where}: rule `{rule.id}` time `{rule.time}` is not HH:MM")
        for day in (rule.weekday, rule.usual_weekday):
            if day is not None and day not in WEEKDAYS:
                raise RuleError(f"{where}: rule `{rule.id}` weekday `{day}` is not a day")
        if (rule.usual_weekday is None) != (not rule.reading):
            raise RuleError(f"{where}: rule `{rule.id}` needs usual_weekday and reading together")
        for _, overrides in rule.variant:
            extra = set(overrides) - _VARIANT_KEYS
            if extra:
                raise RuleError(
                    f"{where}: rule `{rule.id}` variant has unknown keys {sorted(extra)}"
                )
        if not rule.source:
            raise RuleError(f"{where}: rule `{rule.id}` cites no paragraph")
    for ref in (ruleset.day_one, ruleset.day_last, ruleset.day_first):
        if ref is not None and ref not in known:
            raise RuleError(f"{where}: days are numbered from unknown rule `{ref}`")
    for ref in _advisory_refs(ruleset.advisories):
        if ref not in known:
            raise RuleError(f"{where}: an advisory names unknown rule `{ref}`")
    for text_list in ruleset.lists:
        if not text_list.source:
            raise RuleError(f"{where}: list `{text_list.id}` cites no paragraph")
    _check_acyclic(ruleset)


#: Keys of ``[advisories]`` tables that name a rule.
_ADVISORY_REFS = ("from", "to", "before", "event", "unless_closure_from", "unless_closure_before")


def _advisory_refs(advisories: Mapping[str, Any]) -> list[str]:
    tables = [advisories.get(name) for name in ("term_time", "usual_weekday", "era_names")]
    tables += [advisories.get("visit_limit")]
    tables += list(advisories.get("window", ()))
    refs = [str(t[k]) for t in tables if t for k in _ADVISORY_REFS if k in t]
    return refs + [str(e) for e in advisories.get("awkward_days", {}).get("events", ())]


def case_keys(ruleset: RuleSet) -> list[tuple[str, str]]:
    """``(rule or list id, case-file key)`` for every case key the rules read: a
    rule's ``input``, a dotted ``offset_add`` or ``when`` (a bare name is one of
    the rule set's ``[params]``), a list's ``input``."""
    out: list[tuple[str, str]] = []
    for rule in ruleset.rules:
        names = [rule.input, (rule.offset_add or "").lstrip("-"), *(rule.when or "").split()]
        out += [(rule.id, name) for name in names if name and "." in name]
    out += [(t.id, t.input) for t in ruleset.lists if t.input]
    return out


def anchor_chain(ruleset: RuleSet, later: str, earlier: str) -> list[Rule] | None:
    """The rules from ``later`` back along its anchors to (not including) ``earlier``."""
    by_id = {r.id: r for r in ruleset.rules}
    chain: list[Rule] = []
    current = by_id.get(later)
    while current is not None and current.id != earlier and len(chain) <= len(by_id):
        chain.append(current)
        current = by_id.get(current.anchor or "")
    return chain if current is not None and current.id == earlier else None


def working_days_after(ruleset: RuleSet, later: str, earlier: str) -> int | None:
    """How many working days after ``earlier`` the rules place ``later``, whatever
    the dates (a deadline "notification + 1 working day" before there are any);
    None when the chain between them counts anything else (months, a case
    parameter, an outcome) or does not reach ``earlier``."""
    if later == earlier:
        return 0
    chain = anchor_chain(ruleset, later, earlier)
    if not chain:
        return None
    if any(r.unit != "working_days" or r.offset_add or r.offset_by_outcome for r in chain):
        return None
    return sum(r.offset for r in chain)


def _check_acyclic(ruleset: RuleSet) -> None:
    """No cycles, except through rules whose date a case file can give."""
    by_id = {r.id: r for r in ruleset.rules}
    state: dict[str, int] = {}

    def visit(rule_id: str, path: list[str]) -> None:
        if state.get(rule_id) == 2:
            return
        if state.get(rule_id) == 1:
            cycle = path[path.index(rule_id) :] + [rule_id]
            if not all(by_id[r].input for r in cycle):
                raise RuleError(f"rules for {ruleset.kind}: cycle {' -> '.join(cycle)}")
            return
        state[rule_id] = 1
        rule = by_id[rule_id]
        for ref in (rule.anchor, rule.end_anchor):
            if ref is not None:
                visit(ref, path + [rule_id])
        state[rule_id] = 2

    for rule in ruleset.rules:
        visit(rule.id, [])


def _is_hhmm(text: str) -> bool:
    hours, _, minutes = text.partition(":")
    return (
        len(hours) == 2
        and len(minutes) == 2
        and hours.isdigit()
        and minutes.isdigit()
        and int(hours) < 24
        and int(minutes) < 60
    )
