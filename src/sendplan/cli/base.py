"""What every command shares, declared once: the Typer app, the one error
handler (:func:`reporting`, wrapped around every command by :func:`command`),
the output dispatch (:func:`show`), the console, the clock (:func:`resolve_today`:
the only place sendplan reads it) and loading a case.

Heavy modules (Rich, the case model, the calendar) are imported inside the
functions, so ``sendplan --help`` and ``--format json`` start fast.
"""

from __future__ import annotations

import functools
import inspect
import os
import sys
import typing
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from sendplan import __version__
from sendplan.cli.options import offered_formats
from sendplan.errors import (
    EXIT_BAD_INPUT,
    CaseFileError,
    NeedsDates,
    OutputExists,
    Problem,
    SendplanError,
    UsageError,
)
from sendplan.namedtuples import NamedTuple
from sendplan.render.flags import as_flags, flag

if TYPE_CHECKING:
    from rich.console import Console, RenderableType

    from sendplan.case import Case

#: ``-h`` as well as ``--help``, for every command (click passes it down).
CONTEXT = {"help_option_names": ["-h", "--help"]}

app = typer.Typer(
    name="sendplan",
    help="Plan and track one area SEND inspection from a TOML case file.",
    no_args_is_help=True,
    context_settings=CONTEXT,
    pretty_exceptions_show_locals=False,  # locals may hold children's data
    rich_markup_mode=None,
    add_completion=True,
)


lists_app = typer.Typer(
    help="The person-level Lists 1 and 2 (handbook paras 196-199).",
    no_args_is_help=True,
    context_settings=CONTEXT,
)


app.add_typer(lists_app, name="lists")


@contextmanager
def reporting() -> Iterator[None]:
    """The one error handler: a SendplanError becomes a message and an exit code."""
    try:
        yield
    except SendplanError as error:
        message = error_text(error)
        if message and error.exit_code == EXIT_BAD_INPUT:
            # One style for every error of input or usage (click's too: typer_private).
            message = "\n".join(f"sendplan: {line}" for line in message.splitlines())
        if message:
            sys.stderr.write(f"{message}\n")
        raise typer.Exit(error.exit_code) from None


def error_text(error: SendplanError) -> str:
    """The message for ``error``, in the words of the command line (its flags)."""
    if isinstance(error, OutputExists):
        them = "it" if len(error.paths) == 1 else "them"
        return f"{error}; use --force to replace {them}"
    if isinstance(error, NeedsDates) and error.rehearse:
        from sendplan.cli.typer_private import command_takes

        if not command_takes("notification"):
            error = error.without_rehearsal()  # this command has no --notification
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


@contextmanager
def stdout_errors() -> Iterator[None]:
    """Writing to stdout failed (``> /dev/full``, a closed pipe): one line and exit 2.

    Writes to files are :class:`WriteError` already, so an ``OSError`` of these
    kinds reaching here came from stdout.  Stdout is then pointed at the null
    device, so the interpreter's last flush cannot fail again at exit.
    """
    import errno

    try:
        yield
    except OSError as error:
        if error.errno not in (errno.EPIPE, errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO):
            raise
        from sendplan.errors import WriteError

        with suppress(OSError, ValueError, AttributeError):  # not a real stream (a test's)
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise WriteError(f"cannot write to stdout: {error.strerror or error}") from None


class Settings:
    """The shared options of the running command (set by :func:`command` each run)."""

    quiet = False
    pager = True


settings = Settings()


def command(
    group: typer.Typer = app,
    name: str | None = None,
    *,
    examples: Sequence[tuple[str, str]] = (),
    edits_case: bool | str = False,
) -> Callable[[F], F]:
    """Register a command of ``group`` with what every command shares.

    Around the function: the error handler; ``-q`` and, where ``--format`` offers
    a table, ``--no-pager``; a CASE argument that may be left out
    (``$SENDPLAN_CASE``, then ``./case.toml``) or be ``-`` (standard input),
    except where the command edits the case (``edits_case``: always, or the
    name of the flag that makes it edit, ``"save"``); the help's whole first
    line as its summary and an Examples section (``examples``, else
    :data:`sendplan.cli.examples.EXAMPLES`).
    """

    def register(function: F) -> F:
        from sendplan.cli.examples import examples_epilog

        shown_name = name or function.__name__.replace("_", "-")
        doc = inspect.getdoc(function) or ""
        group.command(
            name,
            short_help=doc.split("\n\n")[0].replace("\n", " "),
            epilog=examples_epilog(_full_name(group, shown_name), examples),
        )(Command(function, edits_case, shown_name))
        return function

    return register


