"""Hostile and clumsy case files, generated from the case file's own schema (issue 16).

:func:`case_texts` is a hypothesis strategy for the text of a case file: the
keys ``sendplan.case.CASE_SCHEMA`` declares, filled with plausible values and
with the values a clumsy or hostile user writes (dates in year 1 or 9999,
newlines and control characters in names, 300-character names, offsets on
times, wrong types, unknown and very long keys), then written as TOML with
mutations of the text itself (a byte-order mark, CRLF endings, deep nesting,
a cut at a random place).

:func:`run_every_command` runs every command that takes a case file on one
text, in-process through ``cli_harness.run_cli``, and returns what went wrong:
an uncaught exception, an exit code other than 0, 1 or 2.  The suite runs a
few hundred examples (``tests/test_fuzz.py``); ``benchmarks/fuzz.py`` runs
10,000 and more with a time limit on each command.
"""

from __future__ import annotations

import functools
import json
import os
import re
import string
import tempfile
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import tomli_w
from hypothesis import strategies as st

from cli_harness import run_cli
from sendplan.case import CASE_SCHEMA
from sendplan.rules import KINDS
from sendplan.schema import Table, TableList, Value

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

    failures: list[tuple[str, str]] = []
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        case = work / "case.toml"
        case.write_bytes(text.encode("utf-8", "surrogatepass"))
        for name, args in case_commands(case, work):
            with guard(name) if guard else contextlib.nullcontext():
                # The real clock (as ever for the fuzzers); the exception collected.
                result = run_cli(*args, today=None, catch_exceptions=True)
            exception = result.exception
            if exception is not None:
                failures.append((name, f"{type(exception).__name__}: {exception}"[:300]))
            elif result.code not in (0, 1, 2):
                failures.append((name, f"exit {result.code}"))
    return failures


# ================================================================== issue 22: more inputs
# Five more families, each a strategy and a runner returning failures as
# (command, what went wrong): saved timetables, user templates, --previous
# calendars, lists (and tracking.selected) holding national numbers, and
# special files as outputs.  Besides a traceback or a bad exit code, a failure
# is a UPN, ULN or NHS number in any output (stdout, stderr, every file
# written) or a command running past COMMAND_SECONDS.

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
TIMETABLE_CASE = EXAMPLES / "full-inspection-timetable.toml"
SAVED = EXAMPLES / "timetables" / "full-inspection-timetable.toml"
#: The documented time of one command on fuzzed input (README, "Fuzzing"): the
#: timetable's search is limited to 20 s and a letter to 10 s; nothing here solves.
COMMAND_SECONDS = 30.0

_UPN_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"


@st.composite
def child_numbers(draw: st.DrawFn) -> str:
    """A valid UPN, ULN or NHS number (the NHS one sometimes written 3-3-4)."""
    kind = draw(st.sampled_from(["UPN", "ULN", "NHS"]))
    if kind == "UPN":
        body = draw(st.text("0123456789", min_size=11, max_size=11))
        last = draw(st.sampled_from("0123456789" + _UPN_LETTERS))
        final = int(last) if last.isdigit() else _UPN_LETTERS.index(last)
        total = sum(w * int(d) for w, d in enumerate(body, start=2)) + 13 * final
        upn = _UPN_LETTERS[total % 23] + body + last
        return upn.lower() if draw(st.integers(0, 4)) == 0 else upn
    body = draw(st.text("0123456789", min_size=9, max_size=9).filter(lambda b: b[0] != "0"))
    total = sum(int(d) * (10 - i) for i, d in enumerate(body))
    if kind == "ULN":
        assume_remainder = total % 11
        digit = 10 - assume_remainder if assume_remainder else None
    else:
        check = 11 - total % 11
        digit = None if check == 10 else check % 11
    if digit is None or digit > 9:
        return "K823200115001"  # the UPN: always a valid one
    number = body + str(digit)
    if kind == "NHS" and draw(st.booleans()):
        return f"{number[:3]} {number[3:6]} {number[6:]}"
    return number


def numbers_in(text: str) -> list[str]:
    """Every UPN, ULN or NHS number in ``text`` (each word, and NHS numbers 3-3-4)."""
    from sendplan.child_ids import child_number

    words = [w for w in re.findall(r"[A-Za-z0-9]+", text) if len(w) in (10, 13)]
    spaced = re.findall(r"(?<![A-Za-z0-9])\d{3}[ -]\d{3}[ -]\d{4}(?![A-Za-z0-9])", text)
    return [w for w in words + spaced if child_number(w)]


