"""Benchmark `sendplan timetable` (issue 12): a realistic week and a large one.

* realistic: examples/full-inspection-timetable.toml (6 tracked children, 10
  providers, 4 sampling topics, 4 inspectors, about 30 people, unavailability,
  3 extra meetings: 46 sessions);
* large: a generated case of about 200 sessions (8 inspectors, 36 children,
  72 providers, 10 topics, 30 extra meetings).

For each: the whole command in a fresh process (as a user runs it: import,
read, solve, print JSON), the solve alone in-process, and a re-plan after one
new unavailability (`--from`).  Run on a quiet machine; compile first
(PYTHONDONTWRITEBYTECODE is set here):

    python -m compileall -q src && python benchmarks/timetable.py
    python benchmarks/timetable.py --repeat 5
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REALISTIC = ROOT / "examples" / "full-inspection-timetable.toml"


def large_case(folder: Path) -> Path:
    """A case with about 200 sessions: the realistic one, about four times over."""
    base = (ROOT / "examples" / "full-inspection.toml").read_text(encoding="utf-8")
    base = base[: base.index("# Providers and services")]
    lines = [base]
    for n in range(6):
        lines.append(
            f'\n[[people.other]]\nname = "Inspector {n + 3}"\nrole = "Team inspector"\n'
            'organisation = "Ofsted"\n'
        )
    for n in range(30):
        lines.append(f'\n[[people.other]]\nname = "Officer {n + 1}"\nrole = "Officer"\n')
    children = ", ".join(f'"SYN{n:06d}"' for n in range(36))
    lines.append(f"\n[tracking]\nselected = [{children}]\n")
    for n in range(72):
        lines.append(f'\n[[providers]]\nname = "Provider {n + 1:02d}"\ntype = "education"\n')
    topics = ", ".join(f'"Topic {n + 1}"' for n in range(10))
    inspectors = ", ".join(f'"Inspector {n + 3}"' for n in range(6))
    lines.append(
        f'\n[timetable]\nday_start = "08:30"\nday_end = "17:30"\ninspectors = [{inspectors}]\n'
        f"sampling_topics = [{topics}]\n"
    )
    lines.append("\n[timetable.lengths]\nsampling_visit = 90\ntracking_practitioners = 60\n")
    for n in range(30):
        lines.append(
            f'\n[[timetable.sessions]]\ntitle = "Meeting {n + 1} with officers"\n'
            f'people = ["Officer {n + 1}", "Officer {(n + 7) % 30 + 1}"]\n'
        )
    lines.append(
        '\n[[timetable.unavailable]]\nwho = "Officer 3"\ndate = 2025-05-13\n'
        '\n[[timetable.unavailable]]\nwho = "Inspector 4"\ndate = 2025-05-14\nfrom = "08:30"\n'
        'to = "12:00"\n'
    )
    path = folder / "large.toml"
    path.write_text("".join(lines), encoding="utf-8")
    return path


def cli(*args: str) -> tuple[float, str]:
    began = time.perf_counter()
    run = subprocess.run(
        [sys.executable, "-m", "sendplan", "timetable", *args, "--format", "json"],
        capture_output=True,
        text=True,
        env={**os.environ, "NO_COLOR": "1"},
        check=False,
    )
    seconds = time.perf_counter() - began
    if run.returncode != 0:
        raise SystemExit(f"sendplan timetable {' '.join(args)} failed:\n{run.stderr}")
    return seconds, run.stdout


def in_process(case_file: Path, repeat: int) -> tuple[int, list[float]]:
    from sendplan.case import load_case
    from sendplan.schedule import build_schedule
    from sendplan.timetable.model import build_problem
    from sendplan.timetable.solver import solve

    case = load_case(case_file)
    problem = build_problem(case, build_schedule(case))
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        result = solve(problem)
        times.append(time.perf_counter() - began)
        assert result.complete, result.conflict
    return len(problem.sessions), times


def replan(case_file: Path, folder: Path, who: str, day: str) -> tuple[float, int]:
    saved = folder / f"{case_file.stem}.saved.toml"
    cli(str(case_file), "--save", str(saved), "--force")
    changed = folder / f"{case_file.stem}.changed.toml"
    changed.write_text(
        case_file.read_text(encoding="utf-8")
        + f'\n[[timetable.unavailable]]\nwho = "{who}"\ndate = {day}\nfrom = "08:30"\n'
        'to = "12:00"\n',
        encoding="utf-8",
    )
    seconds, out = cli(str(changed), "--from", str(saved))
    return seconds, len(json.loads(out)["moved"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="solves per case (median shown)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        large = large_case(folder)
        cases = [
            ("realistic week", REALISTIC, "Robin Clarke", "2025-05-13"),
            ("large (about 200 sessions)", large, "lead_inspector", "2025-05-13"),
        ]
        # The realistic case's saved timetable is beside it; work on a copy.
        copy = folder / REALISTIC.name
        copy.write_text(
            REALISTIC.read_text(encoding="utf-8").replace(
                'saved = "timetables/', 'saved = "timetables-copy/'
            ),
            encoding="utf-8",
        )
        cases[0] = ("realistic week", copy, "Robin Clarke", "2025-05-13")
        print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores")
        for label, path, who, day in cases:
            sessions, times = in_process(path, args.repeat)
            whole = min(cli(str(path))[0] for _ in range(args.repeat))
            again, moved = replan(path, folder, who, day)
            print(
                f"{label}: {sessions} sessions; solve {statistics.median(times):.2f} s "
                f"(median of {args.repeat}); whole command {whole:.2f} s (best of "
                f"{args.repeat}); re-plan after one new unavailability {again:.2f} s, "
                f"{moved} session(s) moved"
            )


if __name__ == "__main__":
    main()
