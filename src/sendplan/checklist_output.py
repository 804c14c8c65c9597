"""Rendering the Annex A checklist and the status dashboard.

Like ``sendplan.output``: functions return Rich renderables or strings and
the CLI prints them; Rich is imported inside the functions that need it.
The red/amber/green marker is always a word as well as a colour, so it
survives ``NO_COLOR``, a pipe and colour-blindness.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING

from sendplan.dates import date_text, moment_text
from sendplan.output import APPROXIMATE, markdown_table, md_escape, what_text
from sendplan.spreadsheet_output import Column, Sheet, about_rows, csv_text, workbook

if TYPE_CHECKING:
    from rich.console import RenderableType

    from sendplan.checklist import Checklist, Item, Status
    from sendplan.schedule import Event

_RAG_STYLE = {"red": "bold red", "amber": "bold yellow", "green": "green"}
_STATUS_STYLE = {"done": "green", "n/a": "dim", "in-progress": "yellow", "not-started": ""}

HEADERS = ("ID", "Item", "Due", "Time", "Owner", "Status", "RAG")
#: The CSV and workbook columns (``--format csv|xlsx``), one row per item.
SHEET_COLUMNS = (
    Column("id", "ID", "code"),
    Column("number", "Number", "code"),
    Column("group", "Group", "code"),
    Column("title", "Item", max_width=60),
    Column("due_date", "Due date", "date"),
    Column("due_time", "Due time", "time"),
    # The guidance gives this deadline only loosely (issue 11): "yes".
    Column("due_approximate", "Due date approximate", "code"),
    Column("owner", "Owner", max_width=30),
    Column("status", "Status", "code"),
    Column("rag", "RAG", "rag"),
    Column("note", "Note", max_width=40),
    Column("updated", "Updated", "datetime"),
    Column("source", "Source", max_width=30),
)


def _due(item: Item, with_time: bool = False) -> str:
    """The due date (and time), marked when the guidance gives it only loosely."""
    if item.due_date is None:
        return "not scheduled"
    when = (
        f"{date_text(item.due_date)} {_time(item)}".strip()
        if with_time
        else (date_text(item.due_date))
    )
    return when + (APPROXIMATE if item.due_approximate else "")


def _time(item: Item) -> str:
    return item.due_time.strftime("%H:%M") if item.due_time else ""


def _text(item: Item, detail: bool) -> str:
    text = item.label
    text += f"\n{item.description} ({item.source})" if detail else f": {item.short}"
    if item.note:
        text += f"\nNote: {item.note}"
    return text


def _cells(checklist: Checklist, item: Item, today: date | datetime, detail: bool) -> list[str]:
    return [
        item.id,
        _text(item, detail),
        _due(item),
        _time(item),
        item.owner or "",
        item.status,
        checklist.rag(item, today),
    ]


def checklist_renderable(
    checklist: Checklist, today: date | datetime, detail: bool = False
) -> RenderableType:
    """The checklist as Rich tables, one per Annex A group."""
    from rich import box
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    parts: list[RenderableType] = [
        Text(f"Annex A checklist: {checklist.local_area}", style="bold"),
        Text(_summary(checklist, today)),
    ]
    for title, items in checklist.groups():
        table = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD, expand=True)
        table.add_column("ID", no_wrap=True)
        table.add_column("Item", ratio=6, min_width=30)
        table.add_column("Due", no_wrap=True)
        table.add_column("Time", no_wrap=True)
        table.add_column("Owner", ratio=2, max_width=28)
        table.add_column("Status", no_wrap=True)
        table.add_column("RAG", no_wrap=True)
        for item in items:
            cells = _cells(checklist, item, today, detail)
            rag = cells[-1]
            table.add_row(
                *cells[:-2],
                Text(item.status, style=_STATUS_STYLE.get(item.status, "")),
                Text(rag, style=_RAG_STYLE[rag]),
            )
        parts.append(table)
    if not checklist.items:
        parts.append(Text("No items match."))
    parts += [Text(note, style="dim") for note in checklist.notes]
    return Group(*parts)


def _summary(checklist: Checklist, today: date | datetime) -> str:
    counts = checklist.counts()
    overdue = len(checklist.overdue(today))
    text = ", ".join(f"{n} {status}" for status, n in counts.items() if n)
    return f"{len(checklist.items)} items: {text or 'none'}; {overdue} overdue."


def checklist_markdown(checklist: Checklist, today: date | datetime, detail: bool = False) -> str:
    lines = [f"# Annex A checklist: {md_escape(checklist.local_area)}", ""]
    lines += [md_escape(_summary(checklist, today)), ""]
    for title, items in checklist.groups():
        lines += [f"## {md_escape(title)}", ""]
        rows = [[c.replace("\n", " ") for c in _cells(checklist, i, today, detail)] for i in items]
        lines += markdown_table(HEADERS, rows)
        lines.append("")
    lines += [f"- {md_escape(n)}" for n in checklist.notes]
    return "\n".join(lines).rstrip("\n") + "\n"


def checklist_sheet(checklist: Checklist, today: date | datetime) -> Sheet:
    """One row per item; ``note`` as written (spreadsheet users sort and filter it)."""
    rows = [
        [
            item.id,
            item.number,
            item.group,
            item.label,
            item.due_date,
            item.due_time,
            "yes" if item.due_approximate else "",
            item.owner,
            item.status,
            checklist.rag(item, today),
            item.note,
            item.updated,
            item.source,
        ]
        for item in checklist.items
    ]
    return Sheet("Annex A", SHEET_COLUMNS, rows)


def checklist_csv(checklist: Checklist, today: date | datetime) -> str:
    return csv_text(checklist_sheet(checklist, today))


def checklist_workbook(checklist: Checklist, today: date | datetime) -> bytes:
    """The checklist as an .xlsx workbook: the items, then what it is and as of when."""
    about = about_rows(
        f"Annex A checklist: {checklist.local_area}",
        today,
        ("Items", _summary(checklist, today)),
        ("RAG", "red overdue; amber due today or by the next working day; green otherwise"),
        *(("Note", note) for note in checklist.notes),
    )
    return workbook([checklist_sheet(checklist, today)], about)


def overdue_text(items: Sequence[Item], today: date | datetime) -> str:
    """The ``--check`` message: one line per overdue item (stderr)."""
    moment = today.isoformat(timespec="minutes") if isinstance(today, datetime) else str(today)
    head = f"sendplan: {len(items)} overdue item{'s' if len(items) != 1 else ''} at {moment}:"
    lines = [head]
    for item in items:
        due = f"{item.due_date} {_time(item)}".strip()
        due += APPROXIMATE if item.due_approximate else ""
        owner = f", owner {item.owner}" if item.owner else ""
        lines.append(f"  {item.id}  {item.label} (due {due}, {item.status}{owner})")
    return "\n".join(lines) + "\n"


# ------------------------------------------------------------------ status
def _event_cells(event: Event) -> list[str]:
    when = date_text(event.date)
    if event.end_date:
        when += f" to {date_text(event.end_date)}"
    at = event.time.strftime("%H:%M") if event.time else ""
    return [when, at, what_text(event), event.source]


def _item_cells(item: Item) -> list[str]:
    return [item.id, _due(item, with_time=True), item.label, item.owner or ""]


def status_sections(status: Status) -> list[tuple[str, list[list[str]]]]:
    """The dashboard as (heading, rows of cells), shared by table and Markdown."""
    where = status.stage
    if status.day is not None:
        where = f"Day {status.day}. {where}"
    counts = ", ".join(f"{n} {s}" for s, n in status.counts.items())
    owners = [
        [owner, ", ".join(f"{n} {s}" for s, n in by.items() if n)]
        for owner, by in status.counts_by_owner.items()
    ]
    none = [["Nothing scheduled."]]
    return [
        ("Where we are", [[where]]),
        ("Today", [_event_cells(e) for e in status.today_events] or none),
        ("Next", [_event_cells(e) for e in status.next_events] or none),
        ("Overdue", [_item_cells(i) for i in status.overdue] or [["None."]]),
        ("Due today", [_item_cells(i) for i in status.due_today] or [["None."]]),
        ("Checklist", [["All items", counts]] + owners),
    ]


def status_renderable(status: Status) -> RenderableType:
    """Headings, each over a borderless grid, so long titles wrap in their column."""
    from rich.console import Group
    from rich.padding import Padding
    from rich.table import Table
    from rich.text import Text

    moment = moment_text(status.today)
    parts: list[RenderableType] = [
        Text(f"{status.title}: {status.local_area}. {moment}", style="bold")
    ]
    for heading, rows in status_sections(status):
        style = "bold red" if heading == "Overdue" and status.overdue else "bold"
        parts.append(Text(f"\n{heading}", style=style))
        grid = Table.grid(padding=(0, 2))
        width = max(len(r) for r in rows)
        for n in range(width):
            wide = width > 1 and n == 2
            grid.add_column(ratio=1 if wide else None, no_wrap=not wide and n < 2)
        for row in rows:
            grid.add_row(*row)
        parts.append(Padding(grid, (0, 0, 0, 2)))
    return Group(*parts)


def status_markdown(status: Status) -> str:
    moment = moment_text(status.today)
    lines = [f"# {md_escape(status.title)}: {md_escape(status.local_area)}", "", moment, ""]
    for heading, rows in status_sections(status):
        if heading in ("Today", "Next"):
            rows = [r[:-1] + [f"({r[-1]})"] if len(r) == 4 else r for r in rows]
        body = [" ".join(c for c in row if c) for row in rows]
        lines += [f"## {heading}", ""] + [f"- {md_escape(b)}" for b in body] + [""]
    return "\n".join(lines).rstrip("\n") + "\n"
