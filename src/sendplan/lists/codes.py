"""Fields, headings and the codes of the person-level lists: needs, phases, dates, ages."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any

# The UPN, ULN and NHS number checks live in one place (the case file uses them too).
from sendplan.child_ids import child_number
from sendplan.child_ids import is_nhs_number as is_nhs_number
from sendplan.child_ids import is_uln as is_uln
from sendplan.child_ids import is_upn as is_upn
from sendplan.person_fields import FIELDS, FieldSpec, list_numbers

#: ``"UPN"``, ``"ULN"`` or ``"NHS number"`` when a whole cell is one (the list reader's check).
pupil_number = child_number

# ------------------------------------------------------------------ fields
FIELD_BY_NAME: dict[str, FieldSpec] = {f.name: f for f in FIELDS}
_RESIDENCE = frozenset({"lives_in_area", "home_la"})
#: Columns whose contents never reach any output, not even with ``--show``.
NEVER_SHOWN = frozenset({"upn", "uln"})
#: Fields whose cells reach an output (tables, JSON, letters, ``--save``) besides
#: any ``--show`` field: guarded against holding UPNs, ULNs or NHS numbers (:func:`pupil_number`).
OUTPUT_FIELDS = ("unique_id", "social_care_team", "urn")
#: Columns a list cannot be used without.
REQUIRED = ("unique_id", "date_of_birth", "primary_need")
DATE_FIELDS = ("date_of_birth", "ehc_initial", "ehc_updated", "ehc_reviewed")
EHC_DATES = ("ehc_initial", "ehc_updated", "ehc_reviewed")


def heading_key(text: str) -> str:
    """A heading reduced to letters and digits: case, spaces, dashes and '?' ignored."""
    return re.sub(r"[^a-z0-9]", "", str(text).casefold())


_HEADING_INDEX: dict[str, str] = {}
for _spec in FIELDS:
    for _words in (_spec.heading, _spec.name, *_spec.aliases):
        _HEADING_INDEX.setdefault(heading_key(_words), _spec.name)


# ------------------------------------------------------------------ codes
#: SEN primary need codes (SEN2 / school census), by code.
NEEDS: dict[str, str] = {
    "SPLD": "Specific learning difficulty",
    "MLD": "Moderate learning difficulty",
    "SLD": "Severe learning difficulty",
    "PMLD": "Profound and multiple learning difficulty",
    "SEMH": "Social, emotional and mental health",
    "SLCN": "Speech, language and communication needs",
    "HI": "Hearing impairment",
    "VI": "Visual impairment",
    "MSI": "Multi-sensory impairment",
    "PD": "Physical disability",
    "ASD": "Autistic spectrum disorder",
    "OTH": "Other difficulty or disability",
    "NSA": "SEN support but no specialist assessment of type of need",
}
#: NSA is a SEN support code only: an EHC plan always names a need.
LIST1_NEEDS = frozenset(NEEDS) - {"NSA"}

#: The four broad areas of need of para 92 (SEND code of practice 6.28-6.35).
AREAS: dict[str, str] = {
    "communication_interaction": "Communication and interaction",
    "cognition_learning": "Cognition and learning",
    "semh": "Social, emotional and mental health",
    "sensory_physical": "Sensory and/or physical",
}
AREA_OF_NEED: dict[str, str] = {
    "SLCN": "communication_interaction",
    "ASD": "communication_interaction",
    "SPLD": "cognition_learning",
    "MLD": "cognition_learning",
    "SLD": "cognition_learning",
    "PMLD": "cognition_learning",
    "SEMH": "semh",
    "HI": "sensory_physical",
    "VI": "sensory_physical",
    "MSI": "sensory_physical",
    "PD": "sensory_physical",
}

#: Phase codes a-i of the template's "Main education establishment – phase".
#: Only h) matters to the choice (alternative provision, para 92); the other
#: labels name the phase in the output.
PHASES: dict[str, str] = {
    "a": "Early years",
    "b": "Primary",
    "c": "Middle",
    "d": "Secondary",
    "e": "All-through",
    "f": "Special school",
    "g": "Post-16 / further education",
    "h": "Pupil referral unit/Alternative provision",
    "i": "Other / not in education",
}
ALTERNATIVE_PROVISION = "h"

_NEED_INDEX: dict[str, str] = {}
for _code, _label in NEEDS.items():
    _NEED_INDEX[heading_key(_code)] = _code
    _NEED_INDEX[heading_key(_label)] = _code
for _alias, _code in {
    "Autism": "ASD",
    "Autistic spectrum condition": "ASD",
    "Autism spectrum disorder": "ASD",
    "Social emotional and mental health difficulties": "SEMH",
    "Speech language and communication need": "SLCN",
    "Physical disability or impairment": "PD",
    "Other difficulty/disability": "OTH",
    "Other": "OTH",
    "Multi-sensory": "MSI",
}.items():
    _NEED_INDEX[heading_key(_alias)] = _code

_PHASE_INDEX: dict[str, str] = {}
for _letter, _label in PHASES.items():
    _PHASE_INDEX[_letter] = _letter
    _PHASE_INDEX[heading_key(_label)] = _letter
    _PHASE_INDEX[heading_key(f"{_letter}) {_label}")] = _letter
for _alias, _letter in {
    "Pupil referral unit": "h",
    "Alternative provision": "h",
    "PRU": "h",
    "AP": "h",
    "Nursery": "a",
    "Further education": "g",
    "Post-16": "g",
    "Special": "f",
}.items():
    _PHASE_INDEX[heading_key(_alias)] = _letter


@lru_cache(maxsize=512)
def need_code(value: str) -> str | None:
    """The primary-need code for a cell: the code, its label, or 'CODE - label'."""
    key = heading_key(value)
    if key in _NEED_INDEX:
        return _NEED_INDEX[key]
    head = re.split(r"[\s\-–—:()]+", value.strip(), maxsplit=1)[0]
    return _NEED_INDEX.get(heading_key(head)) if head else None


@lru_cache(maxsize=512)
def phase_code(value: str) -> str | None:
    """The phase letter for a cell: 'h', 'h)', 'h) Pupil referral unit/...' or the text."""
    key = heading_key(value)
    if key in _PHASE_INDEX:
        return _PHASE_INDEX[key]
    match = re.match(r"\s*([a-iA-I])\s*[).:\-–]", value)
    return match.group(1).lower() if match else None


_YES = frozenset({"yes", "y", "true", "1", "known"})
_NO = frozenset({"no", "n", "false", "0", "notknown", "none"})


@lru_cache(maxsize=256)
def yes_no(value: str) -> bool | None:
    """Yes/no cells: 'Yes', 'Y', 'No', 'N'... (None when blank or anything else)."""
    key = heading_key(value)
    if key in _YES or key.startswith("yes"):
        return True
    if key in _NO or (key.startswith("no") and not key.startswith("not")):
        return False
    return None


# ------------------------------------------------------------------ dates
_EXCEL_EPOCH = date(1899, 12, 30)  # the 1900 date system, after Lotus's leap-year bug
_DMY = re.compile(r"\s*(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?\s*")
_YMD = re.compile(r"\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:[T\s]\d{1,2}:\d{2}(?::\d{2})?)?\s*")


@lru_cache(maxsize=65536)
def _date_from_text(text: str) -> date | None:
    match = _DMY.fullmatch(text)
    try:
        if match:
            day, month, year = (int(g) for g in match.groups())
            return date(year, month, day)
        match = _YMD.fullmatch(text)
        if match:
            year, month, day = (int(g) for g in match.groups())
            return date(year, month, day)
        if re.fullmatch(r"\s*\d{5}(\.\d+)?\s*", text):  # an Excel serial saved as text
            return _EXCEL_EPOCH + timedelta(days=int(float(text)))
    except (ValueError, OverflowError):
        return None
    return None


def parse_date(value: Any) -> date | None:
    """A cell as a date: DD/MM/YYYY (UK order, as the template asks), ISO, or an Excel date.

    Returns None when the cell is not a date.  Two-digit years are refused:
    "01/02/12" could be 1912 or 2012 for a 0-25 population.
    """
    if value.__class__ is str:
        return _date_from_text(value)
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        if 1 <= value < 2958466:  # Excel's serial range
            return _EXCEL_EPOCH + timedelta(days=int(value))
        return None
    return None


def age_on(born: date, day: date) -> int:
    """Age in whole years on ``day``."""
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


NUMBERS = list_numbers()
AGES: dict[str, Any] = NUMBERS["ages"]
#: The oldest age in scope (para 13): older is out of scope, this age is queried.
OLDEST: int = AGES["oldest"]
#: Age groups of the spread (para 91: "a range of age groups").
AGE_GROUPS: tuple[tuple[str, int, int], ...] = tuple(
    (str(label), int(low), int(high)) for label, low, high in AGES["groups"]
)


def age_group(age: int) -> str:
    for label, low, high in AGE_GROUPS:
        if low <= age <= high:
            return label
    return f"over {OLDEST}" if age > OLDEST else "unknown"
