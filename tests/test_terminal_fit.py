"""Every table fits the terminal it is printed in, and nothing that identifies a row is cut.

Issue 13: on an 80-column terminal ids came out as ``SYN0000…``, owners as
``Own…``, who acts as ``Ofste…`` and the paragraph as ``hand…``.  Each
command with a table view (read from the Typer app, so a new command is held
to this too) is rendered at 80 and 120 columns, on a real pseudo-terminal and
piped with ``COLUMNS`` set; then every line must fit, no cell may end in an
ellipsis, and every identifying value of the command's JSON (ids, owners, who
acts, sources) must be there with each word whole.  Piped without
``COLUMNS``, output is as wide as its content and has no trailing spaces.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len

from cli_harness import run_cli
from example_cases import DATED
from sendplan.render.tables import Col, FitTable
from test_cli_contract import LISTS, NAMES, _run_in_terminal, formats
from test_cli_contract import ok_args as contract_args

TABLE_COMMANDS = [n for n in NAMES if "table" in formats(n)]
WIDTHS = (80, 120)

#: The JSON keys whose values identify a row in each command's table.
IDENTIFYING: dict[str, tuple[str, ...]] = {
    "schedule": ("who_labels", "source"),
    "checklist": ("id", "owner"),
    "status": ("source", "owner"),
    "select": ("id", "replaces"),
    "history": ("source",),
    "lists check": ("column",),
    "ready": ("owner", "source"),
}
#: Where a command's JSON says things its table does not show.
NOT_IN_TABLE: dict[str, tuple[str, ...]] = {
    # The inspections' sources are numbered [1], [2] and printed in full below
    # the table as running text; the table's Src column holds the number.
    "history": ("inspections",),
    # The schedule mentions the area's last inspection; the record's own sources
    # are `sendplan history`'s to print.
    "schedule": ("history", "observed"),
    # Items overdue or due today are summed up by group and owner (their owners
    # are checked there); each item's own source is for `checklist --check`.
    # Events under way and next give way to one screen, the rest counted
    # (test_status_screen checks the sources of the rows shown are whole).
    "status": ("overdue", "due_today", "today_events", "next_events"),
    # Each call's deadlines are `ready --detail`'s; the stale items are named by owner,
    # their paragraphs in the JSON.
    "ready": ("deadlines", "items"),
    # The solver's preferences and their sources are for scripts and the README
    # (issue 19); the grid shows the sessions they shaped.
    "timetable": ("preferences",),
}
DEFAULT_KEYS = ("who_labels", "owner", "source")


def ok_args(name: str, tmp_path: Path) -> list[str]:
    """The contract's arguments; ``lists check`` gets a List 1 with problems to show."""
    args = contract_args(name, tmp_path)
    if name == "lists check":
        good = (LISTS / "list1.csv").read_text(encoding="utf-8").splitlines()
        head, rows = good[0], good[1:]
        # A date that does not exist and a duplicated row: an error and more.
        rows[0] = rows[0].replace("/10/2013", "/02/2013").replace("21/", "31/", 1)
        (tmp_path / "list1.csv").write_text("\n".join([head, *rows, rows[1]]) + "\n")
        args[args.index("--list1") + 1] = str(tmp_path / "list1.csv")
    return args


def identifying_values(data: Any, keys: tuple[str, ...], skip: tuple[str, ...]) -> set[str]:
    out: set[str] = set()
    if isinstance(data, dict):
        for key, value in data.items():
            if key in skip:
                continue
            if key in keys:
                values = value if isinstance(value, list) else [value]
                out |= {v for v in values if isinstance(v, str) and v}
            else:
                out |= identifying_values(value, keys, skip)
    elif isinstance(data, list):
        for value in data:
            out |= identifying_values(value, keys, skip)
    return out


def tokens(text: str) -> set[str]:
    """Every word of ``text``, with and without the punctuation that joins cells."""
    words = set(text.split())
    return words | {w.strip(",;()[]") for w in words}


