"""Every bound sendplan puts on what it reads, in one table (README, "Hostile input").

Each row names the constant that enforces it (``sendplan.files.MAX_CASE_BYTES``)
and is read from it, so the README's table (``cog -I docs -r README.md``) cannot
drift from the code; the case file's own maxima (a list's longest length, a
number's largest value) are read from the schema, and the on-site days from the
rules data.  ``tests/test_hostile_limits.py`` checks that every ``MAX_*``
constant in the package is a row here.

Only the documentation and the tests import this module.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

from sendplan.namedtuples import NamedTuple


class Limit(NamedTuple):
    """One bound: what it applies to, its value, why, and where the code keeps it."""

    input: str
    bound: str
    value: Any
    reason: str
    #: ``module.NAME`` of the constant, or where the value is declared.
    source: str
    unit: str = ""


#: (constant, input, what is bounded, unit, why)
_CONSTANTS: tuple[tuple[str, str, str, str, str], ...] = (
    (
        "sendplan.files.MAX_CASE_BYTES",
        "case file, saved timetable",
        "size",
        "bytes",
        "the full example case is 6 KB, a saved timetable of 200 sessions 60 KB",
    ),
    (
        "sendplan.schema.MAX_TOML_DEPTH",
        "every TOML file (case, saved timetable, front matter)",
        "nesting of arrays and tables",
        "",
        "a case file's deepest key is 4 levels; deeper nesting exhausts a parser",
    ),
    (
        "sendplan.schema.EARLIEST",
        "case file",
        "earliest date",
        "date",
        "the working-day calendar's range",
    ),
    (
        "sendplan.schema.LATEST",
        "case file",
        "latest date",
        "date",
        "the working-day calendar's range",
    ),
    (
        "sendplan.schema.PRINTED_EARLIEST",
        "every output",
        "earliest date printed",
        "date",
        "a schedule planned early in 2000 starts in the weeks before",
    ),
    (
        "sendplan.schema.PRINTED_LATEST",
        "every output",
        "latest date printed",
        "date",
        "a schedule planned late in 2100 runs a few months into 2101",
    ),
    (
        "sendplan.case.records.MAX_TRACKED",
        "case file",
        "tracked children, and reserves",
        "",
        "para 90: about 6; the timetable's generated weeks use up to 12; twice that",
    ),
    (
        "sendplan.case.timetable.MAX_INSPECTORS",
        "case file",
        "[timetable] inspectors",
        "",
        "a team is about 4 to 6 inspectors (para 168)",
    ),
    (
        "sendplan.case.timetable.MAX_ENTRIES",
        "case file",
        "[[timetable.unavailable]] and [[timetable.travel]] entries",
        "",
        "many times what two weeks of one inspection hold",
    ),
    (
        "sendplan.case.timetable.MAX_SESSIONS",
        "case file",
        "[[timetable.sessions]]",
        "",
        "extra meetings inspectors arrange on site (paras 102, 131): a handful",
    ),
    (
        "sendplan.case.timetable.MAX_NAMES",
        "case file",
        "people of one session or activity, sampling topics",
        "",
        "a meeting's attendees, para 111's topics",
    ),
    (
        "sendplan.timetable.saved.MAX_SESSIONS",
        "saved timetable",
        "sessions",
        "",
        "a full inspection's timetable holds about 50",
    ),
    (
        "sendplan.timetable.saved.MAX_SESSION_PEOPLE",
        "saved timetable",
        "people of one session",
        "",
        "a meeting's attendees",
    ),
    (
        "sendplan.files.MAX_TEMPLATE_BYTES",
        "letter template",
        "size",
        "bytes",
        "the longest shipped template is 4 KB",
    ),
    (
        "sendplan.letters.sandbox.MAX_OUTPUT_CHARS",
        "letter template",
        "a letter's length, and any string or list a template computes",
        "characters",
        "a letter is a few KB; checked before + * % build a value, after every call",
    ),
    (
        "sendplan.letters.sandbox.MAX_SECONDS",
        "letter template",
        "time to render one letter",
        "seconds",
        "one letter takes milliseconds",
    ),
    (
        "sendplan.letters.sandbox.MAX_DIGITS",
        "letter template",
        "digits of a number",
        "",
        "no letter needs a longer number",
    ),
    (
        "sendplan.letters.rendering.MAX_NAME_PART",
        "letter --all",
        "characters of an id or name in a file name",
        "",
        "file systems allow 255 bytes a name",
    ),
    (
        "sendplan.ics.MAX_PREVIOUS_BYTES",
        "--previous calendar",
        "size",
        "bytes",
        "one inspection's export is about 40 KB",
    ),
    (
        "sendplan.tell.invitations.MAX_FILE_BYTES",
        "earlier invitations (--out-dir)",
        "size of each",
        "bytes",
        "one person's invitations for one inspection are a few KB",
    ),
    (
        "sendplan.tell.invitations.MAX_FILES",
        "earlier invitations (--out-dir)",
        ".ics files in the folder",
        "",
        "two per person of the case (requests and cancellations)",
    ),
    (
        "sendplan.ics.MAX_PREVIOUS_DEPTH",
        "--previous calendar",
        "nesting of components",
        "",
        "VCALENDAR > VEVENT > VALARM",
    ),
    (
        "sendplan.ics.MAX_PREVIOUS_COMPONENTS",
        "--previous calendar",
        "components",
        "",
        "one inspection's export holds about 60",
    ),
    (
        "sendplan.ics.MAX_SEQUENCE",
        "--previous calendar",
        "SEQUENCE",
        "",
        "RFC 5545: clients store it in 32 bits",
    ),
    (
        "sendplan.ics.MAX_ALARM",
        "calendar --alarm",
        "how long before",
        "",
        "a year before an event is not a reminder",
    ),
    (
        "sendplan.history.record.MAX_RECORD_BYTES",
        "inspection record (--data)",
        "size",
        "bytes",
        "the packaged record is about 100 KB",
    ),
    (
        "sendplan.files.MAX_LIST_BYTES",
        "person-level list",
        "size",
        "bytes",
        "200,000 rows of .xlsx are 15 MB",
    ),
    (
        "sendplan.lists.limits.MAX_ROWS",
        "person-level list",
        "rows of a sheet or CSV",
        "",
        "Excel's own maximum is 1,048,576",
    ),
    (
        "sendplan.lists.limits.MAX_COLUMNS",
        "person-level list",
        "columns",
        "",
        "the template has about 20",
    ),
    (
        "sendplan.lists.limits.MAX_CELLS",
        "person-level list",
        "cells a sheet spans",
        "",
        "the reader allocates every cell in the rectangle",
    ),
    (
        "sendplan.lists.limits.MAX_CELL_CHARS",
        "person-level list",
        "characters in a cell",
        "",
        "Excel's own limit",
    ),
    (
        "sendplan.lists.limits.MAX_UNCOMPRESSED",
        "person-level list (.xlsx)",
        "all parts unpacked",
        "bytes",
        "200,000 rows are about 150 MB",
    ),
    (
        "sendplan.lists.limits.MAX_RATIO",
        "person-level list (.xlsx)",
        "compression of one part (to 1)",
        "",
        "real sheets: about 10 to 1",
    ),
    (
        "sendplan.lists.limits.MAX_PARTS",
        "person-level list (.xlsx)",
        "parts of the zip",
        "",
        "a workbook has a few dozen",
    ),
    (
        "sendplan.lists.limits.MAX_TEXT",
        "person-level list (.xlsx)",
        "characters in all cells using shared strings",
        "",
        "each cell gets its own copy",
    ),
    (
        "sendplan.timetable.budget.WALL_SECONDS",
        "timetable",
        "wall-clock time of every solver call together (a safety stop; the budget is "
        "CP-SAT deterministic time, budget.DETERMINISTIC_SECONDS)",
        "seconds",
        "issue 19's one timing model: a typical week needs well under a second",
    ),
    (
        "sendplan.timetable.explain.MAX_SHRINK",
        "timetable",
        "solves spent shrinking a conflict to a minimal one",
        "",
        "halving chunks: a few dozen for a core of thousands",
    ),
    (
        "sendplan.timetable.explain.MAX_TOLD",
        "timetable",
        "constraints in a conflict told in words",
        "",
        "a longer one would not help a LANO; each session has its own reason",
    ),
)


def _constant(name: str) -> Any:
    module, _, attribute = name.rpartition(".")
    return getattr(importlib.import_module(module), attribute)


def _schema_limits() -> Iterator[Limit]:
    """The case file's declared largest numbers (a list's longest length is a
    constant above: the tests check each is one)."""
    from sendplan.case import CASE_SCHEMA
    from sendplan.schema import Node, Table, TableList, Value

    def walk(node: Node, key: str, doc: str) -> Iterator[Limit]:
        if isinstance(node, TableList):
            yield from walk(node.item, key, node.doc or doc)
        elif isinstance(node, Table):
            for name, sub in node.fields.items():
                yield from walk(sub, f"{key}.{name}" if key else name, node.doc)
            if node.extra is not None:
                yield from walk(node.extra, f"{key}.*", node.doc)
        elif isinstance(node, Value) and node.maximum is not None:
            reason = (node.doc or doc).split(", e.g.")[0].split(". ")[0].split(" (")[0]
            yield Limit("case file", f"`{key}`", node.maximum, reason, "the case file's schema")

    yield from walk(CASE_SCHEMA, "", "")


def _on_site_days() -> Iterator[Limit]:
    from sendplan.rules import load_rules

    for kind in ("full", "monitoring", "revisit"):
        params = load_rules(kind).params
        if "on_site_days_max" in params:
            reason = params.get("on_site_days_max_source") or params.get(
                "on_site_days_source", "handbook para 122"
            )
            yield Limit(
                "case file",
                f"`inspection.on_site_days` ({kind})",
                params["on_site_days_max"],
                str(reason),
                f"data/rules/{kind}.toml",
            )


def limits() -> list[Limit]:
    """Every bound, constants first, then the case file's declared maxima."""
    rows = [
        Limit(what, bound, _constant(name), reason, name, unit)
        for name, what, bound, unit, reason in _CONSTANTS
    ]
    return rows + list(_on_site_days()) + list(_schema_limits())


