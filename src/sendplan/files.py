"""Safe reads and writes: size caps, atomic replacement, no silent overwrite, locked edits.

Every file sendplan reads from the user goes through :func:`read_input`: only
regular files (never a FIFO, a device such as ``/dev/zero`` or a folder), and
never more than a size cap, so a hostile path cannot hang or exhaust memory.

Every file sendplan writes goes through here:

* :func:`write_output` writes a new output file (letter, calendar, CSV):
  refuses to replace an existing file unless ``force``; ``private`` files
  (anything holding person-level data, or naming one of ``children``, the
  tracked children's ids: :func:`sendplan.child_ids.holds_child_id`) are
  created owner-only (0600).  A character device or FIFO (``/dev/null``, a
  named pipe; ``NUL`` on Windows) is written by opening it, as a shell's ``>``
  does: never replaced by a rename.  Other special files are refused.  A
  symlink is followed to its file; a dangling one is refused without
  ``force`` and replaced itself with it (:func:`output_target`).
* :func:`update_case` edits a case file in place with tomlkit, which keeps the
  user's comments, blank lines and key order.  The edit runs under an
  exclusive lock (``<case>.lock``), the result is validated before anything is
  written, and the new text replaces the old by rename, so a crash leaves the
  old file intact and two concurrent edits both land.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from sendplan.errors import InputError, OutputExists, WriteError
from sendplan.namedtuples import NamedTuple

#: Size caps for files read from the user (generous: real files are far smaller).
MAX_CASE_BYTES = 4 << 20  # a case file: the full example is 6 KB
MAX_TEMPLATE_BYTES = 1 << 20  # a letter template: the longest shipped is 4 KB
MAX_LIST_BYTES = 256 << 20  # a person-level list: 200,000 rows of .xlsx are 15 MB


#: Opening a file to read: never blocking on a FIFO (POSIX), bytes as they are
#: (Windows would otherwise turn CRLF into LF and stop at Ctrl-Z), not inherited.
READ_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_BINARY", 0)
    | getattr(os, "O_CLOEXEC", 0)
)


def read_input(path: Path, what: str, limit: int) -> bytes:
    """The bytes of a regular file no bigger than ``limit``, else :class:`InputError`.

    ``what`` names the file in messages ("case file", "template").  The file is
    opened without blocking and checked with ``fstat`` on the open descriptor,
    so a FIFO or device is refused before a byte is read and a file swapped
    after the check is still the one checked.
    """
    path = Path(path)
    try:
        fd = os.open(path, READ_FLAGS)
    except FileNotFoundError:
        raise InputError(f"{path}: no such {what}") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a folder, not {_a(what)}") from None
    except OSError as error:
        raise InputError(f"{path}: cannot read ({error.strerror or error})") from None
    try:
        _refuse(path, os.fstat(fd), what, limit)
        chunks = []
        size = 0
        while chunk := os.read(fd, 1 << 20):
            size += len(chunk)
            if size > limit:  # it grew while being read
                raise InputError(f"{path}: {_a(what)} may be at most {_size(limit)}")
            chunks.append(chunk)
        return b"".join(chunks)
    except OSError as error:
        raise InputError(f"{path}: cannot read ({error.strerror or error})") from None
    finally:
        os.close(fd)


def check_input(path: Path, what: str, limit: int) -> None:
    """Refuse what :func:`read_input` would refuse, without reading (for other readers)."""
    path = Path(path)
    try:
        info = path.stat()
    except FileNotFoundError:
        raise InputError(f"{path}: no such {what}") from None
    except OSError as error:
        raise InputError(f"{path}: cannot read ({error.strerror or error})") from None
    _refuse(path, info, what, limit)


def _refuse(path: Path, info: os.stat_result, what: str, limit: int) -> None:
    """Refuse anything but a regular file of at most ``limit`` bytes."""
    if not stat.S_ISREG(info.st_mode):
        kind = "a folder" if stat.S_ISDIR(info.st_mode) else "not a regular file"
        raise InputError(f"{path}: {kind}; {_a(what)} must be a regular file")
    if info.st_size > limit:
        raise InputError(f"{path}: {_a(what)} may be at most {_size(limit)} (this is larger)")


def read_text_input(path: Path, what: str, limit: int) -> str:
    """:func:`read_input` decoded as UTF-8 (a byte-order mark is dropped)."""
    return decode_text(read_input(path, what, limit), path, what)


def decode_text(raw: bytes, path: Path, what: str) -> str:
    """``raw`` as UTF-8 text (a byte-order mark is dropped), else :class:`InputError`
    naming the line."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise InputError(f"{path}:{line}: not UTF-8 text; save the {what} as UTF-8") from None


