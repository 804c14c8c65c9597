"""The ``sendplan`` command: parse, call the core, print, map errors to exit codes.

Heavy modules (Rich, the case model, the calendar) are imported inside the
commands, so ``sendplan --help`` and ``--format json`` start fast.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

from sendplan import __version__
from sendplan.errors import EXIT_BAD_INPUT, EXIT_CHECK_FAILED, SendplanError

if TYPE_CHECKING:
    from rich.console import Console

    from sendplan.case import Case

app = typer.Typer(
    name="sendplan",
    help="Plan and track one area SEND inspection from a TOML case file.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,  # locals may hold children's data
    rich_markup_mode=None,
    add_completion=True,
)


class LetterFormat(StrEnum):
    markdown = "markdown"
    json = "json"


class Format(StrEnum):
    table = "table"
    json = "json"
    markdown = "markdown"


# ------------------------------------------------------------------ plumbing
@contextmanager
def reporting() -> Iterator[None]:
    """The one error handler: a SendplanError becomes a message and an exit code."""
    try:
        yield
    except SendplanError as error:
        fail(str(error), error.exit_code)


def fail(message: str, code: int = EXIT_BAD_INPUT) -> NoReturn:
    sys.stderr.write(f"sendplan: {message}\n" if "\n" not in message else f"{message}\n")
    raise typer.Exit(code)


def warn(messages: Any) -> None:
    for message in messages:
        sys.stderr.write(f"warning: {message}\n")


def console() -> Console:
    """A stdout console: no colour when not a terminal or NO_COLOR is set."""
    from rich.console import Console

    terminal = sys.stdout.isatty()
    width = None if terminal or os.environ.get("COLUMNS") else 120
    plain = bool(os.environ.get("NO_COLOR")) or not terminal
    return Console(
        width=width,
        no_color=plain,
        # no_color alone still sends bold and italic escapes; no colour system sends none.
        color_system=None if plain else "auto",
        highlight=False,
        # Text from case files and lists is printed as written: "[case file]" or a
        # name with brackets is not Rich markup, ":x:" is not an emoji code.
        markup=False,
        emoji=False,
        soft_wrap=False,
    )


def parse_date(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date like 2025-05-12") from None


def load(
    case_file: Path, notification: str | None = None, on_site_start: str | None = None
) -> Case:
    from sendplan.case import load_case

    case = load_case(case_file)
    return case.with_dates(parse_date(notification), parse_date(on_site_start))


def version_callback(value: bool) -> None:
    if value:
        sys.stdout.write(f"sendplan {__version__}\n")
        raise typer.Exit()


CaseArg = Annotated[
    Path, typer.Argument(help="The TOML case file.", show_default=False, metavar="CASE")
]
NotificationOpt = Annotated[
    str | None,
    typer.Option(
        "--notification",
        help="Rehearse: pretend notification is on this date (YYYY-MM-DD).",
        show_default=False,
    ),
]
OnSiteOpt = Annotated[
    str | None,
    typer.Option(
        "--on-site-start",
        help="Rehearse: pretend on-site starts on this date (YYYY-MM-DD).",
        show_default=False,
    ),
]
FormatOpt = Annotated[Format, typer.Option("--format", "-f", help="Output format.")]
TodayOpt = Annotated[
    str | None,
    typer.Option(
        "--today",
        envvar="SENDPLAN_TODAY",
        help="Pretend it is this date (YYYY-MM-DD or YYYY-MM-DDTHH:MM); default now. "
        "SENDPLAN_TODAY sets it too, for reproducible CI.",
        show_default=False,
    ),
]

DataOpt = Annotated[
    Path | None,
    typer.Option(
        "--data",
        help="A newer inspection record (CSV, same columns) instead of the packaged one "
        "(or [history] data in the case file).",
        show_default=False,
    ),
]


def resolve_today(value: str | None) -> datetime:
    """The moment ``--today`` names (midnight when only a date), else now.

    The CLI is the only place sendplan reads the clock; the core takes ``today``.
    """
    if value is None:
        return datetime.now().replace(second=0, microsecond=0)
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(
            f"{value!r} is not a date like 2025-05-12 or 2025-05-12T14:30", param_hint="--today"
        ) from None


@app.callback()
def root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=version_callback, is_eager=True, help="Show the version."
        ),
    ] = False,
) -> None:
    """Plan and track one area SEND inspection from a TOML case file."""


# ------------------------------------------------------------------ commands
@app.command()
def schedule(
    case_file: CaseArg,
    format: FormatOpt = Format.table,
    notification: NotificationOpt = None,
    on_site_start: OnSiteOpt = None,
    data: DataOpt = None,
) -> None:
    """Every date of the inspection, week by week, each with its paragraph."""
    with reporting():
        from sendplan.history import annotate_schedule, load_record
        from sendplan.schedule import build_schedule

        case = load(case_file, notification, on_site_start)
        # What the published record says (observed timings, last inspection): issue 8.
        record = load_record(data or case.history.data)
        plan = annotate_schedule(build_schedule(case), record)
    warn(plan.warnings)
    if format is Format.json:
        from sendplan.output import to_json

        sys.stdout.write(to_json(plan.to_json()))
    elif format is Format.markdown:
        from sendplan.output import schedule_markdown

        sys.stdout.write(schedule_markdown(plan))
    else:
        from sendplan.output import schedule_renderable

        console().print(schedule_renderable(plan))


@app.command()
def letter(
    case_file: CaseArg,
    name: Annotated[
        str | None,
        typer.Argument(
            help="Letter to render, e.g. notification (see --list).",
            show_default=False,
            metavar="NAME",
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write to this file, not stdout.", show_default=False),
    ] = None,
    out_dir: Annotated[
        Path | None,
        typer.Option(
            "--out-dir",
            help="Write one file per letter (per child, per provider) here.",
            show_default=False,
        ),
    ] = None,
    all_letters: Annotated[
        bool, typer.Option("--all", help="Every letter for this case's kind (needs --out-dir).")
    ] = False,
    list_letters: Annotated[
        bool, typer.Option("--list", help="List the letters for this case, with their purpose.")
    ] = False,
    templates: Annotated[
        list[Path] | None,
        typer.Option(
            "--templates",
            help="Folder of your own templates, searched first (repeatable).",
            show_default=False,
        ),
    ] = None,
    only: Annotated[
        str | None,
        typer.Option(
            "--for",
            help="One child (Unique ID) or provider (name or number) only.",
            show_default=False,
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace existing files.")] = False,
    notification: NotificationOpt = None,
    on_site_start: OnSiteOpt = None,
    format: Annotated[
        LetterFormat,
        typer.Option("--format", "-f", help="markdown, or json (letters with their file names)."),
    ] = LetterFormat.markdown,
) -> None:
    """Letters and notices as Markdown, filled from the case and its schedule."""
    as_json = format is LetterFormat.json
    with reporting():
        from sendplan import letters as lt
        from sendplan.files import write_output
        from sendplan.output import to_json
        from sendplan.schedule import build_schedule

        case = load(case_file, notification, on_site_start)
        extra = templates or []
        if list_letters:
            found = lt.available(case, extra)
            if as_json:
                sys.stdout.write(to_json({"letters": [lt.template_json(t) for t in found]}))
            for template in [] if as_json else found:
                sys.stdout.write(f"{template.name:<28} {template.purpose}\n")
            return
        if all_letters == (name is not None):
            fail("give a letter NAME or --all (see `sendplan letter CASE --list`)")
        if all_letters and out_dir is None:
            fail("--all writes one file per letter: give --out-dir DIR")
        if output is not None and out_dir is not None:
            fail("give -o FILE or --out-dir DIR, not both")
        plan = build_schedule(case)
        warn(plan.warnings)
        if name is not None:
            rendered = lt.render_letter(case, plan, name, extra, only)
        else:
            rendered, skipped = lt.render_all(case, plan, extra)
            warn(skipped)
        if out_dir is not None:
            for path in lt.write_letters(rendered, out_dir, force=force):
                sys.stderr.write(f"wrote {path}\n")
        elif output is not None:
            private = any(r.private for r in rendered)
            write_output(output, lt.combine(rendered), force=force, private=private)
        if as_json:
            sys.stdout.write(to_json({"letters": [lt.letter_json(r) for r in rendered]}))
        elif out_dir is None and output is None:
            sys.stdout.write(lt.combine(rendered))


# ------------------------------------------------------------------ calendar, case-file tooling
@app.command()
def calendar(
    case_file: CaseArg,
    output: Annotated[
        Path,
        typer.Option(
            "--output", "-o", help="The .ics file to write; - for stdout.", show_default=False
        ),
    ],
    who: Annotated[
        list[str] | None,
        typer.Option(
            "--who",
            help="Only the events this role acts on (repeatable), e.g. lano, icb, inspectors.",
            show_default=False,
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
    force: Annotated[bool, typer.Option("--force", help="Replace an existing file.")] = False,
    format: FormatOpt = Format.table,
    today: TodayOpt = None,
    notification: NotificationOpt = None,
    on_site_start: OnSiteOpt = None,
    timetable_file: Annotated[
        Path | None,
        typer.Option(
            "--timetable",
            help="Include the sessions of this saved timetable (default: [timetable] saved, "
            "when it exists); --who then also takes one person (dcs, lead_inspector, a name).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Export the schedule as an iCalendar (.ics) file for Outlook or Google Calendar."""
    with reporting():
        from zoneinfo import ZoneInfo

        from sendplan import ics
        from sendplan.files import OutputExists, write_output
        from sendplan.schedule import build_schedule

        case = load(case_file, notification, on_site_start)
        # The saved timetable's sessions, with stable UIDs (issue 12).
        saved = timetable_file or case.timetable.saved
        timed: list[ics.Timed] = []
        if saved is not None and (timetable_file is not None or saved.exists()):
            from sendplan.timetable.export import split_who, timetable_entries

            roles, given, people = split_who(case, who or [])
            timed = timetable_entries(case, saved, given, people)
        else:
            roles = ics.check_roles(who or [])
        alarms = [ics.parse_alarm(a) for a in alarm or []]
        to_stdout = str(output) == "-"
        if to_stdout and format is Format.json:
            fail("-o - writes the calendar to stdout; --format json needs -o FILE")
        if not to_stdout and output.exists() and not force:
            raise OutputExists(f"{output} already exists; use --force to replace it")
        earlier = previous or (output if not to_stdout and output.exists() else None)
        known = {}
        if earlier is not None:
            try:
                known = ics.read_previous(earlier.read_bytes())
            except OSError as error:
                fail(f"cannot read the previous export {earlier}: {error.strerror}")
        plan = build_schedule(case)
        # DTSTAMP: --today (London time) when given, so CI artefacts are reproducible.
        stamp = resolve_today(today).replace(tzinfo=ZoneInfo("Europe/London"))
        export = ics.calendar_export(
            plan, stamp=stamp, who=roles, alarms=alarms, previous=known, timed=timed
        )
    warn(plan.warnings)
    if to_stdout:
        sys.stdout.write(export.data.decode("utf-8"))
        return
    with reporting():
        write_output(output, export.data.decode("utf-8"), force=force)
    if format is Format.json:
        from sendplan.output import to_json

        summary = {"file": str(output), "who": list(roles), "events": export.events}
        sys.stdout.write(to_json(summary))
    else:
        sys.stderr.write(f"wrote {len(export.events)} events to {output}\n")


