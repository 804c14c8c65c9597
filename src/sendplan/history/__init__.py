"""The published record of area SEND inspections, and what it says about timing.

:func:`load_record` reads the packaged ``data/area-send-inspections.csv`` (or
a newer file of the same columns) with the standard library's ``csv``, checks
its columns and values, and copes with the record's known oddities: missing
end or publication dates, an end date on a Saturday, single-day printed spans
and 2023 spans that start with the off-site fieldwork on the Thursday of week 2.

On top of it, all pure (``today`` and the working calendar are arguments):

* :meth:`Record.find_area` matches a local area forgivingly (case, "&" or
  "and", "City of", a unique prefix, the ONS code) and suggests the nearest;
* :func:`next_steps` says what the rules say comes next after an area's last
  inspection (handbook paras 18, 20, 23, 37) with windows as dates, taking the
  offsets from the packaged rules (``load_rules("full")``);
* :func:`observed_timing` gives the median and 80th percentile working days
  from the last on-site day to publication, for 2023-framework full
  inspections and for WSoA re-visits;
* :func:`annotate_schedule` adds those observed timings, the area's last
  inspection and any disagreement with the case file to a schedule.
"""

from __future__ import annotations

from sendplan.errors import HistoryError
from sendplan.history.annotation import (
    annotate_schedule,
    describe,
    disagreements,
    observed,
)
from sendplan.history.following import (
    History,
    NextStep,
    area_history,
    next_steps,
)
from sendplan.history.marks import HistoryMention, Observed
from sendplan.history.names import ALIASES, normalise
from sendplan.history.record import (
    COLUMNS,
    OUTCOME_LABELS,
    PACKAGED,
    RECORD_KINDS,
    TIMED_KINDS,
    Area,
    Record,
    RecordedInspection,
    RecordView,
    load_record,
    load_record_view,
    parse_record,
)
from sendplan.history.timings import (
    Timing,
    nearest_rank,
    observed_timing,
)

__all__ = [
    "COLUMNS",
    "RECORD_KINDS",
    "TIMED_KINDS",
    "OUTCOME_LABELS",
    "ALIASES",
    "PACKAGED",
    "HistoryError",
    "RecordedInspection",
    "Area",
    "Record",
    "RecordView",
    "normalise",
    "load_record",
    "load_record_view",
    "parse_record",
    "Timing",
    "nearest_rank",
    "observed_timing",
    "NextStep",
    "next_steps",
    "History",
    "area_history",
    "annotate_schedule",
    "HistoryMention",
    "Observed",
    "observed",
    "describe",
    "disagreements",
]
