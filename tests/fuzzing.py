"""Hostile and clumsy case files, generated from the case file's own schema (issue 16).

:func:`case_texts` is a hypothesis strategy for the text of a case file: the
keys ``sendplan.case.CASE_SCHEMA`` declares, filled with plausible values and
with the values a clumsy or hostile user writes (dates in year 1 or 9999,
newlines and control characters in names, 300-character names, offsets on
times, wrong types, unknown and very long keys), then written as TOML with
mutations of the text itself (a byte-order mark, CRLF endings, deep nesting,
a cut at a random place).

:func:`run_every_command` runs every command that takes a case file on one
text, in-process with Typer's ``CliRunner``, and returns what went wrong:
an uncaught exception, an exit code other than 0, 1 or 2.  The suite runs a
few hundred examples (``tests/test_fuzz.py``); ``benchmarks/fuzz.py`` runs
10,000 and more with a time limit on each command.
"""

from __future__ import annotations

import functools
import os
import string
import tempfile
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import tomli_w
from hypothesis import strategies as st
from typer.testing import CliRunner

from sendplan.case import CASE_SCHEMA
from sendplan.schema import Table, TableList, Value

KINDS = ("full", "monitoring", "revisit", "engagement")
_NASTY_TEXT = st.sampled_from(
    [
        "",
        " ",
        "Zoë O'Brien-Smith",
        "line\nbreak",
        "carriage\rreturn",
        "tab\there",
        "nul\x00byte",
        "bell\x07",
        "\u202eright-to-left",
        "x" * 300,
        "a/b\\c:d*e?f",
        "../../etc/passwd",
        "[bold]markup[/bold]",
        "{{ 7 * 7 }}",
        '=HYPERLINK("x")',
        "\ud7ff\ue000",
        "😀" * 20,
        "C/1",
        "C-1",
    ]
)
_TEXT = st.one_of(_NASTY_TEXT, st.text(max_size=40))
_DATES = st.one_of(
    st.dates(min_value=date(2024, 1, 1), max_value=date(2027, 12, 31)),
    st.sampled_from([date(1, 1, 1), date(9999, 12, 31), date(1999, 12, 31), date(2101, 1, 1)]),
    st.dates(),
)
_TIMES = st.one_of(
    st.datetimes(min_value=datetime(2024, 1, 1), max_value=datetime(2027, 12, 31)),
    st.datetimes(min_value=datetime(2024, 1, 1), max_value=datetime(2027, 12, 31)).map(
        lambda d: d.replace(tzinfo=UTC)
    ),
    st.datetimes(),
)
_WRONG = st.one_of(
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.booleans(),
    st.floats(allow_nan=True),
    st.just([1, "a"]),
    st.just({"x": 1}),
    st.just(time(10, 0)),
    _TEXT,
)


_PLAIN_TEXT = st.one_of(
    st.text(string.ascii_letters + string.digits + " -'.,()&éëø", min_size=1, max_size=30),
    st.sampled_from(["Zoë O'Brien-Smith", "x" * 300, "C/1", "C-1", "[bold]", "{{ 7 * 7 }}"]),
)
_PLAIN_DATES = st.dates(min_value=date(2024, 1, 1), max_value=date(2027, 12, 31))
_PLAIN_TIMES = st.one_of(
    st.datetimes(min_value=datetime(2024, 1, 1), max_value=datetime(2027, 12, 31)),
    st.datetimes(min_value=datetime(2024, 1, 1), max_value=datetime(2027, 12, 31)).map(
        lambda d: d.replace(tzinfo=UTC)
    ),
)


