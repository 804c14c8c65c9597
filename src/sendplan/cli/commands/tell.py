"""Telling people of the timetable: ``tell``."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from sendplan.cli.base import command, json_view, load, resolve_today, show, wrote
from sendplan.cli.options import CaseArg, ForceOpt, TimetableOpt, TodayOpt, format_option

if TYPE_CHECKING:
    from sendplan.case import Case


@command(
    examples=(
        ("sendplan tell case.toml --out-dir outbox", "first invitations for everyone"),
        (
            "sendplan tell case.toml --from before.toml --out-dir outbox --force",
            "after a re-plan: a draft for everyone a change touches",
        ),
    )
)
def tell(
    case_file: CaseArg,
    out_dir: Annotated[
        Path,
        typer.Option(
            "--out-dir",
            help="The outbox: one draft .eml per person and their invitations; the "
            "invitations sent before are read from it first (SEQUENCE, UIDs).",
            show_default=False,
        ),
    ],
    previous: Annotated[
        Path | None,
        typer.Option(
            "--from",
            help="The saved timetable before the re-plan: drafts say what moved from it.",
            show_default=False,
        ),
    ] = None,
    timetable_file: TimetableOpt = None,
    force: ForceOpt = False,
    today: TodayOpt = None,
    format: Annotated[
        str,
        format_option("text", "json", help="text (who gets what) or json (what was written)."),
    ] = "text",
) -> None:
    """Draft an email per person a timetable change touches, their invitations attached.

    Each draft (.eml, X-Unsent: 1) opens in desktop Outlook as an unsent draft,
    addressed to the person, saying what moved, when and where, and why. Without
    --from, the first invitations for everyone (handbook paras 96, 114).
    """
    case = load(case_file)
    send(case, out_dir, timetable_file, previous, resolve_today(today), force, format, drafts=True)


def send(
    case: Case,
    out_dir: Path,
    timetable_file: Path | None,
    previous: Path | None,
    today: datetime,
    force: bool,
    format: str,
    *,
    drafts: bool,
) -> None:
    """Write the outbox (``sendplan.tell``: invitations, and the drafts when ``drafts``)
    and say who gets what: ``tell`` and ``calendar --invitations``."""
    from sendplan.render.tell import summary_text
    from sendplan.schedule import build_schedule
    from sendplan.tell.outbox import outbox, to_json, write

    box, lano = outbox(case, build_schedule(case), out_dir, timetable_file, previous, today)
    paths = write(box, out_dir, lano, force=force, drafts=drafts)

    def text() -> str:
        for path in paths:
            wrote(path)
        return summary_text(box, drafts=drafts)

    show(format, {"text": text, "json": json_view(lambda: to_json(box, paths))})
