"""Rendering the Annex A checklist and the status dashboard.

Like ``sendplan.render.schedule``: functions return Rich renderables or strings and
the CLI prints them; Rich is imported inside the functions that need it.
The red/amber/green marker is always a word as well as a colour, so it
survives ``NO_COLOR``, a pipe and colour-blindness.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING

from sendplan.dates import END_OF_DAY, clock_text, date_text, moment_text, short_date
from sendplan.render.schedule import APPROXIMATE, what_text
from sendplan.render.spreadsheets import Column, Sheet, about_rows, csv_text, workbook
from sendplan.text import markdown_table, md_escape
from sendplan.words import plural

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions, RenderableType, RenderResult

    from sendplan.checklist import Checklist, Item, ItemGroup, Status
    from sendplan.render.tables import Col
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
    # A case without dates (issue 23): "notification + 1 working day, 11:00".
    Column("due_relative", "Due relative to notification", max_width=40),
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
        return item.due_relative or "not scheduled"
    when = (
        f"{date_text(item.due_date)} {_time(item)}".strip()
        if with_time
        else (date_text(item.due_date))
    )
    return when + (APPROXIMATE if item.due_approximate else "")


def _due_lines(item: Item) -> str:
    """The table's Due cell: the date, the time under it, ``(approx.)`` under that,
    so the column is no wider than a date."""
    if item.due_date is None:
        # A case without dates: "notification + 1 working day, 11:00" (issue 23).
        return (item.due_relative or "not scheduled").replace(" + ", "\n+ ").replace(", ", "\n")
    lines = [date_text(item.due_date), _time(item), APPROXIMATE.strip() * item.due_approximate]
    return "\n".join(line for line in lines if line)


def _time(item: Item) -> str:
    return clock_text(item.due_time) if item.due_time else ""


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
    from rich.console import Group
    from rich.text import Text

    from sendplan.render.tables import Col, FitTable

    parts: list[RenderableType] = [
        Text(f"{checklist.heading}: {checklist.local_area}", style="bold"),
        Text(_summary(checklist, today)),
    ]
    columns = [
        Col("ID", key=True, wrap=False),
        Col("Item", ratio=6, min_width=14),
        # The deadline's time under its date: a Time column of its own costs 8 columns.
        Col("Due", wrap=False),
        Col("Owner", key=True, ratio=2),
        Col("Status", wrap=False),
        Col("RAG", wrap=False),
    ]
    for title, items in checklist.groups():
        table = FitTable(columns, title=title)
        for item in items:
            cells = _cells(checklist, item, today, detail)
            rag = cells[-1]
            cells[2:4] = [_due_lines(item)]
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
    return f"{plural(len(checklist.items), 'item')}: {text or 'none'}; {overdue} overdue."


def checklist_markdown(checklist: Checklist, today: date | datetime, detail: bool = False) -> str:
    lines = [f"# {checklist.heading}: {md_escape(checklist.local_area)}", ""]
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
            item.due_relative,
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
        f"{checklist.heading}: {checklist.local_area}",
        today,
        ("Items", _summary(checklist, today)),
        ("RAG", "red overdue; amber due today or by the next working day; green otherwise"),
        *(("Note", note) for note in checklist.notes),
    )
    return workbook([checklist_sheet(checklist, today)], about)


def overdue_text(items: Sequence[Item], today: date | datetime) -> str:
    """The ``--check`` message: one line per overdue item (stderr)."""
    moment = moment_text(today) if isinstance(today, datetime) else date_text(today, long=True)
    lines = [f"sendplan: {plural(len(items), 'overdue item')} at {moment}:"]
    for item in items:
        due = _due(item, with_time=True)
        owner = f", owner {item.owner}" if item.owner else ""
        lines.append(f"  {item.id}  {item.label} (due {due}, {item.status}{owner})")
    return "\n".join(lines) + "\n"


# ------------------------------------------------------------------ status
def _day(day: date, today: date) -> str:
    """``Tue 1 Dec``, with the year when it is not this one."""
    return short_date(day) if day.year == today.year else date_text(day, weekday=True)


def _event_cells(event: Event, today: date) -> list[str]:
    when = _day(event.date, today)
    if event.end_date and not event.series_dates:
        when += f" to {_day(event.end_date, today)}"
    if event.time:
        when += f" {clock_text(event.time)}"
    return [when, what_text(event), event.source]


def _group_cells(group: ItemGroup, today: date) -> list[str]:
    due = f"due {_day(group.due.date(), today)}" if group.due else "not scheduled"
    if group.due and group.due.time() != END_OF_DAY:
        due += f" {clock_text(group.due)}"
    if group.approximate:
        due += APPROXIMATE
    return [
        plural(len(group.ids), "item"),
        ", ".join(group.runs),
        group.owner or "no owner",
        due,
    ]


def where_text(status: Status) -> str:
    """``Day 10. Week 2: off-site analysis ...``: where the inspection is today."""
    return status.stage if status.day is None else f"Day {status.day}. {status.stage}"


def status_sections(status: Status, owners: bool = True) -> list[tuple[str, list[list[str]]]]:
    """The dashboard as (heading, rows of cells), shared by table and Markdown.

    Items overdue or due today are summed up by Annex A group and owner, one
    row each (``sendplan checklist --check`` lists every one); a repeated
    meeting is one row; an empty section is its heading alone.  Today's events
    come ending soonest first (what closes today leads).  ``owners=False``
    leaves the checklist's counts by owner out (the one-screen table).
    """
    from sendplan.checklist import by_group
    from sendplan.schedule import as_series

    today = status.today.date()
    total = plural(len(status.checklist.items), "item")
    counts = ", ".join(f"{n} {s}" for s, n in status.counts.items() if n)
    by_owner = [
        [owner, ", ".join(f"{n} {s}" for s, n in by.items() if n)]
        for owner, by in status.counts_by_owner.items()
    ]
    under_way = sorted(as_series(status.today_events), key=lambda e: e.end_date or e.date)
    events = {
        "Today": [_event_cells(e, today) for e in under_way],
        "Next": [_event_cells(e, today) for e in as_series(status.next_events)],
    }
    items = {
        "Overdue": (status.overdue, by_group(status.checklist, status.overdue)),
        "Due today": (status.due_today, by_group(status.checklist, status.due_today)),
    }
    out: list[tuple[str, list[list[str]]]] = []
    for name, rows in events.items():
        out.append((name if rows else f"{name}: nothing scheduled", rows))
    for name, (listed, groups) in items.items():
        heading = f"{name}: {plural(len(listed), 'item')}" if listed else f"{name}: none"
        out.append((heading, [_group_cells(g, today) for g in groups]))
    shown = by_owner if owners and len(by_owner) > 1 else []
    out.append((f"Checklist: {total}, {counts or 'none'}", shown))
    return out


def _section_columns(heading: str, width: int) -> list[Col]:
    from sendplan.render.tables import Col

    name = heading.split(":")[0]
    if name in ("Today", "Next"):
        return [
            Col("When", wrap=False, break_at=" to "),
            Col("What", ratio=4, min_width=16),
            Col("Source", key=True, ratio=2),
        ]
    if name in ("Overdue", "Due today"):
        return [
            Col("Count", wrap=False),
            Col("Items", key=True, ratio=2),
            Col("Owner", key=True, ratio=1),
            Col("Due", wrap=False),
        ]
    return [Col("Owner", key=True, ratio=1), Col("Counts", ratio=2)]


#: ``sendplan status`` is one screen (issues 13, 25): at most the terminal's height
#: less the prompt's line, else this many lines, at any width from 80 columns.  The
#: header (the day, the week) always shows; the next three events at most; then
#: what happens today and next gives way, ending soonest and soonest first, to a
#: line naming how many more and the command that shows them, and last the
#: overdue and due-today summaries do too.
SCREEN_LINES = 30
#: Events coming next that ``status`` lists at most.
NEXT_SHOWN = 3
_MORE = {
    "Today": ("more event", "more events", "under way", "sendplan schedule {case}"),
    "Next": ("more event", "more events", "to come", "sendplan schedule {case}"),
    "Overdue": ("more group", "more groups", "overdue", ""),  # the heading says where
    "Due today": ("more group", "more groups", "due today", "sendplan checklist {case}"),
}


def _more_text(name: str, more: int, case: str) -> str:
    """``and 3 more events under way: sendplan schedule case.toml``."""
    one, many, what, where = _MORE[name]
    text = f"and {plural(more, one, many)} {what}"
    return f"{text}: {where.format(case=case)}" if where else text


class _OneScreen:
    """The status board, its lists cut at render time to fit ``budget`` lines.

    Only at render time is the width known, and with it how far titles wrap.
    """

    def __init__(self, status: Status, budget: int, case: str) -> None:
        self.status = status
        self.budget = budget
        self.case = case
        self.sections = status_sections(status, owners=False)

    def parts(self, shown: dict[str, int], compact: bool = False) -> list[RenderableType]:
        from rich.padding import Padding
        from rich.text import Text

        from sendplan.render.tables import FitTable

        status = self.status
        parts: list[RenderableType] = [
            Text(f"{status.title}: {status.local_area}", style="bold"),
            Text(f"{moment_text(status.today)}. {where_text(status)}"),
        ]
        for heading, rows in self.sections:
            name = heading.split(":")[0]
            late = name == "Overdue" and bool(status.overdue)
            if late:  # the pointer to every item rides on the heading: one line less
                heading += f" (each: sendplan checklist {self.case} --check)"
            gap = "" if compact else "\n"  # compact: no blank line between sections
            parts.append(Text(f"{gap}{heading}", style="bold red" if late else "bold"))
            if not rows:
                continue
            cut = rows[: shown.get(name, len(rows))]
            grid = FitTable(_section_columns(heading, len(rows[0])), grid=True)
            for row in cut:
                grid.add_row(*row)
            parts.append(Padding(grid, (0, 0, 0, 2)))
            if len(cut) < len(rows):
                more = Text(_more_text(name, len(rows) - len(cut), self.case), style="dim")
                parts.append(Padding(more, (0, 0, 0, 2)))
        return parts

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        from rich.console import Group

        rows = {h.split(":")[0]: len(r) for h, r in self.sections}
        shown = {name: rows[name] for name in _MORE}
        shown["Next"] = min(shown["Next"], NEXT_SHOWN)
        compact = False
        while True:
            group = Group(*self.parts(shown, compact))
            lines = console.render_lines(group, options.update(height=None), pad=False)
            if len(lines) <= self.budget:
                break
            # Cut the longer event list first (Next on a tie), then the blank
            # lines between sections, then the longer summary of items; each
            # list keeps one row.
            events = max(("Next", "Today"), key=lambda n: shown[n])
            items = max(("Due today", "Overdue"), key=lambda n: shown[n])
            if shown[events] > 1:
                shown[events] -= 1
            elif not compact:
                compact = True
            elif shown[items] > 1:
                shown[items] -= 1
            else:
                break
        yield group


def status_renderable(
    status: Status, height: int | None = None, case: str = "CASE"
) -> RenderableType:
    """Headings, each over a borderless grid, so long titles wrap in their column;
    at most ``height`` lines (default :data:`SCREEN_LINES`).  ``case`` is the case
    file as the user named it, for the commands that show what is left out."""
    return _OneScreen(status, height or SCREEN_LINES, case)


def status_markdown(status: Status) -> str:
    lines = [f"# {md_escape(status.title)}: {md_escape(status.local_area)}", ""]
    lines += [md_escape(f"{moment_text(status.today)}. {where_text(status)}"), ""]
    for heading, rows in status_sections(status):
        name = heading.split(":")[0]
        if name in ("Today", "Next"):
            rows = [[r[0], r[1], f"({r[2]})"] for r in rows]
        if name in ("Overdue", "Due today"):  # list-1, list-2: 2 items, no owner, due ...
            rows = [[f"{r[1]}: {', '.join(r[:1] + r[2:])}"] for r in rows]
        body = [" ".join(c.replace("\n", " ") for c in row if c) for row in rows]
        lines += [f"## {md_escape(heading)}", ""] + [f"- {md_escape(b)}" for b in body]
        lines += [""] if body else []
    return "\n".join(lines).rstrip("\n") + "\n"
