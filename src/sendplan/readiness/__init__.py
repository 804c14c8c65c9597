"""Readiness before the call (issue 23): ``sendplan ready``.

A LANO's work runs all year, not from the day of notification.  This package
looks at every day the call may come in the weeks ahead (the box after handbook
para 80), what each would set and what would hurt, and ranks the weeks; it
says how fresh each Annex A item's evidence is, and where the area stands in
the national picture.  A small package along its seams:

- :mod:`~sendplan.readiness.settings`: ``data/readiness.toml`` (key roles,
  freshness, weights, windows);
- :mod:`~sendplan.readiness.candidates`: the candidate days (para 80);
- :mod:`~sendplan.readiness.people`: absences and deputies (the case's
  ``[[absences]]`` and ``[people] deputy``, issue 19);
- :mod:`~sendplan.readiness.freshness`: evidence freshness;
- :mod:`~sendplan.readiness.national`: the estimate from the published record;
- :mod:`~sendplan.readiness.report`: :func:`build_readiness`, the weeks ranked.

Pure: ``today`` is an argument, nothing prints.
"""

from sendplan.case.absences import Absence
from sendplan.readiness.candidates import Candidate, candidates, first_week
from sendplan.readiness.freshness import Freshness
from sendplan.readiness.national import National, national_picture
from sendplan.readiness.report import Readiness, Risk, Week, build_readiness
from sendplan.readiness.settings import RISK_KINDS, RISK_LABELS, readiness_data

__all__ = [
    "RISK_KINDS",
    "RISK_LABELS",
    "Absence",
    "Candidate",
    "Freshness",
    "National",
    "Readiness",
    "Risk",
    "Week",
    "build_readiness",
    "candidates",
    "first_week",
    "national_picture",
    "readiness_data",
]