@app.command()
def init(
    file: Annotated[
        Path, typer.Argument(help="The case file to write; - for stdout.", metavar="FILE")
    ] = Path("case.toml"),
    kind: Annotated[
        str, typer.Option("--kind", help="full, monitoring, revisit or engagement.")
    ] = "full",
    local_area: Annotated[
        str | None,
        typer.Option("--local-area", help="The local area's name.", show_default=False),
    ] = None,
    notification: Annotated[
        str | None,
        typer.Option(
            "--notification",
            help="Notification date, if known (YYYY-MM-DD).",
            show_default=False,
        ),
    ] = None,
    on_site_start: Annotated[
        str | None,
        typer.Option(
            "--on-site-start",
            help="First on-site day, if known (YYYY-MM-DD).",
            show_default=False,
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace an existing file.")] = False,
    today: TodayOpt = None,
) -> None:
    """Write a new, commented case file to start from."""
    with reporting():
        from sendplan.casefile_init import case_template
        from sendplan.files import write_output

        text = case_template(
            kind,
            local_area,
            today=resolve_today(today).date(),
            notification=parse_date(notification),
            on_site_start=parse_date(on_site_start),
        )
        if str(file) == "-":
            sys.stdout.write(text)
            return
        write_output(file, text, force=force)
    sys.stderr.write(f"wrote {file}; check it with: sendplan validate {file}\n")


@app.command()
def validate(case_file: CaseArg, format: FormatOpt = Format.table) -> None:
    """Check a case file and report every problem at once (exit 0 valid, 2 invalid)."""

    from sendplan.case import load_case
    from sendplan.errors import CaseFileError

    try:
        case = load_case(case_file)
    except CaseFileError as error:
        if format is Format.json:
            from sendplan.output import to_json

            problems = [p._asdict() for p in error.problems]
            result = {"file": str(case_file), "valid": False, "problems": problems, "warnings": []}
            sys.stdout.write(to_json(result))
        # One `file:line: key: message` line per problem, unprefixed, like a compiler.
        sys.stderr.write(f"{error}\n")
        raise typer.Exit(error.exit_code) from None
    with reporting():
        from sendplan.schedule import build_schedule

        plan = build_schedule(case)
    warn(plan.warnings)
    if format is Format.json:
        from sendplan.output import to_json

        result = {
            "file": str(case_file),
            "valid": True,
            "kind": case.kind,
            "local_area": case.local_area,
            "problems": [],
            "warnings": list(plan.warnings),
        }
        sys.stdout.write(to_json(result))
    else:
        sys.stdout.write(f"{case_file}: valid ({plan.rules.title}, {case.local_area})\n")


@app.command()
def schema() -> None:
    """Print the case file's JSON Schema, for editors that check TOML as you type."""
    from sendplan.casefile_init import case_json_schema
    from sendplan.output import to_json

    sys.stdout.write(to_json(case_json_schema()))


# ------------------------------------------------------------------ Annex A checklist (issue 4)
class ChecklistFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    markdown = "markdown"


@app.command()
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
        typer.Option(
            "--status",
            help="Only items with this status (repeatable): done, in-progress, not-started, n/a.",
            show_default=False,
        ),
    ] = None,
    due_before: Annotated[
        str | None,
        typer.Option(
            "--due-before",
            help="Only items due on or before this date (YYYY-MM-DD).",
            show_default=False,
        ),
    ] = None,
    format: Annotated[
        ChecklistFormat, typer.Option("--format", "-f", help="Output format.")
    ] = ChecklistFormat.table,
    detail: Annotated[
        bool, typer.Option("--detail", help="The handbook's full description of each item.")
    ] = False,
    check: Annotated[
        bool,
        typer.Option("--check", help="Show only overdue items; exit 1 if there are any (CI)."),
    ] = False,
) -> None:
    """The Annex A checklist: each item's deadline, owner, status and red/amber/green."""
    moment = resolve_today(today)
    with reporting():
        from sendplan.checklist import build_checklist
        from sendplan.schedule import build_schedule

        case = load(case_file)
        plan = build_schedule(case)
        items = build_checklist(case, plan).filter(owner, status or (), parse_date(due_before))
    warn(plan.warnings)
    overdue = items.overdue(moment)
    if check:
        items = items.only(overdue)
    if format is ChecklistFormat.json:
        from sendplan.output import to_json

        sys.stdout.write(to_json(items.to_json(moment)))
    elif format is ChecklistFormat.csv:
        from sendplan.checklist_output import checklist_csv

        sys.stdout.write(checklist_csv(items, moment))
    elif format is ChecklistFormat.markdown:
        from sendplan.checklist_output import checklist_markdown

        sys.stdout.write(checklist_markdown(items, moment, detail))
    else:
        from sendplan.checklist_output import checklist_renderable

        console().print(checklist_renderable(items, moment, detail))
    if check and overdue:
        from sendplan.checklist_output import overdue_text

        fail(overdue_text(overdue, moment).rstrip("\n"), EXIT_CHECK_FAILED)


