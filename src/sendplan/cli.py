"""The ``sendplan`` command: parse, call the core, print, map errors to exit codes.

Heavy modules (Rich, the case model, the calendar) are imported inside the
commands, so ``sendplan --help`` and ``--format json`` start fast.

What every command shares is declared once here: the options (``--format``
with the formats the command really has, ``-o``/``--output``, ``--force``,
``--today``, the rehearsal dates), the output dispatch (:func:`show`) and the
error handler (:func:`reporting`, wrapped around every command by
:func:`command`).
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn, TypeVar

import typer

from sendplan import __version__
from sendplan.errors import (
    EXIT_BAD_INPUT,
    CheckFailed,
    OutputExists,
    SendplanError,
    UsageError,
)
from sendplan.flags import as_flags, flag
from sendplan.words import plural

if TYPE_CHECKING:
    from rich.console import Console, RenderableType

    from sendplan.case import Case
    from sendplan.ics import Timed

app = typer.Typer(
    name="sendplan",
    help="Plan and track one area SEND inspection from a TOML case file.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,  # locals may hold children's data
    rich_markup_mode=None,
    add_completion=True,
)
lists_app = typer.Typer(
    help="The person-level Lists 1 and 2 (handbook paras 196-199).", no_args_is_help=True
)
app.add_typer(lists_app, name="lists")


# ------------------------------------------------------------------ errors: the one handler
@contextmanager
def reporting() -> Iterator[None]:
    """The one error handler: a SendplanError becomes a message and an exit code."""
    try:
        yield
    except SendplanError as error:
        message = error_text(error)
        if message and error.prefixed and "\n" not in message:
            message = f"sendplan: {message}"
        if message:
            sys.stderr.write(f"{message}\n")
        raise typer.Exit(error.exit_code) from None


def error_text(error: SendplanError) -> str:
    """The message for ``error``, in the words of the command line (its flags)."""
    if isinstance(error, OutputExists):
        them = "it" if len(error.paths) == 1 else "them"
        return f"{error}; use --force to replace {them}"
    if isinstance(error, UsageError) and error.option is not None:
        return f"{flag(error.option)} {error.value!r} {error.reason}"
    return error.worded(flag) if error.parameters else str(error)


F = TypeVar("F", bound=Callable[..., Any])

#: True while the garbage collector is paused for start-up (``sendplan.__main__``).
collection_paused = False


def resume_collection() -> None:
    """Collect garbage again, leaving out what start-up made (it lives to the end)."""
    global collection_paused
    if collection_paused:
        import gc

        gc.freeze()
        gc.enable()
        collection_paused = False


def command(group: typer.Typer = app, name: str | None = None) -> Callable[[F], F]:
    """Register a command of ``group`` with the error handler around it."""

    def register(function: F) -> F:
        @functools.wraps(function)
        def run(*args: Any, **kwargs: Any) -> Any:
            resume_collection()
            with reporting():
                folder = kwargs.get("out_dir") is not None
                check_output_format(kwargs.get("format"), kwargs.get("output"), folder)
                return function(*args, **kwargs)

        group.command(name)(run)
        return function

    return register


#: Files Excel opens as workbooks: text written under these names would not open.
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xlsb", ".xls", ".ods")
#: Formats that write a file, not text: (what it is, its file suffix).
FILE_FORMATS = {
    "xlsx": ("an .xlsx workbook", ".xlsx"),
    "pdf": ("a PDF", ".pdf"),
    "docx": ("a Word document", ".docx"),
}


def check_output_format(format: str | None, output: Path | None, folder: bool = False) -> None:
    """Refuse, before any work, a workbook, PDF or Word document to the terminal, and
    text under a workbook's name.  ``folder``: the command writes files to a folder."""
    if format is None:
        return
    to_file = output is not None and str(output) != "-"
    if format in FILE_FORMATS:
        what, suffix = FILE_FORMATS[format]
        if folder and not to_file:
            return
        if not to_file:
            raise UsageError(f"--format {format} writes {what}, not text: give -o FILE{suffix}")
        assert output is not None
        if output.suffix.lower() != suffix:
            raise UsageError(
                f"--format {format} writes {what}: name the file {suffix}, not {output.name}"
            )
    elif to_file and output is not None and output.suffix.lower() in WORKBOOK_SUFFIXES:
        hint = (
            "use --format xlsx for a workbook"
            if "xlsx" in _offered_formats()
            else "name the file for what it holds (.txt, .md, .json)"
        )
        raise UsageError(
            f"-o {output.name}: --format {format} writes text, which a spreadsheet "
            f"would not open as a workbook; {hint}"
        )


