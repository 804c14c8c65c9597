"""The inspection's dates: ``schedule``, ``status`` and ``calendar``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from sendplan.errors import (
    UsageError,
)
from sendplan.words import plural

if TYPE_CHECKING:
    from sendplan.case import Case
    from sendplan.ics import Timed
from sendplan.cli.base import (
    View,
    command,
    json_view,
    load,
    resolve_today,
    screen_height,
    shell_word,
    show,
    tracked_ids,
    warn,
    wrote,
)
from sendplan.cli.completion import complete_role
from sendplan.cli.options import (
    CaseArg,
    DataOpt,
    ForceOpt,
    NotificationOpt,
    OnSiteOpt,
    OutputOpt,
    TimetableOpt,
    TodayOpt,
    format_option,
)


@command()
def schedule(
    case_file: CaseArg,
    format: Annotated[str, format_option("table", "json", "markdown", "csv", "xlsx")] = "table",
    output: OutputOpt = None,
    force: ForceOpt = False,
    notification: NotificationOpt = None,
    on_site_start: OnSiteOpt = None,
    data: DataOpt = None,
) -> None:
    """Every date of the inspection, week by week, each with its paragraph."""
    from sendplan.history import annotate_schedule, load_record_view
    from sendplan.render import schedule as out
    from sendplan.schedule import build_schedule

    case = load(case_file, notification, on_site_start)
    # What the published record says (observed timings, last inspection): issue 8.
    record = load_record_view(data or case.history.data)
    plan = annotate_schedule(build_schedule(case), record)
    warn(plan.warnings)
    views: dict[str, View] = {
        "table": lambda: out.schedule_renderable(plan),
        "json": json_view(lambda: out.schedule_json(plan)),
        "markdown": lambda: out.schedule_markdown(plan),
        "csv": lambda: out.schedule_csv(plan),
        "xlsx": lambda: out.schedule_workbook(plan),
    }
    show(format, views, output=output, force=force)


@command()
def status(
    case_file: CaseArg,
    today: TodayOpt = None,
    format: Annotated[str, format_option("table", "json", "markdown")] = "table",
) -> None:
    """One screen: the day and week, today's and the next events, overdue items, counts."""
    from sendplan.checklist import build_checklist, build_status
    from sendplan.render import checklist as out
    from sendplan.schedule import build_schedule

    moment = resolve_today(today)
    case = load(case_file)
    from sendplan.timetable.meetings import case_meetings, one_entry_per_meeting

    plan = build_schedule(case)
    # The meetings the saved timetable books at their booked time, once.
    meetings = one_entry_per_meeting(plan, case_meetings(case, plan))
    board = build_status(meetings, build_checklist(case, plan), moment)
    warn(plan.warnings)
    views: dict[str, View] = {
        "table": lambda: out.status_renderable(board, screen_height(), shell_word(case_file)),
        "json": json_view(board.to_json),
        "markdown": lambda: out.status_markdown(board),
    }
    show(format, views)


