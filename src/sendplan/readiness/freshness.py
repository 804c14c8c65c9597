"""Evidence freshness: how long ago each Annex A item's evidence was brought up
to date (``refreshed``), against how long it may go (``refresh_days``).

The handbook sets no such limit.  The limits are sendplan's assumption
(``data/readiness.toml``) unless the case sets ``[readiness]`` or an item's
own ``refresh_days``; :class:`Freshness` says which, so every view can mark an
assumption as one.  Pure: the day to judge on is an argument.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from sendplan.namedtuples import NamedTuple
from sendplan.readiness.settings import ReadinessData

if TYPE_CHECKING:
    from sendplan.case import Case
    from sendplan.checklist import Item
    from sendplan.rules import RuleSet


class Freshness(NamedTuple):
    """One item's evidence on one day."""

    item: Item
    #: Due within one working day of notification (para 192's 11:00 next day).
    next_day: bool
    limit: int
    #: Where the limit comes from: ``item``, ``case`` or ``assumption`` (sendplan's).
    limit_from: str
    on: date
    #: Days since ``refreshed`` on ``on``; None when never refreshed.
    age: int | None

    @property
    def stale(self) -> bool:
        return self.age is None or self.age > self.limit

    @property
    def assumed(self) -> bool:
        return self.limit_from == "assumption"

    def seen(self) -> str:
        """``refreshed 2 Jan 2025, 140 days before`` or ``never recorded as refreshed``."""
        from sendplan.dates import date_text
        from sendplan.words import plural

        if self.item.refreshed is None:
            return "never recorded as refreshed"
        return f"refreshed {date_text(self.item.refreshed)}, {plural(self.age or 0, 'day')} before"

    def limit_text(self) -> str:
        """``limit 30 days, sendplan's assumption``."""
        from sendplan.words import plural

        return f"limit {plural(self.limit, 'day')}, {_LIMIT_WORDS[self.limit_from]}"

    def reason(self) -> str:
        """``refreshed 2 Jan 2025, 140 days before (limit 30 days, sendplan's assumption)``."""
        return f"{self.seen()} ({self.limit_text()})"

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.item.id,
            "title": self.item.label,
            "owner": self.item.owner,
            "source": self.item.source,
            "due_within_one_working_day": self.next_day,
            "refreshed": self.item.refreshed.isoformat() if self.item.refreshed else None,
            "age_days": self.age,
            "refresh_days": self.limit,
            "refresh_days_from": self.limit_from,
            "assumption": self.assumed,
            "stale": self.stale,
        }


_LIMIT_WORDS = {
    "item": "the item's refresh_days",
    "case": "[readiness] in the case file",
    "assumption": "sendplan's assumption",
}


def next_day_events(rules: RuleSet, items: Iterable[Item], data: ReadinessData) -> set[str]:
    """The due events at most ``next_day_working_days`` after notification (para 192)."""
    from sendplan.events import NOTIFICATION
    from sendplan.rules import working_days_after

    out = set()
    for event_id in {i.event_id for i in items}:
        days = working_days_after(rules, event_id, NOTIFICATION)
        if days is not None and days <= data.next_day_working_days:
            out.add(event_id)
    return out


def freshness(
    case: Case, items: Sequence[Item], next_day: set[str], on: date, data: ReadinessData
) -> list[Freshness]:
    """Every open item's freshness on ``on`` (items marked n/a are not needed)."""
    settings = case.readiness
    out = []
    for item in items:
        if item.status == "n/a":
            continue
        soon = item.event_id in next_day
        case_limit = settings.next_day_refresh_days if soon else settings.refresh_days
        default = data.next_day_refresh_days if soon else data.refresh_days
        if item.refresh_days is not None:
            limit, source = item.refresh_days, "item"
        elif case_limit is not None:
            limit, source = case_limit, "case"
        else:
            limit, source = default, "assumption"
        age = (on - item.refreshed).days if item.refreshed is not None else None
        out.append(Freshness(item, soon, limit, source, on, age))
    return out


def by_owner(stale: Iterable[Freshness]) -> list[tuple[str | None, list[Freshness]]]:
    """Stale items grouped by owner (no owner last), items in checklist order."""
    groups: dict[str, list[Freshness]] = {}
    for entry in stale:
        groups.setdefault(entry.item.owner or "", []).append(entry)
    ordered = sorted(groups, key=lambda k: (k == "", k.lower()))
    return [(owner or None, groups[owner]) for owner in ordered]
