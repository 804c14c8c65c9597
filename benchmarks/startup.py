"""Cold-start wall time of `sendplan schedule`, beside Python and a bare Typer app.

Prints medians of N fresh processes (default 15) for:

* ``python -c pass`` and ``python -c "import typer"``;
* a bare one-command Typer app (the floor any Typer CLI pays);
* ``sendplan schedule examples/full-inspection.toml --format json`` and the
  Rich table, with their ratio to the bare Typer app.

Targets (issue 2): JSON within 1.2x and the table within 1.5x of the bare app.
The bank-holiday cache is warmed first, as on any machine after the first run.

    python benchmarks/startup.py [--runs 15]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "full-inspection.toml"

BARE_TYPER_APP = '''
import typer

app = typer.Typer()


@app.command()
def schedule(case: str, format: str = "table") -> None:
    print(case, format)


app()
'''


def wall_ms(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return (time.perf_counter() - start) * 1000


def medians(rows: list[tuple[str, list[str]]], runs: int) -> dict[str, float]:
    """Median wall time per command, the commands interleaved run by run so that
    a busy moment on the machine falls on all of them alike."""
    times: dict[str, list[float]] = {label: [] for label, _ in rows}
    for _ in range(runs):
        for label, command in rows:
            times[label].append(wall_ms(command))
    return {label: statistics.median(found) for label, found in times.items()}


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
        sendplan = [python, "-m", "sendplan", "schedule", str(EXAMPLE)]
        subprocess.run(sendplan + ["--format", "json"], check=True, capture_output=True)  # warm
        rows = [
            ("python -c pass", [python, "-c", "pass"]),
            ('python -c "import typer"', [python, "-c", "import typer"]),
            ("bare one-command Typer app", [python, str(bare), "x.toml", "--format", "json"]),
            ("sendplan schedule --format json", sendplan + ["--format", "json"]),
            ("sendplan schedule (Rich table)", sendplan),
        ]
        results = medians(rows, runs)
    floor = results["bare one-command Typer app"]
    print(f"cold start, median of {runs} runs ({sys.version.split()[0]})")
    for label, ms in results.items():
        ratio = f"{ms / floor:5.2f}x bare Typer" if label.startswith("sendplan") else ""
        print(f"  {label:34s} {ms:7.1f} ms  {ratio}")


if __name__ == "__main__":
    main()
