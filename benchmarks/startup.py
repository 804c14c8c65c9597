"""Cold-start wall time of sendplan's everyday commands, beside a bare Typer app.

Prints medians of N fresh processes (default 15) for:

* ``python -c pass`` and ``python -c "import typer"``;
* a bare one-command Typer app (the floor any Typer CLI pays);
* ``sendplan schedule examples/full-inspection.toml --format json``;
* the schedule's Rich table as a person sees it: on a terminal (a
  pseudo-terminal of 120 columns, so Rich lays the table out with colour);
* ``status``, ``checklist --check`` and ``history`` as a person runs them (on a
  terminal),

each against two anchors: the bare Typer app, and (for a table) the floor
Rich sets, a bare one-command Typer app printing a Rich table of the same size
(rows and columns) on the same terminal.  Targets (issue 24): JSON at most
1.25x the bare app; ``schedule``, ``status``, ``checklist --check`` and
``history`` on a terminal at most 1.2x their floor.  The caches (bank holidays,
rules, the inspection record) are warmed first, as on any machine after the
first run.  CPU time (user + system) is the figure to read on a shared machine:
waiting for a core does not count in it.

    python benchmarks/startup.py [--runs 15]
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "full-inspection.toml"

BARE_TYPER_APP = """
import typer

app = typer.Typer()


@app.command()
def schedule(case: str, format: str = "table") -> None:
    print(case, format)


app()
"""


#: A bare one-command Typer app printing a Rich table of ROWS rows and COLUMNS
#: columns: the floor any Typer CLI printing such a table pays.  One column
#: holds a sentence that wraps, as "What happens" and "Item" do.
RICH_TABLE_APP = """
import typer

app = typer.Typer()


@app.command()
def show(rows: int, columns: int) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(box=None)
    for column in range(columns):
        table.add_column(f"Heading {column}")
    sentence = "A sentence that says what happens, long enough to wrap in its column"
    for row in range(rows):
        table.add_row(*(sentence if c == 1 else f"cell {row}.{c}" for c in range(columns)))
    Console().print(table)


app()
"""

#: The size of each table command's table on the example (full-inspection.toml,
#: --today 2025-05-01): rows and columns, for its floor.
TABLE_SIZES = {
    "schedule": (52, 7),  # 45 events, 2 closures, 5 stage headings; 7 columns
    "status": (16, 4),  # today, next, overdue and due-today rows
    "checklist --check": (13, 6),  # 10 overdue items, 3 group headings
    "history": (6, 6),  # inspections, what comes next
}


def timed(command: list[str]) -> tuple[float, float]:
    """Wall and CPU (user + system) milliseconds of ``command``.

    A command starting ``tty`` runs on a pseudo-terminal.  CPU time is the
    steadier figure on a machine shared with other work: waiting for a core
    does not count in it.
    """
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    if command[0] == "tty":
        wall = _on_terminal_ms(command[1:])
    else:
        start = time.perf_counter()
        subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wall = (time.perf_counter() - start) * 1000
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime) * 1000
    return wall, cpu


def _on_terminal_ms(command: list[str]) -> float:
    """Run with stdout on a 120-column pseudo-terminal, reading all it prints."""
    import fcntl
    import os
    import pty
    import struct
    import termios

    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 50, 120, 0, 0))
    env = {**os.environ, "TERM": "xterm-256color"}
    env.pop("NO_COLOR", None)
    env.pop("COLUMNS", None)
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=follower, stderr=subprocess.DEVNULL, env=env)
    os.close(follower)
    while True:
        try:
            if not os.read(leader, 65536):
                break
        except OSError:  # the terminal closed: the process has finished writing
            break
    process.wait()
    elapsed = (time.perf_counter() - start) * 1000
    os.close(leader)
    return elapsed


def medians(rows: list[tuple[str, list[str]]], runs: int) -> dict[str, tuple[float, float]]:
    """Median wall and CPU time per command, the commands interleaved run by run
    so that a busy moment on the machine falls on all of them alike."""
    times: dict[str, list[tuple[float, float]]] = {label: [] for label, _ in rows}
    for _ in range(runs):
        for label, command in rows:
            times[label].append(timed(command))
    return {
        label: (statistics.median(w for w, _ in found), statistics.median(c for _, c in found))
        for label, found in times.items()
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    runs = parser.parse_args().runs
    python = sys.executable
    # An installed package has byte-code; an editable checkout under
    # PYTHONDONTWRITEBYTECODE would recompile every run and measure the compiler.
    subprocess.run([python, "-m", "compileall", "-q", str(ROOT / "src")], check=True)
    with tempfile.TemporaryDirectory() as tmp:
        bare = Path(tmp) / "bare_typer_app.py"
        bare.write_text(BARE_TYPER_APP, encoding="utf-8")
        floor_app = Path(tmp) / "rich_table_app.py"
        floor_app.write_text(RICH_TABLE_APP, encoding="utf-8")
        # The console script, as a person runs it (python -m would add runpy's import).
        script = Path(python).with_name("sendplan")
        sendplan = [str(script)] if script.exists() else [python, "-m", "sendplan"]
        schedule = [*sendplan, "schedule", str(EXAMPLE)]
        today = ["--today", "2025-05-01"]
        for warm in (["history", "Barnet"], ["schedule", str(EXAMPLE), "--format", "json"]):
            subprocess.run([*sendplan, *warm], check=True, capture_output=True)
        tables = {
            "schedule": schedule,
            "status": [*sendplan, "status", str(EXAMPLE), *today],
            "checklist --check": [*sendplan, "checklist", str(EXAMPLE), "--check", *today],
            "history": [*sendplan, "history", "Barnet", *today],
        }
        rows = [
            ("python -c pass", [python, "-c", "pass"]),
            ('python -c "import typer"', [python, "-c", "import typer"]),
            ("bare one-command Typer app", [python, str(bare), "x.toml", "--format", "json"]),
            ("sendplan schedule --format json", [*schedule, "--format", "json"]),
            ("sendplan schedule (table, piped)", schedule),
        ]
        floors: dict[str, str] = {}
        for name, command in tables.items():
            size = TABLE_SIZES[name]
            floor = f"  floor: Typer + Rich table {size[0]}x{size[1]}"
            if floor not in dict(rows):
                rows.append((floor, ["tty", python, str(floor_app), *map(str, size)]))
            label = f"sendplan {name} (terminal)"
            rows.append((label, ["tty", *command]))
            floors[label] = floor
        results = medians(rows, runs)
    wall_bare, cpu_bare = results["bare one-command Typer app"]
    print(f"cold start, median of {runs} runs ({sys.version.split()[0]})")
    print("x bare: times the bare Typer app; x floor: times a bare Typer app printing")
    print("a Rich table of the same size on the same 120-column terminal")
    print(f"  {'':40s} {'wall':>9s}  {'x bare':>6s}  {'CPU':>9s}  {'x bare':>6s}  {'x floor':>7s}")
    for label, (wall, cpu) in results.items():
        bare_wall = bare_cpu = floor_cpu = ""
        if label.startswith(("sendplan", "  floor")):
            bare_wall, bare_cpu = f"{wall / wall_bare:5.2f}x", f"{cpu / cpu_bare:5.2f}x"
        if label in floors:
            floor_cpu = f"{cpu / results[floors[label]][1]:5.2f}x"
        print(
            f"  {label:40s} {wall:6.1f} ms  {bare_wall:>6s}  {cpu:6.1f} ms  {bare_cpu:>6s}"
            f"  {floor_cpu:>7s}"
        )


if __name__ == "__main__":
    main()