@app.command()
def mark(
    case_file: CaseArg,
    items: Annotated[
        list[str],
        typer.Argument(
            help="Item ids or patterns: 1.1, '1.*', list-1, '7.*:C014'.",
            metavar="ITEM...",
            show_default=False,
        ),
    ],
    status: Annotated[
        str,
        typer.Option(
            "--status", "-s", help="done, in-progress, not-started or n/a.", show_default=False
        ),
    ],
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
    today: TodayOpt = None,
    format: Annotated[
        Format, typer.Option("--format", "-f", help="table (a line of text) or json.")
    ] = Format.table,
) -> None:
    """Record items' status in the case file (keeps its comments; safe to run at once)."""
    moment = resolve_today(today)
    with reporting():
        from sendplan.checklist import mark_items

        result = mark_items(case_file, items, status, now=moment, note=note, owner=owner)
    same = [i for i in result.ids if i not in result.changed]
    if format is Format.json:
        from sendplan.output import to_json

        marked = {"case": str(case_file), "status": status, "items": list(result.ids)}
        sys.stdout.write(to_json(marked | {"changed": list(result.changed)}))
        return
    message = f"{case_file}: {len(result.ids)} item(s) {status}: {', '.join(result.ids)}"
    if same:
        message += f" (already {status}: {', '.join(same)})"
    sys.stdout.write(message + "\n")


