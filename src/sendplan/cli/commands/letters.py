"""Letters and notices as Markdown (or Word documents): ``letter``."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from sendplan.errors import (
    UsageError,
)

if TYPE_CHECKING:
    from sendplan.case import Case
from sendplan.cli.base import View, command, json_view, load, progress, show, warn, wrote
from sendplan.cli.completion import complete_letter
from sendplan.cli.options import (
    CaseArg,
    ForceOpt,
    NotificationOpt,
    OnSiteOpt,
    OutputOpt,
    format_option,
)


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
        convert = None
        if docx:
            from sendplan.render.docx import letter_docx

            convert = (".docx", letter_docx)
        for path in lt.write_letters(rendered, out_dir, force=force, convert=convert):
            wrote(path)
    elif output is not None and str(output) != "-":
        private = any(r.private for r in rendered)
        if docx:
            from sendplan.render.docx import letters_docx

            write_output(output, letters_docx(rendered), force=force, private=private)
        else:
            write_output(output, lt.combine(rendered), force=force, private=private)
        wrote(output)
    if docx:  # written above: a Word document is never printed
        return
    # The letters go to stdout unless written to files; the JSON summary always does.
    written = out_dir is not None or (output is not None and str(output) != "-")
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