def check_fits(
    name: str, text: str, width: int, tmp_path: Path, args: list[str] | None = None
) -> None:
    lines = text.splitlines()
    too_wide = [line for line in lines if cell_len(line) > width]
    assert not too_wide, f"`sendplan {name}` at {width} columns: {too_wide[:3]}"
    assert "…" not in text, f"`sendplan {name}` cut a cell at {width} columns"
    args = args or ok_args(name, tmp_path)
    data = json.loads(run_cli(*args, "--format", "json").stdout)
    keys = IDENTIFYING.get(name, DEFAULT_KEYS)
    found = tokens(text)
    for value in identifying_values(data, keys, NOT_IN_TABLE.get(name, ())):
        missing = [w for w in value.split() if w.strip(",;()") not in found]
        assert not missing, f"`sendplan {name}` at {width} columns cut {value!r}: {missing}"


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", TABLE_COMMANDS)
def test_every_table_fits_when_piped_with_columns(name: str, width: int, tmp_path: Path) -> None:
    result = run_cli(*ok_args(name, tmp_path), env={"COLUMNS": str(width)})
    assert result.code in (0, 1), result.output
    check_fits(name, result.stdout, width, tmp_path)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", TABLE_COMMANDS)
def test_every_table_fits_the_terminal(name: str, width: int, tmp_path: Path) -> None:
    env = {"NO_COLOR": "1", "TERM": "xterm-256color", "COLUMNS": str(width)}
    # The tables on stdout; stderr's warnings are running text the terminal wraps,
    # and a long solve's progress bar redraws itself there (tests/test_progress.py).
    code, output = _run_in_terminal(ok_args(name, tmp_path), env, tmp_path, stderr=False)
    assert code in (0, 1), output[-2000:]
    text = output.decode("utf-8").replace("\r\n", "\n")
    check_fits(name, text, width, tmp_path)


def test_the_checks_can_fail() -> None:
    """A too-narrow table and a cut id are caught (the checks above are not empty)."""
    with pytest.raises(AssertionError, match="cut a cell"):
        check_fits("select", "SYN0000… 1 (EHC plan)", 80, Path())
    with pytest.raises(AssertionError, match="at 80 columns"):
        check_fits("select", "x" * 81, 80, Path())


@pytest.mark.parametrize("name", TABLE_COMMANDS)
def test_piped_output_is_plain_unpadded_and_as_wide_as_its_content(
    name: str, tmp_path: Path
) -> None:
    result = run_cli(*ok_args(name, tmp_path), env={"COLUMNS": None})
    assert result.code in (0, 1), result.output
    lines = result.stdout.splitlines()
    assert not [line for line in lines if line != line.rstrip()], "trailing spaces"
    if name == "schedule":
        # The longest title is on one line: not wrapped to a fixed 120 columns.
        assert max(cell_len(line) for line in lines) > 120
        assert re.search(
            r"Inspection notified: Ofsted contacts the DCS, the CQC the ICB", result.stdout
        )


# ------------------------------------------------------------------ the helper itself
def render(table: FitTable, width: int, terminal: bool) -> str:
    import io

    from rich.console import Console

    buffer = io.StringIO()
    console = Console(
        file=buffer, width=width, force_terminal=terminal, color_system=None, highlight=False
    )
    console.print(table)
    return buffer.getvalue()


@pytest.mark.parametrize("terminal", [False, True])
@pytest.mark.parametrize("width", [50, 60, 80, 120])
def test_columns_are_dropped_before_an_id_is_cut(width: int, terminal: bool) -> None:
    table = FitTable(
        [
            Col("Unique ID", key=True, wrap=False),
            Col("Title", ratio=3, min_width=12),
            Col("Weekday", wrap=False, drop=2),
            Col("Notes", ratio=1, drop=1),
            Col("Owner", key=True, ratio=1),
        ]
    )
    table.add_row("SYN0000000042", "A long title " * 4, "Wednesday", "some notes", "Practitioners")
    text = render(table, width, terminal)
    assert "SYN0000000042" in text and "Practitioners" in text
    assert all(cell_len(line) <= width for line in text.splitlines())
    # 50 columns hold the id, the title and the owner only; 80 hold everything.
    assert ("Wednesday" in text) == (width >= 80)
    if terminal:
        assert max(cell_len(line) for line in text.splitlines()) == width  # fills the terminal


