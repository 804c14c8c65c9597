"""Observed timings: working days from the last on-site day to publication, across the record."""

import math
from collections.abc import Sequence
from datetime import date

from sendplan.calendar import WorkingCalendar
from sendplan.history.record import (
    Record,
    RecordView,
)
from sendplan.namedtuples import NamedTuple


# ------------------------------------------------------------------ timings
class Timing(NamedTuple):
    """Working days from the last on-site day to publication, across the record.

    ``median`` and ``p80`` are nearest-rank statistics, so each is a real
    inspection's figure: at least half (80%) of the ``size`` inspections
    published within it.
    """

    kind: str
    size: int
    median: int
    p80: int
    first_published: date
    last_published: date
    days: tuple[int, ...]

    def within(self, limit: int) -> int:
        """How many of the inspections were published within ``limit`` working days."""
        return sum(1 for d in self.days if d <= limit)


def nearest_rank(values: Sequence[int], fraction: float) -> int:
    """The smallest value with at least ``fraction`` of ``values`` at or below it."""
    if not values:
        raise ValueError("no values")
    ordered = sorted(values)
    rank = max(1, math.ceil(fraction * len(ordered) - 1e-9))
    return ordered[rank - 1]


def observed_timing(
    record: Record | RecordView, kind: str, calendar: WorkingCalendar
) -> Timing | None:
    """The record's timing for ``kind`` (``full``: 2023-framework full inspections,
    ``revisit``: WSoA re-visits), from inspections with both a last on-site day
    and a publication date; None when there are none."""
    pairs = record.timed(kind)
    days = tuple(calendar.count(end, published) for end, published in pairs)
    if not days:
        return None
    published = [p for _, p in pairs if p is not None]
    return Timing(
        kind=kind,
        size=len(days),
        median=nearest_rank(days, 0.5),
        p80=nearest_rank(days, 0.8),
        first_published=min(published),
        last_published=max(published),
        days=days,
    )
