"""How long `sendplan ready` takes on 52 weeks (issue 23: under 0.5 s).

Prints medians of N runs (default 9) of:

* the core, in process: ``build_readiness`` on ``examples/readiness.toml`` for
  52 weeks, with and without the national estimate (the record read first,
  as ``ready`` does), after one warm-up run;
* the whole command in a fresh process, as a person runs it:
  ``sendplan ready examples/readiness.toml --weeks 52 --format json``,
  wall and CPU (user + system) time, the caches warmed first.

CPU time is the steadier figure on a machine shared with other work.  Compile
first (this machine sets PYTHONDONTWRITEBYTECODE, developers' guide):

    python -m compileall -q src && python benchmarks/readiness.py [--runs 9]
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "readiness.toml"
TODAY = date(2026, 1, 5)
TARGET_S = 0.5


def core(runs: int, national: bool) -> list[float]:
    """Seconds of ``build_readiness`` on 52 weeks (the case loaded once)."""
    from sendplan.case import load_case
    from sendplan.history import load_record
    from sendplan.readiness import build_readiness

    case = load_case(EXAMPLE)
    build_readiness(case, TODAY, 52, record=load_record() if national else None)  # warm-up
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        record = load_record() if national else None
        build_readiness(case, TODAY, 52, record=record)
        out.append(time.perf_counter() - start)
    return out


def command(runs: int) -> tuple[list[float], list[float]]:
    """Wall and CPU seconds of the whole command in fresh processes."""
    args = [
        sys.executable,
        "-m",
        "sendplan",
        "ready",
        str(EXAMPLE),
        "--weeks",
        "52",
        "--today",
        TODAY.isoformat(),
        "--format",
        "json",
    ]
    subprocess.run(args, check=True, capture_output=True)  # warm the caches
    walls, cpus = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(args, check=True, capture_output=True)
        walls.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime))
    return walls, cpus


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=9)
    runs = parser.parse_args().runs
    sys.path.insert(0, str(ROOT / "src"))
    rows = [
        ("core, 52 weeks", statistics.median(core(runs, national=False))),
        ("core, 52 weeks + national estimate", statistics.median(core(runs, national=True))),
    ]
    walls, cpus = command(runs)
    rows += [
        ("`sendplan ready --weeks 52 --format json`, wall", statistics.median(walls)),
        ("`sendplan ready --weeks 52 --format json`, CPU", statistics.median(cpus)),
    ]
    width = max(len(name) for name, _ in rows)
    print(f"median of {runs} runs; target under {TARGET_S} s")
    for name, seconds in rows:
        mark = "ok" if seconds < TARGET_S else "OVER"
        print(f"{name:<{width}}  {seconds * 1000:7.1f} ms  {mark}")


if __name__ == "__main__":
    main()