def _a(what: str) -> str:
    return f"{'an' if what[:1] in 'aeiou' else 'a'} {what}"


def _size(limit: int) -> str:
    return f"{limit >> 20} MB" if limit >= 1 << 20 else f"{limit >> 10} KB"


def atomic_write(
    path: Path, text: str | bytes, mode: int | None = None, owner: tuple[int, int] | None = None
) -> None:
    """Replace ``path`` with ``text`` atomically (temp file in the same folder + rename).

    ``text`` is written as UTF-8; ``bytes`` (a workbook) as they are.

    ``mode`` sets the permissions; by default an existing file keeps its own
    and a new file gets 0644 less the umask.  ``owner`` (uid, gid) is kept
    when replacing a file; if it cannot be (the file belongs to someone else)
    nothing is written.
    """
    path = Path(path)
    if mode is None:
        try:
            mode = path.stat().st_mode & 0o777
        except FileNotFoundError:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
    try:
        import tempfile  # only when writing a file: not for stdout (start-up)

        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as error:
        raise WriteError(f"cannot write {path}: {error.strerror or error}") from None
    try:
        # Windows has no owner ids to keep (nor os.fchown): an ACL stays with the folder.
        if owner is not None and hasattr(os, "fchown") and owner != (os.geteuid(), os.getegid()):
            try:
                os.fchown(fd, *owner)
            except PermissionError:
                raise WriteError(
                    f"{path} belongs to another user or group; sendplan would replace it "
                    "with a file of yours, so it leaves it unchanged"
                ) from None
        if hasattr(os, "fchmod"):
            os.fchmod(fd, mode)
        else:  # Windows: chmod sets only the read-only flag
            os.chmod(tmp, mode)
        data = text if isinstance(text, bytes) else text.encode("utf-8")
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        replace(tmp, path)
    except BaseException as error:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        if isinstance(error, OSError):
            raise WriteError(f"cannot write {path}: {error.strerror or error}") from None
        raise


#: Tries to replace a file: on Windows a file another program has open (Excel, an
#: editor, a sync client or virus scanner) cannot be replaced until it lets go.
REPLACE_TRIES = 10 if os.name == "nt" else 1
REPLACE_PAUSE = 0.25  # seconds between tries: 10 tries wait at most 2.25 s


def replace(source: str | Path, path: Path) -> None:
    """``os.replace(source, path)``, tried :data:`REPLACE_TRIES` times while the
    system refuses because the file is in use, then a :class:`WriteError` that says so."""
    import time

    for attempt in range(1, REPLACE_TRIES + 1):
        try:
            os.replace(source, path)
            return
        except PermissionError as error:
            if REPLACE_TRIES == 1:
                raise
            if attempt == REPLACE_TRIES:
                raise WriteError(
                    f"cannot replace {path}: another program has it open (Excel, an editor, "
                    "a sync client) or it is read-only; close it and run sendplan again "
                    f"({error.strerror or error})"
                ) from None
            time.sleep(REPLACE_PAUSE)


def exists(path: Path) -> bool:
    """``path.exists()``, with a name too long or a folder not searchable a :class:`WriteError`."""
    try:
        return Path(path).exists()
    except OSError as error:  # ENAMETOOLONG, EACCES: not "does not exist"
        raise WriteError(f"cannot use {path}: {error.strerror or error}") from None


