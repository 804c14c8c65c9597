"""`sendplan mark`: statuses land in the case file without harming it.

Comments, blank lines and key order survive; a failing change leaves the file
byte for byte as it was; concurrent marks all land.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sendplan.case import load_case
from sendplan.checklist import mark_items
from sendplan.cli import app
from sendplan.errors import CaseFileError, UsageError, WriteError

runner = CliRunner()

CASE = """\
# Exampleshire's inspection: kept by hand, with comments that must survive.

[inspection]
kind = "full"            # a full inspection
local_area = "Testshire"
on_site_start = 2025-05-12

# Children chosen for tracking (pseudonymous Unique IDs only).
[tracking]
selected = ["C014", "C027"]

[checklist.owners]
"5" = "Designated clinical officer"   # the ICB's DCO

# Already under way:
[checklist.items."1.3"]
status = "in-progress"   # draft with the DCS
note = "v2 circulated"

[dates]
# nothing recorded yet
"""

NOW = datetime(2025, 4, 28, 9, 41)


def keeps_in_order(original: list[str], text: str) -> bool:
    """Each of ``original``'s lines appears in ``text``, in the same order."""
    remaining = iter(text.splitlines())
    return all(any(line == got for got in remaining) for line in original)


def state(path: Path) -> dict[str, dict[str, object]]:
    items: dict[str, dict[str, object]] = tomllib.loads(path.read_text())["checklist"]["items"]
    return items


def test_mark_keeps_comments_blank_lines_and_order(write_case: Callable[[str], Path]) -> None:
    path = write_case(CASE)
    mark_items(path, ["1.1", "2.*"], "done", now=NOW)
    mark_items(path, ["1.3"], "done", now=NOW, note="sent to portal")
    text = path.read_text()
    # Every line the user wrote is still there, in order, except the one we changed.
    original = [line for line in CASE.splitlines() if not line.startswith("status = ")]
    original = [line for line in original if not line.startswith("note = ")]
    assert keeps_in_order(original, text)
    assert 'status = "done"   # draft with the DCS' in text
    assert 'note = "sent to portal"' in text
    # New items join the user's [checklist.items."<id>"] tables, blank line kept.
    assert text.index('[checklist.items."1.3"]') < text.index('[checklist.items."1.1"]')
    assert "updated = 2025-04-28T09:41:00\n\n[dates]\n# nothing recorded yet\n" in text
    assert "[checklist.items]\n" not in text
    got = state(path)
    assert got["1.1"] == {"status": "done", "updated": NOW.replace(second=0)}
    assert [k for k in got if k.startswith("2.")] == [f"2.{n}" for n in range(1, 9)]


def test_updated_changes_only_with_the_status(write_case: Callable[[str], Path]) -> None:
    path = write_case(CASE)
    mark_items(path, ["1.1"], "in-progress", now=NOW)
    later = datetime(2025, 4, 28, 10, 5)
    result = mark_items(path, ["1.1"], "in-progress", now=later, owner="Sam")
    assert result.changed == ()
    assert state(path)["1.1"]["updated"] == NOW
    assert state(path)["1.1"]["owner"] == "Sam"
    mark_items(path, ["1.1"], "done", now=later, owner="")
    assert state(path)["1.1"]["updated"] == later
    assert "owner" not in state(path)["1.1"]
    case = load_case(path)
    assert case.checklist.items["1.1"].status == "done"


def test_mark_under_dotted_keys(write_case: Callable[[str], Path]) -> None:
    # tomlkit would put a new [items."1.1"] table at the top level here.
    text = CASE.replace(
        '[checklist.owners]\n"5" = "Designated clinical officer"   # the ICB\'s DCO\n',
        '[checklist]\nowners = { "5" = "DCO" }\nitems."1.2".status = "done"  # dotted\n',
    )
    assert 'items."1.2".status = "done"  # dotted' in text
    path = write_case(text)
    mark_items(path, ["1.1", "1.2", "1.4"], "in-progress", now=NOW)
    got = state(path)
    assert [got[i]["status"] for i in ("1.1", "1.2", "1.4")] == ["in-progress"] * 3
    assert got["1.3"]["status"] == "in-progress" and got["1.3"]["note"] == "v2 circulated"
    assert load_case(path).checklist.owners == {"5": "DCO"}


