"""``data/readiness.toml``: the candidate weeks' rule, the people the inspection
needs, evidence freshness and the weights that rank the weeks, read once and
checked on load."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

from sendplan.cache import load_toml
from sendplan.dates import WEEKDAYS
from sendplan.errors import RuleError
from sendplan.namedtuples import NamedTuple
from sendplan.roles import PEOPLE_ROLES

#: What the weights of ``[weights]`` are for, in the order the issue ranks them
#: (a key person away without a deputy counts most; issue 23).
RISK_KINDS: tuple[str, ...] = (
    "away_without_deputy",
    "no_owner",
    "stale",
    "away_with_deputy",
    "school_holiday",
    "bank_holiday",
)

#: How each kind of risk is named in tables and the page's legend.
RISK_LABELS: dict[str, str] = {
    "away_without_deputy": "key person away, no deputy",
    "no_owner": "item due within one working day with no owner",
    "stale": "stale evidence for an item due within one working day",
    "away_with_deputy": "someone away, a deputy named",
    "school_holiday": "school holiday in weeks 1-3",
    "bank_holiday": "bank holiday or closure in week 1 or on site",
}


class KeyRole(NamedTuple):
    """A ``[people]`` role the inspection needs in week 1 and on site."""

    role: str
    why: str
    source: str


class Window(NamedTuple):
    """Days of a candidate week's inspection that a risk is looked for in."""

    id: str
    title: str
    start: str
    source: str
    #: The last day is ``end``'s date, or ``start`` plus ``working_days`` - 1.
    end: str | None = None
    working_days: int | None = None


class ReadinessData(NamedTuple):
    weekday: str
    kinds: Mapping[str, str]
    #: Where the candidates' rule comes from, for every kind.
    source: str
    weeks: int
    check_weeks: int
    key_roles: tuple[KeyRole, ...]
    refresh_days: int
    next_day_refresh_days: int
    next_day_working_days: int
    freshness_note: str
    weights: Mapping[str, int]
    windows: tuple[Window, ...]
    term_time: Window


@cache
def readiness_data() -> ReadinessData:
    """The packaged ``data/readiness.toml``, checked."""
    path = Path(__file__).resolve().parents[1] / "data" / "readiness.toml"
    return parse_readiness(load_toml(path))


def parse_readiness(data: Mapping[str, Any]) -> ReadinessData:
    candidates, freshness, weights = data["candidates"], data["freshness"], data["weights"]
    if candidates["weekday"] not in WEEKDAYS:
        raise RuleError(f"readiness data: {candidates['weekday']!r} is not a weekday")
    roles = tuple(
        KeyRole(str(r["role"]), str(r["why"]), str(r["source"])) for r in data["key_role"]
    )
    unknown = [r.role for r in roles if r.role not in PEOPLE_ROLES]
    if unknown:
        raise RuleError(f"readiness data: unknown [people] roles {', '.join(unknown)}")
    if set(weights) != set(RISK_KINDS):
        raise RuleError(f"readiness data: [weights] must give exactly {', '.join(RISK_KINDS)}")
    order = [int(weights[k]) for k in RISK_KINDS[:3]] + [int(weights["school_holiday"])]
    if order != sorted(order, reverse=True) or len(set(order)) != len(order):
        # The order: away without a deputy > no owner > stale > school holiday.
        raise RuleError("readiness data: [weights] must keep the documented order")
    windows = tuple(_window(w) for w in data["window"])
    return ReadinessData(
        weekday=str(candidates["weekday"]),
        kinds=dict(candidates["kinds"]),
        source=str(candidates["source"]),
        weeks=int(candidates["weeks"]),
        check_weeks=int(candidates["check_weeks"]),
        key_roles=roles,
        refresh_days=int(freshness["refresh_days"]),
        next_day_refresh_days=int(freshness["next_day_refresh_days"]),
        next_day_working_days=int(freshness["next_day_working_days"]),
        freshness_note=str(freshness["note"]),
        weights={k: int(weights[k]) for k in RISK_KINDS},
        windows=windows,
        term_time=_window(data["term_time"]),
    )


def _window(raw: Mapping[str, Any]) -> Window:
    window = Window(
        id=str(raw["id"]),
        title=str(raw["title"]),
        start=str(raw["from"]),
        source=str(raw["source"]),
        end=raw.get("to"),
        working_days=raw.get("working_days"),
    )
    if (window.end is None) == (window.working_days is None):
        raise RuleError(f"readiness data: window {window.id} needs `to` or `working_days`")
    return window
