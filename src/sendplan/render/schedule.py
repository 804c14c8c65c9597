"""Turning core results into Rich renderables, Markdown and JSON.

Only this module and ``cli`` know about Rich; Rich is imported inside the
functions that need it, so ``--format json`` never pays for it.  Functions
return renderables or strings; the CLI prints them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from sendplan.dates import clock_text, date_text
from sendplan.rules import ROLES
from sendplan.schedule import series_text
from sendplan.text import markdown_table, md_escape

if TYPE_CHECKING:
    from rich.console import RenderableType

    from sendplan.render.spreadsheets import Sheet
    from sendplan.render.tables import Col
    from sendplan.schedule import Event, Schedule


# ------------------------------------------------------------------ helpers
def span_text(event: Event) -> str:
    """The date column: a day, or a window (on two lines where the table is narrow)."""
    if event.end_date is None:
        return date_text(event.date)
    return f"{date_text(event.date)} to {date_text(event.end_date)}"


def weekday_text(event: Event) -> str:
    if event.end_date is None:
        return f"{event.date:%a}"
    return f"{event.date:%a} to {event.end_date:%a}"


def time_text(event: Event) -> str:
    if event.time is not None:
        return clock_text(event.time)
    return ""


def who_text(who: Iterable[str]) -> str:
    return ", ".join(ROLES.get(w, w) for w in who)


#: After a date the guidance gives only loosely (an approximate rule, or one
#: counted from it): the schedule, the checklist and ``--check`` all say so.
APPROXIMATE = " (approx.)"


def what_text(event: Event) -> str:
    text = event.title
    if event.series_dates:
        text += f" ({series_text(event)})"
    if event.approximate:
        text += APPROXIMATE
    if event.recorded:
        text += " [case file]"
    if event.implied_by:
        text += f"\nImplied by the date recorded for `{event.implied_by}` in the case file"
    if event.observed is not None:  # the published record (sendplan.history)
        from sendplan.render.history import observed_text

        text += "\n" + observed_text(event.observed)
    return text


def _closures_by_stage(schedule: Schedule) -> dict[str, list[tuple[date, str]]]:
    """Put each closure in the last stage that has begun by its date."""
    stages = schedule.stage_events()
    out: dict[str, list[tuple[date, str]]] = {title: [] for title, _ in stages}
    for day, name in schedule.closures():
        home = stages[0][0]
        for title, events in stages:
            if min(e.date for e in events) <= day:
                home = title
        out[home].append((day, name))
    return out


def _rows(
    schedule: Schedule, stage: str, events: Sequence[Event]
) -> list[tuple[date, list[str], bool]]:
    from sendplan.schedule import as_series

    closures = _closures_by_stage(schedule)[stage]
    rows: list[tuple[date, list[str], bool]] = []
    for event in as_series(events):
        day = "" if event.day is None else str(event.day)
        rows.append(
            (
                event.date,
                [
                    span_text(event),
                    weekday_text(event),
                    day,
                    time_text(event),
                    what_text(event),
                    who_text(event.who),
                    event.source,
                ],
                False,
            )
        )
    for closed, name in closures:
        rows.append(
            (
                closed,
                [date_text(closed), f"{closed:%a}", "", "", f"Not a working day: {name}", "", ""],
                True,
            )
        )
    rows.sort(key=lambda r: r[0])
    return rows


HEADERS = ("Date", "Weekday", "Day", "Time", "What happens", "Who", "Source")


def _schedule_columns() -> dict[str, Col]:
    from sendplan.render.tables import Col

    return {
        "Date": Col("Date", wrap=False, break_at=" to "),
        # The weekday goes first at narrow widths, then the day number.
        "Weekday": Col("Weekday", wrap=False, break_at=" to ", drop=2),
        "Day": Col("Day", wrap=False, drop=1, justify="right"),
        "Time": Col("Time", wrap=False),
        "What happens": Col("What happens", ratio=5, min_width=16),
        "Who": Col("Who", key=True, ratio=2),
        "Source": Col("Source", key=True, ratio=2),
    }


# ------------------------------------------------------------------ schedule
def schedule_renderable(schedule: Schedule) -> RenderableType:
    """The schedule as Rich tables, one per stage (week 1, 2, 3, after...)."""
    from rich.console import Group
    from rich.text import Text

    from sendplan.render.tables import FitTable

    parts: list[RenderableType] = [
        Text(f"{schedule.rules.title}: {schedule.case.local_area}", style="bold")
    ]
    days_text = days_note(schedule)
    if days_text:
        parts.append(Text(days_text, style="italic"))
    if history_note(schedule):
        parts.append(Text(history_note(schedule), style="italic"))
    headers, keep = _kind_columns(schedule)
    columns = _schedule_columns()
    for stage, events in schedule.stage_events():
        table = FitTable([columns[h] for h in headers], title=stage)
        for _, cells, closed in _rows(schedule, stage, events):
            table.add_row(*keep(cells), style="dim italic" if closed else None)
        parts.append(table)
    for text_list in schedule.lists:
        parts.append(Text(f"{text_list.title} ({text_list.source})", style="bold"))
        parts.extend(Text(f"  {n}. {item}") for n, item in enumerate(text_list.items, 1))
        parts.append(Text(""))
    return Group(*parts)


def history_note(schedule: Schedule) -> str:
    """The area's last inspection in the published record, when it is there."""
    if schedule.history is None:
        return ""
    from sendplan.render.history import mention_text

    return mention_text(schedule.history)