def write_output(
    path: Path,
    text: str | bytes,
    *,
    force: bool = False,
    private: bool = False,
    children: Iterable[str] = (),
) -> None:
    """Write a new output file; never over an existing one without ``force``.

    ``private`` (person-level data), or text naming one of ``children`` (the
    tracked children's pseudonymous ids), makes the file readable by its owner
    only: the one rule of README "Children's data".  A symlink is followed:
    its target is written (keeping its mode) and the link stays.  A file
    replaced with ``force`` keeps its owner and group, or is left unchanged.
    A character device or FIFO is written by opening it (:func:`output_target`).
    """
    from sendplan.child_ids import holds_child_id

    target = output_target(Path(path), force)
    data = text if isinstance(text, bytes) else text.encode("utf-8")
    if target.stream:
        _write_stream(target.path, data)
        return
    private = private or holds_child_id(text, children)
    atomic_write(target.path, data, mode=0o600 if private else None, owner=_owner(target.path))


class Target(NamedTuple):
    """Where an output goes: ``path`` (a symlink followed), replaced by rename, or
    written as a ``stream`` (a character device, a FIFO: opened, never replaced)."""

    path: Path
    stream: bool = False


#: Names Windows reserves for devices in every folder, whatever the extension (NUL.txt).
WINDOWS_DEVICES = frozenset(
    ["CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"]
    + [f"{port}{n}" for port in ("COM", "LPT") for n in "123456789\u00b9\u00b2\u00b3"]
)
#: Whether paths are Windows paths (a test may set it to check the device names).
WINDOWS = os.name == "nt"


def windows_device(path: Path) -> bool:
    """Whether ``path`` names a Windows device (``NUL``, ``con.txt``, ``COM1``)."""
    return path.name.split(".")[0].rstrip(" ").upper() in WINDOWS_DEVICES


def output_target(path: Path, force: bool) -> Target:
    """Where writing ``path`` goes, checked: :class:`OutputExists` for a file (or a
    dangling symlink) without ``force``, :class:`WriteError` for a folder, a block
    device, a socket or a missing folder.  Nothing is written."""
    if WINDOWS and windows_device(path):
        return Target(path, stream=True)
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        if not exists(path.parent):
            raise WriteError(f"folder {path.parent} does not exist") from None
        return Target(path)
    except OSError as error:  # ENAMETOOLONG, EACCES: not "does not exist"
        raise WriteError(f"cannot use {path}: {error.strerror or error}") from None
    if stat.S_ISLNK(info.st_mode):
        try:
            real = Path(os.path.realpath(path, strict=True))
            info = os.stat(real)
        except (OSError, RuntimeError):  # dangling, or a loop
            # Written through, the link would create its target wherever it points.
            if not force:
                raise OutputExists([path]) from None
            return Target(path)  # with --force the link itself is replaced
        path = real
    mode = info.st_mode
    if stat.S_ISCHR(mode) or stat.S_ISFIFO(mode):
        return Target(path, stream=True)
    if stat.S_ISDIR(mode):
        raise WriteError(f"{path} is a folder; give a file name")
    if not stat.S_ISREG(mode):
        raise WriteError(
            f"{path} is a special file (a block device or socket); sendplan writes regular "
            "files, and character devices and FIFOs by opening them"
        )
    if not force:
        raise OutputExists([path])
    return Target(path)


def check_outputs(paths: Iterable[Path], force: bool) -> None:
    """:func:`output_target` for each of a batch before any is written: every file
    that exists named at once."""
    existing: list[Path] = []
    for path in paths:
        try:
            output_target(Path(path), force)
        except OutputExists as error:
            existing += [Path(p) for p in error.paths]
    if existing:
        raise OutputExists(existing)


def _write_stream(path: Path, data: bytes) -> None:
    """Write to a character device or FIFO by opening it (no create, no rename)."""
    flags = os.O_WRONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(path, flags | getattr(os, "O_CLOEXEC", 0))
    except OSError as error:
        if error.errno == errno.ENXIO:  # a FIFO nobody reads: opening would block
            raise WriteError(f"{path} is a FIFO that no program is reading") from None
        raise WriteError(f"cannot write {path}: {error.strerror or error}") from None
    try:
        if not WINDOWS:
            info = os.fstat(fd)
            if not (stat.S_ISCHR(info.st_mode) or stat.S_ISFIFO(info.st_mode)):
                raise WriteError(f"{path} changed while sendplan wrote it; nothing was written")
            os.set_blocking(fd, True)
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    except OSError as error:
        raise WriteError(f"cannot write {path}: {error.strerror or error}") from None
    finally:
        os.close(fd)