def test_mark_per_child_patterns(write_case: Callable[[str], Path]) -> None:
    path = write_case(CASE)
    result = mark_items(path, ["7.*:C014", "7.2"], "done", now=NOW)
    assert result.ids == tuple(
        sorted({f"7.{n}:C014" for n in range(1, 8)} | {"7.2:C027"}, key=lambda i: (i[:3], i))
    )


def test_unknown_item_leaves_file_untouched_and_suggests(
    write_case: Callable[[str], Path],
) -> None:
    path = write_case(CASE)
    with pytest.raises(UsageError, match=r"no checklist item matches '2\.9' \(did you mean 2\.8"):
        mark_items(path, ["1.1", "2.9"], "done", now=NOW)
    assert path.read_text() == CASE


def test_invalid_case_file_is_never_written(write_case: Callable[[str], Path]) -> None:
    broken = CASE.replace('local_area = "Testshire"', 'local_aera = "Testshire"')
    path = write_case(broken)
    with pytest.raises(CaseFileError, match="did you mean `local_area`"):
        mark_items(path, ["1.1"], "done", now=NOW)
    assert path.read_text() == broken


def test_crash_during_write_leaves_old_file_and_no_temp_files(
    write_case: Callable[[str], Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_case(CASE)

    def crash(src: str, dst: str) -> None:
        raise OSError("disk full")

    # The rename is the commit point of the atomic write: fail exactly there.
    monkeypatch.setattr("sendplan.files.os.replace", crash)
    # Reported as sendplan's own error (exit 2, a message), not a traceback.
    with pytest.raises(WriteError, match="cannot write .*case.toml: disk full"):
        mark_items(path, ["1.1"], "done", now=NOW)
    assert path.read_text() == CASE
    leftovers = [p.name for p in path.parent.iterdir() if p.name.endswith(".tmp")]
    assert leftovers == []


def test_concurrent_marks_all_land(write_case: Callable[[str], Path]) -> None:
    path = write_case(CASE)
    items = ["1.1", "1.2", "2.1", "3.4", "4.5", "5.1", "6.2", "7.3:C027"]
    env = {**os.environ, "SENDPLAN_TODAY": "2025-04-28T09:00"}
    command = [sys.executable, "-m", "sendplan", "mark", str(path)]
    procs = [
        subprocess.Popen(
            [*command, item, "--status", "done"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for item in items
    ]
    results = [p.communicate(timeout=60) + (p.returncode,) for p in procs]
    assert [r[2] for r in results] == [0] * len(items), [r[1] for r in results]
    got = state(path)
    assert {i for i in items if got.get(i, {}).get("status") == "done"} == set(items)
    assert got["1.3"]["status"] == "in-progress"  # the user's own entry untouched
    assert keeps_in_order(CASE.splitlines(), path.read_text())


# ------------------------------------------------------------------ CLI
def test_cli_mark_and_errors(write_case: Callable[[str], Path]) -> None:
    path = write_case(CASE)
    result = runner.invoke(
        app,
        [
            "mark",
            str(path),
            "1.*",
            "--status",
            "n/a",
            "--note",
            "not asked",
            "--today",
            "2025-04-28T09:00",
        ],
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"{path}: 7 items n/a: 1.1, 1.2, 1.3,")
    assert state(path)["1.6"] == {
        "status": "n/a",
        "updated": datetime(2025, 4, 28, 9, 0),
        "note": "not asked",
    }
    before = path.read_text()
    bad_id = runner.invoke(app, ["mark", str(path), "list-3", "-s", "done"])
    assert bad_id.exit_code == 2
    assert bad_id.stderr.startswith("sendplan: no checklist item matches 'list-3' (did you mean")
    bad_status = runner.invoke(app, ["mark", str(path), "1.1", "-s", "finished"])
    assert bad_status.exit_code == 2
    assert "is not a status (one of not-started, in-progress, done, n/a)" in bad_status.stderr
    assert path.read_text() == before