def schedule_json(schedule: Schedule) -> dict[str, Any]:
    """``schedule --format json``: the schedule's data, with the record's view worded."""
    data = schedule.to_json()
    annotated = [e for e in schedule.events if e.observed is not None]
    if annotated or schedule.history is not None:
        from sendplan.render.history import mention_text, observed_text

        for event, event_json in zip(schedule.events, data["events"], strict=True):
            if event.observed is not None:
                event_json["observed"] = event.observed.to_json(observed_text(event.observed))
        if schedule.history is not None:
            data["history"] = schedule.history.to_json(mention_text(schedule.history))
    return data


def days_note(schedule: Schedule) -> str:
    """How the Day column counts, for kinds whose guidance numbers days."""
    days = [e.day for e in schedule.events if e.day is not None]
    if not days or schedule.rules.day_one is None:
        return ""
    first = schedule.get(schedule.rules.day_one)
    if first is None:
        return ""
    text = f"Day numbers count working days from day 1, {date_text(first.date)}: {first.title}"
    if min(days) < 0:
        text += "; day -1 is the working day before day 1 (there is no day 0)"
    return text + "."


def _kind_columns(schedule: Schedule) -> tuple[tuple[str, ...], Callable[[list[str]], list[str]]]:
    """The columns for this kind: no Day column when the guidance numbers no days."""
    if any(e.day is not None for e in schedule.events):
        return HEADERS, lambda cells: cells
    at = HEADERS.index("Day")
    return HEADERS[:at] + HEADERS[at + 1 :], lambda cells: cells[:at] + cells[at + 1 :]


def schedule_markdown(schedule: Schedule) -> str:
    """The schedule as Markdown: a heading and a table per stage."""
    lines = [f"# {schedule.rules.title}: {md_escape(schedule.case.local_area)}", ""]
    if days_note(schedule):
        lines += [md_escape(days_note(schedule)), ""]
    if history_note(schedule):
        lines += [md_escape(history_note(schedule)), ""]
    headers, keep = _kind_columns(schedule)
    for stage, events in schedule.stage_events():
        lines += [f"## {md_escape(stage)}", ""]
        lines += markdown_table(
            headers, [keep(cells) for _, cells, _ in _rows(schedule, stage, events)]
        )
        lines.append("")
    for text_list in schedule.lists:
        lines += [f"## {md_escape(text_list.title)}", ""]
        lines += [f"Source: {md_escape(text_list.source)}", ""]
        lines += [f"{n}. {md_escape(item)}" for n, item in enumerate(text_list.items, 1)] + [""]
    if schedule.warnings:
        lines += ["## Warnings", ""] + [f"- {md_escape(w)}" for w in schedule.warnings] + [""]
    return "\n".join(lines)


def schedule_sheets(schedule: Schedule) -> list[Sheet]:
    """The schedule for a spreadsheet: one row per event, the closures, the kind's lists."""
    from sendplan.render.spreadsheets import Column, Sheet

    stage_titles = {stage.id: stage.title for stage in schedule.rules.stages}
    events = [
        [
            stage_titles.get(e.stage, e.stage),
            e.id,
            e.date,
            e.end_date,
            e.day,
            e.time,
            what_text(e).replace("\n", " "),
            who_text(e.who),
            e.source,
            e.approximate,
            e.recorded,
            e.note,
        ]
        for e in schedule.events
    ]
    columns = (
        Column("stage", "Stage", max_width=30),
        Column("id", "Event id", "code", max_width=30),
        Column("date", "Date", "date"),
        Column("end_date", "Until", "date"),
        Column("day", "Day", "number"),
        Column("time", "Time", "time"),
        Column("title", "What happens", max_width=60),
        Column("who", "Who", max_width=30),
        Column("source", "Source", max_width=30),
        Column("approximate", "Approximate", "code"),
        Column("recorded", "From the case file", "code"),
        Column("note", "Note", max_width=60),
    )
    sheets = [Sheet("Schedule", columns, events)]
    closures = [[day, name] for day, name in schedule.closures()]
    sheets.append(
        Sheet("Not working days", (Column("date", "Date", "date"), Column("name", "Why")), closures)
    )
    if schedule.lists:
        items = [
            [text_list.title, n, item, text_list.source]
            for text_list in schedule.lists
            for n, item in enumerate(text_list.items, 1)
        ]
        list_columns = (
            Column("list", "List", max_width=40),
            Column("n", "No.", "number"),
            Column("item", "Item", max_width=90),
            Column("source", "Source", max_width=30),
        )
        sheets.append(Sheet("Lists", list_columns, items))
    return sheets


def schedule_csv(schedule: Schedule) -> str:
    """One row per event (dates ISO, for Excel and scripts)."""
    from sendplan.render.spreadsheets import csv_text

    return csv_text(schedule_sheets(schedule)[0])


def schedule_workbook(schedule: Schedule) -> bytes:
    from sendplan.render.spreadsheets import about_rows, workbook

    about = about_rows(
        f"{schedule.rules.title}: {schedule.case.local_area}",
        None,
        ("Day numbers", days_note(schedule)),
        ("Published record", history_note(schedule)),
        *(("Warning", w) for w in schedule.warnings),
    )
    return workbook(schedule_sheets(schedule), about)