def _owner(path: Path) -> tuple[int, int] | None:
    """The (uid, gid) of an existing file, kept when ``--force`` replaces it."""
    try:
        info = path.stat()
    except OSError:
        return None
    return (info.st_uid, info.st_gid)


def is_regular_file(path: Path) -> bool:
    """Whether ``path`` (a symlink followed) is an existing regular file."""
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except (OSError, ValueError):
        return False


#: How long an edit waits for another sendplan editing the same case file.
LOCK_WAIT_SECONDS = 60.0


def lock_path(path: Path) -> Path:
    """The lock file beside the case file ``path`` (``.case.toml.lock``), there only
    while an edit holds it."""
    return path.with_name(f".{path.name}.lock")


@contextlib.contextmanager
def locked(path: Path) -> Iterator[os.stat_result]:
    """Hold an exclusive lock on editing the case file ``path``; yields its ``stat``
    as it is under the lock.

    The lock is a file beside it (:func:`lock_path`) taken with filelock, which
    works on every system: ``flock`` on Linux and macOS, ``LockFileEx`` on
    Windows, and where neither exists a lock file created exclusively.  The
    lock file is removed before the lock is released, also when the edit
    fails (a crash leaves it to the next edit, which removes it); a waiter
    that wakes holding a removed lock file takes the new one instead
    (filelock checks the link count), so two edits never both hold it.
    """
    import filelock

    lock_type, removes_itself = _lock_type()
    lock_file = lock_path(path)
    options: dict[str, object] = {"timeout": LOCK_WAIT_SECONDS}
    if lock_type is filelock.UnixFileLock:
        # The soft fallback's marker must not be unlinked while held; without
        # flock (a file system that lacks it) the lock is an error, not a race.
        options["fallback_to_soft"] = False
    lock = lock_type(str(lock_file), **options)
    try:
        lock.acquire()
    except filelock.Timeout:
        raise WriteError(
            f"{path} is being edited by another sendplan (the lock {lock_file.name} is held); "
            "try again when it has finished"
        ) from None
    except OSError as error:
        raise WriteError(f"cannot lock {path}: {error.strerror or error}") from None
    try:
        try:
            yield os.stat(path)
        except FileNotFoundError:
            raise InputError(f"{path}: no such file") from None
    finally:
        if not removes_itself:
            with contextlib.suppress(OSError):
                os.unlink(lock_file)  # while held: see the docstring
        lock.release()


def _lock_type() -> tuple[type[Any], bool]:
    """The lock for this system and whether releasing it removes its file.

    Decided by what imports, not by the platform's name, so the tests run the
    path Windows takes (no ``fcntl``) on Linux too.
    """
    import filelock

    try:
        import fcntl  # noqa: F401  (only whether it exists)
    except ImportError:
        if sys.platform == "win32":  # pragma: no cover (CI runs Linux)
            return filelock.WindowsFileLock, True
        return filelock.SoftFileLock, True
    return filelock.UnixFileLock, False


def real_path(path: Path, what: str = "file") -> Path:
    """The file a path names, every symlink followed: edits go to the real file."""
    try:
        return Path(path).resolve(strict=True)
    except FileNotFoundError:
        raise InputError(f"{path}: no such {what}") from None
    except (OSError, RuntimeError) as error:  # a symlink loop
        raise InputError(f"{path}: cannot follow the link ({error})") from None


def clean_stale_temporaries(path: Path) -> None:
    """Remove temporary files an interrupted edit of ``path`` left (call under its lock)."""
    import glob

    for stale in path.parent.glob(f".{glob.escape(path.name)}.*.tmp"):
        with contextlib.suppress(OSError):
            stale.unlink()