@app.command()
def status(case_file: CaseArg, today: TodayOpt = None, format: FormatOpt = Format.table) -> None:
    """One screen: the day and week, today's and the next events, overdue items, counts."""
    moment = resolve_today(today)
    with reporting():
        from sendplan.checklist import build_checklist, build_status
        from sendplan.schedule import build_schedule

        case = load(case_file)
        plan = build_schedule(case)
        board = build_status(plan, build_checklist(case, plan), moment)
    warn(plan.warnings)
    if format is Format.json:
        from sendplan.output import to_json

        sys.stdout.write(to_json(board.to_json()))
    elif format is Format.markdown:
        from sendplan.checklist_output import status_markdown

        sys.stdout.write(status_markdown(board))
    else:
        from sendplan.checklist_output import status_renderable

        console().print(status_renderable(board))


# ------------------------------------------------------------------ inspection history (issue 8)
class HistoryFormat(StrEnum):
    table = "table"
    json = "json"


@app.command()
def history(
    area: Annotated[
        str,
        typer.Argument(
            help="Local area name (forgiving) or ONS code.", show_default=False, metavar="AREA"
        ),
    ],
    today: TodayOpt = None,
    data: DataOpt = None,
    format: Annotated[
        HistoryFormat, typer.Option("--format", "-f", help="Output format.")
    ] = HistoryFormat.table,
) -> None:
    """A local area's published inspections and what the rules say comes next."""
    moment = resolve_today(today)
    with reporting():
        from sendplan.calendar import build_calendar
        from sendplan.history import area_history, load_record

        found = area_history(load_record(data), area, moment.date(), build_calendar())
    if format is HistoryFormat.json:
        from sendplan.output import to_json

        sys.stdout.write(to_json(found.to_json()))
    else:
        from sendplan.history_output import history_renderable

        console().print(history_renderable(found))