@command()
def calendar(
    case_file: CaseArg,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", help="The .ics file to write; - for stdout.", show_default=False
        ),
    ] = None,
    invitations: Annotated[
        bool,
        typer.Option(
            "--invitations",
            help="Instead: the LANO's invitations, one .ics per person with an email "
            "(their sessions of the saved timetable), in --out-dir.",
        ),
    ] = False,
    out_dir: Annotated[
        Path | None,
        typer.Option(
            "--out-dir",
            help="With --invitations: the folder of invitations; those sent before are "
            "read first (SEQUENCE, UIDs).",
            show_default=False,
        ),
    ] = None,
    who: Annotated[
        list[str] | None,
        typer.Option(
            "--who",
            help="Only the events this role acts on (repeatable), e.g. lano, icb, inspectors; "
            "with a saved timetable also one person (dcs, lead_inspector, a name).",
            show_default=False,
            metavar="ROLE",
            autocompletion=complete_role,
        ),
    ] = None,
    alarm: Annotated[
        list[str] | None,
        typer.Option(
            "--alarm",
            help="A reminder this long before each event: 1d, 2h, 30m (repeatable).",
            show_default=False,
        ),
    ] = None,
    previous: Annotated[
        Path | None,
        typer.Option(
            "--previous",
            help="An earlier export, to raise SEQUENCE of moved events (default: the file "
            "--force replaces).",
            show_default=False,
        ),
    ] = None,
    force: ForceOpt = False,
    format: Annotated[
        str,
        format_option(
            "text", "json", help="text (a line on stderr) or json (what was written, on stdout)."
        ),
    ] = "text",
    today: TodayOpt = None,
    notification: NotificationOpt = None,
    on_site_start: OnSiteOpt = None,
    timetable_file: TimetableOpt = None,
) -> None:
    """Export the schedule as an iCalendar (.ics) file for Outlook or Google Calendar."""
    from sendplan import ics
    from sendplan.files import write_output
    from sendplan.schedule import build_schedule

    case = load(case_file, notification, on_site_start)
    if invitations or out_dir is not None:
        if not invitations or out_dir is None or output is not None or who:
            raise UsageError(
                "--invitations writes one file per person: give --out-dir DIR "
                "(and neither -o nor --who)"
            )
        from sendplan.cli.commands.tell import send

        moment = resolve_today(today)
        send(case, out_dir, timetable_file, None, moment, force, format, drafts=False)
        return
    if output is None:
        raise UsageError("give -o FILE (- for stdout), or --invitations --out-dir DIR")
    roles, timed = _calendar_who(case, who or [], timetable_file)
    alarms = [ics.parse_alarm(a) for a in alarm or []]
    to_stdout = str(output) == "-"
    if to_stdout and format == "json":
        raise UsageError("-o - writes the calendar to stdout; --format json needs -o FILE")
    plan = build_schedule(case)
    # One entry per meeting: a meeting the saved timetable books replaces the
    # schedule's day-only entry; those it does not hold are marked approximate.
    replaced: dict[str, str] = {}
    if timed:
        from sendplan.timetable.meetings import case_meetings, marked_schedule

        meetings = case_meetings(case, plan, timetable_file)
        if meetings is not None:
            plan, replaced = marked_schedule(plan, meetings), meetings.replaced()
    # DTSTAMP: --today (London time) when given, so CI artefacts are reproducible.
    export = ics.export_calendar(
        plan,
        replaced=replaced,
        today=resolve_today(today),
        output=None if to_stdout else output,
        previous=previous,
        force=force,
        who=roles,
        alarms=alarms,
        timed=timed,
    )
    warn(plan.warnings)
    if to_stdout:
        sys.stdout.write(export.data.decode("utf-8"))
        return
    # A file naming a tracked child (a saved timetable's family meeting) is owner-only.
    write_output(
        output, export.data, force=force, children=tracked_ids(case, [t.id for t in timed])
    )

    def text() -> str:
        wrote(output, plural(len(export.events), "event"))
        return ""

    summary = {"file": str(output), "who": list(roles), "events": export.events}
    show(format, {"text": text, "json": json_view(lambda: summary)})


def _calendar_who(
    case: Case, who: list[str], timetable_file: Path | None
) -> tuple[list[str], list[Timed]]:
    """``--who``'s roles, and the saved timetable's sessions (stable UIDs, issue 12)
    when there is a timetable: a given ``--timetable``, or ``[timetable] saved`` once
    it exists; ``--who`` may then also name one person."""
    from sendplan import ics

    saved = timetable_file or case.timetable.saved
    if saved is not None and (timetable_file is not None or saved.exists()):
        from sendplan.timetable.export import split_who, timetable_entries

        roles, given, people = split_who(case, who)
        return list(roles), list(timetable_entries(case, saved, given, people))
    return list(ics.check_roles(who)), []
