"""Starting, checking and describing a case file: ``init``, ``validate``, ``schema``."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from sendplan.cli.base import (
    STDIN_CASE,
    command,
    json_view,
    note,
    read_case_stdin,
    resolve_today,
    show,
    warn,
)
from sendplan.cli.options import (
    CaseArg,
    ForceOpt,
    TodayOpt,
    choice_option,
    date_option,
    format_option,
)
from sendplan.rules import KINDS


@command()
def init(
    file: Annotated[
        Path, typer.Argument(help="The case file to write; - for stdout.", metavar="FILE")
    ] = Path("case.toml"),
    kind: Annotated[
        str, choice_option("--kind", values=KINDS, help="The kind of inspection.", what="kind")
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
    note(f"wrote {file}; change what it marks `# placeholder`, then: sendplan validate {file}")


@command()
def validate(
    case_file: CaseArg, format: Annotated[str, format_option("text", "json")] = "text"
) -> None:
    """Check a case file and report every problem at once (exit 0 valid, 2 invalid)."""
    from sendplan.case import check_case_file, parse_case
    from sendplan.errors import CaseFileError, InvalidCaseFile

    text = read_case_stdin() if str(case_file) == "-" else None
    if text is not None:
        try:
            case, problems = parse_case(text, STDIN_CASE), []
        except CaseFileError as error:
            case, problems = None, error.problems
        name = str(STDIN_CASE)
    else:
        case, problems = check_case_file(case_file)
        name = str(case_file)
    if case is None:
        result = {"file": name, "valid": False, "warnings": []}
        problem_list = [p._asdict() for p in problems]
        show(
            format,
            {"text": lambda: "", "json": json_view(lambda: result | {"problems": problem_list})},
        )
        # One `sendplan: file:line: key: message` line per problem.
        raise InvalidCaseFile(problems)
    from sendplan.casefile_init import placeholder_warnings
    from sendplan.files import MAX_CASE_BYTES, read_text_input
    from sendplan.rules import load_rules
    from sendplan.schedule import build_schedule

    if text is None:
        text = read_text_input(case_file, "case file", MAX_CASE_BYTES)
    # A case without dates is valid (issue 23): no schedule to build, its own warnings.
    found = build_schedule(case).warnings if case.has_dates else case.warnings
    warnings = placeholder_warnings(text, name) + list(found)
    warn(warnings)
    valid = {
        "file": name,
        "valid": True,
        "kind": case.kind,
        "local_area": case.local_area,
        "dated": case.has_dates,
        "problems": [],
        "warnings": warnings,
    }
    undated = "" if case.has_dates else "; no dates yet: see `sendplan ready`"
    line = f"{name}: valid ({load_rules(case.kind).title}, {case.local_area}{undated})\n"
    show(format, {"text": lambda: line, "json": json_view(lambda: valid)})


@command()
def schema() -> None:
    """Print the case file's JSON Schema, for editors that check TOML as you type."""
    from sendplan.case.json_schema import case_json_schema
    from sendplan.text import to_json

    sys.stdout.write(to_json(case_json_schema()))
