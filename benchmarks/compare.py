"""Compare one command under two source trees, interleaved: wall and CPU time.

On a shared machine wall times swing with the load; CPU time (user + system of
the process) is steadier, and interleaving the two trees run by run keeps both
under the same conditions.  Put both trees on the same file system (a copy on
a tmpfs imports faster than a checkout on disk).

    git archive main src templates | tar -x -C /tmp/before
    cp -r src templates /tmp/after
    python -m compileall -q /tmp/before/src /tmp/after/src
    python benchmarks/compare.py /tmp/before/src /tmp/after/src --runs 21 -- \\
        python -m sendplan letter examples/full-inspection.toml --all --out-dir @TMP@/out

``@TMP@`` in the command becomes a fresh empty folder for each run.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("before", help="the first tree's src folder (put on PYTHONPATH)")
    parser.add_argument("after", help="the second tree's src folder")
    parser.add_argument("--runs", type=int, default=11)
    argv = sys.argv[1:]
    if "--" not in argv:
        parser.error("give the command after --")
    split = argv.index("--")
    args, command = parser.parse_args(argv[:split]), argv[split + 1 :]
    results: dict[str, list[tuple[float, float]]] = {args.before: [], args.after: []}
    for _ in range(args.runs):
        for tree in results:
            env = dict(os.environ, PYTHONPATH=tree)
            with tempfile.TemporaryDirectory() as folder:
                run = [part.replace("@TMP@", folder) for part in command]
                start = time.perf_counter()
                process = subprocess.Popen(
                    run, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
                )
                _, status, usage = os.wait4(process.pid, 0)
                wall = time.perf_counter() - start
            if os.waitstatus_to_exitcode(status) not in (0, 1):
                raise SystemExit(f"{' '.join(run)} failed under {tree}")
            results[tree].append((wall, usage.ru_utime + usage.ru_stime))
    print(f"{'tree':<40} {'wall min':>9} {'median':>8} {'CPU min':>9} {'median':>8}")
    for tree, runs in results.items():
        walls, cpus = [r[0] for r in runs], [r[1] for r in runs]
        print(
            f"{tree:<40} {min(walls):>9.3f} {statistics.median(walls):>8.3f} "
            f"{min(cpus):>9.3f} {statistics.median(cpus):>8.3f}"
        )


if __name__ == "__main__":
    main()