def _outputs(work: Path, inputs: dict[Path, bytes]) -> str:
    """The text of every file written under ``work`` (inputs as given, and special
    files, left out)."""
    texts = []
    for path in sorted(work.rglob("*")):
        if path.is_symlink() or not path.is_file():
            continue
        data = path.read_bytes()
        if inputs.get(path) == data:
            continue
        if data[:2] == b"PK":  # a workbook: its parts
            from sendplan.child_ids import _workbook_texts

            texts += _workbook_texts(data)
        else:
            texts.append(data.decode("utf-8", "replace"))
    return "\n".join(texts)


class Harness:
    """Runs commands in-process in a temporary folder and collects what went wrong."""

    def __init__(self, work: Path, guard: Callable[[str], Any] | None = None) -> None:
        self.work = work
        self.guard = guard
        self.failures: list[tuple[str, str]] = []
        self.inputs: dict[Path, bytes] = {}

    def file(self, name: str, content: str | bytes) -> Path:
        path = self.work / name
        path.parent.mkdir(parents=True, exist_ok=True)
        data = content.encode("utf-8", "surrogatepass") if isinstance(content, str) else content
        path.write_bytes(data)
        self.inputs[path] = data
        return path

    def run(self, name: str, args: list[str]) -> int:
        import contextlib
        import time as clock

        # CPU time: the command runs in this process, and a busy machine lengthens
        # its wall time, not its work (the guard stops a real hang by the wall clock).
        started = clock.process_time()
        with self.guard(name) if self.guard else contextlib.nullcontext():
            result = run_cli(*args, today=None, catch_exceptions=True)
        took = clock.process_time() - started
        exception = result.exception
        if exception is not None:
            self.failures.append((name, f"{type(exception).__name__}: {exception}"[:300]))
        elif result.code not in (0, 1, 2):
            self.failures.append((name, f"exit {result.code}"))
        if took > COMMAND_SECONDS:
            self.failures.append((name, f"took {took:.1f} s, over {COMMAND_SECONDS:.0f} s"))
        found = numbers_in(result.output + _outputs(self.work, self.inputs))
        if found:
            self.failures.append((name, f"a national number in the output ({len(found)})"))
        return result.code


@functools.cache
def _example(path: Path) -> str:
    return path.read_text(encoding="utf-8")


# ------------------------------------------------------------------ saved timetables
@st.composite
def saved_timetables(draw: st.DrawFn) -> str:
    """A saved timetable: the example's, mutated, or generated from its schema."""
    from sendplan.timetable.saved import SAVED_SCHEMA

    text = _example(SAVED)
    mutation = draw(st.integers(0, 9))
    if mutation == 0:
        return draw(st.sampled_from([_deep(40), _deep(600), "", "\x00", "[[session]]\n" * 3]))
    if mutation == 1:  # a national number where a child's id goes
        number = draw(child_numbers())
        return text.replace("SYN000099", number.replace(" ", ""))
    if mutation == 2:  # sessions from the schema, plausible or hostile
        session = SAVED_SCHEMA.fields["session"]
        assert isinstance(session, TableList)
        rows = draw(st.lists(_table(session.item, hostile=draw(st.booleans())), max_size=4))
        head = {"timetable": {"local_area": "Exampleshire", "kind": "full"}}
        try:
            return tomli_w.dumps(head | {"session": rows})
        except (TypeError, ValueError):
            return tomli_w.dumps(head)
    if mutation == 3:  # a crowd: over the caps
        crowd = ", ".join(f'"p{i}"' for i in range(draw(st.integers(40, 3000))))
        return text.replace("people = [\n", f"people = [{crowd},\n", 1)
    if mutation == 4:
        return text[: draw(st.integers(0, len(text)))]
    if mutation == 5:  # another case's timetable, or times reversed
        return draw(st.sampled_from([
            text.replace('local_area = "Exampleshire"', 'local_area = "Elsewhere"'),
            text.replace('start = "08:30"', 'start = "18:30"', 1),
            text.replace('id = "team_planning_meeting"', 'id = "tracking_family:SYN000004"'),
        ]))  # fmt: skip
    if mutation == 6:
        value = draw(_TEXT)
        return text.replace("Inspection team planning meeting", value.replace('"', ""), 1)
    return text


