"""Shared fixtures: a private bank-holiday cache, case files (the CLI runner: cli_harness)."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import settings

# Speed is measured in benchmarks/, not by a per-example deadline: on a shared
# 2-core machine (CI's, or this one under load) a first example that fills a cache
# can take longer than hypothesis's default 200 ms and fail a correct test.
settings.register_profile("sendplan", deadline=None)
settings.load_profile("sendplan")

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"


@pytest.fixture(autouse=True, scope="session")
def _private_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    # Keep the user's ~/.cache out of the tests (and the tests out of it).
    os.environ["SENDPLAN_CACHE_DIR"] = str(tmp_path_factory.mktemp("cache"))
    # A developer's own SENDPLAN_TODAY would move every date-dependent answer.
    os.environ.pop("SENDPLAN_TODAY", None)
    # This machine is shared: the timetable's wall-clock safety stop must not fire in
    # the tests, whose answers are deterministic (the budget is deterministic time).
    os.environ["SENDPLAN_TIMETABLE_WALL_SECONDS"] = "120"
    # Nor a terminal's size: pytest-xdist's workers are started with COLUMNS=80
    # and LINES=24, which narrow every table the tests read as piped output.
    os.environ.pop("COLUMNS", None)
    os.environ.pop("LINES", None)


@pytest.fixture
def write_case(tmp_path: Path) -> Callable[[str], Path]:
    """Write TOML text to a case file in a temporary folder; return its path."""

    def write(text: str, name: str = "case.toml") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write
