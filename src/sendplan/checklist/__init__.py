"""The Annex A checklist: every item with its deadline, owner and status.

Three seams: :mod:`~sendplan.checklist.building` dates each item by its schedule
event (so the checklist can never disagree with ``sendplan schedule``),
:mod:`~sendplan.checklist.marking` records statuses and owners in the case
file's ``[checklist]``, :mod:`~sendplan.checklist.status` is the dashboard of
``sendplan status``.  Annex A itself is data (:mod:`sendplan.annex`, low enough
for the case layer to validate ``[checklist]`` with).

Nothing here reads the clock: red/amber/green, overdue and the status
dashboard take ``today`` as an argument.
"""

from __future__ import annotations

from sendplan.checklist.building import (
    Checklist,
    Item,
    build_checklist,
    check_status,
    item_json,
    match_items,
)
from sendplan.checklist.marking import MarkResult, mark_items
from sendplan.checklist.status import (
    NEXT_ROWS,
    ItemGroup,
    Status,
    build_status,
    by_group,
    next_events,
    stage_on,
)

__all__ = [
    "NEXT_ROWS",
    "Checklist",
    "Item",
    "ItemGroup",
    "MarkResult",
    "Status",
    "build_checklist",
    "build_status",
    "by_group",
    "check_status",
    "item_json",
    "mark_items",
    "match_items",
    "next_events",
    "stage_on",
]
