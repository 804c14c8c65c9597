"""What the published record says of one case, as the schedule carries it: a
leaf of the history package (it needs the record, never the schedule), so the
schedule's events can hold these marks without importing history's features."""

from datetime import date
from typing import Any

from sendplan.history.record import (
    Area,
    RecordedInspection,
)
from sendplan.history.timings import (
    Timing,
)
from sendplan.namedtuples import NamedTuple


class Observed(NamedTuple):
    """What the record says of a publication event's timing, counted for this case.

    The record's median and 80th percentile working days from the last on-site
    day to publication (:class:`Timing`), as dates from this case's
    ``from_event`` (its last on-site day), and how the case's own plan compares.
    """

    timing: Timing
    from_event: str
    median_date: date
    p80_date: date
    plan_working_days: int
    data: str

    @property
    def within_plan(self) -> int:
        return self.timing.within(self.plan_working_days)

    def to_json(self, text: str) -> dict[str, Any]:
        """The ``observed`` object of the event; ``text`` is the output layer's wording."""
        return {
            "from_event": self.from_event,
            "kind": self.timing.kind,
            "median_working_days": self.timing.median,
            "median_date": self.median_date.isoformat(),
            "p80_working_days": self.timing.p80,
            "p80_date": self.p80_date.isoformat(),
            "inspections": self.timing.size,
            "published_from": self.timing.first_published.isoformat(),
            "published_to": self.timing.last_published.isoformat(),
            "plan_working_days": self.plan_working_days,
            "within_plan": self.within_plan,
            "text": text,
            "data": self.data,
        }


class HistoryMention(NamedTuple):
    """The area's inspections before this one in the record, and this one if it is there."""

    area: Area
    previous: RecordedInspection | None
    same: RecordedInspection | None

    def to_json(self, text: str) -> dict[str, Any]:
        """The schedule's ``history`` object; ``text`` is the output layer's wording."""
        return {
            "local_area": self.area.name,
            "la_codes": list(self.area.codes),
            "last_inspection": None if self.previous is None else self.previous.to_json(),
            "this_inspection": None if self.same is None else self.same.to_json(),
            "text": text,
        }
