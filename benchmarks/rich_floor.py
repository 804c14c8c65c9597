"""Where a Rich table command's start-up goes, in one process (CPU time).

Prints the median over N fresh processes (default 11) of the CPU each step
takes: importing Typer, reading the case and building the schedule (what
``--format json`` also pays), importing Rich's console and table, building
the schedule's renderable, and laying it out and rendering it as on a
120-column colour terminal.  The sum of the first two plus Python's own
start is the JSON command; the Rich steps are the floor a Rich table adds.

    python -m compileall -q src && python benchmarks/rich_floor.py [--runs 11]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

STEPS = """
import io, json, sys, time
t0 = time.process_time()
import typer
t1 = time.process_time()
from sendplan.case import load_case
from sendplan.schedule import build_schedule
plan = build_schedule(load_case(sys.argv[1]))
t2 = time.process_time()
import rich.console, rich.table
t3 = time.process_time()
from sendplan.render.schedule import schedule_renderable
renderable = schedule_renderable(plan)
t4 = time.process_time()
console = rich.console.Console(
    file=io.StringIO(), width=120, force_terminal=True, color_system="truecolor",
    highlight=False, markup=False, emoji=False, soft_wrap=False,
)
console.print(renderable)
t5 = time.process_time()
print(json.dumps([t1 - t0, t2 - t1, t3 - t2, t4 - t3, t5 - t4]))
"""

LABELS = (
    "import typer",
    "read the case, build the schedule",
    "import rich.console and rich.table",
    "build the schedule's renderable",
    "lay out and render 120 columns, colour",
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=11)
    args = parser.parse_args()
    case = str(ROOT / "examples" / "full-inspection.toml")
    samples = [
        json.loads(
            subprocess.run(
                [sys.executable, "-c", STEPS, case], check=True, capture_output=True, text=True
            ).stdout
        )
        for _ in range(args.runs)
    ]
    print(f"CPU per step, median of {args.runs} processes")
    for index, label in enumerate(LABELS):
        median = statistics.median(s[index] for s in samples) * 1000
        print(f"  {label:42s} {median:6.1f} ms")


if __name__ == "__main__":
    main()
