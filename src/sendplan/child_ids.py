"""Children's identifiers, in one place: the national numbers that never leave, the
pseudonymous ids that make a file owner-only.

* A **UPN** (Unique Pupil Number, DfE), a **ULN** (Unique Learner Number,
  ESFA) or an **NHS number** is recognised by its check character
  (:func:`is_upn`, :func:`is_uln`, :func:`is_nhs_number`).  The list reader
  refuses one in a cell that is shown or saved (:func:`child_number`, the whole
  cell); the case file, a saved timetable and ``mark --note`` refuse one
  anywhere in a value (:func:`find_child_number`, every word of it).  Messages
  name the key and line, never the value (:func:`number_message`).
* Any file holding a tracked child's pseudonymous Unique ID is written
  owner-only (:func:`holds_child_id`, used by :func:`sendplan.files.write_output`).

A local id that happens to pass a check (nearly one 10-digit number in five
passes the ULN or the NHS check) is refused too: prefix it with a letter, as
the person-level template's pseudonymous Unique ID intends (``C1234567899``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# ------------------------------------------------------------------ the checks
#: The UPN check-letter alphabet (DfE, "Unique pupil numbers", annex: I, O and S unused).
_UPN_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"


def is_upn(text: str) -> bool:
    """A Unique Pupil Number with a correct check letter (DfE UPN guidance).

    13 characters: the check letter, 11 digits, then a digit (or, for a
    temporary UPN, a letter).  Characters 2-13 are weighted 2 to 13 (a final
    letter counts as its place in the check alphabet, A = 0), the sum taken
    modulo 23 and looked up in the alphabet: that is the first character.
    """
    if len(text) != 13:
        return False
    text = text.upper()
    first, digits, last = text[0], text[1:12], text[12]
    if first not in _UPN_LETTERS or not digits.isascii() or not digits.isdigit():
        return False
    if last.isascii() and last.isdigit():
        final = int(last)
    elif last in _UPN_LETTERS:
        final = _UPN_LETTERS.index(last)
    else:
        return False
    total = sum(weight * int(d) for weight, d in enumerate(digits, start=2)) + 13 * final
    return _UPN_LETTERS[total % 23] == first


def is_uln(text: str) -> bool:
    """A Unique Learner Number with a correct check digit (ESFA ILR rule DD01).

    10 digits, the first not 0: the first nine weighted 10 down to 2, the sum
    taken modulo 11; a remainder of 0 is never issued, else the tenth digit is
    10 minus the remainder.
    """
    if len(text) != 10 or not text.isascii() or not text.isdigit() or text[0] == "0":
        return False
    remainder = sum(int(d) * (10 - i) for i, d in enumerate(text[:9])) % 11
    return remainder != 0 and int(text[9]) == 10 - remainder


def is_nhs_number(text: str) -> bool:
    """An NHS number with a correct check digit (NHS Data Dictionary, modulus 11).

    10 digits: the first nine weighted 10 down to 2, the sum taken modulo 11;
    the check digit is 11 minus the remainder (11 becomes 0; 10 is never
    issued).  Written with spaces or hyphens as 3-3-4 digits, it is the same number.
    """
    text = text.replace(" ", "").replace("-", "")
    if len(text) != 10 or not text.isascii() or not text.isdigit():
        return False
    check = 11 - sum(int(d) * (10 - i) for i, d in enumerate(text[:9])) % 11
    return check != 10 and int(text[9]) == check % 11


def child_number(text: str) -> str | None:
    """``"UPN"``, ``"ULN"`` or ``"NHS number"`` if the whole of ``text`` is one
    (with its check right), else None.  Cheap: a length test first (the list reader
    runs it on every shown cell)."""
    n = len(text)
    if n == 13 and is_upn(text):
        return "UPN"
    if n == 10 or n == 12:
        uln = n == 10 and is_uln(text)
        nhs = is_nhs_number(text) if n == 10 or _SPACED.fullmatch(text) else False
        if uln and nhs:
            return "ULN or NHS number"
        return "ULN" if uln else "NHS number" if nhs else None
    return None


#: A word of a longer text (``tracking_family:K823200115001``: two words).
_WORD = re.compile(r"[A-Za-z0-9]+")
#: An NHS number written 3-3-4 with spaces or hyphens (NHS Data Dictionary).
_SPACED = re.compile(r"\d{3}[ -]\d{3}[ -]\d{4}")
_SPACED_IN = re.compile(r"(?<![A-Za-z0-9])\d{3}[ -]\d{3}[ -]\d{4}(?![A-Za-z0-9])")


#: Every national number holds three digits in a row (a UPN 12, a ULN or an NHS
#: number 10, or 3-3-4): text without them holds none, and most case text has none.
_THREE_DIGITS = re.compile(r"\d{3}")


def find_child_number(text: str) -> str | None:
    """The kind of national number found anywhere in ``text`` (each word of it,
    and NHS numbers written 3-3-4), else None."""
    if _THREE_DIGITS.search(text) is None:
        return None
    for word in _WORD.findall(text):
        if len(word) in (10, 13) and (kind := child_number(word)):
            return kind
    for spaced in _SPACED_IN.findall(text):
        if kind := child_number(spaced):
            return kind
    return None


def number_message(kind: str) -> str:
    """Why a value holding a national number is refused (the value is never quoted)."""
    return (
        f"holds what looks like a child's {kind} (its check character fits), which "
        "sendplan never keeps: use the pseudonymous Unique ID (a local id that passes "
        "the check by chance needs a letter in front: C1234567899)"
    )


# ------------------------------------------------------------------ owner-only files
def holds_child_id(data: str | bytes, ids: Iterable[str]) -> bool:
    """Whether ``data`` (text, or a workbook's bytes) names one of ``ids`` as a word.

    The one rule of "Children's data": a file holding a tracked child's id is
    written owner-only.  A workbook (a zip) is searched part by part, with the
    ids as XML writes them; a word match (``C01`` not inside ``C012``) may err
    towards owner-only, never the other way.
    """
    wanted = [i for i in dict.fromkeys(ids) if i]
    if not wanted:
        return False
    if isinstance(data, bytes):
        texts = _workbook_texts(data) if data[:2] == b"PK" else [data.decode("utf-8", "replace")]
        from xml.sax.saxutils import escape

        wanted += [escape(i) for i in wanted if escape(i) != i]
    else:
        texts = [data]
    pattern = re.compile(
        "(?<![A-Za-z0-9])(?:"
        + "|".join(re.escape(i) for i in sorted(wanted, key=len, reverse=True))
        + ")(?![A-Za-z0-9])"
    )
    return any(pattern.search(text) for text in texts)


def _workbook_texts(data: bytes) -> list[str]:
    """The text of each part of a workbook sendplan made (a zip)."""
    import io
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return [archive.read(n).decode("utf-8", "replace") for n in archive.namelist()]
    except (zipfile.BadZipFile, OSError, ValueError):  # not a zip after all: its bytes
        return [data.decode("utf-8", "replace")]
