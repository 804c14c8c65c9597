"""Writing output files: through a symlink, the real file is written and the link stays."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from cli_harness import run_cli
from sendplan.errors import OutputExists
from sendplan.files import write_output

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "full-inspection.toml"


def linked(tmp_path: Path, mode: int = 0o640) -> tuple[Path, Path]:
    """A real file ``real/out.md`` (old text, ``mode``) and ``out.md`` linking to it."""
    (tmp_path / "real").mkdir()
    real = tmp_path / "real" / "out.md"
    real.write_text("old\n", encoding="utf-8")
    real.chmod(mode)
    link = tmp_path / "out.md"
    link.symlink_to(Path("real") / "out.md")
    return real, link


def test_a_symlink_is_followed_and_the_real_file_keeps_its_mode(tmp_path: Path) -> None:
    real, link = linked(tmp_path)
    with pytest.raises(OutputExists):  # the target exists: --force is still needed
        write_output(link, "new\n")
    assert real.read_text() == "old\n"
    write_output(link, "new\n", force=True)
    assert link.is_symlink() and link.readlink() == Path("real") / "out.md"
    assert real.read_text() == "new\n"
    assert real.stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in (tmp_path / "real").iterdir()) == ["out.md"]  # no temp file


def test_private_output_through_a_symlink_is_owner_only(tmp_path: Path) -> None:
    real, link = linked(tmp_path, 0o644)
    write_output(link, "Unique IDs\n", force=True, private=True)
    assert link.is_symlink()
    assert real.read_text() == "Unique IDs\n"
    assert real.stat().st_mode & 0o777 == 0o600


def test_a_dangling_link_is_refused_and_with_force_replaced_itself(tmp_path: Path) -> None:
    """Issue 22: written through, a dangling link would create its target wherever it
    points; without --force it is refused, with it the link itself is replaced."""
    (tmp_path / "real").mkdir()
    link = tmp_path / "out.md"
    link.symlink_to(tmp_path / "real" / "out.md")
    with pytest.raises(OutputExists):
        write_output(link, "new\n")
    write_output(link, "new\n", force=True)
    assert not link.is_symlink() and link.read_text() == "new\n"
    assert not (tmp_path / "real" / "out.md").exists()


def test_cli_output_through_a_symlink(tmp_path: Path) -> None:
    real, link = linked(tmp_path)
    args = ["schedule", str(EXAMPLE), "--format", "markdown", "-o", str(link)]
    refused = run_cli(*args)
    assert refused.code == 2 and real.read_text() == "old\n"
    result = run_cli(*args, "--force")
    assert result.code == 0, result.output
    assert link.is_symlink()
    assert real.read_text().startswith("# Full area SEND inspection: Exampleshire")
    assert real.stat().st_mode & 0o777 == 0o640


@pytest.mark.skipif(os.geteuid() != 0, reason="giving a file to another user needs root")
def test_force_keeps_the_owner_of_the_file_it_replaces(tmp_path: Path) -> None:
    # "Nothing lost": an output replaced with --force keeps its owner and group.
    out = tmp_path / "out.md"
    out.write_text("old\n", encoding="utf-8")
    os.chown(out, 1234, 5678)
    write_output(out, "new\n", force=True)
    assert (out.stat().st_uid, out.stat().st_gid) == (1234, 5678)
    assert out.read_text() == "new\n"


def test_editing_a_case_file_that_is_not_utf8_names_the_line(tmp_path: Path) -> None:
    from sendplan.case.editing import update_case
    from sendplan.errors import InputError

    path = tmp_path / "case.toml"
    raw = b'[inspection]\nkind = "full"\nlocal_area = "Test\xffshire"\n'
    path.write_bytes(raw)
    with pytest.raises(InputError, match=r"case\.toml:3: not UTF-8 text; save the case file as"):
        update_case(path, lambda document: None)
    assert path.read_bytes() == raw


def test_an_edit_removes_its_own_stale_temporaries_even_with_glob_characters(
    tmp_path: Path,
) -> None:
    from sendplan.case.editing import update_case

    path = tmp_path / "case[1].toml"
    path.write_text(
        '[inspection]\nkind = "full"\nlocal_area = "Testshire"\non_site_start = 2025-05-12\n',
        encoding="utf-8",
    )
    mine = tmp_path / ".case[1].toml.abc123.tmp"  # left by an interrupted edit
    other = tmp_path / ".case1.toml.abc123.tmp"  # another file's: "[1]" is not a pattern
    mine.write_text("half", encoding="utf-8")
    other.write_text("half", encoding="utf-8")
    update_case(path, lambda document: None)
    assert not mine.exists()
    assert other.exists()
