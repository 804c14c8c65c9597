"""Annex A as data, and the case file's ``[checklist]`` section.

The items the local area partnership provides (handbook Annex A, paras
192-206, and the evidence asked for by monitoring inspections, re-visits and
engagement meetings) live in ``sendplan/data/annex_a.toml``.  Each item names
the schedule *event* that gives its deadline per kind; the date itself always
comes from the computed schedule (``sendplan.checklist``).

This module depends only on the schema and errors, so ``sendplan.case`` can
declare and validate ``[checklist]`` with it without an import cycle.
"""

import fnmatch
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

from sendplan.cache import load_toml
from sendplan.errors import RuleError, suggestion_text
from sendplan.namedtuples import NamedTuple
from sendplan.schema import (
    Annotated,
    Issue,
    Key,
    Table,
    Value,
    build_record,
    key_value,
    record_table,
)

#: Statuses an item can have; ``done`` and ``n/a`` close it (issue 4).
STATUSES: tuple[str, ...] = ("not-started", "in-progress", "done", "n/a")
CLOSED: frozenset[str] = frozenset({"done", "n/a"})

#: What ``per`` in the data repeats an item over: the case-file list it reads.
PER_SOURCES: dict[str, dict[str, str]] = {
    # Items 7.1-7.7 for each child or young person selected for tracking (para 206).
    "tracked": {"*": "tracking.selected"},
    # Evidence per area for priority action (paras 161, 166) or per area of
    # significant weakness in the WSoA (re-visit guidance paras 12, 15).
    "areas": {
        "monitoring": "monitoring.areas_for_priority_action",
        "revisit": "revisit.areas_of_significant_weakness",
    },
}


class Group(NamedTuple):
    id: str
    title: str
    source: str
    #: False for evidence outside Annex A proper (monitoring, re-visit,
    #: engagement): ``[checklist] include`` never drops it.
    annex: bool = True


class ItemSpec(NamedTuple):
    """One Annex A item as the data gives it (before repeating or dating)."""

    id: str
    number: str
    group: str
    title: str
    short: str
    description: str
    source: str
    due: Mapping[str, str]
    per: str | None = None


class Annex(NamedTuple):
    groups: tuple[Group, ...]
    items: tuple[ItemSpec, ...]
    #: What each kind's checklist is called (a re-visit's holds no Annex A items).
    headings: Mapping[str, str] = MappingProxyType({})

    def heading(self, kind: str) -> str:
        return self.headings.get(kind, "Annex A checklist")

    def for_kind(self, kind: str) -> tuple[ItemSpec, ...]:
        return tuple(i for i in self.items if kind in i.due)

    def groups_for_kind(self, kind: str) -> tuple[Group, ...]:
        used = {i.group for i in self.for_kind(kind)}
        return tuple(g for g in self.groups if g.id in used)


@cache
def load_annex() -> Annex:
    """The packaged Annex A data, checked on load (ids unique, groups known)."""
    path = Path(__file__).parent / "data" / "annex_a.toml"
    return parse_annex(load_toml(path))


def parse_annex(data: Mapping[str, Any]) -> Annex:
    groups = tuple(
        Group(str(g["id"]), str(g["title"]), str(g["source"]), bool(g.get("annex", True)))
        for g in data["group"]
    )
    group_ids = {g.id for g in groups}
    items = []
    for raw in data["item"]:
        values = dict(raw)
        values.setdefault("number", values["id"])
        spec = ItemSpec(**values)
        if spec.group not in group_ids:
            raise RuleError(f"Annex A data: item {spec.id} is in unknown group {spec.group!r}")
        if spec.per is not None and spec.per not in PER_SOURCES:
            raise RuleError(f"Annex A data: item {spec.id} repeats per unknown {spec.per!r}")
        if not spec.source or not spec.due:
            raise RuleError(f"Annex A data: item {spec.id} needs a source and a due event")
        items.append(spec)
    ids = [i.id for i in items]
    if len(ids) != len(set(ids)):
        raise RuleError("Annex A data: duplicate item ids")
    return Annex(groups, tuple(items), dict(data.get("headings", {})))


def per_source(spec: ItemSpec, kind: str) -> str | None:
    """The case key (``section.key``) an item repeats over for ``kind``, if any."""
    if spec.per is None:
        return None
    sources = PER_SOURCES[spec.per]
    return sources.get(kind, sources.get("*"))


def repeat_keys(spec: ItemSpec, kind: str, values: Sequence[str]) -> list[tuple[str, str]]:
    """``(key, subject)`` for each repetition: a tracked child's Unique ID is its own
    key; areas are numbered 1, 2, ... (their titles are long and may change)."""
    if spec.per == "tracked":
        return [(v, v) for v in values]
    return [(str(n), v) for n, v in enumerate(values, start=1)]