# ------------------------------------------------------------------ tracking (issue 5)
class SelectFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    markdown = "markdown"


SelectFormatOpt = Annotated[SelectFormat, typer.Option("--format", "-f", help="Output format.")]
List1Opt = Annotated[
    Path | None,
    typer.Option("--list1", help="List 1 (EHC plans): .xlsx or .csv.", show_default=False),
]
List2Opt = Annotated[
    Path | None,
    typer.Option("--list2", help="List 2 (SEN support): .xlsx or .csv.", show_default=False),
]
ListsOpt = Annotated[
    Path | None,
    typer.Option(
        "--lists",
        help="One .xlsx workbook holding List 1 and List 2 as two sheets.",
        show_default=False,
    ),
]
PrivateOutputOpt = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        help="Write to this file (owner-only) instead of stdout.",
        show_default=False,
    ),
]
ForceOpt = Annotated[bool, typer.Option("--force", help="Replace an existing --output file.")]


def _emit(text: str, output: Path | None, force: bool) -> None:
    """Print, or write a file readable by its owner only (it holds person-level data)."""
    if output is None:
        sys.stdout.write(text)
        return
    from sendplan.files import write_output

    with reporting():
        write_output(output, text, force=force, private=True)


def _rendered(renderable: Any) -> str:
    import io

    from rich.console import Console

    buffer = io.StringIO()
    Console(
        width=140, no_color=True, highlight=False, markup=False, emoji=False, file=buffer
    ).print(renderable)
    return buffer.getvalue()


