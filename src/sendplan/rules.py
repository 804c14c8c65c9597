"""The guidance's deadlines as data: one TOML file of rules per inspection kind.

Each rule is a record (see :class:`Rule`): an event's id, title, who acts, the
rule's ``anchor`` (another rule's id), an ``offset`` in a ``unit`` (working
days by default), a time of day where the guidance gives one, and the source
paragraph.  ``sendplan.schedule`` resolves anchors; no code is written per
date.  The files live in ``sendplan/data/rules/<kind>.toml`` and are validated on
load: ids unique, anchors known, units and roles known, no cycles except
between rules a case file can give (``notification`` and ``on_site_start``).
"""

import os
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
    #: The short name written beside this event's mark on the page's timeline
    #: (``"Notified"``), so a reader sees the milestones without hovering.
    milestone: str | None = None
    #: This event's place (1, 2, ...) among the report's steps, the rows of the
    #: page's "what comes after" (:attr:`RuleSet.report_steps`).
    report_step: int | None = None


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

    @property
    def milestones(self) -> dict[str, str]:
        """``{rule id: short name}`` of the rules that are milestones (``Rule.milestone``)."""
        return {r.id: r.milestone for r in self.rules if r.milestone}

    @property
    def report_steps(self) -> tuple[str, ...]:
        """The ids of the report's steps, in their ``report_step`` order (handbook
        paras 136-138; monitoring paras 175-176; re-visit guidance para 26)."""
        steps = sorted((r.report_step, r.id) for r in self.rules if r.report_step is not None)
        return tuple(rule_id for _, rule_id in steps)


class Lane(NamedTuple):
    """A swim lane of the page's timeline: who acts, grouped as a board reads it
    (``data/lanes.toml``)."""

    id: str
    label: str
    roles: tuple[str, ...]


#: The packaged rules files.  A plain path, not importlib.resources (5 ms of
#: start-up); the wheel is unzipped.
RULES_DIR = Path(__file__).parent / "data" / "rules"
#: Where the lanes are (a plain path, as for :data:`RULES_DIR`).
LANES_FILE = Path(__file__).parent / "data" / "lanes.toml"


@cache
def load_lanes() -> tuple[Lane, ...]:
    """The packaged swim lanes, validated."""
    return parse_lanes(load_toml(LANES_FILE), _shown(LANES_FILE))


def parse_lanes(data: Mapping[str, Any], source: str = "lanes") -> tuple[Lane, ...]:
    """Build and validate the lanes from parsed TOML: ids unique, each lane's
    roles known (:data:`ROLES`) and in no other lane."""
    lanes: list[Lane] = []
    owner: dict[str, str] = {}
    for index, raw in enumerate(data.get("lane", ()), start=1):
        where = f"{source}: lane {index}"
        if not isinstance(raw, Mapping) or set(raw) != {"id", "label", "roles"}:
            keys = sorted(raw) if isinstance(raw, Mapping) else raw
            raise RuleError(f"{where} needs exactly the keys id, label and roles, not {keys}")
        lane_id, label, roles = raw["id"], raw["label"], raw["roles"]
        if not (isinstance(lane_id, str) and lane_id and isinstance(label, str) and label):
            raise RuleError(f"{where}: `id` and `label` must be non-empty strings")
        if any(lane.id == lane_id for lane in lanes):
            raise RuleError(f"{where}: duplicate lane id `{lane_id}`")
        if not isinstance(roles, list) or not roles or not all(isinstance(r, str) for r in roles):
            raise RuleError(f"{where} (`{lane_id}`): `roles` must be a list of role ids")
        for role in roles:
            _check_role(role, f"{where} (`{lane_id}`)")
            if role in owner:
                raise RuleError(
                    f"{where} (`{lane_id}`): role `{role}` is already in lane `{owner[role]}`"
                )
            owner[role] = lane_id
        lanes.append(Lane(lane_id, label, tuple(roles)))
    if not lanes:
        raise RuleError(f"{source}: no [[lane]]")
    return tuple(lanes)


_RULE_KEYS = set(Rule._fields)
#: What a rule's ``variant`` may change.
_VARIANT_KEYS = {"title", "note", "source", "who"}