def run_saved_timetable(
    text: str, *, guard: Callable[[str], Any] | None = None
) -> list[tuple[str, str]]:
    """``timetable --check`` and ``calendar`` on the timetable example with ``text`` saved."""
    with tempfile.TemporaryDirectory() as folder:
        h = Harness(Path(folder), guard)
        case = h.file("case.toml", _example(TIMETABLE_CASE))
        h.file("timetables/full-inspection-timetable.toml", text)
        h.run("saved-check", ["timetable", str(case), "--check", "--format", "json"])
        h.run("saved-calendar", ["calendar", str(case), "-o", str(h.work / "out.ics")])
        return h.failures


# ------------------------------------------------------------------ user templates
_FRONT = st.sampled_from([
    "", '{#-\nkinds = ["full"]\npurpose = "Mine."\n-#}\n', "{#-\nkinds = 3\n-#}\n",
    "{#-\nx = " + "[" * 40 + "]" * 40 + "\n-#}\n", "{#-\nnot toml\n-#}\n",
    '{#-\nunknown = 1\n-#}\n', '{#-\neach = "child"\n-#}\n',
])  # fmt: skip
_BODY = st.sampled_from([
    "{{ case.local_area }}", "{{ people.dcs.full }}", "{{ schedule.notification|govuk_date }}",
    "{% for c in case.tracking.selected %}{{ c }} {% endfor %}",
    "{% set ns = namespace(x=[1]) %}{% for i in range(64) %}{% set ns.x = ns.x + ns.x %}"
    "{% endfor %}{{ ns.x|length }}",
    "{% set ns = namespace(x='ab') %}{% for i in range(64) %}{% set ns.x = ns.x ~ ns.x %}"
    "{% endfor %}", "{{ 'x' * 10000000 }}", "{{ 9 ** 9 ** 9 }}", "{{ 'x'.ljust(10 ** 9) }}",
    "{{ '%999999999d' % 1 }}", "{{ '{:>999999999}'.format(1) }}", "{% include '../../etc/passwd' %}",
    "{% include 'missing.md.j2' %}", "{{ ''.__class__.__mro__ }}", "{{ nope }}", "{{ case.nope }}",
    "{% for %}", "{{ range(100001)|list|length }}", "{{ undefined_macro() }}",
    "{% macro r(n) %}{{ r(n + 1) }}{% endmacro %}{{ r(0) }}", "{{ case.local_area|replace('', 'y' * 999999) }}",
    "\x00", "{{ lipsum(1000000) }}",
])  # fmt: skip


@st.composite
def user_templates(draw: st.DrawFn) -> str:
    """A user template: front matter (or none) and fragments, plausible and hostile."""
    parts = draw(st.lists(st.one_of(_BODY, _TEXT), min_size=1, max_size=4))
    return draw(_FRONT) + "\n".join(parts) + "\n"


def run_template(text: str, *, guard: Callable[[str], Any] | None = None) -> list[tuple[str, str]]:
    """``letter CASE mine --templates DIR`` with ``text`` as ``mine.md.j2``."""
    with tempfile.TemporaryDirectory() as folder:
        h = Harness(Path(folder), guard)
        case = h.file(
            "case.toml", _example(TIMETABLE_CASE).replace('saved = "timetables/', 'saved = "none/')
        )
        h.file("mine/mine.md.j2", text)
        h.run("template", ["letter", str(case), "mine", "--templates", str(h.work / "mine")])
        return h.failures


# ------------------------------------------------------------------ --previous calendars
@functools.cache
def _export() -> bytes:
    from sendplan.case import load_case
    from sendplan.ics import calendar_ics
    from sendplan.schedule import build_schedule

    case = load_case(EXAMPLES / "full-inspection.toml")
    return calendar_ics(build_schedule(case), stamp=datetime(2025, 5, 1, tzinfo=UTC))