@app.command()
def select(
    case_file: CaseArg,
    list1: List1Opt = None,
    list2: List2Opt = None,
    lists: ListsOpt = None,
    count: Annotated[
        int, typer.Option("--count", min=1, help="How many to choose (para 90: about 6).")
    ] = 6,
    seed: Annotated[
        int | None,
        typer.Option(
            "--seed",
            help="Make the choice reproducible; default a fresh seed, printed.",
            show_default=False,
        ),
    ] = None,
    reserves: Annotated[
        int, typer.Option("--reserves", min=0, help="Reserves in case a family declines (para 93).")
    ] = 3,
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
    show: Annotated[
        list[str] | None,
        typer.Option(
            "--show", help="Also show these columns (never UPN or ULN).", show_default=False
        ),
    ] = None,
    format: SelectFormatOpt = SelectFormat.table,
    output: PrivateOutputOpt = None,
    force: ForceOpt = False,
    notification: NotificationOpt = None,
) -> None:
    """Choose the children and young people for tracking meetings (paras 90-93)."""
    import secrets

    with reporting():
        from sendplan.tracking import ListsSource, plan_tracking, save_selection

        case = load(case_file, notification)
        report = plan_tracking(
            case,
            ListsSource(list1, list2, lists),
            count=count,
            seed=seed if seed is not None else secrets.randbelow(1_000_000),
            reserves=reserves,
            include=include or (),
            exclude=exclude or (),
            show=show or (),
        )
        if save:
            save_selection(case_file, report.selection)
    warn(report.warnings)
    from sendplan import tracking_output as out

    if format is SelectFormat.json:
        _emit(out.selection_json(report), output, force)
    elif format is SelectFormat.csv:
        _emit(out.selection_csv(report), output, force)
    elif format is SelectFormat.markdown:
        _emit(out.selection_markdown(report), output, force)
    elif output is not None:
        _emit(_rendered(out.selection_renderable(report)), output, force)
    else:
        console().print(out.selection_renderable(report))
    if save:
        sys.stderr.write(
            f"saved {len(report.selection.selected)} Unique IDs and "
            f"{len(report.selection.reserves)} reserves to {case_file} (owner-only)\n"
        )
    if strict and not report.selection.all_rules_met:
        raise typer.Exit(1)


lists_app = typer.Typer(
    help="The person-level Lists 1 and 2 (handbook paras 196-199).", no_args_is_help=True
)
app.add_typer(lists_app, name="lists")


