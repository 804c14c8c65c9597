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
from sendplan.errors import EXIT_BAD_INPUT, SendplanError

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
    return Console(
        width=width,
        no_color=bool(os.environ.get("NO_COLOR")) or not terminal,
        highlight=False,
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


CaseArg = Annotated[Path, typer.Argument(help="The TOML case file.", show_default=False)]
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
) -> None:
    """Every date of the inspection, week by week, each with its paragraph."""
    with reporting():
        from sendplan.schedule import build_schedule

        plan = build_schedule(load(case_file, notification, on_site_start))
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


def main() -> None:
    """Entry point of the ``sendplan`` console script."""
    app()