class Command:
    """A command as Typer calls it: ``function`` inside the error handler, with the
    shared options (``-q``, ``--no-pager``) and the CASE argument that may be left out.

    Its signature, every annotation evaluated (each ``format_option``, each
    ``typer.Option``), is built when Typer first asks for it, which it does only for
    the command being run (:func:`sendplan.cli.entry.command_only`): built for every
    command at import, it cost about 10 ms of CPU on every start (issue 24).
    """

    def __init__(self, function: Callable[..., Any], edits_case: bool | str, name: str) -> None:
        functools.update_wrapper(
            self, function, assigned=("__module__", "__name__", "__qualname__", "__doc__")
        )
        self.function = function
        self.edits_case = edits_case
        self.name = name

    @functools.cached_property
    def parts(self) -> tuple[inspect.Signature, bool, list[Later]]:
        """The signature Typer reads, whether CASE is an argument, the arguments after it."""
        signature = inspect.signature(self.function, eval_str=True)
        case = _case_argument(signature)
        later = _arguments_after(signature, "case_file") if case else []
        optional = {argument.name for argument in later}
        extra = [_shared("quiet", "QuietOpt")] + (
            [_shared("no_pager", "NoPagerOpt")] if _offers_table(signature) else []
        )
        parameters = [
            _optional(p, self.edits_case) if p.name == "case_file" and case else p
            for p in signature.parameters.values()
        ]
        parameters = [p.replace(default=None) if p.name in optional else p for p in parameters]
        # Keyword-only: Typer passes each by name, and a default may then precede none.
        parameters = [p.replace(kind=inspect.Parameter.KEYWORD_ONLY) for p in parameters]
        return signature.replace(parameters=parameters + extra), case, later

    @property
    def __signature__(self) -> inspect.Signature:
        return self.parts[0]

    @property
    def __annotations__(self) -> dict[str, Any]:  # type: ignore[override]
        return {p.name: p.annotation for p in self.parts[0].parameters.values()}

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        _, case, later = self.parts
        resume_collection()
        settings.quiet = bool(kwargs.pop("quiet", False))
        settings.pager = not kwargs.pop("no_pager", False)
        with reporting(), stdout_errors():
            folder = kwargs.get("out_dir") is not None
            check_output_format(kwargs.get("format"), kwargs.get("output"), self.function, folder)
            if case:
                _resolve_case(kwargs, later, self.edits_case, self.name)
            result = self.function(*args, **kwargs)
            sys.stdout.flush()  # a full device fails here, inside the handler
            return result


def _full_name(group: typer.Typer, name: str) -> str:
    """``lists check`` for a command of a group, else ``name``."""
    for registered in app.registered_groups:
        if registered.typer_instance is group:
            return f"{registered.name} {name}"
    return name


def _shared(name: str, option: str) -> inspect.Parameter:
    from sendplan.cli import options

    return inspect.Parameter(
        name, inspect.Parameter.KEYWORD_ONLY, default=False, annotation=getattr(options, option)
    )


def _typer_info(parameter: inspect.Parameter) -> Any:
    metadata = getattr(parameter.annotation, "__metadata__", ())
    return metadata[0] if metadata else None


def _case_argument(signature: inspect.Signature) -> bool:
    """Whether the command takes the case file as its CASE argument."""
    parameter = signature.parameters.get("case_file")
    return parameter is not None and isinstance(_typer_info(parameter), typer.models.ArgumentInfo)


def _offers_table(signature: inspect.Signature) -> bool:
    parameter = signature.parameters.get("format")
    info = _typer_info(parameter) if parameter else None
    return "table" in str(getattr(info, "metavar", "") or "").strip("[]").split("|")


class Later(NamedTuple):
    """An argument after CASE: optional at parse time, so CASE can be left out."""

    name: str
    many: bool  # ITEM...: a list
    required: bool
    metavar: str


def _arguments_after(signature: inspect.Signature, name: str) -> list[Later]:
    found = [
        p
        for p in signature.parameters.values()
        if isinstance(_typer_info(p), typer.models.ArgumentInfo)
    ]
    names = [p.name for p in found]
    if name not in names:
        return []
    return [
        Later(
            p.name,
            typing.get_origin(p.annotation.__origin__) is list,
            p.default is inspect.Parameter.empty,
            _typer_info(p).metavar or p.name.upper(),
        )
        for p in found[names.index(name) + 1 :]
    ]


def _optional(parameter: inspect.Parameter, edits_case: bool | str) -> inspect.Parameter:
    """CASE left out may be found; its help says where, and whether ``-`` works."""
    import copy

    from sendplan.cli.options import CASE_VARIABLE, DEFAULT_CASE

    info = copy.copy(_typer_info(parameter))
    stdin = {
        True: "",
        False: "; - reads it from standard input",
        "save": f"; - reads it from standard input (not with --{edits_case})",
    }
    info.help = (
        f"The TOML case file{stdin.get(edits_case, stdin['save'])}. Left out: "
        f"${CASE_VARIABLE}, else ./{DEFAULT_CASE}."
    )
    annotation = Annotated[Path | None, info]
    return parameter.replace(annotation=annotation, default=None)


