"""Safe writes: atomic replacement, no silent overwrite, locked case-file edits.

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
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sendplan.errors import OutputExists, WriteError

if TYPE_CHECKING:
    from tomlkit import TOMLDocument

    from sendplan.case import Case


def atomic_write(path: Path, text: str | bytes, mode: int | None = None) -> None:
    """Replace ``path`` with ``text`` atomically (temp file in the same folder + rename).

    ``text`` is written as UTF-8; ``bytes`` (a workbook) as they are.

    ``mode`` sets the permissions; by default an existing file keeps its own
    and a new file gets 0644 less the umask.
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
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as error:
        raise WriteError(f"cannot write {path}: {error.strerror or error}") from None
    try:
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


def write_output(
    path: Path, text: str | bytes, *, force: bool = False, private: bool = False
) -> None:
    """Write a new output file; never over an existing one without ``force``.

    ``private`` (person-level data) makes the file readable by its owner only.
    A symlink is followed: its target is written (keeping its mode) and the link stays.
    """
    path = _follow(Path(path))
    if path.exists() and not force:
        raise OutputExists([path])
    if not path.parent.exists():
        raise WriteError(f"folder {path.parent} does not exist")
    atomic_write(path, text, mode=0o600 if private else None)


def _follow(path: Path) -> Path:
    """The file a symlink ``path`` points to (even one not written yet), else ``path``."""
    try:
        link = path.is_symlink()
    except OSError:  # a name too long, say: the write reports it
        return path
    return Path(os.path.realpath(path)) if link else path


@contextlib.contextmanager
def locked(path: Path) -> Iterator[None]:
    """Hold an exclusive advisory lock on ``<path>.lock`` (POSIX ``flock``)."""
    import fcntl

    lock_path = Path(f"{path}.lock")
    try:
        lock = open(lock_path, "a+")  # noqa: SIM115 - closed by the with below
    except OSError as error:
        raise WriteError(f"cannot lock {path} for writing: {error.strerror or error}") from None
    with lock:
        fcntl.flock(lock.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock.fileno(), fcntl.LOCK_UN)


def update_case(
    path: Path, change: Callable[[TOMLDocument], Any], *, private: bool = False
) -> Case:
    """Apply ``change`` to the case file's TOML document and save it safely.

    ``change`` mutates a tomlkit document in place.  The edited text must
    still be a valid case file (else :class:`~sendplan.errors.CaseFileError`
    and nothing is written).  Returns the new, validated case.  ``private``
    (the edit adds person-level data, such as tracked children's Unique IDs)
    leaves the file readable by its owner only.
    """
    import tomlkit

    from sendplan.case import load_case, parse_case

    path = Path(path)
    with locked(path):
        load_case(path)  # a file that does not validate is never written
        document = tomlkit.parse(path.read_text(encoding="utf-8"))
        change(document)
        text = tomlkit.dumps(document)
        case = parse_case(text, path)
        atomic_write(path, text, mode=0o600 if private else None)
    return case
