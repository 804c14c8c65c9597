"""Editing a case file in place (``sendplan mark``, ``select --save``): tomlkit
keeps the user's comments, order and line endings; the edit is validated
before it is written, atomically, under a lock.

The one module that edits TOML with tomlkit (new data files, such as saved
timetables, are written with tomli-w): :func:`update_case` and the helpers an
edit uses to add tables where a reader expects them.
"""

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


def toml_text(document: TOMLDocument) -> str:
    """The text of ``document`` as it would be written."""
    import tomlkit

    return tomlkit.dumps(document)


def section(document: TOMLDocument, key: str) -> Any:
    """The top-level table ``[key]``, added (empty) when the file has none."""
    import tomlkit

    if key not in document:
        document.add(key, tomlkit.table())
    return document[key]


def add_table(parent: Any, key: str, fill: Callable[[Any], None], *, inline: bool) -> Any:
    """Add the table ``parent[key]`` that ``fill`` fills: ``{ ... }`` inline, or under
    its own ``[header]`` followed by a blank line."""
    import tomlkit

    table = tomlkit.inline_table() if inline else tomlkit.table()
    fill(table)
    if not inline:
        table.add(tomlkit.nl())  # a blank line before whatever follows
    parent[key] = table
    return table


def super_table(document: TOMLDocument, keys: tuple[str, ...]) -> Any:
    """The table at ``keys`` (``checklist.items``), each level created as a super-table
    so only the headers of the tables added under it (``[checklist.items."1.1"]``)
    appear in the file."""
    import tomlkit

    table: Any = document
    for key in keys:
        if table.get(key) is None:
            table[key] = tomlkit.table(is_super_table=True)
        table = table[key]
    return table


def tables_land(document: TOMLDocument, keys: tuple[str, ...]) -> bool:
    """Whether a new ``[a.b."<id>"]`` table under ``keys`` lands where it should,
    tried on a copy of ``document``: tomlkit misplaces one under dotted keys
    (``[checklist]`` then ``items."1.2".status = ...``)."""
    import tomllib

    import tomlkit

    trial = tomlkit.parse(tomlkit.dumps(document))
    probe = tomlkit.table()
    probe["probe"] = True
    super_table(trial, keys)["probe"] = probe
    written: Any = tomllib.loads(tomlkit.dumps(trial))
    for key in keys:
        written = written.get(key, {})
    return "probe" in written


def last_table(table: Any) -> Any:
    """The table written last in the file among ``table`` and the tables under it."""
    from tomlkit.items import Table

    tables = [value for _, value in table.value.body if isinstance(value, Table)]
    return last_table(tables[-1]) if tables else table


def lift_next_header_comments(document: TOMLDocument, key: str) -> list[Any]:
    """Remove and return the comment lines that end the last table of ``[key]`` after
    a blank line: in the file they stand just above the next section's header
    (``# Dates as they really happened...`` before ``[dates]``), so new tables
    must go before them, not between them and their header."""
    from tomlkit.items import Comment, Table, Whitespace

    top = document.get(key)
    if not isinstance(top, Table):
        return []
    body = last_table(top).value.body
    start = len(body)
    while start > 0 and body[start - 1][0] is None and isinstance(body[start - 1][1], Comment):
        start -= 1
    blank = start > 0 and isinstance(body[start - 1][1], Whitespace)
    if start == len(body) or not blank:
        return []  # no comments, or comments under the last key (a commented-out key)
    comments = [item for _, item in body[start:]]
    del body[start:]
    return comments