def _resolve_case(
    kwargs: dict[str, Any], later: list[Later], edits_case: bool | str, name: str
) -> None:
    """Fill ``case_file`` in ``kwargs``: as given, or ``$SENDPLAN_CASE``, or ``./case.toml``.

    With CASE left out, the first argument given is the command's next one
    (``sendplan mark 1.1 -s done``): a first argument that is not a file, not
    ``-`` and not named ``.toml`` moves there.
    """
    from sendplan.cli.options import CASE_VARIABLE, DEFAULT_CASE

    given: Path | None = kwargs.get("case_file")
    if given is not None and later and _not_a_case(given):
        following = later[0]
        if following.many:
            kwargs[following.name] = [str(given), *(kwargs.get(following.name) or [])]
            given = None
        elif kwargs.get(following.name) is None:
            kwargs[following.name] = str(given)
            given = None
    for argument in later:
        if argument.required and not kwargs.get(argument.name):
            raise UsageError(f"missing argument {argument.metavar}")
    if given is None:
        variable = os.environ.get(CASE_VARIABLE, "")
        if variable:
            given = Path(variable)
        elif Path(DEFAULT_CASE).is_file():
            given = Path(DEFAULT_CASE)
        else:
            raise UsageError(
                f"no case file: name it (CASE), set {CASE_VARIABLE}, or start one here "
                f"with `sendplan init` (it writes ./{DEFAULT_CASE})"
            )
    editing = edits_case is True or (isinstance(edits_case, str) and kwargs.get(edits_case))
    if str(given) == "-":
        if editing:
            what = name if edits_case is True else f"{name} --{edits_case}"
            raise UsageError(
                f"{what} writes the case file, so it needs its path, not - (standard input)"
            )
    elif not given.exists():
        raise CaseFileError(
            [
                Problem(
                    str(given),
                    None,
                    "",
                    "no such case file",
                    f"start one with `sendplan init {given}`",
                )
            ]
        )
    kwargs["case_file"] = given


def _not_a_case(path: Path) -> bool:
    return str(path) != "-" and path.suffix.lower() != ".toml" and not path.exists()


#: Files Excel opens as workbooks: text written under these names would not open.
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xlsb", ".xls", ".ods")


#: Formats that write a file, not text: (what it is, its file suffix).
FILE_FORMATS = {
    "xlsx": ("an .xlsx workbook", ".xlsx"),
    "pdf": ("a PDF", ".pdf"),
    "docx": ("a Word document", ".docx"),
}


def check_output_format(
    format: str | None,
    output: Path | None,
    command: Callable[..., Any] | None = None,
    folder: bool = False,
) -> None:
    """Refuse, before any work, a workbook, PDF or Word document to the terminal, and
    text under a workbook's name (the hint names ``--format xlsx`` when ``command``
    offers it).  ``folder``: the command writes files to a folder."""
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
            if command is not None and "xlsx" in offered_formats(command)
            else "name the file for what it holds (.txt, .md, .json)"
        )
        raise UsageError(
            f"-o {output.name}: --format {format} writes text, which a spreadsheet "
            f"would not open as a workbook; {hint}"
        )


def warn(messages: Any) -> None:
    """Warnings on stderr, one a line (none with ``-q``)."""
    for message in messages:
        note(f"warning: {as_flags(message)}")


def note(text: str) -> None:
    """A line for the person at the terminal on stderr (``wrote FILE``); none with ``-q``."""
    if not settings.quiet:
        sys.stderr.write(f"{text}\n")


def wrote(path: Path | str, what: str = "") -> None:
    """The one rule for ``-o FILE``: a line on stderr naming the file (none with ``-q``)."""
    note(f"wrote {what + ' to ' if what else ''}{path}")


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
    from sendplan.render.progress import progress_bar

    if format == "json" or settings.quiet or not sys.stderr.isatty():
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

    from sendplan.render.tables import plain_lines

    buffer = io.StringIO()
    Console(
        width=plain_width(),
        no_color=True,
        color_system=None,
        highlight=False,
        markup=False,
        emoji=False,
        file=buffer,
    ).print(renderable, crop=False)
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
    children: Iterable[str] = (),
) -> None:
    """Print (or write to ``output``) the view of ``format``.

    Every command prints through here.  ``private`` output (person-level
    data), or output naming one of ``children`` (the tracked children's ids),
    is written readable by its owner only.  ``-o -`` is stdout; a file
    written is named on stderr (:func:`wrote`).  At a terminal, output taller
    than it goes through the pager (:func:`page`).
    """
    if output is not None and str(output) == "-":
        output = None
    made = views[format]()
    if isinstance(made, bytes):  # a workbook: check_output_format saw it has a file
        from sendplan.files import write_output

        assert output is not None
        write_output(output, made, force=force, private=private, children=children)
        wrote(output)
        return
    terminal = output is None and sys.stdout.isatty()
    if not isinstance(made, str):
        if terminal:
            screen = console()
            with screen.capture() as captured:
                screen.print(made, crop=False)  # a long path runs past the edge whole
            page(captured.get())
            return
        made = _rendered(made)
    if output is None:
        if terminal:
            page(made)
        else:
            sys.stdout.write(made)
        return
    from sendplan.files import write_output

    write_output(output, made, force=force, private=private, children=children)
    wrote(output)


