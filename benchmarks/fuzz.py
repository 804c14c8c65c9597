"""Long fuzz run: thousands of generated inputs through the commands (issues 16, 22).

The suite runs a few hundred examples of each family (tests/test_fuzz.py);
this runs as many as asked of every family (case files, saved timetables,
user templates, --previous calendars, lists holding national numbers, special
files as outputs), each command under an alarm, and prints what it found:

    python benchmarks/fuzz.py --examples 10000               # one process
    python benchmarks/fuzz.py --examples 10000 --workers 2   # split across processes
    python benchmarks/fuzz.py --examples 2000 --family "saved timetables"

``--examples`` is per family.  Each worker uses its own seed; the totals are the
sum.  A traceback (an uncaught exception), an exit code other than 0, 1 or 2, a
UPN, ULN or NHS number in any output or a command past its documented time is a
failure, and so is a command running longer than the alarm (a hang).  Exit 1 if any.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import multiprocessing
import signal
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

#: A hang: past the documented time of any command (fuzzing.COMMAND_SECONDS).
HANG_SECONDS = 40


class Hang(Exception):
    """A command ran longer than HANG_SECONDS."""


@contextlib.contextmanager
def alarm(name: str) -> Iterator[None]:
    def ring(*_: object) -> None:
        raise Hang(name)

    old = signal.signal(signal.SIGALRM, ring)
    signal.alarm(HANG_SECONDS)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def work(job: tuple[int, int, str, str]) -> dict[str, object]:
    examples, seed, log, family = job
    import os

    os.environ.setdefault("SENDPLAN_CACHE_DIR", f"/tmp/sendplan-fuzz-cache-{seed}")
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis import seed as use_seed

    from fuzzing import FAMILIES

    strategy, runner = FAMILIES[family]

    failures: Counter[str] = Counter()
    samples: dict[str, str] = {}
    counted = {"examples": 0, "slowest": 0.0}

    @use_seed(seed)
    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy())
    def one(example: object) -> None:
        started = time.monotonic()
        shown = repr(example)[:2000]
        for name, what in runner(example, guard=alarm):
            key = f"{family}: {name}: {what[:120]}"
            failures[key] += 1
            if key not in samples:  # each new kind of failure in the log as it happens
                samples[key] = shown
                with open(log, "a", encoding="utf-8") as handle:
                    handle.write(f"seed {seed}: NEW {key}\n    {json.dumps(shown[:300])}\n")
        counted["examples"] += 1
        counted["slowest"] = max(float(counted["slowest"]), time.monotonic() - started)
        if counted["examples"] % 250 == 0:
            with open(log, "a", encoding="utf-8") as handle:
                done, failed = counted["examples"], sum(failures.values())
                handle.write(f"seed {seed} {family}: {done} examples, {failed} failures\n")

    one()
    return {"counted": counted, "failures": dict(failures), "samples": samples}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--log", default="/tmp/sendplan-fuzz.log", help="progress, every 250")
    parser.add_argument("--family", action="append", help="only this family (repeatable)")
    args = parser.parse_args()
    from fuzzing import FAMILIES

    families = args.family or list(FAMILIES)
    share = -(-args.examples // args.workers)
    jobs = [(share, args.seed + n, args.log, f) for f in families for n in range(args.workers)]
    started = time.monotonic()
    if args.workers == 1:
        results = [work(job) for job in jobs]
    else:
        with multiprocessing.get_context("fork").Pool(args.workers) as pool:
            results = pool.map(work, jobs)
    failures: Counter[str] = Counter()
    samples: dict[str, str] = {}
    examples = 0
    slowest = 0.0
    for result in results:
        counted = result["counted"]
        assert isinstance(counted, dict)
        examples += int(counted["examples"])
        slowest = max(slowest, float(counted["slowest"]))
        failures.update(result["failures"])  # type: ignore[arg-type]
        samples.update(result["samples"])  # type: ignore[arg-type]
    hangs = sum(n for k, n in failures.items() if "Hang" in k)
    took = time.monotonic() - started
    print(f"{examples:,} examples of {len(families)} families in {took:,.0f} s")
    found = sum(failures.values()) - hangs
    print(f"tracebacks, bad exit codes, national numbers, slow commands: {found}")
    print(f"hangs over {HANG_SECONDS} s: {hangs}")
    print(f"slowest example (all its commands): {slowest:.1f} s")
    for key, count in failures.most_common():
        print(f"{count:6}  {key}")
        print("        " + json.dumps(samples[key][:300]))
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
