"""The lists of one case: where they are, the day they describe, read with the case's settings.

``sendplan select``, ``sendplan lists check`` and ``sendplan overview`` read the
lists the same way, through :func:`read_lists`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from sendplan.errors import SelectionError
from sendplan.lists.checks import Lists, load_lists
from sendplan.lists.reading import open_lists
from sendplan.progress import Progress, quiet
from sendplan.rules import kind_label

if TYPE_CHECKING:
    from sendplan.case import Case


@dataclass(frozen=True)
class ListsSource:
    """Where the lists are: ``--list1``/``--list2`` files or one ``--lists`` workbook."""

    list1: Path | None = None
    list2: Path | None = None
    workbook: Path | None = None


def notification_date(case: Case) -> date:
    """The day the lists describe and ages are taken at: notification (paras 196, 199)."""
    from sendplan.events import NOTIFICATION
    from sendplan.schedule import build_schedule

    event = build_schedule(case).get(NOTIFICATION)
    if event is None:
        where = f"{case.path}: " if case.path else ""
        raise SelectionError(
            f"{where}this case is {kind_label(case.kind, article=True)}, which has no "
            "notification; Lists 1 and 2 describe the children on the day an inspection is "
            "notified (paras 196, 199), so they need the case file of a full inspection, "
            "a monitoring inspection or a re-visit"
        )
    return event.date


def read_lists(
    case: Case | None,
    source: ListsSource,
    notification: date,
    today: date | None = None,
    show: Sequence[str] = (),
    progress: Progress = quiet,
) -> Lists:
    """Read the lists named by ``source`` with the case's column mapping and home area.

    Without a case, only the template's headings are recognised and a home
    local authority column cannot be judged (a "lives in area" one still can).
    """
    columns: dict[str, str] = {}
    home: list[str] = []
    if case is not None:
        columns = dict(case.tracking.columns)
        home = [case.local_area, case.inspection.la_code or "", *case.tracking.home_la]
    progress("Opening the lists", 0, None)
    sheets = open_lists(source.list1, source.list2, source.workbook)
    return load_lists(sheets, notification, today, columns, home, show, progress)
