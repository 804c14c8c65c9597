"""``sendplan init``'s case file: a Jinja template filled from the schema (issue 24).

The snapshots are what ``init`` wrote before its file became a template, for
every kind, without options and with all of them; a change that means to
alter the file regenerates them with
``SENDPLAN_UPDATE_SNAPSHOTS=1 python -m pytest tests/test_init_template.py``
and the diff is reviewed like code.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from cli_harness import run_cli
from sendplan.rules import KINDS

ROOT = Path(__file__).resolve().parents[1]
SNAPSHOTS = ROOT / "tests" / "snapshots" / "init"
UPDATE = os.environ.get("SENDPLAN_UPDATE_SNAPSHOTS") == "1"

#: Every option of `init`, by kind (an engagement meeting takes no inspection dates).
GIVEN: dict[str, list[str]] = {
    "engagement": ["--local-area", "Barnet"],
    **{
        kind: ["--local-area", "Barnet", "--notification", "2025-04-28"]
        for kind in KINDS
        if kind != "engagement"
    },
}
VARIANTS = {
    **{f"{kind}": ["--kind", kind] for kind in KINDS},
    **{f"{kind}-given": ["--kind", kind, *GIVEN[kind]] for kind in KINDS},
    "full-on-site-start": ["--on-site-start", "2025-05-12", "--local-area", 'St. Mary\'s "Isles"'],
}


@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_init_output_unchanged(name: str) -> None:
    result = run_cli("init", "-", *VARIANTS[name], today="2025-03-03")
    assert result.code == 0, result.output
    snapshot = SNAPSHOTS / f"{name}.toml"
    if UPDATE or not snapshot.exists():
        if not UPDATE:
            pytest.fail(f"no snapshot {snapshot}: run with SENDPLAN_UPDATE_SNAPSHOTS=1")
        snapshot.parent.mkdir(parents=True, exist_ok=True)
        snapshot.write_bytes(result.stdout.encode("utf-8"))
    assert result.stdout == snapshot.read_bytes().decode("utf-8"), (
        f"sendplan init {' '.join(VARIANTS[name])} changed; if on purpose, regenerate "
        "(see module docstring)"
    )
