"""The one timing model of ``sendplan timetable`` (issue 19).

Every CP-SAT call of one command (placing, placing as much as possible, the
conflict explanation, a re-plan) draws on one :class:`Budget`:

* **deterministic time** (:data:`DETERMINISTIC_SECONDS`): CP-SAT's own measure
  of work, the same on a busy machine as on a quiet one, so the same case gives
  the same timetable everywhere.  Each call is bounded by
  ``max_deterministic_time`` (its share, never more than what is left);
* **a wall-clock safety stop** (:data:`WALL_SECONDS` for all calls together):
  only for a machine so loaded that the deterministic budget would take too
  long.  When it fires the timetable says "stopped early: the result may differ
  from a quiet machine".

Calibrated on the 2-core machine this was written on, with a second benchmark
running beside it (``benchmarks/timetable.py``, README "Timetable timing"):
the deterministic budget of a typical week is spent in about a second of CPU.
Work outside CP-SAT (reading the case, the capacity check, the Python
placement that seeds and backs up the solver) is linear in the input.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, field

#: CP-SAT deterministic seconds for every solver call of one command, together.
DETERMINISTIC_SECONDS = 0.6
#: Wall-clock seconds for every solver call of one command: a safety stop only.
WALL_SECONDS = 4.0

STOPPED_EARLY = "stopped early: the result may differ from a quiet machine"


@dataclass
class Budget:
    """What is left of the command's solver time; each call takes its share."""

    deterministic: float = DETERMINISTIC_SECONDS
    wall: float = WALL_SECONDS
    began: float = field(default_factory=time.perf_counter)
    used: float = 0.0
    stopped_early: bool = False
    calls: int = 0

    def left(self) -> float:
        return max(0.0, self.deterministic - self.used)

    def wall_left(self) -> float:
        return max(0.0, self.wall - (time.perf_counter() - self.began))

    def share(self, cap: float) -> tuple[float, float]:
        """(deterministic, wall) limits for one call: at most ``cap`` of what is left."""
        return min(cap, self.left()), self.wall_left()

    def spent(self, deterministic: float, hit_wall: bool) -> None:
        self.used += deterministic
        self.calls += 1
        self.stopped_early = self.stopped_early or hit_wall


#: The environment variable that widens the wall-clock safety stop (seconds), for CI
#: on a machine so overloaded that the stop would fire; read by the CLI only.
WALL_ENV = "SENDPLAN_TIMETABLE_WALL_SECONDS"


def budget_from(environ: Mapping[str, str]) -> Budget:
    """The command's budget: the defaults, the safety stop widened by :data:`WALL_ENV`."""
    from sendplan.errors import UsageError

    text = environ.get(WALL_ENV)
    if not text:
        return Budget()
    try:
        wall = float(text)
    except ValueError:
        wall = -1.0
    if not 0 < wall <= 3600:
        raise UsageError(f"{WALL_ENV}={text!r}: give seconds, more than 0 and at most 3600")
    return Budget(wall=wall)