def test_a_window_breaks_at_to_only_when_short_of_width() -> None:
    table = FitTable([Col("On site", wrap=False, break_at=" to "), Col("What", ratio=1)])
    table.add_row("9 Mar 2020 to 12 Mar 2020", "Re-visit " * 6)
    assert "9 Mar 2020 to 12 Mar 2020" in render(table, 120, False)
    narrow = render(table, 40, False)
    assert "9 Mar 2020 to" in narrow and "12 Mar 2020" in narrow
    assert "9 Mar 2020 to 12" not in narrow


def test_a_file_gets_what_a_pipe_gets(tmp_path: Path) -> None:
    """``-o FILE`` writes the plain text a pipe gets: unpadded, as wide as its content."""
    case = ok_args("schedule", tmp_path)[1]
    piped = run_cli("schedule", case, env={"COLUMNS": None}).stdout
    written = tmp_path / "plan.txt"
    assert run_cli("schedule", case, "-o", str(written), env={"COLUMNS": None}).code == 0
    assert written.read_text(encoding="utf-8") == piped
    narrow = tmp_path / "narrow.txt"
    assert run_cli("schedule", case, "-o", str(narrow), env={"COLUMNS": "80"}).code == 0
    assert max(cell_len(line) for line in narrow.read_text(encoding="utf-8").splitlines()) <= 80


words = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-", min_size=1, max_size=14)
cells = st.lists(words, min_size=1, max_size=8).map(" ".join)


@settings(max_examples=60, deadline=None)
@given(
    spec=st.lists(
        st.tuples(st.booleans(), st.booleans(), st.integers(0, 3), st.integers(0, 4)),
        min_size=1,
        max_size=6,
    ),
    data=st.data(),
    terminal=st.booleans(),
)
def test_any_table_fits_when_its_identifiers_can(
    spec: list[tuple[bool, bool, int, int]], data: st.DataObject, terminal: bool
) -> None:
    """Property: at any width the identifying columns can have, every line fits and
    every identifying word is printed whole; only droppable columns are dropped."""
    columns = [
        Col(f"C{n}", key=key, wrap=wrap, drop=0 if key else drop, ratio=ratio)
        for n, (key, wrap, drop, ratio) in enumerate(spec)
    ]
    rows = data.draw(st.lists(st.lists(cells, min_size=len(spec), max_size=len(spec)), max_size=5))
    table = FitTable(columns)
    for row in rows:
        table.add_row(*row)
    undroppable = [i for i, c in enumerate(columns) if c.key or not c.drop]
    least = sum(table.narrowest(i) for i in undroppable) + table.overhead(len(undroppable))
    width = data.draw(st.integers(least, max(least, 160)))
    text = render(table, width, terminal)
    assert all(cell_len(line) <= width for line in text.splitlines())
    found = set(text.split())
    for row in rows:
        for column, cell in zip(columns, row, strict=True):
            if column.key:
                assert all(word in found for word in cell.split()), (cell, text)


EXAMPLES = DATED  # schedule and status need dates (issue 23)


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
@pytest.mark.parametrize("name", ["schedule", "checklist", "status"])
def test_every_kind_fits_80_columns(name: str, example: Path, tmp_path: Path) -> None:
    """Each kind has its own columns (no day numbers for some) and its own titles."""
    args = [name, str(example), *(["--today", "2025-06-02"] if name != "schedule" else [])]
    result = run_cli(*args, env={"COLUMNS": "80"})
    assert result.code == 0, result.output
    check_fits(name, result.stdout, 80, tmp_path, args)