@st.composite
def previous_calendars(draw: st.DrawFn) -> bytes:
    """An earlier export: sendplan's own, mutated, or garbage shaped like iCalendar."""
    data = _export()
    mutation = draw(st.integers(0, 8))
    if mutation == 0:
        return data[: draw(st.integers(0, len(data)))]
    if mutation == 1:  # unterminated components, the shape, smaller
        return b"BEGIN:VCALENDAR\r\n" + b"BEGIN:VEVENT\r\n" * draw(st.integers(1, 25_000))
    if mutation == 2:
        sequence = draw(st.sampled_from([b"-1", b"99999999999999", b"x", b"2147483647", b""]))
        return data.replace(b"SEQUENCE:0", b"SEQUENCE:" + sequence, 1)
    if mutation == 3:
        return data.replace(b"DTSTART;VALUE=DATE:", b"DTSTART;VALUE=DATE:9", 1)
    if mutation == 4:
        return draw(st.binary(max_size=2000))
    if mutation == 5:  # many events, closed
        event = data[data.index(b"BEGIN:VEVENT") : data.index(b"END:VEVENT") + 12]
        head = data[: data.index(b"BEGIN:VEVENT")]
        return head + event * draw(st.integers(1, 600)) + b"END:VCALENDAR\r\n"
    if mutation == 6:
        return data.replace(b"\r\n", b"\n")
    return data


def run_previous(
    data: bytes, *, guard: Callable[[str], Any] | None = None
) -> list[tuple[str, str]]:
    """``calendar CASE -o NEW --previous OLD`` with ``data`` as OLD (and as NEW, forced)."""
    with tempfile.TemporaryDirectory() as folder:
        h = Harness(Path(folder), guard)
        case = h.file("case.toml", _example(EXAMPLES / "full-inspection.toml"))
        old = h.file("old.ics", data)
        h.run(
            "previous",
            ["calendar", str(case), "-o", str(h.work / "new.ics"), "--previous", str(old)],
        )
        replaced = h.file("replaced.ics", data)  # an output once replaced
        h.run("previous-force", ["calendar", str(case), "-o", str(replaced), "--force"])
        return h.failures


# ------------------------------------------------------------------ lists with numbers
@st.composite
def lists_with_numbers(draw: st.DrawFn) -> tuple[str, str, list[str]]:
    """The example lists with national numbers planted in cells of any column, and
    the case's ``tracking.selected`` (sometimes holding one too)."""
    import csv
    import io

    def planted(path: Path) -> str:
        rows = list(csv.reader(io.StringIO(_example(path))))
        for _ in range(draw(st.integers(0, 6))):
            row = draw(st.integers(1, len(rows) - 1))
            column = draw(st.integers(0, len(rows[0]) - 1))
            rows[row][column] = draw(child_numbers())
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows(rows)
        return out.getvalue()

    selected = draw(st.lists(st.sampled_from(["SYN000004", "SYN000002", "C1"]), max_size=3))
    if draw(st.booleans()):
        selected.insert(draw(st.integers(0, len(selected))), draw(child_numbers()))
    lists = EXAMPLES / "lists"
    return planted(lists / "list1.csv"), planted(lists / "list2.csv"), selected


def run_lists(
    example: tuple[str, str, list[str]], *, guard: Callable[[str], Any] | None = None
) -> list[tuple[str, str]]:
    """``lists check``, ``select -o`` and ``checklist -o`` on lists holding numbers."""
    list1_text, list2_text, selected = example
    with tempfile.TemporaryDirectory() as folder:
        h = Harness(Path(folder), guard)
        text = _example(EXAMPLES / "full-inspection.toml") + "\n[tracking]\nselected = "
        case = h.file("case.toml", text + json.dumps(selected) + "\n")
        list1, list2 = h.file("list1.csv", list1_text), h.file("list2.csv", list2_text)
        lists = ["--list1", str(list1), "--list2", str(list2)]
        h.run("lists-check", ["lists", "check", *lists, "--format", "json"])
        h.run("select", ["select", str(case), *lists, "--seed", "1", "--format", "csv",
                         "-o", str(h.work / "chosen.csv")])  # fmt: skip
        h.run("checklist", ["checklist", str(case), "--format", "xlsx",
                            "-o", str(h.work / "checklist.xlsx")])  # fmt: skip
        return h.failures


