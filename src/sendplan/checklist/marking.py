"""Marking checklist items: the case file's ``[checklist.items]`` edited in place.

:func:`mark_items` records a status (and a note or owner) through
:func:`sendplan.case.editing.update_case`: under the case file's lock, keeping
comments and order, validated before an atomic write.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sendplan.annex import ItemState
from sendplan.case import Case
from sendplan.checklist.building import build_checklist, check_status, match_items
from sendplan.errors import SendplanError, UsageError
from sendplan.namedtuples import NamedTuple

if TYPE_CHECKING:
    from tomlkit import TOMLDocument


class MarkResult(NamedTuple):
    ids: tuple[str, ...]
    changed: tuple[str, ...]
    case: Case


def mark_items(
    path: Path,
    patterns: Sequence[str],
    status: str | None,
    *,
    now: datetime,
    note: str | None = None,
    owner: str | None = None,
    refreshed: date | None = None,
) -> MarkResult:
    """Record ``status`` (and a note or owner) for the items ``patterns`` name.

    Goes through :func:`sendplan.files.update_case`: under the case file's
    lock, keeping comments and order, validated before an atomic write.
    ``updated`` is set to ``now`` when an item's status changes.  An empty
    ``note`` or ``owner`` removes it.  ``refreshed`` records when the items'
    evidence was last brought up to date (issue 23); ``status`` may then be
    None, leaving each item's status as it is.
    """
    from sendplan.case import parse_case
    from sendplan.case.editing import (
        add_table,
        last_table,
        lift_next_header_comments,
        super_table,
        tables_land,
        toml_text,
        update_case,
    )
    from sendplan.schedule import build_schedule

    path = Path(path)
    if status is None and refreshed is None:
        raise SendplanError(
            "say what to record: {status} (done, in-progress, not-started, n/a) or {refreshed}",
            parameters=("status", "refreshed"),
        )
    if status is not None:
        check_status(status)
    from sendplan.child_ids import find_child_number, number_message
    from sendplan.schema import text_problem

    for option, text in (("note", note), ("owner", owner)):
        if text and (kind := find_child_number(text)):  # refused, never echoed
            raise UsageError(f"the {option} " + number_message(kind))
        problem = text_problem(text, controls=True) if text else None  # free text (FREE_TEXT)
        if problem:
            raise UsageError(problem, option=option, value=_printable(text or ""))
    ids: list[str] = []
    changed: list[str] = []

    def change(document: TOMLDocument) -> None:
        # Match under the lock, on the file as it is now: another `mark` or a
        # new tracking selection may have landed since we were started.
        case = parse_case(toml_text(document), path)
        checklist = build_checklist(case, build_schedule(case) if case.has_dates else None)
        ids.extend(match_items(checklist, patterns))
        # tomlkit misplaces a new table under dotted keys (`[checklist]` then
        # `items."1.2".status = ...`); there, inline tables land instead.
        inline = not tables_land(document, ITEMS)
        # The comments just above the header that follows the checklist belong
        # to that header: lift them off before adding tables, put them back after.
        heading = [] if inline else lift_next_header_comments(document, ITEMS[0])
        table = super_table(document, ITEMS)
        stamp = now.replace(second=0, microsecond=0)
        last: Any = None

        def _fill(stamped: datetime | None, entry: Any) -> None:
            _update_entry(entry, status, stamped, owner, note, refreshed)

        for item_id in ids:
            old = case.checklist.items.get(item_id, ItemState())
            restated = status is not None and (old.status != status or old.updated is None)
            if restated or (refreshed is not None and old.refreshed != refreshed):
                changed.append(item_id)
            entry = table.get(item_id)
            stamped = stamp if restated else None
            if entry is not None:
                _update_entry(entry, status, stamped, owner, note, refreshed)
                continue
            last = add_table(table, item_id, partial(_fill, stamped), inline=inline)
        for comment in heading:
            (last if last is not None else last_table(document[ITEMS[0]])).add(comment)

    case = update_case(path, change)
    return MarkResult(tuple(ids), tuple(changed), case)


#: Where the items' states are: ``[checklist.items."1.1"]`` tables.
ITEMS = ("checklist", "items")


def _printable(text: str) -> str:
    """``text`` safe to echo in a message: invalid bytes shown as escapes, shortened."""
    shown = text.encode("utf-8", "backslashreplace").decode("utf-8")
    return shown if len(shown) <= 40 else shown[:37] + "..."


def _update_entry(
    entry: Any,
    status: str | None,
    updated: datetime | None,
    owner: str | None,
    note: str | None,
    refreshed: date | None = None,
) -> None:
    """Set one item's keys in its TOML table; an empty owner or note removes it."""
    if status is not None:
        entry["status"] = status
    if updated is not None:
        entry["updated"] = updated
    if refreshed is not None:
        entry["refreshed"] = refreshed
    for key, value in (("owner", owner), ("note", note)):
        if value == "" and key in entry:
            del entry[key]
        elif value:
            entry[key] = value
