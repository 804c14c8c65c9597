"""For leaders: the ``overview`` page and the area's inspection ``history``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from rich.console import RenderableType


from sendplan.cli.base import View, command, json_view, load, resolve_today, show, tracked_ids, warn
from sendplan.cli.options import (
    CaseArg,
    DataOpt,
    ForceOpt,
    List1Opt,
    List2Opt,
    ListsOpt,
    NotificationOpt,
    OnSiteOpt,
    OutputOpt,
    TimetableOpt,
    TodayOpt,
    format_option,
)


@command()
def overview(
    case_file: CaseArg,
    output: OutputOpt = None,
    force: ForceOpt = False,
    format: Annotated[
        str,
        format_option(
            "html",
            "json",
            "pdf",
            help="html (the page), json (the data it shows), or pdf (the page on A4, "
            "printed by your Chromium, Chrome or Edge).",
        ),
    ] = "html",
    today: TodayOpt = None,
    list1: List1Opt = None,
    list2: List2Opt = None,
    lists: ListsOpt = None,
    data: DataOpt = None,
    notification: NotificationOpt = None,
    on_site_start: OnSiteOpt = None,
    timetable_file: TimetableOpt = None,
) -> None:
    """One self-contained HTML page of the plan for a partnership board."""
    from sendplan.history import load_record
    from sendplan.overview import case_overview

    moment = resolve_today(today)
    case = load(case_file, notification, on_site_start)
    children = None
    if list1 or list2 or lists:
        from sendplan.lists import ListsSource, notification_date, read_lists

        source = ListsSource(list1, list2, lists)
        children = read_lists(case, source, notification_date(case), moment.date()).children
    view = case_overview(
        case,
        moment,
        load_record(data or case.history.data),
        children=children,
        timetable_file=timetable_file,
        source_name=case_file.name,
    )
    warn(view.warnings)
    page = view.to_json()

    def html() -> str:
        from sendplan.render.overview import render_overview

        return render_overview(page)

    def pdf() -> bytes:
        from sendplan.pdf import print_pdf
        from sendplan.render.overview import print_footer

        return print_pdf(html(), footer=print_footer(page))

    tracked = tracked_ids(case, view.session_ids)
    views: dict[str, View] = {"html": html, "json": json_view(lambda: page), "pdf": pdf}
    show(format, views, output=output, force=force, children=tracked)


@command()
def history(
    area: Annotated[
        str,
        typer.Argument(
            help="Local area name (forgiving) or ONS code.", show_default=False, metavar="AREA"
        ),
    ],
    today: TodayOpt = None,
    data: DataOpt = None,
    format: Annotated[str, format_option("table", "json")] = "table",
) -> None:
    """A local area's published inspections and what the rules say comes next."""
    from sendplan.calendar import build_calendar
    from sendplan.history import area_history, load_record

    moment = resolve_today(today)
    found = area_history(load_record(data), area, moment.date(), build_calendar())

    def table() -> RenderableType:
        from sendplan.render.history import history_renderable

        return history_renderable(found)

    show(format, {"table": table, "json": json_view(found.to_json)})
