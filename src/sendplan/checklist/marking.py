"""Marking checklist items: the case file's ``[checklist.items]`` edited in place.

:func:`mark_items` records a status (and a note or owner) through
:func:`sendplan.case.editing.update_case`: under the case file's lock, keeping
comments and order, validated before an atomic write.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from sendplan.annex import ItemState
from sendplan.case import Case
from sendplan.checklist.building import build_checklist, check_status, match_items
from sendplan.errors import UsageError

if TYPE_CHECKING:
    from tomlkit import TOMLDocument


class MarkResult(NamedTuple):
    ids: tuple[str, ...]
    changed: tuple[str, ...]
    case: Case


def mark_items(
    path: Path,
    patterns: Sequence[str],
    status: str,
    *,
    now: datetime,
    note: str | None = None,
    owner: str | None = None,
) -> MarkResult:
    """Record ``status`` (and a note or owner) for the items ``patterns`` name.

    Goes through :func:`sendplan.files.update_case`: under the case file's
    lock, keeping comments and order, validated before an atomic write.
    ``updated`` is set to ``now`` when an item's status changes.  An empty
    ``note`` or ``owner`` removes it.
    """
    import tomlkit

    from sendplan.case import parse_case
    from sendplan.case.editing import update_case
    from sendplan.schedule import build_schedule

    path = Path(path)
    check_status(status)
    from sendplan.schema import text_problem

    for option, text in (("note", note), ("owner", owner)):
        problem = text_problem(text, controls=True) if text else None  # free text (FREE_TEXT)
        if problem:
            raise UsageError(problem, option=option, value=_printable(text or ""))
    ids: list[str] = []
    changed: list[str] = []

    def change(document: TOMLDocument) -> None:
        # Match under the lock, on the file as it is now: another `mark` or a
        # new tracking selection may have landed since we were started.
        case = parse_case(tomlkit.dumps(document), path)
        checklist = build_checklist(case, build_schedule(case))
        ids.extend(match_items(checklist, patterns))
        # tomlkit misplaces a new table under dotted keys (`[checklist]` then
        # `items."1.2".status = ...`); there, inline tables land instead.
        inline = not _tables_land(document)
        # The comments just above the header that follows the checklist belong
        # to that header: lift them off before adding tables, put them back after.
        heading = [] if inline else _next_header_comments(document)
        table = _items_table(document)
        stamp = now.replace(second=0, microsecond=0)
        last: Any = None
        for item_id in ids:
            old = case.checklist.items.get(item_id, ItemState())
            if old.status != status or old.updated is None:
                changed.append(item_id)
            entry = table.get(item_id)
            if entry is not None:
                _update_entry(entry, status, stamp if item_id in changed else None, owner, note)
                continue
            entry = tomlkit.inline_table() if inline else tomlkit.table()
            _update_entry(entry, status, stamp, owner, note)
            if not inline:
                entry.add(tomlkit.nl())  # a blank line before whatever follows
            table[item_id] = entry
            last = entry
        for comment in heading:
            (last if last is not None else _last_table(document["checklist"])).add(comment)

    case = update_case(path, change)
    return MarkResult(tuple(ids), tuple(changed), case)


def _printable(text: str) -> str:
    """``text`` safe to echo in a message: invalid bytes shown as escapes, shortened."""
    shown = text.encode("utf-8", "backslashreplace").decode("utf-8")
    return shown if len(shown) <= 40 else shown[:37] + "..."


def _update_entry(
    entry: Any, status: str, updated: datetime | None, owner: str | None, note: str | None
) -> None:
    """Set one item's keys in its TOML table; an empty owner or note removes it."""
    entry["status"] = status
    if updated is not None:
        entry["updated"] = updated
    for key, value in (("owner", owner), ("note", note)):
        if value == "" and key in entry:
            del entry[key]
        elif value:
            entry[key] = value


def _tables_land(document: TOMLDocument) -> bool:
    """Whether a new ``[checklist.items."<id>"]`` table lands where it should,
    tried on a copy of ``document``."""
    import tomllib

    import tomlkit

    trial = tomlkit.parse(tomlkit.dumps(document))
    probe = tomlkit.table()
    probe["status"] = "done"
    _items_table(trial)["probe"] = probe
    written = tomllib.loads(tomlkit.dumps(trial))
    return "probe" in written.get("checklist", {}).get("items", {})


def _last_table(table: Any) -> Any:
    """The table written last in the file among ``table`` and the tables under it."""
    from tomlkit.items import Table

    tables = [value for _, value in table.value.body if isinstance(value, Table)]
    return _last_table(tables[-1]) if tables else table


def _next_header_comments(document: TOMLDocument) -> list[Any]:
    """Remove and return the comment lines that end the checklist's last table after
    a blank line: in the file they stand just above the next section's header
    (``# Dates as they really happened...`` before ``[dates]``), so new item tables
    must go before them, not between them and their header."""
    from tomlkit.items import Comment, Table, Whitespace

    checklist = document.get("checklist")
    if not isinstance(checklist, Table):
        return []
    body = _last_table(checklist).value.body
    start = len(body)
    while start > 0 and body[start - 1][0] is None and isinstance(body[start - 1][1], Comment):
        start -= 1
    blank = start > 0 and isinstance(body[start - 1][1], Whitespace)
    if start == len(body) or not blank:
        return []  # no comments, or comments under the last key (a commented-out key)
    comments = [item for _, item in body[start:]]
    del body[start:]
    return comments


def _items_table(document: TOMLDocument) -> Any:
    """``[checklist.items]``, created as a super-table so only the per-item
    headers (``[checklist.items."1.1"]``) appear in the file."""
    import tomlkit

    checklist = document.get("checklist")
    if checklist is None:
        checklist = tomlkit.table(is_super_table=True)
        document["checklist"] = checklist
    items = checklist.get("items")
    if items is None:
        items = tomlkit.table(is_super_table=True)
        checklist["items"] = items
    return items
