"""One dated event of an inspection's plan (:class:`Event`), low in the house:
the schedule makes events, and the advisories, the history's marks and every
renderer read them."""

import datetime as _dt
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sendplan.dates import END_OF_DAY, WEEKDAYS, clock_text
from sendplan.namedtuples import NamedTuple
from sendplan.rules import ROLES

if TYPE_CHECKING:
    from sendplan.history.marks import Observed

# The events the code asks for by their part in an inspection, each named once.
# They are rule ids, the same in every kind's rules that has the event (an
# engagement meeting has none of them; data/rules/*.toml); tests/test_rules_data.py
# checks each is there.  The first two are also the case file's keys
# `inspection.notification` and `inspection.on_site_start` (each rule's `input`):
# the case schema declares those keys, and a case's `[dates]` records any event
# by its id, so the ids are the case file's vocabulary as much as the rules'.
# Day one and the last numbered day are the rules' own (`RuleSet.day_one`,
# `RuleSet.day_last`): a re-visit numbers days from the first on-site day.

#: The call: Ofsted and the CQC notify the local area (handbook para 82).
NOTIFICATION = "notification"
#: The first on-site day (handbook para 122; re-visit guidance para 19).
ON_SITE_START = "on_site_start"
#: The last on-site day.
ON_SITE_END = "on_site_end"
#: The report (or letter) published (handbook para 138; re-visit guidance para 26).
PUBLICATION = "publication_due"


class Occurrence(NamedTuple):
    """Which repetition of a repeated rule an event is (``repeat = "on_site_days"``)."""

    rule: str
    title: str
    number: int
    #: How many the rule gives, and what it repeats over (the rules' parameter name).
    of: int
    over: str


class Event(NamedTuple):
    """One dated event of the schedule, with the paragraph it comes from.

    ``end_date`` is set for a window (tracking meetings run through weeks 2
    and 3).  ``approximate`` marks dates the guidance gives loosely or that are
    agreed locally; ``recorded`` marks a date taken from the case file.
    ``day`` is the guidance's day number where it numbers days.
    """

    id: str
    title: str
    date: date
    who: tuple[str, ...]
    source: str
    stage: str
    time: _dt.time | None = None
    end_date: _dt.date | None = None
    approximate: bool = False
    recorded: bool = False
    note: str = ""
    day: int | None = None
    #: The later recorded event this date is taken back from (``Rule.implied_by``).
    implied_by: str | None = None
    #: What the published record says of this event's timing (``sendplan.history``).
    observed: "Observed | None" = None
    #: A repeated rule's occurrence: (rule id, its title, k of ``repeat``) (``Rule.repeat``).
    occurrence: Occurrence | None = None
    #: The dates a :class:`Series` row stands for, in order (person-facing views).
    series_dates: tuple[_dt.date, ...] = ()
    #: The reading sendplan takes when the date is not the weekday the guidance
    #: names (``Rule.usual_weekday``: "Week 1, Friday, by 5pm", para 192).
    reading: str = ""
    #: The saved timetable's session that books this meeting (``sendplan.timetable.meetings``):
    #: its date and start are the booking's, no longer the guidance's approximation.
    booked: str | None = None

    @property
    def moment(self) -> datetime:
        """When the event is due: its time, else the end of its (last) day."""
        last = self.end_date or self.date
        return datetime.combine(last, self.time or END_OF_DAY)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "date": self.date.isoformat(),
            "time": clock_text(self.time) if self.time else None,
            "end_date": self.end_date.isoformat() if self.end_date else None,
            "weekday": WEEKDAYS[self.date.weekday()],
            "day": self.day,
            "who": list(self.who),
            "who_labels": [ROLES[w] for w in self.who],
            "stage": self.stage,
            "source": self.source,
            "approximate": self.approximate,
            "recorded": self.recorded,
            "note": self.note,
            **({"implied_by": self.implied_by} if self.implied_by else {}),
            **({"reading": self.reading} if self.reading else {}),
            **({"booked": self.booked} if self.booked else {}),
        }
