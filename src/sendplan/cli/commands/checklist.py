"""The Annex A checklist (handbook para 192 and Annex A): ``checklist``, ``mark``."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated

import typer

from sendplan.annex import STATUSES
from sendplan.cli.base import View, command, json_view, load, resolve_today, show, tracked_ids, warn
from sendplan.cli.completion import complete_item
from sendplan.cli.options import (
    CaseArg,
    ForceOpt,
    OutputOpt,
    TodayOpt,
    choice_option,
    date_option,
    format_option,
)
from sendplan.errors import (
    CheckFailed,
    UsageError,
)
from sendplan.words import plural


@command()
def checklist(
    case_file: CaseArg,
    today: TodayOpt = None,
    owner: Annotated[
        str | None,
        typer.Option(
            "--owner",
            help="Only items whose owner contains this (none: no owner).",
            show_default=False,
        ),
    ] = None,
    status: Annotated[
        list[str] | None,
        choice_option(
            "--status",
            values=STATUSES,
            help="Only items with this status (repeatable).",
            what="status",
            show_default=False,
        ),
    ] = None,
    due_before: Annotated[
        date | None, date_option("--due-before", "Only items due on or before this date.")
    ] = None,
    format: Annotated[str, format_option("table", "json", "csv", "markdown", "xlsx")] = "table",
    output: OutputOpt = None,
    force: ForceOpt = False,
    detail: Annotated[
        bool, typer.Option("--detail", help="The handbook's full description of each item.")
    ] = False,
    check: Annotated[
        bool,
        typer.Option("--check", help="Show only overdue items; exit 1 if there are any (CI)."),
    ] = False,
) -> None:
    """The Annex A checklist: each item's deadline, owner, status and red/amber/green."""
    from sendplan.checklist import build_checklist
    from sendplan.render import checklist as out
    from sendplan.schedule import build_schedule

    moment = resolve_today(today)
    case = load(case_file)
    # A case without dates: deadlines relative to notification (issue 23).
    plan = build_schedule(case) if case.has_dates else None
    items = build_checklist(case, plan).filter(owner, status or (), due_before)
    warn(plan.warnings if plan else case.warnings)
    overdue = items.overdue(moment)
    if check:
        items = items.only(overdue)
    views: dict[str, View] = {
        "table": lambda: out.checklist_renderable(items, moment, detail),
        "json": json_view(lambda: items.to_json(moment)),
        "csv": lambda: out.checklist_csv(items, moment),
        "markdown": lambda: out.checklist_markdown(items, moment, detail),
        "xlsx": lambda: out.checklist_workbook(items, moment),
    }
    show(format, views, output=output, force=force, children=tracked_ids(case))
    if check and overdue:
        raise CheckFailed(out.overdue_text(overdue, moment).rstrip("\n"))


@command(edits_case=True)
def mark(
    case_file: CaseArg,
    items: Annotated[
        list[str],
        typer.Argument(
            help="Item ids or patterns: 1.1, '1.*', list-1, '7.*:C014'.",
            metavar="ITEM...",
            show_default=False,
            autocompletion=complete_item,
        ),
    ],
    status: Annotated[
        str | None,
        choice_option(
            "--status",
            "-s",
            values=STATUSES,
            help="The items' new status.",
            what="status",
            show_default=False,
        ),
    ] = None,
    note: Annotated[
        str | None,
        typer.Option(
            "--note", help="A short note ('' removes it). Never a child's name.", show_default=False
        ),
    ] = None,
    owner: Annotated[
        str | None,
        typer.Option("--owner", help="Who provides it ('' removes it).", show_default=False),
    ] = None,
    refreshed: Annotated[
        bool,
        typer.Option(
            "--refreshed",
            help="Record that the items' evidence was brought up to date (for `sendplan "
            "ready`): today, or on the DATE (YYYY-MM-DD) given after it.",
        ),
    ] = False,
    today: TodayOpt = None,
    format: Annotated[str, format_option("text", "json", help="text (a line) or json.")] = "text",
) -> None:
    """Record items' status, or when their evidence was refreshed, in the case file
    (keeps its comments; safe to run at once)."""
    from sendplan.checklist import mark_items

    if status is None and not refreshed:
        # In click's words for a missing option (sendplan's one style), naming both.
        raise UsageError(
            "missing option '--status' / '-s' (or --refreshed, to record a refresh); "
            "see `sendplan mark --help`"
        )
    moment = resolve_today(today)
    items, day = refreshed_date(items, refreshed, moment.date())
    result = mark_items(case_file, items, status, now=moment, note=note, owner=owner, refreshed=day)
    same = [i for i in result.ids if i not in result.changed]
    what = " and ".join(w for w in (status, f"refreshed {day.isoformat()}" if day else None) if w)
    message = f"{case_file}: {plural(len(result.ids), 'item')} {what}: {', '.join(result.ids)}"
    if same:
        message += f" (already {what}: {', '.join(same)})"
    marked = {"case": str(case_file), "status": status, "items": list(result.ids)}
    marked["refreshed"] = day.isoformat() if day else None
    marked["changed"] = list(result.changed)
    show(format, {"text": lambda: message + "\n", "json": json_view(lambda: marked)})


def refreshed_date(items: list[str], refreshed: bool, today: date) -> tuple[list[str], date | None]:
    """``--refreshed [DATE]``: the items, and the day their evidence was refreshed.

    A DATE after ``--refreshed`` arrives among the item ids (Typer has no option
    with an optional value); no item id looks like a date (1.1, list-1, 7.2:C014).
    """
    dates = [i for i in items if re.fullmatch(r"\d{4}-\d{2}-\d{2}", i)]
    if not refreshed:
        return items, None
    if len(dates) > 1:
        raise UsageError("takes one date", option="refreshed", value=" ".join(dates))
    day = today
    if dates:
        try:
            day = date.fromisoformat(dates[0])
        except ValueError:
            raise UsageError(
                "is not a date like 2025-05-12", option="refreshed", value=dates[0]
            ) from None
    rest = [i for i in items if i not in dates]
    if not rest:
        raise UsageError("needs the items to mark, e.g. 1.3", option="refreshed", value=dates[0])
    return rest, day
