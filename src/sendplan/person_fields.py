"""The columns of Ofsted's person-level template (handbook paras 196-198), and
the numbers the lists are checked and chosen by (``data/lists.toml``).

Kept apart from :mod:`sendplan.lists` so the case-file schema can name the
columns, and a letter can say how many children are tracked, without importing
the list reader or the search.
"""

from functools import cache
from pathlib import Path
from typing import Any

from sendplan.namedtuples import NamedTuple


class FieldSpec(NamedTuple):
    """One column of the person-level template."""

    name: str
    heading: str
    lists: tuple[int, ...] = (1, 2)
    aliases: tuple[str, ...] = ()


#: The template's columns (paras 197-198), plus the optional residence columns
#: sendplan accepts because the template has none (paras 13, 91).
FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("unique_id", "Unique ID", aliases=("ID", "Child ID", "Person ID")),
    FieldSpec("upn", "UPN", aliases=("Unique pupil number",)),
    FieldSpec("uln", "ULN", aliases=("Unique learner number",)),
    FieldSpec("date_of_birth", "Date of birth", aliases=("DOB", "Birth date")),
    FieldSpec("gender", "Gender", aliases=("Sex",)),
    FieldSpec("ethnicity", "Ethnicity"),
    FieldSpec("ehc_initial", "Date initial EHC plan issued", lists=(1,)),
    FieldSpec("ehc_updated", "Date updated EHC plan issued", lists=(1,)),
    FieldSpec("ehc_reviewed", "Date EHC plan last reviewed", lists=(1,)),
    FieldSpec(
        "primary_need",
        "SEN primary need",
        aliases=("Primary need", "Primary SEN need", "Primary type of need", "SEN type"),
    ),
    FieldSpec("urn", "Main education establishment – URN", aliases=("URN",)),
    FieldSpec("phase", "Main education establishment – phase", aliases=("Phase",)),
    FieldSpec("subsidiary_phase", "Subsidiary education establishment – phase (dual registration)"),
    FieldSpec("elective_home_education", "Elective home education", lists=(1,)),
    FieldSpec("suspensions", "Suspensions"),
    FieldSpec("permanent_exclusions", "Permanent exclusions"),
    FieldSpec("absence", "Absence"),
    FieldSpec("pupil_premium", "Pupil Premium"),
    FieldSpec(
        "social_care",
        "Known to children's social care?",
        aliases=("Known to children's social care", "Known to CSC"),
    ),
    FieldSpec("social_care_team", "Which children's social care team?", aliases=("CSC team",)),
    FieldSpec(
        "disability",
        "Does the child or young person have a disability?",
        aliases=("Disability", "Disabled"),
    ),
    FieldSpec(
        "lives_in_area",
        "Lives in area",
        aliases=("Lives in the area", "Lives in local area", "Resident in area", "Resident"),
    ),
    FieldSpec(
        "home_la",
        "Home local authority",
        aliases=("Home LA", "Local authority of residence", "LA of residence", "Home authority"),
    ),
)


@cache
def list_numbers() -> dict[str, Any]:
    """``data/lists.toml``: the ages and counts the lists are checked and chosen by."""
    from sendplan.cache import load_toml

    return load_toml(Path(__file__).parent / "data" / "lists.toml")


def tracking_count() -> int:
    """How many children and young people are chosen for tracking (para 90's "approximately 6")."""
    return int(list_numbers()["choice"]["count"])