@lists_app.command("check")
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
        ),
    ] = None,
    notification: NotificationOpt = None,
    today: TodayOpt = None,
    limit: Annotated[int, typer.Option("--limit", min=1, help="Rows of the table to show.")] = 200,
    format: SelectFormatOpt = SelectFormat.table,
    output: PrivateOutputOpt = None,
    force: ForceOpt = False,
) -> None:
    """Check the lists before they are sent: exit 1 on any error (queries alone exit 0)."""
    moment = resolve_today(today)
    with reporting():
        from sendplan.tracking import ListsSource, notification_date, read_lists

        case = load(case_file, notification) if case_file else None
        day = notification_date(case) if case else (parse_date(notification) or moment.date())
        result = read_lists(case, ListsSource(list1, list2, lists), day, moment.date())
    from sendplan import tracking_output as out

    if format is SelectFormat.json:
        _emit(out.check_json(result), output, force)
    elif format is SelectFormat.csv:
        _emit(out.check_csv(result), output, force)
    elif format is SelectFormat.markdown:
        _emit(out.check_markdown(result), output, force)
    elif output is not None:
        _emit(_rendered(out.check_renderable(result, limit)), output, force)
    else:
        console().print(out.check_renderable(result, limit))
    if any(f.severity == "error" for f in result.findings):
        raise typer.Exit(1)


# ------------------------------------------------------------------ timetable (issue 12)
@app.command()
def timetable(
    case_file: CaseArg,
    format: FormatOpt = Format.table,
    save: Annotated[
        Path | None,
        typer.Option(
            "--save",
            help="Write the timetable to this TOML file (re-plan from it later).",
            show_default=False,
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Replace an existing --save file.")
    ] = False,
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
    notification: NotificationOpt = None,
    on_site_start: OnSiteOpt = None,
) -> None:
    """Place every session of weeks 2 and 3 (paras 95-133); re-plan; check."""
    with reporting():
        from sendplan import timetable_output as out
        from sendplan.files import write_output
        from sendplan.output import to_json
        from sendplan.schedule import build_schedule
        from sendplan.timetable.model import build_problem
        from sendplan.timetable.saved import dumps, load_saved

        case = load(case_file, notification, on_site_start)
        problem = build_problem(case, build_schedule(case))
        saved_file = previous or case.timetable.saved
        if check:
            from sendplan.timetable.checks import check as check_timetable

            if saved_file is None:
                fail("--check needs the saved timetable: --from FILE or [timetable] saved")
            problems = check_timetable(problem, load_saved(saved_file, case.local_area, case.kind))
            if format is Format.json:
                sys.stdout.write(to_json({"file": str(saved_file), "problems": problems}))
            else:
                sys.stdout.write(out.check_text(problems, str(saved_file)))
            raise typer.Exit(EXIT_CHECK_FAILED if problems else 0)
        from sendplan.timetable.solver import solve

        booked = load_saved(previous, case.local_area, case.kind) if previous else None
        result = solve(problem, booked)
        if save is not None and result.complete:
            # Tracked children's Unique IDs are pseudonymous personal data: owner-only.
            write_output(save, dumps(result), force=force, private=bool(case.tracking.selected))
    warn(result.warnings)
    if format is Format.json:
        sys.stdout.write(to_json(out.to_json(result)))
    elif format is Format.markdown:
        sys.stdout.write(out.to_markdown(result))
    elif result.placements:
        console().print(out.renderable(result))
    if not result.complete:
        sys.stderr.write(out.conflict_text(result) + "\n")
        raise typer.Exit(EXIT_CHECK_FAILED)
    if save is not None:
        sys.stderr.write(f"saved {len(result.placements)} sessions to {save}\n")


def command_only(name: str) -> typer.Typer | None:
    """``app`` holding just the command (or group) ``name``, or None if there is none.

    Typer builds the options of every command on each start (~15 ms for all of
    them); running one command needs one.  The root callback stays, so
    ``sendplan NAME ...`` parses exactly as with the full app.
    """
    import copy

    commands = [c for c in app.registered_commands if _command_name(c) == name]
    groups = [g for g in app.registered_groups if g.name == name]
    if not commands and not groups:
        return None
    lean = copy.copy(app)
    lean.registered_commands = commands
    lean.registered_groups = groups
    return lean


def _command_name(command: Any) -> str:
    return str(command.name or command.callback.__name__.replace("_", "-"))


def main() -> None:
    """Entry point of the ``sendplan`` console script and ``python -m sendplan``."""
    completing = any(key.endswith("_COMPLETE") for key in os.environ)
    lean = None if completing or len(sys.argv) < 2 else command_only(sys.argv[1])
    (lean or app)()