def constant_names() -> set[str]:
    """The constants the table lists (``module.NAME``)."""
    return {name for name, *_ in _CONSTANTS}


def text(limit: Limit) -> str:
    """A limit's value as the README writes it: ``4 MB``, ``10 s``, ``1,000,000``."""
    value = limit.value
    if limit.unit == "bytes":
        for size, unit in ((1 << 30, "GB"), (1 << 20, "MB"), (1 << 10, "KB")):
            if value >= size and value % size == 0:
                return f"{value // size:,} {unit}"
        return f"{value:,} bytes"
    if limit.unit == "seconds":
        return f"{value:g} s"
    if limit.unit == "characters":
        return f"{value:,} characters"
    if isinstance(value, timedelta):
        return f"{value.days // 7} weeks" if value.days % 7 == 0 else f"{value.days} days"
    if isinstance(value, date):
        return value.isoformat()
    return f"{value:,}" if isinstance(value, int) else str(value)


def limits_table() -> str:
    """The README's limits table (Markdown)."""
    lines = ["| input | bound | limit | why | in the code |", "|---|---|---|---|---|"]
    for limit in limits():
        reason = limit.reason.rstrip(".").replace("|", "\\|")
        lines.append(
            f"| {limit.input} | {limit.bound} | {text(limit)} | {reason} | `{limit.source}` |"
        )
    return "\n".join(lines) + "\n"