def _offered_formats() -> list[str]:
    """The formats of the running command's ``--format`` (from its metavar)."""
    from typer._click.globals import get_current_context  # Typer vendors click

    context = get_current_context(silent=True)
    for param in context.command.params if context else ():
        if param.name == "format" and param.metavar:
            return param.metavar.strip("[]").split("|")
    return []


def warn(messages: Any) -> None:
    for message in messages:
        sys.stderr.write(f"warning: {as_flags(message)}\n")


# ------------------------------------------------------------------ output: the one dispatch
def console(*, stderr: bool = False) -> Console:
    """The terminal's console (``stderr``: the error stream's, for a progress bar):
    its width, colour unless NO_COLOR is set."""
    from rich.console import Console

    plain = bool(os.environ.get("NO_COLOR"))
    return Console(
        stderr=stderr,
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


def progress(format: str) -> Any:
    """The progress hook of long work (a context manager): Rich's bar on stderr when
    stderr is a terminal and the output is not JSON; otherwise nothing on stderr."""
    from sendplan.progress_output import progress_bar

    if format == "json" or not sys.stderr.isatty():
        return progress_bar(None)
    return progress_bar(console(stderr=True))


#: Wide enough for any table's natural width: piped output is as wide as its content.
UNLIMITED = 1000


def plain_width() -> int:
    """Width of output for a file or a pager: ``COLUMNS`` when set, else the content's."""
    columns = os.environ.get("COLUMNS", "")
    return int(columns) if columns.isdigit() and int(columns) > 0 else UNLIMITED


def _rendered(renderable: Any) -> str:
    """A Rich renderable as plain text without trailing spaces (a pipe, ``-o FILE``)."""
    import io

    from rich.console import Console

    from sendplan.table_output import plain_lines

    buffer = io.StringIO()
    Console(
        width=plain_width(),
        no_color=True,
        color_system=None,
        highlight=False,
        markup=False,
        emoji=False,
        file=buffer,
    ).print(renderable)
    return plain_lines(buffer.getvalue())


#: A view makes one format's output: text, a Rich renderable for a terminal, or
#: the bytes of a workbook (only ever written to a file).
View = Callable[[], "str | bytes | RenderableType"]


def show(
    format: str,
    views: Mapping[str, View],
    *,
    output: Path | None = None,
    force: bool = False,
    private: bool = False,
) -> None:
    """Print (or write to ``output``) the view of ``format``.

    Every command prints through here.  ``private`` output (person-level
    data) is written readable by its owner only.
    """
    made = views[format]()
    if isinstance(made, bytes):  # a workbook: check_output_format saw it has a file
        from sendplan.files import write_output

        assert output is not None
        write_output(output, made, force=force, private=private)
        return
    if not isinstance(made, str):
        if output is None and sys.stdout.isatty():
            console().print(made)
            return
        made = _rendered(made)
    if output is None:
        sys.stdout.write(made)
        return
    from sendplan.files import write_output

    write_output(output, made, force=force, private=private)


def json_view(data: Callable[[], Any]) -> View:
    """A view printing ``data()`` as sendplan's JSON."""

    def view() -> str:
        from sendplan.output import to_json

        return to_json(data())

    return view


# ------------------------------------------------------------------ completion of values
# Typer calls these as the shell completes an option's value or an argument
# (the ``_SENDPLAN_COMPLETE`` protocol).  They read the case file named on the
# command line when there is one, so a case's own children and templates are
# offered; a case that cannot be read still gets the shipped values, never an error.


def _matching(values: Iterable[str], incomplete: str) -> list[str]:
    return [v for v in dict.fromkeys(values) if v.startswith(incomplete)]


def _case_for_completion(ctx: typer.Context) -> Case | None:
    path = ctx.params.get("case_file")
    if not path:
        return None
    try:
        return load(Path(path))
    except (SendplanError, OSError, ValueError):
        return None


def complete_status(incomplete: str) -> list[str]:
    """``--status``: the checklist's statuses."""
    from sendplan.annex import STATUSES

    return _matching(STATUSES, incomplete)


def complete_role(incomplete: str) -> list[str]:
    """``--who``: the roles events name (``sendplan.rules.ROLES``)."""
    from sendplan.rules import ROLES

    return _matching(ROLES, incomplete.lower())


def complete_item(ctx: typer.Context, incomplete: str) -> list[str]:
    """``mark ITEM``: the case's checklist item ids (per tracked child too), else Annex A's."""
    case = _case_for_completion(ctx)
    if case is not None:
        from sendplan.checklist import build_checklist
        from sendplan.schedule import build_schedule

        try:
            ids = build_checklist(case, build_schedule(case)).ids()
        except SendplanError:
            ids = []
    else:
        from sendplan.annex import load_annex

        ids = [item.id for item in load_annex().items]
    return _matching(ids, incomplete)


def complete_letter(ctx: typer.Context, incomplete: str) -> list[str]:
    """``letter NAME``: the letters for the case's kind, else every shipped letter."""
    from sendplan import letters as lt

    case = _case_for_completion(ctx)
    try:
        if case is not None:
            names = [t.name for t in lt.available(case, ctx.params.get("templates") or [])]
        else:
            names = list(lt.discover([lt.shipped_dir()]))
    except SendplanError:
        names = []
    return _matching(names, incomplete)


# ------------------------------------------------------------------ options, declared once
def format_option(*formats: str, help: str = "Output format.") -> Any:
    """``-f/--format`` offering exactly ``formats`` (the first is the default)."""

    def parse(value: str) -> str:
        if value not in formats:
            raise typer.BadParameter(f"{value!r} is not one of: {', '.join(formats)}")
        return value

    return typer.Option(
        "--format",
        "-f",
        metavar="[" + "|".join(formats) + "]",
        parser=parse,
        autocompletion=lambda: list(formats),
        help=help,
    )


def _from_environment(ctx: typer.Context, param: typer.CallbackParam) -> bool:
    source = ctx.get_parameter_source(param.name or "")
    return source is not None and source.name == "ENVIRONMENT"


def _bad_date(ctx: typer.Context, param: typer.CallbackParam, message: str) -> typer.BadParameter:
    """A bad date, naming where it came from: the option, or its environment variable."""
    if _from_environment(ctx, param) and isinstance(param.envvar, str):
        return typer.BadParameter(message, param_hint=f"'{param.envvar}'")
    return typer.BadParameter(message)


def _date_value(ctx: typer.Context, param: typer.CallbackParam, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise _bad_date(ctx, param, f"{value!r} is not a date like 2025-05-12") from None


def _moment_value(
    ctx: typer.Context, param: typer.CallbackParam, value: str | None
) -> datetime | None:
    if value is None:
        return None
    from sendplan.schema import EARLIEST, LATEST, local_time

    try:
        # With a UTC offset (2025-05-12T09:00Z), the same moment in England.
        moment = local_time(datetime.fromisoformat(value))
    except (ValueError, OverflowError):
        raise _bad_date(
            ctx, param, f"{value!r} is not a date like 2025-05-12 or 2025-05-12T14:30"
        ) from None
    if not EARLIEST <= moment.date() <= LATEST:
        raise _bad_date(
            ctx,
            param,
            f"{value!r} is outside the dates sendplan plans ({EARLIEST.year} to {LATEST.year})",
        )
    return moment


def date_option(name: str, help: str) -> Any:
    """An option holding a date (YYYY-MM-DD), shown as ``DATE``."""
    return typer.Option(
        name, help=help, metavar="DATE", parser=str, callback=_date_value, show_default=False
    )


CaseArg = Annotated[
    Path, typer.Argument(help="The TOML case file.", show_default=False, metavar="CASE")
]
NotificationOpt = Annotated[
    date | None,
    date_option("--notification", "Rehearse: pretend notification is on this date (YYYY-MM-DD)."),
]
OnSiteOpt = Annotated[
    date | None,
    date_option("--on-site-start", "Rehearse: pretend on-site starts on this date (YYYY-MM-DD)."),
]
TodayOpt = Annotated[
    datetime | None,
    typer.Option(
        "--today",
        envvar="SENDPLAN_TODAY",
        help="Pretend it is this date (YYYY-MM-DD or YYYY-MM-DDTHH:MM); default now. "
        "SENDPLAN_TODAY sets it too, for reproducible CI.",
        metavar="DATE",
        parser=str,
        callback=_moment_value,
        show_default=False,
    ),
]
OutputOpt = Annotated[
    Path | None,
    typer.Option("--output", "-o", help="Write to this file, not stdout.", show_default=False),
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
ForceOpt = Annotated[bool, typer.Option("--force", help="Replace an existing output file.")]
DataOpt = Annotated[
    Path | None,
    typer.Option(
        "--data",
        help="A newer inspection record (CSV, same columns) instead of the packaged one "
        "(or [history] data in the case file).",
        show_default=False,
    ),
]
List1Opt = Annotated[
    Path | None,
    typer.Option("--list1", help="List 1 (EHC plans): .xlsx or .csv.", show_default=False),
]
List2Opt = Annotated[
    Path | None,
    typer.Option("--list2", help="List 2 (SEN support): .xlsx or .csv.", show_default=False),
]
TimetableOpt = Annotated[
    Path | None,
    typer.Option(
        "--timetable",
        help="A saved timetable (sendplan timetable --save) to include; default: "
        "[timetable] saved in the case file, when it exists.",
        show_default=False,
    ),
]
ListsOpt = Annotated[
    Path | None,
    typer.Option(
        "--lists",
        help="One .xlsx workbook holding List 1 and List 2 as two sheets.",
        show_default=False,
    ),
]


def resolve_today(value: datetime | None) -> datetime:
    """The moment ``--today`` names (midnight when only a date), else now.

    The CLI is the only place sendplan reads the clock; the core takes ``today``.
    """
    if value is None:
        return datetime.now().replace(second=0, microsecond=0)
    return value


def load(
    case_file: Path, notification: date | None = None, on_site_start: date | None = None
) -> Case:
    from sendplan.case import load_case

    return load_case(case_file).with_dates(notification, on_site_start)


def version_callback(value: bool) -> None:
    if value:
        sys.stdout.write(f"sendplan {__version__}\n")
        raise typer.Exit()


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
    from sendplan import output as out
    from sendplan.history import annotate_schedule, load_record_view
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
def letter(
    case_file: CaseArg,
    name: Annotated[
        str | None,
        typer.Argument(
            help="Letter to render, e.g. notification (see --list).",
            show_default=False,
            metavar="NAME",
            autocompletion=complete_letter,
        ),
    ] = None,
    output: OutputOpt = None,
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
    force: ForceOpt = False,
    notification: NotificationOpt = None,
    on_site_start: OnSiteOpt = None,
    format: Annotated[
        str,
        format_option(
            "markdown",
            "json",
            "docx",
            help="markdown, json (letters with their file names), or docx (Word, A4).",
        ),
    ] = "markdown",
) -> None:
    """Letters and notices as Markdown, filled from the case and its schedule."""
    from sendplan import letters as lt
    from sendplan.files import write_output
    from sendplan.schedule import build_schedule

    case = load(case_file, notification, on_site_start)
    extra = templates or []
    if list_letters:
        if format == "docx":
            raise UsageError("--list names the letters: use --format markdown or json")
        _list_letters(case, extra, format)
        return
    if all_letters == (name is not None):
        raise UsageError("give a letter NAME or --all (see `sendplan letter CASE --list`)")
    if all_letters and out_dir is None:
        raise UsageError("--all writes one file per letter: give --out-dir DIR")
    if output is not None and out_dir is not None:
        raise UsageError("give -o FILE or --out-dir DIR, not both")
    plan = build_schedule(case)
    warn(plan.warnings)
    if name is not None:
        rendered = lt.render_letter(case, plan, name, extra, only)
    else:
        with progress(format) as hook:
            rendered, skipped = lt.render_all(case, plan, extra, progress=hook)
        warn(skipped)
    docx = format == "docx"
    if out_dir is not None:
        for path in lt.write_letters(rendered, out_dir, force=force, docx=docx):
            sys.stderr.write(f"wrote {path}\n")
    elif output is not None:
        private = any(r.private for r in rendered)
        if docx:
            from sendplan.docx_output import letters_docx

            write_output(output, letters_docx(rendered), force=force, private=private)
        else:
            write_output(output, lt.combine(rendered), force=force, private=private)
    if docx:  # written above: a Word document is never printed
        return
    # The letters go to stdout unless written to files; the JSON summary always does.
    written = out_dir is not None or output is not None
    views: dict[str, View] = {
        "markdown": lambda: "" if written else lt.combine(rendered),
        "json": json_view(lambda: {"letters": [lt.letter_json(r) for r in rendered]}),
    }
    show(format, views)


def _list_letters(case: Case, extra: list[Path], format: str) -> None:
    """``letter --list``: the letters this case can have, one a line, or as JSON."""
    from sendplan import letters as lt

    found = lt.available(case, extra)
    listing = "".join(
        f"{t.name:<28} {t.purpose}{' Rehearsal copy.' if t.rehearsal else ''}\n" for t in found
    )
    json_list = json_view(lambda: {"letters": [lt.template_json(t) for t in found]})
    show(format, {"markdown": lambda: listing, "json": json_list})


# ------------------------------------------------------------------ calendar, case-file tooling
@command()
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
            help="Only the events this role acts on (repeatable), e.g. lano, icb, inspectors; "
            "with a saved timetable also one person (dcs, lead_inspector, a name).",
            show_default=False,
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
    roles, timed = _calendar_who(case, who or [], timetable_file)
    alarms = [ics.parse_alarm(a) for a in alarm or []]
    to_stdout = str(output) == "-"
    if to_stdout and format == "json":
        raise UsageError("-o - writes the calendar to stdout; --format json needs -o FILE")
    plan = build_schedule(case)
    # DTSTAMP: --today (London time) when given, so CI artefacts are reproducible.
    export = ics.export_calendar(
        plan,
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
    write_output(output, export.data.decode("utf-8"), force=force)

    def text() -> str:
        sys.stderr.write(f"wrote {plural(len(export.events), 'event')} to {output}\n")
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


@command()
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
        date | None, date_option("--notification", "Notification date, if known (YYYY-MM-DD).")
    ] = None,
    on_site_start: Annotated[
        date | None, date_option("--on-site-start", "First on-site day, if known (YYYY-MM-DD).")
    ] = None,
    force: ForceOpt = False,
    today: TodayOpt = None,
) -> None:
    """Write a new, commented case file to start from."""
    from sendplan.casefile_init import case_template
    from sendplan.files import write_output

    text = case_template(
        kind,
        local_area,
        today=resolve_today(today).date(),
        notification=notification,
        on_site_start=on_site_start,
    )
    if str(file) == "-":
        sys.stdout.write(text)
        return
    write_output(file, text, force=force)
    sys.stderr.write(f"wrote {file}; check it with: sendplan validate {file}\n")


@command()
def validate(
    case_file: CaseArg, format: Annotated[str, format_option("text", "json")] = "text"
) -> None:
    """Check a case file and report every problem at once (exit 0 valid, 2 invalid)."""
    from sendplan.case import check_case_file
    from sendplan.errors import InvalidCaseFile

    case, problems = check_case_file(case_file)
    if case is None:
        result = {"file": str(case_file), "valid": False, "warnings": []}
        problem_list = [p._asdict() for p in problems]
        show(
            format,
            {"text": lambda: "", "json": json_view(lambda: result | {"problems": problem_list})},
        )
        # One `file:line: key: message` line per problem, unprefixed, like a compiler.
        raise InvalidCaseFile(problems)
    from sendplan.schedule import build_schedule

    plan = build_schedule(case)
    warn(plan.warnings)
    valid = {
        "file": str(case_file),
        "valid": True,
        "kind": case.kind,
        "local_area": case.local_area,
        "problems": [],
        "warnings": list(plan.warnings),
    }
    line = f"{case_file}: valid ({plan.rules.title}, {case.local_area})\n"
    show(format, {"text": lambda: line, "json": json_view(lambda: valid)})


@command()
def schema() -> None:
    """Print the case file's JSON Schema, for editors that check TOML as you type."""
    from sendplan.casefile_init import case_json_schema
    from sendplan.output import to_json

    sys.stdout.write(to_json(case_json_schema()))


# ------------------------------------------------------------------ Annex A checklist (issue 4)
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
        typer.Option(
            "--status",
            help="Only items with this status (repeatable): done, in-progress, not-started, n/a.",
            show_default=False,
            autocompletion=complete_status,
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
    from sendplan import checklist_output as out
    from sendplan.checklist import build_checklist
    from sendplan.schedule import build_schedule

    moment = resolve_today(today)
    case = load(case_file)
    plan = build_schedule(case)
    items = build_checklist(case, plan).filter(owner, status or (), due_before)
    warn(plan.warnings)
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
    show(format, views, output=output, force=force)
    if check and overdue:
        raise CheckFailed(out.overdue_text(overdue, moment).rstrip("\n"))


@command()
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
        str,
        typer.Option(
            "--status",
            "-s",
            help="done, in-progress, not-started or n/a.",
            show_default=False,
            autocompletion=complete_status,
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
    format: Annotated[str, format_option("text", "json", help="text (a line) or json.")] = "text",
) -> None:
    """Record items' status in the case file (keeps its comments; safe to run at once)."""
    from sendplan.checklist import mark_items

    moment = resolve_today(today)
    result = mark_items(case_file, items, status, now=moment, note=note, owner=owner)
    same = [i for i in result.ids if i not in result.changed]
    message = f"{case_file}: {plural(len(result.ids), 'item')} {status}: {', '.join(result.ids)}"
    if same:
        message += f" (already {status}: {', '.join(same)})"
    marked = {"case": str(case_file), "status": status, "items": list(result.ids)}
    marked["changed"] = list(result.changed)
    show(format, {"text": lambda: message + "\n", "json": json_view(lambda: marked)})


@command()
def status(
    case_file: CaseArg,
    today: TodayOpt = None,
    format: Annotated[str, format_option("table", "json", "markdown")] = "table",
) -> None:
    """One screen: the day and week, today's and the next events, overdue items, counts."""
    from sendplan import checklist_output as out
    from sendplan.checklist import build_checklist, build_status
    from sendplan.schedule import build_schedule

    moment = resolve_today(today)
    case = load(case_file)
    plan = build_schedule(case)
    board = build_status(plan, build_checklist(case, plan), moment)
    warn(plan.warnings)
    views: dict[str, View] = {
        "table": lambda: out.status_renderable(board),
        "json": json_view(board.to_json),
        "markdown": lambda: out.status_markdown(board),
    }
    show(format, views)


# ------------------------------------------------------------------ inspection history (issue 8)
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
        from sendplan.history_output import history_renderable

        return history_renderable(found)

    show(format, {"table": table, "json": json_view(found.to_json)})


# ------------------------------------------------------------------ tracking (issue 5)
@command()
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

    from sendplan import tracking_output as out
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
        sys.stderr.write(
            f"saved {plural(len(report.selection.selected), 'Unique ID')} and "
            f"{plural(len(report.selection.reserves), 'reserve')} to {case_file} (owner-only)\n"
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
    from sendplan import tracking_output as out
    from sendplan.tracking import ListsSource, notification_date, read_lists

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


# ------------------------------------------------------------------ overview page (issue 14)
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
        from sendplan.tracking import ListsSource, notification_date, read_lists

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
    warn(view.schedule.warnings)
    page = view.to_json()

    def html() -> str:
        from sendplan.overview_output import render_overview

        return render_overview(page)

    def pdf() -> bytes:
        from sendplan.overview_output import print_footer
        from sendplan.pdf import print_pdf

        return print_pdf(html(), footer=print_footer(page))

    views: dict[str, View] = {"html": html, "json": json_view(lambda: page), "pdf": pdf}
    show(format, views, output=output, force=force)


# ------------------------------------------------------------------ timetable (issue 12)
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
    notification: NotificationOpt = None,
    on_site_start: OnSiteOpt = None,
) -> None:
    """Place every session of weeks 2 and 3 (paras 95-133); re-plan; check."""
    from sendplan import timetable_output as out
    from sendplan.errors import WriteError
    from sendplan.files import exists, write_output
    from sendplan.schedule import build_schedule
    from sendplan.timetable.model import build_problem
    from sendplan.timetable.saved import dumps, load_saved

    case = load(case_file, notification, on_site_start)
    problem = build_problem(case, build_schedule(case))
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
        problems = check_timetable(problem, load_saved(saved_file, case.local_area, case.kind))
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
        )
        if problems:
            raise CheckFailed()
        return
    from sendplan.timetable.solver import solve

    # Both files checked before the solve and before either is written.
    targets = [t for t in (save, output) if t is not None and str(t) != "-"]
    existing = [t for t in targets if exists(t)]
    if existing and not force:
        raise OutputExists(existing)
    for target in targets:
        if not exists(target.parent):
            raise WriteError(f"folder {target.parent} does not exist")
    booked = load_saved(previous, case.local_area, case.kind) if previous else None
    with progress(format) as hook:
        result = solve(problem, booked, progress=hook)
    # Tracked children's sessions carry their pseudonymous Unique IDs: owner-only files.
    private = out.holds_tracked_children(result)
    if save is not None and result.complete:
        write_output(save, dumps(result), force=force, private=private)
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
    )
    if not result.complete:
        if save is not None:
            sys.stderr.write(f"nothing saved to {save}: the timetable is not complete\n")
        raise CheckFailed(out.conflict_text(result))
    if save is not None:
        sys.stderr.write(f"saved {plural(len(result.placements), 'session')} to {save}\n")


# ------------------------------------------------------------------ start-up and completion
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


#: Shells Typer writes completion scripts for.
SHELLS = ("bash", "zsh", "fish", "powershell", "pwsh")


def completion_for(argv: list[str]) -> tuple[str, str] | None:
    """``(action, shell)`` for ``--show-completion SHELL`` / ``--install-completion SHELL``.

    Typer's own options are flags that detect the running shell and ignore a
    shell given after them (``--show-completion zsh`` printed bash's script
    from bash).  Given a shell, sendplan uses it; without one, Typer detects it.
    """
    if len(argv) < 2:
        return None
    action, _, shell = argv[1].partition("=")
    if action not in ("--show-completion", "--install-completion"):
        return None
    if not shell and len(argv) > 2:
        shell = argv[2]
    return (action, shell) if shell else None


def complete(action: str, shell: str) -> NoReturn:
    """Print or install the completion script for ``shell``."""
    # typer.completion's own callbacks need a click context; these are what they call.
    from typer._completion_classes import completion_init
    from typer._completion_shared import get_completion_script, install

    if shell not in SHELLS:
        sys.stderr.write(
            f"sendplan: {action} {shell!r}: not a shell sendplan completes; "
            f"shells are: {', '.join(SHELLS)}\n"
        )
        raise SystemExit(EXIT_BAD_INPUT)
    completion_init()
    if action == "--show-completion":
        script = get_completion_script(
            prog_name="sendplan", complete_var="_SENDPLAN_COMPLETE", shell=shell
        )
        sys.stdout.write(script + "\n")
    else:
        installed, path = install(
            shell=shell, prog_name="sendplan", complete_var="_SENDPLAN_COMPLETE"
        )
        sys.stdout.write(f"{installed} completion installed in {path}\n")
        sys.stdout.write("Completion will take effect once you restart the terminal\n")
    raise SystemExit(0)


def _plain_argument_usage() -> None:
    """Usage lines show required arguments as ``CASE``, as their help does.

    Typer 0.28 writes them as ``{CASE}``, which reads as a literal brace set.
    """
    from typer.core import TyperArgument

    original = TyperArgument.make_metavar
    if getattr(original, "sendplan_plain", False):
        return

    def make_metavar(self: TyperArgument, ctx: Any, *, usage: bool = False) -> str:
        text: str = original(self, ctx, usage=usage)
        if usage and text.startswith("{") and text.endswith("}"):
            return text[1:-1]
        return text

    make_metavar.sendplan_plain = True  # type: ignore[attr-defined]
    TyperArgument.make_metavar = make_metavar  # type: ignore[method-assign]


_plain_argument_usage()


def main() -> None:
    """Entry point of the ``sendplan`` console script and ``python -m sendplan``."""
    wanted = completion_for(sys.argv)
    if wanted is not None:
        complete(*wanted)
    completing = any(key.endswith("_COMPLETE") for key in os.environ)
    lean = None if completing or len(sys.argv) < 2 else command_only(sys.argv[1])
    (lean or app)()
