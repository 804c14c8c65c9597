"""Benchmark `sendplan timetable` (issue 19) over generated weeks, as a user runs it.

100 realistic weeks from tests/weeks.py (2-5 inspectors, 0-25 providers, 0-12
tracked children, 0-4 absences, bank holidays, extra meetings, deputies), a
fifth of them built from a timetable drawn first, plus 10 capacity-impossible
weeks (the lead and CQC inspectors with 18-25 providers).  For each, the whole
command in a fresh process (import, read, solve, print JSON): wall-clock time
and CPU time (the child's user + system), and, solving the same case once
in-process, the CP-SAT deterministic time it used (the same in every process).

Compile first (PYTHONDONTWRITEBYTECODE is set here), then run; to show a busy
machine, run two at once:

    python -m compileall -q src
    python benchmarks/timetable.py
    python benchmarks/timetable.py & python benchmarks/timetable.py --seed 1000; wait
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from weeks import feasible_week, random_week  # noqa: E402


def head_case(providers: int) -> str:
    """The head of examples/full-inspection.toml (2 inspectors), 6 children, providers."""
    base = (ROOT / "examples" / "full-inspection.toml").read_text(encoding="utf-8")
    lines = [base[: base.index("# Providers and services")]]
    lines.append('\n[tracking]\nselected = ["' + '", "'.join(f"SYN{n:06d}" for n in range(6)))
    lines.append('"]\n')
    for n in range(providers):
        lines.append(f'\n[[providers]]\nname = "Provider {n + 1:02d}"\ntype = "education"\n')
    return "".join(lines)


def whole_command(case: Path) -> tuple[float, float, int, str]:
    """Wall seconds, CPU seconds, exit code and stderr of one `sendplan timetable`."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    began = time.perf_counter()
    run = subprocess.run(
        [sys.executable, "-m", "sendplan", "timetable", str(case), "--format", "json"],
        capture_output=True,
        text=True,
        env={**os.environ, "NO_COLOR": "1"},
        check=False,
    )
    wall = time.perf_counter() - began
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if run.returncode not in (0, 1):
        raise SystemExit(f"sendplan timetable {case} failed:\n{run.stderr}")
    return wall, cpu, run.returncode, run.stderr


def deterministic(case: Path) -> tuple[float, int, int, int]:
    """Deterministic seconds used, sessions, unplaced and capacity shortfalls (in-process)."""
    from sendplan.case import load_case
    from sendplan.schedule import build_schedule
    from sendplan.timetable.model import build_problem
    from sendplan.timetable.solver import solve

    loaded = load_case(case)
    problem = build_problem(loaded, build_schedule(loaded))
    result = solve(problem)
    return (
        float(result.effort.get("deterministic_seconds", 0.0)),
        len(problem.sessions),
        len(result.unplaced),
        len(result.capacity),
    )


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--weeks", type=int, default=100, help="generated weeks (default 100)")
    parser.add_argument("--seed", type=int, default=0, help="first seed")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        cases: list[tuple[str, str]] = []
        for n in range(args.weeks):
            rnd = random.Random(args.seed + n)
            week = feasible_week(rnd) if n % 5 == 4 else random_week(rnd)
            cases.append(("week", week.text))
        for providers in range(18, 28):
            cases.append(("capacity-impossible", head_case(min(providers, 25))))
        for n, (kind, text) in enumerate(cases):
            case = folder / f"case{n}.toml"
            case.write_text(text, encoding="utf-8")
            wall, cpu, code, err = whole_command(case)
            det, sessions, unplaced, shortfalls = deterministic(case)
            rows.append((kind, wall, cpu, det, sessions, unplaced, shortfalls, "stopped early" in err))
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}")
    for kind in ("week", "capacity-impossible"):
        mine = [r for r in rows if r[0] == kind]
        walls, cpus, dets = [r[1] for r in mine], [r[2] for r in mine], [r[3] for r in mine]
        print(
            f"{kind}s ({len(mine)}, {min(r[4] for r in mine)}-{max(r[4] for r in mine)} "
            f"sessions; {sum(1 for r in mine if r[5])} with sessions unplaced, "
            f"{sum(1 for r in mine if r[6])} short of inspector time, "
            f"{sum(1 for r in mine if r[7])} stopped early):"
        )
        print(
            f"  whole command: p50 {statistics.median(walls):.2f} s, p95 "
            f"{percentile(walls, 95):.2f} s, max {max(walls):.2f} s"
        )
        print(
            f"  CPU time:      p50 {statistics.median(cpus):.2f} s, p95 "
            f"{percentile(cpus, 95):.2f} s, max {max(cpus):.2f} s"
        )
        print(
            f"  deterministic: p50 {statistics.median(dets):.3f}, p95 "
            f"{percentile(dets, 95):.3f}, max {max(dets):.3f} (CP-SAT seconds)"
        )


if __name__ == "__main__":
    main()
