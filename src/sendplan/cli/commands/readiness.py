"""Before the call (issue 23): ``ready``, the weeks the call may come and what
would hurt, for a case with or without dates."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from sendplan.cli.base import View, command, json_view, load, resolve_today, show
from sendplan.cli.options import CaseArg, DataOpt, ForceOpt, OutputOpt, TodayOpt, format_option
from sendplan.errors import CheckFailed

if TYPE_CHECKING:
    from rich.console import RenderableType


@command()
def ready(
    case_file: CaseArg,
    weeks: Annotated[
        int | None,
        typer.Option(
            "--weeks",
            help="How many weeks ahead to look (default 12).",
            min=1,
            max=104,
            show_default=False,
        ),
    ] = None,
    today: TodayOpt = None,
    data: DataOpt = None,
    format: Annotated[str, format_option("table", "json")] = "table",
    output: OutputOpt = None,
    force: ForceOpt = False,
    detail: Annotated[
        bool,
        typer.Option("--detail", help="Each week in full: every deadline it sets, every risk."),
    ] = False,
    check: Annotated[
        bool,
        typer.Option(
            "--check",
            help="Exit 1 when an item due within one working day of the call is stale or "
            "has no owner, or a key person is away in the next 4 weeks without a deputy (CI).",
        ),
    ] = False,
) -> None:
    """Before the call: every day it may come in the next weeks, its deadlines and risks."""
    from sendplan.history import load_record
    from sendplan.readiness import build_readiness

    moment = resolve_today(today)
    case = load(case_file)
    record = load_record(data or case.history.data)
    report = build_readiness(case, moment.date(), weeks, record=record)

    def table() -> RenderableType:
        from sendplan.render.readiness import readiness_renderable

        return readiness_renderable(report, detail)

    views: dict[str, View] = {"table": table, "json": json_view(report.to_json)}
    show(format, views, output=output, force=force)
    if check and report.failures:
        from sendplan.render.readiness import check_text

        raise CheckFailed(check_text(report))
