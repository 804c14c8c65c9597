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

from cli_harness import run_cli
from sendplan.case import load_case
from sendplan.checklist import mark_items
from sendplan.errors import CaseFileError, UsageError, WriteError

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


def test_new_items_go_above_the_next_sections_comment(write_case: Callable[[str], Path]) -> None:
    # As in examples/full-inspection.toml: a comment block above [dates] after a
    # blank line belongs to [dates]; a comment right under a key stays with it.
    owners = '[checklist.owners]\n"5" = "DCO"\n# "6" = "Head of Inclusion"\n\n'
    above = "# Dates as they really happened.\n# Events anchored on them follow.\n[dates]\n"
    head = '[inspection]\nkind = "full"\nlocal_area = "Testshire"\non_site_start = 2025-05-12\n\n'
    path = write_case(head + owners + above + "# none yet\n")
    mark_items(path, ["1.1"], "done", now=NOW)
    mark_items(path, ["1.2"], "done", now=NOW)
    item = '[checklist.items."{}"]\nstatus = "done"\nupdated = 2025-04-28T09:41:00\n\n'
    want = head + owners + item.format("1.1") + item.format("1.2") + above + "# none yet\n"
    assert path.read_text() == want


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
    result = run_cli(
        "mark",
        str(path),
        "1.*",
        "--status",
        "n/a",
        "--note",
        "not asked",
        "--today",
        "2025-04-28T09:00",
    )
    assert result.code == 0, result.output
    assert result.stdout.startswith(f"{path}: 7 items n/a: 1.1, 1.2, 1.3,")
    assert state(path)["1.6"] == {
        "status": "n/a",
        "updated": datetime(2025, 4, 28, 9, 0),
        "note": "not asked",
    }
    before = path.read_text()
    bad_id = run_cli("mark", str(path), "list-3", "-s", "done")
    assert bad_id.code == 2
    assert bad_id.stderr.startswith("sendplan: no checklist item matches 'list-3' (did you mean")
    bad_status = run_cli("mark", str(path), "1.1", "-s", "finished")
    assert bad_status.code == 2
    assert (
        "--status 'finished' is not a status (one of: not-started, in-progress, done, n/a)"
        in bad_status.stderr
    )
    assert path.read_text() == before


# ------------------------------------------------------------------ respecting the file (issue 16)
def _mark(path: Path, *items: str) -> tuple[int, str]:
    result = run_cli("mark", str(path), *items, "--status", "done")
    return result.code, result.output


def test_mark_leaves_no_lock_file_behind_also_when_it_fails(tmp_path: Path) -> None:
    case = tmp_path / "case.toml"
    case.write_text(CASE, encoding="utf-8")
    assert _mark(case, "2.1")[0] == 0
    assert _mark(case, "99.9")[0] == 2  # no such item
    assert sorted(p.name for p in tmp_path.iterdir()) == ["case.toml"]


def test_new_item_tables_land_after_the_checklist_not_under_a_comment(tmp_path: Path) -> None:
    case = tmp_path / "case.toml"
    case.write_text(
        '[inspection]\nkind = "full"\nlocal_area = "T"\non_site_start = 2025-05-12\n\n'
        '# Progress on Annex A\n[checklist.items."1.3"]\nstatus = "in-progress"\n\n'
        "# Real dates recorded\n[dates]\n",
        encoding="utf-8",
    )
    assert _mark(case, "2.1", "2.2")[0] == 0
    text = case.read_text(encoding="utf-8")
    # The comment still sits right above its header, the new tables after 1.3.
    assert "# Real dates recorded\n[dates]\n" in text
    assert text.index('[checklist.items."1.3"]') < text.index('[checklist.items."2.1"]')
    assert text.index('[checklist.items."2.2"]') < text.index("# Real dates recorded")
    assert "\n\n\n" not in text


def test_first_item_table_after_owners_keeps_the_next_sections_comment(tmp_path: Path) -> None:
    case = tmp_path / "case.toml"
    case.write_text(
        '[inspection]\nkind = "full"\nlocal_area = "T"\non_site_start = 2025-05-12\n\n'
        '[checklist.owners]\n"5" = "DCO"\n\n# Real dates\n[dates]\n',
        encoding="utf-8",
    )
    assert _mark(case, "2.1")[0] == 0
    text = case.read_text(encoding="utf-8")
    assert "# Real dates\n[dates]\n" in text
    assert text.index("[checklist.owners]") < text.index('[checklist.items."2.1"]')


def test_mark_keeps_crlf_line_endings_and_a_byte_order_mark(tmp_path: Path) -> None:
    case = tmp_path / "case.toml"
    case.write_bytes(b"\xef\xbb\xbf" + CASE.replace("\n", "\r\n").encode())
    assert _mark(case, "2.1")[0] == 0
    raw = case.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert raw.count(b"\n") == raw.count(b"\r\n")
    assert b'[checklist.items."2.1"]' in raw


def test_mark_through_a_symlink_updates_the_real_file(tmp_path: Path) -> None:
    real = tmp_path / "real.toml"
    real.write_text(CASE, encoding="utf-8")
    link = tmp_path / "link.toml"
    link.symlink_to(real)
    assert _mark(link, "2.1")[0] == 0
    assert link.is_symlink()
    assert '"2.1"' in real.read_text(encoding="utf-8")


def test_mark_refuses_a_read_only_case_file(tmp_path: Path) -> None:
    case = tmp_path / "case.toml"
    case.write_text(CASE, encoding="utf-8")
    case.chmod(0o444)
    code, output = _mark(case, "2.1")
    assert code == 2
    assert "read-only" in output
    assert case.read_text(encoding="utf-8") == CASE


def test_mark_keeps_mode_and_owner(tmp_path: Path) -> None:
    case = tmp_path / "case.toml"
    case.write_text(CASE, encoding="utf-8")
    case.chmod(0o640)
    if os.geteuid() == 0:  # root can give the file away: it must stay given away
        os.chown(case, 12345, 23456)
    before = case.stat()
    assert _mark(case, "2.1")[0] == 0
    after = case.stat()
    assert after.st_ino != before.st_ino  # replaced atomically ...
    assert (after.st_mode & 0o777, after.st_uid, after.st_gid) == (
        0o640,
        before.st_uid,
        before.st_gid,
    )  # ... yet the same owner and mode


def test_a_temporary_file_left_by_a_crash_is_cleaned_on_the_next_mark(tmp_path: Path) -> None:
    case = tmp_path / "case.toml"
    case.write_text(CASE, encoding="utf-8")
    (tmp_path / ".case.toml.abc123.tmp").write_text("half a write", encoding="utf-8")
    assert _mark(case, "2.1")[0] == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["case.toml"]


def test_mark_refuses_a_fifo_as_case_file(tmp_path: Path) -> None:
    fifo = tmp_path / "case.toml"
    os.mkfifo(fifo)
    code, output = _mark(fifo, "2.1")
    assert code == 2
    assert "regular file" in output
