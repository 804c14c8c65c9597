"""The options and arguments commands share, declared once: ``--format`` with
the formats a command really has, ``-o``/``--output``, ``--force``, ``--today``,
the rehearsal dates, the lists and the saved timetable."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any
from weakref import WeakKeyDictionary

import typer

#: The formats each ``--format`` option offers, filled by :func:`format_option`
#: (read back by :func:`offered_formats`).
FORMATS: WeakKeyDictionary[Any, tuple[str, ...]] = WeakKeyDictionary()


def choice_option(
    *names: str, values: tuple[str, ...], help: str, what: str = "value", **extra: Any
) -> Any:
    """An option taking one of ``values``: shown as ``[a|b|c]`` in help, offered by
    completion, and a wrong value answered with the nearest (or the list)."""

    def parse(value: str) -> str:
        if value not in values:
            from sendplan.errors import choice_hint

            raise typer.BadParameter(f"{value!r} is not a {what} ({choice_hint(value, values)})")
        return value

    def complete(incomplete: str) -> list[str]:
        return [v for v in values if v.startswith(incomplete)]

    return typer.Option(
        *names,
        metavar="[" + "|".join(values) + "]",
        parser=parse,
        autocompletion=complete,
        help=help,
        **extra,
    )


def format_option(*formats: str, help: str = "Output format.") -> Any:
    """``-f/--format`` offering exactly ``formats`` (the first is the default)."""
    option = choice_option("--format", "-f", values=formats, help=help, what="format")
    FORMATS[option] = formats
    return option


def offered_formats(function: Callable[..., Any]) -> tuple[str, ...]:
    """The formats the ``--format`` of the command ``function`` offers (none without one).

    Its annotations are read here, when asked (a rare error's hint), not at start-up.
    """
    from typing import get_type_hints

    hint = get_type_hints(function, include_extras=True).get("format")
    for extra in getattr(hint, "__metadata__", ()):
        if extra in FORMATS:
            return FORMATS[extra]
    return ()


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


#: Where a command looks for the case file when CASE is left out, in order.
CASE_VARIABLE = "SENDPLAN_CASE"
DEFAULT_CASE = "case.toml"

CaseArg = Annotated[
    Path,
    typer.Argument(
        help=f"The TOML case file; - reads it from standard input. Left out: "
        f"${CASE_VARIABLE}, else ./{DEFAULT_CASE}.",
        show_default=False,
        metavar="CASE",
    ),
]


QuietOpt = Annotated[
    bool,
    typer.Option(
        "--quiet",
        "-q",
        help="For scripts: no warnings, notes (wrote FILE) or progress on stderr; "
        "the output and errors only.",
    ),
]


NoPagerOpt = Annotated[
    bool,
    typer.Option(
        "--no-pager",
        help="Print a long table straight to the terminal, not through $PAGER "
        "(never used when piped).",
    ),
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