def _value(schema: Value, hostile: bool) -> st.SearchStrategy[Any]:
    kind = schema.type
    text = _TEXT if hostile else _PLAIN_TEXT
    dates = _DATES if hostile else _PLAIN_DATES
    if schema.choices:
        good: st.SearchStrategy[Any] = st.sampled_from(schema.choices)
    elif kind == "string" and schema.pattern and not hostile:
        good = st.from_regex(schema.pattern, fullmatch=True).filter(lambda t: "\n" not in t)
    elif kind == "string":
        good = text
    elif kind == "integer":
        low = schema.minimum if schema.minimum is not None and not hostile else -5
        high = schema.maximum if schema.maximum is not None and not hostile else 30
        good = st.integers(min_value=low, max_value=high) if not hostile else st.integers()
    elif kind == "boolean":
        good = st.booleans()
    elif kind == "date":
        good = dates
    elif kind == "date_or_datetime":
        good = st.one_of(dates, _TIMES if hostile else _PLAIN_TIMES)
    elif kind == "string_list":
        good = st.lists(text, max_size=5)
    elif kind == "date_list":
        good = st.lists(dates, max_size=5)
    else:  # a type added to the schema later: still fuzz it
        good = _WRONG
    return st.one_of(good, good, good, _WRONG) if hostile else good


def _table(schema: Table, hostile: bool) -> st.SearchStrategy[dict[str, Any]]:
    fields = {name: _node(node, hostile) for name, node in schema.fields.items()}
    keys = st.sampled_from(sorted(fields)) if fields else st.nothing()
    extra_keys = st.one_of(
        st.sampled_from(["notification", "on_site_start", "draft_report_due", "x" * 5000]),
        st.text(string.ascii_lowercase + "_", min_size=1, max_size=20),
    )
    extra = _node(schema.extra, hostile) if schema.extra is not None else _WRONG
    most_extra = (2 if schema.extra is not None else 1) if hostile else 0
    if schema.extra is not None and not hostile:
        extra_keys = st.sampled_from(["draft_report_due", "on_site_start", "report_published"])
        most_extra = 2

    @st.composite
    def build(draw: st.DrawFn) -> dict[str, Any]:
        chosen = draw(st.lists(keys, max_size=len(fields), unique=True)) if fields else []
        table = {name: draw(fields[name]) for name in chosen}
        for _ in range(draw(st.integers(0, most_extra))):
            key = draw(extra_keys)
            table.setdefault(key, draw(extra))
        return table

    return build()


def _node(node: Any, hostile: bool) -> st.SearchStrategy[Any]:
    if isinstance(node, Table):
        return _table(node, hostile)
    if isinstance(node, TableList):
        return st.lists(_table(node.item, hostile), max_size=3)
    return _value(node, hostile)


_HOSTILE_CASE = _table(CASE_SCHEMA, hostile=True)
_PLAIN_CASE = _table(CASE_SCHEMA, hostile=False)


@st.composite
def case_data(draw: st.DrawFn) -> dict[str, Any]:
    """A case file as a dict: mostly a full, plausible inspection, often broken."""
    hostile = draw(st.booleans())
    data = draw(_HOSTILE_CASE if hostile else _PLAIN_CASE)
    inspection = data.get("inspection")
    if not hostile:
        # A plausible case: one kind, its own section only, dates that fit.
        data.pop("checklist", None) if draw(st.booleans()) else None
    if not isinstance(inspection, dict) or not hostile or draw(st.integers(0, 3)) > 0:
        # Keep most cases close to valid so the commands get past validation.
        inspection = dict(inspection) if isinstance(inspection, dict) else {}
        inspection["kind"] = draw(st.sampled_from(KINDS))
        inspection.setdefault("local_area", draw(_TEXT))
        start = draw(st.dates(min_value=date(2024, 1, 1), max_value=date(2027, 12, 31)))
        inspection.setdefault("on_site_start", start - timedelta(days=start.weekday()))
        data["inspection"] = inspection
        if not hostile:
            inspection.pop("notification", None)
            inspection["on_site_start"] = start - timedelta(days=start.weekday())
        for other in set(KINDS) - {inspection["kind"]}:
            if not hostile or draw(st.integers(0, 3)) > 0:
                data.pop(other, None)
    return data