@cache
def load_rules(kind: str) -> RuleSet:
    """The packaged rule set for ``kind``, validated."""
    if kind not in KINDS:
        raise RuleError(f"unknown inspection kind `{kind}`; known: {', '.join(KINDS)}")
    path = RULES_DIR / f"{kind}.toml"
    return parse_rules(kind, load_toml(path), _shown(path), load_lanes())


def _shown(path: Path) -> str:
    """A data file as its errors name it: ``sendplan/data/rules/full.toml`` when packaged."""
    # String operations: pathlib's relative_to costs 10 us on every load (start-up).
    text, package = str(path), os.path.dirname(os.path.dirname(__file__)) + os.sep
    return text[len(package) :].replace(os.sep, "/") if text.startswith(package) else text


def parse_rules(
    kind: str, data: dict[str, Any], source: str = "", lanes: tuple[Lane, ...] | None = None
) -> RuleSet:
    """Build and validate a :class:`RuleSet` from parsed TOML; ``source`` (the
    file) is named in its errors.  Every role that acts must be in one of
    ``lanes`` (by default the packaged :func:`load_lanes`)."""
    where = _where(kind, source)
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
    _validate(ruleset, where)
    _check_lanes(ruleset, where, load_lanes() if lanes is None else lanes)
    return ruleset


def _check_lanes(ruleset: RuleSet, where: str, lanes: tuple[Lane, ...]) -> None:
    """Every role a rule names (its ``who``, a variant's ``who``) is known and in a
    swim lane, so the page draws every event where its actors are."""
    in_lane = {role for lane in lanes for role in lane.roles}
    # Every load runs this (start-up): one set test, the details only on failure.
    named_roles = {role for rule in ruleset.rules for role in rule.who}
    named_roles.update(
        role for r in ruleset.rules for _, v in r.variant for role in v.get("who", ())
    )
    if named_roles <= in_lane and in_lane <= set(ROLES):
        return
    for rule in ruleset.rules:
        named = [("who", rule.who)]
        named += [(f"variant.{c!r}.who", tuple(v["who"])) for c, v in rule.variant if "who" in v]
        for key, roles in named:
            for role in roles:
                _check_role(role, f"{where}: rule `{rule.id}` key `{key}`")
                if role not in in_lane:
                    raise RuleError(
                        f"{where}: rule `{rule.id}` key `{key}` names role `{role}`, which is "
                        f"in no swim lane; add it to a lane's roles in {_shown(LANES_FILE)} "
                        f"(lanes: {', '.join(lane.id for lane in lanes)})"
                    )


def _check_role(role: str, where: str) -> None:
    """``role`` is one of :data:`ROLES`, or an error saying which are."""
    if role not in ROLES:
        hint = suggestion_text(role, ROLES)
        raise RuleError(
            f"{where}: unknown role `{role}`"
            + (f" ({hint})" if hint else "")
            + f"; known: {', '.join(ROLES)}"
        )


def _where(kind: str, source: str) -> str:
    """How a rules error begins: ``rules for full (sendplan/data/rules/full.toml)``."""
    return f"rules for {kind}" + (f" ({source})" if source else "")


def _validate(ruleset: RuleSet, where: str) -> None:
    ids = [r.id for r in ruleset.rules]
    known = set(ids)
    if len(known) < len(ids):
        duplicates = {i for i in ids if ids.count(i) > 1}
        raise RuleError(f"{where}: duplicate rule ids {sorted(duplicates)}")
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
        if rule.milestone is not None or rule.report_step is not None:
            _check_page_keys(rule, where)
    for ref in (ruleset.day_one, ruleset.day_last, ruleset.day_first):
        if ref is not None and ref not in known:
            raise RuleError(f"{where}: days are numbered from unknown rule `{ref}`")
    for ref in _advisory_refs(ruleset.advisories):
        if ref not in known:
            raise RuleError(f"{where}: an advisory names unknown rule `{ref}`")
    for text_list in ruleset.lists:
        if not text_list.source:
            raise RuleError(f"{where}: list `{text_list.id}` cites no paragraph")
    steps = sorted((r.report_step, r.id) for r in ruleset.rules if r.report_step is not None)
    numbers = [n for n, _ in steps]
    if numbers != list(range(1, len(steps) + 1)):
        given = ", ".join(f"`{rule_id}` = {n}" for n, rule_id in steps)
        raise RuleError(
            f"{where}: report_step numbers the report's steps 1, 2, 3, ... once each "
            f"in order, without gaps; given {given}"
        )
    _check_acyclic(ruleset, where)


