"""Telling people of the timetable: ``tell``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from sendplan.cli.base import command, json_view, load, resolve_today, show, wrote
from sendplan.cli.options import CaseArg, ForceOpt, TimetableOpt, TodayOpt, format_option


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
    from sendplan.render.tell import summary_text
    from sendplan.schedule import build_schedule
    from sendplan.tell.outbox import outbox, to_json, write

    case = load(case_file)
    moment = resolve_today(today)
    box, lano = outbox(case, build_schedule(case), out_dir, timetable_file, previous, moment)
    paths = write(box, out_dir, lano, force=force, drafts=True)

    def text() -> str:
        for path in paths:
            wrote(path)
        return summary_text(box, drafts=True)

    show(format, {"text": text, "json": json_view(lambda: to_json(box, paths))})
