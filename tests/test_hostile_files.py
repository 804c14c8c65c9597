"""Files and devices (issue 22): ``--force`` never renames over a device or FIFO, a
dangling link is refused, stdout on a full device is one line and exit 2.

Device nodes are made in a temporary folder (``os.mknod``, root only), never
the system's ``/dev``; a FIFO needs no privilege.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from cli_harness import run_cli
from sendplan import files
from sendplan.errors import OutputExists, WriteError
from sendplan.files import output_target, windows_device, write_output

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "full-inspection.toml"
TIMETABLE = ROOT / "examples" / "full-inspection-timetable.toml"


def private_null(folder: Path) -> Path:
    """A character device like /dev/null (major 1, minor 3), in ``folder``."""
    node = folder / "null"
    try:
        os.mknod(node, stat.S_IFCHR | 0o600, os.makedev(1, 3))
    except (PermissionError, AttributeError):
        pytest.skip("making a device node needs root")
    return node


def reader(fifo: Path) -> tuple[threading.Thread, list[bytes]]:
    """A thread reading ``fifo`` until a writer has come and gone (as `cat FIFO` would).

    The FIFO is opened for reading here, before the command runs, so the command
    finds a reader; reads return nothing until a writer arrives.
    """
    import time

    fd = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    got: list[bytes] = []

    def read() -> None:
        chunks: list[bytes] = []
        deadline = time.monotonic() + 30
        try:
            while time.monotonic() < deadline:
                try:
                    chunk = os.read(fd, 1 << 16)
                except BlockingIOError:  # a writer is there, with nothing yet
                    time.sleep(0.01)
                    continue
                if chunk:
                    chunks.append(chunk)
                elif chunks:  # the writer closed
                    break
                else:
                    time.sleep(0.01)
        finally:
            os.close(fd)
            got.append(b"".join(chunks))

    thread = threading.Thread(target=read, daemon=True)
    thread.start()
    return thread, got


# ------------------------------------------------------------------ devices and FIFOs
@pytest.mark.parametrize("force", [False, True])
def test_a_device_is_written_by_opening_never_replaced(tmp_path: Path, force: bool) -> None:
    node = private_null(tmp_path)
    before = os.lstat(node)
    args = ["schedule", str(EXAMPLE), "--format", "markdown", "-o", str(node)]
    result = run_cli(*args, *(["--force"] if force else []))
    assert result.code == 0, result.output
    after = os.lstat(node)
    assert stat.S_ISCHR(after.st_mode) and after.st_ino == before.st_ino
    assert sorted(p.name for p in tmp_path.iterdir()) == ["null"]  # no temporary left


@pytest.mark.parametrize("option", ["-o", "--save"])
def test_a_fifo_is_written_by_opening_never_replaced(tmp_path: Path, option: str) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    thread, got = reader(fifo)
    args = ["timetable", str(TIMETABLE), option, str(fifo), "--force"]
    if option == "-o":
        args += ["--format", "markdown"]
    result = run_cli(*args)
    thread.join(10)
    assert result.code == 0, result.output
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert got and b"Inspection team planning meeting" in got[0]


def test_a_fifo_nobody_reads_is_a_message_not_a_hang(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    result = run_cli("schedule", str(EXAMPLE), "-o", str(fifo), "--force")
    assert result.code == 2
    assert "FIFO that no program is reading" in result.stderr
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_other_special_files_are_refused(tmp_path: Path) -> None:
    import socket

    path = tmp_path / "sock"
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(path))
        with pytest.raises(WriteError, match="special file"):
            write_output(path, "x", force=True)
    finally:
        server.close()
    assert stat.S_ISSOCK(os.lstat(path).st_mode)
    with pytest.raises(WriteError, match="is a folder"):
        write_output(tmp_path, "x", force=True)


def test_a_symlink_to_a_device_writes_the_device(tmp_path: Path) -> None:
    node = private_null(tmp_path)
    link = tmp_path / "out.md"
    link.symlink_to(node)
    write_output(link, "text\n", force=True)
    assert link.is_symlink() and stat.S_ISCHR(os.lstat(node).st_mode)


@pytest.mark.parametrize(
    "name", ["NUL", "nul.txt", "CON", "com1.ics", "LPT9", "AUX.md", "CONIN$", "NUL .txt"]
)
def test_windows_device_names(name: str) -> None:
    assert windows_device(Path(name))


@pytest.mark.parametrize("name", ["null", "console.txt", "com10", "nul_report.md", "lpt.txt"])
def test_ordinary_names_are_not_windows_devices(name: str) -> None:
    assert not windows_device(Path(name))


def test_on_windows_a_device_name_is_opened_never_replaced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(files, "WINDOWS", True)
    assert output_target(tmp_path / "NUL.md", force=True).stream
    assert not output_target(tmp_path / "report.md", force=True).stream


# ------------------------------------------------------------------ dangling links
@pytest.mark.parametrize("option", ["-o", "--save"])
def test_a_dangling_link_is_refused_without_force(tmp_path: Path, option: str) -> None:
    (tmp_path / "elsewhere").mkdir()
    target = tmp_path / "elsewhere" / "created.md"
    link = tmp_path / "out.md"
    link.symlink_to(target)
    args = ["timetable", str(TIMETABLE), option, str(link)]
    result = run_cli(*args)
    assert result.code == 2 and "already exists" in result.stderr
    assert not target.exists() and link.is_symlink()
    result = run_cli(*args, "--force")
    assert result.code == 0, result.output
    assert not target.exists()  # the link itself was replaced, not written through
    assert not link.is_symlink() and link.stat().st_size > 0


def test_a_looping_link_is_refused_without_force(tmp_path: Path) -> None:
    link = tmp_path / "loop"
    link.symlink_to(link)
    with pytest.raises(OutputExists):
        write_output(link, "x")


def test_letter_all_refuses_a_dangling_link_before_writing_any(tmp_path: Path) -> None:
    out = tmp_path / "letters"
    out.mkdir()
    (out / "notification.md").symlink_to(tmp_path / "nowhere" / "n.md")
    result = run_cli("letter", str(EXAMPLE), "--all", "--out-dir", str(out))
    assert result.code == 2
    assert [p.name for p in out.iterdir()] == ["notification.md"]


# ------------------------------------------------------------------ stdout
def _sendplan() -> list[str]:
    found = shutil.which("sendplan", path=str(Path(sys.executable).parent))
    return [found] if found else [sys.executable, "-m", "sendplan"]


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize(
    "args",
    [
        ["schedule", str(EXAMPLE)],  # large: fails while writing
        ["validate", str(EXAMPLE)],  # one line: fails at the final flush
    ],
)
def test_stdout_on_a_full_device_is_one_line_and_exit_2(args: list[str]) -> None:
    with open("/dev/full", "wb") as full:
        done = subprocess.run(
            [*_sendplan(), *args], stdout=full, stderr=subprocess.PIPE, timeout=60
        )
    err = done.stderr.decode()
    assert done.returncode == 2, err
    assert err.count("\n") == 1 and "cannot write to stdout" in err
    assert "Traceback" not in err


def test_a_closed_pipe_is_one_line_and_exit_2() -> None:
    done = subprocess.Popen(
        [*_sendplan(), "schema"], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert done.stdout is not None and done.stderr is not None
    done.stdout.close()
    code = done.wait(60)
    err = done.stderr.read().decode()
    assert code == 2 and err.count("\n") == 1 and "cannot write to stdout" in err
