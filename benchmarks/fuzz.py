"""Long fuzz run: thousands of generated case files through every case command (issue 16).

The suite runs a few hundred examples (tests/test_fuzz.py); this runs as many
as asked, each command under a 10-second alarm, and prints what it found:

    python benchmarks/fuzz.py --examples 10000               # one process
    python benchmarks/fuzz.py --examples 10000 --workers 2   # split across processes

Each worker uses its own seed; the totals are the sum.  A traceback (an
uncaught exception) or an exit code other than 0, 1 or 2 is a failure, and so
is a command running longer than 10 seconds (a hang).  Exit 1 if any.
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

HANG_SECONDS = 10


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


def work(job: tuple[int, int, str]) -> dict[str, object]:
    examples, seed, log = job
    import os

    os.environ.setdefault("SENDPLAN_CACHE_DIR", f"/tmp/sendplan-fuzz-cache-{seed}")
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis import seed as use_seed

    from fuzzing import case_commands, case_texts, run_every_command

    failures: Counter[str] = Counter()
    samples: dict[str, str] = {}
    counted = {"examples": 0, "commands": 0, "slowest": 0.0}

    @use_seed(seed)
    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case_texts())
    def one(text: str) -> None:
        started = time.monotonic()
        for name, what in run_every_command(text, guard=alarm):
            key = f"{name}: {what[:120]}"
            failures[key] += 1
            if key not in samples:  # each new kind of failure in the log as it happens
                samples[key] = text[:2000]
                with open(log, "a", encoding="utf-8") as handle:
                    handle.write(f"seed {seed}: NEW {key}\n    {json.dumps(text[:300])}\n")
        counted["examples"] += 1
        counted["commands"] += len(list(case_commands(Path("c"), Path("w"))))
        counted["slowest"] = max(float(counted["slowest"]), time.monotonic() - started)
        if counted["examples"] % 250 == 0:
            with open(log, "a", encoding="utf-8") as handle:
                done, failed = counted["examples"], sum(failures.values())
                handle.write(f"seed {seed}: {done} examples, {failed} failures\n")

    one()
    return {"counted": counted, "failures": dict(failures), "samples": samples}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--log", default="/tmp/sendplan-fuzz.log", help="progress, every 250")
    args = parser.parse_args()
    share = -(-args.examples // args.workers)
    jobs = [(share, args.seed + n, args.log) for n in range(args.workers)]
    started = time.monotonic()
    if args.workers == 1:
        results = [work(jobs[0])]
    else:
        with multiprocessing.get_context("fork").Pool(args.workers) as pool:
            results = pool.map(work, jobs)
    failures: Counter[str] = Counter()
    samples: dict[str, str] = {}
    examples = commands = 0
    slowest = 0.0
    for result in results:
        counted = result["counted"]
        assert isinstance(counted, dict)
        examples += int(counted["examples"])
        commands += int(counted["commands"])
        slowest = max(slowest, float(counted["slowest"]))
        failures.update(result["failures"])  # type: ignore[arg-type]
        samples.update(result["samples"])  # type: ignore[arg-type]
    hangs = sum(n for k, n in failures.items() if "Hang" in k)
    print(
        f"{examples:,} case files, {commands:,} command runs in {time.monotonic() - started:,.0f} s"
    )
    print(f"tracebacks or bad exit codes: {sum(failures.values()) - hangs}")
    print(f"hangs over {HANG_SECONDS} s: {hangs}")
    print(f"slowest case file (all its commands): {slowest:.1f} s")
    for key, count in failures.most_common():
        print(f"{count:6}  {key}")
        print("        " + json.dumps(samples[key][:300]))
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
