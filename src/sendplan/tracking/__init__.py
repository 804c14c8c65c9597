"""Choosing the children and young people for tracking meetings (handbook paras 90-93).

The choice is a small optimisation with a stated objective, compared
lexicographically (a better first part always wins):

1. **Hard rules met** (para 92), counted in units so that getting closer
   counts: at least 1 in alternative provision, at least 2 receiving SEN
   support, at least 1 whose primary need is in each of the four broad areas
   of need.  A rule no one in the lists can meet is reported, not forced.
2. **Spread** (para 91: "a range of needs, ... a range of services, ... a
   range of age groups and ... different stages in their involvement with
   health and social care"): the weighted number of distinct values among the
   chosen, per characteristic (:data:`SPREAD`).  Age group weighs most, since
   para 91 asks for a range of age groups in so many words; then the mix of EHC
   plan and SEN support, area of need and involvement with social care; then
   primary need, social care team, phase; then setting, gender, ethnicity and
   disability (the protected characteristics para 91 asks inspectors to keep
   in mind).

Para 91 asks for a range, not one best set: any choice meeting as many rules
as the best found, covering as many age groups, with a spread within
:data:`TOLERANCE` of the best, is as fair, and the seed picks one, so a
rehearsal with another ``seed`` picks other, equally valid, families.

The search: a seeded, stratified sample of candidates (every value of every
characteristic is represented, so rare children, such as the only one in
alternative provision, are never missed), a randomised greedy start, then
swaps until no single swap improves the objective; the best of a few starts
sets the bar, and a greedy build with slack, improved until it reaches the
bar, is the choice.  Nothing here reads the clock, prints or sees a UPN.
"""

from __future__ import annotations

from sendplan.errors import SelectionError
from sendplan.lists.sources import ListsSource, notification_date, read_lists
from sendplan.tracking.plan import (
    SHOWABLE,
    TrackingReport,
    lists_warnings,
    plan_tracking,
    save_selection,
    show_fields,
)
from sendplan.tracking.search import (
    DEFAULT_COUNT,
    DEFAULT_RESERVES,
    HARD_RULES,
    PER_VALUE,
    SAMPLE_SIZE,
    SLACK,
    SPREAD,
    SPREAD_LABELS,
    SPREAD_WORDS,
    STARTS,
    TOLERANCE,
    VARIANTS,
    Chosen,
    HardRule,
    Reserve,
    RuleResult,
    Selection,
    select_for_tracking,
)

__all__ = [
    "DEFAULT_COUNT",
    "DEFAULT_RESERVES",
    "SelectionError",
    "HardRule",
    "HARD_RULES",
    "SPREAD",
    "SPREAD_LABELS",
    "SPREAD_WORDS",
    "SAMPLE_SIZE",
    "PER_VALUE",
    "STARTS",
    "TOLERANCE",
    "SLACK",
    "VARIANTS",
    "Chosen",
    "Reserve",
    "RuleResult",
    "Selection",
    "select_for_tracking",
    "ListsSource",
    "TrackingReport",
    "notification_date",
    "show_fields",
    "SHOWABLE",
    "read_lists",
    "lists_warnings",
    "plan_tracking",
    "save_selection",
]
