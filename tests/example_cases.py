"""The example case files, and which of them date their inspection.

A case without dates is valid (issue 23: `examples/readiness.toml`, the weeks
before the call); the commands that need dates refuse it in one line, which
tests/test_readiness.py checks.  Tests of those commands run on :data:`DATED`.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "examples").glob("*.toml"))


def dated(path: Path) -> bool:
    """Whether the case gives notification, on-site start or a meeting date."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    inspection = data.get("inspection", {})
    given = {"notification", "on_site_start"} & (set(inspection) | set(data.get("dates", {})))
    return bool(given) or inspection.get("kind") == "engagement"


DATED = [p for p in EXAMPLES if dated(p)]
UNDATED = [p for p in EXAMPLES if not dated(p)]
