"""Tracking meetings and the person-level lists (paras 90-93, 196-199): `select`, `lists check`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from sendplan.cli.base import (
    View,
    command,
    lists_app,
    load,
    note,
    progress,
    resolve_today,
    show,
    warn,
)
from sendplan.cli.options import (
    CaseArg,
    ForceOpt,
    List1Opt,
    List2Opt,
    ListsOpt,
    NotificationOpt,
    PrivateOutputOpt,
    TodayOpt,
    format_option,
)
from sendplan.errors import (
    CheckFailed,
)
from sendplan.words import plural


@command(edits_case="save")
def select(
    case_file: CaseArg,
    list1: List1Opt = None,
    list2: List2Opt = None,
    lists: ListsOpt = None,
    count: Annotated[
        int | None,
        typer.Option(
            "--count",
            min=1,
            help="How many to choose (default: the number para 90 gives, from the data).",
            show_default=False,
        ),
    ] = None,
    seed: Annotated[
        int | None,
        typer.Option(
            "--seed",
            help="Make the choice reproducible; default a fresh seed, printed.",
            show_default=False,
        ),
    ] = None,
    reserves: Annotated[
        int | None,
        typer.Option(
            "--reserves",
            min=0,
            help="Reserves in case a family declines (para 93; default: sendplan's number, "
            "from the data).",
            show_default=False,
        ),
    ] = None,
    exclude: Annotated[
        list[str] | None,
        typer.Option(
            "--exclude", help="Unique ID never to choose (repeat, or a,b,c).", show_default=False
        ),
    ] = None,
    include: Annotated[
        list[str] | None,
        typer.Option(
            "--include", help="Unique ID to choose whatever (repeat, or a,b,c).", show_default=False
        ),
    ] = None,
    strict: Annotated[
        bool, typer.Option("--strict", help="Exit 1 when a rule of para 92 cannot be met.")
    ] = False,
    save: Annotated[
        bool, typer.Option("--save", help="Record the chosen Unique IDs in the case file.")
    ] = False,
    show_columns: Annotated[
        list[str] | None,
        typer.Option(
            "--show", help="Also show these columns (never UPN or ULN).", show_default=False
        ),
    ] = None,
    format: Annotated[str, format_option("table", "json", "csv", "markdown", "xlsx")] = "table",
    output: PrivateOutputOpt = None,
    force: ForceOpt = False,
    notification: NotificationOpt = None,
) -> None:
    """Choose the children and young people for tracking meetings (paras 90-93)."""
    import secrets

    from sendplan.render import tracking as out
    from sendplan.tracking import ListsSource, plan_tracking, save_selection

    case = load(case_file, notification)
    with progress(format) as hook:
        report = plan_tracking(
            case,
            ListsSource(list1, list2, lists),
            count=count,
            seed=seed if seed is not None else secrets.randbelow(1_000_000),
            reserves=reserves,
            include=include or (),
            exclude=exclude or (),
            show=show_columns or (),
            progress=hook,
        )
    if save:
        save_selection(case_file, report.selection)
    warn(report.warnings)
    views: dict[str, View] = {
        "table": lambda: out.selection_renderable(report),
        "json": lambda: out.selection_json(report),
        "csv": lambda: out.selection_csv(report),
        "markdown": lambda: out.selection_markdown(report),
        "xlsx": lambda: out.selection_workbook(report),
    }
    show(format, views, output=output, force=force, private=True)
    if save:
        note(
            f"saved {plural(len(report.selection.selected), 'Unique ID')} and "
            f"{plural(len(report.selection.reserves), 'reserve')} to {case_file} (owner-only)"
        )
    if strict and not report.selection.all_rules_met:
        raise CheckFailed()


@command(lists_app, "check")
def lists_check(
    list1: List1Opt = None,
    list2: List2Opt = None,
    lists: ListsOpt = None,
    case_file: Annotated[
        Path | None,
        typer.Option(
            "--case",
            help="Case file: notification date, column mapping, home area.",
            show_default=False,
            metavar="CASE",
        ),
    ] = None,
    notification: NotificationOpt = None,
    today: TodayOpt = None,
    limit: Annotated[int, typer.Option("--limit", min=1, help="Rows of the table to show.")] = 200,
    format: Annotated[str, format_option("table", "json", "csv", "markdown", "xlsx")] = "table",
    output: PrivateOutputOpt = None,
    force: ForceOpt = False,
) -> None:
    """Check the lists before they are sent: exit 1 on any error (queries alone exit 0)."""
    from sendplan.lists import ListsSource, notification_date, read_lists
    from sendplan.render import tracking as out

    moment = resolve_today(today)
    case = load(case_file, notification) if case_file else None
    day = notification_date(case) if case else (notification or moment.date())
    with progress(format) as hook:
        result = read_lists(
            case, ListsSource(list1, list2, lists), day, moment.date(), progress=hook
        )
    views: dict[str, View] = {
        "table": lambda: out.check_renderable(result, limit),
        "json": lambda: out.check_json(result),
        "csv": lambda: out.check_csv(result),
        "markdown": lambda: out.check_markdown(result),
        "xlsx": lambda: out.check_workbook(result, moment.date(), case.local_area if case else ""),
    }
    show(format, views, output=output, force=force, private=True)
    if any(f.severity == "error" for f in result.findings):
        raise CheckFailed()