def page(text: str) -> None:
    """``text`` to the terminal, through ``$PAGER`` (``less`` by default; ``more`` on
    Windows) when it is taller than the terminal and ``--no-pager`` was not given.

    Called only when stdout is a terminal: piped output is never paged.  ``less``
    is given ``LESS=FRX`` unless ``LESS`` is set (as git does): colours kept, and
    it quits by itself when the text fits after all.
    """
    import shutil

    pager = os.environ.get("PAGER")
    if pager is None:
        pager = "more" if os.name == "nt" else "less"
    height = shutil.get_terminal_size().lines
    if not settings.pager or pager.strip() in ("", "cat") or text.count("\n") < height:
        sys.stdout.write(text)
        return
    import subprocess

    sys.stdout.flush()
    environment = {**os.environ, "LESS": os.environ.get("LESS", "FRX")}
    try:
        done = subprocess.run(
            pager, shell=True, input=text, text=True, errors="replace", env=environment, check=False
        )
    except OSError:
        done = None
    if done is None or done.returncode == 127:  # no such pager: print it all the same
        sys.stdout.write(text)


def screen_height() -> int | None:
    """Lines a one-screen view may take: the terminal's height (or ``LINES``) less
    the line of the prompt that follows; None when neither is known (piped)."""
    import shutil

    lines = os.environ.get("LINES", "")
    if lines.isdigit() and int(lines) > 1:
        return int(lines) - 1
    if sys.stdout.isatty():
        return max(shutil.get_terminal_size().lines - 1, 1)
    return None


def shell_word(path: Path | str) -> str:
    """``path`` as typed in a command line (quoted when it holds a space)."""
    import shlex

    return shlex.quote(str(path))


def json_view(data: Callable[[], Any]) -> View:
    """A view printing ``data()`` as sendplan's JSON."""

    def view() -> str:
        from sendplan.text import to_json

        return to_json(data())

    return view


def resolve_today(value: datetime | None) -> datetime:
    """The moment ``--today`` names (midnight when only a date), else now.

    The CLI is the only place sendplan reads the clock; the core takes ``today``.
    """
    if value is None:
        return datetime.now().replace(second=0, microsecond=0)
    return value


def tracked_ids(case: Case, session_ids: Iterable[str] = ()) -> tuple[str, ...]:
    """The ids that make an output owner-only (``show(children=...)``): the case's
    tracked children and reserves, and those of a saved timetable's per-child
    sessions (``tracking_family:C014``), which may name a child selected before."""
    ids = list(case.tracked_ids)
    session_ids = list(session_ids)
    if session_ids and case.kind != "engagement":
        from sendplan.timetable.saved import session_children

        ids += session_children(case.kind, session_ids)
    return tuple(dict.fromkeys(ids))


def load(
    case_file: Path, notification: date | None = None, on_site_start: date | None = None
) -> Case:
    from sendplan.case import load_case, parse_case

    if str(case_file) == "-":
        case = parse_case(read_case_stdin(), STDIN_CASE)
    else:
        case = load_case(case_file)
    return case.with_dates(notification, on_site_start)


#: The name of a case read from standard input (``CASE`` given as ``-``) in messages;
#: its relative paths resolve against the current folder, this name's folder.
STDIN_CASE = Path("<stdin>")


def read_case_stdin() -> str:
    """A case file from standard input, as a file is read: at most its size cap, UTF-8."""
    from sendplan.files import MAX_CASE_BYTES, decode_text

    raw = sys.stdin.buffer.read(MAX_CASE_BYTES + 1)
    if len(raw) > MAX_CASE_BYTES:
        raise CaseFileError(
            [
                Problem(
                    str(STDIN_CASE),
                    None,
                    "",
                    f"a case file may be at most {MAX_CASE_BYTES >> 20} MB",
                )
            ]
        )
    return decode_text(raw, STDIN_CASE, "case file")


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
