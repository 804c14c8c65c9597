"""Safe reads and writes: size caps, atomic replacement, no silent overwrite, locked edits.

Every file sendplan reads from the user goes through :func:`read_input`: only
regular files (never a FIFO, a device such as ``/dev/zero`` or a folder), and
never more than a size cap, so a hostile path cannot hang or exhaust memory.

Every file sendplan writes goes through here:

* :func:`write_output` writes a new output file (letter, calendar, CSV):
  refuses to replace an existing file unless ``force``; ``private`` files
  (anything holding person-level data) are created owner-only (0600).
* :func:`update_case` edits a case file in place with tomlkit, which keeps the
  user's comments, blank lines and key order.  The edit runs under an
  exclusive lock (``<case>.lock``), the result is validated before anything is
  written, and the new text replaces the old by rename, so a crash leaves the
  old file intact and two concurrent edits both land.
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Iterator
from pathlib import Path

from sendplan.errors import InputError, OutputExists, WriteError

#: Size caps for files read from the user (generous: real files are far smaller).
MAX_CASE_BYTES = 4 << 20  # a case file: the full example is 6 KB
MAX_TEMPLATE_BYTES = 1 << 20  # a letter template: the longest shipped is 4 KB
MAX_LIST_BYTES = 256 << 20  # a person-level list: 200,000 rows of .xlsx are 15 MB


def read_input(path: Path, what: str, limit: int) -> bytes:
    """The bytes of a regular file no bigger than ``limit``, else :class:`InputError`.

    ``what`` names the file in messages ("case file", "template").  The file is
    opened without blocking and checked with ``fstat`` on the open descriptor,
    so a FIFO or device is refused before a byte is read and a file swapped
    after the check is still the one checked.
    """
    path = Path(path)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
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
        if owner is not None and owner != (os.geteuid(), os.getegid()):
            try:
                os.fchown(fd, *owner)
            except PermissionError:
                raise WriteError(
                    f"{path} belongs to another user or group; sendplan would replace it "
                    "with a file of yours, so it leaves it unchanged"
                ) from None
        os.fchmod(fd, mode)
        data = text if isinstance(text, bytes) else text.encode("utf-8")
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException as error:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        if isinstance(error, OSError):
            raise WriteError(f"cannot write {path}: {error.strerror or error}") from None
        raise


def exists(path: Path) -> bool:
    """``path.exists()``, with a name too long or a folder not searchable a :class:`WriteError`."""
    try:
        return Path(path).exists()
    except OSError as error:  # ENAMETOOLONG, EACCES: not "does not exist"
        raise WriteError(f"cannot use {path}: {error.strerror or error}") from None


def write_output(
    path: Path, text: str | bytes, *, force: bool = False, private: bool = False
) -> None:
    """Write a new output file; never over an existing one without ``force``.

    ``private`` (person-level data) makes the file readable by its owner only.
    A symlink is followed: its target is written (keeping its mode) and the link stays.
    A file replaced with ``force`` keeps its owner and group, or is left unchanged.
    """
    path = _follow(Path(path))
    if exists(path) and not force:
        raise OutputExists([path])
    if not exists(path.parent):
        raise WriteError(f"folder {path.parent} does not exist")
    atomic_write(path, text, mode=0o600 if private else None, owner=_owner(path))


def _owner(path: Path) -> tuple[int, int] | None:
    """The (uid, gid) of an existing file, kept when ``--force`` replaces it."""
    try:
        info = path.stat()
    except OSError:
        return None
    return (info.st_uid, info.st_gid)


def _follow(path: Path) -> Path:
    """The file a symlink ``path`` points to (even one not written yet), else ``path``."""
    try:
        link = path.is_symlink()
    except OSError:  # a name too long, say: the write reports it
        return path
    return Path(os.path.realpath(path)) if link else path


@contextlib.contextmanager
def locked(path: Path) -> Iterator[int]:
    """Hold an exclusive advisory lock (POSIX ``flock``) on the file ``path`` itself.

    Yields the open descriptor.  The lock is on the file, not on a ``.lock``
    file beside it, so nothing is left behind; since a write replaces the file
    by rename, a waiter that wakes to find the path now names a newer file
    locks that one instead.
    """
    import fcntl

    while True:
        try:
            fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
        except FileNotFoundError:
            raise InputError(f"{path}: no such file") from None
        except OSError as error:
            raise WriteError(f"cannot lock {path}: {error.strerror or error}") from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            try:
                current = os.stat(path)
            except FileNotFoundError:
                current = None
            held = os.fstat(fd)
            if current is not None and (current.st_ino, current.st_dev) == (
                held.st_ino,
                held.st_dev,
            ):
                yield fd
                return
        finally:
            os.close(fd)  # closing releases the lock


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