# ------------------------------------------------------------------ special files as outputs
OUTPUT_COMMANDS: dict[str, list[str]] = {
    "schedule": ["schedule", "{case}", "--format", "markdown", "-o", "{out}"],
    "checklist": ["checklist", "{case}", "--format", "csv", "-o", "{out}"],
    "calendar": ["calendar", "{case}", "-o", "{out}"],
    "timetable-o": ["timetable", "{case}", "--format", "markdown", "-o", "{out}"],
    "timetable-save": ["timetable", "{case}", "--save", "{out}"],
    "letter": ["letter", "{case}", "notification", "-o", "{out}"],
    "overview": ["overview", "{case}", "--today", "2025-05-01T12:00", "-o", "{out}"],
}
TARGETS = ("fifo", "device", "dangling", "file", "link", "folder", "new")


@st.composite
def special_outputs(draw: st.DrawFn) -> tuple[str, str, bool]:
    """A command writing a file, the kind of thing at its output path, and --force."""
    return (
        draw(st.sampled_from(sorted(OUTPUT_COMMANDS))),
        draw(st.sampled_from(TARGETS)),
        draw(st.booleans()),
    )


def _drain(fifo: Path) -> tuple[Any, Any]:
    """A reader thread for ``fifo`` (opened here, so the command finds a reader),
    and the event that stops it once the command has finished."""
    import threading
    import time as clock

    fd = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    stop = threading.Event()

    def read() -> None:
        deadline = clock.monotonic() + COMMAND_SECONDS
        try:
            while clock.monotonic() < deadline:
                try:
                    chunk = os.read(fd, 1 << 16)
                except BlockingIOError:  # a writer with nothing yet
                    clock.sleep(0.005)
                    continue
                if not chunk:
                    if stop.is_set():
                        break
                    clock.sleep(0.005)
        finally:
            os.close(fd)

    thread = threading.Thread(target=read, daemon=True)
    thread.start()
    return thread, stop


def run_special_output(
    example: tuple[str, str, bool], *, guard: Callable[[str], Any] | None = None
) -> list[tuple[str, str]]:
    """One command writing to a FIFO, a private device node (never the system's /dev),
    a dangling link, a file, a link or a folder; the special file must survive."""
    import stat

    command, target, force = example
    with tempfile.TemporaryDirectory() as folder:
        h = Harness(Path(folder), guard)
        h.file("case.toml", _example(TIMETABLE_CASE))
        h.file("timetables/full-inspection-timetable.toml", _example(SAVED))
        out = h.work / "out.txt"
        thread = None
        if target == "device":
            try:
                os.mknod(out, stat.S_IFCHR | 0o600, os.makedev(1, 3))  # a private /dev/null
            except (PermissionError, AttributeError):
                target = "fifo"
        if target == "fifo":
            os.mkfifo(out)
            thread = _drain(out)
        elif target == "dangling":
            out.symlink_to(h.work / "elsewhere" / "created.txt")
        elif target == "file":
            out.write_text("old\n")
        elif target == "link":
            (h.work / "real.txt").write_text("old\n")
            out.symlink_to(h.work / "real.txt")
        elif target == "folder":
            out.mkdir()
        before = os.lstat(out) if target in ("fifo", "device") else None
        args = [a.format(case=h.work / "case.toml", out=out) for a in OUTPUT_COMMANDS[command]]
        h.run(f"{command}-{target}", args + (["--force"] if force else []))
        if thread is not None:
            thread[1].set()
            thread[0].join(COMMAND_SECONDS)
        if before is not None:
            after = os.lstat(out)
            if (after.st_ino, stat.S_IFMT(after.st_mode)) != (
                before.st_ino,
                stat.S_IFMT(before.st_mode),
            ):
                h.failures.append((f"{command}-{target}", "the special file was replaced"))
        if target == "dangling" and (h.work / "elsewhere").exists():
            h.failures.append((f"{command}-{target}", "written through a dangling link"))
        return h.failures


#: Every family the fuzz test and ``benchmarks/fuzz.py`` run: (strategy, runner).
FAMILIES: dict[str, tuple[Callable[[], st.SearchStrategy[Any]], Callable[..., Any]]] = {
    "case files": (case_texts, run_every_command),
    "saved timetables": (saved_timetables, run_saved_timetable),
    "user templates": (user_templates, run_template),
    "--previous calendars": (previous_calendars, run_previous),
    "lists with national numbers": (lists_with_numbers, run_lists),
    "special files as outputs": (special_outputs, run_special_output),
}