#: How long a ``milestone`` may be: a short name beside a mark, not a sentence
#: (the title is the mark's hover title and the list of dates under the timeline).
MILESTONE_LENGTH = 20


def _check_page_keys(rule: Rule, where: str) -> None:
    """A rule's ``milestone`` and ``report_step`` (what the overview page shows)."""
    label = rule.milestone
    if label is not None and (
        not isinstance(label, str)
        or not label.strip()
        or len(label) > MILESTONE_LENGTH
        or not label.isprintable()
    ):
        raise RuleError(
            f"{where}: rule `{rule.id}` key `milestone` must be a short name of 1 to "
            f'{MILESTONE_LENGTH} characters on one line ("Notified"), not {label!r}'
        )
    step = rule.report_step
    if step is not None and (not isinstance(step, int) or isinstance(step, bool) or step < 1):
        raise RuleError(
            f"{where}: rule `{rule.id}` key `report_step` must be the step's number "
            f"(1 for the first of the report's steps), not {step!r}"
        )


#: Keys of ``[advisories]`` tables that name a rule.
_ADVISORY_REFS = ("from", "to", "before", "event", "unless_closure_from", "unless_closure_before")


def _advisory_tables(advisories: Mapping[str, Any]) -> list[tuple[str, Mapping[str, Any]]]:
    """``(name, table)`` of the ``[advisories]`` tables that may name rules or case keys."""
    names = ("term_time", "usual_weekday", "era_names", "visit_limit")
    tables = [(f"advisories.{name}", advisories.get(name)) for name in names]
    tables += [(f"advisories.window {n}", t) for n, t in enumerate(advisories.get("window", ()), 1)]
    return [(name, table) for name, table in tables if table]


def _advisory_refs(advisories: Mapping[str, Any]) -> list[str]:
    tables = [table for _, table in _advisory_tables(advisories)]
    refs = [str(t[k]) for t in tables for k in _ADVISORY_REFS if k in t]
    return refs + [str(e) for e in advisories.get("awkward_days", {}).get("events", ())]


def case_keys(ruleset: RuleSet) -> list[tuple[str, str]]:
    """``(rule, list or advisory, case-file key)`` for every case key the rules
    read: a rule's ``input``, a dotted ``offset_add``, ``when`` or ``variant``
    condition (a bare name is one of the rule set's ``[params]``), a list's
    ``input``, an advisory's ``input`` (``[advisories.visit_limit]``)."""
    out: list[tuple[str, str]] = []
    for rule in ruleset.rules:
        names = [rule.input, (rule.offset_add or "").lstrip("-"), *(rule.when or "").split()]
        names += [word for condition, _ in rule.variant for word in condition.split()]
        out += [(rule.id, name) for name in names if name and "." in name]
    out += [(t.id, t.input) for t in ruleset.lists if t.input]
    out += [
        (name, str(table["input"]))
        for name, table in _advisory_tables(ruleset.advisories)
        if "input" in table
    ]
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


def _check_acyclic(ruleset: RuleSet, where: str) -> None:
    """No cycles, except through rules whose date a case file can give."""
    by_id = {r.id: r for r in ruleset.rules}
    state: dict[str, int] = {}  # 1 on the path being followed, 2 done
    path: list[str] = []

    def visit(rule_id: str) -> None:
        state[rule_id] = 1
        path.append(rule_id)
        rule = by_id[rule_id]
        for ref in (rule.anchor, rule.end_anchor):
            if ref is None:
                continue
            seen = state.get(ref)
            if seen is None:
                visit(ref)
            elif seen == 1:
                cycle = path[path.index(ref) :] + [ref]
                if not all(by_id[r].input for r in cycle):
                    raise RuleError(f"{where}: cycle {' -> '.join(cycle)}")
        path.pop()
        state[rule_id] = 2

    for rule in ruleset.rules:
        if rule.id not in state:
            visit(rule.id)


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