def _deep(depth: int) -> str:
    return '[inspection]\nkind = "full"\nx = ' + "[" * depth + "]" * depth + "\n"


@st.composite
def case_texts(draw: st.DrawFn) -> str:
    """The text of a case file, mutated the way real files are."""
    if draw(st.integers(0, 40)) == 0:
        return draw(st.sampled_from([_deep(500), _deep(5000), "a" * 100_000 + " = 1\n", ""]))
    data = draw(case_data())
    try:
        text = tomli_w.dumps(data)
    except (TypeError, ValueError):  # a value TOML cannot hold (NaN is fine, time with tz not)
        text = tomli_w.dumps({"inspection": data.get("inspection", {})}, multiline_strings=False)
    mutation = draw(st.integers(0, 9))
    if mutation == 0:
        text = "\ufeff" + text
    elif mutation == 1:
        text = text.replace("\n", "\r\n")
    elif mutation == 2 and text:
        cut = draw(st.integers(0, len(text)))
        text = text[:cut]
    elif mutation == 3:
        text += draw(
            st.sampled_from(["\n[dates]\nx = 2025-06-05T10:00:00Z\n", "\x00", "\n[[x]]\n"])
        )
    return text


def case_commands(case: Path, work: Path) -> Iterator[tuple[str, list[str]]]:
    """Every command taking a case file, with the options that read or write files."""
    c = str(case)
    yield "validate", ["validate", c]
    yield "schedule", ["schedule", c]
    yield "schedule-json", ["schedule", c, "--format", "json"]
    yield "schedule-md", ["schedule", c, "--format", "markdown"]
    yield "checklist", ["checklist", c, "--check", "--today", "2025-05-01"]
    yield "status", ["status", c, "--today", "2025-05-14T10:00"]
    yield "calendar", ["calendar", c, "-o", "-"]
    yield "letter-list", ["letter", c, "--list"]
    yield "letter-all", ["letter", c, "--all", "--out-dir", str(work / "letters"), "--force"]
    yield "timetable", ["timetable", c, "--format", "json"]
    lists = Path(__file__).resolve().parents[1] / "examples" / "lists"
    yield "select", ["select", c, "--list1", str(lists / "list1.csv"), "--list2",
                     str(lists / "list2.csv"), "--seed", "1", "--format", "json"]  # fmt: skip
    yield "mark", ["mark", c, "1.1", "2.*", "--status", "done", "--note", "n\x07"]


def run_every_command(
    text: str, *, guard: Callable[[str], Any] | None = None
) -> list[tuple[str, str]]:
    """Run each case command on ``text``; the failures as (command, what went wrong).

    ``guard(name)`` is entered around each command (the long run uses it for a
    time limit).
    """
    import contextlib
    from unittest import mock

    import typer.testing

    runner = CliRunner()
    # Typer rebuilds the click command on every invoke: three quarters of a
    # fuzz run's time.  Build it once; what runs is the same command.
    built = mock.patch.object(typer.testing, "_get_command", _built)
    failures: list[tuple[str, str]] = []
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        case = work / "case.toml"
        case.write_bytes(text.encode("utf-8", "surrogatepass"))
        os.environ.pop("SENDPLAN_TODAY", None)
        for name, args in case_commands(case, work):
            with built, guard(name) if guard else contextlib.nullcontext():
                result = runner.invoke(app(), args)
            exception = result.exception
            if exception is not None and not isinstance(exception, SystemExit):
                failures.append((name, f"{type(exception).__name__}: {exception}"[:300]))
            elif result.exit_code not in (0, 1, 2):
                failures.append((name, f"exit {result.exit_code}"))
    return failures


def app() -> Any:
    from sendplan.cli import app as sendplan_app

    return sendplan_app


@functools.cache
def _built(typer_app: Any) -> Any:
    import typer.main

    return typer.main.get_command(typer_app)
