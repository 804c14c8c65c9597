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

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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

#: Where each name of this package is defined: imported on first use (PEP 562), so
#: `schedule` (annotations, the record) loads neither the next steps nor the
#: reorganisations (issue 24).
_WHERE: dict[str, str] = {
    "HistoryError": "sendplan.errors",
    "annotate_schedule": "sendplan.history.annotation",
    "describe": "sendplan.history.annotation",
    "disagreements": "sendplan.history.annotation",
    "observed": "sendplan.history.annotation",
    "History": "sendplan.history.following",
    "NextStep": "sendplan.history.following",
    "area_history": "sendplan.history.following",
    "next_steps": "sendplan.history.following",
    "HistoryMention": "sendplan.history.marks",
    "Observed": "sendplan.history.marks",
    "ALIASES": "sendplan.history.names",
    "normalise": "sendplan.history.names",
    "COLUMNS": "sendplan.history.record",
    "OUTCOME_LABELS": "sendplan.history.record",
    "PACKAGED": "sendplan.history.record",
    "RECORD_KINDS": "sendplan.history.record",
    "TIMED_KINDS": "sendplan.history.record",
    "Area": "sendplan.history.record",
    "Record": "sendplan.history.record",
    "RecordedInspection": "sendplan.history.record",
    "RecordView": "sendplan.history.record",
    "load_record": "sendplan.history.record",
    "load_record_view": "sendplan.history.record",
    "parse_record": "sendplan.history.record",
    "Timing": "sendplan.history.timings",
    "nearest_rank": "sendplan.history.timings",
    "observed_timing": "sendplan.history.timings",
}


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


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
