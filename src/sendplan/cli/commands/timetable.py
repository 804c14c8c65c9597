"""The sessions of weeks 2 and 3 placed and re-planned: ``timetable``."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from sendplan.cli.base import (
    command,
    json_view,
    load,
    note,
    progress,
    resolve_today,
    show,
    tracked_ids,
    warn,
)
from sendplan.cli.options import (
    CaseArg,
    ForceOpt,
    NotificationOpt,
    OnSiteOpt,
    OutputOpt,
    TodayOpt,
    format_option,
)
from sendplan.errors import (
    CheckFailed,
    UsageError,
)
from sendplan.words import plural


@command()
def timetable(
    case_file: CaseArg,
    format: Annotated[str, format_option("table", "json", "markdown", "csv", "xlsx")] = "table",
    output: OutputOpt = None,
    save: Annotated[
        Path | None,
        typer.Option(
            "--save",
            help="Write the timetable to this TOML file (re-plan from it later).",
            show_default=False,
        ),
    ] = None,
    force: ForceOpt = False,
    previous: Annotated[
        Path | None,
        typer.Option(
            "--from",
            help="Re-plan from this saved timetable, moving as few sessions as possible.",
            show_default=False,
        ),
    ] = None,
    check: Annotated[
        bool,
        typer.Option(
            "--check",
            help="Exit 1 if the saved timetable (--from, else [timetable] saved) no longer fits.",
        ),
    ] = False,
    who: Annotated[
        list[str] | None,
        typer.Option(
            "--who",
            help="One person's or role's week (dcs, lano, inspectors, a name; repeatable), "
            "or 'leaders': every session, tracked children by number, not Unique ID.",
            show_default=False,
        ),
    ] = None,
    today: TodayOpt = None,
    notification: NotificationOpt = None,
    on_site_start: OnSiteOpt = None,
) -> None:
    """Place every session of weeks 2 and 3 (paras 95-133); re-plan; check.

    With --from, --today is the moment of the re-plan: sessions before it have
    happened and never move, today's move only if they must.
    """
    from sendplan.files import check_outputs, write_output
    from sendplan.render import timetable as out
    from sendplan.schedule import build_schedule
    from sendplan.timetable.model import build_problem
    from sendplan.timetable.saved import dumps, read_saved
    from sendplan.timetable.views import audience, era_words, presented

    case = load(case_file, notification, on_site_start)
    schedule = build_schedule(case)
    problem = era_words(build_problem(case, schedule))
    view = audience(case, who or [])
    if check:
        from sendplan.timetable.checks import check as check_timetable

        if format in ("csv", "xlsx"):
            raise UsageError(
                f"--check gives a verdict, not a timetable: --format {format} is for the "
                "timetable itself; use --format table, markdown or json"
            )
        saved_file = previous or case.timetable.saved
        if saved_file is None:
            raise UsageError("--check needs the saved timetable: --from FILE or [timetable] saved")
        from sendplan.timetable.replan import migrate

        saved = read_saved(saved_file, case.local_area, case.kind)
        problems = check_timetable(problem, migrate(problem, saved.booked)[0])
        text = out.check_text(problems, str(saved_file))
        show(
            format,
            {
                "table": lambda: text,
                "markdown": lambda: text,
                "json": json_view(lambda: {"file": str(saved_file), "problems": problems}),
            },
            output=output,
            force=force,
            children=tracked_ids(case),
        )
        if problems:
            raise CheckFailed()
        return
    from sendplan.timetable.budget import budget_from
    from sendplan.timetable.solver import solve

    # Both files checked before the solve and before either is written.
    check_outputs([t for t in (save, output) if t is not None and str(t) != "-"], force)
    start_from = read_saved(previous, case.local_area, case.kind) if previous else None
    with progress(format) as hook:
        budget = budget_from(os.environ)
        if start_from is None:
            result = solve(problem, budget=budget, progress=hook)
        else:
            from functools import partial

            from sendplan.timetable.replan import replan_saved

            moment = resolve_today(today)
            result = replan_saved(
                problem, start_from, moment, partial(solve, budget=budget), progress=hook
            )
    # Tracked children's sessions carry their pseudonymous Unique IDs: owner-only files.
    private = out.holds_tracked_children(result)
    children = tracked_ids(case, [pl.session.id for pl in result.placements])
    if save is not None and result.complete:
        write_output(save, dumps(result), force=force, private=private, children=children)
    result = presented(result, case, schedule, view)
    private = out.holds_tracked_children(result)
    warn(result.warnings)
    show(
        format,
        {
            "table": lambda: out.renderable(result) if result.placements else "",
            "markdown": lambda: out.to_markdown(result),
            "json": json_view(lambda: out.to_json(result)),
            "csv": lambda: out.timetable_csv(result),
            "xlsx": lambda: out.timetable_workbook(result, str(previous) if previous else None),
        },
        output=output,
        force=force,
        private=private,
        children=children,
    )
    if not result.complete:
        if save is not None:
            note(f"nothing saved to {save}: the timetable is not complete")
        raise CheckFailed(out.conflict_text(result))
    if save is not None:
        note(f"saved {plural(len(result.placements), 'session')} to {save}")
