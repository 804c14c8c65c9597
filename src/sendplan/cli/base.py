"""What every command shares, declared once: the Typer app, the one error
handler (:func:`reporting`, wrapped around every command by :func:`command`),
the output dispatch (:func:`show`), the console, the clock (:func:`resolve_today`:
the only place sendplan reads it) and loading a case.

Heavy modules (Rich, the case model, the calendar) are imported inside the
functions, so ``sendplan --help`` and ``--format json`` start fast.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from sendplan import __version__
from sendplan.cli.options import offered_formats
from sendplan.errors import (
    OutputExists,
    SendplanError,
    UsageError,
)
from sendplan.render.flags import as_flags, flag

if TYPE_CHECKING:
    from rich.console import Console, RenderableType

    from sendplan.case import Case

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
                check_output_format(kwargs.get("format"), kwargs.get("output"), function)
                return function(*args, **kwargs)

        group.command(name)(run)
        return function

    return register


#: Files Excel opens as workbooks: text written under these names would not open.
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xlsb", ".xls", ".ods")


def check_output_format(
    format: str | None, output: Path | None, command: Callable[..., Any]
) -> None:
    """Refuse, before any work, a workbook to the terminal or text under a workbook's name
    (the hint names ``--format xlsx`` when ``command`` offers it)."""
    if format is None:
        return
    to_file = output is not None and str(output) != "-"
    if format == "xlsx":
        if not to_file:
            raise UsageError("--format xlsx writes a workbook, not text: give -o FILE.xlsx")
        assert output is not None
        if output.suffix.lower() != ".xlsx":
            raise UsageError(
                f"--format xlsx writes an .xlsx workbook: name the file .xlsx, not {output.name}"
            )
    elif to_file and output is not None and output.suffix.lower() in WORKBOOK_SUFFIXES:
        hint = (
            "use --format xlsx for a workbook"
            if "xlsx" in offered_formats(command)
            else "name the file for what it holds (.txt, .md, .json)"
        )
        raise UsageError(
            f"-o {output.name}: --format {format} writes text, which a spreadsheet "
            f"would not open as a workbook; {hint}"
        )


def warn(messages: Any) -> None:
    for message in messages:
        sys.stderr.write(f"warning: {as_flags(message)}\n")


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
