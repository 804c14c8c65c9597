"""Editing a case file in place (``sendplan mark``, ``select --save``): tomlkit
keeps the user's comments, order and line endings; the edit is validated
before it is written, atomically, under a lock."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sendplan.case.loading import parse_case
from sendplan.case.records import Case
from sendplan.errors import WriteError
from sendplan.files import (
    MAX_CASE_BYTES,
    atomic_write,
    clean_stale_temporaries,
    decode_text,
    locked,
    read_input,
    real_path,
)

if TYPE_CHECKING:
    from tomlkit import TOMLDocument


def update_case(
    path: Path, change: Callable[[TOMLDocument], Any], *, private: bool = False
) -> Case:
    """Apply ``change`` to the case file's TOML document and save it safely.

    ``change`` mutates a tomlkit document in place.  The edited text must
    still be a valid case file (else :class:`~sendplan.errors.CaseFileError`
    and nothing is written).  Returns the new, validated case.  ``private``
    (the edit adds person-level data, such as tracked children's Unique IDs)
    leaves the file readable by its owner only.

    The file is respected: a symlink's target is edited (the link stays), a
    file this user may not write is refused rather than replaced, the owner,
    group and mode are kept, and so are a byte-order mark and CRLF endings.
    """
    import tomlkit

    target = real_path(path, "case file")
    with locked(target) as info:
        # The mode bits too: root may write anything, but a file marked
        # read-only was marked so on purpose.
        if not os.access(target, os.W_OK) or not info.st_mode & 0o222:
            raise WriteError(
                f"{path} is read-only; sendplan does not replace a file it may not write "
                "(make it writable first)"
            )
        clean_stale_temporaries(target)
        raw = read_input(target, "case file", MAX_CASE_BYTES)
        bom = raw.startswith(b"\xef\xbb\xbf")
        text = decode_text(raw, Path(path), "case file")
        parse_case(text, Path(path))  # a file that does not validate is never written
        document = tomlkit.parse(text)
        change(document)
        new = tomlkit.dumps(document)
        case = parse_case(new, Path(path))
        if "\r\n" in text:
            new = re.sub(r"(?<!\r)\n", "\r\n", new)
        atomic_write(
            target,
            ("\ufeff" if bom else "") + new,
            mode=0o600 if private else info.st_mode & 0o777,
            owner=(info.st_uid, info.st_gid),
        )
    return case