# ------------------------------------------------------------------ [checklist]
class ItemState(NamedTuple):
    """What ``[checklist.items."<id>"]`` records about one item."""

    status: Annotated[str, Key("not-started, in-progress, done or n/a.", choices=STATUSES)] = (
        "not-started"
    )
    owner: Annotated[str | None, Key("Who provides it (overrides the group's owner).")] = None
    note: Annotated[str | None, Key("A short note. Never a child's name.")] = None
    updated: Annotated[date | datetime | None, Key("When the status last changed.")] = None
    # Evidence freshness before the call (issue 23, `sendplan ready`).
    refreshed: Annotated[
        date | None,
        Key("When the item's evidence was last brought up to date (`sendplan mark --refreshed`)."),
    ] = None
    refresh_days: Annotated[
        int | None,
        Key(
            "Days after `refreshed` that the evidence counts as stale; default "
            "[readiness] refresh_days (sendplan's assumption).",
            minimum=1,
            maximum=3650,
        ),
    ] = None


class ChecklistSettings(NamedTuple):
    """The case file's ``[checklist]``: which items, default owners, item states."""

    include: tuple[str, ...] = ()
    owners: Mapping[str, str] = MappingProxyType({})
    items: Mapping[str, ItemState] = MappingProxyType({})


CHECKLIST_SCHEMA = Table(
    {
        "include": Value(
            "string_list",
            "Monitoring inspections only: the Annex A items the inspectors requested, as ids "
            'or patterns such as "1.*" ("some or all", para 192). Default: none until you '
            "list them; the evidence of progress is always included.",
        ),
        "owners": Table(
            extra=Value("string"),
            extra_key_pattern=r"[A-Za-z0-9.-]+",
            extra_key_doc=(
                "an Annex A group: person-level, providers, 1 to 7, progress, revisit or engagement"
            ),
            doc='Default owner per Annex A group, e.g. "5" = "Designated clinical officer".',
        ),
        "items": Table(
            extra=record_table(
                ItemState, "One item's status, owner and note (`sendplan mark` writes these)."
            ),
            extra_key_pattern=r"[A-Za-z0-9.:_-]+",
            extra_key_doc="an Annex A item id such as 1.1, list-1 or 7.2:C014",
            doc="Status of each item, by id.",
        ),
    },
    doc="The Annex A checklist: default owners and each item's status (`sendplan mark`).",
)


def checklist_settings(clean: Mapping[str, Any]) -> ChecklistSettings:
    """Build :class:`ChecklistSettings` from the validated ``[checklist]`` table."""
    return ChecklistSettings(
        include=tuple(clean.get("include", ())),
        owners=dict(clean.get("owners", {})),
        items={k: build_record(ItemState, v) for k, v in clean.get("items", {}).items()},
    )


def _case_list(clean: Mapping[str, Any], key: str) -> list[str]:
    return [str(v) for v in key_value(clean, key) or ()]


def known_item_ids(kind: str, clean: Mapping[str, Any], reserves: bool = True) -> list[str]:
    """Every item id a case of ``kind`` may hold, repetitions included.

    For a validated case's raw data ``clean``; with ``reserves``, tracked
    reserves' ids count too, so a status survives a family declining (para 93).
    """
    ids: list[str] = []
    for spec in load_annex().for_kind(kind):
        source = per_source(spec, kind)
        if source is None:
            ids.append(spec.id)
            continue
        values = _case_list(clean, source)
        if spec.per == "tracked" and reserves:
            values += _case_list(clean, "tracking.reserves")
        ids += [f"{spec.id}:{key}" for key, _ in repeat_keys(spec, kind, values)]
    return ids


def checklist_issues(clean: Mapping[str, Any]) -> list[Issue]:
    """Problems in ``[checklist]`` that need the kind: unknown groups and item ids."""
    section = clean.get("checklist")
    if not section:
        return []
    kind = clean["inspection"]["kind"]
    annex = load_annex()
    issues: list[Issue] = []
    groups = [g.id for g in annex.groups_for_kind(kind)]
    for key in section.get("owners", {}):
        if key not in groups:
            issues.append(
                Issue(
                    ("checklist", "owners", key),
                    f"is not an Annex A group of this inspection (groups: {', '.join(groups)})",
                    suggestion_text(key, groups),
                )
            )
    base_ids = [s.id for s in annex.for_kind(kind)]
    if "include" in section and kind != "monitoring":
        issues.append(
            Issue(
                ("checklist", "include"),
                "is only for monitoring inspections, where inspectors may ask for some or all "
                "of Annex A (para 192)",
            )
        )
    for n, pattern in enumerate(section.get("include", ())):
        if not fnmatch.filter(base_ids, pattern):
            issues.append(
                Issue(
                    ("checklist", "include", n),
                    f"{pattern!r} matches no Annex A item",
                    suggestion_text(pattern, base_ids),
                )
            )
    known = known_item_ids(kind, clean)
    for key in section.get("items", {}):
        if key in known:
            continue
        issues.append(
            Issue(("checklist", "items", key), _unknown_item_message(key, kind), _near(key, known))
        )
    return issues


def _unknown_item_message(key: str, kind: str) -> str:
    base, _, suffix = key.partition(":")
    specs = {s.id: s for s in load_annex().for_kind(kind)}
    spec = specs.get(base)
    if spec is not None and spec.per == "tracked":
        return f"{suffix!r} is not a Unique ID in tracking.selected or tracking.reserves"
    if spec is not None and spec.per == "areas":
        return "is not a numbered area of this case (1, 2, ... in the order the case lists them)"
    return "is not an Annex A item of this inspection"


def _near(key: str, known: Iterable[str]) -> str | None:
    return suggestion_text(key, list(known))
